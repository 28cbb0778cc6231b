//! Coverage areas at city scale: the reached walkway pieces widened into polygons by
//! rasterising capsules on a fine grid and tracing the marked cells ([`crate::trace`]).
//!
//! A vector buffer-and-union of hundreds of thousands of street pieces takes minutes;
//! this takes about a second per area for a whole city, and gives valid polygons whose
//! edges follow the cell grid (cell = half the half-width: 15 m for the default 30 m).

use crate::{Result, WriteError};
use geo::{BoundingRect, Coord, LineString, MultiLineString, MultiPolygon, Polygon};

/// Residential footprints' bounding boxes widened by `half_width` and dissolved into areas
/// on a grid of `cell` m: the uncovered residential areas, as blobs a planner can see at
/// district scale rather than half a million footprints.
pub fn widen_boxes(rects: &[geo::Rect], half_width: f64, cell: f64) -> Result<MultiPolygon> {
    let Some(r) = rects.iter().copied().reduce(|a, b| {
        geo::Rect::new(
            geo::Coord { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            geo::Coord { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )
    }) else {
        return Ok(MultiPolygon(vec![]));
    };
    let mut g = Grid::new(r, half_width, cell);
    for b in rects {
        g.mark_rect(b.min().x - half_width, b.min().y - half_width, b.max().x + half_width, b.max().y + half_width);
    }
    g.polygons()
}

/// A 0/1 grid over a padded extent, north up.
struct Grid {
    x0: f64,
    y1: f64,
    cell: f64,
    w: usize,
    h: usize,
    cells: Vec<u8>,
}

impl Grid {
    fn new(r: geo::Rect, half_width: f64, cell: f64) -> Grid {
        let pad = half_width + 2.0 * cell;
        let w = ((r.width() + 2.0 * pad) / cell).ceil() as usize;
        let h = ((r.height() + 2.0 * pad) / cell).ceil() as usize;
        Grid { x0: r.min().x - pad, y1: r.max().y + pad, cell, w, h, cells: vec![0; w * h] }
    }

    /// Marks the cells whose centres lie in the rectangle.
    fn mark_rect(&mut self, xa: f64, ya: f64, xb: f64, yb: f64) {
        let c0 = ((xa - self.x0) / self.cell - 0.5).ceil().max(0.0) as usize;
        let c1 = (((xb - self.x0) / self.cell - 0.5).floor().max(0.0) as usize).min(self.w - 1);
        let r0 = ((self.y1 - yb) / self.cell - 0.5).ceil().max(0.0) as usize;
        let r1 = (((self.y1 - ya) / self.cell - 0.5).floor().max(0.0) as usize).min(self.h - 1);
        for row in r0..=r1 {
            self.cells[row * self.w + c0..=row * self.w + c1].fill(1);
        }
    }

    /// Traces the marked cells into polygons.
    fn polygons(self) -> Result<MultiPolygon> {
        polygonize(self.cells, self.w, self.h, self.x0, self.y1, self.cell)
    }
}

/// Traces coverage areas for the engine with [`widen_lines`].
#[derive(Clone, Copy, Debug, Default)]
pub struct GridTracer;

impl lantu_engine::AreaTracer for GridTracer {
    fn widen(
        &self,
        lines: &MultiLineString,
        half_width: f64,
        cell: f64,
    ) -> std::result::Result<MultiPolygon, Box<dyn std::error::Error + Send + Sync>> {
        Ok(widen_lines(lines, half_width, cell)?)
    }
}

/// The lines widened by `half_width` on each side, as polygons on a grid of `cell` m.
///
/// The grid never exceeds 16,384 cells a side (the cell grows instead), so no width or
/// extent can ask for an impossible raster.
pub fn widen_lines(lines: &MultiLineString, half_width: f64, cell: f64) -> Result<MultiPolygon> {
    if !(half_width > 0.0 && half_width.is_finite() && cell > 0.0 && cell.is_finite()) {
        return Err(WriteError::Write {
            path: "coverage_areas".into(),
            source: format!("widening by {half_width} m on a {cell} m grid: both must be positive").into(),
        });
    }
    let Some(r) = lines.bounding_rect() else { return Ok(MultiPolygon(vec![])) };
    let cell = cell.max((r.width().max(r.height()) + 2.0 * half_width) / 16_384.0);
    let mut g = Grid::new(r, half_width, cell);
    let (x0, y1, w, h) = (g.x0, g.y1, g.w, g.h);
    let grid = &mut g.cells;
    let hw2 = half_width * half_width;
    for l in lines.iter().flat_map(|ls| ls.lines()) {
        let (ax, ay, bx, by) = (l.start.x, l.start.y, l.end.x, l.end.y);
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let c0 = (((ax.min(bx) - half_width - x0) / cell).floor().max(0.0)) as usize;
        let c1 = ((((ax.max(bx) + half_width - x0) / cell).ceil()) as usize).min(w - 1);
        let r0 = (((y1 - ay.max(by) - half_width) / cell).floor().max(0.0)) as usize;
        let r1 = ((((y1 - ay.min(by) + half_width) / cell).ceil()) as usize).min(h - 1);
        for row in r0..=r1 {
            let py = y1 - (row as f64 + 0.5) * cell;
            for col in c0..=c1 {
                let px = x0 + (col as f64 + 0.5) * cell;
                let t = if len2 > 0.0 { (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
                let (qx, qy) = (ax + t * dx - px, ay + t * dy - py);
                if qx * qx + qy * qy <= hw2 {
                    grid[row * w + col] = 1;
                }
            }
        }
    }
    g.polygons()
}

/// The marked cells of a north-up grid (`x0`, `y1`: its top-left corner) as polygons in
/// the grid's CRS, one per 4-connected region, valid, with only the corners where rings turn.
fn polygonize(grid: Vec<u8>, w: usize, h: usize, x0: f64, y1: f64, cell: f64) -> Result<MultiPolygon> {
    let at = |(c, r): crate::trace::Corner| Coord { x: x0 + c as f64 * cell, y: y1 - r as f64 * cell };
    let ring = |corners: Vec<crate::trace::Corner>| LineString(corners.into_iter().map(at).collect());
    Ok(MultiPolygon(
        crate::trace::trace_regions(&grid, w, h)
            .into_iter()
            .map(|r| Polygon::new(ring(r.exterior), r.holes.into_iter().map(ring).collect()))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, Area, Geometry};

    #[test]
    fn a_street_widens_to_a_band_with_round_ends() {
        lantu_read::init_gdal();
        let lines = MultiLineString(vec![line_string![(x: 0.0, y: 0.0), (x: 600.0, y: 0.0)]]);
        let area = widen_lines(&lines, 30.0, 2.0).unwrap();
        let a = area.unsigned_area();
        let expected = 600.0 * 60.0 + std::f64::consts::PI * 900.0;
        assert!((a - expected).abs() / expected < 0.02, "{a} vs {expected}");
        assert_eq!(area.0.len(), 1);
    }

    /// Cells that touch only at a corner make the polygonizer's rings share a vertex: the
    /// areas must still come out valid (checked by GEOS) and keep every marked cell.
    #[test]
    fn cells_touching_at_corners_give_valid_areas() {
        lantu_read::init_gdal();
        // a ring of cells around a hole whose corner touches the outside, and a
        // checkerboard corner
        let rows = ["000000", "011110", "010010", "011100", "000001", "000000"];
        let (w, h) = (6, 6);
        let grid: Vec<u8> = rows.iter().flat_map(|r| r.bytes().map(|b| b - b'0')).collect();
        let marked = grid.iter().filter(|&&c| c == 1).count() as f64;
        let areas = polygonize(grid, w, h, 0.0, 6.0, 1.0).unwrap();
        assert!((areas.unsigned_area() - marked).abs() < 1e-9, "{} vs {marked}", areas.unsigned_area());
        for p in &areas.0 {
            let g = gdal::vector::ToGdal::to_gdal(p).unwrap();
            assert!(g.is_valid(), "{:?}", p);
        }
    }

    /// GDAL's polygonizer on the same grid: the reference the tracer replaced.
    fn gdal_polygonize(grid: &[u8], w: usize, h: usize) -> MultiPolygon {
        use gdal::vector::{LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType};
        let mem = gdal::DriverManager::get_driver_by_name("MEM").unwrap();
        let mut raster = mem.create_with_band_type::<u8, _>("", w, h, 1).unwrap();
        raster.set_geo_transform(&[0.0, 1.0, 0.0, h as f64, 0.0, -1.0]).unwrap();
        let mut band = raster.rasterband(1).unwrap();
        band.write((0, 0), (w, h), &mut gdal::raster::Buffer::new((w, h), grid.to_vec())).unwrap();
        let memv = gdal::DriverManager::get_driver_by_name("Memory").unwrap();
        let mut vds = memv.create_vector_only("").unwrap();
        let layer = vds
            .create_layer(LayerOptions { name: "a", srs: None, ty: OGRwkbGeometryType::wkbPolygon, options: None })
            .unwrap();
        layer.create_defn_fields(&[("v", OGRFieldType::OFTInteger)]).unwrap();
        // SAFETY: band and layer live through the call; null options and progress are allowed
        let rc = unsafe {
            gdal_sys::GDALPolygonize(
                band.c_rasterband(),
                band.c_rasterband(),
                layer.c_layer(),
                0,
                std::ptr::null_mut(),
                None,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(rc, gdal_sys::CPLErr::CE_None);
        let mut layer = vds.layer(0).unwrap();
        let polys = layer.features().filter_map(|f| match f.geometry()?.to_geo().ok()? {
            Geometry::Polygon(p) => Some(vec![p]),
            Geometry::MultiPolygon(m) => Some(m.0),
            _ => None,
        });
        MultiPolygon(polys.flatten().collect())
    }

    /// On fixed-seed random grids (scattered cells, blobs, and cells touching at corners),
    /// every cell's centre lies in the areas exactly when the cell is marked, every polygon
    /// is valid for GEOS, and the area is what GDAL's polygonizer gives.
    #[test]
    fn traced_areas_agree_with_the_cells_and_with_gdal() {
        use geo::Contains;
        lantu_read::init_gdal();
        let mut rng = lantu_core::SeededRng::new(15);
        for case in 0..60 {
            let (w, h) = (5 + rng.below(30), 5 + rng.below(30));
            let density = [0.2, 0.5, 0.7][case % 3];
            let mut grid: Vec<u8> = (0..w * h).map(|_| (rng.unit() < density) as u8).collect();
            if case % 4 == 0 {
                // blobs with holes: mark disks
                grid.fill(0);
                for _ in 0..4 {
                    let (cx, cy, r) = (rng.range(0.0, w as f64), rng.range(0.0, h as f64), rng.range(1.0, 6.0));
                    for (i, g) in grid.iter_mut().enumerate() {
                        let (x, y) = ((i % w) as f64 + 0.5, (i / w) as f64 + 0.5);
                        let d = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt();
                        if d < r && d > r / 2.5 {
                            *g = 1;
                        }
                    }
                }
            }
            let areas = polygonize(grid.clone(), w, h, 0.0, h as f64, 1.0).unwrap();
            for (i, &g) in grid.iter().enumerate() {
                let centre = geo::Point::new((i % w) as f64 + 0.5, h as f64 - (i / w) as f64 - 0.5);
                assert_eq!(areas.contains(&centre), g == 1, "case {case}, cell {i}");
            }
            for p in &areas.0 {
                assert!(gdal::vector::ToGdal::to_gdal(p).unwrap().is_valid(), "case {case}: {p:?}");
            }
            let gdal = gdal_polygonize(&grid, w, h).unsigned_area();
            assert!((areas.unsigned_area() - gdal).abs() < 1e-9, "case {case}: {} vs {gdal}", areas.unsigned_area());
            let marked = grid.iter().filter(|&&g| g == 1).count() as f64;
            assert!((areas.unsigned_area() - marked).abs() < 1e-9, "case {case}");
        }
    }

    #[test]
    fn a_ring_of_streets_keeps_its_hole() {
        lantu_read::init_gdal();
        let lines = MultiLineString(vec![
            line_string![(x: 0.0, y: 0.0), (x: 400.0, y: 0.0), (x: 400.0, y: 400.0), (x: 0.0, y: 400.0), (x: 0.0, y: 0.0)],
        ]);
        let area = widen_lines(&lines, 30.0, 10.0).unwrap();
        assert_eq!(area.0.len(), 1);
        assert_eq!(area.0[0].interiors().len(), 1, "the block inside stays uncovered");
    }
}
