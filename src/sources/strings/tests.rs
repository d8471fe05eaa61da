//! Strings of binary blobs shaped like the real thing (a core dump, a `.pyc`, UTF-16 text), and executables by magic.
use super::*;

/// A synthetic token with a random body (never a real credential).
fn token() -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut raw = [0u8; 36];
    getrandom::fill(&mut raw).unwrap();
    format!("ghp_{}", raw.iter().map(|b| ALNUM[usize::from(*b) % ALNUM.len()] as char).collect::<String>())
}

/// Random bytes with nothing printable in them (binary noise that never makes a string).
fn noise(len: usize) -> Vec<u8> {
    let mut raw = vec![0u8; len];
    getrandom::fill(&mut raw).unwrap();
    raw.iter().enumerate().map(|(i, b)| if i % 3 == 2 { 0 } else { b | 0x80 }).collect()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// An ELF header: class 64, `data` 1 (little-endian) or 2 (big-endian), the given `e_type`.
fn elf(e_type: u16, data: u8) -> Vec<u8> {
    let mut h = vec![0u8; 64];
    h[..4].copy_from_slice(b"\x7fELF");
    h[4] = 2;
    h[5] = data;
    h[6] = 1;
    let t = if data == 2 { e_type.to_be_bytes() } else { e_type.to_le_bytes() };
    h[16..18].copy_from_slice(&t);
    h
}

#[test]
fn token_in_a_core_dump_is_found_at_its_byte_offset() {
    let t = token();
    let mut core = elf(4, 1); // ET_CORE
    core.extend(noise(5000));
    let env = format!("HOME=/home/dev\0GITHUB_TOKEN={t}\0PATH=/usr/bin\0");
    let env_at = core.len();
    core.extend(env.as_bytes());
    core.extend(noise(3000));
    assert_eq!(BinaryPolicy::default().decide(&core), BinaryAction::ScanStrings, "a core dump is data");
    let s = Strings::extract(&core);
    let at = find(s.text(), t.as_bytes()).expect("token in the text");
    assert_eq!(s.source_offset(at), env_at + env.find(&t).unwrap());
    assert_eq!(s.source_range(at..at + t.len()), s.source_offset(at)..s.source_offset(at) + t.len());
    assert!(find(s.text(), b"GITHUB_TOKEN=").is_some());
    assert_eq!(s.text().len(), core.len(), "the text is the input's length, no more");
}

#[test]
fn token_in_a_pyc_like_blob() {
    // CPython 3.12 magic, flags, then marshalled constants: a short ASCII string is 'z' + a length byte + the bytes.
    let t = token();
    let mut pyc = b"\xcb\x0d\x0d\x0a\0\0\0\0\x12\x34\x56\x78\x9a\0\0\0\xe3\0\0\0\0\0\0\0".to_vec();
    pyc.extend(noise(200));
    pyc.push(b'z');
    pyc.push(t.len() as u8);
    let at = pyc.len();
    pyc.extend(t.as_bytes());
    pyc.extend(b"\xda\x05print\x29\x02");
    pyc.extend(noise(100));
    let s = Strings::extract(&pyc);
    let found = find(s.text(), t.as_bytes()).unwrap();
    assert_eq!(s.source_offset(found), at);
    assert_eq!(found, at, "ASCII runs keep their offsets");
    assert!(find(s.text(), b"print").is_none(), "a 5-character run is below the minimum");
}

#[test]
fn utf16le_strings_are_found_and_mapped_back() {
    let t = token();
    let mut blob = noise(999);
    let start = blob.len();
    blob.extend(utf16(&format!("TOKEN={t}")));
    blob.extend([0, 0]);
    blob.extend(noise(500));
    let s = Strings::extract(&blob);
    let at = find(s.text(), t.as_bytes()).expect("wide token in the text");
    let token_start = start + 2 * "TOKEN=".len();
    assert_eq!(s.source_offset(at), token_start);
    assert_eq!(s.source_range(at..at + t.len()), token_start..token_start + 2 * t.len());
    assert_eq!(&blob[token_start..token_start + 2], &[b'g', 0]);
    assert_eq!(s.runs(), 1);
}

#[test]
fn ascii_running_into_utf16_stays_two_strings() {
    // Without a NUL between them, the wide string's first character ends the ASCII run (the ambiguity is settled for
    // C strings, below); the two never join.
    let t = token();
    let mut blob = b"\x01plain ascii text here".to_vec();
    let wide_at = blob.len();
    blob.extend(utf16(&format!("={t}")));
    blob.push(0x01);
    let s = Strings::extract(&blob);
    assert!(find(s.text(), b"plain ascii text here=\n").is_some(), "{:?}", String::from_utf8_lossy(s.text()));
    let at = find(s.text(), t.as_bytes()).unwrap();
    assert_eq!(s.source_offset(at), wide_at + 2);
    assert_eq!(s.runs(), 2);
}

#[test]
fn a_c_string_then_a_wide_string_keeps_its_last_character() {
    let (a, b) = (token(), token());
    let mut blob = b"\x01\x01\x01".to_vec();
    blob.extend(a.as_bytes()); // 40 characters from offset 3: the last one is at an even offset, its NUL at an odd one
    blob.push(0);
    let wide_at = blob.len();
    blob.extend(utf16(&b));
    let s = Strings::extract(&blob);
    assert_eq!(find(s.text(), a.as_bytes()), Some(3));
    let at = find(s.text(), b.as_bytes()).unwrap();
    assert_eq!(s.source_offset(at), wide_at);
}

#[test]
fn a_token_split_by_nuls_is_not_found() {
    let t = token();
    let (a, b) = t.split_at(12);
    let blob = [&noise(50)[..], a.as_bytes(), b"\0\0", b.as_bytes(), &noise(50)].concat();
    let s = Strings::extract(&blob);
    assert!(find(s.text(), t.as_bytes()).is_none(), "two strings, not one token");
    assert!(find(s.text(), a.as_bytes()).is_some() && find(s.text(), b.as_bytes()).is_some());
}

#[test]
fn runs_at_the_very_end_of_the_buffer() {
    let t = token();
    let blob = [&noise(64)[..], t.as_bytes()].concat();
    let s = Strings::extract(&blob);
    assert_eq!(find(s.text(), t.as_bytes()), Some(64));
    let blob = [&noise(64)[..], &utf16(&t)].concat();
    let s = Strings::extract(&blob);
    let at = find(s.text(), t.as_bytes()).unwrap();
    assert_eq!(s.source_range(at..at + t.len()), 64..blob.len());
    // A run one short of the minimum, at the end, is not a string.
    let s = Strings::extract(&[&noise(10)[..], b"1234567"].concat());
    assert!(s.is_empty());
    assert!(Strings::extract(b"").is_empty());
}

#[test]
fn every_text_character_maps_to_its_input_byte() {
    // Mixed random input: every non-separator text byte comes from the input byte it maps to.
    let mut blob = Vec::new();
    for i in 0..300 {
        blob.extend(noise(i % 17 + 1));
        match i % 3 {
            0 => blob.extend(format!("ascii-{i}-{}", "x".repeat(i % 13)).as_bytes()),
            1 => blob.extend(utf16(&format!("wide-{i}-{}", "y".repeat(i % 11)))),
            _ => blob.extend(&utf16("short")[..7]),
        }
    }
    let mut s = Strings::default();
    s.refill(b"something else entirely, to be replaced");
    s.refill(&blob);
    assert_eq!(s.text().len(), blob.len());
    for (p, &c) in s.text().iter().enumerate() {
        if c != b'\n' {
            let (src, width) = s.locate(p);
            assert_eq!(blob[src], c, "text {p} → input {src}");
            assert!(width == 1 || blob[src + 1] == 0);
        }
    }
    assert!(s.runs() >= 200, "{}", s.runs());
    assert!(s.wide.len() <= blob.len() / (2 * MIN_RUN));
    // The inverse: monotonic over every input byte, and a character's own byte maps back to the character.
    let mut last = 0;
    for src in 0..blob.len() {
        let at = s.text_offset(src);
        assert!(at >= last, "monotonic at {src}");
        last = at;
    }
    for (p, &c) in s.text().iter().enumerate() {
        if c != b'\n' {
            assert_eq!(s.text_offset(s.locate(p).0), p, "text {p}");
        }
    }
}

#[test]
fn text_offsets_inside_a_wide_run() {
    let blob = [&b"\x01\x02"[..], &utf16("abcdefghij")].concat();
    let s = Strings::extract(&blob);
    assert_eq!(s.text_offset(0), 0);
    assert_eq!(s.text_offset(2), 3, "the run's first character sits one in from its start");
    assert_eq!(s.text_offset(3), 4, "its high byte: the next character's place");
    assert_eq!(s.text_offset(4), 4);
    assert_eq!(s.source_offset(s.text_offset(6)), 6);
    assert_eq!(s.text_offset(blob.len()), blob.len(), "past the run: the same offset");
}

#[test]
fn executables_by_magic() {
    assert_eq!(executable(&elf(2, 1)), Some(Executable::Elf), "ET_EXEC");
    assert_eq!(executable(&elf(3, 1)), Some(Executable::Elf), "ET_DYN: shared objects and PIE executables");
    assert_eq!(executable(&elf(1, 2)), Some(Executable::Elf), "ET_REL, big-endian");
    assert_eq!(executable(&elf(4, 1)), None, "a core dump is scanned");
    assert_eq!(executable(&elf(4, 2)), None, "a big-endian core dump too");
    assert_eq!(executable(b"\x7fELF"), None, "too short to say");

    let mach = |magic: [u8; 4], filetype: u32, big: bool| {
        let mut h = magic.to_vec();
        h.extend([0u8; 8]);
        h.extend(if big { filetype.to_be_bytes() } else { filetype.to_le_bytes() });
        h.extend([0u8; 16]);
        h
    };
    assert_eq!(executable(&mach([0xcf, 0xfa, 0xed, 0xfe], 2, false)), Some(Executable::MachO), "arm64/x86_64 exe");
    assert_eq!(executable(&mach([0xcf, 0xfa, 0xed, 0xfe], 6, false)), Some(Executable::MachO), "dylib");
    assert_eq!(executable(&mach([0xfe, 0xed, 0xfa, 0xce], 8, true)), Some(Executable::MachO), "ppc bundle");
    assert_eq!(executable(&mach([0xcf, 0xfa, 0xed, 0xfe], 4, false)), None, "MH_CORE is scanned");
    assert_eq!(executable(b"\xca\xfe\xba\xbe\0\0\0\x02\x01\0\0\x07"), Some(Executable::MachOUniversal));
    assert_eq!(executable(b"\xca\xfe\xba\xbf\0\0\0\x01"), Some(Executable::MachOUniversal), "fat64");
    assert_eq!(executable(b"\xca\xfe\xba\xbe\0\0\0\x41\0\x1d"), None, "a Java 21 class file is data");

    let mut pe = vec![0u8; 0x100];
    pe[..2].copy_from_slice(b"MZ");
    pe[0x3c..0x40].copy_from_slice(&0x80u32.to_le_bytes());
    pe[0x80..0x84].copy_from_slice(b"PE\0\0");
    assert_eq!(executable(&pe), Some(Executable::Pe));
    pe[0x3c..0x40].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
    assert_eq!(executable(&pe), None, "MZ without a reachable PE header");
    assert_eq!(executable(b"MZ"), None);
    assert_eq!(executable(b"PK\x03\x04"), None);
}

#[test]
fn the_policy_skips_executables_unless_asked() {
    let exe = elf(3, 1);
    assert_eq!(BinaryPolicy::SkipExecutables.decide(&exe), BinaryAction::SkipExecutable(Executable::Elf));
    assert_eq!(BinaryPolicy::ScanExecutables.decide(&exe), BinaryAction::ScanStrings);
    assert_eq!(BinaryPolicy::SkipExecutables.decide(b"SQLite format 3\0"), BinaryAction::ScanStrings);
    assert_eq!(Executable::MachOUniversal.as_str(), "mach-o-universal");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_eq!(BinaryPolicy::SkipExecutables.decide(png), BinaryAction::SkipMedia("png"));
    assert_eq!(BinaryPolicy::ScanExecutables.decide(png), BinaryAction::ScanStrings);
}

#[test]
fn media_by_magic() {
    assert_eq!(media(b"\xff\xd8\xff\xe0\0\x10JFIF"), Some("jpeg"));
    assert_eq!(media(b"\0\0\0\x20ftypisom\0\0\x02\0"), Some("iso-bmff"), "MP4");
    assert_eq!(media(b"\0\0\0\x1cftypheic"), Some("iso-bmff"), "HEIC");
    assert_eq!(media(b"RIFF\x24\0\0\0WEBPVP8 "), Some("riff"));
    assert_eq!(media(b"RIFF\x24\0\0\0XXXX"), None, "another RIFF form is not known noise");
    assert_eq!(media(b"wOF2\0\x01\0\0"), Some("woff2"));
    assert_eq!(media(b"%PDF-1.7\n"), Some("pdf"));
    assert_eq!(media(b"BM\x36\x10\0\0\0\0\0\0"), Some("bmp"));
    assert_eq!(media(b"BM is a string"), None);
    assert_eq!(media(b"SQLite format 3\0"), None, "a database is data");
    assert_eq!(media(b"\xa7\x0d\x0d\x0a\0\0\0\0"), None, "a .pyc is data");
    assert_eq!(media(&elf(4, 1)), None);
    assert_eq!(media(b""), None);
}

#[test]
fn one_two_megabyte_string_is_one_run() {
    let t = token();
    let line = [&b"x".repeat(2 << 20)[..], t.as_bytes()].concat();
    let blob = [&b"\0\x01"[..], &line, b"\0", &utf16(&"y".repeat(1 << 20)), &[0, 0]].concat();
    let s = Strings::extract(&blob);
    assert_eq!(s.runs(), 2);
    assert!(s.text()[2..2 + line.len()] == line[..], "the whole line, in place");
    let wide_at = 2 + line.len() + 1;
    assert_eq!(s.source_range(wide_at + 1..wide_at + 1 + (1 << 20)), wide_at..wide_at + (2 << 20));
}

/// The extraction as first written (a byte at a time), to check the skipping one against.
fn reference(data: &[u8]) -> (Vec<u8>, Vec<(usize, usize)>) {
    let mut s = Strings { text: vec![b'\n'; data.len()], wide: Vec::new(), runs: 0 };
    let mut i = 0;
    while i < data.len() {
        match data[i..].iter().position(|&b| printable(b)) {
            Some(skip) => i += skip,
            None => break,
        }
        let chars = wide_chars(data, i);
        if chars >= MIN_RUN {
            s.put_wide(data, i, chars);
            i += 2 * chars;
            continue;
        }
        let end = i + data[i..].iter().position(|&b| !printable(b)).unwrap_or(data.len() - i);
        if end - i >= MIN_RUN {
            s.text[i..end].copy_from_slice(&data[i..end]);
        }
        i = end.max(i + 1);
    }
    (s.text, s.wide)
}

#[test]
fn skipping_ahead_finds_exactly_what_a_byte_at_a_time_scan_finds() {
    let mut raw = vec![0u8; 1 << 16];
    for round in 0..40 {
        getrandom::fill(&mut raw).unwrap();
        // Bias towards what makes runs and near-runs: printable, NUL, and other bytes in varying mixes.
        let data: Vec<u8> = raw
            .chunks(2)
            .flat_map(|p| {
                let pick = |x: u8| match (x as usize + round * 7) % 10 {
                    0..=4 => b'a' + x % 26,
                    5..=7 => 0,
                    _ => x | 0x80,
                };
                [pick(p[0]), if p[1] % 3 == 0 { 0 } else { pick(p[1]) }]
            })
            .collect();
        let s = Strings::extract(&data);
        let (text, wide) = reference(&data);
        assert!(s.text() == &text[..], "round {round}");
        assert_eq!(s.wide, wide, "round {round}");
    }
}
