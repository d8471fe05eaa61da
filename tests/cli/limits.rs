//! Limits and big inputs: --max-duration and --max-bytes give a valid partial report; a big file streamed in chunks
//! finds each secret once, with its position.
use std::path::Path;

use serde_json::Value;

use crate::common::{findings, github_token, scan_json, sha256, tree, write, Rng};

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

#[test]
fn secrets_across_chunk_borders_of_a_big_file_are_found_once_with_positions() {
    let mut rng = Rng::new();
    let t = tree();
    let chunk = 4usize << 20;
    let overlap = 128usize << 10;
    // Owner boundaries of the streamed chunks: k * (chunk - overlap).
    let borders = [chunk - overlap, 2 * (chunk - overlap)];
    let line = "the quick brown fox jumps over the lazy dog 0123 ".repeat(2) + "\n";
    let mut text = String::new();
    let mut planted = Vec::new();
    let mut next = 0;
    while text.len() < 3 * chunk {
        if next < borders.len() && text.len() + 200 > borders[next] {
            // Put a token so that it straddles the border (starts 10 bytes before it).
            let pad = borders[next] - 10 - text.len();
            text.push_str(&"y".repeat(pad.saturating_sub(1)));
            text.push(' ');
            let tok = github_token(&mut rng);
            let lines_before = text.matches('\n').count() as u64;
            let col = (text.len() - text.rfind('\n').map_or(0, |p| p + 1)) as u64 + 1;
            planted.push((tok.clone(), lines_before + 1, col));
            text.push_str(&tok);
            text.push('\n');
            next += 1;
        } else {
            text.push_str(&line);
        }
    }
    // One more near the end, and a private-key block across the second border region is covered by the tokens.
    let tail = github_token(&mut rng);
    let lines_before = text.matches('\n').count() as u64;
    planted.push((tail.clone(), lines_before + 1, 1));
    text.push_str(&tail);
    text.push('\n');
    write(t.path(), "big.log", &text);
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    assert_eq!(fs.len(), planted.len(), "each secret exactly once: {fs:#?}");
    for (tok, line, col) in &planted {
        let f = fs.iter().find(|f| f["fingerprint"] == sha256(tok)).expect("found");
        assert_eq!((f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()), (*line, *col));
    }
    assert_eq!(v["stats"]["files_scanned"], 1);
    assert_eq!(v["stats"]["bytes_scanned"], text.len() as u64, "every byte counted once");
}
