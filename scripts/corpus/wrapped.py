"""Keys and tokens in any wrapping (issue #13 section 2).

* Private keys (RSA PKCS#1 and PKCS#8, EC, OpenSSH, Ed25519, encrypted PKCS#8, DSA, PuTTY) as plain files, in YAML
  block scalars, JSON strings with `\\n` escapes, `\\\\n` double escapes, quoted line by line in Python, Java, JS,
  C# and Go source, base64-encoded PEM (`LS0tLS1CRUdJTi...`) in Kubernetes Secrets, env files and JSON, markdown
  code fences and notebooks.
* `Authorization: Basic` (labelled with the decoded user:password too) and `Authorization: Bearer` / `token` with
  opaque tokens in scripts, .http/.rest files, code, notebooks, nginx and PowerShell.
* WireGuard `PrivateKey` / `PresharedKey` in .conf files of any name; Kaggle `kaggle.json` keys.

A wrapped key's label holds the text as the file has it, and `alts` the key's base64 body, so a scanner that
reports the decoded key, one that reports the escaped text and one that reports the first line all match.
"""
import json

from . import values as V
from .layout import negative, positive

KEY_KINDS = [("rsa", "private-key-rsa"), ("rsa-pkcs8", "private-key-pkcs8"), ("ec", "private-key-ec"),
             ("openssh", "private-key-openssh"), ("ed25519-pkcs8", "private-key-pkcs8"),
             ("pkcs8-encrypted", "private-key-pkcs8-encrypted"), ("dsa", "private-key-dsa"), ("pgp", "private-key-pgp")]
WRAPPINGS = ["file", "yaml-block", "json-escaped", "double-escaped", "py-lines", "java-lines", "js-lines", "cs-verbatim",
             "go-raw", "base64-k8s", "base64-env", "base64-json", "markdown", "notebook", "env-escaped", "tf-heredoc"]
KEY_FILES = ["~/.ssh/id_rsa", "~/.ssh/deploy_key", "certs/server.key", "deploy/ci_deploy_key", "~/keys/prod.pem",
             "secrets/signing-key.pem", "~/Downloads/jenkins.pem", "config/jwt-private.pem"]


def body_of(pem: str) -> str:
    """The base64 lines of a PEM (or PuTTY) key, joined: the part every wrapping keeps."""
    lines = [ln for ln in pem.strip().split("\n")
             if ln and not ln.startswith("-----") and ":" not in ln and not ln.startswith("=")]
    return "".join(lines)


def key_label(rule: str, kind: str, wrapping: str, pem: str) -> dict:
    encrypted = kind == "pkcs8-encrypted"
    return positive("wrapped", "private-key", None, [rule], wrapping=wrapping, key_type=kind, encrypted=encrypted,
                    alts=[body_of(pem)[:120]])


def wrap(v, rng, pem: str, wrapping: str):
    """(file kind or a path, text, in-file form of the key) for `pem` in `wrapping`."""
    lines = pem.rstrip("\n").split("\n")
    w = rng.choice(["deploy", "signing", "sftp", "jwt", "service"])
    if wrapping == "yaml-block":
        inner = "\n".join("    " + ln for ln in lines)
        return "yaml", "  %s_private_key: |\n%s" % (w, inner), inner
    if wrapping == "json-escaped":
        esc = json.dumps(pem)[1:-1]
        return "json", (w + "_private_key", pem), esc
    if wrapping == "double-escaped":
        esc = pem.replace("\n", "\\\\n")
        return "js", "const %sKey = \"%s\";" % (w, esc), esc
    if wrapping == "env-escaped":
        esc = pem.replace("\n", "\\n")
        return "env", "%s_PRIVATE_KEY=\"%s\"" % (w.upper(), esc), esc
    if wrapping == "py-lines":
        inner = "\n".join("    \"%s\\n\"" % ln for ln in lines)
        return "py", "%s_PRIVATE_KEY = (\n%s\n)" % (w.upper(), inner), inner
    if wrapping == "java-lines":
        inner = " +\n".join("            \"%s\\n\"" % ln for ln in lines)
        return "java", "        String privateKeyPem =\n%s;" % inner, inner
    if wrapping == "js-lines":
        inner = "\n".join("  '%s'," % ln for ln in lines)
        return "js", "const %sKey = [\n%s\n].join('\\n');" % (w, inner), inner
    if wrapping == "cs-verbatim":
        inner = "\n".join(lines)
        return "cs", "            const string PrivateKey = @\"%s\";" % inner, inner
    if wrapping == "go-raw":
        inner = "\n".join(lines)
        return "go", "\tprivateKey := `%s`" % inner, inner
    if wrapping == "tf-heredoc":
        inner = "\n".join(lines)
        return "tf", "  private_key = <<-EOT\n%s\n  EOT" % inner, inner
    if wrapping == "markdown":
        inner = "\n".join(lines)
        return "md", "The deploy key for the staging box:\n\n```\n%s\n```" % inner, inner
    if wrapping == "notebook":
        esc = pem.replace("\n", "\\n")
        return "ipynb", "%s_key = \"%s\"" % (w, esc), esc
    b = V.b64(pem.encode())
    if wrapping == "base64-k8s":
        return "k8s-secret", b, b
    if wrapping == "base64-env":
        return "env", "%s_KEY_B64=%s" % (w.upper(), b), b
    if wrapping == "base64-json":
        return "json", (w + "PrivateKeyBase64", b), b
    raise ValueError(wrapping)


def keys(corpus):
    v, rng = corpus.v, corpus.rng
    items = []
    i = 0
    for kind, rule in KEY_KINDS:
        for wrapping in WRAPPINGS:
            i += 1
            if kind in ("rsa", "rsa-pkcs8", "dsa", "pgp") and wrapping not in WRAPPINGS[i % 4::3] and wrapping != "file":
                continue  # big keys: a third of the wrappings each, so the corpus stays small and fast to make
            pem = v.private_key(kind)
            label = key_label(rule, kind, wrapping, pem)
            if wrapping == "file":
                rel = rng.choice(KEY_FILES)
                doc = corpus.doc(corpus.home(rel[2:]) if rel.startswith("~/") else corpus.project(rel))
                doc.put(pem.rstrip("\n"), pem.rstrip("\n"), label)
                continue
            kind_, text, infile = wrap(v, rng, pem, wrapping)
            if kind_ == "k8s-secret":
                doc = corpus.doc(corpus.project("k8s/%s-tls.yaml" % rng.choice(["api", "ingress", "web"])))
                crt = V.b64(v.certificate_pem().encode())
                doc.add("apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls-cert\ntype: kubernetes.io/tls\ndata:\n"
                        "  tls.crt: %s" % crt, (crt, negative("public-key", note="base64 certificate")))
                doc.put("  tls.key: " + infile, infile, label)
            elif kind_ == "json":
                items.append({"kind": "json", "pair": text, "marks": [(infile, label)]})
            else:
                items.append({"kind": kind_, "text": text, "marks": [(infile, label)]})
    putty = v.private_key("putty")
    doc = corpus.doc(corpus.home("Documents/keys/%s.ppk" % v.user()))
    doc.put(putty.rstrip("\n"), putty.rstrip("\n"), key_label("private-key-putty", "putty", "file", putty))
    return items


AUTH_EXPECT = ["*authorization*", "*basic*", "*bearer*", "generic-*"]
HEADER_FORMS = [
    ("http", "GET https://{h}/api/v1/reports\nAuthorization: {s} {t}\nAccept: application/json\n"),
    ("http", "POST https://{h}/api/v2/jobs\nContent-Type: application/json\nAuthorization: {s} {t}\n\n{{\"name\": \"nightly\"}}\n"),
    ("sh", "curl -fsS -H \"Authorization: {s} {t}\" https://{h}/api/v1/export -o export.json"),
    ("sh", "curl -H 'Authorization: {s} {t}' -X DELETE https://{h}/api/v1/cache"),
    ("py", "headers = {{\"Authorization\": \"{s} {t}\"}}\nresp = requests.get(\"https://{h}/v1/items\", headers=headers)"),
    ("js", "const res = await fetch('https://{h}/api/items', {{\n  headers: {{ Authorization: '{s} {t}' }},\n}});"),
    ("ipynb", "r = requests.get(\"https://{h}/api/data\", headers={{\"Authorization\": \"{s} {t}\"}})"),
    ("md", "```bash\ncurl -H \"Authorization: {s} {t}\" https://{h}/api/v1/me\n```"),
    ("ps1", "Invoke-RestMethod -Uri https://{h}/api/v1/items -Headers @{{ Authorization = \"{s} {t}\" }}"),
    ("nginx", "        proxy_set_header Authorization \"{s} {t}\";"),
    ("go", "\treq.Header.Set(\"Authorization\", \"{s} {t}\")"),
    ("cs", "            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(\"{s}\", \"{t}\");"),
]


def auth_headers(corpus):
    v, rng = corpus.v, corpus.rng
    items = []
    for n, (kind, tmpl) in enumerate(HEADER_FORMS * 3):
        h = "%s.internal.test" % rng.choice(["api", "reports", "grafana", "registry", "jira"])
        scheme = ["Basic", "Bearer", "Bearer" if n % 2 else "token"][n % 3]
        if scheme == "Basic":
            user, pw = v.user(), v.generic(rng.choice(["alnum16", "symbols", "alnum24"]))
            tok = V.b64(("%s:%s" % (user, pw)).encode())
            label = positive("wrapped", "password", None, AUTH_EXPECT, wrapping="authorization-basic", identifier=user,
                             alts=[pw, "%s:%s" % (user, pw)])
        else:
            tok = v.generic(rng.choice(["b64url-43", "alnum32", "hex40"])) if scheme == "Bearer" else v.tok((V.HEX, 40))
            label = positive("wrapped", "access-token", None, AUTH_EXPECT, wrapping="authorization-" + scheme.lower())
        items.append({"kind": kind, "text": tmpl.format(h=h, s=scheme, t=tok), "marks": [(tok, label)]})
    return items


def wireguard(corpus):
    v, rng = corpus.v, corpus.rng
    for name in ["/etc/wireguard/wg0.conf", "~/vpn/office.conf", "~/Downloads/mullvad-se-got-wg-001.conf",
                 "~/.config/wg/home.conf", "deploy/wg-client.conf"]:
        rel = name[2:] if name.startswith("~/") else name
        path = corpus.home(rel) if name.startswith("~/") else (
            corpus.unique("etc/wireguard/wg0.conf") if name.startswith("/") else corpus.project(rel))
        doc = corpus.doc(path)
        priv, psk = V.b64(v.randbytes(32)), V.b64(v.randbytes(32))
        lab = lambda what: positive("wrapped", "private-key" if what == "PrivateKey" else "secret-key", "WireGuard",  # noqa
                                    ["wireguard-*"], wrapping="wireguard-" + what, accept_provider=True)
        doc.add("[Interface]")
        doc.put("PrivateKey = " + priv, priv, lab("PrivateKey"))
        doc.add("Address = 10.%d.0.%d/32\nDNS = 10.64.0.1\n\n[Peer]\nPublicKey = %s" % (
            rng.randint(1, 200), rng.randint(2, 250), V.b64(v.randbytes(32))))
        if rng.random() < 0.7:
            doc.put("PresharedKey = " + psk, psk, lab("PresharedKey"))
        doc.add("AllowedIPs = 0.0.0.0/0, ::/0\nEndpoint = 185.%d.%d.%d:51820" % (
            rng.randint(1, 254), rng.randint(1, 254), rng.randint(1, 254)))


def kaggle(corpus):
    v, rng = corpus.v, corpus.rng
    for path in [corpus.home(".kaggle/kaggle.json"), corpus.home(".config/kaggle/kaggle.json"),
                 corpus.project("kaggle.json")]:
        key = v.tok((V.HEX, 32))
        label = positive("wrapped", "api-key", "Kaggle", ["kaggle-*", "credential-file-secret"], wrapping="kaggle.json",
                         accept_provider=True)
        corpus.doc(path).put(json.dumps({"username": v.user(), "key": key}), key, label)


def build(corpus):
    """Writes the files that stand alone (key files, WireGuard, kaggle.json); returns items for shared files."""
    items = keys(corpus) + auth_headers(corpus)
    wireguard(corpus)
    kaggle(corpus)
    return items
