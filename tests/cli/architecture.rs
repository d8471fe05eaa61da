//! The house rules DESIGN.md states, checked on the sources themselves: no import cycle between source files, and no
//! function over 80 lines, in the scanner (`src/`) and the registry (`registry/src/`).
//!
//! The check reads Rust as text: comments and string literals are blanked first, then every `crate::…`, `super::…`
//! and imported-name path is resolved to the file that defines the module it names. A module and its own
//! descendants may use each other freely (a `mod.rs` dispatching to its children, a child using its parent's types);
//! every other pair of files must depend one way only. A cycle is reported with every file in it.
use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    path::{Path, PathBuf},
};

/// The longest a function may be, in lines from its `fn` to its closing brace.
const MAX_FN_LINES: usize = 80;

/// A crate's source files, keyed by module path (`[]` for the crate root, `["parsers", "dotenv"]` …).
struct Crate {
    files: BTreeMap<Vec<String>, (PathBuf, String)>,
}

impl Crate {
    fn load(src: &Path) -> Crate {
        let mut files = BTreeMap::new();
        let mut stack = vec![src.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    files.insert(module_path(src, &path), (path, blank(&text)));
                }
            }
        }
        Crate { files }
    }

    /// The file defining the longest prefix of `path` that is a module.
    fn resolve(&self, path: &[String]) -> Option<&Vec<String>> {
        (0..=path.len()).rev().find_map(|n| self.files.get_key_value(&path[..n]).map(|(k, _)| k))
    }

    /// File-level dependency edges, leaving out those between a module and its ancestors or descendants.
    fn edges(&self) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
        let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
        for (module, (_, text)) in &self.files {
            let targets = edges.entry(module.clone()).or_default();
            for path in references(module, text) {
                let Some(target) = self.resolve(&path) else { continue };
                let related = target.starts_with(module) || module.starts_with(target);
                if !related {
                    targets.insert(target.clone());
                }
            }
        }
        edges
    }
}

/// `src/a/b.rs` and `src/a/b/mod.rs` → `["a", "b"]`; `src/lib.rs` and `src/main.rs` → `[]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod")) || parts == ["lib"] || parts == ["main"] {
        parts.pop();
    }
    parts
}

/// The text with comments and the insides of string and char literals replaced by spaces (newlines kept).
fn blank(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let wipe = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
            wipe(&mut out, i, end);
            i = end;
        } else if rest.starts_with(b"/*") {
            let (mut depth, mut j) = (1, i + 2);
            while j < b.len() && depth > 0 {
                if b[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if b[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            wipe(&mut out, i, j);
            i = j;
        } else if let Some(end) = raw_string_end(b, i) {
            wipe(&mut out, i, end);
            i = end;
        } else if b[i] == b'"' && !(i > 0 && is_ident(b[i - 1]) && b[i - 1] != b'b') {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            wipe(&mut out, i + 1, j.min(b.len()));
            i = j + 1;
        } else if b[i] == b'\'' {
            // A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a): only the former is closed nearby.
            let close = if b.get(i + 1) == Some(&b'\\') {
                b[i + 2..].iter().take(10).position(|&c| c == b'\'').map(|n| i + 2 + n)
            } else {
                std::str::from_utf8(&b[i + 1..(i + 6).min(b.len())])
                    .ok()
                    .or_else(|| std::str::from_utf8(&b[i + 1..(i + 5).min(b.len())]).ok())
                    .and_then(|s| s.chars().next())
                    .and_then(|c| (b.get(i + 1 + c.len_utf8()) == Some(&b'\'')).then_some(i + 1 + c.len_utf8()))
            };
            match close {
                Some(end) => {
                    wipe(&mut out, i + 1, end);
                    i = end + 1;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// If a raw string (`r"…"`, `r#"…"#`, `br#"…"#`) starts at `i`, where it ends.
fn raw_string_end(b: &[u8], i: usize) -> Option<usize> {
    if i > 0 && is_ident(b[i - 1]) {
        return None;
    }
    let mut j = i;
    if b.get(j) == Some(&b'b') {
        j += 1;
    }
    if b.get(j) != Some(&b'r') {
        return None;
    }
    j += 1;
    let hashes = b[j..].iter().take_while(|&&c| c == b'#').count();
    j += hashes;
    if b.get(j) != Some(&b'"') {
        return None;
    }
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let from = j + 1;
    b[from..].windows(close.len()).position(|w| w == close.as_slice()).map(|n| from + n + close.len())
}

fn memchr(c: u8, b: &[u8]) -> Option<usize> {
    b.iter().position(|&x| x == c)
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Tokens: identifiers, `::`, and single punctuation characters.
fn tokens(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if is_ident(b[i]) {
            let start = i;
            while i < b.len() && is_ident(b[i]) {
                i += 1;
            }
            out.push(&text[start..i]);
        } else if b[i..].starts_with(b"::") {
            out.push("::");
            i += 2;
        } else if b[i].is_ascii_whitespace() || !b[i].is_ascii() {
            i += 1;
        } else {
            out.push(&text[i..i + 1]);
            i += 1;
        }
    }
    out
}

/// Every module path this file names: `crate::a::b`, `super::x`, and paths through names it imported.
fn references(module: &[String], text: &str) -> Vec<Vec<String>> {
    let toks = tokens(text);
    let inline = inline_modules(&toks);
    // The module a token is in: the file's, plus the inline `mod x { … }` blocks around it (`super::` inside an
    // inline `mod tests` names the file's own module).
    let here = |i: usize| {
        let mut m = module.to_vec();
        m.extend(inline.iter().filter(|(s, e, _)| *s < i && i < *e).map(|(_, _, n)| n.clone()));
        m
    };
    let mut aliases: HashMap<String, Vec<String>> = HashMap::new();
    let mut found = Vec::new();
    // Imports first, so that later paths through an imported name resolve.
    let mut i = 0;
    while i < toks.len() {
        if toks[i] == "use" {
            let mut leaves = Vec::new();
            let module = here(i);
            i = use_tree(&toks, i + 1, Vec::new(), &mut leaves);
            for (path, name) in leaves {
                if let Some(abs) = absolute(&module, &path, &HashMap::new()) {
                    if let Some(name) = name {
                        aliases.insert(name, abs.clone());
                    }
                    found.push(abs);
                }
            }
        } else {
            i += 1;
        }
    }
    for (i, t) in toks.iter().enumerate() {
        let starts = matches!(*t, "crate" | "super" | "self") || aliases.contains_key(*t);
        if !starts || toks.get(i + 1) != Some(&"::") || (i > 0 && toks[i - 1] == "::") {
            continue;
        }
        let mut path = vec![t.to_string()];
        let mut j = i + 1;
        while toks.get(j) == Some(&"::") && toks.get(j + 1).is_some_and(|s| is_ident(s.as_bytes()[0])) {
            path.push(toks[j + 1].to_string());
            j += 2;
        }
        if let Some(abs) = absolute(&here(i), &path, &aliases) {
            found.push(abs);
        }
    }
    found
}

/// Inline modules (`mod name { … }`) as (token of `{`, token of the matching `}`, name), outermost first.
fn inline_modules(toks: &[&str]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for i in 0..toks.len().saturating_sub(2) {
        if toks[i] != "mod" || toks[i + 2] != "{" || !is_ident(toks[i + 1].as_bytes()[0]) {
            continue;
        }
        let mut depth = 0;
        let end = (i + 2..toks.len()).find(|&j| {
            match toks[j] {
                "{" => depth += 1,
                "}" => depth -= 1,
                _ => {}
            }
            depth == 0
        });
        out.push((i + 2, end.unwrap_or(toks.len()), toks[i + 1].to_string()));
    }
    out
}

/// Parse a `use` tree starting at `i`; leaves are (path, bound name). Returns the index after the tree.
fn use_tree(
    toks: &[&str],
    mut i: usize,
    prefix: Vec<String>,
    leaves: &mut Vec<(Vec<String>, Option<String>)>,
) -> usize {
    let mut path = prefix;
    loop {
        match toks.get(i).copied() {
            Some("{") => {
                i += 1;
                while toks.get(i).is_some_and(|t| *t != "}") {
                    i = use_tree(toks, i, path.clone(), leaves);
                    if toks.get(i) == Some(&",") {
                        i += 1;
                    }
                }
                return i + 1;
            }
            Some("*") => {
                leaves.push((path, None));
                return i + 1;
            }
            Some(t) if is_ident(t.as_bytes()[0]) => {
                path.push(t.to_string());
                i += 1;
                if toks.get(i) == Some(&"::") {
                    i += 1;
                    continue;
                }
                let mut name = if t == "self" { path.get(path.len().wrapping_sub(2)).cloned() } else { Some(t.into()) };
                if toks.get(i) == Some(&"as") {
                    name = toks.get(i + 1).map(|s| s.to_string());
                    i += 2;
                }
                if path.last().is_some_and(|l| l == "self") {
                    path.pop();
                }
                leaves.push((path, name));
                return i;
            }
            _ => return i + 1,
        }
    }
}

/// Resolve a path as written in `module` to an absolute module path, or `None` for external crates.
fn absolute(module: &[String], path: &[String], aliases: &HashMap<String, Vec<String>>) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    let mut base: Vec<String> = match first.as_str() {
        "crate" => Vec::new(),
        "self" => module.to_vec(),
        "super" => {
            let mut m = module.to_vec();
            m.pop();
            let mut rest = rest;
            while rest.first().is_some_and(|s| s == "super") {
                m.pop();
                rest = &rest[1..];
            }
            m.extend(rest.iter().cloned());
            return Some(m);
        }
        name => aliases.get(name)?.clone(),
    };
    base.extend(rest.iter().cloned());
    Some(base)
}

/// Strongly connected components of more than one file (Tarjan).
fn cycles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct State<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: HashMap<&'a Vec<String>, usize>,
        low: HashMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on: BTreeSet<&'a Vec<String>>,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Vec<String>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on.insert(v);
        for w in s.edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                scc.push(w.clone());
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort();
                s.out.push(scc);
            }
        }
    }
    let mut s = State {
        edges,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// Functions longer than [`MAX_FN_LINES`]: (file, line, name, lines).
fn long_functions(file: &Path, text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let line_of = |pos: usize| b[..pos].iter().filter(|&&c| c == b'\n').count() + 1;
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(n) = text[i..].find("fn ") {
        let at = i + n;
        i = at + 3;
        if at > 0 && is_ident(b[at - 1]) {
            continue;
        }
        let name: String = text[at + 3..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if name.is_empty() {
            continue;
        }
        // The body opens at the first `{` outside parentheses and angle brackets; a `;` first means no body.
        let (mut depth, mut j) = (0i32, at);
        let open = loop {
            match b.get(j) {
                None => break None,
                Some(b'(' | b'[') => depth += 1,
                Some(b')' | b']') => depth -= 1,
                Some(b';') if depth == 0 => break None,
                Some(b'{') if depth == 0 => break Some(j),
                _ => {}
            }
            j += 1;
        };
        let Some(open) = open else { continue };
        let mut braces = 0;
        let mut close = open;
        for (k, &c) in b[open..].iter().enumerate() {
            match c {
                b'{' => braces += 1,
                b'}' => {
                    braces -= 1;
                    if braces == 0 {
                        close = open + k;
                        break;
                    }
                }
                _ => {}
            }
        }
        let lines = line_of(close) - line_of(at) + 1;
        if lines > MAX_FN_LINES {
            out.push(format!("{}:{} fn {name}: {lines} lines", file.display(), line_of(at)));
        }
    }
    out
}

fn crates() -> Vec<(&'static str, Crate)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    vec![("src", Crate::load(&root.join("src"))), ("registry/src", Crate::load(&root.join("registry/src")))]
}

fn show(m: &[String]) -> String {
    if m.is_empty() {
        "(crate root)".into()
    } else {
        m.join("::")
    }
}

#[test]
fn no_import_cycles_between_source_files() {
    let mut problems = Vec::new();
    for (name, krate) in crates() {
        for scc in cycles(&krate.edges()) {
            let files: Vec<String> = scc.iter().map(|m| show(m)).collect();
            problems.push(format!("{name}: a cycle through {} files: {}", files.len(), files.join(", ")));
        }
    }
    assert!(problems.is_empty(), "import cycles (DESIGN.md: data flows one way):\n{}", problems.join("\n"));
}

#[test]
fn no_function_over_80_lines() {
    let mut problems = Vec::new();
    for (_, krate) in crates() {
        for (path, text) in krate.files.values() {
            problems.extend(long_functions(path, text));
        }
    }
    assert!(problems.is_empty(), "functions over {MAX_FN_LINES} lines:\n{}", problems.join("\n"));
}

/// The checker itself: a cycle it must see, the family exemption, and literals it must not read as code.
#[test]
fn the_checker_sees_cycles_and_ignores_comments_strings_and_families() {
    let files = [
        (vec!["a".to_string()], "use crate::b::f; // crate::c::g\nfn x() { let s = \"crate::c\"; }"),
        (vec!["b".to_string()], "use crate::{a, d::{self, e as f}};\nfn y() { a::x(); }"),
        (vec!["c".to_string()], "mod k; use k::z; fn z() { super::a::x(); }"),
        (vec!["c".to_string(), "k".to_string()], "use super::z;"),
        (vec!["d".to_string()], "use std::c;\nmod tests { use super::super::e::f; }"),
        (vec!["e".to_string()], "use crate::d::g;"),
    ];
    let krate =
        Crate { files: files.iter().map(|(m, t)| (m.clone(), (PathBuf::from(m.join("/")), blank(t)))).collect() };
    let edges = krate.edges();
    let c = |s: &str| vec![s.to_string()];
    assert_eq!(edges[&c("a")], BTreeSet::from([c("b")]), "comments and strings are not code");
    assert_eq!(edges[&c("b")], BTreeSet::from([c("a"), c("d")]));
    assert_eq!(edges[&c("c")], BTreeSet::from([c("a")]), "a module and its child may use each other");
    assert_eq!(edges[&c("d")], BTreeSet::from([c("e")]), "super:: in an inline module climbs from that module");
    let mut found = cycles(&edges);
    found.sort();
    assert_eq!(found, vec![vec![c("a"), c("b")], vec![c("d"), c("e")]]);
    let long = format!("fn long() {{\n{}}}\nfn short() {{ let _ = '{{'; }}\n", "    let _x = 1;\n".repeat(80));
    let found = long_functions(Path::new("f.rs"), &blank(&long));
    assert_eq!(found, vec!["f.rs:1 fn long: 82 lines".to_string()]);
}
