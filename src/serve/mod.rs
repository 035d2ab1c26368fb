//! `gloss serve`: links the site in memory, serves it over HTTP with live reload,
//! rendering each page when it is first asked for ([`pages`]), and rebuilds what changed
//! when files change, reusing the build's stages.
//!
//! The HTTP thread ([`http`]) never builds or renders; the build loop never waits on
//! HTTP. They share a [`state::Shared`]: the current snapshot, the cache of rendered
//! pages and a broadcast channel of events.

mod builder;
mod hosts;
pub mod http;
mod inject;

mod live;
pub mod pages;
pub mod state;
mod statics;
pub mod watch;

pub use live::{ServeOptions, serve};
pub use pages::parse_size;
