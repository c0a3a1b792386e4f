//! vetted: review pending connection requests with the guide's checklist, and keep a
//! decision log. The binary is a thin shell over this library.

pub mod checklist;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod error;
pub mod evidence;
pub mod export;
pub mod hint;
pub mod import;
pub mod model;
pub mod paint;
pub mod partial;
pub mod query;
pub mod store;
pub mod sync;
pub mod sync_run;
pub mod text;
pub mod tui;
