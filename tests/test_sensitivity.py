"""Sensitivity analysis on tiny sizes: Morris ranks a real driver above an inert parameter,
Sobol gives first and total indices, finished runs are reused, bad designs are refused."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from experiments.analysis.sensitivity import run, table_text
from experiments.cli import main
from model import ConfigError

DESIGN = """
scenario: baseline
outcome: headcount
month: 12
overrides: [population.households=300]
parameters:
  shocks.p_shock: [0.0, 0.1]
  diagnosis.low_skill: [0.1, 0.5]
"""
TINY_DESIGN = (DESIGN.replace("population.households=300", "population.households=50, "
                              "months=3, population.burn_in_months=12")
               .replace("month: 12", "month: 3"))
"""Runs of a few seconds: for what the command says, not for its indices."""


@pytest.fixture
def design(tmp_path):
    path = tmp_path / "design.yaml"
    path.write_text(DESIGN)
    return path


@pytest.mark.slow
def test_morris_ranks_a_driver_above_a_parameter_that_cannot_matter(design, tmp_path) -> None:
    out = tmp_path / "morris"
    indices = run(design, out, "morris", 3, 0, []).set_index("parameter")
    # the diagnosis threshold only labels households: it cannot move the headcount
    assert indices.loc["diagnosis.low_skill", "mu_star"] == 0.0
    assert indices.loc["shocks.p_shock", "mu_star"] > 0.0
    assert (out / "indices.csv").is_file() and (out / "indices.svg").is_file()
    assert len(list(out.glob("*/*/manifest.json"))) == 3 * 3
    before = {p: p.stat().st_mtime_ns for p in out.glob("*/*/results.parquet")}
    run(design, out, "morris", 3, 0, [])  # same sample: every run is reused
    assert before == {p: p.stat().st_mtime_ns for p in out.glob("*/*/results.parquet")}


@pytest.mark.slow
def test_sobol_gives_first_and_total_indices_with_intervals(design, tmp_path) -> None:
    indices = run(design, tmp_path / "sobol", "sobol", 4, 0, [])
    stored = pd.read_csv(tmp_path / "sobol" / "indices.csv")
    pd.testing.assert_frame_equal(stored, indices, check_exact=True)  # every digit kept
    indices = indices.set_index("parameter")
    assert {"S1", "S1_ci", "ST", "ST_ci"} <= set(indices.columns)
    assert indices.loc["diagnosis.low_skill", "ST"] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(("text", "message"), [
    ("parameters: {shocks.p_shock: [0.2, 0.1]}", "low < high"),
    ("parameters: {}", "'parameters' is empty"),
    ("parameters: {shocks.p_shock: [0.0, 2.0]}",  # the range, not a value sampled in it
     "parameter 'shocks.p_shock' [0.0, 2.0]: config key 'shocks.p_shock' has value 2.0, out of "
     "range; allowed: 0.0 to 1.0 (probability/month) (see"),
    ("parameters: {shocks.p_shok: [0.0, 0.1]}",
     "parameter 'shocks.p_shok' [0.0, 0.1]: config key 'shocks.p_shok' is unknown; did you "
     "mean 'shocks.p_shock'?"),
    ("parameters: {shocks: [0.0, 0.1]}", "config key 'shocks' is unknown"),
    ("parameters: {network.degree: [2, 10]}",  # refused at the first point it sampled
     "parameter 'network.degree' takes int values; a design varies parameters that take any "
     "number in a range"),
    ("parameters: {shocks.p_shock: [a, b]}", "two numbers with low < high, not ['a', 'b']"),
    ("parameters: [shocks.p_shock]", "'parameters' must map config keys to [low, high]"),
    ("parameters: {shocks.p_shock: [0, 0.1]}\noutcome: happiness",
     "outcome 'happiness' is not an outcome of the results"),
    ("parameters: {shocks.p_shock: [0, 0.1]}\noutcome: [headcount]",
     "outcome ['headcount'] is not an outcome of the results"),
    ("parameters: {shocks.p_shock: [0, 0.1]}\noutcome: month",
     "outcome 'month' is not an outcome of the results"),
    ("parameters: {shocks.p_shock: [0, 0.1]}\nmonth: -5",
     "month -5 is not a month the runs can end at"),
    ("parameters: {shocks.p_shock: [0, 0.1]}\nscenario: [baseline]",
     "scenario ['baseline'] is not one scenario's name"),
    ("parameters: {shocks.p_shock: [0, 0.1]}\nmonth: 0",
     "month 0 is not a month the runs can end at (a whole number, 1 or more)"),
    ("parameters: {shocks.p_shock: [0, 0.1]}\noverrides: months=6",
     "'overrides' must be a list of KEY=VALUE texts, not 'months=6'"),
    ("parameters: {shocks.p_shock: [0, 0.1]}\noutcom: headcount",
     "unknown key 'outcom'; did you mean 'outcome'?"),
])
def test_bad_designs_are_refused(tmp_path, text, message) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=re.escape(message)):
        run(path, tmp_path / "out", "morris", 2, 0, [])
    assert not (tmp_path / "out").exists()  # refused before anything ran


def test_indices_made_with_other_settings_are_never_replaced(tmp_path, capsys) -> None:
    path = tmp_path / "design.yaml"
    path.write_text(TINY_DESIGN)
    out = tmp_path / "out"
    run(path, out, "morris", 2, 0, [])
    indices = (out / "indices.csv").read_bytes()
    with pytest.raises(ConfigError, match="seed: 0 -> 1") as refused:
        run(path, out, "morris", 2, 1, [])
    assert (out / "indices.csv").read_bytes() == indices
    # the remedy names the files, offers only options the command takes, and works
    said = str(refused.value)
    assert said.endswith(f"Nothing was written. Give another folder with --out, or remove "
                         f"{out / 'indices.csv'} and {out / 'sensitivity.yaml'}, then run the "
                         "command again: the finished runs of its store are reused.")
    assert main(["sensitivity", "--help"]) == 0
    options = capsys.readouterr().out
    assert all(re.search(rf"{option}\b", options) for option in re.findall(r"--\w+", said))
    (out / "indices.csv").unlink()
    (out / "sensitivity.yaml").unlink()
    run(path, out, "morris", 2, 1, [])
    assert (out / "indices.csv").read_bytes() != indices


def test_indices_are_printed_in_fixed_notation_noise_as_zero() -> None:
    sobol = pd.DataFrame({"parameter": ["shocks.p_shock", "diagnosis.low_skill"],
                          "S1": [0.6213, 5.363143e-17], "S1_ci": [0.2104, -3.1e-18],
                          "ST": [0.98, 5.363143e-17], "ST_ci": [0.3, float("nan")]})
    assert table_text(sobol).splitlines() == [
        "          parameter   S1  S1_ci   ST  ST_ci",
        "     shocks.p_shock 0.62   0.21 0.98   0.30",
        "diagnosis.low_skill 0.00   0.00 0.00    NaN"]
    morris = pd.DataFrame({"parameter": ["a", "b"], "mu_star": [0.0342, 0.0],
                           "mu_star_ci": [0.0123, 0.0], "sigma": [0.051, 1e-19]})
    assert table_text(morris).splitlines()[1:] == ["        a    0.034       0.012  0.051",
                                                   "        b    0.000       0.000  0.000"]


@pytest.mark.parametrize(("method", "samples", "says"), [
    ("morris", 1, "Morris needs at least 2 trajectories"),
    ("sobol", 3, "must be a power of 2; give 2 or 4"),
    ("sobol", 48, "give 32 or 64")])
def test_a_sample_too_small_for_an_interval_is_refused_before_any_run(
        design, tmp_path, method, samples, says) -> None:
    with pytest.raises(ConfigError, match=f"--samples {samples}: .*{says}"):
        run(design, tmp_path / "out", method, samples, 0, [])
    assert not (tmp_path / "out").exists()


def test_a_design_that_is_not_a_mapping_is_refused_quoting_its_start(tmp_path) -> None:
    path = tmp_path / "design.csv"
    path.write_text("parameter,low,high\n" + "shocks.p_shock,0,0.1\n" * 200)
    with pytest.raises(ConfigError, match="expected a mapping") as err:
        run(path, tmp_path / "out", "morris", 2, 0, [])
    assert "got 'parameter,low,high shocks.p_shock,0,0.1 shocks.p_shock,0... (see" in str(
        err.value) and len(str(err.value)) < 300


def test_the_command_first_says_how_many_runs_and_where_but_not_when_quiet(
        tmp_path, capsys) -> None:
    path = tmp_path / "design.yaml"
    path.write_text(TINY_DESIGN)
    out = tmp_path / "out"
    command = ["sensitivity", "--design", str(path), "--out", str(out), "--samples", "2"]
    assert main(command) == 0
    said = capsys.readouterr()
    assert said.err.splitlines()[0] == (f"sensitivity of 6 runs in {out} (finished ones there "
                                        "are reused)")
    assert "indices written to" in said.out
    assert said.out.startswith("Morris indices of headcount at month 3, scenario baseline:\n")
    assert main([*command, "-q"]) == 0  # every run reused
    assert capsys.readouterr() == ("", "")
