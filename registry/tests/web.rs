//! End-to-end tests of the web page at `/` over HTTP: the login form, the session cookie, the pages, logout.
//! (`tests/browser.rs` drives the same page in a real headless Chromium.)

#[macro_use]
mod common;

use common::*;
use serde_json::{json, Value};

on_both_backends!(login_form_session_cookie_and_logout, every_page_is_bounded_after_a_large_report);

/// (status, headers of interest, body) of a page request; redirects are not followed.
struct Answer {
    status: u16,
    location: Option<String>,
    set_cookie: Option<String>,
    csp: Option<String>,
    body: String,
}

fn request(s: &Server, method: &str, path: &str, headers: &[(&str, &str)], form: Option<&[(&str, &str)]>) -> Answer {
    let mut req = agent().request(method, &format!("{}{path}", s.base));
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let res = match form {
        Some(f) => req.send_form(f),
        None => req.call(),
    };
    let resp = match res {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {path}: {e}"),
    };
    Answer {
        status: resp.status(),
        location: resp.header("location").map(str::to_owned),
        set_cookie: resp.header("set-cookie").map(str::to_owned),
        csp: resp.header("content-security-policy").map(str::to_owned),
        body: resp.into_string().unwrap(),
    }
}

fn is_login_form(a: &Answer) -> bool {
    a.body.contains(r#"<form method="post" action="/login""#) && a.body.contains(r#"name="token""#)
}

fn login_form_session_cookie_and_logout(db: Db) {
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &[]);
    // Untrusted report content: markup in a hostname, a path and a kind.
    let mut evil = report_a("2026-01-02T00:00:00Z");
    evil["host"]["hostname"] = json!("alpha<script>alert(1)</script>");
    evil["findings"][1]["path"] = json!("/home/alice/<img src=x onerror=alert(1)>/mcp.json");
    // (A rule id must match the schema's pattern, so the markup goes in the kind, a free-text field shown beside it.)
    evil["findings"][2]["kind"] = json!("kind\"><b>bold</b>");
    assert_eq!(s.upload(&up, &evil).0, 201);
    assert_eq!(s.upload(&up, &report_b()).0, 201);

    // No session: the front door is the login form, and no data.
    let a = request(&s, "GET", "/", &[], None);
    assert_eq!(a.status, 200);
    assert!(is_login_form(&a), "{}", a.body);
    assert!(!a.body.contains("bravo") && !a.body.contains("Summary"));
    let csp = a.csp.unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("form-action 'self'") && !csp.contains("script-src"));
    assert!(!a.body.contains("<script"));
    // Other pages need a session too.
    for path in ["/hosts/1", &format!("/credentials/{}", fp('1'))] {
        let a = request(&s, "GET", path, &[], None);
        assert_eq!(a.status, 401, "{path}");
        assert!(is_login_form(&a));
    }

    // Refused logins: the form again, with the reason, and no cookie.
    for (token, words) in [("csr_wrong", "not valid"), (up.as_str(), "upload token"), ("", "Enter a read token")] {
        let a = request(&s, "POST", "/login", &[], Some(&[("token", token)]));
        assert_eq!(a.status, 401, "{token}");
        assert!(is_login_form(&a) && a.body.contains(words), "{}", a.body);
        assert!(a.set_cookie.is_none());
    }
    let a = request(&s, "POST", "/login", &[("Origin", "https://evil.example")], Some(&[("token", &read)]));
    assert_eq!(a.status, 403);
    assert!(a.set_cookie.is_none());

    // A read token: a session cookie (not the token), then back to `/`.
    let a = request(&s, "POST", "/login", &[("Origin", &s.base)], Some(&[("token", &read)]));
    assert_eq!((a.status, a.location.as_deref()), (303, Some("/")));
    let set = a.set_cookie.unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(attr), "{set}");
    }
    assert!(!set.contains(&read) && !set.contains("Secure"), "{set}");
    let cookie = set.split(';').next().unwrap().to_owned();
    assert!(cookie.starts_with("credsweep_session=") && cookie.len() > 30, "{cookie}");

    let with_cookie = [("Cookie", cookie.as_str())];
    let a = request(&s, "GET", "/", &with_cookie, None);
    assert_eq!(a.status, 200);
    let page = &a.body;
    assert!(!is_login_form(&a) && page.contains("Log out"));
    assert!(page.contains(r#"<div id="count-hosts"><dt>Hosts</dt><dd>2</dd></div>"#), "{page}");
    assert!(page.contains(r#"<div id="count-credentials"><dt>Credentials</dt><dd>4</dd></div>"#));
    assert!(page.contains(r#"<div id="count-on_multiple_hosts"><dt>On multiple hosts</dt><dd>1</dd></div>"#));
    // The shared key leads the "most widely shared" table; both inventories are on the page.
    let shared = &page[page.find("Most widely shared").unwrap()..page.find("<section id=\"hosts\">").unwrap()];
    assert!(shared.contains(&fp('1')) && shared.contains("private-key-openssh") && !shared.contains(&fp('2')));
    assert!(page.contains("/home/bob/.ssh/id_ed25519") && page.contains("/home/alice/.ssh/id_ed25519"));
    // Everything from the reports is escaped.
    assert!(page.contains("alpha&lt;script&gt;alert(1)&lt;/script&gt;"), "{page}");
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;") && page.contains("kind&quot;&gt;&lt;b&gt;bold"));
    assert!(!page.contains("<script") && !page.contains("<img") && !page.contains("<b>bold"));

    let a = request(&s, "GET", "/hosts/machine-b", &with_cookie, None);
    assert_eq!(a.status, 200);
    assert!(a.body.contains("Host bravo") && a.body.contains("/home/bob/.claude.json") && a.body.contains("mdm_id=42"));
    let a = request(&s, "GET", &format!("/credentials/{}", fp('1')), &with_cookie, None);
    assert!(a.status == 200 && a.body.contains("/home/bob/.ssh/id_ed25519") && a.body.contains("bravo"));
    assert_eq!(request(&s, "GET", "/hosts/nope", &with_cookie, None).status, 404);
    let second = request(&s, "GET", "/?hosts=1", &with_cookie, None).body;
    assert!(
        second.contains("Hosts 2–2 of 2") && second.contains("Previous hosts") && !second.contains("<strong>alpha")
    );
    assert_eq!(request(&s, "GET", "/?hosts=x", &with_cookie, None).status, 400);
    assert_eq!(request(&s, "GET", "/app.css", &[], None).status, 200);

    // The cookie opens the pages only, never the API; the bearer token keeps working on both.
    assert_eq!(s.call("GET", "/v1/summary", None, &with_cookie, None).0, 401);
    assert_eq!(s.get("/v1/summary", &read)["hosts"], 2);
    let bearer = format!("Bearer {read}");
    assert!(request(&s, "GET", "/", &[("Authorization", &bearer)], None).body.contains("Log out"));

    // Logout ends the session on the server: the old cookie no longer opens anything.
    let a = request(&s, "POST", "/logout", &with_cookie, Some(&[]));
    assert_eq!((a.status, a.location.as_deref()), (303, Some("/")));
    assert!(a.set_cookie.unwrap().contains("Max-Age=0"));
    assert!(is_login_form(&request(&s, "GET", "/", &with_cookie, None)));

    // Behind a TLS proxy the cookie is Secure.
    let a = request(&s, "POST", "/login", &[("X-Forwarded-Proto", "https")], Some(&[("token", &read)]));
    assert!(a.set_cookie.unwrap().ends_with("; Secure"));

    // Revoking the token ends its sessions.
    let a = request(&s, "POST", "/login", &[], Some(&[("token", &read)]));
    let cookie = a.set_cookie.unwrap().split(';').next().unwrap().to_owned();
    assert!(!is_login_form(&request(&s, "GET", "/", &[("Cookie", &cookie)], None)));
    assert!(cli(&db, &["token", "revoke", "reader"]).status.success());
    assert!(is_login_form(&request(&s, "GET", "/", &[("Cookie", &cookie)], None)));
}

/// Rows of every `<table class="{class}">` on a page (the header row not counted).
fn rows(page: &str, class: &str) -> usize {
    let open = format!("<table class=\"{class}\">");
    page.match_indices(&open)
        .map(|(at, _)| {
            let table = &page[at..];
            let end = table.find("</table>").unwrap();
            table[..end].matches("<tr>").count() - 1
        })
        .sum()
}

/// Issue #16: one 85,000-finding report made the front page 38 MB (every finding of every host on the page) and
/// the host and credential pages as long as their lists. Now the front page shows each host's 20 worst findings,
/// a host's inventory and history and a credential's sightings come a page at a time with links between pages, and
/// the kinds table is capped. The API's detail answers are paged the same way.
fn every_page_is_bounded_after_a_large_report(db: Db) {
    const FINDINGS: usize = 3000;
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &[]);
    // Host A: 3,000 findings, 100 kinds; 250 of them are one credential (a key copied into 250 files).
    let findings: Vec<Value> = (0..FINDINGS)
        .map(|i| {
            let mut f = finding(
                '0',
                "generic-api-key",
                &format!("kind-{}", i % 100),
                "medium",
                &format!("/srv/{i}"),
                json!({}),
            );
            let fp = if i < 250 { fp('1') } else { format!("sha256:{:064x}", i) };
            f["fingerprint"] = json!(fp);
            f["id"] = json!(format!("loc:v1:{i:032x}"));
            f
        })
        .collect();
    let big = report("machine-a", "alpha", "2026-01-02T00:00:00Z", findings);
    let (status, v) = s.call(
        "POST",
        "/v1/reports",
        Some(&up),
        &[("Content-Encoding", "gzip")],
        Some(&gzip(big.to_string().as_bytes())),
    );
    assert_eq!(status, 201, "{v}");
    assert_eq!(s.upload(&up, &report_b()).0, 201);
    let bearer = format!("Bearer {read}");
    let page = |path: &str| {
        let a = request(&s, "GET", path, &[("Authorization", &bearer)], None);
        assert_eq!(a.status, 200, "{path}");
        a.body
    };

    let front = page("/");
    assert!(front.len() < 100_000, "front page: {} bytes", front.len());
    assert_eq!(rows(&front, "inventory"), 20 + 2, "alpha's 20 worst findings, bravo's 2");
    assert!(front.contains(&format!("The 20 worst of {FINDINGS} findings")), "{front}");
    assert_eq!((rows(&front, "severities"), rows(&front, "counts")), (2, 30), "the first 30 of 102 kinds");
    assert!(front.contains("And 72 more kinds."), "100 kinds on alpha, 2 on bravo");

    let host = page("/hosts/machine-a");
    assert_eq!(rows(&host, "inventory"), 100);
    assert!(host.contains(&format!("Findings 1–100 of {FINDINGS}.")) && !host.contains("Previous findings"));
    assert!(host.contains("/hosts/1?findings=100&amp;reports=0\">Next findings</a>"), "{host}");
    let second = page("/hosts/1?findings=100&reports=0");
    assert_eq!(rows(&second, "inventory"), 100);
    assert!(second.contains(&format!("Findings 101–200 of {FINDINGS}.")) && second.contains("Previous findings"));
    let last = page(&format!("/hosts/1?findings={}", FINDINGS - 50));
    assert_eq!(rows(&last, "inventory"), 50);
    assert!(!last.contains("Next findings"));

    let credential = page(&format!("/credentials/{}", fp('1')));
    assert_eq!(rows(&credential, "history"), 100, "one page of its 251 sightings");
    assert!(credential.contains("Next sightings"));
    let third = page(&format!("/credentials/{}?sightings=200", fp('1')));
    assert_eq!(rows(&third, "history"), 51);
    assert!(!third.contains("Next sightings") && third.contains("Previous sightings"));

    // The API's detail answers: one page of each list, and where the next one starts.
    let h = s.get("/v1/hosts/machine-a", &read);
    assert_eq!(
        (h["current_findings"].as_array().unwrap().len(), h["findings_next_offset"].as_i64()),
        (1000, Some(1000))
    );
    let h = s.get("/v1/hosts/machine-a?limit=10&offset=2995", &read);
    assert_eq!((h["current_findings"].as_array().unwrap().len(), &h["findings_next_offset"]), (5, &Value::Null));
    let c = s.get(&format!("/v1/credentials/{}?limit=100", fp('1')), &read);
    assert_eq!(c["history"].as_array().unwrap().len(), 100);
    assert_eq!((c["history_next_offset"].as_i64(), c["current_next_offset"].as_i64()), (Some(100), Some(100)));
}
