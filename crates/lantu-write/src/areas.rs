//! Coverage areas at city scale: the reached walkway pieces widened into polygons by
//! rasterising capsules on a fine grid and tracing them with GDAL's polygonizer.
//!
//! A vector buffer-and-union of hundreds of thousands of street pieces takes minutes;
//! this takes about a second per area for a whole city, and gives valid polygons whose
//! edges follow the cell grid (cell = half the half-width: 15 m for the default 30 m).

use crate::{IoError, Result};
use gdal::raster::Buffer;
use gdal::vector::{LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType};
use gdal::DriverManager;
use geo::{BoundingRect, Geometry, MultiLineString, MultiPolygon};

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

    /// Traces the marked cells into polygons with GDAL's polygonizer.
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
        return Err(IoError::Write {
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

fn polygonize(grid: Vec<u8>, w: usize, h: usize, x0: f64, y1: f64, cell: f64) -> Result<MultiPolygon> {
    let err = |m: String| IoError::Write { path: "coverage_areas".into(), source: m.into() };
    let mem = DriverManager::get_driver_by_name("MEM").map_err(|e| err(e.to_string()))?;
    let mut raster = mem.create_with_band_type::<u8, _>("", w, h, 1).map_err(|e| err(e.to_string()))?;
    raster.set_geo_transform(&[x0, cell, 0.0, y1, 0.0, -cell]).map_err(|e| err(e.to_string()))?;
    let mut band = raster.rasterband(1).map_err(|e| err(e.to_string()))?;
    band.write((0, 0), (w, h), &mut Buffer::new((w, h), grid)).map_err(|e| err(e.to_string()))?;
    let memv = DriverManager::get_driver_by_name("Memory").map_err(|e| err(e.to_string()))?;
    let mut vds = memv.create_vector_only("").map_err(|e| err(e.to_string()))?;
    let layer = vds
        .create_layer(LayerOptions { name: "areas", srs: None, ty: OGRwkbGeometryType::wkbPolygon, options: None })
        .map_err(|e| err(e.to_string()))?;
    layer.create_defn_fields(&[("v", OGRFieldType::OFTInteger)]).map_err(|e| err(e.to_string()))?;
    // SAFETY: the band and the layer are alive for the call; a null option list and no
    // progress callback are allowed by GDALPolygonize.
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
    if rc != gdal_sys::CPLErr::CE_None {
        return Err(err(format!("GDALPolygonize failed ({rc})")));
    }
    let mut layer = vds.layer(0).map_err(|e| err(e.to_string()))?;
    let mut polys = Vec::new();
    for f in layer.features() {
        let Some(g) = f.geometry() else { continue };
        let traced = g.to_geo().map_err(|e| err(e.to_string()))?;
        let traced = if !ring_repeats_a_vertex(&traced) || g.is_valid() {
            traced
        } else {
            let valid = g.make_valid(&gdal::cpl::CslStringList::new()).map_err(|e| err(e.to_string()))?;
            valid.to_geo().map_err(|e| err(e.to_string()))?
        };
        match traced {
            Geometry::Polygon(p) => polys.push(drop_collinear(p)),
            Geometry::MultiPolygon(m) => polys.extend(m.0),
            Geometry::GeometryCollection(gc) => polys.extend(gc.0.into_iter().filter_map(|g| match g {
                Geometry::Polygon(p) => Some(p),
                _ => None,
            })),
            _ => {}
        }
    }
    Ok(MultiPolygon(polys))
}

/// Whether a ring of the polygon passes twice through one vertex (apart from its closing one).
///
/// The polygonizer's rings run along cell edges, so two of its edges can meet only at a
/// cell corner, and a ring that never repeats a corner is simple. Rings may share a corner
/// (cells touching diagonally): with 4-connected regions that is a single touch, which
/// leaves the interior connected and is valid. GDAL (since 3.3) also splits a region where
/// its ring would touch itself, so the GEOS check this guards is a safety net, not a
/// routine cost (it costs holes × shell vertices: seconds for a city's areas).
fn ring_repeats_a_vertex(g: &Geometry) -> bool {
    let Geometry::Polygon(p) = g else { return true };
    std::iter::once(p.exterior()).chain(p.interiors()).any(|r| {
        let n = r.0.len().saturating_sub(1);
        let mut corners: Vec<(u64, u64)> = r.0[..n].iter().map(|c| (c.x.to_bits(), c.y.to_bits())).collect();
        corners.sort_unstable();
        corners.windows(2).any(|w| w[0] == w[1])
    })
}

/// Removes the vertices in the middle of straight runs (the polygonizer puts one at every
/// cell corner): the same shape, a fraction of the vertices.
fn drop_collinear(p: geo::Polygon) -> geo::Polygon {
    let clean = |ring: &geo::LineString| -> geo::LineString {
        let pts = &ring.0;
        if pts.len() < 5 {
            return ring.clone();
        }
        let n = pts.len() - 1; // closed: last == first
        let mut out: Vec<geo::Coord> = Vec::with_capacity(n);
        for i in 0..n {
            let (a, b, c) = (pts[(i + n - 1) % n], pts[i], pts[(i + 1) % n]);
            let cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
            if cross.abs() > 1e-9 {
                out.push(b);
            }
        }
        if out.len() < 3 {
            return ring.clone();
        }
        out.push(out[0]);
        geo::LineString(out)
    };
    let (ext, ints) = p.into_inner();
    geo::Polygon::new(clean(&ext), ints.iter().map(clean).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, polygon, Area};

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

    #[test]
    fn a_repeated_corner_is_noticed() {
        let square = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0)];
        assert!(!ring_repeats_a_vertex(&Geometry::Polygon(square.clone())));
        let hole_at_corner = geo::Polygon::new(
            square.exterior().clone(),
            vec![line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 0.0)]],
        );
        assert!(!ring_repeats_a_vertex(&Geometry::Polygon(hole_at_corner)), "a hole touching the shell is valid");
        // a figure eight: one ring through (1, 1) twice
        let eight = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        assert!(ring_repeats_a_vertex(&Geometry::Polygon(eight)));
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
