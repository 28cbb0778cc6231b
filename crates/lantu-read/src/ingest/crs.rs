//! The CRS of each layer, the metric CRS of the run, and reprojection into it.

use super::*;
use lantu_core::Reason;

/// Whether a table without geometry has its points in longitude/latitude columns (经度/纬度,
/// lon/lat…, not plain x/y): read as WGS 84 when no CRS is declared.
pub(crate) fn table_with_lonlat(raw: &RawLayer, explicit: &std::collections::BTreeMap<String, String>) -> bool {
    raw.geometry_type == "None" && {
        let (m, _) = FieldMap::resolve(&[FieldRole::X, FieldRole::Y, FieldRole::LonLat], &raw.fields, explicit);
        let xy = [m.name(FieldRole::X), m.name(FieldRole::Y)].iter().all(|n| {
            n.is_some_and(|n| {
                ["经度", "纬度", "lon", "lat", "lng", "longitude", "latitude", "long"]
                    .contains(&n.to_lowercase().as_str())
            })
        });
        // a "longitude,latitude" column (高德's location) is longitude/latitude by its nature
        xy || (m.name(FieldRole::X).is_none() && m.name(FieldRole::LonLat).is_some())
    }
}

/// The CRS a layer's coordinates are in, and how that was decided.
pub(super) fn source_crs(raw: &RawLayer, src: &LayerSource) -> Result<(String, GeoCoords, Text)> {
    let coords = src.coords.unwrap_or(GeoCoords::Wgs84);
    if coords != GeoCoords::Wgs84 {
        let name = if coords == GeoCoords::Gcj02 { "GCJ-02" } else { "BD-09" };
        return Ok((
            "EPSG:4326".into(),
            coords,
            Text::new(
                format!("{name} 经纬度（项目文件声明），已按公式转换为 WGS 84"),
                format!("{name} longitude/latitude (declared in the project), converted to WGS 84 by formula"),
            ),
        ));
    }
    if let Some(crs) = &src.crs {
        let shown: String =
            if crs.len() > 60 { format!("{}…", crs.chars().take(60).collect::<String>()) } else { crs.clone() };
        let crs_label = crs_name(crs).unwrap_or_else(|| shown.clone());
        // the layer's own key is named, not the metric CRS the reprojection goes to
        proj::Proj::new_known_crs(crs, "EPSG:4326", None).map_err(|e| IoError::Crs {
            crs: format!("{} {}: crs = {crs:?}", raw.path.display(), raw.layer),
            source: Reason::new(
                format!("项目文件中该图层的 crs 无法使用：{e}"),
                format!("the layer's crs in the project file cannot be used: {e}"),
            )
            .into(),
        })?;
        return Ok((
            crs.clone(),
            coords,
            Text::new(format!("{crs_label}（项目文件指定）"), format!("{crs_label} (set in the project)")),
        ));
    }
    if let Some(crs) = &raw.crs {
        let label = raw.crs_label.clone().unwrap_or_else(|| crs.clone());
        return Ok((
            crs.clone(),
            coords,
            Text::new(format!("{label}（文件声明）"), format!("{label} (declared by the file)")),
        ));
    }
    // a table's .prj beside it (GDAL's CSV driver reads none when its geometry column is
    // not one it makes itself)
    if let Some((prj, text)) = sidecar_prj(raw) {
        let label = crs_name(&text).unwrap_or_else(|| prj.display().to_string());
        return Ok((
            text,
            coords,
            Text::new(
                format!("{label}（取自旁边的 {}）", prj.display()),
                format!("{label} (from {} beside it)", prj.display()),
            ),
        ));
    }
    if table_with_lonlat(raw, &src.fields) {
        return Ok((
            "EPSG:4326".into(),
            coords,
            Text::new(
                "EPSG:4326（经纬度列，未声明坐标系，按 WGS 84 读取；若为高德/腾讯坐标请设置 coords = \"gcj02\"）",
                "EPSG:4326 (longitude/latitude columns, no CRS declared, read as WGS 84; set coords = \"gcj02\" for Amap/Tencent data)",
            ),
        ));
    }
    Err(IoError::NoCrs { path: raw.path.clone(), layer: raw.layer.clone() })
}

/// A table's `.prj` (same stem) and its text, when there is one.
fn sidecar_prj(raw: &RawLayer) -> Option<(std::path::PathBuf, String)> {
    if !["CSV", "XLSX", "ODS"].contains(&raw.driver.as_str()) {
        return None;
    }
    let prj = ["prj", "PRJ"].iter().map(|e| raw.path.with_extension(e)).find(|p| p.is_file())?;
    let text = std::fs::read_to_string(&prj).ok()?.trim().to_string();
    (!text.is_empty()).then_some((prj, text))
}

/// The name a CRS definition gives itself (`Local_TM_Yuzhong`), or its EPSG code.
fn crs_name(definition: &str) -> Option<String> {
    let srs = gdal::spatial_ref::SpatialRef::from_definition(definition).ok()?;
    match (srs.auth_name(), srs.auth_code()) {
        (Some(a), Ok(c)) => Some(format!("{a}:{c}")),
        _ => srs.name(),
    }
}

/// The rectangle covering both.
pub(crate) fn union_rect(a: Rect, b: Rect) -> Rect {
    Rect::new(
        geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
        geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
    )
}

pub(super) fn choose_metric_crs(raw: &RawLayer, source: &ReprojectSpec) -> Result<MetricCrs> {
    let rect = raw.features.iter().filter_map(|f| f.geometry.as_ref()?.bounding_rect()).reduce(union_rect).ok_or_else(
        || {
            // say why, with the first rejected feature's reason (swapped axes, projected numbers)
            let why = raw.features.iter().find_map(|f| f.problem.as_ref().map(|p| (f.fid.clone(), p.clone())));
            let (why_zh, why_en) = why.map_or((String::new(), String::new()), |(fid, p)| {
                (format!("；如要素 {fid}：{}", p.zh), format!("; e.g. feature {fid}: {}", p.en))
            });
            let layer = &raw.layer;
            IoError::Open {
                path: raw.path.clone(),
                source: Reason::new(
                    format!("图层 {layer} 没有可用的几何，无法确定位置{why_zh}"),
                    format!("layer {layer}: no usable geometry to place the data{why_en}"),
                )
                .into(),
            }
        },
    )?;
    let to_wgs = ReprojectSpec { to: "EPSG:4326".into(), ..source.clone() }.build()?;
    let c = to_wgs.coord(rect.center()).map_err(|m| IoError::Crs { crs: source.from.clone(), source: m.into() })?;
    Ok(MetricCrs::for_centre(c.x, c.y))
}

/// Drops features whose longitude/latitude is out of range (PROJ would wrap longitude 500
/// to 140° E); names a likely swap of the axes (经纬度可能颠倒).
pub(super) fn reject_out_of_range(raw: &mut RawLayer) {
    use geo::CoordsIter;
    for f in &mut raw.features {
        let Some(g) = &f.geometry else { continue };
        let mut bad = false;
        let mut swapped = true;
        for c in g.coords_iter() {
            let ok = (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y);
            if !ok {
                bad = true;
                swapped &= (-90.0..=90.0).contains(&c.x) && (-180.0..=180.0).contains(&c.y);
            }
        }
        if bad {
            let first = g.coords_iter().next().unwrap_or(geo::coord! { x: f64::NAN, y: f64::NAN });
            f.problem = Some(if swapped {
                Text::new(
                    "经纬度可能颠倒（x 列像纬度、y 列像经度）：请交换经度与纬度",
                    "longitude and latitude look swapped (x looks like a latitude, y like a longitude): swap them",
                )
            } else if first.x.abs() > 1000.0 || first.y.abs() > 1000.0 {
                Text::new(
                    format!("坐标 ({}, {}) 像投影坐标（米），而图层被当作经纬度读取：请核对 .prj 或在项目文件中为该图层设置 crs = \"EPSG:…\"", first.x, first.y),
                    format!("coordinates ({}, {}) look projected (metres) but the layer is read as longitude/latitude: check its .prj or set crs = \"EPSG:…\" for the layer in the project", first.x, first.y),
                )
            } else {
                Text::new(
                    format!("坐标超出经纬度范围（经度 −180～180，纬度 −90～90），如 ({}, {})", first.x, first.y),
                    format!(
                        "coordinates out of range (longitude −180…180, latitude −90…90), e.g. ({}, {})",
                        first.x, first.y
                    ),
                )
            });
            f.geometry = None;
            f.out_of_range = true;
        }
    }
}

/// No place on Earth lies further than this from a projected CRS's origin, m (the
/// equator's length; Gauss-Krüger eastings with a zone prefix stay below it).
const MAX_PROJECTED_M: f64 = 4.0e7;

pub(super) fn reproject_layer(st: &mut Staged) -> Result<()> {
    use geo::CoordsIter;
    st.source.for_each_chunk(&mut st.raw.features, |r, f| {
        let Some(g) = f.geometry.as_mut() else { return };
        if let Err(m) = r.geometry(g) {
            f.geometry = None;
            f.problem =
                Some(Text::new(format!("坐标无法转换：{m}"), format!("coordinates could not be reprojected: {m}")));
            return;
        }
        let far = g.coords_iter().find(|c| !(c.x.abs() <= MAX_PROJECTED_M && c.y.abs() <= MAX_PROJECTED_M));
        if let Some(c) = far {
            // 1e300 passes an identity transformation and fails only when written
            f.geometry = None;
            f.out_of_range = true;
            f.problem = Some(Text::new(
                format!("坐标 ({}, {}) 超出地球范围（转换到度量坐标系后超过 ±{MAX_PROJECTED_M} 米）", c.x, c.y),
                format!(
                    "coordinates ({}, {}) lie off the Earth (beyond ±{MAX_PROJECTED_M} m in the metric CRS)",
                    c.x, c.y
                ),
            ));
        }
    })
}
