//! The workload page's words, in zh-CN and en.

pub(crate) struct WorkloadStrings {
    pub(crate) title: &'static str,
    pub(crate) intro: &'static str,
    pub(crate) earlier: &'static str,
    pub(crate) this_week: &'static str,
    pub(crate) later: &'static str,
    pub(crate) member: &'static str,
    /// The unit beside a member's hours a day.
    pub(crate) per_day: &'static str,
    pub(crate) capacity_label: &'static str,
    /// The days of the week, Monday first.
    pub(crate) weekdays: [&'static str; 7],
    /// "12.0 of 8 h": planned hours against what the person can give.
    pub(crate) cell: fn(f64, f64) -> String,
    pub(crate) over_days: fn(usize) -> String,
    /// "小王, 2026-12-02: 12.0 h of 8"
    pub(crate) day_of: fn(&str, &str, f64, f64) -> String,
    pub(crate) no_tasks: &'static str,
    pub(crate) pick_cell: &'static str,
    pub(crate) move_to: &'static str,
    pub(crate) drag_hint: &'static str,
    pub(crate) no_members: &'static str,
}

pub(super) static ZH_CN: WorkloadStrings = WorkloadStrings {
    title: "工作量",
    intro: "每人每天在工作区所有计划里排了多少小时（按预估工时，没有预估的按每天 4 小时），超出每日可用工时的标红。",
    earlier: "← 上一周",
    this_week: "本周",
    later: "下一周 →",
    member: "成员",
    per_day: "小时/天",
    capacity_label: "每天可用工时",
    weekdays: ["一", "二", "三", "四", "五", "六", "日"],
    cell: |hours, capacity| format!("{hours:.1} / {capacity} 小时"),
    over_days: |n| format!("{n} 天超负荷"),
    day_of: |name, day, hours, capacity| format!("{name}，{day}：已排 {hours:.1} 小时，可用 {capacity} 小时"),
    no_tasks: "这一天没有排任务。",
    pick_cell: "点一个格子，查看那天的任务。",
    move_to: "改派给",
    drag_hint: "把任务拖到另一位成员那一行即可改派。",
    no_members: "工作区还没有成员。",
};

pub(super) static EN: WorkloadStrings = WorkloadStrings {
    title: "Workload",
    intro: "Hours each person has planned each day across all of the workspace's plans (estimates, else 4 hours a day), in red where they are more than the person can give.",
    earlier: "← Previous week",
    this_week: "This week",
    later: "Next week →",
    member: "Member",
    per_day: "h a day",
    capacity_label: "Hours a day",
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    cell: |hours, capacity| format!("{hours:.1} of {capacity} h"),
    over_days: |n| if n == 1 { "over on 1 day".into() } else { format!("over on {n} days") },
    day_of: |name, day, hours, capacity| format!("{name}, {day}: {hours:.1} h planned of {capacity}"),
    no_tasks: "Nothing planned that day.",
    pick_cell: "Pick a day to see the tasks behind it.",
    move_to: "Give to",
    drag_hint: "Drag a task onto another member's row to give it to them.",
    no_members: "The workspace has no members yet.",
};
