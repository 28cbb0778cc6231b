//! # lantu-net: the walking network
//!
//! [`WalkGraph`] turns walkway lines into a graph in compact (CSR) form, joining
//! digitising gaps but never inventing junctions where lines merely cross, and
//! finds its connected [`Components`]. [`EdgeCosts`] prices each direction of each
//! edge (length, stairs, and slope by Tobler's hiking function when a DEM is given);
//! [`SegmentIndex`] snaps points to the nearest point on the nearest edge; and
//! [`NetworkMetric`] runs one multi-source Dijkstra per service kind, in parallel, cut
//! off at the largest walking circle — the network [`lantu_core::DistanceMetric`].
#![deny(missing_docs)]

mod area;
mod cost;
mod graph;
mod route;
mod snap;

pub use area::{reached_lines, widen};
pub use cost::{deck_heights, tobler_factor, EdgeCosts, IMPASSABLE};
pub use graph::{Component, Components, Edge, EdgeId, NodeId, WalkGraph};
pub use route::{distances_to_sources, origin_distance, NetworkMetric, NodeDistances, Walkable};
pub use snap::{SegmentIndex, Snap};
