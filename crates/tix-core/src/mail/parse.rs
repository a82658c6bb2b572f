//! Turning raw message bytes into what filing needs, with everything
//! decoded to UTF-8 and owned, so the parser's borrows end here.

use git2::{ObjectType, Oid};
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::{Address, HeaderValue, MessageParser, MimeHeaders};

use super::classify::{Noise, NoiseKind, OwnMarks, classify};
use crate::domain::{Party, Timestamp};

/// A parsed inbound message.
#[derive(Clone, Debug)]
pub struct InboundMail {
    /// Without angle brackets.
    pub message_id: String,
    /// The message had no Message-ID; `message_id` was derived from its
    /// bytes, so importing it again still finds it.
    pub synthetic_id: bool,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    /// None when the From header holds no usable address.
    pub from: Option<Party>,
    pub to: Vec<Party>,
    pub cc: Vec<Party>,
    /// The addresses the delivering servers say it was for
    /// (`Delivered-To`, `X-Original-To`, `Envelope-To`): a Bcc to a
    /// department shows only there.
    pub delivered_to: Vec<String>,
    pub subject: String,
    /// The Date header, if present and parseable (not yet checked for sense).
    pub date: Option<Timestamp>,
    /// The text, decoded; HTML-only mail converted to text.
    pub text: String,
    /// The HTML body, kept when the text had to be derived from it.
    pub html: Option<String>,
    pub attachments: Vec<MailAttachment>,
    pub noise: Option<Noise>,
    /// MIME parts, the message itself and nested messages' parts included.
    pub parts: usize,
    /// For a bounce: what it says of the message that could not be
    /// delivered (empty otherwise).
    pub returned: Returned,
}

/// The headers of the message a bounce returns, from its `message/rfc822`
/// or `text/rfc822-headers` part, or from header lines quoted in its text
/// (as Exim and qmail return the original).
#[derive(Clone, Debug, Default)]
pub struct Returned {
    pub message_id: Option<String>,
    /// Its In-Reply-To and References, newest first.
    pub thread: Vec<String>,
    pub subject: Option<String>,
    /// What the delivery report says went wrong: its `Final-Recipient`,
    /// `Status`, `Diagnostic-Code` lines, or `X-Failed-Recipients`.
    pub diagnostic: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct MailAttachment {
    /// The name the sender gave, if any (decoded, unsanitised).
    pub name: Option<String>,
    /// `type/subtype`.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The synthetic Message-ID of a message that has none: its git blob id,
/// so it is stable across imports and clones.
pub fn synthetic_message_id(raw: &[u8]) -> String {
    let oid = Oid::hash_object(ObjectType::Blob, raw).unwrap_or(Oid::ZERO_SHA1);
    format!("{oid}@tix.invalid")
}

/// Parses one message. Errors say why it cannot be filed.
pub fn parse(raw: &[u8], own: &OwnMarks) -> Result<InboundMail, String> {
    parse_limited(raw, own, usize::MAX)
}

/// Like [`parse`], but a message with more than `max_parts` MIME parts is
/// not taken apart: its attachments are not copied out (it will be
/// quarantined whole), only `parts` says how many there are.
pub fn parse_limited(raw: &[u8], own: &OwnMarks, max_parts: usize) -> Result<InboundMail, String> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err("empty message".into());
    }
    // Some real mail arrives with blank or whitespace-only lines before the
    // headers; skip them rather than refuse the message.
    let start = raw
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|first| {
            raw[..first]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |nl| nl + 1)
        })
        .unwrap_or(0);
    // Old Mac mail ends lines with a bare CR, which mail-parser reads as
    // one endless header; such bytes are parsed with CRLF instead.
    let converted;
    let bytes = if raw.contains(&b'\r') && !raw.contains(&b'\n') {
        converted = raw[start..]
            .iter()
            .flat_map(|b| {
                if *b == b'\r' {
                    &b"\r\n"[..]
                } else {
                    std::slice::from_ref(b)
                }
            })
            .copied()
            .collect::<Vec<u8>>();
        &converted[..]
    } else {
        &raw[start..]
    };
    let transcoded = utf8_headers(bytes);
    let bytes = transcoded.as_deref().unwrap_or(bytes);
    let joined = joined_encoded_words(bytes);
    let bytes = joined.as_deref().unwrap_or(bytes);
    let msg = MessageParser::default()
        .parse(bytes)
        .ok_or("not an RFC 5322 message (no headers could be read)")?;
    if msg.headers().is_empty() {
        return Err("not an RFC 5322 message (no headers)".into());
    }
    let (message_id, synthetic_id) = match msg.message_id().map(clean_id).filter(|s| !s.is_empty())
    {
        Some(id) => (id, false),
        None => (synthetic_message_id(raw), true),
    };
    let from = msg
        .from()
        .and_then(first_party)
        .or_else(|| msg.sender().and_then(first_party));
    let mut text = String::new();
    let mut html_only = false;
    for i in 0..msg.text_body_count() {
        if let Some(part) = msg.text_part(i as u32) {
            html_only |= part.is_text_html();
        }
        if let Some(t) = msg.body_text(i) {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&t);
        }
    }
    let html = if html_only || (text.is_empty() && msg.html_body_count() > 0) {
        let mut html = String::new();
        for i in 0..msg.html_body_count() {
            if let Some(h) = msg.body_html(i) {
                html.push_str(&h);
            }
        }
        if text.is_empty() {
            text = msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
        }
        (!html.is_empty()).then_some(html)
    } else {
        None
    };
    let parts = msg.parts.len()
        + msg
            .attachments()
            .filter_map(|a| a.message())
            .map(|m| m.parts.len())
            .sum::<usize>();
    let attachments = msg
        .attachments()
        .take(if parts > max_parts { 0 } else { usize::MAX })
        .map(|part| MailAttachment {
            name: part.attachment_name().map(str::to_string),
            content_type: part
                .content_type()
                .map(|ct| match ct.subtype() {
                    Some(sub) => format!("{}/{sub}", ct.ctype()),
                    None => ct.ctype().to_string(),
                })
                .unwrap_or_else(|| {
                    if part.is_message() {
                        "message/rfc822"
                    } else {
                        "application/octet-stream"
                    }
                    .to_string()
                })
                .to_ascii_lowercase(),
            bytes: part.contents().to_vec(),
        })
        .collect();
    let noise = classify(&msg, own);
    let returned = match &noise {
        Some(n) if n.kind == NoiseKind::Bounce => Returned {
            diagnostic: diagnostic(bytes),
            ..returned(&msg, bytes)
        },
        _ => Returned::default(),
    };
    Ok(InboundMail {
        returned,
        message_id,
        synthetic_id,
        in_reply_to: ids(msg.in_reply_to()),
        references: ids(msg.references()),
        from,
        to: msg.to().map(parties).unwrap_or_default(),
        cc: msg.cc().map(parties).unwrap_or_default(),
        delivered_to: envelope_recipients(&msg),
        subject: msg.subject().map(clean_line).unwrap_or_default(),
        date: msg
            .date()
            .filter(|d| d.is_valid())
            .and_then(|d| chrono::DateTime::from_timestamp(d.to_timestamp(), 0))
            .map(Timestamp::new),
        // Entry files are text in a git repository: one line ending. The
        // original keeps the message's own.
        text: text.replace('\0', "").replace("\r\n", "\n"),
        html,
        attachments,
        noise,
        parts,
    })
}

/// The most envelope recipients read off a message's headers.
const MAX_ENVELOPE_RECIPIENTS: usize = 32;

/// The addresses of the headers delivering servers add for the envelope
/// recipient, in order, at most [`MAX_ENVELOPE_RECIPIENTS`].
fn envelope_recipients(msg: &mail_parser::Message<'_>) -> Vec<String> {
    const NAMES: [&str; 4] = [
        "delivered-to",
        "x-original-to",
        "envelope-to",
        "x-envelope-to",
    ];
    let mut out: Vec<String> = Vec::new();
    for (name, value) in msg.headers_raw() {
        if !NAMES.iter().any(|n| name.eq_ignore_ascii_case(n)) {
            continue;
        }
        for one in value.split(',') {
            let one = one
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .trim();
            if out.len() >= MAX_ENVELOPE_RECIPIENTS {
                return out;
            }
            if one.contains('@')
                && !one.contains(char::is_whitespace)
                && !out.iter().any(|o| o.eq_ignore_ascii_case(one))
            {
                out.push(one.to_string());
            }
        }
    }
    out
}

/// RFC 5322 headers are ASCII, but real mail puts raw 8-bit text in them
/// (a Latin-1 subject, a Shift_JIS name), which mail-parser would read as
/// UTF-8 and turn into U+FFFD. Such header lines are decoded in the charset
/// the message declares for its text, or as Latin-1 when it declares none
/// or that charset cannot be it; None when every header line is UTF-8.
fn utf8_headers(raw: &[u8]) -> Option<Vec<u8>> {
    let end = header_end(raw);
    let header = &raw[..end];
    if std::str::from_utf8(header).is_ok() {
        return None;
    }
    let latin1 = charset_decoder(b"iso-8859-1")?;
    let decoder = declared_charset(raw)
        .filter(|c| !c.eq_ignore_ascii_case("utf-8") && !c.eq_ignore_ascii_case("us-ascii"))
        .and_then(|c| charset_decoder(c.as_bytes()))
        // Only a charset that leaves ASCII alone keeps header names and
        // encoded words intact (not UTF-16, say).
        .filter(|d| d(b"Subject: =?x?=") == "Subject: =?x?=")
        .unwrap_or(latin1);
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 8);
    for line in header.split_inclusive(|b| *b == b'\n') {
        if std::str::from_utf8(line).is_ok() {
            out.extend_from_slice(line);
        } else {
            out.extend_from_slice(decoder(line).as_bytes());
        }
    }
    out.extend_from_slice(&raw[end..]);
    Some(out)
}

/// Real mail splits one character over two encoded words
/// (`=?utf-8?Q?_omre=C5?= =?utf-8?Q?=BEje?=`), which decoded one by one
/// gives U+FFFD. Adjacent words of the same charset and encoding, with only
/// white space between them (which RFC 2047 ignores), are joined into one
/// word before parsing; None when there are none to join.
fn joined_encoded_words(raw: &[u8]) -> Option<Vec<u8>> {
    /// `=?charset?E?text?=` at the start of `b`: (charset, E, text, length).
    fn word(b: &[u8]) -> Option<(&[u8], u8, &[u8], usize)> {
        let rest = b.strip_prefix(b"=?")?;
        let q1 = rest.iter().position(|c| *c == b'?')?;
        let charset = &rest[..q1];
        let enc = (*rest.get(q1 + 1)?).to_ascii_uppercase();
        if !(enc == b'Q' || enc == b'B') || rest.get(q1 + 2) != Some(&b'?') {
            return None;
        }
        let text_start = q1 + 3;
        let len = rest[text_start..].windows(2).position(|w| w == b"?=")?;
        let text = &rest[text_start..text_start + len];
        if charset.is_empty() || text.iter().any(|c| c.is_ascii_whitespace()) {
            return None;
        }
        Some((charset, enc, text, 2 + text_start + len + 2))
    }
    let base = |c: &[u8]| -> Vec<u8> {
        let end = c.iter().position(|b| *b == b'*').unwrap_or(c.len());
        c[..end].to_ascii_lowercase()
    };
    let end = header_end(raw);
    let header = &raw[..end];
    let mut out = Vec::with_capacity(raw.len());
    let mut joined_any = false;
    let mut i = 0;
    while i < header.len() {
        let Some((charset, enc, text, len)) = word(&header[i..]) else {
            out.push(header[i]);
            i += 1;
            continue;
        };
        let mut text = text.to_vec();
        let mut next = i + len;
        loop {
            // White space between the words, folding included.
            let mut j = next;
            while j < header.len() && matches!(header[j], b' ' | b'\t' | b'\r' | b'\n') {
                if header[j] == b'\n' && !matches!(header.get(j + 1), Some(b' ' | b'\t')) {
                    break;
                }
                j += 1;
            }
            if j == next || j >= header.len() || header[j] == b'\n' {
                break;
            }
            let Some((cs2, enc2, text2, len2)) = word(&header[j..]) else {
                break;
            };
            // Base64 joins only on a whole quantum without padding.
            let b_ok = enc == b'B' && text.len() % 4 == 0 && !text.contains(&b'=');
            // Stateful charsets end every word in ASCII (RFC 1468), and
            // joined words would put two escapes in a row, an error.
            let stateful = base(charset).starts_with(b"iso-2022") || base(charset) == b"utf-7";
            if stateful || base(cs2) != base(charset) || enc2 != enc || !(enc == b'Q' || b_ok) {
                break;
            }
            text.extend_from_slice(text2);
            next = j + len2;
            joined_any = true;
        }
        out.extend_from_slice(b"=?");
        out.extend_from_slice(charset);
        out.extend_from_slice(&[b'?', enc, b'?']);
        out.extend_from_slice(&text);
        out.extend_from_slice(b"?=");
        i = next;
    }
    if !joined_any {
        return None;
    }
    out.extend_from_slice(&raw[end..]);
    Some(out)
}

/// Where the header block ends (after its blank line), or the whole.
fn header_end(raw: &[u8]) -> usize {
    let mut at = 0;
    for line in raw.split_inclusive(|b| *b == b'\n') {
        at += line.len();
        if line == b"\n" || line == b"\r\n" {
            return at;
        }
    }
    raw.len()
}

/// The first `charset=` of the message's Content-Type headers (the
/// message's own, or for multipart mail its first part's).
fn declared_charset(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&raw[..raw.len().min(64 * 1024)]);
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find("content-type:") {
        let start = from + pos;
        // The header with its folded continuation lines.
        let mut end = start;
        for line in lower[start..].split_inclusive('\n') {
            if end > start && !line.starts_with([' ', '\t']) {
                break;
            }
            end += line.len();
        }
        let value = &lower[start..end];
        if let Some(at) = value.find("charset=") {
            let rest = value[at + 8..].trim_start_matches(['"', '\'']);
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "-_:.".contains(*c))
                .collect();
            if !name.is_empty() {
                return Some(name);
            }
        }
        from = end.max(start + 1);
    }
    None
}

/// What a bounce says of the message it returns.
fn returned(msg: &mail_parser::Message<'_>, raw: &[u8]) -> Returned {
    let from_message = |m: &mail_parser::Message<'_>| Returned {
        message_id: m.message_id().map(clean_id).filter(|s| !s.is_empty()),
        thread: ids(m.in_reply_to())
            .into_iter()
            .chain(ids(m.references()).into_iter().rev())
            .collect(),
        subject: m.subject().map(clean_line),
        diagnostic: Vec::new(),
    };
    for part in msg.parts.iter().skip(1) {
        if let Some(m) = part.message() {
            return from_message(m);
        }
        let headers_only = part.content_type().is_some_and(|ct| {
            ct.subtype().is_some_and(|s| {
                s.eq_ignore_ascii_case("rfc822-headers") || s.eq_ignore_ascii_case("global-headers")
            })
        });
        if headers_only
            && let Some(m) = MessageParser::default().parse(part.contents())
            && !m.headers().is_empty()
        {
            return from_message(&m);
        }
    }
    // Header lines quoted in the text, after the bounce's own header.
    let body = String::from_utf8_lossy(&raw[header_end(raw)..]);
    let mut out = Returned::default();
    let mut lines = body.lines().peekable();
    while let Some(line) = lines.next() {
        let Some((name, value)) = line.trim_start_matches(['>', ' ']).split_once(':') else {
            continue;
        };
        let mut value = value.to_string();
        while let Some(next) = lines.peek().filter(|l| l.starts_with([' ', '\t'])) {
            value.push_str(next);
            lines.next();
        }
        let found: Vec<String> = value
            .split(['<', '>', ' ', ','])
            .filter(|w| w.contains('@'))
            .map(|w| w.trim().to_string())
            .collect();
        match name.trim().to_ascii_lowercase().as_str() {
            "message-id" if out.message_id.is_none() => out.message_id = found.into_iter().next(),
            "in-reply-to" | "references" => out.thread.extend(found.into_iter().rev()),
            "subject" if out.subject.is_none() => out.subject = Some(clean_line(&value)),
            _ => {}
        }
    }
    out
}

/// The lines of a delivery report that say what failed, first of each.
fn diagnostic(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(&raw[..raw.len().min(256 * 1024)]);
    let mut out: Vec<String> = Vec::new();
    for name in [
        "X-Failed-Recipients",
        "Final-Recipient",
        "Status",
        "Diagnostic-Code",
    ] {
        let found = text.lines().find(|l| {
            l.get(..name.len() + 1)
                .is_some_and(|p| p.eq_ignore_ascii_case(&format!("{name}:")))
        });
        if let Some(line) = found {
            let line = clean_line(line);
            out.push(crate::mail::send::truncate_chars(&line, 300));
        }
    }
    out
}

fn clean_id(s: &str) -> String {
    s.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_string()
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    let mut out: Vec<String> = match value {
        HeaderValue::Text(t) => t.split_whitespace().map(clean_id).collect(),
        HeaderValue::TextList(list) => list
            .iter()
            .flat_map(|t| t.split_whitespace().map(clean_id))
            .collect(),
        _ => Vec::new(),
    };
    out.retain(|s| !s.is_empty());
    out
}

/// One line without control characters: subjects become file content and
/// table cells.
fn clean_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn to_party(name: Option<&str>, address: Option<&str>) -> Option<Party> {
    let email = address?.trim();
    let name = name
        .map(clean_line)
        .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(email));
    let text = match &name {
        Some(n) => format!("{n} <{email}>"),
        None => email.to_string(),
    };
    Party::parse(&text)
        .ok()
        .or_else(|| Party::parse(email).ok().map(|p| Party { name, ..p }))
}

fn first_party(addr: &Address<'_>) -> Option<Party> {
    addr.iter().find_map(|a| to_party(a.name(), a.address()))
}

fn parties(addr: &Address<'_>) -> Vec<Party> {
    addr.iter()
        .filter_map(|a| to_party(a.name(), a.address()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_split_over_two_encoded_words_is_decoded_whole() {
        let raw = b"From: a@example.com\r\nSubject: =?iso-8859-2*sl?Q?Doma=e8e?=\r\n =?utf-8*sl?Q?_omre=C5?=\r\n    =?Utf-8*SL?q?=BEje?=\r\nMessage-ID: <s@x>\r\n\r\nbody\r\n";
        let m = parse(raw, &OwnMarks::default()).unwrap();
        assert_eq!(m.subject, "Doma\u{10d}e omre\u{17e}je");
        // Base64 words join on whole quanta: \u{17e} is C5 BE, split.
        let raw =
            b"From: a@example.com\r\nSubject: =?utf-8?B?b21yZcU=?= =?utf-8?B?vmpl?=\r\n\r\nx\r\n";
        let m = parse(raw, &OwnMarks::default()).unwrap();
        assert!(m.subject.starts_with("omre"), "{}", m.subject);
        let raw =
            b"From: a@example.com\r\nSubject: =?utf-8?B?b21y?= =?utf-8?B?ZcW+amU=?=\r\n\r\nx\r\n";
        let m = parse(raw, &OwnMarks::default()).unwrap();
        assert_eq!(m.subject, "omre\u{17e}je");
        // ISO-2022-JP words are whole each; two escapes in a row would not be.
        let raw = b"From: a@example.com\r\nSubject: Re: TEST\r\n =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=\r\n  =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=\r\n\r\nx\r\n";
        let m = parse(raw, &OwnMarks::default()).unwrap();
        assert_eq!(
            m.subject,
            "Re: TEST \u{30c6}\u{30b9}\u{30c8}\u{30c6}\u{30b9}\u{30c8}"
        );
    }

    #[test]
    fn parses_a_plain_message() {
        let raw = b"From: Ann Lee <ann@example.com>\r\nTo: support@example.com\r\nCc: \"Bob\" <bob@example.org>\r\nSubject: =?UTF-8?Q?Printer_=C3=A9rror?=\r\nMessage-ID: <abc@example.com>\r\nIn-Reply-To: <x@y>\r\nReferences: <w@y> <x@y>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\n\r\nIt says error 42\r\n";
        let m = parse(raw, &OwnMarks::default()).unwrap();
        assert_eq!(m.message_id, "abc@example.com");
        assert!(!m.synthetic_id);
        assert_eq!(m.from.unwrap().to_string(), "Ann Lee <ann@example.com>");
        assert_eq!(m.cc[0].email, "bob@example.org");
        assert_eq!(m.subject, "Printer érror");
        assert_eq!(m.in_reply_to, ["x@y"]);
        assert_eq!(m.references, ["w@y", "x@y"]);
        assert_eq!(m.date.unwrap().to_rfc3339(), "2026-11-23T09:00:00.000000Z");
        assert!(m.text.starts_with("It says error 42"));
        assert!(m.html.is_none());
    }

    #[test]
    fn derives_a_stable_id_and_converts_html() {
        let raw = b"From: ann@example.com\nSubject: hi\nContent-Type: text/html\n\n<p>Hello <b>there</b></p>\n";
        let a = parse(raw, &OwnMarks::default()).unwrap();
        let b = parse(raw, &OwnMarks::default()).unwrap();
        assert!(a.synthetic_id);
        assert_eq!(a.message_id, b.message_id);
        assert!(a.message_id.ends_with("@tix.invalid"));
        assert!(a.text.contains("Hello"), "{}", a.text);
        assert!(a.html.unwrap().contains("<b>there</b>"));
    }

    #[test]
    fn reads_bare_cr_line_endings() {
        let raw = b"From: ann@example.com\rSubject: Mac mail\rMessage-ID: <cr@x>\r\rHello\rthere\r";
        let m = parse(raw, &OwnMarks::default()).unwrap();
        assert_eq!(m.subject, "Mac mail");
        assert_eq!(m.message_id, "cr@x");
        assert!(m.text.contains("Hello"), "{:?}", m.text);
    }

    #[test]
    fn refuses_what_is_not_mail() {
        assert!(parse(b"", &OwnMarks::default()).is_err());
        assert!(parse(b"   \n", &OwnMarks::default()).is_err());
    }
}
