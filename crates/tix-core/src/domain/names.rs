//! Safe file names for attachments. A name comes from a user or, later,
//! from a stranger's e-mail, so nothing in it may steer where the file lands.
//! Also the shape a tag must have.

/// The longest stored name, in bytes. Leaves room below the common 255-byte
/// limit for the collision suffix.
pub const MAX_NAME_BYTES: usize = 120;

/// Turns any proposed name into one that is a single, ordinary path
/// component: directory parts dropped, control characters and characters
/// that shells and other systems treat specially replaced, no leading dots,
/// bounded length (keeping the extension). Empty results become `fallback`.
pub fn safe_file_name(proposed: &str, fallback: &str) -> String {
    let last = proposed.rsplit(['/', '\\']).next().unwrap_or("");
    let mut name: String = last
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|' | '#' | '%') {
                '_'
            } else if c.is_whitespace() {
                ' '
            } else {
                c
            }
        })
        .collect();
    name = name
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' '])
        .to_string();
    if name.is_empty() {
        name = fallback.to_string();
    }
    truncate_keeping_extension(&name, MAX_NAME_BYTES)
}

fn truncate_keeping_extension(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(dot) if name.len() - dot <= 16 && dot > 0 => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    };
    let mut cut = max.saturating_sub(ext.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{}", &stem[..cut], ext)
}

/// Makes `name` differ from every name in `taken` by suffixing `-2`, `-3`, …
/// before the extension.
pub fn unique_name(name: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == name) {
        return name.to_string();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(dot) if dot > 0 => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    };
    (2..)
        .map(|n| format!("{stem}-{n}{ext}"))
        .find(|candidate| !taken.contains(candidate))
        .expect("an unused suffix exists")
}

/// Checks a tag: a word without spaces, commas or control characters,
/// 1 to 64 bytes. One rule for tags typed on the command line and named
/// in automation rules.
pub fn check_tag(tag: &str) -> Result<(), String> {
    if tag.is_empty()
        || tag.len() > 64
        || tag
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ',')
    {
        return Err(format!(
            "tag `{tag}`: expected 1 to 64 characters without spaces or commas"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_become_single_components() {
        assert_eq!(safe_file_name("../../etc/passwd", "x"), "passwd");
        assert_eq!(safe_file_name("C:\\Windows\\evil.exe", "x"), "evil.exe");
        assert_eq!(safe_file_name("..", "file.bin"), "file.bin");
        assert_eq!(safe_file_name(".bashrc", "x"), "bashrc");
        assert_eq!(safe_file_name("a\u{0}b\nc.txt", "x"), "a_b_c.txt");
        assert_eq!(safe_file_name("report<1>.pdf", "x"), "report_1_.pdf");
        assert_eq!(safe_file_name("", "attachment"), "attachment");
        let long = format!("{}.pdf", "é".repeat(200));
        let safe = safe_file_name(&long, "x");
        assert!(safe.len() <= MAX_NAME_BYTES && safe.ends_with(".pdf"));
    }

    #[test]
    fn collisions_get_suffixes() {
        let taken = vec!["a.txt".to_string(), "a-2.txt".to_string()];
        assert_eq!(unique_name("a.txt", &taken), "a-3.txt");
        assert_eq!(unique_name("b.txt", &taken), "b.txt");
    }
}
