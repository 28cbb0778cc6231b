//! `lantu synth`: a deterministic synthetic city in the shape of Chongqing's data, for
//! benchmarks and for trying scenarios where no open data of that size exists.
//!
//! Streets of 8–20 communities named after real streets and communities of Chongqing's
//! central districts (official codes); households with a realistic spread around the
//! 2020 census household size; residential buildings with floors; a hilly DEM with two
//! river valleys; a walking network of irregular blocks with bridges and stairways;
//! about 43 facilities of all kinds per community, some complexes; idle buildings as
//! candidates. Layers come as a user would have them: communities and walkways in
//! CGCS2000 / 3-degree GK CM 108°E (EPSG:4545), buildings in CGCS2000 longitude/latitude
//! (EPSG:4490), facilities and candidates as CSV in GCJ-02, the DEM as GeoTIFF.
//! The same seed gives the same bytes.
#![deny(missing_docs)]

use gdal::raster::Buffer;
use gdal::spatial_ref::SpatialRef;
use gdal::DriverManager;
use geo::{Coord, Geometry, LineString, Polygon};
use lantu_core::{Kinds, SeededRng as Rng, ServiceKind};
use lantu_read::wgs84_to_gcj02;
use lantu_read::{Cause, MetricCrs, Value};
use lantu_write::{write_gpkg, ColumnType, GeometryKind, LayerData};
use lantu_write::{Result, WriteError};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const STREETS_CSV: &str = include_str!("../../../data/chongqing/cq_streets.csv");
const VILLAGES_CSV: &str = include_str!("../../../data/chongqing/cq_villages.csv");
/// The central districts (中心城区) whose names the city borrows.
const CENTRAL: [&str; 9] = ["500103", "500104", "500105", "500106", "500107", "500108", "500109", "500112", "500113"];

/// Options of the generator.
#[derive(Clone, Debug)]
pub struct SynthOptions {
    /// How many communities.
    pub communities: usize,
    /// The seed.
    pub seed: u64,
    /// The profile's kinds (facilities are named by their Chinese names).
    pub kinds: Kinds,
    /// How many cities (1: one city of the central districts). More make a synthetic
    /// province: city `c` (seed `seed + c`) lies 4 km east of the one before, its streets
    /// drawn evenly from three districts of its own (see [`province_districts`]), so that
    /// every city has district boundaries inside it.
    pub cities: usize,
}

/// The gap between the cities of a province, m.
const CITY_GAP: f64 = 4_000.0;

/// The three districts of city `c` of a province: the central districts three by three,
/// then Chongqing's other districts with at least three 街道 each, in code order.
pub fn province_districts(c: usize) -> Vec<String> {
    let mut pool: Vec<String> = CENTRAL.iter().map(|s| s.to_string()).collect();
    let mut others: Vec<String> = Vec::new();
    for l in STREETS_CSV.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        if f.len() >= 3 && f[1].ends_with("街道") && !CENTRAL.contains(&f[2]) && !others.iter().any(|o| o == f[2]) {
            let n = STREETS_CSV.lines().filter(|m| m.split(',').nth(2) == Some(f[2]) && m.contains("街道,")).count();
            if n >= 3 {
                others.push(f[2].to_string());
            }
        }
    }
    others.sort();
    pool.extend(others);
    (0..3).map(|i| pool[(3 * c + i) % pool.len()].clone()).collect()
}

/// How common each kind is among a synthetic city's facilities, by code: shops, clinics,
/// gyms and parks are common; elderly, infant and after-school care and canteens are the
/// scarce 一老一小 services the pilot is about. Kinds the profile lacks are left out.
const KIND_SHARES: [(&str, f64); 9] = [
    ("elderly_care", 0.035),
    ("infant_care", 0.02),
    ("child_after_school", 0.025),
    ("canteen", 0.02),
    ("housekeeping", 0.30),
    ("health", 0.17),
    ("fitness", 0.2),
    ("culture", 0.13),
    ("children_play", 0.10),
];

/// What was generated (for the summary).
#[derive(Clone, Debug, Default)]
pub struct SynthSummary {
    /// Streets.
    pub streets: usize,
    /// Communities.
    pub communities: usize,
    /// Households.
    pub households: f64,
    /// Buildings.
    pub buildings: usize,
    /// Walkway segments.
    pub walkways: usize,
    /// Of which stairways.
    pub steps: usize,
    /// Bridges.
    pub bridges: usize,
    /// Facilities.
    pub facilities: usize,
    /// Candidate sites.
    pub candidates: usize,
    /// The project file.
    pub project: PathBuf,
}

/// The origin of the city in EPSG:4545 (about 106.5°E 29.55°N, 渝中区).
const X0: f64 = 354_000.0;
const Y0: f64 = 3_262_000.0;
const CELL: f64 = 600.0; // community size, m
const LINK: f64 = 43.0; // walkway grid spacing, m

/// The terrain: hills, and two river valleys.
struct Terrain {
    hills: Vec<(f64, f64, f64, f64)>, // x, y, height, radius
    width: f64,
    height: f64,
}

impl Terrain {
    fn river_distance(&self, x: f64, y: f64) -> f64 {
        // two sinuous rivers: the Yangtze across, the Jialing from the north
        let r1 = (y - (self.height * 0.42 + 900.0 * (x / 3000.0).sin())).abs();
        let r2 = (x - (self.width * 0.55 + 700.0 * (y / 2500.0).cos())).abs();
        if y > self.height * 0.42 {
            r1.min(r2)
        } else {
            r1
        }
    }
    fn is_river(&self, x: f64, y: f64) -> bool {
        self.river_distance(x, y) < 120.0
    }
    fn elevation(&self, x: f64, y: f64) -> f64 {
        let mut h = 240.0;
        for &(hx, hy, hh, hr) in &self.hills {
            let d2 = (x - hx).powi(2) + (y - hy).powi(2);
            h += hh * (-d2 / (2.0 * hr * hr)).exp();
        }
        let valley = (self.river_distance(x, y) / 800.0).min(1.0);
        170.0 + (h - 170.0) * valley
    }
}

fn square(cx: f64, cy: f64, w: f64, h: f64) -> Polygon {
    Polygon::new(
        LineString(vec![
            Coord { x: cx - w / 2.0, y: cy - h / 2.0 },
            Coord { x: cx + w / 2.0, y: cy - h / 2.0 },
            Coord { x: cx + w / 2.0, y: cy + h / 2.0 },
            Coord { x: cx - w / 2.0, y: cy + h / 2.0 },
            Coord { x: cx - w / 2.0, y: cy - h / 2.0 },
        ]),
        vec![],
    )
}

impl SynthSummary {
    /// What was made, in a sentence, for the city written to `dir`.
    pub fn in_words(&self, dir: &Path) -> lantu_core::Text {
        let d = dir.display();
        let s = self;
        lantu_core::Text::new(
            format!(
                "合成城市已写入 {d}: 街道 {}, 社区 {}, 户数 {:.0}, 建筑 {}, 步行路段 {} (台阶 {}, 桥 {}), 设施 {}, 闲置资源 {}\n项目文件： {}",
                s.streets, s.communities, s.households, s.buildings, s.walkways, s.steps, s.bridges, s.facilities,
                s.candidates, dir.join("project.toml").display()
            ),
            format!(
                "synthetic city written to {d}: streets {}, communities {}, households {:.0}, buildings {}, walkway segments {} (stairways {}, bridges {}), facilities {}, candidates {}\nproject file: {}",
                s.streets, s.communities, s.households, s.buildings, s.walkways, s.steps, s.bridges, s.facilities,
                s.candidates, dir.join("project.toml").display()
            ),
        )
    }
}

/// Generates the city into `dir` (created; files replaced).
pub fn generate(dir: &Path, opts: &SynthOptions) -> Result<SynthSummary> {
    let err = |m: Cause| WriteError::gdal_write(dir, m);
    std::fs::create_dir_all(dir).map_err(|e| err(e.into()))?;
    // GeoPackages carry a timestamp: fix it, so the same seed gives the same bytes
    lantu_write::fix_gpkg_timestamp("2024-01-01T00:00:00Z");
    let n = opts.communities.max(1);
    let cols = (n as f64).sqrt().ceil() as usize;
    let rows = n.div_ceil(cols);
    let (width, height) = (cols as f64 * CELL, rows as f64 * CELL);
    let cities = opts.cities.max(1);
    let pitch = width + CITY_GAP;
    let mut summary = SynthSummary::default();
    let to_lonlat = proj::Proj::new_known_crs("EPSG:4545", "EPSG:4490", None).map_err(|e| err(e.into()))?;
    let (mut community_rows, mut building_rows, mut walk_rows) = (Vec::new(), Vec::new(), Vec::new());
    let mut csv =
        (String::from("名称,服务类型,建筑面积,综合体,经度,纬度\n"), String::from("名称,建筑面积,权属,经度,纬度\n"));
    let mut terrains = Vec::new();
    for c in 0..cities {
        let mut r = Rng::new(opts.seed.wrapping_add(c as u64));
        let terrain = Terrain {
            hills: (0..(n / 8).max(6))
                .map(|_| (r.range(0.0, width), r.range(0.0, height), r.range(30.0, 140.0), r.range(700.0, 2500.0)))
                .collect(),
            width,
            height,
        };
        let (streets, villages) = street_names((cities > 1).then(|| (province_districts(c), street_count(n, cols))));
        let (cr, cells) = communities(&mut r, n, (cols, rows), &streets, &villages, &mut summary);
        let city = City { x0: X0 + c as f64 * pitch, first: c * n };
        let br = buildings(&mut r, &cells, &terrain, city.first, &mut summary);
        let wr = walkways(&mut r, &terrain, &mut summary);
        facilities_and_candidates(&mut r, dir, &cells, &opts.kinds, &to_lonlat, &city, &mut csv, &mut summary)?;
        // the layers, shifted to their place near Chongqing
        let shift = |rows: Rows| -> Rows {
            use geo::MapCoords;
            rows.into_iter().map(|(g, v)| (g.map_coords(|p| Coord { x: p.x + city.x0, y: p.y + Y0 }), v)).collect()
        };
        community_rows.extend(shift(cr));
        walk_rows.extend(shift(wr));
        building_rows.extend(shift(br));
        terrains.push(terrain);
    }
    std::fs::write(dir.join("facilities_gcj02.csv"), &csv.0).map_err(|e| err(e.into()))?;
    std::fs::write(dir.join("candidates_gcj02.csv"), &csv.1).map_err(|e| err(e.into()))?;
    let width = pitch * cities as f64 - CITY_GAP;
    // the DEM between cities: the nearer city's terrain
    let elevation = |x: f64, y: f64| {
        let c = ((x + CITY_GAP / 2.0) / pitch).floor().clamp(0.0, cities as f64 - 1.0) as usize;
        terrains[c].elevation(x - c as f64 * pitch, y)
    };

    let gk = MetricCrs { definition: "EPSG:4545".into(), epsg: 4545, reason: lantu_core::Text::new("", "") };
    let text = ColumnType::Text;
    write_gpkg(
        &dir.join("communities.gpkg"),
        &gk,
        &[LayerData {
            name: "communities".into(),
            geometry_type: GeometryKind::Polygon,
            columns: ["社区代码", "社区名称", "街道代码", "街道", "户数", "有条件", "集中建设"]
                .iter()
                .map(|c| (c.to_string(), if *c == "户数" { ColumnType::Int } else { text }))
                .collect(),
            rows: community_rows,
        }],
    )?;
    write_gpkg(
        &dir.join("walkways.gpkg"),
        &gk,
        &[LayerData {
            name: "walkways".into(),
            geometry_type: GeometryKind::LineString,
            columns: vec![("等级".into(), text), ("台阶".into(), text)],
            rows: walk_rows,
        }],
    )?;
    // buildings in CGCS2000 longitude/latitude
    let cgcs = MetricCrs { definition: "EPSG:4490".into(), epsg: 4490, reason: lantu_core::Text::new("", "") };
    let to_ll = |rows: Vec<(Geometry, Vec<Value>)>| -> Result<Vec<(Geometry, Vec<Value>)>> {
        use geo::MapCoords;
        rows.into_iter()
            .map(|(g, v)| {
                let g = g
                    .try_map_coords(|c| to_lonlat.convert((c.x, c.y)).map(|(x, y)| Coord { x, y }))
                    .map_err(|e| err(e.into()))?;
                Ok((g, v))
            })
            .collect()
    };
    write_gpkg(
        &dir.join("buildings.gpkg"),
        &cgcs,
        &[LayerData {
            name: "buildings".into(),
            geometry_type: GeometryKind::Polygon,
            columns: vec![("编号".into(), text), ("用途".into(), text), ("层数".into(), ColumnType::Int)],
            rows: to_ll(building_rows)?,
        }],
    )?;

    // the DEM, 30 m cells
    let res = 30.0;
    let (w, h) = ((width / res).ceil() as usize + 2, (height / res).ceil() as usize + 2);
    let mut heights = Vec::with_capacity(w * h);
    for row in 0..h {
        for col in 0..w {
            let (x, y) = ((col as f64 - 1.0 + 0.5) * res, height - (row as f64 - 1.0 + 0.5) * res);
            heights.push(elevation(x, y) as f32);
        }
    }
    let driver = DriverManager::get_driver_by_name("GTiff").map_err(|e| err(e.into()))?;
    let dem_path = dir.join("dem.tif");
    let _ = std::fs::remove_file(&dem_path);
    {
        let mut ds = driver.create_with_band_type::<f32, _>(&dem_path, w, h, 1).map_err(|e| err(e.into()))?;
        ds.set_geo_transform(&[X0 - res, res, 0.0, Y0 + height + res, 0.0, -res]).map_err(|e| err(e.into()))?;
        ds.set_spatial_ref(&SpatialRef::from_epsg(4545).map_err(|e| err(e.into()))?).map_err(|e| err(e.into()))?;
        let mut band = ds.rasterband(1).map_err(|e| err(e.into()))?;
        let mut buf = Buffer::new((w, h), heights);
        band.write((0, 0), (w, h), &mut buf).map_err(|e| err(e.into()))?;
    }

    let project = dir.join("project.toml");
    let (made, name) = if cities > 1 {
        (
            format!("province made by `lantu synth --communities {n} --seed {} --cities {cities}`", opts.seed),
            format!("合成省 {cities} 市 × {n}"),
        )
    } else {
        (format!("city made by `lantu synth --communities {n} --seed {}`", opts.seed), format!("合成城市 {n}"))
    };
    let toml = format!(
        "# A synthetic {made} (see crates/lantu-synth/src/lib.rs).\nname = \"{name}\"\nnote = \"合成示例数据 (synthetic example)\"\n\n[communities]\npath = \"communities.gpkg\"\n\n[buildings]\npath = \"buildings.gpkg\"\n\n[facilities]\npath = \"facilities_gcj02.csv\"\ncoords = \"gcj02\"\n\n[walkways]\npath = \"walkways.gpkg\"\n\n[candidates]\npath = \"candidates_gcj02.csv\"\ncoords = \"gcj02\"\n\n[dem]\npath = \"dem.tif\"\n"
    );
    std::fs::write(&project, toml).map_err(|e| err(e.into()))?;
    summary.project = project;
    Ok(summary)
}

/// A street or community: its code and name.
type Named = (String, String);
/// Layer rows: geometry and values.
type Rows = Vec<(Geometry, Vec<Value>)>;
/// A community's cell: its polygon and lattice position.
type Cell = (Polygon, usize, usize);

/// Streets of the central districts, and each street's 社区 (official codes and names).
/// For a city of a province, `(districts, streets)`: about a third of its streets from each
/// of its three districts, so that the districts share the city.
fn street_names(
    province: Option<(Vec<String>, usize)>,
) -> (Vec<Named>, std::collections::HashMap<&'static str, Vec<Named>>) {
    let rows = STREETS_CSV.lines().skip(1).filter_map(|l| {
        let f: Vec<&str> = l.split(',').collect();
        (f.len() >= 3 && f[1].ends_with("街道")).then(|| (f[0].to_string(), f[1].to_string(), f[2]))
    });
    let streets: Vec<(String, String)> = match &province {
        None => rows.filter(|r| CENTRAL.contains(&r.2)).map(|r| (r.0, r.1)).collect(),
        Some((districts, count)) => {
            let all: Vec<_> = rows.collect();
            // the districts share the streets alike, the last one taking what is left over
            let each = (count / districts.len().max(1)).max(1);
            let take = |i: usize| if i + 1 < districts.len() { each } else { count.saturating_sub(each * i).max(1) };
            districts
                .iter()
                .enumerate()
                .flat_map(|(i, d)| {
                    all.iter().filter(move |r| r.2 == d).take(take(i)).map(|r| (r.0.clone(), r.1.clone()))
                })
                .collect()
        }
    };
    let mut villages: std::collections::HashMap<&str, Vec<(String, String)>> = Default::default();
    for l in VILLAGES_CSV.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        if f.len() >= 3 && f[1].contains("社区") {
            villages.entry(f[2]).or_default().push((f[0].to_string(), f[1].replace("居民委员会", "")));
        }
    }
    (streets, villages)
}

/// How many streets a city of `n` communities in `cols` columns has (its blocks after
/// [`communities`] merges the small ones at the edges).
fn street_count(n: usize, cols: usize) -> usize {
    let sizes = block_sizes(n, cols);
    (0..n)
        .map(|k| merged_block(&sizes, ((k % cols) / 3, (k / cols) / 4)))
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

/// Communities per block of 3 × 4 cells.
fn block_sizes(n: usize, cols: usize) -> std::collections::BTreeMap<(usize, usize), usize> {
    let mut block_size: std::collections::BTreeMap<(usize, usize), usize> = Default::default();
    for k in 0..n {
        *block_size.entry(((k % cols) / 3, (k / cols) / 4)).or_default() += 1;
    }
    block_size
}

/// The block a block of fewer than 8 communities (at the edges) joins: its neighbour.
fn merged_block(block_size: &std::collections::BTreeMap<(usize, usize), usize>, b: (usize, usize)) -> (usize, usize) {
    let size = |b| block_size.get(&b).copied().unwrap_or(0);
    if size(b) >= 8 {
        return b;
    }
    for nb in [(b.0.wrapping_sub(1), b.1), (b.0, b.1.wrapping_sub(1))] {
        if size(nb) >= 8 && size(nb) + size(b) <= 20 {
            return nb;
        }
    }
    b
}

/// Communities on a jittered lattice of `cols` × `rows` cells, grouped into streets of
/// 8–20 by 3 × 4 blocks: their rows, and each cell's polygon and lattice position.
fn communities(
    r: &mut Rng,
    n: usize,
    (cols, rows): (usize, usize),
    streets: &[Named],
    villages: &std::collections::HashMap<&'static str, Vec<Named>>,
    summary: &mut SynthSummary,
) -> (Rows, Vec<Cell>) {
    let lattice: Vec<Vec<Coord>> = (0..=rows)
        .map(|j| {
            (0..=cols)
                .map(|i| {
                    let edge = i == 0 || j == 0 || i == cols || j == rows;
                    let jit = if edge { 0.0 } else { CELL * 0.18 };
                    Coord { x: i as f64 * CELL + r.range(-jit, jit), y: j as f64 * CELL + r.range(-jit, jit) }
                })
                .collect()
        })
        .collect();
    let mut community_rows = Vec::new();
    let mut cells = Vec::new(); // (polygon, households, community code)
    let mut street_of_block: std::collections::BTreeMap<(usize, usize), usize> = Default::default();
    let mut used_in_street: Vec<usize> = Vec::new();
    // blocks of 3 × 4 communities; a block of fewer than 8 (at the edges) joins its neighbour
    let block_size = block_sizes(n, cols);
    let merged = |b: (usize, usize)| merged_block(&block_size, b);
    for k in 0..n {
        let (i, j) = (k % cols, k / cols);
        let block = merged((i / 3, j / 4));
        let next = street_of_block.len();
        let s = *street_of_block.entry(block).or_insert(next);
        if s >= used_in_street.len() {
            used_in_street.push(0);
        }
        let (scode, sname) =
            streets.get(s % streets.len().max(1)).cloned().unwrap_or_else(|| (format!("S{s}"), format!("街道{s}")));
        let scode = if s < streets.len() { scode } else { format!("{scode}{:02}", s / streets.len()) };
        let names = villages.get(streets[s % streets.len()].0.as_str()).cloned().unwrap_or_default();
        let m = used_in_street[s];
        used_in_street[s] += 1;
        let (ccode, cname) = match names.get(m) {
            Some((c, nm)) if s < streets.len() => (c.clone(), nm.clone()),
            _ => (format!("{scode}{:03}", 900 + m), format!("{}第{}社区", sname.trim_end_matches("街道"), m + 1)),
        };
        let ring =
            LineString(vec![lattice[j][i], lattice[j][i + 1], lattice[j + 1][i + 1], lattice[j + 1][i], lattice[j][i]]);
        let poly = Polygon::new(ring, vec![]);
        // households: census 2020 household size ≈ 2.5 persons; ≈ 1,750 households on average
        let households = (1750.0 * (0.45 * r.normal() - 0.1).exp()).round().clamp(150.0, 9000.0);
        summary.households += households;
        community_rows.push((
            Geometry::Polygon(poly.clone()),
            vec![
                Value::Text(ccode.clone()),
                Value::Text(cname),
                Value::Text(scode.clone()),
                Value::Text(sname.clone()),
                Value::Int(households as i64),
                Value::Text(if r.unit() < 0.1 { "是" } else { "否" }.into()),
                Value::Text(if r.unit() < 0.1 { "否" } else { "是" }.into()),
            ],
        ));
        cells.push((poly, i, j));
    }
    summary.streets += street_of_block.len();
    summary.communities += n;
    (community_rows, cells)
}

/// Buildings: ≈ 250 per community on a jittered sub-grid; 10 % not residential.
fn buildings(r: &mut Rng, cells: &[Cell], terrain: &Terrain, first: usize, summary: &mut SynthSummary) -> Rows {
    let mut building_rows = Vec::new();
    for (k, (_, i, j)) in cells.iter().enumerate() {
        let k = first + k;
        let (x0, y0) = (*i as f64 * CELL, *j as f64 * CELL);
        let slots = 17;
        let pitch = CELL / slots as f64;
        for a in 0..slots {
            for b in 0..slots {
                if r.unit() > 0.87 {
                    continue;
                }
                let (cx, cy) = (
                    x0 + (a as f64 + 0.5) * pitch + r.range(-4.0, 4.0),
                    y0 + (b as f64 + 0.5) * pitch + r.range(-4.0, 4.0),
                );
                if terrain.is_river(cx, cy) {
                    continue;
                }
                let residential = r.unit() > 0.1;
                let floors =
                    if residential { (2.0 + r.unit().powi(2) * 31.0).round() } else { r.range(1.0, 6.0).round() };
                let fp = square(cx, cy, r.range(10.0, 22.0), r.range(10.0, 20.0));
                building_rows.push((
                    Geometry::Polygon(fp),
                    vec![
                        Value::Text(format!("B{k}-{a}-{b}")),
                        Value::Text(if residential { "住宅" } else { "商业" }.into()),
                        Value::Int(floors as i64),
                    ],
                ));
            }
        }
    }
    summary.buildings += building_rows.len();
    building_rows
}

/// Walkways: a jittered grid, links missing at random (irregular blocks), rivers crossed
/// only by bridges, stairways where the slope is steep.
fn walkways(r: &mut Rng, terrain: &Terrain, summary: &mut SynthSummary) -> Rows {
    let gx = (terrain.width / LINK).ceil() as usize + 1;
    let gy = (terrain.height / LINK).ceil() as usize + 1;
    let node = |i: usize, j: usize, r: &mut Rng| Coord {
        x: i as f64 * LINK + r.range(-9.0, 9.0),
        y: j as f64 * LINK + r.range(-9.0, 9.0),
    };
    let nodes: Vec<Coord> = (0..gy).flat_map(|j| (0..gx).map(move |i| (i, j))).map(|(i, j)| node(i, j, r)).collect();
    let mut walk_rows = Vec::new();
    for j in 0..gy {
        for i in 0..gx {
            let a = nodes[j * gx + i];
            for (di, dj) in [(1usize, 0usize), (0, 1)] {
                if i + di >= gx || j + dj >= gy {
                    continue;
                }
                let b = nodes[(j + dj) * gx + i + di];
                let crosses = terrain.is_river(a.x, a.y)
                    || terrain.is_river(b.x, b.y)
                    || terrain.is_river((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
                if crosses || r.unit() > 0.64 {
                    continue;
                }
                let slope = (terrain.elevation(b.x, b.y) - terrain.elevation(a.x, a.y)).abs() / LINK;
                let steps = slope > 0.12 && r.unit() < 0.6;
                summary.steps += steps as usize;
                walk_rows.push((
                    Geometry::LineString(LineString(vec![a, b])),
                    vec![
                        Value::Text(
                            if steps {
                                "steps"
                            } else if r.unit() < 0.2 {
                                "residential"
                            } else {
                                "footway"
                            }
                            .into(),
                        ),
                        Value::Text(if steps { "是" } else { "否" }.into()),
                    ],
                ));
            }
        }
    }
    // bridges: every 700 m along each river, a straight span between grid nodes on
    // both banks (it joins the network at its ends, and crosses nothing else)
    let snap = |c: Coord| {
        let (i, j) = ((c.x / LINK).round().max(0.0) as usize, (c.y / LINK).round().max(0.0) as usize);
        nodes[j.min(gy - 1) * gx + i.min(gx - 1)]
    };
    let mut spans = Vec::new();
    let mut t = 300.0;
    while t < terrain.width {
        let yc = terrain.height * 0.42 + 900.0 * (t / 3000.0).sin();
        spans.push((Coord { x: t, y: yc - 200.0 }, Coord { x: t, y: yc + 200.0 }));
        t += 700.0;
    }
    let mut t = terrain.height * 0.42 + 400.0;
    while t < terrain.height {
        let xc = terrain.width * 0.55 + 700.0 * (t / 2500.0).cos();
        spans.push((Coord { x: xc - 200.0, y: t }, Coord { x: xc + 200.0, y: t }));
        t += 700.0;
    }
    for (a, b) in spans {
        let (p, q) = (snap(a), snap(b));
        let inside = |c: Coord| (0.0..=terrain.width).contains(&c.x) && (0.0..=terrain.height).contains(&c.y);
        if inside(a) && inside(b) && !terrain.is_river(p.x, p.y) && !terrain.is_river(q.x, q.y) {
            walk_rows.push((
                Geometry::LineString(LineString(vec![p, q])),
                vec![Value::Text("bridge".into()), Value::Text("否".into())],
            ));
            summary.bridges += 1;
        }
    }
    summary.walkways += walk_rows.len();
    walk_rows
}

/// Where a city of a province lies: its west edge (EPSG:4545 x) and its first community's
/// number among the province's.
struct City {
    x0: f64,
    first: usize,
}

/// Facilities and idle buildings as CSV with GCJ-02 longitude/latitude, as a district's
/// survey sheets come: rows added to `(facilities, candidates)`.
#[allow(clippy::too_many_arguments)]
fn facilities_and_candidates(
    r: &mut Rng,
    dir: &Path,
    cells: &[Cell],
    known: &Kinds,
    to_lonlat: &proj::Proj,
    city: &City,
    (fac_csv, cand_csv): &mut (String, String),
    summary: &mut SynthSummary,
) -> Result<()> {
    let err = |m: Cause| WriteError::gdal_write(dir, m);
    // facilities: ≈ 43 per community, of all kinds; 5 % complexes of 3–5 kinds
    // shops, clinics, gyms and parks are common; elderly, infant and after-school care and
    // canteens are the scarce 一老一小 services the pilot is about
    let shares: Vec<(ServiceKind, f64)> =
        KIND_SHARES.iter().filter_map(|(code, w)| Some((known.by_code(code)?, *w))).collect();
    if shares.is_empty() {
        return Err(err("the profile has none of the kinds a synthetic city places".into()));
    }
    let pick_kind = |r: &mut Rng| {
        let mut u = r.unit() * shares.iter().map(|s| s.1).sum::<f64>();
        for (k, w) in &shares {
            if u < *w {
                return *k;
            }
            u -= w;
        }
        shares[shares.len() - 1].0
    };
    let gcj = |x: f64, y: f64| -> Result<(f64, f64)> {
        let (lon, lat) = to_lonlat.convert((city.x0 + x, Y0 + y)).map_err(|e| err(e.into()))?;
        Ok(wgs84_to_gcj02(lon, lat))
    };
    for (k, (_, i, j)) in cells.iter().enumerate() {
        let k = city.first + k;
        let (x0, y0) = (*i as f64 * CELL, *j as f64 * CELL);
        // some communities are well served, many are not: 5–90 facilities, ≈ 43 on average
        let count = (5.0 + 85.0 * r.unit().powf(1.25)) as usize;
        for f in 0..count {
            let (x, y) = (x0 + r.range(20.0, CELL - 20.0), y0 + r.range(20.0, CELL - 20.0));
            let complex = r.unit() < 0.012;
            let (kinds, area) = if complex {
                let mut ks: Vec<ServiceKind> = (0..r.range(3.0, 6.0) as usize).map(|_| pick_kind(r)).collect();
                ks.sort();
                ks.dedup();
                (ks, r.range(450.0, 1400.0))
            } else {
                // most are rooms and kiosks
                (vec![pick_kind(r)], 4.0 + 60.0 * r.unit().powi(3))
            };
            let (lon, lat) = gcj(x, y)?;
            let names: Vec<&str> = kinds.iter().map(|k| known.zh(*k)).collect();
            let _ = writeln!(
                fac_csv,
                "社区设施{k}-{f},{},{:.0},{},{lon:.7},{lat:.7}",
                names.join("、"),
                area,
                if complex { "是" } else { "否" }
            );
            summary.facilities += 1;
        }
        // idle buildings: ≈ 2.5 per community (5,000 in a 2,000-community city)
        let m = (r.unit() * 6.0) as usize;
        for c in 0..m {
            let (x, y) = (x0 + r.range(20.0, CELL - 20.0), y0 + r.range(20.0, CELL - 20.0));
            let (lon, lat) = gcj(x, y)?;
            let area = 150.0 + r.unit().powi(2) * 2400.0;
            let owner = ["国有", "国有", "集体", "企业"][r.below(4)];
            let _ = writeln!(cand_csv, "闲置用房{k}-{c},{area:.0},{owner},{lon:.7},{lat:.7}");
            summary.candidates += 1;
        }
    }
    Ok(())
}
