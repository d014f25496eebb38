//! The mailer: a fired reminder, as the e-mail rule delivers it through SQS, becomes one
//! e-mail sent with SES v2. The same handler serves the `mailer` Lambda function and
//! `cartctl worker mailer`.
//!
//! Every decision is the cart ledger's ([`cartctl_core::ledger::plan_send`]), read at send
//! time: a consumer's reminder is e-mailed only for its cart's last add, while no removal or
//! checkout has closed it since; never twice, from any container (the reminder is claimed with
//! a conditional write before it is sent, and recorded `sent` after); at most once a cooldown
//! per customer across carts (decided in the same write). A send whose answer was lost (a
//! reset, a timeout, a 5xx: SES may have taken it) is never sent again: the claim stays, and
//! the reminder is reported `maybe_sent`. Only refusals SES certainly did not act on
//! (throttling, a 4xx answered, a connection refused before sending) are retried, or given
//! back to SQS with the claim released.
//!
//! What cannot be sent (not a reminder, no address, an address SES refuses, a template that
//! does not render for this reminder) fails that message alone: SQS gives it back and its
//! redrive policy moves it to the e-mail DLQ. Sends are paced to this mailer's share of the
//! account's rate (GetAccount's MaxSendRate) when SES says it, by a [`Pace`] held at that rate
//! (the kind of pace every session request waits on, with a ceiling: no second pacer).

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use serde::Serialize;

use crate::batch::{Message, Timed, per_customer};
use crate::ledger::Ledger;
use crate::pace::Pace;
use crate::retry::may_have_applied;
use crate::sdk::ses;
use crate::session::Session;
use cartctl_core::error::{AwsErrorKind, Error, Result};
use cartctl_core::ledger::partition_hash;
use cartctl_core::ledger::{ClaimOf, FiredOf, Partition, SendPlan, claim_key, plan_send};
use cartctl_core::mail::consent::{Refusal, may_email};
use cartctl_core::mail::events::{TAG_CUSTOMER, TAG_REMINDER, TAG_STAGE, tag_value};
use cartctl_core::mail::{FiredReminder, MailSettings};
use cartctl_core::recovery::is_held_out;
use cartctl_core::reminder::ReminderName;

/// How long a worker's claim holds before it counts as maybe sent (a Lambda's claim holds
/// until its invocation's deadline).
const CLAIM_FOR: Duration = Duration::from_secs(600);
/// How many times a send is planned again when its claim was refused by a concurrent change.
const REPLANS: usize = 3;

/// Everything the mailer resolves once (per container, per worker).
#[derive(Debug)]
pub struct Mailer {
    /// Sender, recipient key, template, ledger.
    pub settings: MailSettings,
    ledger: Ledger,
    pace: Pace,
}

/// What became of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mailing {
    /// SES took the e-mail.
    Sent,
    /// Sent already, by this mailer or another (SQS delivered it again).
    AlreadySent,
    /// Not e-mailed: the cart was closed or changed (the reason says how).
    Cancelled,
    /// Not e-mailed: another reminder went to the customer within the cooldown.
    Skipped,
    /// Claimed and perhaps taken by SES, but never recorded: not sent again.
    MaybeSent,
    /// Not e-mailed: the address is on the account's suppression list, or a hard bounce or a
    /// complaint came back for it (the reason says which).
    Suppressed,
    /// Not e-mailed: the customer unsubscribed, or (consent = required) never consented.
    Unsubscribed,
    /// Not e-mailed: the customer is in the holdout group (recorded, counted in `report`).
    HeldOut,
}

/// The result of one message, in the shape of `worker mailer -o ndjson`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mailed {
    /// The reminder event's id.
    pub event_id: String,
    /// The user.
    pub user: String,
    /// The product.
    pub product: String,
    /// The stage, when the reminder has several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<u32>,
    /// The recipient, once known.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub to: String,
    /// The subject, once rendered.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subject: String,
    /// What became of it.
    pub status: Mailing,
    /// Why, when it was not sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// SES's message id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

impl Mailed {
    fn of(r: &FiredReminder, status: Mailing) -> Mailed {
        Mailed {
            event_id: r.event_id.clone(),
            user: r.cart.user.clone(),
            product: r.cart.product.clone(),
            stage: r.stage.map(|s| s.number),
            to: String::new(),
            subject: String::new(),
            status,
            reason: None,
            message_id: None,
        }
    }

    fn because(mut self, reason: impl Into<String>) -> Mailed {
        self.reason = Some(reason.into());
        self
    }
}

impl Session {
    /// Resolves what the mailer needs once: that the ledger exists, and the account's send
    /// rate to pace by (an account that does not say, or an emulator, is not paced beyond
    /// throttling). The rate is the account's, shared by every mailer sending at once: each
    /// takes its share (`mailer_concurrency`).
    pub async fn mailer(&self, settings: MailSettings) -> Result<Mailer> {
        let ledger = Ledger::new(settings.ledger_table.clone(), settings.retention);
        self.check_ledger(&ledger).await?;
        let client = &self.clients().await?.ses;
        let rate = match self.retrier().run(|_| ses::account(client)).await {
            Ok(a) => a.max_send_rate.filter(|r| *r > 0.0),
            Err(e) => {
                tracing::info!(error = %e, "the account's send rate is unknown; sends are paced by throttling only");
                None
            }
        };
        let share = rate.map(|r| r / f64::from(settings.concurrency.max(1)));
        Ok(Mailer {
            settings,
            ledger,
            pace: share.map_or_else(Pace::new, Pace::limited),
        })
    }

    /// Handles a batch: each message's result, in the batch's order. One customer's
    /// reminders are handled one after the other (a copy SQS delivered twice in one batch is
    /// then `already_sent`, and the cooldown is decided in order), customers concurrently.
    pub async fn mail_batch(&self, mailer: &Mailer, messages: &[Message]) -> Vec<Timed<Mailed>> {
        per_customer(
            messages,
            FiredReminder::parse,
            |r| r.cart.user.as_str(),
            |_| (),
            |r| self.mail_reminder(mailer, r),
        )
        .await
    }

    /// Handles one message's body: the ledger decides, and a reminder it lets through is
    /// claimed, sent, and recorded sent.
    pub async fn mail(&self, mailer: &Mailer, body: &str) -> Result<Mailed> {
        self.mail_reminder(mailer, FiredReminder::parse(body)?)
            .await
    }

    async fn mail_reminder(&self, mailer: &Mailer, reminder: FiredReminder) -> Result<Mailed> {
        let added = reminder.added_at();
        let of = added.map_or_else(|| ClaimOf::Event(reminder.event_id.clone()), ClaimOf::Add);
        let stage = reminder.stage_number();
        let claim = claim_key(&reminder.cart.product, stage, &of);
        let fired = FiredOf {
            product: &reminder.cart.product,
            added,
            claim: &claim,
        };
        let cooldown = mailer.settings.cooldown;
        for _ in 0..REPLANS {
            let part = self
                .ledger_partition(&mailer.ledger, &reminder.cart.user)
                .await?;
            let now = Utc::now();
            let done = Mailed::of(&reminder, Mailing::Sent);
            let Some(settled) = settled(plan_send(&part, &fired, cooldown, now), done) else {
                // The ledger lets it through: claim it and send.
                match self
                    .claim_and_send(mailer, &reminder, &fired, &part)
                    .await?
                {
                    Some(m) => return Ok(m),
                    None => continue,
                }
            };
            return settled;
        }
        Err(Error::TimedOut(format!(
            "the customer's ledger kept changing while this reminder was claimed ({REPLANS} tries); SQS gives it back"
        )))
    }

    /// Renders, claims (with the cooldown) and sends; `None` when a concurrent change refused
    /// the claim (plan again).
    async fn claim_and_send(
        &self,
        mailer: &Mailer,
        reminder: &FiredReminder,
        fired: &FiredOf<'_>,
        part: &Partition,
    ) -> Result<Option<Mailed>> {
        let mut full = reminder.clone();
        if let Some(cart) = part.cart(&reminder.cart.product) {
            let mut detail = cart.detail.clone();
            detail.extend(reminder.detail.clone());
            full.detail = detail;
        }
        let to = full.recipient(&mailer.settings.recipient_field)?;
        let postal = &mailer.settings.postal_address;
        let rendered = mailer
            .settings
            .template
            .render(&full.context(&to, postal))?;
        if let Err(refusal) = self.may_email(mailer, &to).await? {
            let (status, why) = match refusal {
                Refusal::Suppressed(why) => (Mailing::Suppressed, why),
                Refusal::Unsubscribed(why) => (Mailing::Unsubscribed, why),
            };
            let mut m = Mailed::of(reminder, status).because(why);
            m.to = to.as_str().to_owned();
            return Ok(Some(m));
        }
        let now = Utc::now();
        let until = self.claim_until(now);
        let user = &reminder.cart.user;
        let timing = (now, until, mailer.settings.cooldown);
        let added = fired.added.map(|a| (fired.product, a));
        let percent = mailer.settings.holdout_percent;
        let held = is_held_out(&mailer.ledger.table, user, percent);
        let mark = (reminder.stage_number(), held);
        if !self
            .ledger_claim(&mailer.ledger, user, fired.claim, added, timing, mark)
            .await?
        {
            return Ok(None);
        }
        if held {
            self.ledger_held_out(&mailer.ledger, user, fired.claim, now)
                .await?;
            let mut m = Mailed::of(reminder, Mailing::HeldOut).because(format!(
                "the holdout group ({percent} % of customers): counted, not sent"
            ));
            m.to = to.as_str().to_owned();
            return Ok(Some(m));
        }
        let mut mailed = Mailed::of(reminder, Mailing::Sent);
        mailed.to = to.as_str().to_owned();
        mailed.subject = rendered.subject.clone();
        let sent = self
            .send_one(mailer, (to.as_str(), &rendered), reminder, fired.claim)
            .await;
        match sent {
            Ok(id) => {
                self.ledger_sent(&mailer.ledger, user, fired.claim, &id, Utc::now())
                    .await?;
                mailed.message_id = Some(id);
                Ok(Some(mailed))
            }
            Err(e) if may_have_applied(&e) => {
                mailed.status = Mailing::MaybeSent;
                Ok(Some(mailed.because(format!(
                    "SES may have taken it ({}): not sent again, the claim stays",
                    e.one_line()
                ))))
            }
            Err(e) => {
                let before = part.customer.last_mail_at;
                self.ledger_release(&mailer.ledger, user, fired.claim, (now, before))
                    .await?;
                Err(e)
            }
        }
    }

    /// One SendEmail, through the configuration set and under the list's topic, tagged with
    /// hashes only (customer, stage, reminder): SES's message id.
    async fn send_one(
        &self,
        mailer: &Mailer,
        (to, rendered): (&str, &cartctl_core::mail::Rendered),
        reminder: &FiredReminder,
        claim: &str,
    ) -> Result<String> {
        let from = mailer.settings.from.wire_header();
        let lists = &mailer.settings.lists;
        let tags = [
            (TAG_CUSTOMER, partition_hash(&reminder.cart.user)),
            (TAG_STAGE, reminder.stage_number().to_string()),
            (TAG_REMINDER, tag_value(&ReminderName::product_hash(claim))),
        ];
        let email = ses::Email {
            from: &from,
            to,
            subject: &rendered.subject,
            text: &rendered.text,
            html: rendered.html.as_deref(),
            list: (&lists.contact_list, &lists.topic),
            configuration_set: &lists.configuration_set,
            tags: &tags,
        };
        let client = &self.clients().await?.ses;
        self.retrier()
            .unrepeatable()
            .run(|_| async {
                mailer.pace.acquire().await;
                ses::send(client, &email).await.map_err(refused)
            })
            .await
    }

    /// Whether `to` may be e-mailed: the account's suppression list, then the customer's
    /// contact on the list (consent, unsubscription). Reads, retried as reads are.
    async fn may_email(
        &self,
        mailer: &Mailer,
        to: &cartctl_core::mail::Address,
    ) -> Result<std::result::Result<(), Refusal>> {
        let client = &self.clients().await?.ses;
        let lists = &mailer.settings.lists;
        let suppressed = self
            .retrier()
            .run(|_| ses::suppressed(client, to.as_str()))
            .await?;
        let contact = match suppressed {
            Some(_) => None,
            None => {
                self.retrier()
                    .run(|_| ses::contact(client, &lists.contact_list, to.as_str()))
                    .await?
            }
        };
        let view = contact.map(|c| c.view(&lists.topic));
        Ok(may_email(
            lists.consent,
            &lists.topic,
            view.as_ref(),
            suppressed.as_deref(),
        ))
    }

    /// Until when a claim made at `now` holds: the invocation's deadline, or [`CLAIM_FOR`].
    fn claim_until(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let left = self
            .retrier()
            .deadline()
            .map_or(CLAIM_FOR, |d| d.saturating_duration_since(Instant::now()));
        now + chrono::Duration::from_std(left).unwrap_or(chrono::Duration::zero())
    }
}

/// SES's refusals of one e-mail say what to fix.
fn refused(e: Error) -> Error {
    match e {
        Error::Aws(mut a) if a.kind == AwsErrorKind::Client => {
            a.fix = match a.code.as_str() {
                "AccessDeniedException" | "AccessDenied" => access_denied_fix(&a.message),
                "MessageRejected" => "check the sender's identity is verified (cartctl doctor), and in the SES sandbox that the recipient is too".into(),
                "MailFromDomainNotVerifiedException" => "verify the sender's MAIL FROM domain in SES".into(),
                "AccountSuspendedException" | "SendingPausedException" => "SES stopped this account's sending: see the SES console".into(),
                _ => "check the reminder's address and the sender (cartctl doctor)".into(),
            };
            Error::Aws(a)
        }
        other => other,
    }
}

/// What to do when IAM refuses a send. In the SES sandbox SES authorises a send against the
/// recipient's identity as well as the sender's: a refusal naming another identity than the
/// sender's is the sandbox's, and the message names the resource.
fn access_denied_fix(message: &str) -> String {
    let resource = message
        .split_whitespace()
        .find(|w| w.starts_with("arn:") && w.contains(":identity/"))
        .map(|w| w.trim_end_matches(['.', ',']));
    match resource {
        Some(arn) => format!(
            "the mailer's role may not send as {arn}: in the SES sandbox a send is authorised against the recipient's identity too, so verify that address in SES and allow ses:SendEmail on {arn} to the role, or request production access (cartctl doctor's mailer-sandbox says which applies)"
        ),
        None => "allow ses:SendEmail on the sender's identity to the mailer's role (cartctl setup --functions grants it), and in the SES sandbox on each verified recipient's identity too".into(),
    }
}

/// What a reminder the ledger does not let through becomes; `None` for one it lets through
/// (`Send`).
fn settled(plan: SendPlan, done: Mailed) -> Option<Result<Mailed>> {
    let with = |status: Mailing, why: String| {
        Mailed {
            status,
            ..done.clone()
        }
        .because(why)
    };
    Some(Ok(match plan {
        SendPlan::Send => return None,
        SendPlan::Cancel(why) => with(Mailing::Cancelled, why),
        SendPlan::Cooldown(last) => with(
            Mailing::Skipped,
            format!(
                "cooldown: the customer was e-mailed at {}",
                cartctl_core::due::format_utc(last)
            ),
        ),
        SendPlan::AlreadySent(id) => {
            let mut m = Mailed {
                status: Mailing::AlreadySent,
                ..done
            };
            m.message_id = (!id.is_empty()).then_some(id);
            m
        }
        SendPlan::MaybeSent => with(
            Mailing::MaybeSent,
            "a mailer claimed it and stopped before recording the send: SES may have taken it, so it is not sent again".into(),
        ),
        SendPlan::Suppressed(why) => with(Mailing::Suppressed, why),
        SendPlan::HeldOut => with(
            Mailing::HeldOut,
            "held out already (the holdout group)".into(),
        ),
        SendPlan::Busy => {
            return Some(Err(Error::TimedOut(
                "another mailer is sending this reminder now; SQS gives it back".into(),
            )));
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sandbox_refusal_names_the_identity_to_verify_and_grant() {
        let message = "User: arn:aws:sts::123456789012:assumed-role/shop-mailer/shop-mailer is not authorized to perform: ses:SendEmail on resource: arn:aws:ses:eu-west-1:123456789012:identity/alice@example.com";
        let fix = access_denied_fix(message);
        assert!(
            fix.contains(
                "ses:SendEmail on arn:aws:ses:eu-west-1:123456789012:identity/alice@example.com"
            ) && fix.contains("verify that address"),
            "{fix}"
        );
        assert!(access_denied_fix("Access denied").contains("sender's identity"));
    }
}
