"""Household composition: the synthetic province's adults, children and elderly, and poverty by
household size at the start of a run (docs/model.md, "Household composition")."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from model import population
from model.params import Config, replace
from tests.helpers import HAND_WORKED


@pytest.fixture(scope="module")
def province():
    """The drawn starting state of 20,000 synthetic households (seed 0), month 0 flows set,
    with the productivity spread at which the casual pay was re-levelled (docs/model.md)."""
    cfg = replace(Config(), **HAND_WORKED)
    state = population.synthetic(cfg, 20_000)
    population.start_flows(state, cfg)
    return state


def test_composition_adds_up_to_size_with_a_working_age_head_unless_all_are_elderly(
        province) -> None:
    adults, children, elderly, size = (province.field(name) for name in
                                       ("adults", "children", "elderly", "size"))
    np.testing.assert_array_equal(adults + children + elderly, size)
    assert np.all((adults >= 1) | (elderly == size))


def test_composition_matches_the_census_shares_of_persons(province) -> None:
    # 2016 census (Statistical Centre of Iran): 24 % under 15, 69.9 % aged 15-64, 6.1 % 65+
    persons = province.field("size").sum()
    assert province.field("children").sum() / persons == pytest.approx(0.24, abs=0.01)
    assert province.field("adults").sum() / persons == pytest.approx(0.699, abs=0.01)
    assert province.field("elderly").sum() / persons == pytest.approx(0.061, abs=0.005)


def test_poverty_at_the_start_is_no_longer_household_size(province) -> None:
    # with income per household, the review found 0 % poor at size 1, 0.8 % at 2, 95 % at 5+
    size = province.field("size")
    poor = province.field("consumption") / size < 1.0
    assert poor[size == 1].mean() > 0.02
    assert poor[size == 2].mean() > 0.05
    assert poor[size >= 5].mean() < 0.90
    assert poor.mean() == pytest.approx(0.478, abs=0.01)  # the province's headcount kept


@pytest.mark.parametrize("p", [0.0, 0.08, 0.3, 0.61, 1.0])
def test_binomial_draws_by_inversion_agree_with_scipy(p: float) -> None:
    generator = np.random.default_rng(7)
    trials = generator.integers(0, 41, size=200_000)
    u = np.clip(generator.random(200_000), 1e-12, 1.0 - 1e-12)
    expected = stats.binom.ppf(u, trials, p).astype(np.int32)
    assert np.array_equal(population.binomial_quantile(u, trials, p), expected)


def test_a_binomial_draw_is_the_smallest_count_whose_distribution_reaches_u() -> None:
    # two trials at p = 0.5: P(0) = 0.25, P(<=1) = 0.75, P(<=2) = 1
    u = np.array([1e-12, 0.25, 0.2500001, 0.75, 0.7500001, 1.0 - 1e-12, 0.5])
    trials = np.array([2, 2, 2, 2, 2, 2, 0])
    assert population.binomial_quantile(u, trials, 0.5).tolist() == [0, 0, 1, 1, 2, 2, 0]


@pytest.mark.slow  # a subprocess
def test_the_model_starts_without_importing_scipy_stats() -> None:
    # importing scipy.stats takes about a quarter of a second of every start
    code = ("import sys; from empowernet import EmpowermentModel; "
            "EmpowermentModel(households=50, months=1, rng=1).step(); "
            "print('scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
