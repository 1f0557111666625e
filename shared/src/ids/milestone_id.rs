super::uuid_id!(
    /// Identifies a milestone inside its project document.
    MilestoneId,
    "milestone"
);
