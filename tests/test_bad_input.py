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


# The cases break Ville-Témoin of the fixture project (tests/fixture_project.py), whose facts
# are, in order: jobs in 2015, 2019, 2022, shares in 2019 and 2022, establishments in 2019 and
# 2022, the 2023 budget, two growth rates.

@pytest.fixture
def data(fixture_copy: Path) -> Path:
    return fixture_copy / "data"


@pytest.mark.parametrize(
    ("content", "field", "allowed"),
    [
        (b"id: [temoin\n", "line", "valid YAML"),
        (b"", "(file)", "a YAML mapping"),
        (b"   \n\n", "(file)", "a YAML mapping"),
        (bytes(range(256)), "(file)", "UTF-8"),
        (b"- just\n- a list\n", "(file)", "a YAML mapping"),
        (b"id: temoin\nid: temoin\n", "line", "valid YAML"),
    ],
    ids=["invalid-yaml", "empty", "blank", "binary", "not-a-mapping", "duplicate-key"],
)
def test_unreadable_files(data, capsys, content, field, allowed):
    (data / "profiles" / "temoin.yaml").write_bytes(content)
    err = validate(data, capsys)
    assert "profiles/temoin.yaml" in err and field in err and allowed in err


CASES = {
    "unknown-key": (lambda p: p.update(budget=3), "budget", "no such key"),
    "unknown-indicator": (lambda p: fact(p, "jobs_2015").update(indicator="ess_jobs"),
                          "facts[0].indicator", "'ess_employees'"),
    "unknown-lever": (lambda p: p["levers"][0].update(lever="lobbying"),
                      "levers[0].lever", "'network_animation'"),
    "unknown-theme": (lambda p: p["themes"][0].update(theme="space"),
                      "themes[0].theme", "'food_short_circuits'"),
    "quote-not-in-source": (lambda p: fact(p, "jobs_2015").update(quote="1 200 en 2016"),
                            "facts[0].quote", "verbatim extract"),
    "value-not-in-quote": (lambda p: fact(p, "jobs_2015").update(value=1201),
                           "facts[0].value", "1200"),
    "number-not-in-quote": (lambda p: fact(p, "jobs_2015").update(as_written="1 201"),
                            "facts[0].as_written", "inside the quote"),
    "share-above-one": (lambda p: fact(p, "share_2019").update(value=11),
                        "facts[3].value", "a share from 0 to 1"),
    "negative-count": (lambda p: fact(p, "establishments_2019").update(value=-150),
                       "facts[5].value", "zero or more"),
    "future-year": (lambda p: fact(p, "jobs_2015").update(period=2999),
                    "facts[0].period.start", "a year from 1900"),
    "year-before-1900": (lambda p: fact(p, "jobs_2015").update(period=1850),
                         "facts[0].period.start", "a year from 1900"),
    "span-backwards": (lambda p: fact(p, "jobs_2019").update(period="2019-2012"),
                       "facts[1].period.end", "a year from the start, 2019, on"),
    "undated-without-note": (lambda p: fact(p, "jobs_2019").update(period={}),
                             "facts[1].period.note", "what is known of the period"),
    "quote-and-description": (lambda p: fact(p, "jobs_2019").update(description="x"),
                              "facts[1].quote", "one of the two"),
    "description-for-archived-source": (
        lambda p: fact(p, "jobs_2019").update(quote=None, description="Emplois de l'ESS"),
        "facts[1].description", "a quote"),
    "old-and-new-period": (lambda p: fact(p, "jobs_2019").update(year=2019),
                           "facts[1].period", "not both"),
    "annual-amount-over-a-span": (
        lambda p: p["facts"].append({**fact(p, "budget_2023"), "id": "line",
                                     "period": "2022-2023", "indicator": "ess_budget_line_eur",
                                     "scope": {"nature": "operating", "period": "annual"}}),
        "].scope", "is multi_year, not annual"),
    "unknown-source": (lambda p: fact(p, "jobs_2015").update(source="le_monde"),
                       "facts[0].source", "a source id of sources.yaml"),
    "wrong-unit": (lambda p: fact(p, "jobs_2015").update(unit="eur"),
                   "facts[0].unit", "unit of ess_employees is 'persons'"),
    "excluded-and-mapped-lever": (lambda p: p.update(levers_excluded=[dict(p["levers"][0])]),
                                  "levers[0].lever", "do not exclude"),
    "missing-field": (lambda p: p.pop("kind"), "kind", "required"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_profile_content(data, capsys, case):
    change, field, allowed = CASES[case]
    edit_profile(data, "temoin", change)
    err = validate(data, capsys)
    assert "profiles/temoin.yaml" in err
    assert field in err, err
    assert allowed in err, err


def test_the_fixture_is_valid_before_it_is_broken(data, capsys):
    assert main(["--root", str(data.parent), "validate"]) == 0
    assert "OK" in capsys.readouterr().out


def test_duplicate_territory_id(data, capsys):
    text = (data / "profiles" / "temoin.yaml").read_text(encoding="utf-8")
    (data / "profiles" / "temoin_bis.yaml").write_text(text, encoding="utf-8")
    err = validate(data, capsys)
    assert "profiles/temoin_bis.yaml: id: found 'temoin'" in err


def test_missing_source_file(data, capsys):
    (data / "sources" / "fictif_page.txt").unlink()
    err = validate(data, capsys)
    assert "sources/sources.yaml: [1].file" in err and "a file present" in err


def test_altered_source_file(data, capsys):
    path = data / "sources" / "temoin_page.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("1 500", "1 600"), encoding="utf-8")
    err = validate(data, capsys)
    assert "sources/sources.yaml: [0].sha256" in err and "never edited" in err


def test_every_problem_is_reported_at_once(data, capsys):
    def break_twice(p):
        p.update(budget=3)
        fact(p, "jobs_2015").update(value=-1)

    edit_profile(data, "temoin", break_twice)
    edit_profile(data, "fictif", lambda p: p["levers"][0].update(lever="x"))
    err = validate(data, capsys)
    assert "problem(s) found" in err
    assert "temoin.yaml: budget" in err and "temoin.yaml: facts[0]" in err
    assert "fictif.yaml: levers[0].lever" in err


@pytest.mark.integration  # a process of its own
def test_command_line_prints_no_traceback(data):
    (data / "profiles" / "fictif.yaml").write_bytes(b"\x00\x01garbage")
    run = subprocess.run([sys.executable, "-m", "essbench.cli", "--root", str(data.parent),
                          "validate"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "fictif.yaml" in run.stderr


def test_a_page_reads_only_its_own_documents(data):
    from essbench.evidence.dataset import load_dataset
    from essbench.evidence.problems import InvalidInput

    # A page loads its territories, the reference areas and the documents they rest on: at
    # 1,000 territories, reading every document for every page cost more than the page.
    (data / "sources" / "fictif_page.txt").unlink()
    dataset = load_dataset(data, only=["temoin"])
    assert not [sid for sid, s in dataset.sources.items() if s.territory == "fictif"]
    assert "fictif_page" not in dataset.sources
    with pytest.raises(InvalidInput, match="fictif_page"):
        load_dataset(data)


def test_what_is_allowed_stays_readable_with_a_thousand_territories():
    from essbench.evidence.arguments import InvalidArgument, check_id

    valid = {f"synth_{i:04d}" for i in range(1000)}
    with pytest.raises(InvalidArgument) as error:
        check_id("synth_10000", valid, argument="territory", what="territory")
    message = str(error.value)
    assert "'synth_10000'" in message and "and 980 more" in message and len(message) < 700


def test_a_plan_may_end_in_years_to_come_a_figure_may_not(data, capsys):
    """A plan adopted for years to come (2024-2028) is entered as written; a figure of a year to
    come and a plan beyond twenty years from now are refused."""
    import datetime

    from essbench.evidence.profiles import ProgrammePeriod

    ahead = datetime.date.today().year + 2
    period = {"start": 2024, "end": ahead, "source": "temoin_page", "quote": f"2024-{ahead}"}
    assert ProgrammePeriod.model_validate(period).end == ahead
    edit_profile(data, "temoin", lambda p: p["policy_history"][0].update(end=ahead))
    assert main(["--root", str(data.parent), "validate"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    edit_profile(data, "temoin", lambda p: p["policy_history"][0].update(end=ahead + 30))
    err = validate(data, capsys)
    assert "policy_history[0].end" in err and "a plan may end in years to come" in err, err
    edit_profile(data, "temoin", lambda p: (p["policy_history"][0].update(end=ahead),
                                            fact(p, "jobs_2015").update(period=ahead)))
    err = validate(data, capsys)
    assert "facts[0].period" in err and "a year from 1900" in err, err
