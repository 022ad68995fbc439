"""The numba month of this checkout and of another one, run alternately on the same machine.

    .venv/bin/python benchmarks/side_by_side.py OTHER_CHECKOUT            # 20,000 households
    .venv/bin/python benchmarks/side_by_side.py OTHER_CHECKOUT --households 1000000 \\
        --months 12 --threads 1 --pairs 2
    .venv/bin/python benchmarks/side_by_side.py OTHER_CHECKOUT \\
        --set status.p_entry=0 --set population.burn_in_months=0   # like for like, see below

Each run is a fresh process with its checkout's own ``.venv``: it builds the default model, steps
one month (loading the kernels), then times the next months. The horizon lies one month beyond
them, so the end-of-run snapshot and its diagnosis (``model.diagnosis``) are not timed: this
times the month. On a shared machine absolute
figures move with the load, so the two checkouts take turns and the ratio is what to read. Both
the mean rate of the timed months (as ``benchmarks/engines.py`` reports it) and the rate of the
fastest month (the least disturbed by other work) are printed.

``--set KEY=VALUE`` (repeatable) overrides this checkout's configuration only, for instance to
run it without new client households and burn-in, as code from before them ran.
``--set-both KEY=VALUE`` overrides both checkouts' (a key both know), for instance
``status.p_exit=0``: no household leaves, so both months hold the same clients throughout
and the ratio is one of the cost per client household-month:

    .venv/bin/python benchmarks/side_by_side.py OTHER_CHECKOUT --set status.p_entry=0 \\
        --set population.burn_in_months=0 --set-both status.p_exit=0
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from pathlib import Path

HARNESS = """
import json, sys, time
try:
    from empowernet import EmpowermentModel
except ImportError:  # checkouts from before the empowernet package
    from model import EmpowermentModel
households, months, threads = (int(a) for a in sys.argv[1:4])
overrides = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
extra = {"overrides": overrides} if overrides else {}
m = EmpowermentModel(households=households, months=months + 2, rng=1, threads=threads, **extra)
m.step()
seconds = []
for _ in range(months):
    clock = time.perf_counter()
    m.step()
    seconds.append(time.perf_counter() - clock)
print(households * months / sum(seconds) / 1e6, households / min(seconds) / 1e6)
"""


def rates(checkout: Path, households: int, months: int, threads: int,
          overrides: dict[str, object] | None = None) -> tuple[float, float]:
    """(mean, fastest month) in M household-months/s of one run of ``checkout`` (with
    ``overrides`` of its configuration, if any)."""
    env = os.environ | {"NUMBA_NUM_THREADS": str(max(threads, 2))}
    out = subprocess.run([str(checkout / ".venv" / "bin" / "python"), "-c", HARNESS,
                          str(households), str(months), str(threads),
                          *([json.dumps(overrides)] if overrides else [])], cwd=checkout, env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def _setting(text: str, parser: argparse.ArgumentParser) -> tuple[str, object]:
    """``KEY=VALUE`` as (key, value), the value read as JSON where it is JSON."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        parser.error(f"{text!r}: write a setting as KEY=VALUE, e.g. status.p_entry=0")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", type=Path, help="the checkout to compare with (its .venv set up)")
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override this checkout's configuration (repeatable)")
    parser.add_argument("--set-both", action="append", default=[], metavar="KEY=VALUE",
                        help="override both checkouts' configuration (repeatable)")
    args = parser.parse_args()
    shared = dict(_setting(text, parser) for text in args.set_both)
    overrides = shared | dict(_setting(text, parser) for text in args.set)
    here = Path(__file__).resolve().parents[1]
    if not (args.other / ".venv" / "bin" / "python").exists():
        parser.error(f"{args.other} has no .venv/bin/python to run it with; set one up with "
                     "'bash scripts/bootstrap.sh' in that checkout, then run this again.")
    for checkout in (args.other, here):  # load or compile each side's kernels once
        rates(checkout, 2_000, 2, args.threads)
    print(f"{args.households:,} households, {args.threads} thread(s), {args.months} months "
          "timed; M household-months/s, mean (fastest month)")
    for _ in range(args.pairs):
        other = rates(args.other, args.households, args.months, args.threads, shared)
        this = rates(here, args.households, args.months, args.threads, overrides)
        print(f"other {other[0]:.2f} ({other[1]:.2f})  this {this[0]:.2f} ({this[1]:.2f})  "
              f"this/other {this[0] / other[0]:.2f} ({this[1] / other[1]:.2f})", flush=True)


if __name__ == "__main__":
    main()
