-- credsweep-registry schema, version 2 (PostgreSQL): the same changes as sqlite/0002_current_state.sql, which
-- explains them.

ALTER TABLE findings ADD COLUMN is_current BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE findings SET is_current = TRUE
    WHERE report_id IN (SELECT latest_report_id FROM hosts WHERE latest_report_id IS NOT NULL);
CREATE INDEX findings_current ON findings(fingerprint, severity_rank DESC, id) WHERE is_current;

DROP VIEW current_findings;
CREATE VIEW current_findings AS SELECT * FROM findings WHERE is_current;

-- Each host's report count and current finding and credential counts (filled by current::rebuild).
ALTER TABLE hosts ADD COLUMN reports_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN findings_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN credentials_count BIGINT NOT NULL DEFAULT 0;

CREATE INDEX hosts_hostname ON hosts(hostname, id);

CREATE TABLE credentials (
    fingerprint  TEXT COLLATE "C" PRIMARY KEY,
    kind         TEXT COLLATE "C" NOT NULL,
    rule         TEXT COLLATE "C" NOT NULL,
    redacted     TEXT COLLATE "C" NOT NULL,
    identifier   TEXT COLLATE "C",
    first_seen   TEXT COLLATE "C" NOT NULL,
    last_seen    TEXT COLLATE "C" NOT NULL,
    hosts        BIGINT NOT NULL,
    locations    BIGINT NOT NULL,
    worst_rank   BIGINT NOT NULL,
    kinds        TEXT COLLATE "C" NOT NULL,
    risks        TEXT COLLATE "C" NOT NULL,
    unencrypted  BIGINT NOT NULL,
    mcp          BIGINT NOT NULL
);
CREATE INDEX credentials_worst ON credentials(worst_rank DESC, hosts DESC, fingerprint) WHERE hosts > 0;
CREATE INDEX credentials_shared ON credentials(hosts DESC, worst_rank DESC, fingerprint) WHERE hosts > 1;

CREATE TABLE credential_rules (
    fingerprint  TEXT COLLATE "C" NOT NULL,
    rule         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (fingerprint, rule)
);

CREATE TABLE fleet_counts (
    name  TEXT COLLATE "C" PRIMARY KEY,
    n     BIGINT NOT NULL
);

CREATE TABLE sessions (
    id_hash     TEXT COLLATE "C" PRIMARY KEY,
    token_id    BIGINT NOT NULL REFERENCES tokens(id),
    created_at  TEXT COLLATE "C" NOT NULL,
    expires_at  TEXT COLLATE "C" NOT NULL
);
