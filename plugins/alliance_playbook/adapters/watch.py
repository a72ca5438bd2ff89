"""The preview sees a saved file at once.

``mkdocs serve`` (1.6, frozen) watches its folders with watchdog's polling
observer: every half second it lists every watched file again. So a saved
case study waited a quarter of a second on average (half at worst) before
its rebuild began, and at 3,000 case studies the listing itself costs CPU
twice a second. :func:`watch_instantly` moves the server's watches to the
observer the operating system tells of each change as it happens (inotify on
Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows), through
``LiveReloadServer``'s own ``unwatch`` and ``watch``.

A folder whose changes the system does not report (some network and
container mounts) needs the polling: ``ALLIANCE_WATCH=poll`` keeps it, and
so does a system that cannot watch (no inotify watches left, say).
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping
from typing import Any

log = logging.getLogger("mkdocs.plugins.alliance_playbook")


def watch_instantly(server: Any, environ: Mapping[str, str] | None = None) -> bool:
    """Move ``server``'s watches to the system's own observer, before it
    starts; False (and nothing changed) where that cannot be done."""
    if (os.environ if environ is None else environ).get("ALLIANCE_WATCH", "").strip().lower() == "poll":
        return False
    watched = getattr(server, "_watched_paths", None)  # path -> how many watch() calls
    observer = getattr(server, "observer", None)
    if not isinstance(watched, dict) or observer is None or observer.is_alive() or not _system_watches():
        return False
    counts = dict(watched)
    for path, count in counts.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = _changes_observer()
    for path, count in counts.items():
        for _ in range(count):
            server.watch(path, recursive=os.path.isdir(path))
    return True


def _changes_observer() -> Any:
    """The system's observer, telling only of changes: it also tells of
    files opened and closed, and a build reads every case study (MkDocs'
    handler rebuilds on any event: the preview would rebuild for ever)."""
    from watchdog import events
    from watchdog.observers import Observer

    changes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent, events.FileMovedEvent,
               events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent]

    class ChangesObserver(Observer):  # type: ignore[misc,valid-type]
        def schedule(self, event_handler: Any, path: str, *, recursive: bool = False, event_filter: Any = None) -> Any:
            return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or changes)

    return ChangesObserver()


def _system_watches() -> bool:
    """Whether the system's observer can watch a folder here (it can run out of watches)."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    if Observer is PollingObserver:  # no system observer on this platform
        return False
    observer = Observer()
    with tempfile.TemporaryDirectory() as folder:
        try:
            observer.schedule(FileSystemEventHandler(), folder)  # (a handler that does nothing)
            observer.start()
        except OSError as exc:
            log.info(f"The preview polls for changes (the system cannot watch folders here: {exc})")
            return False
        finally:
            if observer.is_alive():
                observer.stop()
                observer.join(5)
    return True
