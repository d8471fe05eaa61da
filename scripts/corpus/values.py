"""Random values for the corpus: generic secrets of several alphabets, checksummed tokens, private keys, hashes.

Everything is drawn from one `random.Random`, so a seed fixes every byte. Token formats and checksums come from
scripts/synth_tokens.py (GitHub/npm CRC32-base62, Bech32 ...) and private keys from scripts/gen_tree.py (valid
encodings, built in pure Python), so the corpus and the rule examples agree on what a format is.
"""
import base64
import os
import string
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import gen_tree  # noqa: E402  (keys: rsa_pem, ec_p256_sec1, openssh_ed25519, der ...)
import synth_tokens  # noqa: E402  (Gen, generate, crc32_base62, bech32_encode, is_placeholder)

DIGITS = string.digits
HEX = "0123456789abcdef"
LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
LETTERS = UPPER + LOWER
B62 = DIGITS + UPPER + LOWER
B64 = B62 + "+/"
B64URL = B62 + "-_"
LOWNUM = LOWER + DIGITS
B32_AWS = UPPER + "234567"
UPNUM = UPPER + DIGITS
CRYPT64 = "./" + DIGITS + UPPER + LOWER  # crypt(3)'s base64 alphabet
BCRYPT64 = "./" + UPPER + LOWER + DIGITS
# Symbols a password may hold and still sit unescaped in every syntax of the corpus (no quotes, backslash, '$',
# '&', '<', '#', backtick or space).
PW_SYMBOLS = "-_.!@*+~%^"
WORDS = ["Summer", "Winter", "Autumn", "Spring", "Dragon", "Monkey", "Falcon", "Tiger", "Sunshine", "Rainbow",
         "Coffee", "Galaxy", "Phoenix", "Shadow", "Thunder", "Maple", "Silver", "Orange", "Rocket", "Harbor"]

# Generic value kinds (issue #13 section 1). "specific" kinds (hex, UUID) are secrets only under a specific
# credential name (api_key, *_token, *_secret, password ...), never under a vague one (auth, session, signature).
VALUE_KINDS = ["alnum16", "alnum24", "alnum32", "b64-40", "b64url-43", "symbols", "human", "hex32", "hex40",
               "hex64", "uuid"]
SPECIFIC_KINDS = {"hex32", "hex40", "hex64", "uuid"}


class Values(synth_tokens.Gen):
    """synth_tokens.Gen (s, tok, uuid, crc_token, bad_crc, password, jwt) plus the corpus's own formats."""

    def choice(self, seq):
        return self.rng.choice(seq)

    def randbytes(self, n: int) -> bytes:
        return bytes(self.rng.getrandbits(8) for _ in range(n))

    def mixed(self, alphabet: str, n: int) -> str:
        """A value of `alphabet` that has a digit, an upper and a lower letter (what a generator emits)."""
        while True:
            v = self.tok((alphabet, n))
            if any(c.isdigit() for c in v) and any(c.isupper() for c in v) and any(c.islower() for c in v):
                return v

    def generic(self, kind: str) -> str:
        """A secret value of one of VALUE_KINDS."""
        if kind == "alnum16":
            return self.mixed(LETTERS + DIGITS, 16)
        if kind == "alnum24":
            return self.mixed(LETTERS + DIGITS, 24)
        if kind == "alnum32":
            return self.mixed(LETTERS + DIGITS, 32)
        if kind == "b64-40":
            while True:
                v = self.mixed(B64, 40)
                if not v[0] in "+/":
                    return v
        if kind == "b64url-43":
            while True:
                v = self.mixed(B64URL, 43)
                if v[0] not in "-_":
                    return v
        if kind == "symbols":
            n = self.rng.randint(14, 22)
            while True:
                v = self.tok((LETTERS + DIGITS, 2), (LETTERS + DIGITS + PW_SYMBOLS, n - 3), (LETTERS + DIGITS, 1))
                if any(c in PW_SYMBOLS for c in v) and any(c.isdigit() for c in v):
                    return v
        if kind == "human":
            return self.choice(WORDS) + str(self.rng.randint(1970, 2029)) + self.choice("!@*.") + \
                self.choice(UPPER)
        if kind == "hex32":
            return self.tok((HEX, 32))
        if kind == "hex40":
            return self.tok((HEX, 40))
        if kind == "hex64":
            return self.tok((HEX, 64))
        if kind == "uuid":
            return self.uuid()
        raise ValueError(kind)

    def user(self) -> str:
        return self.choice(["svc_", "app_", "ci-", "deploy", "admin", "etl_", "backup", "report", "web"]) + \
            self.s(LOWER, 3) + self.s(DIGITS, 2)

    # --- checksummed formats -------------------------------------------------------------------------------------
    def gitlab_routable(self, prefix: str, valid: bool = True) -> str:
        """GitLab routable token: prefix, base64url payload, '.01.', 2 base36 chars of payload length, 7 base36 CRC32
        over everything before it (gitlab-org/gitlab lib/authn/token_field/generator/routable_token.rb)."""
        payload = self.tok((B64URL, 36))  # base64url of the random part and the routing information
        signed = prefix + payload + ".01." + base36(len(payload)).rjust(2, "0")
        crc = base36(zlib.crc32(signed.encode()) & 0xFFFFFFFF).rjust(7, "0")
        if not valid:
            crc = crc[:-1] + ("a" if crc[-1] != "a" else "b")
        return signed + crc

    # --- private keys ---------------------------------------------------------------------------------------------
    def private_key(self, kind: str) -> str:
        """PEM (or PuTTY) text of a private key of `kind`, ending in a newline."""
        if kind == "rsa":
            return gen_tree.rsa_pem(self.rng, 1024)
        if kind == "rsa-pkcs8":
            return gen_tree.rsa_pem(self.rng, 1024, pkcs8=True)
        if kind == "ec":
            return gen_tree.ec_p256_sec1(self.rng)
        if kind == "openssh":
            return gen_tree.openssh_ed25519(self.rng, self.user() + "@laptop")[0]
        if kind == "ed25519-pkcs8":
            return gen_tree.ed25519_pkcs8(self.rng)
        if kind == "pkcs8-encrypted":
            return self.encrypted_pkcs8()
        if kind == "dsa":
            ints = [0] + [self.rng.getrandbits(b) | (1 << (b - 1)) for b in (1024, 160, 1023, 1023, 159)]
            return gen_tree.pem("DSA PRIVATE KEY", gen_tree.der(0x30, b"".join(gen_tree.der_int(i) for i in ints)))
        if kind == "putty":
            return self.putty_key()
        if kind == "pgp":
            return self.pgp_key()
        raise ValueError(kind)

    def encrypted_pkcs8(self) -> str:
        """PKCS#8 EncryptedPrivateKeyInfo, PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) over random ciphertext (RFC 8018)."""
        d = gen_tree.der
        oid = lambda h: bytes.fromhex(h)  # noqa: E731  (tag, length and value of an OID, in hex)
        kdf = d(0x30, oid("06092a864886f70d01050c") + d(0x30, d(0x04, self.randbytes(8)) + gen_tree.der_int(2048)
                                                          + d(0x30, oid("06082a864886f70d0209") + b"\x05\x00")))
        enc = d(0x30, oid("060960864801650304012a") + d(0x04, self.randbytes(16)))
        alg = d(0x30, oid("06092a864886f70d01050d") + d(0x30, kdf + enc))
        return gen_tree.pem("ENCRYPTED PRIVATE KEY", d(0x30, alg + d(0x04, self.randbytes(1232))))

    def putty_key(self) -> str:
        pub = base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + self.randbytes(32)).decode()
        priv = base64.b64encode(b"\x00\x00\x00\x20" + self.randbytes(32)).decode()
        return ("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: " + self.user() + "@win-laptop\n"
                "Public-Lines: 2\n" + pub[:64] + "\n" + pub[64:] + "\nPrivate-Lines: 1\n" + priv + "\n"
                "Private-MAC: " + self.s(HEX, 64) + "\n")

    def pgp_key(self) -> str:
        """An ASCII-armored OpenPGP v4 Ed25519 secret key packet, unprotected (RFC 4880 5.5.3, armor CRC-24 6.1)."""
        body = (b"\x04" + self.randbytes(4) + b"\x16\x09\x2b\x06\x01\x04\x01\xda\x47\x0f\x01" + b"\x01\x07\x40"
                + self.randbytes(32) + b"\x00" + b"\x00\xff" + self.randbytes(32))
        body += (sum(body[-34:]) & 0xFFFF).to_bytes(2, "big")
        uid = ("%s <%s@acme.test>" % (self.user(), self.user())).encode()
        pkt = b"\xc5" + bytes([len(body)]) + body + b"\xcd" + bytes([len(uid)]) + uid
        crc = 0xB704CE
        for byte in pkt:
            crc ^= byte << 16
            for _ in range(8):
                crc <<= 1
                if crc & 0x1000000:
                    crc ^= 0x1864CFB
        b = base64.b64encode(pkt).decode()
        lines = "\n".join(b[i:i + 64] for i in range(0, len(b), 64))
        return ("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n%s\n=%s\n-----END PGP PRIVATE KEY BLOCK-----\n"
                % (lines, base64.b64encode((crc & 0xFFFFFF).to_bytes(3, "big")).decode()))

    def public_key_pem(self) -> str:
        """An RSA public key (SubjectPublicKeyInfo) -- not a secret."""
        n = self.rng.getrandbits(1024) | (1 << 1023) | 1
        rsa = gen_tree.der(0x30, gen_tree.der_int(n) + gen_tree.der_int(65537))
        alg = gen_tree.der(0x30, bytes.fromhex("06092a864886f70d010101") + b"\x05\x00")
        return gen_tree.pem("PUBLIC KEY", gen_tree.der(0x30, alg + gen_tree.der(0x03, b"\x00" + rsa)))

    def certificate_pem(self) -> str:
        """A blob shaped like an X.509 certificate -- public, not a secret."""
        return gen_tree.pem("CERTIFICATE", gen_tree.der(0x30, gen_tree.der(0x30, self.randbytes(700))
                                                        + self.randbytes(280)))

    # --- password hashes ------------------------------------------------------------------------------------------
    def password_hash(self, scheme: str) -> str:
        """A crypt(3)-style hash string of `scheme` (random salt and digest, right lengths and alphabets)."""
        if scheme == "md5crypt":
            return "$1$" + self.s(CRYPT64, 8) + "$" + self.s(CRYPT64, 22)
        if scheme == "apr1":
            return "$apr1$" + self.s(CRYPT64, 8) + "$" + self.s(CRYPT64, 22)
        if scheme == "sha256crypt":
            return "$5$" + self.s(CRYPT64, 16) + "$" + self.s(CRYPT64, 43)
        if scheme == "sha512crypt":
            return "$6$" + self.s(CRYPT64, 16) + "$" + self.s(CRYPT64, 86)
        if scheme in ("bcrypt-2a", "bcrypt-2b", "bcrypt-2y"):
            return "$" + scheme[-2:] + "$" + self.choice(["10", "12"]) + "$" + self.s(BCRYPT64, 53)
        if scheme == "yescrypt":
            return "$y$j9T$" + self.s(CRYPT64, 22) + "$" + self.s(CRYPT64, 43)
        if scheme == "sha1-base64":
            return "{SHA}" + base64.b64encode(self.randbytes(20)).decode()
        raise ValueError(scheme)


def base36(n: int) -> str:
    a = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = a[r] + out
        if n == 0:
            return out


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def is_placeholder(s: str) -> bool:
    return synth_tokens.is_placeholder(s)
