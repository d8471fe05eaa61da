// Runs web/app.js against a live registry with a minimal DOM stand-in (no browser needed), clicks through every
// view, and prints the text each view rendered as JSON lines: {"view": ..., "text": ..., "status": ...}.
// Usage: node page_driver.js APP_JS BASE_URL READ_TOKEN
"use strict";
const fs = require("fs");
const [appJs, base, readToken] = process.argv.slice(2);

class Node {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.children = [];
    this.listeners = {};
    this._text = "";
    this.className = "";
    this.dataset = {};
    this.value = "";
  }
  set textContent(t) { this._text = t; this.children = []; }
  get textContent() { return this._text + this.children.map((c) => c.textContent).join(" "); }
  appendChild(c) { this.children.push(c); return c; }
  append(...cs) { cs.forEach((c) => this.appendChild(c)); }
  replaceChildren(...cs) { this._text = ""; this.children = cs; }
  addEventListener(type, f) { (this.listeners[type] ||= []).push(f); }
  dispatch(type, ev = {}) { (this.listeners[type] || []).forEach((f) => f({ preventDefault() {}, ...ev })); }
  createTHead() { return this.appendChild(new Node("thead")); }
  createTBody() { return this.appendChild(new Node("tbody")); }
  insertRow() { return this.appendChild(new Node("tr")); }
  find(pred) {
    if (pred(this)) return this;
    for (const c of this.children) { const f = c.find(pred); if (f) return f; }
    return null;
  }
}

const ids = {};
for (const id of ["login", "token", "main", "status"]) ids[id] = new Node("div");
const navButtons = ["summary", "credentials", "hosts"].map((v) => { const b = new Node("button"); b.dataset.view = v; return b; });
const docListeners = {};
const store = {};
global.document = {
  getElementById: (id) => ids[id],
  createElement: (tag) => new Node(tag),
  querySelectorAll: () => navButtons,
  addEventListener: (t, f) => { docListeners[t] = f; },
};
global.sessionStorage = { getItem: (k) => store[k] ?? null, setItem: (k, v) => { store[k] = v; } };
const realFetch = global.fetch;
global.fetch = (path, opts) => realFetch(base + path, opts);

eval(fs.readFileSync(appJs, "utf8"));

const settle = () => new Promise((r) => setTimeout(r, 300));
const report = (view) => console.log(JSON.stringify({ view, text: ids.main.textContent, status: ids.status.textContent }));

(async () => {
  docListeners.DOMContentLoaded();
  ids.token.value = "csr_not-a-token";
  ids.login.dispatch("submit");
  await settle();
  report("bad-token");
  ids.token.value = readToken;
  ids.login.dispatch("submit");
  await settle();
  report("summary");
  navButtons[1].dispatch("click");
  await settle();
  report("credentials");
  ids.main.find((n) => n.className === "link").dispatch("click");
  await settle();
  report("credential");
  navButtons[2].dispatch("click");
  await settle();
  report("hosts");
  ids.main.find((n) => n.className === "link").dispatch("click");
  await settle();
  report("host");
})();
