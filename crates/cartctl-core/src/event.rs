//! The "item added to cart" event: from cart parameters to a checked PutEvents entry.
//!
//! Pure: no I/O. The detail is built with serde_json, so any id round-trips exactly.

use serde_json::{Map, Value};

use crate::bus::BusRef;
use crate::error::{Error, Result};
use crate::limits;
use crate::reminder::{Cart, DetailTypeTemplate};
use crate::setting;
use crate::shapes::PutEventsEntry;

/// Settings shared by every event of a run, already checked.
#[derive(Debug, Clone)]
pub struct EventSettings {
    /// The bus, by name or ARN (PutEvents takes either).
    pub bus: BusRef,
    /// The event Source.
    pub source: String,
    /// The DetailType template.
    pub detail_type: DetailTypeTemplate,
}

impl EventSettings {
    /// Checks the bus, the source and the detail-type template.
    pub fn parse(bus: &str, source: &str, detail_type: &str) -> Result<EventSettings> {
        let bus = BusRef::parse_target(setting::EVENT_BUS.key, bus)?;
        limits::check_source(setting::SOURCE.key, source)?;
        if detail_type.is_empty() {
            limits::check_detail_type(setting::DETAIL_TYPE.key, detail_type)?;
        }
        Ok(EventSettings {
            bus,
            source: source.to_owned(),
            detail_type: DetailTypeTemplate::new(detail_type),
        })
    }
}

/// One add-to-cart event, checked and ready to send.
#[derive(Debug, Clone)]
pub struct CartEvent {
    /// Who added what.
    pub cart: Cart,
    /// The exact PutEvents entry.
    pub entry: PutEventsEntry,
}

impl CartEvent {
    /// Builds the event for `cart`, with `extra` detail keys after `user` and `product`.
    ///
    /// `detail_field` names the detail flag or column for errors.
    pub fn new(
        cart: Cart,
        extra: Option<&Map<String, Value>>,
        settings: &EventSettings,
        detail_field: &str,
    ) -> Result<CartEvent> {
        let detail = cart.event_detail(extra, detail_field)?;
        let entry = PutEventsEntry {
            source: settings.source.clone(),
            detail_type: settings
                .detail_type
                .render(&cart, setting::DETAIL_TYPE.key)?,
            detail,
            event_bus_name: settings.bus.as_str().to_owned(),
            resources: Vec::new(),
        };
        let size = entry.size();
        if size >= limits::PUT_EVENTS_MAX_BYTES {
            return Err(Error::invalid(
                detail_field,
                format!(
                    "the event would be {size} bytes; EventBridge takes less than {} bytes",
                    limits::PUT_EVENTS_MAX_BYTES
                ),
                "send a smaller detail",
            ));
        }
        Ok(CartEvent { cart, entry })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reminder::{DEFAULT_DETAIL_TYPE, DEFAULT_SOURCE, parse_detail_object};

    fn settings() -> EventSettings {
        EventSettings::parse("shop", DEFAULT_SOURCE, DEFAULT_DETAIL_TYPE).unwrap()
    }

    #[test]
    fn entry_has_source_detail_type_and_detail() {
        let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
        let ev = CartEvent::new(cart, None, &settings(), "--detail").unwrap();
        assert_eq!(ev.entry.source, "putToCartService");
        assert_eq!(ev.entry.detail_type, "item sku-1 added to Cart");
        assert_eq!(ev.entry.detail, r#"{"user":"alice","product":"sku-1"}"#);
        assert_eq!(ev.entry.event_bus_name, "shop");
    }

    #[test]
    fn entry_size_limit_is_enforced_before_sending() {
        let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
        let overhead = CartEvent::new(cart.clone(), None, &settings(), "--detail")
            .unwrap()
            .entry
            .size()
            + r#","pad":"""#.len();
        let fits = 256 * 1024 - 1 - overhead;
        let pad = |n: usize| {
            parse_detail_object("--detail", &format!(r#"{{"pad":"{}"}}"#, "x".repeat(n))).unwrap()
        };
        let ev = CartEvent::new(cart.clone(), Some(&pad(fits)), &settings(), "--detail").unwrap();
        assert_eq!(ev.entry.size(), 256 * 1024 - 1);
        let e = CartEvent::new(cart, Some(&pad(fits + 1)), &settings(), "--detail").unwrap_err();
        assert!(e.to_string().starts_with("invalid --detail"), "{e}");
    }

    #[test]
    fn settings_are_checked() {
        assert!(EventSettings::parse("bad bus", "s", "d").is_err());
        assert!(EventSettings::parse("b", "aws.cart", "d").is_err());
        assert!(EventSettings::parse("b", "s", "").is_err());
    }
}
