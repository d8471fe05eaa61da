#!/usr/bin/env bash
# Git-history benchmark: credsweep's history reader against `gitleaks git` (and `betterleaks git`, kingfisher's
# history scan) on a generated repository with thousands of commits and secrets planted only in history.
#
#   scripts/bench-git-history.sh [--commits 5000] [--runs 3] [--seed 1] [--threads 2] [--repo DIR]
#                                [--tools "credsweep reader gitleaks betterleaks kingfisher"]
#
# Steps: build (cargo build --release: the binary and examples/git_history_visit; SKIP_BUILD=1 skips) -> generate the
# repository once (scripts/gen_git_repo.py, cached in ${BENCH_DIR:-/tmp/credsweep-git-bench}) -> fetch peers
# (../shared/peers/fetch.sh; SKIP_FETCH=1 skips) -> --runs rounds, every tool once per round, order rotated, page
# cache warmed before each run -> median wall time, max peak RSS, recall of the planted secrets -> Markdown table on
# stdout and in ${BENCH_DIR}/results.md.
#
# Rows: `credsweep` is `credsweep scan --git-history` with every built-in rule (reported as not available when the
# binary's `scan --help` does not list that flag). `reader` is examples/git_history_visit: the history reader alone
# (every blob inflated and searched for the planted strings, no rules), the floor credsweep's row builds on. Planted
# secrets found is counted from each report (credsweep runs with --include-secrets for that; the others write raw
# values by default). The 100k-commit figures in the README come from `--commits 100000 --runs 1`.
# trufflehog is not measured: the Go trufflehog (v3) is in none of the registries this project reaches (PyPI, npm,
# Debian); PyPI's `trufflehog` is the 2021 Python v2, a different program.
#
# Env: BENCH_DIR, PEER_HOME (default ~/.cache/credsweep-peers), SKIP_BUILD=1, SKIP_FETCH=1, RUN_TIMEOUT (s, 1800).
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/credsweep-git-bench}"
PEER_HOME="${PEER_HOME:-$HOME/.cache/credsweep-peers}"
PEER_BIN="$PEER_HOME/bin"
RUN_TIMEOUT="${RUN_TIMEOUT:-1800}"
COMMITS=5000 RUNS=3 SEED=1 THREADS=2 REPO=""
TOOLS="credsweep reader gitleaks betterleaks kingfisher"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --commits) COMMITS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --threads|-j) THREADS="$2"; shift 2 ;;
    --repo) REPO="$2"; shift 2 ;;
    --tools) TOOLS="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-git-history: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

log() { printf '[bench-git] %s\n' "$*" >&2; }
mkdir -p "$BENCH_DIR"
WORK="$BENCH_DIR/last-run"
rm -rf "$WORK"; mkdir -p "$WORK"
[ -x /usr/bin/time ] || { log "installing GNU time"; (apt-get update -qq && apt-get install -y -qq time) >&2; }

# --- build ----------------------------------------------------------------------------------
CREDSWEEP="$REPO_ROOT/target/release/credsweep"
READER="$REPO_ROOT/target/release/examples/git_history_visit"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "cargo build --release (binary and examples/git_history_visit)"
  (cd "$REPO_ROOT" && cargo build --release --bin credsweep --example git_history_visit) >"$WORK/build.log" 2>&1 ||
    { tail -n 20 "$WORK/build.log" >&2; log "build failed"; }
fi

# --- repository -------------------------------------------------------------------------------
if [ -z "$REPO" ]; then
  # v2: GitHub tokens planted with their checksum (older cached repositories had random ones).
  REPO="$BENCH_DIR/repo-${COMMITS}c-seed$SEED-v2"
  [ -f "$REPO.planted.json" ] || rm -rf "$REPO"
  if [ ! -d "$REPO" ]; then
    log "generating $REPO ($COMMITS commits, seed $SEED)"
    python3 "$REPO_ROOT/scripts/gen_git_repo.py" "$REPO" --commits "$COMMITS" --seed "$SEED" >&2 ||
      { log "generation failed"; exit 1; }
  fi
fi
REPO="$(cd "$REPO" && pwd)"
NEEDLES="$WORK/planted.txt"
if [ -f "$REPO.planted.json" ]; then
  python3 -c 'import json,sys; print("\n".join(p["secret"] for p in json.load(open(sys.argv[1]))["planted"]))' \
    "$REPO.planted.json" >"$NEEDLES"
else
  log "no $REPO.planted.json: no recall column"; : >"$NEEDLES"
fi
PLANTED=$(grep -c . "$NEEDLES")
COMMIT_COUNT=$(git -C "$REPO" rev-list --all | wc -l)
PACK_MB=$(du -sm "$REPO/.git/objects" | cut -f1)
log "repository: $REPO ($COMMIT_COUNT commits, ${PACK_MB} MiB of objects, $PLANTED planted secrets)"

# --- peers ------------------------------------------------------------------------------------
if [ "${SKIP_FETCH:-0}" != 1 ] && [ -f "$REPO_ROOT/../shared/peers/fetch.sh" ]; then
  bash "$REPO_ROOT/../shared/peers/fetch.sh" "$PEER_HOME" >"$WORK/fetch.log" 2>&1 || log "peer fetch had errors"
fi

# --- tools: each fills CMD for report file $1 -----------------------------------------------------
cmd_credsweep() { CMD=("$CREDSWEEP" scan --git-history "$REPO" --format json -o "$1" --no-progress
                       --threads "$THREADS" --exit-zero --include-secrets); }
cmd_reader() { CMD=("$READER" "$REPO" --needles-file "$NEEDLES"); }
cmd_gitleaks() { CMD=(env GOMAXPROCS="$THREADS" "$PEER_BIN/gitleaks" git "$REPO" --no-banner --log-level error
                      --report-format json --report-path "$1" --exit-code 0); }
cmd_betterleaks() { CMD=(env GOMAXPROCS="$THREADS" "$PEER_BIN/betterleaks" git "$REPO" --no-banner --silent
                         --log-level error --output "$1" --exit-code 0); }
cmd_kingfisher() { CMD=("$PEER_BIN/kingfisher" scan "$REPO" --git-history full --no-validate --no-update-check
                        --format jsonl --output "$1" --quiet --jobs "$THREADS"); }
available() {
  case "$1" in
    credsweep) [ -x "$CREDSWEEP" ] && "$CREDSWEEP" scan --help 2>/dev/null | grep -q -- '--git-history' ;;
    reader) [ -x "$READER" ] ;;
    *) [ -x "$PEER_BIN/$1" ] ;;
  esac
}
ok_rc() { case "$1:$2" in credsweep:0|reader:0|gitleaks:0|betterleaks:0|kingfisher:0|kingfisher:200) return 0 ;; esac; return 1; }

ACTIVE=()
declare -A WHY=()
for t in $TOOLS; do
  if ! declare -F "cmd_$t" >/dev/null; then log "unknown tool $t"; continue; fi
  if available "$t"; then ACTIVE+=("$t"); else WHY[$t]="not available"; log "$t: not available"; fi
done
[ -z "${WHY[credsweep]:-}" ] || WHY[credsweep]="not available (no \`scan --git-history\` in this build)"

warm() { find "$REPO/.git" -type f -print0 | xargs -0 -r cat >/dev/null 2>&1; }
: >"$WORK/runs.tsv"
cd "$WORK" || exit 1
n=${#ACTIVE[@]}
for ((r = 1; r <= RUNS; r++)); do
  for ((j = 0; j < n; j++)); do
    t="${ACTIVE[$(((j + r - 1) % n))]}"
    base="$WORK/$t.$r"; cmd_"$t" "$base.json"  # betterleaks insists on .json
    warm
    /usr/bin/time -f '%e %M %U %S' -o "$base.time" timeout "$RUN_TIMEOUT" "${CMD[@]}" >"$base.stdout" 2>"$base.stderr"
    rc=$?
    read -r secs rss user sys < <(tail -n 1 "$base.time")
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')  # children included (gitleaks' git log)
    ok=0; ok_rc "$t" "$rc" && ok=1
    # recall: planted secrets named in the report (the reader prints needles_found=K/N itself)
    if [ "$t" = reader ]; then
      found=$(grep -o 'needles_found=[0-9]*' "$base.stdout" | cut -d= -f2)
    elif [ -s "$NEEDLES" ] && [ -s "$base.json" ]; then
      found=$(grep -o -F -f "$NEEDLES" "$base.json" | sort -u | wc -l)
    else
      found=""
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$rc" "$ok" "$secs" "$rss" "${found:-}" "$cpu" >>"$WORK/runs.tsv"
    log "round $r/$RUNS $t: ${secs}s wall, ${cpu}s CPU, ${rss} KiB, rc=$rc, planted found ${found:-?}/$PLANTED"
  done
done

{
  echo "Git history: $COMMIT_COUNT commits ($PACK_MB MiB packed), $PLANTED secrets planted in history only;"
  echo "median of $RUNS runs, warm page cache, $THREADS threads, $(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg)."
  echo "CPU s is user+sys including child processes (gitleaks and betterleaks run \`git log -p\`); on a shared machine it"
  echo "is steadier than wall time. Peak RSS includes the mapped pack file."
  echo
  echo "| tool | wall s (median) | CPU s (median) | peak RSS MiB | planted found | CPU vs gitleaks |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  python3 - "$WORK/runs.tsv" "$PLANTED" "$TOOLS" <<'PY'
import statistics, sys
runs, planted, tools = sys.argv[1], sys.argv[2], sys.argv[3].split()
rows = {}
for line in open(runs).read().splitlines():
    t, rc, ok, secs, rss, found, cpu = line.split("\t")
    rows.setdefault(t, []).append((ok == "1", float(secs), int(rss), found, float(cpu)))
med = {t: statistics.median(r[1] for r in rs if r[0]) for t, rs in rows.items() if any(r[0] for r in rs)}
cpu = {t: statistics.median(r[4] for r in rs if r[0]) for t, rs in rows.items() if any(r[0] for r in rs)}
for t in tools:
    if t not in rows:
        continue
    if t not in med:
        print("| %s | error (rc != 0 in every run) | | | | |" % t)
        continue
    rss = max(r[2] for r in rows[t] if r[0]) / 1024
    found = rows[t][-1][3] or "?"
    base = cpu.get("gitleaks")
    print("| %s | %.2f | %.2f | %.0f | %s/%s | %s |" % (t, med[t], cpu[t], rss, found, planted,
                                                      "%.2f×" % (cpu[t] / base) if base else "n/a"))
PY
  for t in $TOOLS; do [ -n "${WHY[$t]:-}" ] && echo "| $t | ${WHY[$t]} | | | | |"; done
} | tee "$BENCH_DIR/results.md"
