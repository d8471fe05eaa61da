//! Where rules come from: the rule files under `rules/` (embedded at build time by `build.rs`) and any `--rules FILE`
//! given at run time, parsed into [`RuleSpec`]s and compiled into a [`RuleSet`].
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use super::{compile::RuleSet, model::RuleSpec};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rules: Vec<RuleSpec>,
}

/// Parse one rule file's text. `origin` only labels errors.
pub fn parse_rule_file(text: &str, origin: &str) -> Result<Vec<RuleSpec>> {
    // toml's Display is multi-line with a source excerpt; report one line: origin, message, line number.
    let mut file: RuleFile = toml::from_str(text).map_err(|e| crate::reason::toml_error(text, origin, &e))?;
    for spec in &mut file.rules {
        spec.pattern = super::model::expand_pattern(&spec.pattern);
    }
    Ok(file.rules)
}

/// Read a rule file from disk.
pub fn load_rule_file(path: &Path) -> Result<Vec<RuleSpec>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read rule file {}", path.display()))?;
    parse_rule_file(&text, &path.display().to_string())
}

/// The built-in rules, parsed.
pub fn builtin_specs() -> Result<Vec<RuleSpec>> {
    let mut out = Vec::new();
    for (name, text) in BUILTIN_RULE_FILES {
        out.extend(parse_rule_file(text, name)?);
    }
    Ok(out)
}

impl RuleSet {
    /// Built-in rules plus extra rule files. Built-in patterns are built on first use (the test suite builds
    /// them all); a user's are compiled now, so a pattern error stops the scan before it starts.
    pub fn load(extra: &[std::path::PathBuf]) -> Result<RuleSet> {
        let mut specs = builtin_specs()?;
        let builtin = specs.len();
        for p in extra {
            specs.extend(load_rule_file(p)?);
        }
        RuleSet::compile_lazily(specs, builtin, BUILTIN_RULES_DIGEST)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::compile::build_regex;

    #[test]
    fn assign_placeholder_reads_every_setting_syntax() {
        let text = r#"
[[rules]]
id = "demo-setting"
name = "Demo"
severity = "high"
kind = "api-key"
keywords = ["demo"]
pattern = '''(?i:demo)[A-Za-z0-9_.-]{0,24}(?i:token){assign}(?P<secret>[a-z0-9]{24})\b'''
"#;
        let spec = parse_rule_file(text, "demo").unwrap().remove(0);
        assert!(!spec.pattern.contains("{assign}"), "expanded at load");
        let regex = build_regex(&spec.pattern).unwrap();
        let secret = |line: &str| {
            let mut caps = regex.create_captures();
            regex.captures(line.as_bytes(), &mut caps);
            caps.get_group_by_name("secret").map(|g| line[g.range()].to_string())
        };
        let v = "k3j5h7g9f1d3s5a7q9w1e3r5";
        for line in [
            format!("DEMO_TOKEN={v}"),
            format!("demo_token: '{v}'"),
            format!("<demoToken>{v}</demoToken>"),
            format!("<add key=\"DemoToken\" value=\"{v}\" />"),
            format!("ENV['DEMO_TOKEN'] = '{v}'"),
            format!("define('DEMO_TOKEN', '{v}');"),
            format!("var demoToken string = \"{v}\""),
            format!("let demo_token: &str = \"{v}\";"),
            format!("demo_token ::= \"\"\"{v}\"\"\""),
            format!("demo_token: |\n  {v}"),
        ] {
            assert_eq!(secret(&line).as_deref(), Some(v), "{line}");
        }
        assert_eq!(secret(&format!("demo token {v}")), None, "a name and a value are not a setting");
    }

    #[test]
    fn builtin_patterns_are_built_on_first_use() {
        let rules = RuleSet::load(&[]).unwrap();
        assert!(rules.rules.iter().all(|r| !r.is_built()), "built-in patterns are built on first use");
        let rule = &rules.rules[0];
        assert!(rule.compiled().regex().is_match(rule.spec.examples[0].as_bytes()));
        assert!(rule.is_built());
    }

    #[test]
    fn unknown_field_is_an_error_with_line() {
        let err = parse_rule_file("[[rules]]\nid = \"a\"\nbogus = 1\n", "f.toml").unwrap_err().to_string();
        assert!(err.contains("f.toml") && err.contains("bogus"), "{err}");
    }
}
