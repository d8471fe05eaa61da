//! The pages a security team works from (issue #15): the credential list with its filters, search, order and
//! export links; standing credentials, oldest first; AI-agent exposure by client and MCP server. Each is one page of
//! its list (see the `*_PER_PAGE` bounds), built from the read side's typed rows, every value escaped.

use super::render::{credential_link, esc, list, opt, pager, severity_cell, table};
use crate::model::SEVERITIES;
use crate::query::filter::{Filter, Sort, RISKS};
use crate::query::{Agents, CredentialPage, CredentialSummary};
use std::fmt::Write as _;

/// Credentials per page of the list and of the standing credentials.
pub const CREDENTIALS_PER_PAGE: u32 = 50;
/// Groups per page of the AI-agent view.
pub const AGENT_GROUPS_PER_PAGE: u32 = 50;

/// A text input of the filter form, holding the value in force.
fn text_input(name: &str, label: &str, value: Option<&str>) -> String {
    format!("<label>{label} <input name=\"{name}\" value=\"{}\"></label>\n", esc(value.unwrap_or("")))
}

/// A select of the filter form; `options` are (value, label), the first one empty (no condition).
fn select(name: &str, label: &str, options: &[(&str, &str)], value: &str) -> String {
    let mut s = format!("<label>{label} <select name=\"{name}\">");
    for (v, l) in options {
        let selected = if *v == value { " selected" } else { "" };
        let _ = write!(s, "<option value=\"{}\"{selected}>{}</option>", esc(v), esc(l));
    }
    s.push_str("</select></label>\n");
    s
}

/// The filter form (a GET form: it only reads), with the filter in force filled in.
fn filter_form(f: &Filter) -> String {
    let equal = |column: &str| f.equal.iter().find(|(c, _)| *c == column).map(|(_, v)| v.as_str());
    let mut m = String::from("<form method=\"get\" action=\"/credentials\" class=\"filters\">\n");
    m.push_str(&text_input("path", "Path contains", f.path.as_deref()));
    m.push_str(&text_input("host", "Host", f.host.as_deref()));
    m.push_str(&text_input("user", "User", equal("f.user_name")));
    m.push_str(&text_input("provider", "Provider", equal("f.provider")));
    m.push_str(&text_input("rule", "Rule", equal("f.rule")));
    m.push_str(&text_input("kind", "Kind", equal("f.kind")));
    m.push_str(&text_input("tool", "Tool", equal("f.tool")));
    m.push_str(&text_input("server", "MCP server", equal("f.server")));
    let mut severities = vec![("", "any")];
    severities.extend(SEVERITIES.iter().rev().map(|s| (*s, *s)));
    let severity = match f.severities.as_slice() {
        [one] => crate::model::severity_name(*one),
        _ => "",
    };
    m.push_str(&select("severity", "Severity", &severities, severity));
    let mut risks = vec![("", "any")];
    risks.extend(RISKS.iter().map(|r| (*r, *r)));
    m.push_str(&select("risk", "Risk", &risks, f.risk.as_deref().unwrap_or("")));
    let min_hosts = f.min_hosts.map(|n| n.to_string());
    m.push_str(&text_input("min_hosts", "On at least N hosts", min_hosts.as_deref()));
    for (name, label) in [
        ("first_seen_since", "First seen since"),
        ("first_seen_before", "First seen before"),
        ("last_seen_since", "Last seen since"),
        ("last_seen_before", "Last seen before"),
    ] {
        let v = f.times.iter().find(|(n, ..)| *n == name).map(|(.., t)| &t[..10]);
        let _ = writeln!(
            m,
            "<label>{label} <input type=\"date\" name=\"{name}\" value=\"{}\"></label>",
            esc(v.unwrap_or(""))
        );
    }
    let sorts: Vec<(&str, &str)> = Sort::ALL.iter().map(|(n, _)| (*n, *n)).collect();
    m.push_str(&select("sort", "Order by", &sorts, f.sort.unwrap_or(Sort::Severity).name()));
    m.push_str(&select("order", "Direction", &[("", "default"), ("asc", "ascending"), ("desc", "descending")], ""));
    m.push_str("<button type=\"submit\">Filter</button> <a href=\"/credentials\">Clear</a>\n</form>\n");
    m
}

/// The credential list page: the form, the export links, one page of rows.
pub fn credentials(f: &Filter, page: &CredentialPage) -> String {
    let q = f.query_string();
    let mut m = String::from("<h2>Credentials</h2>\n");
    m.push_str(&filter_form(f));
    let sep = if q.is_empty() { "" } else { "&" };
    let _ = writeln!(
        m,
        "<p class=\"export\">{} credentials present now match. Export them all: \
         <a href=\"/export/credentials.csv?{q}\">CSV</a> · <a href=\"/export/credentials.json?{q}\">JSON</a></p>",
        page.page.total,
        q = esc(&q)
    );
    m.push_str(&credential_table(&page.credentials));
    let offset = page.page.offset;
    let link = |o: i64| format!("/credentials?{q}{sep}offset={o}");
    m.push_str(&pager("credentials", offset, CREDENTIALS_PER_PAGE, page.page.next_offset, link));
    m
}

fn credential_table(rows: &[CredentialSummary]) -> String {
    table(
        "credentials",
        &[
            "Severity",
            "Hosts",
            "Locations",
            "Rule",
            "Kind",
            "Redacted",
            "Identifier",
            "Risks",
            "First seen",
            "Last seen",
            "Fingerprint",
        ],
        rows.iter().map(|c| {
            let exposure = c.worst_exposure.as_ref();
            vec![
                severity_cell(exposure.map(|e| e.severity)),
                c.hosts.to_string(),
                c.locations.to_string(),
                esc(&c.rule),
                esc(&c.kind),
                format!("<code>{}</code>", esc(&c.redacted)),
                opt(&c.identifier),
                list(exposure.map(|e| e.risks.as_slice())),
                esc(&c.first_seen),
                esc(&c.last_seen),
                credential_link(&c.fingerprint),
            ]
        }),
    )
}

/// Standing credentials: present now, known to exist the longest first.
pub fn standing(page: &CredentialPage) -> String {
    let mut m = String::from(
        "<h2>Standing credentials</h2>\n<p>Present now, oldest first: known since the earliest of when the registry \
         first saw it, when a file holding it was last modified, and when a JWT was issued. A credential that old has \
         not been rotated.</p>\n",
    );
    m.push_str(&table(
        "standing",
        &[
            "Known since",
            "First seen",
            "File modified",
            "Issued (JWT)",
            "Expires (JWT)",
            "Severity",
            "Hosts",
            "Rule",
            "Redacted",
            "Fingerprint",
        ],
        page.credentials.iter().map(|c| {
            vec![
                esc(&c.known_since),
                esc(&c.first_seen),
                opt(&c.oldest_file_modified),
                opt(&c.issued_at),
                opt(&c.expires_at),
                severity_cell(c.worst_exposure.as_ref().map(|e| e.severity)),
                c.hosts.to_string(),
                esc(&c.rule),
                format!("<code>{}</code>", esc(&c.redacted)),
                credential_link(&c.fingerprint),
            ]
        }),
    ));
    let next = page.page.next_offset;
    m.push_str(&pager("credentials", page.page.offset, CREDENTIALS_PER_PAGE, next, |o| {
        format!("/standing?offset={o}")
    }));
    m
}

/// AI-agent exposure: per client and MCP server, its secrets and on how many hosts.
pub fn agents(a: &Agents) -> String {
    let mut m = format!(
        "<h2>AI agent exposure</h2>\n<p>{} credentials written into MCP client configs and agent transcripts, on {} \
         hosts.</p>\n",
        a.credentials, a.hosts
    );
    if a.groups.is_empty() {
        m.push_str("<p>No agent tool holds a secret.</p>\n");
    }
    m.push_str(&table(
        "agents",
        &["Client", "MCP server", "Credentials", "Hosts", "Findings", "Most widespread secrets"],
        a.groups.iter().map(|g| {
            let mut q = form_urlencoded::Serializer::new(String::new());
            q.append_pair("tool", &g.tool);
            if let Some(s) = &g.server {
                q.append_pair("server", s);
            }
            let secrets: Vec<String> = g
                .secrets
                .iter()
                .map(|s| {
                    format!(
                        "{} {} <code>{}</code> on {} {}",
                        severity_cell(Some(&s.severity)),
                        esc(&s.rule),
                        esc(&s.redacted),
                        s.hosts,
                        credential_link(&s.fingerprint)
                    )
                })
                .collect();
            vec![
                format!("{} <small>({})</small>", esc(&g.client), esc(&g.tool)),
                opt(&g.server),
                format!("<a href=\"/credentials?{}\">{}</a>", esc(&q.finish()), g.credentials),
                g.hosts.to_string(),
                g.findings.to_string(),
                secrets.join("<br>"),
            ]
        }),
    ));
    let next = a.page.next_offset;
    m.push_str(&pager("groups", a.page.offset, AGENT_GROUPS_PER_PAGE, next, |o| format!("/agents?offset={o}")));
    m
}
