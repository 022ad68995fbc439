"""The frozen baseline: every golden case, run again, equals its stored results exactly."""

from __future__ import annotations

import io

import pytest

from tests import golden_baseline as golden


@pytest.mark.parametrize("case", golden.CASES)
def test_results_equal_the_golden_baseline(case, tmp_path) -> None:
    found = []
    for table, frame in golden.run(case, tmp_path).items():
        now = golden.read_text(io.StringIO(golden.as_csv(frame)))
        stored = golden.read_text(golden.golden_path(case, table))
        found += golden.differences(case, table, stored, now)
    assert not found, "\n".join([*found, "If the change of behaviour is intended, run "
                                 "'python -m tests.golden_baseline --write' and review the "
                                 "diff of tests/golden/."])


def test_a_difference_names_the_case_the_column_and_the_first_row() -> None:
    stored = golden.read_text(io.StringIO("month,headcount,exits\n0,0.5,0\n1,0.25,1\n2,0.125,1\n"))
    now = golden.read_text(io.StringIO("month,headcount,exits\n0,0.5,0\n1,0.25,1\n2,0.5,1\n"))
    assert golden.differences("graduation", "results", stored, now) == [
        "case 'graduation', results, column 'headcount': 1 of 3 rows differ, first at month 2: "
        "golden 0.125, now 0.5"]
    assert golden.differences("graduation", "results", stored, stored) == []
