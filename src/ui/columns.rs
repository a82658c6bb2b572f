//! A table's columns, each declared once with its name in machine output
//! (CSV, TSV), its title in a table, and how a row fills it in each, so
//! the formats of one result cannot drift apart.

use std::borrow::Cow;

use super::output;
use tix_core::error::Result;
use tix_core::report::human;

type Cell<'a, R> = Box<dyn Fn(&R) -> String + 'a>;

struct Column<'a, R> {
    /// None: the column is only in a table.
    key: Option<Cow<'a, str>>,
    /// None: the column is only in machine output.
    title: Option<Cow<'a, str>>,
    value: Cell<'a, R>,
    /// What a table shows instead of `value` (a duration in words, not
    /// seconds); None: the same.
    shown: Option<Cell<'a, R>>,
}

/// The columns of rows of type `R`, in order.
pub struct Columns<'a, R> {
    columns: Vec<Column<'a, R>>,
}

impl<R> Default for Columns<'_, R> {
    fn default() -> Self {
        Columns {
            columns: Vec::new(),
        }
    }
}

impl<'a, R> Columns<'a, R> {
    pub fn new() -> Self {
        Self::default()
    }

    /// A column with the same text everywhere.
    pub fn both(
        self,
        key: impl Into<Cow<'a, str>>,
        title: impl Into<Cow<'a, str>>,
        value: impl Fn(&R) -> String + 'a,
    ) -> Self {
        self.push(Some(key.into()), Some(title.into()), Box::new(value), None)
    }

    /// A column whose table text differs from its machine text.
    pub fn each(
        self,
        key: impl Into<Cow<'a, str>>,
        title: impl Into<Cow<'a, str>>,
        value: impl Fn(&R) -> String + 'a,
        shown: impl Fn(&R) -> String + 'a,
    ) -> Self {
        self.push(
            Some(key.into()),
            Some(title.into()),
            Box::new(value),
            Some(Box::new(shown)),
        )
    }

    /// A length of time: whole seconds in machine output, in words in a
    /// table, empty or a dash when there is none.
    pub fn seconds(
        self,
        key: impl Into<Cow<'a, str>>,
        title: impl Into<Cow<'a, str>>,
        value: impl Fn(&R) -> Option<i64> + Copy + 'a,
    ) -> Self {
        self.each(
            key,
            title,
            move |r| value(r).map(|s| s.to_string()).unwrap_or_default(),
            move |r| value(r).map_or_else(|| "—".to_string(), human),
        )
    }

    /// A column only in machine output.
    pub fn machine(self, key: impl Into<Cow<'a, str>>, value: impl Fn(&R) -> String + 'a) -> Self {
        self.push(Some(key.into()), None, Box::new(value), None)
    }

    /// A column only in a table.
    pub fn shown(self, title: impl Into<Cow<'a, str>>, shown: impl Fn(&R) -> String + 'a) -> Self {
        self.push(None, Some(title.into()), Box::new(shown), None)
    }

    fn push(
        mut self,
        key: Option<Cow<'a, str>>,
        title: Option<Cow<'a, str>>,
        value: Cell<'a, R>,
        shown: Option<Cell<'a, R>>,
    ) -> Self {
        self.columns.push(Column {
            key,
            title,
            value,
            shown,
        });
        self
    }

    /// The machine header.
    pub fn keys(&self) -> Vec<&str> {
        self.columns
            .iter()
            .filter_map(|c| c.key.as_deref())
            .collect()
    }

    /// The machine cells of each row.
    pub fn values(&self, rows: &[R]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                self.columns
                    .iter()
                    .filter(|c| c.key.is_some())
                    .map(|c| (c.value)(r))
                    .collect()
            })
            .collect()
    }

    fn titled(&self) -> impl Iterator<Item = (&str, &Column<'a, R>)> {
        self.columns
            .iter()
            .filter_map(|c| Some((c.title.as_deref()?, c)))
    }

    fn shown_cell(column: &Column<'a, R>, row: &R) -> String {
        match &column.shown {
            Some(shown) => shown(row),
            None => (column.value)(row),
        }
    }

    /// CSV with the machine header.
    pub fn csv(&self, rows: &[R]) -> Result<String> {
        output::csv(&self.keys(), &self.values(rows))
    }

    /// A table with one line per row.
    pub fn table(&self, rows: &[R]) -> String {
        let titles: Vec<&str> = self.titled().map(|(t, _)| t).collect();
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| self.titled().map(|(_, c)| Self::shown_cell(c, r)).collect())
            .collect();
        output::table(&titles, &cells)
    }

    /// An HTML table of the same titles and cells as [`Columns::table`],
    /// escaped; a column whose cells are all numbers is right-aligned.
    pub fn html(&self, rows: &[R]) -> String {
        let titles: Vec<String> = self.titled().map(|(t, _)| t.trim().to_string()).collect();
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| self.titled().map(|(_, c)| Self::shown_cell(c, r)).collect())
            .collect();
        let numeric: Vec<bool> = (0..titles.len())
            .map(|i| {
                !cells.is_empty()
                    && cells.iter().all(|row| {
                        let c = row[i].trim();
                        c == "—" || (!c.is_empty() && c.parse::<f64>().is_ok())
                    })
            })
            .collect();
        tix_core::render::html::table(&titles, &cells, &numeric)
    }

    /// [`Columns::transposed`] as an HTML table.
    pub fn html_transposed(&self, header: [&str; 2], row: &R) -> String {
        let cells: Vec<Vec<String>> = self
            .titled()
            .map(|(t, c)| vec![t.trim().to_string(), Self::shown_cell(c, row)])
            .collect();
        let header = [header[0].to_string(), header[1].to_string()];
        tix_core::render::html::table(&header, &cells, &[false, true])
    }

    /// A table of one row turned on its side: a line per column, its title
    /// then its cell, under `header`.
    pub fn transposed(&self, header: [&str; 2], row: &R) -> String {
        let cells: Vec<Vec<String>> = self
            .titled()
            .map(|(t, c)| vec![t.to_string(), Self::shown_cell(c, row)])
            .collect();
        output::table(&header, &cells)
    }
}

#[cfg(test)]
mod tests {
    use super::Columns;

    fn columns() -> Columns<'static, (u32, &'static str)> {
        Columns::new()
            .both("n", "N", |r: &(u32, &str)| r.0.to_string())
            .machine("seconds", |r| (r.0 * 60).to_string())
            .each("word", "Word", |r| r.1.to_string(), |r| r.1.to_uppercase())
            .shown("Minutes", |r| format!("{} min", r.0))
    }

    #[test]
    fn machine_output_has_the_keyed_columns_and_the_table_the_titled_ones() {
        let rows = [(1, "a"), (2, "b")];
        let c = columns();
        assert_eq!(c.keys(), ["n", "seconds", "word"]);
        assert_eq!(c.csv(&rows).unwrap(), "n,seconds,word\n1,60,a\n2,120,b\n");
        let table = c.table(&rows);
        let first = table.lines().next().unwrap();
        assert!(
            first.contains('N') && first.contains("Word") && first.contains("Minutes"),
            "{table}"
        );
        assert!(!first.contains("seconds"), "{table}");
        assert!(table.contains("2 min") && table.contains('B'), "{table}");
    }

    #[test]
    fn an_html_table_has_the_table_cells_escaped() {
        let rows = [(1, "<b>"), (22, "x")];
        let t = columns().html(&rows);
        assert!(
            t.contains("<th class=\"num\">N</th><th>Word</th><th>Minutes</th>"),
            "{t}"
        );
        assert!(
            t.contains("<td class=\"num\">22</td><td>X</td><td>22 min</td>"),
            "{t}"
        );
        assert!(
            t.contains("&lt;B&gt;") && !t.contains("<b>") && !t.contains("seconds"),
            "{t}"
        );
    }

    #[test]
    fn a_transposed_table_has_a_line_per_titled_column() {
        let t = columns().transposed(["Metric", "Value"], &(3, "x"));
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("Metric"), "{t}");
        assert!(t.contains("3 min") && t.contains('X'), "{t}");
        assert!(!t.contains("180"), "{t}");
    }
}
