"""A positive for every rule in rules/*.toml that the other modules do not plant under its own id.

Derived from the rules themselves, so a new rule gets its positive without an entry here. For each rule, each of its
first two `examples` is turned into a positive with a fresh value:

  1. the rule's pattern (in Python, as scripts/check_rules.py models the engine) finds the secret in the example;
  2. that secret is a value of scripts/synth_tokens.py or scripts/synth_providers.py at their default seed (the rule
     examples come from there), which names the format: the key (`ghp`, `mk_mailgun` ...). The same key is drawn
     again from generators seeded from the corpus seed, and every other synthetic value in the example (the ID half
     of a pair, a host's key) is replaced the same way. A secret with no key (a block such as an OpenVPN static key)
     keeps its shape: each run of 16+ alphanumerics is redrawn in its own alphabet;
  3. an example of the form `NAME=value` is planted under NAME at a random placement of providers.PLACEMENTS (.env,
     shell, YAML, JSON, code ...); other examples are planted as written, in a file of their syntax. Either way
     the planted text must give a finding of the rule in scripts/check_rules.py's model of the engine (keyword gate,
     window, regex, entropy, placeholder filter, validator); a placement that loses the rule's keyword (camelCase
     of a `_API_KEY` name) is drawn again, so every positive is one the rule claims to detect.

The label expects exactly the rule's id: a finding of another rule does not count.
"""
import os
import re
import sys
import tomllib

from . import values as V
from .generic import PARSER_RULES as GENERIC_PARSERS
from .layout import positive
from .providers import PLACEMENTS, QUOTED_KINDS, UNQUOTABLE, name_in

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import check_rules  # noqa: E402  (the Python model of the engine's confirm stage)
import synth_providers  # noqa: E402
import synth_tokens  # noqa: E402

EXAMPLE_SEED = 20251123  # the seed of the rule examples (synth_tokens.py / synth_providers.py default)
PER_RULE = 2  # examples turned into positives, per rule
ENV_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=\"?([^\"\s]+)\"?$")
# Rule ids the parsers report (no rules/*.toml entry): the credfiles module plants them.
PARSER_RULES = ["credential-file-secret", "dotenv-secret", "mcp-config-secret", "shell-history-secret"]


def load_rules():
    rules = []
    for name in sorted(os.listdir(os.path.join(ROOT, "rules"))):
        if name.endswith(".toml"):
            with open(os.path.join(ROOT, "rules", name), "rb") as f:
                rules.extend(tomllib.load(f)["rules"])
    return rules


def rule_ids():
    return [r["id"] for r in load_rules()]


def finds(rule, rx, text: str, value: str) -> bool:
    """The engine model reports `value` (or a secret that holds it) for `rule` in `text`."""
    return any(value in s.decode("utf-8", "replace") for _, _, s in check_rules.scan(rule, rx, text.encode()))


class Draws:
    """Fresh values of the synthetic formats, from generators seeded from the corpus seed: the n-th use of a key
    takes the n-th generator, so two rules of one format never share a value."""

    def __init__(self, seed: int):
        self.seed = seed
        self.known = {}  # default-seed value -> (module, key)
        for mod, table in (("t", synth_tokens.generate(EXAMPLE_SEED)), ("p", synth_providers.generate(EXAMPLE_SEED))):
            for k, val in sorted(table.items()):
                self.known.setdefault(val, (mod, k))
        self.gens = {"t": [], "p": []}
        self.uses = {}

    def table(self, mod: str, n: int) -> dict:
        gens = self.gens[mod]
        while len(gens) <= n:
            s = self.seed * 7919 + 100003 * (len(gens) + 1) + (1 if mod == "p" else 0)
            s = s + 2 if s == EXAMPLE_SEED else s
            gens.append(synth_tokens.generate(s) if mod == "t" else synth_providers.generate(s))
        return gens[n]

    def fresh(self, value: str):
        """A new value of `value`'s format, or None if `value` is not a synthetic value of a known key."""
        mk = self.known.get(value)
        if not mk:
            return None
        n = self.uses.get(mk, 0)
        self.uses[mk] = n + 1
        return self.table(mk[0], n)[mk[1]]


RUN = re.compile(r"[A-Za-z0-9]{16,}")


def reshape(v, value: str) -> str:
    """`value` with every run of 16+ alphanumerics redrawn in its own alphabet (hex stays hex ...)."""
    def redraw(m):
        s = m.group(0)
        for alpha in (V.HEX, "0123456789ABCDEF", V.DIGITS + V.LETTERS):
            if all(c in alpha for c in s):
                return v.tok((alpha, len(s)))
        return s
    return RUN.sub(redraw, value)


def kind_of(text: str) -> str:
    """The file kind a snippet is written in."""
    first = text.lstrip().split("\n", 1)[0]
    if re.match(r"(export |curl |npx |docker |mvn |dotnet |yc |ecctl |forge |temporal |git |gh |heroku |ssh |"
                r"mysql |psql |kubectl |helm |terraform |aws |az |gcloud |twine |pip |npm |op |vault |jf |"
                r"[A-Z][A-Z0-9_]*=\S+ \S)", first):
        return "sh"
    if re.match(r"[a-z][a-z0-9-]+ (\S+ )*--?[a-z]", first) and not re.match(r"\w+ = ", first):
        return "sh"  # a command line
    if first.startswith("#define "):
        return "c"
    if re.match(r"[A-Z][A-Z0-9_]*=", first) and "\n" not in text:
        return "env"
    if re.match(r"(const|let|var|await|import|module\.exports|new) ", first):
        return "js"
    if first.startswith("<"):
        return "xml"
    if first.startswith("-----BEGIN") or first.startswith("---- BEGIN") or first.startswith("untrusted comment"):
        return "txt"
    if first.startswith("["):
        return "ini"
    if re.match(r"\s*[A-Za-z_][A-Za-z0-9_.-]*: ", first) and not first.lstrip().startswith("{"):
        return "yaml"
    if re.match(r"[a-z_][A-Za-z0-9_.\[\]\"']* = ", first) and ("(" in text or "{" in text or "\"" in first):
        return "py"
    return "txt"


def as_kind(kind: str, text: str) -> str:
    if kind == "yaml" and not text.startswith(" "):
        return "\n".join("  " + ln for ln in text.split("\n"))
    return text


def basic_auth(v, secret: str) -> str:
    """base64 of a fresh `user:password`, as long as `secret` or a little longer."""
    while True:
        raw = "%s:%s" % (v.user(), v.password(max(8, len(secret) * 3 // 4 - 12)))
        out = V.b64(raw.encode())
        if not synth_tokens.is_placeholder(out):
            return out


def substitute(draws, v, rule, example: str, secret: str):
    """The example with the secret and every other synthetic value in it drawn afresh: (text, new secret), or None
    when no part of the secret is a known format (then it is not fresh)."""
    if rule.get("validator") == "basic-auth":
        new = basic_auth(v, secret)
    else:
        new = draws.fresh(secret)
        for k in ([] if new else [k for k in draws.known if secret in k and len(secret) * 5 >= len(k) * 4][:1]):
            pre, post = k.split(secret, 1)  # a value whose pattern leaves out a `/` or quote around it
            f = draws.fresh(k)
            if f.startswith(pre) and f.endswith(post):
                new = f[len(pre):len(f) - len(post)]
        if new is None:  # a URL or block holding synthetic parts (an ID, a hook path), or a block of its own shape
            new = secret
            for val in sorted((k for k in draws.known if len(k) >= 6 and k in secret), key=len, reverse=True):
                new = new.replace(val, draws.fresh(val))
            new = reshape(v, new) if new == secret else new
    if new == secret:
        return None
    text, companions = example.replace(secret, new), []
    others = sorted({val for val in draws.known if len(val) >= 10 and val in example and val not in secret},
                    key=len, reverse=True)
    for val in others:
        f = draws.fresh(val) or reshape(v, val)
        text = text.replace(val, f)
        companions.append(f)
    return text, new, companions


def build(corpus, seed: int, covered: set):
    """Items for every rule in rules/*.toml whose id no positive of `covered` names."""
    v, rng = corpus.v, corpus.rng
    draws = Draws(seed)
    items, failed = [], []
    models = [(r, re.compile(check_rules.python_pattern(r["pattern"]).encode())) for r in load_rules() if "pattern" in r]
    for rule in load_rules():
        if rule["id"] in covered:
            continue
        if "pattern" not in rule:
            items += assignments(v, rng, rule)
            continue
        rx = re.compile(check_rules.python_pattern(rule["pattern"]).encode())
        planted = 0
        for example in rule.get("examples", []):
            if planted == PER_RULE:
                break
            found = check_rules.scan(rule, rx, example.encode())
            if not found:
                continue
            secret = found[0][2].decode()
            label = positive("rule", rule["kind"], rule.get("provider"), [rule["id"]], source="rule-example")
            it = None
            for _ in range(8):
                sub = substitute(draws, v, rule, example, secret)
                if sub is None:
                    break
                text, new, companions = sub
                if not finds(rule, rx, text, new):
                    continue  # a fresh value the rule rejects (entropy, placeholder): draw again
                it = place(rng, rule, rx, text, new, label)
                if it:
                    it["marks"] += companion_marks(models, it, companions)
                    break
            if it is None:
                continue  # this example's shape cannot hold a fresh value (a checksum ...): try the next
            items.append(it)
            planted += 1
        if not planted:
            failed.append(rule["id"])
    if failed:
        raise AssertionError("rules with no positive (no example holds a fresh value): " + " ".join(failed))
    return items


def companion_marks(models, item, companions):
    """Labels for the other synthetic values of an example (the ID of a pair, a refresh token beside an access
    token): a positive expecting the rules whose model reports it there, none if no rule does (a client ID)."""
    text = item.get("text") or "%s: %s" % item["pair"]
    marks = []
    for val in companions:
        if val not in text:
            continue
        rules = sorted(r["id"] for r, rx in models if finds(r, rx, text, val))
        if rules:
            rules_of = [r for r, _ in models if r["id"] == rules[0]]
            marks.append((val, positive("rule", rules_of[0]["kind"], rules_of[0].get("provider"), rules,
                                        source="rule-example-companion")))
    return marks


ASSIGNED = re.compile(r"""[=:]\s*["']?([A-Za-z0-9+/=._-]{10,})["']?;?$""")


def assignments(v, rng, rule):
    """A rule of the assignment engine (no pattern: `assignment = "password"` ...): its `NAME = value` examples with
    a fresh generated value (mixed-case alphanumerics, as the `generic` validator wants)."""
    items = []
    for example in rule.get("examples", []):
        m = ASSIGNED.search(example)
        if not m or len(items) == PER_RULE:
            continue
        while True:
            new = v.mixed(V.B62, max(16, len(m.group(1))))
            if check_rules.looks_generated(new.encode()):
                break
        text = example[:m.start(1)] + new + example[m.end(1):]
        kind = kind_of(text)
        # In a .env file the dotenv parser reports the value (generic.PARSER_RULES): its rule counts too.
        expect = [rule["id"]] + GENERIC_PARSERS.get(kind, [])
        label = positive("rule", rule["kind"], rule.get("provider"), expect, source="rule-example")
        items.append({"kind": kind, "text": as_kind(kind, text), "marks": [(new, label)]})
    if not items:
        raise AssertionError("rule %s: no example of the form NAME = value" % rule["id"])
    return items


def place(rng, rule, rx, text: str, value: str, label: dict):
    """An item for the substituted example `text`: a `NAME=value` line at a random placement that keeps the rule's
    finding, anything else as written in a file of its syntax."""
    m = ENV_LINE.match(text)
    if m and m.group(2) == value:
        quoted_only = any(c in UNQUOTABLE for c in value)
        for _ in range(12):
            kind, st, tmpl = rng.choice(PLACEMENTS)
            if quoted_only and kind not in QUOTED_KINDS:
                continue
            name = name_in(m.group(1), st)
            shown = '"%s": "%s"' % (name, value) if kind == "json" else tmpl.format(n=name, v=value)
            if finds(rule, rx, shown, value):
                if kind == "json":
                    return {"kind": kind, "pair": (name, value), "marks": [(value, label)]}
                return {"kind": kind, "text": shown, "marks": [(value, label)]}
    kind = kind_of(text)
    for kind, shown in ((kind, as_kind(kind, text)), ("txt", text)):
        if finds(rule, rx, shown, value):
            return {"kind": kind, "text": shown, "marks": [(value, label)]}
    return None
