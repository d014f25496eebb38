//! `setup --mail-from`'s lawful-mail parts, after the sender's identity: the account's contact
//! list (SES allows one per account: an existing one is adopted, never replaced) with the topic
//! of cart reminders, the account-level suppression list for bounces and complaints, and the
//! configuration set whose event destination publishes SES's events (to the default bus, the
//! only one SES publishes to), routed by a rule to the consumer's queue.
//!
//! Teardown removes the configuration set and the rule when they are setup's; the contact list
//! and the suppression settings are the account's and are left alone.

use super::{Apply, Change, Provisioned, pick, removed};
use crate::sdk::ses::{self, TopicSpec};
use crate::session::Session;
use cartctl_core::blueprint::{Blueprint, TAG_KEY};
use cartctl_core::error::{Error, Result};
use cartctl_core::mail::Consent;
use cartctl_core::mail::events::EVENT_TYPES;

/// The name of the configuration set's event destination.
const DESTINATION: &str = cartctl_core::blueprint::MAIL_EVENT_DESTINATION;

/// What `setup --mail-from` is asked for beyond the sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSpec {
    /// The consent regime: the topic's default subscription.
    pub consent: Consent,
    /// The topic's name (`mail_topic`).
    pub topic: String,
    /// What the unsubscribe page shows of it.
    pub display_name: String,
    /// What it is about.
    pub description: String,
    /// The contact list to use (`contact_list`), if named.
    pub contact_list: Option<String>,
}

impl MailSpec {
    fn topic_spec(&self) -> TopicSpec {
        TopicSpec {
            name: self.topic.clone(),
            display_name: self.display_name.clone(),
            description: self.description.clone(),
            default: self.consent.default_status(),
        }
    }
}

/// What the mail parts are, for the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailApplied {
    /// The contact list made or adopted.
    pub contact_list: String,
    /// The configuration set.
    pub configuration_set: String,
}

impl Session {
    /// The contact list and its topic, the account's suppression list, the configuration set
    /// and its event destination, and the mail-events rule (`dry_run`: reads only).
    pub async fn setup_mail(
        &self,
        bp: &Blueprint,
        spec: &MailSpec,
        dry_run: bool,
        mut each: impl FnMut(&Provisioned),
    ) -> Result<(Vec<Provisioned>, MailApplied)> {
        let a = Apply {
            clients: self.clients().await?,
            retry: self.retrier(),
            bp,
            dry_run,
        };
        let mut done = Vec::new();
        let mut record = |p: Provisioned| {
            each(&p);
            done.push(p);
        };
        let list = a.ensure_contact_list(spec).await?;
        let contact_list = list.name.clone();
        record(list);
        record(a.ensure_suppression().await?);
        record(a.ensure_configuration_set().await?);
        record(a.ensure_rule(&bp.mail_events_route()).await?);
        let applied = MailApplied {
            contact_list,
            configuration_set: bp.configuration_set.clone(),
        };
        Ok((done, applied))
    }
}

impl Apply<'_> {
    /// The account's contact list: the one named, else the one the account has, else a new
    /// one; with the cart-reminders topic (added to an adopted list, its other topics kept).
    async fn ensure_contact_list(&self, spec: &MailSpec) -> Result<Provisioned> {
        let (client, bp) = (&self.clients.ses, self.bp);
        let lists = self.retry.run(|_| ses::contact_lists(client)).await?;
        let none_yet = lists.is_empty();
        let name = match (&spec.contact_list, lists.first()) {
            (Some(named), Some(have)) if !lists.contains(named) => {
                return Err(Error::Conflict {
                    what: format!(
                        "the account's contact list is `{have}`, not `{named}` (SES allows one per account)"
                    ),
                    fix: format!("give --contact-list {have}, or leave it out to adopt it"),
                });
            }
            (Some(named), _) => named.clone(),
            (None, Some(have)) => have.clone(),
            (None, None) => bp.contact_list.clone(),
        };
        let arn = bp.contact_list_arn(&name);
        let want = spec.topic_spec();
        let found = self.retry.run(|_| ses::contact_list(client, &name)).await?;
        let Some((description, mut topics)) = found else {
            let change = pick(false, true, self.dry_run);
            if !self.dry_run {
                let tags = bp.tags();
                let made = self
                    .retry
                    .run(|_| ses::create_contact_list(client, &name, &want, &tags))
                    .await;
                match made {
                    // Another setup made the account's one list meanwhile: adopt it.
                    Err(Error::Aws(e)) if e.code == "LimitExceededException" && none_yet => {
                        return Box::pin(self.ensure_contact_list(spec)).await;
                    }
                    other => other?,
                }
            }
            return Ok(Provisioned::new("contact-list", &name, arn, change));
        };
        let adopted = name != bp.contact_list;
        let mut p = match topics.iter().find(|t| t.name == want.name) {
            Some(t) if t.default != want.default => {
                return Err(Error::Conflict {
                    what: format!(
                        "topic `{}` of contact list `{name}` subscribes by default as {}, but --consent {} wants {}",
                        want.name,
                        t.default,
                        spec.consent.as_str(),
                        want.default
                    ),
                    fix: "give the --consent the topic was made for, or another --topic (changing a topic's default changes who is e-mailed: do it in the SES console if you mean it)".into(),
                });
            }
            Some(_) => Provisioned::new("contact-list", &name, arn, Change::Unchanged),
            None => {
                let change = pick(true, true, self.dry_run);
                topics.push(want.clone());
                if !self.dry_run {
                    self.retry
                        .run(|_| ses::set_topics(client, &name, description.as_deref(), &topics))
                        .await?;
                }
                let mut p = Provisioned::new("contact-list", &name, arn, change);
                p.note = Some(format!("topic {} added", want.name));
                p
            }
        };
        if adopted {
            let note = "the account's own list, adopted (SES allows one per account)";
            p.note = Some(match p.note.take() {
                Some(n) => format!("{note}; {n}"),
                None => note.into(),
            });
        }
        Ok(p)
    }

    /// The account-level suppression list, for bounces and complaints: turned on when off; a
    /// policy of the account's own is reported and left.
    async fn ensure_suppression(&self) -> Result<Provisioned> {
        let (client, bp) = (&self.clients.ses, self.bp);
        let account = self.retry.run(|_| ses::account(client)).await?;
        let have = &account.suppressed_reasons;
        let both = ["BOUNCE", "COMPLAINT"];
        let arn = bp.arn("ses", &bp.region, "account");
        let name = "suppression-list";
        if both.iter().all(|r| have.iter().any(|h| h == r)) {
            return Ok(Provisioned::new(
                "account-setting",
                name,
                arn,
                Change::Unchanged,
            ));
        }
        if !have.is_empty() {
            let mut p = Provisioned::new("account-setting", name, arn, Change::Kept);
            p.note = Some(format!(
                "the account suppresses {} only; setup leaves the account's policy: `aws sesv2 put-account-suppression-attributes --suppressed-reasons BOUNCE COMPLAINT` would add the rest",
                have.join(", ")
            ));
            return Ok(p);
        }
        let change = pick(true, true, self.dry_run);
        if !self.dry_run {
            self.retry
                .run(|_| ses::suppress_bounces_and_complaints(client))
                .await?;
        }
        let mut p = Provisioned::new("account-setting", name, arn, change);
        p.note = Some("bounces and complaints are suppressed account-wide".into());
        Ok(p)
    }

    /// The configuration set, with its EventBridge destination on the default bus.
    async fn ensure_configuration_set(&self) -> Result<Provisioned> {
        let (client, bp) = (&self.clients.ses, self.bp);
        let name = &bp.configuration_set;
        let arn = bp.configuration_set_arn();
        let exists = self
            .retry
            .run(|_| ses::configuration_set_exists(client, name))
            .await?;
        let bus = bp.default_bus_arn();
        let destination_ok = exists
            && self
                .retry
                .run(|_| ses::event_destinations(client, name))
                .await?
                .iter()
                .any(|d| {
                    d.name == DESTINATION
                        && d.enabled
                        && d.bus_arn.as_deref() == Some(bus.as_str())
                        && EVENT_TYPES.iter().all(|t| d.types.iter().any(|h| h == t))
                });
        let change = pick(exists, !destination_ok, self.dry_run);
        if self.dry_run {
            return Ok(Provisioned::new("configuration-set", name, arn, change));
        }
        if !exists {
            let tags = bp.tags();
            self.retry
                .run(|_| ses::create_configuration_set(client, name, &tags))
                .await?;
        }
        if !destination_ok {
            self.retry
                .run(|_| {
                    ses::create_event_destination(client, name, DESTINATION, &bus, &EVENT_TYPES)
                })
                .await?;
        }
        Ok(Provisioned::new("configuration-set", name, arn, change))
    }

    /// Removes the configuration set when it is setup's.
    pub(super) async fn remove_configuration_set(&self) -> Result<Provisioned> {
        let (client, bp, retry) = (&self.clients.ses, self.bp, self.retry);
        let name = &bp.configuration_set;
        let arn = bp.configuration_set_arn();
        if !retry
            .run(|_| ses::configuration_set_exists(client, name))
            .await?
        {
            return Ok(removed("configuration-set", name, arn, None));
        }
        let tags = retry.run(|_| ses::tags(client, &arn)).await?;
        let ours = tags.iter().any(|(k, v)| k == TAG_KEY && *v == bp.prefix);
        if ours {
            retry
                .run(|_| ses::delete_configuration_set(client, name))
                .await?;
        }
        Ok(removed("configuration-set", name, arn, Some(ours)))
    }
}
