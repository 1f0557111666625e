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
//!
//! Members and roles are read from each workspace document whenever it changes; the
//! connections hear of it (`changed`) and close where access was lost.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use automerge::{Automerge, ReadDoc};
use launchplan_shared::domain::Role;
use launchplan_shared::domain::permissions::WriteRule;
use launchplan_shared::domain::read::read_workspace;
use launchplan_shared::{DocumentId, MemberId};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

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
#[derive(Debug, Clone, Default, PartialEq)]
struct View {
    members: HashMap<MemberId, Vec<Role>>,
}

pub(crate) struct Access {
    tree: sled::Tree,
    placements: RwLock<HashMap<DocumentId, Placement>>,
    views: RwLock<HashMap<DocumentId, View>>,
    /// Bumped whenever placements or views change: connections check what they hold again.
    changed: watch::Sender<u64>,
}

impl Access {
    /// Reads every placement, and every workspace's members from storage.
    pub(crate) fn open(storage: &Storage, relay: &launchplan_shared::PeerId) -> Result<Self, StorageError> {
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
            access.document_changed(workspace, engine.doc())?;
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
        let roles = |workspace: DocumentId| {
            self.views
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&workspace)
                .and_then(|view| view.members.get(&account).cloned())
        };
        match self.placement(doc) {
            None if stored() => Grant::Unavailable,
            None => Grant::Claimable,
            Some(Placement::Pending { creator }) if creator == account => Grant::Open(WriteRule::Everything),
            Some(Placement::Pending { .. }) => Grant::Unavailable,
            Some(Placement::Workspace) => {
                roles(doc).map_or(Grant::Unavailable, |roles| Grant::Open(WriteRule::for_workspace(&roles)))
            }
            Some(Placement::Plan { workspace }) => {
                roles(workspace).map_or(Grant::Unavailable, |roles| Grant::Open(WriteRule::for_plan(&roles)))
            }
        }
    }

    /// Whether `account` may read `doc` now ([`Access::grant`] short of `Unavailable`, for a
    /// document someone placed), without building what they may write.
    pub(crate) fn may_read(&self, account: MemberId, doc: DocumentId) -> bool {
        let member_of = |workspace: DocumentId| {
            let views = self.views.read().unwrap_or_else(PoisonError::into_inner);
            views.get(&workspace).is_some_and(|view| view.members.contains_key(&account))
        };
        match self.placement(doc) {
            None => false,
            Some(Placement::Pending { creator }) => creator == account,
            Some(Placement::Workspace) => member_of(doc),
            Some(Placement::Plan { workspace }) => member_of(workspace),
        }
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

    /// `doc` changed to `content`: a workspace (or what its creator is making one) is read
    /// again, and the plans it lists are placed in it. Connections hear of it only when
    /// members, roles or places changed, not on every edit of the workspace.
    pub(crate) fn document_changed(&self, doc: DocumentId, content: &Automerge) -> Result<(), StorageError> {
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
        for plan in read.workspace.projects.keys().filter_map(|id| id.parse::<DocumentId>().ok()) {
            let claimable = match placements.get(&plan) {
                None => true,
                Some(Placement::Pending { creator }) => members.contains_key(creator),
                Some(_) => false,
            };
            if claimable {
                self.place(&mut placements, plan, Placement::Plan { workspace: doc })?;
                changed = true;
            }
        }
        drop(placements);
        let view = View { members };
        let mut views = self.views.write().unwrap_or_else(PoisonError::into_inner);
        if views.get(&doc) != Some(&view) {
            views.insert(doc, view);
            changed = true;
        }
        drop(views);
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
