//! Content fingerprints and location ids — a contract other tools read (README.md, "Fingerprints").
//!
//! * `fingerprint` = `"sha256:"` + lowercase hex SHA-256 of the secret's exact bytes. For armored private keys (RFC
//!   7468 / RFC 1421 PEM, OpenSSH) it is taken over the base64-decoded body, so line wrapping, CRLF, indentation,
//!   `\n` or `\\n` escapes, quoting line by line in source code or a base64 encoding of the whole block don't change
//!   it (see [`crate::wrapping`]); for PuTTY keys over the decoded `Private-Lines`; for HTTP Basic credentials over
//!   the decoded password. The same secret found by any rule, in any file, on any host has the same fingerprint, and
//!   anyone holding a secret can compute it to look it up.
//! * `id` (location id) = `"loc:v1:"` + the first 32 hex digits of SHA-256 over `fingerprint`, a NUL byte and the
//!   path's raw bytes. It does not involve the line, so edits above a secret keep its id.
//!
//! * With an organisation key (`--fingerprint-key-file`), `fingerprint` = `"hmac-sha256:"` + lowercase hex
//!   HMAC-SHA256 (RFC 2104) keyed with it, over the same normalised bytes. A plain SHA-256 of a low-entropy password
//!   can be brute-forced by whoever steals a report; a keyed one can't without the key, while every host of the
//!   organisation still produces the same value for the same secret, so the registry still correlates them.
//!
//! The raw secret is hashed here and never stored elsewhere (unless `--include-secrets`).
use std::path::Path;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::{rules::FingerprintKind, wrapping};

/// `sha256:<hex>` of some bytes.
pub fn sha256_tag(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// The fingerprint of a secret, normalised according to its kind.
pub fn fingerprint(kind: FingerprintKind, secret: &[u8]) -> String {
    Fingerprinter::default().fingerprint(kind, secret)
}

/// Shortest organisation key accepted: 128 bits, whatever its encoding in the file.
const MIN_KEY_LEN: usize = 16;

/// How fingerprints are made: plain SHA-256, or HMAC-SHA256 with an organisation key.
#[derive(Clone, Default)]
pub struct Fingerprinter {
    key: Option<Vec<u8>>,
}

// The key is a secret of its own: never in debug output.
impl std::fmt::Debug for Fingerprinter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.key.is_some() { "Fingerprinter(hmac-sha256)" } else { "Fingerprinter(sha256)" })
    }
}

impl Fingerprinter {
    /// Keyed fingerprints with `key` (the bytes as given; hex or base64 text is used as text, so every host that
    /// holds the same file computes the same values).
    pub fn keyed(key: Vec<u8>) -> anyhow::Result<Fingerprinter> {
        if key.len() < MIN_KEY_LEN {
            anyhow::bail!("the fingerprint key must be at least {MIN_KEY_LEN} bytes (e.g. `openssl rand -hex 32`)");
        }
        Ok(Fingerprinter { key: Some(key) })
    }

    /// Read an organisation key file: its content without surrounding whitespace (a trailing newline from `echo`
    /// or an editor must not change every fingerprint). Errors say which file, never what it holds.
    pub fn from_key_file(path: &Path) -> anyhow::Result<Fingerprinter> {
        let bytes = std::fs::read(path).map_err(|e| {
            anyhow::anyhow!(
                "--fingerprint-key-file: cannot read '{}': {}",
                path.display(),
                crate::reason::input_file_reason(&e)
            )
        })?;
        let key = bytes.trim_ascii().to_vec();
        Fingerprinter::keyed(key).map_err(|e| anyhow::anyhow!("--fingerprint-key-file '{}': {e}", path.display()))
    }

    pub fn is_keyed(&self) -> bool {
        self.key.is_some()
    }

    /// The fingerprint of a secret, normalised according to its kind (PEM and PuTTY bodies decoded, Basic credentials
    /// decoded to their password).
    pub fn fingerprint(&self, kind: FingerprintKind, secret: &[u8]) -> String {
        let decoded = match kind {
            FingerprintKind::Raw => None,
            FingerprintKind::Pem => pem_body(secret),
            FingerprintKind::Putty => putty_private_blob(secret),
            FingerprintKind::BasicAuth => wrapping::basic(secret).map(|b| b.secret().to_vec()),
        };
        let bytes = decoded.as_deref().unwrap_or(secret);
        match &self.key {
            None => sha256_tag(bytes),
            Some(key) => {
                let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
                mac.update(bytes);
                format!("hmac-sha256:{}", hex::encode(mac.finalize().into_bytes()))
            }
        }
    }
}

/// Location id of a finding: fingerprint + path, never the line.
pub fn location_id(fingerprint: &str, path: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(fingerprint.as_bytes());
    h.update([0u8]);
    h.update(path);
    format!("loc:v1:{}", &hex::encode(h.finalize())[..32])
}

/// The decoded body of an armored block: what lies between `-----BEGIN …-----` and `-----END …-----`, minus RFC 1421
/// headers (`Proc-Type:`, `DEK-Info:`), OpenPGP's CRC line and whitespace, in any wrapping [`wrapping::armored`]
/// undoes (escaped, quoted line by line in source code, base64-encoded). `None` when it isn't valid base64.
pub fn pem_body(block: &[u8]) -> Option<Vec<u8>> {
    let text = wrapping::armored(block);
    let rest = &text[text.find("-----BEGIN ")? + "-----BEGIN ".len()..];
    let label_len = rest.find("-----")?;
    let pgp = rest[..label_len].contains("PGP");
    let body = &rest[label_len + "-----".len()..];
    let body = &body[..body.find("-----END ").unwrap_or(body.len())];
    let mut b64 = String::new();
    for line in body.lines().map(str::trim) {
        // OpenPGP armor (RFC 4880 §6.2) ends the body with a `=XXXX` CRC-24 line that is not part of the data.
        if line.contains(':') || (pgp && line.starts_with('=')) {
            continue;
        }
        b64.extend(line.chars().filter(|c| !c.is_whitespace()));
    }
    if b64.is_empty() {
        return None;
    }
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim_end_matches('='))
        .ok()
        .or_else(|| base64::engine::general_purpose::STANDARD_NO_PAD.decode(b64.trim_end_matches('=')).ok())
}

/// The decoded `Private-Lines` of a PuTTY key file.
pub fn putty_private_blob(text: &[u8]) -> Option<Vec<u8>> {
    let text = wrapping::armored(text);
    let mut lines = text.lines();
    let mut b64 = String::new();
    while let Some(line) = lines.next() {
        if let Some(n) = line.trim().strip_prefix("Private-Lines:") {
            let n: usize = n.trim().parse().ok()?;
            for _ in 0..n {
                b64.push_str(lines.next()?.trim());
            }
            break;
        }
    }
    if b64.is_empty() {
        return None;
    }
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_tag_is_pinned() {
        // Pinned: changing the fingerprint scheme breaks every registry and baseline; it needs a new version tag.
        assert_eq!(sha256_tag(b"abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(fingerprint(FingerprintKind::Raw, b"abc"), sha256_tag(b"abc"));
    }

    #[test]
    fn pem_fingerprint_ignores_wrapping_crlf_and_escapes() {
        let body = base64::engine::general_purpose::STANDARD.encode([7u8; 120]);
        let (a, b) = body.split_at(64);
        let plain = format!("-----BEGIN PRIVATE KEY-----\n{a}\n{b}\n-----END PRIVATE KEY-----\n");
        let crlf = plain.replace('\n', "\r\n");
        let one_line = format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----");
        let escaped = plain.replace('\n', "\\n");
        let indented = plain.lines().map(|l| format!("    {l}\n")).collect::<String>();
        let want = sha256_tag(&[7u8; 120]);
        for v in [&plain, &crlf, &one_line, &escaped, &indented] {
            assert_eq!(fingerprint(FingerprintKind::Pem, v.as_bytes()), want, "{v}");
        }
    }

    #[test]
    fn pem_fingerprint_ignores_source_quoting_and_base64() {
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let body = b64(&[5u8; 150]);
        let (a, b) = body.split_at(64);
        let plain = format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{a}\n{b}\n-----END OPENSSH PRIVATE KEY-----\n");
        let lines: Vec<&str> = plain.lines().collect();
        let python = lines.iter().map(|l| format!("    \"{l}\\n\"")).collect::<Vec<_>>().join("\n");
        let java = lines.iter().map(|l| format!("\"{l}\\n\"")).collect::<Vec<_>>().join(" +\n    ");
        let want = sha256_tag(&[5u8; 150]);
        for v in [plain.clone(), python, java, b64(plain.as_bytes()), plain.replace('\n', "\\\\n")] {
            assert_eq!(fingerprint(FingerprintKind::Pem, v.as_bytes()), want, "{v}");
        }
    }

    #[test]
    fn basic_credentials_are_fingerprinted_by_their_password() {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let fp = |s: &str| fingerprint(FingerprintKind::BasicAuth, s.as_bytes());
        assert_eq!(fp(&b64("deploy:Zq8#rT2!pw")), sha256_tag(b"Zq8#rT2!pw"), "the password alone");
        assert_eq!(fp(&b64("other-user:Zq8#rT2!pw")), fp(&b64("deploy:Zq8#rT2!pw")), "whoever's it is");
        assert_eq!(fp(&b64("sk_live_51Hx:")), sha256_tag(b"sk_live_51Hx"), "a key sent as the user");
        assert_eq!(fp("not base64!"), sha256_tag(b"not base64!"), "not a credential: as written");
    }

    #[test]
    fn pem_headers_are_skipped() {
        let body = base64::engine::general_purpose::STANDARD.encode([1u8, 2, 3, 4, 5, 6]);
        let block = format!(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00FF\n\n{body}\n-----END RSA PRIVATE KEY-----\n"
        );
        assert_eq!(pem_body(block.as_bytes()).unwrap(), vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn pgp_armor_checksum_is_not_body() {
        let block = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nAQID\nBAUG\n=Qc8K\n-----END PGP PRIVATE KEY BLOCK-----\n";
        assert_eq!(pem_body(block.as_bytes()).unwrap(), vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn putty_private_lines() {
        let text = "PuTTY-User-Key-File-2: ssh-ed25519\nEncryption: none\nComment: c\nPublic-Lines: 1\nAAAA\nPrivate-Lines: 2\nAQID\nBAUG\nPrivate-MAC: 00\n";
        assert_eq!(putty_private_blob(text.as_bytes()).unwrap(), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(fingerprint(FingerprintKind::Putty, text.as_bytes()), sha256_tag(&[1, 2, 3, 4, 5, 6]));
    }

    #[test]
    fn keyed_fingerprint_is_rfc_4231_hmac() {
        // RFC 4231 test case 2 has a 4-byte key, below our minimum; test case 7's key is 131 bytes of 0xaa.
        let fp = Fingerprinter::keyed(vec![0xaa; 131]).unwrap();
        let data = b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.";
        assert_eq!(
            fp.fingerprint(FingerprintKind::Raw, data),
            "hmac-sha256:9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        );
        assert!(Fingerprinter::keyed(b"short".to_vec()).is_err());
        // Keyed and plain differ, two keys differ, and PEM bodies are still decoded first.
        let body = base64::engine::general_purpose::STANDARD.encode([9u8; 48]);
        let pem = format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n");
        let k1 = Fingerprinter::keyed(b"0123456789abcdef0123".to_vec()).unwrap();
        let k2 = Fingerprinter::keyed(b"0123456789abcdef0124".to_vec()).unwrap();
        assert_eq!(
            k1.fingerprint(FingerprintKind::Pem, pem.as_bytes()),
            k1.fingerprint(FingerprintKind::Raw, &[9u8; 48])
        );
        assert_ne!(k1.fingerprint(FingerprintKind::Raw, b"x"), k2.fingerprint(FingerprintKind::Raw, b"x"));
        assert!(!format!("{k1:?}").contains("0123"), "the key never shows in debug output");
    }

    #[test]
    fn location_id_depends_on_path_not_line() {
        let f = sha256_tag(b"s");
        assert_eq!(location_id(&f, b"a/b"), location_id(&f, b"a/b"));
        assert_ne!(location_id(&f, b"a/b"), location_id(&f, b"a/c"));
        assert!(location_id(&f, b"x").starts_with("loc:v1:"));
    }
}
