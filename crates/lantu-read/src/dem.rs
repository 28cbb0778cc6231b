//! Reading a DEM raster (GeoTIFF, SRTM `.hgt`, also inside a `.zip`) into an owned grid.

use crate::report::DemSummary;
use crate::GeoCoords;
use crate::{IoError, MetricCrs, ReprojectSpec, Result};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use geo::InteriorPoint;
use lantu_core::Dataset as Model;
use lantu_core::{Reason, Text};
use std::path::{Path, PathBuf};

/// Elevations on a regular grid, in the raster's own CRS.
#[derive(Clone, Debug, PartialEq)]
pub struct DemGrid {
    /// The file read.
    pub path: PathBuf,
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// GDAL geotransform: x0, dx, rx, y0, ry, dy.
    pub geotransform: [f64; 6],
    /// Heights in metres, row-major; NaN where there is no data.
    pub heights: Vec<f32>,
    /// The raster's CRS.
    pub crs: String,
    /// From the metric CRS to the raster's CRS.
    pub from_metric: ReprojectSpec,
}

impl DemGrid {
    /// Bilinear height at a position in the raster's CRS; `None` outside or on no-data.
    pub fn height_at(&self, x: f64, y: f64) -> Option<f64> {
        let [x0, dx, _, y0, _, dy] = self.geotransform;
        // pixel centres are at half cells
        let col = (x - x0) / dx - 0.5;
        let row = (y - y0) / dy - 0.5;
        if !(col >= 0.0 && row >= 0.0) {
            return None;
        }
        let (c, r) = (col.floor() as usize, row.floor() as usize);
        if c + 1 >= self.width || r + 1 >= self.height {
            return None;
        }
        let (fx, fy) = (col - c as f64, row - r as f64);
        let h = |cc: usize, rr: usize| self.heights[rr * self.width + cc] as f64;
        let v = h(c, r) * (1.0 - fx) * (1.0 - fy)
            + h(c + 1, r) * fx * (1.0 - fy)
            + h(c, r + 1) * (1.0 - fx) * fy
            + h(c + 1, r + 1) * fx * fy;
        v.is_finite().then_some(v)
    }
}

impl lantu_engine::GroundHeights for DemGrid {
    fn heights_at(
        &self,
        points: &[geo::Coord],
    ) -> std::result::Result<Vec<Option<f64>>, Box<dyn std::error::Error + Send + Sync>> {
        Ok(sample_heights(self, points)?)
    }
}

/// The path GDAL opens: a `.zip` becomes `/vsizip/` with the first raster inside.
fn gdal_path(path: &Path) -> Result<PathBuf> {
    if !path.exists() {
        return Err(IoError::Raster {
            path: path.to_path_buf(),
            source: Reason(crate::vector::missing_file_reason(path)).into(),
        });
    }
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) {
        let vsi = PathBuf::from(format!("/vsizip/{}", path.display()));
        let entries = gdal::vsi::read_dir(&vsi, true).map_err(|e| IoError::Raster {
            path: path.to_path_buf(),
            source: Reason::new(format!("无法列出 zip 中的文件：{e}"), format!("cannot list the zip: {e}")).into(),
        })?;
        let inner = entries
            .iter()
            .find(|e| {
                let s = e.to_string_lossy().to_lowercase();
                s.ends_with(".hgt") || s.ends_with(".tif") || s.ends_with(".tiff") || s.ends_with(".asc")
            })
            .ok_or_else(|| IoError::Raster {
                path: path.to_path_buf(),
                source: Reason::new("zip 中没有 .hgt、.tif 或 .asc 文件", "the zip holds no .hgt, .tif or .asc").into(),
            })?;
        return Ok(vsi.join(inner));
    }
    Ok(path.to_path_buf())
}

/// Reads the DEM and says how much of the communities it covers.
pub fn read_dem_summary(path: &Path, model: &Model, metric: &MetricCrs) -> Result<(DemGrid, DemSummary)> {
    let grid = read_dem(path, metric)?;
    let to_dem = grid.from_metric.build()?;
    let points: Vec<_> = model.communities.iter().filter_map(|c| c.boundary.interior_point()).collect();
    let covered =
        points.iter().filter(|p| to_dem.coord(p.0).ok().and_then(|c| grid.height_at(c.x, c.y)).is_some()).count();
    let (min, max) = grid
        .heights
        .iter()
        .filter(|h| h.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &h| (a.min(h as f64), b.max(h as f64)));
    let summary = DemSummary {
        path: path.to_path_buf(),
        width: grid.width,
        height: grid.height,
        crs: grid.crs.clone(),
        min_m: min,
        max_m: max,
        covers_share: if points.is_empty() { 0.0 } else { covered as f64 / points.len() as f64 },
        edges_without_height: 0,
        edges: 0,
    };
    Ok((grid, summary))
}

/// Reads the first band of a DEM into memory.
pub fn read_dem(path: &Path, metric: &MetricCrs) -> Result<DemGrid> {
    let err = |message: Text| IoError::Raster { path: path.to_path_buf(), source: Reason(message).into() };
    let gp = gdal_path(path)?;
    let ds = Dataset::open_ex(
        &gp,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_RASTER | GdalOpenFlags::GDAL_OF_READONLY,
            ..Default::default()
        },
    )
    .map_err(|e| err(crate::vector::damaged_or_foreign(path, &e.to_string())))?;
    let (width, height) = ds.raster_size();
    let geotransform = ds
        .geo_transform()
        .map_err(|e| err(Text::new(format!("没有地理参考：{e}"), format!("no georeferencing: {e}"))))?;
    let srs = ds.spatial_ref().map_err(|e| err(Text::new(format!("没有坐标系：{e}"), format!("no CRS: {e}"))))?;
    let crs = match (srs.auth_name(), srs.auth_code()) {
        (Some(a), Ok(c)) => format!("{a}:{c}"),
        _ => srs.to_wkt().map_err(|e| err(Text::verbatim(e.to_string())))?,
    };
    let band = ds.rasterband(1).map_err(|e| err(Text::verbatim(e.to_string())))?;
    let nodata = band.no_data_value();
    let buf = band
        .read_as::<f32>((0, 0), (width, height), (width, height), None)
        .map_err(|e| err(Text::verbatim(e.to_string())))?;
    let heights: Vec<f32> = buf
        .data()
        .iter()
        .map(|&h| if nodata.is_some_and(|nd| (h as f64 - nd).abs() < 1e-6) || !h.is_finite() { f32::NAN } else { h })
        .collect();
    check_heights(&heights, width).map_err(err)?;
    Ok(DemGrid {
        path: path.to_path_buf(),
        width,
        height,
        geotransform,
        heights,
        from_metric: ReprojectSpec { from: metric.definition.clone(), coords: GeoCoords::Wgs84, to: crs.clone() },
        crs,
    })
}

/// Heights no ground on Earth has (the Dead Sea shore is at −430 m, Everest 8,849 m): a
/// DEM holding them is in other units, has an undeclared no-data value, or is damaged.
pub const ELEVATION_RANGE_M: std::ops::RangeInclusive<f32> = -500.0..=9000.0;

/// A DEM's heights must be heights: some cell with a value, and every value within
/// [`ELEVATION_RANGE_M`]. The error names the first bad cell and how many there are.
fn check_heights(heights: &[f32], width: usize) -> std::result::Result<(), Text> {
    if !heights.iter().any(|h| h.is_finite()) {
        return Err(Text::new("没有任何高程值（全部为无数据）", "holds no height at all (every cell is no-data)"));
    }
    let bad: Vec<usize> = heights
        .iter()
        .enumerate()
        .filter(|(_, h)| h.is_finite() && !ELEVATION_RANGE_M.contains(h))
        .map(|(i, _)| i)
        .collect();
    if let Some(&first) = bad.first() {
        let (col, row) = (first % width.max(1), first / width.max(1));
        let (lo, hi) = (ELEVATION_RANGE_M.start(), ELEVATION_RANGE_M.end());
        let (n, h) = (bad.len(), heights[first]);
        return Err(Text::new(
            format!("{n} 个像元的高程超出 {lo}…{hi} 米（首个在第 {row} 行第 {col} 列：{h}）：单位不是米、无数据值未声明或文件损坏"),
            format!("{n} cells hold heights outside {lo}…{hi} m (the first at row {row}, column {col}: {h}): not metres, an undeclared no-data value, or a damaged file"),
        ));
    }
    Ok(())
}

/// Heights (m) at positions in the metric CRS, `None` outside the DEM or on no-data.
pub fn sample_heights(dem: &DemGrid, coords: &[geo::Coord]) -> Result<Vec<Option<f64>>> {
    use rayon::prelude::*;
    dem.from_metric.on_this_thread()?; // fail here, with the CRS named, rather than per thread
    let spec = dem.from_metric.clone();
    Ok(coords
        .par_iter()
        .map_init(
            // each of rayon's splits asks: the thread's own reprojector, built once
            || spec.on_this_thread().expect("built once above"),
            |r, c| r.coord(*c).ok().and_then(|q| dem.height_at(q.x, q.y)),
        )
        .collect())
}

#[cfg(test)]
mod height_tests {
    use super::*;

    #[test]
    fn heights_beyond_the_earths_and_all_no_data_are_refused() {
        assert!(check_heights(&[200.0, f32::NAN, 8800.0, -420.0], 2).is_ok());
        let e = check_heights(&[200.0, 1e30, 300.0, -32768.0], 2).unwrap_err();
        assert!(e.zh.contains("2 个像元") && e.en.contains("row 0, column 1"), "{e:?}");
        let e = check_heights(&[f32::NAN; 4], 2).unwrap_err();
        assert!(e.en.contains("no-data"), "{e:?}");
    }
}
