//! The workspace on screen: its people, roles, plans and settings, read from its document
//! (small, so read whole on each change), and the one way to change it.

use std::rc::Rc;

use launchplan_shared::domain::read::{ReadProblem, read_workspace};
use launchplan_shared::domain::{Member, Workspace, WorkspaceCommand, create_workspace};
use launchplan_shared::{DocumentId, MemberId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use super::repo::{DocEvent, Watch};
use super::{Errors, Identity, RelayAccount, RepoCtx};

/// Where opening a workspace stands.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Loading {
    Opening,
    /// Nobody has sent the relay this document yet.
    Waiting,
    Ready,
    Unreadable(String),
}

pub(crate) struct WorkspaceService {
    pub(crate) doc: DocumentId,
    repo: RepoCtx,
    errors: Errors,
    me: MemberId,
    pub(crate) loading: RwSignal<Loading>,
    pub(crate) workspace: RwSignal<Option<Workspace>>,
    pub(crate) problems: RwSignal<Vec<ReadProblem>>,
    /// Whether the relay enforces roles and who it says is signed in.
    account: Option<RelayAccount>,
    _watch: Watch,
}

super::shared_service!(
    /// The workspace on screen, shared by the components.
    WorkspaceCtx => WorkspaceService
);

impl WorkspaceCtx {
    /// Shows workspace `doc`, opening it from storage or the relay.
    pub(crate) fn open(doc: DocumentId, repo: RepoCtx, identity: Identity, errors: Errors) -> Self {
        let loading = RwSignal::new(Loading::Opening);
        let workspace = RwSignal::new(None);
        let problems = RwSignal::new(Vec::new());
        let watch = repo.0.watch(
            doc,
            Rc::new(move |am, event| match event {
                DocEvent::Changed { .. } => read_into(am, loading, workspace, problems),
                DocEvent::Unavailable if workspace.get_untracked().is_none() => loading.set(Loading::Waiting),
                DocEvent::Unavailable | DocEvent::Rewound => {}
            }),
        );
        let service = Rc::new(WorkspaceService {
            doc,
            repo: repo.clone(),
            errors,
            me: identity.member,
            loading,
            workspace,
            problems,
            account: use_context::<RelayAccount>(),
            _watch: watch,
        });
        let opener = SendWrapper::new(Rc::clone(&service));
        spawn_local(async move {
            opener.repo.open(doc).await;
            if opener.repo.with_doc(doc, |am| !am.get_heads().is_empty()) == Some(true) {
                opener.repo.with_doc(doc, |am| read_into(am, loading, workspace, problems));
            }
        });
        WorkspaceCtx(SendWrapper::new(service))
    }

    /// Makes a new workspace with this person as its owner and only member.
    pub(crate) fn create(
        repo: &RepoCtx,
        identity: Identity,
        name: &str,
    ) -> Result<DocumentId, super::AppError> {
        let mut workspace = Workspace::new(name);
        let mut me = Member::new(identity.name.get_untracked(), vec![launchplan_shared::domain::Role::Owner]);
        me.id = identity.member;
        workspace.add_member(me);
        Ok(repo.create(|tx| create_workspace(tx, &workspace))?)
    }
}

fn read_into(
    am: &automerge::Automerge,
    loading: RwSignal<Loading>,
    workspace: RwSignal<Option<Workspace>>,
    problems: RwSignal<Vec<ReadProblem>>,
) {
    match read_workspace(am) {
        Ok(read) => {
            if workspace.with_untracked(|w| w.as_ref() != Some(&read.workspace)) {
                workspace.set(Some(read.workspace));
            }
            if problems.with_untracked(|p| *p != read.problems) {
                problems.set(read.problems);
            }
            if loading.get_untracked() != Loading::Ready {
                loading.set(Loading::Ready);
            }
        }
        Err(e) => loading.set(Loading::Unreadable(e.to_string())),
    }
}

impl WorkspaceService {
    /// Applies a command; on failure nothing changes and the person is told why.
    pub(crate) fn dispatch(&self, command: WorkspaceCommand) -> bool {
        match self.repo.change(self.doc, |tx| command.apply(tx)) {
            Some(Ok(_)) => true,
            Some(Err(e)) => {
                self.errors.report(e);
                false
            }
            None => false,
        }
    }

    /// This person, if they are a member.
    pub(crate) fn me(&self) -> Option<Member> {
        self.workspace.with(|w| w.as_ref().and_then(|w| w.members.get(&self.me).cloned()))
    }

    pub(crate) fn my_id(&self) -> MemberId {
        self.me
    }

    /// Whether this person, signed in on a relay that enforces roles, is not (or no longer)
    /// among the members of the workspace as read (tracked): nothing of it is theirs to change.
    pub(crate) fn outsider(&self) -> bool {
        self.account.is_some_and(|a| a.auth.get() == Some(true) && a.account.get().is_some())
            && self.loading.get() == Loading::Ready
            && self.me().is_none()
    }

    /// Whether this person may change `part` of the workspace (tracked): its plans and
    /// templates for editors up, its team for owners and admins. Someone not listed is held
    /// back only where the relay enforces roles ([`WorkspaceService::outsider`]); elsewhere
    /// (a plan shared by link, a relay that enforces nothing) nothing would refuse them.
    pub(crate) fn may(&self, part: launchplan_shared::domain::permissions::Part) -> bool {
        match self.me() {
            Some(me) => launchplan_shared::domain::permissions::may_change(&me.roles, part),
            None => !self.outsider(),
        }
    }
}

/// Members' names as the screen shows them (tracked), with a word for someone who is no
/// longer a member.
pub(crate) fn member_names(
    workspace: RwSignal<Option<Workspace>>,
) -> impl Fn(MemberId) -> String + Copy + Send + Sync + 'static {
    let t = super::use_strings();
    move |member| {
        workspace
            .with(|w| w.as_ref().and_then(|w| w.members.get(&member)).map(|m| m.name.clone()))
            .unwrap_or_else(|| t().someone.to_owned())
    }
}

/// The workspace's members as (id, name), by name: what member pickers list.
pub(crate) fn members_by_name(workspace: RwSignal<Option<Workspace>>) -> Memo<Vec<(MemberId, String)>> {
    Memo::new(move |_| {
        workspace.with(|w| {
            let mut people: Vec<(MemberId, String)> = w
                .as_ref()
                .map(|w| w.members.values().map(|m| (m.id, m.name.clone())).collect())
                .unwrap_or_default();
            people.sort_by(|a, b| a.1.cmp(&b.1));
            people
        })
    })
}
