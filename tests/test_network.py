"""The social network's ties, mentor matching (numba vs Python), targeting, scenario library."""

from __future__ import annotations

import numpy as np
import pytest

from agents import Household
from empowernet import EmpowermentModel
from experiments import load_config
from experiments.config import CONFIG_DIR
from model import mentors as mentoring
from model import network, rng
from model.state import MENTOR, P_JOB_MATCHING, P_MENTORING, TIMERS
from scenarios.targeting import RULES, order

MENTORING = ["programmes.mentoring.enabled=true", "programmes.mentoring.coverage=0.8",
             "institutions.students=30", "institutions.professors=8",
             "institutions.professionals=4", "institutions.volunteer_dropout=0.2",
             "population.households=600", "months=12"]


def test_matching_compiled_equals_uncompiled() -> None:
    m = EmpowermentModel(load_config(MENTORING))
    m.step()  # enrol
    state_a, state_b = m.state.copy(), m.state.copy()
    mentors_a = mentoring.build(m.config, m.state.n)
    mentors_b = mentoring.build(m.config, m.state.n)
    state_a.ints[:, MENTOR] = state_b.ints[:, MENTOR] = -1
    replaced = 0
    for month in range(1, 13):
        key = rng.key(m.seed, "mentor", month)
        a = mentoring.match(state_a.floats, state_a.ints, mentors_a.kind, mentors_a.institution,
                            mentors_a.capacity, mentors_a.focus, mentors_a.active,
                            mentors_a.reserve, mentors_a.caseload, key, 0.2,
                            m.programmes.gates)
        b = mentoring.match.py_func(state_b.floats, state_b.ints, mentors_b.kind,
                                    mentors_b.institution, mentors_b.capacity, mentors_b.focus,
                                    mentors_b.active, mentors_b.reserve, mentors_b.caseload,
                                    key, 0.2, m.programmes.gates)
        assert a == b
        replaced += a
        np.testing.assert_array_equal(state_a.ints[:, MENTOR], state_b.ints[:, MENTOR])
        np.testing.assert_array_equal(mentors_a.caseload, mentors_b.caseload)
        np.testing.assert_array_equal(mentors_a.active, mentors_b.active)
        if month == 6:  # mentoring ends for some households
            state_a.ints[::3, TIMERS + P_MENTORING] = state_b.ints[::3, TIMERS + P_MENTORING] = 0
    assert mentors_a.caseload.sum() > 0 and replaced > 0


def test_mentors_drop_out_are_replaced_while_the_reserve_lasts_and_caseloads_hold() -> None:
    m = EmpowermentModel(load_config([*MENTORING, "validate=true", "months=24"])).run()
    r = m.results()
    assert r["mentors_replaced_cumulative"].iloc[-1] > 0
    assert r["mentor_reserve_left"].iloc[-1] == 0  # 20 % a month exhausts the reserve
    assert r["mentors_active"].iloc[-1] < r["mentors_active"].iloc[1]
    assert (r["mentored"] <= r["enrolled_mentoring"]).all()
    volunteers = m.mentors.kind != 0
    assert (m.mentors.capacity[volunteers] == 5).all()
    assert (m.mentors.caseload <= m.mentors.capacity).all()


def test_a_mentor_refers_and_coaches_as_strongly_as_its_contact() -> None:
    m = EmpowermentModel(load_config([*MENTORING, "engine=python",
                                      "institutions.social_worker_contact=0.2"]))
    m.step()
    m.step()  # enrolled in month 1, matched by month 2
    social_worker = m.mentors.kind == mentoring.KINDS.index("social_worker")
    assert np.allclose(m.mentors.contact, np.where(social_worker, 0.2, 1.0))
    strength = m.mentors.quality * m.mentors.contact
    assert np.allclose(m.mentors.effects.min(axis=1), strength)  # the focus adds on top
    households = {h.row: h for h in m.agents_by_type[Household]}
    seen = set()
    for row in np.nonzero(m.state.ints[:, MENTOR] >= 0)[0]:
        h = households[int(row)]
        expected = 1.0 if h.timer(P_JOB_MATCHING) > 0 else m.mentors.contact[h.mentor]
        assert h.referral() == expected
        seen.add(expected)
    assert seen == {0.2, 1.0}  # both kinds of mentor were matched
    unmatched = np.nonzero(m.state.ints[:, MENTOR] < 0)[0]
    assert households[int(unmatched[0])].referral() == 0.0


def test_targeting_rules_order_as_documented() -> None:
    m = EmpowermentModel(households=300, months=1, rng=3)
    rows = np.arange(0, 300, 2)
    s = m.state
    c_pc = s.field("consumption") / s.field("size")
    poorest = order("poorest_first", rows, s, 20.0, 3, 1)
    assert np.all(np.diff(c_pc[poorest]) >= 0)
    near = order("near_threshold_first", rows, s, 20.0, 3, 1)
    below = s.field("assets")[near] < 20.0
    assert below[: below.sum()].all()  # everyone below k* comes first...
    assert np.all(np.diff(s.field("assets")[near][: below.sum()]) <= 0)  # ...nearest first
    lottery = order("lottery", rows, s, 20.0, 3, 1)
    assert sorted(lottery) == list(rows) and not np.array_equal(lottery, rows)
    assert np.array_equal(lottery, order("lottery", rows, s, 20.0, 3, 1))
    assert not np.array_equal(lottery, order("lottery", rows, s, 20.0, 4, 1))
    assert np.array_equal(order("all_eligible", rows, s, 20.0, 3, 1), rows)
    proxy = order("proxy_means", rows, s, 20.0, 3, 1)
    size = s.field("size").astype(float)
    score = (np.log1p(s.field("assets") / size) + 0.5 * np.log1p(s.field("savings") / size)
             - 0.05 * size - 0.1 * s.field("female_head"))  # the documented score, lowest first
    assert sorted(proxy) == list(rows) and np.all(np.diff(score[proxy]) >= 0)
    assert set(RULES) == {"poorest_first", "near_threshold_first", "lottery", "proxy_means",
                          "all_eligible"}


SCENARIOS = sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))


def test_library_holds_every_documented_scenario() -> None:
    assert set(SCENARIOS) == {"baseline", "graduation", "asset_grant", "training", "mentoring",
                              "microcredit", "cash_transfer", "jobs_and_incubation",
                              "aspiration_campaign", "empowerment_network"}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_library_scenario_runs_within_its_budget(scenario: str) -> None:
    cfg = load_config([f"scenario={scenario}", "population.households=800", "months=24",
                       "validate=true"])
    assert cfg.label == scenario
    r = EmpowermentModel(cfg).run().results()
    if scenario != "baseline":
        assert r["spending_programmes_cumulative"].iloc[-1] > 0
    if cfg.budget.limited:
        assert r["spending_programmes_cumulative"].iloc[-1] <= cfg.budget.per_household_z * 800


def test_a_user_scenario_file_composes_programmes_without_python(tmp_path) -> None:
    (tmp_path / "scenario").mkdir()
    (tmp_path / "scenario" / "my_mix.yaml").write_text(
        "# @package _global_\nlabel: my_mix\nprogrammes:\n"
        "  asset_grant: {enabled: true, targeting: proxy_means, coverage: 0.2}\n"
        "  savings_group: {enabled: true, coverage: 0.2}\n")
    cfg = load_config([f"hydra.searchpath=[file://{tmp_path}]", "scenario=my_mix",
                       "population.households=300", "months=12",
                       "population.burn_in_months=0", "status.p_entry=0"])
    r = EmpowermentModel(cfg).run().results()
    assert cfg.label == "my_mix" and r["new_asset_grant"].sum() == 60


def test_csr_builder_drops_self_ties_and_duplicates_and_orders_neighbours() -> None:
    generator = np.random.default_rng(7)
    n = 40
    edges = generator.integers(0, n, size=(300, 2))
    net = network.from_edges(n, edges)
    expected = {h: sorted({int(b) for a, b in edges if a == h and b != h} |
                          {int(a) for a, b in edges if b == h and a != h}) for h in range(n)}
    for h in range(n):
        assert net.neighbours(h).tolist() == expected[h]
    assert network.from_edges(3, np.zeros((0, 2), dtype=np.int64)).degree().tolist() == [0, 0, 0]


def test_handing_over_ties_moves_a_row_s_neighbours_to_another_row() -> None:
    net = network.with_rows(network.from_edges(4, np.array([[0, 1], [1, 2], [2, 3], [0, 2]])),
                            6)
    degree = net.degree()
    network.hand_over(net, np.array([2]), np.array([5]))
    neighbours = {h: net.neighbours(h).tolist() for h in range(6)}
    assert neighbours == {0: [1, 5], 1: [0, 5], 2: [], 3: [5], 4: [], 5: [0, 1, 3]}
    assert sorted(net.degree()) == sorted(degree)


def test_handing_over_many_rows_equals_renaming_the_ties() -> None:
    generator = np.random.default_rng(11)
    n, places = 120, 80
    net = network.with_rows(network.from_edges(places, generator.integers(0, places, (400, 2))),
                            n)
    vacated = np.sort(generator.choice(np.flatnonzero(net.degree() > 0), 25, replace=False))
    taker = generator.choice(np.arange(places, n), 25, replace=False)
    renamed = np.arange(n)
    renamed[vacated] = taker
    expected = network.from_edges(n, renamed[net.edges()])
    network.hand_over(net, vacated, taker)
    for h in range(n):
        assert net.neighbours(h).tolist() == expected.neighbours(h).tolist()
    assert sorted(map(tuple, net.edges().tolist())) == sorted(map(tuple, expected.edges().tolist()))


def test_handing_over_in_turns_equals_renaming_the_ties_at_once() -> None:
    """Entrants take places month after month, and a row that took a place may leave and hand
    it on: the ties then are those of renaming every tie once."""
    generator = np.random.default_rng(5)
    n, places = 200, 60
    net = network.with_rows(network.from_edges(places, generator.integers(0, places, (240, 2))),
                            n)
    ties = net.edges()
    owner = np.arange(n)  # the row now holding each starting place's ties
    next_row = places
    for _ in range(12):
        holding = np.flatnonzero(net.degree() > 0)
        vacated = np.sort(generator.choice(holding, min(6, holding.size), replace=False))
        taker = np.arange(next_row, next_row + vacated.size)
        next_row += vacated.size
        network.hand_over(net, vacated, taker)
        for v, t in zip(vacated, taker, strict=True):
            owner[np.flatnonzero(owner == v)] = t
    expected = network.from_edges(n, owner[ties])
    assert next_row > places + 60
    for h in range(n):
        assert net.neighbours(h).tolist() == expected.neighbours(h).tolist()


def test_a_snowball_sample_follows_ties_from_its_first_rows() -> None:
    # a path 0-1-2-3-4-5 and a pair 6-7; row 2 is not eligible (it has left)
    ring = network.from_edges(8, np.array([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [6, 7]]))
    eligible = np.ones(8, dtype=bool)
    eligible[2] = False
    # from row 4: its neighbours 3 and 5, then (nothing queued) the lowest rows left
    assert list(network.snowball(ring, eligible, np.array([4]), 4)) == [0, 3, 4, 5]
    assert list(network.snowball(ring, eligible, np.array([6]), 3)) == [0, 6, 7]
    # more first rows than asked for: each followed by its neighbours, not the first rows alone
    path = network.from_edges(10, np.array([[h, h + 1] for h in range(9)]))
    every = np.ones(10, dtype=bool)
    assert list(network.snowball(path, every, np.array([0, 3, 6, 9]), 4)) == [0, 1, 2, 3]
    # fewer eligible rows than asked for: all of them
    assert list(network.snowball(ring, eligible, np.array([], dtype=int), 10)) == \
        [0, 1, 3, 4, 5, 6, 7]


def test_the_network_sample_holds_clients_tied_to_each_other() -> None:
    m = EmpowermentModel(load_config(["population.households=2000", "months=24",
                                      "population.burn_in_months=24"])).run()
    rows = m.sample_rows(60)
    status = m.household_frame(diagnose=False)["status"].to_numpy()[rows]
    assert len(rows) == 60 and set(status) <= {"supported", "enrolled", "graduated"}
    # a snowball: at least one tie a household, where 60 rows drawn apart out of 2,000 (six
    # ties each) would share about five in all
    assert m.social_network(rows).number_of_edges() >= 60


def test_the_network_sample_shows_ties_with_more_mentored_households_than_it_holds() -> None:
    m = EmpowermentModel(load_config(["scenario=graduation", "population.households=2000",
                                      "months=6", "population.burn_in_months=24"])).run()
    assert (m.state.field("mentor") >= 0).sum() > 60
    rows = m.sample_rows(60)
    assert (m.state.field("mentor")[rows] >= 0).any()  # mentored ones first
    assert m.social_network(rows).number_of_edges() >= 40
