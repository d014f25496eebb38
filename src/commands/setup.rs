//! `cartctl setup`: create (or check, tear down, or template) what the reminder flow needs.

use anyhow::Context as _;
use cartctl_aws::setup::Provisioned;
use cartctl_aws::{Error, Result};
use cartctl_core::blueprint::{ApiAuth, ApiSpec, Blueprint, SetupRequest};
use cartctl_core::bus::BusRef;
use cartctl_core::mail::Sender;
use serde_json::json;

use super::Context;
use crate::cli::SetupArgs;
use crate::render::OutputFormat;
use crate::render::text::{provision_line, provision_summary};

pub async fn run(args: SetupArgs, ctx: &Context) -> anyhow::Result<()> {
    let req = request(&args, ctx)?;
    let api = api_spec(&args)?;
    let sender = args
        .mail_from
        .as_deref()
        .map(|m| Sender::parse("--mail-from", m))
        .transpose()?;
    if args.template {
        return Ok(print_template(ctx, &req, sender.as_ref(), api.as_ref())?);
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
    let mut api_url = None;
    if let (Some(spec), false) = (&api, args.teardown) {
        let (parts, applied) = ctx
            .session
            .setup_api(&bp, spec, args.dry_run, &mut show)
            .await?;
        done.extend(parts);
        api_url = applied.url;
    }
    if let Some(e) = stdout_error {
        return Err(e.into());
    }
    let config = config_text(&bp, sender.as_ref(), api_url.as_deref());
    if let Some(path) = &args.write_config
        && !args.dry_run
        && !args.teardown
    {
        write_config(path, &config)?;
    }
    Ok(show_result(ctx, &args, &done, &config)?)
}

/// `--template`: the blueprint's resources, with the sender and the API when asked for.
fn print_template(
    ctx: &Context,
    req: &SetupRequest,
    sender: Option<&Sender>,
    api: Option<&ApiSpec>,
) -> Result<()> {
    let bp = Blueprint::for_template(req)?;
    let mut template = bp.template();
    if let Some(s) = sender {
        bp.add_sender(&mut template, s);
    }
    if let Some(spec) = api {
        bp.add_api(&mut template, spec);
    }
    ctx.printer.json(&template)
}

/// The `cartctl.toml` that uses what setup made.
fn config_text(bp: &Blueprint, sender: Option<&Sender>, api_url: Option<&str>) -> String {
    let mut config = bp.config_toml();
    if let Some(s) = sender {
        config.push_str(&format!("mail_from = {}\n", json!(s.header())));
    }
    if let Some(url) = api_url {
        config.push_str(&format!("api_url = {}\n", json!(url)));
    }
    config
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

/// `--api`'s flags, checked (exit 2 before any request); `None` without `--api`. An API open to
/// anyone is made only when asked, with a warning.
fn api_spec(args: &SetupArgs) -> Result<Option<ApiSpec>> {
    let a = &args.api;
    if !a.api {
        return Ok(None);
    }
    let auth = ApiAuth::parse(
        a.api_auth.as_deref(),
        a.api_jwt_issuer.as_deref(),
        &a.api_jwt_audience,
    )?;
    if auth == ApiAuth::None && !args.teardown {
        eprintln!(
            "warning: --api-auth none: anyone who finds the URL can put cart events, and make the shop e-mail any address"
        );
    }
    ApiSpec::new(auth, a.api_rate_limit, a.api_burst_limit).map(Some)
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
