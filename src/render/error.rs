//! Errors as the command line shows them. The library names a field by the name the command
//! gave it (`--due-before`) or else by its key (`scheduler_role_arn`, `in`; see
//! [`cartctl_core::setting`]), and words its advice without flags; here keys become the flags of
//! the command that ran, a shared setting that was not given on the command line is said to come
//! from its flag or its environment variable, and the failures before AWS answers (no region,
//! no credentials, the network, throttling) name the global flags that fix them.

use std::collections::BTreeSet;

use clap::ArgMatches;
use clap::parser::ValueSource;

use cartctl_aws::Error;
use cartctl_aws::sdk::codes;
use cartctl_core::error::{AwsError, AwsErrorKind};

use cartctl_core::setting::ALL as SETTINGS;

/// Turns the library's errors into the command line's words for one invocation.
#[derive(Debug, Clone, Default)]
pub struct ErrorPresenter {
    /// The long flags of the command that ran (its subcommands' and the global ones).
    flags: BTreeSet<String>,
    /// Those given on the command line.
    given: BTreeSet<String>,
}

impl ErrorPresenter {
    /// The presenter for the command `matches` describes, whose definition is `command`.
    pub fn new(command: &clap::Command, matches: &ArgMatches) -> ErrorPresenter {
        let mut presenter = ErrorPresenter::default();
        let (mut command, mut matches) = (command, matches);
        loop {
            for arg in command.get_arguments() {
                let Some(long) = arg.get_long() else { continue };
                presenter.flags.insert(long.to_owned());
                let given = matches
                    .try_get_raw(arg.get_id().as_str())
                    .is_ok_and(|v| v.is_some())
                    && matches.value_source(arg.get_id().as_str())
                        == Some(ValueSource::CommandLine);
                if given {
                    presenter.given.insert(long.to_owned());
                }
            }
            let Some((name, sub)) = matches.subcommand() else {
                break;
            };
            let Some(next) = command.find_subcommand(name) else {
                break;
            };
            (command, matches) = (next, sub);
        }
        presenter
    }

    /// An error of the command (with the context the CLI gave it, if any) as it is printed:
    /// each context, then the library's error in the command line's words.
    pub fn text(&self, e: &anyhow::Error) -> String {
        let mut parts = Vec::new();
        for link in e.chain() {
            match link.downcast_ref::<Error>() {
                // The library's error says all there is (its sources included).
                Some(library) => {
                    parts.push(self.shown(library));
                    break;
                }
                None => parts.push(link.to_string()),
            }
        }
        parts.join(": ")
    }

    /// A library error in the command line's words, as text.
    fn shown(&self, e: &Error) -> String {
        let copy = match e {
            Error::Invalid {
                field,
                problem,
                fix,
            } => Error::invalid(field, problem, fix),
            Error::Aws(a) => Error::Aws(a.clone()),
            // Nothing else names a field or a fix the command line words differently.
            other => return other.to_string(),
        };
        self.present(copy).to_string()
    }

    /// One line of an error kept elsewhere (a worker's per-message failure), in the command
    /// line's words.
    pub fn one_line(&self, e: &Error) -> String {
        match e {
            Error::Invalid {
                field,
                problem,
                fix,
            } => self
                .present(Error::invalid(field.clone(), problem.clone(), fix.clone()))
                .one_line(),
            Error::Aws(a) => self.present(Error::Aws(a.clone())).one_line(),
            other => other.one_line(),
        }
    }

    /// The error in the command line's words.
    pub fn present(&self, e: Error) -> Error {
        match e {
            Error::Invalid {
                field,
                problem,
                fix,
            } => {
                let (field, fix) = self.name_field(&field, fix);
                Error::Invalid {
                    field,
                    problem,
                    fix,
                }
            }
            Error::Aws(a) => Error::Aws(self.aws_fix(a)),
            other => other,
        }
    }

    /// A field as its flag (each part of `user/product`), and the fix with where a shared
    /// setting comes from when it was not given on the command line.
    fn name_field(&self, field: &str, fix: String) -> (String, String) {
        let parts: Vec<&str> = field.split('/').collect();
        let flags: Option<Vec<String>> = parts.iter().map(|p| self.flag_of(p)).collect();
        let Some(flags) = flags else {
            return (field.to_owned(), fix);
        };
        let shared = SETTINGS
            .iter()
            .find(|k| k.key == field && k.key != "output");
        let fix = match shared {
            Some(k) if !self.given.contains(k.flag.trim_start_matches("--")) => {
                let whence = format!("pass {} or set {}", k.flag, k.env);
                if fix.is_empty() {
                    whence
                } else {
                    format!("{fix}: {whence}")
                }
            }
            _ => fix,
        };
        (flags.join("/"), fix)
    }

    /// The flag of a key: a shared setting's, or the command's flag of that name.
    fn flag_of(&self, key: &str) -> Option<String> {
        if let Some(k) = SETTINGS.iter().find(|k| k.key == key) {
            return Some(k.flag.to_owned());
        }
        let long = key.replace('_', "-");
        let plain = !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        (plain && self.flags.contains(&long)).then(|| format!("--{long}"))
    }

    /// The fix of a failure that the global flags (or a command's) can fix.
    fn aws_fix(&self, a: AwsError) -> AwsError {
        let fix = match (a.kind, a.code.as_str()) {
            (_, codes::NO_REGION) => {
                "pass --region, set AWS_REGION, or set `region` in the profile".into()
            }
            (_, codes::NO_CREDENTIALS) => {
                "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile, or run `aws sso login`"
                    .into()
            }
            (_, codes::NETWORK_ERROR) => {
                "check --endpoint-url (or AWS_ENDPOINT_URL), the region and your network".into()
            }
            (AwsErrorKind::Throttling, _) if self.flags.contains("concurrency") => {
                "retry later, or lower --concurrency".into()
            }
            _ => return a,
        };
        AwsError { fix, ..a }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::cli::Cli;

    fn presenter(args: &[&str]) -> ErrorPresenter {
        let command = Cli::command();
        let matches = command.clone().try_get_matches_from(args).unwrap();
        ErrorPresenter::new(&command, &matches)
    }

    #[test]
    fn keys_become_the_flags_of_the_command() {
        let p = presenter(&[
            "cartctl",
            "schedule",
            "--user",
            "u",
            "--product",
            "p",
            "--in",
            "1d",
        ]);
        let shown = |field: &str| match p.present(Error::invalid(field, "is bad", "fix it")) {
            Error::Invalid { field, .. } => field,
            other => panic!("{other}"),
        };
        assert_eq!(shown("in"), "--in");
        assert_eq!(shown("flexible_window"), "--flexible-window");
        assert_eq!(shown("scheduler_role_arn"), "--role-arn");
        assert_eq!(shown("event_bus"), "--bus");
        assert_eq!(shown("user/product"), "--user/--product");
        assert_eq!(shown("region"), "--region");
        // Names the caller gave, and fields no flag sets, stay as they are.
        assert_eq!(shown("--due-before"), "--due-before");
        assert_eq!(shown("detail.user"), "detail.user");
        assert_eq!(shown("no_such_flag"), "no_such_flag");
    }

    #[test]
    fn a_shared_setting_not_given_says_where_it_comes_from() {
        let p = presenter(&[
            "cartctl",
            "schedule",
            "--user",
            "u",
            "--product",
            "p",
            "--in",
            "1d",
        ]);
        let e = p.present(Error::invalid(
            "scheduler_role_arn",
            "is required",
            "give one",
        ));
        assert_eq!(
            e.to_string(),
            "invalid --role-arn: is required\n  hint: give one: pass --role-arn or set CARTCTL_SCHEDULER_ROLE_ARN"
        );
        let given = presenter(&[
            "cartctl",
            "schedule",
            "--user",
            "u",
            "--product",
            "p",
            "--in",
            "1d",
            "--role-arn",
            "x",
        ]);
        let e = given.present(Error::invalid("scheduler_role_arn", "is bad", "give one"));
        assert_eq!(
            e.to_string(),
            "invalid --role-arn: is bad\n  hint: give one"
        );
    }

    #[test]
    fn local_failures_name_the_global_flags() {
        let p = presenter(&["cartctl", "list"]);
        let e = p.present(Error::Aws(AwsError {
            operation: "configuration",
            kind: AwsErrorKind::Config,
            code: codes::NO_REGION.into(),
            message: "no AWS region is configured".into(),
            fix: "set AWS_REGION".into(),
        }));
        assert!(
            e.to_string().contains("pass --region, set AWS_REGION"),
            "{e}"
        );
    }
}
