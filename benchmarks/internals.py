"""Time our own work on a project, stage by stage, without MkDocs.

Runs in a fresh subprocess per measurement (``run.py`` starts it), so imports
and caches from one measurement never help the next. Prints one JSON object:
wall and CPU seconds for load + validate (``load_project``), the link graph
(``build_graph``), rendering every generated page to Markdown
(``PageRenderer.pages``, as the plugin calls it: Markdown fields are left to
MkDocs when the renderer can defer them) and the data exports
(``data_files``); and, apart, ``pages()`` as ``alliance generate`` calls it
(every Markdown field rendered by us).

Usage: python benchmarks/internals.py PROJECT_DIR [--graph-repeats K]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("--graph-repeats", type=int, default=5, help="build_graph is fast: take the median of K runs")
    args = parser.parse_args(argv)

    # Imports are timed apart: they are paid once per process, not per case.
    _, import_wall, import_cpu = _timed(lambda: __import__("alliance_playbook.render.site"))
    from alliance_playbook.graph import build_graph
    from alliance_playbook.project import load_project
    from alliance_playbook.render.site import PageRenderer, RenderOptions

    root = args.project.resolve()
    project, load_wall, load_cpu = _timed(lambda: load_project(root))
    import gc

    gc.freeze()  # as the plugin does after loading (see its on_config)
    graphs = [_timed(lambda: build_graph(project)) for _ in range(max(1, args.graph_repeats))]
    graph = graphs[0][0]
    graph_wall = sorted(g[1] for g in graphs)[len(graphs) // 2]
    graph_cpu = sorted(g[2] for g in graphs)[len(graphs) // 2]
    # As the plugin renders: with a defer nonce (when this version has one), the
    # Markdown fields are left to MkDocs' own Markdown pass and not rendered here.
    plugin_mode = "defer_nonce" in {f.name for f in dataclasses.fields(RenderOptions)}
    extra = {"defer_nonce": "0123456789abcdef"} if plugin_mode else {}
    options = RenderOptions(site_name="Alliance Playbook", template_dirs=[root / "overrides/alliance"], **extra)
    renderer, init_wall, init_cpu = _timed(lambda: PageRenderer(project, options, graph=graph))
    pages, render_wall, render_cpu = _timed(renderer.pages)
    data, data_wall, data_cpu = _timed(renderer.data_files)
    # As `alliance generate` renders: every Markdown field rendered by us.
    generate = PageRenderer(project, RenderOptions(site_name="Alliance Playbook", template_dirs=[root / "overrides/alliance"]), graph=graph)
    _, gen_wall, gen_cpu = _timed(generate.pages)
    print(json.dumps({
        "cases": len(project.cases),
        "pages": len(pages),
        "markdown_bytes": sum(len(p.content.encode()) for p in pages),
        "import": [import_wall, import_cpu],
        "load": [load_wall, load_cpu],
        "graph": [graph_wall, graph_cpu],
        "renderer_init": [init_wall, init_cpu],
        "render": [render_wall, render_cpu],
        "data": [data_wall, data_cpu],
        "plugin_mode": plugin_mode,
        "render_generate": [gen_wall, gen_cpu],
        "total": [load_wall + graph_wall + init_wall + render_wall + data_wall, load_cpu + graph_cpu + init_cpu + render_cpu + data_cpu],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
