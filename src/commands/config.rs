//! `cartctl config`: the resolved settings and where each came from.

use super::Context;
use crate::render::outcome::ConfigReport;
use crate::settings::{Origin, Resolved, resolve};
use cartctl_aws::Result;
use cartctl_core::setting;

pub fn run(ctx: &Context) -> Result<()> {
    let mut rows: Vec<(&'static str, Resolved)> = Vec::new();
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
    ctx.printer.report(&ConfigReport { rows, file })
}
