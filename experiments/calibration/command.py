"""``empowernet calibrate``: check everything, then run (or resume) ABC-SMC and write the
posterior with its provenance.

Every check (the calibration file, the panel, the options, each scenario's configuration at the
corners of the prior, the output folder) happens before the first simulation, so a bad input
leaves nothing behind.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.linalg import block_diag

from experiments.calibration import outputs
from experiments.calibration import spec as spec_io
from experiments.calibration.estimator import Estimator
from experiments.calibration.panel_moments import panel_moments
from experiments.calibration.simulate import (
    NOISE_SEED_SETS,
    Simulator,
    noise_bound,
    widened,
)
from model import params
from model.params import ConfigError


@dataclass(frozen=True)
class Options:
    """What the command line may change over the calibration file's settings (None: keep)."""

    households: int | None = None
    months: int | None = None
    seeds: int | None = None
    population_size: int | None = None
    generations: int | None = None
    cores: int | None = None


def settings_of(spec: spec_io.CalibrationSpec, options: Options,
                targets: tuple[spec_io.Moment, ...]) -> spec_io.Settings:
    """The file's settings with the options over them; the horizon reaches the latest target.

    Raises:
        ConfigError: ``--months`` ends before a target's month.
    """
    given = {k: v for k, v in vars(options).items() if v is not None and k != "seeds"}
    settings = replace(spec.settings, **given)
    if options.seeds is not None:
        settings = replace(settings, seeds=tuple(range(1, options.seeds + 1)))
    latest = max(m.month for m in targets)
    if options.months is not None and options.months < latest:
        raise ConfigError(f"--months {options.months}: the moments reach month {latest}; give "
                          f"at least {latest}.")
    return replace(settings, months=max(settings.months, latest))


def check_prior_corners(simulator: Simulator, spec: spec_io.CalibrationSpec) -> None:
    """Build every scenario's configuration at each corner of the fitted parameters' prior box
    and at each end of every other parameter's prior, so that a range the model refuses
    (sigma_max below sigma_min, say) is found before simulating."""
    fitted = spec.fitted()
    points = [dict(zip((p.key for p in fitted), corner, strict=True))
              for corner in itertools.product(*((p.low, p.high) for p in fitted))]
    points += [{p.key: end} for p in spec.prior_only() for end in (p.low, p.high)]
    for values in points:
        for scenario, base in simulator.bases.items():
            try:
                params.replace(base, **values)
            except ConfigError as err:
                raise ConfigError(f"calibration file {spec.path}: at the corner {values} of "
                                  f"the prior, scenario {scenario} is refused: {err}") from None


def check_prior_only(simulator: Simulator, spec: spec_io.CalibrationSpec) -> None:
    """Refuse ``fit: false`` on a parameter a calibrate moment reads: with the fitted
    parameters at their prior's centre, the moments must be the same (common random numbers)
    with every other parameter at the low end of its prior and at the high end.

    Raises:
        ConfigError: naming the file, the parameters and the moments that moved.
    """
    others = spec.prior_only()
    if not others:
        return
    centre = {p.key: (p.low + p.high) / 2 for p in spec.fitted()}
    low = simulator({**centre, **{p.key: p.low for p in others}})
    high = simulator({**centre, **{p.key: p.high for p in others}})
    moved = [f"{name} ({low[name]:.4g} -> {high[name]:.4g})" for name in low
             if not np.isclose(low[name], high[name], equal_nan=True)]
    if moved:
        raise ConfigError(f"calibration file {spec.path}: the parameters with fit: false "
                          f"({', '.join(p.key for p in others)}) move calibrate moments between "
                          f"the ends of their priors: {', '.join(moved)}; a parameter a moment "
                          "reads must be fitted (remove its fit: false).")


def checked_simulator(spec: spec_io.CalibrationSpec, options: Options,
                      targets: tuple[spec_io.Moment, ...]) -> tuple[spec_io.Settings, Simulator]:
    """The runs' settings (the file's, with the command's options over them) and the simulator
    of ``targets``, its configuration checked at every corner of the prior box.

    Raises:
        ConfigError: naming the calibration file, if a run's configuration is refused.
    """
    settings = settings_of(spec, options, targets)
    try:
        simulator = Simulator(targets, settings)
    except ConfigError as err:
        raise ConfigError(f"calibration file {spec.path}, key 'settings' (with the command's "
                          f"options over it): the runs' configuration is refused: {err}"
                          ) from None
    check_prior_corners(simulator, spec)
    check_prior_only(simulator, spec)
    return settings, simulator


def stated_to_widened(correlation: np.ndarray, targets: tuple[spec_io.Moment, ...],
                      noise: dict[str, float]) -> np.ndarray:
    """The targets' error correlation once the simulations' independent noise is added to
    their stated errors (the noise lowers the correlations)."""
    stated = np.array([m.uncertainty for m in targets])
    total = np.hypot(stated, [noise[m.name] for m in targets])
    scale = stated / total
    return correlation * np.outer(scale, scale) + np.diag(1.0 - scale ** 2)


def calibrate(path: Path, out: Path, panel: Path | None, options: Options) -> pd.DataFrame:
    """Run or resume the calibration of ``path`` in ``out``; returns the posterior summary.

    Raises:
        ConfigError: a bad calibration file, option or output folder.
        PanelError: a bad panel.
    """
    spec = spec_io.read(path)
    targets, digest = spec.calibration_moments(), None
    correlation = np.eye(len(targets))
    if panel is not None:
        measured = panel_moments(panel)
        targets += measured.moments
        correlation, digest = block_diag(correlation, measured.correlation), measured.digest
    if not targets:
        raise ConfigError(f"calibration file {path}, key 'moments': no moment has use: "
                          "calibrate and no --panel is given; the estimator needs at least "
                          "one moment to fit.")
    settings, simulator = checked_simulator(spec, options, targets)
    identity = outputs.fingerprint(spec, settings, targets, digest)
    outputs.check_folder(out, identity)
    noise = outputs.noise_once(out, identity, f"over {NOISE_SEED_SETS} further seed sets at "
                               "the prior's centre and four corners (the largest is used)",
                               lambda: noise_bound(targets, settings, spec.fitted()))
    estimator = Estimator(spec.fitted(), widened(targets, noise), simulator,
                          stated_to_widened(correlation, targets, noise))
    history = estimator.run(out / outputs.HISTORY, settings.population_size,
                            settings.generations, settings.cores)
    described = outputs.write_posterior(out, history, spec)
    outputs.write_provenance(out, identity, status="finished", monte_carlo_sd=noise,
                             generations=int(history.n_populations),
                             posterior=described.to_dict(orient="records"))
    return described
