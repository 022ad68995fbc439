"""Each household phase on a one- or two-household month, against values worked out by hand.

The expected values are written out from the formulas of ``docs/model.md`` (and
``docs/network.md`` for the programmes) with the default parameters spelt out; none is computed
by the project's code. Every test runs the phase uncompiled and compiled (``phase_setup.run``).
"""

from __future__ import annotations

import importlib
import inspect

import pytest

from model import rules
from model.rules import W_CASH
from model.state import (
    CASUAL,
    ENROLLED,
    ENTERPRISE_HIGH,
    ENTERPRISE_LOW,
    EVENT_BOUGHT_ASSET,
    EVENT_DEFAULTED,
    EVENT_GRADUATED,
    EVENT_INCOME_FELL,
    EVENT_INCOME_ROSE,
    EVENT_JOB_FOUND,
    EVENT_JOB_LOST,
    EVENT_LEFT,
    EVENT_RELAPSED,
    EVENT_SHOCK,
    GRADUATED,
    LEFT,
    N_PEER,
    NEVER,
    NONE,
    P_CASH_TRANSFER,
    P_CONSUMPTION_SUPPORT,
    P_SAVINGS_GROUP,
    P_TRAINING,
    PEER_ASK,
    PEER_SPARE,
    SUPPORTED,
    WAGE_JOB,
)
from tests.phase_setup import (
    PHASE_NAMES,
    checks,
    draw,
    households,
    month_context,
    params,
    run,
    work,
)

CS, TRAINING, CASH = 1 << P_CONSUMPTION_SUPPORT, 1 << P_TRAINING, 1 << P_CASH_TRANSFER
SAVINGS_GROUP = 1 << P_SAVINGS_GROUP


def approx(value: float) -> object:
    """Equal up to rounding: the code may group the same arithmetic differently."""
    return pytest.approx(value, rel=1e-12, abs=1e-15)


# ---- start and search ------------------------------------------------------------------
@checks("start_month")
def test_start_month_clears_last_months_events_shock_figures_and_job_offer() -> None:
    state = households({"shock_loss": 2.0, "informal_cover": 0.5, "cover_asked": 0.6,
                        "cover_given": 0.2, "assets": 7.0, "has_job": 1,
                        "events": EVENT_SHOCK | EVENT_JOB_FOUND})
    m = month_context(1)
    m.candidate[0] = 1
    run(rules.start_month, state, params(), m)
    assert state.field("events")[0] == 0
    assert state.field("shock_loss")[0] == 0.0
    assert state.field("informal_cover")[0] == 0.0
    assert state.field("cover_asked")[0] == 0.0
    assert state.field("cover_given")[0] == 0.0
    assert m.candidate[0] == 0
    assert state.field("assets")[0] == 7.0  # the state itself is kept
    assert state.field("has_job")[0] == 1


@checks("start_month")
def test_start_month_clears_who_left_last_month_but_not_who_left_before() -> None:
    # left last month (its event is still there): cleared like any other household; left
    # before (no event last month): its figures were cleared then, and are not written again
    # (a figure set by hand on the second shows that it is not written)
    state = households({"status": LEFT, "events": EVENT_LEFT, "shock_loss": 2.0},
                       {"status": LEFT, "events": 0, "shock_loss": 3.0})
    m = month_context(2)
    run(rules.start_month, state, params(), m, 0)
    run(rules.start_month, state, params(), m, 1)
    assert state.field("events").tolist() == [0, 0]
    assert state.field("shock_loss").tolist() == [0.0, 3.0]


@checks("meet_shocks")
def test_meet_shocks_cover_is_asked_only_with_ties_and_assets_of_half_k_star() -> None:
    # every household is hit and loses 40 %; it asks its neighbours for 30 % of the loss
    # (paid next month) if it has assets >= 0.5 * k* = 0.5 * 20 = 10 z
    p = params(shocks__p_shock=1.0, shocks__loss_min=0.4, shocks__loss_max=0.4)
    state = households({"assets": 30.0}, {"assets": 8.0})
    m = month_context(2, month=5, ties=[2, 2])
    run(rules.meet_shocks, state, p, m, 0)
    run(rules.meet_shocks, state, p, m, 1)
    loss, cover = 0.4 * 30.0, 0.3 * (0.4 * 30.0)
    assert state.field("assets")[0] == approx(30.0 - loss)  # 18: the cover comes next month
    assert state.field("shock_loss")[0] == approx(loss)
    assert state.field("cover_asked")[0] == approx(cover)
    assert state.field("assets")[1] == approx(8.0 - 0.4 * 8.0)  # destitute: no cover
    assert state.field("cover_asked")[1] == 0.0
    for h in (0, 1):
        assert state.field("events")[h] == EVENT_SHOCK
        assert state.field("last_shock_month")[h] == 5


@checks("meet_shocks")
def test_meet_shocks_a_household_without_ties_gets_no_cover() -> None:
    p = params(shocks__p_shock=1.0, shocks__loss_min=0.4, shocks__loss_max=0.4)
    state = households({"assets": 30.0})
    run(rules.meet_shocks, state, p, month_context(1, ties=[0]))
    assert state.field("assets")[0] == approx(30.0 - 0.4 * 30.0)
    assert state.field("cover_asked")[0] == 0.0


@checks("share_informal_cover")
def test_share_informal_cover_is_paid_out_of_the_neighbours_offered_savings() -> None:
    # a line 0 - 1 - 2 - 3. Last month household 1 asked for 3 z, household 2 for 1 z; each
    # household offered its savings split over its ties: 0 offers 4 (one tie), 1 offers
    # 0.5, 2 offers 2 and 3 offers 1 to each neighbour.
    # Household 1's neighbours (0 and 2) offered 4 + 2 = 6 >= 3: it takes 3 / 6 = 1/2 of each.
    # Household 2's neighbours (1 and 3) offered 0.5 + 1 = 1.5 >= 1: it takes 1 / 1.5 = 2/3.
    # So 0 pays 4 / 2 = 2; 1 pays 0.5 * 2/3 = 1/3; 2 pays 2 / 2 = 1; 3 pays 1 * 2/3 = 2/3.
    state = households({"savings": 4.0, "assets": 5.0}, {"savings": 1.0, "assets": 5.0},
                       {"savings": 4.0, "assets": 5.0}, {"savings": 1.0, "assets": 5.0})
    m = month_context(4, neighbours=[[1], [0, 2], [1, 3], [2]])
    m.peer_prev[:, PEER_SPARE] = [4.0, 0.5, 2.0, 1.0]
    m.peer_prev[:, PEER_ASK] = [0.0, 3.0, 1.0, 0.0]
    # the neighbours' sums that gather_neighbours leaves in the working values
    sums = {0: (0.5, 3.0), 1: (6.0, 1.0), 2: (1.5, 3.0), 3: (2.0, 1.0)}
    for h, (spare, asked) in sums.items():
        w = work()
        w[PEER_SPARE], w[PEER_ASK] = spare, asked
        run(rules.share_informal_cover, state, params(), m, h, w)
    given = [2.0, 1.0 / 3.0, 1.0, 2.0 / 3.0]
    for h in range(4):
        assert state.field("cover_given")[h] == approx(given[h])
        assert state.field("savings")[h] == approx([4.0, 1.0, 4.0, 1.0][h] - given[h])
    assert state.field("informal_cover").tolist() == approx([0.0, 3.0, 1.0, 0.0])
    assert state.field("assets").tolist() == approx([5.0, 8.0, 6.0, 5.0])
    assert sum(given) == approx(3.0 + 1.0)  # what was received was paid


@checks("meet_shocks")
def test_meet_shocks_hits_when_the_months_draw_is_below_p_shock_and_the_loss_share_is_uniform(
) -> None:
    u_hit, u_share = draw("shock", 0, 0), draw("shock", 0, 1)
    share = 0.1 + (0.5 - 0.1) * u_share  # uniform on [loss_min, loss_max] = [0.1, 0.5]
    for p_shock, hit in ((u_hit * (1 + 1e-9), True), (u_hit, False)):
        state = households({"assets": 10.0})
        run(rules.meet_shocks, state, params(shocks__p_shock=p_shock), month_context(1))
        assert state.field("assets")[0] == (approx(10.0 - share * 10.0) if hit else 10.0)
        assert state.field("events")[0] == (EVENT_SHOCK if hit else 0)
        assert state.field("last_shock_month")[0] == (1 if hit else NEVER)


@checks("search_job")
def test_search_job_a_worker_loses_the_job_with_p_separation_and_does_not_search() -> None:
    p = params(labour__p_separation=1.0, labour__p_find=1.0)
    state = households({"has_job": 1})
    m = month_context(1)
    run(rules.search_job, state, p, m)
    assert state.field("has_job")[0] == 0
    assert state.field("events")[0] == EVENT_JOB_LOST
    assert m.candidate[0] == 0


@checks("search_job")
def test_search_job_keeps_the_job_without_separation() -> None:
    state = households({"has_job": 1})
    run(rules.search_job, state, params(labour__p_separation=0.0), month_context(1))
    assert state.field("has_job")[0] == 1
    assert state.field("events")[0] == 0


@checks("search_job")
def test_search_job_offer_chance_is_p_find_times_skill_and_referral_factors() -> None:
    # skill 0.5 and a social worker's referral r = 0.03:
    # chance = p_find * (1 + 1.0 * 0.5) * (1 + 1.9 * 0.03); an offer if the draw is below it
    factor = (1.0 + 1.0 * 0.5) * (1.0 + 1.9 * 0.03)
    u = draw("job", 0)
    for scale, offered in ((1 + 1e-9, 1), (1 - 1e-9, 0)):
        state = households({"skill": 0.5, "mentor": 0})
        m = month_context(1, mentor_effects=[[0.0, 0.0, 0.0]], mentor_contact=[0.03])
        run(rules.search_job, state, params(labour__p_find=u / factor * scale), m)
        assert m.candidate[0] == offered
        assert state.field("has_job")[0] == 0  # the offer waits for a slot


@checks("search_job")
def test_search_job_a_household_without_a_working_age_adult_gets_no_offer() -> None:
    state = households({"size": 2, "adults": 0, "elderly": 1, "children": 1},
                       {"size": 2, "adults": 1, "elderly": 1})
    m = month_context(2)
    p = params(labour__p_find=1.0)
    run(rules.search_job, state, p, m, 0)
    run(rules.search_job, state, p, m, 1)
    assert m.candidate.tolist() == [0, 1]


@checks("search_job")
def test_search_job_job_matchings_multiplier_replaces_the_mentors_referral() -> None:
    # in job matching the programme's multiplier (4 here) takes the place of the mentor's
    # referral (a volunteer's, r = 1, which would give 1 + 1.9):
    # chance = p_find * (1 + 1.0 * 0) * 4
    factor = 4.0
    u = draw("job", 0)
    for scale, offered in ((1 + 1e-9, 1), (1 - 1e-9, 0)):
        state = households({"timer_job_matching": 3, "mentor": 0})
        m = month_context(1, amounts={"job_matching": 4.0}, mentor_effects=[[0.0, 0.0, 0.0]],
                          mentor_contact=[1.0])
        run(rules.search_job, state, params(labour__p_find=u / factor * scale), m)
        assert m.candidate[0] == offered


# ---- earnings ------------------------------------------------------------------------
# Labour (docs/model.md): a adults work like a ** 0.5 adults. Casual pay is 1.09 z times the
# labour of the adults not in a wage job; enterprise output is that of the reference household
# times (a / a_ref) ** 0.5, where a_ref = 1 + (3.4 (1 - 0.061) - 1)(1 - 0.372) is the number of
# working-age adults of the reference household of the mean size 3.4.
A_REF = 1 + (3.4 * (1 - 0.061) - 1) * (1 - 0.372)  # 2.3770 adults


def enterprise_labour(adults: int) -> float:
    """The enterprise output of ``adults`` working-age adults relative to the reference's."""
    return (adults / A_REF) ** 0.5


@checks("earn")
def test_earn_low_technology_below_k_min_plus_casual_pay() -> None:
    # one adult: theta = (1 + 0.3 s)(1 + 0.6 e); y_L = A theta 1.715 k^0.065 (1 / a_ref)^0.5;
    # casual pay 1.09 z for the first adult
    state = households({"assets": 10.0, "skill": 0.5, "confidence": 0.5, "culture": 0.5,
                        "productivity": 0.8})
    run(rules.earn, state, params(labour__p_casual=1.0), month_context(1))
    theta = (1 + 0.3 * 0.5) * (1 + 0.6 * 0.5)
    assert state.field("income")[0] == approx(
        0.8 * theta * 1.715 * 10.0 ** 0.065 * enterprise_labour(1) + 1.09)
    assert state.field("occupation")[0] == CASUAL
    assert state.field("events")[0] == EVENT_INCOME_ROSE  # from 0 last month
    assert state.field("high_tech_months")[0] == 0


@checks("earn")
def test_earn_income_rises_with_working_age_adults() -> None:
    # two households of three differing only in adults (1 adult and 2 children, 3 adults):
    # y = 1.715 k^0.065 (a / a_ref)^0.5 + 1.09 a^0.5
    common = {"size": 3, "assets": 10.0, "productivity": 1.0}
    state = households({**common, "adults": 1, "children": 2}, {**common, "adults": 3})
    m = month_context(2)
    p = params(labour__p_casual=1.0)
    run(rules.earn, state, p, m, 0)
    run(rules.earn, state, p, m, 1)
    low = 1.715 * 10.0 ** 0.065
    one, three = low * enterprise_labour(1) + 1.09, low * enterprise_labour(3) + 1.09 * 3 ** 0.5
    assert state.field("income").tolist() == approx([one, three])  # 1.82, 3.20
    assert three > one


@checks("earn")
def test_earn_casual_pay_of_more_adults_than_the_labour_table_holds() -> None:
    # labour is read from a table of 0..31 adults; 40 adults (none in a wage job) are
    # computed: casual pay 1.09 * 40 ** 0.5, with no assets and so no enterprise income
    state = households({"size": 40, "adults": 40})
    run(rules.earn, state, params(labour__p_casual=1.0), month_context(1))
    assert state.field("income")[0] == approx(1.09 * 40 ** 0.5)  # 6.89


@checks("earn")
def test_earn_without_a_working_age_adult_there_is_no_labour_income() -> None:
    # two elderly members: no casual pay, and the enterprise has no labour
    state = households({"size": 2, "adults": 0, "elderly": 2, "assets": 10.0,
                        "productivity": 1.0})
    run(rules.earn, state, params(labour__p_casual=1.0), month_context(1))
    assert state.field("income")[0] == 0.0
    assert state.field("occupation")[0] == NONE


@checks("earn")
def test_earn_high_technology_past_the_gates_earns_its_extra_income_over_the_ramp() -> None:
    # k = 30 >= k_min = 20, e = 0.5 >= 0.45, u = 0.5 >= 0.22: y_H = A theta 1.2 k^0.45 - 0,
    # both technologies times (1 / a_ref)^0.5 for one adult;
    # in its 36th month it earns y_L + 36/72 (y_H - y_L)
    state = households({"assets": 30.0, "confidence": 0.5, "culture": 0.5,
                        "productivity": 1.0, "high_tech_months": 35})
    run(rules.earn, state, params(labour__p_casual=0.0), month_context(1))
    theta = (1 + 0.6 * 0.5) * enterprise_labour(1)
    low, high = theta * 1.715 * 30.0 ** 0.065, theta * 1.2 * 30.0 ** 0.45
    assert high > low
    assert state.field("income")[0] == approx(low + (35 + 1) / 72 * (high - low))
    assert state.field("occupation")[0] == ENTERPRISE_HIGH
    assert state.field("high_tech_months")[0] == 36


@checks("earn")
def test_earn_high_technology_stays_closed_below_the_confidence_gate() -> None:
    state = households({"assets": 30.0, "confidence": 0.44, "culture": 0.5,
                        "productivity": 1.0, "high_tech_months": 35})
    run(rules.earn, state, params(labour__p_casual=0.0), month_context(1))
    assert state.field("income")[0] == approx(
        (1 + 0.6 * 0.44) * 1.715 * 30.0 ** 0.065 * enterprise_labour(1))
    assert state.field("occupation")[0] == NONE  # a low enterprise is told later, by assets
    assert state.field("high_tech_months")[0] == 35  # paused, not reset


@checks("earn")
def test_earn_incubation_raises_the_high_technology_output_by_its_dose() -> None:
    # full ramp ((71 + 1) / 72 = 1): y_H = theta 1.2 k^0.45 (1 + 0.3) (1 / a_ref)^0.5
    state = households({"assets": 30.0, "confidence": 0.5, "culture": 0.5,
                        "productivity": 1.0, "high_tech_months": 71, "timer_incubation": 4})
    m = month_context(1, amounts={"incubation": 0.3})
    run(rules.earn, state, params(labour__p_casual=0.0), m)
    assert state.field("income")[0] == approx(
        (1 + 0.6 * 0.5) * 1.2 * 30.0 ** 0.45 * 1.3 * enterprise_labour(1))
    assert state.field("high_tech_months")[0] == 72  # capped at the ramp


@checks("earn")
def test_earn_a_wage_job_replaces_its_holders_casual_work_but_not_the_enterprise() -> None:
    # one adult: the job replaces casual work; three adults: the two others still do casual
    # work (1.09 * 2^0.5), and the enterprise has the labour of all three
    state = households({"assets": 10.0, "productivity": 1.0, "has_job": 1},
                       {"size": 3, "assets": 10.0, "productivity": 1.0, "has_job": 1})
    m = month_context(2)
    p = params(labour__p_casual=1.0)
    run(rules.earn, state, p, m, 0)
    run(rules.earn, state, p, m, 1)
    low = 1.715 * 10.0 ** 0.065
    assert state.field("income").tolist() == approx(
        [low * enterprise_labour(1) + 3.0, low * enterprise_labour(3) + 3.0 + 1.09 * 2 ** 0.5])
    assert state.field("occupation").tolist() == [WAGE_JOB, WAGE_JOB]


@checks("earn")
def test_earn_a_shock_month_costs_the_enterprise_income_but_not_the_high_tech_experience(
) -> None:
    state = households({"assets": 30.0, "confidence": 0.5, "culture": 0.5, "income": 5.0,
                        "productivity": 1.0, "high_tech_months": 35, "events": EVENT_SHOCK})
    run(rules.earn, state, params(labour__p_casual=1.0), month_context(1))
    assert state.field("income")[0] == 1.09  # casual pay of one adult only
    assert state.field("events")[0] == EVENT_SHOCK | EVENT_INCOME_FELL  # 5.0 -> 1.09
    assert state.field("high_tech_months")[0] == 36
    assert state.field("occupation")[0] == ENTERPRISE_HIGH


@checks("earn")
def test_earn_only_a_change_of_more_than_5_percent_counts_as_a_rise_or_a_fall() -> None:
    # casual pay of its one adult only: 1.5 z this month; last month 1.5 / 1.06 (a rise of
    # 6 %), 1.5 / 1.04 (4 %: no event), 1.5 / 0.96 (a fall of 4 %: none), 1.5 / 0.94 (6 %)
    for last, event in ((1.5 / 1.06, EVENT_INCOME_ROSE), (1.5 / 1.04, 0), (1.5 / 0.96, 0),
                        (1.5 / 0.94, EVENT_INCOME_FELL)):
        state = households({"income": last})
        run(rules.earn, state, params(labour__p_casual=1.0, labour__casual_wage_z=1.5),
            month_context(1))
        assert state.field("income")[0] == 1.5
        assert state.field("events")[0] == event


@checks("earn")
def test_earn_nothing_from_an_enterprise_without_assets() -> None:
    state = households({"assets": 0.0, "productivity": 1.0, "income": 1.0})
    run(rules.earn, state, params(labour__p_casual=0.0), month_context(1))
    assert state.field("income")[0] == 0.0
    assert state.field("occupation")[0] == NONE
    assert state.field("events")[0] == EVENT_INCOME_FELL  # from 1.0 to 0


# ---- cash on hand ----------------------------------------------------------------------
@checks("receive_pension")
def test_receive_pension_pays_per_person_until_graduation_and_starts_cash_on_hand() -> None:
    state = households({"size": 4, "income": 2.0, "status": SUPPORTED},
                       {"size": 4, "income": 2.0, "status": GRADUATED})
    m = month_context(2)
    w0 = run(rules.receive_pension, state, params(pension=0.1), m, 0)
    w1 = run(rules.receive_pension, state, params(pension=0.1), m, 1)
    assert state.field("transfers")[0] == approx(0.1 * 4)
    assert w0[W_CASH] == approx(2.0 + 0.1 * 4)
    assert state.field("transfers")[1] == 0.0
    assert w1[W_CASH] == 2.0


@checks("repay_loan")
def test_repay_loan_takes_the_instalment_before_programme_cash() -> None:
    # cash on hand before programmes: 0.3 + 0.1 * 2 = 0.5 z, short of the 1 z instalment,
    # although consumption support brings 0.5 * 2 = 1 z afterwards
    state = households({"size": 2, "income": 0.3, "debt": 6.0, "loan_instalment": 1.0,
                        "enrolled_ever": CS, "timer_consumption_support": 3})
    p = params(pension=0.1, transfers__inflation_annual=0.0)
    m = month_context(1, amounts={"consumption_support": 0.5})
    w = work()
    for phase in (rules.receive_pension, rules.repay_loan, rules.receive_programmes):
        run(phase, state, p, m, 0, w)
    assert state.field("repaid")[0] == approx(0.5)
    assert state.field("debt")[0] == approx(6.0 - 0.5)
    assert state.field("arrears_months")[0] == 1
    assert w[W_CASH] == approx(0.5 + 0.5 * 2 - 0.5)


@checks("repay_loan")
def test_repay_loan_pays_the_instalment_in_full_and_clears_arrears() -> None:
    state = households({"debt": 6.0, "loan_instalment": 1.0, "arrears_months": 2},
                       {"debt": 0.4, "loan_instalment": 1.0})
    m, p = month_context(2), params(transfers__inflation_annual=0.0)
    run(rules.repay_loan, state, p, m, 0, work(2.4))
    run(rules.repay_loan, state, p, m, 1, work(2.4))
    assert state.field("repaid")[0] == 1.0
    assert state.field("debt")[0] == 5.0
    assert state.field("arrears_months")[0] == 0
    assert state.field("repaid")[1] == 0.4  # the last instalment is what is left
    assert state.field("debt")[1] == 0.0


@checks("repay_loan")
def test_repay_loan_defaults_after_three_months_of_arrears_seizing_half_the_debt() -> None:
    # third month unpaid: seized = min(assets, 0.5 * debt), debt written off, confidence -0.1
    state = households({"debt": 6.0, "loan_instalment": 1.0, "arrears_months": 2,
                        "assets": 10.0, "confidence": 0.5},
                       {"debt": 6.0, "loan_instalment": 1.0, "arrears_months": 2,
                        "assets": 2.0, "confidence": 0.05})
    m, p = month_context(2), params(transfers__inflation_annual=0.0)
    run(rules.repay_loan, state, p, m, 0, work(0.0))
    run(rules.repay_loan, state, p, m, 1, work(-1.0))
    assert state.field("seized")[0] == 0.5 * 6.0
    assert state.field("seized")[1] == 2.0  # at most the assets
    for h, confidence in ((0, 0.5 - 0.1), (1, 0.0)):
        assert state.field("debt")[h] == 0.0
        assert state.field("repaid")[h] == 0.0
        assert state.field("arrears_months")[h] == 0
        assert state.field("events")[h] == EVENT_DEFAULTED
        assert state.field("confidence")[h] == approx(confidence)
    assert state.field("assets")[0] == 10.0  # taken in update_assets


@checks("repay_loan")
def test_repay_loan_without_debt_clears_last_months_figures() -> None:
    state = households({"repaid": 1.0, "seized": 2.0, "loan_subsidy": 0.5})
    run(rules.repay_loan, state, params(), month_context(1), 0, work(3.0))
    assert state.field("repaid")[0] == 0.0
    assert state.field("seized")[0] == 0.0
    assert state.field("loan_subsidy")[0] == 0.0


@checks("repay_loan")
def test_repay_loan_keeps_debt_and_instalment_nominal_under_inflation() -> None:
    # 40 %/year: a month multiplies prices by 1.4 ** (1/12), so a nominal z is worth
    # 1.4 ** (-1/12) real z a month later. A debt of 100 with an instalment of 1, both in the z
    # of the loan's month, and ample cash: twelve instalments pay 12 nominal z, so after a year
    # the nominal debt is 88, worth 88 / 1.4 in the z of the month after the twelfth, and the
    # instalment is worth 1 / 1.4.
    state = households({"debt": 100.0, "loan_instalment": 1.0})
    p, m = params(transfers__inflation_annual=0.4), month_context(1)
    repaid, subsidy = [], []
    for _ in range(12):
        run(rules.repay_loan, state, p, m, 0, work(50.0))
        repaid.append(state.field("repaid")[0])
        subsidy.append(state.field("loan_subsidy")[0])
    assert state.field("debt")[0] == approx(88.0 / 1.4)
    assert state.field("loan_instalment")[0] == approx(1.0 / 1.4)
    assert repaid[0] == 1.0  # the first instalment is paid in the loan's own month
    assert repaid[1] == approx(1.4 ** (-1 / 12))
    assert subsidy[0] == approx(99.0 * (1.0 - 1.4 ** (-1 / 12)))  # the lender's loss on 99
    # every real z lent is repaid, lost to inflation or still owed
    assert sum(repaid) + sum(subsidy) + 88.0 / 1.4 == approx(100.0)


@checks("receive_programmes")
def test_receive_programmes_pays_while_enrolled_counts_timers_down_and_books_costs() -> None:
    # consumption support 0.5 z per person to 3 persons, a training month (delivery 1 z);
    # the cash transfer (10 z per household) has ended for household 0 and runs for 1
    common = {"size": 3, "transfers": 0.3, "repaid": 0.4, "enrolled_ever": CS | TRAINING | CASH,
              "programme_cost_total": 5.0, "cost_received": 7.0}
    state = households({**common, "timer_consumption_support": 2, "timer_training": 1},
                       {**common, "timer_cash_transfer": 1})
    m = month_context(2, amounts={"consumption_support": 0.5, "cash_transfer": 10.0},
                      unit_costs={"training": 1.0, "cash_transfer": 0.2})
    w0 = run(rules.receive_programmes, state, params(), m, 0, work(1.3))
    w1 = run(rules.receive_programmes, state, params(), m, 1, work(1.3))
    support, delivery = 0.5 * 3, 0.0 + 1.0
    assert state.field("timer_consumption_support")[0] == 1
    assert state.field("timer_training")[0] == 0
    assert state.field("active_programmes")[0] == CS | TRAINING
    assert state.field("transfers")[0] == approx(0.3 + support)
    assert w0[W_CASH] == approx(1.3 + support - 0.4)
    assert state.field("programme_cost")[0] == approx(support + delivery)
    assert state.field("programme_cost_total")[0] == approx(5.0 + support + delivery)
    assert state.field("cost_received")[0] == approx(7.0 + 0.3 + support + delivery)
    assert state.field("active_programmes")[1] == CASH
    assert state.field("timer_cash_transfer")[1] == 0
    assert w1[W_CASH] == approx(1.3 + 10.0 - 0.4)  # per household, not per person
    assert state.field("programme_cost")[1] == approx(10.0 + 0.2)


# ---- the indivisible asset, consumption, assets and traits ----------------------------
# A client household of 2 with k = 6 z, skill 0, confidence and culture 0.5 past the gates
# (e_min 0.45, u_min 0.22), A = 1: at k_min = 20 z the high technology earns
# 1.3 * 1.2 * 20^0.45 = 6.01 z against 1.3 * 1.715 * 20^0.065 = 2.71 z, so the asset pays.
# Buying it means next month's assets (1 - 0.012) k + purchase reach 20 z:
# the gap is 20 - 0.988 * 6 = 14.072 z. Subsistence is 0.6 * 2 = 1.2 z.
BUYER = {"size": 2, "assets": 6.0, "savings": 0.5, "confidence": 0.5, "culture": 0.5,
         "productivity": 1.0, "income": 1.0, "consumption": 2.0, "aspiration": 1.4}
GAP = 20.0 - 0.988 * 6.0


@checks("buy_asset")
def test_buy_asset_a_lump_sum_of_cash_buys_the_indivisible_asset_in_a_hand_computed_month(
) -> None:
    # earned 1.0 + pension 0.1 * 2 + a 20 z cash transfer = 21.2 z of cash on hand;
    # 20.0 z above subsistence >= the gap: the asset is bought from the cash, the savings
    # are kept. The rest (21.2 - 14.072 = 7.128 z) is split by sigma: c = 2 / 2 = 1,
    # a = 1.4 (gap 0.4, g = 1), u = 0.5: sigma = 0.04 + 0.13 * 0.75 = 0.1375, and an owner
    # invests all its saving. Household 1, below the confidence gate (0.44), buys nothing:
    # it saves sigma * 20 = 2.75 z, half of it liquid, and consumes the rest.
    state = households({**BUYER, "enrolled_ever": CASH, "timer_cash_transfer": 1},
                       {**BUYER, "confidence": 0.44, "enrolled_ever": CASH,
                        "timer_cash_transfer": 1})
    p, m = params(pension=0.1), month_context(2, amounts={"cash_transfer": 20.0})
    for h in (0, 1):
        w = work()
        for phase in (rules.receive_pension, rules.repay_loan, rules.receive_programmes,
                      rules.buy_asset, rules.consume_and_save, rules.update_assets):
            run(phase, state, p, m, h, w)
    saving = 0.1375 * (21.2 - GAP - 1.2)
    assert state.field("events")[0] == EVENT_BOUGHT_ASSET
    assert state.field("investment")[0] == approx(GAP + saving)
    assert state.field("savings")[0] == 0.5
    assert state.field("savings_draw")[0] == 0.0
    assert state.field("consumption")[0] == approx(21.2 - GAP - saving)
    assert state.field("assets")[0] == approx(20.0 + saving)  # at least k_min next month
    assert state.field("events")[1] == 0
    assert state.field("investment")[1] == approx(0.5 * 0.1375 * 20.0)
    assert state.field("savings")[1] == approx(0.5 + 0.5 * 0.1375 * 20.0)
    assert state.field("consumption")[1] == approx(21.2 - 0.1375 * 20.0)
    assert state.field("assets")[1] == approx(0.988 * 6.0 + 0.5 * 0.1375 * 20.0)


@checks("buy_asset")
def test_buy_asset_pays_from_the_cash_above_subsistence_first_then_from_savings() -> None:
    # cash 2.2 z: 1.0 z above subsistence, so 14.072 - 1.0 = 13.072 z come from savings
    state = households({**BUYER, "savings": 15.0})
    w = run(rules.buy_asset, state, params(), month_context(1), 0, work(2.2))
    assert w[W_CASH] == approx(1.2)
    assert state.field("savings")[0] == approx(15.0 - (GAP - 1.0))
    assert state.field("savings_draw")[0] == approx(GAP - 1.0)
    assert state.field("investment")[0] == approx(GAP)
    assert state.field("events")[0] == EVENT_BOUGHT_ASSET


@checks("buy_asset")
def test_buy_asset_waits_until_cash_and_savings_reach_the_gap() -> None:
    # 1.0 z spare + 13.0 z savings = 14.0 < 14.072; the month's figures are cleared
    state = households({**BUYER, "savings": 13.0, "investment": 3.0, "savings_draw": 1.0})
    w = run(rules.buy_asset, state, params(), month_context(1), 0, work(2.2))
    assert w[W_CASH] == 2.2
    assert state.field("savings")[0] == 13.0
    assert state.field("investment")[0] == 0.0
    assert state.field("savings_draw")[0] == 0.0
    assert state.field("events")[0] == 0


@checks("buy_asset")
def test_buy_asset_only_when_the_asset_pays_at_the_gates_and_is_not_owned() -> None:
    # a fixed cost of 10 z a month: 6.01 - 10 < 2.71 at k_min; culture 0.21 < u_min;
    # an owner (k = 20); without the trap there is no indivisible asset
    cases = ((params(enterprise__fixed_cost_high_z=10.0), {}),
             (params(), {"culture": 0.21}),
             (params(), {"assets": 20.0}),
             (params(enterprise__trap=False), {}))
    for p, change in cases:
        state = households({**BUYER, "savings": 30.0, **change})
        w = run(rules.buy_asset, state, p, month_context(1), 0, work(21.2))
        assert w[W_CASH] == 21.2
        assert state.field("investment")[0] == 0.0
        assert state.field("savings")[0] == 30.0


@checks("consume_and_save")
def test_consume_and_save_saves_the_aspiration_gap_share_of_the_surplus() -> None:
    # sigma = 0.04 + (0.17 - 0.04) g(gap) (0.5 + 0.5 u), g = 1 / (1 + ((gap - 0.4) / 0.6)^2),
    # gap = (a - c) / c with last month's c = 3 / 3 = 1; subsistence 0.6 * 3 = 1.8 z;
    # both own the indivisible asset (k >= k_min = 20 z): all saving goes into assets
    state = households({"size": 3, "consumption": 3.0, "aspiration": 1.4, "culture": 0.5,
                        "assets": 20.0},
                       {"size": 3, "consumption": 3.0, "aspiration": 2.0, "culture": 1.0,
                        "assets": 25.0, "savings": 1.0})
    m = month_context(2)
    run(rules.consume_and_save, state, params(), m, 0, work(3.0))
    run(rules.consume_and_save, state, params(), m, 1, work(3.0))
    sigma0 = 0.04 + 0.13 * 1.0 * (0.5 + 0.5 * 0.5)  # gap 0.4: g = 1
    sigma1 = 0.04 + 0.13 * 0.5 * (0.5 + 0.5 * 1.0)  # gap 1.0: g = 1 / (1 + 1) = 0.5
    for h, sigma in ((0, sigma0), (1, sigma1)):
        assert state.field("investment")[h] == approx(sigma * (3.0 - 1.8))
        assert state.field("consumption")[h] == approx(3.0 - sigma * (3.0 - 1.8))
        assert state.field("savings_draw")[h] == 0.0
        assert state.field("savings_deposit")[h] == 0.0
    assert state.field("savings").tolist() == [0.0, 1.0]


@checks("consume_and_save")
def test_consume_and_save_without_the_indivisible_asset_keeps_half_the_saving_liquid() -> None:
    # k = 10 < k_min = 20: psi = 0.5 of the saving to liquid savings, the rest to assets;
    # a purchase this month (investment 14 z on k = 10) makes it an owner that invests all;
    # without the trap there is no indivisible asset to save for
    common = {"size": 3, "consumption": 3.0, "aspiration": 1.4, "culture": 0.5,
              "assets": 10.0, "savings": 1.0}
    sigma = 0.04 + 0.13 * 1.0 * (0.5 + 0.5 * 0.5)
    saving = sigma * (3.0 - 1.8)
    state = households(common, {**common, "investment": 14.0})
    m = month_context(2)
    run(rules.consume_and_save, state, params(), m, 0, work(3.0))
    run(rules.consume_and_save, state, params(), m, 1, work(3.0))
    assert state.field("savings_deposit").tolist() == approx([0.5 * saving, 0.0])
    assert state.field("savings").tolist() == approx([1.0 + 0.5 * saving, 1.0])
    assert state.field("investment").tolist() == approx([0.5 * saving, 14.0 + saving])
    assert state.field("consumption").tolist() == approx([3.0 - saving, 3.0 - saving])
    no_trap = households(common)
    run(rules.consume_and_save, no_trap, params(enterprise__trap=False), month_context(1), 0,
        work(3.0))
    assert no_trap.field("investment")[0] == approx(saving)
    assert no_trap.field("savings_deposit")[0] == 0.0


@checks("consume_and_save")
def test_consume_and_save_measures_the_gap_against_a_floor_of_one_hundredth_of_z() -> None:
    # no consumption last month: c = 0.01, and a = 0.014 is a gap of 0.4 (g = 1)
    state = households({"consumption": 0.0, "aspiration": 0.014, "culture": 0.0})
    run(rules.consume_and_save, state, params(), month_context(1), 0, work(1.0))
    sigma = 0.04 + 0.13 * 1.0 * (0.5 + 0.5 * 0.0)
    # without the indivisible asset (k = 0): half the saving is kept liquid
    assert state.field("investment")[0] == approx(0.5 * sigma * (1.0 - 0.6))


@checks("consume_and_save")
def test_consume_and_save_fixed_rule_saves_the_reference_rate_plus_the_savings_group(
) -> None:
    state = households({"consumption": 9.0, "aspiration": 0.0, "timer_savings_group": 5,
                        "active_programmes": SAVINGS_GROUP, "assets": 30.0})
    m = month_context(1, amounts={"savings_group": 0.05})
    run(rules.consume_and_save, state, params(consumption__saving_rule="fixed"), m, 0,
        work(2.0))
    assert state.field("investment")[0] == approx((0.10 + 0.05) * (2.0 - 0.6))


@checks("consume_and_save")
def test_consume_and_save_the_savings_group_pushes_saving_in_its_last_month_too() -> None:
    # a 24-month group gives 24 months of push: in the month its timer counts down from 1
    # to 0 the member met the group (receive_programmes delivers it) and saves 0.10 + 0.05;
    # the month after, the group has ended and the member saves the reference 0.10
    common = {"consumption": 9.0, "aspiration": 0.0, "assets": 30.0,
              "enrolled_ever": SAVINGS_GROUP}
    state = households({**common, "timer_savings_group": 1}, {**common})
    m = month_context(2, amounts={"savings_group": 0.05})
    fixed = params(consumption__saving_rule="fixed")
    for h in (0, 1):
        w = run(rules.receive_programmes, state, fixed, m, h, work(2.0))
        run(rules.consume_and_save, state, fixed, m, h, w)
    assert state.field("timer_savings_group").tolist() == [0, 0]
    assert state.field("investment").tolist() == approx([(0.10 + 0.05) * (2.0 - 0.6),
                                                         0.10 * (2.0 - 0.6)])


@checks("consume_and_save")
def test_consume_and_save_draws_on_savings_to_reach_subsistence() -> None:
    # subsistence 0.6 * 2 = 1.2 z; cash 0.8 z falls 0.4 z short
    state = households({"size": 2, "savings": 0.3}, {"size": 2, "savings": 1.0})
    m = month_context(2)
    run(rules.consume_and_save, state, params(), m, 0, work(0.8))
    run(rules.consume_and_save, state, params(), m, 1, work(0.8))
    assert state.field("savings_draw").tolist() == approx([0.3, 0.4])
    assert state.field("savings").tolist() == approx([0.0, 1.0 - 0.4])
    assert state.field("consumption").tolist() == approx([0.8 + 0.3, 1.2])
    assert state.field("investment").tolist() == [0.0, 0.0]
    assert state.field("savings_deposit").tolist() == [0.0, 0.0]


@checks("update_assets")
def test_update_assets_depreciates_what_is_left_after_seizure_and_adds_investment() -> None:
    state = households({"assets": 10.0, "seized": 3.0, "investment": 0.5},
                       {"assets": 10.0, "investment": 0.0})
    m = month_context(2)
    run(rules.update_assets, state, params(), m, 0)
    run(rules.update_assets, state, params(), m, 1)
    assert state.field("assets").tolist() == approx([(1 - 0.012) * (10.0 - 3.0) + 0.5,
                                                     (1 - 0.012) * 10.0])


@checks("learn_skills")
def test_learn_skills_a_training_month_closes_a_share_of_the_gap_else_skill_decays_to_base(
) -> None:
    # training (delivered this month) s += 0.06 (1 - s); otherwise s -= 0.01 (s - s_base)
    state = households({"skill": 0.3, "skill_base": 0.2, "active_programmes": TRAINING},
                       {"skill": 0.3, "skill_base": 0.2, "timer_training": 2})
    m = month_context(2, amounts={"training": 0.06})
    run(rules.learn_skills, state, params(), m, 0)
    run(rules.learn_skills, state, params(), m, 1)
    assert state.field("skill").tolist() == approx([0.3 + 0.06 * (1 - 0.3),
                                                    0.3 - 0.01 * (0.3 - 0.2)])


@checks("learn_skills")
def test_learn_skills_coaching_adds_the_mentors_skill_effect_times_the_gap() -> None:
    # after training: s += 0.01 * (mentor's skill strength 0.5) * (1 - s)
    state = households({"skill": 0.3, "skill_base": 0.3, "mentor": 0},
                       {"skill": 0.3, "skill_base": 0.3, "mentor": 0,
                        "active_programmes": TRAINING})
    m = month_context(2, amounts={"training": 0.06}, mentor_effects=[[0.6, 0.5, 0.4]],
                      mentor_contact=[1.0])
    run(rules.learn_skills, state, params(), m, 0)
    run(rules.learn_skills, state, params(), m, 1)
    trained = 0.3 + 0.06 * (1 - 0.3)
    assert state.field("skill").tolist() == approx([0.3 + 0.01 * 0.5 * (1 - 0.3),
                                                    trained + 0.01 * 0.5 * (1 - trained)])


@checks("update_confidence")
def test_update_confidence_own_outcome_relaxation_role_models_coaching_and_peers() -> None:
    # e += 0.01 own + 0.02 (e_base - e) + 0.02 graduates + kappa_M strength (1 - e)
    #      + 0.02 (share of neighbours above the line - e), all on last month's e
    state = households({"confidence": 0.5, "confidence_base": 0.3, "mentor": 0,
                        "events": EVENT_INCOME_ROSE})
    m = month_context(1, amounts={"mentoring": 0.12}, mentor_effects=[[0.6, 0.5, 0.4]],
                      mentor_contact=[1.0])
    run(rules.update_confidence, state, params(), m, 0, work(active=4, success=3, graduated=2))
    expected = (0.5 + 0.01 * 1 + 0.02 * (0.3 - 0.5) + 0.02 * 2 + 0.12 * 0.6 * (1 - 0.5)
                + 0.02 * (3 / 4 - 0.5))
    assert state.field("confidence")[0] == approx(expected)  # 0.587


@checks("update_confidence")
def test_update_confidence_falls_after_a_shock_or_a_default_even_if_income_rose() -> None:
    state = households({"confidence": 0.5, "confidence_base": 0.5,
                        "events": EVENT_SHOCK | EVENT_INCOME_ROSE},
                       {"confidence": 0.5, "confidence_base": 0.5,
                        "events": EVENT_DEFAULTED | EVENT_INCOME_ROSE})
    m = month_context(2)
    run(rules.update_confidence, state, params(), m, 0)
    run(rules.update_confidence, state, params(), m, 1)
    assert state.field("confidence").tolist() == approx([0.5 - 0.01, 0.5 - 0.01])


@checks("update_confidence")
def test_update_confidence_a_material_fall_counts_minus_one_no_material_change_nothing() -> None:
    # e' = 0.5 + 0.01 own: -1 after a fall of more than 5 %, 0 with no event
    state = households({"confidence": 0.5, "confidence_base": 0.5, "events": EVENT_INCOME_FELL},
                       {"confidence": 0.5, "confidence_base": 0.5})
    m = month_context(2)
    run(rules.update_confidence, state, params(), m, 0)
    run(rules.update_confidence, state, params(), m, 1)
    assert state.field("confidence").tolist() == approx([0.5 - 0.01, 0.5])


@checks("update_confidence")
def test_update_confidence_stays_between_zero_and_one() -> None:
    state = households({"confidence": 1.0, "confidence_base": 1.0,
                        "events": EVENT_INCOME_ROSE},
                       {"confidence": 0.0, "confidence_base": 0.0, "events": EVENT_SHOCK})
    m = month_context(2)
    run(rules.update_confidence, state, params(), m, 0, work(graduated=5))
    run(rules.update_confidence, state, params(), m, 1)
    assert state.field("confidence").tolist() == [1.0, 0.0]


@checks("adapt_aspirations_and_culture")
def test_adapt_aspirations_and_culture_follow_last_months_neighbours() -> None:
    # a += 0.05 (mean per-capita consumption - a); u += 0.01 (mean culture - u) + 0.02 G
    state = households({"aspiration": 1.0, "culture": 0.5}, {"aspiration": 1.0, "culture": 0.5})
    m = month_context(2)
    run(rules.adapt_aspirations_and_culture, state, params(), m, 0,
        work(active=4, consumption=6.0, culture=2.8, graduated=1))
    run(rules.adapt_aspirations_and_culture, state, params(), m, 1)  # no neighbours
    assert state.field("aspiration").tolist() == approx([1.0 + 0.05 * (6.0 / 4 - 1.0), 1.0])
    assert state.field("culture").tolist() == approx([0.5 + 0.01 * (2.8 / 4 - 0.5) + 0.02 * 1,
                                                      0.5])


@checks("adapt_aspirations_and_culture")
def test_adapt_aspirations_and_culture_a_mentor_adds_to_culture_before_the_neighbours_pull(
) -> None:
    # u' = u + 0.01 * (mentor's culture strength 0.4), then u'' = u' + 0.01 (mean culture - u')
    state = households({"culture": 0.5, "mentor": 0})
    m = month_context(1, mentor_effects=[[0.6, 0.5, 0.4]], mentor_contact=[1.0])
    run(rules.adapt_aspirations_and_culture, state, params(), m, 0,
        work(active=4, consumption=4.0, culture=2.8))
    coached = 0.5 + 0.01 * 0.4
    assert state.field("culture")[0] == approx(coached + 0.01 * (2.8 / 4 - coached))


# ---- status, occupation and what neighbours see ----------------------------------------
@checks("update_status")
def test_update_status_graduates_after_twelve_months_above_the_line_with_assets_at_k_star(
) -> None:
    # 3.9 / 3 = 1.3 z per person >= 1.2: the 12th month in a row; k* = 20 z
    common = {"size": 3, "income": 3.9, "months_above_line": 11, "status": ENROLLED,
              "months_below_line": 2}
    state = households({**common, "assets": 20.0}, {**common, "assets": 19.9})
    m = month_context(2, month=7)
    p = params(status__p_exit=0.0)
    run(rules.update_status, state, p, m, 0)
    run(rules.update_status, state, p, m, 1)
    assert state.field("months_above_line").tolist() == [12, 12]
    assert state.field("status").tolist() == [GRADUATED, SUPPORTED]
    assert state.field("events").tolist() == [EVENT_GRADUATED, 0]
    assert state.field("graduation_month").tolist() == [7, NEVER]
    assert state.field("months_below_line")[0] == 0


@checks("update_status")
def test_update_status_income_below_the_exit_line_resets_the_count() -> None:
    state = households({"size": 3, "income": 3.5, "months_above_line": 11, "assets": 30.0})
    run(rules.update_status, state, params(status__p_exit=0.0), month_context(1))
    assert state.field("months_above_line")[0] == 0  # 3.5 / 3 < 1.2
    assert state.field("status")[0] == SUPPORTED


@checks("update_status")
def test_update_status_a_graduate_consuming_below_z_for_six_months_relapses() -> None:
    common = {"size": 3, "status": GRADUATED, "graduation_month": 2, "months_above_line": 9,
              "income": 3.9}
    state = households({**common, "consumption": 2.7, "months_below_line": 5},
                       {**common, "consumption": 3.0, "months_below_line": 4})
    m = month_context(2, month=20)
    p = params(status__p_exit=0.0)
    run(rules.update_status, state, p, m, 0)
    run(rules.update_status, state, p, m, 1)
    # 2.7 / 3 = 0.9 < 1: the sixth month below z; 3.0 / 3 = 1 is not below
    assert state.field("status").tolist() == [SUPPORTED, GRADUATED]
    assert state.field("events").tolist() == [EVENT_RELAPSED, 0]
    assert state.field("months_below_line").tolist() == [0, 0]
    assert state.field("months_above_line").tolist() == [0, 10]


@checks("update_status")
def test_update_status_a_household_owing_a_loan_is_enrolled_one_whose_programmes_ended_is_not(
) -> None:
    state = households({"size": 1, "debt": 2.0, "status": SUPPORTED},
                       {"size": 1, "status": ENROLLED, "enrolled_ever": TRAINING})
    m = month_context(2)
    p = params(status__p_exit=0.0)
    run(rules.update_status, state, p, m, 0)
    run(rules.update_status, state, p, m, 1)
    assert state.field("status").tolist() == [ENROLLED, SUPPORTED]


@checks("update_status")
def test_update_status_exogenous_exit_comes_last_even_in_the_month_of_graduation() -> None:
    state = households({"size": 3, "income": 3.9, "months_above_line": 11, "assets": 20.0})
    run(rules.update_status, state, params(status__p_exit=1.0), month_context(1))
    assert state.field("status")[0] == LEFT
    assert state.field("events")[0] == EVENT_GRADUATED | EVENT_LEFT


@checks("update_status")
def test_update_status_a_household_that_leaves_gives_up_its_programme_places() -> None:
    # a seat of training (3 months to come) and of incubation (5) must free up for others
    state = households({"size": 3, "status": ENROLLED, "timer_training": 3,
                        "timer_incubation": 5})
    run(rules.update_status, state, params(status__p_exit=1.0), month_context(1))
    assert state.field("status")[0] == LEFT
    assert state.field("timer_training")[0] == 0
    assert state.field("timer_incubation")[0] == 0


@checks("classify_occupation")
def test_classify_occupation_without_job_or_high_technology_assets_of_1_z_make_a_low_enterprise(
) -> None:
    state = households({"occupation": CASUAL, "assets": 1.0},
                       {"occupation": NONE, "assets": 0.99})
    m = month_context(2)
    run(rules.classify_occupation, state, params(), m, 0)
    run(rules.classify_occupation, state, params(), m, 1)
    assert state.field("occupation").tolist() == [ENTERPRISE_LOW, NONE]


@checks("classify_occupation")
def test_classify_occupation_keeps_a_wage_job_and_the_high_technology() -> None:
    state = households({"occupation": WAGE_JOB, "assets": 50.0},
                       {"occupation": ENTERPRISE_HIGH, "assets": 50.0})
    m = month_context(2)
    run(rules.classify_occupation, state, params(), m, 0)
    run(rules.classify_occupation, state, params(), m, 1)
    assert state.field("occupation").tolist() == [WAGE_JOB, ENTERPRISE_HIGH]


@checks("show_peers")
def test_show_peers_shows_per_capita_consumption_culture_success_and_graduation() -> None:
    state = households({"size": 2, "consumption": 3.0, "culture": 0.6, "income": 2.4,
                        "events": EVENT_GRADUATED},
                       {"size": 2, "consumption": 3.0, "culture": 0.6, "income": 2.4,
                        "status": LEFT})
    m = month_context(2)
    m.peer_next[:] = 9.0
    run(rules.show_peers, state, params(), m, 0)
    run(rules.show_peers, state, params(), m, 1)
    # active, consumption per person, culture, income 2.4 / 2 >= 1.2, graduated this month
    # no ties: nothing to offer; no shock: nothing to ask
    assert m.peer_next[0].tolist() == [1.0, 3.0 / 2, 0.6, 1.0, 1.0, 0.0, 0.0]
    assert m.peer_next[1].tolist() == [0.0] * N_PEER  # left: nothing to show


@checks("show_peers")
def test_show_peers_offers_savings_split_over_the_ties_and_asks_for_cover() -> None:
    state = households({"savings": 3.0, "cover_asked": 1.5}, {"savings": 3.0, "status": LEFT})
    m = month_context(2, ties=[2, 2])
    run(rules.show_peers, state, params(), m, 0)
    run(rules.show_peers, state, params(), m, 1)
    assert m.peer_next[0, PEER_SPARE] == 3.0 / 2
    assert m.peer_next[0, PEER_ASK] == 1.5
    assert m.peer_next[1, PEER_SPARE] == 0.0 and m.peer_next[1, PEER_ASK] == 0.0


@checks("month_after_leaving")
def test_month_after_leaving_receives_nothing_and_shows_zeros() -> None:
    state = households({"status": LEFT, "assets": 5.0, "timer_consumption_support": 3,
                        "enrolled_ever": CS, "active_programmes": CS})
    m = month_context(1)
    m.peer_next[:] = 9.0
    before = state.copy()
    run(rules.month_after_leaving, state, params(), m)
    assert state.field("active_programmes")[0] == 0
    assert m.peer_next[0].tolist() == [0.0] * N_PEER
    state.field("active_programmes")[0] = CS
    assert (state.floats == before.floats).all() and (state.ints == before.ints).all()


# ---- every phase has a hand-computed test ------------------------------------------------
PHASE_TEST_MODULES = ("tests.test_phases_household", "tests.test_phases_market")


def test_every_phase_has_a_hand_computed_test() -> None:
    tested = {test.phase for name in PHASE_TEST_MODULES
              for test in vars(importlib.import_module(name)).values()
              if callable(test) and hasattr(test, "phase")}
    assert PHASE_NAMES - tested == set(), "phases without a test in tests/test_phases_*.py"


# ---- every rule says what its parameters are ---------------------------------------------
CONTEXT_TYPES = {"p": "KernelParams", "m": "Month"}
"""The parameters every phase takes beside the state, and the type each must be hinted as."""


def test_every_rule_hints_its_parameters_and_month() -> None:
    compiled = [f.py_func for f in vars(rules).values()
                if hasattr(f, "py_func") and f.py_func.__module__ == rules.__name__]
    hinted = {(f.__name__, name): parameter.annotation
              for f in compiled for name, parameter in inspect.signature(f).parameters.items()
              if name in CONTEXT_TYPES}
    assert len(hinted) > len(PHASE_NAMES)  # every phase takes both, some helpers one
    assert {key: hint for key, hint in hinted.items() if hint != CONTEXT_TYPES[key[1]]} == {}
