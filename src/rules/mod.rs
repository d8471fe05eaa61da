//! Rules are data: TOML files under `rules/` (embedded at build time) plus any `--rules FILE` given at run time.
//!
//! * [`model`] — what a rule file says ([`RuleSpec`] and the vocabulary of its fields). Pure data.
//! * [`compile`] — a rule ready to run ([`Rule`]) and the set a scan uses ([`RuleSet`]).
//! * [`load`] — where rules come from: the built-in files and user files.
//! * [`check`] — `credsweep rules check` and the suite's check of the built-ins; it runs the engine, so nothing here
//!   re-exports it (the engine reads this module).
//!
//! The rules know nothing of files, matching order or parsers: the keyword gate lives in [`crate::prefilter`], the
//! confirmation in [`crate::engine`], and the parsers' own rule descriptions are added by whoever builds the set for
//! a scan ([`RuleSet::add_parser_rules`]). A rule file holds a `[[rules]]` array; README.md ("Rule format") has
//! every field.
pub mod check;
pub mod compile;
pub mod load;
pub mod model;

pub use compile::{compile_rule, Rule, RuleSet, DEFAULT_WINDOW, MAX_WINDOW};
pub use load::{builtin_specs, load_rule_file, parse_rule_file};
pub use model::{spellings, Confidence, FingerprintKind, NameKind, RuleSpec, Severity, Validator};
