//! The credential-file tools as one table: each row says how a tool's files are recognised (by path, by content)
//! and which function parses them, so recognising a file and parsing it cannot disagree — a tool's name is written
//! once, here. A new format is one row and its parse function (see DESIGN.md, "Parsers").
use super::super::document::Node;
use super::{git, ini, jsonfmt, plain, sqlite, xml, yaml, Sink};

/// A path as the recognisers see it: its last three components and the file name's extension.
pub struct PathParts<'a> {
    pub name: &'a str,
    pub parent: &'a str,
    pub grand: &'a str,
    pub ext: &'a str,
}

/// How a file is recognised by its content wherever it lies (a service-account key in `~/Downloads`).
#[derive(Clone, Copy)]
pub enum Sniff {
    /// Only by path.
    No,
    /// A JSON document of this shape.
    Json(fn(&Node) -> bool),
    /// A JSON or YAML document of this shape.
    JsonOrYaml(fn(&Node) -> bool),
}

/// One tool whose credential files credsweep reads.
pub struct Tool {
    /// The name reported as the finding's tool (`aws-cli`, `kubectl` …).
    pub name: &'static str,
    /// Whether a path is one of this tool's credential files.
    pub path: fn(&PathParts) -> bool,
    pub sniff: Sniff,
    /// Reads the file's secrets into the sink.
    pub(crate) parse: fn(&[u8], &mut Sink),
    /// Its store is a binary file (gcloud's SQLite databases), read despite the binary-file check.
    pub binary: bool,
}

const fn tool(name: &'static str, path: fn(&PathParts) -> bool, parse: fn(&[u8], &mut Sink)) -> Tool {
    Tool { name, path, sniff: Sniff::No, parse, binary: false }
}

fn never(_: &PathParts) -> bool {
    false
}

/// Every tool, in the order paths are tried (the first that recognises a path owns it). Formats and references are
/// listed in the module doc of [`super`].
pub const TOOLS: &[Tool] = &[
    tool("aws-cli", |p| p.parent == ".aws" && matches!(p.name, "credentials" | "config"), ini::aws),
    Tool {
        sniff: Sniff::Json(|d| {
            let t = d.str_at("type");
            matches!(
                t.as_deref(),
                Some("authorized_user" | "external_account_authorized_user" | "impersonated_service_account")
            )
        }),
        binary: true,
        ..tool("gcloud", gcloud_path, gcloud)
    },
    Tool {
        sniff: Sniff::Json(|d| d.str_at("type").as_deref() == Some("service_account")),
        ..tool("gcp-service-account", never, jsonfmt::gcloud)
    },
    Tool {
        sniff: Sniff::Json(|d| d.get("auths").is_some_and(|a| matches!(a, Node::Map(_)))),
        ..tool(
            "docker",
            |p| (p.parent == ".docker" && p.name == "config.json") || p.name == ".dockercfg",
            jsonfmt::docker,
        )
    },
    tool("podman", |p| p.parent == "containers" && p.name == "auth.json", jsonfmt::docker),
    Tool {
        sniff: Sniff::Json(|d| d.get("RefreshToken").is_some() && d.get("AccessToken").is_some()),
        ..tool("azure-cli", azure_path, jsonfmt::azure)
    },
    Tool { sniff: Sniff::JsonOrYaml(yaml::is_kubeconfig), ..tool("kubectl", kubectl_path, yaml::kubeconfig) },
    tool("npm", |p| p.name == ".npmrc" || (p.parent == "etc" && p.name == "npmrc"), ini::npm),
    tool("pypi", |p| p.name == ".pypirc", ini::pypi),
    tool("netrc", |p| matches!(p.name, ".netrc" | "_netrc"), plain::netrc),
    tool("git", git_path, git::git),
    tool("gh", |p| matches!(p.parent, "gh" | "GitHub CLI") && p.name == "hosts.yml", yaml::gh),
    tool("cargo", |p| p.parent == ".cargo" && matches!(p.name, "credentials.toml" | "credentials"), plain::cargo),
    tool("terraform", |p| p.name == "credentials.tfrc.json", jsonfmt::terraform),
    tool("postgres", |p| matches!(p.name, ".pgpass" | "pgpass.conf"), plain::pgpass),
    tool("mysql", |p| matches!(p.name, ".my.cnf" | "my.cnf"), ini::mysql),
    tool("maven", maven_path, xml::maven),
    tool("gradle", |p| p.name == "gradle.properties", plain::gradle),
    tool("rubygems", |p| matches!(p.parent, ".gem" | "gem") && p.name == "credentials", yaml::rubygems),
    tool("huggingface", huggingface_path, ini::huggingface),
    tool("vault", |p| p.name == ".vault-token", |text, sink| plain::whole_file(text, "token", sink)),
    tool("rclone", |p| p.name == "rclone.conf", ini::rclone),
    tool("bitwarden-cli", |p| p.parent == "Bitwarden CLI" && p.name == "data.json", jsonfmt::bitwarden),
    tool("1password-cli", onepassword_path, jsonfmt::onepassword),
    tool("kaggle", |p| p.name == "kaggle.json", jsonfmt::kaggle),
];

/// The row named `name`.
pub fn by_name(name: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|t| t.name == name)
}

fn gcloud_path(p: &PathParts) -> bool {
    p.name == "application_default_credentials.json"
        || (p.name == "adc.json" && p.grand == "legacy_credentials")
        || (p.parent == "gcloud" && matches!(p.name, "credentials.db" | "access_tokens.db"))
}

/// gcloud's SQLite stores, or its JSON credentials.
fn gcloud(text: &[u8], sink: &mut Sink) {
    if sqlite::is_sqlite(text) {
        sqlite::gcloud(text, sink)
    } else {
        jsonfmt::gcloud(text, sink)
    }
}

fn azure_path(p: &PathParts) -> bool {
    p.parent == ".azure"
        && matches!(p.name, "msal_token_cache.json" | "accessTokens.json" | "service_principal_entries.json")
}

/// `.kube/config`, or a file whose name contains `kubeconfig` (no extension, or a config-like one).
fn kubectl_path(p: &PathParts) -> bool {
    let named = crate::parsers::contains_ignore_case(p.name, "kubeconfig")
        && (!p.name.contains('.') || matches!(p.ext, "yaml" | "yml" | "json" | "conf" | "config" | "kubeconfig"));
    (p.parent == ".kube" && p.name == "config") || named
}

fn git_path(p: &PathParts) -> bool {
    matches!(p.name, ".git-credentials" | ".gitconfig")
        || matches!((p.parent, p.name), ("git", "credentials") | (".git", "config") | ("etc", "gitconfig"))
        || (p.parent == "git" && p.name == "config" && p.grand == ".config")
}

fn maven_path(p: &PathParts) -> bool {
    p.name == "settings.xml" && (p.parent == ".m2" || (p.parent == "conf" && p.grand.contains("maven")))
}

fn huggingface_path(p: &PathParts) -> bool {
    matches!((p.parent, p.name), ("huggingface" | ".huggingface", "token") | ("huggingface", "stored_tokens"))
}

fn onepassword_path(p: &PathParts) -> bool {
    p.name == "config" && (p.parent == ".op" || (p.parent == "op" && p.grand == ".config"))
}
