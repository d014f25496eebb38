//! The mailer's checks: the sender's SES identity may send (`mailer-identity`), the account
//! is out of the SES sandbox (`mailer-sandbox`), the sender's domain signs with DKIM
//! (`mailer-dkim`), the account's reputation is clear of SES's thresholds
//! (`mailer-reputation`), the contact list has the reminders' topic (`mailer-list`) and the
//! configuration set sends bounces and complaints back (`mailer-events`).

use super::{Check, error_check};
use crate::sdk::cloudwatch::{self, MetricQuery};
use crate::sdk::{Clients, ses};
use cartctl_core::mail::MailLists;
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

/// Above these, doctor warns (SES's own review starts at 5 % bounces and 0.1 % complaints;
/// Gmail and Yahoo want complaints under 0.1 %, ideally under 0.03 %).
const BOUNCE_WARN: f64 = 0.02;
const COMPLAINT_WARN: f64 = 0.0005;
/// Where SES puts an account under review.
const BOUNCE_REVIEW: f64 = 0.05;
const COMPLAINT_REVIEW: f64 = 0.001;

/// `mailer-dkim`: the sender's domain signs with DKIM (Gmail and Yahoo require it of bulk
/// senders; DMARC and SPF are DNS records the shop adds).
pub async fn check_dkim(clients: &Clients, sender: Option<&Sender>) -> Check {
    const NAME: &str = "mailer-dkim";
    let Some(sender) = sender else {
        return Check::skip(NAME, "no mail_from is set");
    };
    let domain = sender.address.domain();
    let fix = format!(
        "verify the domain {domain} in SES with Easy DKIM and publish its three CNAME records (then SPF and DMARC for the domain)"
    );
    match ses::identity(&clients.ses, domain).await {
        Ok(Some(i)) if i.dkim.as_deref() == Some("SUCCESS") => {
            Check::ok(NAME, format!("{domain} signs with DKIM"))
        }
        Ok(Some(i)) => Check::warn(
            NAME,
            format!(
                "{domain}'s DKIM is {}",
                i.dkim.as_deref().unwrap_or("not set up")
            ),
            fix,
        ),
        Ok(None) => Check::warn(
            NAME,
            format!(
                "{domain} is not an SES identity: its e-mails are not DKIM-signed as the domain"
            ),
            fix,
        ),
        Err(e) => Check::skip(NAME, format!("GetEmailIdentity failed: {}", e.one_line())),
    }
}

/// `mailer-reputation`: SES's review status, the account's suppression list, and the bounce
/// and complaint rates of the last day (CloudWatch `AWS/SES` `Reputation.*`) against SES's
/// thresholds.
pub async fn check_reputation(clients: &Clients) -> Check {
    const NAME: &str = "mailer-reputation";
    let account = match ses::account(&clients.ses).await {
        Ok(a) => a,
        Err(e) => return Check::skip(NAME, format!("GetAccount failed: {}", e.one_line())),
    };
    if let Some(status) = account.enforcement.as_deref().filter(|s| *s != "HEALTHY") {
        return Check::fail(
            NAME,
            format!("SES reviews this account: its enforcement status is {status}"),
            "see the SES console's reputation dashboard, and stop what raised the bounces or complaints",
        );
    }
    let both = ["BOUNCE", "COMPLAINT"];
    let suppressing = both
        .iter()
        .all(|r| account.suppressed_reasons.iter().any(|h| h == r));
    let queries: Vec<MetricQuery> = ["Reputation.BounceRate", "Reputation.ComplaintRate"]
        .into_iter()
        .map(|metric| MetricQuery {
            namespace: "AWS/SES",
            metric,
            dimensions: Vec::new(),
        })
        .collect();
    let end = chrono::Utc::now();
    let rates = cloudwatch::maxima(
        &clients.cloudwatch,
        &queries,
        (end - chrono::Duration::days(1), end),
        3600,
    )
    .await;
    let (bounce, complaint) = match rates {
        Ok(r) => (r[0], r[1]),
        Err(e) => {
            return Check::skip(NAME, format!("GetMetricData failed: {}", e.one_line()));
        }
    };
    let pct =
        |r: Option<f64>| r.map_or_else(|| "no data".to_owned(), |r| format!("{:.2} %", r * 100.0));
    let rates = format!(
        "bounce rate {}, complaint rate {} (the last day, at most)",
        pct(bounce),
        pct(complaint)
    );
    let (b, c) = (bounce.unwrap_or(0.0), complaint.unwrap_or(0.0));
    if b >= BOUNCE_REVIEW || c >= COMPLAINT_REVIEW {
        return Check::fail(
            NAME,
            format!("{rates}: SES reviews accounts past 5 % bounces or 0.1 % complaints"),
            "pause the mailer (its event source mapping) and find what bounces: bad addresses from the shop's API, a bought list",
        );
    }
    if b >= BOUNCE_WARN || c >= COMPLAINT_WARN {
        return Check::warn(
            NAME,
            format!("{rates}: close to SES's review thresholds"),
            "check which addresses bounce (cartctl tail --mail-events) and that the consent regime is right",
        );
    }
    if !suppressing {
        return Check::warn(
            NAME,
            format!(
                "{rates}; the account suppression list takes {}",
                if account.suppressed_reasons.is_empty() {
                    "nothing".to_owned()
                } else {
                    account.suppressed_reasons.join(", ")
                }
            ),
            "run cartctl setup --mail-from (it turns it on for BOUNCE and COMPLAINT when it is off)",
        );
    }
    Check::ok(
        NAME,
        format!("{rates}; bounces and complaints are suppressed"),
    )
}

/// `mailer-lists`: the contact list has the reminders' topic with the consent regime's
/// default, and the configuration set publishes bounces and complaints to the default bus,
/// whose mail-events rule takes them to the consumer.
pub async fn check_lists(clients: &Clients, found: &super::Found<'_>) -> Vec<Check> {
    const LIST: &str = "mailer-list";
    const EVENTS: &str = "mailer-events";
    let Some(lists) = &found.req.lists else {
        let fix = "run cartctl setup --mail-from ADDRESS --postal-address TEXT (it makes them and writes contact_list and configuration_set)";
        return vec![
            Check::fail(
                LIST,
                "no contact_list is set: reminders cannot carry an unsubscribe",
                fix,
            ),
            Check::fail(
                EVENTS,
                "no configuration_set is set: bounces and complaints never come back",
                fix,
            ),
        ];
    };
    let bus = found.arn("events", "event-bus/default");
    vec![
        check_list(clients, lists).await,
        check_events(clients, lists, &bus).await,
    ]
}

/// `mailer-list`: the contact list has the topic, with the consent regime's default.
async fn check_list(clients: &Clients, lists: &MailLists) -> Check {
    const LIST: &str = "mailer-list";
    match ses::contact_list(&clients.ses, &lists.contact_list).await {
        Ok(Some((_, topics))) => match topics.iter().find(|t| t.name == lists.topic) {
            Some(t) if t.default == lists.consent.default_status() => Check::ok(
                LIST,
                format!(
                    "contact list {} has topic {} (default {}, consent = {})",
                    lists.contact_list,
                    lists.topic,
                    t.default,
                    lists.consent.as_str()
                ),
            ),
            Some(t) => Check::fail(
                LIST,
                format!(
                    "topic {} subscribes by default as {}, but consent = {} wants {}",
                    lists.topic,
                    t.default,
                    lists.consent.as_str(),
                    lists.consent.default_status()
                ),
                "set consent to the regime the topic was made for, or change the topic's default in the SES console",
            ),
            None => Check::fail(
                LIST,
                format!(
                    "contact list {} has no topic {}",
                    lists.contact_list, lists.topic
                ),
                "run cartctl setup --mail-from again (it adds the topic)",
            ),
        },
        Ok(None) => Check::fail(
            LIST,
            format!("SES has no contact list {}", lists.contact_list),
            "run cartctl setup --mail-from again (it makes or adopts the account's list)",
        ),
        Err(e) => error_check(LIST, e),
    }
}

/// `mailer-events`: the configuration set publishes bounces and complaints to `bus`.
async fn check_events(clients: &Clients, lists: &MailLists, bus: &str) -> Check {
    const EVENTS: &str = "mailer-events";
    match ses::event_destinations(&clients.ses, &lists.configuration_set).await {
        Ok(dests) => {
            let takes = |d: &ses::EventDest| {
                d.enabled
                    && d.bus_arn.as_deref() == Some(bus)
                    && ["BOUNCE", "COMPLAINT"]
                        .iter()
                        .all(|t| d.types.iter().any(|h| h == t))
            };
            if dests.iter().any(takes) {
                Check::ok(
                    EVENTS,
                    format!(
                        "configuration set {} publishes bounces and complaints to the default bus",
                        lists.configuration_set
                    ),
                )
            } else {
                Check::fail(
                    EVENTS,
                    format!(
                        "configuration set {} has no enabled EventBridge destination for bounces and complaints on the default bus",
                        lists.configuration_set
                    ),
                    "run cartctl setup --mail-from again (it adds the destination)",
                )
            }
        }
        Err(e) if e.is_not_found() => Check::fail(
            EVENTS,
            format!("SES has no configuration set {}", lists.configuration_set),
            "run cartctl setup --mail-from again",
        ),
        Err(e) => error_check(EVENTS, e),
    }
}
