//! The cart ledger's checks: `ledger` (the table exists, with the ledger's key, TTL on
//! `expires_at`, point-in-time recovery) and, for each deployed function, `<kind>-ledger` (its
//! role may take exactly the item actions it needs, on that table only).

use serde_json::Value;

use super::{Check, Found, error_check};
use crate::sdk::{Clients, dynamodb};
use cartctl_core::blueprint::LEDGER_ACTIONS;
use cartctl_core::ledger::{EXPIRES_AT, PK, SK};
use cartctl_core::policy::{self, Decision};

const FIX: &str = "run `cartctl setup` (it makes <prefix>-carts and writes ledger_table)";

/// `ledger`: the table the consumer and the mailer keep their state in.
pub(super) async fn check_ledger(clients: &Clients, found: &Found<'_>) -> Check {
    let Some(name) = found.req.ledger_table.as_deref() else {
        return Check::fail(
            "ledger",
            "no ledger_table is configured: the consumer and the mailer stop without one",
            FIX,
        );
    };
    let client = &clients.dynamodb;
    let table = match dynamodb::table(client, name).await {
        Ok(Some(t)) => t,
        Ok(None) => return Check::fail("ledger", format!("table `{name}` does not exist"), FIX),
        Err(e) => return error_check("ledger", e),
    };
    if table.key.as_ref().map(|(p, s)| (p.as_str(), s.as_str())) != Some((PK, SK)) {
        return Check::fail(
            "ledger",
            format!("table `{name}` does not have the ledger's key ({PK}, {SK}: strings)"),
            "give ledger_table the table setup made",
        );
    }
    match dynamodb::ttl_attribute(client, name).await {
        Ok(Some(a)) if a == EXPIRES_AT => {}
        Ok(_) => {
            return Check::fail(
                "ledger",
                format!(
                    "table `{name}` does not expire items (TTL on {EXPIRES_AT} is off): customers' data is kept forever"
                ),
                FIX,
            );
        }
        Err(e) => return error_check("ledger", e),
    }
    match dynamodb::pitr(client, name).await {
        Ok(true) => Check::ok(
            "ledger",
            format!(
                "table {}: TTL on {EXPIRES_AT}, point-in-time recovery on",
                table.arn
            ),
        ),
        Ok(false) => Check::warn(
            "ledger",
            format!(
                "table `{name}` has no point-in-time recovery: a mistake cannot be rolled back"
            ),
            FIX,
        ),
        Err(e) => error_check("ledger", e),
    }
}

/// `<kind>-ledger`: the function's role may take the ledger's item actions on its table, and
/// none on another.
pub(super) fn check_role(
    check: &'static str,
    docs: &[Value],
    who: &str,
    found: &Found<'_>,
) -> Check {
    let Some(name) = found.req.ledger_table.as_deref() else {
        return Check::skip(check, "no ledger_table is configured");
    };
    let table = found.arn("dynamodb", &format!("table/{name}"));
    let other = found.arn("dynamodb", "table/another-table");
    for action in LEDGER_ACTIONS {
        if policy::evaluate(docs, action, &table) != Decision::Allowed {
            return Check::fail(
                check,
                format!("{who} may not {action} on {table}: it cannot keep the ledger"),
                format!("allow {action} on {table} ({FIX} --functions)"),
            );
        }
        if policy::evaluate(docs, action, &other) == Decision::Allowed {
            return Check::warn(
                check,
                format!("{who} may {action} on tables other than the ledger"),
                format!("allow the ledger's actions on {table} only"),
            );
        }
    }
    Check::ok(
        check,
        format!("{who} may take the ledger's item actions on {table}, and only there"),
    )
}
