//! Reading any GDAL vector layer into owned geometries and values.
//!
//! Everything that touches GDAL happens here, on one thread; the result is plain
//! owned data that the rest of lantu processes in parallel.

use crate::dbf::{judge_declared_encoding, sniff_shapefile_encoding, DbfEncoding, DeclaredVerdict};
use crate::fields::FieldRole;
use crate::{IoError, Result};
use gdal::vector::{FieldValue, LayerAccess};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use geo::Geometry;
use lantu_core::{Reason, Text};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// An attribute value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// No value.
    Null,
    /// An integer.
    Int(i64),
    /// A real number.
    Real(f64),
    /// Text (also dates, lists, as GDAL prints them).
    Text(String),
}

impl Value {
    /// The value as trimmed text; `None` when null or blank.
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Int(i) => Some(i.to_string()),
            Value::Real(r) => {
                Some(if r.fract() == 0.0 && r.abs() < 1e15 { format!("{}", *r as i64) } else { r.to_string() })
            }
            Value::Text(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        }
    }

    /// The value as a number: `Ok(None)` when null or blank, `Err(text)` when it is
    /// text that is not a number.
    pub fn number(&self) -> Result<Option<f64>, Text> {
        match self {
            Value::Null => Ok(None),
            Value::Int(i) => Ok(Some(*i as f64)),
            Value::Real(r) => Ok(Some(*r)),
            Value::Text(s) => {
                let t = s.trim().trim_end_matches(['㎡', '户']);
                let t = t.trim_end_matches("m2").trim_end_matches("m²").trim();
                if t.is_empty() {
                    return Ok(None);
                }
                // a comma separates thousands (1,234.5) and nothing else: "1,5" is not 15
                let t = match without_thousands_commas(t) {
                    Some(t) => t,
                    None => {
                        return Err(Text::new(
                            format!("{s:?}（逗号只作千位分隔符，如 1,234.5；小数请用小数点）"),
                            format!(
                                "{s:?} (a comma separates thousands only, as in 1,234.5; write decimals with a point)"
                            ),
                        ))
                    }
                };
                t.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .map(Some)
                    .ok_or_else(|| Text::verbatim(format!("{s:?}")))
            }
        }
    }

    /// The value as a yes/no flag (是/否, 1/0, true/false, y/n, 有/无).
    pub fn flag(&self) -> Result<Option<bool>, String> {
        let Some(t) = self.text() else {
            return Ok(None);
        };
        match t.to_lowercase().as_str() {
            "1" | "true" | "yes" | "y" | "t" | "是" | "有" | "具备" => Ok(Some(true)),
            "0" | "false" | "no" | "n" | "f" | "否" | "无" | "不具备" => Ok(Some(false)),
            _ => Err(t),
        }
    }
}

/// A number's text without its thousands separators, when its commas are exactly that
/// (groups of three digits before any decimal point); `None` when a comma stands anywhere
/// else (`1,5`, `12,34`, `1,234,5`).
fn without_thousands_commas(t: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !t.contains(',') {
        return Some(std::borrow::Cow::Borrowed(t));
    }
    let (int, frac) = t.split_once('.').map_or((t, None), |(a, b)| (a, Some(b)));
    if frac.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let digits = int.trim_start_matches(['-', '+']);
    let mut groups = digits.split(',');
    let first = groups.next()?;
    let first_ok = (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
    let rest_ok = groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    (first_ok && rest_ok).then(|| std::borrow::Cow::Owned(t.replace(',', "")))
}

#[cfg(test)]
mod number_tests {
    use super::*;

    #[test]
    fn commas_are_thousands_separators_only() {
        let n = |s: &str| Value::Text(s.into()).number();
        assert_eq!(n("1,234"), Ok(Some(1234.0)));
        assert_eq!(n("-12,345,678.5"), Ok(Some(-12345678.5)));
        assert_eq!(n("1500户"), Ok(Some(1500.0)));
        for bad in ["1,5", "12,34", "1,234,5", "1.5,0", ",5"] {
            let e = n(bad).unwrap_err();
            assert!(e.en.starts_with(&format!("{bad:?}")) && e.en.contains("thousands"), "{bad}: {e:?}");
            assert!(e.zh.contains("千位分隔符"), "{bad}: {e:?}");
        }
    }
}

/// One feature read from a layer.
#[derive(Clone, Debug)]
pub struct RawFeature {
    /// The feature's id (FID, or row number for tables).
    pub fid: String,
    /// The geometry, 2D, valid; `None` when null, empty or unrepairable.
    pub geometry: Option<Geometry>,
    /// The attribute values, in the order of [`RawLayer::fields`].
    pub values: Vec<Value>,
    /// The geometry was invalid and repaired by GDAL's MakeValid.
    pub repaired: bool,
    /// Why `geometry` is `None`; or, when it was repaired, how.
    pub problem: Option<Text>,
    /// The geometry was dropped because its coordinates are out of range.
    pub out_of_range: bool,
}

/// A layer read from a file.
#[derive(Clone, Debug)]
pub struct RawLayer {
    /// The file.
    pub path: PathBuf,
    /// The layer's name.
    pub layer: String,
    /// The GDAL driver that read it.
    pub driver: String,
    /// Field names.
    pub fields: Vec<String>,
    /// The CRS as PROJ understands it (`EPSG:nnnn` or WKT); `None` when the file has none.
    pub crs: Option<String>,
    /// The CRS for people (`EPSG:4545 CGCS2000 / 3-degree Gauss-Kruger CM 108E`).
    pub crs_label: Option<String>,
    /// The layer's declared geometry type.
    pub geometry_type: String,
    /// The features.
    pub features: Vec<RawFeature>,
    /// Notes on the reading (encoding detected, geometry built from columns).
    pub notes: Vec<Text>,
    /// Warnings on the reading (the declared encoding was wrong).
    pub warnings: Vec<Text>,
}

/// How to read one layer.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions<'a> {
    /// The layer name; the first layer when `None`.
    pub layer: Option<&'a str>,
    /// The attribute encoding, e.g. `GBK`.
    pub encoding: Option<&'a str>,
    /// Explicit field mapping (for x/y/wkt columns of tables).
    pub fields: Option<&'a BTreeMap<String, String>>,
    /// An attribute filter (OGR SQL WHERE clause).
    pub filter: Option<&'a str>,
    /// A table read for its attributes only (a joined sheet): no geometry needed.
    pub attributes_only: bool,
    /// Invalid geometries with more vertices than this are repaired by their structure
    /// (shells unioned, holes cut out: seconds) instead of rebuilding every line (minutes
    /// for a self-intersecting outline of 40,000 vertices); `None`: no limit.
    pub max_repair_vertices: Option<usize>,
}

/// Whether an encoding name is GBK or a superset GDAL reads as such.
fn says_gbk(declared: &str) -> bool {
    let d = declared.trim().to_ascii_uppercase().replace(['-', '_', ' '], "");
    matches!(d.as_str(), "GBK" | "936" | "CP936" | "GB2312" | "GB18030" | "54936" | "EUCCN" | "20936")
}

/// GDAL's virtual file systems that fetch over the network.
const NETWORK_VSI: [&str; 9] =
    ["/vsicurl", "/vsis3", "/vsigs", "/vsiaz", "/vsiadls", "/vsioss", "/vsiswift", "/vsihdfs", "/vsiwebhdfs"];

/// Whether a path would make GDAL fetch over the network (a URL, or `/vsicurl/…` and its
/// kin, also inside `/vsizip/`): lantu reads local files only, so a project file cannot
/// make it contact a server.
pub fn is_network_path(path: &Path) -> bool {
    let s = path.to_string_lossy().to_ascii_lowercase();
    s.contains("://") || NETWORK_VSI.iter().any(|p| s.contains(p))
}

fn open(path: &Path, open_options: &[&str]) -> Result<Dataset> {
    if is_network_path(path) {
        return Err(IoError::Open {
            path: path.to_path_buf(),
            source: Reason::new(
                "lantu 只读取本地文件，不读取网络地址（URL 或 /vsicurl/ 等），请先下载",
                "lantu reads local files only, not network addresses (URLs, /vsicurl/ and the like): download the file first",
            )
            .into(),
        });
    }
    if path.as_os_str().is_empty() {
        return Err(IoError::Open {
            path: path.to_path_buf(),
            source: Reason::new("路径为空", "the path is empty").into(),
        });
    }
    if !path.exists() && !path.to_string_lossy().starts_with("/vsi") {
        return Err(IoError::Open { path: path.to_path_buf(), source: Reason(missing_file_reason(path)).into() });
    }
    Dataset::open_ex(
        path,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
            open_options: if open_options.is_empty() { None } else { Some(open_options) },
            ..Default::default()
        },
    )
    .map_err(|e| {
        // GDAL's own message is often empty ("returned a NULL pointer. Error msg: ''")
        let message = if path.is_dir() {
            Text::new(
                "是文件夹，不是 GDAL 可读的图层文件（请写其中的文件，如 communities.shp）",
                "is a folder, not a layer file GDAL can read (name the file inside it, e.g. communities.shp)",
            )
        } else {
            damaged_or_foreign(path, &e.to_string())
        };
        IoError::Open { path: path.to_path_buf(), source: Reason(message).into() }
    })
}

/// What to say of a file GDAL cannot open: damaged or not of its format, naming the
/// format its extension claims, with GDAL's own reason when it gave one (without the
/// binding's "returned a NULL pointer" wrapping).
pub(crate) fn damaged_or_foreign(path: &Path, gdal_message: &str) -> Text {
    let reason = gdal_message
        .split_once("Error msg: '")
        .map_or(gdal_message, |(_, m)| m.trim_end_matches('\'').trim_end_matches("'."))
        .trim();
    let (zh, en) = if reason.is_empty() || reason.contains("returned a NULL pointer") {
        (String::new(), String::new())
    } else {
        (format!("（GDAL：{reason}）"), format!(" (GDAL: {reason})"))
    };
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let format = match ext.as_str() {
        "gpkg" => "GeoPackage",
        "shp" | "dbf" | "shx" => "Shapefile",
        "geojson" | "json" => "GeoJSON",
        "fgb" => "FlatGeobuf",
        "xlsx" | "xls" => "Excel",
        "csv" => "CSV",
        "tif" | "tiff" => "GeoTIFF",
        "hgt" => "SRTM .hgt",
        "zip" => "ZIP",
        "pbf" => "OSM PBF",
        _ => "",
    };
    if format.is_empty() {
        Text::new(
            format!("文件已损坏或格式无法识别{zh}"),
            format!("the file is damaged or in a format GDAL does not recognise{en}"),
        )
    } else {
        Text::new(
            format!("文件已损坏或不是 {format} 格式{zh}"),
            format!("the file is damaged or not a valid {format}{en}"),
        )
    }
}

/// Why a path that does not exist cannot be opened, in the reader's words.
pub(crate) fn missing_file_reason(path: &Path) -> Text {
    match std::fs::metadata(path) {
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            Text::new("符号链接形成循环", "the symbolic links form a loop")
        }
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Text::new("无权读取", "permission denied"),
        _ if std::fs::symlink_metadata(path).is_ok() => {
            Text::new("符号链接指向的文件不存在", "a symbolic link to a file that does not exist")
        }
        _ => Text::new("文件不存在", "no such file"),
    }
}

/// The names of the layers in a file.
pub fn layer_names(path: &Path) -> Result<Vec<String>> {
    let ds = open(path, &[])?;
    Ok(ds.layers().map(|l| l.name()).collect())
}

/// Reads a layer: attributes decoded, geometries made valid and flattened to 2D.
pub fn read_layer(path: &Path, opts: &ReadOptions) -> Result<RawLayer> {
    let mut notes = Vec::new();
    let mut warnings = Vec::new();
    let is_shp = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("shp") || e.eq_ignore_ascii_case("dbf"));
    let mut encoding = opts.encoding.map(str::to_string);
    if is_shp {
        let cpg = ["cpg", "CPG"].iter().map(|e| path.with_extension(e)).find(|p| p.exists());
        // what the layer is declared to be: the project's `encoding`, else the .cpg
        let declared = match (opts.encoding, &cpg) {
            (Some(e), _) => Some((e.to_string(), "encoding".to_string())),
            (None, Some(c)) => {
                Some((std::fs::read_to_string(c).unwrap_or_default().trim().to_string(), c.display().to_string()))
            }
            (None, None) => None,
        };
        match declared {
            None => match sniff_shapefile_encoding(path, true) {
                Some(DbfEncoding::Gbk) => {
                    notes.push(Text::new(
                        "未找到 .cpg 编码说明，属性文本不是 UTF-8，检测为 GBK 编码并按 GBK 读取（可在项目文件中设置 encoding）",
                        "no .cpg and the attributes are not UTF-8: detected GBK and read as GBK (set `encoding` in the project to be explicit)",
                    ));
                    encoding = Some("GBK".into());
                }
                Some(DbfEncoding::Unknown) => {
                    return Err(IoError::Encoding { path: path.to_path_buf(), declared: None })
                }
                _ => {}
            },
            Some((declared, by)) => {
                let says_utf8 = matches!(declared.to_ascii_uppercase().replace('-', "").as_str(), "UTF8" | "65001");
                // a .cpg that says UTF-8 over GBK bytes is common (tools write it by default)
                if says_utf8 {
                    match sniff_shapefile_encoding(path, false) {
                        Some(DbfEncoding::Gbk) => {
                            warnings.push(Text::new(
                                format!("{by} 声明 UTF-8，但属性文本不是有效的 UTF-8：检测为 GBK 并按 GBK 读取。请核对名称与代码，或在项目文件中设置 encoding = \"GBK\""),
                                format!("{by} says UTF-8 but the attributes are not valid UTF-8: detected GBK and read as GBK. Check names and codes, or set encoding = \"GBK\" in the project"),
                            ));
                            encoding = Some("GBK".into());
                        }
                        Some(DbfEncoding::Unknown) => {
                            return Err(IoError::Encoding { path: path.to_path_buf(), declared: Some(declared) })
                        }
                        _ => {}
                    }
                } else if !says_gbk(&declared) {
                    // any other claim (1252, LATIN1, BIG5, System, empty, garbage): the bytes decide
                    match judge_declared_encoding(path, &declared) {
                        DeclaredVerdict::Gbk => {
                            warnings.push(Text::new(
                                format!("{by} 声明编码 {declared:?}，但属性文本按该编码无法读取或读出乱码，而按 GBK 读出正常中文：已按 GBK 读取。请核对名称与代码，或在项目文件中设置 encoding = \"GBK\""),
                                format!("{by} declares {declared:?}, but the attributes do not read as that (or read as garbled text) while GBK reads them as Chinese: read as GBK. Check names and codes, or set encoding = \"GBK\" in the project"),
                            ));
                            encoding = Some("GBK".into());
                        }
                        DeclaredVerdict::Utf8 => {
                            notes.push(Text::new(
                                format!("{by} 声明的编码 {declared:?} 无法识别，属性文本为有效的 UTF-8：按 UTF-8 读取"),
                                format!("{by} declares {declared:?}, which names no known encoding; the attributes are valid UTF-8: read as UTF-8"),
                            ));
                            encoding = Some("UTF-8".into());
                        }
                        DeclaredVerdict::Keep(Some(name)) => {
                            notes.push(Text::new(
                                format!("属性文本按 {by} 声明的编码读取：{name}"),
                                format!("attributes read in the encoding {by} declares: {name}"),
                            ));
                        }
                        // ASCII only: any encoding reads it; spare GDAL a name it does not know
                        DeclaredVerdict::Keep(None) => encoding = Some("UTF-8".into()),
                        DeclaredVerdict::Unknown => {
                            return Err(IoError::Encoding { path: path.to_path_buf(), declared: Some(declared) })
                        }
                    }
                }
            }
        }
    }
    let enc_opt = encoding.as_ref().map(|e| format!("ENCODING={e}"));
    let open_options: Vec<&str> = if is_shp { enc_opt.iter().map(String::as_str).collect() } else { vec![] };
    let ds = open(path, &open_options)?;
    let driver = ds.driver().short_name();
    let mut layer = match opts.layer {
        Some(name) => ds.layer_by_name(name).map_err(|_| IoError::UnknownLayer {
            path: path.to_path_buf(),
            layer: name.to_string(),
            available: ds.layers().map(|l| l.name()).collect::<Vec<_>>().join(", "),
        })?,
        None => ds.layer(0).map_err(|_| IoError::Open {
            path: path.to_path_buf(),
            source: {
                let d = damaged_or_foreign(path, "");
                Reason::new(format!("{}：没有图层", d.zh), format!("{}: holds no layer", d.en)).into()
            },
        })?,
    };
    let layer_name = layer.name();
    if let Some(f) = opts.filter {
        layer
            .set_attribute_filter(f)
            .map_err(|e| IoError::Open { path: path.to_path_buf(), source: format!("filter {f:?}: {e}").into() })?;
    }
    let fields: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
    // gdal 0.19 reads an empty list field through a null pointer (UB): read lists as text
    let is_list: Vec<bool> = layer
        .defn()
        .fields()
        .map(|f| {
            use gdal::vector::OGRFieldType as T;
            [T::OFTIntegerList, T::OFTInteger64List, T::OFTRealList, T::OFTStringList].contains(&f.field_type())
        })
        .collect();
    let has_geometry_field =
        layer.defn().geom_fields().any(|g| g.field_type() != gdal::vector::OGRwkbGeometryType::wkbNone);
    let (crs, crs_label) = match layer.spatial_ref() {
        Some(srs) if has_geometry_field => describe_srs(&srs),
        _ => (None, None),
    };
    let geometry_type = if has_geometry_field {
        layer
            .defn()
            .geom_fields()
            .next()
            .map(|g| gdal::vector::geometry_type_to_name(g.field_type()))
            .unwrap_or_default()
    } else {
        "None".into()
    };

    // tables: geometry from x/y or WKT columns
    let empty = BTreeMap::new();
    let explicit = opts.fields.unwrap_or(&empty);
    let columns = if has_geometry_field || opts.attributes_only {
        None
    } else {
        let roles = [FieldRole::Wkt, FieldRole::X, FieldRole::Y, FieldRole::LonLat];
        let (map, _) = crate::FieldMap::resolve(&roles, &fields, explicit);
        match (map.get(FieldRole::Wkt), map.get(FieldRole::X), map.get(FieldRole::Y), map.get(FieldRole::LonLat)) {
            (_, Some(x), Some(y), _) => {
                notes.push(Text::new(
                    format!("点位取自坐标列 {} / {}", fields[x], fields[y]),
                    format!("points built from columns {} / {}", fields[x], fields[y]),
                ));
                Some(TableGeometry::Xy(x, y))
            }
            (Some(w), _, _, _) => {
                notes.push(Text::new(
                    format!("几何取自 WKT 列 {}", fields[w]),
                    format!("geometry read from WKT column {}", fields[w]),
                ));
                Some(TableGeometry::Wkt(w))
            }
            (None, _, _, Some(l)) => {
                notes.push(Text::new(
                    format!("点位取自“经度,纬度”列 {}", fields[l]),
                    format!("points built from the \"longitude,latitude\" column {}", fields[l]),
                ));
                Some(TableGeometry::LonLat(l))
            }
            _ => {
                return Err(IoError::NoGeometry {
                    path: path.to_path_buf(),
                    layer: layer_name,
                    fields: fields.join(", "),
                })
            }
        }
    };

    let repair_limit = opts.max_repair_vertices.unwrap_or(usize::MAX);
    // GDAL's CSV driver makes geometries of a WKT column itself, and leaves a null geometry
    // where the text does not parse: the column's text then says why
    let wkt_columns: Vec<(usize, &str)> = if driver == "CSV" {
        fields
            .iter()
            .enumerate()
            .filter(|(_, f)| FieldRole::Wkt.known_names().iter().any(|n| n.eq_ignore_ascii_case(f)))
            .map(|(i, f)| (i, f.as_str()))
            .collect()
    } else {
        Vec::new()
    };
    let mut features = Vec::new();
    // geometries leave GDAL's reader as WKB and are checked (GEOS), repaired and converted
    // on every core afterwards: the reader is one thread, the checks need not be
    let mut pending: Vec<(usize, Vec<u8>)> = Vec::new();
    // a header that gives the count (Shapefile, FlatGeobuf, GeoPackage): the layer must
    // yield that many, or the file is truncated
    let declared_count = (opts.filter.is_none() && layer.has_capability(gdal::vector::LayerCaps::OLCFastFeatureCount))
        .then(|| layer.try_feature_count())
        .flatten();
    let damaged = |reached: usize, message: Text| IoError::Feature {
        path: path.to_path_buf(),
        layer: layer_name.clone(),
        feature: format!("#{reached}"),
        message: if message.en.contains("Non closed ring") {
            Text::new(
                format!("第 {reached} 个要素的多边形环未闭合（首尾坐标不同），GDAL 无法读取：{}", message.zh),
                format!("feature {reached} has a polygon ring that is not closed (first and last positions differ), which GDAL cannot read: {}", message.en),
            )
        } else {
            Text::new(
                format!("文件已损坏或被截断，读到第 {reached} 个要素时出错：{}", message.zh),
                format!("the file is damaged or truncated: reading failed at feature {reached}: {}", message.en),
            )
        },
    };
    let mut reader = layer.features();
    for row in 0.. {
        // GDAL reports a broken record through its error state and then ends the layer
        // early ("fread failed", "Fatal error parsing feature"): a shorter layer is an error
        gdal_error_reset();
        let next = reader.next();
        if let Some(message) = gdal_read_failure() {
            // OSM's driver reports broken relations (an unclosed ring) of any layer while
            // it reads another, and goes on: there only a parsing error is damage (a
            // corrupted block; a cut file is found by the .osm.pbf framing check). The CSV
            // driver reports a WKT it cannot parse and returns the row without geometry:
            // that row is rejected with its WKT named, below.
            let osm_relation = driver == "OSM" && !message.to_ascii_lowercase().contains("parsing");
            let csv_row = driver == "CSV" && next.is_some();
            if !osm_relation && !csv_row {
                return Err(damaged(row + 1, Text::verbatim(message)));
            }
        }
        let Some(f) = next else { break };
        let fid = f.fid().map_or_else(|| (row + 1).to_string(), |x| x.to_string());
        let mut values = Vec::with_capacity(fields.len());
        for (i, list) in is_list.iter().enumerate() {
            values.push(if *list {
                f.field_as_string(i).ok().flatten().map_or(Value::Null, Value::Text)
            } else {
                match f.field(i) {
                    Ok(Some(v)) => from_gdal(v),
                    _ => Value::Null,
                }
            });
        }
        let (geometry, repaired, problem) = match &columns {
            Some(cols) => {
                let (g, p) = cols.build(&values, &fields);
                (g, false, p)
            }
            None if opts.attributes_only => (None, false, None),
            None => match f.geometry() {
                None => (None, false, Some(null_geometry_reason(&values, &wkt_columns))),
                Some(g) => match g.wkb() {
                    Ok(wkb) if !g.is_empty() => {
                        pending.push((features.len(), wkb));
                        (None, false, None)
                    }
                    _ if g.is_empty() && !wkt_columns.is_empty() => {
                        (None, false, Some(null_geometry_reason(&values, &wkt_columns)))
                    }
                    _ => to_owned_geometry(g, repair_limit),
                },
            },
        };
        features.push(RawFeature { fid, geometry, values, repaired, problem, out_of_range: false });
    }
    drop(reader);
    if let Some(n) = declared_count.filter(|n| *n != features.len() as u64) {
        return Err(damaged(
            features.len() + 1,
            Text::new(
                format!("文件头记录 {n} 个要素，只读到 {} 个", features.len()),
                format!("the header declares {n} features, {} were read", features.len()),
            ),
        ));
    }
    let converted: Vec<(usize, Converted)> = pending
        .into_par_iter()
        .map(|(i, wkb)| match gdal::vector::Geometry::from_wkb(&wkb) {
            Ok(g) => (i, to_owned_geometry(&g, repair_limit)),
            Err(e) => (
                i,
                (
                    None,
                    false,
                    Some(Text::new(format!("几何无法读取：{e}"), format!("geometry could not be read: {e}"))),
                ),
            ),
        })
        .collect();
    for (i, (geometry, repaired, problem)) in converted {
        let f = &mut features[i];
        (f.geometry, f.repaired, f.problem) = (geometry, repaired, problem);
    }
    Ok(RawLayer {
        path: path.to_path_buf(),
        layer: layer_name,
        driver,
        fields,
        crs,
        crs_label,
        geometry_type,
        features,
        notes,
        warnings,
    })
}

/// Why a feature has no geometry: a WKT column whose text does not parse (named, with the
/// start of the text), or a null geometry.
fn null_geometry_reason(values: &[Value], wkt_columns: &[(usize, &str)]) -> Text {
    let given = wkt_columns.iter().find_map(|(i, name)| Some((name, values.get(*i)?.text()?)));
    match given.filter(|(_, t)| !t.to_ascii_uppercase().ends_with("EMPTY")) {
        Some((name, text)) => {
            let start: String = text.chars().take(60).collect();
            let more = if text.chars().count() > 60 { "…" } else { "" };
            Text::new(
                format!("WKT 列 {name} 无法解析为几何（格式错误或环未闭合）：{start}{more}"),
                format!(
                    "WKT column {name} does not parse as a geometry (malformed, or a ring not closed): {start}{more}"
                ),
            )
        }
        None => Text::new("几何为空（null 或空）", "null or empty geometry"),
    }
}

/// Clears GDAL's error state of this thread.
fn gdal_error_reset() {
    // SAFETY: CPLErrorReset only resets this thread's error context.
    unsafe { gdal_sys::CPLErrorReset() }
}

/// GDAL's last error on this thread, when it was a failure (warnings pass).
fn gdal_read_failure() -> Option<String> {
    // SAFETY: the message is a NUL-terminated string owned by this thread's error context,
    // copied before any other GDAL call.
    unsafe {
        let class = gdal_sys::CPLGetLastErrorType();
        if class == gdal_sys::CPLErr::CE_Failure || class == gdal_sys::CPLErr::CE_Fatal {
            let msg = std::ffi::CStr::from_ptr(gdal_sys::CPLGetLastErrorMsg()).to_string_lossy().trim().to_string();
            Some(if msg.is_empty() { "GDAL error".to_string() } else { msg })
        } else {
            None
        }
    }
}

/// A short definition and a label for a GDAL spatial reference.
fn describe_srs(srs: &gdal::spatial_ref::SpatialRef) -> (Option<String>, Option<String>) {
    let name = srs.name().unwrap_or_default();
    let auth = match (srs.auth_name(), srs.auth_code()) {
        (Some(a), Ok(c)) => Some(format!("{a}:{c}")),
        _ => {
            let mut s = srs.clone();
            match s.auto_identify_epsg() {
                Ok(()) => match (s.auth_name(), s.auth_code()) {
                    (Some(a), Ok(c)) => Some(format!("{a}:{c}")),
                    _ => None,
                },
                Err(_) => None,
            }
        }
    };
    match auth {
        Some(a) => (Some(a.clone()), Some(format!("{a} {name}"))),
        None => (srs.to_wkt().ok(), Some(name)),
    }
}

enum TableGeometry {
    Xy(usize, usize),
    Wkt(usize),
    /// "106.5812,29.5571" in one column.
    LonLat(usize),
}

impl TableGeometry {
    fn build(&self, values: &[Value], fields: &[String]) -> (Option<Geometry>, Option<Text>) {
        match *self {
            TableGeometry::LonLat(l) => {
                let text = values[l].text().unwrap_or_default();
                let parts: Vec<Option<f64>> =
                    text.split([',', '，']).map(|p| p.trim().parse::<f64>().ok().filter(|v| v.is_finite())).collect();
                match parts.as_slice() {
                    [Some(x), Some(y)] => (Some(Geometry::Point(geo::Point::new(*x, *y))), None),
                    _ => (
                        None,
                        Some(Text::new(
                            format!("经纬度列 {} 不是“经度,纬度”：{text:?}", fields[l]),
                            format!("column {} is not \"longitude,latitude\": {text:?}", fields[l]),
                        )),
                    ),
                }
            }
            TableGeometry::Xy(x, y) => match (values[x].number(), values[y].number()) {
                (Ok(Some(x)), Ok(Some(y))) => (Some(Geometry::Point(geo::Point::new(x, y))), None),
                (Ok(None), _) | (_, Ok(None)) => (
                    None,
                    Some(Text::new(
                        format!("坐标列 {} / {} 为空", fields[x], fields[y]),
                        format!("coordinate column {} / {} is empty", fields[x], fields[y]),
                    )),
                ),
                (Err(t), _) | (_, Err(t)) => (
                    None,
                    Some(Text::new(
                        format!("坐标列 {} / {} 含非数字 {}", fields[x], fields[y], t.zh),
                        format!("coordinate column {} / {} holds non-number {}", fields[x], fields[y], t.en),
                    )),
                ),
            },
            TableGeometry::Wkt(w) => match values[w].text() {
                None => (
                    None,
                    Some(Text::new(format!("WKT 列 {} 为空", fields[w]), format!("WKT column {} is empty", fields[w]))),
                ),
                Some(t) => match gdal::vector::Geometry::from_wkt(&t) {
                    Ok(g) => {
                        let (g, _, p) = to_owned_geometry(&g, usize::MAX);
                        (g, p)
                    }
                    Err(e) => (
                        None,
                        Some(Text::new(
                            format!("WKT 列 {} 无法解析：{e}", fields[w]),
                            format!("WKT column {} does not parse: {e}", fields[w]),
                        )),
                    ),
                },
            },
        }
    }
}

fn from_gdal(v: FieldValue) -> Value {
    match v {
        FieldValue::IntegerValue(i) => Value::Int(i as i64),
        FieldValue::Integer64Value(i) => Value::Int(i),
        FieldValue::RealValue(r) => Value::Real(r),
        FieldValue::StringValue(s) => Value::Text(s),
        FieldValue::StringListValue(l) => Value::Text(l.join(";")),
        FieldValue::IntegerListValue(l) => Value::Text(l.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(";")),
        FieldValue::Integer64ListValue(l) => Value::Text(l.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(";")),
        FieldValue::RealListValue(l) => Value::Text(l.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(";")),
        FieldValue::DateValue(d) => Value::Text(d.to_string()),
        FieldValue::DateTimeValue(d) => Value::Text(d.to_string()),
    }
}

/// A geometry as converted: (geometry, repaired, problem).
type Converted = (Option<Geometry>, bool, Option<Text>);

/// A multi-part geometry without its empty parts; `None` when it has none (or is not
/// multi-part).
fn without_empty_parts(g: &gdal::vector::Geometry) -> Option<gdal::vector::Geometry> {
    use gdal::vector::OGRwkbGeometryType as T;
    let t = gdal::vector::geometry_type_flatten(g.geometry_type());
    if ![T::wkbMultiPolygon, T::wkbMultiLineString, T::wkbMultiPoint, T::wkbGeometryCollection].contains(&t) {
        return None;
    }
    let n = g.geometry_count();
    if (0..n).all(|i| !g.get_geometry(i).is_empty()) {
        return None;
    }
    let mut kept = gdal::vector::Geometry::empty(g.geometry_type()).ok()?;
    for i in 0..n {
        let part = g.get_geometry(i);
        if !part.is_empty() {
            kept.add_geometry(part.clone()).ok()?;
        }
    }
    Some(kept)
}

/// Validates, repairs and converts a GDAL geometry.
fn to_owned_geometry(g: &gdal::vector::Geometry, max_repair_vertices: usize) -> Converted {
    if g.is_empty() {
        return (None, false, Some(Text::new("几何为空（null 或空）", "null or empty geometry")));
    }
    // a multi-part geometry with an EMPTY part keeps its other parts
    let (mut g, mut how) = match without_empty_parts(g) {
        Some(kept) => (kept, Some(Text::new("已去掉空的组成部分", "its empty parts dropped"))),
        None => (g.clone(), None),
    };
    g.flatten_to_2d();
    if !g.is_valid() {
        let vertices = vertex_count(&g);
        let coarse = vertices > max_repair_vertices;
        let mut options = gdal::cpl::CslStringList::new();
        if coarse {
            let _ = options.set_name_value("METHOD", "STRUCTURE");
        }
        match g.make_valid(&options) {
            Ok(v) if v.is_valid() && !v.is_empty() => {
                g = v;
                how = Some(if coarse {
                    Text::new(
                        format!("无效几何已按结构修复（{vertices} 个顶点，超过 checks.max_repair_vertices：外环合并、内环扣除，不逐线重建），请核对"),
                        format!("invalid geometry repaired by its structure ({vertices} vertices, more than checks.max_repair_vertices: shells unioned and holes cut out, lines not rebuilt one by one); please check it"),
                    )
                } else {
                    Text::new("无效几何已用 MakeValid 修复", "invalid geometry repaired with MakeValid")
                });
            }
            _ => {
                return (
                    None,
                    false,
                    Some(Text::new(
                        "几何无效且无法修复（如自相交）",
                        "invalid geometry that could not be repaired (e.g. self-intersection)",
                    )),
                )
            }
        }
    }
    match g.to_geo() {
        Ok(geo) => (Some(geo), how.is_some(), how),
        Err(e) => (
            None,
            false,
            Some(Text::new(format!("几何无法转换：{e}"), format!("geometry could not be converted: {e}"))),
        ),
    }
}

/// The number of vertices of a GDAL geometry, over all its parts and rings.
fn vertex_count(g: &gdal::vector::Geometry) -> usize {
    match g.geometry_count() {
        0 => g.point_count(),
        n => (0..n).map(|i| vertex_count(&g.get_geometry(i))).sum(),
    }
}
