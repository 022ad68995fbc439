"""Programme assignment: one roster run gives each household only the programmes assigned."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from agents import EmpowermentModel
from experiments import load_config
from experiments.cli import main
from experiments.config import PROJECT_ROOT
from model.params import ConfigError
from model.programmes import INDEX
from model.roster_files import RosterError
from scenarios import assignment

ROSTER = PROJECT_ROOT / "data" / "pilot_roster.csv"
CASH_TO_ALL = ["population=pilot", f"population.roster_path={ROSTER}", "months=3",
               "status.p_entry=0", "scenario=cash_transfer",
               "programmes.cash_transfer.targeting=all_eligible",
               "programmes.cash_transfer.coverage=1.0",
               "programmes.cash_transfer.max_consumption_pc_z=1000000"]


def roster_ids() -> list[str]:
    return pd.read_csv(ROSTER, dtype=str)["household_id"].tolist()


def test_only_the_assigned_households_receive_the_programme(tmp_path: Path) -> None:
    path = tmp_path / "assignment.csv"
    chosen = roster_ids()[::4]
    assignment.write(path, {h: ["cash_transfer"] for h in chosen})
    model = EmpowermentModel(load_config([*CASH_TO_ALL,
                                          f"population.assignment_path={path}"])).run()
    frame = model.household_frame(diagnose=False).set_index("household_id")
    paid = frame["programme_cost_total"] > 0
    assert set(paid[paid].index) == set(chosen)
    everyone = EmpowermentModel(load_config(CASH_TO_ALL)).run().household_frame(
        diagnose=False).set_index("household_id")
    assert (everyone["programme_cost_total"] > 0).all()  # without it, all are enrolled


@pytest.mark.parametrize(("rows", "message"), [
    ("household_id,programme\nnobody,cash_transfer\n",
     "line 2: household 'nobody' is not in the roster"),
    ("household_id,programme\n{h},cash\n", "line 2: 'cash' is not a programme"),
    ("household_id,package\n{h},cash_transfer\n", "no column programme"),
])
def test_a_bad_assignment_is_refused_with_its_line(tmp_path: Path, rows: str,
                                                   message: str) -> None:
    path = tmp_path / "assignment.csv"
    path.write_text(rows.format(h=roster_ids()[0]), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        assignment.read(path, roster_ids(), len(roster_ids()))


def test_an_assignment_is_read_as_a_roster_is(tmp_path: Path) -> None:
    """A spreadsheet's byte-order mark, semicolons, spaces and blank last line are its own."""
    path = tmp_path / "assignment.csv"
    path.write_text(f"\ufeffhousehold_id;programme\n{roster_ids()[1]}; cash_transfer\n\n",
                    encoding="utf-8")
    bits = assignment.read(path, roster_ids(), len(roster_ids()))
    assert bits[1] == 1 << INDEX["cash_transfer"] and bits.sum() == bits[1]


@pytest.mark.parametrize(("name", "message"), [
    ("absent.csv", "absent.csv: no such file; give the path of a CSV, Excel or Parquet "
                   "programme assignment"),
    ("assignment.csv", "assignment.csv: the file is an Excel workbook (.xlsx), but its name "
                       "ends in .csv; rename it to end in .xlsx."),
])
def test_an_assignment_file_that_cannot_be_read_says_why_and_what_to_do(
        tmp_path: Path, name: str, message: str) -> None:
    pd.DataFrame({"household_id": roster_ids()[:1], "programme": ["training"]}).to_excel(
        tmp_path / "assignment.csv", index=False)
    with pytest.raises(RosterError, match=re.escape(f"programme assignment {tmp_path}/{message}")):
        assignment.read(tmp_path / name, roster_ids(), len(roster_ids()))


def test_an_assignment_needs_a_roster() -> None:
    with pytest.raises(ConfigError, match="assignment_path' is set, but"):
        load_config(["population.assignment_path=a.csv"])


def test_run_refuses_a_bad_assignment_before_running(tmp_path: Path, capsys) -> None:
    path = tmp_path / "assignment.csv"
    path.write_text("household_id,programme\nnobody,training\n", encoding="utf-8")
    status = main(["run", "population=pilot", f"population.assignment_path={path}",
                   f"hydra.run.dir={tmp_path / 'run'}"])
    assert status == 2
    assert "line 2: household 'nobody' is not in the roster" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_a_sweep_refuses_a_bad_assignment_before_any_run(tmp_path: Path, capsys) -> None:
    path = tmp_path / "assignment.csv"
    path.write_text("household_id,programme\nnobody,training\n", encoding="utf-8")
    status = main(["run", "-m", "population=pilot", f"population.assignment_path={path}",
                   "seed=0,1", f"hydra.sweep.dir={tmp_path / 'sweep'}"])
    said = capsys.readouterr().err
    assert status == 2
    assert "line 2: household 'nobody' is not in the roster" in said
    assert f"and population.assignment_path={path})" in said
    assert not (tmp_path / "sweep").exists()
