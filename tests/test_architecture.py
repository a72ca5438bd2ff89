"""The shape of the package, drawn from its imports (docs/architecture.md).

Layers, bottom to top; a module imports only its own layer and those below,
and no import cycle exists anywhere. Imports under ``if TYPE_CHECKING:`` are
only for annotations and are not counted. Modules stay small enough to read
in one sitting, or say in their docstring why not. Every public function,
class and method has a docstring.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import types
from pathlib import Path

import pytest
from mkdocs.plugins import EVENTS, BasePlugin

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "alliance_playbook"
#: (layer, module prefixes), bottom first.
LAYERS = [
    ("foundation", ("errors", "settings", "gcpause", "i18n", "wikilinks", "urls", "sourcemap", "loader", "yamlwrite", "sources", "model", "validation")),
    ("markup", ("markup", "linkcheck")),
    ("kinds", ("kinds",)),
    ("content", ("markdown_checks", "checks", "reading", "project", "graph", "schema", "issueform")),
    ("render", ("render",)),
    ("pdf", ("pdf",)),
    ("adapters", ("adapters", "__main__", "__init__")),
]
#: The PDF makes a book from built HTML: it needs nothing of the content model.
PDF_MAY_USE = {"foundation", "pdf"}
MAX_LINES = 320
LONG_REASON = "longer than 300 lines because"


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(module: str) -> int:
    for index, (_name, prefixes) in enumerate(LAYERS):
        if module.split(".")[0] in prefixes or module in prefixes:
            return index
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS and docs/architecture.md")


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"
                                         or isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path) -> set[str]:
    """The package modules ``path`` imports at run time."""
    module = module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if _type_checking_only(child):
                continue
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package[: len(package) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                elif child.module and child.module.startswith("alliance_playbook"):
                    target = child.module.removeprefix("alliance_playbook").lstrip(".")
                else:
                    continue
                for alias in child.names:
                    candidate = f"{target}.{alias.name}" if target else alias.name
                    found.add(candidate if _exists(candidate) else target)
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("alliance_playbook."):
                        found.add(alias.name.removeprefix("alliance_playbook."))
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m and m != module}


def _exists(module: str) -> bool:
    base = PACKAGE.joinpath(*module.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_is_in_a_layer(graph):
    for module in graph:
        layer_of(module)


def test_no_module_imports_a_layer_above_its_own(graph):
    upward = []
    for module, imported in graph.items():
        for target in imported:
            if layer_of(target) > layer_of(module):
                upward.append(f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})")
    assert upward == []


def test_the_pdf_uses_nothing_of_the_content_model(graph):
    for module, imported in graph.items():
        if module.startswith("pdf"):
            assert {LAYERS[layer_of(t)][0] for t in imported} <= PDF_MAY_USE, (module, imported)


def test_there_is_no_import_cycle(graph):
    state: dict[str, int] = {}
    path: list[str] = []

    def walk(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(target):] + [target]))
            if target in graph and state.get(target) is None:
                walk(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if state.get(module) is None:
            walk(module)


def test_the_core_knows_nothing_of_mkdocs():
    for path in PACKAGE.rglob("*.py"):
        if module_name(path).startswith("adapters"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [n for n in names if n.split(".")[0] in ("mkdocs", "material")], path


def test_modules_are_short_or_say_why(graph):
    long = []
    for path in PACKAGE.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").count("\n")
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if lines > MAX_LINES and LONG_REASON not in docstring.lower():
            long.append(f"{path.relative_to(PACKAGE)}: {lines} lines")
    assert long == []


def test_the_checks_catch_a_planted_upward_import(tmp_path):
    """Planted fault: a kind importing the renderer is an upward import."""
    fake = {"kinds.casestudy": {"render.site"}, "render.site": {"kinds.casestudy"}}
    assert layer_of("render.site") > layer_of("kinds.casestudy")
    with pytest.raises(AssertionError, match="import cycle"):
        test_there_is_no_import_cycle(fake)
    with pytest.raises(AssertionError, match="kinds.casestudy .kinds. imports render.site .render."):
        test_no_module_imports_a_layer_above_its_own(fake)


def _is_protocol(node: ast.ClassDef) -> bool:
    return any(ast.unparse(base).split("[")[0].rsplit(".", 1)[-1] == "Protocol" for base in node.bases)


def _documented_above(cls: object, name: str) -> bool:
    """Whether method ``name`` of ``cls`` overrides one that is documented:
    by its docstring in the package, by its library outside it (HTMLParser,
    logging, WeasyPrint), or as a MkDocs event (``on_files``)."""
    if not isinstance(cls, type):
        return False
    if issubclass(cls, BasePlugin) and name.startswith("on_") and name[3:] in EVENTS:
        return True
    for base in cls.__mro__[1:]:
        attr = vars(base).get(name)
        method = inspect.isroutine(attr) or isinstance(attr, property | functools.cached_property)
        if method and (not base.__module__.startswith("alliance_playbook") or getattr(attr, "__doc__", None)):
            return True
    return False


def undocumented(tree: ast.Module, module: object) -> list[str]:
    """``line name`` of each public function, class and method in ``tree``
    (``module`` run) without a docstring. Left out: overrides of documented
    methods, members of a Protocol, functions nested in functions."""
    found: list[str] = []

    def visit(node: ast.Module | ast.ClassDef, owner: object) -> None:
        for child in node.body:
            if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            exempt = child.name.startswith("_") or ast.get_docstring(child) is not None
            if isinstance(node, ast.ClassDef) and not isinstance(child, ast.ClassDef):
                exempt = exempt or _is_protocol(node) or _documented_above(owner, child.name)
            if not exempt:
                found.append(f"{child.lineno} {child.name}")
            if isinstance(child, ast.ClassDef):
                visit(child, getattr(owner, child.name, None))

    visit(tree, module)
    return found


def test_public_functions_and_classes_have_docstrings():
    """The house style: a short docstring on every public function and class.

    The modules are imported, so that an override is told from a new method
    through the classes' real bases; ``__main__`` is read, not run."""
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        module = None if name == "__main__" else importlib.import_module("alliance_playbook" + ("" if name == "__init__" else "." + name))
        assert module is None or Path(module.__file__ or "") == path, f"{module} is not the file read, {path}"
        missing += [f"{path.relative_to(PACKAGE)}:{where}" for where in undocumented(ast.parse(path.read_text(encoding="utf-8")), module)]
    assert missing == []


def test_the_docstring_check_catches_a_planted_gap():
    """Planted fault: a public function, a class and a new method without docstrings."""
    source = '''
from html.parser import HTMLParser
from typing import Protocol

def public(): pass
def _private(): pass
def documented():
    """Says what it does."""
    def nested(): pass
class Base:
    """A base."""
    def run(self):
        """Runs."""
    def bare(self): pass
class Child(Base):
    """A child."""
    def run(self): pass
    def bare(self): pass
    def new(self): pass
    @property
    def size(self): return 0
class Parser(HTMLParser):
    """A parser."""
    def handle_starttag(self, tag, attrs): pass
class View(Protocol):
    """A protocol."""
    def items(self): ...
class Plain:
    pass
'''
    module = types.ModuleType("alliance_playbook.planted")
    exec(compile(source, "planted.py", "exec"), module.__dict__)
    assert undocumented(ast.parse(source), module) == ["5 public", "14 bare", "18 bare", "19 new", "21 size", "28 Plain"]
