#!/usr/bin/python3
"""Makes street_atlas.xml, the print layout lantu puts in blueprint.qgs, with QGIS itself.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 make_street_atlas.py OUTDIR/blueprint.qgs street_atlas.xml
(OUTDIR: any `lantu analyze` output). QGIS 3.22 lays the page out and writes the XML; lantu
fills the @@…@@ places (layer ids, sources and names, texts in the run's language, extent).
An A4 landscape page per street: title, the atlas-driven map, legend, scale bar, north arrow,
the street's communities as a table, source and date.
"""
import re
import sys

from qgis.core import (QgsApplication, QgsLayoutFrame, QgsLayoutItemAttributeTable, QgsLayoutItemLabel,
                       QgsLayoutItemLegend, QgsLayoutItemMap, QgsLayoutItemPicture, QgsLayoutItemScaleBar,
                       QgsLayoutPoint, QgsLayoutSize, QgsLayoutTableColumn, QgsLegendStyle, QgsPrintLayout,
                       QgsProject, QgsScaleBarSettings, QgsTextFormat, QgsUnitTypes)
from qgis.PyQt.QtGui import QFont

project_path, out = sys.argv[1], sys.argv[2]
app = QgsApplication([], False)
app.initQgis()
p = QgsProject.instance()
p.read(project_path)
layers = p.mapLayers().values()
streets = next(x for x in layers if x.source().endswith("layername=streets"))
communities = next(x for x in layers if x.source().endswith("layername=communities"))
font = "WenQuanYi Micro Hei"

layout = QgsPrintLayout(p)
layout.initializeDefaults()  # one A4 landscape page
layout.setName("@@LAYOUT_NAME@@")
atlas = layout.atlas()
atlas.setCoverageLayer(streets)
atlas.setEnabled(True)
atlas.setPageNameExpression('"street_name"')
atlas.setFilenameExpression("'street_' || \"street_code\"")

title = QgsLayoutItemLabel(layout)
title.setText('[% "street_name" %] @@TITLE_SUFFIX@@')
title.setFont(QFont(font, 16))
layout.addLayoutItem(title)
title.attemptMove(QgsLayoutPoint(10, 7))
title.attemptResize(QgsLayoutSize(277, 10))

m = QgsLayoutItemMap(layout)
m.setAtlasDriven(True)
m.setAtlasScalingMode(QgsLayoutItemMap.Auto)
m.setAtlasMargin(0.08)
m.setFrameEnabled(True)
layout.addLayoutItem(m)
m.attemptMove(QgsLayoutPoint(10, 20))
m.attemptResize(QgsLayoutSize(180, 161))

north = QgsLayoutItemPicture(layout)
north.setPicturePath(":/images/north_arrows/layout_default_north_arrow.svg")
north.setLinkedMap(m)
layout.addLayoutItem(north)
north.attemptMove(QgsLayoutPoint(176, 22))
north.attemptResize(QgsLayoutSize(11, 11))

bar = QgsLayoutItemScaleBar(layout)
bar.setLinkedMap(m)
bar.setStyle("Single Box")
bar.setUnits(QgsUnitTypes.DistanceMeters)
bar.setUnitLabel("m")
bar.setNumberOfSegments(2)
bar.setNumberOfSegmentsLeft(0)
# the atlas changes the scale from page to page: segments fit a width, in round numbers
bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
bar.setMinimumBarWidth(25)
bar.setMaximumBarWidth(50)
bar.setHeight(2)
fmt = QgsTextFormat()
fmt.setFont(QFont(font, 8))
fmt.setSize(8)
bar.setTextFormat(fmt)
layout.addLayoutItem(bar)
# below the map frame, so that it never covers the bottom row's labels
bar.attemptMove(QgsLayoutPoint(12, 182))

legend = QgsLayoutItemLegend(layout)
legend.setLinkedMap(m)
legend.setTitle("@@LEGEND_TITLE@@")
legend.setResizeToContents(False)
legend.setColumnCount(2)
legend.setSplitLayer(True)
legend.setLegendFilterByMapEnabled(True)  # only what the street's page shows
legend.setSymbolWidth(5)
legend.setSymbolHeight(3)
for style in (QgsLegendStyle.Title, QgsLegendStyle.Group, QgsLegendStyle.Subgroup, QgsLegendStyle.SymbolLabel):
    legend.rstyle(style).setFont(QFont(font, 9 if style == QgsLegendStyle.Title else 6))
layout.addLayoutItem(legend)
legend.attemptMove(QgsLayoutPoint(195, 20))
legend.attemptResize(QgsLayoutSize(92, 92))

table = QgsLayoutItemAttributeTable.create(layout)
table.setVectorLayer(communities)
table.setFilterFeatures(True)
table.setFeatureFilter("\"street_code\" = attribute(@atlas_feature, 'street_code')")
columns = []
for attribute, heading in (("priority_rank", "@@H_RANK@@"), ("community_name", "@@H_NAME@@"),
                           ("households", "@@H_HOUSEHOLDS@@"), ("area_per_100hh_m2", "@@H_AREA@@"),
                           ("area_gap_m2", "@@H_GAP@@"), ("config_ok", "@@H_CONFIG@@")):
    c = QgsLayoutTableColumn(heading)
    c.setAttribute(attribute)
    columns.append(c)
table.setColumns(columns)
header = QgsTextFormat()
header.setFont(QFont(font, 6))
header.setSize(6)
table.setHeaderTextFormat(header)
table.setContentTextFormat(header)
layout.addMultiFrame(table)
frame = QgsLayoutFrame(layout, table)
frame.attemptMove(QgsLayoutPoint(195, 115))
frame.attemptResize(QgsLayoutSize(92, 76))
table.addFrame(frame)

source = QgsLayoutItemLabel(layout)
source.setText("@@SOURCE@@ · [% format_date(now(), 'yyyy-MM-dd') %]")
source.setFont(QFont(font, 7))
layout.addLayoutItem(source)
source.attemptMove(QgsLayoutPoint(10, 195))
source.attemptResize(QgsLayoutSize(277, 6))

p.layoutManager().addLayout(layout)
p.write("/tmp/lantu-street-atlas.qgs")
text = open("/tmp/lantu-street-atlas.qgs", encoding="utf-8").read()
xml = text[text.index("<Layouts>"):text.index("</Layouts>") + len("</Layouts>")]
for layer, key in ((streets, "STREETS"), (communities, "COMMUNITIES")):
    xml = xml.replace(layer.source(), f"@@{key}_SOURCE@@").replace(layer.id(), f"@@{key}_ID@@")
    xml = xml.replace(f'"{layer.name()}"', f'"@@{key}_NAME@@"')
xml = re.sub(r"<Extent [^>]*/>", '<Extent xmin="@@XMIN@@" ymin="@@YMIN@@" xmax="@@XMAX@@" ymax="@@YMAX@@"/>', xml)
open(out, "w", encoding="utf-8").write(xml + "\n")
print(out, len(xml))
