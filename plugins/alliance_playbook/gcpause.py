"""Pause Python's cyclic garbage collector around allocation-heavy work.

Loading a thousand YAML files makes millions of small objects that live for
the whole build; the collector's repeated scans of them cost more than the
loading itself (measured: 1.5 s against 0.45 s for 1,000 case studies).
Nothing in that work makes reference cycles worth collecting early, and
reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block (nesting-safe); also a
    decorator: ``@paused_gc()``."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
