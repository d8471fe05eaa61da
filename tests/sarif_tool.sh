#!/usr/bin/env bash
# Self-test of scripts/sarif-validate.sh: a valid log passes, and each kind of broken log fails with exit 1 —
# including one only the SARIF Multitool catches and one only the JSON Schema check catches.
#
#   tests/sarif_tool.sh        (installs the tools on first use, like the script itself)
set -euo pipefail
cd "$(dirname "$0")/.."
validate=scripts/sarif-validate.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

head='{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","version":"1.0.0","informationUri":"https://example.com/t","rules":[{"id":"r1"}]}},"results":['
tail=']}]}'
loc='"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a%20b.txt"},"region":{"startLine":1,"startColumn":1}}}]'

printf '%s%s%s\n' "$head" '{"ruleId":"r1","ruleIndex":0,"level":"error","message":{"text":"m"},'"$loc"'}' "$tail" >"$tmp/valid.sarif"
# No ruleId: schema-valid, a SARIF1010 error for the Multitool.
printf '%s%s%s\n' "$head" '{"message":{"text":"m"},'"$loc"'}' "$tail" >"$tmp/no-rule-id.sarif"
# A level outside the enum: the Multitool reports nothing at all for it; the schema check must catch it.
printf '%s%s%s\n' "$head" '{"ruleId":"r1","level":"fatal","message":{"text":"m"},'"$loc"'}' "$tail" >"$tmp/bad-level.sarif"
# A line number 0 and an unencoded space in a URI.
printf '%s%s%s\n' "$head" '{"ruleId":"r1","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a b"},"region":{"startLine":0}}}]}' "$tail" >"$tmp/bad-location.sarif"
# Truncated document.
printf '%s' "$head" >"$tmp/truncated.sarif"

fail=0
expect() {
  local want=$1 file=$2 got=0
  "$validate" "$file" >"$tmp/out" 2>&1 || got=$?
  if [ "$got" = "$want" ]; then
    echo "ok   $(basename "$file"): exit $got"
  else
    echo "FAIL $(basename "$file"): exit $got, expected $want"
    sed 's/^/     /' "$tmp/out"
    fail=1
  fi
}
expect 0 "$tmp/valid.sarif"
expect 1 "$tmp/no-rule-id.sarif"
expect 1 "$tmp/bad-level.sarif"
expect 1 "$tmp/bad-location.sarif"
expect 1 "$tmp/truncated.sarif"
expect 2 "$tmp/does-not-exist.sarif"
# Several files: one bad one fails the whole call.
got=0
"$validate" "$tmp/valid.sarif" "$tmp/bad-level.sarif" >/dev/null 2>&1 || got=$?
if [ "$got" = 1 ]; then echo "ok   valid + bad-level: exit 1"; else echo "FAIL valid + bad-level: exit $got, expected 1"; fail=1; fi
exit $fail
