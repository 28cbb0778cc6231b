#!/usr/bin/python3
"""The screenshot of the plugin's dialog in README.

Usage: xvfb-run -a /usr/bin/python3 docs/images/qgis_dialog.py docs/images/qgis_dialog.png
"""
import os
import sys

from qgis.core import QgsApplication, QgsProject, QgsSettings, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QMainWindow

repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
app = QgsApplication([], True)
app.initQgis()
QgsSettings().setValue("locale/userLocale", "zh_CN")
sys.path.append("/usr/share/qgis/python/plugins")
sys.path.insert(0, os.path.join(repo, "qgis"))
from processing.core.Processing import Processing  # noqa: E402

Processing.initialize()
import lantu_qgis  # noqa: E402
import processing  # noqa: E402
import processing.tools.general as general  # noqa: E402
import qgis.utils  # noqa: E402


class Iface:
    """The little of QGIS's interface the dialog asks for."""

    def __init__(self):
        self.window = QMainWindow()

    def mainWindow(self):  # noqa: N802
        return self.window

    def __getattr__(self, name):
        return lambda *a, **k: None


plugin = lantu_qgis.classFactory(None)
plugin.initProcessing()
qgis.utils.iface = general.iface = Iface()
fixtures = os.path.join(repo, "tests/fixtures/chongqing")
loaded = {}
for path, name in ((f"{fixtures}/communities.shp", "社区"), (f"{fixtures}/buildings.gpkg|layername=buildings", "建筑")):
    loaded[name] = QgsProject.instance().addMapLayer(QgsVectorLayer(path, name, "ogr"))
dialog = processing.createAlgorithmDialog("lantu:analyze", {})
dialog.setParameters({"COMMUNITIES": loaded["社区"].id(), "BUILDINGS": loaded["建筑"].id(), "FACILITY_COORDS": 1})
dialog.resize(980, 760)
dialog.show()


def grab():
    dialog.grab().save(sys.argv[1])
    app.quit()


QTimer.singleShot(1500, grab)
app.exec_()
