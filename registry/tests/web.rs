//! End-to-end tests of the web page at `/`.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

#[test]
fn web_page_is_served_with_a_strict_policy() {
    let (_dir, db, _up, _read) = setup();
    let s = Server::start(&db, &[]);
    let fetch = |path: &str| ureq::get(&format!("{}{path}", s.base)).call().unwrap();
    let page = fetch("/");
    assert!(page.content_type().starts_with("text/html"));
    let csp = page.header("content-security-policy").unwrap().to_owned();
    assert!(csp.contains("script-src 'self'") && csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let html = page.into_string().unwrap();
    assert!(html.contains(r#"<script src="/app.js""#) && html.contains(r#"href="/app.css""#));
    let js = fetch("/app.js");
    assert_eq!(js.content_type(), "text/javascript");
    let js = js.into_string().unwrap();
    for api in ["/v1/summary", "/v1/credentials", "/v1/hosts"] {
        assert!(js.contains(api), "page uses {api}");
    }
    assert_eq!(fetch("/app.css").content_type(), "text/css");
    // A syntax check of the script when Node.js is installed (skipped otherwise).
    if let Ok(out) =
        Command::new("node").arg("--check").arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("web/app.js")).output()
    {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// The page's script, run by Node.js against this server with a minimal DOM stand-in (`tests/page_driver.js`):
/// every view renders the data the API holds, and a bad token shows the API's error. Skipped without Node.js.
#[test]
fn web_page_script_renders_every_view() {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("skipped: node not installed");
        return;
    }
    let (_dir, db, up, read) = setup();
    let s = Server::start(&db, &[]);
    assert_eq!(s.upload(&up, &report_a("2026-01-02T00:00:00Z")).0, 201);
    assert_eq!(s.upload(&up, &report_b()).0, 201);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("node")
        .arg(dir.join("tests/page_driver.js"))
        .arg(dir.join("web/app.js"))
        .arg(&s.base)
        .arg(&read)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let views: std::collections::HashMap<String, Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| (v["view"].as_str().unwrap().to_owned(), v))
        .collect();
    let text = |view: &str| views[view]["text"].as_str().unwrap().to_owned();
    assert_eq!(views["bad-token"]["status"], "invalid or revoked token");
    assert!(text("summary").contains("Unencrypted private keys 1"), "{}", text("summary"));
    assert!(text("summary").contains("private-key 2"));
    assert!(text("credentials").contains(&fp('1')) && text("credentials").contains(&fp('4')));
    assert!(text("credentials").contains("Showing 1–4 of 4"), "{}", text("credentials"));
    // The first row is the worst, most widespread credential: the key on both hosts.
    let cred = text("credential");
    assert!(cred.contains(&format!("Credential {}", fp('1'))), "{cred}");
    assert!(cred.contains("/home/bob/.ssh/id_ed25519") && cred.contains("/home/alice/.ssh/id_ed25519"));
    assert!(text("hosts").contains("alpha") && text("hosts").contains("machine-b"));
    let host = text("host");
    assert!(host.starts_with("Host alpha") && host.contains("/home/alice/.cursor/mcp.json"), "{host}");
    assert_eq!(views["host"]["status"], "");
}
