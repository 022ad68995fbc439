"""Processor time of one calibration candidate, this checkout against another, alternately.

    .venv/bin/python benchmarks/candidate.py OTHER_CHECKOUT             # default file
    .venv/bin/python benchmarks/candidate.py OTHER_CHECKOUT --candidates 10 --pairs 3
    .venv/bin/python benchmarks/candidate.py                             # this checkout only

A candidate is what the estimator asks of the simulator for one set of parameter values
(``experiments.calibration.simulate.Simulator``): every scenario of the file's moments on each
of its seeds, at its size (the default file: business as usual and three programmes, two seeds,
500 households, 24 months after the burn-in). Each run is a fresh process with its checkout's
own ``.venv``; it makes the simulator, runs one candidate (loading the kernels), then times
``--candidates`` candidates at distinct points of the prior (the same points on both sides).
Processor time is printed, not wall time: the runs are single-threaded, and on a shared
machine the wall time mostly measures the other work.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
from pathlib import Path

HARNESS = """
import sys, time
from pathlib import Path
from experiments.calibration import spec as spec_io
from experiments.calibration.command import Options, settings_of
from experiments.calibration.simulate import Simulator
spec = spec_io.read(Path(sys.argv[1]))
targets = spec.calibration_moments()
simulator = Simulator(targets, settings_of(spec, Options(), targets))
def point(i):  # a low-discrepancy sequence over the prior box, the same on both sides
    return {p.key: p.low + ((i + 1) * 0.6180339887 * (j + 1)) % 1.0 * (p.high - p.low)
            for j, p in enumerate(spec.parameters)}
simulator(point(-1))
times = []
for i in range(int(sys.argv[2])):
    clock = time.process_time()
    simulator(point(i))
    times.append(time.process_time() - clock)
print(*times)
"""


def candidate_seconds(checkout: Path, spec: Path, candidates: int) -> list[float]:
    """Processor seconds of each timed candidate, in one fresh process of ``checkout``."""
    out = subprocess.run([str(checkout / ".venv" / "bin" / "python"), "-c", HARNESS,
                          str(spec), str(candidates)], cwd=checkout, capture_output=True,
                         text=True, check=True).stdout.split()
    return [float(value) for value in out]


def described(seconds: list[float]) -> str:
    """Median and range of ``seconds``."""
    return (f"median {statistics.median(seconds):.3f} s "
            f"({min(seconds):.3f}-{max(seconds):.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", type=Path, nargs="?",
                        help="a checkout to compare with (its .venv set up)")
    parser.add_argument("--spec", type=Path, default=Path("configs/calibration/default.yaml"),
                        help="calibration file, relative to each checkout")
    parser.add_argument("--candidates", type=int, default=5)
    parser.add_argument("--pairs", type=int, default=2)
    args = parser.parse_args()
    here = Path(__file__).resolve().parents[1]
    if args.other is not None and not (args.other / ".venv" / "bin" / "python").exists():
        parser.error(f"{args.other} has no .venv/bin/python to run it with; set one up with "
                     "'bash scripts/bootstrap.sh' in that checkout, then run this again.")
    sides = [("other", args.other), ("this", here)] if args.other is not None else [
        ("this", here)]
    print(f"{args.spec}: processor seconds per candidate, {args.candidates} candidates a run")
    for _ in range(args.pairs):
        medians = {}
        for name, checkout in sides:
            seconds = candidate_seconds(checkout, args.spec, args.candidates)
            medians[name] = statistics.median(seconds)
            print(f"{name:5s} {described(seconds)}", flush=True)
        if len(medians) == 2:
            print(f"this/other {medians['this'] / medians['other']:.2f}", flush=True)


if __name__ == "__main__":
    main()
