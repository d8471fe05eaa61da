//! The HTTP API (axum on tokio): routing, authentication, body limits, gzip, and handing work to the store.
//!
//! Database calls are synchronous (see `store`), so every handler runs its database work on tokio's blocking pool
//! (`AppState::blocking`): the async workers never block on disk or on PostgreSQL. A read request authenticates and
//! answers inside one snapshot transaction; an upload authenticates first, reads the body only then, and stores it
//! in one write transaction. Domain errors become statuses in `error.rs`; the answers are the read side's typed
//! rows, serialized as they are.

use crate::error::ApiError;
use crate::query::{self, Page, Params};
use crate::state::AppState;
use crate::store::Sql;
use crate::tokens::Scope;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::io::Read as _;

/// Authenticate with `need`, then run `f`, in one read snapshot.
async fn read<T: Send + 'static>(
    st: &AppState,
    headers: &HeaderMap,
    need: Scope,
    f: impl FnOnce(&mut dyn Sql) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let token = bearer(headers)?;
    st.blocking(move |s| {
        s.read(|c| {
            authorize(c, &token, need)?;
            f(c)
        })
    })
    .await
}

/// The token of an `Authorization: Bearer` header; 401 when there is none.
fn bearer(headers: &HeaderMap) -> Result<String, ApiError> {
    let unauthorized = |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, m);
    let value = headers.get(header::AUTHORIZATION).ok_or_else(|| unauthorized("missing bearer token"))?;
    Ok(value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .ok_or_else(|| unauthorized("Authorization must be \"Bearer <token>\""))?
        .to_owned())
}

/// 401 for an unknown or revoked token; 403 for a valid token of the wrong scope.
fn authorize(c: &mut dyn Sql, token: &str, need: Scope) -> Result<(), ApiError> {
    match crate::tokens::check(c, token)? {
        None => Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid or revoked token")),
        Some((_, s)) if s == need => Ok(()),
        Some((_, s)) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            format!("this endpoint needs {} token, not {} token", need.with_article(), s.with_article()),
        )),
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/health", get(|| async { Json(serde_json::json!({ "status": "ok" })) }))
        .route("/v1/reports", post(upload))
        .route("/v1/credentials", get(credentials))
        .route("/v1/credentials/{fingerprint}", get(credential))
        .route("/v1/hosts", get(hosts))
        .route("/v1/hosts/{id}", get(host))
        .route("/v1/summary", get(summary))
        .route("/v1/shared", get(shared))
        .route("/v1/agents", get(agents))
        .route("/v1/export/credentials.csv", get(export_csv))
        .route("/v1/export/credentials.json", get(export_json))
        .merge(crate::web::routes())
        .fallback(|| async { ApiError::not_found("no such endpoint") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed on this endpoint")
        })
        .layer(axum::middleware::map_response(nosniff))
        .with_state(state)
}

/// Every answer, JSON included, says `X-Content-Type-Options: nosniff`: a browser must never guess a type for an
/// answer that carries report content (hostnames, paths) and render it as HTML.
async fn nosniff(mut response: Response) -> Response {
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// Read the body up to `limit` bytes (413 beyond), then gunzip it if the client said so — the decompressed size is
/// held to the same limit, so a small gzip bomb cannot exhaust memory.
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::too_large(limit));
    }
    let raw = axum::body::to_bytes(body, limit).await.map_err(|e| {
        let mut src: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(s) = src {
            if s.to_string().contains("length limit exceeded") {
                return ApiError::too_large(limit);
            }
            src = s.source();
        }
        ApiError::bad_request(format!("cannot read request body: {e}"))
    })?;
    let encoding = headers.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap_or("?").trim().to_ascii_lowercase());
    match encoding.as_deref() {
        None | Some("identity") => Ok(raw.to_vec()),
        Some("gzip") | Some("x-gzip") => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&raw[..])
                .take(limit as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|e| ApiError::bad_request(format!("invalid gzip body: {e}")))?;
            if out.len() > limit {
                return Err(ApiError::too_large(limit));
            }
            Ok(out)
        }
        Some(other) => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("unsupported Content-Encoding {other:?} (gzip or none)"),
        )),
    }
}

async fn upload(State(st): State<AppState>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    read(&st, &headers, Scope::Upload, |_| Ok(())).await?;
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => {
            let k = v.to_str().map_err(|_| ApiError::bad_request("Idempotency-Key must be visible ASCII"))?.trim();
            if k.is_empty() || k.len() > 255 {
                return Err(ApiError::bad_request("Idempotency-Key must be 1 to 255 characters"));
            }
            Some(k.to_owned())
        }
    };
    let bytes = read_body(&headers, body, st.settings.max_body).await?;
    let outcome = st.blocking(move |s| Ok(crate::ingest::ingest(s, &bytes, key.as_deref())?)).await?;
    // A resend of a stored report changes nothing: 200, not 201.
    let status = if outcome.duplicate { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(outcome)).into_response())
}

async fn credentials(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<query::CredentialPage>, ApiError> {
    let params = Params::parse(q.as_deref());
    read(&st, &headers, Scope::Read, move |c| Ok(query::credentials(c, &params)?)).await.map(Json)
}

async fn credential(
    State(st): State<AppState>,
    headers: HeaderMap,
    fp: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Result<Json<query::CredentialDetail>, ApiError> {
    let Path(fp) = fp?;
    let page = Page::parse(q.as_deref())?;
    read(&st, &headers, Scope::Read, move |c| Ok(query::credential(c, &fp, page, page)?)).await.map(Json)
}

async fn hosts(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<query::HostPage>, ApiError> {
    let params = Params::parse(q.as_deref());
    read(&st, &headers, Scope::Read, move |c| Ok(query::hosts(c, &params)?)).await.map(Json)
}

async fn host(
    State(st): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Result<Json<query::HostDetail>, ApiError> {
    let Path(id) = id?;
    let page = Page::parse(q.as_deref())?;
    read(&st, &headers, Scope::Read, move |c| Ok(query::host(c, &id, page, page)?)).await.map(Json)
}

async fn summary(State(st): State<AppState>, headers: HeaderMap) -> Result<Json<query::Summary>, ApiError> {
    read(&st, &headers, Scope::Read, |c| Ok(query::summary(c)?)).await.map(Json)
}

/// `GET /v1/shared?limit=N`: the credentials on the most hosts (at least two), each with up to 10 hosts named.
async fn shared(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<Vec<query::CredentialSummary>>, ApiError> {
    let page = Page::parse(q.as_deref())?;
    let limit = page.limit.min(100);
    read(&st, &headers, Scope::Read, move |c| Ok(query::shared(c, limit, 10)?)).await.map(Json)
}

async fn agents(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Json<query::Agents>, ApiError> {
    let page = Page::parse(q.as_deref())?;
    read(&st, &headers, Scope::Read, move |c| Ok(query::agents(c, page)?)).await.map(Json)
}

async fn export_csv(State(st): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    export(st, headers, q, crate::export::Format::Csv).await
}

async fn export_json(State(st): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    export(st, headers, q, crate::export::Format::Json).await
}

/// The filtered credential list, whole, streamed: authenticated first, then read in one snapshot of its own.
async fn export(st: AppState, headers: HeaderMap, q: Option<String>, format: crate::export::Format) -> Response {
    let filter = match crate::export::filter(q.as_deref()) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = read(&st, &headers, Scope::Read, |_| Ok(())).await {
        return e.into_response();
    }
    crate::export::stream(&st, filter, format)
}
