"""The poverty trap against theory: fixed points of the asset map and the threshold k*."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy.optimize import brentq

from empowernet import EmpowermentModel
from experiments import load_config
from model import threshold
from model.state import ASSETS, ENTERPRISE_HIGH, HIGH_TECH_MONTHS
from model.threshold import asset_map, asset_threshold
from tests.helpers import DETERMINISTIC, reference_roster

# the reference household's working-age adults and expected casual pay (docs/model.md):
# a_ref = 1 + (3.4 (1 - 0.061) - 1)(1 - 0.372); casual work with probability 0.6 pays
# 1.09 a_ref^0.5; its enterprise has the reference labour, so theta is that of MODEL.md §3
A_REF = 1 + (3.4 * (1 - 0.061) - 1) * (1 - 0.372)
CASUAL = 0.6 * 1.09 * A_REF ** 0.5  # 1.008 z
DETERMINISTIC_CASUAL = 1.0 * 0.9  # tests.helpers.DETERMINISTIC: p_casual 1, 0.9 z, one adult
K_LOW, K_HIGH = 5.06, 54.9  # z: the reference household's fixed points (docs/model.md)


def change_low(k: float, size: float, sigma: float = 0.10, casual: float = CASUAL) -> float:
    """One-month asset change on the low technology, written from MODEL.md §3 by hand:
    without the indivisible asset, half the saving is kept liquid (psi = 0.5)."""
    cash = 1.715 * k ** 0.065 + casual + 0.1 * size
    return (1 - 0.5) * sigma * (cash - 0.6 * size) - 0.012 * k


def change_high(k: float, size: float, sigma: float = 0.10, casual: float = CASUAL) -> float:
    """The same on the high technology (theta_H = 1.2, gamma_H = 0.45)."""
    cash = 1.2 * k ** 0.45 + casual + 0.1 * size
    return sigma * (cash - 0.6 * size) - 0.012 * k


def test_default_threshold_matches_hand_calculation() -> None:
    cfg = load_config([])
    n = 3.4
    k_low = brentq(change_low, 2.0, 19.9, args=(n,))
    k_high = brentq(change_high, 20.0, 500.0, args=(n,))
    # the low branch falls at k_min = 20 and the high branch rises there: k* is the jump
    assert change_low(20.0, n) < 0 < change_high(20.0, n)
    assert asset_threshold(cfg) == pytest.approx(20.0, rel=0.01)
    assert k_low == pytest.approx(K_LOW, abs=0.05)
    assert k_high == pytest.approx(K_HIGH, abs=0.5)
    for k in (k_low, k_high):  # the fixed points of the code's map are the hand-computed ones
        assert asset_map(np.array([k]), cfg, months=1)[0] == pytest.approx(k, rel=1e-6)


@pytest.mark.parametrize("k_min", [15.0, 25.0])
def test_threshold_follows_the_indivisible_asset(k_min: float) -> None:
    n = 3.4
    assert change_low(k_min, n) < 0 < change_high(k_min, n)
    assert asset_threshold(load_config([f"enterprise.k_min_z={k_min}"])) == \
        pytest.approx(k_min, rel=0.01)


@pytest.mark.parametrize(("overrides", "why"), [
    (["enterprise.k_min_z=4"], "the high technology opens below the poor equilibrium"),
    (["consumption.reference_saving_rate=0.06"], "too little saving to reach k_H"),
])
def test_without_a_middle_equilibrium_only_the_destitution_edge_is_left(overrides, why) -> None:
    n = 3.4
    sigma = 0.06 if "0.06" in overrides[0] else 0.10
    k_min = 4.0 if "k_min" in overrides[0] else 20.0
    if k_min == 4.0:
        assert change_low(k_min, n, sigma) > 0 and change_high(k_min, n, sigma) > 0, why
    else:
        assert change_high(k_min, n, sigma) < 0, why
    assert asset_threshold(load_config(overrides)) < 1.0


def sign_changes(k: np.ndarray, after: np.ndarray) -> list[tuple[float, bool]]:
    """Crossings of the 45-degree line: (assets, stable?)."""
    d = after - k
    out = []
    for j in np.nonzero(np.sign(d[:-1]) != np.sign(d[1:]))[0]:
        out.append((float(0.5 * (k[j] + k[j + 1])), bool(d[j] > 0)))
    return out


def test_twelve_month_map_has_three_fixed_points_above_destitution() -> None:
    cfg = load_config([])
    k = np.geomspace(1.0, 200.0, 4000)
    points = sign_changes(k, asset_map(k, cfg, months=12))
    assert [stable for _, stable in points] == [True, False, True]
    assert points[1][0] == pytest.approx(asset_threshold(cfg), rel=0.01)


def test_no_trap_switch_removes_the_threshold() -> None:
    cfg = load_config(["enterprise.trap=false"])
    k = np.geomspace(1.0, 200.0, 4000)
    points = sign_changes(k, asset_map(k, cfg, months=12))
    assert [stable for _, stable in points] == [True]
    assert asset_threshold(cfg) < 1.0  # only the destitution edge is left


def simulated_map(tmp_path, overrides: list[str], k0: np.ndarray, months: int) -> np.ndarray:
    """The engine's map of reference households; like the analytic map, that of established
    enterprises (no time to build: every household starts it at 0 months)."""
    roster = reference_roster(tmp_path / "reference.csv", k0)
    cfg = load_config(["population=pilot", f"population.roster_path={roster}",
                       f"months={months}", "validate=true", "enterprise.ramp_months=0",
                       *DETERMINISTIC, *overrides])
    m = EmpowermentModel(cfg).run()
    return m.state.field("assets").copy(), m.asset_threshold


def cash_above_subsistence_buys_the_gap(k: float, size: float) -> float:
    """Cash above subsistence on the low technology (casual pay 0.9 z, pension 0.1 z per
    person) less the purchase that makes next month's assets k_min = 20 z, by hand."""
    spare = 1.715 * k ** 0.065 + 0.9 + 0.1 * size - 0.6 * size
    return spare - (20.0 - (1 - 0.012) * k)


def test_engine_map_has_the_analytic_threshold_less_one_months_reach(tmp_path) -> None:
    # k* of the asset map (no purchases) is the jump at k_min; in the engine a household
    # without liquid savings buys the indivisible asset as soon as one month's cash above
    # subsistence covers the gap, so its map turns up where that first holds (about 18.8 z):
    # below, the gap grows faster than its liquid savings
    k0 = np.geomspace(1.0, 150.0, 600)
    after, k_star = simulated_map(tmp_path, [], k0, 12)
    points = sign_changes(k0, after)
    assert [stable for _, stable in points] == [True, False, True]
    n = 3.0
    assert k_star == pytest.approx(20.0, rel=0.01)
    reach = brentq(cash_above_subsistence_buys_the_gap, 10.0, 20.0, args=(n,))
    assert points[1][0] == pytest.approx(reach, rel=0.01)
    assert points[0][0] == pytest.approx(
        brentq(change_low, 2.0, 19.9, args=(n, 0.10, DETERMINISTIC_CASUAL)), rel=0.02)


@pytest.mark.parametrize("engine", ["numba", "python"])
def test_households_above_threshold_accumulate_and_below_slide_back(tmp_path, engine) -> None:
    k_star = 20.0
    k0 = np.array([1.2 * k_star] * 5 + [0.8 * k_star] * 5)
    after, threshold = simulated_map(tmp_path, [f"engine={engine}"], k0, 36)
    assert threshold == pytest.approx(k_star)
    assert np.all(after[:5] > 1.2 * k_star * 1.1)
    assert np.all(after[5:] < 0.8 * k_star * 0.97)


def test_saving_rate_sets_whether_there_is_a_poor_equilibrium() -> None:
    cfg = load_config([])
    k = np.geomspace(1.0, 2000.0, 8000)
    # below k_min half the saving is kept liquid: by change_low, k_L goes at sigma ~ 0.34
    for sigma, poor_equilibrium in ((0.32, True), (0.37, False)):
        saving = dataclasses.replace(cfg.consumption, reference_saving_rate=sigma)
        stable = [p for p, s in sign_changes(k, asset_map(k, dataclasses.replace(
            cfg, consumption=saving))) if s]
        assert (len(stable) == 2) == poor_equilibrium and stable[-1] > 40.0


@pytest.mark.parametrize("engine", ["numba", "python"])
def test_a_new_high_technology_enterprise_earns_its_extra_income_over_the_ramp(
        tmp_path, engine) -> None:
    roster = reference_roster(tmp_path / "reference.csv", np.array([30.0, 30.0]))
    cfg = load_config(["population=pilot", f"population.roster_path={roster}", "months=3",
                       f"engine={engine}", *DETERMINISTIC])
    m = EmpowermentModel(cfg)
    state = m.state
    ramp = cfg.enterprise.ramp_months
    state.ints[1, HIGH_TECH_MONTHS] = ramp  # row 0 has just started; row 1 is established
    for month in (1, 2):
        k = state.field("assets").copy()
        low, high = 1.715 * k ** 0.065, 1.2 * k ** 0.45  # MODEL.md §3 by hand, A*theta = 1
        m.step()
        income = state.field("income")
        assert income[1] == pytest.approx(high[1] + 0.9, rel=1e-9)
        assert income[0] == pytest.approx(low[0] + month / ramp * (high[0] - low[0]) + 0.9,
                                          rel=1e-9)
        assert list(state.field("high_tech_months")) == [month, ramp]
    state.floats[0, ASSETS] = 15.0  # below k_min: a month on the low technology
    m.step()
    assert state.field("occupation")[0] != ENTERPRISE_HIGH
    assert state.field("high_tech_months")[0] == 2  # the experience is kept, not reset


def test_no_roster_household_starts_with_an_established_enterprise(tmp_path) -> None:
    """How far an enterprise has come is a rule of the month, not an initial condition: a
    roster (never burned in) starts every household's time to build at 0 months."""
    roster = reference_roster(tmp_path / "reference.csv", np.array([10.0, 19.9, 20.0, 40.0]))
    cfg = load_config(["population=pilot", f"population.roster_path={roster}"])
    assert EmpowermentModel(cfg).state.field("high_tech_months")[:4].tolist() == [0, 0, 0, 0]


class MapSectionsOnly:
    """A config that lets only the sections of ``threshold.MAP_SECTIONS`` be read."""

    def __init__(self, cfg) -> None:
        self.cfg = cfg

    def __getattr__(self, name: str):
        assert name in threshold.MAP_SECTIONS, f"the asset map reads config section {name}"
        return getattr(self.cfg, name)


@pytest.mark.parametrize("trap", [True, False])
def test_the_asset_map_reads_only_the_sections_k_star_is_remembered_by(trap: bool) -> None:
    cfg = load_config([f"enterprise.trap={str(trap).lower()}"])
    k = np.geomspace(1e-3, 1e4, 101)
    np.testing.assert_array_equal(threshold.reference_month(k, MapSectionsOnly(cfg)),
                                  threshold.reference_month(k, cfg))


def test_k_star_is_remembered_per_world_not_per_programme_or_seed() -> None:
    cfg = load_config(["consumption.sigma_max=0.21"])
    other = load_config(["scenario=graduation", "seed=9", "consumption.sigma_max=0.21"])
    changed = load_config(["enterprise.k_min_z=25"])
    assert asset_threshold(other) == asset_threshold(cfg) == threshold._threshold.__wrapped__(
        cfg, ())
    assert asset_threshold(changed) == threshold._threshold.__wrapped__(changed, ())
    assert asset_threshold(changed) != asset_threshold(cfg)
