"""The household month as pure numba kernels over the state arrays (engine="numba").

Array layouts (see ``model.state``): ``floats`` float64[n, N_FLOAT], ``ints`` int32[n, N_INT],
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
from model.record import BLOCK, record_block
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
    N_PEER,
    NONE,
    OCCUPATION,
    PEER_ACTIVE,
    PEER_CONSUMPTION,
    PEER_CULTURE,
    PEER_GRADUATED,
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
    n = floats.shape[0]
    for h in prange(n):
        candidate[h] = 0
        ints[h, EVENTS] = 0
        floats[h, SHOCK_LOSS] = 0.0
        floats[h, INFORMAL_COVER] = 0.0
        if ints[h, STATUS] == LEFT:
            continue
        if rng.uniform(keys[S_SHOCK], h, 0) < params[kp.P_SHOCK]:
            share = params[kp.LOSS_MIN] + (params[kp.LOSS_MAX] - params[kp.LOSS_MIN]) * \
                rng.uniform(keys[S_SHOCK], h, 1)
            loss = share * floats[h, ASSETS]
            cover = 0.0
            if nbr_ptr[h + 1] > nbr_ptr[h] and \
                    floats[h, ASSETS] >= params[kp.INSURANCE_MIN_ASSETS]:
                cover = params[kp.INSURANCE_SHARE] * loss
            floats[h, ASSETS] -= loss - cover
            floats[h, SHOCK_LOSS] = loss - cover
            floats[h, INFORMAL_COVER] = cover
            ints[h, EVENTS] |= EVENT_SHOCK
            ints[h, LAST_SHOCK_MONTH] = month
        u = rng.uniform(keys[S_JOB], h, 0)
        if ints[h, HAS_JOB] == 1:
            if u < params[kp.P_SEPARATION]:
                ints[h, HAS_JOB] = 0
                ints[h, EVENTS] |= EVENT_JOB_LOST
        else:
            referred = 1.0 if ints[h, MENTOR] >= 0 else 0.0
            p = params[kp.P_FIND] * (1.0 + params[kp.FIND_SKILL] * floats[h, SKILL]) * \
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
        score[j] = -(floats[h, SKILL] + (2.0 if ints[h, MENTOR] >= 0 else 0.0))
    order = np.argsort(score, kind="mergesort")
    filled = min(slots, rows.shape[0])
    for j in range(filled):
        h = rows[order[j]]
        ints[h, HAS_JOB] = 1
        ints[h, EVENTS] |= EVENT_JOB_FOUND
    return filled


@njit(cache=True, inline="always")
def enterprise_income(floats: np.ndarray, h: int, params: np.ndarray) -> tuple[float, bool]:
    """Phase 3: income of the better technology open to ``h`` (z/month), and whether high.

    ``k ** gamma`` is computed as ``exp(gamma * log k)``, sharing one logarithm between the
    two technologies.
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
            return high, True
    return low, False


@njit(cache=True, inline="always")
def saving_rate(floats: np.ndarray, h: int, size: float, params: np.ndarray) -> float:
    """Phase 5: share of the surplus over subsistence saved (aspiration-gap rule)."""
    if params[kp.FIXED_SAVING] == 1.0:
        return params[kp.SIGMA_REF]
    c_prev = max(floats[h, CONSUMPTION] / size, CONSUMPTION_FLOOR)
    gap = (floats[h, ASPIRATION] - c_prev) / c_prev
    z = (gap - params[kp.GAP_PEAK]) / params[kp.GAP_WIDTH]
    motivation = 1.0 / (1.0 + z * z)
    return params[kp.SIGMA_MIN] + (params[kp.SIGMA_MAX] - params[kp.SIGMA_MIN]) * \
        motivation * (0.5 + 0.5 * floats[h, CULTURE])


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


@njit(cache=True, inline="always")
def household_month(floats: np.ndarray, ints: np.ndarray, h: int, params: np.ndarray,
                    neighbours: np.ndarray, peer_next: np.ndarray, keys: np.ndarray,
                    month: int) -> None:
    """Phases 3-10 for household ``h`` (see ``model.schedule`` for the order and why).

    ``neighbours`` (float64[N_PEER]) holds the sums of its neighbours' peer signals.
    """
    if ints[h, STATUS] == LEFT:
        peer_next[h, :] = 0.0
        return
    size = float(ints[h, SIZE])
    shocked = (ints[h, EVENTS] & EVENT_SHOCK) != 0
    # 3. enterprise choice; a shock costs the month's enterprise income
    enterprise, high = enterprise_income(floats, h, params)
    if shocked:
        enterprise = 0.0
    has_job = ints[h, HAS_JOB] == 1
    wage = params[kp.WAGE] if has_job else 0.0
    casual = 0.0
    if not has_job and rng.uniform(keys[S_CASUAL], h, 0) < params[kp.P_CASUAL]:
        casual = params[kp.CASUAL_WAGE]
    earned = enterprise + casual + wage
    # 4. transfers: the pension stops at graduation
    transfers = 0.0
    if ints[h, STATUS] != GRADUATED:
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
        draw = min(floats[h, SAVINGS], subsistence - cash)
        floats[h, SAVINGS] -= draw
        consumption = cash + draw
    # 6. assets (the shock's loss was taken in phase 1)
    k = (1.0 - params[kp.DEPRECIATION]) * floats[h, ASSETS] + investment
    floats[h, ASSETS] = k
    # 7. skills: trained skill above the base decays
    floats[h, SKILL] -= params[kp.SKILL_DECAY] * (floats[h, SKILL] - floats[h, SKILL_BASE])
    # 8-9. confidence, aspirations and culture from last month's neighbours
    active = neighbours[PEER_ACTIVE]
    sum_consumption = neighbours[PEER_CONSUMPTION]
    sum_culture = neighbours[PEER_CULTURE]
    successes = neighbours[PEER_SUCCESS]
    role_models = neighbours[PEER_GRADUATED]
    rose = earned > floats[h, INCOME]
    own = -1.0 if shocked else (1.0 if rose else 0.0)
    e = floats[h, CONFIDENCE]
    u = floats[h, CULTURE]
    e_new = e + params[kp.OWN_EFFECT] * own + \
        params[kp.CONFIDENCE_RELAX] * (floats[h, CONFIDENCE_BASE] - e) + \
        params[kp.ROLE_MODEL_LIFT] * role_models
    if active > 0.0:
        e_new += params[kp.PEER_EFFECT] * (successes / active - e)
        floats[h, ASPIRATION] += params[kp.ASPIRATION_ADAPT] * \
            (sum_consumption / active - floats[h, ASPIRATION])
        u += params[kp.CULTURE_ADAPT] * (sum_culture / active - u)
    floats[h, CONFIDENCE] = clamp01(e_new)
    floats[h, CULTURE] = clamp01(u + params[kp.ROLE_MODEL_LIFT] * role_models)
    # 10. status: graduation, relapse, exogenous exit
    events = ints[h, EVENTS]
    if rose:
        events |= EVENT_INCOME_ROSE
    above = earned / size >= params[kp.EXIT_LINE]
    ints[h, MONTHS_ABOVE] = ints[h, MONTHS_ABOVE] + 1 if above else 0
    status = ints[h, STATUS]
    if status != GRADUATED:
        if ints[h, MONTHS_ABOVE] >= params[kp.EXIT_MONTHS] and k >= params[kp.K_STAR]:
            status = GRADUATED
            events |= EVENT_GRADUATED
            ints[h, GRADUATION_MONTH] = month
            ints[h, MONTHS_BELOW] = 0
    elif consumption / size < 1.0:
        ints[h, MONTHS_BELOW] += 1
        if ints[h, MONTHS_BELOW] >= params[kp.RELAPSE_MONTHS]:
            status = SUPPORTED
            events |= EVENT_RELAPSED
            ints[h, MONTHS_BELOW] = 0
            ints[h, MONTHS_ABOVE] = 0
    else:
        ints[h, MONTHS_BELOW] = 0
    if rng.uniform(keys[S_EXIT], h, 0) < params[kp.P_EXIT]:
        status = LEFT
        events |= EVENT_LEFT
    ints[h, STATUS] = status
    ints[h, EVENTS] = events
    if has_job:
        ints[h, OCCUPATION] = WAGE_JOB
    elif high:
        ints[h, OCCUPATION] = ENTERPRISE_HIGH
    elif k >= params[kp.ACTIVE_ASSETS]:
        ints[h, OCCUPATION] = ENTERPRISE_LOW
    elif casual > 0.0:
        ints[h, OCCUPATION] = CASUAL
    else:
        ints[h, OCCUPATION] = NONE
    floats[h, INCOME] = earned
    floats[h, TRANSFERS] = transfers
    floats[h, CONSUMPTION] = consumption
    floats[h, INVESTMENT] = investment
    floats[h, SAVINGS_DRAW] = draw
    floats[h, COST_RECEIVED] += transfers
    stays = 0.0 if status == LEFT else 1.0
    peer_next[h, PEER_ACTIVE] = stays
    peer_next[h, PEER_CONSUMPTION] = stays * consumption / size
    peer_next[h, PEER_CULTURE] = stays * floats[h, CULTURE]
    peer_next[h, PEER_SUCCESS] = stays if above else 0.0
    peer_next[h, PEER_GRADUATED] = stays if events & EVENT_GRADUATED else 0.0


@njit(cache=True, parallel=True)
def month_and_record(floats: np.ndarray, ints: np.ndarray, params: np.ndarray,
                     nbr_ptr: np.ndarray, nbr_idx: np.ndarray, peer_prev: np.ndarray,
                     peer_next: np.ndarray, keys: np.ndarray, month: int,
                     acc: np.ndarray, hist: np.ndarray) -> None:
    """Phases 3-11 fused: every household's month, then its outcomes into its chunk.

    ``acc`` float64[chunks, N_ACC] and ``hist`` float64[chunks, N_HIST, N_BINS] must be zero.
    """
    n = floats.shape[0]
    chunks = acc.shape[0]
    size = (n + chunks - 1) // chunks
    k_star = params[kp.K_STAR]
    for c in prange(chunks):
        acc_c = acc[c]
        hist_c = hist[c]
        bits = np.zeros(1, dtype=np.int64)
        sums = np.empty((BLOCK, N_PEER))
        end = min(n, (c + 1) * size)
        for lo in range(c * size, end, BLOCK):
            hi = min(lo + BLOCK, end)
            gather_neighbours(lo, hi, nbr_ptr, nbr_idx, peer_prev, sums)
            for h in range(lo, hi):
                household_month(floats, ints, h, params, sums[h - lo], peer_next, keys, month)
            record_block(floats, ints, lo, hi, k_star, acc_c, hist_c, bits)
