-- credsweep-registry schema, version 1.
-- Every uploaded report is kept (history); a host's current state is the findings of its latest report.

CREATE TABLE tokens (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    scope       TEXT NOT NULL CHECK (scope IN ('upload', 'read')),
    -- hex SHA-256 of the whole token string: the token itself is never stored
    hash        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE hosts (
    id                INTEGER PRIMARY KEY,
    -- identity: report.host.machine_id, or the hostname when there is none
    host_key          TEXT NOT NULL UNIQUE,
    hostname          TEXT NOT NULL,
    machine_id        TEXT,
    os                TEXT NOT NULL,
    os_version        TEXT,
    arch              TEXT NOT NULL,
    first_seen        TEXT NOT NULL,
    last_seen         TEXT NOT NULL,
    -- the report that defines the current state (newest finished_at; ties: the later upload)
    latest_report_id  INTEGER
);

CREATE TABLE reports (
    id               INTEGER PRIMARY KEY,
    -- Idempotency-Key header, or "sha256:" + hex SHA-256 of the (decompressed) body
    report_key       TEXT NOT NULL UNIQUE,
    body_sha256      TEXT NOT NULL,
    host_id          INTEGER NOT NULL REFERENCES hosts(id),
    received_at      TEXT NOT NULL,
    started_at       TEXT NOT NULL,
    finished_at      TEXT NOT NULL,
    user_name        TEXT,
    scanner_version  TEXT NOT NULL,
    rules_digest     TEXT NOT NULL,
    complete         INTEGER NOT NULL,
    findings_count   INTEGER NOT NULL,
    tags             TEXT NOT NULL,   -- JSON object
    body             TEXT NOT NULL    -- the report as uploaded (decompressed)
);
CREATE INDEX reports_host ON reports(host_id, finished_at);

CREATE TABLE findings (
    id             INTEGER PRIMARY KEY,
    report_id      INTEGER NOT NULL REFERENCES reports(id),
    host_id        INTEGER NOT NULL REFERENCES hosts(id),
    location_id    TEXT NOT NULL,
    fingerprint    TEXT NOT NULL,
    rule           TEXT NOT NULL,
    rule_name      TEXT NOT NULL,
    kind           TEXT NOT NULL,
    severity       TEXT NOT NULL,
    severity_rank  INTEGER NOT NULL,  -- info 0 … critical 4, for MAX()
    confidence     TEXT NOT NULL,
    provider       TEXT,
    path           TEXT NOT NULL,
    line           INTEGER NOT NULL,
    redacted       TEXT NOT NULL,
    identifier     TEXT,
    validation     TEXT NOT NULL,
    user_name      TEXT,              -- finding.user, else report.user.name
    tool           TEXT,              -- context.tool
    mcp            INTEGER NOT NULL,  -- rule mcp-config-secret or context.tool is an MCP client
    key_encrypted  INTEGER,           -- key.encrypted; NULL when not a private key
    risks          TEXT NOT NULL,     -- JSON array
    scanned_at     TEXT NOT NULL      -- report.finished_at
);
CREATE INDEX findings_report ON findings(report_id);
CREATE INDEX findings_fingerprint ON findings(fingerprint);

-- The current state of the fleet: each host's findings from its latest report only.
CREATE VIEW current_findings AS
    SELECT f.* FROM findings f JOIN hosts h ON h.latest_report_id = f.report_id;
