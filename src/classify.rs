//! Path → file kind: which files get special treatment.
//!
//! Public keys (`*.pub`, `authorized_keys`, `known_hosts`) are never findings: they are meant to be shared, and an
//! inventory that lists them buries the private keys that matter.
use std::path::Path;

/// True for OpenSSH public-key files.
pub fn is_public_key_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    name.ends_with(".pub") || name == "authorized_keys" || name == "authorized_keys2" || name.starts_with("known_hosts")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_key_files() {
        for p in ["/home/a/.ssh/id_ed25519.pub", ".ssh/authorized_keys", "known_hosts", "known_hosts.old"] {
            assert!(is_public_key_file(Path::new(p)), "{p}");
        }
        for p in ["/home/a/.ssh/id_ed25519", "pub", "authorized_keys.bak.key", "notes.publish"] {
            assert!(!is_public_key_file(Path::new(p)), "{p}");
        }
    }
}
