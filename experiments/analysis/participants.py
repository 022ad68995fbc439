"""Who gains and who pays: a scenario's effect on its participants and on everyone else.

Participants are the households a scenario run enrolled in any network programme by the
month compared (``enrolled_ever``); non-participants are all the others. With common random
numbers, row ``h`` is the same household in the scenario run and in the baseline run of the
same seed, so each group's effect is the difference between its mean in the two runs (each
over the group's households still active in that run). The effect on non-participants is
displacement (negative: they lost the jobs participants took) or spillover (positive); the
effect on all households, the results table's, is the net one. Each is a mean over seeds with
its 95 % interval. The groups are read from the household snapshots
(``outputs.snapshot_months``; the final month is always kept), so they are reported at the
compared months that were snapshot in both runs.

In each seed the split is exact: exits and entries do not depend on the programmes, so the
same rows are clients in both runs, and the two groups' effects weighted by their counts
(``participants_share``) are the effect on all clients of the results table. The table
reports means over seeds, and a mean of products is not the product of means: the net
effect differs from ``share * participants + (1 - share) * non_participants`` of the seed
means by the covariance, over seeds, of the participants' share with the gap between the
two groups' effects. It is zero where every seed enrols the same share of its clients, and
small where the share varies (after a burn-in, programmes whose eligible are a minority:
of the order of 1e-4 on the headcount of job matching by lottery); it is no missing
household.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from experiments import store
from experiments.analysis.outcomes import is_client
from experiments.analysis.statistics import interval

GROUPS = ("participants", "non_participants")
"""The two groups, each reported with ``<group>_effect``, ``_ci_low`` and ``_ci_high``."""

PER_HOUSEHOLD: dict[str, Callable[[pd.DataFrame], np.ndarray]] = {
    "headcount": lambda s: (s["consumption"] / s["size"] < 1.0).to_numpy(float),
    "poverty_gap": lambda s: np.maximum(1.0 - s["consumption"] / s["size"], 0.0).to_numpy(),
    "consumption_pc_mean": lambda s: (s["consumption"] / s["size"]).to_numpy(float),
    "assets_mean": lambda s: s["assets"].to_numpy(float),
    "share_wage_job": lambda s: (s["occupation"] == "wage_job").to_numpy(float),
}
"""Each comparison outcome that is a mean over households, as a value per household (from a
snapshot); the others (counts of graduations) have no group effect."""

COLUMNS = ("participants_share", *(f"{g}_{c}" for g in GROUPS
                                   for c in ("effect", "ci_low", "ci_high")))


SNAPSHOT_COLUMNS = ("month", "row", "status", "enrolled_ever", "consumption", "size",
                    "assets", "occupation")
"""What the effects on groups of households read of a run's snapshots."""


CLIENT = "client"
"""The column :func:`snapshots` adds: whether the household is a client that month
(``outcomes.is_client``), worked out once per snapshot for the many effects that read it."""


def snapshots(run_dir: Path, columns: Sequence[str] = SNAPSHOT_COLUMNS,
              months: Sequence[int] | None = None) -> dict[int, pd.DataFrame]:
    """The household snapshots of the run in ``run_dir`` by month (all, or ``months``), each
    in row order, with ``columns`` (``month``, ``row`` and ``status`` among them) and
    :data:`CLIENT`: the one reader of snapshots for effects on groups of households."""
    filters = None if months is None else [("month", "in", list(months))]
    table = store.read_table(run_dir, store.HOUSEHOLDS, columns=list(columns),
                             filters=filters)
    by_month = {}
    for month, snapshot in table.groupby("month"):
        snapshot = snapshot.sort_values("row").reset_index(drop=True)
        by_month[int(month)] = snapshot.assign(**{CLIENT: is_client(snapshot).to_numpy()})
    return by_month


class Snapshots:
    """The household snapshots of a sweep's runs for the effects on groups of households, each
    run's read once (those of ``months``, or all, with ``columns``): one command's effects on
    participants, by household type (``subgroups.TYPE_COLUMNS``) and its households served
    share one reader."""

    def __init__(self, sweep_dir: Path, columns: Sequence[str] = SNAPSHOT_COLUMNS,
                 months: Sequence[int] | None = None) -> None:
        self.sweep_dir = sweep_dir
        self.columns = columns
        self.months = months
        self._read: dict[str, dict[int, pd.DataFrame]] = {}

    def of(self, run: str) -> dict[int, pd.DataFrame]:
        """The snapshots of ``run`` (its id) by month (:func:`snapshots`)."""
        if run not in self._read:
            self._read[run] = snapshots(self.sweep_dir / run, self.columns, self.months)
        return self._read[run]


def group_difference(value: Callable[[pd.DataFrame], np.ndarray], arm: pd.DataFrame,
                     base: pd.DataFrame, rows: np.ndarray) -> float:
    """One seed's effect on the households of ``rows`` (bool, by row) at one month: the mean
    of ``value`` over those still active in the scenario run ``arm`` less its mean over those
    still active in the baseline run ``base`` (both from :func:`snapshots`); NaN where either
    has none."""
    a = value(arm)[rows & arm[CLIENT].to_numpy()]
    b = value(base)[rows & base[CLIENT].to_numpy()]
    return float(a.mean() - b.mean()) if a.size and b.size else np.nan


def group_differences(arm: pd.DataFrame, base: pd.DataFrame) -> dict[str, float]:
    """One seed's effects on participants and non-participants at one month (per outcome, as
    ``<outcome>/<group>``), and the participants' share of the arm's active households."""
    took_part = arm["enrolled_ever"].to_numpy() != 0
    out = {"participants_share": float(took_part[arm[CLIENT].to_numpy()].mean())}
    for group, rows in zip(GROUPS, (took_part, ~took_part), strict=True):
        for outcome, value in PER_HOUSEHOLD.items():
            out[f"{outcome}/{group}"] = group_difference(value, arm, base, rows)
    return out


def group_effects(read: Snapshots, pairs: dict[str, pd.DataFrame],
                  months: Sequence[int]) -> pd.DataFrame:
    """Each scenario's effect on participants and non-participants, with 95 % intervals, at
    the ``months`` snapshot in both runs of every seed (one row per scenario, outcome and
    month; the columns of :data:`COLUMNS`), from the snapshots ``read`` gives."""
    rows = []
    for name, both in pairs.items():
        runs = both[["seed", "run", "run_base"]].drop_duplicates()
        for month in months:
            per_seed = []
            for run in runs.itertuples():
                arm, base = read.of(run.run), read.of(run.run_base)
                if month in arm and month in base:
                    per_seed.append(group_differences(arm[month], base[month]))
            if len(per_seed) < len(runs):
                continue
            share = float(np.mean([seed["participants_share"] for seed in per_seed]))
            for outcome in PER_HOUSEHOLD:
                row = {"scenario": name, "outcome": outcome, "month": month,
                       "participants_share": share}
                for group in GROUPS:
                    mean, lo, hi = interval([seed[f"{outcome}/{group}"] for seed in per_seed])
                    row |= {f"{group}_effect": mean, f"{group}_ci_low": lo,
                            f"{group}_ci_high": hi}
                rows.append(row)
    return pd.DataFrame(rows, columns=["scenario", "outcome", "month", *COLUMNS])


def with_groups(table: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """The comparison ``table`` with the group columns beside each effect (NaN where the
    month was not snapshot or the outcome is a count)."""
    return table.merge(groups, on=["scenario", "outcome", "month"], how="left")
