"""``empowernet validate``: run the validation experiments and write ``docs/validation.md``."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments import store
from experiments.analysis.plots import legend_outside, save
from experiments.analysis.validation import (
    BENCHMARKS,
    FITTED,
    MISS,
    NOT_MEASURABLE,
    PACKAGES,
    STATUSES,
    Study,
    default_with_interval,
    table_number,
    unused_targets,
)
from experiments.analysis.validation_measures import ArmEffect, long_run_map
from experiments.analysis.validation_nulls import NULL_DIR, NULLS, WORLDS
from experiments.evaluate import Evaluation, runs_folder

HEADER = """# Validation

{size_note}Each row is measured on the runs of a committed experiment file
(`configs/experiment/validation_*.yaml`), once per seed, in the default model and in three
null models, each a wrong model on purpose (below). A programme's effect is measured on every
household it treated, each against itself in the baseline run with the same seed (common
random numbers: the same people meeting the same shocks). A relative effect (rows 2a, 2b,
5b, 6b...) is the treated households' mean per-person value in the month over their mean in
the baseline run, minus 1, in %, over the households that are clients in both runs: the
quantity the trials report (per-capita consumption of the households offered the programme
against comparable households), and the one definition `empowernet calibrate` uses for the
moments of the same sources (docs/calibration.md; a test checks that they agree).
*Default* is the default model's mean over seeds with its 95 % interval (Student t); a null
model's column is its mean; n/a is a figure that could not be computed on these runs.

A row's status: **pass** where the default is inside the band and at least one null model is
outside it; **not discriminating** where no null model is outside the band (each is inside it
too, or n/a), so the row cannot tell the model from a wrong one; **miss** where the default is
outside the band (its number is in the row); **not measurable** where the default's figure
could not be computed on these runs (too few households or seeds for what the row reads, such
as households near k*): not a miss, and a larger run gives it a number;
**calibrated** where the figure is arithmetic of one parameter that was set from this very
target. Package rows show the effect of the same money per treated
household given to the same kind of households as cash and as a productive asset
(equal-cost benchmarks, measured in the default model). Why row 2a misses, measured component
by component and month by month: [graduation.md](graduation.md).

This page is generated: `empowernet validate --write docs/validation.md` ({runs}).

"""


def _band(low: float, high: float) -> str:
    if np.isinf(high):
        return f"≥ {low:g}" if low else "> 0"
    if np.isinf(low):
        return f"≤ {high:g}" if high else "< 0"
    return f"{low:g} to {high:g}"


def table_markdown(table: pd.DataFrame) -> str:
    """The validation table as Markdown, with a count of the statuses."""
    nulls = " | ".join(name.replace("_", " ") for name in NULLS)
    arms = " | ".join(f"equal-cost {arm.split('_')[0]}" for arm in BENCHMARKS)
    lines = [f"| # | claim | measured as | published | band | default [95 % CI] | {nulls} | "
             f"{arms} | status |", "|---" * (7 + len(NULLS) + len(BENCHMARKS)) + "|"]
    for r in table.to_dict("records"):
        cells = [table_number(r[f"null_{w}"]) for w in NULLS] + \
            ["" if np.isnan(r[arm]) else table_number(r[arm]) for arm in BENCHMARKS]
        status = f"**{r['status']}**" if r["status"] == MISS else r["status"]
        lines.append(f"| {r['number']} | {r['claim']} | {r['measure']} | {r['published']} | "
                     f"{_band(r['band_low'], r['band_high'])} | {default_with_interval(r)} "
                     f"| {' | '.join(cells)} | {status} |")
    counts = table["status"].value_counts()
    summary = ", ".join(f"{int(counts.get(s, 0))} {s}" for s in STATUSES
                        if s != NOT_MEASURABLE or s in counts)
    return "\n".join(lines) + f"\n\nOf {len(table)} rows: {summary}.{unmeasured_note(table)}\n"


def unmeasured_note(table: pd.DataFrame) -> str:
    """What the table's not measurable rows mean and how to get their numbers (empty if
    there are none)."""
    rows = table.loc[table["status"] == NOT_MEASURABLE, "number"].tolist()
    if not rows:
        return ""
    return (f" Not measurable: row{'s' if len(rows) > 1 else ''} {', '.join(rows)}, whose "
            "measure could not be computed on runs of this size (too few households or seeds "
            "for what it reads); that is not a miss. A larger run gives a number: more "
            "households and seeds (`--households`, `--seeds`; without them, the experiment "
            "files' sizes).")


def null_models_markdown() -> str:
    """What each null model switches off: the leading comment of its config file."""
    parts = ["## The null models\n"]
    for name in NULLS:
        path = NULL_DIR / f"{name}.yaml"
        comment = [line[1:].strip() for line in path.read_text(encoding="utf-8").splitlines()
                   if line.startswith("#") and "@package" not in line]
        parts.append(f"**{name.replace('_', ' ')}** (`configs/null/{name}.yaml`, "
                     f"`+null={name}`): {' '.join(comment)}\n")
    return "\n".join(parts)


def calibration_markdown() -> str:
    """Which parameters were set from which target, and which targets were not used."""
    lines = ["## Calibrated and validated\n",
             "Parameters set from targets (docs/model.md tells the story of each):\n",
             "| parameters | set from rows | how |", "|---|---|---|"]
    lines += [f"| {f.parameters} | {', '.join(f.targets) or 'none'} | {f.how} |"
              for f in FITTED]
    lines += ["", "A row that is arithmetic of one parameter set from it is *calibrated*; the "
              "other rows used in a fit are measured, but they are not independent tests. "
              f"Rows not used to set any parameter: {', '.join(unused_targets())}."]
    return "\n".join(lines) + "\n"


def benchmarks_markdown(households: int | None, seeds: int | None, folder: Path) -> str:
    """What each package cost per treated household, and what its equal-cost arms gave."""
    lines = ["## Equal-cost arms\n",
             "Each package's net spending per treated household in the default model (loans "
             "net of repayment), and what the same money gives a household as cash and as a "
             "productive asset once the arm's own delivery cost is paid (nothing where that "
             "cost is more than the package's):\n",
             "| package | cost per treated household (z) | cash (z) | asset (z) |",
             "|---|---|---|---|"]
    for experiment, (package, _) in PACKAGES.items():
        study = Study(experiment, households, seeds)
        cost = study.package_cost(study.evaluate(folder))
        money = study.benchmark_money(cost)
        lines.append(f"| {package} | {cost:.2f} | {money['cash_equal']:.2f} | "
                     f"{money['asset_equal']:.2f} |")
    return "\n".join(lines) + "\n"


def asset_map_figure(runs: dict[str, Evaluation], seed: int, path: Path) -> None:
    """The long-run asset map of business as usual in every model, with k*."""
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for world in WORLDS:
        amap = long_run_map(runs[world], seed)
        centres, change = amap.binned()
        ax.plot(centres, change, "o-", ms=3, label=world.replace("_", " "))
    ax.axhline(0, color="k", lw=0.8, ls="--")
    ax.axvline(amap.threshold, color="tab:red", lw=1, label=f"k* = {amap.threshold:g} z")
    ax.set(xlabel="assets at the start of the last year (z)",
           ylabel="change over the last 12 months (z)", xlim=(0, 3 * amap.threshold),
           title="Long-run asset map of business as usual")
    ax.legend()
    save(fig, path, dpi=120)


def sizes_said(households: int | None, seeds: int | None, used: int) -> tuple[str, str]:
    """What the page says of the runs' size (``used`` seeds, ``households`` per run or the
    experiment files' sizes), and, if ``households`` or ``seeds`` reduced it, a note saying
    how far to trust it (empty at full size)."""
    counted = f"{used} seed{'s' if used != 1 else ''}"
    size = (f"{households} households per run" if households else
            "sizes as in the experiment files")
    if not (households or seeds):
        return f"{counted}, {size}", ""
    spread = ("With one seed there are no intervals, and each verdict rests on one "
              "replication" if used == 1 else "The intervals are wide at this size")
    return f"{counted}, {size}", (
        f"**Reduced size: {size}, {counted}.** {spread}; the full-size table is `empowernet "
        "validate --write docs/validation.md` without `--households` and `--seeds`.\n\n")


def effect_figure(runs: Evaluation, seeds: list[int], path: Path) -> None:
    """Write :func:`effect_plot` to ``path`` (.png and .svg)."""
    save(effect_plot(runs, seeds), path, dpi=120)


def effect_plot(runs: Evaluation, seeds: list[int]) -> plt.Figure:
    """The graduation package's effect on its treated over time, with the equal-cost arms."""
    months = sorted(m for m in runs.run("graduation", seeds[0]).snapshots if m)
    arms = {"graduation": "asset_grant", **BENCHMARKS}
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for arm, programme in arms.items():
        curve = [np.mean([ArmEffect(arm, programme, month)(runs, seed) for seed in seeds])
                 for month in months]
        ax.plot(months, curve, "o-", label=arm.replace("_", " "))
    ax.axhspan(5, 6, color="tab:green", alpha=0.3, label="published: +5-6 % at month 24")
    ax.axhline(0, color="k", lw=0.8)
    ax.set(xlabel="month", ylabel="per-capita consumption vs baseline (%)",
           title="Graduation package and equal-cost arms: effect on the treated")
    legend_outside(ax)
    return fig


def write_report(table: pd.DataFrame, out: Path, households: int | None,
                 seeds: int | None, runs_dir: str | Path | None = None) -> None:
    """Write the Markdown page and its figures next to it (``figures/``); the figures' runs
    are read from ``runs_dir`` (or run into a temporary folder if they are not there)."""
    figures = out.parent / "figures"
    with runs_folder(runs_dir) as folder:
        maps = {w: Study("validation_asset_threshold", households, seeds, w) for w in WORLDS}
        asset_map_figure({w: s.evaluate(folder) for w, s in maps.items()},
                         maps["default"].seed_list()[0], figures / "validation_asset_map")
        graduation = Study("validation_graduation", households, seeds)
        effect_figure(graduation.evaluate(folder), graduation.seed_list(),
                      figures / "validation_graduation_effect")
        benchmarks = benchmarks_markdown(households, seeds, folder)
    runs, size_note = sizes_said(households, seeds, int(table["seeds"].max()))
    text = (HEADER.format(runs=runs, size_note=size_note) + table_markdown(table) + "\n" +
            benchmarks + "\n" + null_models_markdown() + "\n" + calibration_markdown() +
            "\n![Long-run asset map](figures/validation_asset_map.png)\n\n"
            "![Graduation effect over time](figures/validation_graduation_effect.png)\n")
    store.write_text(text, out)
