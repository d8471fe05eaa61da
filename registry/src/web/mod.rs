//! The web page at `/`: server-rendered HTML, no script, one stylesheet embedded in the binary.
//!
//! Without a session the page is a login form: it takes a read token (POST, form-urlencoded), trades it for a
//! session (see `session.rs` for why the cookie never holds the token) and redirects to `/`. With a session it shows
//! the fleet summary, the most widely shared credentials, and the hosts with their current inventories; each host
//! and credential has its own page (`/hosts/{id}`, `/credentials/{fingerprint}`). A bearer read token in
//! `Authorization` also opens the pages, for scripts.
//!
//! Everything a report contains (hostnames, paths, users, rule names, tags) comes from endpoints and is untrusted:
//! every value is escaped on its way into the HTML (`render`), and the Content-Security-Policy allows no script at
//! all, so even a missed escape could not run code. Forms post only to this origin (`form-action 'self'`), and
//! login and logout refuse a request whose `Origin` is another site.

mod render;
mod views;

use crate::error::ApiError;
use crate::query::filter::{Filter, NAMES};
use crate::query::{self, Page, Params};
use crate::session;
use crate::state::AppState;
use crate::store::Sql;
use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use std::collections::BTreeMap;

const STYLE: &str = include_str!("../../web/app.css");

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; \
                   frame-ancestors 'none'";

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

fn login_page(status: StatusCode, error: Option<&str>) -> Response {
    html(status, render::layout("Sign in", false, &render::login_form(error)))
}

fn error_page(e: ApiError, signed_in: bool) -> Response {
    html(e.status, render::layout("Error", signed_in, &render::error(&e.status.to_string(), &e.message)))
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
        Ok(Some((title, main))) => html(StatusCode::OK, render::layout(&title, true, &main)),
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
        .route("/credentials", get(credentials_page))
        .route("/credentials/{fingerprint}", get(credential_page))
        .route("/standing", get(standing_page))
        .route("/agents", get(agents_page))
        .route("/export/credentials.csv", get(|st, h, q| export(st, h, q, crate::export::Format::Csv)))
        .route("/export/credentials.json", get(|st, h, q| export(st, h, q, crate::export::Format::Json)))
        .route("/app.css", get(|| async { style() }))
}

fn style() -> Response {
    let mut r = html(StatusCode::OK, STYLE.to_owned());
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// The offset a page's query gives for one of its lists (`?hosts=25`, `?findings=100`); 0 when absent.
fn offset(query: Option<&str>, name: &str) -> Result<u32, ApiError> {
    let value = query.unwrap_or("").split('&').find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='));
    value.map_or(Ok(0), |v| {
        v.parse().map_err(|_| ApiError::bad_request(format!("{name}= takes a number (the first row to show)")))
    })
}

async fn index(State(st): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let offset = match offset(q.as_deref(), "hosts") {
        Ok(n) => n,
        Err(e) => return error_page(e, false),
    };
    let search = Params::parse(q.as_deref()).get("q").filter(|q| !q.is_empty()).map(str::to_owned);
    let resp = page(st, headers, move |c| dashboard(c, offset, search)).await;
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

async fn host_page(
    State(st): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Response {
    let (id, findings, reports) = match (id, offset(q.as_deref(), "findings"), offset(q.as_deref(), "reports")) {
        (Ok(Path(id)), Ok(f), Ok(r)) => (id, f, r),
        (Err(e), ..) => return error_page(e.into(), false),
        (_, Err(e), _) | (.., Err(e)) => return error_page(e, false),
    };
    page(st, headers, move |c| {
        let pages = (
            Page { limit: render::FINDINGS_PER_PAGE, offset: findings },
            Page { limit: render::REPORTS_PER_PAGE, offset: reports },
        );
        let h = query::host(c, &id, pages.0, pages.1)?;
        Ok((format!("Host {}", h.host.hostname), render::host(&h, findings, reports)))
    })
    .await
}

async fn credential_page(
    State(st): State<AppState>,
    headers: HeaderMap,
    fp: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Response {
    let (fp, current, sightings) = match (fp, offset(q.as_deref(), "current"), offset(q.as_deref(), "sightings")) {
        (Ok(Path(fp)), Ok(c), Ok(n)) => (fp, c, n),
        (Err(e), ..) => return error_page(e.into(), false),
        (_, Err(e), _) | (.., Err(e)) => return error_page(e, false),
    };
    page(st, headers, move |c| {
        let per = render::SIGHTINGS_PER_PAGE;
        let pages = (Page { limit: per, offset: current }, Page { limit: per, offset: sightings });
        let v = query::credential(c, &fp, pages.0, pages.1)?;
        Ok((format!("Credential {}", v.summary.fingerprint), render::credential(&v, current, sightings)))
    })
    .await
}

/// One page of a credential list: the filter's parameters plus a fixed page length.
fn list_page(filter: &Filter, offset: u32) -> Params {
    let q = filter.query_string();
    let sep = if q.is_empty() { "" } else { "&" };
    Params::parse(Some(&format!("{q}{sep}limit={}&offset={offset}", views::CREDENTIALS_PER_PAGE)))
}

async fn credentials_page(State(st): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let params = Params::parse(q.as_deref());
    let mut known = NAMES.to_vec();
    known.push("offset");
    let parsed =
        params.refuse_others(&known).and_then(|_| Ok((Filter::parse(&params)?, offset(q.as_deref(), "offset"))));
    let (filter, offset) = match parsed {
        Ok((f, Ok(o))) => (f, o),
        Ok((_, Err(e))) => return error_page(e, false),
        Err(e) => return error_page(e.into(), false),
    };
    page(st, headers, move |c| {
        let list = query::credentials(c, &list_page(&filter, offset))?;
        Ok(("Credentials".to_owned(), views::credentials(&filter, &list)))
    })
    .await
}

async fn standing_page(State(st): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let offset = match offset(q.as_deref(), "offset") {
        Ok(n) => n,
        Err(e) => return error_page(e, false),
    };
    page(st, headers, move |c| {
        let filter = Filter { sort: Some(query::filter::Sort::Age), ..Filter::default() };
        let list = query::credentials(c, &list_page(&filter, offset))?;
        Ok(("Standing credentials".to_owned(), views::standing(&list)))
    })
    .await
}

async fn agents_page(State(st): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let offset = match offset(q.as_deref(), "offset") {
        Ok(n) => n,
        Err(e) => return error_page(e, false),
    };
    page(st, headers, move |c| {
        let a = query::agents(c, Page { limit: views::AGENT_GROUPS_PER_PAGE, offset })?;
        Ok(("AI agents".to_owned(), views::agents(&a)))
    })
    .await
}

/// The page's export links: the filtered list, whole, for a signed-in user (a session, or a bearer read token).
async fn export(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    format: crate::export::Format,
) -> Response {
    let filter = match crate::export::filter(q.as_deref()) {
        Ok(f) => f,
        Err(e) => return error_page(e, false),
    };
    let allowed = st.blocking(move |s| s.read(|c| signed_in(c, &headers))).await;
    match allowed {
        Ok(true) => crate::export::stream(&st, filter, format),
        Ok(false) => login_page(StatusCode::UNAUTHORIZED, None),
        Err(e) => error_page(e, false),
    }
}

fn dashboard(c: &mut dyn Sql, offset: u32, search: Option<String>) -> Result<(String, String), ApiError> {
    let summary = query::summary(c)?;
    let shared = query::shared(c, render::SHARED_ROWS, render::SHARED_HOSTS_NAMED)?;
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("limit", &render::HOSTS_PER_PAGE.to_string()).append_pair("offset", &offset.to_string());
    if let Some(s) = &search {
        q.append_pair("q", s);
    }
    let found = query::hosts(c, &Params::parse(Some(&q.finish())))?;
    // The worst few current findings of each host; the host page has the rest.
    let mut inventories = BTreeMap::new();
    for h in &found.hosts {
        let (top, _) = query::inventory(c, h.id, Page { limit: render::INVENTORY_ROWS, offset: 0 })?;
        inventories.insert(h.id, top);
    }
    let page = render::Dashboard {
        summary,
        shared,
        hosts_total: found.page.total,
        hosts: found.hosts,
        inventories,
        offset,
        search,
    };
    Ok(("Fleet".to_owned(), render::dashboard(&page)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

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
}
