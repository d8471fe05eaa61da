//! Unattended runs (MDM, systemd timers): timestamped reports in a directory, rotation, and a lock so two scans
//! never run at once (a slow scan must not pile up behind the next timer tick).
use std::{
    fs::File,
    path::{Path, PathBuf},
};

use anyhow::{bail, Context, Result};

use crate::config::Format;

/// The lock file's name inside the output directory.
pub const LOCK_NAME: &str = ".credsweep.lock";
const PREFIX: &str = "credsweep-";

/// Held for the whole scan; the OS releases it when the process ends, however it ends.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Take the directory's lock, or fail at once (never wait) when another scan holds it. A missing directory is
/// created, readable by its owner only (reports say where secrets live), so a deployment needs no setup step.
pub fn lock(dir: &Path) -> Result<Lock> {
    if !dir.exists() {
        create_private_dir(dir)?;
    }
    match try_lock(dir, LOCK_NAME)? {
        Some(lock) => Ok(lock),
        None => bail!("another credsweep scan is running (it holds {})", dir.join(LOCK_NAME).display()),
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).with_context(|| format!("cannot create the output directory {}", dir.display()))
}

/// Take the lock file `name` in `dir` without waiting: `None` when another process holds it.
pub fn try_lock(dir: &Path, name: &str) -> Result<Option<Lock>> {
    let path = dir.join(name);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open lock file {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
                return Ok(None);
            }
            bail!("cannot lock {}: {e}", path.display());
        }
    }
    Ok(Some(Lock { _file: file }))
}

/// `credsweep-<host>-<UTC timestamp>.<ext>`: names sort by time, so rotation is a sort.
pub fn report_path(dir: &Path, format: Format, hostname: &str) -> PathBuf {
    let ext = match format {
        Format::Json => "json",
        Format::Jsonl => "jsonl",
        Format::Sarif => "sarif",
        Format::Human => "txt",
    };
    let host: String =
        hostname.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect();
    let stamp = humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string().replace([':', '-', '.'], "");
    dir.join(format!("{PREFIX}{host}-{stamp}.{ext}"))
}

/// Keep the newest `keep` reports (by the timestamp in their names); remove the rest.
pub fn rotate(dir: &Path, keep: usize) -> Result<Vec<PathBuf>> {
    let mut reports: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_owned();
            let stamp = name.strip_prefix(PREFIX)?.rsplit_once('-')?.1.to_owned();
            (e.file_type().ok()?.is_file()).then_some((stamp, e.path()))
        })
        .collect();
    reports.sort();
    let excess = reports.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for (_, p) in reports.into_iter().take(excess) {
        std::fs::remove_file(&p).with_context(|| format!("cannot remove old report {}", p.display()))?;
        removed.push(p);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_is_exclusive_and_rotation_keeps_newest() {
        let d = tempfile::tempdir().unwrap();
        let l = lock(d.path()).unwrap();
        assert!(lock(d.path()).unwrap_err().to_string().contains("another credsweep scan is running"));
        drop(l);
        assert!(lock(d.path()).is_ok());
        let fresh = d.path().join("new/reports");
        let _l = lock(&fresh).unwrap();
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777, 0o700, "created private");
        for stamp in ["20260101T000000000Z", "20260301T000000000Z", "20260201T000000000Z"] {
            std::fs::write(d.path().join(format!("credsweep-host-a-{stamp}.json")), "{}").unwrap();
        }
        std::fs::write(d.path().join("notes.txt"), "keep me").unwrap();
        let removed = rotate(d.path(), 2).unwrap();
        assert_eq!(removed, vec![d.path().join("credsweep-host-a-20260101T000000000Z.json")]);
        assert!(d.path().join("notes.txt").exists());
    }
}
