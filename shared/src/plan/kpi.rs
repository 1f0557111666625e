//! The workspace's KPIs: on-time delivery, cycle time month by month, throughput, budget
//! variance and projects by red, amber or green, across every plan of the workspace.
//!
//! Each plan is read once into its [`PlanFacts`] (a few numbers per finished task) when it
//! changes; the KPIs are then summed from those, so a change of filter reads no plan again.

use std::collections::BTreeMap;

use super::rag::Rag;
use crate::DocumentId;
use crate::domain::finance::sheet::csv_table;
use crate::domain::finance::yuan;
use crate::domain::{Date, Fen, Finance, Project, ProjectKind};

/// What the KPIs need of one plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFacts {
    pub name: String,
    pub kind: ProjectKind,
    /// The plan's status today, as its dashboard shows it.
    pub rag: Rag,
    pub open: usize,
    pub finished: Vec<Finished>,
    /// Only where this person may read the plan's budget.
    pub budget: Option<Money>,
}

/// A finished task.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Finished {
    pub done: Date,
    pub due: Option<Date>,
    /// From start to done, where the task was started.
    pub cycle_days: Option<f64>,
}

impl Finished {
    /// `None` without a due day.
    fn on_time(&self) -> Option<bool> {
        self.due.map(|due| self.done <= due)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Money {
    pub planned: Fen,
    pub spent: Fen,
}

impl Money {
    /// Spent over plan (negative: under).
    pub fn variance(&self) -> Fen {
        self.spent - self.planned
    }

    /// The variance as a share of the plan; `None` without a plan.
    pub fn variance_share(&self) -> Option<f64> {
        (self.planned > 0).then(|| self.variance() as f64 / self.planned as f64)
    }
}

impl PlanFacts {
    pub fn of(project: &Project, rag: Rag, finance: Option<&Finance>) -> Self {
        let mut finished = Vec::new();
        let mut open = 0;
        for task in project.tasks.values() {
            match (task.is_done(), task.completed_at) {
                (true, Some(done)) => finished.push(Finished {
                    done: Date::from_millis(done),
                    due: task.due,
                    cycle_days: task.cycle_days(),
                }),
                (true, None) => {}
                (false, _) => open += 1,
            }
        }
        finished.sort_by_key(|f| f.done);
        PlanFacts {
            name: project.meta.name.clone(),
            kind: project.meta.kind,
            rag,
            open,
            finished,
            budget: finance.map(|f| Money { planned: f.planned(), spent: f.spent() }),
        }
    }
}

/// Which plans and which finished work count.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    pub kind: Option<ProjectKind>,
    /// Work finished on or after this day.
    pub from: Option<Date>,
    /// Work finished on or before this day.
    pub to: Option<Date>,
}

impl Filter {
    fn takes(&self, finished: &Finished) -> bool {
        self.from.is_none_or(|from| finished.done >= from) && self.to.is_none_or(|to| finished.done <= to)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Kpis {
    /// The plans of the kind asked for, by name.
    pub projects: Vec<ProjectRow>,
    /// Green, amber and red plans (indexed by `Rag as usize`).
    pub by_rag: [usize; 3],
    pub totals: Totals,
    /// Every month of the range (of the work finished, without one), oldest first.
    pub months: Vec<MonthRow>,
    /// Over the plans whose budget this person may read.
    pub budget: Option<Money>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    pub doc: DocumentId,
    pub name: String,
    pub kind: ProjectKind,
    pub rag: Rag,
    pub open: usize,
    pub totals: Totals,
    pub budget: Option<Money>,
}

/// Finished work in the range.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    pub finished: usize,
    /// Finished tasks that had a due day, and those of them finished by it.
    pub with_due: usize,
    pub on_time: usize,
    cycle_sum: f64,
    pub cycle_samples: usize,
}

impl Totals {
    fn add(&mut self, finished: &Finished) {
        self.finished += 1;
        if let Some(on_time) = finished.on_time() {
            self.with_due += 1;
            self.on_time += usize::from(on_time);
        }
        if let Some(days) = finished.cycle_days {
            self.cycle_sum += days;
            self.cycle_samples += 1;
        }
    }

    fn merge(&mut self, other: &Totals) {
        self.finished += other.finished;
        self.with_due += other.with_due;
        self.on_time += other.on_time;
        self.cycle_sum += other.cycle_sum;
        self.cycle_samples += other.cycle_samples;
    }

    /// Share of the finished tasks with a due day that finished by it.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.with_due > 0).then(|| self.on_time as f64 / self.with_due as f64)
    }

    /// Average days from start to done.
    pub fn cycle_days(&self) -> Option<f64> {
        (self.cycle_samples > 0).then(|| self.cycle_sum / self.cycle_samples as f64)
    }
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(date: Date) -> Self {
        let (year, month, _) = date.ymd();
        Month { year, month }
    }

    fn next(self) -> Self {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { month: self.month + 1, ..self }
        }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonthRow {
    pub month: Month,
    pub totals: Totals,
}

/// Months listed at most: the latest of a longer range.
pub const MONTHS_SHOWN: usize = 36;

/// The KPIs of `plans` under `filter`, on `today`: the months listed run from the filter's
/// first to its last (else from the first to the last month with finished work), but not past
/// today's month, in which nothing can have been finished yet.
pub fn kpis<'a>(
    plans: impl IntoIterator<Item = (DocumentId, &'a PlanFacts)>,
    filter: &Filter,
    today: Date,
) -> Kpis {
    let mut kpis = Kpis::default();
    let mut months: BTreeMap<Month, Totals> = BTreeMap::new();
    for (doc, plan) in plans {
        if filter.kind.is_some_and(|kind| kind != plan.kind) {
            continue;
        }
        let mut totals = Totals::default();
        for finished in plan.finished.iter().filter(|f| filter.takes(f)) {
            totals.add(finished);
            months.entry(Month::of(finished.done)).or_default().add(finished);
        }
        kpis.totals.merge(&totals);
        kpis.by_rag[plan.rag as usize] += 1;
        if let Some(money) = plan.budget {
            let sum = kpis.budget.get_or_insert_with(Money::default);
            sum.planned += money.planned;
            sum.spent += money.spent;
        }
        kpis.projects.push(ProjectRow {
            doc,
            name: plan.name.clone(),
            kind: plan.kind,
            rag: plan.rag,
            open: plan.open,
            totals,
            budget: plan.budget,
        });
    }
    kpis.projects.sort_by(|a, b| a.name.cmp(&b.name).then(a.doc.cmp(&b.doc)));
    let first = filter.from.map(Month::of).or_else(|| months.keys().next().copied());
    let latest = months.keys().next_back().copied();
    // Not past today's month, unless work is stamped later (a teammate's clock ahead).
    let last = filter.to.map(Month::of).or(latest).map(|last| {
        let last = last.min(Month::of(today));
        latest.map_or(last, |latest| last.max(latest))
    });
    if let (Some(first), Some(last)) = (first, last) {
        let mut month = first;
        while month <= last {
            kpis.months.push(MonthRow { month, totals: months.get(&month).copied().unwrap_or_default() });
            month = month.next();
        }
    }
    let extra = kpis.months.len().saturating_sub(MONTHS_SHOWN);
    kpis.months.drain(..extra);
    kpis
}

/// The two KPI tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Projects,
    Months,
}

/// A KPI table's column headers, in Chinese or English.
pub fn headers(table: Table, zh: bool) -> Vec<&'static str> {
    match (table == Table::Projects, zh) {
        (true, true) => vec![
            "项目",
            "类型",
            "状态",
            "未完成",
            "已完成",
            "按期率",
            "平均周期(天)",
            "预算(元)",
            "已花(元)",
            "偏差(元)",
        ],
        (true, false) => vec![
            "Project",
            "Kind",
            "Status",
            "Open",
            "Finished",
            "On-time rate",
            "Average cycle (days)",
            "Planned (yuan)",
            "Spent (yuan)",
            "Variance (yuan)",
        ],
        (false, true) => vec!["月份", "完成数", "按期率", "平均周期(天)"],
        (false, false) => vec!["Month", "Finished", "On-time rate", "Average cycle (days)"],
    }
}

fn percent(share: Option<f64>) -> String {
    share.map(|s| format!("{:.0}%", s * 100.0)).unwrap_or_default()
}

fn days(days: Option<f64>) -> String {
    days.map(|d| format!("{d:.1}")).unwrap_or_default()
}

/// The projects table as CSV (UTF-8 with a byte-order mark, for Excel). `kind` and `rag`
/// name a kind and a status in the person's language.
pub fn projects_csv(
    kpis: &Kpis,
    kind: impl Fn(&ProjectKind) -> String,
    rag: impl Fn(Rag) -> String,
    zh: bool,
) -> String {
    let rows = kpis.projects.iter().map(|p| {
        let money = |f: fn(&Money) -> Fen| p.budget.as_ref().map(|m| yuan(f(m))).unwrap_or_default();
        vec![
            p.name.clone(),
            kind(&p.kind),
            rag(p.rag),
            p.open.to_string(),
            p.totals.finished.to_string(),
            percent(p.totals.on_time_rate()),
            days(p.totals.cycle_days()),
            money(|m| m.planned),
            money(|m| m.spent),
            money(Money::variance),
        ]
    });
    csv_table(&headers(Table::Projects, zh), rows)
}

/// The month-by-month table as CSV.
pub fn months_csv(kpis: &Kpis, zh: bool) -> String {
    let rows = kpis.months.iter().map(|m| {
        vec![
            m.month.to_string(),
            m.totals.finished.to_string(),
            percent(m.totals.on_time_rate()),
            days(m.totals.cycle_days()),
        ]
    });
    csv_table(&headers(Table::Months, zh), rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ItemId;
    use crate::domain::finance::sheet::BOM;
    use crate::domain::finance::{BudgetLine, CostEntry};
    use crate::domain::{Status, Task};

    fn at(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd(y, m, d).expect("date")
    }

    fn ms(date: Date) -> i64 {
        i64::from(date.days()) * 86_400_000
    }

    /// A task started on `start`, finished on `done`, due on `due`.
    fn finished(project: &mut Project, title: &str, start: Date, done: Date, due: Option<Date>) {
        let mut task = Task::new(title, None, ms(start));
        task.status = Status::Done;
        task.started_at = Some(ms(start));
        task.completed_at = Some(ms(done));
        task.due = due;
        project.tasks.insert(task.id, task);
    }

    fn plans() -> Vec<(DocumentId, PlanFacts)> {
        let mut launch = Project::new("春季新品首发", ProjectKind::Launch, 0);
        finished(&mut launch, "主图", at(2026, 10, 1), at(2026, 10, 3), Some(at(2026, 10, 5)));
        finished(&mut launch, "详情页", at(2026, 10, 20), at(2026, 11, 3), Some(at(2026, 11, 1)));
        finished(&mut launch, "选品", at(2026, 11, 1), at(2026, 11, 5), None);
        let open = Task::new("直播脚本", None, 0);
        launch.tasks.insert(open.id, open);
        let mut campaign = Project::new("双十一大促", ProjectKind::Campaign, 0);
        finished(&mut campaign, "优惠券", at(2026, 11, 2), at(2026, 11, 8), Some(at(2026, 11, 10)));
        let line = BudgetLine { id: ItemId::random(), category: "推广".into(), planned: 100_000 };
        let mut finance = Finance::default();
        finance.costs.push(CostEntry {
            id: ItemId::random(),
            line: line.id,
            amount: 120_000,
            date: at(2026, 11, 1),
            task: None,
            note: String::new(),
        });
        finance.lines.insert(line.id, line);
        vec![
            (DocumentId::random(), PlanFacts::of(&launch, Rag::Amber, None)),
            (DocumentId::random(), PlanFacts::of(&campaign, Rag::Red, Some(&finance))),
        ]
    }

    #[test]
    fn the_workspace_sums_every_plan_and_each_month() {
        let plans = plans();
        let kpis = kpis(plans.iter().map(|(d, p)| (*d, p)), &Filter::default(), at(2026, 12, 2));
        assert_eq!(kpis.totals.finished, 4);
        // 主图 and 优惠券 by their due days, 详情页 late; 选品 had none.
        assert_eq!((kpis.totals.with_due, kpis.totals.on_time), (3, 2));
        assert_eq!(kpis.totals.cycle_days(), Some((2.0 + 14.0 + 4.0 + 6.0) / 4.0));
        assert_eq!(kpis.by_rag, [0, 1, 1]);
        assert_eq!(kpis.budget, Some(Money { planned: 100_000, spent: 120_000 }));
        assert_eq!(kpis.budget.map(|m| m.variance()), Some(20_000));
        let months: Vec<(String, usize)> =
            kpis.months.iter().map(|m| (m.month.to_string(), m.totals.finished)).collect();
        assert_eq!(months, [("2026-10".to_owned(), 1), ("2026-11".to_owned(), 3)]);
        let names: Vec<&str> = kpis.projects.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["双十一大促", "春季新品首发"]);
        assert_eq!(kpis.projects[1].open, 1);
        assert_eq!(kpis.projects[1].budget, None, "a budget this person cannot read is not guessed");
    }

    #[test]
    fn a_task_ticked_done_straight_from_to_do_has_no_cycle_time() {
        let mut plan = Project::new("618", ProjectKind::Campaign, 0);
        let day = at(2026, 6, 1);
        finished(&mut plan, "直接完成", day, day, None);
        finished(&mut plan, "做了两天", day, day.add_days(2), None);
        let facts = PlanFacts::of(&plan, Rag::Green, None);
        let mut cycles: Vec<Option<f64>> = facts.finished.iter().map(|f| f.cycle_days).collect();
        cycles.sort_by(|a, b| a.partial_cmp(b).expect("numbers"));
        assert_eq!(cycles, [None, Some(2.0)]);
        let kpis = kpis([(DocumentId::random(), &facts)], &Filter::default(), at(2026, 12, 2));
        assert_eq!((kpis.totals.finished, kpis.totals.cycle_days()), (2, Some(2.0)));
    }

    #[test]
    fn a_kind_and_a_date_range_narrow_what_counts() {
        let plans = plans();
        let only = |filter: Filter| kpis(plans.iter().map(|(d, p)| (*d, p)), &filter, at(2026, 12, 2));
        let campaigns = only(Filter { kind: Some(ProjectKind::Campaign), ..Filter::default() });
        assert_eq!(campaigns.projects.len(), 1);
        assert_eq!(campaigns.totals.finished, 1);
        assert_eq!(campaigns.by_rag, [0, 0, 1]);

        // November alone: 详情页 (late), 选品 and 优惠券; the months asked for are all listed.
        let november = only(Filter { kind: None, from: Some(at(2026, 11, 1)), to: Some(at(2026, 12, 31)) });
        assert_eq!(november.totals.finished, 3);
        assert_eq!(november.totals.on_time_rate(), Some(0.5));
        let months: Vec<String> = november.months.iter().map(|m| m.month.to_string()).collect();
        assert_eq!(months, ["2026-11", "2026-12"]);
        assert_eq!(november.months[1].totals.finished, 0);
        let projects = plans.iter().map(|(d, p)| (*d, p));
        let long = kpis(
            projects,
            &Filter { kind: None, from: Some(at(2020, 1, 1)), to: Some(at(2026, 12, 1)) },
            at(2026, 12, 2),
        );
        assert_eq!(long.months.len(), MONTHS_SHOWN);
        assert_eq!(long.months.last().map(|m| m.month.to_string()).as_deref(), Some("2026-12"));
        // A range that runs into the years ahead lists the months up to this one.
        let ahead = only(Filter { kind: None, from: Some(at(2026, 10, 1)), to: Some(at(9999, 12, 31)) });
        let months: Vec<String> = ahead.months.iter().map(|m| m.month.to_string()).collect();
        assert_eq!(months, ["2026-10", "2026-11", "2026-12"]);
    }

    #[test]
    fn the_tables_export_for_excel_in_either_language() {
        let mut plans = plans();
        plans[0].1.name = "=HYPERLINK(\"x\")".into();
        let kpis = kpis(plans.iter().map(|(d, p)| (*d, p)), &Filter::default(), at(2026, 12, 2));
        let csv = projects_csv(&kpis, |k| format!("{k:?}"), |r| format!("{r:?}"), true);
        assert!(csv.starts_with(BOM));
        let lines: Vec<&str> = csv.trim_start_matches(BOM).split("\r\n").collect();
        assert!(lines[0].starts_with("项目,类型,状态"));
        assert!(lines.iter().any(|l| l.starts_with("\"'=HYPERLINK")), "{lines:?}");
        assert!(lines.contains(&"双十一大促,Campaign,Red,0,1,100%,6.0,1000.00,1200.00,200.00"), "{lines:?}");
        let months = months_csv(&kpis, false);
        assert!(
            months.contains("Month,Finished,On-time rate,Average cycle (days)\r\n2026-10,1,100%,2.0\r\n")
        );
    }
}
