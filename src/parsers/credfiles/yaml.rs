//! YAML credential files: kubeconfig, GitHub CLI `hosts.yml`, RubyGems `credentials`.
//!
//! Read with `saphyr-parser` (the maintained successor of `yaml-rust2`, YAML 1.2), whose events carry start *and*
//! end marks, into a [`Node`] tree. Marks count characters; they are turned into byte offsets with a forward-only
//! cursor. Aliases are not expanded (no alias bombs; a value reached through an alias is the anchored one, already
//! reported at its own position). A syntax error ends the document but keeps what was read before it.
use saphyr_parser::{Event, Parser, ScalarStyle};

use super::super::judge::says_secret;
use super::tree::{parse_json, Kind, Node, Scalar};
use super::{b64decode, Loc, Sink};

/// More events than this and the input is not a credential file.
const MAX_EVENTS: usize = 1_000_000;
/// Deeper nesting ends the document (the tree is walked and dropped recursively).
const MAX_DEPTH: usize = 128;

enum Frame {
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>, Option<String>),
}

/// Character index → byte offset, for indices that mostly grow.
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

/// Every document of a YAML stream.
pub(crate) fn parse(text: &[u8]) -> Vec<Node> {
    let src = super::sanitize(text);
    let mut pos = CharPos { s: &src, chars: 0, byte: 0 };
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    for (n, event) in Parser::new_from_str(&src).enumerate() {
        let Ok((event, span)) = event else { break };
        if n > MAX_EVENTS {
            break;
        }
        let node = match event {
            Event::Scalar(value, style, _, _) => {
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
            Event::Alias(_) => Node::Scalar(Scalar { value: Vec::new(), span: 0..0, kind: Kind::Null }),
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
    while let Some(frame) = stack.pop() {
        let node = close(frame);
        attach(&mut stack, &mut docs, node);
    }
    docs
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

/// JSON when it looks like JSON (exact escapes and spans), YAML otherwise.
fn documents(text: &[u8]) -> Vec<Node> {
    let body = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    if body.trim_ascii_start().starts_with(b"{") {
        if let Some(doc) = parse_json(text) {
            return vec![doc];
        }
    }
    parse(text)
}

pub(crate) fn is_kubeconfig(doc: &Node) -> bool {
    let users = doc.get("users").is_some_and(|u| !u.items().is_empty());
    users && (doc.str_at("kind").as_deref() == Some("Config") || doc.get("clusters").is_some())
}

/// kubeconfig `users[].user`: `token`, `password`, `client-key-data` (base64 of a PEM key: the value is the PEM),
/// `auth-provider.config` tokens and client secret, secrets in `exec.env`. `exec` itself is a reference.
pub(crate) fn kubeconfig(text: &[u8], sink: &mut Sink) {
    for doc in documents(text) {
        for entry in doc.get("users").map(Node::items).unwrap_or_default() {
            let name = entry.str_at("name");
            let profile = name.as_deref();
            let Some(user) = entry.get("user") else { continue };
            let username = user.str_at("username");
            for key in ["token", "password"] {
                if let Some(s) = user.get(key).and_then(Node::scalar) {
                    sink.secret(s.span.clone(), s.value.clone(), Loc::new(profile, key).id(username.clone()));
                }
            }
            if let Some(s) = user.get("client-key-data").and_then(Node::scalar) {
                let value = b64decode(&s.value).unwrap_or_else(|| s.value.clone());
                sink.secret(s.span.clone(), value, Loc::new(profile, "client-key-data").id(username.clone()));
            }
            if let Some(config) = user.get("auth-provider").and_then(|a| a.get("config")) {
                let id = username.clone().or_else(|| config.str_at("client-id"));
                for key in ["id-token", "refresh-token", "access-token", "client-secret"] {
                    if let Some(s) = config.get(key).and_then(Node::scalar) {
                        let loc = Loc::new(profile, key).field("auth-provider.config").id(id.clone());
                        sink.secret(s.span.clone(), s.value.clone(), loc);
                    }
                }
            }
            if let Some(exec) = user.get("exec") {
                if let Some(command) = exec.str_at("command") {
                    sink.reference(Loc::new(profile, "exec").field("exec.command"), command);
                }
                for var in exec.get("env").map(Node::items).unwrap_or_default() {
                    let (Some(var_name), Some(s)) = (var.str_at("name"), var.get("value").and_then(Node::scalar))
                    else {
                        continue;
                    };
                    if says_secret(&var_name) {
                        let loc = Loc::new(profile, &var_name).field("exec.env").id(username.clone());
                        sink.secret(s.span.clone(), s.value.clone(), loc);
                    }
                }
            }
        }
    }
}

/// GitHub CLI `hosts.yml`: `<host>.oauth_token` (identifier `<host>.user`) and, since gh 2.40, tokens per account
/// under `<host>.users.<login>.oauth_token` when no keyring is available.
pub(crate) fn gh(text: &[u8], sink: &mut Sink) {
    for doc in parse(text) {
        for (host, entry) in doc.entries() {
            if let Some(s) = entry.get("oauth_token").and_then(Node::scalar) {
                sink.secret(
                    s.span.clone(),
                    s.value.clone(),
                    Loc::new(Some(host), "oauth_token").id(entry.str_at("user")),
                );
            }
            for (login, account) in entry.get("users").map(Node::entries).unwrap_or_default() {
                if let Some(s) = account.get("oauth_token").and_then(Node::scalar) {
                    let loc = Loc::new(Some(host), "oauth_token").field("users").id(Some(login.as_str()));
                    sink.secret(s.span.clone(), s.value.clone(), loc);
                }
            }
        }
    }
}

/// RubyGems `credentials`: `:rubygems_api_key:` (for rubygems.org) and one key per other gem host URL.
pub(crate) fn rubygems(text: &[u8], sink: &mut Sink) {
    for doc in parse(text) {
        for (key, value) in doc.entries() {
            let Some(s) = value.scalar() else { continue };
            let name = key.trim_start_matches(':');
            let loc = match name {
                "rubygems_api_key" => Loc::new(Some("https://rubygems.org"), name),
                _ if name.contains("://") => Loc::new(Some(name), "api_key"),
                _ => Loc::new(None, name),
            };
            sink.secret(s.span.clone(), s.value.clone(), loc);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_bytes_and_cover_the_value() {
        let text = "é: \"q\\tz\"\nk: 'it''s'\nlit: |\n  ab\n  cd\n\nplain: a b  # c\nn: ~\n";
        let doc = parse(text.as_bytes()).remove(0);
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
    fn truncated_documents_keep_what_came_before() {
        let docs = parse(b"a: x\nb: [1, 2\nc: {");
        assert_eq!(docs[0].str_at("a").as_deref(), Some("x"));
        assert!(parse(&[0xff, b':', b' ', 0xfe]).len() <= 1);
    }
}
