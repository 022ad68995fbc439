"""Runs addressed by what they are: extending or changing a sweep adds runs and touches none,
a folder holding another run is refused, single runs never share a folder, and every table
derived from runs (collected, comparison, costs, report) is of exactly the current runs."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from experiments import config as config_io
from experiments import load_config, run_one
from experiments.analysis.compare import compare
from experiments.analysis.report import build
from experiments.collect import COLLECTED
from experiments.config import PROJECT_ROOT
from experiments.evaluate import run_point
from experiments.store import (
    CONFIG,
    MANIFEST,
    RESULTS,
    SOURCES_KEY,
    RunConflictError,
    begin,
    now,
    read_manifest,
    read_sources,
    refuse_other_run,
    revision_of,
    write_failure,
)
from experiments.sweep import planned_runs
from model.params import to_dict
from tests.helpers import CLI

SIZE = ["population.households=200", "months=12"]
TINY = ["population.households=50", "months=3", "population.burn_in_months=12"]
SCENARIOS = "scenario=baseline,graduation"


def sweep(out: Path, *overrides: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, "run", "-m", SCENARIOS, *SIZE, *overrides,
                           f"hydra.sweep.dir={out}"], capture_output=True, text=True,
                          check=check, timeout=600)


def stamps(out: Path) -> dict[Path, int]:
    """Modification times of every file of every run of the sweep."""
    return {p: p.stat().st_mtime_ns for p in out.glob("*/*/*") if p.is_file()}


def run_ids(out: Path) -> set[str]:
    return {p.parent.relative_to(out).as_posix() for p in out.glob("*/*/manifest.json")}


def test_a_run_of_an_edited_roster_is_another_run(tmp_path) -> None:
    """The run id (and so the resume of a sweep) follows the roster's content, not only its
    path: a sweep run again after the roster was corrected must not reuse the old results."""
    roster = tmp_path / "families.csv"
    text = (PROJECT_ROOT / "data" / "pilot_roster.csv").read_text(encoding="utf-8")
    roster.write_text(text, encoding="utf-8")
    overrides = ["population=pilot", f"population.roster_path={roster}", "seed=0"]
    before = planned_runs(overrides)
    assert planned_runs(overrides) == before
    roster.write_text(text.replace("H0001,4,4,0,0,10.392", "H0001,4,4,0,0,99.000"),
                      encoding="utf-8")
    assert planned_runs(overrides) != before


def test_the_sweeps_check_and_its_index_share_each_runs_composition(monkeypatch) -> None:
    """Hydra hands the index other settings (logging, mode) than the command line gave the
    check; they change no run's configuration, so each run is composed once for both."""
    composed = []
    compose = config_io._compose

    def counted(overrides, with_hydra):
        if not with_hydra:  # a run's configuration (with the Hydra node: the sweep's axes)
            composed.append(list(overrides))
        return compose(overrides, with_hydra=with_hydra)

    monkeypatch.setattr(config_io, "_compose", counted)
    config_io._composed.cache_clear()
    given = [SCENARIOS, *SIZE, "seed=range(2)", "hydra.sweep.dir=/tmp/x"]
    checked = planned_runs(given)
    assert len(composed) == 3  # baseline, graduation, and the Hydra settings once
    indexed = planned_runs([*given, "hydra.mode=MULTIRUN", "hydra.job.chdir=false"])
    assert indexed == checked and len(composed) == 4  # the settings checked again, once


def test_a_folder_of_a_run_of_the_roster_before_its_edit_names_the_file(tmp_path) -> None:
    """Refusing a folder whose run read the roster before it was edited says which file
    changed, where the settings alone are the same (no bare config-hash pair)."""
    roster = tmp_path / "families.csv"
    text = (PROJECT_ROOT / "data" / "pilot_roster.csv").read_text(encoding="utf-8")
    roster.write_text(text, encoding="utf-8")
    config = to_dict(load_config(["population=pilot", f"population.roster_path={roster}"]))
    write_failure(tmp_path / "run", config, "stopped", {})
    refuse_other_run(tmp_path / "run", config)  # the same roster: the same run
    roster.write_text(text.replace("H0001,4,4,0,0,10.392", "H0001,4,4,0,0,99.000"),
                      encoding="utf-8")
    with pytest.raises(RunConflictError, match=rf"1 setting\(s\): population.roster_path "
                       rf"{roster}: content changed since that run\. Nothing was written"):
        refuse_other_run(tmp_path / "run", config)


def test_a_folder_whose_manifest_names_another_seed_says_so(tmp_path) -> None:
    """The settings alone being the same, the message names the seed that differs, not two
    equal config hashes."""
    config = to_dict(load_config(SIZE))
    write_failure(tmp_path / "run", config, "stopped", {})
    manifest = tmp_path / "run" / "manifest.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "seed": "x"}))
    with pytest.raises(RunConflictError, match=r"1 setting\(s\): seed x -> 0\. Nothing was"):
        refuse_other_run(tmp_path / "run", config)


def test_a_run_says_it_is_running_before_it_writes_anything(tmp_path, monkeypatch) -> None:
    """The manifest is the first file of a run: while the model runs it is there, saying
    running, with the run's config and nothing else."""
    seen = {}

    def looked(model):
        seen["files"] = sorted(p.name for p in (tmp_path / "run").iterdir())
        seen["status"] = read_manifest(tmp_path / "run")["status"]
        raise RuntimeError("looked")

    monkeypatch.setattr("agents.EmpowermentModel.run", looked)
    with pytest.raises(RuntimeError, match="looked"):
        run_one(load_config(TINY), tmp_path / "run")
    assert seen == {"files": [CONFIG, MANIFEST], "status": "running"}
    assert read_manifest(tmp_path / "run")["status"] == "failed"


def test_the_leftovers_of_a_stopped_run_are_run_again_and_another_runs_are_refused(
        tmp_path) -> None:
    """A folder whose manifest says running holds a run that was stopped (or runs now): the
    same run starts it over; another run is refused, naming it as such."""
    config = load_config(TINY)
    folder = tmp_path / "run"
    begin(folder, to_dict(config), now())
    (folder / RESULTS).write_bytes(b"half a table")
    other = to_dict(load_config([*TINY, "months=4"]))
    with pytest.raises(RunConflictError, match=r"seed 0, running, or stopped before it "
                       r"ended\), and this run differs from it in 1 setting\(s\): months: 3 -> 4"):
        refuse_other_run(folder, other)
    assert run_point(config, folder) is not None
    assert read_manifest(folder)["status"] == "finished"
    assert pd.read_parquet(folder / RESULTS)["month"].max() == 3


def test_files_no_manifest_records_are_not_written_over(tmp_path) -> None:
    """Files with a run's names in a folder without a manifest are someone else's."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / RESULTS).write_text("my table\n", encoding="utf-8")
    config = load_config(TINY)
    with pytest.raises(RunConflictError, match=r"holds results.parquet but no manifest.json"):
        run_point(config, folder)
    assert [p.name for p in folder.iterdir()] == [RESULTS]
    assert (folder / RESULTS).read_text(encoding="utf-8") == "my table\n"


@pytest.mark.slow
def test_extending_a_sweep_adds_runs_and_touches_none(tmp_path) -> None:
    out = tmp_path / "grad"
    sweep(out, "seed=range(2)")
    before = stamps(out)
    assert run_ids(out) == set(planned_runs([SCENARIOS, *SIZE, "seed=range(2)"]))
    assert {r.split("/")[0] for r in run_ids(out)} == {"baseline", "graduation"}
    sweep(out, "seed=range(3)")
    assert len(run_ids(out)) == 6
    assert {p: t for p, t in stamps(out).items() if p in before} == before
    invocations = json.loads((out / "index.json").read_text())["invocations"]
    assert [len(i["runs"]) for i in invocations] == [4, 6]
    assert "seed=range(3)" in invocations[1]["overrides"]
    assert set(invocations[1]["runs"]) == run_ids(out)


@pytest.mark.slow
def test_added_seeds_are_counted_without_a_manual_collect(tmp_path) -> None:
    out = tmp_path / "seeds"
    sweep(out, "seed=range(2)")
    table, _ = compare(out, months=[12])
    assert set(table["seeds"]) == {2}
    sweep(out, "seed=range(3)")
    table, money = compare(out, months=[12])
    assert set(table["seeds"]) == {3} and set(money["seeds"]) == {3}
    assert len(pd.read_parquet(out / COLLECTED)["run"].unique()) == 6


@pytest.mark.slow
def test_a_changed_setting_runs_beside_the_old_runs_and_compare_shows_the_new(tmp_path) -> None:
    out = tmp_path / "months"
    sweep(out, "seed=range(2)")
    compare(out, months=[6, 12])
    before = stamps(out)
    sweep(out, "seed=range(2)", "months=6")
    assert len(run_ids(out)) == 8  # the 12-month runs stay, untouched
    assert {p: t for p, t in stamps(out).items() if p in before} == before
    table, _ = compare(out, months=[6, 12])
    assert set(table["month"]) == {6}  # not the stale month-12 effects
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    query = readme.split("```sql\n")[1].split("```")[0].replace("outputs/grad", str(out))
    latest = duckdb.sql(query.replace("(24, 36, 120)", "(6, 12)")).df()  # the README's query
    assert set(latest["month"]) == {6} and set(latest["runs"]) == {2}
    beyond = subprocess.run([CLI, "compare", str(out), "--months", "12"], capture_output=True,
                            text=True, timeout=300)  # the horizon is the latest sweep's
    assert beyond.returncode == 2 and f"the runs of {out} end at month 6" in beyond.stderr
    new = planned_runs([SCENARIOS, *SIZE, "seed=range(2)", "months=6"])
    at6 = {r: pd.read_parquet(out / r / "results.parquet").set_index("month").loc[6]
           for r in new}
    grad = [at6[r]["headcount"] for r in new if r.startswith("graduation")]
    base = [at6[r]["headcount"] for r in new if r.startswith("baseline")]
    effect = table.query("outcome == 'headcount'")["effect"].iloc[0]
    assert effect == pytest.approx(sum(grad) / 2 - sum(base) / 2)
    assert {s["run"] for s in read_sources(out / "comparison.parquet")} == set(new)
    assert {s["run"] for s in read_sources(out / "costs.parquet")} == set(new)
    _, md = build(out, months=[6])
    sources = json.loads((md.parent / "sources.json").read_text())
    assert {s["run"] for s in sources} == set(new)
    hashes = {json.loads((out / r / "manifest.json").read_text())["config_hash"] for r in new}
    provenance = md.read_text().split("## Provenance")[1]
    assert all(h in provenance for h in hashes)
    assert len(hashes) == 2 and f"runs: {len(new)};" in provenance
    analysis_examples_run(out, tmp_path)


def analysis_examples_run(out: Path, workdir: Path) -> None:
    """docs/analysis.md's Python examples, run as written on the sweep ``out`` (swept twice:
    12 months, then 6): the figures from Python, and the DuckDB query of the snapshots, which
    keeps the latest invocation's runs, one of each scenario and seed."""
    page = (PROJECT_ROOT / "docs" / "analysis.md").read_text(encoding="utf-8")
    blocks = [b.split("```")[0].replace("outputs/main_comparison", str(out))
              for b in page.split("```python\n")[1:]]
    figures = next(b for b in blocks if "plots.save" in b)
    query = next(b for b in blocks if "duckdb.sql" in b)
    here = Path.cwd()
    try:
        os.chdir(workdir)  # the figures are saved beside it
        exec(figures.replace(", 120)", ", 6)"), {})  # the page's own example
    finally:
        os.chdir(here)
    assert (workdir / "frontier.png").is_file() and (workdir / "consumption.svg").is_file()
    counted = query.split('duckdb.sql("""')[1].split('""")')[0] \
        .replace("avg(assets) AS assets", "count(DISTINCT run) AS runs") \
        .replace("month = 120", "month = 0")
    per_seed = duckdb.sql(counted).df()
    assert len(per_seed) == 4 and set(per_seed["runs"]) == {1}  # 2 scenarios x 2 seeds


@pytest.mark.slow
def test_a_folder_holding_another_run_is_refused_unless_overwrite(tmp_path) -> None:
    out = tmp_path / "mine"
    args = [CLI, "run", "population.households=200", f"hydra.run.dir={out}"]
    subprocess.run([*args, "months=6"], capture_output=True, text=True, check=True)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    refused = subprocess.run([*args, "months=12"], capture_output=True, text=True)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("empowernet: error:")
    assert "months: 6 -> 12" in refused.stderr and "--overwrite" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    subprocess.run([*args, "months=12", "--overwrite"], capture_output=True, text=True,
                   check=True)
    assert pd.read_parquet(out / "results.parquet")["month"].max() == 12


@pytest.mark.slow
def test_two_runs_started_at_the_same_time_both_keep_their_results(tmp_path) -> None:
    procs = [subprocess.Popen([CLI, "run", "-q", *SIZE, f"seed={seed}"], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for seed in (1, 2)]
    for proc in procs:
        assert proc.wait(timeout=600) == 0, proc.stderr.read()
    results = sorted((tmp_path / "outputs" / "runs").glob("baseline/*/results.parquet"))
    assert [p.parent.name.split("-")[0] for p in results] == ["s1", "s2"]
    assert [int(pd.read_parquet(p)["seed"].iloc[0]) for p in results] == [1, 2]


def test_every_stored_row_says_which_run_it_comes_from(tmp_path) -> None:
    config = load_config(["scenario=graduation", "seed=3", "population.households=100",
                          "months=3"])
    run_one(config, tmp_path / "one")
    run_id = planned_runs(["scenario=graduation", "seed=3", "population.households=100",
                           "months=3"])[0]
    assert run_id.startswith("graduation/s3-")
    for table in ("results.parquet", "households.parquet"):
        frame = pd.read_parquet(tmp_path / "one" / table)
        assert list(frame.columns[:3]) == ["scenario", "seed", "run"]
        labels = frame[["scenario", "seed", "run"]].drop_duplicates()
        assert labels.values.tolist() == [["graduation", 3, run_id]]
    query = (f"select scenario, seed, run, count(*) from "
             f"read_parquet('{tmp_path}/*/households.parquet') group by all")
    assert duckdb.sql(query).df().iloc[0, :3].to_list() == ["graduation", 3, run_id]


@pytest.mark.slow
def test_collected_table_is_labelled_and_records_its_runs(tmp_path) -> None:
    out = tmp_path / "collected"
    sweep(out, "seed=range(2)")
    subprocess.run([CLI, "collect", str(out)], capture_output=True, text=True, check=True)
    table = pd.read_parquet(out / COLLECTED)
    assert list(table.columns[:3]) == ["scenario", "seed", "run"]
    assert set(table["run"]) == run_ids(out)
    assert SOURCES_KEY in pq.read_schema(out / COLLECTED).metadata
    assert {s["run"] for s in read_sources(out / COLLECTED)} == run_ids(out)


@pytest.mark.slow
def test_each_set_of_uncommitted_edits_is_a_revision_of_its_own(tmp_path) -> None:
    """A run's code revision tells apart two sets of local edits on one commit, so a sweep
    resumed after the model was edited again says its runs were made by other code."""
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=t", "-c",
                        "user.email=t@t", *args], check=True, capture_output=True)

    rule = tmp_path / "rule.py"
    rule.write_text("RATE = 1\n", encoding="utf-8")
    git("init", "-q")
    git("add", "rule.py")
    git("commit", "-q", "-m", "rule")
    clean = revision_of(tmp_path)
    rule.write_text("RATE = 2\n", encoding="utf-8")
    first = revision_of(tmp_path)
    rule.write_text("RATE = 3\n", encoding="utf-8")
    second = revision_of(tmp_path)
    assert first.startswith(f"{clean}-dirty-") and second.startswith(f"{clean}-dirty-")
    assert len({clean, first, second}) == 3
    rule.write_text("RATE = 2\n", encoding="utf-8")
    assert revision_of(tmp_path) == first
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("# A page\n", encoding="utf-8")
    git("add", "docs/page.md")
    (tmp_path / "docs" / "page.md").write_text("# A page, edited\n", encoding="utf-8")
    assert revision_of(tmp_path) == first  # an edited page is no new code
    assert revision_of(tmp_path / "not a checkout") == "unknown"
