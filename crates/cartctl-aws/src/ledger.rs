//! The cart ledger on DynamoDB: a customer's partition read whole, and the conditional writes
//! the consumer and the mailer make (see [`cartctl_core::ledger`] for the items and the
//! decisions). Each write carries the condition that makes it right whatever ran at the same
//! time in another container: a refused condition is reported, never overwritten, and the
//! caller reads again.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::sdk::dynamodb::{self, Applied, Write};
use crate::session::Session;
use cartctl_core::error::Result;
use cartctl_core::ledger::{
    Attr, CUSTOMER, Closed, EXPIRES_AT, Item, PK, Partition, SK, UNDELIVERABLE, UNDELIVERABLE_AT,
    cart_key, expires_at, order_key, partition,
};
use cartctl_core::recovery::{OrderValue, Outcome};

/// The ledger a consumer or a mailer writes to: its table, and how long items are kept.
#[derive(Debug, Clone)]
pub struct Ledger {
    /// The table's name.
    pub table: String,
    /// How long an item is kept after its last use.
    pub retention: Duration,
    /// A checkout this long after a reminder counts as recovered by it (the consumer's).
    pub attribution_window: Duration,
}

impl Ledger {
    /// The ledger `table`, items kept `retention`, with the default attribution window.
    pub fn new(table: String, retention: Duration) -> Ledger {
        Ledger {
            table,
            retention,
            attribution_window: cartctl_core::recovery::DEFAULT_ATTRIBUTION_WINDOW,
        }
    }
}

fn n(t: DateTime<Utc>) -> Attr {
    Attr::N(t.timestamp())
}

fn s(text: &str) -> Attr {
    Attr::S(text.to_owned())
}

fn names(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn values(pairs: Vec<(&str, Attr)>) -> Vec<(String, Attr)> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

impl Ledger {
    /// The write that records an add of `product` at `added` on the cart, unless a later add
    /// or a removal at or after it is recorded there.
    fn add_write(
        &self,
        user: &str,
        product: &str,
        added: DateTime<Utc>,
        detail: &Map<String, Value>,
        last_due: DateTime<Utc>,
    ) -> Write {
        Write::Update {
            key: (partition(user), cart_key(product)),
            expression: "SET #user = :user, #product = :product, added_at = :t, detail = :detail, #exp = :exp".into(),
            condition: Some(
                "(attribute_not_exists(added_at) OR added_at < :t) AND (attribute_not_exists(closed_at) OR closed_at < :t)".into(),
            ),
            names: names(&[("#user", "user"), ("#product", "product"), ("#exp", EXPIRES_AT)]),
            values: values(vec![
                (":user", s(user)),
                (":product", s(product)),
                (":t", n(added)),
                (":detail", Attr::S(Value::Object(detail.clone()).to_string())),
                (":exp", Attr::N(expires_at(last_due, self.retention))),
            ]),
        }
    }

    /// The check that the customer did not check out at or after `at`.
    fn not_checked_out_since(user: &str, at: DateTime<Utc>) -> Write {
        Write::Check {
            key: (partition(user), CUSTOMER.into()),
            condition: "attribute_not_exists(checkout_at) OR checkout_at < :t".into(),
            names: Vec::new(),
            values: values(vec![(":t", n(at))]),
        }
    }
}

impl Session {
    /// Fails (exit 1, naming `cartctl setup`) when the ledger's table does not exist: a
    /// consumer or a mailer never acts unchecked.
    pub(crate) async fn check_ledger(&self, ledger: &Ledger) -> Result<()> {
        let client = &self.clients().await?.dynamodb;
        let found = self
            .retrier()
            .run(|_| dynamodb::table(client, &ledger.table))
            .await?;
        match found {
            Some(_) => Ok(()),
            None => Err(dynamodb::missing_table(&ledger.table)),
        }
    }

    /// Every item the ledger holds of `user`, read strongly consistent.
    pub(crate) async fn ledger_partition(&self, ledger: &Ledger, user: &str) -> Result<Partition> {
        let client = &self.clients().await?.dynamodb;
        let pk = partition(user);
        let items = self
            .retrier()
            .run(|_| dynamodb::partition(client, &ledger.table, &pk))
            .await?;
        Partition::read(&items)
    }

    /// Records an add on its cart (see [`Ledger::add_write`]), checking the customer did not
    /// check out since; `false` when a condition refused it (read again, and plan again).
    pub(crate) async fn ledger_record_add(
        &self,
        ledger: &Ledger,
        (user, product): (&str, &str),
        added: DateTime<Utc>,
        detail: &Map<String, Value>,
        last_due: DateTime<Utc>,
    ) -> Result<bool> {
        let writes = [
            ledger.add_write(user, product, added, detail, last_due),
            Ledger::not_checked_out_since(user, added),
        ];
        self.ledger_write(ledger, &writes).await
    }

    /// Records a removal of `product` (or, without a product, a checkout of the whole cart)
    /// at `at`, unless a later one is recorded; `false` when one was.
    pub(crate) async fn ledger_record_close(
        &self,
        ledger: &Ledger,
        user: &str,
        product: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let exp = Attr::N(expires_at(at, ledger.retention));
        let write = match product {
            Some(p) => Write::Update {
                key: (partition(user), cart_key(p)),
                expression: "SET #user = :user, #product = :product, closed_at = :t, closed_by = :how, #exp = if_not_exists(#exp, :exp)".into(),
                condition: Some("attribute_not_exists(closed_at) OR closed_at < :t".into()),
                names: names(&[("#user", "user"), ("#product", "product"), ("#exp", EXPIRES_AT)]),
                values: values(vec![
                    (":user", s(user)),
                    (":product", s(p)),
                    (":t", n(at)),
                    (":how", s(Closed::Removed.as_str())),
                    (":exp", exp),
                ]),
            },
            None => Write::Update {
                key: (partition(user), CUSTOMER.into()),
                expression: "SET checkout_at = :t, #exp = :exp".into(),
                condition: Some("attribute_not_exists(checkout_at) OR checkout_at < :t".into()),
                names: names(&[("#exp", EXPIRES_AT)]),
                values: values(vec![(":t", n(at)), (":exp", exp)]),
            },
        };
        self.ledger_write(ledger, &[write]).await
    }

    /// Claims a reminder's e-mail (`claim`: its sort key) until `until`, and the customer's
    /// cooldown with it, atomically: the claim must be absent, no e-mail may have gone to the
    /// customer within `cooldown` of `now`, and for a consumer's reminder (`added`) its cart's
    /// last add must still be that one, not closed since. `false` when a condition refused it.
    pub(crate) async fn ledger_claim(
        &self,
        ledger: &Ledger,
        user: &str,
        claim: &str,
        added: Option<(&str, DateTime<Utc>)>,
        (now, until, cooldown): (DateTime<Utc>, DateTime<Utc>, Duration),
        (stage, held_out): (u32, bool),
    ) -> Result<bool> {
        let pk = partition(user);
        let mut item = Item::new();
        item.insert(PK.into(), s(&pk));
        item.insert(SK.into(), s(claim));
        item.insert("state".into(), s("in_progress"));
        item.insert("claimed_at".into(), n(now));
        item.insert("claimed_until".into(), n(until));
        item.insert(
            EXPIRES_AT.into(),
            Attr::N(expires_at(now, ledger.retention)),
        );
        let since = now - chrono::Duration::from_std(cooldown).unwrap_or(chrono::Duration::zero());
        let mut condition =
            String::from("(attribute_not_exists(last_mail_at) OR last_mail_at <= :since)");
        let mut vals = vec![
            (":now", n(now)),
            (":since", n(since)),
            (":stage", Attr::N(i64::from(stage))),
            (":held", Attr::N(i64::from(held_out))),
            (":exp", Attr::N(expires_at(now, ledger.retention))),
        ];
        if let Some((_, at)) = added {
            condition.push_str(" AND (attribute_not_exists(checkout_at) OR checkout_at < :added)");
            vals.push((":added", n(at)));
        }
        let mut writes = vec![
            Write::Put {
                item,
                condition: Some("attribute_not_exists(sk)".into()),
            },
            Write::Update {
                key: (pk.clone(), CUSTOMER.into()),
                expression: "SET last_mail_at = :now, last_mail_stage = :stage, last_mail_held = :held, #exp = :exp".into(),
                condition: Some(condition),
                names: names(&[("#exp", EXPIRES_AT)]),
                values: values(vals),
            },
        ];
        if let Some((product, at)) = added {
            writes.push(Write::Check {
                key: (pk, cart_key(product)),
                condition:
                    "added_at = :added AND (attribute_not_exists(closed_at) OR closed_at < :added)"
                        .into(),
                names: Vec::new(),
                values: values(vec![(":added", n(at))]),
            });
        }
        self.ledger_write(ledger, &writes).await
    }

    /// Records the claim `claim` as sent, with SES's message id.
    pub(crate) async fn ledger_sent(
        &self,
        ledger: &Ledger,
        user: &str,
        claim: &str,
        message_id: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let write = Write::Update {
            key: (partition(user), claim.to_owned()),
            expression: "SET #state = :sent, message_id = :id, sent_at = :now".into(),
            condition: None,
            names: names(&[("#state", "state")]),
            values: values(vec![
                (":sent", s("sent")),
                (":id", s(message_id)),
                (":now", n(now)),
            ]),
        };
        self.ledger_write(ledger, &[write]).await.map(|_| ())
    }

    /// Records the claim `claim` as held out: the customer is in the holdout group, and the
    /// reminder is counted, not sent.
    pub(crate) async fn ledger_held_out(
        &self,
        ledger: &Ledger,
        user: &str,
        claim: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let write = Write::Update {
            key: (partition(user), claim.to_owned()),
            expression: "SET #state = :held, held_at = :now".into(),
            condition: None,
            names: names(&[("#state", "state")]),
            values: values(vec![(":held", s("held_out")), (":now", n(now))]),
        };
        self.ledger_write(ledger, &[write]).await.map(|_| ())
    }

    /// Records a checkout of `user` at `at` as an order: its outcome, the stage that
    /// recovered it and its value; once per checkout event (a redelivery changes nothing).
    pub(crate) async fn ledger_record_order(
        &self,
        ledger: &Ledger,
        user: &str,
        at: DateTime<Utc>,
        (outcome, stage, value): (Outcome, Option<u32>, Option<&OrderValue>),
    ) -> Result<bool> {
        let mut item = Item::new();
        item.insert(PK.into(), s(&partition(user)));
        item.insert(SK.into(), s(&order_key(at)));
        item.insert("checkout_at".into(), n(at));
        item.insert("outcome".into(), s(outcome.as_str()));
        if let Some(stage) = stage {
            item.insert("stage".into(), Attr::N(i64::from(stage)));
        }
        if let Some(v) = value {
            item.insert("value_cents".into(), Attr::N(v.cents));
            if let Some(c) = &v.currency {
                item.insert("currency".into(), s(c));
            }
        }
        item.insert(EXPIRES_AT.into(), Attr::N(expires_at(at, ledger.retention)));
        let put = Write::Put {
            item,
            condition: Some("attribute_not_exists(sk)".into()),
        };
        self.ledger_write(ledger, &[put]).await
    }

    /// Gives a claim back after SES certainly refused the e-mail: the claim goes, and the
    /// customer's last e-mail is what it was before (`before`), so a retry may send it.
    pub(crate) async fn ledger_release(
        &self,
        ledger: &Ledger,
        user: &str,
        claim: &str,
        (now, before): (DateTime<Utc>, Option<DateTime<Utc>>),
    ) -> Result<()> {
        let pk = partition(user);
        let restore = match before {
            Some(t) => (
                "SET last_mail_at = :before",
                vec![(":now", n(now)), (":before", n(t))],
            ),
            None => ("REMOVE last_mail_at", vec![(":now", n(now))]),
        };
        let writes = [
            Write::Delete {
                key: (pk.clone(), claim.to_owned()),
                condition: Some("#state = :progress".into()),
                names: names(&[("#state", "state")]),
                values: values(vec![(":progress", s("in_progress"))]),
            },
            Write::Update {
                key: (pk, CUSTOMER.into()),
                expression: restore.0.into(),
                condition: Some("last_mail_at = :now".into()),
                names: Vec::new(),
                values: values(restore.1),
            },
        ];
        self.ledger_write(ledger, &writes).await.map(|_| ())
    }

    /// Marks the customer of partition `pk` undeliverable (`why`: `bounce`, `complaint`) from
    /// `at`: no reminder is sent to them after it, even before SES's suppression list has it.
    pub(crate) async fn ledger_mark_undeliverable(
        &self,
        ledger: &Ledger,
        pk: &str,
        why: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let write = Write::Update {
            key: (pk.to_owned(), CUSTOMER.into()),
            expression: format!(
                "SET {UNDELIVERABLE} = :why, {UNDELIVERABLE_AT} = :at, #exp = :exp"
            ),
            condition: None,
            names: names(&[("#exp", EXPIRES_AT)]),
            values: values(vec![
                (":why", s(why)),
                (":at", n(at)),
                (":exp", Attr::N(expires_at(at, ledger.retention))),
            ]),
        };
        self.ledger_write(ledger, &[write]).await.map(|_| ())
    }

    async fn ledger_write(&self, ledger: &Ledger, writes: &[Write]) -> Result<bool> {
        let client = &self.clients().await?.dynamodb;
        // One token for every attempt of this write: a retry of a transaction that was made
        // gets the same answer, not a refusal by its own first attempt.
        let token = &cartctl_core::ids::TokenSeed::fresh().token(b"ledger")[..36];
        let applied = self
            .retrier()
            .run(|_| dynamodb::write(client, &ledger.table, writes, token))
            .await?;
        Ok(applied == Applied::Yes)
    }
}

/// One thing `forget` removed (or would remove).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Forgotten {
    /// `ledger-item` or `reminder`.
    pub kind: &'static str,
    /// The item's sort key, or the schedule's name.
    pub name: String,
    /// `deleted`, `would_delete`, or `failed` (with the error).
    pub status: &'static str,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Session {
    /// Removes everything the system holds of `user`: the ledger's items of their partition
    /// and their pending reminders (every stage, every cart) in `group`; `dry_run` only lists
    /// them. Each is reported; a failure of one does not stop the others.
    pub async fn forget(
        &self,
        ledger: &Ledger,
        group: &str,
        user: &str,
        dry_run: bool,
    ) -> Result<Vec<Forgotten>> {
        let clients = self.clients().await?;
        let pk = partition(user);
        let items = self
            .retrier()
            .run(|_| dynamodb::partition(&clients.dynamodb, &ledger.table, &pk))
            .await?;
        let prefix = cartctl_core::reminder::ReminderName::user_prefix(user);
        let names: Vec<String> =
            futures::TryStreamExt::try_collect(crate::list::names_with_prefix(
                &clients.scheduler,
                group,
                Some(prefix),
                None,
                self.retrier(),
            ))
            .await?;
        let mut out = Vec::new();
        for item in &items {
            let Some(Attr::S(sk)) = item.get(SK) else {
                continue;
            };
            let key = (pk.clone(), sk.clone());
            let result = if dry_run {
                Ok(())
            } else {
                self.retrier()
                    .run(|_| dynamodb::delete(&clients.dynamodb, &ledger.table, &key))
                    .await
            };
            out.push(forgotten("ledger-item", sk, dry_run, result));
        }
        for name in names {
            let result = if dry_run {
                Ok(())
            } else {
                match crate::delete::delete_one(&clients.scheduler, group, &name, self.retrier())
                    .await
                {
                    crate::delete::DeleteResult::Deleted | crate::delete::DeleteResult::Missing => {
                        Ok(())
                    }
                    crate::delete::DeleteResult::Failed(e) => Err(cartctl_core::Error::Aws(e)),
                }
            };
            out.push(forgotten("reminder", &name, dry_run, result));
        }
        Ok(out)
    }
}

fn forgotten(kind: &'static str, name: &str, dry_run: bool, result: Result<()>) -> Forgotten {
    let (status, error) = match (dry_run, result) {
        (true, _) => ("would_delete", None),
        (false, Ok(())) => ("deleted", None),
        (false, Err(e)) => ("failed", Some(e.one_line())),
    };
    Forgotten {
        kind,
        name: name.to_owned(),
        status,
        error,
    }
}
