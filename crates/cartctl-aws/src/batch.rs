//! What the consumer and the mailer share to handle an SQS batch: the message, a result with
//! the time it took, and the rule of a batch — one customer's records one after the other,
//! customers concurrently, results in the batch's order.

use std::collections::BTreeMap;

use futures::future::join_all;

use cartctl_core::error::Result;

/// A message's result and how long handling it took.
#[derive(Debug)]
pub struct Timed<T> {
    /// What it became, or why it failed.
    pub result: Result<T>,
    /// From the start of its handling to its result.
    pub took: std::time::Duration,
}

impl<T> Timed<T> {
    /// Times `work`.
    pub async fn of(work: impl std::future::Future<Output = Result<T>>) -> Timed<T> {
        let started = std::time::Instant::now();
        let result = work.await;
        Timed {
            result,
            took: started.elapsed(),
        }
    }

    /// The results alone.
    pub fn results(all: Vec<Timed<T>>) -> Vec<Result<T>> {
        all.into_iter().map(|t| t.result).collect()
    }
}

/// Handles a batch's records per customer: a record that does not parse is answered at
/// once; one customer's records are handled one after the other, in the order `order` puts
/// them (stable: equal keys keep the batch's order), customers concurrently. The results
/// come back in the batch's order.
pub(crate) async fn per_customer<R, K, T, F, Fut>(
    messages: &[Message],
    parse: impl Fn(&str) -> Result<R>,
    user: impl Fn(&R) -> &str,
    order: impl Fn(&R) -> K,
    handle: F,
) -> Vec<Timed<T>>
where
    K: Ord,
    F: Fn(R) -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let mut results: Vec<Option<Timed<T>>> = messages.iter().map(|_| None).collect();
    let mut by_user: BTreeMap<String, Vec<(usize, R)>> = BTreeMap::new();
    for (i, m) in messages.iter().enumerate() {
        match parse(&m.body) {
            Ok(r) => by_user.entry(user(&r).to_owned()).or_default().push((i, r)),
            Err(e) => {
                results[i] = Some(Timed {
                    result: Err(e),
                    took: std::time::Duration::ZERO,
                })
            }
        }
    }
    let handle = &handle;
    let order = &order;
    let users = by_user.into_values().map(|mut records| async move {
        records.sort_by_key(|(_, r)| order(r));
        let mut done = Vec::new();
        for (i, r) in records {
            done.push((i, Timed::of(handle(r)).await));
        }
        done
    });
    for (i, r) in join_all(users).await.into_iter().flatten() {
        results[i] = Some(r);
    }
    results
        .into_iter()
        .map(|r| r.expect("every message has a result"))
        .collect()
}

/// A message of a batch: its id (SQS's message id) and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// SQS's message id.
    pub id: String,
    /// The body: an EventBridge event envelope.
    pub body: String,
}
