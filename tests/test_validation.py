"""Validation: the measures themselves, and the bands of the targets the model meets.

``MET`` lists the targets the default model meets at full size (docs/validation.md); each
must stay inside its band at a reduced size too. A target the model misses is left out of
``MET`` with its number (``MISSED``), never given a wider band.
"""

from __future__ import annotations

import numpy as np
import pytest

from experiments.analysis.statistics import interval
from experiments.analysis.validation import TARGETS, evaluate

MISSED = {"1a": "1.82 [-0.11, 3.75] against a ceiling of 1.33 on the burned-in population at "
                  "1,500 households; the burned-in model found no unstable crossing at all at "
                  "full size before (NaN)"}
"""Targets the default model misses at full size, with the number: left out, never widened."""
TOO_NOISY = {"3": "at 1,500 households the ratio rests on a few dozen treated households above "
                  "k* (0.97, 95 % interval about [-0.5, 2.1]); it is checked at full size only"}
"""Targets met at full size whose reduced-size figure is too noisy to hold to the band."""
MET = tuple(t.number for t in TARGETS if t.number not in MISSED and t.number not in TOO_NOISY)


@pytest.fixture(scope="module")
def table():
    return evaluate(households=1500, seeds=2,
                    targets=tuple(t for t in TARGETS if t.number in MET))


@pytest.mark.slow
@pytest.mark.parametrize("number", MET)
def test_met_targets_stay_in_their_bands_at_a_reduced_size(table, number) -> None:
    row = table.set_index("number").loc[number]
    assert row["band_low"] <= row["simulated"] <= row["band_high"], row.to_dict()


def test_every_target_names_its_published_source() -> None:
    numbers = [t.number for t in TARGETS]
    assert {"1a", "2a", "3", "4a", "5a", "6a"} <= set(numbers)
    assert len(set(numbers)) == len(numbers)
    for t in TARGETS:
        assert t.band[0] < t.band[1]
        assert any(ch.isdigit() for ch in t.published) or "(" in t.published


def test_interval_is_a_student_t_interval() -> None:
    mean, lo, hi = interval([1.0, 2.0, 3.0])
    assert mean - lo == pytest.approx(hi - mean)
    assert mean == 2.0
    assert hi - mean == pytest.approx(4.302653 * 1.0 / np.sqrt(3), rel=1e-6)
    assert np.isnan(interval([5.0])[1]) and interval([5.0])[0] == 5.0
