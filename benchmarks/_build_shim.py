"""Test-only stand-in for `essbench [--root R] build ...` calling essbench.build.runner.run_cli.

Used by run.py --build-via-api while the command line and build.py's signature disagree.
"""

import argparse
import inspect
import sys
from pathlib import Path

from essbench.build.runner import run_cli


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("command")
    parser.add_argument("names", nargs="*")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_intermixed_args()
    kwargs = {}
    accepted = inspect.signature(run_cli).parameters
    if "root" in accepted and args.root is not None:
        kwargs["root"] = args.root
    return run_cli(args.names or None, args.jobs, args.force, **kwargs)


# Guarded: spawned pool workers import this module again and must not start a build.
if __name__ == "__main__":
    sys.exit(main())
