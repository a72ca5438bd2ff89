/* Alliance Playbook checklists: progress saved in this browser only, never sent.
 *
 * Storage keys are "alliance:<site>:checklist:<step>:<item>" = "1". The site
 * key is in the key because Chromium gives every file:// page one shared
 * origin: two guides opened from disk would otherwise share ticks. The
 * "checklist" part keeps a reset away from worksheet data of the same site.
 * Items are keyed by id, so rewording an item that has an explicit id keeps
 * its tick.
 *
 * Markup contract (templates/_macros.md.j2 and the page templates):
 *   [data-ap-site]                 page root: site key and translated texts (data-ap-t-*)
 *   [data-ap-checklist][data-step] one step's checklist; boxes carry data-item
 *   [data-ap-progress]             progress text of the enclosing checklist
 *   [data-ap-step-progress=<step>] badge of a step card (data-items, data-phase)
 *   [data-ap-phase-progress=<phase>], [data-ap-overall-progress]
 *   [data-ap-reset=<step>|all], [data-ap-export=md|csv], [data-ap-import]
 *   .ap-js-only[hidden]            controls shown only when this script runs
 *
 * Step and item ids index objects without a prototype: a valid id such as
 * "constructor" is also a member of every plain object.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-ap-site]");
  if (!root) return;
  var prefix = "alliance:" + root.getAttribute("data-ap-site") + ":checklist:";
  var memory = Object.create(null); // used when localStorage is unavailable (privacy settings)
  // An export of every item of a large guide is well under this; a bigger file
  // is not one, and reading it would only hold up the page.
  var MAX_IMPORT_BYTES = 5 * 1024 * 1024;

  function store() {
    try { var s = window.localStorage; s.getItem("x"); return s; } catch (e) { return null; }
  }
  function key(step, item) { return prefix + step + ":" + item; }
  function isDone(step, item) {
    var s = store();
    return s ? s.getItem(key(step, item)) === "1" : memory[key(step, item)] === "1";
  }
  function setDone(step, item, done) {
    var s = store(), k = key(step, item);
    if (s) { try { if (done) s.setItem(k, "1"); else s.removeItem(k); return; } catch (e) { /* quota: keep in memory */ } }
    if (done) memory[k] = "1"; else delete memory[k];
  }
  function clearKeys(start) {
    var s = store();
    Object.keys(memory).forEach(function (k) { if (k.indexOf(start) === 0) delete memory[k]; });
    if (!s) return;
    for (var i = s.length - 1; i >= 0; i--) { var k = s.key(i); if (k && k.indexOf(start) === 0) s.removeItem(k); }
  }

  /* Translated texts come from the page (data-ap-t-<name>), English otherwise. */
  var EN = {
    progress: "{done} of {total} done ({percent}%)",
    badge: "{done}/{total}",
    "badge-label": "{done} of {total} checklist items done",
    "reset-step": "Clear the ticks of this checklist?",
    "reset-all": "Clear every tick of the whole playbook in this browser?",
    imported: "{n} items imported.",
    "import-none": "No checklist items of this site were found in that file.",
    "import-too-big": "That file is too large to be a checklist export."
  };
  function t(name, values) {
    var text = root.getAttribute("data-ap-t-" + name) || EN[name];
    return text.replace(/\{(\w+)\}/g, function (m, k) {
      return values && Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function boxes() { return all("[data-ap-checklist] input[type=checkbox][data-item]"); }
  function stepOf(box) { return box.closest("[data-ap-checklist]").getAttribute("data-step"); }

  /* Every step known to this page: its phase and item ids, from checklists and badges. */
  function stepsOnPage() {
    var steps = Object.create(null), order = [];
    function add(step, phase, items) {
      if (!steps[step]) { steps[step] = { phase: phase || "", items: [] }; order.push(step); }
      items.forEach(function (i) { if (steps[step].items.indexOf(i) < 0) steps[step].items.push(i); });
    }
    all("[data-ap-checklist]").forEach(function (list) {
      add(list.getAttribute("data-step"), list.getAttribute("data-phase"),
        Array.prototype.map.call(list.querySelectorAll("input[data-item]"), function (b) { return b.getAttribute("data-item"); }));
    });
    all("[data-ap-step-progress]").forEach(function (badge) {
      add(badge.getAttribute("data-ap-step-progress"), badge.getAttribute("data-phase"),
        (badge.getAttribute("data-items") || "").split(" ").filter(Boolean));
    });
    return { steps: steps, order: order };
  }

  function tally(steps, ids) {
    var done = 0, total = 0;
    ids.forEach(function (id) {
      steps[id].items.forEach(function (item) { total++; if (isDone(id, item)) done++; });
    });
    return { done: done, total: total, percent: total ? Math.round(100 * done / total) : 0 };
  }
  function show(el, pair) {
    el.textContent = t("progress", pair);
    el.style.setProperty("--ap-pct", pair.percent + "%");
    el.classList.add("ap-progress-bar");
  }

  function update() {
    var known = stepsOnPage(), steps = known.steps;
    all("[data-ap-checklist]").forEach(function (list) {
      var p = list.querySelector("[data-ap-progress]");
      if (p) show(p, tally(steps, [list.getAttribute("data-step")]));
    });
    all("[data-ap-step-progress]").forEach(function (badge) {
      var pair = tally(steps, [badge.getAttribute("data-ap-step-progress")]);
      badge.textContent = t("badge", pair);
      badge.setAttribute("title", t("badge-label", pair));
      badge.setAttribute("aria-label", t("badge-label", pair));
      badge.classList.toggle("ap-complete", pair.total > 0 && pair.done === pair.total);
    });
    all("[data-ap-phase-progress]").forEach(function (p) {
      var holder = p.closest("[data-ap-phase]");
      var phase = p.getAttribute("data-ap-phase-progress") || (holder ? holder.getAttribute("data-ap-phase") : "");
      show(p, tally(steps, known.order.filter(function (id) { return steps[id].phase === phase; })));
    });
    all("[data-ap-overall-progress]").forEach(function (p) { show(p, tally(steps, known.order)); });
  }

  function load() {
    boxes().forEach(function (box) { box.checked = isDone(stepOf(box), box.getAttribute("data-item")); });
    update();
  }

  document.addEventListener("change", function (ev) {
    var box = ev.target;
    if (box.matches && box.matches("[data-ap-checklist] input[type=checkbox][data-item]")) {
      var step = stepOf(box), item = box.getAttribute("data-item");
      setDone(step, item, box.checked);
      boxes().forEach(function (other) {
        if (stepOf(other) === step && other.getAttribute("data-item") === item) other.checked = box.checked;
      });
      update();
    } else if (box.matches && box.matches("input[type=file][data-ap-import]") && box.files && box.files[0]) {
      importFile(box);
    }
  });

  function importFile(input) {
    var file = input.files[0];
    var done = function (text) {
      var status = document.querySelector("[data-ap-import-status]");
      if (status) status.textContent = text;
      input.value = "";
    };
    if (file.size > MAX_IMPORT_BYTES) { done(t("import-too-big")); return; }
    var reader = new FileReader();
    reader.onload = function () {
      var n = importText(String(reader.result));
      done(n ? t("imported", { n: n }) : t("import-none"));
    };
    reader.readAsText(file);
  }

  /* Items in page order with the titles an export needs. */
  function itemsForExport() {
    var seen = Object.create(null), out = [];
    boxes().forEach(function (b) {
      var list = b.closest("[data-ap-checklist]"), step = stepOf(b), item = b.getAttribute("data-item");
      if (seen[step + ":" + item]) return;
      seen[step + ":" + item] = 1;
      var label = document.querySelector("label[for='" + b.id + "']");
      var phase = b.closest("[data-ap-phase-title]");
      out.push({
        step: step, item: item, done: b.checked,
        text: (label ? label.textContent : item).replace(/\s+/g, " ").trim(),
        title: list.getAttribute("data-step-title") || step,
        phase: phase ? phase.getAttribute("data-ap-phase-title") : ""
      });
    });
    return out;
  }

  function csvCell(v) {
    v = String(v);
    if (/^[=+\-@\t\r]/.test(v)) v = "'" + v; // a spreadsheet must not run a cell as a formula
    return '"' + v.replace(/"/g, '""') + '"';
  }
  function exportText(kind) {
    var items = itemsForExport();
    if (kind === "csv") {
      return "step,item,done,phase,step_title,text\r\n" + items.map(function (i) {
        return [i.step, i.item, i.done ? "yes" : "no", csvCell(i.phase), csvCell(i.title), csvCell(i.text)].join(",");
      }).join("\r\n") + "\r\n";
    }
    var lines = ["# " + document.title.replace(/\s+/g, " ").trim()], phase = null, step = null;
    items.forEach(function (i) {
      if (i.phase !== phase && i.phase) lines.push("", "## " + i.phase);
      if (i.step !== step) lines.push("", "### " + i.title, "");
      phase = i.phase; step = i.step;
      // The comment carries the ids, so an import survives reworded items.
      lines.push("- [" + (i.done ? "x" : " ") + "] " + i.text + " <!-- " + i.step + ":" + i.item + " -->");
    });
    return lines.join("\n") + "\n";
  }
  function download(kind) {
    var csv = kind === "csv", a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([exportText(kind)], { type: (csv ? "text/csv" : "text/markdown") + ";charset=utf-8" }));
    a.download = root.getAttribute("data-ap-site") + "-checklist." + (csv ? "csv" : "md");
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  /* Reads a Markdown or CSV export; sets only items this page knows, each
   * once (the last line about an item wins), and returns how many. */
  function importText(text) {
    var known = Object.create(null), changes = Object.create(null), n = 0;
    boxes().forEach(function (b) { known[stepOf(b) + ":" + b.getAttribute("data-item")] = 1; });
    text.split(/\r?\n/).forEach(function (line) {
      var m = line.match(/^\s*[-*] \[( |x|X)\] .*<!-- ([a-z0-9-]+):([a-z0-9-]+) -->\s*$/), change = null;
      if (m) change = [m[2], m[3], m[1] !== " "];
      m = m ? null : line.match(/^"?([a-z0-9-]+)"?,"?([a-z0-9-]+)"?,"?(yes|no)"?(,|$)/);
      if (m) change = [m[1], m[2], m[3] === "yes"];
      if (change && known[change[0] + ":" + change[1]]) changes[change[0] + ":" + change[1]] = change;
    });
    Object.keys(changes).forEach(function (k) { setDone(changes[k][0], changes[k][1], changes[k][2]); n++; });
    load();
    return n;
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest("[data-ap-reset],[data-ap-export]") : null;
    if (!btn) return;
    if (btn.hasAttribute("data-ap-export")) { download(btn.getAttribute("data-ap-export")); return; }
    var which = btn.getAttribute("data-ap-reset");
    if (!window.confirm(t(which === "all" ? "reset-all" : "reset-step"))) return;
    // Clearing by prefix also drops ticks of items that were reworded without an id.
    clearKeys(which === "all" ? prefix : prefix + which + ":");
    load();
  });

  all(".ap-js-only[hidden]").forEach(function (el) { el.hidden = false; });
  window.addEventListener("storage", function (ev) { if (!ev.key || ev.key.indexOf(prefix) === 0) load(); });
  window.addEventListener("pageshow", load); // a page restored from the back/forward cache
  load();
})();
