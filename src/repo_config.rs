//! Repository configuration: `.credsweep.toml` in the scanned root, or `--config FILE`.
//!
//! ```toml
//! exclude = ["vendor/**", "*.min.js"]          # not scanned at all (gitignore glob syntax, like --exclude)
//! rules = ["tools/extra-rules.toml"]           # more rule files, relative to this file
//! allow_paths = ["tests/fixtures/**"]          # scanned, but findings there are suppressed (and counted)
//! allow_fingerprints = ["sha256:…"]            # this exact secret is known and accepted, wherever it appears
//! min_severity = "medium"                      # findings below are suppressed (and counted)
//! ```
//! Unknown keys are an error naming the key and its line: a typo must not silently turn a setting off. Nothing in
//! the file is a secret: fingerprints stand in for values, so no secret ever has to be pasted into a config.
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::rules::Severity;

/// The file name looked for in a scanned root.
pub const FILE_NAME: &str = ".credsweep.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    rules: Vec<PathBuf>,
    #[serde(default)]
    allow_paths: Vec<String>,
    #[serde(default)]
    allow_fingerprints: Vec<String>,
    #[serde(default)]
    min_severity: Option<Severity>,
}

/// A loaded repository configuration.
#[derive(Debug, Default, Clone)]
pub struct RepoConfig {
    /// Where it came from (for messages).
    pub source: Option<PathBuf>,
    pub exclude: Vec<String>,
    /// Rule files, resolved against the config file's directory.
    pub rules: Vec<PathBuf>,
    pub allow_paths: Vec<String>,
    pub allow_fingerprints: Vec<String>,
    pub min_severity: Option<Severity>,
}

impl RepoConfig {
    /// Parse config text; `path` is used for messages and to resolve relative rule paths.
    pub fn parse(text: &str, path: &Path) -> Result<RepoConfig> {
        let origin = path.display().to_string();
        let raw: RawConfig = toml::from_str(text).map_err(|e| crate::reason::toml_error(text, &origin, &e))?;
        for fp in &raw.allow_fingerprints {
            let ok =
                fp.strip_prefix("sha256:").is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
            if !ok {
                anyhow::bail!("{origin}: allow_fingerprints: '{fp}' is not a sha256:<64 hex> fingerprint");
            }
        }
        for g in raw.allow_paths.iter() {
            Glob::new(g).map_err(|e| anyhow::anyhow!("{origin}: allow_paths: invalid glob '{g}': {e}"))?;
        }
        let base = path.parent().unwrap_or(Path::new("."));
        Ok(RepoConfig {
            source: Some(path.to_path_buf()),
            exclude: raw.exclude,
            rules: raw.rules.into_iter().map(|r| if r.is_absolute() { r } else { base.join(r) }).collect(),
            allow_paths: raw.allow_paths,
            allow_fingerprints: raw.allow_fingerprints.into_iter().map(|s| s.to_ascii_lowercase()).collect(),
            min_severity: raw.min_severity,
        })
    }

    /// Load an explicit file (error when missing) or look for [`FILE_NAME`] in `root` (absent is fine).
    pub fn load(explicit: Option<&Path>, root: Option<&Path>) -> Result<RepoConfig> {
        let path = match (explicit, root) {
            (Some(p), _) => p.to_path_buf(),
            (None, Some(r)) if r.join(FILE_NAME).is_file() => r.join(FILE_NAME),
            _ => return Ok(RepoConfig::default()),
        };
        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read config {}", path.display()))?;
        RepoConfig::parse(&text, &path)
    }
}

/// Compiled allow-path globs, matched against report paths (relative to the scan root when possible).
#[derive(Debug, Clone)]
pub struct PathAllow {
    set: GlobSet,
}

impl PathAllow {
    pub fn new(globs: &[String]) -> Result<PathAllow> {
        let mut b = GlobSetBuilder::new();
        for g in globs {
            b.add(Glob::new(g).with_context(|| format!("invalid glob '{g}'"))?);
            // A bare directory pattern also covers everything below it, as in .gitignore.
            if !g.contains('*') {
                b.add(
                    Glob::new(&format!("{}/**", g.trim_end_matches('/')))
                        .with_context(|| format!("invalid glob '{g}'"))?,
                );
            }
        }
        Ok(PathAllow { set: b.build()? })
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// True when `path` (as reported) or any of its suffixes after a root prefix matches.
    pub fn matches(&self, path: &str, roots: &[PathBuf]) -> bool {
        if self.set.is_match(path) {
            return true;
        }
        roots.iter().any(|r| Path::new(path).strip_prefix(r).is_ok_and(|rel| self.set.is_match(rel)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_keys() {
        let text = "exclude = [\"vendor/**\"]\nrules = [\"r.toml\"]\nallow_paths = [\"tests/fixtures\"]\nallow_fingerprints = [\"sha256:AB3e0000000000000000000000000000000000000000000000000000000000ff\"]\nmin_severity = \"medium\"\n";
        let c = RepoConfig::parse(text, Path::new("/repo/.credsweep.toml")).unwrap();
        assert_eq!(c.exclude, vec!["vendor/**"]);
        assert_eq!(c.rules, vec![PathBuf::from("/repo/r.toml")]);
        assert_eq!(c.min_severity, Some(Severity::Medium));
        assert!(c.allow_fingerprints[0].starts_with("sha256:ab3e"));
        let allow = PathAllow::new(&c.allow_paths).unwrap();
        assert!(allow.matches("tests/fixtures/a/b.txt", &[]));
        assert!(allow.matches("/repo/tests/fixtures/x", &[PathBuf::from("/repo")]));
        assert!(!allow.matches("src/x", &[]));
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let e =
            RepoConfig::parse("exclude = []\n\nallowlist = [\"x\"]\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(e.contains("allowlist") && e.contains("line 3"), "{e}");
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(RepoConfig::parse("allow_fingerprints = [\"abc\"]", Path::new("c")).is_err());
        assert!(RepoConfig::parse("min_severity = \"urgent\"", Path::new("c")).is_err());
        assert!(RepoConfig::parse("allow_paths = [\"a[\"]", Path::new("c")).is_err());
    }
}
