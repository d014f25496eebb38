//! The one resolver of settings ([`crate::setting`]), for the CLI and the Lambda functions
//! alike: each value is checked as its kind says ([`check`]), and layered — a flag, then its
//! environment variable, then the config file, then the default ([`resolve`]) — keeping where
//! it came from ([`Origin`]). The typed bundles (`ConsumerConfig`, `MailSettings`,
//! `ReminderSettings`) are built from a getter over these layers, so a front end supplies only
//! its layers: the CLI its flags, environment and file; a function its environment.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::setting::{Kind, Setting};

/// Checks `value` as `s`'s kind says; the error names `field` (how the caller shows the
/// setting: a flag, a variable, a file's line).
pub fn check(s: &Setting, field: &str, value: &str) -> Result<()> {
    match s.kind {
        Kind::Bus => crate::bus::BusRef::parse(field, value).map(|_| ()),
        Kind::GroupName => crate::limits::check_name(field, value),
        Kind::RoleArn => crate::arn::check_role_arn(field, value),
        // A FIFO queue is refused where it is used (schedule), and reported by doctor.
        Kind::QueueArn => crate::arn::check_any_sqs_arn(field, value),
        Kind::QueueRef => crate::limits::check_queue_ref(field, value),
        Kind::Source => crate::limits::check_source(field, value),
        // A template is checked whole once its placeholders are filled in.
        Kind::DetailType if value.is_empty() => crate::limits::check_detail_type(field, value),
        Kind::DetailType | Kind::Text => Ok(()),
        Kind::Stages => crate::consumer::parse_stages(field, value).map(|_| ()),
        Kind::Duration => parse_duration_or_zero(field, value).map(|_| ()),
        Kind::QuietHours => crate::quiet::QuietHours::parse(field, value).map(|_| ()),
        Kind::Timezone => crate::due::parse_timezone(field, value).map(|_| ()),
        Kind::Sender => crate::mail::Sender::parse(field, value).map(|_| ()),
        Kind::Count => parse_count(field, value).map(|_| ()),
        Kind::Percent => crate::recovery::parse_percent(field, value).map(|_| ()),
        Kind::OneOf(words) if words.contains(&value) => Ok(()),
        Kind::OneOf(words) => Err(Error::invalid(
            field,
            format!(
                "unknown variant `{value}`, expected one of {}",
                words
                    .iter()
                    .map(|w| format!("`{w}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!("give one of {}", words.join(", ")),
        )),
    }
}

/// A duration (`24h`, `30d`), or `0` for none (`Kind::Duration`).
pub fn parse_duration_or_zero(field: &str, text: &str) -> Result<std::time::Duration> {
    if text.trim() == "0" {
        return Ok(std::time::Duration::ZERO);
    }
    crate::due::parse_duration(field, text)
}

/// A whole number from 1 to 1000 (`Kind::Count`).
pub fn parse_count(field: &str, text: &str) -> Result<u32> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err(Error::invalid(
            field,
            format!("`{text}` is not a whole number from 1 to 1000"),
            "give a number such as 2",
        )),
    }
}

/// Where a resolved setting came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "source", content = "from")]
pub enum Origin {
    /// A command-line flag.
    Flag(String),
    /// An environment variable.
    Env(String),
    /// The config file.
    File(String),
    /// cartctl's default.
    Default,
    /// Not set.
    Unset,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "flag {flag}"),
            Origin::Env(var) => write!(f, "env {var}"),
            Origin::File(path) => write!(f, "file {path}"),
            Origin::Default => f.write_str("default"),
            Origin::Unset => f.write_str("not set"),
        }
    }
}

/// A setting's value and origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved {
    /// The value (none if unset).
    pub value: Option<String>,
    /// Where it came from.
    #[serde(flatten)]
    pub origin: Origin,
}

/// Where a value above the file came from: a flag, or the flag's environment variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given {
    /// On the command line.
    Flag,
    /// In the environment.
    Env,
}

/// Resolves `s`: the flag's or the environment's value (`given`), else the file's (`file`:
/// its value and the file's path), else the default.
pub fn resolve(s: &Setting, given: Option<(&str, Given)>, file: Option<(&str, &str)>) -> Resolved {
    let (value, origin) = match (given, file, s.default) {
        (Some((v, Given::Flag)), _, _) => (Some(v), Origin::Flag(s.flag.to_owned())),
        (Some((v, Given::Env)), _, _) => (Some(v), Origin::Env(s.env.to_owned())),
        (None, Some((v, path)), _) => (Some(v), Origin::File(path.to_owned())),
        (None, None, Some(d)) => (Some(d), Origin::Default),
        (None, None, None) => (None, Origin::Unset),
    };
    Resolved {
        value: value.map(str::to_owned),
        origin,
    }
}

/// A setting's value from the process environment alone (a Lambda function's layers): its
/// variable, when set and not empty. Defaults are the bundles' to apply.
pub fn from_env(s: &Setting) -> Option<String> {
    std::env::var(s.env).ok().filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setting::{self, ALL};

    #[test]
    fn every_setting_is_declared_once_with_its_variable() {
        let keys: std::collections::BTreeSet<_> = ALL.iter().map(|s| s.key).collect();
        assert_eq!(keys.len(), ALL.len(), "keys are unique");
        for s in ALL {
            assert_eq!(s.env, setting::env_var(s.key), "{}", s.key);
            assert!(!s.help.is_empty(), "{}", s.key);
            if let Some(d) = s.default {
                check(s, s.key, d).unwrap_or_else(|e| panic!("{}'s default: {e}", s.key));
            }
        }
        assert_eq!(setting::by_key("event_bus"), Some(&setting::EVENT_BUS));
    }

    #[test]
    fn values_are_checked_as_their_kind_says() {
        for (s, bad) in [
            (setting::EVENT_BUS, "bad bus"),
            (setting::SCHEDULE_GROUP, "bad group"),
            (setting::SCHEDULER_ROLE_ARN, "nope"),
            (setting::REMIND_AFTER, "soon"),
            (setting::QUIET_HOURS, "21:00"),
            (setting::TIMEZONE, "Mars/Olympus"),
            (setting::MAIL_FROM, "shop@"),
            (setting::MAILER_CONCURRENCY, "0"),
            (setting::OUTPUT, "yaml"),
        ] {
            let e = check(&s, "f", bad).unwrap_err();
            assert!(e.is_invalid(), "{}", s.key);
            assert!(e.to_string().starts_with("invalid f:"), "{e}");
        }
        let e = check(&setting::OUTPUT, "f", "yaml").unwrap_err();
        assert!(
            e.to_string()
                .contains("unknown variant `yaml`, expected one of `text`")
        );
    }

    #[test]
    fn precedence_is_flag_env_file_default() {
        let s = &setting::EVENT_BUS;
        let file = Some(("from-file", "cartctl.toml"));
        assert_eq!(
            resolve(s, Some(("x", Given::Flag)), file).origin,
            Origin::Flag("--bus".into())
        );
        assert_eq!(
            resolve(s, Some(("x", Given::Env)), file).origin,
            Origin::Env("CARTCTL_EVENT_BUS".into())
        );
        let r = resolve(s, None, file);
        assert_eq!(
            (r.value.as_deref(), r.origin),
            (Some("from-file"), Origin::File("cartctl.toml".into()))
        );
        let r = resolve(s, None, None);
        assert_eq!(
            (r.value.as_deref(), r.origin),
            (Some("default"), Origin::Default)
        );
        assert_eq!(
            resolve(&setting::SCHEDULER_ROLE_ARN, None, None).origin,
            Origin::Unset
        );
    }
}
