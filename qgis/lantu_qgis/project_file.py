"""The layers chosen in the dialog as a lantu project file (TOML).

Layers that are files GDAL reads as they are (a Shapefile, a GeoPackage layer, a CSV opened
through OGR) are named by path, so that lantu reads what the planner has, with its encoding
and CRS. Everything else — memory layers, selections, filtered layers, database and
delimited-text layers — is first written to a GeoPackage in the run's working folder.
"""

import os

from qgis.core import (QgsFeatureSink, QgsProcessingFeatureSourceDefinition, QgsVectorFileWriter,
                       QgsVectorLayer)

#: Processing parameter → the project file's table.
LAYER_ROLES = (
    ("COMMUNITIES", "communities"),
    ("BUILDINGS", "buildings"),
    ("FACILITIES", "facilities"),
    ("WALKWAYS", "walkways"),
    ("CANDIDATES", "candidates"),
)

#: Processing parameter → (table, lantu's field role).
FIELD_ROLES = (
    ("CODE_FIELD", "communities", "code"),
    ("NAME_FIELD", "communities", "name"),
    ("HOUSEHOLDS_FIELD", "communities", "households"),
    ("STREET_FIELD", "communities", "street_name"),
    ("USE_FIELD", "buildings", "use"),
    ("FLOORS_FIELD", "buildings", "floors"),
    ("SERVICE_FIELD", "facilities", "service"),
    ("FLOOR_AREA_FIELD", "facilities", "floor_area"),
    ("COMPLEX_FIELD", "facilities", "complex"),
    ("STEPS_FIELD", "walkways", "steps"),
    ("CANDIDATE_AREA_FIELD", "candidates", "floor_area"),
)

#: The FACILITY_COORDS choices and their project value.
COORDS = ("wgs84", "gcj02", "bd09")


def toml_string(text):
    """A TOML basic string."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def file_source(layer, definition):
    """(path, layer name) when lantu can read the layer's own file as QGIS shows it, else None."""
    if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "ogr":
        return None
    if isinstance(definition, QgsProcessingFeatureSourceDefinition) and definition.selectedFeaturesOnly:
        return None
    if layer.subsetString():
        return None
    parts = layer.source().split("|")
    path = parts[0]
    if not os.path.isfile(path):
        return None
    options = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
    if set(options) - {"layername", "layerid"}:
        return None  # e.g. a geometrytype or subset option lantu would not apply
    return path, options.get("layername")


def export_source(source, path, name, context, feedback):
    """Writes a feature source (honouring selections and filters) to a GeoPackage layer."""
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    options.fileEncoding = "UTF-8"
    writer = QgsVectorFileWriter.create(
        path, source.fields(), source.wkbType(), source.sourceCrs(), context.transformContext(), options
    )
    if writer.hasError() != QgsVectorFileWriter.NoError:
        raise RuntimeError(f"{path}: {writer.errorMessage()}")
    for feature in source.getFeatures():
        if feedback.isCanceled():
            break
        writer.addFeature(feature, QgsFeatureSink.FastInsert)
    del writer  # flushes and closes the file


def write_project(path, tables, coords, profile=None):
    """Writes the project file. `tables`: table → dict(path, layer, crs, fields)."""
    lines = ['name = "QGIS"']
    if profile:
        lines.append(f"profile = {toml_string(profile)}")
    for table, spec in tables.items():
        lines.append("")
        lines.append(f"[{table}]")
        lines.append(f"path = {toml_string(spec['path'])}")
        if spec.get("layer"):
            lines.append(f"layer = {toml_string(spec['layer'])}")
        if spec.get("crs"):
            lines.append(f"crs = {toml_string(spec['crs'])}")
        if table == "facilities" and coords != "wgs84":
            lines.append(f"coords = {toml_string(coords)}")
        if spec.get("fields"):
            lines.append(f"[{table}.fields]")
            for role, field in spec["fields"].items():
                lines.append(f"{role} = {toml_string(field)}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
