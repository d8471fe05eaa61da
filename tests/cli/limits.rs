//! Limits and big inputs: --max-duration and --max-bytes give a valid partial report; a big file streamed in chunks
//! finds each secret once, with its position.
use std::path::Path;

use serde_json::Value;

use crate::common::{findings, github_token, scan_json, sha256, tree, write, Rng, B62};

#[test]
fn max_duration_and_max_bytes_give_a_valid_partial_report() {
    let mut rng = Rng::new();
    let t = tree();
    for i in 0..300 {
        write(t.path(), &format!("d{}/f{i}.txt", i % 7), &format!("x {}\n", github_token(&mut rng)));
    }
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for (flag, value, reason) in [("--max-duration", "0s", "max-duration"), ("--max-bytes", "1", "max-bytes")] {
        let r = scan_json(t.path(), &[flag, value, "--threads", "1"]);
        assert!(r.code() == 0 || r.code() == 1, "{}", r.stderr());
        let v = r.json();
        assert!(validator.is_valid(&v), "partial report is valid");
        assert_eq!(v["complete"], false, "{flag}");
        assert_eq!(v["stopped"]["reason"], reason);
        assert!(!v["stopped"]["not_reached"].as_array().unwrap().is_empty());
        assert!(findings(&v).len() < 300, "{flag}: stopped early");
    }
    let full = scan_json(t.path(), &["--max-duration", "10m"]).json();
    assert_eq!(full["complete"], true);
    assert_eq!(findings(&full).len(), 300);
}

/// A big file under construction, with what was planted in it and where (1-based line and column).
struct Big {
    text: String,
    planted: Vec<(String, u64, u64)>,
}

impl Big {
    fn new() -> Big {
        Big { text: String::new(), planted: Vec::new() }
    }

    /// Filler lines (no keyword of any rule), then spaces, up to exactly `at` bytes.
    fn fill_to(&mut self, at: usize) {
        const LINE: &str = "the quick brown fox jumps over the lazy dog 0123 the quick brown fox jumps over\n";
        while self.text.len() + LINE.len() + 1 < at {
            self.text.push_str(LINE);
        }
        let pad = at - self.text.len();
        self.text.push_str(&" ".repeat(pad.saturating_sub(1)));
        if pad > 0 {
            self.text.push('\n');
        }
        assert_eq!(self.text.len(), at);
    }

    /// Write `before`, then `secret` (recorded with its position), then `after`.
    fn plant(&mut self, before: &str, secret: &str, after: &str) {
        self.text.push_str(before);
        let line = self.text.matches('\n').count() as u64 + 1;
        let col = self.text[self.text.rfind('\n').map_or(0, |p| p + 1)..].chars().count() as u64 + 1;
        self.planted.push((secret.to_owned(), line, col));
        self.text.push_str(secret);
        self.text.push_str(after);
    }
}

/// Issue #16: a file of an exact multiple of the chunk size lost its last 128 KiB, and a secret whose keyword lay
/// before a chunk border but whose value began after it was found by neither chunk. Every border a streamed file
/// has — where one read ends and the next begins (multiples of the chunk), and where one chunk's ownership ends and
/// the next one's begins (a margin before them) — with a token across it and an assignment whose name is before it
/// and value after; files of exact multiples and one byte either side, each with a token in its last 64 KiB.
#[test]
fn secrets_at_every_chunk_border_of_a_big_file_are_found_once_with_positions() {
    use credsweep::read::{CHUNK, MARGIN};
    let mut rng = Rng::new();
    let t = tree();
    let mut files = Vec::new();
    let mut big = Big::new();
    for border in [CHUNK - MARGIN, CHUNK, 2 * CHUNK - MARGIN, 2 * CHUNK, 3 * CHUNK - MARGIN] {
        big.fill_to(border - 20);
        big.plant("ab ", &github_token(&mut rng), "\n");
    }
    big.fill_to(3 * CHUNK - (64 << 10));
    big.plant("", &github_token(&mut rng), "\n");
    big.fill_to(3 * CHUNK);
    files.push(("exact-3.log".to_owned(), big));
    for size in [2 * CHUNK - 1, 2 * CHUNK, 2 * CHUNK + 1] {
        let mut b = Big::new();
        for border in [CHUNK - MARGIN, 2 * CHUNK - MARGIN] {
            b.fill_to(border - 12);
            b.plant("db_password = \"", &format!("q8Vt{}", rng.string(B62, 14)), "\"\n");
        }
        b.fill_to(size - (64 << 10));
        b.plant("", &github_token(&mut rng), "\n");
        b.fill_to(size);
        files.push((format!("size-{size}.log"), b));
    }
    for (name, b) in &files {
        write(t.path(), name, &b.text);
    }
    let v = scan_json(t.path(), &["--threads", "1"]).json();
    let fs = findings(&v);
    for (name, b) in &files {
        let here: Vec<&Value> = fs.iter().filter(|f| f["path"].as_str().unwrap().ends_with(name.as_str())).collect();
        assert_eq!(here.len(), b.planted.len(), "{name}: each secret exactly once: {here:#?}");
        for (secret, line, col) in &b.planted {
            let f = here.iter().find(|f| f["fingerprint"] == sha256(secret));
            let f = f.unwrap_or_else(|| panic!("{name}: the secret on line {line} is found"));
            assert_eq!((f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()), (*line, *col), "{name}");
        }
    }
    assert_eq!(v["stats"]["files_scanned"], files.len());
    let total: usize = files.iter().map(|(_, b)| b.text.len()).sum();
    assert_eq!(v["stats"]["bytes_scanned"], total as u64, "every byte counted once");
}

/// A limit reached inside a big file stops it between chunks: the report says `complete: false` and names the file
/// as cut short (the byte limit here, which is deterministic; a deadline takes the same path, see
/// `sources::cut_tests`). Issue #16: a scan once ran on inside one file and said `complete: true`.
#[test]
fn a_limit_reached_inside_a_big_file_names_it_as_cut_short() {
    let mut rng = Rng::new();
    let t = tree();
    let (first, last) = (github_token(&mut rng), github_token(&mut rng));
    let filler = "filler line without any keyword at all here\n".repeat((12 << 20) / 44);
    let big = write(t.path(), "big.log", &format!("a {first}\n{filler}b {last}\n"));
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let v = scan_json(t.path(), &["--max-bytes", "1", "--threads", "1"]).json();
    assert!(validator.is_valid(&v), "{:?}", validator.iter_errors(&v).map(|e| e.to_string()).collect::<Vec<_>>());
    assert_eq!(v["complete"], false);
    assert_eq!(v["stopped"]["reason"], "max-bytes");
    assert_eq!(v["stopped"]["cut_short"], serde_json::json!([big.to_str().unwrap()]));
    let fs = findings(&v);
    assert_eq!(fs.len(), 1, "the first chunk's token only");
    assert_eq!(fs[0]["fingerprint"], sha256(&first));
    assert!(v["stats"]["bytes_scanned"].as_u64().unwrap() < (8 << 20));
    // Within the limits: the whole file, and no `stopped`.
    let full = scan_json(t.path(), &["--max-bytes", "1G", "--max-duration", "10m"]).json();
    assert_eq!((full["complete"].as_bool(), full.get("stopped")), (Some(true), None));
    assert_eq!(findings(&full).len(), 2);
}
