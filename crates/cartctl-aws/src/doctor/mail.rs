//! The mailer's checks: the sender's SES identity may send (`mailer-identity`), and the
//! account is out of the SES sandbox (`mailer-sandbox`).

use super::{Check, error_check};
use crate::sdk::{Clients, ses};
use cartctl_core::mail::Sender;

/// `mailer-identity`: the sender's address (or its domain) is an SES identity verified for
/// sending.
pub async fn check_identity(clients: &Clients, sender: Option<&Sender>) -> Check {
    const NAME: &str = "mailer-identity";
    let Some(sender) = sender else {
        return Check::skip(
            NAME,
            "no mail_from is set (setup --mail-from ADDRESS sets it)",
        );
    };
    let address = sender.address.as_str();
    match ses::covering(&clients.ses, &sender.address).await {
        Ok(Some((name, i))) if i.can_send() => {
            return Check::ok(NAME, format!("SES identity {name} is verified for sending"));
        }
        Ok(Some((name, i))) => {
            return Check::fail(
                NAME,
                format!(
                    "SES identity {name} is not verified for sending ({})",
                    i.status.as_deref().unwrap_or("pending")
                ),
                format!(
                    "open the link SES e-mailed to {name} (or verify the domain's DNS records)"
                ),
            );
        }
        Ok(None) => {}
        Err(e) => return error_check(NAME, e),
    }
    Check::fail(
        NAME,
        format!(
            "SES has no identity for {address} or {}",
            sender.address.domain()
        ),
        format!("run `cartctl setup --mail-from {address}`, then open the link SES e-mails"),
    )
}

/// `mailer-sandbox`: the account may send to any address (in the sandbox it may send only to
/// verified ones), and sending is enabled.
pub async fn check_sandbox(clients: &Clients) -> Check {
    const NAME: &str = "mailer-sandbox";
    match ses::account(&clients.ses).await {
        Ok(a) if !a.sending_enabled => Check::fail(
            NAME,
            "SES sending is paused for this account",
            "see the SES console's account dashboard for why",
        ),
        Ok(a) if !a.production_access => Check::warn(
            NAME,
            "the account is in the SES sandbox: it can e-mail verified addresses only",
            "request production access (SES console, Account dashboard), or verify the recipients",
        ),
        Ok(a) => Check::ok(
            NAME,
            format!(
                "production access, up to {} e-mails a second",
                a.max_send_rate
                    .map_or_else(|| "?".into(), |r| r.to_string())
            ),
        ),
        Err(e) => Check::skip(
            NAME,
            format!("GetAccount could not be asked: {}", e.one_line()),
        ),
    }
}
