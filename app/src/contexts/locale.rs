use leptos::prelude::*;

use crate::i18n::{Locale, Strings};

const STORAGE_KEY: &str = "launchplan.locale";

/// The language the person reads, remembered in localStorage.
#[derive(Clone, Copy)]
pub(crate) struct LocaleCtx(pub(crate) RwSignal<Locale>);

pub(crate) fn provide_locale() -> LocaleCtx {
    let window = web_sys::window();
    let stored = window
        .as_ref()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let browser = window.as_ref().and_then(|w| w.navigator().language());
    let locale = Locale::from_tag(stored.or(browser).as_deref().unwrap_or("zh-CN"));
    let ctx = LocaleCtx(RwSignal::new(locale));
    Effect::new(move |_| {
        let locale = ctx.0.get();
        if let Some(window) = web_sys::window() {
            if let Some(storage) = window.local_storage().ok().flatten() {
                let _ = storage.set_item(STORAGE_KEY, locale.tag());
            }
            if let Some(html) = window.document().and_then(|d| d.document_element()) {
                let _ = html.set_attribute("lang", locale.tag());
            }
        }
    });
    provide_context(ctx);
    ctx
}

/// The strings of the current language, reactively.
pub(crate) fn use_strings() -> impl Fn() -> &'static Strings + Copy + Send + Sync + 'static {
    let ctx = expect_context::<LocaleCtx>();
    move || ctx.0.get().strings()
}
