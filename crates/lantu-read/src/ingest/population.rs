//! The population grid (`[population]`): a raster of people per cell (WorldPop, LandScan,
//! any GDAL raster) or a vector layer of points or polygons with a people field (七普 grid
//! tables), located on the buildings in the metric CRS.

use super::*;
use crate::report::{PopulationForm, PopulationSummary};
use lantu_core::{PopulationGrid, Text};
use side::{read_side_layer, reproject_items, PolygonIndex, SideLayer};

/// Field names that hold the people of a grid feature, lower case, best first.
const PEOPLE_FIELDS: [&str; 12] = [
    "people",
    "population",
    "pop",
    "人口",
    "人口数",
    "常住人口",
    "总人口",
    "人数",
    "popu",
    "pop2020",
    "value",
    "count",
];

/// Reads the grid and finds the cell of every building (by its point inside, which
/// [`finish`] has computed).
/// `path` is the file resolved; `src` has its CRS file, if any, read already.
pub(crate) fn read_population(
    path: &std::path::Path,
    src: &LayerSource,
    metric: &MetricCrs,
    dataset: &Dataset,
) -> Result<(PopulationGrid, PopulationSummary)> {
    let path = path.to_path_buf();
    if !path.exists() {
        return Err(raster_error(&path, crate::vector::missing_file_reason(&path)));
    }
    let opened = gdal::Dataset::open_ex(
        &path,
        gdal::DatasetOptions {
            open_flags: gdal::GdalOpenFlags::GDAL_OF_RASTER | gdal::GdalOpenFlags::GDAL_OF_READONLY,
            ..Default::default()
        },
    );
    match opened {
        Ok(ds) if ds.raster_count() > 0 => read_raster(&path, &ds, src, metric, dataset),
        _ => read_vector(&path, src, metric, dataset),
    }
}

fn raster_error(path: &std::path::Path, message: Text) -> IoError {
    IoError::SideLayer {
        path: path.to_path_buf(),
        message: Text::new(
            format!("人口格网无法使用：{}", message.zh),
            format!("the population grid cannot be used: {}", message.en),
        ),
    }
}

/// A raster of people per cell: the cells over the communities' extent are read.
fn read_raster(
    path: &std::path::Path,
    ds: &gdal::Dataset,
    src: &LayerSource,
    metric: &MetricCrs,
    dataset: &Dataset,
) -> Result<(PopulationGrid, PopulationSummary)> {
    let err = |m: Text| raster_error(path, m);
    let gt = ds
        .geo_transform()
        .map_err(|e| err(Text::new(format!("没有地理参考：{e}"), format!("no georeferencing: {e}"))))?;
    if gt[2] != 0.0 || gt[4] != 0.0 || gt[1] == 0.0 || gt[5] == 0.0 {
        return Err(err(Text::new(
            "人口格网是旋转的栅格，请先用 gdalwarp 转为正北向",
            "the population raster is rotated: warp it north-up first (gdalwarp)",
        )));
    }
    let crs = match &src.crs {
        Some(c) => c.clone(),
        None => {
            let srs = ds.spatial_ref().map_err(|_| {
                err(Text::new(
                    "人口格网没有坐标系：请在 [population] 中设置 crs",
                    "the population raster declares no CRS: set crs in [population]",
                ))
            })?;
            match (srs.auth_name(), srs.auth_code()) {
                (Some(a), Ok(c)) => format!("{a}:{c}"),
                _ => srs.to_wkt().map_err(|e| err(Text::verbatim(e.to_string())))?,
            }
        }
    };
    let to_raster = ReprojectSpec { from: metric.definition.clone(), coords: GeoCoords::Wgs84, to: crs.clone() };
    let to_metric = ReprojectSpec { from: crs.clone(), coords: GeoCoords::Wgs84, to: metric.definition.clone() };
    let (width, height) = ds.raster_size();
    let cell_of = |c: geo::Coord| ((c.x - gt[0]) / gt[1], (c.y - gt[3]) / gt[5]);
    // the window over the communities' extent (its corners and edge midpoints in the
    // raster's CRS), one cell wider on each side
    let extent = dataset.communities.iter().filter_map(|c| c.boundary.bounding_rect()).reduce(union_rect);
    let Some(extent) = extent else {
        return Err(err(Text::new("没有社区", "no community")));
    };
    let r = to_raster.build()?;
    let (mut c0, mut c1, mut r0, mut r1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for fx in [0.0, 0.5, 1.0] {
        for fy in [0.0, 0.5, 1.0] {
            let c = geo::Coord { x: extent.min().x + fx * extent.width(), y: extent.min().y + fy * extent.height() };
            if let Ok(q) = r.coord(c) {
                let (col, row) = cell_of(q);
                (c0, c1, r0, r1) = (c0.min(col), c1.max(col), r0.min(row), r1.max(row));
            }
        }
    }
    let clamp = |v: f64, n: usize| v.max(0.0).min(n as f64) as usize;
    let (c0, c1) = (clamp(c0.floor() - 1.0, width), clamp(c1.ceil() + 1.0, width));
    let (r0, r1) = (clamp(r0.floor() - 1.0, height), clamp(r1.ceil() + 1.0, height));
    if c1 <= c0 || r1 <= r0 {
        return Err(err(Text::new(
            format!("人口格网（{width}×{height} 像元，{crs}）与社区范围不重叠"),
            format!("the population raster ({width}×{height} cells, {crs}) does not overlap the communities"),
        )));
    }
    let (w, h) = (c1 - c0, r1 - r0);
    let band = ds.rasterband(1).map_err(|e| err(Text::verbatim(e.to_string())))?;
    let nodata = band.no_data_value();
    let buf = band
        .read_as::<f64>((c0 as isize, r0 as isize), (w, h), (w, h), None)
        .map_err(|e| err(crate::vector::damaged_or_foreign(path, &e.to_string())))?;
    let mut negative = 0;
    let people: Vec<f64> = buf
        .data()
        .iter()
        .map(|&v| {
            if nodata.is_some_and(|nd| v == nd || (v - nd).abs() < 1e-6 * nd.abs().max(1.0)) || !v.is_finite() {
                0.0
            } else if v < 0.0 {
                negative += 1;
                0.0
            } else {
                v
            }
        })
        .collect();
    // every building's cell, from its point inside
    let mut located: Vec<(geo::Coord, Option<u32>)> = dataset.buildings.iter().map(|b| (b.origin().0, None)).collect();
    to_raster.for_each_chunk(&mut located, |r, (c, cell)| {
        if let Ok(q) = r.coord(*c) {
            let (col, row) = cell_of(q);
            let (col, row) = (col.floor() - c0 as f64, row.floor() - r0 as f64);
            if col >= 0.0 && row >= 0.0 && (col as usize) < w && (row as usize) < h {
                *cell = Some((row as usize * w + col as usize) as u32);
            }
        }
    })?;
    // the centre of every cell with people, for those with no home in them
    let mut anchors: Vec<(usize, geo::Point)> = people
        .iter()
        .enumerate()
        .filter(|(_, p)| **p > 0.0)
        .map(|(i, _)| {
            let (col, row) = ((c0 + i % w) as f64 + 0.5, (r0 + i / w) as f64 + 0.5);
            (i, geo::Point::new(gt[0] + col * gt[1], gt[3] + row * gt[5]))
        })
        .collect();
    to_metric.for_each_chunk(&mut anchors, |r, (_, p)| {
        *p = r.coord(p.0).map(geo::Point::from).unwrap_or(geo::Point::new(f64::NAN, f64::NAN));
    })?;
    let mut anchor_of = vec![geo::Point::new(f64::NAN, f64::NAN); people.len()];
    for (i, p) in anchors {
        anchor_of[i] = p;
    }
    // a cell's area on the ground, from one cell's corners in the metric CRS: the densest
    // cell tells people per cell from a density per km² (WorldPop ships both)
    let r = to_metric.build()?;
    let corner = |dc: f64, dr: f64| {
        let (col, row) = (c0 as f64 + dc, r0 as f64 + dr);
        r.coord(geo::Coord { x: gt[0] + col * gt[1], y: gt[3] + row * gt[5] })
    };
    let cell_m2 = match (corner(0.0, 0.0), corner(1.0, 0.0), corner(0.0, 1.0)) {
        (Ok(o), Ok(x), Ok(y)) => ((x.x - o.x) * (y.y - o.y) - (x.y - o.y) * (y.x - o.x)).abs(),
        _ => f64::NAN,
    };
    let densest = people.iter().copied().fold(0.0, f64::max);
    let summary = PopulationSummary {
        densest_per_km2: if cell_m2 > 0.0 { densest / cell_m2 * 1e6 } else { f64::NAN },
        path: path.to_path_buf(),
        form: PopulationForm::Raster { width, height, cell: (gt[1].abs(), gt[5].abs()) },
        crs,
        field: None,
        cells: people.iter().filter(|p| **p > 0.0).count(),
        people: people.iter().sum(),
        buildings_on_grid: located.iter().filter(|(_, c)| c.is_some()).count(),
        rejected: negative,
        in_communities: 0.0,
        outside: 0.0,
    };
    let grid =
        PopulationGrid { people, anchors: anchor_of, building_cell: located.into_iter().map(|(_, c)| c).collect() };
    Ok((grid, summary))
}

/// Points (each one's people go to the community it lies in) or polygons (cells the
/// buildings stand in) with a people field.
fn read_vector(
    path: &std::path::Path,
    src: &LayerSource,
    metric: &MetricCrs,
    dataset: &Dataset,
) -> Result<(PopulationGrid, PopulationSummary)> {
    let SideLayer { raw, field, to_metric } =
        read_side_layer(path, src, ("population", "people", &PEOPLE_FIELDS), metric)?;
    let mut features: Vec<(Option<Geometry>, f64)> = Vec::with_capacity(raw.features.len());
    let mut rejected = 0;
    for f in &raw.features {
        match (f.values[field].number(), &f.geometry) {
            (Ok(Some(p)), Some(g)) if p.is_finite() && p >= 0.0 => features.push((Some(g.clone()), p)),
            (Ok(None), Some(_)) => {}
            _ => rejected += 1,
        }
    }
    reproject_items(&to_metric, &mut features)?;
    let features: Vec<(Geometry, f64)> = features.into_iter().filter_map(|(g, p)| Some((g?, p))).collect();
    let is_polygons = features.iter().any(|(g, _)| matches!(g, Geometry::Polygon(_) | Geometry::MultiPolygon(_)));
    let people: Vec<f64> = features.iter().map(|(_, p)| *p).collect();
    let anchors: Vec<geo::Point> =
        features.iter().map(|(g, _)| g.interior_point().unwrap_or(geo::Point::new(f64::NAN, f64::NAN))).collect();
    let building_cell: Vec<Option<u32>> = if is_polygons {
        let cells: Vec<MultiPolygon> = features.iter().map(|(g, _)| polygons(g)).collect();
        PolygonIndex::new(&cells).of_buildings(&dataset.buildings).into_iter().map(|c| c.map(|i| i as u32)).collect()
    } else {
        nearest_centres(&anchors, &dataset.buildings)
    };
    let summary = PopulationSummary {
        densest_per_km2: f64::NAN,
        path: path.to_path_buf(),
        form: if is_polygons { PopulationForm::Polygons } else { PopulationForm::Points },
        crs: to_metric.from.clone(),
        field: Some(raw.fields[field].clone()),
        cells: people.iter().filter(|p| **p > 0.0).count(),
        people: people.iter().sum(),
        buildings_on_grid: building_cell.iter().filter(|c| c.is_some()).count(),
        rejected,
        in_communities: 0.0,
        outside: 0.0,
    };
    Ok((PopulationGrid { people, anchors, building_cell }, summary))
}

/// The cell of each building in a grid given as its cells' centres: the nearest centre,
/// if no farther than the centres' spacing (the median distance from a centre to the
/// next), so that a building beyond the grid's edge stays off it.
fn nearest_centres(centres: &[geo::Point], buildings: &[Building]) -> Vec<Option<u32>> {
    use rstar::{primitives::GeomWithData, RTree};
    let tree = RTree::bulk_load(
        centres
            .iter()
            .enumerate()
            .filter(|(_, p)| p.x().is_finite())
            .map(|(i, p)| GeomWithData::new([p.x(), p.y()], i))
            .collect(),
    );
    let mut gaps: Vec<f64> = tree
        .iter()
        .filter_map(|e| tree.nearest_neighbor_iter_with_distance_2(e.geom()).nth(1).map(|(_, d2)| d2.sqrt()))
        .collect();
    if gaps.is_empty() {
        return vec![None; buildings.len()];
    }
    gaps.sort_by(f64::total_cmp);
    let spacing = gaps[gaps.len() / 2];
    buildings
        .par_iter()
        .map(|b| {
            let p = b.origin();
            let (e, d2) = tree.nearest_neighbor_iter_with_distance_2(&[p.x(), p.y()]).next()?;
            (d2.sqrt() <= spacing).then_some(e.data as u32)
        })
        .collect()
}
