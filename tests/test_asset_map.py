"""The asset map on constructed households: bins, intervals over seeds, zero crossings and
their uncertainty, the households counted, and the split by household type."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from experiments.analysis import asset_map
from experiments.analysis import asset_map_report as report

EDGES = np.array([0.0, 10.0, 20.0, 30.0])
START = np.array([2.0, 4.0, 12.0, 14.0, 16.0, 22.0, 28.0])
CHANGE = np.array([1.0, 3.0, -1.0, -2.0, -3.0, 2.0, 4.0])


def test_the_binned_map_of_known_changes() -> None:
    curve = asset_map.binned(START, CHANGE, edges=EDGES)
    assert curve.centre == pytest.approx([3.0, 14.0, 25.0])
    assert curve.change == pytest.approx([2.0, -2.0, 3.0])
    assert list(curve.households) == [2, 3, 2]
    assert curve.growing == pytest.approx([1.0, 0.0, 1.0])
    assert np.isnan(curve.low).all() and np.isnan(curve.high).all()  # one seed: no interval
    # from +2 at 3 z to -2 at 14 z: zero at 3 + 11 * 2/4; from -2 at 14 z to +3 at 25 z:
    # zero at 14 + 11 * 2/5
    points = asset_map.fixed_points(curve)
    assert [(p.level, p.stable) for p in points] == [(pytest.approx(8.5), True),
                                                     (pytest.approx(18.4), False)]
    assert asset_map.binned(START, CHANGE, edges=EDGES, min_households=3).centre == \
        pytest.approx([14.0])


def test_each_bin_is_a_mean_over_seeds_with_its_interval() -> None:
    start = np.array([2.0, 4.0, 6.0, 12.0, 14.0])
    change = np.array([1.0, 3.0, 5.0, -1.0, -1.0])
    seed = np.array([0, 0, 1, 0, 1])
    curve = asset_map.binned(start, change, seed, EDGES[:3])
    # first bin: seed 0 gains (1 + 3) / 2 = 2, seed 1 gains 5; the mean of the seeds is 3.5
    half = stats.t.ppf(0.975, 1) * np.std([2.0, 5.0], ddof=1) / np.sqrt(2.0)
    assert curve.change == pytest.approx([3.5, -1.0])
    assert curve.low[0] == pytest.approx(3.5 - half)
    assert curve.high[0] == pytest.approx(3.5 + half)
    assert curve.centre[0] == pytest.approx(4.0)  # every household of the bin, every seed


def test_a_fixed_point_spans_the_levels_where_the_band_contains_zero() -> None:
    change = np.array([1.0, 0.5, -1.0, 1.0, 2.0])
    curve = asset_map.Curve(np.arange(0.0, 50.0, 10.0), change, change - 0.8, change + 0.8,
                            np.full(5, 100), np.full(5, 0.5))
    stable, unstable = asset_map.fixed_points(curve)
    # stable: 10 + 10 * 0.5 / 1.5; the band leaves zero where its lower edge (-0.3 at 10 z,
    # 0.2 at 0 z) and its upper edge (1.3 at 10 z, -0.2 at 20 z) cross it
    assert (stable.stable, stable.level) == (True, pytest.approx(40.0 / 3.0))
    assert (stable.low, stable.high) == (pytest.approx(4.0), pytest.approx(10.0 + 13.0 / 1.5))
    # unstable: halfway between 20 z (-1) and 30 z (+1); upper edge -0.2 at 20 z, 1.8 at
    # 30 z; lower edge -1.8 at 20 z, 0.2 at 30 z
    assert (unstable.stable, unstable.level) == (False, pytest.approx(25.0))
    assert (unstable.low, unstable.high) == (pytest.approx(21.0), pytest.approx(29.0))


def test_without_seeds_to_compare_a_fixed_point_has_no_uncertainty() -> None:
    point, _ = asset_map.fixed_points(asset_map.binned(START, CHANGE, edges=EDGES))
    assert np.isnan(point.low) and np.isnan(point.high)


def test_bins_of_equal_counts_split_households_in_order_of_assets() -> None:
    start = np.random.default_rng(0).uniform(0.0, 40.0, 1234)
    curve = asset_map.binned(start, np.ones_like(start))
    groups = np.array_split(np.sort(start), 12)  # 1234 // 100 bins
    assert curve.centre == pytest.approx([g.mean() for g in groups], rel=1e-12)
    assert list(curve.households) == [len(g) for g in groups]
    assert asset_map.binned(start[:150], start[:150]).centre.size == 0  # fewer than 2 bins


def snapshots() -> pd.DataFrame:
    """Two seeds, months 0 and 12. Row 0 (2 people, 1 adult, female-headed) starts just below
    k* = 20 and loses 1 z (seed 0) or 3 z (seed 1); row 1 (4 people, 2 adults) starts just
    above and gains 2 or 4 z; row 2 (5 people, 3 adults) starts at 5 z and gains 1; row 3
    leaves before month 12 and row 4 enters after month 0: neither is counted."""
    rows = []
    for seed, (loss, gain) in enumerate(((1.0, 2.0), (3.0, 4.0))):
        for row, size, adults, female, start, change in ((0, 2, 1, 1, 15.0, -loss),
                                                          (1, 4, 2, 0, 22.0, gain),
                                                          (2, 5, 3, 1, 5.0, 1.0),
                                                          (3, 1, 0, 0, 10.0, 0.0),
                                                          (4, 3, 2, 1, 0.0, 8.0)):
            for month, assets in ((0, start), (12, start + change)):
                status = {(3, 12): "left", (4, 0): "pending"}.get((row, month), "supported")
                rows.append({"seed": seed, "month": month, "row": row, "status": status,
                             "assets": assets, "consumption": 0.8 * size, "size": size,
                             "adults": adults, "female_head": female})
    return pd.DataFrame(rows)


def test_a_year_counts_the_households_that_are_clients_at_both_ends() -> None:
    year = asset_map.year_changes(snapshots(), 0)
    assert sorted(year.index) == [(s, r) for s in (0, 1) for r in (0, 1, 2)]
    assert year.loc[(1, 0), "start"] == 15.0 and year.loc[(1, 0), "change"] == -3.0


def test_the_map_by_household_type() -> None:
    years = report.years(report.Baseline(snapshots(), 20.0))
    table = report.by_type(years, 20.0).set_index(["type", "group"])
    half = stats.t.ppf(0.975, 1) * np.std([-1.0, -3.0], ddof=1) / np.sqrt(2.0)
    everyone = table.loc[("all", "all households")]
    assert everyone["household_years"] == 6
    assert (everyone["below_change"], everyone["above_change"]) == (-2.0, 3.0)
    assert everyone["below_ci_low"] == pytest.approx(-2.0 - half)
    assert everyone["trap at k*"] == "not resolved"  # two seeds cannot tell
    small = table.loc[("household size", "1-2 people")]
    assert (small["share"], small["below_change"]) == (pytest.approx(1 / 3), -2.0)
    assert np.isnan(small["above_change"])  # nobody of 1-2 people starts above k*
    assert table.loc[("household size", "3-4 people"), "above_change"] == 3.0
    adults = table.loc["working adults"]
    assert list(adults.index) == ["1 working adult", "2 or more working adults"]
    assert list(adults["household_years"]) == [2, 4]
    assert list(table.loc["head of household", "household_years"]) == [4, 2]


def test_a_trap_needs_both_sides_beyond_their_intervals() -> None:
    assert report.trap({"below": (-1.0, -1.5, -0.5), "above": (1.0, 0.5, 1.5)}) == "yes"
    assert report.trap({"below": (-1.0, -1.5, -0.5), "above": (-0.3, -0.4, -0.2)}) == "no"
    assert report.trap({"below": (-1.0, -1.5, -0.5), "above": (0.1, -0.4, 0.6)}) == \
        "not resolved"


def test_the_shares_near_k_star_count_the_clients_of_each_snapshot() -> None:
    mass = report.near_threshold(report.Baseline(snapshots(), 20.0)).set_index("month")
    # month 0: rows 0-3 (15, 22, 5, 10 z; row 4 has not entered); month 12: rows 0, 1, 2
    # and the entrant 4 (8 z; row 3 has left)
    assert list(mass["below k*/2"]) == [0.25, 0.5]
    assert list(mass["k* or more"]) == [0.25, 0.25]
    assert list(mass["near k*"]) == [0.0, 0.0]
    assert mass.loc[0, "mean assets (z)"] == 13.0
