//! Criterion: the walking network on Monaco — graph build, snapping and the distances of
//! all nine kinds from every building (the issue's ≤ 50 ms target), and each stage alone.

use criterion::{criterion_group, criterion_main, Criterion};
use lantu_benches::{monaco_inputs, network_coverage};
use lantu_core::{DistanceMetric, Profile};
use lantu_net::{EdgeCosts, NetworkMetric, WalkGraph};
use std::hint::black_box;

fn monaco(c: &mut Criterion) {
    let (ways, buildings, facilities) = monaco_inputs();
    let p = Profile::builtin();
    let mut group = c.benchmark_group("monaco");
    group.sample_size(20);
    group.bench_function("graph+snap+all kinds", |b| {
        b.iter(|| black_box(network_coverage(&ways, &buildings, &facilities, &p)))
    });
    group.bench_function("graph build", |b| b.iter(|| black_box(WalkGraph::build(&ways, p.network.join_tolerance_m))));
    let g = WalkGraph::build(&ways, p.network.join_tolerance_m);
    let costs = EdgeCosts::compute(&g, None, p.walking.steps_factor);
    group.bench_function("snap buildings", |b| {
        b.iter(|| {
            black_box(
                NetworkMetric::new(&g, &costs, p.network.max_access_m, p.network.main_component_share)
                    .snap_all(&buildings),
            )
        })
    });
    let metric = NetworkMetric::new(&g, &costs, p.network.max_access_m, p.network.main_component_share);
    group.bench_function("distances, all kinds", |b| {
        b.iter(|| black_box(metric.nearest(&buildings, &facilities, p.largest_radius())))
    });
    group.finish();
}

criterion_group!(benches, monaco);
criterion_main!(benches);
