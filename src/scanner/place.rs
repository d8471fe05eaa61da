//! Where a file sits, as far as its findings are concerned: third-party code and documentation (findings there are
//! examples and test values far more often than this machine's credentials: `low` confidence, hidden at the default
//! `--min-confidence medium`), and lock files (their hex and base64 are integrity hashes, never assigned secrets).
//!
//! Decided from the path alone, so a file inside an archive or a git blob is placed like the same file on disk.
use std::path::Path;

/// Directories of installed or vendored third-party code (npm, Bower, Go and PHP `vendor`, Python `site-packages`
/// and `dist-packages`, Chromium-style `third_party`, CocoaPods, Carthage), documentation and examples, and test
/// fixtures.
const THIRD_PARTY_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    "site-packages",
    "dist-packages",
    "third_party",
    "third-party",
    "thirdparty",
    "Pods",
    "Carthage",
    "docs",
    "doc",
    "examples",
    "example",
    "samples",
    "fixtures",
    "__fixtures__",
    "testdata",
];

/// Consecutive directories of package caches: Cargo's registry and git checkouts, Go's module cache, Maven's local
/// repository, Gradle's caches, Composer's and pip's caches.
const THIRD_PARTY_PAIRS: &[(&str, &str)] = &[
    (".cargo", "registry"),
    (".cargo", "git"),
    ("pkg", "mod"),
    (".m2", "repository"),
    (".gradle", "caches"),
    (".composer", "cache"),
    (".cache", "pip"),
];

/// Lock files of package managers: every hash in them is an integrity check.
const LOCK_FILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "Cargo.lock",
    "poetry.lock",
    "Pipfile.lock",
    "pdm.lock",
    "uv.lock",
    "composer.lock",
    "Gemfile.lock",
    "go.sum",
    "mix.lock",
    "flake.lock",
    "packages.lock.json",
    "gradle.lockfile",
    "Podfile.lock",
    "Package.resolved",
    "pubspec.lock",
    ".terraform.lock.hcl",
];

/// The file is inside third-party code, documentation, examples or test fixtures (any directory of the path; the
/// file's own name does not count, so a project's `README.md` or `docs.py` keeps its confidence).
pub fn third_party(path: &Path) -> bool {
    let dirs: Vec<&str> = path.parent().unwrap_or(Path::new("")).iter().filter_map(|c| c.to_str()).collect();
    dirs.iter().any(|d| THIRD_PARTY_DIRS.contains(d))
        || dirs.windows(2).any(|w| THIRD_PARTY_PAIRS.iter().any(|&(a, b)| w[0] == a && w[1] == b))
}

/// The file is a package manager's lock file.
pub fn lock_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| LOCK_FILES.contains(&n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn third_party_directories_and_caches() {
        for p in [
            "app/node_modules/aws-sdk/README.md",
            "vendor/github.com/acme/slack/example_test.go",
            ".venv/lib/python3.11/site-packages/stripe/docs/quickstart.md",
            "/usr/lib/python3/dist-packages/keyring/backend.py",
            "third_party/gitlab/README.md",
            "project/docs/setup.md",
            "project/examples/client.py",
            "project/test/fixtures/config.yml",
            "/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/ring-0.17.8/README.md",
            "/home/u/go/pkg/mod/github.com/acme/x@v1.2.3/x.go",
            "/usr/share/doc/git/README",
        ] {
            assert!(third_party(Path::new(p)), "{p}");
        }
        for p in
            [".env", "src/config.py", "README.md", "docs.py", "project/src/docs_helper.rs", "home/u/.aws/credentials"]
        {
            assert!(!third_party(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn lock_files_by_name() {
        assert!(lock_file(Path::new("app/package-lock.json")));
        assert!(lock_file(Path::new("infra/.terraform.lock.hcl")));
        assert!(!lock_file(Path::new("app/package.json")));
        assert!(!lock_file(Path::new("locks/secret.txt")));
    }
}
