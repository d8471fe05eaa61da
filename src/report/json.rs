//! JSON and JSON Lines writers.
//!
//! `--format json` is one pretty document: the report's envelope (see [`Report`]), then `findings` in report order,
//! `credentials` (findings grouped by fingerprint) and `rules`. Findings are kept as they arrive in [`Kept`] —
//! each one's JSON rendered once, already indented for its place in the document, into the spill — so the document
//! is written at the end by copying records in order, and memory holds a few dozen bytes per finding. The bytes are
//! exactly what `serde_json::to_writer_pretty` gives for the whole document (a test pins it), which `scan --upload`
//! relies on: it sends what `--format json` writes.
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::{
    keep::{Index, Kept, Ordered},
    output::Output,
    Finding, Report, ReportWriter,
};
use crate::rules::Severity;

/// One finding as one JSON line (the `jsonl` format streams these as files finish).
pub fn write_finding_line(out: &mut impl Write, finding: &Finding) -> io::Result<()> {
    serde_json::to_writer(&mut *out, finding)?;
    out.write_all(b"\n")
}

/// `--format json`: the whole report as one document at the end.
pub struct JsonWriter {
    out: Output,
    kept: Kept,
    /// One finding's JSON, pretty, and then indented for its place.
    pretty: Vec<u8>,
    buf: Vec<u8>,
}

impl JsonWriter {
    pub fn new(out: Output) -> io::Result<JsonWriter> {
        let kept = Kept::new(out.dir())?;
        Ok(JsonWriter { out, kept, pretty: Vec::new(), buf: Vec::new() })
    }
}

impl ReportWriter for JsonWriter {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        self.pretty.clear();
        self.buf.clear();
        // An element of the top-level `findings` array sits two levels deep: four spaces after each line break.
        serde_json::to_writer_pretty(&mut self.pretty, finding)?;
        indent(&mut self.buf, &self.pretty, b"    ")?;
        self.kept.add(finding, &self.buf)
    }

    fn end(self: Box<Self>, report: &Report) -> (io::Result<()>, Option<Output>) {
        let JsonWriter { mut out, kept, .. } = *self;
        let written = kept.finish().and_then(|ordered| write_document(&mut out, report, ordered));
        (written, Some(out))
    }
}

/// The document: the envelope's fields, then `findings`, `credentials` and `rules`, formatted as serde_json's
/// pretty printer formats the whole (two spaces per level).
fn write_document(out: &mut impl Write, report: &Report, ordered: Ordered) -> io::Result<()> {
    let Ordered { index, mut records } = ordered;
    let mut head = Vec::new();
    serde_json::to_writer_pretty(&mut head, report)?;
    // The envelope is an object with fields: drop its closing "\n}" and go on with the next field.
    let open = head.strip_suffix(b"\n}").ok_or_else(|| io::Error::other("unexpected report envelope"))?;
    out.write_all(open)?;
    out.write_all(b",\n  \"findings\": ")?;
    if index.entries().is_empty() {
        out.write_all(b"[]")?;
    } else {
        for (i, e) in index.entries().iter().enumerate() {
            out.write_all(if i == 0 { b"[\n    " } else { b",\n    " })?;
            out.write_all(records.get(e)?)?;
        }
        out.write_all(b"\n  ]")?;
    }
    out.write_all(b",\n  \"credentials\": ")?;
    if index.credentials() == 0 {
        out.write_all(b"[]")?;
    } else {
        let mut buf = Vec::new();
        for (i, &c) in index.by_appearance().iter().enumerate() {
            out.write_all(if i == 0 { b"[\n    " } else { b",\n    " })?;
            let credential = credential(&index, &mut records, c)?;
            buf.clear();
            serde_json::to_writer_pretty(&mut buf, &credential)?;
            indent(out, &buf, b"    ")?;
        }
        out.write_all(b"\n  ]")?;
    }
    out.write_all(b",\n  \"rules\": ")?;
    let mut buf = Vec::new();
    serde_json::to_writer_pretty(&mut buf, &report.rules)?;
    indent(out, &buf, b"  ")?;
    out.write_all(b"\n}\n")
}

/// Everything known about one secret: its fingerprint, and what its findings say, in report order.
#[derive(Serialize)]
struct Credential<'a> {
    fingerprint: String,
    /// The first finding's kind and redacted form.
    kind: String,
    rules: Vec<&'a str>,
    severity: Severity,
    redacted: String,
    /// The first identifier any of its findings has.
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<String>,
    locations: u64,
    finding_ids: Ids<'a>,
}

/// The few fields of a finding's record a credential takes.
#[derive(Deserialize)]
struct Brief {
    kind: String,
    redacted: String,
    identifier: Option<String>,
}

fn credential<'a>(index: &'a Index, records: &mut super::keep::Records, c: u32) -> io::Result<Credential<'a>> {
    let first = index.members(c).next().expect("a credential has a finding");
    let brief: Brief = serde_json::from_slice(records.get(first)?)?;
    let identifier = match (brief.identifier, index.members(c).find(|e| e.has_identifier)) {
        (Some(id), _) => Some(id),
        (None, Some(e)) => serde_json::from_slice::<Brief>(records.get(e)?)?.identifier,
        (None, None) => None,
    };
    Ok(Credential {
        fingerprint: index.fingerprint(c),
        kind: brief.kind,
        rules: index.rules_of(c),
        severity: index.severity(c),
        redacted: brief.redacted,
        identifier,
        locations: index.members(c).count() as u64,
        finding_ids: Ids { index, c },
    })
}

/// A credential's distinct location ids, in report order, made while they are written. A location id is the
/// fingerprint and the path, and one path's findings are next to each other in report order: a repeat is always
/// the id just before.
struct Ids<'a> {
    index: &'a Index,
    c: u32,
}

impl Serialize for Ids<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut last = String::new();
        let ids = self.index.members(self.c).filter_map(|e| {
            let id = self.index.id(e);
            (id != last).then(|| {
                last.clone_from(&id);
                id
            })
        });
        s.collect_seq(ids)
    }
}

/// Copy `text`, putting `pad` after each line break: a pretty-printed value moved deeper into a document (JSON
/// strings never hold a raw line break, so every one is the printer's).
fn indent(out: &mut (impl Write + ?Sized), text: &[u8], pad: &[u8]) -> io::Result<()> {
    let mut rest = text;
    while let Some(at) = memchr::memchr(b'\n', rest) {
        out.write_all(&rest[..=at])?;
        out.write_all(pad)?;
        rest = &rest[at + 1..];
    }
    out.write_all(rest)
}

/// `--format jsonl`: one finding per line, written as it arrives; nothing else.
pub struct JsonlWriter {
    out: Output,
}

impl JsonlWriter {
    pub fn new(out: Output) -> JsonlWriter {
        JsonlWriter { out }
    }
}

impl ReportWriter for JsonlWriter {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        write_finding_line(&mut self.out, finding)
    }

    fn end(self: Box<Self>, _report: &Report) -> (io::Result<()>, Option<Output>) {
        (Ok(()), Some(self.out))
    }
}

#[cfg(test)]
mod tests;
