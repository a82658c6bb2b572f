//! How text becomes searchable words, the same at index and at query
//! time: runs of letters and digits, lower-cased and folded (accents
//! dropped, `ё` read as `е`), and every Han or kana character a word of
//! its own, so that a run of Chinese or Japanese text is found as a
//! phrase of its characters without a dictionary. Pure.

/// Longer runs (a base64 blob, a hash) are no word anyone types.
pub const MAX_TOKEN_BYTES: usize = 64;

/// A word of the text and where it stands in it (byte offsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub from: usize,
    pub to: usize,
}

/// The words of `text`, in order.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut start = 0;
    let flush = |word: &mut String, start: usize, end: usize, out: &mut Vec<Token>| {
        if !word.is_empty() && word.len() <= MAX_TOKEN_BYTES {
            out.push(Token {
                text: std::mem::take(word),
                from: start,
                to: end,
            });
        }
        word.clear();
    };
    for (at, c) in text.char_indices() {
        if is_combining_mark(c) {
            // A decomposed accent belongs to the letter before it.
            continue;
        }
        if is_ideograph(c) {
            flush(&mut word, start, at, &mut out);
            word.push(c);
            flush(&mut word, at, at + c.len_utf8(), &mut out);
            continue;
        }
        if c.is_alphanumeric() {
            if word.is_empty() {
                start = at;
            }
            for lower in c.to_lowercase() {
                fold_into(lower, &mut word);
            }
        } else {
            flush(&mut word, start, at, &mut out);
        }
    }
    flush(&mut word, start, text.len(), &mut out);
    out
}

/// Just the words of `text`.
pub fn words(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.text).collect()
}

/// Han (Chinese characters, Japanese kanji) and kana: scripts written
/// without spaces between words.
pub fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x3134F) // CJK Extensions B to G
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

/// Pushes the folded form of a lower-case letter: Latin letters lose
/// their accents (`é` → `e`, `ß` → `ss`), `ё` becomes `е` (Russian text
/// writes them interchangeably; `й` stays, it is a letter of its own).
fn fold_into(c: char, out: &mut String) {
    let folded: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ё' => "е",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(folded);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_and_folded() {
        assert_eq!(
            words("Café CRÈME, Straße; naïve-Øl 42"),
            ["cafe", "creme", "strasse", "naive", "ol", "42"]
        );
        // A decomposed accent (e + U+0301) folds like the composed one.
        assert_eq!(words("Cafe\u{301}"), ["cafe"]);
    }

    #[test]
    fn cyrillic_is_lower_cased_and_yo_is_ye() {
        assert_eq!(
            words("Принтер НЕ печатает, всё ещё"),
            ["принтер", "не", "печатает", "все", "еще"]
        );
        assert_eq!(words("Йошкар-Ола"), ["йошкар", "ола"]);
    }

    #[test]
    fn han_and_kana_are_one_word_per_character() {
        assert_eq!(words("打印机坏了"), ["打", "印", "机", "坏", "了"]);
        assert_eq!(words("プリンタ error"), ["プ", "リ", "ン", "タ", "error"]);
        // Hangul is written with spaces: its words stay whole.
        assert_eq!(words("프린터 고장"), ["프린터", "고장"]);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "Ошибка: Café 42";
        for t in tokens(text) {
            let original = &text[t.from..t.to];
            assert_eq!(words(original), vec![t.text], "{original}");
        }
        assert_eq!(tokens("a1 b").len(), 2);
    }

    #[test]
    fn addresses_and_punctuation_split_into_words() {
        assert_eq!(
            words("ann.lee@example.com <x>"),
            ["ann", "lee", "example", "com", "x"]
        );
        assert!(words("  ,;:-  ").is_empty());
    }

    #[test]
    fn runs_no_one_types_are_not_words() {
        let blob = "A".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(words(&format!("{blob} ok")), ["ok"]);
    }
}
