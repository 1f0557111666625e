super::uuid_id!(
    /// Identifies a phase inside its project document.
    PhaseId,
    "phase"
);
