//! Charts as inline SVG, drawn with the `svg` crate (which escapes every
//! text and attribute): horizontal bars for values per name (agents,
//! groups, time ranges) and lines for values over time. Text is laid out
//! by the browser in its own sans-serif, so no font is read here. Each
//! bar is a `rect` of class `bar` and each point a `circle` of class
//! `point`, one per value, so a test can count them in the page.

use svg::Document;
use svg::node::element::{Circle, Group, Line, Polyline, Rectangle, Text, Title};

/// Colours of the series of a line chart, in order.
const SERIES: [&str; 4] = ["#3b6fd8", "#2e9b5f", "#d8843b", "#8a4fc0"];
const WIDTH: f64 = 720.0;
const BAR_HEIGHT: f64 = 22.0;
const BAR_GAP: f64 = 6.0;
const LABEL_WIDTH: f64 = 170.0;
const VALUE_WIDTH: f64 = 90.0;
/// The most bars drawn: a longer list (a tag breakdown of thousands) is
/// cut, and the caption says how many were left out.
pub const MAX_BARS: usize = 40;
/// The most points drawn per series.
pub const MAX_POINTS: usize = 400;

/// A bar chart: one bar per `(label, value)`, `shown` words a value
/// (`3 h 20 min`, `12`). `id` names the figure for links and tests.
pub fn bars(
    id: &str,
    caption: &str,
    items: &[(String, f64)],
    shown: &dyn Fn(f64) -> String,
) -> String {
    let left_out = items.len().saturating_sub(MAX_BARS);
    let items = &items[..items.len().min(MAX_BARS)];
    let max = items.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    let height = (items.len().max(1) as f64) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP;
    let span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let mut doc = Document::new()
        .set("viewBox", (0, 0, WIDTH, height))
        .set("width", WIDTH)
        .set("height", height)
        .set("role", "img")
        .add(Title::new(caption));
    if items.is_empty() {
        doc = doc.add(
            Text::new("nothing to show")
                .set("x", LABEL_WIDTH)
                .set("y", BAR_HEIGHT)
                .set("fill", "#5a6272")
                .set("font-size", 13),
        );
    }
    for (i, (label, value)) in items.iter().enumerate() {
        let y = BAR_GAP + i as f64 * (BAR_HEIGHT + BAR_GAP);
        let w = if max > 0.0 && value.is_finite() {
            (value / max * span).max(if *value > 0.0 { 1.0 } else { 0.0 })
        } else {
            0.0
        };
        let text_y = y + BAR_HEIGHT * 0.7;
        doc = doc.add(
            Group::new()
                .add(
                    Text::new(clip(label, 26))
                        .set("x", LABEL_WIDTH - 8.0)
                        .set("y", text_y)
                        .set("text-anchor", "end")
                        .set("font-size", 13),
                )
                .add(
                    Rectangle::new()
                        .set("class", "bar")
                        .set("x", LABEL_WIDTH)
                        .set("y", y)
                        .set("width", round(w))
                        .set("height", BAR_HEIGHT)
                        .set("fill", SERIES[0])
                        .add(Title::new(format!("{label}: {}", shown(*value)))),
                )
                .add(
                    Text::new(shown(*value))
                        .set("x", LABEL_WIDTH + round(w) + 6.0)
                        .set("y", text_y)
                        .set("font-size", 12)
                        .set("fill", "#1d2330"),
                ),
        );
    }
    let caption = if left_out > 0 {
        format!("{caption} (the first {MAX_BARS}; {left_out} more in the table)")
    } else {
        caption.to_string()
    };
    figure(id, &caption, &doc.to_string())
}

/// A line chart: values over `x` (bucket names, oldest first), one line
/// per `(name, values)` series, with a legend.
pub fn lines(id: &str, caption: &str, x: &[String], series: &[(String, Vec<f64>)]) -> String {
    let n = x.len().min(MAX_POINTS);
    let (left, right, top, bottom) = (50.0, 20.0, 30.0, 40.0);
    let height = 280.0;
    let plot_w = WIDTH - left - right;
    let plot_h = height - top - bottom;
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().take(n).copied())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let top_value = nice_ceiling(max);
    let px = |i: usize| {
        if n <= 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let py = |v: f64| {
        top + plot_h
            - if top_value > 0.0 {
                v / top_value * plot_h
            } else {
                0.0
            }
    };
    let mut doc = Document::new()
        .set("viewBox", (0, 0, WIDTH, height))
        .set("width", WIDTH)
        .set("height", height)
        .set("role", "img")
        .add(Title::new(caption));
    // Axis and three grid lines with their values.
    for k in 0..=4 {
        let v = top_value * k as f64 / 4.0;
        let y = round(py(v));
        doc = doc
            .add(
                Line::new()
                    .set("x1", left)
                    .set("x2", WIDTH - right)
                    .set("y1", y)
                    .set("y2", y)
                    .set("stroke", if k == 0 { "#8a90a0" } else { "#e3e6ee" }),
            )
            .add(
                Text::new(number(v))
                    .set("x", left - 6.0)
                    .set("y", y + 4.0)
                    .set("text-anchor", "end")
                    .set("font-size", 11),
            );
    }
    // At most about eight bucket names under the axis.
    let step = n.div_ceil(8).max(1);
    for (i, name) in x.iter().take(n).enumerate() {
        if i % step == 0 || i + 1 == n {
            doc = doc.add(
                Text::new(clip(name, 12))
                    .set("x", round(px(i)))
                    .set("y", height - bottom + 16.0)
                    .set("text-anchor", "middle")
                    .set("font-size", 11),
            );
        }
    }
    for (s, (name, values)) in series.iter().enumerate() {
        let colour = SERIES[s % SERIES.len()];
        let points: Vec<(f64, f64)> = values
            .iter()
            .take(n)
            .enumerate()
            .map(|(i, v)| {
                (
                    round(px(i)),
                    round(py(if v.is_finite() { *v } else { 0.0 })),
                )
            })
            .collect();
        let path = points
            .iter()
            .map(|(x, y)| format!("{x},{y}"))
            .collect::<Vec<_>>()
            .join(" ");
        let mut g = Group::new()
            .set("class", "series")
            .set("data-series", name.as_str())
            .add(
                Polyline::new()
                    .set("points", path)
                    .set("fill", "none")
                    .set("stroke", colour)
                    .set("stroke-width", 2),
            );
        for (i, (cx, cy)) in points.iter().enumerate() {
            g = g.add(
                Circle::new()
                    .set("class", "point")
                    .set("cx", *cx)
                    .set("cy", *cy)
                    .set("r", 3)
                    .set("fill", colour)
                    .add(Title::new(format!(
                        "{name}, {}: {}",
                        x[i],
                        number(values[i])
                    ))),
            );
        }
        doc = doc.add(g);
        // The legend, along the top.
        let lx = left + s as f64 * 150.0;
        doc = doc
            .add(
                Rectangle::new()
                    .set("x", lx)
                    .set("y", 8)
                    .set("width", 12)
                    .set("height", 12)
                    .set("fill", colour),
            )
            .add(
                Text::new(clip(name, 18))
                    .set("x", lx + 18.0)
                    .set("y", 18)
                    .set("font-size", 12),
            );
    }
    figure(id, caption, &doc.to_string())
}

fn figure(id: &str, caption: &str, svg: &str) -> String {
    format!(
        "<figure class=\"chart\" id=\"{}\"><figcaption>{}</figcaption>\n{}\n</figure>\n",
        super::html::escape(id),
        super::html::escape(caption),
        svg
    )
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A round number at or above `v`, for the top of an axis.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= v {
            return m * mag;
        }
    }
    10.0 * mag
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bar_per_value_and_text_escaped() {
        let items = vec![("<script>".to_string(), 3.0), ("bob".to_string(), 1.0)];
        let svg = bars("agents", "Replies", &items, &|v| number(v));
        assert_eq!(svg.matches("class=\"bar\"").count(), 2);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        // The largest bar spans the plot; the other is a third of it.
        let span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        assert!(svg.contains(&format!("width=\"{}\"", round(span))));
        assert!(svg.contains(&format!("width=\"{}\"", round(span / 3.0))));
    }

    #[test]
    fn bars_are_bounded() {
        let items: Vec<(String, f64)> = (0..100).map(|i| (format!("t{i}"), i as f64)).collect();
        let svg = bars("tags", "Tags", &items, &|v| number(v));
        assert_eq!(svg.matches("class=\"bar\"").count(), MAX_BARS);
        assert!(svg.contains("60 more in the table"));
    }

    #[test]
    fn one_point_per_value_per_series() {
        let x: Vec<String> = (1..=5).map(|d| format!("2026-11-0{d}")).collect();
        let svg = lines(
            "trend",
            "Trend",
            &x,
            &[
                ("created".into(), vec![1.0, 2.0, 0.0, 4.0, 3.0]),
                ("backlog".into(), vec![1.0, 3.0, 3.0, 6.0, 7.0]),
            ],
        );
        assert_eq!(svg.matches("class=\"point\"").count(), 10);
        assert_eq!(svg.matches("<polyline").count(), 2);
    }

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(23.0), 25.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
    }
}
