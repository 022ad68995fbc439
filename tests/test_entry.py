"""New client households: an entrant starts as the fresh household of its own draws."""

from __future__ import annotations

import numpy as np
import pytest

from empowernet import EmpowermentModel
from model import entry, population
from model.state import LEFT, PENDING, STATUS, SUPPORTED


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


def test_the_entrants_of_a_month_are_those_the_plan_dates_to_it() -> None:
    # entrants 0-1 enter in month -1, 2-4 in month 2, none in months 0, 1 and 3
    plan = entry.EntryPlan(month=np.array([-1, -1, 2, 2, 2]), row=np.arange(5), places=5,
                           rows=5, occupied=np.ones(5, dtype=bool))
    assert plan.entering(-1).tolist() == [0, 1]
    assert plan.entering(2).tolist() == [2, 3, 4]
    for month in (0, 1, 3):
        assert plan.entering(month).size == 0


def test_a_month_without_entrants_admits_nobody_and_changes_nothing() -> None:
    m = EmpowermentModel(households=300, months=3, rng=1,
                         overrides={"status.p_entry": 0, "population.burn_in_months": 0})
    state = m.state.copy()
    assert entry.admit(state, m.arrivals, 1).size == 0
    assert np.array_equal(state.ints, m.state.ints) and state.entered == m.state.entered


def test_an_entrant_into_a_row_that_was_left_starts_as_its_fresh_household() -> None:
    m = EmpowermentModel(households=400, months=12, rng=3)
    entering = m.entry_plan.entering(6)
    rows = m.entry_plan.row[entering]
    assert rows.size >= 2  # one pending, the others left
    state = m.state.copy()
    state.ints[rows[1:], STATUS] = LEFT  # as a burn-in entrant finds the row it reuses
    state.floats[rows[1:]] = 7.0
    entry.admit(state, m.arrivals, 6)
    fresh = population.fresh(m.config, m.state.n_start + entering)
    fresh.ints[:, STATUS] = SUPPORTED
    assert np.array_equal(state.floats[rows], fresh.floats)
    assert np.array_equal(state.ints[rows], fresh.ints)
    assert not state.gone[rows].any()


def test_an_entrant_planned_into_a_clients_row_is_refused_and_nothing_changes() -> None:
    m = EmpowermentModel(households=400, months=12, rng=3)
    entering = m.entry_plan.entering(6)
    rows = m.entry_plan.row[entering]
    state = m.state.copy()
    state.ints[rows[-1], STATUS] = SUPPORTED
    before = state.copy()
    household = m.state.n_start + entering[-1]
    with pytest.raises(RuntimeError, match=rf"household {household} into row {rows[-1]},"):
        entry.admit(state, m.arrivals, 6)
    assert np.array_equal(state.ints, before.ints) and np.array_equal(state.floats,
                                                                       before.floats)


def test_entrants_take_over_the_ties_of_the_households_that_left() -> None:
    m = EmpowermentModel(households=400, months=12, rng=3)
    for _ in range(5):
        m.step()
    plan, net = m.entry_plan, m.network
    entering = plan.entering(6)
    taking = entering[plan.place[entering] >= 0]
    assert taking.size
    renamed = dict(zip(plan.place[taking].tolist(), plan.row[taking].tolist(), strict=True))
    ties_of = {row: net.index[slice(*net.span[row])].tolist() for row in renamed}
    entry.take_places(m.state, net, plan, 6)
    for vacated, taker in renamed.items():
        assert net.span[vacated, 0] == net.span[vacated, 1]  # the row left holds no ties
        expected = sorted(renamed.get(other, other) for other in ties_of[vacated])
        assert net.index[slice(*net.span[taker])].tolist() == expected
        for other in expected:  # each neighbour names the entrant, in ascending ties
            theirs = net.index[slice(*net.span[other])].tolist()
            assert taker in theirs and vacated not in theirs and theirs == sorted(theirs)


def test_a_place_planned_for_a_row_whose_household_has_not_left_is_refused() -> None:
    m = EmpowermentModel(households=400, months=12, rng=3)
    for _ in range(5):
        m.step()
    plan = m.entry_plan
    entering = plan.entering(6)
    taking = entering[plan.place[entering] >= 0]
    m.state.ints[plan.place[taking[0]], STATUS] = SUPPORTED
    before = (m.network.span.copy(), m.network.index.copy())
    with pytest.raises(RuntimeError, match=rf"household {m.state.n_start + taking[0]} the "
                                           rf"place of row {plan.place[taking[0]]}, which"):
        entry.take_places(m.state, m.network, plan, 6)
    assert np.array_equal(m.network.span, before[0])
    assert np.array_equal(m.network.index, before[1])
