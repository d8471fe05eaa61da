//! Uploads are checked against the report schema the scanner writes to, `schema/report.schema.json` at the root of
//! the repository (embedded at build time, so the registry and the scanner of one build agree on it).
//!
//! The schema says `additionalProperties: false` on every object: a field the schema does not name is refused
//! rather than stored unseen, since an unknown field is exactly where a raw secret could ride along. The cost is
//! upgrade order: a newer scanner that writes new fields needs a registry that knows its schema, so upgrade the
//! registry first. (A refused report is not lost: the scanner keeps it in its spool's `rejected/` directory.)
//!
//! Messages say where and what (`findings[2].severity: must be one of …`) and never quote the value that failed.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::Validator;
use serde_json::Value;
use std::sync::LazyLock;

/// The schema, compiled once. It is part of this build and the suite validates reports against it, so it compiles.
static SCHEMA: LazyLock<Validator> = LazyLock::new(|| {
    let schema: Value = serde_json::from_str(include_str!("../../../schema/report.schema.json"))
        .expect("schema/report.schema.json is JSON (checked by the test suite)");
    jsonschema::validator_for(&schema).expect("schema/report.schema.json compiles (checked by the test suite)")
});

/// Compile the schema now (at server start) rather than during the first upload.
pub fn warm_up() {
    LazyLock::force(&SCHEMA);
}

/// The first way `report` breaks the schema, as a message for the client; `None` when it is valid.
pub fn check(report: &Value) -> Option<String> {
    let error = SCHEMA.iter_errors(report).next()?;
    Some(format!("{}: {}", field_name(error.instance_path.as_str()), describe(&error.kind)))
}

/// A JSON pointer (`/findings/2/severity`) as a field name (`findings[2].severity`); the root is `report`.
fn field_name(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.bytes().all(|b| b.is_ascii_digit()) && !segment.is_empty() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&short(&segment));
        }
    }
    if out.is_empty() {
        "report".to_owned()
    } else {
        out
    }
}

/// A name from the report (an unknown field, a tag), cut to 40 characters.
fn short(s: &str) -> String {
    if s.chars().count() <= 40 {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(40).collect::<String>())
    }
}

/// What is wrong, in words that name the rule broken (from the schema) but not the value.
fn describe(kind: &ValidationErrorKind) -> String {
    use ValidationErrorKind as K;
    match kind {
        K::AdditionalProperties { unexpected } => {
            let names: Vec<String> = unexpected.iter().take(5).map(|n| format!("{:?}", short(n))).collect();
            format!("unknown field {} (not in the report schema)", names.join(", "))
        }
        K::Required { property } => format!("missing required field {property}"),
        K::Type { kind } => format!("must be {}", type_name(kind)),
        K::Enum { options } => format!("must be one of {options}"),
        K::Constant { expected_value } => format!("must be {expected_value}"),
        K::Pattern { pattern } => format!("does not match the pattern {pattern}"),
        K::Minimum { limit } => format!("must be at least {limit}"),
        K::Maximum { limit } => format!("must be at most {limit}"),
        K::MinItems { limit } => format!("must have at least {limit} item(s)"),
        K::MinLength { limit } => format!("must be at least {limit} character(s)"),
        K::PropertyNames { .. } => "has a field name the schema does not allow".to_owned(),
        K::ContentEncoding { content_encoding } => format!("is not valid {content_encoding}"),
        other => format!("is not valid ({})", variant_name(other)),
    }
}

fn type_name(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(t) => format!("{t}"),
        TypeKind::Multiple(ts) => {
            let names: Vec<String> = ts.into_iter().map(|t| t.to_string()).collect();
            names.join(" or ")
        }
    }
}

/// The name of an error kind (`Format`, `UniqueItems` …) without the values some of them carry.
fn variant_name(kind: &ValidationErrorKind) -> String {
    let debug = format!("{kind:?}");
    debug.split([' ', '{', '(']).next().unwrap_or("").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_become_field_names() {
        assert_eq!(field_name(""), "report");
        assert_eq!(field_name("/findings/2/severity"), "findings[2].severity");
        assert_eq!(field_name("/tags/a~1b"), "tags.a/b");
    }

    #[test]
    fn messages_name_the_rule_not_the_value() {
        let v = serde_json::json!({ "schema": "credsweep.report/v1", "secret-looking-extra": "value-xyz" });
        let m = check(&v).unwrap();
        assert!(!m.contains("value-xyz"), "{m}");
    }
}
