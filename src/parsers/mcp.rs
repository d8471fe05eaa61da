//! MCP (Model Context Protocol) client configs: the secrets people paste into AI tools' server definitions.
//!
//! Why a parser: an MCP server is started by its client with a command line, environment and HTTP headers taken from
//! a JSON/YAML/TOML config, and the quickstarts tell users to paste API keys there. Token regexes find well-known
//! formats; this parser also finds the values that only their position marks as secret (`env.BRAVE_API_KEY`, an
//! `Authorization` header, `--api-key X`, a DSN's password), says which client, server and field hold them, and
//! lists references (`${input:x}`, `${env:X}`, `$X`, `%X%`, Codex's `bearer_token_env_var`) as good practice.
//!
//! Clients' docs: <https://modelcontextprotocol.io/quickstart/user>,
//! <https://docs.anthropic.com/en/docs/claude-code/mcp>, <https://docs.cursor.com/context/model-context-protocol>,
//! <https://code.visualstudio.com/docs/copilot/chat/mcp-servers>, <https://docs.windsurf.com/windsurf/cascade/mcp>,
//! <https://docs.cline.bot/mcp/configuring-mcp-servers>, <https://docs.roocode.com/features/mcp/using-mcp-in-roo>,
//! <https://docs.continue.dev/customize/deep-dives/mcp>, <https://zed.dev/docs/ai/mcp>,
//! <https://github.com/google-gemini/gemini-cli/blob/main/docs/tools/mcp-server.md>,
//! <https://github.com/openai/codex/blob/main/docs/config.md>, <https://kiro.dev/docs/mcp/configuration/>,
//! <https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/mcp-ide.html>, <https://lmstudio.ai/docs/app/plugins/mcp>,
//! <https://block.github.io/goose/docs/getting-started/using-extensions>,
//! <https://docs.github.com/en/copilot/how-tos/use-copilot-agents/use-copilot-cli>.
//!
//! Design: every format is read by [`document`] into one [`Node`] tree whose strings keep the byte range of their
//! raw contents (JSONC for every client, YAML for Continue and goose, TOML for Codex); names and values are judged
//! by [`super::judge`]. A value inside a string (`--token=X`, `Bearer X`, a URL's password) is spanned exactly when
//! the string has no escapes, else where its raw bytes are found nearby ([`Leaf::sub_from`]), so a command line of
//! many words costs linear time. Pure functions, no I/O; malformed input gives empty results, never a panic.
use std::ops::Range;
use std::path::Path;

use memchr::memmem;

use super::document::{self, Kind, Node, Scalar};
use super::judge::{
    is_reference, says_secret, token_like, url_password, userinfo, verdict_in, verdict_named, Expansion, Verdict,
};
use super::{Candidate, Context, Reference};

/// Config files by path suffix (lowercased, `/`-separated).
const CLIENT_PATHS: &[(&str, &[&str])] = &[
    ("claude-desktop", &["/claude_desktop_config.json"]),
    ("claude-code", &["/.claude.json", "/.mcp.json", "/.claude/settings.json", "/.claude/settings.local.json"]),
    ("cursor", &["/.cursor/mcp.json"]),
    ("vscode", &["/.vscode/mcp.json"]),
    ("copilot-cli", &["/.copilot/mcp-config.json"]),
    ("windsurf", &["/.codeium/windsurf/mcp_config.json", "/.codeium/windsurf-next/mcp_config.json"]),
    ("cline", &["/cline_mcp_settings.json"]),
    ("roo-code", &["/rooveterinaryinc.roo-cline/settings/mcp_settings.json", "/.roo/mcp.json"]),
    ("continue", &["/.continue/config.yaml", "/.continue/config.yml", "/.continue/config.json"]),
    ("zed", &["/zed/settings.json", "/.zed/settings.json"]),
    ("gemini-cli", &["/.gemini/settings.json"]),
    ("codex-cli", &["/.codex/config.toml", "/.codex/auth.json"]),
    ("kiro", &["/.kiro/settings/mcp.json"]),
    ("amazon-q", &["/.aws/amazonq/mcp.json", "/.amazonq/mcp.json"]),
    ("lm-studio", &["/.lmstudio/mcp.json", "/.cache/lm-studio/mcp.json"]),
    ("goose", &["/goose/config.yaml", "/goose/config/config.yaml", "/goose/secrets.yaml"]),
];
/// VS Code's user-data directories (stable, Insiders, VSCodium, OSS, remote server); profiles live below them.
const VSCODE_USER_DIRS: &[&str] =
    &["/code/user", "/code - insiders/user", "/vscodium/user", "/code - oss/user", "/.vscode-server/data/user"];

/// Which MCP client a path belongs to, by path and name (`None`: not an MCP config).
pub fn client_for_path(path: &Path) -> Option<&'static str> {
    let p = format!("/{}", path.to_string_lossy().replace('\\', "/").to_lowercase().trim_start_matches('/'));
    if let Some((client, _)) = CLIENT_PATHS.iter().find(|(_, suffixes)| suffixes.iter().any(|s| p.ends_with(s))) {
        return Some(client);
    }
    let (dir, name) = p.rsplit_once('/')?;
    let user_dir = dir.rsplit_once("/profiles/").filter(|(_, id)| !id.contains('/')).map_or(dir, |(base, _)| base);
    if VSCODE_USER_DIRS.iter().any(|d| user_dir.ends_with(d)) && (name == "mcp.json" || name == "settings.json") {
        return Some("vscode");
    }
    let yaml_or_json = [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e));
    (dir.ends_with("/.continue/mcpservers") && yaml_or_json).then_some("continue")
}

/// Parse one config. `token_rule_matches(value)` runs credsweep's token rules (provided by the caller).
pub fn candidates(
    client: &str,
    text: &[u8],
    token_rule_matches: &dyn Fn(&[u8]) -> bool,
) -> (Vec<Candidate>, Vec<Reference>) {
    let Some((root, yaml)) = parse(client, text) else { return (Vec::new(), Vec::new()) };
    let mut w = Walk { client, text, yaml, rule: token_rule_matches, cands: Vec::new(), refs: Vec::new() };
    w.root(&root);
    w.cands.sort_by_key(|c| c.span.start);
    (w.cands, w.refs)
}

/// The config as a [`Node`] tree: JSONC for every client, else YAML (Continue, goose: the first document, read
/// whole) or TOML (Codex). `true` with a YAML tree, where a plain scalar is a string too.
fn parse(client: &str, text: &[u8]) -> Option<(Node, bool)> {
    if let Some(node) = document::jsonc(text) {
        return Some((node, false));
    }
    std::str::from_utf8(text).ok()?;
    match client {
        "continue" | "goose" => {
            let yaml = document::yaml(text);
            (yaml.whole > 0).then(|| yaml.docs.into_iter().next()).flatten().map(|n| (n, true))
        }
        "codex-cli" => document::toml(text).map(|n| (n, false)),
        _ => None,
    }
}

/// A string value (or part of one): decoded bytes and the raw byte range they came from.
#[derive(Clone, Copy)]
struct Leaf<'a> {
    text: &'a [u8],
    raw: (usize, usize),
    val: &'a [u8],
    /// The raw bytes equal the value (no escapes): a part's span is exact arithmetic.
    exact: bool,
}

fn range((start, end): (usize, usize)) -> Range<usize> {
    start..end
}

/// Escapes lengthen: one decoded byte comes from at most this many raw bytes (JSON's `\u00XX`).
const MAX_ESCAPE_LEN: usize = 6;

impl<'a> Leaf<'a> {
    fn new(text: &'a [u8], val: &'a [u8], raw: &Range<usize>) -> Leaf<'a> {
        let exact = text.get(raw.clone()) == Some(val);
        Leaf { text, raw: (raw.start, raw.end), val, exact }
    }
    /// The part `r` of the decoded value; see [`Leaf::sub_from`].
    fn sub(self, r: Range<usize>) -> Leaf<'a> {
        self.sub_from(r, (0, 0))
    }
    /// The part `r` of the decoded value, spanned exactly when the raw text equals the value (no escapes), else where
    /// its bytes first occur in the raw text, else the whole. `from` is a (decoded, raw) pair of offsets known to
    /// correspond (a previous part's end): since escapes only lengthen, the part's raw bytes lie at or after
    /// `from.1 + (r.start - from.0)` and end within [`MAX_ESCAPE_LEN`] raw bytes per decoded byte, so the search is
    /// bounded by the part's length and a command line of many words is read in linear time.
    fn sub_from(self, r: Range<usize>, from: (usize, usize)) -> Leaf<'a> {
        let raw = self.text.get(self.raw.0..self.raw.1).unwrap_or_default();
        let part = self.val.get(r.clone()).unwrap_or_default();
        let at = if self.exact {
            Some(r.start)
        } else {
            let start = (from.1 + r.start.saturating_sub(from.0)).min(raw.len());
            let end = (from.1 + r.end.saturating_sub(from.0) * MAX_ESCAPE_LEN).clamp(start, raw.len());
            memmem::find(&raw[start..end], part).filter(|_| !part.is_empty()).map(|p| start + p)
        };
        let exact = self.exact || at.is_some();
        let raw = at.map_or(self.raw, |p| (self.raw.0 + p, self.raw.0 + p + part.len()));
        Leaf { text: self.text, raw, val: part, exact }
    }
}

struct Walk<'a> {
    client: &'a str,
    text: &'a [u8],
    /// The tree is YAML: plain scalars are strings.
    yaml: bool,
    rule: &'a dyn Fn(&[u8]) -> bool,
    cands: Vec<Candidate>,
    refs: Vec<Reference>,
}

impl Walk<'_> {
    /// A string node: a JSON or TOML string, or any YAML scalar but an alias.
    fn string<'n>(&self, n: &'n Node) -> Option<&'n Scalar> {
        match n {
            Node::Scalar(s) if s.kind == Kind::Str || (self.yaml && matches!(s.kind, Kind::Plain | Kind::Null)) => {
                Some(s)
            }
            _ => None,
        }
    }

    fn reported(&self) -> usize {
        self.cands.len() + self.refs.len()
    }
    fn cx(&self, server: Option<&str>, field: &str, variable: Option<&str>) -> Context {
        let (tool, server, field) = (Some(self.client.into()), server.map(Into::into), Some(field.into()));
        Context { tool, server, field, variable: variable.map(Into::into), profile: None }
    }
    fn reference(&mut self, c: &Context, text: &[u8]) {
        let reference = String::from_utf8_lossy(text.trim_ascii()).into_owned();
        self.refs.push(Reference { context: c.clone(), reference });
    }

    /// Client-specific top-level secrets, then every server container wherever it sits.
    fn root(&mut self, root: &Node) {
        for (k, v) in if let Node::Map(m) = root { &m[..] } else { &[] } {
            let goose_secret = self.client == "goose" && self.string(v).is_some();
            match (self.client, k.as_str()) {
                ("codex-cli", "OPENAI_API_KEY") | ("claude-code", "primaryApiKey") => self.obj(None, v, k, k, true),
                _ if goose_secret => self.obj(None, v, k, k, true),
                ("codex-cli", "tokens") | ("claude-code", "env") => self.obj(None, v, k, k, false),
                _ => {}
            }
        }
        self.find(root, "", 0);
    }

    /// Server containers: `mcpServers`, `mcp_servers`, `context_servers`, `mcp.servers` anywhere (so Claude Code's
    /// `projects.<path>.mcpServers` too), `servers` at the top or under `mcp`, goose's top-level `extensions`.
    fn find(&mut self, node: &Node, parent: &str, depth: usize) {
        match node {
            Node::Map(m) => {
                for (k, v) in m {
                    let container = ["mcpServers", "mcp_servers", "context_servers", "mcp.servers"]
                        .contains(&k.as_str())
                        || k == "modelContextProtocolServers"
                        || (k == "servers" && (depth == 0 || parent == "mcp"))
                        || (k == "extensions" && depth == 0 && self.client == "goose");
                    if container {
                        self.servers(v);
                    } else {
                        self.find(v, k, depth + 1);
                    }
                }
            }
            Node::Seq(items) => items.iter().for_each(|v| self.find(v, parent, depth + 1)),
            _ => {}
        }
    }

    /// A map of name → server, or a list of servers named by their `name` field (Continue).
    fn servers(&mut self, node: &Node) {
        match node {
            Node::Map(m) => m.iter().for_each(|(name, s)| self.obj(Some(name), s, "", "", false)),
            Node::Seq(list) => {
                for (i, s) in list.iter().enumerate() {
                    let fields = if let Node::Map(m) = s { &m[..] } else { &[] };
                    let name = fields.iter().find_map(|(k, v)| {
                        let s = self.string(v).filter(|_| k == "name")?;
                        Some(String::from_utf8_lossy(&s.value).into_owned())
                    });
                    self.obj(Some(&name.unwrap_or_else(|| format!("[{i}]"))), s, "", "", false);
                }
            }
            _ => {}
        }
    }

    /// Every string of a server object at `path`, named by its `key`; `args` are read as a command line. `var`: the
    /// key is a variable name (the parent is `env`, `envs`, `settings` …).
    fn obj<'n>(&mut self, server: Option<&str>, node: &'n Node, path: &str, key: &str, var: bool) {
        let env_like = matches!(key, "env" | "envs" | "environment" | "settings");
        match node {
            Node::Scalar(_) => {
                if let Some(s) = self.string(node) {
                    self.value(&self.cx(server, path, var.then_some(key)), Leaf::new(self.text, &s.value, &s.span), key)
                }
            }
            Node::Seq(items) => {
                items.iter().enumerate().for_each(|(i, n)| self.obj(server, n, &format!("{path}[{i}]"), key, false))
            }
            Node::Map(m) => {
                for (k, v) in m {
                    let field = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    match (k.as_str(), v) {
                        ("args", Node::Seq(items)) => {
                            let leaf = |(i, n): (usize, &'n Node)| {
                                let s = self.string(n)?;
                                Some((format!("{field}[{i}]"), Leaf::new(self.text, &s.value, &s.span)))
                            };
                            self.args(
                                &self.cx(server, "", None),
                                &items.iter().enumerate().filter_map(leaf).collect::<Vec<_>>(),
                            );
                        }
                        ("bearer_token_env_var" | "env_vars" | "env_keys" | "env_http_headers", _) => {
                            self.names(server, &field, v)
                        }
                        _ => self.obj(server, v, &field, k, env_like),
                    }
                }
            }
        }
    }

    /// Codex's `bearer_token_env_var`, `env_vars`, `env_http_headers` and goose's `env_keys`: variable names.
    fn names(&mut self, server: Option<&str>, field: &str, node: &Node) {
        match node {
            Node::Scalar(_) => {
                if let Some(s) = self.string(node) {
                    self.reference(&self.cx(server, field, None), &s.value)
                }
            }
            Node::Seq(v) => v.iter().enumerate().for_each(|(i, n)| self.names(server, &format!("{field}[{i}]"), n)),
            Node::Map(m) => m.iter().for_each(|(k, n)| self.names(server, &format!("{field}.{k}"), n)),
        }
    }

    /// A command line: `--api-key X`, `--token=X`, `-e KEY=VALUE`, `--header "Authorization: Bearer X"`, URLs.
    fn args(&mut self, base: &Context, items: &[(String, Leaf)]) {
        let at = |field: &str| Context { field: Some(field.into()), variable: None, ..base.clone() };
        let mut i = 0;
        while let Some((field, l)) = items.get(i) {
            let v = l.val;
            let next = items.get(i + 1).filter(|(_, n)| !n.val.starts_with(b"-"));
            let eq = v.iter().position(|&c| c == b'=');
            let flag = String::from_utf8_lossy(&v[..eq.unwrap_or(v.len())]);
            let name = flag.trim_start_matches('-');
            let kind = match name {
                _ if v.len() < 2 || v[0] != b'-' || flag.contains(char::is_whitespace) => 3,
                "e" | "env" => 1,
                "H" | "header" => 2,
                _ => usize::from(!says_secret(name)) * 4,
            };
            let rest = |e: usize| l.sub(e + 1..v.len());
            match (kind, eq, next) {
                (3, Some(_), _) if env_name(v).is_some() && !v.iter().any(u8::is_ascii_whitespace) => {
                    self.assignment(&at(field), *l)
                }
                (3, ..) => self.value(&at(field), *l, ""),
                (1, Some(e), _) => self.assignment(&at(field), rest(e)),
                (2, Some(e), _) => self.header(&at(field), rest(e)),
                (_, Some(e), _) => self.value(&at(field), rest(e), name),
                (1, None, Some((f, n))) => self.assignment(&at(f), *n),
                (2, None, Some((f, n))) => self.header(&at(f), *n),
                (0, None, Some((f, n))) => self.value(&at(f), *n, name),
                _ => {}
            }
            i += 1 + usize::from(kind < 3 && eq.is_none() && next.is_some());
        }
    }

    /// `KEY=VALUE` (docker `-e`, env-style argument): the value, named by KEY.
    fn assignment(&mut self, c: &Context, l: Leaf) {
        match env_name(l.val) {
            Some(e) => {
                let key = String::from_utf8_lossy(&l.val[..e]).into_owned();
                self.value(&Context { variable: Some(key.clone()), ..c.clone() }, l.sub(e + 1..l.val.len()), &key);
            }
            None => self.value(c, l, ""),
        }
    }

    /// `Name: value` given as one argument.
    fn header(&mut self, c: &Context, l: Leaf) {
        match l.val.iter().position(|&b| b == b':').filter(|_| !l.val.starts_with(b"http")) {
            Some(colon) => {
                let name = String::from_utf8_lossy(l.val[..colon].trim_ascii()).into_owned();
                let start = colon + 1 + l.val[colon + 1..].iter().take_while(|b| b.is_ascii_whitespace()).count();
                self.value(c, l.sub(start..l.val.len()), &name);
            }
            None => self.value(c, l, ""),
        }
    }

    /// One string value named `hint` (a key, flag or header name): `Bearer X`, a JSON object of headers, a command
    /// line (a `command` with spaces, a shell `-c` script: split into words), a URL, or else the whole value.
    fn value(&mut self, c: &Context, l: Leaf, hint: &str) {
        let (named, before) = (says_secret(hint), self.reported());
        if let Some(off) = auth_scheme(l.val, named) {
            return self.secretish(c, l.sub(off..l.val.len()), true);
        }
        if let (Some(b'{'), Some(Node::Map(m))) = (l.val.first(), document::jsonc(l.val)) {
            for (k, n) in &m {
                if let Some(s) = n.scalar().filter(|s| s.kind == Kind::Str) {
                    self.value(c, Leaf::new(l.text, &s.value, &range(l.sub(s.span.clone()).raw)), k);
                }
            }
        }
        if self.reported() == before
            && l.val.iter().any(u8::is_ascii_whitespace)
            && !is_reference(l.val, Expansion::Config)
        {
            let (field, mut at, mut words) = (c.field.clone().unwrap_or_default(), 0, Vec::new());
            let mut from = (0, 0);
            for w in l.val.split(u8::is_ascii_whitespace) {
                if !w.is_empty() {
                    let word = l.sub_from(at..at + w.len(), from);
                    // Where the word was not found (an escape inside it), its end is at least as far as unescaped.
                    let raw_end = if word.raw == l.raw { from.1 + at + w.len() - from.0 } else { word.raw.1 - l.raw.0 };
                    from = (at + w.len(), raw_end);
                    words.push((field.clone(), word));
                }
                at += w.len() + 1;
            }
            self.args(c, &words);
        }
        if self.reported() == before && !is_reference(l.val, Expansion::Config) && memmem::find(l.val, b"://").is_some()
        {
            self.url(c, l);
        }
        if self.reported() == before {
            self.secretish(c, l, named);
        }
    }

    /// A URL's user-info password ([`url_password`]), or a token-like user name alone, and secret-named query
    /// parameters.
    fn url(&mut self, c: &Context, l: Leaf) {
        let v = l.val;
        let Some(u) = userinfo(v) else { return };
        match u.password {
            Some(pw) => {
                let verdict = url_password(&v[u.host.clone()], &v[pw.clone()], Expansion::Config, false);
                self.report(c, l.sub(pw), verdict, true);
            }
            None if !u.user.is_empty() => {
                let verdict = if token_like(&v[u.user.clone()]) { Verdict::Secret } else { Verdict::Placeholder };
                self.report(c, l.sub(u.user), verdict, false);
            }
            None => {}
        }
        let auth_end = u.host_port.end;
        let query_end = v.iter().position(|&b| b == b'#').unwrap_or(v.len()).max(auth_end);
        let Some(q) = v[auth_end..query_end].iter().position(|&b| b == b'?') else { return };
        let mut at = auth_end + q + 1;
        for pair in v[at..query_end].split(|&b| b == b'&') {
            if let Some(e) = pair.iter().position(|&b| b == b'=') {
                let key = String::from_utf8_lossy(&pair[..e]).into_owned();
                let named = says_secret(&key);
                self.secretish(
                    &Context { variable: Some(key), ..c.clone() },
                    l.sub(at + e + 1..at + pair.len()),
                    named,
                );
            }
            at += pair.len() + 1;
        }
    }

    /// Report `l` as a reference (when named or a VS Code input), or as a candidate when a token rule matches or its
    /// name says secret and [`verdict_named`] agrees.
    fn secretish(&mut self, c: &Context, l: Leaf, named: bool) {
        let verdict = match verdict_in(l.val, Expansion::Config) {
            Verdict::Reference => Verdict::Reference,
            _ if (self.rule)(l.val) => Verdict::Secret,
            Verdict::Secret if named => verdict_named(l.val, Expansion::Config, false),
            _ => Verdict::Placeholder,
        };
        self.report(c, l, verdict, named);
    }

    /// Add `l` as a candidate or (when `named` or a VS Code input) a reference, as `verdict` says.
    fn report(&mut self, c: &Context, l: Leaf, verdict: Verdict, named: bool) {
        match verdict {
            Verdict::Reference if named || l.val.trim_ascii().starts_with(b"${input:") => self.reference(c, l.val),
            Verdict::Secret => {
                self.cands.push(Candidate { span: l.raw.0..l.raw.1, value: l.val.to_vec(), context: c.clone() })
            }
            _ => {}
        }
    }
}

/// `Bearer X` (any name), or `Basic X` / `token X` / `Bot X` under a secret name: the offset of X.
fn auth_scheme(v: &[u8], named: bool) -> Option<usize> {
    let schemes: &[&[u8]] = if named { &[b"bearer", b"basic", b"token", b"bot"] } else { &[b"bearer"] };
    let s = schemes.iter().find(|s| v.len() > s.len() && v[..s.len()].eq_ignore_ascii_case(s) && v[s.len()] == b' ')?;
    let off = s.len() + v[s.len()..].iter().take_while(|&&b| b == b' ').count();
    (off < v.len()).then_some(off)
}

/// `KEY=` with KEY an environment-variable name: the offset of `=`.
fn env_name(v: &[u8]) -> Option<usize> {
    let e = v.iter().position(|&b| b == b'=')?;
    ident(&v[..e]).then_some(e)
}

fn ident(s: &[u8]) -> bool {
    s.first().is_some_and(|c| !c.is_ascii_digit()) && s.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

#[cfg(test)]
mod tests {
    use super::super::golden;
    use super::*;
    use serde_json::{json, Value};
    use std::{collections::BTreeMap, fs};

    /// `fixtures/mcp/<client>/<file>`, expectations in `<file>.expected.json`.
    fn fixtures() -> Vec<golden::Fixture> {
        golden::fixtures("mcp", true)
    }
    /// A fixture's client: its directory's name.
    fn client(f: &golden::Fixture) -> String {
        f.path.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned()
    }
    fn run(client: &str, text: &[u8]) -> (Vec<Candidate>, Vec<Reference>) {
        use crate::{engine::Engine, rules::RuleSet};
        static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
        let engine = ENGINE.get_or_init(|| Engine::new(RuleSet::load(&[]).unwrap()));
        candidates(client, text, &|v| !engine.scan(v).is_empty())
    }
    /// Results as `.expected.json` states them: context (less the tool) with the value and its line, or reference.
    fn actual(client: &str, text: &[u8]) -> Value {
        let (cands, refs) = run(client, text);
        let entry = |c: &Context, extra: Value| {
            assert_eq!(c.tool.as_deref(), Some(client));
            let mut v = serde_json::to_value(Context { tool: None, ..c.clone() }).unwrap();
            v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            v
        };
        let cands: Vec<_> = (cands.iter())
            .map(|c| {
                let raw = &text[c.span.clone()];
                assert!(raw == c.value || raw.contains(&b'\\'), "{client}: span of {:?} holds {raw:?}", c.value);
                let line = 1 + text[..c.span.start].iter().filter(|&&b| b == b'\n').count();
                entry(&c.context, json!({ "value": String::from_utf8_lossy(&c.value), "line": line }))
            })
            .collect();
        let refs: Vec<_> = refs.iter().map(|r| entry(&r.context, json!({ "reference": r.reference }))).collect();
        json!({ "candidates": cands, "references": refs })
    }

    /// Golden: every candidate and reference of every fixture, exactly; `negatives` are values in the input that must
    /// never be reported (kept when `GOLDEN_BLESS=1` rewrites the expectations).
    #[test]
    fn fixtures_match_expectations() {
        let all = fixtures();
        let outputs = golden::check(&all, &|f| {
            let mut got = actual(&client(f), &f.text);
            got["negatives"] = f.expected.get("negatives").cloned().unwrap_or(json!([]));
            got
        });
        let mut per_client = BTreeMap::<String, [usize; 3]>::new();
        for (f, got) in all.iter().zip(outputs) {
            let [found, refs, negatives] =
                ["candidates", "references", "negatives"].map(|k| got[k].as_array().unwrap().clone());
            for n in negatives.iter().map(|n| n.as_str().unwrap()) {
                assert!(memmem::find(&f.text, n.as_bytes()).is_some(), "{}: {n:?} not in input", f.path.display());
                let reported = found.iter().any(|c| c["value"].as_str().unwrap().contains(n));
                assert!(!reported, "{}: {n:?}", f.path.display());
            }
            let counts = per_client.entry(client(f)).or_default();
            *counts = [counts[0] + found.len(), counts[1] + refs.len(), counts[2] + negatives.len()];
        }
        assert!(per_client.len() >= 16 && per_client.values().map(|c| c[1]).sum::<usize>() >= 20, "{per_client:?}");
        assert!(
            per_client.values().all(|c| c[0] > 0 && c[2] > 0),
            "a client lacks positives or negatives: {per_client:?}"
        );
    }

    #[test]
    fn clients_by_path() {
        let table: Vec<(String, Option<String>)> =
            serde_json::from_slice(&fs::read(golden::dir("mcp").join("paths.json")).unwrap()).unwrap();
        for (path, want) in &table {
            assert_eq!(client_for_path(Path::new(path)), want.as_deref(), "{path}");
        }
        let clients: std::collections::BTreeSet<_> = table.iter().filter_map(|(_, c)| c.as_ref()).collect();
        assert!(clients.len() >= 16 && table.iter().filter(|(_, c)| c.is_none()).count() >= 10);
    }

    #[test]
    fn no_panic_on_truncations_byte_flips_or_other_formats() {
        let all = fixtures();
        let clients: Vec<_> = all.iter().map(client).collect();
        for (f, client) in all.iter().zip(&clients) {
            let text = &f.text;
            clients.iter().for_each(|other| drop(run(other, text)));
            (0..text.len()).for_each(|n| drop(run(client, &text[..n])));
            for (i, b) in (0..text.len())
                .flat_map(|i| [b'"', b'\\', b'{', b'[', b':', b'\n', b'\'', 0xff, text[i] ^ 0x20].map(|b| (i, b)))
            {
                let mut flipped = text.clone();
                flipped[i] = b;
                run(client, &flipped);
            }
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let json = (r#"{"mcpServers":"#.repeat(100_000), "[".repeat(200_000));
        let (yaml, toml) =
            (("{a: ".repeat(100_000), "- ".repeat(100_000) + "x"), format!("a = {}", "[".repeat(200_000)));
        for (client, text) in
            [("cursor", json.0), ("cursor", json.1), ("continue", yaml.0), ("goose", yaml.1), ("codex-cli", toml)]
        {
            assert_eq!(run(client, text.as_bytes()), (vec![], vec![]), "{client}");
        }
    }
}
