//! Warnings the core gives while it carries on (a stale git lock removed,
//! entries restored). The core has no terminal: the program using it
//! decides how a warning is shown by installing a sink once at start-up.

use std::sync::OnceLock;

static SINK: OnceLock<fn(&str)> = OnceLock::new();

/// Routes every later warning to `sink`. Only the first call counts, so a
/// library user cannot have its choice replaced behind its back.
pub fn set_sink(sink: fn(&str)) {
    let _ = SINK.set(sink);
}

/// Gives `message` to the installed sink, or to standard error, with
/// control characters shown as `^X` so a name from the repository cannot
/// drive the terminal.
pub fn warn(message: &str) {
    match SINK.get() {
        Some(sink) => sink(message),
        None => eprintln!("tix: warning: {}", plain(message)),
    }
}

fn plain(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(b'@' + c as u8));
            }
            '\u{7f}' => out.push_str("^?"),
            c if ('\u{80}'..'\u{a0}').contains(&c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(super::plain("a\x1b[2Jb\x7f\u{9b}\n"), "a^[[2Jb^?\\u{9b}\n");
    }
}
