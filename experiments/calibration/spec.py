"""A calibration file (``configs/calibration/*.yaml``): settings, parameters and moments.

The file is read and checked whole before any simulation; a bad entry is refused with a
:class:`ConfigError` naming the file and the key (``moments.effect_24.uncertainty``). Each
file may extend another and name its world (:mod:`experiments.calibration.extends`). Each
moment is marked ``calibrate`` or ``hold_out``; only :meth:`CalibrationSpec.calibration_moments`
reach the estimator. Programme inputs (what was delivered) are never estimable.
"""

from __future__ import annotations

import difflib
import hashlib
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from experiments import store
from experiments.calibration import extends
from experiments.calibration.statistics import GAP_KINDS, GROUPS, STATISTICS, split
from experiments.null_models import world_overrides
from model import libm
from model.params import ConfigError, describe
from scenarios import library

USES = ("calibrate", "hold_out")
DISTRIBUTIONS = ("uniform", "loguniform")
NOT_ESTIMABLE = ("programmes.", "institutions.", "budget.", "outputs.", "population.households",
                 "population.source", "seed", "months", "threads", "engine")
"""Keys (or key prefixes) that are never estimated: programme inputs are what was delivered;
the others are settings of a run, not parameters of the world."""

SETTINGS_DEFAULTS: dict[str, Any] = {"households": 500, "months": None, "seeds": [1, 2],
                                     "population_size": 100, "generations": 6, "cores": 2,
                                     "overrides": []}
"""Settings a calibration file may give, with their defaults (docs/calibration.md)."""
PARAMETER_FIELDS = ("prior", "range", "source", "fit")
MOMENT_FIELDS = ("statistic", "scenario", "month", "group", "value", "uncertainty", "source",
                 "population", "use")


@dataclass(frozen=True)
class Parameter:
    """An estimated config key, its prior on [low, high], and why that prior. ``fit`` False:
    no calibrate moment can read it, so the estimator leaves it out and its posterior is its
    prior (``outputs.write_posterior`` draws it independently of the fit)."""

    key: str
    prior: str
    low: float
    high: float
    source: str
    fit: bool = True

    def quantile(self, q: np.ndarray | float) -> np.ndarray:
        """The prior's quantile function at ``q`` (in [0, 1])."""
        if self.prior == "uniform":
            return self.low + np.asarray(q) * (self.high - self.low)
        return libm.exp(math.log(self.low) + np.asarray(q) * math.log(self.high / self.low))

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` independent draws from the prior."""
        return self.quantile(rng.uniform(0.0, 1.0, size))


@dataclass(frozen=True)
class Moment:
    """A published or measured value the model should reproduce, and how to compute it."""

    name: str
    statistic: str
    scenario: str
    month: int
    group: str
    value: float
    uncertainty: float
    source: str
    population: str
    use: str


@dataclass(frozen=True)
class Settings:
    """Run sizes and the sampler's settings."""

    households: int
    months: int
    seeds: tuple[int, ...]
    population_size: int
    generations: int
    cores: int
    overrides: tuple[str, ...]


@dataclass(frozen=True)
class CalibrationSpec:
    """A checked calibration file."""

    path: Path
    digest: str
    settings: Settings
    parameters: tuple[Parameter, ...]
    moments: tuple[Moment, ...]
    world: str = extends.DEFAULT

    def fitted(self) -> tuple[Parameter, ...]:
        """The parameters the estimator samples (``fit`` true)."""
        return tuple(p for p in self.parameters if p.fit)

    def prior_only(self) -> tuple[Parameter, ...]:
        """The parameters no calibrate moment reads: their posterior is their prior."""
        return tuple(p for p in self.parameters if not p.fit)

    def calibration_moments(self) -> tuple[Moment, ...]:
        """The moments the estimator may read (``use: calibrate``)."""
        return tuple(m for m in self.moments if m.use == "calibrate")

    def held_out(self) -> tuple[Moment, ...]:
        """The moments kept for validation (``use: hold_out``)."""
        return tuple(m for m in self.moments if m.use == "hold_out")


class _Checker:
    """Checks values of one file; every error names the file and the dotted key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, rule: str) -> ConfigError:
        return ConfigError(f"calibration file {self.path}, key '{key}': {rule} "
                           "(see docs/calibration.md).")

    def mapping(self, key: str, value: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a mapping of {', '.join(allowed)}, got "
                            f"{store.shown(value)}")
        for name in value:
            if name not in allowed:
                near = difflib.get_close_matches(str(name), allowed, n=1)
                hint = f"; did you mean '{near[0]}'?" if near else ""
                raise self.fail(f"{key}.{name}", f"unknown key{hint} Allowed here: "
                                f"{', '.join(allowed)}")
        return value

    def required(self, key: str, node: dict[str, Any], name: str) -> Any:
        if node.get(name) is None:
            raise self.fail(f"{key}.{name}", "missing; it is required")
        return node[name]

    def number(self, key: str, value: Any, positive: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value) or (positive and value <= 0):
            rule = "a positive number" if positive else "a finite number"
            raise self.fail(key, f"{value!r} is not {rule}")
        return float(value)

    def whole(self, key: str, value: Any, low: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.fail(key, f"{value!r} is not a whole number of at least {low}")
        return value

    def text(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "give a non-empty text")
        return value.strip()

    def choice(self, key: str, value: Any, allowed: tuple[str, ...]) -> str:
        if value not in allowed:
            near = difflib.get_close_matches(str(value), allowed, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise self.fail(key, f"{value!r} is not allowed{hint} Allowed: {', '.join(allowed)}")
        return value


def _parameter(check: _Checker, key: str, node: Any, keys: dict[str, dict[str, Any]],
               ) -> Parameter:
    where = f"parameters.{key}"
    node = check.mapping(where, node, PARAMETER_FIELDS)
    if key not in keys:
        near = difflib.get_close_matches(key, keys, n=1)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        raise check.fail(where, f"no config key of that name{hint} Keys are listed in "
                         "docs/parameters.md")
    if key.startswith(NOT_ESTIMABLE) or key in NOT_ESTIMABLE:
        raise check.fail(where, "not estimable: programme inputs (programmes., institutions., "
                         "budget.) are what was delivered, and run settings are not parameters "
                         "of the world; estimate a behavioural or structural key instead")
    default = keys[key]["default"]
    if isinstance(default, bool) or not isinstance(default, float):
        raise check.fail(where, f"{keys[key]['allowed']} ({type(default).__name__}) is not a "
                         "continuous parameter; only real-valued keys can be estimated")
    prior = check.choice(f"{where}.prior", node.get("prior", "uniform"), DISTRIBUTIONS)
    bounds = check.required(where, node, "range")
    if not (isinstance(bounds, list) and len(bounds) == 2):
        raise check.fail(f"{where}.range", f"give [low, high], not {bounds!r}")
    low, high = (check.number(f"{where}.range", b) for b in bounds)
    lo, hi = (float(b) for b in keys[key]["allowed"].split(" to "))
    if not lo <= low < high <= hi or (prior == "loguniform" and low <= 0):
        raise check.fail(f"{where}.range", f"[{low:g}, {high:g}] must have low < high within "
                         f"the key's allowed {lo:g} to {hi:g}"
                         + (" and low > 0 for a loguniform prior" if prior == "loguniform"
                            else ""))
    fit = node.get("fit", True)
    if not isinstance(fit, bool):
        raise check.fail(f"{where}.fit", f"give true or false, not {fit!r}")
    return Parameter(key, prior, low, high,
                     check.text(f"{where}.source", check.required(where, node, "source")), fit)


def _moment(check: _Checker, name: str, node: Any) -> Moment:
    where = f"moments.{name}"
    node = check.mapping(where, node, MOMENT_FIELDS)
    statistic = check.choice(f"{where}.statistic", check.required(where, node, "statistic"),
                             STATISTICS)
    group = check.choice(f"{where}.group", node.get("group", "all"), GROUPS)
    if split(statistic)[0] in GAP_KINDS and group != "all":
        raise check.fail(f"{where}.group", f"{statistic} compares the treated with the "
                         "comparison group already; leave group out (all)")
    return Moment(
        name, statistic,
        check.choice(f"{where}.scenario", check.required(where, node, "scenario"),
                     library.names()),
        check.whole(f"{where}.month", check.required(where, node, "month"), 0),
        group,
        check.number(f"{where}.value", check.required(where, node, "value")),
        check.number(f"{where}.uncertainty", check.required(where, node, "uncertainty"),
                     positive=True),
        check.text(f"{where}.source", check.required(where, node, "source")),
        check.text(f"{where}.population", check.required(where, node, "population")),
        check.choice(f"{where}.use", check.required(where, node, "use"), USES))


def _settings(check: _Checker, node: Any, moments: tuple[Moment, ...]) -> Settings:
    given = check.mapping("settings", node or {}, tuple(SETTINGS_DEFAULTS))
    values = {**SETTINGS_DEFAULTS, **{k: v for k, v in given.items() if v is not None}}
    latest = max((m.month for m in moments), default=1)
    months = check.whole("settings.months", values["months"] or latest, 1)
    if months < latest:
        raise check.fail("settings.months", f"{months} ends before month {latest}, the latest "
                         "moment's month")
    seeds = values["seeds"]
    if not (isinstance(seeds, list) and seeds):
        raise check.fail("settings.seeds", f"give a list of seeds, not {seeds!r}")
    overrides = values["overrides"]
    if not (isinstance(overrides, list) and all(isinstance(o, str) for o in overrides)):
        raise check.fail("settings.overrides", "give a list of overrides (key=value)")
    return Settings(check.whole("settings.households", values["households"], 1), months,
                    tuple(check.whole("settings.seeds", s, 0) for s in seeds),
                    check.whole("settings.population_size", values["population_size"], 2),
                    check.whole("settings.generations", values["generations"], 1),
                    check.whole("settings.cores", values["cores"], 1), tuple(overrides))


def _entries(check: _Checker, tree: dict[str, Any], name: str) -> dict[str, Any]:
    """The named entries of a top-level section (``parameters`` or ``moments``)."""
    node = check.required("(top level)", tree, name)
    if not isinstance(node, dict):
        raise check.fail(name, f"expected a mapping of names to entries, got "
                         f"{store.shown(node)}")
    return {str(k): v for k, v in node.items()}


def read(path: str | Path) -> CalibrationSpec:
    """Read and check a calibration file.

    Raises:
        ConfigError: the file is missing or unreadable, or an entry breaks a rule; the message
            names the file and the key.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
        tree = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"calibration file {path}: cannot be read "
                          f"({store.reason_words(err)}).") from None
    check = _Checker(path)
    tree = check.mapping("(top level)", tree, ("extends", "world", *extends.SECTIONS))
    tree, raw = extends.resolve(path, tree, raw, check.fail)
    world = extends.world_of(tree, check.fail)
    keys = {row["key"]: row for row in describe()}
    parameters = tuple(_parameter(check, k, v, keys)
                       for k, v in _entries(check, tree, "parameters").items())
    moments = tuple(_moment(check, k, v) for k, v in _entries(check, tree, "moments").items())
    if not parameters:
        raise check.fail("parameters", "empty; declare at least one parameter")
    if not any(p.fit for p in parameters):
        raise check.fail("parameters", "no parameter to fit; declare at least one without "
                         "fit: false")
    settings = _settings(check, tree.get("settings"), moments)
    settings = replace(settings, overrides=(*world_overrides(world), *settings.overrides))
    return CalibrationSpec(path, hashlib.sha256(raw).hexdigest()[:16], settings, parameters,
                           moments, world)
