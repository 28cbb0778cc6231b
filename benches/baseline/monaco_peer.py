#!/usr/bin/python3
"""A scipy + shapely peer of `lantu analyze --osm monaco.osm.pbf --no-maps --sites 0`.

What a planner's own script does with the usual Python stack, on inputs prepared beforehand:

    monaco_peer.py prepare LANTU_OUT PEER.gpkg   # once, not timed: the inputs as a GeoPackage
    monaco_peer.py analyze PEER.gpkg OUT.csv     # timed as a whole process

`prepare` copies from a lantu output the communities (code, name, households), building
footprints (households), facilities (kinds, floor area), the walkways (plain lines, no node
ids: the peer builds its own graph) and the walking circle of every kind. `analyze` reads
them, assigns buildings and facilities to communities (shapely STRtree, point in polygon),
builds the graph from the lines' end points, snaps buildings and facilities to the nearest
node (KD-tree), runs one multi-source Dijkstra per kind cut at its circle (flat lengths),
and writes per community: households, floor area per 100 households against 30 and 80 m²,
the kinds present, and the household-weighted coverage of every kind. lantu does more
(snaps to edges, slopes and stairs, flat and barrier-free comparisons, every output format),
so this is the floor a planner's script sets, not the same work.

Needs Debian's python3-gdal and the pinned packages of requirements.txt (scipy, numpy,
shapely) in `.venv-baseline` (made by Debian's /usr/bin/python3 with --system-site-packages, so
that it sees python3-gdal).
"""

import csv
import json
import sys

import numpy as np
import shapely
from osgeo import ogr, osr
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree


def prepare(lantu_out, peer_gpkg):
    """The peer's inputs from a lantu output folder (not timed)."""
    manifest = json.load(open(f"{lantu_out}/manifest.json", encoding="utf-8"))
    circles = {c["name"]: c["radius_m"] for c in manifest["profile"]["walking"]["circles"]}
    radius = {k["code"]: circles[k["circle"]] for k in manifest["profile"]["kinds"]}
    driver = ogr.GetDriverByName("GPKG")
    out = driver.CreateDataSource(peer_gpkg)
    sources = [
        ("communities", f"{lantu_out}/blueprint.gpkg", "communities", ["community_code", "community_name", "households"]),
        ("buildings", f"{lantu_out}/layers/buildings.fgb", None, ["households"]),
        ("facilities", f"{lantu_out}/blueprint.gpkg", "facilities", ["kinds", "floor_area_m2"]),
        ("walkways", f"{lantu_out}/layers/network.fgb", None, []),
    ]
    for name, path, layer_name, fields in sources:
        src = ogr.Open(path)
        layer = src.GetLayerByName(layer_name) if layer_name else src.GetLayer(0)
        srs = layer.GetSpatialRef() or osr.SpatialReference()
        dst = out.CreateLayer(name, srs, layer.GetGeomType())
        defn = layer.GetLayerDefn()
        for f in fields:
            dst.CreateField(defn.GetFieldDefn(defn.GetFieldIndex(f)))
        dst.StartTransaction()
        for feat in layer:
            o = ogr.Feature(dst.GetLayerDefn())
            o.SetGeometry(feat.GetGeometryRef())
            for f in fields:
                o.SetField(f, feat.GetField(f))
            dst.CreateFeature(o)
        dst.CommitTransaction()
    circles_layer = out.CreateLayer("circles", None, ogr.wkbNone)
    circles_layer.CreateField(ogr.FieldDefn("kind", ogr.OFTString))
    circles_layer.CreateField(ogr.FieldDefn("radius_m", ogr.OFTReal))
    for kind, r in radius.items():
        o = ogr.Feature(circles_layer.GetLayerDefn())
        o.SetField("kind", kind)
        o.SetField("radius_m", r)
        circles_layer.CreateFeature(o)
    out = None


def read(ds, name, fields):
    """A layer's geometries (shapely) and fields."""
    layer = ds.GetLayerByName(name)
    geoms, rows = [], []
    for f in layer:
        g = f.GetGeometryRef()
        geoms.append(shapely.from_wkb(bytes(g.ExportToWkb())) if g is not None else None)
        rows.append([f.GetField(k) for k in fields])
    return geoms, rows


def analyze(peer_gpkg, out_csv):
    ds = ogr.Open(peer_gpkg)
    communities, crow = read(ds, "communities", ["community_code", "community_name", "households"])
    buildings, brow = read(ds, "buildings", ["households"])
    facilities, frow = read(ds, "facilities", ["kinds", "floor_area_m2"])
    walkways, _ = read(ds, "walkways", [])
    radius = {k: r for k, r in (f for f in (read(ds, "circles", ["kind", "radius_m"])[1]))}

    # which community each building and facility is in
    tree = shapely.STRtree(communities)
    b_points = shapely.centroid(np.array(buildings, dtype=object))
    f_points = np.array(facilities, dtype=object)
    b_comm = np.full(len(buildings), -1)
    pairs = tree.query(b_points, predicate="within")
    b_comm[pairs[0]] = pairs[1]
    f_comm = np.full(len(facilities), -1)
    pairs = tree.query(f_points, predicate="within")
    f_comm[pairs[0]] = pairs[1]

    # the graph from the lines' ends, joined at the centimetre
    coords = shapely.get_coordinates(np.array(walkways, dtype=object))
    counts = shapely.get_num_coordinates(np.array(walkways, dtype=object))
    ends = np.cumsum(counts)
    starts = ends - counts
    keys = np.round(np.vstack([coords[starts], coords[ends - 1]]) * 100).astype(np.int64)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    a, b = inverse[: len(walkways)], inverse[len(walkways) :]
    length = shapely.length(np.array(walkways, dtype=object))
    n = len(unique)
    graph = csr_matrix((np.concatenate([length, length]), (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(n, n))
    node_xy = unique / 100.0
    kd = cKDTree(node_xy)
    _, b_node = kd.query(shapely.get_coordinates(b_points))
    _, f_node = kd.query(shapely.get_coordinates(f_points))

    households = np.array([r[0] or 0.0 for r in brow])
    kinds_of = [[k for k in (r[0] or "").replace(";", ",").split(",") if k] for r in frow]
    covered = {}
    for kind, r in radius.items():
        sources = np.unique(f_node[[i for i, ks in enumerate(kinds_of) if kind in ks]])
        if len(sources) == 0:
            covered[kind] = np.zeros(len(buildings), dtype=bool)
            continue
        dist = dijkstra(graph, directed=True, indices=sources, min_only=True, limit=r)
        covered[kind] = np.isfinite(dist[b_node])

    with open(out_csv, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["community_code", "community_name", "households", "area_per_100hh_m2", "meets_30", "meets_80", "kinds"]
                   + [f"coverage_{k}" for k in radius])
        for c, (code, name, hh) in enumerate(crow):
            in_c = b_comm == c
            weight = households[in_c]
            hh_total = hh if hh is not None else float(weight.sum())
            area = sum(frow[i][1] or 0.0 for i in np.nonzero(f_comm == c)[0])
            per100 = area / hh_total * 100.0 if hh_total > 0 else None
            present = sorted({k for i in np.nonzero(f_comm == c)[0] for k in kinds_of[i]})
            cov = [
                round(float((weight * covered[k][in_c]).sum() / weight.sum()), 4) if weight.sum() > 0 else ""
                for k in radius
            ]
            w.writerow([code, name, hh_total, "" if per100 is None else round(per100, 2),
                        per100 is not None and per100 >= 30, per100 is not None and per100 >= 80, ";".join(present)] + cov)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "prepare":
        prepare(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "analyze":
        analyze(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
