"""``empowernet validate``: run the validation experiments and write ``docs/validation.md``."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments import store
from experiments.analysis.plots import save
from experiments.analysis.validation import Study, asset_map_changes, effect, treated
from experiments.evaluate import Evaluation, runs_folder

HEADER = """# Validation

Each target of MODEL.md §8 is measured on the runs of a committed experiment file
(`configs/experiment/validation_*.yaml`), once per seed. A programme's effect is measured on
the households it treated, each against itself in the baseline run with the same seed (common
random numbers: the same people meeting the same shocks), so an effect is the policy's and not
noise. *Simulated* is the mean over seeds with its 95 % interval (Student t). A target passes
when the mean lies inside its band. The bands turn each published figure into a range; the
figures themselves and their sources are in the *published* column.

This page is generated: `empowernet validate --write docs/validation.md` ({runs}).

"""


def table_markdown(table: pd.DataFrame) -> str:
    """The validation table as Markdown."""
    lines = ["| # | claim | measured as | published | band | simulated [95 % CI] | |",
             "|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        ci = "" if np.isnan(r.ci_low) else f" [{r.ci_low:.3g}, {r.ci_high:.3g}]"
        lines.append(f"| {r.number} | {r.claim} | {r.measure} | {r.published} | "
                     f"{r.band_low:g} to {r.band_high:g} | {r.simulated:.3g}{ci} | "
                     f"{'pass' if r.passed else '**fail**'} |")
    passed = int(table["passed"].sum())
    core = table[~table["number"].str.startswith("P")]
    lines += ["", f"{passed} of {len(table)} rows pass; of the targets 1-6, "
              f"{int(core['passed'].sum())} of {len(core)}."]
    return "\n".join(lines) + "\n"


def asset_map_figure(runs: Evaluation, seed: int, path: Path) -> None:
    """The binned 12-month asset change of the baseline against starting assets, with k*."""
    m = runs.run("baseline", seed)
    centres, change = asset_map_changes(m)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(centres, change, "o-", label="mean change over 12 months (households binned)")
    ax.axhline(0, color="k", lw=0.8, ls="--", label="no change (45° line of the map)")
    ax.axvline(m.asset_threshold, color="tab:red", lw=1, label=f"k* = {m.asset_threshold:g} z")
    ax.set(xscale="log", xlabel="assets at month 0 (z)", ylabel="assets: month 12 - month 0 (z)",
           title="Asset map under business as usual")
    ax.legend()
    save(fig, path, dpi=120)


def effect_figure(runs: Evaluation, seeds: list[int], path: Path) -> None:
    """The graduation package's effect on treated consumption over time, across seeds."""
    months = sorted(m for m in runs.run("graduation", seeds[0]).snapshots if m)
    curves = []
    for seed in seeds:
        base, arm = runs.run("baseline", seed), runs.run("graduation", seed)
        rows = treated(arm, "asset_grant")
        curves.append([effect(base, arm, rows, month) for month in months])
    curves = np.array(curves)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(months, curves.mean(axis=0), "o-", label="simulated (mean over seeds)")
    ax.fill_between(months, curves.min(axis=0), curves.max(axis=0), alpha=0.25,
                    label="range over seeds")
    ax.axhspan(5, 6, color="tab:green", alpha=0.3, label="published: +5-6 % at month 24")
    ax.axhline(0, color="k", lw=0.8)
    ax.set(xlabel="month", ylabel="per-capita consumption vs baseline (%)",
           title="Graduation package: effect on the treated")
    ax.legend()
    save(fig, path, dpi=120)


def write_report(table: pd.DataFrame, out: Path, households: int | None,
                 seeds: int | None, runs_dir: str | Path | None = None) -> None:
    """Write the Markdown page and its figures next to it (``figures/``); the figures' runs
    are read from ``runs_dir`` (or run into a temporary folder if they are not there)."""
    figures = out.parent / "figures"
    threshold = Study("validation_asset_threshold", households, seeds)
    graduation = Study("validation_graduation", households, seeds)
    with runs_folder(runs_dir) as folder:
        asset_map_figure(threshold.evaluate(folder), threshold.seed_list()[0],
                         figures / "validation_asset_map")
        effect_figure(graduation.evaluate(folder), graduation.seed_list(),
                      figures / "validation_graduation_effect")
    runs = (f"{int(table['seeds'].max())} seeds" +
            (f", {households} households per run" if households else
             ", sizes as in the experiment files"))
    text = HEADER.format(runs=runs) + table_markdown(table) + (
        "\n![Asset map](figures/validation_asset_map.png)\n\n"
        "![Graduation effect over time](figures/validation_graduation_effect.png)\n")
    store.write_text(text, out)
