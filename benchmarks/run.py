"""``make bench``: time our build against a plain MkDocs build and mkdocs-gen-files.

For each size N (10, 100, 1000; 3000 too with BENCH_FULL=1) it generates a
project with N case studies (``synth.py``), checks it with ``alliance check``,
and measures, in the same run and alternating between variants:

- ours: ``mkdocs build`` with the alliance plugin (ALLIANCE_PDF=0, and ALLIANCE_OFFLINE_ZIP=0:
  the offline copy is a second site, which plain MkDocs does not make);
- plain: the same pages written by ``alliance generate --config``, built by
  MkDocs without our plugin (ours/plain is the plugin's overhead);
- gen-files: the usual approach, ``genfiles_pages.py`` run by mkdocs-gen-files,
  every case listed in the sidebar;
- our own stages in Python (``internals.py``): load + validate, link graph,
  render to Markdown;
- ``alliance check``; peak memory of every child (ru_maxrss from wait4);
- ``mkdocs serve``: time from saving one case YAML until its page is served
  with the new text (N >= 100);
- PDF builds, when the alliance-pdf plugin and mkdocs-to-pdf are installed.

Every process is timed in wall-clock seconds and in CPU seconds (user + sys of
the child). On a busy machine the wall time grows with the load while the CPU
time does not, so targets are judged on CPU time when the load average is
above the core count (the report says which). Results go to
benchmarks/RESULTS.md and are printed. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata, util
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
PY = sys.executable
sys.path.insert(0, str(BENCH))
import scale  # noqa: E402
import synth  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ALLIANCE_PDF": "0"}
# mkdocs serve polls for changes every 0.5 s and waits 0.1 s before building:
# 0.35 s on average between saving a file and the start of the rebuild.
WATCH_DELAY = 0.35
TARGETS = {
    "speedup_vs_genfiles": 3.0,      # ours at N=1000 at least 3x faster than gen-files
    "per_case_ms": 2.0,              # our stages per case at N=1000
    "scaling": 11.0,                 # our stages N=1000 / N=100
    "check_s": 2.0,                  # alliance check at N=1000
    "serve_s": 2.0,                  # serve rebuild at N=100
    "pdf_seed_s": 15.0,              # the seed guide's PDF adds less than this to a build
    "pdf_speedup": 5.8,
    "serve_1000_s": 1.5,             # partial serve rebuild at N=1000 (issue #19)
    "serve_3000_s": 3.0,             # and at N=3000
    "search_1000_s": 0.3,            # first search results at N=1000
    "search_10000_s": 0.5,           # and at N=10000
    "memory_ratio": 1.3,             # our build's peak memory / plain MkDocs', N=1000              # ~400 site pages: mkdocs-to-pdf / ours, PDF time (5.8x when #17 was filed)
}


# ----- measuring child processes ---------------------------------------------------------
@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float
    rc: int = 0
    log: str = ""
    #: Peak of the summed RSS of the command and every process it started
    #: (sampled 5 times a second); ``rss_mb`` is the largest single process.
    tree_rss_mb: float = 0.0


def _group_rss_mb(group: int) -> float:
    """Summed RSS of the processes in process group ``group`` (Linux /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:  # pgrp
                total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")  # rss, in pages
        except (OSError, IndexError, ValueError):
            continue
    return total / 2**20


class _TreeMemory(threading.Thread):
    def __init__(self, group: int) -> None:
        super().__init__(daemon=True)
        self.group, self.peak, self.done = group, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.peak = max(self.peak, _group_rss_mb(self.group))


@dataclass
class Series:
    """Several samples of one measurement; medians are what the report shows."""

    samples: list[Sample] = field(default_factory=list)

    def add(self, s: Sample) -> None:
        self.samples.append(s)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return max(s.rss_mb for s in self.samples)

    @property
    def tree_rss_mb(self) -> float:
        return max(s.tree_rss_mb for s in self.samples)

    def __len__(self) -> int:
        return len(self.samples)


def measure(cmd: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None, timeout: float = 3600) -> Sample:
    """Run ``cmd``; wall time, CPU time and peak RSS of that child alone (wait4)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env or ENV, start_new_session=True)
        timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        timer.start()
        memory = _TreeMemory(proc.pid) if Path("/proc/self/stat").exists() else None
        if memory:
            memory.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            if memory:
                memory.done.set()
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss / 1024
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss, proc.returncode, str(log), max(rss, memory.peak if memory else 0.0))


def must(sample: Sample, what: str) -> Sample:
    if sample.rc != 0:
        tail = Path(sample.log).read_text(errors="replace")[-3000:]
        raise SystemExit(f"benchmark: {what} failed (exit {sample.rc}); log {sample.log}:\n{tail}")
    return sample


def mkdocs_build(cwd: Path, site: Path, log: Path, env: dict[str, str] | None = None) -> Sample:
    return measure([PY, "-m", "mkdocs", "build", "--clean", "-q", "-d", str(site)], cwd, log, env)


# ----- projects --------------------------------------------------------------------------
def prepare(n: int) -> dict:
    """The synthetic project, its plain-Markdown twin and its gen-files twin, for size n."""
    base = WORK / f"n{n}"
    stamp = base / "stamp.json"
    key = {"synth": synth.VERSION, "n": n, "seed_mtime": max(p.stat().st_mtime for p in (ROOT / "content").rglob("*")),
           "genfiles": (BENCH / "genfiles_pages.py").stat().st_mtime, "mkdocs_yml": (ROOT / "mkdocs.yml").stat().st_mtime}
    info: dict = {}
    if stamp.is_file():
        saved = json.loads(stamp.read_text())
        if saved.get("key") == key:
            info = saved["info"]
    if not info:
        if base.exists():
            shutil.rmtree(base)
        print(f"  generating {n} case studies ...", flush=True)
        t = time.perf_counter()
        info = synth.make_project(base / "project", n)
        info["generate_s"] = time.perf_counter() - t
        _genfiles_project(base)
        base.mkdir(parents=True, exist_ok=True)
        stamp.write_text(json.dumps({"key": key, "info": info}))
    # `alliance generate` is rerun every time: it is part of what is measured.
    # It only replaces a folder it wrote (marked .alliance-generated); a
    # plain/ from before the marker is the benchmark's own, so it goes.
    if (base / "plain").is_dir() and not (base / "plain" / ".alliance-generated").exists():
        shutil.rmtree(base / "plain")
    gen = must(measure([PY, "-m", "alliance_playbook", "generate", "project", "--out", "plain", "--config"], base, base / "logs/generate.log"), "alliance generate")
    info["alliance_generate"] = [gen.wall, gen.cpu]
    info["pages_md_bytes_plain"] = sum(p.stat().st_size for p in (base / "plain/docs").rglob("*.md"))
    return info


def _genfiles_project(base: Path) -> None:
    """mkdocs.yml (same theme and extensions, gen-files instead of our plugin, a nav of every page) and data links."""
    import yaml

    from alliance_playbook.adapters.generate import read_mkdocs_config

    gf = base / "genfiles"
    (gf / "docs").mkdir(parents=True, exist_ok=True)
    data = gf / "data"
    data.mkdir(exist_ok=True)
    project = base / "project"
    for name, target in (("casestudies", project / "casestudies"), ("lessons", project / "content/lessons"),
                         ("playbook", project / "content/playbook"), ("worksheets", project / "content/worksheets"),
                         ("pages", project / "content")):
        (data / name).symlink_to(target.resolve())
    config = read_mkdocs_config(project / "mkdocs.yml")
    config = {k: v for k, v in config.items() if k not in ("plugins", "nav", "strict", "docs_dir")}
    config["docs_dir"] = "docs"
    config["plugins"] = ["search", "tags", {"gen-files": {"scripts": [str(BENCH / "genfiles_pages.py")]}}]
    seed_nav = read_mkdocs_config(ROOT / "mkdocs.yml").get("nav") or []
    phases = yaml.safe_load((project / "content/playbook/phases.yml").read_text())
    steps = {p.stem: yaml.safe_load(p.read_text()) for p in sorted((project / "content/playbook/steps").glob("*.yml"))}
    playbook: list = ["playbook/index.md"]
    for ph in phases:
        mine = sorted((s for s in steps.items() if s[1]["phase"] == ph["id"]), key=lambda kv: (kv[1].get("order", 99), kv[1]["title"]))
        playbook.append({ph["title"]: [f"playbook/{ph['id']}/index.md"] + [f"playbook/{ph['id']}/{k}.md" for k, _ in mine]})
    lessons = sorted(p.stem for p in (project / "content/lessons").glob("*.yml"))
    cases = sorted(p.stem for p in (project / "casestudies").glob("*.yml"))
    config["nav"] = list(seed_nav) + [
        {"Playbook": playbook},
        {"Lessons": ["lessons/index.md"] + [f"lessons/{l}.md" for l in lessons]},
        {"Case studies": ["casestudies/index.md"] + [f"casestudies/{c}.md" for c in cases]},
    ]
    (gf / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


# ----- mkdocs serve ----------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_rebuilds(project: Path, case_ids: list[str], log: Path, rounds: int = 3, timeout: float = 900, partial: bool = True) -> dict:
    """Save one case YAML at a time; time until its page is served with the new text
    (``partial``: with the preview's partial rebuild, else every page each time)."""
    port = _free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "wb")  # noqa: SIM115 - held open for the server's whole life, closed in finally
    proc = subprocess.Popen([PY, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
                            cwd=project, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                            env={**ENV, "ALLIANCE_PARTIAL_PREVIEW": "1" if partial else "0"})
    originals: dict[Path, str] = {}
    result: dict = {"served": [], "served_cpu": [], "logged": []}
    try:
        url = f"http://127.0.0.1:{port}/casestudies/{case_ids[0]}/"
        start = time.perf_counter()
        while _get(url) is None:
            if proc.poll() is not None or time.perf_counter() - start > timeout:
                raise RuntimeError(f"mkdocs serve did not come up (see {log})")
            time.sleep(0.2)
        result["first_build"] = time.perf_counter() - start
        for r in range(rounds):
            cid = case_ids[r % len(case_ids)]
            path = project / "casestudies" / f"{cid}.yml"
            text = originals.setdefault(path, path.read_text(encoding="utf-8"))
            marker = f"benchedit{r}t{int(time.time() * 1000)}"
            builds_before = _count_builds(log)
            errors_before = log.read_text(errors="replace").count("error happened during the rebuild")
            cpu0, t0 = _cpu_of(proc.pid), time.perf_counter()
            path.write_text(_with_summary_prefix(text, marker), encoding="utf-8")
            page = f"http://127.0.0.1:{port}/casestudies/{cid}/"
            while True:
                body = _get(page)
                if body is not None and marker in body:
                    break
                if proc.poll() is not None or time.perf_counter() - t0 > timeout:
                    raise RuntimeError(f"the edited page was not served within {timeout} s (see {log})")
                if log.read_text(errors="replace").count("error happened during the rebuild") > errors_before:
                    raise RuntimeError(f"the rebuild failed (see {log})")
                time.sleep(0.05)
            result["served"].append(time.perf_counter() - t0)
            # Let the whole rebuild finish (the page may be written before the last one).
            while _count_builds(log) <= builds_before and time.perf_counter() - t0 < timeout:
                time.sleep(0.05)
            result["logged"].append(time.perf_counter() - t0)
            result["served_cpu"].append(_cpu_of(proc.pid) - cpu0)
            time.sleep(1.0)
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        out.close()
    return result


def _with_summary_prefix(text: str, marker: str) -> str:
    """The case file with ``marker`` put in front of its (one-line) summary, quoted safely."""
    import yaml

    summary = yaml.safe_load(text)["summary"]
    line = "summary: " + json.dumps(f"{marker} {summary}", ensure_ascii=False)  # JSON is valid YAML
    edited, count = re.subn(r"^summary:.*$", lambda _: line, text, count=1, flags=re.M)
    if count != 1 or yaml.safe_load(edited)["summary"] != f"{marker} {summary}":
        raise RuntimeError("cannot edit the summary of this case file in place")
    return edited


def _count_builds(log: Path) -> int:
    return log.read_text(errors="replace").count("Reloading browsers")


# ----- PDF -------------------------------------------------------------------------------
def _with_plugin(config_path: Path, entry) -> None:
    """Add a plugin entry to a copied mkdocs.yml (text edit: keeps !ENV tags)."""
    text = config_path.read_text(encoding="utf-8")
    name = entry if isinstance(entry, str) else next(iter(entry))
    if re.search(rf"^\s*-\s*{re.escape(name)}\b", text, re.M):
        return
    line = f"  - {name}" if isinstance(entry, str) else f"  - {name}: {json.dumps(entry[name])}"
    text = re.sub(r"^plugins:\s*\n", lambda m: m.group(0) + line + "\n", text, count=1, flags=re.M)
    config_path.write_text(text, encoding="utf-8")


def _pdf_pages(path: Path) -> int | None:
    try:
        from pypdf import PdfReader

        return len(PdfReader(str(path)).pages)
    except Exception:  # noqa: BLE001 - only a count for the report
        return None


def pdf_benchmarks(repeats: int, large: bool) -> list[dict]:
    """alliance-pdf and mkdocs-to-pdf: build time with and without the PDF, on the seed guide (and ~400 pages)."""
    rows: list[dict] = []
    ours = util.find_spec("alliance_playbook.adapters.pdf_plugin") is not None
    try:
        metadata.version("mkdocs-to-pdf")
        to_pdf = True
    except metadata.PackageNotFoundError:
        to_pdf = False
    sites: list[tuple[str, int | None]] = [("seed guide", None)]
    if large:
        sites.append(("~400 site pages", 335))
    for label, n in sites:
        base = WORK / ("pdf-seed" if n is None else f"pdf-n{n}")
        if n is None:
            if base.exists():
                shutil.rmtree(base)
            base.mkdir(parents=True)
            for name in ("mkdocs.yml", "content", "casestudies"):
                (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, base / name)
        elif not (base / "mkdocs.yml").is_file():
            synth.make_project(base, n)
        for variant, available, reason in (
            ("alliance-pdf", ours, "plugins/alliance_playbook/adapters/pdf_plugin.py is not there yet"),
            ("mkdocs-to-pdf", to_pdf, "mkdocs-to-pdf is not installed (pip install mkdocs-to-pdf: WeasyPrint, no browser)"),
        ):
            if not available:
                rows.append({"site": label, "variant": variant, "skipped": reason})
                continue
            proj = WORK / f"pdf-{variant}-{base.name}"
            if proj.exists():
                shutil.rmtree(proj)
            shutil.copytree(base, proj, symlinks=True)
            config = proj / "mkdocs.yml"
            if n is not None:
                # Every case in the sidebar, so mkdocs-to-pdf (which prints only
                # the navigation) gets the same content as ours (which prints
                # every page): otherwise it silently leaves most cases out.
                config.write_text(config.read_text(encoding="utf-8").replace("  - alliance:\n", "  - alliance:\n      nav_limit: 100000\n", 1), encoding="utf-8")
            if variant == "alliance-pdf":
                _with_plugin(config, "alliance-pdf")
                on, off, name = {**ENV, "ALLIANCE_PDF": "1"}, ENV, None
            else:
                # mkdocs-to-pdf fails a strict build over links it cannot place (Material's tag links): not strict here.
                config.write_text(re.sub(r"^strict:.*$", "strict: false", config.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
                _with_plugin(config, {"to-pdf": {"enabled_if_env": "ENABLE_PDF_EXPORT", "output_path": "pdf/to-pdf.pdf"}})
                on, off, name = {**ENV, "ENABLE_PDF_EXPORT": "1"}, ENV, "to-pdf.pdf"
            with_pdf, without, found = Series(), Series(), {}
            load_before: list[float] = []
            try:
                for r in range(repeats):
                    for which in (("on", "off") if r % 2 == 0 else ("off", "on")):
                        load_before.append(_settle())
                        s = mkdocs_build(proj, proj / "site", WORK / "logs" / f"{proj.name}-{which}-{r}.log", on if which == "on" else off)
                        if s.rc != 0:
                            raise RuntimeError(f"exit {s.rc}, log {s.log}")
                        (with_pdf if which == "on" else without).add(s)
                        if which == "on":
                            pdfs = [p for p in sorted((proj / "site/pdf").glob("*.pdf")) if name is None or p.name == name]
                            found = {"pdf_pages": _pdf_pages(pdfs[0]) if pdfs else None,
                                     "pdf_mb": pdfs[0].stat().st_size / 1e6 if pdfs else None,
                                     "site_pages": sum(1 for _ in (proj / "site").rglob("index.html"))}
            except RuntimeError as exc:
                rows.append({"site": label, "variant": variant, "failed": str(exc)})
                continue
            rows.append({"site": label, "variant": variant, "repeats": len(with_pdf), "with": with_pdf, "without": without,
                         "load_before": max(load_before), **found})
            print(f"  {label}, {variant}: PDF adds {with_pdf.wall - without.wall:.1f} s wall", flush=True)
    return rows


def _settle(limit: float = 0.6, most: float = 90.0) -> float:
    """Wait (up to ``most`` seconds) for the 1-minute load average to drop below ``limit``.

    The PDF rows are judged on wall time (laying out on every core is the
    point), so each run starts on a quiet machine: a run just before (ours
    uses both cores) keeps the load average up for a minute.
    """
    end = time.monotonic() + most
    while os.getloadavg()[0] > limit and time.monotonic() < end:
        time.sleep(5)
    return os.getloadavg()[0]


# ----- attribution ---------------------------------------------------------------------
def attribution(n: int) -> dict:
    """CPU seconds by part of the build (attribute.py), for ours, plain and gen-files at size n."""
    base = WORK / f"n{n}"
    out = {}
    for name, folder in (("ours", "project"), ("plain", "plain"), ("genfiles", "genfiles")):
        s = must(measure([PY, str(BENCH / "attribute.py"), ".", str(base / f"site-attr-{name}")], base / folder, base / f"logs/attribute-{name}.log"), f"attribute.py {name}")
        out[name] = json.loads(Path(s.log).read_text().strip().splitlines()[-1])
    return out


# ----- profile ---------------------------------------------------------------------------
GROUPS = (
    ("alliance_playbook (ours)", ("alliance_playbook",)),
    ("our templates (*.md.j2)", (".md.j2",)),
    ("Material templates (*.html)", (".html",)),
    ("mkdocs", ("/mkdocs/",)),
    ("material (Python)", ("/material/",)),
    ("Markdown + pymdownx", ("/markdown/", "/pymdownx/")),
    ("jinja2", ("/jinja2/",)),
    ("pydantic", ("/pydantic",)),
    ("yaml", ("/yaml/",)),
    ("built-ins (re, str, nh3, ...)", ("~",)),
)


def profile_build(n: int) -> dict:
    """cProfile one build of ours at size n: time by package and our top functions."""
    base = WORK / f"n{n}"
    out = base / "profile.pstats"
    must(measure([PY, "-m", "cProfile", "-o", str(out), "-m", "mkdocs", "build", "-q", "-d", str(base / "site-profile")],
                 base / "project", base / "logs/profile.log"), "profiled build")
    stats = pstats.Stats(str(out))
    total = stats.total_tt  # type: ignore[attr-defined]
    groups: dict[str, float] = {}
    for (path, _line, _func), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        name = next((g for g, keys in GROUPS if any(k in path for k in keys)), "other (stdlib, ...)")
        groups[name] = groups.get(name, 0.0) + tt
    ours = [(ct, path, line, func, nc) for (path, line, func), (_cc, nc, _tt, ct, _c) in stats.stats.items()  # type: ignore[attr-defined]
            if "alliance_playbook" in path or path.endswith(".md.j2")]
    ours.sort(reverse=True)
    top = [(f"{_short(path)}:{line}({func})", nc, ct) for ct, path, line, func, nc in ours[:20]]
    mk = [(ct, path, line, func, nc) for (path, line, func), (_cc, nc, _tt, ct, _c) in stats.stats.items()  # type: ignore[attr-defined]
          if "/mkdocs/" in path or "/material/" in path or path.endswith(".html")]
    mk.sort(reverse=True)
    top_mk = [(f"{_short(path)}:{line}({func})", nc, ct) for ct, path, line, func, nc in mk[:12]]
    return {"n": n, "total": total, "groups": sorted(groups.items(), key=lambda kv: -kv[1]), "ours": top, "mkdocs": top_mk}


def _short(path: str) -> str:
    for marker in ("alliance_playbook/", "site-packages/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


# ----- machine ---------------------------------------------------------------------------
def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    versions = {}
    for pkg in ("alliance-playbook", "mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown", "Jinja2", "pydantic",
                "PyYAML", "nh3", "mkdocs-gen-files", "weasyprint", "mkdocs-to-pdf"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "not installed"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "os": platform.platform(), "versions": versions}


def source_digest() -> str:
    """A short hash of our package's files: tells whether the code changed during a run."""
    import hashlib

    h = hashlib.sha1()
    package = ROOT / "plugins" / "alliance_playbook"
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


# ----- report ----------------------------------------------------------------------------
def fmt_s(x: float | None) -> str:
    return "–" if x is None else (f"{x:.2f} s" if x < 100 else f"{x:.0f} s")


def verdict(ok: bool) -> str:
    return "**PASS**" if ok else "**FAIL**"


def waited(results: dict) -> float:
    """How much longer than its CPU time the slowest single-process build
    took (plain MkDocs and gen-files run in one process: on an idle machine
    their wall time is their CPU time). 0 when no build was measured."""
    ratios = [series.wall / series.cpu for b in results["builds"].values() for name in ("plain", "genfiles")
              if len(series := b.get(name) or Series()) and series.cpu > 0.5]
    return max(ratios, default=0.0)


def contended(results: dict) -> bool:
    """Whether other work shared the CPU: a single-process build waited
    more than 10 % beyond its CPU time. The load average alone cannot say:
    our own build runs the search indexer beside MkDocs, two processes on
    two cores, which raise it as other work would. Without builds, the load
    average above the core count decides."""
    ratio = waited(results)
    return ratio > 1.10 if ratio else results["load_max"] > (results["machine"]["cores"] or 1)


def report(results: dict) -> str:
    m = results["machine"]
    busy = contended(results)
    judge = "cpu" if busy else "wall"
    L: list[str] = []
    L += ["# Benchmark results", "",
          f"Written by `make bench` (`benchmarks/run.py`) on {results['date']}; sizes {', '.join(str(n) for n in results['sizes'])}; "
          f"{results['repeats']} alternating runs per variant (median), fewer where noted. How to read it: `benchmarks/README.md`.", ""]
    L += ["## Machine", "",
          f"- CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory']}; Python {m['python']}; {m['os']}",
          "- " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()),
          f"- Our package's source (plugins/alliance_playbook) digest {results['digest'][0]}"
          + (" (unchanged during the run)" if results["digest"][0] == results["digest"][1]
             else f", **changed during the run** (now {results['digest'][1]}): rows measured before and after the change are not comparable"),
          f"- Load average during the run: {results['load_min']:.1f} to {results['load_max']:.1f}; the single-process builds' wall time "
          f"was at most {waited(results):.2f} times their CPU time "
          + ("(other work shared the CPU, so wall times are inflated and targets are judged on **CPU time**, "
             "the user + system seconds of the measured process, which is what its wall time is on an idle machine)" if busy
             else "(idle enough: targets are judged on wall time)"), ""]
    t = results["targets"]
    L += ["## Targets", "", "| target | measured | goal | result |", "|---|---|---|---|"]
    L += [f"| {row[0]} | {row[1]} | {row[2]} | {row[3]} |" for row in t]
    L += ["", f"(judged on {judge} time)", ""]

    L += ["## Full builds (seconds, median; wall / CPU; peak RSS)", "",
          "| N | cases | ours (alliance plugin) | plain MkDocs, same pages | ours / plain | gen-files, every case in nav | gen-files / ours | runs |",
          "|---|---|---|---|---|---|---|---|"]
    for n in results["sizes"]:
        b = results["builds"].get(n)
        if not b:
            continue
        o, p, g = b["ours"], b["plain"], b["genfiles"]
        L.append(f"| {n} | {b['info']['cases']} | {fmt_s(o.wall)} / {fmt_s(o.cpu)}; {o.rss_mb:.0f} MB | {fmt_s(p.wall)} / {fmt_s(p.cpu)}; {p.rss_mb:.0f} MB "
                 f"| {getattr(o, judge) / getattr(p, judge):.2f} | {fmt_s(g.wall)} / {fmt_s(g.cpu)}; {g.rss_mb:.0f} MB | {getattr(g, judge) / getattr(o, judge):.2f}x "
                 f"| {len(o)}/{len(p)}/{len(g)} |")
    L += ["", "Content per size (synthetic, `benchmarks/synth.py`): "
          + "; ".join(f"N={n}: {b['info']['steps']} steps, {b['info']['lessons']} lessons, case files {b['info']['words_min']}–{b['info']['words_max']} words "
                      f"(mean {b['info']['words_mean']}), generated Markdown {b['info']['pages_md_bytes_plain'] / 1e6:.1f} MB"
                      for n, b in results["builds"].items()) + ".", ""]

    L += ["## Our own stages (in Python, no MkDocs; seconds, median)", "",
          "| N | load + validate | link graph | render to Markdown | data exports | total | per case | (render as `alliance generate`) | check (wall / CPU; RSS) | RSS |",
          "|---|---|---|---|---|---|---|---|---|---|"]
    for n in results["sizes"]:
        s = results["stages"].get(n)
        if not s:
            continue
        c = results["check"][n]
        k = 1 if judge == "cpu" else 0
        per = s["total"][k] / s["cases"] * 1000
        L.append(f"| {n} | {s['load'][k]:.3f} | {s['graph'][k]:.4f} | {s['render'][k] + s['renderer_init'][k]:.3f} | {s['data'][k]:.3f} "
                 f"| {s['total'][k]:.3f} | {per:.2f} ms | {s['render_generate'][k]:.3f} | {fmt_s(c.wall)} / {fmt_s(c.cpu)}; {c.rss_mb:.0f} MB | {s['rss_mb']:.0f} MB |")
    if results["stages"]:
        first = results["stages"][results["sizes"][0]]
        L += ["", f"({'CPU' if k else 'wall'} seconds; imports, about {first['import'][k]:.2f} s, are not included. "
              + ("Render to Markdown is timed as the plugin calls it: Markdown fields are left to MkDocs' own Markdown pass, "
                 "so their cost shows in the builds above, not here; the column in brackets renders them too, as `alliance generate` does.)"
                 if first.get("plugin_mode") else "Render to Markdown includes the Markdown fields.)"), ""]

    if results["graph"]:
        L += ["## Link graph growth (`build_graph`, median of 5 in one process, CPU seconds)", "", "| N | seconds | µs per case | growth vs previous N (linear = N ratio) |", "|---|---|---|---|"]
        prev = None
        for n, secs in results["graph"]:
            growth = f"{secs / prev[1]:.1f}x for {n / prev[0]:.0f}x cases" if prev else ""
            L.append(f"| {n} | {secs:.4f} | {secs / n * 1e6:.0f} | {growth} |")
            prev = (n, secs)
        L.append("")

    if results["serve"]:
        L += ["## `mkdocs serve`: saving one case YAML until its page is served with the new text", "",
              "| N | rebuild | first build | served (median, wall) | CPU of the server meanwhile | rebuild logged done | rounds |", "|---|---|---|---|---|---|---|"]
        for key, s in sorted(results["serve"].items(), key=lambda kv: (abs(kv[0]), kv[0] < 0)):
            n, how = abs(key), "partial" if key > 0 else "every page"
            if "error" in s:
                L.append(f"| {n} | {how} | error: {s['error']} | | | | |")
                continue
            L.append(f"| {n} | {how} | {fmt_s(s['first_build'])} | {fmt_s(statistics.median(s['served']))} | {fmt_s(statistics.median(s['served_cpu']))} "
                     f"| {fmt_s(statistics.median(s['logged']))} | {len(s['served'])} |")
        L.append("")

    if results.get("search"):
        L += scale.search_table(results["search"])

    L += ["## PDF", ""]
    if not results["pdf"]:
        L += ["Not run (`--skip pdf`).", ""]
    else:
        L += ["Judged on **wall** time whatever the load above (ours lays the book out on every core; mkdocs-to-pdf uses one), "
              "each run starting once the 1-minute load average is below 0.6 (the highest seen before a run is in the last column). "
              "RSS: the largest process / all processes of the build together (ours runs worker processes for the parts).", "",
              "| site | tool | build with PDF (wall / CPU; RSS) | build without | PDF adds | PDF pages (MB) | site pages | runs | load before |", "|---|---|---|---|---|---|---|---|---|"]
        for r in results["pdf"]:
            if "skipped" in r or "failed" in r:
                L.append(f"| {r['site']} | {r['variant']} | {'skipped: ' + r['skipped'] if 'skipped' in r else 'failed: ' + r['failed']} | | | | | | |")
                continue
            w, wo = r["with"], r["without"]
            L.append(f"| {r['site']} | {r['variant']} | {fmt_s(w.wall)} / {fmt_s(w.cpu)}; {w.rss_mb:.0f} / {w.tree_rss_mb:.0f} MB | {fmt_s(wo.wall)} / {fmt_s(wo.cpu)} "
                     f"| {fmt_s(w.wall - wo.wall)} | {r.get('pdf_pages')} ({(r.get('pdf_mb') or 0):.1f}) | {r.get('site_pages')} | {r['repeats']} "
                     f"| {r.get('load_before', 0):.1f} |")
        L.append("")

    if results.get("attribution"):
        n, parts = results["attribution"]
        names = sorted({k for v in parts.values() for k in v["parts"]}, key=lambda k: -max(v["parts"].get(k, 0) for v in parts.values()))
        L += [f"## Where the CPU time goes, N={n} (one build each, `benchmarks/attribute.py`: exclusive timers, no profiler)", "",
              "| part | ours | plain | gen-files |", "|---|---|---|---|"]
        for k in names:
            vals = [parts[v]["parts"].get(k, 0.0) for v in ("ours", "plain", "genfiles")]
            if max(vals) >= 0.02:
                L.append(f"| {k} | " + " | ".join(f"{x:.2f} s" for x in vals) + " |")
        L.append("| **total (in process, after imports)** | " + " | ".join(f"**{parts[v]['total']:.2f} s**" for v in ("ours", "plain", "genfiles")) + " |")
        L.append("")
    if results.get("profile"):
        p = results["profile"]
        L += [f"## Where the time goes (cProfile of one build of ours, N={p['n']}; profiling inflates Python-heavy code)", "",
              "| package | own time | share |", "|---|---|---|"]
        L += [f"| {name} | {secs:.1f} s | {secs / p['total'] * 100:.0f}% |" for name, secs in p["groups"] if secs / p["total"] >= 0.005]
        L += ["", "Top 20 cumulative entries in our package:", "", "| function | calls | cumulative |", "|---|---|---|"]
        L += [f"| `{f}` | {nc} | {ct:.2f} s |" for f, nc, ct in p["ours"]]
        L += ["", "Top MkDocs / Material entries:", "", "| function | calls | cumulative |", "|---|---|---|"]
        L += [f"| `{f}` | {nc} | {ct:.2f} s |" for f, nc, ct in p["mkdocs"]]
        L.append("")
    if results.get("notes"):
        L += ["## Notes", ""] + [f"- {note}" for note in results["notes"]] + [""]
    return "\n".join(L)


def targets(results: dict) -> list[tuple[str, str, str, str]]:
    busy = contended(results)
    k, judge = (1, "cpu") if busy else (0, "wall")
    rows = []
    b = results["builds"].get(1000)
    if b:
        speed = getattr(b["genfiles"], judge) / getattr(b["ours"], judge)
        rows.append(("N=1000: gen-files build / our build", f"{speed:.2f}x", f"≥ {TARGETS['speedup_vs_genfiles']:.0f}x", verdict(speed >= TARGETS["speedup_vs_genfiles"])))
    else:
        rows.append(("N=1000: gen-files build / our build", "not measured", "≥ 3x", "–"))
    s = results["stages"]
    if 1000 in s:
        per = s[1000]["total"][k] / s[1000]["cases"] * 1000
        rows.append(("N=1000: our stages per case (load, validate, graph, render)", f"{per:.2f} ms", f"≤ {TARGETS['per_case_ms']:.0f} ms", verdict(per <= TARGETS["per_case_ms"])))
    if 1000 in s and 100 in s:
        ratio = s[1000]["total"][k] / s[100]["total"][k]
        rows.append(("our stages N=1000 / N=100", f"{ratio:.1f}", f"≤ {TARGETS['scaling']:.0f}", verdict(ratio <= TARGETS["scaling"])))
    if 1000 in results["check"]:
        c = getattr(results["check"][1000], judge)
        rows.append(("N=1000: `alliance check`", fmt_s(c), f"< {TARGETS['check_s']:.0f} s", verdict(c < TARGETS["check_s"])))
    sv = results["serve"].get(100)
    if sv and "error" not in sv:
        v, cpu = statistics.median(sv["served"]), statistics.median(sv["served_cpu"])
        if busy:  # the server's CPU time plus the watcher's average delay is what an idle machine would show
            estimate = cpu + WATCH_DELAY
            text, ok = f"{fmt_s(estimate)} idle estimate (server CPU {cpu:.2f} s + {WATCH_DELAY} s watcher delay; {fmt_s(v)} wall)", estimate <= TARGETS["serve_s"]
        else:
            text, ok = f"{fmt_s(v)} (server CPU {cpu:.2f} s)", v <= TARGETS["serve_s"]
        rows.append(("N=100: `mkdocs serve` rebuild after one YAML edit", text, f"≤ {TARGETS['serve_s']:.0f} s", verdict(ok)))
    for n, target in ((1000, TARGETS["serve_1000_s"]), (3000, TARGETS["serve_3000_s"])):
        sv = results["serve"].get(n)
        if sv and "error" not in sv:
            v, cpu = statistics.median(sv["served"]), statistics.median(sv["served_cpu"])
            full_row = results["serve"].get(-n) or {}
            versus = f"; every page: {fmt_s(statistics.median(full_row['served']))}" if full_row.get("served") else ""
            rows.append((f"N={n}: `mkdocs serve` partial rebuild after one case edit", f"{fmt_s(v)} (server CPU {cpu:.2f} s{versus})",
                         f"< {target:.1f} s", verdict(v < target)))
    for n, row in (results.get("search") or {}).items():
        ours = row.get("pagefind", {})
        limit = TARGETS["search_1000_s"] if n <= 1000 else TARGETS["search_10000_s"]
        if "seconds" in ours:
            theirs = row.get("material", {})
            versus = f"; Material's {fmt_s(theirs['seconds'])}, {theirs['bytes'] / 1024:.0f} KB" if "seconds" in theirs else ""
            rows.append((f"N={n}: search, first results / downloaded", f"{fmt_s(ours['seconds'])} / {ours['bytes'] / 1024:.0f} KB (gzip host {ours['wire_bytes'] / 1024:.0f} KB){versus}",
                         f"< {limit:.1f} s / ≤ 300 KB", verdict(ours["seconds"] < limit and ours["bytes"] <= 300 * 1024)))
        build = ours.get("build")
        if n >= 10000 and build:
            tree = build[4] or build[2]  # every process of the build: MkDocs and the indexer's runs (when sampled)
            rows.append((f"N={n}: build (with the search index)", f"{fmt_s(build[0])}, {tree:.0f} MB (all processes; MkDocs alone {build[2]:.0f} MB)",
                         "< 180 s, < 2.5 GB", verdict(build[0] < 180 and tree < 2560)))
    b = results["builds"].get(1000)
    if b and len(b["ours"]) and len(b["plain"]):
        ratio = b["ours"].rss_mb / b["plain"].rss_mb
        tree = b["ours"].tree_rss_mb  # with the search indexer's run (a process of its own) under way
        besides = f"; all our processes together {tree:.0f} MB, the indexer's run included" if tree > b["ours"].rss_mb else ""
        rows.append(("N=1000: peak memory, ours / plain MkDocs", f"{ratio:.2f} ({b['ours'].rss_mb:.0f} / {b['plain'].rss_mb:.0f} MB{besides})",
                     f"≤ {TARGETS['memory_ratio']}", verdict(ratio <= TARGETS["memory_ratio"])))
    pdf = {(r["site"], r["variant"]): r for r in results.get("pdf") or [] if "with" in r}

    def pdf_adds(site: str, variant: str) -> float | None:
        r = pdf.get((site, variant))
        return r["with"].wall - r["without"].wall if r else None  # wall: see the PDF section

    seed = pdf_adds("seed guide", "alliance-pdf")
    if seed is not None:
        rows.append(("seed guide: time the PDF adds to a build", fmt_s(seed), f"< {TARGETS['pdf_seed_s']:.0f} s", verdict(seed < TARGETS["pdf_seed_s"])))
    ours, peer = pdf_adds("~400 site pages", "alliance-pdf"), pdf_adds("~400 site pages", "mkdocs-to-pdf")
    if ours is not None and peer is not None:
        speed = peer / ours
        rows.append(("~400 site pages: PDF time, mkdocs-to-pdf / ours", f"{speed:.1f}x ({fmt_s(peer)} / {fmt_s(ours)})",
                     f"≥ {TARGETS['pdf_speedup']:g}x", verdict(speed >= TARGETS["pdf_speedup"])))
    g = dict(results["graph"])
    if 1000 in g and 3000 in g:
        ratio = g[3000] / g[1000]
        rows.append(("link graph N=3000 / N=1000 (linear: 3)", f"{ratio:.1f}", "≤ 3.3", verdict(ratio <= 3.3)))
    elif 100 in g and 1000 in g:
        ratio = g[1000] / g[100]
        rows.append(("link graph N=1000 / N=100 (linear: 10)", f"{ratio:.1f}", "≤ 11", verdict(ratio <= 11)))
    return rows


# ----- main ------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    full = os.environ.get("BENCH_FULL", "").strip().lower() in ("1", "true", "yes", "on")
    parser = argparse.ArgumentParser(description="Alliance Playbook benchmarks (see benchmarks/README.md)")
    parser.add_argument("--sizes", default="10,100,1000,3000" if full else "10,100,1000", help="comma-separated case counts")
    parser.add_argument("--repeats", type=int, default=3, help="alternating runs per variant (median)")
    parser.add_argument("--large-repeats", type=int, default=2, help="runs per variant at N >= 1000 (default 2: keeps `make bench` near 15 minutes)")
    parser.add_argument("--skip", default="", help="comma-separated: builds, stages, check, serve, search, pdf, attribution, profile")
    parser.add_argument("--graph-sizes", type=lambda v: [int(x) for x in v.split(",") if x.strip()], default=[3000],
                        help="extra sizes at which only the link graph is timed (default 3000)")
    parser.add_argument("--no-pdf-large", dest="pdf_large", action="store_false",
                        help="skip the PDF of ~400 site pages (about 8 minutes, mostly mkdocs-to-pdf)")
    parser.add_argument("--pdf-large", dest="pdf_large", action="store_true", help=argparse.SUPPRESS)  # the default; kept for old scripts
    parser.add_argument("--serve-sizes", type=lambda v: [int(x) for x in v.split(",") if x.strip()], default=[100, 1000, 3000],
                        help="sizes at which mkdocs serve is timed, with and without the partial rebuild (default 100,1000,3000)")
    parser.add_argument("--search-sizes", type=lambda v: [int(x) for x in v.split(",") if x.strip()], default=[1000, 10000],
                        help="sizes at which search is timed in Chromium, ours and Material's (default 1000,10000; the 10,000-case builds take minutes)")
    parser.add_argument("--profile-n", type=int, default=1000, help="size for the cProfile section")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    skip = {x.strip() for x in args.skip.split(",") if x.strip()}
    WORK.mkdir(parents=True, exist_ok=True)

    results: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "sizes": sizes, "repeats": args.repeats, "machine": machine(),
                     "builds": {}, "stages": {}, "check": {}, "graph": [], "serve": {}, "pdf": [], "notes": []}
    loads = [os.getloadavg()[0]]
    began = time.perf_counter()
    digest_before = source_digest()

    for n in sizes:
        print(f"N={n}", flush=True)
        info = prepare(n)
        base = WORK / f"n{n}"
        repeats = args.repeats if n < 1000 else min(args.repeats, args.large_repeats)
        if n >= 3000:
            repeats = 1
        if repeats < args.repeats:
            results["notes"].append(f"N={n}: {repeats} run(s) per variant instead of {args.repeats}, to keep the run short.")
        # alliance check: the whole project must be valid before anything is timed.
        check = Series()
        for r in range(repeats if "check" not in skip else 1):
            check.add(must(measure([PY, "-m", "alliance_playbook", "check", "project", "--quiet-warnings"], base, base / f"logs/check-{r}.log"), f"alliance check at N={n}"))
        results["check"][n] = check
        print(f"  check {check.wall:.2f} s wall, {check.cpu:.2f} s CPU", flush=True)
        if "stages" not in skip:
            runs = []
            for r in range(repeats):
                s = must(measure([PY, str(BENCH / "internals.py"), "project"], base, base / f"logs/stages-{r}.log"), "internals.py")
                data = json.loads(Path(s.log).read_text().strip().splitlines()[-1])
                data["rss_mb"] = s.rss_mb
                runs.append(data)
            med = {k: [statistics.median(r[k][0] for r in runs), statistics.median(r[k][1] for r in runs)]
                   for k in ("import", "load", "graph", "renderer_init", "render", "data", "total", "render_generate") if k in runs[0]}
            med["plugin_mode"] = runs[0].get("plugin_mode", False)
            med.update(cases=runs[0]["cases"], pages=runs[0]["pages"], rss_mb=max(r["rss_mb"] for r in runs))
            results["stages"][n] = med
            results["graph"].append((n, med["graph"][1]))
            print(f"  our stages {med['total'][1]:.2f} s CPU ({med['total'][1] / med['cases'] * 1000:.2f} ms/case)", flush=True)
        if "builds" not in skip:
            variants = {"ours": base / "project", "plain": base / "plain", "genfiles": base / "genfiles"}
            series = {k: Series() for k in variants}
            order = list(variants)
            for r in range(repeats):
                for name in order[r % 3:] + order[: r % 3]:  # rotate which variant goes first
                    env = {**ENV, "ALLIANCE_OFFLINE_ZIP": "0"} if name == "ours" else None  # the same pages as plain: no offline copy
                    s = must(mkdocs_build(variants[name], base / f"site-{name}", base / f"logs/build-{name}-{r}.log", env), f"{name} build at N={n}")
                    series[name].add(s)
                    loads.append(os.getloadavg()[0])
                    print(f"  {name:9s} run {r + 1}: {s.wall:6.2f} s wall, {s.cpu:6.2f} s CPU, {s.rss_mb:5.0f} MB", flush=True)
            results["builds"][n] = {**series, "info": info}
        loads.append(os.getloadavg()[0])

    # mkdocs serve, with and without the partial rebuild, at the serve sizes.
    for n in args.serve_sizes if "serve" not in skip else []:
        base = WORK / f"n{n}" if n in sizes else WORK / f"serve-n{n}"
        if n not in sizes and not (base / "stamp.json").is_file():
            synth.make_project(base / "project", n)
            (base / "stamp.json").write_text(json.dumps({"synth": synth.VERSION}))
        synthetic = sorted(p.stem for p in (base / "project/casestudies").glob("*-[0-9]*.yml"))
        picks = [synthetic[len(synthetic) // 4], synthetic[len(synthetic) // 2], synthetic[3 * len(synthetic) // 4]]
        for partial in (True, False):
            key = n if partial else -n  # the full rebuilds' row
            print(f"serve N={n} ({'partial' if partial else 'every page'})", flush=True)
            try:
                results["serve"][key] = serve_rebuilds(base / "project", picks, base / f"logs/serve-{partial}.log", rounds=3, partial=partial)
                print(f"  serve: {[round(x, 2) for x in results['serve'][key]['served']]} s", flush=True)
            except RuntimeError as exc:
                results["serve"][key] = {"error": str(exc)}
    if "search" not in skip and args.search_sizes:
        results["search"] = scale.search_benchmarks(args.search_sizes, WORK, measure, ENV)

    # The link graph alone at sizes without full builds (N=3000 by default), so
    # every run shows whether it grows linearly past the sizes built.
    for n in sorted(set(args.graph_sizes) - set(sizes)):
        print(f"link graph N={n}", flush=True)
        base = WORK / f"graph-n{n}"
        stamp = base / "stamp.json"
        if not (stamp.is_file() and json.loads(stamp.read_text()).get("synth") == synth.VERSION):
            synth.make_project(base / "project", n)
            (base / "stamp.json").write_text(json.dumps({"synth": synth.VERSION}))
        s = must(measure([PY, str(BENCH / "internals.py"), "project"], base, base / "logs/stages.log"), "internals.py")
        data = json.loads(Path(s.log).read_text().strip().splitlines()[-1])
        results["graph"].append((n, data["graph"][1]))
    results["graph"].sort()

    big = max([n for n in sizes if n <= 1000], default=None)
    if "attribution" not in skip and big:
        print(f"attribution N={big}", flush=True)
        results["attribution"] = (big, attribution(big))
    if "profile" not in skip and args.profile_n in sizes:
        print(f"profile N={args.profile_n}", flush=True)
        results["profile"] = profile_build(args.profile_n)
    loads.append(os.getloadavg()[0])
    results["load_min"], results["load_max"] = min(loads), max(loads)
    # Last: the PDF uses every core, which raises the load average the rows above are judged by.
    if "pdf" not in skip:
        print("PDF", flush=True)
        results["pdf"] = pdf_benchmarks(repeats=1, large=full or args.pdf_large)
        if not (full or args.pdf_large):
            results["notes"].append("PDF of ~400 site pages not measured (--no-pdf-large).")
    results["digest"] = (digest_before, source_digest())
    results["targets"] = targets(results)
    results["notes"].append(f"Total benchmark time: {(time.perf_counter() - began) / 60:.1f} min.")
    text = report(results)
    args.out.write_text(text + "\n", encoding="utf-8")
    print()
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
