//! The views. One component per file, grouped by screen.

mod app;
mod error_banner;
mod header;
mod project;
mod projects;

pub(crate) use app::App;
