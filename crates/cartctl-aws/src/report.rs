//! `cartctl report`: the recovery report, from a read of the whole cart ledger (a paginated,
//! eventually consistent Scan of only the attributes it counts), tallied page by page so
//! memory stays bounded whatever the table's size.

use std::time::Instant;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::sdk::dynamodb;
use crate::session::Session;
use cartctl_core::error::{Error, Result};
use cartctl_core::recovery::{REPORT_ATTRIBUTES, Report, Tally};

/// What the read cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadCost {
    /// Items read.
    pub items: u64,
    /// Scan pages.
    pub pages: u64,
    /// Read capacity units consumed (as DynamoDB reported them).
    pub read_units: f64,
    /// How long the read took, in seconds.
    pub seconds: f64,
}

/// The report and what reading the ledger for it cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reported {
    /// The numbers.
    #[serde(flatten)]
    pub report: Report,
    /// The read.
    pub read: ReadCost,
}

impl Session {
    /// Reads the whole ledger `table` (`page_size` items a Scan request at most, else up to
    /// DynamoDB's 1 MB) and reports on what happened since `since`. A page that fails (after
    /// the retries) ends it with an error saying how far it got: a partial count is never
    /// returned as a report.
    pub async fn report(
        &self,
        table: &str,
        since: DateTime<Utc>,
        page_size: Option<i32>,
    ) -> Result<Reported> {
        let client = &self.clients().await?.dynamodb;
        let started = Instant::now();
        let mut tally = Tally::new(since);
        let mut cost = ReadCost {
            items: 0,
            pages: 0,
            read_units: 0.0,
            seconds: 0.0,
        };
        let mut start = None;
        loop {
            let page = self
                .retrier()
                .run(|_| {
                    dynamodb::scan_page(
                        client,
                        table,
                        (REPORT_ATTRIBUTES, page_size),
                        start.clone(),
                    )
                })
                .await;
            let (items, next, units) = match page {
                Ok(p) => p,
                Err(e) if e.is_not_found() => return Err(dynamodb::missing_table(table)),
                Err(e) => return Err(stopped_midway(e, &cost)),
            };
            for item in &items {
                tally.add(item);
            }
            cost.items += items.len() as u64;
            cost.pages += 1;
            cost.read_units += units;
            match next {
                Some(k) => start = Some(k),
                None => break,
            }
        }
        cost.seconds = started.elapsed().as_secs_f64();
        Ok(Reported {
            report: tally.report(),
            read: cost,
        })
    }
}

/// A read that failed after `cost`: the error says how far it got and that no report follows
/// (an AWS failure stays one, exit 1; a deadline stays one).
fn stopped_midway(e: Error, cost: &ReadCost) -> Error {
    let plural = |n: u64, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
    let progress = format!(
        "the ledger read stopped after {} in {}, so no report is printed",
        plural(cost.items, "item"),
        plural(cost.pages, "page")
    );
    match e {
        Error::Aws(mut a) => {
            a.message = format!("{} ({progress})", a.message);
            Error::Aws(a)
        }
        Error::TimedOut(why) => Error::TimedOut(format!("{progress}: {why}")),
        other => other,
    }
}
