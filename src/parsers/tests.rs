//! The judgements of [`super::judge`] as one table of names and values, checked straight and through every format's
//! parser: a value with the same evidence gets the same answer in `.env`, an MCP config, a shell history or a
//! credential file. (Here, beside the formats, so that `judge` depends on none of them.)
use super::judge::Verdict::{Empty as E, Placeholder as P, Reference as R, Secret as S};
use super::judge::*;
use super::{credfiles, dotenv, history, mcp};

/// Names, and whether they say secret — whichever format they come from.
const NAMES: &[(&str, bool)] = &[
    ("API_KEY", true),
    ("stripeSecretKey", true),
    ("mySecretString", true),
    ("API_KEY_STR", true),
    ("PASSWORD_HINT_STRING", false),
    ("db-password", true),
    ("GITHUB_TOKEN", true),
    ("TOKEN", true),
    ("DB_PASS", true),
    ("MYSQL_PWD", true),
    ("AWS_CREDENTIALS", true),
    ("REDIS_AUTH", true),
    ("NGROK_AUTHTOKEN", true),
    ("SENTRY_DSN", true),
    ("DATABASE_URL", true),
    ("REPLICA_DATABASE_URL", true),
    ("SECRET_KEY_BASE", true),
    ("AZURE_CONNECTION_STRING", true),
    ("SSH_PRIVATE_KEY_B64", true),
    ("X-Api-Key", true),
    ("AWS_SECRET_ACCESS_KEY", true),
    ("SSHPASS", true),
    ("Authorization", true),
    ("apiKey", true),
    ("APIKey", true),
    ("client_secret", true),
    ("GITHUB_PAT", true),
    ("Cookie", true),
    ("KEY_PASSPHRASE", true),
    ("accesstoken", true),
    ("PRIVATE-TOKEN", true),
    ("AWS_SECRETS", true),
    ("key", true),
    ("--api-key", true),
    ("AWS_ACCESS_KEY_ID", false),
    ("SSL_KEY_PATH", false),
    ("TLS_KEY_FILE", false),
    ("OAUTH_TOKEN_URL", false),
    ("OKTA_AUTH_URL", false),
    ("AUTH0_AUTH_DOMAIN", false),
    ("PUBLIC_KEY", false),
    ("JWT_PUBLIC_KEY", false),
    ("SSH_PUBLIC_KEY", false),
    ("MAPBOX_PUBLIC_TOKEN", false),
    ("STRIPE_PUBLISHABLE_KEY", false),
    ("RECAPTCHA_SITE_KEY", false),
    ("NEXT_PUBLIC_API_KEY", false),
    ("VITE_SECRET", false),
    ("PWD", false),
    ("GIT_AUTHOR_DATE", false),
    ("MONKEY", false),
    ("KEYBOARD_LAYOUT", false),
    ("PASSPORT", false),
    ("HOME", false),
    ("SECRET_NAME", false),
    ("PASSWORD_STDIN", false),
    ("apiKeyId", false),
    ("description", false),
    ("", false),
];

#[test]
fn names() {
    for &(name, secret) in NAMES {
        assert_eq!(says_secret(name), secret, "{name}");
    }
}

/// Values, their verdict as a credential field ([`verdict`]), and on a name alone ([`verdict_named`]), where `$`
/// expansion does not matter. Every row holds for every format: [`every_format_judges_alike`] runs them through
/// each parser.
const VALUES: &[(&str, Verdict, Verdict)] = &[
    ("qN9Nifp28uwCDydesokF5NSA", S, S),
    ("hunter22", S, S),
    ("hunter2", S, P),
    ("postgres", S, P),
    ("true", S, P),
    ("12345678", S, P),
    ("3.14159265", S, P),
    ("/etc/gcp/service-account.json", S, P),
    ("./certs/server.key", S, P),
    ("GITHUB_TOKEN", S, P),
    ("aaaabbbbaaaabbbb", S, P),
    ("/k9Qm2ZxLw8Rt4Vb7Np", S, S),
    ("", E, E),
    ("changeme", P, P),
    ("password", P, P),
    ("your-api-key", P, P),
    ("<TOKEN>", P, P),
    ("xxx-replace-me-xxx", P, P),
    ("********", P, P),
    ("AKIAIOSFODNN7EXAMPLE", P, P),
    ("${GITHUB_TOKEN}", R, R),
    ("$GITHUB_TOKEN", R, R),
    ("%APPDATA_PASS%", R, R),
    ("{{.Values.secret}}", R, R),
    ("op://vault/item/field", R, R),
    ("postgres://app:xni7z9KwRkNr4aE28uz5@db.internal/app", S, S),
    ("mssql://sa:admin@sql.internal/db", S, S),
    ("postgres://postgres:postgres@localhost:5432/app", S, P),
    ("https://a468c6414ce9da201e0c0d1a0dc00f0e@o42.ingest.sentry.io/7", S, S),
];

#[test]
fn values() {
    for &(v, field, named) in VALUES {
        assert_eq!(verdict(v.as_bytes()), field, "{v} as a field");
        for expansion in [Expansion::Config, Expansion::Shell] {
            assert_eq!(verdict_named(v.as_bytes(), expansion, false), named, "{v} by name ({expansion:?})");
        }
    }
}

/// The table's rows through every format's parser, under a secret name (no token rule vouches for anything):
/// `.env`, an MCP server's `env`, `export` in a shell history (name evidence), and an AWS credentials field
/// (field evidence). A secret is a candidate, a reference a listed reference (history lists none), anything
/// else nothing.
#[test]
fn every_format_judges_alike() {
    let never = |_: &[u8]| false;
    for &(v, field, named) in VALUES {
        let (found, refs) = dotenv::candidates(format!("API_TOKEN=\"{v}\"\n").as_bytes(), false, &never);
        let (field, named) = (shown(field), shown(named));
        assert_eq!(outcome(found.len(), refs.len()), named, "{v} in .env");
        let json = serde_json::json!({ "mcpServers": { "s": { "env": { "API_TOKEN": v } } } }).to_string();
        let (found, refs) = mcp::candidates("cursor", json.as_bytes(), &never);
        assert_eq!(outcome(found.len(), refs.len()), named, "{v} in an MCP config");
        let found = history::candidates(".bash_history", format!("export API_TOKEN=\"{v}\"\n").as_bytes());
        let want = if named == R { P } else { named };
        assert_eq!(outcome(found.len(), 0), want, "{v} in a shell history");
        let text = format!("[default]\naws_secret_access_key = {v}\n");
        let parsed = credfiles::analyze("aws-cli", text.as_bytes());
        assert_eq!(outcome(parsed.findings.len(), parsed.references.len()), field, "{v} in ~/.aws/credentials");
    }
}

/// Empty and placeholder both show as nothing.
fn shown(v: Verdict) -> Verdict {
    if v == E {
        P
    } else {
        v
    }
}

/// The verdict a parser's output shows (empty and placeholder both show as nothing).
fn outcome(found: usize, refs: usize) -> Verdict {
    match (found, refs) {
        (1, 0) => S,
        (0, 1) => R,
        (0, 0) => P,
        other => panic!("{other:?}"),
    }
}
