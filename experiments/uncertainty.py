"""Parameter sets drawn from a calibration's posterior, one per replication.

A calibration writes ``posterior.csv`` (docs/calibration.md): the last generation's
particles, one column per estimated config key, and their ``weight``. Draw ``k`` is a weighted
resample of one particle, made by a random stream keyed by ``k`` alone (not by the run's
seed, nor shared with the simulation's streams), so the same ``k`` gives the same values in
every scenario, on every machine. A run with ``uncertainty.posterior`` set takes draw
``uncertainty.draw`` (the run's seed if -1): its config holds the drawn values and the
posterior's hash, so its id differs from a run with fixed parameters.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from experiments import store
from experiments.calibration.spec import NOT_ESTIMABLE
from model.params import Config, ConfigError, describe, replace

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "calibration" / "default"
"""The shipped calibration's folder (``empowernet calibrate`` with configs/calibration/
default.yaml), committed: the model's defaults of the estimated keys are its posterior medians
(``experiments.calibration.ship``), and the studies take its posterior when it exists."""
NONE = "none"
"""The ``--posterior`` value for fixed parameters."""
POSTERIOR = "posterior.csv"
"""A calibration's posterior file in its folder."""
WEIGHT = "weight"
"""The column of the particles' weights."""
DRAW_STREAM = 0x706F7374
"""Keys the random stream of the draws (with the draw's number): apart from every other."""


@dataclass(frozen=True)
class Posterior:
    """The particles of a posterior (one column per config key) and their weights."""

    path: Path
    sha256: str
    particles: pd.DataFrame
    weights: np.ndarray

    def draw(self, k: int) -> dict[str, float]:
        """The parameter values of draw ``k``: one particle, chosen with probability
        proportional to its weight by a stream keyed by ``k``."""
        u = np.random.default_rng([DRAW_STREAM, k]).random()
        row = int(np.searchsorted(np.cumsum(self.weights), u, side="right"))
        row = min(row, len(self.weights) - 1)  # u can meet a cumulative sum short of 1
        return {key: float(v) for key, v in self.particles.iloc[row].items()}


def posterior_file(path: str | Path) -> Path:
    """The posterior file of ``path``: the file itself, or a calibration folder's
    ``posterior.csv``."""
    path = Path(path)
    return path / POSTERIOR if path.is_dir() else path


def shipped() -> str:
    """The shipped calibration's folder if it holds a posterior, else '' (fixed parameters:
    the value of ``uncertainty.posterior``)."""
    return str(SHIPPED) if (SHIPPED / POSTERIOR).is_file() else ""


def posterior_override(choice: str) -> str:
    """The Hydra override for a ``--posterior`` choice: a posterior's path, or ``NONE``."""
    if choice == NONE:
        return "uncertainty.posterior=''"
    return "uncertainty.posterior='" + choice.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _refuse(path: Path, what: str) -> ConfigError:
    return ConfigError(f"the posterior {path} (uncertainty.posterior) {what}. A posterior is "
                       f"a calibration's {POSTERIOR}: one column per estimated config key and "
                       f"a column '{WEIGHT}' (docs/calibration.md).")


def _check_column(path: Path, key: str, keys: dict[str, object]) -> None:
    if key not in keys:
        raise _refuse(path, f"has a column '{key}' that is not a config key")
    if key.startswith(NOT_ESTIMABLE) or key in NOT_ESTIMABLE:
        raise _refuse(path, f"has a column '{key}', which is a programme input or a run "
                            "setting, not a parameter of the world; it cannot be drawn")
    if isinstance(keys[key], bool) or not isinstance(keys[key], float):
        raise _refuse(path, f"has a column '{key}', which is not a real-valued parameter")


def read_posterior(path: str | Path) -> Posterior:
    """The posterior at ``path`` (a calibration folder or its ``posterior.csv``), checked.

    Raises:
        ConfigError: the file is missing or unreadable, has no weights or no particles, a
            column is not a real-valued parameter of the world (programme inputs and run
            settings are refused), or a value is not a finite number.
    """
    file = posterior_file(path).resolve()
    try:
        stat = file.stat()
    except OSError:
        raise _refuse(posterior_file(path), "does not exist") from None
    return _read(file, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _read(file: Path, mtime: int, size: int) -> Posterior:
    """The checked posterior of ``file``; ``mtime`` and ``size`` only key the cache."""
    data = file.read_bytes()
    try:
        table = pd.read_csv(file)
    except (ValueError, OSError) as err:
        raise _refuse(file, f"cannot be read as CSV ({store.reason_words(err)})") from None
    if WEIGHT not in table.columns:
        raise _refuse(file, f"has no column '{WEIGHT}'")
    keys = {row["key"]: row["default"] for row in describe()}
    parameters = [c for c in table.columns if c != WEIGHT]
    if not parameters or table.empty:
        raise _refuse(file, "holds no parameter or no particle")
    for key in parameters:
        _check_column(file, key, keys)
    numbers = table.apply(pd.to_numeric, errors="coerce")
    bad = [c for c in table.columns if not np.isfinite(numbers[c]).all()]
    if bad:
        raise _refuse(file, f"has values in column '{bad[0]}' that are not finite numbers")
    weights = numbers[WEIGHT].to_numpy(dtype=float)
    if (weights < 0).any() or weights.sum() <= 0:
        raise _refuse(file, f"has weights (column '{WEIGHT}') that are negative or sum to 0")
    return Posterior(file, hashlib.sha256(data).hexdigest(),
                     numbers[parameters].reset_index(drop=True), weights / weights.sum())


def draw_number(seed: int, draw: int) -> int:
    """The posterior draw a run with ``seed`` and ``uncertainty.draw`` = ``draw`` takes:
    ``draw``, or the seed if ``draw`` is -1."""
    return seed if draw < 0 else draw


def parameter_draw(path: str | Path, k: int) -> dict[str, float]:
    """Draw ``k`` of the posterior at ``path``, as config key: value (for callers that set
    parameters themselves; a run with ``uncertainty.posterior`` set draws its own)."""
    return read_posterior(path).draw(k)


def with_draw(config: Config) -> Config:
    """``config`` with its posterior draw applied: the drawn values replace the posterior's
    keys, and the posterior's hash is recorded; unchanged without a posterior.

    Raises:
        ConfigError: the posterior is refused (``read_posterior``) or a drawn value is
            outside its key's allowed range.
    """
    if not config.uncertainty.posterior:
        return config
    posterior = read_posterior(config.uncertainty.posterior)
    k = draw_number(config.seed, config.uncertainty.draw)
    try:
        return replace(config, **posterior.draw(k),
                       **{"uncertainty.posterior_sha256": posterior.sha256})
    except ConfigError as err:
        raise _refuse(posterior.path, f"gives, in draw {k}, a value that is not allowed: "
                                      f"{str(err).rstrip('.')}") from None


def reseeded(config: Config, seed: int) -> Config:
    """``config`` run with ``seed``, with the posterior draw that seed takes."""
    return with_draw(replace(config, seed=seed))


def replication(values: dict) -> dict[str, object]:
    """What a stored run's config (plain values) says of its replication: the posterior draw
    it took (-1 with fixed parameters) and the posterior's hash ('' if none)."""
    uncertainty = values.get("uncertainty") or {}
    if not uncertainty.get("posterior"):
        return {"draw": -1, "posterior_sha256": ""}
    return {"draw": draw_number(int(values["seed"]), int(uncertainty.get("draw", -1))),
            "posterior_sha256": uncertainty.get("posterior_sha256", "")}

