"""What the command line prints: one progress bar for a sweep and only on a terminal, per-run
lines only with -v, nothing but errors with -q, a line while numba compiles, help that gives
every option's default and unit, budget options named by what they measure, and the tables
as Excel workbooks holding the numbers of the CSV and Parquet files."""

from __future__ import annotations

import argparse
import os
import pty
import re
import subprocess
import sys
import tempfile
import termios
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numba
import pandas as pd
import pytest
from numba.core import event

from experiments import console, load_config, run_one, store
from experiments.analysis.workbook import header
from experiments.cli import main, parser
from experiments.evaluate import Point, evaluate
from model.params import to_dict
from tests.helpers import CLI

SCENARIOS = ("baseline", "graduation")
SMALL = ["population.households=100", "months=3"]


def sweep_command(out: Path, *flags: str) -> list[str]:
    """A sweep of two short runs into ``out``."""
    return [CLI, "run", *flags, "-m", f"scenario={','.join(SCENARIOS)}", *SMALL,
            f"hydra.sweep.dir={out}"]


def on_a_terminal(command: list[str]) -> str:
    """What ``command`` shows on a terminal of 100 columns (standard output and error)."""
    master, terminal = pty.openpty()
    termios.tcsetwinsize(terminal, (40, 100))
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=terminal,
                               stderr=terminal)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=300) == 0
    return b"".join(chunks).decode()


@pytest.mark.slow
def test_a_sweep_off_a_terminal_says_what_it_ran_and_draws_no_bar(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    done = subprocess.run(sweep_command(out), capture_output=True, text=True, check=True,
                          timeout=300)
    assert done.stdout == ""  # no line per run
    assert done.stderr.splitlines() == [
        "sweep of 2 runs", f"sweep: 2 runs, 0 failed; {out} holds 2 runs in all, and "
        "index.json lists them"]
    assert "\r" not in done.stderr
    other = subprocess.run([*sweep_command(out), "shocks.p_shock=0.1"], capture_output=True,
                           text=True, check=True, timeout=300)  # beside the first two
    assert other.stderr.splitlines()[-1] == (f"sweep: 2 runs, 0 failed; {out} holds 4 runs "
                                             "in all, and index.json lists them")


@pytest.mark.slow
def test_verbose_says_each_run_and_quiet_says_nothing(tmp_path: Path) -> None:
    verbose = subprocess.run(sweep_command(tmp_path / "verbose", "-v"), capture_output=True,
                             text=True, check=True, timeout=300)
    lines = verbose.stdout.splitlines()
    assert [line.split(",")[0] for line in lines] == list(SCENARIOS)
    assert all("100 households, 3 months: headcount" in line for line in lines)
    again = subprocess.run(sweep_command(tmp_path / "verbose", "-v"), capture_output=True,
                           text=True, check=True, timeout=300)
    assert again.stdout == ""  # said without -v too, beside the sweep's other lines
    assert "2 of 2 runs already finished; they are skipped" in again.stderr.splitlines()
    quiet = subprocess.run(sweep_command(tmp_path / "quiet", "-q"), capture_output=True,
                           text=True, check=True, timeout=300)
    assert (quiet.stdout, quiet.stderr) == ("", "")
    assert len(list((tmp_path / "quiet").glob(f"*/*/{store.MANIFEST}"))) == 2


@pytest.mark.slow
def test_on_a_terminal_one_bar_counts_the_runs_and_run_lines_never_cut_it(
        tmp_path: Path) -> None:
    shown = on_a_terminal(sweep_command(tmp_path / "sweep", "-v"))
    assert "runs:" in shown and "2/2" in shown
    visible = [line.rstrip("\r").split("\r")[-1] for line in shown.split("\n")]
    run_lines = [line for line in shown.split("\n") if "headcount" in line]
    assert len(run_lines) == 2
    assert all(line.startswith(SCENARIOS) for line in visible if "headcount" in line)
    assert not re.search(r"months:\s+\d+%", shown)  # no bar per run inside a sweep


@pytest.mark.slow
def test_quiet_draws_no_bar_even_on_a_terminal(tmp_path: Path) -> None:
    assert on_a_terminal(sweep_command(tmp_path / "sweep", "-q")) == ""


def test_bars_are_drawn_only_on_a_terminal() -> None:
    # pytest captures standard error into a file: not a terminal
    assert not console.bars_shown()


@pytest.fixture
def notice(monkeypatch) -> Iterator[console.CompileNotice]:
    """A new compile notice listening to numba for the length of a test (the process's own,
    registered by any command run before in this process, keeps quiet meanwhile)."""
    monkeypatch.setattr(console.NOTICE, "said", True)
    listener = console.CompileNotice()
    event.register("numba:compile", listener)
    yield listener
    event.unregister("numba:compile", listener)


def test_the_first_compilation_is_announced_once(notice, capsys) -> None:
    numba.njit(lambda x: x + 1)(1)
    numba.njit(lambda x: x * 2)(1)
    assert capsys.readouterr().err == f"empowernet: {console.COMPILING}\n"


def test_threads_compiling_at_once_announce_it_once(notice, capsys) -> None:
    functions = [numba.njit(lambda x, k=k: x + k) for k in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda f: f(1), functions))
    assert capsys.readouterr().err == f"empowernet: {console.COMPILING}\n"


WORKERS_COMPILING = """
import numba
from joblib import Parallel, delayed
from experiments import console


def compile_in_worker(k):
    console.announce_compiling()
    return numba.njit(lambda x: x + k)(1)


if __name__ == "__main__":
    with console.speaking(console.NORMAL), console.one_compile_notice():
        print(sum(Parallel(n_jobs=2)(delayed(compile_in_worker)(k) for k in range(4))))
"""
"""A command whose two worker processes (joblib's loky, as sweeps and ``evaluate`` use)
compile while the command itself compiles nothing."""


@pytest.mark.slow
def test_worker_processes_compiling_announce_it_once_between_them(tmp_path) -> None:
    script = tmp_path / "workers.py"
    script.write_text(WORKERS_COMPILING)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          check=True, timeout=300, cwd=Path(__file__).resolve().parents[1])
    assert done.stdout == "10\n"
    assert done.stderr == f"empowernet: {console.COMPILING}\n"  # said by a worker, once
    assert not list(Path(tempfile.gettempdir()).glob("empowernet-*/compiling"))


def test_quiet_keeps_the_compilation_to_itself(notice, capsys) -> None:
    with console.speaking(console.QUIET):
        numba.njit(lambda x: x - 1)(1)
    assert capsys.readouterr().err == ""


def test_warnings_are_notes_of_one_line_that_quiet_hides(capsys) -> None:
    with console.speaking(console.NORMAL):
        warnings.warn("roster r.csv: column(s) name are kept as labels", UserWarning,
                      stacklevel=1)
    with console.speaking(console.QUIET):
        warnings.warn("not shown", UserWarning, stacklevel=1)
    assert capsys.readouterr().err == ("empowernet: note: roster r.csv: column(s) name are "
                                       "kept as labels\n")


@pytest.mark.slow  # a subprocess
def test_version_is_the_installed_one(capsys) -> None:
    done = subprocess.run([CLI, "--version"], capture_output=True, text=True, check=True)
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == done.stdout
    assert done.stdout.startswith("empowernet ") and done.stdout.strip()[-1].isdigit()


def every_option() -> Iterator[tuple[str, argparse.ArgumentParser, argparse.Action]]:
    """(command, its parser, option) for every option of every command."""
    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        for action in sub._actions:
            if action.option_strings and action.help != argparse.SUPPRESS:
                yield name, sub, action


def required(sub: argparse.ArgumentParser, action: argparse.Action) -> bool:
    """Whether ``action`` must be given (by itself, or as one of a required group)."""
    return action.required or any(action in group._group_actions and group.required
                                  for group in sub._mutually_exclusive_groups)


def test_every_option_says_its_default_or_that_it_is_a_flag_or_required() -> None:
    missing = []
    for name, sub, action in every_option():
        shown = sub.formatter_class(sub.prog)._expand_help(action)
        if not (action.nargs == 0 or "(default: " in shown
                or (required(sub, action) and "(required)" in shown)):
            missing.append(f"{name} {action.option_strings[-1]}: {shown}")
    assert not missing, missing
    assert sum(1 for _ in every_option()) > 40


@pytest.mark.slow  # a subprocess
def test_run_help_gives_the_commands_own_options_then_hydras() -> None:
    done = subprocess.run([CLI, "run", "--help"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("usage: empowernet run [-q | -v] [--overwrite]")
    assert all(option in done.stdout for option in ("--quiet", "--verbose", "--overwrite"))
    assert "scenario: " in done.stdout and "empowernet params" in done.stdout
    assert "hydra_app" not in done.stdout


NUMBERS = ("positive_int", "nonnegative_int", "positive_float", "yearly_rate")
UNITS = ("(count", "(months", "(a whole number)", "(z", "(a fraction per year", "(toman")


def test_every_number_option_says_its_unit_in_parentheses() -> None:
    numbers = [(name, action) for name, _, action in every_option()
               if getattr(action.type, "__name__", "") in NUMBERS]
    assert len(numbers) > 15
    without = [f"{name} {action.option_strings[-1]}" for name, action in numbers
               if not any(unit in action.help for unit in UNITS)]
    assert not without, without


def test_budgets_are_named_by_what_they_measure(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("household_id,size\nA,3\n", encoding="utf-8")
    total = parser().parse_args(["advise", str(roster), "--budget-total", "2000"])
    each = parser().parse_args(["optimize", "--budget-per-household", "40"])
    assert (total.budget_total, each.budget_per_household) == (2000, 40)
    old = parser().parse_args(["advise", str(roster), "--budget", "2000"])
    assert old.budget_total == 2000
    assert old.notes == ["--budget is now called --budget-total; the old name will go away "
                         "in a later version."]


def test_optimize_says_it_sets_the_budget_of_every_trial(monkeypatch, capsys) -> None:
    given = {}

    def optimize(out, budget, *rest, **options):
        given["budget"] = budget
        return pd.DataFrame({"rank": [1]})

    monkeypatch.setattr("experiments.analysis.optimize.optimize", optimize)
    assert main(["optimize", "--budget", "40", "budget.per_household_z=5"]) == 0
    said = capsys.readouterr()
    assert given["budget"] == 40
    assert "--budget is now called --budget-per-household" in said.err
    assert ("every trial ran with budget.limited=true and budget.per_household_z=40 "
            "(--budget-per-household), in place of budget.per_household_z=5") in said.out


@pytest.fixture(scope="module")
def small_sweep(tmp_path_factory) -> Path:
    """A sweep of the baseline and graduation, two seeds each, written by ``run_one``."""
    folder = tmp_path_factory.mktemp("sweep")
    for scenario in SCENARIOS:
        for seed in (0, 1):
            config = load_config([f"scenario={scenario}", f"seed={seed}", *SMALL])
            run_one(config, folder / store.run_id(to_dict(config)))
    return folder


def assert_same_numbers(sheet: pd.DataFrame, table: pd.DataFrame) -> None:
    """The sheet holds ``table`` with units in its headers, to the 16 significant digits a
    workbook keeps."""
    assert list(sheet.columns) == [header(c) for c in table.columns]
    pd.testing.assert_frame_equal(sheet.set_axis(table.columns, axis=1), table,
                                  check_dtype=False, rtol=1e-15)


@pytest.mark.slow  # on a sweep
@pytest.mark.parametrize("command", ["compare", "report"])
def test_comparison_and_costs_workbook_holds_the_parquet_numbers(
        command: str, small_sweep: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "tables.xlsx"
    assert main([command, str(small_sweep), "--xlsx", str(path)]) == 0
    assert f"workbook written to {path}" in capsys.readouterr().out
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["comparison", "costs"]
    for name, sheet in sheets.items():
        assert_same_numbers(sheet, pd.read_parquet(small_sweep / f"{name}.parquet"))
    assert "effect (in the row's unit)" in sheets["comparison"]
    assert "cost_per_household (z per client household)" in sheets["costs"]
    unitless = {name: [c for c in sheet.columns if not c.endswith(")")]
                for name, sheet in sheets.items()}
    assert unitless == {"comparison": ["scenario", "outcome", "unit"], "costs": ["scenario"]}


@pytest.mark.slow
def test_advice_workbook_holds_the_csv_numbers(tmp_path: Path, capsys) -> None:
    roster, out = tmp_path / "roster.csv", tmp_path / "advice"
    assert main(["make-roster", str(roster), "--households", "30"]) == 0
    assert main(["advise", str(roster), "--budget-total", "50", "--packages", "graduation",
                 "--replications", "2", "--months", "6", "--out", str(out), "--xlsx",
                 str(tmp_path / "advice.xlsx")]) == 0
    sheet = pd.read_excel(tmp_path / "advice.xlsx", sheet_name="advice")
    assert_same_numbers(sheet, pd.read_csv(out / "advice.csv"))
    assert "cost_graduation (z)" in sheet
    assert "poverty_gap_reduction_graduation (share of z)" in sheet


@pytest.mark.slow  # on a sweep
def test_a_plans_bar_stays_out_of_a_log_file(small_sweep: Path, capsys) -> None:
    plan = [Point.compose(name, [f"scenario={name}", *SMALL], 0) for name in SCENARIOS]
    runs = evaluate(plan, small_sweep, progress="runs")  # stored already: read back
    assert len(runs.results()) == 2 * 4
    assert capsys.readouterr().err == ""


@pytest.mark.slow  # on a sweep
def test_quiet_compare_prints_nothing_and_still_writes(small_sweep: Path, tmp_path: Path,
                                                       capsys) -> None:
    path = tmp_path / "tables.xlsx"
    assert main(["compare", "-q", str(small_sweep), "--xlsx", str(path)]) == 0
    assert capsys.readouterr() == ("", "")
    assert path.is_file()
