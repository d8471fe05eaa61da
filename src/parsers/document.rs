//! One position-keeping document reader for every JSON/JSONC, YAML and TOML format the parsers read (MCP client
//! configs, kubeconfig, Docker, gcloud, GitHub CLI, Cargo …): each becomes the same small [`Node`] tree whose
//! scalars keep their decoded value and the byte range of their raw text, so a finding points into the original file.
//!
//! Why: a parser walks a tree by keys whatever the syntax (kubeconfig exists as YAML and as JSON; MCP configs come
//! in all three), and `serde` types do not keep positions. The grammars are the crates' own: JSON and JSONC by
//! `jsonc-parser` (RFC 8259; JSONC adds comments and trailing commas as VS Code writes them), YAML 1.2 by
//! `saphyr-parser`'s spanned events (<https://yaml.org/spec/1.2.2/>), TOML 1.0 by `toml_edit`'s spans
//! (<https://toml.io/en/v1.0.0>). This module only maps their output into [`Node`]s.
//!
//! Limits: nesting deeper than [`MAX_DEPTH`] is refused (JSON, TOML) or ends the document (YAML), so walking and
//! dropping a tree never recurses further; YAML aliases are not expanded (no alias bombs: a value reached through an
//! alias is the anchored one, reported at its own position). Every reader is linear in the input's size. Invalid
//! UTF-8 is read with each bad byte as `?` (offsets unchanged); a string written without escapes keeps its raw bytes.
use std::borrow::Cow;
use std::ops::Range;

/// How deep a document may nest.
pub const MAX_DEPTH: usize = 128;
/// More YAML events than this and the input is no configuration file.
const MAX_EVENTS: usize = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A JSON or TOML string, or a quoted / block YAML scalar.
    Str,
    /// A JSON or TOML number, boolean or date, or a plain YAML scalar (YAML has no separate string type for it).
    Plain,
    /// `null`, YAML `~` or an empty plain scalar.
    Null,
    /// A YAML alias (not expanded; empty value and span).
    Alias,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// Decoded text (escapes resolved).
    pub value: Vec<u8>,
    /// The value's bytes in the file, quotes excluded.
    pub span: Range<usize>,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Entries in file order; keys as text.
    Map(Vec<(String, Node)>),
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries().iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn entries(&self) -> &[(String, Node)] {
        match self {
            Node::Map(m) => m,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match self {
            Node::Seq(v) => v,
            _ => &[],
        }
    }

    /// A scalar with a value (not null, not an alias).
    pub fn scalar(&self) -> Option<&Scalar> {
        match self {
            Node::Scalar(s) if matches!(s.kind, Kind::Str | Kind::Plain) => Some(s),
            _ => None,
        }
    }

    /// A non-null scalar as text (lossy), for names and identifiers.
    pub fn text(&self) -> Option<String> {
        self.scalar().map(|s| String::from_utf8_lossy(&s.value).into_owned())
    }

    /// `self.get(key)` as text.
    pub fn str_at(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Node::text).filter(|s| !s.is_empty())
    }

    /// Every node of the tree, depth first, with the key path from the root (`a.b[2].c`).
    pub fn walk<'a>(&'a self, path: &mut Vec<String>, f: &mut dyn FnMut(&[String], &'a Node)) {
        f(path, self);
        match self {
            Node::Scalar(_) => {}
            Node::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(format!("[{i}]"));
                    item.walk(path, f);
                    path.pop();
                }
            }
            Node::Map(entries) => {
                for (k, v) in entries {
                    path.push(k.clone());
                    v.walk(path, f);
                    path.pop();
                }
            }
        }
    }

    /// Shift every span by `offset` (for a document embedded in another file's value).
    pub fn shift(&mut self, offset: usize) {
        match self {
            Node::Scalar(s) => s.span = s.span.start + offset..s.span.end + offset,
            Node::Seq(items) => items.iter_mut().for_each(|n| n.shift(offset)),
            Node::Map(entries) => entries.iter_mut().for_each(|(_, n)| n.shift(offset)),
        }
    }
}

/// `text` as UTF-8, each invalid byte replaced by `?`: the same length, so byte offsets carry over.
pub fn sanitize(text: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(text) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            let mut out = String::with_capacity(text.len());
            for chunk in text.utf8_chunks() {
                out.push_str(chunk.valid());
                out.extend(std::iter::repeat_n('?', chunk.invalid().len()));
            }
            Cow::Owned(out)
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

/// The whole of `text` as one strict JSON document (RFC 8259; a UTF-8 BOM and surrounding whitespace allowed).
pub fn json(text: &[u8]) -> Option<Node> {
    json_with(text, false)
}

/// The whole of `text` as one JSONC document: JSON with `//` and `/* */` comments and trailing commas.
pub fn jsonc(text: &[u8]) -> Option<Node> {
    json_with(text, true)
}

fn json_with(text: &[u8], jsonc: bool) -> Option<Node> {
    use jsonc_parser::{parse_to_ast, CollectOptions, CommentCollectionStrategy, ParseOptions};
    let bom = if text.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let src = sanitize(&text[bom..]);
    let options = ParseOptions {
        allow_comments: jsonc,
        allow_loose_object_property_names: false,
        allow_trailing_commas: jsonc,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = CollectOptions { comments: CommentCollectionStrategy::Off, tokens: false };
    let value = parse_to_ast(&src, &collect, &options).ok()?.value?;
    JsonTree { raw: &text[bom..], offset: bom }.node(&value, 0)
}

/// Maps `jsonc-parser`'s AST into [`Node`]s; `raw` is the text it parsed, starting at `offset` in the file.
struct JsonTree<'a> {
    raw: &'a [u8],
    offset: usize,
}

impl JsonTree<'_> {
    fn node(&self, value: &jsonc_parser::ast::Value, depth: usize) -> Option<Node> {
        use jsonc_parser::ast::Value;
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match value {
            Value::StringLit(s) => Node::Scalar(self.string(s)),
            Value::NumberLit(n) => self.scalar(n.value.as_bytes(), &n.range, Kind::Plain),
            Value::BooleanLit(b) => self.scalar(if b.value { b"true" } else { b"false" }, &b.range, Kind::Plain),
            Value::NullKeyword(n) => self.scalar(b"null", &n.range, Kind::Null),
            Value::Array(a) => Node::Seq(a.elements.iter().map(|v| self.node(v, depth + 1)).collect::<Option<_>>()?),
            Value::Object(o) => Node::Map(
                o.properties
                    .iter()
                    .map(|p| Some((p.name.as_str().to_owned(), self.node(&p.value, depth + 1)?)))
                    .collect::<Option<_>>()?,
            ),
        })
    }

    fn scalar(&self, value: &[u8], range: &jsonc_parser::common::Range, kind: Kind) -> Node {
        let span = range.start + self.offset..range.end + self.offset;
        Node::Scalar(Scalar { value: value.to_vec(), span, kind })
    }

    /// A string's span excludes its quotes; without escapes its value is its raw bytes (invalid UTF-8 included).
    fn string(&self, s: &jsonc_parser::ast::StringLit) -> Scalar {
        let inner = s.range.start + 1..s.range.end.saturating_sub(1).max(s.range.start + 1);
        let raw = self.raw.get(inner.clone()).unwrap_or_default();
        let value = if raw.contains(&b'\\') { s.value.as_bytes().to_vec() } else { raw.to_vec() };
        Scalar { value, span: inner.start + self.offset..inner.end + self.offset, kind: Kind::Str }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// YAML

/// The documents of a YAML stream. When a syntax error or a limit cuts the stream short, the documents read until
/// then are kept, the last one possibly partial: `whole` counts the leading documents read to their end.
pub struct Yaml {
    pub docs: Vec<Node>,
    pub whole: usize,
}

enum Frame {
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>, Option<String>),
}

/// Character index → byte offset, for indices that mostly grow (saphyr's marks count characters).
struct CharPos<'a> {
    s: &'a str,
    chars: usize,
    byte: usize,
}

impl CharPos<'_> {
    fn byte(&mut self, char_index: usize) -> usize {
        if char_index < self.chars {
            (self.chars, self.byte) = (0, 0);
        }
        while self.chars < char_index {
            let Some(c) = self.s[self.byte..].chars().next() else { break };
            self.byte += c.len_utf8();
            self.chars += 1;
        }
        self.byte
    }
}

/// Every document of a YAML stream (see [`Yaml`]).
pub fn yaml(text: &[u8]) -> Yaml {
    use saphyr_parser::{Event, Parser};
    let src = sanitize(text);
    let mut pos = CharPos { s: &src, chars: 0, byte: 0 };
    let (mut docs, mut stack) = (Vec::new(), Vec::new());
    for (n, event) in Parser::new_from_str(&src).enumerate() {
        let Ok((event, span)) = event else { break };
        let node = match event {
            _ if n > MAX_EVENTS => break,
            Event::Scalar(value, style, ..) => yaml_scalar(&src, &mut pos, value, style, span),
            Event::Alias(_) => Node::Scalar(Scalar { value: Vec::new(), span: 0..0, kind: Kind::Alias }),
            Event::SequenceStart(..) | Event::MappingStart(..) if stack.len() >= MAX_DEPTH => break,
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq(Vec::new()));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push(Frame::Map(Vec::new(), None));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(frame) => close(frame),
                None => continue,
            },
            _ => continue,
        };
        attach(&mut stack, &mut docs, node);
    }
    let whole = docs.len();
    while let Some(frame) = stack.pop() {
        let node = close(frame);
        attach(&mut stack, &mut docs, node);
    }
    Yaml { docs, whole }
}

fn yaml_scalar(
    src: &str,
    pos: &mut CharPos,
    value: Cow<str>,
    style: saphyr_parser::ScalarStyle,
    span: saphyr_parser::Span,
) -> Node {
    use saphyr_parser::ScalarStyle;
    let (mut start, mut end) = (pos.byte(span.start.index()), pos.byte(span.end.index()));
    let kind = match style {
        ScalarStyle::Plain if matches!(&*value, "" | "~" | "null" | "Null" | "NULL") => Kind::Null,
        ScalarStyle::Plain => Kind::Plain,
        _ => Kind::Str,
    };
    match style {
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if end >= start + 2 => {
            (start, end) = (start + 1, end - 1)
        }
        ScalarStyle::Literal | ScalarStyle::Folded => {
            end = start + src.as_bytes()[start..end.max(start)].trim_ascii_end().len()
        }
        _ => {}
    }
    Node::Scalar(Scalar { value: value.into_owned().into_bytes(), span: start..end.max(start), kind })
}

fn close(frame: Frame) -> Node {
    match frame {
        Frame::Seq(items) => Node::Seq(items),
        Frame::Map(entries, _) => Node::Map(entries),
    }
}

fn attach(stack: &mut [Frame], docs: &mut Vec<Node>, node: Node) {
    match stack.last_mut() {
        None => docs.push(node),
        Some(Frame::Seq(items)) => items.push(node),
        Some(Frame::Map(entries, pending)) => match pending.take() {
            None => *pending = Some(node.text().unwrap_or_default()),
            Some(key) => entries.push((key, node)),
        },
    }
}

// ---------------------------------------------------------------------------------------------------------------
// TOML

/// `text` as one TOML document (strict UTF-8, as TOML requires).
pub fn toml(text: &[u8]) -> Option<Node> {
    let s = std::str::from_utf8(text).ok()?;
    let doc = toml_edit::ImDocument::parse(s).ok()?;
    toml_table(doc.as_table(), text, 0)
}

fn toml_table(t: &toml_edit::Table, text: &[u8], depth: usize) -> Option<Node> {
    (depth <= MAX_DEPTH).then_some(())?;
    let entries = t.iter().map(|(k, item)| Some((k.to_owned(), toml_item(item, text, depth + 1)?)));
    Some(Node::Map(entries.collect::<Option<_>>()?))
}

fn toml_item(item: &toml_edit::Item, text: &[u8], depth: usize) -> Option<Node> {
    use toml_edit::Item;
    match item {
        Item::Value(v) => toml_value(v, text, depth),
        Item::Table(t) => toml_table(t, text, depth),
        Item::ArrayOfTables(a) => {
            Some(Node::Seq(a.iter().map(|t| toml_table(t, text, depth + 1)).collect::<Option<_>>()?))
        }
        Item::None => Some(Node::Scalar(Scalar { value: Vec::new(), span: 0..0, kind: Kind::Null })),
    }
}

fn toml_value(v: &toml_edit::Value, text: &[u8], depth: usize) -> Option<Node> {
    use toml_edit::Value;
    (depth <= MAX_DEPTH).then_some(())?;
    let span = v.span().unwrap_or_default();
    Some(match v {
        Value::String(f) => Node::Scalar(Scalar {
            value: f.value().as_bytes().to_vec(),
            span: unquote_toml(text, span),
            kind: Kind::Str,
        }),
        Value::Array(a) => Node::Seq(a.iter().map(|v| toml_value(v, text, depth + 1)).collect::<Option<_>>()?),
        Value::InlineTable(t) => Node::Map(
            t.iter().map(|(k, v)| Some((k.to_owned(), toml_value(v, text, depth + 1)?))).collect::<Option<_>>()?,
        ),
        _ => {
            let raw = text.get(span.clone()).unwrap_or_default().to_vec();
            Node::Scalar(Scalar { value: raw, span, kind: Kind::Plain })
        }
    })
}

/// A TOML string's span without its quotes (`"`, `'`, `"""`, `'''`) and the newline right after a multi-line
/// string's opening quotes, which TOML trims.
fn unquote_toml(text: &[u8], span: Range<usize>) -> Range<usize> {
    let raw = text.get(span.clone()).unwrap_or_default();
    let q = if raw.starts_with(b"\"\"\"") || raw.starts_with(b"'''") { 3 } else { 1 };
    if raw.len() < 2 * q || !matches!(raw.first(), Some(b'"' | b'\'')) {
        return span;
    }
    let nl = [&b"\r\n"[..], b"\n"].into_iter().find(|n| q == 3 && raw[q..].starts_with(n));
    span.start + q + nl.map_or(0, |n| n.len()).min(raw.len() - 2 * q)..span.end - q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_spans_and_escapes() {
        let text = br#"{"a": "x\ny\u00e9\ud83d\ude00", "b": [1, true, null], "c": {}}"#;
        let doc = json(text).unwrap();
        let a = doc.get("a").unwrap().scalar().unwrap();
        assert_eq!(a.value, "x\nyé😀".as_bytes());
        assert_eq!(&text[a.span.clone()], br"x\ny\u00e9\ud83d\ude00");
        assert_eq!(doc.get("b").unwrap().items().len(), 3);
        assert!(doc.get("b").unwrap().items()[2].scalar().is_none());
        for bad in [&b"{"[..], b"{\"a\" 1}", b"[1,]", b"{} x", b"nul", b"\"\\q\"", b"// c\n{}", b"'a'"] {
            assert!(json(bad).is_none(), "{bad:?}");
        }
        let deep = "[".repeat(100_000);
        assert!(json(deep.as_bytes()).is_none());
        let nested = format!("{}1{}", "[".repeat(MAX_DEPTH + 2), "]".repeat(MAX_DEPTH + 2));
        assert!(json(nested.as_bytes()).is_none());
    }

    #[test]
    fn jsonc_comments_trailing_commas_bom_and_raw_bytes() {
        let text = b"\xEF\xBB\xBF{ // c\n \"k\": \"v\xff\", /* d */ \"l\": [1,],\n}";
        let doc = jsonc(text).unwrap();
        let k = doc.get("k").unwrap().scalar().unwrap();
        assert_eq!((k.value.as_slice(), &text[k.span.clone()]), (&b"v\xff"[..], &b"v\xff"[..]));
        assert!(json(text).is_none());
    }

    #[test]
    fn yaml_spans_are_bytes_and_cover_the_value() {
        let text = "é: \"q\\tz\"\nk: 'it''s'\nlit: |\n  ab\n  cd\n\nplain: a b  # c\nn: ~\na: *x\n";
        let doc = yaml(text.as_bytes()).docs.remove(0);
        let at = |k: &str| {
            let s = doc.get(k).unwrap().scalar().unwrap();
            (&text[s.span.clone()], String::from_utf8(s.value.clone()).unwrap())
        };
        assert_eq!(at("é"), ("q\\tz", "q\tz".into()));
        assert_eq!(at("k"), ("it''s", "it's".into()));
        assert_eq!(at("lit"), ("ab\n  cd", "ab\ncd\n".into()));
        assert_eq!(at("plain"), ("a b", "a b".into()));
        assert!(doc.get("n").unwrap().scalar().is_none());
    }

    #[test]
    fn truncated_yaml_keeps_what_came_before() {
        let y = yaml(b"a: x\nb: [1, 2\nc: {");
        assert_eq!((y.docs.len(), y.whole), (1, 0));
        assert_eq!(y.docs[0].str_at("a").as_deref(), Some("x"));
        assert!(yaml(&[0xff, b':', b' ', 0xfe]).docs.len() <= 1);
        assert_eq!(yaml(b"a: 1\n---\nb: 2\n").whole, 2);
    }

    #[test]
    fn toml_strings_spans_without_quotes() {
        let text = "a = \"x\\ty\"\nb = '''\nlit'''\n[t]\nc = 1\nd = [\"e\"]\n";
        let doc = toml(text.as_bytes()).unwrap();
        let a = doc.get("a").unwrap().scalar().unwrap();
        assert_eq!((a.value.as_slice(), &text[a.span.clone()]), (&b"x\ty"[..], "x\\ty"));
        let b = doc.get("b").unwrap().scalar().unwrap();
        assert_eq!(&text[b.span.clone()], "lit");
        assert_eq!(doc.get("t").unwrap().get("c").unwrap().scalar().unwrap().kind, Kind::Plain);
        assert_eq!(doc.get("t").unwrap().get("d").unwrap().items()[0].text().as_deref(), Some("e"));
        assert!(toml(format!("a = {}", "[".repeat(1000)).as_bytes()).is_none());
    }
}
