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

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use serde::Serialize;
use tokio::sync::OnceCell;

use cartctl_aws::Session;
use cartctl_aws::consumer::{Consumer, Handled, Message};
use cartctl_aws::mailer::{Mailed, Mailer};
use cartctl_aws::retry::RetryLimits;
use cartctl_aws::sdk::AwsSettings;
use cartctl_core::consumer::ConsumerConfig;
use cartctl_core::error::{Error, Result};
use cartctl_core::mail::MailSettings;
use cartctl_core::setting::Setting;

/// One record's outcome, for the function's log.
pub struct Outcome<T> {
    /// The record's SQS message id.
    pub message_id: String,
    /// What the function did, or why it failed.
    pub result: Result<T>,
}

/// A function over SQS batches: the `bootstrap` binaries run one.
pub trait BatchFunction {
    /// What one record becomes.
    type Handled: Serialize;
    /// Handles one batch: the response names exactly the records that failed. An error fails
    /// the whole invocation (SQS gives every record back).
    fn handle(
        &self,
        event: SqsEvent,
    ) -> impl std::future::Future<Output = Result<(SqsBatchResponse, Vec<Outcome<Self::Handled>>)>>;
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
    results: Vec<Result<T>>,
) -> (SqsBatchResponse, Vec<Outcome<T>>) {
    let mut response = SqsBatchResponse::default();
    let mut outcomes = Vec::with_capacity(messages.len());
    for (m, result) in messages.into_iter().zip(results) {
        if result.is_err() {
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = m.id.clone();
            response.batch_item_failures.push(failure);
        }
        outcomes.push(Outcome {
            message_id: m.id,
            result,
        });
    }
    (response, outcomes)
}

/// The settings from the process environment.
fn from_env(s: &Setting) -> Option<String> {
    std::env::var(s.env_var()).ok().filter(|v| !v.is_empty())
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

    async fn consumer(&self) -> Result<&Consumer> {
        self.consumer
            .get_or_try_init(|| {
                self.session.consumer(
                    self.config.settings.clone(),
                    self.config.reminders.clone(),
                    &self.config.bus,
                )
            })
            .await
    }
}

impl BatchFunction for ConsumerFunction {
    type Handled = Handled;

    /// Every record concurrently (one user's in event-time order).
    async fn handle(&self, event: SqsEvent) -> Result<(SqsBatchResponse, Vec<Outcome<Handled>>)> {
        let messages = messages(event);
        let consumer = self.consumer().await?;
        let results = self.session.consume_batch(consumer, &messages).await;
        Ok(respond(messages, results))
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
    async fn handle(&self, event: SqsEvent) -> Result<(SqsBatchResponse, Vec<Outcome<Mailed>>)> {
        let messages = messages(event);
        let mailer = self
            .mailer
            .get_or_try_init(|| self.session.mailer(self.settings.clone()))
            .await?;
        let results = self.session.mail_batch(mailer, &messages).await;
        Ok(respond(messages, results))
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
            let name = cartctl_core::setting::ALL
                .iter()
                .find(|s| s.key == field)
                .map(|s| s.env_var())
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
