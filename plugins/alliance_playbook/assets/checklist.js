/* Alliance Playbook checklists: progress saved in this browser only.
 * Keys: "alliance:<site>:<step>:<item>" so two sites opened from file://
 * (one shared origin in Chromium) never share ticks. No dependencies. */
(function () {
  "use strict";
  var PREFIX = "alliance:";
  var site = (document.querySelector("[data-ap-site]") || {}).getAttribute ? document.querySelector("[data-ap-site]").getAttribute("data-ap-site") : "";
  if (!site) {
    var el = document.querySelector("[data-ap-checklist],[data-ap-master],[data-ap-site]");
    site = el ? el.getAttribute("data-ap-site") : "default";
  }
  function key(step, item) { return PREFIX + site + ":" + step + ":" + item; }
  function store() { try { return window.localStorage; } catch (e) { return null; } }
  function isDone(step, item) { var s = store(); return !!(s && s.getItem(key(step, item)) === "1"); }
  function setDone(step, item, done) {
    var s = store(); if (!s) return;
    if (done) s.setItem(key(step, item), "1"); else s.removeItem(key(step, item));
  }
  function t(text) { return text; }

  function boxes(root) { return Array.prototype.slice.call((root || document).querySelectorAll("[data-ap-checklist] input[type=checkbox][data-item]")); }
  function stepOf(box) { return box.closest("[data-ap-checklist]").getAttribute("data-step"); }

  function load() {
    boxes().forEach(function (box) { box.checked = isDone(stepOf(box), box.getAttribute("data-item")); });
  }
  function count(list) {
    var done = 0; list.forEach(function (b) { if (b.checked) done++; }); return [done, list.length];
  }
  function countItems(step, items) {
    var done = 0; items.forEach(function (i) { if (isDone(step, i)) done++; }); return [done, items.length];
  }
  function text(pair) { return pair[0] + " / " + pair[1] + " done (" + (pair[1] ? Math.round(100 * pair[0] / pair[1]) : 0) + "%)"; }

  function update() {
    document.querySelectorAll("[data-ap-checklist]").forEach(function (list) {
      var p = list.querySelector("[data-ap-progress]");
      if (p) p.textContent = text(count(boxes(list)));
    });
    var totals = {};
    document.querySelectorAll("[data-ap-step-progress]").forEach(function (badge) {
      var step = badge.getAttribute("data-ap-step-progress");
      var items = (badge.getAttribute("data-items") || "").split(" ").filter(Boolean);
      var pair = countItems(step, items);
      badge.textContent = pair[0] + "/" + pair[1];
      var phase = badge.closest("[data-ap-phase]");
      var k = phase ? phase.getAttribute("data-ap-phase") : "";
      totals[k] = totals[k] || [0, 0]; totals[k][0] += pair[0]; totals[k][1] += pair[1];
    });
    document.querySelectorAll("[data-ap-phase]").forEach(function (phase) {
      var p = phase.querySelector("[data-ap-phase-progress]");
      if (!p) return;
      var pair = totals[phase.getAttribute("data-ap-phase")] || count(boxes(phase));
      p.textContent = text(pair);
    });
    var all = [0, 0];
    Object.keys(totals).forEach(function (k) { all[0] += totals[k][0]; all[1] += totals[k][1]; });
    if (!all[1]) all = count(boxes());
    document.querySelectorAll("[data-ap-overall-progress]").forEach(function (p) { p.textContent = text(all); });
  }

  document.addEventListener("change", function (ev) {
    var box = ev.target;
    if (!box.matches || !box.matches("[data-ap-checklist] input[type=checkbox][data-item]")) return;
    var step = stepOf(box), item = box.getAttribute("data-item");
    setDone(step, item, box.checked);
    boxes().forEach(function (other) {
      if (other !== box && stepOf(other) === step && other.getAttribute("data-item") === item) other.checked = box.checked;
    });
    update();
  });

  function allItems() {
    var seen = {}, out = [];
    boxes().forEach(function (b) {
      var step = stepOf(b), item = b.getAttribute("data-item"), id = step + ":" + item;
      if (seen[id]) return; seen[id] = 1;
      var label = b.parentNode.querySelector("label");
      var section = b.closest("section");
      var title = section && section.querySelector("h3") ? section.querySelector("h3").textContent.trim() : step;
      out.push({ step: step, item: item, text: label ? label.textContent.trim() : item, title: title, done: b.checked });
    });
    return out;
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest("[data-ap-reset],[data-ap-export]") : null;
    if (!btn) return;
    if (btn.hasAttribute("data-ap-reset")) {
      var which = btn.getAttribute("data-ap-reset");
      if (!window.confirm(which === "all" ? "Clear every tick of the whole playbook in this browser?" : "Clear the ticks of this checklist?")) return;
      boxes().forEach(function (b) {
        if (which === "all" || stepOf(b) === which) { b.checked = false; setDone(stepOf(b), b.getAttribute("data-item"), false); }
      });
      if (which === "all") {
        var s = store();
        if (s) for (var i = s.length - 1; i >= 0; i--) { var k = s.key(i); if (k && k.indexOf(PREFIX + site + ":") === 0) s.removeItem(k); }
      }
      update();
      return;
    }
    var kind = btn.getAttribute("data-ap-export"), items = allItems(), body, type, name;
    if (kind === "csv") {
      var q = function (v) { v = String(v); if (/^[=+\-@\t\r]/.test(v)) v = "'" + v; return '"' + v.replace(/"/g, '""') + '"'; };
      body = "step,item,done,text\r\n" + items.map(function (i) { return [q(i.step), q(i.item), i.done ? "yes" : "no", q(i.text)].join(","); }).join("\r\n") + "\r\n";
      type = "text/csv"; name = "checklist-progress.csv";
    } else {
      var lines = ["# " + document.title, ""], last = "";
      items.forEach(function (i) {
        if (i.step !== last) { lines.push("", "## " + i.title, ""); last = i.step; }
        lines.push("- [" + (i.done ? "x" : " ") + "] " + i.text + " <!-- " + i.step + ":" + i.item + " -->");
      });
      body = lines.join("\n") + "\n"; type = "text/markdown"; name = "checklist-progress.md";
    }
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([body], { type: type + ";charset=utf-8" }));
    a.download = name; document.body.appendChild(a); a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  });

  function importText(text) {
    var changes = [];
    text.split(/\r?\n/).forEach(function (line) {
      var md = line.match(/^\s*- \[( |x|X)\] .*<!-- ([a-z0-9-]+):([a-z0-9-]+) -->\s*$/);
      if (md) { changes.push([md[2], md[3], md[1] !== " "]); return; }
      var csv = line.match(/^"([a-z0-9-]+)","([a-z0-9-]+)",(yes|no),/);
      if (csv) changes.push([csv[1], csv[2], csv[3] === "yes"]);
    });
    changes.forEach(function (c) { setDone(c[0], c[1], c[2]); });
    load(); update();
    return changes.length;
  }
  document.addEventListener("change", function (ev) {
    var input = ev.target;
    if (!input.matches || !input.matches("[data-ap-import]") || !input.files || !input.files[0]) return;
    var reader = new FileReader();
    reader.onload = function () {
      var n = importText(String(reader.result));
      var p = document.querySelector("[data-ap-master] [data-ap-overall-progress]");
      if (p) p.textContent += " — " + n + " items imported";
      input.value = "";
    };
    reader.readAsText(input.files[0]);
  });
  window.addEventListener("storage", function () { load(); update(); });
  load(); update();
})();
