"""The subcommands a policy designer starts from: ``diagnose`` (a roster's poverty profile and
each family's binding constraint), ``advise`` (the best package for each family within a
budget) and ``optimize`` (a search of programme mix and targeting)."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments import console
from experiments.analysis.advise import DEFAULT_PACKAGES, DEFAULT_REPLICATIONS
from experiments.analysis.objectives import DEFAULT_OBJECTIVE, OBJECTIVES
from experiments.arguments import (
    existing_file,
    library_scenario,
    own_folder,
    positive_float,
    positive_int,
    renamed_option,
)
from experiments.command_options import (
    posterior_option,
    presentation_options,
    view_of_options,
    xlsx_option,
)


def diagnose_command(args: argparse.Namespace) -> int:
    """``empowernet diagnose``: the roster's poverty profile and each family's constraint."""
    from experiments.analysis.diagnose import constraint_words, diagnose_roster, read_tables, write
    from model.diagnosis import SUMMARY

    view = view_of_options(args)
    out = Path(args.out or Path("outputs") / "diagnosis" / Path(args.roster).stem)
    found = diagnose_roster(args.roster, args.overrides, view,
                            keep=None if args.overwrite else out)
    page = write(found, out)
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


def advise_command(args: argparse.Namespace) -> int:
    """``empowernet advise``: per-family gains with intervals, an allocation within the
    budget, and that allocation simulated as a whole."""
    from experiments.analysis.advice_page import allocation_lines, package_counts
    from experiments.analysis.advise import advise

    view = view_of_options(args)
    advice = advise(args.roster, args.budget_total, args.out, args.packages,
                    args.replications, args.months, args.overrides, args.objective,
                    args.jobs, args.posterior, view, args.overwrite)
    console.say(f"households by package: {package_counts(advice.households)}")
    console.say("the allocation as a whole:")
    for line in allocation_lines(advice.allocation, OBJECTIVES[args.objective],
                                 view.in_english()):
        console.say(f"  {line}")
    console.say(f"unspent budget: {advice.unspent_reason}")
    for note in advice.untargeted:
        console.say(note)
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


def optimize_command(args: argparse.Namespace) -> int:
    """``empowernet optimize``: the best configurations found, written as scenarios."""
    from experiments.analysis.optimize import chance_note, optimize

    ranked = optimize(args.out, args.budget_per_household, args.trials, args.outcome, args.seeds,
                      args.best, args.overrides, posterior=args.posterior)
    console.say(ranked.to_string(index=False))
    console.say(chance_note(args.posterior, args.seeds, args.outcome))
    replaced = [o for o in args.overrides if o.lstrip("+").startswith("budget.")]
    console.say(f"every trial ran with budget.limited=true and budget.per_household_z="
                f"{args.budget_per_household:g} (--budget-per-household)"
                + (f", in place of {' '.join(replaced)}" if replaced else ""))
    out = Path(args.out).resolve()
    console.say(f"best scenarios written to {out / 'scenario'}; run one with "
                f"hydra.searchpath=[file://{out}] scenario=best_1")
    return 0


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
