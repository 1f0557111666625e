//! The end-to-end tests: the real relay binary and real headless Chromium, driven through
//! chromedriver as a person would use the app. One test binary (one link instead of one per
//! test); the tests take turns (see [`launchplan_e2e::my_turn`]).

mod attachments;
mod bad_links;
mod board;
mod browser_restart;
mod dashboard;
mod finance;
mod gantt;
mod kpis;
mod large_plan;
mod notifications;
mod offline;
mod private_window;
mod quick_add;
mod risk;
mod signed_in;
mod tabs;
mod task_drawer;
mod templates;
mod time_travel;
mod two_browsers;
mod what_if;
mod workload;
mod workspace;
