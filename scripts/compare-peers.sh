#!/usr/bin/env bash
# Recall, false positives and precision of credsweep and its peers on the generated labelled corpus (issue #13 §5).
#
#   scripts/compare-peers.sh [--seed N] [--out DIR] [--no-build] [--misses N]
#
# 1. generates the corpus (scripts/gen_corpus.py) into DIR (default: a temp dir, kept and named at the end);
# 2. fetches the peers with ../shared/peers/fetch.sh (cached in ~/.cache/credsweep-peers);
# 3. builds credsweep (cargo build --release) unless --no-build;
# 4. scans DIR/tree with credsweep (default confidence and --min-confidence low, JSON with --include-secrets so
#    values can be matched), betterleaks, gitleaks and kingfisher (no validation, no network);
# 5. prints the side-by-side table and credsweep's misses grouped by expected rule (scripts/corpus/score.py).
# Each tool runs with its defaults otherwise: this compares what a user gets out of the box.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SEED=13 OUT="" BUILD=1 MISSES=60
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) SEED="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --misses) MISSES="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "compare-peers: unknown argument $1" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$(mktemp -d /tmp/credsweep-corpus.XXXXXX)}"
PEERS="${CREDSWEEP_PEERS:-$HOME/.cache/credsweep-peers}"
FETCH="${CREDSWEEP_PEERS_FETCH:-$ROOT/../shared/peers/fetch.sh}"
[ -x "$FETCH" ] || FETCH=/work/shared/peers/fetch.sh
log() { printf '[compare] %s\n' "$*" >&2; }

python3 scripts/gen_corpus.py "$OUT" --seed "$SEED"
TREE="$OUT/tree" R="$OUT/reports"
mkdir -p "$R"
"$FETCH" "$PEERS" >/dev/null 2>"$R/fetch.log" || log "fetch.sh failed (see $R/fetch.log); missing peers are skipped"
if [ "$BUILD" = 1 ]; then cargo build --release --quiet --bin credsweep; fi
CS="${CREDSWEEP_BIN:-$ROOT/target/release/credsweep}"

timed() { # name cmd...: run, record seconds in $R/NAME.time
  local name="$1" start end; shift
  start=$(date +%s.%N)
  "$@" >"$R/$name.stdout" 2>"$R/$name.stderr" || true  # kingfisher exits 200 when it finds something
  end=$(date +%s.%N)
  echo "$end - $start" | bc >"$R/$name.time"
}
reports=()
timed credsweep "$CS" scan "$TREE" --format json --include-secrets --exit-zero -q -o "$R/credsweep.json"
reports+=(--report "credsweep=credsweep:$R/credsweep.json")
timed credsweep-low "$CS" scan "$TREE" --format json --include-secrets --exit-zero -q --min-confidence low \
  -o "$R/credsweep-low.json"
reports+=(--report "credsweep low=credsweep-low:$R/credsweep-low.json")
"$CS" rules list >"$R/rules.txt"
if [ -x "$PEERS/bin/betterleaks" ]; then
  timed betterleaks "$PEERS/bin/betterleaks" fs "$TREE" --no-banner --silent --output "$R/betterleaks.json" --exit-code 0
  reports+=(--report "betterleaks=betterleaks:$R/betterleaks.json")
fi
if [ -x "$PEERS/bin/gitleaks" ]; then
  timed gitleaks "$PEERS/bin/gitleaks" dir "$TREE" --no-banner --report-format json --report-path "$R/gitleaks.json" \
    --exit-code 0
  reports+=(--report "gitleaks=gitleaks:$R/gitleaks.json")
fi
if [ -x "$PEERS/bin/kingfisher" ]; then
  timed kingfisher "$PEERS/bin/kingfisher" scan "$TREE" --no-validate --no-update-check --no-dedup --format jsonl \
    --output "$R/kingfisher.jsonl" --quiet
  reports+=(--report "kingfisher=kingfisher:$R/kingfisher.jsonl")
fi
for f in "$R"/*.json "$R"/*.jsonl; do [ -s "$f" ] || log "$(basename "$f") is empty: see $R/*.stderr"; done
echo
echo "corpus $OUT (seed $SEED): $(wc -l <"$OUT/labels.jsonl") labels, $(find "$TREE" -type f | wc -l) files," \
  "$(find "$TREE" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s/1048576}') MiB"
printf 'scan time (s):'
for t in "$R"/*.time; do printf ' %s %.2f' "$(basename "$t" .time)" "$(cat "$t")"; done
echo
python3 scripts/corpus/score.py "$OUT/labels.jsonl" "$TREE" "${reports[@]}" --rules "$R/rules.txt" \
  --misses "$MISSES" --json "$R/summary.json"
log "reports and labels kept in $OUT"
