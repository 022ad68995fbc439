"""Shared fixtures; helpers that tests import are in ``tests/helpers.py``."""

from __future__ import annotations

import pytest

from experiments import load_config
from model import Config


@pytest.fixture(scope="session")
def small() -> Config:
    """The default scenario at a test size: 500 households, 36 months after a 12-month burn-in
    (the default's 240 would make the Python engine's tests slow), invariants on."""
    return load_config(["population.households=500", "months=36", "validate=true",
                        "population.burn_in_months=12"])
