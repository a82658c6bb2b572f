//! Commands an agent writes at the top of an e-mail to tix (`#assign bob`,
//! `#pending`, `#note`, …): the grammar, as a pure function of the text
//! the agent wrote (the quoted history already split off). Import decides
//! whose mail is read for them and applies them (see `import`); this file
//! only says what the lines mean.
//!
//! The block is the lines at the very top (after any blank lines) that
//! start with `#` followed by a letter, one command per line: `#word
//! args`, the word in any case. A blank line, or the first line that is
//! not such a line, ends it; a `#` line further down is text.

use crate::domain::{Priority, Status};

/// One command of the block, as understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `#status STATUS`, `#open`, `#pending`; `Closed` (also `#close`)
    /// closes the ticket as `tix close` does.
    Status(Status),
    /// `#assign me|nobody|AGENT`.
    Assign(Assignee),
    /// `#escalate [GROUP|AGENT]`: the next group when none is named.
    Escalate(Option<String>),
    /// `#tag TAG…`.
    Tag(Vec<String>),
    /// `#untag TAG…`.
    Untag(Vec<String>),
    /// `#priority low|normal|high|urgent`.
    Priority(Priority),
    /// `#blacklist`: the ticket's customer address.
    Blacklist,
}

/// Who `#assign` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assignee {
    /// The agent who wrote.
    Me,
    Nobody,
    Agent(String),
}

/// A line of the block and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line<T> {
    /// The line as written, trimmed.
    pub text: String,
    pub what: T,
}

/// The command block at the top of an agent's text, and the text after it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Block {
    /// The commands understood, in the order written.
    pub commands: Vec<Line<Command>>,
    /// The lines not understood, with why.
    pub unknown: Vec<Line<String>>,
    /// `#note` was among them: the text is for the team only.
    pub note: bool,
    /// Every line of the block as written, trimmed, in order.
    pub written: Vec<String>,
    /// What follows the block (with the words after `#note` on its line
    /// first, when there were any).
    pub text: String,
}

impl Block {
    /// Whether the text started with no command line at all.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty() && self.unknown.is_empty() && !self.note
    }

    /// Whether what follows the block must stay internal: asked for with
    /// `#note`, or a line was not understood (a mistyped `#note` must not
    /// reach the customer).
    pub fn keeps_text_internal(&self) -> bool {
        self.note || !self.unknown.is_empty()
    }

    /// Whether the text goes to the customer as the agent's reply: there
    /// are no commands, or there is text and nothing keeps it internal.
    pub fn reaches_customer(&self) -> bool {
        self.is_empty() || (self.has_text() && !self.keeps_text_internal())
    }

    /// Whether there is anything beyond the commands.
    pub fn has_text(&self) -> bool {
        !self.text.trim().is_empty()
    }

    /// The block's lines as written, one per line.
    pub fn lines(&self) -> String {
        let mut out = String::new();
        for l in &self.written {
            out.push_str(l);
            out.push('\n');
        }
        out
    }
}

/// The commands every agent's mail may carry, as the notification lists
/// them.
pub const SUMMARY: &str = "#note (the rest stays internal), #assign me|AGENT|nobody, \
#open, #pending, #close, #status STATUS, #priority low|normal|high|urgent, \
#tag TAG..., #untag TAG..., #escalate [GROUP], #blacklist";

/// Whether `line` (trimmed) belongs to a command block: `#` and a letter.
fn is_command_line(line: &str) -> bool {
    let mut chars = line.chars();
    chars.next() == Some('#') && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
}

/// Reads the command block at the top of `text`.
pub fn parse(text: &str) -> Block {
    let mut block = Block::default();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        if !raw.trim().is_empty() {
            break;
        }
        at += raw.len();
    }
    let mut note_words = String::new();
    let mut rest_start = text.len();
    for raw in text[at..].split_inclusive('\n') {
        let line = raw.trim();
        if !is_command_line(line) {
            // A blank line ends the block and is not part of the text.
            rest_start = if line.is_empty() { at + raw.len() } else { at };
            break;
        }
        at += raw.len();
        block.written.push(line.to_string());
        let (word, args) = line[1..]
            .split_once(char::is_whitespace)
            .map_or((&line[1..], ""), |(w, a)| (w, a.trim()));
        let word = word.to_ascii_lowercase();
        if word == "note" {
            block.note = true;
            if !args.is_empty() {
                note_words.push_str(args);
                note_words.push('\n');
            }
            continue;
        }
        match command(&word, args) {
            Ok(what) => block.commands.push(Line {
                text: line.to_string(),
                what,
            }),
            Err(why) => block.unknown.push(Line {
                text: line.to_string(),
                what: why,
            }),
        }
    }
    let rest = text[rest_start..].trim_start_matches(['\r', '\n']);
    block.text = if note_words.is_empty() {
        rest.to_string()
    } else {
        format!("{note_words}{rest}")
    };
    if block.is_empty() {
        block.text = text.to_string();
    }
    block
}

/// What `#word args` means, or why it means nothing.
fn command(word: &str, args: &str) -> Result<Command, String> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let none = |c: Command| {
        if words.is_empty() {
            Ok(c)
        } else {
            Err(format!("#{word} takes no arguments"))
        }
    };
    match word {
        "open" => none(Command::Status(Status::Open)),
        "pending" => none(Command::Status(Status::Pending)),
        "close" => none(Command::Status(Status::Closed)),
        "blacklist" => none(Command::Blacklist),
        "status" => match words.as_slice() {
            [one] => one.parse().map(Command::Status),
            _ => Err(format!("#status takes one status ({})", statuses())),
        },
        "priority" => match words.as_slice() {
            [one] => one.parse().map(Command::Priority),
            _ => Err("#priority takes one of low, normal, high, urgent".into()),
        },
        "assign" => match words.as_slice() {
            [one] if one.eq_ignore_ascii_case("me") => Ok(Command::Assign(Assignee::Me)),
            [one] if one.eq_ignore_ascii_case("nobody") || one.eq_ignore_ascii_case("none") => {
                Ok(Command::Assign(Assignee::Nobody))
            }
            [one] => Ok(Command::Assign(Assignee::Agent(one.to_string()))),
            _ => Err("#assign takes one of me, nobody or an agent's handle".into()),
        },
        "escalate" => match words.as_slice() {
            [] => Ok(Command::Escalate(None)),
            [one] => Ok(Command::Escalate(Some(one.to_string()))),
            _ => Err("#escalate takes at most a group (or an agent)".into()),
        },
        "tag" | "untag" => {
            if words.is_empty() {
                return Err(format!("#{word} takes one or more tags"));
            }
            let tags: Vec<String> = words.iter().map(|t| t.to_string()).collect();
            for t in &tags {
                crate::ops::check_tag(t).map_err(|e| e.message().to_string())?;
            }
            Ok(if word == "tag" {
                Command::Tag(tags)
            } else {
                Command::Untag(tags)
            })
        }
        _ => Err(format!("unknown command #{word} (known: {SUMMARY})")),
    }
}

fn statuses() -> String {
    Status::ALL
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commands(text: &str) -> Vec<Command> {
        parse(text).commands.into_iter().map(|c| c.what).collect()
    }

    #[test]
    fn commands_at_the_top_are_read_until_a_blank_or_text_line() {
        let block = parse("\n#Pending\n#assign bob\n#TAG refund vip\n\nThanks, Ann.\n#close\n");
        assert_eq!(
            block.commands.iter().map(|c| &c.what).collect::<Vec<_>>(),
            [
                &Command::Status(Status::Pending),
                &Command::Assign(Assignee::Agent("bob".into())),
                &Command::Tag(vec!["refund".into(), "vip".into()]),
            ]
        );
        // A `#` line in the text is text.
        assert_eq!(block.text, "Thanks, Ann.\n#close\n");
        assert!(block.unknown.is_empty() && !block.note);
        assert!(!block.keeps_text_internal() && block.has_text());

        let block = parse("#priority HIGH\nThe text starts here.\r\n");
        assert_eq!(block.text, "The text starts here.\r\n");
        assert_eq!(
            commands("#priority HIGH"),
            [Command::Priority(Priority::High)]
        );
    }

    #[test]
    fn every_command_has_its_meaning() {
        let all = "#open\n#pending\n#close\n#status on-hold\n#status closed\n\
                   #assign me\n#assign nobody\n#assign bob\n#escalate\n#escalate second\n\
                   #tag a b\n#untag c\n#priority urgent\n#blacklist\n";
        assert_eq!(
            commands(all),
            [
                Command::Status(Status::Open),
                Command::Status(Status::Pending),
                Command::Status(Status::Closed),
                Command::Status(Status::OnHold),
                Command::Status(Status::Closed),
                Command::Assign(Assignee::Me),
                Command::Assign(Assignee::Nobody),
                Command::Assign(Assignee::Agent("bob".into())),
                Command::Escalate(None),
                Command::Escalate(Some("second".into())),
                Command::Tag(vec!["a".into(), "b".into()]),
                Command::Untag(vec!["c".into()]),
                Command::Priority(Priority::Urgent),
                Command::Blacklist,
            ]
        );
        assert!(parse(all).unknown.is_empty());
        assert!(!parse(all).has_text());
    }

    #[test]
    fn lines_not_understood_are_kept_with_the_reason_and_keep_the_text_internal() {
        let block = parse("#nte\n#priority sky-high\n#close now\n#tag\nFor the team.\n");
        let why: Vec<&str> = block.unknown.iter().map(|u| u.what.as_str()).collect();
        assert_eq!(block.unknown.len(), 4, "{why:?}");
        assert!(why[0].starts_with("unknown command #nte"), "{}", why[0]);
        assert!(why[1].contains("sky-high"), "{}", why[1]);
        assert_eq!(why[2], "#close takes no arguments");
        assert_eq!(why[3], "#tag takes one or more tags");
        assert_eq!(block.unknown[0].text, "#nte");
        assert!(block.keeps_text_internal());
        assert_eq!(block.text, "For the team.\n");
        assert_eq!(
            block.lines(),
            "#nte\n#priority sky-high\n#close now\n#tag\n"
        );
        let block = parse("#note\n#zap\n#pending\n");
        assert_eq!(block.lines(), "#note\n#zap\n#pending\n");
        assert!(!block.has_text() && !block.reaches_customer());
    }

    #[test]
    fn note_keeps_the_rest_internal_and_may_carry_its_first_words() {
        let block = parse("#note\nCheck the warranty.\n");
        assert!(block.note && block.commands.is_empty());
        assert_eq!(block.text, "Check the warranty.\n");
        let block = parse("#assign me\n#NOTE call her back\nShe is upset.\n");
        assert!(block.note);
        assert_eq!(
            commands("#assign me\n#note"),
            [Command::Assign(Assignee::Me)]
        );
        assert_eq!(block.text, "call her back\nShe is upset.\n");
    }

    /// The notification tells agents what they may write; a command
    /// added here must be listed there too.
    #[test]
    fn the_notification_lists_every_command() {
        let notify = crate::domain::template::DEFAULT_NOTIFY;
        for word in SUMMARY.split(|c: char| !(c == '#' || c.is_ascii_alphabetic())) {
            if let Some(word) = word.strip_prefix('#') {
                assert!(notify.contains(&format!("#{word}")), "#{word} missing");
                assert!(
                    !parse(&format!("#{word} x y z"))
                        .unknown
                        .iter()
                        .any(|u| u.what.starts_with("unknown")),
                    "#{word} is not a command"
                );
            }
        }
    }

    #[test]
    fn text_without_a_command_line_is_left_whole() {
        for text in [
            "Hello Ann,\n#close\n",
            "# not a command\n",
            "#1 try this\n",
            "",
            "\n\n",
        ] {
            let block = parse(text);
            assert!(block.is_empty(), "{text:?}");
            assert_eq!(block.text, text);
        }
    }
}
