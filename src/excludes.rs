//! Default endpoint excludes: what a fleet scan skips unless `--no-default-excludes`, and the exceptions inside
//! those places that do hold credentials. `credsweep excludes` prints this table.
//!
//! Why: on a real home directory most bytes are package caches, build outputs, browser caches, VM images and git
//! object stores — nothing a person wrote a secret into, and the main source of false positives (test keys inside
//! vendored packages) and of scan time. Checks are by directory *name* (a hash lookup per directory, nothing per
//! file), plus the cache-directory standard: a directory holding `CACHEDIR.TAG` is a cache
//! (<https://bford.info/cachedir/>).
use std::{ffi::OsStr, path::Path};

/// One default exclude: a directory name (or `parent/name`) and why.
pub struct Exclude {
    pub pattern: &'static str,
    pub why: &'static str,
}

/// Directories skipped wherever they appear.
pub const DIRS: &[Exclude] = &[
    Exclude { pattern: "node_modules", why: "npm packages (vendored code, test keys)" },
    Exclude { pattern: "bower_components", why: "vendored front-end packages" },
    Exclude { pattern: "__pycache__", why: "Python bytecode" },
    Exclude { pattern: ".tox", why: "Python test environments" },
    Exclude { pattern: ".nox", why: "Python test environments" },
    Exclude { pattern: ".venv", why: "Python virtual environment (installed packages)" },
    Exclude { pattern: "site-packages", why: "installed Python packages" },
    Exclude { pattern: ".git/objects", why: "git object store (compressed history)" },
    Exclude { pattern: ".git/lfs", why: "git LFS object store" },
    Exclude { pattern: ".cargo/registry", why: "Rust package cache" },
    Exclude { pattern: ".cargo/git", why: "Rust git dependency cache" },
    Exclude { pattern: ".rustup", why: "Rust toolchains" },
    Exclude { pattern: "go/pkg", why: "Go module cache" },
    Exclude { pattern: ".m2/repository", why: "Maven package cache" },
    Exclude { pattern: ".gradle/caches", why: "Gradle cache" },
    Exclude { pattern: ".gradle/wrapper", why: "Gradle distributions" },
    Exclude { pattern: ".npm/_cacache", why: "npm cache" },
    Exclude { pattern: ".pnpm-store", why: "pnpm package store" },
    Exclude { pattern: ".yarn/cache", why: "Yarn cache" },
    Exclude { pattern: ".nvm/versions", why: "Node.js installations" },
    Exclude { pattern: ".pyenv/versions", why: "Python installations" },
    Exclude { pattern: ".conda/pkgs", why: "conda package cache" },
    Exclude { pattern: ".local/share/Trash", why: "desktop trash" },
    Exclude { pattern: ".local/share/containers", why: "container images (podman)" },
    Exclude { pattern: ".local/share/flatpak", why: "flatpak runtimes" },
    Exclude { pattern: "Library/Caches", why: "macOS caches (browsers included)" },
    Exclude { pattern: "Library/Containers/com.docker.docker", why: "Docker Desktop VM disk" },
    Exclude { pattern: "VirtualBox VMs", why: "virtual machine disks" },
    Exclude { pattern: ".vagrant.d/boxes", why: "Vagrant boxes" },
    Exclude { pattern: "var/lib/docker", why: "container images and layers" },
    Exclude { pattern: "var/lib/containers", why: "container images and layers" },
    Exclude { pattern: "var/cache", why: "system caches" },
    Exclude { pattern: "usr/share", why: "distribution data" },
    Exclude { pattern: "usr/lib", why: "distribution libraries" },
];

/// `~/.cache`: skipped, except the few tools that keep a credential there.
pub const CACHE_DIR: &str = ".cache";
/// Kept inside `.cache` (and, inside them, only what is not a download cache).
pub const CACHE_EXCEPTIONS: &[(&str, &str)] = &[(
    "huggingface",
    "Hugging Face token (`~/.cache/huggingface/token`, `stored_tokens`); `hub/` model files are skipped",
)];

/// File extensions of VM and disk images: large, binary, never a place someone wrote a secret.
pub const IMAGE_EXTENSIONS: &[&str] = &["iso", "img", "qcow2", "vmdk", "vdi", "vhd", "vhdx", "ova", "dmg"];

/// Should the walk skip this directory? `path` is the directory, `name` its file name.
pub fn skip_dir(path: &Path, name: &OsStr) -> bool {
    let Some(name) = name.to_str() else { return false };
    let parent = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
    for e in DIRS {
        match e.pattern.rsplit_once('/') {
            None if e.pattern == name => return true,
            Some((p, n)) if n == name && p.rsplit('/').next() == Some(parent) => {
                // Two-level patterns like "var/lib/docker" check only the last two components here.
                if p.contains('/') {
                    let want: Vec<&str> = e.pattern.split('/').collect();
                    let have: Vec<&str> = path.iter().filter_map(|c| c.to_str()).collect();
                    if have.ends_with(&want) {
                        return true;
                    }
                } else {
                    return true;
                }
            }
            _ => {}
        }
    }
    if parent == CACHE_DIR {
        return !CACHE_EXCEPTIONS.iter().any(|(keep, _)| *keep == name);
    }
    if name == "hub" && parent == "huggingface" {
        return true;
    }
    path.join("CACHEDIR.TAG").is_file()
}

/// Should the walk skip this file (a disk or VM image)?
pub fn skip_file(name: &OsStr) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The table printed by `credsweep excludes`.
pub fn describe() -> String {
    let mut out = String::from("Default excludes (turn off with --no-default-excludes):\n\n");
    for e in DIRS {
        out.push_str(&format!("  {:<40} {}\n", format!("{}/", e.pattern), e.why));
    }
    out.push_str(&format!("  {:<40} {}\n", "~/.cache/*", "caches, except:"));
    for (keep, why) in CACHE_EXCEPTIONS {
        out.push_str(&format!("    {:<38} kept: {}\n", format!("~/.cache/{keep}/"), why));
    }
    out.push_str(&format!("  {:<40} {}\n", "any directory with CACHEDIR.TAG", "tagged caches (Rust target/, …)"));
    out.push_str(&format!("  {:<40} {}\n", "*.{iso,img,qcow2,vmdk,…}", "VM and disk images"));
    out.push_str(&format!("  {:<40} {}\n", "/proc, /sys, /dev", "pseudo-filesystems (always skipped)"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skip(p: &str) -> bool {
        let p = Path::new(p);
        skip_dir(p, p.file_name().unwrap())
    }

    #[test]
    fn names_and_pairs() {
        assert!(skip("/home/a/src/app/node_modules"));
        assert!(skip("/home/a/src/app/.git/objects"));
        assert!(!skip("/home/a/src/app/.git"));
        assert!(!skip("/home/a/objects"));
        assert!(skip("/home/a/.cargo/registry"));
        assert!(!skip("/home/a/.cargo"));
        assert!(skip("/var/lib/docker"));
        assert!(!skip("/srv/lib/docker"));
        assert!(skip("/home/a/.cache/pip"));
        assert!(!skip("/home/a/.cache/huggingface"));
        assert!(skip("/home/a/.cache/huggingface/hub"));
        assert!(!skip("/home/a/.ssh"));
        assert!(skip_file(OsStr::new("disk.QCOW2")));
        assert!(!skip_file(OsStr::new("notes.txt")));
    }
}
