//! `cartctl tail`: stream events from the bus through a queue and rule of its own, removed
//! however the tail ends; and `tail --gc`, which removes what killed tails left behind.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::signal::unix::{SignalKind, signal};

use cartctl::aws::Clients;
use cartctl::limits::{BusRef, parse_duration};
use cartctl::tail::{
    self, TailFilter, TailResources, canary_entry, check_max_events, is_canary, new_tail_id,
    rule_pattern,
};
use cartctl::{Error, Result};

use super::Context;
use crate::cli::TailArgs;
use crate::render::text::event_line;
use crate::render::{OutputFormat, Style, paint};

/// How often `--wait-ready` publishes its canary until it comes back.
const CANARY_EVERY: Duration = Duration::from_secs(2);
/// How long cleanup may take before cartctl gives up and reports what is left.
const CLEANUP_TIMEOUT: Duration = Duration::from_secs(30);

pub async fn run(args: TailArgs, ctx: &Context) -> Result<()> {
    let bus = BusRef::parse("--bus", &ctx.bus(&args.bus))?;
    if args.gc {
        let older_than = parse_duration("--older-than", &args.older_than)?;
        return gc(older_than, ctx).await;
    }
    let filter = TailFilter {
        source: args.source.clone(),
        detail_type: args.detail_type.clone(),
        user: args.user.clone(),
        product: args.product.clone(),
        scheduled_only: args.scheduled_only,
        pattern: args.pattern.clone(),
    };
    let pattern = filter.pattern()?;
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
    let id = new_tail_id();
    let rule_pattern = rule_pattern(&pattern, args.wait_ready.then_some(id.as_str()));
    let clients = ctx.session.clients().await?;
    let deadline = timeout.map(|t| Instant::now() + t);
    let state = Arc::new(Mutex::new(TailResources {
        id: id.clone(),
        bus: bus.as_str().to_owned(),
        ..TailResources::default()
    }));

    let work = async {
        tail::setup(clients, &bus, &rule_pattern, &state).await?;
        let name = state.lock().expect("not poisoned").name();
        let url = state
            .lock()
            .expect("not poisoned")
            .queue_url
            .clone()
            .expect("setup created the queue");
        let listening = format!(
            "listening on bus {} (rule and queue {name}); Ctrl-C to stop",
            bus.as_str()
        );
        if !args.wait_ready {
            eprintln!("{listening}");
        }
        stream(
            ctx,
            clients,
            &url,
            &id,
            bus.as_str(),
            Stream {
                max_events,
                deadline,
                announce: args.wait_ready.then_some(listening),
            },
        )
        .await
    };
    let ended = until_signal(work).await;

    let resources = state.lock().expect("not poisoned").clone();
    let left = match tokio::time::timeout(CLEANUP_TIMEOUT, tail::cleanup(clients, &resources)).await
    {
        Ok(left) => left,
        Err(_) => vec![format!(
            "cleanup did not finish within {}s; run `cartctl tail --gc --older-than 0s` to remove {}",
            CLEANUP_TIMEOUT.as_secs(),
            resources.name()
        )],
    };
    for l in &left {
        eprintln!(
            "{} could not remove {l}",
            paint("warning:", Style::Yellow, ctx.color_err)
        );
    }
    match ended {
        Err(e) if e.is_broken_pipe() => Ok(()),
        other => other,
    }
}

/// Runs `work` until it ends or a signal comes: SIGINT → 130, SIGTERM → 143, SIGHUP → 129.
async fn until_signal(work: impl Future<Output = Result<()>>) -> Result<()> {
    let io = |e: std::io::Error| Error::Io {
        context: "installing signal handlers".into(),
        source: e,
    };
    let mut term = signal(SignalKind::terminate()).map_err(io)?;
    let mut hup = signal(SignalKind::hangup()).map_err(io)?;
    tokio::select! {
        r = work => r,
        _ = tokio::signal::ctrl_c() => Err(Error::Interrupted),
        _ = term.recv() => Err(Error::Terminated { signal: "SIGTERM", code: 143 }),
        _ = hup.recv() => Err(Error::Terminated { signal: "SIGHUP", code: 129 }),
    }
}

struct Stream {
    max_events: Option<u64>,
    deadline: Option<Instant>,
    /// With --wait-ready: the readiness line, printed once the canary came back.
    announce: Option<String>,
}

async fn stream(
    ctx: &Context,
    clients: &Clients,
    url: &str,
    id: &str,
    bus: &str,
    mut s: Stream,
) -> Result<()> {
    let mut seen = 0u64;
    let mut last_canary: Option<Instant> = None;
    loop {
        if s.announce.is_some() && last_canary.is_none_or(|t| t.elapsed() >= CANARY_EVERY) {
            let canary = canary_entry(bus, id);
            let sent = ctx.session.put_entries(&[&canary]).await?;
            if let Some(Err(e)) = sent.into_iter().next().map(|d| d.result) {
                return Err(Error::Aws(e));
            }
            last_canary = Some(Instant::now());
        }
        let mut wait = Duration::from_secs(20);
        if s.announce.is_some() {
            wait = wait.min(CANARY_EVERY);
        }
        if let Some(d) = s.deadline {
            let left = d.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(timed_out(seen, s.max_events));
            }
            wait = wait.min(left);
        }
        let poll = ctx.session.retrier().run(|_| {
            tail::receive(
                clients,
                url,
                Duration::from_secs(wait.as_secs_f64().ceil() as u64),
            )
        });
        // The poll is awaited to its end (the service answers after `wait` plus the round
        // trip): dropping it early would leave AWS holding a poll whose messages then stay
        // invisible. Only the user's --timeout ends it early, and then the tail ends too.
        let batch = match s.deadline {
            Some(d) => match tokio::time::timeout_at(d.into(), poll).await {
                Ok(r) => r?,
                Err(_) => return Err(timed_out(seen, s.max_events)),
            },
            None => poll.await?,
        };
        let mut receipts = Vec::with_capacity(batch.len());
        let mut done = false;
        for (envelope, receipt) in batch {
            if done {
                break;
            }
            receipts.push(receipt);
            if is_canary(&envelope, id) {
                if let Some(line) = s.announce.take() {
                    eprintln!("{line}");
                }
                continue;
            }
            match ctx.printer.format {
                OutputFormat::Text => ctx.printer.line(&event_line(&envelope))?,
                OutputFormat::Ndjson => ctx.printer.json(&envelope)?,
                OutputFormat::Json => ctx
                    .printer
                    .line(&serde_json::to_string_pretty(&envelope).expect("json"))?,
            }
            seen += 1;
            done = s.max_events.is_some_and(|m| seen >= m);
        }
        tail::delete_received(clients, url, &receipts).await?;
        if done {
            return Ok(());
        }
    }
}

fn timed_out(seen: u64, max: Option<u64>) -> Error {
    Error::TimedOut(match max {
        Some(m) => format!("timed out after {seen} of {m} events"),
        None => format!("timed out after {seen} events"),
    })
}

async fn gc(older_than: Duration, ctx: &Context) -> Result<()> {
    let clients = ctx.session.clients().await?;
    let cutoff = Utc::now()
        - chrono::Duration::from_std(older_than).map_err(|_| {
            Error::invalid("--older-than", "is too long", "give a shorter duration")
        })?;
    let report = tail::gc(clients, cutoff).await?;
    match ctx.printer.format {
        OutputFormat::Json | OutputFormat::Ndjson => ctx.printer.json(&report)?,
        OutputFormat::Text => {
            for r in &report.rules {
                ctx.printer.line(&format!("removed rule {r}"))?;
            }
            for q in &report.queues {
                ctx.printer.line(&format!("removed queue {q}"))?;
            }
            if !ctx.quiet {
                ctx.printer.line(&format!(
                    "removed {} rules and {} queues left by tails",
                    report.rules.len(),
                    report.queues.len()
                ))?;
            }
        }
    }
    for f in &report.failed {
        eprintln!(
            "{} could not remove {f}",
            paint("error:", Style::Red, ctx.color_err)
        );
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
