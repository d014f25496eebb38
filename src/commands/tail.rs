//! `cartctl tail`: stream events from the bus through a queue and rule of its own, removed
//! however the tail ends; and `tail --gc`, which removes what killed tails left behind.

use std::future::Future;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::signal::unix::{SignalKind, signal};

use cartctl_aws::tail::{Tail, TailLimits, TailSpec};
use cartctl_aws::{Error, Result};
use cartctl_core::bus::BusRef;
use cartctl_core::due::parse_duration;
use cartctl_core::tail_pattern::{TailFilter, check_max_events};

use super::{Context, flag_of};
use crate::cli::TailArgs;
use crate::exit::Stop;
use crate::render::outcome::TailedEvent;

/// How long cleanup may take before cartctl gives up and reports what is left.
const CLEANUP_TIMEOUT: Duration = Duration::from_secs(30);

pub async fn run(args: TailArgs, ctx: &Context) -> anyhow::Result<()> {
    let bus = BusRef::parse("--bus", &ctx.bus(&args.bus))?;
    if args.gc {
        let older_than = parse_duration("--older-than", &args.older_than)?;
        return Ok(gc(older_than, ctx).await?);
    }
    let (mut spec, limits) = spec(&args, bus)?;
    if args.mail_events {
        spec.bus = BusRef::parse("--bus", "default")?;
        spec.filter = mail_events_filter(
            ctx.value(&cartctl_core::setting::CONFIGURATION_SET, None)
                .as_deref(),
        );
    }
    let mut tail = ctx.session.tail(spec).await?;
    let ended = until_signal(listen(&mut tail, ctx, limits)).await;
    let left = match tokio::time::timeout(CLEANUP_TIMEOUT, tail.close()).await {
        Ok(left) => left,
        Err(_) => vec![format!(
            "cleanup did not finish within {}s; run `cartctl tail --gc --older-than 0s` to remove {}",
            CLEANUP_TIMEOUT.as_secs(),
            tail.name()
        )],
    };
    for l in &left {
        ctx.printer.warn(&format!("could not remove {l}"));
    }
    if !left.is_empty() {
        ctx.printer
            .err_line("  hint: remove what is left with `cartctl tail --gc --older-than 0s`");
    }
    match ended {
        Err(e) if e.downcast_ref::<Error>().is_some_and(Error::is_broken_pipe) => Ok(()),
        other => other,
    }
}

/// SES's events of the reminders' configuration set (all of SES's when none is set).
fn mail_events_filter(
    configuration_set: Option<&str>,
) -> serde_json::Map<String, serde_json::Value> {
    use cartctl_core::mail::events::{SES_SOURCE, TAG_CONFIGURATION_SET};
    let mut f = serde_json::Map::new();
    f.insert("source".into(), serde_json::json!([SES_SOURCE]));
    if let Some(cs) = configuration_set {
        f.insert(
            "detail".into(),
            serde_json::json!({"mail": {"tags": {TAG_CONFIGURATION_SET: [cs]}}}),
        );
    }
    f
}

/// The tail the flags describe, and when it ends; checked before anything is created.
fn spec(args: &TailArgs, bus: BusRef) -> Result<(TailSpec, TailLimits)> {
    let filter = TailFilter {
        source: args.source.clone(),
        detail_type: args.detail_type.clone(),
        user: args.user.clone(),
        product: args.product.clone(),
        scheduled_only: args.scheduled_only,
        pattern: args.pattern.clone(),
    };
    let pattern = filter.pattern_named(&flag_of)?;
    let max_events = args.max_events.map(check_max_events).transpose()?;
    let timeout = args
        .timeout
        .as_deref()
        .map(|t| parse_duration("--timeout", t))
        .transpose()?;
    if timeout.is_some_and(|t| t.is_zero()) {
        return Err(Error::invalid(
            "--timeout",
            "must be longer than 0s",
            "give a duration such as 30s or 5m",
        ));
    }
    let spec = TailSpec {
        bus,
        filter: pattern,
        wait_ready: args.wait_ready,
    };
    let limits = TailLimits {
        max_events,
        deadline: timeout.map(|t| Instant::now() + t),
    };
    Ok((spec, limits))
}

/// Opens the tail and writes its events until a limit is reached.
async fn listen(tail: &mut Tail<'_>, ctx: &Context, limits: TailLimits) -> Result<()> {
    let listening = format!(
        "listening on bus {} (rule and queue {}); Ctrl-C to stop",
        tail.bus(),
        tail.name()
    );
    tail.listen(
        limits,
        || ctx.printer.err_line(&listening),
        |envelope| ctx.printer.report(&TailedEvent(envelope)),
    )
    .await
}

/// Runs `work` until it ends or a signal comes: SIGINT → 130, SIGTERM → 143, SIGHUP → 129.
async fn until_signal(work: impl Future<Output = Result<()>>) -> anyhow::Result<()> {
    let io = |e: std::io::Error| Error::Io {
        context: "installing signal handlers".into(),
        source: e,
    };
    let mut term = signal(SignalKind::terminate()).map_err(io)?;
    let mut hup = signal(SignalKind::hangup()).map_err(io)?;
    tokio::select! {
        r = work => Ok(r?),
        _ = tokio::signal::ctrl_c() => Err(Stop::Interrupted.into()),
        _ = term.recv() => Err(Stop::SIGTERM.into()),
        _ = hup.recv() => Err(Stop::SIGHUP.into()),
    }
}

async fn gc(older_than: Duration, ctx: &Context) -> Result<()> {
    let cutoff = Utc::now()
        - chrono::Duration::from_std(older_than).map_err(|_| {
            Error::invalid("--older-than", "is too long", "give a shorter duration")
        })?;
    let report = ctx.session.collect_tail_garbage(cutoff).await?;
    ctx.printer.report(&report)?;
    for f in &report.failed {
        ctx.printer.item_error(&format!("could not remove {f}"));
    }
    if report.failed.is_empty() {
        Ok(())
    } else {
        Err(Error::Partial {
            failed: report.failed.len() as u64,
            total: (report.failed.len() + report.rules.len() + report.queues.len()) as u64,
            noun: "removals",
        })
    }
}
