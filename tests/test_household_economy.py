"""The household economy over the long run: confidence has no ratchet."""

from __future__ import annotations

import pytest

from empowernet import EmpowermentModel
from experiments import load_config

DRIFT_TOLERANCE = 0.05  # mean confidence over 120 months; the ratchet gave +0.20


def test_confidence_does_not_drift_with_programmes_off_and_no_shocks() -> None:
    # business as usual (no programme) without shocks, so that the -1 of a shock cannot
    # balance a ratchet: only a symmetric own outcome keeps mean confidence where it started
    cfg = load_config(["scenario=baseline", "population.households=3000", "months=120",
                       "shocks.p_shock=0", "seed=3"])
    confidence = EmpowermentModel(cfg).run().results().set_index("month")["confidence_mean"]
    assert confidence[120] == pytest.approx(confidence[0], abs=DRIFT_TOLERANCE)
