//! What a value's *shape* says it is, when that is something other than a credential: a number in some language's
//! literal syntax, a date, time or version, a file name or relative path, a member access or reference in code, a
//! query string or cookie pair, or a name made of words (`project-cache-v7`, `fs.s3.cse.enabled`).
//!
//! Why: code and documentation assign such values to credential-sounding names all day — Windows error codes named
//! `ERROR_…_PASSWORD_NEEDED = 2150859079u32`, `INITIAL_KEY_2 = 0x3456_7890`, `colon2_token = &self.colon2_token`,
//! `PASS: gdb.base/annota3.exp` in a test log, `Key: access_logs.s3.enabled` in API documentation. Scanning real
//! trees (Cargo's registry, a Python installation with botocore, `/usr/share/doc`) showed these were most of what the
//! wide generic assignment rules reported; each shape below removed a family of them without losing a generated
//! value (the table test pins both sides).
//!
//! [`not_a_credential`] holds for every name; [`names_a_thing`] (names made of words) only where the value must look
//! generated, since a chosen password may be two words and digits (`Shadow1975.H`).

/// A number, date, version, file name or path, code reference, or query string (see the module documentation).
pub fn not_a_credential(v: &[u8]) -> bool {
    number(v)
        || date_time_or_version(v)
        || file_name(v)
        || relative_path(v)
        || reference(v)
        || query_string(v)
        || printf_format(v)
}

/// A printf format with a width and a precision (`VS%0.f0COMNTOOLS`, `%5.2f`): a template, not a value.
fn printf_format(v: &[u8]) -> bool {
    v.iter().enumerate().any(|(i, &c)| {
        let rest = &v[i + 1..];
        let width = rest.iter().take_while(|c| c.is_ascii_digit()).count();
        let after = &rest[width..];
        let precision = after.iter().skip(1).take_while(|c| c.is_ascii_digit()).count();
        c == b'%'
            && width > 0
            && after.first() == Some(&b'.')
            && after.get(1 + precision).is_some_and(|c| b"dfgeEFG".contains(c))
    })
}

/// A name made of words and short parts, joined by `-`, `_`, `.`, `:` or run together in camel case
/// (`project-cache-v7-`, `ec2:InstanceType`, `PublicIpv4Pools`, `taint-new-key-1`): what a person or a schema named,
/// not what a generator produced.
pub fn names_a_thing(v: &[u8]) -> bool {
    let parts = name_parts(v);
    !parts.is_empty() && parts.iter().all(|p| name_like(p, true)) && has_words(&parts)
}

/// The parts of `v` between `-`, `_`, `.` and `:`.
fn name_parts(v: &[u8]) -> Vec<&[u8]> {
    v.split(|c| b"-_.:".contains(c)).filter(|p| !p.is_empty()).collect()
}

/// Every part of `v` is [`name_like`], leniently (a path's or file name's parts: `rsa-2048`, `gdb669`, `pr21231a`,
/// abbreviations included), words or not.
fn all_name_like(v: &[u8]) -> bool {
    // `c++` in a path: a separator too.
    let parts: Vec<&[u8]> = v.split(|c| b"-_.:+".contains(c)).filter(|p| !p.is_empty()).collect();
    !parts.is_empty() && parts.iter().all(|p| name_like(p, false))
}

/// Integer and float literals of C, Rust, Go, Java, C#, JavaScript, Python: sign, `0x`/`0o`/`0b` prefix, `_` digit
/// separators, exponent, type suffix (`u32`, `i64`, `usize`, `UL`, `LL`, `f`, `n` …). A `0x` literal longer than 16
/// digits is no machine integer: an Ethereum private key (`0x` and 64 hex digits) stays a candidate.
fn number(v: &[u8]) -> bool {
    const SUFFIXES: &[&str] = &[
        "u128", "i128", "usize", "isize", "u16", "u32", "u64", "i16", "i32", "i64", "f32", "f64", "u8", "i8", "ull",
        "ul", "ll", "lu", "u", "l", "f", "d", "m", "n",
    ];
    let s = String::from_utf8_lossy(v).to_ascii_lowercase();
    let s = s.trim_start_matches(['-', '+']);
    let (digits, radix) = match s.get(..2) {
        Some("0x") => (&s[2..], 16),
        Some("0b") => (&s[2..], 2),
        Some("0o") => (&s[2..], 8),
        _ => (s, 10),
    };
    let body = SUFFIXES
        .iter()
        .find_map(|x| {
            digits.strip_suffix(x).filter(|b| !b.is_empty() && (radix != 16 || x.len() > 1 || b.ends_with('_')))
        })
        .unwrap_or(digits)
        .trim_end_matches('_');
    let count = body.chars().filter(|c| c.is_digit(radix)).count();
    let ok = match radix {
        10 => {
            body.chars().all(|c| c.is_ascii_digit() || "_.e+-".contains(c))
                && body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        }
        16 => body.chars().all(|c| c.is_ascii_hexdigit() || c == '_') && count <= 16,
        _ => body.chars().all(|c| c.is_digit(radix) || c == '_'),
    };
    ok && count > 0
}

/// `2016-09-08T21:47:36Z`, `2024-05-01`, `21:47:36`, `v1.2.3`, `1.2.3-beta.4`, `3.11.7+build2`.
fn date_time_or_version(v: &[u8]) -> bool {
    let d = |i: usize| v.get(i).is_some_and(u8::is_ascii_digit);
    let date = v.len() >= 10 && (0..4).all(d) && v[4] == b'-' && d(5) && d(6) && v[7] == b'-' && d(8) && d(9);
    let time = v.len() >= 5 && d(0) && d(1) && v[2] == b':' && d(3) && d(4);
    let core = v.strip_prefix(b"v").or_else(|| v.strip_prefix(b"V")).unwrap_or(v);
    let end = core.iter().position(|c| *c == b'-' || *c == b'+').unwrap_or(core.len());
    let numbers: Vec<&[u8]> = core[..end].split(|c| *c == b'.').collect();
    let version = numbers.len() >= 2 && numbers.iter().all(|n| !n.is_empty() && n.iter().all(u8::is_ascii_digit));
    date || time || version
}

/// Extensions of files people name in configuration and documentation.
const EXTENSIONS: &str = "\
    zip tar gz tgz bz2 xz zst 7z rar jar war ear whl deb rpm apk bin exe dll so dylib img iso ova vmdk qcow2 mp4 \
    mp3 mov avi wav png jpg jpeg gif svg webp ico pdf pem key crt cer der p12 pfx jks csr pub json yaml yml xml \
    toml ini cfg conf properties env txt md rst log csv tsv sql db sqlite sh ps1 bat py pyc js mjs ts rb go rs \
    java class kt c h cc cpp hpp cs php pl html htm css exp out o obj bak tmp lock asc gpg sig";

/// A file name: a known extension after a name made of words and short parts (`WordPress_App_2-0.zip`,
/// `large-video-file.mp4`, `param:secp384r1.pem`), with an optional trailing `:` (`check.log`'s `PASS: x.exp:`).
fn file_name(v: &[u8]) -> bool {
    let v = v.strip_suffix(b":").unwrap_or(v);
    let Some(dot) = v.iter().rposition(|c| *c == b'.') else { return false };
    // As written: `Shadow1975.H` is a password, not a C header.
    let ext = String::from_utf8_lossy(&v[dot + 1..]);
    let stem = &v[..dot];
    let stem = stem.rsplit(|c| *c == b'/').next().unwrap_or(stem);
    EXTENSIONS.split_ascii_whitespace().any(|e| e == ext) && !stem.is_empty() && all_name_like(stem)
}

/// A relative path: parts between `/` that are each names (`test-ca/rsa-2048/end.key`, `ld-i386/pr19636-2d`,
/// `my-app/5026-stage-150723_224258.war`, `multipart/01`), at least one of them with a `-` or a lower-case run of
/// three letters. Standard base64 has no `-`, and its `/` separates random mixed-case runs, which are no names.
fn relative_path(v: &[u8]) -> bool {
    let v = v.strip_suffix(b":").unwrap_or(v);
    if !v.contains(&b'/') || v.starts_with(b"/") {
        return false;
    }
    let parts: Vec<&[u8]> = v.split(|c| *c == b'/').filter(|p| !p.is_empty()).collect();
    parts.len() >= 2
        && parts.iter().all(|p| all_name_like(p))
        && parts.iter().any(|p| p.contains(&b'-') || p.windows(3).any(|w| w.iter().all(u8::is_ascii_lowercase)))
}

/// Code that refers to a value: `&self.colon2_token`, `*ptr`, `@attr`, `node.colon2_token`, `win32api.RegEnumKey`
/// (a chain of identifiers whose first starts in lower case or `_`, as a variable or module does:
/// `_win32typing.PyCredHandle`).
fn reference(v: &[u8]) -> bool {
    let v = v.strip_prefix(b"&mut ").unwrap_or(v);
    let v = v.strip_prefix(b"&").or_else(|| v.strip_prefix(b"*")).or_else(|| v.strip_prefix(b"@")).map_or(v, |rest| {
        if rest.first().is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') {
            return b"self.x".as_slice(); // a sigil before an identifier: code, whatever follows
        }
        v
    });
    let parts: Vec<&[u8]> = v.split(|c| *c == b'.').collect();
    let ident = |p: &&[u8]| {
        p.first().is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
            && p.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
    };
    parts.len() >= 2
        && parts.iter().all(ident)
        && (parts[0][0].is_ascii_lowercase() || parts[0][0] == b'_')
        && parts.iter().all(|p| all_name_like(p))
        // The variable or module a chain starts from is a short name or words (`node`, `_win32typing`).
        && (parts[0].len() <= 5 || names_a_thing(parts[0]))
}

/// A query string or a list of pairs (`a=1&b=2`, `val&key2=val2`).
fn query_string(v: &[u8]) -> bool {
    let pieces: Vec<&[u8]> = v.split(|c| *c == b'&').collect();
    pieces.len() >= 2 && pieces[1..].iter().all(|p| pair_value(p).is_some())
}

/// The value of a `name=value` pair (a cookie, a setting: `session=Zm9v…`, `uuid=7f46…`, `PART_NUMBER=ROCKET_0001`),
/// which is what to judge; `None` when `v` is no such pair (base64 padding `dGhpcw==` is none).
pub fn pair_value(v: &[u8]) -> Option<&[u8]> {
    let eq = v.iter().position(|c| *c == b'=')?;
    let name = &v[..eq];
    let ok = !name.is_empty()
        && name[0].is_ascii_alphabetic()
        && name.iter().all(|c| c.is_ascii_alphanumeric() || b"_.-[]".contains(c))
        && !v[eq..].iter().all(|c| *c == b'=');
    ok.then(|| &v[eq + 1..])
}

/// `v` with its `%XX` escapes decoded, when it has any: a URL-encoded value is judged as what it encodes
/// (`secure%20password` is two words, `n%2BEalOV6…%3D` base64).
pub fn percent_decoded(v: &[u8]) -> Option<Vec<u8>> {
    memchr::memchr(b'%', v)?;
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(v.len());
    let (mut i, mut any) = (0, false);
    while i < v.len() {
        match (v[i], v.get(i + 1).and_then(|&c| hex(c)), v.get(i + 2).and_then(|&c| hex(c))) {
            (b'%', Some(h), Some(l)) => {
                out.push(h << 4 | l);
                i += 3;
                any = true;
            }
            (c, ..) => {
                out.push(c);
                i += 1;
            }
        }
    }
    // An escape decodes to text (UTF-8, no control characters); `%85` alone in a random password does not.
    let text = std::str::from_utf8(&out).is_ok_and(|t| !t.chars().any(char::is_control));
    (any && text).then_some(out)
}

/// One part of a name (no separators): short (`v7`, `s3`, `i386`, `A32`), digits, or words in lower, upper,
/// capitalised or camel case with few digits among them (`EntitiesDetection`, `pr19636`, `Ipv6Cidr`, `secp384r1`).
/// A generator's output changes between letters and digits, and between cases, every few characters, so split at
/// those changes it falls into many one- and two-letter pieces, and its longer pieces are often unpronounceable
/// (`Jpvc`, `Whjvax` … no vowel, or long consonant runs). Paths and file names (`strict` false) are full of
/// abbreviations (`gdb`, `pr21231a`, `shstk`): there only pieces of six letters or more must be pronounceable, and two short
/// pieces are allowed.
fn name_like(p: &[u8], strict: bool) -> bool {
    if !p.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    if p.len() <= 5 {
        return true;
    }
    let class_changes = p.windows(2).filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit()).count();
    let pieces = camel_pieces(p);
    let letters = || pieces.iter().filter(|s| s[0].is_ascii_alphabetic());
    let short = letters().filter(|s| s.len() <= 2).count();
    let upper = |s: &&[u8]| s.iter().all(u8::is_ascii_uppercase);
    let (max_short, min_pronounced, max_run) = if strict { (1, 3, 4) } else { (2, 6, 8) };
    let spoken = |s: &&[u8]| !upper(s) && s.len() >= 3 && pronounceable(s, max_run);
    // Mixed case: words carry the part (`aFRHI4BicUDIR` is capitals around one short syllable).
    let mixed = p.iter().any(u8::is_ascii_lowercase) && p.iter().any(u8::is_ascii_uppercase);
    let total: usize = letters().map(|s| s.len()).sum();
    let worded = !strict || !mixed || 2 * letters().filter(|s| spoken(s)).map(|s| s.len()).sum::<usize>() >= total;
    class_changes <= 3
        && short <= max_short
        && worded
        && letters()
            .all(|s| if upper(s) { s.len() <= 10 } else { s.len() < min_pronounced || pronounceable(s, max_run) })
}

/// A name made of parts holds words: two parts with a pronounceable piece of three letters or more, or one long
/// part with one (`objectkey1`, `PublicIpv4Pools`).
fn has_words(parts: &[&[u8]]) -> bool {
    let word =
        |p: &[u8]| camel_pieces(p).iter().any(|s| s.len() >= 3 && s[0].is_ascii_alphabetic() && pronounceable(s, 4));
    parts.iter().filter(|p| word(p)).count() >= 2 || parts.iter().any(|p| p.len() > 5 && word(p))
}

/// Has a vowel (`y` counts) and no run of more than `max_run` consonants: `Cidr`, `secp`, `dwarf`, not `Jpvc`.
fn pronounceable(s: &[u8], max_run: usize) -> bool {
    let vowel = |c: &u8| b"aeiouy".contains(&c.to_ascii_lowercase());
    let mut run = 0;
    for c in s {
        run = if vowel(c) { 0 } else { run + 1 };
        if run > max_run {
            return false;
        }
    }
    s.iter().any(vowel)
}

/// `PublicIpv4Pools` → `Public`, `Ipv`, `4`, `Pools`; `HTTPServer` → `HTTP`, `Server`: splits between letters and
/// digits, before an upper-case letter after a lower-case one, and before the last capital of a run that starts a
/// word.
fn camel_pieces(p: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..p.len() {
        let (a, b) = (p[i - 1], p[i]);
        let next_lower = p.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        let split = a.is_ascii_digit() != b.is_ascii_digit()
            || (a.is_ascii_lowercase() && b.is_ascii_uppercase())
            || (a.is_ascii_uppercase() && b.is_ascii_uppercase() && next_lower);
        if split {
            out.push(&p[start..i]);
            start = i;
        }
    }
    out.push(&p[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values from real trees that are not credentials, by the shape that says so.
    const NOT: &[&str] = &[
        "2150859079u32",
        "-2147217308i32",
        "0xC000006C_u32",
        "0x3456_7890",
        "67108864u32",
        "1.5e10",
        "2016-09-08T21:47:36Z",
        "21:47:36",
        "v1.2.3",
        "3.11.7+build2",
        "WordPress_App_2-0.zip",
        "large-video-file.mp4",
        "param:secp384r1.pem",
        "test-ca/rsa-2048/end.key",
        "gdb.dwarf2/dw2-dir-file-name.exp:",
        "ld-i386/pr19636-2d",
        "my-app/5026-stage-150723_224258.war",
        "gdb.mi/gdb669.exp:",
        "binutils-all/i386/pr21231a",
        "pr28639a.o",
        "ld-i386/property-x86-shstk1a",
        "gdb.dwarf2/dw2-compdir-oldgcc.exp:",
        "gdb.dwarf2/implptr-64bit.exp:",
        "gdb.cp/infcall-nodebug-c++-d0.exp:",
        "gdb.dwarf2/implptrconst.exp:",
        "&self.colon2_token",
        "&Utf8SuffixKey",
        "node.colon2_token",
        "win32api.RegEnumKey",
        "val&key2=val2",
        "VS%0.f0COMNTOOLS",
        "_win32typing.PyCredHandle",
        "_win32typing.PyHKEY",
    ];

    #[test]
    fn pairs() {
        assert_eq!(pair_value(b"session=Zm9vYmFy"), Some(&b"Zm9vYmFy"[..]));
        assert_eq!(pair_value(b"keebler=E=mc2"), Some(&b"E=mc2"[..]));
        assert_eq!(pair_value(b"dGhpcw=="), None, "base64 padding");
        assert_eq!(pair_value(b"q8Vt2mZr4LkPp9xY"), None);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decoded(b"secure%20password").as_deref(), Some(&b"secure password"[..]));
        assert_eq!(percent_decoded(b"p%2540ss").as_deref(), Some(&b"p%40ss"[..]));
        assert_eq!(percent_decoded(b"100%"), None);
        assert_eq!(percent_decoded(b"q8Vt2mZr4LkPp9xY"), None);
        assert_eq!(percent_decoded(b"K3r^Ts-%858A"), None, "%85 alone is no UTF-8: not an escape");
        assert_eq!(percent_decoded(b"%c3%89t%C3%A9").as_deref(), Some("Été".as_bytes()));
    }
    /// Names made of words, rejected where a value must look generated.
    const NAMES: &[&str] = &[
        "project-cache-v7-",
        "fs.s3.cse.enabled",
        "ec2:InstanceType",
        "PublicIpv4Pools",
        "taint-new-key-1",
        "objectkey1",
    ];
    /// Generated values and passwords, which no shape may take.
    const CREDENTIALS: &[&str] = &[
        "q8Vt2mZr4LkPp9xY",
        "Zm9vYmFyLXNlY3JldC0xMjM0NTY3",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
        "AbmE21MCNvScDLTcYVp_ieBqkgJ7UGhtWOzcCG0Bh2X",
        "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
        "4f9c2a7e1b3d8f6a0c5e9b2d7a1f4c8e",
        "a7F!k2@Lm9#pQ4",
        "3c4f1e9a-QW8z-77Kd-pp0X",
        "dGhpc2lzYXNlY3JldA==",
        "MYH6q8cKaAxlReFz7pSQDlbGeS4uJPqI",
        // Random values the first version of `name_like` took for names (one digit, short humps, short parts).
        "RuqOeAqFOQnvrz9S",
        "76fb352e-3e2a-401e-ad6f-afcf3616d109",
        "Pgkq0_4wbHQ-84",
        "bT1e9_WBZ-_apk.cS8C",
        "lipz2JpvcR._J6",
        "citgoPE804ssBrar",
        "GESHXlUsWhjvax4fztaavD40",
        "MBQg_2ldDDRE2yv",
        "EzKd-bf_ZO_8tUuc",
        "K3r^Ts-%858A4GFOqzM6",
        "aFRHI4BicUDIR_yTHZ8",
        "Mp1@Z~Vsx4d%1.pU9H",
        "n9%.sjkmq5INaVd^s6t",
    ];
    /// Chosen passwords: not names, whatever their words.
    const PASSWORDS: &[&str] = &["Shadow1975.H", "Summer1999!X", "Tr0ub4dor&3x", "Monkey1996*E"];

    #[test]
    fn shapes() {
        for v in NOT {
            assert!(not_a_credential(v.as_bytes()), "{v} should be no credential");
        }
        for v in NAMES {
            assert!(names_a_thing(v.as_bytes()), "{v} should be a name");
            assert!(!not_a_credential(v.as_bytes()) || v.contains('.'), "{v}: a name, not a strong shape");
        }
        for v in CREDENTIALS.iter().chain(PASSWORDS) {
            assert!(!not_a_credential(v.as_bytes()), "{v} is a credential");
        }
        for v in CREDENTIALS {
            assert!(!names_a_thing(v.as_bytes()), "{v} is no name");
        }
    }
}
