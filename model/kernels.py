"""The household month as pure numba kernels over the state arrays (engine="numba").

Array layouts (see ``model.state``): ``floats`` float64[N_FLOAT, n], ``ints`` int32[N_INT, n],
``peer_*`` float64[n, N_PEER], ``params`` float64[N_PARAMS] (``model.kernel_params``),
``keys`` uint64[len(STREAM_NAMES)] (``model.rng.month_keys``), neighbours as CSR
(``nbr_ptr`` int64[n+1], ``nbr_idx`` int32[nnz]). Kernels write only into the arrays given.
The readable reference of the same rules is ``agents.Household``; the two must agree.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from model import kernel_params as kp
from model import rng
from model.record import accumulate
from model.state import (
    ASPIRATION,
    ASSETS,
    CASUAL,
    CONFIDENCE,
    CONFIDENCE_BASE,
    CONSUMPTION,
    COST_RECEIVED,
    CULTURE,
    ENTERPRISE_HIGH,
    ENTERPRISE_LOW,
    EVENT_GRADUATED,
    EVENT_INCOME_ROSE,
    EVENT_JOB_FOUND,
    EVENT_JOB_LOST,
    EVENT_LEFT,
    EVENT_RELAPSED,
    EVENT_SHOCK,
    EVENTS,
    GRADUATED,
    GRADUATION_MONTH,
    HAS_JOB,
    INCOME,
    INFORMAL_COVER,
    INVESTMENT,
    LAST_SHOCK_MONTH,
    LEFT,
    MENTOR,
    MONTHS_ABOVE,
    MONTHS_BELOW,
    NONE,
    OCCUPATION,
    PEER_CONSUMPTION,
    PEER_CULTURE,
    PEER_FLAG,
    PEER_SUCCESS,
    PRODUCTIVITY,
    SAVINGS,
    SAVINGS_DRAW,
    SHOCK_LOSS,
    SIZE,
    SKILL,
    SKILL_BASE,
    STATUS,
    SUPPORTED,
    TRANSFERS,
    WAGE_JOB,
)

CONSUMPTION_FLOOR = 0.01  # z/person: the aspiration gap is measured against at least this
S_SHOCK = rng.STREAM_INDEX["shock"]
S_JOB = rng.STREAM_INDEX["job"]
S_CASUAL = rng.STREAM_INDEX["casual"]
S_EXIT = rng.STREAM_INDEX["exit"]


@njit(cache=True, parallel=True)
def shocks_and_job_search(floats: np.ndarray, ints: np.ndarray, params: np.ndarray,
                          nbr_ptr: np.ndarray, keys: np.ndarray, month: int,
                          candidate: np.ndarray) -> None:
    """Phases 1-2a: shocks with informal insurance, job separation, job search.

    Writes ``candidate`` (uint8[n]): 1 for a household that found a job offer this month and
    waits for a slot (``allocate_jobs``).
    """
    n = floats.shape[1]
    for h in prange(n):
        candidate[h] = 0
        ints[EVENTS, h] = 0
        floats[SHOCK_LOSS, h] = 0.0
        floats[INFORMAL_COVER, h] = 0.0
        if ints[STATUS, h] == LEFT:
            continue
        if rng.uniform(keys[S_SHOCK], h, 0) < params[kp.P_SHOCK]:
            share = params[kp.LOSS_MIN] + (params[kp.LOSS_MAX] - params[kp.LOSS_MIN]) * \
                rng.uniform(keys[S_SHOCK], h, 1)
            loss = share * floats[ASSETS, h]
            cover = 0.0
            if nbr_ptr[h + 1] > nbr_ptr[h] and \
                    floats[ASSETS, h] >= params[kp.INSURANCE_MIN_ASSETS]:
                cover = params[kp.INSURANCE_SHARE] * loss
            floats[ASSETS, h] -= loss - cover
            floats[SHOCK_LOSS, h] = loss - cover
            floats[INFORMAL_COVER, h] = cover
            ints[EVENTS, h] |= EVENT_SHOCK
            ints[LAST_SHOCK_MONTH, h] = month
        u = rng.uniform(keys[S_JOB], h, 0)
        if ints[HAS_JOB, h] == 1:
            if u < params[kp.P_SEPARATION]:
                ints[HAS_JOB, h] = 0
                ints[EVENTS, h] |= EVENT_JOB_LOST
        else:
            referred = 1.0 if ints[MENTOR, h] >= 0 else 0.0
            p = params[kp.P_FIND] * (1.0 + params[kp.FIND_SKILL] * floats[SKILL, h]) * \
                (1.0 + params[kp.FIND_REFERRAL] * referred)
            if u < p:
                candidate[h] = 1


@njit(cache=True)
def allocate_jobs(floats: np.ndarray, ints: np.ndarray, candidate: np.ndarray,
                  slots: int) -> int:
    """Phase 2b: give this month's ``slots`` to candidates; returns the number filled.

    Priority: referred candidates first, then higher skill, then lower row.
    """
    rows = np.nonzero(candidate)[0]
    score = np.empty(rows.shape[0])
    for j in range(rows.shape[0]):
        h = rows[j]
        score[j] = -(floats[SKILL, h] + (2.0 if ints[MENTOR, h] >= 0 else 0.0))
    order = np.argsort(score, kind="mergesort")
    filled = min(slots, rows.shape[0])
    for j in range(filled):
        h = rows[order[j]]
        ints[HAS_JOB, h] = 1
        ints[EVENTS, h] |= EVENT_JOB_FOUND
    return filled


@njit(cache=True, inline="always")
def enterprise_income(floats: np.ndarray, h: int, params: np.ndarray) -> tuple[float, bool]:
    """Phase 3: income of the better technology open to ``h`` (z/month), and whether high."""
    k = floats[ASSETS, h]
    e = floats[CONFIDENCE, h]
    theta = (1.0 + params[kp.PHI_SKILL] * floats[SKILL, h]) * \
        (1.0 + params[kp.PHI_CONFIDENCE] * e)
    base = floats[PRODUCTIVITY, h] * theta
    low = base * params[kp.THETA_LOW] * k ** params[kp.GAMMA_LOW]
    open_high = params[kp.TRAP] == 0.0 or (k >= params[kp.K_MIN] and e >= params[kp.E_MIN]
                                            and floats[CULTURE, h] >= params[kp.U_MIN])
    if open_high:
        high = base * params[kp.THETA_HIGH] * k ** params[kp.GAMMA_HIGH] - \
            params[kp.FIXED_COST_HIGH]
        if high > low:
            return high, True
    return low, False


@njit(cache=True, inline="always")
def saving_rate(floats: np.ndarray, h: int, size: float, params: np.ndarray) -> float:
    """Phase 5: share of the surplus over subsistence saved (aspiration-gap rule)."""
    if params[kp.FIXED_SAVING] == 1.0:
        return params[kp.SIGMA_REF]
    c_prev = max(floats[CONSUMPTION, h] / size, CONSUMPTION_FLOOR)
    gap = (floats[ASPIRATION, h] - c_prev) / c_prev
    z = (gap - params[kp.GAP_PEAK]) / params[kp.GAP_WIDTH]
    motivation = math.exp(-0.5 * z * z)
    return params[kp.SIGMA_MIN] + (params[kp.SIGMA_MAX] - params[kp.SIGMA_MIN]) * \
        motivation * (0.5 + 0.5 * floats[CULTURE, h])


@njit(cache=True, inline="always")
def clamp01(x: float) -> float:
    """x limited to [0, 1]."""
    return min(1.0, max(0.0, x))


@njit(cache=True, inline="always")
def household_month(floats: np.ndarray, ints: np.ndarray, h: int, params: np.ndarray,
                    nbr_ptr: np.ndarray, nbr_idx: np.ndarray, peer_prev: np.ndarray,
                    peer_next: np.ndarray, keys: np.ndarray, month: int) -> None:
    """Phases 3-10 for household ``h`` (see ``model.schedule`` for the order and why)."""
    if ints[STATUS, h] == LEFT:
        peer_next[h, PEER_FLAG] = 0.0
        return
    size = float(ints[SIZE, h])
    shocked = (ints[EVENTS, h] & EVENT_SHOCK) != 0
    # 3. enterprise choice; a shock costs the month's enterprise income
    enterprise, high = enterprise_income(floats, h, params)
    if shocked:
        enterprise = 0.0
    has_job = ints[HAS_JOB, h] == 1
    wage = params[kp.WAGE] if has_job else 0.0
    casual = 0.0
    if not has_job and rng.uniform(keys[S_CASUAL], h, 0) < params[kp.P_CASUAL]:
        casual = params[kp.CASUAL_WAGE]
    earned = enterprise + casual + wage
    # 4. transfers: the pension stops at graduation
    transfers = 0.0
    if ints[STATUS, h] != GRADUATED:
        transfers = params[kp.PENSION_PER_PERSON] * size
    # 5. consumption and saving
    cash = earned + transfers
    subsistence = params[kp.SUBSISTENCE] * size
    investment = 0.0
    draw = 0.0
    if cash >= subsistence:
        investment = saving_rate(floats, h, size, params) * (cash - subsistence)
        consumption = cash - investment
    else:
        draw = min(floats[SAVINGS, h], subsistence - cash)
        floats[SAVINGS, h] -= draw
        consumption = cash + draw
    # 6. assets (the shock's loss was taken in phase 1)
    k = (1.0 - params[kp.DEPRECIATION]) * floats[ASSETS, h] + investment
    floats[ASSETS, h] = k
    # 7. skills: trained skill above the base decays
    floats[SKILL, h] -= params[kp.SKILL_DECAY] * (floats[SKILL, h] - floats[SKILL_BASE, h])
    # 8-9. confidence, aspirations and culture from last month's neighbours
    active = 0.0
    sum_consumption = 0.0
    sum_culture = 0.0
    successes = 0.0
    role_models = 0.0
    for j in range(nbr_ptr[h], nbr_ptr[h + 1]):
        other = nbr_idx[j]
        flag = peer_prev[other, PEER_FLAG]
        if flag > 0.0:
            active += 1.0
            sum_consumption += peer_prev[other, PEER_CONSUMPTION]
            sum_culture += peer_prev[other, PEER_CULTURE]
            successes += peer_prev[other, PEER_SUCCESS]
            if flag == 2.0:
                role_models += 1.0
    rose = earned > floats[INCOME, h]
    own = -1.0 if shocked else (1.0 if rose else 0.0)
    e = floats[CONFIDENCE, h]
    u = floats[CULTURE, h]
    e_new = e + params[kp.OWN_EFFECT] * own + \
        params[kp.CONFIDENCE_RELAX] * (floats[CONFIDENCE_BASE, h] - e) + \
        params[kp.ROLE_MODEL_LIFT] * role_models
    if active > 0.0:
        e_new += params[kp.PEER_EFFECT] * (successes / active - e)
        floats[ASPIRATION, h] += params[kp.ASPIRATION_ADAPT] * \
            (sum_consumption / active - floats[ASPIRATION, h])
        u += params[kp.CULTURE_ADAPT] * (sum_culture / active - u)
    floats[CONFIDENCE, h] = clamp01(e_new)
    floats[CULTURE, h] = clamp01(u + params[kp.ROLE_MODEL_LIFT] * role_models)
    # 10. status: graduation, relapse, exogenous exit
    events = ints[EVENTS, h]
    if rose:
        events |= EVENT_INCOME_ROSE
    above = earned / size >= params[kp.EXIT_LINE]
    ints[MONTHS_ABOVE, h] = ints[MONTHS_ABOVE, h] + 1 if above else 0
    status = ints[STATUS, h]
    if status != GRADUATED:
        if ints[MONTHS_ABOVE, h] >= params[kp.EXIT_MONTHS] and k >= params[kp.K_STAR]:
            status = GRADUATED
            events |= EVENT_GRADUATED
            ints[GRADUATION_MONTH, h] = month
            ints[MONTHS_BELOW, h] = 0
    elif consumption / size < 1.0:
        ints[MONTHS_BELOW, h] += 1
        if ints[MONTHS_BELOW, h] >= params[kp.RELAPSE_MONTHS]:
            status = SUPPORTED
            events |= EVENT_RELAPSED
            ints[MONTHS_BELOW, h] = 0
            ints[MONTHS_ABOVE, h] = 0
    else:
        ints[MONTHS_BELOW, h] = 0
    if rng.uniform(keys[S_EXIT], h, 0) < params[kp.P_EXIT]:
        status = LEFT
        events |= EVENT_LEFT
    ints[STATUS, h] = status
    ints[EVENTS, h] = events
    if has_job:
        ints[OCCUPATION, h] = WAGE_JOB
    elif high:
        ints[OCCUPATION, h] = ENTERPRISE_HIGH
    elif k >= params[kp.ACTIVE_ASSETS]:
        ints[OCCUPATION, h] = ENTERPRISE_LOW
    elif casual > 0.0:
        ints[OCCUPATION, h] = CASUAL
    else:
        ints[OCCUPATION, h] = NONE
    floats[INCOME, h] = earned
    floats[TRANSFERS, h] = transfers
    floats[CONSUMPTION, h] = consumption
    floats[INVESTMENT, h] = investment
    floats[SAVINGS_DRAW, h] = draw
    floats[COST_RECEIVED, h] += transfers
    peer_next[h, PEER_CONSUMPTION] = consumption / size
    peer_next[h, PEER_CULTURE] = floats[CULTURE, h]
    peer_next[h, PEER_SUCCESS] = 1.0 if above else 0.0
    peer_next[h, PEER_FLAG] = 0.0 if status == LEFT else (
        2.0 if events & EVENT_GRADUATED else 1.0)


@njit(cache=True, parallel=True)
def month_and_record(floats: np.ndarray, ints: np.ndarray, params: np.ndarray,
                     nbr_ptr: np.ndarray, nbr_idx: np.ndarray, peer_prev: np.ndarray,
                     peer_next: np.ndarray, keys: np.ndarray, month: int,
                     acc: np.ndarray, hist: np.ndarray) -> None:
    """Phases 3-11 fused: every household's month, then its outcomes into its chunk.

    ``acc`` float64[chunks, N_ACC] and ``hist`` float64[chunks, N_HIST, N_BINS] must be zero.
    """
    n = floats.shape[1]
    chunks = acc.shape[0]
    size = (n + chunks - 1) // chunks
    k_star = params[kp.K_STAR]
    for c in prange(chunks):
        for h in range(c * size, min(n, (c + 1) * size)):
            household_month(floats, ints, h, params, nbr_ptr, nbr_idx, peer_prev, peer_next,
                            keys, month)
            accumulate(floats, ints, h, k_star, acc[c], hist[c])
