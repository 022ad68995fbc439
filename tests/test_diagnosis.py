"""The counterfactual diagnosis of why a household is poor (``model.diagnosis``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from empowernet import EmpowermentModel
from model import counterfactual, diagnosis, record
from model import rng as streams
from model.counterfactual import PARALLEL_MIN_ROWS, mean_consumption
from model.schedule import numba_month
from model.state import CONSUMPTION, SIZE, HouseholdState

HORIZON, WINDOW = 12, 4
BUSY = {"shocks.p_shock": 0.2, "labour.p_find": 0.2, "labour.job_slots_per_1000": 20.0}
"""Frequent shocks (so informal cover flows) and a crowded job market (so copies compete with
the base's job seekers for few slots)."""


def busy_model(**settings) -> EmpowermentModel:
    """A small model run for a few months in a world where shocks and job search are common."""
    settings = {"households": 300, "months": 6, "rng": 4, **settings}
    return EmpowermentModel(overrides={**BUSY, "diagnosis.horizon_months": HORIZON,
                                       "diagnosis.window_months": WINDOW}, **settings).run()


def world_of(m: EmpowermentModel) -> diagnosis.World:
    """The diagnosis world of a model's current month, without exits (as ``diagnose`` has)."""
    return diagnosis.World(diagnosis.world_params(m.params), m.month_context, m.job_slots,
                           m.seed, m.programmes.dose_k_star)


def brute_force(m: EmpowermentModel, h: int, lever: str) -> float:
    """Mean per-capita consumption of household ``h`` over the window when only it is relaxed
    by ``lever``, from full runs of the ordinary month over the whole population: each month
    starts from the base's households (everyone continued without a relaxation) with ``h``
    replaced by its relaxed self, and its own signals of last month among the base's."""
    world = world_of(m)
    params = diagnosis.lever_params(world.params, lever)
    base = m.state.copy()
    relaxed = m.state.copy()
    diagnosis.relax(relaxed, lever, np.array([h]), world.k_star)
    own_signals = m.state.peer[h].copy()
    base_next = base.peer.copy()  # rows the month skips (HouseholdState.gone) keep theirs
    acc, hist = record.new_accumulators(m.state.n)
    total = 0.0
    for t in range(1, HORIZON + 1):
        month = m.month + t
        ctx = world.context._replace(month=month, keys=streams.month_keys(m.seed, month),
                                     candidate=np.zeros(m.state.n, dtype=np.uint8))
        full = HouseholdState(base.floats.copy(), base.ints.copy(), base.peer.copy())
        full.floats[h], full.ints[h], full.peer[h] = relaxed.floats[h], relaxed.ints[h], \
            own_signals
        full_next = np.empty_like(full.peer)
        # every household has ``lever``'s parameters here (no_shock: no one meets a shock), but
        # only ``h`` is kept: the others start each month from the base again
        numba_month(full, params, ctx._replace(peer_prev=full.peer, peer_next=full_next),
                    float(world.job_slots), np.zeros(1), -1, acc, hist)
        relaxed.floats[h], relaxed.ints[h] = full.floats[h], full.ints[h]
        own_signals = full_next[h].copy()
        numba_month(base, world.params, ctx._replace(peer_prev=base.peer, peer_next=base_next),
                    float(world.job_slots), np.zeros(1), -1, acc, hist)
        base.peer, base_next = base_next, base.peer
        if t > HORIZON - WINDOW:
            total += relaxed.floats[h, CONSUMPTION] / relaxed.ints[h, SIZE]
    return total / WINDOW


def test_the_copies_move_as_full_runs_in_which_only_their_household_is_relaxed() -> None:
    m = busy_model(threads=1)
    rows = diagnosis.poor_rows(m.state)
    world = world_of(m)
    layers = []
    for lever in diagnosis.LEVERS:
        layer = m.state.copy()
        diagnosis.relax(layer, lever, rows, world.k_star)
        layers.append(layer)
    _, means = mean_consumption(m.state, layers, [diagnosis.lever_params(world.params, lever)
                                                  for lever in diagnosis.LEVERS],
                                rows, world, HORIZON, WINDOW)
    for j in (0, 7, len(rows) // 2, len(rows) - 1):
        for k, lever in enumerate(diagnosis.LEVERS):
            assert means[k, j] == brute_force(m, rows[j], lever), (rows[j], lever)


def test_a_household_that_only_lacks_a_job_is_bound_by_the_job_market() -> None:
    m = EmpowermentModel(households=50, months=1, rng=2,
                         overrides={"labour.p_find": 0.0, "labour.p_separation": 0.0})
    s = m.state
    # no enterprise income whatever its assets, skill, confidence or culture; one adult and a
    # child: casual work gives at most (1.09 + 2 * 0.1 pension) / 2 < z per person, two adults
    # at most (1.09 * 2 ** 0.5 + 0.2) / 2 < z, a wage job (3 z) more than z after saving
    s.field("productivity")[0] = 0.0
    s.field("adults")[0], s.field("children")[0], s.field("elderly")[0] = 1, 1, 0
    s.field("size")[0] = 2
    s.field("has_job")[0] = 0
    s.field("savings")[0] = 0.0
    s.field("consumption")[0] = 0.5 * 2
    s.field("consumption")[1] = 5.0 * s.field("size")[1]  # not poor
    frame = m.household_frame()
    lifted = frame.filter(like="lifted_by_")
    assert list(lifted.columns[lifted.iloc[0]]) == ["lifted_by_wage_job"]
    assert frame.loc[0, "binding_constraint"] == "wage_job"
    assert not lifted.iloc[1].any()
    assert pd.isna(frame.loc[1, "binding_constraint"])


def test_every_poor_household_gets_one_answer_and_no_other_household_any() -> None:
    m = busy_model()
    frame = m.household_frame()
    poor = np.zeros(len(frame), dtype=bool)
    poor[diagnosis.poor_rows(m.state)] = True
    answer = frame["binding_constraint"]
    assert answer[poor].notna().all() and answer[~poor].isna().all()
    lifted = frame.filter(like="lifted_by_")
    assert not lifted[~poor].to_numpy().any()
    single = answer.isin(diagnosis.LEVERS)
    assert (lifted[single].sum(axis=1) == 1).all()
    assert (lifted[answer == "several"].sum(axis=1) > 1).all()
    assert not lifted[answer.isin(["none", "escapes_without_help"])].to_numpy().any()
    counts = m.binding_constraints()
    assert list(counts.index) == list(diagnosis.ANSWERS) and counts.sum() == poor.sum()


def test_the_answers_are_the_same_twice_and_for_one_or_two_threads(
        monkeypatch: pytest.MonkeyPatch) -> None:
    one = busy_model(threads=1)
    first = one.household_frame()
    pd.testing.assert_frame_equal(first, one.household_frame())
    two = busy_model(threads=2)
    with counterfactual.layer_map(PARALLEL_MIN_ROWS) as step_layers:
        assert step_layers is not map  # a pool of two threads for many rows
    with counterfactual.layer_map(PARALLEL_MIN_ROWS - 1) as step_layers:
        assert step_layers is map
    pd.testing.assert_frame_equal(first, two.household_frame())  # on the calling thread
    monkeypatch.setattr(counterfactual, "PARALLEL_MIN_ROWS", 0)
    pd.testing.assert_frame_equal(first, two.household_frame())  # on a pool of threads


def test_a_horizon_of_zero_months_diagnoses_nobody() -> None:
    m = EmpowermentModel(households=100, months=2, rng=1,
                         overrides={"diagnosis.horizon_months": 0}).run()
    frame = m.household_frame()
    assert frame["binding_constraint"].isna().all()
    assert not frame.filter(like="lifted_by_").to_numpy().any()


def test_only_the_final_snapshot_is_diagnosed() -> None:
    m = EmpowermentModel(households=200, months=4, rng=1,
                         overrides={"outputs.snapshot_months": [2]}).run()
    assert m.snapshots[2]["binding_constraint"].isna().all()
    assert m.snapshots[4]["binding_constraint"].notna().any()
    assert m.snapshots[4]["binding_constraint"].equals(m.household_frame()["binding_constraint"])


@pytest.mark.parametrize("lever", diagnosis.LEVERS)
def test_a_lever_changes_only_the_relaxed_rows(lever: str) -> None:
    m = EmpowermentModel(households=40, months=1, rng=3)
    before = m.state.copy()
    relaxed = m.state.copy()
    diagnosis.relax(relaxed, lever, np.array([1, 5]), 20.0)
    untouched = np.setdiff1d(np.arange(40), [1, 5])
    assert np.array_equal(relaxed.floats[untouched], before.floats[untouched])
    assert np.array_equal(relaxed.ints[untouched], before.ints[untouched])
    sizes = relaxed.field("adults") + relaxed.field("children") + relaxed.field("elderly")
    assert np.array_equal(sizes, relaxed.field("size"))
