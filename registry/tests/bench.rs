//! A load benchmark, ignored by default (it measures, it does not check speed), on SQLite and — when
//! `CREDSWEEP_TEST_POSTGRES_URL` is set — on PostgreSQL:
//!
//! ```sh
//! cargo test --release -p credsweep-registry --test bench -- --ignored --nocapture
//! BENCH_HOSTS=1000 BENCH_FINDINGS=200 cargo test --release -p credsweep-registry --test bench -- --ignored --nocapture
//! ```
//!
//! Loads one report per host (gzip, `BENCH_CLIENTS` parallel clients): every host carries one fleet-wide secret
//! (a golden-image key), four of 200 team secrets, and the rest of its findings are its own. Then re-scans of 1,000
//! hosts (newer reports replacing the current state, with rotated secrets), then times each read endpoint
//! (`BENCH_RUNS` sequential requests each, after one warm-up; median and slowest).

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// 64 hex digits from a number, so fingerprints are valid and distinct.
fn fingerprint(n: usize) -> String {
    format!("sha256:{n:064x}")
}

const RULES: [(&str, &str); 5] = [
    ("github-pat-classic", "access-token"),
    ("aws-access-key-id", "access-key"),
    ("private-key-openssh", "private-key"),
    ("slack-bot-token", "access-token"),
    ("dotenv-secret", "secret"),
];
const SEVERITIES: [&str; 4] = ["low", "medium", "high", "critical"];

/// Host `h`'s report; `generation` > 0 is a later scan in which some of its own secrets were rotated.
fn host_report(h: usize, findings: usize, generation: usize) -> Value {
    let list: Vec<Value> = (0..findings)
        .map(|i| {
            let fp = match i {
                0 => fingerprint(0),
                i if i % 10 == 0 => fingerprint(1 + (h * 7 + i) % 200),
                i if generation > 0 && i % 7 == 0 => {
                    fingerprint(50_000_000 + generation * 10_000_000 + h * findings + i)
                }
                i => fingerprint(1_000_000 + h * findings + i),
            };
            let (rule, kind) = RULES[i % RULES.len()];
            let mut f =
                finding('0', rule, kind, SEVERITIES[(h + i) % 4], &format!("/home/u/.config/app{i}/env"), json!({}));
            f["fingerprint"] = json!(fp);
            f["id"] = json!(format!("loc:v1:{:032x}", h * findings + i));
            f["risks"] = if i % 3 == 0 { json!(["world-readable"]) } else { json!([]) };
            if kind == "private-key" {
                f["key"] = json!({ "format": "openssh-v1", "encrypted": i % 2 == 0 });
            }
            if i % 25 == 4 {
                f["context"] = json!({ "tool": "cursor", "server": "github", "field": "env.GITHUB_TOKEN" });
            }
            f
        })
        .collect();
    let day = format!("2026-01-{:02}T00:00:00Z", 2 + generation);
    report(&format!("machine-{h:05}"), &format!("host-{h:05}"), &day, list)
}

/// Upload `bodies` from `clients` threads; the wall time.
fn ingest(s: &Server, up: &str, bodies: &[Vec<u8>], clients: usize) -> Duration {
    let t = Instant::now();
    std::thread::scope(|scope| {
        for chunk in bodies.chunks(bodies.len().div_ceil(clients).max(1)) {
            scope.spawn(move || {
                for b in chunk {
                    let (status, v) = s.call("POST", "/v1/reports", Some(up), &[("Content-Encoding", "gzip")], Some(b));
                    assert_eq!(status, 201, "{v}");
                }
            });
        }
    });
    t.elapsed()
}

/// One timed GET: (milliseconds, response bytes).
fn timed_get(s: &Server, path: &str, token: &str) -> (f64, usize) {
    let t = Instant::now();
    let resp =
        agent().get(&format!("{}{path}", s.base)).set("Authorization", &format!("Bearer {token}")).call().unwrap();
    let body = resp.into_string().unwrap();
    (t.elapsed().as_secs_f64() * 1e3, body.len())
}

fn run(db: Db, label: &str, initial: &[Vec<u8>], rescans: &[Vec<u8>], per_host: usize) {
    let clients = env("BENCH_CLIENTS", 4);
    let runs = env("BENCH_RUNS", 15).max(1);
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &[]);
    let hosts = initial.len();
    let mib = initial.iter().map(Vec::len).sum::<usize>() as f64 / 1048576.0;

    let secs = ingest(&s, &up, initial, clients).as_secs_f64();
    println!(
        "{label}: load {hosts} reports × {per_host} findings ({mib:.1} MiB gzip, {clients} clients) in {secs:.1} s = \
         {:.0} reports/s, {:.0} findings/s",
        hosts as f64 / secs,
        (hosts * per_host) as f64 / secs
    );
    let secs = ingest(&s, &up, rescans, clients).as_secs_f64();
    println!(
        "{label}: re-scan {} hosts (newer reports replace the current state) in {secs:.1} s = {:.0} reports/s",
        rescans.len(),
        rescans.len() as f64 / secs
    );
    let sum = s.get("/v1/summary", &read);
    assert_eq!(sum["hosts"].as_u64(), Some(hosts as u64));
    assert_eq!(sum["findings"].as_u64(), Some((hosts * per_host) as u64));
    println!("{label}: {sum}");

    let unique =
        s.get("/v1/hosts/machine-00042", &read)["current_findings"][1]["fingerprint"].as_str().unwrap().to_owned();
    println!("| {label} | endpoint | median ms | slowest ms | bytes |");
    for path in [
        "/v1/summary".to_owned(),
        "/v1/credentials".to_owned(),
        "/v1/credentials?limit=100".to_owned(),
        "/v1/credentials?limit=100&offset=100000".to_owned(),
        format!("/v1/credentials/{unique}"),
        format!("/v1/credentials/{}", fingerprint(7)),
        format!("/v1/credentials/{}", fingerprint(0)),
        format!("/v1/hosts/machine-{:05}", hosts / 2),
        format!("/v1/hosts/{}", hosts / 2),
        "/v1/hosts".to_owned(),
        "/v1/hosts?limit=100&offset=5000".to_owned(),
        "/".to_owned(),
    ] {
        timed_get(&s, &path, &read);
        let mut times: Vec<f64> = Vec::with_capacity(runs);
        let mut bytes = 0;
        for _ in 0..runs {
            let (ms, b) = timed_get(&s, &path, &read);
            times.push(ms);
            bytes = b;
        }
        times.sort_by(f64::total_cmp);
        println!("| {label} | `GET {path}` | {:.1} | {:.1} | {bytes} |", times[runs / 2], times[runs - 1]);
    }
}

#[test]
#[ignore]
fn ingest_and_query_throughput() {
    let hosts = env("BENCH_HOSTS", 10_000);
    let per_host = env("BENCH_FINDINGS", 50);
    let initial: Vec<Vec<u8>> = (0..hosts).map(|h| gzip(host_report(h, per_host, 0).to_string().as_bytes())).collect();
    let rescans: Vec<Vec<u8>> =
        (0..hosts.min(1000)).map(|h| gzip(host_report(h, per_host, 1).to_string().as_bytes())).collect();
    run(Db::sqlite(), "SQLite", &initial, &rescans, per_host);
    if std::env::var_os(POSTGRES_URL_VAR).is_some_and(|v| !v.is_empty()) {
        run(Db::postgres(), "PostgreSQL", &initial, &rescans, per_host);
    } else {
        println!("PostgreSQL: not measured, {POSTGRES_URL_VAR} is not set");
    }
}
