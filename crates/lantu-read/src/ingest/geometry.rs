//! Geometry families: which a layer role accepts, and polygons or points from any.

use super::*;

pub(super) fn family(g: &Geometry) -> Option<Family> {
    match g {
        Geometry::Point(_) | Geometry::MultiPoint(_) => Some(Family::Point),
        Geometry::LineString(_) | Geometry::MultiLineString(_) | Geometry::Line(_) => Some(Family::Line),
        Geometry::Polygon(_) | Geometry::MultiPolygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => {
            Some(Family::Polygon)
        }
        Geometry::GeometryCollection(gc) => {
            // MakeValid may return collections: take the highest dimension present
            let fams: Vec<Family> = gc.iter().filter_map(family).collect();
            [Family::Polygon, Family::Line, Family::Point].into_iter().find(|f| fams.contains(f))
        }
    }
}

pub(super) fn allowed(role: LayerRole) -> (&'static [Family], &'static str) {
    match role {
        LayerRole::Communities | LayerRole::Streets | LayerRole::Buildings => (&[Family::Polygon], "polygon"),
        LayerRole::Walkways => (&[Family::Line], "line"),
        LayerRole::Facilities | LayerRole::Candidates => (&[Family::Point, Family::Polygon], "point or polygon"),
        LayerRole::Entrances => (&[Family::Point], "point"),
    }
}

pub(super) fn check_geometry_family(role: LayerRole, st: &Staged) -> Result<()> {
    let (ok, expected) = allowed(role);
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    let mut any_ok = false;
    let mut any = false;
    for f in &st.raw.features {
        if let Some(g) = &f.geometry {
            any = true;
            match family(g) {
                Some(fam) if ok.contains(&fam) => any_ok = true,
                fam => *found.entry(format!("{fam:?}").to_lowercase()).or_default() += 1,
            }
        }
    }
    if any && !any_ok {
        return Err(IoError::WrongGeometryType {
            path: st.raw.path.clone(),
            layer: st.raw.layer.clone(),
            role: role.key().into(),
            expected: expected.into(),
            found: found.keys().cloned().collect::<Vec<_>>().join(", ").replace("some(", "").replace(')', ""),
        });
    }
    Ok(())
}

/// The polygonal part of a geometry as a multipolygon.
pub(crate) fn polygons(g: &Geometry) -> MultiPolygon {
    match g {
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        Geometry::MultiPolygon(m) => m.clone(),
        Geometry::Rect(r) => MultiPolygon(vec![r.to_polygon()]),
        Geometry::Triangle(t) => MultiPolygon(vec![t.to_polygon()]),
        Geometry::GeometryCollection(gc) => MultiPolygon(gc.iter().flat_map(|g| polygons(g).0).collect()),
        _ => MultiPolygon(vec![]),
    }
}

/// A point standing for a point or polygon feature, and the footprint if polygonal.
pub(crate) fn location(g: &Geometry) -> Option<(Point, Option<MultiPolygon>)> {
    match g {
        Geometry::Point(p) => Some((*p, None)),
        Geometry::MultiPoint(mp) => mp.0.first().map(|p| (*p, None)),
        _ => {
            let m = polygons(g);
            let p = m.interior_point()?;
            Some((p, Some(m)))
        }
    }
}
