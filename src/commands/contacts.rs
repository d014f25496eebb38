//! `cartctl contacts get|subscribe|unsubscribe --user U | --email E`: a customer's
//! subscription to the cart reminders, for support staff and scripts.

use cartctl_aws::Result;
use cartctl_aws::contacts::contact_lists;
use cartctl_aws::ledger::Ledger;
use cartctl_core::mail::Address;
use cartctl_core::mail::consent::Subscription;
use cartctl_core::setting;

use super::Context;
use crate::cli::ContactsArgs;

pub async fn run(args: ContactsArgs, ctx: &Context) -> Result<()> {
    let lists = contact_lists(
        ctx.value(&setting::CONTACT_LIST, args.contact_list.as_deref()),
        ctx.value(&setting::MAIL_TOPIC, args.topic.as_deref())
            .unwrap_or_default(),
        &ctx.value(&setting::CONSENT, args.consent.as_deref())
            .unwrap_or_default(),
    )?;
    let address = match (&args.email, &args.user) {
        (Some(e), _) => Address::parse("--email", e)?,
        (None, Some(user)) => {
            cartctl_core::limits::check_id("--user", user)?;
            let table = cartctl_core::consumer::ledger_table(
                ctx.value(&setting::LEDGER_TABLE, args.ledger_table.as_deref()),
            )?;
            let ledger = Ledger::new(table, std::time::Duration::ZERO);
            let field = ctx
                .value(&setting::RECIPIENT_FIELD, None)
                .unwrap_or_default();
            ctx.session.address_of(&ledger, user, &field).await?
        }
        (None, None) => unreachable!("clap requires --user or --email"),
    };
    let report = match args.action.as_str() {
        "subscribe" => {
            ctx.session
                .set_contact(&lists, &address, Subscription::OptIn)
                .await?
        }
        "unsubscribe" => {
            ctx.session
                .set_contact(&lists, &address, Subscription::OptOut)
                .await?
        }
        _ => ctx.session.contact_report(&lists, &address).await?,
    };
    ctx.printer.report(&report)
}
