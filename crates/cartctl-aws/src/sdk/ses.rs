//! SES v2 calls: the sender's identity (setup, doctor), the account's sending status and
//! rate, and SendEmail with a simple (text and HTML) message.

use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message, Tag};

use super::aws_err;
use cartctl_core::error::Result;
use cartctl_core::mail::Address;

/// One e-mail to send.
#[derive(Debug, Clone)]
pub struct Email<'a> {
    /// The From header (`"Name" <address>` or the address).
    pub from: &'a str,
    /// The one recipient.
    pub to: &'a str,
    /// One line.
    pub subject: &'a str,
    /// The text body.
    pub text: &'a str,
    /// The HTML body, if any.
    pub html: Option<&'a str>,
}

fn utf8(data: &str) -> Content {
    Content::builder()
        .data(data)
        .charset("UTF-8")
        .build()
        .expect("data is set")
}

/// Sends `e`; returns SES's message id. One SDK attempt: SendEmail has no idempotency key, so
/// a send whose answer was lost must not be sent again by the SDK's own retries (the caller
/// retries only what SES certainly did not act on).
pub async fn send(client: &Client, e: &Email<'_>) -> Result<String> {
    let mut body = Body::builder().text(utf8(e.text));
    if let Some(html) = e.html {
        body = body.html(utf8(html));
    }
    let message = Message::builder()
        .subject(utf8(e.subject))
        .body(body.build())
        .build();
    let out = client
        .send_email()
        .from_email_address(e.from)
        .destination(Destination::builder().to_addresses(e.to).build())
        .content(EmailContent::builder().simple(message).build())
        .customize()
        .config_override(
            aws_sdk_sesv2::config::Builder::default().retry_config(super::write_retry_config()),
        )
        .send()
        .await
        .map_err(aws_err("SendEmail"))?;
    Ok(out.message_id().unwrap_or_default().to_owned())
}

/// An identity's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Whether SES lets it send.
    pub verified_for_sending: bool,
    /// Its verification status (PENDING, SUCCESS, FAILED, …), if SES says.
    pub status: Option<String>,
}

impl Identity {
    /// Whether SES lets it send: `VerifiedForSendingStatus`, or a `SUCCESS` verification
    /// (which on AWS comes with it; the emulator reports only the latter).
    pub fn can_send(&self) -> bool {
        self.verified_for_sending || self.status.as_deref() == Some("SUCCESS")
    }
}

/// The identity that covers `address`: the address's own, else its domain's; with its name.
pub async fn covering(client: &Client, address: &Address) -> Result<Option<(String, Identity)>> {
    for name in [address.as_str(), address.domain()] {
        if let Some(found) = identity(client, name).await? {
            return Ok(Some((name.to_owned(), found)));
        }
    }
    Ok(None)
}

/// The identity `name` (an address or a domain); `None` if SES has none.
pub async fn identity(client: &Client, name: &str) -> Result<Option<Identity>> {
    let out = client
        .get_email_identity()
        .email_identity(name)
        .send()
        .await
        .map_err(aws_err("GetEmailIdentity"));
    let out = match super::found(out)? {
        Some(o) => o,
        None => return Ok(None),
    };
    Ok(Some(Identity {
        verified_for_sending: out.verified_for_sending_status(),
        status: out.verification_status().map(|s| s.as_str().to_owned()),
    }))
}

/// Creates the identity `name`: for an address, SES e-mails it a link to verify it.
pub async fn create_identity(client: &Client, name: &str, tags: &[(&str, &str)]) -> Result<()> {
    let mut req = client.create_email_identity().email_identity(name);
    for (k, v) in tags {
        req = req.tags(
            Tag::builder()
                .key(*k)
                .value(*v)
                .build()
                .expect("key and value"),
        );
    }
    req.send().await.map_err(aws_err("CreateEmailIdentity"))?;
    Ok(())
}

/// Deletes the identity `name`.
pub async fn delete_identity(client: &Client, name: &str) -> Result<()> {
    client
        .delete_email_identity()
        .email_identity(name)
        .send()
        .await
        .map_err(aws_err("DeleteEmailIdentity"))?;
    Ok(())
}

/// The account's sending state.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    /// False in the SES sandbox (only verified recipients).
    pub production_access: bool,
    /// Whether sending is enabled.
    pub sending_enabled: bool,
    /// E-mails a second the account may send.
    pub max_send_rate: Option<f64>,
}

/// GetAccount.
pub async fn account(client: &Client) -> Result<Account> {
    let out = client
        .get_account()
        .send()
        .await
        .map_err(aws_err("GetAccount"))?;
    Ok(Account {
        production_access: out.production_access_enabled(),
        sending_enabled: out.sending_enabled(),
        max_send_rate: out.send_quota().map(|q| q.max_send_rate()),
    })
}
