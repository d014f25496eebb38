//! `cartctl setup`: create (or check, tear down, or template) what the reminder flow needs.

use anyhow::Context as _;
use cartctl_aws::setup::Provisioned;
use cartctl_aws::{Error, Result};
use cartctl_core::blueprint::{Blueprint, SetupRequest};
use cartctl_core::bus::BusRef;
use serde_json::json;

use super::Context;
use crate::cli::SetupArgs;
use crate::render::OutputFormat;
use crate::render::text::{provision_line, provision_summary};

pub async fn run(args: SetupArgs, ctx: &Context) -> anyhow::Result<()> {
    let req = request(&args, ctx)?;
    let sender = args
        .mail_from
        .as_deref()
        .map(|m| cartctl_core::mail::Sender::parse("--mail-from", m))
        .transpose()?;
    if args.template {
        let bp = Blueprint::for_template(&req)?;
        let template = match &sender {
            Some(s) => bp.template_with_sender(s),
            None => bp.template(),
        };
        return Ok(ctx.printer.json(&template)?);
    }
    if args.teardown && !args.yes {
        return Err(Error::invalid(
            "--yes",
            "is required with --teardown (deleting the group deletes its schedules)",
            "pass --teardown --yes, or --dry-run to see what setup manages",
        )
        .into());
    }
    // Names are checked before any request: the account is only needed for the ARNs.
    req.checked_prefix()?;
    let bp = ctx.session.blueprint(&req).await?;
    let format = ctx.printer.format;
    let mut stdout_error = None;
    let mut show = |p: &Provisioned| {
        let line = match format {
            OutputFormat::Ndjson => ctx.printer.json(p),
            OutputFormat::Text => ctx.printer.line(&provision_line(p, ctx.printer.color)),
            OutputFormat::Json => Ok(()),
        };
        if let Err(e) = line {
            stdout_error.get_or_insert(e);
        }
    };
    let mut done = if args.teardown {
        ctx.session.teardown(&bp, &mut show).await?
    } else {
        ctx.session.setup(&bp, args.dry_run, &mut show).await?
    };
    if let (Some(sender), false) = (&sender, args.teardown) {
        let identity = ctx.session.ensure_sender(&bp, sender, args.dry_run).await?;
        show(&identity);
        done.push(identity);
    }
    if let Some(e) = stdout_error {
        return Err(e.into());
    }
    let mut config = bp.config_toml();
    if let Some(s) = &sender {
        config.push_str(&format!(
            "mail_from = {}\n",
            serde_json::Value::from(s.header())
        ));
    }
    if let Some(path) = &args.write_config
        && !args.dry_run
        && !args.teardown
    {
        write_config(path, &config)?;
    }
    Ok(show_result(ctx, &args, &done, &config)?)
}

/// What setup did and the config file that uses it.
fn show_result(ctx: &Context, args: &SetupArgs, done: &[Provisioned], config: &str) -> Result<()> {
    match ctx.printer.format {
        OutputFormat::Json => {
            let mut out = json!({"resources": done});
            if !args.teardown {
                out["config"] = json!(config);
            }
            ctx.printer.json(&out)
        }
        OutputFormat::Ndjson => Ok(()),
        OutputFormat::Text => {
            if !ctx.quiet {
                ctx.printer.line(&provision_summary(done, args.dry_run))?;
            }
            if args.teardown {
                return Ok(());
            }
            let saved = match (&args.write_config, args.dry_run) {
                (Some(p), false) => format!("written to {}", p.display()),
                _ => "save as cartctl.toml, or pass --write-config".into(),
            };
            ctx.printer.line(&format!(
                "\n# cartctl.toml ({saved})\n{}",
                config.trim_end()
            ))
        }
    }
}

/// The request the flags and the configuration describe.
fn request(args: &SetupArgs, ctx: &Context) -> Result<SetupRequest> {
    let bus = BusRef::parse_target("--bus", &ctx.bus(&args.bus))?
        .name()
        .to_owned();
    let group = ctx.group(&args.group);
    cartctl_core::limits::check_name("--group", &group)?;
    let source = ctx
        .setting("source", args.source.as_deref())
        .expect("has a default");
    cartctl_core::limits::check_source("--source", &source)?;
    let shape = crate::cli::EventShapeArgs {
        source: args.source.clone(),
        detail_type: args.detail_type.clone(),
    };
    Ok(SetupRequest {
        bus,
        group,
        source,
        detail_types: ctx.detail_types(&shape, &args.kinds)?,
        prefix: args.name_prefix.clone(),
    })
}

/// Writes the settings: the keys setup sets are replaced, every other line of an existing
/// file is kept.
fn write_config(path: &std::path::Path, config: &str) -> anyhow::Result<()> {
    let ours: Vec<&str> = config
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k))
        .collect();
    let existing = std::fs::read_to_string(path).unwrap_or_default();
    let mut text: String = existing
        .lines()
        .filter(|l| {
            let key = l.split_once('=').map(|(k, _)| k.trim().trim_matches('"'));
            !key.is_some_and(|k| ours.contains(&k))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    text.push_str(config);
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}
