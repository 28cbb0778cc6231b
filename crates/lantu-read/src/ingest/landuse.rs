//! The land-use layer (`[landuse]`): polygons whose use (用地性质: GB 50137 R/B/M…, or the
//! 国土空间 用地用海 classes 07 …) tells homes from other buildings where the buildings
//! give no use of their own.

use super::*;
use side::{read_side_layer, reproject_items, PolygonIndex, SideLayer};

/// Field names that hold a land-use polygon's use, lower case, best first.
const USE_FIELDS: [&str; 12] = [
    "用地性质",
    "用地代码",
    "用地分类",
    "地类编码",
    "地类名称",
    "dlbm",
    "dlmc",
    "ydxz",
    "landuse",
    "land_use",
    "用途",
    "use",
];

/// Marks each building residential or not by the land-use polygon its point inside lies
/// in; buildings outside every polygon stay homes. The buildings layer's own use field,
/// when it has one, wins: the land use is then only noted.
pub(super) fn apply_landuse(
    project: &Project,
    src: &LayerSource,
    metric: &MetricCrs,
    dataset: &mut Dataset,
    report: &mut LayerReport,
) -> Result<()> {
    let path = project.resolve(&src.path);
    if report.field(FieldRole::Use).is_some() {
        report.find(
            FindingKind::Note,
            None,
            None,
            Text::new(
                format!("建筑已有用途字段，用地图层 {} 未使用", path.display()),
                format!("the buildings give their use: the land-use layer {} is not used", path.display()),
            ),
        );
        return Ok(());
    }
    let src = with_crs_file_read(project, src)?;
    let SideLayer { raw, field, to_metric } = read_side_layer(&path, &src, ("landuse", "use", &USE_FIELDS), metric)?;
    let mut parcels: Vec<(Option<Geometry>, bool)> = raw
        .features
        .iter()
        .filter(|f| matches!(f.geometry, Some(Geometry::Polygon(_) | Geometry::MultiPolygon(_))))
        .map(|f| (f.geometry.clone(), f.values[field].text().is_some_and(|u| is_residential_use(&u))))
        .collect();
    reproject_items(&to_metric, &mut parcels)?;
    let parcels: Vec<(MultiPolygon, bool)> =
        parcels.into_iter().filter_map(|(g, home)| Some((polygons(&g?), home))).collect();
    let (areas, homes_on): (Vec<MultiPolygon>, Vec<bool>) = parcels.into_iter().unzip();
    let parcel_of = PolygonIndex::new(&areas).of_buildings(&dataset.buildings);
    let (mut homes, mut others, mut outside) = (0usize, 0usize, 0usize);
    for (b, parcel) in dataset.buildings.iter_mut().zip(&parcel_of) {
        match parcel {
            Some(i) => {
                b.residential = homes_on[*i];
                if b.residential {
                    homes += 1;
                } else {
                    others += 1;
                }
            }
            None => outside += 1,
        }
    }
    let field = &raw.fields[field];
    report.find(
        FindingKind::Note,
        None,
        None,
        Text::new(
            format!("建筑用途取自用地图层 {}（字段 {field}，{} 个图斑）", path.display(), areas.len()),
            format!(
                "the buildings' use comes from the land-use layer {} (field {field}, {} parcels)",
                path.display(),
                areas.len()
            ),
        ),
    );
    report.counts.retain(|(t, _)| t.en != "residential buildings");
    report.counts.push((Text::new("住宅建筑", "residential buildings"), (homes + outside) as f64));
    report
        .counts
        .push((Text::new("按用地性质判定为非住宅的建筑", "buildings on land that is not for homes"), others as f64));
    if outside > 0 {
        report.find(
            FindingKind::Assumption,
            None,
            None,
            Text::new(
                format!("{outside} 栋建筑不在任何用地图斑内：按住宅计算户数"),
                format!("{outside} buildings lie on no land-use parcel: counted as homes"),
            ),
        );
    }
    Ok(())
}
