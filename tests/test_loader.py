"""The safe YAML loader: plain data only, positions for every value."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_playbook.errors import ContentError
from alliance_playbook.loader import load_yaml_text


def problems(text: str | bytes) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_yaml_text(text, "f.yml")
    return [str(p) for p in info.value.problems]


def test_positions_are_kept_for_every_value():
    loaded = load_yaml_text("title: A\npartners:\n  - name: B\n    type: x\n", "f.yml")
    assert loaded.data == {"title": "A", "partners": [{"name": "B", "type": "x"}]}
    assert loaded.source.where(("title",)) == (1, 8)
    assert loaded.source.where(("partners", 0, "type")) == (4, 11)
    assert loaded.source.where(("partners", 0, "type"), key=True) == (4, 5)
    # An unknown location falls back to the closest enclosing value.
    assert loaded.source.where(("partners", 0, "missing")) == (3, 5)


def test_duplicate_keys_are_errors_not_last_wins():
    out = problems("title: A\nsummary: B\ntitle: C\n")
    assert out == ["f.yml:3:1: title: duplicate key 'title' (first given on line 1); keep only one"]


def test_python_tags_never_construct_objects(tmp_path):
    marker = tmp_path / "ran"
    out = problems(f'title: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert "tag '!!python/object/apply:os.system' is not allowed" in out[0]
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["!!binary aGk=", "!!set {a}", "!custom x", "!!omap [a: 1]"])
def test_other_tags_are_refused(tag):
    assert "is not allowed" in problems(f"title: {tag}\n")[0]


def test_aliases_are_refused_at_the_alias():
    out = problems("a: &x [1, 2]\nb: *x\n")
    assert out == ["f.yml:2:4: aliases (*name) are not allowed; write the value out in full"]


def test_alias_bomb_is_cheap_and_refused():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    out = problems("\n".join(lines) + "\n")
    assert len(out) == 1 and "aliases" in out[0] and out[0].startswith("f.yml:2:")


def test_merge_keys_and_complex_keys_are_refused():
    assert "merge keys" in problems("a: &x {b: 1}\nc:\n  <<: {d: 1}\n")[0]
    assert "complex keys" in problems("? [a, b]\n: c\n")[0]


def test_yaml_dates_and_numbers_are_plain_values():
    data = load_yaml_text("a: 2021-03-04\nb: 2017\nc: 1.5\nd: '2019-04'\n", "f.yml").data
    assert data == {"a": dt.date(2021, 3, 4), "b": 2017, "c": 1.5, "d": "2019-04"}


def test_non_utf8_is_reported_with_its_position():
    out = problems("title: ok\nsummary: caf\xe9\n".encode("latin-1"))
    assert out == ["f.yml:2:13: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"]


def test_empty_and_comment_only_files_are_reported():
    assert "the file is empty" in problems("")[0]
    assert "the file is empty" in problems("# only a comment\n")[0]


def test_syntax_errors_point_at_the_cause():
    assert problems('title: "open\nsummary: x\n')[0].startswith("f.yml:1:8: YAML syntax error")
    tab = problems("a:\n\tb: 1\n")[0]
    assert tab.startswith("f.yml:2:") and "tabs" in tab


def test_bom_is_accepted():
    assert load_yaml_text("\ufefftitle: A\n".encode(), "f.yml").data == {"title": "A"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300), st.text(alphabet="ab:-[]{}&*!|>'\"#\n\t %@`?,0123456789.", max_size=200)))
def test_loader_raises_only_its_own_error(data):
    try:
        load_yaml_text(data, "f.yml")
    except ContentError as exc:
        assert exc.problems and all(str(p).startswith("f.yml:") for p in exc.problems)


def test_a_released_source_map_still_places_problems():
    """The node tree of positions is let go once a file is checked (most of a
    load's memory) and composed again when a later problem needs a place."""
    loaded = load_yaml_text(b"title: A\npartners:\n  - name: X\n    type: ngo\n", "x.yml")
    before = loaded.source.where(("partners", 0, "type"))
    loaded.source.release()
    assert loaded.source.root is None
    assert loaded.source.where(("partners", 0, "type")) == before == (4, 11)
    assert loaded.source.problem(("partners", 0, "name"), "m").line == 3


def test_a_loaded_project_keeps_no_trees_of_positions(tmp_path):
    from alliance_playbook.project import load_project
    from conftest import copy_project

    project = load_project(copy_project(tmp_path / "project"))
    sources = [item.source for kind in project.registry for item in project.items(kind.name).values()]
    assert sources and all(source.root is None and source.text for source in sources)
