//! Binary files (issue #14), through the real binary: the printable strings (ASCII and UTF-16LE) of a core dump, a
//! `.pyc`, a SQLite database and a leveldb log are scanned by the token rules only, each finding at the byte offset
//! of its secret (line 1, column offset + 1); a file over 4 MiB is read in chunks with exact offsets; executables and
//! media are skipped unless `--scan-binaries`; a binary member of an archive is treated the same way.
use serde_json::Value;

use crate::{
    archives::{at, zip_of},
    common::{assert_schema_valid, findings, github_token, run, scan_json, sha256, tree, Rng, B62},
};

/// Random bytes that never make a string: the high bit set, a NUL every few bytes.
fn noise(rng: &mut Rng, len: usize) -> Vec<u8> {
    (0..len).map(|i| if i % 5 == 4 { 0 } else { (rng.next() as u8) | 0x80 }).collect()
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).expect("planted")
}

/// An ELF header of type `e_type` (1 relocatable, 2 executable, 3 shared object, 4 core), 64-bit little-endian.
fn elf(e_type: u16) -> Vec<u8> {
    let mut h = b"\x7fELF\x02\x01\x01".to_vec();
    h.resize(16, 0);
    h.extend(e_type.to_le_bytes());
    h.extend(0x3eu16.to_le_bytes());
    h.resize(64, 0);
    h
}

/// The one finding of `v` for `token`, checked to sit at `offset` as binary findings do.
fn binary_finding<'v>(v: &'v Value, token: &str, offset: usize) -> &'v Value {
    let found: Vec<&Value> = findings(v).iter().filter(|f| f["fingerprint"] == sha256(token)).collect();
    assert_eq!(found.len(), 1, "{token}: {:#?}", findings(v));
    let f = found[0];
    assert_eq!(f["offset"], offset, "{f}");
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(1), Some(offset as u64 + 1)), "{f}");
    f
}

#[test]
fn strings_of_binary_files_are_scanned_by_token_rules_at_their_byte_offset() {
    let mut rng = Rng::new();
    let t = tree();
    let d = t.path();
    let tokens: Vec<String> = (0..5).map(|_| github_token(&mut rng)).collect();
    // A generated value mixes letters and digits (one in 35 of 20 random base62 characters has no digit, and is not
    // reported: the generic rules want both).
    let password = format!("db_password = \"{}{}\"", rng.string(B62, 19), rng.string(b"0123456789", 1));
    // A core dump: environment strings in ASCII, and a wide (UTF-16LE) one, as Windows keeps them.
    let mut core = elf(4);
    core.extend(noise(&mut rng, 5000));
    core.extend(format!("HOME=/home/dev\0GITHUB_TOKEN={}\0PATH=/usr/bin\0", tokens[0]).as_bytes());
    core.extend(noise(&mut rng, 3000));
    core.extend(utf16(&format!("GH_TOKEN={}", tokens[1])));
    core.extend(noise(&mut rng, 100));
    // A .pyc: CPython's magic, flags, then marshalled constants ('z' + length + bytes for a short string).
    let mut pyc = b"\xa7\x0d\x0d\x0a\0\0\0\0".to_vec();
    pyc.extend(noise(&mut rng, 200));
    pyc.extend([b'z', 40]);
    pyc.extend(tokens[2].as_bytes());
    pyc.extend(noise(&mut rng, 200));
    // A SQLite file: a token in a row, and a password assignment that only the generic rules would report.
    let mut db = b"SQLite format 3\0\x10\0\x01\x01\0\x40\x20\x20".to_vec();
    db.extend(noise(&mut rng, 4000));
    db.extend(format!("\x01\x02{password}\0\x03{}\x04", tokens[3]).as_bytes());
    db.extend(noise(&mut rng, 4000));
    // A leveldb log record (checksum, length, type), then a key and a JSON value.
    let mut log = vec![0x9a, 0x1c, 0x00, 0x7f, 0x40, 0x00, 0x01];
    log.extend(format!("_https://app.example\0\x01{{\"token\":\"{}\"}}", tokens[4]).as_bytes());
    log.extend(noise(&mut rng, 500));
    for (rel, data) in [("core.4242", &core), ("app.cpython-312.pyc", &pyc), ("state.db", &db), ("000003.log", &log)] {
        std::fs::write(d.join(rel), data).unwrap();
    }
    // The same assignment in text is reported: the rules would see it; in binary strings they are not run.
    std::fs::write(d.join("notes.txt"), format!("{password}\n")).unwrap();
    let v = scan_json(d, &[]).json();
    binary_finding(&v, &tokens[0], find(&core, tokens[0].as_bytes()));
    binary_finding(&v, &tokens[1], find(&core, &utf16(&tokens[1])));
    binary_finding(&v, &tokens[2], find(&pyc, tokens[2].as_bytes()));
    binary_finding(&v, &tokens[3], find(&db, tokens[3].as_bytes()));
    let f = binary_finding(&v, &tokens[4], find(&log, tokens[4].as_bytes()));
    assert!(f.get("context").is_none(), "no parser runs on strings");
    let root = d.to_str().unwrap();
    let generic: Vec<&Value> =
        findings(&v).iter().filter(|f| f["rule"].as_str().unwrap().starts_with("generic-")).collect();
    assert_eq!(generic.len(), 1, "{generic:#?}");
    assert_eq!(generic[0]["path"], format!("{root}/notes.txt"));
    assert!(generic[0].get("offset").is_none());
    assert_eq!(findings(&v).len(), 6);
    assert_eq!(v["stats"]["strings_scanned"], 4);
    assert_eq!(v["stats"]["files_scanned"], 5);
    assert_schema_valid(&v);
    // SARIF says the same place as a byte offset.
    let r = run(&["scan", d.join("state.db").to_str().unwrap(), "--format", "sarif", "--no-progress"]);
    let sarif: Value = serde_json::from_str(&r.stdout()).unwrap();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    let offset = find(&db, tokens[3].as_bytes());
    assert_eq!(region["byteOffset"], offset);
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(1), Some(offset as u64 + 1)));
}

#[test]
fn a_big_binary_file_is_read_in_chunks_with_exact_offsets() {
    let mut rng = Rng::new();
    let t = tree();
    let tokens: Vec<String> = (0..4).map(|_| github_token(&mut rng)).collect();
    let mut data = noise(&mut rng, 10 << 20);
    // Near the first chunk's ownership border (4 MiB less the 128 KiB overlap), past it, a wide one, and near the end.
    let spots = [(4 << 20) - (128 << 10) - 10, (4 << 20) + 7, (6 << 20) + 1, (10 << 20) - 100];
    for (i, (&at, token)) in spots.iter().zip(&tokens).enumerate() {
        let bytes = if i == 2 { utf16(token) } else { token.as_bytes().to_vec() };
        data[at - 1] = 0;
        data[at..at + bytes.len()].copy_from_slice(&bytes);
        data[at + bytes.len()] = 0;
    }
    std::fs::write(t.path().join("heap.dmp"), &data).unwrap();
    let v = scan_json(t.path(), &[]).json();
    for (&at, token) in spots.iter().zip(&tokens) {
        binary_finding(&v, token, at);
    }
    assert_eq!(findings(&v).len(), 4);
    assert_eq!(
        (v["stats"]["strings_scanned"].as_u64(), v["stats"]["bytes_scanned"].as_u64()),
        (Some(1), Some(10 << 20))
    );
}

#[test]
fn executables_and_media_are_skipped_unless_scan_binaries() {
    let mut rng = Rng::new();
    let t = tree();
    let d = t.path();
    let (in_so, in_exe, in_png, in_core) =
        (github_token(&mut rng), github_token(&mut rng), github_token(&mut rng), github_token(&mut rng));
    let mut so = elf(3);
    so.extend(noise(&mut rng, 1000));
    so.extend(format!("\0{in_so}\0").as_bytes());
    std::fs::write(d.join("libvendor.so.1"), &so).unwrap();
    // A PE executable: MZ, e_lfanew at 0x3c, PE\0\0 there.
    let mut exe = vec![0u8; 0x100];
    exe[..2].copy_from_slice(b"MZ");
    exe[0x3c..0x40].copy_from_slice(&0x80u32.to_le_bytes());
    exe[0x80..0x84].copy_from_slice(b"PE\0\0");
    exe.extend(format!("\0{in_exe}\0").as_bytes());
    std::fs::write(d.join("tool.exe"), &exe).unwrap();
    // A PNG with the token in a text chunk.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x02\x80\0\0\x01\xe0\x08\x06\0\0\0\0\0\0\0".to_vec();
    png.extend(format!("\0\0\0\x2ctEXtComment\0{in_png}\0\0\0\0").as_bytes());
    std::fs::write(d.join("screenshot.png"), &png).unwrap();
    let mut core = elf(4);
    core.extend(format!("\0{in_core}\0").as_bytes());
    std::fs::write(d.join("core"), &core).unwrap();
    let fps = |v: &Value| -> Vec<String> {
        let mut f: Vec<String> = findings(v).iter().map(|f| f["fingerprint"].as_str().unwrap().to_owned()).collect();
        f.sort();
        f
    };
    let v = scan_json(d, &[]).json();
    assert_eq!(fps(&v), vec![sha256(&in_core)], "a core dump is data, the rest is skipped");
    assert_eq!(
        (v["stats"]["skipped"]["executable"].as_u64(), v["stats"]["skipped"]["media"].as_u64()),
        (Some(2), Some(1))
    );
    let v = scan_json(d, &["--scan-binaries"]).json();
    let mut want = vec![sha256(&in_so), sha256(&in_exe), sha256(&in_png), sha256(&in_core)];
    want.sort();
    assert_eq!(fps(&v), want);
    binary_finding(&v, &in_so, find(&so, in_so.as_bytes()));
    assert!(v["stats"]["skipped"].get("executable").is_none());
    assert_eq!(v["stats"]["strings_scanned"], 4);
}

#[test]
fn binary_members_of_archives_get_the_same_treatment() {
    let mut rng = Rng::new();
    let t = tree();
    let (in_core, in_so) = (github_token(&mut rng), github_token(&mut rng));
    let mut core = elf(4);
    core.extend(noise(&mut rng, 777));
    core.extend(format!("\0GITHUB_TOKEN={in_core}\0password = \"{}\"\0", rng.string(B62, 20)).as_bytes());
    let mut so = elf(3);
    so.extend(format!("\0{in_so}\0").as_bytes());
    std::fs::write(t.path().join("crash.zip"), zip_of(&[("var/crash/core", &core), ("lib/libx.so", &so)])).unwrap();
    let v = scan_json(t.path(), &[]).json();
    let root = t.path().to_str().unwrap();
    let found = at(&v, &format!("{root}/crash.zip!var/crash/core"));
    assert_eq!(found.len(), 1, "{:#?}", findings(&v));
    binary_finding(&v, &in_core, find(&core, in_core.as_bytes()));
    assert_eq!(findings(&v).len(), 1, "the library is skipped, the assignment is not a token");
    assert_eq!(v["stats"]["skipped"]["executable"], 1);
    assert_eq!(v["stats"]["strings_scanned"], 1);
}
