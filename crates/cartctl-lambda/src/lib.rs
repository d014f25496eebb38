//! cartctl's Lambda functions, built from the library: the `consumer` binary takes the SQS
//! batches the carts queue's event source mapping sends, turns each cart event into its
//! reminder (or deletes reminders) with [`cartctl_aws::consumer`], and answers an
//! [`SqsBatchResponse`] naming exactly the records that failed (ReportBatchItemFailures), so
//! SQS retries those alone and its redrive policy moves one that keeps failing to the DLQ.
//!
//! Configured by the same `CARTCTL_*` variables as the CLI (`CARTCTL_EVENT_BUS`,
//! `CARTCTL_SCHEDULER_ROLE_ARN`, `CARTCTL_REMIND_AFTER`, `CARTCTL_QUIET_HOURS`, …) and the
//! SDK's own (`AWS_REGION`, credentials). The settings are checked once, when the container
//! starts; the clients are made once and reused by every invocation.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use tokio::sync::OnceCell;

use cartctl_aws::Session;
use cartctl_aws::consumer::{Consumer, Handled, Message};
use cartctl_aws::retry::RetryLimits;
use cartctl_aws::sdk::AwsSettings;
use cartctl_core::consumer::ConsumerConfig;
use cartctl_core::error::{Error, Result};
use cartctl_core::setting::Setting;

/// The consumer function: its settings, its session (clients made once) and what it resolves
/// on the first event (the bus's ARN, that the group exists).
pub struct ConsumerFunction {
    config: ConsumerConfig,
    session: Session,
    consumer: OnceCell<Consumer>,
}

/// One record's outcome, for the function's log.
pub struct Outcome {
    /// The record's SQS message id.
    pub message_id: String,
    /// What the consumer did, or why it failed.
    pub result: Result<Handled>,
}

impl ConsumerFunction {
    /// Reads and checks the settings (`get` gives a setting's value: the environment's
    /// `CARTCTL_*` variable on Lambda). Makes no request.
    pub fn new(get: impl Fn(&Setting) -> Option<String>) -> Result<ConsumerFunction> {
        let config = ConsumerConfig::resolve(get)?;
        let session = Session::new(AwsSettings::default(), RetryLimits::default());
        Ok(ConsumerFunction {
            config,
            session,
            consumer: OnceCell::new(),
        })
    }

    /// The settings from the process environment.
    pub fn from_env() -> Result<ConsumerFunction> {
        ConsumerFunction::new(|s| std::env::var(s.env_var()).ok().filter(|v| !v.is_empty()))
    }

    /// Handles one SQS batch: every record concurrently (one user's in event-time order), and
    /// the response names exactly the records that failed. An error (the bus or the group
    /// could not be read) fails the whole invocation: SQS gives every record back.
    pub async fn handle(&self, event: SqsEvent) -> Result<(SqsBatchResponse, Vec<Outcome>)> {
        let messages: Vec<Message> = event
            .records
            .into_iter()
            .map(|r| Message {
                id: r.message_id.unwrap_or_default(),
                body: r.body.unwrap_or_default(),
            })
            .collect();
        let consumer = self.consumer().await?;
        let results = self.session.consume_batch(consumer, &messages).await;
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
        Ok((response, outcomes))
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
    }
}
