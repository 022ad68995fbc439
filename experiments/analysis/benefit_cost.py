"""Benefit-cost ratios from monthly flows, the one computation behind ``compare`` and the
validation's row 2c.

Benefits are each month's consumption gain of all households over the baseline with the same
seed; costs are each month's programme spending, loans net of their repayment. Both are
discounted month by month at the annual ``discount`` rate (a month weighs
``(1 + discount) ** (-month / 12)``). Two ratios are given: over the simulated horizon alone,
and with the mean monthly gain of the last simulated year held for ever after the horizon
(the value the programme leaves behind, as published ratios of graduation programmes assume);
without discounting that value is unbounded and the second ratio is NaN.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

DISCOUNT_ANNUAL = 0.05
"""The default discount rate of benefit-cost ratios (a fraction per year)."""
TAIL_MONTHS = 12  # the gain held after the horizon is the mean of the last year's months


class BenefitCost(NamedTuple):
    """The two benefit-cost ratios of one run (NaN without net cost)."""

    horizon: float    # discounted gains over the simulated months / discounted net cost
    with_tail: float  # the same, with the last year's mean gain held for ever after


def benefit_cost(months: np.ndarray, gains: np.ndarray, costs: np.ndarray,
                 discount: float) -> BenefitCost:
    """Benefit-cost ratios from monthly flows.

    Args:
        months: int[months], the months of the flows, in order (month 0, the starting state,
            is ignored: it has no gain and no spending).
        gains: float64[months], consumption gained that month (z).
        costs: float64[months], net programme spending that month (z).
        discount: annual discount rate.
    """
    simulated = months > 0
    months, gains, costs = months[simulated], gains[simulated], costs[simulated]
    factor = (1.0 + discount) ** (-1.0 / 12.0)
    weights = factor ** months.astype(float)
    cost = float((costs * weights).sum())
    if cost <= 0.0:
        return BenefitCost(np.nan, np.nan)
    benefit = float((gains * weights).sum())
    if factor >= 1.0:
        return BenefitCost(benefit / cost, np.nan)
    held = float(gains[-TAIL_MONTHS:].mean())
    tail = held * factor ** float(months[-1]) * factor / (1.0 - factor)
    return BenefitCost(benefit / cost, (benefit + tail) / cost)
