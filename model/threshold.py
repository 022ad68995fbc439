"""The deterministic asset map of the reference household and its threshold k*.

The reference household (MODEL.md §3.3) has the population's mean size and its expected
working-age adults (``population.reference_adults``), ``A_i * theta = 1``, passes the
confidence and culture gates, meets no shock, earns casual pay in expectation
(``p_casual * casual_wage * labour(adults)``), receives the pension and saves
``reference_saving_rate`` of its surplus over subsistence, all of it into productive assets once
it owns the indivisible asset (k >= k_min), else all but the liquid share ``liquid_share``. The
map follows productive assets only: liquid savings and the purchase of the indivisible asset out
of them are not in it. ``k*`` is the lower edge of the basin of attraction of the highest stable
fixed point of its asset map: the unstable fixed point between the poor and the non-poor
equilibria when there is a trap, the edge of the destitution region when there is none.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from model import libm
from model.params import Config
from model.technology import labour


@dataclass(frozen=True)
class FixedPoint:
    """A fixed point of the asset map, in z."""

    assets_z: float
    stable: bool


def reference_month(k: np.ndarray, cfg: Config, size: float | None = None,
                    saving_rate: float | None = None) -> np.ndarray:
    """Assets after one deterministic month, for an array of starting assets ``k`` (z).

    Reads only the sections of ``cfg`` in :data:`MAP_SECTIONS`."""
    ent, con = cfg.enterprise, cfg.consumption
    n = cfg.population.mean_size if size is None else size
    sigma = con.reference_saving_rate if saving_rate is None else saving_rate
    k = np.maximum(np.asarray(k, dtype=float), 0.0)
    low = ent.theta_low * libm.power(k, ent.gamma_low)
    high = ent.theta_high * libm.power(k, ent.gamma_high) - ent.fixed_cost_high_z
    owns = k >= ent.k_min_z if ent.trap else np.ones(k.shape, dtype=bool)
    high = np.where(owns, high, -np.inf)
    adults = cfg.population.reference_adults
    earned = np.maximum(low, high) + cfg.labour.p_casual * cfg.labour.casual_wage_z * \
        labour.py_func(adults, cfg.labour.adult_returns)
    cash = earned + cfg.transfers.pension_per_person_z * n
    surplus = cash - con.subsistence_per_person_z * n
    invested = np.where(owns, 1.0, 1.0 - con.liquid_share)  # the rest is kept liquid
    investment = np.where(surplus > 0.0, sigma * invested * surplus, 0.0)
    return (1.0 - con.depreciation) * k + investment


def asset_map(k: np.ndarray, cfg: Config, months: int = 12, **reference: float) -> np.ndarray:
    """Assets after ``months`` deterministic months from each starting level in ``k``."""
    out = np.asarray(k, dtype=float)
    for _ in range(months):
        out = reference_month(out, cfg, **reference)
    return out


def fixed_points(cfg: Config, lo: float = 1e-3, hi: float = 1e4,
                 **reference: float) -> list[FixedPoint]:
    """Every fixed point of the monthly map on [lo, hi] z, found by bracketing and bisection.

    A point where the one-month change ``m(k) - k`` goes from positive to negative is stable; from
    negative to positive, unstable (the jump at ``k_min`` counts, as it does in the dynamics).
    """
    grid = np.geomspace(lo, hi, 20_001)
    change = reference_month(grid, cfg, **reference) - grid
    points: list[FixedPoint] = []
    for j in np.nonzero(np.sign(change[:-1]) != np.sign(change[1:]))[0]:
        a, b = grid[j], grid[j + 1]
        sign_a = np.sign(change[j])
        if sign_a == 0:
            continue
        for _ in range(80):
            mid = 0.5 * (a + b)
            if np.sign(reference_month(np.array([mid]), cfg, **reference)[0] - mid) == sign_a:
                a = mid
            else:
                b = mid
        points.append(FixedPoint(float(0.5 * (a + b)), stable=bool(sign_a > 0)))
    return points


MAP_SECTIONS = ("population", "labour", "enterprise", "transfers", "consumption")
"""The config sections :func:`reference_month` reads."""


def asset_threshold(cfg: Config, **reference: float) -> float:
    """k* in z: the unstable fixed point just below the highest stable one (0 if none).

    Worked out once for each value of the sections of :data:`MAP_SECTIONS` (a run asks for
    it twice, and scenarios and seeds of one world share it; it takes several
    milliseconds)."""
    sections = {name: getattr(cfg, name) for name in MAP_SECTIONS}
    return _threshold(dataclasses.replace(_DEFAULT, **sections), tuple(sorted(reference.items())))


_DEFAULT = Config()


@lru_cache(maxsize=64)
def _threshold(cfg: Config, reference: tuple[tuple[str, float], ...]) -> float:
    """:func:`asset_threshold` of ``cfg`` and the reference household's ``reference``."""
    points = fixed_points(cfg, **dict(reference))
    stable = [p.assets_z for p in points if p.stable]
    if not stable:
        return 0.0
    top = max(stable)
    unstable = [p.assets_z for p in points if not p.stable and p.assets_z < top]
    return max(unstable) if unstable else 0.0


def dose_threshold(cfg: Config) -> float:
    """The k* in z that programme doses given as multiples of k* are scaled by.

    It is k* of the same technologies with the trap's gate (``enterprise.trap=true``), so a dose
    is the same amount of z with or without the trap; ``asset_threshold`` stays the k* of the
    world simulated (with the defaults 0 without the trap), used for graduation and reporting.
    """
    return asset_threshold(replace(cfg, enterprise=replace(cfg.enterprise, trap=True)))
