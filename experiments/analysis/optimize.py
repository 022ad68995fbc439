"""``empowernet optimize``: search the programme mix and targeting under a budget, with Optuna.

Each trial switches programmes on or off and chooses each one's targeting rule and coverage;
the scenario runs within ``budget`` z per household for ``seeds`` seeds (common random
numbers across trials) and scores the mean of ``outcome`` at the horizon. The study lives in
an SQLite file in ``out``, so a second call continues it; the runs are stored in
``out/runs`` (``evaluate``), so a configuration tried before is not run again. The best
configurations found, each once however many trials ran it, are written as scenario files
(``out/scenario/best_<k>.yaml``) that run with ``hydra.searchpath=[file://OUT]
scenario=best_1``, and listed with their mean and their chance of being the best of them (the
share of replications in which it is) on as many fresh seeds, since the search chose them on
its own. With a posterior, each seed runs with its own posterior draw (the same in every
trial), so the scores and chances carry parameter uncertainty too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import optuna
import pandas as pd
import sqlalchemy.exc
import yaml

from experiments import console, store
from experiments.analysis.outcomes import LOWER_IS_BETTER, is_outcome
from experiments.analysis.statistics import chance_best
from experiments.config import load_config
from experiments.evaluate import Point, evaluate, tables_remedy
from experiments.uncertainty import NONE, posterior_override, read_posterior
from model.params import ConfigError
from model.programme_params import TARGETING
from model.programmes import PROGRAMME_NAMES

RUNS = "runs"
"""The folder (in ``out``) of the trials' runs: a trial repeating an earlier one reuses them."""
STUDY = "study.db"
"""The study (Optuna's SQLite file) in ``out``: a second call continues it."""
SETTINGS = "optimize.yaml"
"""The settings the study of ``out`` searches with: a call with others is refused."""
TRIALS = "trials.csv"
"""The table of every trial of the study, in ``out``."""


def study_settings(budget: float, outcome: str, seeds: int, overrides: Sequence[str],
                   sampler_seed: int, posterior: str) -> dict[str, Any]:
    """What a study's trials are scored by; a study is continued only with the same."""
    return {"budget_per_household": budget, "outcome": outcome, "seeds": seeds,
            "overrides": list(overrides), "sampler_seed": sampler_seed,
            "posterior_sha256": "" if posterior == NONE else read_posterior(posterior).sha256}


def trial_base(budget: float, overrides: Sequence[str], posterior: str) -> list[str]:
    """The overrides every trial runs with beneath its programmes: the study's ``overrides``,
    its ``posterior`` and the budget of ``budget`` z per household, in place of any other."""
    return [*overrides, posterior_override(posterior), "budget.limited=true",
            f"budget.per_household_z={budget}"]


def trial_settings(trial: optuna.Trial) -> dict[str, dict]:
    """The programmes a trial switches on, with their targeting and coverage."""
    chosen = {}
    for name in PROGRAMME_NAMES:
        if trial.suggest_categorical(f"{name}.enabled", [False, True]):
            chosen[name] = {"enabled": True,
                            "targeting": trial.suggest_categorical(f"{name}.targeting",
                                                                   list(TARGETING)),
                            "coverage": round(trial.suggest_float(f"{name}.coverage", 0.05,
                                                                  1.0), 3)}
    return chosen


def overrides_of(programmes: dict[str, dict]) -> list[str]:
    """Hydra overrides for a trial's programmes."""
    return [f"programmes.{name}.{key}={value}" for name, settings in programmes.items()
            for key, value in settings.items()]


def replicated(programmes: dict[str, dict], outcome: str, seeds: int, base: Sequence[str],
               runs_dir: Path, first_seed: int = 0) -> list[float]:
    """``outcome`` at the horizon in each of ``seeds`` replications (seeds from
    ``first_seed``, each with its posterior draw if ``base`` names a posterior; runs stored in
    ``runs_dir``). Every trial runs on the same seeds and burns in alike, so each seed's
    burned-in world is kept for the next trials (``experiments.kept_worlds``)."""
    config = load_config([*base, *overrides_of(programmes)])
    points = [Point.of("trial", config, seed) for seed in range(first_seed, first_seed + seeds)]
    runs = evaluate(points, runs_dir, keep_worlds=True).runs
    return [float(run.results[outcome].iloc[-1]) for run in runs]


def score(programmes: dict[str, dict], outcome: str, seeds: int, base: Sequence[str],
          runs_dir: Path) -> float:
    """Mean of ``outcome`` at the horizon over the replications (``replicated``)."""
    return float(np.mean(replicated(programmes, outcome, seeds, base, runs_dir)))


def programmes_of(trial: optuna.trial.FrozenTrial) -> dict[str, dict]:
    """The programmes a finished trial switched on, with their targeting and coverage."""
    return {name: {"enabled": True, "targeting": trial.params[f"{name}.targeting"],
                   "coverage": round(trial.params[f"{name}.coverage"], 3)}
            for name in PROGRAMME_NAMES if trial.params.get(f"{name}.enabled")}


def configuration(trial: optuna.trial.FrozenTrial) -> tuple[tuple[str, str, float], ...]:
    """What a finished trial ran, comparable between trials: each programme it switched on
    with its targeting and coverage (as run: coverage to three decimals)."""
    return tuple((name, settings["targeting"], settings["coverage"])
                 for name, settings in programmes_of(trial).items())


def distinct(trials: Sequence[optuna.trial.FrozenTrial]
             ) -> list[tuple[optuna.trial.FrozenTrial, int]]:
    """Each configuration the ``trials`` ran, once: its first trial and how many trials ran
    it. A study continued before each call's sampler was seeded anew holds every configuration
    of its first call again; a repeat reuses the first's stored runs on the same seeds, so it
    is the same measurement, not another replication, and ranks once."""
    first: dict[tuple, optuna.trial.FrozenTrial] = {}
    for trial in sorted(trials, key=lambda t: t.number):
        first.setdefault(configuration(trial), trial)
    counts = Counter(configuration(trial) for trial in trials)
    return [(trial, counts[key]) for key, trial in first.items()]


def held_out(ranked: Sequence[dict[str, dict]], outcome: str, seeds: int,
             base: Sequence[str], runs_dir: Path) -> pd.DataFrame:
    """``outcome`` of each of the ``ranked`` configurations (their programmes; columns 1, 2,
    ...) in ``seeds`` fresh replications (rows), the seeds after those the search scored
    them on: the search chose them for doing well on its own seeds, so only other seeds say
    how well they do (runs stored in ``runs_dir``)."""
    return pd.DataFrame({rank: replicated(programmes, outcome, seeds, base, runs_dir,
                                          first_seed=seeds)
                         for rank, programmes in enumerate(ranked, start=1)})


def chances_best(values: pd.DataFrame, outcome: str) -> pd.Series:
    """For each configuration (column of ``values``, replications in rows), the share of
    replications in which it has the best ``outcome`` of them all at the stated budget (every
    trial runs within it)."""
    return chance_best((-1.0 if outcome in LOWER_IS_BETTER else 1.0) * values)


def chance_note(posterior: str, seeds: int, outcome: str) -> str:
    """What ``value`` (of ``outcome``) and ``p_best`` of the optimize table are over."""
    which = ("with fixed parameters: Monte-Carlo uncertainty only" if posterior == NONE else
             "each with its own posterior draw: parameter and Monte-Carlo uncertainty")
    noun = "replication" if seeds == 1 else "replications"
    return (f"value: the mean of {outcome} at the horizon over the {seeds} {noun} the "
            "search scored on; "
            f"value_held_out and p_best: over {seeds} other {noun} ({which}), the "
            "mean and the share in which the configuration has the best outcome of those "
            "listed, within the same budget (the search chose them on its own seeds, so "
            "only other seeds say how well they do); trial: the first trial of the "
            "configuration, trials: how many trials ran it (a repeat reran none of its runs, "
            "so its value is the first's)")


def scenario_yaml(programmes: dict[str, dict], budget: float, rank: int, outcome: str,
                  value: float, held: float, seeds: int, overrides: Sequence[str]) -> str:
    """A library-style scenario file for one configuration, its header saying how it scored
    (``value`` on the search's ``seeds`` replications, ``held`` on as many others) and the
    ``overrides`` it was found under."""
    other = f"{seeds} other replication{'s' if seeds != 1 else ''}"
    header = (f"# @package _global_\n# Found by empowernet optimize (rank {rank}) within "
              f"{budget:g} z per household; overrides: {' '.join(overrides) or 'none'}.\n"
              f"# Mean {outcome}: {value:.4g} over the search's replications (optimistic: it "
              f"was chosen on them), {held:.4g} over {other}.\n")
    body = {"label": f"best_{rank}", "programmes": programmes,
            "budget": {"limited": True, "per_household_z": budget}}
    return header + yaml.safe_dump(body, sort_keys=False)


def write_best(folder: Path, ranked: Sequence[optuna.trial.FrozenTrial], fresh: pd.DataFrame,
               budget: float, outcome: str, overrides: Sequence[str]) -> None:
    """Write the ``ranked`` trials as scenarios ``best_1.yaml``... in ``folder`` (with their
    values on the ``fresh`` replications, :func:`held_out`), and remove those of lower ranks
    that an earlier call with more of them wrote, so that every ``best_<k>.yaml`` there is
    of this ranking."""
    for rank, trial in enumerate(ranked, start=1):
        store.write_text(scenario_yaml(programmes_of(trial), budget, rank, outcome,
                                       trial.value, fresh[rank].mean(), len(fresh), overrides),
                         folder / f"best_{rank}.yaml")
    for old in folder.glob("best_*.yaml"):
        rank = old.stem.removeprefix("best_")
        if rank.isdigit() and int(rank) > len(ranked):
            old.unlink()


@contextmanager
def optuna_errors_only() -> Iterator[None]:
    """Until the end, Optuna logs errors only, then at its level before: its warning for a
    failed trial repeats, with its traceback, an error the command says itself (or a Ctrl-C,
    which gets one line)."""
    before = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    try:
        yield
    finally:
        optuna.logging.set_verbosity(before)


SQLITE_HEADER = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file."""


def check_study_file(path: Path) -> None:
    """Raise ``store.DamagedError`` if ``path`` is there and is not an SQLite database (an
    empty file is one: SQLite makes it a new database)."""
    if path.is_file() and path.stat().st_size:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise store.damaged(path, "not an SQLite database",
                                    tables_remedy(path.parent, STUDY, SETTINGS))


@contextmanager
def study_read(path: Path) -> Iterator[None]:
    """A study file SQLite cannot read (damaged) raises ``store.DamagedError`` naming it, not
    the database driver's error; one it cannot use now (locked, busy) is left as it is."""
    try:
        yield
    except sqlalchemy.exc.OperationalError:
        raise
    except sqlalchemy.exc.DatabaseError as err:
        raise store.damaged(path, err.orig or err,
                            tables_remedy(path.parent, STUDY, SETTINGS)) from None


def continued_sampler(sampler_seed: int, done: int) -> optuna.samplers.BaseSampler:
    """The sampler of a study that holds ``done`` trials: seeded from ``sampler_seed`` and
    ``done``, so that a continued study draws new configurations rather than those of its
    first call again, and the same calls give the same study."""
    seed = int(np.random.SeedSequence([sampler_seed, done]).generate_state(1)[0])
    return optuna.samplers.TPESampler(seed=seed)


def optimize(out: str | Path, budget: float, trials: int, outcome: str = "graduations_cumulative",
             seeds: int = 3, best: int = 3, overrides: Sequence[str] = (),
             sampler_seed: int = 0, posterior: str = NONE) -> pd.DataFrame:
    """Run (or continue) the study; write the trials table and the best scenarios.

    With a ``posterior`` (a calibration's folder or posterior.csv; ``NONE``: fixed
    parameters), each seed of every trial runs with its own posterior draw, the same draw for
    every trial. The table returned ranks the best configurations, each once (``distinct``:
    ``trial`` is its first trial, ``trials`` how many ran it), with each one's chance of
    being the best of them (``p_best``, ``chance_note``)."""
    if budget < 0:
        raise ConfigError(f"--budget {budget} is negative; give z per client household.")
    out = Path(out)
    base = trial_base(budget, overrides, posterior)
    load_config(base)  # refuse bad overrides before the first trial
    if not is_outcome(outcome):
        raise ConfigError(f"--outcome {outcome!r} is not an outcome of the results (their "
                          "columns but 'month': docs/outputs.md).")
    settings = study_settings(budget, outcome, seeds, overrides, sampler_seed, posterior)
    check_study_file(out / STUDY)
    store.refuse_other_settings(out / SETTINGS, settings, "a policy search",
                                tables_remedy(out, STUDY, SETTINGS),
                                tables=[STUDY, TRIALS])
    direction = "minimize" if outcome in LOWER_IS_BETTER else "maximize"
    out.mkdir(parents=True, exist_ok=True)  # the study's database is made in it
    with optuna_errors_only(), study_read(out / STUDY):
        study = optuna.create_study(study_name="empowernet", direction=direction,
                                    storage=f"sqlite:///{(out / STUDY).resolve()}",
                                    load_if_exists=True)
        study.sampler = continued_sampler(sampler_seed, len(study.trials))
        store.write_settings(out / SETTINGS, settings)
        study.optimize(lambda t: score(trial_settings(t), outcome, seeds, base, out / RUNS),
                       n_trials=trials, show_progress_bar=console.bars_shown())
    table = study.trials_dataframe()
    store.write_text(table.to_csv(index=False), out / TRIALS)
    done = distinct([t for t in study.trials if t.value is not None])
    ranked = sorted(done, key=lambda pair: pair[0].value,
                    reverse=direction == "maximize")[:best]
    fresh = held_out([programmes_of(t) for t, _ in ranked], outcome, seeds, base, out / RUNS)
    write_best(out / "scenario", [t for t, _ in ranked], fresh, budget, outcome, overrides)
    chances = chances_best(fresh, outcome)
    return pd.DataFrame([{"rank": k, "value": t.value, "value_held_out": fresh[k].mean(),
                          "p_best": chances[k], "trial": t.number, "trials": count,
                          "programmes": ", ".join(n for n in PROGRAMME_NAMES
                                                  if t.params.get(f"{n}.enabled"))}
                         for k, (t, count) in enumerate(ranked, start=1)])
