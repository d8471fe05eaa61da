//! Format-aware parsers for the files where credentials live on endpoints (`.env`, MCP client configs, shell
//! histories, cloud CLI credential files, private keys).
//!
//! Regex rules find tokens in any text; a parser knows a format's grammar, so it can report a value *because of where
//! it sits* (a `*_SECRET` variable, an MCP server's `env`, an AWS profile) and say so: variable name, client, server,
//! field, tool, profile. Every parser is a pure function from (path, text) to [`Candidate`]s — no I/O — so golden
//! tests under `fixtures/` pin them exactly (one harness, `golden`).
//!
//! The foundation every format builds on, so that formats agree and a new one starts from it:
//! - [`classify`]: path → [`classify::FileKind`], which parser (if any) a file goes to;
//! - [`judge`]: does a name say secret, is a value a secret, a reference, a placeholder or empty, URL user-info —
//!   decided once, for every format, and pinned by one table test across formats;
//! - [`document`]: one position-keeping reader for JSON/JSONC, YAML and TOML into one [`document::Node`] tree.
//!
//! Formats, each depending only on the foundation (never on a sibling format): [`dotenv`], [`history`], [`mcp`],
//! [`credfiles`] (a table of tools, one row per tool), [`keys`]. DESIGN.md ("Parsers") says where a new format goes.
use std::{ops::Range, path::Path};

use serde::Serialize;

pub mod classify;
pub mod credfiles;
pub mod document;
pub mod dotenv;
#[cfg(test)]
mod golden;
pub mod history;
pub mod judge;
pub mod keys;
pub mod mcp;
#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use crate::rules::{Confidence, FingerprintKind, RuleSpec, Severity};
use classify::FileKind;

/// Rule ids of parser findings.
pub const DOTENV_RULE: &str = "dotenv-secret";
pub const HISTORY_RULE: &str = "shell-history-secret";
pub const MCP_RULE: &str = "mcp-config-secret";
pub const CREDFILE_RULE: &str = "credential-file-secret";

/// Descriptions of the rules parsers report under (see [`crate::rules::RuleSet::parser_rules`]).
pub fn rule_specs() -> Vec<RuleSpec> {
    let spec = |id: &str, name: &str, kind: &str, severity: Severity, description: &str, reference: &str| RuleSpec {
        id: id.to_owned(),
        name: name.to_owned(),
        severity,
        kind: kind.to_owned(),
        provider: None,
        description: Some(description.to_owned()),
        keywords: Vec::new(),
        pattern: String::new(),
        assignment: None,
        min_entropy: None,
        validator: None,
        fingerprint: FingerprintKind::Raw,
        window: None,
        priority: 0,
        references: vec![reference.to_owned()],
        rotate: None,
        // A parser knows the grammar but often only the variable's *name* says secret.
        confidence: if id == CREDFILE_RULE { Confidence::High } else { Confidence::Medium },
        examples: Vec::new(),
        negative_examples: Vec::new(),
    };
    vec![
        spec(
            DOTENV_RULE,
            "Secret in a .env file",
            "secret",
            Severity::High,
            "A literal secret assigned to a variable whose name says secret (or a recognised token) in a dotenv file.",
            "https://12factor.net/config",
        ),
        spec(
            HISTORY_RULE,
            "Secret in shell history",
            "secret",
            Severity::High,
            "A secret typed on a command line (export, curl -H Authorization, -p password …) and kept in shell history.",
            "https://www.gnu.org/software/bash/manual/html_node/Bash-History-Facilities.html",
        ),
        spec(
            MCP_RULE,
            "Secret in an MCP client config",
            "secret",
            Severity::High,
            "A literal credential in an MCP server's env, headers, args or URL in an AI client's config file.",
            "https://modelcontextprotocol.io/quickstart/user",
        ),
        spec(
            CREDFILE_RULE,
            "Credential in a tool's credential file",
            "secret",
            Severity::High,
            "A credential stored in clear by a developer or cloud tool (AWS CLI, kubeconfig, Docker, npm, netrc …).",
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        ),
    ]
}

/// Where a value sits, in the terms of its format. Every field is optional; parsers fill what their format has.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Context {
    /// The tool or client the file belongs to ("claude-desktop", "aws-cli", "dotenv", "bash-history" …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// MCP server name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// Field inside the entry: `env.GITHUB_TOKEN`, `headers.Authorization`, `args[3]`, `url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Variable or key name (`.env` variable, config key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
    /// Profile, host or registry the credential is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

/// A value a parser considers a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Byte range of the value as written in the file (quotes excluded), for line and column.
    pub span: Range<usize>,
    /// The value's exact bytes after unquoting and unescaping: what is fingerprinted.
    pub value: Vec<u8>,
    pub context: Context,
}

/// What a parser made of one file.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Rule id its candidates are reported under (one of [`rule_specs`]).
    pub rule: &'static str,
    /// The tool the file belongs to, for the engine's findings in it too.
    pub tool: Option<&'static str>,
    pub candidates: Vec<Candidate>,
    /// Non-secret identities of the candidates (AWS key id, user name …), index for index; may be shorter.
    pub identifiers: Vec<Option<String>>,
    pub references: Vec<Reference>,
}

/// Run the parser for this path's format, if it has one. `token_rule_matches` runs the token rules over a value.
/// Cheap for the files no parser knows (a few comparisons on the file name).
pub fn parse(kind: FileKind, path: &Path, text: &[u8], token_rule_matches: &dyn Fn(&[u8]) -> bool) -> Option<Parsed> {
    match kind {
        FileKind::Transcript(tool) => Some(Parsed { rule: "", tool: Some(tool), ..Parsed::default() }),
        FileKind::Mcp(client) => {
            let (candidates, references) = mcp::candidates(client, text, token_rule_matches);
            Some(Parsed { rule: MCP_RULE, tool: Some(client), candidates, references, ..Parsed::default() })
        }
        FileKind::CredFile(tool) => Some(credential_file(tool, text)),
        FileKind::Dotenv { template } => {
            let (candidates, references) = dotenv::candidates(text, template, token_rule_matches);
            Some(Parsed { rule: DOTENV_RULE, tool: Some("dotenv"), candidates, references, ..Parsed::default() })
        }
        FileKind::History => {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let candidates = history::candidates(name, text);
            Some(Parsed { rule: HISTORY_RULE, tool: None, candidates, ..Parsed::default() })
        }
        FileKind::Generic => sniff_credential_file(path, text).map(|tool| credential_file(tool, text)),
        FileKind::PublicKey => None,
    }
}

fn credential_file(tool: &'static str, text: &[u8]) -> Parsed {
    let parsed = credfiles::analyze(tool, text);
    let (candidates, identifiers) = parsed.findings.into_iter().map(|f| (f.candidate, f.identifier)).unzip();
    Parsed { rule: CREDFILE_RULE, tool: Some(tool), candidates, identifiers, references: parsed.references }
}

/// A credential file known by its content wherever it lies (a service-account key in `~/Downloads`, a kubeconfig
/// under any name). A few substring checks first, so ordinary JSON and YAML files are not parsed.
fn sniff_credential_file(path: &Path, text: &[u8]) -> Option<&'static str> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if !matches!(ext, "json" | "yaml" | "yml" | "conf" | "config") {
        return None;
    }
    const MARKERS: &[&[u8]] = &[
        b"service_account",
        b"authorized_user",
        b"\"auths\"",
        b"RefreshToken",
        b"kind: Config",
        b"\"kind\": \"Config\"",
    ];
    if !MARKERS.iter().any(|m| memchr::memmem::find(text, m).is_some()) {
        return None;
    }
    credfiles::sniff_tool(text)
}

/// `needle` (lower case) occurs in `text`, ASCII case ignored; without allocating, for the checks asked of every file.
pub(crate) fn contains_ignore_case(text: &str, needle: &str) -> bool {
    text.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The last component of a path, `/` or `\` separated (a history or dotenv file name given as a path).
pub(crate) fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A reference to a secret kept elsewhere (`${env:X}`, `$X`, `bearer_token_env_var`): good practice, listed in the
/// report, never a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    pub context: Context,
    /// The reference as written, e.g. `${env:GITHUB_TOKEN}`.
    pub reference: String,
}
