"""``data/datapackage.json``: a Frictionless Data Package for the data files,
validated with the ``frictionless`` library against the files themselves."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest


@pytest.fixture(params=["seed", "fork"])
def site(request) -> Path:
    return request.getfixturevalue(f"{request.param}_site")


def test_the_data_package_validates_and_matches_the_csv(site: Path):
    from frictionless import validate

    package = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    report = validate(str(site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # Every data file is described, and nothing else.
    described = {r["path"] for r in package["resources"]}
    assert described == {p.name for p in (site / "data").iterdir() if p.suffix in (".csv", ".json") and p.name != "datapackage.json"}
    table = next(r for r in package["resources"] if r["path"] == "casestudies.csv")
    text = (site / "data" / "casestudies.csv").read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    fields = table["schema"]["fields"]
    assert [f["name"] for f in fields] == rows[0]
    assert all(f.get("description") for f in fields)
    assert table["bytes"] == len(text.encode("utf-8")) and table["schema"]["primaryKey"] == ["id"]
    # Typed columns hold what their type says, row by row.
    types = {f["name"]: f["type"] for f in fields}
    assert types["ongoing"] == "boolean" and types["metrics"] == "integer"
    for row in rows[1:]:
        record = dict(zip(rows[0], row))
        assert record["ongoing"] in ("true", "false") and record["metrics"].isdigit()


def test_a_broken_data_package_would_be_caught(site: Path, tmp_path: Path):
    # The gate can fail: a column the schema does not know, and a wrong type.
    from frictionless import validate

    for name in ("casestudies.csv", "playbook.json"):
        (tmp_path / name).write_bytes((site / "data" / name).read_bytes())
    package = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    table = next(r for r in package["resources"] if r["path"] == "casestudies.csv")
    table["schema"]["fields"][-1]["name"] = "address"
    next(f for f in table["schema"]["fields"] if f["name"] == "title")["type"] = "integer"
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    assert not validate(str(tmp_path / "datapackage.json")).valid
