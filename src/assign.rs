//! Generic assignments: a literal given to a credential-ish name, in whatever syntax the file uses.
//!
//! Most leaked credentials have no format of their own: they sit in `<something>_token = '<value>'`. A regex per
//! syntax would have to run around every `key` and `token` in every source file, so instead the keyword gate's hits
//! for the generic assignment rules (`token`, `key`, `secret`, `pass`, `pwd`, `auth`, `session`, `cookie`, `sig` …)
//! come here, and a few bytes around each hit are read by hand: the name the keyword sits in
//! (`X-Api-Key`, `$db_password`, `--auth-token`, `process.env.API_KEY`), what follows it — an operator, a closing
//! quote, a tag — and the literal after that. Most hits end after a handful of bytes (`def get_api_key(`,
//! `keyboard`), so the cost per hit is small and never more than a line.
//!
//! Syntaxes ([`Syntax`]): `name = v`, `:=`, `?=` (code, INI, properties, TOML, Makefiles, env files, shell, PHP,
//! Perl and PowerShell `$name`); `name: v` (YAML, JSON, JS objects, Ruby keywords, headers; a type annotation
//! between, `apiKey: string = 'v'`, is skipped); `name => v` and Kotlin's `"name" to v` (map literals); `("name",
//! "v")` (setters: `setenv`, `os.Setenv`, `System.setProperty`, `Map.of`); `--name v`, `-Name v`, `/name:v` (command
//! lines, PowerShell parameters); `ENV name v`, `setenv name v`, `#define name "v"`, `proxy_set_header name "v"`
//! (directives); `<name>v</name>` (XML elements); a name given as the *value* of a `name`/`key` field followed by a
//! `value` field (`<add key="DbPassword" value="v"/>`, Kubernetes `- name: X` / `value: v`, Spring `<property
//! name="x" value="v"/>`); `?name=v&` (URL queries). Names may be quoted (`"name": v`, `['name'] = v`, JSON-escaped
//! `\"name\"`), values quoted, escaped-quoted or bare. Also the shapes other scanners' rule samples are written in
//! (gitleaks generates its tests from them): `char name[] = "v"`, Go's `var name string = "v"`, `::=`, `:::=`, `|=`,
//! `||=`, Clojure's `(def name "v")`, `String::from("v")`, raw strings `r#"v"#`, triple quotes, XML text on its own
//! line and `<name>`/`<value>` elements, YAML block scalars (`name: |`).
//!
//! Which names count, and as what, is [`judge::name_class`] (the table every format shares); whether the literal
//! is a credential is [`judge::assigned_value`] (the randomness validator, hex and UUIDs under specific names,
//! chosen passwords under password names).
use std::ops::Range;

use crate::parsers::judge::{self, NameClass};

/// Longest name looked at: a longer run of name bytes is text or an encoded blob, not a variable name.
const MAX_NAME: usize = 80;
/// Longest quoted value read.
const MAX_VALUE: usize = 512;
/// How far after a name a `value` field of a name/value pair may start.
const PAIR_REACH: usize = 160;

/// How a name was given its value (reported as the finding's `context.field`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `name = v`, `name := v`, `name ?= v`.
    Assignment,
    /// `name: v`.
    KeyValue,
    /// `name => v`, `"name" to v`.
    Arrow,
    /// `f("name", "v")`.
    Argument,
    /// `--name v`, `--name=v`, `-Name v`, `/name:v`.
    Flag,
    /// `ENV name v`, `setenv name v`, `#define name "v"`.
    Directive,
    /// `<name>v</name>`.
    XmlElement,
    /// `key="name" value="v"`, `name: X` / `value: v`.
    NameValue,
    /// `?name=v&…`.
    UrlQuery,
}

impl Syntax {
    pub fn as_str(self) -> &'static str {
        match self {
            Syntax::Assignment => "assignment",
            Syntax::KeyValue => "key-value",
            Syntax::Arrow => "map",
            Syntax::Argument => "argument",
            Syntax::Flag => "flag",
            Syntax::Directive => "directive",
            Syntax::XmlElement => "xml-element",
            Syntax::NameValue => "name-value",
            Syntax::UrlQuery => "url-query",
        }
    }
}

/// A literal assigned to a credential name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: Range<usize>,
    pub value: Range<usize>,
    pub syntax: Syntax,
    pub class: NameClass,
}

/// Words after which a name takes its value after whitespace (`ENV NAME value`).
const DIRECTIVES: &[&str] =
    &["env", "setenv", "setx", "define", "proxy_set_header", "add_header", "set-variable", "def", "defconst"];

/// Bytes of a name: ASCII letters and digits, `_`, `-`, `.` (a table: the matcher asks for every byte around every
/// keyword hit).
const NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.';
        b += 1;
    }
    table
};

/// The bytes that end a bare (unquoted) value: ASCII whitespace and the delimiters of code around it; in a URL's query
/// string also `&` and `#`.
static BARE_STOP: [bool; 256] = stop_table(b";,(){}[]\"'`<>\\");
static BARE_STOP_QUERY: [bool; 256] = stop_table(b";,(){}[]\"'`<>\\&#");

const fn stop_table(delimiters: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < delimiters.len() {
        table[delimiters[i] as usize] = true;
        i += 1;
    }
    let mut b = 0;
    while b < 256 {
        if (b as u8).is_ascii_whitespace() {
            table[b] = true;
        }
        b += 1;
    }
    table
}

#[inline(always)]
fn name_byte(b: u8) -> bool {
    NAME_BYTES[b as usize]
}

fn quote(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b'`')
}

fn blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// The assignments at keyword `hits` (keyword spans, sorted by start), appended to `out` in order. A keyword inside a
/// name or a value already read is not looked at again.
pub fn find(hay: &[u8], hits: &[Range<usize>], out: &mut Vec<Assignment>) {
    let mut done = 0;
    for hit in hits {
        if hit.start < done {
            continue;
        }
        let Some(name) = name_at(hay, hit.clone()) else {
            continue;
        };
        done = name.end;
        if let Some(a) = assignment(hay, name) {
            done = a.value.end;
            out.push(a);
        }
    }
}

/// Whether the keyword at `kw` may begin a credential word of the name it sits in ([`judge::WordStarts`]),
/// from the letters after it in the same part of the name: a capital after a lower-case letter (camelCase) or any
/// byte but a letter ends the part. Asked by the keyword gate, before a hit is handed to [`find`].
#[inline]
pub fn may_begin_word(hay: &[u8], kw: Range<usize>, starts: &judge::WordStarts) -> bool {
    let end = kw.end;
    let mut rest = [0u8; 4];
    let mut n = 0;
    let mut last = hay[end - 1];
    for &b in &hay[end..(end + 4).min(hay.len())] {
        if b.is_ascii_digit() {
            return true; // a digit joins the part: left to the name's judgement
        }
        if !b.is_ascii_alphabetic() || (b.is_ascii_uppercase() && last.is_ascii_lowercase()) {
            break;
        }
        rest[n] = b.to_ascii_uppercase();
        n += 1;
        last = b;
    }
    starts.allows(&hay[kw], &rest[..n])
}

/// The name a keyword sits in, without leading dashes and dots; `None` when the run of name bytes is too long.
fn name_at(hay: &[u8], kw: Range<usize>) -> Option<Range<usize>> {
    let lo = kw.start.saturating_sub(MAX_NAME);
    let mut s = kw.start;
    while s > lo && name_byte(hay[s - 1]) {
        s -= 1;
    }
    let hi = (kw.end + MAX_NAME).min(hay.len());
    let mut e = kw.end;
    while e < hi && name_byte(hay[e]) {
        e += 1;
    }
    if (s == lo && s > 0 && name_byte(hay[s - 1])) || (e == hi && e < hay.len() && name_byte(hay[e])) {
        return None;
    }
    while s < e && matches!(hay[s], b'-' | b'.') {
        s += 1;
    }
    while e > s && matches!(hay[e - 1], b'-' | b'.') {
        e -= 1;
    }
    (s < e).then_some(s..e)
}

/// What lies just before a name.
struct Left {
    /// The name's opening quote, and whether it was escaped (`\"name\"` inside a JSON string).
    quote: Option<(u8, bool)>,
    /// One or two dashes, or a `/`, right before the name (after whitespace or a quote): a command-line flag.
    flag: bool,
    /// The byte before the name, its quote and dashes.
    before: Option<u8>,
    /// Where the name's left context (quote, dashes) starts.
    start: usize,
}

fn left(hay: &[u8], name: &Range<usize>) -> Left {
    let mut i = name.start;
    let mut quote_at = None;
    if i > 0 && quote(hay[i - 1]) {
        let escaped = i > 1 && hay[i - 2] == b'\\';
        quote_at = Some((hay[i - 1], escaped));
        i -= 1 + usize::from(escaped);
    }
    let dashes = hay[..i].iter().rev().take_while(|&&b| b == b'-').count();
    let slash = dashes == 0 && i > 0 && hay[i - 1] == b'/';
    let lead = if slash { 1 } else { dashes };
    let flag_start = i - lead;
    let flag = quote_at.is_none()
        && (1..=2).contains(&lead)
        && (flag_start == 0 || hay[flag_start - 1].is_ascii_whitespace() || quote(hay[flag_start - 1]));
    if flag {
        i = flag_start;
    }
    Left { quote: quote_at, flag, before: i.checked_sub(1).map(|p| hay[p]), start: i }
}

/// The assignment whose name is `name`, if one follows and the name and value are a credential's.
fn assignment(hay: &[u8], name: Range<usize>) -> Option<Assignment> {
    let l = left(hay, &name);
    let (mut value_at, syntax) = operator(hay, &name, &l)?;
    while hay.get(value_at).copied().is_some_and(blank) {
        value_at += 1;
    }
    let value = value(hay, value_at, syntax)?;
    if !judge::may_be_assigned(&hay[value.clone()]) {
        return None;
    }
    let class = judge::name_class_of(&hay[name.clone()])?;
    judge::assigned_value(class, &hay[value.clone()]).then_some(Assignment { name, value, syntax, class })
}

/// Where the value starts after the name, and the syntax that puts it there.
fn operator(hay: &[u8], name: &Range<usize>, l: &Left) -> Option<(usize, Syntax)> {
    let mut p = name.end;
    // The name's closing quote, then `]` of an index (`ENV['NAME'] =`), `?` of an optional TypeScript field.
    let mut closed = false;
    if let Some((q, escaped)) = l.quote {
        let close: &[u8] = if escaped { &[b'\\', q] } else { &[q] };
        if hay[p..].starts_with(close) {
            p += close.len();
            closed = true;
        }
    }
    if hay.get(p) == Some(&b']') || (hay.get(p) == Some(&b'?') && matches!(hay.get(p + 1), Some(b':' | b'='))) {
        p += 1;
    } else if hay[p..].starts_with(b"[]") {
        p += 2; // C: `char name[] = "v"`
    }
    let after_name = p;
    while hay.get(p).copied().is_some_and(blank) {
        p += 1;
    }
    let c = *hay.get(p)?;
    let next = hay.get(p + 1).copied();
    let op = match c {
        b'=' if next == Some(b'>') => Some((p + 2, Syntax::Arrow)),
        b'=' if !matches!(next, Some(b'=' | b'~')) => {
            let syntax = if l.flag {
                Syntax::Flag
            } else if matches!(l.before, Some(b'?' | b'&')) {
                Syntax::UrlQuery
            } else {
                Syntax::Assignment
            };
            Some((p + 1, syntax))
        }
        b':' | b'?' if next == Some(b'=') => Some((p + 2, Syntax::Assignment)),
        b':' if next != Some(b':') => {
            Some(typed(hay, p + 1).map_or((p + 1, Syntax::KeyValue), |v| (v, Syntax::Assignment)))
        }
        // `::=`, `:::=` (Makefiles, BNF), `|=`, `||=` (Ruby, shells).
        b':' | b'|' => {
            let run = hay[p..].iter().take_while(|&&b| b == c).count();
            (run <= 3 && hay.get(p + run) == Some(&b'=')).then_some((p + run + 1, Syntax::Assignment))
        }
        b',' if closed && opens_call(hay, l.start) => Some((p + 1, Syntax::Argument)),
        b'>' if l.before == Some(b'<') && p == after_name => Some((p + 1, Syntax::XmlElement)),
        b't' if closed && p > after_name && hay[p..].starts_with(b"to ") => Some((p + 3, Syntax::Arrow)),
        _ => None,
    };
    if op.is_some() {
        return op;
    }
    if p > after_name && !b"=:,;)}]>".contains(&c) && c != b'\n' && c != b'\r' {
        if l.flag {
            return (c != b'-').then_some((p, Syntax::Flag));
        }
        if directive(hay, l.start) {
            return Some((p, Syntax::Directive));
        }
        if let Some(v) = declared(hay, p) {
            return Some((v, Syntax::Assignment));
        }
    }
    if closed || l.quote.is_none() {
        return pair_value(hay, l.start, after_name).or_else(|| xml_pair_value(hay, l.start, after_name));
    }
    None
}

/// After `var name` in `var apiToken string = "v"` (Go, and C-like `name Type = v`): past the `=` that follows one
/// type word.
fn declared(hay: &[u8], from: usize) -> Option<usize> {
    let end = (from + 40).min(hay.len());
    let ty = hay[from..end].iter().take_while(|&&b| b.is_ascii_alphanumeric() || b"_.*&[]<>".contains(&b)).count();
    let mut i = from + ty;
    while i < end && blank(hay[i]) {
        i += 1;
    }
    let typed = ty > 0 && hay[from].is_ascii_alphabetic() && i > from + ty;
    (typed && hay.get(i) == Some(&b'=') && !matches!(hay.get(i + 1), Some(b'=' | b'>' | b'~'))).then_some(i + 1)
}

/// A name in a `<name>`/`<key>` element whose sibling `<value>` element follows within [`PAIR_REACH`] bytes and one
/// line break (`<entry><name>DbPassword</name><value>v</value></entry>`): where that value starts.
fn xml_pair_value(hay: &[u8], start: usize, after: usize) -> Option<(usize, Syntax)> {
    let opened =
        |tag: &[u8]| hay[..start].len() >= tag.len() && hay[start - tag.len()..start].eq_ignore_ascii_case(tag);
    let closed = |tag: &[u8]| hay.get(after..after + tag.len()).is_some_and(|t| t.eq_ignore_ascii_case(tag));
    if !((opened(b"<name>") && closed(b"</name>")) || (opened(b"<key>") && closed(b"</key>"))) {
        return None;
    }
    let reach = &hay[after..(after + PAIR_REACH).min(hay.len())];
    let at = memchr::memmem::find(reach, b"<value>").or_else(|| memchr::memmem::find(reach, b"<Value>"))?;
    let v = after + at + b"<value>".len();
    (reach[..at].iter().filter(|&&b| b == b'\n').count() <= 1).then_some((v, Syntax::NameValue))
}

/// After `:` in `apiKey: string = 'v'` or `const KEY: &'static str = "v"`: past the `=` that ends a type annotation.
fn typed(hay: &[u8], from: usize) -> Option<usize> {
    let end = (from + 48).min(hay.len());
    let mut i = from;
    while i < end && blank(hay[i]) {
        i += 1;
    }
    let start = i;
    while i < end && (hay[i].is_ascii_alphanumeric() || b"_<>[]?|&.*,' ".contains(&hay[i])) {
        i += 1;
    }
    let ty = &hay[start..i];
    let spaced = ty.last().is_some_and(|&b| blank(b));
    let alpha = ty.iter().any(u8::is_ascii_alphabetic);
    (i < end && hay[i] == b'=' && spaced && alpha && !matches!(hay.get(i + 1), Some(b'=' | b'>'))).then_some(i + 1)
}

/// The name (its quote at `start`) is the first argument of a call or the key of a `{ "name", "v" }` initializer.
fn opens_call(hay: &[u8], start: usize) -> bool {
    hay[..start].iter().rev().find(|&&b| !blank(b)).is_some_and(|&b| b == b'(' || b == b'{')
}

/// The word before the name (on its line) is a directive that takes `NAME value`.
fn directive(hay: &[u8], start: usize) -> bool {
    let mut i = start;
    while i > 0 && blank(hay[i - 1]) {
        i -= 1;
    }
    if i == start {
        return false;
    }
    let end = i;
    while i > 0 && (hay[i - 1].is_ascii_alphanumeric() || matches!(hay[i - 1], b'_' | b'-')) {
        i -= 1;
    }
    let word = &hay[i..end];
    DIRECTIVES.iter().any(|d| word.eq_ignore_ascii_case(d.as_bytes()))
}

/// A name given as the value of a `name` or `key` field (`key="DbPassword"`, `- name: DB_PASSWORD`), whose `value`
/// field follows within [`PAIR_REACH`] bytes and one line break: where that value starts.
fn pair_value(hay: &[u8], start: usize, after: usize) -> Option<(usize, Syntax)> {
    // Back over `="`, `: `, `": "` to the field's name.
    let mut i = start;
    while i > 0 && (blank(hay[i - 1]) || quote(hay[i - 1])) {
        i -= 1;
    }
    if i == 0 || !matches!(hay[i - 1], b'=' | b':') {
        return None;
    }
    i -= 1;
    while i > 0 && (blank(hay[i - 1]) || quote(hay[i - 1])) {
        i -= 1;
    }
    let end = i;
    while i > 0 && hay[i - 1].is_ascii_alphabetic() {
        i -= 1;
    }
    let field = &hay[i..end];
    if !(field.eq_ignore_ascii_case(b"name") || field.eq_ignore_ascii_case(b"key")) {
        return None;
    }
    let reach = &hay[after..(after + PAIR_REACH).min(hay.len())];
    let line_breaks = |upto: usize| reach[..upto].iter().filter(|&&b| b == b'\n').count();
    let mut k = 0;
    while let Some(off) =
        memchr::memmem::find(&reach[k..], b"value").or_else(|| memchr::memmem::find(&reach[k..], b"Value"))
    {
        let at = k + off;
        if line_breaks(at) > 1 {
            return None;
        }
        let mut j = at + 5;
        while j < reach.len() && (blank(reach[j]) || quote(reach[j])) {
            j += 1;
        }
        let before_ok = at == 0 || !name_byte(reach[at - 1]);
        if before_ok && j < reach.len() && matches!(reach[j], b'=' | b':') && reach.get(j + 1) != Some(&b':') {
            let mut v = j + 1;
            while v < reach.len() && blank(reach[v]) {
                v += 1;
            }
            return Some((after + v, Syntax::NameValue));
        }
        k = at + 5;
    }
    None
}

/// The value starting at `at`: quoted (also `\"…\"` inside a JSON string, and `r"…"`/`@"…"` string prefixes) up to
/// its closing quote on the same line; an XML element's text up to `<`; or a bare word.
fn value(hay: &[u8], at: usize, syntax: Syntax) -> Option<Range<usize>> {
    let mut p = at;
    let c = *hay.get(p)?;
    if c == b'\\' && hay.get(p + 1).copied().is_some_and(quote) {
        let q = hay[p + 1];
        let start = p + 2;
        let end = start + memchr::memmem::find(&hay[start..(start + MAX_VALUE).min(hay.len())], &[b'\\', q])?;
        return (!hay[start..end].contains(&b'\n')).then_some(start..end);
    }
    p = past_wrapper(hay, p);
    if matches!(c, b'r' | b'b' | b'u' | b'f' | b'@' | b'R' | b'B' | b'U' | b'F')
        && hay.get(p + 1).copied().is_some_and(quote)
    {
        p += 1;
    }
    let c = *hay.get(p)?;
    if let Some(v) = long_string(hay, p) {
        return v;
    }
    if quote(c) {
        // To the closing quote, past escapes; none on this line (within `MAX_VALUE`): no value.
        let start = p + 1;
        let limit = (start + MAX_VALUE).min(hay.len());
        let mut j = start;
        while j < limit {
            let at = j + memchr::memchr3(c, b'\n', b'\\', &hay[j..limit])?;
            match hay[at] {
                b'\n' => return None,
                b'\\' => j = at + 2,
                _ => return Some(start..at),
            }
        }
        return None;
    }
    if syntax == Syntax::XmlElement {
        return xml_text(hay, p);
    }
    if syntax == Syntax::KeyValue && matches!(c, b'|' | b'>') {
        return block_scalar(hay, p + 1);
    }
    let stop = if syntax == Syntax::UrlQuery { &BARE_STOP_QUERY } else { &BARE_STOP };
    let limit = (p + MAX_VALUE).min(hay.len());
    let end = p + hay[p..limit].iter().take_while(|&&b| !stop[usize::from(b)]).count();
    // A bare word followed by `(` or `[` is a call or an index: code, not a literal.
    if end == p || matches!(hay.get(end), Some(b'(' | b'[')) {
        return None;
    }
    Some(p..end)
}

/// Past a call that only wraps a literal (`String::from("v")`, `String("v")`, `Some("v")`, `str("v")`) or a Rust raw
/// string's `r#` (`r#"v"#`): where the literal's quote is, or `p` unchanged.
fn past_wrapper(hay: &[u8], p: usize) -> usize {
    const WRAPPERS: &[&[u8]] = &[b"String::from(", b"String(", b"Some(", b"str("];
    let rest = &hay[p..];
    if let Some(w) = WRAPPERS.iter().find(|w| rest.starts_with(w) && rest.get(w.len()).copied().is_some_and(quote)) {
        return p + w.len();
    }
    let hashes = rest.iter().skip(1).take_while(|&&b| b == b'#').count();
    if rest.first() == Some(&b'r') && hashes > 0 && rest.get(1 + hashes) == Some(&b'"') {
        return p + 1 + hashes;
    }
    p
}

/// A triple-quoted string (`"""v"""`, `'''v'''`) on one line: `Some(value)`; `None` when `p` holds none.
fn long_string(hay: &[u8], p: usize) -> Option<Option<Range<usize>>> {
    let open = hay.get(p..p + 3).filter(|t| t == b"\"\"\"" || t == b"'''")?;
    let start = p + 3;
    let line = &hay[start..(start + MAX_VALUE).min(hay.len())];
    let end = memchr::memmem::find(line, open).map(|e| start + e);
    Some(end.filter(|&e| !hay[start..e].contains(&b'\n')).map(|e| start..e))
}

/// An XML element's text up to `<`, also when it stands on its own line (`<apiToken>\n    v\n</apiToken>`).
fn xml_text(hay: &[u8], mut p: usize) -> Option<Range<usize>> {
    let mut breaks = 0;
    while p < hay.len() && hay[p].is_ascii_whitespace() && breaks < 2 {
        breaks += usize::from(hay[p] == b'\n');
        p += 1;
    }
    let end = p + memchr::memchr2(b'<', b'\n', &hay[p..(p + MAX_VALUE).min(hay.len())])?;
    let mut text_end = end;
    while text_end > p && hay[text_end - 1].is_ascii_whitespace() {
        text_end -= 1;
    }
    let mut after = end;
    while after < hay.len() && hay[after].is_ascii_whitespace() {
        after += 1;
    }
    (text_end > p && hay.get(after) == Some(&b'<')).then_some(p..text_end)
}

/// A YAML block scalar (`name: |` or `name: >`, with `-`/`+`): its first line, when it is the whole value.
fn block_scalar(hay: &[u8], mut p: usize) -> Option<Range<usize>> {
    if matches!(hay.get(p), Some(b'-' | b'+')) {
        p += 1;
    }
    while hay.get(p).copied().is_some_and(blank) {
        p += 1;
    }
    p += usize::from(hay.get(p) == Some(&b'\r'));
    if hay.get(p) != Some(&b'\n') {
        return None;
    }
    let indent = hay[p + 1..].iter().take_while(|&&b| blank(b)).count();
    let start = p + 1 + indent;
    let end =
        start + hay[start..(start + MAX_VALUE).min(hay.len())].iter().take_while(|b| !b.is_ascii_whitespace()).count();
    (indent > 0 && end > start).then_some(start..end)
}

#[cfg(test)]
mod tests;
