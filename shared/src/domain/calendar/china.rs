//! China's public holidays and 调休 make-up working days, as the General Office of the State
//! Council (国务院办公厅) arranges them each year in its notice "国务院办公厅关于XXXX年部分节假日
//! 安排的通知", usually published between October and December of the year before.
//!
//! What the data holds, per year:
//! - every day the notice says is 放假, weekend days inside a block included (2026's 春节 is
//!   "2月15日至23日", a Sunday to a Monday: all nine days are listed). A single day that is
//!   "与周末连休" is listed alone: the weekend next to it is off anyway.
//! - every weekend day the notice says is 上班 (worked in exchange for a weekday off).
//!
//! The schedule cannot be computed: it changes with the lunar calendar and with policy (2020's
//! 春节 was lengthened during the holiday; from 2025, 除夕 and 5月2日 became holidays). A year
//! is added when its notice appears; until then its holidays are unknown, not guessed.
//!
//! Sources, on www.gov.cn (the 2020 to 2026 notices; 2027's had not been found when this was
//! written, on 2026-11-30):
//! - 2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04),
//!   <https://www.gov.cn/zhengce/content/202511/content_7047090.htm>
//! - 2025: 国务院办公厅关于2025年部分节假日安排的通知 (2024-11-12),
//!   <https://www.gov.cn/zhengce/content/202411/content_6986382.htm>
//! - 2024: 国务院办公厅关于2024年部分节假日安排的通知 (2023-10-25),
//!   <https://www.gov.cn/zhengce/content/202310/content_6911527.htm>
//! - 2023: 国务院办公厅关于2023年部分节假日安排的通知 (2022-12-08),
//!   <https://www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm>
//! - 2022: 国务院办公厅关于2022年部分节假日安排的通知 (2021-10-25),
//!   <https://www.gov.cn/zhengce/content/2021-10/25/content_5644835.htm>
//! - 2021: 国务院办公厅关于2021年部分节假日安排的通知 (2020-11-25),
//!   <https://www.gov.cn/zhengce/content/2020-11/25/content_5564127.htm>
//! - 2020: 国务院办公厅关于2020年部分节假日安排的通知 (2019-11-21),
//!   <https://www.gov.cn/zhengce/content/2019-11/21/content_5454164.htm>, and
//!   国务院办公厅关于延长2020年春节假期的通知 (2020-01-26),
//!   <https://www.gov.cn/zhengce/content/2020-01/27/content_5472352.htm>, which lengthened
//!   春节 to 2月2日 and so cancelled the make-up Saturday 2月1日.
//!
//! Every day was checked against the text of these notices and against two datasets built
//! from them: NateScarlet/holiday-cn (one JSON file per year) and LKI/chinese-calendar.

use super::WorkCalendar;
use crate::domain::Date;

/// The last year whose notice is in [`china_calendar`].
pub const CHINA_HOLIDAYS_THROUGH: i32 = last_year(NOTICES);

/// Monday to Friday, minus every published holiday, plus every make-up working day.
pub fn china_calendar() -> WorkCalendar {
    let mut holidays: Vec<Date> =
        NOTICES.iter().flat_map(|notice| notice.off).flat_map(|&(first, last)| span(first, last)).collect();
    holidays.sort_unstable();
    holidays.dedup();
    let mut extra_workdays: Vec<Date> =
        NOTICES.iter().flat_map(|notice| notice.work).filter_map(|&day| date(day)).collect();
    extra_workdays.sort_unstable();
    extra_workdays.dedup();
    WorkCalendar { holidays, extra_workdays, ..WorkCalendar::default() }
}

/// (year, month, day).
type Ymd = (i32, u32, u32);

/// What one year's notice arranges.
struct Notice {
    year: i32,
    /// 放假: each block's first and last day, in the notice's order.
    off: &'static [(Ymd, Ymd)],
    /// 上班: the weekend days worked instead.
    work: &'static [Ymd],
}

/// Oldest first; see the module documentation for each year's source.
const NOTICES: &[Notice] = &[
    Notice {
        year: 2020,
        off: &[
            ((2020, 1, 1), (2020, 1, 1)),   // 元旦, 1 day
            ((2020, 1, 24), (2020, 2, 2)),  // 春节: 7 days to 1月30日, lengthened to 2月2日
            ((2020, 4, 4), (2020, 4, 6)),   // 清明节
            ((2020, 5, 1), (2020, 5, 5)),   // 劳动节
            ((2020, 6, 25), (2020, 6, 27)), // 端午节
            ((2020, 10, 1), (2020, 10, 8)), // 国庆节、中秋节
        ],
        // 2月1日 (Saturday) was to be worked; the lengthened 春节 made it a day off.
        work: &[(2020, 1, 19), (2020, 4, 26), (2020, 5, 9), (2020, 6, 28), (2020, 9, 27), (2020, 10, 10)],
    },
    Notice {
        year: 2021,
        off: &[
            ((2021, 1, 1), (2021, 1, 3)),   // 元旦
            ((2021, 2, 11), (2021, 2, 17)), // 春节
            ((2021, 4, 3), (2021, 4, 5)),   // 清明节
            ((2021, 5, 1), (2021, 5, 5)),   // 劳动节
            ((2021, 6, 12), (2021, 6, 14)), // 端午节
            ((2021, 9, 19), (2021, 9, 21)), // 中秋节
            ((2021, 10, 1), (2021, 10, 7)), // 国庆节
        ],
        work: &[
            (2021, 2, 7),
            (2021, 2, 20),
            (2021, 4, 25),
            (2021, 5, 8),
            (2021, 9, 18),
            (2021, 9, 26),
            (2021, 10, 9),
        ],
    },
    Notice {
        year: 2022,
        off: &[
            ((2022, 1, 1), (2022, 1, 3)),   // 元旦
            ((2022, 1, 31), (2022, 2, 6)),  // 春节
            ((2022, 4, 3), (2022, 4, 5)),   // 清明节
            ((2022, 4, 30), (2022, 5, 4)),  // 劳动节
            ((2022, 6, 3), (2022, 6, 5)),   // 端午节
            ((2022, 9, 10), (2022, 9, 12)), // 中秋节
            ((2022, 10, 1), (2022, 10, 7)), // 国庆节
        ],
        work: &[
            (2022, 1, 29),
            (2022, 1, 30),
            (2022, 4, 2),
            (2022, 4, 24),
            (2022, 5, 7),
            (2022, 10, 8),
            (2022, 10, 9),
        ],
    },
    Notice {
        year: 2023,
        off: &[
            ((2022, 12, 31), (2023, 1, 2)), // 元旦, from the last day of 2022
            ((2023, 1, 21), (2023, 1, 27)), // 春节
            ((2023, 4, 5), (2023, 4, 5)),   // 清明节, 1 day
            ((2023, 4, 29), (2023, 5, 3)),  // 劳动节
            ((2023, 6, 22), (2023, 6, 24)), // 端午节
            ((2023, 9, 29), (2023, 10, 6)), // 中秋节、国庆节
        ],
        work: &[
            (2023, 1, 28),
            (2023, 1, 29),
            (2023, 4, 23),
            (2023, 5, 6),
            (2023, 6, 25),
            (2023, 10, 7),
            (2023, 10, 8),
        ],
    },
    Notice {
        year: 2024,
        off: &[
            ((2024, 1, 1), (2024, 1, 1)),   // 元旦, 与周末连休
            ((2024, 2, 10), (2024, 2, 17)), // 春节 (除夕 2月9日 is a working day)
            ((2024, 4, 4), (2024, 4, 6)),   // 清明节
            ((2024, 5, 1), (2024, 5, 5)),   // 劳动节
            ((2024, 6, 10), (2024, 6, 10)), // 端午节, 与周末连休
            ((2024, 9, 15), (2024, 9, 17)), // 中秋节
            ((2024, 10, 1), (2024, 10, 7)), // 国庆节
        ],
        work: &[
            (2024, 2, 4),
            (2024, 2, 18),
            (2024, 4, 7),
            (2024, 4, 28),
            (2024, 5, 11),
            (2024, 9, 14),
            (2024, 9, 29),
            (2024, 10, 12),
        ],
    },
    Notice {
        year: 2025,
        off: &[
            ((2025, 1, 1), (2025, 1, 1)),   // 元旦, 1 day
            ((2025, 1, 28), (2025, 2, 4)),  // 春节, from 除夕
            ((2025, 4, 4), (2025, 4, 6)),   // 清明节
            ((2025, 5, 1), (2025, 5, 5)),   // 劳动节
            ((2025, 5, 31), (2025, 6, 2)),  // 端午节
            ((2025, 10, 1), (2025, 10, 8)), // 国庆节、中秋节
        ],
        work: &[(2025, 1, 26), (2025, 2, 8), (2025, 4, 27), (2025, 9, 28), (2025, 10, 11)],
    },
    Notice {
        year: 2026,
        off: &[
            ((2026, 1, 1), (2026, 1, 3)),   // 元旦
            ((2026, 2, 15), (2026, 2, 23)), // 春节, 腊月二十八 to 正月初七
            ((2026, 4, 4), (2026, 4, 6)),   // 清明节
            ((2026, 5, 1), (2026, 5, 5)),   // 劳动节
            ((2026, 6, 19), (2026, 6, 21)), // 端午节
            ((2026, 9, 25), (2026, 9, 27)), // 中秋节
            ((2026, 10, 1), (2026, 10, 7)), // 国庆节
        ],
        work: &[(2026, 1, 4), (2026, 2, 14), (2026, 2, 28), (2026, 5, 9), (2026, 9, 20), (2026, 10, 10)],
    },
];

const fn last_year(notices: &[Notice]) -> i32 {
    let mut last = i32::MIN;
    let mut i = 0;
    while i < notices.len() {
        if notices[i].year > last {
            last = notices[i].year;
        }
        i += 1;
    }
    last
}

fn date((year, month, day): Ymd) -> Option<Date> {
    Date::from_ymd(year, month, day)
}

/// The days `first..=last` (none if either is not a date).
fn span(first: Ymd, last: Ymd) -> impl Iterator<Item = Date> {
    let days = date(first).zip(date(last)).map(|(first, last)| first.days()..=last.days());
    days.into_iter().flatten().map(Date::from_days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TaskId;
    use crate::domain::Dependency;
    use crate::plan::{Anchor, Work, schedule};

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn is_weekend(day: Date) -> bool {
        day.weekday() >= 5
    }

    fn notice(year: i32) -> &'static Notice {
        NOTICES.iter().find(|n| n.year == year).expect("a notice for the year")
    }

    fn days_off(notice: &Notice) -> Vec<Date> {
        notice.off.iter().flat_map(|&(first, last)| span(first, last)).collect()
    }

    /// The length of each block as the notice states it (共N天; 1 for a day 与周末连休),
    /// written down separately from the blocks' first and last days.
    const BLOCK_LENGTHS: &[(i32, &[usize])] = &[
        // 元旦, 春节 (7 + 3 added by the extension), 清明, 劳动, 端午, 国庆中秋.
        (2020, &[1, 10, 3, 5, 3, 8]),
        // 元旦, 春节, 清明, 劳动, 端午, 中秋, 国庆.
        (2021, &[3, 7, 3, 5, 3, 3, 7]),
        (2022, &[3, 7, 3, 5, 3, 3, 7]),
        // 元旦, 春节, 清明, 劳动, 端午, 中秋国庆.
        (2023, &[3, 7, 1, 5, 3, 8]),
        (2024, &[1, 8, 3, 5, 1, 3, 7]),
        (2025, &[1, 8, 3, 5, 3, 8]),
        (2026, &[3, 9, 3, 5, 3, 3, 7]),
    ];

    #[test]
    fn every_year_from_2020_to_the_newest_notice_is_covered() {
        let years: Vec<i32> = NOTICES.iter().map(|n| n.year).collect();
        assert_eq!(years, (2020..=2026).collect::<Vec<_>>());
        assert_eq!(CHINA_HOLIDAYS_THROUGH, 2026);
        let checked: Vec<i32> = BLOCK_LENGTHS.iter().map(|(year, _)| *year).collect();
        assert_eq!(checked, years, "every year's block lengths are checked");
    }

    #[test]
    fn each_block_is_as_long_as_its_notice_says() {
        for &(year, lengths) in BLOCK_LENGTHS {
            let notice = notice(year);
            let actual: Vec<usize> =
                notice.off.iter().map(|&(first, last)| span(first, last).count()).collect();
            assert_eq!(actual, lengths, "{year}");
            assert_eq!(days_off(notice).len(), lengths.iter().sum::<usize>(), "{year}");
        }
    }

    #[test]
    fn make_up_days_are_weekend_days_and_holidays_are_not_worked() {
        let calendar = china_calendar();
        for notice in NOTICES {
            assert!(!notice.work.is_empty(), "{}: every year has some 调休", notice.year);
            for &day in notice.work {
                let day = date(day).expect("a make-up day is a date");
                assert!(is_weekend(day), "{day}: a make-up day is a Saturday or Sunday");
                assert!(calendar.is_working(day), "{day} is worked");
            }
            for day in days_off(notice) {
                assert!(!calendar.is_working(day), "{day} is off");
                assert!(!notice.work.iter().any(|&w| date(w) == Some(day)), "{day} both off and worked");
            }
            let weekdays_off = days_off(notice).into_iter().filter(|d| !is_weekend(*d)).count();
            assert!(
                weekdays_off > notice.work.len(),
                "{}: more weekdays off than weekend days worked",
                notice.year
            );
        }
    }

    #[test]
    fn the_calendar_lists_each_day_once_in_order() {
        let calendar = china_calendar();
        assert_eq!(calendar.weekdays, vec![true, true, true, true, true, false, false], "Monday to Friday");
        assert!(calendar.holidays.windows(2).all(|w| w[0] < w[1]));
        assert!(calendar.extra_workdays.windows(2).all(|w| w[0] < w[1]));
        let total: usize = BLOCK_LENGTHS.iter().flat_map(|(_, lengths)| lengths.iter()).sum();
        assert_eq!(calendar.holidays.len(), total);
        assert_eq!(calendar.extra_workdays.len(), NOTICES.iter().map(|n| n.work.len()).sum::<usize>());
    }

    #[test]
    fn spring_festival_2025_and_2026() {
        let calendar = china_calendar();
        // 2025: 1月28日 (除夕, Tuesday) to 2月4日, 8 days; Sunday 1月26日 and Saturday 2月8日 worked.
        for day in span((2025, 1, 28), (2025, 2, 4)) {
            assert!(!calendar.is_working(day), "{day}");
        }
        assert!(calendar.is_working(d("2025-01-27")), "the Monday before");
        assert!(calendar.is_working(d("2025-01-26")), "Sunday worked");
        assert!(calendar.is_working(d("2025-02-08")), "Saturday worked");
        assert!(calendar.is_working(d("2025-02-05")), "back on Wednesday");
        // 2026: 2月15日 to 23日, 9 days; Saturdays 2月14日 and 28日 worked.
        for day in span((2026, 2, 15), (2026, 2, 23)) {
            assert!(!calendar.is_working(day), "{day}");
        }
        assert!(calendar.is_working(d("2026-02-14")));
        assert!(calendar.is_working(d("2026-02-28")));
        assert!(!calendar.is_working(d("2026-02-07")), "an ordinary Saturday stays off");
    }

    #[test]
    fn the_odd_years() {
        let calendar = china_calendar();
        // 2020: the extension made Saturday 2月1日, once a make-up day, a day off; work resumed
        // on Monday 2月3日.
        assert!(!calendar.is_working(d("2020-01-31")));
        assert!(!calendar.is_working(d("2020-02-01")));
        assert!(calendar.is_working(d("2020-02-03")));
        assert!(calendar.is_working(d("2020-01-19")), "Sunday worked before 春节");
        // 2023's 元旦 began on the last day of 2022.
        assert!(calendar.holidays.contains(&d("2022-12-31")));
        assert!(!calendar.is_working(d("2023-01-02")), "Monday off");
        // 2024: 除夕 (Friday 2月9日) was only recommended as a day off, so it is worked.
        assert!(calendar.is_working(d("2024-02-09")));
        assert!(calendar.is_working(d("2024-02-18")), "Sunday worked after 春节");
        // 国庆 2025 merged with 中秋: eight days, 10月8日 (Wednesday) included.
        assert!(!calendar.is_working(d("2025-10-08")));
        assert!(calendar.is_working(d("2025-10-11")), "Saturday worked");
    }

    #[test]
    fn a_plan_crossing_spring_festival_waits_for_it() {
        let calendar = china_calendar();
        let first = TaskId::derived("备货");
        let second = TaskId::derived("上新");
        let work = vec![
            Work { id: first, duration: 5, depends_on: Vec::new(), not_before: None, window: None },
            Work {
                id: second,
                duration: 3,
                depends_on: vec![Dependency::after(first)],
                not_before: None,
                window: None,
            },
        ];
        // The Friday before 春节 2026.
        let s = schedule(&work, &calendar, Anchor::Start(d("2026-02-13")));
        // Fri 13 and the make-up Saturday 14, then nothing until Tue 24: 24, 25, 26.
        assert_eq!(s.tasks[&first].start, d("2026-02-13"));
        assert_eq!(s.tasks[&first].finish, d("2026-02-26"));
        // Fri 27, the make-up Saturday 28, Mon 2 March.
        assert_eq!(s.tasks[&second].start, d("2026-02-27"));
        assert_eq!(s.tasks[&second].finish, d("2026-03-02"));
        for task in s.tasks.values() {
            for day in [task.start, task.finish] {
                assert!(!calendar.holidays.contains(&day), "{day} is a holiday");
                assert!(calendar.is_working(day), "{day}");
            }
        }
        // Without the holidays the same work would be done a week earlier.
        let plain = schedule(&work, &WorkCalendar::default(), Anchor::Start(d("2026-02-13")));
        assert_eq!(plain.tasks[&first].finish, d("2026-02-19"));
    }
}
