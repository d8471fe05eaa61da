//! One-line wording of errors: what a person reads on stderr and what the report lists per file.
//!
//! Errors end up in two places that both want one short, stable line: the report's `errors[]` (a file that could not
//! be read, and why) and the one-line `credsweep: error: …` on stderr. Library errors are often multi-line (toml's
//! carries a source excerpt) or vary with the platform; these functions make them one line.

/// What a loop of symlinks is called in the report: a link that was followed (`--follow-symlinks`, or a root) and
/// never reaches a file or directory. `ELOOP` from a read that does not follow links means something else: the link
/// was not followed ([`io_reason`]).
pub const SYMLINK_LOOP: &str = "symlink loop (the links never reach a file or directory)";

/// A short, stable reason for an I/O error, for the report's error list.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return "is a symbolic link (not followed)".into();
    }
    match e.kind() {
        NotFound => "not found (removed during the scan?)".into(),
        PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// [`io_reason`] for a file named by the user and read before the scan starts (a key file, a token file): a missing
/// one is missing, not "removed during the scan".
pub fn input_file_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        _ => io_reason(e),
    }
}

/// Turn a TOML parse error into one line: origin, message, line number. (toml's `Display` is multi-line, with a
/// source excerpt that could quote a secret.)
pub fn toml_error(text: &str, origin: &str, e: &toml::de::Error) -> anyhow::Error {
    let at = e
        .span()
        .map(|s| {
            let line = text[..s.start.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1;
            format!(" (line {line})")
        })
        .unwrap_or_default();
    // Some messages are themselves two lines ("invalid string" / "expected `\"`, `'`").
    let message: Vec<&str> = e.message().lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    anyhow::anyhow!("{origin}: {}{at}", message.join("; "))
}

/// An error and its causes on one line (`main` prints this after `credsweep: error:`), never a backtrace.
pub fn one_line(e: &anyhow::Error) -> String {
    e.chain().map(|c| c.to_string()).collect::<Vec<_>>().join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_are_one_line_with_the_line_number() {
        for text in ["a = 1\nb = = 2\n", "a = 1\nb = \"open\n", "a = 1\n[x\n"] {
            let e = toml::from_str::<toml::Table>(text).unwrap_err();
            let msg = toml_error(text, "f.toml", &e).to_string();
            assert!(msg.starts_with("f.toml: ") && msg.ends_with("(line 2)") && !msg.contains('\n'), "{msg}");
        }
    }

    #[test]
    fn io_reasons_are_stable() {
        let nf = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_reason(&nf), "not found (removed during the scan?)");
        let pd = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(io_reason(&pd), "permission denied");
        assert_eq!(input_file_reason(&nf), "no such file");
        assert_eq!(input_file_reason(&pd), "permission denied");
        let chain = anyhow::anyhow!("inner").context("outer");
        assert_eq!(one_line(&chain), "outer: inner");
    }
}
