//! Staying on each root's filesystem without a `stat` per directory.
//!
//! `ignore`'s `same_file_system` compares the device of every directory with its root's, by path: a `statx` that
//! resolves the whole path again, once per directory. On the 1.1 GB bench tree (126,000 directories, 18 deep) that
//! was 8.6% of a scan's CPU samples. On Linux a directory can only be on another filesystem if it is a mount point,
//! and every mount point is in `/proc/self/mountinfo`: read it once, and compare devices (with the same `stat`) only
//! for directories that are mount points.
//!
//! That holds for the usual local filesystems, not for all: a btrfs subvolume has its own device without being a
//! mount, and network filesystems mount referrals on first access. So the table is used only when a root lies on a
//! filesystem of [`PLAIN`]; otherwise (and off Linux, or when the table cannot be read) the walker keeps its own
//! check. A filesystem mounted under a root after the scan started is walked (the table is read once).
use std::{
    collections::HashSet,
    ffi::OsString,
    path::{Path, PathBuf},
};

/// Filesystems whose directories all have the device of their mount.
const PLAIN: &[&str] = &["ext2", "ext3", "ext4", "xfs", "tmpfs", "f2fs", "jfs", "vfat", "exfat", "ntfs3", "overlay"];

/// One line of the mount table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mount {
    point: PathBuf,
    dev: (u32, u32),
    fstype: String,
}

/// The roots and the mount points below them.
#[derive(Debug)]
pub struct Fence {
    /// (root as given to the walker, canonical root, its device).
    roots: Vec<(PathBuf, PathBuf, u64)>,
    /// Mount points strictly below a root, canonical.
    points: HashSet<PathBuf>,
    /// Their last components: a directory with another name is not one of them, whatever its path.
    names: HashSet<OsString>,
}

impl Fence {
    /// The fence for these roots, or `None` when the walker must check devices itself.
    pub fn new(roots: &[PathBuf]) -> Option<Fence> {
        let table = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
        Fence::from_table(&parse(&table), roots, |p| device(p).ok())
    }

    fn from_table(table: &[Mount], roots: &[PathBuf], dev_of: impl Fn(&Path) -> Option<u64>) -> Option<Fence> {
        let mut fence = Fence { roots: Vec::new(), points: HashSet::new(), names: HashSet::new() };
        for root in roots {
            let canon = std::fs::canonicalize(root).ok()?;
            // The mount holding the root: the last listed at the longest prefix (later mounts hide earlier ones).
            let holder =
                table.iter().filter(|m| canon.starts_with(&m.point)).fold(None::<&Mount>, |best, m| match best {
                    Some(b) if b.point.components().count() > m.point.components().count() => Some(b),
                    _ => Some(m),
                })?;
            let dev = dev_of(&canon)?;
            if !PLAIN.contains(&holder.fstype.as_str()) || dev != makedev(holder.dev) {
                return None;
            }
            fence.points.extend(
                table.iter().filter(|m| m.point != canon && m.point.starts_with(&canon)).map(|m| m.point.clone()),
            );
            fence.roots.push((root.clone(), canon, dev));
        }
        fence.names = fence.points.iter().filter_map(|p| p.file_name()).map(|n| n.to_os_string()).collect();
        Some(fence)
    }

    /// True when `dir`, a directory the walker found below one of the roots (without following links), is on
    /// another filesystem than that root: it is a mount point whose device differs (or cannot be read).
    pub fn crosses(&self, dir: &Path) -> bool {
        // Called for every directory: most trees hold no mount point, and no directory of most names is one.
        if self.names.is_empty() || !dir.file_name().is_some_and(|n| self.names.contains(n)) {
            return false;
        }
        for (given, canon, dev) in &self.roots {
            if let Ok(rel) = dir.strip_prefix(given) {
                let real = canon.join(rel);
                return self.points.contains(&real) && device(&real).map_or(true, |d| d != *dev);
            }
        }
        false
    }
}

#[cfg(unix)]
fn device(path: &Path) -> std::io::Result<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).map(|m| m.dev())
}

#[cfg(not(unix))]
fn device(_: &Path) -> std::io::Result<u64> {
    Err(std::io::Error::other("no device numbers"))
}

#[cfg(target_os = "linux")]
fn makedev((major, minor): (u32, u32)) -> u64 {
    libc::makedev(major, minor)
}

#[cfg(not(target_os = "linux"))]
fn makedev(_: (u32, u32)) -> u64 {
    u64::MAX
}

/// Parse `/proc/self/mountinfo` (proc(5)): `id parent major:minor root point options [optional...] - type source
/// super-options`, paths with `\NNN` octal escapes. Lines that don't parse are left out.
fn parse(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(' ').collect();
            let (major, minor) = fields.get(2)?.split_once(':')?;
            let dash = fields.iter().position(|f| *f == "-")?;
            Some(Mount {
                point: PathBuf::from(unescape(fields.get(4)?)),
                dev: (major.parse().ok()?, minor.parse().ok()?),
                fstype: fields.get(dash + 1)?.to_string(),
            })
        })
        .collect()
}

fn unescape(s: &str) -> std::ffi::OsString {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let octal = b.get(i + 1..i + 4).filter(|d| b[i] == b'\\' && d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match octal {
            Some(d) => {
                out.push((d[0] - b'0') << 6 | (d[1] - b'0') << 3 | (d[2] - b'0'));
                i += 4;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        std::ffi::OsString::from_vec(out)
    }
    #[cfg(not(unix))]
    String::from_utf8_lossy(&out).into_owned().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 259:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
30 27 0:40 / /home/u/My\\040Drive rw,nosuid shared:5 - fuse.rclone drive: rw
31 27 0:41 / /home/u/mnt rw master:2 - nfs4 srv:/x rw
32 27 259:1 /home/u/src /home/u/bind rw - ext4 /dev/vda1 rw
33 27 0:50 / /srv/pool rw - btrfs /dev/vdb rw
bad line
";

    #[test]
    fn parses_points_devices_types_and_escapes() {
        let t = parse(TABLE);
        assert_eq!(t.len(), 6);
        assert_eq!(t[1], Mount { point: "/".into(), dev: (259, 1), fstype: "ext4".into() });
        assert_eq!(t[2].point, Path::new("/home/u/My Drive"));
        assert_eq!(t[3].fstype, "nfs4");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn fence_only_on_plain_filesystems_and_lists_mounts_below_roots() {
        let t = parse(TABLE);
        let root_dev = makedev((259, 1));
        // `canonicalize` needs real paths: "/" is one on every Linux machine.
        let fence = Fence::from_table(&t, &[PathBuf::from("/")], |_| Some(root_dev)).expect("ext4 root");
        let points: HashSet<&Path> = fence.points.iter().map(|p| p.as_path()).collect();
        assert!(points.contains(Path::new("/home/u/mnt")) && points.contains(Path::new("/proc")));
        assert!(points.contains(Path::new("/home/u/bind")), "same-device bind mounts are compared, not skipped");
        assert!(!fence.crosses(Path::new("/home/u/src")), "not a mount point: no stat, same filesystem");
        assert!(fence.names.contains(std::ffi::OsStr::new("My Drive")));
        assert!(Fence::from_table(&t, &[PathBuf::from("/")], |_| Some(root_dev + 1)).is_none(), "device mismatch");
        let btrfs = parse("27 1 0:50 / / rw - btrfs /dev/vdb rw\n");
        assert!(Fence::from_table(&btrfs, &[PathBuf::from("/")], |_| Some(makedev((0, 50)))).is_none());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_machines_table_parses() {
        let t = parse(&std::fs::read_to_string("/proc/self/mountinfo").unwrap());
        assert!(t.iter().any(|m| m.point == Path::new("/")), "{t:?}");
    }
}
