//! Choosing the metric CRS and reprojecting into it with PROJ.

use crate::gcj02::in_china;
use crate::{GeoCoords, IoError, Result};
use geo::{Coord, Geometry, MapCoordsInPlace};
use lantu_core::{Reason, Text};
use proj::Proj;
use rayon::prelude::*;

/// The metric CRS every layer is reprojected into.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricCrs {
    /// Definition PROJ and GDAL understand, e.g. `EPSG:4545`.
    pub definition: String,
    /// The EPSG code.
    pub epsg: u32,
    /// Why this CRS.
    pub reason: Text,
}

impl MetricCrs {
    /// `EPSG:nnnn` and the CRS's name, for notes on maps.
    pub fn label(&self) -> String {
        let name = gdal::spatial_ref::SpatialRef::from_epsg(self.epsg).ok().and_then(|s| s.name()).unwrap_or_default();
        format!("{} {name}", self.definition).trim().to_string()
    }

    /// The CRS named by the user (`EPSG:nnnn`): one PROJ knows, projected, in metres. A
    /// geographic CRS (EPSG:4326) would measure in degrees and make every coverage 1.
    ///
    /// ```
    /// use lantu_read::MetricCrs;
    /// assert_eq!(MetricCrs::named("EPSG:4545").unwrap().epsg, 4545);
    /// for refused in ["EPSG:4326", "EPSG:4490", "EPSG:2263", "EPSG:999999", "4545", "WGS84"] {
    ///     assert!(MetricCrs::named(refused).is_err(), "{refused}");
    /// }
    /// ```
    pub fn named(definition: &str) -> Result<MetricCrs> {
        let refused =
            |why: Text| IoError::Crs { crs: format!("metric_crs = {definition:?}"), source: Reason(why).into() };
        let epsg = definition
            .trim()
            .strip_prefix("EPSG:")
            .or_else(|| definition.trim().strip_prefix("epsg:"))
            .and_then(|c| c.parse::<u32>().ok())
            .ok_or_else(|| {
                refused(Text::new(
                    "度量坐标系须写作 EPSG:<代码>，如 EPSG:4545",
                    "must be written EPSG:<code>, e.g. EPSG:4545",
                ))
            })?;
        let srs = gdal::spatial_ref::SpatialRef::from_epsg(epsg).map_err(|_| {
            refused(Text::new(format!("EPSG 中没有代码 {epsg} 的坐标系"), format!("no CRS with EPSG code {epsg}")))
        })?;
        if !srs.is_projected() {
            let name = srs.name().unwrap_or_default();
            return Err(refused(Text::new(
                format!("{name} 不是投影坐标系（以度为单位，距离与面积无法计算），请指定以米为单位的投影坐标系，如 EPSG:4545"),
                format!("{name} is not a projected CRS (it measures in degrees): name a projected CRS in metres, e.g. EPSG:4545"),
            )));
        }
        if (srs.linear_units() - 1.0).abs() > 1e-9 {
            let (name, units) = (srs.name().unwrap_or_default(), srs.linear_units_name().unwrap_or_default());
            return Err(refused(Text::new(
                format!("{name} 的单位是 {units}，不是米"),
                format!("{name} measures in {units}, not metres"),
            )));
        }
        // check PROJ can transform into it
        Proj::new_known_crs("EPSG:4326", &format!("EPSG:{epsg}"), None)
            .map_err(|e| refused(Text::verbatim(e.to_string())))?;
        Ok(MetricCrs {
            definition: format!("EPSG:{epsg}"),
            epsg,
            reason: Text::new("项目文件指定", "named in the project"),
        })
    }

    /// The CRS for data centred at (lon, lat) in WGS 84: inside China the CGCS2000
    /// 3-degree Gauss-Krüger zone (EPSG:4534–4554, no zone prefix in the easting);
    /// elsewhere the UTM zone.
    ///
    /// ```
    /// use lantu_read::MetricCrs;
    /// assert_eq!(MetricCrs::for_centre(106.58, 29.56).epsg, 4545); // 渝中区: CM 108°E
    /// assert_eq!(MetricCrs::for_centre(105.4, 30.5).epsg, 4544);   // 遂宁: CM 105°E
    /// assert_eq!(MetricCrs::for_centre(7.42, 43.74).epsg, 32632);  // Monaco: UTM 32N
    /// ```
    pub fn for_centre(lon: f64, lat: f64) -> MetricCrs {
        if in_china(lon, lat) && (73.5..=135.5).contains(&lon) {
            let cm = ((lon / 3.0).round() * 3.0).clamp(75.0, 135.0);
            let epsg = 4534 + ((cm - 75.0) / 3.0) as u32;
            MetricCrs {
                definition: format!("EPSG:{epsg}"),
                epsg,
                reason: Text::new(
                    format!("数据中心 {lon:.4}°E {lat:.4}°N 位于中国境内：CGCS2000 3度带高斯-克吕格投影，中央经线 {cm}°E"),
                    format!("data centre {lon:.4}°E {lat:.4}°N lies in China: CGCS2000 3-degree Gauss-Krüger, central meridian {cm}°E"),
                ),
            }
        } else {
            let zone = (((lon + 180.0) / 6.0).floor() as i64).clamp(0, 59) as u32 + 1;
            let (epsg, hemi) = if lat >= 0.0 { (32600 + zone, "N") } else { (32700 + zone, "S") };
            MetricCrs {
                definition: format!("EPSG:{epsg}"),
                epsg,
                reason: Text::new(
                    format!("数据中心 {lon:.4}° {lat:.4}° 位于中国境外：WGS 84 / UTM {zone}{hemi} 带"),
                    format!("data centre {lon:.4}° {lat:.4}° lies outside China: WGS 84 / UTM zone {zone}{hemi}"),
                ),
            }
        }
    }
}

/// A reprojection from one source CRS (optionally GCJ-02/BD-09 coordinates) to a target.
///
/// Not `Send` (PROJ contexts are per thread): build one per thread from its
/// [`ReprojectSpec`].
pub struct Reprojector {
    proj: Proj,
    coords: GeoCoords,
}

thread_local! {
    /// The reprojectors this thread has built, by what they were built from.
    static BUILT: std::cell::RefCell<Vec<(ReprojectSpec, std::rc::Rc<Reprojector>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// What a [`Reprojector`] is built from; cheap to clone and `Send`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReprojectSpec {
    /// Source CRS definition (EPSG code or WKT).
    pub from: String,
    /// Conversion of Chinese web-map coordinates applied before PROJ.
    pub coords: GeoCoords,
    /// Target CRS definition.
    pub to: String,
}

impl ReprojectSpec {
    /// Builds the reprojector (on the calling thread).
    pub fn build(&self) -> Result<Reprojector> {
        let from = if self.coords == GeoCoords::Wgs84 { self.from.as_str() } else { "EPSG:4326" };
        let proj = Proj::new_known_crs(from, &self.to, None)
            .map_err(|e| IoError::Crs { crs: format!("{from} → {}", self.to), source: e.into() })?;
        Ok(Reprojector { proj, coords: self.coords })
    }

    /// This thread's reprojector for the spec, built on its first use here and kept: a PROJ
    /// transformation takes milliseconds to set up (it reads proj.db), and a run asks for the
    /// same few on every thread for every layer it reads and writes.
    pub fn on_this_thread(&self) -> Result<std::rc::Rc<Reprojector>> {
        BUILT.with(|built| {
            if let Some((_, r)) = built.borrow().iter().find(|(spec, _)| spec == self) {
                return Ok(r.clone());
            }
            let r = std::rc::Rc::new(self.build()?);
            built.borrow_mut().push((self.clone(), r.clone()));
            Ok(r)
        })
    }

    /// Calls `f` with a transformation on every item, on every core, each thread with its
    /// own ([`ReprojectSpec::on_this_thread`]). Fails, on this thread, when the
    /// transformation cannot be built.
    pub fn for_each_chunk<T: Send>(&self, items: &mut [T], f: impl Fn(&Reprojector, &mut T) + Sync) -> Result<()> {
        self.on_this_thread()?;
        let chunk = items.len().div_ceil(2 * rayon::current_num_threads()).max(2048);
        items.par_chunks_mut(chunk).for_each(|items| {
            let r = self.on_this_thread().expect("built once above");
            for item in items {
                f(&r, item);
            }
        });
        Ok(())
    }
}

impl Reprojector {
    /// Reprojects one coordinate.
    pub fn coord(&self, c: Coord) -> Result<Coord, String> {
        let (x, y) = self.coords.to_wgs84(c.x, c.y);
        let (x, y) = self.proj.convert((x, y)).map_err(|e| e.to_string())?;
        if x.is_finite() && y.is_finite() {
            Ok(Coord { x, y })
        } else {
            Err(format!("({}, {}) has no position in the target CRS", c.x, c.y))
        }
    }

    /// Reprojects a geometry in place.
    pub fn geometry(&self, g: &mut Geometry) -> Result<(), String> {
        map_geometry(g, &|c| self.coord(c))
    }
}

/// Maps every coordinate; written out per variant because geo's generic
/// `try_map_coords_in_place` on `Geometry` recurses without bound at compile time.
fn map_geometry(g: &mut Geometry, f: &dyn Fn(Coord) -> Result<Coord, String>) -> Result<(), String> {
    match g {
        Geometry::Point(x) => x.try_map_coords_in_place(f),
        Geometry::Line(x) => x.try_map_coords_in_place(f),
        Geometry::LineString(x) => x.try_map_coords_in_place(f),
        Geometry::Polygon(x) => x.try_map_coords_in_place(f),
        Geometry::MultiPoint(x) => x.try_map_coords_in_place(f),
        Geometry::MultiLineString(x) => x.try_map_coords_in_place(f),
        Geometry::MultiPolygon(x) => x.try_map_coords_in_place(f),
        Geometry::Rect(x) => x.try_map_coords_in_place(f),
        Geometry::Triangle(x) => x.try_map_coords_in_place(f),
        Geometry::GeometryCollection(gc) => gc.0.iter_mut().try_for_each(|g| map_geometry(g, f)),
    }
}

/// Whether coordinates of a source are longitude/latitude (a geographic CRS, or GCJ-02/BD-09).
pub(crate) fn is_geographic(spec: &ReprojectSpec) -> bool {
    if spec.coords != GeoCoords::Wgs84 {
        return true;
    }
    gdal::spatial_ref::SpatialRef::from_definition(&spec.from).map(|s| s.is_geographic()).unwrap_or(false)
}
