"""Shared helpers: small configurations and a deterministic reference-household roster."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments import load_config
from model import Config

CLI = str(Path(sys.executable).with_name("empowernet"))
"""The installed console command of this environment."""


@pytest.fixture(scope="session")
def small() -> Config:
    """The default scenario at a test size: 500 households, 36 months, invariants on."""
    return load_config(["population.households=500", "months=36", "validate=true"])


def reference_roster(path: Path, assets: np.ndarray, confidence: float = 0.6,
                     culture: float = 0.6, size: int = 3) -> Path:
    """A roster of reference households (A*theta = 1, gates open) at the given assets."""
    theta = 1.0 + 0.6 * confidence  # skill 0, phi_e = 0.6 (the defaults)
    pd.DataFrame({
        "household_id": [f"R{i}" for i in range(len(assets))], "size": size,
        "assets_z": assets, "skill": 0.0, "confidence": confidence, "culture": culture,
        "savings_z": 0.0, "productivity": 1.0 / theta, "aspiration_z": 1.0,
    }).to_csv(path, index=False)
    return path


DETERMINISTIC = [
    "shocks.p_shock=0", "status.p_exit=0", "labour.p_casual=1", "labour.casual_wage_z=0.9",
    "labour.p_find=0", "consumption.saving_rule=fixed", "behaviour.peer_effect=0",
    "behaviour.own_outcome_effect=0", "behaviour.role_model_lift=0",
    "behaviour.culture_adapt=0", "population.mean_size=3", "network.degree=0",
    "transfers.pension_indexed=true", "labour.adult_returns=0",
    "population.elderly_member_share=0",
]
"""Overrides that make a household's month deterministic: expected casual pay, no shocks, no
exits, no job search, the reference saving rate and no social influence on the gates; every
household has a working-age adult and earns as one adult (the labour of any number of adults is
1 with ``adult_returns=0``), so its composition does not matter."""
