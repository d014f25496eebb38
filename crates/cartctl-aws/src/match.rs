//! `match --bus`: every rule of a bus, and whether an event matches it — cartctl's own
//! EventBridge pattern matcher ([`cartctl_core::matcher`]), confirmed by TestEventPattern where
//! the event is a complete envelope and the service answers (EventBridge's answer wins) — with
//! the targets of the rules that match. The answer to "why did my consumer not get this event?".

use serde::Serialize;
use serde_json::Value;

use crate::sdk::{events, rules};
use crate::session::Session;
use cartctl_core::Result;
use cartctl_core::matcher;

/// The fields TestEventPattern requires of an event.
pub const ENVELOPE_FIELDS: [&str; 7] = [
    "id",
    "account",
    "source",
    "time",
    "region",
    "resources",
    "detail-type",
];

/// One rule of the bus and what it makes of the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleMatch {
    /// The rule's name.
    pub rule: String,
    /// ENABLED or DISABLED.
    pub state: &'static str,
    /// True if the pattern matches the event (a scheduled rule, with no pattern, never does).
    pub matches: bool,
    /// EventBridge's own answer (TestEventPattern), when it could be asked.
    pub confirmed: Option<bool>,
    /// Why the rule's pattern could not be evaluated locally, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
    /// The targets' ARNs, for a rule that matches.
    pub targets: Vec<String>,
}

/// True if `event` has what TestEventPattern needs.
pub fn is_envelope(event: &Value) -> bool {
    ENVELOPE_FIELDS.iter().all(|k| event.get(k).is_some())
}

impl Session {
    /// Every rule of `bus` and whether `event` matches it.
    pub async fn rules_matching(&self, bus: &str, event: &Value) -> Result<Vec<RuleMatch>> {
        let ev = &self.clients().await?.events;
        let all = self.retrier().run(|_| rules::rules_on(ev, bus)).await?;
        let text = event.to_string();
        let mut out = Vec::with_capacity(all.len());
        for rule in all {
            let state = if rule.enabled { "ENABLED" } else { "DISABLED" };
            let Some(pattern) = rule.pattern.as_deref() else {
                out.push(RuleMatch {
                    rule: rule.name,
                    state,
                    matches: false,
                    confirmed: None,
                    invalid: None,
                    targets: Vec::new(),
                });
                continue;
            };
            let local = matcher::matches(pattern, event);
            let confirmed = if is_envelope(event) {
                self.retrier()
                    .run(|_| events::test_pattern(ev, pattern, &text))
                    .await
                    .ok()
                    .flatten()
            } else {
                None
            };
            let matches = confirmed.unwrap_or(*local.as_ref().unwrap_or(&false));
            let targets = if matches {
                let t = self
                    .retrier()
                    .run(|_| rules::targets(ev, bus, &rule.name))
                    .await?;
                t.into_iter().map(|(_, arn)| arn).collect()
            } else {
                Vec::new()
            };
            out.push(RuleMatch {
                rule: rule.name,
                state,
                matches,
                confirmed,
                invalid: local.err().map(|e| e.to_string()),
                targets,
            });
        }
        Ok(out)
    }
}
