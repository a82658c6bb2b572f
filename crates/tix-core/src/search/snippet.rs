//! The line a result shows: the one holding the most of the query's
//! words, cut around the first of them, with where each matched word
//! stands so a terminal can mark it. Pure.

use serde::Serialize;

use super::text;

/// Longer lines are cut around their first match.
const MAX_SNIPPET_CHARS: usize = 160;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges of matched words in `text`.
    pub marks: Vec<(usize, usize)>,
}

/// The best line of `texts` (earlier texts win ties) for `words`; with
/// no words, the first line that is not empty.
pub fn best_line(texts: &[&str], words: &[String]) -> Option<Snippet> {
    let mut best: Option<(usize, &str)> = None;
    for line in texts.iter().flat_map(|t| t.lines()) {
        let line = line.trim();
        if line.is_empty() || line.starts_with('>') {
            continue;
        }
        let found: Vec<String> = text::words(line);
        let hits = words.iter().filter(|w| found.contains(w)).count();
        if best.is_none_or(|(h, _)| hits > h) {
            best = Some((hits, line));
        }
        if words.is_empty() || hits == words.len() {
            break;
        }
    }
    let (_, line) = best?;
    Some(cut(line, words))
}

fn cut(line: &str, words: &[String]) -> Snippet {
    let tokens = text::tokens(line);
    let first = tokens
        .iter()
        .find(|t| words.contains(&t.text))
        .map_or(0, |t| t.from);
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let at = chars.iter().position(|(b, _)| *b >= first).unwrap_or(0);
    let start_char = if chars.len() <= MAX_SNIPPET_CHARS {
        0
    } else {
        at.saturating_sub(MAX_SNIPPET_CHARS / 4)
            .min(chars.len() - MAX_SNIPPET_CHARS)
    };
    let end_char = (start_char + MAX_SNIPPET_CHARS).min(chars.len());
    let start = chars[start_char].0;
    let end = chars.get(end_char).map_or(line.len(), |(b, _)| *b);
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < line.len() { "…" } else { "" };
    let text = format!("{prefix}{}{suffix}", &line[start..end]);
    let shift = prefix.len();
    let marks = tokens
        .iter()
        .filter(|t| t.from >= start && t.to <= end && words.contains(&t.text))
        .map(|t| (t.from - start + shift, t.to - start + shift))
        .collect();
    Snippet { text, marks }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_line_with_most_words_is_chosen_and_its_words_marked() {
        let s = best_line(
            &["Hello,\nthe printer is broken\nPrinter shows Error 42 again"],
            &w(&["printer", "error"]),
        )
        .unwrap();
        assert_eq!(s.text, "Printer shows Error 42 again");
        let marked: Vec<&str> = s.marks.iter().map(|(a, b)| &s.text[*a..*b]).collect();
        assert_eq!(marked, ["Printer", "Error"]);
    }

    #[test]
    fn accented_and_cyrillic_matches_are_marked_as_written() {
        let s = best_line(&["Всё сломалось: Café"], &w(&["все", "cafe"])).unwrap();
        let marked: Vec<&str> = s.marks.iter().map(|(a, b)| &s.text[*a..*b]).collect();
        assert_eq!(marked, ["Всё", "Café"]);
    }

    #[test]
    fn long_lines_are_cut_around_the_first_match() {
        let line = format!("{} needle {}", "hay ".repeat(100), "straw ".repeat(100));
        let s = best_line(&[&line], &w(&["needle"])).unwrap();
        assert!(s.text.chars().count() <= MAX_SNIPPET_CHARS + 2);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        let (a, b) = s.marks[0];
        assert_eq!(&s.text[a..b], "needle");
    }

    #[test]
    fn without_words_the_first_line_and_quotes_are_skipped() {
        let s = best_line(&["\n> quoted\nfirst real line\nsecond"], &[]).unwrap();
        assert_eq!(s.text, "first real line");
        assert!(s.marks.is_empty());
        assert_eq!(best_line(&["", "  "], &[]), None);
    }
}
