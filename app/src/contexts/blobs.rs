//! Attachments. A file is kept in this browser (IndexedDB) first, then uploaded to the relay
//! under the sha256 of its bytes; one added offline is uploaded when the relay is back. A
//! teammate's file is fetched from the relay once, checked against its hash, and kept, so
//! that it opens offline afterwards.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use js_sys::Uint8Array;
use launchplan_shared::DocumentId;
use launchplan_shared::blob::BlobHash;
use launchplan_shared::domain::Attachment;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::http::fetch;
use super::{Connection, StorageCtx};
use crate::i18n::Locale;

/// The largest file we upload; the relay's default limit (`--max-blob-bytes`).
pub(crate) const MAX_BYTES: u64 = 25 * 1024 * 1024;

/// Why a file could not be added or opened.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BlobError {
    TooLarge(u64),
    /// Not in this browser, and the relay cannot be reached (or does not have it yet).
    Unavailable,
    /// The relay sent bytes that are not the file (they are not kept).
    Corrupt,
    Failed(String),
}

impl BlobError {
    pub(crate) fn text(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        match self {
            BlobError::TooLarge(size) if zh => format!("文件有 {}，超过了中继接受的大小", size_text(*size)),
            BlobError::TooLarge(size) => {
                format!("The file is {}, larger than the relay accepts", size_text(*size))
            }
            BlobError::Unavailable if zh => {
                "这个文件还不在本浏览器里，而中继暂时连不上（或上传者尚未联网上传）".into()
            }
            BlobError::Unavailable => {
                "This file is not in this browser yet, and the relay cannot be reached (or the uploader has not been online since)".into()
            }
            BlobError::Corrupt if zh => "中继返回的内容与文件不符，已丢弃".into(),
            BlobError::Corrupt => "The relay sent something other than this file; it was not kept".into(),
            BlobError::Failed(why) if zh => format!("附件出错：{why}"),
            BlobError::Failed(why) => format!("Attachment failed: {why}"),
        }
    }
}

/// A file's size as people read it.
pub(crate) fn size_text(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

fn failed(e: impl std::fmt::Display) -> BlobError {
    BlobError::Failed(e.to_string())
}

fn js_failed(e: JsValue) -> BlobError {
    BlobError::Failed(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

pub(crate) struct Blobs {
    storage: StorageCtx,
    /// Uploads under way, so that a retry does not start a second one.
    uploading: RefCell<BTreeSet<String>>,
    /// Files added here that the relay does not have yet.
    pub(crate) waiting: RwSignal<usize>,
}

super::shared_service!(
    /// Attachments, shared by the components.
    BlobsCtx => Blobs
);

impl Blobs {
    /// Starts the service; whenever the relay connection comes up, files still waiting are
    /// uploaded.
    pub(crate) fn start(storage: StorageCtx, connection: RwSignal<Connection>) -> BlobsCtx {
        let blobs = Rc::new(Blobs { storage, uploading: RefCell::default(), waiting: RwSignal::new(0) });
        let ctx = BlobsCtx(SendWrapper::new(blobs));
        let retry = ctx.clone();
        Effect::new(move |_| {
            if connection.get() == Connection::Online {
                let blobs = retry.clone();
                spawn_local(async move { blobs.upload_waiting().await });
            }
        });
        ctx
    }

    /// Keeps `file` here and uploads it; the attachment is ready to go into the plan even
    /// when the upload has to wait for the relay.
    pub(crate) async fn add(&self, file: &web_sys::File) -> Result<Attachment, BlobError> {
        let size = file.size() as u64;
        if size > MAX_BYTES {
            return Err(BlobError::TooLarge(size));
        }
        let buffer = JsFuture::from(file.array_buffer()).await.map_err(js_failed)?;
        let bytes = Uint8Array::new(&buffer).to_vec();
        let hash = BlobHash::of(&bytes).to_string();
        self.storage.idb().put_blob(&hash, &bytes, true).await.map_err(failed)?;
        self.waiting.update(|n| *n += 1);
        // Offline, it waits; but a relay that will never take it (smaller limit) says so now.
        if let Err(BlobError::TooLarge(_)) = self.upload(&hash, bytes).await {
            if self.storage.idb().delete_blob(&hash).await.is_ok() {
                self.waiting.update(|n| *n = n.saturating_sub(1));
            }
            return Err(BlobError::TooLarge(size));
        }
        Ok(Attachment { hash, name: file.name(), size, mime: file.type_() })
    }

    /// The bytes of `hash`, attached to the plan `doc`: from this browser, or fetched from the
    /// relay (which gives a file only to those who may read a plan that has it) and kept.
    pub(crate) async fn bytes(&self, doc: DocumentId, hash: &str) -> Result<Vec<u8>, BlobError> {
        let expected: BlobHash = hash.parse().map_err(failed)?;
        if let Some(bytes) = self.storage.idb().blob(hash).await.map_err(failed)? {
            return Ok(bytes);
        }
        let response = fetch("GET", &format!("/blobs/{expected}?doc={doc}"), None)
            .await
            .map_err(|_| BlobError::Unavailable)?;
        if response.status() == 404 {
            return Err(BlobError::Unavailable);
        }
        if !response.ok() {
            return Err(BlobError::Failed(format!("{} {}", response.status(), response.status_text())));
        }
        let buffer = JsFuture::from(response.array_buffer().map_err(js_failed)?).await.map_err(js_failed)?;
        let bytes = Uint8Array::new(&buffer).to_vec();
        if BlobHash::of(&bytes) != expected {
            return Err(BlobError::Corrupt);
        }
        self.storage.idb().put_blob(hash, &bytes, false).await.map_err(failed)?;
        Ok(bytes)
    }

    /// Uploads every file the relay does not have yet.
    async fn upload_waiting(&self) {
        let Ok(hashes) = self.storage.idb().uploads().await else { return };
        self.waiting.set(hashes.len());
        for hash in hashes {
            if let Ok(Some(bytes)) = self.storage.idb().blob(&hash).await {
                let _ = self.upload(&hash, bytes).await;
            }
        }
    }

    async fn upload(&self, hash: &str, bytes: Vec<u8>) -> Result<(), BlobError> {
        if !self.uploading.borrow_mut().insert(hash.to_owned()) {
            return Ok(());
        }
        let sent = fetch("PUT", &format!("/blobs/{hash}"), Some((&bytes, "application/octet-stream"))).await;
        self.uploading.borrow_mut().remove(hash);
        let response = sent.map_err(|_| BlobError::Unavailable)?;
        if response.status() == 413 {
            return Err(BlobError::TooLarge(bytes.len() as u64));
        }
        if !response.ok() {
            return Err(BlobError::Failed(format!("{} {}", response.status(), response.status_text())));
        }
        self.forget_upload(hash).await;
        Ok(())
    }

    /// No longer uploads `hash`: the relay has it, or will not take it.
    async fn forget_upload(&self, hash: &str) {
        if self.storage.idb().uploaded(hash).await.is_ok() {
            self.waiting.update(|n| *n = n.saturating_sub(1));
        }
    }
}

/// An object URL for `bytes` of type `mime`; revoke it when it is no longer shown.
pub(crate) fn object_url(bytes: &[u8], mime: &str) -> Result<String, BlobError> {
    let parts = js_sys::Array::of1(&Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(js_failed)?;
    web_sys::Url::create_object_url_with_blob(&blob).map_err(js_failed)
}
