"""Hard negatives: text that looks like a credential to a pattern but is not one, each labelled with why.

why =
  placeholder      `<your-token>`, `changeme`, `xxxx…`, `${VAR}`, `{{ .Values.x }}`, `********` under credential names
  reference        code or config that names where the secret lives: os.environ[...], process.env.X, secretKeyRef ...
  hash-name        hex and base64 digests under sha/digest/checksum/integrity/commit/etag/hash names
  lock-file        integrity and checksum fields of package-lock.json, yarn.lock, Cargo.lock, poetry.lock, go.sum ...
  id-name          UUIDs and hex under id, uuid, nonce, trace names (request_id, kms_key_id, tenant_id ...)
  non-secret-value credential-ish names holding settings: token_type = "bearer", password_min_length = 12 ...
  minified-js      minified bundles: long lines, short identifiers, embedded base64 chunks
  data-uri         base64 images and fonts in CSS, HTML, markdown, SVG
  test-vector      published test vectors (FIPS-197, RFC 8032, RFC 4231) in test files
  doc-example      values the providers publish in their documentation (AKIAIOSFODNN7EXAMPLE, jwt.io ...)
  bad-checksum     GitHub/npm/GitLab-routable tokens whose checksum is wrong
  public-key       public keys, certificates, publishable keys, public DSNs, WireGuard PublicKey, age recipients
  encrypted        ansible-vault, sops and SealedSecret ciphertext
  third-party      real-format tokens in node_modules/, vendor/, site-packages/ docs and tests (`low_ok`: a finding
                   there at --min-confidence low is not counted against the scanner)
"""
import json

from . import values as V
from .generic import FAMILIES, NAMES, style
from .layout import WORDS, negative

PLACEHOLDERS = ["<your-token>", "<API_KEY>", "changeme", "change-me", "xxxxxxxxxxxxxxxxxxxxxxxx", "YOUR_API_KEY_HERE",
                "${API_TOKEN}", "{{ .Values.apiKey }}", "%(password)s", "********", "<REDACTED>", "replace-me",
                "TODO", "dummy", "your-secret-here", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "AKIAXXXXXXXXXXXXXXXX",
                "insert-key-here", "[REDACTED]", "$(API_TOKEN)", "#{Password}", "__PASSWORD__", "@@SECRET@@",
                "<secret>", "{{password}}", "sk-...", "null", "none", "example-token", "your_password", "***",
                "REPLACE_WITH_YOUR_KEY", "<%= ENV['SECRET_KEY_BASE'] %>", "{{ vault_db_password }}", "{{secrets.TOKEN}}"]
HASH_NAMES = ["sha", "sha1", "sha256", "sha512", "digest", "checksum", "integrity", "commit", "commit_sha", "etag",
              "hash", "md5", "content_hash", "file_hash", "revision", "git_sha", "image_digest", "sha256sum", "fingerprint"]
ID_NAMES = ["request_id", "user_id", "tenant_id", "client_id", "subscription_id", "trace_id", "span_id",
            "correlation_id", "uuid", "guid", "nonce", "build_id", "project_id", "installation_id", "kms_key_id",
            "key_id", "object_id", "app_id", "account_id", "org_id", "workspace_id", "device_id", "message_id"]
NON_SECRET = [("token_type", "bearer"), ("auth_method", "oauth2"), ("secret_name", "prod-db-credentials"),
              ("api_key_header", "X-Api-Key"), ("token_url", "https://login.internal.test/oauth2/token"),
              ("session_timeout", "3600"), ("cookie_name", "sessionid"), ("signature_algorithm", "RS256"),
              ("private_key_path", "/etc/ssl/private/server.key"), ("password_hash_algorithm", "argon2id"),
              ("password_min_length", "12"), ("auth_type", "basic"), ("credentials", "include"),
              ("secret_version", "latest"), ("token_ttl", "15m"), ("password_reset_url", "/account/password/reset"),
              ("api_key_name", "billing-readonly"), ("secret_key_ref", "app-secrets"), ("session_store", "redis"),
              ("cookie_same_site", "Lax"), ("signing_key_id", "key-2024-01"), ("password_policy", "strong"),
              ("auth_provider", "keycloak"), ("bearer_format", "JWT"), ("access_key_rotation_days", "90"),
              ("password_label", "Password"), ("token_prefix", "Bearer "), ("secret_store", "aws-secrets-manager"),
              ("client_secret_expiry", "2026-12-31"), ("session_cookie_secure", "true")]
DOC_EXAMPLES = [("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                ("STRIPE_SECRET_KEY", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
                ("JWT", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
                ("SLACK_BOT_TOKEN", "xoxb-not-a-real-token-this-will-not-work"),
                ("TWILIO_AUTH_TOKEN", "your_auth_token"), ("SENDGRID_API_KEY", "SG.xxxxxxxxxxxxxxxxxxxxxx.yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"),
                ("OPENAI_API_KEY", "sk-proj-..."), ("AZURE_STORAGE_CONNECTION_STRING", "UseDevelopmentStorage=true"),
                ("AZURITE_KEY", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==")]
TEST_VECTORS = [("key", "000102030405060708090a0b0c0d0e0f", "FIPS-197 C.1 AES-128 key"),
                ("key", "2b7e151628aed2a6abf7158809cf4f3c", "FIPS-197 appendix A key expansion"),
                ("secret_key", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "RFC 8032 7.1 test 1"),
                ("secret_key", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "RFC 8032 7.1 test 2"),
                ("hmac_key", "4a656665", "RFC 4231 test case 2 ('Jefe')"),
                ("private_key", "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721", "RFC 6979 A.2.5 P-256")]


def placed(corpus, value, name, label):
    """Items: `value` under `name` in one variant of each family (JSON, YAML, env, code ...)."""
    rng = corpus.rng
    out = []
    for family, variants in FAMILIES.items():
        kind, styles, tmpl = rng.choice(variants)
        if kind in ("xml", "spring", "dotnet") and any(c in value for c in "<>&\""):
            continue
        n = style(name.split("_"), rng.choice(styles))
        if kind == "json":
            out.append({"kind": "json", "pair": (n, value), "marks": [(value, dict(label))]})
            continue
        w = rng.choice(WORDS)
        out.append({"kind": kind, "text": tmpl.format(n=n, v=value, w=w, W=w.capitalize()), "marks": [(value, dict(label))]})
    return out


def cred_name(rng):
    base = rng.choice(list(NAMES))
    return "_".join(NAMES[base][0])


def assignments(corpus):
    v, rng = corpus.v, corpus.rng
    items = []
    for ph in PLACEHOLDERS:
        items += placed(corpus, ph, cred_name(rng), negative("placeholder"))
    for name in HASH_NAMES:
        for gen in (lambda: v.s(V.HEX, rng.choice([32, 40, 64])), lambda: "sha256:" + v.s(V.HEX, 64),
                    lambda: "sha512-" + V.b64(v.randbytes(64))):
            items += rng.sample(placed(corpus, gen(), name, negative("hash-name")), 4)
    for name in ID_NAMES:
        for gen in (v.uuid, lambda: v.s(V.HEX, 32), lambda: v.s(V.HEX, 24)):
            items += rng.sample(placed(corpus, gen(), name, negative("id-name")), 4)
    for name, value in NON_SECRET:
        items += rng.sample(placed(corpus, value, name, negative("non-secret-value")), 6)
    for var, value in DOC_EXAMPLES:
        items += rng.sample(placed(corpus, value, var.lower(), negative("doc-example", low_ok=True)), 3)
    for prefix in ["ghp_", "gho_", "ghs_", "npm_"]:
        for _ in range(4):
            bad = v.bad_crc(v.crc_token(prefix), 4)
            var = "GITHUB_TOKEN" if prefix != "npm_" else "NPM_TOKEN"
            items += rng.sample(placed(corpus, bad, var.lower(), negative("bad-checksum", format=prefix)), 3)
    for _ in range(4):
        bad = v.gitlab_routable("glpat-", valid=False)
        items += rng.sample(placed(corpus, bad, "gitlab_token", negative("bad-checksum", format="glpat-routable")), 3)
    return items


REFERENCES = [
    ("py", "{n} = os.environ[\"{N}\"]"), ("py", "{n} = os.getenv(\"{N}\")"), ("py", "{n} = settings.{N}"),
    ("js", "const {n} = process.env.{N};"), ("ts", "const {n} = config.get<string>('{n}');"),
    ("go", "\t{n} := os.Getenv(\"{N}\")"), ("java", "        String {n} = System.getenv(\"{N}\");"),
    ("cs", "            var {n} = Environment.GetEnvironmentVariable(\"{N}\");"),
    ("cs", "            var {n} = _configuration[\"{N}\"];"), ("php", "${n} = getenv('{N}');"),
    ("rb", "{n} = ENV.fetch('{N}')"), ("pl", "my ${n} = $ENV{{{N}}};"), ("ps1", "${n} = $env:{N}"),
    ("yaml", "  {n}: ${{{N}}}"), ("yaml", "  {n}: \"{{{{ .Values.{n} }}}}\""), ("yaml", "  {n}: ${{{{ secrets.{N} }}}}"),
    ("yaml", "  {n}: !vault |\n    $ANSIBLE_VAULT;1.1;AES256\n    {hex}"), ("env", "{N}=${{{N}_FROM_VAULT}}"),
    ("env", "{N}=op://prod/{n}/credential"), ("properties", "{n}=${{{N}}}"), ("docker", "ENV {N}=${{{N}}}"),
    ("docker", "ARG {N}"), ("tf", "  {n} = var.{n}"), ("tf", "  {n} = data.aws_secretsmanager_secret_version.app.secret_string"),
    ("k8s", "            - name: {N}\n              valueFrom:\n                secretKeyRef:\n                  name: app-secrets\n"
            "                  key: {n}"),
    ("xml", "  <{n}>${{{N}}}</{n}>"), ("dotnet", "    <add key=\"{n}\" value=\"%{N}%\" />"),
    ("sh", "{N}=\"$(vault kv get -field={n} secret/app)\""), ("sh", "export {N}=\"${{{N}:?missing}}\""),
    ("sh", "{N}=$(cat /run/secrets/{n})"), ("ipynb", "{n} = getpass.getpass(\"{n}: \")"),
    ("md", "Set `{N}` in your environment before running the service."),
    ("http", "GET https://api.internal.test/v1/me\nAuthorization: Bearer {{{{token}}}}\n"),
    ("sh", "curl -H \"Authorization: Bearer $API_TOKEN\" https://api.internal.test/v1/me"),
    ("yaml", "  {n}: ENC[AES256_GCM,data:{b64},iv:{iv},tag:{tag},type:str]"),
    ("tf", "  {n} = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/{n}-AbCdEf\""),
]


def references(corpus):
    v, rng = corpus.v, corpus.rng
    items = []
    for _ in range(3):
        for kind, tmpl in REFERENCES:
            n = cred_name(rng)
            text = tmpl.format(n=n, N=n.upper(), hex=v.s(V.HEX, 80), b64=V.b64(v.randbytes(24)), iv=V.b64(v.randbytes(12)),
                               tag=V.b64(v.randbytes(16)))
            why = "encrypted" if ("ENC[" in text or "ANSIBLE_VAULT" in text) else "reference"
            items.append({"kind": kind, "text": text, "marks": [(text, negative(why))]})
    return items


def public_keys(corpus):
    v, rng = corpus.v, corpus.rng
    items = []
    pubs = [("STRIPE_PUBLISHABLE_KEY", lambda: v.tok("pk_live_", (V.B62, 99))),
            ("NEXT_PUBLIC_STRIPE_KEY", lambda: v.tok("pk_test_", (V.B62, 99))),
            ("MAPBOX_PUBLIC_TOKEN", lambda: "pk." + V.b64(json.dumps({"u": "acme", "a": v.s(V.LOWNUM, 25)}).encode()).rstrip("=") + "." + v.s(V.B64URL, 22)),
            ("SENTRY_DSN", lambda: "https://%s@o%d.ingest.sentry.io/%d" % (v.s(V.HEX, 32), rng.randint(10 ** 5, 10 ** 6), rng.randint(10 ** 6, 10 ** 7))),
            ("RECAPTCHA_SITE_KEY", lambda: v.tok("6L", (V.B64URL, 38))),
            ("SOPS_AGE_RECIPIENTS", lambda: V.synth_tokens.bech32_encode("age", v.randbytes(32))),
            ("CLERK_PUBLISHABLE_KEY", lambda: "pk_live_" + V.b64(b"clerk.acme.test$").rstrip("=")),
            ("WG_PUBLIC_KEY", lambda: V.b64(v.randbytes(32)))]
    for _ in range(3):
        for var, gen in pubs:
            items += rng.sample(placed(corpus, gen(), var.lower(), negative("public-key")), 2)
    for rel in ["~/.ssh/authorized_keys", "~/.ssh/known_hosts", "~/.ssh/id_ed25519.pub"]:
        d = corpus.doc(corpus.home(rel[2:]))
        for _ in range(3):
            blob = V.b64(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + v.randbytes(32))
            line = ("github.com,140.82.121.4 ssh-ed25519 %s" if "known" in rel else "ssh-ed25519 %s " + v.user() + "@laptop") % blob
            d.put(line, blob, negative("public-key"))
    for pem in [v.public_key_pem(), v.certificate_pem(), v.certificate_pem()]:
        d = corpus.doc(corpus.project(rng.choice(["certs/ca.pem", "certs/server.crt", "config/jwt-public.pem", "tls/chain.pem"])))
        d.put(pem.rstrip("\n"), pem.rstrip("\n"), negative("public-key"))
    return items


def lock_files(corpus):
    v, rng = corpus.v, corpus.rng
    pkgs = ["express", "lodash", "jsonwebtoken", "passport", "axios", "bcrypt", "dotenv", "react", "cookie-parser",
            "express-session", "crypto-js", "uuid", "node-forge", "keytar", "secret-handshake"]
    lab = lambda: negative("lock-file")  # noqa: E731
    d = corpus.doc(corpus.project("package-lock.json"))
    packages = {"": {"name": "app", "version": "1.0.0"}}
    marks = []
    for p in pkgs:
        integ = "sha512-" + V.b64(v.randbytes(64))
        packages["node_modules/" + p] = {"version": "%d.%d.%d" % (rng.randint(1, 9), rng.randint(0, 20), rng.randint(0, 9)),
                                         "resolved": "https://registry.npmjs.org/%s/-/%s-1.0.0.tgz" % (p, p),
                                         "integrity": integ}
        marks.append((integ, lab()))
    d.add(json.dumps({"name": "app", "lockfileVersion": 3, "requires": True, "packages": packages}, indent=2), *marks)
    d = corpus.doc(corpus.project("yarn.lock"))
    d.add("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n")
    for p in pkgs:
        integ = "sha512-" + V.b64(v.randbytes(64))
        d.add("%s@^1.0.0:\n  version \"1.0.3\"\n  resolved \"https://registry.yarnpkg.com/%s/-/%s-1.0.3.tgz#%s\"\n  integrity %s\n" % (
            p, p, p, v.s(V.HEX, 40), integ), (integ, lab()))
    d = corpus.doc(corpus.project("Cargo.lock"))
    d.add("# This file is automatically @generated by Cargo.\nversion = 4\n")
    for p in ["aho-corasick", "base64", "hmac", "ring", "secrecy", "sha2", "subtle", "zeroize", "jsonwebtoken"]:
        c = v.s(V.HEX, 64)
        d.add("[[package]]\nname = \"%s\"\nversion = \"0.%d.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
              "checksum = \"%s\"\n" % (p, rng.randint(1, 30), c), (c, lab()))
    d = corpus.doc(corpus.project("poetry.lock"))
    for p in ["cryptography", "pyjwt", "requests", "keyring", "python-dotenv"]:
        h1, h2 = v.s(V.HEX, 64), v.s(V.HEX, 64)
        d.add("[[package]]\nname = \"%s\"\nversion = \"2.1.0\"\nfiles = [\n    {file = \"%s-2.1.0-py3-none-any.whl\", hash = \"sha256:%s\"},\n"
              "    {file = \"%s-2.1.0.tar.gz\", hash = \"sha256:%s\"},\n]\n" % (p, p, h1, p, h2), (h1, lab()), (h2, lab()))
    d = corpus.doc(corpus.project("go.sum"))
    for p in ["github.com/golang-jwt/jwt/v5 v5.2.1", "golang.org/x/crypto v0.31.0", "github.com/hashicorp/vault/api v1.15.0"]:
        h = "h1:" + V.b64(v.randbytes(32))
        d.put("%s %s" % (p, h), h, lab())
        h = "h1:" + V.b64(v.randbytes(32))
        d.put("%s/go.mod %s" % (p, h), h, lab())
    d = corpus.doc(corpus.project("Pipfile.lock"))
    marks, default = [], {}
    for p in ["django", "pyjwt", "boto3"]:
        hs = ["sha256:" + v.s(V.HEX, 64) for _ in range(2)]
        default[p] = {"hashes": hs, "version": "==4.2.1"}
        marks += [(h, lab()) for h in hs]
    d.add(json.dumps({"_meta": {"hash": {"sha256": v.s(V.HEX, 64)}, "pipfile-spec": 6}, "default": default}, indent=4), *marks)
    d = corpus.doc(corpus.project("composer.lock"))
    ref = v.s(V.HEX, 40)
    d.add(json.dumps({"content-hash": v.s(V.HEX, 32), "packages": [{"name": "firebase/php-jwt", "version": "v6.10.0",
          "source": {"type": "git", "url": "https://github.com/firebase/php-jwt.git", "reference": ref}}]}, indent=4), (ref, lab()))
    d = corpus.doc(corpus.project("infra/.terraform.lock.hcl"))
    hs = ["h1:" + V.b64(v.randbytes(32))] + ["zh:" + v.s(V.HEX, 64) for _ in range(3)]
    d.add("provider \"registry.terraform.io/hashicorp/aws\" {\n  version     = \"5.80.0\"\n  hashes = [\n%s\n  ]\n}" % "\n".join(
        "    \"%s\"," % h for h in hs), *[(h, lab()) for h in hs])


def blobs(corpus):
    """Minified JavaScript, data: URIs, test vectors, encrypted SealedSecrets, third-party tokens."""
    v, rng = corpus.v, corpus.rng
    for _ in range(4):
        d = corpus.doc(corpus.project("public/assets/%s.%s.min.js" % (rng.choice(["app", "vendor", "chunk"]), v.s(V.HEX, 8))))
        for _ in range(3):
            chunk = V.b64(v.randbytes(rng.choice([48, 96, 180])))
            ids = ",".join('%d:"%s"' % (rng.randint(1, 999), v.s(V.HEX, 20)) for _ in range(6))
            line = ('!function(e){var t={%s};function n(r){return t[r]}e.token=n;e.password=function(o){return o.p}'
                    ';var a="%s";e.k=atob(a)}(window);' % (ids, chunk))
            d.put(line, chunk, negative("minified-js"))
    for kind, tmpl in [("css", ".logo{background:url(data:image/png;base64,%s) no-repeat}"),
                       ("html", "<img alt=\"logo\" src=\"data:image/png;base64,%s\">"),
                       ("md", "![badge](data:image/svg+xml;base64,%s)"),
                       ("css", "@font-face{font-family:Inter;src:url(data:font/woff2;base64,%s) format(\"woff2\")}")]:
        for _ in range(3):
            b = "iVBORw0KGgoAAAANSUhEUgAA" + V.b64(v.randbytes(rng.choice([120, 300, 600])))
            path = corpus.project("static/%s.%s" % (rng.choice(["site", "theme", "email"]), "css" if kind == "css" else kind))
            corpus.doc(path).put(tmpl % b, b, negative("data-uri"))
    d = corpus.doc(corpus.project("tests/test_crypto_vectors.py"))
    d.add("\"\"\"Known-answer tests against published vectors.\"\"\"\nimport binascii\n")
    for name, value, src in TEST_VECTORS:
        d.put("%s = \"%s\"  # %s" % (name.upper() + "_" + v.s(V.UPPER, 2), value, src), value, negative("test-vector", low_ok=True))
    d = corpus.doc(corpus.project("k8s/sealed-db.yaml"))
    enc = "AgB" + V.b64(v.randbytes(300))
    d.add("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:")
    d.put("    password: " + enc, enc, negative("encrypted"))
    for rel in ["node_modules/aws-sdk-mock/README.md", "vendor/github.com/acme/slack/example_test.go",
                ".venv/lib/python3.11/site-packages/stripe/docs/quickstart.md", "third_party/gitlab/README.md"]:
        d = corpus.doc(corpus.project(rel))
        for tok in [v.crc_token("ghp_"), v.tok("xoxb-", (V.DIGITS, 12), "-", (V.DIGITS, 13), "-", (V.B62, 24)),
                    v.tok("sk_live_51", (V.B62, 97)), v.tok("AKIA", (V.B32_AWS, 16))]:
            d.put("    token := \"%s\" // example" % tok, tok, negative("third-party", low_ok=True))
    # The CA hash of a kubeadm join line and the public key of a WireGuard peer are digests/public keys.
    d = corpus.doc(corpus.project("docs-internal/cluster-join.md"))
    h = "sha256:" + v.s(V.HEX, 64)
    d.put("Join workers with `kubeadm join 10.0.12.4:6443 --token $TOKEN --discovery-token-ca-cert-hash %s`" % h, h,
          negative("hash-name"))


def build(corpus):
    """Writes lock files, bundles, images and other standalone files; returns items for shared files."""
    items = assignments(corpus) + references(corpus) + public_keys(corpus)
    lock_files(corpus)
    blobs(corpus)
    return items
