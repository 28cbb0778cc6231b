"""The `lantu` Processing provider and where it finds the lantu binary."""

import os
import shutil

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .algorithms import AnalyzeAlgorithm, CheckAlgorithm, SitesAlgorithm
from .steps import CompareAlgorithm, PilotsAlgorithm, PlanAlgorithm
from .texts import tr

#: Processing setting holding the path of the lantu binary.
BINARY_SETTING = "LANTU_BINARY"


def find_binary():
    """The lantu binary: Processing's setting, then $LANTU_BINARY, then PATH."""
    try:
        from processing.core.ProcessingConfig import ProcessingConfig

        configured = ProcessingConfig.getSetting(BINARY_SETTING)
    except ImportError:
        configured = None
    for candidate in (configured, os.environ.get("LANTU_BINARY")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("lantu")


class LantuProvider(QgsProcessingProvider):
    """lantu's algorithms: 数据检查, 缺口分析, 闲置资源选址."""

    def id(self):
        return "lantu"

    def name(self):
        return tr("lantu 蓝图", "lantu blueprint")

    def longName(self):  # noqa: N802
        return tr("lantu 社区嵌入式服务设施一张蓝图", "lantu: the community service blueprint")

    def icon(self):
        return QIcon(os.path.join(os.path.dirname(__file__), "icon.png"))

    def load(self):
        try:
            from processing.core.ProcessingConfig import ProcessingConfig, Setting

            ProcessingConfig.addSetting(
                Setting(
                    self.name(),
                    BINARY_SETTING,
                    tr("lantu 可执行文件路径（空：在 PATH 中查找）", "lantu binary (empty: found on PATH)"),
                    "",
                    valuetype=Setting.FILE,
                )
            )
            ProcessingConfig.readSettings()
        except ImportError:
            pass  # Processing's Python part is absent (e.g. a bare qgis_process)
        self.refreshAlgorithms()
        return True

    def unload(self):
        try:
            from processing.core.ProcessingConfig import ProcessingConfig

            ProcessingConfig.removeSetting(BINARY_SETTING)
        except ImportError:
            pass

    def loadAlgorithms(self):  # noqa: N802
        for alg in (CheckAlgorithm(), AnalyzeAlgorithm(), SitesAlgorithm(), PlanAlgorithm(), PilotsAlgorithm(),
                    CompareAlgorithm()):
            self.addAlgorithm(alg)
