//! Why an edit was refused, in the person's language. The domain's errors say it in
//! English for logs and other programs; the screen says it in zh-CN or en.

use launchplan_shared::domain::commands::{self, CommandError};
use launchplan_shared::domain::finance::FinanceError;
use launchplan_shared::domain::permissions::Part;
use launchplan_shared::domain::{Role, WorkspaceError};

use super::{Locale, ROLES};

/// An edit the domain refused; nothing was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Refusal {
    EmptyTitle,
    EmptyName,
    NotAMember,
    NotAProject,
    NoSuchTask,
    NeedsApproval(Role),
    NotApprover(Role),
    NoApprovalNeeded,
    SelfDependency,
    WouldCycle,
    Unreadable(String),
    BadHours(f64),
    EmptyComment,
    EmptyItem,
    BadDuration(u32),
    BadEstimate(f64),
    BadTime(String),
    BadWipLimit(u32),
    NotYourEntry,
    BadAttachment,
    BadDates {
        start: String,
        due: String,
    },
    NoSuchMember,
    NoSuchInvite,
    InviteUsed,
    LastOwner,
    BadWeek,
    BadTarget,
    BadThreshold,
    BadCapacity,
    BadLocale,
    BadTemplate(String),
    /// Automerge could not write it (a bug, or a document in a shape nobody expected).
    Write(String),
    /// A change to the budget or costs.
    Finance(FinanceError),
    /// The person's role (the first of theirs) may not change that part of the plan.
    NotYourRole {
        role: Role,
        part: Part,
    },
}

impl From<&CommandError> for Refusal {
    fn from(e: &CommandError) -> Self {
        match e {
            CommandError::EmptyTitle => Refusal::EmptyTitle,
            CommandError::NotAMember => Refusal::NotAMember,
            CommandError::EmptyName => Refusal::EmptyName,
            CommandError::NotAProject(_) => Refusal::NotAProject,
            CommandError::NoSuchTask(_) => Refusal::NoSuchTask,
            CommandError::NeedsApproval(role) => Refusal::NeedsApproval(*role),
            CommandError::NotApprover(role) => Refusal::NotApprover(*role),
            CommandError::NoApprovalNeeded => Refusal::NoApprovalNeeded,
            CommandError::SelfDependency => Refusal::SelfDependency,
            CommandError::WouldCycle => Refusal::WouldCycle,
            CommandError::Unreadable(field) => Refusal::Unreadable(field.clone()),
            CommandError::BadHours(hours) => Refusal::BadHours(*hours),
            CommandError::EmptyComment => Refusal::EmptyComment,
            CommandError::EmptyItem => Refusal::EmptyItem,
            CommandError::BadDuration(days) => Refusal::BadDuration(*days),
            CommandError::BadEstimate(hours) => Refusal::BadEstimate(*hours),
            CommandError::BadTime(time) => Refusal::BadTime(time.clone()),
            CommandError::BadWipLimit(n) => Refusal::BadWipLimit(*n),
            CommandError::NotYourEntry => Refusal::NotYourEntry,
            CommandError::BadAttachment => Refusal::BadAttachment,
            CommandError::BadDates { start, due } => {
                Refusal::BadDates { start: start.to_string(), due: due.to_string() }
            }
            CommandError::Reconcile(_) | CommandError::Automerge(_) => Refusal::Write(e.to_string()),
        }
    }
}

impl From<&WorkspaceError> for Refusal {
    fn from(e: &WorkspaceError) -> Self {
        match e {
            WorkspaceError::EmptyName => Refusal::EmptyName,
            WorkspaceError::NoSuchMember => Refusal::NoSuchMember,
            WorkspaceError::NoSuchInvite => Refusal::NoSuchInvite,
            WorkspaceError::InviteUsed => Refusal::InviteUsed,
            WorkspaceError::LastOwner => Refusal::LastOwner,
            WorkspaceError::BadWeek(_) => Refusal::BadWeek,
            WorkspaceError::BadTarget(_) => Refusal::BadTarget,
            WorkspaceError::BadThreshold(_) => Refusal::BadThreshold,
            WorkspaceError::BadCapacity(_) => Refusal::BadCapacity,
            WorkspaceError::BadLocale(_) => Refusal::BadLocale,
            WorkspaceError::BadTemplate(why) => Refusal::BadTemplate(why.clone()),
            WorkspaceError::NotAWorkspace => Refusal::NotAProject,
            WorkspaceError::Write(inner) => Refusal::from(inner),
        }
    }
}

impl Refusal {
    pub(crate) fn text(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        let role = |r: &Role| locale.strings().role_names[ROLES.iter().position(|x| x == r).unwrap_or(0)];
        let pick = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
        match self {
            Refusal::EmptyTitle => pick("标题不能为空".into(), "A title cannot be empty".into()),
            Refusal::EmptyName => pick("名称不能为空".into(), "A name cannot be empty".into()),
            Refusal::NotAMember => {
                pick("只有工作区成员才能这样做".into(), "Only a member of the workspace can do this".into())
            }
            Refusal::NotAProject => {
                pick("这个文档不是计划或工作区".into(), "This document is not a plan or workspace".into())
            }
            Refusal::NoSuchTask => pick(
                "这个任务已不存在（可能刚被别人删除）".into(),
                "This task no longer exists (someone may just have deleted it)".into(),
            ),
            Refusal::NeedsApproval(r) => pick(
                format!("这个任务需要{}审批后才能完成", role(r)),
                format!("This task needs approval by {} before it can be done", role(r)),
            ),
            Refusal::NotApprover(r) => pick(
                format!("只有{}可以审批这个任务", role(r)),
                format!("Only a {} can approve this task", role(r)),
            ),
            Refusal::NoApprovalNeeded => {
                pick("这个任务不需要审批".into(), "This task needs no approval".into())
            }
            Refusal::SelfDependency => {
                pick("任务不能依赖自己".into(), "A task cannot wait for itself".into())
            }
            Refusal::WouldCycle => pick(
                "这会让任务互相等待，形成循环".into(),
                "That would make tasks wait for each other in a circle".into(),
            ),
            Refusal::Unreadable(field) => pick(
                format!("这个任务的「{field}」无法读取，为免丢失数据未作修改；请在写入它的地方更正"),
                format!(
                    "This task's `{field}` cannot be read, so it is left as it is: correct it where it was written"
                ),
            ),
            Refusal::BadHours(h) => pick(
                format!("工时须大于 0 且不超过 24，而不是 {h}"),
                format!("Hours must be more than 0 and at most 24, not {h}"),
            ),
            Refusal::EmptyComment => pick("评论不能为空".into(), "A comment cannot be empty".into()),
            Refusal::EmptyItem => pick("清单项不能为空".into(), "A checklist item cannot be empty".into()),
            Refusal::BadDuration(days) => pick(
                format!("工期最多 {} 个工作日，而不是 {days}", commands::MAX_DURATION_DAYS),
                format!("A task takes at most {} working days, not {days}", commands::MAX_DURATION_DAYS),
            ),
            Refusal::BadTime(time) => pick(
                format!("“{time}”不是时间，请写成 15:00 这样的 24 小时制"),
                format!("“{time}” is not a time of day such as 15:00"),
            ),
            Refusal::BadEstimate(hours) => pick(
                format!("预估工时须在 0 到 10000 小时之间，而不是 {hours}"),
                format!("An estimate is from 0 to 10000 hours, not {hours}"),
            ),
            Refusal::BadWipLimit(n) => pick(
                format!("列的上限须在 1 到 {} 张卡片之间，而不是 {n}", commands::MAX_WIP_LIMIT),
                format!("A column's limit is from 1 to {} cards, not {n}", commands::MAX_WIP_LIMIT),
            ),
            Refusal::NotYourEntry => pick(
                "只有记录人或管理员可以删除这条工时".into(),
                "Only its author or an admin can remove a time entry".into(),
            ),
            Refusal::BadAttachment => pick(
                "附件须以内容的 sha256 命名，文件名不超过 255 个字符".into(),
                "An attachment is named by its sha256, with a file name of at most 255 characters".into(),
            ),
            Refusal::BadDates { start, due } => pick(
                format!("开始日期 {start} 晚于截止日期 {due}"),
                format!("The start, {start}, is after the due date, {due}"),
            ),
            Refusal::NoSuchMember => pick("工作区里没有这个成员".into(), "There is no such member".into()),
            Refusal::NoSuchInvite => pick(
                "这个邀请不存在或已被撤回".into(),
                "This invitation does not exist or was revoked".into(),
            ),
            Refusal::InviteUsed => pick("这个邀请已被使用".into(), "This invitation was used already".into()),
            Refusal::LastOwner => {
                pick("工作区至少要保留一位所有者".into(), "A workspace keeps at least one owner".into())
            }
            Refusal::BadWeek => pick("一周有 7 天".into(), "A week has 7 days".into()),
            Refusal::BadTarget => pick("目标天数须大于 0".into(), "A target must be more than 0 days".into()),
            Refusal::BadThreshold => {
                pick("延误概率须在 0 到 1 之间".into(), "A risk threshold is between 0 and 1".into())
            }
            Refusal::BadCapacity => pick(
                "每天可用工时须大于 0、不超过 24".into(),
                "Hours a day are more than 0 and at most 24".into(),
            ),
            Refusal::BadTemplate(why) => pick(
                format!("这个计划无法存为模板：{why}"),
                format!("This plan cannot be saved as a template: {why}"),
            ),
            Refusal::BadLocale => {
                pick("语言只能是中文或英文".into(), "The language must be zh-CN or en".into())
            }
            Refusal::Write(e) => {
                pick(format!("无法写入这次修改：{e}"), format!("Could not write the change: {e}"))
            }
            Refusal::Finance(e) => finance_text(e, zh),
            Refusal::NotYourRole { role: r, part } => {
                let (zh_part, en_part) = part_names(*part);
                pick(
                    format!("你的角色（{}）不能修改{zh_part}", role(r)),
                    format!("Your role ({}) cannot change {en_part}", role(r)),
                )
            }
        }
    }
}

fn finance_text(e: &FinanceError, zh: bool) -> String {
    match (e, zh) {
        (FinanceError::EmptyCategory, true) => "预算项需要一个类别".into(),
        (FinanceError::EmptyCategory, false) => "A budget line needs a category".into(),
        (FinanceError::BadAmount(text), true) => format!("“{text}”不是金额，请写成 1234.50 这样的元数"),
        (FinanceError::BadAmount(text), false) => {
            format!("“{text}” is not an amount of yuan such as 1234.50")
        }
        (FinanceError::TooLarge, true) => "金额最多 100 亿元".into(),
        (FinanceError::TooLarge, false) => "An amount is at most 10,000,000,000 yuan".into(),
        (FinanceError::NegativeBudget, true) => "预算不能小于 0".into(),
        (FinanceError::NegativeBudget, false) => "A budget cannot be below zero".into(),
        (FinanceError::NoSuchLine, true) => "这个预算项已不存在（可能刚被别人删除）".into(),
        (FinanceError::NoSuchLine, false) => {
            "That budget line no longer exists (someone may just have deleted it)".into()
        }
        (FinanceError::NoSuchCost, true) => "这笔费用已不存在（可能刚被别人删除）".into(),
        (FinanceError::NoSuchCost, false) => {
            "That cost no longer exists (someone may just have deleted it)".into()
        }
        (FinanceError::LineHasCosts(n), true) => format!("这个预算项下还有 {n} 笔费用，请先移走或删除"),
        (FinanceError::LineHasCosts(n), false) => {
            format!("This line still has {n} costs: move or delete them first")
        }
        (FinanceError::Write(e), true) => format!("无法写入这次修改：{e}"),
        (FinanceError::Write(e), false) => format!("Could not write the change: {e}"),
    }
}

/// What a part of a plan is called, in Chinese and English.
fn part_names(part: Part) -> (&'static str, &'static str) {
    match part {
        Part::Structure => {
            ("计划的结构（阶段、任务的增删）", "the plan's structure (phases, adding or deleting tasks)")
        }
        Part::Content => ("任务内容", "what tasks say"),
        Part::Progress => ("任务的进度和状态", "the progress of tasks"),
        Part::Schedule => ("日期和依赖", "dates and dependencies"),
        Part::People => ("负责人", "who does a task"),
        Part::Approval => ("审批", "approvals"),
        Part::Details => ("任务详情（优先级、标签、工时）", "task details (priority, tags, hours)"),
        Part::Team => ("工作区的成员、角色和设置", "the workspace's members, roles and settings"),
        Part::Unknown => ("这部分计划", "this part of the plan"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_reads_in_both_languages() {
        let refusals = [
            Refusal::from(&CommandError::EmptyTitle),
            Refusal::from(&CommandError::NeedsApproval(Role::Admin)),
            Refusal::from(&WorkspaceError::LastOwner),
            Refusal::from(&WorkspaceError::Write(CommandError::WouldCycle)),
            Refusal::NotYourRole { role: Role::ContentEditor, part: Part::Schedule },
        ];
        for refusal in &refusals {
            let (zh, en) = (refusal.text(Locale::ZhCn), refusal.text(Locale::En));
            assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{refusal:?}");
        }
        assert_eq!(refusals[1].text(Locale::ZhCn), "这个任务需要管理员审批后才能完成");
        assert_eq!(refusals[3], Refusal::WouldCycle);
        assert_eq!(refusals[4].text(Locale::ZhCn), "你的角色（运营（仅内容））不能修改日期和依赖");
    }
}
