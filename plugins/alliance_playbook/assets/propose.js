/* Alliance Playbook: propose a case study without Git (casestudies/propose/).
 * The form is drawn from the page's spec (the case study model's fields,
 * made at build time from its JSON Schema: kinds/casestudy_propose.py) and
 * checked as the person types with the rules and messages of
 * `alliance check`; it writes the YAML file (download, copy, or GitHub's
 * "new file" page with the file filled in) and a preview of the page.
 * The draft is kept in this browser (localStorage) until cleared; nothing
 * is sent anywhere unless the person sends it. Everything typed is shown
 * as text (never parsed as HTML). Needs common.js. */
(function () {
  "use strict";
  var AP = window.AlliancePlaybook;
  var root = document.querySelector("[data-ap-propose]");
  if (!AP || !root) return;
  var spec = AP.readJSON(root.querySelector(".ap-propose-spec"));
  if (!spec || !Array.isArray(spec.fields)) return;
  var t = AP.texts(root), M = spec.messages, own = AP.own, toArray = AP.toArray;
  var form = root.querySelector("[data-ap-propose-form]"), summary = root.querySelector(".ap-propose-summary");
  var result = root.querySelector("[data-ap-propose-result]"), status = root.querySelector(".ap-propose-status");
  var storageKey = "alliance:" + (root.getAttribute("data-ap-site") || "default") + ":propose-case";
  var MAX_LINK = 8000;  // characters of a link GitHub accepts with the file in it
  var touched = Object.create(null);
  var uid = 0;

  // ----- the rules of `alliance check` (model/text.py, model/types.py, validation.py) -----
  var CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/;
  var BIDI = /[\u202a-\u202e\u2066-\u2069]/;
  var INVISIBLE = /[\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0]+/g;
  var DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
  // What Python's str.strip() and \s take for white space (JavaScript's differ: no \x1c-\x1f or \x85, and U+FEFF).
  var WS = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var EDGES = new RegExp("^[" + WS + "]+|[" + WS + "]+$", "g");
  var URL_OK = new RegExp("^https?://[^" + WS + "/?#]+\\.[^" + WS + "]*$|^https?://[^" + WS + "/?#]+$", "i");
  var LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;
  var NUMBER_MAX = 1e15;
  function strip(s) { return String(s).replace(EDGES, ""); }
  function say(template, values) { return AP.fmt(template, values || {}); }
  function hex(ch) { return ("000" + ch.codePointAt(0).toString(16).toUpperCase()).slice(-4); }
  function quoted(value) {
    var text = String(value).replace(/[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, function (c) {
      var code = c.charCodeAt(0);
      return code === 10 ? "\\n" : code === 13 ? "\\r" : code === 9 ? "\\t" : code < 256 ? "\\x" + ("0" + code.toString(16)).slice(-2) : "\\u" + ("000" + code.toString(16)).slice(-4);
    });
    var chars = Array.from(text);
    if (chars.length > 60) text = chars.slice(0, 59).join("").replace(/\s+$/, "") + "…";
    return "'" + text + "'";
  }
  function textProblem(value, field) {
    var markdown = field.kind === "markdown", stripped = strip(value);
    var shown = markdown ? stripped.replace(/<!--[\s\S]*?(-->|$)/g, "") : stripped;
    if (!shown.replace(INVISIBLE, "").replace(/&nbsp;/g, "")) return M.invisible;
    if (stripped === "...") return M.placeholder;
    if (LONE.test(value)) return M.broken;
    var control = value.match(CONTROL);
    if (control) return say(M.control, { code: hex(control[0]) });
    var bidi = value.match(BIDI);
    if (bidi) return say(M.bidi, { code: hex(bidi[0]) });
    var n = Array.from(stripped).length;
    if (field.max && n > field.max) {
      return say(M.tooLong, { n: n.toLocaleString("en-US"), max: field.max.toLocaleString("en-US"), hint: markdown ? M.hintMarkdown : M.hintText });
    }
    return null;
  }
  function dateProblem(value) {
    var m = DATE.exec(strip(value));
    if (m) {
      var y = +m[1], mo = m[2] ? +m[2] : 1, d = m[3] ? +m[3] : 1, day = new Date(0);
      day.setUTCFullYear(y, mo - 1, d);  // (Date.UTC would read years below 100 as 19xx)
      if (y >= 1 && mo >= 1 && mo <= 12 && day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d) return null;
    }
    return say(M.date, { got: "the text " + quoted(value) });
  }
  function urlProblem(value) {
    var s = strip(value), scheme = s.indexOf(":") >= 0 ? s.split(":")[0].toLowerCase() : "";
    if ((scheme === "http" || scheme === "https") && URL_OK.test(s)) return null;
    return say(M.url, { shown: scheme && scheme !== "http" && scheme !== "https" ? say(M.urlScheme, { scheme: scheme }) : M.urlPartial });
  }
  /* A number as Python writes it in the checker's message (integers of 16 digits and more as 1e+16). */
  function pyNumber(v) {
    if (!Number.isInteger(v) || Math.abs(v) < 1e15) return String(v);
    var parts = v.toExponential(5).split("e"), exp = Number(parts[1]);
    return parts[0].replace(/\.?0+$/, "") + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
  }
  function dateKey(v) { var p = v.split("-").map(Number).concat([1, 1]); return p[0] * 10000 + p[1] * 100 + p[2]; }

  // ----- the case as data -----------------------------------------------------------
  function blank(field) {
    if (field.kind === "group") { var g = {}; field.fields.forEach(function (f) { g[f.name] = blank(f); }); return g; }
    if (field.kind === "rows") { var rows = []; for (var i = 0; i < (field.start || 0); i++) rows.push(blank(field.item)); return rows; }
    if (field.kind === "choices") return [];
    if (field.kind === "bool") return false;
    return "";
  }
  var top = { kind: "group", fields: spec.fields };
  var state = blank(top);
  state.__id = "";
  /* What the YAML holds for a value: undefined when it is left out. */
  function present(field, v) {
    if (field.kind === "group") {
      var out = {}, any = false;
      field.fields.forEach(function (f) { var x = present(f, own(v, f.name)); if (x !== undefined) { out[f.name] = x; any = true; } });
      return any ? out : undefined;
    }
    if (field.kind === "rows") {
      if (!Array.isArray(v) || !v.length) return undefined;
      return v.map(function (row) { var x = present(field.item, row); return x === undefined ? (field.item.kind === "group" ? {} : "") : x; });
    }
    if (field.kind === "choices") return Array.isArray(v) && v.length ? v.slice() : undefined;
    if (field.kind === "bool") return v === true ? true : undefined;
    if (field.kind === "number") return v === "" || v === null || v === undefined || !isFinite(Number(v)) ? undefined : Number(v);
    var s = typeof v === "string" ? (field.kind === "markdown" ? v.replace(new RegExp("[" + WS + "]+$"), "") : strip(v)) : "";
    return s ? s : undefined;
  }
  function check(field, v, path, problems) {
    var name = field.name;
    if (v === undefined) {
      if (field.required) problems.push({ path: path, message: say(M.required, { name: name }) });
      return;
    }
    if (field.kind === "group") {
      field.fields.forEach(function (f) { check(f, v[f.name], path ? path + "." + f.name : f.name, problems); });
      return;
    }
    if (field.kind === "rows" || field.kind === "choices") {
      if (field.minItems && v.length < field.minItems) problems.push({ path: path, message: say(M.fewItems, { need: field.minItems, s: field.minItems !== 1 ? "s" : "", n: v.length }) });
      else if (field.maxItems && v.length > field.maxItems) problems.push({ path: path, message: say(M.manyItems, { max: field.maxItems, n: v.length }) });
      if (field.kind === "rows") {
        v.forEach(function (row, i) {
          if (row === "") problems.push({ path: path + "[" + i + "]", message: M.empty });  // an empty line of a list of texts
          else check(field.item, row, path + "[" + i + "]", problems);
        });
      }
      return;
    }
    var problem = null;
    if (field.kind === "text" || field.kind === "markdown") problem = textProblem(v, field);
    else if (field.kind === "date") problem = dateProblem(v);
    else if (field.kind === "url") problem = urlProblem(v);
    else if (field.kind === "number" && Math.abs(v) > NUMBER_MAX) problem = say(M.tooLarge, { got: "the number " + pyNumber(v) });
    if (problem) problems.push({ path: path, message: problem });
  }

  // ----- the file -----------------------------------------------------------------------------
  function slugify(text) {
    var s = String(text || "").normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (s.length > spec.idMax) s = s.slice(0, spec.idMax).split("-").slice(0, -1).join("-") || s.slice(0, spec.idMax);
    return s.replace(/^-+|-+$/g, "");
  }
  function caseId() { return state.__id || slugify(state.title); }
  function scalar(v) {
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    // A JSON string is a YAML double-quoted scalar: nothing in it is read as
    // YAML. The characters YAML 1.1 reads as line breaks or a byte order
    // mark are written as escapes, so they stay what they are.
    return JSON.stringify(String(v).replace(new RegExp(LONE.source, "g"), function (m) { return m.replace(/[\ud800-\udfff]/, "\ufffd"); }))
      .replace(/[\x7f-\x9f\u2028\u2029\ufeff]/g, function (c) { return "\\u" + hex(c); });
  }
  function block(v, indent) {
    // Several lines read best as a literal block, when it keeps them exactly.
    if (/\n/.test(v) && /^\S/.test(v) && !LONE.test(v) && !/[ \t]\n|\t|\r|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]/.test(v)) {
      return "|-\n" + v.split("\n").map(function (line) { return line ? indent + line : ""; }).join("\n");
    }
    return scalar(v);
  }
  function yamlOf(field, v, indent) {
    var lines = [];
    field.fields.forEach(function (f) {
      var x = v[f.name];
      if (x === undefined) return;
      if (f.kind === "group") lines.push(indent + f.name + ":", yamlOf(f, x, indent + "  "));
      else if (Array.isArray(x)) {
        lines.push(indent + f.name + ":");
        x.forEach(function (item) {
          if (f.kind === "rows" && f.item.kind === "group") {
            var inner = yamlOf(f.item, item, indent + "    ");
            lines.push(inner ? indent + "  - " + inner.slice(indent.length + 4) : indent + "  - {}");
          } else lines.push(indent + "  - " + scalar(item));
        });
      } else lines.push(indent + f.name + ": " + (typeof x === "string" ? block(x, indent + "  ") : scalar(x)));
    });
    return lines.join("\n");
  }
  function fileText(data) {
    return "# yaml-language-server: $schema=" + spec.schema + "\n# Proposed with the form at casestudies/propose/.\n" + yamlOf(top, data || {}, "") + "\n";
  }

  // ----- the form ------------------------------------------------------------------------------
  var el = AP.element;
  function getAt(path) {
    var parts = path.match(/[^.[\]]+/g) || [], v = state;
    for (var i = 0; i < parts.length && v !== undefined && v !== null; i++) v = v[parts[i]];
    return v;
  }
  function setAt(path, value) {
    var parts = path.match(/[^.[\]]+/g) || [], v = state;
    for (var i = 0; i < parts.length - 1; i++) v = v[parts[i]];
    v[parts[parts.length - 1]] = value;
  }
  function labelFor(field, id, container) {
    var label = el("label", { "for": id, "class": "ap-ws-label" }, field.label);
    if (field.required) label.appendChild(el("abbr", { title: t("required"), "class": "ap-req" }, " *"));
    container.appendChild(label);
  }
  function control(field, path, container) {
    var id = "ap-propose-" + (++uid), value = getAt(path), wrap = el("div", { "class": "ap-propose-field", "data-path": path });
    var help = field.help ? el("span", { "class": "ap-help", id: id + "-help" }, field.help) : null;
    var error = el("p", { "class": "ap-field-error", id: id + "-error", hidden: "" });
    var described = [help ? id + "-help" : "", id + "-error"].filter(Boolean).join(" ");
    var input;
    if (field.kind === "choices") {
      var fs = el("fieldset", { "class": "ap-propose-choices", "aria-describedby": described, "data-control": path });
      var legend = el("legend", { "class": "ap-ws-label" }, field.label);
      if (field.required) legend.appendChild(el("abbr", { title: t("required"), "class": "ap-req" }, " *"));
      fs.appendChild(legend);
      if (help) fs.appendChild(help);
      field.choices.forEach(function (c, i) {
        var option = el("label", { "class": "ap-multi-option" });
        var box = el("input", { type: "checkbox", value: c[0], id: id + "-" + i });
        box.checked = (value || []).indexOf(c[0]) >= 0;
        option.appendChild(box);
        option.appendChild(el("span", {}, c[1]));
        fs.appendChild(option);
      });
      fs.appendChild(error);
      wrap.appendChild(fs);
      container.appendChild(wrap);
      return;
    }
    if (field.kind === "bool") {
      input = el("input", { type: "checkbox", id: id, "data-control": path, "aria-describedby": described });
      input.checked = value === true;
      var line = el("p", { "class": "ap-propose-bool" });
      line.appendChild(input);
      line.appendChild(el("label", { "for": id }, " " + field.label));
      wrap.appendChild(line);
      if (help) wrap.appendChild(help);
      wrap.appendChild(error);
      container.appendChild(wrap);
      return;
    }
    labelFor(field, id, wrap);
    if (help) wrap.appendChild(help);
    if (field.kind === "choice") {
      input = el("select", { id: id });
      input.appendChild(el("option", { value: "" }, field.required ? t("choose") : t("none")));
      field.choices.forEach(function (c) { input.appendChild(el("option", { value: c[0] }, c[1])); });
    } else if (field.kind === "markdown" || (field.kind === "text" && field.max > 300)) {
      input = el("textarea", { id: id, rows: field.kind === "markdown" ? "6" : "3" });
    } else {
      var type = field.kind === "url" ? "url" : field.kind === "number" ? "number" : "text";
      input = el("input", { type: type, id: id, step: field.kind === "number" ? "any" : null,
                             inputmode: field.kind === "date" ? "numeric" : null, placeholder: field.kind === "date" ? "2019-04" : null });
    }
    input.value = value === undefined || value === null ? "" : String(value);
    input.setAttribute("data-control", path);
    input.setAttribute("aria-describedby", described);
    if (field.required) { input.required = true; input.setAttribute("aria-required", "true"); }
    if (field.max && field.kind !== "markdown") input.setAttribute("data-max", String(field.max));
    wrap.appendChild(input);
    wrap.appendChild(error);
    container.appendChild(wrap);
  }
  function draw(field, path, container) {
    if (field.kind === "group" && path) {
      var fs = el("fieldset", { "class": "ap-propose-group", "data-path": path });
      fs.appendChild(el("legend", {}, field.label));
      if (field.help) fs.appendChild(el("p", { "class": "ap-help" }, field.help));
      field.fields.forEach(function (f) { draw(f, path + "." + f.name, fs); });
      container.appendChild(fs);
    } else if (field.kind === "group") {
      field.fields.forEach(function (f) {
        draw(f, f.name, container);
        if (f.name === "title") drawId(container);
      });
    } else if (field.kind === "rows") {
      var box = el("fieldset", { "class": "ap-propose-rows", "data-path": path });
      var legend = el("legend", {}, field.label);
      if (field.required) legend.appendChild(el("abbr", { title: t("required"), "class": "ap-req" }, " *"));
      box.appendChild(legend);
      if (field.help) box.appendChild(el("p", { "class": "ap-help" }, field.help));
      (getAt(path) || []).forEach(function (_row, i) {
        var rowPath = path + "[" + i + "]", item = el("div", { "class": "ap-propose-row", "data-path": rowPath });
        item.appendChild(el("p", { "class": "ap-propose-row-title" }, t("row", { label: field.one || field.label, n: i + 1 })));
        if (field.item.kind === "group") field.item.fields.forEach(function (f) { draw(f, rowPath + "." + f.name, item); });
        else control(Object.assign({}, field.item, { label: t("row", { label: field.one || field.label, n: i + 1 }) }), rowPath, item);
        var remove = el("button", { type: "button", "class": "md-button ap-button-quiet", "data-remove": rowPath }, t("remove", { label: (field.one || field.label).toLowerCase(), n: i + 1 }));
        item.appendChild(remove);
        box.appendChild(item);
      });
      box.appendChild(el("div", { "class": "ap-propose-problem-slot", "data-path": path }));
      var add = el("button", { type: "button", "class": "md-button", "data-add": path }, t("add", { label: (field.one || field.label).toLowerCase() }));
      if (field.maxItems && (getAt(path) || []).length >= field.maxItems) add.disabled = true;
      box.appendChild(add);
      box.appendChild(el("p", { "class": "ap-field-error", "data-error-for": path, hidden: "" }));
      container.appendChild(box);
    } else control(field, path, container);
  }
  function drawId(container) {
    var id = "ap-propose-id", wrap = el("div", { "class": "ap-propose-field", "data-path": "__id" });
    wrap.appendChild(el("label", { "for": id, "class": "ap-ws-label" }, t("fileName")));
    var hint = el("span", { "class": "ap-help", id: id + "-help" });
    hint.appendChild(document.createTextNode(spec.folder + "/"));
    hint.appendChild(el("code", { "data-ap-propose-id": "" }));
    hint.appendChild(document.createTextNode(".yml"));
    wrap.appendChild(hint);
    var input = el("input", { type: "text", id: id, "data-control": "__id", pattern: "[a-z0-9]+(-[a-z0-9]+)*", maxlength: String(spec.idMax), "aria-describedby": id + "-help " + id + "-error", autocomplete: "off" });
    input.value = state.__id;
    wrap.appendChild(input);
    wrap.appendChild(el("p", { "class": "ap-field-error", id: id + "-error", hidden: "" }));
    container.appendChild(wrap);
  }
  function render(focusPath) {
    form.textContent = "";
    uid = 0;
    draw(top, "", form);
    form.hidden = false;
    update();
    if (focusPath) {
      var target = form.querySelector('[data-path="' + focusPath + '"] input, [data-path="' + focusPath + '"] select, [data-path="' + focusPath + '"] textarea, [data-add="' + focusPath + '"]');
      if (target) target.focus();
    }
  }

  // ----- checking, the file, the preview -------------------------------------------------------
  function problemsOf() {
    var data = present(top, state) || {}, problems = [];
    check(top, data, "", problems);
    // The rules across fields run, as in the checker, once every field is valid.
    var v = data.period;
    if (!problems.length && v) {
      if (v.ongoing === true && v.end !== undefined) problems.push({ path: "period.ongoing", message: M.ongoingEnd });
      if (v.start && v.end && dateKey(v.end) < dateKey(v.start)) problems.push({ path: "period.end", message: say(M.endBeforeStart, { end: v.end, start: v.start }) });
    }
    var id = caseId();
    if (!id) problems.push({ path: "__id", message: M.noId });
    else if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id) || id.length > spec.idMax) problems.push({ path: "__id", message: M.noId });
    else if (own(spec.reserved, id)) problems.push({ path: "__id", message: say(M.reserved, { id: id, what: spec.reserved[id] }) });
    else if (spec.existing.indexOf(id) >= 0) problems.push({ path: "__id", message: say(M.exists, { id: id }) });
    return { data: data, problems: problems };
  }
  function update() {
    var got = problemsOf(), id = caseId(), text = fileText(got.data);
    toArray(form.querySelectorAll(".ap-field-error")).forEach(function (p) { p.hidden = true; p.textContent = ""; });
    toArray(form.querySelectorAll("[aria-invalid]")).forEach(function (n) { n.removeAttribute("aria-invalid"); });
    got.problems.forEach(function (p) {
      var slot = form.querySelector('[data-path="' + p.path + '"] > .ap-field-error, [data-path="' + p.path + '"] fieldset > .ap-field-error, [data-error-for="' + p.path + '"]');
      if (!slot || !(touched[p.path] || touched.__all)) return;
      slot.hidden = false;
      slot.textContent = slot.textContent ? slot.textContent + " " + p.message : p.message;
      var c = form.querySelector('[data-control="' + p.path + '"]');
      if (c) c.setAttribute("aria-invalid", "true");
    });
    var wasOpen = summary.querySelector("details") ? summary.querySelector("details").open : Object.keys(touched).length > 0;
    summary.textContent = "";
    summary.hidden = false;
    if (got.problems.length) {
      // A list of what is left, closed until the person starts: a new form is not a list of errors.
      summary.classList.add("ap-propose-summary--problems");
      summary.classList.remove("ap-propose-summary--valid");
      var details = summary.appendChild(el("details"));
      details.open = wasOpen || !!touched.__all;
      details.appendChild(el("summary", {}, got.problems.length === 1 ? t("problemsOne") : t("problems", { n: got.problems.length })));
      var list = details.appendChild(el("ul"));
      got.problems.forEach(function (p) {
        var li = list.appendChild(el("li", { "data-problem": p.path }));
        var target = form.querySelector('[data-control="' + p.path + '"]') || form.querySelector('[data-add="' + p.path + '"]');
        var a = li.appendChild(el("a", { href: target && target.id ? "#" + target.id : "#" }, where(p.path)));
        a.addEventListener("click", function (ev) { ev.preventDefault(); if (target) target.focus(); });
        li.appendChild(document.createTextNode(" "));
        if (p.path !== "__id") li.appendChild(el("code", {}, p.path));
        li.appendChild(document.createTextNode(": " + p.message));
      });
    } else {
      summary.classList.add("ap-propose-summary--valid");
      summary.classList.remove("ap-propose-summary--problems");
      summary.appendChild(el("p", {}, t("valid")));
    }
    var idSlot = form.querySelector("[data-ap-propose-id]");
    if (idSlot) idSlot.textContent = id || "…";
    var idInput = form.querySelector("[data-control='__id']");
    if (idInput && !state.__id) idInput.placeholder = id;
    result.hidden = false;
    result.querySelector("[data-ap-propose-path]").textContent = spec.folder + "/" + (id || "…") + ".yml";
    result.querySelector("[data-ap-propose-yaml]").textContent = text;
    result.setAttribute("data-valid", got.problems.length ? "false" : "true");
    var gh = result.querySelector("[data-ap-propose-github]");
    if (gh) {
      var href = gh.getAttribute("data-base") + "?filename=" + encodeURIComponent(spec.folder + "/" + (id || "case") + ".yml") + "&value=" + encodeURIComponent(text);  // text: no lone surrogate (scalar)
      if (href.length > MAX_LINK) { gh.removeAttribute("href"); gh.setAttribute("aria-disabled", "true"); gh.title = t("tooLongForLink"); }
      else { gh.href = href; gh.removeAttribute("aria-disabled"); gh.removeAttribute("title"); }
    }
    preview(got.data);
    save();
    return { text: text, problems: got.problems };
  }
  /* A little of Markdown for the preview, built as nodes (nothing is parsed as HTML):
   * paragraphs, "- " lists, **strong**, *emphasis*, `code`, [link text](address) as its text. */
  function inline(text, into) {
    var re = /\*\*([^*]+)\*\*|\*([^*]+)\*|_([^_]+)_|`([^`]+)`|\[([^\]]+)\]\([^)]*\)/g, at = 0, m;
    while ((m = re.exec(text))) {
      if (m.index > at) into.appendChild(document.createTextNode(text.slice(at, m.index)));
      if (m[1]) into.appendChild(el("strong", {}, m[1]));
      else if (m[2] || m[3]) into.appendChild(el("em", {}, m[2] || m[3]));
      else if (m[4]) into.appendChild(el("code", {}, m[4]));
      else into.appendChild(document.createTextNode(m[5]));
      at = re.lastIndex;
    }
    if (at < text.length) into.appendChild(document.createTextNode(text.slice(at)));
  }
  function markdown(text, into) {
    text.split(/\n\s*\n/).forEach(function (block) {
      var lines = block.split("\n");
      if (lines.every(function (l) { return /^\s*[-*]\s+/.test(l); })) {
        var ul = into.appendChild(el("ul"));
        lines.forEach(function (l) { inline(l.replace(/^\s*[-*]\s+/, ""), ul.appendChild(el("li"))); });
      } else inline(block.replace(/^#+\s*/, ""), into.appendChild(el("p")));
    });
  }
  /* A problem's place in the form's words: "Partner 2, Type". */
  function where(path) {
    if (path === "__id") return t("fileName");
    var out = [], group = top;
    (path.match(/[a-z_]+|\[\d+\]/g) || []).forEach(function (part) {
      if (part.charAt(0) === "[") { var n = Number(part.slice(1, -1)) + 1; out[out.length - 1] = (group.one || group.label) + " " + n; group = group.item || group; return; }
      var f = group.fields ? fieldOf(group, part) : null;
      if (!f) return;
      out.push(f.label);
      group = f;
    });
    return out.join(", ");
  }
  function labelOf(choices, v) { var hit = (choices || []).filter(function (c) { return c[0] === v; })[0]; return hit ? hit[1] : v; }
  function fieldOf(group, name) { return group.fields.filter(function (f) { return f.name === name; })[0]; }
  function preview(d) {
    var box = result.querySelector("[data-ap-propose-preview]");
    box.textContent = "";
    box.appendChild(el("h1", {}, d.title || "…"));
    if (d.summary) box.appendChild(el("p", { "class": "ap-lead" }, d.summary));
    var loc = d.location || {}, locField = fieldOf(top, "location");
    var where = [loc.city, loc.region, loc.country ? labelOf(fieldOf(locField, "country").choices, loc.country) : ""].filter(Boolean).join(", ");
    var per = d.period || {}, when = per.start ? per.start + "–" + (per.end || (per.ongoing ? "…" : "")) : "";
    var meta = [where, (d.policy_areas || []).map(function (a) { return labelOf(fieldOf(top, "policy_areas").choices, a); }).join(", "), when].filter(Boolean).join(" · ");
    if (meta) box.appendChild(el("p", { "class": "ap-meta" }, meta));
    var partners = d.partners || [], pf = fieldOf(top, "partners").item;
    if (partners.length) {
      box.appendChild(el("h2", {}, fieldOf(top, "partners").label));
      var ul = box.appendChild(el("ul"));
      partners.forEach(function (p) {
        ul.appendChild(el("li", {}, [p.name, labelOf(fieldOf(pf, "type").choices, p.type), p.role ? labelOf(fieldOf(pf, "role").choices, p.role) : "", p.contribution].filter(Boolean).join(" — ")));
      });
    }
    ["challenge", "approach"].forEach(function (name) {
      if (!d[name]) return;
      box.appendChild(el("h2", {}, fieldOf(top, name).label));
      markdown(d[name], box);
    });
    var outcomes = d.outcomes || [];
    if (outcomes.length) {
      box.appendChild(el("h2", {}, fieldOf(top, "outcomes").label));
      var ol = box.appendChild(el("ul"));
      outcomes.forEach(function (o) {
        var numbers = o.result !== undefined ? " (" + (o.baseline !== undefined ? o.baseline + " → " : "") + o.result + (o.unit ? " " + o.unit : "") + ")" : "";
        ol.appendChild(el("li", {}, (o.description || "…") + numbers));
      });
    }
    var lessons = d.lessons || [], lf = fieldOf(top, "lessons").item;
    if (lessons.length) {
      box.appendChild(el("h2", {}, fieldOf(top, "lessons").label));
      var ll = box.appendChild(el("ul"));
      lessons.forEach(function (l) { ll.appendChild(el("li", {}, [labelOf(fieldOf(lf, "lesson").choices, l.lesson), l.note].filter(Boolean).join(": "))); });
    }
  }

  // ----- the draft in this browser -------------------------------------------------------------
  function save() { AP.storage.set(storageKey, JSON.stringify(state)); }
  /* A saved draft, kept only where it fits the form (it may be old or edited by hand). */
  function fit(field, v) {
    if (field.kind === "group") { var g = {}; field.fields.forEach(function (f) { g[f.name] = fit(f, v && typeof v === "object" ? own(v, f.name) : undefined); }); return g; }
    if (field.kind === "rows") return Array.isArray(v) ? v.slice(0, field.maxItems || 100).map(function (x) { return fit(field.item, x); }) : blank(field);
    if (field.kind === "choices") return Array.isArray(v) ? v.filter(function (x) { return field.choices.some(function (c) { return c[0] === x; }); }) : [];
    if (field.kind === "bool") return v === true;
    if (field.kind === "choice") return field.choices.some(function (c) { return c[0] === v; }) ? v : "";
    return typeof v === "string" || typeof v === "number" ? AP.cut(String(v), 50000) : "";
  }
  function restore() {
    var saved = AP.readJSON({ textContent: AP.storage.get(storageKey) || "null" });
    if (!saved || typeof saved !== "object") return false;
    state = fit(top, saved);
    state.__id = typeof saved.__id === "string" ? AP.cut(saved.__id, spec.idMax) : "";
    return true;
  }

  // ----- events ----------------------------------------------------------------------------------
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  function onEdit(ev) {
    var target = ev.target, path = target.getAttribute && target.getAttribute("data-control");
    if (!path) {
      var fs = target.closest && target.closest("fieldset[data-control]");
      if (!fs) return;
      path = fs.getAttribute("data-control");
      setAt(path, toArray(fs.querySelectorAll("input[type=checkbox]:checked")).map(function (b) { return b.value; }));
    } else if (target.type === "checkbox") setAt(path, target.checked);
    else setAt(path, target.value);
    touched[path] = true;
    update();
  }
  form.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest("button") : null;
    if (!btn) return;
    var addPath = btn.getAttribute("data-add"), removePath = btn.getAttribute("data-remove");
    var field = addPath || removePath ? fieldAt(addPath || removePath.replace(/\[\d+\]$/, "")) : null;
    if (addPath && field) {
      var rows = getAt(addPath);
      rows.push(blank(field.item));
      render(addPath + "[" + (rows.length - 1) + "]");
    } else if (removePath && field) {
      var listPath = removePath.replace(/\[\d+\]$/, ""), index = Number(/\[(\d+)\]$/.exec(removePath)[1]);
      getAt(listPath).splice(index, 1);
      touched[listPath] = true;
      render(listPath);
    }
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  function fieldAt(path) {
    var parts = path.replace(/\[\d+\]/g, "").split("."), field = top;
    for (var i = 0; i < parts.length && field; i++) {
      var group = field.kind === "rows" ? field.item : field;
      field = group.fields ? fieldOf(group, parts[i]) : null;
    }
    return field;
  }
  result.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest("button, a") : null;
    if (!btn) return;
    var now = update();
    if (btn.hasAttribute("data-ap-propose-download")) {
      touched.__all = true;
      update();
      var name = (caseId() || "case-study") + ".yml";
      AP.download(name, "application/yaml", now.text);
      status.textContent = t("downloaded", { file: name });
    } else if (btn.hasAttribute("data-ap-propose-copy")) {
      var done = function () { status.textContent = t("copied"); }, failed = function () { status.textContent = t("copyFailed"); result.querySelector(".ap-propose-yaml").open = true; };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(now.text).then(done, failed); else failed();
    } else if (btn.hasAttribute("data-ap-propose-clear")) {
      if (!window.confirm(t("confirmClear"))) return;
      AP.storage.remove(storageKey);
      state = blank(top);
      state.__id = "";
      touched = Object.create(null);
      render();
      status.textContent = t("cleared");
    } else if (btn.hasAttribute("data-ap-propose-github") && !btn.getAttribute("href")) {
      ev.preventDefault();
      status.textContent = t("tooLongForLink");
    }
  });

  // Printed, the page shows the file in full: its folded YAML opens, and closes again after.
  var yamlBox = result.querySelector(".ap-propose-yaml"), wasOpen = false;
  window.addEventListener("beforeprint", function () { wasOpen = yamlBox.open; yamlBox.open = true; });
  window.addEventListener("afterprint", function () { yamlBox.open = wasOpen; });
  var nojs = root.querySelector("[data-ap-propose-nojs]");
  if (nojs) nojs.hidden = true;
  var restored = restore();
  render();
  if (restored) status.textContent = t("restored");
  window.AlliancePlaybookPropose = { yaml: function () { return update().text; }, problems: function () { return problemsOf().problems; } };
})();
