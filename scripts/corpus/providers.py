"""Provider tokens: one or two positives for every credsweep rule that matches a token format, and for the formats
and providers issue #13 section 3 names or the peers' public rule lists hold that live on developer and CI machines.

Each token sits under the variable its provider documents (OPENAI_API_KEY, DD_API_KEY ...) in realistic places:
.env files, shell exports, YAML, JSON, code in several languages, Dockerfiles, Kubernetes manifests, notebooks,
README snippets. Tokens whose only context is a keyword (a 32-hex Datadog key) carry that keyword in the name, as
they do in real files.

Expected credsweep rule: the rule's id for the formats it has a rule for; for the others a proposed id glob
(`adafruit-io-*`), and any finding whose `provider` names the same provider counts too (`accept_provider`), so a
new rule counts whatever its exact id.
"""
from . import values as V
from .layout import positive
from .generic import style

# (credsweep rule id, synth_tokens key, variable, provider, kind). Values come from synth_tokens.generate() with
# seeds derived from the corpus seed (never the seed of the rule examples).
RULE_ROWS = [
    ('openai-project-key', 'openai_proj', 'OPENAI_API_KEY', 'OpenAI', 'api-key'),
    ('openai-service-account-key', 'openai_svcacct', 'OPENAI_API_KEY', 'OpenAI', 'api-key'),
    ('openai-admin-key', 'openai_admin', 'OPENAI_ADMIN_KEY', 'OpenAI', 'api-key'),
    ('openai-legacy-key', 'openai_legacy', 'OPENAI_API_KEY', 'OpenAI', 'api-key'),
    ('anthropic-api-key', 'anthropic', 'ANTHROPIC_API_KEY', 'Anthropic', 'api-key'),
    ('anthropic-admin-key', 'anthropic_admin', 'ANTHROPIC_ADMIN_KEY', 'Anthropic', 'api-key'),
    ('huggingface-token', 'hf', 'HF_TOKEN', 'Hugging Face', 'access-token'),
    ('huggingface-org-token', 'hf_org', 'HUGGINGFACE_ORG_TOKEN', 'Hugging Face', 'api-key'),
    ('groq-api-key', 'groq', 'GROQ_API_KEY', 'Groq', 'api-key'),
    ('replicate-api-token', 'replicate', 'REPLICATE_API_TOKEN', 'Replicate', 'api-key'),
    ('perplexity-api-key', 'pplx', 'PERPLEXITY_API_KEY', 'Perplexity', 'api-key'),
    ('xai-api-key', 'xai', 'XAI_API_KEY', 'xAI', 'api-key'),
    ('openrouter-api-key', 'openrouter', 'OPENROUTER_API_KEY', 'OpenRouter', 'api-key'),
    ('langsmith-personal-token', 'langsmith_pt', 'LANGSMITH_API_KEY', 'LangChain', 'access-token'),
    ('langsmith-service-key', 'langsmith_sk', 'LANGCHAIN_API_KEY', 'LangChain', 'api-key'),
    ('aws-access-key-id', 'aws_asia', 'AWS_ACCESS_KEY_ID', 'AWS', 'access-key-id'),
    ('aws-secret-access-key', 'aws_secret2', 'AWS_SECRET_ACCESS_KEY', 'AWS', 'secret-key'),
    ('aws-session-token', 'aws_session', 'AWS_SESSION_TOKEN', 'AWS', 'access-token'),
    ('google-api-key', 'google_api', 'GOOGLE_API_KEY', 'Google Cloud', 'api-key'),
    ('google-oauth-client-secret', 'gocspx', 'GOOGLE_CLIENT_SECRET', 'Google Cloud', 'secret-key'),
    ('azure-ad-client-secret', 'azure_ad_secret', 'AZURE_CLIENT_SECRET', 'Microsoft Azure', 'secret-key'),
    ('digitalocean-pat', 'do_pat', 'DIGITALOCEAN_TOKEN', 'DigitalOcean', 'access-token'),
    ('digitalocean-oauth-token', 'do_oauth', 'DIGITALOCEAN_ACCESS_TOKEN', 'DigitalOcean', 'oauth-token'),
    ('digitalocean-refresh-token', 'do_refresh', 'DIGITALOCEAN_REFRESH_TOKEN', 'DigitalOcean', 'refresh-token'),
    ('alibaba-access-key-id', 'alibaba', 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'Alibaba Cloud', 'access-key-id'),
    ('cloudflare-origin-ca-key', 'cf_origin_ca', 'CF_ORIGIN_CA_KEY', 'Cloudflare', 'api-key'),
    ('cloudflare-api-token', 'cf_api_token', 'CLOUDFLARE_API_TOKEN', 'Cloudflare', 'api-key'),
    ('npm-access-token', 'npm', 'NPM_TOKEN', 'npm', 'access-token'),
    ('dockerhub-pat', 'dockerhub', 'DOCKERHUB_TOKEN', 'Docker', 'access-token'),
    ('vault-service-token', 'vault_hvs', 'VAULT_TOKEN', 'HashiCorp', 'access-token'),
    ('vault-batch-token', 'vault_hvb', 'VAULT_TOKEN', 'HashiCorp', 'access-token'),
    ('vault-legacy-token', 'vault_legacy', 'VAULT_TOKEN', 'HashiCorp', 'access-token'),
    ('terraform-cloud-token', 'tfc', 'TF_TOKEN_app_terraform_io', 'HashiCorp', 'api-key'),
    ('doppler-token', 'doppler_pt', 'DOPPLER_TOKEN', 'Doppler', 'access-token'),
    ('pulumi-access-token', 'pulumi', 'PULUMI_ACCESS_TOKEN', 'Pulumi', 'access-token'),
    ('postman-api-key', 'postman', 'POSTMAN_API_KEY', 'Postman', 'api-key'),
    ('grafana-service-account-token', 'grafana_sa', 'GRAFANA_TOKEN', 'Grafana', 'access-token'),
    ('grafana-cloud-token', 'grafana_cloud', 'GRAFANA_CLOUD_TOKEN', 'Grafana', 'access-token'),
    ('newrelic-user-api-key', 'newrelic', 'NEW_RELIC_API_KEY', 'New Relic', 'api-key'),
    ('sentry-org-token', 'sentry_org', 'SENTRY_AUTH_TOKEN', 'Sentry', 'access-token'),
    ('sentry-user-token', 'sentry_user', 'SENTRY_AUTH_TOKEN', 'Sentry', 'access-token'),
    ('databricks-token', 'databricks', 'DATABRICKS_TOKEN', 'Databricks', 'access-token'),
    ('linear-api-key', 'linear', 'LINEAR_API_KEY', 'Linear', 'api-key'),
    ('supabase-access-token', 'supabase', 'SUPABASE_ACCESS_TOKEN', 'Supabase', 'access-token'),
    ('tailscale-key', 'tailscale', 'TS_AUTHKEY', 'Tailscale', 'api-key'),
    ('onepassword-service-account-token', 'onepassword', 'OP_SERVICE_ACCOUNT_TOKEN', '1Password', 'service-account'),
    ('flyio-token', 'fly_fo1', 'FLY_API_TOKEN', 'Fly.io', 'access-token'),
    ('heroku-api-key', 'heroku', 'HEROKU_API_KEY', 'Heroku', 'api-key'),
    ('heroku-api-key-legacy', 'heroku_legacy', 'HEROKU_API_KEY', 'Heroku', 'api-key'),
    ('jfrog-api-key', 'jfrog_api', 'ARTIFACTORY_API_KEY', 'JFrog', 'api-key'),
    ('jfrog-reference-token', 'jfrog_ref', 'JFROG_ACCESS_TOKEN', 'JFrog', 'access-token'),
    ('rubygems-api-key', 'rubygems', 'GEM_HOST_API_KEY', 'RubyGems', 'api-key'),
    ('nuget-api-key', 'nuget', 'NUGET_API_KEY', 'NuGet', 'api-key'),
    ('sonarqube-token', 'sonar', 'SONAR_TOKEN', 'SonarSource', 'access-token'),
    ('dynatrace-token', 'dynatrace', 'DT_API_TOKEN', 'Dynatrace', 'api-key'),
    ('mapbox-secret-token', 'mapbox', 'MAPBOX_DOWNLOADS_TOKEN', 'Mapbox', 'access-token'),
    ('planetscale-token', 'planetscale_pw', 'DATABASE_PASSWORD', 'PlanetScale', 'password'),
    ('prefect-api-key', 'prefect', 'PREFECT_API_KEY', 'Prefect', 'api-key'),
    ('slack-bot-token', 'slack_xoxb', 'SLACK_BOT_TOKEN', 'Slack', 'access-token'),
    ('slack-user-token', 'slack_xoxp', 'SLACK_USER_TOKEN', 'Slack', 'access-token'),
    ('slack-app-token', 'slack_xapp', 'SLACK_APP_TOKEN', 'Slack', 'access-token'),
    ('slack-config-token', 'slack_config', 'SLACK_CONFIG_TOKEN', 'Slack', 'access-token'),
    ('slack-config-refresh-token', 'slack_config_refresh', 'SLACK_CONFIG_REFRESH_TOKEN', 'Slack', 'refresh-token'),
    ('discord-bot-token', 'discord_bot', 'DISCORD_BOT_TOKEN', 'Discord', 'access-token'),
    ('telegram-bot-token', 'telegram', 'TELEGRAM_BOT_TOKEN', 'Telegram', 'access-token'),
    ('sendgrid-api-key', 'sendgrid', 'SENDGRID_API_KEY', 'Twilio SendGrid', 'api-key'),
    ('twilio-api-key', 'twilio', 'TWILIO_API_KEY', 'Twilio', 'api-key'),
    ('mailgun-api-key', 'mailgun', 'MAILGUN_API_KEY', 'Mailgun', 'api-key'),
    ('mailchimp-api-key', 'mailchimp', 'MAILCHIMP_API_KEY', 'Mailchimp', 'api-key'),
    ('postmark-server-token', 'postmark', 'POSTMARK_SERVER_TOKEN', 'Postmark', 'api-key'),
    ('brevo-api-key', 'brevo', 'BREVO_API_KEY', 'Brevo', 'api-key'),
    ('mistral-api-key', 'mistral', 'MISTRAL_API_KEY', 'Mistral AI', 'api-key'),
    ('cohere-api-key', 'cohere', 'COHERE_API_KEY', 'Cohere', 'api-key'),
    ('together-api-key', 'together', 'TOGETHER_API_KEY', 'Together AI', 'api-key'),
    ('together-api-key-legacy', 'together_legacy', 'TOGETHER_API_KEY', 'Together AI', 'api-key'),
    ('fireworks-api-key', 'fireworks', 'FIREWORKS_API_KEY', 'Fireworks AI', 'api-key'),
    ('deepseek-api-key', 'deepseek', 'DEEPSEEK_API_KEY', 'DeepSeek', 'api-key'),
    ('elevenlabs-api-key', 'elevenlabs', 'ELEVENLABS_API_KEY', 'ElevenLabs', 'api-key'),
    ('pinecone-api-key', 'pinecone', 'PINECONE_API_KEY', 'Pinecone', 'api-key'),
    ('pinecone-api-key-legacy', 'pinecone_legacy', 'PINECONE_API_KEY', 'Pinecone', 'api-key'),
    ('wandb-api-key', 'wandb', 'WANDB_API_KEY', 'Weights & Biases', 'api-key'),
    ('voyage-api-key', 'voyage', 'VOYAGE_API_KEY', 'Voyage AI', 'api-key'),
    ('assemblyai-api-key', 'assemblyai', 'ASSEMBLYAI_API_KEY', 'AssemblyAI', 'api-key'),
    ('deepgram-api-key', 'deepgram', 'DEEPGRAM_API_KEY', 'Deepgram', 'api-key'),
    ('stability-api-key', 'stability', 'STABILITY_API_KEY', 'Stability AI', 'api-key'),
    ('runway-api-secret', 'runway', 'RUNWAYML_API_SECRET', 'Runway', 'api-key'),
    ('nvidia-api-key', 'nvidia', 'NVIDIA_API_KEY', 'NVIDIA', 'api-key'),
    ('tavily-api-key', 'tavily', 'TAVILY_API_KEY', 'Tavily', 'api-key'),
    ('jina-api-key', 'jina', 'JINA_API_KEY', 'Jina AI', 'api-key'),
    ('firecrawl-api-key', 'firecrawl', 'FIRECRAWL_API_KEY', 'Firecrawl', 'api-key'),
    ('langfuse-secret-key', 'langfuse', 'LANGFUSE_SECRET_KEY', 'Langfuse', 'secret-key'),
    ('digitalocean-spaces-secret-key', 'do_spaces_secret', 'DO_SPACES_SECRET', 'DigitalOcean', 'secret-key'),
    ('cloudflare-global-api-key', 'cf_global_key', 'CLOUDFLARE_API_KEY', 'Cloudflare', 'api-key'),
    ('alibaba-access-key-secret', 'alibaba_secret', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'Alibaba Cloud', 'secret-key'),
    ('ibm-cloud-api-key', 'ibm_cloud_key', 'IBMCLOUD_API_KEY', 'IBM Cloud', 'api-key'),
    ('linode-api-token', 'linode', 'LINODE_TOKEN', 'Akamai (Linode)', 'access-token'),
    ('vultr-api-key', 'vultr', 'VULTR_API_KEY', 'Vultr', 'api-key'),
    ('hetzner-cloud-api-token', 'hcloud', 'HCLOUD_TOKEN', 'Hetzner', 'access-token'),
    ('scaleway-access-key-id', 'scw_access', 'SCW_ACCESS_KEY', 'Scaleway', 'access-key-id'),
    ('scaleway-secret-key', 'scw_secret', 'SCW_SECRET_KEY', 'Scaleway', 'secret-key'),
    ('azure-devops-pat', 'ado_pat', 'AZURE_DEVOPS_EXT_PAT', 'Microsoft Azure', 'access-token'),
    ('azure-cosmos-db-key', 'cosmos_key', 'AZURE_COSMOS_KEY', 'Microsoft Azure', 'connection-string'),
    ('azure-container-registry-password', 'acr_password', 'ACR_PASSWORD', 'Microsoft Azure', 'password'),
    ('azure-openai-api-key', 'azure_openai', 'AZURE_OPENAI_API_KEY', 'Microsoft Azure', 'api-key'),
    ('aws-mws-auth-token', 'aws_mws', 'MWS_AUTH_TOKEN', 'AWS', 'access-token'),
    ('aws-bedrock-api-key', 'bedrock_long', 'AWS_BEARER_TOKEN_BEDROCK', 'AWS', 'api-key'),
    ('aws-bedrock-short-term-api-key', 'bedrock_short', 'AWS_BEARER_TOKEN_BEDROCK', 'AWS', 'access-token'),
    ('yandex-cloud-api-key', 'yandex_api_key', 'YC_API_KEY', 'Yandex Cloud', 'api-key'),
    ('openshift-user-token', 'openshift', 'OPENSHIFT_TOKEN', 'Red Hat OpenShift', 'access-token'),
    ('clickhouse-cloud-api-secret', 'clickhouse_secret', 'CLICKHOUSE_CLOUD_KEY_SECRET', 'ClickHouse', 'secret-key'),
    ('fastly-api-token', 'fastly', 'FASTLY_API_TOKEN', 'Fastly', 'api-key'),
    ('scalingo-api-token', 'scalingo', 'SCALINGO_API_TOKEN', 'Scalingo', 'access-token'),
    ('bitbucket-app-password', 'bitbucket_app_password', 'BITBUCKET_APP_PASSWORD', 'Atlassian Bitbucket', 'password'),
    ('bitbucket-access-token', 'bitbucket_access_token', 'BITBUCKET_ACCESS_TOKEN', 'Atlassian Bitbucket', 'access-token'),
    ('bitbucket-data-center-token', 'bitbucket_dc', 'BITBUCKET_TOKEN', 'Atlassian Bitbucket', 'access-token'),
    ('circleci-personal-api-token', 'ccipat', 'CIRCLECI_TOKEN', 'CircleCI', 'access-token'),
    ('circleci-project-api-token', 'cciprj', 'CIRCLE_PROJECT_TOKEN', 'CircleCI', 'access-token'),
    ('circleci-legacy-api-token', 'circle_legacy', 'CIRCLE_TOKEN', 'CircleCI', 'access-token'),
    ('travis-ci-api-token', 'travis', 'TRAVIS_API_TOKEN', 'Travis CI', 'access-token'),
    ('buildkite-api-token', 'buildkite', 'BUILDKITE_API_TOKEN', 'Buildkite', 'access-token'),
    ('jenkins-api-token', 'jenkins', 'JENKINS_API_TOKEN', 'Jenkins', 'access-token'),
    ('gitea-access-token', 'gitea', 'GITEA_TOKEN', 'Gitea', 'access-token'),
    ('sourcegraph-access-token', 'sourcegraph', 'SRC_ACCESS_TOKEN', 'Sourcegraph', 'access-token'),
    ('youtrack-permanent-token', 'youtrack', 'YOUTRACK_TOKEN', 'JetBrains', 'access-token'),
    ('teamcity-access-token', 'teamcity', 'TEAMCITY_TOKEN', 'JetBrains', 'access-token'),
    ('drone-ci-token', 'drone', 'DRONE_TOKEN', 'Drone', 'access-token'),
    ('private-packagist-token', 'packagist_user', 'COMPOSER_AUTH_TOKEN', 'Private Packagist', 'access-token'),
    ('hex-api-key', 'hex_key', 'HEX_API_KEY', 'Hex', 'api-key'),
    ('cloudsmith-api-key', 'cloudsmith', 'CLOUDSMITH_API_KEY', 'Cloudsmith', 'api-key'),
    ('gemfury-token', 'gemfury', 'FURY_TOKEN', 'Gemfury', 'access-token'),
    ('clojars-deploy-token', 'clojars', 'CLOJARS_PASSWORD', 'Clojars', 'access-token'),
    ('crates-io-api-token', 'crates_io', 'CARGO_REGISTRY_TOKEN', 'crates.io', 'access-token'),
    ('gradle-plugin-portal-secret', 'gradle_secret', 'GRADLE_PUBLISH_SECRET', 'Gradle', 'secret-key'),
    ('infisical-service-token', 'infisical', 'INFISICAL_TOKEN', 'Infisical', 'access-token'),
    ('akeyless-access-key', 'akeyless_key', 'AKEYLESS_ACCESS_KEY', 'Akeyless', 'secret-key'),
    ('bitwarden-sm-access-token', 'bws', 'BWS_ACCESS_TOKEN', 'Bitwarden', 'access-token'),
    ('conjur-api-key', 'conjur', 'CONJUR_AUTHN_API_KEY', 'CyberArk', 'api-key'),
    ('vercel-access-token', 'vercel', 'VERCEL_TOKEN', 'Vercel', 'access-token'),
    ('netlify-personal-access-token', 'netlify_nfp', 'NETLIFY_AUTH_TOKEN', 'Netlify', 'access-token'),
    ('netlify-access-token-legacy', 'netlify_legacy', 'NETLIFY_AUTH_TOKEN', 'Netlify', 'access-token'),
    ('render-api-key', 'render', 'RENDER_API_KEY', 'Render', 'api-key'),
    ('railway-api-token', 'railway', 'RAILWAY_TOKEN', 'Railway', 'access-token'),
    ('ngrok-authtoken', 'ngrok', 'NGROK_AUTHTOKEN', 'ngrok', 'access-token'),
    ('snyk-api-token', 'snyk', 'SNYK_TOKEN', 'Snyk', 'access-token'),
    ('codecov-upload-token', 'codecov', 'CODECOV_TOKEN', 'Codecov', 'access-token'),
    ('octopus-deploy-api-key', 'octopus', 'OCTOPUS_CLI_API_KEY', 'Octopus Deploy', 'api-key'),
    ('harness-access-token', 'harness', 'HARNESS_PLATFORM_API_KEY', 'Harness', 'access-token'),
    ('launchdarkly-access-token', 'launchdarkly_api', 'LAUNCHDARKLY_ACCESS_TOKEN', 'LaunchDarkly', 'api-key'),
    ('fernet-key', 'fernet', 'AIRFLOW__CORE__FERNET_KEY', 'Apache Airflow', 'secret-key'),
    ('sidekiq-license-credentials', 'sidekiq', 'BUNDLE_ENTERPRISE__CONTRIBSYS__COM', 'Contributed Systems', 'password'),
    ('infracost-api-key', 'infracost', 'INFRACOST_API_KEY', 'Infracost', 'api-key'),
    ('readme-api-key', 'readme', 'README_API_KEY', 'ReadMe', 'api-key'),
    ('okta-api-token', 'okta', 'OKTA_API_TOKEN', 'Okta', 'api-key'),
    ('auth0-client-secret', 'auth0_secret', 'AUTH0_CLIENT_SECRET', 'Auth0', 'secret-key'),
    ('clerk-secret-key', 'clerk', 'CLERK_SECRET_KEY', 'Clerk', 'secret-key'),
    ('workos-api-key', 'workos', 'WORKOS_API_KEY', 'WorkOS', 'api-key'),
    ('stytch-secret', 'stytch', 'STYTCH_SECRET', 'Stytch', 'secret-key'),
    ('keycloak-client-secret', 'keycloak', 'KEYCLOAK_CLIENT_SECRET', 'Keycloak', 'secret-key'),
    ('duo-secret-key', 'duo_skey', 'DUO_SECRET_KEY', 'Cisco Duo', 'secret-key'),
    ('onelogin-client-secret', 'onelogin', 'ONELOGIN_CLIENT_SECRET', 'OneLogin', 'secret-key'),
    ('jumpcloud-api-key', 'jumpcloud', 'JUMPCLOUD_API_KEY', 'JumpCloud', 'api-key'),
    ('supabase-secret-key', 'supabase_secret', 'SUPABASE_SECRET_KEY', 'Supabase', 'api-key'),
    ('neon-api-key', 'neon', 'NEON_API_KEY', 'Neon', 'api-key'),
    ('mongodb-atlas-service-account-secret', 'atlas_sa_secret', 'ATLAS_CLIENT_SECRET', 'MongoDB Atlas', 'secret-key'),
    ('upstash-redis-rest-token', 'upstash_rest', 'UPSTASH_REDIS_REST_TOKEN', 'Upstash', 'access-token'),
    ('upstash-qstash-token', 'qstash', 'QSTASH_TOKEN', 'Upstash', 'access-token'),
    ('firebase-cloud-messaging-server-key', 'fcm_server_key', 'FCM_SERVER_KEY', 'Google Firebase', 'api-key'),
    ('algolia-admin-api-key', 'algolia_admin', 'ALGOLIA_ADMIN_API_KEY', 'Algolia', 'api-key'),
    ('convex-deploy-key', 'convex', 'CONVEX_DEPLOY_KEY', 'Convex', 'access-token'),
    ('xata-api-key', 'xata', 'XATA_API_KEY', 'Xata', 'api-key'),
    ('datadog-api-key', 'dd_api', 'DD_API_KEY', 'Datadog', 'api-key'),
    ('datadog-application-key', 'dd_app', 'DD_APP_KEY', 'Datadog', 'api-key'),
    ('newrelic-license-key', 'nr_license_eu', 'NEW_RELIC_LICENSE_KEY', 'New Relic', 'api-key'),
    ('newrelic-insert-key', 'nr_insert', 'NEW_RELIC_KEY', 'New Relic', 'api-key'),
    ('newrelic-query-key', 'nr_query', 'NEW_RELIC_KEY', 'New Relic', 'api-key'),
    ('newrelic-rest-api-key', 'nr_rest', 'NEW_RELIC_KEY', 'New Relic', 'api-key'),
    ('newrelic-admin-key', 'nr_admin', 'NEW_RELIC_KEY', 'New Relic', 'api-key'),
    ('newrelic-pixie-key', 'pixie', 'PX_API_KEY', 'New Relic', 'api-key'),
    ('honeycomb-api-key', 'honeycomb', 'HONEYCOMB_API_KEY', 'Honeycomb', 'api-key'),
    ('honeycomb-classic-key', 'honeycomb_classic', 'HONEYCOMB_WRITEKEY', 'Honeycomb', 'api-key'),
    ('splunk-hec-token', 'splunk_hec', 'SPLUNK_HEC_TOKEN', 'Splunk', 'access-token'),
    ('elastic-api-key', 'elastic', 'ELASTIC_API_KEY', 'Elastic', 'api-key'),
    ('logzio-token', 'logzio', 'LOGZIO_TOKEN', 'Logz.io', 'access-token'),
    ('bugsnag-api-key', 'bugsnag', 'BUGSNAG_API_KEY', 'BugSnag', 'api-key'),
    ('rollbar-access-token', 'rollbar', 'ROLLBAR_ACCESS_TOKEN', 'Rollbar', 'access-token'),
    ('pagerduty-api-key', 'pagerduty', 'PAGERDUTY_TOKEN', 'PagerDuty', 'api-key'),
    ('opsgenie-api-key', 'opsgenie', 'OPSGENIE_API_KEY', 'Atlassian Opsgenie', 'api-key'),
    ('betterstack-token', 'betterstack', 'LOGTAIL_SOURCE_TOKEN', 'Better Stack', 'access-token'),
    ('axiom-token', 'axiom', 'AXIOM_TOKEN', 'Axiom', 'access-token'),
    ('mezmo-ingestion-key', 'mezmo', 'LOGDNA_INGESTION_KEY', 'Mezmo', 'api-key'),
    ('sumologic-access-key', 'sumo_key', 'SUMO_ACCESS_KEY', 'Sumo Logic', 'secret-key'),
    ('paypal-client-secret', 'paypal_secret', 'PAYPAL_CLIENT_SECRET', 'PayPal', 'secret-key'),
    ('adyen-api-key', 'adyen', 'ADYEN_API_KEY', 'Adyen', 'api-key'),
    ('razorpay-key-secret', 'razorpay_secret', 'RAZORPAY_KEY_SECRET', 'Razorpay', 'secret-key'),
    ('paystack-secret-key', 'paystack', 'PAYSTACK_SECRET_KEY', 'Paystack', 'secret-key'),
    ('coinbase-api-secret', 'coinbase_ed25519', 'COINBASE_API_SECRET', 'Coinbase', 'secret-key'),
    ('mollie-api-key', 'mollie', 'MOLLIE_API_KEY', 'Mollie', 'api-key'),
    ('checkout-com-secret-key', 'checkout_sbox', 'CKO_SECRET_KEY', 'Checkout.com', 'secret-key'),
    ('gocardless-access-token', 'gocardless', 'GOCARDLESS_ACCESS_TOKEN', 'GoCardless', 'access-token'),
    ('lemon-squeezy-api-key', 'lemonsqueezy', 'LEMONSQUEEZY_API_KEY', 'Lemon Squeezy', 'api-key'),
    ('paddle-api-key', 'paddle', 'PADDLE_API_KEY', 'Paddle', 'api-key'),
    ('plaid-secret', 'plaid_secret', 'PLAID_SECRET', 'Plaid', 'secret-key'),
    ('easypost-api-key', 'easypost', 'EASYPOST_API_KEY', 'EasyPost', 'api-key'),
    ('shippo-api-token', 'shippo', 'SHIPPO_API_TOKEN', 'Shippo', 'api-key'),
    ('duffel-access-token', 'duffel', 'DUFFEL_ACCESS_TOKEN', 'Duffel', 'access-token'),
    ('mailjet-secret-key', 'mailjet_secret', 'MJ_APIKEY_PRIVATE', 'Mailjet', 'secret-key'),
    ('mandrill-api-key', 'mandrill', 'MANDRILL_API_KEY', 'Mailchimp', 'api-key'),
    ('sparkpost-api-key', 'sparkpost', 'SPARKPOST_API_KEY', 'SparkPost', 'api-key'),
    ('resend-api-key', 'resend', 'RESEND_API_KEY', 'Resend', 'api-key'),
    ('loops-api-key', 'loops', 'LOOPS_API_KEY', 'Loops', 'api-key'),
    ('customerio-api-key', 'customerio', 'CUSTOMERIO_APP_API_KEY', 'Customer.io', 'api-key'),
    ('pusher-app-secret', 'pusher', 'PUSHER_APP_SECRET', 'Pusher', 'secret-key'),
    ('ably-api-key', 'ably', 'ABLY_API_KEY', 'Ably', 'api-key'),
    ('vonage-api-secret', 'vonage', 'VONAGE_API_SECRET', 'Vonage', 'secret-key'),
    ('plivo-auth-token', 'plivo', 'PLIVO_AUTH_TOKEN', 'Plivo', 'secret-key'),
    ('messagebird-api-key', 'messagebird', 'MESSAGEBIRD_ACCESS_KEY', 'MessageBird', 'api-key'),
    ('intercom-access-token', 'intercom', 'INTERCOM_ACCESS_TOKEN', 'Intercom', 'access-token'),
    ('zendesk-api-token', 'zendesk', 'ZENDESK_API_TOKEN', 'Zendesk', 'api-key'),
    ('freshdesk-api-key', 'freshdesk', 'FRESHDESK_API_KEY', 'Freshworks', 'api-key'),
    ('zoom-client-secret', 'zoom', 'ZOOM_CLIENT_SECRET', 'Zoom', 'secret-key'),
    ('line-channel-secret', 'line_secret', 'LINE_CHANNEL_SECRET', 'LINE', 'secret-key'),
    ('line-channel-access-token', 'line_token', 'LINE_CHANNEL_ACCESS_TOKEN', 'LINE', 'access-token'),
    ('meta-graph-access-token', 'meta_token', 'WHATSAPP_ACCESS_TOKEN', 'Meta', 'access-token'),
    ('facebook-graph-explorer-token', 'fb_explorer', 'ACCESS_TOKEN', 'Meta', 'access-token'),
    ('facebook-app-secret', 'fb_app_secret', 'FACEBOOK_APP_SECRET', 'Meta', 'secret-key'),
    ('twilio-auth-token', 'twilio_auth', 'TWILIO_AUTH_TOKEN', 'Twilio', 'secret-key'),
    ('twitch-client-secret', 'twitch', 'TWITCH_CLIENT_SECRET', 'Twitch', 'secret-key'),
    ('contentful-management-token', 'contentful', 'CONTENTFUL_MANAGEMENT_TOKEN', 'Contentful', 'access-token'),
    ('sanity-api-token', 'sanity', 'SANITY_API_TOKEN', 'Sanity', 'access-token'),
    ('airtable-personal-access-token', 'airtable', 'AIRTABLE_PAT', 'Airtable', 'access-token'),
    ('notion-integration-token', 'notion', 'NOTION_TOKEN', 'Notion', 'access-token'),
    ('notion-integration-token-legacy', 'notion_legacy', 'NOTION_API_KEY', 'Notion', 'access-token'),
    ('asana-personal-access-token', 'asana', 'ASANA_ACCESS_TOKEN', 'Asana', 'access-token'),
    ('trello-api-token', 'trello', 'TRELLO_TOKEN', 'Atlassian Trello', 'access-token'),
    ('trello-api-token-legacy', 'together_legacy', 'TRELLO_TOKEN', 'Atlassian Trello', 'access-token'),
    ('clickup-api-token', 'clickup', 'CLICKUP_API_TOKEN', 'ClickUp', 'access-token'),
    ('figma-personal-access-token', 'figma', 'FIGMA_TOKEN', 'Figma', 'access-token'),
    ('figma-personal-access-token-legacy', 'figma_legacy', 'FIGMA_ACCESS_TOKEN', 'Figma', 'access-token'),
    ('hubspot-private-app-token', 'hubspot', 'HUBSPOT_ACCESS_TOKEN', 'HubSpot', 'access-token'),
    ('salesforce-access-token', 'salesforce', 'SFDX_ACCESS_TOKEN', 'Salesforce', 'access-token'),
    ('dropbox-access-token', 'dropbox', 'DROPBOX_ACCESS_TOKEN', 'Dropbox', 'access-token'),
    ('box-api-secret', 'box', 'BOX_CLIENT_SECRET', 'Box', 'secret-key'),
    ('twitter-api-secret', 'twitter_secret', 'TWITTER_API_SECRET', 'X (Twitter)', 'secret-key'),
    ('twitter-access-token', 'twitter_access', 'TWITTER_ACCESS_TOKEN', 'X (Twitter)', 'access-token'),
    ('google-oauth-refresh-token', 'google_refresh', 'GOOGLE_REFRESH_TOKEN', 'Google', 'refresh-token'),
    ('google-oauth-access-token', 'google_access', 'GOOGLE_ACCESS_TOKEN', 'Google', 'access-token'),
    ('typeform-personal-access-token', 'typeform', 'TYPEFORM_TOKEN', 'Typeform', 'access-token'),
    ('segment-public-api-token', 'segment', 'SEGMENT_PUBLIC_API_TOKEN', 'Twilio Segment', 'access-token'),
    ('mixpanel-api-secret', 'mixpanel', 'MIXPANEL_API_SECRET', 'Mixpanel', 'secret-key'),
    ('amplitude-secret-key', 'amplitude', 'AMPLITUDE_SECRET_KEY', 'Amplitude', 'secret-key'),
    ('snowflake-password', 'snowflake_pw', 'SNOWFLAKE_PASSWORD', 'Snowflake', 'password'),
    ('browserstack-access-key', 'browserstack', 'BROWSERSTACK_ACCESS_KEY', 'BrowserStack', 'api-key'),
    ('maxmind-license-key', 'maxmind', 'MAXMIND_LICENSE_KEY', 'MaxMind', 'api-key'),
    ('frameio-api-token', 'frameio', 'FRAMEIO_TOKEN', 'Frame.io', 'access-token'),
    ('supabase-service-role-key', 'supabase_service_role', 'SUPABASE_SERVICE_ROLE_KEY', 'Supabase', 'jwt'),
    ('mongodb-atlas-api-private-key', 'atlas_private', 'MONGODB_ATLAS_PRIVATE_KEY', 'MongoDB Atlas', 'secret-key'),
    ('turso-auth-token', 'turso', 'TURSO_AUTH_TOKEN', 'Turso', 'jwt'),
    ('braintree-private-key', 'braintree_private', 'BRAINTREE_PRIVATE_KEY', 'PayPal Braintree', 'secret-key'),
    ('monday-api-token', 'monday', 'MONDAY_API_TOKEN', 'monday.com', 'jwt'),
    ('age-secret-key', 'age', 'SOPS_AGE_KEY', 'age', 'private-key'),
    ('stripe-secret-key', 'stripe_live', 'STRIPE_SECRET_KEY', 'Stripe', 'secret-key'),
    ('stripe-restricted-key', 'stripe_restricted', 'STRIPE_RESTRICTED_KEY', 'Stripe', 'secret-key'),
    ('stripe-test-key', 'stripe_test', 'STRIPE_SECRET_KEY', 'Stripe', 'secret-key'),
    ('stripe-webhook-secret', 'stripe_whsec', 'STRIPE_WEBHOOK_SECRET', 'Stripe', 'webhook'),
    ('square-access-token', 'square_eaaa', 'SQUARE_ACCESS_TOKEN', 'Square', 'access-token'),
    ('square-legacy-access-token', 'square_sq0atp', 'SQUARE_ACCESS_TOKEN', 'Square', 'access-token'),
    ('square-oauth-secret', 'square_sq0csp', 'SQUARE_APP_SECRET', 'Square', 'secret-key'),
    ('shopify-access-token', 'shopify_shpat', 'SHOPIFY_ACCESS_TOKEN', 'Shopify', 'access-token'),
    ('shopify-custom-app-token', 'shopify_shpca', 'SHOPIFY_ACCESS_TOKEN', 'Shopify', 'access-token'),
    ('shopify-private-app-password', 'shopify_shppa', 'SHOPIFY_PASSWORD', 'Shopify', 'password'),
    ('shopify-shared-secret', 'shopify_shpss', 'SHOPIFY_API_SECRET', 'Shopify', 'secret-key'),
    ('braintree-access-token', 'braintree', 'BRAINTREE_ACCESS_TOKEN', 'PayPal Braintree', 'access-token'),
    ('plaid-access-token', 'plaid', 'PLAID_ACCESS_TOKEN', 'Plaid', 'access-token'),
    ('flutterwave-secret-key', 'flutterwave', 'FLW_SECRET_KEY', 'Flutterwave', 'secret-key'),
    ('github-pat-classic', 'ghp', 'GITHUB_TOKEN', 'GitHub', 'access-token'),
    ('github-oauth-token', 'gho', 'GITHUB_OAUTH_TOKEN', 'GitHub', 'oauth-token'),
    ('github-user-to-server-token', 'ghu', 'GITHUB_USER_TOKEN', 'GitHub', 'access-token'),
    ('github-app-installation-token', 'ghs', 'GITHUB_APP_TOKEN', 'GitHub', 'access-token'),
    ('github-refresh-token', 'ghr', 'GITHUB_REFRESH_TOKEN', 'GitHub', 'refresh-token'),
    ('github-pat-fine-grained', 'github_pat', 'GH_TOKEN', 'GitHub', 'access-token'),
    ('gitlab-pat', 'glpat', 'GITLAB_TOKEN', 'GitLab', 'access-token'),
    ('gitlab-pipeline-trigger-token', 'glptt', 'GITLAB_TRIGGER_TOKEN', 'GitLab', 'access-token'),
    ('gitlab-runner-token', 'glrt', 'GITLAB_RUNNER_TOKEN', 'GitLab', 'access-token'),
    ('gitlab-runner-registration-token', 'glrrt', 'REGISTRATION_TOKEN', 'GitLab', 'access-token'),
    ('gitlab-deploy-token', 'gldt', 'GITLAB_DEPLOY_TOKEN', 'GitLab', 'access-token'),
    ('gitlab-agent-token', 'glagent', 'GITLAB_AGENT_TOKEN', 'GitLab', 'access-token'),
    ('gitlab-oauth-app-secret', 'gloas', 'GITLAB_APP_SECRET', 'GitLab', 'secret-key'),
    ('gitlab-cicd-job-token', 'glcbt', 'CI_JOB_TOKEN', 'GitLab', 'access-token'),
    ('atlassian-api-token', 'atlassian', 'JIRA_API_TOKEN', 'Atlassian', 'api-key'),
]

# Where a provider token is planted: (file kind, name style, template). {n} the variable in that style, {v} the value.
PLACEMENTS = [
    ("env", "screaming", "{n}={v}"), ("env", "screaming", "{n}=\"{v}\""), ("sh", "screaming", "export {n}=\"{v}\""),
    ("yaml", "snake", "  {n}: {v}"), ("yaml", "snake", "  {n}: \"{v}\""), ("json", "snake", None),
    ("py", "screaming", "{n} = \"{v}\""), ("py", "screaming", "os.environ[\"{n}\"] = \"{v}\""),
    ("py", "snake", "{n} = '{v}'"), ("js", "camel", "const {n} = '{v}';"), ("ts", "camel", "export const {n} = \"{v}\";"),
    ("go", "camel", "\t{n} := \"{v}\""), ("java", "camel", "        String {n} = \"{v}\";"),
    ("cs", "pascal", "            var {n} = \"{v}\";"), ("php", "screaming", "define('{n}', '{v}');"),
    ("rb", "screaming", "ENV['{n}'] = '{v}'"), ("docker", "screaming", "ENV {n}={v}"),
    ("k8s", "screaming", "            - name: {n}\n              value: \"{v}\""), ("compose", "screaming", "      - {n}={v}"),
    ("ipynb", "screaming", "os.environ[\"{n}\"] = \"{v}\""), ("md", "screaming", "```bash\nexport {n}={v}\n```"),
    ("ps1", "screaming", "$env:{n} = \"{v}\""), ("properties", "dotted", "{n}={v}"), ("toml", "snake", "{n} = \"{v}\""),
    ("tf", "snake", "  {n} = \"{v}\""), ("xml", "camel", "  <{n}>{v}</{n}>"),
    ("dotnet", "pascal", "    <add key=\"{n}\" value=\"{v}\" />"), ("http", "snake", "@{n} = {v}\n"),
]
QUOTED_KINDS = {"json", "py", "js", "ts", "go", "java", "cs", "ipynb"}
UNQUOTABLE = set("&<>\"'\\ #;()|`$")


def macaroon(location: str, v) -> str:
    """A PyPI API token: 'pypi-' + base64url of a v2 macaroon (location, identifier, one caveat, signature)."""
    ident = ("pypi-" + v.s(V.HEX, 32)).encode()
    caveat = b'{"permissions": "user", "version": 1}'
    raw = (b"\x02\x01" + bytes([len(location)]) + location.encode() + b"\x02" + bytes([len(ident)]) + ident + b"\x00"
           + b"\x02" + bytes([len(caveat)]) + caveat + b"\x00\x00\x06\x20" + v.randbytes(32))
    return "pypi-" + V.base64.urlsafe_b64encode(raw).decode().rstrip("=")


def ado_pat(v) -> str:
    """Azure DevOps PAT, 84 characters: Microsoft's common annotated key format, 'JQQJ99' at 52 and 'AZDO' at 76."""
    return v.tok((V.B62, 52), "JQQJ99", (V.B62, 18), "AZDO", (V.B62, 4))


def grafana_legacy(v) -> str:
    body = '{"k":"%s","n":"%s","id":%d}' % (v.s(V.B62, 32), v.choice(["ci", "deploy", "dashboards"]), v.rng.randint(1, 99))
    return V.b64(body.encode())


def entra_refresh(v) -> str:
    return v.tok("0.A", (V.B64URL, 4), "AA", (V.B64URL, 420), "-", (V.B64URL, 300))


# Formats credsweep has no rule for yet, or plants a rule must also find: (expect globs, provider, kind, variables,
# generator, source). Several variables give several placements.
EXTRAS = [
    (["adafruit-*"], "Adafruit IO", "api-key", ["ADAFRUIT_IO_KEY", "AIO_KEY"], lambda v: v.tok("aio_", (V.B62, 28)), "issue-13"),
    (["posthog-*"], "PostHog", "api-key", ["POSTHOG_PERSONAL_API_KEY"], lambda v: v.tok("phx_", (V.B62, 43)), "issue-13"),
    (["posthog-*"], "PostHog", "api-key", ["POSTHOG_API_KEY", "NEXT_PUBLIC_POSTHOG_KEY"], lambda v: v.tok("phc_", (V.B62, 43)), "issue-13"),
    (["telegram-bot-token"], "Telegram", "access-token", ["ALERTS_TG", "NOTIFY_CHANNEL"],
     lambda v: v.tok((V.DIGITS[1:], 1), (V.DIGITS, 9), ":AA", (V.B64URL, 33)), "issue-13"),
    (["twitch-*"], "Twitch", "access-token", ["TWITCH_STREAM_KEY", "STREAM_KEY"],
     lambda v: v.tok("live_", (V.DIGITS, 9), "_", (V.B62, 30)), "issue-13"),
    (["dependency-track-*"], "Dependency-Track", "api-key", ["DTRACK_API_KEY", "DEPENDENCY_TRACK_API_KEY"],
     lambda v: v.tok("odt_", (V.B62, 32)), "issue-13"),
    (["azure-devops-pat"], "Microsoft Azure", "access-token", ["AZURE_DEVOPS_EXT_PAT", "ADO_PAT"], ado_pat, "issue-13"),
    (["vault-*"], "HashiCorp", "access-token", ["VAULT_TOKEN"], lambda v: v.tok("b.AAAAAQ", (V.B64URL, 120)), "issue-13"),
    (["vault-*"], "HashiCorp", "access-token", ["VAULT_TOKEN"], lambda v: v.tok("r.", (V.B62, 24)), "issue-13"),
    (["github-refresh-token"], "GitHub", "refresh-token", ["GITHUB_REFRESH_TOKEN", "GH_REFRESH_TOKEN"],
     lambda v: v.tok("ghr_", (V.B62, 76)), "issue-13"),
    (["grafana-*"], "Grafana", "api-key", ["GRAFANA_API_KEY", "GF_API_KEY"], grafana_legacy, "issue-13"),
    (["sonarqube-token"], "SonarSource", "access-token", ["SONAR_TOKEN"], lambda v: v.tok("sqp_", (V.HEX, 40)), "issue-13"),
    (["sonarqube-token"], "SonarSource", "access-token", ["SONAR_TOKEN"], lambda v: v.tok("sqa_", (V.HEX, 40)), "issue-13"),
    (["cloudflare-*"], "Cloudflare", "api-key", ["CLOUDFLARE_API_TOKEN", "CF_API_TOKEN"],
     lambda v: v.tok("cfut_", (V.B62, 40), (V.HEX, 8)), "issue-13"),
    (["azure-*refresh*", "entra-*", "microsoft-*"], "Microsoft Azure", "refresh-token", ["AZURE_REFRESH_TOKEN"],
     entra_refresh, "issue-13"),
    (["stripe-*"], "Stripe", "secret-key", ["STRIPE_SECRET_KEY", "STRIPE_API_KEY"], lambda v: v.tok("sk_test_", (V.B62, 24)), "issue-13"),
    (["stripe-*"], "Stripe", "secret-key", ["STRIPE_SECRET_KEY"], lambda v: v.tok("sk_live_", (V.B62, 24)), "issue-13"),
    (["stripe-*"], "Stripe", "secret-key", ["STRIPE_RESTRICTED_KEY"], lambda v: v.tok("rk_live_", (V.B62, 24)), "issue-13"),
    (["newrelic-license-key"], "New Relic", "api-key", ["NEW_RELIC_LICENSE_KEY"], lambda v: v.tok((V.HEX, 36), "NRAL"), "issue-13"),
    (["particle-*"], "Particle", "access-token", ["PARTICLE_ACCESS_TOKEN", "PARTICLE_TOKEN"], lambda v: v.tok((V.HEX, 40)), "issue-13"),
    (["blynk-*"], "Blynk", "access-token", ["BLYNK_AUTH_TOKEN"], lambda v: v.tok((V.B64URL, 32)), "issue-13"),
    (["postmark-*"], "Postmark", "api-key", ["POSTMARK_API_TOKEN", "POSTMARK_ACCOUNT_TOKEN"], lambda v: v.uuid(), "issue-13"),
    (["tavily-api-key"], "Tavily", "api-key", ["TAVILY_API_KEY"], lambda v: v.tok("tvly-prod-", (V.B62, 32)), "issue-13"),
    (["facebook-app-secret"], "Meta", "secret-key", ["FB_APP_SECRET", "FACEBOOK_CLIENT_SECRET"], lambda v: v.tok((V.HEX, 32)), "issue-13"),
    (["saucelabs-*", "sauce-*"], "Sauce Labs", "api-key", ["SAUCE_ACCESS_KEY"], lambda v: v.uuid(), "issue-13"),
    (["jenkins-*"], "Jenkins", "access-token", ["JENKINS_TOKEN", "JENKINS_API_TOKEN"], lambda v: v.tok("11", (V.HEX, 32)), "issue-13"),
    (["okta-api-token"], "Okta", "api-key", ["OKTA_CLIENT_TOKEN"], lambda v: v.tok("00", (V.B64URL, 39), (V.B62, 1)), "issue-13"),
    (["salesforce-access-token"], "Salesforce", "access-token", ["SF_ACCESS_TOKEN", "SALESFORCE_TOKEN"],
     lambda v: v.tok("00D", (V.B62, 12), "!", (V.B62 + "._", 96)), "issue-13"),
    (["crates-io-api-token"], "crates.io", "access-token", ["CARGO_REGISTRIES_CRATES_IO_TOKEN"], lambda v: v.tok("cio", (V.B62, 32)), "issue-13"),
    (["anthropic-*"], "Anthropic", "oauth-token", ["CLAUDE_CODE_OAUTH_TOKEN"],
     lambda v: v.tok("sk-ant-oat01-", (V.B64URL, 93), "AA"), "peers"),
    (["apify-*"], "Apify", "api-key", ["APIFY_TOKEN"], lambda v: v.tok("apify_api_", (V.B62, 36)), "peers"),
    (["cerebras-*"], "Cerebras", "api-key", ["CEREBRAS_API_KEY"], lambda v: v.tok("csk-", (V.LOWNUM, 48)), "peers"),
    (["cockroach*"], "Cockroach Labs", "api-key", ["COCKROACH_API_KEY"], lambda v: v.tok("CCDB1_", (V.B62, 22), "_", (V.B62, 40)), "peers"),
    (["configcat-*"], "ConfigCat", "api-key", ["CONFIGCAT_SDK_KEY"],
     lambda v: v.tok("configcat-sdk-1/", (V.B64URL, 22), "/", (V.B64URL, 22)), "peers"),
    (["datastax-*", "astra-*"], "DataStax", "access-token", ["ASTRA_DB_APPLICATION_TOKEN"],
     lambda v: v.tok("AstraCS:", (V.LETTERS, 24), ":", (V.HEX, 64)), "peers"),
    (["deno-*"], "Deno", "access-token", ["DENO_DEPLOY_TOKEN"], lambda v: v.tok("ddp_", (V.B62, 36)), "peers"),
    (["docker-swarm-*"], "Docker", "access-token", ["SWARM_JOIN_TOKEN"],
     lambda v: v.tok("SWMTKN-1-", (V.LOWNUM, 50), "-", (V.LOWNUM, 25)), "peers"),
    (["dockerhub-*"], "Docker", "access-token", ["DOCKERHUB_ORG_TOKEN"], lambda v: v.tok("dckr_oat_", (V.B64URL, 32)), "peers"),
    (["gitlab-*"], "GitLab", "access-token", ["GITLAB_FEED_TOKEN"], lambda v: v.tok("glft-", (V.B64URL, 20)), "peers"),
    (["gitlab-*"], "GitLab", "access-token", ["GITLAB_INCOMING_EMAIL_TOKEN"], lambda v: v.tok("glimt-", (V.B64URL, 25)), "peers"),
    (["gitlab-*"], "GitLab", "access-token", ["UNLEASH_INSTANCE_ID"], lambda v: v.tok("glffct-", (V.B64URL, 20)), "peers"),
    (["gitlab-*"], "GitLab", "access-token", ["GITLAB_SCIM_TOKEN"], lambda v: v.tok("glsoat-", (V.B64URL, 20)), "peers"),
    (["gitlab-pat"], "GitLab", "access-token", ["GITLAB_TOKEN", "CI_PUSH_TOKEN"], lambda v: v.gitlab_routable("glpat-"), "peers"),
    (["ionic-*"], "Ionic", "access-token", ["IONIC_TOKEN"], lambda v: v.tok("ion_", (V.B62, 42)), "peers"),
    (["klaviyo-*"], "Klaviyo", "api-key", ["KLAVIYO_PRIVATE_KEY"], lambda v: v.tok("pk_", (V.LOWNUM, 34)), "peers"),
    (["lichess-*"], "Lichess", "access-token", ["LICHESS_TOKEN"], lambda v: v.tok("lip_", (V.B62, 20)), "peers"),
    (["llamacloud-*", "llama-*"], "LlamaIndex", "api-key", ["LLAMA_CLOUD_API_KEY"], lambda v: v.tok("llx-", (V.B62, 48)), "peers"),
    (["mailersend-*"], "MailerSend", "api-key", ["MAILERSEND_API_KEY"], lambda v: v.tok("mlsn.", (V.HEX, 64)), "peers"),
    (["onesignal-*"], "OneSignal", "api-key", ["ONESIGNAL_REST_API_KEY"], lambda v: v.tok("os_v2_app_", (V.LOWER + "234567", 103)), "peers"),
    (["pinterest-*"], "Pinterest", "access-token", ["PINTEREST_ACCESS_TOKEN"], lambda v: v.tok("pina_", (V.B62, 60)), "peers"),
    (["planetscale-*"], "PlanetScale", "oauth-token", ["PLANETSCALE_OAUTH_TOKEN"], lambda v: v.tok("pscale_oauth_", (V.B64URL, 43)), "peers"),
    (["polar-*"], "Polar", "access-token", ["POLAR_ACCESS_TOKEN"], lambda v: v.tok("polar_oat_", (V.B62, 43)), "peers"),
    (["postman-*"], "Postman", "access-token", ["POSTMAN_COLLECTION_TOKEN"], lambda v: v.tok("PMAT-", (V.UPNUM, 26)), "peers"),
    (["rootly-*"], "Rootly", "api-key", ["ROOTLY_API_TOKEN"], lambda v: v.tok("rootly_", (V.HEX, 64)), "peers"),
    (["runpod-*"], "RunPod", "api-key", ["RUNPOD_API_KEY"], lambda v: v.tok("rpa_", (V.UPNUM, 40), (V.B62, 6)), "peers"),
    (["samsara-*"], "Samsara", "api-key", ["SAMSARA_API_TOKEN"], lambda v: v.tok("samsara_api_", (V.B62, 30)), "peers"),
    (["slack-*"], "Slack", "access-token", ["SLACK_SESSION_TOKEN"],
     lambda v: v.tok("xoxc-", (V.DIGITS, 12), "-", (V.DIGITS, 12), "-", (V.DIGITS, 13), "-", (V.HEX, 64)), "peers"),
    (["slack-*"], "Slack", "session-cookie", ["SLACK_D_COOKIE"], lambda v: v.tok("xoxd-", (V.B64URL, 140)), "peers"),
    (["slack-*"], "Slack", "access-token", ["SLACK_LEGACY_TOKEN"],
     lambda v: v.tok("xoxs-", (V.DIGITS, 11), "-", (V.DIGITS, 11), "-", (V.DIGITS, 12), "-", (V.HEX, 64)), "peers"),
    (["tailscale-*"], "Tailscale", "api-key", ["TAILSCALE_API_KEY"], lambda v: v.tok("tskey-api-k", (V.B62, 11), "CNTRL-", (V.B62, 33)), "peers"),
    (["unkey-*"], "Unkey", "api-key", ["UNKEY_ROOT_KEY"], lambda v: v.tok("unkey_", (V.B62, 28)), "peers"),
    (["upcloud-*"], "UpCloud", "access-token", ["UPCLOUD_TOKEN"], lambda v: v.tok("ucat_", (V.B62, 28)), "peers"),
    (["valtown-*", "val-town-*"], "Val Town", "access-token", ["VAL_TOWN_API_KEY"], lambda v: v.tok("vtwn_", (V.B62, 40)), "peers"),
    (["vercel-*"], "Vercel", "access-token", ["VERCEL_TOKEN"], lambda v: v.tok("vcp_", (V.B62, 56)), "peers"),
    (["vercel-*"], "Vercel", "api-key", ["AI_GATEWAY_API_KEY"], lambda v: v.tok("vck_", (V.B62, 56)), "peers"),
    (["wakatime-*"], "WakaTime", "api-key", ["WAKATIME_API_KEY"], lambda v: "waka_" + v.uuid(), "peers"),
    (["woocommerce-*"], "WooCommerce", "secret-key", ["WOOCOMMERCE_CONSUMER_SECRET"], lambda v: v.tok("cs_", (V.HEX, 40)), "peers"),
    (["xendit-*"], "Xendit", "secret-key", ["XENDIT_SECRET_KEY"], lambda v: v.tok("xnd_production_", (V.B62, 60)), "peers"),
    (["zuplo-*"], "Zuplo", "api-key", ["ZUPLO_API_KEY"], lambda v: v.tok("zpka_", (V.LOWNUM, 32), "_", (V.HEX, 8)), "peers"),
    (["zoho-*"], "Zoho", "oauth-token", ["ZOHO_REFRESH_TOKEN"], lambda v: v.tok("1000.", (V.HEX, 32), ".", (V.HEX, 32)), "peers"),
    (["cursor-*"], "Cursor", "api-key", ["CURSOR_API_KEY"], lambda v: v.tok("key_", (V.HEX, 64)), "peers"),
    (["openweather*"], "OpenWeather", "api-key", ["OPENWEATHER_API_KEY"], lambda v: v.tok((V.LOWNUM, 32)), "peers"),
    (["virustotal-*"], "VirusTotal", "api-key", ["VIRUSTOTAL_API_KEY", "VT_API_KEY"], lambda v: v.tok((V.HEX, 64)), "peers"),
    (["ollama-*"], "Ollama", "api-key", ["OLLAMA_API_KEY"], lambda v: v.tok((V.HEX, 32), ".", (V.B64URL, 24)), "peers"),
    (["zhipu-*", "zai-*"], "Zhipu AI", "api-key", ["ZHIPUAI_API_KEY"], lambda v: v.tok((V.HEX, 32), ".", (V.B62, 16)), "peers"),
    (["google-api-key"], "Google Cloud", "api-key", ["GEMINI_API_KEY", "GOOGLE_GENAI_API_KEY"],
     lambda v: v.tok("AIzaSy", (V.B64URL, 33)), "peers"),
    (["onepassword-*", "1password-*"], "1Password", "secret-key", ["OP_SECRET_KEY"],
     lambda v: v.tok("A3-", (V.UPNUM, 6), "-", (V.UPNUM, 11), "-", (V.UPNUM, 5), "-", (V.UPNUM, 5), "-", (V.UPNUM, 5)), "peers"),
    (["azure-app-configuration-*", "azure-*"], "Microsoft Azure", "connection-string", ["AZURE_APPCONFIG_CONNECTION_STRING"],
     lambda v: "Endpoint=https://acme-%s.azconfig.io;Id=%s;Secret=%s" % (v.s(V.LOWER, 5), v.tok((V.B62, 4), "-l0-s0:", (V.B62, 20)),
                                                                        v.tok((V.B64, 43), "=")), "peers"),
]


def name_in(var: str, st: str) -> str:
    return style(var.lower().split("_"), st)


def plant(v, rng, value: str, var: str, label: dict, avoid=None):
    """An item: `value` under `var` at a random placement that can hold it."""
    quoted_only = any(c in UNQUOTABLE for c in value)
    while True:
        kind, st, tmpl = rng.choice(PLACEMENTS)
        if (quoted_only and kind not in QUOTED_KINDS) or kind == avoid:
            continue
        name = name_in(var, st)
        if kind == "json":
            return {"kind": kind, "pair": (name, value), "marks": [(value, label)]}
        return {"kind": kind, "text": tmpl.format(n=name, v=value), "marks": [(value, label)]}


def build(corpus, seed: int):
    v, rng = corpus.v, corpus.rng
    gens = [V.synth_tokens.generate(seed * 1009 + i) for i in (1, 2, 3, 4)]
    items, used = [], set()
    for rule, key, var, prov, kind in RULE_ROWS:
        first = None
        # Two values per rule; a format two rules share (hex64 ...) takes the next set's value, so none repeats.
        for g in [g for g in gens if (id(g), key) not in used][:2]:
            used.add((id(g), key))
            label = positive("provider", kind, prov or None, [rule], source="credsweep-rule")
            it = plant(v, rng, g[key], var, label, avoid=first)
            first = it["kind"]
            items.append(it)
    for expect, prov, kind, variables, gen, source in EXTRAS:
        for var in variables * (2 if len(variables) == 1 else 1):
            label = positive("provider", kind, prov, expect, source=source, accept_provider=True)
            items.append(plant(v, rng, gen(v), var, label))
    return items + special(corpus, gens[2:])


def lab(expect, prov, kind, **kw):
    return positive("provider", kind, prov, expect, **kw)


def special(corpus, gens):
    """Tokens whose rule needs structure around them (pairs, connection strings, webhook URLs) or that #13 names in
    a particular place (kubeadm join, an Arduino sketch, `vault operator init` output ...)."""
    items = []
    for g in gens:
        items += structured(corpus, g)
    return items + in_place(corpus)


def structured(corpus, g):
    v, rng = corpus.v, corpus.rng
    items = []

    def item(kind, text, *marks):
        items.append({"kind": kind, "text": text, "marks": list(marks)})

    kid, sec = g["aws_akia"], g["aws_secret"]
    pair = [(kid, lab(["aws-access-key-id"], "AWS", "access-key-id")),
            (sec, lab(["aws-secret-access-key", "aws-access-key-pair"], "AWS", "secret-key"))]
    item("py", "s3 = boto3.client(\n    \"s3\",\n    aws_access_key_id=\"%s\",\n    aws_secret_access_key=\"%s\",\n)" % (kid, sec), *pair)
    kid, sec = v.tok("AKIA", (V.B32_AWS, 16)), v.tok((V.B64, 40))
    pair = [(kid, lab(["aws-access-key-id"], "AWS", "access-key-id")),
            (sec, lab(["aws-secret-access-key", "aws-access-key-pair"], "AWS", "secret-key"))]
    item("js", "const s3 = new AWS.S3({\n  accessKeyId: '%s',\n  secretAccessKey: '%s',\n});" % (kid, sec), *pair)
    acct = "acme" + v.s(V.LOWNUM, 8)
    key = g["azure_storage_key"]
    item("env", "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=%s;AccountKey=%s;EndpointSuffix=core.windows.net" % (acct, key),
         (key, lab(["azure-storage-account-key"], "Microsoft Azure", "connection-string")))
    sig = g["azure_sas_sig"]
    item("env", "AZURE_BLOB_SAS_URL=https://%s.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-06-30T17:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig=%s" % (acct, sig),
         (sig, lab(["azure-sas-token"], "Microsoft Azure", "access-token")))
    key = g["servicebus_key"]
    item("json", None, (key, lab(["azure-service-bus-connection-string"], "Microsoft Azure", "connection-string")))
    items[-1]["pair"] = ("ServiceBusConnection", "Endpoint=sb://acme-orders.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=" + key)
    key = g["iothub_key"]
    item("cs", "            var conn = \"HostName=acme-hub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=%s\";" % key,
         (key, lab(["azure-iot-hub-connection-string"], "Microsoft Azure", "connection-string")))
    item("py", "ID_TOKEN = \"%s\"" % g["jwt"], (g["jwt"], lab(["jwt"], None, "jwt")))
    item("yaml", "  service_jwt: %s" % g["jwt_rs"], (g["jwt_rs"], lab(["jwt"], None, "jwt")))
    hooks = [
        ("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/" + g["slack_webhook_path"], "slack-webhook-url", "Slack"),
        ("DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/%s/%s" % (g["discord_webhook_id"], g["discord_webhook_token"]),
         "discord-webhook-url", "Discord"),
        ("TEAMS_WEBHOOK_URL", g["teams_webhook"], "microsoft-teams-webhook-url", "Microsoft"),
        ("MATTERMOST_WEBHOOK_URL", "https://chat.acme.test/hooks/" + g["mattermost"], "mattermost-webhook-url", "Mattermost"),
        ("ROCKETCHAT_WEBHOOK_URL", "https://chat.acme.test/hooks/%s/%s" % (g["rocketchat_id"], g["rocketchat_token"]),
         "rocketchat-webhook-url", "Rocket.Chat"),
        ("GOOGLE_CHAT_WEBHOOK", "https://chat.googleapis.com/v1/spaces/%s/messages?key=%s&token=%s" % (
            g["gchat_space"], g["gchat_key"], g["gchat_token"]), "google-chat-webhook-url", "Google Workspace"),
        ("PIP_EXTRA_INDEX_URL", "https://%s@pypi.fury.io/acme/" % g["gemfury"], "gemfury-repository-url", "Gemfury"),
    ]
    for var, url, rule, prov in hooks:
        items.append(plant(v, rng, url, var, lab([rule], prov, "webhook" if "hook" in rule else "access-token")))
    for key, loc, rule in (("pypi", "pypi.org", "pypi-upload-token"), ("testpypi", "test.pypi.org", "testpypi-upload-token")):
        tok = macaroon(loc, v)
        items.append(plant(v, rng, tok, "TWINE_PASSWORD", lab([rule], "PyPI", "api-key")))
    tg = v.tok((V.DIGITS[1:], 1), (V.DIGITS, 9), ":AA", (V.B64URL, 33))
    item("py", "requests.post(f\"https://api.telegram.org/bot%s/sendMessage\", json=payload)" % tg,
         (tg, lab(["telegram-bot-token"], "Telegram", "access-token")))
    return items


def in_place(corpus):
    """Issue #13 section 3 formats, in the places these tokens are found."""
    v = corpus.v
    items = []

    def item(kind, text, *marks):
        items.append({"kind": kind, "text": text, "marks": list(marks)})

    bt = v.tok((V.LOWNUM, 6), ".", (V.LOWNUM, 16))
    item("sh", "kubeadm join 10.0.12.4:6443 --token %s \\\n    --discovery-token-ca-cert-hash sha256:%s" % (bt, v.s(V.HEX, 64)),
         (bt, lab(["kubernetes-bootstrap-token", "kubernetes-*"], "Kubernetes", "access-token", accept_provider=True)))
    bt = v.tok((V.LOWNUM, 6), ".", (V.LOWNUM, 16))
    item("yaml", "  bootstrapTokens:\n    - token: \"%s\"\n      ttl: 24h0m0s" % bt,
         (bt, lab(["kubernetes-bootstrap-token", "kubernetes-*"], "Kubernetes", "access-token", accept_provider=True)))
    blynk = v.tok((V.B64URL, 32))
    item("c", "#define BLYNK_TEMPLATE_ID \"TMPL%s\"\n#define BLYNK_AUTH_TOKEN \"%s\"" % (v.s(V.B62, 8), blynk),
         (blynk, lab(["blynk-*"], "Blynk", "access-token", accept_provider=True)))
    sf = v.tok("00D", (V.B62, 12), "!", (V.B62 + "._", 96))
    item("md", "```\n$ sf org display --target-org prod\nAccess Token     %s\nInstance Url     https://acme.my.salesforce.com\n```" % sf,
         (sf, lab(["salesforce-access-token"], "Salesforce", "access-token")))
    keys = [V.b64(v.randbytes(33)) for _ in range(5)]
    root = v.tok("hvs.", (V.B64URL, 24))
    text = "\n".join("Unseal Key %d: %s" % (i + 1, k) for i, k in enumerate(keys))
    text += "\n\nInitial Root Token: %s\n\nVault initialized with 5 key shares and a key threshold of 3." % root
    marks = [(k, lab(["vault-unseal-key", "vault-*"], "HashiCorp", "secret-key", accept_provider=True)) for k in keys]
    marks.append((root, lab(["vault-*"], "HashiCorp", "access-token", accept_provider=True)))
    item("md", "## Vault init output (prod)\n\n```\n" + text + "\n```", *marks)
    crumb = v.tok((V.HEX, 64))
    item("sh", "curl -X POST -u admin:$JENKINS_TOKEN -H \"Jenkins-Crumb: %s\" https://jenkins.internal.test/job/deploy/build" % crumb,
         (crumb, lab(["jenkins-*"], "Jenkins", "access-token", accept_provider=True)))
    okta = v.tok("00", (V.B64URL, 39), (V.B62, 1))
    item("sh", "curl -s -H \"Authorization: SSWS %s\" https://acme.okta.com/api/v1/users?limit=25" % okta,
         (okta, lab(["okta-api-token"], "Okta", "api-key")))
    twitch = v.tok("live_", (V.DIGITS, 9), "_", (V.B62, 30))
    item("json", None, (twitch, lab(["twitch-*"], "Twitch", "access-token", accept_provider=True)))
    items[-1]["pair"] = ("key", twitch)
    for _ in range(2):
        sq = v.tok((V.HEX, 40))
        item("properties", "sonar.projectKey=acme_%s\nsonar.host.url=https://sonar.internal.test\nsonar.login=%s" % (v.s(V.LOWER, 6), sq),
             (sq, lab(["sonarqube-legacy-token", "sonarqube-token"], "SonarSource", "access-token")))
        sq = v.tok((V.HEX, 40))
        item("sh", "mvn sonar:sonar -Dsonar.projectKey=acme -Dsonar.token=%s" % sq,
             (sq, lab(["sonarqube-legacy-token", "sonarqube-token"], "SonarSource", "access-token")))
    lic = v.tok((V.HEX, 36), "NRAL")
    item("yaml", "  app_name: Acme Orders\n  license_key: %s" % lic, (lic, lab(["newrelic-license-key"], "New Relic", "api-key")))
    for tmpl in ("  <StorageAccountKey>{k}</StorageAccountKey>", "            var cred = new StorageSharedKeyCredential(\"{a}\", \"{k}\");",
                 "blob = BlobServiceClient(account_url=\"https://{a}.blob.core.windows.net\", credential=\"{k}\")"):
        k, a = v.tok((V.B64, 86), "=="), "acme" + v.s(V.LOWNUM, 8)
        kind = {"  <": "xml", "   ": "cs", "blo": "py"}[tmpl[:3]]
        item(kind, tmpl.format(k=k, a=a), (k, lab(["azure-storage-account-key"], "Microsoft Azure", "secret-key")))
    k = v.tok((V.B64, 86), "==")
    item("json", None, (k, lab(["azure-storage-account-key"], "Microsoft Azure", "secret-key")))
    items[-1]["pair"] = ("storageAccountKey", k)
    cio = v.tok("cio", (V.B62, 32))
    item("http", "GET https://crates.io/api/v1/me\nAuthorization: %s\n" % cio, (cio, lab(["crates-io-api-token"], "crates.io", "access-token")))
    return items
