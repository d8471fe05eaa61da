-- credsweep-registry schema, version 2.
-- The current state of the fleet is kept as data, maintained by each upload, so the fleet questions stay index
-- lookups at 10,000 hosts instead of aggregating every current finding per request:
--   findings.is_current  the finding belongs to its host's latest report (replaces the join in current_findings);
--                        findings_current finds a credential's worst current sighting with one index seek;
--   credentials          one row per fingerprint ever seen: history bounds, and its current aggregates (counts
--                        that each upload changes by the difference between the host's old and new report);
--   credential_rules     every rule that ever matched a fingerprint;
--   fleet_counts         the counters behind /v1/summary.
-- The Rust step of this migration (current::rebuild) fills them from the existing findings.
-- Also: web sessions (the page's login), and per-host counts.

ALTER TABLE findings ADD COLUMN is_current INTEGER NOT NULL DEFAULT 0;
UPDATE findings SET is_current = 1
    WHERE report_id IN (SELECT latest_report_id FROM hosts WHERE latest_report_id IS NOT NULL);
CREATE INDEX findings_current ON findings(fingerprint, severity_rank DESC, id) WHERE is_current;

DROP VIEW current_findings;
CREATE VIEW current_findings AS SELECT * FROM findings WHERE is_current;

-- Each host's report count and current finding and credential counts (filled by current::rebuild).
ALTER TABLE hosts ADD COLUMN reports_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN findings_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN credentials_count INTEGER NOT NULL DEFAULT 0;

CREATE INDEX hosts_hostname ON hosts(hostname, id);

CREATE TABLE credentials (
    fingerprint  TEXT PRIMARY KEY,
    -- the worst current sighting (the last one known once resolved everywhere)
    kind         TEXT NOT NULL,
    rule         TEXT NOT NULL,
    redacted     TEXT NOT NULL,
    identifier   TEXT,
    -- scan times (finished_at) over all history
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    -- the current state: hosts holding it now (0 = resolved everywhere), current findings, worst current
    -- severity_rank (-1 when resolved), current findings per kind and per risk label (JSON objects), current
    -- findings that are unencrypted private keys, current findings in MCP configs
    hosts        INTEGER NOT NULL,
    locations    INTEGER NOT NULL,
    worst_rank   INTEGER NOT NULL,
    kinds        TEXT NOT NULL,
    risks        TEXT NOT NULL,
    unencrypted  INTEGER NOT NULL,
    mcp          INTEGER NOT NULL
);
-- /v1/credentials order (worst first, then most widespread) and the page's "most widely shared".
CREATE INDEX credentials_worst ON credentials(worst_rank DESC, hosts DESC, fingerprint) WHERE hosts > 0;
CREATE INDEX credentials_shared ON credentials(hosts DESC, worst_rank DESC, fingerprint) WHERE hosts > 1;

CREATE TABLE credential_rules (
    fingerprint  TEXT NOT NULL,
    rule         TEXT NOT NULL,
    PRIMARY KEY (fingerprint, rule)
) WITHOUT ROWID;

CREATE TABLE fleet_counts (
    -- hosts, reports, findings, credentials, on_multiple_hosts, unencrypted_private_keys, mcp_secrets,
    -- severity:<name>, kind:<kind>
    name  TEXT PRIMARY KEY,
    n     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE sessions (
    -- hex SHA-256 of the session cookie's value: the cookie itself is never stored
    id_hash     TEXT PRIMARY KEY,
    token_id    INTEGER NOT NULL REFERENCES tokens(id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
