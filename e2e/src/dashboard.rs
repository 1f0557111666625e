//! The plan's dashboard as a test reads it.

use anyhow::Context;
use serde::Deserialize;

use crate::browser::Page;

/// What the dashboard says: the plan's colour and why, and the red and amber tasks listed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DashboardState {
    pub rag: String,
    pub reason: String,
    /// (colour, title), in the order listed.
    pub flagged: Vec<(String, String)>,
}

const READ: &str = "
  const panel = document.querySelector('[data-testid=\"dashboard-rag\"]');
  if (!panel) return null;
  return {
    rag: panel.dataset.rag,
    reason: panel.querySelector('[data-testid=\"dashboard-reason\"]').textContent,
    flagged: [...panel.querySelectorAll('[data-testid=\"dashboard-flagged\"]')]
      .map(li => [li.dataset.rag, li.querySelector('a').textContent]),
  };";

impl Page {
    /// Switches the plan to its dashboard and waits for it.
    pub async fn open_dashboard(&self) -> anyhow::Result<()> {
        self.click("view-dashboard").await?;
        self.find("dashboard-rag").await.map(|_| ())
    }

    pub async fn dashboard(&self) -> anyhow::Result<Option<DashboardState>> {
        let state = self.run(READ).await.context("reading the dashboard")?;
        Ok(serde_json::from_value(state)?)
    }
}
