"""What a curator adding territories from cited pages can now say, on fixture territories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from essbench.cli import main
from essbench.evidence.dataset import load_dataset
from essbench.evidence.problems import InvalidInput
from essbench.figures.timeline import timeline_events, timeline_figure
from tests.test_series import PLANS, problems_of, write_project

CITED = {"id": "page_citee", "territory": "temoin", "url": "https://example.org/ess",
         "publisher": "Ville-Témoin", "title": "Page ESS", "document_kind": "web_page",
         "date_published": "2024", "date_published_known": "2024.",
         "description": "Made-up cited page."}


def with_cited(data: Path) -> Path:
    (data / "sources" / "cited.yaml").write_text(yaml.safe_dump([CITED], allow_unicode=True),
                                                 encoding="utf-8")
    return data


def edit(data: Path, change) -> Path:
    path = data / "profiles" / "temoin.yaml"
    profile = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(profile)
    path.write_text(yaml.safe_dump(profile, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return data


def test_a_lever_and_a_theme_read_on_a_cited_page(tmp_path):
    lever = {"lever": "call_for_projects", "source": "page_citee",
             "description": "Un appel à projets annuel."}
    theme = {"theme": "housing", "basis": "action", "source": "page_citee",
             "description": "Des coopératives d'habitants."}
    data = with_cited(write_project(tmp_path, [], levers=[lever], themes=[theme]))
    profile = load_dataset(data).profiles["temoin"]
    assert [(m.lever, m.evidence) for m in profile.levers] == [("call_for_projects", "cited")]
    assert [(m.theme, m.evidence) for m in profile.themes] == [("housing", "cited")]
    # A described lever must rest on a cited page; a quote on an archived one; never both.
    both = {**lever, "quote": "ESS"}
    assert "levers[0]" in problems_of(with_cited(write_project(tmp_path / "b", [],
                                                                levers=[both])))
    archived = {**lever, "source": "page"}
    assert "levers[0]" in problems_of(write_project(tmp_path / "c", [], levers=[archived]))
    # Ruling a lever out takes an archived source's own words, never a description.
    with pytest.raises(InvalidInput) as error:
        load_dataset(with_cited(write_project(tmp_path / "d", [], levers_excluded=[lever])))
    assert "levers_excluded[0]" in str(error.value)


def test_a_territory_over_several_departements(tmp_path):
    perimeter = {"rule": "departements", "codes": ["01", "38"], "valid_from": "unknown"}
    codes = {"siren": "unknown", "insee": "unknown", "departement": "01",
             "departements": ["01", "38"], "region": "84"}
    data = write_project(tmp_path, [], perimeter=perimeter, codes=codes)
    profile = load_dataset(data).profiles["temoin"]
    assert profile.codes.all_departements == ["01", "38"]
    assert profile.perimeter.codes == ["01", "38"]
    alone = {**perimeter, "codes": ["01"]}
    assert "perimeter" in problems_of(write_project(tmp_path / "b", [], perimeter=alone))
    missing_main = {**codes, "departement": "73"}
    assert "codes" in problems_of(write_project(tmp_path / "c", [], codes=missing_main))


def test_an_ept_keeps_its_siren_and_a_note_on_it(tmp_path):
    codes = {"siren": "200000001", "insee": "unknown", "departement": "01", "region": "84",
             "note": "SIREN lu sur une page citée."}
    profile = load_dataset(write_project(tmp_path, [], codes=codes)).profiles["temoin"]
    assert profile.perimeter.rule == "communes" and profile.codes.siren == "200000001"


def test_new_indicators_take_their_units(tmp_path):
    def cited(id_, indicator, value, unit, written, **extra):
        return {"id": id_, "indicator": indicator, "value": value, "unit": unit,
                "period": 2024, "qualifier": extra.pop("qualifier", "exact"),
                "as_written": written, "source": "page_citee",
                "description": "Un chiffre de la page.", **extra}

    facts = [cited("cap", "grant_cap_eur", 10000, "eur", "jusqu'à 10 000 €", qualifier="at_most"),
             cited("applicants", "call_for_projects_applicants", 15, "count", "15"),
             cited("associations", "ess_associations", 434, "count", "434"),
             cited("funding", "ess_organisations_funding_eur", 40_000_000, "eur",
                   "40 millions", conversion="millions",
                   scope={"nature": "grants_or_fund", "period": "annual"})]
    dataset = load_dataset(with_cited(write_project(tmp_path, facts)))
    assert [f.value for f in dataset.facts("temoin")] == [10000, 15, 434, 40_000_000]
    # Funding to ESS organisations is no policy budget: it says what it covers.
    unscoped = [{k: v for k, v in facts[3].items() if k != "scope"}]
    assert "scope" in problems_of(with_cited(write_project(tmp_path / "b", unscoped)))
    wrong_unit = [cited("cap", "grant_cap_eur", 10, "count", "10")]
    assert "unit" in problems_of(with_cited(write_project(tmp_path / "c", wrong_unit)))


def test_plans_of_the_history_are_drawn_on_the_timeline(tmp_path):
    dataset = load_dataset(write_project(tmp_path, [], policy_history=PLANS))
    plans = [e for e in timeline_events(dataset, ["temoin"]) if e.kind == "plan"]
    assert [(e.start, e.end) for e in plans] == [(2006, 2009), (2009, 2012), (2013, 2015),
                                                 (2015, 2021), (2021, 2027)]
    # Years already in the plan's name are not written twice.
    assert [e.label for e in plans][1] == "Plan ESS 2009-2011"
    chart = timeline_figure(dataset, ["temoin"], "en")
    assert len(chart.table["rows"]) == 5
    assert "Other plan or contract" in json.dumps(chart.figure.to_plotly_json()["data"])


def test_validate_says_to_build_the_reference_for_a_new_territory(tmp_path, capsys):
    data = write_project(tmp_path, [])
    (tmp_path / "params").mkdir()  # a project: data/profiles/ and params/ (empty: told apart)
    (data / "reference").mkdir()
    manifest = data / "reference" / "manifest.json"

    def lines_about_temoin() -> list[str]:
        assert main(["--root", str(tmp_path), "validate"]) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err
        return [line for line in err.splitlines() if "temoin.yaml" in line]

    manifest.write_text(json.dumps({"territories": {}}), encoding="utf-8")
    (line,) = lines_about_temoin()
    assert "perimeter" in line and "make reference" in line
    # Once built with this perimeter, nothing is said of it.
    from essbench.geography.reference import territory_record

    profile = load_dataset(data).profiles["temoin"]
    record = territory_record({"perimeter": profile.perimeter.model_dump(mode="json"),
                                "former_perimeters": []})
    manifest.write_text(json.dumps({"territories": {"temoin": record}}), encoding="utf-8")
    assert lines_about_temoin() == []
    # A perimeter changed since: told again, in one line.
    edit(data, lambda p: p["perimeter"].update(communes=["01001", "01002"]))
    (line,) = lines_about_temoin()
    assert "changed since" in line and "make reference" in line


@pytest.mark.integration  # reads the reference package's tables
def test_new_region_and_new_ept_from_the_command(tmp_path):
    from conftest import copy_project
    from essbench.project import Project
    from essbench.scaffold import new_territory

    project = Project(copy_project(tmp_path / "project"))
    new_territory(project, "bretagne_test", departements=["35", "22", "29", "56"],
                  name="Région Bretagne")
    new_territory(project, "ept_test", communes=["93001", "93066"], siren="200057867",
                  kind="etablissement_public_territorial", name="EPT")
    dataset = load_dataset(project.data)
    region, ept = dataset.profiles["bretagne_test"], dataset.profiles["ept_test"]
    assert region.kind == "region" and region.perimeter.rule == "departements"
    assert region.codes.all_departements == ["35", "22", "29", "56"] and region.codes.region == "53"
    assert ept.codes.siren == "200057867" and ept.perimeter.rule == "communes"
    with pytest.raises(InvalidInput) as error:
        new_territory(project, "nowhere", departements=["35", "99"])
    assert "--departements" in str(error.value)
    assert not (project.profiles / "nowhere.yaml").exists()
