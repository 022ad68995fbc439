"""The main policies ranked in two worlds: the poverty-trap model and the no-trap one.

Each world runs with parameters drawn from its posterior (a joint calibration,
:mod:`experiments.calibration.worlds`; seed k takes draw k in every scenario,
:mod:`experiments.uncertainty`) at a stated reduced size: business as usual and every main
scenario of the comparison study, paired by seed (common random numbers and the same draw).
A policy's effect is the fall in the headcount (percentage points of households below the poverty
line, mean of the last 12 months) against business as usual of the same seed, at the policy's own
budget. A policy is *robust* where it is in the top ``top`` of the ranking in every world
(Kraay & McKenzie 2014: a policy that wins only if there is a trap bets on the trap). The
business-as-usual runs also give each world's long-run asset map, the observation that would
tell the worlds apart, and :func:`map_predictive` its posterior predictive over parameter
draws.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from tqdm import tqdm

from agents import EmpowermentModel
from experiments import console, store
from experiments.analysis.asset_map import MAP_MONTHS
from experiments.analysis.validation_measures import (
    AssetMap,
    stable_points_apart,
    unstable_point_over_threshold,
    valley_between_modes,
)
from experiments.config import CONFIG_DIR, load_config
from experiments.null_models import world_overrides
from experiments.uncertainty import parameter_draw, posterior_override, reseeded
from model.params import BASELINE, Config

MAP_MEASURES = {"unstable_point_over_threshold": unstable_point_over_threshold,
                "stable_points_apart": stable_points_apart,
                "valley_between_modes": valley_between_modes}
"""The asset map's shape, each a function of the map (``validation_measures``)."""
STUDY = CONFIG_DIR / "experiment" / "main_comparison.yaml"


def main_policies() -> list[str]:
    """The main scenarios of the comparison study (``configs/experiment/main_comparison.yaml``),
    business as usual left out."""
    study = yaml.safe_load(STUDY.read_text(encoding="utf-8"))
    scenarios = study["hydra"]["sweeper"]["params"]["scenario"].split(",")
    return [s.strip() for s in scenarios if s.strip() != BASELINE]


@dataclass(frozen=True)
class Size:
    """The runs' reduced size: households, months, and seeds 1..``seeds``."""

    households: int = 300
    months: int = 120
    seeds: int = 2

    def describe(self) -> str:
        """One line stating the size."""
        return (f"{self.households} households, {self.months} months, seeds 1-{self.seeds}")


def base_config(world: str, scenario: str, size: Size, posterior: Path,
                *overrides: str) -> Config:
    """A scenario's configuration in ``world`` at the ranking's size, its parameters drawn
    from the world's ``posterior`` (draw: the seed, unless an override sets
    ``uncertainty.draw``), with the household snapshots the asset map reads."""
    return load_config([f"scenario={scenario}", f"months={size.months}",
                        f"population.households={size.households}", "threads=1",
                        f"outputs.snapshot_months=[{size.months - MAP_MONTHS}]",
                        posterior_override(str(posterior)), *world_overrides(world),
                        *overrides])


def map_measures(snapshots: dict[int, pd.DataFrame], config: Config) -> dict[str, float]:
    """The shape of a business-as-usual run's long-run asset map: its unstable fixed point
    nearest k* (over k*; NaN if none), its stable points' distance apart (over k*) and the
    valley between the modes of the asset distribution."""
    amap = AssetMap.of_snapshots(snapshots, config)
    return {name: float(measure(amap)) for name, measure in MAP_MEASURES.items()}


Ran = Callable[[str], None]
"""Told of each run as it ends, with a few words naming it (a progress display)."""


def run(config: Config, what: str, ran: Ran) -> EmpowermentModel:
    """Run ``config`` to its end and tell ``ran`` of it as ``what``."""
    model = EmpowermentModel(config).run()
    ran(what)
    return model


@contextmanager
def runs_shown(total: int) -> Iterator[Ran]:
    """A :data:`Ran` for ``total`` runs: a bar of the runs done on a terminal
    (``console.bars_shown``), and a line for each run at the verbose level."""
    with tqdm(total=total, desc="ranking", unit="run", disable=not console.bars_shown()) as bar:
        def ran(what: str) -> None:
            bar.update()
            console.say(f"ran {what}", at=console.VERBOSE, err=True)

        yield ran


def map_predictive(world: str, posterior: Path, draws: int, size: Size,
                   ran: Ran) -> pd.DataFrame:
    """The posterior predictive of the asset map's shape: posterior draws 1..``draws`` of the
    world (``experiments.uncertainty``), each run once (seed 1) under business as usual, each
    run told to ``ran``."""
    measures = []
    for k in range(1, draws + 1):
        config = base_config(world, BASELINE, size, posterior, "seed=1", f"uncertainty.draw={k}")
        model = run(config, f"{world} world, {BASELINE}, posterior draw {k}", ran)
        measures.append({"world": world, "draw": k, **parameter_draw(posterior, k),
                         **map_measures(model.snapshots, config)})
    return pd.DataFrame(measures)


def world_runs(world: str, posterior: Path, policies: Sequence[str], size: Size,
               ran: Ran) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One world's policy effects (world, policy, seed, effect in points, cost per household
    in z) and its business-as-usual asset map measures per seed; seed k runs with posterior
    draw k in every scenario, so policies stay paired. Each run is told to ``ran``."""
    effects, maps = [], []
    for seed in range(1, size.seeds + 1):
        runs = {}
        for scenario in (BASELINE, *policies):
            config = reseeded(base_config(world, scenario, size, posterior), seed)
            runs[scenario] = run(config, f"{world} world, {scenario}, seed {seed}", ran)
        usual = runs[BASELINE].results()
        maps.append({"world": world, "seed": seed,
                     **map_measures(runs[BASELINE].snapshots, config)})
        for policy in policies:
            results = runs[policy].results()
            effects.append({"world": world, "policy": policy, "seed": seed,
                            "effect": 100.0 * (last_year(usual) - last_year(results)),
                            "cost_per_household": results["spending_programmes_cumulative"]
                            .iloc[-1] / results["households_active"].iloc[0]})
    return pd.DataFrame(effects), pd.DataFrame(maps)


def rank_worlds(posteriors: Mapping[str, Path], policies: Sequence[str], size: Size,
                ran: Ran) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every world's effects of ``policies`` and asset map measures (see :func:`world_runs`)
    under draws of its posterior (world -> posterior file)."""
    runs = [world_runs(world, path, policies, size, ran) for world, path in posteriors.items()]
    return (pd.concat([r[0] for r in runs], ignore_index=True),
            pd.concat([r[1] for r in runs], ignore_index=True))


def last_year(results: pd.DataFrame) -> float:
    """Mean headcount (share) over a run's last 12 months."""
    return float(results["headcount"].iloc[-MAP_MONTHS:].mean())


def ranking(effects: pd.DataFrame, top: int = 1) -> pd.DataFrame:
    """Per policy: cost, mean effect and rank (1: largest effect) in each world, and whether
    it is robust (rank at most ``top`` in every world). ``effects`` has the columns world,
    policy, effect and cost_per_household, one row per seed."""
    means = effects.groupby(["world", "policy"], sort=False)[["effect", "cost_per_household"]] \
        .mean().reset_index()
    worlds = list(dict.fromkeys(means["world"]))
    table = pd.DataFrame({"policy": list(dict.fromkeys(means["policy"]))})
    for world in worlds:
        own = means[means["world"] == world].set_index("policy")
        table[f"cost_{world}"] = table["policy"].map(own["cost_per_household"])
        table[f"effect_{world}"] = table["policy"].map(own["effect"])
        table[f"rank_{world}"] = table[f"effect_{world}"].rank(ascending=False,
                                                               method="min").astype(int)
    table["robust"] = np.all([table[f"rank_{w}"] <= top for w in worlds], axis=0)
    return table.sort_values(f"rank_{worlds[0]}", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Study:
    """The ranking, the policies' effects per seed, the asset map at the posterior medians
    per seed, and the asset map over posterior draws."""

    ranking: pd.DataFrame
    effects: pd.DataFrame
    maps: pd.DataFrame
    drawn_maps: pd.DataFrame


def study(folder: Path, worlds: Sequence[str], size: Size, top: int, draws: int) -> Study:
    """Rank the policies in each world and measure its asset maps, under draws of the world's
    posterior (``posterior_<world>.csv`` in ``folder``); the tables are written there
    (``ranking.csv``, ``policy_effects.csv``, ``asset_maps.csv``,
    ``asset_map_predictive.csv``). It says how many runs it makes and shows them
    (:func:`runs_shown`)."""
    posteriors = {w: folder / f"posterior_{w}.csv" for w in worlds}
    policies = main_policies()
    total = len(worlds) * (size.seeds * (1 + len(policies)) + draws)
    console.say(f"ranking {len(policies)} policies and measuring the asset map in "
                f"{len(worlds)} world(s): {total} runs of {size.households} households over "
                f"{size.months} months", err=True)
    with runs_shown(total) as ran:
        effects, maps = rank_worlds(posteriors, policies, size, ran)
        drawn = pd.concat([map_predictive(w, path, draws, size, ran)
                           for w, path in posteriors.items()], ignore_index=True)
    result = Study(ranking(effects, top), effects, maps, drawn)
    for name, table in (("ranking", result.ranking), ("policy_effects", effects),
                        ("asset_maps", maps), ("asset_map_predictive", drawn)):
        store.write_text(table.to_csv(index=False), folder / f"{name}.csv")
    return result
