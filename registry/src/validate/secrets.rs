//! Refuse raw secrets anywhere in an upload: every string and every object key of the report is run through the
//! scanner's own engine with its built-in rules (`credsweep::engine::Engine`), and a report in which any of them
//! recognises a token is refused, whatever field it is in.
//!
//! Why the scanner's rules: they are what "this is a token" means in credsweep — 300-odd provider formats with their
//! keyword gate, entropy floors, placeholder filter and checksum validators — so the registry refuses exactly what
//! the scanner would report, with no second list to keep in step. `findings[].secret` (the one field that may hold
//! a raw value, with `--include-secrets`) is refused before this runs, so here no field is exempt.
//!
//! The one thing allowed through: an `identifier` (`findings[].identifier`, `credentials[].identifier`) may hold what
//! a rule of kind `access-key-id` recognises. That is the public half of a key pair — an AWS `AKIA…` id names the
//! key whose secret was found, which is what the schema says an identifier is for — and not a secret by itself.
//!
//! Cost: the engine (rules parsed, keyword gate built) is made once per process; a rule's regex is compiled the
//! first time its keyword occurs. Each string costs one pass of the keyword gate, and only strings containing a
//! keyword reach a regex, so checking a report is linear in its size.

use credsweep::engine::{Engine, Scratch};
use serde_json::Value;
use std::sync::LazyLock;

/// Rules of this kind recognise public identifiers (the id half of a key pair), not secrets.
const PUBLIC_IDENTIFIER_KIND: &str = "access-key-id";

/// The built-in rules, loaded once. Loading only parses the embedded rule files; it cannot fail in a build whose own
/// tests passed (the scanner's suite checks every built-in rule).
static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let rules = credsweep::rules::RuleSet::load(&[]).expect("built-in rules load (checked by the scanner's tests)");
    Engine::new(rules)
});

/// Build the engine now (at server start) rather than during the first upload.
pub fn warm_up() {
    LazyLock::force(&ENGINE);
}

/// A value a built-in rule recognised: where it is (`findings[3].path`) and which rule.
#[derive(Debug, PartialEq, Eq)]
pub struct Found {
    pub field: String,
    pub rule: String,
}

/// The first string or key in `report` that a built-in rule recognises as a secret, if any.
pub fn find(report: &Value) -> Option<Found> {
    let mut walk = Walk { path: Vec::new(), scratch: Scratch::default() };
    walk.value(report)
}

/// One step of a path into the report.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

struct Walk<'a> {
    path: Vec<Step<'a>>,
    scratch: Scratch,
}

impl<'a> Walk<'a> {
    fn value(&mut self, v: &'a Value) -> Option<Found> {
        match v {
            Value::String(s) => {
                let identifier = matches!(self.path.last(), Some(Step::Key("identifier")));
                let rule = self.recognise(s, identifier)?;
                Some(Found { field: field_name(&self.path), rule })
            }
            Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
                self.path.push(Step::Index(i));
                let found = self.value(item);
                self.path.pop();
                found
            }),
            Value::Object(map) => map.iter().find_map(|(k, item)| {
                // A key is named by where it is, never by itself.
                if let Some(rule) = self.recognise(k, false) {
                    return Some(Found { field: format!("{} (a field name)", field_name(&self.path)), rule });
                }
                self.path.push(Step::Key(k));
                let found = self.value(item);
                self.path.pop();
                found
            }),
            Value::Null | Value::Bool(_) | Value::Number(_) => None,
        }
    }

    /// The id of a built-in rule that recognises a secret in `s`. In an identifier, a public identifier (an access
    /// key id) is not one; every match counts, so an identifier holding an access key id *and* a token is refused.
    fn recognise(&mut self, s: &str, identifier: bool) -> Option<String> {
        let matches = ENGINE.scan_with(s.as_bytes(), &mut self.scratch);
        let rule = matches
            .iter()
            .map(|m| ENGINE.rule(m.rule))
            .find(|rule| !(identifier && rule.spec.kind == PUBLIC_IDENTIFIER_KIND))?;
        Some(rule.id().to_owned())
    }
}

/// `findings[3].context.tool`, or `report` for the top level.
fn field_name(path: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(&short(k)),
            Step::Key(k) => {
                out.push('.');
                out.push_str(&short(k));
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() {
        "report".to_owned()
    } else {
        out
    }
}

/// A key as it may be shown in a message: at most 40 characters (keys are checked like values before any message
/// names them, but a long one still has no place in an error).
fn short(k: &str) -> String {
    if k.chars().count() <= 40 {
        k.to_owned()
    } else {
        format!("{}…", k.chars().take(40).collect::<String>())
    }
}
