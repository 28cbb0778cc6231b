//! OGC API – Features, Part 1 Core with GeoJSON: the documents, built as JSON values.

use crate::catalog::{Catalog, Collection, Feature};
use serde_json::{json, Value};

/// The conformance classes implemented.
pub const CONFORMANCE: [&str; 3] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
];

const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

/// The most features one page of items may hold.
pub const MAX_LIMIT: usize = 10_000;
/// Features per page when the request names no limit.
pub const DEFAULT_LIMIT: usize = 1_000;

fn link(href: String, rel: &str, kind: &str, title: &str) -> Value {
    json!({ "href": href, "rel": rel, "type": kind, "title": title })
}

/// The landing page.
pub fn landing(base: &str, cat: &Catalog) -> Value {
    let title = cat.folders.iter().map(|f| f.slug.as_str()).collect::<Vec<_>>().join(", ");
    let mut links = vec![
        link(format!("{base}/"), "self", "application/json", "this document"),
        link(
            format!("{base}/api"),
            "service-desc",
            "application/vnd.oai.openapi+json;version=3.0",
            "the API definition",
        ),
        link(format!("{base}/conformance"), "conformance", "application/json", "conformance classes"),
        link(format!("{base}/collections"), "data", "application/json", "the layers"),
    ];
    for f in cat.folders.iter().filter(|f| f.web.is_some()) {
        links.push(link(format!("{base}/web/{}/index.html", f.slug), "alternate", "text/html", "一张蓝图 page"));
    }
    json!({
        "title": format!("lantu 一张蓝图: {title}"),
        "description": "社区嵌入式服务设施一张蓝图（只读）/ the blueprint of community-embedded services, read-only",
        "links": links,
    })
}

/// The conformance declaration.
pub fn conformance() -> Value {
    json!({ "conformsTo": CONFORMANCE })
}

/// One collection's description.
pub fn collection(base: &str, c: &Collection) -> Value {
    let e = if c.features.is_empty() { [-180.0, -90.0, 180.0, 90.0] } else { c.extent };
    json!({
        "id": c.id,
        "title": c.title_zh,
        "description": format!("{} / {}（{} 个要素）", c.title_zh, c.title_en, c.features.len()),
        "itemType": "feature",
        "crs": [CRS84],
        "extent": { "spatial": { "bbox": [e], "crs": CRS84 } },
        "links": [
            link(format!("{base}/collections/{}", c.id), "self", "application/json", &c.title_zh),
            link(format!("{base}/collections/{}/items", c.id), "items", "application/geo+json", &c.title_zh),
        ],
    })
}

/// Every collection.
pub fn collections(base: &str, cat: &Catalog) -> Value {
    json!({
        "links": [link(format!("{base}/collections"), "self", "application/json", "the layers")],
        "collections": cat.collections.iter().map(|c| collection(base, c)).collect::<Vec<_>>(),
    })
}

/// A feature as GeoJSON.
pub fn feature(base: &str, c: &Collection, f: &Feature) -> Value {
    let geometry = geojson::Geometry::from(&f.geometry);
    json!({
        "type": "Feature",
        "id": f.id,
        "geometry": geometry,
        "properties": c.fields.iter().cloned().zip(f.values.iter().cloned()).collect::<serde_json::Map<_, _>>(),
        "links": [
            link(format!("{base}/collections/{}/items/{}", c.id, f.id), "self", "application/geo+json", "this feature"),
            link(format!("{base}/collections/{}", c.id), "collection", "application/json", &c.title_zh),
        ],
    })
}

/// What an items request asks for.
#[derive(Debug, PartialEq)]
pub struct ItemsQuery {
    /// Longitude/latitude box.
    pub bbox: Option<[f64; 4]>,
    /// Page size.
    pub limit: usize,
    /// Features skipped.
    pub offset: usize,
}

impl ItemsQuery {
    /// Reads `bbox`, `limit` and `offset`; an unknown parameter, or a bad value, is an error
    /// (OGC: 400), with the reason.
    pub fn parse(params: &[(String, String)]) -> Result<ItemsQuery, String> {
        let mut q = ItemsQuery { bbox: None, limit: DEFAULT_LIMIT, offset: 0 };
        for (k, v) in params {
            match k.as_str() {
                "bbox" => {
                    let n: Vec<f64> = v
                        .split(',')
                        .map(|x| x.trim().parse::<f64>())
                        .collect::<Result<_, _>>()
                        .map_err(|_| format!("bbox={v}: four numbers"))?;
                    match n[..] {
                        [a, b, c, d] if a <= c && b <= d && n.iter().all(|x| x.is_finite()) => {
                            q.bbox = Some([a, b, c, d])
                        }
                        _ => return Err(format!("bbox={v}: minx,miny,maxx,maxy in longitude/latitude")),
                    }
                }
                "limit" => {
                    let n: usize = v.parse().map_err(|_| format!("limit={v}: a whole number"))?;
                    if n == 0 {
                        return Err("limit=0: at least 1".into());
                    }
                    q.limit = n.min(MAX_LIMIT);
                }
                "offset" => q.offset = v.parse().map_err(|_| format!("offset={v}: a whole number"))?,
                "f" if v == "json" || v == "geojson" => {}
                _ => return Err(format!("{k}: not a parameter of this service (bbox, limit, offset)")),
            }
        }
        Ok(q)
    }
}

/// A page of items.
pub fn items(base: &str, c: &Collection, q: &ItemsQuery, stamp: &str) -> Value {
    // without a box the page is a slice of the layer: no list of a city's every index per page
    let (number_matched, page): (usize, Vec<Value>) = match q.bbox {
        Some(b) => {
            let matched = c.in_bbox(b);
            (
                matched.len(),
                matched.iter().skip(q.offset).take(q.limit).map(|&i| feature(base, c, &c.features[i])).collect(),
            )
        }
        None => {
            (c.features.len(), c.features.iter().skip(q.offset).take(q.limit).map(|f| feature(base, c, f)).collect())
        }
    };
    let bbox = q.bbox.map(|b| format!("&bbox={},{},{},{}", b[0], b[1], b[2], b[3])).unwrap_or_default();
    let here = format!("{base}/collections/{}/items?limit={}&offset={}{bbox}", c.id, q.limit, q.offset);
    let mut links = vec![
        link(here, "self", "application/geo+json", "this page"),
        link(format!("{base}/collections/{}", c.id), "collection", "application/json", &c.title_zh),
    ];
    if q.offset + page.len() < number_matched {
        let next = format!("{base}/collections/{}/items?limit={}&offset={}{bbox}", c.id, q.limit, q.offset + q.limit);
        links.push(link(next, "next", "application/geo+json", "next page"));
    }
    json!({
        "type": "FeatureCollection",
        "numberMatched": number_matched,
        "numberReturned": page.len(),
        "timeStamp": stamp,
        "links": links,
        "features": page,
    })
}

/// The API definition (OpenAPI 3.0): the paths this service answers.
pub fn openapi(base: &str, cat: &Catalog) -> Value {
    let ok = |what: &str, kind: &str| json!({ "200": { "description": what, "content": { kind: {} } } });
    let id = json!({ "name": "collectionId", "in": "path", "required": true, "schema": { "type": "string", "enum": cat.collections.iter().map(|c| c.id.clone()).collect::<Vec<_>>() } });
    json!({
        "openapi": "3.0.3",
        "info": { "title": "lantu 一张蓝图", "version": env!("CARGO_PKG_VERSION"), "description": "read-only OGC API – Features of a lantu blueprint" },
        "servers": [{ "url": base }],
        "paths": {
            "/": { "get": { "summary": "landing page", "responses": ok("the landing page", "application/json") } },
            "/conformance": { "get": { "summary": "conformance classes", "responses": ok("the classes", "application/json") } },
            "/collections": { "get": { "summary": "the layers", "responses": ok("the collections", "application/json") } },
            "/collections/{collectionId}": { "get": { "summary": "one layer", "parameters": [id], "responses": ok("the collection", "application/json") } },
            "/collections/{collectionId}/items": { "get": {
                "summary": "features of one layer",
                "parameters": [
                    id,
                    { "name": "bbox", "in": "query", "required": false, "style": "form", "explode": false, "schema": { "type": "array", "minItems": 4, "maxItems": 4, "items": { "type": "number" } } },
                    { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT } },
                    { "name": "offset", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 0, "default": 0 } }
                ],
                "responses": ok("the features", "application/geo+json") } },
            "/collections/{collectionId}/items/{featureId}": { "get": {
                "summary": "one feature",
                "parameters": [id, { "name": "featureId", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "responses": ok("the feature", "application/geo+json") } },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn items_queries_are_read_or_refused_with_a_reason() {
        let q =
            ItemsQuery::parse(&p(&[("bbox", "106.5,29.5,106.6,29.6"), ("limit", "50"), ("offset", "100")])).unwrap();
        assert_eq!(q, ItemsQuery { bbox: Some([106.5, 29.5, 106.6, 29.6]), limit: 50, offset: 100 });
        assert_eq!(ItemsQuery::parse(&p(&[("limit", "999999")])).unwrap().limit, MAX_LIMIT);
        assert!(ItemsQuery::parse(&p(&[("bbox", "1,2,3")])).unwrap_err().contains("bbox"));
        assert!(ItemsQuery::parse(&p(&[("bbox", "3,2,1,4")])).is_err(), "min above max");
        assert!(ItemsQuery::parse(&p(&[("limit", "0")])).is_err());
        assert!(ItemsQuery::parse(&p(&[("datetime", "2024")])).unwrap_err().contains("datetime"));
    }
}
