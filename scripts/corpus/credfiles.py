"""Credential files of developer and CI tools, shell histories, MCP client configs, and password hashes in
/etc/shadow and htpasswd lines (issue #13 sections 2-3), at the paths the tools use.

Files credsweep parses today (aws, kubectl, docker, npm, pypi, netrc, git, gh, cargo, terraform, postgres, mysql,
maven, gradle, rubygems, huggingface, vault, gcloud, azure) and files it does not (s3cmd, databricks, doctl,
circleci, ngrok, composer, bundler, yarn, pip, Claude Code, Copilot, fly, wrangler, snowsql ...) are both here:
the second kind shows the gap. A value counts when the credential-file parser, the provider's rule or a generic rule
reports it.
"""
import json

from . import values as V
from .layout import negative, positive

CRED = "credential-file-secret"


def lab(expect, kind="secret", provider=None, **kw):
    return positive("credfile", kind, provider, list(expect) + [CRED], **kw)


def basic(corpus):
    """aws, kubectl, docker, npm, pypi, netrc, git credential files; returns the synth_tokens set it drew from."""
    v, rng = corpus.v, corpus.rng
    g = V.synth_tokens.generate(rng.randint(1, 10 ** 9))
    for _ in range(2):
        d = corpus.doc(corpus.home(".aws/credentials"))
        for prof in ["default", rng.choice(["prod", "staging", "ci"])]:
            kid, sec = v.tok("AKIA", (V.B32_AWS, 16)), v.tok((V.B64, 40))
            d.add("[%s]" % prof)
            d.put("aws_access_key_id = " + kid, kid, positive("credfile", "access-key-id", "AWS", ["aws-access-key-id", CRED]))
            d.put("aws_secret_access_key = " + sec, sec, lab(["aws-secret-access-key", "aws-access-key-pair"], "secret-key", "AWS"))
            d.add("region = eu-west-1\n")
    d = corpus.doc(corpus.home(".kube/config"))
    tok = v.tok((V.B64URL, 64))
    key = V.b64(v.private_key("ec").encode())
    d.add("apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: %s\n"
          "    server: https://10.0.0.10:6443\n  name: prod\ncontexts:\n- context:\n    cluster: prod\n    user: admin\n"
          "  name: prod\ncurrent-context: prod\nusers:\n- name: admin\n  user:" % V.b64(v.certificate_pem().encode()))
    d.put("    client-key-data: " + key, key, lab(["kubernetes-client-key-data"], "private-key", "Kubernetes",
                                              alts=[V.base64.b64decode(key).decode().split("\n")[1]]))
    d.add("- name: ci-bot\n  user:")
    d.put("    token: " + tok, tok, lab(["jwt"], "access-token", "Kubernetes"))
    user, pw = v.user(), v.generic("alnum24")
    auth = V.b64(("%s:%s" % (user, pw)).encode())
    d = corpus.doc(corpus.home(".docker/config.json"))
    d.put(json.dumps({"auths": {"registry.internal.test": {"auth": auth}, "https://index.docker.io/v1/": {}},
                      "credsStore": "desktop"}, indent="\t"), auth,
          lab(["docker-config-auth"], "password", "Docker", alts=[pw], identifier=user))
    d = corpus.doc(corpus.home(".npmrc"))
    npm = v.crc_token("npm_")
    d.put("//registry.npmjs.org/:_authToken=" + npm, npm, lab(["npm-access-token", "npmrc-auth-token"], "access-token", "npm"))
    pw = v.generic("symbols")
    a = V.b64(("%s:%s" % (v.user(), pw)).encode())
    d.put("//nexus.internal.test/repository/npm-private/:_auth=" + a, a, lab(["npmrc-auth-token"], "password", "npm", alts=[pw]))
    d.add("always-auth=true")
    d = corpus.doc(corpus.home(".pypirc"))
    from .providers import macaroon
    mac, pw = macaroon("pypi.org", v), v.generic("alnum24")
    d.add("[distutils]\nindex-servers =\n    pypi\n    internal\n\n[pypi]\nusername = __token__")
    d.put("password = " + mac, mac, lab(["pypi-upload-token"], "api-key", "PyPI"))
    d.add("\n[internal]\nrepository = https://nexus.internal.test/repository/pypi-internal/\nusername = deploy")
    d.put("password = " + pw, pw, lab([], "password"))
    d = corpus.doc(corpus.home(".netrc"))
    for host in ["api.heroku.com", "nexus.internal.test", "ftp.internal.test"]:
        pw = v.uuid() if "heroku" in host else v.generic("symbols")
        d.put("machine %s login %s password %s" % (host, v.user(), pw), pw,
              lab(["netrc-credentials", "heroku-*"], "password"))
    d = corpus.doc(corpus.home(".git-credentials"))
    ghp = v.crc_token("ghp_")
    d.put("https://%s:%s@github.com" % (v.user(), ghp), ghp, lab(["github-pat-classic", "basic-auth-url"], "access-token", "GitHub"))
    pw = v.generic("alnum24")
    d.put("https://%s:%s@git.internal.test" % (v.user(), pw), pw, lab(["basic-auth-url"], "password"))
    return g


def more_basic(corpus, g):
    """gh, cargo, terraform, postgres, mysql, maven, gradle, rubygems, huggingface, vault."""
    v, rng = corpus.v, corpus.rng
    d = corpus.doc(corpus.home(".config/gh/hosts.yml"))
    gho = v.crc_token("gho_")
    d.add("github.com:\n    git_protocol: ssh\n    users:\n        %s:\n            oauth_token: %s" % (v.user(), gho),
          (gho, lab(["github-oauth-token"], "oauth-token", "GitHub")))
    cio = v.tok("cio", (V.B62, 32))
    corpus.doc(corpus.home(".cargo/credentials.toml")).add('[registry]\ntoken = "%s"' % cio,
                                                            (cio, lab(["crates-io-api-token"], "access-token", "crates.io")))
    tfc = g["tfc"]
    corpus.doc(corpus.home(".terraform.d/credentials.tfrc.json")).add(
        json.dumps({"credentials": {"app.terraform.io": {"token": tfc}}}, indent=2),
        (tfc, lab(["terraform-cloud-token"], "api-key", "HashiCorp")))
    d = corpus.doc(corpus.home(".pgpass"))
    for db in ["orders", "analytics"]:
        pw = v.generic(rng.choice(["alnum16", "symbols", "human"]))
        d.put("db%02d.internal.test:5432:%s:%s:%s" % (rng.randint(1, 9), db, v.user(), pw), pw, lab([], "password"))
    pw = v.generic("symbols")
    corpus.doc(corpus.home(".my.cnf")).add("[client]\nuser=%s\npassword=%s\nhost=db01.internal.test" % (v.user(), pw),
                                            (pw, lab([], "password")))
    pw = v.generic("alnum24")
    corpus.doc(corpus.home(".m2/settings.xml")).add(
        "<settings>\n  <servers>\n    <server>\n      <id>nexus-releases</id>\n      <username>deploy</username>\n"
        "      <password>%s</password>\n    </server>\n  </servers>\n</settings>" % pw, (pw, lab([], "password")))
    pw, sp = v.generic("alnum16"), v.generic("symbols")
    corpus.doc(corpus.home(".gradle/gradle.properties")).add(
        "org.gradle.jvmargs=-Xmx2g\nnexusUsername=deploy\nnexusPassword=%s\nsigning.keyId=%s\nsigning.password=%s" % (
            pw, v.s(V.HEX.upper(), 8), sp), (pw, lab([], "password")), (sp, lab([], "password")))
    rg = v.tok("rubygems_", (V.HEX, 48))
    corpus.doc(corpus.home(".gem/credentials")).add("---\n:rubygems_api_key: " + rg,
                                                    (rg, lab(["rubygems-api-key"], "api-key", "RubyGems")))
    hf = v.tok("hf_", (V.LETTERS, 34))
    corpus.doc(corpus.home(".cache/huggingface/token")).add(hf, (hf, lab(["huggingface-token"], "access-token", "Hugging Face")))
    hvs = v.tok("hvs.", (V.B64URL, 92))
    corpus.doc(corpus.home(".vault-token")).add(hvs, (hvs, lab(["vault-service-token"], "access-token", "HashiCorp")))


def cloud(corpus):
    v, rng = corpus.v, corpus.rng
    rt = v.tok("1//0", (V.B64URL, 100))
    corpus.doc(corpus.home(".config/gcloud/application_default_credentials.json")).add(json.dumps({
        "account": "", "client_id": "764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com",
        "client_secret": "d-FL95Q19q7MQmFpd7hHD0Ty", "quota_project_id": "acme-prod", "refresh_token": rt,
        "type": "authorized_user", "universe_domain": "googleapis.com"}, indent=2),
        (rt, lab(["google-oauth-refresh-token"], "refresh-token", "Google")),
        ("d-FL95Q19q7MQmFpd7hHD0Ty", negative("public-client-secret", note="gcloud's published installed-app secret")))
    for _ in range(2):
        pem = v.private_key("rsa-pkcs8")
        esc = json.dumps(pem)[1:-1]
        body = "".join(ln for ln in pem.split("\n") if ln and not ln.startswith("-----"))
        sa = {"type": "service_account", "project_id": "acme-" + v.s(V.LOWER, 6), "private_key_id": v.s(V.HEX, 40),
              "private_key": pem, "client_email": "deployer@acme-prod.iam.gserviceaccount.com",
              "client_id": v.s(V.DIGITS, 21), "auth_uri": "https://accounts.google.com/o/oauth2/auth",
              "token_uri": "https://oauth2.googleapis.com/token"}
        path = corpus.home("Downloads/acme-prod-%s.json" % v.s(V.HEX, 12))
        corpus.doc(path).add(json.dumps(sa, indent=2), (esc, lab(["gcp-service-account", "private-key-pkcs8"],
                                                                 "private-key", "Google Cloud", alts=[body[:120]])))
    rt, at = v.tok("0.A", (V.B64URL, 4), "AA", (V.B64URL, 700)), V.synth_tokens.Gen(rng.randint(1, 9 ** 9)).jwt(
        {"alg": "RS256", "typ": "JWT"}, {"aud": "https://management.core.windows.net/", "iss": "https://sts.windows.net/x/"})
    cache = {"AccessToken": {"k1": {"credential_type": "AccessToken", "secret": at, "home_account_id": v.uuid()}},
             "RefreshToken": {"k2": {"credential_type": "RefreshToken", "secret": rt, "home_account_id": v.uuid()}}}
    corpus.doc(corpus.home(".azure/msal_token_cache.json")).add(
        json.dumps(cache, indent=2), (at, lab(["jwt"], "access-token", "Microsoft Azure")),
        (rt, lab(["azure-*", "entra-*", "microsoft-*"], "refresh-token", "Microsoft Azure", accept_provider=True)))


UNPARSED = [  # (path under home, template with {v}, expect, provider, kind, generator)
    (".s3cfg", "[default]\naccess_key = {id}\nsecret_key = {v}\nhost_base = s3.amazonaws.com", ["aws-secret-access-key", "generic-*"],
     "AWS", "secret-key", lambda v: v.tok((V.B64, 40))),
    (".boto", "[Credentials]\naws_access_key_id = {id}\naws_secret_access_key = {v}", ["aws-secret-access-key", "generic-*"],
     "AWS", "secret-key", lambda v: v.tok((V.B64, 40))),
    (".databrickscfg", "[DEFAULT]\nhost = https://adb-1234567890123456.7.azuredatabricks.net\ntoken = {v}", ["databricks-token"],
     "Databricks", "access-token", lambda v: v.tok("dapi", (V.HEX, 32))),
    (".config/doctl/config.yaml", "access-token: {v}\ncontext: default", ["digitalocean-pat"], "DigitalOcean", "access-token",
     lambda v: v.tok("dop_v1_", (V.HEX, 64))),
    (".circleci/cli.yml", "host: https://circleci.com\ntoken: {v}", ["circleci-*"], "CircleCI", "access-token",
     lambda v: v.tok("CCIPAT_", (V.B62, 22), "_", (V.HEX, 40))),
    (".config/ngrok/ngrok.yml", "version: \"2\"\nauthtoken: {v}", ["ngrok-authtoken"], "ngrok", "access-token",
     lambda v: v.tok("2", (V.B62, 26), "_", (V.B62, 21))),
    (".composer/auth.json", "{{\n    \"github-oauth\": {{\n        \"github.com\": \"{v}\"\n    }}\n}}", ["github-*"], "GitHub",
     "oauth-token", lambda v: v.crc_token("gho_")),
    (".composer/auth.json", "{{\n    \"http-basic\": {{\n        \"repo.packagist.com\": {{\"username\": \"token\", \"password\": \"{v}\"}}\n    }}\n}}",
     ["generic-*"], None, "password", lambda v: v.generic("alnum32")),
    (".bundle/config", "---\nBUNDLE_GEMS__CONTRIBSYS__COM: \"{id8}:{v}\"", ["sidekiq-license-credentials"], "Contributed Systems",
     "password", lambda v: v.tok((V.HEX, 8))),
    (".yarnrc.yml", "npmRegistryServer: \"https://registry.npmjs.org\"\nnpmAuthToken: {v}", ["npm-access-token"], "npm",
     "access-token", lambda v: v.crc_token("npm_")),
    (".config/pip/pip.conf", "[global]\nindex-url = https://deploy:{v}@nexus.internal.test/repository/pypi/simple",
     ["basic-auth-url", "generic-*"], None, "password", lambda v: v.generic("alnum24")),
    (".terraformrc", "credentials \"app.terraform.io\" {{\n  token = \"{v}\"\n}}", ["terraform-cloud-token"], "HashiCorp", "api-key",
     lambda v: v.tok((V.B62, 14), ".atlasv1.", (V.B64URL, 67))),
    (".config/hub", "github.com:\n- user: dev\n  oauth_token: {v}\n  protocol: https", ["github-*"], "GitHub", "oauth-token",
     lambda v: v.crc_token("gho_")),
    (".fly/config.yml", "access_token: {v}", ["flyio-token"], "Fly.io", "access-token", lambda v: v.tok("fo1_", (V.B64URL, 43))),
    (".wrangler/config/default.toml", "oauth_token = \"{v}\"\nexpiration_time = \"2026-01-01T00:00:00.000Z\"", ["cloudflare-*", "generic-*"],
     "Cloudflare", "oauth-token", lambda v: v.tok((V.B64URL, 43), ".", (V.B64URL, 43))),
    (".snowsql/config", "[connections]\naccountname = acme-eu1\nusername = etl\npassword = {v}", ["snowflake-password", "generic-*"],
     "Snowflake", "password", lambda v: v.generic("symbols")),
    (".claude/.credentials.json", "{{\"claudeAiOauth\": {{\"accessToken\": \"{v}\", \"expiresAt\": 1767225600000}}}}",
     ["anthropic-*"], "Anthropic", "oauth-token", lambda v: v.tok("sk-ant-oat01-", (V.B64URL, 93), "AA")),
    (".codex/auth.json", "{{\n  \"OPENAI_API_KEY\": \"{v}\"\n}}", ["openai-*"], "OpenAI", "api-key",
     lambda v: v.tok("sk-proj-", (V.B64URL, 74), "T3BlbkFJ", (V.B64URL, 74))),
    (".config/github-copilot/apps.json", "{{\"github.com:Iv1.b507a08c87ecfe98\": {{\"user\": \"dev\", \"oauth_token\": \"{v}\"}}}}",
     ["github-*"], "GitHub", "access-token", lambda v: v.crc_token("ghu_")),
    (".config/configstore/firebase-tools.json", "{{\"tokens\": {{\"refresh_token\": \"{v}\"}}}}", ["google-oauth-refresh-token"],
     "Google", "refresh-token", lambda v: v.tok("1//0", (V.B64URL, 100))),
    (".local/share/com.vercel.cli/auth.json", "{{\n  \"token\": \"{v}\"\n}}", ["vercel-*"], "Vercel", "access-token",
     lambda v: v.tok("vca_", (V.B62, 56))),
    (".config/rclone/rclone.conf", "[s3-backup]\ntype = s3\naccess_key_id = {id}\nsecret_access_key = {v}",
     ["aws-secret-access-key", "generic-*"], "AWS", "secret-key", lambda v: v.tok((V.B64, 40))),
]


def unparsed(corpus):
    v = corpus.v
    for rel, tmpl, expect, prov, kind, gen in UNPARSED:
        val, kid, id8 = gen(v), v.tok("AKIA", (V.B32_AWS, 16)), v.s(V.HEX, 8)
        text = tmpl.format(v=val, id=kid, id8=id8)
        marks = [(id8 + ":" + val if "{id8}" in tmpl else val, lab(expect, kind, prov, accept_provider=bool(prov)))]
        if "{id}" in tmpl:
            marks.insert(0, (kid, positive("credfile", "access-key-id", "AWS", ["aws-access-key-id", CRED])))
        corpus.doc(corpus.home(rel)).add(text, *marks)


HISTORY = [  # (template, expect, kind)
    ("export OPENAI_API_KEY={v}", ["openai-project-key"], "openai"),
    ("mysql -h db01.internal.test -u root -p{v} orders", ["generic-*"], "symbols"),
    ("curl -u admin:{v} https://jenkins.internal.test/api/json", ["generic-*", "basic-auth-url"], "alnum16"),
    ("docker login -u deploy -p {v} registry.internal.test", ["generic-*"], "alnum24"),
    ("export DB_PASSWORD='{v}'", ["generic-*"], "symbols"),
    ("sshpass -p '{v}' ssh root@10.0.3.7", ["generic-*"], "human"),
    ("psql postgres://report:{v}@db02.internal.test/analytics", ["postgres-url"], "alnum24"),
    ("export GITHUB_TOKEN={v}", ["github-pat-classic"], "ghp"),
    ("aws configure set aws_secret_access_key {v}", ["aws-secret-access-key"], "aws"),
    ("vault login {v}", ["vault-service-token"], "hvs"),
    ("gh auth login --with-token <<< {v}", ["github-pat-fine-grained"], "ghpat"),
    ("htpasswd -b .htpasswd admin {v}", ["generic-*"], "alnum16"),
]


def histories(corpus):
    v, rng = corpus.v, corpus.rng
    gens = {"openai": lambda: v.tok("sk-proj-", (V.B64URL, 74), "T3BlbkFJ", (V.B64URL, 74)),
            "ghp": lambda: v.crc_token("ghp_"), "aws": lambda: v.tok((V.B64, 40)),
            "hvs": lambda: v.tok("hvs.", (V.B64URL, 92)),
            "ghpat": lambda: v.tok("github_pat_11", (V.UPNUM, 20), "_", (V.B62, 59))}
    benign = ["ls -la", "git status", "cd ~/src/webshop", "make test", "kubectl get pods -n prod", "vim .env",
              "docker ps", "git pull --rebase", "python3 -m venv .venv", "npm run build", "history | grep ssh"]
    for path, fmt in [(".bash_history", "{c}"), (".zsh_history", ": 17%08d:0;{c}"), (".bash_history", "{c}"),
                      (".local/share/fish/fish_history", "- cmd: {c}\n  when: 17%08d"),
                      (".local/share/powershell/PSReadLine/ConsoleHost_history.txt", "{c}")]:
        d = corpus.doc(corpus.home(path))
        for tmpl, expect, vk in rng.sample(HISTORY, 6):
            for _ in range(rng.randint(1, 3)):
                d.add(fmt.replace("%08d", "%08d" % rng.randint(0, 10 ** 8 - 1)).format(c=rng.choice(benign)))
            val = gens[vk]() if vk in gens else v.generic(vk)
            line = fmt.replace("%08d", "%08d" % rng.randint(0, 10 ** 8 - 1)).format(c=tmpl.format(v=val))
            d.put(line, val, positive("credfile", "secret", None, expect + ["shell-history-secret"], tool="shell-history"))


def mcp(corpus):
    v = corpus.v
    for rel in [".cursor/mcp.json", ".config/Claude/claude_desktop_config.json", "src/webshop/.vscode/mcp.json"]:
        ghp, key = v.crc_token("ghp_"), v.generic("alnum32")
        cfg = {"mcpServers": {
            "github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
                       "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": ghp}},
            "search": {"command": "uvx", "args": ["internal-search-mcp"], "env": {"SEARCH_API_KEY": key}}}}
        corpus.doc(corpus.home(rel)).add(
            json.dumps(cfg, indent=2),
            (ghp, positive("credfile", "access-token", "GitHub", ["github-pat-classic", "mcp-config-secret"], tool="mcp")),
            (key, positive("credfile", "api-key", None, ["mcp-config-secret", "generic-*"], tool="mcp")))


HASH_EXPECT = ["*password-hash*", "shadow-*", "htpasswd-*", "*crypt*"]


def password_hashes(corpus):
    v, rng = corpus.v, corpus.rng
    for path in ["etc/shadow", "var/backups/shadow.bak"]:
        d = corpus.doc(corpus.unique(path))
        d.add("daemon:*:19700:0:99999:7:::\nbin:*:19700:0:99999:7:::")
        for user, scheme in [("root", "sha512crypt"), (v.user(), "yescrypt"), (v.user(), "sha256crypt"), (v.user(), "md5crypt")]:
            h = v.password_hash(scheme)
            d.put("%s:%s:19%03d:0:99999:7:::" % (user, h, rng.randint(0, 999)), h,
                  positive("credfile", "password-hash", None, HASH_EXPECT, expect_kind="password-hash", scheme=scheme))
        d.add("nobody:!:19700::::::\nsshd:!*:19700::::::")
    for rel in ["etc/nginx/.htpasswd", "deploy/.htpasswd"]:
        d = corpus.doc(corpus.project(rel))
        for scheme in ["apr1", "bcrypt-2y", "sha1-base64", "bcrypt-2a", "bcrypt-2b"]:
            h = v.password_hash(scheme)
            d.put("%s:%s" % (v.user(), h), h,
                  positive("credfile", "password-hash", None, HASH_EXPECT, expect_kind="password-hash", scheme=scheme))


def build(corpus):
    more_basic(corpus, basic(corpus))
    cloud(corpus)
    unparsed(corpus)
    histories(corpus)
    mcp(corpus)
    password_hashes(corpus)
