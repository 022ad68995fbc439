"""Validation: the status of a row, the null models, the trap rows and the equal-cost arms.

The statuses are checked on constructed figures and the trap rows on constructed asset
distributions; the null models are checked to load and to differ from the default only where
their files say. The full-size table is ``empowernet validate --write docs/validation.md``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import yaml

from experiments.analysis import validation_measures as vm
from experiments.analysis.statistics import interval
from experiments.analysis.validation import (
    CALIBRATED,
    MISS,
    NOT_DISCRIMINATING,
    NOT_MEASURABLE,
    PASS,
    TARGETS,
    Study,
    default_with_interval,
    evaluate,
    row_status,
    unused_targets,
)
from experiments.analysis.validation_nulls import (
    DEFAULT,
    NULL_DIR,
    NULLS,
    Calibration,
    world_overrides,
)
from experiments.analysis.validation_report import effect_plot, sizes_said, table_markdown
from experiments.config import load_config
from model.params import to_dict
from model.threshold import asset_threshold, dose_threshold, fixed_points

BAND = (3.0, 10.0)
NAN = float("nan")


# ---- the status of a row ------------------------------------------------------------------
def test_a_row_every_null_also_passes_is_not_discriminating() -> None:
    assert row_status(7.0, BAND, [6.0, 8.0, 9.9]) == NOT_DISCRIMINATING


def test_a_row_passes_when_one_null_is_out_of_the_band() -> None:
    assert row_status(7.0, BAND, [6.0, 25.0, 8.0]) == PASS
    assert row_status(7.0, BAND, [NAN, 25.0, 8.0]) == PASS


def test_a_null_that_could_not_be_measured_is_not_out_of_the_band() -> None:
    assert row_status(7.0, BAND, [6.0, NAN, 8.0]) == NOT_DISCRIMINATING
    assert row_status(7.0, BAND, [NAN, NAN, NAN]) == NOT_DISCRIMINATING


def test_a_default_out_of_its_band_is_a_miss_whatever_the_nulls() -> None:
    assert row_status(12.0, BAND, [25.0, 1.0, 2.0]) == MISS
    assert row_status(12.0, BAND, [NAN]) == MISS
    assert row_status(float("inf"), BAND, [25.0]) == MISS


def test_a_default_that_could_not_be_measured_is_not_a_miss() -> None:
    assert row_status(NAN, BAND, [25.0]) == NOT_MEASURABLE
    assert row_status(NAN, BAND, [NAN], calibrated=True) == NOT_MEASURABLE


def _table(statuses: dict[str, str]) -> pd.DataFrame:
    """A validation table of one row per number with ``statuses``, every figure 7."""
    return pd.DataFrame([{"number": number, "claim": "c", "measure": "m", "published": "p",
                          "band_low": 3.0, "band_high": 10.0, "simulated": 7.0, "ci_low": NAN,
                          "ci_high": NAN, "seeds": 1, **{f"null_{w}": 7.0 for w in NULLS},
                          "cash_equal": NAN, "asset_equal": NAN, "status": status}
                         for number, status in statuses.items()])


def test_the_tally_counts_rows_not_measurable_apart_and_says_how_to_measure_them() -> None:
    page = table_markdown(_table({"1a": NOT_MEASURABLE, "1b": MISS, "1d": NOT_MEASURABLE,
                                  "2a": PASS}))
    tally = page.splitlines()[-1]
    assert tally.startswith("Of 4 rows: 1 pass, 0 not discriminating, 1 miss, 2 not "
                            "measurable, 0 calibrated. Not measurable: rows 1a, 1d, whose ")
    assert "that is not a miss" in tally and "`--households`, `--seeds`" in tally
    plain = table_markdown(_table({"1b": MISS, "2a": PASS})).splitlines()[-1]
    assert plain == "Of 2 rows: 1 pass, 0 not discriminating, 1 miss, 0 calibrated."


def test_a_row_arithmetic_of_its_parameter_is_calibrated() -> None:
    assert row_status(7.0, BAND, [25.0], calibrated=True) == CALIBRATED
    assert {t.number for t in TARGETS if t.calibrated} == {"5a", "P2"}


def test_one_sided_bands_test_a_sign() -> None:
    above = (0.0, float("inf"))
    assert row_status(0.4, above, [-0.1]) == PASS
    assert row_status(-0.4, above, [0.5]) == MISS


# ---- the table ----------------------------------------------------------------------------
def test_every_target_names_its_published_source() -> None:
    numbers = [t.number for t in TARGETS]
    assert {"1a", "1d", "1e", "2a", "2d", "3", "4a", "5a", "6a"} <= set(numbers)
    assert len(set(numbers)) == len(numbers)
    for t in TARGETS:
        assert t.band[0] < t.band[1]
        assert any(ch.isdigit() for ch in t.published) or "(" in t.published


def test_package_rows_carry_equal_cost_benchmarks() -> None:
    assert {t.number for t in TARGETS if t.benchmarked} == {"2a", "2b", "5b", "6a", "6b"}


def test_a_benchmark_is_the_same_measure_of_another_arm() -> None:
    for measure in (vm.ArmEffect("training", "training", 18, "income"),
                    vm.ArmShareGain("training", "training", 18, "wage_job")):
        moved = measure.on("cash_equal", "cash_transfer")
        assert type(moved) is type(measure) and isinstance(moved, vm.ArmMeasure)
        assert (moved.arm, moved.programme) == ("cash_equal", "cash_transfer")
        assert moved.on("training", "training") == measure


def test_growth_of_effects_is_measured_on_all_treated_households() -> None:
    row = next(t for t in TARGETS if t.number == "3")
    assert row.compute == vm.Ratio(vm.ArmEffect("graduation", "asset_grant", 84),
                                   vm.ArmEffect("graduation", "asset_grant", 24))


def test_rows_set_from_no_parameter_are_listed() -> None:
    # P1 (new graduations under business as usual) is a source of the shipped calibration
    assert set(unused_targets()) == {"1a", "1b", "1c", "1d", "1e", "2d"}


def test_interval_is_a_student_t_interval() -> None:
    mean, lo, hi = interval([1.0, 2.0, 3.0])
    assert mean - lo == pytest.approx(hi - mean)
    assert mean == 2.0
    assert hi - mean == pytest.approx(4.302653 * 1.0 / np.sqrt(3), rel=1e-6)
    assert np.isnan(interval([5.0])[1]) and interval([5.0])[0] == 5.0


# ---- the null models ----------------------------------------------------------------------
def _flat(values: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in values.items():
        if isinstance(value, dict):
            out |= _flat(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


@pytest.mark.parametrize("scenario", ["baseline", "graduation"])
@pytest.mark.parametrize("null", NULLS)
def test_a_null_differs_from_the_default_only_where_its_file_says(null, scenario) -> None:
    said = _flat(yaml.safe_load((NULL_DIR / f"{null}.yaml").read_text(encoding="utf-8")))
    default = _flat(to_dict(load_config([f"scenario={scenario}"])))
    changed = _flat(to_dict(load_config([f"scenario={scenario}", *world_overrides(null)])))
    differ = {key for key in default if default[key] != changed[key]}
    assert differ == set(said)
    assert all(changed[key] == value for key, value in said.items())


def test_the_default_model_needs_no_override_and_unknown_models_are_refused() -> None:
    assert world_overrides(DEFAULT) == []
    with pytest.raises(ValueError, match="no_trap"):
        world_overrides("no_such_model")


def test_the_no_trap_world_is_convex_and_doses_the_same_money() -> None:
    default, no_trap = load_config(), load_config(world_overrides("no_trap"))
    assert asset_threshold(no_trap) == 0.0
    assert [p.stable for p in fixed_points(no_trap)] == [True]
    assert dose_threshold(no_trap) == dose_threshold(default) == 20.0


@pytest.mark.slow
def test_the_no_trap_calibration_hits_the_default_headcount() -> None:
    calibration = Calibration()
    target = calibration.headcount(world_overrides(DEFAULT))
    assert calibration.headcount(world_overrides("no_trap")) == pytest.approx(target, abs=0.005)


# ---- the trap rows on constructed distributions ---------------------------------------------
def _trap_world(n: int = 4000, k_star: float = 20.0) -> vm.AssetMap:
    """Households below k* drift to 5 z, those above to 50 z: an S-shaped map."""
    rng = np.random.default_rng(0)
    start = rng.uniform(0.5, 60.0, n)
    target = np.where(start < k_star, 5.0, 50.0)
    return vm.AssetMap(start, start + 0.3 * (target - start), k_star)


def _convex_world(n: int = 4000) -> vm.AssetMap:
    """Every household drifts to 30 z: one stable point, no threshold."""
    rng = np.random.default_rng(0)
    start = rng.uniform(0.5, 60.0, n)
    return vm.AssetMap(start, start + 0.3 * (30.0 - start), 20.0)


def test_trap_rows_on_an_s_shaped_map() -> None:
    amap = _trap_world()
    assert vm.unstable_point_over_threshold(amap) == pytest.approx(1.0, abs=0.1)
    assert vm.change_above_threshold(amap) > 0 > vm.change_below_threshold(amap)
    assert vm.stable_points_apart(amap) == pytest.approx(45.0 / 20.0, abs=0.15)


def test_trap_rows_on_a_convex_map() -> None:
    amap = _convex_world()
    assert np.isnan(vm.unstable_point_over_threshold(amap))
    assert vm.change_below_threshold(amap) > 0
    assert vm.stable_points_apart(amap) == pytest.approx(0.0)


def test_a_valley_between_two_modes_and_none_in_one_mode() -> None:
    rng = np.random.default_rng(1)
    two = np.concatenate([rng.normal(5.0, 1.5, 3000), rng.normal(30.0, 3.0, 1000)])
    one = rng.exponential(8.0, 4000)
    valley = vm.valley_between_modes(vm.AssetMap(two, two, 20.0))
    assert valley < 0.1
    assert vm.valley_between_modes(vm.AssetMap(one, one, 20.0)) > 0.6


# ---- equal-cost benchmarks and a reduced-size table ------------------------------------------
def test_benchmark_arms_cost_what_the_package_costs() -> None:
    study = Study("validation_graduation", households=200, seeds=1)
    package = load_config([*study.overrides(), "scenario=graduation"]).programmes.asset_grant
    arms = {p.name: p.config.programmes for p in study.benchmark_plan(20.0)}
    cash, asset = arms["cash_equal"].cash_transfer, arms["asset_equal"].asset_grant
    assert cash.dose + cash.unit_cost_z * cash.duration_months == pytest.approx(20.0)
    assert asset.dose * 20.0 + asset.unit_cost_z * asset.duration_months == pytest.approx(20.0)
    assert study.benchmark_money(20.0) == pytest.approx(
        {"cash_equal": cash.dose, "asset_equal": asset.dose * 20.0})
    for arm in (cash, asset):
        assert (arm.targeting, arm.coverage, arm.max_consumption_pc_z) == \
            (package.targeting, package.coverage, package.max_consumption_pc_z)


@pytest.mark.slow
def test_a_reduced_size_table_has_every_model_and_the_benchmarks(tmp_path) -> None:
    rows = tuple(t for t in TARGETS if t.number in ("1b", "2a"))
    table = evaluate(households=300, seeds=2, targets=rows, runs_dir=tmp_path).set_index("number")
    for null in NULLS:
        assert np.isfinite(table[f"null_{null}"]).all()
    assert np.isfinite(table.loc["2a", ["cash_equal", "asset_equal"]].astype(float)).all()
    assert np.isnan(float(table.loc["1b", "cash_equal"]))
    # above k* households accumulate with or without a trap: no null model leaves the band
    assert table.loc["1b", "status"] == NOT_DISCRIMINATING
    for _, row in table.iterrows():
        nulls = [row[f"null_{null}"] for null in NULLS]
        band = (row["band_low"], row["band_high"])
        assert row["status"] == row_status(row["simulated"], band, nulls)


def test_the_effect_figures_legend_covers_no_data(tmp_path) -> None:
    """It sat over the asset-equal line's month-48 point: beside the axes, it covers none."""
    study = Study("validation_graduation", households=200, seeds=1)
    figure = effect_plot(study.evaluate(tmp_path), study.seed_list())
    figure.canvas.draw()
    axes = figure.axes[0]
    legend = axes.get_legend().get_window_extent()
    plt.close(figure)
    assert not legend.overlaps(axes.get_window_extent())


def test_the_page_says_how_far_a_reduced_size_can_be_trusted() -> None:
    assert sizes_said(None, None, 10) == ("10 seeds, sizes as in the experiment files", "")
    runs, note = sizes_said(300, 1, 1)
    assert runs == "1 seed, 300 households per run"
    assert note.startswith("**Reduced size: 300 households per run, 1 seed.** With one seed "
                           "there are no intervals, and each verdict rests on one replication;")
    _, note = sizes_said(None, 4, 4)
    assert note.startswith("**Reduced size: sizes as in the experiment files, 4 seeds.** The "
                           "intervals are wide at this size;")


def test_a_figure_without_an_interval_is_shown_alone_and_one_not_computed_as_n_a() -> None:
    # one seed gives no interval: its progress line and table cell show no '[nan, nan]'
    assert default_with_interval({"simulated": 4.4612, "ci_low": 3.1, "ci_high": 5.24}) == \
        "4.46 [3.1, 5.24]"
    assert default_with_interval({"simulated": 4.4612, "ci_low": np.nan, "ci_high": np.nan}) \
        == "4.46"
    assert default_with_interval({"simulated": np.nan, "ci_low": np.nan, "ci_high": np.nan}) \
        == "n/a"
