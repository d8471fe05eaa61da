//! YAML credential files: kubeconfig, GitHub CLI `hosts.yml`, RubyGems `credentials`.
//!
//! Read by [`document::yaml`] (kubeconfig also as JSON, by [`document::json`]): a syntax error ends the stream but
//! keeps what was read before it, so a damaged file still yields the credentials above the damage.
use super::super::document::{self, Node};
use super::super::judge::says_secret;
use super::{b64decode, Loc, Sink};

/// JSON when it looks like JSON (exact escapes and spans), YAML otherwise.
fn documents(text: &[u8]) -> Vec<Node> {
    let body = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    if body.trim_ascii_start().starts_with(b"{") {
        if let Some(doc) = document::json(text) {
            return vec![doc];
        }
    }
    document::yaml(text).docs
}

pub(crate) fn is_kubeconfig(doc: &Node) -> bool {
    let users = doc.get("users").is_some_and(|u| !u.items().is_empty());
    users && (doc.str_at("kind").as_deref() == Some("Config") || doc.get("clusters").is_some())
}

/// kubeconfig `users[].user`: `token`, `password`, `client-key-data` (base64 of a PEM key: the value is the PEM),
/// `auth-provider.config` tokens and client secret, secrets in `exec.env`. `exec` itself is a reference.
pub(crate) fn kubeconfig(text: &[u8], sink: &mut Sink) {
    for doc in documents(text) {
        for entry in doc.get("users").map(Node::items).unwrap_or_default() {
            let name = entry.str_at("name");
            let profile = name.as_deref();
            let Some(user) = entry.get("user") else { continue };
            let username = user.str_at("username");
            for key in ["token", "password"] {
                if let Some(s) = user.get(key).and_then(Node::scalar) {
                    sink.secret(s.span.clone(), s.value.clone(), Loc::new(profile, key).id(username.clone()));
                }
            }
            if let Some(s) = user.get("client-key-data").and_then(Node::scalar) {
                let value = b64decode(&s.value).unwrap_or_else(|| s.value.clone());
                sink.secret(s.span.clone(), value, Loc::new(profile, "client-key-data").id(username.clone()));
            }
            if let Some(config) = user.get("auth-provider").and_then(|a| a.get("config")) {
                let id = username.clone().or_else(|| config.str_at("client-id"));
                for key in ["id-token", "refresh-token", "access-token", "client-secret"] {
                    if let Some(s) = config.get(key).and_then(Node::scalar) {
                        let loc = Loc::new(profile, key).field("auth-provider.config").id(id.clone());
                        sink.secret(s.span.clone(), s.value.clone(), loc);
                    }
                }
            }
            if let Some(exec) = user.get("exec") {
                if let Some(command) = exec.str_at("command") {
                    sink.reference(Loc::new(profile, "exec").field("exec.command"), command);
                }
                for var in exec.get("env").map(Node::items).unwrap_or_default() {
                    let (Some(var_name), Some(s)) = (var.str_at("name"), var.get("value").and_then(Node::scalar))
                    else {
                        continue;
                    };
                    if says_secret(&var_name) {
                        let loc = Loc::new(profile, &var_name).field("exec.env").id(username.clone());
                        sink.secret(s.span.clone(), s.value.clone(), loc);
                    }
                }
            }
        }
    }
}

/// GitHub CLI `hosts.yml`: `<host>.oauth_token` (identifier `<host>.user`) and, since gh 2.40, tokens per account
/// under `<host>.users.<login>.oauth_token` when no keyring is available.
pub(crate) fn gh(text: &[u8], sink: &mut Sink) {
    for doc in document::yaml(text).docs {
        for (host, entry) in doc.entries() {
            if let Some(s) = entry.get("oauth_token").and_then(Node::scalar) {
                sink.secret(
                    s.span.clone(),
                    s.value.clone(),
                    Loc::new(Some(host), "oauth_token").id(entry.str_at("user")),
                );
            }
            for (login, account) in entry.get("users").map(Node::entries).unwrap_or_default() {
                if let Some(s) = account.get("oauth_token").and_then(Node::scalar) {
                    let loc = Loc::new(Some(host), "oauth_token").field("users").id(Some(login.as_str()));
                    sink.secret(s.span.clone(), s.value.clone(), loc);
                }
            }
        }
    }
}

/// RubyGems `credentials`: `:rubygems_api_key:` (for rubygems.org) and one key per other gem host URL.
pub(crate) fn rubygems(text: &[u8], sink: &mut Sink) {
    for doc in document::yaml(text).docs {
        for (key, value) in doc.entries() {
            let Some(s) = value.scalar() else { continue };
            let name = key.trim_start_matches(':');
            let loc = match name {
                "rubygems_api_key" => Loc::new(Some("https://rubygems.org"), name),
                _ if name.contains("://") => Loc::new(Some(name), "api_key"),
                _ => Loc::new(None, name),
            };
            sink.secret(s.span.clone(), s.value.clone(), loc);
        }
    }
}
