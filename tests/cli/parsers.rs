//! Format-aware parsers: MCP client configs, .env files, shell history, credential files of CLI tools.
use std::process::Command;

use crate::common::{aws_key_id, findings, github_token, scan_json, sha256, tree, write, Rng, B62};

#[test]
fn mcp_configs_report_client_server_field_and_list_references() {
    let mut rng = Rng::new();
    let t = tree();
    let gh = github_token(&mut rng);
    let pw = rng.string(B62, 20);
    let cfg = format!(
        r#"{{
  "mcpServers": {{
    "github": {{
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": {{ "GITHUB_PERSONAL_ACCESS_TOKEN": "{gh}" }}
    }},
    "postgres": {{
      "command": "mcp-postgres",
      "env": {{ "DB_PASSWORD": "{pw}", "API_TOKEN": "${{env:API_TOKEN}}" }}
    }}
  }}
}}
"#
    );
    write(t.path(), ".config/Claude/claude_desktop_config.json", &cfg);
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 2, "{fs:#?}");
    let tok = fs.iter().find(|f| f["fingerprint"] == sha256(&gh)).unwrap();
    assert_eq!(tok["rule"], "github-pat-classic", "the specific token rule keeps the finding");
    assert_eq!(tok["context"]["tool"], "claude-desktop");
    assert_eq!(tok["context"]["server"], "github");
    assert_eq!(tok["line"], 6);
    let p = fs.iter().find(|f| f["fingerprint"] == sha256(&pw)).unwrap();
    assert_eq!(p["rule"], "mcp-config-secret");
    assert_eq!(p["context"]["server"], "postgres");
    assert_eq!(p["context"]["variable"], "DB_PASSWORD");
    assert_eq!(p["line"], 10);
    let refs = v["references"].as_array().unwrap();
    assert!(
        refs.iter().any(|r| r["reference"] == "${env:API_TOKEN}" && r["context"]["server"] == "postgres"),
        "{refs:?}"
    );
    let text = serde_json::to_string(&v).unwrap();
    assert!(!text.contains(&pw) && !text.contains(&gh), "no raw secret");
}

#[test]
fn dotenv_files_report_variables_and_skip_placeholders_and_references() {
    let mut rng = Rng::new();
    let t = tree();
    let pw = rng.string(B62, 24);
    let gh = github_token(&mut rng);
    write(
        t.path(),
        "app/.env",
        &format!(
            "# settings\nexport DB_PASSWORD=\"{pw}\"\nGITHUB_TOKEN={gh}\nAPI_KEY=${{VAULT_API_KEY}}\nDEBUG=true\nPORT=8080\nSECRET_KEY=changeme\n"
        ),
    );
    write(t.path(), "app/.env.example", &format!("DB_PASSWORD=your-password-here\nSESSION_SECRET={}\n", "x".repeat(3)));
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 2, "{fs:#?}");
    let p = fs.iter().find(|f| f["fingerprint"] == sha256(&pw)).expect("name-based secret");
    assert_eq!(p["rule"], "dotenv-secret");
    assert_eq!(p["context"]["variable"], "DB_PASSWORD");
    assert_eq!((p["line"].as_u64(), p["column"].as_u64()), (Some(2), Some(21)));
    let g = fs.iter().find(|f| f["fingerprint"] == sha256(&gh)).expect("token");
    assert_eq!(g["rule"], "github-pat-classic");
    assert_eq!(g["context"]["variable"], "GITHUB_TOKEN");
    assert!(v["references"].as_array().unwrap().iter().any(|r| r["context"]["variable"] == "API_KEY"));
}

#[test]
fn shell_history_commands_with_secrets() {
    let mut rng = Rng::new();
    let t = tree();
    let bearer = rng.string(B62, 32);
    let mysql_pw = rng.string(B62, 16);
    write(
        t.path(),
        ".bash_history",
        &format!("ls -la\ncurl -H 'Authorization: Bearer {bearer}' https://api.example.net/v1\nmysql -u app -p{mysql_pw} prod\nexport TOKEN=$OTHER\n"),
    );
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    let b = fs.iter().find(|f| f["fingerprint"] == sha256(&bearer)).expect("bearer token in curl");
    // The Authorization-header rule knows what the value is; the history parser says where it was typed.
    assert_eq!(b["rule"], "authorization-header-token");
    assert_eq!(b["context"]["tool"], "bash-history", "{b:#?}");
    assert_eq!(b["line"], 2);
    assert!(fs.iter().any(|f| f["fingerprint"] == sha256(&mysql_pw)), "mysql -p password");
    assert_eq!(fs.len(), 2, "{fs:#?}");
}

#[test]
fn credential_files_are_parsed_with_tool_profile_and_identifier() {
    use base64::Engine as _;
    let mut rng = Rng::new();
    let t = tree();
    let key_id = aws_key_id(&mut rng);
    let secret = rng.string(B62, 40);
    write(
        t.path(),
        ".aws/credentials",
        &format!("[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n\n[ci]\ncredential_process = /usr/bin/get-creds\n"),
    );
    let docker_pw = rng.string(B62, 20);
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("deploy:{docker_pw}"));
    write(
        t.path(),
        ".docker/config.json",
        &format!("{{\n  \"auths\": {{\n    \"registry.example.net\": {{ \"auth\": \"{auth}\" }}\n  }}\n}}\n"),
    );
    let pem_path = t.path().join("client.key");
    let out = Command::new("openssl")
        .args(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out"])
        .arg(&pem_path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let pem = std::fs::read(&pem_path).unwrap();
    std::fs::remove_file(&pem_path).unwrap();
    let key_data = base64::engine::general_purpose::STANDARD.encode(&pem);
    write(
        t.path(),
        ".kube/config",
        &format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: admin@prod\n  user:\n    client-key-data: {key_data}\n"
        ),
    );
    let v = scan_json(t.path(), &[]).json();
    let fs = findings(&v);
    let s = fs.iter().find(|f| f["fingerprint"] == sha256(&secret)).expect("AWS secret key");
    // The profile's key id names it, as the key id's own finding does: by its account, never the id in full.
    let id = fs.iter().find(|f| f["fingerprint"] == sha256(&key_id)).expect("the key id's own finding");
    assert_eq!(s.get("identifier"), id.get("identifier"), "one identifier for both halves of the key pair");
    assert!(!v.to_string().contains(key_id.as_str()), "the key id is redacted everywhere");
    assert_eq!(s["context"]["tool"], "aws-cli");
    assert_eq!(s["context"]["profile"], "default");
    let d = fs.iter().find(|f| f["fingerprint"] == sha256(&docker_pw)).expect("docker auth decoded");
    assert_eq!(d["identifier"], "deploy");
    assert_eq!(d["context"]["tool"], "docker");
    assert_eq!(d["line"], 3);
    let k = fs.iter().find(|f| f["kind"] == "private-key").expect("kubeconfig client key");
    assert_eq!(k["context"]["tool"], "kubectl");
    assert_eq!(k["key"]["curve"], "nistp256");
    assert_eq!(k["key"]["encrypted"], false);
}
