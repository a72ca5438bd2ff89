"""Base classes: unknown keys are errors, and entities know their file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, PrivateAttr

if TYPE_CHECKING:
    from ..sourcemap import SourceMap


class Model(BaseModel):
    """A mapping in a content file; unknown keys are reported, not dropped."""

    model_config = ConfigDict(extra="forbid", validate_default=False, hide_input_in_errors=True)


class Entity(Model):
    """A content item with an id (its file name) and a source file."""

    _id: str = PrivateAttr(default="")
    _source: SourceMap | None = PrivateAttr(default=None)

    @property
    def id(self) -> str:
        """The item's id: its file name without the suffix ('' until bound)."""
        # (Read from pydantic's store of private attributes directly: the
        # attribute itself goes through ``__getattr__``, and a large build
        # asks for ids hundreds of thousands of times.)
        return self.__pydantic_private__["_id"]  # type: ignore[index,no-any-return]

    @property
    def source(self) -> SourceMap | None:
        """Where each value was written in the file (None until bound)."""
        return self.__pydantic_private__["_source"]  # type: ignore[index,no-any-return]

    @property
    def path(self) -> str:
        """The file's path as messages show it ('' until bound)."""
        return self._source.path if self._source else ""

    def bind(self, id_: str, source: SourceMap | None) -> Entity:
        """Give the validated entity its id and source file; returns it."""
        self._id = id_
        self._source = source
        return self
