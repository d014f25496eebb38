
use builtin;
use str;

set edit:completion:arg-completer[cartctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'cartctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'cartctl'= {
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand schedule 'Schedule a cart reminder (a one-time schedule that puts the reminder on the bus)'
            cand put-event 'Put an "item added to cart" event on the bus, as the shop''s API does'
            cand list 'List reminders with their user, product and due time'
            cand delete 'Delete reminders: by name, all of a user''s, or all of the group''s'
            cand tail 'Stream events from the bus'
            cand fire 'Publish a schedule''s payload now, as EventBridge Scheduler would when it is due'
            cand setup 'Create what the reminder flow needs in one region, idempotently'
            cand doctor 'Check the account''s set-up: one line per check, with the fix when one fails'
            cand dlq 'The reminders that failed: seen without consuming them, put back without loss, purged'
            cand completions 'Print a shell completion script'
            cand man 'Print the manual page (roff), covering every subcommand'
            cand config 'Show the resolved settings and where each came from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cartctl;schedule'= {
            cand --user 'The user who added the product to the cart'
            cand --product 'The product added to the cart'
            cand --in 'Due after this long from now: 1d, 90m, "1h 30m". Give it more than once (or a comma-separated list: 30m,4h,1d) for follow-ups in stages, one reminder each'
            cand --at 'Due at this time: RFC 3339 with an offset, or a local YYYY-MM-DDTHH:MM[:SS] in --timezone'
            cand --timezone 'IANA time zone of the schedule expression (and of a local --at time)'
            cand --name 'Schedule name [default: derived from user and product]'
            cand --group 'Schedule group [default: default]'
            cand --bus 'Event bus name or ARN [default: default]'
            cand --role-arn 'IAM role EventBridge Scheduler assumes to put the event (needs events:PutEvents on the bus)'
            cand --source 'Event source [default: putToCartService]'
            cand --detail-type 'Event detail-type; {user} and {product} are replaced by the cart''s ids [default: "item {product} added to Cart"]'
            cand --description 'Schedule description (at most 512 characters)'
            cand --flexible-window 'Let Scheduler fire within this window after the due time (1m to 24h) [default: off]'
            cand --max-retries 'Delivery retries by Scheduler (0 to 185) [AWS default: 185]'
            cand --max-event-age 'How long Scheduler keeps retrying (60s to 24h) [AWS default: 24h]'
            cand --dlq-arn 'SQS queue for reminders that could not be delivered'
            cand --client-token 'Idempotency token for CreateSchedule [default: derived from the request]'
            cand --on-conflict 'When a different schedule of that name exists: fail (exit 5), skip it, or replace it'
            cand --detail 'More keys for the reminder''s input, as a JSON object (after scheduled_event, user and product); with --file, for every line without its own detail'
            cand --file 'Read many lines from a file (- for stdin); flags given too are defaults for every line'
            cand --format 'Format of --file [default: from the extension: .ndjson/.jsonl/.json or .csv]'
            cand --concurrency 'Requests in flight at once with --file'
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand --keep-after-completion 'Keep the schedule after it fired [default: it deletes itself]'
            cand --disabled 'Create the schedule disabled'
            cand --restart 'Restart the clock: the due time counts from now even when the reminder exists; one due at another time is moved in one UpdateSchedule (status rescheduled). With --file, for every line'
            cand --dry-run 'Print the CreateSchedule request (the shape `aws scheduler create-schedule --cli-input-json` takes) and send nothing'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;put-event'= {
            cand --user 'The user who added the product to the cart'
            cand --product 'The product added to the cart'
            cand --detail 'More detail keys, as a JSON object'
            cand --bus 'Event bus name or ARN [default: default]'
            cand --source 'Event source [default: putToCartService]'
            cand --detail-type 'Event detail-type; {user} and {product} are replaced by the cart''s ids [default: "item {product} added to Cart"]'
            cand --file 'Read many lines from a file (- for stdin); flags given too are defaults for every line'
            cand --format 'Format of --file [default: from the extension: .ndjson/.jsonl/.json or .csv]'
            cand --concurrency 'Requests in flight at once with --file'
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand --dry-run 'Print the PutEvents request (the shape `aws events put-events --cli-input-json` takes) and send nothing'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;list'= {
            cand --group 'Schedule group [default: default]'
            cand --user 'Only this user''s reminders (narrowed on the server by name prefix)'
            cand --product 'Only reminders of this product'
            cand --due-before 'Only reminders due before this time (RFC 3339, or a duration from now such as 2h)'
            cand --due-after 'Only reminders due after this time (RFC 3339, or a duration from now)'
            cand --state 'Only schedules in this state'
            cand --limit 'Show at most N rows (the N due first, or the first N read with --unsorted)'
            cand --concurrency 'GetSchedule calls in flight at once'
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand --overdue 'Only reminders whose due time has passed'
            cand --all 'Also list schedules cartctl did not create'
            cand --unsorted 'Print rows as they are read, unsorted, with bounded memory (with -o ndjson)'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;delete'= {
            cand --user 'Delete this user''s reminders'
            cand --product 'With --user: only the reminder of this product'
            cand --file 'Delete what each line names (- for stdin): NDJSON {"name"} or {"user"[, "product"]}, or a CSV with those columns. Needs --yes (or --dry-run)'
            cand --format 'Format of --file [default: from the extension: .ndjson/.jsonl/.json or .csv]'
            cand --due-before 'Only reminders due before this time (RFC 3339, or a duration from now such as 2h)'
            cand --due-after 'Only reminders due after this time (RFC 3339, or a duration from now)'
            cand --state 'Only schedules in this state'
            cand --group 'Schedule group [default: default]'
            cand --concurrency 'Deletions in flight at once'
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand --all 'Delete every cartctl reminder of the group'
            cand --overdue 'Only reminders whose due time has passed'
            cand --dry-run 'Print what would be deleted, and delete nothing'
            cand -y 'Do not ask; needed for more than one deletion when stdin is not a terminal'
            cand --yes 'Do not ask; needed for more than one deletion when stdin is not a terminal'
            cand --missing-ok 'A named schedule that does not exist is not an error'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;tail'= {
            cand --bus 'Event bus name or ARN [default: default]'
            cand --source 'Only events of this source'
            cand --detail-type 'Only events of this detail-type'
            cand --user 'Only events whose detail.user is this'
            cand --product 'Only events whose detail.product is this'
            cand --pattern 'An EventBridge event pattern (JSON), combined with the flags above'
            cand --max-events 'Stop after N events (exit 0)'
            cand --timeout 'Stop after this long (exit 124), e.g. 30s, 5m'
            cand --older-than 'With --gc: only what is older than this'
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand --scheduled-only 'Only reminders (detail.scheduled_event = "true")'
            cand --wait-ready 'Announce readiness only once a canary event has gone through the rule and queue'
            cand --gc 'Remove the queues and rules of tails that were killed, instead of tailing'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;fire'= {
            cand --group 'Schedule group [default: default]'
            cand --concurrency 'Schedules fired at once'
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand --due 'Fire every enabled schedule of the group whose at() time has passed'
            cand --keep 'Keep the schedules, even those that delete themselves after firing'
            cand --force 'Fire DISABLED schedules too, and allow --due against AWS itself (where Scheduler fires due schedules by itself, so customers could get a reminder twice)'
            cand --dry-run 'Print the PutEvents request of each schedule, and send nothing'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;setup'= {
            cand --bus 'Event bus name or ARN [default: default]'
            cand --group 'Schedule group [default: default]'
            cand --source 'Source of reminder events, which the consumer''s rule matches [default: putToCartService]'
            cand --name-prefix 'Start of every resource name (letters, digits, - and _) [default: cartctl-<bus>]'
            cand --write-config 'Also write the settings to this file (keys setup sets are replaced, others kept)'
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand --dry-run 'Print what would be created or changed, and change nothing (reads only)'
            cand --template 'Print the same resources as a CloudFormation template (JSON), and send nothing'
            cand --teardown 'Remove what setup made (only resources tagged as its own); needs --yes'
            cand -y 'Confirm --teardown (deleting the group deletes its schedules)'
            cand --yes 'Confirm --teardown (deleting the group deletes its schedules)'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;doctor'= {
            cand --bus 'Event bus name or ARN [default: default]'
            cand --group 'Schedule group [default: default]'
            cand --role-arn 'The role Scheduler assumes'
            cand --dlq-arn 'The reminders'' dead-letter queue'
            cand --source 'Event source [default: putToCartService]'
            cand --detail-type 'Event detail-type; {user} and {product} are replaced by the cart''s ids [default: "item {product} added to Cart"]'
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;dlq'= {
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the dead-letter events without consuming them (they are visible again at once)'
            cand redrive 'Put each failed reminder back on its bus; a message is deleted only once its event was accepted (at most duplicated when an answer is lost, and counted)'
            cand purge 'Delete every message of the dead-letter queue'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cartctl;dlq;list'= {
            cand --dlq-arn 'The reminders'' dead-letter queue'
            cand --limit 'Read at most N messages'
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;dlq;redrive'= {
            cand --dlq-arn 'The reminders'' dead-letter queue'
            cand --limit 'Redrive at most N messages'
            cand --user 'Only this user''s reminders (the others stay in the queue)'
            cand --bus 'Put the events on this bus instead of the one each reminder failed on'
            cand --source 'Event source [default: putToCartService]'
            cand --detail-type 'Event detail-type; {user} and {product} are replaced by the cart''s ids [default: "item {product} added to Cart"]'
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;dlq;purge'= {
            cand --dlq-arn 'The reminders'' dead-letter queue'
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand -y 'Confirm: every message of the queue is deleted'
            cand --yes 'Confirm: every message of the queue is deleted'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;dlq;help'= {
            cand list 'List the dead-letter events without consuming them (they are visible again at once)'
            cand redrive 'Put each failed reminder back on its bus; a message is deleted only once its event was accepted (at most duplicated when an answer is lost, and counted)'
            cand purge 'Delete every message of the dead-letter queue'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cartctl;dlq;help;list'= {
        }
        &'cartctl;dlq;help;redrive'= {
        }
        &'cartctl;dlq;help;purge'= {
        }
        &'cartctl;dlq;help;help'= {
        }
        &'cartctl;completions'= {
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;man'= {
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;config'= {
            cand --profile 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]'
            cand --region 'AWS region [default: AWS_REGION, else the profile''s region]'
            cand --endpoint-url 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]'
            cand -o 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --output 'Output format: text for people, json or ndjson for scripts [default: text]'
            cand --color 'When to colour text output (NO_COLOR turns auto off)'
            cand --max-attempts 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up'
            cand -v 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand --verbose 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked'
            cand -q 'Print only data and errors (no summaries, no progress)'
            cand --quiet 'Print only data and errors (no summaries, no progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cartctl;help'= {
            cand schedule 'Schedule a cart reminder (a one-time schedule that puts the reminder on the bus)'
            cand put-event 'Put an "item added to cart" event on the bus, as the shop''s API does'
            cand list 'List reminders with their user, product and due time'
            cand delete 'Delete reminders: by name, all of a user''s, or all of the group''s'
            cand tail 'Stream events from the bus'
            cand fire 'Publish a schedule''s payload now, as EventBridge Scheduler would when it is due'
            cand setup 'Create what the reminder flow needs in one region, idempotently'
            cand doctor 'Check the account''s set-up: one line per check, with the fix when one fails'
            cand dlq 'The reminders that failed: seen without consuming them, put back without loss, purged'
            cand completions 'Print a shell completion script'
            cand man 'Print the manual page (roff), covering every subcommand'
            cand config 'Show the resolved settings and where each came from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cartctl;help;schedule'= {
        }
        &'cartctl;help;put-event'= {
        }
        &'cartctl;help;list'= {
        }
        &'cartctl;help;delete'= {
        }
        &'cartctl;help;tail'= {
        }
        &'cartctl;help;fire'= {
        }
        &'cartctl;help;setup'= {
        }
        &'cartctl;help;doctor'= {
        }
        &'cartctl;help;dlq'= {
            cand list 'List the dead-letter events without consuming them (they are visible again at once)'
            cand redrive 'Put each failed reminder back on its bus; a message is deleted only once its event was accepted (at most duplicated when an answer is lost, and counted)'
            cand purge 'Delete every message of the dead-letter queue'
        }
        &'cartctl;help;dlq;list'= {
        }
        &'cartctl;help;dlq;redrive'= {
        }
        &'cartctl;help;dlq;purge'= {
        }
        &'cartctl;help;completions'= {
        }
        &'cartctl;help;man'= {
        }
        &'cartctl;help;config'= {
        }
        &'cartctl;help;help'= {
        }
    ]
    $completions[$command]
}
