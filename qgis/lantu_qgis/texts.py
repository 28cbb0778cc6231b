"""Chinese first, English when QGIS runs in English."""

from qgis.core import QgsSettings


def chinese():
    """Whether QGIS's interface language is Chinese (or not set, as on a fresh install)."""
    locale = str(QgsSettings().value("locale/userLocale", "") or "")
    if not locale:
        from qgis.PyQt.QtCore import QLocale

        locale = QLocale.system().name()
    return locale.lower().startswith("zh")


def tr(zh, en):
    """The text in QGIS's language."""
    return zh if chinese() else en
