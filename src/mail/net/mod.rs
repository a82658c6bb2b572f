//! Fetching mail from servers: blocking connections over plain TCP or TLS
//! (rustls with the ring provider). No async runtime: a fetch is one
//! connection at a time, and a thread blocked on a socket with a timeout
//! is all it needs.
//!
//! Everything read from a server is bounded (line length, message size,
//! the bytes of one reply), so a hostile or broken server gets an error,
//! never a panic or unbounded memory. Passwords never reach an error
//! message or a `Debug` rendering.

pub mod tls;

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

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
fn printable(bytes: &[u8]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
