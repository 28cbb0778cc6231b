"""lantu:check, lantu:analyze and lantu:sites, and what they share; the later steps (plans,
pilots, compare) are in steps.py."""

import json
import os
import tempfile

from qgis.core import (QgsProcessing, QgsProcessingAlgorithm, QgsProcessingException, QgsProcessingParameterBoolean,
                       QgsProcessingOutputBoolean, QgsProcessingOutputFolder, QgsProcessingOutputString,
                       QgsProcessingParameterEnum, QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                       QgsProcessingParameterFile, QgsProcessingParameterFolderDestination,
                       QgsProcessingParameterNumber, QgsProcessingParameterRasterLayer, QgsProject, QgsVectorLayer)

from . import project_file, runner
from .texts import chinese, tr

#: The group the layers are loaded into.
GROUP_ZH, GROUP_EN = "一张蓝图", "blueprint"


class LantuAlgorithm(QgsProcessingAlgorithm):
    """What every lantu algorithm shares: the input layers and fields, and the binary."""

    def group(self):
        return ""

    def groupId(self):  # noqa: N802
        return ""

    def createInstance(self):  # noqa: N802
        return type(self)()

    def shortHelpString(self):  # noqa: N802
        return tr(
            "把所选图层交给 lantu（非文件图层、所选要素与筛选后的图层先写入临时 GeoPackage）。"
            "字段留空时 lantu 按名称识别（户数、社区代码、服务类型、建筑面积……）。",
            "Hands the layers to lantu (layers that are not files, selections and filtered layers are "
            "first written to a temporary GeoPackage). Empty fields: lantu recognises them by name "
            "(户数/households, 社区代码/code, 服务类型/service, 建筑面积/floor area, …).",
        )

    def add_inputs(self):
        vector = [QgsProcessing.TypeVectorAnyGeometry]
        self.addParameter(QgsProcessingParameterFeatureSource(
            "COMMUNITIES", tr("社区（面，含户数）", "Communities (polygons with households)"),
            [QgsProcessing.TypeVectorPolygon]))
        for name, zh, en, types in (
            ("BUILDINGS", "建筑（面）", "Buildings (polygons)", [QgsProcessing.TypeVectorPolygon]),
            ("FACILITIES", "服务设施（点或面）", "Facilities (points or polygons)", vector),
            ("WALKWAYS", "步行道（线）", "Walkways (lines)", [QgsProcessing.TypeVectorLine]),
            ("CANDIDATES", "闲置资源（点或面）", "Idle buildings, candidate sites", vector),
        ):
            self.addParameter(QgsProcessingParameterFeatureSource(name, tr(zh, en), types, optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer("DEM", tr("高程（DEM，可选）", "DEM (optional)"), optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "POPULATION", tr("人口格网（每像元人数，如 WorldPop ppp，可选）",
                             "Population grid (people per cell, e.g. WorldPop ppp; optional)"), optional=True))
        for name, parent, zh, en in (
            ("CODE_FIELD", "COMMUNITIES", "社区代码字段", "Community code field"),
            ("NAME_FIELD", "COMMUNITIES", "社区名称字段", "Community name field"),
            ("HOUSEHOLDS_FIELD", "COMMUNITIES", "户数字段", "Households field"),
            ("STREET_FIELD", "COMMUNITIES", "街道名称字段", "Street name field"),
            ("USE_FIELD", "BUILDINGS", "建筑用途字段", "Building use field"),
            ("FLOORS_FIELD", "BUILDINGS", "层数字段", "Floors field"),
            ("SERVICE_FIELD", "FACILITIES", "服务类型字段", "Service kind field"),
            ("FLOOR_AREA_FIELD", "FACILITIES", "建筑面积字段", "Floor area field"),
            ("COMPLEX_FIELD", "FACILITIES", "综合体字段", "Complex (是/否) field"),
            ("STEPS_FIELD", "WALKWAYS", "台阶字段", "Stairs field"),
            ("CANDIDATE_AREA_FIELD", "CANDIDATES", "闲置资源面积字段", "Candidate floor area field"),
        ):
            self.addParameter(QgsProcessingParameterField(name, tr(zh, en), parentLayerParameterName=parent,
                                                          optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "FACILITY_COORDS", tr("设施经纬度坐标系", "Facility longitude/latitude"),
            options=["WGS 84", tr("GCJ-02（高德、腾讯）", "GCJ-02 (Amap, Tencent)"), tr("BD-09（百度）", "BD-09 (Baidu)")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterFile(
            "PROFILE", tr("规则配置（profile.toml，可选）", "Profile of rules (profile.toml, optional)"),
            extension="toml", optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "LANGUAGE", tr("输出语言", "Output language"), options=["中文", "English"],
            defaultValue=0 if chinese() else 1))

    def project(self, parameters, context, feedback):
        """Writes the project file for the chosen layers; returns its path."""
        work = tempfile.mkdtemp(prefix="lantu-qgis-")
        tables = {}
        for param, table in project_file.LAYER_ROLES:
            value = parameters.get(param)
            if value is None or value == "":
                continue
            source = self.parameterAsSource(parameters, param, context)
            if source is None:
                continue
            layer = self.parameterAsVectorLayer(parameters, param, context)
            on_disk = project_file.file_source(layer, value)
            if on_disk:
                spec = {"path": on_disk[0], "layer": on_disk[1]}
            else:
                path = os.path.join(work, f"{table}.gpkg")
                feedback.pushInfo(tr(f"写入临时图层 {path}", f"writing a temporary layer {path}"))
                project_file.export_source(source, path, table, context, feedback)
                spec = {"path": path, "layer": table}
            if layer is not None and layer.crs().isValid() and layer.crs().authid().startswith("EPSG:"):
                # what QGIS uses for the layer is what the planner sees: lantu reads it the same way
                spec["crs"] = layer.crs().authid()
            spec["fields"] = {}
            tables[table] = spec
        for param, table, role in project_file.FIELD_ROLES:
            field = self.parameterAsString(parameters, param, context)
            if field and table in tables:
                tables[table]["fields"][role] = field
        if "communities" not in tables:
            raise QgsProcessingException(tr("需要社区图层", "a communities layer is needed"))
        dem = self.parameterAsRasterLayer(parameters, "DEM", context)
        coords = project_file.COORDS[self.parameterAsEnum(parameters, "FACILITY_COORDS", context)]
        profile = self.parameterAsFile(parameters, "PROFILE", context) or None
        path = os.path.join(work, "project.toml")
        project_file.write_project(path, tables, coords, profile)
        population = self.parameterAsRasterLayer(parameters, "POPULATION", context)
        with open(path, "a", encoding="utf-8") as f:
            if dem is not None:
                f.write(f"\n[dem]\npath = {project_file.toml_string(dem.source())}\n")
            if population is not None:
                # households estimated from the grid where communities give no count (see the README)
                f.write(f"\n[population]\npath = {project_file.toml_string(population.source())}\n")
        return path

    def language(self, parameters, context):
        return "zh" if self.parameterAsEnum(parameters, "LANGUAGE", context) == 0 else "en"

    def binary(self):
        from .provider import find_binary

        path = find_binary()
        if not path:
            raise QgsProcessingException(tr(
                "找不到 lantu 可执行文件：请安装 lantu，或在 处理→选项→提供者→lantu 中设置其路径",
                "the lantu binary was not found: install lantu, or set its path under "
                "Processing → Options → Providers → lantu"))
        return path

    def stage_name(self, event):
        return event.get("stage_zh") if chinese() else event.get("stage")


class CheckAlgorithm(LantuAlgorithm):
    """lantu:check — 数据检查."""

    def name(self):
        return "check"

    def displayName(self):  # noqa: N802
        return tr("数据检查", "Check the data")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_inputs()
        self.addOutput(QgsProcessingOutputString("REPORT", tr("检查报告", "Check report")))
        self.addOutput(QgsProcessingOutputBoolean("CAN_ANALYSE", tr("可以分析", "Can be analysed")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        project = self.project(parameters, context, feedback)
        args = [self.binary(), "--lang", self.language(parameters, context), "check", project]
        status, out, err = runner.run(args, feedback, self.stage_name)
        if status not in (0, 1):
            raise QgsProcessingException("\n".join(err[-5:]) or f"lantu exit {status}")
        return {"REPORT": "\n".join(out), "CAN_ANALYSE": status == 0}


class AnalyzeAlgorithm(LantuAlgorithm):
    """lantu:analyze — 缺口分析."""

    default_sites = 0

    def name(self):
        return "analyze"

    def displayName(self):  # noqa: N802
        return tr("缺口分析（一张蓝图）", "Gap analysis (the blueprint)")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_inputs()
        self.addParameter(QgsProcessingParameterEnum(
            "METRIC", tr("距离度量", "Distance"),
            options=[tr("自动（有步行道时按步行网络）", "automatic (walking network when there are walkways)"),
                     tr("步行网络", "walking network"), tr("直线距离", "straight line")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "SITES", tr("推荐闲置资源改造选址数（0 为不推荐）", "Idle buildings to recommend (0: none)"),
            QgsProcessingParameterNumber.Integer, defaultValue=self.default_sites, minValue=0, maxValue=1000))
        self.addParameter(QgsProcessingParameterBoolean(
            "NO_MAPS", tr("不绘制地图（PNG、PDF）", "Skip the maps (PNG, PDF)"), defaultValue=False))
        self.addParameter(QgsProcessingParameterNumber(
            "DPI", tr("地图分辨率（dpi，A4 横向）", "Map resolution (dpi, A4 landscape)"),
            QgsProcessingParameterNumber.Integer, defaultValue=200, minValue=50, maxValue=600))
        self.add_step_parameters()
        self.addParameter(QgsProcessingParameterFolderDestination(
            "OUTPUT_FOLDER", tr("输出文件夹", "Output folder")))
        self.addOutput(QgsProcessingOutputFolder("OUTPUT_FOLDER", tr("输出文件夹", "Output folder")))

    def add_step_parameters(self):
        """The parameters of a later step (plans, pilots); none for the analysis itself."""

    def step_args(self, parameters, context):
        """The command-line options of a later step."""
        return []

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        project = self.project(parameters, context, feedback)
        out = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        args = [self.binary(), "--lang", self.language(parameters, context), "analyze", project, "--out", out,
                "--progress", "json", "--sites", str(self.parameterAsInt(parameters, "SITES", context))]
        metric = self.parameterAsEnum(parameters, "METRIC", context)
        if metric:
            args += ["--metric", ("network", "euclidean")[metric - 1]]
        if self.parameterAsBoolean(parameters, "NO_MAPS", context):
            args.append("--no-maps")
        args += ["--dpi", str(self.parameterAsInt(parameters, "DPI", context))]
        args += self.step_args(parameters, context)
        if not run_lantu(args, feedback):
            return {}
        self.out_dir = out
        self.lang_zh = self.language(parameters, context) == "zh"
        return {"OUTPUT_FOLDER": out}

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        out = getattr(self, "out_dir", None)
        if out:
            load_blueprint(out, context.project() or QgsProject.instance(), self.lang_zh)
        return {"OUTPUT_FOLDER": out} if out else {}


class SitesAlgorithm(AnalyzeAlgorithm):
    """lantu:sites — 闲置资源选址 (the analysis with site recommendations)."""

    default_sites = 10

    def name(self):
        return "sites"

    def displayName(self):  # noqa: N802
        return tr("闲置资源选址", "Idle buildings to convert")


def run_lantu(args, feedback):
    """Runs lantu with its progress in the dialog; False when the user cancelled. Raises
    with lantu's last lines when it fails."""
    feedback.pushCommandInfo(" ".join(args))
    try:
        status, _, err = runner.run(args, feedback, lambda e: e.get("stage_zh") if chinese() else e.get("stage"))
    except runner.Cancelled:
        feedback.reportError(tr("已取消：lantu 已停止并清除未完成的输出",
                                "cancelled: lantu stopped and removed its unfinished outputs"))
        return False
    if status != 0:
        message = "\n".join(err[-8:]) or tr(f"lantu 退出码 {status}", f"lantu exit status {status}")
        raise QgsProcessingException(message)
    feedback.setProgress(100)
    return True


def load_blueprint(out, project, zh=True):
    """Adds the blueprint's layers, styled (from the GeoPackage's layer_styles), to a group
    一张蓝图 at the top of the project; returns the group."""
    gpkg = os.path.join(out, "blueprint.gpkg")
    # the layers, their order, titles and first visibility: the output registry lantu wrote
    registry = os.path.join(out, "registry.json")
    if not os.path.exists(registry):
        raise QgsProcessingException(tr(f"{out} 中没有 registry.json：不是 lantu 的输出文件夹，或由旧版本生成",
                                        f"no registry.json in {out}: not a lantu output folder, or one made by an "
                                        "older version"))
    with open(registry, encoding="utf-8") as f:
        layers = json.load(f)["layers"]
    root = project.layerTreeRoot()
    group = root.insertGroup(0, GROUP_ZH if zh else GROUP_EN)
    for entry in layers:
        table, visible = entry["code"], entry["visible"]
        # coverage areas: each kind's own circle is shown (the others stay in the layer)
        subset = '|subset="is_kind_circle" = 1' if table == "coverage_areas" else ""
        # the big layers (buildings, network) are FlatGeobuf files styled by a .qml beside them
        separate = os.path.join(out, "layers", f"{table}.fgb")
        source = separate if os.path.exists(separate) else f"{gpkg}|layername={table}{subset}"
        layer = QgsVectorLayer(source, entry["zh"] if zh else entry["en"], "ogr")
        if not layer.isValid():
            continue  # e.g. candidates when there were none
        project.addMapLayer(layer, False)
        node = group.addLayer(layer)
        node.setItemVisibilityChecked(visible)
    return group
