//! `cartctl config`: the resolved settings and where each came from.

use serde_json::{Map, Value, json};

use super::Context;
use crate::render::{OutputFormat, plain_table};
use crate::settings::{Origin, Resolved, resolve};
use cartctl_aws::Result;
use cartctl_core::setting;

pub fn run(ctx: &Context) -> Result<()> {
    let mut rows: Vec<(&str, Resolved)> = Vec::new();
    for s in setting::ALL {
        let resolved = if s.key == setting::OUTPUT.key {
            ctx.output.clone()
        } else {
            let env = std::env::var(s.env).ok().filter(|v| !v.is_empty());
            resolve(s, env.as_deref(), false, ctx.config.as_ref())
        };
        rows.push((s.key, resolved));
    }
    // What the AWS SDK will use, for the record (it resolves these itself).
    for (name, flag, env) in [
        ("profile", &ctx.session.aws().profile, "AWS_PROFILE"),
        ("region", &ctx.session.aws().region, "AWS_REGION"),
        (
            "endpoint_url",
            &ctx.session.aws().endpoint_url,
            "AWS_ENDPOINT_URL",
        ),
    ] {
        let r = match (flag, std::env::var(env).ok().filter(|v| !v.is_empty())) {
            (Some(v), _) => Resolved {
                value: Some(v.clone()),
                origin: Origin::Flag(format!("--{}", name.replace('_', "-"))),
            },
            (None, Some(v)) => Resolved {
                value: Some(v),
                origin: Origin::Env(env.into()),
            },
            (None, None) => Resolved {
                value: None,
                origin: Origin::Unset,
            },
        };
        rows.push((name, r));
    }
    let file = ctx.config.as_ref().map(|f| f.path.display().to_string());
    match ctx.printer.format {
        OutputFormat::Json | OutputFormat::Ndjson => {
            let mut settings = Map::new();
            for (name, r) in &rows {
                settings.insert((*name).into(), serde_json::to_value(r).expect("serializes"));
            }
            ctx.printer
                .json(&json!({ "config_file": file, "settings": Value::Object(settings) }))
        }
        OutputFormat::Text => {
            let cells = rows.iter().map(|(name, r)| {
                vec![
                    name.to_string(),
                    r.value.clone().unwrap_or_else(|| "-".into()),
                    r.origin.to_string(),
                ]
            });
            ctx.printer
                .line(&plain_table(&["SETTING", "VALUE", "FROM"], cells))?;
            if !ctx.printer.quiet {
                ctx.printer.line(&match file {
                    Some(f) => format!("config file: {f}"),
                    None => "config file: none (cartctl.toml here, or $XDG_CONFIG_HOME/cartctl/config.toml)".into(),
                })?;
            }
            Ok(())
        }
    }
}
