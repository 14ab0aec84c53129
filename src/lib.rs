//! kwiki: a static wiki of K-content collaborations, extracted from news articles.
//!
//! The data path: `ingest -> extract -> link -> render -> write`. Each stage is a module whose
//! public face is a function or two and the plain types it returns; `site` runs them in order.
// The negated conditions in the extractor read like the rules they state.
#![allow(clippy::nonminimal_bool)]

pub mod cache;
pub mod check;
pub mod collect;
pub mod config;
pub mod datafile;
pub mod error;
pub mod eval;
pub mod explain;
pub mod extract;
pub mod ingest;
pub mod init;
pub mod interrupt;
pub mod link;
pub mod render;
pub mod serve;
pub mod site;
pub mod write;
pub mod yaml;

pub use error::{Error, Result};
