"""Interface labels. English is the source; other languages map English
labels to translations, and anything untranslated falls back to English."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def catalog(language: str) -> dict[str, str]:
    """The translations for ``language`` (``es``, ``fr``...), or {} for English."""
    lang = (language or "en").split("-")[0].split("_")[0].lower()
    if lang == "en":
        return {}
    try:
        text = resources.files(__package__).joinpath("i18n", f"{lang}.yml").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return {}
    data = yaml.safe_load(text) or {}
    return {str(k): str(v) for k, v in data.items()}


def available_languages() -> list[str]:
    """The interface languages: ``en``, then each language with a catalog in ``i18n/``, sorted."""
    names = [p.name for p in resources.files(__package__).joinpath("i18n").iterdir()]
    return ["en"] + sorted(n.rsplit(".", 1)[0] for n in names if n.endswith(".yml"))


class Translator:
    """Interface labels in one language: call it with the English label (and
    values for its ``{placeholders}``); a label with no translation stays
    English."""

    def __init__(self, language: str = "en"):
        self.language = language or "en"
        self._table = catalog(self.language)

    @property
    def known(self) -> bool:
        """Whether this language has labels (English always has)."""
        return self.language.split("-")[0].split("_")[0].lower() == "en" or bool(self._table)

    def __call__(self, text: str, **values: object) -> str:
        out = self._table.get(text, text)
        return out.format(**values) if values else out
