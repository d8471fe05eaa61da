#!/usr/bin/env bash
# Validate SARIF 2.1.0 files with Microsoft's SARIF Multitool, plus a JSON Schema check.
#
#   scripts/sarif-validate.sh FILE...     validate each file
#   scripts/sarif-validate.sh --install   only install the tools (idempotent), e.g. to warm a CI cache
#
# SARIF2006 (UrisShouldBeReachable: an HTTP GET of every helpUri) is disabled: offline it takes ~20 s per file and
# its verdict depends on the network. SARIF_CHECK_URIS=1 turns it back on.
#
# Exit status: 0 every file is valid (warnings and notes are printed but allowed), 1 at least one file has an
# error-level problem, 2 usage or tool setup error (no npm, unsupported platform, missing file, tool crashed).
#
# Tools are installed with npm, once, into ${SARIF_TOOL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/credsweep-sarif}:
# @microsoft/sarif-multitool-linux (a self-contained linux-x64 .NET binary; no .NET install needed) and ajv.
#
# Why two checks: `Sarif.Multitool validate` exits 0 whatever it finds (the verdict is in its output SARIF log, see
# microsoft/sarif-sdk#1799), so this script reads that log. And the Multitool silently reports nothing at all for a
# log it cannot deserialize (for instance a `result.level` outside the enum), so every file is also validated with
# ajv against the JSON Schema the Multitool ships (sarif-2.1.0.json).
set -euo pipefail

MULTITOOL_VERSION=5.7.0
AJV_VERSION=8.20.0
AJV_FORMATS_VERSION=3.0.1

me=$(basename "$0")
die() {
  echo "$me: $*" >&2
  exit 2
}

dir="${SARIF_TOOL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/credsweep-sarif}"
pkg="$dir/node_modules/@microsoft/sarif-multitool-linux"
tool="$pkg/Sarif.Multitool"
schema="$pkg/sarif-2.1.0.json"
stamp="$dir/.credsweep-sarif-tools"
want="sarif-multitool-linux@$MULTITOOL_VERSION ajv@$AJV_VERSION ajv-formats@$AJV_FORMATS_VERSION"

installed() {
  [ -x "$tool" ] && [ -f "$schema" ] && [ -f "$dir/node_modules/ajv/package.json" ] &&
    [ -f "$dir/node_modules/ajv-formats/package.json" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]
}

install_tools() {
  [ "$(uname -s)" = Linux ] && [ "$(uname -m)" = x86_64 ] ||
    die "the SARIF Multitool npm package is linux-x64 only (this is $(uname -s) $(uname -m))"
  command -v node >/dev/null || die "node is required"
  installed && return 0
  command -v npm >/dev/null || die "npm is required to install the SARIF Multitool"
  mkdir -p "$dir"
  # Tests may run this script in parallel: one installer at a time, the others wait and then find it installed.
  exec 9>"$dir/.install.lock"
  if command -v flock >/dev/null; then flock 9; fi
  if ! installed; then
    echo "$me: installing $want into $dir" >&2
    [ -f "$dir/package.json" ] || echo '{"private":true}' >"$dir/package.json"
    (cd "$dir" && npm install --no-audit --no-fund --no-progress --loglevel=error \
      "@microsoft/sarif-multitool-linux@$MULTITOOL_VERSION" "ajv@$AJV_VERSION" "ajv-formats@$AJV_FORMATS_VERSION" >&2) ||
      die "npm install failed"
    # The package's postinstall (chmod u+x) may be blocked by npm's install-script policy.
    chmod u+x "$tool" || die "cannot make $tool executable"
    multitool --version >/dev/null 2>&1 || die "$tool does not run"
    echo "$want" >"$stamp"
  fi
  exec 9>&-
}

multitool() {
  # .NET wants ICU for globalization; invariant mode runs without it.
  DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 "$tool" "$@"
}

# Reads the Multitool's validation log and schema-checks the file; prints problems; exits 0 valid, 1 invalid.
check_js='
"use strict";
const fs = require("fs");
const [file, log, schemaPath] = process.argv.slice(1);
let errors = 0, warnings = 0, notes = 0;
const problem = (level, what) => {
  if (level === "error") errors++; else if (level === "warning") warnings++; else notes++;
  if (what) console.log(`${file}: ${level}: ${what}`);
};

// 1. The Multitool verdict: every result at its effective level (result.level, else the rule default, else warning),
//    and any error-level notification or unsuccessful invocation of the tool itself.
let verdict;
try {
  verdict = JSON.parse(fs.readFileSync(log, "utf8"));
} catch (e) {
  console.log(`${file}: error: no readable SARIF Multitool log (${e.message})`);
  process.exit(2);
}
for (const run of verdict.runs || []) {
  const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
  for (const r of run.results || []) {
    const rule = rules[r.ruleIndex] || rules.find((x) => x.id === r.ruleId) || {};
    const level = r.level || (rule.defaultConfiguration && rule.defaultConfiguration.level) || "warning";
    problem(level, null); // the Multitool printed it already, with position and text
  }
  for (const inv of run.invocations || []) {
    if (inv.executionSuccessful === false) problem("error", "the SARIF Multitool did not complete");
    for (const n of [...(inv.toolExecutionNotifications || []), ...(inv.toolConfigurationNotifications || [])]) {
      if ((n.level || "warning") === "error") problem("error", `SARIF Multitool: ${n.message && n.message.text}`);
    }
  }
}

// 2. JSON Schema (draft 2020-12 schema shipped with the Multitool), all errors.
let doc;
try {
  doc = JSON.parse(fs.readFileSync(file, "utf8"));
} catch (e) {
  problem("error", `not JSON: ${e.message}`);
}
if (doc !== undefined) {
  const Ajv = require("ajv/dist/2020");
  const addFormats = require("ajv-formats");
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
  if (!validate(doc)) {
    for (const e of validate.errors) {
      const extra = e.params && e.params.allowedValues ? ` (${e.params.allowedValues.join(", ")})` :
        e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : "";
      problem("error", `schema: ${e.instancePath || "/"} ${e.message}${extra}`);
    }
  }
}

const summary = `${errors} error(s), ${warnings} warning(s), ${notes} note(s)`;
console.log(`${file}: ${errors ? "INVALID" : "valid"}: ${summary}`);
process.exit(errors ? 1 : 0);
'

[ $# -gt 0 ] || die "usage: $me FILE... | $me --install"
if [ "$1" = --install ]; then
  install_tools
  echo "$me: $want installed in $dir"
  exit 0
fi
for f in "$@"; do
  [ -f "$f" ] || die "$f: no such file"
done
install_tools

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
config=()
if [ "${SARIF_CHECK_URIS:-0}" != 1 ]; then
  cat >"$tmp/config.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
XML
  config=(--config "$tmp/config.xml")
fi
status=0
for f in "$@"; do
  abs=$(realpath "$f")
  rm -f "$tmp/log.sarif"
  # The Multitool's exit status says only whether it ran; its console lines are printed, the log decides.
  if ! multitool validate "$abs" --output "$tmp/log.sarif" --log ForceOverwrite "${config[@]}" >"$tmp/console" 2>&1; then
    cat "$tmp/console" >&2
    die "$f: the SARIF Multitool failed to run"
  fi
  grep -E ': (error|warning|note) [A-Z]+[0-9]+: ' "$tmp/console" || true
  rc=0
  NODE_PATH="$dir/node_modules" node -e "$check_js" "$f" "$tmp/log.sarif" "$schema" || rc=$?
  case $rc in
  0) ;;
  1) status=1 ;;
  *) die "$f: cannot check the validation result" ;;
  esac
done
exit $status
