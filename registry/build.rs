//! Decides at build time whether the PostgreSQL half of the tests runs, so a test run without a server says so in
//! its summary ("N ignored", each with the reason) instead of counting skipped tests as passed.
//!
//! `postgres_tests` is set when `CREDSWEEP_TEST_POSTGRES_URL` is set, or when `CREDSWEEP_REQUIRE_POSTGRES=1` (then
//! the tests run and fail without a server). Cargo reruns this script, and rebuilds the tests, when either changes.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=CREDSWEEP_TEST_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=CREDSWEEP_REQUIRE_POSTGRES");
    let url = std::env::var("CREDSWEEP_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty());
    let required = std::env::var("CREDSWEEP_REQUIRE_POSTGRES").as_deref() == Ok("1");
    if url || required {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
