"""A burn-in lived once and handed to each scenario gives exactly the runs of separate burn-ins."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from agents import EmpowermentModel
from agents.burn_in import WORLD, BurnedIn
from experiments.config import load_config
from model import params
from scenarios import library

SIZE = ["population.households=300", "months=18", "population.burn_in_months=60", "threads=1",
        "outputs.snapshot_months=[0,6]"]


def config(scenario: str):
    return load_config([f"scenario={scenario}", *SIZE])


@pytest.fixture(scope="module")
def burned_in() -> BurnedIn:
    return BurnedIn.of(EmpowermentModel(config("baseline")))


def arrays(model: EmpowermentModel) -> dict[str, np.ndarray]:
    """Every array of the model's world, by name."""
    s = model.state
    return {"floats": s.floats, "ints": s.ints, "peer_prev": model.peer_prev,
            "peer_next": model.peer_next, "network.span": model.network.span,
            "network.index": model.network.index, "candidate": model.candidate,
            "slots_owed": model.slots_owed, "household_ids": model.household_ids,
            "entry.month": model.entry_plan.month, "entry.row": model.entry_plan.row,
            "keys": model.keys}


def assert_same_world(a: EmpowermentModel, b: EmpowermentModel) -> None:
    for name, array in arrays(a).items():
        np.testing.assert_array_equal(array, arrays(b)[name], err_msg=name)
    assert a.state.peer is a.peer_prev and b.state.peer is b.peer_prev
    assert (a.month, a.job_slots, a.entry_plan.places) == (b.month, b.job_slots,
                                                          b.entry_plan.places)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", library.names())
def test_a_shared_burn_in_gives_the_states_and_results_of_a_separate_run(
        scenario: str, burned_in: BurnedIn) -> None:
    alone = EmpowermentModel(config(scenario))
    shared = EmpowermentModel(config(scenario), start=burned_in)
    assert_same_world(alone, shared)
    alone.run()
    shared.run()
    assert_same_world(alone, shared)
    pd.testing.assert_frame_equal(alone.results(), shared.results(), check_exact=True)
    assert alone.snapshots.keys() == shared.snapshots.keys()
    for month, frame in alone.snapshots.items():
        pd.testing.assert_frame_equal(frame, shared.snapshots[month], check_exact=True)


def test_each_model_gets_its_own_copy_of_the_world(burned_in: BurnedIn) -> None:
    first = EmpowermentModel(config("graduation"), start=burned_in)
    before = first.state.floats.copy()
    EmpowermentModel(config("graduation"), start=burned_in).run()
    np.testing.assert_array_equal(first.state.floats, before)
    assert not any(np.shares_memory(arrays(first)[name], burned_in.world["state"].floats)
                   for name in ("floats", "ints"))
    assert set(burned_in.world) == set(WORLD)


def test_a_world_burned_in_with_other_settings_is_refused(burned_in: BurnedIn) -> None:
    other = params.replace(config("graduation"), **{"shocks.p_shock": 0.05, "seed": 7})
    with pytest.raises(ValueError, match="differ in seed, shocks"):
        EmpowermentModel(other, start=burned_in)


def test_only_a_model_at_month_0_gives_its_world() -> None:
    model = EmpowermentModel(load_config(["population.households=50", "months=2",
                                          "population.burn_in_months=2"]))
    model.step()
    with pytest.raises(ValueError, match="at month 1"):
        BurnedIn.of(model)
