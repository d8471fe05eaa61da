#!/usr/bin/env python3
"""Generate a git repository with a long synthetic history, for scripts/bench-git-history.sh.

    scripts/gen_git_repo.py DIR [--commits 5000] [--files 200] [--lines 40] [--seed 1] [--secrets 50] [--dir-size N]

The history is written with `git fast-import` (seconds for thousands of commits) and packed with `git gc`, as a
cloned repository would be. Shape: a main line where each commit edits one or two files (a changed or appended line),
now and then adds a file; every 400 commits a side branch of 20 commits is merged back with --no-ff, and a
tag is set. Planted secrets (synthetic: a known prefix and a random body, GitHub PAT with its checksum and AWS access
key formats) come in two kinds, half each: a new `.env`-style file deleted three commits later, and a line inserted into an existing file
and removed three commits later. Neither is in the final tree: only history has them.

DIR.planted.json (beside the repository, not in it) lists them: {"planted": [{"secret", "kind", "path", "commit_index"}], "commits": N}.
"""
import argparse
import json
import os
import random
import string
import subprocess
import sys
import zlib

WORDS = ("alpha beta gamma delta config value server port timeout retry cache index build deploy user group "
         "region bucket queue worker thread limit buffer stream token_count session handler route").split()
START = 1577836800  # 2020-01-01T00:00:00Z
AUTHORS = [("Ada Lovelace", "ada@example.test"), ("Grace Hopper", "grace@example.test"),
           ("Alan Turing", "alan@example.test"), ("Edsger Dijkstra", "edsger@example.test")]


def line(rng):
    return "%s_%d = %s %s %d" % (rng.choice(WORDS), rng.randrange(1000), rng.choice(WORDS), rng.choice(WORDS),
                                 rng.randrange(10 ** 6))


def make_secret(rng, kind):
    """-> (the string recall looks for, the lines planted). An AWS key id comes with its secret key, as in a real
    credentials file (some scanners report the id only in that company)."""
    if kind == "github":
        # 30 random characters and the CRC32 checksum GitHub appends (base62, 6 characters), as in a real token:
        # a scanner that checks it (credsweep does) must not be scored on tokens no GitHub would issue.
        body = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(30))
        body += crc32_base62(body)
        return "ghp_" + body, ["GITHUB_TOKEN=ghp_" + body]
    key_id = "AKIA" + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16))
    secret = "".join(rng.choice(string.ascii_letters + string.digits + "+/") for _ in range(40))
    return key_id, ["AWS_ACCESS_KEY_ID=" + key_id, "AWS_SECRET_ACCESS_KEY=" + secret]


B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def crc32_base62(data):
    n = zlib.crc32(data.encode()) & 0xFFFFFFFF
    out = ""
    for _ in range(6):
        out = B62[n % 62] + out
        n //= 62
    return out


class Writer:
    """Emits a fast-import stream; blobs inline, one mark per commit."""

    def __init__(self, out):
        self.out = out
        self.mark = 0

    def data(self, text):
        raw = text.encode()
        self.out.write(b"data %d\n" % len(raw))
        self.out.write(raw)
        self.out.write(b"\n")

    def commit(self, ref, when, author, message, parent, merge, changes):
        self.mark += 1
        name, email = author
        self.out.write(b"commit %s\nmark :%d\n" % (ref.encode(), self.mark))
        for role in (b"author", b"committer"):
            self.out.write(b"%s %s <%s> %d +0000\n" % (role, name.encode(), email.encode(), when))
        self.data(message)
        if parent:
            self.out.write(b"from :%d\n" % parent)
        if merge:
            self.out.write(b"merge :%d\n" % merge)
        for path, content in changes:
            if content is None:
                self.out.write(b"D %s\n" % path.encode())
            else:
                self.out.write(b"M 100644 inline %s\n" % path.encode())
                self.data(content)
        return self.mark


def build(args, out):
    rng = random.Random(args.seed)
    w = Writer(out)
    files = {"src/module_%03d/file_%04d.conf" % (i % 20, i): [line(rng) for _ in range(args.lines)]
             for i in range(args.files)}
    head = w.commit("refs/heads/main", START, AUTHORS[0], "initial import", None, None,
                    [(p, "\n".join(ls) + "\n") for p, ls in sorted(files.items())])
    planted, pending, clock, next_file = [], [], START, args.files
    every = max(1, args.commits // (args.secrets + 1)) if args.secrets else 0
    for i in range(1, args.commits):
        clock += 60 + rng.randrange(600)
        changes = []
        for _ in range(rng.choice((1, 1, 2))):
            path = rng.choice(list(files))
            ls = files[path]
            if len(ls) < args.lines * 2 and rng.random() < 0.3:
                ls.append(line(rng))
            else:
                ls[rng.randrange(len(ls))] = line(rng)
            changes.append((path, "\n".join(ls) + "\n"))
        if rng.random() < 0.02:
            # --dir-size N: new files go into directories of N files each, so no tree grows with the history
            # (a commit's cost then does not grow with the commits before it: the scaling runs use this).
            bucket = "/%04d" % ((next_file - args.files) // args.dir_size) if args.dir_size else ""
            path = "src/new%s/file_%05d.conf" % (bucket, next_file)
            next_file += 1
            files[path] = [line(rng) for _ in range(args.lines)]
            changes.append((path, "\n".join(files[path]) + "\n"))
        for due, path, content in [p for p in pending if p[0] == i]:
            changes.append((path, content))
        pending = [p for p in pending if p[0] != i]
        if every and i % every == 0 and len(planted) < args.secrets:
            kind = "github" if len(planted) % 2 == 0 else "aws"
            secret, text = make_secret(rng, kind)
            if len(planted) % 4 < 2:  # a file that is deleted again
                path = "config/leak_%04d.env" % len(planted)
                changes.append((path, "# local settings\n%s\nDEBUG=false\n" % "\n".join(text)))
                pending.append((i + 3, path, None))
            else:  # a line slipped into an existing file and removed again
                path = rng.choice(list(files))
                ls = files[path]
                changes = [c for c in changes if c[0] != path]
                changes.append((path, "\n".join(ls[:5] + text + ls[5:]) + "\n"))
                pending.append((i + 3, path, "\n".join(ls) + "\n"))
            planted.append({"secret": secret, "kind": kind, "path": path, "commit_index": i})
        changes = dedup_last(changes)
        author = AUTHORS[i % len(AUTHORS)]
        if i % 400 == 0:
            head = side_branch(w, rng, head, i, clock, author)
            w.out.write(b"reset refs/tags/v%d\nfrom :%d\n\n" % (i // 400, head))
        head = w.commit("refs/heads/main", clock, author, "change %d" % i, head, None, changes)
    return planted


def dedup_last(changes):
    """A path changed twice in one commit keeps its last content (a pending removal wins over an edit)."""
    seen, out = set(), []
    for path, content in reversed(changes):
        if path not in seen:
            seen.add(path)
            out.append((path, content))
    return list(reversed(out))


def side_branch(w, rng, head, i, clock, author):
    """20 commits on a side branch touching only its own files, merged back into main with a merge commit."""
    ref = "refs/heads/topic-%d" % i
    tip, contents = head, {}
    for j in range(20):
        path = "topic_%d/part_%d.txt" % (i, j % 5)
        contents[path] = contents.get(path, "") + line(rng) + "\n"
        tip = w.commit(ref, clock + j, author, "topic %d.%d" % (i, j), tip, None, [(path, contents[path])])
    return w.commit("refs/heads/main", clock + 30, author, "merge topic %d" % i, head, tip,
                    sorted(contents.items()))


def manifest_path(repo):
    """Beside the repository, not in it: a tool scanning the directory must not find the list of answers."""
    repo = os.path.abspath(repo)
    return os.path.join(os.path.dirname(repo), os.path.basename(repo) + ".planted.json")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--commits", type=int, default=5000)
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--lines", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--secrets", type=int, default=50)
    ap.add_argument("--dir-size", type=int, default=0,
                    help="new files in directories of this many (0: all in src/new, which grows with the history)")
    ap.add_argument("--no-gc", action="store_true", help="leave fast-import's pack as it is")
    args = ap.parse_args()
    if os.path.exists(args.dir) and os.listdir(args.dir):
        sys.exit("gen_git_repo: %s exists and is not empty" % args.dir)
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "init", "-q", "-b", "main", args.dir], check=True, env=env)
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=args.dir, stdin=subprocess.PIPE, env=env)
    planted = build(args, proc.stdin)
    proc.stdin.close()
    if proc.wait() != 0:
        sys.exit("gen_git_repo: git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "main"], cwd=args.dir, check=True, env=env)
    if not args.no_gc:
        subprocess.run(["git", "gc", "-q"], cwd=args.dir, check=True, env=env)
    with open(manifest_path(args.dir), "w") as f:
        json.dump({"planted": planted, "commits": args.commits}, f, indent=1)
    print("gen_git_repo: %s: %d commits on main (+ side branches), %d secrets planted"
          % (args.dir, args.commits, len(planted)))


if __name__ == "__main__":
    main()
