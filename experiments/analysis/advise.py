"""``empowernet advise ROSTER --budget-total B``: which package for which family of a roster.

Three steps, every run through ``evaluate`` (stored in ``out/runs``, so a second call with
another budget or objective reuses them):

1. **Per-family effects.** The roster is simulated under business as usual and under each
   candidate package given to every household (``replications`` seeds, shared by all
   packages: common random numbers, so a household meets the same shocks whatever it
   receives; with a posterior, the same parameter draw too). Each package is also matched by
   **equal-cost cash**: a cash transfer of the package's mean cost per household. For each
   household and package: the expected gain in the chosen welfare ``objective`` against
   business as usual, with its 95 % interval over the paired replications, and the full
   cost.
2. **Allocation.** At most one package per household, maximising the sum of expected gains
   within the budget (``experiments.analysis.allocation``).
3. **The allocation as a whole.** The chosen assignment is simulated as it would be
   delivered, in one run per replication (``population.assignment_path``: each household
   receives only its package, beside the others), and its gain over business as usual on the
   same seeds is reported with its interval, with what it spent and the budget left unspent
   and why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments import store
from experiments.analysis.advice_page import advice_intro, write_advice_page
from experiments.analysis.allocation import (
    EQUAL_CASH,
    NONE,
    allocate,
    compatible_sets,
    unspent_reason,
)
from experiments.analysis.diagnose import diagnose_roster
from experiments.analysis.objectives import DEFAULT_OBJECTIVE, OBJECTIVES, Objective
from experiments.analysis.presentation import ENGLISH, View
from experiments.analysis.statistics import interval, interval_caption
from experiments.analysis.targets import untargeted, untargeted_note
from experiments.config import load_config
from experiments.evaluate import Point, StoredRun, evaluate
from experiments.uncertainty import NONE as FIXED
from experiments.uncertainty import posterior_override, read_posterior
from model import roster as roster_io
from model.params import BASELINE, Config, ConfigError, to_dict
from model.programmes import PROGRAMME_NAMES
from model.state import LEFT, STATUSES
from scenarios import assignment as assignment_file

DEFAULT_PACKAGES = ("graduation", "asset_grant", "training", "mentoring", "cash_transfer")
DEFAULT_REPLICATIONS = 20
RUNS = "runs"
"""The folder (in ``out``) of the runs: a second call with other budgets reuses them."""
ASSIGNMENTS = "assignments"
"""The folder (in ``out``) of the assignment files the runs read."""


@dataclass(frozen=True)
class Advice:
    """What ``advise`` found: one row per household, and the allocation as a whole."""

    households: pd.DataFrame
    allocation: pd.DataFrame
    unspent_reason: str
    interval_caption: str  # what the intervals cover
    folder: Path  # where the tables and the page were written (advice_folder)
    untargeted: tuple[str, ...]  # a sentence on each binding constraint no package offers


SETTINGS = "advice.yaml"
"""The settings an advice folder's tables were made with (:func:`refuse_other_advice`)."""
TABLES = ("advice.csv", "allocation.csv")
"""The advice's tables, in its folder: each household's advice, and the allocation's sums."""


def advice_folder(out: Path, view: View) -> Path:
    """Where the advice in the language of ``view`` goes: ``out`` for English,
    ``out/advice_<lang>`` for another language, so that advice in one language never
    overwrites advice in another (the runs in ``out`` serve both)."""
    return out if view.lang == "en" else out / f"advice_{view.lang}"


def advice_settings(roster: Path, budget: float, packages: Sequence[str], replications: int,
                    months: int, overrides: Sequence[str], objective: str,
                    posterior: str, view: View) -> dict[str, Any]:
    """What identifies a piece of advice: the roster's and the posterior's contents and every
    option that changes its numbers or their presentation."""
    return {"roster_sha256": hashlib.sha256(roster.read_bytes()).hexdigest(),
            "budget_total": budget, "packages": list(packages), "replications": replications,
            "months": months, "overrides": list(overrides), "objective": objective,
            "posterior_sha256": "" if posterior == FIXED else read_posterior(posterior).sha256,
            "lang": view.lang, "currency": view.currency}


def refuse_other_advice(folder: Path, settings: dict[str, Any]) -> None:
    """Raise ConfigError if ``folder`` holds advice made with other ``settings`` (nothing is
    written then)."""
    store.refuse_other_settings(folder / SETTINGS, settings, "advice", tables=TABLES)


def refuse_empty_packages(settings: Mapping[str, Mapping[str, Any]]) -> None:
    """Raise ConfigError if a package (``package_settings`` by name) runs no programme: it
    would be business as usual, which every package is compared with already."""
    empty = [name for name, values in settings.items() if not programmes_of(values)]
    if empty:
        raise ConfigError(f"--packages {' '.join(empty)}: runs no programme, so it is no "
                          "package to offer (business as usual is what every package is "
                          "compared with); give scenarios that run programmes, e.g. "
                          f"{' '.join(DEFAULT_PACKAGES)}.")


def roster_base(roster: Path, months: int, overrides: Sequence[str]) -> list[str]:
    """The overrides of every run: the roster's cohort alone (no new clients enter), a
    snapshot every month (the welfare over the horizon is read from them)."""
    every_month = f"outputs.snapshot_months=[{','.join(map(str, range(1, months + 1)))}]"
    return ["population=pilot", f"population.roster_path={roster}", f"months={months}",
            "status.p_entry=0", *overrides, every_month]


def package_settings(overrides: Sequence[str], base: Sequence[str],
                     households: int) -> dict[str, Any]:
    """The config keys a package sets (those that differ from business as usual, and every key
    of the programmes it runs), each programme served to every one of ``households`` assigned
    to it: no targeting, coverage or consumption limit, and room for all (training seats,
    incubation slots, the package's own mentors)."""
    package = load_config([*overrides, *base])
    usual = load_config([f"scenario={BASELINE}", *base])
    everyone = ["budget.limited=false", "institutions.training_seats=1000",
                "institutions.incubation_slots=1000"]
    for name in PROGRAMME_NAMES:
        if getattr(package.programmes, name).enabled:
            everyone += [f"programmes.{name}.targeting=all_eligible",
                         f"programmes.{name}.coverage=1.0",
                         f"programmes.{name}.max_consumption_pc_z=1000000",
                         f"programmes.{name}.max_households=0"]
    if package.programmes.mentoring.enabled:
        everyone += mentors_for_everyone(package, usual, households)
    settings = store.flatten(to_dict(load_config([*overrides, *base, *everyone])))
    before = store.flatten(to_dict(usual))
    runs = tuple(f"programmes.{name}." for name in PROGRAMME_NAMES
                 if settings[f"programmes.{name}.enabled"])
    return {key: value for key, value in settings.items()
            if key != "label" and (value != before[key] or key.startswith(runs))}


MENTOR_CASELOADS = {"students": "volunteer_caseload", "professors": "volunteer_caseload",
                    "professionals": "volunteer_caseload",
                    "social_workers": "social_worker_caseload"}
"""Each kind of mentor's supply (``institutions.<kind>``) and the caseload it works at."""


def mentors_for_everyone(package: Config, usual: Config, households: int) -> list[str]:
    """Overrides that scale the package's own mentors (the kinds it adds to business as usual,
    else the social workers) in proportion until they have room for all ``households`` at
    the start."""
    inst = package.institutions
    own = [kind for kind in MENTOR_CASELOADS
           if getattr(inst, kind) != getattr(usual.institutions, kind)] or ["social_workers"]
    if not any(getattr(inst, kind) > 0 for kind in own):
        return []

    def places(scale: float) -> int:
        return sum(round(getattr(inst, kind) * scale * households / 1000.0)
                   * getattr(inst, MENTOR_CASELOADS[kind]) for kind in own)

    scale = 1.0
    while places(scale) < households:
        scale *= 1.25
    return [f"institutions.{kind}={getattr(inst, kind) * scale!r}" for kind in own]


def programmes_of(settings: Mapping[str, Any]) -> list[str]:
    """The programmes a package runs."""
    return [name for name in PROGRAMME_NAMES if settings.get(f"programmes.{name}.enabled")]


def equal_cash(cost: float, base: Sequence[str], households: int) -> dict[str, Any]:
    """The settings of a cash transfer (the library's, at its delivery cost) costing ``cost``
    z per household; empty if its delivery alone costs more."""
    cash = load_config(["scenario=cash_transfer", *base]).programmes.cash_transfer
    dose = round(cost - cash.unit_cost_z * cash.duration_months, 1)
    if dose <= 0:
        return {}
    return package_settings(["scenario=cash_transfer",
                             f"programmes.cash_transfer.dose={dose}"], base, households)


def _override(key: str, value: Any) -> str:
    """A Hydra override setting ``key`` to ``value`` exactly."""
    if isinstance(value, bool):
        return f"{key}={str(value).lower()}"
    return f"{key}={value!r}" if isinstance(value, float) else f"{key}={value}"


def assignment_config(assignment: Mapping[str, str], settings: Mapping[str, dict],
                      base: Sequence[str], folder: Path, label: str) -> Config:
    """The run of ``assignment`` (household id -> package or ``NONE``): each household
    receives its package's programmes only; no package is business as usual.

    The assignment file is written in ``folder``, named by its content (a run's id hashes
    its config, which names the file).
    """
    used = sorted({package for package in assignment.values() if package != NONE})
    if not used:
        return load_config([f"scenario={BASELINE}", *base])
    merged: dict[str, Any] = {}
    for package in used:
        merged.update(settings[package])
    programmes = {household: programmes_of(settings[package])
                  for household, package in assignment.items() if package != NONE}
    text = "".join(f"{h}:{','.join(p)};" for h, p in sorted(programmes.items()))
    path = folder / f"{hashlib.sha256(text.encode()).hexdigest()[:16]}.csv"
    if not path.is_file():
        assignment_file.write(path, programmes)
    return load_config([f"scenario={BASELINE}", *base,
                        *(_override(k, v) for k, v in merged.items()),
                        f"label={label}", f"population.assignment_path={path.resolve()}"])


def household_values(run: StoredRun, objective: Objective) -> pd.DataFrame:
    """One row per household of a run: its welfare over the months it was a client (a
    household that leaves stops counting) and its programme cost."""
    months = sorted(m for m in run.snapshots if m >= 1)
    pc = np.stack([np.where(run.snapshots[m]["status"] == STATUSES[LEFT], np.nan,
                            run.snapshots[m]["consumption"] / run.snapshots[m]["size"])
                   for m in months])
    final = run.final
    return pd.DataFrame({
        "household_id": final["household_id"].astype(str), "seed": run.point.seed,
        "welfare": objective.value(pc, run.point.config.status.sustained_months),
        "cost": final["programme_cost_total"].to_numpy()})


def simulate(configs: Mapping[str, Config], replications: int, runs_dir: Path,
             objective: Objective, jobs: int = 1, progress: str = "") -> dict[str, pd.DataFrame]:
    """Each config's household values (``household_values``) over ``replications`` seeds,
    run in ``jobs`` processes under a bar labelled ``progress`` ("": none)."""
    plan = [Point.of(name, config, seed) for name, config in configs.items()
            for seed in range(replications)]
    runs = evaluate(plan, runs_dir, jobs=jobs, progress=progress).runs
    return {name: pd.concat([household_values(run, objective) for run in runs
                             if run.point.name == name], ignore_index=True)
            for name in configs}


def effects(values: pd.DataFrame, usual: pd.DataFrame) -> pd.DataFrame:
    """Per household: the mean gain over business as usual with its 95 % interval over the
    paired seeds, and the full cost: the most any replication spent on it (a household that
    leaves early costs less), which the budget must cover, as the model commits a
    programme's full cost at enrolment."""
    paired = values.merge(usual, on=["household_id", "seed"], suffixes=("", "_usual"))
    paired["gain"] = paired["welfare"] - paired["welfare_usual"]
    rows = [(household, *interval(group["gain"].to_numpy()), group["cost"].max())
            for household, group in paired.groupby("household_id", sort=False)]
    return pd.DataFrame(rows, columns=["household_id", "gain", "low", "high", "cost"]
                        ).set_index("household_id")


def whole(values: pd.DataFrame, usual: pd.DataFrame) -> dict[str, tuple[float, ...]]:
    """The allocation's total gain, spending and gain per 1,000 z, each with its interval
    over the paired seeds, and the most one replication spent (which the budget must cover:
    the interval of the mean can reach past it when no replication does)."""
    gain = (values.groupby("seed")["welfare"].sum() - usual.groupby("seed")["welfare"].sum())
    spent = values.groupby("seed")["cost"].sum()
    return {"gain": interval(gain.to_numpy()), "spent": interval(spent.to_numpy()),
            "spent_most": (float(spent.max()), float("nan"), float("nan")),
            "per_1000_z": interval((1000.0 * gain / spent).to_numpy())}


def refuse_bad_options(budget: float, replications: int) -> None:
    """Raise ConfigError for a negative budget or fewer replications than an interval needs."""
    if budget < 0:
        raise ConfigError(f"--budget-total {budget} is negative; give the z available in "
                          "total.")
    if replications < 2:
        raise ConfigError(f"--replications {replications}: an interval needs at least 2.")


@dataclass(frozen=True)
class Study:
    """What every run of one piece of advice shares: business as usual, the overrides of every
    run (``roster_base``), the roster's household ids, each package's settings by name, the
    folder of the runs and of their assignment files, and how the runs are replicated and
    measured."""

    usual: Config
    base: list[str]
    ids: list[str]
    settings: dict[str, dict[str, Any]]
    out: Path
    replications: int
    measure: Objective
    jobs: int

    @classmethod
    def of(cls, roster: Path, out: Path, packages: Sequence[str], base: list[str],
           replications: int, measure: Objective, jobs: int) -> Study:
        """The study of ``packages`` for the households of ``roster``; ConfigError if a
        package runs no programme."""
        usual = assignment_config({}, {}, base, out / ASSIGNMENTS, BASELINE)
        ids = [str(h) for h in roster_io.read(roster, usual).household_ids]
        settings = {p: package_settings([f"scenario={p}"], base, len(ids)) for p in packages}
        refuse_empty_packages(settings)
        return cls(usual, base, ids, settings, out, replications, measure, jobs)

    def config(self, assignment: Mapping[str, str], label: str) -> Config:
        """The run of ``assignment`` (household id -> package or ``NONE``), labelled
        ``label`` (:func:`assignment_config`)."""
        return assignment_config(assignment, self.settings, self.base,
                                 self.out / ASSIGNMENTS, label)

    def everyone(self, package: str) -> Config:
        """The run that gives ``package`` to every household."""
        return self.config(dict.fromkeys(self.ids, package), package)

    def programmes(self) -> set[str]:
        """The programmes its packages run."""
        return {name for values in self.settings.values() for name in programmes_of(values)}

    def simulate(self, configs: Mapping[str, Config], progress: str) -> dict[str, pd.DataFrame]:
        """Each config's household values over the replications, under a bar labelled
        ``progress`` (:func:`simulate`)."""
        return simulate(configs, self.replications, self.out / RUNS, self.measure, self.jobs,
                        progress)


def package_effects(study: Study) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Step 1 for the packages: each one's effects per household (:func:`effects`), and the
    household values of business as usual they are measured against."""
    values = study.simulate({NONE: study.usual, **{p: study.everyone(p) for p in study.settings}},
                            "runs of business as usual and the packages")
    return {p: effects(values[p], values[NONE]) for p in study.settings}, values[NONE]


def with_equal_cash(study: Study, estimates: Mapping[str, pd.DataFrame]) -> Study:
    """``study`` with its packages followed by a cash transfer of each one's mean cost per
    household (:func:`equal_cash`), except for a package that is a cash transfer and where
    the transfer's delivery alone would cost more."""
    cash = {f"{EQUAL_CASH}{p}": equal_cash(estimates[p]["cost"].mean(), study.base,
                                           len(study.ids))
            for p in estimates if programmes_of(study.settings[p]) != ["cash_transfer"]}
    return replace(study, settings={
        **study.settings, **{name: values for name, values in cash.items() if values}})


def equal_cash_effects(study: Study, usual: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Step 1 for the equal-cost cash transfers of ``study``: their effects per household
    against the household values ``usual`` of business as usual."""
    runs = study.simulate({c: study.everyone(c) for c in study.settings
                           if c.startswith(EQUAL_CASH)}, "runs of equal-cost cash")
    return {c: effects(values, usual) for c, values in runs.items()}


@dataclass(frozen=True)
class Allocated:
    """Steps 2 and 3: each household's package (or ``NONE``), the per-family gains and costs
    it was chosen from within ``budget``, the packages it could use together, its planned
    spending and the allocation as delivered (:func:`whole`)."""

    packages: pd.Series
    gains: pd.DataFrame
    costs: pd.DataFrame
    usable: tuple[str, ...]
    budget: float
    planned: float
    delivered: dict[str, tuple[float, ...]]

    def unspent_reason(self, view: View) -> str:
        """Why budget is left, in the words of ``view``."""
        usable = list(self.usable)
        return unspent_reason(self.packages, self.gains[usable], self.costs[usable],
                              self.budget, view)


def allocate_and_deliver(study: Study, estimates: Mapping[str, pd.DataFrame],
                         usual: pd.DataFrame, budget: float) -> Allocated:
    """Steps 2 and 3: the best packages within ``budget`` (:func:`allocate`), then that
    assignment simulated as delivered, against the household values ``usual`` of business
    as usual."""
    gains = pd.DataFrame({p: e["gain"] for p, e in estimates.items()}).loc[study.ids]
    costs = pd.DataFrame({p: e["cost"] for p, e in estimates.items()}).loc[study.ids]
    packages, usable = allocate(gains, costs, budget, compatible_sets(study.settings))
    delivered = study.simulate({"allocation": study.config(packages.to_dict(), "allocation")},
                               "runs of the allocation as delivered")
    planned = float(sum(costs.loc[h, p] for h, p in packages.items() if p != NONE))
    return Allocated(packages, gains, costs, usable, budget, planned,
                     whole(delivered["allocation"], usual))


def write_tables(folder: Path, table: pd.DataFrame, summary: pd.DataFrame) -> None:
    """Write ``advice.csv`` (``table``) and ``allocation.csv`` (``summary``) into ``folder``
    with 12 significant digits: no float noise (30.260000000000005), no loss that matters."""
    for frame, name in zip((table, summary), TABLES, strict=True):
        store.write_text(frame.to_csv(index=False, float_format="%.12g"), folder / name)


def advise(roster: str | Path, budget: float, out: str | Path,
           packages: Sequence[str] = DEFAULT_PACKAGES,
           replications: int = DEFAULT_REPLICATIONS, months: int = 36,
           overrides: Sequence[str] = (), objective: str = DEFAULT_OBJECTIVE,
           jobs: int = 1, posterior: str = FIXED, view: View = ENGLISH,
           overwrite: bool = False) -> Advice:
    """Estimate, allocate, simulate the allocation; diagnose the roster; write
    ``advice.csv``, ``allocation.csv`` and ``advice.html`` (in the words and currency of
    ``view``) into the advice folder of ``out`` (:func:`advice_folder`), which must not hold
    advice made with other settings unless ``overwrite``; the :class:`Advice` returned says
    why budget is left, what intervals cover and which binding constraints no package
    compared offers (``targets.untargeted``) in English, money in the currency of ``view``.

    With a ``posterior`` (a calibration's folder or posterior.csv; ``FIXED``: fixed
    parameters), replication r of every package and of the allocation runs with seed r and
    posterior draw r, so the pairing holds and the intervals carry parameter uncertainty.
    """
    refuse_bad_options(budget, replications)
    roster, out, measure = Path(roster), Path(out), OBJECTIVES[objective]
    folder = advice_folder(out, view)
    settings_made = advice_settings(roster, budget, packages, replications, months, overrides,
                                    objective, posterior, view)
    if not overwrite:
        refuse_other_advice(folder, settings_made)
    study = Study.of(roster, out, packages,
                     roster_base(roster, months, [*overrides, posterior_override(posterior)]),
                     replications, measure, jobs)
    estimates, usual = package_effects(study)
    study = with_equal_cash(study, estimates)
    estimates.update(equal_cash_effects(study, usual))
    chosen = allocate_and_deliver(study, estimates, usual, budget)
    table = households_table(chosen.packages, estimates, measure)
    summary = allocation_table(chosen.delivered, chosen.packages, chosen.gains, budget,
                               chosen.planned, measure)
    write_tables(folder, table, summary)
    draws = replications if posterior != FIXED else 0
    intro = advice_intro(table, summary, measure, chosen.unspent_reason(view), months,
                         interval_caption(replications, draws, lang=view.lang), view)
    found = diagnose_roster(roster, overrides, view)
    gaps = untargeted(found.families, study.programmes())
    write_advice_page(found, table, summary, measure, intro, gaps, folder)
    store.write_settings(folder / SETTINGS, settings_made)
    return Advice(table, summary, chosen.unspent_reason(view.in_english()),
                  interval_caption(replications, draws), folder,
                  tuple(untargeted_note(gap, packages) for gap in gaps))


def households_table(allocation: pd.Series, estimates: Mapping[str, pd.DataFrame],
                     measure: Objective) -> pd.DataFrame:
    """One row per household: its package, that package's expected gain with interval and
    cost, then every package's (columns ``<gain>_<package>``, ``<gain>_low_<package>``...)."""
    g = measure.gain
    table = pd.DataFrame({"household_id": allocation.index,
                          "allocated_package": allocation.to_numpy()})
    for column, field in ((g, "gain"), (f"{g}_low", "low"), (f"{g}_high", "high"),
                          ("cost", "cost")):
        table[f"{column}_allocated"] = [
            0.0 if p == NONE else estimates[p].loc[h, field] for h, p in allocation.items()]
    for package, estimate in estimates.items():
        for column, field in ((g, "gain"), (f"{g}_low", "low"), (f"{g}_high", "high"),
                              ("cost", "cost")):
            table[f"{column}_{package}"] = estimate.loc[allocation.index, field].to_numpy()
    return table


def allocation_table(delivered: Mapping[str, tuple[float, ...]], allocation: pd.Series,
                     gains: pd.DataFrame, budget: float, planned: float,
                     measure: Objective) -> pd.DataFrame:
    """The allocation as a whole: budget, spending, the planned gain (the sum of the
    per-family estimates) and the gain simulated as delivered, with intervals."""
    nan = float("nan")
    total = measure.total_unit
    planned_gain = float(sum(gains.loc[h, p] for h, p in allocation.items() if p != NONE))
    rows = [
        ("budget", budget, nan, nan, "z"),
        ("planned spending", planned, nan, nan, "z"),
        ("unspent", budget - planned, nan, nan, "z"),
        ("households with a package", float((allocation != NONE).sum()), nan, nan,
         "households"),
        ("spending as delivered", *delivered["spent"], "z"),
        ("most spent in one replication", *delivered["spent_most"], "z"),
        ("planned gain (sum of per-family estimates)", planned_gain, nan, nan, total),
        ("gain of the allocation as delivered", *delivered["gain"], total),
        ("gain as delivered per 1,000 z", *delivered["per_1000_z"], measure.per_1000_unit),
    ]
    return pd.DataFrame(rows, columns=["measure", "value", "ci_low", "ci_high", "unit"])
