//! `lantu check --osm` on the real Monaco extract (OSM, ODbL).

use crate::common;
use common::*;
use lantu_core::{Profile, ServiceKind};

fn kind(code: &str) -> ServiceKind {
    Profile::builtin().kinds.by_code(code).unwrap()
}
use lantu_read::{load_osm, LayerRole, OsmOptions, TagTable};

fn load() -> lantu_read::Loaded {
    lantu_read::init_gdal();
    let opts = OsmOptions {
        admin_level: 10,
        tags: TagTable::builtin(),
        dem: Some(monaco("N43E007.hgt.zip")),
        population: None,
        metric_crs: None,
    };
    load_osm(&monaco("monaco.osm.pbf"), &opts, &Profile::builtin()).unwrap()
}

#[test]
fn monaco_reads_wards_buildings_walkways_and_pois() {
    let l = load();
    let r = &l.report;
    assert_eq!(r.metric_crs.definition, "EPSG:32632", "UTM 32N outside China");
    // the nine admin_level=10 wards
    let wards: Vec<&str> = l.dataset.communities.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(wards.len(), 9, "{wards:?}");
    for w in ["Monaco-Ville", "Monte-Carlo", "La Condamine", "Fontvieille", "Larvotto"] {
        assert!(wards.contains(&w), "{w} missing from {wards:?}");
    }
    // every ward sits in Monaco (admin_level=8), which stands for the street
    assert!(
        l.dataset.communities.iter().all(|c| c.street_name.as_deref() == Some("摩纳哥")),
        "Monaco (admin_level=8, name:zh) stands for the street"
    );
    let b = r.layer(LayerRole::Buildings).unwrap();
    assert!((23_000..23_600).contains(&b.read), "buildings read {}", b.read);
    let w = r.layer(LayerRole::Walkways).unwrap();
    assert!((2_600..3_000).contains(&w.read), "walkable ways {}", w.read);
    let steps = l.dataset.walkways.iter().filter(|w| w.steps).count();
    assert!((240..280).contains(&steps), "steps {steps}");
    let f = r.layer(LayerRole::Facilities).unwrap();
    assert!(f.per_kind[&kind("infant_care")] >= 1 && f.per_kind[&kind("children_play")] >= 5, "{:?}", f.per_kind);
    let net = r.network.as_ref().unwrap();
    assert!(net.largest_share > 0.9 && net.components > 1, "{net:?}");
    assert!((400_000.0..520_000.0).contains(&net.length.0), "network length {}", net.length.0);
    // households estimated and flagged
    assert!(r.households_estimated);
    assert!(l
        .dataset
        .communities
        .iter()
        .all(|c| c.households.is_some_and(|h| h.0 > 0.0) && c.households_source.is_estimated()));
    let dem = r.dem.as_ref().unwrap();
    assert_eq!((dem.width, dem.height), (1201, 1201));
    assert_eq!(dem.covers_share, 1.0);
    assert!(r.can_analyse());
}

#[test]
fn monaco_heights_are_plausible() {
    let l = load();
    // segments whose end lies off the SRTM tile's data are counted and costed as flat
    let summary = l.report.dem.as_ref().unwrap();
    assert_eq!((summary.edges_without_height, summary.edges), (60, 25_524));
    let dem = l.dem.unwrap();
    let to_dem = dem.from_metric.build().unwrap();
    // the sea front of Larvotto is near sea level; Jardin Exotique sits on the cliff
    let height = |name: &str| {
        let c = l.dataset.communities.iter().find(|c| c.name == name).unwrap();
        let p = geo::InteriorPoint::interior_point(&c.boundary).unwrap();
        let q = to_dem.coord(p.0).unwrap();
        dem.height_at(q.x, q.y).unwrap()
    };
    assert!(height("Jardin Exotique") > height("Larvotto") + 30.0);
}

#[test]
fn cli_check_osm_prints_the_report_and_exits_0() {
    let o = lantu(&["check", "--osm", monaco("monaco.osm.pbf").to_str().unwrap()]);
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    for s in [
        "度量坐标系: EPSG:32632",
        "社区（communities）",
        "台阶（steps）: 259",
        "连通分量",
        "接入孤立路段（接入距离内无主网络步行道）: 建筑 11，设施 1",
        "离网（接入距离内无步行道，无步行距离）: 建筑 133",
        "托育服务",
        "从出入口起算步行距离的建筑: 8",
        "落在建筑上的出入口: 8",
        "结论: 数据可以分析",
    ] {
        assert!(out.contains(s), "missing {s:?} in\n{out}");
    }
    let o = lantu(&["check", "--osm", monaco("monaco.osm.pbf").to_str().unwrap(), "--lang", "en"]);
    assert!(texts(&o).0.contains("verdict: the data can be analysed"));
}
