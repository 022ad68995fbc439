"""The registry of moment statistics: how a moment is computed from a panel.

A statistic is named ``<kind>_<variable>`` (``gap_pct_consumption``): a kind of
:data:`KINDS` applied to a variable of :data:`VARIABLES`, in a survey month, over a group of
households (:data:`GROUPS`). The same code computes a moment from the committee's panel and
from a simulated run written as a panel (:func:`experiments.calibration.panel.simulated_panel`),
so data and model are measured alike. Shares are in percent, so their gaps are in points.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from experiments.calibration.panel import NO_PROGRAMME

VARIABLES: dict[str, tuple[str, Callable[[pd.DataFrame], pd.Series]]] = {
    "consumption": ("z/month", lambda p: p["consumption_z"]),
    "consumption_pc": ("z/person-month", lambda p: p["consumption_z"] / p["persons"]),
    "income": ("z/month", lambda p: p["income_z"]),
    "income_pc": ("z/person-month", lambda p: p["income_z"] / p["persons"]),
    "assets": ("z", lambda p: p["assets_z"]),
    "wage_job": ("%", lambda p: 100.0 * (p["employment"] == "wage_job")),
    "enterprise": ("%", lambda p: 100.0 * (p["employment"] == "enterprise")),
    "graduated": ("%", lambda p: 100.0 * (p["status"] == "graduated")),
}
"""Per-row variables of a panel: unit and how each is read."""

KINDS = {
    "mean": "mean over the group's households surveyed in the month",
    "change": "mean change since month 0 over the group's households surveyed in both months",
    "gap": "mean of the treated minus mean of the comparison group, in the month",
    "gap_pct": "mean of the treated over mean of the comparison group, minus 1, in %",
}
"""Kinds of statistic and what each computes."""

GROUPS = ("all", "treated", "comparison")
"""Households a statistic is computed over: all, those offered a programme, the others."""
GAP_KINDS = ("gap", "gap_pct")
"""Kinds that compare the treated with the comparison group (their group is ``all``)."""

STATISTICS = tuple(f"{kind}_{variable}" for kind in KINDS for variable in VARIABLES)
"""Every statistic name a moment may use."""


@dataclass(frozen=True)
class WidePanel:
    """A panel as arrays: ``values[variable]`` is households x months (NaN where a household
    was not surveyed); ``treated`` flags the households offered a programme."""

    months: tuple[int, ...]
    values: dict[str, np.ndarray]
    treated: np.ndarray

    @classmethod
    def of(cls, panel: pd.DataFrame) -> WidePanel:
        """The wide form of a panel in the panel format."""
        months = tuple(sorted(panel["month"].unique().tolist()))
        households = pd.Index(panel["household_id"].unique())
        rows = households.get_indexer(panel["household_id"])
        cols = np.searchsorted(months, panel["month"].to_numpy())
        values = {}
        for name, (_, read) in VARIABLES.items():
            grid = np.full((len(households), len(months)), np.nan)
            grid[rows, cols] = read(panel).to_numpy(dtype=float)
            values[name] = grid
        offered = panel.groupby("household_id", sort=False)["programme"].first()
        return cls(months, values, (offered.loc[households] != NO_PROGRAMME).to_numpy())

    def take(self, rows: np.ndarray) -> WidePanel:
        """The panel of households ``rows`` (repeats allowed: a bootstrap sample)."""
        return WidePanel(self.months, {k: v[rows] for k, v in self.values.items()},
                         self.treated[rows])


def split(name: str) -> tuple[str, str]:
    """``(kind, variable)`` of a statistic name; raises KeyError if it is not one."""
    for kind in sorted(KINDS, key=len, reverse=True):
        variable = name.removeprefix(f"{kind}_")
        if name.startswith(f"{kind}_") and variable in VARIABLES:
            return kind, variable
    raise KeyError(name)


def _mean(values: np.ndarray) -> float:
    values = values[np.isfinite(values)]
    return float(values.mean()) if values.size else float("nan")


def percent_gap(treated: np.ndarray, comparison: np.ndarray) -> float:
    """A programme's effect in %: the mean of the treated over the mean of the comparison
    group, minus 1, each over its finite values. The one definition of a relative effect, used
    by the calibration's ``gap_pct`` statistics and by the validation table's effects."""
    return 100.0 * (_mean(treated) / _mean(comparison) - 1.0)


def compute(wide: WidePanel, name: str, month: int, group: str = "all") -> float:
    """The statistic ``name`` in ``month`` over ``group``; NaN if the panel cannot give it
    (month not surveyed, an empty group)."""
    kind, variable = split(name)
    if month not in wide.months:
        return float("nan")
    grid = wide.values[variable]
    at = grid[:, wide.months.index(month)]
    if kind in GAP_KINDS:
        treated, comparison = at[wide.treated], at[~wide.treated]
        return _mean(treated) - _mean(comparison) if kind == "gap" \
            else percent_gap(treated, comparison)
    rows = {"all": slice(None), "treated": wide.treated, "comparison": ~wide.treated}[group]
    if kind == "change":
        return _mean(at[rows] - grid[rows, wide.months.index(0)]) if 0 in wide.months \
            else float("nan")
    return _mean(at[rows])


def bootstrap(wide: WidePanel, wanted: Sequence[tuple[str, int, str]],
              replicates: int = 200, seed: int = 0) -> np.ndarray:
    """Bootstrap draws of several statistics at once (replicates x statistics), resampling
    households separately within the treated and the comparison group (so each keeps its
    size); ``wanted`` holds (name, month, group) triples."""
    rng = np.random.default_rng(seed)
    arms = [np.flatnonzero(wide.treated), np.flatnonzero(~wide.treated)]
    draws = np.empty((replicates, len(wanted)))
    for r in range(replicates):
        sample = wide.take(np.concatenate([rng.choice(arm, arm.size) for arm in arms]))
        draws[r] = [compute(sample, name, month, group) for name, month, group in wanted]
    return draws
