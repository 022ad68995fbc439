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
