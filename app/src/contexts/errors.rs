//! What went wrong, typed, for the person to read: one banner shows the latest.

use launchplan_shared::domain::WorkspaceError;
use launchplan_shared::domain::commands::CommandError;
use launchplan_shared::domain::finance::FinanceError;
use launchplan_shared::domain::read::NotReadable;
use leptos::prelude::*;

use crate::i18n::{Locale, Refusal};
use crate::store::IdbError;

/// Something that went wrong that the person should know about.
#[derive(Debug, Clone)]
pub(crate) enum AppError {
    /// The browser's own storage failed: what is on screen may not be kept.
    Storage(String),
    /// An edit was refused; nothing was written.
    Refused(Refusal),
    /// A document is not what the link said it was.
    Unreadable(String),
    /// The relay broke the protocol or refused us; the app reconnects.
    Relay(String),
    /// The relay refused edits of ours, saying `reason`: they were undone on this device.
    RelayRefused { reason: String },
    /// The browser's speech recognition failed (no microphone permission, no network...).
    Speech(String),
}

impl AppError {
    /// What the person reads, in their language (the technical detail of storage and relay
    /// failures is the browser's or the relay's own words).
    pub(crate) fn text(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        match self {
            AppError::Refused(refusal) => refusal.text(locale),
            AppError::Storage(e) if zh => format!("浏览器本地存储出错：{e}"),
            AppError::Storage(e) => format!("The browser's storage failed: {e}"),
            AppError::Unreadable(e) if zh => format!("无法读取这个文档：{e}"),
            AppError::Unreadable(e) => format!("This document cannot be read: {e}"),
            AppError::Speech(e) if zh => format!("语音识别没有成功（{e}），可以直接输入"),
            AppError::Speech(e) => format!("Speech recognition did not work ({e}); type the task instead"),
            AppError::Relay(e) if zh => format!("与服务器的连接出错，正在重连：{e}"),
            AppError::Relay(e) => format!("The relay connection failed and is being retried: {e}"),
            AppError::RelayRefused { reason } if zh => {
                format!("服务器拒绝了你的修改（{reason}），已在本机撤销。请向管理员确认你的角色。")
            }
            AppError::RelayRefused { reason } => format!(
                "The relay refused your edits ({reason}); they were undone on this device. Ask an admin about your role."
            ),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Locale::En))
    }
}

impl From<IdbError> for AppError {
    fn from(e: IdbError) -> Self {
        AppError::Storage(e.to_string())
    }
}

impl From<FinanceError> for AppError {
    fn from(e: FinanceError) -> Self {
        AppError::Refused(Refusal::Finance(e))
    }
}

impl From<CommandError> for AppError {
    fn from(e: CommandError) -> Self {
        AppError::Refused(Refusal::from(&e))
    }
}

impl From<WorkspaceError> for AppError {
    fn from(e: WorkspaceError) -> Self {
        AppError::Refused(Refusal::from(&e))
    }
}

impl From<NotReadable> for AppError {
    fn from(e: NotReadable) -> Self {
        AppError::Unreadable(e.to_string())
    }
}

/// The latest error, until the person dismisses it.
#[derive(Clone, Copy)]
pub(crate) struct Errors(pub(crate) RwSignal<Option<AppError>>);

impl Errors {
    pub(crate) fn report(&self, error: impl Into<AppError>) {
        let error = error.into();
        leptos::logging::warn!("{error}");
        self.0.set(Some(error));
    }
}

pub(crate) fn provide_errors() -> Errors {
    let errors = Errors(RwSignal::new(None));
    provide_context(errors);
    errors
}
