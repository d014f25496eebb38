//! The e-mail template: a TOML file with `subject`, `text` and (optionally) `html`, each a
//! minijinja template. Undefined variables are errors (strict), the HTML body escapes every
//! value, the subject is made one line.

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Deserialize;

use crate::error::{Error, Result};

/// The built-in template.
pub const BUILTIN: &str = include_str!("default.toml");

/// The variables a template may name (`detail` holds the reminder's other keys).
pub const KNOWN_VARIABLES: [&str; 8] = [
    "user",
    "product",
    "stage",
    "stages",
    "to",
    "detail",
    UNSUBSCRIBE_URL,
    POSTAL_ADDRESS,
];
/// The variable of the customer's one-click unsubscribe link.
pub const UNSUBSCRIBE_URL: &str = "unsubscribe_url";
/// The variable of the shop's postal address (`mail_postal_address`).
pub const POSTAL_ADDRESS: &str = "postal_address";
/// What `unsubscribe_url` renders: SES's placeholder, which SES replaces with the link to the
/// unsubscribe page it hosts when the e-mail is sent with list management options.
pub const UNSUBSCRIBE_PLACEHOLDER: &str = "{{amazonSESUnsubscribeUrl}}";
/// minijinja's global functions, which a template may call.
const GLOBALS: [&str; 4] = ["range", "dict", "namespace", "debug"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Parts {
    subject: String,
    text: String,
    html: Option<String>,
}

/// A checked template.
#[derive(Debug, Clone)]
pub struct MailTemplate {
    env: Environment<'static>,
    has_html: bool,
}

/// A rendered e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// One line.
    pub subject: String,
    /// The text body.
    pub text: String,
    /// The HTML body, if the template has one.
    pub html: Option<String>,
}

impl MailTemplate {
    /// The built-in template.
    pub fn builtin() -> MailTemplate {
        MailTemplate::parse("built-in template", BUILTIN).expect("the built-in template is valid")
    }

    /// Parses and checks a template file's text; errors name `field`.
    pub fn parse(field: &str, source: &str) -> Result<MailTemplate> {
        let parts: Parts = toml::from_str(source).map_err(|e| {
            Error::invalid(
                field,
                format!("is not a template file: {}", e.message()),
                "give a TOML file with subject, text and html (the built-in one: cartctl worker mailer --print-template)",
            )
        })?;
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name == "html" {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        let mut add = |name: &'static str, text: String| {
            env.add_template_owned(name, text).map_err(|e| {
                Error::invalid(
                    field,
                    format!("its {name} does not parse: {}", one_line(&e)),
                    "fix the template's syntax (minijinja, like Jinja2)",
                )
            })
        };
        add("subject", parts.subject)?;
        add("text", parts.text)?;
        let has_html = parts.html.is_some();
        if let Some(html) = parts.html {
            add("html", html)?;
        }
        let t = MailTemplate { env, has_html };
        t.check_variables(field)?;
        Ok(t)
    }

    fn names(&self) -> Vec<&'static str> {
        let mut names = vec!["subject", "text"];
        if self.has_html {
            names.push("html");
        }
        names
    }

    /// Every variable a part names must be a known one.
    fn check_variables(&self, field: &str) -> Result<()> {
        for name in self.names() {
            let t = self.env.get_template(name).expect("added above");
            let mut unknown: Vec<String> = t
                .undeclared_variables(false)
                .into_iter()
                .filter(|v| {
                    !KNOWN_VARIABLES.contains(&v.as_str()) && !GLOBALS.contains(&v.as_str())
                })
                .collect();
            unknown.sort();
            if let Some(v) = unknown.first() {
                return Err(Error::invalid(
                    field,
                    format!("its {name} names the unknown variable `{v}`"),
                    format!(
                        "use {}; the event's keys are under detail (detail.{v})",
                        KNOWN_VARIABLES.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Each body part (the text, and the HTML if there is one) must show the unsubscribe link:
    /// a reminder is commercial e-mail, and the law and the mailbox providers want a visible
    /// way out in every one.
    pub fn check_unsubscribe_link(&self, field: &str) -> Result<()> {
        for name in self.names().into_iter().filter(|n| *n != "subject") {
            let t = self.env.get_template(name).expect("added above");
            if !t.undeclared_variables(false).contains(UNSUBSCRIBE_URL) {
                return Err(Error::invalid(
                    field,
                    format!("its {name} has no unsubscribe link ({{{{ {UNSUBSCRIBE_URL} }}}})"),
                    format!(
                        "add {{{{ {UNSUBSCRIBE_URL} }}}} to the {name} (or give --allow-no-unsubscribe-link where the law allows it)"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Renders the e-mail; an error (a missing detail key the template needs) names the part.
    pub fn render(&self, context: &serde_json::Value) -> Result<Rendered> {
        let render = |name: &str| {
            let t = self.env.get_template(name).expect("added at parse");
            t.render(context).map_err(|e| {
                Error::invalid(
                    "template",
                    format!("its {name} does not render: {}", one_line(&e)),
                    "guard optional keys with `is defined` or `| default(…)` in the template",
                )
            })
        };
        let subject = render("subject")?
            .split(|c: char| c == '\r' || c == '\n' || c.is_control())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if subject.is_empty() {
            return Err(Error::invalid(
                "template",
                "its subject renders empty",
                "give the template a subject that always has text",
            ));
        }
        let text = render("text")?.trim().to_owned() + "\n";
        let html = self
            .has_html
            .then(|| render("html").map(|h| h.trim().to_owned()))
            .transpose()?;
        Ok(Rendered {
            subject,
            text,
            html,
        })
    }
}

fn one_line(e: &minijinja::Error) -> String {
    let mut s = e
        .detail()
        .map_or_else(|| e.kind().to_string(), str::to_owned);
    if let Some(line) = e.line() {
        s.push_str(&format!(" (line {line})"));
    }
    s
}
