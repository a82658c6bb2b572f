//! A small blocking IMAP4rev1 client (RFC 3501) for fetching: LOGIN,
//! STARTTLS, SELECT, listing UIDs and sizes, fetching whole messages,
//! deleting (with UIDPLUS's UID EXPUNGE when offered, RFC 4315) and moving
//! (MOVE, RFC 6851, or COPY and delete).
//!
//! It speaks only what fetching needs, and parses only the replies it
//! asks for; anything else the server says in between (flag updates,
//! RECENT, alerts) is read and ignored. Literals (`{N}` then N bytes) are
//! read with their size checked first, so a hostile server cannot make it
//! allocate more than the connection's message size limit.

use std::collections::VecDeque;

use super::tls::{Connection, Tls};
use super::{BASE64_STANDARD, ConnectOptions, base64};
use crate::error::{Error, ErrorKind, Result};

/// The standard port for `tls`: 993 for IMAPS, 143 otherwise.
pub fn default_port(tls: Tls) -> u16 {
    match tls {
        Tls::Implicit => 993,
        Tls::StartTls | Tls::Plain => 143,
    }
}

/// The longest line (between literals) accepted. A FETCH of UID and size
/// is one short line per message; flag lists and capability lists are
/// the long ones, and stay far below this.
const MAX_LINE: usize = 64 * 1024;

/// What SELECT reports about a mailbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
    pub name: String,
    /// UIDs are only comparable between sessions while this is unchanged;
    /// when it changes, every UID seen before is void.
    pub uid_validity: u32,
    /// The number of messages.
    pub exists: u32,
    /// The UID the next message will get, if the server said.
    pub uid_next: Option<u32>,
}

pub struct ImapSession {
    conn: Connection,
    /// Upper-cased capability atoms.
    capabilities: Vec<String>,
    next_tag: u32,
    selected: Option<Mailbox>,
    /// The text of a BYE the server sent, to explain a closed connection.
    farewell: Option<String>,
}

impl ImapSession {
    /// Connects, reads the greeting and, for [`Tls::StartTls`], upgrades
    /// the connection before anything else is said.
    pub fn connect(opts: &ConnectOptions) -> Result<Self> {
        let conn = Connection::open(opts, "IMAP")?;
        let mut session = ImapSession {
            conn,
            capabilities: Vec::new(),
            next_tag: 1,
            selected: None,
            farewell: None,
        };
        let greeting = session.read_response("reading the greeting")?;
        let shown = Connection::show(&greeting.text);
        match parse_untagged(greeting) {
            Some(Untagged::Status { status, code, .. }) if status == "OK" => {
                if let Some(caps) = capability_code(&code) {
                    session.capabilities = caps;
                }
            }
            Some(Untagged::Status { status, text, .. }) if status == "PREAUTH" => {
                return Err(session.conn.protocol_error(format!(
                    "the server logged us in before asking who we are (PREAUTH: {text}); \
                     refusing to fetch from an unknown account"
                )));
            }
            Some(Untagged::Status { status, text, .. }) if status == "BYE" => {
                return Err(session.conn.error(
                    ErrorKind::Network,
                    format!("the server refused the session: {text}"),
                ));
            }
            _ => {
                return Err(session
                    .conn
                    .protocol_error(format!("unexpected greeting: {shown}")));
            }
        }
        if session.capabilities.is_empty() {
            session.refresh_capabilities()?;
        }
        if opts.tls == Tls::StartTls {
            session.start_tls()?;
        }
        Ok(session)
    }

    /// The capabilities the server announced, upper-cased.
    pub fn capabilities(&self) -> &[String] {
        &self.capabilities
    }

    pub fn has_capability(&self, name: &str) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.eq_ignore_ascii_case(name))
    }

    /// Logs in with LOGIN. A refused login is [`ErrorKind::AuthFailed`];
    /// the password appears in no error.
    pub fn login(&mut self, user: &str, password: &str) -> Result<()> {
        if self.has_capability("LOGINDISABLED") {
            return Err(self
                .conn
                .error(
                    ErrorKind::Network,
                    "the server does not allow LOGIN on this connection",
                )
                .with_hint("use TLS (implicit or STARTTLS)"));
        }
        let mut parts = vec![Part::Text(b"LOGIN ".to_vec())];
        parts.extend(astring(user.as_bytes()));
        parts.push(Part::Text(b" ".to_vec()));
        parts.extend(astring(password.as_bytes()));
        let done = self.run_parts(parts, "LOGIN")?;
        match done.status.as_str() {
            "OK" => {
                match capability_code(&done.code) {
                    Some(caps) => self.capabilities = caps,
                    None => self.refresh_capabilities()?,
                }
                Ok(())
            }
            _ => {
                let code = done.code.first().map(|c| c.to_ascii_uppercase());
                let temporary = matches!(code.as_deref(), Some("UNAVAILABLE" | "SERVERBUG"));
                if temporary {
                    Err(self.conn.error(
                        ErrorKind::Network,
                        format!("login refused for now: {}", done.text),
                    ))
                } else {
                    Err(self
                        .conn
                        .error(
                            ErrorKind::AuthFailed,
                            format!("login failed: {}", done.text),
                        )
                        .with_hint("check the user name and password"))
                }
            }
        }
    }

    /// Opens `folder` read-write; later calls work on it.
    pub fn select(&mut self, folder: &str) -> Result<Mailbox> {
        self.selected = None;
        let mut parts = vec![Part::Text(b"SELECT ".to_vec())];
        parts.extend(mailbox_name(folder));
        let done = self.run_parts(parts, "SELECT")?;
        let done = self.expect_ok(done, &format!("SELECT {folder:?}"))?;
        let mut exists = None;
        let mut uid_validity = None;
        let mut uid_next = None;
        for response in &done.untagged {
            match response {
                Untagged::Exists(n) => exists = Some(*n),
                Untagged::Status { status, code, .. } if status == "OK" => {
                    match (
                        code.first().map(|c| c.to_ascii_uppercase()).as_deref(),
                        code.get(1),
                    ) {
                        (Some("UIDVALIDITY"), Some(n)) => uid_validity = n.parse().ok(),
                        (Some("UIDNEXT"), Some(n)) => uid_next = n.parse().ok(),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        let Some(uid_validity) = uid_validity else {
            return Err(self.conn.protocol_error(format!(
                "SELECT {folder:?}: the server did not say the folder's UIDVALIDITY"
            )));
        };
        let mailbox = Mailbox {
            name: folder.to_string(),
            uid_validity,
            exists: exists.unwrap_or(0),
            uid_next,
        };
        self.selected = Some(mailbox.clone());
        Ok(mailbox)
    }

    /// Every message in the selected folder as (UID, size), by UID.
    pub fn list_uids(&mut self) -> Result<Vec<(u32, u64)>> {
        let exists = self.selected()?.exists;
        if exists == 0 {
            // "1:*" in an empty folder is an error on some servers.
            return Ok(Vec::new());
        }
        let done = self.run("UID FETCH 1:* (UID RFC822.SIZE)", "UID FETCH")?;
        let done = self.expect_ok(done, "UID FETCH 1:*")?;
        let mut out = Vec::new();
        for response in done.untagged {
            if let Untagged::Fetch(items) = response {
                let uid = fetch_number(&items, "UID");
                let size = fetch_number(&items, "RFC822.SIZE");
                if let (Some(uid), Some(size)) = (uid, size) {
                    let Ok(uid) = u32::try_from(uid) else {
                        return Err(self
                            .conn
                            .protocol_error(format!("UID {uid} is out of range")));
                    };
                    out.push((uid, size));
                }
            }
        }
        out.sort_unstable();
        out.dedup_by_key(|(uid, _)| *uid);
        Ok(out)
    }

    /// The raw message with this UID, without marking it \Seen. A UID
    /// that is not (or no longer) in the folder is [`ErrorKind::NotFound`].
    pub fn fetch(&mut self, uid: u32) -> Result<Vec<u8>> {
        self.selected()?;
        let what = format!("UID FETCH {uid}");
        let done = self.run(&format!("UID FETCH {uid} BODY.PEEK[]"), &what)?;
        let done = self.expect_ok(done, &what)?;
        let mut unlabelled = None;
        for response in done.untagged {
            let Untagged::Fetch(items) = response else {
                continue;
            };
            let found_uid = fetch_number(&items, "UID");
            let body = items.into_iter().find_map(|(key, value)| match value {
                Value::String(bytes) if key == "BODY[]" => Some(bytes),
                _ => None,
            });
            let Some(body) = body else { continue };
            match found_uid {
                Some(found) if found == u64::from(uid) => return Ok(body),
                Some(_) => {}
                // RFC 3501 says UID FETCH replies carry the UID; take one
                // that does not only when nothing better comes.
                None => unlabelled = Some(body),
            }
        }
        unlabelled.ok_or_else(|| self.no_such_uid(uid))
    }

    /// Deletes the message: marks it \Deleted and expunges it, with UID
    /// EXPUNGE when the server has UIDPLUS. Without UIDPLUS, EXPUNGE also
    /// removes any other message already marked \Deleted in the folder.
    pub fn delete(&mut self, uid: u32) -> Result<()> {
        self.selected()?;
        let what = format!("UID STORE {uid}");
        let done = self.run(&format!("UID STORE {uid} +FLAGS.SILENT (\\Deleted)"), &what)?;
        self.expect_ok(done, &what)?;
        let done = if self.has_capability("UIDPLUS") {
            let what = format!("UID EXPUNGE {uid}");
            let done = self.run(&what, &what)?;
            self.expect_ok(done, &what)?
        } else {
            let done = self.run("EXPUNGE", "EXPUNGE")?;
            self.expect_ok(done, "EXPUNGE")?
        };
        if !done
            .untagged
            .iter()
            .any(|r| matches!(r, Untagged::Expunge(_)))
        {
            return Err(self.no_such_uid(uid));
        }
        Ok(())
    }

    /// Moves the message to `folder`, which must exist: with MOVE when the
    /// server has it, else COPY and [`delete`](ImapSession::delete).
    pub fn move_to(&mut self, uid: u32, folder: &str) -> Result<()> {
        self.selected()?;
        let mut parts;
        if self.has_capability("MOVE") {
            parts = vec![Part::Text(format!("UID MOVE {uid} ").into_bytes())];
            parts.extend(mailbox_name(folder));
            let what = format!("UID MOVE {uid} {folder:?}");
            let done = self.run_parts(parts, &what)?;
            let done = self.expect_ok(done, &what)?;
            if !done
                .untagged
                .iter()
                .any(|r| matches!(r, Untagged::Expunge(_)))
            {
                return Err(self.no_such_uid(uid));
            }
            return Ok(());
        }
        parts = vec![Part::Text(format!("UID COPY {uid} ").into_bytes())];
        parts.extend(mailbox_name(folder));
        let what = format!("UID COPY {uid} {folder:?}");
        let done = self.run_parts(parts, &what)?;
        self.expect_ok(done, &what)?;
        self.delete(uid)
    }

    /// Creates `folder`; one that already exists is fine.
    pub fn create_folder(&mut self, folder: &str) -> Result<()> {
        let mut parts = vec![Part::Text(b"CREATE ".to_vec())];
        parts.extend(mailbox_name(folder));
        let done = self.run_parts(parts, "CREATE")?;
        let exists = done
            .code
            .first()
            .is_some_and(|c| c.eq_ignore_ascii_case("ALREADYEXISTS"));
        if done.status == "OK" || exists {
            return Ok(());
        }
        self.expect_ok(done, &format!("CREATE {folder:?}"))
            .map(drop)
    }

    /// Ends the session politely.
    pub fn logout(mut self) -> Result<()> {
        let result = self
            .run("LOGOUT", "LOGOUT")
            .and_then(|done| self.expect_ok(done, "LOGOUT").map(drop));
        self.conn.close();
        result
    }

    fn start_tls(&mut self) -> Result<()> {
        if !self.has_capability("STARTTLS") {
            return Err(self
                .conn
                .error(ErrorKind::Network, "the server does not offer STARTTLS")
                .with_hint("use implicit TLS (IMAPS, usually port 993) if the server has it"));
        }
        let done = self.run("STARTTLS", "STARTTLS")?;
        self.expect_ok(done, "STARTTLS")?;
        self.conn.start_tls()?;
        // RFC 3501 6.2.1: forget what was said before TLS.
        self.capabilities.clear();
        self.refresh_capabilities()
    }

    fn refresh_capabilities(&mut self) -> Result<()> {
        let done = self.run("CAPABILITY", "CAPABILITY")?;
        let done = self.expect_ok(done, "CAPABILITY")?;
        for response in done.untagged {
            if let Untagged::Capability(caps) = response {
                self.capabilities = caps;
            }
        }
        Ok(())
    }

    fn selected(&self) -> Result<&Mailbox> {
        self.selected
            .as_ref()
            .ok_or_else(|| Error::internal("IMAP: no folder is selected (call select first)"))
    }

    fn no_such_uid(&self, uid: u32) -> Error {
        let folder = self.selected.as_ref().map_or("", |m| m.name.as_str());
        self.conn.error(
            ErrorKind::NotFound,
            format!("no message with UID {uid} in {folder:?}"),
        )
    }

    /// `done` if the command succeeded, else an error with the server's
    /// words.
    fn expect_ok(&self, done: Done, what: &str) -> Result<Done> {
        if done.status == "OK" {
            return Ok(done);
        }
        let mut err = self
            .conn
            .error(ErrorKind::Network, format!("{what} refused: {}", done.text));
        if done
            .code
            .first()
            .is_some_and(|c| c.eq_ignore_ascii_case("TRYCREATE"))
        {
            err = err.with_hint("the folder does not exist; create it first");
        }
        Err(err)
    }

    fn run(&mut self, command: &str, shown: &str) -> Result<Done> {
        self.run_parts(vec![Part::Text(command.as_bytes().to_vec())], shown)
    }

    /// Sends a tagged command, with literals sent once the server asks for
    /// them, and reads up to its tagged reply. `shown` names the command
    /// in errors and must not contain a password.
    fn run_parts(&mut self, parts: Vec<Part>, shown: &str) -> Result<Done> {
        let tag = format!("T{}", self.next_tag);
        self.next_tag += 1;
        let mut untagged = Vec::new();
        let mut budget = ReplyBudget::new(self.conn.options().max_message_size);
        let mut pending = tag.as_bytes().to_vec();
        pending.push(b' ');
        for part in parts {
            match part {
                Part::Text(text) => pending.extend_from_slice(&text),
                Part::Literal(bytes) => {
                    pending.extend_from_slice(format!("{{{}}}\r\n", bytes.len()).as_bytes());
                    self.conn.send(&pending, shown)?;
                    pending.clear();
                    // The server says "+ go ahead", or refuses with the
                    // tagged reply; untagged data may come first.
                    loop {
                        let response = self.read_reply_part(shown)?;
                        if response.text.starts_with(b"+") {
                            break;
                        }
                        if let Some(done) = self.tagged(&response, &tag, shown)? {
                            return Ok(Done { untagged, ..done });
                        }
                        self.collect(response, &mut untagged, &mut budget, shown)?;
                    }
                    self.conn.send(&bytes, shown)?;
                }
            }
        }
        pending.extend_from_slice(b"\r\n");
        self.conn.send(&pending, shown)?;
        loop {
            let response = self.read_reply_part(shown)?;
            if let Some(done) = self.tagged(&response, &tag, shown)? {
                return Ok(Done { untagged, ..done });
            }
            if response.text.starts_with(b"+") {
                return Err(self.conn.protocol_error(format!(
                    "{shown}: the server asked for data nobody announced"
                )));
            }
            self.collect(response, &mut untagged, &mut budget, shown)?;
        }
    }

    /// The next response while waiting for the reply to `shown`; a closed
    /// connection after a BYE says what the server said.
    fn read_reply_part(&mut self, shown: &str) -> Result<Response> {
        let read = self.read_response(&format!("reading the reply to {shown}"));
        read.map_err(|e| match &self.farewell {
            Some(bye) if shown != "LOGOUT" => Error::new(
                ErrorKind::Network,
                format!("{} (the server said goodbye: {bye})", e.message()),
            ),
            _ => e,
        })
    }

    /// The tagged reply, if `response` is ours.
    fn tagged(&mut self, response: &Response, tag: &str, shown: &str) -> Result<Option<Done>> {
        if response.text.starts_with(b"* ") || response.text.starts_with(b"+") {
            return Ok(None);
        }
        let Some(rest) = response
            .text
            .strip_prefix(tag.as_bytes())
            .and_then(|r| r.strip_prefix(b" "))
        else {
            let shown_text = Connection::show(&response.text);
            return Err(self
                .conn
                .protocol_error(format!("{shown}: unexpected reply: {shown_text}")));
        };
        match parse_status(rest) {
            Some((status, code, text)) if matches!(status.as_str(), "OK" | "NO" | "BAD") => {
                Ok(Some(Done {
                    status,
                    code,
                    text,
                    untagged: Vec::new(),
                }))
            }
            _ => {
                let shown_text = Connection::show(&response.text);
                Err(self
                    .conn
                    .protocol_error(format!("{shown}: malformed reply: {shown_text}")))
            }
        }
    }

    /// Keeps an untagged response the caller may need, tracking the
    /// selected folder's size as it changes.
    fn collect(
        &mut self,
        response: Response,
        untagged: &mut Vec<Untagged>,
        budget: &mut ReplyBudget,
        shown: &str,
    ) -> Result<()> {
        if !response.text.starts_with(b"* ") {
            let shown_text = Connection::show(&response.text);
            return Err(self
                .conn
                .protocol_error(format!("{shown}: unexpected reply: {shown_text}")));
        }
        let size = response.size();
        let Some(parsed) = parse_untagged(response) else {
            return Ok(());
        };
        match &parsed {
            Untagged::Exists(n) => {
                if let Some(m) = &mut self.selected {
                    m.exists = *n;
                }
            }
            Untagged::Expunge(_) => {
                if let Some(m) = &mut self.selected {
                    m.exists = m.exists.saturating_sub(1);
                }
            }
            Untagged::Status { status, text, .. } if status == "BYE" => {
                // The server is hanging up: the tagged reply may never
                // come, and the read that finds the socket closed should
                // say why.
                self.farewell = Some(text.clone());
            }
            _ => {}
        }
        if !budget.take(size) {
            return Err(self.conn.protocol_error(format!(
                "{shown}: the reply is larger than the limit of {} bytes",
                budget.limit
            )));
        }
        untagged.push(parsed);
        Ok(())
    }

    /// One whole response: its line, and the literals its line announces
    /// at line ends, each checked against the size limit before reading.
    fn read_response(&mut self, what: &str) -> Result<Response> {
        let limit = self.conn.options().max_message_size;
        let mut response = Response::default();
        let mut literal_bytes = 0u64;
        loop {
            let line = self.conn.read_line(MAX_LINE, what)?;
            if response.text.len() + line.len() > MAX_LINE * 16 {
                return Err(self
                    .conn
                    .protocol_error(format!("{what}: a response with too many parts")));
            }
            response.text.extend_from_slice(&line);
            let Some(len) = literal_at_end(&line) else {
                return Ok(response);
            };
            literal_bytes = literal_bytes.saturating_add(len);
            if literal_bytes > limit {
                return Err(self.conn.protocol_error(format!(
                    "{what}: the server announced {len} bytes, over the limit of {limit} bytes"
                )));
            }
            let len = usize::try_from(len).map_err(|_| {
                self.conn
                    .protocol_error(format!("{what}: a literal of {len} bytes"))
            })?;
            let bytes = self.conn.read_exact_bytes(len, what)?;
            response.literals.push_back(bytes);
        }
    }
}

/// A piece of a command: text sent as is, or a literal.
enum Part {
    Text(Vec<u8>),
    Literal(Vec<u8>),
}

/// The end of a command: its tagged status, and the untagged responses
/// the server sent on the way.
struct Done {
    /// "OK", "NO" or "BAD".
    status: String,
    /// The response code's words, e.g. ["UIDVALIDITY", "42"].
    code: Vec<String>,
    text: String,
    untagged: Vec<Untagged>,
}

/// How many bytes of untagged responses one command may bring in: the
/// message size limit (one FETCH of one message), plus room for the
/// listing of a large folder.
struct ReplyBudget {
    limit: u64,
    used: u64,
}

impl ReplyBudget {
    fn new(max_message_size: u64) -> Self {
        ReplyBudget {
            limit: max_message_size.saturating_add(64 * 1024 * 1024),
            used: 0,
        }
    }

    fn take(&mut self, bytes: u64) -> bool {
        self.used = self.used.saturating_add(bytes);
        self.used <= self.limit
    }
}

/// A response as read: the text of its lines (without line endings) with
/// each literal's `{N}` marker left in place, and the literals in order.
#[derive(Debug, Default)]
struct Response {
    text: Vec<u8>,
    literals: VecDeque<Vec<u8>>,
}

impl Response {
    fn size(&self) -> u64 {
        let literals: usize = self.literals.iter().map(Vec::len).sum();
        (self.text.len() + literals) as u64
    }
}

/// The untagged responses this client uses.
#[derive(Debug, PartialEq, Eq)]
enum Untagged {
    Exists(u32),
    Expunge(u32),
    /// FETCH data items as (name, value), names upper-cased.
    Fetch(Vec<(String, Value)>),
    Capability(Vec<String>),
    /// OK, NO, BAD, BYE or PREAUTH, with its response code's words.
    Status {
        status: String,
        code: Vec<String>,
        text: String,
    },
}

/// A parsed value in a FETCH response.
#[derive(Debug, PartialEq, Eq)]
enum Value {
    Atom(String),
    /// A quoted string or a literal.
    String(Vec<u8>),
    Nil,
    List(Vec<Value>),
}

/// The number N if `line` ends with a literal announcement `{N}` (or the
/// non-synchronising `{N+}`).
fn literal_at_end(line: &[u8]) -> Option<u64> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let digits = &inner[open + 1..];
    let digits = digits.strip_suffix(b"+").unwrap_or(digits);
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// "OK [CODE ARGS] text" into ("OK", ["CODE", "ARGS"], "text").
fn parse_status(rest: &[u8]) -> Option<(String, Vec<String>, String)> {
    let (status, after) = match rest.iter().position(|&b| b == b' ') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &b""[..]),
    };
    let status = std::str::from_utf8(status).ok()?.to_ascii_uppercase();
    let (code, text) = match after.strip_prefix(b"[") {
        Some(inside) => {
            let close = inside.iter().position(|&b| b == b']')?;
            let code = String::from_utf8_lossy(&inside[..close]);
            let words = code
                .split([' ', '(', ')'])
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect();
            let text = inside[close + 1..]
                .strip_prefix(b" ")
                .unwrap_or(&inside[close + 1..]);
            (words, text)
        }
        None => (Vec::new(), after),
    };
    Some((status, code, Connection::show(text)))
}

/// The capabilities in a `[CAPABILITY ...]` response code.
fn capability_code(code: &[String]) -> Option<Vec<String>> {
    let (first, rest) = code.split_first()?;
    if !first.eq_ignore_ascii_case("CAPABILITY") {
        return None;
    }
    Some(rest.iter().map(|c| c.to_ascii_uppercase()).collect())
}

/// The untagged responses this client understands; None for the rest.
fn parse_untagged(mut response: Response) -> Option<Untagged> {
    let rest = response.text.strip_prefix(b"* ")?;
    let first_end = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
    let first = &rest[..first_end];
    let after = rest.get(first_end + 1..).unwrap_or(b"");
    if first.iter().all(u8::is_ascii_digit) && !first.is_empty() {
        let number: u32 = std::str::from_utf8(first).ok()?.parse().ok()?;
        let kind_end = after.iter().position(|&b| b == b' ').unwrap_or(after.len());
        let kind = std::str::from_utf8(&after[..kind_end])
            .ok()?
            .to_ascii_uppercase();
        let data = after.get(kind_end + 1..).unwrap_or(b"");
        return match kind.as_str() {
            "EXISTS" => Some(Untagged::Exists(number)),
            "EXPUNGE" => Some(Untagged::Expunge(number)),
            "FETCH" => {
                let mut parser = Parser::new(data, &mut response.literals);
                let Value::List(items) = parser.value()? else {
                    return None;
                };
                let mut pairs = Vec::new();
                let mut items = items.into_iter();
                while let (Some(Value::Atom(name)), Some(value)) = (items.next(), items.next()) {
                    pairs.push((name.to_ascii_uppercase(), value));
                }
                Some(Untagged::Fetch(pairs))
            }
            _ => None,
        };
    }
    let word = std::str::from_utf8(first).ok()?.to_ascii_uppercase();
    match word.as_str() {
        "CAPABILITY" => Some(Untagged::Capability(
            String::from_utf8_lossy(after)
                .split_ascii_whitespace()
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        )),
        "OK" | "NO" | "BAD" | "BYE" | "PREAUTH" => {
            let (status, code, text) = parse_status(rest)?;
            Some(Untagged::Status { status, code, text })
        }
        _ => None,
    }
}

/// A number-valued FETCH item (UID, RFC822.SIZE).
fn fetch_number(items: &[(String, Value)], name: &str) -> Option<u64> {
    items.iter().find_map(|(key, value)| match value {
        Value::Atom(n) if key == name => n.parse().ok(),
        _ => None,
    })
}

/// Parses FETCH data: atoms (with `[...]` sections, as in `BODY[]`),
/// quoted strings, literals (their `{N}` marker takes the next literal),
/// NIL and parenthesised lists. Depth is bounded, so nesting cannot
/// exhaust the stack.
struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
    literals: &'a mut VecDeque<Vec<u8>>,
    depth: usize,
}

impl<'a> Parser<'a> {
    const MAX_DEPTH: usize = 32;

    fn new(text: &'a [u8], literals: &'a mut VecDeque<Vec<u8>>) -> Self {
        Parser {
            text,
            pos: 0,
            literals,
            depth: 0,
        }
    }

    fn skip_spaces(&mut self) {
        while self.text.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Option<Value> {
        self.skip_spaces();
        match *self.text.get(self.pos)? {
            b'(' => {
                self.depth += 1;
                if self.depth > Self::MAX_DEPTH {
                    return None;
                }
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_spaces();
                    match self.text.get(self.pos)? {
                        b')' => {
                            self.pos += 1;
                            self.depth -= 1;
                            return Some(Value::List(items));
                        }
                        _ => items.push(self.value()?),
                    }
                }
            }
            b'"' => {
                self.pos += 1;
                let mut out = Vec::new();
                loop {
                    match *self.text.get(self.pos)? {
                        b'"' => {
                            self.pos += 1;
                            return Some(Value::String(out));
                        }
                        b'\\' => {
                            out.push(*self.text.get(self.pos + 1)?);
                            self.pos += 2;
                        }
                        b => {
                            out.push(b);
                            self.pos += 1;
                        }
                    }
                }
            }
            b'{' => {
                let close = self.text[self.pos..].iter().position(|&b| b == b'}')?;
                self.pos += close + 1;
                Some(Value::String(self.literals.pop_front()?))
            }
            b')' => None,
            _ => {
                let start = self.pos;
                let mut brackets = 0usize;
                while let Some(&b) = self.text.get(self.pos) {
                    match b {
                        b'[' => brackets += 1,
                        b']' => brackets = brackets.saturating_sub(1),
                        b' ' | b'(' | b')' if brackets == 0 => break,
                        _ => {}
                    }
                    self.pos += 1;
                }
                let atom = String::from_utf8_lossy(&self.text[start..self.pos]).into_owned();
                if atom.eq_ignore_ascii_case("NIL") {
                    Some(Value::Nil)
                } else {
                    Some(Value::Atom(atom))
                }
            }
        }
    }
}

/// A string argument: quoted when it is plain ASCII without line breaks,
/// else a literal (which also carries 8-bit bytes).
fn astring(bytes: &[u8]) -> Vec<Part> {
    let quotable = bytes
        .iter()
        .all(|&b| (0x01..=0x7f).contains(&b) && b != b'\r' && b != b'\n');
    if !quotable {
        return vec![Part::Literal(bytes.to_vec())];
    }
    let mut quoted = Vec::with_capacity(bytes.len() + 2);
    quoted.push(b'"');
    for &b in bytes {
        if b == b'"' || b == b'\\' {
            quoted.push(b'\\');
        }
        quoted.push(b);
    }
    quoted.push(b'"');
    vec![Part::Text(quoted)]
}

/// A folder name as IMAP wants it: modified UTF-7 (RFC 3501 5.1.3), quoted.
fn mailbox_name(folder: &str) -> Vec<Part> {
    astring(utf7_imap(folder).as_bytes())
}

/// Modified UTF-7: printable ASCII as is ("&" as "&-"), everything else
/// as UTF-16 in base64 with "," for "/", between "&" and "-".
fn utf7_imap(name: &str) -> String {
    let mut alphabet = *BASE64_STANDARD;
    alphabet[63] = b',';
    let mut out = String::with_capacity(name.len());
    let mut pending: Vec<u16> = Vec::new();
    let flush = |pending: &mut Vec<u16>, out: &mut String| {
        if pending.is_empty() {
            return;
        }
        let bytes: Vec<u8> = pending.iter().flat_map(|u| u.to_be_bytes()).collect();
        out.push('&');
        out.push_str(&base64(&bytes, &alphabet, false));
        out.push('-');
        pending.clear();
    };
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut pending, &mut out);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut units = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut units));
        }
    }
    flush(&mut pending, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(text: &str, literals: &[&[u8]]) -> Response {
        Response {
            text: text.as_bytes().to_vec(),
            literals: literals.iter().map(|l| l.to_vec()).collect(),
        }
    }

    #[test]
    fn literal_markers_are_found_at_line_ends_only() {
        assert_eq!(literal_at_end(b"* 1 FETCH (UID 7 BODY[] {123}"), Some(123));
        assert_eq!(literal_at_end(b"A1 LOGIN {5+}"), Some(5));
        assert_eq!(literal_at_end(b"* OK {12} things"), None);
        assert_eq!(literal_at_end(b"* OK {}"), None);
        assert_eq!(literal_at_end(b"* OK {-1}"), None);
        assert_eq!(literal_at_end(b"* OK {99999999999999999999}"), None);
    }

    #[test]
    fn fetch_with_literal_body_and_flags() {
        let r = response(
            "* 3 FETCH (UID 17 RFC822.SIZE 11 FLAGS (\\Seen $Junk) BODY[] {11})",
            &[b"Hi\r\n\r\nthere"],
        );
        let Some(Untagged::Fetch(items)) = parse_untagged(r) else {
            panic!("not a FETCH");
        };
        assert_eq!(fetch_number(&items, "UID"), Some(17));
        assert_eq!(fetch_number(&items, "RFC822.SIZE"), Some(11));
        assert_eq!(
            items.iter().find(|(k, _)| k == "BODY[]").map(|(_, v)| v),
            Some(&Value::String(b"Hi\r\n\r\nthere".to_vec()))
        );
        assert_eq!(
            items.iter().find(|(k, _)| k == "FLAGS").map(|(_, v)| v),
            Some(&Value::List(vec![
                Value::Atom("\\Seen".into()),
                Value::Atom("$Junk".into())
            ]))
        );
    }

    #[test]
    fn fetch_with_quoted_body_and_sections_with_spaces() {
        let r = response(
            "* 1 FETCH (BODY[HEADER.FIELDS (FROM TO)] \"a \\\"b\\\" \\\\\" UID 2 BODY[] NIL)",
            &[],
        );
        let Some(Untagged::Fetch(items)) = parse_untagged(r) else {
            panic!("not a FETCH");
        };
        assert_eq!(items[0].0, "BODY[HEADER.FIELDS (FROM TO)]");
        assert_eq!(items[0].1, Value::String(b"a \"b\" \\".to_vec()));
        assert_eq!(fetch_number(&items, "UID"), Some(2));
        assert_eq!(items[2].1, Value::Nil);
    }

    #[test]
    fn malformed_fetch_is_ignored_not_a_panic() {
        for text in [
            "* 1 FETCH (UID",
            "* 1 FETCH",
            "* 1 FETCH )",
            "* 1 FETCH (BODY[] {5})",
            "* 1 FETCH (\"unterminated",
            "* 99999999999 FETCH (UID 1)",
        ] {
            assert_eq!(parse_untagged(response(text, &[])), None, "{text}");
        }
        let deep = format!("* 1 FETCH {}", "(".repeat(10_000));
        assert_eq!(parse_untagged(response(&deep, &[])), None);
    }

    #[test]
    fn status_responses_with_codes() {
        assert_eq!(
            parse_untagged(response("* OK [UIDVALIDITY 1700000000] UIDs valid", &[])),
            Some(Untagged::Status {
                status: "OK".into(),
                code: vec!["UIDVALIDITY".into(), "1700000000".into()],
                text: "UIDs valid".into()
            })
        );
        assert_eq!(
            parse_untagged(response("* 4 EXISTS", &[])),
            Some(Untagged::Exists(4))
        );
        assert_eq!(
            parse_untagged(response("* 2 expunge", &[])),
            Some(Untagged::Expunge(2))
        );
        let caps = parse_untagged(response("* CAPABILITY IMAP4rev1 uidplus MOVE", &[]));
        assert_eq!(
            caps,
            Some(Untagged::Capability(vec![
                "IMAP4REV1".into(),
                "UIDPLUS".into(),
                "MOVE".into()
            ]))
        );
        let (status, code, text) =
            parse_status(b"OK [CAPABILITY IMAP4rev1 MOVE] Logged in").unwrap();
        assert_eq!(status, "OK");
        assert_eq!(
            capability_code(&code),
            Some(vec!["IMAP4REV1".into(), "MOVE".into()])
        );
        assert_eq!(text, "Logged in");
        assert_eq!(parse_status(b"NO [TRYCREATE"), None);
    }

    #[test]
    fn strings_are_quoted_or_sent_as_literals() {
        let render = |parts: Vec<Part>| match parts.as_slice() {
            [Part::Text(t)] => format!("text {}", String::from_utf8_lossy(t)),
            [Part::Literal(l)] => format!("literal {}", String::from_utf8_lossy(l)),
            _ => "other".into(),
        };
        assert_eq!(render(astring(b"alice")), "text \"alice\"");
        assert_eq!(render(astring(b"")), "text \"\"");
        assert_eq!(render(astring(b"a\"b\\c")), "text \"a\\\"b\\\\c\"");
        assert_eq!(render(astring("pässword".as_bytes())), "literal pässword");
        assert_eq!(render(astring(b"line\r\nbreak")), "literal line\r\nbreak");
    }

    #[test]
    fn folder_names_in_modified_utf7() {
        // RFC 3501 5.1.3 examples.
        assert_eq!(utf7_imap("INBOX"), "INBOX");
        assert_eq!(utf7_imap("Tom & Jerry"), "Tom &- Jerry");
        assert_eq!(
            utf7_imap("~peter/mail/台北/日本語"),
            "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
        );
        assert_eq!(utf7_imap("Entwürfe"), "Entw&APw-rfe");
    }
}
