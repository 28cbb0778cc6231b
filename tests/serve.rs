//! `lantu serve` on the default demo, on loopback: GDAL's OGC API – Features client
//! (`ogrinfo OAPIF:`) lists every layer and counts and pages through its features as the
//! files hold them; a z14 tile decodes (geozero's MVT reader) to the buildings the items
//! request of the same box returns; caching, gzip, read-only; and every way out of the page
//! folder (`..`, `%2e%2e`, absolute paths, a symbolic link) is refused.

use crate::common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running `lantu serve`, stopped when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: String,
    // kept open: the server prints to it
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `lantu serve DIR --bind 127.0.0.1:0` and reads the address it printed.
pub(crate) fn serve(dir: &Path) -> Server {
    serve_all(&[dir])
}

/// Starts `lantu serve DIR… --bind 127.0.0.1:0` and reads the address it printed.
fn serve_all(dirs: &[&Path]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lantu"))
        .arg("serve")
        .args(dirs)
        .args(["--bind", "127.0.0.1:0", "--log"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("lantu runs");
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    let addr =
        line.split("http://").nth(1).unwrap_or_else(|| panic!("no address in {line:?}")).trim().trim_end_matches('/');
    Server { addr: addr.to_string(), child, _stdout: stdout }
}

/// A raw HTTP/1.0 request (the path sent exactly as given): status, headers (lower case), body.
fn request(addr: &str, method: &str, path: &str, headers: &[&str]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    let extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
    write!(s, "{method} {path} HTTP/1.0\r\nHost: {addr}\r\n{extra}\r\n").unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").expect("a header");
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let hs =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string())).collect();
    (status, hs, all[split + 4..].to_vec())
}

pub(crate) fn get_json(addr: &str, path: &str) -> serde_json::Value {
    let (status, _, body) = request(addr, "GET", path, &[]);
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

fn header<'a>(hs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    hs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Feature count of a layer as `ogrinfo -so` reports it.
fn ogr_count(source: &str, layer: &str) -> usize {
    let o = Command::new("ogrinfo").args(["-ro", "-so", source, layer]).output().expect("ogrinfo (gdal-bin) runs");
    let text = String::from_utf8_lossy(&o.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Feature Count: "))
        .unwrap_or_else(|| panic!("{source} {layer}: {text}{}", String::from_utf8_lossy(&o.stderr)))
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn the_demo_served_as_ogc_api_features_and_tiles_reads_as_its_files() {
    let out = &outputs::demo().out;
    let server = serve(out);
    let addr = server.addr.as_str();
    // the landing page links the API definition, the conformance classes and the data
    let landing = get_json(addr, "/?f=json");
    let rels: Vec<&str> = landing["links"].as_array().unwrap().iter().map(|l| l["rel"].as_str().unwrap()).collect();
    for rel in ["service-desc", "conformance", "data"] {
        assert!(rels.contains(&rel), "{rel}: {landing}");
    }
    let conf = get_json(addr, "/conformance");
    for class in ["conf/core", "conf/geojson"] {
        assert!(conf["conformsTo"].as_array().unwrap().iter().any(|c| c.as_str().unwrap().ends_with(class)), "{conf}");
    }
    assert_eq!(get_json(addr, "/api")["openapi"], "3.0.3");
    // the documents validate against the OGC API – Features Part 1 schemas (tests/ogcapi/)
    let docs = TempDir::new("oapif-docs");
    let mut args: Vec<String> = vec![root().join("tests/ogcapi/validate.py").display().to_string()];
    for (schema, path) in [
        ("landingPage", "/?f=json"),
        ("confClasses", "/conformance"),
        ("collections", "/collections"),
        ("collection", "/collections/communities"),
        ("featureCollectionGeoJSON", "/collections/pilots/items?limit=3"),
        ("featureCollectionGeoJSON", "/collections/network/items?limit=50&offset=10"),
    ] {
        let file = docs.path().join(format!("{}.json", args.len()));
        std::fs::write(&file, serde_json::to_vec(&get_json(addr, path)).unwrap()).unwrap();
        args.extend([schema.to_string(), file.display().to_string()]);
    }
    let v = Command::new("/usr/bin/python3").args(&args).output().expect("python3 runs");
    let (stdout, stderr) = texts(&v);
    assert!(v.status.success(), "against the OGC schemas:\n{stdout}\n{stderr}");
    assert_eq!(stdout.matches(": valid").count(), 6, "{stdout}");

    // every collection: GDAL's client counts what the files hold, under the registry's title
    let ids = counts_match_the_files(addr, out);
    for layer in
        ["communities", "streets", "facilities", "coverage_areas", "candidates", "pilots", "buildings", "network"]
    {
        assert!(ids.iter().any(|i| i == layer), "{layer} in {ids:?}");
    }
    let oapif = format!("OAPIF:http://{addr}");
    let title = lantu_core::registry::layer_title("communities", lantu_core::Lang::Zh);
    let listed = Command::new("ogrinfo").args(["-ro", "-so", &oapif]).output().unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains(title), "{}", String::from_utf8_lossy(&listed.stdout));
    // paging: GDAL follows the next links through every page of the buildings (8,000+ > 1,000 a page)
    let all = Command::new("ogrinfo").args(["-ro", "-al", "-q", "-geom=NO", &oapif, "buildings"]).output().unwrap();
    let read = String::from_utf8_lossy(&all.stdout).matches("OGRFeature(buildings)").count();
    let buildings = ogr_count(out.join("layers/buildings.fgb").to_str().unwrap(), "buildings");
    assert!(buildings > 1000, "more than one page");
    assert_eq!(read, buildings, "every building read page by page");

    // a z14 tile over the first building holds the buildings the items request of its box returns
    let first = get_json(addr, "/collections/buildings/items/1");
    let ring = &first["geometry"]["coordinates"][0][0][0];
    let in_tile = tile_holds_the_buildings_of_its_box(addr, ring[0].as_f64().unwrap(), ring[1].as_f64().unwrap());
    assert!(in_tile.contains(&1));

    // the page, one address for the meeting room
    let (status, hs, _) = request(addr, "GET", "/", &["Accept: text/html"]);
    assert_eq!(status, 303);
    let page = header(&hs, "location").unwrap().to_string();
    let (status, hs, body) = request(addr, "GET", &page, &[]);
    assert_eq!(status, 200, "{page}");
    assert!(
        header(&hs, "content-type").unwrap().starts_with("text/html")
            && String::from_utf8_lossy(&body).contains("maplibre")
    );

    // ETag and 304, gzip, read-only, bad requests named
    let (_, hs, _) = request(addr, "GET", "/collections", &[]);
    let tag = header(&hs, "etag").unwrap().to_string();
    let (status, _, body) = request(addr, "GET", "/collections", &[&format!("If-None-Match: {tag}")]);
    assert_eq!((status, body.len()), (304, 0));
    let (_, hs, _) = request(addr, "GET", "/collections/communities/items", &["Accept-Encoding: gzip"]);
    assert_eq!(header(&hs, "content-encoding"), Some("gzip"));
    assert_eq!(request(addr, "POST", "/collections", &[]).0, 405);
    assert_eq!(request(addr, "DELETE", "/collections/communities/items/1", &[]).0, 405);
    let (status, _, body) = request(addr, "GET", "/collections/communities/items?bbox=1,2,3", &[]);
    assert_eq!(status, 400);
    assert!(String::from_utf8_lossy(&body).contains("bbox"));
    assert_eq!(request(addr, "GET", "/collections/nothing/items", &[]).0, 404);
    assert_eq!(request(addr, "GET", "/tiles/buildings/3/1/1.mvt", &[]).0, 404, "below the tiles' zooms");
}

#[test]
fn the_served_page_folder_lets_nothing_out() {
    // an output folder of its own: the demo's layers and page, a secret beside them and a
    // link in the page folder that points at it
    let dir = TempDir::new("serve-confined");
    let out = dir.path().join("blueprint");
    std::fs::create_dir_all(&out).unwrap();
    let demo = &outputs::demo().out;
    std::fs::copy(demo.join("blueprint.gpkg"), out.join("blueprint.gpkg")).unwrap();
    let copy =
        Command::new("cp").args(["-r", demo.join("web").to_str().unwrap(), out.to_str().unwrap()]).status().unwrap();
    assert!(copy.success());
    std::fs::write(dir.path().join("secret.txt"), "SECRET-OUTSIDE").unwrap();
    std::fs::write(out.join("manifest.json"), "SECRET-BESIDE").unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("web/leak.txt")).unwrap();
    std::os::unix::fs::symlink(dir.path(), out.join("web/up")).unwrap();
    let server = serve(&out);
    let addr = server.addr.as_str();
    assert_eq!(request(addr, "GET", "/web/blueprint/index.html", &[]).0, 200);
    for path in [
        "/web/blueprint/../manifest.json",
        "/web/blueprint/../../secret.txt",
        "/web/blueprint/%2e%2e/manifest.json",
        "/web/blueprint/%2E%2E/%2E%2E/secret.txt",
        "/web/blueprint/..%2fmanifest.json",
        "/web/blueprint/%2fetc%2fpasswd",
        "/web/blueprint//etc/passwd",
        "/web/blueprint/leak.txt",
        "/web/blueprint/up/secret.txt",
        "/web/blueprint/data%00.js",
        "/web/blueprint/..%5cmanifest.json",
        "/../../etc/passwd",
        "/etc/passwd",
    ] {
        let (status, _, body) = request(addr, "GET", path, &[]);
        assert!(status == 404 || status == 400, "{path}: {status}");
        let text = String::from_utf8_lossy(&body);
        assert!(!text.contains("SECRET") && !text.contains("root:"), "{path} read something: {text}");
    }
}

/// A bounded load on loopback (`benches/serve_load.py`): 2,000 tile and items requests from
/// 16 clients, twice; no error, within the script's time limit, and the server's memory
/// flat from the first round to the second (the tile cache is bounded).
#[test]
fn a_bounded_load_on_loopback_gets_no_error_and_memory_stays_flat() {
    let server = serve(&outputs::demo().out);
    let pid = server.child.id().to_string();
    let o = Command::new("python3")
        .args([root().join("benches/serve_load.py").to_str().unwrap(), &server.addr, &pid, "2000", "16"])
        .output()
        .expect("python3 runs");
    let (stdout, stderr) = texts(&o);
    assert!(o.status.success(), "{stdout}\n{stderr}");
    let r: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    println!("load on the demo: {r}");
    for round in ["first", "again"] {
        assert_eq!(r[round]["requests"], 2000, "{r}");
        assert_eq!(r[round]["error_count"], 0, "{r}");
    }
    let (first, again) = (r["first"]["rss_mib"].as_f64().unwrap(), r["again"]["rss_mib"].as_f64().unwrap());
    assert!(again <= first + 64.0, "memory grows under the same load: {first} → {again} MiB");
}

/// Fetches the z14 building tile over (lon, lat), decodes it with geozero, and checks it
/// holds exactly the buildings that the items request of its box, padded by its 16-unit
/// edge, returns (all of those of the box itself among them); returns their ids.
fn tile_holds_the_buildings_of_its_box(addr: &str, lon: f64, lat: f64) -> std::collections::BTreeSet<u64> {
    let n = (1u32 << 14) as f64;
    let x = ((lon + 180.0) / 360.0 * n) as u32;
    let y =
        ((1.0 - (lat.to_radians().tan() + 1.0 / lat.to_radians().cos()).ln() / std::f64::consts::PI) / 2.0 * n) as u32;
    let (status, hs, body) = request(addr, "GET", &format!("/tiles/buildings/14/{x}/{y}.mvt"), &[]);
    assert_eq!(status, 200);
    assert_eq!(header(&hs, "content-type"), Some("application/vnd.mapbox-vector-tile"));
    let tile = <geozero::mvt::Tile as geozero::mvt::Message>::decode(body.as_slice()).expect("an MVT tile");
    assert_eq!(tile.layers.len(), 1);
    let layer = &tile.layers[0];
    assert_eq!((layer.name.as_str(), layer.extent), ("buildings", Some(4096)));
    assert!(layer.keys.iter().any(|k| k == "residential"), "attributes ride along: {:?}", layer.keys);
    let in_tile: std::collections::BTreeSet<u64> = layer.features.iter().filter_map(|f| f.id).collect();
    let lon_of = |x: f64| x / n * 360.0 - 180.0;
    let lat_of = |y: f64| (std::f64::consts::PI * (1.0 - 2.0 * y / n)).sinh().atan().to_degrees();
    let (w, e, s, nn) = (lon_of(x as f64), lon_of(x as f64 + 1.0), lat_of(y as f64 + 1.0), lat_of(y as f64));
    let items = get_json(addr, &format!("/collections/buildings/items?bbox={w},{s},{e},{nn}&limit=10000"));
    let in_box: std::collections::BTreeSet<u64> =
        items["features"].as_array().unwrap().iter().map(|f| f["id"].as_u64().unwrap()).collect();
    assert!(in_box.len() > 10, "{} buildings in the box", in_box.len());
    assert!(in_box.is_subset(&in_tile), "every building of the box is in the tile");
    let (pw, ph) = ((e - w) * 16.0 / 4096.0, (nn - s) * 16.0 / 4096.0);
    let padded = get_json(
        addr,
        &format!("/collections/buildings/items?bbox={},{},{},{}&limit=10000", w - pw, s - ph, e + pw, nn + ph),
    );
    assert_eq!(
        padded["numberMatched"].as_u64().unwrap() as usize,
        in_tile.len(),
        "and only those at its edge beside them"
    );
    in_tile
}

/// Every collection's feature count through GDAL's OAPIF client equals its file's.
fn counts_match_the_files(addr: &str, out: &Path) -> Vec<String> {
    let collections = get_json(addr, "/collections");
    let ids: Vec<String> =
        collections["collections"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect();
    let oapif = format!("OAPIF:http://{addr}");
    for id in &ids {
        let fgb = out.join(format!("layers/{id}.fgb"));
        let file = if fgb.exists() { fgb } else { out.join("blueprint.gpkg") };
        assert_eq!(ogr_count(&oapif, id), ogr_count(file.to_str().unwrap(), id), "{id}");
    }
    ids
}

/// A city of 500 communities, whose buildings and walkways are too many for the page's
/// GeoJSON: served, GDAL counts every layer as its file holds it (buildings and walkways from
/// their FlatGeobuf files), and the z14 tile over the city centre holds its buildings.
#[test]
fn a_city_served_reads_as_its_files_and_its_centre_tile_holds_its_buildings() {
    let out = &outputs::city().out;
    let server = serve(out);
    let addr = server.addr.as_str();
    let ids = counts_match_the_files(addr, out);
    assert!(ids.iter().any(|i| i == "buildings") && ids.iter().any(|i| i == "network"), "{ids:?}");
    assert!(ogr_count(out.join("layers/buildings.fgb").to_str().unwrap(), "buildings") > 100_000);
    let e = get_json(addr, "/collections/communities")["extent"]["spatial"]["bbox"][0].clone();
    let f = |i: usize| e[i].as_f64().unwrap();
    tile_holds_the_buildings_of_its_box(addr, (f(0) + f(2)) / 2.0, (f(1) + f(3)) / 2.0);
}

/// Two folders served at once (the demo and the city, as a batch of areas would be): every
/// layer of each as `<folder>_<layer>`, counted as its own file holds it, and both pages linked.
#[test]
fn two_folders_served_at_once_keep_their_layers_apart() {
    let (demo, city) = (&outputs::demo().out, &outputs::city().out);
    let server = serve_all(&[demo.as_path(), city.as_path()]);
    let addr = server.addr.as_str();
    let oapif = format!("OAPIF:http://{addr}");
    let ids: Vec<String> = get_json(addr, "/collections")["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    for (dir, slug) in [(demo, demo.file_name().unwrap().to_str().unwrap()), (city, "city")] {
        for layer in ["communities", "buildings"] {
            let id = format!("{slug}_{layer}");
            assert!(ids.contains(&id), "{id} in {ids:?}");
            let file = if layer == "buildings" { dir.join("layers/buildings.fgb") } else { dir.join("blueprint.gpkg") };
            assert_eq!(ogr_count(&oapif, &id), ogr_count(file.to_str().unwrap(), layer), "{id}");
        }
    }
    let landing = get_json(addr, "/?f=json");
    let pages = landing["links"].as_array().unwrap().iter().filter(|l| l["rel"] == "alternate").count();
    assert_eq!(pages, 2, "{landing}");
    assert_eq!(request(addr, "GET", "/web/city/index.html", &[]).0, 200);
}
