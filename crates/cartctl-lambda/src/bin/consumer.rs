//! The consumer Lambda function: `bootstrap` on provided.al2023, behind an SQS event source
//! mapping on the carts queue with ReportBatchItemFailures. Logs one JSON line per record.

// The consumer's future (the SDK calls of a whole batch) is deeper than the default allows.
#![recursion_limit = "256"]

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::{Diagnostic, Error, LambdaEvent, service_fn};
use serde_json::json;

use cartctl_lambda::{ConsumerFunction, Outcome, configuration_error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // Settings are checked before the first event; a bad one stops the container at once.
    let function = match ConsumerFunction::from_env() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cartctl consumer: {}", configuration_error(&e));
            std::process::exit(2);
        }
    };
    let function = &function;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        let request_id = event.context.request_id.clone();
        match function.handle(event.payload).await {
            Ok((response, outcomes)) => {
                for o in &outcomes {
                    log(&request_id, o);
                }
                Ok::<SqsBatchResponse, Diagnostic>(response)
            }
            Err(e) => {
                eprintln!("cartctl consumer: {request_id}: the batch is retried: {e}");
                Err(Diagnostic {
                    error_type: "Cartctl.BatchRetried".into(),
                    error_message: e.to_string(),
                })
            }
        }
    }))
    .await
}

fn log(request_id: &str, o: &Outcome) {
    let line = match &o.result {
        Ok(h) => json!({"request_id": request_id, "message_id": o.message_id, "handled": h}),
        Err(e) => json!({
            "request_id": request_id,
            "message_id": o.message_id,
            "status": "failed",
            "error": e.to_string(),
        }),
    };
    println!("{line}");
}
