"""Policy search with Optuna on tiny sizes: resumable study, best configurations as scenarios."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import optuna
import pandas as pd
import pytest
import yaml

from empowernet import ConfigError, EmpowermentModel
from experiments import evaluate as evaluation
from experiments import load_config, store
from experiments.analysis import optimize as optimization
from experiments.analysis.optimize import optimize, replicated
from experiments.kept_worlds import KeptWorlds
from experiments.uncertainty import NONE, parameter_draw

TINY = ["population.households=200", "months=24"]


@pytest.mark.slow
def test_study_resumes_and_writes_runnable_scenarios(tmp_path) -> None:
    first = optimize(tmp_path, budget=20, trials=3, seeds=1, best=2, overrides=TINY)
    assert len(first) == 2 and first["value"].iloc[0] >= first["value"].iloc[1]
    assert sorted(p.name for p in (tmp_path / "scenario").iterdir()) == [
        "best_1.yaml", "best_2.yaml"]
    again = optimize(tmp_path, budget=20, trials=2, seeds=1, best=1, overrides=TINY)
    assert len(pd.read_csv(tmp_path / "trials.csv")) == 5  # the study continued
    # the best of this ranking only: best_2.yaml was of the first
    assert [p.name for p in (tmp_path / "scenario").iterdir()] == ["best_1.yaml"]
    header = (tmp_path / "scenario" / "best_1.yaml").read_text().splitlines()[1:3]
    best = again.iloc[0]
    assert header == [
        "# Found by empowernet optimize (rank 1) within 20 z per household; overrides: "
        "population.households=200 months=24.",
        f"# Mean graduations_cumulative: {best['value']:.4g} over the search's replications "
        f"(optimistic: it was chosen on them), {best['value_held_out']:.4g} over 1 other "
        "replication."]
    cfg = load_config([f"hydra.searchpath=[file://{tmp_path}]", "scenario=best_1", *TINY])
    assert cfg.label == "best_1" and cfg.budget.limited and cfg.budget.per_household_z == 20
    result = EmpowermentModel(cfg, rng=0).run().results()
    assert result["graduations_cumulative"].iloc[-1] == pytest.approx(first["value"].iloc[0])
    # the held-out value is the same scenario on the seed after the search's (seed 1)
    fresh = EmpowermentModel(cfg, rng=1).run().results()
    assert fresh["graduations_cumulative"].iloc[-1] == pytest.approx(
        first["value_held_out"].iloc[0])
    assert result["spending_programmes_cumulative"].iloc[-1] <= 20 * 200


def test_a_continued_study_tries_new_configurations(tmp_path) -> None:
    """A second call draws its own configurations, not the first call's again."""
    for _ in range(2):
        optimize(tmp_path, budget=20, trials=2, seeds=1, best=1, overrides=TINY)
    trials = pd.read_csv(tmp_path / "trials.csv").filter(like="params_").astype(str)
    assert len(trials) == 4 and not trials.duplicated().any(), trials


def study_before_the_fix(out: Path, calls: int, trials: int) -> None:
    """A study in ``out`` as optimize (budget 20, one seed, ``TINY``) made it before a continued
    study drew new configurations: ``calls`` calls of ``trials`` trials, each call's sampler
    seeded with the sampler seed alone, so every call replayed the first's configurations."""
    settings = optimization.study_settings(20, "graduations_cumulative", 1, TINY, 0, NONE)
    store.write_settings(out / optimization.SETTINGS, settings)
    base = optimization.trial_base(20, TINY, NONE)
    for _ in range(calls):
        study = optuna.create_study(study_name="empowernet", direction="maximize",
                                    storage=f"sqlite:///{out / optimization.STUDY}",
                                    load_if_exists=True,
                                    sampler=optuna.samplers.TPESampler(seed=0))
        study.optimize(lambda t: optimization.score(optimization.trial_settings(t),
                                                    "graduations_cumulative", 1, base,
                                                    out / optimization.RUNS),
                       n_trials=trials)


def test_a_configuration_tried_in_several_trials_is_ranked_once(tmp_path) -> None:
    """A study continued before the fix holds each configuration of its first call twice:
    the best list names each configuration once, with the count of its trials, and its chance
    of being the best is not split between copies."""
    study_before_the_fix(tmp_path, calls=2, trials=2)
    ranked = optimize(tmp_path, budget=20, trials=1, seeds=1, best=3, overrides=TINY)
    params = pd.read_csv(tmp_path / "trials.csv").filter(like="params_").astype(str)
    assert len(params) == 5 and params.iloc[:2].equals(params.iloc[2:4].set_axis([0, 1]))
    best = [yaml.safe_load((tmp_path / "scenario" / f"best_{k}.yaml").read_text())
            ["programmes"] for k in range(1, 4)]
    assert all(a != b for i, a in enumerate(best) for b in best[i + 1:]), best
    assert sorted(ranked["trials"]) == [1, 2, 2], ranked
    assert sorted(ranked["trial"]) == [0, 1, 4]  # each configuration's first trial
    assert ranked["p_best"].sum() == pytest.approx(1.0)


def test_a_study_is_made_in_a_folder_that_does_not_exist_yet(tmp_path) -> None:
    """As the default --out (outputs/optimize) is on a fresh checkout."""
    out = tmp_path / "outputs" / "optimize"
    table = optimize(out, budget=20, trials=1, seeds=1, best=1, overrides=TINY)
    assert len(table) == 1 and (out / "study.db").is_file()
    assert (out / "scenario" / "best_1.yaml").is_file()


def test_trials_on_the_same_seeds_live_each_seeds_burn_in_once(tmp_path, monkeypatch) -> None:
    worlds = KeptWorlds(budget=2**30)
    monkeypatch.setattr(evaluation, "KEPT", worlds)
    nothing = replicated({}, "headcount", 2, TINY, tmp_path)
    grants = {"asset_grant": {"enabled": True, "targeting": "lottery", "coverage": 0.5}}
    granted = replicated(grants, "headcount", 2, TINY, tmp_path)
    assert (len(worlds), worlds.reused) == (2, 2)  # the second trial from the first's worlds
    alone = [EmpowermentModel(load_config([*TINY, "programmes.asset_grant.enabled=true",
                                           "programmes.asset_grant.targeting=lottery",
                                           "programmes.asset_grant.coverage=0.5"]),
                              rng=seed).run().results()["headcount"].iloc[-1]
             for seed in range(2)]
    assert granted == alone and nothing != granted


def test_unknown_outcome_and_negative_budget_are_refused(tmp_path) -> None:
    for outcome in ("happiness", "month"):  # the month is a column but not an outcome
        with pytest.raises(ConfigError, match=f"'{outcome}' is not an outcome of the results"):
            optimize(tmp_path, budget=20, trials=1, outcome=outcome, overrides=TINY)
    with pytest.raises(ConfigError, match="negative"):
        optimize(tmp_path, budget=-1, trials=1, overrides=TINY)


@pytest.mark.slow
def test_with_a_posterior_each_seed_takes_its_draw_and_p_best_is_a_share(tmp_path) -> None:
    posterior = str(Path(__file__).parent / "fixtures" / "posterior")
    ranked = optimize(tmp_path, budget=20, trials=3, seeds=2, best=2, overrides=TINY,
                      posterior=posterior)
    assert ranked["p_best"].sum() == pytest.approx(1.0)
    drawn = {(c["seed"], c["enterprise"]["confidence_effect"])
             for c in map(yaml.safe_load, (p.read_text() for p in
                                          (tmp_path / "runs").glob("*/*/config.yaml")))}
    # the search's seeds 0-1 and the held-out seeds 2-3 of its best configurations
    assert drawn == {(seed, parameter_draw(posterior, seed)["enterprise.confidence_effect"])
                     for seed in range(4)}


def test_a_study_is_continued_only_with_its_own_settings(tmp_path) -> None:
    small = ["population.households=50", "months=6", "population.burn_in_months=12"]
    optimize(tmp_path, budget=20, trials=1, seeds=1, best=1, overrides=small)
    before = {p: p.read_bytes() for p in (tmp_path / "study.db", tmp_path / "trials.csv")}
    with pytest.raises(ConfigError, match=r"budget_per_household: 20 -> 30") as refused:
        optimize(tmp_path, budget=30, trials=1, seeds=1, best=1, overrides=small)
    assert before == {p: p.read_bytes() for p in before}  # neither continued nor mixed
    # the remedy names the files by path, as the other commands' stores do
    assert str(refused.value).endswith(
        f"Give another folder with --out, or remove {tmp_path / 'study.db'} and "
        f"{tmp_path / 'optimize.yaml'}, then run the command again: the finished runs of its "
        "store are reused.")


def test_optunas_log_level_is_errors_only_during_the_study_and_restored_after(
        tmp_path, monkeypatch) -> None:
    small = ["population.households=50", "months=6", "population.burn_in_months=12"]
    during = []

    def scored(*args, **kwargs) -> float:
        during.append(optuna.logging.get_verbosity())
        return 0.0

    monkeypatch.setattr(optimization, "score", scored)
    optuna.logging.set_verbosity(optuna.logging.INFO)
    try:
        optimize(tmp_path, budget=20, trials=1, seeds=1, best=1, overrides=small)
        after = optuna.logging.get_verbosity()
    finally:
        optuna.logging.set_verbosity(optuna.logging.WARNING)  # Optuna's default
    assert (during, after) == ([optuna.logging.ERROR], optuna.logging.INFO)


INTERRUPTED_TRIALS = """
import sys
from experiments.analysis import optimize
from experiments.cli import main

def interrupted(*args, **kwargs):
    raise KeyboardInterrupt

optimize.score = interrupted
sys.exit(main(sys.argv[1:]))
"""
"""``empowernet`` (its arguments after ``-c``) with Ctrl-C in every trial."""


@pytest.mark.slow  # a subprocess
def test_ctrl_c_in_a_trial_ends_optimize_with_one_line(tmp_path) -> None:
    """Optuna records the interrupted trial as failed, but says nothing: no warning with the
    KeyboardInterrupt's traceback before the command's own line. In a process of its own, as
    optuna's handler writes to the standard error it found when it was first set up."""
    done = subprocess.run([sys.executable, "-c", INTERRUPTED_TRIALS, "optimize",
                           "--budget-per-household", "20", "--trials", "2",
                           "--out", str(tmp_path), *TINY],
                          capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr and "failed" not in done.stderr, done.stderr
    assert done.stderr.splitlines()[-1].startswith("empowernet: optimize interrupted;")


def test_the_ranking_note_names_the_outcome_its_values_are_of() -> None:
    note = optimization.chance_note(optimization.NONE, 2, "sustained_graduations_cumulative")
    assert note.startswith("value: the mean of sustained_graduations_cumulative at the "
                           "horizon over the 2 replications the search scored on;")


def test_the_ranking_note_counts_one_replication_in_the_singular() -> None:
    note = optimization.chance_note(optimization.NONE, 1, "headcount")
    assert "over the 1 replication the search scored on" in note
    assert "over 1 other replication (" in note
