//! End-to-end tests of the API: the real `credsweep-registry` binary, a fresh database, HTTP over loopback. Every
//! test runs twice, on SQLite (`sqlite::…`) and on PostgreSQL (`postgres::…`, see `Db::postgres`).

#[macro_use]
mod common;

use common::*;
use serde_json::{json, Value};

on_both_backends!(
    upload_then_query_every_endpoint,
    resending_is_idempotent,
    newer_report_replaces_current_state_history_stays,
    authentication_and_scopes,
    bad_input_is_refused_and_nothing_is_stored,
    acknowledged_reports_survive_kill_9,
    token_cli,
    chunked_body_over_the_limit_is_413,
    concurrent_uploads_all_land,
    real_credsweep_report_round_trip,
    answers_say_nosniff_and_errors_never_echo_the_path,
    scan_times_are_real_and_a_fast_clock_cannot_pin_a_host,
    raw_tokens_and_unknown_fields_are_refused_in_every_field,
    views_filter_sort_export_share_and_agents,
);

fn upload_then_query_every_endpoint(db: Db) {
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &[]);
    let (status, v) = s.upload(&up, &report_a("2026-01-02T00:00:00Z"));
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["findings"], 3);
    assert_eq!(v["duplicate"], false);
    assert_eq!(s.upload(&up, &report_b()).0, 201);

    let sum = s.get("/v1/summary", &read);
    assert_eq!(sum["hosts"], 2);
    assert_eq!(sum["reports"], 2);
    assert_eq!(sum["credentials"], 4);
    assert_eq!(sum["by_kind"]["private-key"], 2);
    assert_eq!(sum["by_kind"]["access-token"], 1);
    assert_eq!(sum["unencrypted_private_keys"], 1);
    assert_eq!(sum["mcp_secrets"], 2, "cursor tool + mcp-config-secret rule");
    assert_eq!(sum["on_multiple_hosts"], 1);

    let creds = s.get("/v1/credentials", &read);
    assert_eq!(creds["credentials"].as_array().unwrap().len(), 4);
    let shared = cred(&creds, '1').unwrap();
    assert_eq!(shared["hosts"], 2);
    assert_eq!(shared["kind"], "private-key");
    assert_eq!(shared["worst_exposure"]["severity"], "high");
    assert_eq!(shared["worst_exposure"]["risks"], json!(["permissions-too-open", "world-readable"]));
    assert_eq!(shared["first_seen"], "2026-01-02T00:00:00Z");
    assert_eq!(creds["credentials"][0]["fingerprint"], fp('1'), "worst and most widespread first");
    assert_eq!((creds["total"].as_i64(), &creds["next_offset"]), (Some(4), &Value::Null));
    // Paging: the same order, a page at a time.
    let p1 = s.get("/v1/credentials?limit=3", &read);
    assert_eq!(p1["credentials"].as_array().unwrap().len(), 3);
    assert_eq!(p1["next_offset"], 3);
    let p2 = s.get("/v1/credentials?limit=3&offset=3", &read);
    assert_eq!(p2["credentials"][0], creds["credentials"][3]);
    assert_eq!(p2["next_offset"], Value::Null);
    let (status, v) = s.call("GET", "/v1/credentials?limit=0", Some(&read), &[], None);
    assert_eq!((status, v["error"].is_string()), (400, true));

    let detail = s.get(&format!("/v1/credentials/{}", fp('1')), &read);
    let hosts: Vec<&str> =
        detail["current"].as_array().unwrap().iter().map(|l| l["hostname"].as_str().unwrap()).collect();
    assert_eq!(hosts.len(), 2);
    assert!(hosts.contains(&"alpha") && hosts.contains(&"bravo"));
    let bob = detail["current"].as_array().unwrap().iter().find(|l| l["hostname"] == "bravo").unwrap();
    assert_eq!(bob["user"], "bob");
    assert_eq!(bob["path"], "/home/bob/.ssh/id_ed25519");
    assert_eq!(bob["scanned_at"], "2026-01-02T00:00:00Z");
    // The prefix is optional (sha256sum output pastes straight in).
    assert_eq!(s.get(&format!("/v1/credentials/{}", "1".repeat(64)), &read)["fingerprint"], fp('1'));
    let (status, v) = s.call("GET", &format!("/v1/credentials/{}", fp('9')), Some(&read), &[], None);
    assert_eq!((status, v["error"].is_string()), (404, true));

    let hosts = s.get("/v1/hosts", &read);
    let list = hosts["hosts"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["hostname"], "alpha");
    assert_eq!(list[0]["credentials"], 3);
    assert_eq!((hosts["total"].as_i64(), hosts["next_offset"].is_null()), (Some(2), true));
    // Paged like /v1/credentials: one host per page here.
    let first = s.get("/v1/hosts?limit=1", &read);
    assert_eq!((first["hosts"][0]["hostname"].as_str(), first["next_offset"].as_i64()), (Some("alpha"), Some(1)));
    let second = s.get("/v1/hosts?limit=1&offset=1", &read);
    assert_eq!((second["hosts"][0]["hostname"].as_str(), second["next_offset"].is_null()), (Some("bravo"), true));
    assert_eq!(s.call("GET", "/v1/hosts?page=2", Some(&read), &[], None).0, 400);
    let id = list[0]["id"].as_i64().unwrap();
    let host = s.get(&format!("/v1/hosts/{id}"), &read);
    assert_eq!(host["machine_id"], "machine-a");
    assert_eq!(host["current_findings"].as_array().unwrap().len(), 3);
    assert_eq!(host["history"].as_array().unwrap().len(), 1);
    assert_eq!(host["latest_report"]["tags"]["mdm_id"], "42");
    assert_eq!(s.get("/v1/hosts/machine-b", &read)["hostname"], "bravo", "lookup by machine id");
    assert_eq!(s.call("GET", "/v1/hosts/nope", Some(&read), &[], None).0, 404);
    let (status, v) = s.call("GET", "/v1/nothing", Some(&read), &[], None);
    assert_eq!((status, v["error"].is_string()), (404, true));
    let (status, v) = s.call("DELETE", "/v1/hosts", Some(&read), &[], None);
    assert_eq!((status, v["error"].is_string()), (405, true));
    assert_eq!(s.call("GET", "/v1/health", None, &[], None), (200, json!({ "status": "ok" })));
}

fn resending_is_idempotent(db: Db) {
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &[]);
    let r = report_a("2026-01-02T00:00:00Z");
    let (_, first) = s.upload(&up, &r);
    let before = s.get("/v1/summary", &read);
    let (status, again) = s.upload(&up, &r);
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["report_id"], first["report_id"]);
    assert_eq!(s.get("/v1/summary", &read), before);

    // With an Idempotency-Key: the key decides; reusing it for another body is a conflict.
    let body = report_b().to_string();
    let key = [("Idempotency-Key", "scan-b-1")];
    assert_eq!(s.call("POST", "/v1/reports", Some(&up), &key, Some(body.as_bytes())).0, 201);
    let (status, v) = s.call("POST", "/v1/reports", Some(&up), &key, Some(body.as_bytes()));
    assert_eq!((status, &v["duplicate"]), (200, &json!(true)));
    let other = report("machine-b", "bravo", "2026-01-03T00:00:00Z", vec![]).to_string();
    let (status, v) = s.call("POST", "/v1/reports", Some(&up), &key, Some(other.as_bytes()));
    assert_eq!(status, 409, "{v}");
    assert_eq!(s.get("/v1/summary", &read)["reports"], 2);
}

fn newer_report_replaces_current_state_history_stays(db: Db) {
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &[]);
    assert_eq!(s.upload(&up, &report_a("2026-01-02T00:00:00Z")).0, 201);
    // The next scan: the MCP token (2) was rotated away.
    let mut newer = report_a("2026-01-05T00:00:00Z");
    newer["findings"].as_array_mut().unwrap().remove(1);
    assert_eq!(s.upload(&up, &newer).1["current"], true);

    let creds = s.get("/v1/credentials", &read);
    assert!(cred(&creds, '2').is_none(), "resolved credential left the current view");
    assert_eq!(cred(&creds, '1').unwrap()["last_seen"], "2026-01-05T00:00:00Z");
    let detail = s.get(&format!("/v1/credentials/{}", fp('2')), &read);
    assert_eq!(detail["hosts"], 0);
    assert_eq!(detail["current"], json!([]));
    assert_eq!(detail["history"].as_array().unwrap().len(), 1);
    assert_eq!(detail["history"][0]["current"], false);
    assert_eq!(s.get("/v1/summary", &read)["mcp_secrets"], 0);

    let host = s.get("/v1/hosts/machine-a", &read);
    assert_eq!(host["current_findings"].as_array().unwrap().len(), 2);
    assert_eq!(host["history"].as_array().unwrap().len(), 2);
    assert_eq!(host["last_seen"], "2026-01-05T00:00:00Z");

    // A late upload of an older scan goes to history only.
    let (status, v) = s.upload(&up, &report_a("2026-01-03T00:00:00Z"));
    assert_eq!((status, &v["current"]), (201, &json!(false)));
    assert!(cred(&s.get("/v1/credentials", &read), '2').is_none());
    assert_eq!(s.get("/v1/hosts/machine-a", &read)["history"].as_array().unwrap().len(), 3);

    // No machine_id: the hostname is the identity.
    let mut r = report("", "charlie", "2026-01-02T00:00:00Z", vec![]);
    r["host"].as_object_mut().unwrap().remove("machine_id");
    assert_eq!(s.upload(&up, &r).0, 201);
    assert_eq!(s.get("/v1/hosts/charlie", &read)["host_key"], "charlie");
}

fn authentication_and_scopes(db: Db) {
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &[]);
    let body = report_a("2026-01-02T00:00:00Z").to_string();
    for path in ["/v1/credentials", "/v1/hosts", "/v1/summary", "/v1/hosts/1", &format!("/v1/credentials/{}", fp('1'))]
    {
        assert_eq!(s.call("GET", path, None, &[], None).0, 401, "{path} without token");
        assert_eq!(s.call("GET", path, Some("csr_wrong"), &[], None).0, 401, "{path} bad token");
        let (status, v) = s.call("GET", path, Some(&up), &[], None);
        assert_eq!(status, 403, "{path} with upload token");
        assert!(v["error"].as_str().unwrap().contains("read token"), "{v}");
    }
    let basic = [("Authorization", "Basic Zm9vOmJhcg==")];
    assert_eq!(s.call("GET", "/v1/summary", None, &basic, None).0, 401);
    assert_eq!(s.call("POST", "/v1/reports", None, &[], Some(body.as_bytes())).0, 401);
    assert_eq!(s.call("POST", "/v1/reports", Some("csr_wrong"), &[], Some(body.as_bytes())).0, 401);
    assert_eq!(s.call("POST", "/v1/reports", Some(&read), &[], Some(body.as_bytes())).0, 403);
    assert_eq!(s.get("/v1/summary", &read)["reports"], 0);

    // Revocation (from another process, on the live database) takes effect at once.
    let out = cli(&db, &["token", "revoke", "reader"]);
    assert!(out.status.success());
    assert_eq!(s.call("GET", "/v1/summary", Some(&read), &[], None).0, 401);
}

fn bad_input_is_refused_and_nothing_is_stored(db: Db) {
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &["--max-body", "16K"]);
    let post = |headers: &[(&str, &str)], body: &[u8]| s.call("POST", "/v1/reports", Some(&up), headers, Some(body));
    let expect = |(status, v): (u16, Value), want: u16, words: &str| {
        assert_eq!(status, want, "{v}");
        let msg = v["error"].as_str().unwrap_or_else(|| panic!("no error message: {v}"));
        assert!(msg.contains(words), "{msg:?} should mention {words:?}");
    };
    expect(post(&[], b"{\"schema\": "), 400, "malformed JSON");
    let mut r = report_a("2026-01-02T00:00:00Z");
    r["schema"] = json!("credsweep.report/v2");
    expect(post(&[], r.to_string().as_bytes()), 422, "unknown schema");
    let mut r = report_a("2026-01-02T00:00:00Z");
    r["include_secrets"] = json!(true);
    expect(post(&[], r.to_string().as_bytes()), 422, "include_secrets");
    let mut r = report_a("2026-01-02T00:00:00Z");
    r["findings"][2]["secret"] = json!("-----BEGIN OPENSSH PRIVATE KEY-----");
    expect(post(&[], r.to_string().as_bytes()), 422, "findings[2]");
    let mut r = report_a("2026-01-02T00:00:00Z");
    r.as_object_mut().unwrap().remove("host");
    expect(post(&[], r.to_string().as_bytes()), 422, "host");
    let mut r = report_a("2026-01-02T00:00:00Z");
    r["findings"][0]["severity"] = json!("apocalyptic");
    expect(post(&[], r.to_string().as_bytes()), 422, "severity");
    // Too big, plain and as a gzip bomb (small on the wire, large inflated).
    let mut r = report_a("2026-01-02T00:00:00Z");
    r["tags"]["padding"] = json!("x".repeat(20_000));
    let big = r.to_string();
    // The declared length alone is refused, before any body is read. (Sent raw: a client still writing a body the
    // server will never read can see a reset instead of the answer, which is normal HTTP/1.1 behaviour.)
    let head = format!(
        "POST /v1/reports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {up}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        big.len()
    );
    let resp = raw(&s, head.as_bytes());
    assert!(resp.starts_with("HTTP/1.1 413") && resp.contains("limit"), "{resp}");
    let bomb = gzip(big.as_bytes());
    assert!(bomb.len() < 16 << 10);
    expect(post(&[("Content-Encoding", "gzip")], &bomb), 413, "limit");
    expect(post(&[("Content-Encoding", "gzip")], b"not gzip"), 400, "gzip");
    expect(post(&[("Content-Encoding", "br")], b"{}"), 415, "Content-Encoding");
    assert_eq!(s.get("/v1/summary", &read)["reports"], 0, "nothing stored by refused uploads");
    assert_eq!(s.get("/v1/hosts", &read)["hosts"], json!([]));

    // The same report gzipped is fine, and is the same report as its plain form.
    let good = report_a("2026-01-02T00:00:00Z").to_string();
    assert_eq!(post(&[("Content-Encoding", "gzip")], &gzip(good.as_bytes())).0, 201);
    assert_eq!(post(&[], good.as_bytes()).0, 200);
}

fn acknowledged_reports_survive_kill_9(db: Db) {
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &[]);
    assert_eq!(s.upload(&up, &report_a("2026-01-02T00:00:00Z")).0, 201);
    assert_eq!(s.upload(&up, &report_b()).0, 201);
    let before = s.get("/v1/summary", &read);
    s.kill();
    let s = Server::start(&db, &[]);
    assert_eq!(s.get("/v1/summary", &read), before);
    assert_eq!(s.get("/v1/credentials", &read)["credentials"].as_array().unwrap().len(), 4);
    assert_eq!(s.upload(&up, &report_b()).0, 200, "idempotency survives the restart");
}

fn token_cli(db: Db) {
    let t = token(&db, "ci", "upload");
    assert!(t.starts_with("csr_") && t.len() == 47, "{t}");
    let dup = cli(&db, &["token", "create", "--name", "ci", "--scope", "read"]);
    assert_eq!(dup.status.code(), Some(2));
    let list = cli(&db, &["token", "list"]);
    let text = String::from_utf8(list.stdout).unwrap();
    assert!(text.contains("ci\tupload") && text.contains("active") && !text.contains(&t), "{text}");
    assert!(cli(&db, &["token", "revoke", "ci"]).status.success());
    let list = cli(&db, &["token", "list"]);
    assert!(String::from_utf8(list.stdout).unwrap().contains("revoked"));
    assert_eq!(cli(&db, &["token", "revoke", "ci"]).status.code(), Some(2));
}

fn chunked_body_over_the_limit_is_413(db: Db) {
    // No Content-Length: the limit is enforced while reading.
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &["--max-body", "1K"]);
    let chunk = "x".repeat(600);
    let req = format!(
        "POST /v1/reports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {up}\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\n{len:x}\r\n{chunk}\r\n{len:x}\r\n{chunk}\r\n0\r\n\r\n",
        len = chunk.len()
    );
    let resp = raw(&s, req.as_bytes());
    assert!(resp.starts_with("HTTP/1.1 413"), "{resp}");
    assert!(resp.contains("\"error\""), "{resp}");
    assert_eq!(s.get("/v1/summary", &read)["reports"], 0);
}

fn concurrent_uploads_all_land(db: Db) {
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &[]);
    std::thread::scope(|scope| {
        for i in 0..8 {
            let (s, up) = (&s, &up);
            scope.spawn(move || {
                let r = report(
                    &format!("machine-{i}"),
                    &format!("host-{i}"),
                    "2026-01-02T00:00:00Z",
                    vec![finding(
                        '1',
                        "private-key-openssh",
                        "private-key",
                        "high",
                        "/root/.ssh/id_ed25519",
                        json!({}),
                    )],
                );
                assert_eq!(s.upload(up, &r).0, 201);
            });
        }
    });
    let sum = s.get("/v1/summary", &read);
    assert_eq!((sum["hosts"].as_i64(), sum["on_multiple_hosts"].as_i64()), (Some(8), Some(1)));
    assert_eq!(cred(&s.get("/v1/credentials", &read), '1').unwrap()["hosts"], 8);
}

/// With the real scanner built (`cargo test --workspace` builds it), its report of the test fixtures goes in and
/// the registry's counts agree with the report itself. Skipped (passes) when the binary is not there.
fn real_credsweep_report_round_trip(db: Db) {
    let Some(body) = fixtures_report() else {
        eprintln!("skipped: no credsweep binary beside {BIN}");
        return;
    };
    let (db, up, read) = setup(db);
    let r: Value = serde_json::from_slice(&body).unwrap();
    let findings = r["findings"].as_array().unwrap();
    let distinct = |pred: &dyn Fn(&Value) -> bool| {
        findings
            .iter()
            .filter(|f| pred(f))
            .map(|f| f["fingerprint"].as_str().unwrap())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };

    let s = Server::start(&db, &[]);
    let (status, v) = s.call("POST", "/v1/reports", Some(&up), &[("Content-Encoding", "gzip")], Some(&gzip(&body)));
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["findings"].as_u64(), Some(findings.len() as u64));
    let sum = s.get("/v1/summary", &read);
    assert_eq!(sum["findings"].as_u64(), Some(findings.len() as u64));
    assert_eq!(sum["credentials"].as_u64(), Some(distinct(&|_| true) as u64));
    assert_eq!(sum["unencrypted_private_keys"].as_u64(), Some(distinct(&|f| f["key"]["encrypted"] == false) as u64));
    let mcp = [
        "claude-desktop",
        "claude-code",
        "cursor",
        "vscode",
        "copilot-cli",
        "windsurf",
        "cline",
        "roo-code",
        "continue",
        "zed",
        "gemini-cli",
        "codex-cli",
        "kiro",
        "amazon-q",
        "lm-studio",
        "goose",
    ];
    let mcp_count =
        distinct(&|f| f["rule"] == "mcp-config-secret" || mcp.contains(&f["context"]["tool"].as_str().unwrap_or("")));
    assert!(mcp_count > 0);
    assert_eq!(sum["mcp_secrets"].as_u64(), Some(mcp_count as u64));
    let host = s.get(
        &format!("/v1/hosts/{}", r["host"]["machine_id"].as_str().unwrap_or(r["host"]["hostname"].as_str().unwrap())),
        &read,
    );
    assert_eq!(host["current_findings"].as_array().unwrap().len(), findings.len());
}

/// Issue #16: `/v1` answers lacked `X-Content-Type-Options: nosniff`, and error bodies quoted the request's path
/// (a pasted secret, or markup). Every answer here, success or error, JSON or page, carries the header, and no error
/// body contains what the path or query said.
fn answers_say_nosniff_and_errors_never_echo_the_path(db: Db) {
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &[]);
    assert_eq!(s.upload(&up, &report_a("2026-01-02T00:00:00Z")).0, 201);
    let marker = "echo-marker-3f9a";
    let bearer = format!("Bearer {read}");
    let get = |path: &str, auth: bool| {
        let mut req = agent().get(&format!("{}{path}", s.base));
        if auth {
            req = req.set("Authorization", &bearer);
        }
        match req.call() {
            Ok(r) | Err(ureq::Error::Status(_, r)) => {
                let nosniff = r.header("x-content-type-options").map(str::to_owned);
                (r.status(), nosniff, r.into_string().unwrap())
            }
            Err(e) => panic!("GET {path}: {e}"),
        }
    };
    for (path, auth, want) in [
        ("/v1/summary".to_owned(), true, 200),
        ("/v1/health".to_owned(), false, 200),
        ("/v1/summary".to_owned(), false, 401),
        (format!("/v1/hosts/{marker}"), true, 404),
        (format!("/v1/hosts/%3Cb%3E{marker}"), true, 404),
        (format!("/v1/hosts/%FF{marker}"), true, 400),
        (format!("/v1/credentials/{marker}"), true, 404),
        (format!("/v1/credentials/sha256:{marker}"), true, 404),
        (format!("/v1/credentials?{marker}=1"), true, 400),
        (format!("/v1/credentials?limit={marker}"), true, 400),
        (format!("/v1/hosts?offset={marker}"), true, 400),
        (format!("/v1/{marker}"), true, 404),
        (format!("/hosts/{marker}"), true, 404),
        (format!("/hosts/%FF{marker}"), true, 400),
        (format!("/credentials/{marker}"), true, 404),
        (format!("/?hosts={marker}"), true, 400),
    ] {
        let (status, nosniff, body) = get(&path, auth);
        assert_eq!(status, want, "{path}: {body}");
        assert_eq!(nosniff.as_deref(), Some("nosniff"), "{path}");
        assert!(!body.contains(marker), "{path} echoed in: {body}");
    }
    let (status, v) = s.call("DELETE", &format!("/v1/hosts/{marker}"), Some(&read), &[], None);
    assert_eq!(status, 405);
    assert!(!v.to_string().contains(marker), "{v}");
}

/// Issue #16: timestamps were checked for shape only (`9999-99-99T99:99:99Z` was accepted), and the current state
/// was "newest `finished_at`", so one report from a host whose clock ran ahead pinned that host's inventory: every
/// later, honest scan went to history. Now times must be real and at most a day ahead of the registry's clock, and a
/// time ahead of the registry's clock counts as the moment the report arrived.
fn scan_times_are_real_and_a_fast_clock_cannot_pin_a_host(db: Db) {
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &[]);
    let at = |offset_secs: i64| {
        let now = std::time::SystemTime::now();
        let t = if offset_secs >= 0 {
            now + std::time::Duration::from_secs(offset_secs as u64)
        } else {
            now - std::time::Duration::from_secs(offset_secs.unsigned_abs())
        };
        humantime::format_rfc3339_seconds(t).to_string()
    };
    for (bad, words) in [
        ("9999-99-99T99:99:99Z".to_owned(), "not a valid date"),
        ("2026-02-30T00:00:00Z".to_owned(), "not a valid date"),
        ("2026-01-02T00:00:00".to_owned(), "pattern"),
        (at(48 * 3600), "ahead of the registry's clock"),
        ("9999-12-31T23:59:59Z".to_owned(), "ahead of the registry's clock"),
    ] {
        let (status, v) = s.upload(&up, &report_a(&bad));
        assert_eq!(status, 422, "{bad}: {v}");
        assert!(v["error"].as_str().unwrap().contains("finished_at") && v.to_string().contains(words), "{bad}: {v}");
        let mut r = report_a("2026-01-02T00:00:00Z");
        r["started_at"] = json!(bad);
        assert_eq!(s.upload(&up, &r).0, 422, "started_at {bad}");
    }
    assert_eq!(s.get("/v1/summary", &read)["reports"], 0);

    // A clock 23 hours fast: accepted (skew happens), current, with every credential of host A.
    let (status, v) = s.upload(&up, &report_a(&at(23 * 3600)));
    assert_eq!((status, &v["current"]), (201, &json!(true)), "{v}");
    // The next scan, stamped by a correct clock after that upload, has rotated every secret away: it is the host's
    // current state, although its finished_at is 23 hours older than the first one's.
    let (status, v) = s.upload(&up, &report("machine-a", "alpha", &at(0), vec![]));
    assert_eq!((status, &v["current"]), (201, &json!(true)), "{v}");
    let host = s.get("/v1/hosts/machine-a", &read);
    assert_eq!(host["current_findings"], json!([]), "{host}");
    assert_eq!(s.get("/v1/summary", &read)["credentials"], 0);
    // An older scan uploaded late (the offline spool) still goes to history only.
    let (status, v) = s.upload(&up, &report_a(&at(-3600)));
    assert_eq!((status, &v["current"]), (201, &json!(false)), "{v}");
    assert_eq!(s.get("/v1/summary", &read)["credentials"], 0);
}

/// Issue #16: only `findings[].secret` was refused; a raw token in `redacted`, `identifier`, `path`, `context`, `tags`,
/// `credentials[].secret`, `references[].secret` or an unknown field was stored and served. Now every string and
/// key is checked with the scanner's built-in rules, and the report schema refuses unknown fields.
fn raw_tokens_and_unknown_fields_are_refused_in_every_field(db: Db) {
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &[]);
    type Plant = fn(&mut Value, &str);
    let plants: [(&str, Plant); 12] = [
        ("findings[0].redacted", |r, t| r["findings"][0]["redacted"] = json!(t)),
        ("findings[0].identifier", |r, t| r["findings"][0]["identifier"] = json!(t)),
        ("findings[0].path", |r, t| r["findings"][0]["path"] = json!(format!("/home/alice/{t}.txt"))),
        ("findings[1].context.variable", |r, t| r["findings"][1]["context"]["variable"] = json!(t)),
        ("findings[0].rule_name", |r, t| r["findings"][0]["rule_name"] = json!(format!("token {t}"))),
        ("tags.note", |r, t| r["tags"]["note"] = json!(t)),
        ("tags", |r, t| r["tags"][t] = json!("x")),
        ("host.hostname", |r, t| r["host"]["hostname"] = json!(t)),
        ("errors[0].reason", |r, t| r["errors"] = json!([{ "path": "/x", "reason": format!("read {t}") }])),
        ("credentials[0].secret", |r, t| {
            r["credentials"] = json!([{ "fingerprint": fp('1'), "kind": "private-key", "rules": ["r"],
                "severity": "high", "redacted": "x", "locations": 1, "finding_ids": [format!("loc:v1:{}", "1".repeat(32))],
                "secret": t }])
        }),
        ("references[0].secret", |r, t| {
            r["references"] = json!([{ "path": "/x", "context": {}, "reference": "${env:T}", "secret": t }])
        }),
        ("extra", |r, t| r["extra"] = json!(t)),
    ];
    for (rule, token) in synthetic_tokens() {
        for (field, plant) in plants {
            let mut r = report_a("2026-01-02T00:00:00Z");
            plant(&mut r, &token);
            let (status, v) = s.upload(&up, &r);
            assert_eq!(status, 422, "{rule} in {field}: {v}");
            let msg = v["error"].as_str().unwrap();
            assert!(msg.starts_with(field) && msg.contains(rule) && msg.contains("raw secrets"), "{field}: {msg}");
            assert!(!msg.contains(&token), "the refusal quotes the token: {msg}");
        }
    }
    // Unknown fields are refused by the schema, anywhere; the message names the field, not its value.
    for (field, path) in [("report", "/extra"), ("findings[0]", "/findings/0/extra"), ("host", "/host/extra")] {
        let mut r = report_a("2026-01-02T00:00:00Z");
        let parent = path.rsplit_once('/').unwrap().0;
        r.pointer_mut(if parent.is_empty() { "" } else { parent }).unwrap()["extra"] = json!("harmless words");
        let (status, v) = s.upload(&up, &r);
        assert_eq!(status, 422, "{path}: {v}");
        let msg = v["error"].as_str().unwrap();
        assert!(msg.starts_with(field) && msg.contains("unknown field \"extra\""), "{msg}");
        assert!(!msg.contains("harmless"), "{msg}");
    }
    assert_eq!(s.get("/v1/summary", &read)["reports"], 0, "nothing stored by refused uploads");

    // What a scanner really puts there passes: an AWS access key id (the public half) as a finding's identifier.
    let mut r = report_a("2026-01-02T00:00:00Z");
    let key_id = aws_key_id();
    r["findings"][0]["identifier"] = json!(key_id);
    let (status, v) = s.upload(&up, &r);
    assert_eq!(status, 201, "{v}");
    assert_eq!(s.get(&format!("/v1/credentials/{}", fp('1')), &read)["identifier"], key_id);
}

/// Issue #15's views over the API: the credential list's filters, search and orders, the export of the filtered
/// list as CSV and JSON, the shared credentials with their hosts named, standing credentials oldest first, AI-agent
/// exposure by client and server, hosts found by hostname, severities in severity order.
fn views_filter_sort_export_share_and_agents(db: Db) {
    let (db, up, read) = setup(db);
    let s = Server::start(&db, &[]);
    let mut a = report_a("2026-01-02T00:00:00Z");
    // The MCP token (2) was issued long ago: the oldest standing credential. A path a spreadsheet would evaluate.
    a["findings"][1]["issued_at"] = json!("2020-05-01T00:00:00Z");
    a["findings"][2]["identifier"] = json!("=1+2");
    assert_eq!(s.upload(&up, &a).0, 201);
    assert_eq!(s.upload(&up, &report_b()).0, 201);
    let fps = |v: &Value| -> Vec<String> {
        v["credentials"].as_array().unwrap().iter().map(|c| c["fingerprint"].as_str().unwrap().to_owned()).collect()
    };
    let list = |q: &str| s.get(&format!("/v1/credentials?{q}"), &read);
    for (q, want) in [
        ("host=bravo", vec![fp('1'), fp('4')]),
        ("host=machine-a&path=.ssh", vec![fp('1'), fp('3')]),
        ("path=id_ed25519", vec![fp('1')]),
        ("risk=world-readable", vec![fp('1')]),
        ("min_hosts=2", vec![fp('1')]),
        ("tool=cursor&server=github", vec![fp('2')]),
        ("user=bob", vec![fp('1')]),
        ("severity=medium", vec![fp('4')]),
        ("severity=low,medium", vec![fp('4'), fp('3')]),
        ("kind=private-key&sort=hosts", vec![fp('1'), fp('3')]),
        ("rule=private-key-openssh&sort=hosts&order=asc", vec![fp('3'), fp('1')]),
        ("sort=age&limit=1", vec![fp('2')]),
        ("first_seen_since=2026-01-03", vec![]),
        ("last_seen_before=2026-01-02T00:00:01Z&provider=nobody", vec![]),
    ] {
        let v = list(q);
        assert_eq!(fps(&v), want, "{q}");
        if !q.contains("limit") {
            assert_eq!(v["total"].as_u64(), Some(want.len() as u64), "{q}");
        }
    }
    let marker = "echo-marker-77";
    for q in ["severity=x", "risk=y", "min_hosts=0", "sort=z", "order=w", "first_seen_since=2026-13-01", "colour=red"] {
        let (status, v) = s.call("GET", &format!("/v1/credentials?{q}{marker}"), Some(&read), &[], None);
        assert_eq!(status, 400, "{q}: {v}");
        assert!(!v.to_string().contains(marker), "{v}");
    }
    let standing = list("sort=age");
    assert_eq!(standing["credentials"][0]["known_since"], "2020-05-01T00:00:00Z");
    assert_eq!(standing["credentials"][1]["oldest_file_modified"], "2026-01-01T00:00:00Z");

    // The export: the whole filtered list, in its order; CSV cells safe from spreadsheet formulas.
    let text = |path: &str, token: Option<&str>| {
        let mut req = agent().get(&format!("{}{path}", s.base));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        match req.call() {
            Ok(r) | Err(ureq::Error::Status(_, r)) => (r.status(), r.into_string().unwrap()),
            Err(e) => panic!("{path}: {e}"),
        }
    };
    let (status, csv) = text("/v1/export/credentials.csv", Some(&read));
    assert_eq!(status, 200);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("fingerprint,severity,kind,rule,rules,"), "{csv}");
    assert_eq!(lines.len(), 5, "a header and four credentials: {csv}");
    assert!(lines[1].starts_with(&fp('1')), "worst first: {csv}");
    assert!(lines.iter().any(|l| l.starts_with(&fp('3')) && l.contains(",'=1+2,")), "formula quoted: {csv}");
    let (_, csv) = text("/v1/export/credentials.csv?path=id_ed25519", Some(&read));
    assert_eq!(csv.lines().count(), 2, "{csv}");
    let (_, json_text) = text("/v1/export/credentials.json?sort=age", Some(&read));
    let exported: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(
        exported.as_array().unwrap().iter().map(|c| c["fingerprint"].as_str().unwrap().to_owned()).collect::<Vec<_>>(),
        fps(&standing)
    );
    assert_eq!(exported[0]["rules"], json!(["github-pat-classic"]));
    assert_eq!(text("/v1/export/credentials.csv", None).0, 401);
    assert_eq!(text("/v1/export/credentials.csv", Some(&up)).0, 403);
    assert_eq!(text("/v1/export/credentials.json?risk=nope", Some(&read)).0, 400);
    assert_eq!(s.get("/v1/hosts/alpha", &read)["current_findings"].as_array().unwrap().len(), 3, "by hostname");

    // Shared credentials name their hosts; severities come worst first; hosts are found by hostname.
    let shared = s.get("/v1/shared", &read);
    let named: Vec<&str> =
        shared[0]["some_hosts"].as_array().unwrap().iter().map(|h| h["hostname"].as_str().unwrap()).collect();
    assert_eq!(named, ["alpha", "bravo"]);
    let (_, summary) = text("/v1/summary", Some(&read));
    let at = |k: &str| summary.find(&format!("\"{k}\":")).unwrap();
    assert!(at("high") < at("medium") && at("medium") < at("low"), "{summary}");
    assert_eq!(s.get("/v1/hosts/bravo", &read)["machine_id"], "machine-b");
    assert_eq!(s.get("/v1/hosts?q=br", &read)["hosts"][0]["hostname"], "bravo");
    assert_eq!(s.get("/v1/hosts?q=machine-a", &read)["total"], 1);
    let mut twin = report_b();
    twin["host"]["machine_id"] = json!("machine-c");
    assert_eq!(s.upload(&up, &twin).0, 201);
    assert_eq!(s.call("GET", "/v1/hosts/bravo", Some(&read), &[], None).0, 409, "two hosts named bravo");

    // AI agents: Cursor's github server holds the MCP token on one host; the scope-less MCP finding has no tool.
    let agents = s.get("/v1/agents", &read);
    let cursor = agents["groups"].as_array().unwrap().iter().find(|g| g["tool"] == "cursor").unwrap().clone();
    assert_eq!((cursor["client"].as_str(), cursor["server"].as_str()), (Some("Cursor"), Some("github")));
    assert_eq!((cursor["credentials"].as_i64(), cursor["hosts"].as_i64()), (Some(1), Some(1)));
    assert_eq!(cursor["secrets"][0]["fingerprint"], fp('2'));
    assert_eq!((agents["credentials"].as_i64(), agents["hosts"].as_i64()), (Some(2), Some(3)));
}
