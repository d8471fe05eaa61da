//! The integration test binary: drives the real `credsweep` executable over temporary trees.
//!
//! One binary (one link, one `cargo test --test cli`), one module per topic under `tests/cli/`; the shared helpers
//! (synthetic secrets, running the binary with a deadline, temporary trees) are in `tests/cli/common.rs`.
//!
//! Secrets here are synthetic, built at test time with the right format and checksum and a random body, so no
//! literal in these files looks like a leaked credential.

/// Shared helpers: the binary, synthetic secrets, runs with a deadline, temporary trees.
#[path = "cli/common.rs"]
mod common;

/// Scan basics: findings, fingerprints, credentials, exit codes, no raw secret.
#[path = "cli/scan.rs"]
mod scan;

/// What is read and what is skipped.
#[path = "cli/walk.rs"]
mod walk;

/// Report formats and report files.
#[path = "cli/output.rs"]
mod output;

/// The CI gate: baselines, inline allow, repo config, --fail-on, pre-commit, completions.
#[path = "cli/config.rs"]
mod config;

/// Git scopes.
#[path = "cli/git.rs"]
mod git;

/// Private keys and exposure risks.
#[path = "cli/keys.rs"]
mod keys;

/// Fleet mode: homes, users, unattended runs, priority.
#[path = "cli/fleet.rs"]
mod fleet;

/// Limits and big inputs.
#[path = "cli/limits.rs"]
mod limits;

/// Format-aware parsers.
#[path = "cli/parsers.rs"]
mod parsers;

/// Generic assignments, checksum failures, third-party confidence and the default --min-confidence.
#[path = "cli/generic.rs"]
mod generic;

/// Rules: list, check, extra files, --enable-rule, precision and recall.
#[path = "cli/rules.rs"]
mod rules;

/// Registry upload: spool, retries, rejections, keyed fingerprints (against a scripted HTTP server).
#[path = "cli/upload.rs"]
mod upload;

/// Archives: formats, nesting, member paths and positions, parsers on members, bombs, encrypted and corrupt input.
#[path = "cli/archives.rs"]
mod archives;
/// What a hostile tree used to break (issue #16): long lines, huge configs, placeholder words in real tokens.
#[path = "cli/hardening.rs"]
mod hardening;

/// Binary files: strings scanned by the token rules at byte offsets; executables and media skipped.
#[path = "cli/binaries.rs"]
mod binaries;

/// House rules on the sources: no import cycles, no function over 80 lines.
#[path = "cli/architecture.rs"]
mod architecture;

/// What a new user meets: the README's snippets run as written, man pages, rule list, colours, -v, the human
/// report's advice and summary; reports of 40,000 and 100,000 findings in every format.
#[path = "cli/ux.rs"]
mod ux;
/// Keys and tokens in any wrapping: quoted, escaped, base64; Authorization headers; WireGuard; Kaggle.
#[path = "cli/wrapped.rs"]
mod wrapped;

/// Recall and precision on the generated labelled corpus (scripts/gen_corpus.py), two seeds, enforced.
#[path = "cli/corpus.rs"]
mod corpus;
