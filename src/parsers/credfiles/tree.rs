//! A document tree with byte spans, shared by the JSON and YAML readers so that formats which exist in both syntaxes
//! (kubeconfig) or embed one in another (rclone `token`, gcloud's SQLite rows) are walked by one piece of code.
//! Also a strict JSON reader (RFC 8259) that keeps every string's span: `serde_json` does not expose positions.
use std::ops::Range;

/// How deep JSON may nest before the reader gives up (no recursion beyond it, so no stack overflow).
const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A JSON string or a quoted / block YAML scalar.
    Str,
    /// A JSON number or boolean, or a plain YAML scalar.
    Plain,
    /// `null`, YAML `~`, an empty plain scalar or an (unexpanded) alias.
    Null,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scalar {
    /// Decoded text (escapes resolved).
    pub value: Vec<u8>,
    /// The value's bytes in the file, quotes excluded.
    pub span: Range<usize>,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
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

    /// A non-null scalar.
    pub fn scalar(&self) -> Option<&Scalar> {
        match self {
            Node::Scalar(s) if s.kind != Kind::Null => Some(s),
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

/// The whole of `text` as one JSON document (a UTF-8 BOM and surrounding whitespace allowed).
pub(crate) fn parse_json(text: &[u8]) -> Option<Node> {
    let start = if text.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let (node, end) = parse_json_at(text, start)?;
    text[end..].iter().all(u8::is_ascii_whitespace).then_some(node)
}

/// One JSON value starting at `start` (after optional whitespace); returns it and the offset just past it.
pub(crate) fn parse_json_at(text: &[u8], start: usize) -> Option<(Node, usize)> {
    let mut p = Json { s: text, i: start, depth: 0 };
    p.ws();
    let node = p.value()?;
    Some((node, p.i))
}

struct Json<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Json<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.ws();
        (self.s.get(self.i) == Some(&b)).then(|| self.i += 1)
    }

    fn value(&mut self) -> Option<Node> {
        self.ws();
        match *self.s.get(self.i)? {
            b'{' | b'[' => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return None;
                }
                let node = if self.s[self.i] == b'{' { self.object() } else { self.array() };
                self.depth -= 1;
                node
            }
            b'"' => {
                let (value, span) = self.string()?;
                Some(Node::Scalar(Scalar { value, span, kind: Kind::Str }))
            }
            _ => self.literal(),
        }
    }

    fn object(&mut self) -> Option<Node> {
        self.i += 1;
        let mut entries = Vec::new();
        if self.eat(b'}').is_some() {
            return Some(Node::Map(entries));
        }
        loop {
            self.ws();
            let (key, _) = self.string()?;
            self.eat(b':')?;
            let value = self.value()?;
            entries.push((String::from_utf8_lossy(&key).into_owned(), value));
            self.ws();
            match self.s.get(self.i)? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(Node::Map(entries));
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self) -> Option<Node> {
        self.i += 1;
        let mut items = Vec::new();
        if self.eat(b']').is_some() {
            return Some(Node::Seq(items));
        }
        loop {
            items.push(self.value()?);
            self.ws();
            match self.s.get(self.i)? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(Node::Seq(items));
                }
                _ => return None,
            }
        }
    }

    fn literal(&mut self) -> Option<Node> {
        let start = self.i;
        let len =
            self.s[start..].iter().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.')).count();
        self.i += len;
        let word = &self.s[start..self.i];
        let number = word.first().is_some_and(|&b| b == b'-' || b.is_ascii_digit())
            && word.iter().all(|&b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
        let kind = match word {
            b"null" => Kind::Null,
            b"true" | b"false" => Kind::Plain,
            _ if number => Kind::Plain,
            _ => return None,
        };
        Some(Node::Scalar(Scalar { value: word.to_vec(), span: start..self.i, kind }))
    }

    /// A string at the cursor: decoded bytes and the span between the quotes.
    fn string(&mut self) -> Option<(Vec<u8>, Range<usize>)> {
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let start = self.i;
        let mut out = Vec::new();
        loop {
            let b = *self.s.get(self.i)?;
            self.i += 1;
            match b {
                b'"' => return Some((out, start..self.i - 1)),
                b'\\' => {
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let c = self.unicode_escape()?;
                            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => out.push(b),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = std::str::from_utf8(self.s.get(self.i..self.i + 4)?).ok()?;
        let v = u32::from_str_radix(digits, 16).ok()?;
        self.i += 4;
        Some(v)
    }

    /// `\uXXXX` (cursor after the `u`), joining surrogate pairs; a lone surrogate becomes U+FFFD.
    fn unicode_escape(&mut self) -> Option<char> {
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi) && self.s.get(self.i..self.i + 2) == Some(b"\\u") {
            let save = self.i;
            self.i += 2;
            let lo = self.hex4()?;
            if (0xDC00..0xE000).contains(&lo) {
                return char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
            }
            self.i = save;
        }
        Some(char::from_u32(hi).unwrap_or(char::REPLACEMENT_CHARACTER))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_spans_and_escapes() {
        let text = br#"{"a": "x\ny\u00e9\ud83d\ude00", "b": [1, true, null], "c": {}}"#;
        let doc = parse_json(text).unwrap();
        let a = doc.get("a").unwrap().scalar().unwrap();
        assert_eq!(a.value, "x\nyé😀".as_bytes());
        assert_eq!(&text[a.span.clone()], br"x\ny\u00e9\ud83d\ude00");
        assert_eq!(doc.get("b").unwrap().items().len(), 3);
        assert!(doc.get("b").unwrap().items()[2].scalar().is_none());
        for bad in [&b"{"[..], b"{\"a\" 1}", b"[1,]", b"\"\x01\"", b"{} x", b"nul", b"\"\\q\""] {
            assert!(parse_json(bad).is_none(), "{bad:?}");
        }
        let deep = "[".repeat(100_000);
        assert!(parse_json(deep.as_bytes()).is_none());
    }
}
