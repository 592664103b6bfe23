//! Secrets: passwords hashed with argon2id, random tokens for sessions, links and forms,
//! and the hashes under which tokens are stored (a stolen database opens nothing).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

/// A new random token: 32 bytes (256 bits) from the operating system, as hex.
pub fn token() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(hex(&bytes))
}

/// The hash a token is stored under.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// The CSRF token of a unit's link form: derived from the link, so that only a page
/// opened through the link can post to it.
pub fn link_csrf(token: &str) -> String {
    hex(&Sha256::digest(format!("spur-csrf:{token}").as_bytes()))
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The argon2id hash of a password, in PHC form.
pub fn hash_password(password: &str) -> Option<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .ok()
        .map(|h| h.to_string())
}

/// Whether `password` matches the stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// An argon2id hash of no one's password, verified against for unknown addresses so
/// that the time an answer takes does not tell whether an account exists.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("ingen har detta lösenord").unwrap_or_default())
}

/// Compares a CSRF token sent with a form to the expected one; an empty token never
/// matches, not even an empty one.
pub fn csrf_matches(sent: &str, expected: &str) -> bool {
    !expected.is_empty() && same(sent, expected)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The login attempts now running or waiting, per address, so that parallel guesses
/// at one account are taken one at a time, each after its delay.
#[derive(Default)]
pub struct Attempts {
    by_email: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Attempts {
    /// The turn of `email`: held while one attempt at that account runs.
    pub fn turn(&self, email: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.by_email.lock().unwrap_or_else(|e| e.into_inner());
        // Forget the addresses no attempt holds, so the map stays as small as the
        // number of attempts in flight.
        map.retain(|_, turn| Arc::strong_count(turn) > 1);
        map.entry(email.to_string()).or_default().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves_and_tokens_differ() {
        let hash = hash_password("rätt lösenord").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("rätt lösenord", &hash));
        assert!(!verify_password("fel lösenord", &hash));
        assert!(!verify_password("x", "inte en hash"));
        let (a, b) = (token().unwrap(), token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert!(same(&a, &a.clone()) && !same(&a, &b));
        assert_ne!(hash_token(&a), a);
        assert!(!csrf_matches("", ""));
        assert!(csrf_matches(&a, &a.clone()));
    }
}
