"""lantu (蓝图) for QGIS: a Processing provider that runs the lantu engine on loaded layers."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    """QGIS calls this to load the plugin."""
    from .plugin import LantuPlugin

    return LantuPlugin(iface)
