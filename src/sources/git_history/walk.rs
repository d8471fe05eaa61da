//! Which commits to read, and in which order.
//!
//! The tips are every ref and `HEAD` (or the revisions the user named); `REV` of a `REV..HEAD` range is hidden
//! together with its ancestry; `--since` cuts off older commits. gix's walk does the traversal (it honours
//! `.git/shallow` and uses the commit-graph file when there is one); the result is then sorted parents-first, oldest
//! first among independent commits (Kahn's algorithm with a min-heap on commit time), so that "the first commit that
//! introduced a blob" is well defined even when committer clocks disagree with the graph.
use std::{cmp::Reverse, collections::BinaryHeap};

use anyhow::{bail, Context, Result};
use gix::{
    hashtable::HashMap, revision::walk::Sorting, traverse::commit::simple::CommitTimeOrder, ObjectId, Repository,
};

use super::{Options, Stats};

/// One commit of the walk: its id, its parents (all of them, including ones outside the walk), its committer time.
pub(super) struct Node {
    pub id: ObjectId,
    pub parents: gix::traverse::commit::ParentIds,
    pub time: i64,
}

/// The commits to read, parents first.
pub(super) fn commits(repo: &Repository, opts: &Options, stats: &mut Stats) -> Result<Vec<Node>> {
    let (tips, hidden) = match &opts.range {
        Some(range) => range_ends(repo, range, &opts.refs)?,
        None => (tips(repo, &opts.refs, stats)?, Vec::new()),
    };
    if tips.is_empty() {
        return Ok(Vec::new()); // an empty repository: nothing committed yet
    }
    let sorting = match opts.since {
        Some(seconds) => Sorting::ByCommitTimeCutoff { order: CommitTimeOrder::NewestFirst, seconds },
        None => Sorting::ByCommitTime(CommitTimeOrder::NewestFirst),
    };
    let walk = repo.rev_walk(tips).sorting(sorting).with_hidden(hidden).all().context("cannot walk the commits")?;
    let mut nodes = Vec::new();
    for info in walk {
        match info {
            Ok(info) => {
                let time = info.commit_time.unwrap_or_default();
                if opts.since.is_none_or(|since| time >= since) {
                    nodes.push(Node { id: info.id, parents: info.parent_ids, time });
                }
            }
            Err(e) => stats.error(format!("commit walk: {e}")),
        }
    }
    Ok(parents_first(nodes))
}

/// History-mode tips: the named revisions, or every ref that leads to a commit plus `HEAD`; sorted, deduplicated.
fn tips(repo: &Repository, names: &[String], stats: &mut Stats) -> Result<Vec<ObjectId>> {
    let mut tips = Vec::new();
    if names.is_empty() {
        let refs = repo.references().context("cannot read the refs")?;
        for reference in refs.all().context("cannot read the refs")? {
            let peeled = reference.map_err(|e| anyhow::anyhow!("{e}")).and_then(|mut r| {
                let id = r.peel_to_id().map_err(|e| anyhow::anyhow!("{}: {e}", r.name().as_bstr()))?;
                Ok(id.object()?.peel_to_commit().ok().map(|c| c.id))
            });
            match peeled {
                Ok(Some(id)) => tips.push(id),
                Ok(None) => stats.refs_skipped += 1,
                Err(e) => stats.error(format!("ref: {e}")),
            }
        }
        // A detached HEAD is not under refs/; an unborn one (empty repository) has no id.
        if let Ok(head) = repo.head_id() {
            tips.push(head.detach());
        }
    } else {
        for name in names {
            tips.push(commit_of(repo, name)?);
        }
    }
    tips.sort_unstable();
    tips.dedup();
    Ok(tips)
}

/// Diff-mode ends: `REV` means `REV..HEAD` (or `REV..<each named ref>`), `A..B` is taken as written.
fn range_ends(repo: &Repository, range: &str, refs: &[String]) -> Result<(Vec<ObjectId>, Vec<ObjectId>)> {
    if range.contains("...") {
        bail!("{range}: symmetric ranges (A...B) are not supported; use REV or A..B");
    }
    let (base, heads): (&str, Vec<&str>) = match range.split_once("..") {
        Some((a, b)) => (a, vec![if b.is_empty() { "HEAD" } else { b }]),
        None if refs.is_empty() => (range, vec!["HEAD"]),
        None => (range, refs.iter().map(String::as_str).collect()),
    };
    let base = commit_of(repo, if base.is_empty() { "HEAD" } else { base })?;
    let heads = heads.into_iter().map(|h| commit_of(repo, h)).collect::<Result<Vec<_>>>()?;
    Ok((heads, vec![base]))
}

/// The commit a revision names (tags peeled), or a one-line error.
fn commit_of(repo: &Repository, spec: &str) -> Result<ObjectId> {
    let id = repo.rev_parse_single(spec).map_err(|e| anyhow::anyhow!("unknown revision '{spec}': {e}"))?;
    let commit = id.object().ok().and_then(|o| o.peel_to_commit().ok());
    commit.map(|c| c.id).with_context(|| format!("revision '{spec}' does not name a commit"))
}

/// Sort `nodes` so every commit comes after its parents (those in the walk), oldest first where the graph leaves a
/// choice. Linear apart from the heap: O(n log n).
fn parents_first(nodes: Vec<Node>) -> Vec<Node> {
    let index: HashMap<ObjectId, u32> = nodes.iter().enumerate().map(|(i, n)| (n.id, i as u32)).collect();
    let mut waiting = vec![0u32; nodes.len()];
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        for parent in &node.parents {
            if let Some(&p) = index.get(parent) {
                waiting[i] += 1;
                children[p as usize].push(i as u32);
            }
        }
    }
    let mut ready: BinaryHeap<Reverse<(i64, u32)>> =
        (0..nodes.len()).filter(|&i| waiting[i] == 0).map(|i| Reverse((nodes[i].time, i as u32))).collect();
    let mut order = Vec::with_capacity(nodes.len());
    while let Some(Reverse((_, i))) = ready.pop() {
        order.push(i);
        for &c in &children[i as usize] {
            waiting[c as usize] -= 1;
            if waiting[c as usize] == 0 {
                ready.push(Reverse((nodes[c as usize].time, c)));
            }
        }
    }
    // A cycle cannot happen with content-addressed commits; if a corrupt graph had one, its commits still get read.
    let mut placed = vec![false; nodes.len()];
    order.iter().for_each(|&i| placed[i as usize] = true);
    order.extend((0..nodes.len() as u32).filter(|&i| !placed[i as usize]));
    let mut slots: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i as usize].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[n; 20])
    }

    fn node(n: u8, parents: &[u8], time: i64) -> Node {
        Node { id: id(n), parents: parents.iter().map(|&p| id(p)).collect(), time }
    }

    #[test]
    fn parents_come_first_even_when_clocks_disagree() {
        // 3 is a child of 2 but claims an older time; 4 merges 3 and 1; 9 is outside the walk.
        let nodes = vec![node(4, &[3, 1], 40), node(3, &[2], 5), node(2, &[9], 20), node(1, &[], 10)];
        let order: Vec<ObjectId> = parents_first(nodes).into_iter().map(|n| n.id).collect();
        assert_eq!(order, vec![id(1), id(2), id(3), id(4)]);
    }

    #[test]
    fn independent_commits_are_oldest_first() {
        let nodes = vec![node(1, &[], 30), node(2, &[], 10), node(3, &[], 20)];
        let order: Vec<ObjectId> = parents_first(nodes).into_iter().map(|n| n.id).collect();
        assert_eq!(order, vec![id(2), id(3), id(1)]);
    }
}
