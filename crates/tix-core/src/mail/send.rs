//! Sending mail: a message rendered to the exact bytes that go out, and a
//! [`Transport`] that hands those bytes over: an SMTP server (lettre's
//! client over rustls with the ring provider), a local `sendmail`
//! command, or a directory of `.eml` files for offline use.
//!
//! Rendering and sending are separate so that the caller can record the
//! bytes first: a transport sends what it is given, byte for byte, and
//! nothing else. A failed send is an error that says what failed and
//! where; nothing in it (or in any `Debug`) shows a password.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use lettre::Address;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};

use super::net::{Secret, printable, tls};
use crate::domain::config::MailConfig;
use crate::domain::{Config, MailOutgoing, OutgoingTransport, Party, TicketId, TlsMode};
use crate::error::{Context, Error, ErrorKind, Result};

/// The domain of generated Message-IDs when `mail.message_id_domain` is
/// not set (`.invalid` is reserved: it belongs to nobody).
pub const DEFAULT_MESSAGE_ID_DOMAIN: &str = "tix.invalid";

/// The header marking mail no person wrote (RFC 3834).
pub const AUTO_SUBMITTED: &str = "Auto-Submitted";

/// A message to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    pub from: Party,
    pub to: Vec<Party>,
    pub cc: Vec<Party>,
    /// Envelope recipients only: never written as a header.
    pub bcc: Vec<Party>,
    pub subject: String,
    /// The body: plain UTF-8 text; line breaks may be LF or CRLF.
    pub text: String,
    /// Without angle brackets: `abc@tix.example.org`.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// Further headers (`Auto-Submitted`, `X-Tix-Loop`, `X-Tix-Ticket`…);
    /// the ones [`render`] writes itself are refused here.
    pub headers: Vec<(String, String)>,
    pub date: DateTime<Utc>,
    pub attachments: Vec<OutgoingAttachment>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OutgoingAttachment {
    pub filename: String,
    /// `type/subtype`, with parameters if any.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Outgoing {
    /// The envelope recipients: To, Cc and Bcc, each address once.
    pub fn recipients(&self) -> Vec<String> {
        recipients(&self.to, &self.cc, &self.bcc)
    }
}

/// Envelope recipients for `to`, `cc` and `bcc`: each address once.
pub fn recipients(to: &[Party], cc: &[Party], bcc: &[Party]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in to.iter().chain(cc).chain(bcc) {
        if !out.iter().any(|e| p.same_address(e)) {
            out.push(p.email.clone());
        }
    }
    out
}

/// The headers that mark a message as tix's own, so that it is never
/// filed if it comes back: `X-Tix-Loop` always, and with `automatic`
/// (auto-replies, notifications) `Auto-Submitted: auto-replied`, which
/// tells other robots not to answer.
pub fn tix_headers(config: &Config, automatic: bool) -> Vec<(String, String)> {
    let mut headers = vec![(
        super::classify::LOOP_HEADER.to_string(),
        super::file::loop_token(config),
    )];
    if automatic {
        headers.push((AUTO_SUBMITTED.to_string(), "auto-replied".to_string()));
    }
    headers
}

/// The domain of the Message-IDs this store generates: `mail.message_id_domain`,
/// which the import recognises as its own; else the domain of the address
/// the mail is from (`mail.from`, else the first of `mail.addresses`), as
/// mail clients do: ids in `.invalid` on real mail are a spam signal, and
/// the team's own domain keeps them unique. [`DEFAULT_MESSAGE_ID_DOMAIN`]
/// only when there is no address at all (no mail can be sent then).
pub fn message_id_domain(config: &MailConfig) -> String {
    let explicit = config
        .message_id_domain
        .as_deref()
        .map(|d| d.trim().trim_start_matches('@').trim())
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    let from_address = || {
        let email = match &config.from {
            Some(from) => from.value().email.clone(),
            None => config.addresses.first()?.clone(),
        };
        let domain = email.rsplit_once('@')?.1.trim().to_ascii_lowercase();
        let plausible = !domain.is_empty()
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
        plausible.then_some(domain)
    };
    explicit
        .or_else(from_address)
        .unwrap_or_else(|| DEFAULT_MESSAGE_ID_DOMAIN.to_string())
}

/// The Message-ID of mail tix sends for `ticket`: the ticket id comes
/// first, so an answer threads onto the ticket by its In-Reply-To even on
/// a clone that has not seen the message it answers.
pub fn new_ticket_message_id(domain: &str, ticket: TicketId) -> String {
    format!("{OWN_ID_PREFIX}{ticket}.{}", new_message_id(domain))
}

/// The ticket named by one of tix's own Message-IDs
/// ([`new_ticket_message_id`]) in `domain`.
pub fn ticket_of_own_message_id(message_id: &str, domain: &str) -> Option<TicketId> {
    let (local, at) = message_id.rsplit_once('@')?;
    if !at.eq_ignore_ascii_case(domain.trim().trim_start_matches('@')) {
        return None;
    }
    let (id, _) = local.strip_prefix(OWN_ID_PREFIX)?.split_once('.')?;
    id.parse().ok()
}

const OWN_ID_PREFIX: &str = "tix-";

/// A new Message-ID (without angle brackets) in `domain`: the time in
/// milliseconds and 80 random bits, so ids never repeat and sort roughly
/// by time.
pub fn new_message_id(domain: &str) -> String {
    let domain = domain.trim().trim_start_matches('@');
    let domain = if domain.is_empty() {
        DEFAULT_MESSAGE_ID_DOMAIN
    } else {
        domain
    };
    let mut random = [0u8; 10];
    getrandom::fill(&mut random).expect("the operating system gives random bytes");
    let millis = Utc::now().timestamp_millis().max(0);
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("{millis}.{hex}@{domain}")
}

/// Header names [`render`] writes itself; [`Outgoing::headers`] may not
/// set them.
const OWN_HEADERS: [&str; 13] = [
    "from",
    "sender",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "message-id",
    "in-reply-to",
    "references",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
];

/// The message as RFC 5322 bytes, exactly as they are to be sent: CRLF
/// line endings, ASCII only (non-ASCII names and subjects RFC 2047
/// encoded, the body quoted-printable or base64 as lettre finds shorter),
/// multipart/mixed only when there are attachments.
pub fn render(message: &Outgoing) -> Result<Vec<u8>> {
    let subject = truncate_chars(
        one_line(&message.subject, "the subject")?,
        MAX_SUBJECT_CHARS,
    );
    let mut builder = lettre::Message::builder()
        .from(mailbox(&message.from, "From")?)
        .subject(subject)
        .date(SystemTime::from(message.date))
        .message_id(Some(format!(
            "<{}>",
            check_id(&message.message_id, "Message-ID")?
        )));
    if message.to.is_empty() && message.cc.is_empty() {
        return Err(Error::invalid("the message has no recipient (To or Cc)"));
    }
    for p in &message.to {
        builder = builder.to(mailbox(p, "To")?);
    }
    for p in &message.cc {
        builder = builder.cc(mailbox(p, "Cc")?);
    }
    // A message id cannot be folded: one too long for a header line is
    // left out (the subject tag still threads the answer).
    if let Some(id) = message
        .in_reply_to
        .as_ref()
        .filter(|id| id.len() <= MAX_ID_OCTETS)
    {
        builder = builder.in_reply_to(format!("<{}>", check_id(id, "In-Reply-To")?));
    }
    let ids = message
        .references
        .iter()
        .filter(|id| id.len() <= MAX_ID_OCTETS)
        .map(|id| check_id(id, "References").map(|id| format!("<{id}>")))
        .collect::<Result<Vec<_>>>()?;
    if !ids.is_empty() {
        builder = builder.references(ids.join(" "));
    }
    for (name, value) in &message.headers {
        let valid_name = !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_graphic() && b != b':')
            && !OWN_HEADERS.contains(&name.to_ascii_lowercase().as_str());
        let header_name = HeaderName::new_from_ascii(name.clone())
            .ok()
            .filter(|_| valid_name)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "header `{}`: not a name an extra header can have",
                    printable(name.as_bytes())
                ))
            })?;
        let value = one_line(value, &format!("header {name}"))?;
        builder = builder.raw_header(HeaderValue::new(header_name, value.to_string()));
    }
    let text = SinglePart::plain(message.text.clone());
    let built = if message.attachments.is_empty() {
        builder.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(text);
        for a in &message.attachments {
            let content_type = ContentType::parse(&a.content_type).map_err(|_| {
                Error::invalid(format!(
                    "attachment {}: `{}` is not a content type",
                    printable(a.filename.as_bytes()),
                    printable(a.content_type.as_bytes())
                ))
            })?;
            let name = one_line(&a.filename, "an attachment's file name")?;
            parts = parts
                .singlepart(Attachment::new(name.to_string()).body(a.bytes.clone(), content_type));
        }
        builder.multipart(parts)
    };
    let built = built.map_err(|e| Error::invalid(format!("cannot build the message: {e}")))?;
    Ok(built.formatted())
}

fn mailbox(p: &Party, header: &str) -> Result<Mailbox> {
    let email: Address = p.email.parse().map_err(|e| {
        Error::invalid(format!(
            "{header}: `{}` is not an e-mail address ({e})",
            printable(p.email.as_bytes())
        ))
    })?;
    let name = match &p.name {
        Some(n) => Some(truncate_chars(
            one_line(n, &format!("the name of {}", p.email))?,
            MAX_NAME_CHARS,
        )),
        None => None,
    };
    Ok(Mailbox::new(name.filter(|n| !n.trim().is_empty()), email))
}

/// Header lines may not exceed 998 octets (RFC 5322). lettre folds text
/// at spaces and encodes non-ASCII text in RFC 2047 words that it folds,
/// but it cannot fold an unbroken ASCII run: so a subject and a display
/// name are cut to a length whose line fits even unbroken, and message ids
/// (which cannot be folded at all) longer than this are left out.
pub const MAX_SUBJECT_CHARS: usize = 200;
const MAX_NAME_CHARS: usize = 200;
const MAX_ID_OCTETS: usize = 900;

/// `text` cut to at most `max` characters, ending in `…` when it was cut.
pub fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((at, _)) if text[at..].chars().nth(1).is_some() => {
            format!("{}…", text[..at].trim_end())
        }
        _ => text.to_string(),
    }
}

/// `text` when it is one line: a line break in a header value would let
/// the text write headers of its own.
fn one_line<'t>(text: &'t str, what: &str) -> Result<&'t str> {
    if text.contains(['\r', '\n', '\0']) {
        return Err(Error::invalid(format!(
            "{what} contains a line break; it must be a single line"
        )));
    }
    Ok(text)
}

/// A message id (`local@domain`, no angle brackets): printable ASCII
/// without spaces, brackets or a second `@`.
fn check_id<'i>(id: &'i str, header: &str) -> Result<&'i str> {
    let ok = id.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.is_empty()
            && !domain.contains('@')
            && id
                .bytes()
                .all(|b| b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"' | b'\\'))
    });
    if ok {
        Ok(id)
    } else {
        Err(Error::invalid(format!(
            "{header}: `{}` is not a message id (expected local@domain, without <>)",
            printable(id.as_bytes())
        )))
    }
}

/// Hands rendered messages to whatever delivers them.
pub trait Transport {
    /// Delivers `bytes` from `envelope_from` to each of `recipients`, or
    /// fails saying why; on failure the message was not sent (to anyone,
    /// for SMTP: a refused recipient stops the whole message). SMTP
    /// delivers exactly `bytes` when they end with CRLF, as rendered
    /// messages do (its data always ends with a line break).
    fn send(&self, envelope_from: &str, recipients: &[String], bytes: &[u8]) -> Result<()>;

    /// Where mail goes, for messages: `smtp://user@host:587 (starttls)`,
    /// `sendmail: /usr/sbin/sendmail -t -i`, `file: /srv/outbox`.
    fn describe(&self) -> String;
}

/// The transport `mail.outgoing` configures. `store_root` is where a
/// relative `ca_file` or `dir` is found. With a login, the password is
/// fetched now (from its variable or command), so a missing one is found
/// before anything is rendered or recorded.
pub fn transport(config: &MailConfig, store_root: &Path) -> Result<Box<dyn Transport>> {
    let Some(outgoing) = &config.outgoing else {
        return Err(Error::invalid(
            "mail.outgoing is not set: tix does not know how to send mail",
        )
        .with_hint(
            "add a mail.outgoing section to .tix/config.yaml (transport: smtp, sendmail or file)",
        ));
    };
    let timeout = Duration::from_secs(outgoing.timeout_secs());
    match outgoing.transport {
        OutgoingTransport::Smtp => Ok(Box::new(SmtpSender::new(outgoing, store_root)?)),
        OutgoingTransport::Sendmail => Ok(Box::new(SendmailSender {
            command: outgoing.command().to_string(),
            dir: store_root.to_path_buf(),
            timeout,
        })),
        OutgoingTransport::File => {
            let dir = outgoing.dir.as_deref().ok_or_else(|| {
                Error::invalid("mail.outgoing.dir: transport file needs a directory")
            })?;
            Ok(Box::new(FileSender {
                dir: store_root.join(dir),
                store_root: store_root.to_path_buf(),
            }))
        }
    }
}

// ----------------------------------------------------------------- SMTP

/// An SMTP server. One connection per message: sending is rare enough
/// that keeping a connection open buys nothing.
struct SmtpSender {
    host: String,
    port: u16,
    tls: TlsMode,
    /// None only with `tls: plain`.
    tls_parameters: Option<TlsParameters>,
    login: Option<(String, Secret)>,
    timeout: Duration,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSender")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.login.as_ref().map(|(user, _)| user))
            .field("password", &self.login.as_ref().map(|(_, p)| p))
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Where in the conversation something failed, for the error's kind and
/// wording.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Connect,
    StartTls,
    Login,
    Sender,
    Recipient,
    Data,
}

impl SmtpSender {
    fn new(outgoing: &MailOutgoing, root: &Path) -> Result<SmtpSender> {
        const KEY: &str = "mail.outgoing";
        let host = outgoing
            .host
            .clone()
            .ok_or_else(|| Error::invalid(format!("{KEY}.host: transport smtp needs a server")))?;
        let tls = outgoing.tls();
        if tls == TlsMode::Plain && !outgoing.allow_plaintext {
            return Err(Error::invalid(format!(
                "{KEY}.tls: plain needs allow_plaintext: true"
            )));
        }
        let tls_parameters = match tls {
            TlsMode::Plain => None,
            TlsMode::Implicit | TlsMode::Starttls => {
                let mut builder = TlsParameters::builder(host.clone());
                if let Some(ca) = &outgoing.ca_file {
                    for cert in tls::load_ca_file(&root.join(ca))? {
                        let cert = Certificate::from_der(cert.as_ref().to_vec()).map_err(|e| {
                            tls::ca_file_error(&root.join(ca), format!("unusable certificate: {e}"))
                        })?;
                        builder = builder.add_root_certificate(cert);
                    }
                }
                Some(builder.build_rustls().map_err(|e| {
                    Error::invalid(format!("{KEY}: cannot set up TLS for {host}: {e}"))
                })?)
            }
        };
        let login = match &outgoing.user {
            Some(user) => {
                let password = super::password::resolve_from(
                    KEY,
                    outgoing.password_env.as_deref(),
                    outgoing.password_command.as_deref(),
                )?;
                Some((user.clone(), Secret::new(password)))
            }
            None => None,
        };
        Ok(SmtpSender {
            host,
            port: outgoing.port(),
            tls,
            tls_parameters,
            login,
            timeout: Duration::from_secs(outgoing.timeout_secs()),
        })
    }

    /// `host:port`, with brackets around an IPv6 address.
    fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    fn error(&self, stage: Stage, what: &str, e: &lettre::transport::smtp::Error) -> Error {
        let label = format!("SMTP server {}", self.address());
        if let Some(code) = e.status() {
            let reply = std::error::Error::source(e)
                .map(|s| printable(s.to_string().as_bytes()))
                .unwrap_or_default();
            let detail = format!("{what}: the server answered {code} {reply}");
            let login_wanted = stage == Stage::Sender && code.to_string() == "530";
            let kind = match (stage, e.is_permanent()) {
                (Stage::Login, true) => ErrorKind::AuthFailed,
                _ if login_wanted => ErrorKind::AuthFailed,
                (Stage::Sender | Stage::Recipient | Stage::Data, true) => ErrorKind::Invalid,
                _ => ErrorKind::Network,
            };
            let err = Error::new(kind, format!("{label}: {detail}"));
            return match kind {
                ErrorKind::AuthFailed if login_wanted => err.with_hint(
                    "the server wants a login first: set mail.outgoing.user and its password",
                ),
                ErrorKind::AuthFailed => {
                    err.with_hint("check mail.outgoing.user and the password it is given")
                }
                ErrorKind::Network => {
                    err.with_hint("the server refused for now; sending again later may work")
                }
                _ => err,
            };
        }
        let (detail, certificate) = describe_failure(e, self.timeout);
        let err = Error::new(ErrorKind::Network, format!("{label}: {what}: {detail}"));
        if certificate {
            err.with_hint(
                "if the server uses a self-signed certificate or a private CA, give that \
                 CA's certificate (PEM) as mail.outgoing.ca_file",
            )
        } else if stage == Stage::Connect
            && self.tls == TlsMode::Implicit
            && detail.starts_with("TLS failed")
        {
            err.with_hint(
                "tls: implicit expects TLS from the first byte (usually port 465); a server \
                 on port 587 or 25 wants tls: starttls",
            )
        } else {
            err
        }
    }
}

/// What went wrong below the SMTP replies, and whether it was the
/// server's certificate.
fn describe_failure(e: &lettre::transport::smtp::Error, timeout: Duration) -> (String, bool) {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if let Some(tls_error) = tls::tls_error(io) {
                return match tls_error {
                    rustls::Error::InvalidCertificate(cert) => (
                        format!(
                            "TLS certificate rejected: {}",
                            tls::describe_certificate_error(cert)
                        ),
                        true,
                    ),
                    other => (format!("TLS failed: {other}"), false),
                };
            }
            use std::io::ErrorKind as K;
            let text = match io.kind() {
                K::ConnectionRefused => {
                    "connection refused (is the server running, and is this its port?)".into()
                }
                K::TimedOut | K::WouldBlock => {
                    format!("timed out after {} s", timeout.as_secs_f64())
                }
                K::UnexpectedEof | K::BrokenPipe => "the server closed the connection".into(),
                K::ConnectionReset | K::ConnectionAborted => {
                    "the server reset the connection".into()
                }
                _ => io.to_string(),
            };
            return (text, false);
        }
        if let Some(tls_error) = s.downcast_ref::<rustls::Error>() {
            return (format!("TLS failed: {tls_error}"), false);
        }
        source = s.source();
    }
    if e.is_timeout() {
        return (
            format!("timed out after {} s", timeout.as_secs_f64()),
            false,
        );
    }
    (printable(e.to_string().as_bytes()), false)
}

impl Transport for SmtpSender {
    fn send(&self, envelope_from: &str, recipients: &[String], bytes: &[u8]) -> Result<()> {
        if recipients.is_empty() {
            return Err(Error::invalid("the message has no recipient"));
        }
        let parse = |address: &str, role: &str| -> Result<Address> {
            address.parse().map_err(|e| {
                Error::invalid(format!(
                    "{role} `{}` is not an e-mail address ({e})",
                    printable(address.as_bytes())
                ))
            })
        };
        let from = parse(envelope_from, "the envelope sender")?;
        let to = recipients
            .iter()
            .map(|r| parse(r, "the recipient"))
            .collect::<Result<Vec<_>>>()?;
        let hello = ClientId::default();
        let implicit = match self.tls {
            TlsMode::Implicit => self.tls_parameters.as_ref(),
            _ => None,
        };
        let mut conn = SmtpConnection::connect(
            (self.host.as_str(), self.port),
            Some(self.timeout),
            &hello,
            implicit,
            None,
        )
        .map_err(|e| self.error(Stage::Connect, "cannot connect", &e))?;
        let result = self.converse(&mut conn, &hello, &from, &to, bytes);
        // QUIT, and close the socket. After the server took the message,
        // a failure here changes nothing: it is sent.
        conn.abort();
        result
    }

    fn describe(&self) -> String {
        let scheme = match self.tls {
            TlsMode::Implicit => "smtps",
            _ => "smtp",
        };
        let user = match &self.login {
            Some((user, _)) => format!("{user}@"),
            None => String::new(),
        };
        let tls = match self.tls {
            TlsMode::Implicit => "implicit TLS",
            TlsMode::Starttls => "STARTTLS",
            TlsMode::Plain => "no TLS",
        };
        format!("{scheme}://{user}{} ({tls})", self.address())
    }
}

impl SmtpSender {
    fn converse(
        &self,
        conn: &mut SmtpConnection,
        hello: &ClientId,
        from: &Address,
        to: &[Address],
        bytes: &[u8],
    ) -> Result<()> {
        let label = format!("SMTP server {}", self.address());
        if self.tls == TlsMode::Starttls {
            if !conn.can_starttls() {
                return Err(Error::new(
                    ErrorKind::Network,
                    format!(
                        "{label}: the server does not offer STARTTLS; refusing to send without TLS"
                    ),
                )
                .with_hint("check mail.outgoing.port and tls (implicit TLS is usually port 465)"));
            }
            let params = self.tls_parameters.as_ref().expect("made for STARTTLS");
            conn.starttls(params, hello)
                .map_err(|e| self.error(Stage::StartTls, "STARTTLS", &e))?;
        }
        if let Some((user, password)) = &self.login {
            let mechanisms = [Mechanism::Plain, Mechanism::Login];
            if conn.server_info().get_auth_mechanism(&mechanisms).is_none() {
                return Err(Error::new(
                    ErrorKind::AuthFailed,
                    format!("{label}: the server offers no login method tix knows (PLAIN, LOGIN)"),
                )
                .with_hint("remove mail.outgoing.user if this server takes mail without a login"));
            }
            let credentials = Credentials::new(user.clone(), password.expose().to_string());
            conn.auth(&mechanisms, &credentials)
                .map_err(|e| self.error(Stage::Login, &format!("login as {user}"), &e))?;
        }
        let mut options = Vec::new();
        let non_ascii_address = !is_ascii(from) || to.iter().any(|a| !is_ascii(a));
        if non_ascii_address {
            if !conn.server_info().supports_feature(Extension::SmtpUtfEight) {
                return Err(Error::invalid(format!(
                    "{label}: an address is not ASCII and the server does not support SMTPUTF8"
                )));
            }
            options.push(MailParameter::SmtpUtfEight);
        }
        if !bytes.is_ascii() {
            if !conn.server_info().supports_feature(Extension::EightBitMime) {
                return Err(Error::invalid(format!(
                    "{label}: the message is not ASCII and the server does not support 8BITMIME"
                )));
            }
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        conn.command(Mail::new(Some(from.clone()), options))
            .map_err(|e| self.error(Stage::Sender, &format!("sender {from} refused"), &e))?;
        for address in to {
            conn.command(Rcpt::new(address.clone(), Vec::new()))
                .map_err(|e| {
                    let err = self.error(
                        Stage::Recipient,
                        &format!("recipient {address} refused"),
                        &e,
                    );
                    Error::new(
                        err.kind(),
                        format!("{}; the message was not sent", err.message()),
                    )
                })?;
        }
        conn.command(Data)
            .map_err(|e| self.error(Stage::Data, "DATA", &e))?;
        // lettre ends the data with CRLF "." CRLF; that first CRLF ends
        // the last line, so a message ending in CRLF (as rendered ones
        // do) is handed over without it, or the server would receive an
        // extra empty line.
        let data = bytes.strip_suffix(b"\r\n").unwrap_or(bytes);
        conn.message(data)
            .map_err(|e| self.error(Stage::Data, "the message was refused", &e))?;
        Ok(())
    }
}

fn is_ascii(address: &Address) -> bool {
    AsRef::<str>::as_ref(address).is_ascii()
}

// ------------------------------------------------------------- sendmail

/// A local command that reads the message on its standard input
/// (`sendmail -t -i`), run by `sh -c` in the store's root with the
/// envelope in `TIX_ENVELOPE_FROM` and `TIX_RECIPIENTS` (space-separated)
/// for commands that want it.
#[derive(Debug)]
struct SendmailSender {
    command: String,
    dir: PathBuf,
    timeout: Duration,
}

/// How much of the command's error output is kept for the message.
const MAX_STDERR: usize = 4096;

impl Transport for SendmailSender {
    fn send(&self, envelope_from: &str, recipients: &[String], bytes: &[u8]) -> Result<()> {
        use std::os::unix::process::CommandExt;
        let label = format!("mail.outgoing.command `{}`", self.command);
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(&self.command)
            .current_dir(&self.dir)
            .env("TIX_ENVELOPE_FROM", envelope_from)
            .env("TIX_RECIPIENTS", recipients.join(" "))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            // Its own process group, so a timeout stops whatever it started.
            .process_group(0)
            .spawn()
            .map_err(|e| Error::invalid(format!("{label}: cannot run `sh`: {e}")))?;
        let mut stdin = child.stdin.take().expect("piped");
        let input = bytes.to_vec();
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let mut stderr = child.stderr.take().expect("piped");
        let reader = std::thread::spawn(move || {
            let mut kept = Vec::new();
            let mut chunk = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                let room = MAX_STDERR.saturating_sub(kept.len());
                kept.extend_from_slice(&chunk[..n.min(room)]);
            }
            kept
        });
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Ok(None) => {
                    // The group we made for it: the command and its children.
                    if let Ok(pid) = i32::try_from(child.id()) {
                        // SAFETY: kill(2) with a negative pid signals that
                        // process group; no memory is involved.
                        unsafe {
                            libc::kill(-pid, libc::SIGKILL);
                        }
                    }
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(Error::new(
                        ErrorKind::Network,
                        format!(
                            "{label} did not finish within {} s and was stopped; the message may not have been sent",
                            self.timeout.as_secs_f64()
                        ),
                    ));
                }
                Err(e) => {
                    return Err(Error::internal(format!("{label}: cannot wait for it: {e}")));
                }
            }
        };
        let written = writer.join().unwrap_or(Ok(()));
        let stderr = reader.join().unwrap_or_default();
        let stderr = printable(String::from_utf8_lossy(&stderr).trim().as_bytes());
        let said = if stderr.is_empty() {
            String::new()
        } else {
            format!(": {stderr}")
        };
        if !status.success() {
            return Err(Error::new(
                ErrorKind::Network,
                format!("{label} failed ({status}){said}"),
            ));
        }
        if let Err(e) = written {
            return Err(Error::new(
                ErrorKind::Network,
                format!("{label} did not read the whole message ({e}){said}"),
            ));
        }
        Ok(())
    }

    fn describe(&self) -> String {
        format!("sendmail: {}", self.command)
    }
}

// ----------------------------------------------------------------- file

/// A directory: each message becomes `<message-id>.eml`, written to a
/// temporary name and renamed, so a reader never sees half a message.
#[derive(Debug)]
struct FileSender {
    dir: PathBuf,
    /// Whose work tree the directory must stay out of.
    store_root: PathBuf,
}

impl Transport for FileSender {
    fn send(&self, _envelope_from: &str, _recipients: &[String], bytes: &[u8]) -> Result<()> {
        let id = mail_parser::MessageParser::default()
            .parse_headers(bytes)
            .and_then(|m| m.message_id().map(str::to_string))
            .unwrap_or_else(|| super::parse::synthetic_message_id(bytes));
        let name = format!("{}.eml", file_name(&id));
        std::fs::create_dir_all(&self.dir)
            .context(|| format!("cannot create {}", self.dir.display()))?;
        keep_out_of_git(&self.store_root, &self.dir)?;
        let path = self.dir.join(&name);
        let tmp = self.dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let written = std::fs::File::create(&tmp)
            .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
            .and_then(|()| std::fs::rename(&tmp, &path))
            // Delivered means findable after a crash: the name too.
            .and_then(|()| std::fs::File::open(&self.dir).and_then(|d| d.sync_all()));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written.context(|| format!("cannot write {}", path.display()))
    }

    fn describe(&self) -> String {
        format!("file: {}", self.dir.display())
    }
}

/// Mail written into the store's work tree would show in `git status`
/// and be one `git add -A` away from being committed and pushed: a
/// directory there that git does not already ignore is added to the
/// repository's `info/exclude` (local to this clone, never committed).
fn keep_out_of_git(store_root: &Path, dir: &Path) -> Result<()> {
    let Ok(repo) = git2::Repository::discover(store_root) else {
        return Ok(());
    };
    let Some(workdir) = repo.workdir() else {
        return Ok(());
    };
    let canonical =
        |p: &Path| std::fs::canonicalize(p).context(|| format!("cannot open {}", p.display()));
    let (workdir, dir) = (canonical(workdir)?, canonical(dir)?);
    let git_dir = canonical(repo.path())?;
    let Ok(rel) = dir.strip_prefix(&workdir) else {
        return Ok(());
    };
    if dir.starts_with(&git_dir) {
        return Ok(());
    }
    let rel = rel.to_string_lossy().replace('\\', "/");
    if rel.is_empty() {
        return Err(Error::invalid(format!(
            "mail.outgoing.dir: {} is the root of the repository's work tree; mail would land beside the tickets",
            dir.display()
        ))
        .with_hint("use a directory of its own, such as outbox-mail"));
    }
    let probe = format!("{rel}/message.eml");
    if repo.is_path_ignored(&probe).unwrap_or(false) {
        return Ok(());
    }
    let escaped: String = rel
        .chars()
        .flat_map(|c| {
            let special = matches!(c, '*' | '?' | '[' | ']' | '\\' | '!' | '#' | ' ');
            special.then_some('\\').into_iter().chain([c])
        })
        .collect();
    let exclude = git_dir.join(crate::store::layout::GIT_INFO_EXCLUDE_FILE);
    let mut text = std::fs::read_to_string(&exclude).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!(
        "# mail written by tix's file transport (mail.outgoing.dir)\n/{escaped}/\n"
    ));
    if let Some(parent) = exclude.parent() {
        std::fs::create_dir_all(parent)
            .context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&exclude, text).context(|| format!("cannot write {}", exclude.display()))
}

/// A message id made safe as a file name: no separators, no leading dot,
/// bounded length.
fn file_name(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "@._+=-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(200)
        .collect();
    let cleaned = cleaned.trim_start_matches('.');
    if cleaned.is_empty() {
        "message".to_string()
    } else {
        cleaned.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_unique_and_well_formed() {
        let a = new_message_id("tix.example.org");
        let b = new_message_id("@tix.example.org");
        assert_ne!(a, b);
        assert!(a.ends_with("@tix.example.org") && b.ends_with("@tix.example.org"));
        assert!(check_id(&a, "Message-ID").is_ok());
        assert!(new_message_id(" ").ends_with("@tix.invalid"));
        let ticket: TicketId = "7K3F9Q2M".parse().unwrap();
        let ours = new_ticket_message_id("tix.example.org", ticket);
        assert_eq!(
            ticket_of_own_message_id(&ours, "tix.example.org"),
            Some(ticket)
        );
        assert_eq!(ticket_of_own_message_id(&ours, "elsewhere.org"), None);
        assert_eq!(
            ticket_of_own_message_id("tix-nonsense@tix.example.org", "tix.example.org"),
            None
        );
    }

    #[test]
    fn truncates_on_character_boundaries() {
        assert_eq!(truncate_chars("abc", 3), "abc");
        assert_eq!(truncate_chars("abcd", 3), "ab…");
        assert_eq!(truncate_chars("ééééé", 4), "ééé…");
        assert_eq!(truncate_chars("ab  cd", 4), "ab…");
        assert_eq!(truncate_chars("", 3), "");
    }

    #[test]
    fn file_names_from_ids_are_safe() {
        assert_eq!(file_name("a1.b@x.org"), "a1.b@x.org");
        assert_eq!(file_name("../../etc/passwd@x"), "_.._etc_passwd@x");
        assert_eq!(file_name("..."), "message");
    }

    #[test]
    fn smtp_debug_hides_the_password() {
        let sender = SmtpSender {
            host: "smtp.example.com".into(),
            port: 587,
            tls: TlsMode::Plain,
            tls_parameters: None,
            login: Some(("help".into(), Secret::new("hunter2"))),
            timeout: Duration::from_secs(30),
        };
        let shown = format!("{sender:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("help"), "{shown}");
        assert_eq!(
            sender.describe(),
            "smtp://help@smtp.example.com:587 (no TLS)"
        );
    }
}
