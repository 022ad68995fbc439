"""The invariant checks themselves must catch a broken month."""

from __future__ import annotations

import re

import pytest

from empowernet import EmpowermentModel
from model.invariants import InvariantError, check, check_ranges
from model.state import ASSETS, CONSUMPTION, FLOAT_FIELDS, INT_FIELDS, SKILL, STATUS


@pytest.mark.parametrize(("block", "field", "value", "rule"), [
    ("floats", CONSUMPTION, 1e6, "money accounted for"),
    ("floats", ASSETS, -1.0, "assets finite"),
    ("floats", SKILL, 1.5, "skill in [0, 1]"),
    ("ints", STATUS, 3, "status left exactly after an exit"),
])
def test_a_corrupted_month_is_caught(block, field, value, rule) -> None:
    # no entrants (the model copies ``before`` after the month's entrants enter, this test
    # before) and no burn-in (row 17 has not left)
    m = EmpowermentModel(households=200, months=3, rng=1,
                         overrides={"status.p_entry": 0.0, "population.burn_in_months": 0})
    before = m.state.copy()
    m.step()
    getattr(m.state, block)[17, field] = value
    with pytest.raises(InvariantError, match=re.escape(rule)) as err:
        check(m.state, before, m.month, m.config.consumption.depreciation)
    assert "row 17" in str(err.value)


BOUNDED = [(block, column, field)
           for block, fields in (("floats", FLOAT_FIELDS), ("ints", INT_FIELDS))
           for column, field in enumerate(fields) if field.lo is not None or field.hi is not None]


@pytest.mark.parametrize(("block", "column", "field"), BOUNDED,
                         ids=[field.name for _, _, field in BOUNDED])
def test_every_declared_range_is_checked(block, column, field) -> None:
    m = EmpowermentModel(households=50, months=1, rng=1)
    check_ranges(m.state, m.month)
    outside = field.lo - 1 if field.lo is not None else field.hi + 1
    getattr(m.state, block)[7, column] = outside
    with pytest.raises(InvariantError, match=re.escape(field.name)) as err:
        check_ranges(m.state, m.month)
    assert "row 7" in str(err.value)


@pytest.mark.parametrize(("column", "value", "rule"), [
    (ASSETS, float("inf"), "assets finite and >= 0"),
    (ASSETS, float("nan"), "assets finite and >= 0"),
    (SKILL, float("nan"), "skill in [0, 1]"),
])
def test_a_value_that_is_no_number_or_infinite_is_caught(column, value, rule) -> None:
    # a field bounded on one side must be finite; an interval excludes NaN by itself
    m = EmpowermentModel(households=50, months=1, rng=1)
    m.state.floats[9, column] = value
    m.state.floats[30, SKILL] = 2.0  # a later row breaks another field: the first field named
    with pytest.raises(InvariantError, match=re.escape(rule)) as err:
        check_ranges(m.state, m.month)
    assert "row 9" in str(err.value)


@pytest.mark.parametrize("engine", ["numba", "python"])
def test_informal_cover_received_is_paid_by_the_neighbours(engine) -> None:
    # frequent shocks; every month the cover households received equals what their
    # neighbours paid out of their savings (validate=true checks it too, and the savings)
    m = EmpowermentModel(households=300, months=12, rng=3, engine=engine, validate=True,
                         overrides={"shocks.p_shock": 0.3})
    received = given = 0.0
    for _ in range(12):
        m.step()
        month_received = m.state.field("informal_cover").sum()
        month_given = m.state.field("cover_given").sum()
        assert month_received == pytest.approx(month_given, rel=1e-9, abs=1e-12)
        received, given = received + month_received, given + month_given
    assert received > 0.0


def test_cover_not_paid_is_caught() -> None:
    m = EmpowermentModel(households=300, months=3, rng=3,
                         overrides={"shocks.p_shock": 0.3, "status.p_entry": 0.0,
                                    "population.burn_in_months": 0})
    m.step()
    before = m.state.copy()
    m.step()
    assert m.state.field("cover_given").sum() > 0.0
    m.state.field("cover_given")[:] = 0.0
    m.state.field("savings")[:] = before.field("savings") - m.state.field("savings_draw") + \
        m.state.field("savings_deposit")
    with pytest.raises(InvariantError, match="informal cover received"):
        check(m.state, before, m.month, m.config.consumption.depreciation)
