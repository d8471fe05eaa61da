//! End-to-end tests of the web page at `/` over HTTP: the login form, the session cookie, the pages, logout.
//! (`tests/browser.rs` drives the same page in a real headless Chromium.)

#[macro_use]
mod common;

use common::*;
use serde_json::json;

on_both_backends!(login_form_session_cookie_and_logout);

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
