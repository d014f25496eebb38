
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'cartctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'cartctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'cartctl' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Schedule a cart reminder (a one-time schedule that puts the reminder on the bus)')
            [CompletionResult]::new('put-event', 'put-event', [CompletionResultType]::ParameterValue, 'Put a cart event on the bus, as the shop''s API does: an item added (the default), an item removed, or a checkout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List reminders with their user, product and due time')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete reminders: by name, all of a user''s, or all of the group''s')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Stream events from the bus')
            [CompletionResult]::new('fire', 'fire', [CompletionResultType]::ParameterValue, 'Publish a schedule''s payload now, as EventBridge Scheduler would when it is due')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Create what the reminder flow needs in one region, idempotently')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the account''s set-up: one line per check, with the fix when one fails')
            [CompletionResult]::new('dlq', 'dlq', [CompletionResultType]::ParameterValue, 'The reminders that failed: seen without consuming them, put back without loss, purged')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'What CloudWatch counted for the reminder flow, with a one-line verdict')
            [CompletionResult]::new('match', 'match', [CompletionResultType]::ParameterValue, 'Whether an event matches an EventBridge pattern, offline; or which rules of a bus it matches')
            [CompletionResult]::new('worker', 'worker', [CompletionResultType]::ParameterValue, 'Run the consumer or the mailer against its queue, as their Lambda functions do')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Erase a customer: their cart ledger items and pending reminders, item by item')
            [CompletionResult]::new('contacts', 'contacts', [CompletionResultType]::ParameterValue, 'Look up or change a customer''s subscription to the cart reminders')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Does it pay: carts, reminders, e-mails, checkouts recovered and their value, from the ledger')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (roff), covering every subcommand')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the resolved settings and where each came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cartctl;schedule' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user who added the product to the cart')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'The product added to the cart')
            [CompletionResult]::new('--in', '--in', [CompletionResultType]::ParameterName, 'Due after this long from now: 1d, 90m, "1h 30m". Give it more than once (or a comma-separated list: 30m,4h,1d) for follow-ups in stages, one reminder each')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Due at this time: RFC 3339 with an offset, or a local YYYY-MM-DDTHH:MM[:SS] in --timezone')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA time zone of the schedule expression (and of a local --at time and of --quiet-hours) [default: UTC]')
            [CompletionResult]::new('--quiet-hours', '--quiet-hours', [CompletionResultType]::ParameterName, 'Never due in this daily window (HH:MM-HH:MM, on the --timezone clock): a due time inside it moves to its end, such as 21:00-08:00')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Schedule name [default: derived from user and product]')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Schedule group [default: default]')
            [CompletionResult]::new('--bus', '--bus', [CompletionResultType]::ParameterName, 'Event bus name or ARN [default: default]')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'IAM role EventBridge Scheduler assumes to put the event (needs events:PutEvents on the bus)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Event source [default: putToCartService]')
            [CompletionResult]::new('--detail-type', '--detail-type', [CompletionResultType]::ParameterName, 'Event detail-type; {user} and {product} are replaced by the cart''s ids [default: "item {product} added to Cart"]')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Schedule description (at most 512 characters)')
            [CompletionResult]::new('--flexible-window', '--flexible-window', [CompletionResultType]::ParameterName, 'Let Scheduler fire within this window after the due time (1m to 24h) [default: off]')
            [CompletionResult]::new('--max-retries', '--max-retries', [CompletionResultType]::ParameterName, 'Delivery retries by Scheduler (0 to 185) [AWS default: 185]')
            [CompletionResult]::new('--max-event-age', '--max-event-age', [CompletionResultType]::ParameterName, 'How long Scheduler keeps retrying (60s to 24h) [AWS default: 24h]')
            [CompletionResult]::new('--dlq-arn', '--dlq-arn', [CompletionResultType]::ParameterName, 'SQS queue for reminders that could not be delivered')
            [CompletionResult]::new('--client-token', '--client-token', [CompletionResultType]::ParameterName, 'Idempotency token for CreateSchedule [default: derived from the request]')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'When a different schedule of that name exists: fail (exit 5), skip it, or replace it')
            [CompletionResult]::new('--detail', '--detail', [CompletionResultType]::ParameterName, 'More keys for the reminder''s input, as a JSON object (after scheduled_event, user and product); with --file, for every line without its own detail')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read many lines from a file (- for stdin); flags given too are defaults for every line')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Format of --file [default: from the extension: .ndjson/.jsonl/.json or .csv]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Most requests in flight at once with --file: the controller finds the right number up to this cap [default: 256]; with --fixed, exactly this many [default: 16]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('--keep-after-completion', '--keep-after-completion', [CompletionResultType]::ParameterName, 'Keep the schedule after it fired [default: it deletes itself]')
            [CompletionResult]::new('--disabled', '--disabled', [CompletionResultType]::ParameterName, 'Create the schedule disabled')
            [CompletionResult]::new('--restart', '--restart', [CompletionResultType]::ParameterName, 'Restart the clock: the due time counts from now even when the reminder exists; one due at another time is moved in one UpdateSchedule (status rescheduled). With --file, for every line')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the CreateSchedule request (the shape `aws scheduler create-schedule --cli-input-json` takes) and send nothing')
            [CompletionResult]::new('--fixed', '--fixed', [CompletionResultType]::ParameterName, 'Keep the number of requests in flight fixed at --concurrency instead of adapting it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;put-event' {
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Which cart event: add, remove or checkout')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user whose cart it is')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'The product added or removed (required for add and remove, refused for checkout)')
            [CompletionResult]::new('--detail', '--detail', [CompletionResultType]::ParameterName, 'More detail keys, as a JSON object')
            [CompletionResult]::new('--bus', '--bus', [CompletionResultType]::ParameterName, 'Event bus name or ARN [default: default]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Event source [default: putToCartService]')
            [CompletionResult]::new('--detail-type', '--detail-type', [CompletionResultType]::ParameterName, 'Event detail-type; {user} and {product} are replaced by the cart''s ids [default: "item {product} added to Cart"]')
            [CompletionResult]::new('--removed-detail-type', '--removed-detail-type', [CompletionResultType]::ParameterName, 'Detail-type of an item removed from a cart; {user} and {product} are replaced [default: "item {product} removed from Cart"]')
            [CompletionResult]::new('--checkout-detail-type', '--checkout-detail-type', [CompletionResultType]::ParameterName, 'Detail-type of a checked-out cart; {user} is replaced [default: "cart checked out"]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read many lines from a file (- for stdin); flags given too are defaults for every line')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Format of --file [default: from the extension: .ndjson/.jsonl/.json or .csv]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Most requests in flight at once with --file: the controller finds the right number up to this cap [default: 256]; with --fixed, exactly this many [default: 16]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the PutEvents request (the shape `aws events put-events --cli-input-json` takes) and send nothing')
            [CompletionResult]::new('--fixed', '--fixed', [CompletionResultType]::ParameterName, 'Keep the number of requests in flight fixed at --concurrency instead of adapting it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;list' {
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Schedule group [default: default]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s reminders (narrowed on the server by name prefix)')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Only reminders of this product')
            [CompletionResult]::new('--due-before', '--due-before', [CompletionResultType]::ParameterName, 'Only reminders due before this time (RFC 3339, or a duration from now such as 2h)')
            [CompletionResult]::new('--due-after', '--due-after', [CompletionResultType]::ParameterName, 'Only reminders due after this time (RFC 3339, or a duration from now)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Only schedules in this state')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most N rows (the N due first, or the first N read with --unsorted)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'GetSchedule calls in flight at once')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('--overdue', '--overdue', [CompletionResultType]::ParameterName, 'Only reminders whose due time has passed')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also list schedules cartctl did not create')
            [CompletionResult]::new('--unsorted', '--unsorted', [CompletionResultType]::ParameterName, 'Print rows as they are read, unsorted, with bounded memory (with -o ndjson)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;delete' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Delete this user''s reminders')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'With --user: only the reminder of this product')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Delete what each line names (- for stdin): NDJSON {"name"} or {"user"[, "product"]}, or a CSV with those columns. Needs --yes (or --dry-run)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Format of --file [default: from the extension: .ndjson/.jsonl/.json or .csv]')
            [CompletionResult]::new('--due-before', '--due-before', [CompletionResultType]::ParameterName, 'Only reminders due before this time (RFC 3339, or a duration from now such as 2h)')
            [CompletionResult]::new('--due-after', '--due-after', [CompletionResultType]::ParameterName, 'Only reminders due after this time (RFC 3339, or a duration from now)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Only schedules in this state')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Schedule group [default: default]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Deletions in flight at once')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Delete every cartctl reminder of the group')
            [CompletionResult]::new('--overdue', '--overdue', [CompletionResultType]::ParameterName, 'Only reminders whose due time has passed')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be deleted, and delete nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask; needed for more than one deletion when stdin is not a terminal')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask; needed for more than one deletion when stdin is not a terminal')
            [CompletionResult]::new('--missing-ok', '--missing-ok', [CompletionResultType]::ParameterName, 'A named schedule that does not exist is not an error')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;tail' {
            [CompletionResult]::new('--bus', '--bus', [CompletionResultType]::ParameterName, 'Event bus name or ARN [default: default]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Only events of this source')
            [CompletionResult]::new('--detail-type', '--detail-type', [CompletionResultType]::ParameterName, 'Only events of this detail-type')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events whose detail.user is this')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Only events whose detail.product is this')
            [CompletionResult]::new('--pattern', '--pattern', [CompletionResultType]::ParameterName, 'An EventBridge event pattern (JSON), combined with the flags above')
            [CompletionResult]::new('--max-events', '--max-events', [CompletionResultType]::ParameterName, 'Stop after N events (exit 0)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop after this long (exit 124), e.g. 30s, 5m')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'With --gc: only what is older than this')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('--scheduled-only', '--scheduled-only', [CompletionResultType]::ParameterName, 'Only reminders (detail.scheduled_event = "true")')
            [CompletionResult]::new('--wait-ready', '--wait-ready', [CompletionResultType]::ParameterName, 'Announce readiness only once a canary event has gone through the rule and queue')
            [CompletionResult]::new('--mail-events', '--mail-events', [CompletionResultType]::ParameterName, 'Show SES''s events about the reminders instead (bounces, complaints, deliveries): SES publishes them to the default bus, for the configuration set setup made')
            [CompletionResult]::new('--gc', '--gc', [CompletionResultType]::ParameterName, 'Remove the queues and rules of tails that were killed, instead of tailing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;fire' {
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Schedule group [default: default]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Schedules fired at once')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('--due', '--due', [CompletionResultType]::ParameterName, 'Fire every enabled schedule of the group whose at() time has passed')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the schedules, even those that delete themselves after firing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Fire DISABLED schedules too, and allow --due against AWS itself (where Scheduler fires due schedules by itself, so customers could get a reminder twice)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the PutEvents request of each schedule, and send nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;setup' {
            [CompletionResult]::new('--bus', '--bus', [CompletionResultType]::ParameterName, 'Event bus name or ARN [default: default]')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Schedule group [default: default]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Source of reminder events, which the consumer''s rule matches [default: putToCartService]')
            [CompletionResult]::new('--detail-type', '--detail-type', [CompletionResultType]::ParameterName, 'Detail-type of add-to-cart events (and reminders), which the carts rule matches [default: "item {product} added to Cart"]')
            [CompletionResult]::new('--removed-detail-type', '--removed-detail-type', [CompletionResultType]::ParameterName, 'Detail-type of an item removed from a cart; {user} and {product} are replaced [default: "item {product} removed from Cart"]')
            [CompletionResult]::new('--checkout-detail-type', '--checkout-detail-type', [CompletionResultType]::ParameterName, 'Detail-type of a checked-out cart; {user} is replaced [default: "cart checked out"]')
            [CompletionResult]::new('--name-prefix', '--name-prefix', [CompletionResultType]::ParameterName, 'Start of every resource name (letters, digits, - and _) [default: cartctl-<bus>]')
            [CompletionResult]::new('--mail-from', '--mail-from', [CompletionResultType]::ParameterName, 'Make (or find) the sender''s SES email identity and write mail_from (an address: SES e-mails it a link to verify it); with it, the contact list, the suppression list and the configuration set (see Mail)')
            [CompletionResult]::new('--postal-address', '--postal-address', [CompletionResultType]::ParameterName, 'The shop''s postal address, shown in every reminder e-mail (CAN-SPAM); required with --mail-from')
            [CompletionResult]::new('--consent', '--consent', [CompletionResultType]::ParameterName, 'Who is e-mailed: implied (everyone but who unsubscribed: CAN-SPAM''s opt-out, a shop''s "anyone who abandons a checkout") or required (only who consented: the EU''s and UK''s rules). Sets the topic''s default subscription [default: implied]')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'The contact list''s topic of cart reminders [default: cart-reminders]')
            [CompletionResult]::new('--topic-display-name', '--topic-display-name', [CompletionResultType]::ParameterName, 'The topic''s name on SES''s unsubscribe page')
            [CompletionResult]::new('--topic-description', '--topic-description', [CompletionResultType]::ParameterName, 'What the topic is about, on SES''s unsubscribe page')
            [CompletionResult]::new('--contact-list', '--contact-list', [CompletionResultType]::ParameterName, 'The account''s contact list [default: the one the account has, else <prefix>-contacts]')
            [CompletionResult]::new('--api-auth', '--api-auth', [CompletionResultType]::ParameterName, 'Who may call the API: iam (SigV4-signed, the default), jwt (with --api-jwt-issuer), or none (anyone: then anyone can make the shop e-mail any address)')
            [CompletionResult]::new('--api-jwt-issuer', '--api-jwt-issuer', [CompletionResultType]::ParameterName, 'The JWT issuer (https URL) the API accepts tokens of (implies --api-auth jwt)')
            [CompletionResult]::new('--api-jwt-audience', '--api-jwt-audience', [CompletionResultType]::ParameterName, 'An audience (client id) the JWTs must name; repeat or separate with commas')
            [CompletionResult]::new('--api-rate-limit', '--api-rate-limit', [CompletionResultType]::ParameterName, 'Requests a second the API''s stage admits (steady rate)')
            [CompletionResult]::new('--api-burst-limit', '--api-burst-limit', [CompletionResultType]::ParameterName, 'Requests the API''s stage admits at once (burst)')
            [CompletionResult]::new('--functions', '--functions', [CompletionResultType]::ParameterName, 'Also deploy the consumer and mailer Lambda functions from DIR (scripts/build-lambdas'' output: DIR/<arch>/{consumer,mailer}/bootstrap.zip, or DIR/{consumer,mailer}/bootstrap.zip), each with its own role and an SQS event source mapping; needs a sender (--mail-from or mail_from). With --template, DIR is not read: the code comes from S3 parameters')
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'The functions'' architecture: arm64 (Graviton, the default) or x86_64')
            [CompletionResult]::new('--mailer-concurrency', '--mailer-concurrency', [CompletionResultType]::ParameterName, 'Batches of the mailer function at once (its mapping''s maximum concurrency, 2 to 1000): each paces its sends to the account''s SES send rate divided by this')
            [CompletionResult]::new('--holdout', '--holdout', [CompletionResultType]::ParameterName, 'The share of customers (0 to 100) the mailer function holds out: their reminders are counted, never e-mailed, so `cartctl report` measures the uplift [default: 0]')
            [CompletionResult]::new('--attribution-window', '--attribution-window', [CompletionResultType]::ParameterName, 'A checkout this long after a reminder counts as recovered by it (the consumer function''s) [default: 7d]')
            [CompletionResult]::new('--log-retention', '--log-retention', [CompletionResultType]::ParameterName, 'Days the functions'' logs and the API''s access log are kept (a CloudWatch Logs retention: 1, 3, 5, 7, 14, 30, 60, 90 ... 3653)')
            [CompletionResult]::new('--write-config', '--write-config', [CompletionResultType]::ParameterName, 'Also write the settings to this file (keys setup sets are replaced, others kept)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Also make the shop''s HTTP API <prefix>-api: POST /cart, /cart/remove and /cart/checkout put the body as a cart event on the bus (EventBridge-PutEvents integration); writes api_url')
            [CompletionResult]::new('--keep-logs', '--keep-logs', [CompletionResultType]::ParameterName, 'With --teardown: keep the log groups setup made (the functions'' and the API''s)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be created or changed, and change nothing (reads only)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Print the same resources as a CloudFormation template (JSON), and send nothing')
            [CompletionResult]::new('--teardown', '--teardown', [CompletionResultType]::ParameterName, 'Remove what setup made (only resources tagged as its own); needs --yes')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm --teardown (deleting the group deletes its schedules)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm --teardown (deleting the group deletes its schedules)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;doctor' {
            [CompletionResult]::new('--bus', '--bus', [CompletionResultType]::ParameterName, 'Event bus name or ARN [default: default]')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Schedule group [default: default]')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'The role Scheduler assumes')
            [CompletionResult]::new('--dlq-arn', '--dlq-arn', [CompletionResultType]::ParameterName, 'The reminders'' dead-letter queue')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Event source [default: putToCartService]')
            [CompletionResult]::new('--detail-type', '--detail-type', [CompletionResultType]::ParameterName, 'Event detail-type; {user} and {product} are replaced by the cart''s ids [default: "item {product} added to Cart"]')
            [CompletionResult]::new('--mail-from', '--mail-from', [CompletionResultType]::ParameterName, 'The mailer''s sender, whose SES identity is checked')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;dlq' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the dead-letter events without consuming them (they are visible again at once)')
            [CompletionResult]::new('redrive', 'redrive', [CompletionResultType]::ParameterValue, 'Put each failed reminder back on its bus; a message is deleted only once its event was accepted (at most duplicated when an answer is lost, and counted)')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete every message of the dead-letter queue')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cartctl;dlq;list' {
            [CompletionResult]::new('--dlq-arn', '--dlq-arn', [CompletionResultType]::ParameterName, 'The reminders'' dead-letter queue')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Read at most N messages')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;dlq;redrive' {
            [CompletionResult]::new('--dlq-arn', '--dlq-arn', [CompletionResultType]::ParameterName, 'The reminders'' dead-letter queue')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Redrive at most N messages')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s reminders (the others stay in the queue)')
            [CompletionResult]::new('--bus', '--bus', [CompletionResultType]::ParameterName, 'Put the events on this bus instead of the one each reminder failed on')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Event source [default: putToCartService]')
            [CompletionResult]::new('--detail-type', '--detail-type', [CompletionResultType]::ParameterName, 'Event detail-type; {user} and {product} are replaced by the cart''s ids [default: "item {product} added to Cart"]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;dlq;purge' {
            [CompletionResult]::new('--dlq-arn', '--dlq-arn', [CompletionResultType]::ParameterName, 'The reminders'' dead-letter queue')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm: every message of the queue is deleted')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm: every message of the queue is deleted')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;dlq;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the dead-letter events without consuming them (they are visible again at once)')
            [CompletionResult]::new('redrive', 'redrive', [CompletionResultType]::ParameterValue, 'Put each failed reminder back on its bus; a message is deleted only once its event was accepted (at most duplicated when an answer is lost, and counted)')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete every message of the dead-letter queue')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cartctl;dlq;help;list' {
            break
        }
        'cartctl;dlq;help;redrive' {
            break
        }
        'cartctl;dlq;help;purge' {
            break
        }
        'cartctl;dlq;help;help' {
            break
        }
        'cartctl;stats' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'The window: from this long ago until now')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Schedule group [default: default]')
            [CompletionResult]::new('--bus', '--bus', [CompletionResultType]::ParameterName, 'Event bus name or ARN [default: default]')
            [CompletionResult]::new('--rule', '--rule', [CompletionResultType]::ParameterName, 'The e-mail rule [default: <prefix>-reminders, as `setup` names it]')
            [CompletionResult]::new('--name-prefix', '--name-prefix', [CompletionResultType]::ParameterName, 'The name prefix `setup` was given, for the default rule [default: cartctl-<bus>]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;match' {
            [CompletionResult]::new('--pattern', '--pattern', [CompletionResultType]::ParameterName, 'The pattern: JSON, or @FILE (@- reads stdin)')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'The event: JSON, or @FILE (@- reads stdin)')
            [CompletionResult]::new('--bus', '--bus', [CompletionResultType]::ParameterName, 'Instead of --pattern: the rules of this bus (name or ARN)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;worker' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('consumer', 'consumer', [CompletionResultType]::ParameterValue, 'Turn the shop''s cart events into reminders: long-poll the carts queue, as the consumer Lambda does')
            [CompletionResult]::new('mailer', 'mailer', [CompletionResultType]::ParameterValue, 'Send each fired reminder as an e-mail with SES: long-poll the e-mail queue, as the mailer Lambda does')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cartctl;worker;consumer' {
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'The consumer''s queue, by name or URL (setup makes <prefix>-carts and writes carts_queue)')
            [CompletionResult]::new('--max-messages', '--max-messages', [CompletionResultType]::ParameterName, 'Stop after this many messages (handled or failed)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Stop after this long without a message (1s or more)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Batches of up to 10 messages in flight at once')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Where each record''s CloudWatch Embedded Metric Format line goes, as the functions log it: off, stderr, or the CloudWatch agent''s EMF listener (udp://127.0.0.1:25888, tcp://HOST:PORT)')
            [CompletionResult]::new('--ledger-table', '--ledger-table', [CompletionResultType]::ParameterName, 'The cart ledger''s DynamoDB table (setup makes <prefix>-carts and writes ledger_table)')
            [CompletionResult]::new('--retention', '--retention', [CompletionResultType]::ParameterName, 'How long the ledger keeps a cart after its last stage is due [default: 30d]')
            [CompletionResult]::new('--remind-after', '--remind-after', [CompletionResultType]::ParameterName, 'Delay from the add-to-cart event to its reminder; a list (30m,4h,1d) makes stages [default: 1d]')
            [CompletionResult]::new('--quiet-hours', '--quiet-hours', [CompletionResultType]::ParameterName, 'Never due in this daily window (HH:MM-HH:MM on the customer''s clock: the event detail''s timezone, else --timezone), such as 21:00-08:00')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'The customers'' IANA time zone when an event''s detail has no timezone [default: UTC]')
            [CompletionResult]::new('--attribution-window', '--attribution-window', [CompletionResultType]::ParameterName, 'A checkout this long after a reminder counts as recovered by it (`cartctl report`) [default: 7d]')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Schedule group [default: default]')
            [CompletionResult]::new('--bus', '--bus', [CompletionResultType]::ParameterName, 'Event bus name or ARN [default: default]')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'IAM role EventBridge Scheduler assumes to put the reminder')
            [CompletionResult]::new('--dlq-arn', '--dlq-arn', [CompletionResultType]::ParameterName, 'SQS queue for reminders that could not be delivered')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Event source [default: putToCartService]')
            [CompletionResult]::new('--detail-type', '--detail-type', [CompletionResultType]::ParameterName, 'Event detail-type; {user} and {product} are replaced by the cart''s ids [default: "item {product} added to Cart"]')
            [CompletionResult]::new('--removed-detail-type', '--removed-detail-type', [CompletionResultType]::ParameterName, 'Detail-type of an item removed from a cart; {user} and {product} are replaced [default: "item {product} removed from Cart"]')
            [CompletionResult]::new('--checkout-detail-type', '--checkout-detail-type', [CompletionResultType]::ParameterName, 'Detail-type of a checked-out cart; {user} is replaced [default: "cart checked out"]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;worker;mailer' {
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'The mailer''s queue, by name or URL (setup makes <prefix>-email and writes email_queue)')
            [CompletionResult]::new('--max-messages', '--max-messages', [CompletionResultType]::ParameterName, 'Stop after this many messages (handled or failed)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Stop after this long without a message (1s or more)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Batches of up to 10 messages in flight at once')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Where each record''s CloudWatch Embedded Metric Format line goes, as the functions log it: off, stderr, or the CloudWatch agent''s EMF listener (udp://127.0.0.1:25888, tcp://HOST:PORT)')
            [CompletionResult]::new('--mail-from', '--mail-from', [CompletionResultType]::ParameterName, 'The sender: an address with an SES identity, or "Name <address>" (setup --mail-from writes mail_from)')
            [CompletionResult]::new('--recipient-field', '--recipient-field', [CompletionResultType]::ParameterName, 'The reminder key that holds the customer''s address [default: email]')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'The e-mail template: a TOML file with subject, text and html [default: built in]')
            [CompletionResult]::new('--mailer-concurrency', '--mailer-concurrency', [CompletionResultType]::ParameterName, 'Mailers sending at once on the account (this one included): each paces its sends to the account''s SES send rate divided by this [default: 1]')
            [CompletionResult]::new('--cooldown', '--cooldown', [CompletionResultType]::ParameterName, 'At most one reminder e-mail per customer within this, across carts (0: no limit) [default: 24h]')
            [CompletionResult]::new('--ledger-table', '--ledger-table', [CompletionResultType]::ParameterName, 'The cart ledger''s DynamoDB table (setup makes <prefix>-carts and writes ledger_table)')
            [CompletionResult]::new('--retention', '--retention', [CompletionResultType]::ParameterName, 'How long the ledger keeps a cart after its last stage is due [default: 30d]')
            [CompletionResult]::new('--consent', '--consent', [CompletionResultType]::ParameterName, 'Who is e-mailed: implied (everyone but who unsubscribed: CAN-SPAM''s opt-out) or required (only who consented: the EU''s and UK''s rules) [default: implied]')
            [CompletionResult]::new('--postal-address', '--postal-address', [CompletionResultType]::ParameterName, 'The shop''s postal address, shown in every e-mail (setup --postal-address writes it)')
            [CompletionResult]::new('--contact-list', '--contact-list', [CompletionResultType]::ParameterName, 'The account''s SES contact list, whose topic every reminder is sent under (setup writes contact_list)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'The contact list''s topic of cart reminders [default: cart-reminders]')
            [CompletionResult]::new('--configuration-set', '--configuration-set', [CompletionResultType]::ParameterName, 'The SES configuration set reminders go through, whose events come back to the consumer (setup makes <prefix>-mail and writes configuration_set)')
            [CompletionResult]::new('--holdout', '--holdout', [CompletionResultType]::ParameterName, 'The share of customers (0 to 100) in the holdout group: their reminders are counted, never e-mailed, so `cartctl report` can measure the uplift [default: 0]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('--allow-no-unsubscribe-link', '--allow-no-unsubscribe-link', [CompletionResultType]::ParameterName, 'Accept a template without {{ unsubscribe_url }} (only where the law allows it: the e-mails still carry SES''s one-click unsubscribe headers)')
            [CompletionResult]::new('--print-template', '--print-template', [CompletionResultType]::ParameterName, 'Print the built-in template and exit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;worker;help' {
            [CompletionResult]::new('consumer', 'consumer', [CompletionResultType]::ParameterValue, 'Turn the shop''s cart events into reminders: long-poll the carts queue, as the consumer Lambda does')
            [CompletionResult]::new('mailer', 'mailer', [CompletionResultType]::ParameterValue, 'Send each fired reminder as an e-mail with SES: long-poll the e-mail queue, as the mailer Lambda does')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cartctl;worker;help;consumer' {
            break
        }
        'cartctl;worker;help;mailer' {
            break
        }
        'cartctl;worker;help;help' {
            break
        }
        'cartctl;forget' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The customer''s user id')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Schedule group [default: default]')
            [CompletionResult]::new('--ledger-table', '--ledger-table', [CompletionResultType]::ParameterName, 'The cart ledger''s DynamoDB table (setup writes ledger_table)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Erase without asking')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Erase without asking')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List what would be erased, and erase nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;contacts' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The customer''s user id: their address is read from the cart ledger')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'The customer''s address')
            [CompletionResult]::new('--contact-list', '--contact-list', [CompletionResultType]::ParameterName, 'The account''s contact list (setup writes contact_list)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'The reminders'' topic [default: cart-reminders]')
            [CompletionResult]::new('--consent', '--consent', [CompletionResultType]::ParameterName, 'The consent regime the answer of `get` follows [default: implied]')
            [CompletionResult]::new('--ledger-table', '--ledger-table', [CompletionResultType]::ParameterName, 'The cart ledger''s DynamoDB table, for --user (setup writes ledger_table)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;report' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Count what happened within this long before now [default: 30d]')
            [CompletionResult]::new('--ledger-table', '--ledger-table', [CompletionResultType]::ParameterName, 'The cart ledger''s DynamoDB table (setup writes ledger_table)')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Also write the report as one self-contained HTML page (inline SVG charts: the funnel, recoveries by day and by stage; nothing fetched from the network)')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Items each Scan request reads at most (1 to 1000; DynamoDB stops a page at 1 MB anyway): smaller pages spread the read units of a provisioned table over more, smaller requests [default: up to 1 MB a page]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;completions' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;man' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;config' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region [default: AWS_REGION, else the profile''s region]')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json or ndjson for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR turns auto off)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request when it fails with a retryable error (a 5xx, a lost connection), with backoff and jitter; throttling slows the run down without using them up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors (no summaries, no progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cartctl;help' {
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Schedule a cart reminder (a one-time schedule that puts the reminder on the bus)')
            [CompletionResult]::new('put-event', 'put-event', [CompletionResultType]::ParameterValue, 'Put a cart event on the bus, as the shop''s API does: an item added (the default), an item removed, or a checkout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List reminders with their user, product and due time')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete reminders: by name, all of a user''s, or all of the group''s')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Stream events from the bus')
            [CompletionResult]::new('fire', 'fire', [CompletionResultType]::ParameterValue, 'Publish a schedule''s payload now, as EventBridge Scheduler would when it is due')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Create what the reminder flow needs in one region, idempotently')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the account''s set-up: one line per check, with the fix when one fails')
            [CompletionResult]::new('dlq', 'dlq', [CompletionResultType]::ParameterValue, 'The reminders that failed: seen without consuming them, put back without loss, purged')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'What CloudWatch counted for the reminder flow, with a one-line verdict')
            [CompletionResult]::new('match', 'match', [CompletionResultType]::ParameterValue, 'Whether an event matches an EventBridge pattern, offline; or which rules of a bus it matches')
            [CompletionResult]::new('worker', 'worker', [CompletionResultType]::ParameterValue, 'Run the consumer or the mailer against its queue, as their Lambda functions do')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Erase a customer: their cart ledger items and pending reminders, item by item')
            [CompletionResult]::new('contacts', 'contacts', [CompletionResultType]::ParameterValue, 'Look up or change a customer''s subscription to the cart reminders')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Does it pay: carts, reminders, e-mails, checkouts recovered and their value, from the ledger')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (roff), covering every subcommand')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the resolved settings and where each came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cartctl;help;schedule' {
            break
        }
        'cartctl;help;put-event' {
            break
        }
        'cartctl;help;list' {
            break
        }
        'cartctl;help;delete' {
            break
        }
        'cartctl;help;tail' {
            break
        }
        'cartctl;help;fire' {
            break
        }
        'cartctl;help;setup' {
            break
        }
        'cartctl;help;doctor' {
            break
        }
        'cartctl;help;dlq' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the dead-letter events without consuming them (they are visible again at once)')
            [CompletionResult]::new('redrive', 'redrive', [CompletionResultType]::ParameterValue, 'Put each failed reminder back on its bus; a message is deleted only once its event was accepted (at most duplicated when an answer is lost, and counted)')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete every message of the dead-letter queue')
            break
        }
        'cartctl;help;dlq;list' {
            break
        }
        'cartctl;help;dlq;redrive' {
            break
        }
        'cartctl;help;dlq;purge' {
            break
        }
        'cartctl;help;stats' {
            break
        }
        'cartctl;help;match' {
            break
        }
        'cartctl;help;worker' {
            [CompletionResult]::new('consumer', 'consumer', [CompletionResultType]::ParameterValue, 'Turn the shop''s cart events into reminders: long-poll the carts queue, as the consumer Lambda does')
            [CompletionResult]::new('mailer', 'mailer', [CompletionResultType]::ParameterValue, 'Send each fired reminder as an e-mail with SES: long-poll the e-mail queue, as the mailer Lambda does')
            break
        }
        'cartctl;help;worker;consumer' {
            break
        }
        'cartctl;help;worker;mailer' {
            break
        }
        'cartctl;help;forget' {
            break
        }
        'cartctl;help;contacts' {
            break
        }
        'cartctl;help;report' {
            break
        }
        'cartctl;help;completions' {
            break
        }
        'cartctl;help;man' {
            break
        }
        'cartctl;help;config' {
            break
        }
        'cartctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
