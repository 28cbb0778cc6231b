#!/usr/bin/python3
"""Opens lantu's blueprint in real QGIS (headless) and checks what a planner would see.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 check_blueprint.py OUTDIR PNG
Checks: every GeoPackage layer loads valid and carries lantu's default style from the
layer_styles table (communities coloured by gap_class, grey exactly where it is empty) (buildings and network: FlatGeobuf files with a .qml beside them); the project opens all layers valid and styled; QGIS renders the
project to PNG with something drawn. Exits 1 with a message on any failure.
"""
import json
import os
import sys

from qgis.core import (NULL, QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings,
                       QgsProject, QgsRenderContext, QgsVectorLayer, QgsRectangle)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

out, png = sys.argv[1], sys.argv[2]
app = QgsApplication([], False)
app.initQgis()
failures = []

EXPECTED = {
    "communities": "categorizedSymbol",
    "streets": "singleSymbol",
    "facilities": "categorizedSymbol",
    "buildings": "categorizedSymbol",
    "network": "categorizedSymbol",
    "coverage_areas": "categorizedSymbol",
    "uncovered_areas": "categorizedSymbol",
    "candidates": "RuleRenderer",
    "planned_projects": "singleSymbol",
    "pilots": "RuleRenderer",
}
OPTIONAL = ["candidates", "planned_projects", "pilots"]  # written only when asked for or present
with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
    if json.load(f).get("metric") == "euclidean":
        OPTIONAL.append("network")  # straight lines: no walking network

gpkg = os.path.join(out, "blueprint.gpkg")
SEPARATE = ("buildings", "network")  # FlatGeobuf files beside the GeoPackage, styled by a .qml
seen = []
for name, renderer in EXPECTED.items():
    if name in SEPARATE:
        source = os.path.join(out, "layers", f"{name}.fgb")
    else:
        source = f"{gpkg}|layername={name}"
    layer = QgsVectorLayer(source, name, "ogr")
    if not layer.isValid():
        if name in OPTIONAL:
            continue
        failures.append(f"{name}: not valid in QGIS")
        continue
    seen.append(name)
    got = layer.renderer().type()
    if got != renderer:
        failures.append(f"{name}: default style not applied (renderer {got}, expected {renderer})")
    if layer.featureCount() <= 0:
        failures.append(f"{name}: no features")
    if name == "communities":
        alias = layer.attributeAlias(layer.fields().indexOf("area_gap_m2"))
        if not alias:
            failures.append("communities: no field alias for area_gap_m2")
        if not layer.labelsEnabled():
            failures.append("communities: labels not enabled")
        # coloured by the gap_class the tables hold: grey exactly where it is empty
        # (households missing), as on the PNG maps and the page
        renderer, context = layer.renderer(), QgsRenderContext()
        renderer.startRender(context, layer.fields())
        for feature in layer.getFeatures():
            symbol = renderer.symbolForFeature(feature, context)
            grey = symbol is not None and symbol.color().name() == "#c8c8c8"
            if symbol is None or grey != (feature["gap_class"] in (None, NULL)):
                failures.append(f"communities: {feature['community_code']} (gap_class {feature['gap_class']}) drawn "
                                f"{symbol.color().name() if symbol else 'not at all'}")
        renderer.stopRender(context)

project = QgsProject.instance()
if not project.read(os.path.join(out, "blueprint.qgs")):
    failures.append("blueprint.qgs: QGIS could not read the project")
layers = list(project.mapLayers().values())
if len(layers) != len(seen):
    failures.append(f"project has {len(layers)} layers, the GeoPackage {len(seen)}")
for layer in layers:
    if not layer.isValid():
        failures.append(f"project layer {layer.name()}: not valid")
    elif layer.renderer() is None or layer.renderer().type() == "singleSymbol" and layer.name().startswith("社区"):
        failures.append(f"project layer {layer.name()}: not styled")
if not project.crs().isValid() or project.crs().authid() == "":
    failures.append("project CRS not valid")

settings = QgsMapSettings()
visible = list(project.layerTreeRoot().checkedLayers())
settings.setLayers(visible)
settings.setDestinationCrs(project.crs())
# the communities' extent, as the project opens
extent = QgsRectangle()
for layer in visible:
    if layer.source().endswith("layername=communities"):
        extent = settings.layerExtentToOutputExtent(layer, layer.extent())
if extent.isEmpty():
    failures.append("no communities layer in the project")
settings.setExtent(extent)
settings.setOutputSize(QSize(1200, 900))
settings.setBackgroundColor(QColor(255, 255, 255))
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
image = job.renderedImage()
image.save(png, "PNG")
coloured = 0
for x in range(0, image.width(), 10):
    for y in range(0, image.height(), 10):
        c = QColor(image.pixel(x, y))
        if (c.red(), c.green(), c.blue()) != (255, 255, 255):
            coloured += 1
if coloured < 100:
    failures.append(f"rendered image is (almost) blank: {coloured} coloured samples")

version = __import__("qgis.core").core.Qgis.QGIS_VERSION
print(f"QGIS {version}: {len(seen)} layers checked, {len(layers)} in the project, {coloured} coloured samples")
app.exitQgis()
if failures:
    print("\n".join(failures))
    sys.exit(1)
