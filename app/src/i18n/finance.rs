//! The budget view's words, in zh-CN and en.

use launchplan_shared::domain::finance::sheet::{Column, RowProblem, SheetError, Why};

pub(crate) struct FinanceStrings {
    pub(crate) title: &'static str,
    /// Planned, spent, remaining: the summary's words.
    pub(crate) totals: [&'static str; 3],
    /// "spent 62% of the budget with 40% of the time gone".
    pub(crate) burn: fn(u32, u32) -> String,
    pub(crate) burning_fast: &'static str,
    pub(crate) lines: &'static str,
    pub(crate) no_lines: &'static str,
    pub(crate) category: &'static str,
    /// A new line's category, as a hint: 推广, 物料, 人力, 物流.
    pub(crate) category_hint: &'static str,
    pub(crate) planned: &'static str,
    pub(crate) spent: &'static str,
    pub(crate) remaining: &'static str,
    pub(crate) over: &'static str,
    pub(crate) add_line: &'static str,
    pub(crate) remove: &'static str,
    pub(crate) costs: &'static str,
    pub(crate) no_costs: &'static str,
    pub(crate) date: &'static str,
    pub(crate) amount: &'static str,
    pub(crate) task: &'static str,
    pub(crate) no_task: &'static str,
    pub(crate) note: &'static str,
    pub(crate) add_cost: &'static str,
    pub(crate) needs_line: &'static str,
    pub(crate) export_budget: &'static str,
    pub(crate) export_costs: &'static str,
    pub(crate) import: &'static str,
    pub(crate) import_hint: &'static str,
    /// Lines added, lines changed, costs added, costs already there.
    pub(crate) imported: fn(usize, usize, usize, usize) -> String,
    pub(crate) unmatched: fn(&str) -> String,
    pub(crate) file_names: [&'static str; 2],
    pub(crate) not_read: &'static str,
    pub(crate) budget_chart: fn(usize) -> String,
    pub(crate) over_lines: &'static str,
    pub(crate) chinese: bool,
}

impl FinanceStrings {
    /// Why a file was not imported, row by row.
    pub(crate) fn sheet_error(&self, error: &SheetError) -> Vec<String> {
        let zh = self.chinese;
        match error {
            SheetError::NotCsv(why) if zh => vec![format!("这个文件不是 CSV：{why}")],
            SheetError::NotCsv(why) => vec![format!("The file is not CSV: {why}")],
            SheetError::Empty if zh => vec!["文件是空的".into()],
            SheetError::Empty => vec!["The file has no rows".into()],
            SheetError::UnknownShape if zh => {
                vec![
                    "文件需要「类别」和「预算」两列（预算表），或「日期」「类别」「金额」三列（费用表）"
                        .into(),
                ]
            }
            SheetError::UnknownShape => vec![
                "The file needs columns Category and Planned (a budget), or Date, Category and Amount (costs)"
                    .into(),
            ],
            SheetError::Rows(rows) => rows.iter().map(|row| self.row_problem(row)).collect(),
        }
    }

    fn row_problem(&self, p: &RowProblem) -> String {
        let column = p.column.header(self.chinese);
        match (p.why, self.chinese) {
            (Why::Empty, true) => format!("第 {} 行：「{column}」是空的", p.row),
            (Why::Empty, false) => format!("Row {}: {column} is empty", p.row),
            (Why::Repeated, true) => format!("第 {} 行：类别「{}」出现了两次", p.row, p.value),
            (Why::Repeated, false) => format!("Row {}: category “{}” is there twice", p.row, p.value),
            (Why::Unreadable, true) => {
                let want =
                    if p.column == Column::Date { "日期，如 2026-11-11" } else { "金额，如 1234.50" };
                format!("第 {} 行：「{column}」的“{}”不是{want}", p.row, p.value)
            }
            (Why::Unreadable, false) => {
                let want = if p.column == Column::Date {
                    "a date such as 2026-11-11"
                } else {
                    "an amount such as 1234.50"
                };
                format!("Row {}: {column} “{}” is not {want}", p.row, p.value)
            }
        }
    }
}

pub(super) static ZH_CN: FinanceStrings = FinanceStrings {
    title: "预算与费用",
    totals: ["预算", "已花", "剩余"],
    burn: |burned, elapsed| format!("已花掉预算的 {burned}%，时间过去 {elapsed}%"),
    burning_fast: "花得比时间快",
    lines: "预算项",
    no_lines: "还没有预算项。先按类别（推广、物料、人力、物流……）加上预算。",
    category: "类别",
    category_hint: "如 推广",
    planned: "预算（元）",
    spent: "已花（元）",
    remaining: "剩余（元）",
    over: "超支",
    add_line: "添加预算项",
    remove: "删除",
    costs: "费用",
    no_costs: "还没有费用。",
    date: "日期",
    amount: "金额（元）",
    task: "任务",
    no_task: "（不关联任务）",
    note: "备注",
    add_cost: "记一笔费用",
    needs_line: "先添加一个预算项，才能记费用。",
    export_budget: "导出预算 CSV",
    export_costs: "导出费用 CSV",
    import: "导入 CSV",
    import_hint: "预算表（类别、预算）或费用表（日期、类别、金额、任务、备注）；UTF-8 或 GB18030 编码均可",
    imported: |added, changed, costs, skipped| {
        format!(
            "已导入：新增 {added} 个预算项，更新 {changed} 个，新增 {costs} 笔费用，{skipped} 笔已存在而跳过"
        )
    },
    unmatched: |names| format!("这些任务名没有对应的唯一任务，相关费用未关联任务：{names}"),
    file_names: ["预算", "费用"],
    not_read: "文件未导入，没有任何改动：",
    budget_chart: |n| format!("{n} 个预算项的预算与已花"),
    over_lines: "超支的预算项",
    chinese: true,
};

pub(super) static EN: FinanceStrings = FinanceStrings {
    title: "Budget and costs",
    totals: ["Budget", "Spent", "Remaining"],
    burn: |burned, elapsed| format!("{burned}% of the budget spent with {elapsed}% of the time gone"),
    burning_fast: "Spending faster than time passes",
    lines: "Budget lines",
    no_lines: "No budget lines yet. Add one per category (推广 promotion, 物料 materials, 人力 staff, 物流 logistics...).",
    category: "Category",
    category_hint: "e.g. Promotion",
    planned: "Planned (yuan)",
    spent: "Spent (yuan)",
    remaining: "Remaining (yuan)",
    over: "Over budget",
    add_line: "Add budget line",
    remove: "Delete",
    costs: "Costs",
    no_costs: "No costs yet.",
    date: "Date",
    amount: "Amount (yuan)",
    task: "Task",
    no_task: "(no task)",
    note: "Note",
    add_cost: "Add cost",
    needs_line: "Add a budget line first, then book costs against it.",
    export_budget: "Export budget CSV",
    export_costs: "Export costs CSV",
    import: "Import CSV",
    import_hint: "A budget (Category, Planned) or costs (Date, Category, Amount, Task, Note); UTF-8 or GB18030",
    imported: |added, changed, costs, skipped| {
        format!(
            "Imported: {added} budget lines added, {changed} changed, {costs} costs added, {skipped} already there and skipped"
        )
    },
    unmatched: |names| format!("These task names match no single task, so their costs have no task: {names}"),
    file_names: ["budget", "costs"],
    not_read: "The file was not imported; nothing changed:",
    budget_chart: |n| format!("Planned and spent for {n} budget lines"),
    over_lines: "Over-budget lines",
    chinese: false,
};
