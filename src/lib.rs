//! cartctl: drive and inspect the cart-reminder flow on Amazon EventBridge and EventBridge
//! Scheduler.
//!
//! A shop puts "item added to cart" events on an event bus; a consumer creates a one-time
//! schedule, `at(…)` a day later, whose target is the same bus and whose input is
//! `{"scheduled_event": "true", "user": …, "product": …}`. This library builds those events and
//! schedules from cart parameters ([`reminder`], [`event`], [`due`]), checks every service limit
//! before anything is sent ([`limits`], [`arn`], [`bus`]), and sends them through one
//! [`Session`] that owns the AWS clients, the retries and the pace. It returns data and never
//! prints: the `cartctl` binary renders, and a Lambda uses the library as it is (see
//! `examples/consumer.rs` and `docs/ARCHITECTURE.md`).

pub mod arn;
pub mod aws;
pub mod bulk;
pub mod bus;
pub mod deadletter;
pub mod dlq;
pub mod doctor;
pub mod due;
pub mod error;
pub mod event;
pub mod invocation;
pub mod limiter;
pub mod limits;
pub mod listener;
pub mod matcher;
pub mod nonce;
pub mod pace;
pub mod policy;
pub mod provision;
pub mod publish;
pub mod query;
pub mod reminder;
pub mod removal;
pub mod retry;
pub mod session;
pub mod shapes;
pub mod stats;
pub mod upsert;

pub use error::{Error, Result};
pub use session::Session;
