"""Who benefits: each policy's effect by household type, and how many households it served.

A household's type is read from its starting snapshot (month 0), which is the same in a
scenario run and the baseline run of the same seed (common random numbers): female- or
male-headed, its size, its starting assets against the trap threshold k*, the depth of its
poverty (per-capita consumption against the poverty line z = 1) and its diagnosed constraint
(where the starting snapshot was diagnosed).
A group's effect is the difference between its mean outcome in the two runs, each over the
group's households still active at the month compared; a mean over seeds with its 95 %
interval, as every effect of the report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.analysis.labels import constraint_name
from experiments.analysis.participants import (
    CLIENT,
    PER_HOUSEHOLD,
    SNAPSHOT_COLUMNS,
    Snapshots,
    group_difference,
)
from experiments.analysis.presentation import ENGLISH, View
from experiments.analysis.statistics import interval

TYPE_COLUMNS = (*SNAPSHOT_COLUMNS, "female_head", "binding_constraint")
"""What the effects by household type read of a run's snapshots (``Snapshots`` with them)."""


def constraint_of(snapshot: pd.DataFrame) -> pd.Series | None:
    """Each household's diagnosed constraint, 'not poor' where it has none; None if the
    snapshot was not diagnosed (no household has a value). The one reader of the diagnosis
    column."""
    column = snapshot.get("binding_constraint")
    if column is None or column.isna().all():
        return None
    return column.astype("string").fillna("not poor")


def _categories(values: pd.Series) -> pd.Series:
    """``values`` as categories in alphabetical order."""
    return values.astype(pd.CategoricalDtype(sorted(set(values))))


def _band(values: pd.Series, edges: list[float], names: list[str]) -> pd.Series:
    return pd.cut(values, [-np.inf, *edges, np.inf], labels=names, right=False)


def household_types(start: pd.DataFrame, k_star: float,
                    view: View = ENGLISH) -> dict[str, pd.Series]:
    """Each household's group in every dimension, from its month-0 snapshot (row order); the
    diagnosed constraint only where that snapshot was diagnosed. Dimensions and groups are
    in the words of ``view``, k* in its currency."""
    t = view.text
    depth = start["consumption"] / start["size"]
    half, whole = view.round_amount(k_star / 2), view.round_amount(k_star)
    types = {
        t("head of household"): pd.Categorical(start["female_head"].map(
            {1: t("female-headed"), 0: t("male-headed")}),
            [t("female-headed"), t("male-headed")]),
        t("household size"): _band(start["size"], [3, 5], [t("1-2 people"), t("3-4 people"),
                                                          t("5 or more people")]),
        t("starting assets"): _band(start["assets"], [k_star / 2, k_star],
                                    [t("below k*/2", amount=half), t("k*/2 to k*"),
                                     t("k* or more", amount=whole)]),
        t("depth of poverty"): _band(depth, [0.5, 1.0], [t("below half the line"),
                                                         t("half the line to the line"),
                                                         t("not poor at the start")]),
    }
    diagnosed = constraint_of(start)
    if diagnosed is not None:
        types[t("diagnosed constraint")] = _categories(
            diagnosed.map(lambda c: constraint_name(c, view.lang)))
    return types


def by_type(read: Snapshots, pairs: dict[str, pd.DataFrame], month: int, outcome: str,
            k_star: float, view: View = ENGLISH) -> pd.DataFrame:
    """Each scenario's effect on ``outcome`` at ``month`` by household type: one row per
    scenario, dimension and group (in the words of ``view``), with ``effect``, ``ci_low``,
    ``ci_high`` and the group's ``share`` of the households its effect is taken over (the
    clients of the baseline run at ``month``; exits do not depend on the policy); from the
    snapshots ``read`` gives, with :data:`TYPE_COLUMNS`."""
    value = PER_HOUSEHOLD[outcome]
    rows = []
    for name, both in pairs.items():
        per_seed: dict[tuple[str, str], list[float]] = {}
        shares: dict[tuple[str, str], list[float]] = {}
        for run in both[["run", "run_base"]].drop_duplicates().itertuples():
            arm, base = read.of(run.run), read.of(run.run_base)
            compared = base[month][CLIENT].to_numpy()
            for dimension, groups in household_types(arm[0], k_star, view).items():
                for group in pd.Series(groups).cat.categories:
                    members = (pd.Series(groups) == group).to_numpy()
                    per_seed.setdefault((dimension, group), []).append(
                        group_difference(value, arm[month], base[month], members))
                    shares.setdefault((dimension, group), []).append(
                        (members & compared).sum() / max(compared.sum(), 1))
        for (dimension, group), diffs in per_seed.items():
            mean, low, high = interval(diffs)
            rows.append({"scenario": name, "dimension": dimension, "group": group,
                         "share": float(np.mean(shares[dimension, group])), "effect": mean,
                         "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def reach(read: Snapshots, pairs: dict[str, pd.DataFrame], month: int) -> pd.DataFrame:
    """Households each scenario served (enrolled in any programme by ``month``) and how many
    of them are still active then; means over seeds, from the snapshots ``read`` gives."""
    rows = []
    for name, both in pairs.items():
        served, active = [], []
        for run in both["run"].unique():
            at = read.of(run)[month]
            took_part = at["enrolled_ever"].to_numpy() != 0
            served.append(took_part.sum())
            active.append((took_part & at[CLIENT].to_numpy()).sum())
        rows.append({"scenario": name, "served": float(np.mean(served)),
                     "served_active": float(np.mean(active))})
    return pd.DataFrame(rows)
