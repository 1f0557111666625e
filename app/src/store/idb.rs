//! A small async layer over IndexedDB. Chunks of a document live in `chunks` under
//! `<document id>/<chunk key>`; `projects` remembers which plans this browser knows;
//! `sync-states` keeps, per document and relay storage, what we know we share with it;
//! `views` keeps the last view of each plan with the heads it was read at; `blobs` keeps
//! attachments by hash, and `uploads` the hashes of those the relay does not have yet.

use js_sys::{Array, Promise, Uint8Array};
use launchplan_shared::DocumentId;
use launchplan_shared::sync::{ChunkKey, StorageOp};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbKeyRange, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB_NAME: &str = "launchplan";
const DB_VERSION: u32 = 4;
const CHUNKS: &str = "chunks";
const PROJECTS: &str = "projects";
const SYNC_STATES: &str = "sync-states";
const VIEWS: &str = "views";
const BLOBS: &str = "blobs";
const UPLOADS: &str = "uploads";

/// Why the local store failed, in words for the person using the app.
#[derive(Debug, Clone)]
pub(crate) struct IdbError(pub(crate) String);

impl std::fmt::Display for IdbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "local storage failed: {}", self.0)
    }
}

impl From<JsValue> for IdbError {
    fn from(value: JsValue) -> Self {
        let text = value
            .dyn_ref::<web_sys::DomException>()
            .map(|e| format!("{}: {}", e.name(), e.message()))
            .or_else(|| value.as_string())
            .unwrap_or_else(|| format!("{value:?}"));
        IdbError(text)
    }
}

/// A plan this browser has opened, as the project list shows it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct KnownProject {
    pub(crate) id: DocumentId,
    pub(crate) name: String,
}

pub(crate) struct Idb {
    db: IdbDatabase,
}

impl Idb {
    pub(crate) async fn open() -> Result<Self, IdbError> {
        let window = web_sys::window().ok_or_else(|| IdbError("no window".into()))?;
        let factory = window.indexed_db()?.ok_or_else(|| IdbError("IndexedDB is not available".into()))?;
        let request = factory.open_with_u32(DB_NAME, DB_VERSION)?;
        let upgrade = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(
            move |event: web_sys::IdbVersionChangeEvent| {
                let Some(db) = event
                    .target()
                    .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                    .and_then(|r| r.result().ok())
                    .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
                else {
                    return;
                };
                let names = db.object_store_names();
                for store in [CHUNKS, PROJECTS, SYNC_STATES, VIEWS, BLOBS, UPLOADS] {
                    if !names.contains(store) {
                        let _ = db.create_object_store(store);
                    }
                }
            },
        );
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let db = request_result(&request).await?;
        drop(upgrade);
        Ok(Self { db: db.dyn_into()? })
    }

    /// Every stored chunk of `doc`.
    pub(crate) async fn load_chunks(&self, doc: DocumentId) -> Result<Vec<(ChunkKey, Vec<u8>)>, IdbError> {
        let rows = self.rows_of(CHUNKS, doc).await?;
        Ok(rows.into_iter().filter_map(|(name, bytes)| Some((ChunkKey::parse(&name)?, bytes))).collect())
    }

    /// The sync states kept for `doc`, by relay storage id.
    pub(crate) async fn load_sync_states(&self, doc: DocumentId) -> Result<Vec<(String, Vec<u8>)>, IdbError> {
        self.rows_of(SYNC_STATES, doc).await
    }

    pub(crate) async fn put_sync_state(
        &self,
        doc: DocumentId,
        storage_id: &str,
        state: &[u8],
    ) -> Result<(), IdbError> {
        let (tx, store) = self.store(SYNC_STATES, IdbTransactionMode::Readwrite)?;
        store.put_with_key(&Uint8Array::from(state), &JsValue::from_str(&format!("{doc}/{storage_id}")))?;
        committed(&tx).await
    }

    /// The view of `doc` kept last, with the heads it was read at.
    pub(crate) async fn view(&self, doc: DocumentId) -> Result<Option<(String, Vec<u8>)>, IdbError> {
        let (_, store) = self.store(VIEWS, IdbTransactionMode::Readonly)?;
        let record = request_result(&store.get(&JsValue::from_str(&doc.to_string()))?).await?;
        if record.is_undefined() {
            return Ok(None);
        }
        let heads = js_sys::Reflect::get(&record, &"heads".into())?.as_string().unwrap_or_default();
        let bytes = Uint8Array::new(&js_sys::Reflect::get(&record, &"view".into())?).to_vec();
        Ok(Some((heads, bytes)))
    }

    /// Keeps the view of `doc` read at `heads` (replacing the one kept before).
    pub(crate) async fn put_view(&self, doc: DocumentId, heads: &str, view: &[u8]) -> Result<(), IdbError> {
        let (tx, store) = self.store(VIEWS, IdbTransactionMode::Readwrite)?;
        let record = js_sys::Object::new();
        js_sys::Reflect::set(&record, &"heads".into(), &JsValue::from_str(heads))?;
        js_sys::Reflect::set(&record, &"view".into(), &Uint8Array::from(view))?;
        store.put_with_key(&record, &JsValue::from_str(&doc.to_string()))?;
        committed(&tx).await
    }

    /// The attachment stored under `hash`, if this browser has it.
    pub(crate) async fn blob(&self, hash: &str) -> Result<Option<Vec<u8>>, IdbError> {
        let (_, store) = self.store(BLOBS, IdbTransactionMode::Readonly)?;
        let bytes = request_result(&store.get(&JsValue::from_str(hash))?).await?;
        Ok((!bytes.is_undefined()).then(|| Uint8Array::new(&bytes).to_vec()))
    }

    /// Keeps an attachment; `upload` marks it as one the relay does not have yet.
    pub(crate) async fn put_blob(&self, hash: &str, bytes: &[u8], upload: bool) -> Result<(), IdbError> {
        let names = Array::of2(&BLOBS.into(), &UPLOADS.into());
        let tx = self.db.transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)?;
        let key = JsValue::from_str(hash);
        tx.object_store(BLOBS)?.put_with_key(&Uint8Array::from(bytes), &key)?;
        if upload {
            tx.object_store(UPLOADS)?.put_with_key(&JsValue::TRUE, &key)?;
        }
        committed(&tx).await
    }

    /// Drops the attachment `hash` (one the relay refused).
    pub(crate) async fn delete_blob(&self, hash: &str) -> Result<(), IdbError> {
        let names = Array::of2(&BLOBS.into(), &UPLOADS.into());
        let tx = self.db.transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)?;
        let key = JsValue::from_str(hash);
        tx.object_store(BLOBS)?.delete(&key)?;
        tx.object_store(UPLOADS)?.delete(&key)?;
        committed(&tx).await
    }

    /// The relay has the attachment `hash` now.
    pub(crate) async fn uploaded(&self, hash: &str) -> Result<(), IdbError> {
        let (tx, store) = self.store(UPLOADS, IdbTransactionMode::Readwrite)?;
        store.delete(&JsValue::from_str(hash))?;
        committed(&tx).await
    }

    /// Attachments added here that the relay does not have yet.
    pub(crate) async fn uploads(&self) -> Result<Vec<String>, IdbError> {
        let (_, store) = self.store(UPLOADS, IdbTransactionMode::Readonly)?;
        let keys = Array::from(&request_result(&store.get_all_keys()?).await?);
        Ok(keys.iter().filter_map(|k| k.as_string()).collect())
    }

    /// Every `<doc>/<name>` row of `store`, as (name, bytes).
    async fn rows_of(&self, store: &str, doc: DocumentId) -> Result<Vec<(String, Vec<u8>)>, IdbError> {
        let (_, store) = self.store(store, IdbTransactionMode::Readonly)?;
        let prefix = format!("{doc}/");
        // Every key of this document sorts between "<id>/" and "<id>/\u{ffff}".
        let range = IdbKeyRange::bound(
            &JsValue::from_str(&prefix),
            &JsValue::from_str(&format!("{prefix}\u{ffff}")),
        )?;
        let keys = request_result(&store.get_all_keys_with_key(&range)?).await?;
        let values = request_result(&store.get_all_with_key(&range)?).await?;
        let (keys, values) = (Array::from(&keys), Array::from(&values));
        let mut rows = Vec::with_capacity(keys.length() as usize);
        for (key, value) in keys.iter().zip(values.iter()) {
            let name = key.as_string().unwrap_or_default();
            let Some(name) = name.strip_prefix(&prefix) else { continue };
            rows.push((name.to_owned(), Uint8Array::new(&value).to_vec()));
        }
        Ok(rows)
    }

    /// Performs `op` in one transaction and returns once it has committed.
    pub(crate) async fn apply(&self, doc: DocumentId, op: &StorageOp) -> Result<(), IdbError> {
        let (tx, store) = self.store(CHUNKS, IdbTransactionMode::Readwrite)?;
        let key = |chunk: &ChunkKey| JsValue::from_str(&format!("{doc}/{chunk}"));
        match op {
            StorageOp::Put { key: chunk, bytes } => {
                store.put_with_key(&Uint8Array::from(bytes.as_slice()), &key(chunk))?;
            }
            // One transaction: the snapshot and the deletions commit together or not at all.
            StorageOp::Compact { key: chunk, bytes, replaces } => {
                store.put_with_key(&Uint8Array::from(bytes.as_slice()), &key(chunk))?;
                for old in replaces {
                    store.delete(&key(old))?;
                }
            }
        }
        committed(&tx).await
    }

    /// The plans this browser knows, in the order they were first opened.
    pub(crate) async fn projects(&self) -> Result<Vec<KnownProject>, IdbError> {
        let (_, store) = self.store(PROJECTS, IdbTransactionMode::Readonly)?;
        let values = Array::from(&request_result(&store.get_all()?).await?);
        let mut projects: Vec<(f64, KnownProject)> = values
            .iter()
            .filter_map(|v| {
                let id = js_sys::Reflect::get(&v, &"id".into()).ok()?.as_string()?.parse().ok()?;
                let name = js_sys::Reflect::get(&v, &"name".into()).ok()?.as_string()?;
                let added = js_sys::Reflect::get(&v, &"added".into()).ok()?.as_f64().unwrap_or(0.0);
                Some((added, KnownProject { id, name }))
            })
            .collect();
        projects.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok(projects.into_iter().map(|(_, p)| p).collect())
    }

    /// Remembers a plan (or its new name).
    pub(crate) async fn remember_project(&self, project: &KnownProject) -> Result<(), IdbError> {
        let (tx, store) = self.store(PROJECTS, IdbTransactionMode::Readwrite)?;
        let key = JsValue::from_str(&project.id.to_string());
        let existing = request_result(&store.get(&key)?).await?;
        let added = js_sys::Reflect::get(&existing, &"added".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or_else(js_sys::Date::now);
        let record = js_sys::Object::new();
        js_sys::Reflect::set(&record, &"id".into(), &key)?;
        js_sys::Reflect::set(&record, &"name".into(), &JsValue::from_str(&project.name))?;
        js_sys::Reflect::set(&record, &"added".into(), &JsValue::from_f64(added))?;
        store.put_with_key(&record, &key)?;
        committed(&tx).await
    }

    fn store(
        &self,
        name: &str,
        mode: IdbTransactionMode,
    ) -> Result<(IdbTransaction, IdbObjectStore), IdbError> {
        let tx = self.db.transaction_with_str_and_mode(name, mode)?;
        let store = tx.object_store(name)?;
        Ok((tx, store))
    }
}

/// Resolves with the request's result once it succeeds.
async fn request_result(request: &IdbRequest) -> Result<JsValue, IdbError> {
    let done = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(done)
        .await
        .map_err(|_| request.error().ok().flatten().map(JsValue::from).unwrap_or_default())?;
    Ok(request.result()?)
}

/// Resolves once the transaction has committed.
async fn committed(tx: &IdbTransaction) -> Result<(), IdbError> {
    let done = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    JsFuture::from(done).await.map_err(|_| tx.error().map(JsValue::from).unwrap_or_default())?;
    Ok(())
}
