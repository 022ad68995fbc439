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
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import NoReturn

from experiments import console, store
from experiments.calibration.entry import calibrate_arguments, calibrate_command
from experiments.calibration.worlds_entry import worlds_arguments, worlds_command
from experiments.command_options import output_options
from experiments.policy_commands import (
    advise_arguments,
    advise_command,
    diagnose_arguments,
    diagnose_command,
    optimize_arguments,
    optimize_command,
)
from experiments.run_command import run_arguments, run_command
from experiments.sweep_commands import (
    assetmap_arguments,
    assetmap_command,
    collect_arguments,
    collect_command,
    compare_command,
    comparison_arguments,
    dashboard_arguments,
    dashboard_command,
    report_arguments,
    report_command,
    sensitivity_arguments,
    sensitivity_command,
)
from experiments.tool_commands import (
    docs_arguments,
    docs_command,
    make_roster_arguments,
    make_roster_command,
    params_arguments,
    params_command,
    validate_arguments,
    validate_command,
)
from model import roster
from model.params import ConfigError

USAGE_ERROR = 2
PIPE_CLOSED = 141  # 128 + SIGPIPE


def fail(message: str) -> int:
    """Print a user error and return the exit status for it."""
    console.error(f"empowernet: error: {message}")
    return USAGE_ERROR


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
    args.argv = argv  # as given: for a command that says how to run it again
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
    return console.INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
