//! Who this person is: their member id and name, and the workspace they are in. Kept in
//! localStorage, which a private window has too (for as long as it is open).

use launchplan_shared::{DocumentId, MemberId};
use leptos::prelude::*;

const MEMBER_KEY: &str = "launchplan.member";
const NAME_KEY: &str = "launchplan.name";
const WORKSPACE_KEY: &str = "launchplan.workspace";
const WORKSPACES_KEY: &str = "launchplan.workspaces";

#[derive(Clone, Copy)]
pub(crate) struct Identity {
    /// This person's id in every workspace they join.
    pub(crate) member: MemberId,
    /// The name others see.
    pub(crate) name: RwSignal<String>,
    /// The workspace on screen.
    pub(crate) workspace: RwSignal<Option<DocumentId>>,
    /// Every workspace this browser has been in.
    pub(crate) workspaces: RwSignal<Vec<DocumentId>>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn get(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

fn set(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
}

pub(crate) fn provide_identity() -> Identity {
    let member = match get(MEMBER_KEY).and_then(|m| m.parse().ok()) {
        Some(member) => member,
        None => {
            let member = MemberId::random();
            set(MEMBER_KEY, &member.to_string());
            member
        }
    };
    let name = get(NAME_KEY).unwrap_or_else(|| {
        let name =
            format!("{} {}", crate::i18n::guest_word(), (js_sys::Math::random() * 9000.0) as u32 + 1000);
        set(NAME_KEY, &name);
        name
    });
    let workspaces: Vec<DocumentId> =
        get(WORKSPACES_KEY).unwrap_or_default().split(',').filter_map(|id| id.parse().ok()).collect();
    let identity = Identity {
        member,
        name: RwSignal::new(name),
        workspace: RwSignal::new(get(WORKSPACE_KEY).and_then(|w| w.parse().ok())),
        workspaces: RwSignal::new(workspaces),
    };
    provide_context(identity);
    identity
}

impl Identity {
    /// Renames this person (kept here; the workspace and presence follow).
    pub(crate) fn set_name(&self, name: &str) -> Option<String> {
        let name: String = name.trim().chars().take(60).collect();
        if name.is_empty() {
            return None;
        }
        set(NAME_KEY, &name);
        self.name.set(name.clone());
        Some(name)
    }

    /// Makes `workspace` the one on screen, remembering it.
    pub(crate) fn enter(&self, workspace: DocumentId) {
        set(WORKSPACE_KEY, &workspace.to_string());
        self.workspace.set(Some(workspace));
        if !self.workspaces.with_untracked(|all| all.contains(&workspace)) {
            self.workspaces.update(|all| all.push(workspace));
            let list: Vec<String> =
                self.workspaces.with_untracked(|all| all.iter().map(|w| w.to_string()).collect());
            set(WORKSPACES_KEY, &list.join(","));
        }
    }
}
