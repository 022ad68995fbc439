"""The ``calibrate`` subcommand's options and handler (its entry in ``experiments.cli``).

The estimator and pyabc are imported only when the command runs, so other commands start as
fast as before.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from experiments import console
from experiments.arguments import existing_file, own_folder, positive_int
from experiments.config import CONFIG_DIR
from model.params import ConfigError

if TYPE_CHECKING:
    from experiments.calibration.command import Options

CALIBRATION_DIR = CONFIG_DIR / "calibration"
DEFAULT_WORLD = "default"
"""The poverty-trap model, whose calibration file is the default one."""
DEFAULT_FILE = CALIBRATION_DIR / f"{DEFAULT_WORLD}.yaml"


def calibrated_worlds() -> list[str]:
    """The worlds that have a calibration file: the default model and each null model of
    ``configs/null/`` with a ``configs/calibration/<name>.yaml``."""
    models = [DEFAULT_WORLD, *(p.stem for p in (CONFIG_DIR / "null").glob("*.yaml"))]
    return sorted(m for m in models if (CALIBRATION_DIR / f"{m}.yaml").exists())


def calibration_file(file: str | None, world: str | None) -> Path:
    """The calibration file given, or the world's (default: the default file).

    Raises:
        ConfigError: both a file and a world are given.
    """
    if file is not None and world is not None:
        raise ConfigError(f"calibrate: give a calibration file ({file}) or --world {world}, "
                          "not both; a world's file is configs/calibration/<world>.yaml.")
    return Path(file) if file is not None else CALIBRATION_DIR / f"{world or DEFAULT_WORLD}.yaml"


def calibrate_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``calibrate``; those left out keep the calibration file's settings."""
    p.add_argument("file", nargs="?", type=existing_file,
                   help="calibration file: parameters, priors and moments (YAML) "
                   "(default: configs/calibration/default.yaml)")
    p.add_argument("--world", choices=calibrated_worlds(),
                   help="calibrate this world's file, configs/calibration/WORLD.yaml, instead of "
                   "FILE (docs/calibration.md, Two worlds) (default: none, FILE)")
    p.add_argument("--panel", type=existing_file,
                   help="the committee's follow-up panel (docs/calibration.md); its moments "
                   "are added to the calibrate moments (default: none)")
    p.add_argument("--out", type=own_folder, help="folder of the calibration (default: "
                   "outputs/calibration/<file name>); a stopped run there resumes")
    sizing_arguments(p)


def sizing_arguments(p: argparse.ArgumentParser) -> None:
    """The options over a calibration file's settings (left out: the file's)."""
    from_file = "(default: the calibration file's settings)"
    p.add_argument("--households", type=positive_int,
                   help=f"households per run (count) {from_file}")
    p.add_argument("--months", type=positive_int, help=f"months per run (months) {from_file}")
    p.add_argument("--seeds", type=positive_int,
                   help=f"runs per scenario and candidate, seeds 1..N (count) {from_file}")
    p.add_argument("--population-size", type=positive_int,
                   help=f"particles per generation (count) {from_file}")
    p.add_argument("--generations", type=positive_int,
                   help=f"ABC-SMC generations in all (count) {from_file}")
    p.add_argument("--cores", type=positive_int,
                   help=f"processes that simulate (count) {from_file}")


def calibrate_command(args: argparse.Namespace) -> int:
    """``empowernet calibrate``: run or resume ABC-SMC; print the posterior summary."""
    from experiments.calibration.command import calibrate
    from experiments.calibration.outputs import too_few_particles

    file = calibration_file(args.file, args.world)
    out = Path(args.out or Path("outputs") / "calibration" / file.stem)
    summary = calibrate(file, out, args.panel and Path(args.panel), options_of(args))
    console.say(summary.to_string(index=False))
    console.say(f"posterior written to {out.resolve()} (posterior.csv, posterior_summary.csv, "
                "generations.csv, calibration.json; history.db resumes the run)")
    if warning := too_few_particles(out):
        console.say(warning, err=True)
    return 0


def options_of(args: argparse.Namespace) -> Options:
    """The sizing options given on the command line."""
    from experiments.calibration.command import Options

    return Options(args.households, args.months, args.seeds, args.population_size,
                   args.generations, args.cores)
