//! credsweep: endpoint credential discovery.
//!
//! The binary is a thin shell around [`commands::run`]: `main` parses the command line ([`cli`]), turns it once into
//! a validated [`config::Config`], and maps the result to an exit code (0 clean, 1 findings, 2 error).
//!
//! A scan ([`scan::run`]): [`plan`] (repository config, rules, baseline, loaded once) → [`sources`] (files and the
//! walk, standard input, git; bounded reads in [`read`]) → [`scanner`] (the keyword gate [`prefilter`], the regex
//! confirm [`engine`] with [`validate`], the format-aware [`parsers`], merged; [`finding`] with [`fingerprint`] and
//! [`exposure`]; [`suppress`]) → [`sink`] (the one writer) → [`report`]. DESIGN.md says where each kind of change
//! goes.
pub mod assign;
pub mod baseline;
pub mod cli;
pub mod commands;
pub mod config;
pub mod engine;
pub mod excludes;
pub mod exposure;
pub mod finding;
pub mod fingerprint;
pub mod host;
pub mod limits;
pub mod parsers;
pub mod plan;
pub mod prefilter;
pub mod progress;
pub mod read;
pub mod reason;
pub mod repo_config;
pub mod report;
pub mod rules;
pub mod sanitize;
pub mod scan;
pub mod scanner;
pub mod sink;
pub mod sources;
pub mod suppress;
pub mod targets;
#[cfg(test)]
mod testutil;
pub mod unattended;
pub mod upload;
pub mod validate;
pub mod walk;
pub mod wrapping;
