//! JSON credential files: Google credentials (ADC, service-account keys), Azure CLI token caches, Docker/Podman
//! auth, Terraform CLI credentials, Bitwarden CLI and 1Password CLI state, Kaggle API credentials.
use super::super::document::{json as parse_json, Node, Scalar};
use super::{secret_basic, Loc, Sink};

/// Google's Cloud SDK OAuth client: its "secret" is published in the SDK and the same on every machine, so it is no
/// credential (the refresh token next to it is).
const GCLOUD_PUBLIC_CLIENT: &str = "764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com";

fn put(sink: &mut Sink, s: &Scalar, loc: Loc) {
    sink.secret(s.span.clone(), s.value.clone(), loc);
}

/// ADC files, `adc.json`, service-account keys: see [`gcloud_doc`].
pub(crate) fn gcloud(text: &[u8], sink: &mut Sink) {
    if let Some(doc) = parse_json(text) {
        gcloud_doc(&doc, sink, None, None);
    }
}

/// A Google credential JSON by its `type` (<https://google.aip.dev/auth/4110>):
/// - `service_account`: `private_key` (the decoded PEM), identifier `client_email`, profile `project_id`;
/// - `authorized_user` / `external_account_authorized_user`: `refresh_token` (identifier: the account, when known)
///   and `client_secret` (identifier `client_id`; skipped for the Cloud SDK's public client);
/// - `external_account`: an optional workforce `client_secret`;
/// - `impersonated_service_account`: its `source_credentials`, recursively.
///
/// `field` names where the document sits inside another; `account` is the account when the container knows it.
pub(crate) fn gcloud_doc(doc: &Node, sink: &mut Sink, field: Option<&str>, account: Option<&str>) {
    let loc =
        |variable: &str, id: Option<String>| Loc { field: field.map(str::to_owned), ..Loc::new(None, variable).id(id) };
    let at = |key: &str| doc.get(key).and_then(Node::scalar);
    match doc.str_at("type").as_deref() {
        Some("service_account") => {
            if let Some(s) = at("private_key") {
                let l = Loc { profile: doc.str_at("project_id"), ..loc("private_key", doc.str_at("client_email")) };
                put(sink, s, l);
            }
        }
        Some("authorized_user" | "external_account_authorized_user" | "external_account") => {
            if let Some(s) = at("refresh_token") {
                let id = doc.str_at("account").or_else(|| account.map(str::to_owned));
                put(sink, s, loc("refresh_token", id));
            }
            let client = doc.str_at("client_id");
            if let Some(s) = at("client_secret").filter(|_| client.as_deref() != Some(GCLOUD_PUBLIC_CLIENT)) {
                put(sink, s, loc("client_secret", client));
            }
        }
        Some("impersonated_service_account") => {
            if let Some(source) = doc.get("source_credentials") {
                let inner = field.map_or("source_credentials".to_owned(), |f| format!("{f}.source_credentials"));
                gcloud_doc(source, sink, Some(&inner), account);
            }
        }
        _ => {}
    }
}

/// Azure CLI: the MSAL token cache (`RefreshToken`/`AccessToken` entries, identified by the `Account` entry's
/// `username`), and the ADAL-era lists `accessTokens.json` / `service_principal_entries.json` (`accessToken`,
/// `refreshToken`, `client_secret`; for service principals `accessToken` *is* the client secret). `IdToken`
/// entries (identity assertions) and `azureProfile.json` (no secrets) are not reported.
pub(crate) fn azure(text: &[u8], sink: &mut Sink) {
    let Some(doc) = parse_json(text) else { return };
    let usernames: Vec<(String, String)> = doc
        .get("Account")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|(_, a)| Some((a.str_at("home_account_id")?, a.str_at("username")?)))
        .collect();
    for section in ["RefreshToken", "AccessToken"] {
        for (_, entry) in doc.get(section).map(Node::entries).unwrap_or_default() {
            let Some(s) = entry.get("secret").and_then(Node::scalar) else { continue };
            let home = entry.str_at("home_account_id");
            let user = usernames.iter().find(|(h, _)| Some(h) == home.as_ref()).map(|(_, u)| u.clone());
            let profile = entry.str_at("realm").or_else(|| entry.str_at("environment"));
            let loc = Loc { profile, ..Loc::new(None, section).field("secret") };
            put(sink, s, loc.id(user.or(home).or_else(|| entry.str_at("client_id"))));
        }
    }
    for entry in doc.items() {
        let first = |keys: &[&str]| keys.iter().find_map(|k| entry.str_at(k));
        let id = first(&["userId", "servicePrincipalId", "client_id", "_clientId"]);
        let profile = first(&["tenant", "servicePrincipalTenant", "_authority"]);
        for key in ["accessToken", "refreshToken", "client_secret"] {
            if let Some(s) = entry.get(key).and_then(Node::scalar) {
                put(sink, s, Loc { profile: profile.clone(), ..Loc::new(None, key).id(id.clone()) });
            }
        }
    }
}

/// Docker `config.json` (and the legacy `.dockercfg`, and Podman's `auth.json`): per registry `auth` (base64
/// `user:password`: the value is the password, the user the identifier), `password`, `identitytoken`,
/// `registrytoken`. `credsStore` and `credHelpers` are references to secrets kept in a helper.
pub(crate) fn docker(text: &[u8], sink: &mut Sink) {
    let Some(doc) = parse_json(text) else { return };
    let auths = match doc.get("auths") {
        Some(a) => a,
        None => &doc,
    };
    for (registry, entry) in auths.entries() {
        let profile = Some(registry.as_str());
        let user = entry.str_at("username");
        if let Some(s) = entry.get("auth").and_then(Node::scalar) {
            secret_basic(sink, s.span.clone(), &s.value, Loc::new(profile, "auth").id(user.clone()));
        }
        let user = user.or_else(|| {
            entry.get("auth").and_then(Node::scalar).and_then(|s| super::basic_pair(&s.value)).map(|p| p.0)
        });
        for key in ["password", "identitytoken", "registrytoken"] {
            if let Some(s) = entry.get(key).and_then(Node::scalar) {
                put(sink, s, Loc::new(profile, key).id(user.clone()));
            }
        }
    }
    if let Some(store) = doc.str_at("credsStore") {
        sink.reference(Loc::new(None, "credsStore"), format!("docker-credential-{store}"));
    }
    for (registry, helper) in doc.get("credHelpers").map(Node::entries).unwrap_or_default() {
        if let Some(h) = helper.text() {
            sink.reference(Loc::new(Some(registry), "credHelpers"), format!("docker-credential-{h}"));
        }
    }
}

/// Terraform CLI `credentials.tfrc.json`: `credentials.<host>.token`.
pub(crate) fn terraform(text: &[u8], sink: &mut Sink) {
    let Some(doc) = parse_json(text) else { return };
    for (host, entry) in doc.get("credentials").map(Node::entries).unwrap_or_default() {
        if let Some(s) = entry.get("token").and_then(Node::scalar) {
            put(sink, s, Loc::new(Some(host), "token"));
        }
    }
}

/// Bitwarden CLI `data.json`: `accessToken`, `refreshToken` and `apiKeyClientSecret` are kept in clear (the vault
/// itself is encrypted). Current versions key them `user_<id>_token_<name>` at the top level; older ones nest them
/// in the account object (`<id>.tokens.accessToken`, `<id>.keys.apiKeyClientSecret`). Profile: the user id;
/// identifier: the API key's client id for the client secret, else the account's e-mail.
pub(crate) fn bitwarden(text: &[u8], sink: &mut Sink) {
    const NAMES: [&str; 3] = ["accessToken", "refreshToken", "apiKeyClientSecret"];
    let Some(doc) = parse_json(text) else { return };
    let mut found = Vec::new();
    doc.walk(&mut Vec::new(), &mut |path, node| {
        let (Some(key), Some(s)) = (path.last(), node.scalar()) else { return };
        let (user, name) = match key.strip_prefix("user_").and_then(|k| k.split_once("_token_")) {
            Some((user, name)) => (Some(user.to_owned()), name),
            None => (path.first().filter(|_| path.len() > 1).cloned(), key.as_str()),
        };
        if NAMES.contains(&name) {
            found.push((user, name.to_owned(), s.clone()));
        }
    });
    for (user, name, s) in found {
        let email = user.as_deref().and_then(|u| {
            doc.get("global_account_accounts")
                .and_then(|a| a.get(u))
                .and_then(|a| a.str_at("email"))
                .or_else(|| doc.get(u).and_then(|a| a.get("profile")).and_then(|p| p.str_at("email")))
        });
        let client_id = user.as_deref().and_then(|u| {
            doc.str_at(&format!("user_{u}_token_apiKeyClientId"))
                .or_else(|| doc.get(u)?.get("profile")?.str_at("apiKeyClientId"))
                .or_else(|| doc.get(u)?.get("keys")?.str_at("apiKeyClientId"))
        });
        let id = if name == "apiKeyClientSecret" { client_id.or(email) } else { email };
        put(sink, &s, Loc::new(user.as_deref(), &name).id(id));
    }
}

/// 1Password CLI `config`: `accounts[]` hold the sign-in address, e-mail and an `accountKey`. The Secret Key is
/// reported only when it sits there in its documented clear form (`A3-` + six groups); otherwise the field is an
/// opaque device-side value, and sessions are kept encrypted on disk with the wrapping key in the shell's
/// environment (`OP_SESSION_*`), so the file holds no usable secret.
pub(crate) fn onepassword(text: &[u8], sink: &mut Sink) {
    let Some(doc) = parse_json(text) else { return };
    for account in doc.get("accounts").map(Node::items).unwrap_or_default() {
        let Some(s) = account.get("accountKey").and_then(Node::scalar) else { continue };
        let groups: Vec<&[u8]> = s.value.split(|&b| b == b'-').collect();
        let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
        let alnum = groups.iter().all(|g| g.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        if groups.first() == Some(&&b"A3"[..]) && lens == [2, 6, 6, 5, 5, 5, 5] && alnum {
            let profile = account.str_at("shorthand").or_else(|| account.str_at("url"));
            put(sink, s, Loc { profile, ..Loc::new(None, "accountKey").id(account.str_at("email")) });
        }
    }
}

/// Kaggle's API credentials (`kaggle.json`, `{"username": "…", "key": "…"}`, written by "Create New Token" on the
/// account page and read by the `kaggle` CLI and `kagglehub`): the `key`, identified by the `username`.
pub(crate) fn kaggle(text: &[u8], sink: &mut Sink) {
    let Some(doc) = parse_json(text) else { return };
    if let Some(s) = doc.get("key").and_then(Node::scalar) {
        put(sink, s, Loc::new(None, "key").id(doc.str_at("username")));
    }
}
