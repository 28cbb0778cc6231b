"""The steps after the analysis that end in the 申报方案: lantu:plan (planned projects),
lantu:pilots (pilot communities with quotas) and lantu:compare (two blueprints)."""

import os

from qgis.core import (QgsProcessing, QgsProcessingException, QgsProcessingOutputFolder, QgsProcessingParameterFile,
                       QgsProcessingParameterFolderDestination, QgsProcessingParameterMultipleLayers,
                       QgsProcessingParameterNumber, QgsProcessingParameterString, QgsProject, QgsVectorLayer)

from .algorithms import GROUP_EN, GROUP_ZH, AnalyzeAlgorithm, LantuAlgorithm, run_lantu
from qgis.PyQt.QtCore import QUrl

from .texts import chinese, tr


class PlanAlgorithm(AnalyzeAlgorithm):
    """lantu:plan — the analysis with one or more plans of projects, before and after."""

    def name(self):
        return "plan"

    def displayName(self):  # noqa: N802
        return tr("规划项目评估（实施前后）", "Planned projects (before and after)")

    def add_step_parameters(self):
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "PLANS", tr("规划项目表（GeoPackage、Shapefile、CSV/XLSX；多个则逐一比较）",
                        "Plans of projects (GeoPackage, Shapefile, CSV/XLSX; several are compared)"),
            QgsProcessing.TypeFile))
        self.addParameter(QgsProcessingParameterString(
            "PLAN_CRS", tr("规划项目表的坐标系（文件未声明时，如 EPSG:4545）",
                           "The plans' CRS when the files declare none (e.g. EPSG:4545)"), optional=True))

    def step_args(self, parameters, context):
        plans = self.parameterAsFileList(parameters, "PLANS", context)
        if not plans:
            raise QgsProcessingException(tr("至少需要一个规划项目表", "at least one plan is needed"))
        args = []
        for plan in plans:
            args += ["--plan", plan]
        crs = self.parameterAsString(parameters, "PLAN_CRS", context)
        if crs:
            args += ["--plan-crs", crs]
        return args


class PilotsAlgorithm(AnalyzeAlgorithm):
    """lantu:pilots — the analysis with pilot communities chosen, per district and street."""

    def name(self):
        return "pilots"

    def displayName(self):  # noqa: N802
        return tr("试点社区选择", "Pilot communities")

    def add_step_parameters(self):
        self.addParameter(QgsProcessingParameterNumber(
            "PILOTS", tr("试点社区数（0 为规则配置的数量）", "Pilot communities (0: the profile's number)"),
            QgsProcessingParameterNumber.Integer, defaultValue=0, minValue=0, maxValue=100000))
        for name, zh, en in (("PER_DISTRICT", "每个区县最多试点数（0 为不限）", "At most per district (0: no limit)"),
                             ("PER_STREET", "每个街道最多试点数（0 为不限）", "At most per street (0: no limit)")):
            self.addParameter(QgsProcessingParameterNumber(
                name, tr(zh, en), QgsProcessingParameterNumber.Integer, defaultValue=0, minValue=0, maxValue=100000))

    def step_args(self, parameters, context):
        count = self.parameterAsInt(parameters, "PILOTS", context)
        args = ["--pilots"] + ([str(count)] if count else [])
        for name, flag in (("PER_DISTRICT", "--pilots-per-district"), ("PER_STREET", "--pilots-per-street")):
            limit = self.parameterAsInt(parameters, name, context)
            if limit:
                args += [flag, str(limit)]
        return args


class CompareAlgorithm(LantuAlgorithm):
    """lantu:compare — two output folders of the same area (two years, or before and after)."""

    def name(self):
        return "compare"

    def displayName(self):  # noqa: N802
        return tr("比较两次分析", "Compare two blueprints")

    def shortHelpString(self):  # noqa: N802
        return tr("比较同一范围的两个 lantu 输出文件夹（不同年份，或规划实施前后），写出变化表、change.xlsx 与各街道变化图。",
                  "Compares two lantu output folders of the same area (two years, or before and after a plan): "
                  "the change tables, change.xlsx and a change map per street.")

    def initAlgorithm(self, config=None):  # noqa: N802
        for name, zh, en in (("OLD", "较早的输出文件夹", "The earlier blueprint's folder"),
                             ("NEW", "较新的输出文件夹", "The later blueprint's folder")):
            self.addParameter(QgsProcessingParameterFile(name, tr(zh, en), QgsProcessingParameterFile.Folder))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", tr("输出文件夹", "Output folder")))
        self.addOutput(QgsProcessingOutputFolder("OUTPUT_FOLDER", tr("输出文件夹", "Output folder")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        old, new = (self.parameterAsFile(parameters, p, context) for p in ("OLD", "NEW"))
        out = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        lang = "zh" if chinese() else "en"
        if not run_lantu([self.binary(), "--lang", lang, "compare", old, new, "--out", out], feedback):
            return {}
        self.out_dir = out
        return {"OUTPUT_FOLDER": out}

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        out = getattr(self, "out_dir", None)
        if out:
            load_changes(out, context.project() or QgsProject.instance())
        return {"OUTPUT_FOLDER": out} if out else {}


def load_changes(out, project):
    """Adds the change tables to the 一张蓝图 group (made when missing); returns the layers."""
    root = project.layerTreeRoot()
    name = GROUP_ZH if chinese() else GROUP_EN
    group = root.findGroup(name) or root.insertGroup(0, name)
    loaded = []
    for table, zh, en in (("change", "社区变化", "change by community"),
                          ("change_streets", "街道变化", "change by street"),
                          ("facility_changes", "设施增减", "facility changes")):
        path = os.path.join(out, "tables", f"{table}.csv")
        uri = QUrl.fromLocalFile(path).toString() + "?delimiter=,&detectTypes=yes&geomType=none"
        layer = QgsVectorLayer(uri, tr(zh, en), "delimitedtext")
        if layer.isValid():
            project.addMapLayer(layer, False)
            group.addLayer(layer)
            loaded.append(layer)
    return loaded
