//! The pure domain of cartctl, the cart-reminder flow on Amazon EventBridge and EventBridge
//! Scheduler: no I/O, no async runtime, no AWS SDK. The current time is a parameter wherever
//! it matters.
//!
//! A shop puts "item added to cart" events on an event bus; a consumer creates a one-time
//! schedule, `at(…)` a day later, whose target is the same bus and whose input is
//! `{"scheduled_event": "true", "user": …, "product": …}`. This crate builds those events and
//! schedules from cart parameters ([`reminder`], [`event`], [`due`]) and checks every service
//! limit before anything is sent ([`limits`], [`arn`], [`bus`]); `cartctl-aws` sends them.

pub mod arn;
pub mod batch;
pub mod blueprint;
pub mod bus;
pub mod config;
pub mod consumer;
pub mod deadletter;
pub mod due;
pub mod error;
pub mod event;
pub mod ids;
pub mod invocation;
pub mod ledger;
pub mod limits;
pub mod lines;
pub mod mail;
pub mod matcher;
pub mod metrics;
pub mod policy;
pub mod quiet;
pub mod recovery;
pub mod reminder;
pub mod setting;
pub mod shapes;
pub mod tail_pattern;

pub use error::{Error, Result};
