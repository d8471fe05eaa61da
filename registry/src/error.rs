//! The HTTP edge's error: a status plus a message, always rendered as `{ "error": "…" }` so a client (or an operator
//! with curl) never has to guess why a request was refused.
//!
//! This is the one place where domain errors become HTTP statuses: ingestion, queries and storage return plain
//! domain values ([`IngestError`], [`QueryError`], [`StoreError`]), and the mapping below decides what each means on
//! the wire.

use crate::ingest::IngestError;
use crate::query::QueryError;
use crate::store::StoreError;
use crate::validate::Refusal;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError { status, message: message.into() }
    }
    pub fn bad_request(m: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, m)
    }
    pub fn not_found(m: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, m)
    }
    pub fn too_large(limit: usize) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, format!("request body exceeds the limit of {limit} bytes"))
    }
}

/// Database and other internal failures: logged in full on stderr, answered as a bare 500.
impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        eprintln!("credsweep-registry: database error: {e}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal database error")
    }
}

/// Not JSON at all: 400; JSON but not a report this registry stores: 422.
impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Malformed(m) => Self::bad_request(m),
            Refusal::Invalid(m) => Self::new(StatusCode::UNPROCESSABLE_ENTITY, m),
        }
    }
}

/// A reused idempotency key is a conflict (409).
impl From<IngestError> for ApiError {
    fn from(e: IngestError) -> Self {
        match e {
            IngestError::Refused(r) => r.into(),
            IngestError::KeyReused(m) => Self::new(StatusCode::CONFLICT, m),
            IngestError::Store(e) => e.into(),
        }
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::NotFound(m) => Self::not_found(m),
            QueryError::Ambiguous(m) => Self::new(StatusCode::CONFLICT, m),
            QueryError::Invalid(m) => Self::bad_request(m),
            QueryError::Store(e) => e.into(),
        }
    }
}

/// A path segment that is not valid percent-encoded UTF-8. axum's own answer would be plain text that quotes the
/// segment; no error answer echoes the request's path (it may be a pasted secret, or markup).
impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(_: axum::extract::rejection::PathRejection) -> Self {
        Self::bad_request("malformed path (not valid percent-encoded UTF-8)")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(serde_json::json!({ "error": self.message }))).into_response()
    }
}
