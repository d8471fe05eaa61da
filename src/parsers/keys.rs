//! Private-key parser: what can be learned about a private key *without* its passphrase.
//!
//! Formats: OpenSSH `openssh-key-v1` (PROTOCOL.key); traditional PEM `RSA/EC/DSA PRIVATE KEY`
//! (RFC 1421 `Proc-Type`/`DEK-Info`, RFC 8017 PKCS#1, RFC 5915 SEC1, OpenSSL's DSA sequence);
//! PKCS#8 `PRIVATE KEY`/`ENCRYPTED PRIVATE KEY` (RFC 5958, RFC 8018 PBES1/2); PuTTY `.ppk` v2/v3.
//! The fingerprint is SHA-256 of the SSH wire-format public key blob, printed like `ssh-keygen
//! -lf`. OpenSSH and PuTTY keep that blob in the clear (so encrypted keys get one too); for
//! unencrypted PEM/PKCS#8 it is rebuilt from the DER (Ed25519: derived from the seed).
//!
//! Design: DER is read by a strict ~30-line TLV reader (definite lengths, all bounds-checked)
//! rather than the RustCrypto `der`/`pkcs1`/`pkcs8`/`sec1` crates: we need a few fields from four
//! structures plus DSA (no crate) and PBES scheme names. OpenSSH/PPK use a small SSH-wire reader;
//! the `ssh-key` crate was rejected (PPK only in 0.7 pre-releases, PEM decoder wants canonical
//! line wrapping, large cipher/KDF tree). Never panics; inputs over 1 MiB are refused; error
//! messages are fixed strings that never echo input.
//!
//! Not covered: fingerprints of PKCS#8 DSA keys (y = g^x mod p needs bignum math) and of SEC1 keys
//! without the optional publicKey; EC curves other than P-256/384/521 (type "ecdsa", no curve);
//! ssh.com, PuTTY v1 and PGP key formats.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// What was learned about a private key without any passphrase.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KeyInfo {
    pub format: KeyFormat,
    pub encrypted: bool,
    /// "rsa" | "ecdsa" | "ed25519" | "dsa" | "ecdsa-sk" | "ed25519-sk" | other SSH key type name.
    pub key_type: Option<String>,
    /// RSA modulus bits, DSA p bits, EC field bits (256/384/521), 256 for ed25519.
    pub bits: Option<u32>,
    /// "nistp256" | "nistp384" | "nistp521" | "ed25519".
    pub curve: Option<String>,
    /// OpenSSH (only when unencrypted) and PuTTY (always in the clear).
    pub comment: Option<String>,
    /// e.g. "aes256-ctr", "AES-128-CBC", "aes256-cbc" (PPK), "pbes2-aes-256-cbc" (PKCS#8).
    pub cipher: Option<String>,
    /// Exactly as `ssh-keygen -lf` prints it.
    pub public_fingerprint: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyFormat {
    OpensshV1,
    PemRsa,
    PemEc,
    PemDsa,
    Pkcs8,
    Pkcs8Encrypted,
    PuttyV2,
    PuttyV3,
}

/// Why a text could not be read as a private key. Messages never contain key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("no private key armor or PuTTY key header found")]
    NotFound,
    #[error("private key armor has no matching END line")]
    Unterminated,
    #[error("input larger than 1 MiB")]
    TooLarge,
    #[error("key body is not valid base64")]
    Base64,
    #[error("malformed {0}")]
    Malformed(&'static str),
    #[error("unsupported {0}")]
    Unsupported(&'static str),
}

type Result<T> = std::result::Result<T, KeyError>;

const MAX_INPUT: usize = 1 << 20;
const BAD_OPENSSH: KeyError = KeyError::Malformed("openssh-key-v1 data");
const BAD_DER: KeyError = KeyError::Malformed("DER key structure");
const BAD_PPK: KeyError = KeyError::Malformed("PuTTY key file");
const BAD_BLOB: KeyError = KeyError::Malformed("SSH public key blob");
const BAD_CHECKINT: KeyError = KeyError::Malformed("openssh private section (check integers differ)");
const BAD_PRIVATE_TYPE: KeyError = KeyError::Malformed("openssh private section (key type differs)");
const BAD_PPK_TYPE: KeyError = KeyError::Malformed("PuTTY key file (algorithm differs from key)");
/// Standard alphabet, padding optional (scanned text is not always canonical).
const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Parse one armored private-key block or PuTTY key file text. `text` may have CRLF line ends or
/// leading indentation (YAML), and be in any wrapping [`crate::wrapping::armored`] undoes: `\n` or
/// `\\n` escapes, quoted line by line in source code, base64-encoded as a whole. So a key gives the
/// same [`KeyInfo`] however it is written down. Never panics on any input; returns an error for garbage.
pub fn parse_private_key(text: &[u8]) -> Result<KeyInfo> {
    if text.len() > MAX_INPUT {
        return Err(KeyError::TooLarge);
    }
    let s = crate::wrapping::armored(text);
    if s.contains("PuTTY-User-Key-File-") {
        return parse_ppk(&s);
    }
    let (label, body) = find_armor(&s)?;
    let format = match label {
        "OPENSSH PRIVATE KEY" => KeyFormat::OpensshV1,
        "RSA PRIVATE KEY" => KeyFormat::PemRsa,
        "EC PRIVATE KEY" => KeyFormat::PemEc,
        "DSA PRIVATE KEY" => KeyFormat::PemDsa,
        "PRIVATE KEY" => KeyFormat::Pkcs8,
        "ENCRYPTED PRIVATE KEY" => KeyFormat::Pkcs8Encrypted,
        _ => return Err(KeyError::Unsupported("private key armor label")),
    };
    let (headers, der) = pem_body(body)?;
    match format {
        KeyFormat::OpensshV1 => parse_openssh(&der),
        KeyFormat::Pkcs8 => pkcs8(&der).ok_or(BAD_DER),
        KeyFormat::Pkcs8Encrypted => pkcs8_encrypted(&der).ok_or(BAD_DER),
        _ => traditional(format, &headers, &der),
    }
}

/// Fingerprint of a one-line OpenSSH public key ("ssh-ed25519 AAAA... comment"), as
/// `ssh-keygen -lf` prints it. authorized_keys options before the key type are skipped.
pub fn public_key_line_fingerprint(line: &str) -> Option<String> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    tokens.windows(2).find_map(|w| {
        let blob = B64.decode(w[1]).ok()?;
        let name = Ssh(&blob).string()?;
        (name == w[0].as_bytes() && blob_info(&blob).is_some()).then(|| fingerprint(&blob))
    })
}

impl KeyInfo {
    fn new(format: KeyFormat, encrypted: bool) -> Self {
        KeyInfo {
            format,
            encrypted,
            key_type: None,
            bits: None,
            curve: None,
            comment: None,
            cipher: None,
            public_fingerprint: None,
        }
    }

    /// Fill type, bits, curve and fingerprint from an SSH wire-format public key blob.
    fn set_public(&mut self, blob: &[u8]) -> Option<()> {
        let (key_type, bits, curve) = blob_info(blob)?;
        self.key_type = Some(key_type);
        self.bits = bits;
        self.curve = curve.map(str::to_string);
        self.public_fingerprint = Some(fingerprint(blob));
        Some(())
    }
}

/// The first `-----BEGIN ... PRIVATE KEY-----` block (so `EC PARAMETERS` before it is skipped):
/// its label and the text up to its END line.
fn find_armor(s: &str) -> Result<(&str, &str)> {
    for (i, m) in s.match_indices("-----BEGIN ") {
        let after = &s[i + m.len()..];
        let Some(end) = after.find("-----") else {
            break;
        };
        let label = after[..end].trim();
        if end <= 40 && label.ends_with("PRIVATE KEY") {
            let body = &after[end + 5..];
            let j = body.find(&format!("-----END {label}-----"));
            return Ok((label, &body[..j.ok_or(KeyError::Unterminated)?]));
        }
    }
    Err(KeyError::NotFound)
}

type Headers<'a> = Vec<(&'a str, &'a str)>;

/// Split an armored body into RFC 1421 headers (`Name: value` lines) and decoded base64.
/// Whitespace inside the base64 is ignored, so a block flattened onto one line still decodes.
fn pem_body(body: &str) -> Result<(Headers<'_>, Vec<u8>)> {
    let (mut headers, mut b64) = (Vec::new(), String::with_capacity(body.len()));
    for line in body.split('\n').map(str::trim) {
        match line.split_once(':') {
            Some((k, v)) => headers.push((k.trim(), v.trim())),
            None => b64.extend(line.chars().filter(|c| !c.is_whitespace())),
        }
    }
    let der = B64.decode(b64.as_bytes()).map_err(|_| KeyError::Base64)?;
    if der.is_empty() {
        return Err(KeyError::Malformed("empty key body"));
    }
    Ok((headers, der))
}

// ---- SSH wire format (RFC 4251 §5) and public key blobs -----------------------------------------

struct Ssh<'a>(&'a [u8]);

impl<'a> Ssh<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let head = self.0.get(..n)?;
        self.0 = &self.0[n..];
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_be_bytes)
    }
    fn string(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()?;
        self.take(usize::try_from(n).ok()?)
    }
    fn skip(&mut self, n: usize) -> Option<()> {
        (0..n).try_for_each(|_| self.string().map(drop))
    }
}

fn put_string(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(data);
}

fn strip_zeros(m: &[u8]) -> &[u8] {
    &m[m.iter().position(|&b| b != 0).unwrap_or(m.len())..]
}

/// SSH mpint from an unsigned big-endian magnitude (DER INTEGER contents of a positive number).
fn put_mpint(out: &mut Vec<u8>, magnitude: &[u8]) {
    let m = strip_zeros(magnitude);
    let pad = m.first().is_some_and(|&b| b & 0x80 != 0);
    out.extend_from_slice(&((m.len() + usize::from(pad)) as u32).to_be_bytes());
    out.extend_from_slice(&[0][..usize::from(pad)]);
    out.extend_from_slice(m);
}

/// Number of significant bits in a big-endian magnitude.
fn bit_len(magnitude: &[u8]) -> u32 {
    let m = strip_zeros(magnitude);
    let top = m.first().map_or(0, |b| 8 - b.leading_zeros());
    u32::try_from(m.len().saturating_sub(1) as u64 * 8 + u64::from(top)).unwrap_or(u32::MAX)
}

fn fingerprint(blob: &[u8]) -> String {
    format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(blob)))
}

fn nist_curve(name: &[u8]) -> Option<(&'static str, u32)> {
    match name {
        b"nistp256" => Some(("nistp256", 256)),
        b"nistp384" => Some(("nistp384", 384)),
        b"nistp521" => Some(("nistp521", 521)),
        _ => None,
    }
}

type BlobInfo = (String, Option<u32>, Option<&'static str>);

/// (key type, bits, curve) of an SSH public key blob; None if a known type is malformed.
/// Other plausible type names (certificates, ssh-ed448, ...) are returned verbatim.
fn blob_info(blob: &[u8]) -> Option<BlobInfo> {
    let mut r = Ssh(blob);
    let name = std::str::from_utf8(r.string()?).ok()?;
    if name.is_empty() || name.len() > 64 || !name.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let sk = name.starts_with("sk-");
    let (key_type, bits, curve) = match name {
        "ssh-rsa" => {
            r.skip(1)?; // e
            ("rsa", bit_len(r.string()?), None)
        }
        "ssh-dss" => {
            let p = r.string()?;
            r.skip(3)?; // q, g, y
            ("dsa", bit_len(p), None)
        }
        "ssh-ed25519" | "sk-ssh-ed25519@openssh.com" => {
            // sk keys carry an application string after the key.
            if r.string()?.len() != 32 || (sk && r.string().is_none()) {
                return None;
            }
            (if sk { "ed25519-sk" } else { "ed25519" }, 256, Some("ed25519"))
        }
        "ecdsa-sha2-nistp256"
        | "ecdsa-sha2-nistp384"
        | "ecdsa-sha2-nistp521"
        | "sk-ecdsa-sha2-nistp256@openssh.com" => {
            let (curve, bits) = nist_curve(r.string()?)?;
            if !name.contains(curve) || r.string()?.is_empty() || (sk && r.string().is_none()) {
                return None;
            }
            (if sk { "ecdsa-sk" } else { "ecdsa" }, bits, Some(curve))
        }
        other => return Some((other.to_string(), None, None)),
    };
    r.0.is_empty().then(|| (key_type.to_string(), Some(bits), curve))
}

// ---- OpenSSH openssh-key-v1 (PROTOCOL.key) ------------------------------------------------------

fn parse_openssh(data: &[u8]) -> Result<KeyInfo> {
    let mut r = Ssh(data.strip_prefix(b"openssh-key-v1\0").ok_or(BAD_OPENSSH)?);
    let cipher = r.string().and_then(|c| std::str::from_utf8(c).ok());
    let cipher = cipher.ok_or(BAD_OPENSSH)?;
    r.skip(2).ok_or(BAD_OPENSSH)?; // kdfname, kdfoptions
    let nkeys = r.u32().filter(|&n| n > 0).ok_or(BAD_OPENSSH)?;
    let public = r.string().ok_or(BAD_OPENSSH)?;
    r.skip(nkeys as usize - 1).ok_or(BAD_OPENSSH)?;
    let private = r.string().ok_or(BAD_OPENSSH)?;
    let mut info = KeyInfo::new(KeyFormat::OpensshV1, cipher != "none");
    info.set_public(public).ok_or(BAD_BLOB)?;
    if info.encrypted {
        info.cipher = Some(cipher.to_string());
        return Ok(info);
    }
    let mut p = Ssh(private);
    let (c1, c2) = (p.u32(), p.u32());
    if c1.is_none() || c1 != c2 {
        return Err(BAD_CHECKINT);
    }
    let key_type = p.string().ok_or(BAD_OPENSSH)?;
    if Ssh(public).string() != Some(key_type) {
        return Err(BAD_PRIVATE_TYPE);
    }
    // Fields before the comment: this many strings, then for sk keys a flags byte and 2 strings.
    let strings = match key_type {
        b"ssh-rsa" => 6,
        b"ssh-dss" => 5,
        b"ssh-ed25519" | b"sk-ssh-ed25519@openssh.com" => 2,
        t if t.starts_with(b"ecdsa-sha2-") || t.starts_with(b"sk-ecdsa-sha2-") => 3,
        _ => return Ok(info), // unknown layout: the comment cannot be located
    };
    p.skip(strings).ok_or(BAD_OPENSSH)?;
    if key_type.starts_with(b"sk-") {
        p.take(1).and_then(|_| p.skip(2)).ok_or(BAD_OPENSSH)?;
    }
    let comment = p.string().ok_or(BAD_OPENSSH)?;
    info.comment = non_empty(&String::from_utf8_lossy(comment));
    Ok(info)
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

// ---- PuTTY .ppk v2/v3 ---------------------------------------------------------------------------

fn parse_ppk(s: &str) -> Result<KeyInfo> {
    let start = s.find("PuTTY-User-Key-File-").ok_or(KeyError::NotFound)?;
    let mut lines = s[start + 20..].split('\n').map(str::trim);
    let (version, algorithm) = lines.next().and_then(|l| l.split_once(':')).ok_or(BAD_PPK)?;
    let format = match version {
        "2" => KeyFormat::PuttyV2,
        "3" => KeyFormat::PuttyV3,
        _ => return Err(KeyError::Unsupported("PuTTY key file version")),
    };
    let (mut encryption, mut comment, mut blob) = (None, None, None);
    let count = |v: &str| v.parse::<usize>().ok().filter(|&n| n <= 4096).ok_or(BAD_PPK);
    while let Some(line) = lines.next() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name {
            "Encryption" => encryption = Some(value),
            "Comment" => comment = non_empty(value),
            "Public-Lines" => {
                let b64: Result<String> = (0..count(value)?).map(|_| lines.next().ok_or(BAD_PPK)).collect();
                blob = Some(B64.decode(b64?).map_err(|_| KeyError::Base64)?);
            }
            "Private-Lines" => {
                for _ in 0..count(value)? {
                    lines.next().ok_or(BAD_PPK)?;
                }
            }
            "Private-MAC" => break,
            _ => {} // Key-Derivation, Argon2-*: not needed
        }
    }
    let (encryption, blob) = (encryption.ok_or(BAD_PPK)?, blob.ok_or(BAD_PPK)?);
    if Ssh(&blob).string() != Some(algorithm.trim().as_bytes()) {
        return Err(BAD_PPK_TYPE);
    }
    let mut info = KeyInfo::new(format, encryption != "none");
    info.set_public(&blob).ok_or(BAD_BLOB)?;
    info.comment = comment;
    info.cipher = info.encrypted.then(|| encryption.to_string());
    Ok(info)
}

// ---- DER: strict TLV reader, traditional PEM and PKCS#8 -----------------------------------------

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const OCTETS: u8 = 0x04;
const OID: u8 = 0x06;
const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_PKCS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]; // 1.2.840.113549

struct Der<'a>(&'a [u8]);

impl<'a> Der<'a> {
    /// Next element with the given tag (single-byte tags, definite lengths of up to 4 bytes).
    fn get(&mut self, want: u8) -> Option<&'a [u8]> {
        let [tag, first, rest @ ..] = self.0 else {
            return None;
        };
        let (len, rest) = match usize::from(*first) {
            n @ 0..=0x7f => (n, rest),
            n @ 0x81..=0x84 => {
                let (len, rest) = (rest.get(..n - 0x80)?, &rest[n - 0x80..]);
                (len.iter().fold(0, |acc, &b| (acc << 8) | usize::from(b)), rest)
            }
            _ => return None, // indefinite or absurd length
        };
        let value = rest.get(..len)?;
        self.0 = &rest[len..];
        (*tag == want).then_some(value)
    }
    /// An optional element: consumed only if its tag matches.
    fn opt(&mut self, tag: u8) -> Option<&'a [u8]> {
        (self.0.first() == Some(&tag)).then(|| self.get(tag)).flatten()
    }
}

fn seq(der: &[u8]) -> Option<Der<'_>> {
    Der(der).get(SEQUENCE).map(Der)
}

/// Unencrypted traditional PEM, or the encrypted variant's RFC 1421 headers.
fn traditional(format: KeyFormat, headers: &[(&str, &str)], der: &[u8]) -> Result<KeyInfo> {
    let mut info = KeyInfo::new(format, false);
    let key_type = match format {
        KeyFormat::PemRsa => "rsa",
        KeyFormat::PemEc => "ecdsa",
        _ => "dsa",
    };
    info.key_type = Some(key_type.to_string());
    let header = |name: &str| headers.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    if header("Proc-Type").is_some_and(|v| v.contains("ENCRYPTED")) {
        info.encrypted = true;
        info.cipher = header("DEK-Info").and_then(|v| non_empty(v.split(',').next()?.trim()));
        return Ok(info);
    }
    match format {
        KeyFormat::PemRsa => rsa_pkcs1(&mut info, der),
        KeyFormat::PemEc => sec1(&mut info, der, None),
        _ => dsa_openssl(&mut info, der),
    }
    .ok_or(BAD_DER)?;
    Ok(info)
}

/// PKCS#1 RSAPrivateKey: SEQUENCE { version, n, e, ... } -> ssh-rsa blob (e, n).
fn rsa_pkcs1(info: &mut KeyInfo, der: &[u8]) -> Option<()> {
    let mut s = seq(der)?;
    s.get(INTEGER)?;
    let (n, e) = (s.get(INTEGER)?, s.get(INTEGER)?);
    let mut blob = Vec::new();
    put_string(&mut blob, b"ssh-rsa");
    put_mpint(&mut blob, e);
    put_mpint(&mut blob, n);
    info.set_public(&blob)
}

/// SEC1 ECPrivateKey: SEQUENCE { 1, d, [0] curve OID, [1] BIT STRING Q }; `alg_curve` is the
/// PKCS#8 AlgorithmIdentifier parameter. Unknown curve or absent Q: no fingerprint.
fn sec1(info: &mut KeyInfo, der: &[u8], alg_curve: Option<&[u8]>) -> Option<()> {
    let mut s = seq(der)?;
    (s.get(INTEGER)? == [1]).then_some(())?;
    s.get(OCTETS)?;
    let (params, public) = (s.opt(0xa0), s.opt(0xa1));
    info.key_type = Some("ecdsa".to_string());
    let oid = match (alg_curve, params) {
        (Some(oid), _) => oid,
        (None, Some(p)) => Der(p).get(OID)?,
        (None, None) => return None,
    };
    let curve = match oid {
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07] => "nistp256",
        [0x2b, 0x81, 0x04, 0x00, 0x22] => "nistp384",
        [0x2b, 0x81, 0x04, 0x00, 0x23] => "nistp521",
        _ => return Some(()), // e.g. secp256k1, brainpool: no SSH name
    };
    info.curve = Some(curve.to_string());
    info.bits = nist_curve(curve.as_bytes()).map(|(_, bits)| bits);
    let Some(public) = public else {
        return Some(());
    };
    let q = Der(public).get(0x03)?.strip_prefix(&[0])?; // BIT STRING, 0 unused bits
    let mut blob = Vec::new();
    put_string(&mut blob, format!("ecdsa-sha2-{curve}").as_bytes());
    put_string(&mut blob, curve.as_bytes());
    put_string(&mut blob, q);
    info.set_public(&blob)
}

/// OpenSSL's DSA private key: SEQUENCE { 0, p, q, g, y, x } -> ssh-dss blob (p, q, g, y).
fn dsa_openssl(info: &mut KeyInfo, der: &[u8]) -> Option<()> {
    let mut s = seq(der)?;
    s.get(INTEGER)?;
    let mut blob = Vec::new();
    put_string(&mut blob, b"ssh-dss");
    for _ in 0..4 {
        put_mpint(&mut blob, s.get(INTEGER)?);
    }
    info.set_public(&blob)
}

/// PKCS#8 PrivateKeyInfo / OneAsymmetricKey: SEQUENCE { version, AlgorithmIdentifier, OCTET
/// STRING privateKey, ... }. Unknown algorithms are reported without key details.
fn pkcs8(der: &[u8]) -> Option<KeyInfo> {
    let mut s = seq(der)?;
    matches!(s.get(INTEGER)?, [0] | [1]).then_some(())?;
    let mut alg = s.get(SEQUENCE).map(Der)?;
    let (oid, inner) = (alg.get(OID)?, s.get(OCTETS)?);
    let mut info = KeyInfo::new(KeyFormat::Pkcs8, false);
    match oid {
        OID_RSA => rsa_pkcs1(&mut info, inner)?,
        OID_EC => sec1(&mut info, inner, Some(alg.get(OID)?))?,
        OID_ED25519 => {
            let seed: [u8; 32] = Der(inner).get(OCTETS)?.try_into().ok()?;
            let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
            let mut blob = Vec::new();
            put_string(&mut blob, b"ssh-ed25519");
            put_string(&mut blob, public.as_bytes());
            info.set_public(&blob)?;
        }
        OID_DSA => {
            // Only x is stored; y (needed for the fingerprint) would take bignum arithmetic.
            Der(inner).get(INTEGER)?;
            info.key_type = Some("dsa".to_string());
            info.bits = seq(alg.0).and_then(|mut params| params.get(INTEGER)).map(bit_len);
        }
        _ => {}
    }
    Some(info)
}

/// EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier, OCTET STRING }; names the scheme.
fn pkcs8_encrypted(der: &[u8]) -> Option<KeyInfo> {
    let mut s = seq(der)?;
    let mut alg = s.get(SEQUENCE).map(Der)?;
    let oid = alg.get(OID)?;
    s.get(OCTETS)?;
    let mut info = KeyInfo::new(KeyFormat::Pkcs8Encrypted, true);
    info.cipher = match oid.strip_prefix(OID_PKCS).unwrap_or_default() {
        [0x01, 0x05, 0x0d] => {
            let mut params = seq(alg.0)?;
            params.get(SEQUENCE)?; // keyDerivationFunc: PBKDF2 or scrypt
            let cipher = params.get(SEQUENCE).map(Der)?.get(OID)?;
            let aes = cipher.strip_prefix(&[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01]);
            Some(match (aes, cipher.strip_prefix(OID_PKCS)) {
                (Some([0x02]), _) => "pbes2-aes-128-cbc",
                (Some([0x16]), _) => "pbes2-aes-192-cbc",
                (Some([0x2a]), _) => "pbes2-aes-256-cbc",
                (_, Some([0x03, 0x07])) => "pbes2-des-ede3-cbc",
                _ => "pbes2",
            })
        }
        [0x01, 0x05, 0x03] => Some("pbe-md5-des"),
        [0x01, 0x05, 0x0a] => Some("pbe-sha1-des"),
        [0x01, 0x0c, 0x01, 0x03] => Some("pbe-sha1-3des"),
        _ => None,
    }
    .map(str::to_string);
    Some(info)
}
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn read(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/keys");
        std::fs::read(path.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }
    /// expected.json: one entry per private-key fixture, values taken from the real tools.
    fn expected() -> Vec<Value> {
        let v: Value = serde_json::from_slice(&read("expected.json")).unwrap();
        v.as_array().unwrap().clone()
    }
    /// (file name, contents, parse result) for every fixture.
    fn fixtures() -> Vec<(String, String, KeyInfo)> {
        let all = expected().into_iter();
        let all = all.map(|e| e["file"].as_str().unwrap().to_string());
        let parse = |name: String| {
            let text = String::from_utf8(read(&name)).unwrap();
            let info = parse_private_key(text.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, text, info)
        };
        all.map(parse).collect()
    }
    fn armor(label: &str, der: &[u8]) -> String {
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        format!("-----BEGIN {label}-----\n{b64}\n-----END {label}-----\n")
    }

    #[test]
    fn every_fixture_matches_tool_output() {
        let (all, mut failures) = (expected(), Vec::new());
        assert!(all.len() >= 40, "only {} fixtures", all.len());
        for e in &all {
            let name = e["file"].as_str().unwrap();
            match parse_private_key(&read(name)) {
                Ok(info) => {
                    let got = serde_json::to_value(info).unwrap();
                    for (field, value) in got.as_object().unwrap() {
                        if e[field] != *value {
                            failures.push(format!("{name}.{field}: got {value} want {}", e[field]));
                        }
                    }
                }
                Err(err) => failures.push(format!("{name}: {err}")),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn every_key_file_in_fixture_dir_is_listed() {
        let listed: Vec<Value> = expected().iter().map(|e| e["file"].clone()).collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/keys");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let aux = [".pub", ".pub.pem", ".json", ".sh", ".py"].map(|x| name.ends_with(x));
            let ok = aux.contains(&true) || listed.contains(&Value::from(name.as_str()));
            assert!(ok, "{name} not listed");
        }
    }

    #[test]
    fn public_key_lines_match_ssh_keygen() {
        let (mut checked, fp) = (0, public_key_line_fingerprint);
        for e in expected() {
            let (Some(file), Some(want)) = (e["pub_file"].as_str(), e["pub_fingerprint"].as_str()) else {
                continue;
            };
            let line = String::from_utf8(read(file)).unwrap();
            assert_eq!(fp(&line).as_deref(), Some(want), "{file}");
            let with_options = format!("from=\"10.0.0.1\",no-pty {}", line.trim());
            assert_eq!(fp(&with_options).as_deref(), Some(want), "{file} with options");
            checked += 1;
        }
        assert!(checked >= 30, "only {checked} public key lines checked");
        let wrong_type = "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIA==";
        for bad in ["", "ssh-ed25519 notbase64!! c", wrong_type] {
            assert_eq!(fp(bad), None, "{bad}");
        }
    }

    /// CRLF, JSON-escaped, YAML-indented, flattened, quoted line by line and base64-encoded copies parse exactly
    /// like the original.
    #[test]
    fn text_variants_parse_identically() {
        fn yaml(t: &str) -> String {
            let body: String = t.lines().map(|l| format!("    {l}\n")).collect();
            format!("key: |\n{body}other: 1\n")
        }
        fn json(t: &str) -> String {
            serde_json::json!({ "type": "x", "private_key": t }).to_string()
        }
        fn flat(t: &str) -> String {
            t.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        /// Each line a string literal: `"line\n"`, joined by `sep` (Python: newline; Java/Go: ` +` newline).
        fn quoted(t: &str, sep: &str) -> String {
            let lines: Vec<String> = t.lines().map(|l| format!("    \"{l}\\n\"")).collect();
            format!("key = (\n{}\n)", lines.join(sep))
        }
        fn base64(t: &str) -> String {
            base64::engine::general_purpose::STANDARD.encode(t)
        }
        fn base64_wrapped(t: &str) -> String {
            let b = base64(t);
            let lines: Vec<&str> = b.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap()).collect();
            format!("  tls.key: |\n    {}\n", lines.join("\n    "))
        }
        type Variant = (&'static str, fn(&str) -> String);
        let variants: [Variant; 12] = [
            ("CRLF", |t| t.replace('\n', "\r\n")),
            ("escaped \\n", |t| t.replace('\n', "\\n")),
            ("double-escaped \\\\n", |t| t.replace('\n', "\\\\n")),
            ("JSON", json),
            ("YAML", yaml),
            ("flattened", flat),
            ("Python lines", |t| quoted(t, "\n")),
            ("Java lines", |t| quoted(t, " +\n")),
            ("JS array", |t| t.lines().map(|l| format!("  '{l}',\n")).collect()),
            ("one line", |t| t.lines().map(|l| format!("\"{l}\"")).collect::<Vec<_>>().join(" + ")),
            ("base64", base64),
            ("base64 wrapped", base64_wrapped),
        ];
        for (name, text, info) in fixtures() {
            for (what, f) in &variants {
                // A flattened text loses the line structure that PPK and RFC 1421 headers need; PPK is not armor,
                // so there is no base64 of it to recognise.
                let ppk = name.ends_with(".ppk");
                let lines_needed = ppk || text.contains("Proc-Type");
                if (matches!(*what, "flattened" | "one line") && lines_needed) || (what.starts_with("base64") && ppk) {
                    continue;
                }
                let got = parse_private_key(f(&text).as_bytes());
                assert_eq!(got.as_ref(), Ok(&info), "{what} variant of {name}");
            }
        }
    }

    #[test]
    fn headers_are_checked() {
        let pem = String::from_utf8(read("pem_rsa2048_openssl.pem")).unwrap();
        let clear = pem.replace("KEY-----\n", "KEY-----\nProc-Type: 4,MIC-CLEAR\n\n");
        let info = parse_private_key(clear.as_bytes()).unwrap();
        assert!(!info.encrypted && info.public_fingerprint.is_some());

        let text = String::from_utf8(read("ppk3_ed25519_enc.ppk")).unwrap();
        let renamed = text.replace("Comment: ppk3-ed25519-enc@credsweep", "Comment: other: x");
        let info = parse_private_key(renamed.as_bytes()).unwrap();
        assert_eq!(info.comment.as_deref(), Some("other: x"));
        let lied = text.replace("File-3: ssh-ed25519", "File-3: ssh-rsa");
        let err = parse_private_key(lied.as_bytes());
        assert!(matches!(err, Err(KeyError::Malformed(_))));
        let v1 = text.replace("File-3:", "File-1:");
        let err = parse_private_key(v1.as_bytes());
        assert!(matches!(err, Err(KeyError::Unsupported(_))));
    }

    #[test]
    fn openssh_checkint_mismatch_is_rejected() {
        let text = String::from_utf8(read("openssh_ed25519")).unwrap();
        let (_, mut der) = pem_body(find_armor(&text).unwrap().1).unwrap();
        let mut r = Ssh(&der[15..]);
        r.skip(3).unwrap(); // cipher, kdf, kdfoptions
        r.u32().unwrap(); // nkeys
        r.string().unwrap(); // public key
        let checkint = der.len() - r.0.len() + 4; // past the private section's length
        der[checkint] ^= 1;
        let err = parse_private_key(armor("OPENSSH PRIVATE KEY", &der).as_bytes()).unwrap_err();
        assert!(err.to_string().contains("check integers"), "{err}");
    }

    #[test]
    fn garbage_is_rejected() {
        let pem = |label: &str, body: &str| format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----");
        let mut inputs = vec![
            String::new(),
            "hello world".into(),
            pem("RSA PRIVATE KEY", ""),
            pem("RSA PRIVATE KEY", "!!!!"),
            pem("PRIVATE KEY", "MAA="),
            pem("OPENSSH PRIVATE KEY", "AAAA"),
            pem("PGP PRIVATE KEY BLOCK", "AAAA"),
            "-----BEGIN RSA PRIVATE KEY-----\nMIIE".into(),
            "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nPublic-Lines: 99999999999\n".into(),
            "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nPublic-Lines: 2\nAAAA\n".into(),
        ];
        // DER lengths of 4 GiB and indefinite; openssh-key-v1 with nkeys and a length of 2^32-1.
        inputs.push(armor("PRIVATE KEY", &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 2]));
        inputs.push(armor("RSA PRIVATE KEY", &[0x30, 0x80, 0, 0]));
        let mut data = b"openssh-key-v1\0".to_vec();
        for s in [&b"none"[..], b"none", b""] {
            put_string(&mut data, s);
        }
        data.extend_from_slice(&[0xff; 8]);
        inputs.push(armor("OPENSSH PRIVATE KEY", &data));
        for input in inputs {
            assert!(parse_private_key(input.as_bytes()).is_err(), "{input:?}");
        }
        assert_eq!(parse_private_key(&[0xff, 0xfe, 0]), Err(KeyError::NotFound));
        let huge = vec![b'A'; MAX_INPUT + 1];
        assert_eq!(parse_private_key(&huge), Err(KeyError::TooLarge));
    }

    /// Parses without panicking; an error message is a short fixed string, never key material.
    fn no_panic(name: &str, what: &str, input: &[u8]) -> bool {
        match std::panic::catch_unwind(|| parse_private_key(input)) {
            Err(_) => panic!("parser panicked on {what} of {name}"),
            Ok(Ok(_)) => false,
            Ok(Err(e)) => {
                let msg = e.to_string();
                let run = msg.split(|c: char| !c.is_alphanumeric()).map(str::len);
                let run = run.max();
                assert!(msg.len() < 80 && run < Some(16), "{msg}");
                true
            }
        }
    }

    #[test]
    fn truncations_and_byte_flips_never_panic() {
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64; // xorshift64: deterministic
        let mut next = move |below: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % below as u64) as usize
        };
        let mut rejected = 0;
        for (name, text, _) in fixtures() {
            let data = text.as_bytes();
            for cut in (0..data.len()).step_by(data.len() / 150 + 1) {
                no_panic(&name, "text truncation", &data[..cut]);
            }
            for _ in 0..100 {
                let mut d = data.to_vec();
                d[next(data.len())] ^= 1 << next(8);
                no_panic(&name, "text bit flip", &d);
            }
            // Damage the decoded payload itself so the DER / SSH-wire readers see it.
            let Ok((label, body)) = find_armor(&text) else {
                continue;
            };
            let (_, der) = pem_body(body).unwrap();
            for cut in 0..der.len() {
                let input = armor(label, &der[..cut]);
                rejected += usize::from(no_panic(&name, "payload truncation", input.as_bytes()));
            }
            for _ in 0..300 {
                let mut d = der.clone();
                for _ in 0..=next(3) {
                    d[next(der.len())] ^= 1 + next(255) as u8;
                }
                no_panic(&name, "payload byte flip", armor(label, &d).as_bytes());
            }
        }
        assert!(rejected > 1000, "only {rejected} truncations rejected");
    }
}
