"""How outcomes and scenarios are named for readers: the one place that turns column names and
scenario ids into words, and numbers into rounded text in their units."""

from __future__ import annotations

import math

import pandas as pd

OUTCOME_NAMES = {
    "headcount": "poverty headcount", "poverty_gap": "poverty gap",
    "consumption_pc_mean": "consumption per person", "assets_mean": "assets",
    "share_wage_job": "share in a wage job", "graduations_cumulative": "graduations",
    "sustained_graduations_cumulative": "sustained graduations",
}
"""Each comparison outcome in words."""

SHARES = ("share", "share of z")
"""Units shown as percentages (their differences as percentage points)."""


def outcome_name(outcome: str) -> str:
    """``outcome`` in words (the column name itself when it has none)."""
    return OUTCOME_NAMES.get(outcome, outcome.replace("_", " "))


def scenario_name(scenario: str) -> str:
    """A scenario id in words: ``asset_grant`` -> ``asset grant``."""
    return scenario.replace("_", " ")


def rounded(values: pd.Series, decimals: int) -> pd.Series:
    """``values`` as text with ``decimals`` decimals and thousands separators ('–' if
    undefined)."""
    return values.map(lambda v: f"{v:,.{decimals}f}" if math.isfinite(v) else "–")


def level(value: float, unit: str) -> str:
    """A level of an outcome in ``unit``, rounded: 0.4312 share -> '43.1 %'."""
    if not math.isfinite(value):
        return "–"
    if unit in SHARES:
        return f"{100 * value:.1f} %"
    if unit == "households":
        return f"{value:,.0f}"
    return f"{value:,.2f} z" if unit.startswith("z") else f"{value:,.3g}"


def change(value: float, unit: str) -> str:
    """A difference in ``unit``, signed and rounded: -0.0472 share -> '-4.7 pp'."""
    if not math.isfinite(value):
        return "–"
    return _number(value, unit) + suffix(unit)


def _number(value: float, unit: str) -> str:
    """A signed difference without its unit."""
    if unit in SHARES:
        return f"{100 * value:+.1f}"
    return f"{value:+,.0f}" if unit == "households" else f"{value:+,.2f}"


def suffix(unit: str) -> str:
    """What follows a difference in ``unit``: ' pp', ' z' or nothing."""
    return " pp" if unit in SHARES else " z" if unit.startswith("z") else ""


def interval_text(low: float, high: float, unit: str) -> str:
    """A 95 % interval of a difference: '[-5.2, -4.2] pp'."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return "–"
    return f"[{_number(low, unit)}, {_number(high, unit)}]{suffix(unit)}"


def with_interval(value: float, low: float, high: float, unit: str) -> str:
    """A difference and its 95 % interval: '-4.7 [-5.2, -4.2] pp'."""
    if not math.isfinite(value):
        return "–"
    if not (math.isfinite(low) and math.isfinite(high)):
        return change(value, unit)
    return f"{_number(value, unit)} [{_number(low, unit)}, {_number(high, unit)}]{suffix(unit)}"
