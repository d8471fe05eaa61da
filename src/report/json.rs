//! JSON and JSON Lines writers.
use std::io::{self, Write};

use super::{output::Output, Finding, Report, ReportWriter};

/// The whole report as one pretty JSON document.
pub fn write_report(out: &mut impl Write, report: &Report) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

/// One finding as one JSON line (the `jsonl` format streams these as files finish).
pub fn write_finding_line(out: &mut impl Write, finding: &Finding) -> io::Result<()> {
    serde_json::to_writer(&mut *out, finding)?;
    out.write_all(b"\n")
}

/// `--format json`: the whole report as one document at the end.
pub struct JsonWriter {
    out: Output,
}

impl JsonWriter {
    pub fn new(out: Output) -> JsonWriter {
        JsonWriter { out }
    }
}

impl ReportWriter for JsonWriter {
    fn streams(&self) -> bool {
        false
    }

    fn finding(&mut self, _finding: &Finding) -> io::Result<()> {
        Ok(())
    }

    fn end(mut self: Box<Self>, report: &Report) -> (io::Result<()>, Option<Output>) {
        (write_report(&mut self.out, report), Some(self.out))
    }
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
    fn streams(&self) -> bool {
        true
    }

    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        write_finding_line(&mut self.out, finding)
    }

    fn end(self: Box<Self>, _report: &Report) -> (io::Result<()>, Option<Output>) {
        (Ok(()), Some(self.out))
    }
}
