//! The Gantt chart's layout, so that the app only draws what it is given: the scale and its
//! header rows, rows grouped by phase (collapsible), bars, diamonds, slack and baselines,
//! dependency arrows routed around the bars, days off and today, and what a drag means.
//!
//! Made for 5,000 tasks at 60 frames a second: [`Gantt::new`] does the O(n log n) work once
//! per change of plan, schedule, collapsed phases or zoom; [`Gantt::window`], run on every
//! scroll, looks only at the rows in view and the arrows that cross them.
//!
//! - Scale: [`Zoom`] sets a calendar day's width (32, 12, 4 or 1.5 px); `x = 0` is the left
//!   edge of [`Scale::origin`].
//! - Rows: [`ROW_HEIGHT`] (32 px) each; a row draws its bar in a band between two gutters,
//!   and arrows run in the gutters.
//! - Progress: done is 1, else the checklist's share ticked, else 0 ([`progress`]).
//! - Collapsed phases: an arrow whose task is folded away meets the phase's summary bar at
//!   the side it would meet the task; arrows inside one collapsed phase are not drawn.
//! - Colour (red / amber / green) is the app's: it has [`crate::plan::task_status`].
//! - Export: [`svg`] draws the whole chart as one standalone SVG document (save, print).

mod arrows;
mod crossing;
mod days_off;
mod drag;
mod export;
mod headers;
mod layout;
mod obstacles;
mod rows;
mod scale;

pub use arrows::{Arrow, MARGIN, Point, REACH, STUB, Side};
pub use days_off::{days_off, today_x};
pub use drag::{DragMode, DragPreview, drag_preview, snap};
pub use export::{Export, TODAY_REACH_DAYS, svg};
pub use headers::{HeaderCell, HeaderLabel, Headers, headers, iso_week};
pub use layout::{DIAMOND_HALF, Gantt, Mark, RowView, Window, milestone_date, progress};
pub use rows::{BAR_HEIGHT, BAR_TOP, BASELINE_HEIGHT, BASELINE_TOP, Place, ROW_HEIGHT, RowKind, Rows};
pub use scale::{Scale, Span, Zoom};
