//! `cartctl put-event`: one add-to-cart event from flags.

use cartctl::Result;
use cartctl::event::{CartEvent, EventSettings};
use cartctl::output::{OutputFormat, Style, paint};
use cartctl::publish::send_event;
use cartctl::reminder::{Cart, parse_detail_object};
use cartctl::shapes::PutEventsRequest;

use super::Context;
use crate::cli::PutEventArgs;

pub async fn run(args: PutEventArgs, ctx: &Context) -> Result<()> {
    let settings =
        EventSettings::parse(&args.bus.bus, &args.shape.source, &args.shape.detail_type)?;
    let cart = Cart::new(&args.user, &args.product, ("--user", "--product"))?;
    let extra = args
        .detail
        .as_deref()
        .map(|d| parse_detail_object("--detail", d))
        .transpose()?;
    let event = CartEvent::new(cart, extra.as_ref(), &settings, "--detail")?;
    if args.dry_run {
        return ctx.printer.request(&PutEventsRequest {
            entries: vec![event.entry],
        });
    }
    let clients = ctx.clients().await?;
    let outcome = send_event(&clients.events, &event).await?;
    match ctx.printer.format {
        OutputFormat::Text => ctx.printer.line(&format!(
            "{} event {} on bus {}: {} / {}",
            paint("sent", Style::Green, ctx.printer.color),
            outcome.event_id,
            outcome.bus,
            outcome.source,
            outcome.detail_type
        )),
        OutputFormat::Json | OutputFormat::Ndjson => ctx.printer.json(&outcome),
    }
}
