"""Runs per hour of a 20-run sweep with 1 and 2 local workers, measured side by side.

    .venv/bin/python benchmarks/sweeps.py

One worker is Hydra's basic launcher (runs one after the other in one process, one numba
thread each); two workers are the joblib launcher with ``n_jobs=2``. Each run is the baseline
scenario with 100,000 households over 120 months. Figures go to stdout.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = str(Path(sys.executable).with_name("empowernet"))
RUNS = ["scenario=baseline", "seed=range(20)", "population.households=100000", "months=120"]


def sweep_seconds(folder: Path, *launcher: str) -> float:
    """Wall time of the whole sweep, from the command to the index."""
    clock = time.perf_counter()
    subprocess.run([CLI, "run", "-m", *RUNS, f"hydra.sweep.dir={folder}", *launcher],
                   check=True, capture_output=True)
    return time.perf_counter() - clock


def main() -> None:
    argparse.ArgumentParser(description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    root = Path(tempfile.mkdtemp())
    try:
        subprocess.run([CLI, "run", "months=1", f"hydra.run.dir={root / 'warm'}"],
                       check=True, capture_output=True)  # compile or load the kernels once
        one = sweep_seconds(root / "one")
        two = sweep_seconds(root / "two", "hydra/launcher=joblib", "hydra.launcher.n_jobs=2")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("| workers | launcher | seconds for 20 runs | runs per hour |")
    print("|---:|---|---:|---:|")
    print(f"| 1 | basic | {one:.1f} | {20 * 3600 / one:,.0f} |")
    print(f"| 2 | joblib | {two:.1f} | {20 * 3600 / two:,.0f} |")
    print(f"\n- scaling, 2 workers / 1: {one / two:.2f}x")


if __name__ == "__main__":
    main()
