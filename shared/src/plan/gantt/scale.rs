//! Dates ↔ pixels. A day is a strip `[x(day), x(day + 1))`; day `origin` starts at x = 0, and
//! every calendar day (worked or not) is the same width, so that weekends and holidays show.

use crate::domain::Date;

/// How far the chart is zoomed out: the width of one calendar day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Zoom {
    /// 32 px a day: room for a day's number; months over days.
    #[default]
    Day,
    /// 12 px a day (84 px a week): months over ISO weeks.
    Week,
    /// 4 px a day (about 120 px a month): quarters over months.
    Month,
    /// 1.5 px a day (about 137 px a quarter): years over quarters.
    Quarter,
}

impl Zoom {
    pub const ALL: [Zoom; 4] = [Zoom::Day, Zoom::Week, Zoom::Month, Zoom::Quarter];

    /// The width of one calendar day, in px.
    pub fn px_per_day(self) -> f64 {
        match self {
            Zoom::Day => 32.0,
            Zoom::Week => 12.0,
            Zoom::Month => 4.0,
            Zoom::Quarter => 1.5,
        }
    }
}

/// A horizontal stretch of the chart, in px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub x: f64,
    pub width: f64,
}

impl Span {
    /// From `x` to `end`.
    pub fn between(x: f64, end: f64) -> Self {
        Self { x, width: end - x }
    }

    pub fn end(&self) -> f64 {
        self.x + self.width
    }
}

/// The chart's horizontal scale: where day `origin` is (x = 0) and how wide a day is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub origin: Date,
    pub zoom: Zoom,
}

impl Scale {
    pub fn new(origin: Date, zoom: Zoom) -> Self {
        Self { origin, zoom }
    }

    pub fn px_per_day(&self) -> f64 {
        self.zoom.px_per_day()
    }

    /// The left edge of `day`.
    pub fn x(&self, day: Date) -> f64 {
        f64::from(day.days() - self.origin.days()) * self.px_per_day()
    }

    /// The right edge of `day` (the left edge of the next).
    pub fn x_end(&self, day: Date) -> f64 {
        self.x(day.add_days(1))
    }

    /// The middle of `day`.
    pub fn x_mid(&self, day: Date) -> f64 {
        self.x(day) + self.px_per_day() / 2.0
    }

    /// The day whose strip holds `x`.
    pub fn day_at(&self, x: f64) -> Date {
        let days = (x / self.px_per_day()).floor();
        // Beyond ±5 million years a day number does not fit; the chart never goes there.
        let days = days.clamp(f64::from(i32::MIN / 2), f64::from(i32::MAX / 2)) as i32;
        self.origin.add_days(days)
    }

    /// Calendar days covering `from` to `to` px (inclusive of both ends' days).
    pub(crate) fn days_between(&self, from: f64, to: f64) -> (Date, Date) {
        (self.day_at(from), self.day_at(to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_x_round_trip_at_every_zoom() {
        let origin: Date = "2026-11-02".parse().expect("date");
        for zoom in Zoom::ALL {
            let scale = Scale::new(origin, zoom);
            for offset in [-400, -1, 0, 1, 9, 365] {
                let day = origin.add_days(offset);
                assert_eq!(scale.day_at(scale.x(day)), day, "{zoom:?} left edge");
                assert_eq!(scale.day_at(scale.x_mid(day)), day, "{zoom:?} middle");
                assert_eq!(scale.day_at(scale.x_end(day) - 0.01), day, "{zoom:?} just before the end");
                assert_eq!(scale.x_end(day) - scale.x(day), zoom.px_per_day());
            }
        }
        assert_eq!(Scale::new(origin, Zoom::Day).x(origin.add_days(3)), 96.0);
    }
}
