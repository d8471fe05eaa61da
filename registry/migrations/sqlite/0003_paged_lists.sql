-- credsweep-registry schema, version 3.
-- Every list the page shows is paged (issue #16: one 85,000-finding report made the front page 38 MB), so each
-- list's order is an index: a page is a range scan of its own length, whatever the size of the report or the
-- number of sightings. The new indexes replace the single-column ones (their first column serves the same
-- equality lookups), so an upload maintains no more indexes than before.

-- A report's inventory, worst first (the host page, and the dashboard's top findings per host).
DROP INDEX findings_report;
CREATE INDEX findings_report ON findings(report_id, severity_rank DESC, path, line, id);

-- A credential's sightings, newest first (the credential page, /v1/credentials/{fingerprint}).
DROP INDEX findings_fingerprint;
CREATE INDEX findings_fingerprint ON findings(fingerprint, scanned_at DESC, host_id, path, id);
