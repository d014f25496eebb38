//! One file per subcommand: each turns its arguments into typed library requests, makes one
//! session call, and renders the result. The shared [`Context`] holds the output settings, the
//! config file and the [`Session`], which connects only when a command first needs the network.

mod config;
mod contacts;
mod delete;
mod dlq;
mod doctor;
mod fire;
mod forget;
mod list;
mod r#match;
mod put_event;
mod report;
mod schedule;
mod setup;
mod stats;
mod tail;
mod worker;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use crate::input::{InputFormat, InputSource, read_lines};
use cartctl_aws::bulk::check_concurrency;
use cartctl_aws::{Result, Session};
use cartctl_core::lines::NumberedLine;
use cartctl_core::reminder::query::parse_time_bound;
use chrono::{DateTime, Utc};
use clap::CommandFactory;
use tokio::sync::mpsc;

use crate::cli::{
    BulkArgs, BusArg, CartKindArgs, Cli, Command, DueFilterArgs, EventShapeArgs, GroupArg,
};
use crate::render::Printer;
use crate::render::error::ErrorPresenter;
use crate::render::progress::InputProgress;
use crate::settings::{ConfigFile, Resolved, resolve};
use cartctl_core::setting::{self, Setting};

/// What every command needs: where to print, the settings, and the session that reaches AWS.
pub struct Context {
    /// Writes results on stdout.
    pub printer: Printer,
    /// `-v`: logging on.
    pub verbose: bool,
    /// The config file, if there is one.
    pub config: Option<ConfigFile>,
    /// The output format and where it came from.
    pub output: Resolved,
    /// AWS: clients (connected on first use), retries and pace.
    pub session: Session,
    /// Puts the library's errors in the command line's words.
    pub errors: ErrorPresenter,
}

impl Context {
    /// A context with default output settings.
    pub fn new(session: Session) -> Self {
        Context {
            printer: Printer::new(Default::default(), false),
            verbose: false,
            config: None,
            output: resolve(&setting::OUTPUT, None, false, None),
            session,
            errors: ErrorPresenter::default(),
        }
    }

    /// A setting's value: `given` (the flag, or its environment variable, as clap read them),
    /// else its environment variable (for a command without its flag), else the config file,
    /// else the default.
    pub fn value(&self, s: &Setting, given: Option<&str>) -> Option<String> {
        let env = std::env::var(s.env).ok().filter(|v| !v.is_empty());
        resolve(s, given.or(env.as_deref()), false, self.config.as_ref()).value
    }

    /// Each setting's value, with `flags` the command's own flags for some of them: what a
    /// core resolver asks for.
    pub fn values<'a>(
        &'a self,
        flags: &'a [(&Setting, Option<&str>)],
    ) -> impl Fn(&Setting) -> Option<String> + 'a {
        move |s| {
            let flag = flags
                .iter()
                .find(|(f, _)| f.key == s.key)
                .and_then(|(_, v)| *v);
            self.value(s, flag)
        }
    }

    /// `--bus`.
    pub fn bus(&self, arg: &BusArg) -> String {
        self.value(&setting::EVENT_BUS, arg.bus.as_deref())
            .expect("has a default")
    }

    /// `--group`.
    pub fn group(&self, arg: &GroupArg) -> String {
        self.value(&setting::SCHEDULE_GROUP, arg.group.as_deref())
            .expect("has a default")
    }

    /// The detail-type templates of the three kinds of cart event, checked.
    pub fn detail_types(
        &self,
        shape: &EventShapeArgs,
        kinds: &CartKindArgs,
    ) -> Result<cartctl_core::event::DetailTypes> {
        let (_, add) = self.shape(shape);
        let removed = self
            .value(
                &setting::REMOVED_DETAIL_TYPE,
                kinds.removed_detail_type.as_deref(),
            )
            .expect("has a default");
        let checkout = self
            .value(
                &setting::CHECKOUT_DETAIL_TYPE,
                kinds.checkout_detail_type.as_deref(),
            )
            .expect("has a default");
        cartctl_core::event::DetailTypes::parse(&add, &removed, &checkout)
    }

    /// `--source` and `--detail-type`.
    pub fn shape(&self, arg: &EventShapeArgs) -> (String, String) {
        (
            self.value(&setting::SOURCE, arg.source.as_deref())
                .expect("has a default"),
            self.value(&setting::DETAIL_TYPE, arg.detail_type.as_deref())
                .expect("has a default"),
        )
    }
}

/// An opened bulk input.
pub struct Input {
    /// The lines, read on a task of their own.
    pub lines: mpsc::Receiver<NumberedLine>,
    /// Its size and how far it is read.
    pub progress: InputProgress,
}

/// Checks `--format` and `--concurrency`, sets the session's concurrency controller (adaptive
/// up to the cap, or fixed with `--fixed`), opens the file (a CSV header is read at once).
/// Returns the input and how many lines may be in progress at once (the cap).
pub fn open_input(args: &BulkArgs, fixed_default: usize, ctx: &Context) -> Result<(Input, usize)> {
    let file = args.file.as_deref().expect("called with --file");
    let default = if args.fixed {
        fixed_default
    } else {
        cartctl_aws::limiter::DEFAULT_CAP
    };
    let concurrency = check_concurrency(args.concurrency.unwrap_or(default))?;
    ctx.session.set_concurrency(concurrency, args.fixed);
    let source = InputSource::parse(file);
    let format = InputFormat::resolve(args.format.map(Into::into), &source)?;
    let read = Arc::new(AtomicU64::new(0));
    let lines = read_lines(&source, format, read.clone())?;
    let progress = InputProgress {
        size: source.size_bytes(),
        read,
    };
    Ok((Input { lines, progress }, concurrency))
}

/// Runs one command. `tail` and `worker` handle signals themselves (they finish or clean up
/// first); the others stop at
/// once on Ctrl-C. The library's errors keep their type under any context a command adds, so
/// `main` finds the exit code in the chain.
pub async fn run(command: Command, ctx: &Context) -> anyhow::Result<()> {
    match command {
        Command::Completions(args) => {
            return Ok(ctx.printer.write_raw(&completion_script(args.shell))?);
        }
        Command::Man(_) => return Ok(ctx.printer.write_raw(&man_page())?),
        Command::Config(_) => return Ok(config::run(ctx)?),
        _ => {}
    }
    // A bad --endpoint-url or --region is bad input even on a dry run.
    ctx.session.aws().check()?;
    if let Command::Tail(args) = command {
        return tail::run(args, ctx).await;
    }
    if let Command::Worker(args) = command {
        return worker::run(args, ctx).await;
    }
    tokio::select! {
        r = dispatch(command, ctx) => r,
        _ = tokio::signal::ctrl_c() => Err(crate::exit::Stop::Interrupted.into()),
    }
}

async fn dispatch(command: Command, ctx: &Context) -> anyhow::Result<()> {
    match command {
        Command::Schedule(args) => schedule::run(args, ctx).await?,
        Command::PutEvent(args) => put_event::run(args, ctx).await?,
        Command::List(args) => list::run(args, ctx).await?,
        Command::Delete(args) => delete::run(args, ctx).await?,
        Command::Fire(args) => fire::run(args, ctx).await?,
        Command::Setup(args) => setup::run(args, ctx).await?,
        Command::Doctor(args) => doctor::run(args, ctx).await?,
        Command::Dlq(args) => dlq::run(args, ctx).await?,
        Command::Stats(args) => stats::run(args, ctx).await?,
        Command::Forget(args) => forget::run(args, ctx).await?,
        Command::Contacts(args) => contacts::run(args, ctx).await?,
        Command::Report(args) => report::run(args, ctx).await?,
        Command::Match(args) => return r#match::run(args, ctx).await,
        Command::Tail(_)
        | Command::Worker(_)
        | Command::Completions(_)
        | Command::Man(_)
        | Command::Config(_) => {
            unreachable!("handled by run")
        }
    }
    Ok(())
}

/// The flag of the library's key `key` (`scheduled_only` is `--scheduled-only`), for library
/// calls that take the names of their fields.
pub fn flag_of(key: &str) -> String {
    format!("--{}", key.replace('_', "-"))
}

/// A due-time bound, if one is given.
type Bound = Option<DateTime<Utc>>;

/// The due-time bounds `--due-before`, `--due-after` and `--overdue` describe (`--overdue` is a
/// bound of now, the earlier of the two when both are given).
pub fn due_bounds(filters: &DueFilterArgs, now: DateTime<Utc>) -> Result<(Bound, Bound)> {
    let mut due_before = filters
        .due_before
        .as_deref()
        .map(|t| parse_time_bound("--due-before", t, now))
        .transpose()?;
    if filters.overdue {
        due_before = Some(due_before.map_or(now, |b| b.min(now)));
    }
    let due_after = filters
        .due_after
        .as_deref()
        .map(|t| parse_time_bound("--due-after", t, now))
        .transpose()?;
    Ok((due_before, due_after))
}

/// The completion script for `shell`.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "cartctl", &mut out);
    out
}

/// The man page: the main page, then a section for each subcommand with its synopsis,
/// description, options and examples.
pub fn man_page() -> Vec<u8> {
    let cmd = Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut out)
        .expect("rendering to memory cannot fail");
    for sub in cmd.get_subcommands() {
        let name = format!("cartctl-{}", sub.get_name());
        let sub = sub
            .clone()
            .name(name.clone())
            .bin_name(format!("cartctl {}", sub.get_name()));
        let man = clap_mangen::Man::new(sub);
        let mut part = Vec::new();
        part.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
        let _ = man.render_description_section(&mut part);
        let _ = man.render_synopsis_section(&mut part);
        let _ = man.render_options_section(&mut part);
        let _ = man.render_extra_section(&mut part);
        // Each subcommand's sections become subsections of its own section.
        let text = String::from_utf8_lossy(&part).replace("\n.SH ", "\n.SS ");
        out.extend_from_slice(text.as_bytes());
    }
    out
}
