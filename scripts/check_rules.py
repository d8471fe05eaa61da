#!/usr/bin/env python3
"""Check rules/*.toml without building credsweep: a Python model of the engine's confirm stage.

For every rule: the id is kebab-case and unique across all files, the fields are the known ones, each example
contains a keyword, and each example yields a finding of its rule while no negative example does, through the same
pipeline the engine runs (src/engine.rs, src/validate.rs):

  keyword gate (ASCII case-insensitive, `_` and `-` interchangeable)  ->  regex from 256 bytes before a hit to
  `window` bytes after it (then to the end of that line, at most 512 more bytes)  ->  min_entropy on the secret  ->
  placeholder filter (fingerprint "raw" only)  ->  validator (github-crc32, npm-crc32, jwt, password, aws-key-id,
  generic, gitlab-routable, pypi-macaroon, provider-marker, basic-auth, header-token: Python models of
  src/validate.rs; `generic` reads its word list, the placeholder filter its known examples from that file).

Generic assignment rules (`assignment = KIND`, no pattern) are checked for their fields only: the assignment matcher
is not modelled here. Also checked: `confidence` is low, medium or high, `rotate` (where the provider documents revoking or rotating the
credential) is an https:// URL, no file is named `more-*` (files are named by topic), and one provider's rules are in
one file.

Patterns are written for the Rust `regex` crate and must also compile with Python's `re` (no look-around, no
backreferences, no possessive quantifiers, no `\\z`, no `(?x)`): this script is the check that they do. The binary's
own `credsweep rules check FILE` remains the authority; run it too when a build is at hand.

Usage: scripts/check_rules.py [FILE.toml ...]     (default: every rules/*.toml)
Exit status 0 when clean, 1 when any problem is found.
"""
import base64
import json
import math
import pathlib
import re
import sys
import tomllib
import zlib
from collections import Counter

LOOKBEHIND = 256
LINE_TAIL = 512
DEFAULT_WINDOW = 1024
MAX_WINDOW = 64 * 1024
# src/prefilter.rs: a keyword with up to this many `_`/`-` is also found with each one swapped for the other.
MAX_SEPARATORS = 4
SEVERITIES = {"critical", "high", "medium", "low", "info"}
KINDS = {"private-key", "access-token", "api-key", "oauth-token", "refresh-token", "webhook", "password",
         "connection-string", "jwt", "access-key-id", "secret-key", "service-account", "secret", "password-hash",
         "token"}
FIELDS = {"id", "name", "severity", "kind", "provider", "description", "keywords", "pattern", "min_entropy",
          "validator", "fingerprint", "window", "priority", "confidence", "references", "rotate", "examples",
          "negative_examples", "assignment"}
REQUIRED = {"id", "name", "severity", "kind", "keywords"}
# Generic assignment rules (`assignment = KIND`, no pattern): the binary's assignment matcher (src/assign.rs) reports
# them, which this script does not model; `credsweep rules check` runs their examples.
ASSIGNMENT_KINDS = {"password", "api-key", "token", "secret"}
VALIDATORS = {"github-crc32", "npm-crc32", "jwt", "password", "aws-key-id", "generic", "gitlab-routable",
              "pypi-macaroon", "provider-marker", "basic-auth", "header-token"}
CONFIDENCES = {"low", "medium", "high"}
FINGERPRINTS = {"raw", "pem", "putty", "basic-auth"}
PLACEHOLDER_MARKERS = [
    "example", "placeholder", "your_", "your-", "yourkey", "yourtoken", "changeme", "change_me", "dummy",
    "redacted", "sample", "fake", "xxxx", "****", "<", ">", "${", "{{", "%s", "...", "0123456789", "abcdefghij",
]
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def entropy(data: bytes) -> float:
    n = len(data)
    return -sum(c / n * math.log2(c / n) for c in Counter(data).values()) if n else 0.0


def is_placeholder(secret: bytes) -> bool:
    low = secret.lower()
    if any(m.encode() in low for m in PLACEHOLDER_MARKERS):
        return True
    if any(m.encode() in secret for m in KNOWN_EXAMPLES):
        return True
    run = 1
    for a, b in zip(secret, secret[1:]):
        run = run + 1 if a == b else 1
        if run >= 8:
            return True
    return False


def crc32_base62(data: bytes) -> bytes:
    n = zlib.crc32(data) & 0xFFFFFFFF
    out = ""
    for _ in range(6):
        out = B62[n % 62] + out
        n //= 62
    return out.encode()


def crc_ok(tok: bytes) -> bool:
    return len(tok) == 40 and crc32_base62(tok[4:34]) == tok[34:]


def b64url_json(part: bytes):
    try:
        raw = base64.urlsafe_b64decode(part.rstrip(b"=") + b"=" * (-len(part.rstrip(b"=")) % 4))
        return json.loads(raw)
    except Exception:
        return None


def jwt_ok(tok: bytes) -> bool:
    parts = tok.split(b".")
    if len(parts) < 2:
        return False
    h, p = b64url_json(parts[0]), b64url_json(parts[1])
    return isinstance(h, dict) and isinstance(h.get("alg"), str) and isinstance(p, dict)


def validate(name, secret: bytes) -> bool:
    if name is None:
        return True
    if name in ("github-crc32", "npm-crc32"):
        return crc_ok(secret)
    if name == "jwt":
        return jwt_ok(secret)
    if name == "password":
        return not is_dummy_password(secret)
    if name == "aws-key-id":
        return True  # decodes the account id for the report; never rejects
    if name == "generic":
        return looks_generated(secret)
    if name == "provider-marker":
        return secret.endswith(b"AA") if secret.startswith(b"sk-ant-") else b"T3BlbkFJ" in secret
    if name == "gitlab-routable":
        return gitlab_routable_ok(secret)
    if name == "pypi-macaroon":
        return pypi_macaroon_ok(secret)
    if name == "basic-auth":
        return basic_auth_ok(secret)
    if name == "header-token":
        return header_token_ok(secret)
    return False  # unknown: reported as a problem by check_file


def basic_auth_ok(secret: bytes) -> bool:
    """Python model of validate::basic_auth and wrapping::basic: base64 of printable `user:password`."""
    try:
        text = base64.b64decode(secret + b"=" * (-len(secret) % 4), validate=True).decode()
    except Exception:
        return False
    if ":" not in text or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text):
        return False
    user, password = text.split(":", 1)
    value = (password or user).encode()
    documented = [("Aladdin", "open sesame"), ("test", "123\u00a3")]
    if (user, value.decode()) in documented or len(value) < 4 or (password and password == user):
        return False
    return not is_placeholder(value) and not is_dummy_password(value)


def header_token_ok(secret: bytes) -> bool:
    """Python model of validate::header_token: looks generated, hex/UUID of 32+ characters, or 20+ random ones."""
    if looks_generated(secret):
        return True
    mixed = any(chr(c).isdigit() for c in secret) and any(chr(c).isalpha() for c in secret)
    if is_placeholder(secret) or not mixed:
        return False
    hexish = all(c in b"0123456789abcdefABCDEF-" for c in secret)
    return (hexish and len(secret) >= 32 and entropy(secret) >= 3.0) or (len(secret) >= 20 and entropy(secret) >= 4.0)


def base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        out = digits[n % 36] + out
        n //= 36
        if not n:
            return out


def gitlab_routable_ok(tok: bytes) -> bool:
    """Python model of validate::gitlab_routable: legacy tokens (no '.') pass, routable ones need their CRC."""
    t = tok.decode(errors="replace")
    dash, dot = t.find("-"), t.find(".")
    if dash < 0:
        return False
    if dot < 0:
        return True
    if len(t) < dot + 10:
        return False
    signed, crc = t[:-7], t[-7:]
    try:
        length = int(signed[-2:], 36)
    except ValueError:
        return False
    return base36(zlib.crc32(signed.encode()) & 0xFFFFFFFF).rjust(7, "0") == crc and length == dot - dash - 1


def pypi_macaroon_ok(tok: bytes) -> bool:
    """Python model of validate::pypi_macaroon: a v2 binary macaroon with an identifier and a 32-byte signature."""
    if not tok.startswith(b"pypi-"):
        return False
    body = tok[5:].rstrip(b"=")
    try:
        raw = base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4))
    except Exception:
        return False
    if not raw or raw[0] != 2:
        return False

    def varint(i):
        v, shift = 0, 0
        while shift < 63:
            if i >= len(raw):
                return None, i
            b = raw[i]
            i += 1
            v |= (b & 0x7F) << shift
            if not b & 0x80:
                return v, i
            shift += 7
        return None, i

    i, saw_identifier = 1, False
    while i < len(raw):
        kind, i = varint(i)
        if kind is None:
            return False
        if kind == 0:
            continue
        length, i = varint(i)
        if length is None or i + length > len(raw):
            return False
        if kind == 2:
            saw_identifier = True
        if kind == 6:
            return saw_identifier and length == 32 and i + length == len(raw)
        i += length
    return False


def is_dummy_password(secret: bytes) -> bool:
    return secret.lower().startswith((b"my", b"pass", b"secret"))


def _common_words() -> list:
    # The word list of src/validate.rs, read from the source so the two cannot drift apart.
    src = (pathlib.Path(__file__).resolve().parent.parent / "src" / "validate.rs").read_text()
    body = re.search(r"const COMMON_WORDS: &\[&str\] = &\[(.*?)\];", src, re.S)
    return re.findall(r'"([^"]*)"', body.group(1)) if body else []


COMMON_WORDS = _common_words()


def _known_examples() -> list:
    # The documented example values of src/validate.rs (KNOWN_EXAMPLES), read from the source like the word list.
    src = (pathlib.Path(__file__).resolve().parent.parent / "src" / "validate.rs").read_text()
    body = re.search(r"const KNOWN_EXAMPLES: &\[&str\] = &\[(.*?)\];", src, re.S)
    return re.findall(r'^\s*"([^"]*)"', body.group(1), re.M) if body else []


KNOWN_EXAMPLES = _known_examples()


def looks_generated(value: bytes) -> bool:
    """Python model of validate::looks_generated (the `generic` validator)."""
    try:
        v = value.decode()
    except UnicodeDecodeError:
        return False
    n = len(v)
    if not 10 <= n <= 200 or is_placeholder(value) or is_dummy_password(value):
        return False
    if "()" in v or "(" in v or v.startswith("process.") or v.startswith("os.") or "::" in v:
        return False
    parts = v.split(".")
    dotted = len(parts) > 1 and all(p and all(c.isascii() and (c.isalnum() or c == "_") for c in p)
                                    and p[0].isascii() and p[0].isalpha() for p in parts)
    if dotted and not any(c.isdigit() for c in v):
        return False
    if not any(c.isascii() and c.isdigit() for c in v) or not any(c.isascii() and c.isalpha() for c in v):
        return False
    ident = (v[0].isascii() and (v[0].isalpha() or v[0] == "_")) and all(c.isascii() and (c.isalnum() or c == "_")
                                                                        for c in v)
    if ident and "_" in v and all(sum(c.isdigit() for c in seg) <= 3 for seg in v.split("_")):
        return False
    if all(c in "0123456789abcdefABCDEF" for c in v) and n in (32, 40, 56, 64, 96, 128):
        return False
    if n == 36 and all((c == "-") if i in (8, 13, 18, 23) else c in "0123456789abcdefABCDEF" for i, c in enumerate(v)):
        return False
    classes = sum([any(c.islower() and c.isascii() for c in v), any(c.isupper() and c.isascii() for c in v),
                   any(c.isdigit() and c.isascii() for c in v), any(not (c.isascii() and c.isalnum()) for c in v)])
    if classes < 2:
        return False
    if entropy(value) < (3.0 if n < 16 else 3.4 if n < 24 else 3.7):
        return False
    lower = value.lower().decode()  # ASCII lower-casing, as to_ascii_lowercase
    covered = [False] * len(lower)
    for w in (w for w in COMMON_WORDS if len(w) >= 3):
        i = lower.find(w)
        while i >= 0:  # non-overlapping, as str::match_indices
            for k in range(i, i + len(w)):
                covered[k] = True
            i = lower.find(w, i + len(w))
    return sum(covered) * 2 < len(lower)


def spellings(keyword: str) -> list:
    """The keyword as the gate finds it (src/prefilter.rs `spellings`): lower case, with each `_` or `-` either one,
    every combination up to MAX_SEPARATORS separators (a keyword with more is taken as written)."""
    base = keyword.lower().encode()
    seps = [i for i, b in enumerate(base) if b in b"_-"]
    if not seps or len(seps) > MAX_SEPARATORS:
        return [base]
    out = []
    for mask in range(1 << len(seps)):
        k = bytearray(base)
        for bit, i in enumerate(seps):
            k[i] = ord("-") if mask >> bit & 1 else ord("_")
        out.append(bytes(k))
    return out


def scan(rule, rx, hay: bytes):
    """Secrets (start, end, bytes) the engine would report for this rule alone."""
    low = hay.lower()
    hits = []
    for k in (s for kw in rule["keywords"] for s in spellings(kw)):
        i = low.find(k)
        while i >= 0:
            hits.append((i, i + len(k)))
            i = low.find(k, i + 1)
    hits.sort()
    window = rule.get("window", DEFAULT_WINDOW)
    out = []
    k = 0
    scanned_to = 0
    while k < len(hits):
        start = max(max(hits[k][0] - LOOKBEHIND, 0), scanned_to)
        end = min(hits[k][1] + window, len(hay))
        k += 1
        while k < len(hits) and max(hits[k][0] - LOOKBEHIND, 0) <= end:
            end = max(end, min(hits[k][1] + window, len(hay)))
            k += 1
        tail = min(end + LINE_TAIL, len(hay))
        nl = hay.find(b"\n", end, tail)
        end = tail if nl < 0 else nl + 1
        pos = start
        while pos <= end:
            m = rx.search(hay, pos, end)
            if not m:
                break
            pos = m.end() if m.end() > m.start() else m.end() + 1
            s = m.group("secret")
            if not s:
                continue
            if "min_entropy" in rule and entropy(s) < rule["min_entropy"]:
                continue
            if rule.get("fingerprint", "raw") == "raw" and is_placeholder(s):
                continue
            if not validate(rule.get("validator"), s):
                continue
            out.append((m.start("secret"), m.end("secret"), s))
        scanned_to = end
    return out


def assign_fragment() -> str:
    """`{assign}` of rule patterns, read from its one definition in src/rules/model.rs (`ASSIGN`)."""
    text = (pathlib.Path(__file__).resolve().parent.parent / "src" / "rules" / "model.rs").read_text()
    return re.search(r'pub const ASSIGN: &str = r##"(.*?)"##;', text, re.S).group(1)


ASSIGN = assign_fragment()


def python_pattern(p: str) -> str:
    # The `{assign}` placeholder expanded as the scanner does; Rust-only spellings with an exact Python equivalent.
    return p.replace("{assign}", ASSIGN).replace("(?-u:", "(?:")


def check_file(path: pathlib.Path, seen: dict) -> list:
    problems = []
    try:
        data = tomllib.loads(path.read_text())
    except Exception as e:
        return [f"{path}: does not parse: {e}"]
    if set(data) != {"rules"}:
        problems.append(f"{path}: top level must hold only [[rules]]")
    for rule in data.get("rules", []):
        rid = rule.get("id", "?")
        where = f"{path.name}: rule '{rid}'"
        for f in sorted(REQUIRED - set(rule)):
            problems.append(f"{where}: missing field {f}")
        for f in sorted(set(rule) - FIELDS):
            problems.append(f"{where}: unknown field {f}")
        if not KEBAB.match(rid):
            problems.append(f"{where}: id is not kebab-case")
        if rid in seen:
            problems.append(f"{where}: duplicate id (also in {seen[rid]})")
        seen[rid] = path.name
        if rule.get("severity") not in SEVERITIES:
            problems.append(f"{where}: bad severity")
        if rule.get("kind") not in KINDS:
            problems.append(f"{where}: bad kind {rule.get('kind')!r}")
        if rule.get("validator") not in VALIDATORS | {None}:
            problems.append(f"{where}: unknown validator")
        if rule.get("confidence", "high") not in CONFIDENCES:
            problems.append(f"{where}: unknown confidence")
        if "rotate" in rule and not str(rule["rotate"]).startswith("https://"):
            problems.append(f"{where}: rotate must be an https:// URL")
        if rule.get("fingerprint", "raw") not in FINGERPRINTS:
            problems.append(f"{where}: unknown fingerprint")
        if not 0 < rule.get("window", DEFAULT_WINDOW) <= MAX_WINDOW:
            problems.append(f"{where}: window out of range")
        kws = rule.get("keywords", [])
        if not kws or any(len(k.encode()) < 2 for k in kws):
            problems.append(f"{where}: needs keywords of at least 2 bytes")
        if not rule.get("examples"):
            problems.append(f"{where}: no examples")
        if not rule.get("negative_examples"):
            problems.append(f"{where}: no negative examples")
        if "assignment" in rule:
            if rule["assignment"] not in ASSIGNMENT_KINDS:
                problems.append(f"{where}: unknown assignment kind {rule['assignment']!r}")
            if "pattern" in rule:
                problems.append(f"{where}: an assignment rule has no pattern")
            continue
        if "pattern" not in rule:
            problems.append(f"{where}: missing field pattern")
            continue
        pat = rule["pattern"]
        if "(?x" in pat:
            problems.append(f"{where}: (?x) treats class whitespace differently in Rust and Python")
        try:
            rx = re.compile(python_pattern(pat).encode())
        except re.error as e:
            problems.append(f"{where}: pattern does not compile in Python: {e}")
            continue
        if "secret" not in rx.groupindex:
            problems.append(f"{where}: no named group 'secret'")
            continue
        extra = set(rx.groupindex) - {"secret", "identifier"}
        if extra:
            problems.append(f"{where}: unexpected named groups {sorted(extra)}")
        for i, ex in enumerate(rule.get("examples", []), 1):
            if not any(k in ex.lower().encode() for kw in kws for k in spellings(kw)):
                problems.append(f"{where}: example {i} contains none of the keywords")
            if not scan(rule, rx, ex.encode()):
                problems.append(f"{where}: example {i} does not produce a finding")
        for i, ex in enumerate(rule.get("negative_examples", []), 1):
            found = scan(rule, rx, ex.encode())
            if found:
                problems.append(f"{where}: negative example {i} produces a finding: {found[0][2][:60]!r}")
    return problems


def check_topics(files) -> list:
    """Rule files are named by topic (not `more-*`), and one provider's rules live in one file (the suite checks the
    same for the built-ins: tests/cli/rules.rs)."""
    problems, home = [], {}
    for f in files:
        if f.stem.startswith("more-"):
            problems.append(f"{f.name}: name the file by topic, not `more-*`")
        try:
            rules = tomllib.loads(f.read_text()).get("rules", [])
        except Exception:
            continue  # reported by check_file
        for rule in rules:
            if "provider" not in rule:
                continue
            other = home.setdefault(rule["provider"].lower(), f.name)
            if other != f.name:
                where = f"{f.name}: rule '{rule.get('id', '?')}'"
                problems.append(f"{where}: provider {rule['provider']!r} has rules in {other} too")
    return problems


def main(argv) -> int:
    root = pathlib.Path(__file__).resolve().parent.parent
    files = [pathlib.Path(a) for a in argv] or sorted((root / "rules").glob("*.toml"))
    seen, problems, count = {}, [], 0
    for f in files:
        problems += check_file(f, seen)
    problems += check_topics(files)
    count = len(seen)
    for p in problems:
        print(p)
    print(f"{count} rules in {len(files)} files, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
