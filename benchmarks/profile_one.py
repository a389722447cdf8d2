"""Where the time of ONE dashboard build goes, measured inside a single process.

Run by run.py as a subprocess (``python benchmarks/profile_one.py PARAMS.yaml --out DIR``); prints
one JSON object. The run mirrors what a build worker does (essbench/build/runner.py) (papermill's nbclient
engine, cwd = the notebook's folder, no save after each cell, essbench.build.pages.export_html), with
every step timed:

* imports of papermill/nbformat in the build process (with and without the rfc3987-syntax
  grammar, which essbench.build.pages disables);
* kernel start (nbclient's start_new_kernel + start_new_kernel_client, i.e. until the kernel
  answers), and its shutdown;
* each cell, from papermill's own per-cell metadata (cells with imports flagged);
* the notebook saves papermill does (counted and timed) with request_save_on_cell_execute
  False (as the build does) and, on a second run, True (as the papermill command line does);
* the HTML export: essbench.build.pages.export_html, first call (template loading included) and a
  second call, and the nbconvert command line on the same executed notebook.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent


def _imports() -> dict[str, float]:
    started = time.perf_counter()
    import essbench.build.pages  # noqa: F401  (disables rfc3987-syntax, as the build workers do)

    pages_s = time.perf_counter() - started
    started = time.perf_counter()
    import papermill  # noqa: F401
    import nbformat  # noqa: F401

    return {"import_essbench_pages_s": pages_s,
            "import_papermill_nbformat_s": time.perf_counter() - started}


def _instrument() -> dict[str, list[float]]:
    """Wrap the kernel start, the kernel shutdown and papermill's saves with timers."""
    import nbclient
    from papermill.engines import NotebookExecutionManager

    timings: dict[str, list[float]] = {"kernel_start": [], "kernel_client": [], "save": [],
                                       "cleanup": []}

    def timed_sync(owner, name, key):
        original = getattr(owner, name)

        def wrapper(self, *args, **kwargs):
            started = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                timings[key].append(time.perf_counter() - started)

        setattr(owner, name, wrapper)

    # papermill's client runs the synchronous wrappers (nbclient's setup_kernel), which bind
    # the original coroutines at class creation: both layers are wrapped, each timed once.
    timed_sync(nbclient.NotebookClient, "start_new_kernel", "kernel_start")
    timed_sync(nbclient.NotebookClient, "start_new_kernel_client", "kernel_client")
    timed_sync(nbclient.NotebookClient, "_cleanup_kernel", "cleanup")

    original_save = NotebookExecutionManager.save

    def save(self, **kwargs):
        started = time.perf_counter()
        try:
            return original_save(self, **kwargs)
        finally:
            if self.output_path:
                timings["save"].append(time.perf_counter() - started)

    NotebookExecutionManager.save = save
    return timings


def _execute(params: dict, out: Path, save_each_cell: bool, timings: dict,
             **engine_kwargs) -> dict:
    import papermill

    for values in timings.values():
        values.clear()
    notebook_path = ROOT / params["notebook"]
    started = time.perf_counter()
    notebook = papermill.execute_notebook(
        str(notebook_path), str(out), parameters=params.get("parameters") or {},
        kernel_name="python3", cwd=str(notebook_path.parent),
        request_save_on_cell_execute=save_each_cell, progress_bar=False, log_output=False,
        **engine_kwargs,
    )
    total = time.perf_counter() - started
    cells = []
    for index, cell in enumerate(notebook.cells):
        meta = cell.metadata.get("papermill", {})
        if cell.cell_type != "code" or meta.get("duration") is None:
            continue
        source = "".join(cell.source) if isinstance(cell.source, list) else cell.source
        first = next((line for line in source.splitlines() if line.strip()
                      and not line.lstrip().startswith("#")), "")
        outputs_bytes = len(json.dumps(cell.get("outputs", [])))
        cells.append({"index": index, "seconds": round(float(meta["duration"]), 4),
                      "imports": "import " in source, "first_line": first[:90],
                      "output_bytes": outputs_bytes, "tags": cell.metadata.get("tags", [])})
    cell_total = sum(c["seconds"] for c in cells)
    kernel = sum(timings["kernel_start"]) + sum(timings["kernel_client"])
    return {
        "total_s": round(total, 3),
        "kernel_start_s": round(kernel, 3),
        "kernel_shutdown_s": round(sum(timings["cleanup"]), 3),
        "cells_s": round(cell_total, 3),
        "import_cells_s": round(sum(c["seconds"] for c in cells if c["imports"]), 3),
        "saves": len(timings["save"]),
        "saves_s": round(sum(timings["save"]), 3),
        "papermill_other_s": round(total - kernel - cell_total - sum(timings["save"])
                                   - sum(timings["cleanup"]), 3),
        "notebook_bytes": out.stat().st_size if out.exists() else None,
        "cells": cells,
    }, notebook


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("params", type=Path)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--skip-save-run", action="store_true")
    args = parser.parse_args()
    import yaml

    params = yaml.safe_load(args.params.read_text(encoding="utf-8"))
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="essbench-profile-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    report: dict = {"params": str(args.params), "notebook": params["notebook"]}
    report |= {k: round(v, 3) for k, v in _imports().items()}
    timings = _instrument()

    like_build, notebook = _execute(params, out_dir / "executed.ipynb", False, timings)
    report["like_build"] = like_build

    from essbench.build import pages

    started = time.perf_counter()
    page = pages.export_html(notebook, params.get("title", "profile"),
                             (ROOT / params["notebook"]).parent)
    report["export_first_s"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    pages.export_html(notebook, params.get("title", "profile"), (ROOT / params["notebook"]).parent)
    report["export_second_s"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    (out_dir / "page.html").write_text(page, encoding="utf-8")
    report["write_page_s"] = round(time.perf_counter() - started, 3)
    report["page_bytes"] = len(page.encode("utf-8"))

    started = time.perf_counter()
    cli = subprocess.run([str(Path(sys.executable).parent / "jupyter"), "nbconvert", "--to",
                          "html", "--no-input", str(out_dir / "executed.ipynb")],
                         capture_output=True, text=True, timeout=300)
    report["nbconvert_cli_s"] = round(time.perf_counter() - started, 3)
    report["nbconvert_cli_rc"] = cli.returncode

    if not args.skip_save_run:
        # The same run with papermill saving the notebook at each cell's start and end (what
        # the papermill command line does by default).
        with_saves, _ = _execute(params, out_dir / "executed_saving.ipynb", True, timings)
        report["like_papermill_cli"] = {k: v for k, v in with_saves.items() if k != "cells"}
        # nbclient's default 'graceful' shutdown waits for the kernel to exit by itself.
        immediate, _ = _execute(params, out_dir / "executed_immediate.ipynb", False, timings,
                                shutdown_kernel="immediate")
        report["immediate_shutdown"] = {k: v for k, v in immediate.items() if k != "cells"}
        report["reused_kernel"] = _reused_kernel(params, out_dir, timings)
    print(json.dumps(report))
    return 0


def _reused_kernel(params: dict, out_dir: Path, timings: dict, runs: int = 3) -> dict:
    """The same notebook run `runs` times in ONE kernel started beforehand (papermill's km=)."""
    from jupyter_client.manager import KernelManager

    notebook_dir = (ROOT / params["notebook"]).parent
    started = time.perf_counter()
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(notebook_dir))
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    client.stop_channels()
    start_s = time.perf_counter() - started
    totals = []
    try:
        for index in range(runs):
            result, _ = _execute(params, out_dir / f"executed_reused_{index}.ipynb", False,
                                 timings, km=km)
            totals.append({"total_s": result["total_s"], "cells_s": result["cells_s"],
                           "import_cells_s": result["import_cells_s"]})
    finally:
        km.shutdown_kernel(now=True)
    return {"kernel_start_once_s": round(start_s, 3), "runs": totals}


def _process_start() -> float:
    """This process's creation time on the perf_counter clock."""
    import psutil

    created = psutil.Process().create_time()
    return time.perf_counter() - (time.time() - created)


if __name__ == "__main__":
    sys.exit(main())
