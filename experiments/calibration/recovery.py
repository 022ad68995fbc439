"""Parameter recovery: simulate the calibrate moments from known parameters, calibrate on
them, and check that the known values fall inside their 90 % posterior intervals.

    python -m experiments.calibration.recovery [FILE] [--replicates N] [--out DIR]
        [--households N] [--seeds N] [--population-size N] [--generations N] [--cores N]

Each replicate draws its known values from the prior and simulates the "data" with seeds the
estimator never uses (so the data carry their own Monte-Carlo noise, as real data would), and
adds to each moment a normal draw of its stated uncertainty (the error of a published value,
which the likelihood counts). Each moment's uncertainty is the calibration file's, widened by
the Monte-Carlo noise of the data and of the estimator's simulations at the study's size
(each as ``calibrate`` measures it: the largest over the prior box's centre and corners).
Replicates live in ``DIR/rep<k>`` and resume like any calibration; ``DIR/recovery.csv`` and
``DIR/recovery.png`` hold the result.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments import store
from experiments.analysis.plots import save
from experiments.calibration import outputs
from experiments.calibration import spec as spec_io
from experiments.calibration.command import Options, settings_of
from experiments.calibration.entry import DEFAULT_FILE
from experiments.calibration.estimator import Estimator
from experiments.calibration.simulate import Simulator, noise_bound, widened

DATA_SEED_BASE = 10_000
"""The data of replicate k use seeds from DATA_SEED_BASE + 100 k: never the estimator's."""


def draw_truth(spec: spec_io.CalibrationSpec, seed: int) -> dict[str, float]:
    """Known parameter values drawn from the prior."""
    rng = np.random.default_rng(seed)
    return {p.key: float(p.draw(rng, 1)[0]) for p in spec.fitted()}


def synthetic_targets(spec: spec_io.CalibrationSpec, settings: spec_io.Settings,
                      truth: dict[str, float], data_seeds: tuple[int, ...],
                      noise: dict[str, float]) -> tuple[spec_io.Moment, ...]:
    """The calibrate moments simulated at ``truth`` with ``data_seeds``, each plus a draw of
    its stated uncertainty (the published value's own error, which the likelihood counts);
    their uncertainty is widened by the simulations' ``noise`` counted twice: once for the
    data, once for the estimator's simulations (independent seeds)."""
    moments = spec.calibration_moments()
    values = Simulator(moments, replace(settings, seeds=data_seeds))(truth)
    error = np.random.default_rng(data_seeds[0]).normal(0.0, [m.uncertainty for m in moments])
    noise = {name: np.sqrt(2) * sd for name, sd in noise.items()}
    return widened(tuple(replace(m, value=values[m.name] + e,
                                 source="simulated from known parameters")
                         for m, e in zip(moments, error, strict=True)), noise)


def recover(spec: spec_io.CalibrationSpec, settings: spec_io.Settings,
            truth: dict[str, float], data_seeds: tuple[int, ...], folder: Path,
            noise: dict[str, float]) -> pd.DataFrame:
    """Calibrate on moments simulated at ``truth``, with the simulations' ``noise`` (as
    ``calibrate`` measures it); the posterior summary with the known value and whether its
    90 % interval covers it."""
    targets = synthetic_targets(spec, settings, truth, data_seeds, noise)
    folder.mkdir(parents=True, exist_ok=True)
    history = Estimator(spec.fitted(), targets, Simulator(targets, settings)).run(
        folder / outputs.HISTORY, settings.population_size, settings.generations,
        settings.cores)
    particles, weights = history.get_distribution(m=0, t=history.max_t)
    described = outputs.summary(particles, np.asarray(weights, float), spec.fitted())
    described["truth"] = described["parameter"].map(truth)
    described["covered"] = (described["q05"] <= described["truth"]) & \
        (described["truth"] <= described["q95"])
    return described


def figure(table: pd.DataFrame) -> plt.Figure:
    """Known values against their 90 % posterior intervals, one panel per parameter."""
    names = list(dict.fromkeys(table["parameter"]))
    fig, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names), 3.2), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        rows = table[table["parameter"] == name]
        ax.errorbar(rows["truth"], rows["median"],
                    yerr=[rows["median"] - rows["q05"], rows["q95"] - rows["median"]],
                    fmt="o", capsize=3, label="posterior median, 90 % interval")
        low, high = rows["prior_low"].iloc[0], rows["prior_high"].iloc[0]
        ax.plot([low, high], [low, high], color="grey", lw=0.8, label="known = estimated")
        ax.set(xlim=(low, high), ylim=(low, high), xlabel="known value",
               ylabel="estimate", title=name.split(".")[-1])
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    return fig


def study(spec: spec_io.CalibrationSpec, settings: spec_io.Settings, replicates: int,
          out: Path) -> pd.DataFrame:
    """Run ``replicates`` recoveries; writes ``recovery.csv`` and the figure in ``out``."""
    noise = noise_bound(spec.calibration_moments(), settings, spec.fitted())
    rows = []
    for k in range(replicates):
        data_seeds = tuple(DATA_SEED_BASE + 100 * k + i for i in range(len(settings.seeds)))
        rows.append(recover(spec, settings, draw_truth(spec, k), data_seeds,
                            out / f"rep{k}", noise).assign(replicate=k))
    table = pd.concat(rows, ignore_index=True)
    store.write_text(table.to_csv(index=False), out / "recovery.csv")
    save(figure(table), out / "recovery")
    return table


def main() -> None:
    """The recovery study from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
    parser.add_argument("--replicates", type=int, default=10)
    parser.add_argument("--out", default="outputs/recovery")
    for name in ("households", "seeds", "population-size", "generations", "cores"):
        parser.add_argument(f"--{name}", type=int)
    args = parser.parse_args()
    spec = spec_io.read(args.file)
    settings = settings_of(spec, Options(args.households, None, args.seeds,
                                         args.population_size, args.generations, args.cores),
                           spec.calibration_moments())
    table = study(spec, settings, args.replicates, Path(args.out))
    print(table.groupby("parameter")["covered"].mean().to_string())
    print(f"known values inside their 90 % intervals: {table['covered'].mean():.0%} "
          f"of {len(table)}; table and figure in {args.out}")


if __name__ == "__main__":
    main()
