super::uuid_id!(
    /// Identifies a person in a workspace.
    MemberId,
    "member"
);
