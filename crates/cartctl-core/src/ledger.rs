//! The cart ledger's pure side: the items of one customer's partition of the ledger table, and
//! the decisions the consumer and the mailer take from them. `cartctl-aws` reads a partition
//! (one Query), runs a plan with conditional writes, and reports; when a condition fails (a
//! concurrent event), it reads again and plans again.
//!
//! One partition per customer, `pk` = `C#` and the SHA-256 of the user id (the id itself is
//! kept on the cart items, with the rest of the customer's personal data, until they expire):
//!
//! | `sk` | what | written by |
//! |---|---|---|
//! | `CUSTOMER` | the last checkout, the last reminder e-mail (the cooldown), a bounce | consumer, mailer |
//! | `CART#<product hash>` | the last add (its time and detail), the last removal or checkout | consumer |
//! | `MAIL#<product hash>#<stage>#<add time or event id>` | one reminder's claim: `in_progress` until its expiry, then `sent` (SES's id), `held_out`, or left | mailer |
//! | `ORDER#<checkout time>` | a checkout: recovered (by a reminder sent, or held out) or not, its stage and value | consumer |
//!
//! Every item carries `expires_at` (the table's TTL attribute): a cart a retention period after
//! its last stage is due, a claim the same after it was made, the customer item after its last
//! change. Times are whole seconds since the epoch (events carry seconds).

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::reminder::ReminderName;

/// The partition key's attribute.
pub const PK: &str = "pk";
/// The sort key's attribute.
pub const SK: &str = "sk";
/// The TTL attribute.
pub const EXPIRES_AT: &str = "expires_at";
/// The customer item's sort key.
pub const CUSTOMER: &str = "CUSTOMER";
/// What a cart item's sort key starts with.
pub const CART_PREFIX: &str = "CART#";
/// What a claim's sort key starts with.
pub const CLAIM_PREFIX: &str = "MAIL#";
/// What an order's (a checkout's) sort key starts with.
pub const ORDER_PREFIX: &str = "ORDER#";
/// The customer item's attribute saying why the address is undeliverable.
pub const UNDELIVERABLE: &str = "undeliverable";
/// The customer item's attribute saying since when.
pub const UNDELIVERABLE_AT: &str = "undeliverable_at";
/// How long items are kept by default after their last use (`--retention`).
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(30 * 86_400);

/// A value of an item: what the ledger stores is text or a whole number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attr {
    /// A string.
    S(String),
    /// A whole number.
    N(i64),
}

/// One item, by attribute.
pub type Item = BTreeMap<String, Attr>;

/// The partition of `user`.
pub fn partition(user: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(user.as_bytes());
    format!(
        "C#{}",
        hash.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// The hash a partition key carries (`C#<hash>`): what an e-mail's `customer` tag holds, so
/// an event SES sends back finds the customer without their address or id.
pub fn partition_hash(user: &str) -> String {
    partition(user)[2..].to_owned()
}

/// The partition of a hash an e-mail's tag carried, if it is one.
pub fn partition_of_hash(hash: &str) -> Option<String> {
    (hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
    .then(|| format!("C#{hash}"))
}

/// The sort key of the order of a checkout at `at` (one item per checkout event).
pub fn order_key(at: DateTime<Utc>) -> String {
    format!("{ORDER_PREFIX}{}", at.timestamp())
}

/// The sort key of the cart of `product`.
pub fn cart_key(product: &str) -> String {
    format!("{CART_PREFIX}{}", ReminderName::product_hash(product))
}

/// What a claim stands for: the add that made a consumer's reminder, or (a reminder made by
/// hand, with no ledger item) the event that fired it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOf {
    /// The add's time.
    Add(DateTime<Utc>),
    /// The fired event's id.
    Event(String),
}

/// The sort key of the claim of a reminder: its cart, its stage, and what it stands for.
pub fn claim_key(product: &str, stage: u32, of: &ClaimOf) -> String {
    let what = match of {
        ClaimOf::Add(t) => t.timestamp().to_string(),
        ClaimOf::Event(id) => format!("e{id}"),
    };
    format!(
        "{CLAIM_PREFIX}{}#{stage}#{what}",
        ReminderName::product_hash(product)
    )
}

fn at(secs: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0)
}

/// Reads the item `key` holds: the error names it (a shape of another version, a hand edit).
fn unreadable(key: &str, what: &str) -> Error {
    Error::invalid(
        format!("ledger item {key}"),
        format!("cannot be read: {what}"),
        "fix or delete the item (cartctl forget --user removes a customer's items)",
    )
}

fn text(item: &Item, key: &str, name: &str) -> Result<Option<String>> {
    match item.get(name) {
        None => Ok(None),
        Some(Attr::S(s)) => Ok(Some(s.clone())),
        Some(Attr::N(_)) => Err(unreadable(key, &format!("`{name}` is a number"))),
    }
}

fn number(item: &Item, key: &str, name: &str) -> Result<Option<i64>> {
    match item.get(name) {
        None => Ok(None),
        Some(Attr::N(n)) => Ok(Some(*n)),
        Some(Attr::S(_)) => Err(unreadable(key, &format!("`{name}` is not a number"))),
    }
}

fn time(item: &Item, key: &str, name: &str) -> Result<Option<DateTime<Utc>>> {
    match item.get(name) {
        None => Ok(None),
        Some(Attr::N(n)) => at(*n)
            .map(Some)
            .ok_or_else(|| unreadable(key, &format!("`{name}` is out of range"))),
        Some(Attr::S(_)) => Err(unreadable(key, &format!("`{name}` is not a number"))),
    }
}

/// How a cart was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// The item was removed.
    Removed,
    /// The customer checked out.
    CheckedOut,
}

impl Closed {
    /// The spelling in the ledger and in reasons.
    pub fn as_str(self) -> &'static str {
        match self {
            Closed::Removed => "removed",
            Closed::CheckedOut => "checked out",
        }
    }
}

/// A cart item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CartItem {
    /// The user.
    pub user: String,
    /// The product.
    pub product: String,
    /// The last add's time.
    pub added_at: Option<DateTime<Utc>>,
    /// The last add's detail beyond the user and product (address, name, price…).
    pub detail: Map<String, Value>,
    /// When it was last closed, and how.
    pub closed: Option<(DateTime<Utc>, Closed)>,
}

impl CartItem {
    /// Reads a cart item.
    pub fn read(key: &str, item: &Item) -> Result<CartItem> {
        let detail = match text(item, key, "detail")? {
            None => Map::new(),
            Some(json) => match serde_json::from_str(&json) {
                Ok(Value::Object(m)) => m,
                _ => return Err(unreadable(key, "`detail` is not a JSON object")),
            },
        };
        let how = match text(item, key, "closed_by")?.as_deref() {
            None | Some("removed") => Closed::Removed,
            Some("checked out") => Closed::CheckedOut,
            Some(other) => return Err(unreadable(key, &format!("`closed_by` is `{other}`"))),
        };
        Ok(CartItem {
            user: text(item, key, "user")?.unwrap_or_default(),
            product: text(item, key, "product")?.unwrap_or_default(),
            added_at: time(item, key, "added_at")?,
            detail,
            closed: time(item, key, "closed_at")?.map(|t| (t, how)),
        })
    }
}

/// The customer item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerItem {
    /// The last checkout.
    pub checkout_at: Option<DateTime<Utc>>,
    /// The last reminder e-mail sent (or being sent), or held out.
    pub last_mail_at: Option<DateTime<Utc>>,
    /// That reminder's stage.
    pub last_mail_stage: Option<u32>,
    /// That reminder was held out (the customer is in the holdout group).
    pub last_mail_held: bool,
    /// A hard bounce or a complaint came back for the customer's address: when, and which
    /// (`bounce`, `complaint`). No reminder is sent to them after it.
    pub undeliverable: Option<(DateTime<Utc>, String)>,
}

impl CustomerItem {
    /// The last reminder, sent or held out, for attributing a checkout.
    pub fn last_reminder(&self) -> Option<crate::recovery::LastReminder> {
        self.last_mail_at.map(|at| crate::recovery::LastReminder {
            at,
            stage: self.last_mail_stage.unwrap_or(1),
            held_out: self.last_mail_held,
        })
    }

    /// Reads the customer item.
    pub fn read(item: &Item) -> Result<CustomerItem> {
        Ok(CustomerItem {
            checkout_at: time(item, CUSTOMER, "checkout_at")?,
            last_mail_at: time(item, CUSTOMER, "last_mail_at")?,
            last_mail_stage: number(item, CUSTOMER, "last_mail_stage")?
                .and_then(|n| u32::try_from(n).ok()),
            last_mail_held: number(item, CUSTOMER, "last_mail_held")? == Some(1),
            undeliverable: match (
                time(item, CUSTOMER, UNDELIVERABLE_AT)?,
                text(item, CUSTOMER, UNDELIVERABLE)?,
            ) {
                (Some(t), Some(why)) => Some((t, why)),
                _ => None,
            },
        })
    }
}

/// Where a reminder's e-mail stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// A mailer is sending it, until `until`; after that, it may have been sent.
    InProgress {
        /// The claim's expiry.
        until: DateTime<Utc>,
    },
    /// SES took it.
    Sent {
        /// SES's message id.
        message_id: String,
    },
    /// The customer is in the holdout group: recorded, not sent.
    HeldOut,
}

impl Claim {
    /// Reads a claim.
    pub fn read(key: &str, item: &Item) -> Result<Claim> {
        match text(item, key, "state")?.as_deref() {
            Some("in_progress") => Ok(Claim::InProgress {
                until: time(item, key, "claimed_until")?
                    .ok_or_else(|| unreadable(key, "an in-progress claim without an expiry"))?,
            }),
            Some("sent") => Ok(Claim::Sent {
                message_id: text(item, key, "message_id")?.unwrap_or_default(),
            }),
            Some("held_out") => Ok(Claim::HeldOut),
            other => Err(unreadable(key, &format!("`state` is {other:?}"))),
        }
    }
}

/// What the ledger holds of one customer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Partition {
    /// The customer item, if any.
    pub customer: CustomerItem,
    /// The cart items, by sort key.
    pub carts: BTreeMap<String, CartItem>,
    /// The claims, by sort key.
    pub claims: BTreeMap<String, Claim>,
}

impl Partition {
    /// Reads the items of a partition (a Query's), each by its sort key. An item of another
    /// kind is left alone; one of a known kind that does not read is an error naming it.
    pub fn read(items: &[Item]) -> Result<Partition> {
        let mut p = Partition::default();
        for item in items {
            let Some(Attr::S(sk)) = item.get(SK) else {
                continue;
            };
            if sk == CUSTOMER {
                p.customer = CustomerItem::read(item)?;
            } else if sk.starts_with(CART_PREFIX) {
                p.carts.insert(sk.clone(), CartItem::read(sk, item)?);
            } else if sk.starts_with(CLAIM_PREFIX) {
                p.claims.insert(sk.clone(), Claim::read(sk, item)?);
            }
        }
        Ok(p)
    }

    /// The cart of `product`, if the ledger has it.
    pub fn cart(&self, product: &str) -> Option<&CartItem> {
        self.carts.get(&cart_key(product))
    }

    /// What closes an add of `product` made at `added`: a removal of it or a checkout at or
    /// after that time (a tie goes to the close), with its time.
    pub fn closed_since(
        &self,
        product: &str,
        added: DateTime<Utc>,
    ) -> Option<(DateTime<Utc>, Closed)> {
        let removed = self
            .cart(product)
            .and_then(|c| c.closed)
            .filter(|(t, _)| *t >= added);
        let checkout = self
            .customer
            .checkout_at
            .filter(|t| *t >= added)
            .map(|t| (t, Closed::CheckedOut));
        removed.or(checkout)
    }
}

/// What the consumer does with an add.
#[derive(Debug, Clone, PartialEq)]
pub enum AddPlan {
    /// Record it on the cart (conditionally: no later add or close may be there by then),
    /// then place its reminders.
    Record,
    /// The ledger has this add already (SQS delivered it again): its reminders are placed
    /// again, which changes nothing when they are there.
    Again,
    /// A later add of the cart is recorded.
    Superseded(DateTime<Utc>),
    /// The cart was removed, or the customer checked out, at or after the add.
    Closed(DateTime<Utc>, Closed),
}

/// The consumer's rule for an add of `product` at `added`: it applies only if no later add,
/// removal or checkout of that cart was recorded (a tie goes to the removal or checkout).
pub fn plan_add(part: &Partition, product: &str, added: DateTime<Utc>) -> AddPlan {
    if let Some((t, how)) = part.closed_since(product, added) {
        return AddPlan::Closed(t, how);
    }
    match part.cart(product).and_then(|c| c.added_at) {
        Some(t) if t > added => AddPlan::Superseded(t),
        Some(t) if t == added => AddPlan::Again,
        _ => AddPlan::Record,
    }
}

/// Whether a removal or checkout at `closed` deletes the reminders of a cart whose last add
/// the ledger has at `added`: yes unless a later add made them.
pub fn close_deletes(added: Option<DateTime<Utc>>, closed: DateTime<Utc>) -> bool {
    added.is_none_or(|a| a <= closed)
}

/// When an item touched at `last` expires: `retention` after it.
pub fn expires_at(last: DateTime<Utc>, retention: Duration) -> i64 {
    last.timestamp() + i64::try_from(retention.as_secs()).unwrap_or(i64::MAX / 2)
}

/// What the mailer does with a fired reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendPlan {
    /// Claim it (with the cooldown, atomically), send, then record it sent.
    Send,
    /// Not e-mailed: the cart is gone or changed; the reason says how.
    Cancel(String),
    /// Another e-mail to this customer went out within the cooldown.
    Cooldown(DateTime<Utc>),
    /// Sent already (from this mailer or another).
    AlreadySent(String),
    /// A mailer claimed it and stopped before recording the send: SES may have taken it, so
    /// it is never sent again (a lost reminder is better than a second e-mail).
    MaybeSent,
    /// Another mailer is sending it now: try again later.
    Busy,
    /// A hard bounce or a complaint came back for the customer: never e-mailed again.
    Suppressed(String),
    /// Held out already (the customer is in the holdout group).
    HeldOut,
}

/// What a fired reminder says of itself, for the mailer's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiredOf<'a> {
    /// The product.
    pub product: &'a str,
    /// The add that made it (a consumer's reminder), if any.
    pub added: Option<DateTime<Utc>>,
    /// The claim's sort key.
    pub claim: &'a str,
}

/// The mailer's rule, read off the partition at `now`: a consumer's reminder is e-mailed only
/// for its cart's last add, while no removal or checkout has closed it since; never twice
/// (the claim); at most once a `cooldown` per customer across carts.
pub fn plan_send(
    part: &Partition,
    r: &FiredOf<'_>,
    cooldown: Duration,
    now: DateTime<Utc>,
) -> SendPlan {
    match part.claims.get(r.claim) {
        Some(Claim::Sent { message_id }) => return SendPlan::AlreadySent(message_id.clone()),
        Some(Claim::HeldOut) => return SendPlan::HeldOut,
        Some(Claim::InProgress { until }) if *until > now => return SendPlan::Busy,
        Some(Claim::InProgress { .. }) => return SendPlan::MaybeSent,
        None => {}
    }
    if let Some((at, why)) = &part.customer.undeliverable {
        return SendPlan::Suppressed(format!(
            "a {why} came back for the customer's address at {}",
            crate::due::format_utc(*at)
        ));
    }
    if let Some(added) = r.added {
        let Some(cart) = part.cart(r.product) else {
            return SendPlan::Cancel(
                "the ledger has no cart for it (forgotten, or expired)".into(),
            );
        };
        if let Some((t, how)) = part.closed_since(r.product, added) {
            return SendPlan::Cancel(format!(
                "the cart was {} at {} (not before its add)",
                how.as_str(),
                crate::due::format_utc(t)
            ));
        }
        if cart.added_at != Some(added) {
            return SendPlan::Cancel("a later add of the cart has its own reminder".into());
        }
    }
    let since = chrono::Duration::from_std(cooldown).unwrap_or(chrono::Duration::zero());
    match part.customer.last_mail_at {
        Some(last) if !cooldown.is_zero() && last + since > now => SendPlan::Cooldown(last),
        _ => SendPlan::Send,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> DateTime<Utc> {
        at(1_796_600_000 + s).unwrap()
    }

    fn cart(added: Option<i64>, closed: Option<(i64, Closed)>) -> CartItem {
        CartItem {
            user: "alice".into(),
            product: "sku-1".into(),
            added_at: added.map(t),
            detail: Map::new(),
            closed: closed.map(|(s, how)| (t(s), how)),
        }
    }

    fn part(c: Option<CartItem>, checkout: Option<i64>) -> Partition {
        let mut p = Partition::default();
        if let Some(c) = c {
            p.carts.insert(cart_key("sku-1"), c);
        }
        p.customer.checkout_at = checkout.map(t);
        p
    }

    #[test]
    fn keys_hold_no_personal_data_and_name_their_kind() {
        let pk = partition("alice@example.com");
        assert!(
            pk.starts_with("C#") && pk.len() == 66 && !pk.contains("alice"),
            "{pk}"
        );
        assert_eq!(partition("alice@example.com"), pk);
        assert_eq!(
            cart_key("sku-1"),
            format!("CART#{}", ReminderName::product_hash("sku-1"))
        );
        let k = claim_key("sku-1", 2, &ClaimOf::Add(t(0)));
        assert!(
            k.starts_with("MAIL#") && k.ends_with(&format!("#2#{}", t(0).timestamp())),
            "{k}"
        );
        assert!(claim_key("sku-1", 1, &ClaimOf::Event("abc".into())).ends_with("#1#eabc"));
    }

    #[test]
    fn an_add_applies_only_when_nothing_later_of_its_cart_is_recorded() {
        assert_eq!(plan_add(&part(None, None), "sku-1", t(0)), AddPlan::Record);
        assert_eq!(
            plan_add(&part(Some(cart(Some(0), None)), None), "sku-1", t(10)),
            AddPlan::Record
        );
        assert_eq!(
            plan_add(&part(Some(cart(Some(10), None)), None), "sku-1", t(10)),
            AddPlan::Again
        );
        assert_eq!(
            plan_add(&part(Some(cart(Some(10), None)), None), "sku-1", t(5)),
            AddPlan::Superseded(t(10))
        );
        // A removal or a checkout at or after the add wins (a tie too); one before it does not.
        let removed = part(Some(cart(Some(0), Some((20, Closed::Removed)))), None);
        assert_eq!(
            plan_add(&removed, "sku-1", t(20)),
            AddPlan::Closed(t(20), Closed::Removed)
        );
        assert_eq!(plan_add(&removed, "sku-1", t(21)), AddPlan::Record);
        let checked = part(None, Some(30));
        assert_eq!(
            plan_add(&checked, "sku-1", t(29)),
            AddPlan::Closed(t(30), Closed::CheckedOut)
        );
        assert_eq!(plan_add(&checked, "sku-1", t(31)), AddPlan::Record);
        // Another product's removal closes nothing here.
        let mut other = part(None, None);
        other.carts.insert(
            cart_key("sku-2"),
            cart(Some(0), Some((50, Closed::Removed))),
        );
        assert_eq!(plan_add(&other, "sku-1", t(10)), AddPlan::Record);
    }

    #[test]
    fn a_close_deletes_the_reminders_of_adds_not_after_it() {
        assert!(close_deletes(None, t(0)));
        assert!(close_deletes(Some(t(0)), t(0)));
        assert!(close_deletes(Some(t(0)), t(5)));
        assert!(!close_deletes(Some(t(6)), t(5)));
    }

    fn fired(added: Option<i64>, claim: &str) -> FiredOf<'_> {
        FiredOf {
            product: "sku-1",
            added: added.map(t),
            claim,
        }
    }

    #[test]
    fn a_reminder_is_mailed_for_its_carts_last_open_add_once_and_not_within_the_cooldown() {
        let day = Duration::from_secs(86_400);
        let open = part(Some(cart(Some(0), None)), None);
        assert_eq!(
            plan_send(&open, &fired(Some(0), "c"), day, t(100)),
            SendPlan::Send
        );
        // Closed since the add, whatever happened to the schedule.
        let removed = part(Some(cart(Some(0), Some((50, Closed::Removed)))), None);
        assert!(
            matches!(plan_send(&removed, &fired(Some(0), "c"), day, t(100)), SendPlan::Cancel(r) if r.contains("removed"))
        );
        let checked = part(Some(cart(Some(0), None)), Some(60));
        assert!(
            matches!(plan_send(&checked, &fired(Some(0), "c"), day, t(100)), SendPlan::Cancel(r) if r.contains("checked out"))
        );
        // A later add has its own reminder; a forgotten cart has none.
        let later = part(Some(cart(Some(40), None)), None);
        assert!(
            matches!(plan_send(&later, &fired(Some(0), "c"), day, t(100)), SendPlan::Cancel(r) if r.contains("later add"))
        );
        assert!(
            matches!(plan_send(&part(None, None), &fired(Some(0), "c"), day, t(100)), SendPlan::Cancel(r) if r.contains("no cart"))
        );
        // A reminder made by hand needs no cart.
        assert_eq!(
            plan_send(&part(None, None), &fired(None, "c"), day, t(100)),
            SendPlan::Send
        );
        // Claims: sent, being sent, or left by a mailer that stopped.
        let mut claimed = open.clone();
        claimed.claims.insert(
            "c".into(),
            Claim::Sent {
                message_id: "m-1".into(),
            },
        );
        assert_eq!(
            plan_send(&claimed, &fired(Some(0), "c"), day, t(100)),
            SendPlan::AlreadySent("m-1".into())
        );
        claimed
            .claims
            .insert("c".into(), Claim::InProgress { until: t(200) });
        assert_eq!(
            plan_send(&claimed, &fired(Some(0), "c"), day, t(100)),
            SendPlan::Busy
        );
        assert_eq!(
            plan_send(&claimed, &fired(Some(0), "c"), day, t(300)),
            SendPlan::MaybeSent
        );
        // The cooldown spans the customer's carts; zero turns it off.
        let mut mailed = open.clone();
        mailed.customer.last_mail_at = Some(t(90));
        assert_eq!(
            plan_send(&mailed, &fired(Some(0), "c"), day, t(100)),
            SendPlan::Cooldown(t(90))
        );
        assert_eq!(
            plan_send(&mailed, &fired(Some(0), "c"), Duration::ZERO, t(100)),
            SendPlan::Send
        );
        assert_eq!(
            plan_send(&mailed, &fired(Some(0), "c"), day, t(90 + 86_400)),
            SendPlan::Send
        );
    }

    #[test]
    fn a_customer_whose_address_bounced_is_never_mailed_again() {
        let day = Duration::from_secs(86_400);
        let mut bounced = part(Some(cart(Some(0), None)), None);
        bounced.customer.undeliverable = Some((t(50), "bounce".into()));
        assert!(matches!(
            plan_send(&bounced, &fired(Some(0), "c"), day, t(100)),
            SendPlan::Suppressed(r) if r.contains("bounce")
        ));
        // What was sent stays sent.
        bounced.claims.insert(
            "c".into(),
            Claim::Sent {
                message_id: "m".into(),
            },
        );
        assert_eq!(
            plan_send(&bounced, &fired(Some(0), "c"), day, t(100)),
            SendPlan::AlreadySent("m".into())
        );
        let mut item = Item::new();
        item.insert(SK.into(), Attr::S(CUSTOMER.into()));
        item.insert(UNDELIVERABLE.into(), Attr::S("complaint".into()));
        item.insert(UNDELIVERABLE_AT.into(), Attr::N(t(7).timestamp()));
        let p = Partition::read(&[item]).unwrap();
        assert_eq!(p.customer.undeliverable, Some((t(7), "complaint".into())));
    }

    #[test]
    fn an_emails_customer_tag_finds_the_partition_and_nothing_else() {
        let hash = partition_hash("alice");
        assert_eq!(partition_of_hash(&hash), Some(partition("alice")));
        assert_eq!(partition_of_hash("alice"), None);
        assert_eq!(partition_of_hash(&hash.to_uppercase()), None);
        assert_eq!(partition_of_hash(&hash[1..]), None);
    }

    #[test]
    fn items_of_another_shape_are_errors_naming_their_key() {
        let mut item = Item::new();
        item.insert(SK.into(), Attr::S("CART#abc".into()));
        item.insert("added_at".into(), Attr::S("yesterday".into()));
        let e = Partition::read(&[item]).unwrap_err();
        assert!(
            e.to_string().contains("ledger item CART#abc") && e.to_string().contains("added_at"),
            "{e}"
        );
        let mut claim = Item::new();
        claim.insert(SK.into(), Attr::S("MAIL#x#1#2".into()));
        claim.insert("state".into(), Attr::S("teleported".into()));
        assert!(Partition::read(&[claim]).is_err());
        let mut unknown = Item::new();
        unknown.insert(SK.into(), Attr::S("FUTURE#1".into()));
        assert_eq!(Partition::read(&[unknown]).unwrap(), Partition::default());
    }
}
