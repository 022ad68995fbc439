"""The market-wide phases on two-household months, against values worked out by hand.

Labour demand (``model.month.hiring_enterprises``, ``open_job_slots``), job slots
(``model.month.allocate_jobs``) and the programmes phase before households act:
enrolment (``scenarios.enrolment``) and mentor matching (``model.mentors.match``). Expected
values follow ``docs/model.md`` and ``docs/network.md``; compiled functions are checked against
their uncompiled form.
"""

from __future__ import annotations

import numpy as np
import pytest

from model import mentors
from model.mentors import BUSINESS, KINDS, PSYCHOSOCIAL, SKILLS
from model.month import (
    allocate_jobs,
    hiring_enterprises,
    open_job_slots,
    search_kernel,
    search_rows,
)
from model.programme_params import INSTITUTIONS
from model.rules import N_WORK
from model.state import (
    ENROLLED,
    ENROLLED_EVER,
    ENTERPRISE_HIGH,
    ENTERPRISE_LOW,
    EVENT_JOB_FOUND,
    LEFT,
    P_ASSET_GRANT,
    P_CONSUMPTION_SUPPORT,
    P_MICROCREDIT,
    P_TRAINING,
    SUPPORTED,
    HouseholdState,
)
from scenarios.enrolment import Book, MonthContext, enrol_month
from tests.phase_setup import (
    K_STAR,
    checks,
    config,
    households,
    month_context,
    params,
    uniform,
)


# ---- labour demand ---------------------------------------------------------------------------
def open_slots(state: HouseholdState, open_market: float, hiring: float,
               owed: float) -> tuple[int, float]:
    """Run labour demand uncompiled and compiled; assert they agree. Returns the slots and the
    fraction of a slot carried on."""
    enterprises = hiring_enterprises.py_func(state.ints)
    assert hiring_enterprises(state.ints) == enterprises
    carried, compiled = np.array([owed]), np.array([owed])
    slots = open_job_slots.py_func(enterprises, open_market, hiring, carried)
    assert open_job_slots(enterprises, open_market, hiring, compiled) == slots
    assert carried[0] == compiled[0]
    return slots, float(carried[0])


@checks("labour_demand")
def test_labour_demand_adds_a_share_of_a_slot_per_high_technology_enterprise() -> None:
    # two of the four run the high technology, but one of them has left: 1 enterprise.
    # due = 0.3 carried + 1.5 open market + 0.25 * 1 = 2.05: 2 slots, 0.05 carried on
    state = households({"occupation": ENTERPRISE_HIGH},
                       {"occupation": ENTERPRISE_HIGH, "status": LEFT},
                       {"occupation": ENTERPRISE_LOW}, {})
    slots, carried = open_slots(state, open_market=1.5, hiring=0.25, owed=0.3)
    assert slots == 2
    assert carried == pytest.approx(0.05)


@checks("labour_demand")
def test_labour_demand_carries_fractions_so_a_steady_rate_offers_its_mean() -> None:
    # 0.4 slots a month: 0, 0, 1, 0, 1 over five months (floor of 0.4 m, differenced)
    state = households({})
    owed, offered = 0.0, []
    for _ in range(5):
        slots, owed = open_slots(state, open_market=0.4, hiring=0.25, owed=owed)
        offered.append(slots)
    assert offered == [0, 0, 1, 0, 1]


@checks("labour_demand")
def test_labour_demand_is_counted_by_the_search_pass_row_by_row() -> None:
    # rows 0 and 3 run the high technology and have not left: 2, on one thread or several;
    # rows 1 (left last month) and 2 (left before: the month skips it) do not count
    state = households({"occupation": ENTERPRISE_HIGH},
                       {"occupation": ENTERPRISE_HIGH, "status": LEFT},
                       {"occupation": ENTERPRISE_HIGH, "status": LEFT},
                       {"occupation": ENTERPRISE_HIGH}, {"occupation": ENTERPRISE_LOW})
    state.gone[2] = 1
    serial, parallel = state.copy(), state.copy()
    assert hiring_enterprises(state.ints) == 2
    assert search_rows(serial.floats, serial.ints, serial.gone, 0, state.n, params(),
                       month_context(state.n), np.empty(N_WORK)) == 2
    owner = np.array([1, 0])  # rows 0-2 by the second thread, 3-4 by the first
    assert search_kernel(parallel.floats, parallel.ints, parallel.gone, state.n, owner,
                         *params(), *month_context(state.n)) == 2
    assert np.array_equal(serial.ints, parallel.ints)


# ---- job slots ---------------------------------------------------------------------------
def fill_slots(state: HouseholdState, applicants: list[int], slots: int,
               mentor_contact: list[float] = (), priority: float = 2.0) -> int:
    """Run the job market uncompiled on ``state`` and compiled on a copy, a referral weighted
    by ``priority`` (the default's 2); assert they agree."""
    candidate = np.zeros(state.n, dtype=np.uint8)
    candidate[applicants] = 1
    contact = np.array(mentor_contact, dtype=np.float64)
    compiled = state.copy()
    filled = allocate_jobs.py_func(state.floats, state.ints, candidate, slots, contact,
                                   priority)
    assert allocate_jobs(compiled.floats, compiled.ints, candidate.copy(), slots,
                         contact, priority) == filled
    assert np.array_equal(state.ints, compiled.ints)
    return filled


@checks("job_slots")
def test_job_slots_go_to_the_referred_applicant_before_the_more_skilled() -> None:
    # skill + 2 r: 0.9 + 2 * 0 against 0.1 + 2 * 1 (job matching refers at full strength)
    state = households({"skill": 0.9}, {"skill": 0.1, "timer_job_matching": 5})
    assert fill_slots(state, [0, 1], slots=1) == 1
    assert state.field("has_job").tolist() == [0, 1]
    assert state.field("events").tolist() == [0, EVENT_JOB_FOUND]


@checks("job_slots")
def test_the_referral_counts_as_much_as_labour_referral_priority_says() -> None:
    # skill + w r with w = 0.5: 0.1 + 0.5 * 1 = 0.6 < 0.9; with w = 0 skill alone ranks
    for priority in (0.5, 0.0):
        state = households({"skill": 0.9}, {"skill": 0.1, "timer_job_matching": 5})
        fill_slots(state, [0, 1], slots=1, priority=priority)
        assert state.field("has_job").tolist() == [1, 0]


@checks("job_slots")
def test_job_slots_rank_by_skill_plus_twice_the_referral() -> None:
    # a social worker's referral r = 0.03 counts 2 * 0.03: 0.2 + 0.06 < 0.3 + 0
    state = households({"skill": 0.2, "mentor": 0}, {"skill": 0.3})
    fill_slots(state, [0, 1], slots=1, mentor_contact=[0.03])
    assert state.field("has_job").tolist() == [0, 1]


@checks("job_slots")
def test_job_slots_at_equal_standing_go_to_the_higher_skill_then_the_lower_row() -> None:
    state = households({"skill": 0.3}, {"skill": 0.6})
    fill_slots(state, [0, 1], slots=1)
    assert state.field("has_job").tolist() == [0, 1]
    state = households({"skill": 0.5}, {"skill": 0.5})
    fill_slots(state, [0, 1], slots=1)
    assert state.field("has_job").tolist() == [1, 0]


@checks("job_slots")
def test_job_slots_fill_no_more_than_the_applicants_and_the_rest_lapse() -> None:
    state = households({"skill": 0.9}, {"skill": 0.1})
    assert fill_slots(state, [1], slots=2) == 1
    assert state.field("has_job").tolist() == [0, 1]
    assert fill_slots(households({}, {}), [], slots=2) == 0


# ---- the programmes: enrolment -------------------------------------------------------------
def enrol(state: HouseholdState, *, month: int = 1, price_level: float = 1.0,
          **changes: object) -> Book:
    """One month of enrolment under the default config with ``changes`` (``phase_setup.config``);
    doses in multiples of k* use k* = 20 z."""
    book = Book()
    enrol_month(state, config(**changes), book, MonthContext(month, K_STAR, K_STAR, price_level,
                                                             free_mentor_places=0))
    return book


@checks("programmes")
def test_programmes_enrol_the_poorest_first_up_to_the_training_seats() -> None:
    # 500 seats per 1000 households: round(500 * 2 / 1000) = 1 seat for two households;
    # per-capita consumption 2.0 / 1 against 3.0 / 2 = 1.5: the second row is poorer
    state = households({"size": 1, "consumption": 2.0}, {"size": 2, "consumption": 3.0})
    book = enrol(state, programmes__training__enabled=True, institutions__training_seats=500.0)
    assert state.field("timer_training").tolist() == [0, 6]  # the default 6 months
    assert state.field("enrolled_ever").tolist() == [0, 1 << P_TRAINING]
    assert state.field("status").tolist() == [SUPPORTED, ENROLLED]
    assert book.target[P_TRAINING] == 2  # coverage 1 of two eligible households
    assert book.new[P_TRAINING] == 1
    assert book.short_of_capacity[P_TRAINING] == 1


@checks("programmes")
def test_programmes_asset_grant_adds_its_dose_times_k_star_once_at_enrolment() -> None:
    state = households({"assets": 3.0}, {"assets": 5.0})
    book = enrol(state, programmes__asset_grant__enabled=True)
    grant = 1.0 * 20.0  # the default dose, the indivisible asset: 1.0 k*
    assert state.field("assets").tolist() == approx_list([3.0 + grant, 5.0 + grant])
    assert state.field("cost_received").tolist() == approx_list([grant, grant])
    assert state.field("programme_cost_total").tolist() == approx_list([grant, grant])
    assert state.field("timer_asset_grant").tolist() == [1, 1]
    assert book.one_off[P_ASSET_GRANT] == pytest.approx(2 * grant)


@checks("programmes")
def test_programmes_a_loan_without_a_business_is_30_percent_assets_and_the_rest_savings(
) -> None:
    # take-up 1.0 (0.5 + e)(0.5 + u) = 1 at e = u = 0.5: both take it; the nominal 8 z loan
    # (the default cap) is worth 8 / 1.2 z at a price level of 1.2, repaid over 6 months
    common = {"confidence": 0.5, "culture": 0.5}
    state = households({**common, "assets": 5.0}, {**common, "assets": 25.0})
    enrol(state, price_level=1.2, programmes__microcredit__enabled=True,
          programmes__microcredit_terms__take_up_base=1.0)
    loan = 8.0 / 1.2
    assert state.field("assets").tolist() == approx_list([5.0 + 0.3 * loan, 25.0 + loan])
    assert state.field("savings").tolist() == approx_list([0.7 * loan, 0.0])
    assert state.field("debt").tolist() == approx_list([loan, loan])
    assert state.field("loan_instalment").tolist() == approx_list([loan / 6, loan / 6])
    assert state.field("cost_received").tolist() == approx_list([loan, loan])
    assert (state.ints[:, ENROLLED_EVER] == 1 << P_MICROCREDIT).all()


@checks("programmes")
def test_programmes_aspiration_campaign_raises_aspirations_by_its_dose_and_confidence_once(
) -> None:
    # a *= 1 + 0.2; e += 0.1, at most 1
    state = households({"aspiration": 1.0, "confidence": 0.5},
                       {"aspiration": 2.0, "confidence": 0.95})
    enrol(state, programmes__aspiration_campaign__enabled=True)
    assert state.field("aspiration").tolist() == approx_list([1.0 * 1.2, 2.0 * 1.2])
    assert state.field("confidence").tolist() == approx_list([0.5 + 0.1, 1.0])


@checks("programmes")
def test_programmes_enrolment_stops_when_the_budget_is_committed() -> None:
    # budget 4 z per household = 8 z; consumption support commits 0.5 z * 1 person * 9 months
    # = 4.5 z per household at enrolment: one fits
    state = households({"consumption": 2.0}, {"consumption": 1.0})
    book = enrol(state, month=3, programmes__consumption_support__enabled=True,
                 programmes__consumption_support__dose=0.5,
                 programmes__consumption_support__start_month=3, budget__limited=True,
                 budget__per_household_z=4.0)
    assert state.field("timer_consumption_support").tolist() == [0, 9]
    assert book.committed_z == pytest.approx(0.5 * 1 * 9)
    assert book.short_of_budget[P_CONSUMPTION_SUPPORT] == 1
    assert book.budget_exhausted_month == 3


def approx_list(values: list[float]) -> object:
    """Equal up to rounding, element by element."""
    return pytest.approx(values, rel=1e-12)


# ---- the programmes: mentor matching -------------------------------------------------------
MENTOR_GATES = np.array([0.45, 0.22, 0.2])  # e_min, u_min, low skill (the defaults)
MENTOR_KEY = 54321  # this month's key of the mentor stream


def match(state: HouseholdState, mentor_rows: list[dict], dropout: float = 0.0) -> dict:
    """Run mentor matching uncompiled on ``state`` and the mentors described by
    ``mentor_rows`` (kind, institution, capacity, focus, and optionally active, reserve,
    caseload), and compiled on copies; assert they agree. Returns the mentor arrays and the
    number of replacements."""
    arrays = {
        "kind": np.array([KINDS.index(r["kind"]) for r in mentor_rows], dtype=np.int8),
        "institution": np.array([INSTITUTIONS.index(r["institution"]) for r in mentor_rows],
                                dtype=np.int8),
        "capacity": np.array([r["capacity"] for r in mentor_rows], dtype=np.int32),
        "focus": np.array([r["focus"] for r in mentor_rows], dtype=np.int8),
        "active": np.array([r.get("active", 1) for r in mentor_rows], dtype=np.int8),
        "reserve": np.array([r.get("reserve", 0) for r in mentor_rows], dtype=np.int8),
        "caseload": np.array([r.get("caseload", 0) for r in mentor_rows], dtype=np.int32),
    }
    compiled_state = state.copy()
    compiled = {name: values.copy() for name, values in arrays.items()}
    key = np.uint64(MENTOR_KEY)
    replaced = mentors.match.py_func(state.floats, state.ints, *arrays.values(), key, dropout,
                                     MENTOR_GATES)
    assert mentors.match(compiled_state.floats, compiled_state.ints, *compiled.values(), key,
                         dropout, MENTOR_GATES) == replaced
    assert np.array_equal(state.ints, compiled_state.ints)
    for name, values in arrays.items():
        assert np.array_equal(values, compiled[name]), name
    return {**arrays, "replaced": replaced}


def coached(**values: float) -> dict:
    """A household in mentoring (months to come) with the given traits."""
    return {"timer_mentoring": 12, "confidence": 0.6, "culture": 0.6, "skill": 0.5, **values}


@checks("programmes")
def test_programmes_match_each_household_to_the_first_mentor_whose_focus_fits_its_need(
) -> None:
    # household 0 has low skill (0.1 < 0.2): skills; household 1 low confidence
    # (0.3 < 0.45): psychosocial
    state = households(coached(skill=0.1), coached(confidence=0.3))
    result = match(state, [
        {"kind": "student", "institution": "university", "capacity": 1, "focus": PSYCHOSOCIAL},
        {"kind": "professor", "institution": "university", "capacity": 1, "focus": SKILLS},
    ])
    assert state.field("mentor").tolist() == [1, 0]
    assert result["caseload"].tolist() == [1, 1]


@checks("programmes")
def test_programmes_one_mentor_with_room_for_one_goes_to_the_lower_row() -> None:
    # row 0 needs psychosocial support, none is offered: it takes the first mentor with room,
    # before row 1 whose need (business) the mentor fits
    state = households(coached(confidence=0.3), coached())
    result = match(state, [
        {"kind": "professional", "institution": "knowledge_firm", "capacity": 1,
         "focus": BUSINESS},
    ])
    assert state.field("mentor").tolist() == [0, -1]
    assert result["caseload"].tolist() == [1]


@checks("programmes")
def test_programmes_a_volunteer_who_drops_out_is_replaced_from_its_institutions_reserve(
) -> None:
    # a volunteer stops if its draw is below the drop-out rate: the rate is set between the
    # draws of rows 0 and 2, so the student of row 0 stops and its replacement (row 2) stays;
    # the household is released and matched again, to the reserve student whose focus fits
    dropout = (uniform(MENTOR_KEY, 0) + uniform(MENTOR_KEY, 2)) / 2
    assert uniform(MENTOR_KEY, 0) < dropout <= uniform(MENTOR_KEY, 2)
    state = households(coached(skill=0.1, mentor=0))
    result = match(state, [
        {"kind": "student", "institution": "university", "capacity": 5, "focus": SKILLS,
         "caseload": 1},
        {"kind": "social_worker", "institution": "relief_committee", "capacity": 350,
         "focus": PSYCHOSOCIAL},
        {"kind": "student", "institution": "university", "capacity": 5, "focus": SKILLS,
         "active": 0, "reserve": 1},
    ], dropout=dropout)
    assert result["replaced"] == 1
    assert result["active"].tolist() == [0, 1, 1]
    assert result["reserve"].tolist() == [0, 0, 0]
    assert state.field("mentor").tolist() == [2]
    assert result["caseload"].tolist() == [0, 0, 1]


@checks("programmes")
def test_programmes_release_households_whose_mentoring_ended_or_who_left() -> None:
    state = households(coached(mentor=0, timer_mentoring=0), coached(mentor=0, status=LEFT))
    result = match(state, [
        {"kind": "social_worker", "institution": "relief_committee", "capacity": 350,
         "focus": PSYCHOSOCIAL, "caseload": 2},
    ])
    assert state.field("mentor").tolist() == [-1, -1]
    assert result["caseload"].tolist() == [0]
