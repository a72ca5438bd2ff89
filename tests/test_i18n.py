"""Interface labels: English plus Spanish, with English as the fallback."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from alliance_playbook.i18n import Translator, catalog
from alliance_playbook.model.enums import BUILTIN_ENUMS, LESSON_KIND_LABELS
from conftest import ROOT, run_mkdocs

PACKAGE = ROOT / "plugins" / "alliance_playbook"
CALL = re.compile(r"""_\((["'])(.+?)\1""")


#: Our theme templates translate with t("...") (the `alliance` global).
THEME_CALL = re.compile(r"""(?<![.\w])t\((["'])(.+?)\1""")


def _used_labels() -> set[str]:
    found: set[str] = set()
    code = [*(PACKAGE / "templates").rglob("*.j2"), *(PACKAGE / "render").rglob("*.py"), *(PACKAGE / "kinds").rglob("*.py"),
            *(PACKAGE / "adapters").rglob("*.py")]
    for path in code:
        found |= {m.group(2) for m in CALL.finditer(path.read_text(encoding="utf-8"))}
    for path in (PACKAGE / "theme").rglob("*.html"):
        found |= {m.group(2) for m in THEME_CALL.finditer(path.read_text(encoding="utf-8"))}
    from alliance_playbook.adapters.glue import MAIN_SECTIONS
    from alliance_playbook.kinds.registry import BUILTIN

    found |= {title for title, _src in MAIN_SECTIONS}
    for kind in BUILTIN:
        found |= set(kind.data_file_notes().values())
    for labels in list(BUILTIN_ENUMS.values()) + [LESSON_KIND_LABELS]:
        found |= set(labels.values())
    return found


def test_spanish_catalog_covers_every_generated_label():
    missing = sorted(label for label in _used_labels() if label not in catalog("es"))
    assert not missing, missing


def test_placeholders_survive_translation():
    for english, spanish in catalog("es").items():
        assert set(re.findall(r"{\w+}", english)) == set(re.findall(r"{\w+}", spanish)), english


def test_untranslated_text_falls_back_to_english():
    es = Translator("es")
    assert es("Partners") == "Socios"
    assert es("A label nobody translated") == "A label nobody translated"
    assert Translator("xx")("Partners") == "Partners"
    assert es("{n} partners", n=3) == "3 socios"


def test_switching_the_language_changes_generated_labels(project_copy: Path):
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: es"), encoding="utf-8")
    run_mkdocs(project_copy)
    site = project_copy / "site"
    case = BeautifulSoup((site / "casestudies/environmental-sustainability-alliance/index.html").read_text(), "html.parser")
    headings = [h.get_text(" ", strip=True).rstrip("¶").strip() for h in case.select("article h2")]
    assert "Socios" in headings and "Desafío" in headings and "Enfoque" in headings
    assert "Medio ambiente" in case.get_text()
    playbook = BeautifulSoup((site / "playbook/index.html").read_text(), "html.parser")
    assert playbook.find("h1").get_text(strip=True) == "Guía práctica"
    nav = [a.get_text(strip=True) for a in playbook.select("nav.md-nav--primary a")]
    assert "Estudios de caso" in nav and "Lecciones" in nav
