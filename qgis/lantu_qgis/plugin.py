"""The plugin: registers the lantu Processing provider and a menu entry that connects to a
running `lantu serve`."""

from qgis.core import QgsApplication

from .provider import LantuProvider
from .texts import tr


class LantuPlugin:
    """Adds the `lantu` provider to QGIS's Processing framework."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.action = None

    def initProcessing(self):  # noqa: N802 (QGIS's name)
        """Registers the provider (also without a GUI, e.g. in qgis_process)."""
        self.provider = LantuProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()
        from qgis.PyQt.QtWidgets import QAction

        self.action = QAction(tr("连接 lantu serve（OGC API – Features）…", "Connect to lantu serve (OGC API – Features)…"),
                              self.iface.mainWindow())
        self.action.triggered.connect(self.connect_server)
        self.iface.addPluginToWebMenu("lantu", self.action)

    def connect_server(self):
        """Asks for the address `lantu serve` printed and adds it as an OGC API connection."""
        from qgis.PyQt.QtWidgets import QInputDialog

        from .connection import DEFAULT_URL, add_connection

        url, ok = QInputDialog.getText(self.iface.mainWindow(), "lantu serve",
                                       tr("lantu serve 显示的地址：", "The address lantu serve printed:"), text=DEFAULT_URL)
        if ok and url.strip():
            name = add_connection(url)
            self.iface.messageBar().pushSuccess(
                "lantu", tr(f"已添加 OGC API 连接「{name}」：在 数据源管理器 ▸ WFS / OGC API – Features 中打开",
                            f"added the OGC API connection '{name}': open it in Data Source Manager ▸ WFS / OGC API – Features"))

    def unload(self):
        if getattr(self, "action", None) is not None:
            self.iface.removePluginWebMenu("lantu", self.action)
            self.action = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
