"""The driver on a real LocalCluster with a stand-in for lantu: memory as a resource lets a
worker of two threads run two areas at once only when their memory fits (two large ones
never), and a failing area is retried and reported while the rest finish."""

import csv
import json
import os
import stat
import sys
import tempfile
import unittest
from pathlib import Path

from lantu_batch.run import local_client, run_batch

# A stand-in for `lantu`: `--version`, and `analyze PROJECT --out DIR …`, which notes when it
# ran, sleeps, fails while the project says so, and writes a manifest as lantu does.
FAKE = """#!{python}
import json, os, sys, time
from pathlib import Path
if sys.argv[1] == "--version":
    print("lantu 0.1.0"); sys.exit(0)
project, out = Path(sys.argv[2]), Path(sys.argv[sys.argv.index("--out") + 1])
log = project.parent.parent / "times.log"
start = time.time()
time.sleep(0.8)
with open(log, "a") as f:
    f.write(f"{{project.parent.name}} {{start}} {{time.time()}}\\n")
fails = project.parent / "fails"
if fails.exists():
    n = int(fails.read_text())
    fails.write_text(str(n - 1))
    if n > 0:
        sys.exit(3)
out.mkdir(parents=True, exist_ok=True)
(out / "manifest.json").write_text(json.dumps({{"lantu_version": "0.1.0", "command": sys.argv,
    "inputs": [{{"path": str(project), "bytes": project.stat().st_size, "sha256": ""}}], "outputs": []}}))
"""


class Cluster(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = Path(tempfile.mkdtemp())
        cls.lantu = cls.dir / "lantu"
        cls.lantu.write_text(FAKE.format(python=sys.executable))
        cls.lantu.chmod(cls.lantu.stat().st_mode | stat.S_IEXEC)
        # one worker, two threads, 1,000 MiB: two small areas fit at once, two large do not
        cls.client = local_client(1, 1000, threads_per_worker=2)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def split(self, name, areas):
        d = self.dir / name
        d.mkdir()
        with open(d / "batch.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["area", "name", "folder", "project", "communities", "memory_mib"])
            for code, mib in areas:
                (d / code).mkdir()
                (d / code / "project.toml").write_text(f'name = "{code}"\n')
                w.writerow([code, code, code, f"{code}/project.toml", 1, mib])
        return d

    def times(self, d):
        rows = [line.split() for line in (d / "times.log").read_text().splitlines()]
        return {r[0]: (float(r[1]), float(r[2])) for r in rows}

    def test_areas_share_a_worker_only_as_far_as_their_memory_fits(self):
        d = self.split("memory", [("big1", 700), ("big2", 700), ("small1", 300), ("small2", 300)])
        rows = run_batch(self.client, d / "batch.csv", d / "runs", lantu=str(self.lantu), say=lambda _: None)
        self.assertEqual([r["status"] for r in rows], ["done"] * 4)
        t = self.times(d)
        mib = {"big1": 700, "big2": 700, "small1": 300, "small2": 300}
        pairs = [(a, b) for a in t for b in t if a < b and t[a][0] < t[b][1] and t[b][0] < t[a][1]]
        self.assertTrue(pairs, f"two threads ran nothing at once: {t}")
        self.assertTrue(all(mib[a] + mib[b] <= 1000 for a, b in pairs), f"{pairs} {t}")
        self.assertNotIn(("big1", "big2"), pairs)

    def test_a_failing_area_is_retried_then_reported_and_the_rest_finish(self):
        d = self.split("retries", [("flaky", 100), ("broken", 100), ("fine", 100)])
        (d / "flaky" / "fails").write_text("1")
        (d / "broken" / "fails").write_text("9")
        lines = []
        rows = run_batch(self.client, d / "batch.csv", d / "runs", lantu=str(self.lantu), retries=2,
                         say=lines.append, lang="en")
        status = {r["area"]: (r["status"], r["attempts"]) for r in rows}
        self.assertEqual(status, {"flaky": ("done", 2), "broken": ("failed", 3), "fine": ("done", 1)})
        self.assertTrue(any(line.startswith("FAILED broken broken after 3 attempts") for line in lines), lines)


if __name__ == "__main__":
    unittest.main()
