//! Launchplan's shared core: the domain model and its Automerge mapping, the automerge-repo
//! wire protocol, and the sans-IO sync engine that the browser app and the relay both drive.
//!
//! Nothing in this crate does IO. It builds for `wasm32-unknown-unknown` and native alike.

pub mod blob;
pub mod domain;
pub mod ids;
pub mod plan;
pub mod protocol;
pub mod sync;

pub use ids::{
    Companion, DocumentId, IdMap, ItemId, MemberId, MilestoneId, ParseIdError, PeerId, PhaseId, TaskId,
};
