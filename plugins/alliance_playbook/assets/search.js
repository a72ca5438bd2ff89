/* Search with Pagefind's prebuilt index (the site's `search: pagefind`).
 *
 * Material's own search downloads and indexes the whole site before its
 * first answer; Pagefind's index is split into chunks, and a query loads only
 * the chunks its words need and the fragments of the results it shows. This
 * script puts a search button in the header (with the shortcuts "/" and
 * "s"), opens a dialog with a search box and a result list on first use or
 * when the address asks (?q=words, as the 404 page's form does), and
 * highlights the words searched for on the page a result leads to (?h=word).
 * The box and the list are this script's, on Pagefind's own script (its
 * search, without its interfaces: 21 kB less a query); nothing of the
 * search is loaded before the dialog first opens, and a query loads at
 * most a few hundred kB whatever the size of the site.
 *
 * Pagefind reads its index with fetch(), which browsers refuse on file://:
 * a page opened from a disk says so and points to the offline copy, whose
 * pages use the theme's search, made for that.
 */
(function () {
  "use strict";
  var PARAM = "h";
  var SVG = "http://www.w3.org/2000/svg";

  /* On every page, before any page script: its own two helpers, not common.js's. */
  function element(tag, attrs, text, ns) {
    var el = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text) el.textContent = text;
    return el;
  }
  var texts = {};
  try { texts = JSON.parse(document.querySelector("#ap-search-texts script").textContent) || {}; } catch (e) { /* English */ }
  /* A large site's index is made in parts (pagefind/, pagefind-2/...), each
   * by its own run of the indexer, which holds a part's pages in memory; the
   * build merges them into one (adapters/search_merge.py), unless it cannot
   * read them: pagefind/ap-parts.json says how many there are to merge here. */
  function parts() {
    return fetch(new URL("ap-parts.json", bundle).href).then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (d) { return Math.max(1, Math.min(64, parseInt(d && d.parts, 10) || 1)); }, function () { return 1; });
  }
  function t(text) { return Object.prototype.hasOwnProperty.call(texts, text) ? String(texts[text]) : text; }

  function config() {
    try { return JSON.parse(document.getElementById("__config").textContent); } catch (e) { return {}; }
  }
  /* The site's root and the index's folder, as absolute URLs (pages sit at any depth). */
  var root = new URL(String(config().base || ".").replace(/\/+$/, "") + "/", location.href);  /* the 404 page's base is "/" */
  var bundle = new URL("pagefind/", root);

  var dialog = null;
  var opened = null;
  var failed = false;  /* the last loading failed: the next opening starts again */

  function build() {
    dialog = element("dialog", { class: "ap-search", "aria-label": t("Search") });
    var bar = element("div", { class: "ap-search__bar" });
    bar.appendChild(element("h2", { class: "ap-search__title" }, t("Search")));
    var close = element("button", { type: "button", class: "md-button ap-search__close" }, t("Close"));
    close.addEventListener("click", function () { dialog.close(); });
    bar.appendChild(close);
    dialog.appendChild(bar);
    var box = element("div", { id: "ap-search-ui", class: "ap-search__ui" });
    box.appendChild(element("div", { id: "ap-search-input" }));
    box.appendChild(element("p", { id: "ap-search-summary", class: "ap-search__summary", role: "status", "aria-live": "polite" }));
    box.appendChild(element("div", { id: "ap-search-results" }));
    dialog.appendChild(box);
    /* A click on the backdrop (outside the dialog's box) closes it. */
    dialog.addEventListener("click", function (event) {
      var box = dialog.getBoundingClientRect();
      var outside = event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom;
      if (event.target === dialog && outside && (event.clientX || event.clientY)) dialog.close();
    });
    document.body.appendChild(dialog);
  }

  /* Pagefind's own script (its search and its WebAssembly, no interface:
   * the box and the list are ours, below), set up for every part of the
   * index. noWorker: Pagefind on the page's thread. In its worker each part
   * would download its own copy of the WebAssembly (72 kB); here the parts
   * share the first's, and no worker has to start. */
  function pagefindLoaded() {
    return Promise.all([parts(), import(new URL("pagefind.js", bundle).href)]).then(function (loaded) {
      var shards = loaded[0], pagefind = loaded[1];
      return Promise.resolve(pagefind.options({ baseUrl: root.pathname, highlightParam: PARAM, noWorker: true })).then(function () {
        var merged = Promise.resolve();
        for (var i = 2; i <= shards; i++) {
          (function (path) {  /* each part with the first's options (its links marked for highlighting too) */
            merged = merged.then(function () { return pagefind.mergeIndex(path, { baseUrl: root.pathname, highlightParam: PARAM }); });
          })(new URL("pagefind-" + i + "/", root).pathname);
        }
        return merged;
      }).then(function () { return pagefind.init ? pagefind.init() : null; }).then(function () { return pagefind; });
    });
  }

  /* The box is there at once (a reader can type while Pagefind loads);
   * nothing of the search is loaded before the dialog first opens. */
  function start() {
    if (opened) return opened;
    var box = document.getElementById("ap-search-ui");
    if (location.protocol === "file:") {
      box.appendChild(element("p", { class: "ap-search__status", role: "status" },
        t("Search needs the site served over the web. On this computer, open the offline copy (on the downloads page): its search works from a disk.")));
      opened = Promise.resolve();
      return opened;
    }
    var summary = document.getElementById("ap-search-summary");
    var show = resultList(document.getElementById("ap-search-results"));
    var ready = pagefindLoaded();
    var asked = 0;
    var input = searchBox(document.getElementById("ap-search-input"));
    /* Each key fetches the index chunks its words need at once (Pagefind's
     * preload), and the search runs once no key came for 50 ms (a typist's
     * keys come 100 ms or more apart; Pagefind's own pause is 300 ms). The
     * mark says when the search ran: what a reader waits from, and what
     * the tests time against. A word that comes whole (pasted, dropped, a
     * phone keyboard's suggestion taken, filled in) is searched at once:
     * no more keys are coming. */
    input.addEventListener("input", function (event) {
      var mine = ++asked, term = input.value;
      var whole = !event.isComposing && (/^insert(FromPaste|FromDrop|ReplacementText)$/.test(event.inputType || "") ||
                                         (typeof event.data === "string" && event.data.length > 1));
      if (term.trim()) ready.then(function (pagefind) { return pagefind.preload(term); }).catch(function () {});
      setTimeout(function () {
        if (mine !== asked) return;
        if (window.performance && performance.mark) performance.mark("ap-search");
        if (!term.trim()) { summary.textContent = ""; show(null); return; }
        ready.then(function (pagefind) { return pagefind.search(term); }).then(function (found) {
          if (mine !== asked || !found) return;
          var n = (found.results || []).length;
          /* The count first, then the words as typed (a function: "$&" or "{count}" in them stays as it is). */
          var text = n === 0 ? t("No results for “{term}”") : n === 1 ? t("1 result for “{term}”") : t("{count} results for “{term}”");
          summary.textContent = text.replace("{count}", n.toLocaleString(document.documentElement.lang || undefined))
            .replace("{term}", function () { return term; });
          show(found.results || []);
        }, function () {});
      }, whole ? 0 : 50);
    });
    opened = Promise.resolve();
    ready.catch(function () {
      opened = null;
      box.textContent = "";
      box.appendChild(element("p", { class: "ap-search__status", role: "status" }, t("The search index could not be loaded.")));
      failed = true;
    });
    return opened;
  }

  /* The search field: a form of the role search (its Enter does nothing:
   * results come as one types), labelled in the page's language. */
  function searchBox(container) {
    var form = element("form", { class: "pagefind-modular-input-wrapper", role: "search" });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var input = element("input", { type: "text", class: "pagefind-modular-input", "aria-label": t("Search"),
                                   autocapitalize: "none", autocomplete: "off", spellcheck: "false", enterkeyhint: "search" });
    form.appendChild(input);
    container.appendChild(form);
    return input;
  }

  /* The results, BATCH at a time, with a button for more; each result's
   * fragment (its title and excerpt) loads when it is shown. Pagefind's own
   * list makes a placeholder and an observer for every result at once:
   * 1.5 s for a word found on each of 10,000 case studies. */
  var BATCH = 10;
  function resultList(container) {
    var generation = 0;
    function show(list, more, all, from, mine, focus) {
      var batch = all.slice(from, from + BATCH).map(function (result) {
        var item = element("li", { class: "pagefind-modular-list-result", "data-ap-loading": "" });
        list.appendChild(item);
        return result.data().then(function (data) {
          if (mine === generation) fill(item, data); else item.remove();
          return item;
        }, function () { item.remove(); return null; });
      });
      more.hidden = from + BATCH >= all.length;
      Promise.all(batch).then(function (items) {
        var first = items.filter(Boolean)[0];
        if (focus && first && mine === generation) first.querySelector("a").focus();
      });
    }
    /* Show the results (null: none, the box is empty). */
    return function (all) {
      var mine = ++generation;
      container.textContent = "";
      if (!all) return;
      var list = element("ol", { class: "pagefind-modular-list" });
      var more = element("button", { type: "button", class: "md-button ap-search__more" }, t("Show more results"));
      var shown = 0;
      more.addEventListener("click", function () { shown += BATCH; show(list, more, all, shown, mine, true); });
      container.appendChild(list);
      container.appendChild(more);
      show(list, more, all, 0, mine, false);
    };
  }

  /* One result: its title as a link, and its excerpt, of which only the
   * text and Pagefind's <mark>s are kept. */
  function fill(item, data) {
    item.removeAttribute("data-ap-loading");
    var inner = element("div", { class: "pagefind-modular-list-inner" });
    var title = element("p", { class: "pagefind-modular-list-title" });
    title.appendChild(element("a", { class: "pagefind-modular-list-link", href: (data.meta && data.meta.url) || data.url },
      (data.meta && data.meta.title) || data.url));
    inner.appendChild(title);
    var excerpt = element("p", { class: "pagefind-modular-list-excerpt" });
    (function keep(from, into) {
      Array.prototype.forEach.call(from.childNodes, function (node) {
        if (node.nodeType === 3) into.appendChild(document.createTextNode(node.textContent));
        else if (node.nodeType === 1) keep(node, node.tagName === "MARK" ? into.appendChild(element("mark")) : into);
      });
    })(new DOMParser().parseFromString(String(data.excerpt || ""), "text/html").body, excerpt);
    inner.appendChild(excerpt);
    item.appendChild(inner);
  }

  /* Open the dialog; with `query`, search for it at once. */
  function open(query) {
    if (failed && dialog && !dialog.open) { dialog.remove(); dialog = null; failed = false; }
    if (!dialog) build();
    if (!dialog.open) dialog.showModal();
    start().then(function () {
      var input = dialog.querySelector("input");
      if (input && typeof query === "string" && query) {
        input.value = query;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
      if (input) { input.focus(); input.select(); }
    });
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName));
  }

  function button() {
    var header = document.querySelector(".md-header__inner");
    if (!header) return;
    var b = element("button", { type: "button", class: "md-header__button md-icon ap-search-button",
                                   title: t("Search") + " (/)", "aria-label": t("Search"), "aria-haspopup": "dialog" });
    var svg = element("svg", { viewBox: "0 0 24 24", "aria-hidden": "true", focusable: "false" }, "", SVG);
    svg.appendChild(element("path", { d: "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5" }, "", SVG));
    b.appendChild(svg);
    b.addEventListener("click", function () { open(); });
    header.insertBefore(b, header.querySelector(".md-header__source"));
  }

  /* The words a search result was found for, marked on the page it opens. */
  function highlight() {
    var words = new URLSearchParams(location.search).get(PARAM);
    if (!words || location.protocol === "file:") return;
    import(new URL("pagefind-highlight.js", bundle).href).then(function () {
      if (window.PagefindHighlight) new window.PagefindHighlight({ highlightParam: PARAM, markContext: ".md-content" });
    }).catch(function () { /* no index here: the page reads as it is */ });
  }

  button();
  highlight();
  /* ?q=words (the 404 page's search form, a bookmarked search) opens the search with them. */
  var asked = new URLSearchParams(location.search).get("q");
  if (asked) open(asked.slice(0, 200));
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "/" || event.key === "s") {
      event.preventDefault();
      open();
    }
  });
})();
