"""Business as usual is a stationary baseline: a burned-in start, new clients entering and an
indexed pension (MODEL.md §5, docs/model.md "A stationary baseline")."""

from __future__ import annotations

import numpy as np
import pytest

from empowernet import EmpowermentModel
from experiments import load_config
from model import entry, population, rng
from model.params import BASELINE, Config
from model.state import ENTERPRISE_HIGH, EVENT_LEFT, EVENTS, LEFT, MENTOR, PENDING, STATUS, STATUSES
from model.threshold import asset_threshold
from scenarios import library
from tests.helpers import modules_binding, reference_roster

# Largest departures of a year's mean from the first year's over ten years of business as usual
# that still count as stationary (yearly means: a month's headcount moves by up to 2 pp with
# that month's casual work at this size). After the default 360-month burn-in, seed 1 moves
# 1.5 pp, 4.8 % and 0.006 (docs/model.md, A stationary baseline); after 240 months its assets
# moved 5.4 %, and without burn-in and entry the yearly headcount moved 2.5 pp at this size,
# and mean assets 16 % by month 120 at 20,000.
STATIONARY = {"headcount": 0.02, "assets_mean": 0.05, "confidence_mean": 0.03}


def test_the_baseline_scenario_is_named_once() -> None:
    """``BASELINE`` is the library's business-as-usual scenario and the default run's label,
    and no other module states the name again."""
    assert BASELINE in library.names()
    assert load_config([]).label == Config().label == BASELINE
    assert modules_binding("BASELINE") == ["model/params.py"]


def test_the_default_pension_is_indexed() -> None:
    assert load_config([]).transfers.pension_indexed is True
    assert load_config(["transfers.pension_indexed=false"]).transfers.pension_indexed is False


@pytest.mark.slow
def test_business_as_usual_is_stationary_after_the_burn_in() -> None:
    r = EmpowermentModel(households=5000, months=120, rng=1, collect="headline").run().results()
    years = r[r["month"] < 120].groupby(r["month"] // 12).mean()
    drift = years - years.iloc[0]
    assert drift["headcount"].abs().max() < STATIONARY["headcount"]
    assert (drift["assets_mean"] / years["assets_mean"].iloc[0]).abs().max() < \
        STATIONARY["assets_mean"]
    assert drift["confidence_mean"].abs().max() < STATIONARY["confidence_mean"]


def test_the_active_population_stays_near_its_starting_size_with_entry() -> None:
    r = EmpowermentModel(households=2000, months=120, rng=3,
                         overrides={"population.burn_in_months": 0}).run().results()
    active = r["households_active"].to_numpy()
    assert active[0] == 2000
    # 1 %/month leave and 1.1 % of the starting households enter, so the expected count rises
    # to 2000 * 0.99 * 0.011 / 0.01 = 2178 (2125 by month 120); without entry 30 % would remain
    assert np.all((active >= 0.95 * 2000) & (active <= 1.1 * 2000))


def test_pending_rows_are_never_enrolled_matched_nor_counted() -> None:
    cfg = load_config(["scenario=empowerment_network", "months=24", "validate=true",
                       "population.households=500", "population.burn_in_months=0"])
    m = EmpowermentModel(cfg)
    assert STATUSES[PENDING] == "pending"
    enrolled_any = False
    for _ in range(cfg.months):
        m.step()
        i = m.state.ints
        pending = i[:, STATUS] == PENDING
        assert pending.any() == (m.month < cfg.months)  # the last entrant enters at the end
        assert not m.state.field("enrolled_ever")[pending].any()
        assert not m.state.field("active_programmes")[pending].any()
        assert np.all(i[pending, MENTOR] == -1)
        assert not m.state.peer[pending].any()  # a pending neighbour shows nothing
        assert m.results_table.latest("households_active") == np.count_nonzero(
            i[:, STATUS] < LEFT)
        enrolled_any |= bool(m.state.field("enrolled_ever")[~pending].any())
    assert enrolled_any
    frame = m.household_frame()
    assert frame.loc[frame["status"] == "pending", "binding_constraint"].isna().all()


def test_no_household_starts_with_an_established_enterprise() -> None:
    cfg = Config()
    for state in (population.synthetic(cfg, 2000), population.fresh(cfg, np.arange(2000, 4000))):
        population.start_flows(state, cfg)
        assert (state.field("assets") >= asset_threshold(cfg)).sum() > 50
        assert not state.field("high_tech_months").any()  # the time to build starts at 0
        assert not (state.field("occupation") == ENTERPRISE_HIGH).any()


def test_rows_do_not_grow_with_the_length_of_the_burn_in() -> None:
    cfg = Config()
    start = population.synthetic(cfg, 1000)
    plans = {b: entry.plan(cfg, start, b, 12) for b in (0, 120, 240, 480)}
    counted = int(0.011 * 1000 * 12)
    for b, plan in plans.items():
        assert plan.month.size == int(0.011 * 1000 * (b + 12) + 1e-9)  # 5,280 enter in 480
        # the caseload tends to 1.1 times the start (entry 1.1 %/month of the starting
        # households, exits 1 %/month of the clients), and so do the burn-in's rows
        assert 1000 <= plan.places <= 1150 and plan.rows == plan.places + counted
    assert plans[0].places == 1000 and plans[480].places - plans[240].places < 30


def test_burn_in_entrants_take_the_lowest_rows_left_as_fresh_households() -> None:
    m = EmpowermentModel(households=400, months=1, rng=6,
                         overrides={"population.burn_in_months": 36, "status.p_exit": 0.05})
    plan = m.entry_plan
    burn_in = plan.month <= 0
    assert m.state.n == plan.places + plan.month[~burn_in].size
    assert plan.row[burn_in].max() < plan.places and plan.places < 400 + 10
    reused = np.flatnonzero(burn_in & (plan.row < 400))
    assert reused.size > 0.8 * burn_in.sum()  # exits outnumber entrants: rows come back
    for month in range(-34, 1):  # in each month the lowest free rows, in order
        rows = plan.row[plan.month == month]
        assert np.all(np.diff(rows) > 0)
    last = np.flatnonzero(plan.month == 0)  # entered in the last burn-in month
    drawn = population.drawn(m.config, 400 + last)
    for name in ("size", "adults", "female_head"):
        np.testing.assert_array_equal(m.state.field(name)[plan.row[last]], drawn.field(name))
    assert m.month == 0 and m.household_ids.size == m.state.n


@pytest.mark.parametrize(("at_least", "draws"), [(1, 5), (60, 4), (entry.DRAWN_AT_LEAST, 1)])
def test_entrants_drawn_in_batches_are_those_drawn_month_by_month(
        at_least: int, draws: int, monkeypatch: pytest.MonkeyPatch) -> None:
    m = EmpowermentModel(households=300, months=30, rng=4,
                         overrides={"population.burn_in_months": 30})
    arrivals = entry.Arrivals(m.config, m.entry_plan, m.state.n_start, at_least)
    months = np.unique(m.entry_plan.month)
    assert months.size == 60 and m.entry_plan.month.size < entry.DRAWN_AT_LEAST
    sizes: list[int] = []
    fresh = population.fresh
    monkeypatch.setattr(population, "fresh", lambda cfg, ids: sizes.append(ids.size) or
                        fresh(cfg, ids))
    for month in months:
        entering = m.entry_plan.entering(month)
        batch, at = arrivals.batch(int(entering[0]), int(entering[-1]) + 1)
        alone = fresh(m.config, m.state.n_start + entering)
        np.testing.assert_array_equal(batch.floats[at:at + entering.size], alone.floats)
        np.testing.assert_array_equal(batch.ints[at:at + entering.size], alone.ints)
    # a year of entrants, or at least at_least of them, at a time: 198 entrants in 60 months
    # (a batch starts with the first entrant of a month that the last one did not hold)
    assert m.entry_plan.month.size == 198
    assert len(sizes) == draws


def test_counted_entrants_take_over_the_ties_of_households_that_left() -> None:
    m = EmpowermentModel(households=600, months=24, rng=7,
                         overrides={"population.burn_in_months": 12, "status.p_exit": 0.03})
    ties = m.network.index.size
    assert not m.network.degree()[m.state.ints[:, STATUS] == PENDING].any()
    m.run()
    degree, status = m.network.degree(), m.state.ints[:, STATUS]
    assert m.network.index.size == ties  # ties move, none is made or lost
    assert np.all(degree[status < LEFT] > 0)  # exits outnumber entrants: a place for each
    assert not degree[status == PENDING].any()


def test_entrants_enter_in_row_order_at_the_entry_rate() -> None:
    m = EmpowermentModel(households=1000, months=24, rng=2,
                         overrides={"population.burn_in_months": 0, "status.p_exit": 0.0})
    assert m.state.n_start == 1000 and m.state.n == 1000 + int(0.011 * 1000 * 24)
    m.run()
    entered = m.state.ints[1000:, STATUS] != PENDING
    assert entered.all()
    r = m.results()
    assert r["households_active"].tolist() == [1000 + int(0.011 * 1000 * t + 1e-9)
                                               for t in range(25)]


def test_the_burn_in_is_not_recorded_and_draws_its_own_random_numbers() -> None:
    m = EmpowermentModel(households=300, months=6, rng=4,
                         overrides={"population.burn_in_months": 24}).run()
    assert m.results()["month"].tolist() == list(range(7))
    burn_in = {int(k) for t in range(-23, 1) for k in rng.month_keys(4, t)}
    recorded = {int(k) for t in range(1, 7) for k in rng.month_keys(4, t)}
    assert len(burn_in) == 24 * len(rng.STREAM_NAMES) and not burn_in & recorded
    # the burn-in leaves no household with its drawn (month -24) assets
    drawn = EmpowermentModel(households=300, months=6, rng=4,
                             overrides={"population.burn_in_months": 0})
    assert not np.allclose(m.state.field("assets")[:300], drawn.state.field("assets")[:300])


def test_a_roster_is_not_burned_in(tmp_path) -> None:
    assets = np.array([10.0, 19.9, 20.0, 40.0])
    roster = reference_roster(tmp_path / "reference.csv", assets)
    m = EmpowermentModel(load_config(["population=pilot", f"population.roster_path={roster}",
                                      "population.burn_in_months=240"]))
    assert m.month == 0 and m.burn_in_months == 0
    np.testing.assert_array_equal(m.state.field("assets")[:4], assets)
    assert m.household_frame()["household_id"].iloc[4] == "entrant-4"


def test_each_counted_entrant_is_planned_the_lowest_place_left_with_ties() -> None:
    m = EmpowermentModel(households=500, months=18, rng=9,
                         overrides={"population.burn_in_months": 12, "status.p_exit": 0.04})
    plan, taken = m.entry_plan, 0
    for month in range(1, 19):
        entering = plan.entering(month)
        free = np.flatnonzero((m.state.ints[:, STATUS] == LEFT) & (m.network.degree() > 0))
        expected = np.full(entering.size, -1)
        expected[:min(free.size, entering.size)] = free[:entering.size]
        np.testing.assert_array_equal(plan.place[entering], expected)
        taken += int((expected >= 0).sum())
        m.step()
    assert taken > 0 and (plan.place[plan.month <= 0] == -1).all()


def test_a_planned_place_that_is_a_client_s_is_refused_as_a_bug() -> None:
    m = EmpowermentModel(households=300, months=6, rng=2,
                         overrides={"population.burn_in_months": 6, "status.p_exit": 0.05})
    entering = m.entry_plan.entering(1)
    assert entering.size
    client = int(np.flatnonzero(m.state.ints[:, STATUS] < LEFT)[0])
    m.entry_plan.place[entering[0]] = client
    with pytest.raises(RuntimeError, match=f"place of row {client}, which is not"):
        m.step()


def test_a_row_is_marked_in_its_first_month_after_leaving_and_freed_for_its_entrant(
        monkeypatch) -> None:
    taken_while_skipped = []
    admit = entry.admit

    def admit_and_count(state, arrivals, month):
        rows = arrivals.plan.row[arrivals.plan.entering(month)]
        taken_while_skipped.append(int(state.gone[rows].sum()))
        return admit(state, arrivals, month)

    monkeypatch.setattr(entry, "admit", admit_and_count)
    # validate=true checks every month, the burn-in's too, that a skipped row has left and
    # that the month changes nothing of it
    m = EmpowermentModel(households=300, months=4, rng=5, overrides={
        "population.burn_in_months": 24, "status.p_exit": 0.05, "validate": True})
    assert sum(taken_while_skipped) > 0  # entrants took rows that were skipped
    assert not m.state.gone[m.state.ints[:, STATUS] != LEFT].any()
    m.step()
    left = np.flatnonzero(m.state.ints[:, EVENTS] & EVENT_LEFT)
    assert left.size and not m.state.gone[left].any()  # not in the month it leaves
    m.step()
    assert m.state.gone[left].all()  # marked in its first month after leaving: skipped after
