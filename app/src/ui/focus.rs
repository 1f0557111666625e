use leptos::html::Input;
use leptos::prelude::*;

/// A field that takes the keyboard as it appears, its text selected (a title clicked to
/// rename it).
pub(crate) fn focused_field() -> NodeRef<Input> {
    let field = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(input) = field.get() {
            let _ = input.focus();
            input.select();
        }
    });
    field
}
