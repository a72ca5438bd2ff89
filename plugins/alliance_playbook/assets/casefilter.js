/* Alliance Playbook case index: instant filters, no dependencies.
 * Within one facet the ticked values are OR-ed, across facets AND-ed; the
 * search box must find every word in a card's text. The state lives in the
 * query string (?area=environment,health&ptype=business&text=water) so a
 * filtered view can be shared. Nothing is stored or sent anywhere.
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

  // Case- and accent-insensitive: "Réseau" and "reseau" are the same word.
  // NFKD also folds full-width forms, so "ＡＢＣ" finds "abc".
  function fold(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
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
  var cards = slice.call(root.querySelectorAll("li.ap-case-card")).map(function (el) {
    var values = {};
    facets.forEach(function (f) {
      values[f.name] = (el.getAttribute("data-" + f.name) || "").split(/\s+/).filter(Boolean);
    });
    return { el: el, values: values, text: fold(el.textContent) };
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
      if (card.text.indexOf(st.words[i]) < 0) return false;
    }
    return facets.every(function (f) {
      var want = st.chosen[f.name];
      if (f.name === skip || !want.length) return true;
      return want.some(function (v) { return card.values[f.name].indexOf(v) >= 0; });
    });
  }

  function update() {
    var st = state(), shown = 0;
    cards.forEach(function (card) {
      var ok = passes(card, st, null);
      card.el.hidden = !ok;
      if (ok) shown++;
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

  if (box) box.maxLength = MAX_QUERY;
  readUrl();
  form.hidden = false;
  update();
})();
