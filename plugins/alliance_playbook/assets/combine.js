/* Alliance Playbook: combine partners' answers to a worksheet.
 * Each partner exports the worksheet as JSON on their own device; here a
 * facilitator chooses or drops several of those files at once and sees them
 * side by side. Nothing is saved or sent: the files are read in this page,
 * and the reader's own answers (the worksheet above, its localStorage) are
 * never touched.
 *
 * - A form worksheet (a health check): per rating question the number of
 *   answers, the lowest, median and highest, a spread bar, a flag where the
 *   partners disagree (a spread of half the scale or more: 2 points on 1 to
 *   5), and, when the files carry different dates, the question's average
 *   per date as a small chart; the other answers are listed by file.
 * - A table worksheet (partner identification): every row with the file it
 *   came from, then rows naming the same organization merged (numbers
 *   averaged, every note kept, a mark where the files disagree), and the
 *   merged rows on the worksheet's chart.
 *
 * Files are read as hostile, with worksheet.js's own rules (AP.worksheets):
 * another worksheet's file or a newer format is left out and said so;
 * older versions are read; every value is checked against its field. The
 * combined view can be exported (CSV, JSON) and printed. Needs common.js
 * and worksheet.js. */
(function () {
  "use strict";
  var AP = window.AlliancePlaybook;
  if (!AP || !AP.worksheets) return;
  var own = AP.own, toArray = AP.toArray, count = AP.count, cut = AP.cut, WS = AP.worksheets;
  var fmt = WS.formatNumber;
  var MAX_FILES = 100;
  var MAX_NAME = 80;

  var el = AP.element, svg = AP.svgElement;
  // Sums of huge numbers overflow to Infinity: each value is divided first.
  function median(values) {
    var s = values.slice().sort(function (a, b) { return a - b; }), mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : s[mid - 1] / 2 + s[mid] / 2;
  }
  function mean(values) { return values.reduce(function (a, b) { return a + b / values.length; }, 0); }
  function round2(n) { return Math.abs(n) < 1e13 ? Math.round(n * 100) / 100 : n; }
  function numbers(list) { return list.filter(function (v) { return typeof v === "number" && isFinite(v); }); }
  function fold(text) { return AP.fold(text).replace(/\s+/g, " ").trim(); }  // (and spacing)
  function isDate(v) {
    var m = typeof v === "string" && /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (!m) return false;
    var d = new Date(0);
    d.setUTCFullYear(+m[1], +m[2] - 1, +m[3]);
    return +m[1] > 0 && d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  }
  function shortName(name) { var chars = Array.from(String(name)); return chars.length > MAX_NAME ? chars.slice(0, MAX_NAME - 1).join("") + "…" : chars.join(""); }

  function Combiner(box, ws) {
    this.box = box;
    this.ws = ws;
    this.t = AP.texts(box);
    this.status = box.querySelector(".ap-combine-status");
    this.result = box.querySelector("[data-ap-combine-result]");
    this.tools = box.querySelector("[data-ap-combine-tools]");
    this.files = [];
    this.view = null;
  }
  var C = Combiner.prototype;

  // ----- reading the files ----------------------------------------------------------------------
  /* One file's text: {name, date, rows} or {name, reason}. Never throws. */
  C.readOne = function (name, text) {
    var data;
    try { data = JSON.parse(String(text).replace(/^\ufeff/, "")); } catch (e) { return { name: name, reason: this.t("notJson") }; }
    var list = own(data, "rows"), other = own(data, "worksheet"), version = own(data, "version");
    if (data === null || typeof data !== "object" || Array.isArray(data) || !Array.isArray(list)) return { name: name, reason: this.t("notWorksheet") };
    if (other !== undefined && other !== this.ws.id) return { name: name, reason: this.t("otherWorksheet", { other: cut(String(other), MAX_NAME) }) };
    if (typeof version === "number" && version > WS.VERSION) return { name: name, reason: this.t("newer") };
    var got = this.ws.rowsOfFile(list);
    if (!got.rows.length) return { name: name, reason: this.t("nothingFits") };
    var first = got.rows[0], exported = own(data, "exported");
    var date = isDate(own(first, "date")) ? first.date : (typeof exported === "string" && isDate(exported.slice(0, 10)) ? exported.slice(0, 10) : "");
    return { name: name, date: date, rows: got.rows, extra: got.extra, skipped: got.skipped, cut: got.cut };
  };
  C.readFiles = function (fileList) {
    var self = this, files = toArray(fileList), results = [], left = files.length;
    if (!files.length) return;
    if (files.length > MAX_FILES) { this.say(this.t("none") + " " + this.t("tooMany", { max: count(MAX_FILES) })); return; }
    var names = Object.create(null);
    files.forEach(function (file, i) {
      // Two files of one name are told apart: "answers.json (2)".
      var base = shortName(file.name || "file"), name = base;
      names[base] = (names[base] || 0) + 1;
      if (names[base] > 1) name = base + " (" + names[base] + ")";
      var done = function (entry) {
        results[i] = entry;
        if (--left === 0) self.combine(results);
      };
      AP.readFile(file, WS.MAX_IMPORT_BYTES, function (text) {
        var entry;
        try { entry = self.readOne(name, text); } catch (e) { entry = { name: name, reason: self.t("notWorksheet") }; }
        done(entry);
      }, function (reason) { done({ name: name, reason: self.t(reason) }); });
    });
  };
  C.say = function (text) { if (this.status) this.status.textContent = text; };

  // ----- combining --------------------------------------------------------------------------------
  C.combine = function (results) {
    var t = this.t, read = results.filter(function (r) { return r.rows; }), left = results.filter(function (r) { return !r.rows; });
    var parts = [];
    if (read.length) parts.push(t(read.length === 1 ? "readOne" : "read", { n: count(read.length), list: read.map(function (r) { return r.name; }).join(", ") }));
    else parts.push(t("none"));
    if (left.length) parts.push(t("leftOut", { list: left.map(function (r) { return t("leftItem", { file: r.name, reason: r.reason }); }).join("; ") }));
    // What a file held that does not fit: said, as the worksheet's own import says it.
    var sum = function (k) { return read.reduce(function (n, r) { return n + (r[k] || 0); }, 0); };
    if (sum("extra")) parts.push(t("rowsCut", { max: count(this.ws.maxRows), n: count(sum("extra")) }));
    if (sum("skipped")) parts.push(t("skipped", { n: count(sum("skipped")) }));
    if (sum("cut")) parts.push(t("textCut", { n: count(sum("cut")) }));
    this.say(parts.join(" "));
    this.files = read;
    this.result.textContent = "";
    this.result.hidden = !read.length;
    this.tools.hidden = !read.length;
    if (!read.length) { this.view = null; return; }
    this.result.appendChild(el("p", { "class": "ap-combine-title ap-print-only" }, t("combined", { n: count(read.length) }) + ": " + read.map(function (r) { return r.name; }).join(", ")));
    this.view = this.ws.isTable ? this.combineTable(read) : this.combineForm(read);
  };

  /* Per rating question: the answers of every file, their spread and trend. */
  C.combineForm = function (files) {
    var self = this, ws = this.ws, t = this.t;
    var dates = files.map(function (f) { return f.date; }).filter(Boolean).filter(function (d, i, all) { return all.indexOf(d) === i; }).sort();
    var questions = ws.fields.filter(function (f) { return f.type === "scale" || f.type === "number"; }).map(function (f) {
      return { id: f.id, label: f.label, min: f.min, max: f.max, value: function (row) { return own(row, f.id); } };
    });
    if (ws.scoreFields.length && ws.def.score) {
      var scaled = ws.fields.filter(function (f) { return ws.scoreFields.indexOf(f.id) >= 0 && f.type === "scale"; });
      questions.push({ id: "score", label: ws.def.score.label, min: Math.min.apply(null, scaled.map(function (f) { return f.min; })),
                       max: Math.max.apply(null, scaled.map(function (f) { return f.max; })), value: function (row) { return ws.scoreOf(row); } });
    }
    var out = questions.map(function (q) {
      var answers = files.map(function (f) { return { file: f.name, date: f.date, value: q.value(f.rows[0]) }; })
        .filter(function (a) { return typeof a.value === "number" && isFinite(a.value); });
      var values = answers.map(function (a) { return a.value; });
      var stats = { id: q.id, label: q.label, n: values.length, answers: answers };
      if (values.length) {
        stats.lowest = Math.min.apply(null, values);
        stats.median = median(values);
        stats.highest = Math.max.apply(null, values);
        var range = (typeof q.min === "number" && typeof q.max === "number") ? q.max - q.min : null;
        stats.disagree = range !== null && values.length > 1 && stats.highest - stats.lowest >= range / 2;
        stats.trend = dates.length > 1 ? dates.map(function (d) {
          var on = numbers(answers.filter(function (a) { return a.date === d; }).map(function (a) { return a.value; }));
          return { date: d, mean: on.length ? round2(mean(on)) : null };
        }) : [];
      }
      stats.min = q.min;
      stats.max = q.max;
      return stats;
    });
    var table = el("table", { "class": "ap-combine-table" });
    var head = el("tr");
    ["question", "answers", "lowest", "median", "highest", "spread"].concat(dates.length > 1 ? ["trend"] : []).forEach(function (k) {
      head.appendChild(el("th", { scope: "col" }, t(k)));
    });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    out.forEach(function (q) {
      var tr = body.appendChild(el("tr", { "data-question": q.id }));
      var label = tr.appendChild(el("th", { scope: "row" }, q.label));
      tr.appendChild(el("td", { "class": "ap-num", "data-stat": "n" }, count(q.n)));
      ["lowest", "median", "highest"].forEach(function (k) {
        tr.appendChild(el("td", { "class": "ap-num", "data-stat": k }, q.n ? fmt(q[k]) : ""));
      });
      var spread = tr.appendChild(el("td", { "data-stat": "spread" }));
      if (q.n && typeof q.min === "number" && typeof q.max === "number") spread.appendChild(self.spreadBar(q));
      if (dates.length > 1) {
        var trend = tr.appendChild(el("td", { "data-stat": "trend" }));
        if (q.n) trend.appendChild(self.trendChart(q));
      }
      // The flag sits under the question it is about (a column of its own would make the table too wide for a phone).
      if (q.disagree) { label.appendChild(el("strong", { "class": "ap-flag", "data-stat": "flag" }, t("flagged"))); tr.classList.add("ap-disagree-row"); }
    });
    this.result.appendChild(el("div", { "class": "ap-combine-scroll", role: "region", tabindex: "0", "aria-label": t("combined", { n: count(files.length) }) })).appendChild(table);
    // Everything else partners wrote or chose, question by question.
    // (The alliance and the date are the files' own, shown where they are read.)
    var others = ws.fields.filter(function (f) { return f.type !== "scale" && f.type !== "number" && f.id !== "date" && f.id !== "alliance"; });
    var texts = [];
    others.forEach(function (f) {
      var said = files.map(function (file) { return { file: file.name, value: own(file.rows[0], f.id) }; })
        .filter(function (a) { return a.value !== null && a.value !== undefined && a.value !== "" && !(Array.isArray(a.value) && !a.value.length); });
      if (said.length) texts.push({ id: f.id, label: f.label, answers: said.map(function (a) { return { file: a.file, value: ws.displayValue(f, a.value) }; }) });
    });
    if (texts.length) {
      this.result.appendChild(el("h3", {}, t("texts")));
      var dl = this.result.appendChild(el("dl", { "class": "ap-combine-texts" }));
      texts.forEach(function (q) {
        dl.appendChild(el("dt", {}, q.label));
        q.answers.forEach(function (a) {
          var dd = dl.appendChild(el("dd"));
          dd.appendChild(el("span", { "class": "ap-combine-from" }, a.file + ": "));
          dd.appendChild(document.createTextNode(a.value));
        });
      });
    }
    return { kind: "form", dates: dates, questions: out, texts: texts };
  };

  /* A bar over the whole scale: the band from lowest to highest, a mark at the median. */
  C.spreadBar = function (q) {
    var width = 96, pad = 6, inner = width - 2 * pad, span = (q.max - q.min) || 1;
    var x = function (v) { return (pad + ((v - q.min) / span) * inner).toFixed(1); };
    var label = this.t("spreadDesc", { lo: fmt(q.lowest), hi: fmt(q.highest), median: fmt(q.median) });
    var s = svg("svg", { viewBox: "0 0 " + width + " 18", width: String(width), height: "18", role: "img", "aria-label": label, "class": "ap-spread" });
    s.appendChild(svg("title", {}, label));
    s.appendChild(svg("line", { x1: String(pad), x2: String(width - pad), y1: "9", y2: "9", stroke: "#8a9695", "stroke-width": "2" }));
    s.appendChild(svg("rect", { x: x(q.lowest), y: "3", width: Math.max(3, x(q.highest) - x(q.lowest)).toFixed(1), height: "12", rx: "2",
                                fill: q.disagree ? "#b3261e" : "#00796b", "fill-opacity": "0.85" }));
    s.appendChild(svg("rect", { x: (x(q.median) - 1.5).toFixed(1), y: "0", width: "3", height: "18", fill: "currentColor" }));  // the text colour: dark mode too
    return s;
  };
  /* The question's average on each date of the files, oldest first. */
  C.trendChart = function (q) {
    var t = this.t, width = 96, height = 32, pad = 5, points = q.trend.filter(function (p) { return p.mean !== null; });
    var lo = typeof q.min === "number" ? q.min : Math.min.apply(null, points.map(function (p) { return p.mean; }));
    var hi = typeof q.max === "number" ? q.max : Math.max.apply(null, points.map(function (p) { return p.mean; }));
    var label = points.map(function (p) { return t("trendDesc", { date: p.date, value: fmt(p.mean) }); }).join("; ");
    var s = svg("svg", { viewBox: "0 0 " + width + " " + height, width: String(width), height: String(height), role: "img", "aria-label": label, "class": "ap-trend" });
    s.appendChild(svg("title", {}, label));
    var at = function (p, i) {
      var x = points.length > 1 ? pad + (i / (points.length - 1)) * (width - 2 * pad) : width / 2;
      var y = height - pad - ((p.mean - lo) / ((hi - lo) || 1)) * (height - 2 * pad);
      return [x.toFixed(1), y.toFixed(1)];
    };
    s.appendChild(svg("polyline", { points: points.map(function (p, i) { return at(p, i).join(","); }).join(" "), fill: "none", stroke: "#00796b", "stroke-width": "2" }));
    points.forEach(function (p, i) { var xy = at(p, i); s.appendChild(svg("circle", { cx: xy[0], cy: xy[1], r: "3", fill: "#00796b" })); });
    return s;
  };

  /* Every row with its file, then the rows naming the same organization merged. */
  C.combineTable = function (files) {
    var self = this, ws = this.ws, t = this.t, key = ws.labelField;
    var all = [];
    files.forEach(function (f) { f.rows.forEach(function (row) { if (!ws.rowIsEmpty(row)) all.push({ file: f.name, row: row }); }); });
    var groups = [], byKey = Object.create(null);
    all.forEach(function (entry) {
      var k = key ? fold(own(entry.row, key.id)) : "";
      if (k && byKey[k]) byKey[k].push(entry);
      else { var g = [entry]; groups.push(g); if (k) byKey[k] = g; }
    });
    var merged = groups.map(function (group) {
      var out = { values: {}, from: [], disagree: {} };
      group.forEach(function (e) { if (out.from.indexOf(e.file) < 0) out.from.push(e.file); });
      ws.fields.forEach(function (f) {
        var vals = group.map(function (e) { return own(e.row, f.id); }).filter(function (v) { return v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length); });
        if (f.type === "scale" || f.type === "number") {
          var ns = numbers(vals);
          out.values[f.id] = ns.length ? round2(mean(ns)) : null;
          if (ns.length > 1 && Math.max.apply(null, ns) !== Math.min.apply(null, ns)) out.disagree[f.id] = ns.map(fmt);
        } else if (f === key) {
          out.values[f.id] = vals.length ? vals[0] : "";
        } else {
          var shown = vals.map(function (v) { return ws.displayValue(f, v); });
          var distinct = shown.filter(function (v, i) { return shown.indexOf(v) === i; });
          out.values[f.id] = f.type === "text" || f.type === "longtext" ? distinct.join("\n") : distinct.join("; ");
          if (distinct.length > 1 && f.type !== "text" && f.type !== "longtext") out.disagree[f.id] = distinct;
        }
      });
      out.score = ws.scoreOf(out.values);
      return out;
    });
    this.result.appendChild(el("h3", {}, t("merged", { label: key ? key.label : "" })));
    this.result.appendChild(el("p", { "class": "ap-help" }, t("mergedNote")));
    this.result.appendChild(this.rowTable(merged.map(function (m) { return { from: m.from.join(", "), values: m.values, disagree: m.disagree, score: m.score }; }), "merged"));
    this.result.appendChild(el("h3", {}, t("allRows")));
    this.result.appendChild(this.rowTable(all.map(function (e) { return { from: e.file, values: e.row, disagree: {}, score: ws.scoreOf(e.row) }; }), "all"));
    var chart = ws.svg && ws.chart.type === "quadrant" ? this.mergedChart(merged.map(function (m) { return m.values; })) : null;
    if (chart) {
      var figure = this.result.appendChild(el("figure", { "class": "ap-figure ap-combine-chart" }));
      figure.appendChild(chart);
      figure.appendChild(el("figcaption", {}, t("chart")));
    }
    return { kind: "table", all: all, merged: merged };
  };
  C.rowTable = function (rows, name) {
    var ws = this.ws, t = this.t, table = el("table", { "class": "ap-combine-table", "data-ap-combined": name });
    var head = el("tr");
    head.appendChild(el("th", { scope: "col" }, t("from")));
    ws.fields.forEach(function (f) { head.appendChild(el("th", { scope: "col" }, f.label)); });
    if (ws.def.score) head.appendChild(el("th", { scope: "col", "class": "ap-num" }, ws.def.score.label));
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    rows.forEach(function (r) {
      var tr = body.appendChild(el("tr"));
      tr.appendChild(el("td", { "class": "ap-combine-from" }, r.from));
      ws.fields.forEach(function (f) {
        var v = own(r.values, f.id);
        var td = tr.appendChild(el("td", { "data-field": f.id, "class": f.type === "scale" || f.type === "number" ? "ap-num" : "" },
                                      typeof v === "number" ? fmt(v) : ws.displayValue(f, v)));
        var differ = own(r.disagree, f.id);
        if (differ) {
          td.classList.add("ap-disagree");
          td.appendChild(el("span", { "class": "ap-disagree-mark", title: t("disagree", { values: differ.join(", ") }), "aria-hidden": "true" }, " ≠"));
          td.appendChild(el("span", { "class": "ap-sr" }, " (" + t("disagree", { values: differ.join(", ") }) + ")"));
        }
      });
      if (ws.def.score) tr.appendChild(el("td", { "class": "ap-num" }, r.score === null ? "" : r.score.toFixed(1)));
    });
    var scroll = el("div", { "class": "ap-combine-scroll", role: "region", tabindex: "0", "aria-label": name === "merged" ? t("merged", { label: ws.labelField ? ws.labelField.label : "" }) : t("allRows") });
    scroll.appendChild(table);
    return scroll;
  };
  /* The worksheet's own chart, copied (ids dropped: they are the page's), with the merged rows. */
  C.mergedChart = function (rows) {
    var copy = this.ws.svg.cloneNode(true);
    toArray(copy.querySelectorAll("[id]")).concat([copy]).forEach(function (n) { n.removeAttribute("id"); });
    copy.removeAttribute("aria-labelledby");
    copy.removeAttribute("aria-describedby");
    copy.setAttribute("aria-label", this.t("chart"));
    var painter = Object.create(WS.Worksheet.prototype);
    painter.svg = copy;
    painter.chart = this.ws.chart;
    painter.t = this.ws.t;
    painter.labelField = this.ws.labelField;
    painter.desc = copy.querySelector("desc");
    painter.descPrefix = this.ws.descPrefix;
    painter.drawQuadrant(rows);
    return copy;
  };

  // ----- export and print ----------------------------------------------------------------------------
  C.exportAs = function (kind) {
    var view = this.view, ws = this.ws, t = this.t;
    if (!view) return;
    var name = AP.fileSlug(ws.id, 60) + "-combined-" + AP.today() + "." + kind;
    var files = this.files.map(function (f) { return { file: f.name, date: f.date || null, rows: f.rows }; });
    if (kind === "json") {
      var body = { worksheet: ws.id, version: WS.VERSION, combined: true, exported: new Date().toISOString(), files: files };
      if (view.kind === "form") { body.questions = view.questions.map(strip); body.texts = view.texts; }
      else body.merged = view.merged.map(function (m) { return { from: m.from, values: m.values, disagree: m.disagree, score: m.score }; });
      AP.download(name, "application/json", JSON.stringify(body, null, 2) + "\n");
    } else {
      var lines;
      if (view.kind === "form") {
        lines = [[t("question"), t("answers"), t("lowest"), t("median"), t("highest"), t("flag")].concat(view.dates.length > 1 ? view.dates : [])];
        view.questions.forEach(function (q) {
          lines.push([q.label, q.n, q.n ? q.lowest : "", q.n ? q.median : "", q.n ? q.highest : "", q.disagree ? t("yes") : ""]
            .concat(view.dates.length > 1 ? (q.trend || []).map(function (p) { return p.mean === null ? "" : p.mean; }) : []));
        });
      } else {
        lines = [[t("from")].concat(ws.fields.map(function (f) { return f.label; })).concat(ws.def.score ? [ws.def.score.label] : [])];
        view.merged.forEach(function (m) {
          lines.push([m.from.join(", ")].concat(ws.fields.map(function (f) {
            var v = own(m.values, f.id);
            return typeof v === "number" ? v : ws.displayValue(f, v);
          })).concat(ws.def.score ? [m.score === null ? "" : Number(m.score.toFixed(2))] : []));
        });
      }
      AP.download(name, "text/csv", AP.csv(lines));
    }
    this.say(t("downloaded", { file: name }));
  };
  function strip(q) {
    return { id: q.id, label: q.label, answers: q.n, lowest: q.n ? q.lowest : null, median: q.n ? q.median : null, highest: q.n ? q.highest : null,
             disagree: !!q.disagree, trend: q.trend || [], values: q.answers };
  }
  C.print = function () {
    // alliance.css prints only the combined view while this class is on.
    document.body.classList.add("ap-print-combined");
    try { window.print(); } finally { document.body.classList.remove("ap-print-combined"); }
  };
  C.clear = function () {
    this.files = [];
    this.view = null;
    this.result.textContent = "";
    this.result.hidden = true;
    this.tools.hidden = true;
    this.say("");
  };

  C.start = function () {
    var self = this, input = this.box.querySelector("[data-ap-combine-files]"), drop = this.box.querySelector("[data-ap-combine-drop]");
    if (input) input.addEventListener("change", function () { self.readFiles(input.files); input.value = ""; });
    if (drop) {
      ["dragenter", "dragover"].forEach(function (type) {
        drop.addEventListener(type, function (ev) { ev.preventDefault(); drop.classList.add("ap-dragging"); });
      });
      drop.addEventListener("dragleave", function () { drop.classList.remove("ap-dragging"); });
      drop.addEventListener("drop", function (ev) {
        ev.preventDefault();
        drop.classList.remove("ap-dragging");
        if (ev.dataTransfer && ev.dataTransfer.files) self.readFiles(ev.dataTransfer.files);
      });
    }
    this.box.addEventListener("click", function (ev) {
      var btn = ev.target.closest ? ev.target.closest("button") : null;
      if (!btn) return;
      if (btn.hasAttribute("data-ap-combine-export")) self.exportAs(btn.getAttribute("data-ap-combine-export") === "json" ? "json" : "csv");
      else if (btn.hasAttribute("data-ap-combine-print")) self.print();
      else if (btn.hasAttribute("data-ap-combine-clear")) self.clear();
    });
    this.box.classList.add("ap-combine-ready");
  };

  toArray(document.querySelectorAll("[data-ap-combine]")).forEach(function (box) {
    var root = toArray(document.querySelectorAll("[data-ap-worksheet]")).filter(function (r) { return r.getAttribute("data-id") === box.getAttribute("data-for"); })[0];
    var def = root && AP.readJSON(root.querySelector(".ap-ws-def"));
    if (!def || !Array.isArray(def.fields)) return;
    new Combiner(box, new WS.Worksheet(root, def)).start();
  });
})();
