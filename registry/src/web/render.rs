//! The pages' HTML, built from the read side's typed rows ([`crate::query`]).
//!
//! Everything a report contains (hostnames, paths, users, rule names, tags) comes from endpoints and is untrusted:
//! every value goes through [`esc`] on its way into the HTML (numbers are formatted, never copied), and the page's
//! Content-Security-Policy allows no script at all, so even a missed escape could not run code.

use crate::query::credentials::Sighting;
use crate::query::{CredentialDetail, CredentialSummary, Finding, HostDetail, HostSummary, ReportSummary, Summary};
use std::collections::BTreeMap;
use std::fmt::Write as _;

// What one page renders, at most (issue #16: one 85,000-finding report made the front page 38 MB). Every list is
// paged or capped, so a page's size does not grow with the fleet or with one large report.

/// Hosts per page of the front page's hosts list.
pub const HOSTS_PER_PAGE: u32 = 25;
/// Findings shown under each host on the front page (its worst; the host page has all of them).
pub const INVENTORY_ROWS: u32 = 20;
/// Rows of the "most widely shared" table.
pub const SHARED_ROWS: u32 = 20;
/// Rows of the "credentials by kind" table (kinds are free text from reports; the rest are counted).
pub const KIND_ROWS: usize = 30;
/// Findings per page of a host's inventory, and reports per page of its history.
pub const FINDINGS_PER_PAGE: u32 = 100;
pub const REPORTS_PER_PAGE: u32 = 50;
/// Sightings per page of a credential (its sprawl now, and its history).
pub const SIGHTINGS_PER_PAGE: u32 = 100;
/// Hosts named per row of the "most widely shared" table.
pub const SHARED_HOSTS_NAMED: u32 = 5;

/// Escape for HTML text and double-quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An optional text as escaped text; empty when absent.
pub fn opt(s: &Option<String>) -> String {
    s.as_deref().map(esc).unwrap_or_default()
}

/// A list of strings (risk labels, rules) as escaped, comma-separated text; empty when absent.
pub fn list(items: Option<&[String]>) -> String {
    items.map(|a| a.iter().map(|s| esc(s)).collect::<Vec<_>>().join(", ")).unwrap_or_default()
}

/// A JSON value (a tag's value) as escaped text: strings bare, null empty, anything else as JSON.
fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => esc(s),
        serde_json::Value::Null => String::new(),
        other => esc(&other.to_string()),
    }
}

/// The frame of every page; `signed_in` adds the navigation and the logout button.
pub fn layout(title: &str, signed_in: bool, main: &str) -> String {
    let nav = if signed_in {
        "<nav><a href=\"/\">Fleet</a><a href=\"/credentials\">Credentials</a><a href=\"/standing\">Standing</a>\
         <a href=\"/agents\">AI agents</a><form method=\"post\" action=\"/logout\"><button type=\"submit\">Log out\
         </button></form></nav>"
    } else {
        ""
    };
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — credsweep registry</title>\n<link rel=\"stylesheet\" href=\"/app.css\">\n</head>\n<body>\n\
         <header><h1>credsweep registry</h1>{nav}</header>\n<main>\n{main}</main>\n</body>\n</html>\n",
        esc(title)
    )
}

/// The login form's main part, with an error message if the last attempt was refused.
pub fn login_form(error: Option<&str>) -> String {
    let error = error.map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>\n", esc(e))).unwrap_or_default();
    format!(
        "<h2>Sign in</h2>\n{error}<form method=\"post\" action=\"/login\" class=\"login\">\n\
         <label for=\"token\">Read token</label>\n\
         <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" spellcheck=\"false\" \
         placeholder=\"csr_…\" required>\n<button type=\"submit\">Sign in</button>\n</form>\n\
         <p>Create one with <code>credsweep-registry token create --name NAME --scope read</code>. \
         The page keeps a session cookie, never the token.</p>\n"
    )
}

/// An error page's main part.
pub fn error(status: &str, message: &str) -> String {
    format!("<h2>{status}</h2>\n<p>{}</p>\n<p><a href=\"/\">Back to the fleet</a></p>\n", esc(message))
}

/// A table from headings and rows of already-escaped cells.
pub fn table(class: &str, heads: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = format!("<table class=\"{class}\">\n<thead><tr>");
    for h in heads {
        let _ = write!(out, "<th>{h}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

pub fn severity_cell(severity: Option<&str>) -> String {
    let s = severity.map(esc).unwrap_or_default();
    format!("<span class=\"sev {s}\">{s}</span>")
}

/// A link to a credential's page, shown as its scheme (`sha256:`, `hmac-sha256:`) and the first 12 hex digits (the
/// whole fingerprint is in the link and its title).
pub fn credential_link(full: &str) -> String {
    let (scheme, hex) = full.rsplit_once(':').map_or(("", full), |(s, h)| (s, h));
    let short = format!("{scheme}:{}", hex.chars().take(12).collect::<String>());
    let (full, short) = (esc(full), esc(&short));
    format!("<a href=\"/credentials/{full}\" title=\"{full}\"><code>{short}…</code></a>")
}

pub fn host_link(id: i64, name: &str) -> String {
    format!("<a href=\"/hosts/{id}\">{}</a>", esc(name))
}

/// What the front page shows: the summary, the most widely shared credentials, one page of hosts with the
/// inventories of their latest reports.
pub struct Dashboard {
    pub summary: Summary,
    pub shared: Vec<CredentialSummary>,
    pub hosts: Vec<HostSummary>,
    /// Hosts matching the search (all of them without one).
    pub hosts_total: i64,
    /// Each shown host's worst current findings, by host id.
    pub inventories: BTreeMap<i64, Vec<Finding>>,
    /// The first host of this page.
    pub offset: u32,
    /// The host search (hostname or machine id prefix), if any.
    pub search: Option<String>,
}

pub fn dashboard(d: &Dashboard) -> String {
    let mut m = summary_section(&d.summary);
    m.push_str(&shared_section(&d.shared));
    m.push_str(&hosts_section(d));
    m
}

fn summary_section(sum: &Summary) -> String {
    let mut m = String::from("<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"cards\">\n");
    for (key, label, n) in [
        ("hosts", "Hosts", sum.hosts),
        ("reports", "Reports", sum.reports),
        ("credentials", "Credentials", sum.credentials),
        ("findings", "Findings", sum.findings),
        ("unencrypted_private_keys", "Unencrypted private keys", sum.unencrypted_private_keys),
        ("mcp_secrets", "MCP secrets", sum.mcp_secrets),
        ("on_multiple_hosts", "On multiple hosts", sum.on_multiple_hosts),
    ] {
        let _ = writeln!(m, "<div id=\"count-{key}\"><dt>{label}</dt><dd>{n}</dd></div>");
    }
    m.push_str("</dl>\n");
    let severities = sum.by_severity.0.iter().map(|(k, n)| {
        let link = format!("<a href=\"/credentials?severity={}\">{n}</a>", esc(k));
        vec![severity_cell(Some(k)), link]
    });
    m.push_str("<div class=\"split\">\n<div>\n<h3>Credentials by severity</h3>\n");
    m.push_str(&table("severities", &["Severity", "Credentials"], severities));
    m.push_str("</div>\n<div>\n<h3>Credentials by kind</h3>\n");
    let kinds = sum.by_kind.0.iter().take(KIND_ROWS).map(|(k, n)| vec![esc(k), n.to_string()]);
    m.push_str(&table("counts", &["Kind", "Credentials"], kinds));
    if sum.by_kind.0.len() > KIND_ROWS {
        let _ = writeln!(m, "<p class=\"more\">And {} more kinds.</p>", sum.by_kind.0.len() - KIND_ROWS);
    }
    m.push_str("</div>\n</div>\n</section>\n");
    m
}

fn shared_section(shared: &[CredentialSummary]) -> String {
    let mut m = String::from("<section id=\"shared\">\n<h2>Most widely shared credentials</h2>\n");
    if shared.is_empty() {
        m.push_str("<p>No credential is on more than one host.</p>\n");
    } else {
        m.push_str(&table(
            "credentials",
            &[
                "Hosts",
                "On",
                "Locations",
                "Severity",
                "Rule",
                "Kind",
                "Redacted",
                "Identifier",
                "Last seen",
                "Fingerprint",
            ],
            shared.iter().map(|v| {
                let mut named: Vec<String> = v.some_hosts.iter().map(|h| host_link(h.id, &h.hostname)).collect();
                if v.hosts > named.len() as i64 {
                    let more = v.hosts - named.len() as i64;
                    let fp = esc(&v.fingerprint);
                    named.push(format!("<a href=\"/credentials/{fp}\">and {more} more</a>"));
                }
                vec![
                    v.hosts.to_string(),
                    named.join(", "),
                    v.locations.to_string(),
                    severity_cell(v.worst_exposure.as_ref().map(|e| e.severity)),
                    esc(&v.rule),
                    esc(&v.kind),
                    format!("<code>{}</code>", esc(&v.redacted)),
                    opt(&v.identifier),
                    esc(&v.last_seen),
                    credential_link(&v.fingerprint),
                ]
            }),
        ));
    }
    m.push_str("</section>\n");
    m
}

fn hosts_section(d: &Dashboard) -> String {
    let (hosts, offset, total) = (&d.hosts, d.offset, d.hosts_total);
    let mut m = String::from("<section id=\"hosts\">\n<h2>Hosts</h2>\n");
    let _ = writeln!(
        m,
        "<form method=\"get\" action=\"/\" class=\"search\"><label for=\"q\">Hostname or machine id</label>\
         <input id=\"q\" name=\"q\" value=\"{}\" placeholder=\"starts with…\"><button type=\"submit\">Find</button></form>",
        opt(&d.search)
    );
    if hosts.is_empty() {
        m.push_str(if d.search.is_some() { "<p>No host matches.</p>\n" } else { "<p>No host has reported yet.</p>\n" });
    } else {
        let _ = writeln!(m, "<p>Hosts {}–{} of {total}, by name.</p>", offset + 1, offset as usize + hosts.len());
    }
    for h in hosts {
        let inventory = d.inventories.get(&h.id).map_or(&[][..], Vec::as_slice);
        let _ = writeln!(
            m,
            "<details class=\"host\" id=\"host-{id}\">\n<summary><strong>{name}</strong> — {os} · last scan {last} · \
             {findings} findings, {creds} credentials</summary>\n<p><a href=\"/hosts/{id}\">Host page and scan \
             history</a></p>",
            id = h.id,
            name = esc(&h.hostname),
            os = esc(h.os_version.as_deref().unwrap_or(&h.os)),
            last = esc(&h.last_seen),
            findings = h.findings,
            creds = h.credentials,
        );
        m.push_str(&inventory_table(inventory));
        if h.findings > inventory.len() as i64 {
            let _ = writeln!(
                m,
                "<p class=\"more\">The {} worst of {} findings; <a href=\"/hosts/{}\">all of them on the host \
                 page</a>.</p>",
                inventory.len(),
                h.findings,
                h.id
            );
        }
        m.push_str("</details>\n");
    }
    let next = (i64::from(offset) + (hosts.len() as i64) < total).then_some(i64::from(offset + HOSTS_PER_PAGE));
    let search = d
        .search
        .as_deref()
        .map(|q| format!("&q={}", form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()));
    m.push_str(&pager("hosts", offset, HOSTS_PER_PAGE, next, |o| {
        format!("/?hosts={o}{}", search.as_deref().unwrap_or(""))
    }));
    m.push_str("</section>\n");
    m
}

/// "Previous NOUN · Next NOUN" links for one paged list, or nothing when it fits on one page. `link` makes the URL
/// of the page starting at an offset.
pub fn pager(noun: &str, offset: u32, per_page: u32, next: Option<i64>, link: impl Fn(i64) -> String) -> String {
    let mut links = Vec::new();
    if offset > 0 {
        let previous = i64::from(offset.saturating_sub(per_page));
        links.push(format!("<a href=\"{}\">Previous {noun}</a>", esc(&link(previous))));
    }
    if let Some(n) = next {
        links.push(format!("<a href=\"{}\">Next {noun}</a>", esc(&link(n))));
    }
    if links.is_empty() {
        String::new()
    } else {
        format!("<p class=\"pager\">{}</p>\n", links.join(" · "))
    }
}

fn inventory_table(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "<p>No current findings.</p>\n".to_owned();
    }
    table(
        "inventory",
        &[
            "Severity",
            "Rule",
            "Kind",
            "Path",
            "Line",
            "User",
            "Tool",
            "Redacted",
            "Identifier",
            "Risks",
            "Scope",
            "Credential",
        ],
        findings.iter().map(|f| {
            let kind = match f.key_encrypted {
                Some(true) => format!("{} (encrypted)", esc(&f.kind)),
                Some(false) => format!("{} (unencrypted)", esc(&f.kind)),
                None => esc(&f.kind),
            };
            vec![
                severity_cell(Some(&f.severity)),
                esc(&f.rule),
                kind,
                format!("<code>{}</code>", esc(&f.path)),
                f.line.to_string(),
                opt(&f.user),
                opt(&f.tool),
                format!("<code>{}</code>", esc(&f.redacted)),
                opt(&f.identifier),
                list(f.risks.as_deref()),
                opt(&f.scope),
                credential_link(&f.fingerprint),
            ]
        }),
    )
}

/// A host's page; `findings` and `reports` are the offsets of the two lists' pages shown.
pub fn host(h: &HostDetail, findings: u32, reports: u32) -> String {
    let s = &h.host;
    let mut m = format!("<h2>Host {}</h2>\n<dl class=\"facts\">\n", esc(&s.hostname));
    for (label, value) in [
        ("Host key", esc(&s.host_key)),
        ("Machine id", opt(&s.machine_id)),
        ("OS", esc(&s.os)),
        ("OS version", opt(&s.os_version)),
        ("Architecture", esc(&s.arch)),
        ("First scan", esc(&s.first_seen)),
        ("Last scan", esc(&s.last_seen)),
        ("Current findings", s.findings.to_string()),
        ("Current credentials", s.credentials.to_string()),
        ("Reports", s.reports.to_string()),
    ] {
        let _ = writeln!(m, "<dt>{label}</dt><dd>{value}</dd>");
    }
    let link = |findings: i64, reports: i64| format!("/hosts/{}?findings={findings}&reports={reports}", s.id);
    m.push_str("</dl>\n<h3>Scopes</h3>\n");
    m.push_str(&table(
        "scopes",
        &["Scope", "Kind", "Latest scan", "Reports", "Current findings"],
        h.scopes.iter().map(|sc| {
            vec![
                esc(&sc.label),
                esc(&sc.kind),
                opt(&sc.latest_scanned),
                sc.reports.to_string(),
                sc.findings.to_string(),
            ]
        }),
    ));
    m.push_str("<h3>Current inventory</h3>\n");
    m.push_str(&shown("finding", findings, h.current_findings.len(), s.findings));
    m.push_str(&inventory_table(&h.current_findings));
    let next = h.findings_next_offset;
    m.push_str(&pager("findings", findings, FINDINGS_PER_PAGE, next, |o| link(o, i64::from(reports))));
    m.push_str("<h3>Scan history</h3>\n");
    m.push_str(&shown("report", reports, h.history.len(), s.reports));
    m.push_str(&history_table(&h.history));
    let next = h.history_next_offset;
    m.push_str(&pager("reports", reports, REPORTS_PER_PAGE, next, |o| link(i64::from(findings), o)));
    m
}

/// "Findings 101–200 of 85000." when a list does not fit on one page; nothing when it does.
pub fn shown(noun: &str, offset: u32, rows: usize, total: i64) -> String {
    if offset == 0 && rows as i64 >= total {
        return String::new();
    }
    let first = if rows == 0 { offset as usize } else { offset as usize + 1 };
    format!("<p>{}{}s {first}–{} of {total}.</p>\n", noun[..1].to_uppercase(), &noun[1..], offset as usize + rows)
}

fn history_table(history: &[ReportSummary]) -> String {
    table(
        "history",
        &["Finished", "Received", "Scope", "User", "Scanner", "Complete", "Findings", "Tags", "Current"],
        history.iter().map(|r| {
            vec![
                esc(&r.finished_at),
                esc(&r.received_at),
                opt(&r.scope),
                opt(&r.user),
                esc(&r.scanner_version),
                r.complete.to_string(),
                r.findings.to_string(),
                r.tags
                    .iter()
                    .flatten()
                    .map(|(k, v)| format!("{}={}", esc(k), json_text(v)))
                    .collect::<Vec<_>>()
                    .join(" "),
                if r.current { "current".to_owned() } else { String::new() },
            ]
        }),
    )
}

/// A credential's page; `current` and `sightings` are the offsets of the two lists' pages shown.
pub fn credential(v: &CredentialDetail, current: u32, sightings: u32) -> String {
    let s = &v.summary;
    let exposure = s.worst_exposure.as_ref();
    let mut m = format!("<h2>Credential <code>{}</code></h2>\n<dl class=\"facts\">\n", esc(&s.fingerprint));
    for (label, value) in [
        ("Rule", esc(&s.rule)),
        ("Every rule that matched it", list(Some(&s.rules))),
        ("Kind", esc(&s.kind)),
        ("Redacted", format!("<code>{}</code>", esc(&s.redacted))),
        ("Identifier", opt(&s.identifier)),
        ("Hosts now", s.hosts.to_string()),
        ("Locations now", s.locations.to_string()),
        ("Worst severity now", severity_cell(exposure.map(|e| e.severity))),
        ("Risks now", list(exposure.map(|e| e.risks.as_slice()))),
        ("First seen", esc(&s.first_seen)),
        ("Last seen", esc(&s.last_seen)),
        ("Known since", esc(&s.known_since)),
        ("Oldest file modified", opt(&s.oldest_file_modified)),
        ("Issued (JWT)", opt(&s.issued_at)),
        ("Expires (JWT)", opt(&s.expires_at)),
    ] {
        let _ = writeln!(m, "<dt>{label}</dt><dd>{value}</dd>");
    }
    let link = |c: i64, h: i64| format!("/credentials/{}?current={c}&sightings={h}", s.fingerprint);
    m.push_str("</dl>\n<h3 id=\"sprawl\">Where it is now</h3>\n");
    m.push_str(&shown("location", current, v.current.len(), s.locations));
    if v.current.is_empty() {
        m.push_str("<p>Resolved everywhere: no host holds it now.</p>\n");
    } else {
        m.push_str(&sightings_table("sprawl", &v.current));
    }
    let next = v.current_next_offset;
    m.push_str(&pager("locations", current, SIGHTINGS_PER_PAGE, next, |o| link(o, i64::from(sightings))));
    m.push_str("<h3>Every sighting</h3>\n");
    m.push_str(&sightings_table("history", &v.history));
    let next = v.history_next_offset;
    m.push_str(&pager("sightings", sightings, SIGHTINGS_PER_PAGE, next, |o| link(i64::from(current), o)));
    m
}

fn sightings_table(class: &str, rows: &[Sighting]) -> String {
    table(
        class,
        &["Scanned", "Host", "User", "Path", "Line", "Rule", "Severity", "Risks", "Scope", "Current"],
        rows.iter().map(|s| {
            vec![
                esc(&s.scanned_at),
                host_link(s.host_id, &s.hostname),
                opt(&s.user),
                format!("<code>{}</code>", esc(&s.path)),
                s.line.to_string(),
                esc(&s.rule),
                severity_cell(Some(&s.severity)),
                list(s.risks.as_deref()),
                opt(&s.scope),
                if s.current { "current".to_owned() } else { "resolved".to_owned() },
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(json_text(&serde_json::json!("<b>")), "&lt;b&gt;");
        assert_eq!(list(Some(&["<a>".to_owned(), "b".to_owned()])), "&lt;a&gt;, b");
    }

    #[test]
    fn pages_have_no_script() {
        let host = HostSummary {
            id: 1,
            host_key: "<script>k</script>".into(),
            kind: "machine".into(),
            hostname: "<script>x</script>".into(),
            machine_id: None,
            os: "<script>".into(),
            os_version: None,
            arch: "x".into(),
            first_seen: String::new(),
            last_seen: String::new(),
            latest_report_id: None,
            reports: 0,
            findings: 0,
            credentials: 0,
        };
        let detail = HostDetail {
            host,
            latest_report: None,
            scopes: Vec::new(),
            current_findings: Vec::new(),
            findings_next_offset: None,
            history: Vec::new(),
            history_next_offset: None,
        };
        let html = layout("t", true, &self::host(&detail, 0, 0));
        assert!(!html.contains("<script"), "{html}");
    }
}
