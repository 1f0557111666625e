//! What went wrong, typed, for the person to read: one banner shows the latest.

use launchplan_shared::domain::WorkspaceError;
use launchplan_shared::domain::commands::CommandError;
use launchplan_shared::domain::read::NotReadable;
use leptos::prelude::*;

use crate::store::IdbError;

/// Something that went wrong that the person should know about.
#[derive(Debug, Clone)]
pub(crate) enum AppError {
    /// The browser's own storage failed: what is on screen may not be kept.
    Storage(String),
    /// An edit was refused; nothing was written.
    Refused(String),
    /// A document is not what the link said it was.
    Unreadable(String),
    /// The relay broke the protocol or refused us; the app reconnects.
    Relay(String),
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Storage(e) | AppError::Refused(e) | AppError::Unreadable(e) | AppError::Relay(e) => {
                f.write_str(e)
            }
        }
    }
}

impl From<IdbError> for AppError {
    fn from(e: IdbError) -> Self {
        AppError::Storage(e.to_string())
    }
}

impl From<CommandError> for AppError {
    fn from(e: CommandError) -> Self {
        AppError::Refused(e.to_string())
    }
}

impl From<WorkspaceError> for AppError {
    fn from(e: WorkspaceError) -> Self {
        AppError::Refused(e.to_string())
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
