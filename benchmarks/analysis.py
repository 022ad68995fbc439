"""The analysis commands of this checkout and of another one on one sweep, run alternately.

    .venv/bin/python benchmarks/analysis.py OTHER_CHECKOUT outputs/main_comparison

Each command (``empowernet report`` and ``empowernet compare`` of the sweep) runs as a fresh
process of its checkout, with that checkout's ``.venv``, on the checkout's own copy of the
sweep folder (both write into it), so that neither reads what the other wrote. The first
round of each is not timed (it collects the sweep's results into one table). The whole
process is timed, imports included, as a user waits for it; the two checkouts take turns,
so the ratio is what to read on a shared machine.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

COMMANDS = ("report", "compare")

CLI = "import sys; from experiments.cli import main; sys.exit(main(sys.argv[1:]))"


def seconds(checkout: Path, command: str, sweep: Path) -> float:
    """Wall seconds of ``empowernet COMMAND SWEEP`` run by ``checkout``."""
    clock = time.perf_counter()
    done = subprocess.run([str(checkout / ".venv" / "bin" / "python"), "-c", CLI, command,
                           str(sweep)], cwd=checkout, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{checkout}: empowernet {command} {sweep} failed (status "
                         f"{done.returncode}):\n{done.stderr}")
    return time.perf_counter() - clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", type=Path, help="the checkout to compare with (its .venv set up)")
    parser.add_argument("sweep", type=Path, help="a sweep's folder (copied, never changed)")
    parser.add_argument("--pairs", type=int, default=2,
                        help="rounds of both commands by both checkouts, timed")
    args = parser.parse_args()
    here = Path(__file__).resolve().parents[1]
    if not (args.other / ".venv" / "bin" / "python").exists():
        parser.error(f"{args.other} has no .venv/bin/python to run it with; set one up with "
                     "'bash scripts/bootstrap.sh' in that checkout, then run this again.")
    if not (args.sweep / "index.json").is_file():
        parser.error(f"{args.sweep} is not a sweep's folder (it has no index.json).")
    scratch = Path(tempfile.mkdtemp())
    try:
        copies = {side: shutil.copytree(args.sweep, scratch / side) for side in ("other", "this")}
        sides = {"other": args.other.resolve(), "this": here}
        for side, checkout in sides.items():  # collect each copy once, untimed
            seconds(checkout, "compare", copies[side])
        print(f"{args.sweep}: seconds of the whole process")
        for _ in range(args.pairs):
            for command in COMMANDS:
                took = {side: seconds(checkout, command, copies[side])
                        for side, checkout in sides.items()}
                print(f"{command:8s} other {took['other']:6.1f}  this {took['this']:6.1f}  "
                      f"this/other {took['this'] / took['other']:.2f}", flush=True)
    finally:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
