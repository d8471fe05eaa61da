"""Files of the corpus and where their labels are: `Doc` is one file being written, `Corpus` the whole tree.

A label is recorded with the exact text the file holds for it (`secret`); the file and line are computed when the
file is finished, by finding that text in it, so a label can never point at the wrong line. The boilerplate around
the planted lines (imports, logging, routes, unrelated settings) is code that reads like the language it is in:
scanners see planted secrets among ordinary lines, as on a developer's disk.
"""
import json
import os

USERS = ["alice", "bob", "chen", "dmitri", "eva", "farid", "grace", "hiro"]
PROJECTS = ["billing-api", "orders-service", "webshop", "data-pipeline", "infra", "ml-experiments", "mobile-backend",
            "auth-gateway", "reporting", "chat-bot", "inventory", "search-indexer", "payments-worker", "crm-sync",
            "notifications", "analytics-etl", "customer-portal", "devtools", "media-transcoder", "k8s-platform"]
WORDS = ["order", "invoice", "customer", "report", "export", "metrics", "batch", "upload", "queue", "cache", "user",
         "account", "session", "page", "item", "event", "job", "worker", "payload", "record"]

# Lines that sit between planted ones, per language. {w} a word, {W} the word capitalised, {n} a number.
FILLER = {
    "py": ["logger = logging.getLogger(__name__)", "TIMEOUT_SECONDS = {n}", "MAX_RETRIES = 5",
           "BASE_URL = \"https://api.internal.test/v2\"", "# {w} settings", "DEBUG = False",
           "ALLOWED_HOSTS = [\"localhost\", \"127.0.0.1\"]", "BATCH_SIZE = {n}",
           "def {w}_path(name):\n    return os.path.join(DATA_DIR, name)", "DATA_DIR = \"/var/lib/{w}\""],
    "js": ["const PORT = process.env.PORT || {n};", "// {w} settings", "const retries = 3;",
           "const baseUrl = 'https://api.internal.test/v1';", "let {w}Count = 0;",
           "function {w}Key(id) {{\n  return `{w}:${{id}}`;\n}}", "const logger = console;"],
    "go": ["\t// {w} settings", "\ttimeout := {n} * time.Millisecond", "\tlog.Printf(\"starting {w} worker\")",
           "\tretries := 3", "\tbaseURL := \"https://api.internal.test/v1\"", "\t_ = ctx"],
    "java": ["        // {w} settings", "        int timeoutMs = {n};", "        LOG.info(\"configuring {w}\");",
             "        String baseUrl = \"https://api.internal.test/v1\";", "        boolean debug = false;"],
    "cs": ["            // {w} settings", "            var timeout = TimeSpan.FromSeconds({n});",
           "            _logger.LogInformation(\"configuring {w}\");", "            var retries = 3;"],
    "php": ["// {w} settings", "$timeout = {n};", "error_log('configuring {w}');", "$debug = false;",
            "$baseUrl = 'https://api.internal.test/v1';"],
    "rb": ["# {w} settings", "TIMEOUT = {n}", "Rails.logger.info('configuring {w}')", "RETRIES = 3"],
    "sh": ["# {w} step", "echo \"==> {w}\"", "cd \"$(dirname \"$0\")\"", "TIMEOUT={n}", "mkdir -p /tmp/{w}",
           "if [ -z \"$CI\" ]; then\n  echo \"local run\"\nfi"],
    "ps1": ["# {w} step", "Write-Host \"==> {w}\"", "$timeout = {n}", "$ErrorActionPreference = 'Stop'"],
    "pl": ["# {w} settings", "my $timeout = {n};", "print \"configuring {w}\\n\";"],
    "yaml": ["  # {w} settings", "  timeout: {n}", "  replicas: 2", "  log_level: info", "  region: eu-west-1"],
    "properties": ["# {w} settings", "server.port={n}", "logging.level.root=INFO", "spring.jpa.show-sql=false"],
    "ini": ["; {w} settings", "timeout = {n}", "log_level = info", "enabled = true"],
    "env": ["# {w} settings", "PORT={n}", "NODE_ENV=production", "LOG_LEVEL=info", "APP_NAME={w}-service"],
    "toml": ["# {w} settings", "timeout = {n}", "log_level = \"info\"", "enabled = true"],
    "tf": ["# {w} settings", "  region = \"eu-west-1\"", "  timeout = {n}"],
    "xml": ["  <!-- {w} settings -->", "  <timeout>{n}</timeout>", "  <logLevel>INFO</logLevel>"],
    "docker": ["# {w} step", "RUN apt-get update && apt-get install -y --no-install-recommends curl",
               "WORKDIR /app", "COPY . /app", "EXPOSE {n}"],
    "bat": ["REM {w} step", "echo ==^> {w}", "set TIMEOUT={n}", "if not exist C:\\temp\\{w} mkdir C:\\temp\\{w}"],
    "c": ["    /* {w} settings */", "    int timeout = {n};", "    fprintf(stderr, \"configuring {w}\\n\");"],
    "http": ["### {W} list", "GET https://api.internal.test/v1/{w}s\nAccept: application/json\n"],
    "md": ["Run the {w} job with `make {w}`.", "## {W}", "See the wiki for the {w} runbook."],
    "kt": ["    // {w} settings", "    val timeoutMs = {n}", "    log.info(\"configuring {w}\")"],
    "rs": ["    // {w} settings", "    let timeout = Duration::from_secs({n});", "    info!(\"configuring {w}\");"],
    "groovy": ["    // {w} settings", "    timeout = {n}"],
    "conf": ["# {w} settings", "timeout {n}", "log_level info"],
}


def fill(rng, lang: str) -> str:
    w = rng.choice(WORDS)
    return rng.choice(FILLER[lang]).format(w=w, W=w.capitalize(), n=rng.choice([30, 60, 100, 250, 443, 1000, 8080]))


class Doc:
    """One file: text parts in order, and the labels planted in them."""

    def __init__(self, path: str):
        self.path = path
        self.parts = []
        self.marks = []  # (part index, text to find, label)

    def add(self, text: str, *marks):
        """Append `text` (one or more lines, no trailing newline); `marks` are (value, label) pairs in `text`."""
        for value, label in marks:
            if value not in text:
                value = json.dumps(value)[1:-1]  # as a JSON serialiser wrote it (notebooks, JSON configs)
                if value not in text:
                    raise AssertionError("%s: %r not in %r" % (self.path, value, text[:200]))
            self.marks.append((len(self.parts), value, label))
        self.parts.append(text)
        return self

    def put(self, text: str, value: str, label: dict):
        return self.add(text, (value, label))

    def render(self):
        """The file's text and its labels with file, line and end_line filled in."""
        text = "\n".join(self.parts) + "\n"
        starts, off = [], 0
        for p in self.parts:
            starts.append(off)
            off += len(p) + 1
        out = []
        for part, value, label in self.marks:
            i = text.index(value, starts[part])
            line = text.count("\n", 0, i) + 1
            rec = dict(label, file=self.path, line=line, end_line=line + value.count("\n"), secret=value)
            out.append(rec)
        return text, out


class Corpus:
    """The tree being built: documents by path, written out with labels.jsonl at the end."""

    def __init__(self, values):
        self.v = values
        self.rng = values.rng
        self.docs = {}

    def doc(self, path: str) -> Doc:
        if path in self.docs:
            raise AssertionError("duplicate path " + path)
        d = Doc(path)
        self.docs[path] = d
        return d

    def unique(self, path: str) -> str:
        """`path`, or path with a -2, -3 ... suffix before the extension if taken."""
        if path not in self.docs:
            return path
        stem, ext = os.path.splitext(path)
        i = 2
        while "%s-%d%s" % (stem, i, ext) in self.docs:
            i += 1
        return "%s-%d%s" % (stem, i, ext)

    def home(self, rel: str) -> str:
        return self.unique("home/%s/%s" % (self.rng.choice(USERS), rel))

    def project(self, rel: str) -> str:
        return self.unique("home/%s/src/%s/%s" % (self.rng.choice(USERS), self.rng.choice(PROJECTS), rel))

    def write(self, out_dir: str):
        tree = os.path.join(out_dir, "tree")
        labels = []
        for path in sorted(self.docs):
            text, recs = self.docs[path].render()
            full = os.path.join(tree, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            labels.extend(recs)
        for i, rec in enumerate(labels):
            rec["id"] = "%s%05d" % ("p" if rec["label"] == "positive" else "n", i)
        with open(os.path.join(out_dir, "labels.jsonl"), "w", encoding="utf-8") as f:
            for rec in labels:
                f.write(json.dumps(rec, sort_keys=True) + "\n")
        return labels


def positive(category: str, kind: str, provider, expect, **extra) -> dict:
    """A positive label: `expect` lists credsweep rule ids or globs (generic-*) a finding must have to count."""
    return dict(extra, label="positive", category=category, kind=kind, provider=provider, expect=list(expect))


def negative(why: str, **extra) -> dict:
    """A hard negative: a finding that covers it is a false positive. `why` says what it really is."""
    return dict(extra, label="negative", category="negative", why=why)
