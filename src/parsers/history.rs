//! Shell and REPL histories: secrets typed on command lines.
//!
//! Why a parser: a history keeps what people pasted into `curl -H 'Authorization: Bearer …'`, `mysql -p…`,
//! `docker login -p …` or `export GITHUB_TOKEN=…`. Most such values match no token rule; the command around them is
//! the evidence, and knowing it lets the report say *how* the secret was used. Values are taken the way the shell
//! would see them — quotes removed, escapes resolved, `$VAR` left as a reference (not a secret) — while every byte
//! keeps its offset in the file, so a candidate's span points at the original text.
//!
//! Formats: bash/sh (one command per line, `\` continuations, `#<epoch>` timestamp lines are comments); zsh
//! (`: <epoch>:<elapsed>;cmd` extended history, `\` before each embedded newline, metafied bytes — zsh's
//! `hist.c` and `zshparam(1)` HISTFILE); fish (`- cmd: …` YAML-like entries with `\\` and `\n` escapes, fish's
//! `history.rst`); PowerShell PSReadLine `ConsoleHost_history.txt` (backtick escapes and continuations);
//! `.python_history` (`NAME = "…"`, `os.environ["NAME"] = "…"`); `.psql_history`/`.mysql_history` (`PASSWORD '…'`,
//! `IDENTIFIED BY '…'`; libedit's `\040` for spaces). Quoting follows POSIX Shell Command Language §2.2
//! (<https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_02>), with fish's and
//! PowerShell's differences; `$(…)`, `${…}` and backticks stay in the word as written.
//!
//! Which names say secret and which values are secrets is decided by [`super::judge`], as for every format.
use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use regex::bytes::Regex;

use super::judge::{says_secret, token_like, url_password, userinfo, verdict_named, Expansion, Verdict};
use super::{base_name, Candidate, Context};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Posix,
    Zsh,
    Fish,
    PowerShell,
    Python,
    Sql,
}

fn kind(file_name: &str) -> Option<(Style, &'static str)> {
    // Each of them has `hist` in its name; most files' names don't (asked for every file: no allocation then).
    let base = base_name(file_name);
    if !super::contains_ignore_case(base, "hist") {
        return None;
    }
    let name = base.to_ascii_lowercase();
    Some(match name.as_str() {
        ".bash_history" => (Style::Posix, "bash-history"),
        ".sh_history" => (Style::Posix, "sh-history"),
        ".zsh_history" | ".zhistory" | ".histfile" => (Style::Zsh, "zsh-history"),
        "fish_history" => (Style::Fish, "fish-history"),
        "consolehost_history.txt" => (Style::PowerShell, "powershell-history"),
        ".python_history" => (Style::Python, "python-history"),
        ".mysql_history" => (Style::Sql, "mysql-history"),
        n if n == ".psql_history" || n.starts_with(".psql_history-") => (Style::Sql, "psql-history"),
        _ => return None,
    })
}

/// `.bash_history`, `.zsh_history` (also `.zhistory`, `.histfile`), `.sh_history`, `fish_history`,
/// `.python_history`, `.psql_history` (also `.psql_history-<db>`), `.mysql_history`, `ConsoleHost_history.txt`
/// (PowerShell). A path is reduced to its last component.
pub fn is_history_name(file_name: &str) -> bool {
    kind(file_name).is_some()
}

/// Secrets in a history file's commands. `file_name` picks the format (an unknown name is read as a POSIX shell
/// history); `context.tool` names it (`bash-history`, `zsh-history`, `fish-history` …), `context.field` the pattern
/// (`export`, `curl -H Authorization`, `mysql -p`, `--token` …), `context.variable` the variable where there is one
/// and `context.profile` the host or registry a URL or login names.
pub fn candidates(file_name: &str, text: &[u8]) -> Vec<Candidate> {
    let (style, tool) = kind(file_name).unwrap_or((Style::Posix, "shell-history"));
    let mut out = Out { tool, found: Vec::new(), seen: HashSet::new() };
    for entry in entries(text, style) {
        match style {
            Style::Python => code(&mut out, &entry, code_re(false), "assignment"),
            Style::Sql => code(&mut out, &entry, code_re(true), "sql password"),
            _ => {
                for words in commands(&entry, style) {
                    command(&mut out, &words, style);
                }
            }
        }
    }
    out.found.sort_by_key(|c| c.span.start);
    out.found
}

/// Bytes as the shell reads them, each with its offset in the file.
#[derive(Debug, Default)]
struct Word {
    v: Vec<u8>,
    at: Vec<usize>,
    /// The byte is an expanding `$` or backtick (unquoted or in double quotes).
    exp: Vec<bool>,
}

impl Word {
    fn push(&mut self, c: u8, at: usize, exp: bool) {
        self.v.push(c);
        self.at.push(at);
        self.exp.push(exp);
    }
    fn pop(&mut self) -> bool {
        self.at.pop();
        self.exp.pop();
        self.v.pop().is_some()
    }
}

/// Split a file into history entries (one command line each, continuations joined).
fn entries(text: &[u8], style: Style) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = Word::default();
    let mut pos = 0;
    for line in text.split(|&c| c == b'\n') {
        let (start, nl) = (pos, pos + line.len());
        pos = nl + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut s = 0;
        if style == Style::Fish {
            let Some(rest) = line.strip_prefix(b"- cmd: ") else { continue };
            s = line.len() - rest.len();
        } else if cur.v.is_empty() && matches!(style, Style::Posix | Style::Zsh) {
            s = zsh_prefix(line);
        }
        let mut i = s;
        while i < line.len() {
            let (c, next) = (line[i], line.get(i + 1).copied());
            // zsh metafies bytes >= 0x83; fish escapes `\\` and newlines; libedit writes spaces as `\040`.
            let (byte, len) = match (style, c, next) {
                (Style::Zsh, 0x83, Some(n)) => (n ^ 0x20, 2),
                (Style::Fish, b'\\', Some(b'\\')) => (b'\\', 2),
                (Style::Fish, b'\\', Some(b'n')) => (b'\n', 2),
                (Style::Sql, b'\\', _) if line[i..].starts_with(b"\\040") => (b' ', 4),
                _ => (c, 1),
            };
            cur.push(byte, start + i, false);
            i += len;
        }
        let continued = match style {
            Style::Posix => line[s..].iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 1,
            Style::Zsh => line.ends_with(b"\\") && cur.pop(),
            Style::PowerShell => line.ends_with(b"`"),
            _ => false,
        };
        if continued && nl < text.len() {
            cur.push(b'\n', nl, false);
        } else if !cur.v.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    out
}

/// Length of a zsh extended-history prefix `: <start>:<elapsed>;`, or 0.
fn zsh_prefix(line: &[u8]) -> usize {
    let digits = |i: usize| line[i.min(line.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    let a = 2 + digits(2);
    let b = a + 1 + digits(a + 1);
    let ok = line.starts_with(b": ") && a > 2 && line.get(a) == Some(&b':') && b > a + 1 && line.get(b) == Some(&b';');
    if ok {
        b + 1
    } else {
        0
    }
}

/// Split an entry into simple commands (lists of words) the way the shell does: blanks, quotes, escapes, `;` `&&`
/// `||` `|` `&` newlines and parentheses, `#` comments. A redirection's target is dropped (`< token.txt` is no
/// value of the flag before it). A quote left open ends with the entry.
fn commands(e: &Word, style: Style) -> Vec<Vec<Word>> {
    let (b, at) = (&e.v, &e.at);
    let esc = if style == Style::PowerShell { b'`' } else { b'\\' };
    let mut x = Lexer::default();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' => x.end_word(),
            b'\n' | b';' | b'|' | b'&' | b'(' | b')' => x.end_command(),
            b'<' | b'>' => {
                x.end_word();
                x.drop_next = true;
                while i + 1 < b.len() && b"<>&".contains(&b[i + 1]) {
                    i += 1;
                }
            }
            b'#' if !x.in_word => i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |p| i + p) - 1,
            _ if c == esc => {
                if let Some(&n) = b.get(i + 1).filter(|&&n| n != b'\n') {
                    x.w.push(n, at[i + 1], false);
                    x.in_word = true;
                }
                i += 1;
            }
            _ => {
                x.in_word = true;
                match c {
                    b'\'' => i = single(b, at, i + 1, style, &mut x.w),
                    b'"' => i = double(b, at, i + 1, esc, style, &mut x.w),
                    b'$' => i = dollar(b, at, i, &mut x.w),
                    b'`' => i = copy_until(b, at, i, b'`', &mut x.w),
                    _ => x.w.push(c, at[i], false),
                }
            }
        }
        i += 1;
    }
    x.end_command();
    x.cmds
}

#[derive(Default)]
struct Lexer {
    cmds: Vec<Vec<Word>>,
    words: Vec<Word>,
    w: Word,
    in_word: bool,
    /// The next word is a redirection target.
    drop_next: bool,
}

impl Lexer {
    fn end_word(&mut self) {
        let w = std::mem::take(&mut self.w);
        if std::mem::take(&mut self.in_word) && !std::mem::take(&mut self.drop_next) {
            self.words.push(w);
        }
    }
    fn end_command(&mut self) {
        self.end_word();
        if !self.words.is_empty() {
            self.cmds.push(std::mem::take(&mut self.words));
        }
    }
}

/// Inside single quotes from `i`; returns the index of the closing quote. Fish allows `\'` and `\\`; PowerShell
/// doubles the quote.
fn single(b: &[u8], at: &[usize], mut i: usize, style: Style, w: &mut Word) -> usize {
    while i < b.len() {
        match (b[i], b.get(i + 1), style) {
            (b'\\', Some(&n @ (b'\\' | b'\'')), Style::Fish) | (b'\'', Some(&n @ b'\''), Style::PowerShell) => {
                w.push(n, at[i + 1], false);
                i += 1;
            }
            (b'\'', _, _) => return i,
            (c, _, _) => w.push(c, at[i], false),
        }
        i += 1;
    }
    i
}

/// Inside double quotes from `i`; returns the index of the closing quote. `$` and backticks expand.
fn double(b: &[u8], at: &[usize], mut i: usize, esc: u8, style: Style, w: &mut Word) -> usize {
    while i < b.len() {
        let (c, n) = (b[i], b.get(i + 1).copied());
        match c {
            b'"' if style == Style::PowerShell && n == Some(b'"') => {
                w.push(b'"', at[i + 1], false);
                i += 1;
            }
            b'"' => return i,
            b'$' => i = dollar(b, at, i, w),
            _ if c == esc && style == Style::PowerShell && n.is_some() => {
                w.push(
                    match b[i + 1] {
                        b'n' => b'\n',
                        b't' => b'\t',
                        x => x,
                    },
                    at[i + 1],
                    false,
                );
                i += 1;
            }
            _ if c == esc && matches!(n, Some(b'"' | b'\\' | b'$' | b'`' | b'\n')) => {
                if n != Some(b'\n') {
                    w.push(b[i + 1], at[i + 1], false);
                }
                i += 1;
            }
            b'`' if style != Style::PowerShell => i = copy_until(b, at, i, b'`', w),
            _ => w.push(c, at[i], false),
        }
        i += 1;
    }
    i
}

/// A `$` at `i` (expanding); `$(…)` and `${…}` are copied whole. Returns the index of the last byte taken.
fn dollar(b: &[u8], at: &[usize], i: usize, w: &mut Word) -> usize {
    match b.get(i + 1) {
        Some(b'(') => copy_until(b, at, i, b')', w),
        Some(b'{') => copy_until(b, at, i, b'}', w),
        _ => {
            w.push(b'$', at[i], true);
            i
        }
    }
}

/// Copy the expanding byte at `i` (`$`, a backtick) and what follows up to `close` (or the end), as written.
/// Returns the index of `close`.
fn copy_until(b: &[u8], at: &[usize], i: usize, close: u8, w: &mut Word) -> usize {
    w.push(b[i], at[i], true);
    for j in i + 1..b.len() {
        w.push(b[j], at[j], b[j] == b'`');
        if b[j] == close {
            return j;
        }
    }
    b.len()
}

struct Out {
    tool: &'static str,
    found: Vec<Candidate>,
    /// Spans already reported (`docker login --password X` is also a `--password` flag).
    seen: HashSet<(usize, usize)>,
}

impl Out {
    /// Report `w.v[r]` when [`verdict_named`] finds it a secret (a name or flag vouches for it).
    fn add(&mut self, w: &Word, r: Range<usize>, field: &str, variable: Option<&[u8]>) {
        if let Some(value) = w.v.get(r.clone()).filter(|v| !v.is_empty()) {
            let verdict = verdict_named(value, Self::expansion(w, &r), false);
            self.report(w, r, verdict, field, variable, None);
        }
    }

    /// `$` expands where the shell saw an expanding byte, and nowhere else.
    fn expansion(w: &Word, r: &Range<usize>) -> Expansion {
        if w.exp[r.clone()].contains(&true) {
            Expansion::Shell
        } else {
            Expansion::Literal
        }
    }

    /// Add `w.v[r]` as a candidate when `verdict` says secret; `profile` names the host or registry.
    fn report(
        &mut self,
        w: &Word,
        r: Range<usize>,
        verdict: Verdict,
        field: &str,
        var: Option<&[u8]>,
        profile: Option<&[u8]>,
    ) {
        if verdict != Verdict::Secret || r.start >= r.end || r.end > w.v.len() {
            return;
        }
        let span = w.at[r.start]..w.at[r.end - 1] + 1;
        if !self.seen.insert((span.start, span.end)) {
            return;
        }
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let context = Context {
            tool: Some(self.tool.into()),
            field: Some(field.into()),
            variable: var.map(text),
            profile: profile.map(text),
            ..Context::default()
        };
        self.found.push(Candidate { span, value: w.v[r].to_vec(), context });
    }

    /// `NAME=value`: reported when the name says secret. False when the word is no assignment.
    fn assignment(&mut self, w: &Word, field: &str) -> bool {
        let Some(eq) = w.v.iter().position(|&c| c == b'=') else { return false };
        let name = &w.v[..eq];
        let ok = !name.is_empty() && (name[0].is_ascii_alphabetic() || name[0] == b'_');
        if !ok || !name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_') {
            return false;
        }
        if says_secret(&String::from_utf8_lossy(name)) {
            self.add(w, eq + 1..w.v.len(), field, Some(name));
        }
        true
    }

    /// A URL with a password (`https://user:token@host/…`) in `w.v[off..]`, judged by [`url_password`]; a
    /// token-like user name alone counts too.
    fn url(&mut self, w: &Word, off: usize, field: &str) {
        let Some(u) = userinfo(&w.v[off..]) else { return };
        let host = w.v[off + u.host.start..off + u.host.end].to_vec();
        let (r, verdict) = match u.password {
            Some(p) => {
                let r = off + p.start..off + p.end;
                let verdict = url_password(&host, &w.v[r.clone()], Self::expansion(w, &r), false);
                (r, verdict)
            }
            None => {
                let r = off + u.user.start..off + u.user.end;
                let secret = token_like(&w.v[r.clone()]);
                (r, if secret { Verdict::Secret } else { Verdict::Placeholder })
            }
        };
        self.report(w, r, verdict, field, None, Some(&host));
    }
}

/// Option `-s value`, `-svalue` (`short`), `--long value` or `--long=value` at `args[k]`: the word holding the
/// value and the offset where it starts. `cluster`: boolean letters allowed before `short` (`curl -sSH …`).
fn opt<'a>(args: &'a [Word], k: usize, short: u8, long: &str, cluster: &[u8]) -> Option<(&'a Word, usize)> {
    let a = &args[k].v;
    if !long.is_empty() && a.starts_with(long.as_bytes()) {
        return match a.get(long.len()) {
            None => args.get(k + 1).map(|w| (w, 0)),
            Some(b'=') => Some((&args[k], long.len() + 1)),
            Some(_) => None,
        };
    }
    if a.len() < 2 || a[0] != b'-' || short == 0 {
        return None;
    }
    let p = 1 + a[1..].iter().take_while(|c| cluster.contains(c)).count();
    if a.get(p) != Some(&short) {
        return None;
    }
    if p + 1 == a.len() {
        args.get(k + 1).map(|w| (w, 0))
    } else {
        Some((&args[k], p + 1))
    }
}

/// Prefixes of flag names that take no secret (`--with-token` reads stdin, `--no-password` …).
const FLAG_NOT_SECRET: &[&str] = &["no-", "with-", "ask-", "prompt-", "use-", "read-", "skip-", "require-", "show-"];
const MYSQL: &[&str] =
    &["mysql", "mariadb", "mysqldump", "mysqladmin", "mysqlimport", "mysqlshow", "mysqlcheck", "mariadb-dump"];
const POSTGRES: &[&str] =
    &["psql", "pg_dump", "pg_dumpall", "pg_restore", "pg_basebackup", "pgcli", "createdb", "dropdb"];
const REGISTRY: &[&str] = &["docker", "podman", "nerdctl", "buildah", "helm", "oras", "skopeo"];

/// Analyse one simple command.
fn command(out: &mut Out, ws: &[Word], style: Style) {
    let mut i = 0;
    while i < ws.len() && out.assignment(&ws[i], "assignment") {
        i += 1;
    }
    while let Some(w) = ws.get(i) {
        match command_name(w).as_str() {
            "sudo" | "doas" | "command" | "exec" | "time" | "nohup" | "noglob" | "builtin" | "nice" | "env" | "do"
            | "then" | "else" | "!" | "{" => i += 1,
            _ => break,
        }
        while let Some(w) = ws.get(i) {
            if w.v.len() == 2 && w.v[0] == b'-' && b"ugCDrtUT".contains(&w.v[1]) {
                i += 2; // sudo -u user …
            } else if w.v.starts_with(b"-") || out.assignment(w, "assignment") {
                i += 1;
            } else {
                break;
            }
        }
    }
    let Some(first) = ws.get(i) else { return };
    let args = &ws[i + 1..];
    let cmd = command_name(first);
    match cmd.as_str() {
        "export" | "declare" | "typeset" | "local" | "readonly" => {
            for a in args {
                out.assignment(a, "export");
            }
        }
        "set" if style == Style::Fish => fish_set(out, args),
        c if style == Style::PowerShell && c.starts_with("$env:") => powershell_env(out, &ws[i..]),
        "curl" => curl(out, args),
        c if MYSQL.contains(&c) => {
            for (k, a) in args.iter().enumerate() {
                if a.v.len() > 2 && a.v.starts_with(b"-p") {
                    out.add(a, 2..a.v.len(), "mysql -p", None);
                } else if let Some((w, off)) = opt(args, k, 0, "--password", &[]).filter(|(_, off)| *off > 0) {
                    out.add(w, off..w.v.len(), "mysql --password", None);
                } else if a.v.windows(3).any(|x| x == b"://") {
                    out.url(a, 0, &format!("{c} url"));
                }
            }
            return; // `--password X`: X is a database name for the MySQL clients
        }
        c if POSTGRES.contains(&c) => {
            // No secret long flags here: `psql --password db` only asks for a password.
            for a in args {
                out.url(a, 0, &format!("{c} url"));
                // libpq conninfo: "host=db user=app password=…"
                let mut p = 0;
                for part in a.v.split(|c| c.is_ascii_whitespace()) {
                    if let Some(v) = part.strip_prefix(b"password=") {
                        out.add(a, p + 9..p + 9 + v.len(), &format!("{c} password="), None);
                    }
                    p += part.len() + 1;
                }
            }
            return;
        }
        c if REGISTRY.contains(&c) => registry_login(out, args, c),
        "sshpass" | "redis-cli" => {
            let short = if cmd == "sshpass" { b'p' } else { b'a' };
            let field = format!("{cmd} -{}", short as char);
            for k in 0..args.len() {
                if let Some((w, off)) = opt(args, k, short, "", &[]) {
                    out.add(w, off..w.v.len(), &field, None);
                }
                out.url(&args[k], 0, &format!("{cmd} url"));
            }
        }
        "git" => args.iter().for_each(|a| out.url(a, 0, "git url")),
        _ => {}
    }
    secret_flags(out, args);
}

/// `/usr/bin/curl.exe` → `curl`.
fn command_name(w: &Word) -> String {
    let name = String::from_utf8_lossy(&w.v).to_ascii_lowercase();
    let name = base_name(&name);
    name.strip_suffix(".exe").unwrap_or(name).to_string()
}

/// `--token X`, `--token=X`, `--api-key X`, `--password X`, `--secret X` and every other long flag whose name
/// says secret.
fn secret_flags(out: &mut Out, args: &[Word]) {
    for (k, a) in args.iter().enumerate() {
        let Some(body) = a.v.strip_prefix(b"--") else { continue };
        let eq = body.iter().position(|&c| c == b'=');
        let name = String::from_utf8_lossy(&body[..eq.unwrap_or(body.len())]).to_ascii_lowercase();
        if FLAG_NOT_SECRET.iter().any(|p| name.starts_with(p)) || !says_secret(&name) {
            continue;
        }
        let field = format!("--{name}");
        match (eq, args.get(k + 1)) {
            (Some(eq), _) => out.add(a, 2 + eq + 1..a.v.len(), &field, None),
            (None, Some(w)) if !w.v.starts_with(b"-") => out.add(w, 0..w.v.len(), &field, None),
            _ => {}
        }
    }
}

/// curl: `-H 'Authorization: Bearer X'`, `-H 'X-Api-Key: X'`, `-u user:password`, `--oauth2-bearer X`.
fn curl(out: &mut Out, args: &[Word]) {
    const BOOLEANS: &[u8] = b"sSLkvifgIN";
    for k in 0..args.len() {
        if let Some((w, off)) = opt(args, k, b'H', "--header", BOOLEANS) {
            let v = &w.v;
            let Some(colon) = v[off..].iter().position(|&c| c == b':').map(|p| off + p) else { continue };
            let name = String::from_utf8_lossy(&v[off..colon]).trim().to_string();
            let start = colon + 1 + v[colon + 1..].iter().take_while(|c| c.is_ascii_whitespace()).count();
            let end = v.len() - v[start..].iter().rev().take_while(|c| c.is_ascii_whitespace()).count();
            let mut value = start..end.max(start);
            if name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("proxy-authorization") {
                // `<scheme> <credentials>`; Digest parameters are no credential.
                if let Some(sp) = v[value.clone()].iter().position(u8::is_ascii_whitespace) {
                    if v[start..start + sp].eq_ignore_ascii_case(b"digest") {
                        continue;
                    }
                    value.start += sp + v[start + sp..].iter().take_while(|c| c.is_ascii_whitespace()).count();
                }
            } else if !says_secret(&name) {
                continue;
            }
            out.add(w, value, &format!("curl -H {name}"), None);
        } else if let Some((w, off)) =
            opt(args, k, b'u', "--user", BOOLEANS).or_else(|| opt(args, k, b'U', "--proxy-user", &[]))
        {
            if let Some(colon) = w.v[off..].iter().position(|&c| c == b':') {
                out.add(w, off + colon + 1..w.v.len(), "curl -u", None);
            }
        } else if let Some((w, off)) = opt(args, k, 0, "--oauth2-bearer", &[]) {
            out.add(w, off..w.v.len(), "curl --oauth2-bearer", None);
        }
    }
}

/// `docker login -p X registry` (`--password X`, `--password=X`); podman, helm, oras … use the same flags.
fn registry_login(out: &mut Out, args: &[Word], cmd: &str) {
    let Some(login) = args.iter().position(|w| w.v == b"login") else { return };
    let (mut registry, mut password) = (None, None);
    let mut k = login + 1;
    while k < args.len() {
        let value = opt(args, k, b'p', "--password", &[]);
        if let Some((w, off)) = value.or_else(|| opt(args, k, b'u', "--username", &[])) {
            if value.is_some() {
                password = Some((w, off));
            }
            k += if off == 0 { 2 } else { 1 };
            continue;
        }
        if !args[k].v.starts_with(b"-") {
            registry.get_or_insert(args[k].v.as_slice());
        }
        k += 1;
    }
    if let Some((w, off)) = password {
        let r = off..w.v.len();
        let verdict = verdict_named(&w.v[r.clone()], Out::expansion(w, &r), false);
        out.report(w, r, verdict, &format!("{cmd} login --password"), None, registry);
    }
}

/// fish: `set -x NAME value` (also `-gx`, `-Ux`, `--export` …); `-e`/`-q`/`-n`/`-S` set nothing.
fn fish_set(out: &mut Out, args: &[Word]) {
    let mut k = 0;
    while let Some(a) = args.get(k).filter(|a| a.v.starts_with(b"-")) {
        let long = ["--erase", "--query", "--names", "--show"];
        if long.iter().any(|l| a.v == l.as_bytes())
            || (!a.v.starts_with(b"--") && a.v.iter().any(|c| b"eqnS".contains(c)))
        {
            return;
        }
        k += 1;
    }
    if let (Some(name), Some(value)) = (args.get(k), args.get(k + 1)) {
        if says_secret(&String::from_utf8_lossy(&name.v)) {
            out.add(value, 0..value.v.len(), "set", Some(&name.v));
        }
    }
}

/// PowerShell: `$env:NAME = "value"`, `$env:NAME="value"`.
fn powershell_env(out: &mut Out, ws: &[Word]) {
    let first = &ws[0];
    let rest = &first.v[5..];
    let (name, target) = match rest.iter().position(|&c| c == b'=') {
        Some(eq) if eq + 1 < rest.len() => (&rest[..eq], Some((first, 5 + eq + 1))),
        Some(eq) => (&rest[..eq], ws.get(1).map(|w| (w, 0))),
        None => match ws.get(1) {
            Some(w) if w.v == b"=" => (rest, ws.get(2).map(|w| (w, 0))),
            Some(w) if w.v.starts_with(b"=") => (rest, Some((w, 1))),
            _ => (rest, None),
        },
    };
    if let Some((w, off)) = target.filter(|_| says_secret(&String::from_utf8_lossy(name))) {
        out.add(w, off..w.v.len(), "$env", Some(name));
    }
}

/// Python: `NAME = '…'`, `os.environ["NAME"] = "…"` (also keyword arguments); SQL: `PASSWORD '…'`,
/// `PASSWORD = '…'`, `PASSWORD('…')`, `IDENTIFIED [WITH plugin] BY '…'`.
fn code_re(sql: bool) -> &'static Regex {
    static RE: OnceLock<[Regex; 2]> = OnceLock::new();
    &RE.get_or_init(|| {
        let name = r#"(?:os\.environ\[\s*['"](?P<env>[A-Za-z_]\w*)['"]\s*\]|\b(?P<name>[A-Za-z_]\w*))"#;
        let python = format!(r#"{name}\s*=\s*(?:'(?P<v1>[^'\\\n]*)'|"(?P<v2>[^"\\\n]*)")"#);
        let keyword = r"\b(?:password|identified(?:\s+with\s+\w+)?\s+by)";
        let sql = format!(r"(?i){keyword}\s*=?\s*(?:password\s*)?\(?\s*'(?P<v1>(?:[^'\n]|'')*)'");
        [Regex::new(&python).unwrap(), Regex::new(&sql).unwrap()]
    })[usize::from(sql)]
}

/// Python and SQL histories: one regex over each line; `''` in SQL strings is one quote.
fn code(out: &mut Out, e: &Word, re: &Regex, field: &str) {
    for caps in re.captures_iter(&e.v) {
        let Some(v) = caps.name("v1").or_else(|| caps.name("v2")) else { continue };
        let name = caps.name("env").or_else(|| caps.name("name")).map(|m| m.as_bytes());
        if name.is_some_and(|n| !says_secret(&String::from_utf8_lossy(n))) {
            continue;
        }
        let mut w = Word::default();
        let mut i = v.start();
        while i < v.end() {
            w.push(e.v[i], e.at[i], false);
            i += if field == "sql password" && e.v[i] == b'\'' { 2 } else { 1 };
        }
        let field = if caps.name("env").is_some() { "os.environ" } else { field };
        out.add(&w, 0..w.v.len(), field, name);
    }
}

#[cfg(test)]
mod tests {
    use super::super::golden;
    use super::*;
    use serde_json::Value;

    #[test]
    fn golden_files() {
        let all = golden::fixtures("history", false);
        assert!(all.len() >= 8);
        golden::check(&all, &|f| {
            assert!(is_history_name(&f.name), "{}", f.name);
            Value::from(candidates(&f.name, &f.text).iter().map(|c| golden::candidate(&f.text, c)).collect::<Vec<_>>())
        });
    }

    #[test]
    fn truncations_and_flips_never_panic() {
        for golden::Fixture { name, text, .. } in golden::fixtures("history", false) {
            for cut in 0..=text.len() {
                for c in candidates(&name, &text[..cut]) {
                    assert!(c.span.start < c.span.end && c.span.end <= cut, "{name} cut at {cut}");
                }
            }
            for i in 0..text.len() {
                let mut t = text.clone();
                let specials = b"'\"`\\\n$=:@(";
                t[i] = specials[i % specials.len()];
                candidates(&name, &t);
            }
        }
    }

    #[test]
    fn names_and_zsh_prefixes() {
        for n in ".bash_history /home/u/.zsh_history fish_history ConsoleHost_history.txt .psql_history-db".split(' ') {
            assert!(is_history_name(n), "{n}");
        }
        for n in ["bash_history", ".bashrc", "history.txt", ".zsh_history.bak"] {
            assert!(!is_history_name(n), "{n}");
        }
        assert_eq!(zsh_prefix(b": 1700000000:0;ls"), 15);
        for bad in [&b": :0;ls"[..], b": 17:;", b": 17:0", b"ls", b": ", b":"] {
            assert_eq!(zsh_prefix(bad), 0, "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
