//! The offline queue: reports waiting for the registry, one gzip file each, oldest first.
//!
//! Why a spool and not an error: a laptop scanned by an MDM job is often offline, and the job must neither fail nor
//! lose the inventory. Every report to send is written here first (atomically, 0600, in a 0700 directory owned by
//! the user), then the queue is flushed oldest first; a report leaves the queue only once the registry acknowledged
//! it, so a crash or a network cut at any point loses nothing. Bounded in count and bytes: when full, the oldest
//! reports are dropped (and the command says how many), since the newest inventory is the one that matters.
//!
//! File names: `<unix millis, 16 digits>-<report id>.json.gz`, so a name sort is the send order and the id (the
//! registry's idempotency key) survives the queue. Reports refused by the registry (4xx) move to `rejected/`, with
//! the reason beside them in `<name>.reason`, and are never retried.
use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::{bail, Context, Result};

const SUFFIX: &str = ".json.gz";
pub const REJECTED_DIR: &str = "rejected";
/// Reports kept aside after a rejection: enough to diagnose, never an unbounded pile.
const MAX_REJECTED: usize = 20;

/// One queued report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub path: PathBuf,
    /// The report id (idempotency key) from the file name.
    pub id: String,
    pub size: u64,
}

pub struct Spool {
    dir: PathBuf,
}

impl Spool {
    /// Open (creating) the spool directory, mode 0700. A directory that belongs to another user is refused: its
    /// owner could read or plant reports.
    pub fn open(dir: &Path) -> Result<Spool> {
        fs::create_dir_all(dir).with_context(|| format!("cannot create the spool directory {}", dir.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            let meta = fs::symlink_metadata(dir).with_context(|| format!("spool directory {}", dir.display()))?;
            if !meta.is_dir() {
                bail!("spool directory {} is not a directory", dir.display());
            }
            if meta.uid() != unsafe { libc::geteuid() } {
                bail!("spool directory {} belongs to another user (uid {})", dir.display(), meta.uid());
            }
            if meta.mode() & 0o777 != 0o700 {
                fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
                    .with_context(|| format!("cannot make {} private (0700)", dir.display()))?;
            }
        }
        Ok(Spool { dir: dir.to_path_buf() })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Queue a gzip-compressed report under its id. Returns the queued item.
    pub fn push(&self, id: &str, gz: &[u8]) -> Result<Item> {
        let millis = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_millis();
        let name = format!("{millis:016}-{id}{SUFFIX}");
        let path = self.dir.join(&name);
        // Written to a temporary file in the same directory and renamed: a half-written report is never queued.
        let mut tmp = tempfile::Builder::new()
            .prefix(".incoming-")
            .tempfile_in(&self.dir)
            .with_context(|| format!("cannot write to the spool directory {}", self.dir.display()))?;
        tmp.write_all(gz).and_then(|()| tmp.as_file().sync_all()).context("cannot write a queued report")?;
        tmp.persist(&path).map_err(|e| e.error).context("cannot queue the report")?;
        Ok(Item { path, id: id.to_owned(), size: gz.len() as u64 })
    }

    /// Queued reports, oldest first.
    pub fn items(&self) -> Result<Vec<Item>> {
        let mut items = Vec::new();
        for entry in fs::read_dir(&self.dir).with_context(|| format!("cannot list {}", self.dir.display()))? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let Some(stem) = name.strip_suffix(SUFFIX) else { continue };
            let Some((stamp, id)) = stem.split_once('-') else { continue };
            if stamp.len() != 16 || !stamp.bytes().all(|b| b.is_ascii_digit()) || !valid_id(id) {
                continue;
            }
            let meta = entry.metadata()?;
            if !meta.is_file() {
                continue;
            }
            items.push(Item { path: entry.path(), id: id.to_owned(), size: meta.len() });
        }
        items.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(items)
    }

    /// Drop the oldest reports until at most `max_reports` and `max_bytes` are queued. Returns how many went.
    pub fn bound(&self, max_reports: usize, max_bytes: u64) -> Result<usize> {
        let items = self.items()?;
        let mut total: u64 = items.iter().map(|i| i.size).sum();
        let mut count = items.len();
        let mut dropped = 0;
        for item in &items {
            // The newest report always stays, however large: it is the inventory being sent.
            if (count <= max_reports && total <= max_bytes) || count == 1 {
                break;
            }
            fs::remove_file(&item.path).with_context(|| format!("cannot remove {}", item.path.display()))?;
            total -= item.size;
            count -= 1;
            dropped += 1;
        }
        Ok(dropped)
    }

    /// The registry acknowledged it: it leaves the queue.
    pub fn remove(&self, item: &Item) -> Result<()> {
        match fs::remove_file(&item.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("cannot remove {}", item.path.display()))
            }
            _ => Ok(()),
        }
    }

    /// The registry refused it for good (4xx): keep it aside with the reason, never retry it. Returns where it went.
    pub fn reject(&self, item: &Item, reason: &str) -> Result<PathBuf> {
        let dir = self.dir.join(REJECTED_DIR);
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let name = item.path.file_name().expect("queued files have names");
        let dest = dir.join(name);
        fs::rename(&item.path, &dest).with_context(|| format!("cannot move {} aside", item.path.display()))?;
        let mut reason_path = dest.clone().into_os_string();
        reason_path.push(".reason");
        fs::write(&reason_path, format!("{reason}\n")).context("cannot record the rejection reason")?;
        // Bounded like the queue: the oldest rejections (and their reasons) go first.
        let mut kept: Vec<PathBuf> = fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_str().is_some_and(|s| s.ends_with(SUFFIX)))
            .collect();
        kept.sort();
        while kept.len() > MAX_REJECTED {
            let old = kept.remove(0);
            let mut r = old.clone().into_os_string();
            r.push(".reason");
            let _ = fs::remove_file(&old);
            let _ = fs::remove_file(PathBuf::from(r));
        }
        Ok(dest)
    }
}

/// A report id as it may appear in a file name and an HTTP header: short, visible ASCII, no path separators.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 100 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Where reports wait by default: the user's state directory (XDG on Linux and BSD, Application Support on macOS,
/// LocalAppData on Windows), `credsweep/spool` inside it.
pub fn default_dir() -> Option<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    let base = if cfg!(windows) {
        env("LOCALAPPDATA")?
    } else if cfg!(target_os = "macos") {
        env("HOME")?.join("Library/Application Support")
    } else {
        env("XDG_STATE_HOME").filter(|p| p.is_absolute()).or_else(|| Some(env("HOME")?.join(".local/state")))?
    };
    Some(base.join("credsweep").join("spool"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_order_bounds_and_rejection() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("spool");
        let spool = Spool::open(&dir).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        }
        let a = spool.push("rpt-a", b"aaaa").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(3));
        let b = spool.push("rpt-b", b"bbbbbbbb").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(3));
        let c = spool.push("rpt-c", b"cc").unwrap();
        fs::write(dir.join("unrelated.txt"), "x").unwrap();
        assert_eq!(spool.items().unwrap(), vec![a.clone(), b.clone(), c.clone()], "oldest first, others ignored");

        // Over the byte bound: the oldest go until it fits.
        assert_eq!(spool.bound(10, 10).unwrap(), 1);
        assert_eq!(spool.items().unwrap(), vec![b.clone(), c.clone()]);
        // Over the count bound.
        assert_eq!(spool.bound(1, 1000).unwrap(), 1);
        assert_eq!(spool.items().unwrap(), vec![c.clone()]);
        // The newest stays even when alone over the byte bound.
        assert_eq!(spool.bound(1, 0).unwrap(), 0);

        let dest = spool.reject(&c, "400: unknown schema").unwrap();
        assert!(spool.items().unwrap().is_empty());
        assert!(dest.starts_with(dir.join(REJECTED_DIR)));
        let reason = fs::read_to_string(format!("{}.reason", dest.display())).unwrap();
        assert_eq!(reason.trim(), "400: unknown schema");
    }

    #[test]
    fn ids_that_could_escape_the_directory_are_invalid() {
        assert!(valid_id("rpt-0123abcd"));
        for bad in ["", "../x", "a/b", "a b", "a\nb", &"x".repeat(101)] {
            assert!(!valid_id(bad), "{bad:?}");
        }
    }
}
