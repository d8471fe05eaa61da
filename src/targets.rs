//! Scan targets for fleet runs: the invoking user's home (`--home`), every real user's home (`--all-users`), and the
//! known credential locations inside a home (`--quick`).
//!
//! Real users come from the OS user database (`getpwent`, so NSS sources count too): root, plus accounts with a
//! login shell and a uid at or above the system's first regular uid (1000 on Linux, 501 on macOS) whose home
//! directory exists. On Windows the homes are the directories under `C:\Users` (minus the system profiles).
use std::path::{Path, PathBuf};

/// A home directory and the user it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home {
    pub user: String,
    pub path: PathBuf,
}

/// The invoking user's home: `$HOME`, else the user database entry.
pub fn current_home() -> Option<Home> {
    let user = crate::host::User::current().name.unwrap_or_default();
    let path = std::env::var_os("HOME").map(PathBuf::from).filter(|p| p.is_dir()).or_else(|| {
        #[cfg(unix)]
        {
            users().into_iter().find(|h| h.user == user).map(|h| h.path)
        }
        #[cfg(not(unix))]
        {
            std::env::var_os("USERPROFILE").map(PathBuf::from)
        }
    })?;
    Some(Home { user, path })
}

/// Every real user's home, root's included, without duplicates (two accounts sharing a home count once).
///
/// `CREDSWEEP_PASSWD_FILE` names a passwd-format file to read instead of the user database: for scanning a mounted
/// disk image's users, and for tests.
#[cfg(unix)]
pub fn users() -> Vec<Home> {
    let first_uid: u32 = if cfg!(target_os = "macos") { 501 } else { login_defs_uid_min().unwrap_or(1000) };
    if let Some(file) = std::env::var_os("CREDSWEEP_PASSWD_FILE") {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let mut out: Vec<Home> = Vec::new();
        for l in text.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 7 {
                continue;
            }
            let uid: u32 = f[2].parse().unwrap_or(u32::MAX);
            if is_real(uid, first_uid, f[6]) && is_home(f[5]) && !out.iter().any(|h| h.path == Path::new(f[5])) {
                out.push(Home { user: f[0].to_owned(), path: PathBuf::from(f[5]) });
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        return out;
    }
    let mut out: Vec<Home> = Vec::new();
    // getpwent is not thread-safe; this runs once, before any worker starts.
    unsafe {
        libc::setpwent();
        loop {
            let p = libc::getpwent();
            if p.is_null() {
                break;
            }
            let pw = &*p;
            let cstr = |c: *const libc::c_char| {
                if c.is_null() {
                    String::new()
                } else {
                    std::ffi::CStr::from_ptr(c).to_string_lossy().into_owned()
                }
            };
            let (name, dir, shell) = (cstr(pw.pw_name), cstr(pw.pw_dir), cstr(pw.pw_shell));
            if is_real(pw.pw_uid, first_uid, &shell) && is_home(&dir) && !out.iter().any(|h| h.path == Path::new(&dir))
            {
                out.push(Home { user: name, path: PathBuf::from(dir) });
            }
        }
        libc::endpwent();
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

#[cfg(not(unix))]
pub fn users() -> Vec<Home> {
    const SYSTEM: &[&str] = &["Public", "Default", "Default User", "All Users", "WDAGUtilityAccount"];
    let root = std::env::var_os("SystemDrive").map_or_else(|| PathBuf::from("C:\\"), |d| PathBuf::from(d).join("\\"));
    let Ok(rd) = std::fs::read_dir(root.join("Users")) else { return Vec::new() };
    let mut out: Vec<Home> = rd
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let user = e.file_name().to_string_lossy().into_owned();
            (!SYSTEM.contains(&user.as_str())).then(|| Home { user, path: e.path() })
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Root, or a regular uid with a login shell (not `nobody`).
#[cfg(unix)]
fn is_real(uid: u32, first_uid: u32, shell: &str) -> bool {
    let login = !(shell.ends_with("/nologin") || shell.ends_with("/false") || shell.is_empty());
    uid == 0 || (uid >= first_uid && uid != 65534 && login)
}

#[cfg(unix)]
fn is_home(dir: &str) -> bool {
    !dir.is_empty() && dir != "/" && Path::new(dir).is_dir()
}

/// `UID_MIN` from /etc/login.defs, where the distribution sets it.
#[cfg(unix)]
fn login_defs_uid_min() -> Option<u32> {
    let text = std::fs::read_to_string("/etc/login.defs").ok()?;
    text.lines().find_map(|l| {
        let mut it = l.split_whitespace();
        (it.next() == Some("UID_MIN")).then(|| it.next()?.parse().ok()).flatten()
    })
}

/// Known credential locations relative to a home: SSH, cloud and dev-tool credential files, MCP client configs,
/// agent transcripts and shell histories. Directories are walked (they are small); missing entries are skipped.
pub const QUICK_PATHS: &[&str] = &[
    ".ssh",
    ".aws",
    ".azure",
    ".config/gcloud",
    ".kube",
    ".docker/config.json",
    ".npmrc",
    ".yarnrc.yml",
    ".pypirc",
    ".netrc",
    "_netrc",
    ".git-credentials",
    ".gitconfig",
    ".config/git/credentials",
    ".config/gh/hosts.yml",
    ".cargo/credentials.toml",
    ".cargo/credentials",
    ".terraform.d/credentials.tfrc.json",
    ".pgpass",
    ".my.cnf",
    ".m2/settings.xml",
    ".gradle/gradle.properties",
    ".gem/credentials",
    ".cache/huggingface/token",
    ".cache/huggingface/stored_tokens",
    ".huggingface/token",
    ".vault-token",
    ".config/rclone/rclone.conf",
    ".config/op",
    ".config/Bitwarden CLI/data.json",
    ".env",
    ".envrc",
    // AI clients and agents
    ".claude.json",
    ".claude",
    ".mcp.json",
    ".cursor/mcp.json",
    ".codeium/windsurf/mcp_config.json",
    ".copilot/mcp-config.json",
    ".continue",
    ".codex",
    ".gemini",
    ".kiro/settings",
    ".aws/amazonq/mcp.json",
    ".lmstudio/mcp.json",
    ".config/goose/config.yaml",
    ".config/Claude/claude_desktop_config.json",
    ".config/Code/User/mcp.json",
    ".config/Code/User/settings.json",
    ".config/Code/User/globalStorage/saoudrizwan.claude-dev/settings",
    ".config/zed/settings.json",
    "Library/Application Support/Claude/claude_desktop_config.json",
    "Library/Application Support/Code/User/mcp.json",
    "Library/Application Support/Code/User/settings.json",
    "AppData/Roaming/Claude/claude_desktop_config.json",
    "AppData/Roaming/Code/User/mcp.json",
    // shell histories
    ".bash_history",
    ".zsh_history",
    ".sh_history",
    ".history",
    ".local/share/fish/fish_history",
    ".python_history",
    ".psql_history",
    ".mysql_history",
    "AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine/ConsoleHost_history.txt",
];

/// Folders where people keep projects; `.env*` files in a project's root (one or two levels down) are quick targets.
pub const SOURCE_FOLDERS: &[&str] =
    &["src", "code", "projects", "dev", "work", "git", "repos", "workspace", "Developer", "Documents/GitHub", "go/src"];

/// The existing quick-scan targets of one home.
pub fn quick_targets(home: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        QUICK_PATHS.iter().map(|p| home.join(p)).filter(|p| p.symlink_metadata().is_ok()).collect();
    for folder in SOURCE_FOLDERS {
        let base = home.join(folder);
        let Ok(level1) = std::fs::read_dir(&base) else { continue };
        for project in level1.filter_map(|e| e.ok()).filter(|e| e.file_type().is_ok_and(|t| t.is_dir())) {
            env_files(&project.path(), &mut out);
            // One more level: `~/src/<org>/<repo>`.
            if let Ok(level2) = std::fs::read_dir(project.path()) {
                for sub in level2.filter_map(|e| e.ok()).filter(|e| e.file_type().is_ok_and(|t| t.is_dir())) {
                    env_files(&sub.path(), &mut out);
                }
            }
        }
    }
    out
}

/// `.env`, `.env.*`, `*.env`, `.envrc`, `.mcp.json` and `.vscode/mcp.json`/`.cursor/mcp.json` in one directory.
fn env_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.filter_map(|e| e.ok()) {
        let name = e.file_name();
        let Some(n) = name.to_str() else { continue };
        if (n == ".env" || n.starts_with(".env.") || n.ends_with(".env") || n == ".envrc" || n == ".mcp.json")
            && e.file_type().is_ok_and(|t| t.is_file())
        {
            out.push(e.path());
        }
    }
    for rel in [".vscode/mcp.json", ".cursor/mcp.json"] {
        let p = dir.join(rel);
        if p.is_file() {
            out.push(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_targets_find_known_files_and_project_env() {
        let t = tempfile::tempdir().unwrap();
        let h = t.path();
        for f in [
            ".ssh/id_ed25519",
            ".aws/credentials",
            "src/app/.env",
            "src/org/api/.env.local",
            "src/app/README.md",
            "Music/song.txt",
        ] {
            std::fs::create_dir_all(h.join(f).parent().unwrap()).unwrap();
            std::fs::write(h.join(f), "x").unwrap();
        }
        let got = quick_targets(h);
        assert!(got.contains(&h.join(".ssh")));
        assert!(got.contains(&h.join(".aws")));
        assert!(got.contains(&h.join("src/app/.env")));
        assert!(got.contains(&h.join("src/org/api/.env.local")));
        assert!(!got.iter().any(|p| p.ends_with("README.md") || p.starts_with(h.join("Music"))));
    }

    #[cfg(unix)]
    #[test]
    fn users_include_root() {
        let homes = users();
        assert!(homes.iter().any(|h| h.user == "root"), "{homes:?}");
    }
}
