"""The subcommands that read a sweep's stored runs: ``collect``, ``compare``, ``report``,
``assetmap`` and ``dashboard``, and ``sensitivity``, which runs and reads its own."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments import console
from experiments.analysis.benefit_cost import DISCOUNT_ANNUAL
from experiments.analysis.compare import DEFAULT_MONTHS, default_months
from experiments.analysis.presentation import view_of
from experiments.analysis.sensitivity import METHODS
from experiments.arguments import (
    MAX_PORT,
    existing_file,
    new_file,
    nonnegative_int,
    own_folder,
    port_number,
    positive_int,
    refuse_existing,
    runs_folder,
    sweep_contents,
    sweep_folder,
    yearly_rate,
)
from experiments.command_options import (
    language_option,
    overwrite_option,
    presentation_options,
    view_of_options,
    xlsx_option,
)
from experiments.config import CONFIG_DIR
from model.params import BASELINE, ConfigError

DEFAULT_DESIGN = CONFIG_DIR / "sensitivity" / "default.yaml"


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


def collect_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``collect``."""
    p.add_argument("sweep_dir", type=sweep_folder, help="the sweep's folder")
    p.add_argument("--out", type=new_file, help="output file (default: DIR/collected.parquet, "
                   "rebuilt each time)")
    overwrite_option(p, "the --out file")


def comparison_months(args: argparse.Namespace) -> list[int]:
    """The months to compare at, checked against the sweep before anything is written: the
    baseline must have runs and every month given must be within the runs' horizon (by
    default, ``default_months``); each month once, in the order given."""
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
    return list(dict.fromkeys(args.months))  # a month given twice is reported once


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


def report_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``report``: those of ``compare``, the language and the currency."""
    comparison_arguments(p)
    presentation_options(p)


def assetmap_command(args: argparse.Namespace) -> int:
    """``empowernet assetmap``: the business-as-usual asset map of a sweep."""
    from experiments.analysis.asset_map_report import write

    out = Path(args.out) if args.out else Path(args.sweep_dir) / "asset_map"
    page = write(Path(args.sweep_dir), out, args.baseline)
    console.say(f"asset map written to {page.resolve()} (figures, tables and an HTML page "
                "beside it)")
    return 0


def assetmap_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``assetmap``."""
    p.add_argument("sweep_dir", type=sweep_folder,
                   help="the sweep's folder; its baseline runs need snapshots every 12 months "
                   "(outputs.snapshot_months=[0,12,24,...])")
    p.add_argument("--baseline", default=BASELINE, help="scenario (label) of business as usual")
    p.add_argument("--out", type=own_folder,
                   help="folder to write into (default: DIR/asset_map)")


def sensitivity_command(args: argparse.Namespace) -> int:
    """``empowernet sensitivity``: indices with intervals, a table and a figure."""
    from experiments.analysis.sensitivity import MEASURED, run, table_text

    indices = run(Path(args.design), Path(args.out), args.method, args.samples,
                  args.seed, args.overrides, args.jobs)
    console.say(f"{indices.attrs[MEASURED]}:")
    console.say(table_text(indices))
    console.say(f"indices written to {Path(args.out).resolve() / 'indices.csv'} (figure: "
                "indices.png, .svg)")
    return 0


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


def dashboard_command(args: argparse.Namespace) -> int:
    """``empowernet dashboard``: serve the live model and the stored sweeps until Ctrl-C."""
    from experiments.dashboard.serve import serve

    serve(args.sweep_dirs, args.host, args.port, view_of(args.lang).lang)
    return 0


def dashboard_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``dashboard``."""
    from experiments.dashboard.serve import DEFAULT_HOST, DEFAULT_PORT

    p.add_argument("sweep_dirs", metavar="SWEEP_DIR", nargs="*", type=sweep_folder,
                   help="sweep folders to show on the stored-results page (default: every "
                   "sweep under outputs/)")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help="address to listen on (0.0.0.0 for every network interface)")
    p.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                   help=f"port to listen on, a whole number from 1 to {MAX_PORT}")
    language_option(p)
