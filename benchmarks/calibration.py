"""The default calibration's cost: seconds per candidate and the projected wall time on 2 cores.

    .venv/bin/python benchmarks/calibration.py                 # configs/calibration/default.yaml
    .venv/bin/python benchmarks/calibration.py --candidates 10 --simulations 2000

A candidate is one call of the calibration's simulator: every scenario its moments need, once
per seed, at the file's size. Wall and processor seconds per candidate are the best and the mean
of ``--candidates`` calls at the centre of the prior (after one call that warms the kernels).
The projection multiplies by the simulations a calibration takes (``--simulations``: the sum of
the ``simulations`` column of a run's generations.csv, or the default run's count as measured in
docs/calibration.md), plus the noise measurement's seed sets, over 2 cores.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from experiments.calibration import spec as spec_io
from experiments.calibration.command import Options, settings_of
from experiments.calibration.entry import DEFAULT_FILE
from experiments.calibration.simulate import NOISE_SEED_SETS, Simulator

CORES = 2


def candidate_seconds(simulator: Simulator, values: dict[str, float], repeats: int,
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Wall and processor seconds of ``repeats`` calls of the simulator at ``values``."""
    simulator(values)  # warm the numba kernels and the config cache
    wall, cpu = [], []
    for _ in range(repeats):
        clock, process = time.perf_counter(), time.process_time()
        simulator(values)
        wall.append(time.perf_counter() - clock)
        cpu.append(time.process_time() - process)
    return np.array(wall), np.array(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
    parser.add_argument("--candidates", type=int, default=5, help="calls timed")
    parser.add_argument("--simulations", type=int, default=1500,
                        help="candidates a calibration takes, to project its wall time")
    args = parser.parse_args()
    spec = spec_io.read(args.file)
    targets = spec.calibration_moments()
    settings = settings_of(spec, Options(), targets)
    centre = {p.key: (p.low + p.high) / 2 for p in spec.parameters}
    wall, cpu = candidate_seconds(Simulator(targets, settings), centre, args.candidates)
    calls = args.simulations + NOISE_SEED_SETS
    print(f"{spec.path.name}: {settings.households} households, {settings.months} months, "
          f"seeds {list(settings.seeds)}, {len(targets)} calibrate moments")
    print("| per candidate | best | mean |\n|---|---|---|")
    print(f"| wall s | {wall.min():.2f} | {wall.mean():.2f} |")
    print(f"| processor s | {cpu.min():.2f} | {cpu.mean():.2f} |")
    print(f"projected wall time of {args.simulations} candidates and {NOISE_SEED_SETS} noise "
          f"seed sets on {CORES} cores: {calls * cpu.min() / CORES / 60:.1f} min "
          f"(at the mean: {calls * cpu.mean() / CORES / 60:.1f} min)")


if __name__ == "__main__":
    main()
