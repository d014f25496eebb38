//! `cartctl setup`: create (or check, tear down, or template) what the reminder flow needs.

use anyhow::Context as _;
use cartctl_aws::setup::Provisioned;
use cartctl_aws::setup::Zips;
use cartctl_aws::setup::{MailApplied, MailSpec};
use cartctl_aws::{Error, Result};
use cartctl_core::blueprint::{
    ApiAuth, ApiSpec, Arch, Blueprint, CONTACT_LIST_PARAM, FunctionsSpec, MailTopic, SetupRequest,
    parse_log_retention, parse_mailer_concurrency,
};
use cartctl_core::bus::BusRef;
use cartctl_core::mail::{Consent, Sender};
use cartctl_core::setting;
use serde_json::json;

use super::Context;
use crate::cli::SetupArgs;
use crate::render::outcome::{SetUp, SetupFailed};

/// What the flags ask for beyond the flow itself, checked before any request.
struct Extras {
    sender: Option<Sender>,
    /// With a sender: the contact list, its topic and the shop's postal address.
    mail: Option<(MailSpec, String)>,
    api: Option<ApiSpec>,
    functions: Option<FunctionsSpec>,
}

impl Extras {
    fn of(args: &SetupArgs, ctx: &Context) -> Result<Extras> {
        // The functions need a sender: the flag's, else the configured one.
        let mail_from = match (&args.mail_from, &args.functions) {
            (Some(m), _) => Some(m.clone()),
            (None, Some(_)) => ctx.value(&cartctl_core::setting::MAIL_FROM, None),
            (None, None) => None,
        };
        let sender = mail_from
            .as_deref()
            .map(|m| Sender::parse("--mail-from", m))
            .transpose()?;
        let mail = match &sender {
            Some(_) if !args.teardown => Some(mail_spec(args, ctx)?),
            _ => None,
        };
        let functions = functions_spec(args, sender.as_ref(), mail.as_ref())?;
        Ok(Extras {
            mail,
            api: api_spec(args, ctx)?,
            sender,
            functions,
        })
    }
}

pub async fn run(args: SetupArgs, ctx: &Context) -> anyhow::Result<()> {
    let req = request(&args, ctx)?;
    parse_log_retention("--log-retention", &args.log_retention)?;
    let mut extras = Extras::of(&args, ctx)?;
    if extras.api.is_some() {
        req.detail_types.check_fixed()?;
    }
    if args.template {
        return Ok(print_template(ctx, &req, &extras)?);
    }
    let zips = match (&args.functions, args.teardown) {
        (Some(dir), false) => Some(read_zips(dir.as_deref(), &args.arch)?),
        _ => None,
    };
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
    let mut stdout_error = None;
    // Every resource done so far, so a failure midway still reports them (JSON prints once).
    let mut seen: Vec<Provisioned> = Vec::new();
    let mut show = |p: &Provisioned| {
        if let Err(e) = ctx.printer.item(p) {
            stdout_error.get_or_insert(e);
        }
        seen.push(p.clone());
    };
    let outcome = async {
        if args.teardown {
            let removed = ctx.session.teardown(&bp, args.keep_logs, &mut show).await?;
            return Ok((removed, (None, None)));
        }
        let mut done = ctx.session.setup(&bp, args.dry_run, &mut show).await?;
        let applied = apply_extras(
            ctx,
            &bp,
            &mut extras,
            zips.as_ref(),
            args.dry_run,
            &mut done,
            &mut show,
        )
        .await?;
        Ok::<_, Error>((done, applied))
    }
    .await;
    let (done, (api_url, mail)) = match outcome {
        Ok(o) => o,
        Err(e) => return Err(partial_failure(ctx, &seen, e)),
    };
    if let Some(e) = stdout_error {
        return Err(e.into());
    }
    let mail = extras.mail.as_ref().zip(mail.as_ref());
    let config = config_text(&bp, extras.sender.as_ref(), mail, api_url.as_deref());
    if let Some(path) = &args.write_config
        && !args.dry_run
        && !args.teardown
    {
        write_config(path, &config)?;
    }
    Ok(show_result(ctx, &args, &done, &config)?)
}

/// `--mail-from`'s companions, checked: the consent regime, the topic, the postal address.
fn mail_spec(args: &SetupArgs, ctx: &Context) -> Result<(MailSpec, String)> {
    let m = &args.mail;
    let consent = ctx
        .value(&setting::CONSENT, m.consent.as_deref())
        .unwrap_or_default();
    let consent = Consent::parse("--consent", &consent)?;
    let topic = ctx
        .value(&setting::MAIL_TOPIC, m.topic.as_deref())
        .unwrap_or_default();
    cartctl_core::limits::check_topic_name("--topic", &topic)?;
    let postal = ctx
        .value(&setting::MAIL_POSTAL_ADDRESS, m.postal_address.as_deref())
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .ok_or_else(|| {
            Error::invalid(
                "--postal-address",
                "is required with --mail-from: a commercial e-mail shows the sender's postal address (CAN-SPAM)",
                "give the shop's address, such as --postal-address \"Shop Ltd, 1 Main St, Springfield\"",
            )
        })?;
    let spec = MailSpec {
        consent,
        topic,
        display_name: m.topic_display_name.clone(),
        description: m.topic_description.clone(),
        contact_list: ctx.value(&setting::CONTACT_LIST, m.contact_list.as_deref()),
    };
    Ok((spec, postal))
}

/// A failure after some resources were done: with `-o json` what was done is printed with the
/// error (text and NDJSON showed each as it was done); the error is the command's.
fn partial_failure(ctx: &Context, seen: &[Provisioned], e: Error) -> anyhow::Error {
    if !seen.is_empty() {
        let failed = SetupFailed {
            done: seen,
            error: e.to_string(),
        };
        if let Err(print) = ctx.printer.report(&failed) {
            return print.into();
        }
    }
    e.into()
}

/// The sender's identity, the functions and the API, after the flow they use; the API's URL.
async fn apply_extras(
    ctx: &Context,
    bp: &Blueprint,
    extras: &mut Extras,
    zips: Option<&Zips>,
    dry_run: bool,
    done: &mut Vec<Provisioned>,
    show: &mut impl FnMut(&Provisioned),
) -> Result<(Option<String>, Option<MailApplied>)> {
    let mut mail = None;
    if let Some(sender) = &extras.sender {
        let identity = ctx.session.ensure_sender(bp, sender, dry_run).await?;
        if let Some(f) = &mut extras.functions {
            f.identity = identity.name.clone();
        }
        show(&identity);
        done.push(identity);
    }
    if let Some((spec, _)) = &extras.mail {
        let (parts, applied) = ctx
            .session
            .setup_mail(bp, spec, dry_run, &mut *show)
            .await?;
        done.extend(parts);
        if let Some(f) = &mut extras.functions {
            f.contact_list = applied.contact_list.clone();
        }
        mail = Some(applied);
    }
    if let (Some(spec), Some(zips)) = (&extras.functions, zips) {
        let parts = ctx
            .session
            .setup_functions(bp, spec, zips, dry_run, &mut *show)
            .await?;
        done.extend(parts);
    }
    let Some(spec) = &extras.api else {
        return Ok((None, mail));
    };
    let (parts, applied) = ctx.session.setup_api(bp, spec, dry_run, &mut *show).await?;
    done.extend(parts);
    Ok((applied.url, mail))
}

/// `--template`: the blueprint's resources, with the sender, its mail parts, the API and the
/// functions when asked for.
fn print_template(ctx: &Context, req: &SetupRequest, extras: &Extras) -> Result<()> {
    let bp = Blueprint::for_template(req)?;
    let mut template = bp.template();
    if let Some(s) = &extras.sender {
        bp.add_sender(&mut template, s);
    }
    if let Some(spec) = &extras.api {
        bp.add_api(&mut template, spec);
    }
    if let Some((m, _)) = &extras.mail {
        let topic = MailTopic {
            name: m.topic.clone(),
            display_name: m.display_name.clone(),
            description: m.description.clone(),
            consent: m.consent,
        };
        bp.add_mail(&mut template, &topic);
    }
    if let Some(spec) = &extras.functions {
        let mut spec = spec.clone();
        // The stack's parameter, which the roles' ARNs substitute.
        spec.contact_list = format!("${{{CONTACT_LIST_PARAM}}}");
        bp.add_functions(&mut template, &spec);
    }
    ctx.printer.json(&template)
}

/// The `cartctl.toml` that uses what setup made.
fn config_text(
    bp: &Blueprint,
    sender: Option<&Sender>,
    mail: Option<(&(MailSpec, String), &MailApplied)>,
    api_url: Option<&str>,
) -> String {
    let mut config = bp.config_toml();
    if let Some(s) = sender {
        config.push_str(&format!("mail_from = {}\n", json!(s.header())));
    }
    if let Some(((spec, postal), applied)) = mail {
        for (s, v) in [
            (&setting::CONTACT_LIST, applied.contact_list.as_str()),
            (&setting::MAIL_TOPIC, spec.topic.as_str()),
            (&setting::CONSENT, spec.consent.as_str()),
            (
                &setting::CONFIGURATION_SET,
                applied.configuration_set.as_str(),
            ),
            (&setting::MAIL_POSTAL_ADDRESS, postal.as_str()),
        ] {
            config.push_str(&format!("{} = {}\n", s.key, json!(v)));
        }
    }
    if let Some(url) = api_url {
        config.push_str(&format!("api_url = {}\n", json!(url)));
    }
    config
}

/// What setup did and the config file that uses it.
fn show_result(ctx: &Context, args: &SetupArgs, done: &[Provisioned], config: &str) -> Result<()> {
    let written_to = match (&args.write_config, args.dry_run) {
        (Some(p), false) => Some(p.display().to_string()),
        _ => None,
    };
    ctx.printer.report(&SetUp {
        done,
        config: (!args.teardown).then_some(config),
        written_to,
        dry_run: args.dry_run,
    })
}

/// `--api`'s flags, checked (exit 2 before any request); `None` without `--api`. An API open to
/// anyone is made only when asked, with a warning.
fn api_spec(args: &SetupArgs, ctx: &Context) -> Result<Option<ApiSpec>> {
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
        ctx.printer.warn(
            "--api-auth none: anyone who finds the URL can put cart events, and make the shop e-mail any address",
        );
    }
    let mut spec = ApiSpec::new(auth, a.api_rate_limit, a.api_burst_limit)?;
    spec.log_retention_days = parse_log_retention("--log-retention", &args.log_retention)?;
    Ok(Some(spec))
}

/// `--functions`' plan, checked before any request: a sender is needed (the mailer sends as it).
/// The identity is the sender's address until setup finds the one that covers it.
fn functions_spec(
    args: &SetupArgs,
    sender: Option<&Sender>,
    mail: Option<&(MailSpec, String)>,
) -> Result<Option<FunctionsSpec>> {
    if args.functions.is_none() || args.teardown {
        return Ok(None);
    }
    let Some(sender) = sender else {
        return Err(Error::invalid(
            "--mail-from",
            "is required with --functions (the mailer sends as it), and no mail_from is configured",
            "pass --mail-from shop@example.com (an address SES may send from)",
        ));
    };
    let Some((spec, postal)) = mail else {
        unreachable!("a sender comes with its mail settings");
    };
    let (consent, topic, postal) = (
        spec.consent.as_str().to_owned(),
        spec.topic.clone(),
        postal.clone(),
    );
    // The list setup makes or adopts, filled in once it is known.
    let contact_list = spec.contact_list.clone().unwrap_or_default();
    let holdout = args.holdout.clone().unwrap_or_else(|| "0".into());
    cartctl_core::recovery::parse_percent("--holdout", &holdout)?;
    let window = args
        .attribution_window
        .clone()
        .unwrap_or_else(|| "7d".into());
    cartctl_core::config::parse_duration_or_zero("--attribution-window", &window)?;
    Ok(Some(FunctionsSpec {
        holdout_percent: holdout,
        attribution_window: window,
        contact_list,
        topic,
        consent,
        postal_address: postal,
        arch: Arch::parse(&args.arch)?,
        mail_from: sender.header(),
        identity: sender.address.as_str().to_owned(),
        log_retention_days: parse_log_retention("--log-retention", &args.log_retention)?,
        mailer_concurrency: parse_mailer_concurrency(
            "--mailer-concurrency",
            args.mailer_concurrency,
        )?,
    }))
}

/// The two zips of `scripts/build-lambdas`' output for `arch`: `DIR/<arch>/<name>/bootstrap.zip`,
/// or `DIR/<name>/bootstrap.zip` when DIR is one architecture's directory (not another's).
fn read_zips(dir: Option<&std::path::Path>, arch: &str) -> Result<Zips> {
    let fix =
        format!("build them with `scripts/build-lambdas {arch}` and pass its lambda directory");
    let Some(dir) = dir else {
        return Err(Error::invalid(
            "--functions",
            "needs the directory of the built functions",
            fix,
        ));
    };
    let nested = dir.join(arch);
    let base = if nested.join("consumer").is_dir() {
        nested
    } else {
        let other = dir
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| ["arm64", "x86_64"].contains(n));
        if let Some(other) = other.filter(|o| *o != arch) {
            return Err(Error::invalid(
                "--arch",
                format!("is {arch}, but {} holds the {other} builds", dir.display()),
                format!("pass --arch {other}, or the {arch} directory"),
            ));
        }
        dir.to_path_buf()
    };
    let read = |name: &str| {
        let path = base.join(name).join("bootstrap.zip");
        match std::fs::read(&path) {
            Ok(bytes) if bytes.starts_with(b"PK\x03\x04") => Ok(bytes),
            Ok(_) => Err(Error::invalid(
                "--functions",
                format!("{} is not a zip", path.display()),
                fix.clone(),
            )),
            Err(e) => Err(Error::invalid(
                "--functions",
                format!("cannot read {} ({e})", path.display()),
                fix.clone(),
            )),
        }
    };
    Ok(Zips {
        consumer: read("consumer")?,
        mailer: read("mailer")?,
    })
}

/// The request the flags and the configuration describe.
fn request(args: &SetupArgs, ctx: &Context) -> Result<SetupRequest> {
    let bus = BusRef::parse_target("--bus", &ctx.bus(&args.bus))?
        .name()
        .to_owned();
    let group = ctx.group(&args.group);
    cartctl_core::limits::check_name("--group", &group)?;
    let source = ctx
        .value(&cartctl_core::setting::SOURCE, args.source.as_deref())
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
