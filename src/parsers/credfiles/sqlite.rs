//! gcloud's SQLite stores, read without SQLite: `credentials.db` (`credentials(account_id TEXT, value BLOB)`, the
//! value a Google credential JSON) and `access_tokens.db` (`access_tokens(account_id, access_token, token_expiry,
//! rapt_token, id_token)`).
//!
//! A strict reader of the documented file format (<https://www.sqlite.org/fileformat.html>) walks every table b-tree
//! leaf page and decodes the records stored wholly in it; rows are recognised by their shape. What it cannot see is
//! not guessed at: a record spilling into overflow pages, deleted rows in free space, and data still in a `-wal`
//! file are not reported. Spans are byte offsets in the database file. (The scanner's binary-file gate skips these
//! files, so a caller that wants them routes them here by [`super::tool_for_path`].)
use std::ops::Range;

use super::super::document::json as parse_json;
use super::jsonfmt::gcloud_doc;
use super::{Loc, Sink};

pub(crate) fn is_sqlite(text: &[u8]) -> bool {
    text.starts_with(b"SQLite format 3\0")
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Col {
    Null,
    /// Integers, floats and the constants 0 and 1: nothing here needs their value.
    Number,
    Text(Range<usize>),
    Blob(Range<usize>),
}

fn varint(b: &[u8], i: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for n in 0..9 {
        let byte = *b.get(*i)?;
        *i += 1;
        if n == 8 {
            return Some((v << 8) | u64::from(byte));
        }
        v = (v << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn be16(b: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?])))
}

/// The columns of one record (`body` starts at file offset `base`).
fn record(body: &[u8], base: usize) -> Option<Vec<Col>> {
    let mut i = 0;
    let header_len = usize::try_from(varint(body, &mut i)?).ok()?;
    if header_len > body.len() {
        return None;
    }
    let mut data = header_len;
    let mut cols = Vec::new();
    while i < header_len {
        let t = varint(body, &mut i)?;
        let len = match t {
            0 | 8 | 9 => 0,
            1..=4 => t as usize,
            5 => 6,
            6 | 7 => 8,
            10 | 11 => return None,
            _ => usize::try_from((t - 12) / 2).ok()?,
        };
        let range = data..data.checked_add(len).filter(|&e| e <= body.len())?;
        let abs = base + range.start..base + range.end;
        cols.push(match t {
            0 => Col::Null,
            1..=9 => Col::Number,
            _ if t % 2 == 0 => Col::Blob(abs),
            _ => Col::Text(abs),
        });
        data = range.end;
    }
    Some(cols)
}

/// Every record held wholly in a table leaf page.
fn rows(db: &[u8]) -> Vec<Vec<Col>> {
    let mut out = Vec::new();
    let Some(size) = be16(db, 16) else { return out };
    let page_size = if size == 1 { 65536 } else { size };
    let usable = page_size.saturating_sub(usize::from(db.get(20).copied().unwrap_or(0)));
    if page_size < 512 || !page_size.is_power_of_two() || usable < 480 {
        return out;
    }
    for (n, page) in db.chunks(page_size).enumerate() {
        let header = if n == 0 { 100 } else { 0 };
        if page.get(header) != Some(&0x0d) {
            continue;
        }
        let cells = be16(page, header + 3).unwrap_or(0);
        for c in 0..cells {
            let Some(ptr) = be16(page, header + 8 + 2 * c) else { break };
            let mut i = ptr;
            let (Some(payload), Some(_rowid)) = (varint(page, &mut i), varint(page, &mut i)) else { continue };
            let Ok(payload) = usize::try_from(payload) else { continue };
            if payload > usable - 35 {
                continue; // spills into overflow pages
            }
            let Some(body) = page.get(i..i + payload) else { continue };
            if let Some(cols) = record(body, n * page_size + i) {
                out.push(cols);
            }
        }
    }
    out
}

pub(crate) fn gcloud(db: &[u8], sink: &mut Sink) {
    let text = |r: &Range<usize>| String::from_utf8_lossy(&db[r.clone()]).into_owned();
    for row in rows(db) {
        match row.as_slice() {
            [Col::Text(account), Col::Text(value) | Col::Blob(value)] => {
                if let Some(mut doc) = parse_json(&db[value.clone()]) {
                    doc.shift(value.start);
                    gcloud_doc(&doc, sink, None, Some(&text(account)));
                }
            }
            [Col::Text(account), Col::Text(token), _, Col::Text(_) | Col::Null, id_token @ (Col::Text(_) | Col::Null)] =>
            {
                let account = Some(text(account));
                sink.secret(
                    token.clone(),
                    db[token.clone()].to_vec(),
                    Loc::new(None, "access_token").id(account.clone()),
                );
                if let Col::Text(r) = id_token {
                    sink.secret(r.clone(), db[r.clone()].to_vec(), Loc::new(None, "id_token").id(account));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        let mut i = 0;
        assert_eq!(varint(&[0x81, 0x00], &mut i), Some(128));
        let mut i = 0;
        assert_eq!(varint(&[0xff; 9], &mut i), Some(u64::MAX));
        let mut i = 0;
        assert_eq!(varint(&[0x81], &mut i), None);
        assert_eq!(record(&[3, 0x11, 1, b'a', b'b', 7], 10), Some(vec![Col::Text(13..15), Col::Number]));
        assert_eq!(record(&[2, 0x13, b'a'], 0), None);
    }
}
