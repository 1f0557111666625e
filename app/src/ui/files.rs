//! Files in and out of the browser: offering a text as a download, and reading a file a
//! person picked as text.

use js_sys::Uint8Array;
use leptos::prelude::set_timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `text` as a file named `name` of type `mime`.
pub(crate) fn download(name: &str, text: &str, mime: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(link) = link {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    // Let go of the file once the browser has taken it.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(5));
}

/// The text of `file`: UTF-8 (with or without a byte-order mark), else GB18030, which Excel
/// writes in Chinese locales (and which covers GBK and GB2312). The browser decodes it.
pub(crate) async fn read_text(file: &web_sys::File) -> Result<String, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| format!("{e:?}"))?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    if let Ok(text) = std::str::from_utf8(&bytes) {
        return Ok(text.trim_start_matches('\u{feff}').to_owned());
    }
    let options = web_sys::TextDecoderOptions::new();
    options.set_fatal(true);
    let decoder = web_sys::TextDecoder::new_with_label_and_options("gb18030", &options)
        .map_err(|e| format!("{e:?}"))?;
    decoder.decode_with_u8_array(&bytes).map_err(|_| "neither UTF-8 nor GB18030".to_owned())
}

/// `name` made safe as a file name on every system (else `fallback`).
pub(crate) fn file_name(name: &str, fallback: &str) -> String {
    let cleaned: String =
        name.chars().map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c }).collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() { fallback.to_owned() } else { cleaned.to_owned() }
}
