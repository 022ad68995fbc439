"""Enrolment: who gets a programme's places each month, within capacities and the budget.

Each enabled programme enrols during ``enrol_months`` months from ``start_month``. In its first
month it fixes its target, ``coverage`` times the households then eligible (capped by
``max_households``); each month it offers places, in the order of its targeting rule, to
eligible households until the target is reached, its institutions' capacity is used, or the
budget is committed. Programmes enrol in the order of ``model.programmes.PROGRAMMES``. The
full cost of a household's programme is committed when it enrols, so spending can never exceed
the budget.
The budget is a revolving fund for loans, as the committee's interest-free loan fund is: each
month the microcredit repaid in the month before returns to it (:func:`credit_repayments`) and
can be committed again.

Eligible: not left, not graduated, never enrolled in this programme before, per-capita
consumption at most ``max_consumption_pc_z``; for microcredit, no debt (and the household must
take the loan up); for job matching, no job; for incubation, an enterprise (assets of at least
``enterprise.active_assets_z``); with a programme assignment (``scenarios.assignment``), only
the households assigned to the programme. One-off effects (asset grants, loans, the campaign)
happen at enrolment; monthly ones in the household month.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model import loans, rng
from model.params import Config
from model.programmes import N_PROGRAMMES, PROGRAMME_NAMES, PROGRAMMES
from model.state import (
    ASPIRATION,
    ASSETS,
    CONFIDENCE,
    CONSUMPTION,
    COST_RECEIVED,
    CULTURE,
    DEBT,
    ENROLLED,
    ENROLLED_EVER,
    EVENT_LEFT,
    EVENTS,
    GRADUATED,
    HAS_JOB,
    LEFT,
    LOAN_INSTALMENT,
    MENTOR,
    P_ASPIRATION_CAMPAIGN,
    P_ASSET_GRANT,
    P_CASH_TRANSFER,
    P_CONSUMPTION_SUPPORT,
    P_INCUBATION,
    P_JOB_MATCHING,
    P_MENTORING,
    P_MICROCREDIT,
    P_TRAINING,
    PROGRAMME_COST,
    PROGRAMME_COST_TOTAL,
    REPAID,
    SAVINGS,
    SIZE,
    STATUS,
    SUPPORTED,
    TIMERS,
    HouseholdState,
)
from scenarios.targeting import order


@dataclass
class Book:
    """What the programmes have done so far in a run."""

    target: np.ndarray = field(default_factory=lambda: np.full(N_PROGRAMMES, -1, np.int64))
    enrolled_total: np.ndarray = field(default_factory=lambda: np.zeros(N_PROGRAMMES, np.int64))
    new: np.ndarray = field(default_factory=lambda: np.zeros(N_PROGRAMMES, np.int64))
    one_off: np.ndarray = field(default_factory=lambda: np.zeros(N_PROGRAMMES))
    short_of_capacity: np.ndarray = field(default_factory=lambda: np.zeros(N_PROGRAMMES,
                                                                          np.int64))
    short_of_budget: np.ndarray = field(default_factory=lambda: np.zeros(N_PROGRAMMES,
                                                                        np.int64))
    committed_z: float = 0.0
    budget_exhausted_month: int = -1

    def start_month(self) -> None:
        """Clear this month's counts."""
        self.new[:] = 0
        self.one_off[:] = 0.0
        self.short_of_capacity[:] = 0
        self.short_of_budget[:] = 0


@dataclass(frozen=True)
class MonthContext:
    """What enrolment needs to know about the month."""

    month: int
    k_star: float
    dose_k_star: float  # model.threshold.dose_threshold: the unit of doses in multiples of k*
    price_level: float
    free_mentor_places: int


def _eligible(state: HouseholdState, cfg: Config, p: int, max_c_pc: float,
              assigned: np.ndarray | None) -> np.ndarray:
    f, i = state.floats.T, state.ints.T
    # never a left or pending row
    ok = (i[STATUS] < LEFT) & (i[STATUS] != GRADUATED) & ((i[ENROLLED_EVER] >> p) & 1 == 0)
    if assigned is not None:
        ok &= (assigned >> p) & 1 == 1
    ok &= f[CONSUMPTION] / i[SIZE] <= max_c_pc
    if p == P_MICROCREDIT:
        ok &= f[DEBT] <= 0.0
    elif p == P_JOB_MATCHING:
        ok &= i[HAS_JOB] == 0
    elif p == P_INCUBATION:
        ok &= f[ASSETS] >= cfg.enterprise.active_assets_z
    return np.nonzero(ok)[0]


def _capacity(state: HouseholdState, cfg: Config, p: int, ctx: MonthContext) -> int:
    """Places the delivering institutions still have this month."""
    per = state.n_start / 1000.0  # places per 1000 starting households
    timers = state.ints[:, TIMERS + p]
    if p == P_TRAINING:
        return round(cfg.institutions.training_seats * per) - int((timers > 0).sum())
    if p == P_INCUBATION:
        return round(cfg.institutions.incubation_slots * per) - int((timers > 0).sum())
    if p == P_MENTORING:
        waiting = int(((timers > 0) & (state.ints[:, MENTOR] < 0)).sum())
        return ctx.free_mentor_places - waiting
    return np.iinfo(np.int64).max


def real_dose(cfg: Config, p: int, price_level: float) -> float:
    """The programme's dose this month: in real z for what it pays or gives (nominal doses
    lose value with prices), or, for a programme that works through the households' response,
    its effect at the configured intensity (``Programme.effect`` of ``responses.*``)."""
    spec, prog = PROGRAMMES[p], getattr(cfg.programmes, PROGRAMME_NAMES[p])
    if spec.response:
        return spec.effect(prog.dose, getattr(cfg.responses, spec.response))
    return prog.dose if prog.indexed else prog.dose / price_level


def committed_cost(state: HouseholdState, cfg: Config, p: int, rows: np.ndarray,
                   ctx: MonthContext) -> np.ndarray:
    """The full real cost of enrolling each of ``rows`` (the most the programme can spend)."""
    prog = getattr(cfg.programmes, PROGRAMME_NAMES[p])
    dose = real_dose(cfg, p, ctx.price_level)
    base = np.full(rows.shape, prog.unit_cost_z * prog.duration_months)
    if p == P_CONSUMPTION_SUPPORT:
        return base + dose * state.ints[rows, SIZE] * prog.duration_months
    if p == P_ASSET_GRANT:
        return base + dose * ctx.dose_k_star
    if p in (P_CASH_TRANSFER, P_MICROCREDIT):
        return base + dose
    return base


def _take_up(state: HouseholdState, cfg: Config, rows: np.ndarray, month: int) -> np.ndarray:
    """Which offered households take a loan: more often with confidence and culture."""
    f = state.floats.T
    terms = cfg.programmes.microcredit_terms
    chance = terms.take_up_base * (0.5 + f[CONFIDENCE][rows]) * (0.5 + f[CULTURE][rows])
    draws = rng.uniforms(rng.key(cfg.seed, "take_up", month), state.n, 0)[rows]
    return draws < chance


def _apply_one_off(state: HouseholdState, cfg: Config, p: int, rows: np.ndarray,
                   ctx: MonthContext) -> np.ndarray:
    """Effects that happen at enrolment; returns what they cost per household."""
    f = state.floats.T
    dose = real_dose(cfg, p, ctx.price_level)
    cost = np.zeros(rows.shape)
    if p == P_ASSET_GRANT:
        f[ASSETS][rows] += dose * ctx.dose_k_star
        cost[:] = dose * ctx.dose_k_star
    elif p == P_MICROCREDIT:
        business = f[ASSETS][rows] >= cfg.enterprise.k_min_z  # owns the indivisible asset
        invested = dose * np.where(
            business, 1.0, cfg.programmes.microcredit_terms.invested_share_without_business)
        f[ASSETS][rows] += invested
        f[SAVINGS][rows] += dose - invested
        f[DEBT][rows] += dose
        f[LOAN_INSTALMENT][rows] = loans.instalment(dose, cfg)
        cost[:] = dose
    elif p == P_ASPIRATION_CAMPAIGN:
        f[ASPIRATION][rows] *= 1.0 + dose
        lift = PROGRAMMES[p].effect(cfg.programmes.aspiration_campaign.dose,
                               cfg.responses.campaign_confidence_lift)
        f[CONFIDENCE][rows] = np.minimum(1.0, f[CONFIDENCE][rows] + lift)
    return cost


def credit_repayments(state: HouseholdState, book: Book) -> None:
    """Return last month's microcredit repayments to the budget (a revolving fund): the
    commitment falls by what borrowers repaid, counting those who left at that month's end.
    Called before the month's households act, while ``repaid`` and ``events`` still hold the
    month before's figures."""
    i = state.ints
    borrower = (i[:, ENROLLED_EVER] >> P_MICROCREDIT) & 1 == 1
    counted = (i[:, STATUS] != LEFT) | (i[:, EVENTS] & EVENT_LEFT != 0)
    book.committed_z -= float(state.floats[borrower & counted, REPAID].sum())


def enrol_month(state: HouseholdState, cfg: Config, book: Book, ctx: MonthContext,
                assigned: np.ndarray | None = None) -> None:
    """Enrol households in every programme whose enrolment window includes this month
    (``assigned``: each row's assigned programmes as bits, or None for no assignment)."""
    book.start_month()
    credit_repayments(state, book)
    for p, name in enumerate(PROGRAMME_NAMES):
        prog = getattr(cfg.programmes, name)
        if not prog.enabled or not prog.start_month <= ctx.month < prog.start_month + \
                prog.enrol_months:
            continue
        rows = _eligible(state, cfg, p, prog.max_consumption_pc_z, assigned)
        if book.target[p] < 0:
            target = round(prog.coverage * rows.size)
            book.target[p] = min(target, prog.max_households) if prog.max_households else target
        wanted = int(book.target[p] - book.enrolled_total[p])
        if wanted <= 0 or rows.size == 0:
            continue
        offered = order(prog.targeting, rows, state, ctx.k_star, cfg.seed, ctx.month)[:wanted]
        if p == P_MICROCREDIT:  # a loan is offered; those who decline count as served
            takes = _take_up(state, cfg, offered, ctx.month)
            state.ints[offered[~takes], ENROLLED_EVER] |= 1 << p
            book.enrolled_total[p] += int((~takes).sum())
            offered = offered[takes]
        wanted_now = offered.size
        places = max(0, min(wanted_now, _capacity(state, cfg, p, ctx)))
        book.short_of_capacity[p] = wanted_now - places
        chosen = offered[:places]
        cost = committed_cost(state, cfg, p, chosen, ctx)
        if cfg.budget.limited:
            total = cfg.budget.per_household_z * state.n_start
            affordable = int(np.searchsorted(np.cumsum(cost), total - book.committed_z,
                                             side="right"))
            if affordable < chosen.size:
                book.short_of_budget[p] = chosen.size - affordable
                if book.budget_exhausted_month < 0:
                    book.budget_exhausted_month = ctx.month
            chosen, cost = chosen[:affordable], cost[:affordable]
        _enrol(state, cfg, book, p, chosen, ctx)
        book.committed_z += float(cost.sum())


def _enrol(state: HouseholdState, cfg: Config, book: Book, p: int, rows: np.ndarray,
           ctx: MonthContext) -> None:
    i = state.ints
    prog = getattr(cfg.programmes, PROGRAMME_NAMES[p])
    i[rows, TIMERS + p] = prog.duration_months
    i[rows, ENROLLED_EVER] |= 1 << p
    i[rows, STATUS] = np.where(i[rows, STATUS] == SUPPORTED, ENROLLED, i[rows, STATUS])
    spent = _apply_one_off(state, cfg, p, rows, ctx)
    state.floats[rows, COST_RECEIVED] += spent
    state.floats[rows, PROGRAMME_COST] += spent
    state.floats[rows, PROGRAMME_COST_TOTAL] += spent
    book.one_off[p] += float(spent.sum())
    book.new[p] += rows.size
    book.enrolled_total[p] += rows.size
