#!/usr/bin/env python3
"""Print synthetic credentials in the formats credsweep's built-in rules detect.

The examples in rules/*.toml come from here. Every value is random (from a seeded generator, so the output is the
same on every run and the rule files can be regenerated and diffed); none of them grants access to anything.

Formats with an offline check get a correct one:
  * GitHub classic tokens (ghp_ gho_ ghu_ ghs_ ghr_) and npm tokens (npm_): 30 random base62 characters followed by
    the CRC32 (zlib) of those 30 characters in base62 (0-9A-Za-z), left-padded with '0' to 6 characters.
    https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
  * age secret keys: Bech32 (BIP 173) with the human-readable part "age-secret-key-", upper-cased.
  * JWTs: base64url JSON header with an "alg", base64url JSON payload, HMAC-SHA256 signature.
Each checksummed format also has a "*_badcrc" lookalike (one character changed) for negative examples.
  * Bitbucket Cloud app passwords (ATBB…) and access tokens (ATCTT3xFfGN0…=): the token body followed by its CRC32
    (zlib) as 8 upper-case hex digits. No validator checks it yet; the values carry a correct one anyway.
Formats added in a second batch are drawn by generate_more(), after the original set, so adding them did not change
any earlier value; a third batch (generate_third(), drawn after the second) does the same. Each section comment names
the rules/<topic>.toml files whose examples it feeds.
  * Microsoft's identifiable keys (Azure storage `+ASt`, Cosmos DB `ACDb`, Service Bus `+ASb`, ... at a fixed offset)
    and Cloudflare's scannable tokens (cfut_/cfat_/cfk_) end in a checksum that no validator checks yet; the
    synthetic values have the right shape (signature, length, alphabet, final padding character) but a random
    checksum.
  * Password hashes ($1$, $apr1$, $2b$, $5$, $6$, $y$, {SHA}, {SSHA}, $argon2id$, pbkdf2_sha256$) are random salts
    and digests in each scheme's alphabet, not hashes of any password.
  * The 84-character Azure DevOps PATs have random platform- and provider-reserved fields (see ado_cask below).

Values that the engine's placeholder filter would drop (containing "xxxx", "fake", "0123456789", a run of 8
identical characters, ...) are rejected and drawn again, so every positive example survives the filter.

Usage:
  scripts/synth_tokens.py            # NAME=VALUE lines
  scripts/synth_tokens.py --json     # one JSON object {NAME: VALUE}
  scripts/synth_tokens.py --seed 7   # a different, equally valid set
"""
import argparse
import base64
import hashlib
import hmac
import json
import random
import string
import sys
import zlib

DIGITS = string.digits
HEX = "0123456789abcdef"
HEXU = "0123456789ABCDEF"
LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
LETTERS = UPPER + LOWER
B62 = DIGITS + UPPER + LOWER  # also the checksum alphabet, in this order
B64URL = B62 + "-_"
B64 = B62 + "+/"
B32_AWS = UPPER + "234567"
UPNUM = UPPER + DIGITS
LOWNUM = LOWER + DIGITS
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

# Must match PLACEHOLDER_MARKERS in src/validate.rs.
PLACEHOLDER_MARKERS = [
    "example", "placeholder", "your_", "your-", "yourkey", "yourtoken", "changeme", "change_me", "dummy",
    "redacted", "sample", "fake", "xxxx", "****", "<", ">", "${", "{{", "%s", "...", "0123456789", "abcdefghij",
]


def is_placeholder(s: str) -> bool:
    low = s.lower()
    if any(m in low for m in PLACEHOLDER_MARKERS):
        return True
    run = 1
    for a, b in zip(s, s[1:]):
        run = run + 1 if a == b else 1
        if run >= 8:
            return True
    return False


def crc32_base62(data: str) -> str:
    n = zlib.crc32(data.encode()) & 0xFFFFFFFF
    out = ""
    for _ in range(6):
        out = B62[n % 62] + out
        n //= 62
    return out


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def bech32_polymod(values):
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((top >> i) & 1) else 0
    return chk


def bech32_encode(hrp: str, data8: bytes) -> str:
    acc, bits, data5 = 0, 0, []
    for b in data8:
        acc = (acc << 8) | b
        bits += 8
        while bits >= 5:
            bits -= 5
            data5.append((acc >> bits) & 31)
    if bits:
        data5.append((acc << (5 - bits)) & 31)
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    polymod = bech32_polymod(expanded + data5 + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32[d] for d in data5 + checksum)


class Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def s(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def tok(self, *parts) -> str:
        """Literal strings and (alphabet, length) pairs, concatenated; redrawn until it is no placeholder."""
        while True:
            out = "".join(p if isinstance(p, str) else self.s(*p) for p in parts)
            if not is_placeholder(out):
                return out

    def uuid(self) -> str:
        h = self.tok((HEX, 32))
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def crc_token(self, prefix: str) -> str:
        while True:
            body = self.s(B62, 30)
            tok = prefix + body + crc32_base62(body)
            if not is_placeholder(tok):
                return tok

    def bad_crc(self, tok: str, prefix_len: int) -> str:
        i = prefix_len + 5
        repl = "a" if tok[i] != "a" else "b"
        return tok[:i] + repl + tok[i + 1:]

    def password(self, n: int = 18) -> str:
        # URL-safe without percent-encoding (RFC 3986 unreserved plus '!'), starting with a letter or digit.
        return self.tok((LETTERS + DIGITS, 1), (LETTERS + DIGITS + "-_.~!", n - 1))

    def jwt(self, header: dict, payload: dict) -> str:
        h = b64url(json.dumps(header, separators=(",", ":")).encode())
        p = b64url(json.dumps(payload, separators=(",", ":")).encode())
        key = self.s(B62, 32).encode()
        sig = b64url(hmac.new(key, f"{h}.{p}".encode(), hashlib.sha256).digest())
        return f"{h}.{p}.{sig}"


def generate(seed: int) -> dict:
    g = Gen(seed)
    t = {}
    # --- checksummed -------------------------------------------------------------------------------------------
    for p in ["ghp", "gho", "ghu", "ghs", "ghr"]:
        t[p] = g.crc_token(p + "_")
        t[p + "_badcrc"] = g.bad_crc(t[p], 4)
    t["npm"] = g.crc_token("npm_")
    t["npm_badcrc"] = g.bad_crc(t["npm"], 4)
    t["age"] = bech32_encode("age-secret-key-", bytes(g.rng.getrandbits(8) for _ in range(32))).upper()
    t["age_badchar"] = t["age"][:-1] + "B"  # 'B' is not in the Bech32 alphabet
    t["jwt"] = g.jwt({"alg": "HS256", "typ": "JWT"},
                     {"sub": "svc-" + g.s(LOWNUM, 8), "iss": "https://auth.internal.test", "iat": 1735689600,
                      "exp": 4102444800})
    t["jwt_rs"] = g.jwt({"alg": "RS256", "kid": g.s(B64URL, 16)},
                        {"sub": g.uuid(), "scope": "read write", "iat": 1700000000})
    t["jwt_noalg"] = g.jwt({"typ": "JWT"}, {"sub": "svc-" + g.s(LOWNUM, 8)})
    # A dotted triple that starts like a JWT but whose header is not JSON.
    t["jwt_notjson"] = "eyJ" + g.s(B64URL, 30) + ".eyJ" + g.s(B64URL, 40) + "." + g.s(B64URL, 43)
    # --- cloud -------------------------------------------------------------------------------------------------
    t["aws_akia"] = g.tok("AKIA", (B32_AWS, 16))
    t["aws_asia"] = g.tok("ASIA", (B32_AWS, 16))
    t["aws_secret"] = g.tok((B62 + "/+", 40))
    t["aws_secret2"] = g.tok((B62 + "/+", 40))
    t["aws_session"] = g.tok("IQoJb3JpZ2luX2VjE", (B64, 280))
    t["google_api"] = g.tok("AIzaSy", (B64URL, 33))
    t["gocspx"] = g.tok("GOCSPX-", (B64URL, 28))
    t["azure_storage_key"] = g.tok((B64, 86), "==")
    t["azure_ad_secret"] = g.tok((B62, 3), (DIGITS, 1), "Q~", (B62 + "_~.-", 34))
    t["do_pat"] = g.tok("dop_v1_", (HEX, 64))
    t["do_oauth"] = g.tok("doo_v1_", (HEX, 64))
    t["do_refresh"] = g.tok("dor_v1_", (HEX, 64))
    t["alibaba"] = g.tok("LTAI", (B62, 20))
    t["cf_origin_ca"] = g.tok("v1.0-", (HEX, 24), "-", (HEX, 146))
    t["cf_api_token"] = g.tok((B64URL, 40))
    t["gcp_key_id"] = g.tok((HEX, 40))
    t["gcp_client_id"] = g.tok((DIGITS[1:], 1), (DIGITS, 20))
    # --- source-hosting ----------------------------------------------------------------------------------------
    t["github_pat"] = g.tok("github_pat_11", (UPNUM, 20), "_", (B62, 59))
    t["glpat"] = g.tok("glpat-", (B64URL, 20))
    t["glpat_routable"] = g.tok("glpat-", (B64URL, 37), ".01.", (LOWNUM, 9))
    t["glptt"] = g.tok("glptt-", (HEX, 40))
    t["glrt"] = g.tok("glrt-", (B64URL, 20))
    t["glrt_routable"] = g.tok("glrt-t1_", (B64URL, 30), ".01.", (LOWNUM, 9))
    t["gldt"] = g.tok("gldt-", (B64URL, 20))
    t["glrrt"] = g.tok("GR1348941", (B64URL, 20))
    t["glagent"] = g.tok("glagent-", (B64URL, 50))
    t["gloas"] = g.tok("gloas-", (B64URL, 64))
    t["glcbt"] = g.tok("glcbt-", (B62, 2), "_", (B64URL, 20))
    t["atlassian"] = g.tok("ATATT3xFfGF0", (B64URL, 171), "=", (HEXU, 8))
    # --- AI ----------------------------------------------------------------------------------------------------
    for name, prefix in [("openai_proj", "sk-proj-"), ("openai_svcacct", "sk-svcacct-"),
                         ("openai_admin", "sk-admin-")]:
        t[name] = g.tok(prefix, (B64URL, 74), "T3BlbkFJ", (B64URL, 74))
    t["openai_legacy"] = g.tok("sk-", (B62, 20), "T3BlbkFJ", (B62, 20))
    t["anthropic"] = g.tok("sk-ant-api03-", (B64URL, 93), "AA")
    t["anthropic_admin"] = g.tok("sk-ant-admin01-", (B64URL, 93), "AA")
    t["hf"] = g.tok("hf_", (LETTERS, 34))
    t["hf_org"] = g.tok("api_org_", (LETTERS, 34))
    t["groq"] = g.tok("gsk_", (B62, 52))
    t["replicate"] = g.tok("r8_", (B62, 37))
    t["pplx"] = g.tok("pplx-", (B62, 48))
    t["xai"] = g.tok("xai-", (B62, 80))
    t["openrouter"] = g.tok("sk-or-v1-", (HEX, 64))
    t["langsmith_pt"] = g.tok("lsv2_pt_", (HEX, 32), "_", (HEX, 10))
    t["langsmith_sk"] = g.tok("lsv2_sk_", (HEX, 32), "_", (HEX, 10))
    # --- messaging ---------------------------------------------------------------------------------------------
    t["slack_xoxb"] = g.tok("xoxb-", (DIGITS, 12), "-", (DIGITS, 13), "-", (B62, 24))
    t["slack_xoxp"] = g.tok("xoxp-", (DIGITS, 12), "-", (DIGITS, 12), "-", (DIGITS, 13), "-", (HEX, 32))
    t["slack_xapp"] = g.tok("xapp-1-A", (UPNUM, 10), "-", (DIGITS, 13), "-", (HEX, 64))
    t["slack_config"] = g.tok("xoxe.xoxp-1-", (B62, 164))
    t["slack_config_refresh"] = g.tok("xoxe-1-", (B62, 146))
    t["slack_webhook_path"] = g.tok("T", (UPNUM, 10), "/B", (UPNUM, 10), "/", (B62, 24))
    t["discord_webhook_id"] = g.tok((DIGITS[1:], 1), (DIGITS, 18))
    t["discord_webhook_token"] = g.tok((B64URL, 68))
    discord_id = str(g.rng.randint(10 ** 17, 10 ** 19 - 1))
    t["discord_bot"] = g.tok(b64url(discord_id.encode()), ".", (B64URL, 6), ".", (B64URL, 38))
    t["telegram"] = g.tok((DIGITS[1:], 1), (DIGITS, 9), ":AA", (B64URL, 33))
    t["sendgrid"] = g.tok("SG.", (B64URL, 22), ".", (B64URL, 43))
    t["twilio"] = g.tok("SK", (HEX, 32))
    t["mailgun"] = g.tok("key-", (HEX, 32))
    t["mailgun_new"] = g.tok((HEX, 32), "-", (HEX, 8), "-", (HEX, 8))
    t["mailchimp"] = g.tok((HEX, 32), "-us14")
    t["postmark"] = g.uuid()
    t["teams_webhook"] = ("https://contoso.webhook.office.com/webhookb2/" + g.uuid() + "@" + g.uuid()
                          + "/IncomingWebhook/" + g.s(HEX, 32) + "/" + g.uuid())
    t["brevo"] = g.tok("xkeysib-", (HEX, 64), "-", (B62, 16))
    # --- payments ----------------------------------------------------------------------------------------------
    t["stripe_live"] = g.tok("sk_live_51", (B62, 97))
    t["stripe_restricted"] = g.tok("rk_live_51", (B62, 97))
    t["stripe_test"] = g.tok("sk_test_51", (B62, 97))
    t["stripe_whsec"] = g.tok("whsec_", (B62, 32))
    t["square_eaaa"] = g.tok("EAAA", (B64URL, 60))
    t["square_sq0atp"] = g.tok("sq0atp-", (B64URL, 22))
    t["square_sq0csp"] = g.tok("sq0csp-", (B64URL, 43))
    for p in ["shpat", "shpca", "shppa", "shpss"]:
        t["shopify_" + p] = g.tok(p + "_", (HEX, 32))
    t["braintree"] = g.tok("access_token$production$", (LOWNUM, 16), "$", (HEX, 32))
    t["plaid"] = "access-production-" + g.uuid()
    t["flutterwave"] = g.tok("FLWSECK-", (HEX, 32), "-X")
    # --- package-registries, secret-managers, hosting, databases, observability, developer-tools, productivity -
    t["pypi"] = g.tok("pypi-AgEIcHlwaS5vcmc", (B64URL, 160))
    t["testpypi"] = g.tok("pypi-AgENdGVzdC5weXBpLm9yZw", (B64URL, 160))
    t["dockerhub"] = g.tok("dckr_pat_", (B64URL, 27))
    t["vault_hvs"] = g.tok("hvs.", (B64URL, 92))
    t["vault_hvb"] = g.tok("hvb.", (B64URL, 140))
    t["vault_legacy"] = g.tok("s.", (B62, 24))
    t["tfc"] = g.tok((B62, 14), ".atlasv1.", (B64URL, 67))
    t["doppler_pt"] = g.tok("dp.pt.", (B62, 43))
    t["doppler_st"] = g.tok("dp.st.prd.", (B62, 43))
    t["pulumi"] = g.tok("pul-", (HEX, 40))
    t["postman"] = g.tok("PMAK-", (HEX, 24), "-", (HEX, 34))
    t["grafana_sa"] = g.tok("glsa_", (B62, 32), "_", (HEX, 8))
    glc_json = json.dumps({"o": g.s(DIGITS, 6), "n": "stack-" + g.s(DIGITS, 6) + "-hm-write",
                           "k": g.s(B62, 24), "m": {"r": "prod-eu-west-2"}}, separators=(",", ":"))
    t["grafana_cloud"] = "glc_" + base64.b64encode(glc_json.encode()).decode()
    t["newrelic"] = g.tok("NRAK-", (UPNUM, 27))
    sentry_json = json.dumps({"iat": 1735689600.123, "url": "https://sentry.io", "region_url":
                              "https://us.sentry.io", "org": "acme-" + g.s(LOWER, 5)}, separators=(",", ":"))
    t["sentry_org"] = g.tok("sntrys_", base64.b64encode(sentry_json.encode()).decode(), "_", (B64, 43))
    t["sentry_user"] = g.tok("sntryu_", (HEX, 64))
    t["databricks"] = g.tok("dapi", (HEX, 32))
    t["linear"] = g.tok("lin_api_", (B62, 40))
    t["supabase"] = g.tok("sbp_", (HEX, 40))
    t["tailscale"] = g.tok("tskey-auth-k", (B62, 11), "CNTRL-", (B62, 33))
    op_json = json.dumps({"signInAddress": "acme.1password.com", "userAuth": {"method": "SRPg-4096", "alg":
                          "PBES2g-HS256", "iterations": 650000, "salt": g.s(B64URL, 22)}, "email":
                          g.s(LOWNUM, 12) + "@" + g.s(LOWNUM, 13) + ".1passwordserviceaccounts.com",
                          "srpX": g.s(HEX, 64), "muk": {"alg": "A256GCM", "ext": True, "k": g.s(B64URL, 43),
                          "key_ops": ["encrypt", "decrypt"], "kty": "oct", "kid": "mp"},
                          "secretKey": "A3-" + g.s(UPNUM, 6) + "-" + g.s(UPNUM, 11) + "-" + g.s(UPNUM, 5),
                          "throttleSecret": {"seed": g.s(HEX, 64), "uuid": g.s(UPNUM, 26)},
                          "deviceUuid": g.s(LOWNUM, 26)}, separators=(",", ":"))
    t["onepassword"] = "ops_" + base64.b64encode(op_json.encode()).decode().rstrip("=")
    t["fly_fo1"] = g.tok("fo1_", (B64URL, 43))
    t["fly_fm2"] = g.tok("fm2_", (B64, 180))
    t["heroku"] = g.tok("HRKU-AA", (B64URL, 58))
    t["heroku_legacy"] = g.uuid()
    t["jfrog_api"] = g.tok("AKCp", (B62, 69))
    t["jfrog_ref"] = g.tok("cmVmdGtuOjAxOj", (B62, 50))
    t["rubygems"] = g.tok("rubygems_", (HEX, 48))
    t["nuget"] = g.tok("oy2", (LOWNUM, 43))
    t["sonar"] = g.tok("squ_", (HEX, 40))
    t["dynatrace"] = g.tok("dt0c01.", (UPNUM, 24), ".", (UPNUM, 64))
    mapbox_json = json.dumps({"u": "acme-" + g.s(LOWER, 6), "a": g.s(LOWNUM, 25)}, separators=(",", ":"))
    t["mapbox"] = g.tok("sk.", b64url(mapbox_json.encode()), ".", (B64URL, 22))
    t["planetscale_pw"] = g.tok("pscale_pw_", (B64URL, 43))
    t["planetscale_tkn"] = g.tok("pscale_tkn_", (B64URL, 43))
    t["prefect"] = g.tok("pnu_", (B62, 36))
    t["npm_legacy"] = g.uuid()
    t["docker_auth"] = base64.b64encode(("ci-bot:" + g.password(20)).encode()).decode()
    # --- generic -----------------------------------------------------------------------------------------------
    for i in range(1, 11):
        t[f"pw{i}"] = g.password(18)
    t["pw_human"] = "Tr0ub4dor&3x"
    # Everything above keeps its value; the second batch of formats is drawn after it.
    generate_more(g, t)
    generate_third(g, t)
    return t


def crc32_hex(data: str) -> str:
    return "%08X" % (zlib.crc32(data.encode()) & 0xFFFFFFFF)


def generate_more(g: Gen, t: dict) -> None:
    """The second batch of formats, drawn after the original set so that its values never change."""
    b32low = LOWER + "234567"
    rand_bytes = lambda n: bytes(g.rng.getrandbits(8) for _ in range(n))  # noqa: E731
    b64 = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    # --- second batch: cloud (Scalingo: hosting; ClickHouse: databases) ------------------------------------------
    t["do_spaces_key_id"] = g.tok("DO00", (UPNUM, 16))
    t["do_spaces_secret"] = g.tok((B64, 43))
    t["cf_global_key"] = g.tok((HEX, 37))
    t["alibaba_secret"] = g.tok((B62, 30))
    t["ibm_cloud_key"] = g.tok((B64URL, 44))
    t["linode"] = g.tok((HEX, 64))
    t["vultr"] = g.tok((UPNUM, 36))
    t["hcloud"] = g.tok((B62, 64))
    t["scw_access"] = g.tok("SCW", (UPNUM, 17))
    t["scw_secret"] = g.uuid()
    t["ado_pat"] = g.tok((b32low, 52))
    sig = b64(rand_bytes(32))
    t["azure_sas_sig"] = sig.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    t["cosmos_key"] = g.tok((B64, 86), "==")
    t["servicebus_key"] = g.tok((B64, 43), "=")
    t["iothub_key"] = g.tok((B64, 43), "=")
    t["acr_password"] = g.tok((B64, 42), "+ACR", (B62, 6))
    t["azure_openai"] = g.tok((HEX, 32))
    t["aws_mws"] = "amzn.mws." + g.uuid()
    bedrock_inner = ("BedrockAPIKey-" + g.s(LOWNUM, 4) + "-at-" + g.s(DIGITS, 12) + ":" + b64(rand_bytes(44)))
    t["bedrock_long"] = "ABSK" + b64(bedrock_inner.encode())
    presigned = ("bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                 "&X-Amz-Credential=" + g.tok("ASIA", (B32_AWS, 16)) + "%2F20251123%2Fus-east-1%2Fbedrock"
                 "%2Faws4_request&X-Amz-Date=20251123T210000Z&X-Amz-Expires=43200&X-Amz-Security-Token="
                 + g.tok("IQoJb3JpZ2luX2VjE", (B62, 240)) + "&X-Amz-Signature=" + g.s(HEX, 64)
                 + "&X-Amz-SignedHeaders=host&Version=1")
    t["bedrock_short"] = "bedrock-api-key-" + b64(presigned.encode())
    t["yandex_api_key"] = g.tok("AQVN", (B64URL, 36))
    t["openshift"] = g.tok("sha256~", (B64URL, 43))
    t["clickhouse_secret"] = g.tok("4b1d", (B62, 38))
    t["fastly"] = g.tok((B64URL, 32))
    t["scalingo"] = g.tok("tk-us-", (B64URL, 48))
    # --- second batch: source-hosting, ci, package-registries, secret-managers, hosting, developer-tools ---------
    body = g.tok("ATBB", (B62, 24))
    t["bitbucket_app_password"] = body + crc32_hex(body)
    body = g.tok("ATCTT3xFfGN0", (B64URL, 170), "=")
    t["bitbucket_access_token"] = body + crc32_hex(body)
    t["bitbucket_dc"] = "BBDC-" + b64((g.s(DIGITS[1:], 1) + g.s(DIGITS, 11) + ":").encode() + rand_bytes(20))
    t["ccipat"] = g.tok("CCIPAT_", (B62, 22), "_", (HEX, 40))
    t["cciprj"] = g.tok("CCIPRJ_", (B62, 22), "_", (HEX, 40))
    t["circle_legacy"] = g.tok((HEX, 40))
    t["travis"] = g.tok((B62, 22))
    t["buildkite"] = g.tok("bkua_", (HEX, 40))
    t["jenkins"] = g.tok("11", (HEX, 32))
    t["gitea"] = g.tok((HEX, 40))
    t["sourcegraph"] = g.tok("sgp_", (HEX, 16), "_", (HEX, 40))
    t["sourcegraph_local"] = g.tok("sgp_local_", (HEX, 40))
    t["youtrack"] = g.tok("perm:", b64(("svc-" + g.s(LOWER, 6)).encode()), ".",
                          b64((g.s(DIGITS, 2) + "-" + g.s(DIGITS, 1)).encode()), ".", (B62, 30))
    t["teamcity"] = g.tok("eyJ0eXAiOiAiVENWMiJ9.", (B64URL, 36), ".", (B64URL, 48))
    t["drone"] = g.tok((B62, 32))
    t["packagist"] = g.tok("packagist_out_", (HEX, 68))
    t["packagist_user"] = g.tok("packagist_uut_", (HEX, 68))
    t["hex_key"] = g.tok((HEX, 32))
    t["cloudsmith"] = g.tok((HEX, 40))
    t["gemfury"] = g.tok((B62, 20))
    t["clojars"] = g.tok("CLOJARS_", (LOWNUM, 60))
    t["crates_io"] = g.tok("cio", (B62, 32))
    t["gradle_key"] = g.tok((B62, 32))
    t["gradle_secret"] = g.tok((B62, 32))
    t["infisical"] = g.tok("st.", (HEX, 24), ".", (HEX, 32), ".", (HEX, 32))
    t["akeyless_id"] = g.tok("p-", (LOWNUM, 12))
    t["akeyless_key"] = g.tok((B64, 43), "=")
    t["bws"] = g.tok("0.", g.uuid(), ".", (B62, 30), ":", (B64, 22), "==")
    t["conjur"] = g.tok((LOWNUM, 55))
    t["vercel"] = g.tok((B62, 24))
    t["netlify_nfp"] = g.tok("nfp_", (B62, 40))
    t["netlify_legacy"] = g.tok((B64URL, 43))
    t["render"] = g.tok("rnd_", (B62, 32))
    t["railway"] = g.uuid()
    t["ngrok"] = g.tok("2", (B62, 26), "_", (B62, 21))
    t["snyk"] = g.uuid()
    t["codecov"] = g.uuid()
    t["octopus"] = g.tok("API-", (UPNUM, 26))
    t["harness"] = g.tok("pat.", (B64URL, 22), ".", (HEX, 24), ".", (B62, 20))
    t["launchdarkly_api"] = "api-" + g.uuid()
    t["launchdarkly_sdk"] = "sdk-" + g.uuid()
    t["fernet"] = base64.urlsafe_b64encode(rand_bytes(32)).decode()
    t["sidekiq"] = g.tok((HEX, 8), ":", (HEX, 8))
    t["infracost"] = g.tok("ico-", (B62, 32))
    t["readme"] = g.tok("rdme_", (LOWNUM, 70))
    # --- second batch: ai ----------------------------------------------------------------------------------------
    t["mistral"] = g.tok((B62, 32))
    t["cohere"] = g.tok((B62, 40))
    t["together"] = g.tok("tgp_v1_", (B64URL, 43))
    t["together_legacy"] = g.tok((HEX, 64))
    t["fireworks"] = g.tok("fw_", (B62, 24))
    t["deepseek"] = g.tok("sk-", (HEX, 32))
    t["elevenlabs"] = g.tok("sk_", (HEX, 48))
    t["pinecone"] = g.tok("pcsk_", (B62, 5), "_", (B62, 63))
    t["pinecone_legacy"] = g.uuid()
    t["wandb"] = g.tok((HEX, 40))
    t["voyage"] = g.tok("pa-", (B64URL, 43))
    t["assemblyai"] = g.tok((HEX, 32))
    t["deepgram"] = g.tok((HEX, 40))
    t["stability"] = g.tok("sk-", (B62, 48))
    t["runway"] = g.tok("key_", (HEX, 128))
    t["nvidia"] = g.tok("nvapi-", (B64URL, 64))
    t["tavily"] = g.tok("tvly-", (B62, 32))
    t["tavily_dev"] = g.tok("tvly-dev-", (B62, 32))
    t["jina"] = g.tok("jina_", (HEX, 32), (B62, 28))
    t["firecrawl"] = g.tok("fc-", (HEX, 32))
    t["langfuse"] = "sk-lf-" + g.uuid()
    # --- second batch: payments, messaging, social (Meta, Twitch), productivity (support desks) ------------------
    t["paypal_secret"] = g.tok("E", (B64URL, 79))
    t["braintree_private"] = g.tok((HEX, 32))
    t["adyen"] = g.tok("AQE", (B62, 1), (B64, 92), "==-", (B64, 43), "=-", (B62 + "&;:+=!%,()", 16))
    t["razorpay_id"] = g.tok("rzp_live_", (B62, 14))
    t["razorpay_secret"] = g.tok((B62, 24))
    t["paystack"] = g.tok("sk_live_", (LOWNUM, 40))
    t["coinbase_ed25519"] = g.tok((B64, 86), "==")
    t["coinbase_legacy"] = g.tok((B62, 32))
    t["mollie"] = g.tok("live_", (B62, 30))
    t["checkout_sbox"] = g.tok("sk_sbox_", (b32low, 27))
    t["checkout_legacy"] = "sk_test_" + g.uuid()
    t["gocardless"] = g.tok("live_", (B64URL, 40))
    t["lemonsqueezy"] = g.jwt({"typ": "JWT", "alg": "RS256"},
                              {"aud": g.uuid(), "jti": g.s(HEX, 80), "iat": 1735689600, "nbf": 1735689600,
                               "exp": 4102444800, "sub": g.s(DIGITS, 6), "scopes": []})
    t["paddle"] = g.tok("pdl_live_apikey_", (LOWNUM, 26), "_", (B62, 22), "_", (B62, 3))
    t["plaid_secret"] = g.tok((HEX, 30))
    t["easypost"] = g.tok("EZAK", (B62, 54))
    t["shippo"] = g.tok("shippo_live_", (HEX, 40))
    t["duffel"] = g.tok("duffel_live_", (B64URL, 43))
    t["mailjet_public"] = g.tok((HEX, 32))
    t["mailjet_secret"] = g.tok((HEX, 32))
    t["mandrill"] = g.tok("md-", (B64URL, 22))
    t["sparkpost"] = g.tok((HEX, 40))
    t["resend"] = g.tok("re_", (B62, 8), "_", (B62, 24))
    t["loops"] = g.tok((HEX, 32))
    t["customerio"] = g.tok((HEX, 32))
    t["pusher"] = g.tok((HEX, 20))
    t["ably"] = g.tok((B64URL, 6), ".", (B64URL, 6), ":", (B64URL, 43))
    t["vonage"] = g.tok((B62, 16))
    t["plivo"] = g.tok((B62, 40))
    t["messagebird"] = g.tok((B62, 25))
    t["intercom"] = b64(("tok:" + g.uuid().replace("-", "_") + ":1:0").encode())
    t["zendesk"] = g.tok((B62, 40))
    t["freshdesk"] = g.tok((B62, 20))
    t["mattermost"] = g.tok((LOWNUM, 26))
    t["rocketchat_id"] = g.tok((B62, 17))
    t["rocketchat_token"] = g.tok((B62, 48))
    t["gchat_space"] = g.tok("AAAA", (B64URL, 7))
    t["gchat_key"] = g.tok("AIzaSy", (B64URL, 33))
    t["gchat_token"] = g.tok((B64URL, 43), "%3D")
    t["zoom"] = g.tok((B62, 32))
    t["line_secret"] = g.tok((HEX, 32))
    t["line_token"] = g.tok((B64, 171), "=")
    t["meta_token"] = g.tok("EAAJ", (B62, 190))
    t["fb_explorer"] = g.tok("EAACEdEose0cBA", (B62, 150))
    t["fb_app_secret"] = g.tok((HEX, 32))
    t["twilio_auth"] = g.tok((HEX, 32))
    t["twitch"] = g.tok((LOWNUM, 30))
    # --- second batch: observability -----------------------------------------------------------------------------
    t["dd_api"] = g.tok((HEX, 32))
    t["dd_app"] = g.tok((HEX, 40))
    t["nr_license"] = g.tok((HEX, 36), "NRAL")
    t["nr_license_eu"] = g.tok("eu01xx", (HEX, 30), "NRAL")
    t["nr_insert"] = g.tok("NRII-", (B64URL, 32))
    t["nr_query"] = g.tok("NRIQ-", (B64URL, 32))
    t["nr_rest"] = g.tok("NRRA-", (HEX, 42))
    t["nr_admin"] = g.tok("NRAA-", (HEX, 27))
    t["pixie"] = "px-api-" + g.uuid()
    t["honeycomb"] = g.tok("hcaik_01", (LOWNUM, 56))
    t["honeycomb_classic"] = g.tok((HEX, 32))
    t["splunk_hec"] = g.uuid()
    t["elastic"] = b64((g.s(B64URL, 20) + ":" + g.s(B64URL, 22)).encode())
    t["logzio"] = g.tok((LETTERS, 32))
    t["bugsnag"] = g.tok((HEX, 32))
    t["rollbar"] = g.tok((HEX, 32))
    t["pagerduty"] = g.tok("u+", (B64URL, 18))
    t["pagerduty_routing"] = g.tok((HEX, 32))
    t["opsgenie"] = g.uuid()
    t["betterstack"] = g.tok((B62, 24))
    t["axiom"] = "xaat-" + g.uuid()
    t["axiom_personal"] = "xapt-" + g.uuid()
    t["mezmo"] = g.tok((HEX, 32))
    t["sumo_id"] = g.tok("su", (B62, 12))
    t["sumo_key"] = g.tok((B62, 64))
    # --- second batch: identity, databases (Firebase Cloud Messaging: messaging) ---------------------------------
    t["okta"] = g.tok("00", (B64URL, 39), (B62, 1))
    t["auth0_secret"] = g.tok((B64URL, 64))
    t["clerk"] = g.tok("sk_live_", (B62, 40))
    t["workos"] = "sk_test_" + b64(("key_01" + g.s("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 24) + ","
                                    + g.s(B62, 25)).encode()).rstrip("=")
    t["stytch"] = g.tok("secret-live-", (B64URL, 35), "=")
    t["keycloak"] = g.tok((B62, 32))
    t["duo_ikey"] = g.tok("DI", (UPNUM, 18))
    t["duo_skey"] = g.tok((B62, 40))
    t["onelogin"] = g.tok((HEX, 64))
    t["jumpcloud"] = g.tok((HEX, 40))
    t["supabase_service_role"] = g.jwt({"alg": "HS256", "typ": "JWT"},
                                       {"iss": "supabase", "ref": g.s(LOWER, 20), "role": "service_role",
                                        "iat": 1735689600, "exp": 2051265600})
    t["supabase_anon"] = g.jwt({"alg": "HS256", "typ": "JWT"},
                               {"iss": "supabase", "ref": g.s(LOWER, 20), "role": "anon",
                                "iat": 1735689600, "exp": 2051265600})
    t["supabase_secret"] = g.tok("sb_secret_", (B64URL, 22), "_", (B62, 8))
    t["neon"] = g.tok("napi_", (LOWNUM, 64))
    t["atlas_sa_secret"] = g.tok("mdb_sa_sk_", (B64URL, 40))
    t["atlas_public"] = g.tok((LOWER, 8))
    t["atlas_private"] = g.uuid()
    t["upstash_rest"] = g.tok("AX", (B62, 2), "ASQg", (B62, 60), "=")
    t["qstash"] = b64(('{"UserID":"' + g.uuid() + '","Password":"' + g.s(HEX, 32) + '"}').encode())
    t["turso"] = g.jwt({"alg": "EdDSA", "typ": "JWT"},
                       {"a": "rw", "iat": 1735689600, "id": g.uuid(), "rid": g.uuid()})
    t["fcm_server_key"] = g.tok("AAAA", (B64URL, 7), ":APA91b", (B64URL, 134))
    t["algolia_admin"] = g.tok((HEX, 32))
    t["convex"] = ("prod:" + g.s(LOWER, 6) + "-" + g.s(LOWER, 5) + "-" + g.s(DIGITS, 3) + "|"
                   + base64.urlsafe_b64encode(('{"v2":"' + g.s(HEX, 32) + '"}').encode()).decode().rstrip("="))
    t["xata"] = g.tok("xau_", (B62, 33))
    # --- second batch: productivity, analytics, social, cloud, databases, developer-tools ------------------------
    t["contentful"] = g.tok("CFPAT-", (B64URL, 43))
    t["sanity"] = g.tok("sk", (B62, 180))
    t["airtable"] = g.tok("pat", (B62, 14), ".", (HEX, 64))
    t["notion"] = g.tok("ntn_", (DIGITS, 11), (B62, 35))
    t["notion_legacy"] = g.tok("secret_", (B62, 43))
    t["asana"] = g.tok("2/", (DIGITS, 16), "/", (DIGITS, 16), ":", (HEX, 32))
    t["trello"] = g.tok("ATTA", (HEX, 64), (HEXU, 8))
    t["monday"] = g.jwt({"alg": "HS256"}, {"tid": int(g.s(DIGITS[1:], 9)), "aai": 11, "uid": int(g.s(DIGITS[1:], 8)),
                                           "iad": "2025-01-01T00:00:00.000Z", "per": "me:write",
                                           "actid": int(g.s(DIGITS[1:], 7)), "rgn": "use1"})
    t["clickup"] = g.tok("pk_", (DIGITS, 8), "_", (UPNUM, 32))
    t["figma"] = g.tok("figd_", (B64URL, 40))
    t["figma_legacy"] = g.tok((HEX, 4), "-", g.uuid())
    t["hubspot"] = "pat-na1-" + g.uuid()
    t["salesforce"] = g.tok("00D", (B62, 12), "!", (B62 + "._", 96))
    t["dropbox"] = g.tok("sl.", (B64URL, 138))
    t["box"] = g.tok((B62, 32))
    t["twitter_secret"] = g.tok((B62, 50))
    t["twitter_access"] = g.tok((DIGITS[1:], 1), (DIGITS, 18), "-", (B62, 40))
    t["google_refresh"] = g.tok("1//0", (B64URL, 100))
    t["google_access"] = g.tok("ya29.", (B64URL, 150))
    t["typeform"] = g.tok("tfp_", (B64URL, 44), "_", (B64URL, 14))
    t["segment"] = g.tok("sgp_", (B62, 64))
    t["mixpanel"] = g.tok((B62, 32))
    t["amplitude"] = g.tok((HEX, 32))
    t["snowflake_pw"] = g.password(18)
    t["browserstack"] = g.tok((B62, 20))
    t["maxmind"] = g.tok((B62, 6), "_", (B62, 29), "_mmk")
    t["frameio"] = g.tok("fio-u-", (B64URL, 64))


CRYPT64 = "./" + DIGITS + UPPER + LOWER  # crypt(3)'s base64 alphabet
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def generate_third(g: Gen, t: dict) -> None:
    """The third batch, drawn after the second so that no earlier value changes."""
    rand_bytes = lambda n: bytes(g.rng.getrandbits(8) for _ in range(n))  # noqa: E731
    b64 = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    # --- third batch: cloud (Microsoft identifiable keys: fixed signature at a fixed offset) ----------------------
    t["az_storage_key2"] = g.tok((B64, 86), "==")
    for name, sig in [("storage", "+ASt"), ("cosmos", "ACDb"), ("batch", "+ABa"), ("apim", "APIM")]:
        t["az_ident_" + name] = g.tok((B64, 76), sig, (B64, 5), ("AQgw", 1), "==")
    for name, sig in [("servicebus", "+ASb"), ("eventhub", "+AEh"), ("relay", "+ARm"), ("iot", "AIoT"),
                      ("redis", "AzCa"), ("eventgrid", "AZEG")]:
        t["az_ident_" + name] = g.tok((B64, 33), sig, ("ABCDEFGHIJKLMNOP", 1), (B64, 5), "=")
    t["az_ident_function"] = g.tok((B64URL, 44), "AzFu", (B64URL, 5), ("AQgw", 1), "==")
    t["az_function_legacy"] = g.tok((B64URL, 54), "==")
    t["az_ident_search"] = g.tok((B64, 42), "AzSe", ("ABCD", 1), (B64, 5))
    t["az_redis_legacy"] = g.tok((B64, 43), "=")
    t["az_appconfig_id"] = g.tok((B62, 4), "-", (B62, 2), "-", (B62, 2), ":", (B64, 20))
    t["az_appconfig_secret"] = g.tok((B64, 43), "=")
    t["az_signalr_key"] = g.tok((B64, 43), "=")
    t["az_webpubsub_key"] = g.tok((B64, 43), "=")
    t["az_acs_key"] = g.tok((B64, 86), "==")
    t["az_publish_pwd"] = g.tok((B62, 60))
    t["entra_refresh"] = g.tok("0.A", (B64URL, 110), ".AgABAAEAAAD", (B64URL, 560))
    t["appsync"] = g.tok("da2-", (LOWNUM, 26))
    t["alibaba_sts"] = g.tok("STS.N", (B62, 27))  # unused (no rule); kept so later draws keep their values
    t["gcp_hmac_id"] = g.tok("GOOG1E", (UPNUM, 55))
    t["gcp_hmac_secret"] = g.tok((B64, 40))
    t["cf_user_token"] = g.tok("cfut_", (B62, 40), (HEX, 8))
    t["cf_account_token"] = g.tok("cfat_", (B62, 40), (HEX, 8))
    t["cf_global_key_new"] = g.tok("cfk_", (B62, 40), (HEX, 8))
    tunnel = json.dumps({"a": g.s(HEX, 32), "t": g.uuid(), "s": b64(rand_bytes(32))}, separators=(",", ":"))
    t["cf_tunnel"] = b64(tunnel.encode())
    t["cf_r2_key_id"] = g.tok((HEX, 32))
    t["cf_r2_secret"] = g.tok((HEX, 64))
    t["cf_access_client_id"] = g.tok((HEX, 32), ".access")
    t["cf_access_secret"] = g.tok((HEX, 64))
    t["k8s_bootstrap"] = g.tok((LOWNUM, 6), ".", (LOWNUM, 16))
    t["exoscale_key"] = g.tok("EXO", (HEX, 24))
    t["exoscale_secret"] = g.tok((B64URL, 43))
    t["ovh_app_key"] = g.tok((B62, 16))
    t["ovh_app_secret"] = g.tok((B62, 32))
    t["ovh_consumer_key"] = g.tok((B62, 32))
    t["upcloud"] = g.tok("ucat_", (CROCKFORD, 26))
    t["civo"] = g.tok((B62, 50))
    t["yandex_iam"] = g.tok("t1.9euelZ", (B64URL, 100), ".", (B64URL, 86))
    t["yandex_oauth"] = g.tok("y0_", (B64URL, 55))
    t["yandex_static_id"] = g.tok("YCAJE", (B64URL, 20))
    t["yandex_static_secret"] = g.tok("YC", (B64URL, 38))
    t["tencent_id"] = g.tok("AKID", (B62, 32))
    t["tencent_key"] = g.tok((B62, 32))
    t["akamai_client_secret"] = g.tok((B64, 43), "=")
    t["akamai_access_token"] = g.tok("akab-", (LOWNUM, 16), "-", (LOWNUM, 16))
    t["akamai_client_token"] = g.tok("akab-", (LOWNUM, 16), "-", (LOWNUM, 16))
    t["infomaniak"] = g.tok((B64URL, 80))  # hosting.toml
    # --- third batch: identity, password hashes ---------------------------------------------------------------
    t["ldap_pw"] = g.password(16)
    t["authress"] = g.tok("sc_", (LOWNUM, 20), ".", (LOWNUM, 5), ".acc_", (LOWNUM, 22), ".", (B64URL, 86))
    t["okta_client_secret"] = g.tok((B64URL, 64))  # unused (no rule); kept so later draws keep their values
    t["hash_md5crypt"] = g.tok("$1$", (CRYPT64, 8), "$", (CRYPT64, 22))
    t["hash_apr1"] = g.tok("$apr1$", (CRYPT64, 8), "$", (CRYPT64, 22))
    t["hash_bcrypt"] = g.tok("$2b$12$", (CRYPT64, 53))
    t["hash_bcrypt_y"] = g.tok("$2y$10$", (CRYPT64, 53))
    t["hash_sha256crypt"] = g.tok("$5$", (CRYPT64, 16), "$", (CRYPT64, 43))
    t["hash_sha512crypt"] = g.tok("$6$", (CRYPT64, 16), "$", (CRYPT64, 86))
    t["hash_sha512crypt_rounds"] = g.tok("$6$rounds=656000$", (CRYPT64, 16), "$", (CRYPT64, 86))
    t["hash_yescrypt"] = g.tok("$y$j9T$", (CRYPT64, 22), "$", (CRYPT64, 43))
    t["hash_htpasswd_sha"] = "{SHA}" + b64(rand_bytes(20))
    t["hash_argon2id"] = g.tok("$argon2id$v=19$m=65536,t=3,p=4$", (B64[:-2] + "+/", 22), "$", (B64[:-2] + "+/", 43))
    t["hash_ldap_ssha"] = "{SSHA}" + b64(rand_bytes(28))
    t["hash_django_pbkdf2"] = g.tok("pbkdf2_sha256$600000$", (B62, 22), "$", b64(rand_bytes(32)))
    # --- third batch: ci ----------------------------------------------------------------------------------------
    data = rand_bytes(48)
    t["jenkins_secret"] = "{" + b64(bytes([1, 0, 0, 0, 16, 0, 0, 0, len(data)]) + rand_bytes(16) + data) + "}"
    t["bitrise"] = g.tok((B64URL, 86))
    t["coveralls"] = g.tok((B62, 32))
    t["codeclimate"] = g.tok((HEX, 64))
    t["codacy_project"] = g.tok((HEX, 32))
    t["codacy_api"] = g.tok((B62, 20))
    t["mergify"] = g.tok("mergify_application_key_", (B64URL, 48))
    # --- third batch: source-hosting ----------------------------------------------------------------------------
    t["ghr_long"] = g.tok("ghr_", (B62, 76))
    t["glft"] = g.tok("glft-", (B64URL, 20))
    t["glffct"] = g.tok("glffct-", (B64URL, 20))
    t["glimt"] = g.tok("glimt-", (B64URL, 25))
    t["glsoat"] = g.tok("glsoat-", (B64URL, 20))
    t["gitlab_session"] = g.tok((HEX, 32))
    t["gh_oauth_secret"] = g.tok((HEX, 40))
    t["atlassian_dc_pat"] = b64((g.s(DIGITS[1:], 1) + g.s(DIGITS, 11) + ":").encode() + rand_bytes(20))
    t["phabricator"] = g.tok("api-", (LOWNUM, 28))
    t["bitbucket_client_secret"] = g.tok((B62, 32))
    # --- third batch: hosting -----------------------------------------------------------------------------------
    for p in ["vcp", "vci", "vca", "vcr", "vck"]:
        t["vercel_" + p] = g.tok(p + "_", (B62, 56))
    t["deno_ddp"] = g.tok("ddp_", (B62, 36))
    t["deno_ddo"] = g.tok("ddo_", (B62, 36))
    t["valtown"] = g.tok("vtwn_", (B62, 32))
    t["dnkey"] = g.tok("dnkey-", (UPNUM, 26), "-", (UPNUM, 52))
    # --- third batch: databases ---------------------------------------------------------------------------------
    t["cockroach"] = g.tok("CCDB1_", (B62, 22), "_", (B62, 40))
    t["astra"] = g.tok("AstraCS:", (LETTERS, 24), ":", (HEX, 64))
    t["aiven"] = g.tok((B64, 372))
    t["influxdb"] = g.tok((B64URL, 86), "==")
    tb = json.dumps({"u": g.uuid(), "id": g.uuid(), "host": "gcp-europe-west3"})
    t["tinybird"] = g.tok("p.", b64url(tb.encode()), ".", (B64URL, 43))
    t["appwrite"] = g.tok("standard_", (HEX, 256))
    # --- third batch: package-registries ------------------------------------------------------------------------
    t["swarm_join"] = g.tok("SWMTKN-1-", (LOWNUM, 50), "-", (LOWNUM, 25))
    t["swarm_unlock"] = g.tok("SWMKEY-1-", (B64, 43))
    t["dckr_oat"] = g.tok("dckr_oat_", (B64URL, 32))
    t["nuget_cleartext"] = g.password(16)
    t["jfrog_access"] = g.jwt({"ver": "2", "typ": "JWT", "alg": "RS256", "kid": g.s(B64URL, 43)},
                              {"ext": "{}", "sub": "jfac@01h" + g.s(LOWNUM, 18) + "/users/ci-bot",
                               "scp": "applied-permissions/user", "aud": "*@*",
                               "iss": "jfac@01h" + g.s(LOWNUM, 18), "exp": 4102444800, "iat": 1735689600,
                               "jti": g.uuid()})
    t["packagist_acs"] = g.tok("packagist_acs_", (HEX, 64))
    t["quay_robot"] = g.tok((UPNUM, 64))
    t["harbor_robot"] = g.tok((B62, 32))
    t["pyx"] = g.tok("sk-pyx-", (B62, 64))
    t["cargo_legacy"] = g.tok((B62, 32))
    # --- third batch: developer-tools ---------------------------------------------------------------------------
    t["sonar_legacy"] = g.tok((HEX, 40))
    t["odt"] = g.tok("odt_", (B62, 32))
    t["sauce"] = g.uuid()
    t["particle"] = g.tok((HEX, 40))
    t["pmat"] = g.tok("PMAT-", (UPNUM, 26))
    t["configcat"] = g.tok("configcat-sdk-1/", (B64URL, 22), "/", (B64URL, 22))
    t["configcat_legacy"] = g.tok((B64URL, 22), "/", (B64URL, 22))
    t["unleash"] = g.tok("*:production.", (HEX, 64))
    t["endor"] = g.tok("endr+", (B62, 16))
    t["wiz_secret"] = g.tok((B62, 64))
    t["stackhawk"] = g.tok("hawk.", (B64URL, 20), ".", (B64URL, 20))
    t["veracode_id"] = g.tok((HEX, 32))
    t["veracode_secret"] = g.tok((HEX, 128))
    t["deepsource"] = g.tok((HEX, 32))
    t["cypress"] = g.uuid()
    t["chromatic"] = g.tok("chpt_", (HEX, 14))
    t["apify"] = g.tok("apify_api_", (B62, 36))  # unused (Apify is in ai.toml); kept so later draws keep their values
    t["rapidapi"] = g.tok((HEX, 10), "msh", (HEX, 15), "p", (HEX, 6), "jsn", (HEX, 12))
    t["zuplo"] = g.tok("zpka_", (LOWNUM, 32), "_", (HEX, 8))
    t["unkey"] = g.tok("unkey_", (B62, 28))
    t["temporal"] = g.jwt({"alg": "ES256", "kid": g.s(B64URL, 8), "typ": "JWT"},
                          {"account_id": g.s(LOWNUM, 5), "aud": ["temporal.io"], "exp": 4102444800,
                           "iss": "temporal.io", "jti": g.s(B64URL, 32), "key_id": g.s(B64URL, 32),
                           "sub": g.s(HEX, 32)})
    t["keygen"] = g.tok("prod-", (HEX, 64), "v3")
    # --- third batch: secret-managers ---------------------------------------------------------------------------
    t["vault_unseal"] = b64(rand_bytes(33))
    t["vault_unseal_hex"] = rand_bytes(33).hex()
    t["vault_legacy_recovery"] = g.tok("r.", (B62, 24))
    t["hcp_client_id"] = g.tok((B62, 32))
    t["hcp_client_secret"] = g.tok((B64URL, 64))
    t["op_secret_key"] = g.tok("A3-", (UPNUM, 6), "-", (UPNUM, 11), "-", (UPNUM, 5), "-", (UPNUM, 5), "-",
                               (UPNUM, 5))
    t["bw_client_secret"] = g.tok((B62, 30))
    t["keeper"] = g.tok("US:", (B64URL, 43))
    t["dotenv_vault_key"] = g.tok("key_", (HEX, 64))
    t["dotenvx_private"] = g.tok((HEX, 64))
    # --- third batch: private-keys ------------------------------------------------------------------------------
    t["jwk_d"] = b64url(rand_bytes(32))
    t["jwk_x"] = b64url(rand_bytes(32))
    t["jwk_y"] = b64url(rand_bytes(32))
    t["eth_private"] = "0x" + g.tok((HEX, 64))
    # minisign: "Ed" "Sc" "B2" + salt, limits and the encrypted key (158 bytes); signify: "Ed" "BK" + rounds + salt,
    # checksum, key number and the encrypted key (104 bytes). The draws keep their earlier sizes (153, 99 bytes).
    t["minisign"] = b64(b"EdScB2" + rand_bytes(153)[:152])
    t["signify"] = b64(b"EdBK" + (42).to_bytes(4, "big") + rand_bytes(99)[:96])
    t["openvpn_static"] = rand_bytes(256).hex()
    t["dnssec_private"] = b64(rand_bytes(32))
    t["tsig_secret"] = b64(rand_bytes(32))
    t["ssh2_encrypted"] = b64(rand_bytes(600))
    t["cargo_alt"] = g.tok((B64URL, 48))
    t["vault_legacy_batch"] = g.tok("b.AAAAAQ", (B64URL, 130))
    t["godaddy_key"] = g.tok((B62, 12), "_", (B62, 22))
    t["godaddy_secret"] = g.tok((B62, 22))
    t["zerotier"] = g.tok((B62, 32))
    t["portainer"] = g.tok("ptr_", (B64, 43), "=")
    t["packagecloud"] = g.tok((HEX, 48))
    t["percy"] = g.tok("web_", (HEX, 64))
    t["testingbot_key"] = g.tok((HEX, 32))
    t["testingbot_secret"] = g.tok((HEX, 32))
    t["infura"] = g.tok((HEX, 32))  # unused (in crypto.toml); kept so later draws keep their values
    t["alchemy"] = g.tok((B64URL, 32))  # unused (in crypto.toml); kept so later draws keep their values
    t["etherscan"] = g.tok((UPNUM, 34))  # unused (in crypto.toml); kept so later draws keep their values
    t["meraki"] = g.tok((HEX, 40))
    t["confluent_key"] = g.tok((UPNUM, 16))
    t["confluent_secret"] = g.tok((B62 + "+/", 64))
    # Azure DevOps PAT in Microsoft's common annotated key layout: 52 random, JQQJ99, year (B = 2025), month (A-L),
    # 12 platform- and 4 provider-reserved characters (random here; zero padding, a run of A, in most real tokens),
    # the provider signature AZDO, and 4 checksum characters.
    t["ado_cask"] = g.tok((B62, 52), "JQQJ99B", ("ABCDEFGHIJKL", 1), (B62, 16), "AZDO", (B62, 4))
    t["ionic"] = g.tok("ion_", (B62, 42))
    t["wakatime"] = g.uuid()
    t["wakatime_legacy"] = g.uuid()
    t["virustotal"] = g.tok((HEX, 64))
    # Peer-parity batch (rules in developer-tools, ai, analytics, crypto, hosting, marketing, media, package-registries,
    # payments, productivity, social).
    t["abuseipdb"] = g.tok((HEX, 80))
    t["aikido_ci"] = g.tok("AIK_CI_", (B62, 40))
    t["aikido_secret"] = g.tok("AIK_SECRET_", (B62, 64))
    t["devcycle_server"] = g.tok("dvc_server_", (HEX, 8), "_", (HEX, 4), "_4", (HEX, 3), "_a", (HEX, 3), "_", (HEX, 12),
                                 "_", (HEX, 7))
    t["intra42"] = g.tok("s-s4t2ud-", (HEX, 64))
    t["workato"] = g.tok("wrkaus-eyJhbGciOiJSUzI1NiJ9.eyJ", (B64URL, 90), ".", (B64URL, 342))
    t["scalr"] = g.jwt({"alg": "HS256", "typ": "JWT"}, {"iss": "user", "jti": "at-" + g.s(LOWNUM, 20)})
    t["redirect_pizza"] = g.tok("rpa_", (B62, 30))
    t["sslmate"] = g.tok((B62, 36))
    t["thunderstore"] = g.tok("tss_", (B62, 40))
    t["settlemint_pat"] = g.tok("sm_pat_", (B62, 16))
    t["settlemint_sat"] = g.tok("sm_sat_", (B62, 16))
    t["polymarket_secret"] = g.tok((B64URL, 43), "=")
    t["databento"] = g.tok("db-", (B62, 29))
    t["finnhub"] = g.tok((LOWNUM, 20))
    t["datagov"] = g.tok((B62, 40))
    t["disqus"] = g.tok((B62, 64))
    t["nytimes"] = g.tok((B62, 32))
    t["beamer"] = g.tok("b_", (B64URL, 43), "=")
    t["instantly"] = g.tok((B64, 66), "==")
    t["freshbooks"] = g.tok((HEX, 64))
    t["rainforest"] = g.tok("apikey_", (HEX, 64))
    t["privateai"] = g.tok((HEX, 32))
    t["greptile"] = g.tok((B64, 48))
    # The JWT after Workato's `wrka<dc>-` prefix (the rule reports the JWT, as the generic jwt rule would); no draw.
    t["workato_jwt"] = t["workato"][len("wrkaus-"):]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=20251123)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    print_tokens(generate(args.seed), args.json)
    return 0


def print_tokens(tokens: dict, as_json: bool) -> None:
    """NAME=VALUE lines, or one JSON object (shared with synth_providers.py)."""
    if as_json:
        json.dump(tokens, sys.stdout, indent=1, sort_keys=True)
        print()
    else:
        for k in sorted(tokens):
            print(f"{k}={tokens[k]}")


if __name__ == "__main__":
    sys.exit(main())
