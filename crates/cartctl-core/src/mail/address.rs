//! E-mail addresses, checked the way SES reads them: `local@domain`, ASCII, no spaces or
//! control characters, the domain of dot-separated labels; a sender may carry a display name.

use crate::error::{Error, Result};

/// A bare address (`alice@example.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address(String);

impl Address {
    /// Checks `value`; the error names `field`.
    pub fn parse(field: &str, value: &str) -> Result<Address> {
        let bad = |why: String| {
            Error::invalid(
                field,
                format!("`{value}` is not an e-mail address: {why}"),
                "give one address, such as shop@example.com",
            )
        };
        let v = value.trim();
        if v.len() > 254 {
            return Err(bad("it is longer than 254 characters".into()));
        }
        if let Some((local, domain)) = v.rsplit_once('@')
            && local.is_ascii()
            && !domain.is_ascii()
            && !domain.is_empty()
        {
            let ascii = domain
                .split('.')
                .map(punycode_label)
                .collect::<Vec<_>>()
                .join(".");
            return Err(Error::invalid(
                field,
                format!(
                    "`{value}` has an internationalised domain, which SES takes only in punycode"
                ),
                format!("give it as {local}@{ascii}"),
            ));
        }
        if let Some(c) = v.chars().find(|c| {
            c.is_whitespace() || c.is_control() || !c.is_ascii() || "<>,;:\"()[]\\".contains(*c)
        }) {
            return Err(bad(format!("it contains {c:?}")));
        }
        let Some((local, domain)) = v.rsplit_once('@') else {
            return Err(bad("it has no @".into()));
        };
        if local.is_empty() || local.len() > 64 || local.contains('@') {
            return Err(bad(
                "the part before the @ must be 1 to 64 characters, without @".into(),
            ));
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(bad("the part before the @ has a misplaced dot".into()));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if labels.len() < 2 || !labels.iter().all(label_ok) {
            return Err(bad(format!(
                "`{domain}` is not a domain such as example.com"
            )));
        }
        Ok(Address(v.to_owned()))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its domain.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

/// The sender: an address, or `Name <address>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    /// The display name, if one was given.
    pub name: Option<String>,
    /// The address (the SES identity is this address or its domain).
    pub address: Address,
}

impl Sender {
    /// Checks `value`; the error names `field`.
    pub fn parse(field: &str, value: &str) -> Result<Sender> {
        let v = value.trim();
        let Some(open) = v.rfind('<') else {
            return Ok(Sender {
                name: None,
                address: Address::parse(field, v)?,
            });
        };
        let (name, rest) = v.split_at(open);
        let Some(inner) = rest.strip_prefix('<').and_then(|r| r.strip_suffix('>')) else {
            return Err(Error::invalid(
                field,
                format!("`{value}` has a < without its closing >"),
                "give `Name <shop@example.com>` or only the address",
            ));
        };
        let name = name.trim().trim_matches('"').trim();
        if name.chars().any(|c| c.is_control() || c == '"') {
            return Err(Error::invalid(
                field,
                format!("the name in `{value}` has a quote or a control character"),
                "give a plain name, such as The Shop <shop@example.com>",
            ));
        }
        Ok(Sender {
            name: (!name.is_empty()).then(|| name.to_owned()),
            address: Address::parse(field, inner)?,
        })
    }

    /// The sender as people write it: `"Name" <address>` or the address (the config file,
    /// the functions' environment, what cartctl shows).
    pub fn header(&self) -> String {
        match &self.name {
            Some(n) => format!("\"{n}\" <{}>", self.address.as_str()),
            None => self.address.as_str().to_owned(),
        }
    }

    /// The From header as SES takes it: a name outside ASCII as RFC 2047 encoded-words
    /// (`=?UTF-8?B?…?=`, each at most 75 characters), which SES requires; an ASCII name
    /// quoted; the address as it is.
    pub fn wire_header(&self) -> String {
        match &self.name {
            Some(n) if !n.is_ascii() => {
                format!("{} <{}>", encoded_words(n), self.address.as_str())
            }
            _ => self.header(),
        }
    }
}

/// UTF-8 bytes of one encoded-word at most: 45 bytes are 60 base64 characters, and with
/// `=?UTF-8?B?` and `?=` the word is 72 characters, under RFC 2047's 75.
const WORD_BYTES: usize = 45;

/// `text` as RFC 2047 "B" encoded-words, split between characters, joined by spaces.
fn encoded_words(text: &str) -> String {
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > WORD_BYTES {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(chunk);
    }
    words
        .iter()
        .map(|w| format!("=?UTF-8?B?{}?=", base64(w.as_bytes())))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Standard base64 with padding (RFC 4648).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= group.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A domain label in punycode (RFC 3492), `xn--` and the encoding; an ASCII label as it is.
fn punycode_label(label: &str) -> String {
    if label.is_ascii() {
        return label.to_owned();
    }
    const BASE: u32 = 36;
    let digit = |d: u32| -> char {
        let d = d as u8;
        (if d < 26 { b'a' + d } else { b'0' + d - 26 }) as char
    };
    let adapt = |mut delta: u32, points: u32, first: bool| -> u32 {
        delta /= if first { 700 } else { 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - 1) * 26) / 2 {
            delta /= BASE - 1;
            k += BASE;
        }
        k + (BASE * delta) / (delta + 38)
    };
    let chars: Vec<u32> = label.to_lowercase().chars().map(u32::from).collect();
    let mut out: String = chars
        .iter()
        .filter(|c| **c < 0x80)
        .map(|c| char::from_u32(*c).unwrap_or('?'))
        .collect();
    let basic = out.len() as u32;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (0x80u32, 0u32, 72u32, basic);
    while (handled as usize) < chars.len() {
        let m = chars.iter().copied().filter(|c| *c >= n).min().unwrap_or(n);
        delta += (m - n) * (handled + 1);
        n = m;
        for &c in &chars {
            if c < n {
                delta += 1;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        1
                    } else if k >= bias + 26 {
                        26
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    format!("xn--{out}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_punycode_match_their_rfcs() {
        // RFC 4648's test vectors.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
        // As Python's `idna` codec spells them.
        assert_eq!(punycode_label("bücher"), "xn--bcher-kva");
        assert_eq!(punycode_label("münchen"), "xn--mnchen-3ya");
        assert_eq!(punycode_label("élodie"), "xn--lodie-9ra");
        assert_eq!(punycode_label("例え"), "xn--r8jz45g");
        assert_eq!(punycode_label("example"), "example");
    }

    #[test]
    fn a_name_outside_ascii_is_sent_as_encoded_words_and_an_idn_is_refused() {
        let s = Sender::parse("mail_from", "\"Boutique Élodie\" <shop@example.com>").unwrap();
        assert_eq!(s.header(), "\"Boutique Élodie\" <shop@example.com>");
        assert_eq!(
            s.wire_header(),
            "=?UTF-8?B?Qm91dGlxdWUgw4lsb2RpZQ==?= <shop@example.com>"
        );
        let plain = Sender::parse("mail_from", "The Shop <shop@example.com>").unwrap();
        assert_eq!(plain.wire_header(), "\"The Shop\" <shop@example.com>");
        // A long name becomes several words, none over 75 characters, split between characters.
        let long = Sender::parse("f", &format!("{} <a@example.com>", "é".repeat(60))).unwrap();
        let header = long.wire_header();
        let words: Vec<&str> = header.split(' ').filter(|w| w.starts_with("=?")).collect();
        assert!(words.len() > 1, "{header}");
        assert!(words.iter().all(|w| w.len() <= 75), "{header}");
        let e = Sender::parse("mail_from", "shop@bücher.example").unwrap_err();
        assert!(e.is_invalid());
        assert!(
            e.to_string().contains("shop@xn--bcher-kva.example")
                && e.to_string().contains("punycode"),
            "{e}"
        );
    }
}
