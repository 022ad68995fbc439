"""Sweeps: checking every run before any starts, the sweep index, following the runs.

A sweep is Hydra's multirun: ``empowernet run -m scenario=a,b seed='range(3)'`` or a committed
study ``empowernet run -m +experiment=NAME``. Each run writes its own folder, named from its
content (``<label>/s<seed>-<hash8>``, ``store.run_id``), through ``evaluate.run_point``: a run
already finished in its folder is skipped, so running the same sweep again (same
``hydra.sweep.dir``) resumes it, extending it adds runs, and changing a setting adds runs
beside the old ones. ``index.json`` lists every run of the folder and every invocation with
its runs; the sweep's current runs are those of its latest invocation.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from omegaconf import DictConfig
from tqdm import tqdm

from experiments import console, store
from experiments.config import load_config, quoting_hint, sweep_params
from experiments.uncertainty import reseeded
from model import Config, roster
from model.params import ConfigError, check_machine, to_dict
from scenarios import assignment

INDEX = "index.json"


def expand_sweep(overrides: Sequence[str]) -> list[list[str]]:
    """Every run of a sweep as its list of overrides (command line over experiment file)."""
    cli = [o for o in overrides if not o.startswith(("hydra.", "hydra/"))]
    try:
        parsed = OverridesParser.create().parse_overrides(list(cli))
    except HydraException as err:
        raise ConfigError(quoting_hint(str(err)) or f"the sweep overrides {list(cli)} cannot "
                          f"be read: {store.reason_words(err)}") from None
    fixed = [o.input_line for o in parsed if not o.is_sweep_override()]
    axes: dict[str, list[str]] = {}
    for key, values in sweep_params(fixed).items():
        axes[key] = [f"{key}={v}" for v in values]
    for o in parsed:
        key = o.get_key_element()
        if o.is_sweep_override():
            axes[key] = [f"{key}={v}" for v in o.sweep_string_iterator()]
        else:
            axes[key] = [o.input_line]
    empty = [key for key, values in axes.items() if not values]
    if empty:
        raise ConfigError(f"the sweep overrides give {empty[0]} no value at all (an empty "
                          f"range or list), so the sweep has no run; give {empty[0]} at least "
                          f"one value, e.g. {empty[0]}='range(3)'.")
    return [list(run) for run in itertools.product(*axes.values())]


def _seed(text: str) -> int | str:
    return int(text) if text.lstrip("-").isdigit() else text


MODEL_SHAPING = ("hydra.searchpath",)
"""The Hydra settings that change a run's configuration (where its config files are found);
the others (folders, launcher, logging, mode) change only how Hydra runs it."""


def sweep_configs(overrides: Sequence[str]) -> list[Config]:
    """The validated config of every run of a sweep, in Hydra's order.

    Runs that differ only by seed share one composition (a composition costs ~0.3 s); the
    seed itself is then checked against its allowed range. A run is composed with the Hydra
    settings that change its configuration (:data:`MODEL_SHAPING`) alone, so that the sweep's
    check and its index, which Hydra hands other settings, share the compositions; the other
    settings are checked once, with the first run.
    """
    hydra_overrides = [o for o in overrides if o.startswith(("hydra.", "hydra/"))]
    shaping = [o for o in hydra_overrides if o.startswith(MODEL_SHAPING)]
    runs = expand_sweep(overrides)
    configs = [run_config(run, shaping) for run in runs]
    if len(shaping) < len(hydra_overrides):
        try:
            load_config([*runs[0], *hydra_overrides])
        except ConfigError as err:
            raise ConfigError(f"{err} (in the sweep's settings "
                              f"{' '.join(hydra_overrides)})") from None
    return configs


def run_config(run: Sequence[str], shaping: Sequence[str]) -> Config:
    """The validated config of one run of a sweep (its overrides, ``key=value`` each) with the
    Hydra settings ``shaping`` (:data:`MODEL_SHAPING`); the runs that differ only by seed
    share one composition."""
    rest = tuple(o for o in run if not o.startswith("seed="))
    seeds = [o.split("=", 1)[1] for o in run if o.startswith("seed=")]
    try:
        config = load_config([*rest, *shaping])
        return reseeded(config, _seed(seeds[-1])) if seeds else config
    except ConfigError as err:
        raise ConfigError(f"{err} (in the sweep's run {' '.join(run)})") from None


def unfinished_jobs(sweep_dir: Path, jobs: Sequence[Sequence[str]],
                    hydra_overrides: Sequence[str]) -> list[list[str]]:
    """The ``jobs`` of a Hydra sweep (each its overrides) whose runs are not finished in
    ``sweep_dir`` by the test a run skips itself by (``store.finished``), in their order.

    Raises:
        ConfigError: a job's run does not compose or is not valid.
    """
    shaping = [o for o in hydra_overrides if o.startswith(MODEL_SHAPING)]
    left = []
    for job in jobs:
        values = to_dict(run_config(job, shaping))
        if not store.finished(sweep_dir / store.run_id(values), values):
            left.append(list(job))
    return left


ELSEWHERE = ("hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher",)
"""The launchers that run a sweep's jobs on other machines (a cluster's nodes)."""


def runs_here(settings: DictConfig) -> bool:
    """Whether the launcher of Hydra's ``settings`` runs the sweep's jobs on this machine."""
    return settings.launcher.get("_target_") not in ELSEWHERE


def check_launch(settings: DictConfig, configs: Sequence[Config]) -> None:
    """Refuse the sweeper's and launcher's settings (Hydra's ``settings``) that would stop a
    sweep only once it has started: batches of no job, a joblib pool of no worker; and, if
    its jobs run on this machine (:func:`runs_here`), runs it cannot run (``check_machine``)."""
    for config in configs if runs_here(settings) else ():
        check_machine(config)
    batch = settings.sweeper.get("max_batch_size")
    if batch is not None and batch < 1:
        raise ConfigError(f"hydra.sweeper.max_batch_size={batch}: a batch holds 1 job or more; "
                          "leave it unset to launch every job in one batch.")
    if settings.launcher.get("n_jobs") == 0:
        raise ConfigError("hydra.launcher.n_jobs=0: the launcher needs 1 worker or more "
                          "(-1: one per core).")


def read_inputs(config: Config) -> None:
    """Read a roster run's roster and its programme assignment, so that a mistake in either is
    refused before any run starts.

    Raises:
        roster.RosterError, ConfigError: a file is missing, cannot be read or is wrong.
    """
    if config.population.source != "roster":
        return
    loaded = roster.read(config.population.roster_path, config)
    if config.population.assignment_path:
        assignment.read(config.population.assignment_path, loaded.household_ids,
                        len(loaded.household_ids))


def check_sweep(overrides: Sequence[str]) -> list[Config]:
    """Compose and validate every run of a sweep (and read its rosters and assignments:
    :func:`read_inputs`); returns their configs."""
    configs = sweep_configs(overrides)
    inputs = {(c.population.roster_path, c.population.assignment_path): c for c in configs
              if c.population.source == "roster"}
    for (path, assigned), config in inputs.items():
        try:
            read_inputs(config)
        except (roster.RosterError, ConfigError) as err:
            also = f" and population.assignment_path={assigned}" if assigned else ""
            raise ConfigError(f"{err} (in the sweep's runs with population.roster_path="
                              f"{path}{also})") from None
    return configs


def planned_runs(overrides: Sequence[str]) -> list[str]:
    """The run ids of a sweep (:func:`run_ids`)."""
    return run_ids(sweep_configs(overrides))


def run_ids(configs: Sequence[Config]) -> list[str]:
    """The run ids of a sweep's ``configs``, in Hydra's order (each once)."""
    return list(dict.fromkeys(store.run_id(to_dict(c)) for c in configs))


def finished(sweep_dir: Path, runs: Sequence[str]) -> int:
    """How many of ``runs`` (run ids) have finished in ``sweep_dir``."""
    return sum(store.read_manifest(sweep_dir / run).get("status") == "finished"
               for run in runs)


def run_folders(sweep_dir: Path) -> list[Path]:
    """The run folders of a sweep (those with a manifest): ``<label>/s<seed>-<hash8>``, and
    the numbered folders of sweeps made before runs were named by content."""
    folders = [p.parent for pattern in (f"*/{store.MANIFEST}", f"*/*/{store.MANIFEST}")
               for p in sweep_dir.glob(pattern)]
    return sorted(folders, key=lambda p: [int(part) if part.isdigit() else part
                                          for part in re.split(r"(\d+)", p.as_posix())])


def holds_sweep(folder: Path) -> bool:
    """Whether ``folder`` holds a sweep: its index and at least one run (an ``index.json``
    alone may be another program's)."""
    return (folder / INDEX).is_file() and bool(run_folders(folder))


def run_name(sweep_dir: Path, folder: Path) -> str:
    """The id of a run by its folder: the folder's path under the sweep."""
    return folder.relative_to(sweep_dir).as_posix()


INDEX_REMEDY = ("It records the sweep's invocations, so it is not rebuilt over. Restore it, "
                "or delete it to rebuild it from the run folders (its history of invocations "
                "is then lost, and compare and report use every finished run).")
"""How to get past a damaged ``index.json``."""
MISSING = "missing"
"""The status ``index.json`` gives a run it listed whose folder has gone since."""


def read_index(sweep_dir: Path) -> dict[str, Any]:
    """The sweep's ``index.json`` ({"runs": [], "invocations": []} if there is none yet; a
    list, as written before invocations were recorded, is read as no invocation).

    Raises:
        store.DamagedError: the file is there but cannot be read as an index.
    """
    path = sweep_dir / INDEX
    if not path.exists():
        return {"runs": [], "invocations": []}
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise store.damaged(path, err, INDEX_REMEDY) from None
    old = isinstance(index, list)  # its runs alone, as written before invocations were
    if not is_index({"runs": index} if old else index):
        raise store.damaged(path, "not an index of runs and invocations", INDEX_REMEDY)
    if old:
        return {"runs": [], "invocations": []}
    return {"runs": index.get("runs", []), "invocations": index.get("invocations", [])}


def is_index(index: object) -> bool:
    """Whether ``index`` (read from ``index.json``) is a sweep's index: a list of runs (each
    a mapping naming its run), and invocations each with a list of runs (a mapping without
    them, say another program's file of that name, is not one)."""
    if not (isinstance(index, dict) and isinstance(index.get("runs"), list)
            and all(isinstance(row, dict) and "run" in row for row in index["runs"])):
        return False
    invocations = index.get("invocations", [])
    return isinstance(invocations, list) and all(
        isinstance(i, dict) and isinstance(i.get("runs"), list) for i in invocations)


def write_index(sweep_dir: Path, overrides: Sequence[str] | None = None,
                runs: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Write ``index.json`` (:func:`read_sweep`); with ``overrides``, a new invocation of
    those overrides and ``runs`` (its run ids) is added. Returns the rows of the runs."""
    index = read_sweep(sweep_dir)
    if overrides is not None:
        index["invocations"].append({"started": datetime.now(UTC).isoformat(timespec="seconds"),
                                     "overrides": list(overrides), "runs": list(runs)})
    store.write_text(json.dumps(index, indent=2), sweep_dir / INDEX)
    return index["runs"]


def read_sweep(sweep_dir: Path) -> dict[str, Any]:
    """The index of the sweep as it is now: every run of the sweep with its status, seed and
    config hash (a finished run ``index.json`` listed whose folder has gone stays listed,
    with status ``missing``), and the invocations so far.

    Raises:
        store.DamagedError: ``index.json`` or a run's manifest cannot be read.
    """
    index = read_index(sweep_dir)
    had = {row["run"] for row in had_results(index)}
    rows = []
    for folder in run_folders(sweep_dir):
        manifest, run = store.read_manifest(folder), run_name(sweep_dir, folder)
        rows.append({"run": run, "status": manifest.get("status"),
                     "label": manifest.get("label"), "seed": manifest.get("seed"),
                     "config_hash": manifest.get("config_hash"),
                     "error": manifest.get("error"),
                     **({HAD_RESULTS: True} if run in had and manifest.get("status") != "finished"
                        else {})})
    present = {row["run"] for row in rows}
    rows += [{**row, "status": MISSING} for row in had_results(index)
             if row["run"] not in present]
    return {"runs": rows, "invocations": index["invocations"]}


HAD_RESULTS = "had_results"
"""The mark of an index row whose run had finished and is not finished now (started over,
then stopped or failed): its results are lost, which is said."""


def had_results(index: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of ``index`` (``read_index``) of runs that had finished when it was written,
    or had before (gone since, or marked :data:`HAD_RESULTS`): if they are not finished now,
    their results are lost, which is said."""
    return [row for row in index["runs"]
            if row.get("status") in ("finished", MISSING) or row.get(HAD_RESULTS)]


def latest_runs(sweep_dir: Path) -> list[str]:
    """The run ids of the sweep's latest invocation, finished or not ([] if ``index.json``
    records no invocation)."""
    invocations = read_index(sweep_dir)["invocations"]
    return list(invocations[-1]["runs"]) if invocations else []


def current_runs(sweep_dir: Path) -> dict[str, dict[str, Any]]:
    """The finished runs of the sweep's latest invocation (of every run if ``index.json``
    records no invocation), as run id: manifest.

    Raises:
        store.DamagedError: as :func:`current_among`.
    """
    runs = latest_runs(sweep_dir)
    folders = [sweep_dir / run for run in runs] if runs else run_folders(sweep_dir)
    return current_among(sweep_dir, finished_of(sweep_dir, folders))


def current_among(sweep_dir: Path, finished: dict[str, dict[str, Any]]
                  ) -> dict[str, dict[str, Any]]:
    """The sweep's current runs (:func:`current_runs`) taken from ``finished``, the finished
    runs already read (``finished_of`` the sweep's run folders, or at least its latest
    invocation's), so that no manifest is read twice.

    Raises:
        store.DamagedError: ``index.json`` cannot be read, or a run of the latest invocation
            that the index lists as having had results is not finished now (its folder was
            deleted, or a run of it was stopped or failed): it is refused rather than left
            out.
    """
    index = read_index(sweep_dir)
    if not index["invocations"]:
        return dict(finished)
    listed = {row["run"] for row in had_results(index)}
    runs = list(index["invocations"][-1]["runs"])
    lost = [run for run in runs if run in listed and run not in finished]
    if lost:
        raise store.DamagedError(
            f"{sweep_dir / INDEX} lists the run {lost[0]} ({len(lost)} of the latest "
            f"invocation's {len(runs)} in all) as having had results, but its folder holds no "
            "finished run now (it has gone, or a run of it was started over and stopped or "
            "failed). Run the sweep again with the same command to run it again (finished "
            "runs are skipped).")
    return {run: finished[run] for run in runs if run in finished}


def finished_of(sweep_dir: Path, folders: Sequence[Path]) -> dict[str, dict[str, Any]]:
    """The finished runs among ``folders``, as run id: manifest (a damaged manifest is
    refused: ``store.read_manifest``)."""
    manifests = {run_name(sweep_dir, f): store.read_manifest(f) for f in folders}
    return {run: m for run, m in manifests.items() if m.get("status") == "finished"}


def run_line(folder: Path) -> str:
    """One line on the finished run stored in ``folder``: scenario, seed, size and its
    headcount and graduations at the end."""
    manifest = store.read_manifest(folder)
    summary = manifest["summary"]
    return (f"{manifest['label']}, seed {manifest['seed']}: {manifest['households']} "
            f"households, {manifest['months']} months: headcount "
            f"{summary['headcount_end']:.3f}, graduations {int(summary['graduations'])}.")


def report_run(sweep_dir: Path, folder: Path) -> None:
    """Say how the run stored in ``folder`` ended: a failure always, a finished run only
    when verbose."""
    manifest = store.read_manifest(folder)
    name = run_name(sweep_dir, folder)
    if manifest.get("status") == "finished":
        console.say(f"{run_line(folder)} ({name})", at=console.VERBOSE)
    else:
        console.error(f"run {name} failed ({manifest.get('error')}); recorded in its "
                      f"{store.MANIFEST}; the sweep goes on")


def status_since(folder: Path, started: float) -> str | None:
    """The status of the run of ``folder`` if its manifest was written at or after time
    ``started`` (None if not, or if there is none yet)."""
    try:
        if (folder / store.MANIFEST).stat().st_mtime < started:
            return None
    except OSError:
        return None
    return store.read_manifest(folder).get("status")


def watch(sweep_dir: Path, folders: Sequence[Path], stop: threading.Event,
          bar: bool) -> None:
    """Follow the runs of ``folders`` until they have all ended or ``stop`` is set: a bar of
    the runs done, with an ETA and how many are running (if ``bar``), and a line for each run
    as it ends (``report_run``). Runs finished before the sweep started are skipped by it."""
    started = time.time()
    manifests = {f: store.read_manifest(f) for f in folders}
    waiting = [f for f, m in manifests.items() if m.get("status") != "finished"]
    skipped = len(folders) - len(waiting)
    if skipped:
        console.say(skipped_line([m for f, m in manifests.items() if f not in waiting],
                                 len(folders)), err=True)
    with tqdm(total=len(folders), initial=skipped, desc="runs", unit="run",
              disable=not bar) as progress:
        while waiting:
            stopped = stop.wait(0.5)
            now = {f: status_since(f, started) for f in waiting}
            ended = [f for f in waiting if now[f] not in (None, store.RUNNING)]
            for folder in ended:
                report_run(sweep_dir, folder)
            waiting = [f for f in waiting if f not in ended]
            progress.set_postfix(running=sum(s == store.RUNNING for s in now.values()),
                                 refresh=False)
            progress.update(len(ended))
            if stopped:
                break


def skipped_line(finished: Sequence[dict[str, Any]], planned: int) -> str:
    """The line on the ``finished`` runs (their manifests) a sweep of ``planned`` runs skips,
    naming the code revisions other than this one that made some of them: their results are
    reused as they are, and may not be what this code gives."""
    line = f"{len(finished)} of {planned} runs already finished; they are skipped"
    now = store.code_revision()
    other = store.code_revisions(finished)
    other.pop(now, None)
    if not other or now == "unknown":
        return line
    return (f"{line} ({other.total()} of them made by other code, revision "
            f"{', '.join(sorted(other))}, where this is {now}: to run them with this code, "
            "give the sweep a new hydra.sweep.dir)")


SLURM_JOB_LOST = re.compile(r"Job (?P<job>\S+) \(task: \d+\) with path .*?has not produced "
                            r"any output \(state: (?P<state>[^)]*)\)", re.DOTALL)
"""submitit's word that a SLURM job ended without its result: the job and its state (the
rest, its result's and logs' paths, names files a job killed before it started never made)."""


def submission_refused(err: BaseException) -> str | None:
    """What the scheduler said if ``err`` is a launcher's word that it refused to take the
    sweep's jobs (``sbatch`` failed: an unknown partition or account, a time or memory over
    the partition's limits), in one line; None for any other error."""
    from subprocess import CalledProcessError

    from submitit.core.utils import FailedJobError

    if not (isinstance(err, FailedJobError) and isinstance(err.__cause__, CalledProcessError)):
        return None
    return " ".join(str(err).split()) or f"{Path(err.__cause__.cmd[0]).name} failed"


def job_lost(err: BaseException) -> str | None:
    """What went wrong if ``err`` is a launcher's word that a job of the sweep ended without
    its result (a SLURM job cancelled, timed out, pre-empted or out of memory; a joblib
    worker killed), in one line; None for any other error."""
    from joblib.externals.loky.process_executor import TerminatedWorkerError
    from submitit.core.utils import UncompletedJobError

    if not isinstance(err, UncompletedJobError | TerminatedWorkerError) or \
            submission_refused(err) is not None:
        return None
    slurm = slurm_job_lost(err)
    if slurm:
        return f"job {slurm[0]} (state: {slurm[1]})"
    first = str(err).split(". ", 1)[0]
    return " ".join(first.split()).rstrip(".")


def slurm_job_lost(err: BaseException) -> tuple[str, str] | None:
    """The job and its state if ``err`` is submitit's word that a SLURM job ended without its
    result (:data:`SLURM_JOB_LOST`); None for any other error."""
    from submitit.core.utils import UncompletedJobError

    lost = SLURM_JOB_LOST.search(str(err)) if isinstance(err, UncompletedJobError) else None
    return (lost["job"], lost["state"]) if lost else None


def record_lost_job(sweep_dir: Path, runs: Sequence[str], err: BaseException) -> None:
    """If ``err`` says a SLURM job of the sweep ended without its result
    (:func:`slurm_job_lost`), record the run of ``runs`` (run ids) that the job had begun (its
    manifest says running and names the job) as failed, naming the job and its state: it
    will never end, and resuming the sweep runs it again."""
    lost = slurm_job_lost(err)
    if lost is None:
        return
    job, state = lost
    for run in runs:
        record = store.read_manifest(sweep_dir / run)
        if record.get("status") == store.RUNNING and record.get("job") == job:
            store.write_stopped(sweep_dir / run, record, f"its cluster job {job} ended before "
                                f"the run did (state: {state})")
