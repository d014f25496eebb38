//! cartctl's Lambda functions, built from the library. Each takes the SQS batches its queue's
//! event source mapping sends and answers an [`SqsBatchResponse`] naming exactly the records
//! that failed (ReportBatchItemFailures), so SQS retries those alone and its redrive policy
//! moves one that keeps failing to the DLQ:
//!
//! - `consumer` (the carts queue): each cart event becomes its reminder, or deletes reminders,
//!   with [`cartctl_aws::consumer`];
//! - `mailer` (the e-mail queue): each fired reminder becomes one e-mail sent with SES, with
//!   [`cartctl_aws::mailer`].
//!
//! Configured by the same `CARTCTL_*` variables as the CLI (`CARTCTL_EVENT_BUS`,
//! `CARTCTL_SCHEDULER_ROLE_ARN`, `CARTCTL_REMIND_AFTER`, `CARTCTL_MAIL_FROM`, …) and the SDK's
//! own (`AWS_REGION`, credentials). The settings are checked once, when the container starts;
//! the clients are made once and reused by every invocation.
//!
//! Every invocation answers before its deadline (`Lambda-Runtime-Deadline-Ms`), always: each
//! request and each backoff ends [`DEADLINE_MARGIN`] before it, and a record not finished by
//! then is named in `batchItemFailures` (a timeout would fail the whole batch, send again what
//! was done, and reset the container). Each record handled is one JSON log line
//! ([`log_line`]): event id, kind, a hash of the user (never the user id or the address),
//! outcome and duration, for CloudWatch Logs Insights; the same line is a CloudWatch Embedded
//! Metric Format document (namespace `cartctl`, dimensions kind × outcome: records, reminders
//! scheduled and cancelled, checkouts recovered), so metrics cost no API call.

use std::time::Duration;

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use serde::Serialize;
use tokio::sync::OnceCell;
use tokio::time::Instant;

use cartctl_aws::Session;
use cartctl_aws::batch::{Message, Timed};
use cartctl_aws::consumer::{Consumer, Handled};
use cartctl_aws::mailer::{Mailed, Mailer};
pub use cartctl_aws::record_log::{LogFields, Outcome, log_line};
use cartctl_aws::retry::RetryLimits;
use cartctl_aws::sdk::AwsSettings;
use cartctl_core::consumer::ConsumerConfig;
use cartctl_core::error::{Error, Result};
use cartctl_core::mail::MailSettings;
use cartctl_core::setting::Setting;

/// How long before the invocation's deadline the work stops, leaving time to answer.
pub const DEADLINE_MARGIN: Duration = Duration::from_secs(2);
/// How long before the deadline the function answers whatever is still running (the work
/// should have stopped a second earlier: this is the guarantee, not the plan).
const ANSWER_MARGIN: Duration = Duration::from_secs(1);

/// A function over SQS batches: the `bootstrap` binaries run one.
pub trait BatchFunction {
    /// What one record becomes.
    type Handled: Serialize + LogFields;
    /// Handles one batch, every request done by `deadline` (the invocation's, less
    /// [`DEADLINE_MARGIN`]): one result per message, in order. A failure of what every record
    /// needs (the first invocation's look-ups) fails each record.
    fn results(
        &self,
        messages: &[Message],
        deadline: Instant,
    ) -> impl std::future::Future<Output = Vec<Timed<Self::Handled>>>;
}

/// Handles `event` by the invocation's deadline `invocation_deadline`: the response names
/// exactly the records that failed or were not done, and comes before the deadline.
pub async fn handle<F: BatchFunction>(
    function: &F,
    event: SqsEvent,
    invocation_deadline: Instant,
) -> (SqsBatchResponse, Vec<Outcome<F::Handled>>) {
    let messages = messages(event);
    let work = invocation_deadline
        .checked_sub(DEADLINE_MARGIN)
        .unwrap_or(invocation_deadline);
    let answer = invocation_deadline
        .checked_sub(ANSWER_MARGIN)
        .unwrap_or(invocation_deadline);
    let done = tokio::time::timeout_at(answer, function.results(&messages, work));
    let results = match done.await {
        Ok(results) => results,
        Err(_) => messages
            .iter()
            .map(|_| Timed {
                result: Err(Error::TimedOut(
                    "the invocation's deadline came before the record was done".into(),
                )),
                took: Duration::ZERO,
            })
            .collect(),
    };
    respond(messages, results)
}

/// Every message failed with `e` (what they all needed failed): an AWS error as it is, any
/// other by its text (each record's log line and the response need no more).
fn all_failed<T>(messages: &[Message], e: &Error) -> Vec<Timed<T>> {
    messages
        .iter()
        .map(|_| Timed {
            result: Err(match e {
                Error::Aws(a) => Error::Aws(a.clone()),
                other => Error::TimedOut(other.one_line()),
            }),
            took: Duration::ZERO,
        })
        .collect()
}

fn messages(event: SqsEvent) -> Vec<Message> {
    event
        .records
        .into_iter()
        .map(|r| Message {
            id: r.message_id.unwrap_or_default(),
            body: r.body.unwrap_or_default(),
        })
        .collect()
}

/// The response naming the failed records, and every record's outcome.
fn respond<T>(
    messages: Vec<Message>,
    results: Vec<Timed<T>>,
) -> (SqsBatchResponse, Vec<Outcome<T>>) {
    let mut response = SqsBatchResponse::default();
    let mut outcomes = Vec::with_capacity(messages.len());
    for (m, timed) in messages.into_iter().zip(results) {
        if timed.result.is_err() {
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = m.id.clone();
            response.batch_item_failures.push(failure);
        }
        outcomes.push(Outcome::of(&m, timed));
    }
    (response, outcomes)
}

/// The settings from the process environment: the function's only layer above the defaults.
fn from_env(s: &Setting) -> Option<String> {
    cartctl_core::config::from_env(s)
}

fn session() -> Session {
    Session::new(AwsSettings::default(), RetryLimits::default())
}

/// The consumer function: its settings, its session (clients made once) and what it resolves
/// on the first event (the bus's ARN, that the group exists).
pub struct ConsumerFunction {
    config: ConsumerConfig,
    session: Session,
    consumer: OnceCell<Consumer>,
}

impl ConsumerFunction {
    /// Reads and checks the settings (`get` gives a setting's value: the environment's
    /// `CARTCTL_*` variable on Lambda). Makes no request.
    pub fn new(get: impl Fn(&Setting) -> Option<String>) -> Result<ConsumerFunction> {
        Ok(ConsumerFunction {
            config: ConsumerConfig::resolve(get)?,
            session: session(),
            consumer: OnceCell::new(),
        })
    }

    /// The settings from the process environment.
    pub fn from_env() -> Result<ConsumerFunction> {
        ConsumerFunction::new(from_env)
    }

    async fn consumer(&self, session: &Session) -> Result<&Consumer> {
        self.consumer
            .get_or_try_init(|| {
                let ledger = cartctl_aws::ledger::Ledger {
                    table: self.config.ledger_table.clone(),
                    retention: self.config.retention,
                    attribution_window: self.config.attribution_window,
                };
                session.consumer(
                    self.config.settings.clone(),
                    self.config.reminders.clone(),
                    &self.config.bus,
                    (ledger, self.config.consent.clone()),
                )
            })
            .await
    }
}

impl BatchFunction for ConsumerFunction {
    type Handled = Handled;

    /// Every record concurrently (one user's in event-time order).
    async fn results(&self, messages: &[Message], deadline: Instant) -> Vec<Timed<Handled>> {
        let session = self.session.until(deadline);
        match self.consumer(&session).await {
            Ok(consumer) => session.consume_batch(consumer, messages).await,
            Err(e) => all_failed(messages, &e),
        }
    }
}

/// The mailer function: its settings (sender, recipient key, template), its session, and what
/// it resolves on the first event (the account's send rate).
pub struct MailerFunction {
    settings: MailSettings,
    session: Session,
    mailer: OnceCell<Mailer>,
}

impl MailerFunction {
    /// Reads and checks the settings (`get` as for [`ConsumerFunction::new`]; the template file
    /// `CARTCTL_MAIL_TEMPLATE` names is read now). Makes no request.
    pub fn new(get: impl Fn(&Setting) -> Option<String>) -> Result<MailerFunction> {
        Ok(MailerFunction {
            settings: MailSettings::resolve(get, |path| std::fs::read_to_string(path))?,
            session: session(),
            mailer: OnceCell::new(),
        })
    }

    /// The settings from the process environment.
    pub fn from_env() -> Result<MailerFunction> {
        MailerFunction::new(from_env)
    }
}

impl BatchFunction for MailerFunction {
    type Handled = Mailed;

    /// Every record concurrently.
    async fn results(&self, messages: &[Message], deadline: Instant) -> Vec<Timed<Mailed>> {
        let session = self.session.until(deadline);
        let mailer = self
            .mailer
            .get_or_try_init(|| session.mailer(self.settings.clone()))
            .await;
        match mailer {
            Ok(mailer) => session.mail_batch(mailer, messages).await,
            Err(e) => all_failed(messages, &e),
        }
    }
}

/// A configuration error in the function's words: a setting is named by its variable
/// (`CARTCTL_QUIET_HOURS`), as the function's environment gives it.
pub fn configuration_error(e: &Error) -> String {
    match e {
        Error::Invalid {
            field,
            problem,
            fix,
        } => {
            let name = cartctl_core::setting::by_key(field)
                .map(|s| s.env.to_owned())
                .unwrap_or_else(|| field.clone());
            let fix = if fix.is_empty() {
                String::new()
            } else {
                format!("; {fix}")
            };
            format!("invalid {name}: {problem}{fix}")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lambda_events::event::sqs::SqsMessage;

    /// A function whose records take their body's number of seconds (a slow AWS, say).
    struct Sleepy;

    impl BatchFunction for Sleepy {
        type Handled = Mailed;
        async fn results(&self, messages: &[Message], deadline: Instant) -> Vec<Timed<Mailed>> {
            let each = messages.iter().map(|m| {
                Timed::of(async move {
                    let secs: u64 = m.body.parse().unwrap();
                    // Through the retrier, as every request of the library goes.
                    cartctl_aws::retry::Retrier::default()
                        .until(deadline)
                        .run(|_| async move {
                            tokio::time::sleep(Duration::from_secs(secs)).await;
                            Ok(())
                        })
                        .await?;
                    Ok(Mailed {
                        event_id: format!("e-{secs}"),
                        user: "alice@example.com".into(),
                        product: "sku-1".into(),
                        stage: None,
                        to: "alice@example.com".into(),
                        subject: "s".into(),
                        status: cartctl_aws::mailer::Mailing::Sent,
                        reason: None,
                        message_id: None,
                    })
                })
            });
            futures::future::join_all(each).await
        }
    }

    fn event(bodies: &[&str]) -> SqsEvent {
        let mut e = SqsEvent::default();
        for (i, b) in bodies.iter().enumerate() {
            let mut m = SqsMessage::default();
            m.message_id = Some(format!("m-{i}"));
            m.body = Some((*b).to_owned());
            e.records.push(m);
        }
        e
    }

    #[tokio::test(start_paused = true)]
    async fn the_answer_comes_before_the_deadline_naming_what_is_not_done() {
        let t0 = Instant::now();
        // A deadline 3 s away: the work stops 2 s before it, the quick record is done.
        let (response, outcomes) = handle(
            &Sleepy,
            event(&["0", "10", "0"]),
            t0 + Duration::from_secs(3),
        )
        .await;
        assert!(t0.elapsed() <= Duration::from_secs(2), "{:?}", t0.elapsed());
        let failed: Vec<&str> = response
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();
        assert_eq!(failed, ["m-1"]);
        assert!(outcomes[0].result.is_ok() && outcomes[2].result.is_ok());
        // No time at all: every record is named, at once.
        let t1 = Instant::now();
        let (response, _) =
            handle(&Sleepy, event(&["1", "1"]), t1 + Duration::from_millis(500)).await;
        assert!(t1.elapsed() <= Duration::from_millis(500));
        assert_eq!(response.batch_item_failures.len(), 2);
    }

    #[test]
    fn configuration_errors_name_the_variables() {
        let Err(e) = ConsumerFunction::new(|s| match s.key {
            "scheduler_role_arn" => Some("arn:aws:iam::123456789012:role/r".into()),
            "quiet_hours" => Some("21:00".into()),
            _ => None,
        }) else {
            panic!("21:00 is not a window");
        };
        let shown = configuration_error(&e);
        assert!(
            shown.starts_with("invalid CARTCTL_QUIET_HOURS: "),
            "{shown}"
        );
        let Err(e) = ConsumerFunction::new(|_| None) else {
            panic!("the role is required");
        };
        assert!(
            configuration_error(&e).contains("CARTCTL_SCHEDULER_ROLE_ARN"),
            "{}",
            configuration_error(&e)
        );
        let Err(e) = MailerFunction::new(|_| None) else {
            panic!("the sender is required");
        };
        assert!(
            configuration_error(&e).starts_with("invalid CARTCTL_MAIL_FROM: is not set"),
            "{}",
            configuration_error(&e)
        );
        let Err(e) = MailerFunction::new(|s| match s.key {
            "mail_from" => Some("shop@example.com".into()),
            "mail_template" => Some("/nonexistent/reminder.toml".into()),
            _ => None,
        }) else {
            panic!("the template file is missing");
        };
        assert!(
            configuration_error(&e).starts_with("invalid CARTCTL_MAIL_TEMPLATE: cannot read"),
            "{}",
            configuration_error(&e)
        );
    }
}
