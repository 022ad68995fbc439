"""The household month as pure numba kernels over the state arrays (engine="numba").

Array layouts (see ``model.state``): ``floats`` float64[n, N_FLOAT], ``ints`` int32[n, N_INT],
``peer_*`` float64[n, N_PEER], ``params`` float64[N_PARAMS] (``model.kernel_params``),
``keys`` uint64[len(STREAM_NAMES)] (``model.rng.month_keys``), neighbours as CSR
(``nbr_ptr`` int64[n+1], ``nbr_idx`` int32[nnz]). Kernels write only into the arrays given.
The readable reference of the same rules is ``agents.Household``; the two must agree.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from model import kernel_params as kp
from model import rng
from model.record import BLOCK, record_block
from model.rules import clamp01, enterprise_income, gather_neighbours, referred, saving_rate
from model.state import (
    ACTIVE_PROGRAMMES,
    ARREARS,
    ASPIRATION,
    ASSETS,
    CASUAL,
    CONFIDENCE,
    CONFIDENCE_BASE,
    CONSUMPTION,
    COST_RECEIVED,
    CULTURE,
    DEBT,
    ENROLLED,
    ENROLLED_EVER,
    ENTERPRISE_HIGH,
    ENTERPRISE_LOW,
    EVENT_DEFAULTED,
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
    HIGH_TECH_MONTHS,
    INCOME,
    INFORMAL_COVER,
    INVESTMENT,
    LAST_SHOCK_MONTH,
    LEFT,
    LOAN_INSTALMENT,
    MENTOR,
    MONTHS_ABOVE,
    MONTHS_BELOW,
    N_PEER,
    N_PROGRAMMES,
    NONE,
    OCCUPATION,
    P_CASH_TRANSFER,
    P_CONSUMPTION_SUPPORT,
    P_JOB_MATCHING,
    P_MENTORING,
    P_TRAINING,
    PEER_ACTIVE,
    PEER_CONSUMPTION,
    PEER_CULTURE,
    PEER_GRADUATED,
    PEER_SUCCESS,
    PROGRAMME_COST,
    PROGRAMME_COST_TOTAL,
    REPAID,
    SAVINGS,
    SAVINGS_DRAW,
    SEIZED,
    SHOCK_LOSS,
    SIZE,
    SKILL,
    SKILL_BASE,
    STATUS,
    SUPPORTED,
    TIMERS,
    TRANSFERS,
    WAGE_JOB,
)

S_SHOCK = rng.STREAM_INDEX["shock"]
S_JOB = rng.STREAM_INDEX["job"]
S_CASUAL = rng.STREAM_INDEX["casual"]
S_EXIT = rng.STREAM_INDEX["exit"]


@njit(cache=True, parallel=True)
def shocks_and_job_search(floats: np.ndarray, ints: np.ndarray, params: np.ndarray,
                          amounts: np.ndarray, nbr_ptr: np.ndarray, keys: np.ndarray,
                          month: int, candidate: np.ndarray, mentor_contact: np.ndarray) -> None:
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
            p = params[kp.P_FIND] * (1.0 + params[kp.FIND_SKILL] * floats[h, SKILL]) * \
                (1.0 + params[kp.FIND_REFERRAL] * referred(ints, h, mentor_contact))
            if ints[h, TIMERS + P_JOB_MATCHING] > 0:
                p *= amounts[P_JOB_MATCHING]
            if u < p:
                candidate[h] = 1


@njit(cache=True)
def allocate_jobs(floats: np.ndarray, ints: np.ndarray, candidate: np.ndarray,
                  slots: int, mentor_contact: np.ndarray) -> int:
    """Phase 2b: give this month's ``slots`` to candidates; returns the number filled.

    Priority: the more strongly referred (by a mentor or job matching) first, then higher
    skill, then lower row.
    """
    rows = np.nonzero(candidate)[0]
    score = np.empty(rows.shape[0])
    for j in range(rows.shape[0]):
        h = rows[j]
        score[j] = -(floats[h, SKILL] + 2.0 * referred(ints, h, mentor_contact))
    order = np.argsort(score, kind="mergesort")
    filled = min(slots, rows.shape[0])
    for j in range(filled):
        h = rows[order[j]]
        ints[h, HAS_JOB] = 1
        ints[h, EVENTS] |= EVENT_JOB_FOUND
    return filled


@njit(cache=True, inline="always")
def repay_loan(floats: np.ndarray, ints: np.ndarray, h: int, cash: float,
               params: np.ndarray) -> float:
    """Phase 5a: the loan instalment comes first; returns what was repaid (z).

    An instalment not paid in full adds a month of arrears; after ``default_months`` of
    arrears the loan is in default: collateral is seized from the assets (taken in phase 6),
    the rest of the debt is written off and confidence drops.
    """
    debt = floats[h, DEBT]
    if debt <= 0.0:
        return 0.0
    due = min(floats[h, LOAN_INSTALMENT], debt)
    paid = min(due, max(cash, 0.0))
    floats[h, DEBT] = debt - paid
    ints[h, ARREARS] = ints[h, ARREARS] + 1 if paid < due else 0
    if ints[h, ARREARS] >= params[kp.DEFAULT_MONTHS]:
        floats[h, SEIZED] = min(floats[h, ASSETS],
                                params[kp.COLLATERAL_SHARE] * floats[h, DEBT])
        floats[h, DEBT] = 0.0
        ints[h, ARREARS] = 0
        ints[h, EVENTS] |= EVENT_DEFAULTED
        floats[h, CONFIDENCE] = max(0.0, floats[h, CONFIDENCE] -
                                    params[kp.DEFAULT_CONFIDENCE_DROP])
    return paid


@njit(cache=True, inline="always")
def programme_month(ints: np.ndarray, h: int, size: float, amounts: np.ndarray,
                    unit_costs: np.ndarray) -> tuple[float, float]:
    """Monthly programme delivery: (transfers paid, delivery costs); counts timers down.

    ``ACTIVE_PROGRAMMES`` records what the household received this month.
    """
    transfers = 0.0
    costs = 0.0
    active = 0
    if ints[h, ENROLLED_EVER] == 0:  # most households, most months: nothing to deliver
        ints[h, ACTIVE_PROGRAMMES] = 0
        return transfers, costs
    for p in range(N_PROGRAMMES):
        timer = ints[h, TIMERS + p]
        if timer <= 0:
            continue
        active |= 1 << p
        costs += unit_costs[p]
        if p == P_CONSUMPTION_SUPPORT:
            transfers += amounts[p] * size
        elif p == P_CASH_TRANSFER:
            transfers += amounts[p]
        ints[h, TIMERS + p] = timer - 1
    ints[h, ACTIVE_PROGRAMMES] = active
    return transfers, costs


@njit(cache=True, inline="always")
def household_month(floats: np.ndarray, ints: np.ndarray, h: int, params: np.ndarray,
                    amounts: np.ndarray, unit_costs: np.ndarray, mentor_effects: np.ndarray,
                    neighbours: np.ndarray, peer_next: np.ndarray, keys: np.ndarray,
                    month: int) -> None:
    """Phases 3-10 for household ``h`` (see ``model.schedule`` for the order and why).

    Args:
        amounts: float64[N_PROGRAMMES], each programme's real dose this month.
        unit_costs: float64[N_PROGRAMMES], delivery cost per household-month.
        mentor_effects: float64[mentors, 3], coaching per month (confidence, skill, culture).
        neighbours: float64[N_PEER], sums of the neighbours' peer signals.
    """
    if ints[h, STATUS] == LEFT:
        peer_next[h, :] = 0.0
        ints[h, ACTIVE_PROGRAMMES] = 0
        return
    size = float(ints[h, SIZE])
    shocked = (ints[h, EVENTS] & EVENT_SHOCK) != 0
    training = ints[h, TIMERS + P_TRAINING] > 0
    # 3. enterprise choice; a shock costs the month's enterprise income
    enterprise, high = enterprise_income(floats, ints, h, params, amounts)
    if high:  # experience is kept through months off the high technology
        ints[h, HIGH_TECH_MONTHS] = min(ints[h, HIGH_TECH_MONTHS] + 1, int(params[kp.RAMP_MONTHS]))
    if shocked:
        enterprise = 0.0
    has_job = ints[h, HAS_JOB] == 1
    wage = params[kp.WAGE] if has_job else 0.0
    casual = 0.0
    if not has_job and rng.uniform(keys[S_CASUAL], h, 0) < params[kp.P_CASUAL]:
        casual = params[kp.CASUAL_WAGE]
    earned = enterprise + casual + wage
    # 4. transfers: the pension stops at graduation; programmes pay while enrolled
    pension = 0.0
    if ints[h, STATUS] != GRADUATED:
        pension = params[kp.PENSION_PER_PERSON] * size
    floats[h, SEIZED] = 0.0
    cash = earned + pension
    repaid = repay_loan(floats, ints, h, cash, params)
    support, delivery = programme_month(ints, h, size, amounts, unit_costs)
    transfers = pension + support
    cash += support - repaid
    # 5. consumption and saving
    subsistence = params[kp.SUBSISTENCE] * size
    investment = 0.0
    draw = 0.0
    if cash >= subsistence:
        investment = saving_rate(floats, ints, h, size, params, amounts) * (cash - subsistence)
        consumption = cash - investment
    else:
        draw = min(floats[h, SAVINGS], subsistence - cash)
        floats[h, SAVINGS] -= draw
        consumption = cash + draw
    # 6. assets (the shock's loss was taken in phase 1; collateral of a default goes now)
    k = (1.0 - params[kp.DEPRECIATION]) * (floats[h, ASSETS] - floats[h, SEIZED]) + investment
    floats[h, ASSETS] = k
    # 7. skills: a training month closes part of the gap; otherwise trained skill decays
    s = floats[h, SKILL]
    if training:
        s += amounts[P_TRAINING] * (1.0 - s)
    else:
        s -= params[kp.SKILL_DECAY] * (s - floats[h, SKILL_BASE])
    # 8-9. confidence, aspirations and culture: coaching, own outcome, last month's neighbours
    active = neighbours[PEER_ACTIVE]
    role_models = neighbours[PEER_GRADUATED]
    defaulted = (ints[h, EVENTS] & EVENT_DEFAULTED) != 0
    rose = earned > floats[h, INCOME]
    own = -1.0 if shocked or defaulted else (1.0 if rose else 0.0)
    e = floats[h, CONFIDENCE]
    u = floats[h, CULTURE]
    e_new = e + params[kp.OWN_EFFECT] * own + \
        params[kp.CONFIDENCE_RELAX] * (floats[h, CONFIDENCE_BASE] - e) + \
        params[kp.ROLE_MODEL_LIFT] * role_models
    mentor = ints[h, MENTOR]
    if mentor >= 0:
        e_new += amounts[P_MENTORING] * mentor_effects[mentor, 0] * (1.0 - e)
        s += params[kp.MENTOR_SKILL] * mentor_effects[mentor, 1] * (1.0 - s)
        u += params[kp.MENTOR_CULTURE] * mentor_effects[mentor, 2]
    floats[h, SKILL] = clamp01(s)
    if active > 0.0:
        e_new += params[kp.PEER_EFFECT] * (neighbours[PEER_SUCCESS] / active - e)
        floats[h, ASPIRATION] += params[kp.ASPIRATION_ADAPT] * \
            (neighbours[PEER_CONSUMPTION] / active - floats[h, ASPIRATION])
        u += params[kp.CULTURE_ADAPT] * (neighbours[PEER_CULTURE] / active - u)
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
        else:
            status = ENROLLED if enrolled_in_any(floats, ints, h) else SUPPORTED
    elif consumption / size < 1.0:
        ints[h, MONTHS_BELOW] += 1
        if ints[h, MONTHS_BELOW] >= params[kp.RELAPSE_MONTHS]:
            status = ENROLLED if enrolled_in_any(floats, ints, h) else SUPPORTED
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
    floats[h, REPAID] = repaid
    floats[h, PROGRAMME_COST] += support + delivery
    floats[h, PROGRAMME_COST_TOTAL] += support + delivery
    floats[h, COST_RECEIVED] += transfers + delivery
    stays = 0.0 if status == LEFT else 1.0
    peer_next[h, PEER_ACTIVE] = stays
    peer_next[h, PEER_CONSUMPTION] = stays * consumption / size
    peer_next[h, PEER_CULTURE] = stays * floats[h, CULTURE]
    peer_next[h, PEER_SUCCESS] = stays if above else 0.0
    peer_next[h, PEER_GRADUATED] = stays if events & EVENT_GRADUATED else 0.0


@njit(cache=True, inline="always")
def enrolled_in_any(floats: np.ndarray, ints: np.ndarray, h: int) -> bool:
    """Whether any programme still has months to run for ``h``, or a loan is unpaid."""
    if ints[h, ENROLLED_EVER] == 0:
        return False
    if floats[h, DEBT] > 0.0:
        return True
    for p in range(N_PROGRAMMES):  # noqa: SIM110 - numba compiles the loop, not any()
        if ints[h, TIMERS + p] > 0:
            return True
    return False


@njit(cache=True, parallel=True)
def month_and_record(floats: np.ndarray, ints: np.ndarray, params: np.ndarray,
                     amounts: np.ndarray, unit_costs: np.ndarray, mentor_effects: np.ndarray,
                     nbr_ptr: np.ndarray, nbr_idx: np.ndarray, peer_prev: np.ndarray,
                     peer_next: np.ndarray, keys: np.ndarray, month: int,
                     sustained_since: int, acc: np.ndarray, hist: np.ndarray) -> None:
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
                household_month(floats, ints, h, params, amounts, unit_costs, mentor_effects,
                                sums[h - lo], peer_next, keys, month)
            record_block(floats, ints, lo, hi, k_star, sustained_since, amounts, unit_costs,
                         acc_c, hist_c, bits)
