"""The asset map: how much productive capital households gain or lose in a year, by where
they start it.

Each household present at both ends of a year (a client at both snapshots) gives one point:
its productive assets at the start of the year and their change over the year (z, on a
linear scale). Households are binned by starting assets and each bin's mean change is a
mean over seeds of the seed's bin mean, with its 95 % interval over seeds
(``statistics.interval``). Where the binned map crosses zero, households neither gain nor
lose on average: a fixed point, stable where the map falls through zero (households on both
sides move towards it) and unstable where it rises through zero (they move away: a poverty
trap's threshold). Each fixed point carries the levels around it where the 95 % band still
contains zero: the seeds cannot place it more precisely.

:func:`binned` is the one computation of the map: the validation rows
(``validation_measures.AssetMap``), the report's figure (``plots.asset_map``) and
``empowernet assetmap`` (:mod:`experiments.analysis.asset_map_report`) all call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

from experiments.analysis.outcomes import is_client
from experiments.analysis.statistics import interval

MAP_MONTHS = 12
"""Months of the map: each household's change in assets over a year."""
SIDE_BAND = 0.3
"""Households "just above" k* start in [k*, 1.3 k*), "just below" in [0.7 k*, k*)."""
BIN_HOUSEHOLDS = 100
"""Households in each bin of equal counts (the default binning)."""
MAX_BINS = 40
"""At most this many bins of equal counts."""
MIN_BIN_HOUSEHOLDS = 50
"""Bins of fixed width (:func:`linear_edges`) with fewer households are left out."""


def year_changes(households: pd.DataFrame, first: int,
                 months: int = MAP_MONTHS) -> pd.DataFrame:
    """Each household that is a client at months ``first`` and ``first + months`` of its
    run: its row of the snapshot at ``first`` (indexed by ``seed`` and ``row``), with its
    assets then (``start``, z) and their ``change`` by the later month (z).

    ``households`` is a long table of snapshots with at least ``seed``, ``month``, ``row``,
    ``status`` and ``assets``.
    """
    clients = households[is_client(households)]
    at = clients[clients["month"] == first].set_index(["seed", "row"])
    later = clients.loc[clients["month"] == first + months, ["seed", "row", "assets"]]
    both = at.join(later.set_index(["seed", "row"])["assets"].rename("end"), how="inner")
    return both.assign(start=both["assets"], change=both["end"] - both["assets"])


def linear_edges(k_star: float) -> np.ndarray:
    """Bins of the map on a linear scale (z): k*/20 wide up to 2 k*, where the trap would
    show, k*/4 wide up to 4 k*, then one bin for the rest."""
    return np.concatenate([np.arange(0.0, 2.0, 0.05), np.arange(2.0, 4.0, 0.25),
                           [4.0, np.inf]]) * k_star


def mean_change(start: np.ndarray, change: np.ndarray, low: float, high: float) -> float:
    """Mean change (z) of the households starting in [low, high) z (NaN if none)."""
    inside = (start >= low) & (start < high)
    return float(change[inside].mean()) if inside.any() else float("nan")


def side_changes(years: pd.DataFrame, k_star: float) -> dict[str, tuple[float, float, float]]:
    """Mean change over the year (z) of the households just below and just above k*
    (:data:`SIDE_BAND`), each a mean over seeds with its 95 % interval."""
    bands = {"below": (1.0 - SIDE_BAND, 1.0), "above": (1.0, 1.0 + SIDE_BAND)}
    return {side: interval([mean_change(run["start"].to_numpy(), run["change"].to_numpy(),
                                        low * k_star, high * k_star)
                            for _, run in years.groupby(level="seed")])
            for side, (low, high) in bands.items()}


@dataclass(frozen=True)
class Curve:
    """A binned asset map: one entry per bin, in order of starting assets."""

    centre: np.ndarray      # mean starting assets of the bin's households (z)
    change: np.ndarray      # mean change over the year (z): mean over seeds of the bins' means
    low: np.ndarray         # 95 % interval of ``change`` over seeds (NaN with one seed)
    high: np.ndarray
    households: np.ndarray  # households in the bin, every seed
    growing: np.ndarray     # share of them whose assets grew


@dataclass(frozen=True)
class FixedPoint:
    """Where the binned map crosses zero, with the levels around it where the 95 % band
    contains zero (NaN where there is no band, or the band does not leave zero on that side
    within the map)."""

    level: float  # z, interpolated linearly between the two bins' centres
    stable: bool  # the map falls through zero here
    low: float
    high: float


def equal_count_bounds(households: int, per_bin: int = BIN_HOUSEHOLDS,
                       max_bins: int = MAX_BINS) -> np.ndarray:
    """Positions in the households ordered by starting assets where each bin of (about)
    ``per_bin`` households begins, and the end: fine where households are many, wide where
    they are few (fewer than two bins: none)."""
    bins = min(max_bins, households // per_bin)
    if bins < 2:
        return np.array([0], dtype=np.int64)
    sizes = np.full(bins, households // bins)
    sizes[:households % bins] += 1
    return np.concatenate([[0], np.cumsum(sizes)])


def binned(start: np.ndarray, change: np.ndarray, seed: Sequence[int] | None = None,
           edges: np.ndarray | None = None, min_households: int = 1) -> Curve:
    """The binned asset map of households starting the year with ``start`` (z) and changing
    by ``change`` (z) over it, each from the run with ``seed`` (one run if None).

    Args:
        start: starting assets of each household (z).
        change: change of its assets over the year (z).
        seed: the seed of each household's run; the interval is over seeds.
        edges: increasing bin edges (z), each bin ``[edges[i], edges[i + 1])``; None for
            bins of equal counts (:func:`equal_count_bounds`).
        min_households: bins with fewer households (every seed) are left out.
    """
    seed = np.zeros(start.size, dtype=np.int64) if seed is None else np.asarray(seed)
    order = np.argsort(start, kind="stable")
    bounds = (equal_count_bounds(start.size) if edges is None
              else np.searchsorted(start[order], edges, side="left"))
    groups = [order[a:b] for a, b in pairwise(bounds)
              if b - a >= max(min_households, 1)]
    seeds = np.unique(seed)
    rows = []
    for g in groups:
        means = [change[g][seed[g] == s].mean() for s in seeds if (seed[g] == s).any()]
        mean, low, high = interval(means)
        rows.append((start[g].mean(), mean, low, high, g.size, (change[g] > 0).mean()))
    columns = np.array(rows, dtype=float).reshape(len(rows), 6).T
    return Curve(*columns[:4], columns[4].astype(np.int64), columns[5])


def of_years(years: pd.DataFrame, edges: np.ndarray, min_households: int = 1) -> Curve:
    """The binned map of :func:`year_changes` (one or more seeds)."""
    return binned(years["start"].to_numpy(float), years["change"].to_numpy(float),
                  years.index.get_level_values("seed").to_numpy(), edges, min_households)


def crossings(centre: np.ndarray, change: np.ndarray, upward: bool) -> np.ndarray:
    """Where a binned map crosses zero, linearly between bin centres: upward crossings (from
    below zero to zero or above) are unstable fixed points, downward ones stable."""
    points = []
    for j in range(len(change) - 1):
        a, b = change[j], change[j + 1]
        if (a < 0 <= b) if upward else (a > 0 >= b):
            points.append(centre[j] + (centre[j + 1] - centre[j]) * a / (a - b))
    return np.array(points)


def _zero_between(x0: float, x1: float, y0: float, y1: float) -> float:
    """Where the line through (x0, y0) and (x1, y1) is zero."""
    return x0 + (x1 - x0) * y0 / (y0 - y1)


def _band_edge(curve: Curve, level: float, step: int) -> float:
    """Walking from the zero crossing at ``level`` in direction ``step`` (-1 left, +1
    right), where the 95 % band first leaves zero, linearly between bin centres (NaN if it
    never does, or the curve has no band)."""
    left = np.flatnonzero(curve.centre < level)[::-1]
    right = np.flatnonzero(curve.centre > level)
    walk, behind = (left, right) if step < 0 else (right, left)
    outside = (curve.low > 0) | (curve.high < 0)
    path = [*behind[:1], *walk]  # the nearest bin behind the crossing, then those ahead
    for previous, i in pairwise(path):
        if outside[i]:
            edge = curve.low if curve.low[i] > 0 else curve.high
            return float(_zero_between(curve.centre[previous], curve.centre[i],
                                       edge[previous], edge[i]))
    return float("nan")


def fixed_points(curve: Curve) -> list[FixedPoint]:
    """Every zero crossing of the binned map, in order of level, with its uncertainty."""
    points = [(level, True) for level in crossings(curve.centre, curve.change, upward=False)]
    points += [(level, False) for level in crossings(curve.centre, curve.change, upward=True)]
    return [FixedPoint(float(level), stable, _band_edge(curve, level, -1),
                       _band_edge(curve, level, +1)) for level, stable in sorted(points)]
