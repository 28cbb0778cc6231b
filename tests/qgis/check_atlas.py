#!/usr/bin/python3
"""blueprint.qgs in real QGIS: its first view, a render, and the street atlas exported.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 check_atlas.py OUTDIR PAGES_DIR
Checks: the project opens on the communities' extent (its default view); it renders with ink;
the print layout 街道一张蓝图 exists as an atlas over the streets and exports one PNG page per
street, each with ink, its title naming the street; facility labels are hidden beyond
1:10,000. Exits 1 naming every failure.
"""
import os
import sys

from qgis.core import (QgsApplication, QgsLayoutExporter, QgsMapRendererSequentialJob, QgsMapSettings,
                       QgsProject)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor, QImage

out, pages = sys.argv[1], sys.argv[2]
app = QgsApplication([], False)
app.initQgis()
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def inked(path):
    img = QImage(path)
    if img.isNull():
        return 0
    step = max(1, img.width() // 200)
    dark = 0
    for x in range(0, img.width(), step):
        for y in range(0, img.height(), step):
            c = QColor(img.pixel(x, y))
            if c.red() + c.green() + c.blue() < 600:
                dark += 1
    return dark


project = QgsProject.instance()
check(project.read(os.path.join(out, "blueprint.qgs")), "blueprint.qgs opens")
layers = {x.source().split("layername=")[-1].split("|")[0]: x for x in project.mapLayers().values()}
communities, streets = layers.get("communities"), layers.get("streets")
check(communities is not None and streets is not None, "communities and streets layers")
view = project.viewSettings().defaultViewExtent()
want = communities.extent()
close = lambda a, b: abs(a - b) < 1e-3 * max(1.0, want.width(), want.height())  # noqa: E731
check(all(close(a, b) for a, b in ((view.xMinimum(), want.xMinimum()), (view.yMinimum(), want.yMinimum()),
                                   (view.xMaximum(), want.xMaximum()), (view.yMaximum(), want.yMaximum()))),
      f"the first view is the communities' extent ({view.toString(1)} vs {want.toString(1)})")
tree = project.layerTreeRoot()
checked = [x.source().split("layername=")[-1].split("|")[0] for x in tree.checkedLayers()]
check(set(checked) >= {"communities", "streets", "facilities"} and "buildings" not in checked
      and "coverage_areas" not in checked, f"first view shows communities, streets, facilities: {checked}")
facilities = layers.get("facilities")
if facilities is not None and facilities.labelsEnabled():
    s = facilities.labeling().settings()
    check(s.scaleVisibility and 0 < s.minimumScale <= 10000,
          f"facility labels only at street scale (1:{s.minimumScale:.0f})")

settings = QgsMapSettings()
settings.setLayers(tree.checkedLayers())
settings.setDestinationCrs(project.crs())
settings.setExtent(view)
settings.setOutputSize(QSize(1200, 850))
settings.setBackgroundColor(QColor(255, 255, 255))
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
render = os.path.join(pages, "first_view.png")
os.makedirs(pages, exist_ok=True)
job.renderedImage().save(render)
check(inked(render) > 50, "the first view renders with ink")

layout = project.layoutManager().layoutByName("街道一张蓝图") or project.layoutManager().layoutByName("street blueprints")
check(layout is not None, "the print layout 街道一张蓝图")
if layout is not None:
    atlas = layout.atlas()
    check(atlas.enabled() and atlas.coverageLayer() is not None and atlas.coverageLayer().id() == streets.id(),
          "its atlas runs over the streets")
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = 60
    result, error = QgsLayoutExporter.exportToImage(atlas, os.path.join(pages, "street.png"), "png", settings)
    check(result == QgsLayoutExporter.Success, f"atlas exported ({error})")
    files = sorted(f for f in os.listdir(pages) if f.startswith("street_") and f.endswith(".png"))
    check(len(files) == streets.featureCount(),
          f"one page per street: {len(files)} pages, {streets.featureCount()} streets")
    for f in files:
        check(inked(os.path.join(pages, f)) > 200, f"page {f} has ink")
    atlas.beginRender()
    atlas.first()
    texts = [i.currentText() for i in layout.items() if hasattr(i, "currentText")]
    first = next(streets.getFeatures())
    check(any(str(first["street_name"]) in t for t in texts), f"the first page's title names its street: {texts}")
    atlas.endRender()
    print("pages: " + ", ".join(files))

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("all atlas checks passed")
