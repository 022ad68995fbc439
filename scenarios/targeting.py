"""Targeting rules: the order in which eligible households are offered a programme's places.

Every rule returns the eligible rows in offer order; ties go to the lower row, so the order
is fully determined by the state and the run's seed. The lottery draws one number per
household and month, shared by every programme enrolling that month, so the components of a
package (the graduation programme) reach the same winners.
"""

from __future__ import annotations

import numpy as np

from model import libm, rng
from model.state import ASSETS, CONSUMPTION, FEMALE_HEAD, SAVINGS, SIZE, HouseholdState

RULES = ("poorest_first", "near_threshold_first", "lottery", "proxy_means", "all_eligible")


def proxy_means_score(state: HouseholdState) -> np.ndarray:
    """A proxy-means score from what a relief office records (lower is poorer): log assets
    and savings per person, a penalty for large and female-headed households."""
    f, i = state.floats.T, state.ints.T
    size = i[SIZE].astype(float)
    return (libm.log1p(f[ASSETS] / size) + 0.5 * libm.log1p(f[SAVINGS] / size)
            - 0.05 * size - 0.1 * i[FEMALE_HEAD])


def order(rule: str, rows: np.ndarray, state: HouseholdState, k_star: float, seed: int,
          month: int) -> np.ndarray:
    """The eligible ``rows`` (ascending) in the order ``rule`` offers them places."""
    f = state.floats.T
    if rule == "poorest_first":
        key = f[CONSUMPTION][rows] / state.ints[rows, SIZE]
    elif rule == "near_threshold_first":
        assets = f[ASSETS][rows]
        # below k*: the closest first; then those above, the poorest first
        key = np.where(assets < k_star, k_star - assets, k_star + assets)
    elif rule == "lottery":
        draws = rng.uniforms(rng.key(seed, "lottery", month), state.n, 0)
        key = draws[rows]
    elif rule == "proxy_means":
        key = proxy_means_score(state)[rows]
    elif rule == "all_eligible":
        return rows
    else:
        raise ValueError(f"unknown targeting rule {rule!r}; allowed: {', '.join(RULES)}")
    return rows[np.argsort(key, kind="stable")]
