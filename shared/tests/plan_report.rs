//! Every built-in template, instantiated and scheduled: a plan a person could follow, and the
//! `plan` example that prints it. The checks work on the working-day numbers of the template's
//! calendar and on the dependencies as the template states them; none of them reads the
//! scheduler's slack, order or critical mark to check another.

use std::collections::{BTreeSet, HashMap};

use launchplan_shared::TaskId;
use launchplan_shared::domain::templates::{
    self, Bilingual, Template, TemplateDependency, TemplatePhase, TemplateTask,
};
use launchplan_shared::domain::{Date, DependencyKind, ProjectKind, Team, WorkIndex};
use launchplan_shared::plan::{PlanReport, Rag, report};

use DependencyKind::*;

fn d(s: &str) -> Date {
    s.parse().expect("date")
}

/// A reported plan on working-day numbers: task `i` occupies the working days
/// `start[i]..end[i]`; `deps[i]` are its dependencies as the template states them.
struct Numbered {
    titles: Vec<String>,
    ids: Vec<TaskId>,
    start: Vec<i32>,
    end: Vec<i32>,
    deps: Vec<Vec<(usize, DependencyKind, i32)>>,
    recurs: Vec<bool>,
    /// The last working day on or before the launch, and one past its number: nothing may
    /// end after it.
    last_day: Date,
    launch_end: i32,
}

impl Numbered {
    fn new(template: &Template, plan: &PlanReport, index: &WorkIndex) -> Self {
        assert_eq!(plan.tasks.len(), template.tasks.len(), "{}: one row per task", template.key);
        // Rows by the template's keys, through the (unique) English titles.
        let row_of: Vec<usize> = template
            .tasks
            .iter()
            .map(|t| {
                let found: Vec<usize> =
                    (0..plan.tasks.len()).filter(|&r| plan.tasks[r].title == t.title.en).collect();
                assert_eq!(found.len(), 1, "{}: {}", template.key, t.title.en);
                found[0]
            })
            .collect();
        let position: HashMap<&str, usize> =
            template.tasks.iter().enumerate().map(|(i, t)| (t.key.as_str(), i)).collect();
        let rows: Vec<_> = row_of.iter().map(|&r| &plan.tasks[r]).collect();
        let deps: Vec<Vec<(usize, DependencyKind, i32)>> = template
            .tasks
            .iter()
            .map(|t| {
                t.depends_on.iter().map(|dep| (position[dep.task.as_str()], dep.kind, dep.lag_days)).collect()
            })
            .collect();
        for (i, row) in rows.iter().enumerate() {
            // The plan keeps every dependency with its kind and lag.
            let stated: Vec<(TaskId, DependencyKind, i32)> =
                deps[i].iter().map(|&(p, kind, lag)| (rows[p].id, kind, lag)).collect();
            let reported: Vec<(TaskId, DependencyKind, i32)> =
                row.depends_on.iter().map(|dep| (dep.task, dep.kind, dep.lag_days)).collect();
            assert_eq!(reported, stated, "{}: {} keeps its dependencies", template.key, row.title);
            assert!(
                index.works_on(row.start) && index.works_on(row.finish),
                "{}: {}",
                template.key,
                row.title
            );
        }
        let mut last = plan.launch;
        while !index.works_on(last) {
            last = last.add_days(-1);
        }
        Self {
            titles: rows.iter().map(|r| r.title.clone()).collect(),
            ids: rows.iter().map(|r| r.id).collect(),
            start: rows.iter().map(|r| index.ordinal(r.start)).collect(),
            end: rows.iter().map(|r| index.ordinal(r.finish) + 1).collect(),
            deps,
            recurs: template.tasks.iter().map(|t| t.recurrence.is_some()).collect(),
            last_day: last,
            launch_end: index.ordinal(last) + 1,
        }
    }

    fn len(&self) -> usize {
        self.start.len()
    }

    fn at(&self, id: TaskId) -> usize {
        self.ids.iter().position(|i| *i == id).expect("a task of the plan")
    }

    /// Whether task `t`, placed at `start` with its length, keeps its dependency on `p`.
    fn keeps(&self, start: &[i32], t: usize, (p, kind, lag): (usize, DependencyKind, i32)) -> bool {
        let length = |i: usize| self.end[i] - self.start[i];
        let (t_start, t_end) = (start[t], start[t] + length(t));
        let (p_start, p_end) = (start[p], start[p] + length(p));
        match kind {
            FinishToStart => t_start >= p_end + lag,
            StartToStart => t_start >= p_start + lag,
            FinishToFinish => t_end >= p_end + lag,
            StartToFinish => t_end >= p_start + lag,
        }
    }

    /// Where the plan's work ends if task `late` starts `delay` working days late and every
    /// other task moves only as far as a broken dependency makes it (recurring tasks stay put),
    /// found by nudging tasks one day at a time until every dependency holds.
    fn end_when_late(&self, late: usize, delay: i32) -> i32 {
        let mut start = self.start.clone();
        start[late] += delay;
        for _ in 0..10_000 {
            let broken = (0..self.len())
                .filter(|&t| !self.recurs[t])
                .find(|&t| self.deps[t].iter().any(|&dep| !self.keeps(&start, t, dep)));
            match broken {
                Some(t) => start[t] += 1,
                None => {
                    let length = |i: usize| self.end[i] - self.start[i];
                    return (0..self.len())
                        .filter(|&i| !self.recurs[i] || i == late)
                        .map(|i| start[i] + length(i))
                        .max()
                        .unwrap_or(0);
                }
            }
        }
        panic!("the plan never settles")
    }

    /// Whether `before` is among the tasks `task` waits for, directly or through others.
    fn waits_for(&self, task: usize, before: usize) -> bool {
        let mut stack = vec![task];
        let mut seen = BTreeSet::new();
        while let Some(t) = stack.pop() {
            for &(p, ..) in &self.deps[t] {
                if p == before {
                    return true;
                }
                if seen.insert(p) {
                    stack.push(p);
                }
            }
        }
        false
    }
}

/// Everything a person relies on in a plan worked back from its launch day.
fn check(template: &Template, plan: &PlanReport) {
    let index = WorkIndex::new(&template.calendar());
    let n = Numbered::new(template, plan, &index);
    let key = &template.key;
    let first = (0..n.len()).filter(|&t| !n.recurs[t]).map(|t| n.start[t]).min().expect("work");

    assert!(
        plan.finish == n.last_day,
        "{key}: launching on {}, the plan ends on {}, not on the last working day {}",
        plan.launch,
        plan.finish,
        n.last_day
    );
    for row in &plan.tasks {
        let t = n.at(row.id);
        assert_eq!(
            n.end[t] - n.start[t],
            row.duration_days as i32,
            "{key}: {} lasts its working days",
            row.title
        );
        assert!(n.end[t] <= n.launch_end, "{key}: {} ends after the launch", row.title);
        assert_ne!(row.rag, Rag::Red, "{key}: {}: judged long before it starts, nothing is late", row.title);
    }
    for t in 0..n.len() {
        for &dep in &n.deps[t] {
            let (p, kind, lag) = dep;
            assert!(
                n.keeps(&n.start, t, dep),
                "{key}: {} breaks {kind:?}{lag:+} on {}",
                n.titles[t],
                n.titles[p]
            );
        }
        // Worked back from the launch, the plan starts as late as it can and each task then as
        // early as it may: on the first day, or right when one of its dependencies lets it.
        if !n.recurs[t] && n.start[t] != first {
            let mut earlier = n.start.clone();
            earlier[t] -= 1;
            assert!(
                n.deps[t].iter().any(|&dep| !n.keeps(&earlier, t, dep)),
                "{key}: {} could start a day earlier",
                n.titles[t]
            );
        }
    }

    // Critical: late by a day, with the tasks after it following, the plan misses its launch.
    // Slack: how many days late the task can be without that. Recurring tasks are never
    // critical: their days are fixed.
    let plan_end = n.end_when_late(0, 0);
    assert_eq!(plan_end, n.launch_end, "{key}: on time, the work ends on the launch day");
    let mut critical = BTreeSet::new();
    for row in &plan.tasks {
        let t = n.at(row.id);
        let misses = n.end_when_late(t, 1) > n.launch_end;
        assert_eq!(row.critical, misses && !n.recurs[t], "{key}: {} critical", row.title);
        let slack = row.slack_days;
        assert!(
            n.end_when_late(t, slack) <= n.launch_end,
            "{key}: {} late by its slack, {slack} days, misses the launch",
            row.title
        );
        assert!(
            n.end_when_late(t, slack + 1) > n.launch_end,
            "{key}: {} late by a day more than its slack of {slack} still makes the launch",
            row.title
        );
        if row.critical {
            critical.insert(row.id);
        }
    }

    // The critical tasks, each once, none listed before a task it waits for.
    assert!(!critical.is_empty(), "{key}");
    assert_eq!(plan.critical_tasks.iter().copied().collect::<BTreeSet<_>>(), critical, "{key}");
    assert_eq!(plan.critical_tasks.len(), critical.len(), "{key}: each critical task once");
    for (i, &later) in plan.critical_tasks.iter().enumerate() {
        for &earlier in &plan.critical_tasks[i + 1..] {
            assert!(
                !n.waits_for(n.at(later), n.at(earlier)),
                "{key}: {} is listed before {}, which it waits for",
                n.titles[n.at(later)],
                n.titles[n.at(earlier)]
            );
        }
    }

    // The chains: real dependencies, each holding the next task back, from the plan's first
    // day to the launch day, covering every critical task.
    let mut on_chain = BTreeSet::new();
    for chain in &plan.critical_chains {
        let names: Vec<&str> = chain.iter().map(|id| n.titles[n.at(*id)].as_str()).collect();
        assert_eq!(n.start[n.at(chain[0])], first, "{key}: {names:?} starts on the first day");
        assert_eq!(
            n.end[n.at(chain[chain.len() - 1])],
            n.launch_end,
            "{key}: {names:?} ends on the launch day"
        );
        for link in chain.windows(2) {
            let (p, t) = (n.at(link[0]), n.at(link[1]));
            let deps: Vec<_> = n.deps[t].iter().copied().filter(|dep| dep.0 == p).collect();
            assert!(!deps.is_empty(), "{key}: {} does not wait for {}", n.titles[t], n.titles[p]);
            let mut earlier = n.start.clone();
            earlier[t] -= 1;
            assert!(
                deps.iter().any(|&dep| !n.keeps(&earlier, t, dep)),
                "{key}: {} does not hold {} back",
                n.titles[p],
                n.titles[t]
            );
        }
        on_chain.extend(chain.iter().copied());
    }
    assert_eq!(on_chain, critical, "{key}: the chains are made of the critical tasks, all of them");

    for milestone in &plan.milestones {
        let after =
            &template.milestones.iter().find(|m| m.name.en == milestone.name).expect("milestone").after;
        let last =
            plan.tasks.iter().filter(|row| after.iter().any(|k| template_title(template, k) == row.title));
        assert_eq!(milestone.date, last.map(|row| row.finish).max(), "{key}: {}", milestone.name);
    }
}

fn template_title<'a>(template: &'a Template, key: &str) -> &'a str {
    &template.tasks.iter().find(|t| t.key == key).expect("task").title.en
}

#[test]
fn every_template_keeps_each_dependency_with_its_lag_and_makes_its_launch() {
    // A Wednesday, a Saturday (a day off for a launch team) and a Monday.
    for launch in [d("2026-11-11"), d("2026-11-14"), d("2027-03-01")] {
        for template in templates::built_in() {
            check(&template, &report(&template, launch, d("2026-01-01"), false));
        }
    }
}

#[test]
fn a_launch_on_a_day_off_is_made_on_the_working_day_before() {
    let template = templates::find("new-product-launch").expect("template");
    let saturday = report(&template, d("2026-11-14"), d("2026-01-01"), false);
    let friday = report(&template, d("2026-11-13"), d("2026-01-01"), false);
    assert_eq!(saturday.finish.to_string(), "2026-11-13");
    let days = |plan: &PlanReport| -> Vec<(String, Date, Date)> {
        plan.tasks.iter().map(|t| (t.title.clone(), t.start, t.finish)).collect()
    };
    assert_eq!(days(&saturday), days(&friday));
}

#[test]
fn inbound_checks_wait_fifteen_days_after_the_purchase_orders() {
    for key in ["double-11", "618"] {
        let template = templates::find(key).expect("template");
        let plan = report(&template, d("2026-11-11"), d("2026-01-01"), false);
        let row = |title: &str| plan.tasks.iter().find(|t| t.title == title).expect("task");
        let (purchase, inbound) = (row("Stock plan and purchase orders"), row("Inbound quality check"));
        // Campaign teams work every day: fifteen days between the last day of one and the first
        // of the other.
        assert_eq!(inbound.start.days() - purchase.finish.days(), 16, "{key}");
    }
}

fn four_kinds(every_day: bool) -> Template {
    let task = |key: &str, days: u32, after: &[(&str, DependencyKind, i32)]| TemplateTask {
        key: key.into(),
        title: Bilingual::new(key, key),
        phase: "all".into(),
        duration_days: days,
        team: Some(Team::Operations),
        tags: vec![],
        depends_on: after
            .iter()
            .map(|&(task, kind, lag_days)| TemplateDependency { task: task.into(), kind, lag_days })
            .collect(),
        approval: None,
        recurrence: None,
    };
    Template {
        key: "four-kinds".into(),
        name: Bilingual::new("四种依赖", "Four kinds"),
        kind: ProjectKind::Launch,
        every_day,
        phases: vec![TemplatePhase { key: "all".into(), name: Bilingual::new("全部", "All") }],
        tasks: vec![
            task("a", 4, &[]),
            task("b", 2, &[("a", StartToStart, 1)]),
            task("c", 2, &[("a", FinishToFinish, 2)]),
            task("d", 1, &[("a", StartToFinish, 2)]),
            task("e", 1, &[("a", FinishToStart, -1)]),
            task("f", 3, &[("b", FinishToStart, 2), ("c", FinishToFinish, -1)]),
        ],
        milestones: vec![],
    }
}

#[test]
fn all_four_kinds_of_dependency_hold_with_their_lags_on_both_calendars() {
    for every_day in [false, true] {
        for launch in [d("2027-03-01"), d("2027-03-06")] {
            let template = four_kinds(every_day);
            check(&template, &report(&template, launch, d("2026-01-01"), false));
        }
    }
    // By hand, Monday to Friday, for Monday 2027-03-01. Working days from the first:
    //   a 0..4; b SS+1: 1..3; c FF+2: ends 4 + 2 = 6, so 4..6; d SF+2: ends 0 + 2 = 2, so
    //   1..2; e FS-1: 3..4; f FS+2 on b: 3 + 2 = 5, FF-1 on c: ends 6 - 1 = 5, so 5..8.
    // Eight days, the last (7) the launch: day 0 is Thursday 02-18 (1 = Fri 19, 2 = Mon 22,
    // 3 = 23, 4 = 24, 5 = 25, 6 = 26, 7 = Mon 03-01). Latest finishes: f 8; e, d 8 (nothing
    // after them); c min(8, f FF-1: 8 + 1 = 9) = 8; b f's LS 5 - 2 = 3; a min(b SS+1:
    // 1 - 1 + 4 = 4, c FF+2: 8 - 2 = 6, d SF+2: 7 - 2 + 4 = 9, e FS-1: 7 + 1 = 8) = 4.
    let template = four_kinds(false);
    let plan = report(&template, d("2027-03-01"), d("2026-01-01"), false);
    let rows: Vec<(&str, Date, Date, i32, bool)> =
        plan.tasks.iter().map(|t| (t.title.as_str(), t.start, t.finish, t.slack_days, t.critical)).collect();
    assert_eq!(
        rows,
        [
            ("a", d("2027-02-18"), d("2027-02-23"), 0, true),
            ("b", d("2027-02-19"), d("2027-02-22"), 0, true),
            ("c", d("2027-02-24"), d("2027-02-25"), 2, false),
            ("d", d("2027-02-19"), d("2027-02-19"), 6, false),
            ("e", d("2027-02-23"), d("2027-02-23"), 4, false),
            ("f", d("2027-02-25"), d("2027-03-01"), 0, true),
        ]
    );
    let id = |title: &str| plan.tasks.iter().find(|t| t.title == title).expect("task").id;
    assert_eq!(plan.critical_chains, [vec![id("a"), id("b"), id("f")]]);
}

#[test]
fn parallel_critical_work_is_shown_as_chains_not_as_one_line() {
    // SKU 上新: collect (2d) -> photos (2d) -> detail (2d) -> review (1d), then publish and the
    // knowledge base update (1d each) side by side on the launch day. Both are critical, and
    // neither waits for the other.
    let template = templates::find("sku-listing").expect("template");
    let plan = report(&template, d("2027-03-01"), d("2027-01-01"), false);
    let title = |id: &TaskId| plan.tasks.iter().find(|t| t.id == *id).expect("task").title.as_str();
    let titles = |ids: &[TaskId]| ids.iter().map(title).collect::<Vec<_>>();
    let common = ["Collect SKU information", "Main image photography", "Detail page", "Listing review"];
    let publish = "Publish the listing";
    let knowledge = "Update the customer service knowledge base";
    assert_eq!(titles(&plan.critical_tasks), [&common[..], &[publish, knowledge]].concat());
    let chains: Vec<Vec<&str>> = plan.critical_chains.iter().map(|c| titles(c)).collect();
    assert_eq!(chains, [[&common[..], &[publish]].concat(), [&common[..], &[knowledge]].concat()]);
}

#[test]
fn judged_during_the_campaign_late_work_turns_red_with_a_reason() {
    let template = templates::find("double-11").expect("template");
    let plan = report(&template, d("2026-11-11"), d("2026-10-20"), false);
    let red: Vec<_> = plan.tasks.iter().filter(|t| t.rag == Rag::Red).collect();
    assert!(!red.is_empty(), "nothing was started, so work due before 10-20 is overdue");
    assert!(
        red.iter().all(|t| t.rag_reason.starts_with("Overdue") || t.rag_reason.contains("critical path"))
    );
}

/// The `plan` example `cargo xtask test` has just built, from `LAUNCHPLAN_PLAN_EXAMPLE`; never
/// a guess at `target/`, where an older build may have left one.
fn example() -> std::path::PathBuf {
    let path = std::env::var_os("LAUNCHPLAN_PLAN_EXAMPLE").map(std::path::PathBuf::from).expect(
        "LAUNCHPLAN_PLAN_EXAMPLE is not set: run the tests with `cargo xtask test`, which builds the example and sets it",
    );
    assert!(path.is_file(), "LAUNCHPLAN_PLAN_EXAMPLE names {}, which is no file", path.display());
    path
}

#[test]
fn the_plan_example_prints_json_and_refuses_bad_input_with_exit_code_2() {
    let run =
        |args: &[&str]| std::process::Command::new(example()).args(args).output().expect("run the example");
    let good = run(&["--template", "sku-listing", "--launch", "2027-03-01", "--today", "2027-01-01"]);
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
    let json: serde_json::Value = serde_json::from_slice(&good.stdout).expect("json");
    assert_eq!(json["template"], "sku-listing");
    assert_eq!(json["launch"], "2027-03-01");
    assert_eq!(json["finish"], "2027-03-01");
    assert!(json["tasks"][0]["depends_on"].is_array());
    assert_eq!(json["critical_tasks"].as_array().map(Vec::len), Some(6));
    assert_eq!(json["critical_chains"].as_array().map(Vec::len), Some(2));
    for bad in [
        &["--template", "nope", "--launch", "2027-03-01"][..],
        &["--template", "618", "--launch", "2027-02-30"][..],
        &["--template", "618"][..],
    ] {
        let out = run(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(!out.stderr.is_empty());
        assert!(out.stdout.is_empty());
    }
}
