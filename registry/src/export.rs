//! The filtered credential list, whole, as CSV or JSON (`/v1/export/credentials.{csv,json}` and the page's
//! `/export/credentials.{csv,json}`): streamed from one read snapshot, a chunk at a time, so memory does not grow
//! with the fleet. The rows are the list's (`query::credentials`), in the filter's order.
//!
//! CSV cells that a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return) get a leading `'`: paths and redacted forms come from endpoints and are untrusted (OWASP, "CSV
//! injection"). A database error after the first chunk ends the body early (the client sees a cut download); it is
//! logged.

use crate::error::ApiError;
use crate::query::filter::{Filter, NAMES};
use crate::query::{CredentialSummary, Params};
use crate::state::AppState;
use crate::store::StoreError;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::pin::Pin;
use std::task::{Context, Poll};

/// Bytes per chunk sent to the client.
const CHUNK: usize = 64 << 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// The filter of an export request (the list's parameters, no paging).
pub fn filter(query: Option<&str>) -> Result<Filter, ApiError> {
    let params = Params::parse(query);
    params.refuse_others(NAMES)?;
    Ok(Filter::parse(&params)?)
}

/// The CSV columns, in order.
const COLUMNS: &[&str] = &[
    "fingerprint",
    "severity",
    "kind",
    "rule",
    "rules",
    "redacted",
    "identifier",
    "hosts",
    "locations",
    "risks",
    "first_seen",
    "last_seen",
    "known_since",
    "oldest_file_modified",
    "issued_at",
    "expires_at",
];

/// A cell as a spreadsheet will not evaluate it.
fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn csv_row(c: &CredentialSummary) -> Vec<String> {
    let opt = |o: &Option<String>| o.as_deref().map(cell).unwrap_or_default();
    let exposure = c.worst_exposure.as_ref();
    vec![
        cell(&c.fingerprint),
        exposure.map_or("", |e| e.severity).to_owned(),
        cell(&c.kind),
        cell(&c.rule),
        cell(&c.rules.join(" ")),
        cell(&c.redacted),
        opt(&c.identifier),
        c.hosts.to_string(),
        c.locations.to_string(),
        exposure.map(|e| e.risks.join(" ")).unwrap_or_default(),
        cell(&c.first_seen),
        cell(&c.last_seen),
        cell(&c.known_since),
        opt(&c.oldest_file_modified),
        opt(&c.issued_at),
        opt(&c.expires_at),
    ]
}

/// The chunks of a body, as they come from the exporting thread.
struct Chunks(tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// Writes rows into a buffer and sends it on whenever it is full.
struct Sender {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

impl Sender {
    fn flush(&mut self, force: bool) -> Result<(), StoreError> {
        if self.buf.len() >= CHUNK || (force && !self.buf.is_empty()) {
            let chunk = Bytes::from(std::mem::take(&mut self.buf));
            // The client went away: stop reading.
            self.tx.blocking_send(Ok(chunk)).map_err(|_| StoreError::msg("export: the client went away"))?;
        }
        Ok(())
    }
}

/// The response: headers now, the body as the rows are read (on the blocking pool, in one read transaction).
pub fn stream(st: &AppState, filter: Filter, format: Format) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let store = st.store.clone();
    tokio::task::spawn_blocking(move || {
        let mut out = Sender { tx: tx.clone(), buf: Vec::with_capacity(CHUNK) };
        let result: Result<(), crate::query::QueryError> = store.read(|c| write(c, &filter, format, &mut out));
        if let Err(e) = result {
            eprintln!("credsweep-registry: export stopped: {e:?}");
            let _ = tx.blocking_send(Err(std::io::Error::other("export stopped")));
        }
    });
    let (kind, name) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "attachment; filename=\"credsweep-credentials.csv\""),
        Format::Json => ("application/json", "attachment; filename=\"credsweep-credentials.json\""),
    };
    let mut r = (StatusCode::OK, Body::from_stream(Chunks(rx))).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(name));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// One CSV record, quoted as RFC 4180 says, appended to `buf`.
fn csv_line<T: AsRef<[u8]>>(buf: &mut Vec<u8>, record: &[T]) -> Result<(), StoreError> {
    let mut w = csv::Writer::from_writer(buf);
    w.write_record(record).and_then(|_| Ok(w.flush()?)).map_err(|e| StoreError::msg(format!("export: {e}")))
}

/// The whole document, row by row.
fn write(
    c: &mut dyn crate::store::Sql,
    filter: &Filter,
    format: Format,
    out: &mut Sender,
) -> Result<(), crate::query::QueryError> {
    match format {
        Format::Csv => {
            csv_line(&mut out.buf, COLUMNS)?;
            crate::query::export(c, filter, &mut |cred| {
                csv_line(&mut out.buf, &csv_row(&cred))?;
                out.flush(false)
            })?;
        }
        Format::Json => {
            out.buf.push(b'[');
            let mut first = true;
            crate::query::export(c, filter, &mut |cred| {
                if !std::mem::take(&mut first) {
                    out.buf.push(b',');
                }
                out.buf.push(b'\n');
                serde_json::to_writer(&mut out.buf, &cred).map_err(|e| StoreError::msg(format!("export: {e}")))?;
                out.flush(false)
            })?;
            out.buf.extend_from_slice(b"\n]\n");
        }
    }
    Ok(out.flush(true)?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_cells_are_quoted() {
        assert_eq!(super::cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(super::cell("-----BEGIN"), "'-----BEGIN");
        assert_eq!(super::cell("/home/a/.env"), "/home/a/.env");
    }
}
