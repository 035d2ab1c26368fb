//! `gloss serve`: builds the site in memory, serves it over HTTP with live reload, and
//! rebuilds what changed when files change, reusing the build's stages.
//!
//! The HTTP thread ([`http`]) never builds; the build loop never waits on HTTP. They share
//! a [`state::Shared`]: the current snapshot and a broadcast channel of events.

mod hosts;
pub mod http;
mod inject;

mod live;
pub mod state;
mod statics;
pub mod watch;

pub use live::{ServeOptions, serve};
