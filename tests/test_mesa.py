"""The model as Mesa sees it: agents as row views, batch_run, DataCollector, networkx."""

from __future__ import annotations

import re

import mesa
import networkx as nx
import numpy as np
import pytest

from agents import Household, Mentor
from empowernet import EmpowermentModel
from model.mentors import MENTOR_FIELDS
from model.state import CASUAL, LEFT, WAGE_JOB


def test_agents_are_views_onto_their_rows() -> None:
    m = EmpowermentModel(households=40, months=3, rng=2,
                         overrides={"population.burn_in_months": 0})  # row 7 has not left
    households = m.agents_by_type[Household]
    assert len(households) == m.state.n and m.state.n_start == 40  # pending entrants too
    h = sorted(households, key=lambda a: a.row)[7]
    assert h.assets == m.state.field("assets")[7]
    h.assets = 99.0
    assert m.state.field("assets")[7] == 99.0
    assert h.status_name == "supported" and h.occupation_name in ("casual", "enterprise_low")
    assert set(h.neighbours) == set(m.social_network().neighbors(7))


def test_mesa_batch_run_drives_the_model() -> None:
    rows = mesa.batch_run(EmpowermentModel, parameters={"households": [60, 80], "months": 4},
                          rng=[1, 2], max_steps=10, display_progress=False)
    assert len(rows) == 4
    assert {r["households"] for r in rows} == {60, 80}
    assert all(0.0 <= r["headcount"] <= 1.0 for r in rows)


def test_datacollector_has_one_row_per_month() -> None:
    m = EmpowermentModel(households=60, months=5, rng=3).run()
    frame = m.datacollector.get_model_vars_dataframe()
    assert len(frame) == 6
    assert frame["headcount"].tolist() == m.results()["headcount"].tolist()
    assert not m.running


def test_social_network_is_a_small_world() -> None:
    m = EmpowermentModel(households=1000, months=1, rng=4)
    g = m.social_network()
    degrees = [d for _, d in g.degree()]
    assert abs(sum(degrees) / len(degrees) - 6.0) < 0.1
    assert nx.average_clustering(g) > 0.3  # a random graph of this density would have ~0.006


def test_mentors_and_institutions_are_agents_too() -> None:
    from agents import Institution, Mentor

    m = EmpowermentModel(households=400, months=3, rng=5, overrides={
        "programmes.mentoring.enabled": True, "programmes.mentoring.coverage": 0.5,
        "institutions.students": 10.0})
    m.run()
    mentors = sorted(m.agents_by_type[Mentor], key=lambda a: a.row)
    assert len(mentors) == m.mentors.n > 0
    busy = max(mentors, key=lambda a: a.caseload)
    assert busy.caseload == len(busy.households) > 0
    assert busy.kind_name in ("social_worker", "student") and busy.focus_name
    institutions = {a.kind: a for a in m.agents_by_type[Institution]}
    assert len(institutions) == 6
    university = institutions["university"]
    assert university.programmes == ["mentoring"]
    assert set(university.mentors) <= {a.row for a in mentors if a.active}
    assert university.spending_cumulative == m.results()[
        "spending_university_cumulative"].iloc[-1] > 0


@pytest.mark.parametrize(("field", "value", "allowed"), [
    ("assets", -5.0, "assets (productive capital k; z) takes a finite number >= 0"),
    ("assets", float("nan"), "takes a finite number >= 0"),
    ("assets", "3", "takes a finite number >= 0"),
    ("income", float("inf"), "takes a finite number."),
    ("skill", 1.5, "takes a finite number in [0, 1]"),
    ("status", 99, "status (programme status: 0 supported, 1 enrolled, 2 graduated, 3 left, "
                   "4 pending; code) takes a whole number from 0 to 4"),
    ("occupation", 2.5, "takes a whole number from 0 to 4"),
    ("size", 2**40, "takes a whole number from 1 to 2147483647"),
])
def test_an_agent_attribute_refuses_a_value_its_field_does_not_allow(field, value,
                                                                    allowed) -> None:
    """Set between months, a value outside the field's declared range is refused at once,
    naming the field, the value and what it allows, and the state is left as it was."""
    m = EmpowermentModel(households=40, months=2, rng=2,
                         overrides={"population.burn_in_months": 0})
    h = sorted(m.agents_by_type[Household], key=lambda a: a.row)[7]
    floats, ints = m.state.floats.copy(), m.state.ints.copy()
    with pytest.raises(ValueError, match=re.escape(f"{field} = {value!r} is refused: ")) as err:
        setattr(h, field, value)
    assert allowed in str(err.value)
    assert np.array_equal(m.state.floats, floats, equal_nan=True)
    assert np.array_equal(m.state.ints, ints)
    repr(h)
    m.step()
    assert (m.results()["assets_mean"].notna()).all()


def test_an_agent_attribute_takes_any_value_its_field_allows() -> None:
    m = EmpowermentModel(households=40, months=2, rng=2, validate=True,
                         overrides={"population.burn_in_months": 0})
    h = sorted(m.agents_by_type[Household], key=lambda a: a.row)[7]
    h.assets, h.skill = 0, 1.0
    h.set(children=h.children + 1.0, size=h.size + 1)  # tied: adults + children + elderly
    assert (h.assets, h.skill) == (0.0, 1.0) and isinstance(h.children, int)
    m.step()


@pytest.fixture(scope="module")
def mentored() -> EmpowermentModel:
    """A model three months into mentoring: households with and without jobs, busy mentors."""
    return EmpowermentModel(households=400, months=3, rng=5, overrides={
        "programmes.mentoring.enabled": True, "programmes.mentoring.coverage": 0.5,
        "institutions.students": 10.0}).run()


def casual_client(m: EmpowermentModel) -> Household:
    """A client household with no wage job, its occupation casual work."""
    return next(h for h in sorted(m.agents_by_type[Household], key=lambda a: a.row)
                if h.status < LEFT and h.occupation == CASUAL and h.has_job == 0)


def busy_mentor(m: EmpowermentModel) -> Mentor:
    """The mentor coaching the most households."""
    return max(m.agents_by_type[Mentor], key=lambda a: a.caseload)


TIED = [
    (casual_client, {"has_job": 1}, "wage_job occupation exactly when holding a job",
     "(occupation = 1, status = "),
    (casual_client, {"occupation": WAGE_JOB}, "wage_job occupation exactly",
     "(has_job = 0, status = "),
    (casual_client, {"adults": 9}, "adults + children + elderly = size", "size = "),
    (casual_client, {"mentor": -2}, "mentor row is -1 (none) or an existing mentor's",
     "(mentors = "),
    (casual_client, {"mentor": "mentors"}, "or an existing mentor's", "(mentors = "),
    (busy_mentor, {"capacity": 0}, "mentor caseloads within capacity", "(caseload = "),
    (busy_mentor, {"active": 0}, "no household with a mentor who stopped", "(caseload = "),
    (busy_mentor, {"capacity": -1}, "capacity (households it can coach at once; households) "
                                    "takes a whole number from 0 to", ""),
    (busy_mentor, {"quality": 1.5}, "quality (quality of its coaching; 0-1) takes a finite "
                                    "number in [0, 1]", ""),
    (busy_mentor, {"kind": 7}, "takes a whole number from 0 to 3", ""),
]
"""An agent, fields set, and what the refusal says: a rule tying fields together (naming
the other fields it reads) or a mentor field's range."""


@pytest.mark.parametrize(("agent_of", "values", "rule", "besides"), TIED)
def test_a_set_that_breaks_a_rule_or_a_mentor_range_is_refused(mentored, agent_of, values,
                                                               rule, besides) -> None:
    """Caught when set, not only by validate=true after a month; nothing is changed."""
    agent = agent_of(mentored)
    values = {k: mentored.mentors.n if v == "mentors" else v for k, v in values.items()}
    arrays = [mentored.state.ints.copy(), mentored.state.floats.copy(),
              *(getattr(mentored.mentors, f.name).copy() for f in MENTOR_FIELDS)]
    given = ", ".join(f"{name} = {value!r}" for name, value in values.items())
    with pytest.raises(ValueError, match=re.escape(f"{given} is refused: ")) as err:
        for name, value in values.items():
            setattr(agent, name, value)
    assert rule in str(err.value) and besides in str(err.value)
    assert "Nothing was changed" in str(err.value)
    after = [mentored.state.ints, mentored.state.floats,
             *(getattr(mentored.mentors, f.name) for f in MENTOR_FIELDS)]
    assert all(np.array_equal(a, b) for a, b in zip(arrays, after, strict=True))


def test_fields_tied_by_a_rule_are_set_together() -> None:
    m = EmpowermentModel(households=400, months=3, rng=5, validate=True, overrides={
        "programmes.mentoring.enabled": True, "programmes.mentoring.coverage": 0.5,
        "institutions.students": 10.0})
    m.step()
    h = casual_client(m)
    h.set(has_job=1, occupation=WAGE_JOB)
    assert (h.has_job, h.occupation_name) == (1, "wage_job")
    mentor = busy_mentor(m)
    mentor.capacity, mentor.quality = mentor.caseload, 0.9
    m.step()  # validate=true: every invariant holds after the month


def mentor_with_room(m: EmpowermentModel, besides: int) -> Mentor:
    """An active mentor other than row ``besides`` that can take one more household."""
    return next(a for a in sorted(m.agents_by_type[Mentor], key=lambda a: a.row)
                if a.active and a.caseload < a.capacity and a.row != besides)


def test_setting_a_households_mentor_moves_it_between_the_mentors_caseloads() -> None:
    m = EmpowermentModel(households=400, months=3, rng=5, validate=True, overrides={
        "programmes.mentoring.enabled": True, "programmes.mentoring.coverage": 0.5,
        "institutions.students": 10.0})
    m.step()
    mentors = {a.row: a for a in m.agents_by_type[Mentor]}
    moved, released = [h for h in sorted(m.agents_by_type[Household], key=lambda a: a.row)
                       if h.mentor >= 0][:2]
    old, new = mentors[moved.mentor], mentor_with_room(m, moved.mentor)
    caseloads = old.caseload, new.caseload
    moved.mentor = new.row
    assert (moved.mentor, old.caseload, new.caseload) == (new.row, caseloads[0] - 1,
                                                          caseloads[1] + 1)
    was = mentors[released.mentor]
    caseload = was.caseload
    released.mentor = -1
    assert (released.mentor, was.caseload) == (-1, caseload - 1)
    assert all(a.caseload == len(a.households) for a in mentors.values())
    m.step()  # validate=true: mentor caseloads match their households
    assert all(a.caseload == len(a.households) for a in mentors.values())


@pytest.mark.parametrize("why", ["full", "stopped"])
def test_a_mentor_who_is_full_or_not_active_is_refused_and_nothing_changes(mentored,
                                                                           why) -> None:
    h = next(h for h in mentored.agents_by_type[Household] if h.mentor >= 0)
    mentor = (next(a for a in mentored.agents_by_type[Mentor]
                   if a.caseload == a.capacity and a.row != h.mentor) if why == "full" else
              next(a for a in mentored.agents_by_type[Mentor] if not a.active))
    arrays = [mentored.state.ints.copy(), mentored.mentors.caseload.copy()]
    with pytest.raises(ValueError, match=re.escape(f"mentor = {mentor.row} is refused: ")) as err:
        h.mentor = mentor.row
    assert f"mentor {mentor.row} " in str(err.value) and "Nothing was changed" in str(err.value)
    assert f"caseload = {mentor.caseload}" in str(err.value)
    assert f"capacity = {mentor.capacity}" in str(err.value)
    assert np.array_equal(mentored.state.ints, arrays[0])
    assert np.array_equal(mentored.mentors.caseload, arrays[1])


def test_a_mentors_caseload_follows_its_households_and_is_not_set_by_hand(mentored) -> None:
    busy = busy_mentor(mentored)
    busy.caseload = len(busy.households)  # already so: nothing to refuse
    with pytest.raises(ValueError, match=re.escape(f"caseload = {busy.caseload - 1} is "
                                                   "refused: ")) as err:
        busy.caseload -= 1
    assert "household.mentor" in str(err.value) and "Nothing was changed" in str(err.value)
    assert busy.caseload == len(busy.households)
