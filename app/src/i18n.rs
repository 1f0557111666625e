//! Every string the person sees, in zh-CN and en.

use launchplan_shared::domain::{ProjectKind, Status};

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
    pub(crate) conflict: &'static str,
    pub(crate) conflict_help: &'static str,
    pub(crate) keep: &'static str,
    pub(crate) is_open_by: &'static str,
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

    pub(crate) fn kind(&self, kind: ProjectKind) -> &'static str {
        self.kind_names[kind_index(kind)]
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
    conflict: "冲突",
    conflict_help: "两人同时修改了这里，请选择保留哪个：",
    keep: "保留",
    is_open_by: "正在查看此任务",
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
    conflict: "Conflict",
    conflict_help: "Two people changed this at once. Keep which?",
    keep: "Keep",
    is_open_by: "has this task open",
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
