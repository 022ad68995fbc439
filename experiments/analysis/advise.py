"""``empowernet advise ROSTER --budget B``: which package for which family of a real roster.

Every household of the roster is simulated under every candidate package (each programme of
the package given to every household) and under no package, for ``months`` months and
``replications`` seeds. The seeds are shared by all packages (common random numbers), so a
household meets the same shocks whatever it receives. For each household and package: the
probability of a sustained graduation within the horizon (graduated at least
``status.sustained_months`` before the end and still graduated at the end), the expected gain
in per-capita consumption over the horizon against no package, and the expected programme
cost. Packages are then allocated, at most one per household, to maximise the expected number
of sustained graduations within the budget (an exact dynamic programme over costs rounded up
to ``COST_STEP``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from experiments import store
from experiments.analysis import cards
from experiments.analysis.card_words import words
from experiments.analysis.cards import Recommendation
from experiments.analysis.diagnose import Diagnosis, diagnose_roster, sections, write_tables
from experiments.analysis.labels import rounded
from experiments.config import load_config
from experiments.evaluate import Point, StoredRun, evaluate
from model.params import Config, ConfigError
from model.programme_params import PROGRAMMES
from model.state import GRADUATED, STATUSES

DEFAULT_PACKAGES = ("graduation", "asset_grant", "training", "mentoring", "cash_transfer")
COST_STEP = 0.5  # z: the allocation rounds each cost up to this step, so it never overspends
NONE = "none"
RUNS = "runs"
"""The folder (in ``out``) of the runs: a second call with other budgets reuses them."""


def package_config(package: str, roster: Path, months: int,
                   overrides: Sequence[str]) -> Config:
    """The roster under ``package`` (a library scenario) given to every household, with a
    snapshot every month (the consumption over the horizon is read from them); the advice is
    for the cohort alone, so no new clients enter."""
    every_month = f"outputs.snapshot_months=[{','.join(map(str, range(1, months + 1)))}]"
    base = ["population=pilot", f"population.roster_path={roster}", f"months={months}",
            "status.p_entry=0", *overrides, every_month]
    if package == NONE:
        return load_config(["scenario=baseline", *base])
    cfg = load_config([f"scenario={package}", *base])
    everyone = []
    for name in PROGRAMMES:
        if getattr(cfg.programmes, name).enabled:
            everyone += [f"programmes.{name}.targeting=all_eligible",
                         f"programmes.{name}.coverage=1.0",
                         f"programmes.{name}.max_consumption_pc_z=1000000",
                         f"programmes.{name}.max_households=0"]
    roomy = ["institutions.training_seats=1000", "institutions.incubation_slots=1000"]
    return load_config([f"scenario={package}", *base, "budget.limited=false", *roomy,
                        *everyone])


def outcomes(run: StoredRun, months: int) -> pd.DataFrame:
    """One row per household of a run: sustained graduation, mean per-capita consumption over
    the horizon, programme cost."""
    consumed = np.zeros(len(run.final))
    for month in range(1, months + 1):
        snapshot = run.snapshots[month]
        consumed += snapshot["consumption"].to_numpy() / snapshot["size"].to_numpy()
    final = run.final
    graduated = final["graduation_month"].to_numpy()
    sustained = (final["status"] == STATUSES[GRADUATED]).to_numpy() & (graduated >= 1) & \
        (graduated <= months - run.point.config.status.sustained_months)
    return pd.DataFrame({
        "household_id": final["household_id"], "package": run.point.name,
        "seed": run.point.seed, "sustained": sustained.astype(float),
        "consumption_pc": consumed / months, "cost": final["programme_cost_total"]})


def simulate(roster: Path, packages: Sequence[str], replications: int, months: int,
             overrides: Sequence[str], runs_dir: Path) -> pd.DataFrame:
    """One row per household, package and replication: sustained, consumption, cost."""
    plan = [Point.of(package, package_config(package, roster, months, overrides), seed)
            for package in (NONE, *packages) for seed in range(replications)]
    runs = evaluate(plan, runs_dir, progress=True).runs
    return pd.concat([outcomes(run, months) for run in runs], ignore_index=True)


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Per household and package: P(sustained graduation), consumption gain, cost."""
    means = runs.groupby(["household_id", "package"], sort=False).mean(numeric_only=True)
    means = means.drop(columns="seed").reset_index()
    none = means[means["package"] == NONE].set_index("household_id")["consumption_pc"]
    means["consumption_gain"] = means["consumption_pc"] - means["household_id"].map(none)
    return means.rename(columns={"sustained": "p_sustained_graduation"})


def allocate(summary: pd.DataFrame, budget: float) -> pd.Series:
    """The package of each household maximising expected sustained graduations in budget."""
    households = list(dict.fromkeys(summary["household_id"]))
    table = summary.set_index(["household_id", "package"])
    packages = list(dict.fromkeys(summary["package"]))
    slots = int(np.floor(budget / COST_STEP + 1e-9))
    best = np.zeros(slots + 1)
    choices = np.zeros((len(households), slots + 1), dtype=np.int16)
    for i, household in enumerate(households):
        new = np.full(slots + 1, -np.inf)
        pick = np.zeros(slots + 1, dtype=np.int16)
        for k, package in enumerate(packages):
            row = table.loc[(household, package)]
            units = 0 if package == NONE else int(np.ceil(row["cost"] / COST_STEP - 1e-9))
            if units > slots:
                continue
            value = np.full(slots + 1, -np.inf)
            value[units:] = best[: slots + 1 - units] + row["p_sustained_graduation"]
            better = value > new
            new[better] = value[better]
            pick[better] = k
        best, choices[i] = new, pick
    chosen, b = {}, int(np.argmax(best))
    for i in range(len(households) - 1, -1, -1):
        package = packages[choices[i, b]]
        chosen[households[i]] = package
        if package != NONE:
            b -= int(np.ceil(table.loc[(households[i], package), "cost"] / COST_STEP - 1e-9))
    return pd.Series(chosen, name="package")


def advise(roster: str | Path, budget: float, out: str | Path,
           packages: Sequence[str] = DEFAULT_PACKAGES, replications: int = 5,
           months: int = 36, overrides: Sequence[str] = ()) -> pd.DataFrame:
    """Simulate, allocate, and write ``advice.csv`` and ``advice.html`` into ``out``."""
    if budget < 0:
        raise ConfigError(f"--budget {budget} is negative; give the z available in total.")
    roster, out = Path(roster), Path(out)
    summary = summarise(simulate(roster, packages, replications, months, overrides,
                                 out / RUNS))
    allocation = allocate(summary, budget)
    wide = summary.pivot(index="household_id", columns="package",
                         values=["p_sustained_graduation", "consumption_gain", "cost"])
    wide.columns = [f"{what}_{package}" for what, package in wide.columns]
    wide = wide.loc[list(dict.fromkeys(summary["household_id"]))]
    wide.insert(0, "allocated_package", allocation.reindex(wide.index))
    wide = wide.reset_index()
    store.write_text(wide.to_csv(index=False), out / "advice.csv")
    spent = sum(summary.set_index(["household_id", "package"]).loc[(h, p), "cost"]
                for h, p in allocation.items() if p != NONE)
    expected = sum(summary.set_index(["household_id", "package"]).loc[(h, p),
                   "p_sustained_graduation"] for h, p in allocation.items())
    counts = allocation.value_counts().to_dict()
    intro = words("advice intro", households=len(wide), replications=replications,
                  months=months, budget=budget, spent=spent, expected=expected,
                  packages=", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    write_advice_page(roster, wide, intro, overrides, out)
    return wide


def recommendations(wide: pd.DataFrame) -> dict[str, Recommendation]:
    """Each family's recommendation (by household id) from the advice table: the allocated
    package, its expected consumption gain (with its interval where the table has
    ``consumption_gain_low_<package>`` and ``consumption_gain_high_<package>``) and cost."""
    advice = {}
    for row in wide.to_dict("records"):
        package = row["allocated_package"]
        advice[row["household_id"]] = Recommendation(
            package, row[f"consumption_gain_{package}"],
            row.get(f"consumption_gain_low_{package}", float("nan")),
            row.get(f"consumption_gain_high_{package}", float("nan")), row[f"cost_{package}"])
    return advice


def advice_page(found: Diagnosis, wide: pd.DataFrame, intro: str) -> str:
    """The advice as a complete HTML page: the roster's poverty profile, a card per family
    with its diagnosis and recommendation, and the whole advice table, rounded."""
    table = wide.copy()
    numbers = table.select_dtypes("number").columns
    table[numbers] = table[numbers].apply(lambda column: rounded(column, 2))
    return cards.page(words("advice title", roster=found.roster.name), intro,
                      [*sections(found, recommendations(wide)),
                       cards.section(words("advice table heading"), cards.table_html(table))])


def write_advice_page(roster: Path, wide: pd.DataFrame, intro: str,
                      overrides: Sequence[str], out: Path) -> None:
    """Diagnose the roster and write ``advice.html`` (:func:`advice_page`) and the
    diagnosis's tables (``diagnose.write_tables``) into ``out``."""
    found = diagnose_roster(roster, overrides)
    write_tables(found, out)
    store.write_text(advice_page(found, wide, intro), out / "advice.html")
