//! # lantu-net: the walking network
//!
//! [`WalkGraph`] turns walkway lines into a graph in compact (CSR) form, joining
//! digitising gaps but never inventing junctions where lines merely cross, and
//! finds its connected [`Components`].
#![deny(missing_docs)]

mod graph;

pub use graph::{Component, Components, Edge, EdgeId, NodeId, WalkGraph};
