"""The outcomes the analysis reports, with their units and which way is better."""

from __future__ import annotations

import pandas as pd

from model.results import NAMED
from model.state import NOT_CLIENTS

OUTCOMES = {  # results column: unit
    "headcount": "share", "poverty_gap": "share of z",
    "consumption_pc_mean": "z/person-month", "assets_mean": "z",
    "share_wage_job": "share", "graduations_cumulative": "households",
    "sustained_graduations_cumulative": "households",
}
"""The outcomes of the comparison table, each with its unit."""

LOWER_IS_BETTER = ("headcount", "poverty_gap", "poverty_severity", "gini_consumption")
"""Results columns a policy should lower; for every other outcome, higher is better."""


def is_outcome(name: object) -> bool:
    """Whether ``name`` is an outcome a study can score: a column of the results (docs/
    outputs.md), the month aside."""
    return isinstance(name, str) and name in NAMED and name != "month"


def unit(outcome: str) -> str:
    """The unit of ``outcome`` ('' for a results column outside the comparison table)."""
    return OUTCOMES.get(outcome, "")


def is_client(frame: pd.DataFrame) -> pd.Series:
    """Rows of a household table that are clients: neither left nor still to enter
    (``model.state.NOT_CLIENTS``)."""
    return ~frame["status"].isin(NOT_CLIENTS)
