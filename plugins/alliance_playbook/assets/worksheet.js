/* Alliance Playbook worksheets: a fillable table (rows) or form (one record).
 * What the reader types stays in this browser: it is saved in localStorage
 * under "alliance:<site>:worksheet:<id>" and leaves the device only as a CSV or
 * JSON file the reader downloads. Nothing is ever sent anywhere.
 * The page embeds the worksheet definition (.ap-ws-def) and translated texts
 * (.ap-ws-msg) as JSON. No dependencies; works from file:// and over http.
 *
 * Files and saved data are read as hostile: a table worksheet keeps at most
 * MAX_ROWS rows and each text at most MAX_TEXT characters (on import, on
 * restore and while typing), an import that has nothing usable changes
 * nothing, and field ids are looked up only as own properties, since a valid
 * id such as "constructor" is also a member of every plain object. */
(function () {
  "use strict";
  var VERSION = 1;
  var MAX_IMPORT_BYTES = 5 * 1024 * 1024;
  var MAX_ROWS = 200;     // rows of a table worksheet: more than a workshop fills by hand, few enough to lay out at once
  var MAX_TEXT = 10000;   // characters of one text value
  var MAX_NAME = 80;      // characters of a foreign worksheet name quoted in the status line
  var SVG_NS = "http://www.w3.org/2000/svg";
  var POINT_COLOUR = "#1f6f8b";  // charts.RESULT, so points match the build-time chart

  /* A value of obj's own, never one inherited from Object.prototype. */
  function own(obj, key) {
    return obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  }
  /* An object keyed by field ids: it has no prototype, so no id names a member. */
  function record() { return Object.create(null); }
  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) { return Object.prototype.hasOwnProperty.call(values, k) ? values[k] : m; });
  }
  function readJSON(el) {
    try { return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; }
  }
  function store() {
    try { var s = window.localStorage; return s || null; } catch (e) { return null; }
  }
  function toArray(list) { return Array.prototype.slice.call(list); }
  function isEmptyValue(v) { return v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length); }
  function emptyOf(field) {
    if (field.type === "multichoice") return [];
    if (field.type === "scale" || field.type === "number") return null;
    return "";
  }
  function formatNumber(n) { return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100); }
  /* Counts in the status line are written the page's way: 59,500 or 59.500. */
  function count(n) {
    try { return n.toLocaleString(document.documentElement.getAttribute("lang") || undefined); } catch (e) { return String(n); }
  }
  /* At most `max` characters; a character outside the BMP (an emoji) is not cut in half. */
  function cut(s, max) {
    if (s.length <= max) return s;
    var end = max, c = s.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end--;
    return s.slice(0, end);
  }

  /* Reads a value from the file format (or storage) and keeps it only if it
   * fits the field: a hand-edited or foreign file never breaks the page. A
   * text longer than MAX_TEXT is cut, and counted in notes.cut. */
  function cleanValue(field, v, notes) {
    var t = field.type, allowed;
    if (isEmptyValue(v)) return emptyOf(field);
    if (t === "scale" || t === "number") {
      var n = typeof v === "number" ? v : (typeof v === "string" && v.trim() !== "" ? Number(v) : NaN);
      if (!isFinite(n)) return undefined;
      if (t === "scale" && (!Number.isInteger(n) || n < field.min || n > field.max)) return undefined;
      return n;
    }
    if (t === "choice" || t === "multichoice" || t === "yesno") {
      allowed = t === "yesno" ? [["yes", "yes"], ["no", "no"]] : field.choices || [];
      var pick = function (one) {
        var s = String(one).trim().toLowerCase();
        for (var i = 0; i < allowed.length; i++) {
          if (allowed[i][0].toLowerCase() === s || String(allowed[i][1]).toLowerCase() === s) return allowed[i][0];
        }
        return undefined;
      };
      if (t !== "multichoice") return typeof v === "object" ? undefined : pick(v);
      var list = Array.isArray(v) ? v : String(v).split(/\s*;\s*/);
      var out = [];
      for (var j = 0; j < list.length; j++) {
        var c = typeof list[j] === "object" ? undefined : pick(list[j]);
        if (c === undefined) return undefined;
        if (out.indexOf(c) < 0) out.push(c);
      }
      return out;
    }
    if (typeof v === "object") return undefined;
    if (t === "date") return /^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? String(v) : undefined;
    var s = String(v);
    if (s.length > MAX_TEXT) { notes.cut++; s = cut(s, MAX_TEXT); }
    return s;
  }

  function setup(root) {
    var def = readJSON(root.querySelector(".ap-ws-def"));
    if (!def || !Array.isArray(def.fields)) return;
    var msg = readJSON(root.querySelector(".ap-ws-msg")) || {};
    var id = root.getAttribute("data-id") || def.id;
    var storageKey = "alliance:" + (root.getAttribute("data-ap-site") || "default") + ":worksheet:" + id;
    var fields = def.fields;
    var isTable = root.getAttribute("data-layout") !== "form";
    var maxRows = isTable ? MAX_ROWS : 1;
    var tbody = root.querySelector("tbody[data-ap-rows]");
    var form = root.querySelector(".ap-ws-form");
    var statusEl = root.querySelector(".ap-ws-status");
    var svg = root.querySelector(".ap-ws-chart svg");
    var chart = def.chart || {};
    var scoreFields = def.score && Array.isArray(def.score.mean_of) ? def.score.mean_of : [];
    var labelField = fields.filter(function (f) { return f.type === "text"; })[0];
    var nextUid = 1;
    var blankRow = null;
    var storageWarned = false;
    var desc = svg && svg.querySelector("desc");
    var descPrefix = desc ? desc.textContent.slice(0, Math.max(0, desc.textContent.lastIndexOf("; "))) : "";
    if (isTable && !tbody) return;
    if (!isTable && !form) return;

    function say(text) { if (statusEl) statusEl.textContent = text; }
    function t(key, values) { return fmt(own(msg, key) || key, values || {}); }

    // ----- rows and values -------------------------------------------------------
    function rowEls() { return isTable ? toArray(tbody.children).filter(function (r) { return r.tagName === "TR"; }) : [form]; }
    function control(row, field) { return row.querySelector('[data-field="' + field.id + '"]'); }

    function readField(row, field) {
      var el = control(row, field);
      if (!el) return emptyOf(field);
      if (field.type === "scale") {
        var r = el.querySelector("input:checked");
        return r ? Number(r.value) : null;
      }
      if (field.type === "multichoice") return toArray(el.querySelectorAll("input:checked")).map(function (c) { return c.value; });
      if (field.type === "number") return el.value === "" || !isFinite(Number(el.value)) ? null : Number(el.value);
      return el.value;
    }
    function writeField(row, field, v) {
      var el = control(row, field);
      if (!el) return;
      if (field.type === "scale") {
        toArray(el.querySelectorAll("input[type=radio]")).forEach(function (r) { r.checked = v !== null && v !== undefined && String(v) === r.value; });
      } else if (field.type === "multichoice") {
        var list = Array.isArray(v) ? v.map(String) : [];
        toArray(el.querySelectorAll("input[type=checkbox]")).forEach(function (c) { c.checked = list.indexOf(c.value) >= 0; });
      } else {
        el.value = isEmptyValue(v) ? "" : String(v);
      }
    }
    function readRow(row) {
      var out = record();
      fields.forEach(function (f) { out[f.id] = readField(row, f); });
      return out;
    }
    function writeRow(row, values) {
      fields.forEach(function (f) { writeField(row, f, own(values, f.id)); });
    }
    function rowIsEmpty(values) { return fields.every(function (f) { return isEmptyValue(own(values, f.id)); }); }
    /* What is typed is held to the length a restore keeps, so it comes back whole. */
    function limitTyping(container) {
      fields.forEach(function (f) {
        var el = (f.type === "text" || f.type === "longtext") && control(container, f);
        if (el) el.maxLength = MAX_TEXT;
      });
    }
    function collect() { return rowEls().map(readRow); }

    function scoreOf(values) {
      var sum = 0, n = 0;
      scoreFields.forEach(function (fid) {
        var v = own(values, fid);
        if (typeof v === "number" && isFinite(v)) { sum += v; n++; }
      });
      return n ? sum / n : null;
    }
    function scoreText(values) { var s = scoreOf(values); return s === null ? "" : s.toFixed(1); }

    // ----- table structure ---------------------------------------------------------
    // Controls get a fresh, never reused number in their id and radio name, so
    // moving rows never renames a radio group (which would drop its checked radio).
    function makeRow() {
      var row = blankRow.cloneNode(true);
      var uid = nextUid++;
      fields.forEach(function (f) {
        var el = control(row, f);
        if (!el) return;
        el.id = "ap-" + id + "-" + uid + "-" + f.id;
        toArray(el.querySelectorAll("input[type=radio]")).forEach(function (r) { r.name = el.id; });
      });
      return row;
    }
    function setRowCount(n) {
      var rows = rowEls();
      for (var i = rows.length; i < n; i++) tbody.appendChild(makeRow());
      for (var j = rows.length - 1; j >= n; j--) rows[j].remove();
    }
    function renumber() {
      var rows = rowEls();
      rows.forEach(function (row, i) {
        var n = i + 1;
        row.setAttribute("data-row", String(i));
        var head = row.querySelector("th[scope=row]");
        if (head) head.textContent = String(n);
        fields.forEach(function (f) {
          var el = control(row, f);
          if (el) el.setAttribute("aria-label", t("cell", { label: f.label, n: n }));
        });
        [["[data-ap-row-move=up]", "moveUp", i === 0], ["[data-ap-row-move=down]", "moveDown", i === rows.length - 1],
          ["[data-ap-row-remove]", "remove", false]].forEach(function (spec) {
          var b = row.querySelector(spec[0]);
          if (!b) return;
          var label = t(spec[1], { n: n });
          b.setAttribute("aria-label", label);
          b.title = label;
          b.disabled = spec[2];
        });
      });
    }

    // ----- chart, score, storage -------------------------------------------------------
    function svgEl(name, attrs, text) {
      var el = document.createElementNS(SVG_NS, name);
      Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
      if (text !== undefined) el.textContent = text;
      return el;
    }
    function num(attr) { return Number(svg.getAttribute(attr)); }

    function drawQuadrant(rows) {
      var layer = svg.querySelector("g.ap-points");
      if (!layer) return;
      var pad = num("data-pad"), inner = num("data-inner");
      var xMin = num("data-x-min"), xMax = num("data-x-max"), yMin = num("data-y-min"), yMax = num("data-y-max");
      var said = [];
      while (layer.firstChild) layer.removeChild(layer.firstChild);
      rows.forEach(function (values, i) {
        var x = own(values, chart.x), y = own(values, chart.y);
        if (typeof x !== "number" || typeof y !== "number") return;
        var cx = pad + ((x - xMin) / ((xMax - xMin) || 1)) * inner;
        var cy = pad / 2 + inner - ((y - yMin) / ((yMax - yMin) || 1)) * inner;
        var label = (labelField && String(own(values, labelField.id) || "").trim()) || t("row", { n: i + 1 });
        var point = t("point", { label: label, x: formatNumber(x), y: formatNumber(y) });
        var g = svgEl("g", { "class": "ap-point", "data-row": String(i) });
        var circle = svgEl("circle", { cx: cx.toFixed(1), cy: cy.toFixed(1), r: "6", fill: POINT_COLOUR });
        circle.appendChild(svgEl("title", {}, point));
        g.appendChild(circle);
        // Near the right edge the label goes left of its point, so it is not cut off.
        var leftward = cx > pad + inner * 0.7;
        g.appendChild(svgEl("text", { x: (leftward ? cx - 9 : cx + 9).toFixed(1), y: (cy + 4).toFixed(1),
          "text-anchor": leftward ? "end" : "start" }, label));
        layer.appendChild(g);
        said.push(point);
      });
      if (desc) desc.textContent = descPrefix + "; " + (said.join(", ") || t("noRows"));
    }
    function drawBars(values) {
      var plot = num("data-plot"), said = [];
      toArray(svg.querySelectorAll("rect.ap-bar[data-field]")).forEach(function (bar) {
        var fid = bar.getAttribute("data-field");
        var lo = Number(bar.getAttribute("data-min")), hi = Number(bar.getAttribute("data-max"));
        var v = own(values, fid);
        var rated = typeof v === "number" && isFinite(v);
        var w = rated ? Math.max(0, Math.min(plot, plot * (v - lo) / ((hi - lo) || 1))) : 0;
        bar.setAttribute("width", w.toFixed(1));
        var text = svg.querySelector('text.ap-bar-value[data-field="' + fid + '"]');
        if (text) text.textContent = rated ? formatNumber(v) : "";
        var field = fields.filter(function (f) { return f.id === fid; })[0];
        said.push(t("barDesc", { label: field ? field.label : fid, value: rated ? formatNumber(v) : t("notRated"), max: hi }));
      });
      if (desc) desc.textContent = said.join(", ");
    }

    function save(rows) {
      var s = store();
      try {
        if (!s) throw new Error("no storage");
        // One blank row is the starting state: keep no key for it.
        if (rows.length <= 1 && rows.every(rowIsEmpty)) s.removeItem(storageKey);
        else s.setItem(storageKey, JSON.stringify({ version: VERSION, rows: rows }));
      } catch (e) {
        if (!storageWarned) { storageWarned = true; say(t("noStorage")); }
      }
    }

    /* Recomputes scores and the chart from what is on screen; saves it too
     * unless the change came from storage itself. */
    function refresh(persist) {
      var rows = collect();
      rowEls().forEach(function (row, i) {
        var cell = row.querySelector("[data-ap-score]");
        if (cell) cell.textContent = scoreText(rows[i]);
        fields.forEach(function (f) {
          var el = control(row, f);
          if (el && el.getAttribute("aria-invalid") === "true" && !isEmptyValue(own(rows[i], f.id))) {
            el.removeAttribute("aria-invalid");
            el.classList.remove("ap-invalid");
          }
        });
      });
      if (svg && chart.type === "quadrant") drawQuadrant(rows);
      else if (svg && svg.querySelector("rect.ap-bar")) drawBars(rows[0]);
      if (persist) save(rows);
    }

    /* One row read from a file or storage, with only values that fit; notes
     * counts the values left out (skipped) and the texts cut. */
    function cleanRow(raw, notes) {
      var clean = record();
      fields.forEach(function (f) {
        var v = cleanValue(f, own(raw, f.id), notes);
        if (v === undefined) { notes.skipped++; v = emptyOf(f); }
        clean[f.id] = v;
      });
      return clean;
    }
    function isRecord(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }

    /* Rows of a file: the first maxRows rows with a value, and what was left
     * out. Every row is cleaned, so the count of rows left out is true; that
     * is cheap next to building the rows on screen, which maxRows bounds. */
    function rowsOfFile(list) {
      var got = { rows: [], skipped: 0, cut: 0, extra: 0 };
      for (var i = 0; i < list.length; i++) {
        if (!isRecord(list[i])) { got.skipped++; continue; }
        var notes = { skipped: 0, cut: 0 };
        var clean = cleanRow(list[i], notes);
        var empty = rowIsEmpty(clean);
        if (!empty && got.rows.length >= maxRows) { got.extra++; continue; }
        got.skipped += notes.skipped;
        if (empty) continue;
        got.cut += notes.cut;
        got.rows.push(clean);
      }
      return got;
    }
    /* Rows of storage keep their places (an empty row between two filled
     * ones stays); only the first maxRows are read. */
    function rowsOfStorage(list) {
      var got = { rows: [], skipped: 0, cut: 0, extra: Math.max(0, list.length - maxRows) };
      list.slice(0, maxRows).forEach(function (raw) { got.rows.push(cleanRow(isRecord(raw) ? raw : null, got)); });
      return got;
    }

    /* Shows rows that cleanRow made. */
    function load(rows) {
      if (isTable) setRowCount(Math.max(1, rows.length));
      rowEls().forEach(function (row, i) {
        writeRow(row, rows[i] || null);
        toArray(row.querySelectorAll("[aria-invalid]")).forEach(function (el) { el.removeAttribute("aria-invalid"); el.classList.remove("ap-invalid"); });
      });
      if (isTable) renumber();
      refresh(false);
    }

    function restore() {
      var s = store(), raw = null;
      try { raw = s ? s.getItem(storageKey) : null; } catch (e) { raw = null; }
      if (!raw) { load([]); return; }
      var data = null;
      try { data = JSON.parse(raw); } catch (e) { data = null; }
      var list = own(data, "rows");
      if (!Array.isArray(list)) { say(t("badSaved")); load([]); return; }
      var got = rowsOfStorage(list);
      load(got.rows);
      // Only data saved by an older version, or edited by hand, is ever cut: say so.
      var notes = [];
      if (got.extra && isTable) notes.push(t("savedRowsCut", { max: count(MAX_ROWS), n: count(got.extra) }));
      if (got.cut) notes.push(t("textCut", { max: count(MAX_TEXT), n: count(got.cut) }));
      if (notes.length) say(notes.join(" "));
    }

    // ----- required values -------------------------------------------------------------
    function missingRequired(rows) {
      var list = [];
      rowEls().forEach(function (row, i) {
        if (rowIsEmpty(rows[i])) return;
        fields.forEach(function (f) {
          if (!f.required || !isEmptyValue(own(rows[i], f.id))) return;
          var el = control(row, f);
          if (el) { el.setAttribute("aria-invalid", "true"); el.classList.add("ap-invalid"); }
          list.push(isTable ? t("missingItem", { row: t("row", { n: i + 1 }), label: f.label }) : f.label);
        });
      });
      return list;
    }

    // ----- export -----------------------------------------------------------------------
    function displayValue(field, v) {
      if (isEmptyValue(v)) return "";
      if (field.type === "yesno") return v === "yes" ? t("yes") : v === "no" ? t("no") : String(v);
      var label = function (one) {
        var hit = (field.choices || []).filter(function (c) { return c[0] === one; })[0];
        return hit ? hit[1] : String(one);
      };
      if (field.type === "choice") return label(v);
      if (field.type === "multichoice") return v.map(label).join("; ");
      return v;
    }
    /* RFC 4180 quoting. Text that a spreadsheet would run as a formula gets a
     * leading quote; numbers are left alone, since "-3" is only a number. */
    function csvCell(v) {
      var s = v === null || v === undefined ? "" : String(v);
      if (typeof v !== "number" && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
      return '"' + s.replace(/"/g, '""') + '"';
    }
    function toCsv(rows) {
      var header = fields.map(function (f) { return f.label; });
      if (def.score) header.push(def.score.label);
      var lines = [header.map(csvCell).join(",")];
      rows.forEach(function (values) {
        var cells = fields.map(function (f) { return displayValue(f, own(values, f.id)); });
        if (def.score) cells.push(scoreText(values));
        lines.push(cells.map(csvCell).join(","));
      });
      // The byte order mark lets spreadsheet programs read non-Latin text correctly.
      return "\ufeff" + lines.join("\r\n") + "\r\n";
    }
    function download(name, type, body) {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([body], { type: type + ";charset=utf-8" }));
      a.download = name;
      a.hidden = true;
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }
    function exportAs(kind) {
      var all = collect();
      var missing = missingRequired(all);
      var rows = all.filter(function (r) { return !rowIsEmpty(r); });
      var name = id + "." + kind;
      if (kind === "csv") download(name, "text/csv", toCsv(rows));
      else download(name, "application/json", JSON.stringify({ worksheet: id, version: VERSION, exported: new Date().toISOString(), rows: rows }, null, 2) + "\n");
      var parts = [t("downloaded", { file: name })];
      if (!rows.length) parts.push(t("empty"));
      if (missing.length) parts.push(t("missing", { list: missing.join("; ") }));
      say(parts.join(" "));
    }

    // ----- import -----------------------------------------------------------------------
    /* Returns a status text; never throws, whatever the file holds. */
    function importText(text, file) {
      var data;
      try { data = JSON.parse(String(text).replace(/^\ufeff/, "")); } catch (e) { return t("notJson", { file: file }); }
      var list = own(data, "rows"), other = own(data, "worksheet"), version = own(data, "version");
      if (!isRecord(data) || !Array.isArray(list)) return t("notWorksheet", { file: file });
      if (other !== undefined && other !== id) return t("otherWorksheet", { file: file, other: cut(String(other), MAX_NAME) });
      if (typeof version === "number" && version > VERSION) return t("newer", { file: file });
      var got = rowsOfFile(list);
      // A file with nothing usable would only empty the worksheet: refuse it.
      if (!got.rows.length) return t("nothingFits", { file: file, rows: count(list.length) });
      var current = collect().filter(function (r) { return !rowIsEmpty(r); });
      if (current.length && !window.confirm(t("confirmReplace", { file: file }))) return "";
      load(got.rows);
      save(collect());
      return importReport(file, got);
    }
    function importReport(file, got) {
      var parts = [t("imported", { file: file, n: count(got.rows.length) })];
      if (got.extra) parts.push(isTable ? t("rowsCut", { max: count(MAX_ROWS), n: count(got.extra) }) : t("formRowsCut", { n: count(got.extra) }));
      if (got.skipped) parts.push(t("skipped", { n: count(got.skipped) }));
      if (got.cut) parts.push(t("textCut", { max: count(MAX_TEXT), n: count(got.cut) }));
      return parts.join(" ");
    }
    function importFile(input) {
      var file = input.files && input.files[0];
      if (!file) return;
      var name = file.name || "file";
      var done = function (text) { if (text) say(text); input.value = ""; };
      if (file.size > MAX_IMPORT_BYTES) { done(t("tooBig", { file: name })); return; }
      var reader = new FileReader();
      reader.onload = function () {
        var text;
        try { text = importText(reader.result, name); } catch (e) { text = t("notWorksheet", { file: name }); }
        done(text);
      };
      reader.onerror = function () { done(t("readError", { file: name })); };
      reader.readAsText(file);
    }

    // ----- events -----------------------------------------------------------------------
    function moveRow(row, dir) {
      var other = dir === "up" ? row.previousElementSibling : row.nextElementSibling;
      if (!other) return;
      if (dir === "up") tbody.insertBefore(row, other); else tbody.insertBefore(other, row);
      renumber();
      refresh(true);
      // Keep the keyboard on the row that moved; at an edge its button is now disabled.
      var same = row.querySelector("[data-ap-row-move=" + dir + "]");
      var back = row.querySelector("[data-ap-row-move=" + (dir === "up" ? "down" : "up") + "]");
      (same && !same.disabled ? same : back).focus();
    }
    function removeRow(row) {
      var rows = rowEls(), i = rows.indexOf(row);
      var values = readRow(row);
      if (!rowIsEmpty(values) && !window.confirm(t("confirmRemove", { n: i + 1 }))) return;
      if (rows.length === 1) writeRow(row, null);
      else row.remove();
      renumber();
      refresh(true);
      var left = rowEls();
      var target = left[Math.min(i, left.length - 1)];
      var button = target && target.querySelector("[data-ap-row-remove]");
      if (button) button.focus();
    }

    root.addEventListener("click", function (ev) {
      var btn = ev.target.closest ? ev.target.closest("button") : null;
      if (!btn || !root.contains(btn)) return;
      var row = btn.closest("tr");
      if (btn.hasAttribute("data-ap-add-row")) {
        if (rowEls().length >= MAX_ROWS) { say(t("rowLimit", { max: count(MAX_ROWS) })); return; }
        var added = makeRow();
        tbody.appendChild(added);
        renumber();
        refresh(true);
        var first = added.querySelector("input, select, textarea");
        if (first) first.focus();
      } else if (btn.hasAttribute("data-ap-row-move") && row) {
        moveRow(row, btn.getAttribute("data-ap-row-move"));
      } else if (btn.hasAttribute("data-ap-row-remove") && row) {
        removeRow(row);
      } else if (btn.hasAttribute("data-ap-ws-export")) {
        exportAs(btn.getAttribute("data-ap-ws-export") === "json" ? "json" : "csv");
      } else if (btn.hasAttribute("data-ap-ws-clear")) {
        if (!window.confirm(t("confirmClear"))) return;
        var s = store();
        try { if (s) s.removeItem(storageKey); } catch (e) { /* nothing saved, nothing to clear */ }
        load([]);
        say(t("cleared"));
      } else if (btn.hasAttribute("data-ap-print")) {
        window.print();
      } else if (btn.hasAttribute("data-ap-print-blank")) {
        // alliance.css prints only the blank copy while this class is on.
        document.body.classList.add("ap-print-blank");
        try { window.print(); } finally { document.body.classList.remove("ap-print-blank"); }
      }
    });
    function onEdit(ev) {
      var target = ev.target;
      if (target.matches && target.matches("[data-ap-ws-import]")) {
        if (ev.type === "change") importFile(target);
        return;
      }
      if (target.closest && target.closest("[data-field]")) refresh(true);
    }
    root.addEventListener("input", onEdit);
    root.addEventListener("change", onEdit);
    // Another tab of the same site edited this worksheet: show its version.
    window.addEventListener("storage", function (ev) {
      if (ev.key === storageKey || ev.key === null) restore();
    });

    limitTyping(isTable ? rowEls()[0] : form);
    if (isTable) {
      blankRow = rowEls()[0].cloneNode(true);
      writeRow(blankRow, null);  // the browser may have refilled row 0 on reload
    }
    restore();
    root.classList.add("ap-ws-ready");
  }

  toArray(document.querySelectorAll("[data-ap-worksheet]")).forEach(setup);
})();
