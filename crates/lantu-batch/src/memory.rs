//! How much memory an area's run needs, from its size: what a scheduler reserves for it.
//!
//! Fitted to the synthetic cities measured in PERFORMANCE.md (peak resident memory of
//! `lantu analyze` against buildings + walkway segments + facilities): 200 communities
//! (≈ 108,000 features) 541 MiB, 2,000 (1.08 M) 2,296 MiB without maps and about 2.8 GB
//! with them, 6,000 (3.2 M) 6,965 MiB without maps; the districts of a synthetic province
//! (40,000–53,000 features) 250–347 MiB with maps, sites and documents. The estimate is a
//! line above all of them: 250 MiB for the program, its libraries, the font and the page,
//! and 2.5 KiB per feature.

/// The memory, in MiB, a run over `features` buildings, walkway segments and facilities is
/// expected to need at its peak, maps and documents included.
///
/// ```
/// use lantu_batch::estimate_peak_mib;
/// assert_eq!(estimate_peak_mib(0), 250);
/// // the 2,000-community city: about 1.08 million features, measured 2.3–2.8 GB
/// assert!((2_800..3_000).contains(&estimate_peak_mib(1_076_000)));
/// ```
pub fn estimate_peak_mib(features: usize) -> u64 {
    const BASE_MIB: f64 = 250.0;
    const KIB_PER_FEATURE: f64 = 2.5;
    (BASE_MIB + features as f64 * KIB_PER_FEATURE / 1024.0).ceil() as u64
}
