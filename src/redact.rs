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
        // Separators between the name and its value: quotes, colons, equals signs, spaces.
        let mut j = key_end;
        while j < bytes.len() && matches!(bytes[j], b'"' | b'\'' | b':' | b'=' | b' ' | b'\\') {
            j += 1;
        }
        let sep_ok = j > key_end;
        out.push_str(&text[key_end..j]);
        let mut k = j;
        while k < bytes.len()
            && !matches!(
                bytes[k],
                b'"' | b'\'' | b',' | b'&' | b';' | b'\n' | b'\r' | b' ' | b'\\' | b'}' | b')'
            )
        {
            k += 1;
        }
        if sep_ok && k > j && text.is_char_boundary(k) {
            out.push_str(MASK);
            i = k;
        } else {
            i = j;
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
            (r#"{"x-amz-security-token": "TOKEN123456"}"#, "TOKEN123456"),
            ("X-Amz-Security-Token=abc%2Fdef&X-Amz-Date=1", "abc%2Fdef"),
            ("aws_session_token = IQoJb3JpZ2luX2Vj", "IQoJb3JpZ2luX2Vj"),
            (r#"SessionToken: "sek""#, "sek"),
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
        let line = "ünïcødé session_token=sécret ok";
        let out = r.redact(line);
        assert!(out.starts_with("ünïcødé session_token="), "{out}");
        assert!(!out.contains("sécret"), "{out}");
    }
}
