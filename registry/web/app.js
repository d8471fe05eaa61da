// credsweep registry page: read-only views over the /v1 API with a read token kept in sessionStorage.
// Every value from the API is untrusted (paths and names come from endpoints), so the DOM is built with
// textContent only, never by parsing HTML strings.
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function token() {
  return sessionStorage.getItem("credsweep-registry-token") || "";
}

async function api(path) {
  const r = await fetch(path, { headers: { Authorization: "Bearer " + token() } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error || "HTTP " + r.status);
  return body;
}

// columns: [label, row => value, optional row => class]
function table(columns, rows, onOpen) {
  const t = el("table");
  const head = t.createTHead().insertRow();
  for (const [label] of columns) head.appendChild(el("th", label));
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const [, get, cls] of columns) tr.appendChild(el("td", get(row) ?? "", cls ? cls(row) : undefined));
    if (onOpen) {
      tr.className = "link";
      tr.tabIndex = 0;
      tr.addEventListener("click", () => run(() => onOpen(row)));
      tr.addEventListener("keydown", (e) => { if (e.key === "Enter") run(() => onOpen(row)); });
    }
  }
  if (rows.length === 0) body.insertRow().appendChild(el("td", "none"));
  return t;
}

function show(title, ...nodes) {
  $("main").replaceChildren(el("h2", title), ...nodes);
}

const list = (a) => (a || []).join(", ");

async function summary() {
  const s = await api("/v1/summary");
  const cards = el("dl", null, "cards");
  for (const [k, v] of [
    ["Hosts", s.hosts], ["Reports", s.reports], ["Credentials", s.credentials],
    ["Unencrypted private keys", s.unencrypted_private_keys], ["MCP secrets", s.mcp_secrets],
    ["On more than one host", s.on_multiple_hosts],
  ]) {
    const d = el("div");
    d.append(el("dt", k), el("dd", v));
    cards.append(d);
  }
  show("Summary", cards,
    el("h3", "By kind"), table([["Kind", (r) => r[0]], ["Credentials", (r) => r[1]]], Object.entries(s.by_kind)),
    el("h3", "By worst severity"),
    table([["Severity", (r) => r[0], (r) => r[0]], ["Credentials", (r) => r[1]]], Object.entries(s.by_severity)));
}

async function credentials(offset = 0) {
  const c = await api("/v1/credentials?offset=" + offset);
  const end = c.offset + c.credentials.length;
  const paging = el("p", c.total === 0 ? "" : `Showing ${c.offset + 1}–${end} of ${c.total} (worst first). `);
  if (c.offset > 0) {
    const prev = el("button", "Previous page");
    prev.addEventListener("click", () => run(() => credentials(Math.max(0, c.offset - c.limit))));
    paging.append(prev);
  }
  if (c.next_offset !== null) {
    const next = el("button", "Next page");
    next.addEventListener("click", () => run(() => credentials(c.next_offset)));
    paging.append(next);
  }
  show("Credentials", paging, table([
    ["Severity", (r) => r.worst_exposure.severity, (r) => r.worst_exposure.severity],
    ["Kind", (r) => r.kind], ["Rule", (r) => r.rule], ["Redacted", (r) => r.redacted],
    ["Identifier", (r) => r.identifier], ["Hosts", (r) => r.hosts], ["Risks", (r) => list(r.worst_exposure.risks)],
    ["First seen", (r) => r.first_seen], ["Last seen", (r) => r.last_seen], ["Fingerprint", (r) => r.fingerprint],
  ], c.credentials, (r) => credential(r.fingerprint)));
}

const sightings = (rows) => table([
  ["Host", (r) => r.hostname], ["User", (r) => r.user], ["Path", (r) => r.path], ["Line", (r) => r.line],
  ["Rule", (r) => r.rule], ["Severity", (r) => r.severity, (r) => r.severity], ["Risks", (r) => list(r.risks)],
  ["Scanned", (r) => r.scanned_at], ["Current", (r) => (r.current ? "yes" : "resolved")],
], rows, (r) => host(String(r.host_id)));

async function credential(fp) {
  const c = await api("/v1/credentials/" + encodeURIComponent(fp));
  show("Credential " + c.fingerprint,
    el("p", [c.kind, c.redacted, c.identifier, "rules: " + list(c.rules)].filter(Boolean).join(" · ")),
    el("h3", "Where it is now"), sightings(c.current), el("h3", "Every sighting"), sightings(c.history));
}

async function hosts() {
  const h = await api("/v1/hosts");
  show("Hosts", table([
    ["Hostname", (r) => r.hostname], ["Machine id", (r) => r.machine_id], ["OS", (r) => r.os + " " + (r.os_version || "")],
    ["Credentials", (r) => r.credentials], ["Findings", (r) => r.findings], ["Reports", (r) => r.reports],
    ["Last scan", (r) => r.last_seen],
  ], h.hosts, (r) => host(String(r.id))));
}

async function host(id) {
  const h = await api("/v1/hosts/" + encodeURIComponent(id));
  show("Host " + h.hostname,
    el("p", [h.machine_id, h.os, h.os_version, h.arch, "last scan " + h.last_seen].filter(Boolean).join(" · ")),
    el("h3", "Current inventory"),
    table([
      ["Severity", (r) => r.severity, (r) => r.severity], ["Kind", (r) => r.kind], ["Rule", (r) => r.rule],
      ["Path", (r) => r.path], ["Line", (r) => r.line], ["User", (r) => r.user], ["Tool", (r) => r.tool],
      ["Redacted", (r) => r.redacted], ["Risks", (r) => list(r.risks)], ["Fingerprint", (r) => r.fingerprint],
    ], h.current_findings, (r) => credential(r.fingerprint)),
    el("h3", "Scan history"),
    table([
      ["Report", (r) => r.report_id], ["Finished", (r) => r.finished_at], ["Received", (r) => r.received_at],
      ["User", (r) => r.user], ["Findings", (r) => r.findings], ["Complete", (r) => (r.complete ? "yes" : "no")],
      ["Current", (r) => (r.current ? "yes" : "")],
    ], h.history));
}

async function run(view) {
  $("status").textContent = "";
  try {
    await view();
  } catch (e) {
    $("status").textContent = e.message;
  }
}

const views = { summary, credentials, hosts };

document.addEventListener("DOMContentLoaded", () => {
  $("login").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem("credsweep-registry-token", $("token").value.trim());
    $("token").value = "";
    run(summary);
  });
  for (const b of document.querySelectorAll("nav button")) {
    b.addEventListener("click", () => run(() => views[b.dataset.view]()));
  }
  if (token()) run(summary);
});
