"""Two worlds compared: a calibration file that extends another runs its own world on the same
moments, the joint calibration gives each world a probability, and the ranking marks as robust
only a policy at the top in both worlds."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml

from agents import EmpowermentModel
from experiments import console
from experiments.analysis import two_worlds
from experiments.analysis.two_worlds import (
    Size,
    main_policies,
    ranking,
    study,
)
from experiments.calibration import spec as spec_io
from experiments.calibration.command import Options
from experiments.calibration.entry import CALIBRATION_DIR
from experiments.calibration.worlds import (
    NEVER_ALIVE,
    compare_worlds,
    last_alive,
    predictive,
    shared_targets,
)
from experiments.cli import main
from experiments.config import load_config
from model.params import ConfigError, replace

BASE: dict = {
    "settings": {"households": 80, "seeds": [1], "population_size": 8, "generations": 2,
                 "cores": 1},
    "parameters": {"consumption.sigma_max": {"range": [0.08, 0.3], "source": "test"}},
    "moments": {
        "graduated_6": {"statistic": "mean_graduated", "scenario": "baseline", "month": 6,
                        "value": 5.0, "uncertainty": 20.0, "source": "test",
                        "population": "test", "use": "calibrate"}},
}
NO_TRAP = {"extends": "base.yaml", "world": "no_trap",
           "parameters": {"population.productivity_median": {"range": [0.3, 0.7],
                                                             "source": "test"}}}


def write(folder: Path, name: str, tree: dict) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(tree), encoding="utf-8")
    return path


def test_no_trap_file_reuses_the_default_moments_and_runs_its_own_world() -> None:
    default = spec_io.read(CALIBRATION_DIR / "default.yaml")
    no_trap = spec_io.read(CALIBRATION_DIR / "no_trap.yaml")
    assert no_trap.world == "no_trap" and default.world == "default"
    assert no_trap.moments == default.moments
    assert no_trap.settings.overrides[0] == "+null=no_trap"
    assert {p.key for p in no_trap.parameters} == \
        {p.key for p in default.parameters} | {"population.productivity_median"}
    assert shared_targets([default, no_trap]) == default.calibration_moments()


def test_no_trap_candidate_is_the_convex_world_and_richer_at_the_same_values() -> None:
    """At the same parameter values (the default's productivity), the no-trap world has no
    gate and no ramp, and fewer poor households than the trap world."""
    no_trap = spec_io.read(CALIBRATION_DIR / "no_trap.yaml")
    headcount = {}
    for world, overrides in (("default", ()), ("no_trap", no_trap.settings.overrides)):
        config = replace(load_config(["population.households=300", "months=24", "threads=1",
                                      *overrides]),
                         seed=1, **{"population.productivity_median": 0.85})
        if world == "no_trap":
            assert not config.enterprise.trap and config.enterprise.ramp_months == 0
        headcount[world] = EmpowermentModel(config).run().results()["headcount"].mean()
    assert headcount["no_trap"] < headcount["default"] - 0.05


def test_extending_a_file_that_extends_or_with_an_unknown_world_is_refused(
        tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", BASE)
    write(tmp_path, "middle.yaml", NO_TRAP)
    with pytest.raises(ConfigError, match=r"'extends': middle\.yaml extends another file"):
        spec_io.read(write(tmp_path, "top.yaml", {"extends": "middle.yaml"}))
    with pytest.raises(ConfigError, match="'world': 'no_trp' is not a model"):
        spec_io.read(write(tmp_path, "bad.yaml", {**NO_TRAP, "world": "no_trp"}))


def test_worlds_on_different_moments_are_refused(tmp_path: Path) -> None:
    base = spec_io.read(write(tmp_path, "base.yaml", BASE))
    moved = {**NO_TRAP, "moments": {"graduated_6": {**BASE["moments"]["graduated_6"],
                                                    "value": 6.0}}}
    other = spec_io.read(write(tmp_path, "other.yaml", moved))
    with pytest.raises(ConfigError, match="differ in their calibrate moments"):
        shared_targets([base, other])


@pytest.mark.parametrize("command", ["calibrate", "worlds"])
def test_unknown_world_exits_2_naming_it(command: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--world", "no_trp", "--out", str(tmp_path / "out")]) == 2
    assert "'no_trp'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_robust_only_where_a_policy_is_at_the_top_in_every_world() -> None:
    effects = pd.DataFrame({
        "world": ["default"] * 6 + ["no_trap"] * 6,
        "policy": ["grant", "grant", "cash", "cash", "credit", "credit"] * 2,
        "seed": [1, 2] * 6,
        "effect": [9.0, 11.0, 4.0, 6.0, 1.0, 1.0,     # trap world: grant 10, cash 5, credit 1
                   2.0, 4.0, 6.0, 8.0, 0.0, 2.0],    # no trap: cash 7, grant 3, credit 1
        "cost_per_household": [100.0] * 12})
    table = ranking(effects).set_index("policy")
    assert table.loc["grant", "effect_default"] == pytest.approx(10.0)
    assert table.loc["grant", "rank_default"] == 1 and table.loc["grant", "rank_no_trap"] == 2
    assert table.loc["cash", "rank_no_trap"] == 1
    assert not table["robust"].any()
    assert set(table.index[ranking(effects, top=2).set_index("policy")["robust"]]) == \
        {"grant", "cash"}


def test_main_policies_are_the_comparison_study_without_business_as_usual() -> None:
    policies = main_policies()
    assert "graduation" in policies and "baseline" not in policies


@pytest.mark.slow
def test_tiny_two_world_calibration_and_ranking(tmp_path: Path) -> None:
    np.random.seed(0)  # pyabc samples with numpy's global generator: not the tests' order
    write(tmp_path, "base.yaml", BASE)
    files = [tmp_path / "base.yaml", write(tmp_path, "no_trap.yaml", NO_TRAP)]
    out = tmp_path / "out"
    comparison = compare_worlds(files, out, Options())
    assert list(comparison.worlds["world"]) == ["default", "no_trap"]
    assert comparison.worlds["probability"].sum() == pytest.approx(1.0)
    assert np.all(comparison.worlds["probability"].between(0.0, 1.0))
    assert set(comparison.predictive["moment"]) == {"graduated_6"}
    alive = comparison.worlds.loc[comparison.worlds["probability"] > 0, "world"]
    assert set(comparison.posterior["world"]) == set(alive)
    for world in alive:
        assert (out / f"posterior_summary_{world}.csv").exists()
    assert (out / "worlds.csv").exists() and (out / "predictive.csv").exists()

    found = study(out, list(alive), Size(households=80, months=24, seeds=1), top=1, draws=2)
    assert set(found.ranking["policy"]) == set(main_policies())
    assert found.ranking["robust"].sum() <= 1
    assert found.drawn_maps.groupby("world").size().to_dict() == {w: 2 for w in alive}
    assert (out / "ranking.csv").exists() and (out / "asset_map_predictive.csv").exists()


class Instant:
    """A run of no cost: a flat headcount and no spending."""

    def __init__(self, config: object) -> None:
        self.snapshots: dict = {}

    def run(self) -> Instant:
        return self

    def results(self) -> pd.DataFrame:
        return pd.DataFrame({"headcount": [0.5] * 24, "spending_programmes_cumulative": 0.0,
                             "households_active": 80})


@pytest.fixture
def instant_study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a posterior for both worlds, whose ranking runs cost nothing."""
    posterior = (Path(__file__).parent / "fixtures" / "posterior" / "posterior.csv").read_text()
    for world in ("default", "no_trap"):
        (tmp_path / f"posterior_{world}.csv").write_text(posterior, encoding="utf-8")
    monkeypatch.setattr(two_worlds, "EmpowermentModel", Instant)
    monkeypatch.setattr(two_worlds, "map_measures", lambda snapshots, config: {})
    return tmp_path


def test_the_ranking_shows_a_bar_of_its_runs_on_a_terminal(instant_study: Path, monkeypatch,
                                                           capsys) -> None:
    monkeypatch.setattr(console, "bars_shown", lambda: True)
    study(instant_study, ["default", "no_trap"], Size(80, 24, 2), top=1, draws=3)
    runs = 2 * (2 * (1 + len(main_policies())) + 3)
    err = capsys.readouterr().err
    assert f"in 2 world(s): {runs} runs of 80 households over 24 months" in err
    assert "ranking: 100%" in err and f"{runs}/{runs} " in err
    assert "ran " not in err  # a line per run only when verbose


def test_the_ranking_says_each_run_when_verbose_and_nothing_when_quiet(instant_study: Path,
                                                                       capsys) -> None:
    with console.speaking(console.VERBOSE):
        study(instant_study, ["default"], Size(80, 24, 1), top=1, draws=1)
    err = capsys.readouterr().err
    assert "ranking:" not in err  # no bar off a terminal
    assert "ran default world, graduation, seed 1" in err
    assert "ran default world, baseline, posterior draw 1" in err
    with console.speaking(console.QUIET):
        study(instant_study, ["default"], Size(80, 24, 1), top=1, draws=1)
    assert capsys.readouterr() == ("", "")


class OneWorldLived:
    """The stored history of two worlds in which no generation accepted a particle of the
    second (pyabc lists no probability for it), as pyabc's History answers about it."""

    def get_model_probabilities(self) -> pd.DataFrame:
        return pd.DataFrame({0: [1.0, 1.0]}, index=pd.Index([0, 1], name="t"))

    def get_weighted_sum_stats_for_model(self, m: int, t: int) -> tuple[list, list]:
        return [0.5, 0.5], [{"graduated_6": 0.1}, {"graduated_6": 0.3}]

    def get_all_populations(self) -> pd.DataFrame:
        return pd.DataFrame({"t": [-1, 0, 1], "epsilon": [np.inf, 4.0, 1.0]})


def test_a_world_no_generation_accepted_has_no_posterior_and_no_predictive_rows() -> None:
    history = OneWorldLived()
    assert (last_alive(history, 0), last_alive(history, 1)) == (1, NEVER_ALIVE)
    worlds = [SimpleNamespace(name="default"), SimpleNamespace(name="no_trap")]
    target = SimpleNamespace(name="graduated_6", value=0.2, uncertainty=0.1)
    scores = predictive(history, worlds, [target])
    assert scores["world"].tolist() == ["default"]
    assert scores["simulated_mean"].tolist() == [pytest.approx(0.2)]
    assert scores["generation"].tolist() == [1] and scores["temperature"].tolist() == [1.0]
