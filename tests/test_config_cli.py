"""Configuration composition, validation and the ``empowernet`` command end to end."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pandas as pd
import pytest
import yaml

from empowernet import ConfigError, EmpowermentModel
from experiments import config as config_io
from experiments import load_config
from experiments.config import PROJECT_ROOT, as_config
from experiments.tool_commands import parameters_markdown
from model.params import to_dict
from tests.helpers import CLI


def test_overrides_reach_the_validated_config() -> None:
    cfg = load_config(["population.households=123", "months=7", "shocks.p_shock=0.02"])
    assert (cfg.population.households, cfg.months, cfg.shocks.p_shock) == (123, 7, 0.02)
    with pytest.raises(AttributeError):
        cfg.months = 3  # frozen during a run


def test_each_caller_gets_its_own_unchangeable_config() -> None:
    """A caller's change must not leak into the configuration the next caller gets."""
    overrides = ["months=12", "outputs.snapshot_months=[0,12]"]
    a = load_config(overrides)
    with pytest.raises(AttributeError):
        a.outputs.snapshot_months.append(5)
    with pytest.raises(AttributeError):
        a.population.skill_beta.append(1.0)
    b = load_config(overrides)
    assert b is not a and b == a
    assert b.outputs.snapshot_months == (0, 12) and b.population.skill_beta == (2.0, 5.0)


@pytest.mark.parametrize("in_searchpath", [False, True])
def test_a_changed_yaml_file_is_composed_again(tmp_path, monkeypatch, in_searchpath) -> None:
    """An edited scenario file, in configs/ or in a hydra.searchpath folder, takes effect."""
    overrides = ["scenario=probe"]
    if in_searchpath:
        folder = tmp_path / "mine"
        overrides.append(f"hydra.searchpath=[file://{folder}]")
    else:
        folder = tmp_path / "configs"
        shutil.copytree(config_io.CONFIG_DIR, folder)
        monkeypatch.setattr(config_io, "CONFIG_DIR", folder)
    scenario = folder / "scenario" / "probe.yaml"
    scenario.parent.mkdir(parents=True, exist_ok=True)
    for p_shock, mtime in ((0.02, 1_000_000_000), (0.03, 2_000_000_000)):
        scenario.write_text(f"# @package _global_\nshocks:\n  p_shock: {p_shock}\n")
        os.utime(scenario, ns=(mtime, mtime))
        assert load_config(overrides).shocks.p_shock == p_shock


def test_saved_config_holds_plain_lists_and_reads_back() -> None:
    cfg = load_config(["months=12", "outputs.snapshot_months=[0,12]"])
    values = to_dict(cfg)
    assert values["outputs"]["snapshot_months"] == [0, 12]
    assert type(values["population"]["skill_beta"]) is list
    assert as_config(yaml.safe_load(yaml.safe_dump(values))) == cfg


@pytest.mark.parametrize(("override", "names"), [
    ("population.households=-5", ["population.households", "-5", "allowed: 1 to"]),
    ("shocks.p_shock=1.5", ["shocks.p_shock", "1.5", "allowed: 0.0 to 1.0"]),
    ("consumption.saving_rule=lavish", ["consumption.saving_rule", "lavish",
                                        "aspiration_gap, fixed"]),
    ("nonsense=1", ["nonsense"]),
    ("shocks.p_shock=abc", ["shocks.p_shock", "abc"]),
    ("population=atlantis", ["population/atlantis"]),
    ("outputs.snapshot_months=[500]", ["outputs.snapshot_months", "after the horizon"]),
    ("shocks.loss_min=0.9", ["shocks.loss_min", "shocks.loss_max"]),
])
def test_bad_values_are_refused_naming_key_value_and_rule(override, names) -> None:
    with pytest.raises(ConfigError) as err:
        load_config([override])
    for name in names:
        assert name in str(err.value)


def test_model_keyword_settings_and_bad_ones() -> None:
    m = EmpowermentModel(households=50, months=2, rng=9)
    assert (m.state.n_start, m.months, m.seed) == (50, 2, 9)
    # a summary before the run ends is of the months lived, not of the horizon
    assert m.summary()["months"] == 0
    m.step()
    assert m.summary()["months"] == 1
    assert m.summary()["headcount_end"] == m.results()["headcount"].iloc[-1]
    with pytest.raises(TypeError, match="unknown setting"):
        EmpowermentModel(households=50, colour="red")
    with pytest.raises(ConfigError, match="months"):
        EmpowermentModel(months=0)
    # override strings belong to load_config, and it takes a list of them
    with pytest.raises(TypeError, match=re.escape("overrides=['shocks.p_shock=0.1']: give a "
                                                  "mapping of dotted keys to values")):
        EmpowermentModel(households=50, overrides=["shocks.p_shock=0.1"])
    with pytest.raises(TypeError, match=re.escape("load_config('months=12'): give a list of "
                                                  "overrides, e.g. load_config(['months=12'])")):
        load_config("months=12")
    with pytest.raises(TypeError, match=re.escape("rng=4 and overrides seed=11 name two seeds")):
        EmpowermentModel(households=50, rng=4, overrides={"seed": 11})


def test_parameter_page_is_up_to_date() -> None:
    page = (PROJECT_ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert page == parameters_markdown(), "run: empowernet params --write docs/parameters.md"


@pytest.mark.slow
def test_run_command_writes_results_snapshot_config_and_manifest(tmp_path) -> None:
    out = tmp_path / "run"
    done = subprocess.run([CLI, "run", "population.households=500", "months=36", "seed=7",
                           f"hydra.run.dir={out}"], capture_output=True, text=True, check=True)
    assert f"outputs written to {out}" in done.stdout
    results = pd.read_parquet(out / "results.parquet")
    assert list(results["month"]) == list(range(37))
    households = pd.read_parquet(out / "households.parquet")
    assert sorted(households["month"].unique()) == [0, 36]
    rows = households.groupby("month").size()  # every row, the pending entrants too
    assert rows.nunique() == 1 and rows.iloc[0] > 500 and "binding_constraint" in households
    config = yaml.safe_load((out / "config.yaml").read_text())
    assert config["seed"] == 7 and config["population"]["households"] == 500
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "finished" and manifest["seed"] == 7
    assert {"config_hash", "code_revision", "host", "packages", "started",
            "finished"} <= set(manifest)
    same = EmpowermentModel(load_config(["population.households=500", "months=36",
                                         "seed=7"])).run().results()
    assert (results["scenario"] == "baseline").all()
    pd.testing.assert_frame_equal(results.drop(columns=["scenario", "seed", "run"]), same)


@pytest.mark.slow
@pytest.mark.parametrize("override", ["months=-1", "bogus.key=3", "engine=gpu"])
def test_run_command_refuses_bad_input_with_status_2(tmp_path, override) -> None:
    done = subprocess.run([CLI, "run", override, f"hydra.run.dir={tmp_path}/out"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith("empowernet: error:") and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow  # a subprocess
def test_run_hands_hydra_flags_on_in_their_order_and_keeps_quiet_for_itself() -> None:
    done = subprocess.run([CLI, "run", "--cfg", "job", "months=7", "-q"], capture_output=True,
                          text=True, check=True)
    assert "months: 7" in done.stdout and "quiet" not in done.stdout


@pytest.mark.slow  # a subprocess
@pytest.mark.parametrize("argv", [["compare"], ["collect", "x", "--bogus"], ["nonsense"],
                                  ["advise", "r.csv"]])
def test_bad_command_lines_end_with_status_2_and_one_usage_message(argv, tmp_path) -> None:
    done = subprocess.run([CLI, *argv], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2 and "error:" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("override", "said"), [
    ("population.households=1e3", "population.households takes a whole number, and '1e3' is "
                                  "not one"),
    ("shocks.p_shock=abc", "shocks.p_shock takes a number, and 'abc' is not one"),
    ("validate=maybe", "validate takes true or false, and 'maybe' is not one"),
    ("outputs.snapshot_months=12", "outputs.snapshot_months takes a list in brackets, such as "
                                   "[12,24], and '12' is not one"),
    ("months=null", "months takes a value, not null, and 'null' is not one"),
    ("engine=[numba]", "engine takes one word or text, not a list or a mapping, and '[numba]' "
                       "is not one"),
    ("label=[a, b]", "label takes one word or text, not a list or a mapping, and '[a, b]' is "
                     "not one"),
    ("engine={a: 1}", "engine takes one word or text, not a list or a mapping, and '{a: 1}' "
                      "is not one"),
])
def test_a_value_of_the_wrong_kind_is_refused_naming_the_kind_its_key_takes(override,
                                                                           said) -> None:
    with pytest.raises(ConfigError, match=re.escape(f"{override}: {said}.")):
        load_config([override])


@pytest.mark.parametrize(("override", "sweep"), [
    ("scenario=[baseline,graduation]", "scenario=baseline,graduation"),
    ("+scenario=[baseline, graduation, training]", "scenario=baseline,graduation,training"),
    ("population=[synthetic,pilot]", "population=synthetic,pilot"),
])
def test_a_list_of_scenarios_is_refused_not_merged_into_one_run(override, sweep) -> None:
    with pytest.raises(ConfigError, match=re.escape(
            f"{override} gives {sweep.split('=')[0]} a list: Hydra would merge those "
            f"{sweep.split('=')[0]} configs into one run, not run each of them. To run each of "
            f"them, make a sweep: empowernet run -m {sweep}.")):
        load_config([override])


def test_several_scenarios_without_m_are_not_told_to_become_a_list() -> None:
    with pytest.raises(ConfigError) as several:
        load_config(["scenario=baseline,graduation"])
    assert str(several.value).endswith("add -m (empowernet run -m scenario=baseline,graduation).")
    with pytest.raises(ConfigError, match=re.escape("for a list value write months=[a,b].")):
        load_config(["months=3,4"])
