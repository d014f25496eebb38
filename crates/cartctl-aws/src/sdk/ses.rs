//! SES v2 calls: the sender's identity (setup, doctor), the account's sending status, rate
//! and suppression list, the contact list and its contacts (consent), the configuration set
//! and its event destination (bounces and complaints back), and SendEmail with a simple (text
//! and HTML) message under list management.

use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::types::{
    Body, Content, Destination, EmailContent, EventBridgeDestination, EventDestinationDefinition,
    EventType, ListManagementOptions, Message, MessageTag, SubscriptionStatus,
    SuppressionListReason, Tag, Topic, TopicPreference,
};

use super::aws_err;
use cartctl_core::error::Result;
use cartctl_core::mail::Address;
use cartctl_core::mail::consent::{ContactView, Subscription};

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
    /// The contact list and topic it is sent under: SES adds the one-click unsubscribe
    /// headers and fills in the unsubscribe link.
    pub list: (&'a str, &'a str),
    /// The configuration set it goes through (its events come back).
    pub configuration_set: &'a str,
    /// Its message tags (no personal data).
    pub tags: &'a [(&'a str, String)],
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
    let mut req = client
        .send_email()
        .from_email_address(e.from)
        .destination(Destination::builder().to_addresses(e.to).build())
        .content(EmailContent::builder().simple(message).build())
        .list_management_options(
            ListManagementOptions::builder()
                .contact_list_name(e.list.0)
                .topic_name(e.list.1)
                .build()
                .expect("the list is set"),
        )
        .configuration_set_name(e.configuration_set);
    for (name, value) in e.tags {
        req = req.email_tags(
            MessageTag::builder()
                .name(*name)
                .value(value)
                .build()
                .expect("name and value"),
        );
    }
    let out = req
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
    /// Its DKIM status (SUCCESS, PENDING, FAILED, NOT_STARTED…), if SES says.
    pub dkim: Option<String>,
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
        dkim: out
            .dkim_attributes()
            .and_then(|d| d.status())
            .map(|s| s.as_str().to_owned()),
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
    /// SES's review of the account (HEALTHY, PROBATION, SHUTDOWN), if it says.
    pub enforcement: Option<String>,
    /// What the account-level suppression list takes (BOUNCE, COMPLAINT); none when off.
    pub suppressed_reasons: Vec<String>,
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
        enforcement: out.enforcement_status().map(str::to_owned),
        suppressed_reasons: out
            .suppression_attributes()
            .map(|a| {
                a.suppressed_reasons()
                    .iter()
                    .map(|r| r.as_str().to_owned())
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// Turns the account-level suppression list on for bounces and complaints.
pub async fn suppress_bounces_and_complaints(client: &Client) -> Result<()> {
    client
        .put_account_suppression_attributes()
        .suppressed_reasons(SuppressionListReason::Bounce)
        .suppressed_reasons(SuppressionListReason::Complaint)
        .send()
        .await
        .map_err(aws_err("PutAccountSuppressionAttributes"))?;
    Ok(())
}

/// Why the account's suppression list holds `address` (BOUNCE, COMPLAINT), if it does.
pub async fn suppressed(client: &Client, address: &str) -> Result<Option<String>> {
    let out = client
        .get_suppressed_destination()
        .email_address(address)
        .send()
        .await
        .map_err(aws_err("GetSuppressedDestination"));
    Ok(super::found(out)?.and_then(|o| {
        o.suppressed_destination()
            .map(|d| d.reason().as_str().to_owned())
    }))
}

/// A topic of a contact list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicSpec {
    /// Its name.
    pub name: String,
    /// What the unsubscribe page shows.
    pub display_name: String,
    /// What it is about.
    pub description: String,
    /// Whether a contact who chose nothing is subscribed.
    pub default: Subscription,
}

fn subscription(s: Subscription) -> SubscriptionStatus {
    match s {
        Subscription::OptIn => SubscriptionStatus::OptIn,
        Subscription::OptOut => SubscriptionStatus::OptOut,
    }
}

fn topic(t: &TopicSpec) -> Topic {
    Topic::builder()
        .topic_name(&t.name)
        .display_name(&t.display_name)
        .description(&t.description)
        .default_subscription_status(subscription(t.default))
        .build()
        .expect("every part is set")
}

/// The account's contact lists' names (SES allows one).
pub async fn contact_lists(client: &Client) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let out = client
            .list_contact_lists()
            .set_next_token(token)
            .send()
            .await
            .map_err(aws_err("ListContactLists"))?;
        names.extend(
            out.contact_lists()
                .iter()
                .filter_map(|l| l.contact_list_name().map(str::to_owned)),
        );
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(names);
        }
    }
}

/// A contact list's description and topics; `None` if there is no such list.
pub async fn contact_list(
    client: &Client,
    name: &str,
) -> Result<Option<(Option<String>, Vec<TopicSpec>)>> {
    let out = client
        .get_contact_list()
        .contact_list_name(name)
        .send()
        .await
        .map_err(aws_err("GetContactList"));
    Ok(super::found(out)?.map(|o| {
        let topics = o
            .topics()
            .iter()
            .map(|t| TopicSpec {
                name: t.topic_name().to_owned(),
                display_name: t.display_name().to_owned(),
                description: t.description().unwrap_or_default().to_owned(),
                default: Subscription::from_ses(t.default_subscription_status().as_str())
                    .unwrap_or(Subscription::OptIn),
            })
            .collect();
        (o.description().map(str::to_owned), topics)
    }))
}

/// Creates the contact list `name` with `topic`.
pub async fn create_contact_list(
    client: &Client,
    name: &str,
    topic_spec: &TopicSpec,
    tags: &[(&str, &str)],
) -> Result<()> {
    let mut req = client
        .create_contact_list()
        .contact_list_name(name)
        .description("Customers of the shop and their e-mail subscriptions")
        .topics(topic(topic_spec));
    for (k, v) in tags {
        req = req.tags(
            Tag::builder()
                .key(*k)
                .value(*v)
                .build()
                .expect("key and value"),
        );
    }
    req.send().await.map_err(aws_err("CreateContactList"))?;
    Ok(())
}

/// Sets a contact list's topics (UpdateContactList replaces them all: give every topic).
pub async fn set_topics(
    client: &Client,
    name: &str,
    description: Option<&str>,
    topics: &[TopicSpec],
) -> Result<()> {
    client
        .update_contact_list()
        .contact_list_name(name)
        .set_description(description.map(str::to_owned))
        .set_topics(Some(topics.iter().map(topic).collect()))
        .send()
        .await
        .map_err(aws_err("UpdateContactList"))?;
    Ok(())
}

/// What the list holds of `address`, with every topic's choice; `None` for no contact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    /// Unsubscribed from every topic.
    pub unsubscribe_all: bool,
    /// The contact's own choices, by topic.
    pub chosen: Vec<(String, Subscription)>,
    /// The topics' defaults as SES reports them for the contact.
    pub defaults: Vec<(String, Subscription)>,
}

impl Contact {
    /// What the contact says for `topic`.
    pub fn view(&self, topic: &str) -> ContactView {
        let find = |list: &[(String, Subscription)]| {
            list.iter().find(|(t, _)| t == topic).map(|(_, s)| *s)
        };
        ContactView {
            unsubscribe_all: self.unsubscribe_all,
            chosen: find(&self.chosen),
            default: find(&self.defaults),
        }
    }
}

fn preferences(list: &[TopicPreference]) -> Vec<(String, Subscription)> {
    list.iter()
        .filter_map(|p| {
            Subscription::from_ses(p.subscription_status().as_str())
                .map(|s| (p.topic_name().to_owned(), s))
        })
        .collect()
}

/// The contact `address` of `list`; `None` if the list has none.
pub async fn contact(client: &Client, list: &str, address: &str) -> Result<Option<Contact>> {
    let out = client
        .get_contact()
        .contact_list_name(list)
        .email_address(address)
        .send()
        .await
        .map_err(aws_err("GetContact"));
    Ok(super::found(out)?.map(|o| Contact {
        unsubscribe_all: o.unsubscribe_all(),
        chosen: preferences(o.topic_preferences()),
        defaults: preferences(o.topic_default_preferences()),
    }))
}

fn preference(topic: &str, status: Subscription) -> TopicPreference {
    TopicPreference::builder()
        .topic_name(topic)
        .subscription_status(subscription(status))
        .build()
        .expect("topic and status")
}

/// Records `address`'s choice for `topic`: a new contact, or the existing one's choices with
/// this one changed (UpdateContact replaces them all, so the others are given back).
/// Returns the contact as it was.
pub async fn set_subscription(
    client: &Client,
    list: &str,
    address: &str,
    topic: &str,
    status: Subscription,
) -> Result<Option<Contact>> {
    let before = contact(client, list, address).await?;
    match &before {
        None => {
            client
                .create_contact()
                .contact_list_name(list)
                .email_address(address)
                .topic_preferences(preference(topic, status))
                .send()
                .await
                .map_err(aws_err("CreateContact"))?;
        }
        Some(c) => {
            let mut prefs: Vec<TopicPreference> = c
                .chosen
                .iter()
                .filter(|(t, _)| t != topic)
                .map(|(t, s)| preference(t, *s))
                .collect();
            prefs.push(preference(topic, status));
            client
                .update_contact()
                .contact_list_name(list)
                .email_address(address)
                .set_topic_preferences(Some(prefs))
                .unsubscribe_all(c.unsubscribe_all && status == Subscription::OptOut)
                .send()
                .await
                .map_err(aws_err("UpdateContact"))?;
        }
    }
    Ok(before)
}

/// Whether the configuration set `name` exists.
pub async fn configuration_set_exists(client: &Client, name: &str) -> Result<bool> {
    let out = client
        .get_configuration_set()
        .configuration_set_name(name)
        .send()
        .await
        .map_err(aws_err("GetConfigurationSet"));
    Ok(super::found(out)?.is_some())
}

/// Creates the configuration set `name`.
pub async fn create_configuration_set(
    client: &Client,
    name: &str,
    tags: &[(&str, &str)],
) -> Result<()> {
    let mut req = client
        .create_configuration_set()
        .configuration_set_name(name);
    for (k, v) in tags {
        req = req.tags(
            Tag::builder()
                .key(*k)
                .value(*v)
                .build()
                .expect("key and value"),
        );
    }
    req.send()
        .await
        .map_err(aws_err("CreateConfigurationSet"))?;
    Ok(())
}

/// Deletes the configuration set `name` (and its event destinations).
pub async fn delete_configuration_set(client: &Client, name: &str) -> Result<()> {
    client
        .delete_configuration_set()
        .configuration_set_name(name)
        .send()
        .await
        .map_err(aws_err("DeleteConfigurationSet"))?;
    Ok(())
}

/// An event destination of a configuration set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDest {
    /// Its name.
    pub name: String,
    /// Whether SES publishes to it.
    pub enabled: bool,
    /// The event types it takes (SES's words).
    pub types: Vec<String>,
    /// The bus it publishes to, for an EventBridge destination.
    pub bus_arn: Option<String>,
}

/// The event destinations of the configuration set `set`.
pub async fn event_destinations(client: &Client, set: &str) -> Result<Vec<EventDest>> {
    let out = client
        .get_configuration_set_event_destinations()
        .configuration_set_name(set)
        .send()
        .await
        .map_err(aws_err("GetConfigurationSetEventDestinations"))?;
    Ok(out
        .event_destinations()
        .iter()
        .map(|d| EventDest {
            name: d.name().to_owned(),
            enabled: d.enabled(),
            types: d
                .matching_event_types()
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect(),
            bus_arn: d
                .event_bridge_destination()
                .map(|b| b.event_bus_arn().to_owned()),
        })
        .collect())
}

/// Adds the EventBridge destination `name` to `set`: `types` of event published to `bus_arn`
/// (SES publishes only to the account's default bus).
pub async fn create_event_destination(
    client: &Client,
    set: &str,
    name: &str,
    bus_arn: &str,
    types: &[&str],
) -> Result<()> {
    let mut def = EventDestinationDefinition::builder()
        .enabled(true)
        .event_bridge_destination(
            EventBridgeDestination::builder()
                .event_bus_arn(bus_arn)
                .build()
                .expect("the bus is set"),
        );
    for t in types {
        def = def.matching_event_types(EventType::from(*t));
    }
    client
        .create_configuration_set_event_destination()
        .configuration_set_name(set)
        .event_destination_name(name)
        .event_destination(def.build())
        .send()
        .await
        .map_err(aws_err("CreateConfigurationSetEventDestination"))?;
    Ok(())
}

/// The tags of an SES resource.
pub async fn tags(client: &Client, arn: &str) -> Result<Vec<(String, String)>> {
    let out = client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(aws_err("ListTagsForResource"))?;
    Ok(out
        .tags()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect())
}
