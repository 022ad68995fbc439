"""The ``run`` subcommand: one run or a Hydra sweep, every run checked before Hydra starts; an
interrupted sweep says how many runs are finished and how to resume it."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from experiments import config as config_io
from experiments import console, store
from experiments.arguments import output_folder, run_folder, sweep_output_folder
from experiments.sweep import read_inputs
from model.params import ConfigError, check_machine, to_dict

HYDRA_FULL_ERROR = "HYDRA_FULL_ERROR"
SWEEPER = "hydra/sweeper=resumable"
"""The sweeper of ``run -m`` unless another is chosen: Hydra's basic sweeper, launching only
the runs not yet finished (hydra_plugins/empowernet_sweeper)."""
HYDRA_LINES_OFF = "hydra.hydra_logging.root.level=WARNING"
"""Hydra's own line per job of a sweep off: the sweep's watcher says what each run did."""
JOB_LOST = 1
"""A sweep's job ended without its run (killed, cancelled, out of time): not a user error."""
PROGRAM = "empowernet"
"""The console command's name."""
SWEEP_DIR = "hydra.sweep.dir="
"""The start of the override that names a sweep's folder."""


def check_option(name: str, check: Callable[[str], object], value: str) -> None:
    """Apply one of the ``experiments.arguments`` checks outside argparse."""
    try:
        check(value)
    except argparse.ArgumentTypeError as err:
        raise ConfigError(f"{name}={value}: {err}.") from None


def check_before_run(overrides: Sequence[str], overwrite: bool = False) -> None:
    """Compose, validate and (for roster runs) read the roster before Hydra starts; refuse a
    chosen ``hydra.run.dir`` holding another run unless ``overwrite``."""
    cfg = config_io.load_config(overrides)
    check_machine(cfg)
    read_inputs(cfg)
    chosen = [o.split("=", 1)[1] for o in overrides if o.startswith("hydra.run.dir=")]
    if chosen:
        check_option("hydra.run.dir", run_folder, chosen[-1])
    if chosen and not overwrite:
        store.refuse_other_run(Path(chosen[-1]), to_dict(cfg))


SWEEP_REMEDY = ("Remove that run's folder (move out any files of yours first) and run the "
                "sweep again (its finished runs are skipped), or pass --overwrite to replace "
                "it.")
"""How to get past a refused run folder of a sweep."""


@dataclass(frozen=True)
class Sweep:
    """A sweep as ``run -m`` starts it: its folder, its run ids, and whether its launcher
    queues the jobs on a cluster, where they go on when this command ends."""

    folder: str
    runs: list[str]
    queued: bool


QUEUED = ("its jobs already submitted go on in the cluster's queue: wait until none is left "
          "in the queue (squeue; scancel stops them) before resuming; ")
"""What a stopped cluster sweep's user must know before resuming it."""


def check_sweep_run(overrides: list[str], overwrite: bool = False
                    ) -> tuple[list[str], Sweep]:
    """Check every run of a sweep, and (unless ``overwrite``) that no run's folder holds
    another run or a run's files no manifest records; returns the overrides with the sweep's
    folder named (so that an interrupted sweep can be resumed by name) and the sweep."""
    from experiments.sweep import (
        check_launch,
        check_sweep,
        expand_sweep,
        read_sweep,
        runs_here,
    )

    given = [o for o in overrides if not o.startswith("-")]
    configs = check_sweep(given)
    settings = config_io.hydra_settings([*expand_sweep(given)[0],
                                         *(o for o in given if o.startswith("hydra"))])
    check_launch(settings, configs)
    planned = {store.run_id(v): v for v in map(to_dict, configs)}  # each run once, in order
    runs = list(planned)
    folder = str(settings.sweep.dir)
    check_option("hydra.sweep.dir", sweep_output_folder, folder)
    if Path(folder).is_dir():
        read_sweep(Path(folder))  # a damaged index or run is refused before Hydra starts
        if not overwrite:
            for run, values in planned.items():
                store.refuse_other_run(Path(folder) / run, values, SWEEP_REMEDY)
    Path(folder).mkdir(parents=True, exist_ok=True)  # as is a folder that cannot be made
    console.say(f"sweep of {len(runs)} runs", err=True)
    if not any(o.startswith(SWEEP_DIR) for o in given):
        overrides = [*overrides, f"{SWEEP_DIR}{folder}"]
    return overrides, Sweep(folder, runs, queued=not runs_here(settings))


def run_command(args: argparse.Namespace) -> int:
    """``empowernet run``: validate, then hand the overrides to the Hydra app."""
    overrides = args.hydra_arguments
    for override in overrides:
        key, _, value = override.partition("=")
        if key in ("hydra.run.dir", "hydra.sweep.dir"):
            check_option(key, output_folder, value)
    if any(o in ("-h", "--help") for o in overrides):
        print(args.own_help())  # the command's own options; Hydra's help follows
    sweep: Sweep | None = None
    called = [called_as(), *args.argv]  # before sys.argv is Hydra's
    if any(o in ("-m", "--multirun") for o in overrides):
        if not any(o.startswith(("hydra/sweeper=", "hydra.sweeper._target_=")) for o in overrides):
            overrides = [*overrides, SWEEPER]
        overrides, sweep = check_sweep_run(overrides, args.overwrite)
        if not any(o.startswith(("hydra/hydra_logging=", "hydra.hydra_logging."))
                   for o in overrides):
            overrides = [*overrides, HYDRA_LINES_OFF]
    elif not any(o.startswith("-") for o in overrides):
        check_before_run(overrides, args.overwrite)
    if console.bars_shown() and not any(o.startswith("progress=") for o in overrides):
        overrides = [*overrides, "progress=true"]
    from hydra.errors import HydraException

    from experiments.hydra_app import OVERWRITE_ENV, sweeps_followed
    from experiments.hydra_app import main as hydra_main

    if args.overwrite:
        os.environ[OVERWRITE_ENV] = "1"  # read by every run, in this process or a worker's
    sys.argv = ["empowernet run", *overrides]
    try:
        with hydra_errors_raised(), sweeps_followed(), refusal_said_once(sweep):
            hydra_main()
    except HydraException as err:  # what the checks before it leave to Hydra (--cfg, -c ...)
        raise ConfigError(" ".join(str(err).split())) from None
    except KeyboardInterrupt:
        console.error(f"empowernet: interrupted; {interrupted_run(sweep, called)}")
        return console.INTERRUPTED
    except Exception as err:
        return lost_job(err, sweep, called)
    return 0


def called_as() -> str:
    """The program as the user called it: the path they gave (``.venv/bin/empowernet``, or
    the one the shell found on PATH), or its name if ``main`` was called from Python."""
    called = sys.argv[0]
    return called if Path(called).name == PROGRAM else PROGRAM


def lost_job(err: Exception, sweep: Sweep | None, called: list[str]) -> int:
    """End a sweep one of whose jobs ended without its run (``sweep.job_lost``) with one
    paragraph saying so, what is finished and how to resume (status ``JOB_LOST``); jobs the
    cluster refused to take are a ``ConfigError`` (status 2); any other error is raised
    again. ``called`` is the command line as given, program first."""
    from experiments.sweep import job_lost, record_lost_job, submission_refused

    if sweep is None:
        raise err
    refused = submission_refused(err)
    if refused is not None:
        raise ConfigError(
            f"the cluster refused the sweep's jobs ({refused}), so none was submitted. Give "
            f"launcher settings the cluster takes (hydra.launcher.partition: sinfo lists "
            f"them; timeout_min, mem_gb, additional_parameters) and run the command again; "
            f"runs finished in {sweep.folder} are skipped.") from None
    what = job_lost(err)
    if what is None:
        raise err
    record_lost_job(Path(sweep.folder), sweep.runs, err)
    console.error(f"empowernet: error: a job of the sweep ended before its run finished "
                  f"({what}). {interrupted_run(sweep, called)}")
    return JOB_LOST


SBATCH = "sbatch: "
"""How ``sbatch`` begins each line it says."""


@contextmanager
def refusal_said_once(sweep: Sweep | None) -> Iterator[None]:
    """Hold back, in a cluster sweep (``sweep.queued``), the lines of ``sbatch`` that submitit
    prints on standard error when the cluster refuses the jobs, just before it raises: the
    paragraph of ``lost_job`` says them; had they come otherwise, they are written out at the
    end. Everything else on standard error goes out at once."""
    from experiments.sweep import submission_refused

    if sweep is None or not sweep.queued:
        yield
        return
    with console.held_lines(SBATCH) as held:
        try:
            yield
        except Exception as err:
            if submission_refused(err) is not None:
                held.drop()
            raise


def hydra_errors_raised() -> AbstractContextManager[None]:
    """Have Hydra raise what goes wrong (HYDRA_FULL_ERROR) instead of printing it and
    exiting with status 1, so that ``dispatch`` says it: a user error or an unwritable
    folder (even one Hydra makes itself, for a run, a sweep or its log) in one paragraph."""
    return console.environment(HYDRA_FULL_ERROR, "1")


def interrupted_run(sweep: Sweep | None, called: list[str]) -> str:
    """What an interrupted ``run`` (a ``sweep``, or one run if None) finished, that a
    cluster's queue still holds its jobs, and the command that resumes it
    (``resume_command`` of ``called``); a sweep's ``index.json`` is brought up to date with
    the runs that finished."""
    if sweep is None:
        return "the run did not finish; run the command again to start it over."
    from experiments.sweep import finished, write_index

    folder = Path(sweep.folder)
    if folder.is_dir():
        write_index(folder)
    done = finished(folder, sweep.runs)
    return (f"{done} of {len(sweep.runs)} runs {'is' if done == 1 else 'are'} finished in "
            f"{sweep.folder}; {QUEUED if sweep.queued else ''}to resume (finished runs are "
            f"skipped), run: {resume_command(called, sweep.folder)}")


def resume_command(called: Sequence[str], sweep_dir: str) -> str:
    """The command line ``called`` (program first, the user's arguments as given) with
    ``hydra.sweep.dir`` set to ``sweep_dir`` in place of any the user gave, quoted to paste
    into a shell."""
    kept = [a for a in called if not a.lstrip("+").startswith(SWEEP_DIR)]
    return shlex.join([*kept, f"{SWEEP_DIR}{sweep_dir}"])


def run_arguments(p: argparse.ArgumentParser) -> None:
    """``run``: its arguments are Hydra's (overrides and flags such as ``-m``, ``--cfg job``,
    ``--help``), passed on in their order; only ``-q``, ``-v`` and ``--overwrite`` are the
    command's own."""
    p.add_argument("--overwrite", action="store_true",
                   help="replace a run folder's run of another config (refused otherwise)")
