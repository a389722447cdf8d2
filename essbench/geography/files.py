"""Where the reference geometry lives, per territory and for France: names only, nothing parsed."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

# data/reference/territories/<id>/<layer>.geojson: each territory's features cut from the
# national layers, so that a page parses its own territories and not the whole country.
BY_TERRITORY = "territories"
TERRITORY_LAYERS = ("perimeters", "communes")
OUTLINE = "departements"


def split_files(ref_dir: Path, name: str, wanted: list[str] | None) -> list[Path] | None:
    """The per-territory files of a layer, or None when they are not all there."""
    if wanted is None:
        return None
    files = [Path(ref_dir) / BY_TERRITORY / territory / f"{name}.geojson" for territory in wanted]
    return files if all(path.is_file() for path in files) else None


def geometry_files(ref_dir: Path, territories: Sequence[str] | None = None) -> list[Path]:
    """The files `layers.load_geometry(ref_dir, territories)` reads, for a page's digest.

    Examples
    --------
    >>> [p.name for p in geometry_files(Path("data/reference"), None)]
    ['perimeters.geojson', 'communes.geojson', 'departements.geojson']
    """
    ref_dir = Path(ref_dir)
    wanted = None if territories is None else sorted(set(territories))
    files = []
    for name in TERRITORY_LAYERS:
        split = split_files(ref_dir, name, wanted)
        files += split if split is not None else [ref_dir / f"{name}.geojson"]
    return files + [ref_dir / f"{OUTLINE}.geojson"]
