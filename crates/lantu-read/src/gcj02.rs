//! GCJ-02 ("Mars coordinates", used by Amap and Tencent) and BD-09 (Baidu) to and
//! from WGS 84.
//!
//! PROJ does not know these systems: they are obfuscations of WGS 84 defined by
//! published formulas, applied only inside China. The forward formulas are exact;
//! the inverses iterate the forward formula (fixed point on the offset), which
//! converges to well under a millimetre in a few steps. What remains is the
//! formulas' own fidelity to the official (unpublished) transform: about 1–2 m.
//! Test figures on Chongqing's districts are in `tests/chongqing_gcj02.rs`.

use std::f64::consts::PI;

const A: f64 = 6_378_245.0; // Krasovsky 1940 semi-major axis used by the formula
const EE: f64 = 0.006_693_421_622_965_943; // its first eccentricity squared
const X_PI: f64 = PI * 3000.0 / 180.0;

/// The coordinate system a geographic layer is given in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GeoCoords {
    /// WGS 84 / CGCS2000 longitude-latitude (no conversion).
    Wgs84,
    /// GCJ-02 longitude-latitude.
    Gcj02,
    /// BD-09 longitude-latitude.
    Bd09,
}

impl GeoCoords {
    /// The value of `coords` in the project file that names it.
    pub fn key(self) -> &'static str {
        match self {
            GeoCoords::Wgs84 => "wgs84",
            GeoCoords::Gcj02 => "gcj02",
            GeoCoords::Bd09 => "bd09",
        }
    }

    /// Converts a longitude/latitude in this system to WGS 84.
    pub fn to_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            GeoCoords::Wgs84 => (lon, lat),
            GeoCoords::Gcj02 => gcj02_to_wgs84(lon, lat),
            GeoCoords::Bd09 => {
                let (g_lon, g_lat) = bd09_to_gcj02(lon, lat);
                gcj02_to_wgs84(g_lon, g_lat)
            }
        }
    }
}

/// Whether the GCJ-02 offset applies here (a rough box around mainland China, as the
/// published formula does it).
pub fn in_china(lon: f64, lat: f64) -> bool {
    (72.004..=137.8347).contains(&lon) && (0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// The GCJ-02 offset (Δlon, Δlat) in degrees at a WGS 84 position.
fn offset(lon: f64, lat: f64) -> (f64, f64) {
    let d_lat = transform_lat(lon - 105.0, lat - 35.0);
    let d_lon = transform_lon(lon - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad_lat.sin() * rad_lat.sin();
    let sqrt_magic = magic.sqrt();
    (
        d_lon * 180.0 / (A / sqrt_magic * rad_lat.cos() * PI),
        d_lat * 180.0 / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI),
    )
}

/// WGS 84 → GCJ-02 (the published forward formula). Outside China: unchanged.
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    let (dx, dy) = offset(lon, lat);
    (lon + dx, lat + dy)
}

/// GCJ-02 → WGS 84, inverting the forward formula by fixed-point iteration.
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    let (mut w_lon, mut w_lat) = (lon, lat);
    for _ in 0..30 {
        let (g_lon, g_lat) = wgs84_to_gcj02(w_lon, w_lat);
        let (e_lon, e_lat) = (g_lon - lon, g_lat - lat);
        w_lon -= e_lon;
        w_lat -= e_lat;
        if e_lon.abs() < 1e-11 && e_lat.abs() < 1e-11 {
            break;
        }
    }
    (w_lon, w_lat)
}

/// GCJ-02 → BD-09 (Baidu's published formula).
pub fn gcj02_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let z = (lon * lon + lat * lat).sqrt() + 0.00002 * (lat * X_PI).sin();
    let theta = lat.atan2(lon) + 0.000003 * (lon * X_PI).cos();
    (z * theta.cos() + 0.0065, z * theta.sin() + 0.006)
}

/// BD-09 → GCJ-02 (Baidu's published inverse formula, refined by iteration).
pub fn bd09_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    let (x, y) = (lon - 0.0065, lat - 0.006);
    let z = (x * x + y * y).sqrt() - 0.00002 * (y * X_PI).sin();
    let theta = y.atan2(x) - 0.000003 * (x * X_PI).cos();
    let (mut g_lon, mut g_lat) = (z * theta.cos(), z * theta.sin());
    for _ in 0..10 {
        let (b_lon, b_lat) = gcj02_to_bd09(g_lon, g_lat);
        g_lon -= b_lon - lon;
        g_lat -= b_lat - lat;
    }
    (g_lon, g_lat)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
        let k = 111_320.0;
        let dx = (a.0 - b.0) * k * (a.1.to_radians().cos());
        let dy = (a.1 - b.1) * k;
        (dx * dx + dy * dy).sqrt()
    }

    #[test]
    fn jiefangbei_offset_is_the_known_few_hundred_metres() {
        // 解放碑, Chongqing
        let w = (106.5770, 29.5575);
        let g = wgs84_to_gcj02(w.0, w.1);
        let shift = metres(w, g);
        assert!((300.0..700.0).contains(&shift), "{shift}");
        assert!(g.0 > w.0 && g.1 < w.1, "Chongqing shifts east and south: {g:?}");
    }

    #[test]
    fn inverses_round_trip_below_a_centimetre() {
        for &(lon, lat) in &[(106.5770, 29.5575), (116.397, 39.909), (121.47, 31.23), (87.6, 43.8)] {
            let g = wgs84_to_gcj02(lon, lat);
            assert!(metres(gcj02_to_wgs84(g.0, g.1), (lon, lat)) < 0.01);
            let b = gcj02_to_bd09(g.0, g.1);
            assert!(metres(GeoCoords::Bd09.to_wgs84(b.0, b.1), (lon, lat)) < 0.01);
        }
    }

    #[test]
    fn outside_china_nothing_moves() {
        assert_eq!(wgs84_to_gcj02(7.42, 43.73), (7.42, 43.73));
        assert_eq!(gcj02_to_wgs84(7.42, 43.73), (7.42, 43.73));
    }
}
