"""One way to run many simulations: a plan of points, evaluated into the run store.

A point is one validated configuration (its seed included) with a name saying what it stands
for in its plan (a scenario, a package, a sample index). ``evaluate`` runs every point through
``run_one`` into a folder of the store named from its content (``store.run_id``:
``<label>/s<seed>-<hash8>``, as in a sweep), so a point whose finished run is already stored
is read back, never run again; ``jobs > 1`` runs the points in that many joblib worker
processes. Validation, sensitivity, advice and policy search build plans and evaluate them; a
Hydra sweep runs each of its jobs through ``run_point``, the same step.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from pathlib import Path
from typing import Any

import pandas as pd
from joblib import Parallel, delayed
from tqdm import tqdm

from agents import EmpowermentModel
from experiments import console, store
from experiments.config import load_config
from experiments.kept_worlds import KEPT, KeptWorlds, release_freed_memory, world_key
from experiments.runner import run_one
from experiments.sweep import write_index
from experiments.uncertainty import reseeded
from model import Config
from model.params import check_machine, replace, to_dict


@dataclass(frozen=True)
class Point:
    """One run of a plan: a validated config (seed included) and what it stands for."""

    name: str
    config: Config

    @classmethod
    def of(cls, name: str, config: Config, seed: int) -> Point:
        """The point of ``config`` run with ``seed`` (and the posterior draw it takes)."""
        return cls(name, reseeded(config, seed))

    @classmethod
    def compose(cls, name: str, overrides: Sequence[str], seed: int) -> Point:
        """The point of the configuration composed from Hydra ``overrides``, with ``seed``."""
        return cls(name, load_config([*overrides, f"seed={seed}"]))

    @property
    def seed(self) -> int:
        """The point's seed."""
        return self.config.seed


def beside_others(config: Config) -> Config:
    """A run among many: one numba thread unless ``threads`` says otherwise, and no month
    bar (parallel runs take one process per core; a sweep counts runs, not months)."""
    return replace(config, threads=config.threads or 1, progress=False)


def run_point(config: Config, folder: Path, reuse: bool = True, overwrite: bool = False,
              worlds: KeptWorlds | None = None) -> EmpowermentModel | None:
    """Run ``config`` into ``folder``; None if ``reuse`` and ``folder`` already holds its
    finished run (same config hash and seed). With ``worlds``, the run starts from a
    burned-in world kept there, or keeps the one it lives (``experiments.kept_worlds``).

    Raises:
        ConfigError: this machine cannot run ``config`` (``check_machine``).
        store.RunConflictError: ``folder`` holds a run of another config or seed, and not
            ``overwrite``.
        store.DamagedError: ``folder`` holds a run whose manifest cannot be read, and not
            ``overwrite``.
    """
    check_machine(config)  # here, where it runs: a cluster's node, not the login node
    console.announce_compiling()  # in a worker process too: its kernels compile there
    values = to_dict(config)
    if not overwrite:
        store.refuse_other_run(folder, values)
    if reuse and store.finished(folder, values):
        return None
    store.clear_partial(folder)
    return run_one(config, folder, worlds)


Runs = list[tuple[Config, Path]]
"""Runs of a plan that burn in to one world: each config with its folder."""


def _run_world(runs: Runs, shared: bool, keep: bool) -> int:
    """Run ``runs``, which burn in to one world, one after the other; returns how many. With
    ``shared`` the first lives the burn-in and the others start from a copy of its world
    (:data:`KEPT`), which stays kept after them only with ``keep``."""
    for config, folder in runs:
        run_point(config, folder, worlds=KEPT if shared else None)
    if shared and not keep:
        KEPT.forget(runs[0][0])
    return len(runs)


def _run_world_in_worker(runs: Runs, shared: bool, keep: bool) -> int:
    """:func:`_run_world` in a worker process (the models stay there: only their files
    return); the memory the runs freed is then given back to the system, so that the
    worker's memory grows only by the worlds it keeps (``release_freed_memory``)."""
    done = _run_world([(beside_others(config), folder) for config, folder in runs], shared,
                      keep)
    release_freed_memory()
    return done


def by_world(order: list[Path], keys: dict[Path, str], jobs: int) -> list[list[Path]]:
    """The runs of ``order`` (sorted by their world's key) in groups that burn in to one
    world, each group split in parts when there are fewer worlds than ``jobs``, so that
    every worker has runs (each part lives the burn-in once)."""
    groups = [list(group) for _, group in groupby(order, key=keys.__getitem__)]
    parts = -(-jobs // len(groups)) if groups else 1  # ceil(jobs / worlds)
    return [part for group in groups for part in
            (group[i::parts] for i in range(min(parts, len(group))))]


class StoredRun:
    """A finished run of the store, read on demand: its tables are read once each."""

    def __init__(self, point: Point, folder: Path) -> None:
        self.point = point
        self.folder = folder

    @property
    def run_id(self) -> str:
        """The run's id (``store.run_id``: its folder's path in the store)."""
        return store.run_id(to_dict(self.point.config))

    @cached_property
    def manifest(self) -> dict[str, Any]:
        """The run's manifest (status, config hash, asset threshold, timings...)."""
        return store.read_manifest(self.folder)

    @property
    def asset_threshold(self) -> float:
        """The run's asset threshold k* (z)."""
        return self.manifest["asset_threshold_z"]

    @cached_property
    def results(self) -> pd.DataFrame:
        """One row per month (the run's ``results.parquet``)."""
        return store.read_table(self.folder, store.RESULTS)

    @cached_property
    def households(self) -> pd.DataFrame:
        """Every household snapshot in one long table with a ``month`` column."""
        return store.read_table(self.folder, store.HOUSEHOLDS)

    @cached_property
    def snapshots(self) -> dict[int, pd.DataFrame]:
        """The household snapshots by month, each one row per household in row order."""
        drop = ["month", *store.RUN_COLUMNS]
        return {int(month): frame.drop(columns=drop).reset_index(drop=True)
                for month, frame in self.households.groupby("month", sort=True)}

    @property
    def final(self) -> pd.DataFrame:
        """The households at the end of the run (its last snapshot)."""
        return self.snapshots[max(self.snapshots)]


@dataclass(frozen=True)
class Evaluation:
    """The stored runs of a plan, in the plan's order."""

    runs: tuple[StoredRun, ...]

    def run(self, name: str, seed: int) -> StoredRun:
        """The run of the point called ``name`` with ``seed``."""
        for run in self.runs:
            if run.point.name == name and run.point.seed == seed:
                return run
        raise KeyError(f"the plan has no point {name!r} with seed {seed}")

    def results(self) -> pd.DataFrame:
        """Every run's results in one tidy long table: the point's name first, then the
        results (``scenario``, ``seed``, ``run``, ``month``...)."""
        return pd.concat([r.results.assign(point=r.point.name)[["point", *r.results.columns]]
                          for r in self.runs], ignore_index=True)


RUN_AGAIN = "run the command again: the finished runs of its store are reused."
"""How a remedy that removes something from a command's store of runs ends."""
PLAN_REMEDY = f"Remove that folder (move out any files of yours first) and {RUN_AGAIN}"
"""How to get past a refused run folder of a command's store of runs."""


def tables_remedy(out: Path, *files: str) -> str:
    """How to get past a command's ``files`` in ``out`` that were made with other settings or
    are damaged: another folder, or those files removed (its stored runs are kept)."""
    listed = " and ".join(str(out / name) for name in files)
    return f"Give another folder with --out, or remove {listed}, then {RUN_AGAIN}"


def run_folders(plan: Sequence[Point], runs_dir: Path) -> list[Path]:
    """The folder of each point's run in ``runs_dir`` (points with the same config and seed
    share one)."""
    return [runs_dir / store.run_id(to_dict(p.config)) for p in plan]


def evaluate(plan: Sequence[Point], runs_dir: Path, jobs: int = 1,
             progress: str = "", keep_worlds: bool = False) -> Evaluation:
    """Run every point of ``plan`` not yet stored in ``runs_dir`` and index the folder.

    Args:
        plan: the points; points with the same config and seed share one run, and those
            whose configs burn in alike share one burned-in world (``kept_worlds``).
        runs_dir: the store's folder; each run in ``runs_dir/<label>/s<seed>-<hash8>``.
        jobs: worker processes (1: run in this process, one after the other).
        progress: the label of a bar counting the runs done, saying what they are ("": no
            bar; on a terminal only: ``console.bars_shown``).
        keep_worlds: keep every burned-in world, not only those the plan's runs share: for a
            caller that evaluates more plans on the same seeds (a policy search's trials).

    Raises:
        store.RunConflictError: a point's folder holds a run of another config or seed, or a
            run's files that no manifest records; nothing has run then.
        store.DamagedError: a point's folder holds a run whose manifest cannot be read.
        Exception: the first run that failed (recorded as failed in its manifest).
    """
    folders = run_folders(plan, runs_dir)
    todo = dict(zip(folders, (p.config for p in plan), strict=True))  # each run once
    for folder, config in todo.items():  # before any point runs
        store.refuse_other_run(folder, to_dict(config), PLAN_REMEDY)
    keys = {folder: world_key(config) for folder, config in todo.items()}
    groups = [([(todo[folder], folder) for folder in part], len(part) > 1 or keep_worlds)
              for part in by_world(sorted(todo, key=keys.__getitem__), keys, jobs)]
    if jobs > 1:  # a world's runs go to one worker, one after the other
        work = Parallel(n_jobs=jobs, return_as="generator")(
            delayed(_run_world_in_worker)(runs, shared_world, keep_worlds)
            for runs, shared_world in groups)
    else:
        work = (_run_world(runs, shared_world, keep_worlds) for runs, shared_world in groups)
    try:
        with tqdm(total=len(todo), desc=progress, unit="run",
                  disable=not (progress and console.bars_shown())) as bar:
            for done in work:
                bar.update(done)
    finally:
        if runs_dir.is_dir():
            write_index(runs_dir)
    return Evaluation(tuple(StoredRun(p, folder) for p, folder in zip(plan, folders,
                                                                      strict=True)))


@contextmanager
def runs_folder(runs_dir: str | Path | None) -> Iterator[Path]:
    """``runs_dir`` as a Path, or a temporary folder removed afterwards if None."""
    if runs_dir is not None:
        yield Path(runs_dir)
        return
    with tempfile.TemporaryDirectory(prefix="empowernet-runs-") as folder:
        yield Path(folder)
