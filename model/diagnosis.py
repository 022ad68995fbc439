"""Why do they stay poor? Each poor household's binding constraints, by counterfactual.

A household poor now (active, per-capita consumption below z) is bound by a constraint when
relaxing that constraint alone lifts it above the line within the horizon: its mean per-capita
consumption over the last ``window_months`` of ``horizon_months`` reaches z, while without any
relaxation it does not. Each lever of :data:`LEVERS` is tried on a copy of every poor household
(rows x levers), all in one pass (``model.counterfactual``), with common random numbers: a copy
meets the draws its household meets. The world is partial equilibrium: the rest of the
population, its signals, its informal cover and its job seekers are those of the world continued
without any relaxation, so one household's relaxation never changes another's. The world is the
one of the current month held still: the month's programme doses, delivery and mentors (no new
enrolment), its job slots every month, its prices and pension, and no exogenous exits.
``docs/model.md`` ("Why poor: the binding constraint by counterfactual") says why.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from model import counterfactual
from model.counterfactual import World
from model.docs import between_markers
from model.kernel_params import KernelParams
from model.state import (
    ADULTS,
    ASSETS,
    CHILDREN,
    CONFIDENCE,
    CONFIDENCE_BASE,
    CONSUMPTION,
    CULTURE,
    ELDERLY,
    HAS_JOB,
    LEFT,
    SIZE,
    SKILL,
    SKILL_BASE,
    STATUS,
    HouseholdState,
)

LEVER_MEANINGS = {
    "assets": "productive assets raised to the threshold k* (those above it keep theirs)",
    "confidence": "confidence and the level it relaxes to set to 1",
    "culture": "the self-reliance norm set to 1 (it then moves with the neighbours' as usual)",
    "skill": "skill and the skill kept without training set to 1",
    "wage_job": "one adult given a wage job (kept until lost, as any job; none without adults)",
    "no_shock": "no shock in the horizon (past losses stay lost)",
    "working_adult": "one more member works: a child, else an elderly member, counts as a "
                     "working-age adult (a household without dependents gains an adult member)",
}
LEVERS = tuple(LEVER_MEANINGS)
SEVERAL, NONE, ESCAPES = "several", "none", "escapes_without_help"
ANSWERS = (*LEVERS, SEVERAL, NONE, ESCAPES)
ANSWER_DTYPE = pd.CategoricalDtype(ANSWERS)
"""The answers as a pandas type, made once (making it checks the categories: 0.17 ms)."""
SUMMARY = "binding_constraint"
COLUMNS: tuple[tuple[str, str], ...] = (
    *((f"lifted_by_{lever}", meaning) for lever, meaning in LEVER_MEANINGS.items()),
    (SUMMARY, "the lever that alone lifts a poor household above the line; `several` if more "
     "than one does, `none` if none does, `escapes_without_help` if it gets above the line "
     "without any; empty when not poor, left, or `diagnosis.horizon_months` is 0"),
)
"""The diagnosis columns of ``household_frame()``: ``lifted_by_<lever>`` is True when relaxing
that lever (as its meaning says) alone lifts a poor household above the line."""


def poor_rows(state: HouseholdState) -> np.ndarray:
    """Rows of the client households (a status before ``left``) that consume below z per
    person."""
    f, i = state.floats, state.ints
    return np.flatnonzero((i[:, STATUS] < LEFT) & (f[:, CONSUMPTION] / i[:, SIZE] < 1.0))


def relax(state: HouseholdState, lever: str, rows: np.ndarray, k_star: float) -> None:
    """Relax ``lever`` for households ``rows`` of ``state``, in place (``no_shock`` acts on the
    parameters instead: :func:`lever_params`)."""
    f, i = state.floats, state.ints
    if lever == "assets":
        f[rows, ASSETS] = np.maximum(f[rows, ASSETS], k_star)
    elif lever in ("confidence", "skill"):
        level, base = (CONFIDENCE, CONFIDENCE_BASE) if lever == "confidence" else \
            (SKILL, SKILL_BASE)
        f[rows, level] = f[rows, base] = 1.0
    elif lever == "culture":
        f[rows, CULTURE] = 1.0
    elif lever == "wage_job":
        i[rows, HAS_JOB] = np.where(i[rows, ADULTS] > 0, 1, i[rows, HAS_JOB])
    elif lever == "working_adult":
        child, elder = i[rows, CHILDREN] > 0, i[rows, ELDERLY] > 0
        i[rows, CHILDREN] -= child
        i[rows, ELDERLY] -= ~child & elder
        i[rows, SIZE] += ~child & ~elder
        i[rows, ADULTS] += 1


def world_params(params: KernelParams) -> KernelParams:
    """The parameters of the diagnosis horizon: no exogenous exits (an exit has nothing to do
    with the levers, and would leave a fifth of the poor without an answer after 24 months),
    and no enterprise hiring (the month's job slots, ``World.job_slots``, are held still)."""
    return params._replace(status=params.status._replace(p_exit=0.0),
                           labour=params.labour._replace(enterprise_hiring=0.0))


def lever_params(params: KernelParams, lever: str) -> KernelParams:
    """The horizon's parameters ``params`` (:func:`world_params`) as the copies relaxed by
    ``lever`` meet them."""
    if lever == "no_shock":
        return params._replace(shocks=params.shocks._replace(p_shock=0.0))
    return params


def diagnose(state: HouseholdState, world: World, horizon: int, window: int) -> pd.DataFrame:
    """Every household's answer: the :data:`COLUMNS`, one row per household.

    Args:
        state: the households now (not changed).
        world: the current month, held still.
        horizon: months simulated; 0 leaves every answer empty.
        window: the last months of the horizon whose mean per-capita consumption is compared
            with the line (at most ``horizon``).
    """
    if horizon <= 0:
        return answers(state.n, np.zeros(0, dtype=np.int64),
                       np.zeros((len(LEVERS), 0), dtype=bool), np.zeros(0, dtype=bool))
    rows = poor_rows(state)
    world = replace(world, params=world_params(world.params))
    layers = []
    for lever in LEVERS:
        layer = state.copy()
        relax(layer, lever, rows, world.k_star)
        layers.append(layer)
    base_c, lever_c = counterfactual.mean_consumption(
        state, layers, [lever_params(world.params, lever) for lever in LEVERS], rows, world,
        horizon, min(window, horizon))
    escapes = base_c >= 1.0
    lifted = (lever_c >= 1.0) & ~escapes
    return answers(state.n, rows, lifted, escapes)


def answers(n: int, rows: np.ndarray, lifted: np.ndarray, escapes: np.ndarray) -> pd.DataFrame:
    """The :data:`COLUMNS` of ``n`` households from the answers of the poor ``rows``:
    ``lifted`` bool[levers, rows] and ``escapes`` bool[rows]."""
    columns: dict[str, Any] = {}
    for k, lever in enumerate(LEVERS):
        column = np.zeros(n, dtype=bool)
        column[rows] = lifted[k]
        columns[f"lifted_by_{lever}"] = column
    count = lifted.sum(axis=0)
    code = np.select([escapes, count == 0, count > 1],
                     [ANSWERS.index(ESCAPES), ANSWERS.index(NONE), ANSWERS.index(SEVERAL)],
                     default=lifted.argmax(axis=0))
    codes = np.full(n, -1)
    codes[rows] = code
    columns[SUMMARY] = pd.Categorical.from_codes(codes, dtype=ANSWER_DTYPE)
    return pd.DataFrame(columns, index=range(n))


def columns_table() -> str:
    """The diagnosis columns of ``household_frame()`` as a Markdown table."""
    lines = ["| column | meaning |", "|---|---|"]
    lines += [f"| `{name}` | {meaning} |" for name, meaning in COLUMNS]
    return "\n".join(lines) + "\n"


DOC_BEGIN = "<!-- the diagnosis columns: generated from model.diagnosis.COLUMNS -->"
DOC_END = "<!-- end of the generated diagnosis columns -->"


def with_columns(page: str) -> str:
    """``page`` (``docs/outputs.md``) with the table of :func:`columns_table` between the
    markers."""
    return between_markers(page, DOC_BEGIN, DOC_END, columns_table())
