//! The pages of a customer's history (`tix export customer`) and of one
//! ticket's public thread (`tix export ticket --format html`): built
//! from [`crate::domain::public`] threads only, so what is not public
//! never reaches a page.

use std::fmt::Write;

use super::html::{Css, escape, page};
use crate::domain::public::{PublicAttachment, PublicEntry, PublicKind};
use crate::domain::{Party, Status, TicketId, Timestamp};

/// The longest text shown of one entry; past it the page says the rest
/// was cut (a pasted log of megabytes stays readable and the page small).
pub const MAX_SHOWN_BODY: usize = 256 << 10;

/// One ticket of a site, as its customer sees it.
#[derive(Clone, Debug)]
pub struct SiteTicket {
    pub id: TicketId,
    pub subject: String,
    pub status: Status,
    pub created_at: Option<Timestamp>,
    /// The latest public entry's time.
    pub updated_at: Option<Timestamp>,
    pub thread: Vec<PublicEntry>,
}

impl SiteTicket {
    /// Messages, replies and chats: the entries with text.
    pub fn messages(&self) -> usize {
        self.thread.iter().filter(|e| e.kind.is_text()).count()
    }
}

/// Where a page links an attachment: its path relative to the page, or
/// None when it was not written (then only its name is shown).
pub type AttachmentHref<'a> = &'a dyn Fn(&PublicAttachment) -> Option<String>;

/// The file name of a ticket's page in a site.
pub fn ticket_page_name(id: &TicketId) -> String {
    format!("ticket-{id}.html")
}

fn status_badge(status: Status) -> String {
    format!(
        "<span class=\"status status-{0}\">{0}</span>",
        escape(status.as_str())
    )
}

fn when(t: Option<Timestamp>) -> String {
    t.map(|t| t.to_short_labelled()).unwrap_or_default()
}

/// The index of a site: `heading` (the customer's address, or the
/// organisation's name) and a table of the tickets, newest first as
/// given.
pub fn index_page(heading: &str, tickets: &[SiteTicket], generated: Timestamp) -> String {
    let mut body = String::new();
    let _ = writeln!(body, "<h1>Support history of {}</h1>", escape(heading));
    let open = tickets
        .iter()
        .filter(|t| t.status != Status::Closed)
        .count();
    let _ = writeln!(
        body,
        "<p class=\"meta\" id=\"counts\">{} tickets, {} open, {} closed</p>",
        tickets.len(),
        open,
        tickets.len() - open
    );
    body.push_str("<table>\n<thead><tr><th>Ticket</th><th>Subject</th><th>Status</th><th>Opened</th><th>Last update</th><th class=\"num\">Messages</th></tr></thead>\n<tbody>\n");
    for t in tickets {
        let _ = writeln!(
            body,
            "<tr><td>{id}</td><td><a href=\"{href}\">{subject}</a></td><td>{status}</td><td>{opened}</td><td>{updated}</td><td class=\"num\">{n}</td></tr>",
            id = escape(t.id.as_str()),
            href = escape(&ticket_page_name(&t.id)),
            subject = escape(&t.subject),
            status = status_badge(t.status),
            opened = escape(&when(t.created_at)),
            updated = escape(&when(t.updated_at)),
            n = t.messages(),
        );
    }
    body.push_str("</tbody>\n</table>\n");
    footer(&mut body, generated);
    page(
        &format!("Support history of {heading}"),
        Css::Linked("style.css"),
        &body,
    )
}

fn footer(body: &mut String, generated: Timestamp) {
    let _ = writeln!(
        body,
        "<footer>Written {} from the help desk's records. Only messages and replies are shown; the team's internal notes are not part of this history.</footer>",
        escape(&generated.to_short_labelled())
    );
}

/// One ticket's page: its public thread, oldest first. `back` links to
/// the index when the page is part of a site; `css` is how it gets its
/// style.
pub fn ticket_page(
    t: &SiteTicket,
    back: Option<&str>,
    css: Css<'_>,
    href: AttachmentHref<'_>,
    generated: Timestamp,
) -> String {
    let mut body = String::new();
    if let Some(back) = back {
        let _ = writeln!(
            body,
            "<p class=\"meta\"><a href=\"{}\">All tickets</a></p>",
            escape(back)
        );
    }
    let _ = writeln!(body, "<h1>{}</h1>", escape(&t.subject));
    let _ = writeln!(
        body,
        "<p class=\"meta\">Ticket {} · {} · opened {} · <span id=\"message-count\">{}</span> messages</p>",
        escape(t.id.as_str()),
        status_badge(t.status),
        escape(&when(t.created_at)),
        t.messages()
    );
    for e in &t.thread {
        entry(&mut body, e, href);
    }
    footer(&mut body, generated);
    page(&format!("{} — ticket {}", t.subject, t.id), css, &body)
}

fn who(p: &Party) -> String {
    match &p.name {
        Some(n) if !n.trim().is_empty() => format!("{} <{}>", n.trim(), p.email),
        _ => p.email.clone(),
    }
}

fn entry(body: &mut String, e: &PublicEntry, href: AttachmentHref<'_>) {
    let at = escape(&e.at.to_short_labelled());
    let (class, title) = match &e.kind {
        PublicKind::Request { from } => ("message", format!("{} opened the ticket", who(from))),
        PublicKind::Message { from } => ("message", who(from)),
        PublicKind::Reply => ("reply", "Support team".to_string()),
        PublicKind::Chat => ("reply", "Chat transcript".to_string()),
        PublicKind::Resolution => ("reply", "Resolution".to_string()),
        PublicKind::Status { to } => {
            let _ = writeln!(
                body,
                "<p class=\"change\">{at}: status changed to {}</p>",
                escape(to.as_str())
            );
            return;
        }
        PublicKind::Closed => {
            let _ = writeln!(body, "<p class=\"change\">{at}: the ticket was closed</p>");
            return;
        }
    };
    let _ = writeln!(
        body,
        "<div class=\"entry {class}\"><div><span class=\"who\">{}</span> <span class=\"meta\">{at}</span></div>",
        escape(&title)
    );
    let text = e.body.trim_end();
    if text.len() > MAX_SHOWN_BODY {
        let mut cut = MAX_SHOWN_BODY;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let _ = writeln!(
            body,
            "<pre>{}</pre>\n<p class=\"meta\">[{} more bytes not shown]</p>",
            escape(&text[..cut]),
            text.len() - cut
        );
    } else {
        let _ = writeln!(body, "<pre>{}</pre>", escape(text));
    }
    if !e.attachments.is_empty() {
        body.push_str("<ul class=\"attachments\">\n");
        for a in &e.attachments {
            match href(a) {
                Some(link) => {
                    let _ = writeln!(
                        body,
                        "<li><a href=\"{}\">{}</a> <span class=\"meta\">({})</span></li>",
                        escape(&link),
                        escape(&a.name),
                        size(a.size)
                    );
                }
                None => {
                    let _ = writeln!(
                        body,
                        "<li>{} <span class=\"meta\">({})</span></li>",
                        escape(&a.name),
                        size(a.size)
                    );
                }
            }
        }
        body.push_str("</ul>\n");
    }
    body.push_str("</div>\n");
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// A name safe to write in a folder of its own: letters, digits, `.`,
/// `-` and `_` only (anything else, `/` and `\` included, becomes `_`),
/// no leading dot, at most 80 bytes, and `n-` in front so that two
/// attachments of one name (or a name made empty) never collide.
pub fn safe_file_name(n: usize, name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    while s.starts_with('.') {
        s.remove(0);
    }
    if s.len() > 80 {
        // Keep the end: it holds the extension a browser goes by.
        s = s[s.len() - 80..].to_string();
    }
    if s.is_empty() {
        s.push_str("file");
    }
    format!("{n}-{s}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket_with(body: String, name: &str) -> SiteTicket {
        let at = Timestamp::parse_rfc3339("2026-01-05T09:00:00Z").unwrap();
        SiteTicket {
            id: "7K3F0001".parse().unwrap(),
            subject: "\"><svg onload=alert(1)>".into(),
            status: Status::Open,
            created_at: Some(at),
            updated_at: Some(at),
            thread: vec![PublicEntry {
                file: "e.md".into(),
                at,
                origin: None,
                kind: PublicKind::Message {
                    from: Party {
                        name: Some("<b>Eve</b>".into()),
                        email: "eve@example.com".into(),
                    },
                },
                body,
                mail: None,
                attachments: vec![PublicAttachment {
                    file: "files/x".into(),
                    ticket: "7K3F0001".parse().unwrap(),
                    name: name.into(),
                    size: 3,
                }],
                redacted: false,
            }],
        }
    }

    #[test]
    fn a_huge_text_is_cut_and_hostile_text_stays_text() {
        let body = format!("{}é tail", "x".repeat(MAX_SHOWN_BODY - 1));
        let t = ticket_with(body, "\"><script>x</script>.pdf");
        let href =
            |_: &PublicAttachment| Some("files/7K3F0001/1-_script_x__script_.pdf".to_string());
        let page = ticket_page(
            &t,
            Some("index.html"),
            Css::Inline,
            &href,
            t.updated_at.unwrap(),
        );
        // Cut on a character boundary before the two-byte é: the rest
        // (é and " tail", 7 bytes) is said, not shown.
        assert!(page.contains("[7 more bytes not shown]"), "cut wrongly");
        assert!(!page.contains("tail"));
        for hostile in ["<svg", "<script", "<b>Eve", "onload=alert(1)>"] {
            assert!(!page.contains(hostile), "{hostile} in the page");
        }
        assert!(page.contains("&lt;b&gt;Eve&lt;/b&gt; &lt;eve@example.com&gt;"));
        assert!(page.contains("&quot;&gt;&lt;script&gt;x&lt;/script&gt;.pdf</a>"));
    }

    #[test]
    fn safe_names_cannot_leave_their_folder() {
        assert_eq!(safe_file_name(1, "../../etc/passwd"), "1-_.._etc_passwd");
        assert_eq!(safe_file_name(2, "..\\win.ini"), "2-_win.ini");
        assert_eq!(safe_file_name(3, ".."), "3-file");
        assert_eq!(safe_file_name(4, "résumé 2026.pdf"), "4-r_sum__2026.pdf");
        let long = format!("{}.png", "a".repeat(300));
        let safe = safe_file_name(5, &long);
        assert_eq!(safe.len(), 82);
        assert!(safe.ends_with(".png"));
    }
}
