//! The HTTP side: routes, caching headers, limits and the log line.

use crate::catalog::Catalog;
use crate::{features, files, tiles};
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Bytes of tiles kept in memory at most; beyond, the cache starts again (memory stays
/// bounded however many tiles a long meeting asks for).
const TILE_CACHE_BYTES: usize = 256 << 20;

/// A tile: its collection's index, z, x, y.
type TileKey = (usize, u8, u32, u32);

/// The tiles made (each with its ETag), and their bytes in all.
#[derive(Default)]
struct TileCache {
    tiles: HashMap<TileKey, (String, Bytes)>,
    bytes: usize,
}

pub(crate) struct App {
    pub catalog: Catalog,
    tiles: Mutex<TileCache>,
}

type Shared = State<Arc<App>>;
type Params = Query<Vec<(String, String)>>;

/// The base address of links: the host the client asked for.
fn base(h: &HeaderMap) -> String {
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// A body's ETag: the start of its SHA-256.
fn etag(body: &[u8]) -> String {
    let hex = format!("{:x}", Sha256::digest(body));
    format!("\"{}\"", &hex[..20])
}

/// A body with its media type, an ETag (its hash), and 304 when the client has it.
fn reply(h: &HeaderMap, body: Vec<u8>, media: &str) -> Response {
    let tag = etag(&body);
    reply_tagged(h, &tag, Bytes::from(body), media)
}

/// [`reply`] for a body whose ETag is known (a cached tile: neither hashed nor copied again).
fn reply_tagged(h: &HeaderMap, tag: &str, body: Bytes, media: &str) -> Response {
    if h.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.split(',').any(|t| t.trim() == tag))
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag.to_string())]).into_response();
    }
    let mut r = Response::new(Body::from(body));
    let hs = r.headers_mut();
    hs.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(media).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    hs.insert(header::ETAG, HeaderValue::from_str(tag).expect("hex"));
    hs.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

fn json(h: &HeaderMap, v: serde_json::Value, media: &str) -> Response {
    reply(h, serde_json::to_vec(&v).expect("JSON values serialise"), media)
}

/// An OGC exception document.
fn problem(status: StatusCode, detail: &str) -> Response {
    let body = serde_json::json!({ "code": status.as_u16().to_string(), "description": detail });
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// The 404 of a collection id the catalog does not hold.
fn no_collection(id: &str) -> Response {
    problem(StatusCode::NOT_FOUND, &format!("no collection {id}"))
}

async fn landing(State(app): Shared, h: HeaderMap, Query(q): Params) -> Response {
    let wants_html = h.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    let asked_json = q.iter().any(|(k, v)| k == "f" && v == "json");
    if wants_html && !asked_json {
        if let Some(f) = app.catalog.folders.iter().find(|f| f.web.is_some()) {
            let to = format!("/web/{}/index.html", f.slug);
            return (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
        }
    }
    json(&h, features::landing(&base(&h), &app.catalog), "application/json")
}

async fn api(State(app): Shared, h: HeaderMap) -> Response {
    json(&h, features::openapi(&base(&h), &app.catalog), "application/vnd.oai.openapi+json;version=3.0")
}

async fn conformance(h: HeaderMap) -> Response {
    json(&h, features::conformance(), "application/json")
}

async fn collections(State(app): Shared, h: HeaderMap) -> Response {
    json(&h, features::collections(&base(&h), &app.catalog), "application/json")
}

async fn collection(State(app): Shared, h: HeaderMap, Path(id): Path<String>) -> Response {
    match app.catalog.collection(&id) {
        Some(c) => json(&h, features::collection(&base(&h), c), "application/json"),
        None => no_collection(&id),
    }
}

async fn items(State(app): Shared, h: HeaderMap, Path(id): Path<String>, Query(q): Params) -> Response {
    let Some(c) = app.catalog.collection(&id) else {
        return no_collection(&id);
    };
    match features::ItemsQuery::parse(&q) {
        Ok(q) => json(&h, features::items(&base(&h), c, &q, &lantu_write::utc_now()), "application/geo+json"),
        Err(why) => problem(StatusCode::BAD_REQUEST, &why),
    }
}

async fn item(State(app): Shared, h: HeaderMap, Path((id, fid)): Path<(String, String)>) -> Response {
    let Some(c) = app.catalog.collection(&id) else {
        return no_collection(&id);
    };
    match fid.parse::<usize>().ok().and_then(|i| c.features.get(i.checked_sub(1)?)) {
        Some(f) => json(&h, features::feature(&base(&h), c, f), "application/geo+json"),
        None => problem(StatusCode::NOT_FOUND, &format!("no feature {fid} in {id}")),
    }
}

async fn tilejson(State(app): Shared, h: HeaderMap, Path(id): Path<String>) -> Response {
    match app.catalog.collection(&id) {
        Some(c) => json(&h, tiles::tilejson(&base(&h), c), "application/json"),
        None => no_collection(&id),
    }
}

async fn tile(State(app): Shared, h: HeaderMap, Path((id, z, x, file)): Path<(String, u8, u32, String)>) -> Response {
    let Some(ci) = app.catalog.index_of(&id) else {
        return no_collection(&id);
    };
    let Some(y) = file.strip_suffix(".mvt").and_then(|y| y.parse::<u32>().ok()) else {
        return problem(StatusCode::NOT_FOUND, "tiles are /tiles/{collection}/{z}/{x}/{y}.mvt");
    };
    let key = (ci, z, x, y);
    let cached = app.tiles.lock().expect("the tile cache").tiles.get(&key).cloned();
    let (tag, bytes) = match cached {
        Some(tile) => tile,
        None => {
            let app2 = app.clone();
            let made = tokio::task::spawn_blocking(move || tiles::tile(&app2.catalog.collections[ci], z, x, y)).await;
            let Ok(Some(bytes)) = made else {
                return problem(
                    StatusCode::NOT_FOUND,
                    &format!("tiles are made for zooms {}–{}", tiles::MIN_ZOOM, tiles::MAX_ZOOM),
                );
            };
            let tile = (etag(&bytes), Bytes::from(bytes));
            let mut cache = app.tiles.lock().expect("the tile cache");
            if cache.bytes + tile.1.len() > TILE_CACHE_BYTES {
                *cache = TileCache::default();
            }
            cache.bytes += tile.1.len();
            cache.tiles.insert(key, tile.clone());
            tile
        }
    };
    reply_tagged(&h, &tag, bytes, "application/vnd.mapbox-vector-tile")
}

async fn page(State(app): Shared, h: HeaderMap, Path((slug, rest)): Path<(String, String)>) -> Response {
    let root = app.catalog.folders.iter().find(|f| f.slug == slug).and_then(|f| f.web.as_ref());
    let Some(path) = root.and_then(|r| files::confined(r, &rest)) else {
        return problem(StatusCode::NOT_FOUND, "no such page file");
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => reply(&h, bytes, files::media_type(&path)),
        Err(_) => problem(StatusCode::NOT_FOUND, "no such page file"),
    }
}

/// Which collection's tiles the page draws its base layers from, when it is served.
async fn served(State(app): Shared, h: HeaderMap, Path(slug): Path<String>) -> Response {
    let tiles: serde_json::Map<String, serde_json::Value> = app
        .catalog
        .collections
        .iter()
        .filter(|c| c.folder == slug && (c.layer == "buildings" || c.layer == "network"))
        .map(|c| (c.layer.clone(), serde_json::json!(format!("/tiles/{}/{{z}}/{{x}}/{{y}}.mvt", c.id))))
        .collect();
    json(&h, serde_json::json!({ "tiles": tiles, "minzoom": tiles::MIN_ZOOM }), "application/json")
}

async fn not_found() -> Response {
    problem(StatusCode::NOT_FOUND, "not found")
}

async fn log_line(req: Request, next: Next) -> Response {
    let (method, uri) = (req.method().clone(), req.uri().clone());
    let start = std::time::Instant::now();
    let r = next.run(req).await;
    eprintln!(
        "{} {method} {uri} {} {:.1} ms",
        lantu_write::utc_now(),
        r.status().as_u16(),
        start.elapsed().as_secs_f64() * 1e3
    );
    r
}

/// The router over a catalog: read-only (GET and HEAD only), gzip, time and concurrency
/// limits, and a log line per request when asked.
pub(crate) fn router(catalog: Catalog, log: bool) -> Router {
    let app = Arc::new(App { catalog, tiles: Mutex::new(TileCache::default()) });
    let r = Router::new()
        .route("/", get(landing))
        .route("/api", get(api))
        .route("/conformance", get(conformance))
        .route("/collections", get(collections))
        .route("/collections/{id}", get(collection))
        .route("/collections/{id}/items", get(items))
        .route("/collections/{id}/items/{fid}", get(item))
        .route("/tiles/{id}/tilejson.json", get(tilejson))
        .route("/tiles/{id}/{z}/{x}/{y}", get(tile))
        .route("/web/{slug}/served.json", get(served))
        .route("/web/{slug}/{*rest}", get(page))
        .fallback(not_found)
        .with_state(app)
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(60),
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(4096))
        .layer(tower::limit::ConcurrencyLimitLayer::new(64));
    if log {
        r.layer(axum::middleware::from_fn(log_line))
    } else {
        r
    }
}
