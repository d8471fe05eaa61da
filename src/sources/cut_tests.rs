//! The scan limits inside a big file: a limit reached while a file is streamed stops it between chunks, and the
//! report's `stopped` names it as cut short (issue #16: `--max-duration 1s` once ran on inside one file for 4.4 s
//! and said `complete: true`). A deadline already passed makes this deterministic: no timing is measured.
use std::{path::Path, sync::Arc, time::Duration};

use super::{Msg, Shared, Worker};
use crate::{
    engine::Engine,
    finding::Emit,
    limits::Limits,
    read::{CHUNK, MARGIN},
    repo_config::PathAllow,
    rules::RuleSet,
    scanner::Scanner,
    suppress,
};

fn shared(limits: Limits) -> Arc<Shared> {
    let filter = suppress::Filter {
        baseline: Default::default(),
        fingerprints: Default::default(),
        paths: PathAllow::new(&[]).unwrap(),
        roots: Vec::new(),
        min_severity: None,
        min_confidence: None,
    };
    Arc::new(Shared {
        scanner: Scanner::new(Engine::new(RuleSet::load(&[]).unwrap()), Emit::default(), filter, Vec::new()),
        limits,
        max_file_size: u64::MAX,
        follow_symlinks: false,
        default_excludes: true,
        verbose: false,
        archives: None,
        max_archive_size: u64::MAX,
        binaries: super::strings::BinaryPolicy::SkipExecutables,
    })
}

fn github_token(body: &str) -> String {
    let check = crate::validate::crc32_base62(body.as_bytes());
    format!("ghp_{body}{}", std::str::from_utf8(&check).unwrap())
}

/// Scan `path` with these limits: (findings, bytes scanned, files scanned).
fn scan_file(shared: &Arc<Shared>, path: &Path) -> (usize, u64, u64) {
    let (tx, rx) = crossbeam_channel::unbounded();
    let mut worker = Worker::new(shared.clone(), tx);
    worker.file(path, path, false);
    drop(worker);
    let (mut findings, mut bytes, mut files) = (0, 0, 0);
    for msg in rx.iter() {
        match msg {
            Msg::Findings(f) => findings += f.len(),
            Msg::Counters(c) => {
                bytes += c.bytes_scanned;
                files += c.files_scanned;
            }
            Msg::References(_) | Msg::Error(_) | Msg::Skipped(..) => {}
        }
    }
    (findings, bytes, files)
}

#[test]
fn a_limit_reached_inside_a_big_file_stops_it_between_chunks_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.log");
    let first = github_token("Zx8Kq2LmN4pR7sT1vW3yA5bC6dE9fG");
    let last = github_token("Qw3Er5Ty7Ui9Op2As4Df6Gh8Jk1LzX");
    let mut text = format!("a {first}\n");
    text.push_str(&"filler line without any keyword at all here\n".repeat(3 * CHUNK / 44));
    text.push_str(&format!("b {last}\n"));
    std::fs::write(&path, &text).unwrap();

    let unlimited = shared(Limits::new(Some(Duration::from_secs(3600)), None));
    assert_eq!(scan_file(&unlimited, &path), (2, text.len() as u64, 1), "within the limits: the whole file");
    assert!(unlimited.limits.stopped().is_none());

    // The deadline has passed before the file starts: the walker would not hand it out, but a file already started
    // (here: handed to the worker directly) stops after its first chunk.
    let late = shared(Limits::new(Some(Duration::ZERO), None));
    assert_eq!(scan_file(&late, &path), (1, (CHUNK - MARGIN) as u64, 1), "the first chunk only");
    let stopped = late.limits.stopped().expect("stopped");
    assert_eq!(stopped.reason, "max-duration");
    assert_eq!(stopped.cut_short, [path.to_string_lossy()]);
    assert!(stopped.not_reached.is_empty());

    // The byte limit, reached by the first chunk.
    let bytes = shared(Limits::new(None, Some(1)));
    assert_eq!(scan_file(&bytes, &path).0, 1);
    assert_eq!(bytes.limits.stopped().map(|s| (s.reason, s.cut_short.len())), Some(("max-bytes", 1)));
}

#[test]
fn a_big_file_whose_last_chunk_was_read_is_not_cut_short() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.log");
    // Over the whole-file size, under one chunk past it: two chunks, the second short (the end).
    std::fs::write(&path, "x".repeat(CHUNK + 10)).unwrap();
    // The byte limit is reached by the last chunk: nothing is left to cut.
    let limits = shared(Limits::new(None, Some((CHUNK + 10) as u64)));
    assert_eq!(scan_file(&limits, &path), (0, (CHUNK + 10) as u64, 1));
    assert!(limits.limits.stopped().is_none(), "every byte was scanned");
}
