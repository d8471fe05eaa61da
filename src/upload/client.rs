//! The registry's HTTP client: one blocking `POST /v1/reports` per report (ureq over rustls; no async runtime in
//! the endpoint binary), with retries and exponential backoff for what may pass (network errors, 5xx, 408, 429).
//!
//! The API it speaks is the registry's (registry/README.md): bearer token, gzip body (`Content-Encoding: gzip`),
//! `Idempotency-Key` = the report id, so a resend after a lost response is stored once.
use std::{sync::Arc, time::Duration};

use anyhow::{bail, Context, Result};
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

use crate::config::UploadConfig;

/// How a send ended, when it did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The registry could not be reached or kept failing (network, TLS, timeout, 5xx, 429): queue and try later.
    Unreachable(String),
    /// The token was refused (401/403), or the URL is not a credsweep registry (404/405): a configuration problem.
    /// The report stays queued for when it is fixed.
    Config(String),
    /// The registry refused this report for good (another 4xx): keep it aside, never resend.
    Rejected(String),
}

/// What the registry said about an accepted report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// It had this report already (a resend).
    pub duplicate: bool,
}

pub struct Client {
    agent: ureq::Agent,
    endpoint: String,
    auth: String,
    retries: u32,
    backoff: Duration,
}

/// Longest wait between attempts, whatever the backoff or a `Retry-After` says: an MDM job has a time budget.
const MAX_WAIT: Duration = Duration::from_secs(60);

impl Client {
    pub fn new(cfg: &UploadConfig) -> Result<Client> {
        let https = cfg.endpoint.starts_with("https://");
        let tls = TlsConfig::builder().root_certs(roots(cfg.ca_cert.as_deref(), https)?).build();
        let agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .timeout_global(Some(cfg.timeout))
            .timeout_connect(Some(cfg.timeout.min(Duration::from_secs(15))))
            .http_status_as_error(false)
            // A redirect would resend the token somewhere else: never follow one.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(concat!("credsweep/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        Ok(Client {
            agent,
            endpoint: cfg.endpoint.clone(),
            auth: format!("Bearer {}", cfg.token.0),
            retries: cfg.retries,
            backoff: cfg.backoff,
        })
    }

    /// Send one gzip-compressed report, retrying what may pass.
    pub fn send(&self, id: &str, gz: &[u8]) -> Result<Accepted, Failure> {
        let mut attempt = 0;
        loop {
            let (failure, retry_after) = match self.attempt(id, gz) {
                Ok(accepted) => return Ok(accepted),
                Err((f @ Failure::Unreachable(_), retry_after)) => (f, retry_after),
                Err((f, _)) => return Err(f),
            };
            if attempt >= self.retries {
                return Err(failure);
            }
            let backoff = self.backoff.saturating_mul(1 << attempt.min(16));
            std::thread::sleep(retry_after.unwrap_or(backoff).min(MAX_WAIT));
            attempt += 1;
        }
    }

    fn attempt(&self, id: &str, gz: &[u8]) -> Result<Accepted, (Failure, Option<Duration>)> {
        let response = self
            .agent
            .post(&self.endpoint)
            .header("Authorization", &self.auth)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .header("Idempotency-Key", id)
            .send(gz);
        let mut response = match response {
            Ok(r) => r,
            Err(e) => return Err((Failure::Unreachable(describe(&e)), None)),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        // Registry answers are small JSON; a proxy's error page is cut short.
        let body = response.body_mut().with_config().limit(64 * 1024).read_to_string().unwrap_or_default();
        let json: Option<serde_json::Value> = serde_json::from_str(&body).ok();
        let message = json
            .as_ref()
            .and_then(|v| v.get("error")?.as_str().map(str::to_owned))
            .unwrap_or_else(|| body.lines().next().unwrap_or("").chars().take(200).collect());
        let said = |what: &str| {
            let m = crate::sanitize::sanitize(&message);
            if m.is_empty() {
                format!("{what} (HTTP {status})")
            } else {
                format!("{what} (HTTP {status}): {m}")
            }
        };
        match status {
            200..=299 => {
                let duplicate = json.as_ref().and_then(|v| v.get("duplicate")?.as_bool()).unwrap_or(false);
                Ok(Accepted { duplicate })
            }
            401 | 403 => Err((Failure::Config(said("the registry refused the token")), None)),
            404 | 405 => Err((Failure::Config(said("not a credsweep registry endpoint")), None)),
            408 | 429 | 500..=599 => Err((Failure::Unreachable(said("the registry is unavailable")), retry_after)),
            300..=399 => Err((Failure::Config(said("the registry redirected (not followed; fix the URL)")), None)),
            _ => Err((Failure::Rejected(said("the registry rejected the report")), None)),
        }
    }
}

/// One line about a transport error (no URL query, no token: ureq's messages carry neither).
fn describe(e: &ureq::Error) -> String {
    let text = match e {
        ureq::Error::Timeout(_) => "timed out".to_owned(),
        ureq::Error::HostNotFound => "host not found".to_owned(),
        ureq::Error::ConnectionFailed => "connection failed".to_owned(),
        ureq::Error::Io(io) => format!("network error: {io}"),
        other => other.to_string(),
    };
    crate::sanitize::sanitize(&text)
}

/// Trusted roots: the system's store (what `https` means to the rest of the machine, corporate CAs included) plus
/// `--ca-cert`; Mozilla's bundled roots only when the system has none (a minimal container).
fn roots(ca_cert: Option<&std::path::Path>, https: bool) -> Result<RootCerts> {
    let mut certs: Vec<Certificate<'static>> = Vec::new();
    if let Some(path) = ca_cert {
        let pem = std::fs::read(path)
            .with_context(|| format!("--ca-cert: cannot read '{}'", path.display()))
            .map_err(|e| anyhow::anyhow!("{e:#}"))?;
        for item in ureq::tls::parse_pem(&pem) {
            match item {
                Ok(PemItem::Certificate(c)) => certs.push(c),
                Ok(_) => {}
                Err(e) => bail!("--ca-cert: '{}' is not valid PEM: {e}", path.display()),
            }
        }
        if certs.is_empty() {
            bail!("--ca-cert: no certificate in '{}'", path.display());
        }
    }
    if !https {
        return Ok(RootCerts::WebPki);
    }
    let native = rustls_native_certs::load_native_certs();
    let system: Vec<Certificate<'static>> =
        native.certs.iter().map(|c| Certificate::from_der(c.as_ref()).to_owned()).collect();
    if system.is_empty() && certs.is_empty() {
        return Ok(RootCerts::WebPki);
    }
    certs.extend(system);
    Ok(RootCerts::Specific(Arc::new(certs)))
}
