"""A finished calibration's diagnostics, as docs/calibration.md shows them.

    python -m experiments.calibration.diagnostics [FOLDER] [--draws N] [--figure PNG]

Prints, as Markdown: each generation's temperature, simulations, acceptance and effective
sample size; each parameter's posterior against its prior; and the posterior predictive check
of every moment of the calibration file, calibrate and held-out alike. The predictive check
draws ``--draws`` parameter sets from the posterior (by weight) and simulates every moment
once per draw, each draw with seeds of its own (never the calibration's), at the calibration's
size: its 90 % interval holds parameter and Monte-Carlo uncertainty. A moment whose published
value lies outside the interval widened by the value's own uncertainty (1.645 of its standard
errors on each side) is a miss. For held-out moments that table is the validation. The figure
shows each parameter's posterior (weighted histogram of the last generation) over its prior.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments.analysis.plots import save
from experiments.calibration import outputs
from experiments.calibration import spec as spec_io
from experiments.calibration.simulate import Simulator
from experiments.config import CONFIG_DIR
from experiments.uncertainty import SHIPPED

PREDICTIVE_SEED_BASE = 20_000
"""Draw k of the predictive check uses seeds from PREDICTIVE_SEED_BASE + 100 k."""
Z90 = 1.645


def calibration_of(folder: Path) -> tuple[spec_io.CalibrationSpec, spec_io.Settings]:
    """The calibration file and the settings a finished calibration ran with."""
    record = json.loads((folder / outputs.PROVENANCE).read_text(encoding="utf-8"))
    fingerprint = record["fingerprint"]
    spec = spec_io.read(CONFIG_DIR / "calibration" / fingerprint["calibration_file"])
    ran = fingerprint["settings"]
    settings = replace(spec.settings, **{**ran, "seeds": tuple(ran["seeds"]),
                                         "overrides": tuple(ran["overrides"])})
    return spec, settings


def posterior_figure(posterior: pd.DataFrame, spec: spec_io.CalibrationSpec) -> plt.Figure:
    """Each parameter's posterior (weighted histogram) over its prior's density; a log-uniform
    prior is drawn on a log scale, where it is flat."""
    columns = min(4, len(spec.parameters))
    rows = -(-len(spec.parameters) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.4 * columns, 2.6 * rows), squeeze=False)
    for ax, p in zip(axes.flat, spec.parameters, strict=False):  # spare axes are hidden
        log = p.prior == "loguniform"
        scale = np.log10 if log else (lambda x: x)
        low, high = scale(p.low), scale(p.high)
        ax.hist(scale(posterior[p.key].to_numpy(float)), bins=np.linspace(low, high, 21),
                weights=posterior["weight"], density=True, alpha=0.7, label="posterior")
        ax.hlines(1.0 / (high - low), low, high, color="grey", label="prior")
        name = p.key.split(".")[-1] + ("" if p.fit else " (prior only)")
        ax.set(xlabel=f"log10 {name}" if log else name, yticks=[])
    for ax in axes.flat[len(spec.parameters):]:
        ax.axis("off")
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    return fig


def predictive_check(posterior: pd.DataFrame, spec: spec_io.CalibrationSpec,
                     settings: spec_io.Settings, draws: int, seed: int = 0) -> pd.DataFrame:
    """Per moment: its use, published value and uncertainty, the posterior predictive median
    and 90 % interval, and whether the published value is a miss (see above)."""
    rng = np.random.default_rng(seed)
    weights = posterior["weight"].to_numpy(float)
    picked = rng.choice(len(posterior), size=draws, p=weights / weights.sum())
    keys = [p.key for p in spec.parameters]
    simulated = pd.DataFrame([
        Simulator(spec.moments, replace(settings, seeds=tuple(
            PREDICTIVE_SEED_BASE + 100 * k + i for i in range(len(settings.seeds)))))(
            posterior.iloc[row][keys].to_dict())
        for k, row in enumerate(picked)])
    rows = []
    for m in spec.moments:
        low, median, high = np.nanquantile(simulated[m.name], [0.05, 0.5, 0.95])
        rows.append({"moment": m.name, "use": m.use, "published": m.value,
                     "uncertainty": m.uncertainty, "median": median, "q05": low, "q95": high,
                     "miss": not low - Z90 * m.uncertainty <= m.value
                     <= high + Z90 * m.uncertainty})
    return pd.DataFrame(rows)


def markdown(table: pd.DataFrame) -> str:
    """A table as Markdown, numbers to three significant digits."""
    def cell(value: object) -> str:
        return f"{value:.3g}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(table.columns) + " |", "|---" * len(table.columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |"
              for row in table.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Print a calibration's diagnostics and draw its posterior figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(SHIPPED))
    parser.add_argument("--draws", type=int, default=20)
    parser.add_argument("--figure", default="docs/figures/calibration_posterior.png")
    args = parser.parse_args()
    folder = Path(args.folder)
    spec, settings = calibration_of(folder)
    posterior = pd.read_csv(folder / outputs.POSTERIOR)
    save(posterior_figure(posterior, spec), Path(args.figure).with_suffix(""))
    for name in (outputs.GENERATIONS, outputs.SUMMARY):
        print(markdown(pd.read_csv(folder / name)))
    print(markdown(predictive_check(posterior, spec, settings, args.draws)))


if __name__ == "__main__":
    main()
