//! Integration tests: the built `cartctl` binary against the local AWS emulator (moto in
//! server mode, behind the strict AWS double, started once for this test binary by
//! `common::emulator`).

mod api;
mod architecture;
mod bad_input;
mod bulk;
mod cli;
mod clock;
mod common;
mod config;
mod consent;
mod deploy;
mod dlq;
mod doctor;
mod faults;
mod fidelity;
mod fire;
mod functions;
mod lambda;
mod ledger;
mod lifecycle;
mod list_delete;
mod mailer;
mod matching;
mod put_event;
mod recovery;
mod schedule;
mod security;
mod setup;
mod stats;
mod tail;
mod worker;
