"""The ``empowernet`` command.

    empowernet run [OVERRIDES...]      one run, Hydra overrides (``months=36 seed=7``);
                                       -m for a sweep, --overwrite to replace a run folder
    empowernet params [--write FILE]   every parameter with default, unit and range
    empowernet docs [--dir DIR]        rewrite the generated tables of the docs
    empowernet make-roster FILE        write a synthetic roster in the roster format
    empowernet validate [--write FILE] run the validation experiments (docs/validation.md)
    empowernet collect DIR             one Parquet dataset from a sweep's runs
    empowernet compare DIR             each scenario against the baseline, paired by seed
    empowernet report DIR              HTML and Markdown report of a sweep, with figures
    empowernet assetmap DIR            the baseline's asset map, per household type and year
    empowernet sensitivity             Morris or Sobol indices over parameters (SALib)
    empowernet diagnose ROSTER         a roster's poverty profile and a card per family
    empowernet advise ROSTER --budget-total Z   the best package for each family of a roster
    empowernet optimize --budget-per-household Z   search the programme mix and targeting
    empowernet dashboard [SWEEP_DIR...]   the live model and stored sweeps in a browser
    empowernet calibrate [FILE]        estimate parameters against moments (ABC-SMC)
    empowernet worlds                  trap and no-trap worlds: Bayes factor, policies in both

Every command takes -q (errors only) and -v (a line for every run as well); progress bars
are drawn only on a terminal. compare, report, diagnose and advise also write their tables
as an Excel workbook with --xlsx FILE. Errors a user can cause (bad option, override, value,
roster or folder) print one paragraph and exit with status 2 before anything runs or is
written.
Ctrl-C ends a command with one line (status 130); a sweep says how many runs are finished
and how to resume it.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from experiments import config as config_io
from experiments import console, store
from experiments.analysis.advise import DEFAULT_PACKAGES, DEFAULT_REPLICATIONS
from experiments.analysis.benefit_cost import DISCOUNT_ANNUAL
from experiments.analysis.compare import DEFAULT_MONTHS, default_months
from experiments.analysis.objectives import DEFAULT_OBJECTIVE, OBJECTIVES
from experiments.analysis.presentation import CURRENCIES, LANGUAGES, View, view_of
from experiments.analysis.sensitivity import METHODS
from experiments.arguments import (
    existing_file,
    existing_folder,
    library_scenario,
    new_file,
    nonnegative_int,
    output_folder,
    own_folder,
    positive_float,
    positive_int,
    posterior_choice,
    refuse_existing,
    refuse_other_page,
    renamed_option,
    roster_file,
    runs_folder,
    sweep_contents,
    sweep_folder,
    xlsx_file,
    yearly_rate,
)
from experiments.calibration.entry import calibrate_arguments, calibrate_command
from experiments.calibration.worlds_entry import worlds_arguments, worlds_command
from experiments.config import CONFIG_DIR
from experiments.sweep import read_inputs
from experiments.uncertainty import NONE, shipped
from model import diagnosis, roster
from model.docs import with_outputs
from model.month import with_phases
from model.params import BASELINE, ConfigError, describe, to_dict
from scenarios.delivered import with_inputs

if TYPE_CHECKING:
    import pandas as pd

USAGE_ERROR = 2
INTERRUPTED = 130
JOB_LOST = 1
"""A sweep's job ended without its run (killed, cancelled, out of time): not a user error."""
PIPE_CLOSED = 141  # 128 + SIGPIPE
MAX_PORT = 65535
DEFAULT_DESIGN = CONFIG_DIR / "sensitivity" / "default.yaml"
HYDRA_FULL_ERROR = "HYDRA_FULL_ERROR"
HYDRA_LINES_OFF = "hydra.hydra_logging.root.level=WARNING"
"""Hydra's own line per job of a sweep off: the sweep's watcher says what each run did."""


def fail(message: str) -> int:
    """Print a user error and return the exit status for it."""
    console.error(f"empowernet: error: {message}")
    return USAGE_ERROR


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
    read_inputs(cfg)
    chosen = [o.split("=", 1)[1] for o in overrides if o.startswith("hydra.run.dir=")]
    if chosen:
        check_option("hydra.run.dir", own_folder, chosen[-1])
    if chosen and not overwrite:
        store.refuse_other_run(Path(chosen[-1]), to_dict(cfg))


def check_sweep_run(overrides: list[str]) -> tuple[list[str], str, list[str]]:
    """Check every run of a sweep; returns the overrides with the sweep's folder named
    (so that an interrupted sweep can be resumed by name), that folder and the run ids."""
    from experiments.sweep import check_sweep, expand_sweep, read_sweep

    given = [o for o in overrides if not o.startswith("-")]
    runs = check_sweep(given)
    folder = config_io.sweep_dir([*expand_sweep(given)[0],
                                  *(o for o in given if o.startswith("hydra"))])
    if Path(folder).is_dir():
        read_sweep(Path(folder))  # a damaged index or run is refused before Hydra starts
    Path(folder).mkdir(parents=True, exist_ok=True)  # as is a folder that cannot be made
    console.say(f"sweep of {len(runs)} runs", err=True)
    if not any(o.startswith("hydra.sweep.dir=") for o in given):
        overrides = [*overrides, f"hydra.sweep.dir={folder}"]
    return overrides, folder, runs


def run_command(args: argparse.Namespace) -> int:
    """``empowernet run``: validate, then hand the overrides to the Hydra app."""
    overrides = args.hydra_arguments
    for override in overrides:
        key, _, value = override.partition("=")
        if key in ("hydra.run.dir", "hydra.sweep.dir"):
            check_option(key, output_folder, value)
    if any(o in ("-h", "--help") for o in overrides):
        print(args.own_help())  # the command's own options; Hydra's help follows
    sweep_dir, runs = None, []
    if any(o in ("-m", "--multirun") for o in overrides):
        overrides, sweep_dir, runs = check_sweep_run(overrides)
        if not any(o.startswith(("hydra/hydra_logging=", "hydra.hydra_logging."))
                   for o in overrides):
            overrides = [*overrides, HYDRA_LINES_OFF]
    elif not any(o.startswith("-") for o in overrides):
        check_before_run(overrides, args.overwrite)
    if console.bars_shown() and not any(o.startswith("progress=") for o in overrides):
        overrides = [*overrides, "progress=true"]
    from hydra.errors import HydraException

    from experiments.hydra_app import OVERWRITE_ENV
    from experiments.hydra_app import main as hydra_main

    if args.overwrite:
        os.environ[OVERWRITE_ENV] = "1"  # read by every run, in this process or a worker's
    sys.argv = ["empowernet run", *overrides]
    try:
        with hydra_errors_raised():
            hydra_main()
    except HydraException as err:  # what the checks before it leave to Hydra (--cfg, -c ...)
        return fail(" ".join(str(err).split()))
    except KeyboardInterrupt:
        console.error(f"empowernet: interrupted; {interrupted_run(sweep_dir, runs)}")
        return INTERRUPTED
    except Exception as err:
        return lost_job(err, sweep_dir, runs)
    return 0


def lost_job(err: Exception, sweep_dir: str | None, runs: list[str]) -> int:
    """End a sweep one of whose jobs ended without its run (``sweep.job_lost``) with one
    paragraph saying so, what is finished and how to resume (status ``JOB_LOST``); any
    other error is raised again."""
    from experiments.sweep import job_lost

    what = job_lost(err) if sweep_dir is not None else None
    if what is None:
        raise err
    console.error(f"empowernet: error: a job of the sweep ended before its run finished "
                  f"({what}). On a cluster the sweep's other jobs go on: wait until none "
                  f"is left in the queue (squeue) before resuming. "
                  f"{interrupted_run(sweep_dir, runs)}")
    return JOB_LOST


def hydra_errors_raised() -> AbstractContextManager[None]:
    """Have Hydra raise what goes wrong (HYDRA_FULL_ERROR) instead of printing it and
    exiting with status 1, so that ``dispatch`` says it: a user error or an unwritable
    folder (even one Hydra makes itself, for a run, a sweep or its log) in one paragraph."""
    return console.environment(HYDRA_FULL_ERROR, "1")


def interrupted_run(sweep_dir: str | None, runs: list[str]) -> str:
    """What an interrupted ``run`` (a sweep of ``runs``, run ids, if ``sweep_dir``) finished
    and how to resume; a sweep's ``index.json`` is brought up to date with the runs that
    finished."""
    if sweep_dir is None:
        return "the run did not finish; run the command again to start it over."
    from experiments.sweep import finished, write_index

    if Path(sweep_dir).is_dir():
        write_index(Path(sweep_dir))
    return (f"{finished(Path(sweep_dir), runs)} of {len(runs)} runs are finished in "
            f"{sweep_dir}; to resume, run the same command with hydra.sweep.dir={sweep_dir} "
            "(finished runs are skipped).")


PARAMETERS_HEADER = """# Parameters

Every parameter of the model, with its default, unit, allowed range and meaning. Set any of them
as a Hydra override (`empowernet run shocks.p_shock=0.02`), in a config file under `configs/`,
or in Python (`EmpowermentModel(overrides={"shocks.p_shock": 0.02})`). A value outside its
range is refused before the first month. This page is generated by
`empowernet params --write docs/parameters.md`; z is the monthly per-capita poverty line.

"""


def parameters_markdown() -> str:
    """The whole ``docs/parameters.md`` page. Its defaults are those of ``empowernet run``
    and ``load_config()`` (``configs/config.yaml`` over the schema); the keys whose schema
    default differs are named above the table, since a model built in Python without a
    loaded config starts from the schema's."""
    schema = {row["key"]: row["default"] for row in describe()}
    rows = describe(config_io.load_config([]))
    differ = [f"`{row['key']}` ({schema[row['key']]})" for row in rows
              if row["default"] != schema[row["key"]]]
    note = ("The defaults are those of `empowernet run` and `load_config()`: the typed schema "
            "(`model/params.py`) with `configs/config.yaml` on top.")
    if differ:
        note += (" A model built in Python without a loaded config "
                 "(`EmpowermentModel(households=500)`, `EmpowermentModel(scenario=...)`) "
                 "starts from the schema's own defaults, which differ only in "
                 f"{', '.join(differ)}.")
    lines = ["| key | default | unit | allowed | meaning |", "|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| `{row['key']}` | {row['default']} | {row['unit']} | "
                     f"{row['allowed']} | {row['meaning']} |")
    return PARAMETERS_HEADER + textwrap.fill(note, 96) + "\n\n" + "\n".join(lines) + "\n"


def params_command(args: argparse.Namespace) -> int:
    """``empowernet params``: the parameter table as Markdown."""
    page = parameters_markdown()
    if args.write:
        refuse_other_page(args.write, page.splitlines()[0])
        store.write_text(page, Path(args.write))
        console.say(f"parameter table written to {args.write}")
    else:
        console.say(page.rstrip("\n"))
    return 0


def with_outputs_and_diagnosis(page: str) -> str:
    """``docs/outputs.md`` with its generated tables: results, household fields, diagnosis."""
    return diagnosis.with_columns(with_outputs(page))


GENERATED_SECTIONS = {"model.md": with_phases, "outputs.md": with_outputs_and_diagnosis,
                      "network.md": with_inputs}
"""Pages of docs/ with generated tables between marker lines, and what rewrites them."""


def docs_command(args: argparse.Namespace) -> int:
    """``empowernet docs``: rewrite every generated table of the docs in ``--dir``."""
    folder = args.dir
    root = Path(folder)
    try:
        pages = {root / name: rewrite((root / name).read_text(encoding="utf-8"))
                 for name, rewrite in GENERATED_SECTIONS.items()}
    except (OSError, ValueError) as err:
        return fail(f"cannot rewrite the docs in {folder}: {err}. Give the project's docs "
                    "folder with --dir; nothing was written.")
    pages[root / "parameters.md"] = parameters_markdown()
    for path, text in pages.items():
        store.write_text(text, path)
    console.say(f"generated tables rewritten in {folder}")
    return 0


def make_roster_command(args: argparse.Namespace) -> int:
    """``empowernet make-roster``: a synthetic roster in the documented format, in the file
    type its name says (``roster_file``)."""
    refuse_existing(args.path, args.overwrite)
    config = config_io.load_config([f"seed={args.seed}",
                                    f"population.households={args.households}"])
    write_roster(roster.example_frame(config), Path(args.path))
    console.say(f"roster of {args.households} households written to {args.path}")
    return 0


def write_roster(frame: pd.DataFrame, path: Path) -> None:
    """Write a roster table as CSV, TSV, Excel or Parquet, by ``path``'s suffix."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        store.write_parquet(frame, path)
    elif suffix == ".xlsx":
        cells = io.BytesIO()
        frame.to_excel(cells, index=False)
        store.write_bytes(cells.getvalue(), path)
    else:
        store.write_text(frame.to_csv(index=False, sep="\t" if suffix == ".tsv" else ","),
                         path)


def validate_command(args: argparse.Namespace) -> int:
    """``empowernet validate``: measure every target; print the table, optionally write it."""
    from experiments.analysis.validation import evaluate
    from experiments.analysis.validation_report import HEADER, table_markdown, write_report
    from experiments.evaluate import runs_folder

    if args.write:
        refuse_other_page(args.write, HEADER.splitlines()[0])
    with runs_folder(args.runs) as runs:
        table = evaluate(args.households, args.seeds, runs_dir=runs, jobs=args.jobs,
                         progress=lambda line: console.say(line, err=True))
        if args.write:
            write_report(table, Path(args.write), args.households, args.seeds, runs)
    if args.write:
        console.say(f"validation report written to {args.write}")
    else:
        console.say(table_markdown(table).rstrip("\n"))
    return 0


def collect_command(args: argparse.Namespace) -> int:
    """``empowernet collect``: gather a sweep into ``DIR/collected.parquet``."""
    from experiments.collect import collect
    from experiments.sweep import read_index, write_index

    if args.out:
        refuse_existing(args.out, args.overwrite)
    read_index(Path(args.sweep_dir))  # a damaged index is refused before anything is written
    path = collect(args.sweep_dir, args.out)
    write_index(Path(args.sweep_dir))
    console.say(f"collected into {path}")
    return 0


def comparison_months(args: argparse.Namespace) -> list[int]:
    """The months to compare at, checked against the sweep before anything is written: the
    baseline must have runs and every month given must be within the runs' horizon (by
    default, ``default_months``)."""
    scenarios, horizon = sweep_contents(Path(args.sweep_dir))
    if not scenarios:
        raise ConfigError(f"{args.sweep_dir} holds no finished run to compare.")
    if args.baseline not in scenarios:
        raise ConfigError(f"--baseline {args.baseline}: the sweep {args.sweep_dir} has no "
                          f"runs of it; its scenarios are {', '.join(scenarios)}.")
    if args.months is None:
        return default_months(horizon)
    beyond = [m for m in args.months if m > horizon]
    if beyond:
        raise ConfigError(f"--months {' '.join(map(str, beyond))}: the runs of "
                          f"{args.sweep_dir} end at month {horizon}; give months from 0 to "
                          f"{horizon}.")
    return args.months


def compare_command(args: argparse.Namespace) -> int:
    """``empowernet compare``: print the comparison and write it next to the sweep."""
    months = comparison_months(args)
    from experiments.analysis.compare import compare, render

    table, money = compare(args.sweep_dir, args.baseline, months, args.discount)
    console.say(render(table, money).rstrip("\n"))
    console.say(f"tables written to {Path(args.sweep_dir) / 'comparison.csv'} and costs.csv "
                "(and .parquet)")
    write_sweep_workbook(args)
    return 0


def write_sweep_workbook(args: argparse.Namespace) -> None:
    """With ``--xlsx``, the comparison and costs just written in the sweep as a workbook."""
    if args.xlsx:
        from experiments.analysis.workbook import sweep_tables, write_workbook

        write_workbook(sweep_tables(args.sweep_dir), args.xlsx)
        console.say(f"workbook written to {args.xlsx}")


def report_command(args: argparse.Namespace) -> int:
    """``empowernet report``: the comparison, figures, scenarios and provenance, in the
    language and currency asked for."""
    view = view_of_options(args)
    months = comparison_months(args)
    from experiments.analysis.report import build

    html_path, md_path = build(args.sweep_dir, args.baseline, months, args.discount, view)
    console.say(f"report written to {html_path.resolve()} (self-contained) and "
                f"{md_path.resolve()}")
    write_sweep_workbook(args)
    return 0


def assetmap_command(args: argparse.Namespace) -> int:
    """``empowernet assetmap``: the business-as-usual asset map of a sweep."""
    from experiments.analysis.asset_map_report import write

    out = Path(args.out) if args.out else Path(args.sweep_dir) / "asset_map"
    page = write(Path(args.sweep_dir), out, args.baseline)
    console.say(f"asset map written to {page.resolve()} (figures, tables and an HTML page "
                "beside it)")
    return 0


def sensitivity_command(args: argparse.Namespace) -> int:
    """``empowernet sensitivity``: indices with intervals, a table and a figure."""
    from experiments.analysis.sensitivity import run

    indices = run(Path(args.design), Path(args.out), args.method, args.samples,
                  args.seed, args.overrides, args.jobs)
    console.say(indices.to_string(index=False))
    console.say(f"indices written to {Path(args.out).resolve() / 'indices.csv'} (figure: "
                "indices.png, .svg)")
    return 0


def advise_command(args: argparse.Namespace) -> int:
    """``empowernet advise``: per-family gains with intervals, an allocation within the
    budget, and that allocation simulated as a whole."""
    from experiments.analysis.advise import advise

    view = view_of_options(args)
    advice = advise(args.roster, args.budget_total, args.out, args.packages,
                    args.replications, args.months, args.overrides, args.objective,
                    args.jobs, args.posterior, view, args.overwrite)
    console.say(advice.households["allocated_package"].value_counts().to_string())
    console.say(advice.allocation.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    console.say(f"unspent budget: {advice.unspent_reason}")
    console.say(f"intervals: {advice.interval_caption}")
    out = advice.folder.resolve()
    console.say(f"advice written to {out / 'advice.csv'}, {out / 'allocation.csv'} and "
                f"{out / 'advice.html'} (the diagnosis: diagnosis.csv, profile.csv)")
    if args.xlsx:
        from experiments.analysis.diagnose import read_tables
        from experiments.analysis.workbook import write_workbook

        write_workbook({"advice": advice.households, "allocation": advice.allocation,
                        **read_tables(out)}, args.xlsx)
        console.say(f"workbook written to {args.xlsx}")
    return 0


def diagnose_command(args: argparse.Namespace) -> int:
    """``empowernet diagnose``: the roster's poverty profile and each family's constraint."""
    from experiments.analysis.diagnose import constraint_words, diagnose_roster, read_tables, write
    from model.diagnosis import SUMMARY

    view = view_of_options(args)
    out = Path(args.out or Path("outputs") / "diagnosis" / Path(args.roster).stem)
    found = diagnose_roster(args.roster, args.overrides, view)
    page = write(found, out, args.overwrite)
    poor = found.families[found.families["poor"]]
    console.say(f"{len(poor):,} of {len(found.families):,} families are poor; their binding "
                "constraints:")
    for constraint, count in poor[SUMMARY].map(constraint_words).value_counts().items():
        console.say(f"  {constraint}: {count:,}")
    console.say(f"diagnosis written to {page.resolve()} (tables: diagnosis.csv, profile.csv "
                "and .parquet)")
    if args.xlsx:
        from experiments.analysis.workbook import write_workbook

        write_workbook(read_tables(out), args.xlsx)
        console.say(f"workbook written to {args.xlsx}")
    return 0


def optimize_command(args: argparse.Namespace) -> int:
    """``empowernet optimize``: the best configurations found, written as scenarios."""
    from experiments.analysis.optimize import chance_note, optimize

    ranked = optimize(args.out, args.budget_per_household, args.trials, args.outcome, args.seeds,
                      args.best, args.overrides, posterior=args.posterior)
    console.say(ranked.to_string(index=False))
    console.say(chance_note(args.posterior, args.seeds))
    replaced = [o for o in args.overrides if o.lstrip("+").startswith("budget.")]
    console.say(f"every trial ran with budget.limited=true and budget.per_household_z="
                f"{args.budget_per_household:g} (--budget-per-household)"
                + (f", in place of {' '.join(replaced)}" if replaced else ""))
    out = Path(args.out).resolve()
    console.say(f"best scenarios written to {out / 'scenario'}; run one with "
                f"hydra.searchpath=[file://{out}] scenario=best_1")
    return 0


def dashboard_command(args: argparse.Namespace) -> int:
    """``empowernet dashboard``: serve the live model and the stored sweeps until Ctrl-C."""
    if args.port > MAX_PORT:
        raise ConfigError(f"--port {args.port}: a port is a number from 1 to {MAX_PORT}.")
    from experiments.dashboard.serve import serve

    serve(args.sweep_dirs, args.host, args.port, view_of(args.lang).lang)
    return 0


def output_options() -> argparse.ArgumentParser:
    """``-q`` and ``-v``, which every command takes (``experiments.console``)."""
    p = argparse.ArgumentParser(add_help=False)
    level = p.add_mutually_exclusive_group()
    level.add_argument("-q", "--quiet", dest="verbosity", action="store_const",
                       const=console.QUIET, default=console.NORMAL,
                       help="print errors only: no results, notes or progress bars")
    level.add_argument("-v", "--verbose", dest="verbosity", action="store_const",
                       const=console.VERBOSE,
                       help="say more: in a sweep, a line for every run as it ends")
    return p


def xlsx_option(p: argparse.ArgumentParser, tables: str) -> None:
    """``--xlsx FILE``: the command's tables as an Excel workbook as well."""
    p.add_argument("--xlsx", metavar="FILE", type=xlsx_file,
                   help=f"also write {tables} as an Excel workbook (.xlsx), one sheet per "
                   "table, each column's unit in its header; an existing file is replaced "
                   "only if empowernet wrote it (default: no workbook)")


def posterior_option(p: argparse.ArgumentParser, each: str) -> None:
    """``--posterior``: a draw of the parameters per seed, the same in every ``each``."""
    p.add_argument("--posterior", metavar="PATH|none", type=posterior_choice,
                   default=shipped() or NONE,
                   help="a calibration's folder or its posterior.csv: each seed runs with its "
                   f"own parameter draw from it (the same in every {each}); none: fixed "
                   "parameters (default: the shipped calibration's posterior if there is one, "
                   "else none)")


def run_arguments(p: argparse.ArgumentParser) -> None:
    """``run``: its arguments are Hydra's (overrides and flags such as ``-m``, ``--cfg job``,
    ``--help``), passed on in their order; only ``-q``, ``-v`` and ``--overwrite`` are the
    command's own."""
    p.add_argument("--overwrite", action="store_true",
                   help="replace a run folder's run of another config (refused otherwise)")


def params_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``params``."""
    p.add_argument("--write", metavar="FILE", type=new_file,
                   help="write the table to FILE (docs/parameters.md); an existing file "
                   "only if it is such a page (default: print it)")


def docs_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``docs``."""
    p.add_argument("--dir", default="docs", type=existing_folder, help="the docs folder")


def make_roster_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``make-roster``."""
    p.add_argument("path", type=roster_file, help="roster file to write: .csv, .tsv, .xlsx "
                   "or .parquet, in that format (its folder must exist)")
    overwrite_option(p, "PATH")
    p.add_argument("--households", type=positive_int, default=200,
                   help="households in the roster (count)")
    p.add_argument("--seed", type=nonnegative_int, default=1,
                   help="random seed (a whole number)")


def validate_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``validate``."""
    p.add_argument("--write", metavar="FILE", type=new_file,
                   help="write the report to FILE (docs/validation.md); an existing file "
                   "only if it is such a page (default: print the table)")
    p.add_argument("--households", type=positive_int, help="households per run (count) "
                   "(default: the experiment files' sizes)")
    p.add_argument("--seeds", type=positive_int,
                   help="use only the first N seeds of each file (count) (default: all)")
    p.add_argument("--runs", metavar="DIR", type=runs_folder, help="keep the runs in DIR "
                   "and reuse those already there (default: a temporary folder)")
    p.add_argument("--jobs", type=positive_int, default=1,
                   help="runs at a time, each in its own process (count)")


def collect_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``collect``."""
    p.add_argument("sweep_dir", type=sweep_folder, help="the sweep's folder")
    p.add_argument("--out", type=new_file, help="output file (default: DIR/collected.parquet, "
                   "rebuilt each time)")
    overwrite_option(p, "the --out file")


def overwrite_option(p: argparse.ArgumentParser, what: str) -> None:
    """``--overwrite``: replace ``what``, a file that exists (refused otherwise)."""
    p.add_argument("--overwrite", action="store_true",
                   help=f"replace {what} if it exists (refused otherwise)")


def language_option(p: argparse.ArgumentParser) -> None:
    """``--lang``: English or Persian (the default from ``configs/presentation.yaml``)."""
    p.add_argument("--lang", choices=LANGUAGES,
                   help="language of the pages written: en (English) or fa "
                   "(Persian: right to left, Persian digits, Jalali dates); messages on the "
                   "terminal stay in English (default: lang in configs/presentation.yaml, en)")


def presentation_options(p: argparse.ArgumentParser) -> None:
    """``--lang``, ``--currency`` and ``--poverty-line``: the language and the money of a
    command's pages (``presentation.view_of``)."""
    language_option(p)
    p.add_argument("--currency", choices=CURRENCIES,
                   help="currency of the amounts of money shown: z (the poverty line), toman "
                   "or rial, converted at --poverty-line (default: currency in "
                   "configs/presentation.yaml, z)")
    p.add_argument("--poverty-line", type=positive_float, metavar="TOMAN",
                   help="the poverty line that converts z into toman or rial, e.g. 1680000 "
                   "(toman per person per month) (default: poverty_line in "
                   "configs/presentation.yaml, none: toman and rial then need this option)")


def view_of_options(args: argparse.Namespace) -> View:
    """The view ``presentation_options`` ask for (refused before anything is written)."""
    return view_of(args.lang, args.currency, args.poverty_line)


def report_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``report``: those of ``compare``, the language and the currency."""
    comparison_arguments(p)
    presentation_options(p)


def comparison_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments ``compare`` and ``report`` share."""
    p.add_argument("sweep_dir", type=sweep_folder, help="the sweep's folder")
    p.add_argument("--baseline", default=BASELINE,
                   help="scenario (label) to compare with")
    p.add_argument("--months", type=nonnegative_int, nargs="+",
                   help="when to report effects (months from the start) (default: those of "
                   f"{' '.join(map(str, DEFAULT_MONTHS))} within the runs' horizon, and the "
                   "horizon)")
    p.add_argument("--discount", type=yearly_rate, default=DISCOUNT_ANNUAL,
                   help="discount rate of the benefit-cost ratio (a fraction per year: 0.05 "
                   "is 5 %%)")
    xlsx_option(p, "the comparison and the costs")


def assetmap_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``assetmap``."""
    p.add_argument("sweep_dir", type=sweep_folder,
                   help="the sweep's folder; its baseline runs need snapshots every 12 months "
                   "(outputs.snapshot_months=[0,12,24,...])")
    p.add_argument("--baseline", default=BASELINE, help="scenario (label) of business as usual")
    p.add_argument("--out", type=own_folder,
                   help="folder to write into (default: DIR/asset_map)")


def sensitivity_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``sensitivity``."""
    p.add_argument("overrides", nargs="*", help="config overrides for every run")
    p.add_argument("--design", default=str(DEFAULT_DESIGN),
                   type=existing_file,
                   help="YAML file with parameters, ranges, scenario and outcome")
    p.add_argument("--method", default="morris", choices=METHODS,
                   help="morris (screening) or sobol")
    p.add_argument("--samples", type=positive_int, default=10,
                   help="Morris trajectories (count, at least 2), or Sobol base sample size "
                   "(count, a power of 2)")
    p.add_argument("--seed", type=nonnegative_int, default=0,
                   help="seed of the sample (a whole number)")
    p.add_argument("--out", default="outputs/sensitivity", type=runs_folder,
                   help="folder for the runs and indices")
    p.add_argument("--jobs", type=positive_int, default=1,
                   help="runs at a time, each in its own process (count)")


def advise_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``advise``."""
    p.add_argument("roster", type=existing_file,
                   help="roster file: CSV, TSV, Excel or Parquet (docs/roster.md)")
    renamed_option(p, "--budget-total", "--budget", type=positive_float, metavar="Z",
                   help="programme budget for the whole roster, shared among its families "
                   "(z) (required)")
    p.add_argument("--packages", nargs="+", default=list(DEFAULT_PACKAGES),
                   type=library_scenario,
                   help="library scenarios to offer as packages (default: "
                   f"{' '.join(DEFAULT_PACKAGES)})")
    p.add_argument("--objective", choices=list(OBJECTIVES), default=DEFAULT_OBJECTIVE,
                   help="the welfare gain to maximise per z: consumption (z/person-month), "
                   "poverty_gap (reduction of the FGT1 gap, share of z) or sustained_exits "
                   "(probability) (default: %(default)s; docs/analysis.md)")
    p.add_argument("--replications", type=positive_int, default=DEFAULT_REPLICATIONS,
                   help="runs per package, each with its own seed, shared by all packages "
                   "(count, at least 2)")
    p.add_argument("--months", type=positive_int, default=36,
                   help="horizon of each run (months)")
    p.add_argument("--out", default="outputs/advice", type=own_folder,
                   help="folder for advice.csv, allocation.csv, advice.html and the runs "
                   "(advice in another language than English goes to its advice_<lang> "
                   "folder)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace advice made with other settings in that folder")
    p.add_argument("--jobs", type=positive_int, default=1,
                   help="runs at a time, each in its own process (count)")
    posterior_option(p, "package")
    xlsx_option(p, "the advice, the allocation, the per-family diagnosis and the roster's "
                "poverty profile")
    presentation_options(p)
    p.add_argument("overrides", nargs="*", help="config overrides for every run")


def diagnose_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``diagnose``."""
    p.add_argument("roster", type=existing_file,
                   help="roster file: CSV, TSV, Excel or Parquet (docs/roster.md)")
    p.add_argument("--out", metavar="DIR", type=own_folder,
                   help="folder for diagnosis.html and the tables (default: "
                   "outputs/diagnosis/<the roster's file name without extension>)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace a diagnosis of another roster or config in --out (refused "
                   "otherwise)")
    xlsx_option(p, "the profile and the per-family diagnosis")
    presentation_options(p)
    p.add_argument("overrides", nargs="*", help="config overrides, e.g. "
                   "diagnosis.horizon_months=36 seed=3 (default: none)")


def optimize_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``optimize``."""
    renamed_option(p, "--budget-per-household", "--budget", type=positive_float,
                   metavar="Z", help="programme budget per client household (z at month-0 "
                   "prices): every trial runs with budget.per_household_z=Z and "
                   "budget.limited=true, in place of any override of them (required)")
    p.add_argument("--trials", type=positive_int, default=30,
                   help="configurations to try (count)")
    p.add_argument("--outcome", default="graduations_cumulative",
                   help="results column to optimise at the horizon (docs/outputs.md)")
    p.add_argument("--seeds", type=positive_int, default=3, help="runs per trial (count)")
    p.add_argument("--best", type=positive_int, default=3, help="scenarios to write (count)")
    posterior_option(p, "trial")
    p.add_argument("--out", default="outputs/optimize", type=own_folder,
                   help="folder for the study, its runs and the best scenarios")
    p.add_argument("overrides", nargs="*", help="config overrides for every trial")


def dashboard_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``dashboard``."""
    from experiments.dashboard.serve import DEFAULT_HOST, DEFAULT_PORT

    p.add_argument("sweep_dirs", metavar="SWEEP_DIR", nargs="*", type=sweep_folder,
                   help="sweep folders to show on the stored-results page (default: every "
                   "sweep under outputs/)")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help="address to listen on (0.0.0.0 for every network interface)")
    p.add_argument("--port", type=positive_int, default=DEFAULT_PORT,
                   help="port to listen on, from 1 to 65535 (a whole number)")
    language_option(p)


class DefaultsFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Help that ends each option's line with its default, if it has one (flags have none)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if (action.default is None or action.default == [] or action.nargs == 0
                or "(default:" in (action.help or "")):
            return action.help
        return super()._get_help_string(action)


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, one line of help, its options and what runs it."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]
    hydra: bool = False
    """Whether its other arguments are Hydra's, handed on in their order (``run``)."""
    usage: str | None = None
    """The usage line, if argparse cannot tell it (arguments handed on to Hydra)."""


COMMANDS = (
    Command("run", "run a scenario (Hydra overrides follow)", run_arguments, run_command,
            hydra=True, usage="%(prog)s [-q | -v] [--overwrite] [-m] [--cfg job] "
            "[KEY=VALUE ...]"),
    Command("params", "list every parameter", params_arguments, params_command),
    Command("docs", "rewrite the generated tables of the docs", docs_arguments, docs_command),
    Command("make-roster", "write a synthetic roster file", make_roster_arguments,
            make_roster_command),
    Command("validate", "measure the validation targets (docs/validation.md)",
            validate_arguments, validate_command),
    Command("collect", "gather a sweep into one Parquet dataset", collect_arguments,
            collect_command),
    Command("compare", "scenarios against the baseline, by seed", comparison_arguments,
            compare_command),
    Command("sensitivity", "Morris or Sobol sensitivity (SALib)", sensitivity_arguments,
            sensitivity_command),
    Command("diagnose", "a roster's poverty profile and each family's binding constraint",
            diagnose_arguments, diagnose_command),
    Command("advise", "the best package for each family of a roster", advise_arguments,
            advise_command),
    Command("optimize", "search programme mix and targeting (Optuna)", optimize_arguments,
            optimize_command),
    Command("report", "HTML and Markdown report of a sweep", report_arguments,
            report_command),
    Command("assetmap", "the baseline's asset map per household type and over time",
            assetmap_arguments, assetmap_command),
    Command("dashboard", "the live model and stored sweeps in a browser (Mesa's SolaraViz)",
            dashboard_arguments, dashboard_command),
    Command("calibrate", "estimate parameters against moments (ABC-SMC)", calibrate_arguments,
            calibrate_command),
    Command("worlds", "the trap and no-trap worlds calibrated together; policies ranked in "
            "both", worlds_arguments, worlds_command),
)


class OneLineParser(argparse.ArgumentParser):
    """A parser that refuses a bad command line in one line: what is wrong, and where the
    command's options are listed (its whole usage would bury the message)."""

    def error(self, message: str) -> NoReturn:
        """Print ``PROG: error: MESSAGE (see PROG --help)`` and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    """The ``empowernet`` parser: one subparser per entry of ``COMMANDS``."""
    top = OneLineParser(prog="empowernet", description=__doc__.replace("``", ""),
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version",
                     version=f"%(prog)s {version('empowernet')}")
    sub = top.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        # a Hydra command leaves --help and abbreviations to Hydra
        p = sub.add_parser(command.name, help=command.help, add_help=not command.hydra,
                           allow_abbrev=not command.hydra, parents=[output_options()],
                           formatter_class=DefaultsFormatter, usage=command.usage)
        command.arguments(p)
        p.set_defaults(func=command.handler, takes_hydra_arguments=command.hydra,
                       own_help=p.format_help, parser_error=p.error)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``empowernet`` console command.

    User errors (bad option, override, value or roster) print one paragraph and return
    status 2, whichever command they come from.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    top = parser()
    try:
        args, rest = top.parse_known_args(argv)
        if rest and hasattr(args, "overrides") and not any(a.startswith("-") for a in rest):
            args.overrides, rest = [*args.overrides, *rest], []  # overrides after options
        if rest and not getattr(args, "takes_hydra_arguments", False):
            args.parser_error(f"unrecognized arguments: {' '.join(rest)}")
    except SystemExit as exit_:
        return USAGE_ERROR if exit_.code else 0
    args.hydra_arguments = rest
    try:
        with console.speaking(args.verbosity), console.one_compile_notice():
            status = dispatch(args)
        sys.stdout.flush()  # what is still buffered, while a closed pipe can be caught
        return status
    except BrokenPipeError:
        return reader_gone()


def reader_gone() -> int:
    """The reader of standard output closed it (``empowernet ... | head``): end quietly, as a
    command killed by SIGPIPE does, with nothing more written to it (status 141)."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return PIPE_CLOSED


def dispatch(args: argparse.Namespace) -> int:
    """Run the command ``args`` name, at the level of output it sets; a user error or
    Ctrl-C ends it with one paragraph."""
    for note in getattr(args, "notes", []):
        console.note(note)
    console.announce_compiling()
    try:
        return args.func(args)
    except (ConfigError, roster.RosterError) as err:
        return fail(str(err))
    except OSError as err:
        if console.ctrl_c_behind(err):
            return interrupted_command(args)
        if err.filename is None:
            raise
        return fail(store.cannot_use(err))
    except Exception as err:
        if not console.ctrl_c_behind(err):
            raise
        return interrupted_command(args)
    except KeyboardInterrupt:
        return interrupted_command(args)


RERUN = "interrupted; run it again (it reads the stored results and writes its outputs anew)."
WHEN_INTERRUPTED = {
    "dashboard": "stopped.",  # Ctrl-C is how a server is stopped
    **dict.fromkeys(("params", "docs", "make-roster", "collect", "compare", "report"), RERUN),
    **dict.fromkeys(("calibrate", "worlds"), "interrupted; the generations it finished {where} "
                    "are reused when the same command is run again."),
}
"""What a command says when interrupted, where it is not that its runs are reused: commands
that run no simulation have nothing to reuse, and ABC-SMC keeps generations."""


def interrupted_command(args: argparse.Namespace) -> int:
    """Say that ``args.command`` was interrupted and what of it is reused (``WHEN_INTERRUPTED``;
    by default, the runs it finished in its output folder, ``--out`` when given)."""
    out = getattr(args, "out", None)
    where = f"in {out}" if out and Path(out).is_dir() else "in its output folder"
    said = WHEN_INTERRUPTED.get(args.command, "interrupted; the runs it finished {where} are "
                                "reused when the same command is run again.")
    console.error(f"empowernet: {args.command} {said.format(where=where)}")
    return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
