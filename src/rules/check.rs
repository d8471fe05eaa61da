//! Rule checking, the way Nosey Parker's `rules check` does it: ids unique and kebab-case, patterns compile with a
//! `secret` group, every example contains a keyword and is found through the whole engine, no negative example is.
//!
//! Used by `credsweep rules check FILE` and by the test suite on the built-in rules. It runs a real
//! [`Engine`] per rule, which is why it lives apart from the rules model: the model is data every stage reads, this
//! is a client of the engine.
use std::collections::HashSet;

use super::{
    compile::{compile_rule, RuleSet},
    model::{spellings, RuleSpec},
};
use crate::engine::Engine;

/// The ids a rule file must not reuse: every built-in rule's, except those of the built-in file it is (`credsweep
/// rules check rules/cloud.toml` in this repository: rule for rule the same as the embedded file). A user file
/// that reuses a built-in id is refused by a scan, so the check says so; deciding "built-in" from the ids alone
/// passed any file whose ids were all built-in ones (issue #16).
pub fn taken_ids(specs: &[RuleSpec]) -> anyhow::Result<HashSet<String>> {
    let json = |s: &[RuleSpec]| serde_json::to_value(s).expect("rule specs serialize");
    let mine = json(specs);
    let mut taken = HashSet::new();
    let mut is_builtin_file = false;
    for (name, text) in super::load::BUILTIN_RULE_FILES {
        let builtin = super::load::parse_rule_file(text, name)?;
        if !is_builtin_file && !specs.is_empty() && json(&builtin) == mine {
            is_builtin_file = true;
            continue;
        }
        taken.extend(builtin.into_iter().map(|s| s.id));
    }
    Ok(taken)
}

/// Validate rules the way the test suite validates the built-ins: ids unique and kebab-case, patterns compile with a
/// `secret` group, every example contains a keyword and yields a finding of its rule through the whole engine
/// (gate, window, entropy, placeholder filter, validator), and no negative example does.
///
/// `others` are ids that already exist (the built-ins, when checking a user file). Returns every problem found.
pub fn check_rules(specs: &[RuleSpec], others: &HashSet<String>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut compiled = Vec::new();
    for spec in specs {
        if !seen.insert(spec.id.clone()) || others.contains(&spec.id) {
            problems.push(format!("rule '{}': duplicate id", spec.id));
        }
        if spec.examples.is_empty() {
            problems.push(format!("rule '{}': has no examples", spec.id));
        }
        if spec.negative_examples.is_empty() {
            problems.push(format!("rule '{}': has no negative examples", spec.id));
        }
        for (i, ex) in spec.examples.iter().enumerate() {
            let lower = ex.to_ascii_lowercase().into_bytes();
            let spellings = spec.keywords.iter().flat_map(|k| spellings(k));
            if !spellings.into_iter().any(|k| lower.windows(k.len()).any(|w| w == &k[..])) {
                problems.push(format!("rule '{}': example {} contains none of the keywords", spec.id, i + 1));
            }
        }
        match compile_rule(spec.clone()) {
            Ok(rule) => compiled.push(rule),
            Err(e) => problems.push(e.to_string()),
        }
    }
    for rule in compiled {
        let id = rule.spec.id.clone();
        let examples = rule.spec.examples.clone();
        let negatives = rule.spec.negative_examples.clone();
        let set = RuleSet { rules: vec![rule], parser_rules: Vec::new(), digest: String::new() };
        let engine = Engine::new(set);
        for (i, ex) in examples.iter().enumerate() {
            if !engine.scan(ex.as_bytes()).iter().any(|m| engine.rule(m.rule).id() == id) {
                problems.push(format!("rule '{id}': example {} does not produce a finding", i + 1));
            }
        }
        for (i, ex) in negatives.iter().enumerate() {
            if engine.scan(ex.as_bytes()).iter().any(|m| engine.rule(m.rule).id() == id) {
                problems.push(format!("rule '{id}': negative example {} produces a finding", i + 1));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::{builtin_specs, parse_rule_file};

    #[test]
    fn builtin_rules_pass_their_own_checks() {
        let specs = builtin_specs().expect("built-in rule files parse");
        assert!(specs.len() >= 40, "at least 40 built-in rules, have {}", specs.len());
        let problems = check_rules(&specs, &HashSet::new());
        assert!(problems.is_empty(), "rule problems:\n{}", problems.join("\n"));
        RuleSet::compile(specs).expect("the whole set compiles together");
    }

    #[test]
    fn a_built_in_file_may_hold_its_own_ids_and_no_other_file_may() {
        let (name, text) = crate::rules::load::BUILTIN_RULE_FILES[0];
        let specs = parse_rule_file(text, name).unwrap();
        let taken = taken_ids(&specs).unwrap();
        assert!(specs.iter().all(|s| !taken.contains(&s.id)), "{name} is compared with the other files");
        assert!(!taken.is_empty());
        // One rule of it, or all of it with one field changed, is a user's file reusing built-in ids.
        for mut user in [specs[..1].to_vec(), specs.clone()] {
            user[0].name.push_str(" (mine)");
            let taken = taken_ids(&user).unwrap();
            let problems = check_rules(&user, &taken).join("\n");
            assert!(problems.contains(&format!("rule '{}': duplicate id", user[0].id)), "{problems}");
        }
    }

    #[test]
    fn a_pattern_too_long_or_too_big_is_refused_before_it_is_built() {
        let rule = |pattern: String| {
            let mut spec = parse_rule_file(
                "[[rules]]\nid = \"big\"\nname = \"x\"\nseverity = \"low\"\nkind = \"api-key\"\nkeywords = [\"tok_\"]\n\
                 pattern = '(?P<secret>tok_1)'\nexamples = [\"tok_1\"]\nnegative_examples = [\"x\"]\n",
                "t",
            )
            .unwrap();
            spec[0].pattern = pattern;
            check_rules(&spec, &HashSet::new()).join("\n")
        };
        let p = rule(format!("(?P<secret>tok_{})", "a".repeat(10 << 20)));
        assert!(p.contains("more than the 16384 allowed"), "{}", &p[..p.len().min(300)]);
        let p = rule("(?P<secret>tok_[a-z0-9]{1000}{1000})".into());
        assert!(p.contains("exceeded limit of 4194304"), "{p}");
    }

    #[test]
    fn check_rules_reports_each_kind_of_problem() {
        let text = r#"
[[rules]]
id = "demo-token"
name = "Demo"
severity = "high"
kind = "api-key"
keywords = ["demo_"]
pattern = '''\b(?P<secret>demo_[a-z0-9]{12})\b'''
examples = ["demo_a1b2c3d4e5f6", "nokeyword"]
negative_examples = ["demo_q1w2e3r4t5y6"]

[[rules]]
id = "demo-token"
name = "Dup"
severity = "low"
kind = "api-key"
keywords = ["zz"]
pattern = '''(?P<nosecret>zz)'''
examples = ["zz"]
negative_examples = ["zz"]

[[rules]]
id = "Bad_Id"
name = "Bad"
severity = "low"
kind = "api-key"
keywords = ["qq"]
pattern = '''(?P<secret>qq'''
examples = ["qq"]
negative_examples = []
"#;
        let specs = parse_rule_file(text, "t").unwrap();
        let p = check_rules(&specs, &HashSet::new()).join("\n");
        assert!(p.contains("example 2 contains none of the keywords"), "{p}");
        assert!(p.contains("example 2 does not produce a finding"), "{p}");
        assert!(p.contains("negative example 1 produces a finding"), "{p}");
        assert!(p.contains("duplicate id"), "{p}");
        assert!(p.contains("no named group 'secret'"), "{p}");
        assert!(p.contains("kebab-case"), "{p}");
        assert!(p.contains("has no negative examples"), "{p}");
    }
}
