//! Settings a team can share in a file (the keys of [`cartctl_core::setting::ALL`], unknown keys
//! refused): `cartctl.toml` in the working directory, or
//! `$XDG_CONFIG_HOME/cartctl/config.toml` (default `~/.config/cartctl/config.toml`), with the
//! keys of the `CARTCTL_*` environment variables in lower case without the prefix.
//!
//! Precedence: a flag, then its environment variable, then the file, then the default. Every
//! value in the file is checked when it is loaded, so a malformed file fails at once, naming the
//! file, the line and the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cartctl_aws::{Error, Result};
use cartctl_core::config::{self, Given};
pub use cartctl_core::config::{Origin, Resolved};
use cartctl_core::setting::{self, Setting};

use crate::render::OutputFormat;

/// A loaded, checked config file.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    /// Where it was read.
    pub path: PathBuf,
    /// The output format it sets.
    pub output: Option<OutputFormat>,
    values: BTreeMap<&'static str, String>,
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
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            Error::invalid(
                format!("{shown}:{line}"),
                format!("is not valid TOML: {}", e.message()),
                "write one `key = \"value\"` a line",
            )
        })?;
        let mut values = BTreeMap::new();
        for (name, value) in &table {
            let at = format!("{shown}:{} key `{name}`", line_of(text, name));
            let Some(s) = setting::by_key(name) else {
                return Err(Error::invalid(
                    at,
                    format!("unknown field `{name}`"),
                    "use the keys `cartctl config` lists, each set to a string",
                ));
            };
            let Some(value) = value.as_str() else {
                return Err(Error::invalid(
                    at,
                    format!("wanted string, found {}", value.type_str()),
                    "use the keys `cartctl config` lists, each set to a string",
                ));
            };
            config::check(s, &at, value)?;
            values.insert(s.key, value.to_owned());
        }
        let output = values
            .get(setting::OUTPUT.key)
            .and_then(|o| <OutputFormat as clap::ValueEnum>::from_str(o, false).ok());
        Ok(ConfigFile {
            path: path.to_owned(),
            output,
            values,
        })
    }

    /// The value of `s`, if the file sets it.
    pub fn get(&self, s: &Setting) -> Option<&str> {
        self.values.get(s.key).map(String::as_str)
    }
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

/// Resolves `s`: the value clap gave (a flag, or its variable: `from_flag` tells which), then
/// the file, then the default.
pub fn resolve(
    s: &Setting,
    cli: Option<&str>,
    from_flag: bool,
    file: Option<&ConfigFile>,
) -> Resolved {
    let given = cli.map(|v| (v, if from_flag { Given::Flag } else { Given::Env }));
    let path = file.map(|f| f.path.display().to_string());
    let in_file = file.and_then(|f| f.get(s)).zip(path.as_deref());
    config::resolve(s, given, in_file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_is_a_key_of_the_file() {
        let text: String = setting::ALL
            .iter()
            .map(|s| format!("{} = {:?}\n", s.key, s.default.unwrap_or("x")))
            .filter(|l| !l.starts_with("dlq_arn") && !l.starts_with("scheduler_role_arn"))
            .filter(|l| !l.starts_with("carts_queue") && !l.starts_with("email_queue"))
            .filter(|l| !l.starts_with("mail_from") && !l.starts_with("quiet_hours"))
            .collect();
        let f = parse(&text).unwrap_or_else(|e| panic!("{e}"));
        for s in setting::ALL {
            assert!(
                f.get(s).is_some() || s.default.is_none(),
                "{} is not read from the file",
                s.key
            );
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
        assert_eq!(f.get(&setting::EVENT_BUS), Some("shop"));
        assert_eq!(f.get(&setting::SCHEDULE_GROUP), Some("ci"));
        assert_eq!(f.get(&setting::OUTPUT), Some("json"));
        assert_eq!(f.output, Some(OutputFormat::Json));
        assert_eq!(f.get(&setting::SOURCE), None);
    }

    #[test]
    fn errors_name_the_file_line_and_key() {
        let e = parse("event_bus = \"shop\"\n\nschedule_group = \"bad group\"\n").unwrap_err();
        assert!(e.is_invalid());
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
        let k = &setting::EVENT_BUS;
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
            resolve(&setting::SCHEDULER_ROLE_ARN, None, false, None).origin,
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
        assert_eq!(f.get(&setting::EVENT_BUS), Some("xdg"));
        std::fs::write(cwd.path().join("cartctl.toml"), "event_bus = \"local\"\n").unwrap();
        let f = ConfigFile::discover(cwd.path(), env).unwrap().unwrap();
        assert_eq!(f.get(&setting::EVENT_BUS), Some("local"));
        let none = tempfile::tempdir().unwrap();
        assert!(
            ConfigFile::discover(none.path(), |_| None)
                .unwrap()
                .is_none()
        );
    }
}
