"""Where a build's CPU time goes, without a profiler's distortion.

Runs one ``mkdocs build`` in this process with light timers around each
plugin event method (per plugin), the Markdown conversion of each page
(``Page.render``) and the rest of each page's build (theme template, writing
the file). Timers are exclusive: an inner region is not counted in the outer
one. A profiler slows Python code several times and unevenly; these timers
add a few microseconds per call. Prints one JSON object of CPU seconds.

Usage: python benchmarks/attribute.py PROJECT_DIR SITE_DIR
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

_totals: dict[str, float] = defaultdict(float)
_stack: list[list] = []  # [name, start, time spent in children]


def _enter(name: str) -> None:
    _stack.append([name, time.process_time(), 0.0])


def _leave() -> None:
    name, start, children = _stack.pop()
    spent = time.process_time() - start
    _totals[name] += spent - children
    if _stack:
        _stack[-1][2] += spent


def _timed(name: str, fn):
    def wrapper(*args, **kwargs):
        _enter(name)
        try:
            return fn(*args, **kwargs)
        finally:
            _leave()
    return wrapper


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    project, site = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    cpu0 = time.process_time()
    from mkdocs.commands import build as build_mod
    from mkdocs.config import load_config
    from mkdocs.plugins import PluginCollection
    from mkdocs.structure.pages import Page

    def run_event(self, name, item=None, **kwargs):  # as MkDocs 1.6.1 does, with a timer per method
        pass_item = item is not None
        for method in self.events[name]:
            self._current_plugin = self._event_origins.get(method, "<unknown>")
            owner = type(getattr(method, "__self__", method)).__module__.split(".")[0]
            _enter(f"plugin {owner}: {name}")
            try:
                result = method(item, **kwargs) if pass_item else method(**kwargs)
            finally:
                _leave()
            if result is not None:
                item = result
        self._current_plugin = None
        return item

    PluginCollection.run_event = run_event  # type: ignore[method-assign]
    Page.render = _timed("mkdocs: Markdown to HTML (Page.render)", Page.render)  # type: ignore[method-assign]
    build_mod._build_page = _timed("mkdocs: theme template + write, per page", build_mod._build_page)
    build_mod._populate_page = _timed("mkdocs: read page, front matter", build_mod._populate_page)
    import jinja2

    # Theme templates are compiled anew in every build (no bytecode cache), serve rebuilds included.
    jinja2.Environment.compile = _timed("jinja2: compiling templates (theme and ours)", jinja2.Environment.compile)  # type: ignore[method-assign]
    imports = time.process_time() - cpu0

    start = time.process_time()
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
    _enter("mkdocs: config, files, nav, static files, other")
    build_mod.build(config)
    _leave()
    total = time.process_time() - start
    print(json.dumps({"imports": imports, "total": total, "parts": dict(sorted(_totals.items(), key=lambda kv: -kv[1]))}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
