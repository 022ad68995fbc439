"""Household rules the numba kernels share: technology, saving, neighbours, referrals.

Array layouts as in ``model.kernels``. ``agents.Household`` states the same rules in Python.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from model import kernel_params as kp
from model.state import (
    ASPIRATION,
    ASSETS,
    CONFIDENCE,
    CONSUMPTION,
    CULTURE,
    HIGH_TECH_MONTHS,
    MENTOR,
    P_INCUBATION,
    P_JOB_MATCHING,
    P_SAVINGS_GROUP,
    PEER_ACTIVE,
    PEER_CONSUMPTION,
    PEER_CULTURE,
    PEER_GRADUATED,
    PEER_SUCCESS,
    PRODUCTIVITY,
    SKILL,
    TIMERS,
)

CONSUMPTION_FLOOR = 0.01  # z/person: the aspiration gap is measured against at least this


@njit(cache=True, inline="always")
def referred(ints: np.ndarray, h: int, mentor_contact: np.ndarray) -> float:
    """How strongly the household is referred to employers: 1 in the job-matching programme,
    else its mentor's contact (1 for a weekly volunteer, less for a social worker), else 0."""
    if ints[h, TIMERS + P_JOB_MATCHING] > 0:
        return 1.0
    mentor = ints[h, MENTOR]
    return mentor_contact[mentor] if mentor >= 0 else 0.0


@njit(cache=True, inline="always")
def enterprise_income(floats: np.ndarray, ints: np.ndarray, h: int, params: np.ndarray,
                      amounts: np.ndarray) -> tuple[float, bool]:
    """Phase 3: income of the better technology open to ``h`` (z/month), and whether high.

    ``k ** gamma`` is computed as ``exp(gamma * log k)``, sharing one logarithm between the
    two technologies. Incubation raises the productivity of a high-technology enterprise; a
    new one earns its extra income over the low technology gradually (``ramp``).
    """
    k = floats[h, ASSETS]
    if k <= 0.0:
        return 0.0, False
    e = floats[h, CONFIDENCE]
    theta = (1.0 + params[kp.PHI_SKILL] * floats[h, SKILL]) * \
        (1.0 + params[kp.PHI_CONFIDENCE] * e)
    base = floats[h, PRODUCTIVITY] * theta
    log_k = math.log(k)
    low = base * params[kp.THETA_LOW] * math.exp(params[kp.GAMMA_LOW] * log_k)
    open_high = params[kp.TRAP] == 0.0 or (k >= params[kp.K_MIN] and e >= params[kp.E_MIN]
                                            and floats[h, CULTURE] >= params[kp.U_MIN])
    if open_high:
        high = base * params[kp.THETA_HIGH] * math.exp(params[kp.GAMMA_HIGH] * log_k) - \
            params[kp.FIXED_COST_HIGH]
        if high > low:
            if ints[h, TIMERS + P_INCUBATION] > 0:
                high += base * params[kp.THETA_HIGH] * amounts[P_INCUBATION] * \
                    math.exp(params[kp.GAMMA_HIGH] * log_k)
            return low + ramp(ints[h, HIGH_TECH_MONTHS], params) * (high - low), True
    return low, False


@njit(cache=True, inline="always")
def ramp(months_run: int, params: np.ndarray) -> float:
    """Share of the high technology's extra income earned in its ``months_run + 1``-th month
    (time to build: linear up to ``ramp_months``, then 1)."""
    if params[kp.RAMP_MONTHS] <= 0.0:
        return 1.0
    return min(1.0, (months_run + 1.0) / params[kp.RAMP_MONTHS])


@njit(cache=True, inline="always")
def saving_rate(floats: np.ndarray, ints: np.ndarray, h: int, size: float,
                params: np.ndarray, amounts: np.ndarray) -> float:
    """Phase 5: share of the surplus over subsistence saved (aspiration-gap rule), plus the
    savings group's push while a member."""
    extra = amounts[P_SAVINGS_GROUP] if ints[h, TIMERS + P_SAVINGS_GROUP] > 0 else 0.0
    if params[kp.FIXED_SAVING] == 1.0:
        return min(1.0, params[kp.SIGMA_REF] + extra)
    c_prev = max(floats[h, CONSUMPTION] / size, CONSUMPTION_FLOOR)
    gap = (floats[h, ASPIRATION] - c_prev) / c_prev
    z = (gap - params[kp.GAP_PEAK]) / params[kp.GAP_WIDTH]
    motivation = 1.0 / (1.0 + z * z)
    return min(1.0, params[kp.SIGMA_MIN] + (params[kp.SIGMA_MAX] - params[kp.SIGMA_MIN]) *
               motivation * (0.5 + 0.5 * floats[h, CULTURE]) + extra)


@njit(cache=True, inline="always")
def clamp01(x: float) -> float:
    """x limited to [0, 1]."""
    return min(1.0, max(0.0, x))


@njit(cache=True, inline="always")
def gather_neighbours(lo: int, hi: int, nbr_ptr: np.ndarray, nbr_idx: np.ndarray,
                      peer_prev: np.ndarray, sums: np.ndarray) -> None:
    """Sum last month's peer signals over the neighbours of rows ``lo..hi-1`` into ``sums``
    (float64[hi - lo, N_PEER]).

    Kept apart from the household arithmetic so that this short loop has many neighbour
    reads in flight at once: with rewired ties they are random memory accesses, and they,
    not arithmetic, set the pace of large populations.
    """
    for h in range(lo, hi):
        active = consumption = culture = successes = role_models = 0.0
        for j in range(nbr_ptr[h], nbr_ptr[h + 1]):
            other = nbr_idx[j]
            active += peer_prev[other, PEER_ACTIVE]
            consumption += peer_prev[other, PEER_CONSUMPTION]
            culture += peer_prev[other, PEER_CULTURE]
            successes += peer_prev[other, PEER_SUCCESS]
            role_models += peer_prev[other, PEER_GRADUATED]
        row = sums[h - lo]
        row[PEER_ACTIVE] = active
        row[PEER_CONSUMPTION] = consumption
        row[PEER_CULTURE] = culture
        row[PEER_SUCCESS] = successes
        row[PEER_GRADUATED] = role_models
