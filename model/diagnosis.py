"""Why do they stay poor? The binding constraint of each still-poor household (MODEL.md §6).

For an active household whose per-capita consumption is below z, the binding constraint is the
first of these that holds, in this order; households that are not poor (or have left) get none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.params import Config
from model.state import (
    ASSETS,
    CONFIDENCE,
    CONSUMPTION,
    CULTURE,
    LAST_SHOCK_MONTH,
    LEFT,
    SIZE,
    SKILL,
    STATUS,
    HouseholdState,
)

CONSTRAINTS = ("assets_below_threshold", "confidence_below_gate", "culture_below_gate",
               "low_skill", "recent_shock", "no_job_slots")


def binding_constraints(state: HouseholdState, cfg: Config, k_star: float,
                        month: int) -> pd.Categorical:
    """The binding constraint of every household (missing where not poor, left or pending)."""
    f, i = state.floats.T, state.ints.T
    poor = (i[STATUS] < LEFT) & (f[CONSUMPTION] / i[SIZE] < 1.0)
    recent = month - i[LAST_SHOCK_MONTH] < cfg.diagnosis.recent_shock_months  # NEVER: not
    tests = (f[ASSETS] < k_star, f[CONFIDENCE] < cfg.enterprise.confidence_gate,
             f[CULTURE] < cfg.enterprise.culture_gate, f[SKILL] < cfg.diagnosis.low_skill,
             recent, np.ones(state.n, dtype=bool))
    codes = np.select(tests, np.arange(len(CONSTRAINTS)), default=-1)
    codes = np.where(poor, codes, -1)
    return pd.Categorical.from_codes(codes, categories=list(CONSTRAINTS))
