"""Two worlds calibrated together: ABC-SMC model selection between calibration files.

Each world is a calibration file (``configs/calibration/default.yaml``, the poverty-trap
model, and ``no_trap.yaml``, which extends it); both must fit the same calibrate moments. One
pyabc run samples the world with its parameters, so its last generation (temperature 1) gives
each world's posterior and the posterior probability of each world, whose ratio over the prior
ratio (even) is the Bayes factor. Both worlds share one likelihood: the moments' stated
uncertainty widened by the simulations' own noise, the larger of the two worlds' per moment.
Beside it, each moment's posterior predictive density in each world says which observations
tell the worlds apart.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc
from scipy.stats import norm

from experiments import store
from experiments.calibration import outputs
from experiments.calibration import spec as spec_io
from experiments.calibration.command import Options, checked_simulator
from experiments.calibration.estimator import Estimator, prior, run_shown
from experiments.calibration.simulate import (
    NOISE_SEED_SETS,
    Simulator,
    monte_carlo_sd,
    noise_bar,
    widened,
)
from model.params import ConfigError

WORLDS_TABLE = "worlds.csv"
PREDICTIVE = "predictive.csv"


@dataclass(frozen=True)
class World:
    """One world: its calibration file, its runs' settings and its simulator."""

    spec: spec_io.CalibrationSpec
    settings: spec_io.Settings
    simulator: Simulator

    @property
    def name(self) -> str:
        """The world's name (``default`` is the trap model)."""
        return self.spec.world


def shared_targets(specs: Sequence[spec_io.CalibrationSpec]) -> tuple[spec_io.Moment, ...]:
    """The calibrate moments, which every world must share.

    Raises:
        ConfigError: two files differ in their calibrate moments, or two name the same world.
    """
    first = specs[0]
    for other in specs[1:]:
        if other.calibration_moments() != first.calibration_moments():
            raise ConfigError(f"calibration files {first.path} and {other.path} differ in their "
                              "calibrate moments; worlds are compared on the same moments "
                              "(extend one file from the other).")
    names = [s.world for s in specs]
    if len(set(names)) < len(names):
        raise ConfigError(f"calibration files {', '.join(str(s.path) for s in specs)} name "
                          f"the worlds {', '.join(names)}; give each world once.")
    if not first.calibration_moments():
        raise ConfigError(f"calibration file {first.path}, key 'moments': no moment has use: "
                          "calibrate; the worlds need at least one moment to be compared on.")
    return first.calibration_moments()


def worlds_of(paths: Sequence[Path], options: Options) -> list[World]:
    """Each file's world, checked (moments, options, prior corners) before any simulation."""
    specs = [spec_io.read(p) for p in paths]
    targets = shared_targets(specs)
    worlds = []
    for spec in specs:
        settings, simulator = checked_simulator(spec, options, targets)
        worlds.append(World(spec, settings, simulator))
    return worlds


def common_noise(worlds: Sequence[World]) -> dict[str, float]:
    """Each moment's simulation noise: the larger of the worlds' (each at its prior centre);
    on a terminal a bar counts the candidates simulated."""
    with noise_bar(len(worlds)) as bar:
        measured = [monte_carlo_sd(w.simulator.moments, w.settings,
                                   {p.key: (p.low + p.high) / 2 for p in w.spec.fitted()},
                                   bar.update)
                    for w in worlds]
    return {name: max(m[name] for m in measured) for name in measured[0]}


NEVER_ALIVE = -1
"""``last_alive`` of a world no generation accepted a particle of."""


def last_alive(history: pyabc.History, m: int) -> int:
    """The last generation in which world ``m`` has particles (a world whose probability falls
    to 0 is not sampled again), or ``NEVER_ALIVE``."""
    probabilities = history.get_model_probabilities()
    alive = probabilities.index[probabilities.get(m, pd.Series(0.0, probabilities.index)) > 0]
    return int(alive.max()) if len(alive) else NEVER_ALIVE


def temperature(history: pyabc.History, t: int) -> float:
    """Generation ``t``'s temperature (1: the exact posterior)."""
    populations = history.get_all_populations()
    return float(populations.loc[populations["t"] == t, "epsilon"].iloc[0])


def predictive(history: pyabc.History, worlds: Sequence[World],
               targets: Sequence[spec_io.Moment]) -> pd.DataFrame:
    """Per moment and world, in the last generation where every world has particles (a world
    no generation accepted a particle of has no rows): the particles' simulated mean, and the
    log predictive density of the observed value (its stated and simulation error around each
    particle's simulated value, averaged over the particles)."""
    lived = {m: last_alive(history, m) for m in range(len(worlds))}
    lived = {m: t for m, t in lived.items() if t != NEVER_ALIVE}
    t = min(lived.values())
    rows = []
    for m in lived:
        world = worlds[m]
        weights, stats = history.get_weighted_sum_stats_for_model(m=m, t=t)
        weights = np.asarray(weights, float) / np.sum(weights)
        for target in targets:
            simulated = np.array([s[target.name] for s in stats], float)
            density = norm.pdf(target.value, simulated, target.uncertainty)
            rows.append({"world": world.name, "moment": target.name, "observed": target.value,
                         "sd": target.uncertainty, "simulated_mean": float(weights @ simulated),
                         "simulated_min": float(simulated.min()),
                         "simulated_max": float(simulated.max()),
                         "log_predictive": float(np.log(weights @ density)),
                         "generation": t, "temperature": temperature(history, t)})
    return pd.DataFrame(rows)


def world_probabilities(history: pyabc.History, worlds: Sequence[World]) -> pd.DataFrame:
    """Per world: posterior probability (even prior), particles, and the Bayes factor of the
    first world (the trap model) against it."""
    probabilities = history.get_model_probabilities().loc[history.max_t]
    p = [float(probabilities.get(m, 0.0)) for m in range(len(worlds))]
    particles = history.get_nr_particles_per_population()
    return pd.DataFrame({
        "world": [w.name for w in worlds], "probability": p,
        "bayes_factor_first_against": [p[0] / x if x > 0 else np.inf for x in p],
        "generation": history.max_t, "temperature": temperature(history, history.max_t),
        "particles": int(particles.iloc[-1])})


def generations(history: pyabc.History, worlds: Sequence[World]) -> pd.DataFrame:
    """Per generation: temperature (1 in the last), simulations, acceptance rate and each
    world's probability."""
    populations = history.get_all_populations()
    populations = populations[populations["t"] >= 0]
    probabilities = history.get_model_probabilities()
    return pd.DataFrame({
        "generation": populations["t"].astype(int).to_numpy(),
        "temperature": populations["epsilon"].to_numpy(float),
        "simulations": populations["samples"].astype(int).to_numpy(),
        "acceptance": (populations["particles"] / populations["samples"]).to_numpy(),
        **{f"probability_{w.name}": [float(probabilities.loc[t].get(m, 0.0))
                                      for t in populations["t"]]
           for m, w in enumerate(worlds)}})


def write_world_posteriors(folder: Path, history: pyabc.History,
                           worlds: Sequence[World]) -> pd.DataFrame:
    """Write each world's posterior and summary (``posterior_<world>.csv``,
    ``posterior_summary_<world>.csv``) from its last generation with particles: the exact
    posterior if that is the last (temperature 1), a tempered one for a world that lost its
    particles before, none for a world that never had any; returns the summaries, one row per
    world and parameter, with that generation and its temperature."""
    summaries = []
    for m, world in enumerate(worlds):
        t = last_alive(history, m)
        if t == NEVER_ALIVE:
            continue
        particles, weights = history.get_distribution(m=m, t=t)
        weights = np.asarray(weights, float)
        table = particles.reset_index(drop=True).assign(weight=weights)
        store.write_text(table.to_csv(index=False), folder / f"posterior_{world.name}.csv")
        described = outputs.summary(particles, weights, world.spec.fitted())
        store.write_text(described.to_csv(index=False),
                         folder / f"posterior_summary_{world.name}.csv")
        summaries.append(described.assign(world=world.name, generation=t,
                                          temperature=temperature(history, t)))
    return pd.concat(summaries, ignore_index=True)


@dataclass(frozen=True)
class Comparison:
    """A joint calibration's results: per world its probability and Bayes factor, per moment
    and world the predictive score, per world and parameter the posterior summary."""

    worlds: pd.DataFrame
    predictive: pd.DataFrame
    posterior: pd.DataFrame


def compare_worlds(paths: Sequence[Path], out: Path, options: Options) -> Comparison:
    """Run or resume the worlds' joint calibration in ``out``.

    Raises:
        ConfigError: a bad calibration file, option or output folder, or files whose calibrate
            moments differ.
    """
    worlds = worlds_of(paths, options)
    targets = worlds[0].simulator.moments
    first = worlds[0].settings
    identity = {w.name: outputs.fingerprint(w.spec, w.settings, targets, None) for w in worlds}
    outputs.check_folder(out, identity)
    noise = outputs.noise_once(out, identity, f"in each world over {NOISE_SEED_SETS} further "
                               "seed sets at its prior's centre", lambda: common_noise(worlds))
    kernel = Estimator(worlds[0].spec.fitted(), widened(targets, noise),
                       worlds[0].simulator).kernel
    history = run_shown([w.simulator for w in worlds], [prior(w.spec.fitted()) for w in worlds],
                        kernel, {m.name: m.value for m in targets}, out / outputs.HISTORY,
                        first.population_size, first.generations, first.cores,
                        [f"world {w.name}" for w in worlds])
    table = world_probabilities(history, worlds)
    scores = predictive(history, worlds, widened(targets, noise))
    store.write_text(table.to_csv(index=False), out / WORLDS_TABLE)
    store.write_text(scores.to_csv(index=False), out / PREDICTIVE)
    store.write_text(generations(history, worlds).to_csv(index=False),
                     out / outputs.GENERATIONS)
    posterior = write_world_posteriors(out, history, worlds)
    outputs.write_provenance(out, identity, status="finished", monte_carlo_sd=noise,
                             generations=int(history.n_populations),
                             worlds=json.loads(table.to_json(orient="records")),
                             posterior=json.loads(posterior.to_json(orient="records")))
    return Comparison(table, scores, posterior)
