//! `doctor`: checks of a configured set-up, one [`Check`] each, with the fix when one fails.
//!
//! Policies are read (GetRole, GetRolePolicy, attached managed policies) and evaluated locally
//! ([`cartctl_core::policy`]), trust and queue policies with their conditions against the
//! context the services send (this account, this group's ARN, this rule's ARN); the rules on
//! the bus are matched against a sample reminder locally ([`cartctl_core::matcher`]) and by
//! TestEventPattern, whose answer wins; the queue a matching rule targets is checked too
//! (it exists, its policy lets the rule send, its key is one EventBridge can use). The policy
//! simulator is asked only whether the caller may pass the role to Scheduler; where it is
//! unavailable that check is skipped.

mod api;
mod delivery;
mod functions;
mod ledger;
mod logs;
mod mail;
mod reminders;
mod role;

use serde::Serialize;
use serde_json::Value;

use crate::retry::Retrier;
use crate::sdk::iam::Caller;
use crate::sdk::{Clients, events, iam, scheduler};
use crate::session::Session;
use cartctl_core::Result;
use cartctl_core::arn::parse_arn;

pub use delivery::sample_reminder;

/// How many scheduled reminders are read to check their bus and role.
pub const REMINDERS_CHECKED: usize = 100;

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// All is well.
    Ok,
    /// Works, but not as it should (exit code stays 0).
    Warn,
    /// Broken: reminders will not be delivered.
    Fail,
    /// Not checked (what it needs is missing or cannot be asked).
    Skip,
}

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Its name.
    pub check: &'static str,
    /// How it ended.
    pub status: Status,
    /// What was found.
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    fn ok(check: &'static str, message: impl Into<String>) -> Check {
        Check {
            check,
            status: Status::Ok,
            message: message.into(),
            fix: None,
        }
    }

    fn fail(check: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            check,
            status: Status::Fail,
            message: message.into(),
            fix: Some(fix.into()),
        }
    }

    fn warn(check: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            status: Status::Warn,
            ..Check::fail(check, message, fix)
        }
    }

    fn skip(check: &'static str, message: impl Into<String>) -> Check {
        Check {
            status: Status::Skip,
            ..Check::ok(check, message)
        }
    }
}

/// What to check: the settings reminders are scheduled with.
#[derive(Debug, Clone)]
pub struct DoctorRequest {
    /// The bus name.
    pub bus: String,
    /// The schedule group.
    pub group: String,
    /// The Scheduler role.
    pub role_arn: Option<String>,
    /// The reminders' dead-letter queue.
    pub dlq_arn: Option<String>,
    /// The reminders' source.
    pub source: String,
    /// The reminders' detail-type template.
    pub detail_type: String,
    /// The mailer's sender (`mail_from`), if one is set.
    pub mail_from: Option<cartctl_core::mail::Sender>,
    /// The consumer's queue (`carts_queue`), a name or URL, if one is set.
    pub carts_queue: Option<String>,
    /// The mailer's queue (`email_queue`), a name or URL, if one is set.
    pub email_queue: Option<String>,
    /// The shop's HTTP API's URL (`api_url`, which `setup --api` writes), if one is set.
    pub api_url: Option<String>,
    /// The cart ledger's table (`ledger_table`), if one is set.
    pub ledger_table: Option<String>,
    /// The contact list, topic, consent and configuration set, if setup made them
    /// (`contact_list`, `configuration_set`).
    pub lists: Option<cartctl_core::mail::MailLists>,
}

/// What the checks found that later checks use.
struct Found<'a> {
    caller: Caller,
    /// The caller's partition (`aws`, `aws-cn`, `aws-us-gov`), from its ARN.
    partition: String,
    region: String,
    bus_arn: String,
    role_policies: Option<Vec<Value>>,
    req: &'a DoctorRequest,
}

impl Found<'_> {
    /// An ARN of this account, region and partition.
    fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{}:{}:{resource}",
            self.partition, self.region, self.caller.account
        )
    }

    /// The schedule group's ARN: what Scheduler sends as `aws:SourceArn`.
    fn group_arn(&self) -> String {
        self.arn("scheduler", &format!("schedule-group/{}", self.req.group))
    }
}

/// Runs every check; `each` sees each as it completes.
pub async fn diagnose(
    clients: &Clients,
    req: &DoctorRequest,
    retry: &Retrier,
    mut each: impl FnMut(&Check),
) -> Vec<Check> {
    let mut checks = Vec::new();
    let mut record = |c: Check| {
        each(&c);
        checks.push(c);
    };
    let region = clients
        .config()
        .region()
        .map(|r| r.to_string())
        .unwrap_or_default();
    let caller = match retry.run(|_| iam::caller(&clients.sts)).await {
        Ok(c) => c,
        Err(e) => {
            record(Check::fail(
                "credentials",
                e.one_line(),
                "check the credentials, the profile and the region",
            ));
            return checks;
        }
    };
    record(Check::ok(
        "credentials",
        format!("account {} in {region}, as {}", caller.account, caller.arn),
    ));
    let partition = parse_arn(&caller.arn)
        .map(|a| a.partition.to_owned())
        .unwrap_or_else(|| "aws".to_owned());
    let mut found = Found {
        caller,
        partition,
        region,
        bus_arn: String::new(),
        role_policies: None,
        req,
    };
    found.bus_arn = found.arn("events", &format!("event-bus/{}", req.bus));
    let bus_ok = check_bus(clients, &mut found).await;
    record(bus_ok.clone());
    record(check_group(clients, req).await);
    for c in role::check_role(clients, &mut found).await {
        record(c);
    }
    for c in delivery::check_dlq(clients, &found).await {
        record(c);
    }
    if bus_ok.status == Status::Ok {
        record(delivery::check_carts_rule(clients, &found).await);
        record(delivery::check_rules(clients, &found).await);
    } else {
        record(Check::skip("consumer-rule", "the bus does not exist"));
        record(Check::skip("mailer-rule", "the bus does not exist"));
    }
    record(reminders::check_reminders(clients, &found, retry).await);
    record(ledger::check_ledger(clients, &found).await);
    for c in api::check_api(clients, &found).await {
        record(c);
    }
    for c in functions::check_functions(clients, &found).await {
        record(c);
    }
    record(mail::check_identity(clients, req.mail_from.as_ref()).await);
    if req.mail_from.is_some() {
        record(mail::check_sandbox(clients).await);
        record(mail::check_dkim(clients, req.mail_from.as_ref()).await);
        record(mail::check_reputation(clients).await);
        for c in mail::check_lists(clients, &found).await {
            record(c);
        }
    }
    checks
}

fn error_check(check: &'static str, e: crate::Error) -> Check {
    Check::fail(
        check,
        e.one_line(),
        "see the error; doctor needs read access to check this",
    )
}

async fn check_bus(clients: &Clients, found: &mut Found<'_>) -> Check {
    match events::bus_exists(&clients.events, &found.req.bus).await {
        Ok(Some(arn)) => {
            found.bus_arn = arn;
            Check::ok("bus", format!("event bus {} exists", found.bus_arn))
        }
        Ok(None) => Check::fail(
            "bus",
            format!("event bus `{}` does not exist", found.req.bus),
            format!(
                "run `cartctl setup --bus {}`, or pass the right --bus",
                found.req.bus
            ),
        ),
        Err(e) => error_check("bus", e),
    }
}

async fn check_group(clients: &Clients, req: &DoctorRequest) -> Check {
    if req.group == scheduler::DEFAULT_GROUP {
        return Check::ok("group", "schedule group default (every account has it)");
    }
    let missing = |what: &str| {
        Check::fail(
            "group",
            format!("schedule group `{}` {what}", req.group),
            format!(
                "run `cartctl setup --group {}`, or pass the right --group",
                req.group
            ),
        )
    };
    match scheduler::group(&clients.scheduler, &req.group).await {
        Ok(Some(g)) if g.deleting => missing("is being deleted"),
        Ok(Some(g)) => Check::ok("group", format!("schedule group {} exists", g.arn)),
        Ok(None) => missing("does not exist"),
        Err(e) => error_check("group", e),
    }
}

impl Session {
    /// Runs `doctor`'s checks; `each` sees each as it completes.
    pub async fn doctor(
        &self,
        req: &DoctorRequest,
        each: impl FnMut(&Check),
    ) -> Result<Vec<Check>> {
        let clients = self.clients().await?;
        Ok(diagnose(clients, req, self.retrier(), each).await)
    }
}
