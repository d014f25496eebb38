//! `cartctl contacts`: a customer's contact on the account's contact list, read or changed
//! under the reminders' topic, for support staff and scripts. The address is the one given,
//! or the one the cart ledger holds for a user.

use serde::Serialize;

use crate::ledger::Ledger;
use crate::sdk::ses;
use crate::session::Session;
use cartctl_core::error::{Error, Result};
use cartctl_core::mail::consent::{Consent, Refusal, Subscription, may_email};
use cartctl_core::mail::{Address, MailLists};

/// A customer's contact, as the mailer would read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactReport {
    /// The address.
    pub email: String,
    /// The contact list.
    pub contact_list: String,
    /// The topic.
    pub topic: String,
    /// Whether the list has a contact of the address.
    pub contact: bool,
    /// They unsubscribed from every topic.
    pub unsubscribe_all: bool,
    /// Their own choice for the topic (`OPT_IN`, `OPT_OUT`), if they made one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chosen: Option<String>,
    /// Whether the account's suppression list holds the address, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
    /// Whether the mailer would e-mail them now (consent, unsubscription, suppression).
    pub would_email: bool,
    /// Why not, when it would not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Session {
    /// The address the cart ledger holds for `user` (their carts' detail `field`), else the
    /// user id when it is an address; a user with neither is not found.
    pub async fn address_of(&self, ledger: &Ledger, user: &str, field: &str) -> Result<Address> {
        let part = self.ledger_partition(ledger, user).await?;
        let held = part
            .carts
            .values()
            .filter_map(|c| c.detail.get(field).and_then(|v| v.as_str()))
            .find_map(|a| Address::parse(&format!("detail.{field}"), a).ok());
        if let Some(a) = held {
            return Ok(a);
        }
        Address::parse("--user", user).map_err(|_| Error::NotFound {
            what: format!("the cart ledger holds no address of user `{user}`"),
            fix: "give the address with --email".into(),
        })
    }

    /// The contact of `address` under `lists`' topic, and whether the mailer would e-mail it.
    pub async fn contact_report(
        &self,
        lists: &MailLists,
        address: &Address,
    ) -> Result<ContactReport> {
        let client = &self.clients().await?.ses;
        let suppressed = self
            .retrier()
            .run(|_| ses::suppressed(client, address.as_str()))
            .await?;
        let contact = self
            .retrier()
            .run(|_| ses::contact(client, &lists.contact_list, address.as_str()))
            .await?;
        let view = contact.as_ref().map(|c| c.view(&lists.topic));
        let verdict = may_email(
            lists.consent,
            &lists.topic,
            view.as_ref(),
            suppressed.as_deref(),
        );
        Ok(ContactReport {
            email: address.as_str().to_owned(),
            contact_list: lists.contact_list.clone(),
            topic: lists.topic.clone(),
            contact: contact.is_some(),
            unsubscribe_all: view.as_ref().is_some_and(|v| v.unsubscribe_all),
            chosen: view.and_then(|v| v.chosen).map(|s| s.as_str().to_owned()),
            suppressed,
            would_email: verdict.is_ok(),
            reason: verdict.err().map(|r| match r {
                Refusal::Suppressed(why) | Refusal::Unsubscribed(why) => why,
            }),
        })
    }

    /// Subscribes (or unsubscribes) `address` to `lists`' topic, then reports the contact.
    pub async fn set_contact(
        &self,
        lists: &MailLists,
        address: &Address,
        status: Subscription,
    ) -> Result<ContactReport> {
        let client = &self.clients().await?.ses;
        self.retrier()
            .run(|_| {
                ses::set_subscription(
                    client,
                    &lists.contact_list,
                    address.as_str(),
                    &lists.topic,
                    status,
                )
            })
            .await?;
        self.contact_report(lists, address).await
    }
}

/// The lists `contacts` works on: the contact list (required), the topic and the consent.
pub fn contact_lists(
    contact_list: Option<String>,
    topic: String,
    consent: &str,
) -> Result<MailLists> {
    let contact_list = contact_list.filter(|l| !l.trim().is_empty()).ok_or_else(|| {
        Error::invalid(
            "--contact-list",
            "is not set",
            "run cartctl setup --mail-from ADDRESS (it makes the contact list and writes contact_list), or give --contact-list",
        )
    })?;
    cartctl_core::limits::check_topic_name("--topic", &topic)?;
    Ok(MailLists {
        contact_list,
        topic,
        consent: Consent::parse("--consent", consent)?,
        configuration_set: String::new(),
    })
}
