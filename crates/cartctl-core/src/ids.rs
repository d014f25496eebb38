//! Ids: the seed one invocation of cartctl derives its ClientTokens from, the execution ids
//! `fire` gives its invocations (as Scheduler gives each attempt one), and the hex digits
//! names and tokens are written in.
//!
//! AWS remembers a ClientToken and answers a request that reuses it with the earlier answer, so
//! a token must be unique to an invocation (yet reused by that invocation's retries, so a retry
//! whose first answer was lost is recognised). No crate is needed for that: the standard
//! library's `RandomState` is seeded from the operating system's random source per process.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// Lower-case hex digits of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 128 bits drawn afresh for each call: the OS random source (each `RandomState` of a thread
/// gets new keys, so two calls never hash alike), the time and the process id.
fn random_u128() -> u128 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let half = |salt: u64| {
        let mut h = RandomState::new().build_hasher();
        h.write_u128(now);
        h.write_u32(std::process::id());
        h.write_u64(salt);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

/// The seed of one invocation's client tokens: every token is a hash of the seed and the
/// request, so the same request gets the same token within an invocation and a different one
/// in the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenSeed(u128);

impl TokenSeed {
    /// A seed no other invocation has.
    pub fn fresh() -> TokenSeed {
        TokenSeed(random_u128())
    }

    /// A fixed seed (tests, reproducible dry runs).
    pub fn fixed(value: u128) -> TokenSeed {
        TokenSeed(value)
    }

    /// A ClientToken (64 hex digits, within the 64-character limit) for `what`, which names
    /// the operation and the request.
    pub fn token(&self, what: &[u8]) -> String {
        let mut h = Sha256::new();
        h.update(self.0.to_be_bytes());
        h.update(what);
        hex(&h.finalize())
    }
}

impl Default for TokenSeed {
    fn default() -> Self {
        TokenSeed::fresh()
    }
}

/// An execution id in the form Scheduler gives each invocation attempt (16 lower-case letters
/// and digits, e.g. `d32c5kddcf5bb8c3`).
pub fn execution_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut r = random_u128();
    (0..16)
        .map(|_| {
            let c = ALPHABET[(r % 36) as usize] as char;
            r /= 36;
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_stable_within_a_seed_and_differ_across_seeds() {
        let a = TokenSeed::fresh();
        let b = TokenSeed::fresh();
        assert_ne!(a, b);
        assert_eq!(a.token(b"req"), a.token(b"req"));
        assert_ne!(a.token(b"req"), a.token(b"other"));
        assert_ne!(a.token(b"req"), b.token(b"req"));
        let t = a.token(b"req");
        assert_eq!(t.len(), 64);
        assert!(crate::limits::check_client_token("t", &t).is_ok());
    }

    #[test]
    fn execution_ids_look_like_schedulers() {
        let a = execution_id();
        assert_eq!(a.len(), 16);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
        assert_ne!(a, execution_id());
    }
}
