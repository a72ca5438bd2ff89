"""What a kind of content is, in one place: :class:`Kind`.

A kind (case study, step, lesson...) is one module in this package: its
model (the YAML contract), the rules a single item must follow, where its
files live, where its pages go, its navigation entry, its exports and its
page builder. Loading, checking, the link graph, rendering, the reference,
``alliance new`` and wiki links all iterate the registry
(:mod:`.registry`); none of them switches on a kind's name.

The rest of the package is reached only through narrow interfaces passed
in (:class:`Site` for building pages, :class:`ProjectView` for reading the
project), so this layer imports nothing above it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from ..model.base import Entity

if TYPE_CHECKING:
    from ..errors import Problem


@dataclass
class GeneratedPage:
    """One page for the site: its source path, Markdown, and YAML source."""

    src_uri: str
    content: str
    title: str
    kind: str
    id: str = ""
    edit_path: str | None = None
    scripts: tuple[str, ...] = ()
    #: Extra markup for the page's <head> (JSON-LD), added by the adapter.
    head: str = ""
    #: Rendered by a built-in template: headings and HTML blocks only, no
    #: Markdown prose (see :func:`render.site.split_html_blocks`).
    html_only: bool = False
    #: Deferred Markdown fields, appended to the page for the site's Markdown.
    islands: list[str] = field(default_factory=list)


class ProjectView(Protocol):
    """What a kind reads of the loaded project."""

    def items(self, kind: str) -> Mapping[str, Any]: ...

    def unpublished(self, kind: str) -> Mapping[str, Any]: ...


class Site(Protocol):
    """What a kind's page builder may use (implemented by render.site.PageRenderer)."""

    project: Any
    graph: Any
    #: How pages are rendered (render.site.RenderOptions): address style, the repository.
    options: Any

    def translate(self, text: str, **values: object) -> str: ...

    def page(self, template: str, src: str, title: str, kind: str, entity: Any = None, scripts: tuple[str, ...] = (),
             description: str = "", tags: Sequence[str] = (), hide: Sequence[str] = (), book: bool = True,
             **context: Any) -> GeneratedPage: ...

    def label(self, enum: str, value: Any) -> str: ...

    def kept(self, src: str) -> GeneratedPage | None:
        """The previous build's page at ``src`` when a preview rebuild keeps it (:meth:`page` returns it too)."""
        ...

    def sector_of(self, partner_type: Any) -> str: ...

    def country(self, code: str | None) -> str: ...


class NavText(Protocol):
    """Titles for navigation entries (the theme prints them without escaping)."""

    def label(self, english: str) -> str:
        """An interface label, translated and escaped."""
        ...

    def text(self, value: str) -> str:
        """Text from YAML, escaped."""
        ...


class Report(Protocol):
    """Where rules put what they find (errors.ProblemList)."""

    def extend(self, problems: Iterable[Problem]) -> None: ...


def memo(site: Any, name: str, item: Any, key: Any, make: Any) -> Any:
    """``make()``, kept between a preview's rebuilds (``site.memo``; a single
    build has none) while ``item`` is the same object (its file unchanged)
    and ``key`` equal: what else the value shows (a lesson's title), and what
    a rule may rewrite on the same object (its tags' spelling, see :func:`as_written`)."""
    table = getattr(site, "memo", None)
    if table is None:
        return make()
    hit = table.get((name, item.id))
    if hit is not None and hit[0] is item and hit[1] == key:
        return hit[2]
    value = make()
    table[(name, item.id)] = (item, key, value)
    return value


#: (kind, attribute) -> {id: (the item, the value as written)}: see :func:`as_written`.
_WRITTEN: dict[tuple[str, str], dict[str, tuple[Any, Any]]] = {}


def as_written(kind: str, items: Iterable[Any], attribute: str) -> None:
    """Put back, on items a cache gave again (the same objects as in the last
    load), the list ``attribute`` as their files write it, before a rule that
    rewrites it runs again (a tag's spelling depends on other files)."""
    seen: dict[str, tuple[Any, Any]] = {}
    last = _WRITTEN.get((kind, attribute), {})
    for item in items:
        hit = last.get(item.id)
        if hit is not None and hit[0] is item:
            setattr(item, attribute, list(hit[1]) if hit[1] is not None else None)
        value = getattr(item, attribute)
        seen[item.id] = (item, list(value) if value is not None else None)
    _WRITTEN[(kind, attribute)] = seen


def item_error(entity: Entity, loc: tuple[Any, ...], message: str, key: bool = False) -> Problem:
    """A problem at ``loc`` of ``entity``'s file."""
    assert entity.source is not None
    return entity.source.problem(loc, message, key=key)


def item_warning(entity: Entity, loc: tuple[Any, ...], message: str) -> Problem:
    """A warning at ``loc`` of ``entity``'s file."""
    assert entity.source is not None
    return entity.source.problem(loc, message, severity="warning")


class Kind:
    """A kind of content. A subclass names it (``name``, ``noun``, ``model``)
    and sets what differs from the defaults, which :meth:`__init_subclass__`
    derives from the noun: "case study" keeps its files in
    ``casestudies/``, exports them under ``casestudies``, titles its section
    "Case studies". Methods are overridden where a kind does more."""

    #: The one spelling in code, in ``[[name:id]]`` links and in messages' keys.
    name: ClassVar[str]
    #: How a person calls one item, and several ("case study", "case studies").
    noun: ClassVar[str]
    plural: ClassVar[str]
    model: ClassVar[type[Entity]]
    #: The section (the ``sections`` option, the URL folder and the
    #: navigation entry) its pages belong to. Default: the plural, joined.
    section: ClassVar[str]
    #: Where the files are: a folder with one file per item, relative to the
    #: project root; ``{content}`` is the docs folder, ``{casestudies}`` the
    #: case study folder (default: ``{content}/<section>``). A kind kept as a
    #: list in one file sets ``list_file`` instead.
    folder: ClassVar[str | None]
    list_file: ClassVar[str | None] = None
    #: The JSON Schema's file name (``<schema_name>.schema.json``, shipped for
    #: editors; default: the name) and the key of the items in
    #: ``data/playbook.json`` (default: the plural, joined): public names.
    schema_name: ClassVar[str]
    export_key: ClassVar[str]
    #: Titles: of the reference page for its YAML (default: the noun), and of
    #: its section (default: the plural).
    reference_title: ClassVar[str]
    index_title: ClassVar[str]
    #: Ids that the section's own pages use (id -> what is there).
    reserved: ClassVar[Mapping[str, str]]
    #: The skeleton ``alliance new <name>`` writes (templates/new/), or None.
    new_template: ClassVar[str | None]
    #: Lists whose items may be written as plain text or as a mapping (field,
    #: the mapping's model name): the JSON Schema says so for editors.
    plain_or_mapping: ClassVar[tuple[tuple[str, str], ...]] = ()
    #: Place of its page in the Reference section (the case study, which
    #: forks write most, comes first).
    reference_rank: ClassVar[int] = 100

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = vars(cls)

        def default(attribute: str, value: Any) -> None:
            if attribute not in own and not hasattr(cls, attribute):
                setattr(cls, attribute, value)

        if "name" not in own:
            return  # an abstract helper class, not a kind
        default("plural", cls.noun + "s")
        joined = cls.plural.replace(" ", "")
        default("section", joined)
        default("export_key", joined)
        default("schema_name", cls.name)
        default("folder", None if cls.list_file else "{content}/" + cls.section)
        default("reference_title", cls.noun.capitalize())
        default("index_title", cls.plural.capitalize())
        default("reserved", {"index": f"the {cls.plural} index ({cls.section}/)"})
        default("new_template", f"{cls.name}.yml.j2")

    # ----- where things are --------------------------------------------------------------
    def files_folder(self, root: Path, content_dir: str, casestudies_dir: str) -> Path | None:
        """The folder of this kind's files in a project, if it keeps one per item."""
        if self.folder is None:
            return None
        return root / self.folder.format(content=content_dir, casestudies=casestudies_dir)

    def list_path(self, root: Path, content_dir: str) -> Path | None:
        """The one file that lists every item of this kind, or None when the kind keeps a file per item."""
        if self.list_file is None:
            return None
        return root / self.list_file.format(content=content_dir)

    def src(self, id_: str, item: Any = None) -> str:
        """The source path (``.md``) of an item's page: the URL contract."""
        return f"{self.section}/{id_}.md"

    def index_src(self) -> str | None:
        """The source path of the section's index page, if the kind has one."""
        return f"{self.section}/index.md"

    # ----- loading -------------------------------------------------------------------------
    def order(self, items: dict[str, Any], project: ProjectView) -> dict[str, Any]:
        """The items in the order pages and lists show them (default: by title)."""
        return dict(sorted(items.items(), key=lambda kv: (kv[1].title.casefold(), kv[0])))

    def is_published(self, item: Any, include_drafts: bool) -> bool:
        """Whether an item is built (drafts of case studies are not, by default)."""
        return True

    # ----- checking --------------------------------------------------------------------------
    def rules(self, item: Any) -> Iterator[Problem]:
        """Rules across the fields of one valid item (references are checked elsewhere)."""
        return iter(())

    def project_rules(self, project: ProjectView, report: Report) -> None:
        """Rules across items (such as coverage warnings); run once per load."""

    # ----- output ----------------------------------------------------------------------------
    def pages(self, site: Site) -> list[GeneratedPage]:
        """Every page of this kind (its index first)."""
        return []

    def nav(self, project: ProjectView, titles: NavText, nav_limit: int) -> list[Any]:
        """Navigation entries (MkDocs ``nav`` format) for this kind's pages.

        Detail pages are listed only while there are at most ``nav_limit``
        of them: Material renders the whole navigation into every page, so
        thousands of entries would slow every page of the build."""
        index = self.index_src()
        if index is None:
            return []
        items = project.items(self.name)
        detail = [self.src(i, item) for i, item in items.items()] if len(items) <= nav_limit else []
        return [{titles.label(self.index_title): [index] + detail}]

    def export(self, item: Any, graph: Any, url: str) -> dict[str, Any]:
        """An item as it appears in ``data/playbook.json``."""
        return {"id": item.id, **item.model_dump(mode="json", exclude_none=True, by_alias=True), "url": url}

    def data_files(self, project: ProjectView, graph: Any) -> list[tuple[str, str]]:
        """Extra data files of this kind (path in the site, text)."""
        return []

    def site_data_files(self, site: Site) -> list[tuple[str, str]]:
        """:meth:`data_files`, as the renderer asks for them: a kind may
        override this one to keep values between a preview's rebuilds
        (:func:`memo`), which needs the ``site``."""
        return self.data_files(site.project, site.graph)

    def assets(self, site: Site) -> list[tuple[str, str]]:
        """Files this kind's pages load (path in the site, text), such as
        the case index's search text; our own scripts' folder only."""
        return []

    def data_file_schemas(self) -> dict[str, list[dict[str, Any]]]:
        """The fields of each CSV of :meth:`data_files` (Frictionless Table
        Schema fields: name, type, description), for ``data/datapackage.json``."""
        return {}

    def data_file_notes(self) -> dict[str, str]:
        """What each of :meth:`data_files` holds, in a sentence (English,
        translated on the ``data/`` page)."""
        return {}
