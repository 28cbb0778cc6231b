#!/usr/bin/python3
"""A bounded load on a running `lantu serve`, on loopback: N requests (half vector tiles at
z14–16 over the served area, half items pages of random boxes of the layers other than the
city-wide coverage and uncovered areas) from C concurrent clients,
then the same requests again; prints each round's p50/p95/max latency, errors and the
server's resident memory after each round. Standard library only.

Usage: serve_load.py ADDRESS PID [N [C [SEED]]]   e.g. serve_load.py 127.0.0.1:8800 4242 2000 16
Exits 1 on any error or when a round exceeds its time limit (N × 0.5 s).
"""
import json
import math
import random
import sys
import threading
import time
import urllib.request

addr, pid = sys.argv[1], int(sys.argv[2])
n = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
clients = int(sys.argv[4]) if len(sys.argv) > 4 else 16
rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 7)
base = f"http://{addr}"


def get(path):
    with urllib.request.urlopen(base + path, timeout=60) as r:
        return r.status, r.read()


def rss_mib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


cols = json.loads(get("/collections")[1])["collections"]
ids = [c["id"] for c in cols]
tiled = "buildings" if "buildings" in ids else ids[0]
box = next(c for c in cols if c["id"] == "communities")["extent"]["spatial"]["bbox"][0]
paths = []
for i in range(n):
    lon, lat = rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3])
    if i % 2 == 0:
        z = rng.choice([14, 15, 16])
        k = 2 ** z
        x = int((lon + 180) / 360 * k)
        y = int((1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * k)
        paths.append(f"/tiles/{tiled}/{z}/{x}/{y}.mvt")
    else:
        d = rng.uniform(0.002, 0.01)
        # the coverage and uncovered areas are a few city-wide multipolygons (tens of MB
        # each): a client takes them as tiles, not as pages of features
        layer = rng.choice([i for i in ids if not i.endswith(("coverage_areas", "uncovered_areas"))])
        paths.append(f"/collections/{layer}/items?bbox={lon - d},{lat - d},{lon + d},{lat + d}&limit=100")


def one_round():
    lat_ms, errors, lock, it = [], [], threading.Lock(), iter(paths)

    def work():
        while True:
            with lock:
                p = next(it, None)
            if p is None:
                return
            t = time.perf_counter()
            try:
                status, _ = get(p)
                ok = status == 200
            except Exception as e:  # noqa: BLE001 — every failure counts
                ok, status = False, repr(e)
            dt = (time.perf_counter() - t) * 1000
            with lock:
                lat_ms.append(dt)
                if not ok:
                    errors.append(f"{p}: {status}")

    start = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    lat_ms.sort()
    pick = lambda q: lat_ms[min(len(lat_ms) - 1, int(q * len(lat_ms)))]  # noqa: E731
    return {"requests": len(lat_ms), "clients": clients, "wall_s": round(wall, 2), "p50_ms": round(pick(0.5), 1),
            "p95_ms": round(pick(0.95), 1), "max_ms": round(lat_ms[-1], 1), "errors": errors[:5],
            "error_count": len(errors), "rss_mib": round(rss_mib(), 1)}


rss0 = rss_mib()
rounds = [one_round(), one_round()]
print(json.dumps({"rss_before_mib": round(rss0, 1), "first": rounds[0], "again": rounds[1]}))
bad = any(r["error_count"] or r["wall_s"] > n * 0.5 for r in rounds)
sys.exit(1 if bad else 0)
