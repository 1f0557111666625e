//! Typing into a text field that others edit at the same time. The field's value changes
//! as a whole (an input event gives the new value, not the keystroke), so the edit is
//! recovered by comparing before and after; a teammate's edit that arrives meanwhile moves
//! the caret and the pending edit to where the text around them went. Positions count
//! characters (Unicode scalar values), as Automerge's text does here.

/// Replace `delete` characters at `index` with `insert`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextEdit {
    pub index: usize,
    pub delete: usize,
    pub insert: String,
}

impl TextEdit {
    /// The one replacement that turns `old` into `new`: what lies between their common start
    /// and common end. `None` when they are equal.
    pub fn between(old: &str, new: &str) -> Option<TextEdit> {
        if old == new {
            return None;
        }
        let (a, b): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
        let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
        let suffix =
            a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
        Some(TextEdit {
            index: prefix,
            delete: a.len() - prefix - suffix,
            insert: b[prefix..b.len() - suffix].iter().collect(),
        })
    }

    /// Where character position `pos` of the text before this edit is after it: before the
    /// edit it stays, after it shifts by the change in length, inside it goes to the end of
    /// what was inserted.
    pub fn map(&self, pos: usize) -> usize {
        let inserted = self.insert.chars().count();
        if pos <= self.index {
            pos
        } else if pos >= self.index + self.delete {
            pos + inserted - self.delete
        } else {
            self.index + inserted
        }
    }

    /// This edit, made against the same text as `other`, moved to apply after `other`. What
    /// `other` deleted is not deleted twice.
    pub fn after(&self, other: &TextEdit) -> TextEdit {
        let end = self.index + self.delete;
        let start = self.map_start(other);
        let end = other.map(end).max(start);
        TextEdit { index: start, delete: end - start, insert: self.insert.clone() }
    }

    fn map_start(&self, other: &TextEdit) -> usize {
        // An insertion at the very place the other edit changed goes after it.
        if self.index == other.index && other.delete == 0 {
            self.index + other.insert.chars().count()
        } else {
            other.map(self.index)
        }
    }

    /// Applies the edit to `text`.
    pub fn apply(&self, text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let index = self.index.min(chars.len());
        let end = (index + self.delete).min(chars.len());
        chars[..index]
            .iter()
            .copied()
            .chain(self.insert.chars())
            .chain(chars[end..].iter().copied())
            .collect()
    }
}

/// Character position `pos` as a UTF-16 offset into `text` (what a browser's selection uses).
pub fn utf16_offset(text: &str, pos: usize) -> usize {
    text.chars().take(pos).map(char::len_utf16).sum()
}

/// The character position of UTF-16 offset `offset` into `text` (inside a surrogate pair:
/// the character it belongs to).
pub fn char_position(text: &str, offset: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.chars().enumerate() {
        if units >= offset {
            return i;
        }
        units += c.len_utf16();
    }
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_edit_is_what_changed_between_the_common_ends() {
        let edit = TextEdit::between("卖点：持久。", "卖点：显色、持久。").expect("an edit");
        assert_eq!(edit, TextEdit { index: 3, delete: 0, insert: "显色、".into() });
        let edit = TextEdit::between("口红口红", "口红").expect("an edit");
        assert_eq!((edit.index, edit.delete, edit.insert.as_str()), (2, 2, ""));
        assert_eq!(TextEdit::between("同", "同"), None);
    }

    #[test]
    fn a_teammates_edit_moves_the_caret_and_the_pending_edit() {
        let base = "卖点：持久。";
        let theirs = TextEdit { index: 0, delete: 0, insert: "【新】".into() };
        let mine = TextEdit { index: 5, delete: 1, insert: "！".into() };
        assert_eq!(theirs.map(5), 8, "a caret after their insertion moves with the text");
        let merged = mine.after(&theirs).apply(&theirs.apply(base));
        assert_eq!(merged, "【新】卖点：持久！");
        // Their deletion swallows the place of my edit: mine lands where it was.
        let cut = TextEdit { index: 2, delete: 4, insert: String::new() };
        assert_eq!(mine.after(&cut).apply(&cut.apply(base)), "卖点！");
    }

    #[test]
    fn utf16_offsets_and_characters_agree() {
        let text = "a😀口b";
        assert_eq!(utf16_offset(text, 2), 3, "the emoji is two UTF-16 units");
        assert_eq!(char_position(text, 3), 2);
        assert_eq!(char_position(text, 2), 2, "inside a pair: the character after");
        assert_eq!(char_position(text, 99), 4);
    }

    proptest! {
        #[test]
        fn between_then_apply_gives_the_new_text(old in "[a口😀 ]{0,12}", new in "[a口😀 ]{0,12}") {
            let result = match TextEdit::between(&old, &new) {
                Some(edit) => edit.apply(&old),
                None => old.clone(),
            };
            prop_assert_eq!(result, new);
        }

        #[test]
        fn concurrent_edits_keep_both_insertions(
            base in "[ab口]{0,10}",
            (i, j) in (0usize..11, 0usize..11),
            mine in "[xy]{1,3}",
            theirs in "[z好]{1,3}",
        ) {
            let len = base.chars().count();
            let my_edit = TextEdit { index: i.min(len), delete: 0, insert: mine.clone() };
            let their_edit = TextEdit { index: j.min(len), delete: 0, insert: theirs.clone() };
            let merged = my_edit.after(&their_edit).apply(&their_edit.apply(&base));
            prop_assert!(merged.contains(&mine) && merged.contains(&theirs), "{merged}");
            prop_assert_eq!(merged.chars().count(), len + mine.chars().count() + theirs.chars().count());
        }
    }
}
