use autosurgeon::{Hydrate, Reconcile};

use super::Date;

mod china;
pub use china::{CHINA_HOLIDAYS_THROUGH, china_calendar};

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

    /// Whether the team works on `day`. A calendar without any working weekday or make-up
    /// day would schedule nothing, so it counts every weekday as working (holidays stay off).
    pub fn is_working(&self, day: Date) -> bool {
        if self.extra_workdays.contains(&day) {
            return true;
        }
        if self.holidays.contains(&day) {
            return false;
        }
        !self.has_working_days() || self.weekdays.get(day.weekday() as usize).copied().unwrap_or(false)
    }

    /// Whether any day is a working day (a calendar without one cannot schedule anything).
    pub fn has_working_days(&self) -> bool {
        self.weekdays.iter().any(|w| *w) || !self.extra_workdays.is_empty()
    }
}

/// Working days numbered, so that scheduling adds integers: the number of a day is how many
/// working days come before it (a day off has the number of the next working day). Computed
/// from week arithmetic and the sorted exceptions, so it costs nothing to build and covers
/// every date.
#[derive(Debug, Clone)]
pub struct WorkIndex {
    /// Which weekdays work, Monday first.
    weekdays: [bool; 7],
    /// working_before[k]: working weekdays among the first k days of a week.
    working_before: [i32; 8],
    /// Holidays that fall on working weekdays, sorted.
    holidays: Vec<i32>,
    /// Make-up working days that fall on rest weekdays, sorted.
    extra: Vec<i32>,
}

/// A Monday: 1969-12-29.
const EPOCH: i32 = -3;

impl WorkIndex {
    /// Numbers the working days of `calendar`, agreeing with [`WorkCalendar::is_working`]
    /// (also for a calendar without working weekdays: every weekday works, holidays do not).
    pub fn new(calendar: &WorkCalendar) -> Self {
        let mut weekdays = [false; 7];
        for (day, works) in weekdays.iter_mut().zip(&calendar.weekdays) {
            *day = *works;
        }
        if !calendar.has_working_days() {
            weekdays = [true; 7];
        }
        let mut working_before = [0; 8];
        for k in 0..7 {
            working_before[k + 1] = working_before[k] + i32::from(weekdays[k]);
        }
        let weekday_works = |d: &Date| weekdays[d.weekday() as usize];
        let mut holidays: Vec<i32> =
            calendar.holidays.iter().filter(|d| weekday_works(d)).map(|d| d.days()).collect();
        let mut extra: Vec<i32> =
            calendar.extra_workdays.iter().filter(|d| !weekday_works(d)).map(|d| d.days()).collect();
        holidays.sort_unstable();
        holidays.dedup();
        extra.sort_unstable();
        extra.dedup();
        // A day both off and made up counts as made up, as WorkCalendar::is_working says.
        holidays.retain(|h| calendar.extra_workdays.iter().all(|e| e.days() != *h));
        Self { weekdays, working_before, holidays, extra }
    }

    fn per_week(&self) -> i32 {
        self.working_before[7]
    }

    /// Whether `day` is a working day.
    pub fn works_on(&self, day: Date) -> bool {
        self.is_working(day.days())
    }

    /// The working days numbered `first..=last`, in order: one walk instead of a look-up each.
    pub fn dates(&self, first: i32, last: i32) -> Vec<Date> {
        let mut out = Vec::with_capacity((last - first + 1).max(0) as usize);
        if last < first {
            return out;
        }
        let mut day = self.date(first).days();
        while out.len() < out.capacity() {
            if self.is_working(day) {
                out.push(Date::from_days(day));
            }
            day += 1;
        }
        out
    }

    fn is_working(&self, day: i32) -> bool {
        let weekday = (day - EPOCH).rem_euclid(7) as usize;
        if self.weekdays[weekday] {
            self.holidays.binary_search(&day).is_err()
        } else {
            self.extra.binary_search(&day).is_ok()
        }
    }

    /// The number of `day`: working days before it (so a day off shares the number of the
    /// next working day).
    pub fn ordinal(&self, day: Date) -> i32 {
        let d = day.days();
        let offset = d - EPOCH;
        let weeks = offset.div_euclid(7);
        let rest = offset.rem_euclid(7) as usize;
        let regular = weeks * self.per_week() + self.working_before[rest];
        let below = |sorted: &[i32]| -> i32 {
            // Exceptions before `d`, counted from the epoch (negative before it).
            let at = sorted.partition_point(|x| *x < d) as i32;
            let at_epoch = sorted.partition_point(|x| *x < EPOCH) as i32;
            at - at_epoch
        };
        regular - below(&self.holidays) + below(&self.extra)
    }

    /// The working day numbered `ordinal`.
    pub fn date(&self, ordinal: i32) -> Date {
        let per_week = self.per_week().max(1);
        // A first guess from whole weeks, then walk to the day whose number it is.
        let mut day = EPOCH + ordinal.div_euclid(per_week) * 7;
        for _ in 0..64 {
            let off = ordinal - self.ordinal(Date::from_days(day));
            if off == 0 {
                break;
            }
            let step = (off * 7 / per_week).clamp(-366, 366);
            day += if step == 0 { off.signum() } else { step };
        }
        while self.ordinal(Date::from_days(day)) > ordinal {
            day -= 1;
        }
        while !self.is_working(day) || self.ordinal(Date::from_days(day)) < ordinal {
            day += 1;
        }
        Date::from_days(day)
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
        let index = WorkIndex::new(&calendar);
        let base = index.ordinal(d("2026-09-28"));
        // Mon 28, Tue 29, Wed 30 work; Thu 1 and Fri 2 are off; Mon 5 is the fourth day.
        assert_eq!(index.date(base), d("2026-09-28"));
        assert_eq!(index.date(base + 3), d("2026-10-05"));
        assert_eq!(index.ordinal(d("2026-10-01")) - base, 3, "a day off counts as the next working day");
        assert_eq!(index.ordinal(d("2026-10-10")) - base, 8);
        assert_eq!(index.date(index.ordinal(d("2026-10-12"))), d("2026-10-12"));
    }

    #[test]
    fn a_calendar_with_no_working_day_works_every_day() {
        let none = WorkCalendar { weekdays: vec![false; 7], ..WorkCalendar::default() };
        let index = WorkIndex::new(&none);
        assert_eq!(index.ordinal(d("2026-01-11")) - index.ordinal(d("2026-01-01")), 10);
        let with_holiday = WorkCalendar { holidays: vec![d("2026-01-05")], ..none };
        assert!(!with_holiday.is_working(d("2026-01-05")), "a holiday stays off");
        assert!(with_holiday.is_working(d("2026-01-04")), "a Sunday works");
        let index = WorkIndex::new(&with_holiday);
        assert_eq!(index.ordinal(d("2026-01-11")) - index.ordinal(d("2026-01-01")), 9);
    }

    proptest::proptest! {
        /// The arithmetic agrees with walking the calendar day by day.
        #[test]
        fn numbers_agree_with_counting_days(
            weekdays in proptest::collection::vec(proptest::bool::ANY, 7),
            holidays in proptest::collection::vec(-400i32..400, 0..12),
            extra in proptest::collection::vec(-400i32..400, 0..6),
            from in -300i32..300,
        ) {
            let base = 20_000;
            let calendar = WorkCalendar {
                weekdays,
                holidays: holidays.iter().map(|h| Date::from_days(base + h)).collect(),
                extra_workdays: extra.iter().map(|e| Date::from_days(base + e)).collect(),
            };
            let index = WorkIndex::new(&calendar);
            let start = Date::from_days(base + from);
            let mut expected = index.ordinal(start);
            for step in 0..60 {
                let day = start.add_days(step);
                proptest::prop_assert_eq!(index.ordinal(day), expected, "ordinal of {}", day);
                proptest::prop_assert_eq!(index.works_on(day), calendar.is_working(day), "works on {}", day);
                if calendar.is_working(day) {
                    proptest::prop_assert_eq!(index.date(expected), day);
                    expected += 1;
                }
            }
        }
    }
}
