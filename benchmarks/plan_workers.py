"""A plan evaluated by worker processes: its time, and whether joblib replaced any worker.

    .venv/bin/python benchmarks/plan_workers.py                 # 24 seeds x 2 scenarios
    .venv/bin/python benchmarks/plan_workers.py --seeds 8 --households 5000

Evaluates business as usual and the graduation package on each seed (two runs that burn in to
one world), two months each, with ``--jobs`` workers into a temporary folder, and prints the
seconds it took and the warnings joblib gave: a worker it replaced because its memory grew by
300 MB (losing the worlds it kept) says "A worker stopped while some jobs were given to the
executor".
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

from experiments.evaluate import Point, evaluate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=24)
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    size = [f"population.households={args.households}", "months=2"]
    plan = [Point.compose(name, [f"scenario={name}", *size], seed)
            for seed in range(args.seeds) for name in ("baseline", "graduation")]
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        clock = time.perf_counter()
        evaluate(plan, Path(folder), jobs=args.jobs)
        seconds = time.perf_counter() - clock
    replaced = sum("A worker stopped" in str(w.message) for w in said)
    print(f"{len(plan)} runs, {args.households:,} households, {args.jobs} workers: "
          f"{seconds:.1f} s; workers replaced by joblib: {replaced}")


if __name__ == "__main__":
    main()
