"""Sweeps: checking every run before any starts, the sweep index, the progress bar.

A sweep is Hydra's multirun: ``empowernet run -m scenario=a,b seed='range(3)'`` or a committed
study ``empowernet run -m +experiment=NAME``. Each run writes its own folder through
``evaluate.run_point``: a run whose folder already holds a finished manifest with the same
config hash and seed is skipped, so running the same sweep again (same ``hydra.sweep.dir``)
resumes it.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException

from experiments import store
from experiments.config import load_config, sweep_params
from model import roster
from model.params import ConfigError, replace


def expand_sweep(overrides: Sequence[str]) -> list[list[str]]:
    """Every run of a sweep as its list of overrides (command line over experiment file)."""
    cli = [o for o in overrides if not o.startswith(("hydra.", "hydra/"))]
    try:
        parsed = OverridesParser.create().parse_overrides(list(cli))
    except HydraException as err:
        raise ConfigError(f"the sweep overrides {list(cli)} cannot be read: {err}") from None
    fixed = [o.input_line for o in parsed if not o.is_sweep_override()]
    axes: dict[str, list[str]] = {}
    for key, values in sweep_params(fixed).items():
        axes[key] = [f"{key}={v}" for v in values]
    for o in parsed:
        key = o.get_key_element()
        if o.is_sweep_override():
            axes[key] = [f"{key}={v}" for v in o.sweep_string_iterator()]
        else:
            axes[key] = [o.input_line]
    return [list(run) for run in itertools.product(*axes.values())]


def check_sweep(overrides: Sequence[str]) -> int:
    """Compose and validate every run of a sweep; returns how many runs it has.

    Runs that differ only by seed share one composition (a composition costs ~0.3 s); the
    seed itself is then checked against its allowed range.
    """
    runs = expand_sweep(overrides)
    hydra_overrides = [o for o in overrides if o.startswith(("hydra.", "hydra/"))]
    rosters: set[str] = set()
    for run in runs:
        rest = tuple(o for o in run if not o.startswith("seed="))
        seeds = [o.split("=", 1)[1] for o in run if o.startswith("seed=")]
        try:
            config = load_config([*rest, *hydra_overrides])
            for seed in seeds:
                replace(config, seed=int(seed) if seed.lstrip("-").isdigit() else seed)
            if config.population.source == "roster" and \
                    config.population.roster_path not in rosters:
                roster.read(config.population.roster_path, config)
                rosters.add(config.population.roster_path)
        except (ConfigError, roster.RosterError) as err:
            raise ConfigError(f"{err} (in the sweep's run {' '.join(run)})") from None
    return len(runs)


def run_folders(sweep_dir: Path) -> list[Path]:
    """The run folders of a sweep (those with a manifest), in job order."""
    folders = [p.parent for p in sweep_dir.glob(f"*/{store.MANIFEST}")]
    return sorted(folders, key=lambda p: (not p.name.isdigit(), int(p.name) if
                                          p.name.isdigit() else 0, p.name))


def write_index(sweep_dir: Path) -> list[dict[str, Any]]:
    """Write ``index.json``: every run of the sweep with its status, seed and config hash."""
    rows = []
    for folder in run_folders(sweep_dir):
        manifest = store.read_manifest(folder)
        rows.append({"run": folder.name, "status": manifest.get("status"),
                     "label": manifest.get("label"), "seed": manifest.get("seed"),
                     "config_hash": manifest.get("config_hash"),
                     "error": manifest.get("error")})
    store.write_text(json.dumps(rows, indent=2), sweep_dir / "index.json")
    return rows


def done_runs(sweep_dir: Path) -> int:
    """Runs of the sweep with a manifest (finished or failed)."""
    return len(list(sweep_dir.glob(f"*/{store.MANIFEST}")))


def watch(sweep_dir: Path, total: int, stop: threading.Event) -> None:
    """Show runs done out of ``total`` with an ETA until ``stop`` is set."""
    from tqdm import tqdm

    with tqdm(total=total, initial=min(done_runs(sweep_dir), total), desc="runs",
              unit="run") as bar:
        while not stop.wait(0.5):
            bar.update(min(done_runs(sweep_dir), total) - bar.n)
        bar.update(min(done_runs(sweep_dir), total) - bar.n)
