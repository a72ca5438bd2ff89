/* Alliance Playbook: what the page scripts share (checklist.js,
 * worksheet.js, combine.js, casefilter.js, propose.js), as window.AlliancePlaybook.
 *
 * - storage: localStorage when the browser allows it, else a memory map for
 *   the page's lifetime (privacy settings, quota); never throws;
 * - objects keyed by ids from YAML: a valid id such as "constructor" is also
 *   a member of every plain object, so lookups read own properties only and
 *   new maps have no prototype;
 * - texts: interface strings come from the page, translated at build time;
 * - elements built as nodes (text is never parsed as HTML), and text folded
 *   for comparing (case and accents aside);
 * - files: CSV (RFC 4180, formula-safe) and downloads made in the browser,
 *   and reading a chosen file with a size limit.
 * No dependencies; loaded before the page scripts, from file:// and http. */
(function () {
  "use strict";

  /* A value of obj's own, never one inherited from Object.prototype. */
  function own(obj, key) {
    return obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  }
  /* A map with no prototype: no key names a built-in member. */
  function record() { return Object.create(null); }
  function toArray(list) { return Array.prototype.slice.call(list); }

  /* "{n} of {total}" with values filled in; unknown names are left as they are. */
  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) {
      var v = own(values, k);
      return v === undefined ? m : String(v);
    });
  }
  /* The JSON in an element (a <script type="application/json">), or null. */
  function readJSON(el) {
    try { return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; }
  }
  /* The page's interface texts for a script (one <script data-ap-texts>
   * inside scope, written by the templates' texts() macro): a function
   * t(name, values) that falls back to the name itself. */
  function texts(scope) {
    var table = readJSON((scope || document).querySelector("script[data-ap-texts]")) || {};
    return function (name, values) {
      var text = own(table, name);
      return fmt(typeof text === "string" ? text : name, values || {});
    };
  }
  /* A count written the page's way: 59,500 in English, 59.500 in Spanish. */
  function count(n) {
    try { return Number(n).toLocaleString(document.documentElement.getAttribute("lang") || undefined); } catch (e) { return String(n); }
  }
  /* At most `max` characters; a character outside the BMP (an emoji) is not cut in half. */
  function cut(s, max) {
    s = String(s);
    if (s.length <= max) return s;
    var end = max, c = s.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end--;
    return s.slice(0, end);
  }

  /* ----- storage -------------------------------------------------------------------------- */
  var memory = record();
  function local() {
    try { var s = window.localStorage; s.getItem("x"); return s; } catch (e) { return null; }
  }
  var storage = {
    /* The text saved under key, or null. */
    get: function (key) {
      var s = local();
      try { if (s) return s.getItem(key); } catch (e) { /* fall back to memory */ }
      return own(memory, key) === undefined ? null : memory[key];
    },
    /* Saves text under key; false when only the page's memory holds it. */
    set: function (key, value) {
      var s = local();
      try { if (s) { s.setItem(key, value); delete memory[key]; return true; } } catch (e) { /* quota: keep in memory */ }
      memory[key] = String(value);
      return false;
    },
    remove: function (key) {
      var s = local();
      delete memory[key];
      try { if (s) s.removeItem(key); } catch (e) { /* nothing to remove */ }
    },
    /* Removes every key that starts with prefix. */
    clear: function (prefix) {
      Object.keys(memory).forEach(function (k) { if (k.indexOf(prefix) === 0) delete memory[k]; });
      var s = local();
      if (!s) return;
      try {
        for (var i = s.length - 1; i >= 0; i--) { var k = s.key(i); if (k && k.indexOf(prefix) === 0) s.removeItem(k); }
      } catch (e) { /* storage went away */ }
    },
    /* Whether the browser keeps what is saved beyond this page. */
    persistent: function () { return local() !== null; }
  };

  /* ----- files ------------------------------------------------------------------------------ */
  /* One CSV cell (RFC 4180). Text a spreadsheet would run as a formula gets a
   * leading quote; numbers are left alone, since "-3" is only a number. */
  function csvCell(v) {
    var s = v === null || v === undefined ? "" : String(v);
    // Also after spaces, and the full-width signs some spreadsheets read alike.
    if (typeof v !== "number" && /^[ \u3000]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/.test(s)) s = "'" + s;
    return '"' + s.replace(/"/g, '""') + '"';
  }
  /* A CSV file from rows of cells. The byte order mark lets spreadsheet
   * programs read non-Latin text correctly. */
  function csv(rows) {
    return "\ufeff" + rows.map(function (cells) { return cells.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  /* A piece of a file name from any text: letters and digits of any script,
   * lower case, runs of anything else as one hyphen, at most `max` long.
   * "Riverside Food Alliance" gives "riverside-food-alliance". */
  function fileSlug(text, max) {
    var s = String(text || "").normalize("NFKC").toLowerCase();
    try { s = s.replace(/[^\p{L}\p{N}]+/gu, "-"); } catch (e) { s = s.replace(/[^a-z0-9]+/g, "-"); }
    s = cut(s.replace(/^-+|-+$/g, ""), max || 40);
    return s.replace(/-+$/, "");
  }
  /* Today's date as YYYY-MM-DD, on the reader's clock. */
  function today() {
    var d = new Date(), pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  /* Offers body as a file to save; nothing leaves the device. */
  function download(name, type, body) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([body], { type: type + ";charset=utf-8" }));
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  /* Reads a chosen file as text. done(text) or fail(reason), reason being
   * "tooBig" (over maxBytes) or "readError". */
  function readFile(file, maxBytes, done, fail) {
    if (file.size > maxBytes) { fail("tooBig"); return; }
    var reader = new FileReader();
    reader.onload = function () { done(String(reader.result)); };
    reader.onerror = function () { fail("readError"); };
    reader.readAsText(file);
  }

  /* ----- elements and text ----------------------------------------------------------------- */
  /* An HTML element with these attributes (null or undefined ones left out) and text. */
  function element(tag, attrs, text) {
    return fill(document.createElement(tag), attrs, text);
  }
  /* The same in SVG. */
  function svgElement(tag, attrs, text) {
    return fill(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs, text);
  }
  function fill(node, attrs, text) {
    Object.keys(attrs || {}).forEach(function (k) { if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  /* Case- and accent-insensitive: "Réseau" and "reseau" are the same word.
   * NFKD also folds full-width forms, so "ＡＢＣ" finds "abc". */
  function fold(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  window.AlliancePlaybook = {
    own: own, record: record, toArray: toArray, fmt: fmt, readJSON: readJSON, texts: texts, count: count, cut: cut,
    storage: storage, csvCell: csvCell, csv: csv, download: download, readFile: readFile,
    fileSlug: fileSlug, today: today, element: element, svgElement: svgElement, fold: fold
  };
})();
