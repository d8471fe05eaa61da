//! The web page in a real browser: Debian's headless Chromium, driven through `chromedriver` with the W3C WebDriver
//! protocol (plain HTTP/JSON, so no Node.js or driver crate is needed).
//!
//! Skipped (with a message) when `chromium` or `chromedriver` is missing, a failure when
//! `CREDSWEEP_REQUIRE_BROWSER=1` (CI sets it). Nothing can hang: every HTTP call has a timeout, every wait is a
//! bounded poll, and the driver and the browser (its own process group) are killed when the test ends, pass or fail.

mod common;

use common::*;
use serde_json::{json, Value};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// WebDriver's key for an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_program(var: &str, default: &str) -> Option<PathBuf> {
    let p = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| PathBuf::from(default));
    p.exists().then_some(p)
}

/// `chromedriver` on a free loopback port, in its own process group so that the browser it starts dies with it.
struct Driver {
    child: Child,
    base: String,
    agent: ureq::Agent,
    session: Option<String>,
    _profile: tempfile::TempDir,
}

impl Driver {
    fn start(chromedriver: &Path, chromium: &Path) -> Driver {
        use std::os::unix::process::CommandExt as _;
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("spawn chromedriver");
        let agent =
            ureq::AgentBuilder::new().timeout_connect(Duration::from_secs(5)).timeout(Duration::from_secs(60)).build();
        let profile = tempfile::tempdir().unwrap();
        let mut d = Driver { child, base: format!("http://127.0.0.1:{port}"), agent, session: None, _profile: profile };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready =
                d.agent.get(&format!("{}/status", d.base)).call().ok().and_then(|r| r.into_json::<Value>().ok());
            if ready.is_some_and(|v| v["value"]["ready"] == true) {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready in 30 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,1000",
            &format!("--user-data-dir={}", d._profile.path().display()),
        ];
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
            "timeouts": { "pageLoad": 30_000, "script": 10_000, "implicit": 0 },
        }}});
        let v = d.call("POST", "/session", Some(caps));
        d.session = Some(v["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {v}")).to_owned());
        d
    }

    /// A WebDriver command; its `value`. WebDriver errors fail the test with the driver's message.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let req = self.agent.request(method, &format!("{}{path}", self.base));
        let res = match body {
            Some(b) => req.send_json(b),
            None => req.call(),
        };
        let resp = match res {
            Ok(r) => r,
            Err(ureq::Error::Status(code, r)) => {
                panic!("WebDriver {method} {path}: {code} {}", r.into_string().unwrap_or_default())
            }
            Err(e) => panic!("WebDriver {method} {path}: {e}"),
        };
        let v: Value = resp.into_json().unwrap();
        v["value"].clone()
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let id = self.session.as_deref().unwrap();
        self.call(method, &format!("/session/{id}{path}"), body)
    }

    fn go(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })));
    }

    /// The element matching a CSS selector, waiting up to 10 s for it (pages load after a form post).
    fn element(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found = self.script(&format!("return document.querySelectorAll({}).length", json!(css)));
            if found.as_u64().unwrap_or(0) > 0 {
                let v = self.session_call("POST", "/element", Some(json!({ "using": "css selector", "value": css })));
                return v[ELEMENT].as_str().unwrap().to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "no element {css:?} on {}: {}",
                self.script("return location.href"),
                self.script("return document.documentElement.outerHTML")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn click(&self, css: &str) {
        let e = self.element(css);
        self.session_call("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.element(css);
        self.session_call("POST", &format!("/element/{e}/value"), Some(json!({ "text": text })));
    }

    /// Wait up to 10 s for a JavaScript condition (a page loaded after a form's GET).
    fn wait_for(&self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.script(&format!("return Boolean({condition})")) != json!(true) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {condition} on {}",
                self.script("return location.href")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The text of every cell in column `n` (1-based) of the rows of `table`.
    fn column(&self, table: &str, n: usize) -> Vec<String> {
        let js = format!(
            "return Array.from(document.querySelectorAll({})).map(td => td.innerText)",
            json!(format!("{table} tbody tr td:nth-child({n})"))
        );
        self.script(&js).as_array().unwrap().iter().map(|v| v.as_str().unwrap_or("").to_owned()).collect()
    }

    fn script(&self, js: &str) -> Value {
        self.session_call("POST", "/execute/sync", Some(json!({ "script": js, "args": [] })))
    }

    /// The text a person sees (`innerText`), once the page has `css`.
    fn text_once(&self, css: &str) -> String {
        self.element(css);
        self.script("return document.body.innerText").as_str().unwrap_or("").to_owned()
    }

    /// Save a screenshot of the page as a test artifact: `NAME.png` in [`screenshot_dir`].
    fn screenshot(&self, name: &str) {
        use base64::Engine as _;
        let png = self.session_call("GET", "/screenshot", None);
        let bytes = base64::engine::general_purpose::STANDARD.decode(png.as_str().unwrap()).unwrap();
        assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 1000, "{name}: not a screenshot");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, bytes).unwrap();
        let _ = writeln!(std::io::stderr(), "screenshot: {}", path.display());
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(id) = self.session.take() {
            // Closes the browser; bounded by the agent's timeout.
            let _ = self.agent.delete(&format!("{}/session/{id}", self.base)).call();
        }
        // The driver and anything it started (the browser's processes share its group).
        // SAFETY: kill(2) with the negated pid of a process group this test created.
        unsafe {
            libc::kill(-(self.child.id() as i32), libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

/// Where the page screenshots are kept: `$CREDSWEEP_SCREENSHOT_DIR`, else `screenshots/` in the target directory
/// (beside `debug/`), so every run leaves a picture of each page.
fn screenshot_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CREDSWEEP_SCREENSHOT_DIR") {
        return PathBuf::from(dir);
    }
    let target = Path::new(BIN).parent().and_then(Path::parent);
    target.map_or_else(|| PathBuf::from("screenshots"), |t| t.join("screenshots"))
}

/// The reports to show: the real scanner's report of the repository's fixtures when the scanner is built (plus the
/// same scan as if from a second host, so its credentials are shared), else the synthetic reports.
fn reports() -> Vec<Value> {
    if let Some(body) = fixtures_report() {
        let real: Value = serde_json::from_slice(&body).unwrap();
        let mut copy = real.clone();
        copy["host"]["machine_id"] = json!("browser-test-second-host");
        copy["host"]["hostname"] = json!("second-host");
        return vec![real, copy];
    }
    eprintln!("note: no credsweep binary built; showing the synthetic reports");
    vec![report_a("2026-01-02T00:00:00Z"), report_b()]
}

#[test]
fn headless_chromium_logs_in_and_sees_the_fleet() {
    let required = std::env::var("CREDSWEEP_REQUIRE_BROWSER").as_deref() == Ok("1");
    let (Some(chromium), Some(chromedriver)) =
        (find_program("CHROMIUM", "/usr/bin/chromium"), find_program("CHROMEDRIVER", "/usr/bin/chromedriver"))
    else {
        assert!(!required, "CREDSWEEP_REQUIRE_BROWSER=1 but chromium or chromedriver is not installed");
        let _ = std::io::stderr()
            .write_all(b"headless_chromium_logs_in_and_sees_the_fleet: skipped, chromium/chromedriver not installed\n");
        return;
    };
    let (db, up, read) = setup(Db::sqlite());
    let s = Server::start(&db, &[]);
    let reports = reports();
    for r in &reports {
        let (status, v) = s.upload(&up, r);
        assert_eq!(status, 201, "{v}");
    }
    let summary = s.get("/v1/summary", &read);
    let hostname = reports[0]["host"]["hostname"].as_str().unwrap().to_owned();
    let first = &reports[0]["findings"][0];
    let path = first["path"].as_str().unwrap();
    // The shared table lists the worst credentials first, then by fingerprint: the worst finding with the lowest
    // fingerprint is on its first row, however many rules the fixtures trip.
    let rank = |f: &Value| ["info", "low", "medium", "high", "critical"].iter().position(|s| f["severity"] == *s);
    let findings = reports[0]["findings"].as_array().unwrap();
    let top = findings
        .iter()
        .max_by(|a, b| rank(a).cmp(&rank(b)).then(b["fingerprint"].as_str().cmp(&a["fingerprint"].as_str())))
        .unwrap();
    let rule = top["rule"].as_str().unwrap();

    let d = Driver::start(&chromedriver, &chromium);
    d.go(&format!("{}/", s.base));
    assert!(d.text_once("form.login").contains("Read token"));
    d.screenshot("login");

    // A wrong token: the form again, with the reason.
    d.type_into("input[name=token]", "csr_not-a-real-token");
    d.click("form.login button[type=submit]");
    assert!(d.text_once(".error").contains("not valid"));

    // The read token: the fleet.
    d.type_into("input[name=token]", &read);
    d.click("form.login button[type=submit]");
    let text = d.text_once("#summary");
    d.screenshot("fleet");
    assert_eq!(d.script("return location.pathname"), "/");
    let count = |key: &str| d.script(&format!("return document.querySelector('#count-{key} dd').textContent"));
    for key in ["hosts", "credentials", "findings", "unencrypted_private_keys", "mcp_secrets", "on_multiple_hosts"] {
        assert_eq!(count(key), summary[key].to_string(), "{key}");
    }
    assert_eq!(count("hosts"), "2");
    assert!(text.contains(&hostname), "{text}");
    let shared = d.script("return document.querySelector('#shared').innerText").as_str().unwrap().to_owned();
    assert!(shared.contains(rule), "{rule} in {shared}");

    // The session cookie is invisible to scripts (HttpOnly); the browser holds it as Strict.
    assert_eq!(d.script("return document.cookie"), "");
    let cookies = d.session_call("GET", "/cookie", None);
    let session = cookies.as_array().unwrap().iter().find(|c| c["name"] == "credsweep_session").unwrap().clone();
    assert_eq!((session["httpOnly"].clone(), session["sameSite"].clone()), (json!(true), json!("Strict")));
    assert_ne!(session["value"], json!(read), "the cookie is a session id, not the token");
    assert_eq!(d.script("return document.scripts.length"), 0);

    // A host's inventory: unfold it on the page, then its own page.
    d.click("#hosts details summary");
    let unfolded =
        d.script("return document.querySelector('#hosts details[open]').innerText").as_str().unwrap().to_owned();
    assert!(unfolded.contains("Severity") && unfolded.contains("Path"), "{unfolded}");
    d.click("#hosts details[open] a[href^='/hosts/']");
    let page = d.text_once("h3");
    d.screenshot("host");
    assert!(page.starts_with("credsweep registry") && page.contains("Current inventory"), "{page}");
    let mine = d.script("return location.pathname").as_str().unwrap().to_owned();
    // The page shows the inventory 100 findings at a time, worst first, as the API's pages do.
    let inventory = s.get(&format!("/v1{mine}?limit=100"), &read);
    let on_page = |p: &str| page.contains(p);
    assert!(on_page(inventory["hostname"].as_str().unwrap()));
    for f in inventory["current_findings"].as_array().unwrap() {
        assert!(on_page(f["rule"].as_str().unwrap()) && on_page(f["path"].as_str().unwrap()), "{f}");
    }
    if inventory["findings_next_offset"].is_i64() {
        let next = d.script("return document.querySelector('p.pager a').textContent");
        assert_eq!(next, "Next findings");
        d.click("p.pager a");
        let second = d.text_once("h3");
        let inventory = s.get(&format!("/v1{mine}?limit=100&offset=100"), &read);
        for f in inventory["current_findings"].as_array().unwrap() {
            assert!(second.contains(f["path"].as_str().unwrap()), "{f}");
        }
        assert!(second.contains("Previous findings"));
    } else if inventory["hostname"] == json!(hostname) {
        assert!(on_page(path), "{path}");
    }

    views(&d, &s, &read, &reports);

    // Logout: back to the form, and the old session is gone.
    d.click("nav form button[type=submit]");
    assert!(d.text_once("form.login").contains("Read token"));
    d.go(&format!("{}/", s.base));
    assert!(d.text_once("form.login").contains("Sign in"));
}

/// The views a security team works from (issue #15), each checked against the API and kept as a screenshot: the
/// severities in severity order, the shared table naming its hosts, a credential's sprawl, the filtered credential
/// list and its export links, standing credentials oldest first, AI-agent exposure, the host search.
fn views(d: &Driver, s: &Server, read: &str, reports: &[Value]) {
    let names: Vec<&str> = reports.iter().map(|r| r["host"]["hostname"].as_str().unwrap()).collect();
    d.go(&format!("{}/", s.base));
    let order = ["critical", "high", "medium", "low", "info"];
    let shown = d.column("#summary table.severities", 1);
    let expected: Vec<&str> = order.iter().copied().filter(|o| shown.iter().any(|x| x == o)).collect();
    assert_eq!(shown, expected, "severities worst first");
    let named = d.column("#shared table", 2);
    assert!(named[0].contains(names[0]) && named[0].contains(names[1]), "{named:?}");

    // A credential's sprawl: the most widely shared one is on both hosts.
    d.click("#shared tbody tr td:last-child a");
    d.element("#sprawl");
    d.screenshot("credential");
    let hosts = d.column("table.sprawl", 2);
    assert!(hosts.iter().any(|h| h == names[0]) && hosts.iter().any(|h| h == names[1]), "{hosts:?}");

    // The credential list, filtered by the worst finding's rule through the form.
    let rule = reports[0]["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).min().unwrap();
    d.go(&format!("{}/credentials", s.base));
    d.type_into("form.filters input[name=rule]", rule);
    d.click("form.filters button[type=submit]");
    d.wait_for("location.search.includes('rule=')");
    d.element("table.credentials");
    d.screenshot("credentials");
    let api = s.get(&format!("/v1/credentials?rule={rule}&limit=50"), read);
    let rows = d.column("table.credentials", 4);
    assert_eq!(rows.len(), api["credentials"].as_array().unwrap().len());
    assert!(!rows.is_empty() && rows.iter().all(|r| r == rule), "{rows:?}");
    let export = d.script("return document.querySelector('p.export a').getAttribute('href')");
    let export = export.as_str().unwrap();
    assert!(export.starts_with("/export/credentials.csv?") && export.contains(&format!("rule={rule}")), "{export}");

    // Standing credentials, oldest first.
    d.go(&format!("{}/standing", s.base));
    d.element("table.standing");
    d.screenshot("standing");
    let known = d.column("table.standing", 1);
    let total = s.get("/v1/summary", read)["credentials"].as_i64().unwrap() as usize;
    assert_eq!(known.len(), total.min(50));
    assert!(known.windows(2).all(|w| w[0] <= w[1]), "{known:?}");

    // AI-agent exposure, as the API counts it.
    d.go(&format!("{}/agents", s.base));
    d.element("h2");
    d.screenshot("agents");
    let agents = s.get("/v1/agents?limit=50", read);
    let groups = agents["groups"].as_array().unwrap();
    assert_eq!(d.column("table.agents", 3).len(), groups.len());
    let text = d.script("return document.body.innerText").as_str().unwrap().to_owned();
    for g in groups {
        assert!(text.contains(g["client"].as_str().unwrap()), "{g}");
    }

    // The host search finds a host by the start of its hostname.
    d.go(&format!("{}/?q={}", s.base, &names[1][..4]));
    let found = d.script("return document.querySelectorAll('#hosts details.host').length");
    assert_eq!(found, json!(1));
}
