//! What the team's finished work says: cycle time per task type and per SKU against targets,
//! on-time rate, throughput, and budget burn against plan.

use std::collections::BTreeMap;

use crate::domain::{CycleTarget, Date, Fen, Finance, Task};

const DAY_MS: f64 = 86_400_000.0;

/// Average time from start to done for one kind of work.
#[derive(Debug, Clone, PartialEq)]
pub struct CycleTime {
    pub key: String,
    pub samples: usize,
    pub average_days: f64,
    pub target_days: Option<f64>,
}

impl CycleTime {
    /// Days over (positive) or under the target.
    pub fn against_target(&self) -> Option<f64> {
        self.target_days.map(|t| self.average_days - t)
    }
}

fn target(targets: &[CycleTarget], key: &str) -> Option<f64> {
    targets.iter().find(|t| t.tag == key).map(|t| t.days)
}

/// Cycle time per task tag, from tasks that have both started and finished.
pub fn cycle_time_by_tag<'a>(
    tasks: impl IntoIterator<Item = &'a Task>,
    targets: &[CycleTarget],
) -> Vec<CycleTime> {
    let mut spans: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for task in tasks {
        if let Some(days) = task.cycle_days() {
            for tag in &task.tags {
                spans.entry(tag.clone()).or_default().push(days);
            }
        }
    }
    summarise(spans, |key| target(targets, key))
}

/// Cycle time per SKU: from the first of its tasks starting to the last finishing, for SKUs
/// whose tasks are all done. The target is the one for the `上架` (listing) tag.
pub fn cycle_time_by_sku<'a>(
    tasks: impl IntoIterator<Item = &'a Task>,
    targets: &[CycleTarget],
) -> Vec<CycleTime> {
    let mut by_sku: BTreeMap<String, Vec<&Task>> = BTreeMap::new();
    for task in tasks {
        if let Some(sku) = &task.sku {
            by_sku.entry(sku.clone()).or_default().push(task);
        }
    }
    let mut spans: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (sku, tasks) in by_sku {
        if !tasks.iter().all(|t| t.is_done()) {
            continue;
        }
        let first = tasks.iter().filter_map(|t| t.started_at.or(Some(t.created_at))).min();
        let last = tasks.iter().filter_map(|t| t.completed_at).max();
        if let (Some(first), Some(last)) = (first, last) {
            spans.entry(sku).or_default().push((last - first) as f64 / DAY_MS);
        }
    }
    let listing = target(targets, "上架");
    summarise(spans, |_| listing)
}

fn summarise(spans: BTreeMap<String, Vec<f64>>, target: impl Fn(&str) -> Option<f64>) -> Vec<CycleTime> {
    spans
        .into_iter()
        .map(|(key, days)| CycleTime {
            target_days: target(&key),
            samples: days.len(),
            average_days: days.iter().sum::<f64>() / days.len() as f64,
            key,
        })
        .collect()
}

/// The average of many cycle times, weighted by samples (e.g. all SKUs together).
pub fn overall(times: &[CycleTime]) -> Option<f64> {
    let samples: usize = times.iter().map(|t| t.samples).sum();
    (samples > 0)
        .then(|| times.iter().map(|t| t.average_days * t.samples as f64).sum::<f64>() / samples as f64)
}

/// Share of finished tasks with a due day that finished on or before it.
pub fn on_time_rate<'a>(tasks: impl IntoIterator<Item = &'a Task>) -> Option<f64> {
    let (mut finished, mut on_time) = (0usize, 0usize);
    for task in tasks {
        if let (true, Some(done), Some(due)) = (task.is_done(), task.completed_at, task.due) {
            finished += 1;
            if Date::from_millis(done) <= due {
                on_time += 1;
            }
        }
    }
    (finished > 0).then(|| on_time as f64 / finished as f64)
}

/// Tasks finished in each of the `weeks` weeks (Monday first) up to `today`, oldest first.
pub fn throughput<'a>(
    tasks: impl IntoIterator<Item = &'a Task>,
    today: Date,
    weeks: usize,
) -> Vec<(Date, usize)> {
    let this_monday = today.add_days(-(today.weekday() as i32));
    let mut counts: Vec<(Date, usize)> =
        (0..weeks).rev().map(|w| (this_monday.add_days(-7 * w as i32), 0)).collect();
    for task in tasks {
        let Some(done) = task.completed_at.filter(|_| task.is_done()).map(Date::from_millis) else {
            continue;
        };
        if let Some(slot) = counts.iter_mut().rev().find(|(monday, _)| done >= *monday)
            && done < slot.0.add_days(7)
        {
            slot.1 += 1;
        }
    }
    counts
}

/// Money spent against plan, and against how far through the plan we are.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetBurn {
    pub planned: Fen,
    pub spent: Fen,
    /// Spent over planned.
    pub burned: f64,
    /// Days elapsed over the plan's days.
    pub elapsed: f64,
    /// Lines that spent more than planned: (category, planned, spent).
    pub over: Vec<(String, Fen, Fen)>,
}

impl BudgetBurn {
    /// Burning faster than time passes.
    pub fn ahead_of_time(&self) -> bool {
        self.burned > self.elapsed
    }
}

pub fn budget_burn(finance: &Finance, start: Date, finish: Date, today: Date) -> BudgetBurn {
    let (planned, spent) = (finance.planned(), finance.spent());
    let total = f64::from((finish.days() - start.days()).max(1));
    let spent_by_line = finance.spent_by_line();
    BudgetBurn {
        planned,
        spent,
        burned: if planned > 0 { spent as f64 / planned as f64 } else { 0.0 },
        elapsed: (f64::from(today.days() - start.days()) / total).clamp(0.0, 1.0),
        over: finance
            .lines
            .values()
            .filter_map(|l| {
                let used = spent_by_line.get(&l.id).copied().unwrap_or(0);
                (used > l.planned).then(|| (l.category.clone(), l.planned, used))
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ItemId;
    use crate::domain::{BudgetLine, CostEntry, Status};

    fn finished(tag: &str, sku: &str, start_day: i64, days: f64) -> Task {
        let mut t = Task::new(tag, None, 0);
        t.tags = vec![tag.into()];
        t.sku = Some(sku.into());
        t.status = Status::Done;
        t.started_at = Some(start_day * 86_400_000);
        t.completed_at = Some(start_day * 86_400_000 + (days * DAY_MS) as i64);
        t
    }

    #[test]
    fn planning_to_listing_against_the_industry_five_days() {
        // Two SKUs: 8 and 6 days from first start to listing.
        let tasks = vec![
            finished("选品", "SKU-1", 100, 2.0),
            finished("上架", "SKU-1", 103, 5.0),
            finished("选品", "SKU-2", 200, 1.0),
            finished("上架", "SKU-2", 202, 4.0),
        ];
        let targets = vec![CycleTarget { tag: "上架".into(), days: 5.0 }];
        let by_sku = cycle_time_by_sku(&tasks, &targets);
        assert_eq!(by_sku.len(), 2);
        assert_eq!(overall(&by_sku), Some(7.0));
        assert_eq!(by_sku[0].against_target(), Some(3.0));
        let by_tag = cycle_time_by_tag(&tasks, &targets);
        let listing = by_tag.iter().find(|c| c.key == "上架").expect("listing");
        assert_eq!((listing.samples, listing.average_days, listing.target_days), (2, 4.5, Some(5.0)));
    }

    #[test]
    fn on_time_rate_throughput_and_burn() {
        let mut a = finished("页面优化", "x", 20_000, 1.0);
        a.due = Some(Date::from_days(20_001));
        let mut b = finished("页面优化", "x", 20_000, 3.0);
        b.due = Some(Date::from_days(20_001));
        assert_eq!(on_time_rate([&a, &b]), Some(0.5));
        let today = Date::from_days(20_005);
        let weeks = throughput([&a, &b], today, 2);
        assert_eq!(weeks.iter().map(|w| w.1).sum::<usize>(), 2);

        let line = BudgetLine { id: ItemId::random(), category: "广告投放".into(), planned: 100_000 };
        let mut finance = Finance::default();
        finance.lines.insert(line.id, line.clone());
        finance.costs.push(CostEntry {
            id: ItemId::random(),
            line: line.id,
            amount: 120_000,
            date: today,
            task: None,
            note: String::new(),
        });
        let burn = budget_burn(&finance, Date::from_days(20_000), Date::from_days(20_010), today);
        assert_eq!(burn.over, vec![("广告投放".to_owned(), 100_000, 120_000)]);
        assert!(burn.ahead_of_time());
    }
}
