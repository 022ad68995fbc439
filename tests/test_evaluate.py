"""The plan -> evaluate -> store path: one run per distinct point, reuse by config hash, the
stored run equal to the live model (a run that shares its burned-in world with another of the
plan included), worker processes equal to one process."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from empowernet import EmpowermentModel
from experiments import evaluate as evaluation
from experiments import load_config
from experiments.evaluate import Point, evaluate
from experiments.kept_worlds import KeptWorlds, world_bytes

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
    # it; seed 1's world serves one run only and is not kept
    assert (worlds.reused, len(worlds)) == (1, 1)
    assert worlds.held == world_bytes(EmpowermentModel(plan[0].config)) > 0


def test_runs_whose_world_does_not_fit_live_their_own_burn_in_to_the_same_results(
        plan, stored, tmp_path, monkeypatch):
    worlds = KeptWorlds(budget=0)
    monkeypatch.setattr(evaluation, "KEPT", worlds)
    alone = evaluate(plan, tmp_path)
    assert (worlds.reused, len(worlds), worlds.held) == (0, 0, 0)
    pd.testing.assert_frame_equal(alone.results(), stored[1].results())
    for a, b in zip(alone.runs, stored[1].runs, strict=True):
        pd.testing.assert_frame_equal(a.households, b.households)


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
