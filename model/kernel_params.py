"""The parameters the household phases read, under their config names.

A phase reads ``p.enterprise.confidence_gate`` where the config says
``enterprise.confidence_gate``: each kernel group is a namedtuple made from the numeric fields
of one config dataclass, so a name cannot differ between the two. numba compiles attribute
access on namedtuples to plain values, and the uncompiled phases (``engine="python"``) read the
same tuples. ``derived`` holds the few values that are not config fields: they depend on k* or
on the month, or are worked out once from the config so that no household recomputes them.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections import namedtuple
from functools import lru_cache
from typing import Any

import numpy as np

from model.params import Config
from model.technology import labour, output_at

ADULT_LABOUR_ROWS = 32  # households with fewer working-age adults read their labour from a table

# config group (dotted path in Config) -> name in the kernel parameters
GROUPS = {
    "shocks": "shocks", "labour": "labour", "enterprise": "enterprise",
    "consumption": "consumption", "behaviour": "behaviour", "responses": "responses",
    "status": "status",
    "programmes.microcredit_terms": "loans", "institutions": "institutions",
}


def _numeric_fields(cls: type) -> tuple[str, ...]:
    """Names of the fields of a config dataclass that kernels can read (numbers, switches)."""
    return tuple(f.name for f in dataclasses.fields(cls)
                 if f.type in ("float", "int", "bool", float, int, bool))


def _group(cfg: Config, path: str) -> Any:
    obj: Any = cfg
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _tuple_type(name: str, cls: type) -> type:
    return namedtuple(f"{name.title()}Kernel", _numeric_fields(cls))


_DEFAULT = Config()
GROUP_TYPES = {name: _tuple_type(name, type(_group(_DEFAULT, path)))
               for path, name in GROUPS.items()}
# numba's kernel cache finds a tuple type again by its module and name after a restart, so each
# must be an attribute of this module; otherwise every process compiles the kernels anew
globals().update({cls.__name__: cls for cls in GROUP_TYPES.values()})

Derived = namedtuple("Derived", [
    "k_star",                  # z: the asset threshold of this world (graduation)
    "insurance_min_assets_z",  # z: shocks.insurance_min_assets times k*
    "pension_per_person_z",    # z/person-month: the pension's real value this month
    "fixed_saving",            # 1.0 if consumption.saving_rule is "fixed", else 0.0
    "reference_labour",        # labour of the reference household's adults (enterprise scale)
    "monthly_deflator",        # real value after a month of one nominal z: prices rise by
                               # transfers.inflation_annual a year
    "adult_labour",            # float64[ADULT_LABOUR_ROWS]: labour of 0, 1, 2... adults
    "k_min_output_low",        # k_min ** gamma_low, as the low technology computes it
    "k_min_output_high",       # k_min ** gamma_high, as the high technology computes it
])
KernelParams = namedtuple("KernelParams", [*GROUP_TYPES, "derived"])


def build(cfg: Config, k_star: float, pension_per_person_z: float) -> KernelParams:
    """The kernel parameters of ``cfg`` in one month (every value a float64, but the table of
    labour by number of adults)."""
    of_config = _of_config(cfg)
    derived = of_config.derived._replace(
        k_star=float(k_star), insurance_min_assets_z=cfg.shocks.insurance_min_assets * k_star,
        pension_per_person_z=float(pension_per_person_z))
    return of_config._replace(derived=derived)


_last: tuple[weakref.ref, KernelParams] | None = None  # the newest config and its parameters


def _of_config(cfg: Config) -> KernelParams:
    """The kernel parameters that depend on ``cfg`` alone (k* and the pension 0), worked out
    again only for another config object: a model asks for its parameters every month, and
    a Config is frozen."""
    global _last
    if _last is not None and _last[0]() is cfg:
        return _last[1]
    groups = {}
    for path, name in GROUPS.items():
        values = _group(cfg, path)
        groups[name] = GROUP_TYPES[name](*(float(getattr(values, f))
                                           for f in GROUP_TYPES[name]._fields))
    ent = cfg.enterprise
    derived = Derived(0.0, 0.0, 0.0,
                      1.0 if cfg.consumption.saving_rule == "fixed" else 0.0,
                      reference_labour(cfg),
                      real_value(1.0, cfg.transfers.inflation_annual, 1, indexed=False),
                      adult_labour(float(cfg.labour.adult_returns)),
                      output_at(float(ent.k_min_z), float(ent.gamma_low)),
                      output_at(float(ent.k_min_z), float(ent.gamma_high)))
    params = KernelParams(**groups, derived=derived)
    _last = (weakref.ref(cfg), params)
    return params


@lru_cache(maxsize=16)
def adult_labour(returns: float) -> np.ndarray:
    """Labour of 0, 1, ... ``ADULT_LABOUR_ROWS - 1`` working-age adults (read-only), worked out
    by the compiled ``model.technology.labour`` that the kernels would otherwise call per household,
    so a value read from the table is the one computed there."""
    table = np.array([labour(float(adults), returns) for adults in range(ADULT_LABOUR_ROWS)])
    table.flags.writeable = False
    return table


def reference_labour(cfg: Config) -> float:
    """Labour (``model.technology.labour``) of the reference household's working-age adults: the
    enterprise technologies' output is that of a household with this labour."""
    return float(labour.py_func(cfg.population.reference_adults, cfg.labour.adult_returns))


def price_level(inflation_annual: float, month: int) -> float:
    """Prices in month ``month`` relative to month 0."""
    return (1.0 + inflation_annual) ** (month / 12.0)


def real_value(nominal: float, inflation_annual: float, month: int, indexed: bool) -> float:
    """The real value in month ``month`` of an amount fixed in nominal terms at month 0."""
    if indexed:
        return nominal
    return nominal / price_level(inflation_annual, month)
