"""The plugin: registers the lantu Processing provider."""

from qgis.core import QgsApplication

from .provider import LantuProvider


class LantuPlugin:
    """Adds the `lantu` provider to QGIS's Processing framework."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 (QGIS's name)
        """Registers the provider (also without a GUI, e.g. in qgis_process)."""
        self.provider = LantuProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
