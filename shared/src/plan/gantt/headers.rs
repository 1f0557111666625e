//! The two header rows above the chart. Labels are data (year, month, week, …), not text: the
//! app words them for the reader's language (zh: 2026年11月, en: Nov 2026).

use super::scale::{Scale, Zoom};
use crate::domain::Date;

/// What a header cell names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderLabel {
    Year {
        year: i32,
    },
    /// `quarter` is 1 to 4.
    Quarter {
        year: i32,
        quarter: u32,
    },
    /// `month` is 1 to 12.
    Month {
        year: i32,
        month: u32,
    },
    /// The ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday), so
    /// `iso_year` may differ from the calendar year of `monday`.
    Week {
        iso_year: i32,
        week: u32,
        monday: Date,
    },
    /// `weekday`: Monday is 0.
    Day {
        year: i32,
        month: u32,
        day: u32,
        weekday: u32,
    },
}

/// One cell of a header row: its stretch of the chart and what it names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeaderCell {
    pub x: f64,
    pub width: f64,
    pub label: HeaderLabel,
}

/// The two header rows over a stretch of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Headers {
    pub upper: Vec<HeaderCell>,
    pub lower: Vec<HeaderCell>,
}

/// A calendar period a header cell can stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Unit {
    /// The first day of the period holding `day`.
    fn start(self, day: Date) -> Date {
        let (year, month, _) = day.ymd();
        let first = |month: u32| Date::from_ymd(year, month, 1).unwrap_or(day);
        match self {
            Unit::Day => day,
            Unit::Week => day.add_days(-(day.weekday() as i32)),
            Unit::Month => first(month),
            Unit::Quarter => first((month - 1) / 3 * 3 + 1),
            Unit::Year => first(1),
        }
    }

    /// The first day of the period after the one starting on `start`.
    fn next(self, start: Date) -> Date {
        let (year, month, _) = start.ymd();
        let months_later = |n: u32| {
            let m = month - 1 + n;
            Date::from_ymd(year + (m / 12) as i32, m % 12 + 1, 1).unwrap_or(start.add_days(28))
        };
        match self {
            Unit::Day => start.add_days(1),
            Unit::Week => start.add_days(7),
            Unit::Month => months_later(1),
            Unit::Quarter => months_later(3),
            Unit::Year => months_later(12),
        }
    }

    fn label(self, start: Date) -> HeaderLabel {
        let (year, month, day) = start.ymd();
        match self {
            Unit::Day => HeaderLabel::Day { year, month, day, weekday: start.weekday() },
            Unit::Week => {
                let (iso_year, week) = iso_week(start);
                HeaderLabel::Week { iso_year, week, monday: start }
            }
            Unit::Month => HeaderLabel::Month { year, month },
            Unit::Quarter => HeaderLabel::Quarter { year, quarter: (month - 1) / 3 + 1 },
            Unit::Year => HeaderLabel::Year { year },
        }
    }
}

/// The ISO 8601 (year, week number) of `day`.
pub fn iso_week(day: Date) -> (i32, u32) {
    // The week's Thursday decides its year.
    let thursday = day.add_days(3 - day.weekday() as i32);
    let (year, _, _) = thursday.ymd();
    let january_1 = Date::from_ymd(year, 1, 1).unwrap_or(thursday);
    (year, ((thursday.days() - january_1.days()) / 7 + 1) as u32)
}

/// (upper, lower) units for a zoom.
fn units(zoom: Zoom) -> (Unit, Unit) {
    match zoom {
        Zoom::Day => (Unit::Month, Unit::Day),
        Zoom::Week => (Unit::Month, Unit::Week),
        Zoom::Month => (Unit::Quarter, Unit::Month),
        Zoom::Quarter => (Unit::Year, Unit::Quarter),
    }
}

/// The header rows over `x_from..x_to` px: months over days, months over ISO weeks, quarters
/// over months or years over quarters, by zoom. Each row tiles the range exactly: cells are
/// cut at its ends (so a period's label can stay on screen while any of it shows) and each
/// cell begins where the one before it ends.
pub fn headers(scale: &Scale, x_from: f64, x_to: f64) -> Headers {
    let (upper, lower) = units(scale.zoom);
    Headers { upper: row(scale, upper, x_from, x_to), lower: row(scale, lower, x_from, x_to) }
}

fn row(scale: &Scale, unit: Unit, x_from: f64, x_to: f64) -> Vec<HeaderCell> {
    let mut cells = Vec::new();
    if x_to.partial_cmp(&x_from) != Some(std::cmp::Ordering::Greater) {
        return cells;
    }
    let mut start = unit.start(scale.day_at(x_from));
    let mut x = x_from;
    while x < x_to {
        let next = unit.next(start);
        let end = scale.x(next).min(x_to);
        cells.push(HeaderCell { x, width: end - x, label: unit.label(start) });
        x = end;
        start = next;
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn iso_weeks_at_year_ends() {
        assert_eq!(iso_week(d("2026-12-31")), (2026, 53), "2026 has 53 weeks (it began on a Thursday)");
        assert_eq!(iso_week(d("2027-01-01")), (2026, 53));
        assert_eq!(iso_week(d("2027-01-04")), (2027, 1));
        assert_eq!(iso_week(d("2024-12-30")), (2025, 1), "a Monday in December, in 2025's first week");
        assert_eq!(iso_week(d("2026-11-11")), (2026, 46));
    }

    #[test]
    fn periods_start_and_follow_each_other() {
        assert_eq!(Unit::Quarter.start(d("2026-11-11")), d("2026-10-01"));
        assert_eq!(Unit::Quarter.next(d("2026-10-01")), d("2027-01-01"));
        assert_eq!(Unit::Month.next(d("2026-12-01")), d("2027-01-01"));
        assert_eq!(Unit::Week.start(d("2026-11-15")), d("2026-11-09"));
        assert_eq!(Unit::Year.next(d("2026-01-01")), d("2027-01-01"));
    }
}
