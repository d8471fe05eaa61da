//! Formats, nesting, names and corrupt input. Limits and bombs are in `limit_tests.rs`.
use std::{io::Cursor, ops::ControlFlow};

use super::{
    testutil::{bz2, collect, gz, header, members, problems, secret, tar_of, xz, zip_of, zst, Got},
    visit, visit_bytes, Event, Kind, Limits,
};

fn env(token: &str) -> Vec<u8> {
    format!("API_TOKEN={token}\n").into_bytes()
}

#[test]
fn zip_members_with_paths_mode_and_time() {
    let token = secret();
    let zip = zip_of(&[("etc/app/.env", &env(&token)), ("README", b"hello"), ("empty", b"")]);
    let (got, totals) = collect(&zip, Kind::Zip, "export.zip", &Limits::default());
    assert_eq!(
        members(&got),
        vec![
            ("export.zip!etc/app/.env".to_string(), env(&token)),
            ("export.zip!README".to_string(), b"hello".to_vec()),
            ("export.zip!empty".to_string(), Vec::new()),
        ]
    );
    let Got::Member { mode, mtime, .. } = &got[0] else { panic!("{got:?}") };
    assert_eq!(*mode, Some(0o600));
    assert_eq!(*mtime, Some(315_532_800), "the zip crate's default DOS time, 1980-01-01, read as UTC");
    assert_eq!(totals.members, 3);
    assert!(!totals.stopped);
}

#[test]
fn zip_family_found_by_content_and_directories_skipped() {
    let token = secret();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.add_directory("META-INF/", opts).unwrap();
    w.start_file("META-INF/application.properties", opts).unwrap();
    std::io::Write::write_all(&mut w, &env(&token)).unwrap();
    let jar = w.finish().unwrap().into_inner();
    assert_eq!(super::detect(b"lib.jar", &jar), Some(Kind::Zip));
    assert_eq!(super::detect(b"renamed.bin", &jar), Some(Kind::Zip));
    let (got, _) = collect(&jar, Kind::Zip, "app.war", &Limits::default());
    assert_eq!(members(&got), vec![("app.war!META-INF/application.properties".into(), env(&token))]);
}

#[test]
fn tar_and_every_compressed_tar() {
    let token = secret();
    let tar = tar_of(&[(b"./etc/app/.env", &env(&token)), (b"notes.txt", b"nothing here")]);
    let cases: [(&str, Kind, Vec<u8>); 5] = [
        ("b.tar", Kind::Tar, tar.clone()),
        ("b.tar.gz", Kind::Gzip, gz(&tar)),
        ("b.tar.bz2", Kind::Bzip2, bz2(&tar)),
        ("b.tar.xz", Kind::Xz, xz(&tar)),
        ("b.tar.zst", Kind::Zstd, zst(&tar)),
    ];
    for (name, kind, data) in cases {
        assert_eq!(super::detect(name.as_bytes(), &data), Some(kind), "{name}");
        let (got, totals) = collect(&data, kind, name, &Limits::default());
        assert_eq!(
            members(&got),
            vec![
                (format!("{name}!etc/app/.env"), env(&token)),
                (format!("{name}!notes.txt"), b"nothing here".to_vec())
            ],
            "{name}: the leading ./ is dropped"
        );
        let Got::Member { mode, mtime, .. } = &got[0] else { panic!("{got:?}") };
        assert_eq!((*mode, *mtime), (Some(0o640), Some(1_700_000_000)), "{name}");
        assert_eq!(totals.members, 2, "{name}");
    }
}

#[test]
fn single_compressed_files_are_one_member_named_after_the_stream() {
    let token = secret();
    let data = env(&token);
    for (name, kind, packed, member) in [
        ("home/a/.env.gz", Kind::Gzip, gz(&data), ".env"),
        ("dump.sql.bz2", Kind::Bzip2, bz2(&data), "dump.sql"),
        ("creds.json.xz", Kind::Xz, xz(&data), "creds.json"),
        ("x.env.zst", Kind::Zstd, zst(&data), "x.env"),
    ] {
        let (got, _) = collect(&packed, kind, name, &Limits::default());
        assert_eq!(members(&got), vec![(format!("{name}!{member}"), data.clone())], "{name}");
    }
}

#[test]
fn concatenated_streams_are_read_whole() {
    let (a, b) = (env(&secret()), env(&secret()));
    let mut gzs = gz(&a);
    gzs.extend(gz(&b));
    let mut zsts = zst(&a);
    zsts.extend([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9]); // a skippable frame of 3 bytes
    zsts.extend(zst(&b));
    let mut xzs = xz(&a);
    xzs.extend(xz(&b));
    let mut bzs = bz2(&a);
    bzs.extend(bz2(&b));
    let whole = [a.clone(), b.clone()].concat();
    for (kind, data) in [(Kind::Gzip, gzs), (Kind::Zstd, zsts), (Kind::Xz, xzs), (Kind::Bzip2, bzs)] {
        let (got, _) = collect(&data, kind, "x", &Limits::default());
        assert_eq!(members(&got), vec![("x!x".to_string(), whole.clone())], "{kind:?}");
    }
}

#[test]
fn nested_archives_have_nested_paths() {
    let token = secret();
    let inner_tgz = gz(&tar_of(&[(b"x/.env", &env(&token))]));
    let outer = zip_of(&[("inner.tar.gz", &inner_tgz), ("plain.txt", b"plain")]);
    let (got, _) = collect(&outer, Kind::Zip, "a.zip", &Limits::default());
    assert_eq!(
        members(&got),
        vec![("a.zip!inner.tar.gz!x/.env".into(), env(&token)), ("a.zip!plain.txt".into(), b"plain".to_vec())]
    );

    // A zip inside a tar.gz (buffered: zips need random access), and a zip inside a gzip stream.
    let inner_zip = zip_of(&[("config/secrets.yml", &env(&token))]);
    let tgz = gz(&tar_of(&[(b"libs/app.jar", &inner_zip)]));
    let (got, _) = collect(&tgz, Kind::Gzip, "release.tgz", &Limits::default());
    assert_eq!(members(&got), vec![("release.tgz!libs/app.jar!config/secrets.yml".into(), env(&token))]);
    let (got, _) = collect(&gz(&inner_zip), Kind::Gzip, "x.zip.gz", &Limits::default());
    assert_eq!(members(&got), vec![("x.zip.gz!x.zip!config/secrets.yml".into(), env(&token))]);
}

#[test]
fn names_are_bytes_and_never_paths() {
    let token = secret();
    let mut unique = [0u8; 8];
    getrandom::fill(&mut unique).unwrap();
    let escape = format!("../../credsweep-test-{}/pwned", hex::encode(unique));
    let tar = tar_of(&[(escape.as_bytes(), &env(&token)), (b"caf\xe9/\xff.env", b"latin-1 name")]);
    let mut paths = Vec::new();
    visit(Cursor::new(&tar), Kind::Tar, b"t.tar", &Limits::default(), &mut |e| {
        if let Event::Member(m) = e {
            paths.push(m.path.to_vec());
        }
        ControlFlow::Continue(())
    });
    assert_eq!(paths, vec![format!("t.tar!{escape}").into_bytes(), b"t.tar!caf\xe9/\xff.env".to_vec()]);
    let zip = zip_of(&[(escape.as_str(), &env(&token))]);
    let (got, _) = collect(&zip, Kind::Zip, "z.zip", &Limits::default());
    assert_eq!(got[0].path(), format!("z.zip!{escape}"));
    // Nothing was written or opened under that name, relative to the working directory or the temp directory.
    let dir = escape.trim_start_matches("../../").split('/').next().unwrap().to_string();
    for base in [std::env::current_dir().unwrap(), std::env::temp_dir()] {
        assert!(!base.join(&escape).exists() && !base.join("..").join("..").join(&dir).exists());
    }
}

#[test]
fn gnu_long_names_and_pax_paths() {
    let token = secret();
    let long = format!("{}/deep/.env", "d".repeat(150));
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(env(&token).len() as u64);
    h.set_mode(0o600);
    b.append_data(&mut h, &long, &env(&token)[..]).unwrap();
    let mut pax = tar::Builder::new(Vec::new());
    pax.append_pax_extensions([("path", long.as_bytes())]).unwrap();
    pax.append(&header(b"short-name", 5), &b"hello"[..]).unwrap();
    for (tar, data) in [(b.into_inner().unwrap(), env(&token)), (pax.into_inner().unwrap(), b"hello".to_vec())] {
        let (got, _) = collect(&tar, Kind::Tar, "l.tar", &Limits::default());
        assert_eq!(members(&got), vec![(format!("l.tar!{long}"), data)]);
    }
}

#[test]
fn encrypted_zip_member_counted_and_skipped() {
    use zip::unstable::write::FileOptionsExt;
    let token = secret();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let plain = zip::write::SimpleFileOptions::default();
    w.start_file("locked/.env", plain.with_deprecated_encryption(b"hunter2-test").unwrap()).unwrap();
    std::io::Write::write_all(&mut w, &env(&token)).unwrap();
    w.start_file("open.txt", plain).unwrap();
    std::io::Write::write_all(&mut w, b"readable").unwrap();
    let zip = w.finish().unwrap().into_inner();
    let (got, totals) = collect(&zip, Kind::Zip, "e.zip", &Limits::default());
    assert_eq!(got[0], Got::Encrypted("e.zip!locked/.env".into()));
    assert_eq!(members(&got), vec![("e.zip!open.txt".into(), b"readable".to_vec())]);
    assert_eq!((totals.encrypted, totals.members), (1, 1));
}

#[test]
fn corrupt_and_truncated_archives_are_listed_with_a_reason() {
    let token = secret();
    let zip = zip_of(&[("a.env", &env(&token)), ("b.env", &env(&token))]);
    let (got, totals) = collect(&zip[..zip.len() / 2], Kind::Zip, "half.zip", &Limits::default());
    assert!(matches!(&got[..], [Got::Error(p, r)] if p == "half.zip" && r.starts_with("zip: ")), "{got:?}");
    assert_eq!(totals.errors, 1);

    // A truncated tar.gz: what came before the cut is read, the cut is listed.
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let tgz = gz(&tar_of(&[(b"first.env", &env(&token)), (b"big.bin", &big)]));
    let (got, _) = collect(&tgz[..tgz.len() - 1000], Kind::Gzip, "cut.tgz", &Limits::default());
    assert_eq!(members(&got), vec![("cut.tgz!first.env".into(), env(&token))]);
    assert!(
        matches!(&problems(&got)[..], [Got::Error(p, r)] if p == "cut.tgz!big.bin" && r.contains("truncated")),
        "{got:?}"
    );

    // Streams that start right and go wrong; a tar whose header checksum is wrong.
    let mut bad_tar = tar_of(&[(b"x", b"y")]);
    bad_tar[0] = b'z';
    for (kind, data) in [
        (Kind::Gzip, vec![0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3]),
        (Kind::Bzip2, b"BZh91AY&SY\x01\x02\x03garbage".to_vec()),
        (Kind::Xz, [&[0xfd, b'7', b'z', b'X', b'Z', 0][..], b"garbage garbage"].concat()),
        (Kind::Zstd, vec![0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff]),
        (Kind::Tar, bad_tar),
    ] {
        let (got, totals) = collect(&data, kind, "bad", &Limits::default());
        assert_eq!(totals.members, 0, "{kind:?}: {got:?}");
        assert!(matches!(&got[..], [Got::Error(_, r)] if r.starts_with(kind.as_str())), "{kind:?}: {got:?}");
    }
}

#[test]
fn a_corrupt_zip_member_does_not_hide_the_others() {
    let token = secret();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("flipped.txt", stored).unwrap();
    std::io::Write::write_all(&mut w, b"MARKER-these bytes get flipped").unwrap();
    w.start_file("good.env", stored).unwrap();
    std::io::Write::write_all(&mut w, &env(&token)).unwrap();
    let mut zip = w.finish().unwrap().into_inner();
    let at = zip.windows(6).position(|w| w == b"MARKER").unwrap();
    zip[at] = b'N';
    let (got, _) = collect(&zip, Kind::Zip, "c.zip", &Limits::default());
    assert!(matches!(&got[0], Got::Error(p, r) if p == "c.zip!flipped.txt" && r.contains("zip")), "{got:?}");
    assert_eq!(members(&got), vec![("c.zip!good.env".into(), env(&token))]);

    // A member in a method this build does not decode (zstd, 93) is listed as such.
    let mut zip = zip_of(&[("z.bin", b"data"), ("ok.txt", b"fine")]);
    super::testutil::patch_zip_u16(&mut zip, b"z.bin", 8, 10, 93);
    let (got, _) = collect(&zip, Kind::Zip, "m.zip", &Limits::default());
    assert!(matches!(&got[0], Got::Error(p, r) if p == "m.zip!z.bin" && r.contains("not supported")), "{got:?}");
    assert_eq!(members(&got), vec![("m.zip!ok.txt".into(), b"fine".to_vec())]);
}

#[test]
fn the_callback_can_stop_the_visit() {
    let zip = zip_of(&[("1", b"a"), ("2", b"b"), ("3", b"c")]);
    let mut seen = 0;
    let totals = visit(Cursor::new(&zip), Kind::Zip, b"s.zip", &Limits::default(), &mut |_| {
        seen += 1;
        ControlFlow::Break(())
    });
    assert_eq!(seen, 1);
    assert!(totals.stopped);
}

#[test]
fn many_members_are_visited_in_order() {
    // 10k here (a debug build reads about 10k members a second); 100k is measured by hand, see below.
    let n = 10_000usize;
    let names: Vec<String> = (0..n).map(|i| format!("d{}/f{i}.txt", i % 100)).collect();
    let bodies: Vec<Vec<u8>> = (0..n).map(|i| format!("{i}\n").into_bytes()).collect();
    let entries: Vec<(&[u8], &[u8])> = names.iter().zip(&bodies).map(|(n, b)| (n.as_bytes(), &b[..])).collect();
    let tgz = gz(&tar_of(&entries));
    let mut count = 0usize;
    let totals = visit(Cursor::new(&tgz), Kind::Gzip, b"m.tgz", &Limits::default(), &mut |e| {
        if let Event::Member(m) = e {
            assert_eq!(m.path, format!("m.tgz!{}", names[count]).as_bytes());
            assert_eq!(m.data, &bodies[count][..]);
            count += 1;
        }
        ControlFlow::Continue(())
    });
    assert_eq!((count, totals.members, totals.stopped), (n, n as u64, false));

    let zip_entries: Vec<(&str, &[u8])> = names.iter().zip(&bodies).map(|(n, b)| (n.as_str(), &b[..])).collect();
    let zip = zip_of(&zip_entries);
    let (got, totals) = collect(&zip, Kind::Zip, "m.zip", &Limits::default());
    assert_eq!((got.len(), totals.members), (n, n as u64));
    assert_eq!(got[n - 1].path(), format!("m.zip!{}", names[n - 1]));
}

#[test]
#[ignore = "timing by hand: cargo test --release --lib archive::tests::timing -- --ignored --nocapture"]
fn timing_members_by_hand() {
    for n in [10_000usize, 100_000] {
        let names: Vec<String> = (0..n).map(|i| format!("d{}/f{i}.txt", i % 100)).collect();
        let bodies: Vec<Vec<u8>> = (0..n).map(|i| format!("{i}\n").into_bytes()).collect();
        let entries: Vec<(&[u8], &[u8])> = names.iter().zip(&bodies).map(|(n, b)| (n.as_bytes(), &b[..])).collect();
        let t = std::time::Instant::now();
        let tgz = gz(&tar_of(&entries));
        let build_tar = t.elapsed();
        let zip_entries: Vec<(&str, &[u8])> = names.iter().zip(&bodies).map(|(n, b)| (n.as_str(), &b[..])).collect();
        let t = std::time::Instant::now();
        let zip = zip_of(&zip_entries);
        let build_zip = t.elapsed();
        let t = std::time::Instant::now();
        let (_, a) = collect(&tgz, Kind::Gzip, "m.tgz", &Limits::default());
        let read_tar = t.elapsed();
        let t = std::time::Instant::now();
        let (_, b) = collect(&zip, Kind::Zip, "m.zip", &Limits::default());
        let read_zip = t.elapsed();
        println!(
            "{n}: build tar {build_tar:?} zip {build_zip:?}; visit tgz {read_tar:?} ({}) zip {read_zip:?} ({})",
            a.members, b.members
        );
    }
}

#[test]
fn members_over_the_held_size_are_handed_out_as_streams_with_their_own_name() {
    let token = secret();
    let big: Vec<u8> = [&b"x".repeat(300 << 10)[..], &env(&token)].concat();
    let limits = Limits { max_held_bytes: 100 << 10, ..Limits::default() };
    for (data, kind, name) in [
        (tar_of(&[(b"./logs/big.log", &big), (b"small.env", &env(&token))]), Kind::Tar, "a.tar"),
        (gz(&tar_of(&[(b"./logs/big.log", &big), (b"small.env", &env(&token))])), Kind::Gzip, "a.tgz"),
        (zip_of(&[("logs/big.log", &big), ("small.env", &env(&token))]), Kind::Zip, "a.zip"),
    ] {
        let mut seen = Vec::new();
        visit_bytes(&data, kind, name.as_bytes(), &limits, &mut |e| {
            match e {
                Event::Large(l) => {
                    assert!(l.head.len() as u64 > limits.max_held_bytes && l.head.len() < big.len());
                    let mut all = l.head.to_vec();
                    std::io::Read::read_to_end(l.rest, &mut all).unwrap();
                    assert_eq!(all, big, "{name}: head and rest are the member");
                    seen.push(("large", text(l.path), text(l.name)));
                }
                Event::Member(m) => seen.push(("whole", text(m.path), text(m.name))),
                other => panic!("{name}: {other:?}"),
            }
            ControlFlow::Continue(())
        });
        let want = [
            ("large", format!("{name}!logs/big.log"), "logs/big.log".to_owned()),
            ("whole", format!("{name}!small.env"), "small.env".to_owned()),
        ];
        assert_eq!(seen, want, "{name}");
    }
    // A large member left half read: the next member still comes, whole.
    let tgz = gz(&tar_of(&[(b"big.log", &big), (b"after.env", &env(&token))]));
    let mut names = Vec::new();
    let totals = visit_bytes(&tgz, Kind::Gzip, b"h.tgz", &limits, &mut |e| {
        if let Event::Member(m) = e {
            assert_eq!(m.data, env(&token));
            names.push(text(m.name));
        }
        ControlFlow::Continue(())
    });
    assert_eq!((names, totals.members), (vec!["after.env".to_owned()], 2));
    // A nested member's own name is its name in the innermost archive.
    let inner = gz(&env(&token));
    let (got, _) = collect(&zip_of(&[("dir/app.env.gz", &inner)]), Kind::Zip, "o.zip", &limits);
    assert_eq!(members(&got), vec![("o.zip!dir/app.env.gz!app.env".into(), env(&token))]);
    let mut own = Vec::new();
    visit_bytes(&zip_of(&[("dir/app.env.gz", &inner)]), Kind::Zip, b"o.zip", &limits, &mut |e| {
        if let Event::Member(m) = e {
            own.push(text(m.name));
        }
        ControlFlow::Continue(())
    });
    assert_eq!(own, vec!["app.env".to_owned()]);
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
