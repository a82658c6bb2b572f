//! A small blocking POP3 client: RFC 1939 with CAPA (RFC 2449), STLS
//! (RFC 2595) and SASL PLAIN (RFC 5034) as a fallback login.
//!
//! Deleting is two-step in POP3: [`Pop3Session::delete`] only marks a
//! message, and the server removes marked messages when the session ends
//! with [`Pop3Session::quit`]. A session that ends any other way (an error,
//! a dropped connection, dropping the session) removes nothing, so an
//! import that fails half-way leaves the mailbox as it was.

use super::tls::{Connection, Tls};
use super::{ConnectOptions, sasl_plain};
use crate::error::{Error, ErrorKind, Result};

/// The standard port for `tls`: 995 for POP3S, 110 otherwise.
pub fn default_port(tls: Tls) -> u16 {
    match tls {
        Tls::Implicit => 995,
        Tls::StartTls | Tls::Plain => 110,
    }
}

/// The longest status or listing line accepted. RFC 2449 allows 512
/// bytes; real servers stay well within this.
const MAX_LINE: usize = 8 * 1024;

/// The most bytes a UIDL or LIST listing may take.
const MAX_LISTING: u64 = 64 * 1024 * 1024;

/// A message in the maildrop as listed at the start of a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteMessage {
    /// The message number: valid for this session only.
    pub number: u32,
    /// The unique id (UIDL): stable across sessions.
    pub uid: String,
    /// The size in octets as the server counts it.
    pub size: u64,
}

pub struct Pop3Session {
    conn: Connection,
    /// CAPA's answer, upper-cased; None when the server has no CAPA.
    capabilities: Option<Vec<String>>,
}

impl Pop3Session {
    /// Connects, reads the greeting and, for [`Tls::StartTls`], upgrades
    /// the connection before anything else is said.
    pub fn connect(opts: &ConnectOptions) -> Result<Self> {
        let conn = Connection::open(opts, "POP3")?;
        let mut session = Pop3Session {
            conn,
            capabilities: None,
        };
        session.read_status("the greeting", "greeting")?;
        session.capabilities = session.capa()?;
        if opts.tls == Tls::StartTls {
            session.start_tls()?;
        }
        Ok(session)
    }

    /// The capabilities the server announced (upper-cased), if it
    /// supports CAPA.
    pub fn capabilities(&self) -> Option<&[String]> {
        self.capabilities.as_deref()
    }

    /// Logs in with USER/PASS, or with SASL PLAIN when the server offers
    /// only that. A refused login is [`ErrorKind::AuthFailed`]; the
    /// password appears in no error.
    pub fn login(&mut self, user: &str, password: &str) -> Result<()> {
        if user.contains(['\r', '\n']) || password.contains(['\r', '\n']) {
            return Err(Error::invalid(
                "the user name or password contains a line break, which POP3 cannot send",
            ));
        }
        let sasl_only = self.capabilities.as_ref().is_some_and(|caps| {
            !caps.iter().any(|c| c == "USER") && caps.iter().any(|c| is_sasl_with_plain(c))
        });
        if sasl_only {
            let line = format!("AUTH PLAIN {}\r\n", sasl_plain(user, password));
            return self.login_step(&line, "AUTH PLAIN");
        }
        self.login_step(&format!("USER {user}\r\n"), "USER")?;
        self.login_step(&format!("PASS {password}\r\n"), "PASS")
    }

    /// The number of messages and their total size.
    pub fn stat(&mut self) -> Result<(u32, u64)> {
        let reply = self.command("STAT\r\n", "STAT")?;
        let mut fields = reply.split_ascii_whitespace();
        match (
            fields.next().and_then(|n| n.parse().ok()),
            fields.next().and_then(|n| n.parse().ok()),
        ) {
            (Some(count), Some(size)) => Ok((count, size)),
            _ => Err(self.malformed("STAT", reply.as_bytes())),
        }
    }

    /// Every message not marked for deletion, with its unique id and
    /// size, in message-number order.
    pub fn list(&mut self) -> Result<Vec<RemoteMessage>> {
        self.command("UIDL\r\n", "UIDL").map_err(|e| {
            e.with_hint("the server does not give messages unique ids (UIDL), which fetching needs")
        })?;
        let uids = self.read_multiline(MAX_LISTING, "UIDL")?;
        self.command("LIST\r\n", "LIST")?;
        let sizes = self.read_multiline(MAX_LISTING, "LIST")?;

        let mut messages = Vec::new();
        for line in uids.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let (number, uid) = self.parse_listing_line(line, "UIDL")?;
            // RFC 1939: 1 to 70 characters in 0x21..=0x7E.
            if uid.is_empty() || uid.len() > 70 || !uid.bytes().all(|b| (0x21..=0x7e).contains(&b))
            {
                return Err(self.malformed("UIDL", line));
            }
            messages.push(RemoteMessage {
                number,
                uid: uid.to_string(),
                size: 0,
            });
        }
        for line in sizes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let (number, size) = self.parse_listing_line(line, "LIST")?;
            let Ok(size) = size.parse::<u64>() else {
                return Err(self.malformed("LIST", line));
            };
            if let Some(m) = messages.iter_mut().find(|m| m.number == number) {
                m.size = size;
            }
        }
        messages.sort_by_key(|m| m.number);
        Ok(messages)
    }

    /// The raw message (headers and body) with CRLF line endings, as the
    /// server sent it once dot-stuffing is undone. A message larger than
    /// the connection's size limit is an error, and ends the session.
    pub fn retrieve(&mut self, number: u32) -> Result<Vec<u8>> {
        let what = format!("RETR {number}");
        self.command(&format!("{what}\r\n"), &what)?;
        let limit = self.conn.options().max_message_size;
        self.read_multiline(limit, &what)
    }

    /// Marks a message for deletion; the server removes it at [`quit`].
    ///
    /// [`quit`]: Pop3Session::quit
    pub fn delete(&mut self, number: u32) -> Result<()> {
        let what = format!("DELE {number}");
        self.command(&format!("{what}\r\n"), &what).map(drop)
    }

    /// Does nothing, but keeps the session alive and checks it still is.
    pub fn noop(&mut self) -> Result<()> {
        self.command("NOOP\r\n", "NOOP").map(drop)
    }

    /// Ends the session: the server now removes the messages marked with
    /// [`delete`](Pop3Session::delete). An error means they may not have
    /// been removed.
    pub fn quit(mut self) -> Result<()> {
        let result = self.command("QUIT\r\n", "QUIT").map(drop);
        self.conn.close();
        result
    }

    fn start_tls(&mut self) -> Result<()> {
        let offered = match &self.capabilities {
            Some(caps) => caps.iter().any(|c| c == "STLS"),
            // No CAPA: asking is the only way to know.
            None => true,
        };
        if !offered {
            return Err(self
                .conn
                .error(
                    ErrorKind::Network,
                    "the server does not offer STLS (STARTTLS)",
                )
                .with_hint("use implicit TLS (POP3S, usually port 995) if the server has it"));
        }
        self.command("STLS\r\n", "STLS")?;
        self.conn.start_tls()?;
        // RFC 2595: what the server said before TLS cannot be trusted.
        self.capabilities = self.capa()?;
        Ok(())
    }

    /// CAPA's list, or None when the server does not know CAPA.
    fn capa(&mut self) -> Result<Option<Vec<String>>> {
        self.conn.send(b"CAPA\r\n", "CAPA")?;
        if self.read_reply("CAPA")?.is_err() {
            // An old server without CAPA.
            return Ok(None);
        }
        let listing = self.read_multiline(MAX_LISTING, "CAPA")?;
        let caps = listing
            .split(|&b| b == b'\n')
            .map(|l| String::from_utf8_lossy(l).trim().to_ascii_uppercase())
            .filter(|l| !l.is_empty())
            .collect();
        Ok(Some(caps))
    }

    /// One login command; a refusal is AuthFailed unless the server says
    /// it is a temporary or system problem (RFC 2449/3206 codes).
    fn login_step(&mut self, line: &str, shown: &str) -> Result<()> {
        self.conn.send(line.as_bytes(), shown)?;
        match self.read_reply(shown)? {
            Ok(_) => Ok(()),
            Err(text) => {
                let upper = text.to_ascii_uppercase();
                let temporary = ["[IN-USE]", "[SYS/TEMP]", "[SYS/PERM]", "[LOGIN-DELAY]"]
                    .iter()
                    .any(|code| upper.starts_with(code));
                if temporary {
                    Err(self
                        .conn
                        .error(ErrorKind::Network, format!("login refused for now: {text}")))
                } else {
                    Err(self
                        .conn
                        .error(ErrorKind::AuthFailed, format!("login failed: {text}"))
                        .with_hint("check the user name and password"))
                }
            }
        }
    }

    /// Sends a command and returns the text after "+OK"; "-ERR" is an
    /// error. `shown` names the command in errors.
    fn command(&mut self, line: &str, shown: &str) -> Result<String> {
        self.conn.send(line.as_bytes(), shown)?;
        self.read_status(shown, shown)
    }

    fn read_status(&mut self, what: &str, shown: &str) -> Result<String> {
        match self.read_reply(what)? {
            Ok(text) => Ok(text),
            Err(text) => Err(self
                .conn
                .error(ErrorKind::Network, format!("{shown} refused: {text}"))),
        }
    }

    /// One status line: Ok(text) for "+OK", Err(text) for "-ERR";
    /// anything else breaks the session.
    fn read_reply(&mut self, what: &str) -> Result<Result<String, String>> {
        let line = self
            .conn
            .read_line(MAX_LINE, &format!("reading the reply to {what}"))?;
        let text = |rest: &[u8]| Connection::show(rest.strip_prefix(b" ").unwrap_or(rest));
        if let Some(rest) = line.strip_prefix(b"+OK") {
            Ok(Ok(text(rest)))
        } else if let Some(rest) = line.strip_prefix(b"-ERR") {
            Ok(Err(text(rest)))
        } else {
            Err(self.conn.protocol_error(format!(
                "unexpected reply to {what}: {}",
                Connection::show(&line)
            )))
        }
    }

    /// The body of a multi-line reply up to the lone ".", dot-unstuffed,
    /// each line ending in CRLF. More than `limit` bytes is an error.
    fn read_multiline(&mut self, limit: u64, what: &str) -> Result<Vec<u8>> {
        let reading = format!("reading the reply to {what}");
        let mut out = Vec::new();
        loop {
            let room = limit.saturating_sub(out.len() as u64);
            // Room for the line ending and a stuffed dot on top of the
            // bytes the limit still allows.
            let max_line = usize::try_from(room)
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let Some(line) = self.conn.read_line_within(max_line, &reading)? else {
                return Err(self.too_large(what, limit));
            };
            if line == b"." {
                return Ok(out);
            }
            let line = line.strip_prefix(b".").unwrap_or(&line);
            if (out.len() + line.len() + 2) as u64 > limit {
                return Err(self.too_large(what, limit));
            }
            out.extend_from_slice(line);
            out.extend_from_slice(b"\r\n");
        }
    }

    fn too_large(&mut self, what: &str, limit: u64) -> Error {
        self.conn.protocol_error(format!(
            "{what}: the reply is larger than the limit of {limit} bytes"
        ))
    }

    /// "NUMBER REST" of a UIDL or LIST line.
    fn parse_listing_line<'a>(&mut self, line: &'a [u8], what: &str) -> Result<(u32, &'a str)> {
        let parsed = std::str::from_utf8(line).ok().and_then(|text| {
            let (number, rest) = text.trim().split_once(' ')?;
            let rest = rest.trim();
            Some((number.parse::<u32>().ok()?, rest.split(' ').next()?))
        });
        match parsed {
            Some((number, rest)) if number > 0 => Ok((number, rest)),
            _ => Err(self.malformed(what, line)),
        }
    }

    fn malformed(&mut self, what: &str, line: &[u8]) -> Error {
        self.conn
            .protocol_error(format!("malformed {what} line: {}", Connection::show(line)))
    }
}

/// "SASL PLAIN LOGIN ..." lists PLAIN.
fn is_sasl_with_plain(capability: &str) -> bool {
    let mut words = capability.split_ascii_whitespace();
    words.next() == Some("SASL") && words.any(|w| w == "PLAIN")
}
