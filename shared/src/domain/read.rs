//! Reading documents in one pass, and forgivingly.
//!
//! Automerge's own `hydrate` turns a document (or one object in it) into a value tree in a
//! single walk; the readers here turn that tree into domain types. Reading field by field
//! through autosurgeon costs one lookup per field (about 8 µs each on a big document), which
//! makes a 10,000-task plan take seconds to open; one walk takes a fraction of that.
//!
//! Other automerge peers write the same JSON shape with their own habits: the JavaScript
//! library stores whole numbers as signed `int` and strings sometimes as text objects. So
//! numbers are read whether stored as `int`, `uint`, an integral `f64` or a timestamp, and
//! strings whether stored as strings or text. A field that still cannot be read takes its
//! default and is reported as a [`ReadProblem`] naming it: one bad field never takes the
//! rest of the plan away.

mod project;
mod task;
mod values;
mod walk;
mod workspace;

pub use project::{ProjectRead, read_list, read_meta, read_project, read_project_value};
pub use task::{TaskRead, read_task, read_task_at};
pub(crate) use values::Strict;
pub use values::{FromValue, Wrong};
pub use walk::{MapEntries, entries, walk};
pub(crate) use workspace::read_member;
pub use workspace::{WorkspaceRead, read_workspace, read_workspace_value};

use automerge::hydrate::{Map, Value};

/// A field that could not be read, and why, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReadProblem {
    /// Where it is: `tasks/<id>/duration_days`, `meta/launch`, `members/<id>/roles`.
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// Why a document cannot be read as what it was opened as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotReadable {
    #[error("this document is not a {kind}: it has no `{field}`")]
    Missing { kind: &'static str, field: &'static str },
}

/// The entries of one map object: a hydrated map, or entries walked straight from the
/// document (see [`walk::entries`]).
pub(crate) trait Entries {
    fn entry(&self, key: &str) -> Option<&Value>;
}

impl Entries for Map {
    fn entry(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }
}

/// Reads the fields of one map, forgivingly: a field that cannot be read takes its default
/// and is recorded as a problem under `path`.
pub(crate) struct Fields<'a> {
    map: &'a dyn Entries,
    path: String,
    pub(crate) problems: Vec<ReadProblem>,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(map: &'a dyn Entries, path: impl Into<String>) -> Self {
        Self { map, path: path.into(), problems: Vec::new() }
    }

    /// A field that may be missing (documents written before it existed): missing or null
    /// gives the default.
    pub(crate) fn get<T: FromValue + Default>(&mut self, key: &str) -> T {
        self.get_or(key, T::default)
    }

    /// Like [`Fields::get`], with its own default.
    pub(crate) fn get_or<T: FromValue>(&mut self, key: &str, default: impl FnOnce() -> T) -> T {
        match self.map.entry(key) {
            None | Some(Value::Scalar(automerge::ScalarValue::Null)) => default(),
            Some(value) => self.read(key, value).unwrap_or_else(default),
        }
    }

    /// A field every such object has: missing is a problem too.
    pub(crate) fn need<T: FromValue>(&mut self, key: &str, fallback: impl FnOnce() -> T) -> T {
        match self.map.entry(key) {
            None => {
                self.problem(key, "it is missing".into());
                fallback()
            }
            Some(value) => self.read(key, value).unwrap_or_else(fallback),
        }
    }

    fn read<T: FromValue>(&mut self, key: &str, value: &Value) -> Option<T> {
        match T::from_value(value) {
            Ok(v) => Some(v),
            Err(wrong) => {
                self.problem(key, wrong.0);
                None
            }
        }
    }

    fn problem(&mut self, key: &str, reason: String) {
        let field = if self.path.is_empty() { key.to_owned() } else { format!("{}/{key}", self.path) };
        self.problems.push(ReadProblem { field, reason });
    }
}

/// Whether some task of the plan `doc` has the file `hash` (hex sha256) attached: the relay
/// gives a file only to those who may read a plan that holds it. One look per task, without
/// reading the tasks whole.
pub fn plan_attaches<D: automerge::ReadDoc>(doc: &D, hash: &str) -> bool {
    use automerge::{ObjType, ROOT, Value as Found};
    let object = |obj: &automerge::ObjId, key: &str, kind: ObjType| match doc.get(obj, key) {
        Ok(Some((Found::Object(found), id))) if found == kind => Some(id),
        _ => None,
    };
    let Some(tasks) = object(&ROOT, "tasks", ObjType::Map) else { return false };
    doc.keys(&tasks).any(|task| {
        let Some(task) = object(&tasks, &task, ObjType::Map) else { return false };
        let Some(files) = object(&task, "attachments", ObjType::List) else { return false };
        (0..doc.length(&files)).any(|i| match doc.get(&files, i) {
            Ok(Some((Found::Object(ObjType::Map), file))) => {
                doc.get(&file, "hash").ok().flatten().is_some_and(|(value, _)| value.as_str() == Some(hash))
            }
            _ => false,
        })
    })
}
