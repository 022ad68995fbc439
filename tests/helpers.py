"""Test helpers shared by several test files: the console command, the calibrated keys at the
values hand-worked tests spell out, a deterministic month, a roster of reference households and
a roster with debts, and the modules that bind a name."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from experiments import load_config
from model.roster import example_frame
from tests.test_layers import LAYERS, ROOT

CLI = str(Path(sys.executable).with_name("empowernet"))
"""The installed console command of this environment."""


def modules_binding(name: str) -> list[str]:
    """The project's modules (paths from the checkout's root) that assign ``name`` at module
    level: a constant stated once has one."""
    return sorted(
        str(path.relative_to(ROOT))
        for package in LAYERS for path in (ROOT / package).rglob("*.py")
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name) and target.id == name)


HAND_WORKED: dict[str, float] = {
    "enterprise.confidence_effect": 0.6, "enterprise.culture_gate": 0.22,
    "consumption.sigma_max": 0.17, "population.productivity_log_sd": 0.30,
    "responses.training_skill_gain": 0.06, "responses.coaching_confidence_gain": 0.12,
    "responses.coaching_skill_gain": 0.01, "responses.coaching_culture_gain": 0.01,
    "responses.job_matching_effect": 3.0, "responses.incubation_productivity_gain": 0.3,
    "responses.campaign_aspiration_lift": 0.2, "responses.campaign_confidence_lift": 0.1,
    "responses.savings_group_rate": 0.05}
"""The keys the default calibration estimates, at the values the hand-worked tests write into
their formulas (the defaults before a calibration was shipped). Those tests set them, so that
shipping a calibration (``experiments.calibration.ship``) moves the model's defaults and not the
arithmetic the tests check."""
HAND_WORKED_OVERRIDES = [f"{key}={value}" for key, value in HAND_WORKED.items()]
""":data:`HAND_WORKED` as Hydra overrides."""


def reference_roster(path: Path, assets: np.ndarray, confidence: float = 0.6,
                     culture: float = 0.6, size: int = 3) -> Path:
    """A roster of reference households (A*theta = 1, gates open) at the given assets."""
    theta = 1.0 + HAND_WORKED["enterprise.confidence_effect"] * confidence  # skill 0
    pd.DataFrame({
        "household_id": [f"R{i}" for i in range(len(assets))], "size": size,
        "assets_z": assets, "skill": 0.0, "confidence": confidence, "culture": culture,
        "savings_z": 0.0, "productivity": 1.0 / theta, "aspiration_z": 1.0,
    }).to_csv(path, index=False)
    return path


DETERMINISTIC = [
    "shocks.p_shock=0", "status.p_exit=0", "status.p_entry=0", "labour.p_casual=1",
    "labour.casual_wage_z=0.9",
    "labour.p_find=0", "consumption.saving_rule=fixed", "behaviour.peer_effect=0",
    "behaviour.own_outcome_effect=0", "behaviour.role_model_lift=0",
    "behaviour.culture_adapt=0", "population.mean_size=3", "network.degree=0",
    "transfers.pension_indexed=true", "labour.adult_returns=0",
    "population.elderly_member_share=0", *HAND_WORKED_OVERRIDES,
]
"""Overrides that make a household's month deterministic: expected casual pay, no shocks, no
exits or entrants, no job search, the reference saving rate and no social influence on the
gates; every household has a working-age adult and earns as one adult (the labour of any
number of adults is 1 with ``adult_returns=0``), so its composition does not matter; the
calibrated keys at :data:`HAND_WORKED`."""


def debt_roster(path: Path, households: int, seed: int = 0) -> Path:
    """The synthetic roster of ``households`` households (``model.roster.example_frame``) in
    which every third household owes a debt: 2, 4, ... 16 z in turn, from easily repaid to
    more than many can service."""
    frame = example_frame(load_config([f"population.households={households}", f"seed={seed}"]))
    rows = np.arange(households)
    frame["debt_z"] = np.where(rows % 3 == 0, 2.0 * (1 + rows // 3 % 8), 0.0)
    frame.to_csv(path, index=False)
    return path
