"""Checks that must hold after every month; on in the tests (``validate=true``).

Each check returns nothing or raises :class:`InvariantError` naming the rule, the month and
the first household that breaks it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from model.programmes import PROGRAMME_NAMES
from model.state import (
    ACTIVE_PROGRAMMES,
    ASSETS,
    CONSUMPTION,
    COVER_GIVEN,
    DEBT,
    EVENT_GRADUATED,
    EVENT_LEFT,
    EVENTS,
    FLOAT_FIELDS,
    GRADUATED,
    GRADUATION_MONTH,
    INCOME,
    INFORMAL_COVER,
    INT_FIELDS,
    INVESTMENT,
    LEFT,
    MENTOR,
    P_CASH_TRANSFER,
    P_CONSUMPTION_SUPPORT,
    P_INCUBATION,
    P_TRAINING,
    PENDING,
    REPAID,
    SAVINGS,
    SAVINGS_DEPOSIT,
    SAVINGS_DRAW,
    SEIZED,
    SHOCK_LOSS,
    STATUS,
    TRANSFERS,
    WAGE_JOB,
    Field,
    HouseholdState,
    RowRule,
)


class InvariantError(AssertionError):
    """A model invariant was broken."""


HOUSEHOLD_RULES = (
    RowRule(("adults", "children", "elderly", "size"), "adults + children + elderly = size",
            lambda v: v["adults"] + v["children"] + v["elderly"] == v["size"]),
    RowRule(("has_job", "adults"), "a job holder is a working-age adult",
            lambda v: (v["has_job"] != 1) | (v["adults"] >= 1)),
    RowRule(("has_job", "occupation", "status"), "wage_job occupation exactly when holding a "
            "job (for a client household)",
            lambda v: ~v["client"] | ((v["has_job"] == 1) == (v["occupation"] == WAGE_JOB))),
)
"""The rules tying a household's fields together, read from its integer fields by name and
``client`` (a client this month: neither left nor pending); checked after every month
(:func:`check`) and whenever an agent's fields are set (``agents.Household.set``)."""
HAS_A_MENTOR = RowRule(("mentor", "mentors"), "a household's mentor row is -1 (none) or an "
                       "existing mentor's, below the number of mentor rows (mentors)",
                       lambda v: (v["mentor"] >= -1) & (v["mentor"] < v["mentors"]))
"""The mentor row of a household, read with ``mentors``, the number of mentor rows."""
MENTOR_RULES = (
    RowRule(("caseload", "capacity"), "mentor caseloads within capacity",
            lambda v: v["caseload"] <= v["capacity"]),
    RowRule(("active", "caseload"), "no household with a mentor who stopped",
            lambda v: (v["active"] == 1) | (v["caseload"] == 0)),
)
"""The rules tying a mentor's fields together (``model.mentors.MENTOR_FIELDS``)."""
CASELOADS_MATCH = RowRule(("caseload", "households"), "mentor caseloads match their households",
                          lambda v: v["caseload"] == v["households"],
                          " A caseload follows its households: set household.mentor instead.")
"""A mentor's caseload, read with ``households``, the number of households whose mentor it
is."""


def household_columns(ints: np.ndarray, client: np.ndarray) -> dict[str, np.ndarray]:
    """The integer fields of the households ``ints`` by name, and whether each is a client
    (``client``), as :data:`HOUSEHOLD_RULES` read them."""
    return {field.name: ints[:, c] for c, field in enumerate(INT_FIELDS)} | {"client": client}


def _require(ok: np.ndarray, rule: str, month: int) -> None:
    if not np.all(ok):
        row = int(np.argmin(ok))
        raise InvariantError(f"month {month}: {rule} fails for household row {row}")


@cache
def _ranges(fields: tuple[Field, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The bounded fields' columns and their lower and upper bounds (±inf where open), and
    which of them must also be finite (bounded on one side only)."""
    columns = [c for c, field in enumerate(fields) if field.lo is not None or field.hi is not None]
    lo = np.array([-np.inf if fields[c].lo is None else fields[c].lo for c in columns])
    hi = np.array([np.inf if fields[c].hi is None else fields[c].hi for c in columns])
    return np.array(columns, dtype=np.int64), lo, hi, np.isinf(lo) | np.isinf(hi)


def check_ranges(state: HouseholdState, month: int) -> None:
    """Every household field within the range its declaration gives (``model.state``): all
    fields at once, then, if one fails, the first of them by the rule of ``Field.within``."""
    for fields, block in ((FLOAT_FIELDS, state.floats), (INT_FIELDS, state.ints)):
        columns, lo, hi, finite = _ranges(fields)
        values = block[:, columns]
        ok = (values >= lo) & (values <= hi)
        if block.dtype.kind == "f":
            ok[:, finite] &= np.isfinite(values[:, finite])
        if not ok.all():
            column = int(columns[int(np.argmin(ok.all(axis=0)))])
            _require(*fields[column].within(block[:, column]), month)
            raise InvariantError(f"month {month}: {fields[column].name} "
                                 f"{fields[column].bounds()} fails")  # within must agree


def check(state: HouseholdState, before: HouseholdState, month: int,
          depreciation: float) -> None:
    """Check the month that turned ``before`` into ``state``."""
    f, i = state.floats.T, state.ints.T
    moved = before.ints[:, STATUS] < LEFT  # a client this month: neither left nor pending
    pending = before.ints[:, STATUS] == PENDING
    _require(~pending | (i[STATUS] == PENDING), "a pending household enters only between "
             "months", month)
    check_ranges(state, month)
    cash = f[INCOME] + f[TRANSFERS] + f[SAVINGS_DRAW]
    spent = f[CONSUMPTION] + f[INVESTMENT] + f[REPAID] + f[SAVINGS_DEPOSIT]
    _require(~moved | np.isclose(cash, spent, rtol=1e-12, atol=1e-12),
             "money accounted for (income + transfers + savings drawn = consumption + "
             "investment + loan repaid + savings deposited)", month)
    expected = (1.0 - depreciation) * (before.floats[:, ASSETS] - f[SHOCK_LOSS] +
                                       f[INFORMAL_COVER] - f[SEIZED]) + f[INVESTMENT]
    _require(~moved | np.isclose(f[ASSETS], expected, rtol=1e-12, atol=1e-12),
             "assets follow k' = (1 - delta)(k - shock loss + informal cover received - "
             "collateral seized) + investment", month)
    _require(~moved | (f[DEBT] <= before.floats[:, DEBT] - f[REPAID] + 1e-12),
             "debt falls by at least what was repaid", month)
    _require(np.isclose(f[SAVINGS], before.floats[:, SAVINGS] - f[SAVINGS_DRAW]
                        + f[SAVINGS_DEPOSIT] - f[COVER_GIVEN], atol=1e-12) | ~moved,
             "savings change exactly by what was deposited less what was drawn and given to "
             "neighbours as cover", month)
    received, given = f[INFORMAL_COVER].sum(), f[COVER_GIVEN].sum()
    _require(np.array([np.isclose(received, given, rtol=1e-9, atol=1e-9)]),
             f"informal cover received ({received:.12g} z) equals cover paid by the neighbours "
             f"({given:.12g} z)", month)
    columns = household_columns(state.ints, moved)
    for rule in HOUSEHOLD_RULES:
        _require(rule.holds(columns), rule.text, month)
    graduated_now = (i[EVENTS] & EVENT_GRADUATED) != 0
    _require(~graduated_now | ((i[GRADUATION_MONTH] == month) &
                               ((i[STATUS] == GRADUATED) | (i[STATUS] == LEFT))),
             "graduation event consistent with status and graduation month", month)
    skipped = before.gone == 1
    _require(~skipped | ((state.floats == before.floats).all(axis=1) &
                         (state.ints == before.ints).all(axis=1) & (state.peer == 0.0).all(axis=1)),
             "a row whose household left before last month is not changed by the month and "
             "shows nothing (the month skips it: HouseholdState.gone)", month)
    _require((state.gone == 0) | (i[STATUS] == LEFT), "only a row that has left is skipped",
             month)
    left_now = (i[EVENTS] & EVENT_LEFT) != 0
    _require((i[STATUS] == LEFT) == (left_now | (~moved & ~pending)),
             "status left exactly after an exit", month)
    paid_support = (i[ACTIVE_PROGRAMMES] & ((1 << P_CONSUMPTION_SUPPORT) |
                                            (1 << P_CASH_TRANSFER))) != 0
    _require(~moved | (f[TRANSFERS] == 0.0) | (before.ints[:, STATUS] != GRADUATED) |
             paid_support, "no pension for a household graduated at the start of the month",
             month)


def check_network(model: Any) -> None:
    """Budgets and capacities never exceeded; mentors' caseloads consistent (after a month)."""
    cfg, month, state = model.config, model.month, model.state
    table = model.results_table
    spent = table.latest("spending_programmes_cumulative")
    committed = table.latest("budget_committed")
    if cfg.budget.limited:
        total = cfg.budget.per_household_z * state.n_start
        _require(np.array([committed <= total + 1e-6]),
                 "budget committed within the total", month)
    _require(np.array([spent <= committed + 1e-6]),
             "programme spending within what was committed", month)
    per = state.n_start / 1000.0
    for p, seats in ((P_TRAINING, cfg.institutions.training_seats),
                     (P_INCUBATION, cfg.institutions.incubation_slots)):
        delivered = (state.ints[:, ACTIVE_PROGRAMMES] >> p) & 1
        _require(np.array([delivered.sum() <= round(seats * per)]),
                 f"{PROGRAMME_NAMES[p]} places within the institutions' capacity", month)
    mentors = model.mentors
    counts = np.bincount(state.ints[:, MENTOR][state.ints[:, MENTOR] >= 0],
                         minlength=mentors.n)
    _require(HAS_A_MENTOR.holds({"mentor": state.ints[:, MENTOR], "mentors": mentors.n}),
             HAS_A_MENTOR.text, month)
    _require(CASELOADS_MATCH.holds({"caseload": mentors.caseload, "households": counts}),
             CASELOADS_MATCH.text, month)
    for rule in MENTOR_RULES:
        _require(rule.holds({name: getattr(mentors, name) for name in rule.fields}), rule.text,
                 month)
    _require(np.array([table.latest("jobs_filled") <= table.latest("job_slots")]),
             "jobs filled within the slots offered", month)
