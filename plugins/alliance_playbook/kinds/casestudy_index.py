"""The case study index: its filter groups, each card's values for them,
and the text its search box looks through.

The search finds a case by anything a reader remembers of it: its title and
summary, a partner's name, a tag, a lesson or step it is filed under, its
place, and the words of its challenge, approach, outcomes and quotes. That
text is one script (``assets/alliance/casestudies-search.js``), loaded by the
index page only, so the page itself stays small and it works from
``file://`` (where a page may not fetch a JSON file).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from .base import Site, memo

#: The filter groups: query-string name -> heading (translated).
FACETS = {"area": "Policy area", "ptype": "Partner type", "sector": "Sector", "country": "Country", "scope": "Scope",
          "form": "Alliance form", "lesson": "Lesson", "step": "Step"}
#: Where the search text goes (our scripts' folder: the page may load it).
SEARCH_SCRIPT = "assets/alliance/casestudies-search.js"
#: The catalogue rows for "Download these cases", loaded on the first download only.
ROWS_SCRIPT = "assets/alliance/casestudies-rows.js"
#: The cards of a large index (more than :data:`CARD_LIMIT` cases): the page
#: lists each case as a link (what a reader without JavaScript gets), and
#: casefilter.js draws the cards from this script, so the page stays small
#: (about 110 bytes a case instead of 1 kB).
CARDS_SCRIPT = "assets/alliance/casestudies-cards.js"
CARD_LIMIT = 100

# Markdown's syntax, dropped from the searched text: [[kind:id|text]] and
# [text](url) keep their text; emphasis, code and heading marks go.
_WIKILINK = re.compile(r"\[\[[a-z]+:[a-z0-9-]+\|([^\]]*)\]\]|\[\[[a-z]+:([a-z0-9-]+)\]\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`#>|~]+|<[^>]*>")
_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=8192)  # a preview rebuild asks again for every case's
def searchable(markdown: str | None) -> str:
    """The words of a Markdown field, one line, without its syntax."""
    if not markdown:
        return ""
    text = _WIKILINK.sub(lambda m: m.group(1) or m.group(2).replace("-", " "), markdown)
    text = _LINK.sub(lambda m: m.group(1), text)
    return _SPACE.sub(" ", _MARKS.sub(" ", text)).strip()


def facets(site: Site) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Filter groups for the case index: (facet, heading, [(value, label)])."""
    project = site.project
    # Each value once, in the order the cases first give it; labelled once.
    seen: dict[str, dict[Any, None]] = {k: {} for k in FACETS}
    for case in project.items("case").values():
        seen["area"].update(dict.fromkeys(case.policy_areas))
        seen["ptype"].update(dict.fromkeys(p.type for p in case.partners))
        loc = case.location
        if loc and loc.country:
            seen["country"][loc.country] = None
        if loc and loc.scope:
            seen["scope"][loc.scope] = None
        if case.alliance_form:
            seen["form"][case.alliance_form] = None
        seen["lesson"].update(dict.fromkeys(r.lesson for r in case.lessons))
        seen["step"].update(dict.fromkeys(case.steps or ()))
    lessons, steps = project.items("lesson"), project.items("step")
    sectors = dict.fromkeys(site.sector_of(t) for t in seen["ptype"])
    values: dict[str, dict[str, str]] = {
        "area": {str(a): site.label("policy_area", a) for a in seen["area"]},
        "ptype": {str(t): site.label("partner_type", t) for t in seen["ptype"]},
        "sector": {s: site.label("sector", s) for s in sectors},
        "country": {c: site.country(c) for c in seen["country"]},
        "scope": {str(x): site.label("scope", x) for x in seen["scope"]},
        "form": {str(f): site.label("alliance_form", f) for f in seen["form"]},
        "lesson": {i: lessons[i].title for i in seen["lesson"]},
        "step": {i: steps[i].title for i in seen["step"]},
    }
    return [(k, site.translate(FACETS[k]), sorted(v.items(), key=lambda kv: kv[1].casefold())) for k, v in values.items() if v]


def facet_values(site: Site, case: Any) -> dict[str, list[str]]:
    """What a case's card says for each filter group (its data-* attributes)."""
    loc = case.location
    return {
        "area": [str(a) for a in case.policy_areas],
        "ptype": sorted({str(p.type) for p in case.partners}),
        "sector": sorted({site.sector_of(p.type) for p in case.partners}),
        "country": [loc.country] if loc and loc.country else [],
        "scope": [str(loc.scope)] if loc and loc.scope else [],
        "form": [str(case.alliance_form)] if case.alliance_form else [],
        "lesson": [r.lesson for r in case.lessons],
        "step": list(case.steps or []),
    }


def search_fields(site: Site, case: Any) -> list[tuple[str, str]]:
    """(what, text) pairs a reader may search a case by, beyond its card."""
    _ = site.translate
    lessons, steps = site.project.items("lesson"), site.project.items("step")
    out: list[tuple[str, str]] = [(_("Partner"), p.name) for p in case.partners]
    out += [(_("Tag"), tag) for tag in case.tags or []]
    loc = case.location
    if loc:
        place = ", ".join(x for x in (loc.city, loc.region, site.country(loc.country or "")) if x)
        if place:
            out.append((_("Place"), place))
    out += [(_("Lesson"), lessons[r.lesson].title) for r in case.lessons if r.lesson in lessons]
    out += [(_("Step"), steps[s].title) for s in case.steps or [] if s in steps]
    out += [(_("Challenge"), searchable(case.challenge)), (_("Approach"), searchable(case.approach))]
    out += [(_("Outcome"), " ".join(x for x in (o.indicator, o.description) if x)) for o in case.outcomes]
    out += [(_("Voices from the alliance"), f.quote) for f in case.feedback or []]
    out += [(_("Contribution"), p.contribution) for p in case.partners if p.contribution]
    return [(what, text) for what, text in out if text]


def _json(value: Any) -> str:
    # JSON is JavaScript; "<" escaped all the same, for any reader that looks for tags.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _by_case(site: Site, name: str, variable: str, cases: Any, key: Any, make: Any, head: str = "", tail: str = "") -> str:
    """``window.<variable> = <head>{"case id": value, ...}<tail>;``: what
    ``json.dumps`` of the mapping writes (compact), with each case's entry kept
    between a preview's rebuilds while the case (and ``key(case)``) is
    unchanged (see :func:`memo`), and the whole text joined once."""
    parts = [f"window.{variable} = {head}{{"]
    for case in cases:
        parts += (memo(site, name, case, key(case), lambda case=case: f"{_json(case.id)}:{_json(make(case))}"), ",")
    if len(parts) > 1:
        parts.pop()  # the comma after the last case
    parts.append(f"}}{tail};\n")
    return "".join(parts)


def search_script(site: Site) -> str:
    """The search text of every case, as a script that sets
    ``window.AlliancePlaybookCaseText`` to {case id: [[what, text], ...]}."""
    lessons, steps = site.project.items("lesson"), site.project.items("step")

    def titles(case: Any) -> tuple[tuple[str, ...], ...]:
        return (tuple(getattr(lessons.get(r.lesson), "title", "") for r in case.lessons),
                tuple(getattr(steps.get(s), "title", "") for s in case.steps or ()), tuple(case.tags or ()))

    return _by_case(site, "search.json", "AlliancePlaybookCaseText", site.project.items("case").values(), titles,
                    lambda case: search_fields(site, case))


def rows_script(site: Site, columns: list[str], cases: Any, row: Any) -> str:
    """The catalogue row of every case, as a script that sets
    ``window.AlliancePlaybookCaseRows`` to {columns, cases: {id: {cells, record}}}:
    ``cells`` exactly as in ``data/casestudies.csv``, ``record`` typed (for
    the JSON download), from ``row(case)``. A script, not a JSON file: it
    loads from ``file://``."""
    def entry(case: Any) -> dict[str, Any]:
        cells, record = row(case)
        return {"cells": cells, "record": record}

    return _by_case(site, "rows.json", "AlliancePlaybookCaseRows", cases, lambda case: tuple(case.tags or ()), entry,
                    head='{"columns":' + _json(columns) + ',"cases":', tail="}")


def compact(site: Site) -> bool:
    """Whether the index lists its cases as links and draws the cards from :data:`CARDS_SCRIPT`."""
    return len(site.project.cases) > CARD_LIMIT


def card_meta(site: Site, case: Any) -> str:
    """A card's line under its summary: place · scope · policy areas · partners (plain text)."""
    loc = case.location
    place = ", ".join(x for x in ((loc.city, loc.region, site.country(loc.country)) if loc else ()) if x)
    where = " · ".join(x for x in (place, site.label("scope", loc.scope) if loc else "") if x)
    areas = ", ".join(site.label("policy_area", a) for a in case.policy_areas)
    partners = site.translate("{n} partners", n=len(case.partners))
    return " · ".join(x for x in (where, areas, partners) if x)


def cards_script(site: Site) -> str:
    """What casefilter.js draws each card from, as a script that sets
    ``window.AlliancePlaybookCards`` to {case id: {summary, meta, facets, lang, draft}}."""
    def card(case: Any) -> dict[str, Any]:
        return {"summary": case.summary, "meta": card_meta(site, case), "facets": facet_values(site, case),
                "lang": case.language or "", "draft": bool(case.is_draft)}

    return _by_case(site, "cards.json", "AlliancePlaybookCards", site.project.cases.values(), lambda case: tuple(case.tags or ()), card)
