//! `cartctl put-event`: one add-to-cart event from flags, or one a line with `--file`.

use cartctl_aws::bulk;
use cartctl_aws::{Error, Result};
use cartctl_core::event::{CartEvent, CartEventKind, EventSettings};
use cartctl_core::limits;
use cartctl_core::lines::LineDefaults;
use cartctl_core::reminder::parse_detail_object;
use cartctl_core::shapes::PutEventsRequest;

use super::{Context, open_input};
use crate::cli::PutEventArgs;
use crate::render::progress::{Reporter, RequestPrinter};

pub async fn run(args: PutEventArgs, ctx: &Context) -> Result<()> {
    let (source, detail_type) = ctx.shape(&args.shape);
    let settings = EventSettings::parse(&ctx.bus(&args.bus), &source, &detail_type)?
        .with_detail_types(ctx.detail_types(&args.shape, &args.kinds)?);
    let extra = args
        .detail
        .as_deref()
        .map(|d| parse_detail_object("--detail", d))
        .transpose()?;
    if args.bulk.file.is_some() {
        return run_file(args, settings, extra, ctx).await;
    }
    let kind = CartEventKind::from(args.kind);
    if kind.has_product() && args.product.is_none() {
        return Err(Error::invalid(
            "--product",
            format!("is required for --kind {}", kind.as_str()),
            "give the product added or removed (only a checkout has none)",
        ));
    }
    let event = CartEvent::of_kind(
        kind,
        args.user.as_deref().unwrap_or_default(),
        args.product.as_deref(),
        extra.as_ref(),
        &settings,
        ("--user", "--product", "--detail"),
    )?;
    if args.dry_run {
        return ctx.printer.request(&PutEventsRequest {
            entries: vec![event.entry],
        });
    }
    let outcome = ctx.session.put_event(&event).await?;
    ctx.printer.report(&outcome)
}

async fn run_file(
    args: PutEventArgs,
    settings: EventSettings,
    detail: Option<serde_json::Map<String, serde_json::Value>>,
    ctx: &Context,
) -> Result<()> {
    limits::check_optional_ids(args.user.as_deref(), args.product.as_deref())?;
    let defaults = LineDefaults {
        user: args.user.clone(),
        product: args.product.clone(),
        detail,
        kind: args.kind.into(),
        ..LineDefaults::default()
    };
    let (input, concurrency) = open_input(&args.bulk, bulk::DEFAULT_EVENT_CONCURRENCY, ctx)?;
    if args.dry_run {
        let printer = std::cell::RefCell::new(RequestPrinter::new(&ctx.printer));
        bulk::plan_put_event_lines(
            input.lines,
            &defaults,
            &settings,
            |req| {
                let mut p = printer.borrow_mut();
                for _ in &req.entries {
                    p.count_line();
                }
                p.request(&req);
            },
            |invalid| {
                let mut p = printer.borrow_mut();
                p.count_line();
                p.invalid(&invalid);
            },
        )
        .await;
        return printer.into_inner().finish();
    }
    ctx.session.connect().await?;
    let mut reporter = Reporter::new(&ctx.printer, &input.progress);
    let sent = ctx.session.put_event_lines(
        input.lines,
        &defaults,
        &settings,
        concurrency,
        |o, maybe_duplicated| {
            if maybe_duplicated {
                reporter.maybe_duplicated();
            }
            reporter.line(&o, "sent");
        },
    );
    sent.await?;
    reporter.finish()
}
