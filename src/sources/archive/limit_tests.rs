//! Each limit on its own, and the bombs they exist for: 42.zip-style nesting, a gzip of 10 GB of zeros, a tar
//! whose long-name header claims 100 MiB, a zip whose directory lies about its sizes, an xz asking for 4 GiB.
use super::{
    testutil::{
        collect, gz, gzip_parts, header, members, patch_zip_u32, problems, secret, tar_of, xz, zip_copies, zip_of, Got,
        Part,
    },
    Kind, Limit, Limits, RATIO_GRACE,
};

fn small_limits() -> Limits {
    Limits { max_member_bytes: 64 << 10, ..Limits::default() }
}

#[test]
fn member_limit_from_declared_and_from_real_sizes() {
    let token = secret();
    let big = vec![b'x'; 100 << 10];
    let zip = zip_of(&[("big.bin", &big), ("after.env", token.as_bytes())]);
    let (got, totals) = collect(&zip, Kind::Zip, "m.zip", &small_limits());
    assert_eq!(got[0], Got::Limit("m.zip!big.bin".into(), Limit::MemberBytes));
    assert_eq!(members(&got), vec![("m.zip!after.env".into(), token.as_bytes().to_vec())]);
    assert_eq!(totals.limits_hit, 1);

    let tar = tar_of(&[(b"big.bin", &big), (b"after.env", token.as_bytes())]);
    let (got, _) = collect(&gz(&tar), Kind::Gzip, "m.tgz", &small_limits());
    assert_eq!(got[0], Got::Limit("m.tgz!big.bin".into(), Limit::MemberBytes));
    assert_eq!(members(&got), vec![("m.tgz!after.env".into(), token.as_bytes().to_vec())]);

    // A gzip stream declares nothing: the bytes really produced are counted.
    let (got, _) = collect(&gz(&big), Kind::Gzip, "big.bin.gz", &small_limits());
    assert_eq!(got, vec![Got::Limit("big.bin.gz!big.bin".into(), Limit::MemberBytes)]);
    let exact = vec![b'y'; 64 << 10];
    let (got, _) = collect(&gz(&exact), Kind::Gzip, "ok.gz", &small_limits());
    assert_eq!(members(&got), vec![("ok.gz!ok".into(), exact)], "exactly the limit is kept");
}

#[test]
fn a_zip_lying_about_sizes_is_still_bounded() {
    let big = vec![b'z'; 300 << 10];
    let mut zip = zip_of(&[("liar.txt", &big), ("next.txt", b"next")]);
    // Directory and local header say 100 bytes uncompressed (offsets 22 and 24 in APPNOTE 4.3.7 / 4.3.12).
    patch_zip_u32(&mut zip, b"liar.txt", 22, 24, 100);
    let (got, _) = collect(&zip, Kind::Zip, "l.zip", &small_limits());
    assert!(
        matches!(&got[0], Got::Limit(p, Limit::MemberBytes) | Got::Error(p, _) if p == "l.zip!liar.txt"),
        "{got:?}"
    );
    assert!(members(&got).iter().all(|(_, d)| d.len() <= 64 << 10));
    assert_eq!(members(&got), vec![("l.zip!next.txt".into(), b"next".to_vec())]);
}

#[test]
fn archive_total_ends_the_visit() {
    let parts: Vec<Vec<u8>> = (0..5).map(|i| vec![b'a' + i as u8; 40 << 10]).collect();
    let names = ["1", "2", "3", "4", "5"];
    let entries: Vec<(&str, &[u8])> = names.iter().zip(&parts).map(|(n, p)| (*n, &p[..])).collect();
    let limits = Limits { max_archive_bytes: 100 << 10, ..Limits::default() };
    let (got, totals) = collect(&zip_of(&entries), Kind::Zip, "t.zip", &limits);
    assert_eq!(members(&got).len(), 2, "{got:?}");
    assert_eq!(problems(&got), vec![Got::Limit("t.zip!3".into(), Limit::ArchiveBytes)]);
    assert!(totals.stopped);
    assert!(totals.decompressed_bytes <= (100 << 10) + (64 << 10), "{}", totals.decompressed_bytes);

    // In a stream, the tar headers count too; the limit is listed once, at the member being read.
    let tar_entries: Vec<(&[u8], &[u8])> = names.iter().zip(&parts).map(|(n, p)| (n.as_bytes(), &p[..])).collect();
    let (got, totals) = collect(&gz(&tar_of(&tar_entries)), Kind::Gzip, "t.tgz", &limits);
    assert_eq!(members(&got).len(), 2, "{got:?}");
    assert!(matches!(&problems(&got)[..], [Got::Limit(_, Limit::ArchiveBytes)]), "{got:?}");
    assert!(totals.stopped);
}

#[test]
fn member_count_ends_the_visit() {
    let bodies: Vec<String> = (0..10).map(|i| format!("body {i}")).collect();
    let names: Vec<String> = (0..10).map(|i| format!("f{i}")).collect();
    let limits = Limits { max_members: 4, ..Limits::default() };
    // A stream is read up to the limit.
    let entries: Vec<(&[u8], &[u8])> = names.iter().zip(&bodies).map(|(n, b)| (n.as_bytes(), b.as_bytes())).collect();
    let (got, totals) = collect(&gz(&tar_of(&entries)), Kind::Gzip, "c.tgz", &limits);
    assert_eq!(members(&got).len(), 4);
    assert_eq!(problems(&got), vec![Got::Limit("c.tgz!f4".into(), Limit::Members)]);
    assert!(totals.stopped);
    // A zip declares its count up front, and its directory would be held whole: not opened.
    let entries: Vec<(&str, &[u8])> = names.iter().zip(&bodies).map(|(n, b)| (n.as_str(), b.as_bytes())).collect();
    let zip = zip_of(&entries);
    let (got, totals) = collect(&zip, Kind::Zip, "c.zip", &limits);
    assert_eq!(got, vec![Got::Limit("c.zip".into(), Limit::Members)]);
    assert!(totals.stopped);
    let (got, _) = collect(&zip, Kind::Zip, "c.zip", &Limits { max_members: 10, ..limits });
    assert_eq!(members(&got).len(), 10, "exactly the limit is fine");
    // Nested: the outer zip's own member counts, so the inner zip's ten do not fit in 10.
    let outer = zip_of(&[("inner.zip", &zip)]);
    let (got, _) = collect(&outer, Kind::Zip, "o.zip", &Limits { max_members: 10, ..limits });
    assert_eq!(got, vec![Got::Limit("o.zip!inner.zip".into(), Limit::Members)]);
}

#[test]
fn zip64_member_count_is_read_from_the_zip64_record() {
    let zip = zip_of(&[("f0", b"x"), ("f1", b"y"), ("f2", b"z")]);
    // Rewrite the end as a writer does past 65535 members (APPNOTE 4.3.14-4.3.16): a zip64 end record and its
    // locator before the classic record, whose counts say 0xffff.
    let eocd = zip.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    let (cd_size, cd_offset) = (&zip[eocd + 12..eocd + 16], &zip[eocd + 16..eocd + 20]);
    let mut record = b"PK\x06\x06".to_vec();
    record.extend(44u64.to_le_bytes());
    record.extend([45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    record.extend(3u64.to_le_bytes());
    record.extend(3u64.to_le_bytes());
    record.extend(u64::from(u32::from_le_bytes(cd_size.try_into().unwrap())).to_le_bytes());
    record.extend(u64::from(u32::from_le_bytes(cd_offset.try_into().unwrap())).to_le_bytes());
    let mut locator = b"PK\x06\x07\0\0\0\0".to_vec();
    locator.extend((eocd as u64).to_le_bytes());
    locator.extend(1u32.to_le_bytes());
    let mut classic = zip[eocd..].to_vec();
    classic[8..12].copy_from_slice(&[0xff; 4]);
    let zip64 = [&zip[..eocd], &record, &locator, &classic].concat();
    let (got, _) = collect(&zip64, Kind::Zip, "z64.zip", &Limits { max_members: 2, ..Limits::default() });
    assert_eq!(got, vec![Got::Limit("z64.zip".into(), Limit::Members)]);
    let (got, _) = collect(&zip64, Kind::Zip, "z64.zip", &Limits { max_members: 3, ..Limits::default() });
    assert_eq!(members(&got).len(), 3, "{got:?}");
}

#[test]
fn ratio_declared_in_a_zip_and_measured_in_a_stream() {
    let zeros = vec![0u8; 4 << 20];
    let zip = zip_of(&[("zeros.img", &zeros), ("after.txt", b"still read")]);
    let (got, totals) = collect(&zip, Kind::Zip, "r.zip", &Limits::default());
    assert_eq!(got[0], Got::Limit("r.zip!zeros.img".into(), Limit::Ratio));
    assert_eq!(members(&got), vec![("r.zip!after.txt".into(), b"still read".to_vec())]);
    assert!(totals.decompressed_bytes < 1024, "nothing was inflated: {}", totals.decompressed_bytes);
    // With a looser ratio the same member is read.
    let (got, _) = collect(&zip, Kind::Zip, "r.zip", &Limits { max_ratio: 100_000, ..Limits::default() });
    assert_eq!(members(&got).len(), 2);

    // A stream has no declared sizes: the bytes produced against the bytes consumed, past the grace.
    let packed = gz(&zeros);
    let (got, totals) = collect(&packed, Kind::Gzip, "z.img.gz", &Limits::default());
    assert_eq!(got, vec![Got::Limit("z.img.gz!z.img".into(), Limit::Ratio)]);
    let stop = (packed.len() as u64 * 100).max(RATIO_GRACE);
    assert!(stop < zeros.len() as u64 / 2, "the test needs a ratio well over 100: {}", packed.len());
    assert!(totals.decompressed_bytes <= stop + (64 << 10), "{} > {stop}", totals.decompressed_bytes);
    // Text compresses far less than 100:1 and goes through.
    let text: Vec<u8> = (0..(2 << 20)).map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let (got, _) = collect(&gz(&text), Kind::Gzip, "t.gz", &Limits::default());
    assert_eq!(members(&got).len(), 1);
}

#[test]
fn depth_limit_lists_the_archive_it_does_not_open() {
    let token = secret();
    let l4 = zip_of(&[("deep.env", token.as_bytes())]);
    let l3 = zip_of(&[("l4.zip", &l4)]);
    let l2 = gz(&tar_of(&[(b"l3.zip", &l3)]));
    let l1 = zip_of(&[("l2.tgz", &l2), ("top.env", token.as_bytes())]);
    let (got, _) = collect(&l1, Kind::Zip, "l1.zip", &Limits::default());
    assert_eq!(got[0], Got::Limit("l1.zip!l2.tgz!l3.zip!l4.zip".into(), Limit::Depth));
    assert_eq!(members(&got), vec![("l1.zip!top.env".into(), token.as_bytes().to_vec())]);
    let (got, _) = collect(&l1, Kind::Zip, "l1.zip", &Limits { max_depth: 4, ..Limits::default() });
    assert_eq!(members(&got)[0].0, "l1.zip!l2.tgz!l3.zip!l4.zip!deep.env");
    let (got, _) = collect(&l1, Kind::Zip, "l1.zip", &Limits { max_depth: 1, ..Limits::default() });
    assert_eq!(got[0], Got::Limit("l1.zip!l2.tgz".into(), Limit::Depth));
}

/// 42.zip's shape (16 copies per level, 5 levels, 4.3 GB leaves), scaled: leaves of 2 MiB of zeros, 16 wide, five
/// levels — 2 TiB if expanded.
fn forty_two(levels: usize) -> Vec<u8> {
    let mut level = zip_copies(&zip_of(&[("0", &vec![0u8; 2 << 20])]), "leaf", 16);
    for depth in 1..levels {
        level = zip_copies(&zip_of(&[("x", &level)]), &format!("lib{depth}-"), 16);
    }
    level
}

#[test]
fn forty_two_zip_is_stopped_by_depth_and_never_expands() {
    let bomb = forty_two(5);
    let (got, totals) = collect(&bomb, Kind::Zip, "42.zip", &Limits::default());
    assert_eq!(totals.members, 0);
    assert_eq!(totals.limits_hit, 16 * 16 * 16, "every level-4 zip is listed, none opened");
    assert!(got.iter().all(|g| matches!(g, Got::Limit(_, Limit::Depth))));
    assert!(totals.decompressed_bytes < 64 << 20, "{}", totals.decompressed_bytes);
    // Allowed all five levels, the leaves are refused by their declared ratio, and the member count ends it.
    let deep = Limits { max_depth: 6, max_members: 5000, ..Limits::default() };
    let (got, totals) = collect(&bomb, Kind::Zip, "42.zip", &deep);
    assert_eq!(totals.members, 0);
    assert!(got.iter().any(|g| matches!(g, Got::Limit(p, Limit::Ratio) if p.ends_with("!leaf0"))), "{:?}", &got[..3]);
    assert!(matches!(got.last(), Some(Got::Limit(_, Limit::Members))), "{:?}", got.last());
    assert!(totals.stopped && totals.decompressed_bytes < 64 << 20);
}

#[test]
fn gzip_of_ten_gigabytes_of_zeros_stops_at_once() {
    let bomb = gzip_parts(&[Part::Zeros(10 << 30)]);
    assert!(bomb.len() < 20 << 20, "{}", bomb.len());
    let (got, totals) = collect(&bomb, Kind::Gzip, "bomb.gz", &Limits::default());
    assert_eq!(got, vec![Got::Limit("bomb.gz!bomb".into(), Limit::Ratio)]);
    assert!(totals.decompressed_bytes < 4 << 20, "{}", totals.decompressed_bytes);
    // Even with no ratio limit, the member limit stops it after 32 MiB: a stream declares no size, so the member is
    // handed out up to the limit (as a large member, streamed) and listed as cut.
    let (got, totals) = collect(&bomb, Kind::Gzip, "bomb.gz", &Limits { max_ratio: u64::MAX, ..Limits::default() });
    assert_eq!(members(&got), vec![("bomb.gz!bomb".into(), vec![0u8; 32 << 20])]);
    assert_eq!(problems(&got), vec![Got::Limit("bomb.gz!bomb".into(), Limit::MemberTruncated)]);
    assert!(totals.decompressed_bytes <= (32 << 20) + (1 << 20), "{}", totals.decompressed_bytes);
    // Without the large-member stream (everything held), the limit skips it whole, as before it is read.
    let held = Limits { max_ratio: u64::MAX, max_held_bytes: u64::MAX, ..Limits::default() };
    let (got, _) = collect(&bomb, Kind::Gzip, "bomb.gz", &held);
    assert_eq!(got, vec![Got::Limit("bomb.gz!bomb".into(), Limit::MemberBytes)]);
}

#[test]
fn tar_gz_with_a_ten_gigabyte_member_is_abandoned_by_ratio() {
    let token = secret();
    let first = tar_of(&[(b"first.env", token.as_bytes())]);
    let first = &first[..first.len() - 1024]; // without the end-of-archive blocks
    let big = header(b"disk.img", 10 << 30);
    let bomb = gzip_parts(&[Part::Bytes(first), Part::Bytes(big.as_bytes()), Part::Zeros(10 << 30)]);
    let (got, totals) = collect(&bomb, Kind::Gzip, "b.tgz", &Limits::default());
    assert_eq!(members(&got), vec![("b.tgz!first.env".into(), token.as_bytes().to_vec())]);
    assert_eq!(
        problems(&got),
        vec![Got::Limit("b.tgz!disk.img".into(), Limit::MemberBytes), Got::Limit("b.tgz".into(), Limit::Ratio)]
    );
    assert!(totals.decompressed_bytes < 4 << 20, "{}", totals.decompressed_bytes);
}

#[test]
fn tar_long_name_header_claiming_100_mib_is_refused_not_buffered() {
    let mut long = tar::Header::new_gnu();
    long.as_gnu_mut().unwrap().name[..13].copy_from_slice(b"././@LongLink");
    long.set_entry_type(tar::EntryType::GNULongName);
    long.set_size(100 << 20);
    long.set_cksum();
    let bomb = gzip_parts(&[Part::Bytes(long.as_bytes()), Part::Zeros(100 << 20)]);
    let limits = Limits { max_ratio: u64::MAX, ..Limits::default() };
    let (got, totals) = collect(&bomb, Kind::Gzip, "n.tgz", &limits);
    assert!(matches!(&got[..], [Got::Error(p, r)] if p == "n.tgz" && r.contains("headers")), "{got:?}");
    assert!(totals.decompressed_bytes < 9 << 20, "{}", totals.decompressed_bytes);
}

#[test]
fn xz_asking_for_a_4_gib_dictionary_is_refused_before_allocating() {
    let mut data = xz(b"API_TOKEN=not-a-real-one\n");
    // The first block header (xz-file-format 3.1) follows the 12-byte stream header: its LZMA2 filter flags are
    // 0x21 (id), 0x01 (one property byte), then the dictionary size byte; 40 means 4 GiB - 1. Its CRC-32 is redone.
    let size = (usize::from(data[12]) + 1) * 4;
    let header = 12..12 + size - 4;
    let at = data[header.clone()].windows(2).position(|w| w == [0x21, 0x01]).unwrap() + 12 + 2;
    data[at] = 40;
    let crc = crc32fast::hash(&data[header.clone()]);
    data[header.end..header.end + 4].copy_from_slice(&crc.to_le_bytes());
    let (got, totals) = collect(&data, Kind::Xz, "big-dict.xz", &Limits::default());
    assert!(matches!(&got[..], [Got::Error(p, r)] if p == "big-dict.xz" && r.contains("decoder memory")), "{got:?}");
    assert_eq!(totals.decompressed_bytes, 0);
}
