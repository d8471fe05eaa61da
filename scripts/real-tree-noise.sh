#!/usr/bin/env bash
# Noise on real trees: how many findings credsweep and its peers report on directories that hold no credential of
# this machine's user — installed third-party code and documentation (issue #13: keep crying wolf least).
#
#   scripts/real-tree-noise.sh [--no-build] [DIR ...]
#
# Default DIRs: Cargo's registry sources, the running Python's standard library and site-packages, /usr/share/doc,
# /usr/include (those that exist). Everything found there is a library's test key, a documented example or a false
# alarm, so fewer is better; private keys in test fixtures are real key material and are counted too, by kind.
# credsweep runs twice: with its defaults (third-party code, documentation and fixtures below the scan root keep
# their confidence when the root is that tree itself) and with --min-confidence low; CREDSWEEP_BASE=BIN adds an older
# build for comparison. Peers come from ../shared/peers/fetch.sh (cached), each with its defaults (gitleaks and
# kingfisher leave some library paths out by default: a 0 there can mean "not read").
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BUILD=1
DIRS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) DIRS+=("$1"); shift ;;
  esac
done
if [ ${#DIRS[@]} -eq 0 ]; then
  py=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null || true)
  for d in "$HOME/.cargo/registry/src" "$py" /usr/share/doc /usr/include; do
    [ -n "$d" ] && [ -d "$d" ] && DIRS+=("$d")
  done
fi
PEERS="${CREDSWEEP_PEERS:-$HOME/.cache/credsweep-peers}"
FETCH="${CREDSWEEP_PEERS_FETCH:-$ROOT/../shared/peers/fetch.sh}"
[ -x "$FETCH" ] && "$FETCH" "$PEERS" >/dev/null 2>&1
if [ "$BUILD" = 1 ]; then cargo build --release --quiet --bin credsweep; fi
CS="${CREDSWEEP_BIN:-$ROOT/target/release/credsweep}"
OUT="$(mktemp -d /tmp/credsweep-noise.XXXXXX)"
count() { # FORMAT FILE: findings (total, then "private keys" among them)
  python3 - "$1" "$2" <<'PY'
import json, sys
fmt, path = sys.argv[1:]
try:
    if fmt == "kingfisher":
        rows = [json.loads(l) for l in open(path) if l.strip().startswith("{")]
        rows = [r for r in rows if "rule" in r or "finding" in r]
        keys = sum("private" in json.dumps(r.get("rule", {})).lower() for r in rows)
    elif fmt == "betterleaks":
        rows = json.load(open(path)).get("findings") or []
        keys = sum("private-key" in r.get("rule_id", "") for r in rows)
    elif fmt == "credsweep":
        rows = json.load(open(path))["findings"]
        keys = sum(r["kind"] == "private-key" for r in rows)
    else:
        rows = json.load(open(path)) or []
        keys = sum("private-key" in r.get("RuleID", "") for r in rows)
    print(f"{len(rows)} ({keys} keys)")
except Exception as e:
    print(f"n/a ({type(e).__name__})")
PY
}
printf '| tree | size | credsweep | credsweep --min-confidence low |%s betterleaks | gitleaks | kingfisher |\n' \
  "${CREDSWEEP_BASE:+ credsweep base |}"
printf '|---|---:|---:|---:|%s---:|---:|---:|\n' "${CREDSWEEP_BASE:+---:|}"
for d in "${DIRS[@]}"; do
  n=$(echo "$d" | tr '/' '_')
  "$CS" scan "$d" --format json -o "$OUT/$n.cs.json" --no-progress --exit-zero -q 2>/dev/null
  "$CS" scan "$d" --format json -o "$OUT/$n.low.json" --no-progress --exit-zero -q --min-confidence low 2>/dev/null
  row="| \`$d\` | $(du -sh "$d" 2>/dev/null | cut -f1) | $(count credsweep "$OUT/$n.cs.json") | $(count credsweep "$OUT/$n.low.json") |"
  if [ -n "${CREDSWEEP_BASE:-}" ]; then
    "$CREDSWEEP_BASE" scan "$d" --format json -o "$OUT/$n.base.json" --no-progress --exit-zero -q 2>/dev/null
    row="$row $(count credsweep "$OUT/$n.base.json") |"
  fi
  GOMAXPROCS=2 "$PEERS/bin/betterleaks" fs "$d" --no-banner --silent --log-level error --output "$OUT/$n.bl.json" \
    --exit-code 0 >/dev/null 2>&1
  GOMAXPROCS=2 "$PEERS/bin/gitleaks" dir "$d" --no-banner --log-level error --report-format json \
    --report-path "$OUT/$n.gl.json" --exit-code 0 >/dev/null 2>&1
  "$PEERS/bin/kingfisher" scan "$d" --no-validate --no-update-check --format jsonl --output "$OUT/$n.kf.jsonl" \
    --quiet --jobs 2 >/dev/null 2>&1
  row="$row $(count betterleaks "$OUT/$n.bl.json") | $(count gitleaks "$OUT/$n.gl.json") | $(count kingfisher "$OUT/$n.kf.jsonl") |"
  echo "$row"
done
echo "reports kept in $OUT" >&2
