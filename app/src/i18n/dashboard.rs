//! The project dashboard's words, in zh-CN and en.

pub(crate) struct DashboardStrings {
    pub(crate) status: &'static str,
    /// Red, amber, green, as a word.
    pub(crate) rag_words: [&'static str; 3],
    pub(crate) flagged: &'static str,
    pub(crate) nothing_flagged: &'static str,
    pub(crate) more: fn(usize) -> String,
    /// "N days to (launch day)", "today", "N days ago".
    pub(crate) days_to: fn(i32, &str) -> String,
    pub(crate) milestones: &'static str,
    pub(crate) no_milestones: &'static str,
    /// Done and planned shares of the work, as whole percentages.
    pub(crate) done_against_plan: fn(u32, u32) -> String,
    pub(crate) behind_plan: &'static str,
    pub(crate) tasks_before: fn(usize) -> String,
    pub(crate) burndown: &'static str,
    pub(crate) burndown_label: fn(usize) -> String,
    pub(crate) planned_line: &'static str,
    pub(crate) actual_line: &'static str,
    pub(crate) show_table: &'static str,
    pub(crate) date: &'static str,
    pub(crate) remaining_planned: &'static str,
    pub(crate) remaining_actual: &'static str,
    pub(crate) on_time: &'static str,
    pub(crate) no_on_time: &'static str,
    pub(crate) cycle_by_tag: &'static str,
    pub(crate) cycle_by_sku: &'static str,
    pub(crate) no_cycle: &'static str,
    /// Column heads: kind of work (or SKU), finished, average days, target days, against target.
    pub(crate) cycle_columns: [&'static str; 5],
    pub(crate) days: fn(f64) -> String,
    pub(crate) risks: &'static str,
    pub(crate) no_risks: &'static str,
    /// Whom to give it to: name, similar tasks done, of them on time, hours already planned.
    pub(crate) suggest: fn(&str, usize, usize, f64) -> String,
    pub(crate) assign: &'static str,
    pub(crate) unassigned_member: &'static str,
}

pub(super) static ZH_CN: DashboardStrings = DashboardStrings {
    status: "计划状态",
    rag_words: ["红", "黄", "绿"],
    flagged: "需要关注的任务",
    nothing_flagged: "没有红色或黄色任务。",
    more: |n| format!("还有 {n} 个"),
    days_to: |days, what| match days {
        0 => format!("今天就是{what}"),
        d if d > 0 => format!("距{what}还有 {d} 天"),
        d => format!("{what}已过去 {} 天", -d),
    },
    milestones: "里程碑",
    no_milestones: "这个计划还没有里程碑。",
    done_against_plan: |done, planned| format!("已完成 {done}%，计划 {planned}%"),
    behind_plan: "落后于计划",
    tasks_before: |n| format!("{n} 个任务"),
    burndown: "燃尽图",
    burndown_label: |total| format!("燃尽图：共 {total} 个任务，虚线为计划剩余，实线为实际剩余"),
    planned_line: "计划剩余",
    actual_line: "实际剩余",
    show_table: "以表格查看",
    date: "日期",
    remaining_planned: "计划剩余",
    remaining_actual: "实际剩余",
    on_time: "按时完成率",
    no_on_time: "还没有带截止日期的已完成任务。",
    cycle_by_tag: "周期（按任务类型）",
    cycle_by_sku: "周期（按 SKU，从首个任务开始到上架）",
    no_cycle: "还没有开始并完成的任务。",
    cycle_columns: ["类型", "完成数", "平均天数", "目标", "差距"],
    days: |days| format!("{days:.1} 天"),
    risks: "风险（来自团队历史）",
    no_risks: "历史上没有经常延期的同类任务。",
    suggest: |name, done, on_time, hours| {
        format!("建议交给 {name}：做过 {done} 个同类任务，{on_time} 个按时；该时段已排 {hours:.1} 小时")
    },
    assign: "指派",
    unassigned_member: "（已离开的成员）",
};

pub(super) static EN: DashboardStrings = DashboardStrings {
    status: "Plan status",
    rag_words: ["Red", "Amber", "Green"],
    flagged: "Tasks that need attention",
    nothing_flagged: "No red or amber tasks.",
    more: |n| format!("and {n} more"),
    days_to: |days, what| match days {
        0 => format!("{what} is today"),
        1 => format!("1 day to {what}"),
        d if d > 0 => format!("{d} days to {what}"),
        -1 => format!("{what} was 1 day ago"),
        d => format!("{what} was {} days ago", -d),
    },
    milestones: "Milestones",
    no_milestones: "This plan has no milestones yet.",
    done_against_plan: |done, planned| format!("{done}% done, {planned}% planned"),
    behind_plan: "Behind plan",
    tasks_before: |n| if n == 1 { "1 task".into() } else { format!("{n} tasks") },
    burndown: "Burn-down",
    burndown_label: |total| {
        format!("Burn-down of {total} tasks: dashed, remaining as planned; solid, remaining as it went")
    },
    planned_line: "Planned remaining",
    actual_line: "Actual remaining",
    show_table: "Show as a table",
    date: "Date",
    remaining_planned: "Planned remaining",
    remaining_actual: "Actual remaining",
    on_time: "On-time rate",
    no_on_time: "No finished tasks with a due date yet.",
    cycle_by_tag: "Cycle time by kind of work",
    cycle_by_sku: "Cycle time by SKU (first task started to listing)",
    no_cycle: "No task has been started and finished yet.",
    cycle_columns: ["Kind", "Finished", "Average", "Target", "Gap"],
    days: |days| format!("{days:.1} d"),
    risks: "Risks from the team's history",
    no_risks: "No kind of work here slipped often before.",
    suggest: |name, done, on_time, hours| {
        format!(
            "Suggested: {name}, who finished {done} like it ({on_time} on time); {hours:.1} h planned then"
        )
    },
    assign: "Assign",
    unassigned_member: "(former member)",
};
