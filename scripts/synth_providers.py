#!/usr/bin/env python3
"""Print synthetic credentials for the provider rules added for issue #13 (AI, analytics, messaging, observability,
payments, productivity, social and the topic files created with them: crypto, ecommerce, iot, maps, marketing,
media).

The examples of those rules in rules/*.toml come from here, as the older ones come from scripts/synth_tokens.py, whose
generator this script reuses (same alphabets, same placeholder filter: a value containing "xxxx", "fake",
"0123456789", a run of 8 identical characters ... is drawn again, so every positive example survives the engine's
filter). None of the values grants access to anything.

Each topic has its own random stream, seeded from the seed and the topic's name, so adding a format to one topic
never changes another topic's values; within a topic, new formats are appended at the end of its function.

Usage:
  scripts/synth_providers.py            # NAME=VALUE lines
  scripts/synth_providers.py --json     # one JSON object {NAME: VALUE}
  scripts/synth_providers.py --seed 7   # a different, equally valid set
  scripts/synth_providers.py --all-but WORD...
      # a regex for every [A-Za-z0-9] string as long as the WORDs except them: how documented sample keys are spelled
      # out of a pattern (the Rust regex crate has no look-around), e.g. Stripe's sk_test_ samples in payments.toml
"""
import argparse
import base64
import json
import random
import sys

from synth_tokens import B62, B64, B64URL, DIGITS, HEX, HEXU, LETTERS, LOWER, LOWNUM, UPNUM, Gen, b64url, print_tokens

B32LOW = LOWER + "234567"


def class_without(alphabet: str, excluded: set) -> str:
    """A regex character class of `alphabet` minus `excluded`, as ranges (alphabet in ASCII order)."""
    keep = [c for c in sorted(alphabet) if c not in excluded]
    out, i = "", 0
    while i < len(keep):
        j = i
        while j + 1 < len(keep) and ord(keep[j + 1]) == ord(keep[j]) + 1:
            j += 1
        out += keep[i] if i == j else keep[i] + ("" if j == i + 1 else "-") + keep[j]
        i = j + 1
    return "[" + out + "]"


def all_but(words: list, alphabet: str, any_class: str) -> str:
    """A regex for every string of `alphabet` as long as `words` except the words themselves (no look-around in the
    Rust regex crate, so documented sample keys are spelled out of a pattern this way)."""
    n = len(words[0])

    def node(prefixes: list, depth: int) -> str:
        if depth == n:
            return ""
        nxt = sorted({w[depth] for w in prefixes})
        rest = n - depth - 1
        tail = f"{any_class}{{{rest}}}" if rest > 1 else any_class if rest == 1 else ""
        alts = [class_without(alphabet, set(nxt)) + tail]
        for c in nxt:
            sub = node([w for w in prefixes if w[depth] == c], depth + 1)
            if sub:
                alts.append(c + sub)
        return "(?:" + "|".join(alts) + ")"

    return node(words, 0)


def gen(seed: int, topic: str) -> Gen:
    g = Gen(0)
    g.rng = random.Random(f"{seed}:{topic}")
    return g


def ai(g: Gen, t: dict) -> None:
    """rules/ai.toml"""
    t["ai_anthropic_oat"] = g.tok("sk-ant-oat01-", (B64URL, 93), "AA")
    t["ai_anthropic_ort"] = g.tok("sk-ant-ort01-", (B64URL, 93), "AA")
    t["ai_cerebras"] = g.tok("csk-", (LOWNUM, 48))
    t["ai_cursor"] = g.tok("key_", (HEX, 64))
    t["ai_devin_user"] = g.tok("apk_user_", (B64, 150))
    t["ai_devin_service"] = g.tok("apk_", (B64, 88))
    t["ai_devin_cog"] = g.tok("cog_", (B32LOW, 52))
    t["ai_fal"] = g.uuid() + ":" + g.tok((HEX, 32))
    t["ai_kagi"] = g.tok((B64URL, 11), ".", (B64URL, 43))
    t["ai_moonshot"] = g.tok("sk-", (B62, 48))
    t["ai_llamacloud"] = g.tok("llx-", (B62, 48))
    t["ai_mem0"] = g.tok("m0-", (B62, 40))
    t["ai_minimax"] = g.tok("sk-api-", (B64URL, 119))
    t["ai_ollama"] = g.tok((HEX, 32), ".", (B64URL, 24))
    t["ai_retell"] = g.tok("key_", (HEX, 28))
    t["ai_runpod"] = g.tok("rpa_", (UPNUM, 40), (B62, 6))
    t["ai_upstage"] = g.tok("up_", (B62, 29))
    t["ai_zhipu"] = g.tok((HEX, 32), ".", (B62, 16))
    t["ai_cartesia"] = g.tok("sk_car_", (B62, 20))
    t["ai_brave"] = g.tok("BSA", (B64URL, 28))
    t["ai_exa"] = g.uuid()
    t["ai_e2b"] = g.tok("e2b_", (HEX, 40))
    t["ai_deepl_free"] = g.uuid() + ":fx"
    t["ai_deepl_pro"] = g.uuid()
    t["ai_ai21"] = g.tok((B62, 32))
    t["ai_browserbase"] = g.tok("bb_live_", (B64URL, 27))
    t["ai_clarifai"] = g.tok((HEX, 32))
    t["ai_dify"] = g.tok("app-", (B62, 24))
    t["ai_modal_id"] = g.tok("ak-", (B62, 22))
    t["ai_modal_secret"] = g.tok("as-", (B62, 22))
    t["ai_siliconflow"] = g.tok("sk-", (LOWER, 48))
    t["ai_voiceflow"] = g.tok("VF.DM.", (HEX, 24), ".", (B62, 16))
    t["ai_wandb_v1"] = g.tok("wandb_v1_", (B62 + "_", 77))
    t["ai_serpapi"] = g.tok((HEX, 64))
    t["ai_serper"] = g.tok((HEX, 40))
    t["ai_apify"] = g.tok("apify_api_", (B62, 36))
    t["ai_ark"] = g.uuid()


def analytics(g: Gen, t: dict) -> None:
    """rules/analytics.toml"""
    t["an_posthog_phx"] = g.tok("phx_", (B64URL, 47))
    t["an_posthog_phc"] = g.tok("phc_", (B64URL, 43))
    t["an_posthog_phs"] = g.tok("phs_", (B64URL, 47))
    t["an_posthog_pha"] = g.tok("pha_", (B62, 43))
    t["an_posthog_phr"] = g.tok("phr_", (B62, 43))
    t["an_segment_write"] = g.tok((B62, 32))
    t["an_fullstory"] = "na1." + base64.b64encode(g.tok((B62, 45)).encode()).decode()
    t["an_statsig"] = g.tok("secret-", (B62, 43))
    t["an_tableau"] = g.tok((B64, 22), "==:", (B62, 32))
    t["an_looker"] = g.tok((B62, 24))
    t["an_looker_id"] = g.tok((B62, 20))
    t["an_maxmind_legacy"] = g.tok((B62, 16))


def messaging(g: Gen, t: dict) -> None:
    """rules/messaging.toml"""
    t["ms_telegram"] = g.tok((DIGITS[1:], 1), (DIGITS, 9), ":AA", (B64URL, 33))
    t["ms_telegram_hash"] = g.tok((HEX, 32))
    t["ms_telegram_id"] = g.tok((DIGITS[1:], 1), (DIGITS, 7))
    t["ms_slack_xoxc"] = g.tok("xoxc-", (DIGITS, 12), "-", (DIGITS, 12), "-", (DIGITS, 13), "-", (HEX, 64))
    cookie = base64.b64encode(bytes(g.rng.getrandbits(8) for _ in range(110))).decode()
    t["ms_slack_xoxd"] = "xoxd-" + cookie.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    t["ms_slack_xoxs"] = g.tok("xoxs-", (DIGITS, 11), "-", (DIGITS, 12), "-", (DIGITS, 12), "-", (HEX, 64))
    t["ms_discord_secret"] = g.tok((B64URL, 32))
    t["ms_gitter"] = g.tok((HEX, 40))
    t["ms_sendbird"] = g.tok((HEX, 40))
    t["ms_telnyx"] = g.tok("KEY", (HEXU, 32), "_", (B62, 22))
    t["ms_mailersend"] = g.tok("mlsn.", (HEX, 64))
    t["ms_pushbullet"] = g.tok("o.", (B62, 32))
    t["ms_pushover"] = g.tok("a", (LOWNUM, 29))
    t["ms_onesignal_v2"] = g.tok("os_v2_app_", (B32LOW, 103))
    t["ms_onesignal_legacy"] = g.tok((B62, 48))
    t["ms_lark"] = g.tok((B62, 32))
    t["ms_webex"] = g.tok((B62, 64), "_PF84_") + g.uuid()
    t["ms_webex_secret"] = g.tok((HEX, 64))
    t["ms_ringcentral"] = g.tok((B64URL, 22))
    t["ms_livekit"] = g.tok((B62, 43))
    t["ms_pubnub"] = "sec-c-" + base64.b64encode(g.uuid().encode()).decode()
    t["ms_agora"] = g.tok((HEX, 32))
    t["ms_novu"] = g.tok((HEX, 32))
    t["ms_zulip"] = g.tok((B62, 32))
    local = base64.b64encode(b"ci-bot").decode().rstrip("=")
    t["ms_matrix"] = g.tok("syt_", local, "_", (LETTERS, 20), "_", (B62, 6))
    t["ms_mattermost"] = g.tok((LOWNUM, 26))
    t["ms_infobip"] = g.tok((HEX, 32), "-") + g.uuid()
    t["ms_smtp2go"] = g.tok("api-", (HEXU, 32))
    t["ms_mailtrap"] = g.tok((HEX, 32))
    t["ms_gcnotify"] = "gcntfy-ci_key-" + g.uuid() + "-" + g.uuid()
    t["ms_nylas"] = g.tok("nyk_v0_", (B62, 60))
    t["ms_brevo_smtp"] = g.tok("xsmtpsib-", (HEX, 64), "-", (B62, 16))
    t["ms_postmark"] = g.uuid()


def observability(g: Gen, t: dict) -> None:
    """rules/observability.toml"""
    grafana = json.dumps({"k": g.tok((B62, 32)), "n": "ci-deploy", "id": 1}, separators=(",", ":"))
    t["ob_grafana_legacy"] = base64.b64encode(grafana.encode()).decode()
    t["ob_nrjs"] = g.tok("NRJS-", (HEX, 19))
    t["ob_sentry_legacy"] = g.tok((HEX, 64))
    t["ob_airbrake"] = g.tok((HEX, 32))
    t["ob_checkly"] = g.tok("cu_", (HEX, 32))
    t["ob_statuspage"] = g.tok((HEX, 32))
    t["ob_uptimerobot"] = g.tok("u", (DIGITS, 7), "-", (HEX, 24))
    t["ob_rootly"] = g.tok("rootly_", (HEX, 64))
    t["ob_cronitor"] = g.tok((HEX, 32))
    t["ob_loggly"] = g.uuid()
    t["ob_papertrail"] = g.tok((B62, 20))
    t["ob_essu"] = g.tok("essu_", (B64, 100), "==")
    t["ob_coralogix"] = g.tok("cxtp_", (B62, 30))
    t["ob_appsignal"] = g.uuid()


def payments(g: Gen, t: dict) -> None:
    """rules/payments.toml"""
    t["pay_stripe_test24"] = g.tok("sk_test_", (B62, 24))
    t["pay_flw_test"] = g.tok("FLWSECK_TEST-", (HEX, 32), "-X")
    t["pay_flw_enc"] = g.tok("FLWSECK_TEST", (HEX, 12))
    t["pay_mercadopago"] = g.tok("APP_USR-", (DIGITS, 16), "-", (DIGITS, 6), "-", (HEX, 32), "-", (DIGITS, 9))
    t["pay_xendit"] = g.tok("xnd_production_", (B62, 60))
    t["pay_midtrans"] = g.tok("Mid-server-", (B64URL, 24))
    t["pay_mercury"] = g.tok("secret-token:mercury_production_wma_", (B62, 45), "_yrucrem")
    t["pay_ramp"] = g.tok("ramp_sec_", (B62, 48))
    t["pay_polar"] = g.tok("polar_oat_", (B64URL, 43))
    body = base64.b64encode(("::" + g.s(DIGITS, 12) + "::$aach_" + g.uuid()).encode()).decode()
    t["pay_asaas"] = "$aact_prod_" + g.tok((B64, 24)) + body
    t["pay_dwolla"] = g.tok((B62, 50))
    t["pay_finicity"] = g.tok((B62, 20))
    t["pay_recurly"] = g.tok((HEX, 32))
    t["pay_chargebee"] = g.tok("live_", (B62, 34))
    t["pay_authnet"] = g.tok((B62, 16))
    t["pay_wise"] = g.uuid()
    t["pay_onfido"] = g.tok("api_live.", (B64URL, 11), ".", (B64URL, 32))
    t["pay_persona"] = "persona_production_" + g.uuid()
    t["pay_paytm"] = g.tok((B62 + "#%&@!_", 16))
    t["pay_cashfree"] = g.tok("cfsk_ma_prod_", (HEX, 32), "_", (HEX, 8))


def productivity(g: Gen, t: dict) -> None:
    """rules/productivity.toml"""
    t["pr_calendly"] = g.jwt({"kid": g.s(HEX, 8), "typ": "PAT", "alg": "ES256"},
                             {"iss": "https://auth.calendly.com", "iat": 1735689600, "jti": g.uuid(),
                              "user_uuid": g.uuid()})
    t["pr_calcom"] = g.tok("cal_live_", (HEX, 32))
    t["pr_miro"] = b64url(b'{"miro.origin":"eu01"}') + "_" + g.tok((B64URL, 27))
    t["pr_canva"] = g.tok("cnvca", (B64URL, 51))
    t["pr_todoist"] = g.tok((HEX, 40))
    t["pr_shortcut"] = g.uuid()
    t["pr_linear_secret"] = g.tok((HEX, 32))
    t["pr_webflow"] = g.tok((HEX, 64))
    t["pr_contentstack"] = g.tok("cs", (HEX, 32))
    t["pr_contentful_cda"] = g.tok((B64URL, 43))
    t["pr_buttercms"] = g.tok((HEX, 40))
    t["pr_builderio"] = g.tok("bpk-", (HEX, 32))
    t["pr_ghost"] = g.tok((HEX, 24), ":", (HEX, 64))
    t["pr_docusign"] = g.uuid()
    t["pr_pandadoc"] = g.tok((HEX, 40))
    t["pr_jotform"] = g.tok((HEX, 32))
    t["pr_coda"] = g.uuid()
    t["pr_zapier"] = g.tok("https://hooks.zapier.com/hooks/catch/", (DIGITS, 8), "/", (LOWNUM, 7), "/")
    t["pr_make"] = g.tok("https://hook.eu1.make.com/", (LOWNUM, 32))
    t["pr_pipedrive"] = g.tok((HEX, 40))
    t["pr_zoho_refresh"] = g.tok("1000.", (HEX, 32), ".", (HEX, 32))
    t["pr_zoho_secret"] = g.tok((HEX, 42))
    t["pr_lokalise"] = g.tok((HEX, 40))
    t["pr_crowdin"] = g.tok((HEX, 80))
    t["pr_tolgee"] = g.tok("tgpak_", (LOWNUM, 40))
    t["pr_adobe"] = g.tok("p8e-", (B62, 32))
    t["pr_sf_refresh"] = g.tok("5Aep861", (B62 + "._", 80))
    t["pr_sf_consumer_secret"] = g.tok((HEXU, 64))
    t["pr_hubspot_legacy"] = g.uuid()
    t["pr_toggl"] = g.tok((HEX, 32))
    t["pr_dropbox_secret"] = g.tok((LOWNUM, 15))
    t["pr_hellosign"] = g.tok((HEX, 64))


def social(g: Gen, t: dict) -> None:
    """rules/social.toml"""
    t["so_fb_app_token"] = g.tok((DIGITS[1:], 1), (DIGITS, 14), "|", (HEX, 32))
    t["so_instagram"] = g.tok("IGQVJ", (B64URL, 180))
    t["so_twitch_stream"] = g.tok("live_", (DIGITS[1:], 1), (DIGITS, 8), "_", (B62, 30))
    t["so_twitch_oauth"] = g.tok("oauth:", (LOWNUM, 30))
    t["so_pinterest"] = g.tok("pina_", (UPNUM, 32), (B64URL, 60))
    t["so_linkedin"] = g.tok((B62, 16))
    t["so_reddit"] = g.tok((B64URL, 30))
    t["so_reddit_id"] = g.tok((B64URL, 22))
    t["so_spotify"] = g.tok((HEX, 32))
    t["so_strava"] = g.tok((HEX, 40))
    t["so_vk"] = g.tok("vk1.a.", (B64URL, 200))
    t["so_mastodon"] = g.tok((B64URL, 43))
    t["so_lichess"] = g.tok("lip_", (B62, 20))
    t["so_riot"] = "RGAPI-" + g.uuid()
    t["so_steam"] = g.tok((HEXU, 32))
    t["so_flickr"] = g.tok((HEX, 16))
    t["so_yelp"] = g.tok((B64URL, 128))
    t["so_fsq3"] = g.tok("fsq3", (B64, 44))
    t["so_foursquare_secret"] = g.tok((UPNUM, 48))
    t["so_eventbrite"] = g.tok((UPNUM, 20))
    t["so_bluesky"] = "-".join(g.tok((LOWNUM, 4)) for _ in range(4))


def marketing(g: Gen, t: dict) -> None:
    """rules/marketing.toml"""
    t["mk_klaviyo"] = g.tok("pk_", (HEX, 34))
    t["mk_iterable"] = g.tok((HEX, 32))
    t["mk_braze"] = g.uuid()
    t["mk_activecampaign"] = g.tok((HEX, 72))
    t["mk_kit_secret"] = g.tok((B64URL, 43))
    t["mk_mailerlite"] = g.jwt({"typ": "JWT", "alg": "RS256"},
                               {"aud": "4", "jti": g.s(HEX, 80), "iat": 1735689600, "nbf": 1735689600,
                                "sub": g.s(DIGITS, 6), "scopes": []})
    t["mk_hunter"] = g.tok((HEX, 40))
    t["mk_clearbit"] = g.tok("sk_", (HEX, 32))
    t["mk_apollo"] = g.tok((B64URL, 22))
    t["mk_bitly"] = g.tok((HEX, 40))
    t["mk_semrush"] = g.tok((HEX, 32))
    t["mk_getresponse"] = g.tok((LOWNUM, 32))
    t["mk_drip"] = g.tok((HEX, 32))
    t["mk_marketo"] = g.tok((B62, 32))


def media(g: Gen, t: dict) -> None:
    """rules/media.toml"""
    t["md_cloudinary_key"] = g.tok((DIGITS[1:], 1), (DIGITS, 14))
    t["md_cloudinary_secret"] = g.tok((B64URL, 27))
    t["md_imagekit"] = g.tok("private_", (B64, 28), "=")
    t["md_mux"] = g.tok((B64, 75))
    t["md_wistia"] = g.tok((HEX, 64))
    t["md_vimeo"] = g.tok((HEX, 32))
    t["md_unsplash"] = g.tok((B64URL, 43))
    t["md_giphy"] = g.tok((B62, 32))
    t["md_pexels"] = g.tok((B62, 56))
    t["md_uploadcare"] = g.tok((HEX, 20))
    t["md_transloadit"] = g.tok((HEX, 40))


def maps(g: Gen, t: dict) -> None:
    """rules/maps.toml"""
    t["mp_here"] = g.tok((B64URL, 43))
    t["mp_geoapify"] = g.tok((HEX, 32))
    t["mp_tomtom"] = g.tok((B62, 32))
    t["mp_locationiq"] = g.tok("pk.", (HEX, 32))
    t["mp_opencage"] = g.tok((HEX, 32))
    t["mp_mapquest"] = g.tok((B62, 32))
    t["mp_openweather"] = g.tok((HEX, 32))
    t["mp_weatherapi"] = g.tok((HEX, 31))
    t["mp_ipinfo"] = g.tok((HEX, 14))
    t["mp_apilayer"] = g.tok((HEX, 32))
    t["mp_ipgeolocation"] = g.tok((HEX, 32))
    t["mp_radar"] = g.tok("prj_live_sk_", (HEX, 40))


def crypto(g: Gen, t: dict) -> None:
    """rules/crypto.toml"""
    t["cr_binance"] = g.tok((B62, 64))
    t["cr_kraken"] = g.tok((B64, 86), "==")
    t["cr_kucoin"] = g.uuid()
    t["cr_bitfinex"] = g.tok((B62, 43))
    t["cr_bybit"] = g.tok((B62, 36))
    t["cr_okx"] = g.tok((HEXU, 32))
    t["cr_gemini"] = g.tok((B62, 28))
    t["cr_alchemy"] = g.tok((B64URL, 32))
    t["cr_infura"] = g.tok((HEX, 32))
    t["cr_etherscan"] = g.tok((UPNUM, 34))
    t["cr_moralis"] = g.jwt({"alg": "HS256", "typ": "JWT"},
                            {"nonce": g.uuid(), "orgId": g.s(DIGITS, 6), "userId": g.s(DIGITS, 6),
                             "typeId": g.uuid(), "type": "PROJECT", "iat": 1735689600, "exp": 4891363200})
    t["cr_cmc"] = g.uuid()


def ecommerce(g: Gen, t: dict) -> None:
    """rules/ecommerce.toml"""
    t["ec_woo_secret"] = g.tok("cs_", (HEX, 40))
    t["ec_woo_key"] = g.tok("ck_", (HEX, 40))
    t["ec_bigcommerce"] = g.tok((LOWNUM, 31))
    t["ec_ebay"] = "PRD-" + g.tok((HEX, 12)) + "-" + "-".join(g.tok((HEX, 4)) for _ in range(4))
    t["ec_squarespace"] = g.uuid()
    t["ec_gumroad"] = g.tok((B64URL, 43))
    t["ec_lob"] = g.tok("live_", (HEX, 35))
    t["ec_amazon_refresh"] = g.tok("Atzr|", (B64URL, 350))
    t["ec_etsy"] = g.tok((LOWNUM, 24))


def iot(g: Gen, t: dict) -> None:
    """rules/iot.toml"""
    t["io_aio"] = g.tok("aio_", (B62, 28))
    t["io_aio_legacy"] = g.tok((HEX, 32))
    t["io_blynk"] = g.tok((B64URL, 32))
    t["io_blynk_client"] = g.tok("oa2-client-id_", (B64URL, 32))
    t["io_blynk_secret"] = g.tok((B64URL, 40))
    t["io_samsara"] = g.tok("samsara_api_", (B62, 30))
    t["io_ubidots"] = g.tok("BBUS-", (B62, 30))


TOPICS = [ai, analytics, messaging, observability, payments, productivity, social, marketing, media, maps, crypto,
          ecommerce, iot]


def generate(seed: int) -> dict:
    t: dict = {}
    for topic in TOPICS:
        topic(gen(seed, topic.__name__), t)
    return t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=20251123)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--all-but", nargs="+", metavar="WORD",
                    help="print a regex matching every [A-Za-z0-9] string as long as the WORDs but them")
    args = ap.parse_args()
    if args.all_but:
        print(all_but(args.all_but, DIGITS + LETTERS, "[A-Za-z0-9]"))
        return 0
    print_tokens(generate(args.seed), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
