//! What every request handler shares: the store and the server's settings, and the one way handlers reach the
//! database — on tokio's blocking pool, since database calls are synchronous (see `store`).

use crate::error::ApiError;
use crate::store::Store;
use axum::http::StatusCode;

/// Server settings from the command line.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub max_body: usize,
    pub secure_cookies: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Settings,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> Self {
        AppState { store, settings }
    }

    /// Run `f` with the store on the blocking pool, so the async workers never wait on disk or on PostgreSQL.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("internal error: {e}")))?
    }
}
