//! The browser's local copy of every plan: IndexedDB.

mod idb;

pub(crate) use idb::{Idb, IdbError, KnownProject};
