"""The model's defaults of the estimated keys are the shipped calibration's posterior medians,
written by one command."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from experiments.calibration.outputs import SUMMARY
from experiments.calibration.ship import PARAMS_SOURCE, SHIPPED, ship, shipped_defaults
from model.params import describe


def test_defaults_are_the_committed_posterior_medians() -> None:
    if not (SHIPPED / SUMMARY).exists():
        pytest.skip("no calibration is committed in data/calibration/default yet")
    defaults = {row["key"]: row["default"] for row in describe()}
    shipped = shipped_defaults(SHIPPED)
    assert shipped and {key: defaults[key] for key in shipped} == shipped


def test_ship_writes_rounded_medians_with_a_comment_once(tmp_path: Path) -> None:
    folder = tmp_path / "calibration"
    folder.mkdir()
    pd.DataFrame({"parameter": ["enterprise.confidence_effect", "consumption.sigma_max"],
                  "median": [0.4567891, 0.123456]}).to_csv(folder / SUMMARY, index=False)
    target = tmp_path / "params.py"
    target.write_text(PARAMS_SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    assert ship(folder, target) == {"enterprise.confidence_effect": 0.457,
                                    "consumption.sigma_max": 0.123}
    ship(folder, target)
    text = target.read_text(encoding="utf-8")
    assert "    confidence_effect: float = param(0.457," in text
    assert "    sigma_max: float = param(0.123," in text
    assert text.count("# posterior median of calibration (docs/calibration.md)") == 2
