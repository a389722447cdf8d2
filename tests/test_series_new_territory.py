"""Adding a territory is data only: the scaffold writes it, colours stay, lists come from data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project
from essbench.build.params import load_dashboards
from essbench.evidence.dataset import load_dataset
from essbench.evidence.problems import InvalidInput
from essbench.figures.layout import YARDSTICK_COLORS, territory_colors
from essbench.project import Project
from essbench.scaffold import new_territory

PROFILES = sorted(p.stem for p in (ROOT / "data" / "profiles").glob("*.yaml"))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(copy_project(tmp_path / "project"))


def test_every_profile_has_its_page_and_a_place_in_the_comparison():
    compare = yaml.safe_load((ROOT / "params" / "compare.yaml").read_text(encoding="utf-8"))
    assert sorted(compare["parameters"]["territories"]) == PROFILES
    for territory in PROFILES:
        params = yaml.safe_load((ROOT / "params" / f"{territory}.yaml").read_text(encoding="utf-8"))
        assert params["parameters"]["territory"] == territory


def test_colours_are_fixed_distinct_and_never_a_yardstick(dataset):
    colors = territory_colors(dataset)
    assert set(colors) == set(PROFILES)
    assert len(set(colors.values())) == len(colors)
    assert not set(colors.values()) & YARDSTICK_COLORS
    # A page that reads one profile draws it in the colour the comparison gives it (a colour
    # stored twice, as in a copied profile, is resolved in comparisons only).
    stored = [str(dataset.profiles[t].color).upper() for t in PROFILES]
    for territory in PROFILES:
        if stored.count(str(dataset.profiles[territory].color).upper()) > 1:
            continue
        alone = load_dataset(ROOT / "data", only=[territory])
        assert territory_colors(alone)[territory] == colors[territory]


@pytest.mark.integration  # reads the reference package's tables
def test_new_epci_from_its_siren(project):
    before = territory_colors(load_dataset(project.data))
    written = new_territory(project, "lyon", siren="200046977")
    assert [p.name for p in written] == ["lyon.yaml", "lyon.yaml", "compare.yaml"]
    dataset = load_dataset(project.data)
    lyon = dataset.profiles["lyon"]
    assert lyon.kind == "metropole" and lyon.codes.departement == "69"
    assert lyon.perimeter.rule == "epci" and lyon.perimeter.code == "200046977"
    after = territory_colors(dataset)
    assert {t: after[t] for t in before} == before  # nobody recoloured
    assert after["lyon"] not in set(before.values()) | YARDSTICK_COLORS
    names = {d.name for d in load_dashboards(project.root, data=project.data)}
    assert {"lyon", "compare"} <= names
    compare = yaml.safe_load((project.params / "compare.yaml").read_text(encoding="utf-8"))
    assert compare["parameters"]["territories"][-1] == "lyon"


@pytest.mark.integration  # reads the reference package's tables
def test_new_departement_and_communes(project):
    new_territory(project, "nord", departement="59")
    new_territory(project, "deux_communes", communes=["01001", "01002"],
                  kind="communaute_communes", name="Deux communes")
    dataset = load_dataset(project.data)
    assert dataset.profiles["nord"].names.official == "Département du Nord"
    assert dataset.profiles["nord"].codes.region == "32"
    assert dataset.profiles["deux_communes"].perimeter.communes == ["01001", "01002"]


@pytest.mark.integration
@pytest.mark.parametrize(("kwargs", "field"), [
    ({"siren": "123456789"}, "--siren"),
    ({"departement": "99"}, "--departement"),
    ({"communes": ["99999"], "kind": "communaute_communes"}, "--communes"),
    ({"communes": ["01001"]}, "--kind"),
    ({}, "perimeter"),
    ({"siren": "200046977", "departement": "69"}, "perimeter"),
])
def test_bad_scaffold_input_writes_nothing(project, kwargs, field):
    with pytest.raises(InvalidInput) as error:
        new_territory(project, "nouveau", **kwargs)
    assert field in str(error.value)
    assert not (project.profiles / "nouveau.yaml").exists()


def test_a_copied_profile_is_valid_and_recolours_no_other_territory(project):
    text = (project.profiles / f"{PROFILES[0]}.yaml").read_text(encoding="utf-8")
    (project.profiles / "copie.yaml").write_text(
        text.replace(f"id: {PROFILES[0]}", "id: copie", 1), encoding="utf-8")
    before = territory_colors(load_dataset(project.data, only=PROFILES))
    colors = territory_colors(load_dataset(project.data))
    assert {t: colors[t] for t in PROFILES[1:]} == {t: before[t] for t in PROFILES[1:]}
    # The two sharing a stored colour get two colours, neither a yardstick's.
    assert colors["copie"] != colors[PROFILES[0]]
    assert not {colors["copie"], colors[PROFILES[0]]} & YARDSTICK_COLORS


def test_an_existing_id_is_refused(project):
    with pytest.raises(InvalidInput, match="exists"):
        new_territory(project, PROFILES[0], departement="59")
