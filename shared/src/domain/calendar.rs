use std::collections::BTreeSet;

use autosurgeon::{Hydrate, Reconcile};

use super::Date;

/// Which days a team works: weekdays, minus holidays, plus the weekend days that Chinese
/// holiday rules turn into working days (调休).
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct WorkCalendar {
    /// Monday first; seven entries.
    pub weekdays: Vec<bool>,
    #[autosurgeon(missing = "Vec::new")]
    pub holidays: Vec<Date>,
    #[autosurgeon(missing = "Vec::new")]
    pub extra_workdays: Vec<Date>,
}

impl Default for WorkCalendar {
    /// Monday to Friday.
    fn default() -> Self {
        Self {
            weekdays: vec![true, true, true, true, true, false, false],
            holidays: Vec::new(),
            extra_workdays: Vec::new(),
        }
    }
}

impl WorkCalendar {
    /// Every day of the week: campaign teams often work straight through.
    pub fn every_day() -> Self {
        Self { weekdays: vec![true; 7], holidays: Vec::new(), extra_workdays: Vec::new() }
    }

    pub fn is_working(&self, day: Date) -> bool {
        if self.extra_workdays.contains(&day) {
            return true;
        }
        if self.holidays.contains(&day) {
            return false;
        }
        self.weekdays.get(day.weekday() as usize).copied().unwrap_or(false)
    }

    /// Whether any day is a working day (a calendar without one cannot schedule anything).
    pub fn has_working_days(&self) -> bool {
        self.weekdays.iter().any(|w| *w) || !self.extra_workdays.is_empty()
    }
}

/// Working days numbered over a span of dates, so that scheduling adds integers.
#[derive(Debug, Clone)]
pub struct WorkIndex {
    first: Date,
    /// For each calendar day from `first`: how many working days come before it.
    before: Vec<i32>,
    /// The working days, in order.
    days: Vec<Date>,
}

impl WorkIndex {
    /// Numbers the working days of `calendar` from `first` to `last` (inclusive). A calendar
    /// with no working day at all is treated as working every day.
    pub fn new(calendar: &WorkCalendar, first: Date, last: Date) -> Self {
        let fallback;
        let calendar = if calendar.has_working_days() {
            calendar
        } else {
            fallback = WorkCalendar::every_day();
            &fallback
        };
        let holidays: BTreeSet<Date> = calendar.holidays.iter().copied().collect();
        let extra: BTreeSet<Date> = calendar.extra_workdays.iter().copied().collect();
        let span = (last.days() - first.days()).max(0) as usize + 1;
        let mut before = Vec::with_capacity(span);
        let mut days = Vec::with_capacity(span);
        for offset in 0..span {
            let day = first.add_days(offset as i32);
            before.push(days.len() as i32);
            let working = extra.contains(&day)
                || (!holidays.contains(&day)
                    && calendar.weekdays.get(day.weekday() as usize).copied().unwrap_or(false));
            if working {
                days.push(day);
            }
        }
        Self { first, before, days }
    }

    /// The number of the first working day on or after `day` (clamped to the span).
    pub fn ordinal(&self, day: Date) -> i32 {
        let offset = day.days() - self.first.days();
        if offset < 0 {
            return 0;
        }
        self.before.get(offset as usize).copied().unwrap_or(self.days.len() as i32)
    }

    /// The working day numbered `ordinal` (clamped to the span).
    pub fn date(&self, ordinal: i32) -> Date {
        let last = self.days.len().saturating_sub(1);
        self.days.get((ordinal.max(0) as usize).min(last)).copied().unwrap_or(self.first)
    }

    pub fn len(&self) -> usize {
        self.days.len()
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn weekends_holidays_and_makeup_days() {
        let calendar = WorkCalendar {
            holidays: vec![d("2026-10-01"), d("2026-10-02")],
            extra_workdays: vec![d("2026-10-10")],
            ..WorkCalendar::default()
        };
        assert!(!calendar.is_working(d("2026-10-01")), "国庆");
        assert!(calendar.is_working(d("2026-10-10")), "a Saturday made a working day");
        assert!(!calendar.is_working(d("2026-10-11")), "Sunday");
        let index = WorkIndex::new(&calendar, d("2026-09-28"), d("2026-10-16"));
        // Mon 28, Tue 29, Wed 30 work; Thu 1 and Fri 2 are off; Mon 5 is the fourth day.
        assert_eq!(index.date(0), d("2026-09-28"));
        assert_eq!(index.date(3), d("2026-10-05"));
        assert_eq!(index.ordinal(d("2026-10-01")), 3, "a day off counts as the next working day");
        assert_eq!(index.ordinal(d("2026-10-10")), 8);
        assert_eq!(index.date(index.ordinal(d("2026-10-12"))), d("2026-10-12"));
    }

    #[test]
    fn a_calendar_with_no_working_day_works_every_day() {
        let none = WorkCalendar { weekdays: vec![false; 7], ..WorkCalendar::default() };
        let index = WorkIndex::new(&none, d("2026-01-01"), d("2026-01-10"));
        assert_eq!(index.len(), 10);
    }
}
