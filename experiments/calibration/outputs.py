"""A calibration's folder: provenance, pyabc's history, the posterior and its summary.

``calibration.json`` records what the calibration is (its *fingerprint*: file hash, settings,
moments, parameters, panel hash) with the code revision and package versions; a folder is
resumed only by a calibration with the same fingerprint. After each run the posterior of the
last generation (``posterior.csv``: particles and weights, with independent prior draws for the
parameters no calibrate moment reads), its summary
(``posterior_summary.csv``) and the generations' diagnostics (``generations.csv``) are written.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyabc
from pyabc.weighted_statistics import effective_sample_size, weighted_quantile

from experiments import console, store
from experiments.calibration.spec import CalibrationSpec, Moment, Parameter, Settings
from experiments.uncertainty import POSTERIOR
from model.params import ConfigError

PROVENANCE = "calibration.json"
HISTORY = "history.db"
SUMMARY = "posterior_summary.csv"
GENERATIONS = "generations.csv"
INTERVAL = (0.05, 0.95)
FEW_PARTICLES = 20
"""Below this effective sample size a posterior's 90 % intervals rest on too few particles to
state its uncertainty (one particle has none at all)."""
"""The posterior interval reported: central 90 %."""
PRIOR_POINTS = 100_000
"""Quantiles a prior is summarised over."""


def fingerprint(spec: CalibrationSpec, settings: Settings, targets: tuple[Moment, ...],
                panel_digest: str | None) -> dict[str, Any]:
    """What makes two calibrations the same (the number of generations and cores aside)."""
    fixed = {k: v for k, v in asdict(settings).items() if k not in ("generations", "cores")}
    return {"calibration_file": spec.path.name, "file_sha256": spec.digest,
            "settings": json.loads(json.dumps(fixed)),
            "parameters": [asdict(p) for p in spec.parameters],
            "moments": [asdict(m) for m in targets], "panel_sha256": panel_digest}


def check_folder(folder: Path, identity: dict[str, Any]) -> None:
    """Refuse a folder that holds something other than this calibration.

    Raises:
        ConfigError: the folder holds another calibration, or files that are not a
            calibration's.
    """
    if not folder.exists() or not any(folder.iterdir()):
        return
    try:
        stored = json.loads((folder / PROVENANCE).read_text(encoding="utf-8"))["fingerprint"]
    except (OSError, ValueError, KeyError):
        raise ConfigError(f"--out {folder}: the folder holds files but no calibration; give "
                          "an empty or new folder.") from None
    if stored != identity:
        changed = sorted(k for k in identity if stored.get(k) != identity[k])
        raise ConfigError(f"--out {folder}: the folder holds another calibration (it differs "
                          f"in {', '.join(changed)}); give another folder, or delete this one "
                          "to start over.")
    check_history(folder / HISTORY)


def check_history(path: Path) -> None:
    """Refuse a calibration's history that is there but cannot be read (before anything is
    written: a calibration resumes from it).

    Raises:
        store.DamagedError: ``path`` is not an SQLite database of pyabc's populations.
    """
    if not path.exists():
        return
    try:
        # as a file: URI (escaped: a folder named 'a#b' stays one), read only
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            db.execute("SELECT count(*) FROM populations").fetchone()
    except sqlite3.Error as err:
        raise store.damaged(path, err, "It holds the calibration's generations so far. "
                            "Restore it, or delete the folder to start the calibration "
                            "over.") from None


def recorded_noise(folder: Path) -> dict[str, float] | None:
    """The simulations' noise a calibration in ``folder`` measured before it was stopped
    (None if it had not): a resumed calibration reuses it instead of measuring it again."""
    try:
        record = json.loads((folder / PROVENANCE).read_text(encoding="utf-8"))
    except OSError:
        return None
    return record.get("monte_carlo_sd")


def noise_once(folder: Path, identity: dict[str, Any], where: str,
               measure: Callable[[], dict[str, float]]) -> dict[str, float]:
    """The simulations' noise of the calibration in ``folder``: the noise it recorded before it
    was stopped, or else measured now by ``measure`` (the line before says ``where``); then
    recorded, with the calibration marked as running."""
    noise = recorded_noise(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if noise is None:
        write_provenance(folder, identity, status="running")
        console.say(f"measuring the simulations' own noise {where}", err=True)
        noise = measure()
    write_provenance(folder, identity, status="running", monte_carlo_sd=noise)
    return noise


def write_provenance(folder: Path, identity: dict[str, Any], **fields: Any) -> None:
    """Write ``calibration.json``: fingerprint, code revision, versions and ``fields``."""
    record = {"fingerprint": identity, "code_revision": store.code_revision(),
              "packages": {**store.package_versions(), "pyabc": metadata.version("pyabc")},
              "written": datetime.now(UTC).isoformat(timespec="seconds"), **fields}
    store.write_text(json.dumps(record, indent=2), folder / PROVENANCE)


def generations(history: pyabc.History) -> pd.DataFrame:
    """Per generation: temperature (1 in the last: the exact posterior), simulations,
    acceptance rate and effective sample size."""
    rows = []
    populations = history.get_all_populations()
    for row in populations[populations["t"] >= 0].itertuples():
        _, weights = history.get_distribution(m=0, t=int(row.t))
        rows.append({"generation": int(row.t), "temperature": float(row.epsilon),
                     "simulations": int(row.samples), "particles": int(row.particles),
                     "acceptance": row.particles / row.samples,
                     "ess": float(effective_sample_size(np.asarray(weights)))})
    return pd.DataFrame(rows)


def too_few_particles(folder: Path) -> str:
    """A warning when the last generation of the calibration in ``folder`` has an effective
    sample size below :data:`FEW_PARTICLES` ('' otherwise)."""
    ess = float(pd.read_csv(folder / GENERATIONS)["ess"].iloc[-1])
    if ess >= FEW_PARTICLES:
        return ""
    return (f"warning: the posterior's effective sample size is {ess:.3g} particles, below "
            f"{FEW_PARTICLES}: its sd and 90 % intervals understate the parameters' "
            "uncertainty, and so do the intervals of runs that draw from it "
            "(uncertainty.posterior=); calibrate with a larger --population-size before "
            "using it.")


def summary(particles: pd.DataFrame, weights: np.ndarray,
            parameters: Sequence[Parameter]) -> pd.DataFrame:
    """Per parameter: prior, posterior mean, sd, median and 90 % interval; a parameter left
    to its prior (``fit: false``) is summarised by its prior exactly, not by its draws."""
    rows = []
    for p in parameters:
        if p.fit:
            x, w = particles[p.key].to_numpy(float), weights
        else:  # the prior at its midpoint quantiles: as good as exact
            x = p.quantile((np.arange(PRIOR_POINTS) + 0.5) / PRIOR_POINTS)
            w = np.full(PRIOR_POINTS, 1.0 / PRIOR_POINTS)
        mean = float(np.sum(w * x))
        low, median, high = (float(weighted_quantile(x, w, alpha=a))
                             for a in (INTERVAL[0], 0.5, INTERVAL[1]))
        rows.append({"parameter": p.key, "prior": p.prior, "prior_low": p.low,
                     "prior_high": p.high, "mean": mean,
                     "sd": float(np.sqrt(np.sum(w * (x - mean) ** 2))),
                     "median": median, "q05": low, "q95": high})
    return pd.DataFrame(rows)


def with_prior_draws(particles: pd.DataFrame, prior_only: Sequence[Parameter]) -> pd.DataFrame:
    """``particles`` with a column of independent prior draws for each parameter no calibrate
    moment reads (seeded by its name, so a rerun writes the same draws)."""
    draws = {}
    for p in prior_only:
        seed = int.from_bytes(hashlib.sha256(p.key.encode()).digest()[:8], "little")
        draws[p.key] = p.draw(np.random.default_rng(seed), len(particles))
    return particles.assign(**draws)


def write_posterior(folder: Path, history: pyabc.History, spec: CalibrationSpec,
                    ) -> pd.DataFrame:
    """Write the last generation's particles, their summary and the generations' table;
    returns the summary."""
    particles, weights = history.get_distribution(m=0, t=history.max_t)
    weights = np.asarray(weights, dtype=float)
    particles = with_prior_draws(particles.reset_index(drop=True), spec.prior_only())
    table = particles.assign(weight=weights)
    store.write_text(table.to_csv(index=False), folder / POSTERIOR)
    described = summary(particles, weights, spec.parameters)
    store.write_text(described.to_csv(index=False), folder / SUMMARY)
    store.write_text(generations(history).to_csv(index=False), folder / GENERATIONS)
    return described
