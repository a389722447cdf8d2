"""`make bench`: build speed, rebuilds, page sizes, validation and scale, against their goals.

One run measures everything and prints a table (goal, measured, met / not met); the ratios are
computed from times measured in the same run, absolute times are context only. The whole
record is written to outputs/bench/bench.json.

    .venv/bin/python benchmarks/run.py                 # the real run (scale 1000, ~25 min)
    .venv/bin/python benchmarks/run.py --quick         # smoke run: 2 dashboards, scale 10
    .venv/bin/python benchmarks/run.py --scale 100     # the scale run at 100 territories
    .venv/bin/python benchmarks/run.py --sections sizes,validate

Everything synthetic (validation copies, scale territories) is generated in temporary folders,
never in data/; every synthetic page title says SYNTHÉTIQUE. The builds of the real project run
in a temporary copy of it (one profile is edited there to time a partial rebuild). Runs one
heavy thing at a time (the machine has 2 cores). Every subprocess has a timeout. The scale run
builds every page (measured, not extrapolated) unless predicted longer than --max-minutes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BENCH_DIR = Path(__file__).resolve().parent
OUT = ROOT / "outputs" / "bench"
PYTHON = str(BIN / "python")
ESSBENCH = str(BIN / "essbench")
PAPERMILL = str(BIN / "papermill")
JUPYTER = str(BIN / "jupyter")
BUILD_CMD = [ESSBENCH]

GOALS = {
    "build_ratio": 0.2,           # full build <= 0.2 x naive loop
    "nochange_ratio": 0.05,       # rebuild with nothing changed <= 5 % of the full build
    "one_profile_ratio": 1.10,    # rebuild after editing one profile <= its pages forced + 10 %
    "page_mb": 5.5,               # every page <= 5.5 MB (10^6 bytes)
    "validate_1000_s": 5.0,       # validate 1,000 profiles <= 5 s
    "throughput": 1.0,            # >= 1 dashboard/s at 1,000 territories
    "flat_growth": 1.10,          # memory flat: peak RSS of the last tenth of the pages
                                  # <= 1.10 x peak RSS of the first tenth
}
SECTIONS = ("imports", "profile", "build", "sizes", "validate", "scale")


def chromium() -> str | None:
    """The browser the PDF export uses (ESSBENCH_CHROMIUM, `chromium` on PATH, ...), or None."""
    from essbench.build.pdf import find_chromium

    return find_chromium()


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- running commands


@dataclass
class Run:
    """A finished command: exit code, wall time, output, memory samples, timed lines."""

    cmd: list[str]
    rc: int | None
    seconds: float
    stdout: str
    stderr: str
    timed_out: bool = False
    samples: list[tuple[float, int]] = field(default_factory=list)  # (t, total RSS bytes)
    lines: list[tuple[float, str]] = field(default_factory=list)    # (t, stdout line)
    cpu_s: float = 0.0  # user + system CPU of the command and its waited-for descendants
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)  # load average when it started
    load_end: tuple[float, float, float] = (0.0, 0.0, 0.0)  # and when it ended

    @property
    def cores_busy(self) -> float:
        """Average number of cores the command kept busy."""
        return round(self.cpu_s / self.seconds, 2) if self.seconds else 0.0

    @property
    def ok(self) -> bool:
        return self.rc == 0 and not self.timed_out

    def tail(self, chars: int = 1500) -> str:
        return (self.stdout[-chars // 2:] + "\n" + self.stderr[-chars:]).strip()

    def memory(self) -> dict[str, Any]:
        if not self.samples:
            return {}
        values = [rss for _, rss in self.samples]

        def at(fraction: float) -> int:
            target = fraction * self.seconds
            return min(self.samples, key=lambda s: abs(s[0] - target))[1]

        result = {"peak_mb": _mb(max(values)), "at10_mb": _mb(at(0.1)),
                  "at50_mb": _mb(at(0.5)), "at90_mb": _mb(at(0.9)), "samples": len(values)}
        # Tenths of the pages, not of the time: kernels starting and the index written at
        # the end are not pages.
        built = [t for t, line in self.lines if line.strip().startswith("built")]
        tenth = len(built) // 10
        if tenth >= 1:
            first = [rss for t, rss in self.samples if built[0] <= t <= built[tenth - 1] + 0.5]
            last = [rss for t, rss in self.samples if built[-tenth] - 0.5 <= t <= built[-1]]
            if first and last:
                growth = max(last) / max(first)
                result.update(first_tenth_peak_mb=_mb(max(first)),
                              last_tenth_peak_mb=_mb(max(last)), growth=round(growth, 3),
                              flat=growth <= GOALS["flat_growth"])
        return result


def _mb(value: float) -> float:
    return round(value / 1e6, 1)


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        members = [process] + process.children(recursive=True)
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(cmd: list[str], timeout: float, cwd: Path = ROOT, sample: bool = False,
        env: dict | None = None) -> Run:
    """Run a command in its own process group; kill that group on timeout."""
    load = os.getloadavg()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True,
                               env={**os.environ, **(env or {})})
    samples: list[tuple[float, int]] = []
    lines: list[tuple[float, str]] = []
    err_chunks: list[str] = []
    done = threading.Event()

    def read_stdout() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            lines.append((time.perf_counter() - started, line.rstrip("\n")))

    def read_stderr() -> None:
        err_chunks.append(process.stderr.read())  # type: ignore[union-attr]

    def sampler() -> None:
        try:
            root_process = psutil.Process(process.pid)
        except psutil.Error:
            return
        while not done.is_set():
            samples.append((time.perf_counter() - started, _tree_rss(root_process)))
            done.wait(0.5)

    threads = [threading.Thread(target=read_stdout, daemon=True),
               threading.Thread(target=read_stderr, daemon=True)]
    if sample:
        threads.append(threading.Thread(target=sampler, daemon=True))
    for thread in threads:
        thread.start()
    timed_out = False
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(process)
    except BaseException:
        _kill_group(process)
        raise
    seconds = time.perf_counter() - started
    done.set()
    for thread in threads:
        thread.join(timeout=10)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    return Run(cmd, process.returncode, seconds, "\n".join(text for _, text in lines),
               "".join(err_chunks), timed_out, samples, lines, round(cpu, 2), load,
               os.getloadavg())


def _kill_group(process: subprocess.Popen) -> None:
    """End the process group this script started for `process` (and only it)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def _interrupt(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt


def waited_for_lock(proc: Run) -> bool:
    """Whether the build waited for another build of the same outputs folder."""
    return "waiting for it to finish" in proc.stdout


# ---------------------------------------------------------------- params


def params_files(root: Path = ROOT) -> list[Path]:
    return sorted((root / "params").glob("*.yaml"))


def load_params(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def territory_params(root: Path = ROOT) -> list[Path]:
    return [p for p in params_files(root) if "territory" in str(load_params(p).get("notebook"))]


# ---------------------------------------------------------------- 0. known costs


def section_imports(record: dict, timeout: float) -> None:
    """python -X importtime: rfc3987-syntax's grammar, papermill, nbconvert, plotly; kernel start."""
    result: dict[str, Any] = {}
    for name, code in (("nbformat", "import nbformat"), ("papermill", "import papermill"),
                       ("nbconvert", "import nbconvert"),
                       ("plotly", "import plotly.graph_objects, plotly.io"),
                       ("pandas", "import pandas"), ("geopandas", "import geopandas"),
                       ("essbench.figures.bars", "import essbench.figures.bars"),
                       ("essbench.figures.maps", "import essbench.figures.maps")):
        proc = run([PYTHON, "-X", "importtime", "-c", code], timeout)
        cumulative = _importtime(proc.stderr)
        top = name.split(".")[0] if name != "essbench.figures.bars" and name != "essbench.figures.maps" else name
        entry = {"cumulative_s": cumulative.get(top), "wall_s": round(proc.seconds, 3)}
        if "rfc3987_syntax" in cumulative:
            entry["rfc3987_syntax_s"] = cumulative["rfc3987_syntax"]
        result[name] = entry
    # The same imports with rfc3987_syntax made absent, as essbench.build.pages does.
    for name, code in (("nbformat_without_rfc3987", "import nbformat"),
                       ("papermill_without_rfc3987", "import papermill")):
        proc = run([PYTHON, "-X", "importtime", "-c",
                    "import sys; sys.modules['rfc3987_syntax'] = None; " + code], timeout)
        top = name.split("_")[0]
        result[name] = {"cumulative_s": _importtime(proc.stderr).get(top),
                        "wall_s": round(proc.seconds, 3)}
    # Wall time of the command lines doing nothing.
    for name, cmd in (("papermill --help", [PAPERMILL, "--help"]),
                      ("jupyter nbconvert --help", [JUPYTER, "nbconvert", "--help"]),
                      ("python -c pass", [PYTHON, "-c", "pass"])):
        times = [run(cmd, timeout).seconds for _ in range(3)]
        result[name] = {"median_s": round(statistics.median(times), 3)}
    # Kernel start: from launch to the first answer, as nbclient does it.
    code = ("import time, jupyter_client\n"
            "t = time.perf_counter(); km, kc = jupyter_client.manager.start_new_kernel("
            "kernel_name='python3', startup_timeout=60)\n"
            "ready = time.perf_counter() - t\n"
            "t = time.perf_counter(); kc.execute_interactive('import pandas, plotly.graph_objects,"
            " geopandas, essbench.figures.bars, essbench.figures.maps', timeout=120)\n"
            "imports = time.perf_counter() - t\n"
            "t = time.perf_counter(); kc.stop_channels(); km.shutdown_kernel(now=False)\n"
            "print(ready, imports, time.perf_counter() - t)\n")
    starts, imports, stops = [], [], []
    for _ in range(3):
        proc = run([PYTHON, "-c", code], timeout, cwd=ROOT / "notebooks")
        if proc.ok and proc.stdout.strip():
            ready, imported, stopped = (float(x) for x in proc.stdout.split()[-3:])
            starts.append(ready)
            imports.append(imported)
            stops.append(stopped)
    if starts:
        result["kernel"] = {"start_to_ready_median_s": round(statistics.median(starts), 3),
                            "imports_in_kernel_median_s": round(statistics.median(imports), 3),
                            "shutdown_median_s": round(statistics.median(stops), 3)}
    record["imports"] = result


def _importtime(text: str) -> dict[str, float]:
    """Cumulative import time (s) per module from python -X importtime output."""
    found = {}
    for line in text.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match:
            found.setdefault(match.group(4), round(int(match.group(2)) / 1e6, 3))
    return found


# ---------------------------------------------------------------- 0b. one dashboard profiled


def section_profile(record: dict, timeout: float, quick: bool) -> None:
    candidates = territory_params() or params_files()
    if not candidates:
        record["profile"] = {"error": "no params file"}
        return
    target = candidates[0]
    with tempfile.TemporaryDirectory(prefix="essbench-bench-profile-") as folder:
        cmd = [PYTHON, str(BENCH_DIR / "profile_one.py"), str(target), "--out", folder]
        if quick:
            cmd.append("--skip-save-run")
        proc = run(cmd, timeout)
    if not proc.ok:
        record["profile"] = {"error": proc.tail()}
        return
    record["profile"] = json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- 1-2. build vs naive loop


def section_build(record: dict, names: list[str] | None, timeout: float,
                  isolated: bool = False) -> None:
    paths = [ROOT / "params" / f"{n}.yaml" for n in names] if names else params_files()
    # 1a. the naive loop: papermill then nbconvert, one dashboard at a time
    naive_items = []
    naive_cpu = 0.0
    with tempfile.TemporaryDirectory(prefix="essbench-bench-naive-") as folder:
        started = time.perf_counter()
        for path in paths:
            params = load_params(path)
            notebook = ROOT / params["notebook"]
            executed = Path(folder) / f"{path.stem}.ipynb"
            parameters = yaml.safe_dump(params.get("parameters") or {}, allow_unicode=True)
            # cwd: the notebook's folder, like the build's papermill cwd
            pm = run([PAPERMILL, str(notebook), str(executed), "-y", parameters], timeout,
                     cwd=notebook.parent)
            nbc = run([JUPYTER, "nbconvert", "--to", "html", "--no-input", str(executed)],
                      timeout, cwd=Path(folder))
            naive_cpu += pm.cpu_s + nbc.cpu_s
            naive_items.append({"name": path.stem, "papermill_s": round(pm.seconds, 2),
                                "nbconvert_s": round(nbc.seconds, 2), "ok": pm.ok and nbc.ok,
                                **({} if pm.ok and nbc.ok else {"error": (pm.tail() if not pm.ok
                                                                          else nbc.tail())})})
            log(f"naive {path.stem}: papermill {pm.seconds:.1f} s, nbconvert {nbc.seconds:.1f} s")
        naive_s = time.perf_counter() - started
        naive_html = {p.stem: p.stat().st_size for p in Path(folder).glob("*.html")}
    naive = {"seconds": round(naive_s, 2), "items": naive_items, "cpu_s": round(naive_cpu, 2),
             "ok": all(i["ok"] for i in naive_items), "html_bytes": naive_html}
    if isolated:
        with tempfile.TemporaryDirectory(prefix="essbench-bench-copy-") as folder:
            result = _builds(names, timeout, _copy_project(Path(folder)), naive)
            result["where"] = "a copy of data/, params/, notebooks/"
            result["one_profile"] = _one_profile(names, timeout, Path(folder))
            # the page-size section measures these pages
            shutil.rmtree(OUT / "pages", ignore_errors=True)
            shutil.copytree(Path(folder) / "outputs" / "html", OUT / "pages")
    else:
        result = _builds(names, timeout, ROOT, naive)
        result["where"] = "the project (outputs/)"
        if result["waited_for_another_build"]:
            log("the build waited for another build of outputs/: measuring again in an "
                "isolated copy of the project")
            with tempfile.TemporaryDirectory(prefix="essbench-bench-copy-") as folder:
                first = result
                result = _builds(names, timeout, _copy_project(Path(folder)), naive)
                result["where"] = ("an isolated copy of data/, params/, notebooks/: in the "
                                   "project, another build held outputs/.build.lock meanwhile")
                result["in_project"] = {k: first[k] for k in ("full", "nochange")}
    record["build"] = result


def _copy_project(folder: Path) -> Path:
    for name in ("data", "params", "notebooks"):
        shutil.copytree(ROOT / name, folder / name,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return folder


def _shows(path: Path, territory: str) -> bool:
    parameters = load_params(path).get("parameters") or {}
    shown = parameters.get("territories", parameters.get("territory"))
    return shown is None or territory == shown or (isinstance(shown, list) and territory in shown)


def _one_profile(names: list[str] | None, timeout: float, root: Path) -> dict:
    """Edit one territory's profile, rebuild; then the same pages forced, for the ratio."""
    candidates = [p for p in territory_params(root) if not names or p.stem in names]
    if not candidates:
        return {"error": "no territory page"}
    territory = (load_params(candidates[0]).get("parameters") or {}).get("territory")
    profile = root / "data" / "profiles" / f"{territory}.yaml"
    expected = sorted(p.stem for p in params_files(root) if (not names or p.stem in names)
                      and _shows(p, territory))
    where = ["--root", str(root)]
    rebuilds, forceds = [], []
    # Three times each, interleaved, the fastest kept: a page or two is too short to time once
    # on a shared machine.
    for attempt in range(3):
        # A comment: the profile's bytes change, its meaning does not.
        profile.write_text(profile.read_text(encoding="utf-8") + f"\n# bench: edit {attempt}\n",
                           encoding="utf-8")
        rebuilds.append(run([*BUILD_CMD, *where, "build", *(names or [])], timeout, cwd=root))
        forceds.append(run([*BUILD_CMD, *where, "build", "--force", *expected], timeout,
                           cwd=root))
    rebuild = min(rebuilds, key=lambda r: r.seconds)
    forced = min(forceds, key=lambda r: r.seconds)
    built = sorted(line.split()[1] for line in rebuild.stdout.splitlines()
                   if line.strip().startswith("built "))
    log(f"one profile ({territory}) edited: rebuild {rebuild.seconds:.1f} s ({built}), "
        f"the same pages forced {forced.seconds:.1f} s")
    return {"territory": territory, "expected": expected, "built": built,
            "because": [line.strip() for line in rebuild.stdout.splitlines()
                        if line.strip().startswith("because")],
            "rebuild_s": round(rebuild.seconds, 2), "forced_s": round(forced.seconds, 2),
            "rebuild_runs_s": [round(r.seconds, 2) for r in rebuilds],
            "rebuild_cpu_s": min(r.cpu_s for r in rebuilds),
            "forced_cpu_s": min(r.cpu_s for r in forceds),
            "forced_runs_s": [round(r.seconds, 2) for r in forceds],
            "ok": all(r.ok for r in rebuilds + forceds) and built == expected,
            "ratio": round(rebuild.seconds / forced.seconds, 3) if forced.seconds else None}


def _builds(names: list[str] | None, timeout: float, root: Path, naive: dict) -> dict:
    """1b. the full build, then 2. the build with nothing changed, in `root`."""
    where = [] if root == ROOT else ["--root", str(root)]
    full = run([*BUILD_CMD, *where, "build", "--force", *(names or [])], timeout, cwd=root,
               sample=True)
    log(f"essbench build --force: {full.seconds:.1f} s (rc {full.rc})")
    nochange = run([*BUILD_CMD, *where, "build", *(names or [])], timeout, cwd=root)
    log(f"essbench build (nothing changed): {nochange.seconds:.2f} s (rc {nochange.rc})")
    rebuilt_meanwhile = []
    for _ in range(2):
        # An input changed between the two builds (essbench/ or data/ edited meanwhile: the
        # digest covers them): that run rebuilt pages, so it measured no 'nothing changed'.
        match = re.search(r"(\d+) to build", nochange.stdout)
        if not match or match.group(1) == "0":
            break
        rebuilt_meanwhile.append(round(nochange.seconds, 2))
        log("  it rebuilt pages (inputs changed meanwhile): measuring it again")
        nochange = run([*BUILD_CMD, *where, "build", *(names or [])], timeout, cwd=root)
    return {
        "dashboards": [Path(p).stem for p in (names or [p.stem for p in params_files()])],
        "naive": naive,
        "full": {"seconds": round(full.seconds, 2), "rc": full.rc, "ok": full.ok,
                 "cpu_s": full.cpu_s, "cores_busy": full.cores_busy, "load_at_start": full.load,
                 "memory": full.memory(), "output": full.stdout[-3000:],
                 "waited": waited_for_lock(full), **({} if full.ok else {"error": full.tail()})},
        "nochange": {"seconds": round(nochange.seconds, 3), "rc": nochange.rc, "ok": nochange.ok,
                     "waited": waited_for_lock(nochange), "output": nochange.stdout[-1500:],
                     "earlier_runs_that_rebuilt_s": rebuilt_meanwhile,
                     **({} if nochange.ok else {"error": nochange.tail()})},
        "waited_for_another_build": waited_for_lock(full) or waited_for_lock(nochange),
        "ratio_full_to_naive": round(full.seconds / naive["seconds"], 3) if naive["seconds"] else None,
        "ratio_nochange_to_full": round(nochange.seconds / full.seconds, 4) if full.seconds else None,
    }


# ---------------------------------------------------------------- 3. page sizes


def section_sizes(record: dict, partial_bundles: list[Path]) -> None:
    from plotly.offline import get_plotlyjs

    plotly_js = get_plotlyjs().encode("utf-8")
    js_gzip = len(gzip.compress(plotly_js, 9))
    bundles = {}
    for bundle in partial_bundles:
        if bundle.is_file():
            data = bundle.read_bytes()
            bundles[bundle.name] = {"bytes": len(data), "gzip_bytes": len(gzip.compress(data, 9)),
                                    "header": data[:120].decode("utf-8", "replace").strip()}
    pages = []
    built = OUT / "pages" if (OUT / "pages").is_dir() else ROOT / "outputs" / "html"
    for page in sorted(built.glob("*.html")):
        data = page.read_bytes()
        count = data.count(plotly_js)
        without = data.replace(plotly_js, b"") if count else data
        traces = sorted(set(re.findall(rb'"type":\s*"([a-z0-9_]+)"', without)) & TRACE_TYPES)
        entry = {
            "page": page.name,
            "bytes": len(data),
            "plotly_js_copies": count,
            "plotly_js_bytes": len(plotly_js) * count,
            "rest_bytes": len(without),
            "gzip_bytes": len(gzip.compress(data, 9)),
            "rest_gzip_bytes": len(gzip.compress(without, 9)),
            "figure_json_bytes": _figure_json_bytes(without),
            "trace_types": [t.decode() for t in traces],
        }
        # Measured alternatives: the page with a partial bundle instead of the full one.
        for name, bundle in bundles.items():
            entry[f"with_{name}_bytes"] = len(without) + bundle["bytes"] if count else None
        pages.append(entry)
    dashboards = [p for p in pages if p["page"] != "index.html"]
    # Does a page still draw every figure with the partial bundle? Render both in Chromium.
    biggest = max(dashboards, key=lambda p: p["bytes"], default=None)
    if biggest and bundles and biggest["plotly_js_copies"]:
        data = (built / biggest["page"]).read_bytes()
        checks = {"page": biggest["page"], "full": _drawn_figures(data)}
        for bundle in partial_bundles:
            if bundle.is_file():
                checks[bundle.name] = _drawn_figures(data.replace(plotly_js, bundle.read_bytes()))
        for name, bundle in bundles.items():
            bundle["render_check"] = {"page": biggest["page"], "figures_full": checks["full"],
                                      "figures_partial": checks.get(name)}
    record["sizes"] = {
        "plotly_js_bytes": len(plotly_js), "plotly_js_gzip_bytes": js_gzip,
        "plotly_js_version": _plotly_js_version(plotly_js),
        "partial_bundles": bundles,
        "package_data": sorted(p.name for p in (Path(__import__("plotly").__file__).parent
                                                / "package_data").iterdir()),
        "pages": pages,
        "max_page_bytes": max((p["bytes"] for p in dashboards), default=None),
        "max_gzip_bytes": max((p["gzip_bytes"] for p in dashboards), default=None),
        "max_rest_bytes": max((p["rest_bytes"] for p in dashboards), default=None),
    }


def fetch_partial_bundle(folder: Path, record: dict) -> list[Path]:
    """plotly.js's official 'basic' partial bundle (bar, pie, scatter) of the same version."""
    from plotly.offline import get_plotlyjs

    version = _plotly_js_version(get_plotlyjs()[:500].encode())
    npm = shutil.which("npm")
    if not npm or not version:
        record["partial_bundle_fetch"] = {"error": "no npm or unknown plotly.js version"}
        return []
    proc = run([npm, "pack", "--silent", f"plotly.js-basic-dist-min@{version}"], 180, cwd=folder)
    tarballs = list(folder.glob("*.tgz"))
    if not proc.ok or not tarballs:
        record["partial_bundle_fetch"] = {"error": proc.tail()}
        return []
    import tarfile

    with tarfile.open(tarballs[0]) as tar:
        tar.extractall(folder, filter="data")
    found = sorted(folder.glob("package/*.min.js"))
    record["partial_bundle_fetch"] = {"package": f"plotly.js-basic-dist-min@{version}",
                                      "files": [p.name for p in found]}
    return found


# plotly.js trace types (those of plotly.js 2-4); axis types such as "category" are not in it.
TRACE_TYPES = {t.encode() for t in (
    "bar barpolar box candlestick carpet choropleth choroplethmap choroplethmapbox cone contour "
    "contourcarpet densitymap densitymapbox funnel funnelarea heatmap histogram histogram2d "
    "histogram2dcontour icicle image indicator isosurface mesh3d ohlc parcats parcoords pie "
    "sankey scatter scatter3d scattercarpet scattergeo scattergl scattermap scattermapbox "
    "scatterpolar scatterpolargl scattersmith scatterternary splom streamtube sunburst surface "
    "table treemap violin volume waterfall").split()}
# What Plotly draws, by SVG class: the same counts with another bundle mean the same drawing.
DRAWN_CLASSES = ("main-svg", "trace bars", "trace scatter", "point", "js-fill", "js-line",
                 "legendtoggle", "xtick", "ytick", "annotation")


def _drawn_figures(page: bytes) -> dict[str, Any]:
    """What Plotly drew in headless Chromium: counts of its SVG classes."""
    browser = chromium()
    if browser is None:
        return {"error": "no chromium"}
    with tempfile.TemporaryDirectory(prefix="essbench-bench-render-") as folder:
        path = Path(folder) / "page.html"
        path.write_bytes(page)
        proc = run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                    "--virtual-time-budget=20000", "--dump-dom", path.as_uri()], 180)
    dom = re.sub(r"<script\b.*?</script>", "", proc.stdout, flags=re.S)
    return {"rc": proc.rc, **{name: len(re.findall(rf'class="{name}[" ]', dom))
                              for name in DRAWN_CLASSES}}


def _plotly_js_version(js: bytes) -> str | None:
    match = re.search(rb"plotly\.js v(\d+\.\d+\.\d+)", js[:500])
    return match.group(1).decode() if match else None


def _figure_json_bytes(page: bytes) -> int:
    """Bytes of the figures' data and layout (the JSON passed to Plotly.newPlot)."""
    total = 0
    for match in re.finditer(rb"Plotly\.newPlot\(", page):
        end = page.find(b"</script>", match.end())
        total += (end if end > 0 else len(page)) - match.end()
    return total


# ---------------------------------------------------------------- 4. validation


def section_validate(record: dict, count: int, timeout: float) -> None:
    real = [run([ESSBENCH, "validate"], timeout) for _ in range(2)]
    with tempfile.TemporaryDirectory(prefix="essbench-bench-validate-") as folder:
        gen = run([PYTHON, str(BENCH_DIR / "synth.py"), "validation", "--root", folder,
                   "--count", str(count)], timeout)
        if not gen.ok:
            record["validate"] = {"error": gen.tail()}
            return
        many = [run([ESSBENCH, "--root", folder, "validate"], timeout)
                for _ in range(2)]
        generated = json.loads(gen.stdout.strip().splitlines()[-1])
        # where the time goes: cProfile of the same validation, top functions
        prof = run([PYTHON, "-c",
                    "import cProfile, pstats, sys, io\n"
                    "from essbench.cli import main\n"
                    "p = cProfile.Profile(); p.enable()\n"
                    f"rc = main(['--data', '{folder}/data', '--root', '{folder}', 'validate'])\n"
                    "p.disable(); s = io.StringIO()\n"
                    "pstats.Stats(p, stream=s).sort_stats('tottime').print_stats(8)\n"
                    "print(s.getvalue())\n"], timeout)
    record["validate"] = {
        "real_s": round(min(r.seconds for r in real), 3), "real_ok": all(r.ok for r in real),
        "real_output": real[0].stdout.strip()[-300:] or real[0].stderr.strip()[-600:],
        "count": generated["profiles"], "of_which_real": generated["real"],
        "many_s": round(min(r.seconds for r in many), 3), "many_runs_s": [round(r.seconds, 3) for r in many],
        "many_ok": all(r.ok for r in many),
        "many_output": many[0].stdout.strip()[-300:] or many[0].stderr.strip()[-600:],
        "profile_top": _pstats_lines(prof.stdout),
    }


def _pstats_lines(text: str) -> list[str]:
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.strip().startswith("ncalls"):
            return [l.strip() for l in lines[index + 1:index + 9] if l.strip()]
    return []


# ---------------------------------------------------------------- 5. scale


def section_scale(record: dict, sizes: list[int], timeout: float, max_minutes: float,
                  sample_size: int, keep: bool, screenshot: bool) -> None:
    results = []
    rate_hint = None  # dashboards/s measured at the previous (smaller) size
    for size in sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"essbench-bench-synth-{size}-"))
        entry: dict[str, Any] = {"territories": size, "synthetic": True, "root": str(folder)}
        try:
            gen = run([PYTHON, str(BENCH_DIR / "synth.py"), "scale", "--root", str(folder),
                       "--count", str(size), "--compare", "100"], timeout, sample=True)
            if not gen.ok:
                entry["error"] = f"generation: {gen.tail()}"
                results.append(entry)
                continue
            entry["generation"] = json.loads(gen.stdout.strip().splitlines()[-1])
            entry["generation"]["memory"] = gen.memory()
            log(f"scale {size}: generated in {gen.seconds:.1f} s "
                f"(build_reference {entry['generation']['build_reference_s']} s)")
            names = sorted(p.stem for p in (folder / "params").glob("*.yaml"))
            predicted = (len(names) / rate_hint) if rate_hint else None
            sampled = predicted is not None and predicted > max_minutes * 60
            cmd = [*BUILD_CMD, "--root", str(folder), "build",
                   "--jobs", "2"]
            if sampled:
                chosen = _sample(names, sample_size)
                cmd += chosen
                entry["sampled"] = {"built": len(chosen), "of": len(names),
                                    "predicted_full_s": round(predicted, 1),
                                    "reason": f"predicted {predicted / 60:.0f} min from the "
                                              f"previous size, over --max-minutes {max_minutes:g}"}
                log(f"scale {size}: full build predicted {predicted / 60:.0f} min: building a "
                    f"sample of {len(chosen)} dashboards and extrapolating")
            build = run(cmd, timeout, cwd=folder, sample=True)
            html_dir = folder / "outputs" / "html"
            built_pages = [p for p in html_dir.glob("*.html") if p.name != "index.html"] \
                if html_dir.is_dir() else []
            entry["build"] = _scale_build_entry(build, len(names), len(built_pages), sampled)
            entry["outputs_under_root"] = html_dir.is_dir()
            if not html_dir.is_dir() and (ROOT / "outputs" / "html").is_dir():
                entry["note"] = ("no outputs/html under the synthetic root: the build did not "
                                 "honour --root / the working folder")
            log(f"scale {size}: build {build.seconds:.1f} s, {len(built_pages)} pages, rc "
                f"{build.rc}" + (" (SAMPLE)" if sampled else ""))
            compare = html_dir / "compare_synthetic.html"
            if compare.is_file():
                entry["compare_page"] = {"bytes": compare.stat().st_size}
                if screenshot and size == min(sizes):
                    entry["compare_page"]["screenshot"] = _screenshot(compare, size)
            rate = entry["build"].get("throughput_per_s")
            if rate:
                rate_hint = rate
        finally:
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)
                entry["root"] = f"{folder} (removed; --keep to keep it)"
        results.append(entry)
    record["scale"] = results


def _sample(names: list[str], count: int) -> list[str]:
    """Evenly spread territory dashboards (and the comparison page, if any)."""
    territories = [n for n in names if n != "compare_synthetic"]
    step = max(1, len(territories) // max(1, count - 1))
    chosen = territories[::step][: count - 1]
    return chosen + (["compare_synthetic"] if "compare_synthetic" in names else [])


def _scale_build_entry(build: Run, total: int, pages: int, sampled: bool) -> dict[str, Any]:
    """Throughput, and when sampled the extrapolation to every dashboard of the root."""
    starts = [t for t, line in build.lines if line.strip().startswith("started")]
    builts = [(t, line) for t, line in build.lines if line.strip().startswith("built")]
    per_page = [float(m.group(1)) for _, line in builts
                if (m := re.search(r"\(([\d.]+) s", line))]
    entry: dict[str, Any] = {
        "rc": build.rc, "ok": build.ok, "timed_out": build.timed_out,
        "cpu_s": build.cpu_s, "cores_busy": build.cores_busy, "load_at_start": build.load,
        "load_at_end": build.load_end,
        "cpu_per_page_s": round(build.cpu_s / pages, 3) if pages else None,
        "seconds": round(build.seconds, 1), "pages": pages, "dashboards": total,
        "memory": build.memory(),
        "first_start_s": round(starts[0], 1) if starts else None,
        "after_last_built_s": round(build.seconds - builts[-1][0], 1) if builts else None,
        "per_page_median_s": round(statistics.median(per_page), 2) if per_page else None,
        "per_page_max_s": round(max(per_page), 2) if per_page else None,
        "output_tail": build.stdout[-1500:],
        **({} if build.ok else {"error": build.tail()}),
    }
    if pages and build.seconds:
        entry["throughput_per_s"] = round(pages / build.seconds, 3)
    if sampled and builts and starts:
        steady = (builts[-1][0] - starts[0])
        rate = len(builts) / steady if steady > 0 else None
        if rate:
            fixed = starts[0] + (build.seconds - builts[-1][0])
            extrapolated = fixed + total / rate
            entry["extrapolated"] = {"seconds": round(extrapolated, 1),
                                     "throughput_per_s": round(total / extrapolated, 3),
                                     "fixed_s": round(fixed, 1), "steady_rate_per_s": round(rate, 3)}
    return entry


def _screenshot(page: Path, size: int) -> dict[str, Any]:
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"compare_synthetic_{size}.png"
    browser = chromium()
    if browser is None:
        return {"error": "no chromium"}
    proc = run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                f"--screenshot={target}", "--window-size=1280,4000",
                "--virtual-time-budget=15000", page.as_uri()], 180)
    return {"png": str(target), "ok": proc.ok and target.is_file()}


# ---------------------------------------------------------------- the table


def table(record: dict) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []

    def row(what: str, goal: str, measured: str, met: bool | None, context: str = "") -> None:
        rows.append({"what": what, "goal": goal, "measured": measured,
                     "met": "n/a" if met is None else ("met" if met else "NOT MET"),
                     "context": context})

    k = record.get("imports")
    if k:
        nbf, nbf0 = k.get("nbformat", {}), k.get("nbformat_without_rfc3987", {})
        row("K1. import nbformat (rfc3987-syntax grammar)", "context",
            f"{nbf.get('cumulative_s')} s", None,
            f"of which rfc3987_syntax {nbf.get('rfc3987_syntax_s')} s; without it "
            f"{nbf0.get('cumulative_s')} s")
        kernel = k.get("kernel", {})
        row("K2. kernel start to ready", "context", f"{kernel.get('start_to_ready_median_s')} s",
            None, f"imports in kernel {kernel.get('imports_in_kernel_median_s')} s, shutdown "
                  f"{kernel.get('shutdown_median_s')} s")
        row("K3. CLIs doing nothing", "context",
            f"nbconvert {k.get('jupyter nbconvert --help', {}).get('median_s')} s", None,
            f"papermill --help {k.get('papermill --help', {}).get('median_s')} s")
    p = record.get("profile")
    if p and "like_build" in p:
        lb = p["like_build"]
        row("P. one dashboard, as the build runs it", "context", f"{lb['total_s']} s + export "
            f"{p['export_first_s']} s", None,
            f"kernel start {lb['kernel_start_s']}, cells {lb['cells_s']} (import cells "
            f"{lb['import_cells_s']}), shutdown {lb['kernel_shutdown_s']}, saves {lb['saves']}x "
            f"{lb['saves_s']} s, export 2nd call {p['export_second_s']} s, nbconvert CLI "
            f"{p['nbconvert_cli_s']} s")
        cli = p.get("like_papermill_cli")
        if cli:
            row("P'. same, saving after each cell (papermill CLI)", "context",
                f"{cli['total_s']} s", None, f"{cli['saves']} saves, {cli['saves_s']} s")
    b = record.get("build")
    if b:
        ok = b["naive"]["ok"] and b["full"]["ok"]
        ratio = b["ratio_full_to_naive"]
        row(f"1. full build vs naive loop ({len(b['dashboards'])} dashboards)",
            f"<= {GOALS['build_ratio']} x naive", f"{ratio:.2f} x" if ratio else "?",
            (ratio is not None and ratio <= GOALS["build_ratio"]) if ok else False,
            f"build --force {b['full']['seconds']} s ({b['full']['cpu_s']} s CPU, "
            f"{b['full']['cores_busy']} cores busy), naive {b['naive']['seconds']} s "
            f"({b['naive']['cpu_s']} s CPU); built in {b.get('where')}"
            + ("" if ok else " (A RUN FAILED, see bench.json)")
            + (" (WAITED FOR ANOTHER BUILD'S LOCK)" if b.get("waited_for_another_build") else ""))
        one = b.get("one_profile")
        if one and "error" not in one:
            row(f"2b. rebuild after editing {one['territory']}'s profile",
                f"<= its pages forced + {GOALS['one_profile_ratio'] - 1:.0%}",
                f"{one['ratio']:.2f} x" if one["ratio"] else "?",
                bool(one["ok"] and one["ratio"] and one["ratio"] <= GOALS["one_profile_ratio"]),
                f"rebuilt {', '.join(one['built'])} in {one['rebuild_s']} s (expected "
                f"{', '.join(one['expected'])}); forced {one['forced_s']} s; runs "
                f"{one.get('rebuild_runs_s')} vs {one.get('forced_runs_s')} s; least CPU "
                f"{one.get('rebuild_cpu_s')} vs {one.get('forced_cpu_s')} s")
        ratio = b["ratio_nochange_to_full"]
        row("2. rebuild, nothing changed", f"<= {GOALS['nochange_ratio']:.0%} of full build",
            f"{ratio:.1%}" if ratio is not None else "?",
            (ratio is not None and ratio <= GOALS["nochange_ratio"]) if b["nochange"]["ok"] else False,
            f"{b['nochange']['seconds']} s")
    s = record.get("sizes")
    if s and s["pages"]:
        for page in s["pages"]:
            if page["page"] == "index.html":
                continue
            row(f"3. page {page['page']}", f"<= {GOALS['page_mb']} MB",
                f"{page['bytes'] / 1e6:.2f} MB",
                page["bytes"] <= GOALS["page_mb"] * 1e6,
                f"plotly.js {page['plotly_js_bytes'] / 1e6:.2f} MB ({page['plotly_js_copies']}x), "
                f"rest {page['rest_bytes'] / 1e6:.2f} MB (figures {page['figure_json_bytes'] / 1e6:.2f}"
                f" MB); gzip {page['gzip_bytes'] / 1e6:.2f} MB; traces {','.join(page['trace_types'])}")
        if s.get("max_gzip_bytes"):
            row("3b. smaller pages, measured: gzip (as e-mailed/served)", "smaller than raw",
                f"max {s['max_gzip_bytes'] / 1e6:.2f} MB",
                None, f"plotly.js alone {s['plotly_js_bytes'] / 1e6:.2f} MB -> gzip "
                      f"{s['plotly_js_gzip_bytes'] / 1e6:.2f} MB (v{s['plotly_js_version']})")
        for name, bundle in s.get("partial_bundles", {}).items():
            biggest = max((p.get(f"with_{name}_bytes") or 0) for p in s["pages"])
            check = bundle.get("render_check") or {}
            full, part = check.get("figures_full") or {}, check.get("figures_partial") or {}
            row(f"3c. with partial bundle {name}", "smaller than raw",
                f"max page {biggest / 1e6:.2f} MB", None,
                f"bundle {bundle['bytes'] / 1e6:.2f} MB, gzip {bundle['gzip_bytes'] / 1e6:.2f} MB; "
                f"{check.get('page')} in Chromium: "
                + ("SAME drawing as with the full bundle" if part and part == full else
                   f"DIFFERENT drawing: {part} vs full {full}")
                + f" ({full.get('main-svg')} svg layers, {full.get('point')} points)")
    elif s is not None:
        row("3. page sizes", f"<= {GOALS['page_mb']} MB", "no page in outputs/html", False)
    v = record.get("validate")
    if v and "error" not in v:
        row("4a. essbench validate (real data)", "context", f"{v['real_s']:.2f} s", None,
            "ok" if v["real_ok"] else "FAILED: " + v["real_output"][-200:])
        row(f"4b. validate {v['count']} profiles ({v['of_which_real']} real + copies)",
            f"<= {GOALS['validate_1000_s']} s", f"{v['many_s']:.2f} s",
            v["many_ok"] and v["many_s"] <= GOALS["validate_1000_s"],
            "ok" if v["many_ok"] else "FAILED: " + v["many_output"][-200:])
    elif v:
        row("4. validate", "", "error", False, v["error"][-200:])
    for entry in record.get("scale", []):
        size = entry["territories"]
        label = f"5. SYNTHETIC scale {size}"
        if "error" in entry:
            row(label, "", "error", False, entry["error"][-300:])
            continue
        gen = entry["generation"]
        row(f"{label}: build_reference", "context", f"{gen['build_reference_s']} s", None,
            f"load_package_tables {gen['load_package_tables_s']} s, profiles {gen['generate_s']} s"
            + (f"; COPIED notebooks patched to read the synthetic data/: "
               f"{', '.join(gen['notebooks_patched'])}" if gen.get("notebooks_patched") else ""))
        build = entry["build"]
        mem = build.get("memory", {})
        extrapolated = build.get("extrapolated")
        if extrapolated:
            rate = extrapolated["throughput_per_s"]
            measured = (f"EXTRAPOLATED {rate:.2f}/s (~{extrapolated['seconds'] / 60:.0f} min for "
                        f"{build['dashboards']}; sample of {entry['sampled']['built']} built)")
        else:
            rate = build.get("throughput_per_s")
            measured = f"{rate:.2f}/s" if rate else "?"
        goal_applies = size >= 1000
        row(f"{label}: throughput (--jobs 2)", f">= {GOALS['throughput']}/s" +
            ("" if goal_applies else " (goal at 1,000)"), measured,
            (bool(rate) and rate >= GOALS["throughput"] and build["ok"]) if goal_applies else None,
            f"{build['pages']} pages in {build['seconds']} s ({build['cores_busy']} cores busy, "
            f"{build.get('cpu_per_page_s')} CPU s/page; load average "
            f"{build['load_at_start'][0]:.1f} at start, {build.get('load_at_end', [0])[0]:.1f} "
            f"at end: other agents share the 2 cores), median {build.get('per_page_median_s')}"
            f" s/page, first start after {build.get('first_start_s')} s"
            + (f" (STOPPED by --timeout after {build['pages']} of {build['dashboards']} pages: "
               "the rate is measured over those)" if build.get("timed_out") else
               "" if build["ok"] else " (BUILD FAILED)"))
        if mem:
            growth = mem.get("growth")
            row(f"{label}: peak memory (process tree RSS)",
                f"last tenth <= {GOALS['flat_growth']}x first tenth",
                f"{growth:.2f} x" if growth else "?",
                mem.get("flat", False) if goal_applies else None,
                f"peak first/last tenth of the pages {mem.get('first_tenth_peak_mb')} / "
                f"{mem.get('last_tenth_peak_mb')} MB, overall {mem['peak_mb']:.0f} MB; RSS at "
                f"10/50/90 % of the time {mem['at10_mb']:.0f} / {mem['at50_mb']:.0f} / "
                f"{mem['at90_mb']:.0f} MB" + (" (sample run)" if extrapolated else ""))
    return rows


def print_table(rows: list[dict[str, str]]) -> None:
    widths = {key: max([len(key)] + [len(r[key]) for r in rows]) for key in
              ("what", "goal", "measured", "met")}
    header = "  ".join(key.ljust(widths[key]) for key in widths) + "  context"
    print(header)
    print("-" * min(len(header) + 60, 200))
    for r in rows:
        print("  ".join(r[key].ljust(widths[key]) for key in widths) + "  " + r["context"])


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 2 dashboards, 100 validation profiles, scale 10")
    parser.add_argument("--scale", default=None, help="territory counts, e.g. 100,1000")
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help=f"comma-separated subset of {','.join(SECTIONS)}")
    parser.add_argument("--validate-count", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=3600,
                        help="seconds allowed to each subprocess")
    parser.add_argument("--max-minutes", type=float, default=90,
                        help="above this predicted build time, build a sample and extrapolate")
    parser.add_argument("--sample", type=int, default=40,
                        help="dashboards built when a scale size is sampled")
    parser.add_argument("--partial-bundle", type=Path, action="append", default=[],
                        help="a plotly.js partial bundle (.js) to measure pages with")
    parser.add_argument("--fetch-partial-bundle", action="store_true",
                        help="npm pack plotly.js-basic-dist-min of the installed plotly.js version "
                             "into a temporary folder and measure pages with it")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic roots")
    parser.add_argument("--in-project", action="store_true",
                        help="build in the project's outputs/ instead of a temporary copy of "
                             "data/, params/, notebooks/ (no profile is edited then)")
    parser.add_argument("--no-screenshot", action="store_true")
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    sizes = [int(x) for x in (args.scale or ("10" if args.quick else "1000")).split(",")]
    validate_count = args.validate_count or (100 if args.quick else 1000)
    names = None
    if args.quick:
        candidates = [p.stem for p in territory_params()] or [p.stem for p in params_files()]
        names = candidates[:2]

    # Killed (timeout, Ctrl-C): the running command's process group is ended too (see run()).
    signal.signal(signal.SIGTERM, _interrupt)
    if args.quick and args.timeout == 3600:
        args.timeout = 600
    record: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"), "quick": args.quick,
        "machine": {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
                    "python": platform.python_version(), "load_at_start": os.getloadavg()},
        "goals": GOALS, "sections": sections, "scale_sizes": sizes,
    }
    started = time.perf_counter()
    # Order: the profile warms the caches (imports, kernel) before the build comparison.
    if "imports" in sections:
        log("known costs: importtime, kernel start")
        section_imports(record, min(args.timeout, 300))
    if "profile" in sections:
        log("profiling one dashboard build")
        section_profile(record, args.timeout, args.quick)
    if "build" in sections:
        log(f"full build vs naive loop ({'all dashboards' if names is None else names})")
        section_build(record, names, args.timeout, not args.in_project)
    if "sizes" in sections:
        log("page sizes")
        bundles = list(args.partial_bundle)
        with tempfile.TemporaryDirectory(prefix="essbench-bench-npm-") as folder:
            if args.fetch_partial_bundle:
                bundles += fetch_partial_bundle(Path(folder), record)
            section_sizes(record, bundles)
    if "validate" in sections:
        log(f"validation: real data and {validate_count} profiles")
        section_validate(record, validate_count, min(args.timeout, 900))
    if "scale" in sections:
        log(f"scale runs on SYNTHETIC territories: {sizes}")
        section_scale(record, sizes, args.timeout, args.max_minutes, args.sample, args.keep,
                      not args.no_screenshot)
    record["seconds"] = round(time.perf_counter() - started, 1)
    rows = table(record)
    record["table"] = rows
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench.json").write_text(json.dumps(record, indent=1, default=str, ensure_ascii=False)
                                    + "\n", encoding="utf-8")
    print_table(rows)
    print(f"\n(ratios from this run; absolute times are context. Record: "
          f"{(OUT / 'bench.json').relative_to(ROOT)}; run took {record['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
