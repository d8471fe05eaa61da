//! Scan what is about to be committed, using the `git` executable: the staged versions of staged files
//! (`--git-staged`, for a pre-commit hook). Committed history (`--git-history`, `--git-diff REV`) is read in-process
//! by [`super::git_history`].
//!
//! Paths are reported relative to the repository's top level, as git prints them. Staged content is scanned from
//! memory (it may differ from the working tree).
use std::{
    io::{BufRead, BufReader, Read, Write},
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use anyhow::{bail, Context, Result};

use super::Worker;
use crate::{read::SkipReason, scanner::Input};

/// `--git-staged`: scan the staged version of every staged file of the repository at `top`.
pub fn scan_staged(worker: &mut Worker, top: &Path, max_size: u64) -> Result<()> {
    let (_, files) = staged(top, max_size)?;
    for (path, content) in files {
        match content {
            Ok(c) => {
                let mut input = Input::new(Path::new(&path));
                // The staged file has its place in the working tree: whether git has it committed (so a pre-commit
                // hook can say "not committed yet") and a `KEY.pub` are looked up there. Its content is the blob's.
                input.origin.on_disk = true;
                worker.feed.content(&input, &c)
            }
            Err(_too_large) => worker.feed.skip_file(SkipReason::TooLarge),
        }
    }
    Ok(())
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir).env("GIT_OPTIONAL_LOCKS", "0");
    c
}

fn output(cmd: &mut Command, what: &str) -> Result<Vec<u8>> {
    let out = cmd.stderr(Stdio::piped()).output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            anyhow::anyhow!("{what}: the git executable was not found in PATH")
        } else {
            anyhow::anyhow!("{what}: cannot run git: {e}")
        }
    })?;
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr);
        let first = msg.lines().find(|l| !l.trim().is_empty()).unwrap_or("git failed").trim().to_owned();
        bail!("{what}: {first}");
    }
    Ok(out.stdout)
}

/// The repository's top-level directory; a clear error outside a repository.
pub fn toplevel(dir: &Path) -> Result<PathBuf> {
    let out = git(dir).args(["rev-parse", "--show-toplevel"]).stderr(Stdio::piped()).output();
    match out {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!("the git executable was not found in PATH"),
        Err(e) => bail!("cannot run git: {e}"),
        Ok(o) if !o.status.success() => bail!("'{}' is not inside a git repository", dir.display()),
        Ok(o) => Ok(PathBuf::from(String::from_utf8_lossy(&o.stdout).trim_end_matches(['\n', '\r']))),
    }
}

/// A staged blob's content, or its size when it is over the size limit (not read).
pub type Staged = Result<Vec<u8>, u64>;

/// Every added, copied, modified or renamed file in the index, with its *staged* content (what will be committed,
/// not what the working tree holds). Blobs over `max_size` come back empty with `too_large` set by the caller's
/// check on `size`.
pub fn staged(dir: &Path, max_size: u64) -> Result<(PathBuf, Vec<(String, Staged)>)> {
    let top = toplevel(dir)?;
    let raw = output(
        git(&top).args(["diff", "--cached", "--raw", "-z", "--no-abbrev", "--diff-filter=ACMR", "--no-renames"]),
        "--git-staged",
    )?;
    // Records: ":<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0".
    let mut items = Vec::new();
    let mut parts = raw.split(|&b| b == 0).filter(|p| !p.is_empty());
    while let (Some(meta), Some(path)) = (parts.next(), parts.next()) {
        let meta = String::from_utf8_lossy(meta);
        let fields: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        if fields.len() < 5 || fields[1] == "160000" || fields[1] == "120000" {
            continue; // submodule or symlink: no file content to scan
        }
        items.push((String::from_utf8_lossy(path).into_owned(), fields[3].to_owned()));
    }
    if items.is_empty() {
        return Ok((top, Vec::new()));
    }
    let mut child = git(&top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("--git-staged: cannot run git cat-file")?;
    let mut stdin = child.stdin.take().expect("piped");
    let shas: Vec<String> = items.iter().map(|(_, s)| s.clone()).collect();
    let feeder = std::thread::spawn(move || {
        for s in shas {
            if writeln!(stdin, "{s}").is_err() {
                break;
            }
        }
    });
    let mut out = BufReader::new(child.stdout.take().expect("piped"));
    let mut files = Vec::with_capacity(items.len());
    for (path, _) in items {
        let mut header = String::new();
        out.read_line(&mut header).context("--git-staged: git cat-file ended early")?;
        let size: u64 = header
            .split(' ')
            .nth(2)
            .and_then(|s| s.trim().parse().ok())
            .context("--git-staged: unexpected git cat-file output")?;
        let mut content = Vec::new();
        (&mut out).take(size).read_to_end(&mut content)?;
        let mut nl = [0u8; 1];
        out.read_exact(&mut nl)?;
        files.push((path, if size > max_size { Err(size) } else { Ok(content) }));
    }
    feeder.join().ok();
    child.wait().ok();
    Ok((top, files))
}
