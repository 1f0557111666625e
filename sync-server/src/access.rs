//! Which workspace each document belongs to, who is in each workspace with which roles, and
//! so what a signed-in account may do with a document.
//!
//! A document is placed once and for good (sled tree `placement`):
//! - a new document goes to the account that first writes it (`Pending`): nobody else sees
//!   it yet;
//! - one whose content is a workspace with that account as an owner becomes a `Workspace`;
//! - a pending one listed in a workspace's plans by a member becomes that workspace's `Plan`.
//!   The first workspace to list it keeps it: listing another workspace's document id gains
//!   nothing.
//! - a plan's companions (ids derived from the plan's, [`DocumentId::companion`]) are placed
//!   with it: its `Finance` document, which only finance members have, and its `Comments`,
//!   which members may write even where they may not write the plan.
//!
//! Members and roles are read from each workspace document whenever it changes; the
//! connections hear of it (`changed`) and close where access was lost.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use automerge::{Automerge, ReadDoc};
use launchplan_shared::domain::Role;
use launchplan_shared::domain::permissions::{Part, WriteRule, may_change, may_comment, may_see_finance};
use launchplan_shared::domain::read::read_workspace;
use launchplan_shared::{Companion, DocumentId, MemberId};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::audit::AuditLog;
use crate::storage::{Storage, StorageError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Placement {
    /// Written by `creator` and nobody else knows of it yet.
    Pending {
        creator: MemberId,
    },
    Workspace,
    Plan {
        workspace: DocumentId,
    },
    /// A plan's budget and costs: only members with the finance role have it.
    Finance {
        workspace: DocumentId,
    },
    /// The comments on a plan's tasks.
    Comments {
        workspace: DocumentId,
    },
}

impl Placement {
    fn of_companion(companion: Companion, workspace: DocumentId) -> Self {
        match companion {
            Companion::Finance => Self::Finance { workspace },
            Companion::Comments => Self::Comments { workspace },
        }
    }

    /// The workspace this document is in, once placed in one.
    pub(crate) fn workspace(self, doc: DocumentId) -> Option<DocumentId> {
        match self {
            Self::Pending { .. } => None,
            Self::Workspace => Some(doc),
            Self::Plan { workspace } | Self::Finance { workspace } | Self::Comments { workspace } => {
                Some(workspace)
            }
        }
    }
}

/// What an account may do with a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Grant {
    /// Nothing: answered as for a document that does not exist.
    Unavailable,
    /// A document nobody has placed and the relay does not hold: whoever writes it first
    /// owns it until a workspace lists it.
    Claimable,
    /// Read it, and write what the rule allows.
    Open(WriteRule),
}

/// A workspace's members and their roles, as last read.
#[derive(Debug, Clone, Default)]
struct View {
    members: HashMap<MemberId, Vec<Role>>,
    viewers_may_comment: bool,
    /// For the audit log: who a member was, once they are gone.
    names: HashMap<MemberId, String>,
}

impl View {
    /// Whether what access depends on differs.
    fn grants_differ(&self, other: &Self) -> bool {
        self.members != other.members || self.viewers_may_comment != other.viewers_may_comment
    }

    /// What changed in the membership from `self` to `next`, as audit lines.
    fn member_changes(&self, next: &Self) -> Vec<(&'static str, String)> {
        let name = |id: &MemberId| {
            next.names.get(id).or_else(|| self.names.get(id)).cloned().unwrap_or_else(|| id.to_string())
        };
        let mut lines = Vec::new();
        for (id, roles) in &next.members {
            match self.members.get(id) {
                None => lines.push(("member added", format!("{} ({id}) as {roles:?}", name(id)))),
                Some(before) if before != roles => {
                    lines.push(("roles changed", format!("{} ({id}): {before:?} → {roles:?}", name(id))));
                }
                Some(_) => {}
            }
        }
        for id in self.members.keys().filter(|id| !next.members.contains_key(id)) {
            lines.push(("member removed", format!("{} ({id})", name(id))));
        }
        if self.viewers_may_comment != next.viewers_may_comment {
            let allowed = if next.viewers_may_comment { "allowed" } else { "not allowed" };
            lines.push(("settings changed", format!("viewers' comments {allowed}")));
        }
        lines.sort();
        lines
    }
}

pub(crate) struct Access {
    tree: sled::Tree,
    placements: RwLock<HashMap<DocumentId, Placement>>,
    views: RwLock<HashMap<DocumentId, View>>,
    /// Bumped whenever placements or views change: connections check what they hold again.
    changed: watch::Sender<u64>,
    audit: AuditLog,
}

impl Access {
    /// Reads every placement, and every workspace's members from storage.
    pub(crate) fn open(
        storage: &Storage,
        relay: &launchplan_shared::PeerId,
        audit: AuditLog,
    ) -> Result<Self, StorageError> {
        let tree = storage.database().open_tree("placement")?;
        let mut placements = HashMap::new();
        for entry in tree.iter() {
            let (key, value) = entry?;
            let (Ok(bytes), Ok(placement)) =
                (<[u8; 16]>::try_from(key.as_ref()), serde_json::from_slice::<Placement>(&value))
            else {
                continue;
            };
            placements.insert(DocumentId::from_bytes(bytes), placement);
        }
        let access = Self {
            tree,
            placements: RwLock::new(placements),
            views: RwLock::new(HashMap::new()),
            changed: watch::Sender::new(0),
            audit,
        };
        let workspaces: Vec<DocumentId> = access
            .placements
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|(_, p)| **p == Placement::Workspace)
            .map(|(doc, _)| *doc)
            .collect();
        for workspace in workspaces {
            let chunks = storage.load_now(workspace)?;
            let engine = launchplan_shared::sync::DocEngine::load(workspace, relay.clone(), chunks).engine;
            access.document_changed(workspace, engine.doc(), None)?;
        }
        Ok(access)
    }

    /// Hears of every change to placements and members.
    pub(crate) fn changes(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    pub(crate) fn placement(&self, doc: DocumentId) -> Option<Placement> {
        self.placements.read().unwrap_or_else(PoisonError::into_inner).get(&doc).copied()
    }

    /// What `account` may do with `doc`; `stored` says whether the relay holds anything of
    /// a document nobody has placed.
    pub(crate) fn grant(&self, account: MemberId, doc: DocumentId, stored: impl FnOnce() -> bool) -> Grant {
        let placement = match self.placement(doc) {
            None if stored() => return Grant::Unavailable,
            None => return Grant::Claimable,
            Some(Placement::Pending { creator }) if creator == account => {
                return Grant::Open(WriteRule::Everything);
            }
            Some(placement) => placement,
        };
        let Some(workspace) = placement.workspace(doc) else { return Grant::Unavailable };
        let views = self.views.read().unwrap_or_else(PoisonError::into_inner);
        let Some(view) = views.get(&workspace) else { return Grant::Unavailable };
        let Some(roles) = view.members.get(&account) else { return Grant::Unavailable };
        let rule = match placement {
            Placement::Pending { .. } => return Grant::Unavailable,
            Placement::Workspace => WriteRule::for_workspace(roles),
            Placement::Plan { .. } => WriteRule::for_plan(roles),
            Placement::Finance { .. } if may_see_finance(roles) => WriteRule::Everything,
            Placement::Finance { .. } => return Grant::Unavailable,
            // Whoever may change a task's words keeps all comments (and moves old ones out of
            // the plan, whoever wrote them); other members who may comment write their own.
            Placement::Comments { .. } if may_change(roles, Part::Content) => WriteRule::Everything,
            Placement::Comments { .. } if may_comment(roles, view.viewers_may_comment) => {
                WriteRule::CommentsBy(account)
            }
            Placement::Comments { .. } => WriteRule::Nothing,
        };
        Grant::Open(rule)
    }

    /// Whether `account` may read `doc` now ([`Access::grant`] short of `Unavailable`, for a
    /// document someone placed), without building what they may write.
    pub(crate) fn may_read(&self, account: MemberId, doc: DocumentId) -> bool {
        let Some(placement) = self.placement(doc) else { return false };
        if let Placement::Pending { creator } = placement {
            return creator == account;
        }
        let Some(workspace) = placement.workspace(doc) else { return false };
        let views = self.views.read().unwrap_or_else(PoisonError::into_inner);
        let Some(roles) = views.get(&workspace).and_then(|view| view.members.get(&account)) else {
            return false;
        };
        !matches!(placement, Placement::Finance { .. }) || may_see_finance(roles)
    }

    /// `account` writes `doc` first: it is theirs until a workspace lists it.
    pub(crate) fn claim(&self, doc: DocumentId, account: MemberId) -> Result<(), StorageError> {
        let mut placements = self.placements.write().unwrap_or_else(PoisonError::into_inner);
        if placements.contains_key(&doc) {
            return Ok(());
        }
        self.place(&mut placements, doc, Placement::Pending { creator: account })
    }

    /// The roles `account` has in `workspace`, if they are a member.
    pub(crate) fn roles(&self, workspace: DocumentId, account: MemberId) -> Option<Vec<Role>> {
        let views = self.views.read().unwrap_or_else(PoisonError::into_inner);
        views.get(&workspace)?.members.get(&account).cloned()
    }

    /// `doc` changed to `content`, by `by` (`None`: the relay itself, or reading what is
    /// stored at start): a workspace (or what its creator is making one) is read again, and
    /// the plans it lists are placed in it. Connections hear of it only when members, roles
    /// or places changed, not on every edit of the workspace. Members joining, leaving or
    /// changing roles by someone's change go into the audit log.
    pub(crate) fn document_changed(
        &self,
        doc: DocumentId,
        content: &Automerge,
        by: Option<MemberId>,
    ) -> Result<(), StorageError> {
        let creator = match self.placement(doc) {
            Some(Placement::Workspace) => None,
            // Most pending documents are plans not listed yet: a look at the root spares
            // reading them whole on every change.
            Some(Placement::Pending { creator })
                if matches!(content.get(automerge::ROOT, "members"), Ok(Some(_))) =>
            {
                Some(creator)
            }
            _ => return Ok(()),
        };
        let Ok(read) = read_workspace(content) else { return Ok(()) };
        let members: HashMap<MemberId, Vec<Role>> =
            read.workspace.members.iter().map(|(id, m)| (*id, m.roles.clone())).collect();
        let mut placements = self.placements.write().unwrap_or_else(PoisonError::into_inner);
        let mut changed = false;
        if let Some(creator) = creator {
            if !members.get(&creator).is_some_and(|roles| roles.contains(&Role::Owner)) {
                return Ok(());
            }
            self.place(&mut placements, doc, Placement::Workspace)?;
            changed = true;
        }
        let claimable =
            |placements: &HashMap<DocumentId, Placement>, doc: DocumentId| match placements.get(&doc) {
                None => true,
                Some(Placement::Pending { creator }) => members.contains_key(creator),
                Some(_) => false,
            };
        for plan in read.workspace.projects.keys().filter_map(|id| id.parse::<DocumentId>().ok()) {
            if claimable(&placements, plan) {
                self.place(&mut placements, plan, Placement::Plan { workspace: doc })?;
                changed = true;
            }
            if placements.get(&plan) != Some(&Placement::Plan { workspace: doc }) {
                continue;
            }
            for companion in Companion::ALL {
                let companion_doc = plan.companion(companion);
                if claimable(&placements, companion_doc) {
                    self.place(&mut placements, companion_doc, Placement::of_companion(companion, doc))?;
                    changed = true;
                }
            }
        }
        drop(placements);
        let view = View {
            members,
            viewers_may_comment: read.workspace.settings.viewers_may_comment,
            names: read.workspace.members.iter().map(|(id, m)| (*id, m.name.clone())).collect(),
        };
        let mut views = self.views.write().unwrap_or_else(PoisonError::into_inner);
        let before = views.insert(doc, view);
        let view = &views[&doc];
        let lines = match (&before, by) {
            (Some(before), Some(_)) => before.member_changes(view),
            _ => Vec::new(),
        };
        changed |= before.is_none_or(|before| before.grants_differ(view));
        drop(views);
        for (action, detail) in lines {
            self.audit.record(by, Some(doc), action, &detail, crate::api::now_ms())?;
        }
        if changed {
            self.changed.send_modify(|n| *n += 1);
        }
        Ok(())
    }

    fn place(
        &self,
        placements: &mut HashMap<DocumentId, Placement>,
        doc: DocumentId,
        placement: Placement,
    ) -> Result<(), StorageError> {
        self.tree.insert(doc.as_bytes(), serde_json::to_vec(&placement).expect("placements serialize"))?;
        self.tree.flush()?;
        placements.insert(doc, placement);
        Ok(())
    }
}
