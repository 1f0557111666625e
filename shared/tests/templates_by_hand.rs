//! Two built-in templates against plans worked out by hand, on paper, from the template data
//! and the rules of the scheduler (not from its output): every task's start, finish, slack and
//! critical mark, the milestones and the critical chains.
//!
//! The rules, from `plan::schedule`: working days are numbered; a task of `d` days starting on
//! day `ES` occupies days `ES..ES+d`, so its earliest finish `EF = ES + d` is the first day
//! after it and its last day is `EF - 1`. A dependency on `p` with lag `l` asks for
//! FS: `ES >= EF(p) + l`, SS: `ES >= ES(p) + l`, FF: `EF >= EF(p) + l`, SF: `EF >= ES(p) + l`.
//! Scheduled back from a launch day, the plan is first measured (the largest `EF` of a task
//! that does not recur), then the launch day is made its last day. The backward pass gives each
//! task the latest finish `LF` its followers allow (the plan's end for the last ones) and
//! `LS = LF - d`; slack is `LS - ES`, and the tasks with the least slack (here 0) are critical.
//! Recurring tasks sit on their fixed days and are never critical.

use std::collections::HashMap;

use launchplan_shared::domain::templates::{self, Template};
use launchplan_shared::domain::{Date, Project, china_calendar};
use launchplan_shared::plan::report::TaskRow;
use launchplan_shared::plan::{PlanReport, report};

fn d(s: &str) -> Date {
    s.parse().expect("date")
}

/// One task worked out by hand: its key in the template, first and last day, slack in working
/// days, critical.
type Expected = (&'static str, &'static str, &'static str, i32, bool);

/// `plan`'s rows by the template's task keys (the English titles are unique in a template).
fn rows<'a>(template: &Template, plan: &'a PlanReport) -> HashMap<String, &'a TaskRow> {
    assert_eq!(plan.tasks.len(), template.tasks.len(), "{}: one row per task", template.key);
    template
        .tasks
        .iter()
        .map(|t| {
            let found: Vec<&TaskRow> = plan.tasks.iter().filter(|row| row.title == t.title.en).collect();
            assert_eq!(found.len(), 1, "{}: {}", template.key, t.title.en);
            (t.key.clone(), found[0])
        })
        .collect()
}

fn keys(template: &Template, plan: &PlanReport, ids: &[launchplan_shared::TaskId]) -> Vec<String> {
    let rows = rows(template, plan);
    ids.iter()
        .map(|id| rows.iter().find(|(_, row)| row.id == *id).map(|(k, _)| k.clone()).expect("a task"))
        .collect()
}

fn check(template: &Template, plan: &PlanReport, expected: &[Expected]) {
    let rows = rows(template, plan);
    assert_eq!(expected.len(), template.tasks.len(), "every task is worked out");
    for &(key, start, finish, slack, critical) in expected {
        let row = rows.get(key).unwrap_or_else(|| panic!("no task {key}"));
        assert_eq!(
            (row.start.to_string().as_str(), row.finish.to_string().as_str(), row.slack_days, row.critical),
            (start, finish, slack, critical),
            "{key}: (start, finish, slack, critical)"
        );
    }
}

fn milestones(plan: &PlanReport) -> Vec<(String, Option<Date>)> {
    plan.milestones.iter().map(|m| (m.name.clone(), m.date)).collect()
}

// 新品首发 (`new-product-launch`) launching on Wednesday 2026-11-11.
//
// `report` schedules a launch template on `Template::calendar`: Monday to Friday, no holidays.
// The plan measures 51 working days (see EF below), so the launch day is day 50 and day 0 is
// ten weeks earlier, Wednesday 09-02:
//   Sep  0=02 1=03 2=04 | 3=07 .. 7=11 | 8=14 .. 12=18 | 13=21 .. 17=25 | 18=28 19=29 20=30
//   Oct  21=01 22=02 | 23=05 .. 27=09 | 28=12 .. 32=16 | 33=19 .. 37=23 | 38=26 .. 42=30
//   Nov  43=02 .. 47=06 | 48=09 49=10 50=11
//
// A workspace on China's calendar (the default) loses 中秋 (Fri 09-25) and 国庆 (Thu 10-01 to
// Wed 10-07: five weekdays) and works Sun 09-20 and Sat 10-10, four days fewer, so day 0 moves
// to Thu 08-27:
//   Aug  0=27 1=28 2=31 | Sep 3=01 4=02 5=03 6=04 | 7=07 .. 11=11 | 12=14 .. 16=18
//   17=Sun 20 | 18=21 19=22 20=23 21=24 | 22=28 23=29 24=30 | Oct 25=08 26=09 27=Sat 10
//   28=12 and on: the same as above.
//
// task              d  waits for (FS unless said)        ES EF | LF LS | slack | Mon-Fri     | China
//                                                                                 first last  | first last
// competitors       5  -                                  0  5 |  5  0 |  0 *  | 09-02 09-08 | 08-27 09-02
// interviews        5  competitors SS+1                   1  6 |  6  1 |  0 *  | 09-03 09-09 | 08-28 09-03
// pricing           3  competitors (5), interviews (6)    6  9 |  9  6 |  0 *  | 09-10 09-14 | 09-04 09-08
// positioning       2  pricing                            9 11 | 11  9 |  0 *  | 09-15 09-16 | 09-09 09-10
// brief             2  positioning                       11 13 | 13 11 |  0 *  | 09-17 09-18 | 09-11 09-14
// drafts            7  brief                             13 20 | 20 13 |  0 *  | 09-21 09-29 | 09-15 09-22
// revisions         4  drafts                            20 24 | 24 20 |  0 *  | 09-30 10-05 | 09-23 09-29
// proofs            5  revisions                         24 29 | 39 34 | 10    | 10-06 10-12 | 09-30 10-12
// key-visual        5  brief SS+2 (11+2)                 13 18 | 38 33 | 20    | 09-21 09-25 | 09-15 09-20
// sample-run        7  revisions                         24 31 | 31 24 |  0 *  | 10-06 10-14 | 09-30 10-14
// sample-qa         3  sample-run                        31 34 | 34 31 |  0 *  | 10-15 10-19 | same
// trial             5  sample-qa                         34 39 | 39 34 |  0 *  | 10-20 10-26 | same
// mass-production   1  trial (39), proofs (29)           39 40 | 40 39 |  0 *  | 10-27 10-27 | same
// ad-plan           3  sample-qa                         34 37 | 38 35 |  1    | 10-20 10-22 | same
// creatives         5  ad-plan (37), key-visual (18)     37 42 | 43 38 |  1    | 10-23 10-29 | same
// kol              10  ad-plan                           37 47 | 50 40 |  3    | 10-23 11-05 | same
// warm-up           7  creatives                         42 49 | 50 43 |  1    | 10-30 11-09 | same
// detail-page       5  key-visual (18), mass-prod. (40)  40 45 | 45 40 |  0 *  | 10-28 11-03 | same
// product-info      2  detail-page                       45 47 | 47 45 |  0 *  | 11-04 11-05 | same
// listing-review    2  product-info                      47 49 | 49 47 |  0 *  | 11-06 11-09 | same
// stock-in          5  mass-production                   40 45 | 50 45 |  5    | 10-28 11-03 | same
// cs-training       2  detail-page                       45 47 | 50 48 |  3    | 11-04 11-05 | same
// coupons           1  listing-review                    49 50 | 50 49 |  0 *  | 11-10 11-10 | same
// go-live           1  listing-review 49, stock-in 45,   50 51 | 51 50 |  0 *  | 11-11 11-11 | same
//                      cs-training 47, coupons 50, warm-up 49, kol 47
// launch-watch      1  go-live SS+0                      50 51 | 51 50 |  0 *  | 11-11 11-11 | same
//
// The plan's end is day 51 (EF of go-live and launch-watch). The latest finishes, last task
// first: go-live min(end 51, launch-watch SS+0: LS 50 - 0 + 1) = 51; coupons and the other
// tasks go-live waits for: go-live's LS 50; listing-review min(go-live 50, coupons 49);
// detail-page min(product-info 45, cs-training 48); mass-production min(detail-page 40,
// stock-in 45); ad-plan min(creatives 38, kol 40); sample-qa min(trial 34, ad-plan 35);
// key-visual min(creatives 38, detail-page 40); revisions min(proofs 34, sample-run 24);
// brief min(drafts 13, key-visual SS+2: 33 - 2 + 2 = 33); competitors min(pricing 6,
// interviews SS+1: 1 - 1 + 5 = 5).
const NEW_PRODUCT_LAUNCH: [(&str, &str, &str, i32, bool, &str, &str); 25] = [
    ("competitors", "2026-09-02", "2026-09-08", 0, true, "2026-08-27", "2026-09-02"),
    ("interviews", "2026-09-03", "2026-09-09", 0, true, "2026-08-28", "2026-09-03"),
    ("pricing", "2026-09-10", "2026-09-14", 0, true, "2026-09-04", "2026-09-08"),
    ("positioning", "2026-09-15", "2026-09-16", 0, true, "2026-09-09", "2026-09-10"),
    ("brief", "2026-09-17", "2026-09-18", 0, true, "2026-09-11", "2026-09-14"),
    ("drafts", "2026-09-21", "2026-09-29", 0, true, "2026-09-15", "2026-09-22"),
    ("revisions", "2026-09-30", "2026-10-05", 0, true, "2026-09-23", "2026-09-29"),
    ("proofs", "2026-10-06", "2026-10-12", 10, false, "2026-09-30", "2026-10-12"),
    ("key-visual", "2026-09-21", "2026-09-25", 20, false, "2026-09-15", "2026-09-20"),
    ("sample-run", "2026-10-06", "2026-10-14", 0, true, "2026-09-30", "2026-10-14"),
    ("sample-qa", "2026-10-15", "2026-10-19", 0, true, "2026-10-15", "2026-10-19"),
    ("trial", "2026-10-20", "2026-10-26", 0, true, "2026-10-20", "2026-10-26"),
    ("mass-production", "2026-10-27", "2026-10-27", 0, true, "2026-10-27", "2026-10-27"),
    ("ad-plan", "2026-10-20", "2026-10-22", 1, false, "2026-10-20", "2026-10-22"),
    ("creatives", "2026-10-23", "2026-10-29", 1, false, "2026-10-23", "2026-10-29"),
    ("kol", "2026-10-23", "2026-11-05", 3, false, "2026-10-23", "2026-11-05"),
    ("warm-up", "2026-10-30", "2026-11-09", 1, false, "2026-10-30", "2026-11-09"),
    ("detail-page", "2026-10-28", "2026-11-03", 0, true, "2026-10-28", "2026-11-03"),
    ("product-info", "2026-11-04", "2026-11-05", 0, true, "2026-11-04", "2026-11-05"),
    ("listing-review", "2026-11-06", "2026-11-09", 0, true, "2026-11-06", "2026-11-09"),
    ("stock-in", "2026-10-28", "2026-11-03", 5, false, "2026-10-28", "2026-11-03"),
    ("cs-training", "2026-11-04", "2026-11-05", 3, false, "2026-11-04", "2026-11-05"),
    ("coupons", "2026-11-10", "2026-11-10", 0, true, "2026-11-10", "2026-11-10"),
    ("go-live", "2026-11-11", "2026-11-11", 0, true, "2026-11-11", "2026-11-11"),
    ("launch-watch", "2026-11-11", "2026-11-11", 0, true, "2026-11-11", "2026-11-11"),
];

/// The critical tasks, earliest first (ES, then EF), and the one chain they make:
/// competitors holds interviews back (SS+1: 0 + 1 = 1), but not pricing (its 5 < 6).
const NEW_PRODUCT_LAUNCH_CRITICAL: [&str; 17] = [
    "competitors",
    "interviews",
    "pricing",
    "positioning",
    "brief",
    "drafts",
    "revisions",
    "sample-run",
    "sample-qa",
    "trial",
    "mass-production",
    "detail-page",
    "product-info",
    "listing-review",
    "coupons",
    "go-live",
    "launch-watch",
];

#[test]
fn new_product_launch_matches_the_plan_worked_out_by_hand() {
    let template = templates::find("new-product-launch").expect("template");
    let launch = d("2026-11-11");
    let plan = report(&template, launch, d("2026-01-01"), false);
    let expected: Vec<Expected> = NEW_PRODUCT_LAUNCH
        .iter()
        .map(|&(k, start, finish, slack, critical, ..)| (k, start, finish, slack, critical))
        .collect();
    check(&template, &plan, &expected);
    assert_eq!(plan.finish, launch);
    assert_eq!(keys(&template, &plan, &plan.critical_tasks), NEW_PRODUCT_LAUNCH_CRITICAL);
    let chains: Vec<Vec<String>> = plan.critical_chains.iter().map(|c| keys(&template, &plan, c)).collect();
    assert_eq!(chains, [NEW_PRODUCT_LAUNCH_CRITICAL.map(String::from).to_vec()]);
    // Each milestone falls on the last day of the task it follows.
    let on = |name: &str, day: &str| (name.to_owned(), Some(d(day)));
    assert_eq!(
        milestones(&plan),
        [
            on("Research concluded", "2026-09-16"),
            on("Packaging final", "2026-10-05"),
            on("Key visual final", "2026-09-25"),
            on("Mass production approved", "2026-10-27"),
            on("Listing approved", "2026-11-09"),
            on("Launch", "2026-11-11"),
        ]
    );
}

#[test]
fn new_product_launch_on_chinas_calendar_works_around_mid_autumn_and_national_day() {
    let template = templates::find("new-product-launch").expect("template");
    let launch = d("2026-11-11");
    let calendar = template.calendar_in(&china_calendar());
    let project: Project = template.instantiate_on(&calendar, launch, false, "by-hand", 0);
    assert_eq!(project.meta.start.map(|s| s.to_string()).as_deref(), Some("2026-08-27"));
    for (key, .., start, finish) in NEW_PRODUCT_LAUNCH {
        let title = &template.tasks.iter().find(|t| t.key == key).expect("task").title.en;
        let task = project.tasks.values().find(|t| &t.title == title).expect("instantiated");
        let days = (task.start.map(|s| s.to_string()), task.due.map(|s| s.to_string()));
        assert_eq!(days, (Some(start.to_owned()), Some(finish.to_owned())), "{key}: (start, due)");
    }
}

// 双十一大促备战 (`double-11`) for Wednesday 2026-11-11.
//
// Campaign teams work every day (`every_day`), so working days are calendar days. The plan
// measures 51 days (big-day's EF), so 11-11 is day 50 and day 0 is 09-22 (day k is 09-22 + k:
// 8 = 09-30, 9 = 10-01, 39 = 10-31, 40 = 11-01). The recurring tasks sit on their windows
// around the launch day: daily-review from 10 days before to the day (11 days, ES 40), the
// weekly war-room from 56 days before to the day before (56 days, ES -6: it starts six days
// before the first task).
//
// task            d  waits for (FS unless said)           ES EF | LF LS | slack | first last
// last-year       5  -                                     0  5 |  5  0 |  0 *  | 09-22 09-26
// targets         3  last-year                             5  8 |  8  5 |  0 *  | 09-27 09-29
// assortment      7  targets                               8 15 | 15  8 |  0 *  | 09-30 10-06
// register        2  targets                               8 10 | 25 23 | 15    | 09-30 10-01
// purchase        5  assortment                           15 20 | 20 15 |  0 *  | 10-07 10-11
// inbound-qa      3  purchase FS+15 (20+15)               35 38 | 38 35 |  0 *  | 10-27 10-29
// allocation      7  inbound-qa                           38 45 | 45 38 |  0 *  | 10-30 11-05
// venue-plan      3  register                             10 13 | 28 25 | 15    | 10-02 10-04
// banner          5  venue-plan                           13 18 | 33 28 | 15    | 10-05 10-09
// detail-pages    7  assortment                           15 22 | 33 26 | 11    | 10-07 10-13
// page-test       2  banner (18), detail-pages (22)       22 24 | 35 33 | 11    | 10-14 10-15
// coupons         2  venue-plan                           13 15 | 44 42 | 29    | 10-05 10-06
// rules-to-cs     1  coupons                              15 16 | 45 44 | 29    | 10-07 10-07
// warm-up        14  page-test                            24 38 | 49 35 | 11    | 10-16 10-29
// live-streams    5  assortment                           15 20 | 50 45 | 30    | 10-07 10-11
// cs-training     3  rules-to-cs                          16 19 | 48 45 | 29    | 10-08 10-10
// after-sales     2  cs-training                          19 21 | 50 48 | 29    | 10-11 10-12
// carriers        3  allocation                           45 48 | 48 45 |  0 *  | 11-06 11-08
// dispatch-drill  2  carriers                             48 50 | 50 48 |  0 *  | 11-09 11-10
// pre-sale        1  warm-up (38), coupons (15)           38 39 | 50 49 | 11    | 10-30 10-30
// big-day         1  pre-sale 39, after-sales 21,         50 51 | 51 50 |  0 *  | 11-11 11-11
//                    dispatch-drill 50, live-streams 20
// daily-review   11  fixed, -10 0                      40 51 | 51 40 |  0    | 11-01 11-11
// war-room       56  fixed, -56 -1                     -6 50 | 51 -5 |  1    | 09-16 11-10
// deposit-rules   1  coupons                              15 16 | 51 50 | 35    | 10-07 10-07
//
// The latest finishes: coupons min(rules-to-cs 44, pre-sale 49, deposit-rules 50);
// venue-plan min(banner 28, coupons 42); assortment min(purchase 15, detail-pages 26,
// live-streams 45); targets min(assortment 8, register 23); purchase: inbound-qa's LS 35 less
// the 15 days' lag. Without that lag the plan would be 15 days shorter and inbound-qa would
// follow purchase at once. daily-review has no slack but recurs, so it is not critical.
const DOUBLE_11: [Expected; 24] = [
    ("last-year", "2026-09-22", "2026-09-26", 0, true),
    ("targets", "2026-09-27", "2026-09-29", 0, true),
    ("assortment", "2026-09-30", "2026-10-06", 0, true),
    ("register", "2026-09-30", "2026-10-01", 15, false),
    ("purchase", "2026-10-07", "2026-10-11", 0, true),
    ("inbound-qa", "2026-10-27", "2026-10-29", 0, true),
    ("allocation", "2026-10-30", "2026-11-05", 0, true),
    ("venue-plan", "2026-10-02", "2026-10-04", 15, false),
    ("banner", "2026-10-05", "2026-10-09", 15, false),
    ("detail-pages", "2026-10-07", "2026-10-13", 11, false),
    ("page-test", "2026-10-14", "2026-10-15", 11, false),
    ("coupons", "2026-10-05", "2026-10-06", 29, false),
    ("rules-to-cs", "2026-10-07", "2026-10-07", 29, false),
    ("warm-up", "2026-10-16", "2026-10-29", 11, false),
    ("live-streams", "2026-10-07", "2026-10-11", 30, false),
    ("cs-training", "2026-10-08", "2026-10-10", 29, false),
    ("after-sales", "2026-10-11", "2026-10-12", 29, false),
    ("carriers", "2026-11-06", "2026-11-08", 0, true),
    ("dispatch-drill", "2026-11-09", "2026-11-10", 0, true),
    ("pre-sale", "2026-10-30", "2026-10-30", 11, false),
    ("big-day", "2026-11-11", "2026-11-11", 0, true),
    ("daily-review", "2026-11-01", "2026-11-11", 0, false),
    ("war-room", "2026-09-16", "2026-11-10", 1, false),
    ("deposit-rules", "2026-10-07", "2026-10-07", 35, false),
];

const DOUBLE_11_CRITICAL: [&str; 9] = [
    "last-year",
    "targets",
    "assortment",
    "purchase",
    "inbound-qa",
    "allocation",
    "carriers",
    "dispatch-drill",
    "big-day",
];

#[test]
fn double_11_matches_the_plan_worked_out_by_hand_lags_included() {
    let template = templates::find("double-11").expect("template");
    let launch = d("2026-11-11");
    let plan = report(&template, launch, d("2026-01-01"), false);
    check(&template, &plan, &DOUBLE_11);
    assert_eq!(plan.finish, launch);
    assert_eq!(keys(&template, &plan, &plan.critical_tasks), DOUBLE_11_CRITICAL);
    let chains: Vec<Vec<String>> = plan.critical_chains.iter().map(|c| keys(&template, &plan, c)).collect();
    assert_eq!(chains, [DOUBLE_11_CRITICAL.map(String::from).to_vec()]);
    let on = |name: &str, day: &str| (name.to_owned(), Some(d(day)));
    assert_eq!(
        milestones(&plan),
        [
            on("Registered for the events", "2026-10-01"),
            on("Home page banner done", "2026-10-09"),
            on("Offer rules locked and shared", "2026-10-07"),
            on("Stock in place", "2026-11-05"),
            on("Campaign opens", "2026-11-11"),
        ]
    );
}

#[test]
fn a_launch_on_national_day_is_made_by_the_last_working_day_before_the_holiday() {
    // 国庆 2026 runs from Thursday 10-01 to Wednesday 10-07; Wednesday 09-30 is the last day
    // the team works before a 10-01 launch, so the plan is the one for a 09-30 launch.
    let template = templates::find("new-product-launch").expect("template");
    let calendar = template.calendar_in(&china_calendar());
    let days = |launch: &str| {
        let project = template.instantiate_on(&calendar, d(launch), false, "holiday", 0);
        let day = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let mut days: Vec<(String, String, String)> =
            project.tasks.values().map(|t| (t.title.clone(), day(t.start), day(t.due))).collect();
        days.sort_by(|a, b| a.0.cmp(&b.0));
        days
    };
    let on_the_day = days("2026-10-01");
    assert_eq!(on_the_day, days("2026-09-30"));
    let go_live = on_the_day.iter().find(|t| t.0 == "Go live on launch day").expect("go-live");
    assert_eq!(go_live.2, "2026-09-30");
}
