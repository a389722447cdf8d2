"""What the last builds left: each page's inputs at its last successful build, and the check
that nothing changed since, made without loading the evidence."""

from __future__ import annotations

import fcntl
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from essbench.build.digests import Digests, combined
from essbench.build.outputs import TEMPORARY_MARK, write_atomic
from essbench.evidence.problems import InvalidInput, display_path, listing
from essbench.evidence.yamlfiles import read_yaml
from essbench.report.navigation import page_ref

OUTPUTS = "outputs"
STATE_FILE = ".build-state.json"
LOCK_FILE = ".build.lock"
# 2: each page's inputs by name, so that a rebuild can say which one changed.
STATE_FORMAT = 2


def read_state(outputs: Path, say: Callable[[str], None] | None = None) -> dict[str, dict]:
    """The inputs' digest of each dashboard at its last successful build."""
    path = outputs / STATE_FILE
    if not path.exists():
        return {}
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        if content.get("format") == STATE_FORMAT and isinstance(content.get("dashboards"), dict):
            # Each entry as the build writes it, or none: a page whose entry is torn is built.
            entries = {name: entry for name, entry in content["dashboards"].items()
                       if _valid_entry(entry)}
            if len(entries) == len(content["dashboards"]):
                return entries
    except (OSError, ValueError, AttributeError, RecursionError):  # UnicodeDecodeError too
        pass
    if say is not None:
        say(f"{display_path(path)} is unreadable or damaged: discarded, every dashboard will "
            "be built and the file written again.")
    return {}


def _valid_entry(entry: object) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("inputs"), str)
            and isinstance(entry.get("files", {}), dict)
            and all(isinstance(k, str) and isinstance(v, str)
                    for k, v in entry.get("files", {}).items())
            and (entry.get("page") is None
                 or (isinstance(entry["page"], list) and len(entry["page"]) == 2
                     and all(type(n) is int for n in entry["page"]))))


def write_state(outputs: Path, state: dict[str, dict]) -> None:
    """Saved after each published page, so that a killed build keeps what it did."""
    content = {"format": STATE_FORMAT, "dashboards": dict(sorted(state.items()))}
    write_atomic(outputs / STATE_FILE, json.dumps(content, indent=1) + "\n")


def up_to_date(name: str, digest: str, state: dict[str, dict], outputs: Path) -> bool:
    entry = state.get(name, {})
    return (entry.get("inputs") == digest
            and (outputs / "html" / f"{name}.html").is_file()
            and (outputs / "notebooks" / f"{name}.ipynb").is_file()
            and not page_replaced(name, entry, outputs))


def page_stamp(outputs: Path, name: str) -> list[int] | None:
    """A published page's size and modification time, as the build that published it saw."""
    try:
        found = (outputs / "html" / f"{name}.html").stat()
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns]


def page_replaced(name: str, entry: dict, outputs: Path) -> bool:
    """Whether the page is no longer the one its last build published (a worker of a killed
    build finishing later would have written it); pages recorded before this check: no."""
    recorded = entry.get("page")
    return recorded is not None and recorded != page_stamp(outputs, name)


def interrupted_build(outputs: Path) -> str:
    """Who held the lock and did not release it ('pid 123 on host'), or '' when the last
    build ended as builds do. Read without taking the lock: a running build also shows."""
    try:
        return (outputs / LOCK_FILE).read_text(encoding="utf-8", errors="replace").strip()[:200]
    except OSError:
        return ""


def territories_of(parameters: dict) -> list[str] | None:
    """The territory ids a dashboard shows, from its `territory` or `territories` parameter;
    None when it names none (the notebook's default may then show any territory)."""
    value = parameters.get("territories", parameters.get("territory"))
    if value is None:
        return None
    found = [value] if isinstance(value, str) else list(value)
    # a territory page shows its peers' levers and amounts (« ce que font les autres »)
    peers = parameters.get("peers") or []
    return found + [p for p in peers if isinstance(p, str) and p not in found]


@dataclass(frozen=True)
class _Page:
    """A params file as the digests read it (checked by the full build, not here)."""

    name: str
    params_file: Path
    notebook: Path
    parameters: dict


def unchanged(root: Path, names: list[str] | None) -> list[str] | None:
    """The dashboards (all, or those named) when each one's inputs are those of its last
    successful build, its page and notebook are there and so is the index; None as soon as
    anything differs, is unreadable or another build holds the outputs folder.

    Inputs that have not changed since they were checked and built need no second check:
    a build with nothing to do then answers without loading the evidence or its schemas.
    """
    outputs = root / OUTPUTS
    if not (outputs / "html" / "index.html").is_file() or not (outputs / LOCK_FILE).is_file():
        return None
    with open(outputs / LOCK_FILE, encoding="utf-8", errors="replace") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # a build is running: the full path waits for it or says so
        try:
            if lock.read().strip():
                return None  # the last build was killed: the full path says so and checks
            return _unchanged(root, outputs, names)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _unchanged(root: Path, outputs: Path, names: list[str] | None) -> list[str] | None:
    if any(outputs.rglob(f".*{TEMPORARY_MARK}*")):
        return None  # left by a killed build: the full build sweeps them
    folder = root / "params"
    if not folder.is_dir() or any(folder.glob("*.yml")):
        return None
    pages = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            content = read_yaml(path)
        except InvalidInput:
            return None
        if not (isinstance(content.get("notebook"), str)
                and isinstance(content.get("parameters", {}), dict)):
            return None
        pages.append(_Page(path.stem, path, root / content["notebook"],
                           content.get("parameters") or {}))
    state = read_state(outputs)
    # A params file added or removed changes the index: the full build rewrites it.
    if not pages or {p.name for p in pages} != set(state):
        return None
    wanted = [p for p in pages if names is None or p.name in names]
    if names is not None and len(wanted) != len(set(names)):
        return None
    digests = Digests(root, [page_ref(p.name, p.parameters) for p in pages])
    for page in wanted:
        inputs = digests.of(page, territories_of(page.parameters))  # type: ignore[arg-type]
        if not up_to_date(page.name, combined(inputs), state, outputs):
            return None
    return [p.name for p in wanted]


def say_unchanged(done: list[str], root: Path, seconds: float,
                  say: Callable[[str], None] | None = None) -> None:
    """What a build with nothing to do prints: the lines of the full build's summary."""
    say = say or (lambda line: print(line, flush=True))
    say(f"{len(done)} dashboard{'s' if len(done) > 1 else ''}: 0 to build, {len(done)} "
        f"unchanged ({listing(done, limit=10)})")
    say(f"Index: {display_path(root / OUTPUTS / 'html' / 'index.html')}")
    say(f"Done in {seconds:.1f} s: 0 built, {len(done)} unchanged, 0 failed.")
