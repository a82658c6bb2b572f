//! Separates the new text of a reply from the history it quotes.
//!
//! [`split_reply`] cuts the decoded plain text of a message in two at the
//! start of a line: the new text above, and below it everything the sender
//! did not write this time (a signature, an attribution line such as
//! "On <date>, <name> wrote:", the quoted or forwarded history).
//!
//! It is deliberately conservative, because a reply stripper that eats the
//! customer's words is worse than one that leaves some history in:
//! - the two halves always join back to the input byte for byte;
//! - interleaved (inline) answers between quoted lines keep the whole text;
//! - an empty reply is never produced: then the whole text is the reply;
//! - a phrase like "wrote:" only counts on a line of its own that also looks
//!   like an attribution (an opening word or a date, a time or an address).
//!
//! It works line by line with plain string code, in time linear in the
//! input: every per-line check looks at a bounded number of bytes or lines.

/// The result of [`split_reply`]. `format!("{reply}{}",
/// quoted.unwrap_or_default())` is always exactly the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitReply {
    /// What the sender wrote this time, up to the start of the first line of
    /// what follows it; its trailing blank lines are kept as they are.
    pub reply: String,
    /// Everything after the new text: quoted history and signature, starting
    /// with the line that opens it (a signature delimiter, an attribution,
    /// a separator, a header block or the first quoted line). `None` when
    /// nothing was recognised, or when cutting would lose the sender's text
    /// (inline answers between quoted lines, or nothing left above the cut).
    pub quoted: Option<String>,
}

/// Splits `text` into the new reply and what follows it: quoted history and
/// signature. Never panics; see the module docs for the rules.
pub fn split_reply(text: &str) -> SplitReply {
    let lines = split_lines(text);
    let history = match find_history(&lines) {
        History::Inline => return whole(text),
        History::At(i) => i,
        History::None => lines.len(),
    };
    let cut = find_signature(&lines[..history]).unwrap_or(history);
    let at = lines.get(cut).map_or(text.len(), |l| l.start);
    let (reply, quoted) = text.split_at(at);
    if quoted.is_empty() || is_blank(reply) {
        return whole(text);
    }
    SplitReply {
        reply: reply.to_string(),
        quoted: Some(quoted.to_string()),
    }
}

fn whole(text: &str) -> SplitReply {
    SplitReply {
        reply: text.to_string(),
        quoted: None,
    }
}

/// One line of the input, without its `\n` or `\r\n`.
#[derive(Clone, Copy)]
struct Line<'a> {
    /// Byte offset of the line's first byte in the input.
    start: usize,
    text: &'a str,
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for piece in text.split('\n') {
        lines.push(Line {
            start,
            text: piece.strip_suffix('\r').unwrap_or(piece),
        });
        start += piece.len() + 1;
    }
    lines
}

fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn is_quoted(s: &str) -> bool {
    s.trim_start().starts_with('>')
}

fn is_colon(c: char) -> bool {
    c == ':' || c == '\u{FF1A}'
}

/// Lines longer than this (in bytes) are never markers: markers are short,
/// and the bound keeps every check cheap on huge single-line inputs.
const MAX_MARKER_LINE: usize = 300;

enum History {
    /// No quoted history found.
    None,
    /// The history starts at this line.
    At(usize),
    /// Quoted lines with the sender's text after them: keep everything.
    Inline,
}

/// Finds the first line of the quoted history, scanning from the top.
fn find_history(lines: &[Line<'_>]) -> History {
    // The last line of text that is neither blank nor quoted: a quoted line
    // before it is interleaved with the sender's text, not a tail block.
    let last_text = lines
        .iter()
        .rposition(|l| !is_blank(l.text) && !is_quoted(l.text));
    let text_after = |i: usize| last_text.is_some_and(|t| t > i);
    for (i, line) in lines.iter().enumerate() {
        if is_blank(line.text) {
            continue;
        }
        if is_quoted(line.text) {
            if text_after(i) {
                return History::Inline;
            }
            return History::At(attribution_before(lines, i).unwrap_or(i));
        }
        if let Some(marker) = marker_at(lines, i) {
            if let Marker::Attribution(end) = marker {
                // "On ... wrote:" followed by quoted lines and then more of
                // the sender's text (bottom-posting or inline answers).
                let next = (end + 1..lines.len()).find(|&k| !is_blank(lines[k].text));
                if next.is_some_and(|k| is_quoted(lines[k].text) && text_after(k)) {
                    return History::Inline;
                }
            }
            return History::At(i);
        }
    }
    History::None
}

enum Marker {
    /// tix's own "reply above this line" line.
    Tix,
    /// "-----Original Message-----", "Begin forwarded message:", an
    /// underscore rule over a "From:" line, and the like.
    Separator,
    /// A block of "From:", "Sent:"/"Date:", "To:"/"Subject:" lines.
    Headers,
    /// "On <date>, <name> wrote:" and its translations; the index is the
    /// last line of the attribution (it may be wrapped over several).
    Attribution(usize),
}

/// Whether an unquoted line starts the history on its own.
fn marker_at(lines: &[Line<'_>], i: usize) -> Option<Marker> {
    let text = lines[i].text;
    if text.len() > MAX_MARKER_LINE {
        return None;
    }
    if is_tix_marker(text) {
        return Some(Marker::Tix);
    }
    if is_separator(text) || is_rule_over_from(lines, i) {
        return Some(Marker::Separator);
    }
    if is_header_block(lines, i) {
        return Some(Marker::Headers);
    }
    attribution_at(lines, i).map(Marker::Attribution)
}

/// The line tix puts above the text of the mail it sends:
/// `##- Please type your reply above this line -##`.
fn is_tix_marker(text: &str) -> bool {
    contains_ascii_ci(text, "reply above this line")
}

fn contains_ascii_ci(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// Phrases that, between runs of dashes, separate a reply from the message
/// it answers or forwards (lower case).
const SEPARATOR_PHRASES: &[&str] = &[
    "original message",
    "original e-mail",
    "forwarded message",
    "ursprüngliche nachricht",
    "weitergeleitete nachricht",
    "message d'origine",
    "message original",
    "message transféré",
    "mensaje original",
    "mensaje reenviado",
    "mensagem original",
    "mensagem encaminhada",
    "messaggio originale",
    "messaggio inoltrato",
    "oorspronkelijk bericht",
    "origineel bericht",
    "doorgestuurd bericht",
    "ursprungligt meddelande",
    "vidarebefordrat meddelande",
    "oprindelig meddelelse",
    "videresendt meddelelse",
    "opprinnelig melding",
    "videresendt melding",
    "alkuperäinen viesti",
    "välitetty viesti",
    "oryginalna wiadomość",
    "przekazana wiadomość",
    "původní zpráva",
    "přeposlaná zpráva",
    "eredeti üzenet",
    "исходное сообщение",
    "пересылаемое сообщение",
    "пересланное сообщение",
];

/// Whole-line phrases (lower case, without a final colon) that introduce a
/// forwarded message, as Apple Mail writes them.
const FORWARD_PHRASES: &[&str] = &[
    "begin forwarded message",
    "anfang der weitergeleiteten nachricht",
    "début du message réexpédié",
    "début du message transféré",
    "inicio del mensaje reenviado",
    "início da mensagem reencaminhada",
    "início da mensagem encaminhada",
    "inizio messaggio inoltrato",
    "begin doorgestuurd bericht",
    "vidarebefordrat brev",
    "videresendt besked",
];

/// "-----Original Message-----" and friends, or "Begin forwarded message:".
fn is_separator(text: &str) -> bool {
    let t = text.trim();
    if t.starts_with("--") || t.ends_with("--") {
        let inner = t.trim_matches('-').trim().to_lowercase();
        return SEPARATOR_PHRASES.contains(&inner.as_str());
    }
    let Some(phrase) = t.strip_suffix(is_colon) else {
        return false;
    };
    FORWARD_PHRASES.contains(&phrase.trim_end().to_lowercase().as_str())
}

/// Outlook's "________________________________" rule with a "From:" header
/// line right under it (a blank line between is allowed).
fn is_rule_over_from(lines: &[Line<'_>], i: usize) -> bool {
    let t = lines[i].text.trim();
    if t.len() < 10 || !t.bytes().all(|b| b == b'_') {
        return false;
    }
    lines[i + 1..]
        .iter()
        .take(2)
        .find(|l| !is_blank(l.text))
        .is_some_and(|l| header_kind(l.text) == Some(FROM))
}

const FROM: u8 = 1;
const DATE: u8 = 2;
const TO: u8 = 4;
const SUBJECT: u8 = 8;
const CC: u8 = 16;
/// "Sent:", which only mail clients write (unlike "Date:").
const SENT: u8 = 32;

/// Header names as mail clients write them above a quoted or forwarded
/// message, in several languages (lower case).
const HEADER_NAMES: &[(&str, u8)] = &[
    ("from", FROM),
    ("von", FROM),
    ("de", FROM),
    ("van", FROM),
    ("fra", FROM),
    ("från", FROM),
    ("da", FROM),
    ("od", FROM),
    ("от", FROM),
    ("lähettäjä", FROM),
    ("feladó", FROM),
    ("sent", SENT),
    ("date", DATE),
    ("datum", DATE),
    ("data", DATE),
    ("fecha", DATE),
    ("gesendet", SENT),
    ("envoyé", SENT),
    ("envoyé le", SENT),
    ("enviado", SENT),
    ("enviado el", SENT),
    ("verzonden", SENT),
    ("skickat", SENT),
    ("sendt", SENT),
    ("inviato", SENT),
    ("wysłano", SENT),
    ("odesláno", SENT),
    ("lähetetty", SENT),
    ("отправлено", SENT),
    ("дата", DATE),
    ("to", TO),
    ("an", TO),
    ("à", TO),
    ("a", TO),
    ("para", TO),
    ("aan", TO),
    ("til", TO),
    ("till", TO),
    ("do", TO),
    ("komu", TO),
    ("vastaanottaja", TO),
    ("címzett", TO),
    ("кому", TO),
    ("subject", SUBJECT),
    ("betreff", SUBJECT),
    ("objet", SUBJECT),
    ("asunto", SUBJECT),
    ("assunto", SUBJECT),
    ("oggetto", SUBJECT),
    ("onderwerp", SUBJECT),
    ("ämne", SUBJECT),
    ("emne", SUBJECT),
    ("temat", SUBJECT),
    ("předmět", SUBJECT),
    ("aihe", SUBJECT),
    ("tárgy", SUBJECT),
    ("тема", SUBJECT),
    ("cc", CC),
    ("kopie", CC),
    ("copie", CC),
    ("kopia", CC),
    ("копия", CC),
];

/// The kind of a "Name: value" header line (also `*Name:*`, as plain text
/// made from HTML writes bold), or `None`.
fn header_kind(text: &str) -> Option<u8> {
    let t = text.trim_start().trim_start_matches('*');
    // A header name is short: look for its colon in the first few bytes.
    let (colon, _) = t.char_indices().take(24).find(|&(_, c)| is_colon(c))?;
    let name = t[..colon]
        .trim()
        .trim_end_matches('*')
        .trim()
        .to_lowercase();
    HEADER_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, kind)| kind)
}

/// A block of header lines starting at line `i` that names the sender, a
/// date and a recipient or subject: "From: ...", "Sent: ...", "To: ...".
/// Unless it has "Sent:" or "Subject:", it must also hold an address, so
/// that a customer's "From: Berlin / To: Paris / Date: 5 May" stays text.
fn is_header_block(lines: &[Line<'_>], i: usize) -> bool {
    // Only at the start of a run of header lines: a run is looked at once.
    if header_kind(lines[i].text).is_none()
        || i.checked_sub(1)
            .is_some_and(|p| header_kind(lines[p].text).is_some())
    {
        return false;
    }
    let mut seen = 0u8;
    let mut address = false;
    for (k, line) in lines[i..].iter().take(12).enumerate() {
        match header_kind(line.text) {
            Some(kind) => seen |= kind,
            // A long "To:" list may be folded onto indented lines.
            None if k > 0 && line.text.starts_with([' ', '\t']) && !is_blank(line.text) => {}
            None => break,
        }
        address |= line.text.contains('@');
    }
    seen & FROM != 0
        && seen & (DATE | SENT) != 0
        && seen & (TO | SUBJECT) != 0
        && (seen & (SENT | SUBJECT) != 0 || address)
}

/// Words that start an attribution line: "On", "Le", "Am", "El", ...
/// (case-sensitive, followed by a space).
const OPENERS: &[&str] = &[
    "On", "Le", "Am", "El", "Em", "Op", "Il", "W dniu", "Dne", "Den", "På", "Vào", "Pada",
];

/// The verb of an attribution line, "wrote" in several languages (lower
/// case); matched as whole words.
const WROTE: &[&str] = &[
    "wrote",
    "writes",
    "schrieb",
    "a écrit",
    "escribió",
    "escreveu",
    "ha scritto",
    "schreef",
    "geschreven",
    "skrev",
    "napisał",
    "napisała",
    "napisal",
    "napsal",
    "napsala",
    "написал",
    "написала",
    "пишет",
    "kirjoitti",
    "yazdı",
    "írta",
    "đã viết",
    "a scris",
    "έγραψε",
];

/// The same verb in scripts written without spaces; matched anywhere.
const WROTE_CJK: &[&str] = &["写道", "寫道", "書きました", "작성"];

/// An attribution ("On <date>, <name> wrote:") starting at line `i`,
/// possibly wrapped over up to three lines; returns its last line.
fn attribution_at(lines: &[Line<'_>], i: usize) -> Option<usize> {
    let first = lines[i].text.trim();
    if first.ends_with(is_colon) {
        // Complete on one line; a line ending with a colon never wraps.
        return is_attribution(first).then_some(i);
    }
    // Only an attribution's own first line wraps: one that starts like an
    // attribution.
    if !starts_like_attribution(first) {
        return None;
    }
    let mut joined = first.to_string();
    for (j, line) in lines.iter().enumerate().skip(i + 1).take(2) {
        let t = line.text.trim();
        // A line that starts like an attribution is tried on its own.
        if t.is_empty() || t.len() > MAX_MARKER_LINE || is_quoted(t) || starts_like_attribution(t) {
            return None;
        }
        joined.push(' ');
        joined.push_str(t);
        if t.ends_with(is_colon) {
            return is_attribution(&joined).then_some(j);
        }
    }
    None
}

/// Whether a line starts with an opening word ("On ", "Le ", ...) or a
/// digit, after any leading dashes.
fn starts_like_attribution(line: &str) -> bool {
    let s = strip_dashes(line);
    opener_of(s).is_some() || s.starts_with(|c: char| c.is_ascii_digit())
}

fn opener_of(s: &str) -> Option<&'static str> {
    OPENERS
        .iter()
        .copied()
        .find(|o| s.strip_prefix(*o).is_some_and(|rest| rest.starts_with(' ')))
}

/// Whether a (joined) line, ending with a colon, is an attribution on its
/// own: it starts with an opening word or a date, carries a date or a time
/// and has the verb; or it names an address in angle brackets and has the
/// verb; or it starts with a date and ends with "<address>:".
fn is_attribution(line: &str) -> bool {
    let s = strip_dashes(line);
    let body = s.trim_end_matches(is_colon).trim_end();
    let opener = opener_of(s);
    let digit_first = s.starts_with(|c: char| c.is_ascii_digit());
    let dated = has_date_or_time(s);
    let verb = has_wrote(s);
    // English always has a comma between the date and the name; requiring
    // it keeps prose such as "On 5 May 2024 the manager wrote:" out.
    let comma_ok = opener != Some("On") || s.contains(',');
    ((opener.is_some() || digit_first) && dated && verb && comma_ok)
        || (verb && has_angle_address(s))
        || (digit_first && dated && body.ends_with('>') && has_angle_address(body))
}

/// A weaker attribution, accepted only right above a quoted tail block:
/// "bob@example.com wrote:", "Bob <bob@example.com>:", or an old Gmail
/// "2012/4/2 Bob <bob@example.com>" without a colon. It must name an
/// address: a bare "Megan wrote:" stays with the reply, as "Here is what I
/// wrote:" must.
fn is_weak_attribution(line: &str) -> bool {
    let s = strip_dashes(line);
    if s.len() > 2 * MAX_MARKER_LINE {
        return false;
    }
    if s.ends_with(is_colon) {
        return has_angle_address(s) || (s.contains('@') && has_wrote(s));
    }
    s.starts_with(|c: char| c.is_ascii_digit()) && s.ends_with('>') && has_angle_address(s)
}

/// The start of an unquoted attribution line (one or two lines) right above
/// the quoted block starting at line `block`, blank lines between allowed.
/// Two lines are taken together only where a name and its `<address>` were
/// wrapped apart.
fn attribution_before(lines: &[Line<'_>], block: usize) -> Option<usize> {
    let last = lines[..block].iter().rposition(|l| !is_blank(l.text))?;
    let usable =
        |l: &Line<'_>| !is_blank(l.text) && !is_quoted(l.text) && l.text.len() <= MAX_MARKER_LINE;
    if !usable(&lines[last]) {
        return None;
    }
    let tail = lines[last].text.trim();
    if let Some(first) = last.checked_sub(1).filter(|&f| usable(&lines[f])) {
        let head = lines[first].text.trim();
        let wrapped = head.ends_with('<') || tail.starts_with('<');
        if wrapped && !head.ends_with(is_colon) && is_weak_attribution(&format!("{head} {tail}")) {
            return Some(first);
        }
    }
    is_weak_attribution(tail).then_some(last)
}

fn strip_dashes(line: &str) -> &str {
    line.trim()
        .trim_start_matches(|c: char| c == '-' || c.is_whitespace())
}

fn has_wrote(s: &str) -> bool {
    let lower = s.to_lowercase();
    WROTE.iter().any(|w| contains_word(&lower, w)) || WROTE_CJK.iter().any(|w| lower.contains(w))
}

/// Whether `word` occurs in `s` with no letter or digit right before or
/// after it.
fn contains_word(s: &str, word: &str) -> bool {
    s.match_indices(word).any(|(at, _)| {
        let before = s[..at].chars().next_back();
        let after = s[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Whether `s` holds `<...@...>`.
fn has_angle_address(s: &str) -> bool {
    s.split('<').skip(1).any(|part| {
        part.split_once('>')
            .is_some_and(|(addr, _)| addr.contains('@'))
    })
}

/// Whether `s` holds a time (`4:19`, `17:44`), a numeric date (`4/4/12`,
/// `02.04.2012`, `2012-04-02`) or a year (`1999`, `2012`).
fn has_date_or_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits_at = |mut k: usize| {
        let start = k;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        (k - start, k)
    };
    let mut k = 0;
    while k < b.len() {
        if !b[k].is_ascii_digit() || (k > 0 && b[k - 1].is_ascii_digit()) {
            k += 1;
            continue;
        }
        let (n, end) = digits_at(k);
        if n == 4 && (b[k..end].starts_with(b"19") || b[k..end].starts_with(b"20")) {
            return true;
        }
        if end < b.len() {
            let sep = b[end];
            if sep == b':' && n <= 2 && digits_at(end + 1).0 == 2 {
                return true;
            }
            if matches!(sep, b'/' | b'.' | b'-') {
                let (n2, end2) = digits_at(end + 1);
                if n2 > 0 && end2 < b.len() && b[end2] == sep && digits_at(end2 + 1).0 > 0 {
                    return true;
                }
            }
        }
        k = end;
    }
    false
}

/// At most this many non-blank lines may follow a "-- " delimiter for it
/// to count as a signature, so that a dashed line in the middle of a long
/// message does not take the rest with it.
const MAX_SIGNATURE_LINES: usize = 15;

/// The first line of the signature at the end of `lines` (the text above
/// the quoted history): "Sent from my iPhone" style lines at the end, and a
/// "-- " delimiter with a short block under it.
fn find_signature(lines: &[Line<'_>]) -> Option<usize> {
    let mut cut = lines.len();
    let mut k = lines.len();
    loop {
        while k > 0 && is_blank(lines[k - 1].text) {
            k -= 1;
        }
        if k > 0 && is_mobile_signature(lines[k - 1].text) {
            k -= 1;
            cut = k;
        } else {
            break;
        }
    }
    // The earliest "-- " line with few enough non-blank lines below it.
    let mut non_blank = 0;
    let mut delimiter = None;
    for (k, line) in lines[..cut].iter().enumerate().rev() {
        if !is_blank(line.text) {
            non_blank += 1;
        }
        if non_blank > MAX_SIGNATURE_LINES {
            break;
        }
        if is_signature_delimiter(line.text) {
            delimiter = Some(k);
        }
    }
    delimiter.or((cut < lines.len()).then_some(cut))
}

/// The standard "-- " line (trailing spaces beyond the one allowed).
fn is_signature_delimiter(text: &str) -> bool {
    text.len() > 2 && text.trim_end_matches([' ', '\t']) == "--"
}

/// How mail apps sign mail sent from phones and the like (lower case).
const MOBILE_SIGNATURES: &[&str] = &[
    "sent from my ",
    "sent from ",
    "sent with ",
    "sent via ",
    "sent using ",
    "sent on the go",
    "get outlook for ",
    "envoyé de mon ",
    "envoyé depuis ",
    "envoyé à partir de ",
    "von meinem ",
    "gesendet von ",
    "gesendet mit ",
    "enviado desde mi ",
    "enviado desde ",
    "enviado do meu ",
    "enviado de meu ",
    "verzonden vanaf mijn ",
    "verstuurd vanaf mijn ",
    "verzonden met ",
    "inviato da ",
    "skickat från min ",
    "sendt fra min ",
    "lähetetty ",
    "wysłane z ",
    "odesláno z ",
    "отправлено с ",
];

/// A short line such as "Sent from my iPhone" or "Get Outlook for Android".
fn is_mobile_signature(text: &str) -> bool {
    let t = text.trim();
    if t.chars().count() > 80 {
        return false;
    }
    let lower = t.to_lowercase();
    MOBILE_SIGNATURES.iter().any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits and checks the invariant.
    fn split(text: &str) -> SplitReply {
        let s = split_reply(text);
        assert_eq!(
            format!("{}{}", s.reply, s.quoted.clone().unwrap_or_default()),
            text,
            "halves must join back to the input"
        );
        if let Some(q) = &s.quoted {
            assert!(!q.is_empty());
            assert!(!is_blank(&s.reply), "reply must not be empty: {s:?}");
        }
        s
    }

    fn reply_of(text: &str) -> String {
        split(text).reply
    }

    fn quoted_of(text: &str) -> Option<String> {
        split(text).quoted
    }

    #[test]
    fn plain_text_is_all_reply() {
        let t = "Hi,\n\nthe printer is broken again.\n\nThanks, Ann\n";
        assert_eq!(split(t), whole(t));
    }

    #[test]
    fn empty_and_blank_inputs() {
        for t in ["", "\n", "\r\n", "   \n\t\n", ">", "> ", "-- ", "-- \nBob"] {
            assert_eq!(split(t), whole(t), "{t:?}");
        }
    }

    #[test]
    fn only_quotes_stay_in_reply() {
        let t = "> Hi\n> there\n";
        assert_eq!(split(t), whole(t));
        let t = "On Mon, Apr 2, 2012 at 6:26 PM, Megan <m@example.com> wrote:\n> Hi\n";
        assert_eq!(split(t), whole(t));
    }

    #[test]
    fn gmail_attribution() {
        let t =
            "Hello\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan One <xxx@gmail.com> wrote:\n\n> Hi\n";
        let s = split(t);
        assert_eq!(s.reply, "Hello\n\n");
        assert!(s.quoted.unwrap().starts_with("On Mon"));
    }

    #[test]
    fn wrapped_attribution() {
        let t = "Thanks!\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan One <\nxxx@gmail.com> wrote:\n\n> Hi\n";
        assert_eq!(reply_of(t), "Thanks!\n\n");
        let t =
            "Thanks!\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan One\n<xxx@gmail.com> wrote:\n> Hi\n";
        assert_eq!(reply_of(t), "Thanks!\n\n");
    }

    #[test]
    fn prose_line_above_an_attribution_stays_in_reply() {
        let t = "On the other hand, I have\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan <m@example.com> wrote:\n> Hi\n";
        assert_eq!(reply_of(t), "On the other hand, I have\n");
        let t = "Hello\nMegan <m@example.com> wrote:\n> Hi\n";
        assert_eq!(reply_of(t), "Hello\n");
    }

    #[test]
    fn attribution_without_quote_marks() {
        // Yahoo: the history under the attribution is not quoted.
        let t = "Sounds great.\n\n--- On Wed, 4/4/12, x@example.com <x@example.com> wrote:\n\n\nFrom: x@example.com\nSubject: Hi\n\nNew booking\n";
        assert_eq!(reply_of(t), "Sounds great.\n\n");
    }

    #[test]
    fn attribution_in_other_languages() {
        let cases = [
            "Am 02.04.2012 um 17:44 schrieb Bob Smith <bob@example.com>:",
            "Am Mo., 2. Apr. 2012 um 17:44 Uhr schrieb Bob <bob@example.com>:",
            "Le 2 avr. 2012 à 17:44, Bob <bob@example.com> a écrit :",
            "Le lun. 2 avr. 2012 à 17:44, Bob Smith a écrit :",
            "El 2 abr 2012, a las 17:44, Bob <bob@example.com> escribió:",
            "El lun., 2 abr. 2012 17:44, Bob Smith escribió:",
            "Op 2 apr. 2012 om 17:44 heeft Bob <bob@example.com> het volgende geschreven:",
            "Op ma 2 apr. 2012 om 17:44 schreef Bob Smith <bob@example.com>:",
            "Em 2 de abr de 2012, às 17:44, Bob <bob@example.com> escreveu:",
            "Il giorno 2 apr 2012, alle ore 17:44, Bob <bob@example.com> ha scritto:",
            "Den 2 apr. 2012 kl. 17:44 skrev Bob <bob@example.com>:",
            "W dniu 2.04.2012 o 17:44, Bob <bob@example.com> napisał:",
            "02.04.2012 14:20 пользователь \"bob@example.com\" <bob@example.com> написал:",
            "2014-10-17 11:28 GMT+03:00 Bob <bob@example.com>:",
            "Bob Smith <bob@example.com> schrieb am Mo., 2. Apr. 2012, 17:44:",
            "在 2012年4月2日 17:44，Bob <bob@example.com> 写道：",
        ];
        for attribution in cases {
            let t = format!("Danke\n\n{attribution}\n\n> Hallo\n");
            assert_eq!(reply_of(&t), "Danke\n\n", "{attribution}");
            // Not quoted below: the attribution alone must be recognised.
            let t = format!("Danke\n\n{attribution}\n\nHallo\n");
            assert_eq!(reply_of(&t), "Danke\n\n", "{attribution}");
        }
    }

    #[test]
    fn wrapped_russian_android_attribution() {
        let t = "Hello\n02.04.2012 14:20 пользователь \"bob@xxx.mailgun.org\" <\nbob@xxx.mailgun.org> написал:\n\n> Hi\n>\n\n";
        assert_eq!(reply_of(t), "Hello\n");
    }

    #[test]
    fn wrote_mid_paragraph_is_not_a_marker() {
        for t in [
            "As John wrote: the server is down.\nPlease help.\n",
            "I looked at what\nJohn wrote: nothing there.\n",
            "On Monday my colleague wrote:\nthe printer is broken\n",
            "On 5 May 2024 the manager wrote:\nplease call me\n",
            "Here is what support wrote: call us.\n",
        ] {
            assert_eq!(split(t), whole(t), "{t:?}");
        }
    }

    #[test]
    fn quoted_tail_block() {
        let t = "Hello\n\n> Subject: Test\n> From: bob@example.com\n>\n> Hi\n \t\t ";
        assert_eq!(reply_of(t), "Hello\n\n");
        let t =
            "Hello\n> On 22 Aug 2015, at 19:21, Adam <a@example.com> wrote:\n>\n> Hi there!\n\n";
        assert_eq!(reply_of(t), "Hello\n");
    }

    #[test]
    fn weak_attribution_above_quoted_tail() {
        let t = "Thanks\n\nmegan@example.com wrote:\n> Hi\n";
        assert_eq!(reply_of(t), "Thanks\n\n");
        let t = "Thanks\n\n2012/4/2 Megan One <\nmegan@example.com>\n> Hi\n";
        assert_eq!(reply_of(t), "Thanks\n\n");
        // Without an address, the line stays with the reply.
        let t = "Thanks\n\nMegan One wrote:\n> Hi\n";
        assert_eq!(reply_of(t), "Thanks\n\nMegan One wrote:\n");
        let t = "Sorry, here is what I wrote:\n> the printer is broken\n";
        assert_eq!(reply_of(t), "Sorry, here is what I wrote:\n");
        let t = "Thanks\n\n2012/4/2 Megan One <megan@example.com>\n\n> Hi\n";
        assert_eq!(reply_of(t), "Thanks\n\n");
        // An ordinary lead-in stays with the reply.
        let t = "It fails with:\n\n> error 500\n";
        assert_eq!(reply_of(t), "It fails with:\n\n");
    }

    #[test]
    fn inline_replies_keep_everything() {
        for t in [
            "> Does it work?\nYes.\n> And the printer?\nNo.\n",
            "Hi\n\n> question one\nanswer one\n\n> question two\n",
            "On 04/02/2012 06:26 PM, Megan One wrote:\n> Hi \nHello",
            "Thanks\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan <m@example.com> wrote:\n> q1\na1\n> q2\n",
            "See below.\n\n> q1\na1\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan <m@example.com> wrote:\n> q1\n",
        ] {
            assert_eq!(split(t), whole(t), "{t:?}");
        }
    }

    #[test]
    fn outlook_original_message() {
        let t = "Hello\n\n\n\n-----Original Message-----\nFrom: bob <bob@example.com>\nSent: Mon, Apr 2, 2012 5:49 pm\nSubject: Test\n\nHi\n";
        assert_eq!(reply_of(t), "Hello\n\n\n\n");
        let t = "Hello \n\n----- Original Message -----\nFrom: bob@example.com\n";
        assert_eq!(reply_of(t), "Hello \n\n");
        let t = "Hallo\n\n-----Ursprüngliche Nachricht-----\nVon: bob\n";
        assert_eq!(reply_of(t), "Hallo\n\n");
    }

    #[test]
    fn outlook_rule_and_header_block() {
        let t = "Hello\n\n________________________________\nFrom: Bob <bob@example.com>\nSent: Monday, April 2, 2012 5:44 PM\nTo: Ann\nSubject: Test\n\nHi\n";
        let s = split(t);
        assert_eq!(s.reply, "Hello\n\n");
        assert!(s.quoted.unwrap().starts_with("____"));
        let t = "Hello\n\nFrom: xxx@example.org [mailto:xxx@example.org]\nSent: March-09-12 4:22 PM\nTo: Dan Le\nSubject: The manager has commented\n\nHi\n";
        assert_eq!(reply_of(t), "Hello\n\n");
        let t = "Bonjour\r\n\r\nDe : Bob\r\nEnvoyé : lundi 2 avril 2012 17:44\r\nÀ : Ann\r\nObjet : Test\r\n";
        assert_eq!(reply_of(t), "Bonjour\r\n\r\n");
        let t = "Hi\n\n*From:* Bob <bob@example.com>\n*Date:* Mon, Apr 2, 2012\n*Subject:* Test\n";
        assert_eq!(reply_of(t), "Hi\n\n");
    }

    #[test]
    fn a_lone_header_is_not_a_block() {
        for t in [
            "Hi\n\nFrom: the warehouse\nWe got nothing.\n",
            "Hi\n\nTo: all staff\nSubject: the printer\n",
            "Hi\n\n____________\nSign here\n",
            "Please change my booking:\nFrom: Berlin\nTo: Paris\nDate: 05/05/2024\n\nThanks\n",
        ] {
            assert_eq!(split(t), whole(t), "{t:?}");
        }
    }

    #[test]
    fn forwarded_message() {
        let t = "FYI\n\nBegin forwarded message:\n\nFrom: Bob <bob@example.com>\n";
        assert_eq!(reply_of(t), "FYI\n\n");
        let t = "FYI\n\n---------- Forwarded message ---------\nFrom: Bob <bob@example.com>\n";
        assert_eq!(reply_of(t), "FYI\n\n");
        // A forward with nothing above it is all reply.
        let t = "---------- Forwarded message ---------\nFrom: Bob <bob@example.com>\n";
        assert_eq!(split(t), whole(t));
    }

    #[test]
    fn tix_marker() {
        let t = "It works now, thanks!\n\n##- Please type your reply above this line -##\n\nYour ticket #42 was updated.\n";
        let s = split(t);
        assert_eq!(s.reply, "It works now, thanks!\n\n");
        assert!(s.quoted.unwrap().starts_with("##- Please"));
        let t = "Fine.\nsomething ... REPLY ABOVE THIS LINE ...\nold\n";
        assert_eq!(reply_of(t), "Fine.\n");
        let t = "Fine.\n\n> ##- Please type your reply above this line -##\n> Ticket #42\n";
        assert_eq!(reply_of(t), "Fine.\n\n");
    }

    #[test]
    fn dash_dash_space_signature() {
        let t = "Hello \n\n-- \nxxx\nSent with Sparrow (http://www.sparrowmailapp.com/?sig)\n\n\nOn Tuesday, April 3, 2012 at 4:55 PM, xxx wrote:\n\n> Hello\n";
        let s = split(t);
        assert_eq!(s.reply, "Hello \n\n");
        assert!(s.quoted.unwrap().starts_with("-- \nxxx"));
        let t = "Hi\r\n-- \r\nAnn Smith\r\nACME\r\n";
        assert_eq!(
            quoted_of(t).as_deref(),
            Some("-- \r\nAnn Smith\r\nACME\r\n")
        );
        // "--" without the space, or a long block under it: not a signature.
        let t = "Hi\n--\nAnn\n";
        assert_eq!(split(t), whole(t));
        let long = format!("Intro\n-- \n{}", "line\n".repeat(MAX_SIGNATURE_LINES + 1));
        assert_eq!(split(&long), whole(&long));
    }

    #[test]
    fn mobile_signature() {
        let t = "Hello\n\nSent from my iPhone\n\nOn Apr 3, 2012, at 4:19 PM, bob <bob@example.com> wrote:\n\n> Hi\n";
        let s = split(t);
        assert_eq!(s.reply, "Hello\n\n");
        assert!(s.quoted.unwrap().starts_with("Sent from my iPhone"));
        let t = "Ok\n\nSent from my Android\n";
        assert_eq!(reply_of(t), "Ok\n\n");
        let t = "Ok\n\nVon meinem iPhone gesendet\n\nGet Outlook for Android\n";
        assert_eq!(reply_of(t), "Ok\n\n");
        // Not at the end: kept.
        let t = "Sent from my iPhone, sorry for typos.\nThe app crashes.\n";
        assert_eq!(split(t), whole(t));
        // Only a signature: kept.
        let t = "Sent from my iPhone\n";
        assert_eq!(split(t), whole(t));
    }

    #[test]
    fn crlf_line_endings() {
        let t = "Hello\r\n\r\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan <m@example.com> wrote:\r\n\r\n> Hi\r\n";
        assert_eq!(reply_of(t), "Hello\r\n\r\n");
    }

    #[test]
    fn dates_and_times() {
        for s in [
            "4:19",
            "17:44",
            "4/4/12",
            "02.04.2012",
            "2012-04-02",
            "in 1999",
        ] {
            assert!(has_date_or_time(s), "{s}");
        }
        for s in ["", "12", "1:2", "12345", "5 May", "3.5", "v1.2"] {
            assert!(!has_date_or_time(s), "{s}");
        }
    }

    #[test]
    fn invariant_over_generated_inputs() {
        const PIECES: &[&str] = &[
            "Hello",
            "",
            " ",
            "> quoted",
            ">",
            "> > deeper",
            "-- ",
            "--",
            "Sent from my iPhone",
            "On Mon, Apr 2, 2012 at 6:26 PM, Megan <m@example.com> wrote:",
            "On Mon, Apr 2, 2012 at 6:26 PM, Megan <",
            "m@example.com> wrote:",
            "-----Original Message-----",
            "________________________________",
            "From: Bob <bob@example.com>",
            "Sent: Monday",
            "To: Ann",
            "Subject: Hi",
            "##- Please type your reply above this line -##",
            "Begin forwarded message:",
            "wrote:",
            "Ünïcödé ✓ 写道： ：",
            "\u{a0}",
            "\t\r",
            "<@>:",
            "Am 2.4.2012 um 17:44 schrieb Bob:",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..5000 {
            let n = (next() % 12) as usize;
            let mut text = String::new();
            for _ in 0..n {
                text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
                text.push_str(match next() % 4 {
                    0 => "\r\n",
                    1 => "",
                    _ => "\n",
                });
            }
            split(&text);
        }
    }

    #[test]
    fn megabyte_inputs_are_fast() {
        let start = std::time::Instant::now();
        let line = "On Mon, Apr 2, 2012 at 6:26 PM, Megan wrote: ".repeat(23_000);
        split(&line);
        split(&"x".repeat(1 << 20));
        split(&"> a\n".repeat(1 << 18));
        split(&"a\n> b\n".repeat(1 << 17));
        split(&"-- \n".repeat(1 << 18));
        split(&"\n".repeat(1 << 20));
        split(&"From: a\nTo: b\n".repeat(1 << 16));
        split(&"On 1/1/2012, a\n".repeat(1 << 16));
        split(&"写道：写道\n".repeat(1 << 16));
        let mut big = "Hello\n\n".to_string();
        big.push_str("On Mon, Apr 2, 2012 at 6:26 PM, Megan <m@example.com> wrote:\n");
        big.push_str(&"> quoted history line\n".repeat(50_000));
        assert_eq!(reply_of(&big), "Hello\n\n");
        // Generous: debug builds on a slow machine take well under this.
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }
}
