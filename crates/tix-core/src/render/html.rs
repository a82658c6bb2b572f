//! The pieces every page shares: escaping, the page around a body, the
//! style sheet, and a table.

use std::fmt::Write;

/// The style of every page: written once as `style.css` beside a site's
/// pages, inlined in a single page. No web font, no image: the system's
/// sans-serif and plain boxes, so a page reads the same off any host.
pub const STYLE: &str = "\
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem 3rem; color: #1d2330; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 1rem 0 .3rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #d8dce6; padding-bottom: .2rem; }
p.meta, .meta { color: #5a6272; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #e3e6ee; vertical-align: top; }
th { background: #f3f5f9; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: .8rem; background: #e8ecf4; }
.status-closed { background: #dff3e4; }
.entry { border: 1px solid #d8dce6; border-radius: .4rem; margin: .8rem 0; padding: .6rem .9rem; }
.entry.reply { background: #f5f8ff; border-color: #c9d6f2; }
.entry .who { font-weight: 600; }
.entry pre { white-space: pre-wrap; word-wrap: break-word; font-family: inherit; margin: .4rem 0 0; }
.change { color: #5a6272; font-size: .88rem; margin: .4rem 0; }
.attachments { margin: .4rem 0 0; padding-left: 1.2rem; font-size: .9rem; }
.figures { display: flex; flex-wrap: wrap; gap: .8rem; margin: .8rem 0; }
.figure { border: 1px solid #d8dce6; border-radius: .4rem; padding: .6rem .9rem; min-width: 10rem; }
.figure .value { font-size: 1.5rem; font-weight: 600; }
.figure .label { color: #5a6272; font-size: .85rem; }
figure.chart { margin: 1rem 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: .3rem; }
svg text { font-family: system-ui, sans-serif; }
footer { margin-top: 3rem; color: #5a6272; font-size: .8rem; }
";

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, for element content
/// and quoted attribute values alike.
pub fn escape(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

/// How a page gets its style.
#[derive(Clone, Copy, Debug)]
pub enum Css<'a> {
    /// A `<link>` to this file, relative to the page.
    Linked(&'a str),
    /// In a `<style>` element: a page that stands alone.
    Inline,
}

/// A whole page: `title` (escaped here) and `body` (already HTML). The
/// Content-Security-Policy tells a browser that the page runs no script
/// and loads nothing from elsewhere, whatever a hostile text managed.
pub fn page(title: &str, css: Css<'_>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + STYLE.len() + 512);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:\">\n",
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    match css {
        Css::Linked(href) => {
            let _ = writeln!(out, "<link rel=\"stylesheet\" href=\"{}\">", escape(href));
        }
        Css::Inline => {
            let _ = writeln!(out, "<style>\n{STYLE}</style>");
        }
    }
    out.push_str("</head>\n<body>\n");
    out.push_str(body);
    out.push_str("</body>\n</html>\n");
    out
}

/// A table: `head` titles, then rows of cells, all escaped here. A
/// column listed in `numeric` is right-aligned.
pub fn table(head: &[String], rows: &[Vec<String>], numeric: &[bool]) -> String {
    let mut out = String::from("<table>\n<thead><tr>");
    let class = |i: usize| {
        if numeric.get(i).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        }
    };
    for (i, h) in head.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", class(i), escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(i), escape(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A row of big figures, each `(label, value)`.
pub fn figures(items: &[(String, String)]) -> String {
    let mut out = String::from("<div class=\"figures\">\n");
    for (label, value) in items {
        let _ = writeln!(
            out,
            "<div class=\"figure\"><div class=\"value\">{}</div><div class=\"label\">{}</div></div>",
            escape(value),
            escape(label)
        );
    }
    out.push_str("</div>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_no_markup() {
        assert_eq!(
            escape(r#""><img src=x onerror=alert(1)> & 'x'"#),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &#x27;x&#x27;"
        );
    }

    #[test]
    fn a_table_escapes_its_cells() {
        let t = table(
            &["<b>".into()],
            &[vec!["<script>x</script>".into()]],
            &[true],
        );
        assert!(t.contains("<th class=\"num\">&lt;b&gt;</th>"));
        assert!(t.contains("<td class=\"num\">&lt;script&gt;x&lt;/script&gt;</td>"));
        assert!(!t.contains("<script>"));
    }
}
