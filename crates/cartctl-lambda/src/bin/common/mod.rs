//! What both functions' `bootstrap` do: check the settings before the first event (a bad one
//! stops the container at once, exit 2), then serve batches, each answered before the
//! invocation's deadline, logging one JSON line per record.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::{Diagnostic, Error, LambdaEvent, service_fn};

use cartctl_lambda::{BatchFunction, configuration_error, handle, log_line};

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
        let deadline = deadline_of(event.context.deadline);
        let (response, outcomes) = handle(function, event.payload, deadline).await;
        let now = chrono::Utc::now();
        for o in &outcomes {
            println!("{}", log_line(Some(&request_id), o, now));
        }
        Ok::<SqsBatchResponse, Diagnostic>(response)
    }))
    .await
}

/// The invocation's deadline (`Lambda-Runtime-Deadline-Ms`, milliseconds since the epoch) on
/// the runtime's clock.
fn deadline_of(deadline_ms: u64) -> tokio::time::Instant {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    tokio::time::Instant::now() + Duration::from_millis(deadline_ms.saturating_sub(now_ms))
}
