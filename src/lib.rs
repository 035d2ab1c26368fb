//! gloss: a static-site generator for annotated news archives.
//!
//! The build is one pipeline, a module per stage:
//! [`load`] (files -> [`model::Site`]) -> [`link`] (ids resolved, indexes built ->
//! [`link::Archive`]) -> [`resize`] (the images' resized copies, into a cache) -> [`render`] (templates -> output files in memory) -> [`write`]
//! (only changed bytes reach the disk). [`driver`] runs the stages for every command and
//! keeps what the next run reuses; [`cmd`] holds the commands;
//! [`diag`] collects and prints every problem with its place; [`routes`] makes every
//! output path and proves it stays inside the output folder. [`text`] is what the stages
//! know about words, sentences and matching, per language.

pub mod cmd;
pub mod diag;
pub mod driver;
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod lang;
pub mod link;
pub mod load;
pub mod markdown;
pub mod model;
pub mod render;
pub mod resize;
pub mod routes;
pub mod serve;
pub mod text;
pub mod write;
