//! `cartctl fire`: publish schedules' payloads now, as Scheduler would.

use cartctl_aws::bulk::check_concurrency;
use cartctl_aws::fire::FireOutcome;
use cartctl_aws::fire::{FireRequest, FireTargets, Fired};
use cartctl_aws::{Error, Result};
use cartctl_core::limits;

use super::Context;
use crate::cli::FireArgs;
use crate::render::outcome::FireSummary;

pub async fn run(args: FireArgs, ctx: &Context) -> Result<()> {
    let req = request(&args, ctx)?;
    let names = ctx.session.fire_names(&req).await?;
    let single = !args.due && names.len() == 1;
    let total = names.len() as u64;
    let mut tally = Tally::default();
    ctx.session
        .fire(&req, names, |name, result| {
            tally.record(ctx, &name, result, single)
        })
        .await?;
    if !args.dry_run {
        ctx.printer.report(&FireSummary {
            fired: &tally.fired,
            group: &req.group,
            single,
        })?;
    }
    let (missing, failed) = (tally.missing, tally.failed);
    if failed > 0 {
        return Err(Error::Partial {
            failed: failed + missing,
            total,
            noun: "schedules",
        });
    }
    if missing > 0 {
        return Err(Error::NotFound {
            what: format!(
                "{missing} of the named schedules do not exist in group `{}`",
                req.group
            ),
            fix: "check the names with `cartctl list --all`".into(),
        });
    }
    Ok(())
}

/// The request the flags describe, checked before anything is sent.
fn request(args: &FireArgs, ctx: &Context) -> Result<FireRequest> {
    let group = ctx.group(&args.group);
    limits::check_name("--group", &group)?;
    for name in &args.names {
        limits::check_name("NAME", name)?;
    }
    let concurrency = check_concurrency(args.concurrency)?;
    let on_aws = ctx.session.aws().targets_aws(|k| std::env::var(k).ok());
    if args.due && !args.force && on_aws {
        return Err(Error::invalid(
            "--due",
            "on AWS itself Scheduler fires due schedules by itself; firing them here too would send customers their reminders twice",
            "pass --endpoint-url for an emulator, or --force if you really mean to fire them on AWS",
        ));
    }
    let targets = if args.due {
        FireTargets::Due
    } else {
        let mut names = args.names.clone();
        names.dedup();
        FireTargets::Names(names)
    };
    Ok(FireRequest {
        group,
        targets,
        keep: args.keep,
        force: args.force,
        dry_run: args.dry_run,
        concurrency,
    })
}

/// What `fire` has done so far.
#[derive(Default)]
struct Tally {
    fired: Vec<FireOutcome>,
    missing: u64,
    failed: u64,
}

impl Tally {
    /// Renders one schedule's result and counts it; with a single name, its error is the
    /// command's.
    fn record(
        &mut self,
        ctx: &Context,
        name: &str,
        result: Result<Fired>,
        single: bool,
    ) -> Result<()> {
        match result {
            Ok(Fired::Planned(plan)) => ctx.printer.report(plan.as_ref())?,
            Ok(Fired::Done(o)) => {
                ctx.printer.item(&o)?;
                self.fired.push(o);
            }
            Err(e) if single => return Err(fire_hint(e, name)),
            Err(e) => {
                let e = ctx.errors.present(fire_hint(e, name));
                if matches!(e, Error::NotFound { .. }) {
                    self.missing += 1;
                } else {
                    self.failed += 1;
                }
                ctx.printer.item_error(&format!("{name}: {e}"));
            }
        }
        Ok(())
    }
}

/// The command line's advice for a schedule that could not be fired.
fn fire_hint(e: Error, name: &str) -> Error {
    match &e {
        Error::NotFound { .. } => e.with_fix("check the name with `cartctl list --all`"),
        // A DISABLED schedule, fired without --force.
        Error::Invalid { field, .. } if field == "state" => {
            e.with_fix("enable it first, or pass --force to fire it anyway")
        }
        Error::Aws(a) if a.operation == "DeleteSchedule" => {
            e.with_fix(format!("delete it with `cartctl delete {name}`"))
        }
        _ => e,
    }
}
