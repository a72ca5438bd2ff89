"""In `mkdocs serve` the theme's files are listed once while its folders
stay as they are (adapters/themefiles.py): a file added or removed is seen."""

from __future__ import annotations

import os
import time
from pathlib import Path

import jinja2

from alliance_playbook.adapters.themefiles import keep_listing


class _Theme:
    def __init__(self, dirs: list[Path]):
        self.dirs = [str(d) for d in dirs]
        self.static_templates = ["404.html"]
        self.walks = 0

    def get_env(self) -> jinja2.Environment:
        theme = self

        class Counting(jinja2.FileSystemLoader):
            def list_templates(self) -> list[str]:
                theme.walks += 1
                return super().list_templates()

        return jinja2.Environment(loader=Counting(self.dirs))


def _assets(name: str) -> bool:
    return not name.endswith(".html")


def _touch_later(path: Path) -> None:
    time.sleep(0.01)  # a folder's time must move on, even on a coarse clock
    path.write_text("x", encoding="utf-8")
    os.utime(path.parent, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))


def test_the_listing_is_kept_until_a_folder_changes(tmp_path: Path):
    (tmp_path / "theme/assets/icons").mkdir(parents=True)
    (tmp_path / "theme/main.html").write_text("x", encoding="utf-8")
    (tmp_path / "theme/assets/app.js").write_text("x", encoding="utf-8")
    (tmp_path / "theme/assets/icons/a.svg").write_text("x", encoding="utf-8")
    theme = _Theme([tmp_path / "theme"])
    keep_listing(theme)
    first = theme.get_env().list_templates(filter_func=_assets)
    assert sorted(first) == ["assets/app.js", "assets/icons/a.svg"] and theme.walks == 1
    again = theme.get_env().list_templates(filter_func=_assets)  # the next rebuild's environment
    assert again == first and theme.walks == 1
    _touch_later(tmp_path / "theme/assets/icons/b.svg")
    assert "assets/icons/b.svg" in theme.get_env().list_templates(filter_func=_assets) and theme.walks == 2
    (tmp_path / "theme/assets/app.js").unlink()
    os.utime(tmp_path / "theme/assets", ns=(time.time_ns() + 2 * 10**9, time.time_ns() + 2 * 10**9))
    assert "assets/app.js" not in theme.get_env().list_templates(filter_func=_assets) and theme.walks == 3
    # Another filter is applied to the kept names (two alike but for what they hold differ).
    for folder in ("assets/icons/", "assets/"):
        assert theme.get_env().list_templates(filter_func=lambda name, f=folder: name.startswith(f)) == sorted(
            n for n in ("assets/icons/a.svg", "assets/icons/b.svg") if n.startswith(folder))
    assert theme.walks == 3


def test_mkdocs_copies_the_same_theme_files_from_the_kept_listing():
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    config = load_config(str(Path(__file__).resolve().parent.parent / "mkdocs.yml"))

    def theme_files() -> list[str]:
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        return sorted(f.src_uri for f in files)

    plain = theme_files()
    keep_listing(config.theme)
    assert theme_files() == plain and theme_files() == plain
    assert any(name.endswith(".css") for name in plain) and not any(name.endswith(".html") for name in plain)
