super::uuid_id!(
    /// Identifies a task inside its project document.
    TaskId,
    "task"
);
