//! The one golden-fixture harness every parser's golden test uses (test builds only).
//!
//! A fixture is a file under `fixtures/<dir>/` whose expected output sits beside it as `<name>.expected.json`. A
//! parser's test only says how to render its output as JSON; the harness finds the fixtures (recursively, in a
//! stable order), compares every one, reports all mismatches at once with the output it got, and rewrites the
//! expectations instead when `GOLDEN_BLESS=1` is set (review the diff before committing it).
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::Candidate;

/// One fixture input and what is expected of it.
pub(crate) struct Fixture {
    /// Absolute path of the input.
    pub path: PathBuf,
    /// The input's file name.
    pub name: String,
    pub text: Vec<u8>,
    /// The parsed `<name>.expected.json` (`Value::Null` when there is none yet).
    pub expected: Value,
}

/// `fixtures/<dir>` in the source tree.
pub(crate) fn dir(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(dir)
}

/// Every fixture input under `fixtures/<dir>`, sorted by path. `.expected.json` files are expectations, not inputs;
/// with `nested`, inputs live in subdirectories and files at the top (a generator, a path table) are not inputs.
pub(crate) fn fixtures(name: &str, nested: bool) -> Vec<Fixture> {
    let root = dir(name);
    let mut paths = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let expectation = path.to_string_lossy().ends_with(".expected.json");
                let top_level_aid = nested && d == root;
                if !(expectation || top_level_aid) {
                    paths.push(path);
                }
            }
        }
    }
    paths.sort();
    paths.into_iter().map(load).collect()
}

fn load(path: PathBuf) -> Fixture {
    let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let expected = match std::fs::read(expected_path(&path)) {
        Ok(b) => serde_json::from_slice(&b).unwrap_or_else(|e| panic!("{}: {e}", expected_path(&path).display())),
        Err(_) => Value::Null,
    };
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    Fixture { path, name, text, expected }
}

fn expected_path(input: &Path) -> PathBuf {
    PathBuf::from(format!("{}.expected.json", input.display()))
}

/// Compare `render(fixture)` with every fixture's expectation; panic listing every mismatch. Returns the rendered
/// outputs (for a test's own coverage checks). `GOLDEN_BLESS=1` writes the rendered outputs as the expectations.
pub(crate) fn check(all: &[Fixture], render: &dyn Fn(&Fixture) -> Value) -> Vec<Value> {
    let bless = std::env::var_os("GOLDEN_BLESS").is_some();
    let (mut failures, mut outputs) = (Vec::new(), Vec::new());
    for f in all {
        let got = render(f);
        if bless {
            std::fs::write(expected_path(&f.path), serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
        } else if got != f.expected {
            let shown = serde_json::to_string_pretty(&got).unwrap();
            failures.push(format!("{}: got\n{shown}", f.path.display()));
        }
        outputs.push(got);
    }
    assert!(failures.is_empty(), "{} golden mismatches:\n{}", failures.len(), failures.join("\n"));
    outputs
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &[u8], offset: usize) -> usize {
    1 + text[..offset.min(text.len())].iter().filter(|&&c| c == b'\n').count()
}

/// A candidate as the dotenv and history golden files list it; `raw` only when the file's bytes differ from the
/// value (escapes).
pub(crate) fn candidate(text: &[u8], c: &Candidate) -> Value {
    let (value, line) = (String::from_utf8_lossy(&c.value), line_of(text, c.span.start));
    let mut v = serde_json::json!({ "context": c.context, "value": value, "line": line });
    let raw = &text[c.span.clone()];
    if raw != c.value.as_slice() {
        v["raw"] = String::from_utf8_lossy(raw).into();
    }
    v
}
