"""One built page made printable: its article without the theme's chrome.

Interactive parts get their paper form: checkboxes become empty boxes (ticked
ones a ticked box), worksheets show their blank version instead of the
editor, collapsed details open, content tabs one after the other.
"""

from __future__ import annotations

import re

from . import tree as t
from .tree import Element

_ARTICLE = re.compile(r'<article\b[^>]*class="[^"]*\bmd-content__inner\b[^"]*"[^>]*>', re.I)

#: Theme chrome and screen-only parts, by class.
_CHROME_CLASSES = frozenset({
    "headerlink", "md-content__button", "md-tags", "md-source-file", "md-feedback", "ap-noprint", "ap-toolbar",
    "ap-pager", "ap-ws-status", "ap-filters", "ap-pdf-link", "ap-screen-only",
})
#: Elements that never print: scripts, forms' buttons, embedded documents.
_CHROME_TAGS = frozenset({
    "script", "noscript", "style", "template", "form", "button", "iframe", "object", "embed", "dialog", "link", "meta",
})
_EMOJI_CLASSES = ("twemoji", "emojione", "gemoji")
_LINE_INPUTS = frozenset({"text", "number", "date", "email", "url", "tel", "search", "time", "month", "week", "datetime-local", ""})


def article_html(page_html: str) -> str | None:
    """The ``article.md-content__inner`` part of a built Material page, or None."""
    match = _ARTICLE.search(page_html)
    if not match:
        return None
    end = page_html.rfind("</article>")
    if end < match.end():
        return None
    return page_html[match.end():end]


def _is_chrome(el: Element) -> bool:
    name = t.local_name(el)
    if t.is_svg(el):
        return False
    if name in _CHROME_TAGS:
        return True
    if el.get("hidden") is not None:
        return True
    return any(c in _CHROME_CLASSES for c in t.classes(el))


def strip_chrome(root: Element) -> None:
    """Remove the theme's chrome and screen-only parts (scripts, buttons, hidden elements...); SVG is kept whole."""
    parents = t.parent_map(root)
    for el in t.find_all(root, _is_chrome):
        t.remove(el, parents)


def blank_worksheets(root: Element, keep_title: bool = False) -> None:
    """Show each worksheet's blank printable part instead of its editor."""
    parents = t.parent_map(root)
    blanks = t.find_all(root, lambda el: t.has_class(el, "ap-blank"))
    if not blanks:
        return
    for editor in t.find_all(root, lambda el: t.has_class(el, "ap-worksheet")):
        t.remove(editor, parents)
    for blank in blanks:
        blank.attrib.pop("aria-hidden", None)
        t.add_class(blank, "ap-print-blank")
        heading = blank.find("h2")
        if heading is not None and not keep_title:
            t.remove(heading, parents)


def open_details(root: Element) -> None:
    """Open every ``<details>``, so collapsed text prints."""
    for el in t.find_all(root, lambda el: t.local_name(el) == "details" and not t.is_svg(el)):
        el.set("open", "open")


def linearize_tabs(root: Element) -> None:
    """pymdownx.tabbed sets: every tab printed under its label."""
    parents = t.parent_map(root)
    for tabset in t.find_all(root, lambda el: t.has_class(el, "tabbed-set")):
        labels = [t.text_of(el) for el in t.find_all(tabset, lambda el: t.local_name(el) == "label")]
        contents = [el for el in tabset if t.has_class(el, "tabbed-content")]
        blocks: list[Element] = []
        for content in contents:
            inner = [el for el in content if t.has_class(el, "tabbed-block")]
            blocks.extend(inner or [content])
        out = t.element("div", {"class": "ap-tabs"})
        for index, block in enumerate(blocks):
            tab = t.element("div", {"class": "ap-tab"}, None,
                            t.element("p", {"class": "ap-tab-label"}, labels[index] if index < len(labels) else ""))
            tab[0].tail = block.text
            tab.extend(list(block))
            out.append(tab)
        t.replace(tabset, out, parents)


def paper_controls(root: Element) -> None:
    """Form controls as their printed look: boxes to tick, lines to write on."""
    parents = t.parent_map(root)
    for el in t.find_all(root, lambda el: t.local_name(el) in ("input", "select", "textarea") and not t.is_svg(el)):
        name = t.local_name(el)
        kind = (el.get("type") or "").lower() if name == "input" else name
        if kind in ("checkbox", "radio"):
            checked = el.get("checked") is not None
            css = "ap-box" + (" ap-box--radio" if kind == "radio" else "") + (" ap-box--checked" if checked else "")
            mark = ("●" if kind == "radio" else "✓") if checked else None
            new = t.element("span", {"class": css, "role": "img", "aria-label": "checked" if checked else "unchecked"}, mark)
        elif kind in _LINE_INPUTS or kind in ("select", "textarea"):
            css = "ap-line" + (" ap-line--long" if kind == "textarea" else "")
            new = t.element("span", {"class": css})
        else:  # hidden, file, submit...: nothing to write on
            t.remove(el, parents)
            continue
        t.replace(el, new, parents)


def emoji_as_text(root: Element) -> None:
    """Material's emoji images become their text (the images may be remote)."""
    parents = t.parent_map(root)
    for img in t.find_all(root, lambda el: t.local_name(el) == "img" and any(t.has_class(el, c) for c in _EMOJI_CLASSES)):
        span = t.element("span", {"class": "ap-emoji"}, img.get("alt") or img.get("title") or "")
        t.replace(img, span, parents)


def printable_article(page_html: str, *, keep_worksheet_title: bool = False) -> Element | None:
    """The page's article, cleaned for print; None if the page has no article."""
    html = article_html(page_html)
    if html is None:
        return None
    root = t.parse_fragment(html)
    blank_worksheets(root, keep_title=keep_worksheet_title)
    linearize_tabs(root)
    strip_chrome(root)
    open_details(root)
    paper_controls(root)
    emoji_as_text(root)
    return root
