//! The walking graph: nodes where lines share a vertex, edges along every segment.

use geo::{Coord, Distance, Euclidean};
use lantu_core::{Metres, Walkway};
use rstar::primitives::GeomWithData;
use rstar::RTree;
use std::collections::HashMap;

/// Index of a node of a [`WalkGraph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

/// Index of an (undirected) edge of a [`WalkGraph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EdgeId(pub u32);

/// One segment of a walkway.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    /// One end.
    pub a: NodeId,
    /// The other end.
    pub b: NodeId,
    /// Length on the ground.
    pub length: Metres,
    /// Part of a stairway.
    pub steps: bool,
    /// Stairs with a ramp beside them.
    pub ramp: bool,
    /// Part of a bridge or tunnel.
    pub deck: bool,
    /// Index of the walkway it came from.
    pub walkway: u32,
}

/// A walking network in compact adjacency (CSR) form.
///
/// Lines are joined where they share a vertex exactly, and where a line's end lies
/// within the join tolerance of another line's vertex (digitising gaps). Lines that
/// merely cross (a bridge over a road) are not joined: there is no shared vertex.
///
/// ```
/// use lantu_core::{Metres, Walkway};
/// use lantu_net::WalkGraph;
/// use geo::line_string;
/// let w = |line, id: &str| Walkway { source_id: id.into(), line, steps: false, class: None, ramp: false, deck: false };
/// let ways = vec![
///     w(line_string![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0)], "a"),
///     // starts 0.4 m from the end of "a": joined
///     w(line_string![(x: 100.4, y: 0.0), (x: 100.4, y: 50.0)], "b"),
///     // crosses "a" without a shared vertex: a bridge, not joined
///     w(line_string![(x: 50.0, y: -10.0), (x: 50.0, y: 10.0)], "c"),
/// ];
/// let g = WalkGraph::build(&ways, Metres(1.0));
/// assert_eq!(g.node_count(), 5);
/// assert_eq!(g.components().count(), 2);
/// ```
#[derive(Clone, Debug)]
pub struct WalkGraph {
    coords: Vec<Coord>,
    edges: Vec<Edge>,
    /// CSR: the edges at node `n` are `adjacency[offsets[n]..offsets[n + 1]]`.
    offsets: Vec<u32>,
    adjacency: Vec<EdgeId>,
    joined_ends: usize,
}

impl WalkGraph {
    /// Builds the graph from walkways, joining ends within `join_tolerance`.
    pub fn build(walkways: &[Walkway], join_tolerance: Metres) -> WalkGraph {
        // 1. nodes at exactly shared coordinates
        let mut index: HashMap<(u64, u64), u32> = HashMap::new();
        let mut coords: Vec<Coord> = Vec::new();
        let mut node_of = |c: Coord, coords: &mut Vec<Coord>| -> u32 {
            // -0.0 and 0.0 are the same place
            let key = ((c.x + 0.0).to_bits(), (c.y + 0.0).to_bits());
            *index.entry(key).or_insert_with(|| {
                coords.push(c);
                (coords.len() - 1) as u32
            })
        };
        let mut raw_edges: Vec<(u32, u32, bool, u32)> = Vec::new();
        let mut line_ends: Vec<u32> = Vec::new();
        for (wi, w) in walkways.iter().enumerate() {
            let pts = &w.line.0;
            if pts.len() < 2 {
                continue;
            }
            let ids: Vec<u32> = pts.iter().map(|&c| node_of(c, &mut coords)).collect();
            line_ends.push(ids[0]);
            line_ends.push(ids[ids.len() - 1]);
            for pair in ids.windows(2) {
                if pair[0] != pair[1] {
                    raw_edges.push((pair[0], pair[1], w.steps, wi as u32));
                }
            }
        }

        // 2. join line ends that lie within the tolerance of another node
        let mut degree = vec![0u32; coords.len()];
        // for ends of degree 1: the node at the other end of their one segment
        let mut neighbour = vec![u32::MAX; coords.len()];
        for &(a, b, _, _) in &raw_edges {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
            neighbour[a as usize] = b;
            neighbour[b as usize] = a;
        }
        let mut parent: Vec<u32> = (0..coords.len() as u32).collect();
        let mut joined_ends = 0;
        if join_tolerance.0 > 0.0 {
            let tree: RTree<GeomWithData<[f64; 2], u32>> = RTree::bulk_load(
                coords.iter().enumerate().map(|(i, c)| GeomWithData::new([c.x, c.y], i as u32)).collect(),
            );
            let tol2 = join_tolerance.0 * join_tolerance.0;
            line_ends.sort_unstable();
            line_ends.dedup();
            for &end in &line_ends {
                if degree[end as usize] != 1 {
                    continue; // already joined to something
                }
                let c = coords[end as usize];
                let nearest = tree
                    .locate_within_distance([c.x, c.y], tol2)
                    .filter(|o| o.data != end && o.data != neighbour[end as usize])
                    .map(|o| {
                        let d = Euclidean.distance(c, coords[o.data as usize]);
                        (d, o.data)
                    })
                    .min_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
                if let Some((_, other)) = nearest {
                    let (ra, rb) = (find(&mut parent, end), find(&mut parent, other));
                    if ra != rb {
                        parent[ra.max(rb) as usize] = ra.min(rb);
                        joined_ends += 1;
                    }
                }
            }
        }

        // 3. renumber merged nodes densely, keeping the first coordinate of each group
        let mut new_id = vec![u32::MAX; coords.len()];
        let mut new_coords = Vec::new();
        for i in 0..coords.len() {
            let r = find(&mut parent, i as u32) as usize;
            if new_id[r] == u32::MAX {
                new_id[r] = new_coords.len() as u32;
                new_coords.push(coords[r]);
            }
            new_id[i] = new_id[r];
        }
        let mut edges = Vec::with_capacity(raw_edges.len());
        for (a, b, steps, walkway) in raw_edges {
            let (a, b) = (new_id[a as usize], new_id[b as usize]);
            if a == b {
                continue;
            }
            let length = Metres(Euclidean.distance(new_coords[a as usize], new_coords[b as usize]));
            let w = &walkways[walkway as usize];
            edges.push(Edge { a: NodeId(a), b: NodeId(b), length, steps, ramp: w.ramp, deck: w.deck, walkway });
        }

        // 4. CSR adjacency
        let n = new_coords.len();
        let mut offsets = vec![0u32; n + 1];
        for e in &edges {
            offsets[e.a.0 as usize + 1] += 1;
            offsets[e.b.0 as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut adjacency = vec![EdgeId(0); offsets[n] as usize];
        for (i, e) in edges.iter().enumerate() {
            for end in [e.a, e.b] {
                let slot = &mut fill[end.0 as usize];
                adjacency[*slot as usize] = EdgeId(i as u32);
                *slot += 1;
            }
        }
        WalkGraph { coords: new_coords, edges, offsets, adjacency, joined_ends }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.coords.len()
    }
    /// Number of edges (segments).
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }
    /// The edges.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }
    /// Where a node is.
    pub fn coord(&self, n: NodeId) -> Coord {
        self.coords[n.0 as usize]
    }
    /// The edges meeting at a node.
    pub fn edges_at(&self, n: NodeId) -> &[EdgeId] {
        let i = n.0 as usize;
        &self.adjacency[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
    /// How many line ends were joined to a nearby node.
    pub fn joined_ends(&self) -> usize {
        self.joined_ends
    }
    /// Nodes where a single edge ends (dead ends, or gaps larger than the tolerance).
    pub fn dangling_nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.coords.len() as u32).map(NodeId).filter(|&n| self.edges_at(n).len() == 1)
    }
    /// Total length of all edges.
    pub fn total_length(&self) -> Metres {
        self.edges.iter().map(|e| e.length).sum()
    }

    /// The connected components, largest (by length) first.
    pub fn components(&self) -> Components {
        let mut parent: Vec<u32> = (0..self.coords.len() as u32).collect();
        for e in &self.edges {
            let (ra, rb) = (find(&mut parent, e.a.0), find(&mut parent, e.b.0));
            if ra != rb {
                parent[ra.max(rb) as usize] = ra.min(rb);
            }
        }
        let mut by_root: HashMap<u32, usize> = HashMap::new();
        let mut list: Vec<Component> = Vec::new();
        let mut of_node = vec![0u32; self.coords.len()];
        for n in 0..self.coords.len() as u32 {
            let r = find(&mut parent, n);
            let ci = *by_root.entry(r).or_insert_with(|| {
                list.push(Component { nodes: 0, edges: 0, length: Metres::ZERO });
                list.len() - 1
            });
            list[ci].nodes += 1;
            of_node[n as usize] = ci as u32;
        }
        for e in &self.edges {
            let c = &mut list[of_node[e.a.0 as usize] as usize];
            c.edges += 1;
            c.length += e.length;
        }
        // largest first; ties by first node for determinism (index order is stable)
        let mut order: Vec<usize> = (0..list.len()).collect();
        order.sort_by(|&x, &y| list[y].length.0.total_cmp(&list[x].length.0).then(x.cmp(&y)));
        let mut rank = vec![0u32; list.len()];
        for (r, &ci) in order.iter().enumerate() {
            rank[ci] = r as u32;
        }
        Components {
            list: order.iter().map(|&ci| list[ci].clone()).collect(),
            of_node: of_node.iter().map(|&ci| rank[ci as usize]).collect(),
        }
    }
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

/// One connected part of the network.
#[derive(Clone, Debug, PartialEq)]
pub struct Component {
    /// Nodes in it.
    pub nodes: usize,
    /// Edges in it.
    pub edges: usize,
    /// Total length.
    pub length: Metres,
}

/// The connected components of a [`WalkGraph`], largest first.
#[derive(Clone, Debug)]
pub struct Components {
    list: Vec<Component>,
    of_node: Vec<u32>,
}

impl Components {
    /// Number of components.
    pub fn count(&self) -> usize {
        self.list.len()
    }
    /// The components, largest (by length) first.
    pub fn list(&self) -> &[Component] {
        &self.list
    }
    /// The rank of the component a node is in (0 = largest).
    pub fn of(&self, n: NodeId) -> u32 {
        self.of_node[n.0 as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::line_string;

    fn way(line: geo::LineString) -> Walkway {
        Walkway { source_id: String::new(), line, steps: false, class: None, ramp: false, deck: false }
    }

    #[test]
    fn gap_beyond_tolerance_leaves_two_components_and_dangling_ends() {
        let ways = vec![
            way(line_string![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0)]),
            way(line_string![(x: 12.0, y: 0.0), (x: 20.0, y: 0.0)]),
        ];
        let g = WalkGraph::build(&ways, Metres(1.0));
        assert_eq!(g.node_count(), 4);
        let c = g.components();
        assert_eq!(c.count(), 2);
        assert_eq!(c.list()[0].length, Metres(10.0));
        assert_eq!(g.dangling_nodes().count(), 4);
        let g = WalkGraph::build(&ways, Metres(3.0));
        assert_eq!(g.components().count(), 1);
        assert_eq!(g.joined_ends(), 1);
        assert_eq!(g.dangling_nodes().count(), 2);
    }

    #[test]
    fn shared_interior_vertex_is_a_junction_and_csr_lists_every_edge() {
        let ways = vec![
            way(line_string![(x: 0.0, y: 0.0), (x: 5.0, y: 0.0), (x: 10.0, y: 0.0)]),
            way(line_string![(x: 5.0, y: -5.0), (x: 5.0, y: 0.0), (x: 5.0, y: 5.0)]),
        ];
        let g = WalkGraph::build(&ways, Metres(0.0));
        assert_eq!(g.node_count(), 5);
        assert_eq!(g.edge_count(), 4);
        let centre = (0..5).map(NodeId).find(|&n| g.coord(n) == Coord { x: 5.0, y: 0.0 }).unwrap();
        assert_eq!(g.edges_at(centre).len(), 4);
        assert_eq!(g.total_length(), Metres(20.0));
        assert_eq!(g.components().count(), 1);
    }
}
