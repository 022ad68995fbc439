"""The committee's panel format (read and checked like a roster) and the moment statistics
computed from it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.calibration import panel
from experiments.calibration.panel_moments import panel_moments
from experiments.calibration.statistics import STATISTICS, WidePanel, compute, split
from experiments.cli import main

PILOT = Path(__file__).resolve().parents[1] / "data" / "pilot_panel.csv"


def small_panel() -> pd.DataFrame:
    """Two treated and two comparison households, surveyed at months 0 and 12 (one treated
    household has left by month 12)."""
    return pd.DataFrame({
        "household_id": ["A", "A", "B", "C", "C", "D", "D"],
        "month": [0, 12, 0, 0, 12, 0, 12],
        "persons": [4, 4, 2, 5, 5, 1, 1],
        "consumption_z": [2.0, 3.0, 4.0, 2.0, 2.0, 2.0, 2.5],
        "income_z": [1.0, 2.0, 3.0, 1.0, 1.0, 1.0, 1.0],
        "assets_z": [5.0, 9.0, 6.0, 5.0, 4.0, 5.0, 5.0],
        "employment": ["enterprise", "wage_job", "casual", "none", "none", "casual", "casual"],
        "status": ["supported", "graduated", "supported", "supported", "supported",
                   "supported", "supported"],
        "programme": ["graduation", "graduation", "graduation", "none", "none", "none",
                      "none"]})


def test_statistics_computed_by_hand() -> None:
    wide = WidePanel.of(small_panel())
    assert compute(wide, "mean_consumption", 12) == pytest.approx((3.0 + 2.0 + 2.5) / 3)
    assert compute(wide, "mean_consumption", 12, "treated") == pytest.approx(3.0)
    assert compute(wide, "change_assets", 12, "comparison") == pytest.approx(-0.5)
    assert compute(wide, "gap_consumption", 12) == pytest.approx(3.0 - 2.25)
    assert compute(wide, "gap_pct_consumption", 12) == pytest.approx(100 * (3.0 / 2.25 - 1))
    assert compute(wide, "gap_pct_consumption_pc", 12) == pytest.approx(
        100 * (3.0 / 4 / ((2.0 / 5 + 2.5 / 1) / 2) - 1))
    assert compute(wide, "mean_wage_job", 12) == pytest.approx(100 / 3)
    assert compute(wide, "gap_graduated", 12) == pytest.approx(100.0)
    assert np.isnan(compute(wide, "mean_consumption", 24))


def test_every_statistic_name_splits_into_kind_and_variable() -> None:
    assert {split(name)[0] for name in STATISTICS} == {"mean", "change", "gap", "gap_pct"}
    with pytest.raises(KeyError):
        split("median_consumption")


def test_panel_round_trips_and_shipped_pilot_reads(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    small_panel().to_csv(path, index=False)
    read = panel.read(path)
    pd.testing.assert_frame_equal(read, small_panel(), check_dtype=False)
    pilot = panel.read(PILOT)
    assert pilot["household_id"].nunique() >= 150
    assert set(pilot["programme"]) == {"graduation", "none"}


def test_panel_moments_cover_levels_changes_and_differences() -> None:
    measured = panel_moments(PILOT)
    moments = measured.moments
    statistics = {m.statistic for m in moments}
    assert {"change_consumption", "mean_wage_job", "gap_pct_consumption"} <= statistics
    assert {m.group for m in moments} == {"treated", "comparison", "all"}
    assert all(m.use == "calibrate" and m.uncertainty > 0 for m in moments)
    assert {m.month for m in moments} == {12, 24} and len(measured.digest) == 16
    correlation = measured.correlation
    assert correlation.shape == (len(moments), len(moments))
    assert np.allclose(np.diag(correlation), 1.0) and np.allclose(correlation, correlation.T)
    assert np.abs(correlation[np.triu_indices(len(moments), 1)]).max() > 0.5


def test_panel_without_comparison_group_gives_no_differences(tmp_path: Path) -> None:
    path = tmp_path / "treated_only.csv"
    frame = pd.read_csv(PILOT)
    frame[frame["programme"] == "graduation"].to_csv(path, index=False)
    moments = panel_moments(path).moments
    assert not any(m.statistic.startswith("gap") for m in moments)
    assert {m.group for m in moments} == {"treated"}


def rows_with(change: dict[int, dict[str, object]]) -> pd.DataFrame:
    """The small panel with some cells changed (row position -> column -> value)."""
    frame = small_panel().astype(object)
    for row, values in change.items():
        for column, value in values.items():
            frame.loc[row, column] = value
    return frame


BAD_PANELS = [
    (lambda: small_panel().drop(columns="status"), "column(s) status missing"),
    (lambda: rows_with({2: {"consumption_z": "lots"}}), "line 4, column 'consumption_z': "
     "'lots' is not a number"),
    (lambda: rows_with({1: {"assets_z": -1}}), "line 3, column 'assets_z': '-1' is out of "
     "range"),
    (lambda: rows_with({3: {"month": 1.5}}), "line 5, column 'month': '1.5' is not a whole"),
    (lambda: rows_with({4: {"employment": "farmer"}}), "line 6, column 'employment': 'farmer' "
     "is not allowed"),
    (lambda: rows_with({0: {"status": "left"}}), "line 2, column 'status': 'left'"),
    (lambda: rows_with({5: {"programme": "cash"}}), "line 7, column 'programme': 'cash'"),
    (lambda: rows_with({1: {"month": 0}}), "line 3, columns 'household_id', 'month': "
     "household 'A' already has a row for month 0"),
    (lambda: rows_with({0: {"month": 6}}), "line 2, column 'month': household 'A' has no "
     "month-0"),
    (lambda: rows_with({6: {"programme": "graduation"}}), "line 8, column 'programme': "
     "household 'D' has 'graduation' here and 'none'"),
    (lambda: rows_with({2: {"income_z": ""}}), "line 4, column 'income_z': the value is "
     "missing"),
    (lambda: rows_with({2: {"income_z": "inf"}}), "line 4, column 'income_z': 'inf' is out "
     "of range; income_z must be between"),  # as in a roster: a number, but out of range
]


@pytest.mark.parametrize(("make", "message"), BAD_PANELS)
def test_bad_panel_is_refused_naming_file_line_and_column(
        make, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    make().to_csv(path, index=False)
    with pytest.raises(panel.PanelError, match=r"panel .*bad\.csv"):
        panel.read(path)
    out = tmp_path / "calibration"
    assert main(["calibrate", "--panel", str(path), "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_an_empty_cell_of_a_parquet_panel_is_missing_not_the_text_nan(tmp_path: Path) -> None:
    path = tmp_path / "empty_id.parquet"
    rows_with({3: {"household_id": None}}).to_parquet(path)
    with pytest.raises(panel.PanelError, match="row 4, column 'household_id': the value is "
                                               "missing"):
        panel.read(path)


@pytest.mark.slow
def test_the_committed_pilot_panel_is_what_its_command_makes_now() -> None:
    # a change of the model's behaviour or defaults shows here: remake the panel with
    # `python -m experiments.calibration.pilot_panel` and rerun its study (docs/calibration.md)
    from experiments.calibration import spec as spec_io
    from experiments.calibration.pilot_panel import PILOT_SPEC, PROVINCE, SEED, pilot_panel

    made = pilot_panel(PROVINCE, SEED, spec_io.read(PILOT_SPEC)).to_csv(index=False)
    assert made == PILOT.read_text(encoding="utf-8")
