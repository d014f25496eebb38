//! The shop's cart events (an item added, an item removed, a cart checked out): from cart
//! parameters to a checked PutEvents entry.
//!
//! Pure: no I/O. The detail is built with serde_json, so any id round-trips exactly.

use serde_json::{Map, Value};

use crate::bus::BusRef;
use crate::error::{Error, Result};
use crate::limits;
use crate::reminder::{Cart, DetailTypeTemplate};
use crate::setting;
use crate::shapes::PutEventsEntry;

/// The default detail-type of a checked-out cart.
pub use crate::setting::DEFAULT_CHECKOUT_DETAIL_TYPE;
/// The default detail-type template of an item removed from a cart.
pub use crate::setting::DEFAULT_REMOVED_DETAIL_TYPE;

/// The kind of a cart event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CartEventKind {
    /// An item added to the cart: its reminder is scheduled.
    #[default]
    Add,
    /// An item removed from the cart: its reminders are deleted.
    Remove,
    /// The cart checked out: every reminder of the user is deleted.
    Checkout,
}

impl CartEventKind {
    /// Every kind.
    pub const ALL: [CartEventKind; 3] = [
        CartEventKind::Add,
        CartEventKind::Remove,
        CartEventKind::Checkout,
    ];

    /// Its name: `add`, `remove` or `checkout`.
    pub fn as_str(self) -> &'static str {
        match self {
            CartEventKind::Add => "add",
            CartEventKind::Remove => "remove",
            CartEventKind::Checkout => "checkout",
        }
    }

    /// Parses a name, naming `field` on error.
    pub fn parse(field: &str, text: &str) -> Result<CartEventKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == text.trim())
            .ok_or_else(|| {
                Error::invalid(
                    field,
                    format!("`{text}` is not a kind of cart event"),
                    "write add, remove or checkout",
                )
            })
    }

    /// Whether its events name a product (a checkout is of the whole cart).
    pub fn has_product(self) -> bool {
        self != CartEventKind::Checkout
    }
}

/// The detail-type templates of the three kinds of cart event, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailTypes {
    /// An item added (also the reminders' detail-type).
    pub add: DetailTypeTemplate,
    /// An item removed.
    pub removed: DetailTypeTemplate,
    /// A checkout: no `{product}` (its detail has only the user).
    pub checkout: DetailTypeTemplate,
}

impl Default for DetailTypes {
    fn default() -> Self {
        DetailTypes {
            add: DetailTypeTemplate::new(crate::reminder::DEFAULT_DETAIL_TYPE),
            removed: DetailTypeTemplate::new(DEFAULT_REMOVED_DETAIL_TYPE),
            checkout: DetailTypeTemplate::new(DEFAULT_CHECKOUT_DETAIL_TYPE),
        }
    }
}

impl DetailTypes {
    /// Checks the three templates; errors name their keys.
    pub fn parse(add: &str, removed: &str, checkout: &str) -> Result<DetailTypes> {
        for (key, t) in [
            (setting::DETAIL_TYPE.key, add),
            (setting::REMOVED_DETAIL_TYPE.key, removed),
            (setting::CHECKOUT_DETAIL_TYPE.key, checkout),
        ] {
            if t.is_empty() {
                limits::check_detail_type(key, t)?;
            }
        }
        if checkout.contains("{product}") {
            return Err(Error::invalid(
                setting::CHECKOUT_DETAIL_TYPE.key,
                format!("`{checkout}` has `{{product}}`, but a checkout names no product"),
                "use {user} or no placeholder, such as `cart checked out`",
            ));
        }
        let distinct = add != removed && add != checkout && removed != checkout;
        if !distinct {
            return Err(Error::invalid(
                setting::REMOVED_DETAIL_TYPE.key,
                "an add, a removal and a checkout share a detail-type template, so a consumer could not tell them apart",
                "give each kind its own detail-type",
            ));
        }
        Ok(DetailTypes {
            add: DetailTypeTemplate::new(add),
            removed: DetailTypeTemplate::new(removed),
            checkout: DetailTypeTemplate::new(checkout),
        })
    }

    /// Checks that the fixed forms ([`DetailTypeTemplate::fixed`]), which the shop's API
    /// puts, are distinct and not empty, so the consumer can tell its events apart (`setup --api`).
    pub fn check_fixed(&self) -> Result<()> {
        let fixed = [&self.add, &self.removed, &self.checkout].map(|t| t.fixed());
        let distinct = fixed[0] != fixed[1] && fixed[0] != fixed[2] && fixed[1] != fixed[2];
        if fixed.iter().any(String::is_empty) || !distinct {
            return Err(Error::invalid(
                setting::REMOVED_DETAIL_TYPE.key,
                format!(
                    "without their placeholders the detail-types read `{}`, `{}` and `{}`, which the shop's API puts and which must be distinct and not empty",
                    fixed[0], fixed[1], fixed[2]
                ),
                "give each kind its own words beside {user} and {product}",
            ));
        }
        Ok(())
    }

    /// The template of `kind`, with the key of its setting.
    pub fn of(&self, kind: CartEventKind) -> (&DetailTypeTemplate, &'static str) {
        match kind {
            CartEventKind::Add => (&self.add, setting::DETAIL_TYPE.key),
            CartEventKind::Remove => (&self.removed, setting::REMOVED_DETAIL_TYPE.key),
            CartEventKind::Checkout => (&self.checkout, setting::CHECKOUT_DETAIL_TYPE.key),
        }
    }

    /// The kind whose template renders as `detail_type` for this user and product, or whose
    /// fixed form ([`DetailTypeTemplate::fixed`], what the shop's API puts) it is; if any.
    pub fn kind_of(
        &self,
        detail_type: &str,
        user: &str,
        product: Option<&str>,
    ) -> Option<CartEventKind> {
        CartEventKind::ALL.into_iter().find(|&k| {
            let (template, _) = self.of(k);
            (k.has_product() == product.is_some())
                && (template.render_ids(user, product) == detail_type
                    || (!detail_type.is_empty() && template.fixed() == detail_type))
        })
    }
}

/// Settings shared by every event of a run, already checked.
#[derive(Debug, Clone)]
pub struct EventSettings {
    /// The bus, by name or ARN (PutEvents takes either).
    pub bus: BusRef,
    /// The event Source.
    pub source: String,
    /// The DetailType templates of the three kinds.
    pub detail_types: DetailTypes,
}

impl EventSettings {
    /// Checks the bus, the source and the add-to-cart detail-type template; the other kinds
    /// get their default templates (see [`EventSettings::with_detail_types`]).
    pub fn parse(bus: &str, source: &str, detail_type: &str) -> Result<EventSettings> {
        let bus = BusRef::parse_target(setting::EVENT_BUS.key, bus)?;
        limits::check_source(setting::SOURCE.key, source)?;
        if detail_type.is_empty() {
            limits::check_detail_type(setting::DETAIL_TYPE.key, detail_type)?;
        }
        Ok(EventSettings {
            bus,
            source: source.to_owned(),
            detail_types: DetailTypes {
                add: DetailTypeTemplate::new(detail_type),
                ..DetailTypes::default()
            },
        })
    }

    /// The same settings with the three kinds' templates.
    pub fn with_detail_types(self, detail_types: DetailTypes) -> EventSettings {
        EventSettings {
            detail_types,
            ..self
        }
    }
}

/// One cart event, checked and ready to send.
#[derive(Debug, Clone)]
pub struct CartEvent {
    /// Its kind.
    pub kind: CartEventKind,
    /// The user.
    pub user: String,
    /// The product (none for a checkout).
    pub product: Option<String>,
    /// The exact PutEvents entry.
    pub entry: PutEventsEntry,
}

impl CartEvent {
    /// Builds the add-to-cart event for `cart`, with `extra` detail keys after `user` and
    /// `product`. `detail_field` names the detail flag or column for errors.
    pub fn new(
        cart: Cart,
        extra: Option<&Map<String, Value>>,
        settings: &EventSettings,
        detail_field: &str,
    ) -> Result<CartEvent> {
        let detail = cart.event_detail(extra, detail_field)?;
        Self::build(
            CartEventKind::Add,
            cart.user,
            Some(cart.product),
            detail,
            settings,
            detail_field,
        )
    }

    /// Builds an event of `kind`: a checkout's detail is `{"user"}` and its extra keys, the
    /// others' `{"user","product"}` and theirs. `fields` name the user, product and detail
    /// flags (or columns) for errors.
    pub fn of_kind(
        kind: CartEventKind,
        user: &str,
        product: Option<&str>,
        extra: Option<&Map<String, Value>>,
        settings: &EventSettings,
        fields: (&str, &str, &str),
    ) -> Result<CartEvent> {
        let (user_field, product_field, detail_field) = fields;
        if !kind.has_product() {
            limits::check_id(user_field, user)?;
            if product.is_some() {
                return Err(Error::invalid(
                    product_field,
                    "is given, but a checkout is of the whole cart",
                    "leave out the product of a checkout",
                ));
            }
            let mut m = Map::new();
            m.insert("user".into(), Value::String(user.to_owned()));
            for (k, v) in extra.into_iter().flatten() {
                if k == "user" && v != &Value::String(user.to_owned()) {
                    return Err(Error::invalid(
                        detail_field,
                        format!("sets `user` to {v}, which contradicts the given user"),
                        "remove `user` from the detail (the user is given on its own)",
                    ));
                }
                m.entry(k.clone()).or_insert_with(|| v.clone());
            }
            let detail = Value::Object(m).to_string();
            return Self::build(kind, user.to_owned(), None, detail, settings, detail_field);
        }
        let cart = Cart::new(
            user,
            product.unwrap_or_default(),
            (user_field, product_field),
        )?;
        let detail = cart.event_detail(extra, detail_field)?;
        Self::build(
            kind,
            cart.user,
            Some(cart.product),
            detail,
            settings,
            detail_field,
        )
    }

    fn build(
        kind: CartEventKind,
        user: String,
        product: Option<String>,
        detail: String,
        settings: &EventSettings,
        detail_field: &str,
    ) -> Result<CartEvent> {
        let (template, key) = settings.detail_types.of(kind);
        let entry = PutEventsEntry {
            source: settings.source.clone(),
            detail_type: template.render_ids_checked(&user, product.as_deref(), key)?,
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
        Ok(CartEvent {
            kind,
            user,
            product,
            entry,
        })
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

    #[test]
    fn each_kind_has_its_detail_type_and_detail() {
        let s = settings();
        let f = ("--user", "--product", "--detail");
        let rm =
            CartEvent::of_kind(CartEventKind::Remove, "alice", Some("sku-1"), None, &s, f).unwrap();
        assert_eq!(rm.entry.detail_type, "item sku-1 removed from Cart");
        assert_eq!(rm.entry.detail, r#"{"user":"alice","product":"sku-1"}"#);
        let extra = parse_detail_object("--detail", r#"{"order":"o-1"}"#).unwrap();
        let out = CartEvent::of_kind(CartEventKind::Checkout, "alice", None, Some(&extra), &s, f)
            .unwrap();
        assert_eq!(out.entry.detail_type, "cart checked out");
        assert_eq!(out.entry.detail, r#"{"user":"alice","order":"o-1"}"#);
        assert_eq!(out.product, None);
        let e = CartEvent::of_kind(CartEventKind::Checkout, "alice", Some("p"), None, &s, f)
            .unwrap_err();
        assert!(e.to_string().starts_with("invalid --product:"), "{e}");
        let e = CartEvent::of_kind(CartEventKind::Remove, "alice", None, None, &s, f).unwrap_err();
        assert!(e.to_string().starts_with("invalid --product:"), "{e}");
    }

    #[test]
    fn kinds_are_told_apart_by_their_rendered_detail_type() {
        let d = DetailTypes::default();
        assert_eq!(
            d.kind_of("item sku-1 added to Cart", "u", Some("sku-1")),
            Some(CartEventKind::Add)
        );
        assert_eq!(
            d.kind_of("item sku-1 removed from Cart", "u", Some("sku-1")),
            Some(CartEventKind::Remove)
        );
        assert_eq!(
            d.kind_of("cart checked out", "u", None),
            Some(CartEventKind::Checkout)
        );
        // The product in the detail-type must be the detail's.
        assert_eq!(
            d.kind_of("item sku-2 added to Cart", "u", Some("sku-1")),
            None
        );
        assert_eq!(d.kind_of("cart checked out", "u", Some("p")), None);
        assert_eq!(
            CartEventKind::parse("--kind", "remove").unwrap(),
            CartEventKind::Remove
        );
        let e = CartEventKind::parse("--kind", "buy").unwrap_err();
        assert!(e.to_string().contains("add, remove or checkout"), "{e}");
    }

    #[test]
    fn the_apis_fixed_detail_types_are_kinds_too() {
        let d = DetailTypes::default();
        assert_eq!(d.add.fixed(), "item added to Cart");
        assert_eq!(
            d.kind_of("item added to Cart", "u", Some("sku-1")),
            Some(CartEventKind::Add)
        );
        assert_eq!(
            d.kind_of("item removed from Cart", "u", Some("sku-1")),
            Some(CartEventKind::Remove)
        );
        // Still the detail must fit the kind: an add names its product.
        assert_eq!(d.kind_of("item added to Cart", "u", None), None);
        assert_eq!(
            DetailTypeTemplate::new("{user}: {product}  added").fixed(),
            ": added"
        );
        // Templates whose fixed forms collide are refused: the API's events could not be told apart.
        let collide = DetailTypes::parse("{product} added", "{user} added", "c").unwrap();
        let e = collide.check_fixed().unwrap_err();
        assert!(e.to_string().contains("must be distinct"), "{e}");
        let bare = DetailTypes::parse("{product}", "r {product}", "c").unwrap();
        assert!(bare.check_fixed().is_err());
        assert!(DetailTypes::default().check_fixed().is_ok());
    }

    #[test]
    fn detail_types_are_checked_and_must_differ() {
        assert!(DetailTypes::parse("a {product}", "r {product}", "c").is_ok());
        let e = DetailTypes::parse("a", "r", "c {product}").unwrap_err();
        assert!(
            e.to_string().starts_with("invalid checkout_detail_type:"),
            "{e}"
        );
        let e = DetailTypes::parse("same", "same", "c").unwrap_err();
        assert!(e.to_string().contains("tell them apart"), "{e}");
        let e = DetailTypes::parse("a", "", "c").unwrap_err();
        assert!(
            e.to_string().starts_with("invalid removed_detail_type:"),
            "{e}"
        );
    }
}
