//! The registry's shared vocabulary: the report schema it accepts, severities and their order, and which tools are
//! MCP clients. Ingestion, the current state and the read side all speak it; it depends on nothing, so none of them
//! has to import another to agree on a word.

/// The report schema this registry stores (`schema` field of a report; see `schema/report.schema.json`).
pub const SCHEMA_ID: &str = "credsweep.report/v1";

/// Severities, least severe first: a severity's index is its rank (`severity_rank` in the database).
pub const SEVERITIES: &[&str] = &["info", "low", "medium", "high", "critical"];

/// The rank of a severity name (0 for an unknown name; validation has refused those before anything is stored).
pub fn severity_rank(name: &str) -> i64 {
    SEVERITIES.iter().position(|s| *s == name).unwrap_or(0) as i64
}

/// The name of a severity rank; ranks below zero (a resolved credential's -1) read as `info`.
pub fn severity_name(rank: i64) -> &'static str {
    SEVERITIES.get(rank.max(0) as usize).copied().unwrap_or("info")
}

/// Clients whose configs hold MCP server definitions (`context.tool` values from credsweep's MCP parser).
pub const MCP_CLIENTS: &[&str] = &[
    "claude-desktop",
    "claude-code",
    "cursor",
    "vscode",
    "copilot-cli",
    "windsurf",
    "cline",
    "roo-code",
    "continue",
    "zed",
    "gemini-cli",
    "codex-cli",
    "kiro",
    "amazon-q",
    "lm-studio",
    "goose",
];

/// A finding is an MCP secret when the MCP parser's rule found it or it sits in an MCP client's config.
pub fn is_mcp(rule: &str, tool: Option<&str>) -> bool {
    rule == "mcp-config-secret" || tool.is_some_and(|t| MCP_CLIENTS.contains(&t))
}

/// Agents whose session transcripts credsweep reads (`context.tool` of a finding in one).
pub const AGENT_TRANSCRIPTS: &[&str] = &["claude-code-transcript", "codex-cli-transcript", "gemini-cli-transcript"];

/// A finding an AI agent holds: in an MCP client's config (an MCP secret) or in an agent's transcript.
pub fn is_agent(rule: &str, tool: Option<&str>) -> bool {
    is_mcp(rule, tool) || tool.is_some_and(|t| AGENT_TRANSCRIPTS.contains(&t))
}

/// The name people know an agent tool by (`claude-desktop` → Claude Desktop); unknown tools as they are.
pub fn agent_label(tool: &str) -> &str {
    match tool {
        "claude-desktop" => "Claude Desktop",
        "claude-code" => "Claude Code",
        "claude-code-transcript" => "Claude Code (transcripts)",
        "cursor" => "Cursor",
        "vscode" => "VS Code",
        "copilot-cli" => "GitHub Copilot CLI",
        "windsurf" => "Windsurf",
        "cline" => "Cline",
        "roo-code" => "Roo Code",
        "continue" => "Continue",
        "zed" => "Zed",
        "gemini-cli" => "Gemini CLI",
        "gemini-cli-transcript" => "Gemini CLI (transcripts)",
        "codex-cli" => "Codex CLI",
        "codex-cli-transcript" => "Codex CLI (transcripts)",
        "kiro" => "Kiro",
        "amazon-q" => "Amazon Q",
        "lm-studio" => "LM Studio",
        "goose" => "Goose",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_ranks_round_trip() {
        for (i, s) in SEVERITIES.iter().enumerate() {
            assert_eq!(severity_rank(s), i as i64);
            assert_eq!(severity_name(i as i64), *s);
        }
        assert_eq!(severity_name(-1), "info");
        assert_eq!(severity_name(99), "info");
    }
}
