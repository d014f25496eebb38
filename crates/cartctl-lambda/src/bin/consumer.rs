//! The consumer Lambda function: `bootstrap` on provided.al2023, behind an SQS event source
//! mapping on the carts queue with ReportBatchItemFailures. Logs one JSON line per record.

// The consumer's future (the SDK calls of a whole batch) is deeper than the default allows.
#![recursion_limit = "256"]

mod common;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    common::serve("consumer", cartctl_lambda::ConsumerFunction::from_env()).await
}
