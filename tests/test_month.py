"""The month's order is data: the fused kernels, the agents and the docs all follow PHASES."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import numpy as np
import pytest

from model import month, state
from model.month import HOUSEHOLD, SEARCH, START, phases_of

ROOT = Path(__file__).resolve().parents[1]


def rule_calls(function: object) -> list[str]:
    """Names of the ``rules.X(...)`` calls in a function's source, in order."""
    tree = ast.parse(inspect.getsource(function.py_func))
    calls = [node for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and isinstance(node.func.value, ast.Name) and node.func.value.id == "rules"]
    return [node.func.attr for node in sorted(calls, key=lambda c: (c.lineno, c.col_offset))]


def test_the_search_kernel_calls_the_start_and_search_phases_in_order() -> None:
    expected = [p.name for p in phases_of(START) + phases_of(SEARCH)]
    assert rule_calls(month.search_rows) == expected


def test_the_household_kernel_calls_the_household_phases_in_order() -> None:
    expected = [month.LEFT_PHASE.name] + [p.name for p in phases_of(HOUSEHOLD)]
    assert rule_calls(month.household_rows) == expected


def test_every_household_phase_is_named_after_its_function() -> None:
    for phase in (*month.PHASES, month.LEFT_PHASE):
        if phase.stage in (START, SEARCH, HOUSEHOLD):
            assert phase.rule.py_func.__name__ == phase.name


def test_docs_show_the_phases_as_declared() -> None:
    page = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert page == month.with_phases(page), (
        "run: python -c \"from pathlib import Path; from model.month import with_phases; "
        "p = Path('docs/model.md'); p.write_text(with_phases(p.read_text()))\"")


@pytest.mark.parametrize(("fields", "kind"), [(state.FLOAT_FIELDS, "float"),
                                              (state.INT_FIELDS, "int")])
def test_each_field_constant_is_the_offset_of_its_own_field(fields, kind) -> None:
    for offset, field in enumerate(fields):
        name = field.name.upper()
        if name.startswith("TIMER_"):
            continue
        assert getattr(state, name) == offset, f"{kind} field {field.name}"
    assert len({f.name for f in fields}) == len(fields)


def test_each_chunk_goes_to_the_thread_with_the_fewest_rows_to_step_so_far() -> None:
    # 12 rows in 4 chunks of 3, rows 10-11 not entered, rows 1, 2 and 5 gone: the chunks
    # step 1, 2, 3 and 1 rows; by most rows first (2, 1, 0, 3): chunk 2 to thread 0 (3 rows),
    # chunk 1 to thread 1 (2), chunk 0 to thread 1 (3), chunk 3 to thread 0 (the lower on 3-3)
    gone = np.zeros(12, dtype=np.uint8)
    gone[[1, 2, 5]] = 1
    assert month.thread_shares(gone, 10, 12, 4, 2).tolist() == [1, 1, 0, 0]
    assert month.thread_shares(gone, 10, 12, 4, 1).tolist() == [0, 0, 0, 0]
    # three threads: chunks 2, 1, 0 to threads 0, 1, 2, then chunk 3 to thread 2 (1 row)
    assert month.thread_shares(gone, 10, 12, 4, 3).tolist() == [2, 1, 0, 2]
