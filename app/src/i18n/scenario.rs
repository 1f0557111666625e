//! The words of what-if scenarios and the plan's launch day, in zh-CN and en.

pub(crate) struct ScenarioStrings {
    pub(crate) launch: &'static str,
    pub(crate) fork: &'static str,
    pub(crate) fork_hint: &'static str,
    /// "A what-if of 双十一大促: …"
    pub(crate) banner: fn(&str) -> String,
    pub(crate) compare: &'static str,
    pub(crate) original: &'static str,
    pub(crate) this_scenario: &'static str,
    pub(crate) finish: &'static str,
    pub(crate) launch_day: &'static str,
    pub(crate) critical: &'static str,
    pub(crate) open_hours: &'static str,
    pub(crate) overloaded: &'static str,
    pub(crate) tasks: &'static str,
    /// "+7 days" / "7 days earlier"
    pub(crate) days_later: fn(i32) -> String,
    pub(crate) added: &'static str,
    pub(crate) removed: &'static str,
    pub(crate) moved: &'static str,
    pub(crate) moved_row: fn(&str, &str, &str) -> String,
    pub(crate) no_changes: &'static str,
    pub(crate) merge: &'static str,
    pub(crate) merge_confirm: fn(&str) -> String,
    pub(crate) discard: &'static str,
    pub(crate) discard_confirm: &'static str,
    pub(crate) opening_original: &'static str,
    pub(crate) none: &'static str,
    /// The launch brought forward `days` working days (negative); `tasks` open tasks are dated.
    pub(crate) launch_moved: fn(i32, usize) -> String,
    pub(crate) move_them: &'static str,
    pub(crate) keep_them: &'static str,
}

pub(super) static ZH_CN: ScenarioStrings = ScenarioStrings {
    launch: "上线日",
    fork: "推演（What-if）",
    fork_hint: "复制出一份推演计划：随意修改并与原计划对比，满意再合并回去。",
    banner: |of| format!("这是「{of}」的推演计划：这里的改动不会影响原计划，除非合并回去。"),
    compare: "与原计划对比",
    original: "原计划",
    this_scenario: "推演",
    finish: "完成日期",
    launch_day: "上线日",
    critical: "关键路径",
    open_hours: "剩余工时（小时）",
    overloaded: "超负荷人天",
    tasks: "任务数",
    days_later: |d| match d {
        0 => "完成日期不变".into(),
        d if d > 0 => format!("晚 {d} 天"),
        d => format!("早 {} 天", -d),
    },
    added: "新增的任务",
    removed: "删除的任务",
    moved: "日期变动的任务",
    moved_row: |title, from, to| format!("{title}：{from} → {to}"),
    no_changes: "与原计划相同。",
    merge: "合并回原计划",
    merge_confirm: |of| format!("把这份推演的改动合并进「{of}」？"),
    discard: "放弃推演",
    discard_confirm: "放弃这份推演？它会被归档，原计划不受影响。",
    opening_original: "正在打开原计划…",
    none: "无",
    launch_moved: |days, tasks| {
        format!("上线日提前了 {} 个工作日；{tasks} 个尚未开始的已排期任务不会自动提前。", days.abs())
    },
    move_them: "一起提前",
    keep_them: "保持不动",
};

pub(super) static EN: ScenarioStrings = ScenarioStrings {
    launch: "Launch day",
    fork: "What-if",
    fork_hint: "Copy this plan into a scenario: change it freely, compare it with the plan, and merge it back if you like it.",
    banner: |of| {
        format!(
            "A what-if scenario of “{of}”: changes here leave the plan as it is unless you merge them back."
        )
    },
    compare: "Compared with the plan",
    original: "Plan",
    this_scenario: "Scenario",
    finish: "Finish",
    launch_day: "Launch day",
    critical: "Critical path",
    open_hours: "Open work (hours)",
    overloaded: "Overbooked person-days",
    tasks: "Tasks",
    days_later: |d| match d {
        0 => "same finish day".into(),
        1 => "1 day later".into(),
        -1 => "1 day earlier".into(),
        d if d > 0 => format!("{d} days later"),
        d => format!("{} days earlier", -d),
    },
    added: "Tasks added",
    removed: "Tasks removed",
    moved: "Tasks moved",
    moved_row: |title, from, to| format!("{title}: {from} → {to}"),
    no_changes: "The same as the plan.",
    merge: "Merge into the plan",
    merge_confirm: |of| format!("Merge this scenario's changes into “{of}”?"),
    discard: "Discard scenario",
    discard_confirm: "Discard this scenario? It is archived; the plan is left as it is.",
    opening_original: "Opening the plan…",
    none: "None",
    launch_moved: |days, tasks| {
        let n = days.abs();
        let (day_word, task_word) =
            (if n == 1 { "day" } else { "days" }, if tasks == 1 { "task" } else { "tasks" });
        format!(
            "The launch is {n} working {day_word} earlier; {tasks} {task_word} dated ahead stay where they are."
        )
    },
    move_them: "Bring them forward too",
    keep_them: "Keep them",
};
