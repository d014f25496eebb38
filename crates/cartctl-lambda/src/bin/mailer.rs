//! The mailer Lambda function: `bootstrap` on provided.al2023, behind an SQS event source
//! mapping on the e-mail queue with ReportBatchItemFailures. Logs one JSON line per record.

#![recursion_limit = "256"]

mod common;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    common::serve("mailer", cartctl_lambda::MailerFunction::from_env()).await
}
