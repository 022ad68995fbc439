"""Hand-made one- and two-household months for the phase tests (``tests/test_phases_*.py``).

A phase test builds a state with chosen values (:func:`households`), the default parameters
with a few changed (:func:`params`) and a month (:func:`month_context`), runs one phase with
:func:`run` and compares the result with values worked out by hand from ``docs/model.md``.
:func:`run` calls the phase uncompiled and compiled, and checks that the two agree bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from model import kernel_params
from model.kernel_params import KernelParams
from model.month import LEFT_PHASE, PHASES
from model.params import Config, replace
from model.programmes import INDEX, N_PROGRAMMES
from model.rng import STREAM_INDEX, STREAM_NAMES
from model.rules import N_WORK, W_CASH, Month
from model.state import (
    N_PEER,
    PEER_ACTIVE,
    PEER_CONSUMPTION,
    PEER_CULTURE,
    PEER_GRADUATED,
    PEER_SUCCESS,
    HouseholdState,
)
from tests.helpers import HAND_WORKED

K_STAR = 20.0  # z: the threshold k* of the default world (docs/model.md)
PENSION = 0.1  # z per person-month: the default pension at month 0
# This month's stream keys: any fixed numbers will do; draws that matter are worked out from
# them with :func:`draw`.
KEYS = np.array([1_000_003 * (i + 1) for i in range(len(STREAM_NAMES))], dtype=np.uint64)

PHASE_NAMES = frozenset(phase.name for phase in (*PHASES, LEFT_PHASE))


def checks(phase: str) -> Callable[[Callable], Callable]:
    """Mark a test as a hand-computed test of ``phase`` (a name in ``model.month``)."""
    if phase not in PHASE_NAMES:
        raise ValueError(f"no phase {phase!r}; the phases are {sorted(PHASE_NAMES)}")

    def mark(test: Callable) -> Callable:
        test.phase = phase
        return test

    return mark


def config(**changes: Any) -> Config:
    """The default config, its calibrated keys at :data:`~tests.helpers.HAND_WORKED`, with
    changes by dotted key, written with ``__`` for the dots (``labour__p_find=0.5``)."""
    return replace(Config(), **HAND_WORKED,
                   **{key.replace("__", "."): value for key, value in changes.items()})


def params(k_star: float = K_STAR, pension: float = PENSION, **changes: Any) -> KernelParams:
    """Kernel parameters of :func:`config` with ``changes``, at threshold ``k_star`` and a
    pension of ``pension`` per person."""
    return kernel_params.build(config(**changes), k_star, pension)


def households(*rows: dict[str, float]) -> HouseholdState:
    """A state with one household per dict of field values by name; size 1 unless given,
    every member a working-age adult unless ``adults`` is given, every other field as in
    ``HouseholdState.empty``."""
    state = HouseholdState.empty(len(rows))
    for h, values in enumerate(rows):
        size = values.get("size", 1)
        for name, value in {"size": size, "adults": size, **values}.items():
            state.field(name)[h] = value
    return state


def programme_array(values: dict[str, float] | None = None) -> np.ndarray:
    """float64[N_PROGRAMMES] with the given value per programme name, 0 elsewhere."""
    out = np.zeros(N_PROGRAMMES)
    for name, value in (values or {}).items():
        out[INDEX[name]] = value
    return out


def month_context(n: int, *, month: int = 1, amounts: dict[str, float] | None = None,
                  unit_costs: dict[str, float] | None = None,
                  mentor_effects: list[list[float]] | None = None,
                  mentor_contact: list[float] | None = None,
                  ties: list[int] | None = None,
                  neighbours: list[list[int]] | None = None) -> Month:
    """The month of ``n`` households: doses and delivery costs by programme name, mentors'
    coaching (one row of confidence, skill, culture per mentor) and contact, and each
    household's number of ties (none unless given) or its list of neighbours' rows; last
    month's peer signals (``m.peer_prev``) are zeros, to be set by the test."""
    degrees = [len(rows) for rows in neighbours] if neighbours else ties or [0] * n
    rows = [row for listed in neighbours or [] for row in listed]
    ptr = np.concatenate([[0], np.cumsum(degrees)]).astype(np.int64)
    return Month(month, KEYS.copy(), programme_array(amounts), programme_array(unit_costs),
                 np.array(mentor_effects or np.zeros((0, 3)), dtype=np.float64).reshape(-1, 3),
                 np.array(mentor_contact or [], dtype=np.float64),
                 np.column_stack([ptr[:-1], ptr[1:]]),
                 np.zeros(n, dtype=np.uint8), np.zeros((n, N_PEER)),
                 np.array(rows if neighbours else np.zeros(sum(degrees)), dtype=np.int64),
                 np.zeros((n, N_PEER)))


def work(cash: float = 0.0, *, active: float = 0.0, consumption: float = 0.0,
         culture: float = 0.0, success: float = 0.0, graduated: float = 0.0) -> np.ndarray:
    """A household's working values: cash on hand and the sums of its neighbours' signals of
    last month (how many have not left, their per-capita consumption, culture, how many were
    above the exit line, how many graduated)."""
    w = np.zeros(N_WORK)
    w[W_CASH] = cash
    w[PEER_ACTIVE] = active
    w[PEER_CONSUMPTION] = consumption
    w[PEER_CULTURE] = culture
    w[PEER_SUCCESS] = success
    w[PEER_GRADUATED] = graduated
    return w


def _copy_month(m: Month) -> Month:
    return Month(*(value.copy() if isinstance(value, np.ndarray) else value for value in m))


def run(phase: Any, state: HouseholdState, p: KernelParams, m: Month, h: int = 0,
        w: np.ndarray | None = None) -> np.ndarray:
    """Run ``phase`` on row ``h`` uncompiled, changing ``state``, ``m`` and ``w`` (zeros if
    not given, returned), and compiled on copies; assert the two agree bit for bit."""
    w = np.zeros(N_WORK) if w is None else w
    compiled_state, compiled_m, compiled_w = state.copy(), _copy_month(m), w.copy()
    phase.py_func(state.floats, state.ints, h, p, m, w)
    phase(compiled_state.floats, compiled_state.ints, h, p, compiled_m, compiled_w)
    assert np.array_equal(state.floats, compiled_state.floats)
    assert np.array_equal(state.ints, compiled_state.ints)
    assert np.array_equal(m.candidate, compiled_m.candidate)
    assert np.array_equal(m.peer_next, compiled_m.peer_next)
    assert np.array_equal(w, compiled_w)
    return w


MASK64 = 2**64 - 1


def _splitmix64(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def uniform(key: int, agent: int, k: int = 0) -> float:
    """Draw ``k`` of ``agent`` from a stream-month ``key``, written out from the definition in
    ``model/rng.py``: the top 53 bits of SplitMix64(key + (8·agent + k)·golden), as a fraction
    of 2**53."""
    counter = 8 * agent + k
    return (_splitmix64((key + counter * 0x9E3779B97F4A7C15) & MASK64) >> 11) / 2**53


def draw(stream: str, agent: int, k: int = 0) -> float:
    """Draw ``k`` of ``agent`` from ``stream`` in a month of :func:`month_context`."""
    return uniform(int(KEYS[STREAM_INDEX[stream]]), agent, k)
