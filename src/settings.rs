//! Settings a team can share in a file (read with serde, unknown keys refused): `cartctl.toml` in the working directory, or
//! `$XDG_CONFIG_HOME/cartctl/config.toml` (default `~/.config/cartctl/config.toml`), with the
//! keys of the `CARTCTL_*` environment variables in lower case without the prefix.
//!
//! Precedence: a flag, then its environment variable, then the file, then the default. Every
//! value in the file is checked when it is loaded, so a malformed file fails at once, naming the
//! file, the line and the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use cartctl_aws::{Error, Result};
use cartctl_core::bus::BusRef;
use cartctl_core::limits;
use cartctl_core::setting::{self, Setting};

use crate::render::OutputFormat;

/// A setting the file may hold: a shared setting of [`cartctl_core::setting`] (or the CLI's own
/// `output`), with its flag and environment variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The setting: its key in the file, and its default.
    pub setting: Setting,
    /// The environment variable (`CARTCTL_` and the key in upper case).
    pub env: &'static str,
    /// The flag.
    pub flag: &'static str,
}

impl Key {
    /// The key in the file.
    pub fn name(&self) -> &'static str {
        self.setting.key
    }

    /// The default, if any.
    pub fn default(&self) -> Option<&'static str> {
        self.setting.default
    }
}

/// `--output`, the one setting of the CLI alone.
const OUTPUT: Setting = Setting {
    key: "output",
    default: Some("text"),
};

/// Every key, in the order `cartctl config` shows them.
pub const KEYS: [Key; 19] = [
    Key {
        setting: setting::EVENT_BUS,
        env: "CARTCTL_EVENT_BUS",
        flag: "--bus",
    },
    Key {
        setting: setting::SCHEDULE_GROUP,
        env: "CARTCTL_SCHEDULE_GROUP",
        flag: "--group",
    },
    Key {
        setting: setting::SCHEDULER_ROLE_ARN,
        env: "CARTCTL_SCHEDULER_ROLE_ARN",
        flag: "--role-arn",
    },
    Key {
        setting: setting::DLQ_ARN,
        env: "CARTCTL_DLQ_ARN",
        flag: "--dlq-arn",
    },
    Key {
        setting: setting::SOURCE,
        env: "CARTCTL_SOURCE",
        flag: "--source",
    },
    Key {
        setting: setting::DETAIL_TYPE,
        env: "CARTCTL_DETAIL_TYPE",
        flag: "--detail-type",
    },
    Key {
        setting: setting::REMOVED_DETAIL_TYPE,
        env: "CARTCTL_REMOVED_DETAIL_TYPE",
        flag: "--removed-detail-type",
    },
    Key {
        setting: setting::CHECKOUT_DETAIL_TYPE,
        env: "CARTCTL_CHECKOUT_DETAIL_TYPE",
        flag: "--checkout-detail-type",
    },
    Key {
        setting: setting::REMIND_AFTER,
        env: "CARTCTL_REMIND_AFTER",
        flag: "--remind-after",
    },
    Key {
        setting: setting::QUIET_HOURS,
        env: "CARTCTL_QUIET_HOURS",
        flag: "--quiet-hours",
    },
    Key {
        setting: setting::TIMEZONE,
        env: "CARTCTL_TIMEZONE",
        flag: "--timezone",
    },
    Key {
        setting: setting::CARTS_QUEUE,
        env: "CARTCTL_CARTS_QUEUE",
        flag: "--queue",
    },
    Key {
        setting: setting::EMAIL_QUEUE,
        env: "CARTCTL_EMAIL_QUEUE",
        flag: "--queue",
    },
    Key {
        setting: setting::MAIL_FROM,
        env: "CARTCTL_MAIL_FROM",
        flag: "--mail-from",
    },
    Key {
        setting: setting::RECIPIENT_FIELD,
        env: "CARTCTL_RECIPIENT_FIELD",
        flag: "--recipient-field",
    },
    Key {
        setting: setting::MAIL_TEMPLATE,
        env: "CARTCTL_MAIL_TEMPLATE",
        flag: "--template",
    },
    Key {
        setting: setting::MAILER_CONCURRENCY,
        env: "CARTCTL_MAILER_CONCURRENCY",
        flag: "--mailer-concurrency",
    },
    Key {
        setting: setting::API_URL,
        env: "CARTCTL_API_URL",
        flag: "setup --api",
    },
    Key {
        setting: OUTPUT,
        env: "CARTCTL_OUTPUT",
        flag: "--output",
    },
];

/// The key named `name`.
pub fn key(name: &str) -> &'static Key {
    KEYS.iter().find(|k| k.name() == name).expect("a known key")
}

/// A loaded, checked config file.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    /// Where it was read.
    pub path: PathBuf,
    /// The output format it sets.
    pub output: Option<OutputFormat>,
    values: BTreeMap<String, String>,
}

/// The file name looked for in the working directory.
pub const LOCAL_FILE: &str = "cartctl.toml";

impl ConfigFile {
    /// Finds and loads the config file: `cartctl.toml` in `cwd`, else `config.toml` under
    /// `$XDG_CONFIG_HOME/cartctl` (or `$HOME/.config/cartctl`). `None` if there is none.
    pub fn discover(
        cwd: &Path,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<ConfigFile>> {
        let mut candidates = vec![cwd.join(LOCAL_FILE)];
        let xdg = env("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                env("HOME")
                    .filter(|v| !v.is_empty())
                    .map(|h| Path::new(&h).join(".config"))
            });
        if let Some(dir) = xdg {
            candidates.push(dir.join("cartctl").join("config.toml"));
        }
        for path in candidates {
            match std::fs::read_to_string(&path) {
                Ok(text) => return ConfigFile::parse(&path, &text).map(Some),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    return Err(Error::invalid(
                        path.display().to_string(),
                        format!("cannot be read: {e}"),
                        "fix its permissions, or remove it",
                    ));
                }
            }
        }
        Ok(None)
    }

    /// Parses and checks the text of a config file; errors name the file, the line and the key.
    pub fn parse(path: &Path, text: &str) -> Result<ConfigFile> {
        let shown = path.display().to_string();
        let file: FileSettings = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            if text.parse::<toml::Table>().is_err() {
                return Error::invalid(
                    format!("{shown}:{line}"),
                    format!("is not valid TOML: {}", e.message()),
                    "write one `key = \"value\"` a line",
                );
            }
            let at = match key_on_line(text, line) {
                Some(k) => format!("{shown}:{line} key `{k}`"),
                None => format!("{shown}:{line}"),
            };
            Error::invalid(
                at,
                e.message().to_owned(),
                "use the keys `cartctl config` lists, each set to a string",
            )
        })?;
        let output = file.output;
        let values: BTreeMap<String, String> = file.values().collect();
        for (name, value) in &values {
            let k = key(name);
            check(k, value).map_err(|e| match e {
                Error::Invalid { problem, fix, .. } => Error::invalid(
                    format!("{shown}:{} key `{name}`", line_of(text, name)),
                    problem,
                    fix,
                ),
                other => other,
            })?;
        }
        Ok(ConfigFile {
            path: path.to_owned(),
            output,
            values,
        })
    }

    /// The value of a key, if the file sets it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

/// What the file may hold: every key optional, nothing else.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    event_bus: Option<String>,
    schedule_group: Option<String>,
    scheduler_role_arn: Option<String>,
    dlq_arn: Option<String>,
    source: Option<String>,
    detail_type: Option<String>,
    removed_detail_type: Option<String>,
    checkout_detail_type: Option<String>,
    remind_after: Option<String>,
    quiet_hours: Option<String>,
    timezone: Option<String>,
    carts_queue: Option<String>,
    email_queue: Option<String>,
    mail_from: Option<String>,
    recipient_field: Option<String>,
    mail_template: Option<String>,
    mailer_concurrency: Option<String>,
    api_url: Option<String>,
    output: Option<OutputFormat>,
}

impl FileSettings {
    /// The keys set, with their values as text.
    fn values(self) -> impl Iterator<Item = (String, String)> {
        let output = self.output.map(OutputFormat::name);
        [
            ("event_bus", self.event_bus),
            ("schedule_group", self.schedule_group),
            ("scheduler_role_arn", self.scheduler_role_arn),
            ("dlq_arn", self.dlq_arn),
            ("source", self.source),
            ("detail_type", self.detail_type),
            ("removed_detail_type", self.removed_detail_type),
            ("checkout_detail_type", self.checkout_detail_type),
            ("remind_after", self.remind_after),
            ("quiet_hours", self.quiet_hours),
            ("timezone", self.timezone),
            ("carts_queue", self.carts_queue),
            ("email_queue", self.email_queue),
            ("mail_from", self.mail_from),
            ("recipient_field", self.recipient_field),
            ("mail_template", self.mail_template),
            ("mailer_concurrency", self.mailer_concurrency),
            ("api_url", self.api_url),
            ("output", output),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
    }
}

/// The key set on line `line` (1-based), if the line sets one.
fn key_on_line(text: &str, line: usize) -> Option<&str> {
    let l = text.lines().nth(line.checked_sub(1)?)?.trim_start();
    let (k, _) = l.split_once('=')?;
    let k = k.trim().trim_matches('"');
    (!k.is_empty()).then_some(k)
}

/// The line on which `key` is set (1 if it cannot be told).
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .or_else(|| l.strip_prefix(&format!("\"{key}\"")))
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

/// Checks a value the way its flag is checked.
fn check(k: &Key, value: &str) -> Result<()> {
    match k.setting {
        setting::EVENT_BUS => BusRef::parse(k.flag, value).map(|_| ()),
        setting::SCHEDULE_GROUP => limits::check_name(k.flag, value),
        setting::SCHEDULER_ROLE_ARN => cartctl_core::arn::check_role_arn(k.flag, value),
        // A FIFO queue is refused where it is used (schedule), and reported by doctor.
        setting::DLQ_ARN => cartctl_core::arn::check_any_sqs_arn(k.flag, value),
        setting::SOURCE => limits::check_source(k.flag, value),
        setting::DETAIL_TYPE | setting::REMOVED_DETAIL_TYPE | setting::CHECKOUT_DETAIL_TYPE
            if value.is_empty() =>
        {
            limits::check_detail_type(k.flag, value)
        }
        setting::REMIND_AFTER => cartctl_core::consumer::parse_stages(k.flag, value).map(|_| ()),
        setting::QUIET_HOURS => cartctl_core::quiet::QuietHours::parse(k.flag, value).map(|_| ()),
        setting::TIMEZONE => cartctl_core::due::parse_timezone(k.flag, value).map(|_| ()),
        setting::CARTS_QUEUE | setting::EMAIL_QUEUE => {
            cartctl_core::limits::check_queue_ref(k.flag, value)
        }
        setting::MAIL_FROM => cartctl_core::mail::Sender::parse(k.flag, value).map(|_| ()),
        setting::MAILER_CONCURRENCY => {
            cartctl_core::mail::parse_concurrency(k.flag, value).map(|_| ())
        }
        _ => Ok(()),
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

/// Resolves `key`: the flag-or-environment value clap gave (`from_flag` tells which), then the
/// file, then the default.
pub fn resolve(
    key: &Key,
    cli: Option<&str>,
    from_flag: bool,
    file: Option<&ConfigFile>,
) -> Resolved {
    if let Some(v) = cli {
        let origin = if from_flag {
            Origin::Flag(key.flag.to_owned())
        } else {
            Origin::Env(key.env.to_owned())
        };
        return Resolved {
            value: Some(v.to_owned()),
            origin,
        };
    }
    if let Some((f, v)) = file.and_then(|f| f.get(key.name()).map(|v| (f, v))) {
        return Resolved {
            value: Some(v.to_owned()),
            origin: Origin::File(f.path.display().to_string()),
        };
    }
    match key.default() {
        Some(d) => Resolved {
            value: Some(d.to_owned()),
            origin: Origin::Default,
        },
        None => Resolved {
            value: None,
            origin: Origin::Unset,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_variable_is_its_settings() {
        for k in KEYS {
            assert_eq!(k.env, k.setting.env_var(), "{}", k.name());
        }
        for shared in setting::ALL {
            assert!(KEYS.iter().any(|k| k.setting == shared), "{}", shared.key);
        }
    }

    fn parse(text: &str) -> Result<ConfigFile> {
        ConfigFile::parse(Path::new("cartctl.toml"), text)
    }

    #[test]
    fn a_valid_file_is_read() {
        let f =
            parse("event_bus = \"shop\"\nschedule_group = \"ci\"\n# comment\noutput = \"json\"\n")
                .unwrap();
        assert_eq!(f.get("event_bus"), Some("shop"));
        assert_eq!(f.get("schedule_group"), Some("ci"));
        assert_eq!(f.get("output"), Some("json"));
        assert_eq!(f.get("source"), None);
    }

    #[test]
    fn errors_name_the_file_line_and_key() {
        let e = parse("event_bus = \"shop\"\n\nschedule_group = \"bad group\"\n").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.to_string()
                .starts_with("invalid cartctl.toml:3 key `schedule_group`"),
            "{e}"
        );
        let e = parse("event_bus = \"shop\"\ncolour = \"red\"\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("cartctl.toml:2 key `colour`: unknown field `colour`"),
            "{e}"
        );
        let e = parse("output = 3\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("cartctl.toml:1 key `output`: wanted string"),
            "{e}"
        );
        let e = parse("output = \"yaml\"\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("key `output`: unknown variant `yaml`, expected one of"),
            "{e}"
        );
        let e = parse("event_bus = \"shop\"\nsource = \n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid cartctl.toml:2: is not valid TOML"),
            "{e}"
        );
        let e = parse("scheduler_role_arn = \"nope\"\n").unwrap_err();
        assert!(e.to_string().contains("key `scheduler_role_arn`"), "{e}");
    }

    #[test]
    fn precedence_is_flag_env_file_default() {
        let file = parse("event_bus = \"from-file\"\n").unwrap();
        let k = key("event_bus");
        assert_eq!(
            resolve(k, Some("x"), true, Some(&file)).origin,
            Origin::Flag("--bus".into())
        );
        assert_eq!(
            resolve(k, Some("x"), false, Some(&file)).origin,
            Origin::Env("CARTCTL_EVENT_BUS".into())
        );
        let r = resolve(k, None, false, Some(&file));
        assert_eq!(
            (r.value.as_deref(), r.origin),
            (Some("from-file"), Origin::File("cartctl.toml".into()))
        );
        let r = resolve(k, None, false, None);
        assert_eq!(
            (r.value.as_deref(), r.origin),
            (Some("default"), Origin::Default)
        );
        assert_eq!(
            resolve(key("scheduler_role_arn"), None, false, None).origin,
            Origin::Unset
        );
    }

    #[test]
    fn discovery_prefers_the_working_directory() {
        let cwd = tempfile::tempdir().unwrap();
        let xdg = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(xdg.path().join("cartctl")).unwrap();
        std::fs::write(
            xdg.path().join("cartctl/config.toml"),
            "event_bus = \"xdg\"\n",
        )
        .unwrap();
        let env = |k: &str| (k == "XDG_CONFIG_HOME").then(|| xdg.path().display().to_string());
        let f = ConfigFile::discover(cwd.path(), env).unwrap().unwrap();
        assert_eq!(f.get("event_bus"), Some("xdg"));
        std::fs::write(cwd.path().join("cartctl.toml"), "event_bus = \"local\"\n").unwrap();
        let f = ConfigFile::discover(cwd.path(), env).unwrap().unwrap();
        assert_eq!(f.get("event_bus"), Some("local"));
        let none = tempfile::tempdir().unwrap();
        assert!(
            ConfigFile::discover(none.path(), |_| None)
                .unwrap()
                .is_none()
        );
    }
}
