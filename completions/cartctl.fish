# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cartctl_global_optspecs
    string join \n profile= region= endpoint-url= o/output= color= v/verbose q/quiet max-attempts= h/help V/version
end

function __fish_cartctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cartctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cartctl_using_subcommand
    set -l cmd (__fish_cartctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cartctl -n "__fish_cartctl_needs_command" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_needs_command" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_needs_command" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_needs_command" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_needs_command" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_needs_command" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_needs_command" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_needs_command" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_needs_command" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "schedule" -d 'Schedule a cart reminder (a one-time schedule that puts the reminder on the bus)'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "put-event" -d 'Put a cart event on the bus, as the shop\'s API does: an item added (the default), an item removed, or a checkout'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "list" -d 'List reminders with their user, product and due time'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "delete" -d 'Delete reminders: by name, all of a user\'s, or all of the group\'s'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "tail" -d 'Stream events from the bus'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "fire" -d 'Publish a schedule\'s payload now, as EventBridge Scheduler would when it is due'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "setup" -d 'Create what the reminder flow needs in one region, idempotently'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "doctor" -d 'Check the account\'s set-up: one line per check, with the fix when one fails'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "dlq" -d 'The reminders that failed: seen without consuming them, put back without loss, purged'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "stats" -d 'What CloudWatch counted for the reminder flow, with a one-line verdict'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "match" -d 'Whether an event matches an EventBridge pattern, offline; or which rules of a bus it matches'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "worker" -d 'Run the consumer or the mailer against its queue, as their Lambda functions do'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "forget" -d 'Erase a customer: their cart ledger items and pending reminders, item by item'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "contacts" -d 'Look up or change a customer\'s subscription to the cart reminders'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "report" -d 'Does it pay: carts, reminders, e-mails, checkouts recovered and their value, from the ledger'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "man" -d 'Print the manual page (roff), covering every subcommand'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "config" -d 'Show the resolved settings and where each came from'
complete -c cartctl -n "__fish_cartctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l user -d 'The user who added the product to the cart' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l product -d 'The product added to the cart' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l in -d 'Due after this long from now: 1d, 90m, "1h 30m". Give it more than once (or a comma-separated list: 30m,4h,1d) for follow-ups in stages, one reminder each' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l at -d 'Due at this time: RFC 3339 with an offset, or a local YYYY-MM-DDTHH:MM[:SS] in --timezone' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l timezone -d 'IANA time zone of the schedule expression (and of a local --at time and of --quiet-hours) [default: UTC]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l quiet-hours -d 'Never due in this daily window (HH:MM-HH:MM, on the --timezone clock): a due time inside it moves to its end, such as 21:00-08:00' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l name -d 'Schedule name [default: derived from user and product]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l group -d 'Schedule group [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l bus -d 'Event bus name or ARN [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l role-arn -d 'IAM role EventBridge Scheduler assumes to put the event (needs events:PutEvents on the bus)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l source -d 'Event source [default: putToCartService]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l detail-type -d 'Event detail-type; {user} and {product} are replaced by the cart\'s ids [default: "item {product} added to Cart"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l description -d 'Schedule description (at most 512 characters)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l flexible-window -d 'Let Scheduler fire within this window after the due time (1m to 24h) [default: off]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l max-retries -d 'Delivery retries by Scheduler (0 to 185) [AWS default: 185]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l max-event-age -d 'How long Scheduler keeps retrying (60s to 24h) [AWS default: 24h]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l dlq-arn -d 'SQS queue for reminders that could not be delivered' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l client-token -d 'Idempotency token for CreateSchedule [default: derived from the request]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l on-conflict -d 'When a different schedule of that name exists: fail (exit 5), skip it, or replace it' -r -f -a "fail\t'Report the existing schedule (exit 5)'
skip\t'Leave it as it is'
replace\t'Overwrite it with the requested definition'"
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l detail -d 'More keys for the reminder\'s input, as a JSON object (after scheduled_event, user and product); with --file, for every line without its own detail' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l file -d 'Read many lines from a file (- for stdin); flags given too are defaults for every line' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l format -d 'Format of --file [default: from the extension: .ndjson/.jsonl/.json or .csv]' -r -f -a "ndjson\t'One JSON object a line'
csv\t'A header row, then one row a record'"
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l concurrency -d 'Most requests in flight at once with --file: the controller finds the right number up to this cap [default: 256]; with --fixed, exactly this many [default: 16]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l keep-after-completion -d 'Keep the schedule after it fired [default: it deletes itself]'
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l disabled -d 'Create the schedule disabled'
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l restart -d 'Restart the clock: the due time counts from now even when the reminder exists; one due at another time is moved in one UpdateSchedule (status rescheduled). With --file, for every line'
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l dry-run -d 'Print the CreateSchedule request (the shape `aws scheduler create-schedule --cli-input-json` takes) and send nothing'
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -l fixed -d 'Keep the number of requests in flight fixed at --concurrency instead of adapting it'
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand schedule" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l kind -d 'Which cart event: add, remove or checkout' -r -f -a "add\t'An item added to the cart'
remove\t'An item removed from the cart'
checkout\t'The cart checked out (no --product)'"
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l user -d 'The user whose cart it is' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l product -d 'The product added or removed (required for add and remove, refused for checkout)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l detail -d 'More detail keys, as a JSON object' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l bus -d 'Event bus name or ARN [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l source -d 'Event source [default: putToCartService]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l detail-type -d 'Event detail-type; {user} and {product} are replaced by the cart\'s ids [default: "item {product} added to Cart"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l removed-detail-type -d 'Detail-type of an item removed from a cart; {user} and {product} are replaced [default: "item {product} removed from Cart"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l checkout-detail-type -d 'Detail-type of a checked-out cart; {user} is replaced [default: "cart checked out"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l file -d 'Read many lines from a file (- for stdin); flags given too are defaults for every line' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l format -d 'Format of --file [default: from the extension: .ndjson/.jsonl/.json or .csv]' -r -f -a "ndjson\t'One JSON object a line'
csv\t'A header row, then one row a record'"
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l concurrency -d 'Most requests in flight at once with --file: the controller finds the right number up to this cap [default: 256]; with --fixed, exactly this many [default: 16]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l dry-run -d 'Print the PutEvents request (the shape `aws events put-events --cli-input-json` takes) and send nothing'
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -l fixed -d 'Keep the number of requests in flight fixed at --concurrency instead of adapting it'
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand put-event" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l group -d 'Schedule group [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l user -d 'Only this user\'s reminders (narrowed on the server by name prefix)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l product -d 'Only reminders of this product' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l due-before -d 'Only reminders due before this time (RFC 3339, or a duration from now such as 2h)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l due-after -d 'Only reminders due after this time (RFC 3339, or a duration from now)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l state -d 'Only schedules in this state' -r -f -a "enabled\t'Schedules Scheduler will fire'
disabled\t'Schedules Scheduler will not fire'"
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l limit -d 'Show at most N rows (the N due first, or the first N read with --unsorted)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l concurrency -d 'GetSchedule calls in flight at once' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l overdue -d 'Only reminders whose due time has passed'
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l all -d 'Also list schedules cartctl did not create'
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -l unsorted -d 'Print rows as they are read, unsorted, with bounded memory (with -o ndjson)'
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand list" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l user -d 'Delete this user\'s reminders' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l product -d 'With --user: only the reminder of this product' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l file -d 'Delete what each line names (- for stdin): NDJSON {"name"} or {"user"[, "product"]}, or a CSV with those columns. Needs --yes (or --dry-run)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l format -d 'Format of --file [default: from the extension: .ndjson/.jsonl/.json or .csv]' -r -f -a "ndjson\t'One JSON object a line'
csv\t'A header row, then one row a record'"
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l due-before -d 'Only reminders due before this time (RFC 3339, or a duration from now such as 2h)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l due-after -d 'Only reminders due after this time (RFC 3339, or a duration from now)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l state -d 'Only schedules in this state' -r -f -a "enabled\t'Schedules Scheduler will fire'
disabled\t'Schedules Scheduler will not fire'"
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l group -d 'Schedule group [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l concurrency -d 'Deletions in flight at once' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l all -d 'Delete every cartctl reminder of the group'
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l overdue -d 'Only reminders whose due time has passed'
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l dry-run -d 'Print what would be deleted, and delete nothing'
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -s y -l yes -d 'Do not ask; needed for more than one deletion when stdin is not a terminal'
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -l missing-ok -d 'A named schedule that does not exist is not an error'
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand delete" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l bus -d 'Event bus name or ARN [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l source -d 'Only events of this source' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l detail-type -d 'Only events of this detail-type' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l user -d 'Only events whose detail.user is this' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l product -d 'Only events whose detail.product is this' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l pattern -d 'An EventBridge event pattern (JSON), combined with the flags above' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l max-events -d 'Stop after N events (exit 0)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l timeout -d 'Stop after this long (exit 124), e.g. 30s, 5m' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l older-than -d 'With --gc: only what is older than this' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l scheduled-only -d 'Only reminders (detail.scheduled_event = "true")'
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l wait-ready -d 'Announce readiness only once a canary event has gone through the rule and queue'
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l mail-events -d 'Show SES\'s events about the reminders instead (bounces, complaints, deliveries): SES publishes them to the default bus, for the configuration set setup made'
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -l gc -d 'Remove the queues and rules of tails that were killed, instead of tailing'
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand tail" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -l group -d 'Schedule group [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -l concurrency -d 'Schedules fired at once' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -l due -d 'Fire every enabled schedule of the group whose at() time has passed'
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -l keep -d 'Keep the schedules, even those that delete themselves after firing'
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -l force -d 'Fire DISABLED schedules too, and allow --due against AWS itself (where Scheduler fires due schedules by itself, so customers could get a reminder twice)'
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -l dry-run -d 'Print the PutEvents request of each schedule, and send nothing'
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand fire" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l bus -d 'Event bus name or ARN [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l group -d 'Schedule group [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l source -d 'Source of reminder events, which the consumer\'s rule matches [default: putToCartService]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l detail-type -d 'Detail-type of add-to-cart events (and reminders), which the carts rule matches [default: "item {product} added to Cart"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l removed-detail-type -d 'Detail-type of an item removed from a cart; {user} and {product} are replaced [default: "item {product} removed from Cart"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l checkout-detail-type -d 'Detail-type of a checked-out cart; {user} is replaced [default: "cart checked out"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l name-prefix -d 'Start of every resource name (letters, digits, - and _) [default: cartctl-<bus>]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l mail-from -d 'Make (or find) the sender\'s SES email identity and write mail_from (an address: SES e-mails it a link to verify it); with it, the contact list, the suppression list and the configuration set (see Mail)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l postal-address -d 'The shop\'s postal address, shown in every reminder e-mail (CAN-SPAM); required with --mail-from' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l consent -d 'Who is e-mailed: implied (everyone but who unsubscribed: CAN-SPAM\'s opt-out, a shop\'s "anyone who abandons a checkout") or required (only who consented: the EU\'s and UK\'s rules). Sets the topic\'s default subscription [default: implied]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l topic -d 'The contact list\'s topic of cart reminders [default: cart-reminders]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l topic-display-name -d 'The topic\'s name on SES\'s unsubscribe page' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l topic-description -d 'What the topic is about, on SES\'s unsubscribe page' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l contact-list -d 'The account\'s contact list [default: the one the account has, else <prefix>-contacts]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l api-auth -d 'Who may call the API: iam (SigV4-signed, the default), jwt (with --api-jwt-issuer), or none (anyone: then anyone can make the shop e-mail any address)' -r -f -a "iam\t''
jwt\t''
none\t''"
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l api-jwt-issuer -d 'The JWT issuer (https URL) the API accepts tokens of (implies --api-auth jwt)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l api-jwt-audience -d 'An audience (client id) the JWTs must name; repeat or separate with commas' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l api-rate-limit -d 'Requests a second the API\'s stage admits (steady rate)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l api-burst-limit -d 'Requests the API\'s stage admits at once (burst)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l functions -d 'Also deploy the consumer and mailer Lambda functions from DIR (scripts/build-lambdas\' output: DIR/<arch>/{consumer,mailer}/bootstrap.zip, or DIR/{consumer,mailer}/bootstrap.zip), each with its own role and an SQS event source mapping; needs a sender (--mail-from or mail_from). With --template, DIR is not read: the code comes from S3 parameters' -r -F
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l arch -d 'The functions\' architecture: arm64 (Graviton, the default) or x86_64' -r -f -a "arm64\t''
x86_64\t''"
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l mailer-concurrency -d 'Batches of the mailer function at once (its mapping\'s maximum concurrency, 2 to 1000): each paces its sends to the account\'s SES send rate divided by this' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l holdout -d 'The share of customers (0 to 100) the mailer function holds out: their reminders are counted, never e-mailed, so `cartctl report` measures the uplift [default: 0]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l attribution-window -d 'A checkout this long after a reminder counts as recovered by it (the consumer function\'s) [default: 7d]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l log-retention -d 'Days the functions\' logs and the API\'s access log are kept (a CloudWatch Logs retention: 1, 3, 5, 7, 14, 30, 60, 90 ... 3653)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l write-config -d 'Also write the settings to this file (keys setup sets are replaced, others kept)' -r -F
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l api -d 'Also make the shop\'s HTTP API <prefix>-api: POST /cart, /cart/remove and /cart/checkout put the body as a cart event on the bus (EventBridge-PutEvents integration); writes api_url'
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l keep-logs -d 'With --teardown: keep the log groups setup made (the functions\' and the API\'s)'
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l dry-run -d 'Print what would be created or changed, and change nothing (reads only)'
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l template -d 'Print the same resources as a CloudFormation template (JSON), and send nothing'
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -l teardown -d 'Remove what setup made (only resources tagged as its own); needs --yes'
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -s y -l yes -d 'Confirm --teardown (deleting the group deletes its schedules)'
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand setup" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -l bus -d 'Event bus name or ARN [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -l group -d 'Schedule group [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -l role-arn -d 'The role Scheduler assumes' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -l dlq-arn -d 'The reminders\' dead-letter queue' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -l source -d 'Event source [default: putToCartService]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -l detail-type -d 'Event detail-type; {user} and {product} are replaced by the cart\'s ids [default: "item {product} added to Cart"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -l mail-from -d 'The mailer\'s sender, whose SES identity is checked' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -f -a "list" -d 'List the dead-letter events without consuming them (they are visible again at once)'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -f -a "redrive" -d 'Put each failed reminder back on its bus; a message is deleted only once its event was accepted (at most duplicated when an answer is lost, and counted)'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -f -a "purge" -d 'Delete every message of the dead-letter queue'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and not __fish_seen_subcommand_from list redrive purge help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from list" -l dlq-arn -d 'The reminders\' dead-letter queue' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from list" -l limit -d 'Read at most N messages' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from list" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from list" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from list" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from list" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from list" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l dlq-arn -d 'The reminders\' dead-letter queue' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l limit -d 'Redrive at most N messages' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l user -d 'Only this user\'s reminders (the others stay in the queue)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l bus -d 'Put the events on this bus instead of the one each reminder failed on' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l source -d 'Event source [default: putToCartService]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l detail-type -d 'Event detail-type; {user} and {product} are replaced by the cart\'s ids [default: "item {product} added to Cart"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l dlq-arn -d 'The reminders\' dead-letter queue' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s y -l yes -d 'Confirm: every message of the queue is deleted'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the dead-letter events without consuming them (they are visible again at once)'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "redrive" -d 'Put each failed reminder back on its bus; a message is deleted only once its event was accepted (at most duplicated when an answer is lost, and counted)'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "purge" -d 'Delete every message of the dead-letter queue'
complete -c cartctl -n "__fish_cartctl_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -l since -d 'The window: from this long ago until now' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -l group -d 'Schedule group [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -l bus -d 'Event bus name or ARN [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -l rule -d 'The e-mail rule [default: <prefix>-reminders, as `setup` names it]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -l name-prefix -d 'The name prefix `setup` was given, for the default rule [default: cartctl-<bus>]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand stats" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand match" -l pattern -d 'The pattern: JSON, or @FILE (@- reads stdin)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand match" -l event -d 'The event: JSON, or @FILE (@- reads stdin)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand match" -l bus -d 'Instead of --pattern: the rules of this bus (name or ARN)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand match" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand match" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand match" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand match" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand match" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand match" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand match" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand match" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand match" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand match" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and not __fish_seen_subcommand_from consumer mailer help" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and not __fish_seen_subcommand_from consumer mailer help" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and not __fish_seen_subcommand_from consumer mailer help" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and not __fish_seen_subcommand_from consumer mailer help" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and not __fish_seen_subcommand_from consumer mailer help" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and not __fish_seen_subcommand_from consumer mailer help" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and not __fish_seen_subcommand_from consumer mailer help" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and not __fish_seen_subcommand_from consumer mailer help" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and not __fish_seen_subcommand_from consumer mailer help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and not __fish_seen_subcommand_from consumer mailer help" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and not __fish_seen_subcommand_from consumer mailer help" -f -a "consumer" -d 'Turn the shop\'s cart events into reminders: long-poll the carts queue, as the consumer Lambda does'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and not __fish_seen_subcommand_from consumer mailer help" -f -a "mailer" -d 'Send each fired reminder as an e-mail with SES: long-poll the e-mail queue, as the mailer Lambda does'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and not __fish_seen_subcommand_from consumer mailer help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l queue -d 'The consumer\'s queue, by name or URL (setup makes <prefix>-carts and writes carts_queue)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l max-messages -d 'Stop after this many messages (handled or failed)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l idle-timeout -d 'Stop after this long without a message (1s or more)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l concurrency -d 'Batches of up to 10 messages in flight at once' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l metrics -d 'Where each record\'s CloudWatch Embedded Metric Format line goes, as the functions log it: off, stderr, or the CloudWatch agent\'s EMF listener (udp://127.0.0.1:25888, tcp://HOST:PORT)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l ledger-table -d 'The cart ledger\'s DynamoDB table (setup makes <prefix>-carts and writes ledger_table)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l retention -d 'How long the ledger keeps a cart after its last stage is due [default: 30d]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l remind-after -d 'Delay from the add-to-cart event to its reminder; a list (30m,4h,1d) makes stages [default: 1d]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l quiet-hours -d 'Never due in this daily window (HH:MM-HH:MM on the customer\'s clock: the event detail\'s timezone, else --timezone), such as 21:00-08:00' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l timezone -d 'The customers\' IANA time zone when an event\'s detail has no timezone [default: UTC]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l attribution-window -d 'A checkout this long after a reminder counts as recovered by it (`cartctl report`) [default: 7d]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l group -d 'Schedule group [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l bus -d 'Event bus name or ARN [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l role-arn -d 'IAM role EventBridge Scheduler assumes to put the reminder' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l dlq-arn -d 'SQS queue for reminders that could not be delivered' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l source -d 'Event source [default: putToCartService]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l detail-type -d 'Event detail-type; {user} and {product} are replaced by the cart\'s ids [default: "item {product} added to Cart"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l removed-detail-type -d 'Detail-type of an item removed from a cart; {user} and {product} are replaced [default: "item {product} removed from Cart"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l checkout-detail-type -d 'Detail-type of a checked-out cart; {user} is replaced [default: "cart checked out"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from consumer" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l queue -d 'The mailer\'s queue, by name or URL (setup makes <prefix>-email and writes email_queue)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l max-messages -d 'Stop after this many messages (handled or failed)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l idle-timeout -d 'Stop after this long without a message (1s or more)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l concurrency -d 'Batches of up to 10 messages in flight at once' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l metrics -d 'Where each record\'s CloudWatch Embedded Metric Format line goes, as the functions log it: off, stderr, or the CloudWatch agent\'s EMF listener (udp://127.0.0.1:25888, tcp://HOST:PORT)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l mail-from -d 'The sender: an address with an SES identity, or "Name <address>" (setup --mail-from writes mail_from)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l recipient-field -d 'The reminder key that holds the customer\'s address [default: email]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l template -d 'The e-mail template: a TOML file with subject, text and html [default: built in]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l mailer-concurrency -d 'Mailers sending at once on the account (this one included): each paces its sends to the account\'s SES send rate divided by this [default: 1]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l cooldown -d 'At most one reminder e-mail per customer within this, across carts (0: no limit) [default: 24h]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l ledger-table -d 'The cart ledger\'s DynamoDB table (setup makes <prefix>-carts and writes ledger_table)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l retention -d 'How long the ledger keeps a cart after its last stage is due [default: 30d]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l consent -d 'Who is e-mailed: implied (everyone but who unsubscribed: CAN-SPAM\'s opt-out) or required (only who consented: the EU\'s and UK\'s rules) [default: implied]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l postal-address -d 'The shop\'s postal address, shown in every e-mail (setup --postal-address writes it)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l contact-list -d 'The account\'s SES contact list, whose topic every reminder is sent under (setup writes contact_list)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l topic -d 'The contact list\'s topic of cart reminders [default: cart-reminders]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l configuration-set -d 'The SES configuration set reminders go through, whose events come back to the consumer (setup makes <prefix>-mail and writes configuration_set)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l holdout -d 'The share of customers (0 to 100) in the holdout group: their reminders are counted, never e-mailed, so `cartctl report` can measure the uplift [default: 0]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l allow-no-unsubscribe-link -d 'Accept a template without {{ unsubscribe_url }} (only where the law allows it: the e-mails still carry SES\'s one-click unsubscribe headers)'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -l print-template -d 'Print the built-in template and exit'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from mailer" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from help" -f -a "consumer" -d 'Turn the shop\'s cart events into reminders: long-poll the carts queue, as the consumer Lambda does'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from help" -f -a "mailer" -d 'Send each fired reminder as an e-mail with SES: long-poll the e-mail queue, as the mailer Lambda does'
complete -c cartctl -n "__fish_cartctl_using_subcommand worker; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -l user -d 'The customer\'s user id' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -l group -d 'Schedule group [default: default]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -l ledger-table -d 'The cart ledger\'s DynamoDB table (setup writes ledger_table)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -s y -l yes -d 'Erase without asking'
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -l dry-run -d 'List what would be erased, and erase nothing'
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand forget" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -l user -d 'The customer\'s user id: their address is read from the cart ledger' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -l email -d 'The customer\'s address' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -l contact-list -d 'The account\'s contact list (setup writes contact_list)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -l topic -d 'The reminders\' topic [default: cart-reminders]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -l consent -d 'The consent regime the answer of `get` follows [default: implied]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -l ledger-table -d 'The cart ledger\'s DynamoDB table, for --user (setup writes ledger_table)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand contacts" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -l since -d 'Count what happened within this long before now [default: 30d]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -l ledger-table -d 'The cart ledger\'s DynamoDB table (setup writes ledger_table)' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -l html -d 'Also write the report as one self-contained HTML page (inline SVG charts: the funnel, recoveries by day and by stage; nothing fetched from the network)' -r -F
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -l page-size -d 'Items each Scan request reads at most (1 to 1000; DynamoDB stops a page at 1 MB anyway): smaller pages spread the read units of a provisioned table over more, smaller requests [default: up to 1 MB a page]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand report" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand completions" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand completions" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand completions" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand completions" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand completions" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand completions" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand completions" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand completions" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand man" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand man" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand man" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand man" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand man" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand man" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand man" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand man" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand man" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand config" -l profile -d 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand config" -l region -d 'AWS region [default: AWS_REGION, else the profile\'s region]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand config" -l endpoint-url -d 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand config" -s o -l output -d 'Output format: text for people, json or ndjson for scripts [default: text]' -r -f -a "text\t'For people'
json\t'One JSON document'
ndjson\t'One JSON object a line'"
complete -c cartctl -n "__fish_cartctl_using_subcommand config" -l color -d 'When to colour text output (NO_COLOR turns auto off)' -r -f -a "auto\t'Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c cartctl -n "__fish_cartctl_using_subcommand config" -l max-attempts -d 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up' -r
complete -c cartctl -n "__fish_cartctl_using_subcommand config" -s v -l verbose -d 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
complete -c cartctl -n "__fish_cartctl_using_subcommand config" -s q -l quiet -d 'Print only data and errors (no summaries, no progress)'
complete -c cartctl -n "__fish_cartctl_using_subcommand config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cartctl -n "__fish_cartctl_using_subcommand config" -s V -l version -d 'Print version'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "schedule" -d 'Schedule a cart reminder (a one-time schedule that puts the reminder on the bus)'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "put-event" -d 'Put a cart event on the bus, as the shop\'s API does: an item added (the default), an item removed, or a checkout'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "list" -d 'List reminders with their user, product and due time'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "delete" -d 'Delete reminders: by name, all of a user\'s, or all of the group\'s'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "tail" -d 'Stream events from the bus'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "fire" -d 'Publish a schedule\'s payload now, as EventBridge Scheduler would when it is due'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "setup" -d 'Create what the reminder flow needs in one region, idempotently'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "doctor" -d 'Check the account\'s set-up: one line per check, with the fix when one fails'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "dlq" -d 'The reminders that failed: seen without consuming them, put back without loss, purged'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "stats" -d 'What CloudWatch counted for the reminder flow, with a one-line verdict'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "match" -d 'Whether an event matches an EventBridge pattern, offline; or which rules of a bus it matches'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "worker" -d 'Run the consumer or the mailer against its queue, as their Lambda functions do'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "forget" -d 'Erase a customer: their cart ledger items and pending reminders, item by item'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "contacts" -d 'Look up or change a customer\'s subscription to the cart reminders'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "report" -d 'Does it pay: carts, reminders, e-mails, checkouts recovered and their value, from the ledger'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "completions" -d 'Print a shell completion script'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "man" -d 'Print the manual page (roff), covering every subcommand'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "config" -d 'Show the resolved settings and where each came from'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and not __fish_seen_subcommand_from schedule put-event list delete tail fire setup doctor dlq stats match worker forget contacts report completions man config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "list" -d 'List the dead-letter events without consuming them (they are visible again at once)'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "redrive" -d 'Put each failed reminder back on its bus; a message is deleted only once its event was accepted (at most duplicated when an answer is lost, and counted)'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "purge" -d 'Delete every message of the dead-letter queue'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and __fish_seen_subcommand_from worker" -f -a "consumer" -d 'Turn the shop\'s cart events into reminders: long-poll the carts queue, as the consumer Lambda does'
complete -c cartctl -n "__fish_cartctl_using_subcommand help; and __fish_seen_subcommand_from worker" -f -a "mailer" -d 'Send each fired reminder as an e-mail with SES: long-poll the e-mail queue, as the mailer Lambda does'
