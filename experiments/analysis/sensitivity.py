"""``empowernet sensitivity``: Morris screening or Sobol indices with SALib.

The parameters, their ranges, the scenario and the outcome come from a YAML file
(``configs/sensitivity/default.yaml``). SALib draws the sample; each sample point is a point
of an ``evaluate`` plan, its run stored in the output folder (one folder per distinct point,
named by label, seed and config hash; finished runs reused on a second call; an
``index.json``); SALib then analyses the outcome. The indices with their 95 %
intervals go to ``indices.csv`` and a figure.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import yaml
from matplotlib.figure import Figure
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from experiments import console, store
from experiments.analysis.outcomes import is_outcome
from experiments.analysis.plots import save
from experiments.config import load_config
from experiments.evaluate import Point, evaluate, run_folders, tables_remedy
from model.params import BASELINE, Config, ConfigError, check_setting

METHODS = ("morris", "sobol")
SETTINGS = "sensitivity.yaml"
"""The settings the indices of an output folder were made with: a call with others is
refused."""
INDICES = "indices.csv"
"""The table of the indices, in ``out``."""


DESIGN_KEYS = ("parameters", "scenario", "outcome", "month", "overrides")
"""The keys of a design file (configs/sensitivity/default.yaml)."""


def design_error(path: Path) -> Callable[[str], ConfigError]:
    """The error for a rule the design file ``path`` breaks, naming the file."""
    return lambda rule: ConfigError(f"sensitivity design {path}: {rule} (see "
                                    "configs/sensitivity/default.yaml).")


def is_number(value: object) -> bool:
    """Whether a YAML value is a finite number (true and false are not)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and \
        math.isfinite(value)


@dataclass(frozen=True)
class Design:
    """What to vary and what to measure."""

    names: list[str]
    bounds: list[list[float]]
    scenario: str
    outcome: str
    month: int
    overrides: list[str]

    @classmethod
    def read(cls, path: Path) -> Design:
        """Read and check a design file."""
        try:
            spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as err:
            raise ConfigError(f"sensitivity design {path}: cannot be read "
                              f"({store.reason_words(err)}).") from None
        if not isinstance(spec, dict):
            raise ConfigError(f"sensitivity design {path}: expected a mapping of parameters, "
                              "scenario, outcome, month and overrides, got "
                              f"{store.shown(spec)} (see configs/sensitivity/default.yaml).")
        refuse = design_error(path)
        unknown = sorted(set(spec) - set(DESIGN_KEYS))
        if unknown:
            near = difflib.get_close_matches(str(unknown[0]), DESIGN_KEYS, n=1)
            raise refuse(f"unknown key '{unknown[0]}'" + (f"; did you mean '{near[0]}'?" if near
                                                          else ".") +
                         f" The keys are {', '.join(DESIGN_KEYS)}")
        params = spec.get("parameters") or {}
        if not isinstance(params, dict):
            raise refuse(f"'parameters' must map config keys to [low, high], not "
                         f"{store.shown(params)}")
        for key, bounds in params.items():
            if not (isinstance(bounds, list) and len(bounds) == 2
                    and all(is_number(b) for b in bounds) and bounds[0] < bounds[1]):
                raise refuse(f"parameter '{key}': give [low, high], two numbers with low < "
                             f"high, not {store.shown(bounds)}")
        if not params:
            raise refuse("'parameters' is empty")
        for key, bounds in params.items():
            try:
                kinds = {check_setting(str(key), bound) for bound in bounds}
            except ConfigError as err:
                raise refuse(f"parameter '{key}' [{bounds[0]}, {bounds[1]}]: "
                             f"{str(err).rstrip('.')}") from None
            if kinds != {"float"}:
                raise refuse(f"parameter '{key}' takes {kinds.pop()} values; a design varies "
                             "parameters that take any number in a range")
        outcome, month = spec.get("outcome", "headcount"), spec.get("month", 60)
        overrides = spec.get("overrides", [])
        if not is_outcome(outcome):
            raise refuse(f"outcome {store.shown(outcome)} is not an outcome of the results "
                         "(their columns but 'month': docs/outputs.md)")
        if not (isinstance(month, int) and not isinstance(month, bool) and month >= 1):
            raise refuse(f"month {store.shown(month)} is not a month the runs can end at (a "
                         "whole number, 1 or more)")
        if not (isinstance(overrides, list) and all(isinstance(o, str) for o in overrides)):
            raise refuse(f"'overrides' must be a list of KEY=VALUE texts, not "
                         f"{store.shown(overrides)}")
        scenario = spec.get("scenario", BASELINE)
        if not isinstance(scenario, str):
            raise refuse(f"scenario {store.shown(scenario)} is not one scenario's name (the "
                         "files of configs/scenario/)")
        return cls(list(params), [list(map(float, b)) for b in params.values()], scenario,
                   outcome, month, overrides)

    def problem(self) -> dict[str, Any]:
        """The SALib problem."""
        return {"num_vars": len(self.names), "names": self.names, "bounds": self.bounds}

    def config_of(self, point: np.ndarray, seed: int, extra: list[str]) -> Config:
        """The validated config of one sample point."""
        values = [f"{k}={v!r}" for k, v in zip(self.names, point.tolist(), strict=True)]
        return load_config([f"scenario={self.scenario}", f"months={self.month}",
                            f"seed={seed}", *self.overrides, *extra, *values])


def check_samples(method: str, n: int) -> None:
    """Refuse a sample size the method cannot give intervals from: Morris's sigma and the
    interval of mu_star come from the spread between trajectories, so one trajectory gives a
    sigma of NaN and an interval of width 0 (a false certainty); Sobol's points keep their
    balance only for a power of 2."""
    if method == "morris" and n < 2:
        raise ConfigError(f"--samples {n}: Morris needs at least 2 trajectories (sigma and the "
                          "interval of mu_star are the spread between them); 10 is the "
                          "default. Nothing was run.")
    if method == "sobol" and n & (n - 1):
        lower = 1 << (n.bit_length() - 1)
        raise ConfigError(f"--samples {n}: Sobol's base sample must be a power of 2; give "
                          f"{lower} or {2 * lower}. Nothing was run.")


def sample(design: Design, method: str, n: int, seed: int) -> np.ndarray:
    """SALib's sample matrix (rows: points)."""
    if method == "morris":
        return morris_sample.sample(design.problem(), N=n, num_levels=4, seed=seed)
    return sobol_sample.sample(design.problem(), N=n, calc_second_order=False, seed=seed)


def outcomes(design: Design, points: np.ndarray, out: Path, seed: int, extra: list[str],
             jobs: int = 1, progress: str = "") -> np.ndarray:
    """The outcome at every sample point, its run stored in ``out`` (finished ones reused);
    ``progress`` labels a bar of the runs done ("": none)."""
    plan = [Point(str(i), design.config_of(point, seed, extra))
            for i, point in enumerate(points)]
    short = min(p.config.months for p in plan)
    if short < design.month:
        raise ConfigError(f"the design reads {design.outcome} at month {design.month}, but "
                          f"its runs end at month {short} (a months= override); leave months "
                          "out, or give a design whose month the runs reach. Nothing was run.")
    console.say(f"sensitivity of {len(set(run_folders(plan, out)))} runs in {out} (finished "
                "ones there are reused)", err=True)
    table = evaluate(plan, out, jobs, progress).results()
    at = table[table["month"] == design.month].set_index("point")[design.outcome]
    return at.loc[[p.name for p in plan]].to_numpy(float)


def analyse(design: Design, method: str, points: np.ndarray, y: np.ndarray,
            seed: int) -> pd.DataFrame:
    """Indices per parameter with their 95 % intervals."""
    problem = design.problem()
    if method == "morris":
        res = morris_analyze.analyze(problem, points, y, num_levels=4, seed=seed)
        return pd.DataFrame({"parameter": design.names, "mu_star": res["mu_star"],
                             "mu_star_ci": res["mu_star_conf"], "sigma": res["sigma"]})
    res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
    return pd.DataFrame({"parameter": design.names, "S1": res["S1"], "S1_ci": res["S1_conf"],
                         "ST": res["ST"], "ST_ci": res["ST_conf"]})


def table_text(indices: pd.DataFrame) -> str:
    """The indices as the command prints them: fixed notation, with decimals enough for two
    significant digits of the largest number (at least 2), so that numerical noise around 0
    reads 0.00 (``indices.csv`` keeps every digit)."""
    numbers = np.abs(indices.select_dtypes("number").to_numpy(float))
    largest = numbers[np.isfinite(numbers)].max(initial=0.0)
    decimals = max(2, 1 - math.floor(math.log10(largest))) if largest > 0 else 2
    return indices.to_string(index=False,
                             float_format=lambda v: f"{round(v, decimals) + 0.0:.{decimals}f}")


MEASURED = "measured"
"""The key of the indices' ``attrs`` saying what they are of (``measured``)."""


def measured(design: Design, method: str) -> str:
    """What the indices are of: the method, the outcome, its month and the scenario."""
    return (f"{method.capitalize()} indices of {design.outcome} at month {design.month}, "
            f"scenario {design.scenario}")


def figure(indices: pd.DataFrame, method: str, outcome: str, title: str) -> Figure:
    """Bar chart of the indices with their 95 % intervals, titled with what they are of
    (:func:`measured`)."""
    value, ci = ("mu_star", "mu_star_ci") if method == "morris" else ("ST", "ST_ci")
    ordered = indices.sort_values(value)
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(ordered) + 1.5))
    ax.barh(ordered["parameter"], ordered[value], xerr=ordered[ci], capsize=3,
            label=f"{value} with 95 % interval")
    if method == "sobol":
        ax.barh(ordered["parameter"], ordered["S1"], height=0.4, label="S1 (first order)")
    ax.set(xlabel=f"{value} for {outcome}", title=title)
    ax.legend(fontsize=8)
    return fig


def run(design_path: Path, out: Path, method: str, n: int, seed: int,
        extra: list[str], jobs: int = 1) -> pd.DataFrame:
    """Sample, run (in ``jobs`` processes), analyse; writes ``indices.csv`` and
    ``indices.png``/``.svg`` in ``out``. What the indices are of is in their
    ``attrs[MEASURED]``."""
    if method not in METHODS:
        raise ConfigError(f"--method {method!r} is not one of {', '.join(METHODS)}.")
    check_samples(method, n)
    design = Design.read(design_path)
    settings = {"design": asdict(design), "method": method, "samples": n, "seed": seed,
                "overrides": list(extra)}
    store.refuse_other_settings(out / SETTINGS, settings, "sensitivity indices",
                                tables_remedy(out, INDICES, SETTINGS), tables=[INDICES])
    points = sample(design, method, n, seed)
    y = outcomes(design, points, out, seed, extra, jobs, progress="runs")
    indices = analyse(design, method, points, y, seed)
    indices.attrs[MEASURED] = measured(design, method)
    store.write_text(indices.to_csv(index=False), out / INDICES)
    store.write_settings(out / SETTINGS, settings)
    save(figure(indices, method, design.outcome, indices.attrs[MEASURED]), out / "indices")
    return indices

