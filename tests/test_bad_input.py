"""Each way a curator can break the data is refused with the file, the field and what is allowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from essbench.cli import main
from tests.conftest import read_yaml, write_yaml


def validate(data: Path, capsys) -> str:
    code = main(["--root", str(data.parent), "validate"])
    err = capsys.readouterr().err
    assert code == 1, "validation should fail"
    assert "Traceback" not in err
    return err


def edit_profile(data: Path, territory: str, change) -> Path:
    path = data / "profiles" / f"{territory}.yaml"
    profile = read_yaml(path)
    change(profile)
    return write_yaml(path, profile)


def fact(profile: dict, fact_id: str) -> dict:
    return next(f for f in profile["facts"] if f["id"] == fact_id)


def test_real_data_is_valid(capsys):
    assert main(["validate"]) == 0
    assert "OK" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "field", "allowed"),
    [
        (b"id: [grasse\n", "line", "valid YAML"),
        (b"", "(file)", "a YAML mapping"),
        (b"   \n\n", "(file)", "a YAML mapping"),
        (bytes(range(256)), "(file)", "UTF-8"),
        (b"- just\n- a list\n", "(file)", "a YAML mapping"),
        (b"id: grasse\nid: grasse\n", "line", "valid YAML"),
    ],
    ids=["invalid-yaml", "empty", "blank", "binary", "not-a-mapping", "duplicate-key"],
)
def test_unreadable_files(data_copy, capsys, content, field, allowed):
    (data_copy / "profiles" / "grasse.yaml").write_bytes(content)
    err = validate(data_copy, capsys)
    assert "profiles/grasse.yaml" in err and field in err and allowed in err


CASES = {
    "unknown-key": (lambda p: p.update(budget=3), "budget", "no such key"),
    "unknown-indicator": (lambda p: fact(p, "establishments").update(indicator="ess_jobs"),
                          "facts[0].indicator", "'ess_employees'"),
    "unknown-lever": (lambda p: p["levers"][0].update(lever="lobbying"),
                      "levers[0].lever", "'network_animation'"),
    "unknown-theme": (lambda p: p["themes"][0].update(theme="space"),
                      "themes[0].theme", "'food_short_circuits'"),
    "quote-not-in-source": (lambda p: fact(p, "establishments").update(
        quote="Avec 227 établissements employeurs"), "facts[0].quote", "verbatim extract"),
    "value-not-in-quote": (lambda p: fact(p, "establishments").update(value=262),
                           "facts[0].value", "226"),
    "number-not-in-quote": (lambda p: fact(p, "establishments").update(as_written="262"),
                            "facts[0].as_written", "inside the quote"),
    "share-above-one": (lambda p: fact(p, "private_employment_share").update(value=10),
                        "facts[3].value", "a share from 0 to 1"),
    "negative-count": (lambda p: fact(p, "establishments").update(value=-226),
                       "facts[0].value", "zero or more"),
    "future-year": (lambda p: fact(p, "policy_start").update(period=2999),
                    "facts[5].period.start", "a year from 1900"),
    "year-before-1900": (lambda p: fact(p, "policy_start").update(period=1850),
                         "facts[5].period.start", "a year from 1900"),
    "span-backwards": (lambda p: fact(p, "employees").update(period="2015-2012"),
                       "facts[1].period.end", "a year from the start, 2015, on"),
    "undated-without-note": (lambda p: fact(p, "employees").update(period={}),
                             "facts[1].period.note", "what is known of the period"),
    "quote-and-description": (lambda p: fact(p, "employees").update(description="x"),
                              "facts[1].quote", "one of the two"),
    "description-for-archived-source": (
        lambda p: fact(p, "employees").update(quote=None, description="Nombre de salariés"),
        "facts[1].description", "a quote"),
    "old-and-new-period": (lambda p: fact(p, "employees").update(year=2014),
                           "facts[1].period", "not both"),
    "annual-amount-over-a-span": (
        lambda p: p["facts"].append({**fact(p, "gross_wages"), "id": "w2", "period": "2012-2013",
                                     "indicator": "ess_budget_line_eur", "primary": False,
                                     "scope": {"nature": "operating", "period": "annual"}}),
        "].scope", "is multi_year, not annual"),
    "unknown-source": (lambda p: fact(p, "establishments").update(source="le_monde"),
                       "facts[0].source", "a source id of sources.yaml"),
    "wrong-unit": (lambda p: fact(p, "establishments").update(unit="eur"),
                   "facts[0].unit", "unit of ess_establishments is 'count'"),
    "excluded-and-mapped-lever": (lambda p: p.update(levers_excluded=[dict(p["levers"][0])]),
                                  "levers[0].lever", "do not exclude"),
    "missing-field": (lambda p: p.pop("kind"), "kind", "required"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_profile_content(data_copy, capsys, case):
    change, field, allowed = CASES[case]
    edit_profile(data_copy, "grasse", change)
    err = validate(data_copy, capsys)
    assert "profiles/grasse.yaml" in err
    assert field in err, err
    assert allowed in err, err


def test_duplicate_territory_id(data_copy, capsys):
    text = (data_copy / "profiles" / "grasse.yaml").read_text(encoding="utf-8")
    (data_copy / "profiles" / "grasse_bis.yaml").write_text(text, encoding="utf-8")
    err = validate(data_copy, capsys)
    assert "profiles/grasse_bis.yaml: id: found 'grasse'" in err


def test_missing_source_file(data_copy, capsys):
    (data_copy / "sources" / "grenoble_rtes_fiche.txt").unlink()
    err = validate(data_copy, capsys)
    assert "sources/sources.yaml: [4].file" in err and "a file present" in err


def test_altered_source_file(data_copy, capsys):
    path = data_copy / "sources" / "gpsea_rtes_fiche.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("92 900", "192 900"), encoding="utf-8")
    err = validate(data_copy, capsys)
    assert "sources/sources.yaml: [1].sha256" in err and "never edited" in err


def test_every_problem_is_reported_at_once(data_copy, capsys):
    def break_twice(p):
        p.update(budget=3)
        fact(p, "establishments").update(value=-1)

    edit_profile(data_copy, "grasse", break_twice)
    edit_profile(data_copy, "gpsea", lambda p: p["levers"][0].update(lever="x"))
    err = validate(data_copy, capsys)
    assert "problem(s) found" in err
    assert "grasse.yaml: budget" in err and "grasse.yaml: facts[0]" in err
    assert "gpsea.yaml: levers[0].lever" in err


@pytest.mark.integration  # a process of its own
def test_command_line_prints_no_traceback(data_copy):
    (data_copy / "profiles" / "gpsea.yaml").write_bytes(b"\x00\x01garbage")
    run = subprocess.run([sys.executable, "-m", "essbench.cli", "--root", str(data_copy.parent), "validate"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "gpsea.yaml" in run.stderr


def test_a_page_reads_only_its_own_documents(data_copy):
    from essbench.evidence.dataset import load_dataset
    from essbench.evidence.problems import InvalidInput

    # A page loads its territories, the reference areas and the documents they rest on: at
    # 1,000 territories, reading every document for every page cost more than the page.
    (data_copy / "sources" / "grenoble_rtes_fiche.txt").unlink()
    dataset = load_dataset(data_copy, only=["grasse"])
    assert not [sid for sid, s in dataset.sources.items() if s.territory in ("grenoble", "gpsea")]
    assert "grenoble_rtes_fiche" not in dataset.sources
    with pytest.raises(InvalidInput, match="grenoble_rtes_fiche"):
        load_dataset(data_copy)


def test_what_is_allowed_stays_readable_with_a_thousand_territories():
    from essbench.evidence.arguments import InvalidArgument, check_id

    valid = {f"synth_{i:04d}" for i in range(1000)}
    with pytest.raises(InvalidArgument) as error:
        check_id("synth_10000", valid, argument="territory", what="territory")
    message = str(error.value)
    assert "'synth_10000'" in message and "and 980 more" in message and len(message) < 700
