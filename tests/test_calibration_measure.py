"""A calibration moment and the validation row with the same source measure one quantity (the
graduation package's effect on the per-person consumption of the households offered it, say):
on the same runs they give the same number."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from experiments.analysis.validation import TARGETS
from experiments.calibration import spec as spec_io
from experiments.calibration.entry import DEFAULT_FILE
from experiments.calibration.panel import id_span
from experiments.calibration.simulate import BASELINE, Simulator, run


def stored(snapshots: dict) -> SimpleNamespace:
    """A run as the validation measures read it (snapshots, the last one as its end)."""
    return SimpleNamespace(snapshots=snapshots, final=snapshots[max(snapshots)])


SAME_QUANTITY = [("graduation_consumption_24", "2a"), ("microcredit_consumption_24", "5b"),
                 ("training_wage_job_18", "6a"), ("training_income_18", "6b")]
"""Each calibration moment of the default file and the validation row of the same source."""


@pytest.mark.slow
@pytest.mark.parametrize(("name", "number"), SAME_QUANTITY)
def test_moment_equals_its_validation_row_on_the_same_runs(name: str, number: str) -> None:
    spec = spec_io.read(DEFAULT_FILE)
    moment = next(m for m in spec.moments if m.name == name)
    row = next(t for t in TARGETS if t.number == number)
    assert row.compute.month == moment.month
    settings = replace(spec.settings, households=150, months=moment.month, seeds=(3,))
    simulator = Simulator([moment], settings)
    runs = {s: stored(run(base, 3, {})) for s, base in simulator.bases.items()}
    evaluation = SimpleNamespace(run=lambda scenario, _seed: runs[scenario])
    assert simulator({})[name] == pytest.approx(row.compute(evaluation, 3), rel=1e-9)


def test_pooled_runs_keep_their_households_apart() -> None:
    """Runs have more rows than households once entrants join; pooled panels of several runs
    must not give two households one id."""
    spec = spec_io.read(DEFAULT_FILE)
    settings = replace(spec.settings, households=60, months=6, seeds=(1, 2))
    moment = replace(spec.calibration_moments()[0], month=6)
    simulator = Simulator([moment], settings)
    snapshots = run(simulator.bases[BASELINE], 1, {})
    assert id_span(snapshots) > settings.households
    pooled = simulator.panels({})
    for frame in pooled.values():
        assert not frame.duplicated(["household_id", "month"]).any()
        assert (frame.groupby("household_id")["programme"].nunique() == 1).all()
