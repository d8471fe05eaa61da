//! Test helpers: archives built in memory with the same crates the reader uses (so the suite needs no `zip`/`tar`
//! command-line tools), synthetic secrets, hand-made bombs, and a visit that collects owned events.
use std::{io::Write, ops::ControlFlow};

use super::{visit_bytes, Event, Kind, Limit, Limits, Totals};

/// A synthetic GitHub-style token with a random body (never a real credential).
pub fn secret() -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut raw = [0u8; 36];
    getrandom::fill(&mut raw).unwrap();
    let body: String = raw.iter().map(|b| ALNUM[usize::from(*b) % ALNUM.len()] as char).collect();
    format!("ghp_{body}")
}

/// An event, owned, with the path as lossy text for readable assertions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Got {
    Member { path: String, data: Vec<u8>, mode: Option<u32>, mtime: Option<i64> },
    Encrypted(String),
    Limit(String, Limit),
    Error(String, String),
}

impl Got {
    pub fn path(&self) -> &str {
        match self {
            Got::Member { path, .. } | Got::Encrypted(path) | Got::Limit(path, _) | Got::Error(path, _) => path,
        }
    }
}

/// Visits `data` and collects every event.
pub fn collect(data: &[u8], kind: Kind, name: &str, limits: &Limits) -> (Vec<Got>, Totals) {
    let mut got = Vec::new();
    let totals = visit_bytes(data, kind, name.as_bytes(), limits, &mut |e| {
        got.push(own(e));
        ControlFlow::Continue(())
    });
    (got, totals)
}

/// The event, owned; a large member is read to its end (a failed read ends it early, and the visit lists it).
pub fn own(e: Event<'_>) -> Got {
    let text = |p: &[u8]| String::from_utf8_lossy(p).into_owned();
    match e {
        Event::Member(m) => Got::Member { path: text(m.path), data: m.data.to_vec(), mode: m.mode, mtime: m.mtime },
        Event::Large(l) => {
            let mut data = l.head.to_vec();
            let _ = std::io::Read::read_to_end(l.rest, &mut data);
            Got::Member { path: text(l.path), data, mode: l.mode, mtime: l.mtime }
        }
        Event::Encrypted { path } => Got::Encrypted(text(path)),
        Event::LimitHit { path, limit } => Got::Limit(text(path), limit),
        Event::Error { path, reason } => Got::Error(text(path), reason),
    }
}

/// The members' paths and bytes, in order.
pub fn members(got: &[Got]) -> Vec<(String, Vec<u8>)> {
    got.iter()
        .filter_map(|g| match g {
            Got::Member { path, data, .. } => Some((path.clone(), data.clone())),
            _ => None,
        })
        .collect()
}

pub fn problems(got: &[Got]) -> Vec<Got> {
    got.iter().filter(|g| !matches!(g, Got::Member { .. })).cloned().collect()
}

/// A zip of `(name, bytes)` members, deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
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

/// A zip holding `count` raw copies of the one member of `single` (a zip), named `prefix{i}` — compressed once, as
/// 42.zip was built.
pub fn zip_copies(single: &[u8], prefix: &str, count: usize) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(single)).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..count {
        let file = src.by_index_raw(0).unwrap();
        w.raw_copy_file_rename(file, format!("{prefix}{i}")).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A ustar tar of `(name, bytes)` members, mode 0640, mtime 1_700_000_000; names are written as given (bytes), so
/// `../x` and non-UTF-8 names survive.
pub fn tar_of(entries: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        b.append(&header(name, data.len() as u64), *data).unwrap();
    }
    b.into_inner().unwrap()
}

/// A ustar header for a regular file (name up to 100 bytes).
pub fn header(name: &[u8], size: u64) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.as_old_mut().name[..name.len()].copy_from_slice(name);
    h.set_size(size);
    h.set_mode(0o640);
    h.set_mtime(1_700_000_000);
    h.set_entry_type(tar::EntryType::Regular);
    h.set_cksum();
    h
}

pub fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn bz2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn xz(data: &[u8]) -> Vec<u8> {
    let mut w = lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(1)).unwrap();
    w.write_all(data).unwrap();
    w.finish().unwrap()
}

pub fn zst(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

/// A piece of a hand-made gzip stream.
pub enum Part<'a> {
    Bytes(&'a [u8]),
    /// This many zero bytes, as repeated 1 MiB deflate blocks (so 10 GB costs 10 MB and no compression time).
    Zeros(u64),
}

/// A valid gzip stream of `parts` (RFC 1952), built without compressing the zeros: each part is deflated from a
/// fresh state and ended with a full flush, so blocks can be repeated; CRC-32 and size are combined arithmetically.
pub fn gzip_parts(parts: &[Part<'_>]) -> Vec<u8> {
    const CHUNK: u64 = 1 << 20;
    let mut out = vec![0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff];
    let mut crc = crc32fast::Hasher::new();
    let mut size: u64 = 0;
    let zero_block = deflate_flushed(&vec![0u8; CHUNK as usize]);
    let mut zero_crc = crc32fast::Hasher::new();
    zero_crc.update(&vec![0u8; CHUNK as usize]);
    for part in parts {
        match part {
            Part::Bytes(b) => {
                out.extend_from_slice(&deflate_flushed(b));
                crc.update(b);
                size += b.len() as u64;
            }
            Part::Zeros(n) => {
                assert_eq!(n % CHUNK, 0, "zeros come in whole MiB");
                for _ in 0..n / CHUNK {
                    out.extend_from_slice(&zero_block);
                    crc.combine(&zero_crc);
                }
                size += n;
            }
        }
    }
    let mut last = flate2::Compress::new(flate2::Compression::default(), false);
    let mut tail = Vec::with_capacity(64);
    last.compress_vec(&[], &mut tail, flate2::FlushCompress::Finish).unwrap();
    out.extend_from_slice(&tail);
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    out.extend_from_slice(&(size as u32).to_le_bytes());
    out
}

/// Raw deflate of `data` from a fresh state, ended by a full flush (byte-aligned, no back-references out of it).
fn deflate_flushed(data: &[u8]) -> Vec<u8> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut out = Vec::with_capacity(data.len() / 2 + 1024);
    let mut input = data;
    loop {
        let before = c.total_in();
        c.compress_vec(input, &mut out, flate2::FlushCompress::Full).unwrap();
        input = &input[(c.total_in() - before) as usize..];
        if input.is_empty() && out.len() < out.capacity() {
            return out;
        }
        out.reserve(out.capacity());
    }
}

/// Sets every occurrence of a zip member's 32-bit field, in the local header (at `local_offset`) and the central
/// directory entry (at `central_offset`), for the member named `name`.
pub fn patch_zip_u32(zip: &mut [u8], name: &[u8], local_offset: usize, central_offset: usize, value: u32) {
    patch_zip(zip, name, local_offset, central_offset, &value.to_le_bytes());
}

/// Sets a zip member's 16-bit field in both headers (general-purpose flags at 6/8, method at 8/10).
pub fn patch_zip_u16(zip: &mut [u8], name: &[u8], local_offset: usize, central_offset: usize, value: u16) {
    patch_zip(zip, name, local_offset, central_offset, &value.to_le_bytes());
}

fn patch_zip(zip: &mut [u8], name: &[u8], local_offset: usize, central_offset: usize, bytes: &[u8]) {
    let mut patched = 0;
    for (sig, name_at, field_at) in [(b"PK\x03\x04", 30, local_offset), (b"PK\x01\x02", 46, central_offset)] {
        let mut i = 0;
        while let Some(p) = zip[i..].windows(4).position(|w| w == sig) {
            let at = i + p;
            if zip.get(at + name_at..at + name_at + name.len()) == Some(name) {
                zip[at + field_at..at + field_at + bytes.len()].copy_from_slice(bytes);
                patched += 1;
            }
            i = at + 4;
        }
    }
    assert_eq!(patched, 2, "one local header and one directory entry");
}
