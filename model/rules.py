"""The household's month, one rule per phase (MODEL.md §3; the order is in ``model.month``).

Every phase is a small pure function ``phase(floats, ints, h, p, m, w)`` of one household row:

- ``floats`` float64[n, N_FLOAT], ``ints`` int32[n, N_INT]: the state (``model.state``);
- ``h``: the household's row;
- ``p``: the kernel parameters under their config names (``model.kernel_params``);
- ``m``: this month's context (:data:`Month`): keys, programme doses and costs, mentors;
- ``w`` float64[N_WORK]: the household's working values of this month: the sums of its
  neighbours' peer signals of last month (``w[PEER_*]``) and its cash on hand (``w[W_CASH]``).

They are compiled by numba and inlined into the fused kernels of ``model.month``; the Python
engine calls the very same functions uncompiled (``.py_func``) from ``Household.step``.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np
from numba import njit

from model import rng
from model.kernel_params import KernelParams
from model.payments import monthly_payment
from model.programmes import N_PROGRAMMES
from model.state import (
    ACTIVE_PROGRAMMES,
    ADULTS,
    ARREARS_MONTHS,
    ASPIRATION,
    ASSETS,
    CASUAL,
    CONFIDENCE,
    CONFIDENCE_BASE,
    CONSUMPTION,
    COST_RECEIVED,
    COVER_ASKED,
    COVER_GIVEN,
    CULTURE,
    DEBT,
    ENROLLED,
    ENROLLED_EVER,
    ENTERPRISE_HIGH,
    ENTERPRISE_LOW,
    EVENT_BOUGHT_ASSET,
    EVENT_DEFAULTED,
    EVENT_GRADUATED,
    EVENT_INCOME_FELL,
    EVENT_INCOME_ROSE,
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
    LOAN_SUBSIDY,
    MENTOR,
    MONTHS_ABOVE_LINE,
    MONTHS_BELOW_LINE,
    N_PEER,
    NONE,
    OCCUPATION,
    P_INCUBATION,
    P_JOB_MATCHING,
    P_MENTORING,
    P_SAVINGS_GROUP,
    P_TRAINING,
    PEER_ACTIVE,
    PEER_ASK,
    PEER_CONSUMPTION,
    PEER_CULTURE,
    PEER_GRADUATED,
    PEER_SPARE,
    PEER_SUCCESS,
    PRODUCTIVITY,
    PROGRAMME_COST,
    PROGRAMME_COST_TOTAL,
    REPAID,
    SAVINGS,
    SAVINGS_DEPOSIT,
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
from model.technology import labour

W_CASH = N_PEER   # cash on hand this month, z: earned + pension - repaid + programme cash
N_WORK = N_PEER + 1
CONSUMPTION_FLOOR = 0.01  # z/person: the aspiration gap is measured against at least this

Month = namedtuple("Month", [
    "month",           # the month being simulated (1, 2, ...)
    "keys",            # uint64[streams]: this month's stream keys (model.rng.month_keys)
    "amounts",         # float64[N_PROGRAMMES]: each programme's real dose this month
    "unit_costs",      # float64[N_PROGRAMMES]: delivery cost per household-month, z
    "mentor_effects",  # float64[mentors, 3]: coaching per month (confidence, skill, culture)
    "mentor_contact",  # float64[mentors]: referral strength of each mentor
    "nbr_span",        # int64[n, 2]: each row's run of ties in nbr_idx (model.network)
    "candidate",       # uint8[n]: 1 for a household with a job offer waiting for a slot
    "peer_next",       # float64[n, N_PEER]: the signals households show next month
    "nbr_idx",         # uint32[ties]: the neighbours' rows, each row's run ascending
    "peer_prev",       # float64[n, N_PEER]: the signals households showed last month
])

S_SHOCK = rng.STREAM_INDEX["shock"]
S_JOB = rng.STREAM_INDEX["job"]
S_CASUAL = rng.STREAM_INDEX["casual"]
S_EXIT = rng.STREAM_INDEX["exit"]


# ---- small rules the phases share ------------------------------------------------------
@njit(cache=True, inline="always")
def clamp01(x: float) -> float:
    """x limited to [0, 1]."""
    return min(1.0, max(0.0, x))


@njit(cache=True, inline="always")
def referral(ints: np.ndarray, h: int, mentor_contact: np.ndarray) -> float:
    """How strongly the household is referred to employers: 1 in the job-matching programme,
    else its mentor's contact (1 for a weekly volunteer, less for a social worker), else 0."""
    if ints[h, TIMERS + P_JOB_MATCHING] > 0:
        return 1.0
    mentor = ints[h, MENTOR]
    return mentor_contact[mentor] if mentor >= 0 else 0.0


@njit(cache=True, inline="always")
def household_labour(adults: int, p: KernelParams) -> float:
    """:func:`labour` of a household's ``adults``, read from the run's table
    (``p.derived.adult_labour``, filled by this same compiled function, so the value is the
    same to the bit) unless the household has more adults than the table holds."""
    table = p.derived.adult_labour
    if adults < table.shape[0]:
        return table[adults]
    return labour(float(adults), p.labour.adult_returns)


@njit(cache=True, inline="always")
def ramp(months_run: int, ramp_months: float) -> float:
    """Share of the high technology's extra income earned in its ``months_run + 1``-th month
    (time to build: linear up to ``ramp_months``, then 1)."""
    if ramp_months <= 0.0:
        return 1.0
    return min(1.0, (months_run + 1.0) / ramp_months)


@njit(cache=True, inline="always")
def productivity(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams) -> float:
    """A_i * theta * the enterprise labour of its adults relative to the reference household's:
    the household's productivity with its skill, confidence and working-age adults."""
    ent = p.enterprise
    theta = (1.0 + ent.skill_effect * floats[h, SKILL]) * \
        (1.0 + ent.confidence_effect * floats[h, CONFIDENCE])
    return floats[h, PRODUCTIVITY] * theta * household_labour(ints[h, ADULTS], p) / \
        p.derived.reference_labour


@njit(cache=True, inline="always")
def passes_gates(floats: np.ndarray, h: int, ent) -> bool:
    """Whether confidence and culture open the high technology (e >= e_min, u >= u_min)."""
    return floats[h, CONFIDENCE] >= ent.confidence_gate and \
        floats[h, CULTURE] >= ent.culture_gate


@njit(cache=True, inline="always")
def indivisible_asset_pays(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams) -> bool:
    """Whether the indivisible asset would pay for ``h``: there is one (the trap), the gates
    are open, and at k_min (> 0) the high technology, fully run, earns more than the low one."""
    ent = p.enterprise
    if ent.trap == 0.0 or not passes_gates(floats, h, ent):
        return False
    base = productivity(floats, ints, h, p)
    return base * ent.theta_high * p.derived.k_min_output_high - ent.fixed_cost_high_z > \
        base * ent.theta_low * p.derived.k_min_output_low


@njit(cache=True, inline="always")
def owns_indivisible_asset(floats: np.ndarray, h: int, ent) -> bool:
    """Whether ``h`` holds the indivisible asset this month (after a default's collateral,
    with a purchase of this month); without the trap there is none to save for."""
    return ent.trap == 0.0 or \
        floats[h, ASSETS] - floats[h, SEIZED] + floats[h, INVESTMENT] >= ent.k_min_z


@njit(cache=True, inline="always")
def income_change(before: float, after: float, material: float) -> int:
    """The event of a material change in earned income: a rise or a fall by more than the
    share ``material`` of last month's, else none (0)."""
    if after > (1.0 + material) * before:
        return EVENT_INCOME_ROSE
    if after < (1.0 - material) * before:
        return EVENT_INCOME_FELL
    return 0


@njit(cache=True, inline="always")
def enterprise_income(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams,
                      m: Month) -> tuple[float, bool]:
    """Income of the better technology open to ``h`` (z/month), and whether it is the high one.

    ``k ** gamma`` is computed as ``exp(gamma * log k)``, sharing one logarithm between the
    two technologies. Output scales with the household's labour relative to the reference
    household's (:func:`labour`; the technologies are calibrated on it). Incubation raises the
    productivity of a high-technology enterprise; a new one earns its extra income over the low
    technology gradually (:func:`ramp`).
    """
    ent = p.enterprise
    k = floats[h, ASSETS]
    if k <= 0.0:
        return 0.0, False
    base = productivity(floats, ints, h, p)
    log_k = math.log(k)
    low = base * ent.theta_low * math.exp(ent.gamma_low * log_k)
    if ent.trap == 0.0 or (k >= ent.k_min_z and passes_gates(floats, h, ent)):
        high = base * ent.theta_high * math.exp(ent.gamma_high * log_k) - ent.fixed_cost_high_z
        if high > low:
            if ints[h, TIMERS + P_INCUBATION] > 0:
                high += base * ent.theta_high * m.amounts[P_INCUBATION] * \
                    math.exp(ent.gamma_high * log_k)
            return low + ramp(ints[h, HIGH_TECH_MONTHS], ent.ramp_months) * (high - low), True
    return low, False


@njit(cache=True, inline="always")
def saving_rate(floats: np.ndarray, ints: np.ndarray, h: int, size: float, p: KernelParams,
                m: Month) -> float:
    """Share of the surplus over subsistence saved (aspiration-gap rule), plus the savings
    group's push in every month the group met for the household (its last included:
    ``active_programmes``, as the timer has already counted that month down)."""
    con = p.consumption
    met = ints[h, ACTIVE_PROGRAMMES] & (1 << P_SAVINGS_GROUP)
    extra = m.amounts[P_SAVINGS_GROUP] if met else 0.0
    if p.derived.fixed_saving == 1.0:
        return min(1.0, con.reference_saving_rate + extra)
    c_prev = max(floats[h, CONSUMPTION] / size, CONSUMPTION_FLOOR)
    gap = (floats[h, ASPIRATION] - c_prev) / c_prev
    z = (gap - con.gap_peak) / con.gap_width
    motivation = 1.0 / (1.0 + z * z)
    return min(1.0, con.sigma_min + (con.sigma_max - con.sigma_min) * motivation *
               (0.5 + 0.5 * floats[h, CULTURE]) + extra)


@njit(cache=True, inline="always")
def cover_taken(m: Month, k: int) -> float:
    """Share of each neighbour's offer that household ``k`` takes as cover this month: what it
    asked last month, up to all its neighbours offered (0 if it asked nothing)."""
    ask = m.peer_prev[k, PEER_ASK]
    if ask <= 0.0:
        return 0.0
    offered = 0.0
    for j in range(m.nbr_span[k, 0], m.nbr_span[k, 1]):  # the order of gather_neighbours' sum
        offered += m.peer_prev[m.nbr_idx[j], PEER_SPARE]
    return min(ask, offered) / offered if offered > 0.0 else 0.0


@njit(cache=True, inline="always")
def in_a_programme(floats: np.ndarray, ints: np.ndarray, h: int) -> bool:
    """Whether the household owes a loan or any programme still has months to run for it."""
    if floats[h, DEBT] > 0.0:
        return True
    if ints[h, ENROLLED_EVER] == 0:  # never enrolled: no timer can be running
        return False
    for q in range(N_PROGRAMMES):  # noqa: SIM110 - numba compiles the loop, not any()
        if ints[h, TIMERS + q] > 0:
            return True
    return False


@njit(cache=True, inline="always")
def leaves(exit_key: np.uint64, h: int, p_exit: float) -> bool:
    """Whether the household in row ``h`` leaves this month (exogenous exit: one draw of the
    ``exit`` stream, whatever the household's economy; ``model.entry`` plans rows by it)."""
    return rng.uniform(exit_key, h, 0) < p_exit


# ---- the phases, in the month's order --------------------------------------------------
@njit(cache=True, inline="always")
def start_month(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
                w: np.ndarray) -> None:
    """Clear last month's events, shock figures and job offer (every household). One that had
    left before last month (status left, no event last month) has nothing to clear: its first
    month after leaving cleared them, and no phase writes them since."""
    if ints[h, STATUS] == LEFT and ints[h, EVENTS] == 0:
        return
    m.candidate[h] = 0
    ints[h, EVENTS] = 0
    floats[h, SHOCK_LOSS] = 0.0
    floats[h, COVER_ASKED] = 0.0
    floats[h, INFORMAL_COVER] = 0.0
    floats[h, COVER_GIVEN] = 0.0


@njit(cache=True, inline="always")
def meet_shocks(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
                w: np.ndarray) -> None:
    """A shock destroys a share of the assets; a household with ties and enough assets to be
    trusted asks its neighbours to cover part of the loss (informal insurance, paid next
    month by :func:`share_informal_cover`)."""
    s = p.shocks
    if rng.uniform(m.keys[S_SHOCK], h, 0) >= s.p_shock:
        return
    share = s.loss_min + (s.loss_max - s.loss_min) * rng.uniform(m.keys[S_SHOCK], h, 1)
    loss = share * floats[h, ASSETS]
    has_ties = m.nbr_span[h, 1] > m.nbr_span[h, 0]
    if has_ties and floats[h, ASSETS] >= p.derived.insurance_min_assets_z:
        floats[h, COVER_ASKED] = s.insurance_share * loss
    floats[h, ASSETS] -= loss
    floats[h, SHOCK_LOSS] = loss
    ints[h, EVENTS] |= EVENT_SHOCK
    ints[h, LAST_SHOCK_MONTH] = m.month


@njit(cache=True, inline="always")
def search_job(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
               w: np.ndarray) -> None:
    """A worker may lose the job; anyone else may find an offer (more likely with skill and a
    mentor's referral, or with job matching, whose referral replaces the mentor's), which then
    waits for a slot."""
    lab = p.labour
    u = rng.uniform(m.keys[S_JOB], h, 0)
    if ints[h, HAS_JOB] == 1:
        if u < lab.p_separation:
            ints[h, HAS_JOB] = 0
            ints[h, EVENTS] |= EVENT_JOB_LOST
        return
    if ints[h, ADULTS] == 0:  # a job slot employs one working-age adult
        return
    chance = lab.p_find * (1.0 + lab.skill_effect * floats[h, SKILL])
    if ints[h, TIMERS + P_JOB_MATCHING] > 0:  # the programme's referral, in place of a mentor's
        chance *= m.amounts[P_JOB_MATCHING]
    else:
        chance *= 1.0 + lab.referral_effect * referral(ints, h, m.mentor_contact)
    if u < chance:
        m.candidate[h] = 1


@njit(cache=True, inline="always")
def share_informal_cover(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
                         w: np.ndarray) -> None:
    """Informal insurance paid by the neighbours who give it. At the end of last month every
    household offered its savings, in equal parts to each of its ties, and a household hit by a
    shock asked for cover. Now a household that asked receives what it asked, up to all that
    its neighbours offered, into its assets, taking the same share of every neighbour's offer
    (:func:`cover_taken`); each household pays every neighbour that asked the share it takes
    of its offer, out of its savings. Over the population, cover paid equals cover received."""
    if w[PEER_ASK] > 0.0:  # a neighbour was hit last month and asked for cover
        offer = m.peer_prev[h, PEER_SPARE]
        given = 0.0
        for j in range(m.nbr_span[h, 0], m.nbr_span[h, 1]):
            given += cover_taken(m, m.nbr_idx[j]) * offer
        given = min(given, floats[h, SAVINGS])  # only rounding can make it more
        floats[h, SAVINGS] -= given
        floats[h, COVER_GIVEN] = given
    ask = m.peer_prev[h, PEER_ASK]
    if ask > 0.0:
        cover = min(ask, w[PEER_SPARE])
        floats[h, ASSETS] += cover
        floats[h, INFORMAL_COVER] = cover


@njit(cache=True, inline="always")
def earn(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
         w: np.ndarray) -> None:
    """Income of the month: the better technology on the post-shock assets (nothing in a month
    of a shock), a wage job's wage for the adult who holds it, and casual work for the other
    adults when there is some (pay grows with their :func:`labour`)."""
    enterprise, high = enterprise_income(floats, ints, h, p, m)
    if high:  # experience is kept through months off the high technology
        ints[h, HIGH_TECH_MONTHS] = min(ints[h, HIGH_TECH_MONTHS] + 1,
                                        int(p.enterprise.ramp_months))
    if ints[h, EVENTS] & EVENT_SHOCK:
        enterprise = 0.0
    has_job = ints[h, HAS_JOB] == 1
    wage = p.labour.wage_z if has_job else 0.0
    casual = 0.0
    free_adults = ints[h, ADULTS] - (1 if has_job else 0)
    if free_adults > 0 and rng.uniform(m.keys[S_CASUAL], h, 0) < p.labour.p_casual:
        casual = p.labour.casual_wage_z * household_labour(free_adults, p)
    earned = enterprise + casual + wage
    ints[h, EVENTS] |= income_change(floats[h, INCOME], earned, p.behaviour.material_change)
    floats[h, INCOME] = earned
    # what it worked at; a low-technology enterprise is told by the month's final assets
    ints[h, OCCUPATION] = WAGE_JOB if has_job else ENTERPRISE_HIGH if high else \
        CASUAL if casual > 0.0 else NONE


@njit(cache=True, inline="always")
def receive_pension(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
                    w: np.ndarray) -> None:
    """The pension per person, until the household graduates; cash on hand starts here."""
    pension = 0.0
    if ints[h, STATUS] != GRADUATED:
        pension = p.derived.pension_per_person_z * float(ints[h, SIZE])
    floats[h, TRANSFERS] = pension
    w[W_CASH] = floats[h, INCOME] + pension


@njit(cache=True, inline="always")
def repay_loan(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
               w: np.ndarray) -> None:
    """The instalment comes first. One not paid in full adds a month of arrears; after
    ``default_months`` of arrears the loan is in default: collateral is seized from the assets
    (taken with depreciation), the rest is written off and confidence drops. The debt and its
    instalment are nominal: what is still owed is carried into next month's prices, losing
    real value (``loan_subsidy``, the lender's loss)."""
    floats[h, SEIZED] = 0.0
    floats[h, REPAID] = 0.0
    floats[h, LOAN_SUBSIDY] = 0.0
    debt = floats[h, DEBT]
    if debt <= 0.0:
        return
    due = min(floats[h, LOAN_INSTALMENT], debt)
    paid = min(due, max(w[W_CASH], 0.0))
    floats[h, DEBT] = debt - paid
    floats[h, REPAID] = paid
    ints[h, ARREARS_MONTHS] = ints[h, ARREARS_MONTHS] + 1 if paid < due else 0
    if ints[h, ARREARS_MONTHS] >= p.loans.default_months:
        floats[h, SEIZED] = min(floats[h, ASSETS], p.loans.collateral_share * floats[h, DEBT])
        floats[h, DEBT] = 0.0
        ints[h, ARREARS_MONTHS] = 0
        ints[h, EVENTS] |= EVENT_DEFAULTED
        floats[h, CONFIDENCE] = max(0.0, floats[h, CONFIDENCE] - p.loans.default_confidence_drop)
    owed = floats[h, DEBT] * p.derived.monthly_deflator
    floats[h, LOAN_SUBSIDY] = floats[h, DEBT] - owed
    floats[h, DEBT] = owed
    floats[h, LOAN_INSTALMENT] *= p.derived.monthly_deflator


@njit(cache=True, inline="always")
def receive_programmes(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
                       w: np.ndarray) -> None:
    """Every programme with months to run delivers one (its cash, its delivery cost) and counts
    down; ``active_programmes`` records what the household received this month."""
    size = float(ints[h, SIZE])
    support = 0.0
    delivery = 0.0
    active = 0
    if ints[h, ENROLLED_EVER] != 0:  # most households, most months: nothing to deliver
        for q in range(N_PROGRAMMES):
            timer = ints[h, TIMERS + q]
            if timer <= 0:
                continue
            active |= 1 << q
            delivery += m.unit_costs[q]
            support += monthly_payment(q, m.amounts[q], size)
            ints[h, TIMERS + q] = timer - 1
    ints[h, ACTIVE_PROGRAMMES] = active
    transfers = floats[h, TRANSFERS] + support
    floats[h, TRANSFERS] = transfers
    w[W_CASH] += support - floats[h, REPAID]
    floats[h, PROGRAMME_COST] += support + delivery
    floats[h, PROGRAMME_COST_TOTAL] += support + delivery
    floats[h, COST_RECEIVED] += transfers + delivery


@njit(cache=True, inline="always")
def buy_asset(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
              w: np.ndarray) -> None:
    """A household without the indivisible asset, for which it would pay at its gates, buys
    it as soon as this month's cash above subsistence and its liquid savings reach the price
    of the gap: enough that its assets, once depreciated, are k_min next month; paid from the
    cash first, then from the savings."""
    floats[h, INVESTMENT] = 0.0
    floats[h, SAVINGS_DRAW] = 0.0
    ent = p.enterprise
    if owns_indivisible_asset(floats, h, ent) or not indivisible_asset_pays(floats, ints, h, p):
        return
    gap = ent.k_min_z - (1.0 - p.consumption.depreciation) * \
        (floats[h, ASSETS] - floats[h, SEIZED])
    spare = max(w[W_CASH] - p.consumption.subsistence_per_person_z * float(ints[h, SIZE]), 0.0)
    if spare + floats[h, SAVINGS] < gap:
        return
    from_cash = min(spare, gap)
    w[W_CASH] -= from_cash
    floats[h, SAVINGS] -= gap - from_cash
    floats[h, SAVINGS_DRAW] = gap - from_cash
    floats[h, INVESTMENT] = gap
    ints[h, EVENTS] |= EVENT_BOUGHT_ASSET


@njit(cache=True, inline="always")
def consume_and_save(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
                     w: np.ndarray) -> None:
    """Above subsistence, the household saves a share of the surplus: into its productive
    assets, except the liquid share a household without the indivisible asset keeps as
    savings; below subsistence, it draws on liquid savings to reach it if it can. Adds to the
    month's investment and savings drawn, which :func:`buy_asset` starts."""
    size = float(ints[h, SIZE])
    cash = w[W_CASH]
    subsistence = p.consumption.subsistence_per_person_z * size
    deposit = 0.0
    if cash >= subsistence:
        saving = saving_rate(floats, ints, h, size, p, m) * (cash - subsistence)
        if not owns_indivisible_asset(floats, h, p.enterprise):
            deposit = p.consumption.liquid_share * saving
        floats[h, INVESTMENT] += saving - deposit
        floats[h, SAVINGS] += deposit
        consumption = cash - saving
    else:
        draw = min(floats[h, SAVINGS], subsistence - cash)
        floats[h, SAVINGS] -= draw
        floats[h, SAVINGS_DRAW] += draw
        consumption = cash + draw
    floats[h, CONSUMPTION] = consumption
    floats[h, SAVINGS_DEPOSIT] = deposit


@njit(cache=True, inline="always")
def update_assets(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
                  w: np.ndarray) -> None:
    """Assets depreciate (after a default's collateral is seized) and grow by investment."""
    floats[h, ASSETS] = (1.0 - p.consumption.depreciation) * \
        (floats[h, ASSETS] - floats[h, SEIZED]) + floats[h, INVESTMENT]


@njit(cache=True, inline="always")
def learn_skills(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
                 w: np.ndarray) -> None:
    """A month of training closes part of the gap to full skill, otherwise trained skill
    decays towards the household's own; a mentor's coaching adds to it."""
    s = floats[h, SKILL]
    if ints[h, ACTIVE_PROGRAMMES] & (1 << P_TRAINING):
        s += m.amounts[P_TRAINING] * (1.0 - s)
    else:
        s -= p.behaviour.skill_decay * (s - floats[h, SKILL_BASE])
    mentor = ints[h, MENTOR]
    if mentor >= 0:
        s += p.responses.coaching_skill_gain * m.mentor_effects[mentor, 1] * (1.0 - s)
    floats[h, SKILL] = clamp01(s)


@njit(cache=True, inline="always")
def update_confidence(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
                      w: np.ndarray) -> None:
    """Confidence follows the household's own outcome (down after a shock, a default or a
    material fall in income, up after a material rise), relaxes to its base, and rises with
    role models, coaching and the success of last month's neighbours."""
    b = p.behaviour
    events = ints[h, EVENTS]
    own = 0.0
    if events & (EVENT_SHOCK | EVENT_DEFAULTED | EVENT_INCOME_FELL):
        own = -1.0
    elif events & EVENT_INCOME_ROSE:
        own = 1.0
    e = floats[h, CONFIDENCE]
    e_new = e + b.own_outcome_effect * own + b.confidence_relax * (floats[h, CONFIDENCE_BASE] - e) \
        + b.role_model_lift * w[PEER_GRADUATED]
    mentor = ints[h, MENTOR]
    if mentor >= 0:
        e_new += m.amounts[P_MENTORING] * m.mentor_effects[mentor, 0] * (1.0 - e)
    if w[PEER_ACTIVE] > 0.0:
        e_new += b.peer_effect * (w[PEER_SUCCESS] / w[PEER_ACTIVE] - e)
    floats[h, CONFIDENCE] = clamp01(e_new)


@njit(cache=True, inline="always")
def adapt_aspirations_and_culture(floats: np.ndarray, ints: np.ndarray, h: int,
                                  p: KernelParams, m: Month, w: np.ndarray) -> None:
    """Aspirations move towards last month's neighbours' consumption; the self-reliance norm
    towards theirs, with a mentor's influence and a lift from role models."""
    b = p.behaviour
    u = floats[h, CULTURE]
    mentor = ints[h, MENTOR]
    if mentor >= 0:
        u += p.responses.coaching_culture_gain * m.mentor_effects[mentor, 2]
    active = w[PEER_ACTIVE]
    if active > 0.0:
        floats[h, ASPIRATION] += b.aspiration_adapt * \
            (w[PEER_CONSUMPTION] / active - floats[h, ASPIRATION])
        u += b.culture_adapt * (w[PEER_CULTURE] / active - u)
    floats[h, CULTURE] = clamp01(u + b.role_model_lift * w[PEER_GRADUATED])


@njit(cache=True, inline="always")
def update_status(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
                  w: np.ndarray) -> None:
    """Graduation after ``exit_months`` above the exit line with assets at k* or more; a
    graduate consuming below the line for ``relapse_months`` relapses; then exogenous exit,
    which gives up the household's programme places. A household owing a loan or with a
    programme still running is enrolled, else supported."""
    st = p.status
    size = float(ints[h, SIZE])
    events = ints[h, EVENTS]
    above = floats[h, INCOME] / size >= st.exit_line_z
    ints[h, MONTHS_ABOVE_LINE] = ints[h, MONTHS_ABOVE_LINE] + 1 if above else 0
    status = ints[h, STATUS]
    if status != GRADUATED:
        if ints[h, MONTHS_ABOVE_LINE] >= st.exit_months and floats[h, ASSETS] >= p.derived.k_star:
            status = GRADUATED
            events |= EVENT_GRADUATED
            ints[h, GRADUATION_MONTH] = m.month
            ints[h, MONTHS_BELOW_LINE] = 0
        else:
            status = ENROLLED if in_a_programme(floats, ints, h) else SUPPORTED
    elif floats[h, CONSUMPTION] / size < 1.0:
        ints[h, MONTHS_BELOW_LINE] += 1
        if ints[h, MONTHS_BELOW_LINE] >= st.relapse_months:
            status = ENROLLED if in_a_programme(floats, ints, h) else SUPPORTED
            events |= EVENT_RELAPSED
            ints[h, MONTHS_BELOW_LINE] = 0
            ints[h, MONTHS_ABOVE_LINE] = 0
    else:
        ints[h, MONTHS_BELOW_LINE] = 0
    if leaves(m.keys[S_EXIT], h, st.p_exit):
        status = LEFT
        events |= EVENT_LEFT
        for q in range(N_PROGRAMMES):  # its places go back to the programmes
            ints[h, TIMERS + q] = 0
    ints[h, STATUS] = status
    ints[h, EVENTS] = events


@njit(cache=True, inline="always")
def classify_occupation(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
                        w: np.ndarray) -> None:
    """A household without a job or a high-technology enterprise (occupation ``none`` or
    ``casual``, the two lowest codes) whose final assets reach ``active_assets_z`` runs a
    low-technology enterprise."""
    if ints[h, OCCUPATION] <= CASUAL and floats[h, ASSETS] >= p.enterprise.active_assets_z:
        ints[h, OCCUPATION] = ENTERPRISE_LOW


@njit(cache=True, inline="always")
def show_peers(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
               w: np.ndarray) -> None:
    """What the household shows its neighbours next month; one that has left or has not
    entered yet shows zeros."""
    peer = m.peer_next
    stays = 0.0 if ints[h, STATUS] >= LEFT else 1.0
    size = float(ints[h, SIZE])
    peer[h, PEER_ACTIVE] = stays
    peer[h, PEER_CONSUMPTION] = stays * floats[h, CONSUMPTION] / size
    peer[h, PEER_CULTURE] = stays * floats[h, CULTURE]
    peer[h, PEER_SUCCESS] = stays if floats[h, INCOME] / size >= p.status.exit_line_z else 0.0
    peer[h, PEER_GRADUATED] = stays if ints[h, EVENTS] & EVENT_GRADUATED else 0.0
    ties = m.nbr_span[h, 1] - m.nbr_span[h, 0]
    peer[h, PEER_SPARE] = stays * floats[h, SAVINGS] / ties if ties > 0 else 0.0
    peer[h, PEER_ASK] = stays * floats[h, COVER_ASKED]


@njit(cache=True, inline="always")
def month_after_leaving(floats: np.ndarray, ints: np.ndarray, h: int, p: KernelParams, m: Month,
                        w: np.ndarray) -> None:
    """A household that has left (or not entered yet) receives nothing and shows zeros."""
    ints[h, ACTIVE_PROGRAMMES] = 0
    m.peer_next[h, :] = 0.0
