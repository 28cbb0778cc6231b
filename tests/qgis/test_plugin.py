#!/usr/bin/python3
"""The QGIS plugin in real QGIS (headless): installed from its ZIP, run through Processing.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 test_plugin.py ZIP LANTU WORK REF_SURVEY CITY_PROJECT
  ZIP           lantu_qgis.zip built by qgis/build_zip.py
  LANTU         the lantu binary
  WORK          an empty folder for outputs
  REF_SURVEY    `lantu analyze tests/fixtures/chongqing/project.toml` output, to compare with
  CITY_PROJECT  a synthetic city's project.toml (large enough to cancel mid-run)
Prints what it checked; exits 1 naming every failure.
"""
import csv
import os
import subprocess
import sys
import time
import zipfile

zip_path, lantu, work, ref_survey, city_project = sys.argv[1:6]
root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
fixtures = os.path.join(root, "tests", "fixtures")

from qgis.core import (QgsApplication, QgsFeature, QgsProcessingFeatureSourceDefinition,  # noqa: E402
                       QgsProcessingFeedback, QgsProject, QgsRasterLayer, QgsSettings,
                       QgsVectorLayer)

from qgis.PyQt.QtCore import QUrl, QUrlQuery  # noqa: E402

QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], False)
app.initQgis()
QgsSettings().setValue("locale/userLocale", "zh_CN")
sys.path.append("/usr/share/qgis/python/plugins")
from processing.core.Processing import Processing  # noqa: E402

Processing.initialize()
import processing  # noqa: E402

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


# install from the ZIP into a plugins folder, as "Install from ZIP" does
plugins = os.path.join(work, "plugins")
with zipfile.ZipFile(zip_path) as z:
    z.extractall(plugins)
check(os.path.isfile(os.path.join(plugins, "lantu_qgis", "metadata.txt")), "the ZIP holds lantu_qgis/metadata.txt")
sys.path.insert(0, plugins)
import lantu_qgis  # noqa: E402

plugin = lantu_qgis.classFactory(None)
plugin.initProcessing()
from processing.core.ProcessingConfig import ProcessingConfig  # noqa: E402

ProcessingConfig.setSettingValue("LANTU_BINARY", lantu)
registry = QgsApplication.processingRegistry()
provider = registry.providerById("lantu")
check(provider is not None, "provider lantu registered")
ids = sorted(a.id() for a in provider.algorithms()) if provider else []
check(ids == ["lantu:analyze", "lantu:check", "lantu:compare", "lantu:pilots", "lantu:plan", "lantu:sites"],
      f"algorithms {ids}")
alg = registry.algorithmById("lantu:analyze")
QgsSettings().setValue("locale/userLocale", "en_US")
check(alg.displayName() == "Gap analysis (the blueprint)" and provider.name() == "lantu blueprint",
      f"English when QGIS runs in English: {alg.displayName()}")
QgsSettings().setValue("locale/userLocale", "zh_CN")
check(alg.displayName() == "缺口分析（一张蓝图）", f"Chinese when QGIS runs in Chinese: {alg.displayName()}")
names = [p.name() for p in alg.parameterDefinitions()]
for p in ("COMMUNITIES", "BUILDINGS", "FACILITIES", "WALKWAYS", "CANDIDATES", "DEM", "POPULATION", "HOUSEHOLDS_FIELD",
          "CODE_FIELD", "SERVICE_FIELD", "FLOOR_AREA_FIELD", "FACILITY_COORDS", "METRIC", "SITES", "PROFILE",
          "LANGUAGE", "NO_MAPS", "DPI", "OUTPUT_FOLDER"):
    check(p in names, f"lantu:analyze has parameter {p}")


def rows(path):
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def delimited(path, extra):
    url = QUrl.fromLocalFile(path)
    query = QUrlQuery()
    for item in ("encoding=UTF-8&delimiter=,&" + extra).split("&"):
        key, value = item.split("=", 1)
        query.addQueryItem(key, value)
    url.setQuery(query)
    uri = bytes(url.toEncoded()).decode()
    layer = QgsVectorLayer(uri, os.path.basename(path), "delimitedtext")
    check(layer.isValid(), f"QGIS loads {os.path.basename(path)} as delimited text")
    return layer


class Feedback(QgsProcessingFeedback):
    """Records progress; cancels at the first engine stage when asked."""

    def __init__(self, cancel_at_first=False):
        super().__init__()
        self.cancel_at_first = cancel_at_first
        self.progress_seen = []

    def setProgressText(self, text):  # noqa: N802
        super().setProgressText(text)
        self.progress_seen.append(text)
        if self.cancel_at_first:
            self.cancel()


def run(params, feedback=None):
    return processing.run("lantu:analyze", params, feedback=feedback or Feedback())


# 1. the survey fixture: a GBK Shapefile, a GCJ-02 CSV (delimited text), an EPSG:4490 GeoPackage
survey = os.path.join(fixtures, "chongqing")
communities = QgsVectorLayer(os.path.join(survey, "communities.shp"), "社区", "ogr")
buildings = QgsVectorLayer(os.path.join(survey, "buildings.gpkg") + "|layername=buildings", "建筑", "ogr")
facilities = delimited(os.path.join(survey, "facilities_gcj02.csv"), "xField=经度&yField=纬度&crs=EPSG:4326")
for layer in (communities, buildings, facilities):
    check(layer.isValid(), f"{layer.name()} valid in QGIS")
    QgsProject.instance().addMapLayer(layer)
out1 = os.path.join(work, "survey")
feedback = Feedback()
result = run({"COMMUNITIES": communities, "BUILDINGS": buildings, "FACILITIES": facilities,
              "FACILITY_COORDS": 1, "SITES": 0, "OUTPUT_FOLDER": out1}, feedback)
check(result.get("OUTPUT_FOLDER") == out1, "lantu:analyze returns its output folder")
for table in ("communities.csv", "streets.csv"):
    got, want = rows(os.path.join(out1, "tables", table)), rows(os.path.join(ref_survey, "tables", table))
    check(got == want, f"survey: {table} equals lantu analyze's on the project file")
got = rows(os.path.join(out1, "tables", "facilities.csv"))
want = rows(os.path.join(ref_survey, "tables", "facilities.csv"))
skip = {got[0].index("source_id")} if got and "source_id" in got[0] else set()
strip = lambda t: [[c for i, c in enumerate(r) if i not in skip] for r in t]  # noqa: E731
check(strip(got) == strip(want), "survey: facilities.csv equals lantu analyze's (feature ids aside)")
check(any("步行" in t or "覆盖" in t or "缺口" in t for t in feedback.progress_seen),
      f"progress shown in Chinese: {feedback.progress_seen}")
group = QgsProject.instance().layerTreeRoot().findGroup("一张蓝图")
check(group is not None, "layers added to a group 一张蓝图")
if group is not None:
    titles = [n.layer().name() for n in group.findLayers()]
    check(titles[:2] == ["街道", "社区（面积缺口）"], f"group layers {titles}")
    renderers = {n.layer().name(): n.layer().renderer().type() for n in group.findLayers()}
    check(renderers.get("社区（面积缺口）") == "categorizedSymbol",
          f"communities styled by gap_class: {renderers}")
    check(renderers.get("服务设施") == "categorizedSymbol", "facilities styled by kind")

# 2. the hand-worked case, every layer a CSV with WKT in EPSG:4545 (delimited text → GeoPackage)
hw = os.path.join(fixtures, "handworked")
hw_layers = {
    name: delimited(os.path.join(hw, f"{name}.csv"), "wktField=WKT&crs=EPSG:4545")
    for name in ("communities", "buildings", "facilities")
}
out2 = os.path.join(work, "handworked")
run({"COMMUNITIES": hw_layers["communities"], "BUILDINGS": hw_layers["buildings"],
     "FACILITIES": hw_layers["facilities"], "SITES": 0, "OUTPUT_FOLDER": out2})
for table, expected in (("communities.csv", "expected_communities.csv"), ("streets.csv", "expected_streets.csv")):
    got = rows(os.path.join(out2, "tables", table)) if os.path.exists(os.path.join(out2, "tables", table)) else None
    check(got == rows(os.path.join(hw, expected)), f"hand-worked: {table} equals {expected}")

# 2b. a population grid: communities drawn without counts and a WorldPop-style raster
# (tests/fixtures/district): 743 and 637 people ÷ 2.45 persons per household
district = os.path.join(fixtures, "district")
drawn = QgsVectorLayer(os.path.join(district, "communities.geojson"), "社区（无户数）", "ogr")
grid = QgsRasterLayer(os.path.join(district, "population.tif"), "人口格网")
check(drawn.isValid() and grid.isValid(), "district communities and population grid valid in QGIS")
out_grid = os.path.join(work, "grid")
run({"COMMUNITIES": drawn, "POPULATION": grid, "SITES": 0, "OUTPUT_FOLDER": out_grid})
grid_rows = rows(os.path.join(out_grid, "tables", "communities.csv")) if os.path.exists(
    os.path.join(out_grid, "tables", "communities.csv")) else [[]]
at = {name: grid_rows[0].index(name) for name in ("community_code", "households", "households_source")} \
    if "households" in grid_rows[0] else {}
got = sorted((r[at["community_code"]], r[at["households"]], r[at["households_source"]])
             for r in grid_rows[1:]) if at else []
check(got == [("500103001001", "303.3", "grid"), ("500103001002", "260.0", "grid")],
      f"population grid: households from the grid {got}")

# 3. a memory layer (e.g. an edited copy) works too
memory = QgsVectorLayer("Polygon?crs=EPSG:4545", "内存社区", "memory")
memory.dataProvider().addAttributes(hw_layers["communities"].fields().toList())
memory.updateFields()
features = []
for f in hw_layers["communities"].getFeatures():
    g = QgsFeature(memory.fields())
    g.setGeometry(f.geometry())
    g.setAttributes(f.attributes())
    features.append(g)
memory.dataProvider().addFeatures(features)
out3 = os.path.join(work, "memory")
run({"COMMUNITIES": memory, "BUILDINGS": hw_layers["buildings"], "FACILITIES": hw_layers["facilities"],
     "SITES": 0, "OUTPUT_FOLDER": out3})
check(os.path.exists(os.path.join(out3, "tables", "communities.csv"))
      and rows(os.path.join(out3, "tables", "communities.csv")) == rows(os.path.join(hw, "expected_communities.csv")),
      "memory layer: communities.csv equals the hand-worked one")

# 4. a selection: only the selected communities are analysed
selected = hw_layers["communities"]
QgsProject.instance().addMapLayer(selected)
selected.selectByExpression("\"社区代码\" IN ('A', 'B')")
out5 = os.path.join(work, "selection")
run({"COMMUNITIES": QgsProcessingFeatureSourceDefinition(selected.id(), selectedFeaturesOnly=True),
     "BUILDINGS": hw_layers["buildings"], "FACILITIES": hw_layers["facilities"], "SITES": 0, "OUTPUT_FOLDER": out5})
codes = sorted(r[1] for r in rows(os.path.join(out5, "tables", "communities.csv"))[1:]) \
    if os.path.exists(os.path.join(out5, "tables", "communities.csv")) else None
check(codes == ["A", "B"], f"selected features only: communities {codes}")

# 5. lantu:check reports, lantu:sites recommends
report = processing.run("lantu:check", {"COMMUNITIES": hw_layers["communities"], "BUILDINGS": hw_layers["buildings"],
                                        "FACILITIES": hw_layers["facilities"]}, feedback=Feedback())
check(report.get("CAN_ANALYSE") is True and "数据检查" in report.get("REPORT", ""), "lantu:check reports in Chinese")
candidates = delimited(os.path.join(hw, "candidates.csv"), "wktField=WKT&crs=EPSG:4545")
out6 = os.path.join(work, "sites")
processing.run("lantu:sites", {"COMMUNITIES": hw_layers["communities"], "BUILDINGS": hw_layers["buildings"],
                               "FACILITIES": hw_layers["facilities"], "CANDIDATES": candidates,
                               "OUTPUT_FOLDER": out6}, feedback=Feedback())
check(os.path.exists(os.path.join(out6, "tables", "sites.csv")), "lantu:sites writes tables/sites.csv")

# 5b. the steps that end in the 申报方案: a plan, pilots, and two blueprints compared — each
# gives the tables the command line gives for the same inputs and options
def cli(*args):
    done = subprocess.run([lantu, *args], capture_output=True, text=True)
    check(done.returncode == 0, f"lantu {' '.join(args[:2])} runs: {done.stderr[-300:]}")


steps_inputs = {"COMMUNITIES": hw_layers["communities"], "BUILDINGS": hw_layers["buildings"],
                "FACILITIES": hw_layers["facilities"], "CANDIDATES": candidates, "SITES": 0, "NO_MAPS": True}
sites_project = os.path.join(hw, "project_sites.toml")
plan_csv = os.path.join(hw, "plan.csv")
out7, ref7 = os.path.join(work, "plan"), os.path.join(work, "plan-cli")
processing.run("lantu:plan", {**steps_inputs, "PLANS": [plan_csv], "PLAN_CRS": "EPSG:4545", "OUTPUT_FOLDER": out7},
               feedback=Feedback())
cli("analyze", sites_project, "--out", ref7, "--sites", "0", "--no-maps", "--plan", plan_csv, "--plan-crs",
    "EPSG:4545")
for table in ("plan_before_after.csv", "projects.csv"):
    got = os.path.join(out7, "tables", table)
    check(os.path.exists(got) and rows(got) == rows(os.path.join(ref7, "tables", table)),
          f"lantu:plan: {table} as the command line writes it")
out8, ref8 = os.path.join(work, "pilots"), os.path.join(work, "pilots-cli")
processing.run("lantu:pilots", {**steps_inputs, "PILOTS": 2, "PER_STREET": 1, "OUTPUT_FOLDER": out8},
               feedback=Feedback())
cli("analyze", sites_project, "--out", ref8, "--sites", "0", "--no-maps", "--pilots", "2", "--pilots-per-street",
    "1")
got = os.path.join(out8, "tables", "pilots.csv")
check(os.path.exists(got) and len(rows(got)) > 1 and rows(got) == rows(os.path.join(ref8, "tables", "pilots.csv")),
      "lantu:pilots: pilots.csv as the command line writes it")
out9, ref9 = os.path.join(work, "compare"), os.path.join(work, "compare-cli")
processing.run("lantu:compare", {"OLD": out2, "NEW": out7, "OUTPUT_FOLDER": out9}, feedback=Feedback())
cli("compare", out2, out7, "--out", ref9, "--no-maps")
got = os.path.join(out9, "tables", "change.csv")
check(os.path.exists(got) and rows(got) == rows(os.path.join(ref9, "tables", "change.csv")),
      "lantu:compare: change.csv as the command line writes it")
check(os.path.exists(os.path.join(out9, "change.xlsx")), "lantu:compare writes change.xlsx")
loaded = [layer.name() for layer in QgsProject.instance().mapLayers().values()]
check("社区变化" in loaded and "街道变化" in loaded, f"lantu:compare loads its change tables: {loaded}")

# 6. Cancel: a synthetic city stopped at its first engine stage leaves nothing behind
city_dir = os.path.dirname(city_project)
city = {name: QgsVectorLayer(os.path.join(city_dir, f"{name}.gpkg"), name, "ogr")
        for name in ("communities", "buildings", "walkways")}
out4 = os.path.join(work, "cancelled")
cancel = Feedback(cancel_at_first=True)
started = time.time()
try:
    run({"COMMUNITIES": city["communities"], "BUILDINGS": city["buildings"], "WALKWAYS": city["walkways"],
         "SITES": 0, "OUTPUT_FOLDER": out4}, cancel)
except Exception as e:  # Processing raises when an algorithm is cancelled
    print(f"     (cancel raised: {e})")
check(cancel.isCanceled(), "the run was cancelled at its first stage")
leftover = [] if not os.path.exists(out4) else os.listdir(out4)
check(leftover == [], f"cancel leaves no output: {leftover}")
partials = [n for n in os.listdir(work) if "partial" in n or "lantu-lock" in n]
check(partials == [], f"no partial or lock files beside it: {partials}")
print(f"     cancelled after {time.time() - started:.1f} s")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("all plugin checks passed")
