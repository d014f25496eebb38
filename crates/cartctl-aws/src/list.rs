//! `list`: every ListSchedules page, narrowed on the server where it can be (the name prefix
//! of a user's reminders, the state), then each schedule read with GetSchedule, a bounded
//! number at a time, to show user, product and due time.
//!
//! ListSchedules returns only names and target ARNs; the details cost one GetSchedule each, so
//! names that cannot match (not a cartctl name, another product's hash) are dropped first
//! ([`ReminderQuery::name_may_match`]).

use futures::{Stream, TryStreamExt};

use cartctl_core::Result;
use cartctl_core::reminder::query::{ReminderQuery, ReminderRow};

use crate::retry::Retrier;
use crate::sdk::scheduler;
use crate::session::Session;

/// Default number of GetSchedule calls in flight.
pub const DEFAULT_CONCURRENCY: usize = 16;
/// ListSchedules page size.
pub(crate) const PAGE_SIZE: i32 = 100;

/// The names of every schedule ListSchedules returns for the query, page after page.
///
/// Pages are fetched by a task of their own, up to two pages ahead of the reader, so reading
/// details never waits for the next page; when the reader stops, so does the task.
pub fn schedule_names(
    client: &aws_sdk_scheduler::Client,
    query: &ReminderQuery,
    retry: &Retrier,
) -> impl Stream<Item = Result<String>> + 'static {
    names_with_prefix(
        client,
        &query.group,
        query.name_prefix(),
        query.state,
        retry,
    )
}

/// The names of every schedule of `group` whose name starts with `prefix` (and in `state`, if
/// given), page after page, fetched ahead of the reader as [`schedule_names`] says.
pub fn names_with_prefix(
    client: &aws_sdk_scheduler::Client,
    group: &str,
    prefix: Option<String>,
    state: Option<cartctl_core::shapes::ScheduleState>,
    retry: &Retrier,
) -> impl Stream<Item = Result<String>> + 'static {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<String>>(2 * PAGE_SIZE as usize);
    let client = client.clone();
    let group = group.to_owned();
    let retry = retry.clone();
    tokio::spawn(async move {
        let mut token: Option<String> = None;
        loop {
            let page = retry
                .run(|_| {
                    scheduler::list_page(
                        &client,
                        &group,
                        prefix.as_deref(),
                        state,
                        token.as_deref(),
                        PAGE_SIZE,
                    )
                })
                .await;
            match page {
                Ok(page) => {
                    for name in page.names {
                        if tx.send(Ok(name)).await.is_err() {
                            return;
                        }
                    }
                    match page.next_token {
                        Some(t) => token = Some(t),
                        None => return,
                    }
                }
                Err(e) => {
                    let _ = tx.send(Err(e)).await;
                    return;
                }
            }
        }
    });
    futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|n| (n, rx)) })
}

/// Every matching reminder, read with GetSchedule `concurrency` at a time, in the order the
/// reads complete. A schedule deleted between the listing and its read is left out.
pub fn list_reminders<'a>(
    client: &'a aws_sdk_scheduler::Client,
    query: &'a ReminderQuery,
    concurrency: usize,
    retry: &'a Retrier,
) -> impl Stream<Item = Result<ReminderRow>> + 'a {
    schedule_names(client, query, retry)
        .try_filter(move |name| futures::future::ready(query.name_may_match(name)))
        .map_ok(move |name| async move {
            match retry
                .run(|_| scheduler::get(client, &query.group, &name))
                .await
            {
                Ok(s) => Ok(Some(ReminderRow::from_stored(&s))),
                Err(e) if e.is_not_found() => Ok(None),
                Err(e) => Err(e),
            }
        })
        .try_buffer_unordered(concurrency)
        .try_filter_map(move |row| futures::future::ready(Ok(row.filter(|r| query.row_matches(r)))))
}

impl Session {
    /// The reminders `query` matches, as a stream in the order their reads complete (every
    /// ListSchedules page, then GetSchedule `concurrency` at a time).
    pub async fn reminders<'a>(
        &'a self,
        query: &'a ReminderQuery,
        concurrency: usize,
    ) -> Result<impl Stream<Item = Result<ReminderRow>> + 'a> {
        self.check_group(&query.group).await?;
        let client = &self.clients().await?.scheduler;
        Ok(list_reminders(client, query, concurrency, self.retrier()))
    }

    /// The reminders `query` matches, sorted by due time, then name.
    pub async fn reminders_sorted(
        &self,
        query: &ReminderQuery,
        concurrency: usize,
    ) -> Result<Vec<ReminderRow>> {
        let mut rows: Vec<_> = self
            .reminders(query, concurrency)
            .await?
            .try_collect()
            .await?;
        cartctl_core::reminder::query::sort_rows(&mut rows);
        Ok(rows)
    }
}
