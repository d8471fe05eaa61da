//! The web page at `/`: server-rendered HTML, no script, one stylesheet embedded in the binary.
//!
//! Without a session the page is a login form: it takes a read token (POST, form-urlencoded), trades it for a
//! session (see `session.rs` for why the cookie never holds the token) and redirects to `/`. With a session it shows
//! the fleet summary, the most widely shared credentials, and the hosts with their current inventories; each host
//! and credential has its own page (`/hosts/{id}`, `/credentials/{fingerprint}`). A bearer read token in
//! `Authorization` also opens the pages, for scripts.
//!
//! Everything a report contains (hostnames, paths, users, rule names, tags) comes from endpoints and is untrusted:
//! every value goes through [`esc`] on its way into the HTML, and the Content-Security-Policy allows no script at
//! all, so even a missed escape could not run code. Forms post only to this origin (`form-action 'self'`), and
//! login and logout refuse a request whose `Origin` is another site.

use crate::error::ApiError;
use crate::http::AppState;
use crate::query::{self, Page};
use crate::session;
use crate::store::Sql;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde_json::Value;
use std::fmt::Write as _;

const STYLE: &str = include_str!("../web/app.css");

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; \
                   frame-ancestors 'none'";

/// Hosts per page of the hosts list (each with its inventory).
const HOSTS_PER_PAGE: u32 = 25;
/// Rows of the "most widely shared" table.
const SHARED_ROWS: u32 = 20;

/// Escape for HTML text and double-quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A JSON value as escaped text: strings bare, null empty, anything else as JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => esc(s),
        Value::Null => String::new(),
        other => esc(&other.to_string()),
    }
}

/// A list of strings (risk labels, rules) as escaped, comma-separated text.
fn list(v: &Value) -> String {
    v.as_array().map(|a| a.iter().map(text).collect::<Vec<_>>().join(", ")).unwrap_or_default()
}

fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    for (k, v) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Not `no-referrer`: with it, browsers send `Origin: null` on the page's own form posts, and the origin
        // check of login and logout could not tell them from a cross-site post.
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        h.insert(k, HeaderValue::from_static(v));
    }
    r
}

/// The frame of every page; `signed_in` adds the navigation and the logout button.
fn layout(title: &str, signed_in: bool, main: &str) -> String {
    let nav = if signed_in {
        r#"<nav><a href="/">Fleet</a><form method="post" action="/logout"><button type="submit">Log out</button></form></nav>"#
    } else {
        ""
    };
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — credsweep registry</title>\n<link rel=\"stylesheet\" href=\"/app.css\">\n</head>\n<body>\n\
         <header><h1>credsweep registry</h1>{nav}</header>\n<main>\n{main}</main>\n</body>\n</html>\n",
        esc(title)
    )
}

fn login_page(status: StatusCode, error: Option<&str>) -> Response {
    let error = error.map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>\n", esc(e))).unwrap_or_default();
    let main = format!(
        "<h2>Sign in</h2>\n{error}<form method=\"post\" action=\"/login\" class=\"login\">\n\
         <label for=\"token\">Read token</label>\n\
         <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" spellcheck=\"false\" \
         placeholder=\"csr_…\" required>\n<button type=\"submit\">Sign in</button>\n</form>\n\
         <p>Create one with <code>credsweep-registry token create --name NAME --scope read</code>. \
         The page keeps a session cookie, never the token.</p>\n"
    );
    html(status, layout("Sign in", false, &main))
}

fn error_page(e: ApiError, signed_in: bool) -> Response {
    let main =
        format!("<h2>{}</h2>\n<p>{}</p>\n<p><a href=\"/\">Back to the fleet</a></p>\n", e.status, esc(&e.message));
    html(e.status, layout("Error", signed_in, &main))
}

/// Signed in: a live session cookie, or a bearer read token.
fn signed_in(c: &mut dyn Sql, headers: &HeaderMap) -> Result<bool, ApiError> {
    if let Some(id) = cookie(headers) {
        if session::check(c, &id)? {
            return Ok(true);
        }
    }
    let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()?.strip_prefix("Bearer "));
    match bearer {
        Some(t) => Ok(matches!(crate::tokens::check(c, t.trim())?, Some((_, crate::tokens::Scope::Read)))),
        None => Ok(false),
    }
}

fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| session::from_cookie_header(h).map(str::to_owned))
}

/// Render a page for a signed-in user, or the login form (401) for anyone else.
async fn page(
    st: AppState,
    headers: HeaderMap,
    render: impl FnOnce(&mut dyn Sql) -> Result<(String, String), ApiError> + Send + 'static,
) -> Response {
    let result = st
        .blocking(move |s| {
            s.read(|c| {
                if !signed_in(c, &headers)? {
                    return Ok(None);
                }
                render(c).map(Some)
            })
        })
        .await;
    match result {
        Ok(Some((title, main))) => html(StatusCode::OK, layout(&title, true, &main)),
        // `/` answers 200 with the form (it is the front door); any other page needs a session.
        Ok(None) => login_page(StatusCode::UNAUTHORIZED, None),
        Err(e) => error_page(e, true),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/hosts/{id}", get(host_page))
        .route("/credentials/{fingerprint}", get(credential_page))
        .route("/app.css", get(|| async { style() }))
}

fn style() -> Response {
    let mut r = html(StatusCode::OK, STYLE.to_owned());
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

async fn index(State(st): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let offset = match q.as_deref().unwrap_or("").split('&').find_map(|kv| kv.strip_prefix("hosts=")) {
        None => 0,
        Some(v) => match v.parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                return error_page(ApiError::bad_request("hosts= takes a number (the first host to show)"), false)
            }
        },
    };
    let resp = page(st, headers, move |c| dashboard(c, offset)).await;
    if resp.status() == StatusCode::UNAUTHORIZED {
        return login_page(StatusCode::OK, None);
    }
    resp
}

#[derive(serde::Deserialize)]
struct LoginForm {
    #[serde(default)]
    token: String,
}

/// Login and logout change state: refuse them from another site's page (`SameSite=Strict` already keeps the
/// cookie off such requests; this also stops a cross-site login).
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let origin = origin.to_str().unwrap_or("");
    let origin_host = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    origin_host.is_some_and(|o| !host.is_empty() && o.eq_ignore_ascii_case(host))
}

fn secure(st: &AppState, headers: &HeaderMap) -> bool {
    st.settings.secure_cookies
        || headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

fn redirect_home(set_cookie: String) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    r.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/"));
    if let Ok(v) = HeaderValue::from_str(&set_cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn login(
    State(st): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    if !same_origin(&headers) {
        return error_page(ApiError::new(StatusCode::FORBIDDEN, "login from another site refused"), false);
    }
    let token = form.map(|f| f.0.token).unwrap_or_default();
    if token.trim().is_empty() {
        return login_page(StatusCode::UNAUTHORIZED, Some("Enter a read token."));
    }
    let secure = secure(&st, &headers);
    match st.blocking(move |s| s.write(|c| Ok(session::login(c, &token)?))).await {
        Ok(Ok(id)) => redirect_home(session::set_cookie(&id, secure)),
        Ok(Err(session::Refused::Invalid)) => {
            login_page(StatusCode::UNAUTHORIZED, Some("That token is not valid (unknown, mistyped or revoked)."))
        }
        Ok(Err(session::Refused::WrongScope)) => login_page(
            StatusCode::UNAUTHORIZED,
            Some("That is an upload token; the page needs a read token (--scope read)."),
        ),
        Err(e) => error_page(e, false),
    }
}

async fn logout(State(st): State<AppState>, headers: HeaderMap) -> Response {
    if !same_origin(&headers) {
        return error_page(ApiError::new(StatusCode::FORBIDDEN, "logout from another site refused"), false);
    }
    let secure = secure(&st, &headers);
    if let Some(id) = cookie(&headers) {
        if let Err(e) = st.blocking(move |s| s.write(|c| Ok(session::logout(c, &id)?))).await {
            return error_page(e, false);
        }
    }
    redirect_home(session::clear_cookie(secure))
}

async fn host_page(State(st): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    page(st, headers, move |c| {
        let h = query::host(c, &id)?;
        Ok((format!("Host {}", h["hostname"].as_str().unwrap_or("")), render_host(&h)))
    })
    .await
}

async fn credential_page(State(st): State<AppState>, headers: HeaderMap, Path(fp): Path<String>) -> Response {
    page(st, headers, move |c| {
        let v = query::credential(c, &fp)?;
        Ok((format!("Credential {}", v["fingerprint"].as_str().unwrap_or("")), render_credential(&v)))
    })
    .await
}

/// A table from headings and rows of already-escaped cells.
fn table(class: &str, heads: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = format!("<table class=\"{class}\">\n<thead><tr>");
    for h in heads {
        let _ = write!(out, "<th>{h}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn severity_cell(v: &Value) -> String {
    let s = text(v);
    format!("<span class=\"sev {s}\">{s}</span>")
}

/// A link to a credential's page, shown as its scheme (`sha256:`, `hmac-sha256:`) and the first 12 hex digits (the
/// whole fingerprint is in the link and its title).
fn credential_link(fp: &Value) -> String {
    let full = fp.as_str().unwrap_or("");
    let (scheme, hex) = full.rsplit_once(':').map_or(("", full), |(s, h)| (s, h));
    let short = format!("{scheme}:{}", hex.chars().take(12).collect::<String>());
    let (full, short) = (esc(full), esc(&short));
    format!("<a href=\"/credentials/{full}\" title=\"{full}\"><code>{short}…</code></a>")
}

fn host_link(id: &Value, name: &Value) -> String {
    format!("<a href=\"/hosts/{}\">{}</a>", text(id), text(name))
}

fn dashboard(c: &mut dyn Sql, offset: u32) -> Result<(String, String), ApiError> {
    let sum = query::summary(c)?;
    let shared = query::shared(c, SHARED_ROWS)?;
    let hosts = query::hosts(c, Page { limit: HOSTS_PER_PAGE, offset })?;
    let hosts = hosts["hosts"].as_array().cloned().unwrap_or_default();
    let latest: Vec<i64> = hosts.iter().filter_map(|h| h["latest_report_id"].as_i64()).collect();
    let inventories = query::inventories(c, &latest)?;

    let mut m = String::from("<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"cards\">\n");
    for (key, label) in [
        ("hosts", "Hosts"),
        ("reports", "Reports"),
        ("credentials", "Credentials"),
        ("findings", "Findings"),
        ("unencrypted_private_keys", "Unencrypted private keys"),
        ("mcp_secrets", "MCP secrets"),
        ("on_multiple_hosts", "On multiple hosts"),
    ] {
        let _ = writeln!(m, "<div id=\"count-{key}\"><dt>{label}</dt><dd>{}</dd></div>", text(&sum[key]));
    }
    m.push_str("</dl>\n");
    let counts = |v: &Value| -> Vec<Vec<String>> {
        v.as_object().map(|o| o.iter().map(|(k, n)| vec![esc(k), text(n)]).collect()).unwrap_or_default()
    };
    m.push_str("<div class=\"split\">\n<div>\n<h3>Credentials by severity</h3>\n");
    m.push_str(&table("counts", &["Severity", "Credentials"], counts(&sum["by_severity"])));
    m.push_str("</div>\n<div>\n<h3>Credentials by kind</h3>\n");
    m.push_str(&table("counts", &["Kind", "Credentials"], counts(&sum["by_kind"])));
    m.push_str("</div>\n</div>\n</section>\n");

    m.push_str("<section id=\"shared\">\n<h2>Most widely shared credentials</h2>\n");
    if shared.is_empty() {
        m.push_str("<p>No credential is on more than one host.</p>\n");
    } else {
        m.push_str(&table(
            "credentials",
            &["Hosts", "Locations", "Severity", "Rule", "Kind", "Redacted", "Identifier", "Last seen", "Fingerprint"],
            shared.iter().map(|v| {
                vec![
                    text(&v["hosts"]),
                    text(&v["locations"]),
                    severity_cell(&v["worst_exposure"]["severity"]),
                    text(&v["rule"]),
                    text(&v["kind"]),
                    format!("<code>{}</code>", text(&v["redacted"])),
                    text(&v["identifier"]),
                    text(&v["last_seen"]),
                    credential_link(&v["fingerprint"]),
                ]
            }),
        ));
    }
    m.push_str("</section>\n");

    let total = sum["hosts"].as_i64().unwrap_or(0);
    let _ = writeln!(m, "<section id=\"hosts\">\n<h2>Hosts</h2>");
    if hosts.is_empty() {
        m.push_str("<p>No host has reported yet.</p>\n");
    } else {
        let _ = writeln!(m, "<p>Hosts {}–{} of {total}, by name.</p>", offset + 1, offset as usize + hosts.len());
    }
    for h in &hosts {
        let inventory = h["latest_report_id"].as_i64().and_then(|r| inventories.get(&r)).cloned().unwrap_or_default();
        let _ = writeln!(
            m,
            "<details class=\"host\" id=\"host-{id}\">\n<summary><strong>{name}</strong> — {os} · last scan {last} · \
             {findings} findings, {creds} credentials</summary>\n<p><a href=\"/hosts/{id}\">Host page and scan \
             history</a></p>",
            id = text(&h["id"]),
            name = text(&h["hostname"]),
            os = if h["os_version"].is_string() { text(&h["os_version"]) } else { text(&h["os"]) },
            last = text(&h["last_seen"]),
            findings = text(&h["findings"]),
            creds = text(&h["credentials"]),
        );
        m.push_str(&inventory_table(&inventory));
        m.push_str("</details>\n");
    }
    let mut pager = Vec::new();
    if offset > 0 {
        pager.push(format!("<a href=\"/?hosts={}\">Previous hosts</a>", offset.saturating_sub(HOSTS_PER_PAGE)));
    }
    if i64::from(offset) + (hosts.len() as i64) < total {
        pager.push(format!("<a href=\"/?hosts={}\">Next hosts</a>", offset + HOSTS_PER_PAGE));
    }
    if !pager.is_empty() {
        let _ = writeln!(m, "<p class=\"pager\">{}</p>", pager.join(" · "));
    }
    m.push_str("</section>\n");
    Ok(("Fleet".to_owned(), m))
}

fn inventory_table(findings: &[Value]) -> String {
    if findings.is_empty() {
        return "<p>No findings in the latest scan.</p>\n".to_owned();
    }
    table(
        "inventory",
        &["Severity", "Rule", "Kind", "Path", "Line", "User", "Tool", "Redacted", "Identifier", "Risks", "Credential"],
        findings.iter().map(|f| {
            let kind = match f["key_encrypted"].as_bool() {
                Some(true) => format!("{} (encrypted)", text(&f["kind"])),
                Some(false) => format!("{} (unencrypted)", text(&f["kind"])),
                None => text(&f["kind"]),
            };
            vec![
                severity_cell(&f["severity"]),
                text(&f["rule"]),
                kind,
                format!("<code>{}</code>", text(&f["path"])),
                text(&f["line"]),
                text(&f["user"]),
                text(&f["tool"]),
                format!("<code>{}</code>", text(&f["redacted"])),
                text(&f["identifier"]),
                list(&f["risks"]),
                credential_link(&f["fingerprint"]),
            ]
        }),
    )
}

fn render_host(h: &Value) -> String {
    let mut m = format!("<h2>Host {}</h2>\n<dl class=\"facts\">\n", text(&h["hostname"]));
    for (key, label) in [
        ("host_key", "Host key"),
        ("machine_id", "Machine id"),
        ("os", "OS"),
        ("os_version", "OS version"),
        ("arch", "Architecture"),
        ("first_seen", "First scan"),
        ("last_seen", "Last scan"),
        ("findings", "Current findings"),
        ("credentials", "Current credentials"),
        ("reports", "Reports"),
    ] {
        let _ = writeln!(m, "<dt>{label}</dt><dd>{}</dd>", text(&h[key]));
    }
    m.push_str("</dl>\n<h3>Current inventory</h3>\n");
    m.push_str(&inventory_table(h["current_findings"].as_array().map_or(&[], Vec::as_slice)));
    m.push_str("<h3>Scan history</h3>\n");
    m.push_str(&table(
        "history",
        &["Finished", "Received", "User", "Scanner", "Complete", "Findings", "Tags", "Current"],
        h["history"].as_array().into_iter().flatten().map(|r| {
            vec![
                text(&r["finished_at"]),
                text(&r["received_at"]),
                text(&r["user"]),
                text(&r["scanner_version"]),
                text(&r["complete"]),
                text(&r["findings"]),
                r["tags"]
                    .as_object()
                    .map(|o| o.iter().map(|(k, v)| format!("{}={}", esc(k), text(v))).collect::<Vec<_>>().join(" "))
                    .unwrap_or_default(),
                if r["current"] == true { "current".to_owned() } else { String::new() },
            ]
        }),
    ));
    m
}

fn render_credential(v: &Value) -> String {
    let mut m = format!("<h2>Credential <code>{}</code></h2>\n<dl class=\"facts\">\n", text(&v["fingerprint"]));
    for (label, value) in [
        ("Rule", text(&v["rule"])),
        ("Every rule that matched it", list(&v["rules"])),
        ("Kind", text(&v["kind"])),
        ("Redacted", format!("<code>{}</code>", text(&v["redacted"]))),
        ("Identifier", text(&v["identifier"])),
        ("Hosts now", text(&v["hosts"])),
        ("Locations now", text(&v["locations"])),
        ("Worst severity now", severity_cell(&v["worst_exposure"]["severity"])),
        ("Risks now", list(&v["worst_exposure"]["risks"])),
        ("First seen", text(&v["first_seen"])),
        ("Last seen", text(&v["last_seen"])),
    ] {
        let _ = writeln!(m, "<dt>{label}</dt><dd>{value}</dd>");
    }
    m.push_str("</dl>\n<h3>Every sighting</h3>\n");
    m.push_str(&table(
        "history",
        &["Scanned", "Host", "User", "Path", "Line", "Rule", "Severity", "Risks", "Current"],
        v["history"].as_array().into_iter().flatten().map(|s| {
            vec![
                text(&s["scanned_at"]),
                host_link(&s["host_id"], &s["hostname"]),
                text(&s["user"]),
                format!("<code>{}</code>", text(&s["path"])),
                text(&s["line"]),
                text(&s["rule"]),
                severity_cell(&s["severity"]),
                list(&s["risks"]),
                if s["current"] == true { "current".to_owned() } else { "resolved".to_owned() },
            ]
        }),
    ));
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn escaping() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(text(&Value::String("<b>".into())), "&lt;b&gt;");
        assert_eq!(list(&serde_json::json!(["<a>", "b"])), "&lt;a&gt;, b");
    }

    #[test]
    fn origin_check() {
        let mut h = HeaderMap::new();
        assert!(same_origin(&h), "no Origin (curl, older browsers): allowed");
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8787"));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8787"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h));
    }

    #[test]
    fn pages_have_no_script() {
        let html = layout("t", true, &render_host(&serde_json::json!({"hostname": "<script>x</script>"})));
        assert!(!html.contains("<script"), "{html}");
    }
}
