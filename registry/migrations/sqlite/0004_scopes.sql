-- credsweep-registry schema, version 4: scopes (issue #15).
-- A host's reports no longer replace each other wholesale: each report has a scope (fleet, home, paths, git) and
-- resolves a current finding only where it looked (see src/scope.rs). A host's current inventory is a set of
-- locations, each attributed to the newest report that saw it:
--   scopes              one per (host, scope): its latest report and counts;
--   reports.scope_id    the report's scope, and reports.scope its scope object as sent (NULL: an older scanner);
--   findings.scope_id   the scope of the finding's report; abs_path its canonical path (what coverage compares);
--                       copy which copy of content it was read from (file, index, history);
--   findings.server, agent, file_modified, issued_at, expires_at
--                       for the AI-agent and standing-credential views;
--   hosts.kind          'machine', or 'repository' for reports without a machine id grouped by their repository;
--   credentials.known_since, modified_oldest, issued_at, expires_at
--                       the age of a credential: since when it is known to exist (first seen, a file holding it
--                       last modified, a JWT issued), over all history.
-- Existing data is carried over: every host's state becomes its fleet scope (the Rust step fills the new finding
-- columns from the stored report bodies and recomputes the maintained state).

CREATE TABLE scopes (
    id                INTEGER PRIMARY KEY,
    host_id           INTEGER NOT NULL REFERENCES hosts(id),
    scope_key         TEXT NOT NULL,
    kind              TEXT NOT NULL,
    label             TEXT NOT NULL,
    latest_report_id  INTEGER,
    latest_scanned    TEXT,
    reports_count     INTEGER NOT NULL DEFAULT 0,
    findings_count    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (host_id, scope_key)
);

ALTER TABLE hosts ADD COLUMN kind TEXT NOT NULL DEFAULT 'machine';
ALTER TABLE reports ADD COLUMN scope_id INTEGER REFERENCES scopes(id);
ALTER TABLE reports ADD COLUMN scope TEXT;
ALTER TABLE findings ADD COLUMN scope_id INTEGER;
ALTER TABLE findings ADD COLUMN abs_path TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN copy TEXT NOT NULL DEFAULT 'file';
ALTER TABLE findings ADD COLUMN server TEXT;
ALTER TABLE findings ADD COLUMN agent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN file_modified TEXT;
ALTER TABLE findings ADD COLUMN issued_at TEXT;
ALTER TABLE findings ADD COLUMN expires_at TEXT;
ALTER TABLE credentials ADD COLUMN known_since TEXT NOT NULL DEFAULT '';
ALTER TABLE credentials ADD COLUMN modified_oldest TEXT;
ALTER TABLE credentials ADD COLUMN issued_at TEXT;
ALTER TABLE credentials ADD COLUMN expires_at TEXT;

INSERT INTO scopes (host_id, scope_key, kind, label, latest_report_id, latest_scanned)
    SELECT h.id, 'fleet', 'fleet', 'fleet (before scopes)', h.latest_report_id,
           (SELECT CASE WHEN r.finished_at <= r.received_at THEN r.finished_at ELSE r.received_at END
            FROM reports r WHERE r.id = h.latest_report_id)
    FROM hosts h;
UPDATE reports SET scope_id = (SELECT s.id FROM scopes s WHERE s.host_id = reports.host_id);
UPDATE findings SET scope_id = (SELECT r.scope_id FROM reports r WHERE r.id = findings.report_id), abs_path = path;

-- A host's current inventory (resolution reads it; the host page lists it worst first).
CREATE INDEX findings_host_current ON findings(host_id, severity_rank DESC, path, line, id) WHERE is_current;
-- The AI-agent view: current findings in agents' configs and transcripts, by client and server.
CREATE INDEX findings_agent ON findings(tool, server, fingerprint, host_id) WHERE is_current AND agent;
-- The credential list's other orders.
CREATE INDEX credentials_first_seen ON credentials(first_seen, fingerprint) WHERE hosts > 0;
CREATE INDEX credentials_last_seen ON credentials(last_seen, fingerprint) WHERE hosts > 0;
CREATE INDEX credentials_known_since ON credentials(known_since, fingerprint) WHERE hosts > 0;
CREATE INDEX credentials_hosts ON credentials(hosts DESC, worst_rank DESC, fingerprint) WHERE hosts > 0;
