//! The consumer: a cart event, as the carts rule delivers it through SQS, becomes its reminder
//! (an add), or deletes reminders (a removal, a checkout). The same handler serves the Lambda
//! function and `cartctl worker consumer`.
//!
//! Every decision compares the events' own times, on the cart ledger (see
//! [`cartctl_core::ledger`]): an add is recorded on its cart with a conditional write (no
//! later add, removal or checkout there), and only then are its reminders placed; a
//! redelivered add is `unchanged`, a newer add of the same product moves the reminder
//! (`rescheduled`), an older one, or one older than a removal or a checkout of its cart, is
//! dropped (`superseded`). A removal or checkout is recorded, then deletes the reminders of
//! adds not later than itself. The event's detail beyond the user and product (an address, a
//! name, a price) is kept on the cart's ledger item, not in the reminder. The messages of one
//! batch are handled concurrently, those of one user in event-time order.

use crate::batch::{Message, Timed, per_customer};

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use futures::future::join_all;
use serde::Serialize;
use serde_json::Value;

use crate::delete::{DeleteResult, delete_one};
use crate::ledger::Ledger;
use crate::schedule::{OnConflict, ScheduleStatus, Supersedes};
use crate::sdk::scheduler;
use crate::sdk::ses;
use crate::session::Session;
use cartctl_core::bus::BusRef;
use cartctl_core::consumer::ConsentRecording;
use cartctl_core::consumer::{
    ADDED_AT, ConsumerSettings, Incoming, added_at, customer_zone, plan_dues, supersedes,
};
use cartctl_core::due::{Due, format_utc};
use cartctl_core::error::{Error, Result};
use cartctl_core::event::CartEventKind;
use cartctl_core::ledger::{AddPlan, partition_of_hash, plan_add};
use cartctl_core::mail::consent::{MARKETING_CONSENT, Subscription, marketing_consent};
use cartctl_core::mail::events::{MailEvent, is_mail_event};
use cartctl_core::recovery::{Outcome, attribute, order_value};
use cartctl_core::reminder::{
    Cart, Reminder, ReminderExtras, ReminderName, ReminderSettings, Stage,
};

/// Everything the consumer resolves once (per container, per worker): its settings, the
/// reminders' settings and the bus's ARN.
#[derive(Debug, Clone)]
pub struct Consumer {
    /// What turns events into reminders.
    pub settings: ConsumerSettings,
    /// The reminders' schedule settings.
    pub reminders: ReminderSettings,
    /// The bus reminders go to.
    pub bus_arn: String,
    /// The cart ledger.
    pub ledger: Ledger,
    /// Where a cart event's consent is recorded, if setup made the contact list.
    pub consent: Option<ConsentRecording>,
}

/// How many times an add is planned again when a concurrent event changed its cart meanwhile.
const REPLANS: usize = 3;

/// What became of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Handling {
    /// An add made its reminder.
    Created,
    /// An add moved its reminder (it is newer than the one that made it).
    Rescheduled,
    /// The same add again: its reminder is there.
    Unchanged,
    /// A later event wins: a removal or checkout of the cart, or a newer add.
    Superseded,
    /// An add so old that every due time has passed.
    Stale,
    /// A removal or a checkout: the reminders older adds made are deleted.
    Deleted,
    /// An SES event (a hard bounce, a complaint) marked the customer: no more reminders.
    Marked,
    /// An SES event that changes nothing (a delivery, a soft bounce): noted.
    Noted,
}

/// One reminder an add placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placed {
    /// Its schedule name.
    pub name: String,
    /// Its due time, RFC 3339 UTC.
    pub due: String,
    /// created, unchanged, rescheduled or skipped (a newer add's reminder is kept).
    pub status: ScheduleStatus,
}

/// The result of one message, in the shape of `worker consumer -o ndjson`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Handled {
    /// The event's id.
    pub event_id: String,
    /// add, remove or checkout (a cart event).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<CartEventKind>,
    /// What SES said of an e-mail (bounce, complaint, delivery…): an SES event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_event: Option<String>,
    /// The user (a cart event's; an SES event names none).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// The product (none for a checkout).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// The event's time.
    pub time: String,
    /// What became of it.
    pub status: Handling,
    /// The reminders an add placed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reminders: Vec<Placed>,
    /// How many reminders a removal or checkout deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<u32>,
    /// What a checkout was: `recovered` (a reminder went within the attribution window
    /// before it), `recovered_held_out` (one would have, to a customer held out) or
    /// `converted_unreminded`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Outcome>,
    /// Why, when it is not plain (the marker that won, a time zone that was not used).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Handled {
    fn new(ev: &Incoming, status: Handling) -> Handled {
        Handled {
            event_id: ev.id.clone(),
            kind: Some(ev.kind),
            mail_event: None,
            user: ev.user.clone(),
            product: ev.product.clone(),
            time: format_utc(ev.time),
            status,
            reminders: Vec::new(),
            deleted: None,
            attribution: None,
            note: None,
        }
    }
}

impl Handled {
    fn of_mail(ev: &MailEvent, status: Handling) -> Handled {
        Handled {
            event_id: ev.id.clone(),
            kind: None,
            mail_event: Some(ev.kind.word()),
            user: String::new(),
            product: None,
            time: format_utc(ev.time),
            status,
            reminders: Vec::new(),
            deleted: None,
            attribution: None,
            note: None,
        }
    }
}

/// A message the consumer takes: a cart event of the shop's, or an SES event about an
/// e-mail (the mail-events rule).
#[derive(Debug, Clone)]
enum Record {
    Cart(Incoming),
    Mail(MailEvent),
}

impl Record {
    fn parse(body: &str, settings: &ConsumerSettings) -> Result<Record> {
        if let Ok(v) = serde_json::from_str::<Value>(body)
            && is_mail_event(&v)
        {
            return MailEvent::parse(&v).map(Record::Mail);
        }
        Incoming::parse(body, settings).map(Record::Cart)
    }

    /// Whose it is: the user, or the customer hash an e-mail's tag carried.
    fn customer(&self) -> &str {
        match self {
            Record::Cart(ev) => &ev.user,
            Record::Mail(ev) => ev.customer.as_deref().unwrap_or(&ev.id),
        }
    }

    fn time(&self) -> DateTime<Utc> {
        match self {
            Record::Cart(ev) => ev.time,
            Record::Mail(ev) => ev.time,
        }
    }
}

impl Session {
    /// Resolves what the consumer needs once: the bus's ARN, that the group and the ledger
    /// table exist.
    pub async fn consumer(
        &self,
        settings: ConsumerSettings,
        reminders: ReminderSettings,
        bus: &BusRef,
        (ledger, consent): (Ledger, Option<ConsentRecording>),
    ) -> Result<Consumer> {
        let bus_arn = self.bus_arn(bus).await?;
        self.check_group(&reminders.group).await?;
        self.check_ledger(&ledger).await?;
        Ok(Consumer {
            settings,
            reminders,
            bus_arn,
            ledger,
            consent,
        })
    }

    /// Handles a batch: each message's result, in the batch's order. Messages of one user
    /// are handled one after the other in event-time order; users concurrently. A message
    /// that is not a cart event fails alone.
    pub async fn consume_batch(
        &self,
        consumer: &Consumer,
        messages: &[Message],
    ) -> Vec<Timed<Handled>> {
        per_customer(
            messages,
            |body| Record::parse(body, &consumer.settings),
            Record::customer,
            Record::time,
            |r| self.consume_record(consumer, r),
        )
        .await
    }

    /// Handles one message's body.
    pub async fn consume(&self, consumer: &Consumer, body: &str) -> Result<Handled> {
        self.consume_record(consumer, Record::parse(body, &consumer.settings)?)
            .await
    }

    async fn consume_record(&self, consumer: &Consumer, record: Record) -> Result<Handled> {
        let ev = match record {
            Record::Mail(ev) => return self.mail_event(consumer, ev).await,
            Record::Cart(ev) => ev,
        };
        let consent_note = self.record_consent(consumer, &ev).await?;
        let mut h = match ev.kind {
            CartEventKind::Add => self.add(consumer, ev).await?,
            CartEventKind::Remove | CartEventKind::Checkout => self.close(consumer, ev).await?,
        };
        if let Some(note) = consent_note {
            h.note = Some(match h.note.take() {
                Some(n) => format!("{n}; {note}"),
                None => note,
            });
        }
        Ok(h)
    }

    /// Records the consent a cart event carries on the customer's contact: the shop's API is
    /// the one place consent enters. A value that is not a boolean, or no address to record
    /// it for, is noted and ignored (never read as consent).
    async fn record_consent(&self, c: &Consumer, ev: &Incoming) -> Result<Option<String>> {
        let given = match marketing_consent(&ev.detail) {
            Ok(None) => return Ok(None),
            Ok(Some(given)) => given,
            Err(e) => return Ok(Some(e.one_line())),
        };
        let Some(rec) = &c.consent else {
            return Ok(Some(format!(
                "{MARKETING_CONSENT} not recorded: no contact list (cartctl setup --mail-from makes it)"
            )));
        };
        let field = &rec.recipient_field;
        let address = match ev.detail.get(field).and_then(Value::as_str) {
            Some(a) => match cartctl_core::mail::Address::parse(&format!("detail.{field}"), a) {
                Ok(a) => a,
                Err(e) => {
                    return Ok(Some(format!(
                        "{MARKETING_CONSENT} not recorded: {}",
                        e.one_line()
                    )));
                }
            },
            None => {
                return Ok(Some(format!(
                    "{MARKETING_CONSENT} not recorded: the event has no detail.{field} to record it for"
                )));
            }
        };
        let status = Subscription::from_consent(given);
        let client = &self.clients().await?.ses;
        self.retrier()
            .run(|_| {
                ses::set_subscription(
                    client,
                    &rec.contact_list,
                    address.as_str(),
                    &rec.topic,
                    status,
                )
            })
            .await?;
        Ok(Some(format!(
            "consent recorded: {status} for {}",
            rec.topic
        )))
    }

    /// An SES event: a hard bounce or a complaint marks the customer on the ledger (no
    /// further reminder, even before SES's suppression list has the address); others are
    /// noted.
    async fn mail_event(&self, c: &Consumer, ev: MailEvent) -> Result<Handled> {
        let Some(why) = ev.kind.marks_undeliverable() else {
            return Ok(Handled::of_mail(&ev, Handling::Noted));
        };
        let Some(pk) = ev.customer.as_deref().and_then(partition_of_hash) else {
            let mut h = Handled::of_mail(&ev, Handling::Noted);
            h.note = Some("the e-mail has no customer tag: not one of cartctl's".into());
            return Ok(h);
        };
        self.ledger_mark_undeliverable(&c.ledger, &pk, why, ev.time)
            .await?;
        Ok(Handled::of_mail(&ev, Handling::Marked))
    }

    /// An add: recorded on its cart in the ledger unless something later of that cart is
    /// there, then its reminder's stages placed.
    async fn add(&self, c: &Consumer, ev: Incoming) -> Result<Handled> {
        let product = ev.product.clone().unwrap_or_default();
        let (zone, zone_error) = customer_zone(ev.timezone.as_deref(), c.settings.timezone);
        let dues = plan_dues(ev.time, &c.settings, zone, Utc::now());
        let reminders = stage_reminders(c, &ev, &product, dues)?;
        let mut h = Handled::new(&ev, Handling::Stale);
        h.note = zone_error.map(|e| format!("{}; used {}", e.one_line(), c.settings.timezone));
        let Some(last_due) = reminders.last().map(|r| r.due.utc()) else {
            return Ok(h);
        };
        if let Some(why) = self.record_add(c, &ev, &product, last_due).await? {
            h.status = Handling::Superseded;
            h.note = Some(why);
            return Ok(h);
        }
        let placed = join_all(
            reminders
                .iter()
                .map(|r| self.schedule(r, OnConflict::ReplaceIf(Supersedes(supersedes)))),
        )
        .await;
        for outcome in placed {
            let o = outcome?;
            h.reminders.push(Placed {
                name: o.name,
                due: o.due,
                status: o.status,
            });
        }
        let has = |s: ScheduleStatus| h.reminders.iter().any(|p| p.status == s);
        h.status = if has(ScheduleStatus::Created) {
            Handling::Created
        } else if has(ScheduleStatus::Rescheduled) {
            Handling::Rescheduled
        } else if has(ScheduleStatus::Unchanged) {
            Handling::Unchanged
        } else {
            h.note
                .get_or_insert_with(|| "a newer add's reminder is kept".into());
            Handling::Superseded
        };
        Ok(h)
    }

    /// Records an add on the ledger, planning again when a concurrent event changed the cart
    /// meanwhile; why it does not apply, if it does not.
    async fn record_add(
        &self,
        c: &Consumer,
        ev: &Incoming,
        product: &str,
        last_due: DateTime<Utc>,
    ) -> Result<Option<String>> {
        // Most adds are new: the conditional write comes first (one request), and the cart is
        // read only when a condition refused it, to tell why.
        let cart = (ev.user.as_str(), product);
        match self
            .ledger_record_add(&c.ledger, cart, ev.time, &ev.detail, last_due)
            .await
        {
            Ok(true) => return Ok(None),
            Ok(false) => {}
            // A write DynamoDB refused outright (an item of another shape, say): reading the
            // partition names the item that cannot be read; else the write's error stands.
            Err(e) => {
                self.ledger_partition(&c.ledger, &ev.user).await?;
                return Err(e);
            }
        }
        for _ in 0..REPLANS {
            let part = self.ledger_partition(&c.ledger, &ev.user).await?;
            match plan_add(&part, product, ev.time) {
                AddPlan::Closed(at, how) => {
                    return Ok(Some(format!(
                        "the cart was {} at {} (not before this add)",
                        how.as_str(),
                        format_utc(at)
                    )));
                }
                AddPlan::Superseded(at) => {
                    return Ok(Some(format!(
                        "a later add of the cart (at {}) is recorded",
                        format_utc(at)
                    )));
                }
                AddPlan::Again => return Ok(None),
                AddPlan::Record => {
                    if self
                        .ledger_record_add(&c.ledger, cart, ev.time, &ev.detail, last_due)
                        .await?
                    {
                        return Ok(None);
                    }
                }
            }
        }
        Err(Error::TimedOut(format!(
            "the cart of {product} kept changing while this add was recorded ({REPLANS} tries); SQS gives it back"
        )))
    }

    /// A removal or a checkout: recorded on the ledger first (so an add handled meanwhile, in
    /// any container, sees it), then the reminders of adds not later than it are deleted.
    async fn close(&self, c: &Consumer, ev: Incoming) -> Result<Handled> {
        self.ledger_record_close(&c.ledger, &ev.user, ev.product.as_deref(), ev.time)
            .await?;
        let group = &c.reminders.group;
        let prefix = match &ev.product {
            Some(p) => ReminderName::for_cart(&Cart {
                user: ev.user.clone(),
                product: p.clone(),
            })
            .as_str()
            .to_owned(),
            None => ReminderName::user_prefix(&ev.user),
        };
        let names: Vec<String> = self
            .names_with_prefix(group, &prefix)
            .await?
            .into_iter()
            .filter(|n| {
                ReminderName::is_derived(n)
                    && (ev.product.is_none() || ReminderName::without_stage(n) == prefix)
            })
            .collect();
        let deletions = names
            .iter()
            .map(|name| self.delete_if_older(group, name, ev.time));
        let mut h = Handled::new(&ev, Handling::Deleted);
        let mut deleted = 0;
        let mut kept = 0;
        for r in join_all(deletions).await {
            match r? {
                true => deleted += 1,
                false => kept += 1,
            }
        }
        h.deleted = Some(deleted);
        if kept > 0 {
            h.note = Some(format!("{kept} reminder(s) of later adds kept"));
        }
        if ev.kind == CartEventKind::Checkout {
            let (outcome, note) = self.attribute_checkout(c, &ev).await?;
            h.attribution = Some(outcome);
            if let Some(n) = note {
                h.note = Some(h.note.take().map_or(n.clone(), |k| format!("{k}; {n}")));
            }
        }
        Ok(h)
    }

    /// Records a checkout as an order of the ledger: recovered when the customer's last
    /// reminder (sent, or held out) came within the attribution window before it, with the
    /// order's value when the detail carries a well-formed one (else noted, not counted).
    async fn attribute_checkout(
        &self,
        c: &Consumer,
        ev: &Incoming,
    ) -> Result<(Outcome, Option<String>)> {
        let part = self.ledger_partition(&c.ledger, &ev.user).await?;
        let last = part.customer.last_reminder();
        let (outcome, stage) = attribute(last, ev.time, c.ledger.attribution_window);
        let (value, note) = match order_value(&ev.detail) {
            Ok(v) => (v, None),
            Err(note) => (None, Some(note)),
        };
        self.ledger_record_order(
            &c.ledger,
            &ev.user,
            ev.time,
            (outcome, stage, value.as_ref()),
        )
        .await?;
        Ok((outcome, note))
    }

    /// Deletes a reminder unless a later add than `time` made it; true if it was deleted (or
    /// was already gone).
    async fn delete_if_older(&self, group: &str, name: &str, time: DateTime<Utc>) -> Result<bool> {
        let client = &self.clients().await?.scheduler;
        let stored = self
            .retrier()
            .run(|_| async {
                match scheduler::get(client, group, name).await {
                    Ok(s) => Ok(Some(s)),
                    Err(e) if e.is_not_found() => Ok(None),
                    Err(e) => Err(e),
                }
            })
            .await?;
        let Some(stored) = stored else {
            return Ok(true);
        };
        if added_at(&stored.definition.target.input).is_some_and(|t| t > time) {
            return Ok(false);
        }
        match delete_one(client, group, name, self.retrier()).await {
            DeleteResult::Deleted | DeleteResult::Missing => Ok(true),
            DeleteResult::Failed(e) => Err(Error::Aws(e)),
        }
    }

    /// Every schedule name of `group` starting with `prefix`, page after page.
    async fn names_with_prefix(&self, group: &str, prefix: &str) -> Result<Vec<String>> {
        let client = &self.clients().await?.scheduler;
        crate::list::names_with_prefix(client, group, Some(prefix.to_owned()), None, self.retrier())
            .try_collect()
            .await
    }
}

/// The reminders of an add: one per planned stage (`None` stages are left out, keeping the
/// others' numbers), carrying the seed's keys and the add's time as `added_at` (which finds
/// its cart in the ledger); the event's other detail stays in the ledger.
fn stage_reminders(
    c: &Consumer,
    ev: &Incoming,
    product: &str,
    dues: Vec<Option<Due>>,
) -> Result<Vec<Reminder>> {
    let cart = Cart::new(&ev.user, product, ("detail.user", "detail.product"))?;
    let mut detail = serde_json::Map::new();
    detail.insert(ADDED_AT.into(), Value::from(format_utc(ev.time)));
    let extras = ReminderExtras::with_detail(&cart, Some(detail), "detail")?;
    let total = dues.len() as u32;
    // A token of its own for each handling: a long-lived consumer (a Lambda container, a worker)
    // handles a redelivered event again, and a token reused from its first handling would make
    // AWS answer with that earlier result (`created`) instead of finding it `unchanged`.
    let settings = ReminderSettings {
        token_seed: cartctl_core::ids::TokenSeed::fresh(),
        ..c.reminders.clone()
    };
    dues.into_iter()
        .zip(1..)
        .filter_map(|(due, number)| due.map(|d| (d, number)))
        .map(|(due, number)| {
            let stage = (total > 1).then_some(Stage { number, total });
            let extras = ReminderExtras {
                stage,
                ..extras.clone()
            };
            Reminder::with_extras(cart.clone(), extras, due, None, &settings, &c.bus_arn)
        })
        .collect()
}
