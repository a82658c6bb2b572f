//! Fetching mail from servers: blocking POP3 and IMAP clients over plain
//! TCP or TLS (rustls with the ring provider). No async runtime: a fetch
//! is one connection at a time, and a thread blocked on a socket with a
//! timeout is all it needs.
//!
//! Everything read from a server is bounded (line length, message size,
//! the bytes of one reply), so a hostile or broken server gets an error,
//! never a panic or unbounded memory. Passwords never reach an error
//! message or a `Debug` rendering.

mod account;
pub mod imap;
pub mod pop3;
pub mod tls;

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

pub use account::open_mailbox;
pub use tls::{Tls, install_crypto_provider};

/// How long a connect, a read or a write may take by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest message fetched by default. Mail systems commonly cap
/// messages at 25 to 50 MB before base64 grows them by a third.
pub const DEFAULT_MAX_MESSAGE_SIZE: u64 = 64 * 1024 * 1024;

/// Where and how to connect.
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    /// A PEM file of extra CA certificates to trust besides the public
    /// roots, for self-hosted servers with a private CA.
    pub ca_file: Option<PathBuf>,
    /// For connecting, and for each read and write.
    pub timeout: Duration,
    /// A message larger than this is refused while it is read.
    pub max_message_size: u64,
}

impl ConnectOptions {
    /// Options with the default timeout and size limit, no extra CA.
    pub fn new(host: impl Into<String>, port: u16, tls: Tls) -> Self {
        ConnectOptions {
            host: host.into(),
            port,
            tls,
            ca_file: None,
            timeout: DEFAULT_TIMEOUT,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
        }
    }

    pub fn with_ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(path.into());
        self
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn with_max_message_size(mut self, bytes: u64) -> Self {
        self.max_message_size = bytes;
        self
    }

    /// `host:port`, with brackets around an IPv6 address.
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// A password or other secret: `Debug` shows `<redacted>` and there is no
/// `Display`, so it cannot end up in an error message or a log by accident.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(secret: impl Into<String>) -> Self {
        Secret(secret.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(secret: String) -> Self {
        Secret(secret)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Server text made safe to show: control characters become `?` and it is
/// cut to a readable length, so a hostile server cannot flood or garble
/// an error message.
pub(crate) fn printable(bytes: &[u8]) -> String {
    const MAX_CHARS: usize = 200;
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text
        .chars()
        .take(MAX_CHARS)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().count() > MAX_CHARS {
        out.push('…');
    }
    out
}

const BASE64_STANDARD: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64 of `bytes` with `alphabet`, padded or not. Small enough not to
/// need a crate: SASL PLAIN and IMAP's modified UTF-7 are its only users.
fn base64(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let digits = chunk.len() + 1;
        for i in 0..4 {
            if i < digits {
                out.push(char::from(alphabet[((n >> (18 - 6 * i)) & 63) as usize]));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// The SASL PLAIN initial response (RFC 4616) for `user` and `password`.
fn sasl_plain(user: &str, password: &str) -> String {
    let mut raw = Vec::with_capacity(user.len() + password.len() + 2);
    raw.push(0);
    raw.extend_from_slice(user.as_bytes());
    raw.push(0);
    raw.extend_from_slice(password.as_bytes());
    base64(&raw, BASE64_STANDARD, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes(), BASE64_STANDARD, true), encoded);
        }
        assert_eq!(base64(b"f", BASE64_STANDARD, false), "Zg");
    }

    #[test]
    fn sasl_plain_joins_with_nul() {
        // RFC 4616 section 4 example without authzid.
        assert_eq!(
            sasl_plain("tim", "tanstaaftanstaaf"),
            "AHRpbQB0YW5zdGFhZnRhbnN0YWFm"
        );
    }

    #[test]
    fn secret_debug_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn printable_hides_control_characters_and_cuts() {
        assert_eq!(printable(b"no\r\nway\x1b[31m"), "no??way?[31m");
        let long = vec![b'x'; 500];
        assert_eq!(printable(&long).chars().count(), 201);
    }

    #[test]
    fn address_brackets_ipv6() {
        assert_eq!(
            ConnectOptions::new("::1", 993, Tls::Implicit).address(),
            "[::1]:993"
        );
        assert_eq!(
            ConnectOptions::new("mail.example.org", 110, Tls::Plain).address(),
            "mail.example.org:110"
        );
    }
}
