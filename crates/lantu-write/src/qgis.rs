//! QGIS styles: QML stored in the GeoPackage's `layer_styles` table (QGIS applies them by
//! default) and a `blueprint.qgs` project that opens every layer, grouped and styled.

use crate::columns::column_label;
use crate::{MetricCrs, Result, WriteError};
use gdal::vector::{Feature, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use lantu_core::registry::column_short;
use lantu_core::{Kinds, Lang};
use lantu_engine::style::{gap_class_label, GAP_CLASSES, LABEL_FONT};
use std::fmt::Write;
use std::path::Path;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
fn rgba((r, g, b): (u8, u8, u8), a: u8) -> String {
    format!("{r},{g},{b},{a}")
}

fn opt(name: &str, value: &str) -> String {
    format!(r#"<Option type="QString" name="{name}" value="{}"/>"#, esc(value))
}

fn fill_symbol(name: &str, fill: &str, outline: &str, width: f64, alpha: f64, style: &str) -> String {
    format!(
        r#"<symbol type="fill" name="{name}" alpha="{alpha}" clip_to_extent="1" force_rhr="0"><layer class="SimpleFill" enabled="1" pass="0" locked="0"><Option type="Map">{}{}{}{}{}{}</Option></layer></symbol>"#,
        opt("color", fill),
        opt("outline_color", outline),
        opt("outline_width", &width.to_string()),
        opt("outline_width_unit", "MM"),
        opt("style", style),
        opt("outline_style", "solid"),
    )
}

fn marker_symbol(name: &str, fill: &str, shape: &str, size: f64) -> String {
    format!(
        r#"<symbol type="marker" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleMarker" enabled="1" pass="0" locked="0"><Option type="Map">{}{}{}{}{}{}</Option></layer></symbol>"#,
        opt("color", fill),
        opt("name", shape),
        opt("size", &size.to_string()),
        opt("size_unit", "MM"),
        opt("outline_color", "35,35,35,255"),
        opt("outline_width", "0.2"),
    )
}

fn line_symbol(name: &str, colour: &str, width: f64, dash: bool) -> String {
    format!(
        r#"<symbol type="line" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleLine" enabled="1" pass="0" locked="0"><Option type="Map">{}{}{}{}</Option></layer></symbol>"#,
        opt("line_color", colour),
        opt("line_width", &width.to_string()),
        opt("line_width_unit", "MM"),
        opt("line_style", if dash { "dash" } else { "solid" }),
    )
}

/// Labels shown only at this scale or closer (1:10,000: a street, not a district).
const STREET_SCALE: u32 = 10_000;
/// Building labels: closer still (1:2,500).
const BUILDING_SCALE: u32 = 2_500;

/// A simple labeling; `closer_than`: shown only at scales 1:N and larger (QGIS writes the
/// smallest scale as `scaleMax`).
fn labeling(field_or_expr: &str, is_expression: bool, size: f64, polygon: bool, closer_than: Option<u32>) -> String {
    let scale = closer_than.map_or(r#"scaleVisibility="0""#.to_string(), |s| {
        format!(r#"scaleVisibility="1" scaleMax="{s}" scaleMin="1""#)
    });
    format!(
        r#"<labeling type="simple"><settings calloutType="simple"><text-style fontFamily="{LABEL_FONT}" fontSize="{size}" fontSizeUnit="Point" textColor="20,20,20,255" fieldName="{}" isExpression="{}" fontWeight="50" fontItalic="0" namedStyle="Regular" textOpacity="1" multilineHeight="1" allowHtml="0"><text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.85" bufferJoinStyle="128" bufferNoFill="1"/></text-style><text-format wrapChar="" autoWrapLength="0" multilineAlign="3" plussign="0" reverseDirectionSymbol="0" formatNumbers="0" decimals="3" addDirectionSymbol="0" useMaxLineLengthForAutoWrap="1"/><placement placement="{}" dist="0" priority="5" overlapHandling="PreventOverlap" centroidInside="1" fitInPolygonOnly="0"/><rendering obstacle="1" {scale} upsidedownLabels="0" displayAll="0" drawLabels="1" limitNumLabels="0" mergeLines="0"/></settings></labeling>"#,
        esc(field_or_expr),
        is_expression as u8,
        if polygon { 1 } else { 6 },
    )
}

fn aliases(fields: &[String], kinds: &Kinds, lang: Lang) -> String {
    let mut s = String::from("<aliases>");
    for (i, f) in fields.iter().enumerate() {
        let _ =
            write!(s, r#"<alias field="{}" index="{i}" name="{}"/>"#, esc(f), esc(column_label(f, kinds).header(lang)));
    }
    s.push_str("</aliases>");
    s
}

/// The renderer, labels and aliases of a blueprint layer (the body of its QML and of
/// its `<maplayer>` in the project). `None` for layers lantu does not style.
pub fn layer_style_body(layer: &str, fields: &[String], kinds: &Kinds, lang: Lang) -> Option<String> {
    let renderer = match layer {
        "communities" => {
            // by the gap class the tables hold (lantu_engine::style::gap_class), as the PNG
            // maps and the page colour: grey where households are missing
            let mut cats = String::new();
            let mut symbols = String::new();
            for (i, (_, colour)) in GAP_CLASSES.iter().enumerate() {
                let _ = write!(
                    cats,
                    r#"<category value="{i}" symbol="{i}" label="{}" render="true"/>"#,
                    esc(&gap_class_label(i, lang))
                );
                symbols.push_str(&fill_symbol(&i.to_string(), &rgba(*colour, 255), "90,90,90,255", 0.3, 0.75, "solid"));
            }
            let n = GAP_CLASSES.len();
            let _ = write!(
                cats,
                r#"<category value="" symbol="{n}" label="{}" render="true"/>"#,
                lang.pick("户数缺失", "no households")
            );
            symbols.push_str(&fill_symbol(&n.to_string(), "200,200,200,255", "90,90,90,255", 0.3, 0.75, "solid"));
            format!(
                r#"<renderer-v2 type="categorizedSymbol" attr="gap_class" symbollevels="0" forceraster="0" enableorderby="0"><categories>{cats}</categories><symbols>{symbols}</symbols></renderer-v2>"#
            )
        }
        "facilities" | "coverage_areas" | "uncovered_areas" => {
            let attr = if layer == "facilities" { r#"regexp_substr("kinds", '^[a-z0-9_]+')"# } else { "kind" };
            let mut cats = String::new();
            let mut symbols = String::new();
            for (i, k) in kinds.all().enumerate() {
                let _ = write!(
                    cats,
                    r#"<category value="{}" symbol="{i}" label="{}" render="true"/>"#,
                    esc(kinds.code(k)),
                    esc(kinds.name(k, lang))
                );
                let c = kinds.rgb(k);
                symbols.push_str(&match layer {
                    "facilities" => marker_symbol(&i.to_string(), &rgba(c, 255), "circle", 2.6),
                    "coverage_areas" => fill_symbol(&i.to_string(), &rgba(c, 255), &rgba(c, 255), 0.2, 0.3, "solid"),
                    _ => fill_symbol(&i.to_string(), &rgba(c, 255), &rgba(c, 255), 0.1, 0.6, "b_diagonal"),
                });
            }
            if layer == "uncovered_areas" {
                // homes with no core (一老一小) kind in reach
                let i = kinds.len();
                let _ = write!(
                    cats,
                    r#"<category value="{}" symbol="{i}" label="{}" render="true"/>"#,
                    crate::CORE_UNCOVERED,
                    lang.pick("无一老一小服务的住宅", "homes with no core service")
                );
                symbols.push_str(&fill_symbol(&i.to_string(), "200,0,0,255", "200,0,0,255", 0.2, 0.7, "solid"));
            }
            format!(
                r#"<renderer-v2 type="categorizedSymbol" attr="{}" symbollevels="0" forceraster="0" enableorderby="0"><categories>{cats}</categories><symbols>{symbols}</symbols></renderer-v2>"#,
                esc(attr)
            )
        }
        "network" => format!(
            r#"<renderer-v2 type="categorizedSymbol" attr="steps" symbollevels="0" forceraster="0" enableorderby="0"><categories><category value="0" symbol="0" label="{}" render="true"/><category value="1" symbol="1" label="{}" render="true"/></categories><symbols>{}{}</symbols></renderer-v2>"#,
            lang.pick("步行道", "walkway"),
            lang.pick("台阶", "stairs"),
            line_symbol("0", "120,120,120,255", 0.25, false),
            line_symbol("1", "200,30,30,255", 0.45, true),
        ),
        "buildings" => format!(
            r#"<renderer-v2 type="categorizedSymbol" attr="residential" symbollevels="0" forceraster="0" enableorderby="0"><categories><category value="1" symbol="0" label="{}" render="true"/><category value="0" symbol="1" label="{}" render="true"/></categories><symbols>{}{}</symbols></renderer-v2>"#,
            lang.pick("住宅", "residential"),
            lang.pick("非住宅", "other"),
            fill_symbol("0", "190,186,218,255", "130,130,150,255", 0.1, 1.0, "solid"),
            fill_symbol("1", "220,220,220,255", "160,160,160,255", 0.1, 1.0, "solid"),
        ),
        "streets" => format!(
            r#"<renderer-v2 type="singleSymbol" symbollevels="0" forceraster="0" enableorderby="0"><symbols>{}</symbols></renderer-v2>"#,
            fill_symbol("0", "0,0,0,0", "40,40,40,255", 0.8, 1.0, "no"),
        ),
        "candidates" => format!(
            r#"<renderer-v2 type="RuleRenderer" symbollevels="0" forceraster="0" enableorderby="0"><rules key="root"><rule key="chosen" filter="&quot;site_rank&quot; IS NOT NULL" symbol="0" label="{}"/><rule key="other" filter="ELSE" symbol="1" label="{}"/></rules><symbols>{}{}</symbols></renderer-v2>"#,
            lang.pick("建议改造", "recommended"),
            lang.pick("其他闲置资源", "other candidates"),
            marker_symbol("0", "255,200,0,255", "star", 5.0),
            marker_symbol("1", "200,200,200,255", "star", 3.0),
        ),
        "planned_projects" => format!(
            r#"<renderer-v2 type="singleSymbol" symbollevels="0" forceraster="0" enableorderby="0"><symbols>{}</symbols></renderer-v2>"#,
            marker_symbol("0", "33,113,181,255", "triangle", 4.5),
        ),
        "pilots" => format!(
            r#"<renderer-v2 type="RuleRenderer" symbollevels="0" forceraster="0" enableorderby="0"><rules key="root"><rule key="first" filter="&quot;by_2025&quot; = 1" symbol="0" label="{}"/><rule key="later" filter="ELSE" symbol="1" label="{}"/></rules><symbols>{}{}</symbols></renderer-v2>"#,
            lang.pick("试点社区（2025 年前启动）", "pilots (start by 2025)"),
            lang.pick("试点社区（其后）", "pilots (later)"),
            fill_symbol("0", "33,113,181,255", "8,48,107,255", 0.8, 0.45, "solid"),
            fill_symbol("1", "158,202,225,255", "33,113,181,255", 0.6, 0.45, "solid"),
        ),
        _ => return None,
    };
    let labels = match layer {
        "planned_projects" => labeling("name", true, 8.0, false, None),
        "pilots" => labeling(r#"'#' || "pilot_rank" || ' ' || "community_name""#, true, 9.0, true, None),
        "communities" => labeling("community_name", false, 9.0, true, None),
        "streets" => labeling("street_name", false, 12.0, true, None),
        // OSM objects without a name carry their id as name: no label for those; at street
        // scale only, where they do not cover the map
        "facilities" => labeling(r#"if("name" = "source_id", NULL, "name")"#, true, 7.0, false, Some(STREET_SCALE)),
        "buildings" => labeling(
            &format!(r#"if("households" > 0, format_number("households", 0) || '{}', NULL)"#, lang.pick("户", " hh")),
            true,
            6.0,
            true,
            Some(BUILDING_SCALE),
        ),
        "candidates" => labeling(
            r#"if("site_rank" IS NULL, NULL, '#' || "site_rank" || ' ' || "kinds_zh")"#,
            true,
            8.0,
            false,
            None,
        ),
        _ => String::new(),
    };
    Some(format!("{renderer}{labels}{}", aliases(fields, kinds, lang)))
}

/// A complete QML document for a layer.
pub fn layer_qml(layer: &str, fields: &[String], kinds: &Kinds, lang: Lang) -> Option<String> {
    layer_style_body(layer, fields, kinds, lang).map(|body| {
        format!("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22.0\" styleCategories=\"AllStyleCategories\">{body}</qgis>\n")
    })
}

/// Adds a `layer_styles` table to the GeoPackage with each layer's default style.
pub fn write_layer_styles(gpkg: &Path, styles: &[(String, String)]) -> Result<()> {
    let err = |m: String| WriteError::gdal_write(gpkg, format!("layer_styles: {m}"));
    let mut ds = Dataset::open_ex(
        gpkg,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_UPDATE,
            ..Default::default()
        },
    )
    .map_err(|e| err(e.to_string()))?;
    let mut txn = ds.start_transaction().map_err(|e| err(e.to_string()))?;
    let layer = txn
        .create_layer(LayerOptions {
            name: "layer_styles",
            srs: None,
            ty: OGRwkbGeometryType::wkbNone,
            options: Some(&["FID=id"]),
        })
        .map_err(|e| err(e.to_string()))?;
    let text = OGRFieldType::OFTString;
    layer
        .create_defn_fields(&[
            ("f_table_catalog", text),
            ("f_table_schema", text),
            ("f_table_name", text),
            ("f_geometry_column", text),
            ("styleName", text),
            ("styleQML", text),
            ("styleSLD", text),
            ("useAsDefault", OGRFieldType::OFTInteger),
            ("description", text),
            ("owner", text),
            ("ui", text),
            ("update_time", OGRFieldType::OFTDateTime),
        ])
        .map_err(|e| err(e.to_string()))?;
    for (table, qml) in styles {
        let mut f = Feature::new(layer.defn()).map_err(|e| err(e.to_string()))?;
        for (i, v) in [
            (0usize, ""),
            (1, ""),
            (2, table.as_str()),
            (3, "geom"),
            (4, table.as_str()),
            (5, qml.as_str()),
            (6, ""),
            (8, "lantu"),
        ] {
            f.set_field_string(i, v).map_err(|e| err(e.to_string()))?;
        }
        f.set_field_integer(7, 1).map_err(|e| err(e.to_string()))?;
        f.create(&layer).map_err(|e| err(e.to_string()))?;
    }
    txn.commit().map_err(|e| err(e.to_string()))
}

/// One layer of the project.
pub struct ProjectLayer<'a> {
    /// Layer name.
    pub table: &'a str,
    /// Its data source relative to the project (`./blueprint.gpkg|layername=…`, `./layers/….fgb`).
    pub source: String,
    /// Its field names.
    pub fields: &'a [String],
    /// `Point`, `Line` or `Polygon`.
    pub geometry: &'a str,
    /// Visible when the project opens.
    pub visible: bool,
}

pub use lantu_core::registry::layer_title;

/// The print layout 街道一张蓝图: an atlas page per street (title, map, legend, scale bar,
/// north arrow, the street's communities, source and date). The layout was made by QGIS
/// 3.22 itself (`templates/make_street_atlas.py`); lantu fills in layers, texts and extent.
fn street_atlas(extent: geo::Rect, lang: Lang) -> String {
    const TEMPLATE: &str = include_str!("../templates/street_atlas.xml");
    let t = |z: &'static str, e: &'static str| lang.pick(z, e);
    // the atlas table's columns are none of the run's kinds
    let short = |code: &str| column_short(code, &lantu_core::Kinds::new(vec![])).header(lang).to_string();
    let fills: [(&str, String); 20] = [
        ("@@STREETS_ID@@", "lantu_streets".into()),
        ("@@STREETS_SOURCE@@", "./blueprint.gpkg|layername=streets".into()),
        ("@@STREETS_NAME@@", layer_title("streets", lang).into()),
        ("@@COMMUNITIES_ID@@", "lantu_communities".into()),
        ("@@COMMUNITIES_SOURCE@@", "./blueprint.gpkg|layername=communities".into()),
        ("@@COMMUNITIES_NAME@@", layer_title("communities", lang).into()),
        ("@@LAYOUT_NAME@@", t("街道一张蓝图", "street blueprints").into()),
        (
            "@@TITLE_SUFFIX@@",
            t("一张蓝图：社区嵌入式服务设施", "— the blueprint of embedded service facilities").into(),
        ),
        ("@@LEGEND_TITLE@@", t("图例", "Legend").into()),
        ("@@H_RANK@@", short("priority_rank")),
        ("@@H_NAME@@", short("community_name")),
        ("@@H_HOUSEHOLDS@@", short("households")),
        ("@@H_AREA@@", short("area_per_100hh_m2")),
        ("@@H_GAP@@", short("area_gap_m2")),
        ("@@H_CONFIG@@", short("config_ok")),
        ("@@SOURCE@@", t("lantu 一张蓝图", "lantu blueprint").into()),
        ("@@XMIN@@", extent.min().x.to_string()),
        ("@@YMIN@@", extent.min().y.to_string()),
        ("@@XMAX@@", extent.max().x.to_string()),
        ("@@YMAX@@", extent.max().y.to_string()),
    ];
    let mut xml = TEMPLATE.to_string();
    for (key, value) in fills {
        xml = xml.replace(key, &esc(&value));
    }
    xml
}

/// Writes `blueprint.qgs`: every layer of `blueprint.gpkg` (relative path), grouped,
/// styled and labelled, in the metric CRS.
pub fn write_qgis_project(
    path: &Path,
    title: &str,
    crs: &MetricCrs,
    extent: Option<geo::Rect>,
    layers: &[ProjectLayer],
    kinds: &Kinds,
    lang: Lang,
) -> Result<()> {
    let sr = gdal::spatial_ref::SpatialRef::from_epsg(crs.epsg).map_err(|e| WriteError::gdal_write(path, e))?;
    let srs = format!(
        "<spatialrefsys><wkt>{}</wkt><proj4>{}</proj4><authid>EPSG:{}</authid><description>{}</description><geographicflag>false</geographicflag></spatialrefsys>",
        esc(&sr.to_wkt().unwrap_or_default()),
        esc(&sr.to_proj4().unwrap_or_default()),
        crs.epsg,
        esc(&sr.name().unwrap_or_default()),
    );
    let canvas = extent.map_or(String::new(), |r| {
        format!(
            r#"<mapcanvas name="theMapCanvas" annotationsVisible="1"><units>meters</units><extent><xmin>{}</xmin><ymin>{}</ymin><xmax>{}</xmax><ymax>{}</ymax></extent><rotation>0</rotation><destinationsrs>{srs}</destinationsrs></mapcanvas>"#,
            r.min().x, r.min().y, r.max().x, r.max().y
        )
    });
    // QGIS opens a project on its default view extent (the map canvas element alone is not
    // enough): the communities, not the whole data extent
    let view = extent.map_or(String::new(), |r| {
        format!(
            r#"<ProjectViewSettings UseProjectScales="0" rotation="0"><Scales/><DefaultViewExtent xmin="{}" ymin="{}" xmax="{}" ymax="{}">{srs}</DefaultViewExtent></ProjectViewSettings>"#,
            r.min().x, r.min().y, r.max().x, r.max().y
        )
    });
    let has = |t: &str| layers.iter().any(|l| l.table == t);
    let layouts = match extent {
        Some(r) if has("streets") && has("communities") => street_atlas(r, lang),
        _ => String::new(),
    };
    let groups: [(&str, &str, &[&str]); 3] = [
        ("分析结果", "results", &["streets", "pilots", "communities", "planned_projects", "facilities", "candidates"]),
        ("步行覆盖", "walking coverage", &["coverage_areas", "uncovered_areas", "network"]),
        ("底图", "base", &["buildings"]),
    ];
    let mut tree = String::new();
    let mut maplayers = String::new();
    let mut order = String::new();
    for (zh, en, tables) in groups {
        let _ = write!(tree, r#"<layer-tree-group name="{}" checked="Qt::Checked" expanded="1">"#, lang.pick(zh, en));
        for t in tables.iter() {
            let Some(l) = layers.iter().find(|l| &l.table == t) else { continue };
            let id = format!("lantu_{}", l.table);
            // coverage areas: only each kind's own circle is shown (the others stay in the layer)
            let subset = if l.table == "coverage_areas" { "|subset=\"is_kind_circle\" = 1" } else { "" };
            let source = format!("{}{subset}", l.source);
            let name = layer_title(l.table, lang);
            let checked = if l.visible { "Qt::Checked" } else { "Qt::Unchecked" };
            let _ = write!(
                tree,
                r#"<layer-tree-layer id="{id}" name="{}" source="{}" providerKey="ogr" checked="{checked}" expanded="0"/>"#,
                esc(name),
                esc(&source)
            );
            let _ = write!(order, "<item>{id}</item>");
            let body = layer_style_body(l.table, l.fields, kinds, lang).unwrap_or_default();
            let opacity = if l.table == "coverage_areas" { "0.8" } else { "1" };
            let _ = write!(
                maplayers,
                r#"<maplayer type="vector" geometry="{}" autoRefreshEnabled="0" hasScaleBasedVisibilityFlag="0" styleCategories="AllStyleCategories"><id>{id}</id><datasource>{}</datasource><layername>{}</layername><srs>{srs}</srs><provider encoding="UTF-8">ogr</provider><layerOpacity>{opacity}</layerOpacity>{body}</maplayer>"#,
                l.geometry,
                esc(&source),
                esc(name),
            );
        }
        tree.push_str("</layer-tree-group>");
    }
    let qgs = format!(
        r#"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis projectname="{t}" version="3.22.0">
<title>{t}</title>
<projectCrs>{srs}</projectCrs>
{canvas}
{view}
<layer-tree-group><customproperties/>{tree}<custom-order enabled="0">{order}</custom-order></layer-tree-group>
<projectlayers>{maplayers}</projectlayers>
<layerorder>{order}</layerorder>
{layouts}
<properties><Paths><Absolute type="bool">false</Absolute></Paths><SpatialRefSys><ProjectionsEnabled type="int">1</ProjectionsEnabled></SpatialRefSys></properties>
</qgis>
"#,
        t = esc(title),
    );
    std::fs::write(path, qgs).map_err(|e| WriteError::write(path, e))
}
