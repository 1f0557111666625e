//! The views. One component per file, grouped by screen.

mod app;
mod error_banner;
mod files;
mod focus;
mod header;
mod join;
mod kpis;
mod my_work;
mod notification_settings;
mod palette;
mod project;
mod projects;
mod settings;
mod workload;

pub(crate) use app::App;
