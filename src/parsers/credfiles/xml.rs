//! Maven `settings.xml`: `<servers><server>` `password` and `passphrase` (profile: the server `id`, identifier: its
//! `username`), and `<proxies><proxy>` `password`. Read with `roxmltree` (node byte ranges). Values encrypted with
//! the master password (`{…}`, possibly with text around the braces) are skipped — they are only as strong as
//! `settings-security.xml`, which is a separate file — and `${env.X}` values are references.
use super::{Loc, Sink};

/// A `{base64}` block anywhere in the value: Maven's password encryption.
fn encrypted(value: &str) -> bool {
    value.match_indices('{').any(|(i, _)| {
        let rest = &value[i + 1..];
        rest.find('}').is_some_and(|end| {
            end >= 8 && rest[..end].bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        })
    })
}

pub(crate) fn maven(text: &[u8], sink: &mut Sink) {
    let src = super::super::document::sanitize(text);
    let options = roxmltree::ParsingOptions { allow_dtd: true, nodes_limit: 200_000, ..Default::default() };
    let Ok(doc) = roxmltree::Document::parse_with_options(&src, options) else { return };
    for entry in doc.descendants().filter(|n| n.is_element()) {
        let kind = entry.tag_name().name();
        let parent = entry.parent_element().map(|p| p.tag_name().name());
        if !matches!((kind, parent), ("server", Some("servers")) | ("proxy", Some("proxies"))) {
            continue;
        }
        let child = |name: &str| entry.children().find(|c| c.is_element() && c.tag_name().name() == name);
        let child_text = |name: &str| child(name).and_then(|c| c.text()).map(str::trim).filter(|t| !t.is_empty());
        let id = child_text("id");
        let user = child_text("username");
        for field in ["password", "passphrase"] {
            let Some(node) = child(field) else { continue };
            let Some(text_node) = node.first_child().filter(|c| c.is_text()) else { continue };
            let Some(value) = text_node.text().map(str::trim) else { continue };
            if encrypted(value) {
                continue;
            }
            let raw = text_node.range();
            let span = match src.get(raw.clone()).and_then(|r| r.find(value)) {
                Some(at) if !value.is_empty() => raw.start + at..raw.start + at + value.len(),
                _ => super::trimmed_span(src.as_bytes().get(raw.clone()).unwrap_or_default(), raw.start),
            };
            let loc = Loc::new(id, field).field(kind).id(user);
            sink.secret(span, value.as_bytes().to_vec(), loc);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn encrypted_values() {
        assert!(super::encrypted("{COQLCE6DU6GtcS5P=}"));
        assert!(super::encrypted("Oleg reset this password on 2009-03-11, expires on 2009-04-11 {COQLCE6DU6GtcS5P=}"));
        assert!(!super::encrypted("pa{ss}word"));
    }
}
