"""Validation against published facts (MODEL.md §8): measures, bands and the studies behind them.

Each target is measured on the runs of one committed experiment file
(``configs/experiment/validation_*.yaml``), once per seed; a programme's effect is measured
household by household against the same households in the baseline run with the same seed
(common random numbers: same people, same shocks), on the households the programme treated.
Each experiment's runs (every scenario of its sweep with every seed) are one plan, evaluated
into the run store (``experiments.evaluate``); the measures read the stored tables.
The simulated figure is the mean over seeds with its 95 % interval (Student t); a target
passes when the mean lies inside its band.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.analysis.benefit_cost import benefit_cost
from experiments.analysis.statistics import interval
from experiments.config import load_config, sweep_params
from experiments.evaluate import Evaluation, Point, StoredRun, runs_folder
from experiments.evaluate import evaluate as evaluate_plan
from model.programme_params import PROGRAMMES
from model.state import NOT_CLIENTS

DISCOUNT_ANNUAL = 0.05  # for benefit-cost ratios


@dataclass(frozen=True)
class Study:
    """The runs of one validation experiment, at a chosen size and number of seeds."""

    experiment: str
    households: int | None = None
    seeds: int | None = None

    def seed_list(self) -> list[int]:
        """Seeds of the experiment file, or the first ``seeds`` of them."""
        seeds = [int(s) for s in self._sweep()["seed"]]
        return seeds[: self.seeds] if self.seeds else seeds

    def scenarios(self) -> list[str]:
        """Scenarios of the experiment file's sweep (its own scenario if it sweeps none)."""
        return self._sweep().get("scenario") or [load_config(self._overrides()).label]

    def plan(self) -> list[Point]:
        """Every scenario with every seed, each point named by its scenario."""
        return [Point.compose(scenario, [*self._overrides(), f"scenario={scenario}"], seed)
                for scenario in self.scenarios() for seed in self.seed_list()]

    def evaluate(self, runs_dir: Path, jobs: int = 1) -> Evaluation:
        """The study's runs, stored in ``runs_dir`` (those already there are reused)."""
        return evaluate_plan(self.plan(), runs_dir, jobs)

    def _overrides(self) -> list[str]:
        size = [f"population.households={self.households}"] if self.households else []
        return [f"+experiment={self.experiment}", *size]

    def _sweep(self) -> dict[str, list[str]]:
        return sweep_params([f"+experiment={self.experiment}"])


def clients(snap: pd.DataFrame) -> np.ndarray:
    """Rows that are clients at a snapshot: neither left nor pending entry (bool[n])."""
    return ~snap["status"].isin(NOT_CLIENTS).to_numpy()


def treated(m: StoredRun, programme: str) -> np.ndarray:
    """Rows that ever enrolled in ``programme`` (bool[n])."""
    bit = PROGRAMMES.index(programme)
    return (m.final["enrolled_ever"].to_numpy() >> bit) & 1 == 1


def per_capita(m: StoredRun, month: int, column: str) -> np.ndarray:
    """A household column per person at a snapshot month (NaN unless a client then)."""
    snap = m.snapshots[month]
    values = (snap[column] / snap["size"]).to_numpy(float)
    return np.where(clients(snap), values, np.nan)


def effect(base: StoredRun, arm: StoredRun, rows: np.ndarray, month: int,
           column: str = "consumption") -> float:
    """Relative effect (%) on ``rows`` at ``month``: arm against the same households in base."""
    a, b = per_capita(arm, month, column), per_capita(base, month, column)
    keep = rows & np.isfinite(a) & np.isfinite(b)
    return 100.0 * (a[keep].mean() / b[keep].mean() - 1.0)


def share_difference(base: StoredRun, arm: StoredRun, rows: np.ndarray,
                     month: int, occupation: str) -> float:
    """Difference (percentage points) in the share of ``rows`` with ``occupation``."""
    a, b = arm.snapshots[month], base.snapshots[month]
    keep = rows & clients(a) & clients(b)
    return 100.0 * ((a["occupation"] == occupation).to_numpy()[keep].mean() -
                    (b["occupation"] == occupation).to_numpy()[keep].mean())


# ---- the measures, one function per row of the table ------------------------------------
def asset_map_changes(m: StoredRun) -> tuple[np.ndarray, np.ndarray]:
    """Binned mean 12-month asset change: bin centres (z) and mean change (z)."""
    k0 = m.snapshots[0]["assets"].to_numpy()
    k12 = m.snapshots[12]["assets"].to_numpy()
    alive = clients(m.snapshots[0]) & clients(m.snapshots[12])
    edges = np.geomspace(1.0, 150.0, 31)
    centres, change = [], []
    for lo, hi in itertools.pairwise(edges):
        inside = alive & (k0 >= lo) & (k0 < hi)
        if inside.sum() >= 30:
            centres.append(np.sqrt(lo * hi))
            change.append((k12[inside] - k0[inside]).mean())
    return np.array(centres), np.array(change)


def unstable_point_over_threshold(runs: Evaluation, seed: int) -> float:
    """Where the binned 12-month asset map crosses zero upwards (the unstable point), over k*."""
    m = runs.run("baseline", seed)
    centres, change = asset_map_changes(m)
    up = [np.sqrt(centres[j] * centres[j + 1]) for j in range(len(change) - 1)
          if change[j] < 0 <= change[j + 1] and centres[j] > 2.0]
    return up[-1] / m.asset_threshold if up else float("nan")


def share_moving(runs: Evaluation, seed: int, above: bool) -> float:
    """% of households starting just above k* that grow (or just below that shrink) in a year."""
    m = runs.run("baseline", seed)
    k0 = m.snapshots[0]["assets"].to_numpy()
    k12 = m.snapshots[12]["assets"].to_numpy()
    alive = clients(m.snapshots[0]) & clients(m.snapshots[12])
    k_star = m.asset_threshold
    band = (k0 >= k_star) & (k0 < 1.3 * k_star) if above else \
        (k0 >= 0.7 * k_star) & (k0 < k_star)
    rows = alive & band
    moved = k12[rows] > k0[rows] if above else k12[rows] < k0[rows]
    return 100.0 * moved.mean()


def package_effect(runs: Evaluation, seed: int, month: int) -> float:
    """% effect of the graduation package on the per-capita consumption of its treated."""
    base, arm = runs.run("baseline", seed), runs.run("graduation", seed)
    return effect(base, arm, treated(arm, "asset_grant"), month)


def package_benefit_cost(runs: Evaluation, seed: int) -> float:
    """Benefit-cost ratio of the graduation package from monthly flows, with the last year's
    gain held for ever after the run (``experiments.analysis.benefit_cost``): the consumption
    gained by all households against net programme spending, both discounted monthly."""
    base, arm = runs.run("baseline", seed).results, runs.run("graduation", seed).results
    gains = (arm["consumption_total"] - base["consumption_total"]).to_numpy()
    return benefit_cost(arm["month"].to_numpy(), gains, arm["spending_programmes"].to_numpy(),
                        DISCOUNT_ANNUAL).with_tail


def growth_after_support(runs: Evaluation, seed: int) -> float:
    """Effect at month 84 over effect at month 24, for the treated above k* at month 12."""
    base, arm = runs.run("baseline", seed), runs.run("graduation", seed)
    pushed = treated(arm, "asset_grant") & \
        (arm.snapshots[12]["assets"].to_numpy() >= arm.asset_threshold)
    return effect(base, arm, pushed, 84) / effect(base, arm, pushed, 24)


def asset_share_of_package(runs: Evaluation, seed: int) -> float:
    """Effect of the asset grant alone over the effect of the package (consumption, month 24)."""
    base = runs.run("baseline", seed)
    grant, package = runs.run("asset_grant", seed), runs.run("graduation", seed)
    return effect(base, grant, treated(grant, "asset_grant"), 24) / \
        effect(base, package, treated(package, "asset_grant"), 24)


def coaching_over_training(runs: Evaluation, seed: int) -> float:
    """Effect of mentoring over the effect of training on earned income at month 24."""
    base = runs.run("baseline", seed)
    coached, trained = runs.run("mentoring", seed), runs.run("training", seed)
    return effect(base, coached, treated(coached, "mentoring"), 24, "income") / \
        effect(base, trained, treated(trained, "training"), 24, "income")


def take_up(runs: Evaluation, seed: int) -> float:
    """% of the households offered microcredit who hold a loan at the end."""
    arm = runs.run("microcredit", seed)
    offered = treated(arm, "microcredit")
    return 100.0 * (arm.final["loan_instalment"].to_numpy()[offered] > 0).mean()


def microcredit_effect(runs: Evaluation, seed: int) -> float:
    """% effect of the microcredit offer on per-capita consumption at month 24."""
    base, arm = runs.run("baseline", seed), runs.run("microcredit", seed)
    return effect(base, arm, treated(arm, "microcredit"), 24)


def microcredit_enterprise_gap(runs: Evaluation, seed: int) -> float:
    """Effect among those offered with assets >= k_min minus the effect among the others."""
    base, arm = runs.run("baseline", seed), runs.run("microcredit", seed)
    offered = treated(arm, "microcredit")
    running = (arm.snapshots[0]["assets"] >= arm.point.config.enterprise.k_min_z).to_numpy()
    return effect(base, arm, offered & running, 24) - effect(base, arm, offered & ~running, 24)


def training_employment(runs: Evaluation, seed: int) -> float:
    """Percentage-point gain in wage employment of the trainees at month 18."""
    base, arm = runs.run("baseline", seed), runs.run("training", seed)
    return share_difference(base, arm, treated(arm, "training"), 18, "wage_job")


def training_earnings(runs: Evaluation, seed: int) -> float:
    """% effect of training on the trainees' earned income at month 18."""
    base, arm = runs.run("baseline", seed), runs.run("training", seed)
    return effect(base, arm, treated(arm, "training"), 18, "income")


def exits_per_year(runs: Evaluation, seed: int, which: str) -> float:
    """Graduations (``net``), or graduations and exits (``gross``), a year, % of active."""
    r = runs.run("baseline", seed).results
    years = r["month"].iloc[-1] / 12.0
    active = r["households_active"].mean()
    flows = r["graduations_cumulative"].iloc[-1]
    if which == "gross":
        flows += r["exits_cumulative"].iloc[-1]
    return 100.0 * flows / active / years


@dataclass(frozen=True)
class Target:
    """One row of the validation table."""

    number: str
    claim: str
    measure: str
    published: str
    band: tuple[float, float]
    experiment: str
    compute: Callable[[Evaluation, int], float]


TARGETS = (
    Target("1a", "Asset threshold: the 12-month asset map turns up at k*",
           "unstable crossing of the binned map / k*", "S-shaped map, threshold near the "
           "indivisible asset (Balboni et al. 2022, QJE)", (0.75, 1.33),
           "validation_asset_threshold", unstable_point_over_threshold),
    Target("1b", "Households just above k* accumulate", "% of those starting in [k*, 1.3k*) "
           "whose assets grow in 12 months", "accumulate (Balboni et al. 2022)", (50, 100),
           "validation_asset_threshold", lambda runs, seed: share_moving(runs, seed, above=True)),
    Target("1c", "Households just below k* slide back", "% of those starting in [0.7k*, k*) "
           "whose assets shrink in 12 months", "slide back (Balboni et al. 2022)", (50, 100),
           "validation_asset_threshold", lambda runs, seed: share_moving(runs, seed, above=False)),
    Target("2a", "Graduation package raises consumption", "% per-capita consumption of the "
           "treated vs baseline, month 24", "+5-6 % (Banerjee et al. 2015, Science)",
           (3, 10), "validation_graduation", lambda runs, seed: package_effect(runs, seed, 24)),
    Target("2b", "...and it lasts a year after support ends", "same, month 36", "still "
           "positive (Banerjee et al. 2015)", (0, 30), "validation_graduation",
           lambda runs, seed: package_effect(runs, seed, 36)),
    Target("2c", "Benefits exceed costs", "discounted monthly consumption gains of all "
           "households / discounted net cost (5 %/year): 7 simulated years, the last year's "
           "gain held thereafter",
           "1.3-4.3 x in most sites (Banerjee et al. 2015)", (1.3, 4.3),
           "validation_graduation", package_benefit_cost),
    Target("3", "Effects grow after support for households pushed above k*",
           "effect at month 84 / effect at month 24, treated above k* at month 12",
           "+12 % at 18 months, +25 % at 7 years (Banerjee, Duflo & Sharma 2021)",
           (1.0, 4.0), "validation_graduation", growth_after_support),
    Target("4a", "An asset grant alone does less than the package", "effect of the grant "
           "alone / effect of the package, consumption, month 24", "grant < package "
           "(Banerjee et al. 2015)", (0.0, 0.9), "validation_components",
           asset_share_of_package),
    Target("4b", "Psychosocial support beats standard training", "effect of coaching / "
           "effect of training on earned income, month 24", "profits +30 % vs +11 % "
           "(Campos et al. 2017, Science)", (1.5, 6.0), "validation_components",
           coaching_over_training),
    Target("5a", "Microcredit: low take-up", "% of households offered a loan who take it",
           "~13 % (Banerjee, Karlan & Zinman 2015)", (8, 20), "validation_microcredit",
           take_up),
    Target("5b", "Microcredit: no significant average consumption gain", "% consumption of "
           "those offered vs baseline, month 24", "not significant (Meager 2019)", (-2, 2),
           "validation_microcredit", microcredit_effect),
    Target("5c", "Microcredit: gains go to existing enterprises", "effect (pp) among those "
           "with assets >= k_min minus among the others", "concentrated in prior businesses "
           "(Meager 2019)", (0, 100), "validation_microcredit", microcredit_enterprise_gap),
    Target("6a", "Training alone: employment", "wage employment of trainees vs baseline, "
           "percentage points, month 18", "+4 pp, 95 % CI 2-6 (McKenzie 2017)", (2, 6),
           "validation_training", training_employment),
    Target("6b", "Training alone: earnings", "% earned income of trainees vs baseline, "
           "month 18", "+8 % (McKenzie 2017)", (3, 13), "validation_training",
           training_earnings),
    Target("P1", "Plausible: self-sufficiency exits under business as usual", "graduations "
           "per year, % of active households", "1.5-3.5 %/year (the province)", (1.5, 3.5),
           "validation_graduation", lambda runs, seed: exits_per_year(runs, seed, "net")),
    Target("P2", "Plausible: gross exits from support", "graduations and exits per year, % "
           "of active households", "~15 %/year (the province)", (10, 20),
           "validation_graduation", lambda runs, seed: exits_per_year(runs, seed, "gross")),
)


def evaluate(households: int | None = None, seeds: int | None = None,
             targets: tuple[Target, ...] = TARGETS,
             progress: Callable[[str], None] | None = None,
             runs_dir: str | Path | None = None, jobs: int = 1) -> pd.DataFrame:
    """Measure every target; one row per target with the mean, interval and verdict.

    The runs are stored in ``runs_dir`` (reused when already there), or in a temporary
    folder if None; ``jobs`` worker processes run them.
    """
    rows = []
    studies: dict[Study, Evaluation] = {}
    with runs_folder(runs_dir) as folder:
        for target in targets:
            study = Study(target.experiment, households, seeds)
            if study not in studies:
                studies[study] = study.evaluate(folder, jobs)
            values = [target.compute(studies[study], seed) for seed in study.seed_list()]
            mean, lo, hi = interval(values)
            passed = bool(np.isfinite(mean) and target.band[0] <= mean <= target.band[1])
            rows.append({"number": target.number, "claim": target.claim,
                         "measure": target.measure, "published": target.published,
                         "band_low": target.band[0], "band_high": target.band[1],
                         "simulated": mean, "ci_low": lo, "ci_high": hi,
                         "seeds": len(values), "passed": passed})
            if progress:
                progress(f"{target.number}: {mean:.3g} [{lo:.3g}, {hi:.3g}] "
                         f"{'pass' if passed else 'FAIL'}")
    return pd.DataFrame(rows)
