#!/usr/bin/env bash
# Scan benchmark: credsweep against peer scanners on a synthetic multi-user tree.
#
#   scripts/bench-scan.sh [--size-mb 220] [--threads 2] [--runs 3] [--tree DIR]
#                         [--seed 1] [--users 3] [--tools "credsweep credsweep40 kingfisher ..."]
#
# Steps: cargo build --release (skip: SKIP_BUILD=1) -> generate the tree once
# (scripts/gen_tree.py, cached in ${BENCH_DIR:-/tmp/credsweep-bench}) -> fetch peers
# (../shared/peers/fetch.sh; skip: SKIP_FETCH=1) -> one untimed run of every tool on a
# tiny directory (compiles kingfisher's rule cache, checks the tool starts) -> --runs
# rounds, each running every tool once from a warm page cache (interleaved, order rotated
# each round, so machine noise hits all tools alike) -> median wall time, max peak RSS, findings, recall of
# the planted secrets -> Markdown table on stdout and in ${BENCH_DIR}/results.md.
#
# Env: BENCH_DIR, PEER_HOME (default ~/.cache/credsweep-peers), SKIP_BUILD=1,
#      SKIP_FETCH=1, RUN_TIMEOUT (seconds per tool run, default 1800),
#      CREDSWEEP (binary to measure, default target/release/credsweep),
#      CREDSWEEP_BASE (an older credsweep binary, for the tools credsweep_base and credsweep_base_text).
# Tools credsweep_text / credsweep_base_text scan the same tree without its binary files and
# archives (by name, see TEXT_ONLY): the plain-file scan, old binary against new.
# A missing or failing tool is reported in the table, never fails the script.
set -uo pipefail

# ---------------------------------------------------------------------------------------
# Tool commands -- edit here. Each function fills the array CMD to scan directory $1 and
# write its report to $2. Set STDOUT_REPORT=1 if the tool prints its report on stdout.
# ---------------------------------------------------------------------------------------
cmd_credsweep() {   # flags absent from `credsweep scan --help` are dropped automatically
  # --no-default-excludes and a 256 MiB file limit: read everything the peers read (caches, node_modules, images,
  # the big logs), for a fair comparison. Files over 4 MiB are streamed, so memory stays bounded.
  CMD=("$CREDSWEEP" scan "$1" --format json -o "$2" --no-progress --threads "$THREADS" --exit-zero
       --no-default-excludes --max-file-size 256MiB)
}
# Binary files and archives of the generated tree, by name: left out by the *_text tools.
TEXT_ONLY=(--exclude '*.png' --exclude '*.so' --exclude '*.bin' --exclude '*.pyc' --exclude '*.db'
           --exclude '*.gz' --exclude '*.bz2' --exclude '*.xz' --exclude '*.zip' --exclude '*.jar'
           --exclude 'core.*' --exclude '_cacache' --exclude 'http-v2')
cmd_credsweep_text() {   # the plain-file scan: credsweep without the tree's binary files and archives
  cmd_credsweep "$@"; CMD+=("${TEXT_ONLY[@]}")
}
cmd_credsweep_base() {   # an older build (CREDSWEEP_BASE), same flags: what archives and binary strings cost
  cmd_credsweep "$@"; CMD[0]="$CREDSWEEP_BASE"
}
cmd_credsweep_base_text() {
  cmd_credsweep_base "$@"; CMD+=("${TEXT_ONLY[@]}")
}
cmd_credsweep40() { # the same binary with only the 40 rules of the first build's list (benches/forty-rules.txt):
  cmd_credsweep "$@"  # the rule-count baseline (growing the rule set must not slow the scan)
  CMD+=(--enable-rule "$(grep -v '^#' "$REPO_ROOT/benches/forty-rules.txt" | paste -sd, -)")
}
cmd_kingfisher() {  # -j/--jobs = scanning threads; exits 200 when it finds something
  CMD=("$PEER_BIN/kingfisher" scan "$1" --no-validate --no-update-check --format jsonl
       --output "$2" --quiet --jobs "$THREADS")
}
cmd_gitleaks() {    # Go: no thread flag, GOMAXPROCS caps the CPUs it uses
  CMD=(env GOMAXPROCS="$THREADS" "$PEER_BIN/gitleaks" dir "$1" --no-banner --log-level error
       --report-format json --report-path "$2" --exit-code 0)
}
cmd_betterleaks() { # Go: GOMAXPROCS caps CPUs; its -j (default 4*GOMAXPROCS) is left alone
  CMD=(env GOMAXPROCS="$THREADS" "$PEER_BIN/betterleaks" fs "$1" --no-banner --silent
       --log-level error --output "$2" --exit-code 0)
}
cmd_rg() {          # the read-everything floor: one literal, every file, no filters
  CMD=("$RG" -uuu --no-messages -c -j "$THREADS" AKIA "$1"); STDOUT_REPORT=1
}
# exit codes that mean "scan completed" (anything else is reported as an error; a non-zero
# code also needs a non-empty report). Report paths end in .json (betterleaks insists).
ok_rc() {
  case "$1:$2" in
    credsweep*:0|credsweep*:1|gitleaks:0|betterleaks:0) return 0 ;;  # credsweep 1: --exit-zero dropped
    kingfisher:0|kingfisher:200|kingfisher:205|rg:0|rg:1) return 0 ;;
  esac
  return 1
}
# ---------------------------------------------------------------------------------------

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/credsweep-bench}"
PEER_HOME="${PEER_HOME:-$HOME/.cache/credsweep-peers}"
PEER_BIN="$PEER_HOME/bin"
RUN_TIMEOUT="${RUN_TIMEOUT:-1800}"
SIZE_MB=220 THREADS=2 RUNS=3 TREE="" SEED=1 USERS=3
TOOLS_WANTED="credsweep credsweep40 kingfisher gitleaks betterleaks rg"

usage() { sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mb) SIZE_MB="$2"; shift 2 ;;
    --threads|-j) THREADS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --tree) TREE="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --users) USERS="$2"; shift 2 ;;
    --tools) TOOLS_WANTED="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-scan: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

log() { printf '[bench] %s\n' "$*" >&2; }
mkdir -p "$BENCH_DIR"
WORK="$BENCH_DIR/last-run"
rm -rf "$WORK"; mkdir -p "$WORK"

# --- GNU time -----------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
  log "/usr/bin/time missing: installing the Debian 'time' package"
  (apt-get update -qq && apt-get install -y -qq time) >&2 || log "could not install 'time'"
fi
HAVE_GNU_TIME=0
/usr/bin/time -f '%e %M' true 2>/dev/null && HAVE_GNU_TIME=1
[ "$HAVE_GNU_TIME" = 1 ] || log "no GNU time: wall time from bash, peak RSS unavailable"

# --- credsweep ----------------------------------------------------------------------------
CREDSWEEP="${CREDSWEEP:-$REPO_ROOT/target/release/credsweep}"
case "$CREDSWEEP" in /*) ;; */*) CREDSWEEP="$PWD/$CREDSWEEP" ;; esac
declare -A STATUS=()   # tool -> reason it is not measured
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "cargo build --release in $REPO_ROOT"
  if ! (cd "$REPO_ROOT" && cargo build --release) >"$WORK/cargo-build.log" 2>&1; then
    tail -n 20 "$WORK/cargo-build.log" >&2
    STATUS[credsweep]="not available (cargo build --release failed, see $WORK/cargo-build.log)"
  fi
else
  log "SKIP_BUILD=1: not building credsweep"
fi
if [ -z "${STATUS[credsweep]:-}" ] && [ ! -x "$CREDSWEEP" ]; then
  STATUS[credsweep]="not available (no $CREDSWEEP)"
  log "credsweep: $CREDSWEEP does not exist, skipping it"
fi
[ -n "${STATUS[credsweep]:-}" ] && STATUS[credsweep40]="${STATUS[credsweep]}" && STATUS[credsweep_text]="${STATUS[credsweep]}"
CREDSWEEP_BASE="${CREDSWEEP_BASE:-}"
if [ -z "$CREDSWEEP_BASE" ] || [ ! -x "$CREDSWEEP_BASE" ]; then
  STATUS[credsweep_base]="not available (set CREDSWEEP_BASE to an older credsweep binary)"
  STATUS[credsweep_base_text]="${STATUS[credsweep_base]}"
fi

# --- tree ---------------------------------------------------------------------------------
if [ -z "$TREE" ]; then
  TREE="$BENCH_DIR/tree-${SIZE_MB}mb"
  [ "$SEED" = 1 ] || TREE="$TREE-seed$SEED"
  [ "$USERS" = 3 ] || TREE="$TREE-u$USERS"
  if [ -d "$TREE" ] && [ ! -f "$TREE/planted.json" ]; then
    log "$TREE is incomplete (no planted.json): regenerating"; rm -rf "$TREE"
  fi
fi
if [ ! -f "$TREE/planted.json" ] && { [ ! -d "$TREE" ] || [ -z "$(ls -A "$TREE")" ]; }; then
  log "generating ${SIZE_MB} MB tree in $TREE (seed $SEED, $USERS users)"
  python3 "$REPO_ROOT/scripts/gen_tree.py" "$TREE" --size-mb "$SIZE_MB" --seed "$SEED" --users "$USERS" ||
    { log "tree generation failed"; exit 1; }
fi
TREE="$(cd "$TREE" && pwd)"
MANIFEST=""
SCAN_DIR="$TREE"
if [ -f "$TREE/planted.json" ]; then
  MANIFEST="$TREE/planted.json"
  root="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("scan_root",""))' "$MANIFEST")"
  [ -n "$root" ] && SCAN_DIR="$TREE/$root"
else
  log "$TREE has no planted.json: scanning it as is, no recall"
fi
log "scan target: $SCAN_DIR"

# --- peers --------------------------------------------------------------------------------
FETCH="$REPO_ROOT/../shared/peers/fetch.sh"
if [ "${SKIP_FETCH:-0}" != 1 ]; then
  if [ -x "$FETCH" ] || [ -f "$FETCH" ]; then
    bash "$FETCH" "$PEER_HOME" >"$WORK/fetch.log" 2>&1 || log "peer fetch reported errors (see $WORK/fetch.log)"
  else
    log "no $FETCH: using whatever is in $PEER_BIN"
  fi
fi
RG="$PEER_BIN/rg"; [ -x "$RG" ] || RG="$(command -v rg || true)"
for t in kingfisher gitleaks betterleaks; do
  [ -x "$PEER_BIN/$t" ] || STATUS[$t]="not available (no $PEER_BIN/$t)"
done
[ -n "$RG" ] && [ -x "$RG" ] || STATUS[rg]="not available (no rg)"

TOOLS=()
for t in $TOOLS_WANTED; do
  if declare -F "cmd_$t" >/dev/null; then TOOLS+=("$t"); else log "unknown tool $t (no cmd_$t)"; fi
done

# credsweep: drop flags its --help does not know yet (the CLI is still growing)
CS_HELP=""
if [ -z "${STATUS[credsweep]:-}" ]; then
  CS_HELP="$("$CREDSWEEP" scan --help 2>&1 || true)"
fi
filter_credsweep() {
  [ -n "$CS_HELP" ] && grep -q -- '--' <<<"$CS_HELP" || return 0
  local out=() i=0 n=${#CMD[@]} a next
  while [ $i -lt $n ]; do
    a="${CMD[$i]}"
    if [ $i -ge 3 ] && [[ "$a" == -* ]] && ! grep -qE -- "(^|[ ,\[])${a}([ ,=<\[]|$)" <<<"$CS_HELP"; then
      next="${CMD[$((i + 1))]:-}"
      if [ -n "$next" ] && [[ "$next" != -* ]]; then i=$((i + 2)); else i=$((i + 1)); fi
      DROPPED+=("$a"); continue
    fi
    out+=("$a"); i=$((i + 1))
  done
  CMD=("${out[@]}")
}

build_cmd() { # tool dir report -> CMD, STDOUT_REPORT
  CMD=(); STDOUT_REPORT=0; DROPPED=()
  "cmd_$1" "$2" "$3"
  case "$1" in credsweep|credsweep40|credsweep_text) filter_credsweep ;; esac
  return 0
}

# run_one tool dir tag -> appends a line to $WORK/runs.tsv
run_one() {
  local tool="$1" dir="$2" tag="$3" base="$WORK/$1.$3" rc secs rss user sys cpu t0 t1 report ok
  build_cmd "$tool" "$dir" "$base.json"
  rm -f "$base.json" "$base.time"
  if [ "$HAVE_GNU_TIME" = 1 ]; then
    # Wall time from the clock around GNU time (which prints it to 10 ms, 1% of a sub-second run); its start-up is
    # the same for every tool. CPU and peak RSS from GNU time.
    t0=$(date +%s.%N)
    /usr/bin/time -f '%e %M %U %S' -o "$base.time" timeout "$RUN_TIMEOUT" "${CMD[@]}" >"$base.stdout" 2>"$base.stderr"
    rc=$?
    t1=$(date +%s.%N)
    read -r secs rss user sys < <(tail -n 1 "$base.time")
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')
  else
    t0=$(date +%s.%N)
    timeout "$RUN_TIMEOUT" "${CMD[@]}" >"$base.stdout" 2>"$base.stderr"; rc=$?
    t1=$(date +%s.%N); secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}'); rss="" cpu=""
  fi
  report="$base.json"
  if [ "$STDOUT_REPORT" = 1 ] || [ ! -s "$report" ]; then report="$base.stdout"; fi
  ok=0
  if ok_rc "$tool" "$rc" && { [ "$rc" = 0 ] || [ "$tool" = rg ] || [ -s "$report" ]; }; then ok=1; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$tag" "$rc" "${secs:-}" "${rss:-}" "$report" "$ok" "${cpu:-}" >>"$WORK/runs.tsv"
  LAST_RC=$rc LAST_OK=$ok
}

: >"$WORK/runs.tsv"
cd "$WORK" || exit 1   # gitleaks reads ./.gitleaksignore: keep the caller's cwd out of it

# --- prime: one untimed run of each tool on a tiny directory --------------------------------
PRIME="$WORK/prime-dir"; mkdir -p "$PRIME/sub"
printf 'print("hello")\nAPI_URL = "https://example.invalid"\n' >"$PRIME/sub/app.py"
ACTIVE=()
for t in "${TOOLS[@]}"; do
  if [ -n "${STATUS[$t]:-}" ]; then log "$t: ${STATUS[$t]}"; continue; fi
  run_one "$t" "$PRIME" prime
  if [ "$LAST_OK" = 1 ]; then
    ACTIVE+=("$t")
    [ "$t" = credsweep ] && [ ${#DROPPED[@]} -gt 0 ] && log "credsweep: dropped flags not in its --help: ${DROPPED[*]}"
    build_cmd "$t" "$SCAN_DIR" "$WORK/$t.N.json"; log "$t: ${CMD[*]}"
  else
    STATUS[$t]="error (rc=$LAST_RC on a 1-file dir; see $WORK/$t.prime.stderr)"
    log "$t: ${STATUS[$t]}"; tail -n 5 "$WORK/$t.prime.stderr" >&2
  fi
done
sed -i '/\tprime\t/d' "$WORK/runs.tsv"

# --- warm the page cache (untimed) ----------------------------------------------------------
# Every timed run starts from a warm page cache: the pages one tool's run left may have been evicted by the next
# (kingfisher and gitleaks use hundreds of MiB) or by the host, and whoever ran first after that paid for it.
warm() { find "$SCAN_DIR" -type f -print0 | xargs -0 -r cat >/dev/null 2>&1; }
log "warming the page cache: reading every file under $SCAN_DIR (and again before every timed run)"
warm
# Reading updates access times (relatime: the first read after a change): write those inodes back now, or the
# writeback lands on the first timed run.
sync

# --- timed rounds -----------------------------------------------------------------------------
# The order rotates each round, so no tool always runs right after the same one.
n_active=${#ACTIVE[@]}
for ((r = 1; r <= RUNS; r++)); do
  for ((j = 0; j < n_active; j++)); do
    t="${ACTIVE[$(((j + r - 1) % n_active))]}"
    warm
    run_one "$t" "$SCAN_DIR" "$r"
    log "round $r/$RUNS $t: $(tail -n 1 "$WORK/runs.tsv" | awk -F'\t' '{printf "%ss, %s KiB, rc=%s", $4, $5, $3}')"
  done
done

# --- summary ------------------------------------------------------------------------------
STATUS_FILE="$WORK/status.tsv"; : >"$STATUS_FILE"
for t in "${TOOLS[@]}"; do printf '%s\t%s\n' "$t" "${STATUS[$t]:-}" >>"$STATUS_FILE"; done
VERS_FILE="$WORK/versions.tsv"; : >"$VERS_FILE"
for t in "${ACTIVE[@]}"; do
  case $t in
    credsweep|credsweep40|credsweep_text) v="$("$CREDSWEEP" --version 2>/dev/null | head -n1)"; v="${v:-unknown} ($(cd "$REPO_ROOT" && git rev-parse --short HEAD 2>/dev/null || echo no-commit))" ;;
    credsweep_base|credsweep_base_text) v="$("$CREDSWEEP_BASE" --version 2>/dev/null | head -n1) ($CREDSWEEP_BASE)" ;;
    gitleaks) v="$("$PEER_BIN/gitleaks" version 2>/dev/null | head -n1)" ;;
    rg) v="$("$RG" --version 2>/dev/null | head -n1)" ;;
    *) v="$("$PEER_BIN/$t" --version 2>/dev/null | head -n1)" ;;
  esac
  printf '%s\t%s\n' "$t" "$v" >>"$VERS_FILE"
done

python3 - "$WORK/runs.tsv" "$STATUS_FILE" "$VERS_FILE" "$TREE" "${MANIFEST:-}" "$THREADS" "$RUNS" \
  "$BENCH_DIR/results.md" "$SCAN_DIR" <<'PY'
import json, os, statistics, sys, time, platform

runs_f, status_f, vers_f, tree, manifest_f, threads, nruns, out_md, scan_dir = sys.argv[1:10]
order = [l.split("\t")[0] for l in open(status_f).read().splitlines() if l]
status = dict(l.split("\t", 1) for l in open(status_f).read().splitlines() if l)
versions = dict(l.split("\t", 1) for l in open(vers_f).read().splitlines() if "\t" in l)
runs = {}
for line in open(runs_f).read().splitlines():
    tool, tag, rc, secs, rss, report, ok, cpu = line.split("\t")
    runs.setdefault(tool, []).append({"rc": int(rc), "secs": float(secs) if secs else None,
                                      "rss": int(rss) if rss else None, "report": report, "ok": ok == "1",
                                      "cpu": float(cpu) if cpu else None})

manifest = json.load(open(manifest_f)) if manifest_f else None
planted = manifest["planted"] if manifest else []
decoys = manifest.get("decoys", []) if manifest else []


def norm(p):
    if not isinstance(p, str) or not p:
        return None
    if p.startswith("file://"):
        p = p[7:]
    p = os.path.normpath(p)
    if os.path.isabs(p):
        return os.path.relpath(p, tree) if p.startswith(tree + os.sep) else p
    if os.path.exists(os.path.join(tree, p)):
        return p
    return os.path.normpath(os.path.relpath(os.path.join(scan_dir, p), tree))


def dig(d, *keys):
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def item_path(x):
    if not isinstance(x, dict):
        return None
    for ks in (("path",), ("File",), ("file",), ("location", "path"), ("finding", "path"),
               ("location", "file"), ("source", "path"), ("file_path",), ("filename",)):
        v = dig(x, *ks)
        if isinstance(v, str) and v:
            return v
    return None


def item_line(x):
    for ks in (("line",), ("StartLine",), ("start_line",), ("location", "start_line"), ("location", "line"),
               ("finding", "line"), ("span", "start", "line"), ("location", "span", "start", "line")):
        v = dig(x, *ks)
        if isinstance(v, int):
            return v
    return None


def parse_report(tool, path):
    """-> (findings count or None, [(relpath, line)])"""
    try:
        raw = open(path, "rb").read().decode("utf-8", "replace")
    except OSError:
        return None, []
    if tool == "rg":
        n, locs = 0, []
        for l in raw.splitlines():
            p, _, c = l.rpartition(":")
            if p and c.isdigit():
                n += int(c)
                locs.append((norm(p), None))
        return n, locs
    items = None
    s = raw.strip()
    if not s:
        return None, []
    try:
        doc = json.loads(s)
        if isinstance(doc, list):
            items = doc
        elif isinstance(doc, dict):
            for k in ("findings", "results", "matches", "leaks", "secrets"):
                if isinstance(doc.get(k), list):
                    items = doc[k]
                    break
            if items is None:
                items = [doc] if item_path(doc) else []
    except ValueError:
        items = []
        for l in s.splitlines():
            try:
                items.append(json.loads(l))
            except ValueError:
                pass
    items = [x for x in items if not (isinstance(x, dict) and set(x) <= {"audit", "summary", "scan", "stats", "meta"})]
    return len(items), [(norm(item_path(x)), item_line(x)) for x in items]


def fmt_s(v):
    return "%.2f" % v if v is not None else "n/a"


res = {}
for tool in order:
    rs = runs.get(tool, [])
    good = [r for r in rs if r["ok"] and r["secs"] is not None]
    bad = [r for r in rs if r not in good]
    if status.get(tool):
        res[tool] = {"status": status[tool]}
        continue
    if not good:
        rc = bad[0]["rc"] if bad else "?"
        res[tool] = {"status": "error (rc=%s in every run; rc 124 = timeout)" % rc}
        continue
    med = statistics.median(r["secs"] for r in good)
    rss = [r["rss"] for r in good if r["rss"] is not None]
    n, locs = parse_report(tool, good[-1]["report"])
    cpus = [r["cpu"] for r in good if r["cpu"] is not None]
    res[tool] = {"median": med, "rss": max(rss) / 1024.0 if rss else None, "findings": n, "locs": locs,
                 "runs": [r["secs"] for r in good], "failed_runs": len(bad),
                 "cpu": statistics.median(cpus) if cpus else None}

cs = res.get("credsweep", {}).get("median")
rg = res.get("rg", {}).get("median")


def ratio(v, base):
    return "%.2f×" % (v / base) if v is not None and base else "n/a"


def hit(e, paths):
    """A planted secret's file is in the report; one in an archive member (\"member\" in the manifest) counts when
    a reported path is the archive or names something inside it (credsweep: ARCHIVE!MEMBER; any separator)."""
    if e["path"] in paths:
        return True
    if "member" not in e:
        return False
    a = e["path"]
    return any(p.startswith(a) and not p[len(a)].isalnum() for p in paths if len(p) > len(a))


def recall(tool):
    r = res.get(tool, {})
    if not planted or tool == "rg" or r.get("findings") is None:
        return "n/a"
    paths = {p for p, _ in r["locs"] if p}
    n = sum(1 for e in planted if hit(e, paths))
    return "%d/%d (%.0f%%)" % (n, len(planted), 100.0 * n / len(planted))


rows = ["| tool | median wall s | ratio vs credsweep | ratio vs rg | median CPU s | peak RSS MiB | findings | planted recall (by file) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|"]
for tool in order:
    r = res[tool]
    if "status" in r:
        rows.append("| %s | %s | | | | | | |" % (tool, r["status"]))
        continue
    f = r["findings"]
    rows.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
        tool, fmt_s(r["median"]), ratio(r["median"], cs), ratio(r["median"], rg), fmt_s(r["cpu"]),
        "%.0f" % r["rss"] if r["rss"] is not None else "n/a",
        ("%d AKIA lines" % f if tool == "rg" else str(f)) if f is not None else "n/a (no parsable report)",
        recall(tool)))
table = "\n".join(rows)
c40 = res.get("credsweep40", {}).get("median")
if cs and c40:
    cpu_cs, cpu_40 = res["credsweep"].get("cpu"), res["credsweep40"].get("cpu")
    table += ("\n\nRule count: all rules take %.2f× the wall time%s of the 40-rule baseline (credsweep40: the same "
              "binary with `--enable-rule` and the ids in benches/forty-rules.txt)." % (
                  cs / c40, " and %.2f× the CPU time" % (cpu_cs / cpu_40) if cpu_cs and cpu_40 else ""))

def ratio_line(a, b, what):
    ra, rb = res.get(a, {}), res.get(b, {})
    if ra.get("median") and rb.get("median"):
        cpu = " and %.2f× the CPU time" % (ra["cpu"] / rb["cpu"]) if ra.get("cpu") and rb.get("cpu") else ""
        return "\n\n%s: %s takes %.2f× the wall time%s of %s." % (what, a, ra["median"] / rb["median"], cpu, b)
    return ""


table += ratio_line("credsweep", "credsweep_base", "Archives and binary strings (whole tree)")
table += ratio_line("credsweep_text", "credsweep_base_text", "Plain files (binary files and archives excluded by name)")
if planted and res.get("credsweep", {}).get("locs") is not None:
    inside = [e for e in planted if "member" in e or e.get("context") == "binary"]
    if inside:
        cells = []
        for t in [t for t in order if t != "rg" and res[t].get("locs") is not None]:
            paths = {p for p, _ in res[t]["locs"] if p}
            cells.append("%s %d/%d" % (t, sum(1 for e in inside if hit(e, paths)), len(inside)))
        table += "\n\nPlanted in archive members and binary strings: " + ", ".join(cells) + "."
try:
    st_cs = json.load(open([r for r in runs.get("credsweep", []) if r["ok"]][-1]["report"]))["stats"]
    a = st_cs.get("archives") or {}
    table += ("\n\ncredsweep's report: %d files scanned, %.1f MiB; %d binary files' strings scanned; %d archives "
              "opened, %d members, %.1f MiB decompressed, %d archive problems listed or counted; skipped: %s." % (
                  st_cs["files_scanned"], st_cs["bytes_scanned"] / 1048576.0, st_cs.get("strings_scanned", 0),
                  a.get("opened", 0), a.get("members", 0), a.get("decompressed_bytes", 0) / 1048576.0,
                  a.get("errors", 0) + a.get("encrypted", 0) + sum(a.get("limits", {}).values()),
                  ", ".join("%s %d" % kv for kv in sorted(st_cs.get("skipped", {}).items())) or "none"))
except (OSError, ValueError, KeyError, IndexError):
    pass

fam_md = ""
if planted:
    fams = sorted({e["family"] for e in planted})
    tools = [t for t in order if t != "rg" and not t.endswith("_text") and res[t].get("findings") is not None]
    if tools:
        lines = ["| family | planted | " + " | ".join(tools) + " |", "|---|---:|" + "---:|" * len(tools)]
        for fam in fams:
            es = [e for e in planted if e["family"] == fam]
            cells = []
            for t in tools:
                paths = {p for p, _ in res[t]["locs"] if p}
                cells.append(str(sum(1 for e in es if hit(e, paths))))
            lines.append("| %s | %d | %s |" % (fam, len(es), " | ".join(cells)))
        cells = []
        for t in tools:
            locs = set(res[t]["locs"])
            cells.append(str(sum(1 for d in decoys if (d["path"], d["line"]) in locs)))
        lines.append("| decoys flagged (path+line; lower is better) | %d | %s |" % (len(decoys), " | ".join(cells)))
        fam_md = "\n".join(lines)

st = manifest["stats"] if manifest else {}
try:
    cpu = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")][0]
except Exception:
    cpu = platform.processor()
hdr = ["# credsweep scan benchmark", "",
       "- date: %s" % time.strftime("%Y-%m-%d %H:%M:%S %Z"),
       "- machine: %s, %d CPUs, %s" % (cpu, os.cpu_count() or 0, platform.platform()),
       "- tree: `%s` (scanned: `%s`)" % (tree, scan_dir)]
if st:
    hdr.append("- tree composition: %d files, %.1f MiB (%d binary files, %.1f MiB), max depth %d, %d planted secrets in %d files, %d decoys (seed %s, sources %s)" % (
        st["files"], st["bytes"] / 1048576.0, st["binary_files"], st["binary_bytes"] / 1048576.0, st["max_depth"],
        st["planted"], st["planted_files"], st.get("decoys", 0), manifest.get("seed"),
        manifest.get("sources", {}).get("fingerprint")))
hdr += ["- threads per tool: %s; runs: %s (median wall time, max peak RSS; runs interleaved, page cache warm)" % (threads, nruns),
        "- ratio = tool median / credsweep median (or / rg median): >1 means slower; CPU = user + system time",
        "- recall: planted secrets whose file appears in the tool's report (rg: AKIA literal only, no recall)"]
for t in order:
    if t in versions:
        hdr.append("- %s: %s" % (t, versions[t]))
detail = ["", "Per-run wall seconds: " + "; ".join(
    "%s %s%s" % (t, ", ".join("%.2f" % s for s in res[t]["runs"]),
                 " (+%d failed runs)" % res[t]["failed_runs"] if res[t]["failed_runs"] else "")
    for t in order if "runs" in res[t])]
md = "\n".join(hdr) + "\n\n" + table + "\n" + ("\n" + fam_md + "\n" if fam_md else "") + "\n".join(detail) + "\n"
open(out_md, "w").write(md)
print(md)
PY
log "results written to $BENCH_DIR/results.md (reports and logs in $WORK)"
