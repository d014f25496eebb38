//! Schedule names: the deterministic `cart-<sha256(user)[..12]>-<sha256(product)[..12]>` of a
//! cart (so re-runs are idempotent and user ids stay out of ARNs), stage suffixes, and a name
//! given by hand.

use std::fmt;

use sha2::{Digest, Sha256};

use super::{Cart, Stage};
use crate::error::{Error, Result};
use crate::ids::hex;
use crate::limits;

/// Prefix of every schedule name cartctl derives.
pub const NAME_PREFIX: &str = "cart-";
/// What separates a staged reminder's name from its stage number.
const STAGE_SEPARATOR: &str = "-s";
/// Hex digits of each hash in a derived name.
const HASH_DIGITS: usize = 12;

/// The first 12 hex digits of SHA-256 of `text`.
fn short_hash(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))[..HASH_DIGITS].to_owned()
}

/// A schedule name: 1–64 characters of `[0-9a-zA-Z-_.]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReminderName(String);

impl ReminderName {
    /// The deterministic name of a cart's reminder:
    /// `cart-<sha256(user)[..12]>-<sha256(product)[..12]>`.
    pub fn for_cart(cart: &Cart) -> ReminderName {
        ReminderName(format!(
            "{}{}",
            Self::user_prefix(&cart.user),
            Self::product_hash(&cart.product)
        ))
    }

    /// The name prefix shared by every reminder of `user` (`cart-<hash>-`), for `NamePrefix`.
    pub fn user_prefix(user: &str) -> String {
        format!("{NAME_PREFIX}{}-", short_hash(user))
    }

    /// The 12 hex digits that stand for `user` in names and logs: the user id itself (personal
    /// data) never appears there.
    pub fn user_hash(user: &str) -> String {
        short_hash(user)
    }

    /// The last part of every reminder name of `product` (its 12 hex digits).
    pub fn product_hash(product: &str) -> String {
        short_hash(product)
    }

    /// Checks a user-given name (`--name`).
    pub fn parse(field: &str, value: &str) -> Result<ReminderName> {
        limits::check_name(field, value)?;
        Ok(ReminderName(value.to_owned()))
    }

    /// The name of stage `stage` of a series named `self`: `<name>-s<N>` (within the user's
    /// name prefix when `self` is derived); `field` names the flag that gave `self`.
    pub fn staged(&self, stage: Stage, field: &str) -> Result<ReminderName> {
        let name = format!("{}{STAGE_SEPARATOR}{}", self.0, stage.number);
        limits::check_name(field, &name).map_err(|_| {
            Error::invalid(
                field,
                format!(
                    "`{name}` (the name of stage {}) is longer than 64 characters",
                    stage.number
                ),
                format!(
                    "give a name of at most {} characters",
                    64 - (name.len() - self.0.len())
                ),
            )
        })?;
        Ok(ReminderName(name))
    }

    /// `name` without a stage suffix (`-s<N>`), if it has one.
    pub fn without_stage(name: &str) -> &str {
        match name.rsplit_once(STAGE_SEPARATOR) {
            Some((base, n))
                if !n.is_empty()
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && !n.starts_with('0') =>
            {
                base
            }
            _ => name,
        }
    }

    /// True if `name` has the shape of a derived reminder name (a stage's included).
    pub fn is_derived(name: &str) -> bool {
        let Some(rest) = Self::without_stage(name).strip_prefix(NAME_PREFIX) else {
            return false;
        };
        let mut parts = rest.split('-');
        let is_hash = |p: Option<&str>| {
            p.is_some_and(|p| {
                p.len() == HASH_DIGITS
                    && p.bytes()
                        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            })
        };
        is_hash(parts.next()) && is_hash(parts.next()) && parts.next().is_none()
    }

    /// The name as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReminderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
