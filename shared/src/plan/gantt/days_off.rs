//! The days the team does not work, shaded, and today's line.

use super::scale::{Scale, Span};
use crate::domain::{Date, WorkCalendar, WorkIndex};

/// The days off (weekends, holidays) showing in `x_from..x_to` px, runs of consecutive days
/// off as one span each, left to right. Spans cover whole days (the first and last may reach
/// past the range).
pub fn days_off(scale: &Scale, calendar: &WorkCalendar, x_from: f64, x_to: f64) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    if x_to.partial_cmp(&x_from) != Some(std::cmp::Ordering::Greater) {
        return spans;
    }
    let index = WorkIndex::new(calendar);
    let (first, last) = scale.days_between(x_from, x_to);
    let mut run: Option<Date> = None;
    let mut day = first;
    while day <= last {
        match (index.works_on(day), run) {
            (false, None) => run = Some(day),
            (true, Some(start)) => {
                spans.push(Span::between(scale.x(start), scale.x(day)));
                run = None;
            }
            _ => {}
        }
        day = day.add_days(1);
    }
    if let Some(start) = run {
        spans.push(Span::between(scale.x(start), scale.x_end(last)));
    }
    spans
}

/// Where today's line goes: the middle of `today`.
pub fn today_x(scale: &Scale, today: Date) -> f64 {
    scale.x_mid(today)
}
