//! Readable output for people: grouped by credential, worst first, colours on a terminal (`NO_COLOR` honoured).
//!
//! Every string that comes from the filesystem goes through [`crate::sanitize`] first: a file name may hold escape
//! sequences or bidi controls that would rewrite the terminal or disguise a path (the fd `sanitize.rs` lesson).
use std::{fmt::Write as _, io};

use super::{output::Output, Credential, Finding, Report, ReportWriter};
use crate::{rules::Severity, sanitize::sanitize};

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn severity(&self, s: Severity) -> String {
        let label = format!("{:<8}", s.as_str().to_uppercase());
        let code = match s {
            Severity::Critical => "1;35",
            Severity::High => "1;31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.paint(code, &label)
    }
}

/// `--format human`: the report for people, at the end; coloured when it goes to a terminal.
pub struct HumanWriter {
    out: Output,
    color: bool,
}

impl HumanWriter {
    pub fn new(out: Output) -> HumanWriter {
        let color = want_color(out.is_terminal());
        HumanWriter { out, color }
    }
}

impl ReportWriter for HumanWriter {
    fn streams(&self) -> bool {
        false
    }

    fn finding(&mut self, _finding: &Finding) -> io::Result<()> {
        Ok(())
    }

    fn end(mut self: Box<Self>, report: &Report) -> (io::Result<()>, Option<Output>) {
        (write_report(&mut self.out, report, self.color), Some(self.out))
    }
}

/// Whether to colour: a terminal, and `NO_COLOR` unset or empty (<https://no-color.org>).
pub fn want_color(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// Write the human report.
pub fn write_report(out: &mut impl io::Write, report: &Report, color: bool) -> io::Result<()> {
    let st = Style { on: color };
    let mut creds: Vec<&Credential> = report.credentials.iter().collect();
    creds.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.fingerprint.cmp(&b.fingerprint)));
    for c in &creds {
        let first = report.findings.iter().find(|f| f.fingerprint == c.fingerprint);
        let name = first.map_or("", |f| f.rule_name.as_str());
        writeln!(
            out,
            "{} {}  {}",
            st.severity(c.severity),
            st.paint("1", &sanitize(name)),
            st.paint("2", &c.rules.join(", "))
        )?;
        let mut line = format!("         {}  {}", sanitize(&c.redacted), short_fp(&c.fingerprint));
        if let Some(id) = &c.identifier {
            let _ = write!(line, "  id: {}", sanitize(id));
        }
        if let Some(f) = first {
            let v =
                serde_json::to_value(f.validation).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            if v != "not-applicable" {
                let _ = write!(line, "  [{v}]");
            }
        }
        if let Some(k) = first.and_then(|f| f.key.as_ref()) {
            let _ = write!(line, "  [{}", if k.encrypted { "encrypted" } else { "NOT encrypted" });
            if let Some(t) = &k.key_type {
                let _ = write!(line, " {t}");
            }
            if let Some(b) = k.bits {
                let _ = write!(line, " {b}");
            }
            if let Some(fp) = &k.public_fingerprint {
                let _ = write!(line, " {fp}");
            }
            line.push(']');
        }
        writeln!(out, "{line}")?;
        for f in report.findings.iter().filter(|f| f.fingerprint == c.fingerprint) {
            writeln!(out, "         {}", location(f, &st))?;
        }
        if let Some(f) = first {
            writeln!(out, "         {}", st.paint("32", &format!("fix: {}", remediation(f))))?;
            if let Some(url) = report.rules.iter().find(|r| r.id == f.rule).and_then(|r| r.rotate.as_deref()) {
                writeln!(out, "         {}", st.paint("2", &format!("rotate: {}", sanitize(url))))?;
            }
        }
        writeln!(out)?;
    }
    let s = &report.stats;
    let summary = format!(
        "{} credential{} in {} finding{} · {} files scanned ({}) of {} seen · {:.2} s",
        creds.len(),
        plural(creds.len() as u64),
        s.findings,
        plural(s.findings),
        s.files_scanned,
        human_bytes(s.bytes_scanned),
        s.files_seen,
        s.duration_ms as f64 / 1000.0
    );
    writeln!(out, "{}", st.paint("1", &summary))?;
    if !s.skipped.is_empty() {
        let parts: Vec<String> = s.skipped.iter().map(|(k, v)| format!("{v} {}", k.replace('_', " "))).collect();
        writeln!(out, "skipped: {}", parts.join(", "))?;
    }
    if s.errors > 0 {
        writeln!(out, "{} path{} could not be read:", s.errors, plural(s.errors))?;
        for e in report.errors.iter().take(20) {
            writeln!(out, "  {}: {}", sanitize(&e.path), sanitize(&e.reason))?;
        }
        if report.errors.len() > 20 || s.errors > report.errors.len() as u64 {
            writeln!(out, "  … (the JSON report lists them all)")?;
        }
    }
    Ok(())
}

fn location(f: &Finding, st: &Style) -> String {
    let mut s = format!("{}:{}:{}", sanitize(&f.path), f.line, f.column);
    if let Some(file) = &f.file {
        let _ = write!(s, "  {}", st.paint("2", &format!("mode {}", file.mode)));
    }
    if let Some(c) = &f.context {
        let parts: Vec<String> = [
            c.tool.as_deref().map(str::to_owned),
            c.profile.as_deref().map(|p| format!("profile {p}")),
            c.server.as_deref().map(|s| format!("server {s}")),
            c.field.as_deref().or(c.variable.as_deref()).map(str::to_owned),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !parts.is_empty() {
            let _ = write!(s, "  [{}]", sanitize(&parts.join(" · ")));
        }
    }
    if f.confidence != crate::rules::Confidence::High {
        let c = if f.confidence == crate::rules::Confidence::Medium { "medium confidence" } else { "low confidence" };
        let _ = write!(s, "  {}", st.paint("2", c));
    }
    if let Some(u) = &f.user {
        let _ = write!(s, "  user {}", sanitize(u));
    }
    if let Some(p) = &f.provenance {
        let commit = p.commit.as_deref().map_or("", |c| c.get(..12).unwrap_or(c));
        let (date, author) = (p.date.as_deref().unwrap_or(""), p.author.as_deref().unwrap_or(""));
        let _ = write!(s, "  {}", st.paint("2", &sanitize(&format!("commit {commit} {date} {author}"))));
    }
    if !f.risks.is_empty() {
        let _ = write!(s, "  {}", st.paint("33", &f.risks.join(" ")));
    }
    if let Some(secret) = &f.secret {
        let _ = write!(s, "  secret: {}", sanitize(secret));
    }
    s
}

/// A short "what to do" per finding, for the human report.
fn remediation(f: &Finding) -> String {
    let path = sanitize(&f.path);
    let in_history = f.risks.iter().any(|r| r == "tracked" || r == "in-git-history");
    if f.kind == "private-key" && f.risks.iter().any(|r| r == "in-git-history") {
        return "replace the key (rotate: it is in git history, where a passphrase added now does not reach)"
            .to_owned();
    }
    if f.kind == "private-key" {
        let encrypted = f.key.as_ref().is_some_and(|k| k.encrypted);
        let mut hint = if encrypted {
            "encrypted key: keep it, but prefer a hardware-backed or agent-held key".to_owned()
        } else {
            format!("add a passphrase: ssh-keygen -p -f {path}")
        };
        if f.risks.iter().any(|r| r == "permissions-too-open") {
            hint.push_str(&format!("; restrict it: chmod 600 {path}"));
        }
        return hint;
    }
    let mut hint = match f.kind.as_str() {
        "password" | "connection-string" => "rotate the password and read it from a secret manager or the environment",
        "jwt" => "revoke the session or token at its issuer; prefer short-lived tokens",
        "webhook" => "regenerate the webhook URL at the provider",
        _ => "rotate it at the provider, then move it to a secret manager and reference it (e.g. ${env:NAME})",
    }
    .to_owned();
    if in_history {
        hint.push_str("; it is in git history: rotating is the only fix");
    } else if f.risks.iter().any(|r| r == "world-readable") {
        hint.push_str(&format!("; meanwhile chmod 600 {path}"));
    }
    hint
}

fn short_fp(fp: &str) -> String {
    fp.get(..23).map_or_else(|| fp.to_owned(), |p| format!("{p}…"))
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_human() {
        assert_eq!(human_bytes(12), "12 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
    }
}
