//! The read-only web page at `/`: three static files embedded in the binary, no build step, no framework.
//!
//! The page holds no data of its own: it asks for a read token and calls the same `/v1` API as curl would, so the
//! API's authentication is the page's authentication. Paths and names in reports come from endpoints and are
//! untrusted, so the script builds the DOM with `textContent` only, and a strict Content-Security-Policy (no inline
//! script, same-origin fetches only) backs that up.

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

const INDEX: &str = include_str!("../web/index.html");
const SCRIPT: &str = include_str!("../web/app.js");
const STYLE: &str = include_str!("../web/app.css");

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; \
                   base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::X_FRAME_OPTIONS, "DENY"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
}

/// Routes for the page; merged into the API router. No token is needed to load the page itself.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(|| async { asset("text/html; charset=utf-8", INDEX) }))
        .route("/app.js", get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }))
        .route("/app.css", get(|| async { asset("text/css; charset=utf-8", STYLE) }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn script_never_writes_html() {
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("] {
            assert!(!super::SCRIPT.contains(sink), "app.js uses {sink}");
        }
        assert!(!super::INDEX.contains("<script>"), "no inline script (the CSP forbids it)");
    }
}
