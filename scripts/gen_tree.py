#!/usr/bin/env python3
"""Build a deterministic synthetic multi-user tree for credsweep's scan benchmark.

    scripts/gen_tree.py DEST [--size-mb 220] [--seed 1] [--users 3]

Real source text found on this machine (Python stdlib, ~/.cargo/registry crates,
/usr/include headers, /usr/share/doc, the rustup HTML docs) is copied with small
per-file mutations into a home-directory layout:

    DEST/home/<user>/{projects/<repo>/..., .config/..., .cache/..., .ssh/, .aws/,
                      Documents/..., Downloads/..., Pictures/...}

plus a few big text files (log, C amalgamation, minified JS with very long lines,
JSON-lines dump), binary files (fake .png/.so/.pyc/.db and caches: random bytes with NUL
runs), archives whose members hold planted credentials (a .tar.gz backup, a Spring-style
.jar with a nested .jar, a project-export .zip, a .sql.xz and a .log.bz2: planted entries
carry "member", the member's path, and "line" inside it), a core dump with a token in its
strings (planted entry "offset": its byte offset), and synthetic credentials at known places.

Every planted credential is listed in DEST/planted.json (paths relative to DEST).
Scan DEST/home (the manifest's "scan_root"), not DEST, so the manifest itself is
not scanned.  The same seed on the same machine image gives a byte-identical tree;
the source pool is fingerprinted in the manifest ("sources.fingerprint") because
~/.cargo/registry changes when crates are added.

No credential is real: keys and tokens come from a seeded PRNG.  Private keys are
derived in pure Python from the seed (so the tree stays deterministic) and are
valid keys: `openssl pkey -in FILE -noout` and `ssh-keygen -y -f FILE` accept them.
"""
import argparse
import base64
import bz2
import glob
import gzip
import hashlib
import hmac
import io
import json
import lzma
import os
import random
import shutil
import string
import sys
import tarfile
import time
import zipfile

MIB = 1024 * 1024
USERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"]
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
ALNUM = string.ascii_letters + string.digits
B32 = string.ascii_uppercase + "234567"
AWS_SECRET_CHARS = string.ascii_letters + string.digits + "/+"
TEXT_EXTS = {
    "py", "pyi", "rs", "toml", "md", "txt", "rst", "c", "h", "hpp", "cc", "cpp", "html",
    "htm", "js", "css", "json", "yml", "yaml", "cfg", "ini", "sh", "in", "lock", "xml",
    "svg", "pl", "tcl", "el", "mk", "am", "ac", "csv", "tsv", "sql", "conf", "", "def",
    "inc", "map", "pyw", "bat", "ps1", "lua", "ld", "S", "s", "asm", "proto", "tmpl",
}
SKIP_EXTS = {"pem", "key", "crt", "cer", "der", "p12", "pfx", "jks", "keystore", "gpg", "asc"}
SKIP_DIRS = {"__pycache__", ".git", ".hg", ".svn", "site-packages", "dist-packages", "node_modules"}
# Paths that gitleaks/betterleaks allow-list by default: never plant there.
PLANT_AVOID = ("node_modules", "vendor", "site-packages", ".venv", "go.sum", "package-lock")

# --------------------------------------------------------------------------------------
# synthetic credentials
# --------------------------------------------------------------------------------------


def b62(n, width):
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = BASE62[r] + out
    return out.rjust(width, "0")


def ghp_token(rng, valid=True):
    body = "".join(rng.choice(BASE62) for _ in range(30))
    crc = zlib_crc32(body.encode())
    if not valid:
        crc ^= 0x5A5A5A
    return "ghp_" + body + b62(crc, 6)


def zlib_crc32(b):
    import zlib
    return zlib.crc32(b) & 0xFFFFFFFF


def aws_pair(rng):
    kid = "AKIA" + "".join(rng.choice(B32) for _ in range(16))
    sec = "".join(rng.choice(AWS_SECRET_CHARS) for _ in range(40))
    return kid, sec


def slack_bot(rng):
    d1 = "".join(rng.choice(string.digits) for _ in range(rng.choice([10, 11, 12, 13])))
    d2 = "".join(rng.choice(string.digits) for _ in range(rng.choice([10, 11, 12, 13])))
    tail = "".join(rng.choice(ALNUM) for _ in range(24))
    return "xoxb-%s-%s-%s" % (d1, d2, tail)


def stripe_live(rng):
    n = rng.choice([24, 24, 32, 99])
    return "sk_live_" + "".join(rng.choice(ALNUM) for _ in range(n))


def pg_url(rng):
    pw = "".join(rng.choice(ALNUM) for _ in range(rng.choice([16, 20, 24])))
    return "postgres://app:%s@db:5432/app" % pw


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def jwt(rng, user="svc"):
    header = b64url(b'{"alg":"HS256","typ":"JWT"}')
    payload = {
        "sub": "%s-%d" % (user, rng.randrange(10**6)),
        "iss": rng.choice(["https://auth.example.internal", "api-gateway", "login-svc"]),
        "iat": 1700000000 + rng.randrange(10**7),
        "exp": 1800000000 + rng.randrange(10**7),
        "scope": rng.choice(["read", "read write", "admin"]),
    }
    body = header + "." + b64url(json.dumps(payload, separators=(",", ":")).encode())
    key = rng.randbytes(32)
    sig = b64url(hmac.new(key, body.encode(), hashlib.sha256).digest())
    return body + "." + sig


# ---- deterministic private keys (pure Python, valid encodings) -----------------------


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der(tag, body):
    return bytes([tag]) + der_len(len(body)) + body


def der_int(v):
    b = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big")
    return der(0x02, b)


def pem(label, blob, width=64):
    s = base64.b64encode(blob).decode()
    lines = [s[i:i + width] for i in range(0, len(s), width)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)


SMALL_PRIMES = [p for p in range(3, 2000) if all(p % q for q in range(2, int(p ** 0.5) + 1))]


def is_probable_prime(n, rng, rounds=24):
    for p in SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
        a = rng.randrange(2, n - 2)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def gen_prime(bits, rng):
    while True:
        c = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if is_probable_prime(c, rng):
            return c


def rsa_pem(rng, bits=2048, pkcs8=False):
    e = 65537
    while True:
        p, q = gen_prime(bits // 2, rng), gen_prime(bits // 2, rng)
        if p == q:
            continue
        phi = (p - 1) * (q - 1)
        if phi % e:
            break
    if p < q:
        p, q = q, p
    n, d = p * q, pow(e, -1, (p - 1) * (q - 1))
    body = b"".join(der_int(x) for x in (0, n, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p)))
    pkcs1 = der(0x30, body)
    if not pkcs8:
        return pem("RSA PRIVATE KEY", pkcs1)
    alg = der(0x30, bytes.fromhex("06092a864886f70d010101") + b"\x05\x00")
    return pem("PRIVATE KEY", der(0x30, der_int(0) + alg + der(0x04, pkcs1)))


# Ed25519 (RFC 8032 reference arithmetic) -- only needed for the public half of OpenSSH keys.
_P = 2**255 - 19
_D = -121665 * pow(121666, _P - 2, _P) % _P
_GY = 4 * pow(5, _P - 2, _P) % _P


def _recover_x(y, sign):
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P)
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * pow(2, (_P - 1) // 4, _P) % _P
    if (x & 1) != sign:
        x = _P - x
    return x


_G = (_recover_x(_GY, 0), _GY, 1, _recover_x(_GY, 0) * _GY % _P)


def _padd(P, Q):
    A = (P[1] - P[0]) * (Q[1] - Q[0]) % _P
    B = (P[1] + P[0]) * (Q[1] + Q[0]) % _P
    C = 2 * P[3] * Q[3] * _D % _P
    D = 2 * P[2] * Q[2] % _P
    E, F, G, H = B - A, D - C, D + C, B + A
    return (E * F % _P, G * H % _P, F * G % _P, E * H % _P)


def _pmul(s, P):
    Q = (0, 1, 1, 0)
    while s:
        if s & 1:
            Q = _padd(Q, P)
        P = _padd(P, P)
        s >>= 1
    return Q


def ed25519_pub(seed32):
    h = hashlib.sha512(seed32).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    X, Y, Z, _ = _pmul(a, _G)
    zi = pow(Z, _P - 2, _P)
    x, y = X * zi % _P, Y * zi % _P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _sshstr(b):
    return len(b).to_bytes(4, "big") + b


def openssh_ed25519(rng, comment):
    sk = rng.randbytes(32)
    pk = ed25519_pub(sk)
    pub_blob = _sshstr(b"ssh-ed25519") + _sshstr(pk)
    check = rng.randbytes(4)
    priv = check + check + pub_blob + _sshstr(sk + pk) + _sshstr(comment.encode())
    i = 1
    while len(priv) % 8:
        priv += bytes([i])
        i += 1
    blob = (b"openssh-key-v1\0" + _sshstr(b"none") + _sshstr(b"none") + _sshstr(b"")
            + (1).to_bytes(4, "big") + _sshstr(pub_blob) + _sshstr(priv))
    pub_line = "ssh-ed25519 %s %s\n" % (base64.b64encode(pub_blob).decode(), comment)
    return pem("OPENSSH PRIVATE KEY", blob, 70), pub_line


def ed25519_pkcs8(rng):
    return pem("PRIVATE KEY", bytes.fromhex("302e020100300506032b657004220420") + rng.randbytes(32))


def ec_p256_sec1(rng):
    n = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    k = rng.randrange(1, n)
    body = der_int(1) + der(0x04, k.to_bytes(32, "big")) + der(0xA0, bytes.fromhex("06082a8648ce3d030107"))
    return pem("EC PRIVATE KEY", der(0x30, body))


# --------------------------------------------------------------------------------------
# source pool
# --------------------------------------------------------------------------------------


def ext_of(name):
    base = os.path.basename(name)
    if "." not in base.lstrip("."):
        return ""
    return base.rsplit(".", 1)[1]


def list_tree(root, exts=TEXT_EXTS, max_files=None):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for fn in sorted(filenames):
            e = ext_of(fn)
            if e in SKIP_EXTS or (exts is not None and e not in exts and not fn.endswith(".gz")):
                continue
            p = os.path.join(dirpath, fn)
            try:
                if not os.path.isfile(p) or os.path.islink(p):
                    continue
                sz = os.path.getsize(p)
            except OSError:
                continue
            if 0 < sz <= 4 * MIB:
                out.append((os.path.relpath(p, root), sz))
                if max_files and len(out) >= max_files:
                    return out
    return out


class Pool:
    """Source trees by kind: each item is (kind, name, root, [(rel, size)...])."""

    def __init__(self):
        self.trees = {"py": [], "rs": [], "c": [], "web": [], "doc": []}
        self.js = []  # big real JS files (for the minified bundle)
        home = os.path.expanduser("~")
        py_roots = sorted(set(glob.glob(os.path.join(home, ".pyenv/versions/*/lib/python3.*"))
                              + glob.glob("/usr/lib/python3.*")))
        py_roots = [r for r in py_roots if os.path.isfile(os.path.join(r, "os.py"))]
        for r in py_roots:
            ver = os.path.basename(r)
            top = [(f, os.path.getsize(os.path.join(r, f))) for f in sorted(os.listdir(r))
                   if f.endswith(".py") and os.path.isfile(os.path.join(r, f))]
            if top:
                self.trees["py"].append(("py", "stdlib-" + ver, r, top))
            for d in sorted(os.listdir(r)):
                full = os.path.join(r, d)
                if d in SKIP_DIRS or not os.path.isfile(os.path.join(full, "__init__.py")):
                    continue
                files = list_tree(full)
                if files:
                    self.trees["py"].append(("py", d, full, files))
        cargo = os.environ.get("CARGO_HOME", os.path.join(home, ".cargo"))
        for crate in sorted(glob.glob(os.path.join(cargo, "registry/src/*/*"))):
            if os.path.isdir(crate):
                files = list_tree(crate)
                if files:
                    self.trees["rs"].append(("rs", os.path.basename(crate), crate, files))
        if os.path.isdir("/usr/include"):
            top = [(f, os.path.getsize(os.path.join("/usr/include", f))) for f in sorted(os.listdir("/usr/include"))
                   if f.endswith(".h") and os.path.isfile(os.path.join("/usr/include", f))]
            if top:
                self.trees["c"].append(("c", "include", "/usr/include", top))
            for d in sorted(os.listdir("/usr/include")):
                full = os.path.join("/usr/include", d)
                if os.path.isdir(full) and not os.path.islink(full):
                    files = list_tree(full)
                    if files:
                        self.trees["c"].append(("c", d, full, files))
        if os.path.isdir("/usr/share/doc"):
            for d in sorted(os.listdir("/usr/share/doc")):
                full = os.path.join("/usr/share/doc", d)
                if os.path.isdir(full) and not os.path.islink(full):
                    files = list_tree(full)
                    if files:
                        self.trees["doc"].append(("doc", d, full, files))
        for html in sorted(glob.glob(os.path.join(home, ".rustup/toolchains/*/share/doc/rust/html"))):
            for d in sorted(os.listdir(html)):
                full = os.path.join(html, d)
                if os.path.isdir(full) and d not in ("static.files", "src"):
                    files = list_tree(full, max_files=6000)
                    if files:
                        self.trees["web"].append(("web", d, full, files))
            self.js = sorted(p for p in glob.glob(os.path.join(html, "**/*.js"), recursive=True)
                             if os.path.getsize(p) > 20000)
            break  # one toolchain is plenty
        h = hashlib.sha256()
        for kind in sorted(self.trees):
            for _, name, root, files in self.trees[kind]:
                h.update(("%s|%s|%d|%d\n" % (kind, root, len(files), sum(s for _, s in files))).encode())
        self.fingerprint = h.hexdigest()[:16]

    def kinds(self):
        return [k for k in ("py", "rs", "c", "web") if self.trees[k]]

    def summary(self):
        return {k: {"trees": len(v), "files": sum(len(t[3]) for t in v),
                    "bytes": sum(s for t in v for _, s in t[3])} for k, v in self.trees.items()}


def read_text(path, limit=160 * 1024):
    try:
        with open(path, "rb") as f:
            data = f.read(4 * MIB)
    except OSError:
        return None
    if path.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except Exception:
            return None
    if b"\0" in data[:8192] or b"PRIVATE KEY-----" in data:
        return None
    if len(data) > limit:
        cut = data.rfind(b"\n", 0, limit)
        data = data[:cut + 1 if cut > 0 else limit]
    return data


# --------------------------------------------------------------------------------------
# writer + planting
# --------------------------------------------------------------------------------------

HASH_COMMENT = {"py", "pyi", "sh", "toml", "yml", "yaml", "cfg", "ini", "conf", "pl", "mk", "am",
                "ac", "in", "tcl", "r", "rb", "env", "txt"}
SLASH_COMMENT = {"rs", "js", "go", "java", "ts", "cc", "cpp", "hpp", "css", "proto"}
BLOCK_COMMENT = {"c", "h", "S", "s", "inc", "def"}
XML_COMMENT = {"md", "html", "htm", "xml", "svg"}


def comment_line(ext, text):
    if ext in HASH_COMMENT:
        return "# %s\n" % text
    if ext in SLASH_COMMENT:
        return "// %s\n" % text
    if ext in BLOCK_COMMENT:
        return "/* %s */\n" % text
    if ext in XML_COMMENT:
        return "<!-- %s -->\n" % text
    if ext == "rst":
        return ".. %s\n\n" % text
    return None


HEADER_PHRASES = ["mirrored from upstream rev", "local patch", "synced", "vendored snapshot",
                  "checked out at", "reviewed-by: ci", "generated copy", "do not edit, rev"]


class Tree:
    def __init__(self, dest, rng):
        self.dest = dest
        self.rng = rng
        self.files = 0
        self.bytes = 0
        self.binary_files = 0
        self.binary_bytes = 0
        self.max_depth = 0
        self.deepest = ""
        self.planted = []
        self.decoys = []
        self.big = []
        self.archives = 0
        self._dirs = set()

    def write(self, rel, data, binary=False):
        if isinstance(data, str):
            data = data.encode()
        full = os.path.join(self.dest, rel)
        d = os.path.dirname(full)
        if d not in self._dirs:
            os.makedirs(d, exist_ok=True)
            self._dirs.add(d)
        with open(full, "wb") as f:
            f.write(data)
        self.files += 1
        self.bytes += len(data)
        if binary:
            self.binary_files += 1
            self.binary_bytes += len(data)
        depth = rel.count("/") + 1
        if depth > self.max_depth:
            self.max_depth, self.deepest = depth, rel
        return len(data)

    def plant(self, rel, family, value, line, context, **extra):
        e = {"id": len(self.planted) + 1, "path": rel, "family": family, "value": value,
             "line": line, "context": context}
        e.update(extra)
        self.planted.append(e)

    def archive(self, rel, data):
        self.archives += 1
        return self.write(rel, data, binary=True)

    def decoy(self, rel, family, value, line, why):
        self.decoys.append({"path": rel, "family": family, "value": value, "line": line, "why": why})


def mutate(data, ext, rng):
    """Small edits so that copies of one source file never come out identical."""
    tag = "%s %012x" % (rng.choice(HEADER_PHRASES), rng.getrandbits(48))
    hdr = comment_line(ext, tag)
    if len(data) > 200 and rng.random() < 0.7:  # duplicate one line somewhere
        a = data.find(b"\n", rng.randrange(len(data)))
        if a > 0:
            b = data.find(b"\n", a + 1)
            if b > a:
                data = data[:b] + data[a:b] + data[b:]
    if hdr is None or ext == "json":
        return data + (b"\n" if rng.random() < 0.5 else b"")
    if data.startswith(b"#!") or data.startswith(b"<!DOCTYPE") or data.startswith(b"<?xml"):
        nl = data.find(b"\n") + 1
        return data[:nl] + hdr.encode() + data[nl:]
    return hdr.encode() + data


def secret_snippet(family, ext, rng, user):
    """Return (text lines to insert, value, extra fields, index of the line holding the value)."""
    if family == "github_pat_classic":
        v = ghp_token(rng)
        name = rng.choice(["GITHUB_TOKEN", "GH_TOKEN", "github_token", "GITHUB_PAT"])
        return [assign(ext, name, v)], v, {}
    if family == "aws_access_key":
        kid, sec = aws_pair(rng)
        return [assign(ext, "aws_access_key_id", kid), assign(ext, "aws_secret_access_key", sec)], kid, \
            {"secret_access_key": sec}
    if family == "slack_bot_token":
        v = slack_bot(rng)
        return [assign(ext, rng.choice(["SLACK_BOT_TOKEN", "slack_token", "SLACK_TOKEN"]), v)], v, {}
    if family == "stripe_secret_key":
        v = stripe_live(rng)
        return [assign(ext, rng.choice(["STRIPE_SECRET_KEY", "stripe_api_key", "STRIPE_KEY"]), v)], v, {}
    if family == "postgres_url":
        v = pg_url(rng)
        return [assign(ext, "DATABASE_URL", v)], v, {}
    if family == "jwt":
        v = jwt(rng, user)
        return [assign(ext, rng.choice(["AUTH_TOKEN", "session_token", "API_JWT"]), v)], v, {}
    raise ValueError(family)


def assign(ext, name, value):
    if ext in ("py", "pyi"):
        return '%s = "%s"' % (name.upper(), value)
    if ext == "rs":
        return 'const %s: &str = "%s";' % (name.upper(), value)
    if ext in ("c", "h", "cc", "cpp", "hpp"):
        return 'static const char *%s = "%s";' % (name.lower(), value)
    if ext in ("js", "ts"):
        return 'const %s = "%s";' % (name.upper(), value)
    if ext in ("toml",):
        return '%s = "%s"' % (name.lower(), value)
    if ext in ("yml", "yaml"):
        return "%s: %s" % (name.lower(), value)
    if ext in ("sh", "bash"):
        return "export %s=%s" % (name.upper(), value)
    if ext in ("html", "htm", "xml"):
        return '<input type="hidden" name="%s" value="%s">' % (name.lower(), value)
    if ext == "md":
        return "    %s=%s" % (name.upper(), value)
    return "%s=%s" % (name.upper(), value)


def insert_lines(data, lines, rng, at_line=None):
    """Insert lines at a random line boundary. Returns (new_data, 1-based line of first inserted line)."""
    blob = ("\n".join(lines) + "\n").encode()
    if at_line is not None:
        pos = 0
        for _ in range(at_line - 1):
            nxt = data.find(b"\n", pos)
            if nxt < 0:
                break
            pos = nxt + 1
    elif len(data) < 2:
        pos = 0
    else:
        nxt = data.find(b"\n", rng.randrange(len(data)))
        pos = len(data) if nxt < 0 else nxt + 1
    if pos == len(data) and data and not data.endswith(b"\n"):
        data += b"\n"
        pos = len(data)
    line = data.count(b"\n", 0, pos) + 1
    return data[:pos] + blob + data[pos:], line


FAMILIES = ["github_pat_classic", "aws_access_key", "slack_bot_token", "stripe_secret_key",
            "postgres_url", "jwt"]


# --------------------------------------------------------------------------------------
# binary payloads
# --------------------------------------------------------------------------------------


def noisy_bytes(rng, n):
    out = bytearray()
    while len(out) < n:
        out += rng.randbytes(rng.randrange(64, 4096))
        out += b"\0" * rng.randrange(4, 256)
    return bytes(out[:n])


def fake_png(rng, n):
    import zlib
    ihdr = (640).to_bytes(4, "big") + (480).to_bytes(4, "big") + b"\x08\x06\x00\x00\x00"

    def chunk(t, d):
        return len(d).to_bytes(4, "big") + t + d + zlib.crc32(t + d).to_bytes(4, "big")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", noisy_bytes(rng, n)) + chunk(b"IEND", b"")


def fake_elf(rng, n):
    return b"\x7fELF\x02\x01\x01" + b"\0" * 9 + b"\x03\x00\x3e\x00\x01\x00\x00\x00" + noisy_bytes(rng, n)


def fake_pyc(rng, n):
    return b"\xa7\x0d\x0d\x0a" + b"\0" * 4 + rng.randbytes(8) + b"\xe3" + noisy_bytes(rng, n)


def fake_sqlite(rng, n):
    return b"SQLite format 3\0" + b"\x10\x00\x01\x01\x00\x40\x20\x20" + noisy_bytes(rng, n)


def fake_core(rng, n, env):
    """An ELF core dump (e_type ET_CORE): noise, the process environment as NUL-separated strings, noise.
    Returns (bytes, offset of `env` in them)."""
    hdr = b"\x7fELF\x02\x01\x01" + b"\0" * 9 + b"\x04\x00\x3e\x00\x01\x00\x00\x00" + b"\0" * 40
    head = hdr + noisy_bytes(rng, n // 2)
    return head + env + noisy_bytes(rng, n - n // 2), len(head)


def fake_class(rng, n):
    """A Java class file's shape: magic, version, a constant pool of short strings, binary code."""
    pool = b"".join(b"\x01" + len(w).to_bytes(2, "big") + w for w in
                    (b"java/lang/Object", b"<init>", b"()V", b"Code", b"LineNumberTable", b"SourceFile"))
    return b"\xca\xfe\xba\xbe\x00\x00\x00\x3d" + pool + noisy_bytes(rng, n)


def tar_gz(members):
    """A .tar.gz of (name, bytes) members, deterministic (fixed mtime, owner, gzip header)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode, ti.uname, ti.gname = len(data), 1714521600, 0o644, "dev", "dev"
            tf.addfile(ti, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), 6, mtime=0)


def zip_of(members):
    """A deflated .zip of (name, bytes) members, deterministic (fixed timestamps)."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name, date_time=(2024, 5, 1, 12, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return raw.getvalue()


# --------------------------------------------------------------------------------------
# generator
# --------------------------------------------------------------------------------------

REPO_WORDS = ["billing", "auth", "gateway", "infra", "deploy", "ledger", "search", "notify",
              "metrics", "etl", "portal", "scheduler", "inventory", "payments", "profile", "sync",
              "reports", "ingest", "cache", "audit", "catalog", "mailer", "tools", "sdk"]
REPO_SUFFIX = ["service", "api", "worker", "cli", "lib", "core", "web", "agent", "bot", "kit"]
DEEP = ["src", "com", "acme", "platform", "services", "billing", "internal", "adapters",
        "storage", "v2", "handlers", "impl"]
GITIGNORE = "/target\n**/*.rs.bk\n*.egg-info/\n.venv/\nnode_modules/\n.DS_Store\n"


class Gen:
    def __init__(self, dest, size_mb, seed, nusers):
        self.rng = random.Random(seed)
        self.seed, self.size_mb = seed, size_mb
        self.target = int(size_mb * MIB)
        self.t = Tree(dest, self.rng)
        self.pool = Pool()
        if not self.pool.kinds():
            sys.exit("gen_tree: no source text found (python stdlib, cargo registry, /usr/include)")
        self.users = USERS[:nusers] if nusers <= len(USERS) else USERS + ["user%02d" % i for i in range(len(USERS), nusers)]
        # planting density: ~1.2 planted secrets per MiB of tree, spread over source files
        self.plant_target = max(30, int(size_mb * 1.2))
        self.plant_candidates = []
        self.used_repo_names = set()
        self.deep_done = False
        self.keys = {}

    # -- helpers ------------------------------------------------------------------------
    def home(self, u):
        return "home/%s" % u

    def make_keys(self):
        r = random.Random(self.seed * 7919 + 17)
        self.keys["rsa"] = [rsa_pem(r), rsa_pem(r, pkcs8=True)]
        self.keys["ed25519"] = [openssh_ed25519(r, "%s@workstation" % u) for u in self.users[:3]]
        self.keys["ed25519_pkcs8"] = ed25519_pkcs8(r)
        self.keys["ec"] = ec_p256_sec1(r)

    def write_text_with_secret(self, rel, data, family, user, context, ext=None, at_line=None):
        ext = ext if ext is not None else ext_of(rel)
        lines, value, extra = secret_snippet(family, ext, self.rng, user)
        data, line = insert_lines(data, lines, self.rng, at_line)
        self.t.write(rel, data)
        self.t.plant(rel, family, value, line, context, **extra)

    def plant_pem(self, rel, text, key_type, context, prefix=b"", suffix=b""):
        line = prefix.count(b"\n") + 1
        self.t.write(rel, prefix + text.encode() + suffix)
        if "/.ssh/" in rel:
            os.chmod(os.path.join(self.t.dest, rel), 0o600)
        self.t.plant(rel, "private_key", text, line, context, key_type=key_type)

    def repo_name(self, kind, src_name):
        for _ in range(50):
            name = "%s-%s" % (self.rng.choice(REPO_WORDS), self.rng.choice(REPO_SUFFIX))
            if self.rng.random() < 0.4:
                name = src_name.split("-")[0].lower() + "-" + self.rng.choice(REPO_SUFFIX)
            if name not in self.used_repo_names:
                self.used_repo_names.add(name)
                return name
        name = "%s-%d" % (src_name, len(self.used_repo_names))
        self.used_repo_names.add(name)
        return name

    # -- copy a source tree as a repo ----------------------------------------------------
    def copy_files(self, src_root, files, dst_prefix, user, budget, plantable=True, pyc=False):
        written = 0
        for rel, _ in files:
            if written >= budget:
                break
            data = read_text(os.path.join(src_root, rel))
            if data is None:
                continue
            if rel.endswith(".gz"):
                rel = rel[:-3]
            ext = ext_of(rel)
            data = mutate(data, ext, self.rng)
            dst = "%s/%s" % (dst_prefix, rel)
            self.t.write(dst, data)
            if (plantable and ext in ("py", "rs", "c", "h", "toml", "yml", "yaml", "sh", "md", "js", "html")
                    and not any(a in dst for a in PLANT_AVOID)):
                self.plant_candidates.append((dst, user))
            written += len(data)
            if pyc and ext == "py" and self.rng.random() < 0.25:
                d, fn = os.path.split(dst)
                written += self.t.write("%s/__pycache__/%s.cpython-311.pyc" % (d, fn[:-3]),
                                        fake_pyc(self.rng, min(len(data) // 3 + 200, 60000)), binary=True)
        return written

    def pick_window(self, files, budget):
        """A contiguous window of the sorted file list (keeps directories coherent), biased
        towards small files: most files over 24 KiB are left out."""
        total = sum(s for _, s in files)
        if total <= budget and len(files) < 400:
            return files
        start = self.rng.randrange(len(files))
        out, acc = [], 0
        for i in range(len(files)):
            rel, s = files[(start + i) % len(files)]
            if s > 24 * 1024 and self.rng.random() < 0.85:
                continue
            out.append((rel, s))
            acc += min(s, 256 * 1024)
            if acc >= budget * 1.1:
                break
        return sorted(out)

    def make_repo(self, user, budget):
        kinds = self.pool.kinds()
        weights = {"py": 0.40, "rs": 0.36, "c": 0.16, "web": 0.08}
        kind = self.rng.choices(kinds, [weights[k] for k in kinds])[0]
        _, src_name, src_root, files = self.rng.choice(self.pool.trees[kind])
        name = self.repo_name(kind, src_name)
        base = "%s/projects/%s" % (self.home(user), name)
        files = self.pick_window(files, budget)
        w = 0
        w += self.t.write(base + "/.gitignore", GITIGNORE)
        w += self.t.write(base + "/README.md", "# %s\n\nInternal %s project. See docs/ for setup.\n\n"
                          "```\nmake build && make test\n```\n" % (name, kind))
        if kind == "py":
            pkg = src_name.replace("-", "_").replace(".", "_")
            w += self.t.write(base + "/pyproject.toml", '[project]\nname = "%s"\nversion = "0.%d.%d"\n'
                              'requires-python = ">=3.9"\n' % (name, self.rng.randrange(20), self.rng.randrange(10)))
            w += self.copy_files(src_root, files, base + "/src/" + pkg, user, budget, pyc=True)
            if self.rng.random() < 0.08 or not self.deep_done:  # deep package tree (depth >= 14 below DEST)
                self.deep_done = True
                deep_dir = base + "/" + "/".join(DEEP[: self.rng.randrange(9, len(DEEP) + 1)])
                w += self.copy_files(src_root, files[: self.rng.randrange(3, 12)], deep_dir, user, 400 * 1024)
                data = b'"""Local overrides -- not for production."""\nDEBUG = False\nLOG_LEVEL = "info"\n'
                self.write_text_with_secret(deep_dir + "/settings_local.py", data,
                                            self.rng.choice(FAMILIES), user, "deep")
        elif kind == "rs":
            w += self.copy_files(src_root, files, base, user, budget)
        elif kind == "c":
            w += self.t.write(base + "/Makefile", "CFLAGS ?= -O2 -Wall\nall:\n\t$(CC) $(CFLAGS) -Iinclude -c src/*.c\n")
            w += self.copy_files(src_root, files, base + "/include/" + src_name, user, budget)
        else:
            w += self.copy_files(src_root, files, base + "/site/" + src_name, user, budget)
            if self.rng.random() < 0.3:
                w += self.t.write(base + "/site/static/fonts/FiraSans-%d.woff2" % self.rng.randrange(100),
                                  noisy_bytes(self.rng, self.rng.randrange(40000, 120000)), binary=True)
        # per-repo .env (a classic leak)
        if self.rng.random() < 0.12:
            self.write_env(base + "/.env", user)
        if self.rng.random() < 0.06:
            rel = base + "/deploy/ci.yml"
            data = ("name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n"
                    "      RUST_LOG: info\n    steps:\n      - uses: actions/checkout@v4\n"
                    "      - run: make test\n").encode()
            self.write_text_with_secret(rel, data, self.rng.choice(["github_pat_classic", "slack_bot_token"]),
                                        user, "ci-config", ext="yml", at_line=8)
        return w

    def write_env(self, rel, user):
        lines = ["# local dev settings", "APP_ENV=development", "PORT=%d" % self.rng.choice([3000, 8000, 8080])]
        plants = []
        pg = pg_url(self.rng)
        lines.append("DATABASE_URL=" + pg)
        plants.append(("postgres_url", pg, len(lines), {}))
        lines.append("REDIS_URL=redis://localhost:6379/0")
        if self.rng.random() < 0.6:
            v = stripe_live(self.rng)
            lines.append("STRIPE_SECRET_KEY=" + v)
            plants.append(("stripe_secret_key", v, len(lines), {}))
        if self.rng.random() < 0.5:
            v = slack_bot(self.rng)
            lines.append("SLACK_BOT_TOKEN=" + v)
            plants.append(("slack_bot_token", v, len(lines), {}))
        if self.rng.random() < 0.3:
            v = jwt(self.rng, user)
            lines.append("SERVICE_JWT=" + v)
            plants.append(("jwt", v, len(lines), {}))
        lines.append("LOG_LEVEL=debug")
        self.t.write(rel, "\n".join(lines) + "\n")
        for fam, v, ln, ex in plants:
            self.t.plant(rel, fam, v, ln, "dotenv", **ex)

    # -- dotfiles and per-user clutter ---------------------------------------------------
    def dotfiles(self, ui, user):
        h = self.home(user)
        r = self.rng
        for fn in (".bashrc", ".profile", ".bash_logout"):
            src = "/etc/skel/" + fn
            data = open(src, "rb").read() if os.path.isfile(src) else b"# ~/%s\n" % fn.encode()
            self.t.write("%s/%s" % (h, fn), mutate(data, "sh", r))
        self.t.write(h + "/.gitconfig", "[user]\n\tname = %s\n\temail = %s@example.com\n[core]\n\teditor = vim\n"
                     "[pull]\n\trebase = true\n" % (user.title(), user))
        # ssh
        pem_text, pub = self.keys["ed25519"][ui % len(self.keys["ed25519"])]
        self.plant_pem(h + "/.ssh/id_ed25519", pem_text, "openssh-ed25519", "ssh")
        self.t.write(h + "/.ssh/id_ed25519.pub", pub)
        if ui % 2 == 0:
            self.plant_pem(h + "/.ssh/id_rsa", self.keys["rsa"][0], "rsa-pkcs1", "ssh")
        self.t.write(h + "/.ssh/config", "Host bastion\n  HostName 10.0.%d.%d\n  User %s\n  IdentityFile ~/.ssh/id_ed25519\n"
                     % (r.randrange(256), r.randrange(256), user))
        kh = "".join("|1|%s|%s ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%s\n" % (
            base64.b64encode(r.randbytes(20)).decode(), base64.b64encode(r.randbytes(20)).decode(),
            base64.b64encode(r.randbytes(32)).decode()[:43]) for _ in range(r.randrange(5, 40)))
        self.t.write(h + "/.ssh/known_hosts", kh)
        # aws
        kid, sec = aws_pair(r)
        self.t.write(h + "/.aws/config", "[default]\nregion = eu-west-1\noutput = json\n")
        self.t.write(h + "/.aws/credentials", "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (kid, sec))
        self.t.plant(h + "/.aws/credentials", "aws_access_key", kid, 2, "aws-cli", secret_access_key=sec)
        # gh cli
        tok = ghp_token(r)
        self.t.write(h + "/.config/gh/hosts.yml", "github.com:\n    user: %s\n    oauth_token: %s\n    git_protocol: ssh\n"
                     % (user, tok))
        self.t.plant(h + "/.config/gh/hosts.yml", "github_pat_classic", tok, 3, "gh-cli")
        # assorted small configs
        for app in ("htop/htoprc", "pip/pip.conf", "Code/User/settings.json", "git/ignore", "starship.toml",
                    "fish/config.fish", "nvim/init.lua", "tmux/tmux.conf", "containers/registries.conf"):
            body = "# %s for %s\n" % (app, user) + "".join("opt_%d = %d\n" % (i, r.randrange(1000))
                                                           for i in range(r.randrange(3, 30)))
            self.t.write("%s/.config/%s" % (h, app), body)
        self.t.write(h + "/.config/app/state.db", fake_sqlite(r, r.randrange(200000, 900000)), binary=True)
        # shell history with a couple of pasted secrets
        hist = []
        cmds = ["ls -la", "cd projects", "git status", "git pull --rebase", "cargo build --release", "make test",
                "python3 -m pytest -x", "docker ps", "kubectl get pods -n prod", "vim README.md", "htop",
                "ssh bastion", "terraform plan", "npm run build", "rg TODO src/", "git log --oneline | head"]
        n = r.randrange(400, 1500)
        at = sorted(r.sample(range(n), 3))
        for i in range(n):
            if i == at[0]:
                v = ghp_token(r)
                hist.append("export GITHUB_TOKEN=" + v)
                self.t.plant(h + "/.bash_history", "github_pat_classic", v, len(hist), "shell-history")
            elif i == at[1]:
                v = jwt(r, user)
                hist.append("curl -s -H 'Authorization: Bearer %s' https://api.example.internal/v1/me" % v)
                self.t.plant(h + "/.bash_history", "jwt", v, len(hist), "shell-history")
            elif i == at[2] and ui % 2 == 1:
                v = slack_bot(r)
                hist.append("curl -s -X POST -H 'Authorization: Bearer %s' https://slack.com/api/chat.postMessage" % v)
                self.t.plant(h + "/.bash_history", "slack_bot_token", v, len(hist), "shell-history")
            else:
                hist.append(r.choice(cmds))
        self.t.write(h + "/.bash_history", "\n".join(hist) + "\n")

    def cache_clutter(self, user, nfiles):
        """Tool caches: pip's http cache (5 hex levels deep) and npm's _cacache: many small,
        mostly binary files."""
        h = self.home(user)
        r = self.rng
        w = 0
        for i in range(nfiles):
            hx = "%056x" % r.getrandbits(224)
            style = i % 4
            if style == 0:
                rel = "%s/.cache/pip/http-v2/%s/%s/%s/%s/%s/%s.body" % (h, hx[0], hx[1], hx[2], hx[3], hx[4], hx)
                body = json.dumps({"url": "https://pypi.example/simple/pkg-%d/" % r.randrange(5000),
                                   "etag": "W/\"%x\"" % r.getrandbits(64), "vary": {"Accept-Encoding": "gzip"},
                                   "headers": {"content-type": "application/vnd.pypi.simple.v1+json",
                                               "date": "Mon, 0%d Jan 2024 10:00:00 GMT" % r.randrange(1, 10)}},
                                  indent=1).encode()
                w += self.t.write(rel, body)
            elif style == 1:
                rel = "%s/.cache/pip/http-v2/%s/%s/%s/%s/%s/%s" % (h, hx[0], hx[1], hx[2], hx[3], hx[4], hx)
                w += self.t.write(rel, b"cc=4,\x00\x00\x00" + noisy_bytes(r, r.randrange(300, 4000)), binary=True)
            elif style == 2:
                rel = "%s/.npm/_cacache/content-v2/sha512/%s/%s/%s" % (h, hx[:2], hx[2:4], hx[4:])
                # npm's content store holds gzip streams (package tarballs): valid ones, as a scanner that opens
                # archives finds them (the same draws from the generator as the fake header it once had)
                w += self.t.write(rel, gzip.compress(noisy_bytes(r, r.randrange(500, 6000)), 1, mtime=0), binary=True)
            else:
                rel = "%s/.npm/_cacache/index-v5/%s/%s/%s" % (h, hx[:2], hx[2:4], hx[4:])
                rec = {"key": "make-fetch-happen:request-cache:https://registry.npmjs.org/pkg-%d/-/pkg-%d-1.%d.%d.tgz"
                       % (i, i, r.randrange(20), r.randrange(20)), "integrity": "sha512-" + base64.b64encode(r.randbytes(64)).decode(),
                       "time": 1700000000000 + r.randrange(10**10), "size": r.randrange(1000, 900000)}
                w += self.t.write(rel, "%040x\t%s\n" % (r.getrandbits(160), json.dumps(rec)))
        return w

    def documents(self, user, budget):
        h = self.home(user)
        r = self.rng
        w = 0
        docs = self.pool.trees["doc"] or self.pool.trees["py"]
        while w < budget and docs:
            _, name, root, files = r.choice(docs)
            w += self.copy_files(root, files[:40], "%s/Documents/packages/%s" % (h, name), user, 300 * 1024,
                                 plantable=False)
        # notes with a leaked key and a decoy
        kid, sec = aws_pair(r)
        notes = ("# Ops notes (%s)\n\n## staging\n- bastion via ~/.ssh/config\n- creds for the staging bucket:\n\n"
                 "    aws_access_key_id = %s\n    aws_secret_access_key = %s\n\n"
                 "## docs example (from the AWS guide, not a real key)\n\n"
                 "    aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                 "    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\n"
                 "## todo\n- rotate the token: %s\n- placeholder in the template: STRIPE_SECRET_KEY=sk_live_%s\n"
                 % (user, kid, sec, ghp_token(r, valid=False), "x" * 24))
        rel = h + "/Documents/notes/ops.md"
        w += self.t.write(rel, notes)
        self.t.plant(rel, "aws_access_key", kid, 7, "notes", secret_access_key=sec)
        self.t.decoy(rel, "aws_access_key", "AKIAIOSFODNN7EXAMPLE", 12, "AWS documentation example key")
        self.t.decoy(rel, "github_pat_classic", notes.split("rotate the token: ")[1].split("\n")[0], 16,
                     "ghp_ token with a wrong CRC32 checksum")
        self.t.decoy(rel, "stripe_secret_key", "sk_live_" + "x" * 24, 17, "placeholder")
        return w

    def pictures_and_downloads(self, user, budget):
        h = self.home(user)
        r = self.rng
        w = 0
        i = 0
        while w < budget:
            kind = i % 3
            n = r.randrange(150000, 1500000)
            if kind == 0:
                w += self.t.write("%s/Pictures/IMG_%04d.png" % (h, r.randrange(10000)), fake_png(r, n), binary=True)
            elif kind == 1:
                w += self.t.write("%s/Downloads/libfoo-%d.so" % (h, i), fake_elf(r, n), binary=True)
            else:
                w += self.t.write("%s/.local/share/app/cache-%d.bin" % (h, i), noisy_bytes(r, n), binary=True)
            i += 1
        return w

    # -- big files -----------------------------------------------------------------------
    def big_log(self, rel, size, user):
        r = self.rng
        levels = ["INFO"] * 8 + ["DEBUG"] * 4 + ["WARN", "ERROR"]
        paths = ["/api/v1/items", "/api/v1/users", "/healthz", "/api/v2/orders", "/login", "/metrics"]
        n_plant = 4
        out, size_acc, lineno = [], 0, 0
        plant_at = set()
        est_lines = size // 150
        while len(plant_at) < n_plant:
            plant_at.add(r.randrange(10, max(20, est_lines - 10)))
        fams = ["jwt", "github_pat_classic", "aws_access_key", "jwt"]
        ts = 1709280000
        while size_acc < size:
            lineno += 1
            ts += r.randrange(0, 3)
            t = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts))
            if lineno in plant_at:
                fam = fams.pop()
                if fam == "jwt":
                    v = jwt(r, user)
                    line = "%s.%03dZ DEBUG [http] request headers={\"authorization\": \"Bearer %s\"}" % (t, r.randrange(1000), v)
                    self.t.plant(rel, "jwt", v, lineno, "big-log")
                elif fam == "github_pat_classic":
                    v = ghp_token(r)
                    line = "%s.%03dZ WARN  [git] clone https://x-access-token:%s@github.com/acme/infra.git failed" % (t, r.randrange(1000), v)
                    self.t.plant(rel, "github_pat_classic", v, lineno, "big-log")
                else:
                    kid, sec = aws_pair(r)
                    line = "%s.%03dZ DEBUG [boto] env AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s" % (t, r.randrange(1000), kid, sec)
                    self.t.plant(rel, "aws_access_key", kid, lineno, "big-log", secret_access_key=sec)
            else:
                line = "%s.%03dZ %-5s [worker-%d] http.request method=%s path=%s/%d status=%d dur_ms=%d req_id=%016x" % (
                    t, r.randrange(1000), r.choice(levels), r.randrange(16), r.choice(["GET", "GET", "POST", "PUT"]),
                    r.choice(paths), r.randrange(100000), r.choice([200, 200, 200, 201, 204, 304, 404, 500]),
                    r.randrange(1, 900), r.getrandbits(64))
            out.append(line)
            size_acc += len(line) + 1
        self.t.write(rel, "\n".join(out) + "\n")
        self.t.big.append({"path": rel, "kind": "log", "bytes": size_acc})

    def big_amalgamation(self, rel, size, user):
        r = self.rng
        parts, acc = [], 0
        srcs = self.pool.trees["c"] or self.pool.trees["py"]
        flat = [(root, f) for _, _, root, files in srcs for f, s in files if s < 400000]
        r.shuffle(flat)
        for root, f in flat:
            if acc >= size:
                break
            data = read_text(os.path.join(root, f))
            if data is None:
                continue
            chunk = b"/************** Begin file %s ***************/\n" % f.encode() + data + \
                b"/************** End of %s ***************/\n" % f.encode()
            parts.append(chunk)
            acc += len(chunk)
        data = b"".join(parts)
        placed = []
        for fam in ("aws_access_key", "stripe_secret_key"):
            lines, value, extra = secret_snippet(fam, "c", r, user)
            data, _ = insert_lines(data, lines, r)
            placed.append((fam, value, extra))
        for fam, value, extra in placed:  # line numbers after all insertions
            line = data.count(b"\n", 0, data.find(value.encode())) + 1
            self.t.plant(rel, fam, value, line, "big-amalgamation", **extra)
        self.t.write(rel, data)
        self.t.big.append({"path": rel, "kind": "c-amalgamation", "bytes": len(data)})

    def big_minified_js(self, rel, size, user):
        """Very long lines: real minified JS (rustdoc search index/bundles) or synthetic if absent."""
        r = self.rng
        chunks, acc = [], 0
        js = list(self.pool.js)
        r.shuffle(js)
        for p in js:
            if acc >= size:
                break
            try:
                data = open(p, "rb").read()
            except OSError:
                continue
            data = data.replace(b"\r", b"").replace(b"\n", b";")  # minify further: one line per file
            chunks.append(data[: size - acc + 1])
            acc += len(chunks[-1])
        while acc < size:  # synthetic fallback
            s = "".join("function f%x(a,b){return a*%d+b^%d}var v%x=[%s];" % (
                r.getrandbits(24), r.randrange(99), r.randrange(99), r.getrandbits(24),
                ",".join(str(r.randrange(1000)) for _ in range(20))) for _ in range(2000)).encode()
            chunks.append(s)
            acc += len(s)
        # plant inside the middle of two long lines
        for i, fam in ((len(chunks) // 3, "stripe_secret_key"), ((2 * len(chunks)) // 3, "github_pat_classic")):
            v = stripe_live(r) if fam == "stripe_secret_key" else ghp_token(r)
            c = chunks[i]
            mid = c.find(b",", len(c) // 2)
            mid = len(c) // 2 if mid < 0 else mid
            chunks[i] = c[:mid] + (',cfg:{apiKey:"%s"}' % v).encode() + c[mid:]
            self.t.plant(rel, fam, v, i + 1, "minified-js", column=mid + 1)
        self.t.write(rel, b"\n".join(chunks) + b"\n")
        self.t.big.append({"path": rel, "kind": "minified-js", "bytes": sum(len(c) + 1 for c in chunks),
                           "longest_line": max(len(c) for c in chunks)})

    def big_dump(self, rel, size, user):
        r = self.rng
        out, acc, n = [], 0, 0
        plant_at = {r.randrange(100, max(200, size // 400)): "jwt", r.randrange(100, max(200, size // 400)): "postgres_url"}
        first = ["ana", "ben", "chen", "dora", "eli", "fatima", "gus", "hana", "igor", "jo"]
        while acc < size:
            n += 1
            rec = {"id": n, "uuid": "%032x" % r.getrandbits(128), "name": r.choice(first) + " " + r.choice(first).title(),
                   "email": "%s%d@example.org" % (r.choice(first), r.randrange(9999)),
                   "created": 1600000000 + r.randrange(10**8), "plan": r.choice(["free", "pro", "team"]),
                   "tags": r.sample(["beta", "eu", "us", "vip", "churn-risk", "trial"], 2),
                   "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$" + b64url(r.randbytes(16)) + "$" + b64url(r.randbytes(32))}
            fam = plant_at.get(n)
            if fam == "jwt":
                v = jwt(r, user)
                rec["session_token"] = v
                self.t.plant(rel, "jwt", v, n, "big-dump")
            elif fam == "postgres_url":
                v = pg_url(r)
                rec["dsn"] = v
                self.t.plant(rel, "postgres_url", v, n, "big-dump")
            s = json.dumps(rec, separators=(",", ":"))
            out.append(s)
            acc += len(s) + 1
        self.t.write(rel, "\n".join(out) + "\n")
        self.t.big.append({"path": rel, "kind": "jsonl-dump", "bytes": acc})

    def copied_text(self, rng, budget, prefix):
        """Source text from the pool for an archive's filler members: [(name, bytes)], about `budget` bytes."""
        out, acc, seen = [], 0, set()
        trees = [t for k in ("doc", "py", "c") for t in self.pool.trees[k]]
        tries = 0
        while acc < budget and trees and tries < 10000:
            tries += 1
            _, name, root, files = rng.choice(trees)
            for rel, _ in files[:60]:
                member = "%s/%s/%s" % (prefix, name, rel[:-3] if rel.endswith(".gz") else rel)
                data = None if member in seen else read_text(os.path.join(root, rel))
                if data is None:
                    continue
                seen.add(member)
                out.append((member, data))
                acc += len(data)
                if acc >= budget:
                    break
        return out

    def plant_member(self, rng, archive_rel, member, family, user, data=b"", ext=None):
        """A planted secret inside an archive member: returns the member's bytes. Appended to a small member (so
        earlier plants keep their line), at a random line of a big one."""
        lines, value, extra = secret_snippet(family, ext if ext is not None else ext_of(member), rng, user)
        at_end = data.count(b"\n") + 1 if len(data) < 4096 else None
        data, line = insert_lines(data, lines, rng, at_line=at_end)
        self.t.plant(archive_rel, family, value, line, "archive", member=member, **extra)
        return data

    def archives_and_binaries(self):
        """Archives with planted secrets in their members, and a core dump with one in its strings (issue #14).
        Drawn from their own random stream, after everything else: the rest of the tree is what it was."""
        r = random.Random(self.seed * 104729 + 3)
        U = self.users
        S = self.target
        u0, u1, u2 = U[0], U[1 % len(U)], U[-1]
        # A home backup: dotfiles with secrets, and copied docs as bulk (about 2% of the tree).
        rel = "%s/Downloads/backup-2024-05.tar.gz" % self.home(u0)
        env = self.plant_member(r, rel, "home/%s/app/.env" % u0, "github_pat_classic", u0, b"APP_ENV=prod\n", ext="")
        env = self.plant_member(r, rel, "home/%s/app/.env" % u0, "postgres_url", u0, env, ext="")
        members = [("home/%s/app/.env" % u0, env)] + self.copied_text(r, int(S * 0.02), "home/%s/docs" % u0)
        self.t.archive(rel, tar_gz(members))
        # A Spring Boot-style jar: properties with an AWS key, class files, a nested jar with a Slack token.
        rel = "%s/projects/billing-service/build/libs/billing-service-1.4.2.jar" % self.home(u1)
        props = self.plant_member(r, rel, "BOOT-INF/classes/application.properties", "aws_access_key", u1,
                                  b"server.port=8080\nspring.application.name=billing\n", ext="")
        inner_cfg = self.plant_member(r, rel, "BOOT-INF/lib/notify-client-2.1.jar!config/notify.yml",
                                      "slack_bot_token", u1, b"channel: '#billing'\n", ext="yml")
        inner = zip_of([("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n"), ("config/notify.yml", inner_cfg)]
                       + [("com/acme/notify/C%d.class" % i, fake_class(r, r.randrange(800, 6000))) for i in range(40)])
        classes = [("BOOT-INF/classes/com/acme/billing/C%d.class" % i, fake_class(r, r.randrange(800, 9000)))
                   for i in range(300)]
        self.t.archive(rel, zip_of([("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\nMain-Class: x\n"),
                                    ("BOOT-INF/classes/application.properties", props)] + classes
                                   + [("BOOT-INF/lib/notify-client-2.1.jar", inner)]))
        # A project export: docs and a .env with a Stripe key.
        rel = "%s/Downloads/project-export.zip" % self.home(u2)
        env = self.plant_member(r, rel, "project/.env", "stripe_secret_key", u2, b"NODE_ENV=production\n", ext="")
        self.t.archive(rel, zip_of([("project/.env", env)] + self.copied_text(r, int(S * 0.005), "project/docs")))
        # Single compressed files: an SQL dump (xz) and a log (bzip2).
        rel = "%s/Documents/db-dump.sql.xz" % self.home(u1)
        dump = b"".join(b"INSERT INTO events VALUES (%d, '%s');\n" % (i, r.randbytes(12).hex().encode())
                        for i in range(20000))
        dump = self.plant_member(r, rel, "db-dump.sql", "jwt", u1, dump, ext="sql")
        self.t.archive(rel, lzma.compress(dump, preset=1))
        rel = "%s/projects/logs/worker.log.bz2" % self.home(u2)
        log = b"".join(b"2024-05-01T12:%02d:%02d worker: job %d done\n" % (i // 60 % 60, i % 60, i)
                       for i in range(30000))
        log = self.plant_member(r, rel, "worker.log", "github_pat_classic", u2, log, ext="log")
        self.t.archive(rel, bz2.compress(log, 1))
        # A core dump (about 4 MB) with a token in the environment block: found in its strings, at its offset.
        rel = "%s/.local/share/app/core.4242" % self.home(u0)
        value = ghp_token(r)
        env = b"HOME=/home/%s\0GITHUB_TOKEN=%s\0PATH=/usr/bin:/bin\0" % (u0.encode(), value.encode())
        core, at = fake_core(r, 4 * MIB, env)
        self.t.write(rel, core, binary=True)
        self.t.plant(rel, "github_pat_classic", value, 1, "binary", offset=at + env.index(value.encode()))

    def key_files(self):
        """A few more PEM keys in project-ish places (certs dirs, test fixtures)."""
        u = self.users
        spots = [
            ("%s/projects/keys/server.key" % self.home(u[0]), self.keys["rsa"][1], "rsa-pkcs8"),
            ("%s/Documents/backup/ec-signing.pem" % self.home(u[-1]), self.keys["ec"], "ec-p256-sec1"),
            ("%s/.config/app/certs/ed25519.pem" % self.home(u[len(u) // 2]), self.keys["ed25519_pkcs8"], "ed25519-pkcs8"),
        ]
        for rel, text, kt in spots:
            self.plant_pem(rel, text, kt, "key-file")
        # a key pasted into a Python test fixture
        rel = "%s/projects/keys/test_tls.py" % self.home(u[0])
        prefix = b'import ssl\n\n# throwaway key for the TLS handshake test\nKEY = """'
        self.plant_pem(rel, self.keys["rsa"][0], "rsa-pkcs1", "embedded", prefix=prefix,
                       suffix=b'"""\n\n\ndef test_load():\n    assert KEY.startswith("-----BEGIN")\n')

    # -- main ----------------------------------------------------------------------------
    def run(self):
        t0 = time.time()
        r = self.rng
        self.make_keys()
        U = self.users
        S = self.target
        # big text files (5-20 MB each at the default 220 MB)
        self.big_log("%s/projects/logs/server.log" % self.home(U[1 % len(U)]), int(S * 0.07), U[1 % len(U)])
        self.big_amalgamation("%s/projects/sqlite-embed/src/amalgamation.c" % self.home(U[0]), int(S * 0.055), U[0])
        self.big_minified_js("%s/projects/webapp/static/js/app.min.js" % self.home(U[0]), int(S * 0.035), U[0])
        self.big_dump("%s/Downloads/export-2024-03.jsonl" % self.home(U[-1]), int(S * 0.03), U[-1])
        self.key_files()
        for ui, u in enumerate(U):
            self.dotfiles(ui, u)
            self.cache_clutter(u, max(50, int(self.size_mb * 60 / len(U))))
            self.documents(u, int(S * 0.04 / len(U)))
            self.pictures_and_downloads(u, int(S * 0.03 / len(U)))
        i = 0
        while self.t.bytes < S:
            u = U[i % len(U)]
            budget = min(int(r.uniform(0.3, 5.0) * MIB), S - self.t.bytes + 64 * 1024)
            self.make_repo(u, budget)
            i += 1
        # top up with secrets pasted into copied source files, at random
        need = max(self.plant_target - len(self.t.planted), min(20, len(self.plant_candidates)))
        for rel, user in sorted(r.sample(self.plant_candidates, min(need, len(self.plant_candidates)))):
            full = os.path.join(self.t.dest, rel)
            with open(full, "rb") as f:
                data = f.read()
            fam = r.choice(FAMILIES)
            lines, value, extra = secret_snippet(fam, ext_of(rel), r, user)
            new, line = insert_lines(data, lines, r)
            with open(full, "wb") as f:
                f.write(new)
            self.t.bytes += len(new) - len(data)
            self.t.plant(rel, fam, value, line, "source", **extra)
        self.archives_and_binaries()
        return time.time() - t0

    def manifest(self, elapsed):
        fam = {}
        for p in self.t.planted:
            fam[p["family"]] = fam.get(p["family"], 0) + 1
        return {
            "format": "credsweep-bench-tree/1",
            "generator": "scripts/gen_tree.py",
            "seed": self.seed,
            "size_mb": self.size_mb,
            "users": self.users,
            "scan_root": "home",
            "stats": {
                "files": self.t.files, "bytes": self.t.bytes, "binary_files": self.t.binary_files,
                "binary_bytes": self.t.binary_bytes, "max_depth": self.t.max_depth,
                "deepest_file": self.t.deepest, "big_files": self.t.big,
                "archives": self.t.archives,
                "planted_in_archives": sum(1 for p in self.t.planted if "member" in p),
                "planted": len(self.t.planted), "planted_files": len({p["path"] for p in self.t.planted}),
                "planted_by_family": dict(sorted(fam.items())), "decoys": len(self.t.decoys),
                "generation_seconds": round(elapsed, 1),
            },
            "sources": {"fingerprint": self.pool.fingerprint, "pool": self.pool.summary()},
            "planted": self.t.planted,
            "decoys": self.t.decoys,
        }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dest")
    ap.add_argument("--size-mb", type=float, default=220)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--users", type=int, default=3)
    ap.add_argument("--force", action="store_true", help="delete DEST first if it exists")
    a = ap.parse_args()
    if a.users < 1:
        ap.error("--users must be >= 1")
    if os.path.exists(a.dest) and os.listdir(a.dest):
        if not a.force:
            sys.exit("gen_tree: %s exists and is not empty (use --force to replace it)" % a.dest)
        shutil.rmtree(a.dest)
    os.makedirs(a.dest, exist_ok=True)
    g = Gen(os.path.abspath(a.dest), a.size_mb, a.seed, a.users)
    elapsed = g.run()
    m = g.manifest(elapsed)
    tmp = os.path.join(a.dest, "planted.json.tmp")
    with open(tmp, "w") as f:
        json.dump(m, f, indent=1)
    os.replace(tmp, os.path.join(a.dest, "planted.json"))  # written last: marks the tree complete
    s = m["stats"]
    print("gen_tree: %s: %d files, %.1f MiB (%d binary files, %.1f MiB), max depth %d, %d planted secrets "
          "in %d files, %d decoys, %.1fs" % (a.dest, s["files"], s["bytes"] / MIB, s["binary_files"],
                                             s["binary_bytes"] / MIB, s["max_depth"], s["planted"],
                                             s["planted_files"], s["decoys"], elapsed), file=sys.stderr)


if __name__ == "__main__":
    main()
