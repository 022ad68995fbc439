"""New client households: an entrant starts as the fresh household of its own draws."""

from __future__ import annotations

import numpy as np

from empowernet import EmpowermentModel
from model import entry, population
from model.state import PENDING, STATUS, SUPPORTED


def test_an_entrant_starts_as_its_fresh_household_and_moves_the_entered_bound() -> None:
    m = EmpowermentModel(households=400, months=12, rng=3, scenario="graduation")
    for _ in range(5):  # programmes enrol and the months run while the entrants wait
        m.step()
    entering = m.entry_plan.entering(6)
    rows = m.entry_plan.row[entering]
    assert rows.size and (m.state.ints[rows, STATUS] == PENDING).all()
    assert m.state.entered <= rows.min()
    state = m.state.copy()
    admitted = entry.admit(state, m.arrivals, 6)
    fresh = population.fresh(m.config, m.state.n_start + entering)
    fresh.ints[:, STATUS] = SUPPORTED
    assert np.array_equal(admitted, rows)
    assert np.array_equal(state.floats[rows], fresh.floats)
    assert np.array_equal(state.ints[rows], fresh.ints)
    assert state.entered == rows.max() + 1
