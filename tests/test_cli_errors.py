"""Bad invocations of every subcommand: each is refused with exit status 2 and one paragraph
naming what is wrong (no traceback), before anything runs, and leaves no file behind.

Most cases go through ``experiments.cli.main`` in this process; a few go through the
installed console command, and one interrupts a real sweep with Ctrl-C (SIGINT).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numba
import pandas as pd
import pytest
import yaml

from agents import EmpowermentModel
from experiments import console, hydra_app, load_config, run_one, store
from experiments import sweep as sweep_module
from experiments.analysis.workbook import write_workbook
from experiments.arguments import xlsx_file
from experiments.cli import interrupted_command, main
from experiments.run_command import Sweep, called_as, interrupted_run, resume_command
from experiments.sweep import planned_runs, read_index
from experiments.sweep_commands import comparison_months
from tests.helpers import CLI

SWEEP = "sweep"
"""A sweep of two finished 12-month runs (baseline and graduation), written by hand."""
UNFINISHED = "unfinished"
"""A sweep whose only run failed."""
FILE = "afile.txt"
ROSTER = "roster.csv"
FAMILIES = "families.xlsx"
"""A roster as an Excel workbook of the user's."""
NOT_A_WORKBOOK = "text.xlsx"
"""A text file named as a workbook."""
DAMAGED = "damaged"
"""A run folder whose manifest.json is not JSON."""
DAMAGED_STUDY = "search"
"""A policy search's folder whose study.db is not a database."""
UNRECORDED_STUDY = "old_search"
"""A policy search's folder with its study.db but not the record of its settings."""
UNRECORDED = "indices"
"""A folder of sensitivity indices without the record of their settings."""
DAMAGED_RUNS = "damaged_runs"
"""A command's folder of stored runs whose index.json is not JSON."""
DAMAGED_SETTINGS = "damaged_search"
"""A policy search's folder whose record of its settings is not YAML."""
UNRECORDED_FILES = "mine"
"""A folder of the user's holding files with the names a run and a diagnosis write, and no
manifest."""
UNWRITABLE = "/sys/empowernet-test"
"""A path no one may create, root included (sysfs)."""
READ_ONLY = "/sys/kernel"
"""A folder that exists and in which no one may make a file, root included (sysfs)."""
PILOT = str(Path(__file__).parents[1] / "data" / "pilot_roster.csv")
PER_HOUSEHOLD = ["--budget-per-household", "40"]
MORE_THREADS = numba.config.NUMBA_NUM_THREADS + 1

BAD_INVOCATIONS = [
    # run: overrides in the user's terms, the nearest valid spelling, the valid names
    (["run", "shocks.p_shok=0.02"], "unknown key shocks.p_shok; did you mean shocks.p_shock?"),
    (["run", "foo.bar=1"], "unknown key foo.bar"),
    (["run", "null=no_trap"], "added with a plus: +null=NAME, where NAME is one of no_network"),
    (["run", "sensitivity=default"], "unknown key sensitivity"),  # designs, not a run's
    (["run", "scenario=graduaton"], "did you mean graduation? The scenario configs are"),
    (["run", "-m", "+experiment=nope"], "main_comparison"),
    (["run", "scenario=baseline,graduation"], "add -m"),
    (["run", "scenario=[baseline,graduation]"], "Hydra would merge those scenario configs into "
                                                "one run, not run each of them"),
    (["run", "-m", "scenario=[baseline,graduation]"], "make a sweep: empowernet run -m "
                                                      "scenario=baseline,graduation."),
    (["run", "-m", "scenario=[baseline,graduation],training"], "make a sweep: empowernet run "
                                                               "-m scenario=baseline,graduation."),
    (["run", "-m", "scenario=baseline,graduaton"], "did you mean graduation"),
    (["run", "population.households=0"], "out of range"),
    (["run", "months=0"], "out of range"),
    (["run", "-m", "seed=range(2)", "hydra.sweeper.max_batch_size=0"],
     "hydra.sweeper.max_batch_size=0: a batch holds 1 job or more"),
    (["run", "-m", "seed=range(2)", "hydra/launcher=joblib", "hydra.launcher.n_jobs=0"],
     "hydra.launcher.n_jobs=0: the launcher needs 1 worker or more"),
    (["run", "label=گروه یک"], "quote it: \"label='گروه یک'\" on the command line"),
    (["run", "-m", "label=گروه", "seed=0,1"], "quote it: \"label='گروه'\" on the command line"),
    (["run", "label=../../elsewhere"], "cannot name the run's folder"),
    (["run", "label="], "'label' has value '', which cannot name the run's folder"),
    (["run", f"threads={MORE_THREADS}"], "more threads than numba can use on this machine"),
    (["run", "-m", "seed=range(2)", f"threads={MORE_THREADS}"], "more threads than numba"),
    (["run", "seed=-1"], "out of range; allowed: 0 or more."),
    (["run", "months=abc"], "months=abc"),
    (["run", "engine=gpu"], "gpu"),
    (["run", "outputs.snapshot_months=[500]"], "snapshot_months"),
    (["run", "-m", "scenario=baseline", f"hydra.sweep.dir={FILE}"], f"{FILE} is a file"),
    (["run", f"hydra.run.dir={FILE}/run"], f"{FILE} is a file"),
    (["run", f"hydra.run.dir={DAMAGED}"], f"{DAMAGED}/manifest.json cannot be read"),
    (["run", f"hydra.run.dir={UNRECORDED_FILES}"],
     f"{UNRECORDED_FILES} holds results.parquet, config.yaml but no manifest.json recording "
     "them, so they are not written over"),
    (["diagnose", PILOT, "--out", UNRECORDED_FILES],
     f"{UNRECORDED_FILES} holds diagnosis.html, config.yaml but no manifest.json"),
    (["run", "population=pilot", f"population.roster_path={SWEEP}"], "a folder, not a file"),
    (["run", "-m", "scenario=baseline", "hydra.sweep.dir="], "the path is empty"),
    (["run", "-m", "scenario=baseline", "seed=range(0)"], "give seed no value at all"),
    (["run", "-m", "seed=range(abc)"], "'range(abc)': mismatch type argument start"),
    (["run", "-m", "scenario=baseline", f"hydra.sweep.dir={UNWRITABLE}/sw"],
     f"cannot use {UNWRITABLE}"),
    # make-roster, params, docs: files and folders of the wrong kind
    (["make-roster", "no_such_dir/x.csv"], "the folder of no_such_dir/x.csv does not exist"),
    (["make-roster", SWEEP], "is a folder"),
    (["make-roster", "r.csv", "--households", "0"], "not a positive whole number"),
    (["make-roster", "r.csv", "--seed", "-1"], "negative"),
    (["make-roster", ROSTER], f"{ROSTER} already exists"),
    (["make-roster", "r.txt"], "does not end in .csv, .tsv, .xlsx or .parquet"),
    (["make-roster", f"{UNWRITABLE}.csv"], f"cannot use {UNWRITABLE}.csv"),
    (["params", "--write", f"{UNWRITABLE}.md"], f"cannot use {UNWRITABLE}.md"),
    (["params", "--write", "no_such_dir/p.md"], "does not exist"),
    (["params", "--write", ROSTER], f"{ROSTER} already exists and is not a page this command "
                                    "wrote (its first line is not '# Parameters')"),
    (["validate", "--write", ROSTER, "--seeds", "1"], "its first line is not '# Validation'"),
    (["docs", "--dir", "no_such_dir"], "no_such_dir is not a folder: it does not exist"),
    # validate
    (["validate", "--seeds", "0"], "not a positive whole number"),
    (["validate", "--households", "0"], "not a positive whole number"),
    (["validate", "--jobs", "0"], "not a positive whole number"),
    (["validate", "--runs", FILE], f"{FILE} is a file"),
    (["validate", "--write", SWEEP], "is a folder"),
    # collect, compare, report: a folder that is not a sweep is refused before writing
    (["collect", "docs"], "docs holds no runs"),
    (["collect", "no_such_dir"], "does not exist"),
    (["collect", FILE], "is not a folder"),
    (["collect", SWEEP, "--out", "no_such_dir/c.parquet"], "does not exist"),
    (["collect", SWEEP, "--out", FILE], f"{FILE} already exists"),
    # a sweep whose runs have no results.parquet: refused, naming the run and the file
    (["collect", SWEEP], f"{SWEEP}/0/results.parquet cannot be read"),
    (["compare", SWEEP], "remove that folder and run its command again"),
    (["compare", SWEEP, "--months", "999"], "end at month 12; give months from 0 to 12"),
    (["compare", SWEEP, "--months", "abc"], "not a whole number"),
    (["compare", SWEEP, "--months", "-1"], "negative"),
    (["compare", SWEEP, "--discount", "-1"], "not a rate"),
    (["compare", SWEEP, "--baseline", "nope"], "its scenarios are baseline, graduation"),
    (["compare", SWEEP, "--xlsx", "tables.csv"], "does not end in .xlsx"),
    (["report", SWEEP, "--xlsx", "no_such_dir/t.xlsx"], "the folder of no_such_dir/t.xlsx"),
    (["compare", "docs"], "docs holds no runs"),
    (["compare", ""], "argument sweep_dir: the path is empty"),
    (["collect", SWEEP, "--out", ""], "argument --out: the path is empty"),
    (["diagnose", ""], "argument roster: the path is empty"),
    (["compare", UNFINISHED], "no finished run"),
    (["report", SWEEP, "--months", "24", "999"], "end at month 12"),
    (["report", FILE], "is not a folder"),
    (["report", "docs"], "docs holds no runs"),
    # dashboard: one check of the port, in one sentence, whatever is wrong with it
    *((["dashboard", SWEEP, "--port", port], f"argument --port: {port} is not a port; give a "
      "whole number from 1 to 65535") for port in ("0", "70000", "abc")),
    # assetmap: a sweep whose baseline runs have yearly household snapshots
    (["assetmap", "docs"], "docs holds no runs"),
    (["assetmap", SWEEP, "--baseline", "nope"], "holds no finished 'nope' run"),
    (["assetmap", SWEEP], "stored no household snapshots"),
    (["assetmap", SWEEP, "--out", f"{FILE}/x"], f"{FILE} is a file"),
    # sensitivity
    (["sensitivity", "--samples", "0"], "not a positive whole number"),
    (["sensitivity", "--out", FILE], f"{FILE} is a file"),
    (["sensitivity", "--method", "foo"], "invalid choice"),
    (["sensitivity", "--design", "nope.yaml"], "nope.yaml is not a file: it does not exist"),
    (["sensitivity", "--jobs", "0"], "not a positive whole number"),
    (["sensitivity", "--out", UNRECORDED, "--samples", "2"],
     f"{UNRECORDED} already holds sensitivity indices (indices.csv) but not the record of the "
     "settings they were made with (sensitivity.yaml)"),
    (["sensitivity", "--method", "morris", "--samples", "2", "--out", "sens", "months=6"],
     "the design reads headcount at month 60, but its runs end at month 6"),
    (["sensitivity", "shocks.p_shok=1"], "did you mean shocks.p_shock"),
    (["sensitivity", "--design", FILE], "expected a mapping of parameters"),
    # advise
    (["advise", ROSTER, "--budget-total", "100", "--replications", "0"], "not a positive whole"),
    (["advise", ROSTER, "--budget-total", "100", "--replications", "1"], "needs at least 2"),
    (["advise", ROSTER, "--budget-total", "100", "--objective", "joy"], "invalid choice: 'joy'"),
    (["advise", ROSTER, "--budget", "-5"], "not above 0"),
    (["advise", ROSTER, "--budget-total", "abc"], "not a number"),
    (["advise", "nope.csv", "--budget-total", "100"], "nope.csv is not a file: it does not exist"),
    (["advise", ROSTER, "--budget-total", "100", "--months", "0"], "not a positive whole"),
    (["advise", ROSTER, "--budget-total", "100", "--out", FILE], f"{FILE} is a file"),
    (["advise", ROSTER, "--budget-total", "100", "--out", ""], "the path is empty"),
    (["advise", ROSTER, "--budget-total", "100", "--packages", "nope"], "unknown scenario 'nope'"),
    (["advise", ROSTER, "--budget-total", "100", "shocks.p_shok=1"], "did you mean shocks.p_shock"),
    (["advise", PILOT, "--budget-total", "100", "--packages", "baseline"], "runs no programme"),
    (["advise", ROSTER, "--budget", "5", "--budget-total", "5"], "not allowed with"),
    (["advise", ROSTER, "--xlsx", "a.xlsx"], "--budget-total is required"),
    (["advise", FAMILIES, "--budget-total", "100", "--xlsx", FAMILIES],
     f"{FAMILIES} already exists and is not marked as a workbook empowernet wrote"),
    (["diagnose", FAMILIES, "--xlsx", FAMILIES], "is not marked as a workbook empowernet wrote"),
    (["compare", SWEEP, "--xlsx", NOT_A_WORKBOOK], "is not marked as a workbook empowernet wrote"),
    # optimize
    (["optimize", *PER_HOUSEHOLD, "--trials", "0"], "not a positive whole number"),
    (["optimize", *PER_HOUSEHOLD, "--seeds", "0"], "not a positive whole number"),
    (["optimize", *PER_HOUSEHOLD, "--best", "0"], "not a positive whole number"),
    (["optimize", *PER_HOUSEHOLD, "--out", f"{FILE}/x"], f"{FILE} is a file"),
    (["optimize", "--trials", "5"], "required"),
    (["optimize", *PER_HOUSEHOLD, "--outcome", "happiness"], "not an outcome of the results"),
    (["optimize", *PER_HOUSEHOLD, "--trials", "2", "nonsense=1"], "unknown key nonsense"),
    (["optimize", *PER_HOUSEHOLD, "--out", DAMAGED_STUDY],
     f"{DAMAGED_STUDY}/study.db cannot be read (not an SQLite database)"),
    (["validate", "--runs", DAMAGED_RUNS, "--seeds", "1"],
     f"argument --runs: {DAMAGED_RUNS}/index.json cannot be read"),
    (["optimize", *PER_HOUSEHOLD, "--out", UNRECORDED_STUDY],
     f"{UNRECORDED_STUDY} already holds a policy search (study.db) but not the record"),
    (["optimize", *PER_HOUSEHOLD, "--out", DAMAGED_SETTINGS],
     f"{DAMAGED_SETTINGS}/optimize.yaml cannot be read (expected the node content"),
    # the command itself
    (["nonsense"], "invalid choice"),
    ([], "required"),
]

THROUGH_CONSOLE = [
    (["run", "shocks.p_shok=0.02"], "did you mean shocks.p_shock?"),
    (["run", "-m", "scenario=baseline", f"hydra.sweep.dir={FILE}"], f"{FILE} is a file"),
    (["compare", SWEEP, "--months", "999"], "end at month 12"),
    (["optimize", *PER_HOUSEHOLD, "--trials", "0"], "not a positive whole number"),
    # Hydra makes the run's folder itself (in this process it would take over logging)
    (["run", f"hydra.run.dir={UNWRITABLE}/run"], f"cannot use {UNWRITABLE}"),
    (["run", f"hydra.run.dir={READ_ONLY}"], f"{READ_ONLY} is a folder that cannot be written"),
    (["run", "-m", "seed=range(2)", f"hydra.sweep.dir={READ_ONLY}"], "cannot be written into"),
    # what the checks before Hydra leave to it (an option of Hydra's own before the overrides)
    (["run", "--cfg", "job", "nonexistent_key=1"], "could not override 'nonexistent_key'"),
]


def _run_folder(folder: Path, label: str, status: str) -> None:
    folder.mkdir(parents=True)
    (folder / store.CONFIG).write_text(yaml.safe_dump({"label": label, "seed": 0,
                                                      "months": 12}), encoding="utf-8")
    (folder / store.MANIFEST).write_text(json.dumps({"status": status, "label": label,
                                                     "seed": 0}), encoding="utf-8")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a sweep, a failed sweep, a file, a roster and a docs folder."""
    _run_folder(tmp_path / SWEEP / "0", "baseline", "finished")
    _run_folder(tmp_path / SWEEP / "1", "graduation", "finished")
    _run_folder(tmp_path / UNFINISHED / "0", "baseline", "failed")
    _run_folder(tmp_path / DAMAGED, "baseline", "finished")
    (tmp_path / DAMAGED / store.MANIFEST).write_text("{bad", encoding="utf-8")
    (tmp_path / FILE).write_text("not a folder\n", encoding="utf-8")
    (tmp_path / UNRECORDED_FILES).mkdir()
    for name in (store.RESULTS, store.CONFIG, "diagnosis.html"):
        (tmp_path / UNRECORDED_FILES / name).write_text("the user's\n", encoding="utf-8")
    (tmp_path / DAMAGED_STUDY).mkdir()
    (tmp_path / DAMAGED_SETTINGS).mkdir()
    (tmp_path / DAMAGED_SETTINGS / "optimize.yaml").write_text("budget: [\n", encoding="utf-8")
    (tmp_path / DAMAGED_STUDY / "study.db").write_text("garbage\n", encoding="utf-8")
    (tmp_path / DAMAGED_RUNS).mkdir()
    (tmp_path / UNRECORDED).mkdir()
    (tmp_path / UNRECORDED_STUDY).mkdir()
    (tmp_path / UNRECORDED_STUDY / "study.db").write_bytes(b"SQLite format 3\x00" + bytes(84))
    (tmp_path / UNRECORDED / "indices.csv").write_text("parameter,mu_star\n", encoding="utf-8")
    (tmp_path / DAMAGED_RUNS / "index.json").write_text("[", encoding="utf-8")
    (tmp_path / ROSTER).write_text("household_id,size\nA,3\n", encoding="utf-8")
    pd.DataFrame({"household_id": ["A"], "size": [3], "assets_z": [5]}).to_excel(
        tmp_path / FAMILIES, index=False)
    (tmp_path / NOT_A_WORKBOOK).write_text("a CSV named .xlsx\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "model.md").write_text("# Model\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def tree(folder: Path) -> dict[str, int]:
    """Every file and folder under ``folder`` with its size (folders: -1)."""
    return {str(p.relative_to(folder)): p.stat().st_size if p.is_file() else -1
            for p in folder.rglob("*")}


def assert_refused(status: int, err: str, expected: str) -> None:
    """Status 2, one paragraph with no traceback nor usage block, and the expected words
    (after the compile notice, which a refusal made once a run was built follows when
    numba's cache is cold, as on a fresh machine)."""
    assert status == 2, err
    assert "Traceback" not in err and "usage:" not in err, err
    said = [line for line in err.strip().splitlines() if console.COMPILING not in line]
    assert len(said) == 1, err  # one paragraph, on one line
    assert expected.lower() in " ".join(err.split()).lower(), err


@pytest.mark.parametrize(("argv", "expected"), BAD_INVOCATIONS,
                         ids=[" ".join(argv) or "(nothing)" for argv, _ in BAD_INVOCATIONS])
def test_bad_invocation_is_refused(argv: list[str], expected: str, workdir: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(workdir)
    status = main(argv)
    assert_refused(status, capsys.readouterr().err, expected)
    assert tree(workdir) == before


def test_a_sweep_whose_run_folder_holds_unrecorded_files_is_refused_before_any_run(
        workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Checked with the sweep's other runs before Hydra starts: nothing runs, nothing is
    written, and the remedy is a sweep's."""
    sweep = ["seed=0,1", "population.households=50", "months=2"]
    second = workdir / "mine_sweep" / planned_runs(["seed=1", *sweep[1:]])[0]
    second.mkdir(parents=True)
    (second / store.RESULTS).write_text("the user's\n", encoding="utf-8")
    before = tree(workdir)
    assert_refused(main(["run", "-m", *sweep, "hydra.sweep.dir=mine_sweep"]),
                   capsys.readouterr().err,
                   f"{second.relative_to(workdir)} holds results.parquet but no manifest.json "
                   "recording them, so they are not written over (they may be yours or another "
                   "command's, or the leftovers of a run stopped under a version that did not "
                   "yet record its start). Nothing was written. Remove that run's folder (move "
                   "out any files of yours first) and run the sweep again")
    assert tree(workdir) == before


def test_a_store_of_runs_holding_unrecorded_files_is_refused_before_any_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The commands that run plans into a store of runs (sensitivity, validate, optimize,
    advise) check every folder of the plan first, and say what they can do."""
    design = tmp_path / "design.yaml"
    design.write_text("scenario: baseline\nmonth: 2\noverrides: [population.households=50, "
                      "months=2]\nparameters: {shocks.p_shock: [0.003, 0.03]}\n",
                      encoding="utf-8")
    argv = ["sensitivity", "--design", str(design), "--samples", "2", "--out",
            str(tmp_path / "sens")]
    status = main(argv)
    assert status == 0, capsys.readouterr().err
    capsys.readouterr()
    manifests = sorted((tmp_path / "sens").glob("*/*/manifest.json"))
    manifests[-1].unlink()
    before = tree(tmp_path)
    status, err = main(argv), capsys.readouterr().err
    assert status == 2 and "Traceback" not in err, err
    assert err.splitlines()[-1] == (  # after the line saying what it would run
        f"empowernet: error: {manifests[-1].parent} holds results.parquet, households.parquet, "
        "network_nodes.parquet, network_edges.parquet, config.yaml but no manifest.json "
        "recording them, so they are not written over (they may be yours or another "
        "command's, or the leftovers of a run stopped under a version that did not yet record "
        "its start). Nothing was written. Remove that folder (move out any files of yours "
        "first) and run the command again: the finished runs of its store are reused.")
    assert tree(tmp_path) == before


def test_a_month_given_twice_is_compared_once(workdir: Path) -> None:
    args = argparse.Namespace(sweep_dir=SWEEP, baseline="baseline", months=[12, 0, 12, 0])
    assert comparison_months(args) == [12, 0]


def test_a_parameter_page_is_written_again(workdir: Path) -> None:
    page = workdir / "docs" / "parameters.md"
    page.write_text("# Parameters\n\nan old table\n", encoding="utf-8")
    assert main(["params", "--write", str(page)]) == 0
    assert "population.households" in page.read_text(encoding="utf-8")


def test_docs_refuse_a_parameter_page_of_the_users_and_write_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(Path(__file__).parents[1] / "docs", docs)
    (docs / "parameters.md").write_text("my own notes\n", encoding="utf-8")
    before = tree(docs)
    assert_refused(main(["docs", "--dir", str(docs)]), capsys.readouterr().err,
                   "parameters.md already exists and is not a page this command wrote")
    assert tree(docs) == before


def test_a_workbook_empowernet_wrote_may_be_written_again(tmp_path: Path) -> None:
    path = write_workbook({"costs": pd.DataFrame({"seeds": [3]})}, tmp_path / "t.xlsx")
    assert xlsx_file(str(path)) == str(path)


@pytest.mark.slow
@pytest.mark.parametrize(("argv", "expected"), THROUGH_CONSOLE,
                         ids=[" ".join(argv) for argv, _ in THROUGH_CONSOLE])
def test_console_command_refuses(argv: list[str], expected: str, workdir: Path) -> None:
    before = tree(workdir)
    done = subprocess.run([CLI, *argv], capture_output=True, text=True, timeout=120)
    assert_refused(done.returncode, done.stderr, expected)
    assert tree(workdir) == before


def default_sigint() -> None:
    """Give SIGINT its default disposition (run in a child before it starts)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_ctrl_c_ends_a_sweep_with_one_line_on_how_to_resume(tmp_path: Path) -> None:
    sweep_dir = tmp_path / "sweep"
    command = [CLI, "run", "-m", "scenario=baseline", "seed=range(40)", "months=120",
               "population.households=3000", f"hydra.sweep.dir={sweep_dir}"]
    # as at a terminal: SIGINT at its default, even where the tests run in the background
    # (a shell's background job ignores SIGINT, and a child inherits that)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=default_sigint)
    deadline = time.monotonic() + 240
    while not list(sweep_dir.glob(f"**/{store.MANIFEST}")) and time.monotonic() < deadline:
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert "interrupted" in last and "of 40 runs are finished" in last, err
    assert f"hydra.sweep.dir={sweep_dir}" in last
    finished = {p.parent.relative_to(sweep_dir).as_posix()
                for p in sweep_dir.glob(f"*/*/{store.MANIFEST}")
                if json.loads(p.read_text())["status"] == "finished"}
    index = json.loads((sweep_dir / "index.json").read_text())  # up to date, not as it began
    assert {r["run"] for r in index["runs"] if r["status"] == "finished"} == finished
    assert last.split("interrupted; ")[1].startswith(f"{len(finished)} of 40 runs")


def test_ctrl_c_ends_a_sweep_with_the_command_that_resumes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    def pressed() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(hydra_app, "main", pressed)
    monkeypatch.setattr(sys, "argv", ["/home/me/empowernet/.venv/bin/empowernet"])
    out = tmp_path / "my sweep"
    given = ["run", "-v", "-m", "seed=range(2)", "population.households=200", "months=6"]
    assert main([*given, f"hydra.sweep.dir={out}"]) == console.INTERRUPTED
    last = capsys.readouterr().err.splitlines()[-1]
    said, resume = last.split("; to resume (finished runs are skipped), run: ")
    assert said == f"empowernet: interrupted; 0 of 2 runs are finished in {out}"
    assert shlex.split(resume) == ["/home/me/empowernet/.venv/bin/empowernet", *given,
                                   f"hydra.sweep.dir={out}"]


def test_an_interrupted_sweep_with_one_run_finished_says_it_in_the_singular(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sweep_module, "finished", lambda folder, runs: 1)
    said = interrupted_run(Sweep(str(tmp_path), ["a/s0-1", "a/s1-2"], queued=False), ["x"])
    assert said.startswith(f"1 of 2 runs is finished in {tmp_path}; to resume")


def test_ctrl_c_of_a_cluster_sweep_says_its_jobs_go_on_in_the_queue(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """Stopping the command that submitted a SLURM sweep leaves its jobs queued: resuming
    at once would submit their runs a second time."""
    def pressed() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(hydra_app, "main", pressed)
    out = tmp_path / "cluster"
    assert main(["run", "-m", "seed=range(2)", "population.households=200", "months=6",
                 "hydra/launcher=submitit_slurm", f"hydra.sweep.dir={out}"]) == \
        console.INTERRUPTED
    last = capsys.readouterr().err.splitlines()[-1]
    assert (f"0 of 2 runs are finished in {out}; its jobs already submitted go on in the "
            "cluster's queue: wait until none is left in the queue (squeue; scancel stops "
            "them) before resuming; to resume (finished runs are skipped), run: ") in last


def test_the_resume_command_replaces_the_sweep_folder_given_and_quotes_for_a_shell() -> None:
    called = ["empowernet", "run", "-m", "scenario=baseline,graduation", "seed=range(20)",
              "hydra.sweep.dir=outputs/${now:%H}", "label='گروه یک'"]
    line = resume_command(called, "outputs/my sweep")
    assert line.startswith("empowernet run -m scenario=baseline,graduation 'seed=range(20)' ")
    assert shlex.split(line) == [*called[:5], "label='گروه یک'", "hydra.sweep.dir=outputs/my sweep"]
    assert resume_command(["empowernet", "run", "-m", "seed=1,2"], "outputs/grad") == \
        "empowernet run -m seed=1,2 hydra.sweep.dir=outputs/grad"


@pytest.mark.parametrize(("argv0", "called"), [
    (".venv/bin/empowernet", ".venv/bin/empowernet"),
    ("/opt/empowernet/.venv/bin/empowernet", "/opt/empowernet/.venv/bin/empowernet"),
    ("/usr/lib/python3/pytest", "empowernet")])  # main() called from Python
def test_the_program_is_named_as_it_was_called(monkeypatch, argv0, called) -> None:
    monkeypatch.setattr(sys, "argv", [argv0])
    assert called_as() == called


def test_ctrl_c_seen_through_a_kernel_stops_a_run_without_recording_it_failed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a kernel returning while SIGINT is pending: numba reports a SystemError caused by it
    def interrupted_in_a_kernel(self: EmpowermentModel) -> EmpowermentModel:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as pending:
            raise SystemError("CPUDispatcher returned a result with an exception set") \
                from pending

    monkeypatch.setattr(EmpowermentModel, "run", interrupted_in_a_kernel)
    config = load_config(["population.households=50", "months=2"])
    with pytest.raises(KeyboardInterrupt):
        run_one(config, tmp_path / "run")
    assert store.read_manifest(tmp_path / "run").get("status") != "failed"


def test_only_an_error_caused_by_ctrl_c_counts_as_an_interruption() -> None:
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as pending:
            raise SystemError("returned a result with an exception set") from pending
    except SystemError as err:
        assert console.ctrl_c_behind(err)
    assert not console.ctrl_c_behind(SystemError("returned a result with an exception set"))
    assert not console.ctrl_c_behind(ValueError("bad"))


@pytest.mark.slow
def test_a_reader_closing_the_pipe_ends_a_command_quietly(tmp_path: Path) -> None:
    # ``empowernet compare SWEEP | head -1`` where head has gone: its output buffered, as it
    # is without PYTHONUNBUFFERED, so the last of it is written as the command ends
    sweep_dir = tmp_path / "sweep"
    for scenario in ("baseline", "graduation"):
        run_one(load_config([f"scenario={scenario}", "population.households=100", "months=3"]),
                sweep_dir / scenario)
    read, write = os.pipe()
    os.close(read)
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    try:
        done = subprocess.run([CLI, "compare", str(sweep_dir)], stdout=write,
                              stderr=subprocess.PIPE, text=True, env=buffered, timeout=120)
    finally:
        os.close(write)
    assert done.returncode == 141, done.stderr  # as a command ended by SIGPIPE
    assert "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr


def _indexed(sweep_dir: Path) -> None:
    """Give the hand-made sweep an index.json with one invocation of both its runs."""
    from experiments.sweep import write_index

    write_index(sweep_dir, ["scenario=baseline,graduation"], ["0", "1"])


@pytest.mark.parametrize("argv", [["collect", SWEEP], ["compare", SWEEP], ["report", SWEEP],
                                  ["run", "-m", "scenario=baseline", f"hydra.sweep.dir={SWEEP}"]])
def test_a_damaged_sweep_index_is_refused_not_rebuilt(
        argv: list[str], workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _indexed(workdir / SWEEP)
    index = workdir / SWEEP / "index.json"
    index.write_text(index.read_text(encoding="utf-8")[:40], encoding="utf-8")
    before = tree(workdir)
    assert_refused(main(argv), capsys.readouterr().err, f"{SWEEP}/index.json cannot be read")
    assert tree(workdir) == before


@pytest.mark.parametrize("text", ['{"name": "another program"}', "{}", "[1, 2]",
                                  '{"runs": [], "invocations": [1]}', '{"runs": ["a"]}'])
def test_an_index_json_that_is_not_a_sweeps_is_refused_not_written_over(
        text: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / SWEEP / "index.json").write_text(text, encoding="utf-8")
    before = tree(workdir)
    assert_refused(main(["collect", SWEEP]), capsys.readouterr().err,
                   f"{SWEEP}/index.json cannot be read (not an index of runs and invocations)")
    assert tree(workdir) == before
    assert (workdir / SWEEP / "index.json").read_text(encoding="utf-8") == text


def test_an_index_json_of_runs_alone_is_read_as_a_sweep_without_invocations(
        workdir: Path) -> None:
    """As written before invocations were recorded: a list of the runs."""
    (workdir / SWEEP / "index.json").write_text('[{"run": "0", "status": "finished"}]',
                                                encoding="utf-8")
    assert read_index(workdir / SWEEP) == {"runs": [], "invocations": []}


FILES_AMONG_RUNS = (f"{SWEEP} holds a sweep (its index.json), and a command's files or a "
                    "single run are not written among a sweep's runs")
RUNS_AMONG_RUNS = (f"{SWEEP} holds a sweep of empowernet run -m (its index.json records its "
                   "invocations), and a command's runs are not written among a sweep's runs")
INTO_THE_SWEEP = [
    (["run", "months=3", f"hydra.run.dir={SWEEP}"], FILES_AMONG_RUNS),
    (["advise", ROSTER, "--budget-total", "100", "--out", SWEEP], FILES_AMONG_RUNS),
    (["diagnose", ROSTER, "--out", SWEEP], FILES_AMONG_RUNS),
    (["optimize", *PER_HOUSEHOLD, "--out", SWEEP], FILES_AMONG_RUNS),
    (["assetmap", SWEEP, "--out", SWEEP], FILES_AMONG_RUNS),
    (["calibrate", "--out", SWEEP], FILES_AMONG_RUNS),
    (["worlds", "--out", SWEEP], FILES_AMONG_RUNS),
    (["validate", "--runs", SWEEP], RUNS_AMONG_RUNS),
    (["sensitivity", "--samples", "2", "--out", SWEEP], RUNS_AMONG_RUNS),
]
"""A command told to write its files, a single run or its own runs into a sweep's folder,
and what it says."""


@pytest.mark.parametrize(("argv", "says"), INTO_THE_SWEEP,
                         ids=[argv[0] for argv, _ in INTO_THE_SWEEP])
def test_nothing_but_the_sweeps_runs_is_written_among_them(
        argv: list[str], says: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _indexed(workdir / SWEEP)
    before = tree(workdir)
    assert_refused(main(argv), capsys.readouterr().err, says)
    assert tree(workdir) == before


INSIDE = f"lies inside the sweep {SWEEP} (its index.json)"
TINY = ["population.households=50", "months=3", "population.burn_in_months=12"]
INSIDE_THE_SWEEP = [
    (["collect", f"{SWEEP}/graduation"], f"{SWEEP}/graduation {INSIDE}"),
    (["compare", f"{SWEEP}/graduation"], f"{SWEEP}/graduation {INSIDE}"),
    (["report", f"{SWEEP}/graduation"], f"{INSIDE}, and a sweep is read and added to as a "
                                        f"whole, by its own folder; give {SWEEP} "),
    (["assetmap", f"{SWEEP}/graduation/s0-1"], f"{SWEEP}/graduation/s0-1 {INSIDE}"),
    (["run", "-m", "scenario=baseline", *TINY, f"hydra.sweep.dir={SWEEP}/graduation/s0-1"],
     f"hydra.sweep.dir={SWEEP}/graduation/s0-1: {SWEEP}/graduation/s0-1 {INSIDE}"),
    (["run", "-m", "scenario=baseline", *TINY, f"hydra.sweep.dir={SWEEP}/new"],
     f"give {SWEEP} to add runs to that sweep, or a folder outside it for a sweep of their own"),
    (["run", "-m", "scenario=baseline", *TINY, "hydra.sweep.dir=single"],
     "hydra.sweep.dir=single: single is the folder of a run (its manifest.json), and a sweep's "
     "runs are not written into another run's folder"),
    (["run", "-m", "scenario=baseline", *TINY, "hydra.sweep.dir=single/sweep"],
     "single/sweep lies inside the folder of a run (its manifest.json)"),
]
"""A sweep's scenario folder or run folder given as a sweep to read or to run into, or a
single run's folder given as a sweep's, and what is said."""


@pytest.mark.parametrize(("argv", "says"), INSIDE_THE_SWEEP,
                         ids=[" ".join(argv[:1] + argv[-1:]) for argv, _ in INSIDE_THE_SWEEP])
def test_a_folder_inside_a_sweep_or_a_run_is_refused_as_a_sweep(
        argv: list[str], says: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Read, a scenario's folder of a sweep would be taken for a sweep of its own (its
    collected table written there); run into, a sweep would be nested in another or in a
    run's folder, where no command looks for it."""
    _run_folder(workdir / SWEEP / "graduation" / "s0-1", "graduation", "finished")
    _run_folder(workdir / "single", "baseline", "finished")
    _indexed(workdir / SWEEP)
    before = tree(workdir)
    assert_refused(main(argv), capsys.readouterr().err, says)
    assert tree(workdir) == before


@pytest.mark.parametrize("folder", [f"{SWEEP}/graduation/mine", f"{SWEEP}/graduation/s0-1",
                                    f"{SWEEP}/new"])
def test_a_single_runs_folder_inside_a_sweep_is_refused(
        folder: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A single run among a sweep's runs would be taken for one of them; it is added to the
    sweep as a sweep's run is."""
    _run_folder(workdir / SWEEP / "graduation" / "s0-1", "graduation", "finished")
    _indexed(workdir / SWEEP)
    before = tree(workdir)
    assert_refused(main(["run", *TINY, f"hydra.run.dir={folder}"]), capsys.readouterr().err,
                   f"hydra.run.dir={folder}: {folder} {INSIDE}, and a sweep is read and added "
                   "to as a whole, by its own folder; add the run to that sweep with "
                   f"empowernet run -m ... hydra.sweep.dir={SWEEP}, or give the run a folder "
                   "outside it")
    assert tree(workdir) == before


def test_an_index_json_above_a_sweep_that_holds_no_runs_is_no_sweep(
        workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Another program's index.json in a folder above (a home folder, say) does not make
    every sweep below it a folder inside a sweep."""
    home = workdir / "home"
    shutil.copytree(workdir / SWEEP, home / "projects" / SWEEP)
    (home / "index.json").write_text('{"name": "another program"}', encoding="utf-8")
    assert_refused(main(["compare", f"home/projects/{SWEEP}", "--months", "999"]),
                   capsys.readouterr().err, "end at month 12")


@pytest.mark.parametrize(("name", "text"), [(store.MANIFEST, "{bad"), (store.CONFIG, "{bad: [")])
@pytest.mark.parametrize("command", ["collect", "compare", "report"])
def test_a_damaged_run_of_a_sweep_is_refused_naming_its_file(
        name: str, text: str, command: str, workdir: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    _indexed(workdir / SWEEP)
    (workdir / SWEEP / "1" / name).write_text(text, encoding="utf-8")
    before = tree(workdir)
    assert_refused(main([command, SWEEP]), capsys.readouterr().err,
                   f"{SWEEP}/1/{name} cannot be read")
    assert tree(workdir) == before


def test_a_run_the_index_lists_whose_folder_has_gone_is_refused_not_left_out(
        workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _indexed(workdir / SWEEP)
    for name in (store.CONFIG, store.MANIFEST):
        (workdir / SWEEP / "1" / name).unlink()
    (workdir / SWEEP / "1").rmdir()
    before = tree(workdir)
    assert_refused(main(["compare", SWEEP]), capsys.readouterr().err,
                   f"{SWEEP}/index.json lists the run 1 (1 of the latest invocation's 2 in all) "
                   "as having had results, but its folder holds no finished run now")
    assert tree(workdir) == before


@pytest.mark.parametrize(("command", "kept"), [("calibrate", "generations"),
                                               ("sensitivity", "runs")])
def test_an_interrupted_command_says_what_it_keeps_and_where(tmp_path, capsys, command,
                                                             kept) -> None:
    """A calibration keeps its finished generations, the others their runs, in --out."""
    status = interrupted_command(argparse.Namespace(command=command, out=str(tmp_path)))
    assert status == 130
    assert capsys.readouterr().err == (
        f"empowernet: {command} interrupted; the {kept} it finished in {tmp_path} are reused "
        "when the same command is run again.\n")


def test_an_interrupted_command_that_runs_nothing_says_to_run_it_again(capsys) -> None:
    status = interrupted_command(argparse.Namespace(command="compare", out=None))
    assert status == 130
    assert capsys.readouterr().err == ("empowernet: compare interrupted; run it again (it "
                                       "reads the stored results and writes its outputs "
                                       "anew).\n")
    interrupted_command(argparse.Namespace(command="dashboard"))
    assert capsys.readouterr().err == "empowernet: dashboard stopped.\n"
