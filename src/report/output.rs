//! Where a report goes: standard output, or a file that appears only when complete, with mode 0600. Every writer
//! writes through it.
use std::{
    fs::File,
    io::{self, BufWriter, Write},
    path::{Path, PathBuf},
};

use anyhow::{Context, Result};

/// Where the report goes: standard output, or a temporary file beside the destination that is renamed over it only
/// when the report is complete (so readers never see half a report), created with mode 0600 (reports name where
/// secrets live, and with `--include-secrets` hold them).
pub enum Output {
    Stdout(BufWriter<io::Stdout>),
    File {
        tmp: BufWriter<tempfile::NamedTempFile>,
        dest: PathBuf,
    },
    /// An existing destination that is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO): written in place.
    /// Renaming a temporary file over it would replace the device node itself.
    Special(BufWriter<File>),
    /// Kept in memory: the JSON report `scan --upload` sends, whatever `--format` writes.
    Memory(Vec<u8>),
}

impl Output {
    pub fn open(dest: Option<&Path>) -> Result<Output> {
        match dest {
            None => Ok(Output::Stdout(BufWriter::new(io::stdout()))),
            Some(dest) if std::fs::metadata(dest).is_ok_and(|m| !m.is_file()) => {
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(dest)
                    .with_context(|| format!("cannot open {} for the report", dest.display()))?;
                Ok(Output::Special(BufWriter::new(f)))
            }
            Some(dest) => {
                let dir = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
                // tempfile creates the file with mode 0600 on Unix.
                let tmp = tempfile::Builder::new()
                    .prefix(".credsweep-report-")
                    .tempfile_in(dir)
                    .with_context(|| format!("cannot create the report file in {}", dir.display()))?;
                Ok(Output::File { tmp: BufWriter::new(tmp), dest: dest.to_path_buf() })
            }
        }
    }

    /// The directory the report file goes to: a whole-document writer keeps its temporary file there, on the disk
    /// that will hold the report anyway (`None`: the system's temporary directory).
    pub fn dir(&self) -> Option<&Path> {
        match self {
            Output::File { dest, .. } => {
                Some(dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")))
            }
            _ => None,
        }
    }

    /// The bytes of an in-memory output (empty for the others).
    pub fn into_memory(self) -> Vec<u8> {
        match self {
            Output::Memory(v) => v,
            _ => Vec::new(),
        }
    }

    /// True when the report goes to a terminal (for colours).
    pub fn is_terminal(&self) -> bool {
        use std::io::IsTerminal;
        matches!(self, Output::Stdout(_)) && io::stdout().is_terminal()
    }

    /// Flush and, for a file, move it into place with mode 0600.
    pub fn finish(self) -> Result<()> {
        match self {
            Output::Stdout(mut w) => match w.flush() {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                r => r.context("cannot write the report to standard output"),
            },
            Output::Special(mut w) => w.flush().context("cannot write the report"),
            Output::Memory(_) => Ok(()),
            Output::File { tmp, dest } => {
                let tmp = tmp.into_inner().map_err(|e| e.into_error()).context("cannot write the report")?;
                tmp.as_file().sync_all().ok();
                set_private(tmp.as_file())?;
                tmp.persist(&dest).map_err(|e| e.error).with_context(|| format!("cannot write {}", dest.display()))?;
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File { tmp, .. } => tmp.write(buf),
            Output::Special(w) => w.write(buf),
            Output::Memory(v) => v.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::File { tmp, .. } => tmp.flush(),
            Output::Special(w) => w.flush(),
            Output::Memory(_) => Ok(()),
        }
    }
}

#[cfg(unix)]
fn set_private(f: &File) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(std::fs::Permissions::from_mode(0o600)).context("cannot set report file mode 0600")
}

#[cfg(not(unix))]
fn set_private(_f: &File) -> Result<()> {
    Ok(())
}
