//! Format-aware parsers for the files where credentials live on endpoints (`.env`, MCP client configs, shell
//! histories, cloud CLI credential files, private keys).
//!
//! Regex rules find tokens in any text; a parser knows a format's grammar, so it can report a value *because of where
//! it sits* (a `*_SECRET` variable, an MCP server's `env`, an AWS profile) and say so: variable name, client, server,
//! field, tool, profile. Every parser is a pure function from (path, text) to [`Candidate`]s — no I/O — so golden
//! tests under `fixtures/` pin them exactly.
use std::ops::Range;

use serde::Serialize;

pub mod keys;

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

/// A reference to a secret kept elsewhere (`${env:X}`, `$X`, `bearer_token_env_var`): good practice, listed in the
/// report, never a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    pub context: Context,
    /// The reference as written, e.g. `${env:GITHUB_TOKEN}`.
    pub reference: String,
}
