//! cartctl on AWS: one [`Session`] owns the SDK clients, the retries, the pace and the
//! concurrency controller, and each operation of the cart-reminder flow lives in the module
//! named after the command it serves ([`schedule`], [`put_event`], [`list`], [`delete`],
//! [`fire`], [`tail`], [`setup`], [`doctor`], [`dlq`], [`stats`], [`match`](mod@r#match)),
//! each adding its methods to the session; [`consumer`] is the consumer's handler (the Lambda
//! function's and `cartctl worker consumer`'s), and [`worker`] the queue loop that runs one.
//!
//! The pure domain (due times, reminder requests, events, limits) is `cartctl-core`. This crate
//! returns data and typed errors and never prints: the `cartctl` binary renders, and a Lambda
//! uses the same session (see `crates/cartctl-lambda` and `docs/ARCHITECTURE.md`).

pub mod batch;
pub mod bulk;
pub mod consumer;
pub mod contacts;
pub mod delete;
pub mod dlq;
pub mod doctor;
pub mod fire;
pub mod ledger;
pub mod limiter;
pub mod list;
pub mod mailer;
pub mod r#match;
pub mod pace;
pub mod put_event;
pub mod record_log;
pub mod report;
pub mod retry;
pub mod schedule;
pub mod sdk;
pub mod session;
pub mod setup;
pub mod stats;
pub mod tail;
pub mod worker;

pub use cartctl_core::{Error, Result};
pub use session::Session;
