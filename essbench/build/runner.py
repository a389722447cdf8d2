"""Batch build of the dashboards: check every input, run the notebooks, publish the pages."""

from __future__ import annotations

import concurrent.futures
import contextlib
import fcntl
import multiprocessing
import os
import platform
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from essbench.build import kernels, pages, params
from essbench.build.digests import Digests, combined, why
from essbench.build.kernels import EngineFailed, KernelNotStarted
from essbench.evidence.dataset import load_dataset, profile_of
from essbench.evidence.reference_tables import reference_problems
from essbench.build.outputs import TEMPORARY_MARK, temporary_file, write_atomic
from essbench.build.params import Dashboard, load_dashboards
from essbench.evidence.problems import InvalidInput, Problem, display_path, listing, shorten
from essbench.build import state as state_file
from essbench.build.state import (LOCK_FILE, OUTPUTS, page_replaced, page_stamp, read_state,
                                  up_to_date, write_state)
from essbench.report.navigation import page_ref

PARAMETERS_CACHE = ".notebook-parameters.json"
STATE_SAVE_EVERY_S = 1.0
KERNEL_NAME = params.KERNEL_NAME
# A cell running longer than this is taken as hung: its dashboard fails, the others go on.
CELL_TIMEOUT_S = 600
# fork, not spawn: a spawned worker re-runs the calling script's top level, so a script without
# `if __name__ == "__main__":` would start a build in each worker, each waiting for the lock the
# parent holds. Timings were within noise of each other. The parent has no thread when the
# pool forks (fork-safe), and each worker closes its copy of the lock's file descriptor.
START_METHOD = "fork"
EXIT_BAD_INPUT = 1
EXIT_FAILED = 2
EXIT_INTERRUPTED = 130


class BuildLocked(Exception):
    """Another build holds the lock of the outputs folder and this one was told not to wait."""


@dataclass
class Outcome:
    """What running one dashboard gave: published or not, why not, and how long it took."""

    name: str
    ok: bool
    seconds: float
    reason: str = ""
    attempts: int = 1


@dataclass
class BuildReport:
    """Dashboards built, left as they were because unchanged, and failed with the reason."""

    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)  # failed before running: bad profile
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def run_cli(names: list[str] | None, jobs: int | None, force: bool,
            root: Path) -> int:
    """`essbench build [NAME ...] [--jobs N] [--force]`: 0 built, 1 bad input, 2 a page failed."""
    try:
        report = build(names or None, jobs, force, root)
    except InvalidInput as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count > 1 else ''} found: nothing was built.",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("Interrupted: the pages already published are complete, the others unchanged.",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0 if report.ok else EXIT_FAILED


def build(names: list[str] | None, jobs: int | None, force: bool, root: Path,
          wait: bool = True, say: Callable[[str], None] | None = None) -> BuildReport:
    """Check all inputs, then run the changed (or, forced, all) dashboards and publish them."""
    say = say or _say
    started = time.monotonic()
    root = Path(root).resolve()
    data = root / "data"
    dashboards, everything, refused = check_inputs(root, names, jobs, data)
    jobs = jobs or os.cpu_count() or 1
    outputs = root / OUTPUTS
    with build_lock(outputs, wait, say) as lock_fd:
        for folder in ("html", "notebooks", "failed", "logs"):
            (outputs / folder).mkdir(parents=True, exist_ok=True)
        left = remove_stale_temporaries(outputs)
        if left:
            say(f"Removed {len(left)} unfinished file{'s' if len(left) > 1 else ''} an "
                f"interrupted build left: {listing(left, limit=5)}")
        for notebook in sorted({d.notebook for d in dashboards}):
            # kept for the next build, now that outputs/ exists (see declared_parameters)
            params.declared_parameters(notebook, outputs / PARAMETERS_CACHE)
        state = read_state(outputs, say)
        digests = Digests(root, [page_ref(d.name, d.parameters) for d in everything])
        inputs = {d.name: digests.of(d, territories_of(d)) for d in dashboards}
        report = BuildReport()
        todo, reasons = [], {}
        for dashboard in dashboards:
            name = dashboard.name
            if name in refused:
                # Not run, not published: the page readers have stays the last good one.
                report.failed[name] = refused[name]
                report.refused.append(name)
            elif not force and up_to_date(name, combined(inputs[name]), state, outputs):
                report.skipped.append(name)
            else:
                todo.append(dashboard)
                reasons[name] = "forced" if force else _why(name, inputs[name], state, outputs)
        say(f"{len(dashboards)} dashboard{'s' if len(dashboards) > 1 else ''}: "
            f"{len(todo)} to build, {len(report.skipped)} unchanged"
            + (f" ({listing(report.skipped, limit=10)})" if report.skipped else "")
            + (f", {min(jobs, len(todo))} at a time" if todo else ""))
        grouped: dict[str, list[str]] = {}
        for name, reason in reasons.items():
            grouped.setdefault(reason, []).append(name)
        for reason, names in grouped.items():
            say(f"  because   {reason}: {listing(names, limit=10)}")
        saved, unsaved = time.monotonic(), False
        try:
            for outcome in _run_all(todo, jobs, root, say, lock_fd):
                if outcome.ok:
                    report.built.append(outcome.name)
                    state[outcome.name] = {"inputs": combined(inputs[outcome.name]),
                                           "files": inputs[outcome.name],
                                           "page": page_stamp(outputs, outcome.name)}
                    unsaved = True
                    # A killed build keeps what it did, give or take the last second: saving
                    # after every page would rewrite a 1 MB state 1,000 times at 1,000 pages.
                    if time.monotonic() - saved >= STATE_SAVE_EVERY_S:
                        write_state(outputs, state)
                        saved, unsaved = time.monotonic(), False
                else:
                    report.failed[outcome.name] = outcome.reason
        finally:
            if unsaved:
                write_state(outputs, state)
        index = root / OUTPUTS / "html" / "index.html"
        if report.refused and not report.built and index.is_file():
            # Its lines are read from the profiles, one of which is broken: the published
            # index stays as it was, as the pages that profile stopped do.
            pass
        else:
            index = write_index(root, everything)
        report.seconds = time.monotonic() - started
        say(f"Index: {display_path(index)}")
        _summarise(report, root, say)
    return report


def _why(name: str, inputs: dict[str, str], state: dict[str, dict], outputs: Path) -> str:
    entry = state.get(name)
    if (entry is not None and entry.get("inputs") == combined(inputs)
            and page_replaced(name, entry, outputs)):
        return "its page was written after its last build (by an interrupted build?)"
    return why(inputs, entry)


def check_inputs(root: Path, names: list[str] | None, jobs: int | None,
                 data: Path) -> tuple[list[Dashboard], list[Dashboard], dict[str, str]]:
    """Every params file and the evidence base checked; the dashboards asked for, all of them
    (for the index), and those refused because a territory they show has a broken profile.

    Problems in a profile only stop the dashboards that show that territory; any other
    problem (params, sources, references) stops everything, all raised together.
    """
    problems: list[Problem] = environment_problems()
    cache = root / OUTPUTS / PARAMETERS_CACHE
    if jobs is not None and jobs < 1:
        problems.append(Problem("--jobs", "(option)", repr(jobs), "a whole number from 1"))
    everything: list[Dashboard] = []
    try:
        everything = load_dashboards(root, names, data, cache)
    except InvalidInput as error:
        problems += error.problems
    problems += reference_problems(data / "reference")
    broken: dict[str, list[Problem]] = {}
    try:
        load_dataset(data)
    except InvalidInput as error:
        for problem in error.problems:
            territory = profile_of(problem)
            if territory is None:
                problems.append(problem)
            else:
                broken.setdefault(territory, []).append(problem)
    if problems:
        raise InvalidInput(problems + [p for found in broken.values() for p in found])
    selected = everything
    if names:
        everything = load_dashboards(root, None, data, cache)
    refused = {}
    for dashboard in selected:
        shown = [t for t in (territories_of(dashboard) or sorted(broken)) if t in broken]
        if shown:
            found = [str(p) for t in shown for p in broken[t]]
            refused[dashboard.name] = (f"invalid profile of {', '.join(shown)}: "
                                       + " | ".join(found))
    return selected, everything, refused


# The latest moment a date can name (9999-12-31 23:59:59 UTC).
_LAST_EPOCH = 253_402_300_799


def environment_problems(environ: dict[str, str] | None = None) -> list[Problem]:
    """The environment variables a build reads, checked before any kernel starts.

    SOURCE_DATE_EPOCH dates the pages (reproducible builds); the kernel's IPython reads it too,
    and one that is not a whole number stops every kernel before its first cell.

    Examples
    --------
    >>> [p.found for p in environment_problems({"SOURCE_DATE_EPOCH": "soon"})]
    ["'soon'"]
    >>> environment_problems({"SOURCE_DATE_EPOCH": "1700000000"})
    []
    """
    environ = os.environ if environ is None else environ
    problems = []
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not (epoch.isascii() and epoch.isdigit()
                                  and int(epoch) <= _LAST_EPOCH):
        problems.append(Problem("SOURCE_DATE_EPOCH", "(environment variable)", shorten(epoch),
                                "unset, or a whole number of seconds since 1970-01-01 UTC "
                                "(e.g. `git log -1 --format=%ct`)"))
    return problems


def territories_of(dashboard: Dashboard) -> list[str] | None:
    """The territory ids a dashboard shows (see essbench.build.state.territories_of)."""
    return state_file.territories_of(dashboard.parameters)


def _run_all(todo: list[Dashboard], jobs: int, root: Path,
             say: Callable[[str], None], lock_fd: int | None = None) -> Iterator[Outcome]:
    """Outcomes as they come; a task is handed over only when a worker is free, so that
    'started' is printed when it really starts."""
    if not todo:
        return
    workers = min(jobs, len(todo))
    waiting = list(todo)
    running: dict[concurrent.futures.Future, tuple[Dashboard, float]] = {}
    _preload()
    pool, fresh = _pool(workers, lock_fd), True
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                dashboard = waiting.pop(0)
                try:
                    future = pool.submit(run_dashboard, _task(dashboard, root))
                except BrokenProcessPool:
                    pool.shutdown(wait=True)
                    if fresh:  # workers that cannot even start: no use trying the others
                        raise
                    # a worker died (killed, out of memory): the others go on in a new pool
                    pool, fresh = _pool(workers, lock_fd), True
                    waiting.insert(0, dashboard)
                    continue
                fresh = False
                say(f"  started   {dashboard.name}")
                running[future] = (dashboard, time.monotonic())
            done, _ = concurrent.futures.wait(
                running, return_when=concurrent.futures.FIRST_COMPLETED)
            for future in done:
                dashboard, started = running.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    outcome = Outcome(dashboard.name, False, time.monotonic() - started,
                                      "its worker process died (killed, or out of memory?), "
                                      "taking with it the dashboards it was running")
                _report_outcome(outcome, say)
                yield outcome
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _preload() -> None:
    """What every worker needs, loaded once here: forked workers share it instead of each
    importing papermill and compiling the page templates (about 1.5 s of CPU each)."""
    import papermill  # noqa: F401

    pages.preload()


def _pool(workers: int, lock_fd: int | None) -> concurrent.futures.ProcessPoolExecutor:
    return concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context(START_METHOD),
        initializer=_start_worker, initargs=(lock_fd, os.getpid()))


def _start_worker(lock_fd: int | None, build_pid: int) -> None:
    """A worker ends with the build that started it, however the build ends (killed outright
    by the out-of-memory killer too): left running, it would publish a page of inputs that
    may have changed since, over a newer build's. Its kernel watches the worker in turn
    (ipykernel ends when its parent does)."""
    _release_inherited_lock(lock_fd)
    end_with_parent()
    if os.getppid() != build_pid:  # the build died before this worker could tell
        os._exit(EXIT_INTERRUPTED)


def _release_inherited_lock(lock_fd: int | None) -> None:
    """A forked worker's copy of the lock would keep it held after the parent is killed."""
    if lock_fd is not None and START_METHOD == "fork":
        os.close(lock_fd)


_PR_SET_PDEATHSIG = 1


def end_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Ask Linux to send `sig` to this process when its parent ends; False where it cannot
    (then `build_alive` still keeps a worker from publishing)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def build_alive(task: Task) -> bool:
    """Whether the build that handed over `task` still runs, and so still holds the lock: a
    worker publishes only then. A task run in the build's own process has no such build."""
    return task.build_pid is None or os.getppid() == task.build_pid


def _report_outcome(outcome: Outcome, say: Callable[[str], None]) -> None:
    retried = " after a retry of the kernel start" if outcome.attempts > 1 else ""
    if outcome.ok:
        say(f"  built     {outcome.name} ({outcome.seconds:.1f} s{retried})")
    else:
        say(f"  FAILED    {outcome.name} ({outcome.seconds:.1f} s{retried}): {outcome.reason}")


def _summarise(report: BuildReport, root: Path, say: Callable[[str], None]) -> None:
    say(f"Done in {report.seconds:.1f} s: {len(report.built)} built, "
        f"{len(report.skipped)} unchanged, {len(report.failed)} failed.")
    if report.failed:
        failed = root / OUTPUTS / "failed"
        say("Failed (their previous page, if any, is still the published one):")
        for name, reason in report.failed.items():
            say(f"  {name}: {reason}")
            if name in report.refused:
                say("    not run: fix the profile, then build again")
                continue
            say(f"    executed notebook: {display_path(failed / f'{name}.ipynb')}, "
                f"log: {display_path(root / OUTPUTS / 'logs' / f'{name}.log')}")


def _say(line: str) -> None:
    print(line, flush=True)


# -- Worker side ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Task:
    """What a worker process needs to run one dashboard and publish it."""

    name: str
    notebook: str
    parameters: dict
    title: str
    outputs: str
    root: str
    kernel_name: str = KERNEL_NAME
    timeout: int = CELL_TIMEOUT_S
    build_pid: int | None = None  # the build's process, when run by one of its workers


def _task(dashboard: Dashboard, root: Path) -> Task:
    return Task(dashboard.name, str(dashboard.notebook), dashboard.parameters, dashboard.title,
                str(root / OUTPUTS), str(root), build_pid=os.getpid())


def run_dashboard(task: Task) -> Outcome:
    """Run one notebook with papermill on this worker's warm kernel and publish its page;
    never raises for a failure."""
    started = time.monotonic()
    attempts = 1
    logs = Path(task.outputs) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with _stderr_to(logs / f"{task.name}.log"):
        while True:
            try:
                ok, reason = _execute_and_publish(task)
                break
            except KernelNotStarted as error:
                if attempts >= 2:
                    ok, reason = False, f"the kernel did not start, twice: {error}"
                    break
                attempts += 1
    return Outcome(task.name, ok, time.monotonic() - started, reason, attempts)


@contextlib.contextmanager
def _stderr_to(path: Path):
    """File descriptor 2 sent to a log file, for this process and what it writes meanwhile."""
    # Interleaved from parallel workers, library warnings would drown the progress lines.
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "w", encoding="utf-8") as log:
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def _execute_and_publish(task: Task) -> tuple[bool, str]:
    ok, reason = False, "interrupted"
    try:
        ok, reason = _execute_on_warm_kernel(task)
    finally:
        # A failed page never hands its kernel to the next one.
        kernels.release(ok)
    return ok, reason


def _execute_on_warm_kernel(task: Task) -> tuple[bool, str]:
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    kernels.register_engine()
    outputs = Path(task.outputs)
    folder = str(Path(task.notebook).parent)
    kernel = kernels.acquire(task.kernel_name, task.root, folder,
                             outputs / "logs" / f"kernel-{os.getpid()}.log")
    executed = temporary_file(outputs / "notebooks", task.name, ".ipynb")
    failed = outputs / "failed" / f"{task.name}.ipynb"
    failed.parent.mkdir(parents=True, exist_ok=True)
    try:
        notebook = papermill.execute_notebook(
            task.notebook, str(executed), parameters=task.parameters,
            engine_name=kernels.ENGINE, kernel_name=task.kernel_name, km=kernel.manager,
            essbench_reset=kernels.reset_code(folder), cwd=folder,
            # Saving after every cell rewrites the whole notebook each time: slow, and no
            # one watches a batch build's notebooks while they run.
            request_save_on_cell_execute=False, progress_bar=False, log_output=False,
            execution_timeout=task.timeout,
        )
    except PapermillExecutionError as error:
        # papermill saved the notebook with the failing cell marked before raising
        os.replace(executed, failed)
        cell = f"In [{error.exec_count}]" if error.exec_count else f"#{error.cell_index}"
        return False, f"{error.ename}: {_one_line(error.evalue)} (cell {cell})"
    except EngineFailed as error:
        notebook = error.notebook
        notebook.cells.insert(0, nbformat.v4.new_markdown_cell(
            f"**essbench build: execution stopped.** {error}"))
        write_atomic(failed, nbformat.writes(notebook))
        executed.unlink(missing_ok=True)
        return False, _one_line(str(error))
    except BaseException:
        executed.unlink(missing_ok=True)
        raise
    try:
        # papermill has written the executed notebook: this copy in memory is ours to change
        page = pages.export_html(notebook, task.title, Path(task.notebook).parent, owned=True)
    except Exception as error:
        os.replace(executed, failed)
        return False, f"HTML export: {type(error).__name__}: {error}"
    if not build_alive(task):
        # Its build was killed: a later build may have published a newer page meanwhile.
        executed.unlink(missing_ok=True)
        return False, "not published: the build that started it has ended"
    write_atomic(outputs / "html" / f"{task.name}.html", page)
    os.replace(executed, outputs / "notebooks" / f"{task.name}.ipynb")
    failed.unlink(missing_ok=True)
    return True, ""


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- Files ---------------------------------------------------------------------------------

def remove_stale_temporaries(outputs: Path) -> list[str]:
    """Temporary files a killed build left behind, removed; only called while holding the
    lock. Their paths, relative to `outputs`."""
    removed = []
    for path in outputs.rglob(f".*{TEMPORARY_MARK}*"):
        path.unlink(missing_ok=True)
        removed.append(path.relative_to(outputs).as_posix())
    return removed


@contextlib.contextmanager
def build_lock(outputs: Path, wait: bool = True, say: Callable[[str], None] | None = None):
    """Hold outputs/.build.lock, so that two builds never write the same folder at once."""
    outputs.mkdir(parents=True, exist_ok=True)
    path = outputs / LOCK_FILE
    # The file stays: deleting a lock file lets a third build lock a new one meanwhile.
    with open(path, "a+", encoding="utf-8", errors="replace") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            message = f"Another build is running in {display_path(outputs)} ({holder})"
            if not wait:
                raise BuildLocked(message + ".") from None
            (say or _say)(message + ": waiting for it to finish (Ctrl-C to give up).")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        left = handle.read().strip()
        if left:
            (say or _say)(f"The last build ({left[:200]}) did not finish: it was killed. Its "
                          "unfinished files are removed, and each page is checked against its "
                          "inputs.")
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {platform.node()}\n")
        handle.flush()
        try:
            yield handle.fileno()
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_index(root: Path, dashboards: list[Dashboard]) -> Path:
    """outputs/html/index.html listing every dashboard; rewritten only if it changed."""
    html_dir = root / OUTPUTS / "html"
    entries = []
    for dashboard in dashboards:
        page = f"{dashboard.name}.html"
        entries.append(pages.index_entry(page if (html_dir / page).is_file() else None,
                                         dashboard.title, dashboard.summary,
                                         dashboard.parameters.get("lang",
                                                                  pages.DEFAULT_LANGUAGE),
                                         dashboard.parameters, root / "data", html_dir / page))
    index = html_dir / "index.html"
    content = pages.render_index(entries).encode("utf-8")
    if not index.is_file() or index.read_bytes() != content:
        write_atomic(index, content)
    return index
