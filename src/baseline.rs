//! Baselines: the findings a project has accepted, keyed by content, so CI fails only on new secrets.
//!
//! An entry is a finding's location id (`loc:v1:…`, from fingerprint + path, never the line) with its path, rule and
//! fingerprint for people to read. Moving a secret to another line keeps its id, so it stays known; a new secret on
//! a line that was allowed has another fingerprint, hence another id, and is reported. No secret is stored.
//!
//! The file is written sorted, one entry per line and without timestamps, so regenerating it gives the same bytes and
//! two branches' baselines merge cleanly.
use std::{collections::HashSet, io::Write, path::Path};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::report::Finding;

pub const SCHEMA: &str = "credsweep.baseline/v1";

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
    pub id: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    schema: String,
    entries: Vec<Entry>,
}

/// Sorted, de-duplicated entries for these findings.
pub fn entries(findings: &[Finding]) -> Vec<Entry> {
    let mut v: Vec<Entry> = findings
        .iter()
        .map(|f| Entry {
            path: f.path.clone(),
            rule: f.rule.clone(),
            fingerprint: f.fingerprint.clone(),
            id: f.id.clone(),
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Serialize a baseline: one entry per line.
pub fn write(out: &mut impl Write, entries: &[Entry]) -> std::io::Result<()> {
    writeln!(out, "{{\n  \"schema\": \"{SCHEMA}\",\n  \"entries\": [")?;
    for (i, e) in entries.iter().enumerate() {
        let sep = if i + 1 < entries.len() { "," } else { "" };
        writeln!(out, "    {}{sep}", serde_json::to_string(e)?)?;
    }
    writeln!(out, "  ]\n}}")
}

/// The location ids a baseline file accepts.
pub fn load(path: &Path) -> Result<HashSet<String>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read baseline {}", path.display()))?;
    let file: File =
        serde_json::from_str(&text).with_context(|| format!("{}: not a credsweep baseline", path.display()))?;
    if file.schema != SCHEMA {
        bail!("{}: unsupported baseline schema '{}' (expected {SCHEMA})", path.display(), file.schema);
    }
    Ok(file.entries.into_iter().map(|e| e.id).collect())
}
