"""Generic assignments (issue #13 section 1): every credential-ish name x assignment syntax x value kind, and the
credential constructors and command lines that take a password positionally.

A *name* is a base name (token, api_key, client_secret, password, cookie ...) spelt in one of several case and
separator styles (apiKey, API_KEY, api-key, X-Api-Key ...), sometimes behind a neutral prefix (db_, smtp_ ...).
A *syntax family* is one of the issue's syntaxes (`name = 'v'`, YAML, JSON, env, CLI flag, XML element ...); each
family has variants in several languages, used in turn. A *value kind* is one of values.VALUE_KINDS; hex and UUID
values are planted only under specific credential names, where the issue says they are secrets.

Every (base name, family, value kind) combination gets one positive; the style and variant rotate, so every style
meets every family. Expected credsweep rules: any `generic-*` rule, or the parser rule of the file's format.
"""
from .layout import WORDS, positive
from .values import SPECIFIC_KINDS, VALUE_KINDS

# base name: (words, specific?, password-like?)
NAMES = {
    "token": (["token"], True, False),
    "access_token": (["access", "token"], True, False),
    "auth_token": (["auth", "token"], True, False),
    "api_token": (["api", "token"], True, False),
    "refresh_token": (["refresh", "token"], True, False),
    "session_token": (["session", "token"], True, False),
    "api_key": (["api", "key"], True, False),
    "access_key": (["access", "key"], True, False),
    "secret_key": (["secret", "key"], True, False),
    "private_key": (["private", "key"], True, False),
    "signing_key": (["signing", "key"], True, False),
    "master_key": (["master", "key"], True, False),
    "license_key": (["license", "key"], True, False),
    "client_key": (["client", "key"], True, False),
    "app_key": (["app", "key"], True, False),
    "encryption_key": (["encryption", "key"], True, False),
    "secret": (["secret"], True, False),
    "client_secret": (["client", "secret"], True, False),
    "app_secret": (["app", "secret"], True, False),
    "secret_key_base": (["secret", "key", "base"], True, False),
    "password": (["password"], True, True),
    "passwd": (["passwd"], True, True),
    "pass": (["pass"], True, True),
    "pwd": (["pwd"], True, True),
    "credential": (["credential"], False, True),
    "credentials": (["credentials"], False, True),
    "auth": (["auth"], False, False),
    "bearer": (["bearer"], False, False),
    "session": (["session"], False, False),
    "cookie": (["cookie"], False, False),
    "session_cookie": (["session", "cookie"], False, False),
    "sig": (["sig"], False, False),
    "signature": (["signature"], False, False),
}
# Neutral prefixes: none names a provider, so no provider rule is expected.
PREFIXES = ["app", "db", "smtp", "admin", "svc", "backend", "internal", "prod", "ldap", "mail", "deploy", "ci",
            "billing", "partner", "vendor", "webhook", "service", "root", "proxy", "registry", "ftp", "report"]
NEEDS_PREFIX = {"pass", "pwd", "sig", "bearer"}  # odd alone (`pass` is a Python keyword)

STYLES = ["snake", "screaming", "camel", "pascal", "kebab", "dotted", "header", "lower"]


def style(words, st: str) -> str:
    if st == "snake":
        return "_".join(words)
    if st == "screaming":
        return "_".join(words).upper()
    if st == "camel":
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if st == "pascal":
        return "".join(w.capitalize() for w in words)
    if st == "kebab":
        return "-".join(words)
    if st == "dotted":
        return ".".join(words)
    if st == "header":
        return "X-" + "-".join(w.capitalize() for w in words)
    if st == "lower":
        return "".join(words)
    raise ValueError(st)


ID = ["snake", "screaming", "camel", "pascal", "lower"]  # identifier styles
KEY = ID + ["kebab", "dotted"]  # anything a quoted key or config key may be
ENV = ["screaming", "snake"]

# family: [(file kind, name styles, template)]. {n} name, {v} value, {w}/{W} word, {u} user.
FAMILIES = {
    "assign-single-quoted": [
        ("py", ID, "{n} = '{v}'"), ("rb", ID, "{n} = '{v}'"), ("js", ID, "const {n} = '{v}';"),
        ("ts", ID, "export const {n}: string = '{v}';"), ("ipynb", ID, "{n} = '{v}'"),
        ("py", ["snake"], "client = {W}Client(\n    base_url=\"https://{w}.internal.test\",\n    {n}='{v}',\n)")],
    "assign-double-quoted": [
        ("py", ID, "{n} = \"{v}\""), ("go", ID, "\t{n} := \"{v}\""), ("java", ID, "        String {n} = \"{v}\";"),
        ("cs", ID, "            var {n} = \"{v}\";"), ("kt", ID, "    val {n} = \"{v}\""),
        ("rs", ["screaming"], "    const {n}: &str = \"{v}\";"), ("toml", KEY, "{n} = \"{v}\""),
        ("tf", ["snake"], "  {n} = \"{v}\""), ("tfvars", ["snake"], "{n} = \"{v}\""), ("ipynb", ID, "{n} = \"{v}\""),
        ("c", ["screaming"], "#define {n} \"{v}\""), ("gradle", ID, "            {n} = \"{v}\"")],
    "assign-bare": [
        ("ini", KEY, "{n} = {v}"), ("properties", KEY, "{n} = {v}"), ("make", ENV, "{n} ?= {v}"),
        ("make", ENV, "{n} := {v}"), ("htaccess", ENV, "SetEnv {n} {v}"), ("toml", KEY, "{n} = '{v}'")],
    "yaml": [
        ("yaml", KEY, "  {n}: {v}"), ("yaml", KEY, "  {n}: \"{v}\""), ("yaml", KEY, "  {n}: '{v}'"),
        ("k8s", ENV, "            - name: {n}\n              value: \"{v}\""), ("compose", ENV, "      {n}: {v}"),
        ("compose", ENV, "      - {n}={v}")],
    "json": [("json", KEY, None)],
    "js-object": [
        ("js", KEY, "const {w}Config = {{ '{n}': '{v}', timeout: 5000 }};"),
        ("js", ID, "const client = new {W}Client({{ {n}: \"{v}\" }});"),
        ("ts", ID, "export const {w}Options = {{\n  baseURL: 'https://{w}.internal.test',\n  {n}: '{v}',\n}};"),
        ("ts", KEY, "axios.defaults.headers.common['{n}'] = '{v}';")],
    "env": [
        ("env", ENV, "{n}={v}"), ("env", ENV, "{n}=\"{v}\""), ("env", ENV, "export {n}={v}"),
        ("sh", ENV, "{n}=\"{v}\""), ("sh", ENV, "export {n}='{v}'"), ("properties", KEY, "{n}={v}"),
        ("properties", KEY, "{n}: {v}"), ("ini", KEY, "{n}={v}"), ("docker", ENV, "ENV {n}={v}"),
        ("docker", ENV, "ENV {n} {v}"), ("docker", ENV, "ARG {n}={v}"), ("md", ENV, "```bash\nexport {n}={v}\n```"),
        ("bat", ENV, "set {n}={v}")],
    "cli-flag": [
        ("sh", ["kebab"], "./bin/{w}ctl login --{n} {v} --region eu-west-1"),
        ("sh", ["kebab"], "{w}-cli sync --{n}={v}"),
        ("sh", ["snake"], "terraform apply -auto-approve -var '{n}={v}'"),
        ("md", ["kebab"], "```\n$ {w}ctl configure --{n} {v}\n```"),
        ("ps1", ["pascal"], "& .\\{W}.exe -{n} '{v}' -Verbose"),
        ("docker", ["kebab"], "RUN ./install.sh --{n}={v}")],
    "xml-element": [
        ("xml", KEY, "  <{n}>{v}</{n}>"), ("xml", ["camel", "pascal"], "  <settings><{n}>{v}</{n}></settings>")],
    "xml-attribute": [
        ("xml", ["camel", "snake", "lower"], "  <connection host=\"db.internal.test\" {n}=\"{v}\" />"),
        ("spring", KEY, "    <property name=\"{n}\" value=\"{v}\"/>")],
    "dotnet-add": [("dotnet", ["pascal", "dotted", "camel", "screaming"], "    <add key=\"{n}\" value=\"{v}\" />")],
    "sigil-var": [
        ("php", ID, "${n} = \"{v}\";"), ("php", ID, "${n} = '{v}';"), ("pl", ID, "my ${n} = \"{v}\";"),
        ("ps1", ID, "${n} = \"{v}\""), ("ps1", ID, "[string]${n} = '{v}'")],
    "setenv": [
        ("csh", ENV, "setenv {n} {v}"), ("c", ENV, "    setenv(\"{n}\", \"{v}\", 1);"),
        ("py", ENV, "os.environ[\"{n}\"] = \"{v}\""), ("js", ENV, "process.env.{n} = '{v}';"),
        ("go", ENV, "\tos.Setenv(\"{n}\", \"{v}\")"), ("ps1", ENV, "$env:{n} = \"{v}\""),
        ("rb", ENV, "ENV['{n}'] = '{v}'"), ("cs", ENV, "            Environment.SetEnvironmentVariable(\"{n}\", \"{v}\");"),
        ("java", ["dotted", "camel"], "        System.setProperty(\"{n}\", \"{v}\");"),
        ("ipynb", ENV, "%env {n}={v}"), ("ipynb", ENV, "os.environ[\"{n}\"] = \"{v}\"")],
    "docker-e": [
        ("sh", ENV, "docker run -d --name {w} -e {n}={v} registry.internal.test/{w}:latest"),
        ("sh", ENV, "docker run --rm --env {n}='{v}' {w}-img"),
        ("md", ENV, "```sh\ndocker run -e {n}={v} -p 8080:8080 acme/{w}\n```"),
        ("sh", ENV, "kubectl run {w} --image=acme/{w} --env=\"{n}={v}\"")],
    "map-literal": [
        ("py", KEY, "{w}_config = {{\"{n}\": \"{v}\", \"verify\": True}}"),
        ("go", KEY, "\tparams := map[string]string{{\"{n}\": \"{v}\"}}"),
        ("java", KEY, "        Map<String, String> props = Map.of(\"{n}\", \"{v}\");"),
        ("cs", KEY, "            var d = new Dictionary<string, string> {{ [\"{n}\"] = \"{v}\" }};"),
        ("rb", KEY, "config = {{ '{n}' => '{v}', 'timeout' => 10 }}"), ("rb", ["snake"], "client = {W}::Client.new({n}: '{v}')"),
        ("pl", KEY, "my %cfg = ( {n} => '{v}', retries => 3 );"), ("php", KEY, "$config = ['{n}' => '{v}', 'debug' => false];"),
        ("ps1", ID, "$params = @{{ {n} = '{v}'; Verbose = $true }}"), ("kt", KEY, "    val opts = mapOf(\"{n}\" to \"{v}\")"),
        ("ipynb", KEY, "params = {{\"{n}\": \"{v}\"}}")],
    "header": [
        ("http", ["header"], "GET https://{w}.internal.test/api/v1/status\n{n}: {v}\n"),
        ("sh", ["header"], "curl -sS -H \"{n}: {v}\" https://{w}.internal.test/api/v1/items"),
        ("py", ["header"], "headers = {{\"{n}\": \"{v}\", \"Accept\": \"application/json\"}}"),
        ("js", ["header"], "fetch(url, {{ headers: {{ '{n}': '{v}' }} }});"),
        ("nginx", ["header"], "        proxy_set_header {n} \"{v}\";")],
    "url-query": [
        ("js", ["snake", "camel"], "const url = `https://{w}.internal.test/api/export?{n}={v}&format=csv`;"),
        ("py", ["snake", "camel"], "resp = requests.get(\"https://{w}.internal.test/v1/data?{n}={v}\")"),
        ("sh", ["snake"], "wget -q \"https://{w}.internal.test/download?{n}={v}\" -O /tmp/{w}.tgz")],
}
# Formats whose parser reports the value itself: their rule counts as well as generic-*.
PARSER_RULES = {"env": ["dotenv-secret"]}


def value_kinds(base: str):
    words, specific, password_like = NAMES[base]
    kinds = [k for k in VALUE_KINDS if k not in SPECIFIC_KINDS or specific]
    if not password_like:
        kinds = [k for k in kinds if k != "human"]
    return kinds


def kind_of(base: str) -> str:
    if NAMES[base][2]:
        return "password"
    if "token" in base or base in ("bearer", "session", "cookie", "session_cookie", "auth"):
        return "token"
    if "key" in base:
        return "api-key"
    return "secret"


def name_for(rng, base: str, st: str) -> list:
    words = NAMES[base][0]
    if base in NEEDS_PREFIX or rng.random() < 0.35:
        words = [rng.choice([p for p in PREFIXES if p != words[0]])] + words
    return words


def build(corpus):
    """All generic positives, as items for langs.write_items."""
    v, rng = corpus.v, corpus.rng
    items = []
    counter = {}
    for base in NAMES:
        for family, variants in FAMILIES.items():
            for vk in value_kinds(base):
                i = counter.get(family, 0)
                counter[family] = i + 1
                kind, styles, tmpl = variants[i % len(variants)]
                st = styles[(i // len(variants)) % len(styles)]
                words = name_for(rng, base, st)
                name = style(words, st)
                value = v.generic(vk)
                label = positive("generic", kind_of(base), None, ["generic-*"] + PARSER_RULES.get(kind, []),
                                 generic={"name": name, "base_name": base, "style": st, "syntax": family,
                                          "variant": tmpl or "json", "value_kind": vk, "file_kind": kind})
                if kind == "json":
                    items.append({"kind": "json", "pair": (name, value), "marks": [(value, label)]})
                    continue
                w = rng.choice(WORDS)
                text = tmpl.format(n=name, v=value, w=w, W=w.capitalize())
                items.append({"kind": kind, "text": text, "marks": [(value, label)]})
    return items + constructors(corpus)


# Credential constructors and command lines (issue #13 section 1, third list). {u} user, {p} password, {h} host.
CONSTRUCTORS = [
    ("cs", "network-credential", "            var cred = new NetworkCredential(\"{u}\", \"{p}\");"),
    ("cs", "network-credential", "            client.Credentials = new NetworkCredential(\"{u}\", \"{p}\", \"CORP\");"),
    ("cs", "directory-entry", "            var entry = new DirectoryEntry(\"LDAP://dc01.corp.internal.test/DC=corp\", \"{u}\", \"{p}\");"),
    ("cs", "ado-net", "            var cs = \"Server={h};Database=orders;User Id={u};Password={p};\";"),
    ("cs", "odbc", "            var conn = new OdbcConnection(\"Driver={{ODBC Driver 17 for SQL Server}};Server={h};Database=hr;Uid={u};Pwd={p};\");"),
    ("ps1", "connect-viserver", "Connect-VIServer -Server vcenter.corp.internal.test -User {u} -Password '{p}'"),
    ("ps1", "secure-string", "$sec = ConvertTo-SecureString '{p}' -AsPlainText -Force"),
    ("ps1", "pscredential", "$cred = New-Object System.Management.Automation.PSCredential('{u}', (ConvertTo-SecureString '{p}' -AsPlainText -Force))"),
    ("bat", "psexec", "psexec \\\\{h} -u CORP\\{u} -p {p} cmd /c ipconfig"),
    ("bat", "net-use", "net use \\\\{h}\\share /user:CORP\\{u} {p}"),
    ("bat", "wmic", "wmic /node:{h} /user:{u} /password:{p} process list brief"),
    ("bat", "schtasks", "schtasks /create /tn backup /tr backup.cmd /sc daily /ru {u} /rp {p}"),
    ("sh", "sshpass", "sshpass -p '{p}' ssh {u}@{h} uptime"),
    ("sh", "mysql-p", "mysql -h {h} -u {u} -p{p} orders < dump.sql"),
    ("sh", "mysql-password", "mysqldump --user={u} --password={p} --host={h} orders > orders.sql"),
    ("sh", "pgpassword", "PGPASSWORD={p} psql -h {h} -U {u} -d orders -c 'select 1'"),
    ("sh", "curl-u", "curl -u {u}:{p} https://{h}/api/v1/health"),
    ("sh", "smbclient", "smbclient //{h}/share -U {u}%{p} -c 'ls'"),
    ("sh", "redis-cli", "redis-cli -h {h} -a {p} ping"),
    ("sh", "docker-login", "docker login registry.internal.test -u {u} -p {p}"),
    ("sh", "sqlcmd", "sqlcmd -S {h} -U {u} -P {p} -Q \"SELECT @@VERSION\""),
    ("sh", "xfreerdp", "xfreerdp /v:{h} /u:{u} /p:{p} /cert:ignore"),
    ("sh", "htpasswd-b", "htpasswd -b -c /etc/nginx/.htpasswd {u} {p}"),
    ("php", "phpmailer", "$mail->Username = '{u}';\n$mail->Password = '{p}';"),
    ("php", "pdo", "$pdo = new PDO('mysql:host={h};dbname=shop', '{u}', '{p}');"),
    ("php", "mysqli", "$link = mysqli_connect('{h}', '{u}', '{p}', 'shop');"),
    ("py", "smtp-login", "server.login(\"{u}\", \"{p}\")"),
    ("py", "requests-auth", "resp = requests.get(url, auth=(\"{u}\", \"{p}\"))"),
    ("py", "paramiko", "ssh.connect(\"{h}\", username=\"{u}\", password=\"{p}\")"),
    ("java", "jdbc-url", "        String url = \"jdbc:mysql://{h}:3306/orders?user={u}&password={p}\";"),
    ("java", "jdbc-sqlserver", "        String url = \"jdbc:sqlserver://{h}:1433;databaseName=hr;user={u};password={p};\";"),
    ("java", "get-connection", "        Connection c = DriverManager.getConnection(\"jdbc:postgresql://{h}/orders\", \"{u}\", \"{p}\");"),
    ("java", "password-authentication", "        return new PasswordAuthentication(\"{u}\", \"{p}\".toCharArray());"),
    ("sql", "create-user", "CREATE USER {u} IDENTIFIED BY '{p}';"),
    ("sql", "alter-role", "ALTER ROLE {u} WITH LOGIN PASSWORD '{p}';"),
    ("properties", "jdbc-properties", "spring.datasource.url=jdbc:postgresql://{h}:5432/orders?user={u}&password={p}"),
]
URL_FORMS = [  # (file kind, scheme label, template, existing credsweep rules)
    ("env", "postgres", "DATABASE_URL=postgres://{u}:{p}@{h}:5432/orders", ["postgres-url"]),
    ("py", "mysql", "engine = create_engine(\"mysql+pymysql://{u}:{p}@{h}/shop\")", ["mysql-url"]),
    ("yaml", "mongodb", "  uri: mongodb+srv://{u}:{p}@cluster0.internal.test/app", ["mongodb-url"]),
    ("env", "redis", "REDIS_URL=redis://default:{p}@{h}:6379/0", ["redis-url"]),
    ("env", "amqp", "BROKER_URL=amqps://{u}:{p}@{h}:5671/vhost", ["amqp-url"]),
    ("sh", "https", "git clone https://{u}:{p}@git.internal.test/team/app.git", ["basic-auth-url"]),
    ("sh", "ftp", "curl -T backup.tgz ftp://{u}:{p}@{h}/backups/", ["basic-auth-url"]),
    ("py", "smtp", "EMAIL_URL = \"smtp://{u}:{p}@{h}:587\"", ["basic-auth-url"]),
    ("ini", "pip-index", "index-url = https://{u}:{p}@nexus.internal.test/repository/pypi/simple", ["basic-auth-url"]),
]


def constructors(corpus):
    v, rng = corpus.v, corpus.rng
    items = []
    for kind, form, tmpl in CONSTRUCTORS:
        for vk in ["alnum16", "symbols", "human", "b64url-43"]:
            p, u = v.generic(vk), v.user()
            h = "%s%02d.corp.internal.test" % (rng.choice(["db", "sql", "fs", "app"]), rng.randint(1, 40))
            label = positive("generic", "password", None, ["generic-*", "ado-net-connection-string", "*-url"],
                             generic={"name": form, "base_name": "constructor", "style": None, "syntax": "constructor",
                                      "variant": tmpl, "value_kind": vk, "file_kind": kind}, identifier=u)
            items.append({"kind": kind, "text": tmpl.format(u=u, p=p, h=h), "marks": [(p, label)]})
    for kind, scheme, tmpl, rules in URL_FORMS:
        for vk in ["alnum16", "alnum24", "symbols"]:
            p, u = v.generic(vk), v.user()
            h = "db%02d.internal.test" % rng.randint(1, 40)
            label = positive("generic", "password", None, rules + ["generic-*"],
                             generic={"name": scheme + "-url", "base_name": "url", "style": None, "syntax": "url",
                                      "variant": tmpl, "value_kind": vk, "file_kind": kind}, identifier=u)
            items.append({"kind": kind, "text": tmpl.format(u=u, p=p, h=h), "marks": [(p, label)]})
    return items
