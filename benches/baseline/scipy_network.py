#!/usr/bin/python3
"""An independent baseline for lantu's network stage: scipy's csgraph Dijkstra.

It reads the walking network, buildings and facilities lantu wrote to an output folder
(`layers/network.fgb`, `layers/buildings.fgb`, `blueprint.gpkg` layer `facilities`) and does
what a planner's script usually does with scipy: buildings and facilities snapped to the
nearest network *node* (a KD-tree), flat costs (edge lengths), and one multi-source
Dijkstra per service kind, cut off at the largest walking circle. lantu does more (snaps to
edges, Tobler slopes and stairs, a flat and a barrier-free comparison), so this is the
floor to beat, not the same work.

Loading the files is not timed (the issue's baseline was measured in-process); the graph,
the snapping and the nine searches are. Prints one JSON object.

    /usr/bin/python3 benches/baseline/scipy_network.py OUT_DIR [--cutoff 1000]

Needs Debian's python3-scipy, python3-numpy and python3-gdal.
"""

import argparse
import json
import sys
import time

import numpy as np
from osgeo import ogr
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree


def load_network(path):
    """Edges (a, b, length) and node coordinates from lantu's network layer."""
    ds = ogr.Open(path)
    layer = ds.GetLayer(0)
    a, b, length = [], [], []
    xy = {}
    for f in layer:
        g = f.GetGeometryRef()
        na, nb = f.GetFieldAsInteger64("node_a"), f.GetFieldAsInteger64("node_b")
        a.append(na)
        b.append(nb)
        length.append(f.GetFieldAsDouble("length_m"))
        n = g.GetPointCount()
        xy.setdefault(na, g.GetPoint_2D(0))
        xy.setdefault(nb, g.GetPoint_2D(n - 1))
    nodes = max(xy) + 1
    coords = np.zeros((nodes, 2))
    for n, p in xy.items():
        coords[n] = p
    return np.array(a), np.array(b), np.array(length), coords


def load_points(path, layer_name=None, kinds_field=None):
    """Centroids of a layer's features and, if asked, each feature's kinds."""
    ds = ogr.Open(path)
    layer = ds.GetLayerByName(layer_name) if layer_name else ds.GetLayer(0)
    pts, kinds = [], []
    for f in layer:
        c = f.GetGeometryRef().Centroid()
        pts.append((c.GetX(), c.GetY()))
        if kinds_field:
            kinds.append([k for k in f.GetFieldAsString(kinds_field).replace(";", ",").split(",") if k])
    return np.array(pts), kinds


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--cutoff", type=float, default=1000.0)
    args = ap.parse_args()
    t = time.perf_counter()
    a, b, length, coords = load_network(f"{args.out_dir}/layers/network.fgb")
    buildings, _ = load_points(f"{args.out_dir}/layers/buildings.fgb")
    facilities, kinds = load_points(f"{args.out_dir}/blueprint.gpkg", "facilities", "kinds")
    load_s = time.perf_counter() - t

    t0 = time.perf_counter()
    n = len(coords)
    # both directions given: the search need not symmetrise the matrix again
    graph = csr_matrix((np.concatenate([length, length]), (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(n, n))
    t1 = time.perf_counter()
    tree = cKDTree(coords)
    _, building_node = tree.query(buildings)
    _, facility_node = tree.query(facilities)
    t2 = time.perf_counter()
    codes = sorted({k for ks in kinds for k in ks})
    covered = {}
    for code in codes:
        sources = np.unique(facility_node[[i for i, ks in enumerate(kinds) if code in ks]])
        dist = dijkstra(graph, directed=True, indices=sources, min_only=True, limit=args.cutoff)
        covered[code] = float(np.mean(np.isfinite(dist[building_node])))
    t3 = time.perf_counter()
    json.dump(
        {
            "nodes": int(n),
            "edges": int(len(a)),
            "buildings": int(len(buildings)),
            "facilities": int(len(facilities)),
            "kinds": len(codes),
            "load_s": round(load_s, 3),
            "graph_s": round(t1 - t0, 3),
            "snap_s": round(t2 - t1, 3),
            "searches_s": round(t3 - t2, 3),
            "total_s": round(t3 - t0, 3),
            "share_of_buildings_within_cutoff": {k: round(v, 4) for k, v in covered.items()},
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
