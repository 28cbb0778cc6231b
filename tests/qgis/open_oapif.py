#!/usr/bin/python3
"""Opens a collection of a running `lantu serve` through QGIS's OAPIF provider (the one
QGIS's "OGC API – Features" connection uses), headless, and renders it.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 open_oapif.py ADDRESS COLLECTION PNG
Prints one JSON object: valid, count (features read through the provider), crs, title,
inked (pixels drawn in the render). Exits 1 when the layer is not valid or nothing is drawn.
"""
import json
import os
import sys

from qgis.core import QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings, QgsVectorLayer
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

addr, collection, png = sys.argv[1], sys.argv[2], sys.argv[3]
app = QgsApplication([], False)
app.initQgis()
uri = f"url='http://{addr}' typename='{collection}'"
layer = QgsVectorLayer(uri, collection, "OAPIF")
result = {"valid": layer.isValid(), "uri": uri}
if layer.isValid():
    result["count"] = sum(1 for _ in layer.getFeatures())
    result["crs"] = layer.crs().authid()
    result["title"] = layer.metadata().title()
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(layer.extent())
    settings.setOutputSize(QSize(600, 600))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(png)
    inked = 0
    for x in range(0, image.width(), 3):
        for y in range(0, image.height(), 3):
            if QColor(image.pixel(x, y)).lightness() < 250:
                inked += 1
    result["inked"] = inked
print(json.dumps(result, ensure_ascii=False), flush=True)
# leave without QGIS's teardown, which may crash headless after network providers ran
os._exit(0 if result.get("valid") and result.get("inked", 0) > 0 else 1)
