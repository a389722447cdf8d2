"""PROTOTYPE, for measuring only: what build.py would gain by reusing one kernel per worker.

Not a build: no state, no lock, no index. It runs the given dashboards of a root the way
essbench/build.py does (papermill's nbclient engine, cwd = the notebook's folder, no save after
each cell, essbench.build.pages.export_html), except that each worker process starts ONE kernel and
runs all its notebooks in it (papermill's ``km=``), clearing the namespace between notebooks with
``%reset -f`` (imported modules stay imported). With ``--cache-context`` the kernel also keeps
``essbench.report.display.load_context``'s result between notebooks (functools.lru_cache), which is
what a loaded-once context would give.

    python benchmarks/prototype_reuse.py --root DIR [--jobs 2] [--cache-context] [NAME ...]

Prints one JSON object: seconds, pages, per-page times.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import multiprocessing.util
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

_KM = None
_SETUP = {}


def _start_kernel(notebook_dir: str, data_dir: str, cache_context: bool) -> None:
    global _KM
    from jupyter_client.manager import KernelManager

    os.environ["ESSBENCH_DATA"] = data_dir
    _KM = KernelManager(kernel_name="python3")
    _KM.start_kernel(cwd=notebook_dir)
    client = _KM.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    code = "import essbench.report.display\n"
    if cache_context:
        code += ("import functools\n"
                 "essbench.report.display.load_context = functools.lru_cache(maxsize=4)("
                 "essbench.report.display.load_context)\n")
    client.execute_interactive(code, silent=True, timeout=300)
    client.stop_channels()
    _SETUP.update(notebook_dir=notebook_dir, data_dir=data_dir, cache_context=cache_context)


def _init(notebook_dir: str, data_dir: str, cache_context: bool) -> None:
    import essbench.build.pages  # noqa: F401  (disables rfc3987-syntax as the build does)

    _start_kernel(notebook_dir, data_dir, cache_context)
    # At the worker's normal exit (pool closed), its kernel is shut down.
    multiprocessing.util.Finalize(None, _shutdown, exitpriority=10)


def _shutdown() -> None:
    if _KM is not None and _KM.has_kernel:
        _KM.shutdown_kernel(now=True)


def _reset() -> None:
    client = _KM.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    client.execute_interactive("get_ipython().run_line_magic('reset', '-f')", silent=True,
                               timeout=60)
    client.stop_channels()


def run_one(task: dict) -> dict:
    import papermill

    from essbench.build import pages

    started = time.perf_counter()
    if not _KM.is_alive():
        _start_kernel(**_SETUP)
    _reset()
    with tempfile.TemporaryDirectory(prefix="essbench-proto-") as folder:
        notebook = papermill.execute_notebook(
            task["notebook"], str(Path(folder) / "out.ipynb"), parameters=task["parameters"],
            km=_KM, cwd=str(Path(task["notebook"]).parent), request_save_on_cell_execute=False,
            progress_bar=False, log_output=False,
        )
    executed = time.perf_counter()
    page = pages.export_html(notebook, task["title"], Path(task["notebook"]).parent)
    out = Path(task["out"]) / f"{task['name']}.html"
    out.write_text(page, encoding="utf-8")
    return {"name": task["name"], "seconds": round(time.perf_counter() - started, 3),
            "execute_s": round(executed - started, 3), "bytes": len(page)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cache-context", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    root = args.root.resolve()
    out = args.out or Path(tempfile.mkdtemp(prefix="essbench-proto-html-"))
    out.mkdir(parents=True, exist_ok=True)
    paths = sorted((root / "params").glob("*.yaml"))
    if args.names:
        paths = [p for p in paths if p.stem in set(args.names)]
    tasks = []
    for path in paths:
        params = yaml.safe_load(path.read_text(encoding="utf-8"))
        tasks.append({"name": path.stem, "notebook": str(root / params["notebook"]),
                      "parameters": params.get("parameters") or {}, "title": params["title"],
                      "out": str(out)})
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    with context.Pool(args.jobs, initializer=_init,
                      initargs=(str(root / "notebooks"), str(root / "data"),
                                args.cache_context)) as pool:
        ready = time.perf_counter() - started
        results = []
        for result in pool.imap_unordered(run_one, tasks):
            results.append(result)
            print(f"  built     {result['name']} ({result['seconds']:.1f} s)", file=sys.stderr,
                  flush=True)
        pool.close()
        pool.join()
    seconds = time.perf_counter() - started
    times = sorted(r["seconds"] for r in results)
    print(json.dumps({"seconds": round(seconds, 2), "pages": len(results), "jobs": args.jobs,
                      "cache_context": args.cache_context, "pool_ready_s": round(ready, 2),
                      "throughput_per_s": round(len(results) / seconds, 3) if seconds else None,
                      "per_page_median_s": times[len(times) // 2] if times else None,
                      "out": str(out)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
