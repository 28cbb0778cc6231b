"""A running `lantu serve` as an OGC API – Features connection of QGIS."""

from qgis.core import QgsOwsConnection, QgsSettings

DEFAULT_URL = "http://127.0.0.1:8787"


def add_connection(url, name=None):
    """Stores `url` in QGIS's list of WFS / OGC API – Features connections (as the Data
    Source Manager's "New" would, with version OGC API – Features) and returns its name."""
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        url = "http://" + url
    name = name or "lantu " + url.split("//", 1)[1]
    base = "qgis/connections-wfs/" + name
    settings = QgsSettings()
    settings.setValue(base + "/url", url)
    settings.setValue(base + "/version", "OGC_API_FEATURES")
    QgsOwsConnection.setSelectedConnection("WFS", name)
    return name


def layer_uri(name, collection):
    """The OAPIF data source of one collection of a stored connection."""
    uri = QgsOwsConnection("WFS", name).uri()
    uri.setParam("typename", collection)
    return uri.uri(False)
