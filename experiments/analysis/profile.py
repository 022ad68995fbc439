"""The poverty profile of a population: headcount, poverty gap and severity (FGT 0, 1 and 2
on per-capita consumption against the line z = 1), over all client households and by
household type (``subgroups.household_types``).

Each client household counts once, as in the model's results (``model.results``): the
headcount is the share below the line, the gap the mean of max(0, 1 - c/z), the severity the
mean of its square. ``empowernet diagnose`` shows the profile of a roster, the report
(:func:`with_profile`) that of the baseline's starting population; both through
:func:`profile_table`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from experiments.analysis.document import Paragraph, Section, Subheading, Table
from experiments.analysis.labels import rounded
from experiments.analysis.outcomes import is_client
from experiments.analysis.presentation import ENGLISH, View
from experiments.analysis.subgroups import household_types

ALL = "all"
"""The dimension of the profile's first row: every client household."""
MEASURES = ("headcount", "poverty_gap", "poverty_severity")
"""FGT 0, 1 and 2, in the model's results' names."""


def shortfall(snapshot: pd.DataFrame) -> np.ndarray:
    """Each household's shortfall from the line, max(0, 1 - c/z), a share of z."""
    per_capita = (snapshot["consumption"] / snapshot["size"]).to_numpy()
    return np.maximum(0.0, 1.0 - per_capita)


def fgt(gap: np.ndarray) -> dict[str, float]:
    """FGT 0, 1 and 2 of households with shortfalls ``gap`` (NaN for no household)."""
    if gap.size == 0:
        return dict.fromkeys(MEASURES, float("nan"))
    return {"headcount": float((gap > 0).mean()), "poverty_gap": float(gap.mean()),
            "poverty_severity": float((gap ** 2).mean())}


def poverty_profile(snapshot: pd.DataFrame, k_star: float,
                    view: View = ENGLISH) -> pd.DataFrame:
    """The profile of the client households of ``snapshot`` (a household table:
    ``household_frame()`` or a stored snapshot): one row for all of them, then one per
    household type and group, with ``households``, their ``share`` and the FGT measures.

    Args:
        snapshot: one row per household, with status, consumption, size, assets and
            female_head (and binding_constraint, used where diagnosed).
        k_star: the asset threshold, z, that bands starting assets.
        view: the language of the groups' names.
    """
    clients = snapshot[is_client(snapshot).to_numpy()].reset_index(drop=True)
    gap = shortfall(clients)
    rows = [{"dimension": ALL, "group": view.text("all client households"),
             "households": len(clients), "share": 1.0, **fgt(gap)}]
    for dimension, groups in household_types(clients, k_star, view).items():
        groups = pd.Series(groups)
        for group in groups.cat.categories:
            members = (groups == group).to_numpy()
            rows.append({"dimension": dimension, "group": group,
                         "households": int(members.sum()),
                         "share": float(members.mean()) if members.size else float("nan"),
                         **fgt(gap[members])})
    return pd.DataFrame(rows)


def _percent(values: pd.Series) -> pd.Series:
    """Shares as rounded percentages: 0.4312 -> '43.1 %' ('–' if undefined)."""
    return rounded(100 * values, 1) + np.where(np.isfinite(values), " %", "")


def profile_table(profile: pd.DataFrame, view: View = ENGLISH) -> pd.DataFrame:
    """The profile as the reader sees it, in the words of ``view``: words for headers,
    numbers rounded, in units."""
    t = view.text
    return pd.DataFrame({
        t("household type"): profile["dimension"].replace({ALL: t("profile all")}),
        t("group"): profile["group"],
        t("households"): rounded(profile["households"].astype(float), 0),
        t("share of households"): _percent(profile["share"]),
        t("headcount (FGT0)"): _percent(profile["headcount"]),
        t("poverty gap (FGT1, % of z)"): _percent(profile["poverty_gap"]),
        t("severity (FGT2)"): rounded(profile["poverty_severity"], 3),
    })


def with_profile(section: Section, households: pd.DataFrame, baseline: str,
                 k_star: float, view: View = ENGLISH) -> Section:
    """The report's ``section`` followed by the poverty profile of the baseline's starting
    households (``households``: snapshots with a ``scenario`` column, one seed), in the words
    of ``view``; unchanged if month 0 was not kept."""
    start = households[(households["scenario"] == baseline) & (households["month"] == 0)]
    if start.empty:
        return section
    profile = profile_table(poverty_profile(start, k_star, view), view)
    return replace(section, blocks=[
        *section.blocks, Subheading(view.text("report profile heading")),
        Paragraph(view.text("report profile note", seed=int(start["seed"].min()))),
        Table(profile)])
