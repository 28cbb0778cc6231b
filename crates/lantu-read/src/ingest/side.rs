//! What the layers beside the main ones (population grid, land use) share: reading one
//! as a vector layer with its field found by name, its features reprojected, and an index
//! of its polygons for the buildings to find theirs.

use super::*;
use rstar::{primitives::GeomWithData, primitives::Rectangle, RTree, AABB};

impl ReadOptions<'_> {
    /// The options of a layer as the project describes it.
    pub fn of(src: &LayerSource, max_repair_vertices: Option<usize>) -> ReadOptions<'_> {
        ReadOptions {
            layer: src.layer.as_deref(),
            encoding: src.encoding.as_deref(),
            fields: Some(&src.fields),
            filter: None,
            attributes_only: false,
            max_repair_vertices,
        }
    }
}

/// A side layer read, with the column of its one field and its CRS.
pub(super) struct SideLayer {
    pub raw: RawLayer,
    /// The column of the field (mapped by `[key.fields] role = "…"`, else found by name).
    pub field: usize,
    /// From the layer's CRS to the metric one.
    pub to_metric: ReprojectSpec,
}

/// Reads `[key]` (`src`, its CRS file already read) and finds its `role` field: the one
/// mapped in `[key.fields]`, else the first of `names` (lower case) the layer has.
pub(super) fn read_side_layer(
    path: &std::path::Path,
    src: &LayerSource,
    (key, role, names): (&str, &str, &[&str]),
    metric: &MetricCrs,
) -> Result<SideLayer> {
    let raw = read_layer(path, &ReadOptions::of(src, None))?;
    let fields = raw.fields.join(", ");
    let field = match src.fields.get(role) {
        Some(name) => raw.fields.iter().position(|f| f == name).ok_or_else(|| IoError::SideLayer {
            path: path.to_path_buf(),
            message: Text::new(
                format!("[{key}.fields] {role} = {name:?}：文件中没有该字段；现有字段：{fields}"),
                format!("[{key}.fields] {role} = {name:?}: no such field; fields: {fields}"),
            ),
        })?,
        None => names.iter().find_map(|want| raw.fields.iter().position(|f| f.to_lowercase() == *want)).ok_or_else(
            || IoError::SideLayer {
                path: path.to_path_buf(),
                message: Text::new(
                    format!("找不到{role}字段，请在 [{key}.fields] 中写 {role} = \"字段名\"；现有字段：{fields}"),
                    format!("no {role} field found: set {role} = \"FIELD\" in [{key}.fields]; fields: {fields}"),
                ),
            },
        )?,
    };
    let (from, coords, _) = source_crs(&raw, src)?;
    Ok(SideLayer { raw, field, to_metric: ReprojectSpec { from, coords, to: metric.definition.clone() } })
}

/// Reprojects each item's geometry into the metric CRS; one that cannot be becomes `None`.
pub(super) fn reproject_items<T: Send>(spec: &ReprojectSpec, items: &mut [(Option<Geometry>, T)]) -> Result<()> {
    spec.for_each_chunk(items, |r, (g, _)| {
        if g.as_mut().is_some_and(|geom| r.geometry(geom).is_err()) {
            *g = None;
        }
    })
}

/// Polygons indexed for the point-in-polygon question every building asks.
pub(super) struct PolygonIndex<'a> {
    polygons: &'a [MultiPolygon],
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

impl<'a> PolygonIndex<'a> {
    pub(super) fn new(polygons: &'a [MultiPolygon]) -> PolygonIndex<'a> {
        let entries = polygons
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let r = p.bounding_rect()?;
                Some(GeomWithData::new(Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]), i))
            })
            .collect();
        PolygonIndex { polygons, tree: RTree::bulk_load(entries) }
    }

    /// The first polygon (lowest index) holding the point, on its boundary included.
    pub(super) fn locate(&self, p: geo::Point) -> Option<usize> {
        use geo::Intersects;
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_point([p.x(), p.y()]))
            .map(|e| e.data)
            .filter(|&i| self.polygons[i].intersects(&p))
            .min()
    }

    /// The polygon of every building, by its point inside.
    pub(super) fn of_buildings(&self, buildings: &[Building]) -> Vec<Option<usize>> {
        buildings.par_iter().map(|b| self.locate(b.origin())).collect()
    }
}
