"""The measures of the validation table, each a function of a study's runs and one seed.

A programme's effect is measured household by household against the same households in the
baseline run with the same seed (common random numbers: same people, same shocks), on every
household the programme treated, never on a subset chosen by an outcome after treatment.
The trap rows read the long-run asset map of business as usual: each household's change in
productive assets over the last 12 months of the run against where it started them, and the
distribution of assets at the end, both around the k* of the default's technologies
(``model.threshold.dose_threshold``: the same z in every model, the no-trap one included).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from typing import Self

import numpy as np
import pandas as pd

from experiments.analysis import asset_map
from experiments.analysis.asset_map import MAP_MONTHS, SIDE_BAND
from experiments.analysis.benefit_cost import benefit_cost
from experiments.analysis.outcomes import is_client
from experiments.calibration.statistics import percent_gap
from experiments.evaluate import Evaluation, StoredRun
from model.params import BASELINE, Config
from model.programmes import INDEX
from model.threshold import dose_threshold

HISTOGRAM_BIN = 0.1  # bins of the asset distribution, times k*, up to 2 k*


def treated(m: StoredRun, programme: str) -> np.ndarray:
    """Rows that ever enrolled in ``programme`` (bool[n])."""
    bit = INDEX[programme]
    return (m.final["enrolled_ever"].to_numpy() >> bit) & 1 == 1


def per_capita(m: StoredRun, month: int, column: str) -> np.ndarray:
    """A household column per person at a snapshot month (NaN once the household has left)."""
    snap = m.snapshots[month]
    values = (snap[column] / snap["size"]).to_numpy(float)
    return np.where(~is_client(snap).to_numpy(), np.nan, values)


def effect(base: StoredRun, arm: StoredRun, rows: np.ndarray, month: int,
           column: str = "consumption") -> float:
    """Relative effect (%) on ``rows`` at ``month``: arm against the same households in base."""
    a, b = per_capita(arm, month, column), per_capita(base, month, column)
    keep = rows & np.isfinite(a) & np.isfinite(b)
    return percent_gap(a[keep], b[keep])


def share_difference(base: StoredRun, arm: StoredRun, rows: np.ndarray,
                     month: int, occupation: str) -> float:
    """Difference (percentage points) in the share of ``rows`` with ``occupation``."""
    a, b = arm.snapshots[month], base.snapshots[month]
    keep = rows & is_client(a).to_numpy() & is_client(b).to_numpy()
    return 100.0 * ((a["occupation"] == occupation).to_numpy()[keep].mean() -
                    (b["occupation"] == occupation).to_numpy()[keep].mean())


@dataclass(frozen=True)
class ArmMeasure(ABC):
    """A measure of the scenario ``arm`` on the households enrolled in ``programme``, at
    ``month``, against the same households in the baseline run of the same seed."""

    arm: str
    programme: str
    month: int

    def __call__(self, runs: Evaluation, seed: int) -> float:
        """The measure for one seed."""
        arm = runs.run(self.arm, seed)
        return self.against(runs.run(BASELINE, seed), arm, treated(arm, self.programme))

    @abstractmethod
    def against(self, base: StoredRun, arm: StoredRun, rows: np.ndarray) -> float:
        """The measure of ``arm`` on ``rows`` against the same rows of ``base``."""

    def on(self, arm: str, programme: str) -> Self:
        """The same measure of another arm (an equal-cost benchmark)."""
        return replace(self, arm=arm, programme=programme)


@dataclass(frozen=True)
class ArmEffect(ArmMeasure):
    """% effect of the scenario ``arm`` on ``column`` per person at ``month``, on the
    households enrolled in ``programme``, against the same households in the baseline."""

    column: str = "consumption"

    def against(self, base: StoredRun, arm: StoredRun, rows: np.ndarray) -> float:
        """The effect on ``rows``."""
        return effect(base, arm, rows, self.month, self.column)


@dataclass(frozen=True)
class ArmShareGain(ArmMeasure):
    """Gain (percentage points) from the scenario ``arm`` in the share of the households
    enrolled in ``programme`` with ``occupation`` at ``month``, against the baseline."""

    occupation: str

    def against(self, base: StoredRun, arm: StoredRun, rows: np.ndarray) -> float:
        """The gain in ``rows``."""
        return share_difference(base, arm, rows, self.month, self.occupation)


@dataclass(frozen=True)
class Ratio:
    """One measure over another, for the same seed."""

    numerator: ArmEffect
    denominator: ArmEffect

    def __call__(self, runs: Evaluation, seed: int) -> float:
        """The ratio for one seed."""
        return self.numerator(runs, seed) / self.denominator(runs, seed)


# ---- the long-run asset map of business as usual ----------------------------------------
@dataclass(frozen=True)
class AssetMap:
    """Productive assets (z) of the households present at both ends of the map's year."""

    start: np.ndarray
    end: np.ndarray
    threshold: float

    @classmethod
    def of(cls, m: StoredRun) -> AssetMap:
        """The map of the run's last ``MAP_MONTHS`` months (both must be snapshot months)."""
        return cls.of_snapshots(m.snapshots, m.point.config)

    @classmethod
    def of_snapshots(cls, snapshots: dict[int, pd.DataFrame], config: Config) -> AssetMap:
        """The map of a run's household ``snapshots`` over its last ``MAP_MONTHS`` months."""
        last = config.months
        first, final = snapshots[last - MAP_MONTHS], snapshots[last]
        present = (is_client(first) & is_client(final)).to_numpy()
        return cls(first["assets"].to_numpy(float)[present],
                   final["assets"].to_numpy(float)[present], dose_threshold(config))

    def binned(self) -> tuple[np.ndarray, np.ndarray]:
        """Mean starting assets (z) and mean change over the year (z) in bins of equal counts
        (``asset_map.binned``)."""
        curve = asset_map.binned(self.start, self.end - self.start)
        return curve.centre, curve.change

    def crossings(self, upward: bool) -> np.ndarray:
        """Where the binned map crosses zero: upward crossings are unstable fixed points,
        downward ones stable (``asset_map.crossings``)."""
        return asset_map.crossings(*self.binned(), upward)

    def mean_change(self, lo: float, hi: float) -> float:
        """Mean change (z) over the year of households starting in [lo, hi) times k*."""
        return asset_map.mean_change(self.start, self.end - self.start, lo * self.threshold,
                                     hi * self.threshold)

    def histogram(self) -> np.ndarray:
        """Counts of households by assets at the end, bins of ``HISTOGRAM_BIN`` k* up to 2 k*."""
        edges = np.arange(0.0, 2.0 + HISTOGRAM_BIN / 2, HISTOGRAM_BIN) * self.threshold
        return np.histogram(self.end, bins=edges)[0]


def long_run_map(runs: Evaluation, seed: int) -> AssetMap:
    """The long-run asset map of the study's business-as-usual run."""
    return AssetMap.of(runs.run(BASELINE, seed))


def unstable_point_over_threshold(amap: AssetMap) -> float:
    """The unstable fixed point of the map nearest k*, over k* (NaN if there is none)."""
    points = amap.crossings(upward=True)
    if not points.size:
        return float("nan")
    return float(points[np.argmin(np.abs(points - amap.threshold))] / amap.threshold)


def change_above_threshold(amap: AssetMap) -> float:
    """Mean change (z) over the year of households starting just above k*."""
    return amap.mean_change(1.0, 1.0 + SIDE_BAND)


def change_below_threshold(amap: AssetMap) -> float:
    """Mean change (z) over the year of households starting just below k*."""
    return amap.mean_change(1.0 - SIDE_BAND, 1.0)


def stable_points(amap: AssetMap) -> np.ndarray:
    """Stable fixed points of the map (z): its downward zero crossings, and 0 if households
    with the fewest assets lose them (destitution is then a stable level)."""
    change = amap.binned()[1]
    bottom = [0.0] if change.size and change[0] < 0 else []
    return np.array([*bottom, *amap.crossings(upward=False)])


def stable_points_apart(amap: AssetMap) -> float:
    """Distance between the lowest and highest stable fixed points of the map, over k*
    (0 with one stable point, NaN with none)."""
    points = stable_points(amap)
    return float((points.max() - points.min()) / amap.threshold) if points.size \
        else float("nan")


def valley_between_modes(amap: AssetMap) -> float:
    """Depth of the valley of the long-run distribution between its poor mode (the fullest
    bin below k*) and its upper mode (the fullest bin from k* to 2 k*): the emptiest bin
    between them over the smaller mode (near 0: two modes and few households between them;
    1: no valley)."""
    if amap.threshold <= 0:
        return float("nan")
    counts = amap.histogram()
    half = counts.size // 2  # bins below k*
    low = int(np.argmax(counts[:half]))
    high = half + int(np.argmax(counts[half:]))
    modes = min(counts[low], counts[high])
    if modes == 0:
        return float("nan")
    return float(counts[low:high + 1].min() / modes)


# ---- the other rows ----------------------------------------------------------------------
def package_benefit_cost(runs: Evaluation, seed: int, discount_annual: float) -> float:
    """Benefit-cost ratio of the graduation package from monthly flows, with the last year's
    gain held for ever after the run (``experiments.analysis.benefit_cost``): the consumption
    gained by all households against net programme spending, both discounted monthly."""
    base, arm = runs.run(BASELINE, seed).results, runs.run("graduation", seed).results
    gains = (arm["consumption_total"] - base["consumption_total"]).to_numpy()
    return benefit_cost(arm["month"].to_numpy(), gains, arm["spending_programmes"].to_numpy(),
                        discount_annual).with_tail


def take_up(runs: Evaluation, seed: int) -> float:
    """% of the households offered microcredit who hold a loan at the end."""
    arm = runs.run("microcredit", seed)
    offered = treated(arm, "microcredit")
    return 100.0 * (arm.final["loan_instalment"].to_numpy()[offered] > 0).mean()


def microcredit_enterprise_gap(runs: Evaluation, seed: int) -> float:
    """Effect among those offered with assets >= k_min minus the effect among the others."""
    base, arm = runs.run(BASELINE, seed), runs.run("microcredit", seed)
    offered = treated(arm, "microcredit")
    running = (arm.snapshots[0]["assets"] >= arm.point.config.enterprise.k_min_z).to_numpy()
    return effect(base, arm, offered & running, 24) - effect(base, arm, offered & ~running, 24)


def exits_per_year(runs: Evaluation, seed: int, which: str) -> float:
    """Graduations (``net``), or graduations and exits (``gross``), a year, % of active."""
    r = runs.run(BASELINE, seed).results
    years = r["month"].iloc[-1] / 12.0
    active = r["households_active"].mean()
    flows = r["graduations_cumulative"].iloc[-1]
    if which == "gross":
        flows += r["exits_cumulative"].iloc[-1]
    return 100.0 * flows / active / years
