//! The reminder core: from cart parameters (user, product, due time and settings) to the exact
//! CreateSchedule request, and back from a stored schedule to the cart it reminds of.
//!
//! Pure: no I/O. Names and client tokens are deterministic, so a re-run or a retry asks for the
//! same schedule under the same name, and user ids never appear in names or ARNs.

mod cart;
mod name;
pub mod query;
mod request;
mod settings;

pub use cart::{
    CONTEXT_ATTRIBUTE_PREFIX, Cart, MAX_STAGES, ReminderExtras, Stage, parse_detail_object,
};
pub use name::{NAME_PREFIX, ReminderName};
pub use request::{Reminder, StoredSchedule, check_series, derived_client_token};
pub use settings::{
    DEFAULT_DETAIL_TYPE, DEFAULT_SOURCE, DetailTypeTemplate, RawReminderSettings, ReminderSettings,
};

#[cfg(test)]
mod tests;
