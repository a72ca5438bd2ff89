/* Alliance Playbook case index: instant filters, no dependencies.
 * Within one facet the ticked values are OR-ed, across facets AND-ed; the
 * search box must find every word in a card's text. The state lives in the
 * query string (?area=environment,health&ptype=business&text=water) so a
 * filtered view can be shared. Nothing is stored or sent anywhere.
 *
 * The text is searched in each card and in the rest of its case (partner
 * names, tags, place, lessons, steps, challenge, approach, outcomes, quotes:
 * casestudies-search.js); matched words are marked, and a line under the
 * card shows where a word the card does not show was found.
 *
 * The text parameter is "text", not "q": Material's search reads "?q=" on
 * every page and would open its search overlay over the filtered list.
 *
 * A shared link is someone else's input: its search text is cut to
 * MAX_QUERY characters and its repeated words count once, since every word is
 * looked up in every card on every change. */
(function () {
  "use strict";
  var root = document.querySelector("[data-ap-casefilter]");
  if (!root || !window.AlliancePlaybook) return;
  var form = root.querySelector("form.ap-filters");
  if (!form) return;
  var TEXT_PARAM = "text";
  var MAX_QUERY = 200;  // characters of the search text: a long sentence, not a file
  var box = form.querySelector("[data-ap-q]");
  var status = form.querySelector(".ap-result-count");
  var empty = root.querySelector(".ap-empty");
  // Interface texts come from the page (common.js), so they follow the site's language.
  var t = window.AlliancePlaybook.texts(root);
  var slice = Array.prototype.slice;

  var fold = window.AlliancePlaybook.fold;  // case and accents aside (common.js)
  function words(text) {
    return fold(text).split(/\s+/).filter(function (w, i, all) { return w && all.indexOf(w) === i; });
  }

  var facets = slice.call(form.querySelectorAll("details.ap-facet[data-facet]")).map(function (group) {
    var name = group.getAttribute("data-facet");
    return {
      name: name,
      group: group,
      selected: group.querySelector("[data-ap-selected]"),
      options: slice.call(group.querySelectorAll("input[type=checkbox]")).map(function (input) {
        return { input: input, value: input.value, label: input.closest("label"),
                 count: input.closest("label") && input.closest("label").querySelector("[data-count]") };
      })
    };
  });
  var AP = window.AlliancePlaybook;
  // A large index lists each case as a link; its card is drawn here from
  // casestudies-cards.js (summary, the line under it, the filter values),
  // as the page would have drawn it, so the page itself stays small.
  var cardData = window.AlliancePlaybookCards;
  if (cardData) {
    slice.call(root.querySelectorAll("ul.ap-case-list > li")).forEach(function (li) {
      // The case's id is the last part of its address: "id/" or "id.html" (offline copy).
      var link = li.querySelector("a"), parts = link ? (link.getAttribute("href") || "").split(/[?#]/)[0].split("/").filter(Boolean) : [];
      var id = (parts[parts.length - 1] || "").replace(/\.html$/, "");
      if (id === "index" && parts.length > 1) id = parts[parts.length - 2];
      var d = AP.own(cardData, id);
      if (!d || typeof d !== "object") return;
      li.setAttribute("data-id", id);
      var title = AP.element("h2", { "class": "ap-card-title" });
      if (link) title.appendChild(link);
      if (d.draft === true) {
        title.appendChild(document.createTextNode(" "));
        title.appendChild(AP.element("span", { "class": "ap-badge" }, t("draft")));
      }
      li.textContent = "";
      li.appendChild(title);
      li.appendChild(AP.element("p", { "class": "ap-summary" }, String(d.summary || "")));
      li.appendChild(AP.element("p", { "class": "ap-snippet", hidden: "" }));
      li.appendChild(AP.element("p", { "class": "ap-meta" }, String(d.meta || "")));
      var facetsOf = d.facets && typeof d.facets === "object" ? d.facets : {};
      facets.forEach(function (f) {
        var values = AP.own(facetsOf, f.name);
        if (Array.isArray(values)) li.setAttribute("data-" + f.name, values.map(String).join(" "));
      });
      if (typeof d.lang === "string" && d.lang) li.setAttribute("lang", d.lang);
      li.className = "ap-card ap-case-card";
    });
    root.querySelector(".ap-case-cards").classList.remove("ap-case-list");
  }
  // The rest of each case's text (partners, tags, place, lessons, steps,
  // challenge, approach...), from casestudies-search.js: [[what, text], ...].
  var extra = window.AlliancePlaybookCaseText;
  var cards = slice.call(root.querySelectorAll("li.ap-case-card")).map(function (el) {
    var values = {};
    facets.forEach(function (f) {
      values[f.name] = (el.getAttribute("data-" + f.name) || "").split(/\s+/).filter(Boolean);
    });
    var fields = AP.own(extra, el.getAttribute("data-id") || "");
    fields = Array.isArray(fields) ? fields.filter(function (p) { return Array.isArray(p) && typeof p[0] === "string" && typeof p[1] === "string"; }) : [];
    var shown = slice.call(el.querySelectorAll(".ap-card-title, .ap-summary, .ap-meta"));
    var text = fold(el.textContent);
    return {
      el: el, values: values, text: text,
      fields: fields.map(function (p) { return { what: p[0], text: p[1], folded: fold(p[1]) }; }),
      all: text + "\n" + fields.map(function (p) { return fold(p[1]); }).join("\n"),
      shown: shown, originals: shown.map(function (n) { return n.cloneNode(true); }),
      snippet: el.querySelector(".ap-snippet"), key: ""
    };
  });

  function state() {
    var chosen = {};
    facets.forEach(function (f) {
      chosen[f.name] = f.options.filter(function (o) { return o.input.checked; }).map(function (o) { return o.value; });
    });
    return { chosen: chosen, words: words(box ? box.value : "") };
  }

  // Does the card pass every active filter, leaving out facet `skip`?
  function passes(card, st, skip) {
    for (var i = 0; i < st.words.length; i++) {
      if (card.all.indexOf(st.words[i]) < 0) return false;
    }
    return facets.every(function (f) {
      var want = st.chosen[f.name];
      if (f.name === skip || !want.length) return true;
      return want.some(function (v) { return card.values[f.name].indexOf(v) >= 0; });
    });
  }

  // ----- showing the matched words ---------------------------------------------------------
  // Where the folded words occur in text, as [start, end) of the original
  // text (folding may change lengths), overlaps merged.
  function ranges(text, found) {
    var folded = "", start = [], end = [];
    for (var i = 0; i < text.length;) {
      var ch = String.fromCodePoint(text.codePointAt(i)), f = fold(ch);
      for (var k = 0; k < f.length; k++) { start.push(i); end.push(i + ch.length); }
      folded += f;
      i += ch.length;
    }
    var out = [];
    found.forEach(function (w) {
      for (var at = folded.indexOf(w); at >= 0; at = folded.indexOf(w, at + w.length)) out.push([start[at], end[at + w.length - 1]]);
    });
    out.sort(function (a, b) { return a[0] - b[0]; });
    return out.reduce(function (acc, r) {
      var last = acc[acc.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else acc.push(r.slice());
      return acc;
    }, []);
  }
  // Text with its matches in <mark>, built as nodes: the text is never parsed.
  function marked(text, found) {
    var frag = document.createDocumentFragment(), at = 0;
    ranges(text, found).forEach(function (r) {
      if (r[0] > at) frag.appendChild(document.createTextNode(text.slice(at, r[0])));
      var m = document.createElement("mark");
      m.textContent = text.slice(r[0], r[1]);
      frag.appendChild(m);
      at = r[1];
    });
    if (at < text.length) frag.appendChild(document.createTextNode(text.slice(at)));
    return frag;
  }
  function markIn(el, found) {
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (n) { if (ranges(n.data, found).length) n.parentNode.replaceChild(marked(n.data, found), n); });
  }
  // A few words around the first match, for words the card itself does not show.
  function excerpt(text, found) {
    var r = ranges(text, found)[0];
    if (!r) return null;
    var from = Math.max(0, r[0] - 50), to = Math.min(text.length, r[1] + 90);
    while (from > 0 && from > r[0] - 70 && !/\s/.test(text[from - 1])) from--;
    while (to < text.length && to < r[1] + 110 && !/\s/.test(text[to])) to++;
    return (from > 0 ? "…" : "") + text.slice(from, to).trim() + (to < text.length ? "…" : "");
  }
  function highlight(card, words) {
    card.shown.forEach(function (node, i) {
      var fresh = card.originals[i].cloneNode(true);
      node.parentNode.replaceChild(fresh, node);
      card.shown[i] = fresh;
    });
    var found = words.filter(function (w) { return w.length > 1; });
    if (!card.snippet) return;
    card.snippet.textContent = "";
    card.snippet.hidden = true;
    if (!found.length) return;
    card.shown.forEach(function (node) { markIn(node, found); });
    var missing = found.filter(function (w) { return card.text.indexOf(w) < 0; });
    var field = missing.length ? card.fields.filter(function (f) { return missing.some(function (w) { return f.folded.indexOf(w) >= 0; }); })[0] : null;
    if (!field) return;
    var label = document.createElement("strong");
    label.textContent = field.what + ": ";
    card.snippet.appendChild(label);
    card.snippet.appendChild(marked(excerpt(field.text, missing) || field.text.slice(0, 140), found));
    card.snippet.hidden = false;
  }

  function update() {
    var st = state(), shown = 0;
    cards.forEach(function (card) {
      var ok = passes(card, st, null);
      card.el.hidden = !ok;
      if (ok) shown++;
      // Marks are redrawn only when a card's words change (typing re-runs this).
      var key = ok ? st.words.join(" ") : "";
      if (card.key !== key) { card.key = key; highlight(card, ok ? st.words : []); }
    });
    // An option's count: the cases that would match with it added, given the
    // other facets' choices (its own facet is OR-ed, so it is left out).
    facets.forEach(function (f) {
      var pool = cards.filter(function (card) { return passes(card, st, f.name); });
      f.options.forEach(function (o) {
        var n = pool.filter(function (card) { return card.values[f.name].indexOf(o.value) >= 0; }).length;
        if (o.count) { o.count.textContent = "(" + n + ")"; o.count.setAttribute("data-count", String(n)); }
        // A ticked option stays usable so it can always be unticked.
        o.input.disabled = n === 0 && !o.input.checked;
        if (o.label) o.label.classList.toggle("ap-zero", o.input.disabled);
      });
      var picked = st.chosen[f.name].length;
      if (f.selected) f.selected.textContent = picked ? "· " + t("selected", { n: picked }) : "";
    });
    var message = t("count", { n: shown, total: cards.length });
    // Announce only real changes: role=status reads every new text aloud.
    if (status && status.textContent !== message) status.textContent = message;
    if (empty) empty.hidden = shown > 0;
    return st;
  }

  function writeUrl(st) {
    var params = new URLSearchParams(location.search);
    facets.forEach(function (f) { params.delete(f.name); });
    params.delete(TEXT_PARAM);
    // Ids are [a-z0-9-]: joined with "," they need no escaping and stay readable.
    var parts = params.toString() ? [params.toString()] : [];
    facets.forEach(function (f) {
      if (st.chosen[f.name].length) parts.push(f.name + "=" + st.chosen[f.name].join(","));
    });
    var text = box ? box.value.trim() : "";
    if (text) parts.push(TEXT_PARAM + "=" + encodeURIComponent(text));
    var url = location.pathname + (parts.length ? "?" + parts.join("&") : "") + location.hash;
    try {
      history.replaceState(history.state, "", url);
    } catch (e) {
      // Some browsers refuse to rewrite file:// URLs; filtering still works.
    }
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    facets.forEach(function (f) {
      var wanted = Object.create(null);  // a set of values: "constructor" is a value like any other
      params.getAll(f.name).forEach(function (v) { v.split(",").forEach(function (one) { wanted[one] = true; }); });
      f.options.forEach(function (o) { o.input.checked = wanted[o.value] === true; });
      // Show the ticked boxes of a shared link instead of hiding them in a closed group.
      if (f.options.some(function (o) { return o.input.checked; })) f.group.open = true;
    });
    if (box) box.value = (params.get(TEXT_PARAM) || "").slice(0, MAX_QUERY);
  }

  function refresh() { writeUrl(update()); }

  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  var clear = form.querySelector("[data-ap-clear-filters]");
  if (clear) {
    clear.addEventListener("click", function () {
      facets.forEach(function (f) { f.options.forEach(function (o) { o.input.checked = false; }); });
      if (box) box.value = "";
      refresh();
      if (box) box.focus();
    });
  }

  // ----- "Download these cases" --------------------------------------------------------------
  // The cases shown, as CSV (the cells of data/casestudies.csv, same columns
  // and quoting) or JSON (typed records and the filters that chose them),
  // made here and saved through a link to a Blob (AP.download): nothing is sent anywhere,
  // and it works from file://. The rows are a script of their own, loaded
  // on the first download only, so the index page does not carry them.
  var rowsSrc = root.getAttribute("data-ap-rows");
  var downloadStatus = form.querySelector(".ap-download-status");
  function withRows(done) {
    if (window.AlliancePlaybookCaseRows) { done(window.AlliancePlaybookCaseRows); return; }
    var script = document.createElement("script");
    script.src = rowsSrc;
    script.onload = function () {
      if (window.AlliancePlaybookCaseRows) done(window.AlliancePlaybookCaseRows);
      else if (downloadStatus) downloadStatus.textContent = t("download_failed");
    };
    script.onerror = function () { if (downloadStatus) downloadStatus.textContent = t("download_failed"); };
    document.head.appendChild(script);
  }
  // RFC 4180 as Python's csv module writes it: quoted only when needed, CRLF.
  function csvCell(value) {
    var text = String(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function slug(text) {
    return fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
  }
  // Named after the filters: case-studies-area-environment+health-text-flood.csv
  function fileName(st, ext) {
    var parts = ["case-studies"];
    facets.forEach(function (f) {
      if (st.chosen[f.name].length) parts.push(f.name + "-" + st.chosen[f.name].map(slug).join("+"));
    });
    var text = slug(box ? box.value : "");
    if (text) parts.push("text-" + text);
    return parts.join("-").slice(0, 180) + "." + ext;
  }
  function download(format) {
    withRows(function (data) {
      var st = state();
      var own = function (id) { return AP.own(data.cases, id); };
      var shown = cards.filter(function (card) { return !card.el.hidden; })
        .map(function (card) { return own(card.el.getAttribute("data-id") || ""); })
        .filter(function (row) { return row && Array.isArray(row.cells); });
      var name = fileName(st, format), text;
      if (format === "csv") {
        text = [data.columns].concat(shown.map(function (row) { return row.cells; }))
          .map(function (cells) { return cells.map(csvCell).join(","); }).join("\r\n") + "\r\n";
        AP.download(name, "text/csv", text);
      } else {
        var filters = {};
        facets.forEach(function (f) { if (st.chosen[f.name].length) filters[f.name] = st.chosen[f.name]; });
        if (box && box.value.trim()) filters[TEXT_PARAM] = box.value.trim();
        text = JSON.stringify({ filters: filters, count: shown.length, cases: shown.map(function (row) { return row.record; }) }, null, 1) + "\n";
        AP.download(name, "application/json", text);
      }
      if (downloadStatus) downloadStatus.textContent = t(shown.length === 1 ? "downloaded_one" : "downloaded", { n: AP.count(shown.length), format: format.toUpperCase(), file: name });
    });
  }
  slice.call(form.querySelectorAll("[data-ap-download]")).forEach(function (button) {
    button.addEventListener("click", function () { download(button.getAttribute("data-ap-download")); });
  });

  if (box) box.maxLength = MAX_QUERY;
  readUrl();
  form.hidden = false;
  update();
})();
