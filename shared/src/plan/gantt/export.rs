//! The whole chart as one standalone SVG 1.1 document, for "save as SVG" and printing: what
//! the app draws a window of at a time, drawn whole (every row, every arrow), with the words
//! and colours the app supplies in [`Export`].
//!
//! The document is styled with presentation attributes only (no `<style>`, no external CSS),
//! so that it looks the same in any viewer and can be put inside an HTML page for printing
//! without its styles touching the page's. All text is escaped for XML, and every number is
//! finite and has at most two decimals.
//!
//! From the top: the title, the two header rows, then one row per chart row. Left of the
//! chart, a column of row labels. The chart covers, in x, everything drawn (marks, slack,
//! baselines, arrows) plus a margin of two days (at least 16 px) each side, widened to whole
//! days. Today is drawn, and the range widened to take it in, when it lies within
//! [`TODAY_REACH_DAYS`] of the rest; further off, it is left out. A plan with nothing to draw
//! gives a small chart around today. The chart is at least 200 px wide, and the document at
//! least as wide as its title.

use std::fmt::{self, Display, Write};

use super::arrows::Arrow;
use super::days_off::{days_off, today_x};
use super::headers::{HeaderCell, HeaderLabel, headers};
use super::layout::{DIAMOND_HALF, Gantt, Mark, RowView, Window};
use super::rows::{BAR_HEIGHT, BAR_TOP, BASELINE_HEIGHT, BASELINE_TOP, ROW_HEIGHT, RowKind};
use super::scale::{Scale, Span};
use crate::TaskId;
use crate::domain::{Date, Task, WorkCalendar};
use crate::plan::Rag;

/// How far (in calendar days) today may lie outside the drawn chart and still be shown: the
/// range is widened to take it in. Further off, the chart is left as it is, without a today line.
pub const TODAY_REACH_DAYS: f64 = 30.0;

/// What the export needs beyond the layout, all supplied by the caller (the app knows the
/// language and colours).
pub struct Export<'a> {
    /// Drawn at the top, e.g. the plan's name.
    pub title: &'a str,
    /// The width of the left label column, px (e.g. 240).
    pub label_width: f64,
    /// Each row's label: a task's title, a phase's name, a milestone's name.
    pub label: &'a dyn Fn(RowKind) -> String,
    /// A header cell's text, in the person's language.
    pub header: &'a dyn Fn(&HeaderLabel) -> String,
    /// A task's red / amber / green; `None` is neutral (grey).
    pub colour: &'a dyn Fn(RowKind) -> Option<Rag>,
    pub calendar: &'a WorkCalendar,
    pub today: Date,
}

const TITLE_HEIGHT: f64 = 40.0;
const HEADER_HEIGHT: f64 = 24.0;
/// The narrowest chart drawn, so that an empty plan still shows its headers.
const MIN_CHART_WIDTH: f64 = 200.0;
const FONT: &str = "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, Arial, sans-serif";
const INK: &str = "#202124";
const RULE: &str = "#dadce0";
const CRITICAL: &str = "#8e24aa";
const ARROW: &str = "#5f6368";
const DARK: &str = "#3c4043";
/// The ids of the document's definitions, named so as not to clash with a page's.
const HEAD: &str = "launchplan-gantt-head";
const HEAD_CRITICAL: &str = "launchplan-gantt-head-critical";
const LABEL_CLIP: &str = "launchplan-gantt-labels";

/// The chart as a standalone SVG document. `tasks` gives each task's progress.
pub fn svg<'t>(gantt: &Gantt, tasks: impl Fn(TaskId) -> Option<&'t Task>, export: &Export<'_>) -> String {
    let window = gantt.window(0..gantt.rows.len(), tasks);
    let mut out = String::new();
    // Writing into a String does not fail.
    let _ = write_svg(&mut out, gantt, &window, export);
    out
}

fn write_svg(out: &mut String, gantt: &Gantt, window: &Window, export: &Export<'_>) -> fmt::Result {
    let scale = gantt.scale;
    let label_width = if export.label_width.is_finite() { export.label_width.max(0.0) } else { 0.0 };
    // Wide enough for the title (at 16 px) too.
    let min_width = MIN_CHART_WIDTH.max(16.0 + text_width(export.title) * 16.0 / 12.0 - label_width);
    let (x_from, x_to) = x_range(&scale, window, export.today, min_width);
    let body_top = TITLE_HEIGHT + 2.0 * HEADER_HEIGHT;
    let (width, height) = (N(label_width + x_to - x_from), N(body_top + gantt.rows.height()));
    write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12">"#
    )?;
    write!(out, "<title>{}</title><defs>", Esc(export.title))?;
    for (id, colour) in [(HEAD, ARROW), (HEAD_CRITICAL, CRITICAL)] {
        write!(
            out,
            r#"<marker id="{id}" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="{colour}"/></marker>"#
        )?;
    }
    write!(
        out,
        r#"<clipPath id="{LABEL_CLIP}"><rect width="{}" height="{height}"/></clipPath></defs>"#,
        N((label_width - 4.0).max(0.0))
    )?;
    write!(out, r#"<rect width="{width}" height="{height}" fill="white"/>"#)?;
    write!(
        out,
        r#"<text x="8" y="26" font-size="16" font-weight="bold" fill="{INK}">{}</text>"#,
        Esc(export.title)
    )?;

    // Every other row shaded, across the label column and the chart.
    for row in window.bars.iter().filter(|r| r.index % 2 == 1) {
        let y = N(body_top + row.y);
        write!(out, r##"<rect y="{y}" width="{width}" height="{}" fill="#f8f9fa"/>"##, N(ROW_HEIGHT))?;
    }
    write_labels(out, window, export, label_width, body_top)?;

    // The chart, in the layout's own x and with y = 0 at the top of the first header row.
    write!(out, r#"<g transform="translate({},{})">"#, N(label_width - x_from), N(TITLE_HEIGHT))?;
    let cells = headers(&scale, x_from, x_to);
    for (top, row) in [(0.0, &cells.upper), (HEADER_HEIGHT, &cells.lower)] {
        for cell in row {
            write_cell(out, cell, top, export)?;
        }
    }
    write!(out, r#"<g transform="translate(0,{})">"#, N(2.0 * HEADER_HEIGHT))?;
    let rows_height = N(gantt.rows.height());
    for off in days_off(&scale, export.calendar, x_from, x_to) {
        let (x, end) = (off.x.max(x_from), off.end().min(x_to));
        if end > x {
            write!(
                out,
                r##"<rect x="{}" width="{}" height="{rows_height}" fill="#e8eaed" fill-opacity="0.6"/>"##,
                N(x),
                N(end - x)
            )?;
        }
    }
    for row in &window.bars {
        write_row(out, row, export)?;
    }
    for arrow in &window.arrows {
        write_arrow(out, arrow)?;
    }
    let today = today_x(&scale, export.today);
    if (x_from..=x_to).contains(&today) {
        write!(
            out,
            r##"<line x1="{0}" y1="0" x2="{0}" y2="{rows_height}" stroke="#1a73e8" stroke-width="1.5"/>"##,
            N(today)
        )?;
    }
    out.write_str("</g></g>")?;

    // The rules: under the title, under the headers, beside the labels.
    for (x1, y1, x2, y2) in [
        (0.0, TITLE_HEIGHT, width.0, TITLE_HEIGHT),
        (0.0, body_top, width.0, body_top),
        (label_width, TITLE_HEIGHT, label_width, height.0),
    ] {
        write!(
            out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{RULE}"/>"#,
            N(x1),
            N(y1),
            N(x2),
            N(y2)
        )?;
    }
    out.write_str("</svg>")
}

/// The chart's x range, in layout px: see the module's doc.
fn x_range(scale: &Scale, window: &Window, today: Date, min_width: f64) -> (f64, f64) {
    let spans = window.bars.iter().flat_map(|row: &RowView| {
        let mark = row.mark.map(|m| (m.left(), m.right()));
        let extra =
            [row.slack, row.baseline].into_iter().flatten().map(|s| (s.x.min(s.end()), s.x.max(s.end())));
        mark.into_iter().chain(extra)
    });
    let points = window.arrows.iter().flat_map(|a| &a.points).map(|p| (p.x, p.x));
    let (mut lo, mut hi) = spans
        .chain(points)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| (lo.min(a), hi.max(b)));
    let today = today_x(scale, today);
    let reach = TODAY_REACH_DAYS * scale.px_per_day();
    if lo > hi {
        (lo, hi) = (today, today);
    } else if lo - reach <= today && today <= hi + reach {
        (lo, hi) = (lo.min(today), hi.max(today));
    }
    let margin = (2.0 * scale.px_per_day()).max(16.0);
    let from = lo - margin;
    let to = (hi + margin).max(from + min_width);
    (scale.x(scale.day_at(from)), scale.x_end(scale.day_at(to)))
}

fn write_labels(
    out: &mut String,
    window: &Window,
    export: &Export<'_>,
    label_width: f64,
    body_top: f64,
) -> fmt::Result {
    // Under phase headings, the rows are indented.
    let phased = window.bars.iter().any(|r| matches!(r.kind, RowKind::PhaseSummary(_)));
    write!(out, r#"<g clip-path="url(#{LABEL_CLIP})" fill="{INK}">"#)?;
    for row in &window.bars {
        let summary = matches!(row.kind, RowKind::PhaseSummary(_));
        let x: f64 = if phased && !summary { 24.0 } else { 8.0 };
        let weight = if summary { r#" font-weight="bold""# } else { "" };
        write!(
            out,
            r#"<text x="{}" y="{}"{weight}>{}</text>"#,
            N(x.min(label_width)),
            N(body_top + row.y + ROW_HEIGHT / 2.0 + 4.0),
            Esc(&(export.label)(row.kind))
        )?;
    }
    out.write_str("</g>")
}

/// A header cell: its box, and its words if they fit.
fn write_cell(out: &mut String, cell: &HeaderCell, top: f64, export: &Export<'_>) -> fmt::Result {
    write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="white" stroke="{RULE}"/>"#,
        N(cell.x),
        N(top),
        N(cell.width),
        N(HEADER_HEIGHT)
    )?;
    let text = (export.header)(&cell.label);
    if text_width(&text) + 8.0 <= cell.width {
        write!(out, r#"<text x="{}" y="{}">{}</text>"#, N(cell.x + 4.0), N(top + 16.0), Esc(&text))?;
    }
    Ok(())
}

/// About how wide `text` is at 12 px: wide (CJK) characters 12 px, others 7 px.
fn text_width(text: &str) -> f64 {
    text.chars().map(|c| if c.len_utf8() >= 3 { 12.0 } else { 7.0 }).sum()
}

/// A row's baseline, slack and mark.
fn write_row(out: &mut String, row: &RowView, export: &Export<'_>) -> fmt::Result {
    let band = row.y + BAR_TOP;
    if let Some(b) = row.baseline {
        write_rect(out, b, row.y + BASELINE_TOP, BASELINE_HEIGHT, r##"fill="#bdc1c6""##)?;
    }
    if let Some(s) = row.slack {
        write_rect(out, s, band + BAR_HEIGHT / 2.0 - 1.0, 2.0, r##"fill="#9aa0a6""##)?;
    }
    let Some(mark) = row.mark else { return Ok(()) };
    let (fill, done) = match (export.colour)(row.kind) {
        Some(Rag::Red) => ("#d93025", "#a50e0e"),
        Some(Rag::Amber) => ("#f29900", "#b06000"),
        Some(Rag::Green) => ("#188038", "#0d652d"),
        None => ("#9aa0a6", "#5f6368"),
    };
    // A critical bar or diamond is outlined, over its fill and progress.
    let outline = format!(r#"fill="none" stroke="{CRITICAL}" stroke-width="2" class="export-critical""#);
    match (mark, row.kind) {
        (Mark::Bar(span), RowKind::PhaseSummary(_)) => {
            let paint = format!(r#"fill="{DARK}" class="export-summary""#);
            write_rect(out, span, band + BAR_HEIGHT / 2.0 - 3.0, 6.0, &paint)?;
        }
        (Mark::Bar(span), _) => {
            write_rect(out, span, band, BAR_HEIGHT, &format!(r#"fill="{fill}" class="export-bar""#))?;
            let share = row.progress.unwrap_or(0.0).clamp(0.0, 1.0);
            if share > 0.0 {
                let paint = format!(r#"fill="{done}" class="export-progress""#);
                write_rect(out, Span { x: span.x, width: span.width * share }, band, BAR_HEIGHT, &paint)?;
            }
            if row.critical {
                write_rect(out, span, band, BAR_HEIGHT, &outline)?;
            }
        }
        (Mark::Diamond { x }, kind) => {
            let (y, h) = (band + BAR_HEIGHT / 2.0, DIAMOND_HALF);
            let (fill, class) = match kind {
                RowKind::Milestone(_) => (DARK, "export-milestone"),
                _ => (fill, "export-diamond"),
            };
            let corners = [(x, y - h), (x + h, y), (x, y + h), (x - h, y)];
            let points = Points(&corners);
            write!(out, r#"<polygon points="{points}" fill="{fill}" class="{class}"/>"#)?;
            if row.critical {
                write!(out, r#"<polygon points="{points}" {outline}/>"#)?;
            }
        }
    }
    Ok(())
}

fn write_rect(out: &mut String, span: Span, y: f64, height: f64, paint: &str) -> fmt::Result {
    let (x, end) = (span.x.min(span.end()), span.x.max(span.end()));
    write!(out, r#"<rect x="{}" y="{}" width="{}" height="{}" {paint}/>"#, N(x), N(y), N(end - x), N(height))
}

fn write_arrow(out: &mut String, arrow: &Arrow) -> fmt::Result {
    let (colour, width, head, class) = if arrow.critical {
        (CRITICAL, "1.5", HEAD_CRITICAL, "export-arrow export-critical")
    } else {
        (ARROW, "1", HEAD, "export-arrow")
    };
    let points: Vec<(f64, f64)> = arrow.points.iter().map(|p| (p.x, p.y)).collect();
    write!(
        out,
        r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="{width}" marker-end="url(#{head})" class="{class}"/>"#,
        Points(&points)
    )
}

/// Points as `x,y x,y ...`.
struct Points<'p>(&'p [(f64, f64)]);

impl Display for Points<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, &(x, y)) in self.0.iter().enumerate() {
            write!(f, "{}{},{}", if k == 0 { "" } else { " " }, N(x), N(y))?;
        }
        Ok(())
    }
}

/// A number as SVG wants it: at most two decimals, no `-0`, and 0 for anything not finite.
struct N(f64);

impl Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = if self.0.is_finite() { (self.0 * 100.0).round() / 100.0 } else { 0.0 };
        // Adding 0.0 turns -0 into 0.
        write!(f, "{}", v + 0.0)
    }
}

/// Text escaped for XML content and attribute values. Characters XML 1.0 forbids (most
/// control characters) are dropped.
struct Esc<'s>(&'s str);

impl Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&apos;")?,
                '\t' | '\n' | '\r' => f.write_char(c)?,
                c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_always_numbers() {
        let shown = |v: f64| N(v).to_string();
        assert_eq!(shown(12.0), "12");
        assert_eq!(shown(0.1 + 0.2), "0.3");
        assert_eq!(shown(2.0 / 3.0), "0.67");
        assert_eq!(shown(-0.001), "0");
        assert_eq!(shown(f64::NAN), "0");
        assert_eq!(shown(f64::INFINITY), "0");
        assert_eq!(
            Esc("A & <B> \"x\" 'y'\u{7}").to_string(),
            "A &amp; &lt;B&gt; &quot;x&quot; &apos;y&apos;"
        );
    }
}
