"""The plan -> evaluate -> store path: one run per distinct point, reuse by config hash, the
stored run equal to the live model (a run that shares its burned-in world with another of the
plan included), worker processes equal to one process."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from joblib import Parallel, delayed

from empowernet import EmpowermentModel
from experiments import evaluate as evaluation
from experiments import load_config
from experiments.evaluate import Point, by_world, evaluate
from experiments.kept_worlds import (
    MEMORY_SHARE,
    WORKER_BUDGET,
    KeptWorlds,
    budget,
    machine_memory,
    world_bytes,
)

TINY = ["population.households=150", "months=6", "outputs.snapshot_months=[0,3]"]


@pytest.fixture(scope="module")
def plan() -> list[Point]:
    base = load_config(TINY)
    return [Point.of("baseline", base, 0), Point.of("baseline", base, 1),
            Point.compose("graduation", [*TINY, "scenario=graduation"], 0),
            Point.of("same as the first", base, 0)]


@pytest.fixture(scope="module")
def stored(plan, tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs")
    return folder, evaluate(plan, folder)


def test_each_distinct_point_runs_once_into_a_folder_named_by_its_content(plan, stored):
    folder, runs = stored
    names = sorted(p.parent.relative_to(folder).as_posix()
                   for p in folder.glob("*/*/manifest.json"))
    assert len(names) == 3  # the fourth point is the first again
    first = runs.runs[0]
    manifest = json.loads((first.folder / "manifest.json").read_text())
    assert first.run_id == f"baseline/s0-{manifest['config_hash'][:8]}"
    assert first.folder == folder / first.run_id
    assert runs.runs[3].folder == first.folder
    index = json.loads((folder / "index.json").read_text())
    assert sorted(row["run"] for row in index["runs"]) == names


def test_finished_runs_are_reused_and_a_changed_setting_runs_beside_them(plan, stored):
    folder, _ = stored
    before = {p: p.stat().st_mtime_ns for p in folder.glob("*/*/results.parquet")}
    evaluate(plan, folder)
    assert before == {p: p.stat().st_mtime_ns for p in folder.glob("*/*/results.parquet")}
    changed = Point.of("no shocks", load_config([*TINY, "shocks.p_shock=0"]), 0)
    evaluate([changed], folder)
    assert len(list(folder.glob("*/*/manifest.json"))) == 4
    assert set(before) < set(folder.glob("*/*/results.parquet"))


def test_the_results_table_is_tidy_and_labelled(plan, stored):
    _, runs = stored
    table = runs.results()
    assert list(table.columns[:4]) == ["point", "scenario", "seed", "run"]
    assert {"scenario", "seed", "month"} <= set(table.columns)
    assert len(table) == len(plan) * 7  # months 0..6 for every point
    grad = table[table["point"] == "graduation"]
    assert set(grad["scenario"]) == {"graduation"} and set(grad["seed"]) == {0}


def test_a_stored_run_holds_what_the_live_model_holds(plan, stored):
    _, runs = stored
    run = runs.run("graduation", 0)
    live = EmpowermentModel(plan[2].config).run()
    pd.testing.assert_frame_equal(run.results.drop(columns=["scenario", "seed", "run"]),
                                  live.results())
    pd.testing.assert_frame_equal(run.final, live.household_frame(), check_categorical=False)
    assert sorted(run.snapshots) == sorted(live.snapshots)
    assert run.asset_threshold == live.asset_threshold
    assert run.point.config == plan[2].config


def test_runs_that_share_a_burned_in_world_live_it_once(plan, tmp_path, monkeypatch):
    worlds = KeptWorlds(budget=2**30)
    monkeypatch.setattr(evaluation, "KEPT", worlds)
    evaluate(plan, tmp_path)
    # baseline and graduation of seed 0 burn in alike: one lives it, the other starts from
    # it, and the world is dropped after them; seed 1's world serves one run only
    assert (worlds.reused, len(worlds), worlds.held) == (1, 0, 0)
    evaluate([Point.of("kept", plan[0].config, 2), Point.of("kept", plan[1].config, 2)],
             tmp_path, keep_worlds=True)  # seed 2's world, kept for further plans
    assert len(worlds) == 1 and worlds.held > 0


def test_a_worlds_runs_are_one_task_split_only_when_worlds_are_fewer_than_jobs():
    order = [Path("a1"), Path("a2"), Path("a3"), Path("b1")]
    keys = {Path("a1"): "a", Path("a2"): "a", Path("a3"): "a", Path("b1"): "b"}
    assert by_world(order, keys, 2) == [order[:3], order[3:]]
    assert by_world(order, keys, 4) == [[order[0], order[2]], [order[1]], [order[3]]]
    assert by_world([], {}, 2) == []


def test_runs_whose_world_does_not_fit_live_their_own_burn_in_to_the_same_results(
        plan, stored, tmp_path, monkeypatch):
    worlds = KeptWorlds(budget=0)
    monkeypatch.setattr(evaluation, "KEPT", worlds)
    alone = evaluate(plan, tmp_path)
    assert (worlds.reused, len(worlds), worlds.held) == (0, 0, 0)
    pd.testing.assert_frame_equal(alone.results(), stored[1].results())
    for a, b in zip(alone.runs, stored[1].runs, strict=True):
        pd.testing.assert_frame_equal(a.households, b.households)


def test_a_world_that_does_not_fit_drops_the_least_recently_used(plan):
    base, other = plan[0].config, plan[1].config  # seeds 0 and 1: two worlds
    third = load_config([*TINY, "seed=2"])
    size = [world_bytes(EmpowermentModel(config)) for config in (base, other, third)]
    worlds = KeptWorlds(budget=sum(sorted(size)[1:]))  # room for any two worlds, not three
    worlds.model(base)
    worlds.model(other)
    worlds.model(base)  # seed 0's world is now the more recently used
    worlds.model(third)  # makes room by dropping seed 1's world
    assert (len(worlds), worlds.held, worlds.reused) == (2, size[0] + size[2], 1)
    worlds.model(plan[2].config)  # graduation, seed 0: its world is still kept
    worlds.model(third)
    assert worlds.reused == 3
    worlds.model(other)  # seed 1's world was dropped: lived again, and kept
    assert (len(worlds), worlds.reused) == (2, 3)


@pytest.mark.slow
def test_a_worker_process_keeps_worlds_within_what_joblib_lets_it_grow():
    # joblib replaces a worker whose memory grew by 300 MB, losing the worlds it kept
    assert budget() == int(MEMORY_SHARE * machine_memory())
    in_workers = Parallel(n_jobs=2)(delayed(budget)() for _ in range(2))
    assert in_workers == [min(WORKER_BUDGET, budget())] * 2


def test_a_stored_network_sample_is_a_graph_of_its_nodes(stored):
    _, runs = stored
    folder = runs.run("graduation", 0).folder
    nodes = pd.read_parquet(folder / "network_nodes.parquet")
    edges = pd.read_parquet(folder / "network_edges.parquet")
    assert nodes["id"].is_unique and (nodes["kind"] == "household").sum() == 60
    assert set(edges["source"]) | set(edges["target"]) <= set(nodes["id"])
    assert set(edges["tie"]) <= {"social", "mentor", "affiliation"}


@pytest.mark.slow
def test_worker_processes_store_the_same_runs_as_one_process(plan, stored, tmp_path):
    _, one = stored
    two = evaluate(plan, tmp_path, jobs=2)
    assert [r.run_id for r in two.runs] == [r.run_id for r in one.runs]
    pd.testing.assert_frame_equal(two.results(), one.results())
    for a, b in zip(one.runs, two.runs, strict=True):
        pd.testing.assert_frame_equal(a.households, b.households)
        assert a.manifest["config_hash"] == b.manifest["config_hash"]
