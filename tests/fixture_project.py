"""A small made-up project for testing mechanisms: two fictional territories, their archived
pages and cited pages, France and a fictional région as yardsticks, and a reference geography of
square communes. Nothing here comes from the real data: a test on it breaks when a mechanism
breaks, never because a real territory's evidence was corrected.

`write_project(root)` writes it; `tests/conftest.py` gives it as the `fixture_root` (session,
read only) and `fixture_copy` (a copy a test may edit) fixtures. What the data holds, and why:

Ville-Témoin (`temoin`, 4 communes, région "Région-Témoin" code 99)
  - ESS jobs at three dates (2015, 2019, 2022: a series), quoted from its archived page;
  - its share of salaried jobs in 2019 (11 %) and 2022 (12 %), set against the région (10 %,
    2022) and France (10 % in 2019, 10,5 % in 2021), all on the salaried-jobs base;
  - ESS establishments in 2019 and 2022 (Val-Fictif has them in 2020 and 2023: a shared series);
  - an ESS budget of 1,2 M€ for 2023 that excludes staff costs (a scope), so a budget per
    inhabitant; two growth rates for 2022 that disagree (a listed contradiction);
  - a programme 2016-2020 (ended), levers (one excluded), themes.
Val-Fictif (`fictif`, 3 communes, same région)
  - its share of ALL jobs, "environ 9 %", from a cited page (another base, approximate);
  - an outlier share (40 %) kept but never the headline; no ESS budget (ratios unknown);
  - ESS jobs "plus de 800" on a geography worded in its own terms; "plus de 12 %" of private
    jobs (a lower bound); a wage bill of "près de 30 millions" (never a budget);
  - a former perimeter (Ancien-Val: two of its communes, until 2019) and that change's date;
  - a call for projects at two dates (a series) and an undated amount; a running programme.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import yaml

TERRITORIES = ("fictif", "temoin")
REGION_CODE = "99"

TEMOIN_PAGE = """Ville-Témoin et l'économie sociale et solidaire
Emplois de l'ESS : 1 200 en 2015, 1 350 en 2019 et 1 500 en 2022.
La part de l'ESS est de 11 % de l'emploi salarié en 2019 et de 12 % de l'emploi salarié en 2022,
pour 10 % dans la région.
Le budget ESS 2023 est de 1,2 M€, hors frais de personnel.
Le plan ESS de Ville-Témoin a couvert les années 2016 à 2020. Il a créé un forum annuel de l'ESS.
La communauté anime le réseau des acteurs et soutient la création d'entreprises solidaires.
Elle ne lance pas d'appel à projets.
L'ESS y porte le réemploi et l'insertion par l'activité économique.
"""

FICTIF_PAGE = """Val-Fictif, terre d'ESS
Au total, plus de 800 salariés de l'ESS travaillent dans tout le val.
L'ESS y pèse plus de 12 % des salariés du secteur privé.
Leurs salaires bruts atteignent près de 30 millions d'euros.
Le Val-Fictif est né en 2020 de l'Ancien-Val (deux communes) et de Val-d'en-Bas.
Le programme Val Solidaire court de 2021 à 2026.
Val-Fictif finance les projets des associations par un appel à projets annuel.
"""

ARCHIVED = {
    "temoin_page": ("temoin_page.txt", TEMOIN_PAGE, "temoin", "2024-03-15"),
    "fictif_page": ("fictif_page.txt", FICTIF_PAGE, "fictif", "unknown"),
}

CITED = [
    {"id": "fictif_article", "territory": "fictif", "url": "https://example.org/val-fictif",
     "publisher": "Gazette du Val (fictive)", "title": "L'ESS dans le Val-Fictif",
     "document_kind": "news_article", "date_published": "2023-06",
     "date_published_known": "Juin 2023.",
     "description": "Made-up article on the ESS of Val-Fictif, for the tests."},
    {"id": "national_panorama", "territory": "france", "url": "https://example.org/panorama",
     "publisher": "Observatoire fictif", "title": "Panorama fictif de l'ESS",
     "document_kind": "report", "date_published": "2022",
     "date_published_known": "2022.",
     "description": "Made-up national panorama, for the tests."},
]

# (territory, insee, name, population, x, y): squares of 0.1 degree around (5.0, 45.0).
COMMUNES = [
    ("temoin", "99001", "Témoin-la-Ville", 40_000, 0, 0),
    ("temoin", "99002", "Pré-Témoin", 5_000, 1, 0),
    ("temoin", "99003", "Bois-Témoin", 3_000, 0, 1),
    ("temoin", "99004", "Mont-Témoin", 2_000, 1, 1),
    ("fictif", "99011", "Fictif-sur-Val", 20_000, 3, 0),
    ("fictif", "99012", "Val-d'en-Haut", 6_000, 4, 0),
    ("fictif", "99013", "Val-d'en-Bas", 4_000, 3, 1),
]

# The communes of Val-Fictif's former perimeter, as communes.csv marks them.
FORMER = {"99011": "Ancien-Val", "99012": "Ancien-Val"}


def _fact(id_, indicator, value, unit, period, as_written, source, text=None, **extra):
    """A fact: quoted (`text` is the quote) or cited (`text` is the description)."""
    fact = {"id": id_, "indicator": indicator, "value": value, "unit": unit, "period": period,
            "qualifier": extra.pop("qualifier", "exact"), "as_written": as_written,
            "source": source}
    fact["quote" if source in ARCHIVED else "description"] = text
    return {**fact, **extra}


def _share(id_, value, period, as_written, source, text, base="salaried_jobs", **extra):
    return _fact(id_, "ess_employment_share", value, "share", period, as_written, source, text,
                 conversion="percent", base=base, **extra)


def _establishments(by_year: dict[int, int], name: str) -> list[dict]:
    """A series both territories have (cited), for the comparison's shared series."""
    return [_fact(f"establishments_{year}", "ess_establishments", value, "count", year,
                  str(value), "national_panorama", f"Made-up ESS establishments of {name}.")
            for year, value in by_year.items()]


TEMOIN = {
    "id": "temoin",
    "names": {"official": "Communauté de communes de Ville-Témoin", "short": "Ville-Témoin"},
    "kind": "communaute_communes",
    "codes": {"siren": "unknown", "insee": "unknown", "departement": "99",
              "region": REGION_CODE},
    "perimeter": {"rule": "communes", "communes": ["99001", "99002", "99003", "99004"],
                  "valid_from": "unknown"},
    "facts": [
        *[_fact(f"jobs_{year}", "ess_employees", value, "persons", year, written,
                "temoin_page", f"{written} en {year}")
          for year, value, written in ((2015, 1200, "1 200"), (2019, 1350, "1 350"),
                                       (2022, 1500, "1 500"))],
        _share("share_2019", 0.11, 2019, "11 %", "temoin_page",
               "11 % de l'emploi salarié en 2019", base_as_worded="de l'emploi salarié"),
        _share("share_2022", 0.12, 2022, "12 %", "temoin_page",
               "12 % de l'emploi salarié en 2022", base_as_worded="de l'emploi salarié"),
        *_establishments({2019: 150, 2022: 160}, "Ville-Témoin"),
        _fact("budget_2023", "ess_budget_eur", 1_200_000, "eur", 2023, "1,2 M€", "temoin_page",
              "Le budget ESS 2023 est de 1,2 M€, hors frais de personnel",
              conversion="millions",
              scope={"nature": "mixed", "period": "annual",
                     "excludes": ["frais de personnel"]}),
        _fact("growth_a", "ess_employment_growth", 0.02, "rate", 2022, "+2 %", "national_panorama",
              "Made-up growth of ESS jobs in Ville-Témoin, first figure.", conversion="percent"),
        _fact("growth_b", "ess_employment_growth", 0.03, "rate", 2022, "+3 %", "national_panorama",
              "Made-up growth of ESS jobs in Ville-Témoin, second figure.", conversion="percent"),
    ],
    "contradictions": [{"indicator": "ess_employment_growth", "facts": ["growth_a", "growth_b"],
                        "note": "Deux chiffres pour la même année."}],
    "programme": {"name": "Plan ESS de Ville-Témoin",
                  "period": {"start": 2016, "end": 2020, "source": "temoin_page",
                             "quote": "a couvert les années 2016 à 2020"},
                  "actions": [{"title": "Forum annuel de l'ESS", "stage": "reported",
                               "source": "temoin_page",
                               "quote": "Il a créé un forum annuel de l'ESS."}]},
    "policy_history": [{"id": "plan", "kind": "plan", "name": "Plan ESS", "start": 2016,
                        "end": 2020, "documents": [{"source": "temoin_page",
                                                    "quote": "a couvert les années 2016 à 2020"}]}],
    "levers": [
        {"lever": "network_animation", "source": "temoin_page",
         "quote": "La communauté anime le réseau des acteurs"},
        {"lever": "entrepreneurship_support", "source": "temoin_page",
         "quote": "soutient la création d'entreprises solidaires"},
    ],
    "levers_excluded": [{"lever": "call_for_projects", "source": "temoin_page",
                         "quote": "Elle ne lance pas d'appel à projets."}],
    "themes": [
        {"theme": "waste_reuse", "basis": "action", "source": "temoin_page",
         "quote": "le réemploi"},
        {"theme": "employment_inclusion", "basis": "action", "source": "temoin_page",
         "quote": "l'insertion par l'activité économique"},
    ],
}

CALL = {"nature": "call_for_projects", "period": "annual"}

FICTIF = {
    "id": "fictif",
    "names": {"official": "Communauté d'agglomération du Val-Fictif", "short": "Val-Fictif"},
    "kind": "communaute_agglomeration",
    "codes": {"siren": "unknown", "insee": "unknown", "departement": "99",
              "region": REGION_CODE},
    "perimeter": {"rule": "communes", "communes": ["99011", "99012", "99013"],
                  "valid_from": "2020-01-01"},
    "former_perimeters": [{"name": "Ancien-Val", "valid_to": "2019-12-31",
                           "communes": ["99011", "99012"], "source": "fictif_page",
                           "quote": "né en 2020 de l'Ancien-Val (deux communes)"}],
    "history": [{"date": "2020-01-01", "event": "Création du Val-Fictif par fusion",
                 "source": "fictif_page",
                 "quote": "Le Val-Fictif est né en 2020 de l'Ancien-Val"}],
    "facts": [
        *_establishments({2020: 90, 2023: 95}, "Val-Fictif"),
        _share("share_all_jobs", 0.09, 2023, "environ 9 %", "fictif_article",
               "Made-up share of ESS in all jobs of Val-Fictif.", base="all_jobs",
               qualifier="approximately"),
        _share("share_outlier", 0.40, 2023, "40 %", "fictif_article",
               "Made-up outlier share, never retained.", base="all_jobs", outlier=True,
               note="Valeur aberrante, gardée et signalée."),
        _fact("jobs", "ess_employees", 800, "persons", {"note": "Non datée."}, "plus de 800",
              "fictif_page", "plus de 800 salariés de l'ESS travaillent dans tout le val",
              qualifier="at_least", geography_as_worded="tout le val"),
        _fact("private_share", "ess_private_employment_share", 0.12, "share", 2022,
              "plus de 12 %", "fictif_page", "plus de 12 % des salariés du secteur privé",
              qualifier="at_least", conversion="percent", base="private_salaried_jobs"),
        _fact("wages", "ess_gross_wages_eur", 30_000_000, "eur", 2022, "près de 30 millions",
              "fictif_page", "salaires bruts atteignent près de 30 millions d'euros",
              qualifier="approximately", conversion="millions",
              note="Masse salariale de l'ESS, pas un budget de la collectivité."),
        _fact("call_2021", "call_for_projects_eur", 20_000, "eur", 2021, "20 000 €",
              "fictif_article", "Made-up call for projects, 2021.", scope=CALL),
        _fact("call_2023", "call_for_projects_eur", 30_000, "eur", 2023, "30 000 €",
              "fictif_article", "Made-up call for projects, 2023.", scope=CALL),
        _fact("call_undated", "call_for_projects_eur", 25_000, "eur", {"note": "Non datée."},
              "25 000 €", "fictif_article", "Made-up call for projects, undated.", scope=CALL),
    ],
    "programme": {"name": "Val Solidaire",
                  "period": {"start": 2021, "end": 2026, "source": "fictif_page",
                             "quote": "Le programme Val Solidaire court de 2021 à 2026."}},
    "levers": [{"lever": "call_for_projects", "source": "fictif_page",
                "quote": "un appel à projets annuel"}],
    "themes": [],
}

FRANCE = {
    "id": "france", "name": "France", "kind": "country", "code": "FR",
    "facts": [
        _share("share_2021", 0.105, 2021, "10,5 %", "national_panorama",
               "Made-up national share of ESS in salaried jobs, 2021."),
        _share("share_2019", 0.10, 2019, "10 %", "national_panorama",
               "Made-up national share of ESS in salaried jobs, 2019."),
    ],
}

REGION = {
    "id": "region_temoin", "name": "Région-Témoin", "kind": "region", "code": REGION_CODE,
    "facts": [_share("share_2022", 0.10, 2022, "10 %", "temoin_page",
                     "pour 10 % dans la région")],
}

PARAMS = {
    "temoin": {"notebook": "notebooks/territory_profile.ipynb", "title": "Ville-Témoin",
               "summary": "Ville-Témoin (fictive).",
               "parameters": {"territory": "temoin", "lang": "fr"}},
    "fictif": {"notebook": "notebooks/territory_profile.ipynb", "title": "Val-Fictif",
               "summary": "Val-Fictif (fictive).",
               "parameters": {"territory": "fictif", "lang": "fr"}},
    "compare": {"notebook": "notebooks/compare_territories.ipynb",
                "title": "Territoires fictifs côte à côte", "summary": "Deux territoires fictifs.",
                "parameters": {"territories": ["temoin", "fictif"],
                               "indicators": ["ess_employment_share", "ess_employees",
                                              "ess_budget_eur"],
                               "map_indicator": "ess_employment_share", "lang": "fr"}},
}


def _dump(content, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def _square(x: int, y: int, size: float = 0.1) -> list:
    left, bottom = 5.0 + x * size, 45.0 + y * size
    return [[[left, bottom], [left + size, bottom], [left + size, bottom + size],
             [left, bottom + size], [left, bottom]]]


def _feature_collection(features: list[dict]) -> str:
    lines = [json.dumps({"type": "Feature", "properties": properties, "geometry": geometry},
                        ensure_ascii=False, separators=(",", ":"))
             for properties, geometry in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _write_reference(folder: Path) -> None:
    """data/reference as `essbench reference build` lays it out, for the fixture communes."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "communes.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["territory_id", "insee", "name", "population", "departement_code",
                         "former_perimeter"])
        for territory, insee, name, population, _, _ in COMMUNES:
            writer.writerow([territory, insee, name, population, "99", FORMER.get(insee, "")])
    with open(folder / "territories.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["territory_id", "population", "area_km2", "communes_count",
                         "departement_codes", "region_code", "region_name"])
        for territory in TERRITORIES:
            rows = [c for c in COMMUNES if c[0] == territory]
            writer.writerow([territory, sum(c[3] for c in rows), 80.0 * len(rows), len(rows),
                             "99", REGION_CODE, "Région-Témoin"])
    communes = [({"territory_id": t, "insee": i, "name": n, "population": p,
                  "former_perimeter": FORMER.get(i, "")}, {"type": "Polygon", "coordinates": _square(x, y)})
                for t, i, n, p, x, y in COMMUNES]
    perimeters = []
    for territory in TERRITORIES:
        xs = [c[4] for c in COMMUNES if c[0] == territory]
        ys = [c[5] for c in COMMUNES if c[0] == territory]
        left, bottom = 5.0 + min(xs) * 0.1, 45.0 + min(ys) * 0.1
        right, top = 5.0 + (max(xs) + 1) * 0.1, 45.0 + (max(ys) + 1) * 0.1
        perimeters.append(({"territory_id": territory}, {"type": "Polygon", "coordinates": [[
            [left, bottom], [right, bottom], [right, top], [left, top], [left, bottom]]]}))
    (folder / "communes.geojson").write_text(_feature_collection(communes), encoding="utf-8")
    (folder / "perimeters.geojson").write_text(_feature_collection(perimeters), encoding="utf-8")
    (folder / "departements.geojson").write_text(_feature_collection([(
        {"code": "99", "name": "Département-Témoin"},
        {"type": "Polygon", "coordinates": [[[4.9, 44.9], [5.6, 44.9], [5.6, 45.3], [4.9, 45.3],
                                             [4.9, 44.9]]]})]), encoding="utf-8")
    for territory in TERRITORIES:
        own = folder / "territories" / territory
        own.mkdir(parents=True, exist_ok=True)
        (own / "communes.geojson").write_text(_feature_collection(
            [c for c in communes if c[0]["territory_id"] == territory]), encoding="utf-8")
        (own / "perimeters.geojson").write_text(_feature_collection(
            [p for p in perimeters if p[0]["territory_id"] == territory]), encoding="utf-8")
    manifest = {
        "source": {"package": "fixture", "version": "0.0.0", "tables": ["communes"]},
        "population": {"field": "population_municipale", "year": 2021},
        "geometry": {"crs": "EPSG:4326", "coordinate_decimals": 4},
        "territories": {"temoin": {"perimeter": TEMOIN["perimeter"]},
                        "fictif": {"perimeter": FICTIF["perimeter"],
                                   "former_perimeters": FICTIF["former_perimeters"]}},
        "quality": {t: {"uncovered_gaps_km2": 0.0} for t in TERRITORIES},
        "files": {name: {"sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest()}
                  for name in ("territories.csv", "communes.csv", "perimeters.geojson",
                               "communes.geojson", "departements.geojson")},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2)
                                          + "\n", encoding="utf-8")


def write_project(root: Path, notebooks: Path | None = None) -> Path:
    """The fixture project under `root` (data/, params/, and a copy of `notebooks` if given)."""
    data = root / "data"
    sources = data / "sources"
    sources.mkdir(parents=True)
    entries = []
    for source_id, (file, text, territory, published) in ARCHIVED.items():
        (sources / file).write_text(text, encoding="utf-8")
        entries.append({
            "id": source_id, "file": file, "territory": territory,
            "publisher": f"Fixture publisher of {territory}", "title": f"Page of {territory}",
            "document_kind": "web_page", "date_published": published,
            "date_published_known": "Fixture.", "url": "unknown", "date_accessed": "unknown",
            "licence": "unknown", "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "original_name": file, "description": "Made-up page for the tests."})
    _dump(entries, sources / "sources.yaml")
    _dump(CITED, sources / "cited.yaml")
    for profile in (TEMOIN, FICTIF):
        _dump(profile, data / "profiles" / f"{profile['id']}.yaml")
    for area in (FRANCE, REGION):
        _dump(area, data / "references" / f"{area['id']}.yaml")
    _write_reference(data / "reference")
    for name, params in PARAMS.items():
        _dump(params, root / "params" / f"{name}.yaml")
    if notebooks is not None:
        shutil.copytree(notebooks, root / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root
