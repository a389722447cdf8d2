"""Projects of 5, 10 and 20 territories for the scale tests: the four real profiles, copies of
them on other real perimeters (an EPCI of the same kind from the reference package, another
département), and SYNTHETIC territories from the benchmark's generator (benchmarks/synth.py).

Not a test module: test_scale.py imports it. Each project is generated and built once, in a
folder kept between runs and shared by the pytest workers (under a lock); a project whose
inputs did not change is not generated again, and its unchanged pages are not built again.
Only the pages the tests read are built: the comparison of every territory, one copied
territory's page, and the index.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

SCALES = (5, 10, 20)
BUILD_TIMEOUT_S = 1500
# Real profiles copied, in turn, onto another perimeter of the same kind.
COPIED = ("grasse", "grenoble", "pas_de_calais", "gpsea")
# Never used as a perimeter (the project's rule): Nantes Métropole, Métropole Rouen Normandie.
EXCLUDED_SIRENS = {"244400404", "200023414"}
EPCI_TYPES = {"communaute_agglomeration": "CA", "metropole": "ME", "communaute_urbaine": "CU",
              "communaute_communes": "CC", "etablissement_public_territorial": "CA"}
# Départements for copies of a département (never one of the real profiles').
DEPARTEMENTS = ("80", "02", "60", "59", "76", "27", "14", "50")
KIND_OF_TYPE = {"CA": "communaute_agglomeration", "ME": "metropole", "CU": "communaute_urbaine",
                "CC": "communaute_communes"}


def folder(count: int) -> Path:
    """Where the project of `count` territories is kept for this clone."""
    base = os.environ.get("ESSBENCH_SCALE_ROOT") or tempfile.gettempdir()
    digest = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    return Path(base) / f"essbench-scale-{digest}-{count}"


def _inputs_digest(count: int) -> str:
    digest = hashlib.sha256(f"{count}".encode())
    for name in ("data/profiles", "data/sources", "data/references", "params", "notebooks"):
        for path in sorted((ROOT / name).rglob("*")):
            if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes() if path.suffix in (".yaml", ".ipynb", ".yml")
                              else str(path.stat().st_size).encode())
    for path in (Path(__file__), ROOT / "benchmarks" / "synth.py"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _dump(data, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100),
                    encoding="utf-8")


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _complete_epcis(communes) -> list[dict]:
    """EPCIs of the reference package whose communes all have a population and a geometry,
    by SIREN, with their type, département and région."""
    from essbench.geography.derive import read_package_csv

    epci = read_package_csv("epci", usecols=["code", "nom", "type"]).sort_values("code")
    grouped = communes.groupby("epci_siren")
    found = []
    for row in epci.itertuples(index=False):
        if row.code in EXCLUDED_SIRENS or row.code not in grouped.groups:
            continue
        members = grouped.get_group(row.code)
        if not (members["population"].notna().all() and members.geometry.notna().all()):
            continue
        found.append({"siren": row.code, "name": row.nom, "type": row.type,
                      "kind": KIND_OF_TYPE.get(row.type, "communaute_communes"),
                      "departement": members["departement_code"].mode().iloc[0],
                      "region": members["region_code"].mode().iloc[0]})
    return found


def _copy_profile(original: dict, new_id: str, perimeter: dict, label: str) -> dict:
    """A real profile under a new id on another real perimeter: its facts, quotes and sources
    kept (they are checked against the real documents), its names and codes the new
    perimeter's, its history and former perimeters dropped (they are the original's)."""
    profile = dict(original)
    short = original["names"]["short"]
    profile["id"] = new_id
    # the short name a curator would write: the official one without its kind, shortened
    plain = re.sub(r"^(Communauté (d'agglomération|de communes|urbaine)|Métropole)\s+"
                   r"(du |de la |de l'|des |de |d')?", "", label).strip()
    profile["names"] = {"official": f"{label} (copie d'essai de {short})",
                        "short": re.sub(r"[\s,–-]+…$", "…", textwrap.shorten(
                            plain, 28, placeholder="…")) + " (copie)"}
    profile["codes"] = {"siren": perimeter.get("siren", "unknown"), "insee": "unknown",
                        "departement": perimeter["departement"], "region": perimeter["region"]}
    if perimeter.get("siren"):
        profile["perimeter"] = {"rule": "epci", "code": perimeter["siren"],
                                "valid_from": "unknown",
                                "note": f"Périmètre d'essai (EPCI {perimeter['siren']})."}
        profile["kind"] = perimeter["kind"]
    else:
        profile["perimeter"] = {"rule": "departement", "code": perimeter["departement"],
                                "valid_from": "unknown", "note": "Périmètre d'essai."}
    profile["history"] = []
    profile.pop("former_perimeters", None)
    return profile


def generate(root: Path, count: int) -> list[str]:
    """The project of `count` territories under root; returns the ids of the territories."""
    import synth
    from essbench.geography.derive import build_reference, load_package_tables

    skip = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")

    def ignore(directory: str, names: list[str]) -> set[str]:
        # the reference folder is built again for every territory below
        top = {"reference"} if Path(directory) == ROOT / "data" else set()
        return set(skip(directory, names)) | top

    for name in ("data", "params", "notebooks"):
        shutil.rmtree(root / name, ignore_errors=True)
        shutil.copytree(ROOT / name, root / name, ignore=ignore)
    data = root / "data"
    real = sorted(p.stem for p in (ROOT / "data" / "profiles").glob("*.yaml"))
    communes = load_package_tables()
    epcis = _complete_epcis(communes)
    used = {str((_load(ROOT / "data" / "profiles" / f"{t}.yaml").get("codes") or {}).get("siren"))
            for t in real}
    # The comparison holds the four profiles copied and `count - 4` new territories, however
    # many real profiles the project has (they stay in it, uncompared).
    extra = max(1, count - len(COPIED))
    copies = (extra + 1) // 2 if count > 5 else extra
    ids = list(real)
    template = _load(ROOT / "params" / "grasse.yaml")
    rng = random.Random(count)
    departements = iter(DEPARTEMENTS)
    for index in range(copies):
        original_id = COPIED[index % len(COPIED)]
        original = _load(ROOT / "data" / "profiles" / f"{original_id}.yaml")
        new_id = f"{original_id}_copie_{index + 1}"
        if original["kind"] == "departement":
            code = next(departements)
            perimeter = {"departement": code, "region": str(communes.loc[
                communes["departement_code"] == code, "region_code"].mode().iloc[0])}
            label = str(communes.loc[communes["departement_code"] == code,
                                     "departement_name"].iloc[0])
        else:
            wanted = EPCI_TYPES[original["kind"]]
            epci = next(e for e in epcis if e["type"] == wanted and e["siren"] not in used)
            used.add(epci["siren"])
            perimeter, label = epci, epci["name"]
        _dump(_copy_profile(original, new_id, perimeter, label),
              data / "profiles" / f"{new_id}.yaml")
        ids.append(new_id)
    sources = _load(data / "sources" / "sources.yaml") or []
    for epci in [e for e in epcis if e["siren"] not in used][: extra - copies]:
        profile, text, source = synth.synthetic_profile(epci, rng)
        _dump(profile, data / "profiles" / f"{profile['id']}.yaml")
        (data / "sources" / source["file"]).write_text(text, encoding="utf-8")
        sources.append(source)
        ids.append(profile["id"])
    _dump(sources, data / "sources" / "sources.yaml")
    kinds = {tid: _load(data / "profiles" / f"{tid}.yaml")["kind"] for tid in ids}
    for tid in ids[len(real):]:
        params = _load(ROOT / "params" / "grasse.yaml")
        # « ce que font les autres »: every other territory of its kind is named as a peer
        peers = [o for o in ids if o != tid and kinds[o] == kinds[tid]]
        params["parameters"] = {**template["parameters"], "territory": tid, "peers": peers}
        profile = _load(data / "profiles" / f"{tid}.yaml")
        params["title"] = f"{profile['names']['official']} – politique ESS"
        _dump(params, root / "params" / f"{tid}.yaml")
    compare = _load(ROOT / "params" / "compare.yaml")
    compare["parameters"]["territories"] = [t for t in COPIED if t in real] + ids[len(real):]
    _dump(compare, root / "params" / "compare.yaml")
    territories = {}
    for tid in ids:
        profile = _load(data / "profiles" / f"{tid}.yaml")
        territories[tid] = {"perimeter": _json(profile["perimeter"]),
                            "former_perimeters": [_json(f) for f in
                                                  profile.get("former_perimeters") or []]}
    build_reference(territories, data / "reference", communes=communes)
    return ids


def _json(value):
    import datetime
    import json

    return json.loads(json.dumps(value, default=lambda v: v.isoformat()
                                 if isinstance(v, datetime.date) else str(v)))


def pages_to_build(ids: list[str]) -> list[str]:
    """The comparison and the first copied territory's page."""
    copied = next(t for t in ids if "_copie_" in t)
    return ["compare", copied]


@functools.cache
def project(count: int) -> tuple[Path, list[str], str]:
    """(root, territory ids, build output) of the project of `count` territories, generated
    and built once; raises RuntimeError with the build's output when it fails."""
    root = folder(count)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".scale.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp = root / ".inputs"
        digest = _inputs_digest(count)
        ids_file = root / ".ids"
        if not stamp.is_file() or stamp.read_text() != digest or not ids_file.is_file():
            ids = generate(root, count)
            ids_file.write_text("\n".join(ids))
            stamp.write_text(digest)
        ids = ids_file.read_text().split("\n")
        names = pages_to_build(ids)
        code = ("from essbench.build.runner import run_cli; "
                f"raise SystemExit(run_cli({names!r}, None, False, root={str(root)!r}))")
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                              text=True, timeout=BUILD_TIMEOUT_S)
        output = (done.stdout + done.stderr)[-4000:]
        if done.returncode != 0:
            raise RuntimeError(f"the build of {count} territories failed:\n{output}")
    return root, ids, f"{output}\nbuilt in {time.monotonic() - started:.0f} s"
