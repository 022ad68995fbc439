"""Validation against published facts: the rows, the models they are run on, and their status.

Each row is measured on the runs of one committed experiment file
(``configs/experiment/validation_*.yaml``), once per seed, on the default model and on every
null model (``experiments.analysis.validation_nulls``). Its figure is the mean over seeds with
its 95 % interval (Student t). A row's status:

- ``pass``: the default is inside the band and at least one null model is outside it;
- ``not discriminating``: the default is inside the band and no null model is outside it
  (each is inside, or could not be measured), so the row does not tell the model from a
  wrong one;
- ``miss``: the default is outside the band;
- ``not measurable``: the default's measure could not be computed on these runs (NaN: too
  few households or seeds for what it reads); a larger run gives it a number;
- ``calibrated``: the figure is arithmetic of one parameter that was set from this target.

Every package row also shows equal-cost benchmarks (cash benchmarking, McIntosh & Zeitlin):
the package's cost per treated household, measured on its runs, given to the same kind of
households as a lump sum of cash and as a productive asset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.analysis import validation_measures as vm
from experiments.analysis.benefit_cost import DISCOUNT_ANNUAL
from experiments.analysis.statistics import interval
from experiments.analysis.validation_nulls import DEFAULT, NULLS, WORLDS, world_overrides
from experiments.calibration import spec as spec_io
from experiments.config import CONFIG_DIR, load_config, sweep_params
from experiments.evaluate import Evaluation, Point, runs_folder
from experiments.evaluate import evaluate as evaluate_plan
from model.params import Config
from model.threshold import dose_threshold

PASS, NOT_DISCRIMINATING, MISS, CALIBRATED = "pass", "not discriminating", "miss", "calibrated"
NOT_MEASURABLE = "not measurable"
STATUSES = (PASS, NOT_DISCRIMINATING, MISS, NOT_MEASURABLE, CALIBRATED)
"""Every status, in the order the table's tally lists them."""
PACKAGES = {"validation_graduation": ("graduation", "asset_grant"),
            "validation_microcredit": ("microcredit", "microcredit"),
            "validation_training": ("training", "training")}
"""The package of each experiment with a benchmark: its scenario and the programme whose
enrolment marks a treated household."""
BENCHMARKS = {"cash_equal": "cash_transfer", "asset_equal": "asset_grant"}
"""The equal-cost benchmark arms: name and the programme that delivers the money."""
FRAME = ("targeting", "coverage", "max_households", "start_month", "enrol_months",
         "max_consumption_pc_z")
"""Who a programme reaches: a benchmark copies these from its package's programme."""


def table_number(value: float) -> str:
    """A figure of the table to three significant digits ('n/a' where it could not be
    computed)."""
    return "n/a" if np.isnan(value) else f"{value:.3g}"


def default_with_interval(row: dict) -> str:
    """The default model's figure of a row with its 95 % interval, where it has one (one
    seed gives none): '4.46 [3.1, 5.2]'."""
    interval_text = "" if np.isnan(row["ci_low"]) else \
        f" [{table_number(row['ci_low'])}, {table_number(row['ci_high'])}]"
    return table_number(row["simulated"]) + interval_text


def row_status(value: float, band: tuple[float, float], null_values: list[float],
               calibrated: bool = False) -> str:
    """The status of a row from the default's figure and the null models' (see above): a
    figure that could not be computed (NaN) is never inside the band nor outside it."""
    def inside(x: float) -> bool:
        return bool(np.isfinite(x) and band[0] <= x <= band[1])

    if np.isnan(value):
        return NOT_MEASURABLE
    if calibrated:
        return CALIBRATED
    if not inside(value):
        return MISS
    outside = [not inside(x) for x in null_values if not np.isnan(x)]
    return PASS if any(outside) else NOT_DISCRIMINATING


@dataclass(frozen=True)
class Study:
    """The runs of one validation experiment in one model, at a size and number of seeds."""

    experiment: str
    households: int | None = None
    seeds: int | None = None
    world: str = DEFAULT

    def seed_list(self) -> list[int]:
        """Seeds of the experiment file, or the first ``seeds`` of them."""
        seeds = [int(s) for s in self._sweep()["seed"]]
        return seeds[: self.seeds] if self.seeds else seeds

    def scenarios(self) -> list[str]:
        """Scenarios of the experiment file's sweep (its own scenario if it sweeps none)."""
        return self._sweep().get("scenario") or [load_config(self.overrides()).label]

    def overrides(self) -> list[str]:
        """The experiment in this model at this size."""
        size = [f"population.households={self.households}"] if self.households else []
        return [f"+experiment={self.experiment}", *size, *world_overrides(self.world)]

    def plan(self) -> list[Point]:
        """Every scenario with every seed, each point named by its scenario."""
        return [Point.compose(scenario, [*self.overrides(), f"scenario={scenario}"], seed)
                for scenario in self.scenarios() for seed in self.seed_list()]

    def benchmark_plan(self, cost_z: float) -> list[Point]:
        """The equal-cost arms of the study's package, costing ``cost_z`` per treated
        household, offered to the households its package is offered to."""
        scenario, programme = PACKAGES[self.experiment]
        package = getattr(load_config([*self.overrides(), f"scenario={scenario}"]).programmes,
                          programme)
        points = []
        for arm, delivered_by in BENCHMARKS.items():
            overrides = [*self.overrides(), f"scenario={delivered_by}"]
            frame = [f"programmes.{delivered_by}.{key}={getattr(package, key)}" for key in FRAME]
            dose = f"programmes.{delivered_by}.dose={self._dose(overrides, delivered_by, cost_z)}"
            points += [Point.compose(arm, [*overrides, *frame, dose], seed)
                       for seed in self.seed_list()]
        return points

    def evaluate(self, runs_dir: Path, jobs: int = 1) -> Evaluation:
        """The study's runs with its benchmarks, stored in ``runs_dir`` (reused if there)."""
        runs = evaluate_plan(self.plan(), runs_dir, jobs)
        if self.experiment not in PACKAGES:
            return runs
        benchmarks = evaluate_plan(self.benchmark_plan(self.package_cost(runs)), runs_dir, jobs)
        return Evaluation(runs.runs + benchmarks.runs)

    def package_cost(self, runs: Evaluation) -> float:
        """Net spending of the study's package per treated household (z), mean over seeds."""
        return float(np.mean([cost_per_treated(runs, seed, *PACKAGES[self.experiment])
                              for seed in self.seed_list()]))

    def benchmark_money(self, cost_z: float) -> dict[str, float]:
        """What each equal-cost arm hands a household (z) when the package costs ``cost_z``:
        the cost less the arm's own delivery cost."""
        money = {}
        for point in self.benchmark_plan(cost_z)[:: len(self.seed_list())]:
            programme = BENCHMARKS[point.name]
            terms = getattr(point.config.programmes, programme)
            unit = dose_threshold(point.config) if programme == "asset_grant" else 1.0
            money[point.name] = terms.dose * unit
        return money

    @staticmethod
    def _dose(overrides: list[str], programme: str, cost_z: float) -> str:
        """The dose that makes ``programme`` cost ``cost_z`` per household, delivery included."""
        config = load_config(overrides)
        terms = getattr(config.programmes, programme)
        money = max(cost_z - terms.unit_cost_z * terms.duration_months, 0.0)
        per_unit = dose_threshold(config) if programme == "asset_grant" else 1.0
        return f"{money / per_unit:.4f}"

    def _sweep(self) -> dict[str, list[str]]:
        return sweep_params([f"+experiment={self.experiment}"])


def cost_per_treated(runs: Evaluation, seed: int, scenario: str, programme: str) -> float:
    """Net programme spending of ``scenario`` per treated household (z, real), rounded to
    0.01 z so that the benchmark arms built from it keep their run ids."""
    arm = runs.run(scenario, seed)
    return round(arm.results["spending_programmes"].sum() / vm.treated(arm, programme).sum(), 2)


@dataclass(frozen=True)
class Target:
    """One row of the validation table; ``calibrated`` names the parameter set from it when
    the row is arithmetic of that parameter."""

    number: str
    claim: str
    measure: str
    published: str
    band: tuple[float, float]
    experiment: str
    compute: Callable[[Evaluation, int], float]
    calibrated: str = ""

    @property
    def benchmarked(self) -> bool:
        """Whether the row is a package's effect, shown beside its equal-cost benchmarks."""
        return isinstance(self.compute, vm.ArmMeasure) and \
            self.experiment in PACKAGES


def on_long_run_map(measure: Callable[[vm.AssetMap], float]) -> Callable[[Evaluation, int],
                                                                         float]:
    """A measure of the long-run asset map as a row's compute."""
    return lambda runs, seed: measure(vm.long_run_map(runs, seed))


INF = float("inf")
GRADUATION_24 = vm.ArmEffect("graduation", "asset_grant", 24)
TARGETS = (
    Target("1a", "Trap: the long-run asset map turns up near k*", "upward zero crossing of "
           "the binned map (last 12 months of business as usual) nearest k*, over k*",
           "S-shaped map, threshold near the indivisible asset (Balboni et al. 2022, QJE)",
           (0.75, 1.33), "validation_asset_threshold",
           on_long_run_map(vm.unstable_point_over_threshold)),
    Target("1b", "Trap: households just above k* accumulate", "mean change of assets (z) "
           "over the last 12 months, households starting in [k*, 1.3k*)", "accumulate "
           "(Balboni et al. 2022)", (0.0, INF), "validation_asset_threshold",
           on_long_run_map(vm.change_above_threshold)),
    Target("1c", "Trap: households just below k* slide back", "mean change of assets (z) "
           "over the last 12 months, households starting in [0.7k*, k*)", "slide back "
           "(Balboni et al. 2022)", (-INF, 0.0), "validation_asset_threshold",
           on_long_run_map(vm.change_below_threshold)),
    Target("1d", "Trap: two stable levels of assets far apart", "distance between the "
           "lowest and highest stable levels of the map (its downward zero crossings, and 0 "
           "if the poorest lose assets), over k*", "poor and "
           "non-poor steady states (Balboni et al. 2022)", (0.5, INF),
           "validation_asset_threshold", on_long_run_map(vm.stable_points_apart)),
    Target("1e", "Trap: the long-run distribution has two modes", "households in the "
           "emptiest bin between the fullest bin below k* and the fullest from k* to 2k* "
           "(bins of 0.1k*), over the smaller of the two", "few households near the "
           "threshold, bimodal assets (Balboni et al. 2022)", (0.0, 0.5),
           "validation_asset_threshold", on_long_run_map(vm.valley_between_modes)),
    Target("2a", "Graduation package raises consumption", "% per-capita consumption of the "
           "treated vs baseline, month 24", "+5-6 % (Banerjee et al. 2015, Science)",
           (3, 10), "validation_graduation", GRADUATION_24),
    Target("2b", "...and it lasts a year after support ends", "same, month 36", "still "
           "positive (Banerjee et al. 2015)", (0, 30), "validation_graduation",
           vm.ArmEffect("graduation", "asset_grant", 36)),
    Target("2c", "Benefits exceed costs", "discounted monthly consumption gains of all "
           "households / discounted net cost (5 %/year): 7 simulated years, the last year's "
           "gain held thereafter", "1.3-4.3 x in most sites (Banerjee et al. 2015)",
           (1.3, 4.3), "validation_graduation",
           partial(vm.package_benefit_cost, discount_annual=DISCOUNT_ANNUAL)),
    Target("2d", "Cash is competitive with the package", "effect of the package's cost "
           "given as cash / effect of the package, per-capita consumption, month 24",
           "cost-equivalent cash does about as well (McIntosh & Zeitlin 2022; Sedlmayr, "
           "Shah & Sulaiman 2020)", (0.75, INF), "validation_graduation",
           vm.Ratio(GRADUATION_24.on("cash_equal", "cash_transfer"), GRADUATION_24)),
    Target("3", "Effects grow after support", "effect at month 84 / effect at month 24, "
           "all treated households", "+12 % at 18 months, +25 % at 7 years (Banerjee, "
           "Duflo & Sharma 2021)", (1.0, 4.0), "validation_graduation",
           vm.Ratio(vm.ArmEffect("graduation", "asset_grant", 84), GRADUATION_24)),
    Target("4a", "An asset grant alone does less than the package", "effect of the grant "
           "alone / effect of the package, consumption, month 24", "grant < package "
           "(Banerjee et al. 2015)", (0.0, 0.9), "validation_components",
           vm.Ratio(vm.ArmEffect("asset_grant", "asset_grant", 24), GRADUATION_24)),
    Target("4b", "Psychosocial support beats standard training", "effect of coaching / "
           "effect of training on earned income, month 24", "profits +30 % vs +11 % "
           "(Campos et al. 2017, Science)", (1.5, 6.0), "validation_components",
           vm.Ratio(vm.ArmEffect("mentoring", "mentoring", 24, "income"),
                    vm.ArmEffect("training", "training", 24, "income"))),
    Target("5a", "Microcredit: low take-up", "% of households offered a loan who take it",
           "~13 % (Banerjee, Karlan & Zinman 2015)", (8, 20), "validation_microcredit",
           vm.take_up, calibrated="programmes.microcredit_terms.take_up_base"),
    Target("5b", "Microcredit: no significant average consumption gain", "% consumption of "
           "those offered vs baseline, month 24", "not significant (Meager 2019)", (-2, 2),
           "validation_microcredit", vm.ArmEffect("microcredit", "microcredit", 24)),
    Target("5c", "Microcredit: gains go to existing enterprises", "effect (pp) among those "
           "with assets >= k_min minus among the others", "concentrated in prior businesses "
           "(Meager 2019)", (0, 100), "validation_microcredit", vm.microcredit_enterprise_gap),
    Target("6a", "Training alone: employment", "wage employment of trainees vs baseline, "
           "percentage points, month 18", "+4 pp, 95 % CI 2-6 (McKenzie 2017)", (2, 6),
           "validation_training", vm.ArmShareGain("training", "training", 18, "wage_job")),
    Target("6b", "Training alone: earnings", "% earned income of trainees vs baseline, "
           "month 18", "+8 % (McKenzie 2017)", (3, 13), "validation_training",
           vm.ArmEffect("training", "training", 18, "income")),
    Target("P1", "Plausible: self-sufficiency exits under business as usual", "graduations "
           "per year, % of active households", "1.5-3.5 %/year (the province)", (1.5, 3.5),
           "validation_graduation", partial(vm.exits_per_year, which="net")),
    Target("P2", "Plausible: gross exits from support", "graduations and exits per year, % "
           "of active households", "~15 %/year (the province)", (10, 20),
           "validation_graduation", partial(vm.exits_per_year, which="gross"),
           calibrated="status.p_exit"),
)


@dataclass(frozen=True)
class Fitted:
    """Parameters set from validation targets: the rows they were set from (none: from
    another figure, named in ``how``), and how."""

    parameters: str
    targets: tuple[str, ...]
    how: str


CALIBRATION = spec_io.read(CONFIG_DIR / "calibration" / "default.yaml")
"""The default calibration file: which parameters it fits and which it leaves to their priors."""


def with_defaults(parameters: tuple[spec_io.Parameter, ...]) -> str:
    """The parameters' config keys with the model's defaults of them (the shipped values)."""
    defaults = Config()
    return "; ".join(f"{p.key} ({attrgetter(p.key)(defaults):.3g})" for p in parameters)


FITTED = (
    Fitted("programmes.microcredit_terms.take_up_base (0.14)", ("5a",),
           "take-up is 0.14 times the mean of (0.5 + confidence)(0.5 + culture): the row is "
           "arithmetic of it"),
    Fitted("status.p_exit (0.01 a month)", ("P2",), "about 12 of the 15 points of gross "
           "exits are this rate: the row is arithmetic of it"),
    Fitted("enterprise.gamma_low, theta_low (0.065, 1.715)", ("2a",),
           "a flat low technology, so that the package's effect came near +5-6 %"),
    Fitted("enterprise.ramp_months (72)", ("3",), "time to build, so that effects grew after "
           "support (then measured on the treated above k* at month 12)"),
    Fitted("institutions.social_worker_contact (0.03)", ("4b",),
           "to separate volunteers' coaching from the social workers' visits (with coaching's "
           "confidence gain, then set by hand at 0.12 and now from its prior)"),
    Fitted("programmes.microcredit_terms.invested_share_without_business (0.3)", ("5c",),
           "fungible loans, so that gains went to existing businesses"),
    Fitted(with_defaults(CALIBRATION.fitted()), ("5b", "6a", "P1"),
           "estimated by the shipped calibration (data/calibration/default, docs/calibration.md) "
           "from the published values of these rows; the package's rows are held out of it"),
    Fitted(with_defaults(CALIBRATION.prior_only()), (), "their priors' medians, from "
           "published effects of such programmes (docs/calibration.md): no row or moment reads "
           "them in the calibration"),
    Fitted("labour.referral_effect (1.9)",
           ("2a", "2b", "2c", "3", "4a", "4b", "5a", "5b", "5c", "6a", "6b"),
           "fitted by hand, together with the keys now calibrated, at reduced size on two seeds "
           "against all the rows of targets 1-6 as they were then (the trap rows were shares "
           "of households moving in 12 months)"),
    Fitted("labour.casual_wage_z (1.09)", (), "from the province's month-0 headcount "
           "(47.8 % of the drawn start at the productivity spread of then, 0.30), not from a "
           "row"),
    Fitted("population.productivity_median of the no-trap model only", (),
           "from the default's business-as-usual headcount (configs/null/no_trap.yaml)"),
)
"""Which parameters were set from which target (docs/model.md)."""


def unused_targets() -> list[str]:
    """The rows no parameter was set from: the validated ones."""
    used = {number for fitted in FITTED for number in fitted.targets}
    return [t.number for t in TARGETS if t.number not in used]


def measure(target: Target, runs: dict[str, Evaluation], seeds: list[int]) -> dict:
    """One row: the default's mean and interval, every null's mean, the benchmarks, status."""
    values = {world: [target.compute(runs[world], seed) for seed in seeds] for world in WORLDS}
    mean, lo, hi = interval(values[DEFAULT])
    nulls = {world: interval(values[world])[0] for world in NULLS}
    row = {"number": target.number, "claim": target.claim, "measure": target.measure,
           "published": target.published, "band_low": target.band[0],
           "band_high": target.band[1], "simulated": mean, "ci_low": lo, "ci_high": hi,
           "seeds": len(seeds), **{f"null_{w}": v for w, v in nulls.items()},
           "status": row_status(mean, target.band, list(nulls.values()),
                                bool(target.calibrated))}
    for arm, programme in BENCHMARKS.items():
        row[arm] = interval([target.compute.on(arm, programme)(runs[DEFAULT], seed)
                             for seed in seeds])[0] if target.benchmarked else float("nan")
    return row


def evaluate(households: int | None = None, seeds: int | None = None,
             targets: tuple[Target, ...] = TARGETS,
             progress: Callable[[str], None] | None = None,
             runs_dir: str | Path | None = None, jobs: int = 1) -> pd.DataFrame:
    """Measure every target in every model; one row per target (see ``measure``).

    The runs are stored in ``runs_dir`` (reused when already there), or in a temporary
    folder if None; ``jobs`` worker processes run them.
    """
    rows = []
    evaluated: dict[Study, Evaluation] = {}
    with runs_folder(runs_dir) as folder:
        for target in targets:
            studies = {world: Study(target.experiment, households, seeds, world)
                       for world in WORLDS}
            for study in studies.values():
                if study not in evaluated:
                    evaluated[study] = study.evaluate(folder, jobs)
            row = measure(target, {w: evaluated[s] for w, s in studies.items()},
                          studies[DEFAULT].seed_list())
            rows.append(row)
            if progress:
                nulls = ", ".join(f"{w} {table_number(row[f'null_{w}'])}" for w in NULLS)
                progress(f"{target.number}: {default_with_interval(row)} ({nulls}) {row['status']}")
    return pd.DataFrame(rows)
