//! A load benchmark, ignored by default (it measures, it does not check speed):
//!
//! ```sh
//! cargo test --release --test bench -- --ignored --nocapture
//! BENCH_HOSTS=1000 BENCH_FINDINGS=300 cargo test --release --test bench -- --ignored --nocapture
//! ```
//!
//! Uploads one report per host (gzip, 4 parallel clients), a credential mix where some secrets are shared across
//! many hosts, then times every read endpoint.

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::Instant;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// 64 hex digits from a number, so fingerprints are valid and distinct.
fn fingerprint(n: usize) -> String {
    format!("sha256:{n:064x}")
}

fn host_report(h: usize, findings: usize) -> Value {
    let list: Vec<Value> = (0..findings)
        .map(|i| {
            // Every 10th credential is one of 20 fleet-wide shared secrets; the rest are unique to the host.
            let fp = if i % 10 == 0 { fingerprint(i % 200) } else { fingerprint(1_000_000 + h * findings + i) };
            let mut f =
                finding('0', "github-pat-classic", "access-token", "high", &format!("/home/u/.env{i}"), json!({}));
            f["fingerprint"] = json!(fp);
            f["id"] = json!(format!("loc:v1:{:032x}", h * findings + i));
            f
        })
        .collect();
    report(&format!("machine-{h:05}"), &format!("host-{h:05}"), "2026-01-02T00:00:00Z", list)
}

#[test]
#[ignore]
fn ingest_and_query_throughput() {
    let hosts = env("BENCH_HOSTS", 200);
    let per_host = env("BENCH_FINDINGS", 200);
    let (_dir, db, up, read) = setup();
    let s = Server::start(&db, &[]);
    let bodies: Vec<Vec<u8>> = (0..hosts).map(|h| gzip(host_report(h, per_host).to_string().as_bytes())).collect();
    let bytes: usize = bodies.iter().map(Vec::len).sum();

    let t = Instant::now();
    std::thread::scope(|scope| {
        for chunk in bodies.chunks(hosts.div_ceil(4)) {
            let (s, up) = (&s, &up);
            scope.spawn(move || {
                for b in chunk {
                    let (status, v) = s.call("POST", "/v1/reports", Some(up), &[("Content-Encoding", "gzip")], Some(b));
                    assert_eq!(status, 201, "{v}");
                }
            });
        }
    });
    let secs = t.elapsed().as_secs_f64();
    println!(
        "ingest: {hosts} reports × {per_host} findings ({:.1} MiB gzip) in {secs:.2} s = {:.0} reports/s, {:.0} findings/s",
        bytes as f64 / 1048576.0,
        hosts as f64 / secs,
        (hosts * per_host) as f64 / secs
    );

    let sum = s.get("/v1/summary", &read);
    assert_eq!(sum["hosts"].as_u64(), Some(hosts as u64));
    assert_eq!(sum["findings"].as_u64(), Some((hosts * per_host) as u64));
    for path in [
        "/v1/summary".to_owned(),
        "/v1/credentials".to_owned(),
        "/v1/hosts".to_owned(),
        "/v1/hosts/machine-00000".to_owned(),
        format!("/v1/credentials/{}", fingerprint(0)),
    ] {
        let t = Instant::now();
        let v = s.get(&path, &read);
        println!("GET {path:<40} {:>8.1} ms  {:>9} bytes", t.elapsed().as_secs_f64() * 1e3, v.to_string().len());
    }
}
