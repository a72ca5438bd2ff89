"""The preview's watches: moved to the system's observer, which tells of a
saved file as it happens (MkDocs polls every half second), and only of changes."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from alliance_playbook.adapters import watch
from alliance_playbook.adapters.watch import watch_instantly


@pytest.fixture
def server(tmp_path: Path):
    (tmp_path / "casestudies").mkdir()
    (tmp_path / "casestudies/a.yml").write_text("title: A\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    server.watch(str(tmp_path / "casestudies"))
    server.watch(str(tmp_path / "mkdocs.yml"))
    server.watch(str(tmp_path / "mkdocs.yml"))  # watched twice: unwatched once, still watched
    yield server
    if server.observer.is_alive():
        server.observer.stop()
        server.observer.join(5)
    server.server_close()


def _wants_rebuild(server: LiveReloadServer, seconds: float = 3.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with server._rebuild_cond:
            if server._want_rebuild:
                server._want_rebuild = False
                return True
        time.sleep(0.02)
    return False


@pytest.mark.skipif(sys.platform != "linux", reason="inotify")
def test_watches_move_to_the_system_observer_which_tells_only_of_changes(server: LiveReloadServer, tmp_path: Path):
    watched = dict(server._watched_paths)
    assert watch_instantly(server, {})
    from watchdog.observers.inotify import InotifyObserver

    assert isinstance(server.observer, InotifyObserver)
    assert server._watched_paths == watched
    server.observer.start()
    time.sleep(0.3)
    case = tmp_path / "casestudies/a.yml"
    # A build reads every file: reading must not ask for a rebuild (it would rebuild for ever).
    case.read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    assert not _wants_rebuild(server, 1.0)
    case.write_text("title: B\n", encoding="utf-8")
    assert _wants_rebuild(server)
    # An editor's save: a new file moved over the old one (twice: the watch survives it).
    for text in ("site_name: y\n", "site_name: z\n"):
        (tmp_path / "mkdocs.yml.tmp").write_text(text, encoding="utf-8")
        os.replace(tmp_path / "mkdocs.yml.tmp", tmp_path / "mkdocs.yml")
        assert _wants_rebuild(server)
    (tmp_path / "casestudies/new.yml").write_text("title: N\n", encoding="utf-8")
    assert _wants_rebuild(server)
    (tmp_path / "casestudies/new.yml").unlink()
    assert _wants_rebuild(server)
    # Outside the watched paths, nothing.
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    assert not _wants_rebuild(server, 1.0)


def test_polling_is_kept_when_asked_for_or_when_the_system_cannot_watch(server: LiveReloadServer,
                                                                         monkeypatch: pytest.MonkeyPatch):
    watched = dict(server._watched_paths)
    assert not watch_instantly(server, {"ALLIANCE_WATCH": "poll"})
    assert isinstance(server.observer, PollingObserver) and server._watched_paths == watched
    monkeypatch.setattr(watch, "_system_watches", lambda: False)
    assert not watch_instantly(server, {})
    assert isinstance(server.observer, PollingObserver) and server._watched_paths == watched
