//! Readable output for people: grouped by credential, worst first, what to do about each, colours on a terminal
//! (`--color`, `NO_COLOR` honoured).
//!
//! Every string that comes from the filesystem goes through [`crate::sanitize`] first: a file name may hold escape
//! sequences or bidi controls that would rewrite the terminal or disguise a path (the fd `sanitize.rs` lesson).
//!
//! Findings are kept as they arrive in [`Kept`], each as the few facts this report prints (its location line
//! already rendered), and grouped once at the end: the report is linear in the findings (issue #16: it used to walk
//! every finding once per credential). What to do about a credential is gathered from all its findings, naming a
//! few places and counting the rest, so one credential in 40,000 files costs no more memory than one in a single
//! file.
use std::{borrow::Cow, collections::HashMap, fmt::Write as _, io};

use serde::{Deserialize, Serialize};

use super::{
    keep::{Index, Kept, Ordered, Records},
    output::Output,
    Finding, Report, ReportWriter, Stats,
};
use crate::{
    config::Color,
    rules::{Confidence, Severity},
    sanitize::sanitize,
};

/// Places named in one line of advice; more are counted.
const NAMED: usize = 3;

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

/// How the human report is written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub color: Color,
}

/// `--format human`: the report for people, at the end.
pub struct HumanWriter {
    out: Output,
    style: Style,
    kept: Kept,
    buf: Vec<u8>,
}

impl HumanWriter {
    pub fn new(out: Output, options: Options) -> io::Result<HumanWriter> {
        let style = Style { on: want_color(options.color, out.is_terminal()) };
        let kept = Kept::new(out.dir())?;
        Ok(HumanWriter { out, style, kept, buf: Vec::new() })
    }
}

impl ReportWriter for HumanWriter {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, &Facts::of(finding, &self.style))?;
        self.kept.add(finding, &self.buf)
    }

    fn end(self: Box<Self>, report: &Report) -> (io::Result<()>, Option<Output>) {
        let HumanWriter { mut out, style, kept, .. } = *self;
        let written = kept.finish().and_then(|ordered| write_report(&mut out, report, ordered, &style));
        (written, Some(out))
    }
}

/// Whether to colour: `--color always`/`never`, or with `auto` a terminal and `NO_COLOR` unset or empty
/// (<https://no-color.org>: a command-line choice outranks the variable).
pub fn want_color(color: Color, is_terminal: bool) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// What the report prints about one finding, kept from its arrival to the end. The location line is rendered at
/// once; the rest feeds its credential's header and advice.
#[derive(Serialize, Deserialize)]
struct Facts<'a> {
    #[serde(borrow)]
    location: Cow<'a, str>,
    #[serde(borrow)]
    rule_name: Cow<'a, str>,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    path: Cow<'a, str>,
    #[serde(borrow)]
    redacted: Cow<'a, str>,
    #[serde(borrow)]
    identifier: Option<Cow<'a, str>>,
    /// The validation's name, when it says something (not `not-applicable`).
    #[serde(borrow)]
    validation: Option<Cow<'a, str>>,
    /// The key summary (`NOT encrypted ed25519 256 SHA256:…`), for a private key.
    #[serde(borrow)]
    key: Option<Cow<'a, str>>,
    /// What to do about the key of this finding, when it is an unencrypted private key.
    key_fix: Option<KeyFix>,
    /// The tool whose file holds it (kubectl, aws-cli, dotenv …).
    #[serde(borrow)]
    tool: Option<Cow<'a, str>>,
    /// A file on this machine whose permissions can be changed (not an archive member or a commit).
    local: bool,
    /// Readable by others than its owner (or a key beyond 0600).
    open: bool,
    git: Git,
}

/// Where a finding stands in git.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Git {
    /// Not in a repository, or nothing known.
    None,
    /// In a repository, not in any commit yet (staged, or an edit of a tracked file).
    Uncommitted,
    /// In a commit: history keeps it.
    Committed,
}

/// How an unencrypted private key gets protected, by where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum KeyFix {
    /// An OpenSSH key file (or a PEM key under `.ssh/`): `ssh-keygen -p` adds a passphrase in place.
    SshKeygen,
    /// A PuTTY key: `puttygen -P`.
    Puttygen,
    /// A PEM or PKCS#8 key file of some service (TLS …): ssh-keygen would rewrite it in OpenSSH's format.
    Openssl,
    /// A kubeconfig `client-key-data`: a kubeconfig cannot hold an encrypted key.
    Kubeconfig,
    /// Inside another file (a JSON or YAML string, source code): no passphrase can be added where it is.
    Embedded,
}

impl<'a> Facts<'a> {
    fn of(f: &'a Finding, st: &Style) -> Facts<'a> {
        let validation = serde_json::to_value(f.validation)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .filter(|v| v != "not-applicable");
        let key_fix = (f.kind == "private-key" && !f.key.as_ref().is_some_and(|k| k.encrypted)).then(|| key_fix(f));
        let has = |risk: &str| f.risks.iter().any(|r| r == risk);
        let git = if has("committed") || has("in-git-history") {
            Git::Committed
        } else if has("tracked") {
            Git::Uncommitted
        } else {
            Git::None
        };
        Facts {
            location: Cow::Owned(location(f, st)),
            rule_name: Cow::Borrowed(&f.rule_name),
            kind: Cow::Borrowed(&f.kind),
            path: Cow::Borrowed(&f.path),
            redacted: Cow::Borrowed(&f.redacted),
            identifier: f.identifier.as_deref().map(Cow::Borrowed),
            validation: validation.map(Cow::Owned),
            key: f.key.as_ref().map(|k| Cow::Owned(key_summary(k))),
            key_fix,
            tool: f.context.as_ref().and_then(|c| c.tool.as_deref()).map(Cow::Borrowed),
            local: f.file.is_some() && f.provenance.is_none(),
            open: has("world-readable") || has("group-readable") || has("permissions-too-open"),
            git,
        }
    }
}

fn key_summary(k: &crate::parsers::keys::KeyInfo) -> String {
    let mut s = (if k.encrypted { "encrypted" } else { "NOT encrypted" }).to_owned();
    for part in [k.key_type.clone(), k.bits.map(|b| b.to_string()), k.public_fingerprint.clone()].into_iter().flatten()
    {
        s.push(' ');
        s.push_str(&part);
    }
    s
}

/// How to protect an unencrypted key: by its format, and whether the file is the key itself.
fn key_fix(f: &Finding) -> KeyFix {
    use crate::parsers::keys::KeyFormat;
    let tool = f.context.as_ref().and_then(|c| c.tool.as_deref());
    if tool == Some("kubectl") {
        return KeyFix::Kubeconfig;
    }
    // A key file starts with its key; one found further in, or by a format's parser, sits inside something else.
    if f.context.is_some() || f.line != 1 || f.column != 1 || f.provenance.is_some() {
        return KeyFix::Embedded;
    }
    let in_ssh_dir = f.path.contains("/.ssh/") || f.path.starts_with(".ssh/");
    match f.key.as_ref().map(|k| k.format) {
        Some(KeyFormat::PuttyV2 | KeyFormat::PuttyV3) => KeyFix::Puttygen,
        Some(KeyFormat::OpensshV1) => KeyFix::SshKeygen,
        _ if in_ssh_dir => KeyFix::SshKeygen,
        _ => KeyFix::Openssl,
    }
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

/// Write the human report: each credential (worst first, then by fingerprint) with its places and what to do, then
/// the summary.
fn write_report(out: &mut impl io::Write, report: &Report, ordered: Ordered, st: &Style) -> io::Result<()> {
    let Ordered { index, mut records } = ordered;
    let mut order: Vec<u32> = (0..index.credentials() as u32).collect();
    order.sort_by(|&a, &b| index.severity(b).cmp(&index.severity(a)).then_with(|| index.cmp_fingerprints(a, b)));
    let rotate: HashMap<&str, &str> =
        report.rules.iter().filter_map(|r| Some((r.id.as_str(), r.rotate.as_deref()?))).collect();
    let ctx = Ctx { st, rotate };
    for c in order {
        write_credential(out, &index, &mut records, c, &ctx)?;
    }
    write_summary(out, report, index.credentials() as u64, st)
}

/// What every credential's part of the report shares.
struct Ctx<'a> {
    st: &'a Style,
    /// Rule id → the provider's page on rotating it.
    rotate: HashMap<&'a str, &'a str>,
}

fn write_credential(
    out: &mut impl io::Write,
    index: &Index,
    records: &mut Records,
    c: u32,
    ctx: &Ctx<'_>,
) -> io::Result<()> {
    let st = ctx.st;
    let identifier = match index.members(c).find(|e| e.has_identifier) {
        Some(e) => serde_json::from_slice::<Facts>(records.get(e)?)?.identifier.map(Cow::into_owned),
        None => None,
    };
    let mut advice = Advice::default();
    let mut first_rule = "";
    for (i, e) in index.members(c).enumerate() {
        let f: Facts = serde_json::from_slice(records.get(e)?)?;
        if i == 0 {
            first_rule = index.rule(e);
            let rules = index.rules_of(c).join(", ");
            writeln!(
                out,
                "{} {}  {}",
                st.severity(index.severity(c)),
                st.paint("1", &sanitize(&f.rule_name)),
                st.paint("2", &rules)
            )?;
            writeln!(out, "{}", header(&f, &index.fingerprint(c), identifier.as_deref()))?;
            advice.first(&f);
        }
        writeln!(out, "         {}", f.location)?;
        advice.add(&f);
    }
    for line in advice.lines() {
        writeln!(out, "         {}", st.paint("32", &format!("fix: {line}")))?;
    }
    if let Some(url) = ctx.rotate.get(first_rule) {
        writeln!(out, "         {}", st.paint("2", &format!("rotate: {}", sanitize(url))))?;
    }
    writeln!(out)
}

/// The second line of a credential: redacted form, fingerprint, identifier, validation, key.
fn header(f: &Facts<'_>, fingerprint: &str, identifier: Option<&str>) -> String {
    let mut line = format!("         {}  {}", sanitize(&f.redacted), short_fp(fingerprint));
    if let Some(id) = identifier {
        let _ = write!(line, "  id: {}", sanitize(id));
    }
    if let Some(v) = &f.validation {
        let _ = write!(line, "  [{v}]");
    }
    if let Some(k) = &f.key {
        let _ = write!(line, "  [{}]", sanitize(k));
    }
    line
}

fn write_summary(out: &mut impl io::Write, report: &Report, credentials: u64, st: &Style) -> io::Result<()> {
    let s = &report.stats;
    let mut summary = format!(
        "{} credential{} in {} finding{} · {} files scanned ({}) of {} seen",
        credentials,
        plural(credentials),
        s.findings,
        plural(s.findings),
        s.files_scanned,
        human_bytes(s.bytes_scanned),
        s.files_seen,
    );
    if let Some(part) = suppressed(s) {
        let _ = write!(summary, " · {part}");
    }
    let _ = write!(summary, " · {:.2} s", s.duration_ms as f64 / 1000.0);
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
    if credentials > 0 {
        writeln!(
            out,
            "{}",
            st.paint(
                "2",
                "not a secret? accept it with a `credsweep:allow` comment on its line, a baseline (`credsweep \
                 baseline create -o .credsweep-baseline.json`, then `--baseline .credsweep-baseline.json`), or its \
                 fingerprint in `allow_fingerprints` of .credsweep.toml"
            )
        )?;
    }
    Ok(())
}

/// `3 suppressed (baseline 2, inline 1)`: findings accepted by the project, by reason; `None` when there are none.
fn suppressed(s: &Stats) -> Option<String> {
    let total: u64 = s.suppressed.values().sum();
    (total > 0).then(|| {
        let parts: Vec<String> = s.suppressed.iter().map(|(k, v)| format!("{k} {v}")).collect();
        format!("{total} suppressed ({})", parts.join(", "))
    })
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
    if f.confidence != Confidence::High {
        let c = if f.confidence == Confidence::Medium { "medium confidence" } else { "low confidence" };
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

/// Distinct paths, in report order: the first [`NAMED`] kept, the rest counted. A path's findings are next to each
/// other in report order, so a repeat is always the path just before.
#[derive(Default)]
struct Paths {
    named: Vec<String>,
    more: u64,
    last: String,
}

impl Paths {
    fn add(&mut self, path: &str) {
        if path == self.last {
            return;
        }
        self.last = path.to_owned();
        if self.named.len() < NAMED {
            self.named.push(sanitize(path));
        } else {
            self.more += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.named.is_empty()
    }

    /// `a b c (and 4 more)` with `sep` between the named paths, each through `each`.
    fn list(&self, sep: &str, each: impl Fn(&str) -> String) -> String {
        let mut s = self.named.iter().map(|p| each(p)).collect::<Vec<_>>().join(sep);
        if self.more > 0 {
            let _ = write!(s, " (and {} more)", self.more);
        }
        s
    }
}

/// What to do about one credential, gathered from its findings.
#[derive(Default)]
struct Advice {
    /// What the credential's kind calls for (from its first finding).
    action: String,
    kind: String,
    /// Unencrypted key copies, by how each is protected.
    keys: Vec<(KeyFix, Paths)>,
    /// Copies readable by others: `chmod 600`.
    open: Paths,
    /// Copies in a commit: rotating is the only fix.
    committed: Paths,
    /// Copies in a repository but not committed yet: take them out before the commit.
    uncommitted: Paths,
}

impl Advice {
    fn first(&mut self, f: &Facts<'_>) {
        self.kind = f.kind.to_string();
        self.action = match f.kind.as_ref() {
            "private-key" if f.key_fix.is_none() => {
                "encrypted key: keep it, but prefer a hardware-backed or agent-held key".to_owned()
            }
            "private-key" => String::new(),
            "password" | "connection-string" => {
                "rotate the password and read it from a secret manager or the environment".to_owned()
            }
            "jwt" => "revoke the session or token at its issuer; prefer short-lived tokens".to_owned(),
            "webhook" => "regenerate the webhook URL at the provider".to_owned(),
            _ => "rotate it at the provider, then move it to a secret manager and reference it (e.g. ${env:NAME})"
                .to_owned(),
        };
    }

    fn add(&mut self, f: &Facts<'_>) {
        if let Some(how) = f.key_fix {
            match self.keys.iter_mut().find(|(k, _)| *k == how) {
                Some((_, paths)) => paths.add(&f.path),
                None => {
                    let mut paths = Paths::default();
                    paths.add(&f.path);
                    self.keys.push((how, paths));
                }
            }
        }
        if f.open && f.local {
            self.open.add(&f.path);
        }
        match f.git {
            Git::Committed => self.committed.add(&f.path),
            Git::Uncommitted => self.uncommitted.add(&f.path),
            Git::None => {}
        }
    }

    /// One line per thing to do, most important first: history, a change not committed yet, the credential's own
    /// fix, permissions.
    fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let key = self.kind == "private-key";
        if !self.committed.is_empty() {
            let what = if key { "replace the key" } else { "rotate it" };
            out.push(format!(
                "{what}: it is in git history ({}), where removing it from the file does not reach",
                self.committed.list(", ", str::to_owned)
            ));
        }
        if !self.uncommitted.is_empty() {
            out.push(format!(
                "not committed yet ({}): remove it from the staged change — take it out and `git add` the file \
                 again, or unstage the file (`git restore --staged FILE`)",
                self.uncommitted.list(", ", str::to_owned)
            ));
        }
        if self.committed.is_empty() {
            if !self.action.is_empty() {
                out.push(self.action.clone());
            }
            out.extend(self.keys.iter().map(|(how, paths)| key_line(*how, paths)));
        }
        if !self.open.is_empty() {
            out.push(format!("restrict it: chmod 600 {}", self.open.list(" ", str::to_owned)));
        }
        out
    }
}

/// The advice for unencrypted key copies protected the same way.
fn key_line(how: KeyFix, paths: &Paths) -> String {
    match how {
        KeyFix::SshKeygen => format!("add a passphrase: {}", paths.list("; ", |p| format!("ssh-keygen -p -f {p}"))),
        KeyFix::Puttygen => format!("add a passphrase: {}", paths.list("; ", |p| format!("puttygen {p} -P"))),
        KeyFix::Openssl => format!(
            "keep it readable only by the service that uses it, or encrypt it: {}",
            paths.list("; ", |p| format!("openssl pkey -in {p} -aes256 -out {p}.enc"))
        ),
        KeyFix::Kubeconfig => format!(
            "a kubeconfig cannot hold an encrypted key ({}): prefer short-lived credentials (an exec credential \
             plugin or OIDC) to client-key-data, and keep the file readable by you alone",
            paths.list(", ", str::to_owned)
        ),
        KeyFix::Embedded => format!(
            "the key is written inside {}: move it to a key file with a passphrase, or into an agent or keychain, and \
             remove it there",
            paths.list(", ", str::to_owned)
        ),
    }
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
mod tests;
