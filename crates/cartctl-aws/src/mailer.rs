//! The mailer: a fired reminder, as the e-mail rule delivers it through SQS, becomes one
//! e-mail sent with SES v2. The same handler serves the `mailer` Lambda function and
//! `cartctl worker mailer`.
//!
//! What cannot be sent (not a reminder, no address, an address SES refuses, a template that
//! does not render for this reminder) fails that message alone: SQS gives it back and its
//! redrive policy moves it to the e-mail DLQ. Throttling and network failures are retried,
//! and sends are paced to the account's rate (GetAccount's MaxSendRate) when SES says it.
//!
//! Delivery is at least once, as SQS's: a reminder sent by this mailer (this Lambda container,
//! this worker) and delivered to it again is not sent twice (`already_sent`); one delivered to
//! another container, or sent and then lost with its answer, may be.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use futures::future::join_all;
use serde::Serialize;

use crate::consumer::{Message, Timed};
use crate::sdk::ses;
use crate::session::Session;
use cartctl_core::error::{AwsErrorKind, Error, Result};
use cartctl_core::mail::{FiredReminder, MailSettings, SentLog};

/// How many sent event ids a mailer remembers.
const SENT_LOG_CAPACITY: usize = 10_000;

/// Everything the mailer resolves once (per container, per worker).
#[derive(Debug)]
pub struct Mailer {
    /// Sender, recipient key, template.
    pub settings: MailSettings,
    sent: Mutex<SentLog>,
    pace: SendPace,
}

/// What became of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mailing {
    /// SES took the e-mail.
    Sent,
    /// This mailer sent it already, or is sending it (SQS delivered it again).
    AlreadySent,
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
    /// The recipient.
    pub to: String,
    /// The subject.
    pub subject: String,
    /// What became of it.
    pub status: Mailing,
    /// SES's message id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

impl Session {
    /// Resolves what the mailer needs once: the account's send rate, to pace by (an account
    /// that does not say, or an emulator, is not paced beyond throttling). The rate is the
    /// account's, shared by every mailer sending at once: each takes its share
    /// (`mailer_concurrency`: the mailer function's mapping runs that many batches at most).
    pub async fn mailer(&self, settings: MailSettings) -> Result<Mailer> {
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
            sent: Mutex::new(SentLog::new(SENT_LOG_CAPACITY)),
            pace: SendPace::new(share),
        })
    }

    /// Handles a batch: each message's result, in the batch's order, the messages concurrently.
    pub async fn mail_batch(&self, mailer: &Mailer, messages: &[Message]) -> Vec<Timed<Mailed>> {
        join_all(
            messages
                .iter()
                .map(|m| Timed::of(self.mail(mailer, &m.body))),
        )
        .await
    }

    /// Handles one message's body.
    pub async fn mail(&self, mailer: &Mailer, body: &str) -> Result<Mailed> {
        let reminder = FiredReminder::parse(body)?;
        let to = reminder.recipient(&mailer.settings.recipient_field)?;
        let rendered = mailer.settings.template.render(&reminder.context(&to))?;
        let mut mailed = Mailed {
            event_id: reminder.event_id.clone(),
            user: reminder.cart.user.clone(),
            product: reminder.cart.product.clone(),
            stage: reminder.stage.map(|s| s.number),
            to: to.as_str().to_owned(),
            subject: rendered.subject.clone(),
            status: Mailing::AlreadySent,
            message_id: None,
        };
        // Claimed before it is sent, so a copy in the same batch is not sent beside it; given
        // back if the send fails, so the copy SQS delivers again is.
        if !mailer.claim(&reminder.event_id) {
            return Ok(mailed);
        }
        let from = mailer.settings.from.wire_header();
        let email = ses::Email {
            from: &from,
            to: to.as_str(),
            subject: &rendered.subject,
            text: &rendered.text,
            html: rendered.html.as_deref(),
        };
        let client = &self.clients().await?.ses;
        let id = self
            .retrier()
            .run(|_| async {
                mailer.pace.wait().await;
                ses::send(client, &email).await.map_err(refused)
            })
            .await
            .inspect_err(|_| mailer.unclaim(&reminder.event_id))?;
        mailed.status = Mailing::Sent;
        mailed.message_id = Some(id);
        Ok(mailed)
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

impl Mailer {
    fn claim(&self, id: &str) -> bool {
        self.sent
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id)
    }

    fn unclaim(&self, id: &str) {
        self.sent
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
    }
}

/// Sends spaced by the account's rate: each waits for its turn.
#[derive(Debug)]
struct SendPace {
    every: Option<Duration>,
    next: Mutex<Option<Instant>>,
}

impl SendPace {
    fn new(rate: Option<f64>) -> SendPace {
        SendPace {
            every: rate.map(|r| Duration::from_secs_f64(1.0 / r)),
            next: Mutex::new(None),
        }
    }

    async fn wait(&self) {
        let Some(every) = self.every else { return };
        let at = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let at = next.map_or(now, |n| n.max(now));
            *next = Some(at + every);
            at
        };
        tokio::time::sleep_until(at).await;
    }
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

    #[tokio::test(start_paused = true)]
    async fn sends_are_spaced_by_the_accounts_rate() {
        let pace = SendPace::new(Some(10.0));
        let t0 = tokio::time::Instant::now();
        let waits = (0..5).map(|_| pace.wait());
        join_all(waits).await;
        // The first goes at once, the others a tenth of a second apart.
        assert_eq!(t0.elapsed(), Duration::from_millis(400));
        let unpaced = SendPace::new(None);
        let t1 = tokio::time::Instant::now();
        join_all((0..5).map(|_| unpaced.wait())).await;
        assert_eq!(t1.elapsed(), Duration::ZERO);
    }
}
