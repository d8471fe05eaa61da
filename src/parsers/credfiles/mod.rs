//! Credential files of command-line tools, read by each format's grammar: the value is reported *because of where it
//! sits* (the `aws_secret_access_key` of profile `prod`, the `auth` of registry `ghcr.io`), with the non-secret
//! identity that goes with it (access key id, user name, `client_email`).
//!
//! | tool | files | format reference |
//! | --- | --- | --- |
//! | `aws-cli` | `.aws/credentials`, `.aws/config` | <https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html> |
//! | `gcloud` | `application_default_credentials.json`, `legacy_credentials/*/adc.json`, `credentials.db`, `access_tokens.db` | <https://google.aip.dev/auth/4110>, <https://www.sqlite.org/fileformat.html> |
//! | `gcp-service-account` | any JSON with `"type": "service_account"` ([`sniff_tool`]) | <https://cloud.google.com/iam/docs/keys-create-delete> |
//! | `azure-cli` | `.azure/msal_token_cache.json`, `accessTokens.json`, `service_principal_entries.json` | <https://learn.microsoft.com/en-us/cli/azure/msal-based-azure-cli> |
//! | `kubectl` | `.kube/config`, `*kubeconfig*` | <https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/> |
//! | `docker`, `podman` | `.docker/config.json`, `.dockercfg`, `containers/auth.json` | <https://docs.docker.com/reference/cli/docker/login/> |
//! | `npm` | `.npmrc` | <https://docs.npmjs.com/cli/v10/configuring-npm/npmrc> |
//! | `pypi` | `.pypirc` | <https://packaging.python.org/en/latest/specifications/pypirc/> |
//! | `netrc` | `.netrc`, `_netrc` | <https://www.gnu.org/software/inetutils/manual/html_node/The-_002enetrc-file.html> |
//! | `git` | `.git-credentials`, `.gitconfig`, `.git/config` | <https://git-scm.com/docs/git-credential-store>, <https://git-scm.com/docs/git-config> |
//! | `gh` | `gh/hosts.yml` | <https://cli.github.com/manual/gh_auth_login> |
//! | `cargo` | `.cargo/credentials.toml` | <https://doc.rust-lang.org/cargo/reference/config.html#credentials> |
//! | `terraform` | `credentials.tfrc.json` | <https://developer.hashicorp.com/terraform/cli/config/config-file#credentials> |
//! | `postgres` | `.pgpass`, `pgpass.conf` | <https://www.postgresql.org/docs/current/libpq-pgpass.html> |
//! | `mysql` | `.my.cnf`, `my.cnf` | <https://dev.mysql.com/doc/refman/8.0/en/option-files.html> |
//! | `maven` | `.m2/settings.xml` | <https://maven.apache.org/settings.html#servers> |
//! | `gradle` | `gradle.properties` | <https://docs.gradle.org/current/userguide/build_environment.html> |
//! | `rubygems` | `.gem/credentials` | <https://guides.rubygems.org/api-key-scopes/> |
//! | `huggingface` | `huggingface/token`, `huggingface/stored_tokens` | <https://huggingface.co/docs/huggingface_hub/package_reference/environment_variables#hftokenpath> |
//! | `vault` | `.vault-token` | <https://developer.hashicorp.com/vault/docs/commands/token-helper> |
//! | `rclone` | `rclone.conf` | <https://rclone.org/docs/#config-config-file> |
//! | `bitwarden-cli` | `Bitwarden CLI/data.json` | <https://bitwarden.com/help/cli/#config> |
//! | `1password-cli` | `.config/op/config` | <https://developer.1password.com/docs/cli/sign-in-manually> |
//! | `kaggle` | `kaggle.json` (`.kaggle/`, `.config/kaggle/`, or wherever it was downloaded to) | <https://www.kaggle.com/docs/api#authentication> |
//!
//! Decisions: a value is judged by [`super::judge::verdict`] (a tool's credential field is a credential by
//! definition): references (`${X}`, `$X`, `%X%`, `$(cmd)`, `op://…`) become [`Reference`]s, as do places where a
//! tool fetches its secret elsewhere (`credential_process`, Docker `credsStore`/`credHelpers`, kubeconfig `exec`);
//! placeholders and empty values are dropped. Base64 wrappers (Docker/npm `auth`, kubeconfig `client-key-data`, HTTP `Basic`) are
//! decoded: the span is the base64 text, the value the secret inside. Values kept only in obscured or encrypted form by
//! their tool (Maven `{…}`, rclone `pass`) are handled as documented on each parser. Inputs over [`MAX_INPUT`] are
//! not parsed. Nothing here panics.
//!
//! Not covered: HCL `.terraformrc` `credentials` blocks, MySQL's obfuscated `.mylogin.cnf`, Maven's
//! `settings-security.xml` (an encrypted master password), Azure's `msal_http_cache.bin` (a Python pickle), 1Password
//! session files (encrypted, the key lives in the shell's environment), and rows of gcloud's databases that SQLite
//! moved to overflow pages or still keeps in a `-wal` file.
use std::ops::Range;
use std::path::Path;

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

use super::document;
pub(crate) use super::judge::percent_decode;
use super::judge::{userinfo, verdict, Verdict};
use super::{Candidate, Context, Reference};

mod git;
mod ini;
mod jsonfmt;
mod plain;
mod sqlite;
mod tools;
mod xml;

pub use tools::{PathParts, Sniff, Tool, TOOLS};
mod yaml;

/// Credential files are small; anything larger is not one of them (or not worth a grammar).
pub const MAX_INPUT: usize = 8 << 20;

/// One credential and the identity that goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredFinding {
    pub candidate: Candidate,
    /// Non-secret identity: AWS access key id, GCP `client_email`, user name, client id …
    pub identifier: Option<String>,
}

/// Everything a credential file told: its secrets and the secrets it only points to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// In file order.
    pub findings: Vec<CredFinding>,
    pub references: Vec<Reference>,
}

/// Which tool's credential file a path is, from its name and the names of its parent directories: the first row of
/// [`TOOLS`] that recognises it.
pub fn tool_for_path(path: &Path) -> Option<&'static str> {
    let mut parts = last_components(path);
    let name = parts.next()?;
    let parent = parts.next().unwrap_or_default();
    let grand = parts.next().unwrap_or_default();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let p = PathParts { name: &name, parent: &parent, grand: &grand, ext };
    TOOLS.iter().find(|t| (t.path)(&p)).map(|t| t.name)
}

/// A path's components, last first, as text. On Unix, split at `/` (empty and `.` components skipped, as
/// [`Path::components`] does inside a path): asked for every file, `Components`' general parsing was half the cost.
#[cfg(unix)]
fn last_components(path: &Path) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    bytes.rsplit(|&b| b == b'/').filter(|c| !c.is_empty() && *c != b".").map(String::from_utf8_lossy)
}

#[cfg(not(unix))]
fn last_components(path: &Path) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    path.components().rev().map(|c| c.as_os_str().to_string_lossy())
}

/// The tool of a JSON or YAML credential file recognised by its content alone, wherever it lies (a service-account
/// key downloaded to `~/Downloads/project-1a2b3c.json`, a kubeconfig under any name): the first row of [`TOOLS`]
/// whose [`Sniff`] matches. YAML is read only when it looks like a kubeconfig.
pub fn sniff_tool(text: &[u8]) -> Option<&'static str> {
    if text.len() > MAX_INPUT {
        return None;
    }
    let body = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    if body.trim_ascii_start().starts_with(b"{") {
        let doc = document::json(text)?;
        let matches = |t: &&Tool| matches!(t.sniff, Sniff::Json(f) | Sniff::JsonOrYaml(f) if f(&doc));
        return TOOLS.iter().find(matches).map(|t| t.name);
    }
    let plausible =
        memchr::memmem::find(body, b"kind: Config").is_some() && memchr::memmem::find(body, b"users:").is_some();
    if !plausible {
        return None;
    }
    let docs = document::yaml(text).docs;
    let matches = |t: &&Tool| matches!(t.sniff, Sniff::JsonOrYaml(f) if docs.iter().any(f));
    TOOLS.iter().find(matches).map(|t| t.name)
}

/// True when `tool`'s credential store is a binary file, read despite the binary-file check.
pub fn reads_binary(tool: &str) -> bool {
    tools::by_name(tool).is_some_and(|t| t.binary)
}

/// The credentials in a file of `tool` (a [`Tool::name`]); see [`analyze`].
pub fn parse(tool: &str, text: &[u8]) -> Vec<CredFinding> {
    analyze(tool, text).findings
}

/// Parse a credential file of `tool`: its secrets, each with its identifier, and its references to secrets kept
/// elsewhere. An unknown tool, an input over [`MAX_INPUT`] or text that does not parse gives nothing.
pub fn analyze(tool: &str, text: &[u8]) -> Parsed {
    let mut sink = Sink { tool: tool.to_owned(), out: Parsed::default() };
    if text.len() > MAX_INPUT {
        return sink.out;
    }
    if let Some(t) = tools::by_name(tool) {
        (t.parse)(text, &mut sink);
    }
    sink.finish()
}

/// Where a value sits and who it belongs to: everything of a finding but the value.
#[derive(Debug, Clone, Default)]
pub(crate) struct Loc {
    pub profile: Option<String>,
    pub variable: String,
    pub field: Option<String>,
    pub identifier: Option<String>,
}

impl Loc {
    pub fn new(profile: Option<&str>, variable: &str) -> Loc {
        Loc { profile: profile.map(str::to_owned), variable: variable.to_owned(), ..Loc::default() }
    }

    pub fn field(mut self, field: impl Into<String>) -> Loc {
        self.field = Some(field.into());
        self
    }

    pub fn id(mut self, identifier: Option<impl Into<String>>) -> Loc {
        self.identifier = identifier.map(Into::into);
        self
    }
}

/// Collects a parser's output and applies the rules every format shares.
pub(crate) struct Sink {
    tool: String,
    out: Parsed,
}

impl Sink {
    fn context(&self, loc: &Loc) -> Context {
        Context {
            tool: Some(self.tool.clone()),
            field: loc.field.clone(),
            variable: Some(loc.variable.clone()),
            profile: loc.profile.clone(),
            ..Context::default()
        }
    }

    /// A value found at `span`: a finding, a reference, or (empty, placeholder) nothing, as [`verdict`] says.
    pub fn secret(&mut self, span: Range<usize>, value: Vec<u8>, loc: Loc) {
        match verdict(&value) {
            Verdict::Secret => {
                let identifier = loc
                    .identifier
                    .clone()
                    .filter(|i| !matches!(verdict(i.as_bytes()), Verdict::Empty | Verdict::Reference));
                let candidate = Candidate { span, value, context: self.context(&loc) };
                self.out.findings.push(CredFinding { candidate, identifier });
            }
            Verdict::Reference => {
                let reference = String::from_utf8_lossy(value.trim_ascii()).into_owned();
                self.out.references.push(Reference { context: self.context(&loc), reference });
            }
            Verdict::Placeholder | Verdict::Empty => {}
        }
    }

    /// A place where the tool gets its secret from elsewhere (a command, a keychain helper).
    pub fn reference(&mut self, loc: Loc, reference: String) {
        if !reference.trim().is_empty() {
            self.out.references.push(Reference { context: self.context(&loc), reference });
        }
    }

    fn finish(mut self) -> Parsed {
        let f = &mut self.out.findings;
        f.sort_by(|a, b| {
            let key = |c: &CredFinding| (c.candidate.span.start, c.candidate.span.end);
            key(a).cmp(&key(b)).then_with(|| a.candidate.context.variable.cmp(&b.candidate.context.variable))
        });
        f.dedup_by(|a, b| a.candidate.span == b.candidate.span && a.candidate.context == b.candidate.context);
        self.out
    }
}

/// Standard base64, padding optional, surrounding whitespace ignored.
pub(crate) fn b64decode(text: &[u8]) -> Option<Vec<u8>> {
    const B64: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    B64.decode(text.trim_ascii()).ok()
}

/// `base64(user:password)` (Docker, npm `_auth`, HTTP Basic) → (user, password).
pub(crate) fn basic_pair(text: &[u8]) -> Option<(String, Vec<u8>)> {
    let raw = b64decode(text)?;
    let colon = raw.iter().position(|&b| b == b':')?;
    Some((String::from_utf8_lossy(&raw[..colon]).into_owned(), raw[colon + 1..].to_vec()))
}

/// Report a `base64(user:password)` value at `span`: the password as value, the user as identifier. Text that is
/// not such a pair is still a credential as written and is reported raw.
pub(crate) fn secret_basic(sink: &mut Sink, span: Range<usize>, raw: &[u8], loc: Loc) {
    match basic_pair(raw) {
        Some((user, pass)) => sink.secret(span, pass, Loc { identifier: Some(user), ..loc }),
        None => sink.secret(span, raw.to_vec(), loc),
    }
}

/// A URL's user name and password, percent-decoded, with the password's span relative to the URL, and its host
/// and port.
pub(crate) struct UrlCreds {
    pub user: String,
    pub password: Vec<u8>,
    pub span: Range<usize>,
    pub host: String,
}

/// `scheme://user:password@host[:port]/…` ([`userinfo`]). `None` without a password.
pub(crate) fn url_creds(url: &[u8]) -> Option<UrlCreds> {
    let u = userinfo(url)?;
    let span = u.password?;
    let host = String::from_utf8_lossy(&url[u.host_port]).into_owned();
    let user = String::from_utf8_lossy(&percent_decode(&url[u.user])).into_owned();
    Some(UrlCreds { user, password: percent_decode(&url[span.clone()]), span, host })
}

/// Lines of `text` with their start offsets, without the line terminator (`\n` or `\r\n`).
pub(crate) fn lines(text: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i);
        pos = end + 1;
        let line = &text[start..end];
        Some((start, line.strip_suffix(b"\r").unwrap_or(line)))
    })
}

/// Span of `s` trimmed of ASCII whitespace, given that `s` starts at `offset`.
pub(crate) fn trimmed_span(s: &[u8], offset: usize) -> Range<usize> {
    let lead = s.len() - s.trim_ascii_start().len();
    let t = s.trim_ascii();
    offset + lead..offset + lead + t.len()
}

#[cfg(test)]
mod tests;
