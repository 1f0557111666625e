//! Budgets and costs as CSV files, the way finance teams move them in and out of Excel.
//!
//! Written as UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly, and
//! with the headers in the person's language. Read back from either language's headers, in
//! any column order; the caller decodes the bytes first (Excel in Chinese locales writes
//! GB18030). A file with a bad row imports nothing: every bad row is named, with its row
//! number as the spreadsheet shows it.

use std::collections::HashMap;

use automerge::transaction::Transaction;

use super::{CostInput, Fen, FinanceError, add_cost, add_line, edit_line, parse_yuan, read_finance, yuan};
use crate::TaskId;
use crate::domain::{Date, Finance};

/// What makes Excel read a CSV file as UTF-8.
pub const BOM: &str = "\u{feff}";

/// A column of the two sheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Category,
    Planned,
    Spent,
    Remaining,
    Date,
    Amount,
    Task,
    Note,
}

impl Column {
    /// Its header in Chinese or English.
    pub fn header(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Column::Category, true) => "类别",
            (Column::Category, false) => "Category",
            (Column::Planned, true) => "预算(元)",
            (Column::Planned, false) => "Planned (yuan)",
            (Column::Spent, true) => "已花(元)",
            (Column::Spent, false) => "Spent (yuan)",
            (Column::Remaining, true) => "剩余(元)",
            (Column::Remaining, false) => "Remaining (yuan)",
            (Column::Date, true) => "日期",
            (Column::Date, false) => "Date",
            (Column::Amount, true) => "金额(元)",
            (Column::Amount, false) => "Amount (yuan)",
            (Column::Task, true) => "任务",
            (Column::Task, false) => "Task",
            (Column::Note, true) => "备注",
            (Column::Note, false) => "Note",
        }
    }

    /// The column a header names, in either language, with or without its unit.
    fn named(header: &str) -> Option<Self> {
        let name = header.trim_start_matches('\u{feff}').trim().to_lowercase();
        let name = name.split(['(', '（']).next().unwrap_or("").trim();
        Some(match name {
            "类别" | "分类" | "科目" | "category" => Column::Category,
            "预算" | "计划" | "planned" | "budget" => Column::Planned,
            "已花" | "已用" | "spent" => Column::Spent,
            "剩余" | "remaining" => Column::Remaining,
            "日期" | "date" => Column::Date,
            "金额" | "amount" => Column::Amount,
            "任务" | "task" => Column::Task,
            "备注" | "说明" | "note" => Column::Note,
            _ => return None,
        })
    }
}

/// The budget lines with what each has spent.
pub fn budget_csv(finance: &Finance, zh: bool) -> String {
    let spent = finance.spent_by_line();
    let columns = [Column::Category, Column::Planned, Column::Spent, Column::Remaining];
    let rows = finance.lines_in_order().into_iter().map(|line| {
        let used = spent.get(&line.id).copied().unwrap_or(0);
        vec![line.category.clone(), yuan(line.planned), yuan(used), yuan(line.planned - used)]
    });
    write(&columns, rows, zh)
}

/// The costs, oldest first, each with its line's category and its task's title.
pub fn costs_csv(finance: &Finance, title: impl Fn(TaskId) -> Option<String>, zh: bool) -> String {
    let columns = [Column::Date, Column::Category, Column::Amount, Column::Task, Column::Note];
    let rows = finance.costs.iter().map(|cost| {
        let category = finance.lines.get(&cost.line).map(|l| l.category.clone()).unwrap_or_default();
        let task = cost.task.and_then(&title).unwrap_or_default();
        vec![cost.date.to_string(), category, yuan(cost.amount), task, cost.note.clone()]
    });
    write(&columns, rows, zh)
}

fn write(columns: &[Column], rows: impl Iterator<Item = Vec<String>>, zh: bool) -> String {
    csv_table(&columns.iter().map(|c| c.header(zh)).collect::<Vec<_>>(), rows)
}

/// A table as a CSV file for Excel: UTF-8 with a byte-order mark, CRLF line ends, and no cell
/// that Excel would run as a formula.
pub fn csv_table(headers: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = out.write_record(headers);
    for row in rows {
        let _ = out.write_record(row.iter().map(|cell| guard_formula(cell).into_owned()));
    }
    let bytes = out.into_inner().unwrap_or_default();
    format!("{BOM}{}", String::from_utf8_lossy(&bytes))
}

/// Text that a spreadsheet would run as a formula (`=`, `+`, `@` first) is written with a
/// leading apostrophe, as Excel itself does, so a note cannot become a formula. Amounts are
/// written by us and start with a digit or `-` followed by one.
fn guard_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '@'])
        || (cell.starts_with('-') && !cell[1..].starts_with(|c: char| c.is_ascii_digit()));
    if risky { format!("'{cell}").into() } else { cell.into() }
}

/// A sheet read from a CSV file, before it goes into the plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Sheet {
    Budget(Vec<SheetLine>),
    Costs(Vec<SheetCost>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SheetLine {
    pub category: String,
    pub planned: Fen,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SheetCost {
    pub date: Date,
    pub category: String,
    pub amount: Fen,
    /// The task's title as written; matched to a task on import.
    pub task: String,
    pub note: String,
}

/// Why a cell was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Unreadable,
    Empty,
    /// The category is in the budget sheet twice.
    Repeated,
}

/// A bad cell: `row` counts as the spreadsheet does, the header being row 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    pub column: Column,
    pub value: String,
    pub why: Why,
}

/// Why a file cannot be imported; nothing was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("the file is not CSV: {0}")]
    NotCsv(String),
    #[error("the file has no rows")]
    Empty,
    #[error("the file needs columns 类别 and 预算 (a budget), or 日期, 类别 and 金额 (costs)")]
    UnknownShape,
    #[error("{} rows cannot be read", .0.len())]
    Rows(Vec<RowProblem>),
}

/// Reads a budget sheet (category, planned) or a cost sheet (date, category, amount, and
/// optionally task and note), told apart by their headers.
pub fn read_sheet(text: &str) -> Result<Sheet, SheetError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::NotCsv(e.to_string()))?;
        if record.iter().any(|cell| !cell.is_empty()) {
            records.push((record.position().map_or(0, |p| p.line() as usize), record));
        }
    }
    let Some(((_, header), rows)) = records.split_first() else { return Err(SheetError::Empty) };
    // The first column of each name counts.
    let named: Vec<(Column, usize)> =
        header.iter().enumerate().filter_map(|(i, h)| Column::named(h).map(|c| (c, i))).collect();
    let at: HashMap<Column, usize> = named.into_iter().rev().collect();
    let cell = |record: &::csv::StringRecord, column: Column| {
        at.get(&column).and_then(|&i| record.get(i)).unwrap_or("").to_owned()
    };
    let mut problems = Vec::new();
    let mut problem = |row: usize, column: Column, value: &str, why: Why| {
        problems.push(RowProblem { row, column, value: value.to_owned(), why });
    };
    let has = |columns: &[Column]| columns.iter().all(|c| at.contains_key(c));
    let sheet = if has(&[Column::Date, Column::Category, Column::Amount]) {
        let mut costs = Vec::new();
        for (row, record) in rows {
            let (date, category, amount) =
                (cell(record, Column::Date), cell(record, Column::Category), cell(record, Column::Amount));
            let date = parse_date(&date).ok_or_else(|| problem(*row, Column::Date, &date, Why::Unreadable));
            if category.is_empty() {
                problem(*row, Column::Category, "", Why::Empty);
            }
            let amount =
                parse_yuan(&amount).map_err(|_| problem(*row, Column::Amount, &amount, Why::Unreadable));
            if let (Ok(date), Ok(amount)) = (date, amount) {
                let (task, note) = (cell(record, Column::Task), unguard(cell(record, Column::Note)));
                costs.push(SheetCost { date, category, amount, task: unguard(task), note });
            }
        }
        Sheet::Costs(costs)
    } else if has(&[Column::Category, Column::Planned]) {
        let mut lines: Vec<SheetLine> = Vec::new();
        for (row, record) in rows {
            let (category, planned) = (cell(record, Column::Category), cell(record, Column::Planned));
            if category.is_empty() {
                problem(*row, Column::Category, "", Why::Empty);
            } else if lines.iter().any(|l| l.category.to_lowercase() == category.to_lowercase()) {
                problem(*row, Column::Category, &category, Why::Repeated);
            }
            match parse_yuan(&planned) {
                Ok(planned) if planned >= 0 => lines.push(SheetLine { category, planned }),
                _ => problem(*row, Column::Planned, &planned, Why::Unreadable),
            }
        }
        Sheet::Budget(lines)
    } else {
        return Err(SheetError::UnknownShape);
    };
    if problems.is_empty() { Ok(sheet) } else { Err(SheetError::Rows(problems)) }
}

/// Takes back the apostrophe [`guard_formula`] put before text a spreadsheet would run.
fn unguard(text: String) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_owned(),
        _ => text,
    }
}

/// A date as spreadsheets write it: `2026-11-11`, `2026/11/11`, `2026/1/5`, `2026.1.5`,
/// `2026年1月5日`, with or without a time after it.
pub fn parse_date(text: &str) -> Option<Date> {
    let day = text.split_whitespace().next()?;
    let mut parts = day.split(['-', '/', '.', '年', '月', '日']).filter(|p| !p.is_empty());
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub lines_added: usize,
    pub lines_changed: usize,
    pub costs_added: usize,
    /// Costs already in the budget (same date, category, amount, task and note): importing
    /// the same file twice adds them once.
    pub costs_skipped: usize,
    /// Task names that matched no single task of the plan: their costs have no task.
    pub unmatched_tasks: Vec<String>,
}

/// Puts `sheet` into the finance document, in the one transaction `tx`: a budget sets each
/// category's planned amount (adding the categories it lacks); costs are added, each
/// against its category's line (made, with nothing planned, where there is none).
/// `tasks` are the plan's tasks with their titles, to match the sheet's task names.
pub fn import(
    tx: &mut Transaction<'_>,
    sheet: &Sheet,
    tasks: &[(TaskId, String)],
) -> Result<Imported, FinanceError> {
    let mut done = Imported::default();
    let mut finance = read_finance(tx);
    match sheet {
        Sheet::Budget(lines) => {
            for line in lines {
                match finance.line_named(&line.category) {
                    Some(found) if found.planned == line.planned => {}
                    Some(found) => {
                        edit_line(tx, found.id, &found.category.clone(), line.planned)?;
                        done.lines_changed += 1;
                    }
                    None => {
                        add_line(tx, &line.category, line.planned)?;
                        done.lines_added += 1;
                        finance = read_finance(tx);
                    }
                }
            }
        }
        Sheet::Costs(costs) => {
            let mut already: Vec<(Date, String, Fen, Option<TaskId>, String)> = finance
                .costs
                .iter()
                .map(|c| {
                    let category =
                        finance.lines.get(&c.line).map(|l| l.category.to_lowercase()).unwrap_or_default();
                    (c.date, category, c.amount, c.task, c.note.clone())
                })
                .collect();
            for cost in costs {
                let task = match_task(&cost.task, tasks);
                if task.is_none() && !cost.task.is_empty() && !done.unmatched_tasks.contains(&cost.task) {
                    done.unmatched_tasks.push(cost.task.clone());
                }
                let key = (cost.date, cost.category.to_lowercase(), cost.amount, task, cost.note.clone());
                if let Some(at) = already.iter().position(|k| *k == key) {
                    already.swap_remove(at);
                    done.costs_skipped += 1;
                    continue;
                }
                let line = match finance.line_named(&cost.category) {
                    Some(line) => line.id,
                    None => {
                        let id = add_line(tx, &cost.category, 0)?;
                        done.lines_added += 1;
                        finance = read_finance(tx);
                        id
                    }
                };
                let input =
                    CostInput { line, amount: cost.amount, date: cost.date, task, note: cost.note.clone() };
                add_cost(tx, &input)?;
                done.costs_added += 1;
            }
        }
    }
    Ok(done)
}

/// The one task titled `name`, if exactly one is.
fn match_task(name: &str, tasks: &[(TaskId, String)]) -> Option<TaskId> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let mut found = tasks.iter().filter(|(_, title)| title.trim() == name);
    match (found.next(), found.next()) {
        (Some((id, _)), None) => Some(*id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use automerge::Automerge;

    use super::*;

    fn apply(doc: &mut Automerge, sheet: &Sheet, tasks: &[(TaskId, String)]) -> Imported {
        let mut tx = doc.transaction();
        let done = import(&mut tx, sheet, tasks).expect("imported");
        tx.commit();
        done
    }

    #[test]
    fn a_budget_and_its_costs_go_out_and_come_back_the_same_in_either_language() {
        let banner = TaskId::random();
        let tasks = vec![(banner, "首页banner设计".to_owned()), (TaskId::random(), "直播脚本".to_owned())];
        let mut doc = Automerge::new();
        let budget =
            read_sheet("类别,预算(元)\r\n推广,\"50,000\"\r\n物料,8000.5\r\n").expect("valid test data");
        let costs = read_sheet(
            "日期,类别,金额(元),任务,备注\n2026/11/1,推广,1200,首页banner设计,\"直通车, 第一周\"\n\
             2026年11月2日,物流,-30,,退款\n2026-11-03,推广,99.9,没有这个任务,'=SUM(A1)\n",
        )
        .expect("valid test data");
        assert_eq!(apply(&mut doc, &budget, &tasks), Imported { lines_added: 2, ..Imported::default() });
        let done = apply(&mut doc, &costs, &tasks);
        assert_eq!((done.costs_added, done.lines_added), (3, 1), "物流 is made for its cost");
        assert_eq!(done.unmatched_tasks, ["没有这个任务"]);
        let finance = read_finance(&doc);
        assert_eq!(finance.planned(), 5_800_050);
        assert_eq!(finance.spent(), 120_000 - 3_000 + 9_990);
        assert_eq!(finance.costs[0].task, Some(banner));
        assert_eq!(finance.costs[0].note, "直通车, 第一周");
        assert_eq!(finance.costs[2].note, "=SUM(A1)", "the apostrophe Excel needs is taken back");

        for zh in [true, false] {
            let title = |id: TaskId| tasks.iter().find(|(t, _)| *t == id).map(|(_, title)| title.clone());
            let out = costs_csv(&finance, title, zh);
            assert!(out.starts_with(BOM));
            assert!(out.contains("'=SUM(A1)"), "a note is never written as a formula: {out}");
            let mut again = Automerge::new();
            apply(&mut again, &read_sheet(&budget_csv(&finance, zh)).expect("valid test data"), &tasks);
            apply(&mut again, &read_sheet(&out).expect("valid test data"), &tasks);
            let back = read_finance(&again);
            assert_eq!((back.planned(), back.spent()), (finance.planned(), finance.spent()));
            assert_eq!(
                back.costs.iter().map(|c| (c.date, c.task)).collect::<Vec<_>>(),
                finance.costs.iter().map(|c| (c.date, c.task)).collect::<Vec<_>>()
            );
            // The same file again adds nothing.
            let twice = apply(&mut again, &read_sheet(&out).expect("valid test data"), &tasks);
            assert_eq!((twice.costs_added, twice.costs_skipped), (0, 3));
        }
        let english = budget_csv(&finance, false);
        assert_eq!(
            english,
            "\u{feff}Category,Planned (yuan),Spent (yuan),Remaining (yuan)\r\n推广,50000.00,1299.90,48700.10\r\n\
             物料,8000.50,0.00,8000.50\r\n物流,0.00,-30.00,30.00\r\n"
        );
    }

    #[test]
    fn a_file_with_bad_rows_names_each_and_imports_nothing() {
        let bad = "日期,类别,金额\n2026-11-01,推广,12\n2026-13-01,推广,12\n2026-11-02,,abc\n";
        let Err(SheetError::Rows(problems)) = read_sheet(bad) else { panic!("accepted") };
        let found: Vec<_> = problems.iter().map(|p| (p.row, p.column, p.value.as_str(), p.why)).collect();
        assert_eq!(
            found,
            [
                (3, Column::Date, "2026-13-01", Why::Unreadable),
                (4, Column::Category, "", Why::Empty),
                (4, Column::Amount, "abc", Why::Unreadable),
            ]
        );
        let Err(SheetError::Rows(problems)) = read_sheet("category,budget\n推广,1\n推广,2\nX,-1\n")
        else {
            panic!("accepted")
        };
        assert_eq!(
            problems.iter().map(|p| (p.row, p.why)).collect::<Vec<_>>(),
            [(3, Why::Repeated), (4, Why::Unreadable)]
        );
        assert_eq!(read_sheet("名字,年龄\n小王,3\n"), Err(SheetError::UnknownShape));
        assert_eq!(read_sheet("\u{feff}\n\n"), Err(SheetError::Empty));
        assert!(matches!(
            read_sheet("类别,预算\n\"推广,1\n"),
            Err(SheetError::Rows(_)) | Err(SheetError::NotCsv(_))
        ));
    }

    #[test]
    fn dates_are_read_as_spreadsheets_write_them() {
        let want = Date::from_ymd(2026, 1, 5);
        for text in ["2026-01-05", "2026/1/5", "2026.1.5", "2026年1月5日", "2026/01/05 0:00:00"] {
            assert_eq!(parse_date(text), want, "{text}");
        }
        for bad in ["", "1/5/2026", "2026-02-30", "26-1-5", "2026-1", "2026-1-5-1"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
