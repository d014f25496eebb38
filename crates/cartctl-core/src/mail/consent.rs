//! Who may be e-mailed: the shop's consent regime (`consent`), the customer's contact on the
//! account's SES contact list, and the account's suppression list. Pure decisions; the mailer
//! reads the contact and the suppression entry and asks [`may_email`].

use std::fmt;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::setting;

/// The shop's consent regime (`consent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    /// Opt-out (CAN-SPAM; a shop's "anyone who abandons a checkout"): a customer is e-mailed
    /// unless they unsubscribed. The topic's default subscription is `OPT_IN`.
    Implied,
    /// Opt-in (the EU's and UK's consent rules): a customer is e-mailed only once they
    /// consented. The topic's default subscription is `OPT_OUT`.
    Required,
}

impl Consent {
    /// Reads a `consent` value.
    pub fn parse(field: &str, text: &str) -> Result<Consent> {
        crate::config::check(&setting::CONSENT, field, text)?;
        Ok(if text == "required" {
            Consent::Required
        } else {
            Consent::Implied
        })
    }

    /// The topic's default subscription status this regime gives (SES's word).
    pub fn default_status(self) -> Subscription {
        match self {
            Consent::Implied => Subscription::OptIn,
            Consent::Required => Subscription::OptOut,
        }
    }

    /// The setting's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Consent::Implied => "implied",
            Consent::Required => "required",
        }
    }
}

/// A subscription status, as SES spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subscription {
    /// Subscribed.
    OptIn,
    /// Not subscribed.
    OptOut,
}

impl Subscription {
    /// SES's word (`OPT_IN`, `OPT_OUT`).
    pub fn as_str(self) -> &'static str {
        match self {
            Subscription::OptIn => "OPT_IN",
            Subscription::OptOut => "OPT_OUT",
        }
    }

    /// From SES's word.
    pub fn from_ses(word: &str) -> Option<Subscription> {
        match word {
            "OPT_IN" => Some(Subscription::OptIn),
            "OPT_OUT" => Some(Subscription::OptOut),
            _ => None,
        }
    }

    /// From a consent given as a boolean.
    pub fn from_consent(given: bool) -> Subscription {
        if given {
            Subscription::OptIn
        } else {
            Subscription::OptOut
        }
    }
}

impl fmt::Display for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the contact list holds of a customer, for one topic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactView {
    /// The customer unsubscribed from every topic of the list.
    pub unsubscribe_all: bool,
    /// The customer's own choice for the topic, if they made one.
    pub chosen: Option<Subscription>,
    /// The topic's default, as SES reports it for this contact.
    pub default: Option<Subscription>,
}

/// Why a customer is not e-mailed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// They unsubscribed (from the topic, or from everything); the reason says which.
    Unsubscribed(String),
    /// The account's suppression list holds the address (a bounce or a complaint), or the
    /// ledger marked the customer after one.
    Suppressed(String),
}

/// Decides whether a customer may get a reminder: `contact` is what the list holds of them
/// (None: no contact), `suppressed` the suppression list's reason for the address if it holds it.
pub fn may_email(
    consent: Consent,
    topic: &str,
    contact: Option<&ContactView>,
    suppressed: Option<&str>,
) -> std::result::Result<(), Refusal> {
    if let Some(reason) = suppressed {
        return Err(Refusal::Suppressed(format!(
            "the account's suppression list holds the address ({reason})"
        )));
    }
    let Some(c) = contact else {
        return match consent {
            Consent::Implied => Ok(()),
            Consent::Required => Err(Refusal::Unsubscribed(
                "no consent: not a contact of the list (consent = required)".into(),
            )),
        };
    };
    if c.unsubscribe_all {
        return Err(Refusal::Unsubscribed(
            "unsubscribed from every topic".into(),
        ));
    }
    match c.chosen.or(c.default).unwrap_or(consent.default_status()) {
        Subscription::OptIn => Ok(()),
        Subscription::OptOut if c.chosen.is_some() => {
            Err(Refusal::Unsubscribed(format!("unsubscribed from {topic}")))
        }
        Subscription::OptOut => Err(Refusal::Unsubscribed(format!(
            "no consent: not subscribed to {topic} (consent = {})",
            consent.as_str()
        ))),
    }
}

/// The consent an event carries (`detail.marketing_consent`): Ok(None) when it carries none,
/// an error (to report; the consent is then ignored) when it is not a JSON boolean.
pub fn marketing_consent(detail: &serde_json::Map<String, Value>) -> Result<Option<bool>> {
    match detail.get(MARKETING_CONSENT) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(Error::invalid(
            format!("detail.{MARKETING_CONSENT}"),
            format!("is {other}, not true or false: ignored, never read as consent"),
            "send the customer's choice as a JSON boolean",
        )),
    }
}

/// The key of a cart event's detail that carries the customer's marketing consent.
pub const MARKETING_CONSENT: &str = "marketing_consent";

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(
        all: bool,
        chosen: Option<Subscription>,
        default: Option<Subscription>,
    ) -> ContactView {
        ContactView {
            unsubscribe_all: all,
            chosen,
            default,
        }
    }

    #[test]
    fn implied_emails_all_but_who_unsubscribed() {
        let t = "cart-reminders";
        assert_eq!(may_email(Consent::Implied, t, None, None), Ok(()));
        let silent = contact(false, None, Some(Subscription::OptIn));
        assert_eq!(may_email(Consent::Implied, t, Some(&silent), None), Ok(()));
        let out = contact(false, Some(Subscription::OptOut), Some(Subscription::OptIn));
        assert!(matches!(
            may_email(Consent::Implied, t, Some(&out), None),
            Err(Refusal::Unsubscribed(why)) if why == "unsubscribed from cart-reminders"
        ));
        let all = contact(true, Some(Subscription::OptIn), None);
        assert!(matches!(
            may_email(Consent::Implied, t, Some(&all), None),
            Err(Refusal::Unsubscribed(_))
        ));
    }

    #[test]
    fn required_emails_only_who_consented() {
        let t = "cart-reminders";
        assert!(matches!(
            may_email(Consent::Required, t, None, None),
            Err(Refusal::Unsubscribed(why)) if why.starts_with("no consent")
        ));
        let silent = contact(false, None, Some(Subscription::OptOut));
        assert!(may_email(Consent::Required, t, Some(&silent), None).is_err());
        // SES gave no default (an emulator): the regime's default decides.
        let bare = contact(false, None, None);
        assert!(may_email(Consent::Required, t, Some(&bare), None).is_err());
        assert_eq!(may_email(Consent::Implied, t, Some(&bare), None), Ok(()));
        let yes = contact(false, Some(Subscription::OptIn), Some(Subscription::OptOut));
        assert_eq!(may_email(Consent::Required, t, Some(&yes), None), Ok(()));
    }

    #[test]
    fn a_suppressed_address_is_never_emailed_whatever_the_consent() {
        let yes = contact(false, Some(Subscription::OptIn), None);
        assert!(matches!(
            may_email(Consent::Implied, "t", Some(&yes), Some("BOUNCE")),
            Err(Refusal::Suppressed(why)) if why.contains("BOUNCE")
        ));
    }

    #[test]
    fn consent_is_a_json_boolean_or_nothing() {
        let d = |v: Value| {
            let mut m = serde_json::Map::new();
            m.insert(MARKETING_CONSENT.into(), v);
            m
        };
        assert_eq!(
            marketing_consent(&d(Value::Bool(true))).unwrap(),
            Some(true)
        );
        assert_eq!(
            marketing_consent(&d(Value::Bool(false))).unwrap(),
            Some(false)
        );
        assert_eq!(marketing_consent(&serde_json::Map::new()).unwrap(), None);
        for bad in [Value::from("true"), Value::from(1), Value::from("yes")] {
            let e = marketing_consent(&d(bad.clone())).unwrap_err();
            assert!(e.is_invalid(), "{bad}");
            assert!(e.to_string().contains("detail.marketing_consent"), "{e}");
        }
    }

    #[test]
    fn the_regimes_give_ses_defaults() {
        assert_eq!(Consent::Implied.default_status().as_str(), "OPT_IN");
        assert_eq!(Consent::Required.default_status().as_str(), "OPT_OUT");
        assert_eq!(
            Consent::parse("--consent", "required").unwrap(),
            Consent::Required
        );
        assert!(
            Consent::parse("--consent", "maybe")
                .unwrap_err()
                .is_invalid()
        );
    }
}
