//! `credsweep upload` and `scan --upload` against a scripted HTTP server on loopback, which records exactly what
//! the client sent (headers, gzip body) and answers with the statuses a test lists. The real registry is driven by
//! registry/tests/upload.rs; here the client's own behaviour is pinned: spool, order, retries, rejections, refusals.
use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpListener,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::Value;

use crate::common::{findings, github_token, run_full, tree, write, Rng, Run};

const TOKEN: &str = "test-upload-token-0123456789";

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub(crate) method: String,
    pub(crate) path: String,
    headers: Vec<(String, String)>,
    /// The body, gunzipped when it came gzip-encoded.
    pub(crate) body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A loopback HTTP/1.1 server that answers the n-th request with the n-th scripted (status, body), then 201.
pub(crate) struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub(crate) fn start(script: Vec<(u16, &'static str)>) -> Server {
        Server::start_on(TcpListener::bind("127.0.0.1:0").unwrap(), script)
    }

    fn start_on(listener: TcpListener, script: Vec<(u16, &'static str)>) -> Server {
        Server::start_tls(listener, script, None)
    }

    fn start_tls(
        listener: TcpListener,
        script: Vec<(u16, &'static str)>,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> Server {
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            let mut script = script.into_iter();
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
                let (status, body) = script.next().unwrap_or((201, r#"{"duplicate":false}"#));
                let req = match &tls {
                    None => serve(stream, status, body),
                    Some(config) => {
                        let conn = rustls::ServerConnection::new(config.clone()).unwrap();
                        serve(rustls::StreamOwned::new(conn, stream), status, body)
                    }
                };
                if let Some(req) = req {
                    log.lock().unwrap().push(req);
                }
            }
        });
        Server { port, seen }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(stream: impl Read + Write, status: u16, body: &str) -> Option<Seen> {
    let mut r = BufReader::new(stream);
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let len: usize = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-length"))?.1.parse().ok()?;
    let mut raw = vec![0; len];
    r.read_exact(&mut raw).ok()?;
    let gzip = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("content-encoding") && v == "gzip");
    let body_in = if gzip {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut out).ok()?;
        out
    } else {
        raw
    };
    let mut w = r.into_inner();
    let _ = write!(
        w,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = w.flush();
    Some(Seen { method, path, headers, body: body_in })
}

/// A port nothing listens on (bound, then released).
fn dead_port() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").unwrap()
}

fn env() -> Vec<(&'static str, &'static str)> {
    vec![("CREDSWEEP_REGISTRY_TOKEN", TOKEN)]
}

fn up(args: &[&str], env: &[(&str, &str)]) -> Run {
    run_full(args, None, None, env)
}

/// `credsweep upload [REPORT] --registry URL --spool-dir SPOOL EXTRA…`.
fn upload(report: Option<&Path>, url: &str, spool: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args = vec!["upload"];
    args.extend(report.map(|r| r.to_str().unwrap()));
    args.extend(["--registry", url, "--spool-dir", spool.to_str().unwrap()]);
    args.extend_from_slice(extra);
    up(&args, env)
}

/// A tree with one synthetic GitHub token, and a JSON report of it.
fn report(dir: &Path, rng: &mut Rng) -> (PathBuf, String) {
    let tok = github_token(rng);
    write(dir, "src/app.env", &format!("GITHUB_TOKEN={tok}\n"));
    let out = dir.join("report.json");
    let r =
        up(&["scan", dir.join("src").to_str().unwrap(), "--format", "json", "-o", out.to_str().unwrap(), "-q"], &[]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    (out, tok)
}

fn queued(spool: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(spool)
        .map(|d| d.filter_map(|e| e.ok()?.file_name().into_string().ok()).filter(|n| n.ends_with(".json.gz")).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn upload_sends_the_gzip_report_with_token_and_idempotency_key() {
    let mut rng = Rng::new();
    let t = tree();
    let (report, tok) = report(t.path(), &mut rng);
    let server = Server::start(vec![]);
    let spool = t.path().join("spool");
    let r = upload(Some(&report), &server.url(), &spool, &[], &env());
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert!(r.stderr().contains("sent 1 report"), "{}", r.stderr());
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let req = &seen[0];
    assert_eq!((req.method.as_str(), req.path.as_str()), ("POST", "/v1/reports"));
    assert_eq!(req.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(req.header("content-encoding"), Some("gzip"));
    let file = std::fs::read(&report).unwrap();
    assert_eq!(req.body, file, "the body is the report file, byte for byte");
    let v: Value = serde_json::from_slice(&file).unwrap();
    assert_eq!(req.header("idempotency-key"), v["report_id"].as_str());
    assert!(v["report_id"].as_str().unwrap().starts_with("rpt-"));
    assert!(!String::from_utf8_lossy(&req.body).contains(&tok), "no raw secret is sent");
    assert!(queued(&spool).is_empty(), "an acknowledged report leaves the queue");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&spool).unwrap().permissions().mode() & 0o777, 0o700);
    assert!(!r.stderr().contains(TOKEN) && !r.stdout().contains(TOKEN), "the token is never printed");
}

#[test]
fn offline_reports_are_queued_then_flushed_oldest_first() {
    let mut rng = Rng::new();
    let t = tree();
    write(t.path(), "src/app.env", &format!("GITHUB_TOKEN={}\n", github_token(&mut rng)));
    let spool = t.path().join("spool");
    let listener = dead_port();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let url = format!("http://127.0.0.1:{port}");
    let src = t.path().join("src");
    let mut ids = Vec::new();
    for _ in 0..2 {
        let out = t.path().join(format!("r{}.json", ids.len()));
        let r = up(
            &[
                "scan",
                src.to_str().unwrap(),
                "--format",
                "json",
                "-o",
                out.to_str().unwrap(),
                "--upload",
                &url,
                "--spool-dir",
                spool.to_str().unwrap(),
                "--retries",
                "1",
                "--retry-delay",
                "10ms",
                "--no-progress",
            ],
            &env(),
        );
        // Offline is not a failure: the scan's own exit code (1: findings) stands.
        assert_eq!(r.code(), 1, "{}", r.stderr());
        assert!(r.stderr().contains("registry unreachable"), "{}", r.stderr());
        assert!(r.stderr().contains("queued in"), "{}", r.stderr());
        let v: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        ids.push(v["report_id"].as_str().unwrap().to_owned());
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(queued(&spool).len(), 2);
    assert!(queued(&spool)[0].contains(&ids[0]) && queued(&spool)[1].contains(&ids[1]));

    // The registry comes up: `upload` with no report sends the queue, oldest first.
    let server = Server::start_on(TcpListener::bind(("127.0.0.1", port)).unwrap(), vec![]);
    let r = upload(None, &url, &spool, &[], &env());
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let keys: Vec<String> = server.seen().iter().map(|s| s.header("idempotency-key").unwrap().to_owned()).collect();
    assert_eq!(keys, ids);
    assert!(queued(&spool).is_empty());
    let r = upload(None, &url, &spool, &[], &env());
    assert_eq!(r.code(), 0);
    assert!(r.stderr().contains("nothing to send"), "{}", r.stderr());
    assert_eq!(server.seen().len(), 2, "nothing resent");
}

#[test]
fn transient_errors_are_retried_with_the_same_key() {
    let mut rng = Rng::new();
    let t = tree();
    let (report, _) = report(t.path(), &mut rng);
    let server = Server::start(vec![(503, r#"{"error":"busy"}"#), (500, "oops")]);
    let spool = t.path().join("spool");
    let r = upload(Some(&report), &server.url(), &spool, &["--retries", "3", "--retry-delay", "10ms"], &env());
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let seen = server.seen();
    assert_eq!(seen.len(), 3, "two failures, then accepted");
    assert!(seen.iter().all(|s| s.header("idempotency-key") == seen[0].header("idempotency-key")));
    assert!(queued(&spool).is_empty());
}

#[test]
fn rejected_report_is_kept_aside_and_refused_token_keeps_the_queue() {
    let mut rng = Rng::new();
    let t = tree();
    let (report, _) = report(t.path(), &mut rng);
    let spool = t.path().join("spool");
    let server = Server::start(vec![(422, r#"{"error":"unknown schema version"}"#), (401, r#"{"error":"bad token"}"#)]);
    let r = upload(Some(&report), &server.url(), &spool, &[], &env());
    assert_eq!(r.code(), 2, "a rejected report is an error: {}", r.stderr());
    assert!(r.stderr().contains("refused") && r.stderr().contains("unknown schema version"), "{}", r.stderr());
    assert!(queued(&spool).is_empty(), "not retried");
    let rejected = queued(&spool.join("rejected"));
    assert_eq!(rejected.len(), 1);
    let reason = std::fs::read_to_string(spool.join("rejected").join(format!("{}.reason", rejected[0]))).unwrap();
    assert!(reason.contains("422") && reason.contains("unknown schema version"), "{reason}");

    // A refused token: the report stays queued for when the token is fixed; the command fails.
    let r = upload(Some(&report), &server.url(), &spool, &[], &env());
    assert_eq!(r.code(), 2, "{}", r.stderr());
    assert!(r.stderr().contains("refused the token"), "{}", r.stderr());
    assert_eq!(queued(&spool).len(), 1);
    // Fixed: the queue drains, the rejected report is not resent.
    let r = upload(None, &server.url(), &spool, &[], &env());
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert_eq!(server.seen().len(), 3);
    assert!(queued(&spool).is_empty());
}

#[test]
fn upload_refuses_secrets_bad_reports_and_missing_tokens() {
    let mut rng = Rng::new();
    let t = tree();
    let (_, tok) = report(t.path(), &mut rng);
    let server = Server::start(vec![]);
    let spool = t.path().join("spool");
    let spool_s = spool.to_str().unwrap();
    let src = t.path().join("src");
    let with_secrets = t.path().join("secrets.json");
    let r = up(
        &["scan", src.to_str().unwrap(), "--format", "json", "--include-secrets", "-o", with_secrets.to_str().unwrap()],
        &[],
    );
    assert_eq!(r.code(), 1);
    let r = upload(Some(&with_secrets), &server.url(), &spool, &[], &env());
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("--include-secrets"), "{}", r.stderr());
    assert!(!r.stderr().contains(&tok));
    let r = up(
        &["scan", src.to_str().unwrap(), "--include-secrets", "--upload", &server.url(), "--spool-dir", spool_s],
        &env(),
    );
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("--include-secrets"), "{}", r.stderr());

    let sarif = t.path().join("r.sarif");
    up(&["scan", src.to_str().unwrap(), "--format", "sarif", "-o", sarif.to_str().unwrap()], &[]);
    let r = upload(Some(&sarif), &server.url(), &spool, &[], &env());
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("not a credsweep JSON report"), "{}", r.stderr());

    let report = t.path().join("report.json");
    let r = upload(Some(&report), &server.url(), &spool, &[], &[]);
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("no registry token"), "{}", r.stderr());
    let r = upload(Some(&report), "http://registry.example.com", &spool, &[], &env());
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("plain http is only allowed to a loopback"), "{}", r.stderr());
    let token_file = t.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let r = upload(Some(&report), &server.url(), &spool, &["--token-file", token_file.to_str().unwrap()], &[]);
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "nothing was sent for the refused reports");
    assert_eq!(seen[0].header("authorization"), Some(format!("Bearer {TOKEN}").as_str()), "token from --token-file");
}

#[test]
fn full_queue_drops_the_oldest_reports() {
    let mut rng = Rng::new();
    let t = tree();
    let (report, _) = report(t.path(), &mut rng);
    let spool = t.path().join("spool");
    let url = {
        let l = dead_port();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let mut ids = Vec::new();
    for i in 0..4 {
        // Distinct reports (a resent file would have the same id): rewrite the id.
        let text = std::fs::read_to_string(&report).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let id = format!("rpt-{:032x}", i + 1);
        let copy = t.path().join(format!("copy{i}.json"));
        std::fs::write(&copy, text.replace(v["report_id"].as_str().unwrap(), &id)).unwrap();
        ids.push(id);
        let r = upload(Some(&copy), &url, &spool, &["--retries", "0", "--spool-max-reports", "2"], &env());
        assert_eq!(r.code(), 0, "offline is not a failure: {}", r.stderr());
        if i >= 2 {
            assert!(r.stderr().contains("dropped the 1 oldest"), "{}", r.stderr());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let q = queued(&spool);
    assert_eq!(q.len(), 2);
    assert!(q[0].contains(&ids[2]) && q[1].contains(&ids[3]), "the newest two stay: {q:?}");
}

#[test]
fn keyed_fingerprints_correlate_without_revealing() {
    let mut rng = Rng::new();
    let t = tree();
    let tok = github_token(&mut rng);
    write(t.path(), "src/a.env", &format!("GITHUB_TOKEN={tok}\n"));
    write(t.path(), "src/b.txt", &format!("token: {tok}\n"));
    let key = t.path().join("org.key");
    std::fs::write(&key, "3f1d9a0c5b7e2a4c6d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e\n").unwrap();
    let src = t.path().join("src");
    let r = crate::common::scan_json(&src, &["--fingerprint-key-file", key.to_str().unwrap()]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let v = r.json();
    let fps: Vec<&str> = findings(&v).iter().map(|f| f["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(fps.len(), 2);
    assert!(fps.iter().all(|f| f.starts_with("hmac-sha256:") && f.len() == "hmac-sha256:".len() + 64), "{fps:?}");
    assert_eq!(fps[0], fps[1], "the same secret has the same keyed fingerprint in every file");
    assert_ne!(fps[0], crate::common::sha256(&tok), "not the plain SHA-256");
    // Reproducible by anyone holding the key (HMAC-SHA256 over the secret), so the registry correlates hosts.
    use hmac::Mac;
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(b"3f1d9a0c5b7e2a4c6d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e")
            .unwrap();
    mac.update(tok.as_bytes());
    assert_eq!(fps[0], format!("hmac-sha256:{}", hex::encode(mac.finalize().into_bytes())));
    let text = r.stdout();
    assert!(!text.contains("3f1d9a0c5b7e") && !text.contains(&tok), "neither key nor secret in the report");

    std::fs::write(&key, "short\n").unwrap();
    let r = crate::common::scan_json(&src, &["--fingerprint-key-file", key.to_str().unwrap()]);
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("at least 16 bytes") && !r.stderr().contains("short"), "{}", r.stderr());
}

/// A private CA and a certificate for 127.0.0.1 signed by it, made by openssl for this test.
fn private_ca(dir: &Path) -> (PathBuf, Arc<rustls::ServerConfig>) {
    let sh = |args: &[&str]| {
        let out = std::process::Command::new("openssl").args(args).current_dir(dir).output().expect("openssl runs");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    sh(&[
        &["req", "-x509"][..],
        &ec,
        &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=credsweep test CA"],
    ]
    .concat());
    sh(&[&["req"][..], &ec, &["-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=127.0.0.1"]].concat());
    std::fs::write(dir.join("ext"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    sh(&[
        "x509",
        "-req",
        "-in",
        "srv.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "srv.pem",
        "-days",
        "2",
        "-extfile",
        "ext",
    ]);
    use rustls::pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(dir.join("srv.pem")).unwrap().map(|c| c.unwrap()).collect();
    let key = PrivateKeyDer::from_pem_file(dir.join("srv.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    (dir.join("ca.pem"), Arc::new(config))
}

#[test]
fn https_with_a_private_ca() {
    let mut rng = Rng::new();
    let t = tree();
    let (report, _) = report(t.path(), &mut rng);
    let pki = t.path().join("pki");
    std::fs::create_dir(&pki).unwrap();
    let (ca, tls) = private_ca(&pki);
    let server = Server::start_tls(TcpListener::bind("127.0.0.1:0").unwrap(), vec![], Some(tls));
    let url = format!("https://127.0.0.1:{}", server.port);
    let spool = t.path().join("spool");
    // Unknown issuer: not sent, queued (a captive portal looks the same), and the reason is said.
    let r = upload(Some(&report), &url, &spool, &["--retries", "0"], &env());
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert!(r.stderr().to_lowercase().contains("issuer") || r.stderr().contains("certificate"), "{}", r.stderr());
    assert_eq!(queued(&spool).len(), 1);
    assert!(server.seen().is_empty());
    // Trusting the private CA: sent (the queued copy and this one share the report id: one request each, and the
    // registry stores it once).
    let r = upload(Some(&report), &url, &spool, &["--retries", "0", "--ca-cert", ca.to_str().unwrap()], &env());
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert!(r.stderr().contains("sent 2 reports"), "{}", r.stderr());
    assert_eq!(server.seen().len(), 2);
    assert!(queued(&spool).is_empty());
    assert_eq!(server.seen()[0].body, std::fs::read(&report).unwrap());
}

#[test]
fn scan_upload_sends_the_json_report_whatever_the_format() {
    let mut rng = Rng::new();
    let t = tree();
    let toks: Vec<String> = (0..3).map(|_| github_token(&mut rng)).collect();
    for (i, tok) in toks.iter().enumerate() {
        write(t.path(), &format!("src/f{i}.txt"), &format!("token {tok}\n"));
    }
    let server = Server::start(vec![]);
    let spool = t.path().join("spool");
    for format in ["sarif", "jsonl", "human"] {
        let r = up(
            &[
                "scan",
                t.path().join("src").to_str().unwrap(),
                "--format",
                format,
                "--upload",
                &server.url(),
                "--spool-dir",
                spool.to_str().unwrap(),
                "--no-progress",
            ],
            &env(),
        );
        assert_eq!(r.code(), 1, "{format}: {}", r.stderr());
        let seen = server.seen();
        let v: Value = serde_json::from_slice(&seen.last().unwrap().body).expect("a JSON report was sent");
        assert_eq!(v["schema"], "credsweep.report/v1", "{format}");
        assert_eq!(findings(&v).len(), 3, "{format}: every streamed finding is in the uploaded report");
        let body = String::from_utf8_lossy(&seen.last().unwrap().body).into_owned();
        assert!(toks.iter().all(|t| !body.contains(t.as_str())), "no raw secret is sent");
    }
    assert_eq!(server.seen().len(), 3);
}
