super::uuid_id!(
    /// Identifies a comment, checklist item, time entry, budget line or cost entry inside its document.
    ItemId,
    "item"
);
