//! A plan's money: budget lines by category and the costs booked against them, kept in the
//! plan's finance document ([`crate::Companion::Finance`]) apart from the plan, so that the
//! relay can withhold it from everyone without the finance role.
//!
//! `ROOT { <id>: { kind: "line", id, category, planned } | { kind: "cost", id, line, amount,
//! date, task, note } }`: every line and cost at the root under its own random id. Nothing
//! is made before the first entry goes in, so two finance members who start the same
//! budget at once both keep what they wrote.
//!
//! Amounts are in fen (1/100 yuan), so sums are exact; [`parse_yuan`] reads what people
//! type or spreadsheets write, and [`yuan`] writes it back.

pub mod sheet;

use std::collections::BTreeMap;

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ROOT, ReadDoc, ScalarValue};

use super::Date;
use super::read::{FromValue, Wrong, walk};
use crate::{ItemId, TaskId};

/// Money in fen (1/100 yuan), so that sums are exact.
pub type Fen = i64;

/// The largest amount a line or cost may hold: 10 billion yuan. Sums of many stay far from
/// overflow.
pub const MAX_FEN: Fen = 1_000_000_000_000;

/// What a plan may spend on one kind of thing (推广, 物料, 人力, 物流...).
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetLine {
    pub id: ItemId,
    pub category: String,
    pub planned: Fen,
}

/// Money spent (or, negative, refunded) against a budget line.
#[derive(Debug, Clone, PartialEq)]
pub struct CostEntry {
    pub id: ItemId,
    pub line: ItemId,
    pub amount: Fen,
    pub date: Date,
    /// The task it was spent for, if any.
    pub task: Option<TaskId>,
    pub note: String,
}

/// A project's money, as read from its finance document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Finance {
    pub lines: BTreeMap<ItemId, BudgetLine>,
    /// Oldest first.
    pub costs: Vec<CostEntry>,
}

impl Finance {
    pub fn planned(&self) -> Fen {
        self.lines.values().map(|l| l.planned).sum()
    }

    pub fn spent(&self) -> Fen {
        self.costs.iter().map(|c| c.amount).sum()
    }

    /// Spent per budget line, with lines that have costs but no longer exist kept apart.
    pub fn spent_by_line(&self) -> BTreeMap<ItemId, Fen> {
        let mut spent = BTreeMap::new();
        for cost in &self.costs {
            *spent.entry(cost.line).or_insert(0) += cost.amount;
        }
        spent
    }

    /// The lines in the order people see them: by category, then id.
    pub fn lines_in_order(&self) -> Vec<&BudgetLine> {
        let mut lines: Vec<&BudgetLine> = self.lines.values().collect();
        lines.sort_by(|a, b| a.category.cmp(&b.category).then(a.id.cmp(&b.id)));
        lines
    }

    /// The first line named `category` (ignoring case and spaces around it).
    pub fn line_named(&self, category: &str) -> Option<&BudgetLine> {
        let wanted = category.trim().to_lowercase();
        self.lines_in_order().into_iter().find(|l| l.category.trim().to_lowercase() == wanted)
    }
}

/// Why a change to the budget was refused; nothing was written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FinanceError {
    #[error("a budget line needs a category")]
    EmptyCategory,
    #[error("{0:?} is not an amount of yuan such as 1234.50")]
    BadAmount(String),
    #[error("an amount is at most 10,000,000,000 yuan")]
    TooLarge,
    #[error("a planned budget cannot be below zero")]
    NegativeBudget,
    #[error("that budget line no longer exists")]
    NoSuchLine,
    #[error("that cost no longer exists")]
    NoSuchCost,
    #[error("the line still has {0} costs: move or delete them first")]
    LineHasCosts(usize),
    #[error("could not write the change: {0}")]
    Write(String),
}

impl From<automerge::AutomergeError> for FinanceError {
    fn from(e: automerge::AutomergeError) -> Self {
        FinanceError::Write(e.to_string())
    }
}

/// Reads an amount of yuan as people type it or spreadsheets write it: `1234`, `1,234.5`,
/// `¥1234.56`, `1234元`, `-20` (a refund). At most two decimals.
pub fn parse_yuan(text: &str) -> Result<Fen, FinanceError> {
    let bad = || FinanceError::BadAmount(text.trim().to_owned());
    let cleaned: String =
        text.chars().filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{a0}' | '¥' | '￥' | '元')).collect();
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.strip_prefix('+').unwrap_or(&cleaned)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return Err(bad());
    }
    if fraction.len() > 2 {
        return Err(bad());
    }
    if whole.trim_start_matches('0').len() > 11 {
        return Err(FinanceError::TooLarge);
    }
    let whole: Fen = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
    let cents: Fen = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    let fen = whole * 100 + cents;
    if fen > MAX_FEN {
        return Err(FinanceError::TooLarge);
    }
    Ok(if negative { -fen } else { fen })
}

/// `fen` as yuan with two decimals and no grouping, as spreadsheets read it: `-1234.50`.
pub fn yuan(fen: Fen) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// `fen` as yuan grouped by thousands, for people: `1,234,567.00`.
pub fn yuan_grouped(fen: Fen) -> String {
    let plain = yuan(fen);
    let (sign, rest) = plain.strip_prefix('-').map_or(("", plain.as_str()), |r| ("-", r));
    let (whole, cents) = rest.split_once('.').unwrap_or((rest, "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{cents}")
}

/// Every readable line and cost of the finance document `doc`. An entry that cannot be read
/// is left out; the others stay.
pub fn read_finance(doc: &impl ReadDoc) -> Finance {
    let mut finance = Finance::default();
    let automerge::hydrate::Value::Map(root) = walk(doc, &ROOT, ObjType::Map) else { return finance };
    for (_, entry) in root.iter() {
        let automerge::hydrate::Value::Map(fields) = &entry.value else { continue };
        match fields.get("kind").and_then(|k| String::from_value(k).ok()).as_deref() {
            Some("line") => {
                if let Ok(line) = read_line(&entry.value) {
                    finance.lines.insert(line.id, line);
                }
            }
            Some("cost") => {
                if let Ok(cost) = read_cost(&entry.value) {
                    finance.costs.push(cost);
                }
            }
            _ => {}
        }
    }
    finance.costs.sort_by_key(|c| (c.date, c.id));
    finance
}

fn read_line(value: &automerge::hydrate::Value) -> Result<BudgetLine, Wrong> {
    let m = super::read::Strict::of(value)?;
    Ok(BudgetLine { id: m.need("id")?, category: m.need("category")?, planned: m.need("planned")? })
}

fn read_cost(value: &automerge::hydrate::Value) -> Result<CostEntry, Wrong> {
    let m = super::read::Strict::of(value)?;
    let task: String = m.get("task")?;
    Ok(CostEntry {
        id: m.need("id")?,
        line: m.need("line")?,
        amount: m.need("amount")?,
        date: m.need("date")?,
        task: task.parse().ok(),
        note: m.get("note")?,
    })
}

/// A cost as someone enters it, before it has an id.
#[derive(Debug, Clone, PartialEq)]
pub struct CostInput {
    pub line: ItemId,
    pub amount: Fen,
    pub date: Date,
    pub task: Option<TaskId>,
    pub note: String,
}

/// Adds a budget line of `planned` fen for `category`.
pub fn add_line(tx: &mut Transaction<'_>, category: &str, planned: Fen) -> Result<ItemId, FinanceError> {
    let (category, planned) = check_line(category, planned)?;
    let id = ItemId::random();
    let obj = tx.put_object(ROOT, id.to_string(), ObjType::Map)?;
    tx.put(&obj, "kind", "line")?;
    tx.put(&obj, "id", id.to_string())?;
    tx.put(&obj, "category", category)?;
    tx.put(&obj, "planned", planned)?;
    Ok(id)
}

/// Renames line `id` or changes what it may spend; fields left as they were are not written,
/// so a concurrent change to the other one stays.
pub fn edit_line(
    tx: &mut Transaction<'_>,
    id: ItemId,
    category: &str,
    planned: Fen,
) -> Result<(), FinanceError> {
    let (category, planned) = check_line(category, planned)?;
    let obj = entry(tx, id, "line").ok_or(FinanceError::NoSuchLine)?;
    put_changed(tx, &obj, "category", category.into())?;
    put_changed(tx, &obj, "planned", planned.into())?;
    Ok(())
}

/// Removes line `id`; refused while costs are booked against it, which would lose track of
/// them.
pub fn remove_line(tx: &mut Transaction<'_>, id: ItemId) -> Result<(), FinanceError> {
    entry(tx, id, "line").ok_or(FinanceError::NoSuchLine)?;
    let booked = read_finance(tx).costs.iter().filter(|c| c.line == id).count();
    if booked > 0 {
        return Err(FinanceError::LineHasCosts(booked));
    }
    tx.delete(ROOT, id.to_string())?;
    Ok(())
}

/// Books a cost against one of the lines.
pub fn add_cost(tx: &mut Transaction<'_>, cost: &CostInput) -> Result<ItemId, FinanceError> {
    check_cost(tx, cost)?;
    let id = ItemId::random();
    let obj = tx.put_object(ROOT, id.to_string(), ObjType::Map)?;
    tx.put(&obj, "kind", "cost")?;
    tx.put(&obj, "id", id.to_string())?;
    write_cost(tx, &obj, cost)?;
    Ok(id)
}

/// Changes cost `id` to `cost`, writing only the fields that differ.
pub fn edit_cost(tx: &mut Transaction<'_>, id: ItemId, cost: &CostInput) -> Result<(), FinanceError> {
    check_cost(tx, cost)?;
    let obj = entry(tx, id, "cost").ok_or(FinanceError::NoSuchCost)?;
    write_cost(tx, &obj, cost)
}

pub fn remove_cost(tx: &mut Transaction<'_>, id: ItemId) -> Result<(), FinanceError> {
    entry(tx, id, "cost").ok_or(FinanceError::NoSuchCost)?;
    tx.delete(ROOT, id.to_string())?;
    Ok(())
}

fn check_line(category: &str, planned: Fen) -> Result<(&str, Fen), FinanceError> {
    let category = category.trim();
    if category.is_empty() {
        return Err(FinanceError::EmptyCategory);
    }
    if planned < 0 {
        return Err(FinanceError::NegativeBudget);
    }
    if planned > MAX_FEN {
        return Err(FinanceError::TooLarge);
    }
    Ok((category, planned))
}

fn check_cost(tx: &Transaction<'_>, cost: &CostInput) -> Result<(), FinanceError> {
    if cost.amount.abs() > MAX_FEN {
        return Err(FinanceError::TooLarge);
    }
    entry(tx, cost.line, "line").ok_or(FinanceError::NoSuchLine)?;
    Ok(())
}

fn write_cost(tx: &mut Transaction<'_>, obj: &ObjId, cost: &CostInput) -> Result<(), FinanceError> {
    put_changed(tx, obj, "line", cost.line.to_string().into())?;
    put_changed(tx, obj, "amount", cost.amount.into())?;
    put_changed(tx, obj, "date", cost.date.to_string().into())?;
    put_changed(tx, obj, "task", cost.task.map(|t| t.to_string()).unwrap_or_default().into())?;
    put_changed(tx, obj, "note", cost.note.trim().into())?;
    Ok(())
}

/// The object of entry `id`, if it is there and of `kind`.
fn entry(doc: &impl ReadDoc, id: ItemId, kind: &str) -> Option<ObjId> {
    let Ok(Some((automerge::Value::Object(ObjType::Map), obj))) = doc.get(ROOT, id.to_string()) else {
        return None;
    };
    let found = doc.get(&obj, "kind").ok().flatten();
    matches!(found, Some((automerge::Value::Scalar(s), _)) if s.as_str() == Some(kind)).then_some(obj)
}

fn put_changed(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
    value: ScalarValue,
) -> Result<(), FinanceError> {
    let now = tx.get(obj, key).ok().flatten();
    if !matches!(&now, Some((automerge::Value::Scalar(s), _)) if s.as_ref() == &value) {
        tx.put(obj, key, value)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use automerge::Automerge;

    use super::*;

    fn day(d: u32) -> Date {
        Date::from_ymd(2026, 11, d).expect("valid test data")
    }

    fn change<T>(doc: &mut Automerge, f: impl FnOnce(&mut Transaction<'_>) -> Result<T, FinanceError>) -> T {
        let mut tx = doc.transaction();
        let out = f(&mut tx).expect("the change is accepted");
        tx.commit();
        out
    }

    #[test]
    fn amounts_are_read_as_people_and_spreadsheets_write_them_and_written_back_exactly() {
        for (text, fen) in [
            ("1234", 123_400),
            ("1,234.5", 123_450),
            ("¥1,234.56", 123_456),
            ("￥ 88.8", 8_880),
            ("1234元", 123_400),
            ("-20", -2_000),
            (".5", 50),
            ("0.07", 7),
        ] {
            assert_eq!(parse_yuan(text), Ok(fen), "{text}");
        }
        for bad in ["", "abc", "１", "1e3", "1.234", "1.2.3", "--5", "12a", "¥", "."] {
            assert!(matches!(parse_yuan(bad), Err(FinanceError::BadAmount(_))), "{bad:?} was accepted");
        }
        assert_eq!(parse_yuan("99999999999999"), Err(FinanceError::TooLarge));
        assert_eq!(parse_yuan("10000000000"), Ok(MAX_FEN));
        assert_eq!(parse_yuan("10000000000.01"), Err(FinanceError::TooLarge));
        for fen in [0, 7, -7, 123_456, -100_000_000, MAX_FEN] {
            assert_eq!(parse_yuan(&yuan(fen)), Ok(fen));
            assert_eq!(parse_yuan(&yuan_grouped(fen)), Ok(fen));
        }
        assert_eq!(yuan_grouped(123_456_789), "1,234,567.89");
        assert_eq!(yuan_grouped(-100_000), "-1,000.00");
        assert_eq!(yuan(-5), "-0.05");
    }

    #[test]
    fn lines_and_costs_are_written_read_edited_and_removed_and_bad_ones_refused() {
        let mut doc = Automerge::new();
        let ads = change(&mut doc, |tx| add_line(tx, " 推广 ", 5_000_000));
        let box_line = change(&mut doc, |tx| add_line(tx, "物料", 800_000));
        let task = TaskId::random();
        let cost =
            CostInput {
                line: ads, amount: 120_000, date: day(3), task: Some(task), note: "直通车".into()
            };
        let spent = change(&mut doc, |tx| add_cost(tx, &cost));
        let read = read_finance(&doc);
        assert_eq!(read.lines[&ads].category, "推广");
        assert_eq!((read.planned(), read.spent()), (5_800_000, 120_000));
        assert_eq!(read.costs[0].task, Some(task));
        assert_eq!(read.line_named("推广").map(|l| l.id), Some(ads));

        // Refused, and nothing written.
        let heads = doc.get_heads();
        let mut tx = doc.transaction();
        assert_eq!(add_line(&mut tx, "  ", 1), Err(FinanceError::EmptyCategory));
        assert_eq!(add_line(&mut tx, "人力", -1), Err(FinanceError::NegativeBudget));
        assert_eq!(edit_line(&mut tx, ItemId::random(), "人力", 1), Err(FinanceError::NoSuchLine));
        assert_eq!(remove_line(&mut tx, ads), Err(FinanceError::LineHasCosts(1)));
        let orphan = CostInput { line: ItemId::random(), ..cost.clone() };
        assert_eq!(add_cost(&mut tx, &orphan), Err(FinanceError::NoSuchLine));
        // A cost's id is not a line's.
        assert_eq!(edit_line(&mut tx, spent, "x", 1), Err(FinanceError::NoSuchLine));
        tx.rollback();
        assert_eq!(doc.get_heads(), heads);

        change(&mut doc, |tx| {
            edit_cost(tx, spent, &CostInput { line: box_line, amount: 100, ..cost.clone() })
        });
        change(&mut doc, |tx| edit_line(tx, ads, "推广费", 4_000_000));
        change(&mut doc, |tx| remove_line(tx, ads));
        let read = read_finance(&doc);
        assert_eq!(read.lines.len(), 1);
        assert_eq!(read.spent_by_line().get(&box_line), Some(&100));
        change(&mut doc, |tx| remove_cost(tx, spent));
        assert!(read_finance(&doc).costs.is_empty());
    }

    #[test]
    fn two_people_starting_the_same_budget_at_once_both_keep_what_they_wrote() {
        let mut a = Automerge::new();
        let mut b = Automerge::new();
        change(&mut a, |tx| add_line(tx, "推广", 100));
        change(&mut b, |tx| add_line(tx, "物流", 100));
        a.merge(&mut b).expect("valid test data");
        let merged = read_finance(&a);
        let mut names: Vec<_> = merged.lines.values().map(|l| l.category.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["推广", "物流"]);
    }

    #[test]
    fn concurrent_edits_to_different_fields_of_one_line_both_stay() {
        let mut a = Automerge::new();
        let line = change(&mut a, |tx| add_line(tx, "推广", 100));
        let mut b = a.fork();
        change(&mut a, |tx| edit_line(tx, line, "推广费", 100));
        change(&mut b, |tx| edit_line(tx, line, "推广", 900));
        a.merge(&mut b).expect("valid test data");
        assert_eq!(
            read_finance(&a).lines[&line],
            BudgetLine { id: line, category: "推广费".into(), planned: 900 }
        );
    }
}
