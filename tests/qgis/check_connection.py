#!/usr/bin/python3
"""The plugin's "connect to lantu serve" stores a connection QGIS itself reads: headless QGIS
(with a profile of its own) adds the address as an OGC API – Features connection through
`lantu_qgis.connection`, lists it among its WFS / OGC API connections, and opens a collection
from it with the OAPIF provider.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 check_connection.py PLUGIN_DIR ADDRESS PROFILE_DIR
Prints one JSON object; exits 1 when any step fails.
"""
import json
import os
import sys

plugins, addr, profile = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, plugins)
from qgis.core import QgsApplication, QgsOwsConnection, QgsVectorLayer  # noqa: E402

app = QgsApplication([], False, profile)
app.initQgis()
from lantu_qgis.connection import add_connection, layer_uri  # noqa: E402

# the menu entry, on a stand-in for QGIS's interface that records the Web menu
import lantu_qgis  # noqa: E402


class Iface:
    def __init__(self):
        self.web_menu = []

    def mainWindow(self):  # noqa: N802 (QGIS's name)
        return None

    def addPluginToWebMenu(self, menu, action):  # noqa: N802
        self.web_menu.append((menu, action.text()))

    def removePluginWebMenu(self, menu, action):  # noqa: N802
        self.web_menu.remove((menu, action.text()))


iface = Iface()
plugin = lantu_qgis.classFactory(iface)
plugin.initGui()
menu_entry = " ".join(text for menu, text in iface.web_menu if menu == "lantu")
plugin.unload()
menu_entry = menu_entry if not iface.web_menu else "left behind by unload"

name = add_connection(addr)
listed = name in QgsOwsConnection.connectionList("WFS")
uri = QgsOwsConnection("WFS", name).uri().uri(False)
layer = QgsVectorLayer(layer_uri(name, "pilots"), "pilots", "OAPIF")
result = {"menu_entry": menu_entry, "name": name, "listed": listed, "uri": uri, "valid": layer.isValid(),
          "count": sum(1 for _ in layer.getFeatures()) if layer.isValid() else 0}
print(json.dumps(result, ensure_ascii=False), flush=True)
os._exit(0 if listed and layer.isValid() and "OGC_API_FEATURES" in uri and "lantu serve" in menu_entry else 1)
