//! What both functions' `bootstrap` do: check the settings before the first event (a bad one
//! stops the container at once, exit 2), then serve batches, logging one JSON line per record.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::{Diagnostic, Error, LambdaEvent, service_fn};
use serde_json::json;

use cartctl_lambda::{BatchFunction, Outcome, configuration_error};

/// Runs `function` (or stops, naming the bad setting) under the Lambda runtime.
pub async fn serve<F: BatchFunction>(
    name: &str,
    function: cartctl_core::error::Result<F>,
) -> Result<(), Error> {
    let function = match function {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cartctl {name}: {}", configuration_error(&e));
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
                eprintln!("cartctl {name}: {request_id}: the batch is retried: {e}");
                Err(Diagnostic {
                    error_type: "Cartctl.BatchRetried".into(),
                    error_message: e.to_string(),
                })
            }
        }
    }))
    .await
}

fn log<T: serde::Serialize>(request_id: &str, o: &Outcome<T>) {
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
