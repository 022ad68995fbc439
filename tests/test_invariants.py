"""The invariant checks themselves must catch a broken month."""

from __future__ import annotations

import re

import pytest

from empowernet import EmpowermentModel
from model.invariants import InvariantError, check
from model.state import ASSETS, CONSUMPTION, SKILL, STATUS


@pytest.mark.parametrize(("block", "field", "value", "rule"), [
    ("floats", CONSUMPTION, 1e6, "money accounted for"),
    ("floats", ASSETS, -1.0, "assets finite"),
    ("floats", SKILL, 1.5, "skill in [0, 1]"),
    ("ints", STATUS, 3, "status left exactly after an exit"),
])
def test_a_corrupted_month_is_caught(block, field, value, rule) -> None:
    m = EmpowermentModel(households=200, months=3, rng=1)
    before = m.state.copy()
    m.step()
    getattr(m.state, block)[17, field] = value
    with pytest.raises(InvariantError, match=re.escape(rule)) as err:
        check(m.state, before, m.month, m.config.consumption.depreciation)
    assert "row 17" in str(err.value)
