//! `cartctl worker consumer|mailer`: the Lambda functions' handlers on a long-polled queue.

use serde::Serialize;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

use crate::cli::{ConsumerArgs, MailerArgs, PollArgs, WorkerArgs, WorkerKind};
use crate::render::emf::MetricsSink;
use crate::render::outcome::{ItemLog, Worked, WorkerStopped};
use crate::render::text::{handled_line, mailed_line};
use cartctl_aws::batch::{Message, Timed};
use cartctl_aws::consumer::{Consumer, Handled};
use cartctl_aws::ledger::Ledger;
use cartctl_aws::mailer::{Mailed, Mailer};
use cartctl_aws::record_log::{LogFields, Outcome, log_line};
use cartctl_aws::worker::{WorkerOptions, WorkerReport};
use cartctl_aws::{Error, Result};
use cartctl_core::consumer::ConsumerConfig;
use cartctl_core::due::parse_duration;
use cartctl_core::limits::QueueRef;
use cartctl_core::mail::MailSettings;
use cartctl_core::setting::{self, Setting};

use super::Context;
use crate::exit::Stop;

pub async fn run(args: WorkerArgs, ctx: &Context) -> anyhow::Result<()> {
    match args.kind {
        WorkerKind::Consumer(a) => consumer(a, ctx).await,
        WorkerKind::Mailer(a) => mailer(a, ctx).await,
    }
}

/// Everything is checked before the first request. The settings are resolved by the same
/// resolver as the consumer function's (`ConsumerConfig::resolve`), with the flags on top.
async fn consumer(args: ConsumerArgs, ctx: &Context) -> anyhow::Result<()> {
    let queue = ctx.value(&setting::CARTS_QUEUE, args.queue.as_deref());
    let hint = "give the consumer's queue (setup makes <prefix>-carts and writes carts_queue to cartctl.toml)";
    let options = options(queue, hint, &args.poll)?;
    let sink = MetricsSink::parse(&args.poll.metrics)?;
    let flags: [(&Setting, Option<&str>); 14] = [
        (
            &setting::ATTRIBUTION_WINDOW,
            args.attribution_window.as_deref(),
        ),
        (&setting::LEDGER_TABLE, args.ledger.ledger_table.as_deref()),
        (&setting::RETENTION, args.ledger.retention.as_deref()),
        (&setting::EVENT_BUS, args.bus.bus.as_deref()),
        (&setting::SCHEDULE_GROUP, args.group.group.as_deref()),
        (&setting::SCHEDULER_ROLE_ARN, args.role_arn.as_deref()),
        (&setting::DLQ_ARN, args.dlq_arn.as_deref()),
        (&setting::SOURCE, args.shape.source.as_deref()),
        (&setting::DETAIL_TYPE, args.shape.detail_type.as_deref()),
        (
            &setting::REMOVED_DETAIL_TYPE,
            args.kinds.removed_detail_type.as_deref(),
        ),
        (
            &setting::CHECKOUT_DETAIL_TYPE,
            args.kinds.checkout_detail_type.as_deref(),
        ),
        (&setting::REMIND_AFTER, args.remind_after.as_deref()),
        (&setting::QUIET_HOURS, args.quiet_hours.as_deref()),
        (&setting::TIMEZONE, args.timezone.as_deref()),
    ];
    let config = ConsumerConfig::resolve(ctx.values(&flags))?;
    let ledger = Ledger {
        table: config.ledger_table,
        retention: config.retention,
        attribution_window: config.attribution_window,
    };
    let consumer = ctx
        .session
        .consumer(
            config.settings,
            config.reminders,
            &config.bus,
            (ledger, config.consent),
        )
        .await?;
    let handle = |batch: Vec<Message>| consume(ctx, (&consumer, &sink), batch);
    serve(ctx, &options, handle, |h: &Handled| {
        handled_line(h, ctx.printer.color)
    })
    .await
}

async fn consume(
    ctx: &Context,
    (consumer, sink): (&Consumer, &MetricsSink),
    batch: Vec<Message>,
) -> Vec<Result<Handled>> {
    let results = ctx.session.consume_batch(consumer, &batch).await;
    measured(sink, &batch, results)
}

/// The batch's results, each record's EMF line sent to `sink` first (when it is on).
fn measured<T: LogFields>(
    sink: &MetricsSink,
    batch: &[Message],
    results: Vec<Timed<T>>,
) -> Vec<Result<T>> {
    if !sink.is_on() {
        return Timed::results(results);
    }
    let now = chrono::Utc::now();
    batch
        .iter()
        .zip(results)
        .map(|(m, timed)| {
            let o = Outcome::of(m, timed);
            sink.send(&log_line(None, &o, now));
            o.result
        })
        .collect()
}

/// Everything is checked before the first request: the queue, the sender, the template.
async fn mailer(args: MailerArgs, ctx: &Context) -> anyhow::Result<()> {
    if args.print_template {
        ctx.printer
            .write_raw(cartctl_core::mail::template::BUILTIN.as_bytes())?;
        return Ok(());
    }
    let queue = ctx.value(&setting::EMAIL_QUEUE, args.queue.as_deref());
    let hint = "give the mailer's queue (setup makes <prefix>-email and writes email_queue to cartctl.toml)";
    let options = options(queue, hint, &args.poll)?;
    let sink = MetricsSink::parse(&args.poll.metrics)?;
    let allow = args.allow_no_unsubscribe_link.then_some("true");
    let flags: [(&Setting, Option<&str>); 14] = [
        (&setting::HOLDOUT_PERCENT, args.holdout.as_deref()),
        (&setting::CONSENT, args.consent.as_deref()),
        (&setting::CONTACT_LIST, args.contact_list.as_deref()),
        (&setting::MAIL_TOPIC, args.topic.as_deref()),
        (
            &setting::CONFIGURATION_SET,
            args.configuration_set.as_deref(),
        ),
        (
            &setting::MAIL_POSTAL_ADDRESS,
            args.postal_address.as_deref(),
        ),
        (&setting::ALLOW_NO_UNSUBSCRIBE_LINK, allow),
        (&setting::LEDGER_TABLE, args.ledger.ledger_table.as_deref()),
        (&setting::RETENTION, args.ledger.retention.as_deref()),
        (&setting::COOLDOWN, args.cooldown.as_deref()),
        (&setting::MAIL_FROM, args.mail_from.as_deref()),
        (&setting::RECIPIENT_FIELD, args.recipient_field.as_deref()),
        (&setting::MAIL_TEMPLATE, args.template.as_deref()),
        (
            &setting::MAILER_CONCURRENCY,
            args.mailer_concurrency.as_deref(),
        ),
    ];
    let settings = MailSettings::resolve(ctx.values(&flags), |path| std::fs::read_to_string(path))?;
    let mailer = ctx.session.mailer(settings).await?;
    let handle = |batch: Vec<Message>| mail(ctx, (&mailer, &sink), batch);
    serve(ctx, &options, handle, |m: &Mailed| {
        mailed_line(m, ctx.printer.color)
    })
    .await
}

async fn mail(
    ctx: &Context,
    (mailer, sink): (&Mailer, &MetricsSink),
    batch: Vec<Message>,
) -> Vec<Result<Mailed>> {
    let results = ctx.session.mail_batch(mailer, &batch).await;
    measured(sink, &batch, results)
}

/// Runs a worker until it stops: each message shown as it is handled, then the summary.
async fn serve<T, H, Fut>(
    ctx: &Context,
    options: &WorkerOptions,
    handle: H,
    line: impl Fn(&T) -> String,
) -> anyhow::Result<()>
where
    T: Serialize,
    H: Fn(Vec<Message>) -> Fut,
    Fut: std::future::Future<Output = Vec<Result<T>>>,
{
    let (stop_tx, stop_rx) = watch::channel(false);
    let signalled = listen_for_signals(stop_tx)?;
    let mut log = ItemLog::new(&ctx.printer);
    let report = ctx
        .session
        .work(
            options,
            handle,
            |m, r| show(ctx, m, r, &line, &mut log),
            stop_rx,
        )
        .await?;
    log.end()?;
    finish(ctx, report, signalled.borrow().as_ref().copied())
}

/// `--queue` and the stop conditions, checked.
fn options(queue: Option<String>, hint: &str, args: &PollArgs) -> Result<WorkerOptions> {
    let queue = queue.ok_or_else(|| Error::invalid("--queue", "is not set", hint))?;
    let idle_timeout = args
        .idle_timeout
        .as_deref()
        .map(|d| parse_duration("--idle-timeout", d))
        .transpose()?;
    if idle_timeout.is_some_and(|d| d.as_secs() < 1) {
        return Err(Error::invalid(
            "--idle-timeout",
            "is shorter than a second",
            "give 1s or more (a long poll waits in whole seconds)",
        ));
    }
    if args.max_messages == Some(0) {
        return Err(Error::invalid(
            "--max-messages",
            "is 0",
            "give 1 or more, or leave it out to run until stopped",
        ));
    }
    Ok(WorkerOptions {
        queue: QueueRef::parse("--queue", &queue)?,
        max_messages: args.max_messages,
        idle_timeout,
        pollers: args.concurrency.into(),
    })
}

/// One message's result: a line of text, an NDJSON object, or (for `-o json`) kept for the
/// array written at the end; a failure goes to stderr too in text mode.
fn show<T: Serialize>(
    ctx: &Context,
    m: &Message,
    r: &Result<T>,
    line: &impl Fn(&T) -> String,
    log: &mut ItemLog,
) {
    let worked = Worked {
        id: &m.id,
        result: r.as_ref().map_err(|e| ctx.errors.one_line(e)),
        line,
    };
    if let Err(e) = log.push(&worked) {
        tracing::warn!(error = %e, "could not write a result");
    }
}

/// The summary, and the exit: 130/143 after a signal, 3 if a message failed.
fn finish(ctx: &Context, report: WorkerReport, signalled: Option<Signal>) -> anyhow::Result<()> {
    ctx.printer.item(&WorkerStopped {
        report: &report,
        signal: signalled.map(Signal::name),
    })?;
    match signalled {
        Some(Signal::Int) => Err(Stop::Interrupted.into()),
        Some(Signal::Term) => Err(Stop::SIGTERM.into()),
        None if report.failed > 0 => Err(Error::Partial {
            failed: report.failed,
            total: report.failed + report.handled,
            noun: "messages",
        }
        .into()),
        None => Ok(()),
    }
}

/// The signal that stopped the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    Int,
    Term,
}

impl Signal {
    fn name(self) -> &'static str {
        match self {
            Signal::Int => "SIGINT",
            Signal::Term => "SIGTERM",
        }
    }
}

/// On SIGINT or SIGTERM, tells the worker to stop (it finishes what is in flight); the
/// receiver says which signal came.
fn listen_for_signals(stop: watch::Sender<bool>) -> Result<watch::Receiver<Option<Signal>>> {
    let io = |e: std::io::Error| Error::Io {
        context: "installing signal handlers".into(),
        source: e,
    };
    let mut int = signal(SignalKind::interrupt()).map_err(io)?;
    let mut term = signal(SignalKind::terminate()).map_err(io)?;
    let (tx, rx) = watch::channel(None);
    tokio::spawn(async move {
        let which = tokio::select! {
            _ = int.recv() => Signal::Int,
            _ = term.recv() => Signal::Term,
        };
        tx.send_replace(Some(which));
        stop.send_replace(true);
    });
    Ok(rx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{OutputFormat, Printer};
    use cartctl_aws::mailer::Mailing;

    fn context(format: OutputFormat) -> (Context, impl Fn() -> (String, String)) {
        let session = cartctl_aws::Session::new(Default::default(), Default::default());
        let mut ctx = Context::new(session);
        let (printer, out, err) = Printer::captured(format);
        ctx.printer = printer;
        let read = move || {
            let text =
                |b: &crate::render::Buffer| String::from_utf8(b.lock().unwrap().clone()).unwrap();
            (text(&out), text(&err))
        };
        (ctx, read)
    }

    fn sent() -> Mailed {
        Mailed {
            event_id: "e-1".into(),
            user: "alice".into(),
            product: "sku-1".into(),
            stage: Some(1),
            to: "alice@example.com".into(),
            subject: "Your cart".into(),
            status: Mailing::Sent,
            reason: None,
            message_id: Some("ses-1".into()),
        }
    }

    #[test]
    fn a_record_is_a_line_on_stdout_and_a_failure_an_error_on_stderr() {
        let (ctx, read) = context(OutputFormat::Text);
        let m = |id: &str| Message {
            id: id.into(),
            body: String::new(),
        };
        let line = |h: &Mailed| format!("{} {}", h.to, h.subject);
        let mut log = ItemLog::new(&ctx.printer);
        show(&ctx, &m("m-1"), &Ok(sent()), &line, &mut log);
        let failed: Result<Mailed> = Err(Error::TimedOut("slow".into()));
        show(&ctx, &m("m-2"), &failed, &line, &mut log);
        log.end().unwrap();
        let (out, err) = read();
        assert_eq!(out, "alice@example.com Your cart\n");
        assert_eq!(
            err,
            "error: message m-2: slow (left in the queue for a retry)\n"
        );
    }

    #[test]
    fn ndjson_puts_the_message_id_and_the_failure_in_the_object() {
        let (ctx, read) = context(OutputFormat::Ndjson);
        let m = Message {
            id: "m-2".into(),
            body: String::new(),
        };
        let failed: Result<Mailed> = Err(Error::TimedOut("slow".into()));
        let mut log = ItemLog::new(&ctx.printer);
        show(&ctx, &m, &failed, &|_: &Mailed| String::new(), &mut log);
        let (out, err) = read();
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(
            (
                v["message_id"].as_str(),
                v["status"].as_str(),
                v["error"].as_str()
            ),
            (Some("m-2"), Some("failed"), Some("slow"))
        );
        assert_eq!(err, "");
    }
}
