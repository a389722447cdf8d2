"""Fault tier: hostile and damaged input, each answered with one problem line (file, field,
found, allowed), exit 1 and no traceback; nothing read from outside the project; outputs safe
to open. `make test-faults` runs this file and tests/test_faults_kill.py."""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import essbench
from essbench.cli import main
from essbench.evidence.problems import InvalidInput, shorten
from tests.conftest import ROOT, read_yaml, write_yaml

pytestmark = pytest.mark.faults

HEX64 = re.compile(r"\b[0-9a-f]{64}\b")


@pytest.fixture
def data(fixture_copy: Path) -> Path:
    """The data/ folder of a made-up project of the test's own (tests/fixture_project.py)."""
    return fixture_copy / "data"


def validate(data: Path, capsys) -> str:
    """`essbench validate` on a broken copy: exit 1, problem lines, no traceback."""
    code = main(["--root", str(data.parent), "validate"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err
    assert "problem(s) found" in err
    return err


def problem_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("- ")]


def load_refuses(data: Path) -> InvalidInput:
    """`essbench.load()` raises the same problems, as InvalidInput, never another error."""
    with pytest.raises(InvalidInput) as error:
        essbench.load(data.parent)
    rendered = "\n".join(error.value._render_traceback_())
    assert "problem" in rendered and "Traceback" not in rendered
    return error.value


def set_sha(data: Path, file: str) -> None:
    """Record a document's new checksum, as a curator who re-archived it would."""
    path = data / "sources" / "sources.yaml"
    entries = read_yaml(path)
    digest = hashlib.sha256((data / "sources" / file).read_bytes()).hexdigest()
    for entry in entries:
        if entry["file"] == file:
            entry["sha256"] = digest
    write_yaml(path, entries)


# -- Dates, encodings ----------------------------------------------------------------------

def test_an_impossible_date_is_a_problem_of_its_field(data, capsys):
    path = data / "profiles" / "fictif.yaml"
    text = path.read_text(encoding="utf-8")
    assert "valid_from: '2020-01-01'" in text
    path.write_text(text.replace("valid_from: '2020-01-01'", "valid_from: 2020-02-30", 1),
                    encoding="utf-8")
    err = validate(data, capsys)
    [line] = problem_lines(err)  # one line, though the field allows a date or 'unknown'
    assert "profiles/fictif.yaml: perimeter.valid_from: found '2020-02-30'" in line
    assert "day value is outside expected range" in line and "'unknown'" in line
    load_refuses(data)


def test_a_source_in_latin_1_is_named_with_its_likely_encoding(data, capsys):
    name = "temoin_page.txt"
    path = data / "sources" / name
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    set_sha(data, name)
    err = validate(data, capsys)
    [line] = problem_lines(err)
    assert "sources/sources.yaml: [0].file" in line and name in line
    assert "not UTF-8" in line and "Windows-1252 (Latin-1)" in line
    load_refuses(data)


def test_a_profile_in_latin_1_is_named_with_its_likely_encoding(data, capsys):
    path = data / "profiles" / "temoin.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    [line] = problem_lines(validate(data, capsys))
    assert "profiles/temoin.yaml: (file)" in line and "Windows-1252" in line


# -- Reference tables ----------------------------------------------------------------------

def _edit_table(data: Path, name: str, change) -> None:
    path = data / "reference" / name
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(change(lines)) + ("\n" if change(lines) else ""), encoding="utf-8")


def _cell(lines, column, value, row=1):
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(column)] = value
    return [lines[0], *lines[1:row], ",".join(cells), *lines[row + 1:]]


REFERENCE_CASES = {
    "population-zero": ("territories.csv", lambda ls: _cell(ls, "population", "0"),
                        "line 2, population", "above 0"),
    "population-negative": ("territories.csv", lambda ls: _cell(ls, "population", "-3000"),
                            "line 2, population", "above 0"),
    "population-empty": ("territories.csv", lambda ls: _cell(ls, "population", ""),
                         "line 2, population", "above 0"),
    "area-infinite": ("territories.csv", lambda ls: _cell(ls, "area_km2", "inf"),
                      "line 2, area_km2", "an area in km² above 0"),
    "bad-territory-id": ("territories.csv", lambda ls: _cell(ls, "territory_id", "Grasse!"),
                         "line 2, territory_id", "snake_case"),
    "bad-departement": ("territories.csv", lambda ls: _cell(ls, "departement_codes", "6"),
                        "line 2, departement_codes", "département codes"),
    "empty-table": ("territories.csv", lambda ls: [], "(file)", "a header"),
    "header-only": ("territories.csv", lambda ls: ls[:1], "(file)", "one row per territory"),
    "missing-column": ("territories.csv",
                       lambda ls: [",".join(line.split(",")[:1] + line.split(",")[2:])
                                   for line in ls], "(header)", "missing: population"),
    "torn-row": ("territories.csv", lambda ls: [*ls, "temoin,12"], "line", "cells"),
    "bad-insee": ("communes.csv", lambda ls: _cell(ls, "insee", "9400"), "line 2, insee",
                  "an INSEE commune code"),
    "commune-population-negative": ("communes.csv", lambda ls: _cell(ls, "population", "-1"),
                                    "line 2, population", "0 or more"),
}


@pytest.mark.parametrize("case", REFERENCE_CASES, ids=list(REFERENCE_CASES))
def test_reference_tables_are_checked(data, capsys, case):
    name, change, field, allowed = REFERENCE_CASES[case]
    _edit_table(data, name, change)
    lines = problem_lines(validate(data, capsys))
    assert len(lines) == 1, lines
    assert f"reference/{name}: {field}" in lines[0] and allowed in lines[0], lines[0]
    load_refuses(data)


def test_many_bad_cells_give_a_few_lines_and_a_count(data, capsys):
    _edit_table(data, "communes.csv",
                lambda ls: [ls[0]] + [re.sub(r",\d+,(\d\d),", r",-1,\1,", line) for line in ls[1:]])
    lines = problem_lines(validate(data, capsys))
    assert len(lines) == 4 and "more such cells" in lines[-1], lines


# -- Build state, parameter cache, lock file -----------------------------------------------

DAMAGED_STATE = [b"\x00\xff garbage", b"[]", b'{"format": 2, "dashboards": []}',
                 b'{"format": 2, "dashboards": {"one": "x"}}',
                 b'{"format": 2, "dashboards": {"one": {"inputs": 3}}}',
                 b'{"format": 2, "dashboards": {"one": {"inputs": "a", "page": "x"}}}',
                 b"[" * 100_000]


@pytest.mark.parametrize("content", DAMAGED_STATE, ids=range(len(DAMAGED_STATE)))
def test_a_damaged_build_state_is_discarded_and_said(tmp_path, content):
    from essbench.build import state

    (tmp_path / state.STATE_FILE).write_bytes(content)
    said = []
    assert state.read_state(tmp_path, said.append) == {}
    assert "damaged: discarded" in said[0]


DAMAGED_CACHE = [b"\xff\xfe", b"{", b"[1, 2]", b'{"KEY": 3}', b'{"KEY": [[1, 2, 3, 4]]}',
                 b'{"KEY": [["territory", "str"]]}']


@pytest.mark.parametrize("content", DAMAGED_CACHE, ids=range(len(DAMAGED_CACHE)))
def test_a_damaged_parameter_cache_is_discarded_said_and_rebuilt(tmp_path, capsys, content):
    import importlib.metadata

    from essbench.build import params

    notebook = ROOT / "notebooks" / "territory_profile.ipynb"
    key = (f"{hashlib.sha256(notebook.read_bytes()).hexdigest()} papermill "
           f"{importlib.metadata.version('papermill')}")
    cache = tmp_path / "cache.json"
    cache.write_bytes(content.replace(b"KEY", key.encode()))
    params._INSPECTED.clear()
    declared, problems = params.declared_parameters(notebook, cache)
    assert not problems and declared["territory"].type_name == "str"
    assert "damaged" in capsys.readouterr().err
    rows = json.loads(cache.read_text(encoding="utf-8"))[key]
    assert ["territory", "str"] == rows[[r[0] for r in rows].index("territory")][:2]


def test_a_lock_file_left_by_a_killed_build_is_said(tmp_path):
    from essbench.build.runner import build_lock

    (tmp_path / ".build.lock").write_bytes(b"pid 4242 on elsewhere\n\xff\xfe")
    said = []
    with build_lock(tmp_path, say=said.append):
        pass
    assert "pid 4242 on elsewhere" in said[0] and "did not finish" in said[0]
    assert (tmp_path / ".build.lock").read_text() == ""


def test_a_page_written_after_its_build_is_built_again(tmp_path):
    from essbench.build import runner, state

    outputs = tmp_path
    (outputs / "html").mkdir()
    (outputs / "notebooks").mkdir()
    page = outputs / "html" / "one.html"
    page.write_text("published by this build")
    (outputs / "notebooks" / "one.ipynb").write_text("{}")
    entry = {"inputs": runner.combined({"a": "1"}), "files": {"a": "1"},
             "page": state.page_stamp(outputs, "one")}
    assert state.up_to_date("one", entry["inputs"], {"one": entry}, outputs)
    time.sleep(0.01)
    page.write_text("written later by a worker of a killed build")
    assert not state.up_to_date("one", entry["inputs"], {"one": entry}, outputs)
    assert "written after its last build" in runner._why("one", {"a": "1"}, {"one": entry},
                                                         outputs)


def test_a_worker_publishes_only_while_its_build_lives():
    import os

    from essbench.build.runner import Task, build_alive

    task = Task("one", "nb.ipynb", {}, "T", "out", "root")
    assert build_alive(task)  # run in the build's own process
    assert build_alive(Task(**{**task.__dict__, "build_pid": os.getppid()}))
    assert not build_alive(Task(**{**task.__dict__, "build_pid": os.getpid()}))


# -- Links, environment --------------------------------------------------------------------

def test_a_loop_of_links_is_a_problem_not_a_traceback(data, capsys):
    profiles = data / "profiles"
    (profiles / "loop_a.yaml").symlink_to(profiles / "loop_b.yaml")
    (profiles / "loop_b.yaml").symlink_to(profiles / "loop_a.yaml")
    (data / "sources" / "again").symlink_to(data / "sources",
                                                 target_is_directory=True)
    err = validate(data, capsys)
    assert "profiles/loop_a.yaml: (file): found a link that leads to no file" in err


@pytest.mark.parametrize("value", ["", "soon", "1e9", "-1", "１２", "99999999999999"])
def test_source_date_epoch_is_checked_before_any_kernel(fixture_copy, monkeypatch, capsys,
                                                       value):
    from essbench.build.runner import EXIT_BAD_INPUT, run_cli

    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    started = time.monotonic()
    assert run_cli(None, 1, False, fixture_copy) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "SOURCE_DATE_EPOCH: (environment variable)" in err and "whole number" in err
    assert time.monotonic() - started < 30  # it stalled each page 120 s
    assert not (fixture_copy / "outputs" / "html").exists()


# -- Confinement ---------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["/etc/os-release", "../profiles/fictif.yaml",
                                     "sub/../../../../etc/os-release", "link_out.txt"])
def test_a_source_file_outside_data_sources_is_refused_unread(data, capsys, written):
    (data / "sources" / "link_out.txt").symlink_to("/etc/os-release")
    path = data / "sources" / "sources.yaml"
    entries = read_yaml(path)
    entries[0]["file"] = written
    write_yaml(path, entries)
    err = validate(data, capsys)
    [line] = problem_lines(err)
    assert "sources/sources.yaml: [0].file" in line and "inside" in line
    # Nothing of the outside file is read: not its checksum, not a line of it.
    assert not HEX64.search(err.replace(entries[0]["sha256"], ""))
    assert "NAME=" not in err


def test_export_never_writes_over_the_project_inputs(data, capsys):
    reference = data / "reference"
    before = {p.name: p.read_bytes() for p in reference.iterdir() if p.is_file()}
    for out in (reference, data, data.parent, data.parent / "params" / "x"):
        code = main(["--root", str(data.parent), "export", "--out", str(out)])
        err = capsys.readouterr().err
        assert code == 2 and "holds the project's inputs" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in reference.iterdir() if p.is_file()} == before
    assert not (data.parent / "params" / "x").exists()


def test_export_refuses_a_folder_of_other_files(tmp_path):
    from essbench.evidence.arguments import InvalidArgument
    from essbench.export import writable_folder

    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InvalidArgument, match="notes.txt"):
        writable_folder(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


# -- Bounds --------------------------------------------------------------------------------

ALIAS_BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
) + "\n"


def test_nested_aliases_are_refused_at_once(data, capsys):
    (data / "profiles" / "fictif.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    started = time.monotonic()
    [line] = problem_lines(validate(data, capsys))
    assert time.monotonic() - started < 10  # 3 GB and 120 s before
    assert "profiles/fictif.yaml: line" in line and "aliases" in line
    assert len(line) < 400


@pytest.mark.parametrize(("text", "found"), [
    ("a: &a [1, *a]\n", "contains itself"),
    ("a: " + "[" * 500 + "]" * 500 + "\n", "nested more than"),
])
def test_self_reference_and_depth_are_refused(tmp_path, text, found):
    from essbench.evidence.yamlfiles import read_yaml as checked_read

    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=found):
        checked_read(path)


def test_a_file_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    from essbench.evidence import yamlfiles

    monkeypatch.setattr(yamlfiles, "MAX_YAML_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="a file of 5,004 bytes.*at most 1,000"):
        yamlfiles.read_yaml(path)


def test_no_message_renders_a_whole_value():
    huge = [[list(range(1000))] * 1000] * 1000
    started = time.monotonic()
    text = shorten(huge)
    assert len(text) <= 80 and time.monotonic() - started < 0.1
    assert len(shorten("x" * 10**7)) <= 80


# -- Numbers that cannot be real -----------------------------------------------------------

@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_infinite_values_are_refused(data, capsys, value):
    # a cited fact: no quote to hold its number, only the schema stands in the way
    path = next(p for p in sorted((data / "profiles").glob("*.yaml"))
                if any(f.get("description") for f in read_yaml(p)["facts"]))
    profile = read_yaml(path)
    cited = next(i for i, f in enumerate(profile["facts"]) if f.get("description"))
    profile["facts"][cited]["value"] = 0
    text = write_yaml(path, profile).read_text(encoding="utf-8")
    marker = f"id: {profile['facts'][cited]['id']}\n"
    head, tail = text.split(marker, 1)
    path.write_text(head + marker + tail.replace("value: 0\n", f"value: {value}\n", 1),
                    encoding="utf-8")
    [line] = problem_lines(validate(data, capsys))
    assert f"facts[{cited}].value" in line and "finite number" in line


# -- Safe outputs --------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://x\";\"clic\")", "+33 1", "-2", "@SUM(A1)", "\tx", "\rx",
            "'=kept", "''", "'plain", "plain", ""]


@given(st.lists(st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "a", "1", " "]),
                max_size=6).map("".join))
def test_a_guarded_cell_is_read_back_exactly(cell):
    from essbench.export import FORMULA_STARTS, neutralise, restore

    guarded = neutralise(cell)
    assert restore(guarded) == cell
    assert not guarded.startswith(FORMULA_STARTS)


def test_csv_cells_never_start_a_formula_and_read_back_exactly(fixture_ess, tmp_path,
                                                               monkeypatch):
    import csv

    import pandas as pd

    from essbench import export as exporting

    real = exporting.tables

    def hostile(data, lang="fr"):
        frames = {name: frame.copy() for name, frame in real(data, lang).items()}
        facts = frames["facts"]
        for index, cell in enumerate(FORMULAS):
            facts.loc[facts.index[index], "quote"] = cell
        return frames

    monkeypatch.setattr(exporting, "tables", hostile)
    exporting.export(fixture_ess, tmp_path)
    for name in exporting.CSV_FILES:
        with open(tmp_path / name, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                assert not [c for c in row if c[:1] in ("=", "+", "@", "\t", "\r")
                            or (c.startswith("-") and not re.fullmatch(r"-[\d.]+", c))], row
    back = essbench.read_export(tmp_path)["facts"]
    expected = hostile(fixture_ess)["facts"]["quote"]
    assert back["quote"].fillna("").tolist() == expected.fillna("").tolist()
    dictionary = pd.read_csv(tmp_path / exporting.DICTIONARY, dtype="string")
    assert dictionary["description"].str.contains("formula").any()
    json.loads((tmp_path / exporting.PROFILES_JSON).read_text(encoding="utf-8"),
               parse_constant=lambda name: pytest.fail(f"{name} in strict JSON"))


def test_json_export_refuses_what_is_not_a_number():
    with pytest.raises(ValueError):
        json.dumps({"v": float("inf")}, allow_nan=False)


def test_markup_in_a_name_is_never_live_in_a_chart(fixture_contexts):
    import copy
    import dataclasses

    from tests.test_figures import TERRITORIES, all_figures

    evil = '<a href="https://evil.example/">lien</a>'
    ctx = fixture_contexts("fr")
    dataset = copy.deepcopy(ctx.dataset)
    for territory in TERRITORIES:
        dataset.profiles[territory].names.short = f"{territory} {evil}"
        dataset.profiles[territory].names.official = f"{territory} {evil}"
    built = all_figures(dataclasses.replace(ctx, dataset=dataset))
    # What plotly draws as text; meta (captions, notes, tables) goes through the page's
    # escaping templates, legend groups and category keys are never drawn.
    undrawn = {"meta", "legendgroup", "categoryarray", "tickvals", "x", "y", "ids"}

    def drawn(value, key=""):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for k, v in value.items():
                if k not in undrawn:
                    yield from drawn(v, k)
        elif isinstance(value, (list, tuple)):
            for v in value:
                yield from drawn(v, key)

    seen = 0
    for name, fig in built.items():
        for text in drawn(fig.to_plotly_json()):
            assert "<a " not in text, (name, text[:200])
            seen += "&lt;a href" in text
    assert seen  # the names are drawn, as text


# -- papermill's copied engine -------------------------------------------------------------

def test_papermill_is_the_one_whose_engine_was_copied():
    from essbench.build.engine import incompatibilities

    found = incompatibilities()
    assert not found, ("essbench/build/engine.py copies papermill's engine, and papermill "
                       "changed: " + "; ".join(found))


def test_a_changed_papermill_is_told_by_name(monkeypatch):
    from essbench.build import engine

    monkeypatch.setitem(engine.COPIED, "papermill.engines:NBClientEngine.execute_managed_notebook",
                        "0" * 16)
    monkeypatch.setattr(engine, "TESTED", ("9.9",))
    monkeypatch.setattr(engine, "USED", (*engine.USED, "papermill.engines:gone"))
    found = engine.incompatibilities()
    assert len(found) == 3
    assert "not one of the tested 9.9" in found[0]
    assert "papermill.engines:gone is gone" in found[1]
    assert "execute_managed_notebook changed" in found[2]


# -- Every kind of input, damaged every way: a problem, never a traceback -------------------

INPUT_FILES = ["profiles/fictif.yaml", "sources/sources.yaml", "sources/cited.yaml",
               "sources/temoin_page.txt", "reference/territories.csv",
               "reference/communes.csv", "reference/manifest.json", "references/france.yaml",
               "../params/temoin.yaml"]


def _damage(path: Path, how: str) -> None:
    content = path.read_bytes()
    path.unlink()
    if how == "empty":
        path.write_bytes(b"")
    elif how == "garbage":
        path.write_bytes(bytes(range(256)) * 4)
    elif how == "truncated":
        path.write_bytes(content[: len(content) // 2])
    elif how == "folder":
        path.mkdir()
    elif how == "loop":
        path.symlink_to(path.name)


@pytest.mark.parametrize("how", ["empty", "garbage", "truncated", "folder", "loop"])
@pytest.mark.parametrize("file", INPUT_FILES)
def test_every_input_damaged_every_way_is_a_problem(data, capsys, file, how):
    _damage(data / file, how)
    code = main(["--root", str(data.parent), "validate"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code == 1 and problem_lines(err), err
    try:
        essbench.load(data.parent)
    except InvalidInput:
        pass


def test_an_error_of_essbench_itself_is_said_without_a_traceback(monkeypatch, capsys):
    from essbench import cli

    def broken(args):
        raise KeyError("a bug")

    monkeypatch.delenv(cli.TRACEBACK_ENV, raising=False)
    monkeypatch.setattr(cli, "_validate", broken)
    monkeypatch.setattr(cli, "parser", _parser_with(cli, broken))
    assert cli.main(["validate"]) == cli.EXIT_FAULT
    err = capsys.readouterr().err
    assert "unexpected error" in err and "KeyError" in err and "Traceback" not in err
    monkeypatch.setenv(cli.TRACEBACK_ENV, "1")
    with pytest.raises(KeyError):
        cli.main(["validate"])


def _parser_with(cli, run):
    real = cli.parser

    def parser():
        built = real()
        for action in built._subparsers._group_actions:
            action.choices["validate"].set_defaults(run=run)
        return built

    return parser
