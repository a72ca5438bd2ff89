/* Layout gates for tests/test_layout.py, run in the page under test.
 * Each returns a list of problems (strings); empty means the page passes.
 * Only what a reader sees is judged: hidden elements are skipped. */
(() => {
  const vw = () => document.documentElement.clientWidth;
  const visible = (el) => {
    if (!el.isConnected) return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden") return false;
    }
    return true;
  };
  const name = (el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = el.classList.length ? "." + [...el.classList].slice(0, 2).join(".") : "";
    const text = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `<${el.tagName.toLowerCase()}${id}${cls}> "${text}"`;
  };
  const content = () => document.querySelector(".md-content") || document.body;
  // Inside a box that scrolls or clips sideways (a table's own scroll box)?
  const clippedSideways = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return true;
    }
    return false;
  };

  /* No page wider than the viewport, and nothing in the content sticking out
   * past its right edge unless it sits in a box that scrolls on its own. */
  function overflow() {
    const out = [];
    const width = document.documentElement.scrollWidth;
    if (width > vw() + 1) out.push(`the page is ${width} px wide in a ${vw()} px viewport`);
    for (const el of content().querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > vw() + 1 && r.width > 0 && !clippedSideways(el) && visible(el)) {
        out.push(`${name(el)} reaches ${Math.round(r.right)} px, past the ${vw()} px viewport`);
        if (out.length > 5) break;
      }
    }
    return out;
  }

  // The rectangle of an element's own text (not the text of its input, nor
  // text that is only read aloud).
  function textRect(label, input) {
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    let box = null;
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (!node.data.trim() || input.contains(node)) continue;
      const parent = node.parentElement;
      if (parent.closest(".ap-sr") || !visible(parent)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width < 1) continue;
        box = box ? { left: Math.min(box.left, r.left), right: Math.max(box.right, r.right), top: Math.min(box.top, r.top), bottom: Math.max(box.bottom, r.bottom) } : { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }
    }
    return box;
  }

  /* Every radio and checkbox sits next to its own label text (on the same
   * line, close by) and is no wider than a few times its height. */
  function controls() {
    const out = [];
    for (const input of content().querySelectorAll("input[type=radio], input[type=checkbox]")) {
      if (!visible(input) || input.closest(".ap-blank")) continue;
      const r = input.getBoundingClientRect();
      if (r.width > 4 * r.height + 1) out.push(`${name(input)} is ${Math.round(r.width)} px wide and ${Math.round(r.height)} px high`);
      const label = input.labels && input.labels[0] || input.closest("label");
      if (!label) { out.push(`${name(input)} has no label`); continue; }
      const t = textRect(label, input);
      if (!t) { out.push(`${name(input)}: its label "${label.textContent.trim().slice(0, 30)}" shows no text`); continue; }
      const sameLine = Math.min(r.bottom, t.bottom) - Math.max(r.top, t.top) > 0;
      const gap = Math.max(0, t.left - r.right, r.left - t.right);
      if (!sameLine || gap > Math.max(24, 2 * r.height)) {
        out.push(`${name(input)} is ${Math.round(gap)} px from its label text "${label.textContent.trim().slice(0, 30)}"${sameLine ? "" : " and not on its line"}`);
      }
    }
    return out;
  }

  /* Every table in the content is styled: its cells have padding, and there
   * are rules between rows (on the cells, the rows or the table). */
  function tables() {
    const out = [];
    const px = (v) => parseFloat(v) || 0;
    for (const table of content().querySelectorAll("table")) {
      if (!visible(table) || table.closest(".ap-blank")) continue;
      const cell = [...table.querySelectorAll("td, th")].find(visible);
      if (!cell) continue;
      const c = getComputedStyle(cell), row = getComputedStyle(cell.parentElement), t = getComputedStyle(table);
      const padding = px(c.paddingLeft) + px(c.paddingRight) + px(c.paddingTop) + px(c.paddingBottom);
      const rule = [c.borderTopWidth, c.borderBottomWidth, row.borderTopWidth, row.borderBottomWidth, t.borderTopWidth].some((w) => px(w) >= 1)
        || [c.boxShadow, row.boxShadow].some((s) => s && s !== "none");
      if (padding < 8) out.push(`${name(table)}: cells have ${padding} px of padding`);
      if (!rule) out.push(`${name(table)}: no rule between rows`);
    }
    return out;
  }

  /* Chart text is at least 11 px as drawn (its size times the chart's scale). */
  function charts() {
    const out = [];
    for (const svg of content().querySelectorAll("svg.ap-chart")) {
      if (!visible(svg) || svg.closest(".ap-blank")) continue;
      const box = svg.viewBox && svg.viewBox.baseVal;
      const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
      for (const text of svg.querySelectorAll("text")) {
        if (!text.textContent.trim()) continue;
        const drawn = parseFloat(getComputedStyle(text).fontSize) * scale;
        if (drawn < 11 - 0.01) {
          out.push(`${svg.className.baseVal}: "${text.textContent.trim().slice(0, 30)}" is drawn at ${drawn.toFixed(1)} px`);
          break;
        }
      }
    }
    return out;
  }

  /* Whether the focused element shows a ring: an outline or a shadow on it,
   * or (for a control drawn by its label, such as a scale's segment) on the
   * element that draws it. */
  function ring(el) {
    const shows = (e) => {
      if (!e || !visible(e)) return false;
      const s = getComputedStyle(e);
      if (parseFloat(s.opacity) < 0.1) return false;
      const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
      const shadow = s.boxShadow && s.boxShadow !== "none" && /\d+px/.test(s.boxShadow);
      return outline || shadow;
    };
    if (shows(el)) return true;
    // A control drawn by another element (an invisible radio over its
    // segment, a file input inside its button) shows its ring there.
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    const drawnElsewhere = parseFloat(s.opacity) < 0.1 || r.width < 4 || r.height < 4;
    return drawnElsewhere && [el.nextElementSibling, el.closest("label"), el.parentElement].some(shows);
  }
  function focused() {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const inContent = !!el.closest(".md-content, .md-footer");
    return { inContent, ok: ring(el), name: name(el) };
  }

  window.__layout = { overflow, controls, tables, charts, focused };
})();
