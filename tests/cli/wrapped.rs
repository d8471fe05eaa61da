//! Keys and tokens in any wrapping (issue #13 §2): a private key quoted line by line in Python, Java, Go and JS,
//! escaped once or twice, base64-encoded in a Kubernetes Secret or an env file, is the same finding as the plain key
//! (fingerprint, `encrypted`, type, bits); `Authorization: Basic` names the user and fingerprints the password;
//! Bearer tokens; WireGuard keys in any `.conf`; Kaggle's `kaggle.json`. Keys are generated at test time.
use std::{collections::BTreeMap, path::Path, process::Command};

use base64::Engine as _;
use serde_json::Value;

use crate::common::{findings, github_token, scan_json, sha256, tree, write, Rng, B62};

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").current_dir(dir).args(args).output().expect("openssl is installed");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Fresh private keys of every armored kind the private-key rules know, as (name, PEM text), made in `dir` (outside
/// the scanned tree, so no `.pub` sits beside the copies).
fn generate_keys(dir: &Path) -> Vec<(&'static str, String)> {
    let ssl = |args: &[&str]| openssl(dir, args);
    ssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa8.pem"]);
    ssl(&["pkey", "-in", "rsa8.pem", "-traditional", "-out", "rsa1.pem"]);
    ssl(&[
        "pkey",
        "-in",
        "rsa8.pem",
        "-traditional",
        "-aes-256-cbc",
        "-passout",
        "pass:credsweep",
        "-out",
        "rsa1e.pem",
    ]);
    ssl(&["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.pem"]);
    ssl(&["genpkey", "-algorithm", "ed25519", "-out", "ed8.pem"]);
    ssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-384",
        "-aes256",
        "-pass",
        "pass:x",
        "-out",
        "e8.pem",
    ]);
    ssl(&["genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:1024", "-out", "dsap.pem"]);
    ssl(&["genpkey", "-paramfile", "dsap.pem", "-out", "dsa8.pem"]);
    ssl(&["pkey", "-in", "dsa8.pem", "-traditional", "-out", "dsa1.pem"]);
    for (file, pass) in [("ossh", ""), ("ossh_enc", "credsweep-test")] {
        let path = dir.join(file);
        crate::common::ssh_keygen(&["-q", "-t", "ed25519", "-N", pass, "-C", "ci@build", "-f", path.to_str().unwrap()]);
    }
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let mut keys = vec![
        ("rsa-pkcs1", read("rsa1.pem")),
        ("rsa-pkcs1-encrypted", read("rsa1e.pem")),
        ("rsa-pkcs8", read("rsa8.pem")),
        ("ec", read("ec.pem")),
        ("ed25519-pkcs8", read("ed8.pem")),
        ("pkcs8-encrypted", read("e8.pem")),
        ("dsa", read("dsa1.pem")),
        ("openssh", read("ossh")),
        ("openssh-encrypted", read("ossh_enc")),
    ];
    keys.extend(pgp_key(dir).map(|k| ("pgp", k)));
    keys
}

/// An OpenPGP secret key exported by gpg in a throwaway home (its agent stopped afterwards); `None` without gpg.
fn pgp_key(dir: &Path) -> Option<String> {
    let home = dir.join("gnupg");
    std::fs::create_dir(&home).unwrap();
    std::fs::set_permissions(&home, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let gpg = |args: &[&str]| {
        let base = ["--homedir", home.to_str().unwrap(), "--batch", "--pinentry-mode", "loopback", "--passphrase", ""];
        Command::new("gpg").args(base).args(args).output().ok().filter(|o| o.status.success())
    };
    let made = gpg(&["--quick-gen-key", "Build Bot <build@acme.test>", "ed25519", "sign", "never"]).is_some();
    let armored = made.then(|| gpg(&["--armor", "--export-secret-keys"])).flatten();
    let _ = Command::new("gpgconf").arg("--homedir").arg(&home).args(["--kill", "all"]).output();
    armored.map(|o| String::from_utf8(o.stdout).unwrap()).filter(|k| k.contains("PRIVATE KEY BLOCK"))
}

/// The key as source code and config files write it: (file name, content).
fn wrappings(pem: &str) -> Vec<(&'static str, String)> {
    let lines: Vec<&str> = pem.trim_end().lines().collect();
    let each = |f: &dyn Fn(&str) -> String| lines.iter().map(|l| f(l)).collect::<Vec<_>>();
    let b = b64(pem.as_bytes());
    let wrapped76 = b.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>();
    vec![
        ("keys.py", format!("SIGNING_KEY = (\n{}\n)\n", each(&|l| format!("    \"{l}\\n\"")).join("\n"))),
        (
            "Keys.java",
            format!("    static final String PEM =\n{};\n", each(&|l| format!("        \"{l}\\n\"")).join(" +\n")),
        ),
        ("keys.go", format!("var pem = {}\n", each(&|l| format!("\"{l}\\n\"")).join(" +\n\t"))),
        ("keys.js", format!("const key = [\n{}\n].join('\\n');\n", each(&|l| format!("  '{l}',")).join("\n"))),
        ("one-line.ts", format!("const key = {};\n", each(&|l| format!("\"{l}\\n\"")).join(" + "))),
        ("escaped.env", format!("SIGNING_KEY=\"{}\"\n", pem.replace('\n', "\\n"))),
        ("double.js", format!("const key = \"{}\";\n", pem.replace('\n', "\\\\n"))),
        ("key.json", format!("{{\"signing_key\": {}}}\n", serde_json::to_string(pem).unwrap())),
        ("values.yaml", format!("tls:\n  key: |\n{}", pem.lines().map(|l| format!("    {l}\n")).collect::<String>())),
        (
            "main.tf",
            format!("  private_key = <<-EOT\n{}  EOT\n", pem.lines().map(|l| format!("    {l}\n")).collect::<String>()),
        ),
        ("secret.yaml", format!("apiVersion: v1\nkind: Secret\ndata:\n  tls.key: {b}\n  ca.crt: {}\n", b64(b"x"))),
        ("b64.env", format!("SIGNING_KEY_B64={b}\n")),
        ("wrapped.yaml", format!("signing:\n  key_b64: |\n    {}\n  other: value\n", wrapped76.join("\n    "))),
        ("ci.json", format!("{{\"variables\": {{\"DEPLOY_KEY\": \"{b}\"}}}}\n")),
    ]
}

/// One finding per file, by file name (relative to the tree).
fn by_file(v: &Value, root: &Path) -> BTreeMap<String, Vec<Value>> {
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for f in findings(v) {
        let path = Path::new(f["path"].as_str().unwrap());
        let rel = path.strip_prefix(root).unwrap_or(path).to_string_lossy().into_owned();
        out.entry(rel).or_default().push(f.clone());
    }
    out
}

#[test]
fn every_wrapping_of_a_generated_key_is_the_same_finding_as_the_plain_key() {
    let keys_dir = tree();
    let keys = generate_keys(keys_dir.path());
    assert!(keys.len() >= 9);
    let t = tree();
    for (name, pem) in &keys {
        write(t.path(), &format!("{name}/plain.pem"), pem);
        for (file, text) in wrappings(pem) {
            write(t.path(), &format!("{name}/{file}"), &text);
        }
    }
    let v = scan_json(t.path(), &["--min-confidence", "low"]).json();
    let files = by_file(&v, t.path());
    let mut checked = 0;
    for (name, pem) in &keys {
        let plain = files.get(&format!("{name}/plain.pem")).unwrap_or_else(|| panic!("{name}: plain key not found"));
        assert_eq!(plain.len(), 1, "{name}: {plain:#?}");
        let plain = &plain[0];
        let fp = plain["fingerprint"].as_str().unwrap();
        if *name != "pgp" {
            assert!(plain["key"].is_object(), "{name}: the plain key is analysed: {plain:#?}");
            let encrypted = name.contains("encrypted");
            assert_eq!(plain["key"]["encrypted"], encrypted, "{name}");
            assert_eq!(plain["severity"], if encrypted { "low" } else { "high" }, "{name}");
        }
        for (file, _) in wrappings(pem) {
            let got = files.get(&format!("{name}/{file}")).unwrap_or_else(|| panic!("{name}/{file}: not found"));
            assert_eq!(got.len(), 1, "{name}/{file}: one finding: {got:#?}");
            let f = &got[0];
            assert_eq!(f["fingerprint"], fp, "{name}/{file}: same fingerprint as the plain key");
            assert_eq!(f["rule"], plain["rule"], "{name}/{file}");
            assert_eq!(f["key"], plain["key"], "{name}/{file}: same analysis (encrypted, type, bits …)");
            assert_eq!(f["severity"], plain["severity"], "{name}/{file}");
            checked += 1;
        }
    }
    assert!(checked >= 9 * 14, "{checked}");
    let credentials = v["credentials"].as_array().unwrap();
    assert_eq!(credentials.len(), keys.len(), "one credential per key, however many wrappings");
    let text = serde_json::to_string(&v).unwrap();
    let body_line = keys[0].1.lines().nth(2).unwrap();
    assert!(!text.contains(body_line), "no key material in the report");
}

/// PuTTY keys are no armor (nothing to base64-recognise), but quoted line by line or escaped they are the same key.
/// No puttygen here: the key fixtures (made by puttygen for the parser's golden test) stand in.
#[test]
fn every_wrapping_of_a_putty_key_is_the_same_finding_as_the_plain_key() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/keys");
    let t = tree();
    let names = ["ppk2_rsa2048", "ppk3_ed25519", "ppk3_ed25519_enc", "ppk2_ecdsa384"];
    let text_wrappings = |ppk: &str| {
        let mut w = wrappings(ppk);
        w.retain(|(file, _)| !matches!(*file, "secret.yaml" | "b64.env" | "wrapped.yaml" | "ci.json" | "one-line.ts"));
        w
    };
    for name in names {
        let ppk = std::fs::read_to_string(dir.join(format!("{name}.ppk"))).unwrap();
        write(t.path(), &format!("{name}/plain.ppk"), &ppk);
        for (file, text) in text_wrappings(&ppk) {
            write(t.path(), &format!("{name}/{file}"), &text);
        }
    }
    let v = scan_json(t.path(), &["--min-confidence", "low"]).json();
    let files = by_file(&v, t.path());
    for name in names {
        let plain = &files[&format!("{name}/plain.ppk")][0];
        assert_eq!(plain["rule"], "private-key-putty");
        assert_eq!(plain["key"]["encrypted"], name.ends_with("_enc"), "{name}");
        let ppk = std::fs::read_to_string(dir.join(format!("{name}.ppk"))).unwrap();
        for (file, _) in text_wrappings(&ppk) {
            let got = files.get(&format!("{name}/{file}")).unwrap_or_else(|| panic!("{name}/{file}: not found"));
            assert_eq!(got.len(), 1, "{name}/{file}: {got:#?}");
            assert_eq!(got[0]["fingerprint"], plain["fingerprint"], "{name}/{file}");
            assert_eq!(got[0]["key"], plain["key"], "{name}/{file}");
        }
    }
}

#[test]
fn wrapped_placeholders_public_keys_and_certificates_are_not_keys() {
    let keys_dir = tree();
    openssl(keys_dir.path(), &["genpkey", "-algorithm", "ed25519", "-out", "k.pem"]);
    openssl(keys_dir.path(), &["pkey", "-in", "k.pem", "-pubout", "-out", "pub.pem"]);
    let args = ["req", "-new", "-x509", "-key", "k.pem", "-subj", "/CN=acme.test", "-days", "1", "-out", "crt.pem"];
    openssl(keys_dir.path(), &args);
    let read = |f: &str| std::fs::read_to_string(keys_dir.path().join(f)).unwrap();
    let t = tree();
    for (what, pem) in [("pub", read("pub.pem")), ("crt", read("crt.pem"))] {
        for (file, text) in wrappings(&pem) {
            write(t.path(), &format!("{what}/{file}"), &text);
        }
    }
    let placeholder = "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n";
    for (file, text) in wrappings(placeholder) {
        write(t.path(), &format!("placeholder/{file}"), &text);
    }
    write(
        t.path(),
        "parser.py",
        "BEGIN = \"-----BEGIN RSA PRIVATE KEY-----\"\nEND = \"-----END RSA PRIVATE KEY-----\"\n",
    );
    let v = scan_json(t.path(), &["--min-confidence", "low"]).json();
    // The dotenv parser's name-based judgement (a certificate under SIGNING_KEY in a .env) is not a key rule's.
    let keys: Vec<&Value> = findings(&v).iter().filter(|f| f["rule"] != "dotenv-secret").collect();
    assert_eq!(keys, Vec::<&Value>::new());
}

#[test]
fn basic_authorization_names_the_user_and_fingerprints_the_password() {
    let mut rng = Rng::new();
    let (user, password) = (format!("svc-{}", rng.string(b"abcdefghij", 6)), rng.string(B62, 20));
    let token = b64(format!("{user}:{password}").as_bytes());
    let t = tree();
    write(
        t.path(),
        "api/reports.http",
        &format!("GET https://reports.acme.test/v1/export\nAuthorization: Basic {token}\n"),
    );
    write(
        t.path(),
        "scripts/export.sh",
        &format!("curl -fsS -H 'Authorization: Basic {token}' https://reports.acme.test\n"),
    );
    write(t.path(), "app/.env", &format!("REPORTS_PASSWORD={password}\n"));
    let dummy = b64(b"user:password");
    let rfc = b64(b"Aladdin:open sesame");
    let not_pair = b64(&[0x9f, 0x12, 0xee, 0x00, 0x41, 0x7a, 0x80, 0x33, 0x10]);
    let negatives = format!(
        "Authorization: Basic {dummy}\nAuthorization: Basic {rfc}\nAuthorization: Basic {not_pair}\nAuthorization: Basic {{{{creds}}}}\n"
    );
    write(t.path(), "docs/auth.md", &negatives);
    let run = scan_json(t.path(), &[]);
    assert!(!run.stdout().contains(&password) && !run.stdout().contains(&token), "no secret without --include-secrets");
    let v = run.json();
    let files = by_file(&v, t.path());
    assert!(!files.contains_key("docs/auth.md"), "{:#?}", files.get("docs/auth.md"));
    for file in ["api/reports.http", "scripts/export.sh"] {
        let f = &files[file][0];
        assert_eq!((f["rule"].as_str(), f["kind"].as_str()), (Some("authorization-basic"), Some("password")), "{file}");
        assert_eq!(f["identifier"], user, "{file}: the user is the identifier");
        assert_eq!(f["fingerprint"], sha256(&password), "{file}: the fingerprint is the password's");
    }
    let env = &files["app/.env"][0];
    assert_eq!(env["fingerprint"], sha256(&password), "the same password in a .env");
    let credential = v["credentials"].as_array().unwrap().iter().find(|c| c["fingerprint"] == sha256(&password));
    assert!(credential.is_some(), "one credential for the password, wherever it is written");
}

#[test]
fn bearer_tokens_are_found_and_references_are_not() {
    let mut rng = Rng::new();
    let opaque = rng.string(B62, 32);
    let hex = rng.string(b"0123456789abcdef", 40);
    let ghp = github_token(&mut rng);
    let t = tree();
    let http = format!("GET https://api.acme.test/v1/items\nAuthorization: Bearer {opaque}\n");
    write(t.path(), "requests/items.http", &http);
    write(
        t.path(),
        "bin/deploy.sh",
        &format!("curl -H \"Authorization: token {hex}\" https://git.acme.test/api/v3/user\n"),
    );
    write(t.path(), "src/client.go", &format!("\treq.Header.Set(\"Authorization\", \"Bearer {ghp}\")\n"));
    let postman = format!(
        "{{\"item\": [{{\"request\": {{\"auth\": {{\"type\": \"bearer\", \"bearer\": [{{\"key\": \"token\", \"value\": \"{opaque}\", \"type\": \"string\"}}]}}}}}}]}}\n"
    );
    write(t.path(), "postman/collection.json", &postman);
    let notebook = format!(
        "{{\"cells\": [{{\"cell_type\": \"code\", \"source\": [\"r = requests.get(url, headers={{\\\"Authorization\\\": \\\"Bearer {opaque}\\\"}})\\n\"]}}]}}\n"
    );
    write(t.path(), "nb/explore.ipynb", &notebook);
    let refs = [
        "curl -H \"Authorization: Bearer $API_TOKEN\" https://api.acme.test",
        "Authorization: Bearer ${{ secrets.DEPLOY_TOKEN }}",
        "Authorization: Bearer {{token}}",
        "Authorization: Bearer <token>",
        "headers = {\"Authorization\": \"Bearer \" + token}",
        "headers = {\"Authorization\": f\"Bearer {token}\"}",
    ];
    write(t.path(), "docs/refs.md", &refs.join("\n"));
    let v = scan_json(t.path(), &[]).json();
    let files = by_file(&v, t.path());
    assert!(!files.contains_key("docs/refs.md"), "{:#?}", files.get("docs/refs.md"));
    for (file, fp) in [
        ("requests/items.http", &opaque),
        ("bin/deploy.sh", &hex),
        ("postman/collection.json", &opaque),
        ("nb/explore.ipynb", &opaque),
    ] {
        let got = files.get(file).unwrap_or_else(|| panic!("{file}: {files:#?}"));
        assert_eq!(got.len(), 1, "{file}: {got:#?}");
        assert_eq!(got[0]["rule"], "authorization-header-token", "{file}");
        assert_eq!(got[0]["fingerprint"], sha256(fp), "{file}");
    }
    let go = &files["src/client.go"];
    assert_eq!(
        (go.len(), go[0]["rule"].as_str()),
        (1, Some("github-pat-classic")),
        "a provider's token keeps its rule"
    );
}

#[test]
fn postman_exports_auth_settings_and_secret_variables() {
    let mut rng = Rng::new();
    let (password, api_key, env_token) = (rng.string(B62, 18), rng.string(B62, 40), rng.string(B62, 32));
    // Written in Postman's own field order (key, value, type), as its exports are.
    let entry = |k: &str, v: &str, ty: &str| format!("{{\"key\": \"{k}\", \"value\": \"{v}\", \"type\": \"{ty}\"}}");
    let collection = format!(
        "{{\"info\": {{\"name\": \"Reports\"}},\n \"auth\": {{\"type\": \"basic\", \"basic\": [{}, {}]}},\n \"item\": [{{\"request\": {{\"auth\": {{\"type\": \"apikey\", \"apikey\": [{}, {}]}}}}}}, {{\"request\": {{\"auth\": {{\"type\": \"basic\", \"basic\": [{}]}}}}}}]}}\n",
        entry("password", &password, "string"),
        entry("username", "ci-reports", "string"),
        entry("key", "X-API-Key", "string"),
        entry("value", &api_key, "string"),
        entry("password", "{{password}}", "string"),
    );
    let environment = format!(
        "{{\"name\": \"prod\", \"values\": [\n  {},\n  {},\n  {}\n]}}\n",
        entry("baseUrl", "https://reports.acme.test", "default"),
        entry("reportsToken", &env_token, "secret"),
        entry("emptySecret", "", "secret"),
    );
    let t = tree();
    write(t.path(), "postman/Reports.postman_collection.json", &collection);
    write(t.path(), "postman/prod.postman_environment.json", &environment);
    let v = scan_json(t.path(), &[]).json();
    let mut got: Vec<(String, String)> = findings(&v)
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().into(), f["fingerprint"].as_str().unwrap().into()))
        .collect();
    got.sort();
    let mut want = vec![
        ("postman-auth-secret".to_owned(), sha256(&password)),
        ("postman-auth-secret".to_owned(), sha256(&api_key)),
        ("postman-environment-secret".to_owned(), sha256(&env_token)),
    ];
    want.sort();
    assert_eq!(got, want, "{:#?}", findings(&v));
    let env = findings(&v).iter().find(|f| f["rule"] == "postman-environment-secret").unwrap();
    assert_eq!(env["identifier"], "reportsToken");
}

#[test]
fn wireguard_keys_in_any_conf_file() {
    let mut rng = Rng::new();
    let mut key = || {
        let bytes: Vec<u8> = (0..32).map(|_| rng.next() as u8).collect();
        b64(&bytes)
    };
    let (private, psk, peer) = (key(), key(), key());
    let conf = format!(
        "[Interface]\nPrivateKey = {private}\nAddress = 10.64.3.2/32\n\n[Peer]\nPublicKey = {peer}\nPresharedKey = {psk}\nAllowedIPs = 0.0.0.0/0\nEndpoint = 185.65.134.80:51820\n"
    );
    let t = tree();
    write(t.path(), "Downloads/se-got-wg-004.conf", &conf);
    write(t.path(), "vpn/office", &conf);
    let doc = "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nListenPort = 51820\n";
    write(t.path(), "docs/wg.md", doc);
    let v = scan_json(t.path(), &[]).json();
    let files = by_file(&v, t.path());
    assert!(!files.contains_key("docs/wg.md"), "wg(8)'s example key is documentation");
    for file in ["Downloads/se-got-wg-004.conf", "vpn/office"] {
        let mut got: Vec<(String, String)> = files[file]
            .iter()
            .map(|f| (f["rule"].as_str().unwrap().to_owned(), f["fingerprint"].as_str().unwrap().to_owned()))
            .collect();
        got.sort();
        let want = [
            ("wireguard-preshared-key".to_owned(), sha256(&psk)),
            ("wireguard-private-key".to_owned(), sha256(&private)),
        ];
        assert_eq!(got, want, "{file}: the peer's PublicKey is public");
    }
}

#[test]
fn kaggle_json_key_with_its_user() {
    let mut rng = Rng::new();
    let key = rng.string(b"0123456789abcdef", 32);
    let t = tree();
    write(t.path(), ".kaggle/kaggle.json", &format!("{{\"username\":\"ada-ml\",\"key\":\"{key}\"}}"));
    write(t.path(), "notebooks/kaggle.json", "{\"username\":\"your-username\",\"key\":\"YOUR_KEY\"}");
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert_eq!(fs[0]["identifier"], "ada-ml");
    assert_eq!(fs[0]["context"]["tool"], "kaggle");
    assert_eq!(fs[0]["fingerprint"], sha256(&key));
}
