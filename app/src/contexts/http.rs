//! Calls to the relay's HTTP API, same origin (the session cookie goes along).

use js_sys::Uint8Array;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// `method path` with `body` (its bytes and content type), never from the HTTP cache.
pub(crate) async fn fetch(
    method: &str,
    path: &str,
    body: Option<(&[u8], &str)>,
) -> Result<web_sys::Response, JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_cache(web_sys::RequestCache::NoStore);
    if let Some((bytes, content_type)) = body {
        init.set_body(&Uint8Array::from(bytes));
        let headers = js_sys::Object::new();
        js_sys::Reflect::set(&headers, &"Content-Type".into(), &content_type.into())?;
        init.set_headers(&headers);
    }
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let response = JsFuture::from(window.fetch_with_str_and_init(path, &init)).await?;
    response.dyn_into()
}

/// `method path` with `value` as its JSON body, and the answer read as JSON; the relay's own
/// words when it says no.
pub(crate) async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    value: Option<&serde_json::Value>,
) -> Result<T, String> {
    let body = value.map(|v| v.to_string());
    let response = fetch(method, path, body.as_deref().map(|b| (b.as_bytes(), "application/json")))
        .await
        .map_err(|e| format!("{e:?}"))?;
    let text = JsFuture::from(response.text().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("{e:?}"))?
        .as_string()
        .unwrap_or_default();
    if !response.ok() {
        return Err(format!("{} {}", response.status(), text));
    }
    let text = if text.is_empty() { "null" } else { &text };
    serde_json::from_str(text).map_err(|e| e.to_string())
}
