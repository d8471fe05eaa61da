//! Path → file kind: which files get special treatment.
//!
//! Public keys (`*.pub`, `authorized_keys`, `known_hosts`) are never findings: they are meant to be shared, and an
//! inventory that lists them buries the private keys that matter.
use std::path::Path;

/// What a path is, for the parsers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Generic,
    /// `*.pub`, `authorized_keys`, `known_hosts`: never findings.
    PublicKey,
    /// An AI agent's transcript (Claude Code `~/.claude/projects/**/*.jsonl`, Codex `~/.codex/sessions/**`):
    /// scanned by the token rules, findings tagged with the agent.
    Transcript(&'static str),
    /// An MCP client's config (Claude Desktop, Cursor, VS Code …), by client name.
    Mcp(&'static str),
    /// A developer or cloud tool's credential file (AWS CLI, kubeconfig, Docker, npm, netrc …), by tool name.
    CredFile(&'static str),
    /// `.env`, `.env.*`, `*.env`, `.envrc`, `.flaskenv`; `template` for `.env.example`/`.sample`/`.template`.
    Dotenv {
        template: bool,
    },
    /// A shell's (or REPL's) history file.
    History,
}

/// True for credential stores that are binary files (gcloud's SQLite databases): read despite the binary check.
pub fn binary_credential_store(kind: FileKind, path: &Path) -> bool {
    matches!(kind, FileKind::CredFile(tool) if super::credfiles::reads_binary(tool))
        && path.extension().is_some_and(|e| e == "db")
}

/// Classify a path by its name and a few parent directory names. No I/O.
pub fn classify(path: &Path) -> FileKind {
    // The name once: every question below is asked for every file, and parsing a path's components is not free.
    let name = path.file_name().and_then(|n| n.to_str());
    if name.is_some_and(is_public_key_name) {
        return FileKind::PublicKey;
    }
    if let Some(tool) = super::credfiles::tool_for_path(path) {
        return FileKind::CredFile(tool);
    }
    if let Some(name) = name {
        if super::dotenv::is_dotenv_name(name) {
            return FileKind::Dotenv { template: super::dotenv::is_template_name(name) };
        }
        if super::history::is_history_name(name) {
            return FileKind::History;
        }
    }
    let ext = name.and_then(|n| n.rsplit_once('.')).map_or("", |(stem, e)| if stem.is_empty() { "" } else { e });
    // Only config-looking names go further, so ordinary files cost one extension comparison.
    if matches!(ext, "json" | "jsonl" | "yaml" | "yml" | "toml") {
        if let Some(tool) = transcript_tool(path) {
            return FileKind::Transcript(tool);
        }
        if let Some(client) = super::mcp::client_for_path(path) {
            return FileKind::Mcp(client);
        }
    }
    FileKind::Generic
}

/// `.claude/projects/<project>/<session>.jsonl` → claude-code; `.codex/sessions/**` → codex-cli;
/// `.gemini/tmp/**.json` → gemini-cli.
fn transcript_tool(path: &Path) -> Option<&'static str> {
    let ext = path.extension().and_then(|e| e.to_str())?;
    if ext != "jsonl" && ext != "json" {
        return None;
    }
    let parts: Vec<&str> = path.iter().filter_map(|c| c.to_str()).collect();
    let has = |a: &str, b: &str| parts.windows(2).any(|w| w[0] == a && w[1] == b);
    if has(".claude", "projects") && ext == "jsonl" {
        Some("claude-code-transcript")
    } else if has(".codex", "sessions") {
        Some("codex-cli-transcript")
    } else if has(".gemini", "tmp") {
        Some("gemini-cli-transcript")
    } else {
        None
    }
}

/// True for OpenSSH public-key files.
pub fn is_public_key_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(is_public_key_name)
}

fn is_public_key_name(name: &str) -> bool {
    name.ends_with(".pub") || name == "authorized_keys" || name == "authorized_keys2" || name.starts_with("known_hosts")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcripts() {
        let k = |p: &str| classify(Path::new(p));
        assert_eq!(
            k("/home/a/.claude/projects/-home-a-src/0b1c.jsonl"),
            FileKind::Transcript("claude-code-transcript")
        );
        assert_eq!(
            k("/home/a/.codex/sessions/2026/11/01/rollout-1.jsonl"),
            FileKind::Transcript("codex-cli-transcript")
        );
        assert_eq!(k("/home/a/.claude/settings.json"), FileKind::Mcp("claude-code"));
        assert_eq!(k("/home/a/src/app/package.json"), FileKind::Generic);
        assert_eq!(k("/home/a/.ssh/id_rsa.pub"), FileKind::PublicKey);
    }

    #[test]
    fn public_key_files() {
        for p in ["/home/a/.ssh/id_ed25519.pub", ".ssh/authorized_keys", "known_hosts", "known_hosts.old"] {
            assert!(is_public_key_file(Path::new(p)), "{p}");
        }
        for p in ["/home/a/.ssh/id_ed25519", "pub", "authorized_keys.bak.key", "notes.publish"] {
            assert!(!is_public_key_file(Path::new(p)), "{p}");
        }
    }
}
