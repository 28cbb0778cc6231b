"""The driver's own rules: which options decide a run, when an area is done, batch.csv."""

import json
import tempfile
import unittest
from pathlib import Path

from lantu_batch.manifest import read_areas
from lantu_batch.resume import is_done, options, sha256


class Options(unittest.TestCase):
    def test_out_force_progress_and_threads_do_not_decide_the_outputs(self):
        a = ["/x/lantu", "analyze", "p.toml", "--out", "A", "--force", "--progress", "json", "--pilots", "3"]
        b = ["lantu", "analyze", "p.toml", "--threads=2", "--out=B", "--pilots", "3"]
        self.assertEqual(options(a), ["analyze", "p.toml", "--pilots", "3"])
        self.assertEqual(options(a), options(b))
        self.assertNotEqual(options(a), options(a + ["--no-maps"]))


class Done(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        self.input = self.dir / "layer.gpkg"
        self.input.write_bytes(b"layer")
        self.out = self.dir / "out"
        self.out.mkdir()
        (self.out / "tables").mkdir()
        (self.out / "tables" / "communities.csv").write_text("x")
        self.command = ["lantu", "analyze", "p.toml", "--out", str(self.out), "--no-maps"]
        self.write_manifest()

    def write_manifest(self, **changes):
        m = {
            "lantu_version": "0.1.0",
            "command": self.command,
            "inputs": [{"path": str(self.input), "bytes": 5, "sha256": sha256(self.input)}],
            "outputs": ["tables/communities.csv", "manifest.json"],
        }
        m.update(changes)
        (self.out / "manifest.json").write_text(json.dumps(m))

    def test_a_finished_run_on_the_same_inputs_is_done(self):
        self.assertEqual(is_done(self.out, self.command, "0.1.0"), (True, None))

    def test_another_version_options_or_input_is_not(self):
        self.assertFalse(is_done(self.out, self.command, "0.2.0")[0])
        self.assertFalse(is_done(self.out, self.command[:-1], "0.1.0")[0])
        self.input.write_bytes(b"LAYER")
        done, why = is_done(self.out, self.command, "0.1.0")
        self.assertFalse(done)
        self.assertIn("changed", str(why))
        self.assertIn("已改变", why.pick("zh"))

    def test_a_missing_output_or_manifest_is_not(self):
        (self.out / "tables" / "communities.csv").unlink()
        self.assertIn("missing", str(is_done(self.out, self.command, "0.1.0")[1]))
        (self.out / "manifest.json").unlink()
        self.assertEqual(is_done(self.out, self.command, "0.1.0")[1].pick("zh"), "尚无 manifest.json")


class Manifest(unittest.TestCase):
    def test_batch_csv_areas_with_projects_beside_it(self):
        d = Path(tempfile.mkdtemp())
        (d / "batch.csv").write_text(
            "area,name,folder,project,communities,households,buildings,facilities,walkways,candidates,"
            "input_mib,memory_mib,border_m\n500103,渝中区,500103,500103/project.toml,12,1,2,3,4,5,1.0,423,1000\n",
            encoding="utf-8",
        )
        [a] = read_areas(d / "batch.csv")
        self.assertEqual((a.code, a.name, a.memory_mib), ("500103", "渝中区", 423))
        self.assertEqual(a.project, (d / "500103" / "project.toml").resolve())

    def test_another_table_is_refused(self):
        d = Path(tempfile.mkdtemp())
        (d / "x.csv").write_text("a,b\n1,2\n")
        with self.assertRaises(ValueError):
            read_areas(d / "x.csv")


if __name__ == "__main__":
    unittest.main()
