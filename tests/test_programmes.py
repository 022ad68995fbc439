"""Programmes: timing and dose exactly as configured, engines equal, budgets and capacities."""

from __future__ import annotations

import numpy as np
import pytest

from empowernet import ConfigError, EmpowermentModel
from experiments import load_config
from model import params
from model.invariants import InvariantError, check_network
from model.programmes import PROGRAMME_NAMES, PROGRAMMES
from model.state import ENROLLED, LEFT, STATUS, STATUSES, TIMERS
from tests.helpers import modules_binding

EVERYTHING = [f"programmes.{p}.enabled=true" for p in PROGRAMME_NAMES] + [
    "institutions.students=20", "institutions.professors=5", "institutions.professionals=5",
    "institutions.job_slots=5", "programmes.training.enrol_months=12",
    "programmes.mentoring.coverage=0.5", "programmes.consumption_support.coverage=0.5",
    "programmes.asset_grant.coverage=0.5", "programmes.incubation.start_month=2",
    "programmes.incubation.enrol_months=6",
    "programmes.cash_transfer.duration_months=3", "programmes.cash_transfer.coverage=0.3",
    "programmes.asset_grant.targeting=near_threshold_first",
    "programmes.microcredit.targeting=proxy_means", "programmes.training.targeting=lottery",
    "programmes.job_matching.targeting=all_eligible", "shocks.p_shock=0.03",
    "status.exit_months=6",
]
TIGHT_BUDGET = ["budget.limited=true", "budget.per_household_z=30"]


def cfg(*overrides: str, households: int = 500, months: int = 36):
    """A test configuration: a 12-month burn-in (quick with the Python engine too)."""
    return load_config([f"population.households={households}", f"months={months}",
                        "validate=true", "population.burn_in_months=12", *overrides])


def test_engines_agree_with_every_programme_active() -> None:
    config = cfg(*EVERYTHING)
    fast = EmpowermentModel(config)
    slow = EmpowermentModel(params.replace(config, engine="python"))
    statuses = set()
    for _ in range(config.months):
        fast.step()
        slow.step()
        np.testing.assert_array_equal(fast.state.ints, slow.state.ints)
        np.testing.assert_allclose(fast.state.floats, slow.state.floats, rtol=1e-9, atol=1e-12)
        np.testing.assert_array_equal(fast.mentors.caseload, slow.mentors.caseload)
        statuses |= set(np.unique(fast.state.ints[:, STATUS]).tolist())
    np.testing.assert_allclose(fast.results().to_numpy(float), slow.results().to_numpy(float),
                               rtol=1e-9)
    assert {STATUSES[s] for s in statuses} == set(STATUSES)
    r = fast.results()
    for name in PROGRAMME_NAMES:  # every programme really delivered something
        assert r[f"new_{name}"].sum() > 0, name
    assert r["mentored"].max() > 0 and r["loans_repaid"].sum() > 0


def test_budget_is_never_exceeded_and_the_results_say_when_it_ran_out() -> None:
    m = EmpowermentModel(cfg(*EVERYTHING, *TIGHT_BUDGET)).run()  # checked every month
    r = m.results()
    total = 30.0 * m.state.n
    assert r["spending_programmes_cumulative"].iloc[-1] <= total
    assert r["budget_committed"].max() <= total
    assert r["budget_exhausted"].iloc[-1] == 1
    unserved = sum(r[f"unserved_budget_{p}"].sum() for p in PROGRAMME_NAMES)
    assert unserved > 0


def test_capacity_limits_enrolment() -> None:
    m = EmpowermentModel(cfg("programmes.training.enabled=true",
                             "programmes.training.enrol_months=24",
                             "institutions.training_seats=10")).run()
    r = m.results()
    assert r["enrolled_training"].max() == 5  # 10 seats per 1,000 households of 500
    assert r["unserved_capacity_training"].iloc[1] > 0
    assert r["new_training"].sum() > 5  # seats are reused after each six-month course


def test_consumption_support_timing_and_dose_exactly_as_configured() -> None:
    m = EmpowermentModel(cfg("programmes.consumption_support.enabled=true",
                             "programmes.consumption_support.start_month=4",
                             "programmes.consumption_support.duration_months=5",
                             "programmes.consumption_support.dose=0.7",
                             "programmes.consumption_support.coverage=1.0",
                             "transfers.pension_per_person_z=0", "status.p_exit=0",
                             "status.p_entry=0", "status.exit_months=600", months=12))
    support = []
    for _ in range(12):
        m.step()
        support.append(m.state.field("transfers") / m.state.field("size"))
    support = np.array(support)
    assert np.allclose(support[:3], 0.0) and np.allclose(support[8:], 0.0)
    assert np.allclose(support[3:8], 0.7)  # months 4..8, 0.7 z per person, indexed
    r = m.results()
    assert list(r["enrolled_consumption_support"][1:]) == [0, 0, 0] + [500] * 5 + [0] * 4
    expected = 0.7 * m.state.field("size").sum() * 5
    assert r["spending_consumption_support_cumulative"].iloc[-1] == pytest.approx(expected)


def test_asset_grant_dose_and_cash_transfer_instalments() -> None:
    config = cfg("programmes.asset_grant.enabled=true", "programmes.asset_grant.dose=2.0",
                 "programmes.asset_grant.start_month=2", "programmes.cash_transfer.enabled=true",
                 "programmes.cash_transfer.dose=12", "programmes.cash_transfer.duration_months=4",
                 "shocks.p_shock=0", "status.p_entry=0", "population.burn_in_months=0",
                 months=8)
    m = EmpowermentModel(config)
    m.step()
    before = m.state.field("assets").copy()
    m.step()  # month 2: the grant (2 k* = 40 z) arrives before the household month
    granted = (m.state.field("enrolled_ever") >> PROGRAMME_NAMES.index("asset_grant")) & 1 == 1
    assert granted.sum() == m.results()["households_active"].iloc[1]
    delta = config.consumption.depreciation
    s = m.state
    expected = (1 - delta) * (before + 40.0) + s.field("investment")
    np.testing.assert_allclose(s.field("assets")[granted], expected[granted], rtol=1e-12)
    # this month: grant 40 + its delivery 2, cash instalment 12/4 = 3 + its delivery 0.5
    np.testing.assert_allclose(s.field("programme_cost")[granted], 45.5, rtol=1e-12)
    m.run()
    r = m.results()
    assert r["spending_asset_grant"].iloc[2] == pytest.approx(granted.sum() * 42.0)
    paid = r["spending_cash_transfer"] / r["enrolled_cash_transfer"].clip(lower=1)
    assert np.allclose(paid[1:5], 3.5) and r["enrolled_cash_transfer"].iloc[5] == 0


def test_a_grant_in_multiples_of_k_star_is_the_same_z_without_the_trap() -> None:
    """Without the trap k* is 0, yet the graduation package's grant keeps its size in z, so
    the no-trap world can be used to compare policies."""
    grants, thresholds = {}, {}
    for trap in (True, False):
        m = EmpowermentModel(cfg("scenario=graduation", f"enterprise.trap={trap}", months=1))
        r = m.run().results()
        prog = m.config.programmes.asset_grant
        grants[trap] = (r["spending_asset_grant"].iloc[1] / r["new_asset_grant"].iloc[1]
                        - prog.unit_cost_z * prog.duration_months)
        thresholds[trap] = m.asset_threshold
    assert grants[False] > 0.0
    assert grants[False] == pytest.approx(grants[True], rel=1e-12)
    assert grants[True] == pytest.approx(prog.dose * thresholds[True], rel=1e-12)
    assert thresholds[False] < 1.0  # the model's own k* keeps its meaning


def test_a_business_invests_its_loan_and_others_keep_most_of_it_liquid() -> None:
    m = EmpowermentModel(cfg("programmes.microcredit.enabled=true",
                             "programmes.microcredit.coverage=1.0",
                             "programmes.microcredit.start_month=2",
                             "programmes.microcredit_terms.take_up_base=1.0",
                             "programmes.microcredit_terms.invested_share_without_business=0.3",
                             "population.asset_median_z=15", "shocks.p_shock=0", months=3))
    m.step()
    s = m.state
    assets, savings = s.field("assets").copy(), s.field("savings").copy()
    m.step()  # month 2: loans are disbursed before the household month
    lent = s.field("debt") + s.field("repaid") + s.field("loan_subsidy")  # real z of month 2
    took = lent > 0
    loan = lent[took]
    business = assets[took] >= m.config.enterprise.k_min_z
    assert business.any() and (~business).any()
    invested = np.where(business, 1.0, 0.3) * loan
    delta = m.config.consumption.depreciation
    np.testing.assert_allclose(s.field("assets")[took], (1 - delta) * (assets[took] + invested)
                               + s.field("investment")[took], rtol=1e-12)
    np.testing.assert_allclose(s.field("savings")[took], savings[took] + loan - invested
                               - s.field("savings_draw")[took]
                               + s.field("savings_deposit")[took], rtol=1e-12, atol=1e-9)


def test_loans_are_booked_net_of_their_repayment_and_repayments_refill_the_budget() -> None:
    # microcredit alone, without delivery costs: what the programme spends is what it lent
    # less what came back, and each month's repayments return to the (revolving) budget
    m = EmpowermentModel(cfg("programmes.microcredit.enabled=true",
                             "programmes.microcredit.coverage=1.0",
                             "programmes.microcredit.unit_cost_z=0",
                             "programmes.microcredit_terms.take_up_base=1.0", months=24))
    m.run_model()
    table = m.results_table.frame()
    last, before_last = table.iloc[-1], table.iloc[-2]
    lent, returned = last["loans_disbursed_cumulative"], last["loans_returned_cumulative"]
    assert lent > 0.0 and 0.5 * lent < returned < lent
    assert last["spending_microcredit_cumulative"] == pytest.approx(lent - returned)
    assert last["spending_programmes_cumulative"] == pytest.approx(lent - returned)
    assert last["budget_committed"] == pytest.approx(
        lent - before_last["loans_returned_cumulative"])  # a month's repayments come back
    assert last["loan_subsidy_real_cumulative"] > 0.0  # nominal debts lose real value


def trained_one_month(intensity: float) -> tuple[EmpowermentModel, np.ndarray]:
    """A run with training for everyone at ``intensity`` and eta_T = 0.1, after its first
    month, with the skills before it."""
    m = EmpowermentModel(cfg("programmes.training.enabled=true",
                             f"programmes.training.dose={intensity}",
                             "responses.training_skill_gain=0.1",
                             "institutions.training_seats=1000",
                             "status.p_entry=0", "population.burn_in_months=0", months=3))
    s0 = m.state.field("skill").copy()
    m.step()
    return m, s0


def test_training_raises_skill_by_the_configured_share_of_the_gap() -> None:
    m, s0 = trained_one_month(1.0)
    assert np.allclose(m.state.field("skill"), s0 + 0.1 * (1 - s0))
    timers = m.state.ints[:, TIMERS + PROGRAMME_NAMES.index("training")]
    left = m.state.ints[:, STATUS] == LEFT
    assert left.any() and (timers[~left] == 5).all()
    assert (timers[left] == 0).all()  # those who left gave their seats back
    assert (m.state.ints[:, STATUS][~left] == ENROLLED).all()


def test_training_at_half_intensity_gives_half_the_skill_response() -> None:
    # dose is the intensity: 0.5 of eta_T = 0.1 closes 0.05 of the gap a month
    m, s0 = trained_one_month(0.5)
    assert np.allclose(m.state.field("skill"), s0 + 0.05 * (1 - s0))


def test_job_matching_at_intensity_zero_leaves_the_chance_of_an_offer_as_it_is() -> None:
    # the effect is linear in the intensity from the programme's effect at 0: a multiplier of 1
    spec = PROGRAMMES[PROGRAMME_NAMES.index("job_matching")]
    assert spec.effect(0.0, 3.0) == 1.0
    assert spec.effect(0.5, 3.0) == 2.0
    assert spec.effect(1.0, 3.0) == 3.0


def test_network_check_catches_a_broken_capacity() -> None:
    m = EmpowermentModel(cfg(*EVERYTHING, months=8))
    m.step()
    m.mentors.caseload[0] += 1
    with pytest.raises(InvariantError, match="mentor caseloads match"):
        check_network(m)


@pytest.mark.parametrize(("override", "words"), [
    ("budget.per_household_z=-5", ["budget.per_household_z", "-5"]),
    ("programmes.asset_grant.coverage=1.5", ["programmes.asset_grant.coverage", "1.5"]),
    ("institutions.volunteer_dropout=2", ["institutions.volunteer_dropout", "2"]),
    ("programmes.lottery_tickets.enabled=true", ["lottery_tickets"]),
    ("programmes.training.targeting=richest_first", ["richest_first", "poorest_first"]),
    ("programmes.training.institution=ministry", ["ministry", "university"]),
])
def test_bad_scenario_values_are_refused_before_month_one(override, words) -> None:
    with pytest.raises(ConfigError) as err:
        cfg(override)
    for word in words:
        assert word in str(err.value)


def test_programme_starting_after_the_horizon_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"start_month.*after the horizon"):
        cfg("programmes.training.enabled=true", "programmes.training.start_month=40")


def test_programmes_names_the_declarations_only() -> None:
    """``PROGRAMMES`` is the tuple of :class:`Programme` declarations wherever it is read: no
    other module binds the name to something else (the names are ``PROGRAMME_NAMES``)."""
    assert modules_binding("PROGRAMMES") == ["model/programmes.py"]
    assert tuple(spec.name for spec in PROGRAMMES) == PROGRAMME_NAMES
