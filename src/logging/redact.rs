//! Keeps secrets out of diagnostics: `-v` output passes through a [`Redactor`] that masks the
//! secret access key and session token, both by value (when known) and wherever a header or
//! field that carries them appears (`x-amz-security-token: …` in a canonical request).

use std::borrow::Cow;
use std::sync::{Arc, RwLock};

const MASK: &str = "** redacted **";

/// Names after which a secret value follows.
const SECRET_KEYS: [&str; 8] = [
    "x-amz-security-token",
    "aws_session_token",
    "aws_secret_access_key",
    "aws_security_token",
    "secret_access_key",
    "session_token",
    "secretaccesskey",
    "sessiontoken",
];

/// Masks known secret values and the values of secret-carrying fields.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    literals: Arc<RwLock<Vec<String>>>,
}

impl Redactor {
    /// A redactor that knows the secrets set in the environment.
    pub fn from_env() -> Redactor {
        let r = Redactor::default();
        for var in [
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_SECURITY_TOKEN",
        ] {
            if let Ok(v) = std::env::var(var) {
                r.add_secret(&v);
            }
        }
        r
    }

    /// Adds a secret value to mask wherever it appears.
    pub fn add_secret(&self, value: &str) {
        if value.len() < 4 {
            return;
        }
        let mut l = self.literals.write().unwrap_or_else(|e| e.into_inner());
        if !l.iter().any(|s| s == value) {
            l.push(value.to_owned());
            // Longest first, so a secret that contains another is masked whole.
            l.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// Returns `text` with every secret masked.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for secret in self
            .literals
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            if out.contains(secret.as_str()) {
                out = Cow::Owned(out.replace(secret.as_str(), MASK));
            }
        }
        let lower = out.to_ascii_lowercase();
        if !SECRET_KEYS.iter().any(|k| lower.contains(k)) {
            return out;
        }
        Cow::Owned(mask_after_keys(&out))
    }
}

/// Characters a secret value is made of (base64, hex, URL-encoded).
fn secret_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'%' | b'-' | b'.')
}

/// Shortest run taken for a secret value (shorter words are wrappers: `HeaderValue`, `H0`).
const MIN_SECRET_LEN: usize = 12;
/// How far after a key its value is looked for.
const LOOKAHEAD: usize = 100;

/// Masks the value that follows each secret-carrying key: the first run of at least 12 secret
/// characters within 100 bytes after the key, when the key is followed by `:`, `=`, a quote or a
/// space (a list of header names, `x-amz-security-token;host`, has no value).
fn mask_after_keys(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let hit = SECRET_KEYS
            .iter()
            .find(|k| lower[i..].starts_with(*k) && text.is_char_boundary(i + k.len()));
        let Some(key) = hit else {
            let c = text[i..].chars().next().expect("in bounds");
            out.push(c);
            i += c.len_utf8();
            continue;
        };
        let key_end = i + key.len();
        out.push_str(&text[i..key_end]);
        i = key_end;
        if !bytes
            .get(key_end)
            .is_some_and(|b| matches!(b, b':' | b'=' | b'"' | b'\'' | b' ' | b'\\'))
        {
            continue;
        }
        let window_end = (key_end + LOOKAHEAD).min(bytes.len());
        let mut j = key_end;
        let mut found = None;
        while j < window_end {
            if bytes[j].is_ascii_alphanumeric() {
                let start = j;
                while j < bytes.len() && secret_char(bytes[j]) {
                    j += 1;
                }
                if j - start >= MIN_SECRET_LEN {
                    found = Some((start, j));
                    break;
                }
            } else {
                j += 1;
            }
        }
        if let Some((start, end)) = found {
            out.push_str(&text[key_end..start]);
            out.push_str(MASK);
            i = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_are_masked() {
        let r = Redactor::default();
        r.add_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        let line = "signing with wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY now";
        assert_eq!(r.redact(line), "signing with ** redacted ** now");
        assert_eq!(r.redact("nothing here"), "nothing here");
    }

    #[test]
    fn header_values_are_masked_in_every_spelling() {
        let r = Redactor::default();
        for (line, hidden) in [
            (
                "x-amz-security-token:FQoGZXIvYXdzEXAMPLE\nhost:x",
                "FQoGZXIvYXdzEXAMPLE",
            ),
            (
                r#"{"x-amz-security-token": "TOKEN1234567890"}"#,
                "TOKEN1234567890",
            ),
            (
                "X-Amz-Security-Token=abc%2Fdefghijkl&X-Amz-Date=1",
                "abc%2Fdefghijkl",
            ),
            ("aws_session_token = IQoJb3JpZ2luX2Vj", "IQoJb3JpZ2luX2Vj"),
            (
                r#"SessionToken: "sekr3tsekr3tsekr3t""#,
                "sekr3tsekr3tsekr3t",
            ),
            (
                r#""x-amz-security-token": HeaderValue { _private: H0("FwoGZXIvYXdzEXAMPLE0123") }"#,
                "FwoGZXIvYXdzEXAMPLE0123",
            ),
        ] {
            let out = r.redact(line);
            assert!(!out.contains(hidden), "{line} -> {out}");
            assert!(out.contains(MASK), "{line} -> {out}");
        }
        assert_eq!(
            r.redact("x-amz-security-token;x-amz-date"),
            "x-amz-security-token;x-amz-date",
            "a signed-headers list names the header without a value"
        );
    }

    #[test]
    fn non_ascii_text_survives() {
        let r = Redactor::default();
        let line = "ünïcødé session_token=s3cr3tvalue0123 ok ü";
        let out = r.redact(line);
        assert_eq!(out, "ünïcødé session_token=** redacted ** ok ü");
    }
}
