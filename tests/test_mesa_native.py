"""Mesa-native use works as a Mesa user expects: library scenarios by name, ``rng=None`` as fresh
entropy, every result column in the DataCollector on request, per-type agent reporters, and
agents that are stepped only by the model's month."""

from __future__ import annotations

import re
import subprocess
import sys

import mesa
import numba
import numpy as np
import pandas as pd
import pytest

from agents import Household, Institution, Mentor
from empowernet import ConfigError, EmpowermentModel, load_config
from experiments.config import CONFIG_DIR
from model.results import HEADLINE, MonthlyResults
from scenarios import library

LIBRARY = sorted(path.stem for path in (CONFIG_DIR / "scenario").glob("*.yaml"))
SMALL = {"households": 40, "months": 12}
SMALL_OVERRIDES = ["population.households=40", "months=12", "outputs.snapshot_months=[]"]
"""The same small run as keywords and as Hydra overrides (the keywords keep no month-0
snapshot, which ``configs/config.yaml`` asks for)."""


# ---- library scenarios by name ------------------------------------------------------------
def test_the_library_lists_every_scenario_file() -> None:
    assert library.names() == tuple(LIBRARY)
    assert {"baseline", "graduation"} <= set(LIBRARY)


@pytest.mark.parametrize("scenario", LIBRARY)
def test_a_scenario_by_name_is_the_hydra_composition(scenario: str) -> None:
    m = EmpowermentModel(scenario=scenario, rng=3, **SMALL)
    assert m.config == load_config([f"scenario={scenario}", "seed=3", *SMALL_OVERRIDES])


def test_a_scenario_by_name_takes_plain_values_and_overrides_over_it() -> None:
    m = EmpowermentModel({"programmes": {"asset_grant": {"coverage": 0.3}}}, scenario="graduation",
                         rng=3, overrides={"budget.per_household_z": 9.0}, **SMALL)
    assert m.config == load_config(["scenario=graduation", "seed=3", *SMALL_OVERRIDES,
                                    "programmes.asset_grant.coverage=0.3",
                                    "budget.per_household_z=9"])


def test_batch_run_sweeps_library_scenarios() -> None:
    rows = mesa.batch_run(EmpowermentModel, parameters={
        "scenario": ["baseline", "graduation"], "households": 300, "months": 12,
        "collect": "all"},
        rng=[1], max_steps=12, display_progress=False)
    spent = {r["scenario"]: r["spending_programmes_cumulative"] for r in rows}
    assert spent["baseline"] == 0.0 < spent["graduation"]


def test_an_unknown_scenario_names_the_nearest_and_the_valid_ones() -> None:
    with pytest.raises(ConfigError, match="Did you mean 'graduation'") as err:
        EmpowermentModel(scenario="graduaton", **SMALL)
    assert all(name in str(err.value) for name in LIBRARY)


def test_more_threads_than_the_machine_has_are_refused_before_any_month() -> None:
    more = numba.config.NUMBA_NUM_THREADS + 1
    with pytest.raises(ConfigError, match=f"'threads' has value {more}, more threads than"):
        EmpowermentModel(threads=more, **SMALL)


def test_a_scenario_name_with_a_loaded_config_is_refused() -> None:
    with pytest.raises(TypeError, match=re.escape('load_config(["scenario=graduation"')):
        EmpowermentModel(load_config(SMALL_OVERRIDES), scenario="graduation")


@pytest.mark.parametrize(("name", "value", "takes"), [
    ("months", "12", "a whole number of months"),
    ("households", "many", "a whole number of households"),
    ("households", "40", "a whole number of households"),
    ("threads", "1", "a whole number of threads"),
    ("validate", "yes", "True or False"),
])
def test_a_keyword_setting_refuses_text_even_of_a_number(name: str, value: str,
                                                         takes: str) -> None:
    """A Python argument takes the value itself; text is a command line's way of writing it
    (``./run.sh months=12``, composed by Hydra: tests/test_config_cli.py)."""
    with pytest.raises(TypeError, match=re.escape(f"{name} takes {takes}, got {value!r} "
                                                  "(a str)")):
        EmpowermentModel(**{**SMALL, name: value})


def test_a_keyword_setting_takes_a_whole_number_written_as_a_float() -> None:
    assert EmpowermentModel(rng=1, households=40.0, months=12.0).config.months == 12


# ---- rng=None: fresh entropy, recorded ------------------------------------------------------
def test_no_seed_draws_a_fresh_one_that_is_recorded_and_repeats_the_run() -> None:
    first, second = EmpowermentModel(**SMALL).run(), EmpowermentModel(**SMALL).run()
    assert first.config.seed != second.config.seed
    assert first.seed == first.config.seed == first.config_dict()["seed"]
    again = EmpowermentModel(rng=first.config.seed, **SMALL).run()
    pd.testing.assert_frame_equal(again.results(), first.results())
    np.testing.assert_array_equal(again.state.floats, first.state.floats)


def test_a_given_seed_is_kept_when_rng_is_none() -> None:
    assert EmpowermentModel(load_config(["seed=7", *SMALL_OVERRIDES])).seed == 7
    assert EmpowermentModel(load_config(SMALL_OVERRIDES)).seed == 0  # configs/config.yaml
    assert EmpowermentModel({"seed": 5, "population": {"households": 40}}).seed == 5
    assert EmpowermentModel(overrides={"seed": 4}, **SMALL).seed == 4
    assert EmpowermentModel(load_config(["seed=7", *SMALL_OVERRIDES]), rng=8).seed == 8


def test_rng_must_be_an_integer_seed() -> None:
    assert EmpowermentModel(rng=np.int64(6), **SMALL).seed == 6
    with pytest.raises(TypeError, match="integer seed"):
        EmpowermentModel(rng=np.random.default_rng(1), **SMALL)


@pytest.mark.filterwarnings("ignore:The `iterations` keyword argument is deprecated")
def test_batch_run_iterations_give_different_recorded_runs() -> None:
    rows = mesa.batch_run(EmpowermentModel, parameters={"households": 200, "months": 6},
                          iterations=3, max_steps=6, display_progress=False)
    assert len({r["seed"] for r in rows}) == 3
    assert len({r["assets_mean"] for r in rows}) == 3


# ---- the DataCollector --------------------------------------------------------------------
def test_the_datacollector_has_every_result_column_when_asked() -> None:
    m = EmpowermentModel(rng=3, households=60, months=5, collect="all").run()
    results = m.results()
    collected = m.datacollector.get_model_vars_dataframe()
    assert list(collected.columns) == ["seed", *results.columns]
    pd.testing.assert_frame_equal(collected[results.columns], results)
    assert (collected["seed"] == 3).all()


def test_the_datacollector_has_the_headline_and_the_seed_by_default() -> None:
    m = EmpowermentModel(rng=3, households=60, months=5).run()
    collected = m.datacollector.get_model_vars_dataframe()
    assert list(collected.columns) == ["seed", *HEADLINE]
    pd.testing.assert_frame_equal(collected[list(HEADLINE)], m.results()[list(HEADLINE)],
                                  check_dtype=False)
    with pytest.raises(ValueError, match=r"'headline'.*'all'"):
        EmpowermentModel(rng=3, collect="everything", **SMALL)


def test_the_datacollector_reads_the_months_it_collected_when_read() -> None:
    m = EmpowermentModel(rng=3, households=60, months=8)
    for _ in range(3):
        m.step()
    early = m.datacollector.get_model_vars_dataframe()
    for _ in range(5):
        m.step()
    collected = m.datacollector.get_model_vars_dataframe()
    assert len(early) == 4 and len(collected) == 9  # month 0 and each month stepped
    pd.testing.assert_frame_equal(collected.iloc[:4], early)
    results = m.results()
    pd.testing.assert_frame_equal(collected[list(HEADLINE)], results[list(HEADLINE)])
    graduations = m.datacollector.model_vars["graduations_cumulative"]
    assert graduations == results["graduations_cumulative"].tolist()
    assert all(type(count) is int for count in graduations)  # a count stays an int
    for name, reporter in m.datacollector.model_reporters.items():  # what each row holds
        newest = getattr(m, reporter) if isinstance(reporter, str) else reporter(m)
        assert m.datacollector.model_vars[name][-1] == newest, name


def test_collecting_does_not_read_the_results_month_by_month(monkeypatch) -> None:
    frames, newest = [], []
    frame, latest = MonthlyResults.frame, MonthlyResults.latest
    monkeypatch.setattr(MonthlyResults, "frame",
                        lambda self, names=None: frames.append(self.filled) or frame(self, names))
    monkeypatch.setattr(MonthlyResults, "latest",
                        lambda self, name: newest.append(name) or latest(self, name))
    m = EmpowermentModel(rng=3, households=60, months=6).run()
    assert frames == [] and newest == []
    collected = m.datacollector.get_model_vars_dataframe()
    assert frames == [7], "read once, when first asked for"
    assert len(collected) == 7 and len(m.datacollector.model_vars["headcount"]) == 7
    assert frames == [7]


# ---- agent reporters per agent type -------------------------------------------------------
def test_agent_reporters_over_mixed_agents_point_to_agenttype_reporters() -> None:
    m = EmpowermentModel(rng=3, **SMALL)
    with pytest.raises(AttributeError) as err:
        mesa.DataCollector(agent_reporters={"assets": "assets"}).collect(m)
    assert "agenttype_reporters" in str(err.value.__cause__)
    with pytest.raises(AttributeError, match=r"Household.*agenttype_reporters"):
        mesa.DataCollector(agent_reporters={"assets": lambda a: a.assets}).collect(m)
    institution = next(iter(m.agents_by_type[Institution]))
    assert not hasattr(institution, "no_such_attribute")


def test_agenttype_reporters_collect_households() -> None:
    m = EmpowermentModel(rng=3, **SMALL)
    collector = mesa.DataCollector(agenttype_reporters={Household: {"assets": "assets"}})
    collector.collect(m)
    frame = collector.get_agenttype_vars_dataframe(Household)
    np.testing.assert_array_equal(frame["assets"].to_numpy(), m.state.field("assets"))


def test_agents_have_a_readable_repr() -> None:
    m = EmpowermentModel(rng=3, households=40, months=2, overrides={
        "programmes.mentoring.enabled": True, "institutions.students": 100.0})
    household = sorted(m.agents_by_type[Household], key=lambda a: a.row)[3]
    assert repr(household) == (f"Household(row=3, status='{household.status_name}', "
                               f"assets={household.assets:.1f} z)")
    mentor = next(iter(m.agents_by_type[Mentor]))
    assert re.fullmatch(r"Mentor\(row=\d+, kind='\w+', caseload=\d+\)", repr(mentor))
    institution = next(iter(m.agents_by_type[Institution]))
    assert repr(institution) == f"Institution(row=0, kind='{institution.kind}')"


# ---- agents are stepped by the model's month only -----------------------------------------
@pytest.mark.parametrize("how", [lambda m: m.agents_by_type[Household].shuffle_do("step"),
                                 lambda m: m.agents.do("step")],
                         ids=["shuffle_do", "do"])
@pytest.mark.parametrize("engine", ["numba", "python"])
def test_stepping_agents_by_hand_is_refused(how, engine: str) -> None:
    m = EmpowermentModel(rng=3, engine=engine, **SMALL).run()
    before = m.state.copy()
    with pytest.raises(RuntimeError, match=r"model\.step\(\)"):
        how(m)
    np.testing.assert_array_equal(m.state.floats, before.floats)
    np.testing.assert_array_equal(m.state.ints, before.ints)
    assert m.month == m.months


@pytest.mark.slow  # a subprocess
def test_importing_the_model_leaves_hydra_for_the_first_config_load() -> None:
    code = ("import sys; from empowernet import EmpowermentModel; "
            "loaded = [m for m in ('experiments', 'hydra', 'omegaconf') if m in sys.modules]; "
            "from empowernet import load_config; "
            "print(loaded, 'hydra' in sys.modules and callable(load_config))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[] True"
