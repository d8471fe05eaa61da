//! Strings from the filesystem (and anything else we did not write) made safe for a terminal.
//!
//! A file name may hold escape sequences or bidi controls that would rewrite the terminal or disguise a path (fd's
//! `sanitize.rs` lesson, see `../shared/STYLE.md`). Everything that prints such a string to a person — the human
//! report, remediation hints, warnings and errors on stderr — goes through [`sanitize`] first. Machine formats (JSON,
//! SARIF) escape by their own rules and keep the exact text.
use std::fmt::Write as _;

/// Escape control characters (C0, DEL, C1) and Unicode bidi/format controls so they print as visible text.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bidi =
            matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_escapes_controls_and_bidi() {
        assert_eq!(sanitize("a\x1b[31mb"), "a\\u{1b}[31mb");
        assert_eq!(sanitize("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(sanitize("new\nline"), "new\\u{a}line");
        assert_eq!(sanitize("plain/ünïcode"), "plain/ünïcode");
    }
}
