"""Sweeps through Hydra: complete, resumable after a kill, collected, parallel, refused early."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from subprocess import CalledProcessError

import duckdb
import numba
import pandas as pd
import pytest
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.plugins import Plugins
from joblib.externals.loky.process_executor import TerminatedWorkerError
from omegaconf import OmegaConf
from submitit.core.utils import FailedJobError, UncompletedJobError

from experiments import hydra_app, load_config, run_one, store
from experiments.cli import main
from experiments.collect import collect
from experiments.config import hydra_settings
from experiments.sweep import (
    check_launch,
    expand_sweep,
    planned_runs,
    skipped_line,
    unfinished_jobs,
    write_index,
)
from model.params import ConfigError, replace, to_dict
from tests.helpers import CLI

SWEEP = ["scenario=baseline,graduation", "seed=range(3)", "population.households=300",
         "months=12"]


def sweep(out: Path, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, "run", "-m", *SWEEP, f"hydra.sweep.dir={out}", *extra],
                          capture_output=True, text=True, check=check, timeout=600)


def manifests(out: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(out.glob("*/*/manifest.json"))]


RESUMABLE = "hydra_plugins.empowernet_sweeper.resumable.ResumableSweeper"
"""The sweeper of ``empowernet run -m``, by the name Hydra's plugins know it."""


def statuses(out: Path) -> list[str]:
    """The status of each run of the sweep in ``out`` that has begun."""
    return [m["status"] for m in manifests(out)]


def killable(now: list[str]) -> bool:
    """Whether the sweep may be killed: two runs finished and one begun (its manifest says
    it is running, so that what it leaves shows as a killed run's)."""
    return now.count("finished") >= 2 and "running" in now


def run_ids(out: Path) -> list[str]:
    return sorted(p.parent.relative_to(out).as_posix() for p in out.glob("*/*/manifest.json"))


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sweep") / "local"
    sweep(out)
    return out


@pytest.mark.slow
def test_two_scenarios_by_three_seeds_give_six_complete_runs(local) -> None:
    runs = manifests(local)
    assert len(runs) == 6 and all(r["status"] == "finished" for r in runs)
    assert {(r["label"], r["seed"]) for r in runs} == {(s, k) for s in ("baseline", "graduation")
                                                       for k in range(3)}
    index = json.loads((local / "index.json").read_text())
    assert [row["status"] for row in index["runs"]] == ["finished"] * 6
    assert index["invocations"][-1]["runs"] == run_ids(local)


@pytest.mark.slow
def test_same_seed_same_shocks_across_scenarios(local) -> None:
    frames = {(r["label"], r["seed"]): pd.read_parquet(p.parent / "households.parquet")
              for p in local.glob("*/*/manifest.json") for r in [json.loads(p.read_text())]}
    a, b = frames[("baseline", 1)], frames[("graduation", 1)]
    final = a["month"] == 12
    shocks_a = a.loc[final, "last_shock_month"].to_numpy()
    shocks_b = b.loc[b["month"] == 12, "last_shock_month"].to_numpy()
    assert (shocks_a == shocks_b).all()


@pytest.mark.slow
def test_scenarios_that_share_a_burned_in_world_store_what_each_stores_alone(
        local, tmp_path) -> None:
    # the sweep runs in one process: the second scenario of a seed starts from the world the
    # first burned in (experiments.kept_worlds), whichever of the two ran first
    for scenario in ("baseline", "graduation"):
        alone = tmp_path / scenario
        run_one(load_config([*SWEEP[2:], f"scenario={scenario}", "seed=2"]), alone)
        (swept,) = local.glob(f"{scenario}/s2-*")
        for table in ("results.parquet", "households.parquet"):
            pd.testing.assert_frame_equal(pd.read_parquet(swept / table),
                                          pd.read_parquet(alone / table))


def run_files(out: Path) -> dict[Path, int]:
    """Every file of the sweep's run folders (Hydra's own under .hydra/ too), with its time."""
    return {p: p.stat().st_mtime_ns for p in out.glob("*/*/**/*") if p.is_file()}


@pytest.mark.slow
def test_rerunning_a_finished_sweep_skips_every_run(local) -> None:
    """No job is launched for a finished run, so not even Hydra's files in its folder are
    written again."""
    before = run_files(local)
    done = sweep(local, "-v")
    assert "6 of 6 runs already finished; they are skipped" in done.stderr
    assert before == run_files(local)


def test_only_the_jobs_of_unfinished_runs_are_launched(tmp_path) -> None:
    """The sweeper's list of jobs leaves out those whose runs are finished in the sweep's
    folder, by the test a run skips itself by: a run of other settings in the same folder
    does not count."""
    jobs = [["scenario=baseline", f"seed={seed}", "population.households=50", "months=2"]
            for seed in (0, 1)]
    (finished,) = planned_runs(jobs[0])
    run_one(load_config(jobs[0]), tmp_path / finished)
    assert unfinished_jobs(tmp_path, jobs, ["hydra.sweep.dir=x"]) == [jobs[1]]
    other = [*jobs[0][:-1], "months=3"]
    assert unfinished_jobs(tmp_path, [other], []) == [other]


def test_the_sweeper_batches_only_the_jobs_of_unfinished_runs(tmp_path) -> None:
    """``ResumableSweeper.split_arguments``: Hydra's overrides expanded into jobs, those of
    finished runs left out, the rest in batches of ``max_batch_size``; none when every run
    is finished. The class is the one Hydra's plugin scan found, as Hydra makes it: the scan
    runs the basic sweeper's module again, and that class must be its subclass."""
    sweeper = Plugins.instance().class_name_to_class[RESUMABLE](max_batch_size=None,
                                                                params=None)
    sweeper.config = OmegaConf.create({"hydra": {"sweep": {"dir": str(tmp_path)},
                                                 "overrides": {"hydra": []}}})
    overrides = OverridesParser.create().parse_overrides(
        ["seed=0,1,2", "population.households=50", "months=2"])
    jobs = [[f"seed={seed}", "population.households=50", "months=2"] for seed in (0, 1, 2)]
    (finished,) = planned_runs(jobs[1])
    run_one(load_config(jobs[1]), tmp_path / finished)
    assert sweeper.split_arguments(overrides, 1) == [[jobs[0]], [jobs[2]]]
    assert sweeper.split_arguments(overrides, None) == [[jobs[0], jobs[2]]]
    for job in (jobs[0], jobs[2]):
        run_one(load_config(job), tmp_path / planned_runs(job)[0])
    assert sweeper.split_arguments(overrides, 1) == []


def test_threads_are_checked_against_this_machine_only_for_jobs_run_on_it() -> None:
    """A cluster's nodes may have more cores than the machine that submits the sweep."""
    more = replace(load_config(["population.households=50"]),
                   threads=numba.config.NUMBA_NUM_THREADS + 1)
    check_launch(hydra_settings(["hydra/launcher=submitit_slurm"]), [more])
    with pytest.raises(ConfigError, match="more threads than numba can use on this machine"):
        check_launch(hydra_settings(["hydra/launcher=joblib"]), [more])


def test_hydra_finds_the_resumable_sweeper_beside_the_installed_launchers() -> None:
    """``hydra_plugins/`` is a namespace that the launchers installed with Hydra share: with
    an ``__init__.py`` of its own, it would hide them, or they would hide it."""
    plugins = Plugins.instance().class_name_to_class
    assert {RESUMABLE, "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher",
            "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher"} <= set(plugins)


def test_a_resumed_sweep_names_the_code_that_made_the_runs_it_skips(monkeypatch) -> None:
    """Runs made by another revision of the code are reused as they are: the sweep says how
    many and which revision, and nothing when this code made them all."""
    monkeypatch.setattr(store, "code_revision", lambda: "5e6f7a8")  # with or without git
    manifests = [{"status": "finished", "code_revision": revision}
                 for revision in ("1a2b3c4", store.code_revision())]
    assert skipped_line(manifests, 4) == (
        f"2 of 4 runs already finished; they are skipped (1 of them made by other code, "
        f"revision 1a2b3c4, where this is {store.code_revision()}: to run them with this "
        "code, give the sweep a new hydra.sweep.dir)")
    assert skipped_line(manifests[1:], 4) == "1 of 4 runs already finished; they are skipped"


@pytest.mark.slow
def test_a_killed_sweep_resumes_without_duplicates_or_corrupt_files(tmp_path, local) -> None:
    out = tmp_path / "killed"
    args = [CLI, "run", "-m", *SWEEP[:2], "population.households=20000", "months=120",
            f"hydra.sweep.dir={out}"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 300
    while not killable(statuses(out)) and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = statuses(out)
    assert 2 <= before.count("finished") < 6 and before.count("running") == 1
    subprocess.run(args, capture_output=True, text=True, check=True, timeout=600)
    runs = manifests(out)
    assert len(runs) == 6 and all(r["status"] == "finished" for r in runs)
    assert not list(out.glob("*/*/.*.tmp-*"))
    for folder in sorted(p.parent for p in out.glob("*/*/manifest.json")):
        assert len(pd.read_parquet(folder / "results.parquet")) == 121


@pytest.mark.slow
def test_joblib_launcher_gives_the_same_results_as_local(tmp_path, local) -> None:
    out = tmp_path / "joblib"
    sweep(out, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2")
    assert run_ids(out) == run_ids(local)
    for run in run_ids(local):
        pd.testing.assert_frame_equal(pd.read_parquet(local / run / "results.parquet"),
                                      pd.read_parquet(out / run / "results.parquet"))


def slurm_ready() -> bool:
    conf = os.environ.get("SLURM_CONF", "/tmp/empowernet-slurm/etc/slurm.conf")
    if not Path(conf).is_file() or shutil.which("sinfo") is None:
        return False
    os.environ["SLURM_CONF"] = conf
    done = subprocess.run(["sinfo", "-h", "-o", "%t"], capture_output=True, text=True)
    return done.returncode == 0 and any(s in done.stdout for s in ("idle", "mix", "alloc"))


@pytest.mark.slow
def test_slurm_sweep_gives_the_same_results_as_local(tmp_path, local) -> None:
    if not slurm_ready():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the SLURM test: .ci/run starts the cluster with "
                        "scripts/slurm.sh; sinfo does not answer")
        pytest.skip("no SLURM cluster here: start one with 'bash scripts/slurm.sh install && "
                    "bash scripts/slurm.sh start' (as root)")
    out = tmp_path / "slurm"
    done = sweep(out, "hydra/launcher=submitit_slurm", "hydra.launcher.timeout_min=10",
                 "hydra.launcher.cpus_per_task=1", "hydra.launcher.mem_gb=1")
    assert "6 runs" in done.stderr
    assert run_ids(out) == run_ids(local)
    for run in run_ids(local):
        pd.testing.assert_frame_equal(pd.read_parquet(local / run / "results.parquet"),
                                      pd.read_parquet(out / run / "results.parquet"))
    deadline = time.monotonic() + 30  # accounting records arrive a moment after the jobs
    while True:
        jobs = subprocess.run(["sacct", "-n", "-X", "-o", "JobName%30,State"],
                              capture_output=True, text=True, check=True).stdout
        completed = [line for line in jobs.splitlines() if "hydra_app" in line and
                     "COMPLETED" in line]
        if len(completed) >= 6 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert len(completed) >= 6, jobs


def queue(sweep_dir: Path) -> list[str]:
    """The jobs of the sweep in ``sweep_dir`` in the test cluster's queue (shared with other
    users): id and state, one per line."""
    jobs = subprocess.run(["squeue", "-h", "-o", "%i %t %o"], capture_output=True, text=True,
                          check=True).stdout.splitlines()
    return [job.rsplit(" ", 1)[0] for job in jobs  # its command: the sweep's job script
            if job.rsplit(" ", 1)[-1].startswith(f"{sweep_dir}/")]


def job_of(pid: int) -> str:
    """The SLURM job (``<array>_<task>``) that the process ``pid`` of this machine runs in."""
    environ = dict(item.split("=", 1) for item in
                   Path(f"/proc/{pid}/environ").read_text().split("\0") if "=" in item)
    return store.cluster_job(environ)


@pytest.mark.slow
def test_a_slurm_job_cancelled_mid_run_is_said_and_resubmitting_completes(tmp_path) -> None:
    if not slurm_ready():
        pytest.skip("no SLURM cluster here (see test_slurm_sweep_gives_the_same_results_as_"
                    "local)")
    out = tmp_path / "cancelled"
    args = [CLI, "run", "-m", *SWEEP[:2], "population.households=20000", "months=120",
            f"hydra.sweep.dir={out}", "hydra/launcher=submitit_slurm",
            "hydra.launcher.timeout_min=10", "hydra.launcher.cpus_per_task=1",
            "hydra.launcher.mem_gb=1"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (running := [j.split()[0] for j in queue(out) if j.endswith(" R")]):
        assert time.monotonic() < deadline, "no job of the sweep started"
        time.sleep(0.2)
    subprocess.run(["scancel", running[0]], check=True)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "state: CANCELLED" in err, err
    assert "wait until none is left in the queue" in err and "to resume" in err, err
    while queue(out):  # the array's other jobs go on
        time.sleep(1)
    assert sum(r["status"] == "finished" for r in manifests(out)) == 5  # all but the cancelled
    done = subprocess.run(args, capture_output=True, text=True, check=True, timeout=600)
    assert "sweep: 6 runs, 0 failed" in done.stderr
    runs = manifests(out)
    assert len(runs) == 6 and all(r["status"] == "finished" for r in runs)
    jobs = Counter(p.name.split("_")[0]  # submitit's record of each job: <array>[_<task>]
                   for p in (out / ".submitit").glob("*/*_submitted.pkl"))
    assert jobs[max(jobs, key=int)] == 1  # resubmitted: the cancelled run alone


@pytest.mark.slow
def test_a_slurm_job_killed_mid_run_is_indexed_failed_at_once_and_resumed(tmp_path) -> None:
    """A run whose job dies under it (its process killed: the job FAILED) is recorded as
    failed, naming the job and its state, as soon as the sweep learns it; resuming runs it."""
    if not slurm_ready():
        pytest.skip("no SLURM cluster here (see test_slurm_sweep_gives_the_same_results_as_"
                    "local)")
    out = tmp_path / "killed"
    args = [CLI, "run", "-m", "seed=range(2)", "population.households=20000", "months=120",
            f"hydra.sweep.dir={out}", "hydra/launcher=submitit_slurm",
            "hydra.launcher.timeout_min=10", "hydra.launcher.cpus_per_task=1",
            "hydra.launcher.mem_gb=1"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (begun := [m for m in manifests(out) if m["status"] == "running"]):
        assert time.monotonic() < deadline, "no run of the sweep began"
        time.sleep(0.05)
    job = job_of(begun[0]["pid"])
    os.kill(begun[0]["pid"], signal.SIGKILL)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 1 and f"(job {job} (state: FAILED))" in err, err
    rows = {row["seed"]: row for row in json.loads((out / "index.json").read_text())["runs"]}
    lost = rows[begun[0]["seed"]]
    assert lost["status"] == "failed", rows  # not "running" until the sweep is resumed
    assert f"job {job} " in lost["error"] and "(state: FAILED)" in lost["error"], rows
    assert store.read_manifest(out / lost["run"])["job"] == job
    while queue(out):
        time.sleep(0.5)
    done = subprocess.run(args, capture_output=True, text=True, check=True, timeout=600)
    assert "1 of 2 runs already finished" in done.stderr and "2 runs, 0 failed" in done.stderr
    assert all(m["status"] == "finished" for m in manifests(out))


@pytest.mark.slow
def test_a_partition_the_cluster_refuses_is_said_once(tmp_path) -> None:
    """sbatch's words come once, in the command's own paragraph: submitit's copy of them,
    printed before it raises, is held back."""
    if not slurm_ready():
        pytest.skip("no SLURM cluster here (see test_slurm_sweep_gives_the_same_results_as_"
                    "local)")
    done = subprocess.run([CLI, "run", "-m", "seed=range(2)", "population.households=200",
                           "months=6", f"hydra.sweep.dir={tmp_path / 'refused'}",
                           "hydra/launcher=submitit_slurm", "hydra.launcher.partition=atlantis"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.count("invalid partition specified: atlantis") == 1, done.stderr
    assert done.stderr.splitlines()[-1].startswith(
        "empowernet: error: the cluster refused the sweep's jobs (sbatch: error: invalid "
        "partition specified: atlantis"), done.stderr


@pytest.mark.slow
def test_collect_gives_one_tidy_typed_dataset(local) -> None:
    path = collect(local)
    table = pd.read_parquet(path)
    assert len(table) == 6 * 13
    assert {"run", "scenario", "seed", "month", "headcount"} <= set(table.columns)
    assert str(table["programmes_asset_grant_enabled"].dtype) == "bool"
    assert str(table["programmes_asset_grant_coverage"].dtype) == "float64"
    assert not table.duplicated(["run", "month"]).any()
    query = (f"select scenario, avg(headcount) as headcount from read_parquet('{path}') "
             "where month = 12 group by scenario order by scenario")
    result = duckdb.sql(query).df()
    assert list(result["scenario"]) == ["baseline", "graduation"]
    assert result["headcount"].iloc[1] < result["headcount"].iloc[0]


def test_expand_sweep_reads_command_line_and_experiment_files() -> None:
    runs = expand_sweep(["+experiment=validation_training", "population.households=100"])
    assert len(runs) == 2 * 5
    assert ["scenario=baseline", "seed=0", "+experiment=validation_training",
            "population.households=100"] in runs


@pytest.mark.slow
@pytest.mark.parametrize("bad", ["shocks.p_shock=2", "scenario=baseline,atlantis",
                                 "nonsense=1", "+experiment=no_such_study"])
def test_a_bad_sweep_is_refused_before_any_run(tmp_path, bad) -> None:
    out = tmp_path / "bad"
    done = subprocess.run([CLI, "run", "-m", "seed=range(2)", bad, f"hydra.sweep.dir={out}"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("empowernet: error:")
    assert not out.exists()


def test_a_failed_run_is_recorded_and_indexed(tmp_path) -> None:
    cfg = load_config(["population=pilot", "population.roster_path=/nonexistent.csv"])
    with pytest.raises(ValueError, match="no such file"):
        run_one(cfg, tmp_path / "0")
    rows = write_index(tmp_path)
    assert rows[0]["run"] == "0" and rows[0]["status"] == "failed"
    assert "no such file" in rows[0]["error"]


@pytest.mark.slow
def test_a_run_that_fails_is_recorded_and_the_sweep_goes_on(tmp_path) -> None:
    out = tmp_path / "failing"
    runs = ["seed=range(3)", "population.households=200", "months=6"]
    second = planned_runs(runs)[1]
    # a stopped run of the second, whose results.parquet its run cannot replace
    store.begin(out / second, to_dict(load_config([*runs[1:], "seed=1"])), store.now())
    (out / second / store.RESULTS).mkdir()
    done = subprocess.run([CLI, "run", "-m", *runs, f"hydra.sweep.dir={out}"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "the sweep goes on" in done.stderr
    index = json.loads((out / "index.json").read_text())["runs"]
    assert [row["status"] for row in index] == ["finished", "failed", "finished"]
    assert index[1]["run"] == second and "IsADirectoryError" in index[1]["error"]


CANCELLED = ("Job 5_2 (task: 0) with path /cluster/grad/.submitit/5_2/5_2_0_result.pkl\n"
             "has not produced any output (state: CANCELLED by 0)\nError stream produced:\n"
             "slurmstepd: error: *** JOB 8 ON node CANCELLED ***")


PENDING_CANCELLED = ("Job 5_3 (task: 0) with path /cluster/grad/.submitit/5_3/5_3_0_result.pkl"
                     "\nhas not produced any output (state: CANCELLED by 0)\nNo output/error "
                     "stream produced ! Check: /cluster/grad/.submitit/5_3/5_3_0_log.out")
"""A job of the array cancelled before it started: it never wrote the log named."""


@pytest.mark.parametrize("lost", [
    UncompletedJobError(CANCELLED), UncompletedJobError(PENDING_CANCELLED), TerminatedWorkerError(
    "A worker process managed by the executor was unexpectedly terminated. This could be "
    "caused by a segmentation fault while calling the function or by an excessive memory "
    "usage causing the Operating System to kill the worker.")])
def test_a_job_lost_by_the_launcher_ends_the_sweep_with_how_to_resume(
        tmp_path, monkeypatch, capsys, lost) -> None:
    """A job killed on the cluster (or a killed joblib worker) is no traceback: one paragraph
    says which job, what is finished and how to resume, and the index is brought up to
    date."""
    def launcher_loses_a_job() -> None:
        raise lost

    monkeypatch.setattr(hydra_app, "main", launcher_loses_a_job)
    out = tmp_path / "cluster"
    status = main(["run", "-m", "seed=range(2)", "population.households=200", "months=6",
                   f"hydra.sweep.dir={out}"])
    err = capsys.readouterr().err
    assert status == 1, err
    assert "Traceback" not in err and err.count("\n") == 2, err  # "sweep of 2 runs", then it
    assert "a job of the sweep ended before its run finished" in err
    assert (("(job 5_" in err and "(state: CANCELLED by 0))." in err and ".submitit" not in err)
            if isinstance(lost, UncompletedJobError) else ("unexpectedly terminated)" in err))
    assert err.rstrip("\n").endswith(
        f"0 of 2 runs are finished in {out}; to resume (finished runs are skipped), run: "
        f"empowernet run -m 'seed=range(2)' population.households=200 months=6 "
        f"hydra.sweep.dir={out}"), err
    assert json.loads((out / "index.json").read_text())["runs"] == []


def test_the_run_of_a_lost_slurm_job_is_indexed_failed_with_the_job_and_its_state(
        tmp_path, monkeypatch, capsys) -> None:
    """The run the lost job had begun says so at once, in its manifest and the index; the
    run another job is running is left running."""
    runs = ["seed=range(2)", "population.households=200", "months=6"]
    out = tmp_path / "cluster"
    for seed, task in ((0, "2"), (1, "3")):  # begun by the jobs 5_2 and 5_3 of an array
        monkeypatch.setenv("SLURM_ARRAY_JOB_ID", "5")
        monkeypatch.setenv("SLURM_ARRAY_TASK_ID", task)
        config = to_dict(load_config([*runs[1:], f"seed={seed}"]))
        store.begin(out / store.run_id(config), config, store.now())

    def launcher_loses_a_job() -> None:
        raise UncompletedJobError(CANCELLED)

    monkeypatch.setattr(hydra_app, "main", launcher_loses_a_job)
    assert main(["run", "-m", *runs, f"hydra.sweep.dir={out}"]) == 1
    assert "(job 5_2 (state: CANCELLED by 0))" in capsys.readouterr().err
    rows = json.loads((out / "index.json").read_text())["runs"]
    assert [(row["seed"], row["status"]) for row in rows] == [(0, "failed"), (1, "running")]
    assert rows[0]["error"] == "its cluster job 5_2 ended before the run did (state: " \
                              "CANCELLED by 0)"
    assert "pid" not in store.read_manifest(out / rows[0]["run"])


REFUSED = ("sbatch: error: invalid partition specified: short\n"
           "sbatch: error: Batch job submission failed: Invalid partition name specified")


def test_jobs_the_cluster_refuses_are_a_setting_to_correct_not_a_job_to_resume(
        tmp_path, monkeypatch, capsys) -> None:
    """sbatch refusing the array (an unknown partition) submits nothing: status 2, the
    scheduler's words, and no advice to wait for a queue or to resume with the same
    settings."""
    def cluster_refuses() -> None:
        try:
            raise CalledProcessError(1, ["sbatch", "/x/submission.sh"], stderr=REFUSED)
        except CalledProcessError as err:
            raise FailedJobError(REFUSED) from err

    monkeypatch.setattr(hydra_app, "main", cluster_refuses)
    out = tmp_path / "cluster"
    status = main(["run", "-m", "seed=range(2)", "population.households=200", "months=6",
                   f"hydra.sweep.dir={out}"])
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err, err
    assert "the cluster refused the sweep's jobs (sbatch: error: invalid partition " in err
    assert "hydra.launcher.partition" in err
    assert "squeue" not in err and "ended before its run finished" not in err
