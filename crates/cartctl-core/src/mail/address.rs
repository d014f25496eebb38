//! E-mail addresses, checked the way SES reads them: `local@domain`, ASCII, no spaces or
//! control characters, the domain of dot-separated labels; a sender may carry a display name.

use crate::error::{Error, Result};

/// A bare address (`alice@example.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address(String);

impl Address {
    /// Checks `value`; the error names `field`.
    pub fn parse(field: &str, value: &str) -> Result<Address> {
        let bad = |why: String| {
            Error::invalid(
                field,
                format!("`{value}` is not an e-mail address: {why}"),
                "give one address, such as shop@example.com",
            )
        };
        let v = value.trim();
        if v.len() > 254 {
            return Err(bad("it is longer than 254 characters".into()));
        }
        if let Some(c) = v.chars().find(|c| {
            c.is_whitespace() || c.is_control() || !c.is_ascii() || "<>,;:\"()[]\\".contains(*c)
        }) {
            return Err(bad(format!("it contains {c:?}")));
        }
        let Some((local, domain)) = v.rsplit_once('@') else {
            return Err(bad("it has no @".into()));
        };
        if local.is_empty() || local.len() > 64 || local.contains('@') {
            return Err(bad(
                "the part before the @ must be 1 to 64 characters, without @".into(),
            ));
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(bad("the part before the @ has a misplaced dot".into()));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if labels.len() < 2 || !labels.iter().all(label_ok) {
            return Err(bad(format!(
                "`{domain}` is not a domain such as example.com"
            )));
        }
        Ok(Address(v.to_owned()))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its domain.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

/// The sender: an address, or `Name <address>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    /// The display name, if one was given.
    pub name: Option<String>,
    /// The address (the SES identity is this address or its domain).
    pub address: Address,
}

impl Sender {
    /// Checks `value`; the error names `field`.
    pub fn parse(field: &str, value: &str) -> Result<Sender> {
        let v = value.trim();
        let Some(open) = v.rfind('<') else {
            return Ok(Sender {
                name: None,
                address: Address::parse(field, v)?,
            });
        };
        let (name, rest) = v.split_at(open);
        let Some(inner) = rest.strip_prefix('<').and_then(|r| r.strip_suffix('>')) else {
            return Err(Error::invalid(
                field,
                format!("`{value}` has a < without its closing >"),
                "give `Name <shop@example.com>` or only the address",
            ));
        };
        let name = name.trim().trim_matches('"').trim();
        if name.chars().any(|c| c.is_control() || c == '"') {
            return Err(Error::invalid(
                field,
                format!("the name in `{value}` has a quote or a control character"),
                "give a plain name, such as The Shop <shop@example.com>",
            ));
        }
        Ok(Sender {
            name: (!name.is_empty()).then(|| name.to_owned()),
            address: Address::parse(field, inner)?,
        })
    }

    /// The From header SES takes: `"Name" <address>` or the address.
    pub fn header(&self) -> String {
        match &self.name {
            Some(n) => format!("\"{n}\" <{}>", self.address.as_str()),
            None => self.address.as_str().to_owned(),
        }
    }
}
