//! Writing results: terminal detection, colour (never when NO_COLOR is set
//! or output is piped), and delimited formats for scripts.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};

use tix_core::error::{Error, Result};

pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

pub fn stdout_color() -> bool {
    stdout_is_terminal() && !no_color()
}

pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && !no_color()
}

/// Writes to stdout. A closed pipe (`tix list | head`) ends output quietly
/// instead of being an error.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::internal(format!("cannot write output: {e}"))),
    }
}

/// `text` made harmless for a terminal: control characters other than
/// line feed and tab (C0, DEL, C1, a carriage return not ending a line)
/// are shown visibly instead of acting on the terminal, so a mail cannot
/// set the window title, hide text or overwrite a line. C0 and DEL are
/// shown in caret notation (`^[`, `^M`, `^?`), C1 as `<U+009B>`. The
/// stored text is not changed; this is only for display.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A CRLF line end is a line end.
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\t' => out.push(c),
            '\u{0}'..='\u{1f}' => {
                out.push('^');
                out.push(char::from(c as u8 + 0x40));
            }
            '\u{7f}' => out.push_str("^?"),
            c if c.is_control() => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`terminal_safe`] when stdout is a terminal; the text as it is when
/// piped, where the bytes are what the reader asked for.
pub fn for_stdout(text: &str) -> Cow<'_, str> {
    if stdout_is_terminal() {
        terminal_safe(text)
    } else {
        Cow::Borrowed(text)
    }
}

/// [`terminal_safe`] when stderr is a terminal: warnings and errors quote
/// names, fields and file contents that came from mail or a hand edit.
pub fn for_stderr(text: &str) -> Cow<'_, str> {
    if std::io::stderr().is_terminal() {
        terminal_safe(text)
    } else {
        Cow::Borrowed(text)
    }
}

pub fn warn(message: &str) {
    let label = if stderr_color() {
        "\x1b[33mwarning:\x1b[0m"
    } else {
        "warning:"
    };
    eprintln!("tix: {label} {}", for_stderr(message));
}

/// ANSI styling that disappears when colour is off.
#[derive(Clone, Copy)]
pub struct Style {
    pub on: bool,
}

impl Style {
    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    pub fn yellow(&self, text: &str) -> String {
        self.paint("33", text)
    }

    pub fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }

    pub fn cyan(&self, text: &str) -> String {
        self.paint("36", text)
    }
}

/// Rows as CSV (RFC 4180 quoting) with a header line.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> Result<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| Error::internal(format!("cannot write CSV: {e}"));
    w.write_record(header).map_err(fail)?;
    for row in rows {
        w.write_record(row).map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::internal(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::internal(format!("cannot write CSV: {e}")))
}

/// Rows as tab-separated values with a header line. Tabs and line breaks
/// inside a value become spaces, so every record is one line.
pub fn tsv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = Tsv::new(header, rows.len());
    for row in rows {
        for cell in row {
            out.cell(cell);
        }
        out.end_row();
    }
    out.finish()
}

/// Tab-separated values written cell by cell, for long listings: tabs and
/// line breaks inside a cell become spaces so every row stays one line.
pub struct Tsv {
    out: String,
    row_started: bool,
}

impl Tsv {
    /// `rows` is a hint for the space to reserve.
    pub fn new(header: &[&str], rows: usize) -> Tsv {
        let mut out = String::with_capacity(rows.saturating_mul(160).min(1 << 30));
        out.push_str(&header.join("\t"));
        out.push('\n');
        Tsv {
            out,
            row_started: false,
        }
    }

    pub fn cell(&mut self, text: &str) {
        if self.row_started {
            self.out.push('\t');
        }
        self.row_started = true;
        self.push_clean(text);
    }

    /// A cell the caller knows has no tab or line break.
    pub fn plain_cell(&mut self, text: &str) {
        if self.row_started {
            self.out.push('\t');
        }
        self.row_started = true;
        self.out.push_str(text);
    }

    /// Appends to the last cell text the caller knows is plain.
    pub fn append_plain(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// The output, to append plain text to the last cell.
    pub fn buffer(&mut self) -> &mut String {
        &mut self.out
    }

    /// One cell made of `parts` joined by `separator`.
    pub fn cell_parts<'a>(&mut self, parts: impl IntoIterator<Item = &'a str>, separator: &str) {
        self.cell("");
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                self.push_clean(separator);
            }
            self.push_clean(part);
        }
    }

    fn push_clean(&mut self, text: &str) {
        // A fold, not `any`: without the early exit it compiles to vector
        // code, and nearly every cell is clean.
        let dirty = text
            .bytes()
            .fold(false, |dirty, b| dirty | matches!(b, b'\t' | b'\n' | b'\r'));
        if dirty {
            self.out.push_str(&text.replace(['\t', '\n', '\r'], " "));
        } else {
            self.out.push_str(text);
        }
    }

    pub fn end_row(&mut self) {
        self.out.push('\n');
        self.row_started = false;
    }

    pub fn finish(self) -> String {
        self.out
    }
}

pub fn json(value: &impl serde::Serialize) -> Result<String> {
    let mut s = serde_json::to_string_pretty(value)
        .map_err(|e| Error::internal(format!("cannot write JSON: {e}")))?;
    s.push('\n');
    Ok(s)
}

/// Columns of free text, which a table may cut to fit the terminal. Every
/// other column (ids, statuses, priorities, times, counts) is shown whole.
const FLEXIBLE_COLUMNS: &[&str] = &[
    "Subject",
    "Customer",
    "Assignee",
    "Name",
    "Email",
    "Address",
    "Sender",
    "From",
    "Reason",
    "Error",
    "Tags",
    "Recipients",
    "Agent",
    "Note",
];

/// The width tables fit into: `COLUMNS` when set, else the terminal's
/// width when stdout is a terminal (80 if it does not say), else none.
pub fn table_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    if !stdout_is_terminal() {
        return None;
    }
    // SAFETY: TIOCGWINSZ fills a winsize and touches nothing else.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    Some(if ok && size.ws_col > 0 {
        usize::from(size.ws_col)
    } else {
        80
    })
}

/// A table for the terminal: one line per row, fitted to [`table_width`]
/// by cutting free-text cells with an ellipsis.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    table_fitted(header, rows, table_width())
}

/// A table with every cell whole, however wide (`list --wide`).
pub fn wide_table(header: &[&str], rows: &[Vec<String>]) -> String {
    table_fitted(header, rows, None)
}

fn table_fitted(header: &[&str], rows: &[Vec<String>], width: Option<usize>) -> String {
    use unicode_width::UnicodeWidthStr;
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| terminal_safe(&c.replace(['\t', '\n', '\r'], " ")).into_owned())
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.width());
        }
    }
    if let Some(width) = width {
        fit(&mut widths, header, width);
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            let cell = cut(cell, *w);
            let pad = w.saturating_sub(cell.width());
            text.push_str(&cell);
            text.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut header.iter().copied());
    let rules: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    line(&mut rules.iter().map(String::as_str));
    for row in &cells {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

/// Narrows the free-text columns until the line fits `width`: the widest
/// give way first, and none is made narrower than it must be.
fn fit(widths: &mut [usize], header: &[&str], width: usize) {
    let gaps = 2 * widths.len().saturating_sub(1);
    let flexible: Vec<usize> = (0..widths.len())
        .filter(|i| FLEXIBLE_COLUMNS.contains(&header[*i]))
        .collect();
    let fixed: usize = (0..widths.len())
        .filter(|i| !flexible.contains(i))
        .map(|i| widths[i])
        .sum();
    let natural: usize = flexible.iter().map(|i| widths[*i]).sum();
    if fixed + gaps + natural <= width || flexible.is_empty() {
        return;
    }
    // Each flexible column keeps at least a few characters, so it says
    // something even on a narrow terminal; the line may overflow then.
    const MIN: usize = 4;
    // The subject is what a row is about: it gets twice the room of the
    // other free-text columns when they must share.
    let weight = |i: usize| if header[i] == "Subject" { 2 } else { 1 };
    let mut left = width.saturating_sub(fixed + gaps);
    let mut order = flexible.clone();
    order.sort_by(|a, b| (widths[*a] * weight(*b)).cmp(&(widths[*b] * weight(*a))));
    let mut weights: usize = order.iter().map(|i| weight(*i)).sum();
    for i in order {
        let share = left * weight(i) / weights;
        weights -= weight(i);
        let w = widths[i].min(share.max(MIN.min(widths[i])));
        left = left.saturating_sub(w);
        widths[i] = w;
    }
}

/// `text` cut to `width` columns, with an ellipsis when anything is cut.
fn cut(text: &str, width: usize) -> Cow<'_, str> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// The formats of a list: one row per record.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
    Tsv,
    Ids,
}

/// The formats of a single result: text for people, JSON for scripts.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFormat {
    Text,
    Json,
}

/// A list's format: as asked, else a table on a terminal and tab-separated
/// values when piped.
pub fn list_format(asked: Option<ListFormat>) -> ListFormat {
    asked.unwrap_or(if stdout_is_terminal() {
        ListFormat::Table
    } else {
        ListFormat::Tsv
    })
}

/// Prints rows in a list format. `json` is what `--format json` prints
/// (the records themselves, with their own field names); `ids` prints the
/// first column; `empty` is the table's text when there are no rows.
pub fn print_rows(
    format: Option<ListFormat>,
    header: &[&str],
    table_header: &[&str],
    rows: &[Vec<String>],
    json: &impl serde::Serialize,
    empty: &str,
) -> Result<()> {
    match list_format(format) {
        ListFormat::Json => print(&self::json(json)?),
        ListFormat::Csv => print(&csv(header, rows)?),
        ListFormat::Tsv => print(&tsv(header, rows)),
        ListFormat::Ids => print(
            &rows
                .iter()
                .map(|r| format!("{}\n", r[0]))
                .collect::<String>(),
        ),
        ListFormat::Table if rows.is_empty() => print(&format!("{empty}\n")),
        ListFormat::Table => print(&table(table_header, rows)),
    }
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn the_subject_gets_the_most_room_when_columns_must_share() {
        let header = [
            "ID", "Status", "Priority", "Assignee", "Customer", "Subject", "Updated",
        ];
        let mut widths = [8, 6, 8, 8, 20, 42, 16];
        fit(&mut widths, &header, 80);
        let line: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
        assert!(line <= 80, "{widths:?}");
        assert_eq!(
            [widths[0], widths[1], widths[2], widths[6]],
            [8, 6, 8, 16],
            "ids, status, priority and times are never cut"
        );
        assert!(widths[5] >= 2 * widths[4] - 1, "{widths:?}");
        // Columns that need less than their share keep their width.
        let mut widths = [8, 6, 8, 8, 5, 42, 16];
        fit(&mut widths, &header, 80);
        assert_eq!(widths[4], 5, "{widths:?}");
        assert_eq!(
            widths.iter().sum::<usize>() + 12,
            80,
            "the subject takes what is left"
        );
    }
}
