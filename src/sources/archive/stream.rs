//! Compressed streams: gzip (flate2), bzip2 (the pure-Rust libbz2-rs-sys), xz (lzma-rust2, with a memory limit) and
//! zstd (ruzstd), all pure Rust. What a stream holds decides what it is: a tar (`.tar.gz`, `.tgz` …, one level) or a
//! single member named after the stream (`notes.txt.gz!notes.txt`), which may itself be an archive (`x.zip.gz`).
//!
//! Decoders size their windows from the stream, so each is bounded: gzip's is 32 KiB and bzip2's 900 kB by format,
//! xz's decoder gets a [`DECODER_MEMORY`] limit, checked on every block header before its dictionary is allocated (a
//! stream asking for more is listed, not decoded), and ruzstd refuses windows over 100 MiB. Concatenated gzip members, bzip2 and xz streams and zstd frames are read as one stream, as
//! the command-line tools do.
use std::io::{self, BufRead, BufReader, Read};

use ruzstd::decoding::{
    errors::{FrameDecoderError, ReadFrameHeaderError},
    BlockDecodingStrategy, FrameDecoder,
};

use super::{
    detect::{is_tar, stream_member_name, HEAD},
    limits::{Counting, Meter, Metered, DECODER_MEMORY},
    Fail, Kind, MemberInfo, Step, Walker,
};

impl Walker<'_> {
    /// The compressed stream `input` (`kind` is gzip, bzip2, xz or zstd) at `depth`: its tar, or its one member.
    pub(super) fn stream(&mut self, input: &mut dyn Read, kind: Kind, depth: u32) -> Step {
        let format = kind.as_str();
        let meter = Meter::default();
        let decoder = match decoder(kind, Counting { inner: input, meter: &meter }) {
            Ok(decoder) => decoder,
            Err(e) => return self.io_problem(format, &e),
        };
        let mut metered = Metered::new(decoder, self.budget, &meter, self.limits.max_ratio);
        let mut head = [0u8; HEAD];
        let n = match crate::read::read_full(&mut metered, &mut head) {
            Ok(n) => n,
            Err(e) => return self.io_problem(format, &e),
        };
        if is_tar(&head[..n]) {
            return self.tar(&mut (&head[..n]).chain(metered), depth);
        }
        let mark = self.enter(&stream_member_name(&self.path));
        let read = self.count_member().map_err(Fail::from);
        let step =
            match read.and_then(|()| self.member_after_head(&head[..n], &mut metered, MemberInfo::default(), depth)) {
                Ok(()) => Ok(()),
                Err(Fail::Halt) => Err(super::Halt),
                Err(Fail::Io(e)) => self.io_problem(format, &e),
            };
        self.leave(mark);
        step
    }
}

/// The decoder for `kind` over `input`.
fn decoder<'r, R: Read + 'r>(kind: Kind, input: R) -> io::Result<Box<dyn Read + 'r>> {
    Ok(match kind {
        Kind::Gzip => Box::new(flate2::read::MultiGzDecoder::new(input)),
        Kind::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(input)),
        Kind::Xz => Box::new(lzma_rust2::XzReader::new_mem_limit(input, true, (DECODER_MEMORY >> 10) as u32)),
        Kind::Zstd => {
            Box::new(ZstdFrames { source: BufReader::new(input), decoder: FrameDecoder::new(), in_frame: false })
        }
        Kind::Zip | Kind::Tar => return Err(io::Error::other(format!("{} is not a compressed stream", kind.as_str()))),
    })
}

/// Bytes a zstd frame decoder is asked for at a time: its buffer holds the window plus this.
const ZSTD_STEP: usize = 128 << 10;

/// Every zstd frame of a stream in turn (RFC 8878 §3.1: a stream is frames back to back; skippable frames carry no
/// data). ruzstd's `StreamingDecoder` reads one frame only.
struct ZstdFrames<R: Read> {
    source: BufReader<R>,
    decoder: FrameDecoder,
    in_frame: bool,
}

impl<R: Read> ZstdFrames<R> {
    /// Starts the next data frame; false at the end of the stream.
    fn next_frame(&mut self) -> io::Result<bool> {
        loop {
            if self.source.fill_buf()?.is_empty() {
                return Ok(false);
            }
            match self.decoder.reset(&mut self.source) {
                Ok(()) => return Ok(true),
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame { length, .. })) => {
                    let skipped = io::copy(&mut (&mut self.source).take(u64::from(length)), &mut io::sink())?;
                    if skipped < u64::from(length) {
                        return Err(io::ErrorKind::UnexpectedEof.into());
                    }
                }
                Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e.to_string())),
            }
        }
    }
}

impl<R: Read> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let want = buf.len().min(ZSTD_STEP);
        loop {
            if !self.in_frame {
                if !self.next_frame()? {
                    return Ok(0);
                }
                self.in_frame = true;
            }
            while self.decoder.can_collect() < want && !self.decoder.is_finished() {
                let more = want - self.decoder.can_collect();
                self.decoder
                    .decode_blocks(&mut self.source, BlockDecodingStrategy::UptoBytes(more))
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
            }
            let n = self.decoder.read(&mut buf[..want])?;
            if n > 0 {
                return Ok(n);
            }
            if self.decoder.is_finished() {
                self.in_frame = false;
            }
        }
    }
}
