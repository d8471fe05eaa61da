//! Archives and binary files (issue #14), through the real binary: archives built here with the crates the reader
//! uses (zip, tar, flate2, bzip2, lzma-rust2, ruzstd), members reported as `ARCHIVE!MEMBER` at their line and column
//! and parsed by their own name, bombs stopped and listed (judged by bytes and counts, never by time), and the
//! printable strings of binary files scanned by the token rules at their byte offset. Binary files are in
//! `binaries.rs`.
use std::{io::Write, path::Path};

use serde_json::Value;

use crate::common::{assert_schema_valid, findings, github_token, scan_json, sha256, ssh_keygen, tree, Rng, B62};

/// A zip of `(name, bytes)` members, deflated, mode 0600.
pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600);
    for (name, data) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A zip of `count` raw copies of the one member of `single`, compressed once (as 42.zip was built).
fn zip_copies(single: &[u8], prefix: &str, count: usize) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(single)).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..count {
        w.raw_copy_file_rename(src.by_index_raw(0).unwrap(), format!("{prefix}{i}")).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A GNU tar of `(name, bytes)` members, mode 0644.
pub(crate) fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(1_700_000_000);
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

pub(crate) fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn bz2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut w = lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(1)).unwrap();
    w.write_all(data).unwrap();
    w.finish().unwrap()
}

fn zst(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

fn put(dir: &Path, rel: &str, data: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

/// The findings of `v` at `path`.
pub(crate) fn at<'v>(v: &'v Value, path: &str) -> Vec<&'v Value> {
    findings(v).iter().filter(|f| f["path"] == path).collect()
}

/// The listed errors whose path is `path` or inside it.
fn errors_in<'v>(v: &'v Value, path: &str) -> Vec<&'v Value> {
    v["errors"].as_array().unwrap().iter().filter(|e| e["path"].as_str().unwrap().starts_with(path)).collect()
}

/// A `.env` with a GitHub token on line 3, column 14 (after `GITHUB_TOKEN=`).
fn dotenv(token: &str) -> Vec<u8> {
    format!("# app settings\nAPP_NAME=demo\nGITHUB_TOKEN={token}\n").into_bytes()
}

#[test]
fn every_format_and_nesting_reports_member_paths_lines_and_columns() {
    let mut rng = Rng::new();
    let t = tree();
    let gh = github_token(&mut rng);
    let env = dotenv(&gh);
    let tar = tar_of(&[("etc/app/.env", &env)]);
    let zip = zip_of(&[("etc/app/.env", &env)]);
    let d = t.path();
    put(d, "a.zip", &zip);
    put(d, "lib/app.jar", &zip);
    put(d, "dist/pkg-1.0-py3-none-any.whl", &zip);
    put(d, "a.tar", &tar);
    put(d, "a.tar.gz", &gz(&tar));
    put(d, "a.tgz", &gz(&tar));
    put(d, "a.tar.bz2", &bz2(&tar));
    put(d, "a.tar.xz", &xz(&tar));
    put(d, "a.tar.zst", &zst(&tar));
    put(d, "single/.env.gz", &gz(&env));
    put(d, "single/.env.bz2", &bz2(&env));
    put(d, "single/.env.xz", &xz(&env));
    put(d, "single/.env.zst", &zst(&env));
    put(d, "outer.zip", &zip_of(&[("inner.tar.gz", &gz(&tar))]));
    let l3 = xz(&tar);
    put(d, "l1.tgz", &gz(&tar_of(&[("deps/l2.zip", &zip_of(&[("l3.tar.xz", &l3)]))])));
    let r = scan_json(d, &["--no-default-excludes"]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let v = r.json();
    let root = d.to_str().unwrap();
    let expected = [
        "a.zip!etc/app/.env",
        "lib/app.jar!etc/app/.env",
        "dist/pkg-1.0-py3-none-any.whl!etc/app/.env",
        "a.tar!etc/app/.env",
        "a.tar.gz!etc/app/.env",
        "a.tgz!etc/app/.env",
        "a.tar.bz2!etc/app/.env",
        "a.tar.xz!etc/app/.env",
        "a.tar.zst!etc/app/.env",
        "single/.env.gz!.env",
        "single/.env.bz2!.env",
        "single/.env.xz!.env",
        "single/.env.zst!.env",
        "outer.zip!inner.tar.gz!etc/app/.env",
        "l1.tgz!deps/l2.zip!l3.tar.xz!etc/app/.env",
    ];
    for rel in expected {
        let found = at(&v, &format!("{root}/{rel}"));
        assert_eq!(found.len(), 1, "{rel}: {:#?}", findings(&v));
        let f = found[0];
        assert_eq!(
            (f["rule"].as_str(), f["line"].as_u64(), f["column"].as_u64()),
            (Some("github-pat-classic"), Some(3), Some(14)),
            "{rel}"
        );
        assert_eq!(f["fingerprint"], sha256(&gh), "{rel}");
        assert!(f.get("offset").is_none(), "{rel}: text members have lines, not offsets");
        // Parsed as a .env by the member's own name.
        assert_eq!(f["context"]["variable"], "GITHUB_TOKEN", "{rel}");
    }
    assert_eq!(findings(&v).len(), expected.len(), "{:#?}", findings(&v));
    let a = &v["stats"]["archives"];
    assert_eq!((a["opened"].as_u64(), a["members"].as_u64()), (Some(15), Some(15)), "{a}");
    assert_eq!(v["stats"]["errors"], 0, "{}", v["errors"]);
    assert!(a["decompressed_bytes"].as_u64().unwrap() >= 15 * env.len() as u64);
    // Every member counts as a file seen and scanned; the archive files as seen.
    assert_eq!(v["stats"]["files_scanned"], 15);
    assert_eq!(v["stats"]["files_seen"], 30);
    assert_schema_valid(&v);
}

#[test]
fn a_dotenv_and_an_ssh_key_inside_a_tarball_are_parsed_as_such() {
    let mut rng = Rng::new();
    let t = tree();
    let keys = tree();
    let key_path = keys.path().join("id_ed25519");
    ssh_keygen(&["-q", "-t", "ed25519", "-N", "", "-C", "dev@laptop", "-f", key_path.to_str().unwrap()]);
    let key = std::fs::read(&key_path).unwrap();
    let password = rng.string(B62, 22);
    let env = format!("DB_HOST=db.internal\nDB_PASSWORD={password}\n");
    let tar = tar_of(&[
        ("home/dev/.ssh/id_ed25519", &key),
        ("home/dev/app/.env", env.as_bytes()),
        ("home/dev/app/tests/.env", env.as_bytes()),
    ]);
    let archive = t.path().join("backup.tar.gz");
    std::fs::write(&archive, gz(&tar)).unwrap();
    std::fs::set_permissions(&archive, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let v = scan_json(t.path(), &["--min-confidence", "low"]).json(); // tests/ is low
    let root = t.path().to_str().unwrap();
    let key_finding = at(&v, &format!("{root}/backup.tar.gz!home/dev/.ssh/id_ed25519"));
    assert_eq!(key_finding.len(), 1, "{:#?}", findings(&v));
    let k = key_finding[0];
    assert_eq!(k["kind"], "private-key");
    assert_eq!(k["key"]["format"], "openssh-v1");
    assert_eq!(k["key"]["encrypted"], false);
    assert_eq!(k["key"]["comment"], "dev@laptop");
    assert!(k["key"]["public_fingerprint"].as_str().unwrap().starts_with("SHA256:"), "{k}");
    assert_eq!((k["line"].as_u64(), k["column"].as_u64()), (Some(1), Some(1)));
    // The archive file's facts: its mode is the member's exposure on this disk.
    assert_eq!(k["file"]["mode"], "0644");
    assert!(k["risks"].as_array().unwrap().iter().any(|r| r == "world-readable"), "{k}");
    let env_of = |rel: &str| -> Value {
        let found = at(&v, &format!("{root}/backup.tar.gz!{rel}"));
        assert_eq!(found.len(), 1, "{rel}: {:#?}", findings(&v));
        found[0].clone()
    };
    let app = env_of("home/dev/app/.env");
    assert_eq!(app["context"]["variable"], "DB_PASSWORD", "the dotenv parser read it: {app}");
    assert_eq!((app["line"].as_u64(), app["column"].as_u64()), (Some(2), Some(13)));
    assert_eq!(app["fingerprint"], sha256(&password));
    // Test paths are judged on the member's own directories.
    let in_tests = env_of("home/dev/app/tests/.env");
    let order = ["low", "medium", "high"];
    let rank = |f: &Value| order.iter().position(|c| f["confidence"] == *c).unwrap();
    assert_eq!(rank(&in_tests) + 1, rank(&app), "{in_tests} vs {app}");
}

#[test]
fn no_archives_skips_them_and_archive_depth_lists_what_it_does_not_open() {
    let mut rng = Rng::new();
    let t = tree();
    let gh = github_token(&mut rng);
    let env = dotenv(&gh);
    let d = t.path();
    // Stored, not deflated: the token is in the archive's bytes as they are.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file(".env", stored).unwrap();
    w.write_all(&env).unwrap();
    put(d, "stored.zip", &w.finish().unwrap().into_inner());
    put(d, "outer.zip", &zip_of(&[("inner.tar.gz", &gz(&tar_of(&[(".env", &env)])))]));
    let v = scan_json(d, &[]).json();
    assert_eq!(findings(&v).len(), 2, "{:#?}", findings(&v));

    let v = scan_json(d, &["--no-archives"]).json();
    assert!(findings(&v).is_empty(), "neither opened nor read as strings: {:#?}", findings(&v));
    assert_eq!(v["stats"]["skipped"]["binary"], 2);
    assert!(v["stats"].get("archives").is_none());

    let v = scan_json(d, &["--archive-depth", "1"]).json();
    let root = d.to_str().unwrap();
    assert_eq!(at(&v, &format!("{root}/stored.zip!.env")).len(), 1);
    assert!(at(&v, &format!("{root}/outer.zip!inner.tar.gz!.env")).is_empty());
    let listed = errors_in(&v, &format!("{root}/outer.zip"));
    assert_eq!(listed.len(), 1, "{}", v["errors"]);
    assert_eq!(listed[0]["path"], format!("{root}/outer.zip!inner.tar.gz"));
    assert!(listed[0]["reason"].as_str().unwrap().contains("deeper than 1"), "{}", listed[0]);
    assert_eq!(v["stats"]["archives"]["limits"]["depth"], 1);

    for bad in ["0", "9"] {
        let r = scan_json(d, &["--archive-depth", bad]);
        assert_eq!(r.code(), 2, "{bad}");
        assert_eq!(r.stderr().trim().lines().count(), 1, "{}", r.stderr());
        assert!(r.stderr().contains("--archive-depth"));
    }
    assert_eq!(scan_json(d, &["--archive-depth", "x"]).code(), 2);
}

/// 42.zip's shape, scaled: `levels` levels of 16 copies each, leaves of 1 MiB of zeros (16^5 MiB = 1 TiB for five).
fn forty_two(levels: usize) -> Vec<u8> {
    let mut level = zip_copies(&zip_of(&[("0", &vec![0u8; 1 << 20])]), "leaf", 16);
    for depth in 1..levels {
        level = zip_copies(&zip_of(&[("x", &level)]), &format!("lib{depth}-"), 16);
    }
    level
}

#[test]
fn zip_bombs_and_a_42_zip_are_stopped_listed_and_never_expanded() {
    let t = tree();
    let d = t.path();
    put(d, "42.zip", &forty_two(5));
    // A flat bomb: 40 members of 4 MiB of zeros each, declared as such (a ratio of about 1000:1).
    put(d, "flat.zip", &zip_copies(&zip_of(&[("0", &vec![0u8; 4 << 20])]), "part", 40));
    // A compressed stream that declares nothing: stopped by the bytes it really produces.
    put(d, "zeros.log.gz", &gz(&vec![0u8; 16 << 20]));
    let r = scan_json(d, &[]);
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let v = r.json();
    let root = d.to_str().unwrap();
    let a = &v["stats"]["archives"];
    assert_eq!(a["opened"], 3);
    assert_eq!(a["members"], 0, "nothing was handed to the scanner: {a}");
    assert_eq!(v["stats"]["bytes_scanned"], 0);
    assert!(a["decompressed_bytes"].as_u64().unwrap() < 64 << 20, "{a}");
    // 42.zip: every level-4 zip is listed as too deep (16^3), 20 of them in errors, plus one line for the rest.
    assert_eq!(a["limits"]["depth"], 16 * 16 * 16, "{a}");
    let listed = errors_in(&v, &format!("{root}/42.zip"));
    assert_eq!(listed.len(), 21, "{listed:#?}");
    assert!(listed[..20].iter().all(|e| e["reason"].as_str().unwrap().contains("nested deeper than 3")));
    assert_eq!(listed[20]["path"], format!("{root}/42.zip"));
    assert!(listed[20]["reason"].as_str().unwrap().starts_with("4076 more problems"), "{}", listed[20]);
    // flat.zip: every member refused by its declared ratio, before anything is inflated.
    let listed = errors_in(&v, &format!("{root}/flat.zip"));
    assert_eq!(listed.len(), 21);
    assert!(listed[0]["reason"].as_str().unwrap().contains("compression ratio"), "{}", listed[0]);
    // zeros.log.gz: abandoned by the ratio it really has.
    let listed = errors_in(&v, &format!("{root}/zeros.log.gz"));
    assert_eq!(listed.len(), 1, "{listed:#?}");
    assert_eq!(listed[0]["path"], format!("{root}/zeros.log.gz!zeros.log"));
    assert!(listed[0]["reason"].as_str().unwrap().contains("compression ratio"));
    assert_eq!(a["limits"]["ratio"], 41);
    assert_eq!(a["not_listed"], 4076 + 20);
    // All counted in stats.errors, whatever was listed.
    assert_eq!(v["stats"]["errors"], 4096 + 41);
    assert_eq!(v["errors"].as_array().unwrap().len(), 21 + 21 + 1);
    assert_schema_valid(&v);
}

#[test]
fn encrypted_members_are_counted_and_skipped_and_corrupt_archives_listed() {
    use zip::unstable::write::FileOptionsExt;
    let mut rng = Rng::new();
    let t = tree();
    let d = t.path();
    let (locked, open) = (github_token(&mut rng), github_token(&mut rng));
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let plain = zip::write::SimpleFileOptions::default();
    w.start_file("locked/.env", plain.with_deprecated_encryption(b"credsweep-test").unwrap()).unwrap();
    w.write_all(&dotenv(&locked)).unwrap();
    w.start_file("open/.env", plain).unwrap();
    w.write_all(&dotenv(&open)).unwrap();
    put(d, "e.zip", &w.finish().unwrap().into_inner());
    // Corrupt: a gzip signature and garbage; half a zip; a tar.gz cut short after its first member.
    let mut garbage = vec![0x1f, 0x8b, 0x08, 0];
    garbage.extend((0..4000).map(|_| (rng.next() % 256) as u8));
    put(d, "backup.tar.gz", &garbage);
    let zip = zip_of(&[("a.env", &dotenv(&open)), ("b.env", &dotenv(&open))]);
    put(d, "half.zip", &zip[..zip.len() / 2]);
    let filler: Vec<u8> = (0..200_000).map(|_| B62[(rng.next() % 62) as usize]).collect();
    let early = github_token(&mut rng);
    let tgz = gz(&tar_of(&[("first/.env", &dotenv(&early)), ("filler.txt", &filler)]));
    put(d, "cut.tgz", &tgz[..tgz.len() * 2 / 3]);
    let r = scan_json(d, &[]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let v = r.json();
    let root = d.to_str().unwrap();
    let fps: Vec<&Value> = findings(&v).iter().map(|f| &f["fingerprint"]).collect();
    assert!(!fps.contains(&&Value::from(sha256(&locked))), "an encrypted member is never read");
    assert!(fps.contains(&&Value::from(sha256(&open))));
    assert!(fps.contains(&&Value::from(sha256(&early))), "members before the cut are scanned");
    let a = &v["stats"]["archives"];
    assert_eq!(a["encrypted"], 1);
    let e = errors_in(&v, &format!("{root}/e.zip"));
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["path"], format!("{root}/e.zip!locked/.env"));
    assert!(e[0]["reason"].as_str().unwrap().contains("encrypted"));
    for name in ["backup.tar.gz", "half.zip", "cut.tgz"] {
        let e = errors_in(&v, &format!("{root}/{name}"));
        assert_eq!(e.len(), 1, "{name}: {}", v["errors"]);
        let reason = e[0]["reason"].as_str().unwrap();
        assert!(reason.starts_with("gzip") || reason.starts_with("zip") || reason.starts_with("tar"), "{reason}");
        assert!(!reason.contains(&open) && !reason.contains(&early));
    }
    assert_eq!(a["errors"], 3, "{a}");
    assert_eq!(v["stats"]["errors"], 4);
}

#[test]
fn the_scan_limit_cuts_a_big_archive_short_and_says_so() {
    let mut rng = Rng::new();
    let t = tree();
    let last = github_token(&mut rng);
    let bodies: Vec<Vec<u8>> = (0..50).map(|i| format!("{i}\n{}\n", rng.string(B62, 1000)).into_bytes()).collect();
    let mut entries: Vec<(String, &[u8])> =
        bodies.iter().enumerate().map(|(i, b)| (format!("m/{i:02}.txt"), &b[..])).collect();
    let tail = dotenv(&last);
    entries.push(("m/zz.env".into(), &tail));
    let entries: Vec<(&str, &[u8])> = entries.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    put(t.path(), "big.tar", &tar_of(&entries));
    let r = scan_json(t.path(), &["--max-bytes", "8K"]);
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let v = r.json();
    assert_eq!(v["complete"], false);
    assert_eq!(v["stopped"]["reason"], "max-bytes");
    let members = v["stats"]["archives"]["members"].as_u64().unwrap();
    assert!((1..50).contains(&members), "{members}");
    let root = t.path().to_str().unwrap();
    let cut = errors_in(&v, &format!("{root}/big.tar"));
    assert_eq!(cut.len(), 1, "{}", v["errors"]);
    assert_eq!(cut[0]["path"], format!("{root}/big.tar"));
    assert!(cut[0]["reason"].as_str().unwrap().contains("not read to the end"), "{}", cut[0]);
    let not_reached = v["stopped"]["not_reached"].as_array().unwrap();
    assert!(
        not_reached.iter().any(|p| p.as_str().unwrap().starts_with(&format!("{root}/big.tar!m/"))),
        "{not_reached:?}"
    );
    assert!(findings(&v).is_empty());
}

#[test]
fn big_members_are_streamed_with_exact_lines_and_a_long_stream_is_cut_at_the_member_limit() {
    let mut rng = Rng::new();
    let t = tree();
    let (early, late) = (github_token(&mut rng), github_token(&mut rng));
    // About 6 MiB of text lines (incompressible enough to stay under the ratio bound), tokens at known lines.
    let mut text = String::new();
    for line in 1..=60_000 {
        match line {
            1234 => text.push_str(&format!("token {early}\n")),
            59_000 => text.push_str(&format!("token {late}\n")),
            _ => {
                text.push_str(&rng.string(B62, 100));
                text.push('\n');
            }
        }
    }
    // Exactly two chunks (8 MiB) with a token in the tail the first read leaves to the next chunk.
    let tail = github_token(&mut rng);
    let mut exact = rng.string(B62, (8 << 20) - 100).into_bytes();
    exact.extend(format!("\n{tail}\n").as_bytes());
    exact.resize(8 << 20, b'\n');
    put(t.path(), "logs.tgz", &gz(&tar_of(&[("var/log/app.log", text.as_bytes()), ("exact.log", &exact)])));
    put(t.path(), "app.log.gz", &gz(text.as_bytes()));
    let v = scan_json(t.path(), &[]).json();
    let root = t.path().to_str().unwrap();
    for path in ["logs.tgz!var/log/app.log", "app.log.gz!app.log"] {
        let found = at(&v, &format!("{root}/{path}"));
        let lines: Vec<(u64, u64)> =
            found.iter().map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap())).collect();
        assert_eq!(lines, vec![(1234, 7), (59_000, 7)], "{path}");
    }
    let found = at(&v, &format!("{root}/logs.tgz!exact.log"));
    assert_eq!(found.len(), 1, "the last bytes of a member of a whole number of chunks are scanned");
    assert_eq!((found[0]["line"].as_u64(), found[0]["fingerprint"].as_str()), (Some(2), Some(sha256(&tail).as_str())));
    assert_eq!(v["stats"]["bytes_scanned"], 2 * text.len() + exact.len());
    // Over --max-file-size: the tar member declares its size and is skipped; the stream is read up to the limit.
    let v = scan_json(t.path(), &["--max-file-size", "5MiB"]).json();
    assert!(at(&v, &format!("{root}/logs.tgz!var/log/app.log")).is_empty());
    let found = at(&v, &format!("{root}/app.log.gz!app.log"));
    assert_eq!(found.len(), 1, "only the token before the limit");
    assert_eq!(found[0]["line"], 1234);
    let limits = &v["stats"]["archives"]["limits"];
    assert_eq!((limits["member_bytes"].as_u64(), limits["member_truncated"].as_u64()), (Some(2), Some(1)));
    assert!(errors_in(&v, &format!("{root}/app.log.gz!app.log"))[0]["reason"]
        .as_str()
        .unwrap()
        .contains("read up to that size"));
}

#[test]
fn archives_over_the_file_size_limit_are_opened_up_to_their_own_bound() {
    let mut rng = Rng::new();
    let t = tree();
    let gh = github_token(&mut rng);
    let bodies: Vec<Vec<u8>> = (0..6).map(|_| rng.string(B62, 40_000).into_bytes()).collect();
    let mut entries: Vec<(&str, &[u8])> = bodies.iter().map(|b| ("part.txt", &b[..])).collect();
    let env = dotenv(&gh);
    entries.push(("app/.env", &env));
    put(t.path(), "export.tgz", &gz(&tar_of(&entries)));
    let size = std::fs::metadata(t.path().join("export.tgz")).unwrap().len();
    assert!(size > 100 << 10, "{size}");
    let root = t.path().to_str().unwrap();
    let v = scan_json(t.path(), &["--max-file-size", "100K"]).json();
    assert_eq!(at(&v, &format!("{root}/export.tgz!app/.env")).len(), 1, "{:#?}", v["stats"]);
    assert_eq!(v["stats"]["archives"]["members"], 7);
    let v = scan_json(t.path(), &["--max-file-size", "100K", "--max-archive-size", "150K"]).json();
    assert!(findings(&v).is_empty());
    assert_eq!(v["stats"]["skipped"]["too_large"], 1);
    assert_eq!(scan_json(t.path(), &["--max-archive-size", "lots"]).code(), 2);
}
