"""Simulated moments for one set of parameter values: the model function the estimator calls.

Every scenario a moment needs is run once per seed, at the calibration's reduced size, with
the candidate's values over the configuration, and written as a panel
(:func:`experiments.calibration.panel.simulated_panel`); each moment is computed from the
pooled panel of its scenario by its statistic. In a programme's panel the treated are the
households the run enrolled, and the comparison group is the same households in the
business-as-usual run of the same seed: their counterfactual, which is what a lottery's
comparison group estimates. The seeds are the same for every candidate (common random
numbers), so two candidates differ by their parameters, not by their luck. The scenarios of
a seed differ only in their programmes, which start after the burn-in: it is lived once per
seed and each scenario starts from a copy of it (``agents.burn_in``). That luck is
still in every simulated moment; :func:`monte_carlo_sd` measures it at the calibration's size,
and :func:`widened` adds it to the moments' stated uncertainties.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace as with_changes

import numba
import numpy as np
import pandas as pd
from tqdm import tqdm

from agents import EmpowermentModel
from agents.burn_in import BurnedIn
from experiments import console
from experiments.calibration.panel import NO_PROGRAMME, id_span, offered, simulated_panel
from experiments.calibration.spec import Moment, Parameter, Settings
from experiments.calibration.statistics import WidePanel, compute
from experiments.config import load_config
from model.params import BASELINE, Config, replace

NOISE_SEED_SETS = 16
"""Seed sets, other than the calibration's, over which the simulation's noise is measured (a
standard deviation from four was often far too small)."""
NOISE_SEED_OFFSET = 1000


def prefer_fork_safe_threads() -> None:
    """Have numba use its workqueue threading layer, which survives a fork (pyabc's multicore
    sampler forks its workers; numba's OpenMP layer aborts a forked child), unless a layer is
    already running in this process."""
    try:
        numba.threading_layer()
    except ValueError:  # not started yet
        numba.config.THREADING_LAYER = "workqueue"


def base_config(scenario: str, settings: Settings, months: Sequence[int]) -> Config:
    """The validated configuration of ``scenario`` at the calibration's size, with household
    snapshots in ``months`` (one thread: the sampler's processes are the parallelism) and no
    diagnosis of the poor in the last one (no moment reads it, and it took a fifth of a
    candidate's processor time)."""
    return load_config([f"scenario={scenario}", f"months={settings.months}",
                        f"population.households={settings.households}", "threads=1",
                        "diagnosis.horizon_months=0",
                        f"outputs.snapshot_months=[{','.join(map(str, months))}]",
                        *settings.overrides])


def burned_in(config: Config, seed: int, parameters: Mapping[str, float]) -> BurnedIn:
    """The world of ``config`` with ``parameters`` over it after the burn-in, which every
    scenario of the seed shares (the programmes start after it)."""
    return BurnedIn.of(EmpowermentModel(replace(config, seed=seed, **parameters)))


def run(config: Config, seed: int, parameters: Mapping[str, float],
        start: BurnedIn | None = None) -> dict[int, pd.DataFrame]:
    """The household snapshots of one run of ``config`` with ``parameters`` over it, from the
    burned-in world ``start`` if one is given."""
    return EmpowermentModel(replace(config, seed=seed, **parameters), start=start).run().snapshots


class Simulator:
    """Callable from parameter values (config key -> value) to moment values (name -> value).

    The base configuration of each scenario is composed and validated when the simulator is
    made, so a bad override is refused before the first simulation.
    """

    def __init__(self, moments: Sequence[Moment], settings: Settings) -> None:
        prefer_fork_safe_threads()
        self.moments = tuple(moments)
        self.seeds = settings.seeds
        self.households = settings.households
        months = sorted({0, *(m.month for m in self.moments)})
        self.bases = {scenario: base_config(scenario, settings, months)
                      for scenario in sorted({BASELINE, *(m.scenario for m in self.moments)})}

    def panels(self, parameters: Mapping[str, float]) -> dict[str, pd.DataFrame]:
        """The pooled panel of every scenario the moments need (every run's households under
        ids of their own: a run has more rows than ``households`` once entrants join)."""
        pooled: dict[str, list[pd.DataFrame]] = {s: [] for s in self.bases}
        first_id = 0

        def add(scenario: str, snapshots: dict[int, pd.DataFrame], rows: np.ndarray,
                programme: str) -> None:
            nonlocal first_id
            pooled[scenario].append(simulated_panel(snapshots, rows, programme, first_id))
            first_id += id_span(snapshots)

        for seed in self.seeds:
            start = burned_in(self.bases[BASELINE], seed, parameters)
            usual = run(self.bases[BASELINE], seed, parameters, start)
            add(BASELINE, usual, np.arange(id_span(usual)), NO_PROGRAMME)
            for scenario in sorted(self.bases.keys() - {BASELINE}):
                snapshots = run(self.bases[scenario], seed, parameters, start)
                treated = offered(snapshots)
                add(scenario, snapshots, treated, scenario)
                add(scenario, usual, treated, NO_PROGRAMME)
        return {s: pd.concat(frames, ignore_index=True) for s, frames in pooled.items()}

    def __call__(self, parameters: Mapping[str, float]) -> dict[str, float]:
        """The simulated value of every moment for these parameter values."""
        values = {key: float(value) for key, value in parameters.items()}
        wide = {s: WidePanel.of(frame) for s, frame in self.panels(values).items()}
        return {m.name: compute(wide[m.scenario], m.statistic, m.month, m.group)
                for m in self.moments}


def monte_carlo_sd(moments: Sequence[Moment], settings: Settings,
                   parameters: Mapping[str, float],
                   done: Callable[[], object] = lambda: None) -> dict[str, float]:
    """Each moment's standard deviation over ``NOISE_SEED_SETS`` seed sets other than the
    calibration's, at ``parameters`` and the calibration's size: the simulation's own noise.
    ``done`` is called as each seed set's candidate is simulated."""
    runs = []
    for r in range(NOISE_SEED_SETS):
        runs.append(Simulator(moments, with_changes(settings, seeds=tuple(
            s + NOISE_SEED_OFFSET * (r + 1) for s in settings.seeds)))(parameters))
        done()
    return {m.name: float(np.nanstd([values[m.name] for values in runs], ddof=1))
            for m in moments}


def noise_bar(points: int) -> tqdm:
    """A bar over the candidates of the noise measurement at ``points`` parameter sets
    (``NOISE_SEED_SETS`` each), drawn on a terminal only."""
    return tqdm(total=points * NOISE_SEED_SETS, desc="noise", unit="candidate",
                disable=not console.bars_shown())


def box_points(parameters: Sequence[Parameter]) -> dict[str, dict[str, float]]:
    """The prior box's centre and four corners, by name: the two ends of its main diagonal
    (every parameter low, every one high) and of a cross diagonal (the first half of the
    parameters low and the rest high, and the reverse)."""
    half = len(parameters) // 2

    def corner(low: set[int]) -> dict[str, float]:
        return {p.key: p.low if k in low else p.high for k, p in enumerate(parameters)}

    every, first = set(range(len(parameters))), set(range(half))
    return {"centre": {p.key: (p.low + p.high) / 2 for p in parameters},
            "all low": corner(every), "all high": corner(set()),
            "first low": corner(first), "first high": corner(every - first)}


def noise_over_box(moments: Sequence[Moment], settings: Settings,
                   parameters: Sequence[Parameter]) -> dict[str, dict[str, float]]:
    """Each moment's noise sd (:func:`monte_carlo_sd`) at every point of :func:`box_points`;
    on a terminal a bar counts the candidates simulated."""
    points = box_points(parameters)
    with noise_bar(len(points)) as bar:
        return {name: monte_carlo_sd(moments, settings, values, bar.update)
                for name, values in points.items()}


def noise_bound(moments: Sequence[Moment], settings: Settings,
                parameters: Sequence[Parameter]) -> dict[str, float]:
    """Each moment's largest noise sd over the prior box's centre and corners: a conservative
    bound, as the noise varies over the box (by a factor of two to four in the default file)."""
    over_box = noise_over_box(moments, settings, parameters)
    return {m.name: max(sd[m.name] for sd in over_box.values()) for m in moments}


def widened(moments: Sequence[Moment], noise_sd: Mapping[str, float],
            ) -> tuple[Moment, ...]:
    """The moments with ``noise_sd`` added to their uncertainty (as independent errors)."""
    return tuple(with_changes(m, uncertainty=float(np.hypot(m.uncertainty, noise_sd[m.name])))
                 for m in moments)
