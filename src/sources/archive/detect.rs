//! Which archive format a file or member is, from its first bytes and its name.
//!
//! Content decides: a `.jar`, `.whl`, `.apk` or `.docx` is a zip because it starts with a zip signature, whatever it
//! is called, and a gzip stream is one whatever its suffix. The name is a fallback only for *binary* data without a
//! signature (a corrupt or truncated archive), so that it is listed with a reason rather than silently skipped; a text
//! file misnamed `notes.gz` stays a text file and is scanned as one.
//!
//! Signatures: zip (APPNOTE.TXT 4.3.7 local header `PK\x03\x04`, 4.3.16 empty-archive end record `PK\x05\x06`,
//! 8.5.3 spanned marker `PK\x07\x08`), gzip (RFC 1952 §2.3.1 `1f 8b` + method 8), bzip2 (`BZh1`–`BZh9` followed by a
//! block or end-of-stream magic), xz (xz-file-format §2.1.1.1 `fd 37 7a 58 5a 00`), zstd (RFC 8878 §3.1.1 frame
//! magic `28 b5 2f fd`), tar (POSIX ustar `ustar` at offset 257, or an old v7 header whose checksum is right).
use super::Kind;

/// Bytes of a member read before deciding what it is: a whole tar header block.
pub const HEAD: usize = 512;

/// The archive format of data starting with `head`, named `name` (a path: only its suffix is looked at).
///
/// `head` should hold the first [`HEAD`] bytes when there are that many (tar is recognised at offset 257). Empty
/// data is never an archive.
pub fn detect(name: &[u8], head: &[u8]) -> Option<Kind> {
    if head.is_empty() {
        return None;
    }
    by_magic(head).or_else(|| {
        let binary = memchr::memchr(0, &head[..head.len().min(8192)]).is_some();
        binary.then(|| by_name(name)).flatten()
    })
}

/// The format a signature says, if any.
pub fn by_magic(head: &[u8]) -> Option<Kind> {
    by_signature(head).or_else(|| is_tar(head).then_some(Kind::Tar))
}

/// The format of a leading signature: every format but tar, whose header block is read whole (its checksum sums it),
/// so a text file, which can only be a bzip2 or zstd stream, is looked at here only.
pub fn by_signature(head: &[u8]) -> Option<Kind> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") || head.starts_with(b"PK\x07\x08PK\x03\x04") {
        Some(Kind::Zip)
    } else if head.starts_with(&[0x1f, 0x8b, 0x08]) {
        Some(Kind::Gzip)
    } else if is_bzip2(head) {
        Some(Kind::Bzip2)
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Some(Kind::Xz)
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some(Kind::Zstd)
    } else {
        None
    }
}

/// `BZh` + block size digit + the first block's magic (π) or the end-of-stream magic (√π) of an empty stream.
fn is_bzip2(head: &[u8]) -> bool {
    head.len() >= 10
        && head.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&head[3])
        && (head[4..10] == [0x31, 0x41, 0x59, 0x26, 0x53, 0x59] || head[4..10] == [0x17, 0x72, 0x45, 0x38, 0x50, 0x90])
}

/// A tar header block: the ustar magic (POSIX and GNU spellings), or a v7 header whose checksum adds up.
pub fn is_tar(head: &[u8]) -> bool {
    if head.len() < HEAD {
        return false;
    }
    let block = &head[..HEAD];
    if &block[257..262] == b"ustar" {
        return true;
    }
    // v7: no magic. The checksum (octal, bytes 148..156) is the sum of the block with the checksum field as spaces.
    let Some(stored) = octal(&block[148..156]) else { return false };
    let sum: u64 =
        block.iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { 32 } else { u64::from(b) }).sum();
    block[0] != 0 && stored == sum
}

/// A NUL- or space-terminated octal field, as tar writes them.
fn octal(field: &[u8]) -> Option<u64> {
    let digits: &[u8] = field.trim_ascii_start();
    let end = digits.iter().position(|&c| c == 0 || c == b' ').unwrap_or(digits.len());
    let digits = &digits[..end];
    if digits.is_empty() || !digits.iter().all(|c| (b'0'..=b'7').contains(c)) {
        return None;
    }
    digits.iter().try_fold(0u64, |n, &c| n.checked_mul(8)?.checked_add(u64::from(c - b'0')))
}

/// Name suffixes of archives, longest first where one ends another (`.tar.gz` before `.gz`). Matched without case.
const SUFFIXES: &[(&str, Kind)] = &[
    (".zip", Kind::Zip),
    (".jar", Kind::Zip),
    (".war", Kind::Zip),
    (".ear", Kind::Zip),
    (".whl", Kind::Zip),
    (".nupkg", Kind::Zip),
    (".apk", Kind::Zip),
    (".ipa", Kind::Zip),
    (".aar", Kind::Zip),
    (".tar", Kind::Tar),
    (".tgz", Kind::Gzip),
    (".gz", Kind::Gzip),
    (".tbz", Kind::Bzip2),
    (".tbz2", Kind::Bzip2),
    (".bz2", Kind::Bzip2),
    (".txz", Kind::Xz),
    (".xz", Kind::Xz),
    (".tzst", Kind::Zstd),
    (".zst", Kind::Zstd),
];

/// The format a name's suffix says, if any.
pub fn by_name(name: &[u8]) -> Option<Kind> {
    SUFFIXES.iter().find(|(s, _)| ends_with_ignore_case(name, s.as_bytes())).map(|&(_, k)| k)
}

fn ends_with_ignore_case(name: &[u8], suffix: &[u8]) -> bool {
    name.len() > suffix.len() && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// The name of the one member of a compressed stream: the stream's own name without the compression suffix
/// (`notes.txt.gz` → `notes.txt`, `backup.tgz` → `backup.tar`), so the scanner classifies the member by its real name.
/// A stream whose name has no such suffix gives its whole name.
pub fn stream_member_name(stream_name: &[u8]) -> Vec<u8> {
    let base = stream_name.rsplit(|&c| c == b'/' || c == b'!').next().unwrap_or(stream_name);
    for (suffix, replacement) in
        [(".tgz", ".tar"), (".tbz2", ".tar"), (".tbz", ".tar"), (".txz", ".tar"), (".tzst", ".tar")]
    {
        if ends_with_ignore_case(base, suffix.as_bytes()) {
            let mut name = base[..base.len() - suffix.len()].to_vec();
            name.extend_from_slice(replacement.as_bytes());
            return name;
        }
    }
    for suffix in [".gz", ".bz2", ".xz", ".zst"] {
        if ends_with_ignore_case(base, suffix.as_bytes()) {
            return base[..base.len() - suffix.len()].to_vec();
        }
    }
    base.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ustar_block(name: &[u8], magic: bool) -> Vec<u8> {
        let mut b = vec![0u8; 512];
        b[..name.len()].copy_from_slice(name);
        b[100..107].copy_from_slice(b"0000644");
        b[124..135].copy_from_slice(b"00000000005");
        if magic {
            b[257..263].copy_from_slice(b"ustar\0");
        }
        b[148..156].fill(b' ');
        let sum: u32 = b.iter().map(|&c| u32::from(c)).sum();
        b[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        b
    }

    #[test]
    fn magic_decides_whatever_the_name() {
        assert_eq!(detect(b"lib.bin", b"PK\x03\x04\x14\0\0\0"), Some(Kind::Zip));
        assert_eq!(detect(b"empty.zip", b"PK\x05\x06\0\0\0\0"), Some(Kind::Zip));
        assert_eq!(detect(b"x", &[0x1f, 0x8b, 0x08, 0, 0, 0]), Some(Kind::Gzip));
        assert_eq!(detect(b"x", b"BZh91AY&SY\0\0"), Some(Kind::Bzip2));
        assert_eq!(detect(b"x", b"BZh9\x17\x72\x45\x38\x50\x90"), Some(Kind::Bzip2));
        assert_eq!(detect(b"x", &[0xfd, b'7', b'z', b'X', b'Z', 0, 0, 4]), Some(Kind::Xz));
        assert_eq!(detect(b"x", &[0x28, 0xb5, 0x2f, 0xfd, 0x24]), Some(Kind::Zstd));
        assert_eq!(detect(b"x", &ustar_block(b"etc/app/.env", true)), Some(Kind::Tar));
        assert_eq!(detect(b"x", &ustar_block(b"old/v7.txt", false)), Some(Kind::Tar));
    }

    #[test]
    fn not_archives() {
        assert_eq!(detect(b"a.zip", b""), None);
        assert_eq!(
            detect(b"notes.gz", b"just some text that is not gzip\n"),
            None,
            "text keeps its name's promise off"
        );
        assert_eq!(detect(b"x", b"BZh1 is how this line starts"), None);
        let mut bad_sum = ustar_block(b"v7.txt", false);
        bad_sum[0] = b'w';
        assert_eq!(detect(b"x", &bad_sum), None);
        assert_eq!(detect(b"x", &[0u8; 512]), None, "zeros are not a v7 tar header");
        assert!(!is_tar(&ustar_block(b"short", true)[..300]));
    }

    #[test]
    fn binary_without_magic_falls_back_to_the_name() {
        let junk = b"\0\x01\x02garbage";
        assert_eq!(detect(b"dir/Backup.ZIP", junk), Some(Kind::Zip));
        assert_eq!(detect(b"app.whl", junk), Some(Kind::Zip));
        assert_eq!(detect(b"lib.nupkg", junk), Some(Kind::Zip));
        assert_eq!(detect(b"x.tar.gz", junk), Some(Kind::Gzip));
        assert_eq!(detect(b"x.tbz2", junk), Some(Kind::Bzip2));
        assert_eq!(detect(b"x.tar.zst", junk), Some(Kind::Zstd));
        assert_eq!(detect(b"x.txz", junk), Some(Kind::Xz));
        assert_eq!(detect(b"x.tar", junk), Some(Kind::Tar));
        assert_eq!(detect(b"x.bin", junk), None);
        assert_eq!(detect(b".gz", junk), None, "a bare suffix is a name, not an extension");
    }

    #[test]
    fn stream_member_names() {
        assert_eq!(stream_member_name(b"/home/a/notes.txt.gz"), b"notes.txt");
        assert_eq!(stream_member_name(b"a.zip!dir/.env.bz2"), b".env");
        assert_eq!(stream_member_name(b"backup.TGZ"), b"backup.tar");
        assert_eq!(stream_member_name(b"dump.sql.zst"), b"dump.sql");
        assert_eq!(stream_member_name(b"blob"), b"blob");
    }

    #[test]
    fn octal_fields() {
        assert_eq!(octal(b"0000644\0"), Some(0o644));
        assert_eq!(octal(b"  17 \0"), Some(0o17));
        assert_eq!(octal(b"\0\0\0"), None);
        assert_eq!(octal(b"12x"), None);
    }
}
