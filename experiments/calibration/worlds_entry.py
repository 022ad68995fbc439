"""The ``worlds`` subcommand: the trap world and another calibrated together (Bayes factor,
predictive scores), then the main policies ranked under each world's posterior medians."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments import console
from experiments.arguments import own_folder, positive_int
from experiments.calibration.entry import (
    CALIBRATION_DIR,
    DEFAULT_WORLD,
    calibrated_worlds,
    options_of,
    sizing_arguments,
)
from model.params import ConfigError

DEFAULT_OUT = Path("outputs") / "worlds"


def worlds_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``worlds``."""
    from experiments.analysis.two_worlds import Size

    size = Size()
    p.add_argument("--world", default="no_trap",
                   choices=[w for w in calibrated_worlds() if w != DEFAULT_WORLD],
                   help="the world compared with the trap model (default), calibrated to the "
                   "same moments by configs/calibration/WORLD.yaml")
    p.add_argument("--out", type=own_folder, default=str(DEFAULT_OUT),
                   help="folder of the joint calibration and the ranking; a stopped "
                   "calibration there resumes")
    sizing_arguments(p)
    p.add_argument("--rank-households", type=positive_int, default=size.households,
                   help="households per ranking run (count)")
    p.add_argument("--rank-months", type=positive_int, default=size.months,
                   help="months per ranking run (months)")
    p.add_argument("--rank-seeds", type=positive_int, default=size.seeds,
                   help="ranking runs per policy and world, seeds 1..N, seed k with posterior "
                   "draw k (count)")
    p.add_argument("--map-draws", type=positive_int, default=10,
                   help="posterior draws per world whose asset map is measured (count)")
    p.add_argument("--top", type=positive_int, default=1,
                   help="a policy is robust if ranked at most this in every world (a whole number)")


def worlds_command(args: argparse.Namespace) -> int:
    """``empowernet worlds``: calibrate both worlds together, rank the policies in both
    under their posterior draws."""
    from experiments.analysis import two_worlds
    from experiments.calibration.worlds import compare_worlds

    size = two_worlds.Size(args.rank_households, args.rank_months, args.rank_seeds)
    if size.months <= two_worlds.MAP_MONTHS:
        raise ConfigError(f"--rank-months {size.months}: the asset map needs more than "
                          f"{two_worlds.MAP_MONTHS} months.")
    out = Path(args.out)
    files = [CALIBRATION_DIR / f"{w}.yaml" for w in (DEFAULT_WORLD, args.world)]
    comparison = compare_worlds(files, out, options_of(args))
    console.say(comparison.worlds.to_string(index=False))
    console.say(comparison.predictive.to_string(index=False))
    worlds = list(dict.fromkeys(comparison.posterior["world"]))
    for world in sorted({DEFAULT_WORLD, args.world} - set(worlds)):
        console.say(f"the {world} world has no particle left: it is not ranked (calibrate it "
                    "alone with empowernet calibrate --world for its posterior)")
    study = two_worlds.study(out, worlds, size, args.top, args.map_draws)
    console.say(f"policies ranked by their fall in the headcount (points), {size.describe()}:")
    console.say(study.ranking.to_string(index=False))
    console.say(study.maps.to_string(index=False))
    console.say(f"the asset map's shape over {args.map_draws} posterior draws per world:")
    console.say(study.drawn_maps.groupby("world")[list(two_worlds.MAP_MEASURES)].describe().T
                .to_string())
    console.say(f"written to {out.resolve()} (worlds.csv, predictive.csv, ranking.csv, "
                "asset_maps.csv, asset_map_predictive.csv, posterior_<world>.csv; history.db "
                "resumes the calibration)")
    return 0
