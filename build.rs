//! Embeds every `rules/*.toml` file into the binary.
//!
//! Why a build script and not a hand-kept list of `include_str!`: a rule file added to `rules/` must be picked up on
//! the next build without anyone editing Rust code (STYLE.md, "rule files added but not rebuilt"). Cargo re-runs this
//! script when the directory changes (a file added or removed) and when any listed file changes.
use std::{env, fs, path::PathBuf};

use sha2::{Digest, Sha256};

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("rules/ directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("/// Built-in rule files: (file name, TOML text), sorted by name.\npub static BUILTIN_RULE_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy();
        out.push_str(&format!("    ({:?}, include_str!({:?})),\n", name, f.display().to_string()));
    }
    out.push_str("];\n");
    // The digest a report carries for the built-in rules (SHA-256 over each file's name and text): computed here
    // once, rather than by every scan at start, where hashing the rules was a tenth of the start-up time.
    let mut hasher = Sha256::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read(f).unwrap();
        for part in [name.as_bytes(), &(text.len() as u64).to_le_bytes(), &text] {
            hasher.update(part);
        }
    }
    out.push_str(&format!(
        "/// SHA-256 over the built-in rule files (name, length, text), in order.\npub static BUILTIN_RULES_DIGEST: &str = \"sha256:{}\";\n",
        hex::encode(hasher.finalize())
    ));
    let dest = PathBuf::from(env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    fs::write(dest, out).unwrap();
}
