//! `cartctl worker consumer`: the consumer Lambda's handler on a long-polled queue.

use serde_json::{Value, json};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

use crate::cli::{ConsumerArgs, WorkerArgs, WorkerKind};
use crate::render::text::handled_line;
use crate::render::{OutputFormat, Style, paint};
use cartctl_aws::consumer::{Consumer, Handled, Message};
use cartctl_aws::worker::{Stopped, WorkerOptions, WorkerReport};
use cartctl_aws::{Error, Result};
use cartctl_core::bus::BusRef;
use cartctl_core::consumer::ConsumerSettings;
use cartctl_core::due::parse_duration;
use cartctl_core::limits::QueueRef;
use cartctl_core::reminder::{RawReminderSettings, ReminderSettings};

use super::Context;

pub async fn run(args: WorkerArgs, ctx: &Context) -> Result<()> {
    match args.kind {
        WorkerKind::Consumer(a) => consumer(a, ctx).await,
    }
}

/// Everything is checked before the first request.
async fn consumer(args: ConsumerArgs, ctx: &Context) -> Result<()> {
    let options = options(&args, ctx)?;
    let (source, detail_type) = ctx.shape(&args.shape);
    let settings = ConsumerSettings::parse(
        &source,
        ctx.detail_types(&args.shape, &args.kinds)?,
        &ctx.setting("remind_after", args.remind_after.as_deref())
            .expect("has a default"),
        ctx.setting("quiet_hours", args.quiet_hours.as_deref())
            .as_deref(),
        &ctx.setting("timezone", args.timezone.as_deref())
            .expect("has a default"),
    )?;
    let group = ctx.group(&args.group);
    let role_arn = ctx.setting("scheduler_role_arn", args.role_arn.as_deref());
    let dlq_arn = ctx.setting("dlq_arn", args.dlq_arn.as_deref());
    let reminders = ReminderSettings::parse(&RawReminderSettings {
        group: &group,
        role_arn: role_arn.as_deref(),
        source: &source,
        detail_type: &detail_type,
        dlq_arn: dlq_arn.as_deref(),
        ..RawReminderSettings::default()
    })?;
    let bus = BusRef::parse_target("--bus", &ctx.bus(&args.bus))?;

    let consumer = ctx.session.consumer(settings, reminders, &bus).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let signalled = listen_for_signals(stop_tx)?;
    let mut json_lines = Vec::new();
    let report = ctx
        .session
        .work(
            &options,
            |batch: Vec<Message>| handle(ctx, &consumer, batch),
            |m, r| show(ctx, m, r, &mut json_lines),
            stop_rx,
        )
        .await?;
    if ctx.printer.format == OutputFormat::Json {
        ctx.printer.json(&json_lines)?;
    }
    finish(ctx, report, signalled.borrow().as_ref().copied())
}

async fn handle(ctx: &Context, consumer: &Consumer, batch: Vec<Message>) -> Vec<Result<Handled>> {
    ctx.session.consume_batch(consumer, &batch).await
}

/// `--queue` and the stop conditions, checked.
fn options(args: &ConsumerArgs, ctx: &Context) -> Result<WorkerOptions> {
    let queue = ctx
        .setting("carts_queue", args.queue.as_deref())
        .ok_or_else(|| {
            Error::invalid(
                "--queue",
                "is not set",
                "give the consumer's queue (setup makes <prefix>-carts and writes carts_queue to cartctl.toml)",
            )
        })?;
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
/// array printed at the end; a failure goes to stderr too in text mode.
fn show(ctx: &Context, m: &Message, r: &Result<Handled>, json_lines: &mut Vec<Value>) {
    let mut object = json!({"message_id": m.id});
    match r {
        Ok(h) => {
            if let (Value::Object(o), Ok(Value::Object(fields))) =
                (&mut object, serde_json::to_value(h))
            {
                o.extend(fields);
            }
        }
        Err(e) => {
            object["status"] = json!("failed");
            object["error"] = json!(ctx.errors.one_line(e));
        }
    }
    let shown = match ctx.printer.format {
        OutputFormat::Ndjson => ctx.printer.json(&object),
        OutputFormat::Json => {
            json_lines.push(object);
            Ok(())
        }
        OutputFormat::Text => match r {
            Ok(h) => ctx.printer.line(&handled_line(h, ctx.printer.color)),
            Err(e) => {
                eprintln!(
                    "{} message {}: {} (left in the queue for a retry)",
                    paint("error:", Style::Red, ctx.color_err),
                    m.id,
                    ctx.errors.one_line(e)
                );
                Ok(())
            }
        },
    };
    if let Err(e) = shown {
        tracing::warn!(error = %e, "could not write a result");
    }
}

/// The summary, and the exit: 130/143 after a signal, 3 if a message failed.
fn finish(ctx: &Context, report: WorkerReport, signalled: Option<Signal>) -> Result<()> {
    if !ctx.quiet && ctx.printer.format == OutputFormat::Text {
        let why = match (signalled, report.stopped) {
            (Some(s), _) => format!("stopped by {}", s.name()),
            (None, Stopped::MaxMessages) => "stopped after --max-messages".into(),
            (None, Stopped::Idle) => "stopped: idle for --idle-timeout".into(),
            (None, Stopped::Told) => "stopped".into(),
        };
        eprintln!(
            "worker: {} handled, {} failed (left in the queue); {why}",
            report.handled, report.failed
        );
    }
    match signalled {
        Some(Signal::Int) => Err(Error::Interrupted),
        Some(Signal::Term) => Err(Error::Terminated {
            signal: "SIGTERM",
            code: 143,
        }),
        None if report.failed > 0 => Err(Error::Partial {
            failed: report.failed,
            total: report.failed + report.handled,
            noun: "messages",
        }),
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
