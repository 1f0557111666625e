//! Every string the person sees, in zh-CN and en.

mod refusal;

pub(crate) use refusal::Refusal;

use launchplan_shared::domain::{ProjectKind, Role, Status, Team};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Locale {
    ZhCn,
    En,
}

impl Locale {
    pub(crate) fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    pub(crate) fn from_tag(tag: &str) -> Self {
        if tag.to_ascii_lowercase().starts_with("zh") { Locale::ZhCn } else { Locale::En }
    }

    pub(crate) fn other(self) -> Self {
        match self {
            Locale::ZhCn => Locale::En,
            Locale::En => Locale::ZhCn,
        }
    }

    pub(crate) fn strings(self) -> &'static Strings {
        match self {
            Locale::ZhCn => &ZH_CN,
            Locale::En => &EN,
        }
    }
}

pub(crate) struct Strings {
    /// The name of the other language, on the button that switches to it.
    pub(crate) switch_language: &'static str,
    pub(crate) online: &'static str,
    pub(crate) offline: &'static str,
    pub(crate) connecting: &'static str,
    pub(crate) syncing: &'static str,
    pub(crate) saving: &'static str,
    pub(crate) saved: &'static str,
    pub(crate) projects: &'static str,
    pub(crate) project_name_placeholder: &'static str,
    pub(crate) create_project: &'static str,
    pub(crate) blank_plan: &'static str,
    pub(crate) from_template: &'static str,
    pub(crate) template_summary: fn(usize, usize, i32) -> String,
    pub(crate) plan_name: &'static str,
    launch_day_names: [&'static str; 2],
    pub(crate) skus_label: &'static str,
    pub(crate) wizard_preview: fn(&str, usize) -> String,
    pub(crate) holidays_unpublished: fn(&str) -> String,
    pub(crate) create_plan: &'static str,
    pub(crate) no_projects: &'static str,
    pub(crate) all_projects: &'static str,
    pub(crate) share_link: &'static str,
    pub(crate) copy: &'static str,
    pub(crate) copied: &'static str,
    pub(crate) tasks: &'static str,
    pub(crate) add_task_placeholder: &'static str,
    pub(crate) add: &'static str,
    pub(crate) no_tasks: &'static str,
    pub(crate) delete: &'static str,
    pub(crate) rename: &'static str,
    pub(crate) save: &'static str,
    pub(crate) cancel: &'static str,
    pub(crate) mark_done: &'static str,
    pub(crate) opening: &'static str,
    pub(crate) waiting_for_plan: &'static str,
    pub(crate) bad_link: &'static str,
    pub(crate) failed: &'static str,
    pub(crate) dismiss: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) status: &'static str,
    pub(crate) done_of: fn(usize, usize) -> String,
    pub(crate) here_now: &'static str,
    pub(crate) only_you: &'static str,
    pub(crate) your_name: &'static str,
    pub(crate) name: &'static str,
    pub(crate) conflict: &'static str,
    pub(crate) conflict_help: &'static str,
    pub(crate) keep: &'static str,
    pub(crate) is_open_by: &'static str,
    pub(crate) undo: &'static str,
    pub(crate) redo: &'static str,
    pub(crate) undo_hint: &'static str,
    pub(crate) redo_hint: &'static str,
    pub(crate) details: &'static str,
    pub(crate) close: &'static str,
    pub(crate) planned: &'static str,
    pub(crate) critical: &'static str,
    /// The list's column headings: title, assignees, start, finish, duration, slack, status.
    pub(crate) columns: [&'static str; 7],
    pub(crate) working_days: fn(i32) -> String,
    pub(crate) slack_help: fn(i32) -> String,
    pub(crate) no_phase: &'static str,
    pub(crate) phase: &'static str,
    pub(crate) my_work: &'static str,
    pub(crate) inbox: &'static str,
    pub(crate) mark_read: &'static str,
    pub(crate) mark_all_read: &'static str,
    pub(crate) inbox_empty: &'static str,
    pub(crate) overdue_by: fn(i32) -> String,
    pub(crate) due_in: fn(i32) -> String,
    pub(crate) waiting_your_approval: &'static str,
    pub(crate) mentioned_you: fn(&str, &str) -> String,
    pub(crate) assigned_to_you: &'static str,
    /// My work's sections: overdue, due today, due this week, waiting for my approval, where
    /// I was mentioned.
    pub(crate) my_sections: [&'static str; 5],
    pub(crate) nothing_here: &'static str,
    pub(crate) warnings_title: fn(usize) -> String,
    pub(crate) moved_title: fn(usize) -> String,
    pub(crate) filter_placeholder: &'static str,
    pub(crate) any_status: &'static str,
    pub(crate) anyone: &'static str,
    pub(crate) me: &'static str,
    pub(crate) nobody: &'static str,
    pub(crate) any_tag: &'static str,
    pub(crate) clear_filter: &'static str,
    pub(crate) any_rag: &'static str,
    pub(crate) rag_names: [&'static str; 3],
    pub(crate) any_due: &'static str,
    pub(crate) due_windows: [&'static str; 4],
    pub(crate) group_by: &'static str,
    pub(crate) group_names: [&'static str; 6],
    pub(crate) sort_by: &'static str,
    pub(crate) sort_names: [&'static str; 6],
    pub(crate) no_assignee: &'static str,
    pub(crate) no_sku: &'static str,
    pub(crate) shown_of: fn(usize, usize) -> String,
    pub(crate) save_as_template: &'static str,
    pub(crate) template_saved: &'static str,
    pub(crate) shifted_by: fn(i32) -> String,
    pub(crate) assignees: &'static str,
    pub(crate) priority: &'static str,
    pub(crate) priority_names: [&'static str; 4],
    pub(crate) tags_label: &'static str,
    pub(crate) none: &'static str,
    pub(crate) duration_label: &'static str,
    pub(crate) estimate_label: &'static str,
    pub(crate) description: &'static str,
    pub(crate) description_placeholder: &'static str,
    pub(crate) checklist: &'static str,
    pub(crate) add_item_placeholder: &'static str,
    pub(crate) waits_for: &'static str,
    pub(crate) dependency_kinds: [&'static str; 4],
    pub(crate) lag_label: &'static str,
    pub(crate) find_task: &'static str,
    pub(crate) approval: &'static str,
    pub(crate) needs_approval_by: &'static str,
    pub(crate) request_approval: &'static str,
    pub(crate) waiting_for_approval: fn(&str) -> String,
    pub(crate) approve: &'static str,
    pub(crate) reject: &'static str,
    pub(crate) reject_reason: &'static str,
    pub(crate) approved_by: fn(&str) -> String,
    pub(crate) rejected_by: fn(&str, &str) -> String,
    pub(crate) comments: &'static str,
    pub(crate) attachments: &'static str,
    pub(crate) history: &'static str,
    pub(crate) history_task: &'static str,
    pub(crate) no_history: &'static str,
    pub(crate) someone_earlier: &'static str,
    pub(crate) title_label: &'static str,
    pub(crate) time_spent: &'static str,
    pub(crate) hours_placeholder: &'static str,
    pub(crate) log_time: &'static str,
    pub(crate) attach_files: &'static str,
    pub(crate) files_waiting: fn(usize) -> String,
    pub(crate) download: &'static str,
    pub(crate) comment_placeholder: &'static str,
    pub(crate) send: &'static str,
    pub(crate) mentions_label: &'static str,
    pub(crate) someone: &'static str,
    pub(crate) phase_progress: fn(usize, usize) -> String,
    pub(crate) milestone: &'static str,
    pub(crate) countdown: fn(i32) -> String,
    pub(crate) reached: &'static str,
    pub(crate) start: &'static str,
    pub(crate) due: &'static str,
    pub(crate) unreadable_field: &'static str,
    pub(crate) unreadable_help: &'static str,
    pub(crate) plan_problems: &'static str,
    pub(crate) tasks_with_problems: fn(usize) -> String,
    pub(crate) not_a_plan: &'static str,
    pub(crate) settings: &'static str,
    pub(crate) opened_from_links: &'static str,
    pub(crate) archived: &'static str,
    pub(crate) archive: &'static str,
    pub(crate) unarchive: &'static str,
    pub(crate) workspace_name: &'static str,
    pub(crate) members: &'static str,
    pub(crate) role: &'static str,
    pub(crate) team: &'static str,
    pub(crate) no_team: &'static str,
    pub(crate) remove: &'static str,
    pub(crate) you: &'static str,
    pub(crate) invites: &'static str,
    pub(crate) invite_help: &'static str,
    pub(crate) create_invite: &'static str,
    pub(crate) revoke: &'static str,
    pub(crate) used_by: &'static str,
    pub(crate) calendar: &'static str,
    pub(crate) weekdays: &'static str,
    pub(crate) holidays: &'static str,
    pub(crate) makeup_days: &'static str,
    pub(crate) china_days_through: fn(i32) -> String,
    pub(crate) earlier_days: fn(usize) -> String,
    pub(crate) rag_rules: &'static str,
    pub(crate) amber_slack: &'static str,
    pub(crate) lookahead: &'static str,
    pub(crate) risk_threshold: &'static str,
    pub(crate) cycle_targets: &'static str,
    pub(crate) tag: &'static str,
    pub(crate) days: &'static str,
    pub(crate) language: &'static str,
    pub(crate) join_title: &'static str,
    pub(crate) join_as: &'static str,
    pub(crate) join: &'static str,
    pub(crate) joined_already: &'static str,
    pub(crate) invite_gone: &'static str,
    pub(crate) waiting_for_workspace: &'static str,
    pub(crate) go_to_workspace: &'static str,
    pub(crate) rename_project: &'static str,
    pub(crate) admins_only: &'static str,
    pub(crate) role_names: [&'static str; 6],
    pub(crate) team_names: [&'static str; 7],
    pub(crate) weekday_names: [&'static str; 7],
    status_names: [&'static str; 5],
    kind_names: [&'static str; 4],
}

impl Strings {
    pub(crate) fn status(&self, status: &Status) -> String {
        match Status::DEFAULTS.iter().position(|s| s == status) {
            Some(i) => self.status_names[i].to_owned(),
            None => status.key().to_owned(),
        }
    }

    /// What the day a plan works toward is called: a launch, or a campaign's day.
    pub(crate) fn launch_day(&self, kind: ProjectKind) -> &'static str {
        self.launch_day_names[usize::from(matches!(kind, ProjectKind::Campaign | ProjectKind::Seasonal))]
    }

    pub(crate) fn kind(&self, kind: ProjectKind) -> &'static str {
        self.kind_names[kind_index(kind)]
    }

    pub(crate) fn role(&self, role: Role) -> &'static str {
        self.role_names[ROLES.iter().position(|r| *r == role).unwrap_or(0)]
    }

    pub(crate) fn team(&self, team: Team) -> &'static str {
        self.team_names[TEAMS.iter().position(|t| *t == team).unwrap_or(0)]
    }

    /// The default name of a new person's workspace.
    pub(crate) fn workspace_of(&self, name: &str) -> String {
        if self.switch_language == "English" { format!("{name}的团队") } else { format!("{name}'s team") }
    }
}

/// "Guest" for generated names, in the browser's language (names are not re-translated).
pub(crate) fn guest_word() -> &'static str {
    let language = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
    match Locale::from_tag(&language) {
        Locale::ZhCn => "访客",
        Locale::En => "Guest",
    }
}

pub(crate) const KINDS: [ProjectKind; 4] =
    [ProjectKind::Launch, ProjectKind::Campaign, ProjectKind::Seasonal, ProjectKind::Listing];

pub(crate) const ROLES: [Role; 6] =
    [Role::Owner, Role::Admin, Role::Editor, Role::ContentEditor, Role::Viewer, Role::Finance];

pub(crate) const TEAMS: [Team; 7] = [
    Team::Product,
    Team::Operations,
    Team::Design,
    Team::Marketing,
    Team::CustomerService,
    Team::Warehouse,
    Team::Quality,
];

pub(crate) fn kind_index(kind: ProjectKind) -> usize {
    KINDS.iter().position(|k| *k == kind).unwrap_or(0)
}

static ZH_CN: Strings = Strings {
    switch_language: "English",
    online: "在线",
    offline: "离线",
    connecting: "连接中…",
    syncing: "同步中…",
    saving: "保存中…",
    saved: "已保存",
    projects: "项目",
    project_name_placeholder: "项目名称，如：新品首发：春季口红系列",
    create_project: "创建项目",
    blank_plan: "空白计划",
    from_template: "从模板开始",
    template_summary: |phases, tasks, days| format!("{phases} 个阶段 · {tasks} 项任务 · 约 {days} 天"),
    plan_name: "计划名称",
    launch_day_names: ["上市日", "活动日"],
    skus_label: "SKU（每行一个：编码 名称）",
    wizard_preview: |start, tasks| format!("从 {start} 开始，共 {tasks} 项任务，按工作日倒排到上市日。"),
    holidays_unpublished: |years| {
        format!("{years} 年的法定节假日和调休尚未公布：这些日子暂按普通工作日排期。公布后请在“设置”中添加。")
    },
    create_plan: "创建计划",
    no_projects: "还没有项目。创建第一个吧。",
    all_projects: "← 全部项目",
    share_link: "分享链接",
    copy: "复制",
    copied: "已复制",
    tasks: "任务",
    add_task_placeholder: "添加任务，按回车确认",
    add: "添加",
    no_tasks: "还没有任务。",
    delete: "删除",
    rename: "重命名",
    save: "保存",
    cancel: "取消",
    mark_done: "标记为已完成",
    opening: "正在打开计划…",
    waiting_for_plan: "服务器上还没有这个计划。分享者上线后，它会自动出现在这里。",
    bad_link: "这个链接不是有效的计划链接",
    failed: "操作失败",
    dismiss: "知道了",
    kind: "类型",
    status: "状态",
    done_of: |done, total| format!("已完成 {done}/{total}"),
    here_now: "正在查看",
    only_you: "只有你",
    your_name: "你的名字",
    name: "姓名",
    conflict: "冲突",
    conflict_help: "两人同时修改了这里，请选择保留哪个：",
    keep: "保留",
    is_open_by: "正在查看此任务",
    undo: "撤销",
    redo: "重做",
    undo_hint: "撤销（Ctrl+Z）",
    redo_hint: "重做（Ctrl+Shift+Z）",
    details: "详情",
    close: "关闭",
    planned: "计划",
    critical: "关键路径",
    columns: ["任务", "负责人", "开始", "完成", "工期", "余量", "状态"],
    working_days: |n| format!("{n}天"),
    slack_help: |n| format!("可延后 {n} 个工作日而不推迟整个计划"),
    no_phase: "未分阶段",
    phase: "阶段",
    my_work: "我的工作",
    inbox: "收件箱",
    mark_read: "标为已读",
    mark_all_read: "全部标为已读",
    inbox_empty: "没有新消息。",
    overdue_by: |days| format!("已逾期 {days} 天"),
    due_in: |days| if days == 0 { "今天到期".into() } else { format!("{days} 天后到期") },
    waiting_your_approval: "等待你审批",
    mentioned_you: |name, body| format!("{name} 提到了你：{body}"),
    assigned_to_you: "分配给你",
    my_sections: ["已逾期", "今天到期", "本周到期", "等我审批", "提到我的"],
    nothing_here: "暂无",
    warnings_title: |n| format!("有 {n} 处需要处理"),
    moved_title: |n| format!("后续的 {n} 个任务随之移动"),
    filter_placeholder: "筛选任务",
    any_status: "全部状态",
    anyone: "全部负责人",
    me: "我",
    nobody: "未分配",
    any_tag: "全部标签",
    clear_filter: "清除筛选",
    any_rag: "全部风险",
    rag_names: ["红（已延误或将延误）", "黄（有风险）", "绿（正常）"],
    any_due: "全部截止时间",
    due_windows: ["已逾期", "今天到期", "7 天内到期", "没有日期"],
    group_by: "分组",
    group_names: ["阶段", "负责人", "状态", "SKU", "优先级", "团队"],
    sort_by: "排序",
    sort_names: ["添加顺序", "开始日期", "截止日期", "优先级", "标题", "余量（最少在前）"],
    no_assignee: "未分配",
    no_sku: "无 SKU",
    shown_of: |shown, all| format!("显示 {shown} / {all} 个任务"),
    save_as_template: "存为模板",
    template_saved: "已存为工作区模板",
    shifted_by: |d| if d > 0 { format!("推后 {d} 天") } else { format!("提前 {} 天", -d) },
    assignees: "负责人",
    priority: "优先级",
    priority_names: ["低", "普通", "高", "紧急"],
    tags_label: "标签（用逗号分隔）",
    none: "—",
    duration_label: "工期（工作日）",
    estimate_label: "预估工时（小时）",
    description: "描述",
    description_placeholder: "写下要求、卖点、注意事项……多人可同时编辑",
    checklist: "检查清单",
    add_item_placeholder: "添加一项，按回车确认",
    waits_for: "前置任务",
    dependency_kinds: ["完成后开始 (FS)", "同时开始 (SS)", "同时完成 (FF)", "开始后完成 (SF)"],
    lag_label: "间隔（工作日）",
    find_task: "搜索任务",
    approval: "审批",
    needs_approval_by: "需要审批的角色",
    request_approval: "请求审批",
    waiting_for_approval: |role| format!("等待{role}审批"),
    approve: "通过",
    reject: "驳回",
    reject_reason: "驳回理由",
    approved_by: |name| format!("已由 {name} 审批通过"),
    rejected_by: |name, reason| format!("{name} 驳回：{reason}"),
    comments: "评论",
    attachments: "附件",
    history: "修改记录",
    history_task: "任务",
    no_history: "还没有修改记录",
    someone_earlier: "（未署名）",
    title_label: "标题",
    time_spent: "工时记录",
    hours_placeholder: "小时",
    log_time: "记录工时",
    attach_files: "添加附件",
    files_waiting: |n| format!("{n} 个文件等待上传（中继恢复连接后自动上传）"),
    download: "下载",
    comment_placeholder: "写评论，输入 @ 提及成员",
    send: "发送",
    mentions_label: "提及",
    someone: "（已不在工作区的成员）",
    phase_progress: |done, all| format!("{done}/{all} 完成"),
    milestone: "里程碑",
    countdown: |days| match days {
        0 => "今天".into(),
        d if d > 0 => format!("还有 {d} 天"),
        d => format!("已过 {} 天", -d),
    },
    reached: "已达成",
    start: "开始",
    due: "截止",
    unreadable_field: "无法读取的字段",
    unreadable_help: "这些字段的内容无法识别，已按默认值显示，原内容未被改动。请在写入它的工具里更正。",
    plan_problems: "这个计划有无法读取的内容",
    tasks_with_problems: |n| format!("{n} 个任务含无法读取的字段"),
    not_a_plan: "这个文档不是计划",
    settings: "设置",
    opened_from_links: "通过链接打开的计划",
    archived: "已归档",
    archive: "归档",
    unarchive: "取消归档",
    workspace_name: "工作区名称",
    members: "成员",
    role: "角色",
    team: "团队",
    no_team: "未指定",
    remove: "移除",
    you: "（你）",
    invites: "邀请",
    invite_help: "生成一个邀请链接发给同事，对方打开后即以所选角色加入。每个链接只能使用一次。",
    create_invite: "生成邀请链接",
    revoke: "撤回",
    used_by: "已被使用：",
    calendar: "工作日历",
    weekdays: "每周工作日",
    holidays: "节假日",
    makeup_days: "调休上班日",
    china_days_through: |year| {
        format!(
            "新工作区自带国务院办公厅公布的法定节假日和调休（至 {year} 年）。之后年份的安排公布后，请在这里添加。"
        )
    },
    earlier_days: |n| format!("显示往年的 {n} 天"),
    rag_rules: "红黄绿预警规则",
    amber_slack: "松弛时间少于（工作日）即黄灯",
    lookahead: "且在多少天内开始",
    risk_threshold: "历史延误概率达到即黄灯（0–1）",
    cycle_targets: "周期目标",
    tag: "标签",
    days: "天",
    language: "工作区默认语言",
    join_title: "加入工作区",
    join_as: "加入身份：",
    join: "加入",
    joined_already: "你已经是这个工作区的成员。",
    invite_gone: "这个邀请链接已失效（已被使用或撤回）。",
    waiting_for_workspace: "正在从服务器获取工作区…（邀请人上线后即可加入）",
    go_to_workspace: "进入工作区",
    rename_project: "重命名项目",
    admins_only: "只有所有者和管理员可以修改这些设置。",
    role_names: ["所有者", "管理员", "编辑", "运营（仅内容）", "只读", "财务"],
    team_names: ["产品经理", "运营", "设计", "市场投放", "客服", "仓储物流", "品控"],
    weekday_names: ["一", "二", "三", "四", "五", "六", "日"],
    status_names: ["待开始", "进行中", "待审核", "已完成", "阻塞"],
    kind_names: ["新品首发", "大促活动", "季节性", "SKU 上新"],
};

static EN: Strings = Strings {
    switch_language: "中文",
    online: "Online",
    offline: "Offline",
    connecting: "Connecting…",
    syncing: "Syncing…",
    saving: "Saving…",
    saved: "Saved",
    projects: "Projects",
    project_name_placeholder: "Project name, e.g. Spring lipstick launch",
    create_project: "Create project",
    blank_plan: "Blank plan",
    from_template: "Start from a template",
    template_summary: |phases, tasks, days| format!("{phases} phases · {tasks} tasks · about {days} days"),
    plan_name: "Plan name",
    launch_day_names: ["Launch day", "Campaign day"],
    skus_label: "SKUs (one per line: code, then name)",
    wizard_preview: |start, tasks| {
        format!("Starts {start}: {tasks} tasks, worked back from the launch day over working days.")
    },
    holidays_unpublished: |years| {
        format!(
            "China's holidays for {years} are not published yet: those days count as ordinary working days. \
             Add them in Settings once they are."
        )
    },
    create_plan: "Create plan",
    no_projects: "No projects yet. Create the first one.",
    all_projects: "← All projects",
    share_link: "Share link",
    copy: "Copy",
    copied: "Copied",
    tasks: "Tasks",
    add_task_placeholder: "Add a task and press Enter",
    add: "Add",
    no_tasks: "No tasks yet.",
    delete: "Delete",
    rename: "Rename",
    save: "Save",
    cancel: "Cancel",
    mark_done: "Mark as done",
    opening: "Opening the plan…",
    waiting_for_plan: "The relay does not have this plan yet. It appears here as soon as whoever shared it comes online.",
    bad_link: "This link is not a valid plan link",
    failed: "That did not work",
    dismiss: "Dismiss",
    kind: "Kind",
    status: "Status",
    done_of: |done, total| format!("{done} of {total} done"),
    here_now: "Here now",
    only_you: "just you",
    your_name: "Your name",
    name: "Name",
    conflict: "Conflict",
    conflict_help: "Two people changed this at once. Keep which?",
    keep: "Keep",
    is_open_by: "has this task open",
    undo: "Undo",
    redo: "Redo",
    undo_hint: "Undo (Ctrl+Z)",
    redo_hint: "Redo (Ctrl+Shift+Z)",
    details: "Details",
    close: "Close",
    planned: "Planned",
    critical: "Critical path",
    columns: ["Task", "Assignees", "Start", "Finish", "Days", "Slack", "Status"],
    working_days: |n| format!("{n}d"),
    slack_help: |n| format!("Can slip {n} working days without delaying the plan"),
    no_phase: "No phase",
    phase: "Phase",
    my_work: "My work",
    inbox: "Inbox",
    mark_read: "Mark read",
    mark_all_read: "Mark all read",
    inbox_empty: "Nothing new.",
    overdue_by: |days| if days == 1 { "Overdue by 1 day".into() } else { format!("Overdue by {days} days") },
    due_in: |days| match days {
        0 => "Due today".into(),
        1 => "Due tomorrow".into(),
        d => format!("Due in {d} days"),
    },
    waiting_your_approval: "Waiting for your approval",
    mentioned_you: |name, body| format!("{name} mentioned you: {body}"),
    assigned_to_you: "Assigned to you",
    my_sections: [
        "Overdue",
        "Due today",
        "Due this week",
        "Waiting for my approval",
        "Where I was mentioned",
    ],
    nothing_here: "Nothing here",
    warnings_title: |n| if n == 1 { "1 thing to look at".into() } else { format!("{n} things to look at") },
    save_as_template: "Save as template",
    filter_placeholder: "Filter tasks",
    any_status: "Any status",
    anyone: "Anyone",
    me: "Me",
    nobody: "Unassigned",
    any_tag: "Any tag",
    clear_filter: "Clear filters",
    any_rag: "Any risk",
    rag_names: ["Red (late or will be)", "Amber (at risk)", "Green (on track)"],
    any_due: "Any due date",
    due_windows: ["Overdue", "Due today", "Due in 7 days", "No date"],
    group_by: "Group",
    group_names: ["Phase", "Assignee", "Status", "SKU", "Priority", "Team"],
    sort_by: "Sort",
    sort_names: ["Order added", "Start", "Due", "Priority", "Title", "Slack (least first)"],
    no_assignee: "Unassigned",
    no_sku: "No SKU",
    shown_of: |shown, all| format!("{shown} of {all} tasks shown"),
    template_saved: "Saved as a workspace template",
    moved_title: |n| {
        if n == 1 {
            "1 task that waits for it moved too".into()
        } else {
            format!("{n} tasks that wait for it moved too")
        }
    },
    shifted_by: |d| match d {
        1 => "1 day later".into(),
        -1 => "1 day earlier".into(),
        d if d > 0 => format!("{d} days later"),
        d => format!("{} days earlier", -d),
    },
    assignees: "Assignees",
    priority: "Priority",
    priority_names: ["Low", "Normal", "High", "Urgent"],
    tags_label: "Tags (comma separated)",
    none: "—",
    duration_label: "Duration (working days)",
    estimate_label: "Estimate (hours)",
    description: "Description",
    description_placeholder: "Requirements, selling points, what to watch for… several people can edit at once",
    checklist: "Checklist",
    add_item_placeholder: "Add an item, press Enter",
    waits_for: "Waits for",
    dependency_kinds: [
        "Finish to start (FS)",
        "Start to start (SS)",
        "Finish to finish (FF)",
        "Start to finish (SF)",
    ],
    lag_label: "Lag (working days)",
    find_task: "Find a task",
    approval: "Approval",
    needs_approval_by: "Role that approves",
    request_approval: "Request approval",
    waiting_for_approval: |role| format!("Waiting for approval by {role}"),
    approve: "Approve",
    reject: "Reject",
    reject_reason: "Why it is rejected",
    approved_by: |name| format!("Approved by {name}"),
    rejected_by: |name, reason| format!("Rejected by {name}: {reason}"),
    comments: "Comments",
    attachments: "Attachments",
    history: "History",
    history_task: "Task",
    no_history: "No changes yet",
    someone_earlier: "(unsigned)",
    title_label: "Title",
    time_spent: "Time spent",
    hours_placeholder: "Hours",
    log_time: "Log time",
    attach_files: "Attach files",
    files_waiting: |n| {
        if n == 1 {
            "1 file waiting to upload (it goes up when the relay is back)".into()
        } else {
            format!("{n} files waiting to upload (they go up when the relay is back)")
        }
    },
    download: "Download",
    comment_placeholder: "Write a comment; type @ to mention someone",
    send: "Send",
    mentions_label: "Mentions",
    someone: "(a former member)",
    phase_progress: |done, all| format!("{done}/{all} done"),
    milestone: "Milestone",
    countdown: |days| match days {
        0 => "today".into(),
        1 => "in 1 day".into(),
        d if d > 0 => format!("in {d} days"),
        -1 => "1 day ago".into(),
        d => format!("{} days ago", -d),
    },
    reached: "Reached",
    start: "Start",
    due: "Due",
    unreadable_field: "Field that cannot be read",
    unreadable_help: "These fields hold values the app cannot read. They show their defaults; what is stored is left untouched. Correct them where they were written.",
    plan_problems: "Parts of this plan cannot be read",
    tasks_with_problems: |n| {
        if n == 1 {
            "1 task has a field that cannot be read".into()
        } else {
            format!("{n} tasks have fields that cannot be read")
        }
    },
    not_a_plan: "This document is not a plan",
    settings: "Settings",
    opened_from_links: "Plans opened from links",
    archived: "Archived",
    archive: "Archive",
    unarchive: "Restore",
    workspace_name: "Workspace name",
    members: "Members",
    role: "Role",
    team: "Team",
    no_team: "None",
    remove: "Remove",
    you: "(you)",
    invites: "Invitations",
    invite_help: "Make a link for a teammate: whoever opens it joins with the role chosen. Each link works once.",
    create_invite: "Create invitation link",
    revoke: "Revoke",
    used_by: "Used by ",
    calendar: "Working calendar",
    weekdays: "Working weekdays",
    holidays: "Holidays",
    makeup_days: "Make-up working days (调休)",
    china_days_through: |year| {
        format!(
            "A new workspace starts with China's statutory holidays and make-up working days as the State \
             Council published them (through {year}). Add later years here once they are published."
        )
    },
    earlier_days: |n| format!("Show {n} days of earlier years"),
    rag_rules: "Red / amber / green rules",
    amber_slack: "Amber when slack is below (working days)",
    lookahead: "and the task starts within (days)",
    risk_threshold: "Amber when history says it slips this often (0–1)",
    cycle_targets: "Cycle-time targets",
    tag: "Tag",
    days: "days",
    language: "Workspace language (new members' default)",
    join_title: "Join a workspace",
    join_as: "You join as: ",
    join: "Join",
    joined_already: "You are a member of this workspace already.",
    invite_gone: "This invitation is no longer valid (used or revoked).",
    waiting_for_workspace: "Fetching the workspace from the relay… (it arrives once whoever invited you is online)",
    go_to_workspace: "Go to the workspace",
    rename_project: "Rename project",
    admins_only: "Only owners and admins can change these settings.",
    role_names: ["Owner", "Admin", "Editor", "Content editor (运营)", "Viewer", "Finance"],
    team_names: [
        "Product",
        "Operations",
        "Design",
        "Marketing",
        "Customer service",
        "Warehouse & logistics",
        "Quality",
    ],
    weekday_names: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    status_names: ["To do", "In progress", "In review", "Done", "Blocked"],
    kind_names: ["Product launch", "Campaign", "Seasonal", "SKU listing"],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_kind_has_a_name_in_both_languages() {
        for locale in [Locale::ZhCn, Locale::En] {
            let strings = locale.strings();
            for status in Status::DEFAULTS {
                assert_ne!(strings.status(&status), status.key());
            }
            for kind in KINDS {
                assert!(!strings.kind(kind).is_empty());
            }
        }
        assert_eq!(Locale::ZhCn.strings().status(&Status::Blocked), "阻塞");
        assert_eq!(Locale::from_tag("zh-TW"), Locale::ZhCn);
        assert_eq!(Locale::from_tag("en-US"), Locale::En);
    }
}
