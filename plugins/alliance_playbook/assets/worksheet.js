/* Alliance Playbook worksheets: a fillable table (rows) or form (one record).
 * What the reader types stays in this browser: it is saved in localStorage
 * under "alliance:<site>:worksheet:<id>" and leaves the device only as a CSV or
 * JSON file the reader downloads. Nothing is ever sent anywhere.
 * The page embeds the worksheet definition (.ap-ws-def) and its translated
 * texts (script[data-ap-texts]) as JSON. Needs common.js; works from file://
 * and over http.
 *
 * Files and saved data are read as hostile: a table worksheet keeps at most
 * MAX_ROWS rows and each text at most MAX_TEXT characters (on import, on
 * restore and while typing), an import that has nothing usable changes
 * nothing, and field ids are looked up only as own properties, since a valid
 * id such as "constructor" is also a member of every plain object.
 *
 * The file has three parts: values (what a field accepts, pure functions),
 * the Worksheet (one per page element: its rows, chart, storage, files) and
 * the events that drive it. */
(function () {
  "use strict";
  var AP = window.AlliancePlaybook;
  if (!AP) return;
  var own = AP.own, record = AP.record, toArray = AP.toArray, count = AP.count, cut = AP.cut;
  var VERSION = 1;
  var MAX_IMPORT_BYTES = 5 * 1024 * 1024;
  var MAX_ROWS = 200;     // rows of a table worksheet: more than a workshop fills by hand, few enough to lay out at once
  var MAX_TEXT = 10000;   // characters of one text value
  var MAX_NAME = 80;      // characters of a foreign worksheet name quoted in the status line
  var POINT_COLOUR = "#00796b";  // charts.RESULT, so points match the build-time chart

  // ===== values ==============================================================================
  function isEmptyValue(v) { return v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length); }
  function isRecord(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function emptyOf(field) {
    if (field.type === "multichoice") return [];
    if (field.type === "scale" || field.type === "number") return null;
    return "";
  }
  function formatNumber(n) { return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100); }

  /* The choice value a written value names (its value or its label, any case). */
  function pickChoice(allowed, one) {
    var s = String(one).trim().toLowerCase();
    for (var i = 0; i < allowed.length; i++) {
      if (allowed[i][0].toLowerCase() === s || String(allowed[i][1]).toLowerCase() === s) return allowed[i][0];
    }
    return undefined;
  }
  function cleanChoice(field, v) {
    var allowed = field.type === "yesno" ? [["yes", "yes"], ["no", "no"]] : field.choices || [];
    if (field.type !== "multichoice") return typeof v === "object" ? undefined : pickChoice(allowed, v);
    var list = Array.isArray(v) ? v : String(v).split(/\s*;\s*/), out = [];
    for (var j = 0; j < list.length; j++) {
      var c = typeof list[j] === "object" ? undefined : pickChoice(allowed, list[j]);
      if (c === undefined) return undefined;
      if (out.indexOf(c) < 0) out.push(c);
    }
    return out;
  }
  /* Reads a value from the file format (or storage) and keeps it only if it
   * fits the field: a hand-edited or foreign file never breaks the page. A
   * text longer than MAX_TEXT is cut, and counted in notes.cut. */
  function cleanValue(field, v, notes) {
    var t = field.type;
    if (isEmptyValue(v)) return emptyOf(field);
    if (t === "scale" || t === "number") {
      var n = typeof v === "number" ? v : (typeof v === "string" && v.trim() !== "" ? Number(v) : NaN);
      if (!isFinite(n)) return undefined;
      if (t === "scale" && (!Number.isInteger(n) || n < field.min || n > field.max)) return undefined;
      return n;
    }
    if (t === "choice" || t === "multichoice" || t === "yesno") return cleanChoice(field, v);
    if (typeof v === "object") return undefined;
    if (t === "date") return /^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? String(v) : undefined;
    var s = String(v);
    if (s.length > MAX_TEXT) { notes.cut++; s = cut(s, MAX_TEXT); }
    return s;
  }

  // ===== a worksheet =========================================================================
  function Worksheet(root, def) {
    this.root = root;
    this.def = def;
    this.t = AP.texts(root);
    this.id = root.getAttribute("data-id") || def.id;
    var site = root.getAttribute("data-ap-site") || "default";
    this.storageKey = "alliance:" + site + ":worksheet:" + this.id;
    // The alliance's name, shared by every worksheet of the site: typed once,
    // it names the exported files (or the worksheet's own "alliance" field does).
    this.nameKey = "alliance:" + site + ":alliance-name";
    this.nameInput = root.querySelector("[data-ap-alliance-name]");
    this.fields = def.fields;
    this.isTable = root.getAttribute("data-layout") !== "form";
    this.maxRows = this.isTable ? MAX_ROWS : 1;
    this.tbody = root.querySelector("tbody[data-ap-rows]");
    this.form = root.querySelector(".ap-ws-form");
    this.statusEl = root.querySelector(".ap-ws-status");
    this.svg = root.querySelector(".ap-ws-chart svg");
    this.chart = def.chart || {};
    this.scoreFields = def.score && Array.isArray(def.score.mean_of) ? def.score.mean_of : [];
    this.labelField = this.fields.filter(function (f) { return f.type === "text"; })[0];
    this.nextUid = 1;
    this.blankRow = null;
    this.storageWarned = false;
    this.desc = this.svg && this.svg.querySelector("desc");
    this.descPrefix = this.desc ? this.desc.textContent.slice(0, Math.max(0, this.desc.textContent.lastIndexOf("; "))) : "";
  }
  var W = Worksheet.prototype;

  W.say = function (text) { if (this.statusEl) this.statusEl.textContent = text; };

  // ----- rows and values -----------------------------------------------------------------
  W.rowEls = function () {
    return this.isTable ? toArray(this.tbody.children).filter(function (r) { return r.tagName === "TR"; }) : [this.form];
  };
  W.control = function (row, field) { return row.querySelector('[data-field="' + field.id + '"]'); };
  W.readField = function (row, field) {
    var el = this.control(row, field);
    if (!el) return emptyOf(field);
    if (field.type === "scale") {
      var r = el.querySelector("input:checked");
      return r ? Number(r.value) : null;
    }
    if (field.type === "multichoice") return toArray(el.querySelectorAll("input:checked")).map(function (c) { return c.value; });
    if (field.type === "number") return el.value === "" || !isFinite(Number(el.value)) ? null : Number(el.value);
    return el.value;
  };
  W.writeField = function (row, field, v) {
    var el = this.control(row, field);
    if (!el) return;
    if (field.type === "scale") {
      toArray(el.querySelectorAll("input[type=radio]")).forEach(function (r) { r.checked = v !== null && v !== undefined && String(v) === r.value; });
    } else if (field.type === "multichoice") {
      var list = Array.isArray(v) ? v.map(String) : [];
      toArray(el.querySelectorAll("input[type=checkbox]")).forEach(function (c) { c.checked = list.indexOf(c.value) >= 0; });
    } else {
      el.value = isEmptyValue(v) ? "" : String(v);
    }
  };
  W.readRow = function (row) {
    var out = record(), self = this;
    this.fields.forEach(function (f) { out[f.id] = self.readField(row, f); });
    return out;
  };
  W.writeRow = function (row, values) {
    var self = this;
    this.fields.forEach(function (f) { self.writeField(row, f, own(values, f.id)); });
  };
  W.rowIsEmpty = function (values) { return this.fields.every(function (f) { return isEmptyValue(own(values, f.id)); }); };
  W.collect = function () { return this.rowEls().map(this.readRow, this); };
  /* What is typed is held to the length a restore keeps, so it comes back whole. */
  W.limitTyping = function (container) {
    var self = this;
    this.fields.forEach(function (f) {
      var el = (f.type === "text" || f.type === "longtext") && self.control(container, f);
      if (el) el.maxLength = MAX_TEXT;
    });
  };
  W.scoreOf = function (values) {
    var sum = 0, n = 0;
    this.scoreFields.forEach(function (fid) {
      var v = own(values, fid);
      if (typeof v === "number" && isFinite(v)) { sum += v; n++; }
    });
    return n ? sum / n : null;
  };
  W.scoreText = function (values) { var s = this.scoreOf(values); return s === null ? "" : s.toFixed(1); };

  // ----- table structure -------------------------------------------------------------------
  /* Controls get a fresh, never reused number in their id and radio name, so
   * moving rows never renames a radio group (which would drop its checked radio). */
  W.makeRow = function () {
    var row = this.blankRow.cloneNode(true), uid = this.nextUid++, self = this;
    this.fields.forEach(function (f) {
      var el = self.control(row, f);
      if (!el) return;
      el.id = "ap-" + self.id + "-" + uid + "-" + f.id;
      toArray(el.querySelectorAll("input[type=radio]")).forEach(function (r) { r.name = el.id; });
    });
    return row;
  };
  W.setRowCount = function (n) {
    var rows = this.rowEls();
    for (var i = rows.length; i < n; i++) this.tbody.appendChild(this.makeRow());
    for (var j = rows.length - 1; j >= n; j--) rows[j].remove();
  };
  W.renumber = function () {
    var rows = this.rowEls(), self = this, t = this.t;
    rows.forEach(function (row, i) {
      var n = i + 1;
      row.setAttribute("data-row", String(i));
      var head = row.querySelector("th[scope=row]");
      if (head) head.textContent = String(n);
      self.fields.forEach(function (f) {
        var el = self.control(row, f);
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
  };

  // ----- chart -------------------------------------------------------------------------------
  var svgEl = AP.svgElement;
  W.svgNumber = function (attr) { return Number(this.svg.getAttribute(attr)); };
  W.drawQuadrant = function (rows) {
    var layer = this.svg.querySelector("g.ap-points");
    if (!layer) return;
    var self = this, t = this.t, chart = this.chart;
    var pad = this.svgNumber("data-pad"), inner = this.svgNumber("data-inner");
    var xMin = this.svgNumber("data-x-min"), xMax = this.svgNumber("data-x-max");
    var yMin = this.svgNumber("data-y-min"), yMax = this.svgNumber("data-y-max");
    var said = [];
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    rows.forEach(function (values, i) {
      var x = own(values, chart.x), y = own(values, chart.y);
      if (typeof x !== "number" || typeof y !== "number") return;
      var cx = pad + ((x - xMin) / ((xMax - xMin) || 1)) * inner;
      var cy = pad / 2 + inner - ((y - yMin) / ((yMax - yMin) || 1)) * inner;
      var label = (self.labelField && String(own(values, self.labelField.id) || "").trim()) || t("row", { n: i + 1 });
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
    if (this.desc) this.desc.textContent = this.descPrefix + "; " + (said.join(", ") || t("noRows"));
    var hint = this.svg.querySelector(".ap-chart-empty");
    if (hint) { if (said.length) hint.setAttribute("display", "none"); else hint.removeAttribute("display"); }
  };
  W.drawBars = function (values) {
    var self = this, svg = this.svg, t = this.t, plot = this.svgNumber("data-plot"), said = [];
    toArray(svg.querySelectorAll("rect.ap-bar[data-field]")).forEach(function (bar) {
      var fid = bar.getAttribute("data-field");
      var lo = Number(bar.getAttribute("data-min")), hi = Number(bar.getAttribute("data-max"));
      var v = own(values, fid);
      var rated = typeof v === "number" && isFinite(v);
      var w = rated ? Math.max(0, Math.min(plot, plot * (v - lo) / ((hi - lo) || 1))) : 0;
      bar.setAttribute("width", w.toFixed(1));
      var text = svg.querySelector('text.ap-bar-value[data-field="' + fid + '"]');
      if (text) text.textContent = rated ? formatNumber(v) : "";
      var field = self.fields.filter(function (f) { return f.id === fid; })[0];
      said.push(t("barDesc", { label: field ? field.label : fid, value: rated ? formatNumber(v) : t("notRated"), max: hi }));
    });
    if (this.desc) this.desc.textContent = said.join(", ");
  };

  // ----- storage and refresh -------------------------------------------------------------
  W.save = function (rows) {
    // One blank row is the starting state: keep no key for it.
    if (rows.length <= 1 && rows.every(this.rowIsEmpty, this)) { AP.storage.remove(this.storageKey); return; }
    var kept = AP.storage.set(this.storageKey, JSON.stringify({ version: VERSION, rows: rows }));
    if (!kept && !this.storageWarned) { this.storageWarned = true; this.say(this.t("noStorage")); }
  };
  /* Recomputes scores and the chart from what is on screen; saves it too
   * unless the change came from storage itself. */
  W.refresh = function (persist) {
    var rows = this.collect(), self = this;
    this.rowEls().forEach(function (row, i) {
      var cell = row.querySelector("[data-ap-score]");
      if (cell) {
        var score = self.scoreText(rows[i]);
        cell.textContent = score || self.t("notRated");
        cell.classList.toggle("ap-unrated", !score);
      }
      self.fields.forEach(function (f) {
        var el = self.control(row, f);
        if (el && el.getAttribute("aria-invalid") === "true" && !isEmptyValue(own(rows[i], f.id))) {
          el.removeAttribute("aria-invalid");
          el.classList.remove("ap-invalid");
        }
      });
    });
    if (this.svg && this.chart.type === "quadrant") this.drawQuadrant(rows);
    else if (this.svg && this.svg.querySelector("rect.ap-bar")) this.drawBars(rows[0]);
    if (persist) this.save(rows);
  };

  /* One row read from a file or storage, with only values that fit; notes
   * counts the values left out (skipped) and the texts cut. */
  W.cleanRow = function (raw, notes) {
    var clean = record();
    this.fields.forEach(function (f) {
      var v = cleanValue(f, own(raw, f.id), notes);
      if (v === undefined) { notes.skipped++; v = emptyOf(f); }
      clean[f.id] = v;
    });
    return clean;
  };
  /* Rows of a file: the first maxRows rows with a value, and what was left
   * out. Every row is cleaned, so the count of rows left out is true; that
   * is cheap next to building the rows on screen, which maxRows bounds. */
  W.rowsOfFile = function (list) {
    var got = { rows: [], skipped: 0, cut: 0, extra: 0 };
    for (var i = 0; i < list.length; i++) {
      if (!isRecord(list[i])) { got.skipped++; continue; }
      var notes = { skipped: 0, cut: 0 };
      var clean = this.cleanRow(list[i], notes), empty = this.rowIsEmpty(clean);
      if (!empty && got.rows.length >= this.maxRows) { got.extra++; continue; }
      got.skipped += notes.skipped;
      if (empty) continue;
      got.cut += notes.cut;
      got.rows.push(clean);
    }
    return got;
  };
  /* Rows of storage keep their places (an empty row between two filled
   * ones stays); only the first maxRows are read. */
  W.rowsOfStorage = function (list) {
    var got = { rows: [], skipped: 0, cut: 0, extra: Math.max(0, list.length - this.maxRows) }, self = this;
    list.slice(0, this.maxRows).forEach(function (raw) { got.rows.push(self.cleanRow(isRecord(raw) ? raw : null, got)); });
    return got;
  };
  /* Shows rows that cleanRow made. */
  W.load = function (rows) {
    var self = this;
    if (this.isTable) this.setRowCount(Math.max(1, rows.length));
    this.rowEls().forEach(function (row, i) {
      self.writeRow(row, rows[i] || null);
      toArray(row.querySelectorAll("[aria-invalid]")).forEach(function (el) { el.removeAttribute("aria-invalid"); el.classList.remove("ap-invalid"); });
    });
    if (this.isTable) this.renumber();
    this.refresh(false);
  };
  W.restore = function () {
    var raw = AP.storage.get(this.storageKey);
    if (!raw) { this.load([]); return; }
    var data = null;
    try { data = JSON.parse(raw); } catch (e) { data = null; }
    var list = own(data, "rows");
    if (!Array.isArray(list)) { this.say(this.t("badSaved")); this.load([]); return; }
    var got = this.rowsOfStorage(list);
    this.load(got.rows);
    // Only data saved by an older version, or edited by hand, is ever cut: say so.
    var notes = [];
    if (got.extra && this.isTable) notes.push(this.t("savedRowsCut", { max: count(MAX_ROWS), n: count(got.extra) }));
    if (got.cut) notes.push(this.t("textCut", { max: count(MAX_TEXT), n: count(got.cut) }));
    if (notes.length) this.say(notes.join(" "));
  };
  W.clear = function () {
    if (!window.confirm(this.t("confirmClear"))) return;
    AP.storage.remove(this.storageKey);
    this.load([]);
    this.say(this.t("cleared"));
  };

  // ----- export -------------------------------------------------------------------------------
  W.missingRequired = function (rows) {
    var list = [], self = this, t = this.t;
    this.rowEls().forEach(function (row, i) {
      if (self.rowIsEmpty(rows[i])) return;
      self.fields.forEach(function (f) {
        if (!f.required || !isEmptyValue(own(rows[i], f.id))) return;
        var el = self.control(row, f);
        if (el) { el.setAttribute("aria-invalid", "true"); el.classList.add("ap-invalid"); }
        list.push(self.isTable ? t("missingItem", { row: t("row", { n: i + 1 }), label: f.label }) : f.label);
      });
    });
    return list;
  };
  W.displayValue = function (field, v) {
    if (isEmptyValue(v)) return "";
    if (field.type === "yesno") return v === "yes" ? this.t("yes") : v === "no" ? this.t("no") : String(v);
    var label = function (one) {
      var hit = (field.choices || []).filter(function (c) { return c[0] === one; })[0];
      return hit ? hit[1] : String(one);
    };
    if (field.type === "choice") return label(v);
    if (field.type === "multichoice") return v.map(label).join("; ");
    return v;
  };
  W.toCsv = function (rows) {
    var self = this, def = this.def;
    var header = this.fields.map(function (f) { return f.label; });
    if (def.score) header.push(def.score.label);
    var lines = [header];
    rows.forEach(function (values) {
      var cells = self.fields.map(function (f) { return self.displayValue(f, own(values, f.id)); });
      if (def.score) cells.push(self.scoreText(values));
      lines.push(cells);
    });
    return AP.csv(lines);
  };
  /* The exported file's name: the worksheet, the alliance and the date, as
   * in alliance-health-check-riverside-2026-12-01.csv. The date is the
   * answers' own (a form's "date" field) when given, else today's. */
  W.fileName = function (kind, rows) {
    var first = rows[0] || record();
    var alliance = typeof own(first, "alliance") === "string" && first.alliance.trim() ? first.alliance : AP.storage.get(this.nameKey);
    var date = !this.isTable && /^\d{4}-\d{2}-\d{2}$/.test(String(own(first, "date") || "")) ? first.date : AP.today();
    return [AP.fileSlug(this.id, 60), AP.fileSlug(alliance || "", 40), date].filter(Boolean).join("-") + "." + kind;
  };
  W.exportAs = function (kind) {
    var all = this.collect(), t = this.t;
    var missing = this.missingRequired(all);
    var rows = all.filter(function (r) { return !this.rowIsEmpty(r); }, this);
    var name = this.fileName(kind, rows);
    if (kind === "csv") AP.download(name, "text/csv", this.toCsv(rows));
    else AP.download(name, "application/json", JSON.stringify({ worksheet: this.id, version: VERSION, exported: new Date().toISOString(), rows: rows }, null, 2) + "\n");
    var parts = [t("downloaded", { file: name })];
    if (!rows.length) parts.push(t("empty"));
    if (missing.length) parts.push(t("missing", { list: missing.join("; ") }));
    this.say(parts.join(" "));
  };

  // ----- import -------------------------------------------------------------------------------
  /* Returns a status text; never throws, whatever the file holds. */
  W.importText = function (text, file) {
    var t = this.t, data;
    try { data = JSON.parse(String(text).replace(/^\ufeff/, "")); } catch (e) { return t("notJson", { file: file }); }
    var list = own(data, "rows"), other = own(data, "worksheet"), version = own(data, "version");
    if (!isRecord(data) || !Array.isArray(list)) return t("notWorksheet", { file: file });
    if (other !== undefined && other !== this.id) return t("otherWorksheet", { file: file, other: cut(String(other), MAX_NAME) });
    if (typeof version === "number" && version > VERSION) return t("newer", { file: file });
    var got = this.rowsOfFile(list);
    // A file with nothing usable would only empty the worksheet: refuse it.
    if (!got.rows.length) return t("nothingFits", { file: file, rows: count(list.length) });
    var current = this.collect().filter(function (r) { return !this.rowIsEmpty(r); }, this);
    if (current.length && !window.confirm(t("confirmReplace", { file: file }))) return "";
    this.load(got.rows);
    this.save(this.collect());
    return this.importReport(file, got);
  };
  W.importReport = function (file, got) {
    var t = this.t, parts = [t("imported", { file: file, n: count(got.rows.length) })];
    if (got.extra) parts.push(this.isTable ? t("rowsCut", { max: count(MAX_ROWS), n: count(got.extra) }) : t("formRowsCut", { n: count(got.extra) }));
    if (got.skipped) parts.push(t("skipped", { n: count(got.skipped) }));
    if (got.cut) parts.push(t("textCut", { max: count(MAX_TEXT), n: count(got.cut) }));
    return parts.join(" ");
  };
  W.importFile = function (input) {
    var file = input.files && input.files[0], self = this;
    if (!file) return;
    var name = file.name || "file";
    var done = function (text) { if (text) self.say(text); input.value = ""; };
    AP.readFile(file, MAX_IMPORT_BYTES, function (text) {
      var said;
      try { said = self.importText(text, name); } catch (e) { said = self.t("notWorksheet", { file: name }); }
      done(said);
    }, function (reason) { done(self.t(reason, { file: name })); });
  };

  // ----- rows: add, move, remove ----------------------------------------------------------
  W.addRow = function () {
    if (this.rowEls().length >= MAX_ROWS) { this.say(this.t("rowLimit", { max: count(MAX_ROWS) })); return; }
    var added = this.makeRow();
    this.tbody.appendChild(added);
    this.renumber();
    this.refresh(true);
    var first = added.querySelector("input, select, textarea");
    if (first) first.focus();
  };
  W.moveRow = function (row, dir) {
    var other = dir === "up" ? row.previousElementSibling : row.nextElementSibling;
    if (!other) return;
    if (dir === "up") this.tbody.insertBefore(row, other); else this.tbody.insertBefore(other, row);
    this.renumber();
    this.refresh(true);
    // Keep the keyboard on the row that moved; at an edge its button is now disabled.
    var same = row.querySelector("[data-ap-row-move=" + dir + "]");
    var back = row.querySelector("[data-ap-row-move=" + (dir === "up" ? "down" : "up") + "]");
    (same && !same.disabled ? same : back).focus();
  };
  W.removeRow = function (row) {
    var rows = this.rowEls(), i = rows.indexOf(row);
    if (!this.rowIsEmpty(this.readRow(row)) && !window.confirm(this.t("confirmRemove", { n: i + 1 }))) return;
    if (rows.length === 1) this.writeRow(row, null);
    else row.remove();
    this.renumber();
    this.refresh(true);
    var left = this.rowEls();
    var target = left[Math.min(i, left.length - 1)];
    var button = target && target.querySelector("[data-ap-row-remove]");
    if (button) button.focus();
  };
  W.printBlank = function () {
    // alliance.css prints only the blank copy while this class is on.
    document.body.classList.add("ap-print-blank");
    try { window.print(); } finally { document.body.classList.remove("ap-print-blank"); }
  };

  // ===== events ===============================================================================
  W.onClick = function (ev) {
    var btn = ev.target.closest ? ev.target.closest("button") : null;
    if (!btn || !this.root.contains(btn)) return;
    var row = btn.closest("tr");
    if (btn.hasAttribute("data-ap-add-row")) this.addRow();
    else if (btn.hasAttribute("data-ap-row-move") && row) this.moveRow(row, btn.getAttribute("data-ap-row-move"));
    else if (btn.hasAttribute("data-ap-row-remove") && row) this.removeRow(row);
    else if (btn.hasAttribute("data-ap-ws-export")) this.exportAs(btn.getAttribute("data-ap-ws-export") === "json" ? "json" : "csv");
    else if (btn.hasAttribute("data-ap-ws-clear")) this.clear();
    else if (btn.hasAttribute("data-ap-print")) window.print();
    else if (btn.hasAttribute("data-ap-print-blank")) this.printBlank();
  };
  W.onEdit = function (ev) {
    var target = ev.target;
    if (target.matches && target.matches("[data-ap-ws-import]")) {
      if (ev.type === "change") this.importFile(target);
      return;
    }
    if (target === this.nameInput) { this.saveName(target.value); return; }
    var field = target.closest && target.closest("[data-field]");
    if (!field) return;
    if (field.getAttribute("data-field") === "alliance" && !this.isTable) this.saveName(field.value);
    this.refresh(true);
  };
  W.saveName = function (value) {
    var name = cut(String(value || "").trim(), 120);
    if (name) AP.storage.set(this.nameKey, name); else AP.storage.remove(this.nameKey);
  };
  W.start = function () {
    var self = this;
    this.root.addEventListener("click", function (ev) { self.onClick(ev); });
    this.root.addEventListener("input", function (ev) { self.onEdit(ev); });
    this.root.addEventListener("change", function (ev) { self.onEdit(ev); });
    // Another tab of the same site edited this worksheet: show its version.
    window.addEventListener("storage", function (ev) {
      if (ev.key === self.storageKey || ev.key === null) self.restore();
    });
    this.limitTyping(this.isTable ? this.rowEls()[0] : this.form);
    if (this.isTable) {
      this.blankRow = this.rowEls()[0].cloneNode(true);
      this.writeRow(this.blankRow, null);  // the browser may have refilled row 0 on reload
    }
    this.restore();
    this.watchWidth();
    if (this.nameInput) this.nameInput.value = AP.storage.get(this.nameKey) || "";
    this.root.classList.add("ap-ws-ready");
  };

  /* Says when the table is wider than its box (so columns are out of sight),
   * and only then. */
  W.watchWidth = function () {
    var hint = this.root.querySelector("[data-ap-scroll-hint]"), box = this.root.querySelector(".ap-ws-scroll");
    if (!hint || !box) return;
    var check = function () { hint.hidden = !(box.scrollWidth > box.clientWidth + 1) || getComputedStyle(box).overflowX === "visible"; };
    check();
    if (window.ResizeObserver) new ResizeObserver(check).observe(box);
    else window.addEventListener("resize", check);
  };

  function setup(root) {
    var def = AP.readJSON(root.querySelector(".ap-ws-def"));
    if (!def || !Array.isArray(def.fields)) return;
    var ws = new Worksheet(root, def);
    if (ws.isTable ? !ws.tbody : !ws.form) return;
    ws.start();
  }

  toArray(document.querySelectorAll("[data-ap-worksheet]")).forEach(setup);
  // What combine.js reuses: the same reading of a file's values, and the chart.
  AP.worksheets = { Worksheet: Worksheet, VERSION: VERSION, MAX_IMPORT_BYTES: MAX_IMPORT_BYTES, formatNumber: formatNumber };

  // A printed textarea shows all its text, not only its visible lines: while
  // printing, its value stands beside it as text (which flows in any
  // layout, cards or table), and the box itself is hidden (alliance.css).
  // Without the script, field-sizing: content does what it can.
  window.addEventListener("beforeprint", function () {
    toArray(document.querySelectorAll(".ap-worksheet textarea")).forEach(function (area) {
      if (!area.value) return;
      var copy = document.createElement("div");
      copy.className = "ap-print-value";
      copy.textContent = area.value;
      area.classList.add("ap-has-print-value");
      area.insertAdjacentElement("afterend", copy);
    });
  });
  window.addEventListener("afterprint", function () {
    toArray(document.querySelectorAll(".ap-worksheet .ap-print-value")).forEach(function (copy) { copy.remove(); });
    toArray(document.querySelectorAll(".ap-worksheet .ap-has-print-value")).forEach(function (area) {
      area.classList.remove("ap-has-print-value");
    });
  });
})();
