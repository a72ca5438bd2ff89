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
 *   [data-ap-site]                 page root: the site key; its texts in script[data-ap-texts]
 *   [data-ap-checklist][data-step] one step's checklist; boxes carry data-item
 *   [data-ap-progress]             progress text of the enclosing checklist
 *   [data-ap-step-progress=<step>] badge of a step card (data-items, data-phase)
 *   [data-ap-phase-progress=<phase>], [data-ap-overall-progress]
 *   [data-ap-steps-done]           how many steps are done (all items ticked)
 *   [data-ap-reset=<step>|all], [data-ap-export=md|csv], [data-ap-import]
 *   .ap-js-only[hidden]            controls shown only when this script runs
 *
 * Needs common.js (window.AlliancePlaybook): storage, texts, files. Step and
 * item ids index maps without a prototype (an id may be "constructor").
 */
(function () {
  "use strict";
  var AP = window.AlliancePlaybook;
  var root = document.querySelector("[data-ap-site]");
  if (!root || !AP) return;
  var prefix = "alliance:" + root.getAttribute("data-ap-site") + ":checklist:";
  var t = AP.texts(root);
  // An export of every item of a large guide is well under this; a bigger file
  // is not one, and reading it would only hold up the page.
  var MAX_IMPORT_BYTES = 5 * 1024 * 1024;

  // ----- saved ticks -------------------------------------------------------------------
  function key(step, item) { return prefix + step + ":" + item; }
  function isDone(step, item) { return AP.storage.get(key(step, item)) === "1"; }
  function setDone(step, item, done) {
    if (done) AP.storage.set(key(step, item), "1"); else AP.storage.remove(key(step, item));
  }

  // ----- what the page shows ------------------------------------------------------------
  function all(selector) { return AP.toArray(document.querySelectorAll(selector)); }
  function boxes() { return all("[data-ap-checklist] input[type=checkbox][data-item]"); }
  function stepOf(box) { return box.closest("[data-ap-checklist]").getAttribute("data-step"); }

  /* Every step known to this page: its phase and item ids, from checklists and badges. */
  function stepsOnPage() {
    var steps = AP.record(), order = [];
    function add(step, phase, items) {
      if (!steps[step]) { steps[step] = { phase: phase || "", items: [] }; order.push(step); }
      items.forEach(function (i) { if (steps[step].items.indexOf(i) < 0) steps[step].items.push(i); });
    }
    all("[data-ap-checklist]").forEach(function (list) {
      add(list.getAttribute("data-step"), list.getAttribute("data-phase"),
        AP.toArray(list.querySelectorAll("input[data-item]")).map(function (b) { return b.getAttribute("data-item"); }));
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
  function showProgress(el, pair) {
    el.textContent = t("progress", pair);
    el.style.setProperty("--ap-pct", pair.percent + "%");
    el.classList.add("ap-progress-bar");
  }
  function showBadge(badge, pair) {
    badge.textContent = t("badge", pair);
    badge.setAttribute("title", t("badge-label", pair));
    badge.setAttribute("aria-label", t("badge-label", pair));
    badge.classList.toggle("ap-complete", pair.total > 0 && pair.done === pair.total);
  }

  function update() {
    var known = stepsOnPage(), steps = known.steps;
    all("[data-ap-checklist]").forEach(function (list) {
      var p = list.querySelector("[data-ap-progress]");
      if (p) showProgress(p, tally(steps, [list.getAttribute("data-step")]));
    });
    all("[data-ap-step-progress]").forEach(function (badge) {
      showBadge(badge, tally(steps, [badge.getAttribute("data-ap-step-progress")]));
    });
    all("[data-ap-phase-progress]").forEach(function (p) {
      var holder = p.closest("[data-ap-phase]");
      var phase = p.getAttribute("data-ap-phase-progress") || (holder ? holder.getAttribute("data-ap-phase") : "");
      showProgress(p, tally(steps, known.order.filter(function (id) { return steps[id].phase === phase; })));
    });
    all("[data-ap-overall-progress]").forEach(function (p) { showProgress(p, tally(steps, known.order)); });
    // "3 of 12 steps done, 2 started": a step is done when every item is ticked.
    var done = 0, started = 0;
    known.order.forEach(function (id) {
      var pair = tally(steps, [id]);
      if (pair.total && pair.done === pair.total) done++;
      else if (pair.done) started++;
    });
    all("[data-ap-steps-done]").forEach(function (p) {
      var summary = { done: done, total: known.order.length, started: started };
      p.textContent = t(started ? "steps-done-started" : "steps-done", summary);
    });
  }

  function load() {
    boxes().forEach(function (box) { box.checked = isDone(stepOf(box), box.getAttribute("data-item")); });
    update();
  }

  function tick(box) {
    var step = stepOf(box), item = box.getAttribute("data-item");
    setDone(step, item, box.checked);
    boxes().forEach(function (other) {
      if (stepOf(other) === step && other.getAttribute("data-item") === item) other.checked = box.checked;
    });
    update();
  }

  // ----- export and import ---------------------------------------------------------------
  /* Items in page order with the titles an export needs. */
  function itemsForExport() {
    var seen = AP.record(), out = [];
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
  function csvExport(items) {
    // Ids and yes/no are plain tokens: written bare, so an import reads either form.
    var lines = ["step,item,done,phase,step_title,text"];
    items.forEach(function (i) {
      lines.push([i.step, i.item, i.done ? "yes" : "no", AP.csvCell(i.phase), AP.csvCell(i.title), AP.csvCell(i.text)].join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }
  function markdownExport(items) {
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
  function exportAs(kind) {
    var items = itemsForExport(), name = root.getAttribute("data-ap-site") + "-checklist.";
    if (kind === "csv") AP.download(name + "csv", "text/csv", csvExport(items));
    else AP.download(name + "md", "text/markdown", markdownExport(items));
  }

  /* Reads a Markdown or CSV export; sets only items this page knows, each
   * once (the last line about an item wins), and returns how many. */
  function importText(text) {
    var known = AP.record(), changes = AP.record(), n = 0;
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
  function importFile(input) {
    var status = document.querySelector("[data-ap-import-status]");
    function say(text) { if (status) status.textContent = text; input.value = ""; }
    AP.readFile(input.files[0], MAX_IMPORT_BYTES, function (text) {
      var n = importText(text);
      say(n ? t("imported", { n: n }) : t("import-none"));
    }, function (reason) { say(t(reason === "tooBig" ? "import-too-big" : "import-none")); });
  }

  function reset(which) {
    if (!window.confirm(t(which === "all" ? "reset-all" : "reset-step"))) return;
    // Clearing by prefix also drops ticks of items that were reworded without an id.
    AP.storage.clear(which === "all" ? prefix : prefix + which + ":");
    load();
  }

  // ----- events ----------------------------------------------------------------------------
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (!el.matches) return;
    if (el.matches("[data-ap-checklist] input[type=checkbox][data-item]")) tick(el);
    else if (el.matches("input[type=file][data-ap-import]") && el.files && el.files[0]) importFile(el);
  });
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest("[data-ap-reset],[data-ap-export]") : null;
    if (!btn) return;
    if (btn.hasAttribute("data-ap-export")) exportAs(btn.getAttribute("data-ap-export"));
    else reset(btn.getAttribute("data-ap-reset"));
  });

  all(".ap-js-only[hidden]").forEach(function (el) { el.hidden = false; });
  window.addEventListener("storage", function (ev) { if (!ev.key || ev.key.indexOf(prefix) === 0) load(); });
  window.addEventListener("pageshow", load); // a page restored from the back/forward cache
  load();
})();
