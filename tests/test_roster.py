"""Reading rosters: the shipped example, Parquet, imputation, and every kind of bad file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from empowernet import EmpowermentModel
from experiments import load_config
from experiments.config import PROJECT_ROOT
from model import population
from model.roster import RosterError, read
from tests.helpers import CLI, DETERMINISTIC

PILOT = PROJECT_ROOT / "data" / "pilot_roster.csv"
GOOD = "household_id,size,assets_z\nA,3,5.0\nB,4,12.5\nC,1,0\n"


def write(tmp_path: Path, text: str | bytes, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_shipped_pilot_roster_runs_with_imputation_recorded() -> None:
    m = EmpowermentModel(load_config(["population=pilot", "months=12"])).run()
    assert m.state.n_start == 200
    assert set(m.imputed) == {"aspiration_z", "productivity"}
    frame = pd.read_csv(PILOT)
    np.testing.assert_allclose(m.snapshots[0]["assets"][:200], frame["assets_z"])
    ids = list(m.household_frame()["household_id"])  # the roster's, then the entrants'
    assert ids[:200] == list(frame["household_id"]) and ids[200] == "entrant-200"


def test_parquet_roster_equals_csv_roster(tmp_path) -> None:
    frame = pd.read_csv(PILOT)
    frame.to_parquet(tmp_path / "pilot.parquet")
    cfg = load_config(["population=pilot"])
    a = read(PILOT, cfg)
    b = read(tmp_path / "pilot.parquet", cfg)
    np.testing.assert_array_equal(a.state.floats, b.state.floats)
    np.testing.assert_array_equal(a.state.ints, b.state.ints)


def test_minimal_roster_imputes_every_optional_column(tmp_path) -> None:
    r = read(write(tmp_path, GOOD), load_config([]))
    assert r.state.n == 3 and "skill" in r.imputed and "female_head" in r.imputed
    skill = r.state.field("skill")
    assert np.all((skill > 0) & (skill < 1))


def test_roster_without_composition_imputes_it_from_size_with_the_synthetic_rule(
        tmp_path) -> None:
    cfg = load_config([])
    r = read(write(tmp_path, GOOD), cfg)
    assert {"adults", "children", "elderly"} <= set(r.imputed)
    sizes = r.state.field("size").copy()
    drawn = population.draw_composition(cfg.seed, population.ids_of(sizes.size), sizes,
                                        cfg.population)
    for name, values in zip(("adults", "children", "elderly"), drawn, strict=True):
        np.testing.assert_array_equal(r.state.field(name), values)
    total = sum(r.state.field(name) for name in ("adults", "children", "elderly"))
    np.testing.assert_array_equal(total, sizes)


def test_roster_with_composition_columns_keeps_them(tmp_path) -> None:
    text = ("household_id,size,adults,children,elderly,assets_z\n"
            "A,3,1,2,0,5.0\nB,4,2,1,1,12.5\nC,1,0,0,1,0\n")
    r = read(write(tmp_path, text), load_config([]))
    assert not {"adults", "children", "elderly"} & set(r.imputed)
    assert r.state.field("adults").tolist() == [1, 2, 0]
    assert r.state.field("children").tolist() == [2, 1, 0]
    assert r.state.field("elderly").tolist() == [0, 1, 1]


BAD = [
    ("", "the file is empty"),
    ("household_id,size,assets_z\n", "no household rows"),
    ("household_id,size\nA,3\n", "required column(s) assets_z missing"),
    ("household_id,size,assets_z\nA,3,lots\n", "line 2, column 'assets_z': 'lots' is not a number"),
    ("household_id,size,assets_z\nA,3,5\nB,2,\n",
     "line 3, column 'assets_z': the value is missing"),
    ("household_id,size,assets_z\nA,3,NaN\n", "line 2, column 'assets_z': the value is missing"),
    ("household_id,size,assets_z\nA,-2,5\n", "line 2, column 'size': '-2' is out of range"),
    ("household_id,size,assets_z\nA,2.5,5\n", "line 2, column 'size': '2.5' is not a whole number"),
    ("household_id,size,assets_z\nA,2,5\nA,3,1\n", "line 3, column 'household_id': 'A' repeats"),
    ("household_id,size,assets_z,skill\nA,2,5,1.7\n", "column 'skill': '1.7' is out of range"),
    ("household_id,size,assets_z,female_head\nA,2,5,2\n", "female_head must be 0 or 1"),
    ("household_id,size,assets_z,skill\nA,2,5,0.5\nB,2,5,\n",
     "an optional column, once given, must be filled"),
    ("household_id,size,adults,children,elderly,assets_z\nA,3,1,2,0,5\nB,4,2,1,0,5\n",
     "line 3, columns 'adults', 'children', 'elderly': 2 + 1 + 0 = 3 members, but column "
     "'size' says 4"),
    ("household_id,size,adults,children,assets_z\nA,3,1,2,5\n",
     "adults, children given without elderly"),
    ("household_id,size,adults,children,elderly,assets_z\nA,3,-1,4,0,5\n",
     "line 2, column 'adults': '-1' is out of range"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_roster_is_refused_with_file_row_column_and_rule(tmp_path, text, message) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RosterError) as err:
        read(path, load_config([]))
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_wrong_encoding_is_refused(tmp_path) -> None:
    path = write(tmp_path, "household_id,size,assets_z\nJos\xe9,3,5\n".encode("latin-1"))
    with pytest.raises(RosterError, match="not UTF-8"):
        read(path, load_config([]))


def test_missing_file_and_unknown_type_are_refused(tmp_path) -> None:
    with pytest.raises(RosterError, match="no such file"):
        read(tmp_path / "absent.csv", load_config([]))
    with pytest.raises(RosterError, match="unknown file type"):
        read(write(tmp_path, GOOD, "roster.txt"), load_config([]))


@pytest.mark.slow
def test_cli_refuses_a_bad_roster_with_status_2(tmp_path) -> None:
    path = write(tmp_path, "household_id,size,assets_z\nA,0,5\n")
    done = subprocess.run([CLI, "run", "population=pilot",
                           f"population.roster_path={path}", f"hydra.run.dir={tmp_path}/out"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "line 2, column 'size'" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_roster_debt_is_repaid_in_equal_instalments_over_the_loan_duration(tmp_path) -> None:
    """A debt of 4.5 z with the loan duration set to 6 months is repaid 0.75 nominal z a month
    (the households earn far more than that, so no instalment falls short), then is gone. The
    debt is nominal: after the instalment of month t, what is owed is worth 1.4 ** (-1/12) as
    much in month t + 1 (40 % inflation a year)."""
    path = write(tmp_path, "household_id,size,assets_z,debt_z\nA,3,30,4.5\nB,3,30,0\n")
    cfg = load_config([*DETERMINISTIC, "population=pilot", f"population.roster_path={path}",
                       "programmes.microcredit.duration_months=6", "months=8"])
    m = EmpowermentModel(cfg)
    for month in range(1, 9):
        m.step()
        real = 1.4 ** (-month / 12)  # the real value now of a z owed at the roster's month
        assert m.state.field("debt")[0] == pytest.approx(max(0.0, 4.5 - 0.75 * month) * real)
        assert m.state.field("repaid")[0] == pytest.approx(
            0.75 * 1.4 ** (-(month - 1) / 12) if month <= 6 else 0.0)
    assert m.state.field("debt")[1] == 0.0 and m.state.field("repaid")[1] == 0.0
