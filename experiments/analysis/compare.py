"""``empowernet compare DIR``: each scenario of a sweep against the baseline, paired by seed.

With common random numbers, run ``(scenario, seed)`` and run ``(baseline, seed)`` share their
households and shocks, so their difference is the policy's effect in that world; the effect
reported is the mean of those paired differences over seeds, with its 95 % interval (Student
t). ``effect`` is the net effect on all households; beside it, at the months with household
snapshots, the effect on the scenario's participants and on the non-participants, whose
change is displacement or spillover (``experiments.analysis.participants``). Costs:
programme spending (loans net of their repayment) per household, per extra sustained
graduation, and the benefit-cost ratios from monthly flows (``experiments.analysis.
benefit_cost``), over the horizon and with the value held after it.

The runs compared are the sweep's current ones: those of its latest invocation (``index.json``),
so a sweep re-run with another setting is compared as it is now, and an extended one with all
its seeds. ``collected.parquet`` is rebuilt whenever the sweep's runs changed; ``comparison.*``
and ``costs.*`` record the runs they were built from in their Parquet metadata.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from experiments import console, store
from experiments.analysis import summary
from experiments.analysis.benefit_cost import DISCOUNT_ANNUAL, benefit_cost
from experiments.analysis.labels import numerals, significant
from experiments.analysis.outcomes import OUTCOMES
from experiments.analysis.participants import Snapshots, group_effects, with_groups
from experiments.analysis.statistics import FIXED, nested_interval
from experiments.analysis.translations import as_code, text
from experiments.collect import COLLECTED, collect, finished_runs, up_to_date
from experiments.sweep import current_among, latest_runs
from experiments.uncertainty import replication
from model.params import BASELINE, ConfigError

DEFAULT_MONTHS = (24, 36, 120)


def default_months(horizon: int) -> list[int]:
    """The months compared unless others are given: those of :data:`DEFAULT_MONTHS` within
    the runs' ``horizon``, and the horizon itself (the final month, of which every run keeps
    its household snapshot)."""
    return sorted({m for m in DEFAULT_MONTHS if m <= horizon} | {horizon})


REPLICATION = ["draw", "seed"]
"""What pairs a scenario's run with the baseline's: the same posterior draw and seed."""


def load(sweep_dir: Path) -> tuple[pd.DataFrame, dict[str, dict]]:
    """The results of the sweep's current runs, from its collected table (collected again if
    the sweep's runs changed since), each with the posterior draw it took (``draw``), and
    those runs (run id: manifest); each run's manifest is read once."""
    finished = finished_runs(sweep_dir)
    path = sweep_dir / COLLECTED
    table = pd.read_parquet(path if up_to_date(path, sweep_dir, finished)
                            else collect(sweep_dir, finished=finished))
    runs = current_among(sweep_dir, finished)
    if not runs:
        raise ConfigError(f"{sweep_dir} holds no finished run of its latest sweep (see its "
                          "index.json); run the sweep again to finish it.")
    for note in caveats(sweep_dir, runs):
        console.note(note)
    table = table[table["run"].isin(list(runs))].reset_index(drop=True)
    draws = replications(sweep_dir, list(runs))
    return table.assign(draw=table["run"].map(draws["draw"])), runs


def caveats(sweep_dir: Path, runs: dict[str, dict], lang: str = "en") -> list[str]:
    """In ``lang``, what to know before reading a comparison of ``runs`` (run id: manifest,
    the sweep's current runs): how many runs of its latest invocation have not finished
    (:func:`unfinished_note`), and which revisions of the code made them if more than one
    (:func:`mixed_code_note`)."""
    notes = (unfinished_note(sweep_dir, len(runs), lang),
             mixed_code_note(sweep_dir, runs.values(), lang))
    return [note for note in notes if note]


def mixed_code_note(sweep_dir: Path, manifests: Iterable[dict],
                    lang: str = "en") -> str | None:
    """In ``lang``, that the runs (their ``manifests``) were made by more than one revision
    of the code, with each revision's runs; None when one made them all."""
    made_by = store.code_revisions(manifests)
    if len(made_by) < 2:
        return None
    shares = "; ".join(f"{as_code(revision, lang)}: {numerals(str(n), lang)}"
                       for revision, n in made_by.most_common())
    return text("mixed code", lang, runs=numerals(str(made_by.total()), lang), sweep=sweep_dir,
                revisions=numerals(str(len(made_by)), lang), shares=shares)


def unfinished_note(sweep_dir: Path, finished: int, lang: str = "en") -> str | None:
    """In ``lang`` and its digits, how many runs of the sweep's latest invocation have not
    finished when ``finished`` of them have, and that the sweep is compared on those; None
    when all have."""
    planned = len(latest_runs(sweep_dir))
    if finished >= planned:
        return None
    counts = {"unfinished": planned - finished, "planned": planned, "finished": finished}
    return text("unfinished runs", lang, sweep=sweep_dir,
                **{key: numerals(str(n), lang) for key, n in counts.items()})


def replications(sweep_dir: Path, runs: Sequence[str]) -> pd.DataFrame:
    """Per run (index): the posterior draw it took (-1: fixed parameters), from its stored
    config.

    Raises:
        ConfigError: the runs mix fixed parameters and posterior draws, or two posteriors.
    """
    rows = {run: replication(store.read_config(sweep_dir / run)) for run in runs}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    if frame["posterior_sha256"].nunique() > 1:
        raise ConfigError(f"the runs of {sweep_dir} do not share one parameter setting: some "
                          "have fixed parameters and some posterior draws, or they drew from "
                          "different posteriors (uncertainty.posterior); compare one setting "
                          "at a time (run each in its own sweep).")
    return frame


def paired(table: pd.DataFrame, baseline: str) -> dict[str, pd.DataFrame]:
    """For each scenario, its runs joined to the baseline run of the same replication (the
    same posterior draw and seed) and month."""
    scenarios = sorted(set(table["scenario"]))
    if baseline not in scenarios:
        raise ConfigError(f"the sweep has no '{baseline}' runs to compare with; its "
                          f"scenarios are {', '.join(scenarios)}.")
    runs = table.groupby(["scenario", *REPLICATION])["run"].unique()
    twice = runs[runs.map(len) > 1]
    if len(twice):
        (scenario, _, seed), folders = twice.index[0], twice.iloc[0]
        raise ConfigError(f"the sweep has more than one run of scenario '{scenario}' with "
                          f"seed {seed} ({' and '.join(sorted(folders)[:2])}), so its runs "
                          "are not one setting; compare one setting at a time (run each "
                          "setting as a sweep of its own, empowernet run -m ... "
                          "hydra.sweep.dir=DIR).")
    if scenarios == [baseline]:
        raise ConfigError(f"the sweep's finished runs are all of '{baseline}', so there is "
                          "nothing to compare with it; run other scenarios into the same "
                          f"folder (empowernet run -m scenario={baseline},POLICY "
                          "hydra.sweep.dir=DIR), with the same seeds.")
    base = table[table["scenario"] == baseline]
    pairs = {name: table[table["scenario"] == name].merge(base, on=[*REPLICATION, "month"],
                                                          suffixes=("", "_base"))
             for name in scenarios if name != baseline}
    unpaired = [name for name, both in pairs.items() if both.empty]
    if unpaired:
        raise ConfigError(f"scenario '{unpaired[0]}' has no run with a seed (and posterior "
                          f"draw) that a '{baseline}' run has (its seeds: "
                          f"{seeds_of(table, unpaired[0])}; the baseline's: "
                          f"{seeds_of(table, baseline)}), so it cannot be paired; run both "
                          "with the same seeds (seed='range(N)' for each).")
    return pairs


def seeds_of(table: pd.DataFrame, scenario: str) -> str:
    """The seeds of ``scenario``'s runs in ``table``, in words."""
    return ", ".join(map(str, sorted(set(table.loc[table["scenario"] == scenario, "seed"]))))


def effects(pairs: dict[str, pd.DataFrame], months: Sequence[int],
            outcomes: Sequence[str] = tuple(OUTCOMES)) -> pd.DataFrame:
    """Effect of each scenario on each of ``outcomes`` (by default all) at each month, with
    its 95 % interval."""
    rows = []
    for name, both in pairs.items():
        by_month = dict(tuple(both.groupby("month")))
        for month in months:
            at = by_month.get(month)
            if at is None:
                continue
            draws = at["draw"].to_list()
            for outcome in outcomes:
                unit = OUTCOMES[outcome]
                diff = (at[outcome].to_numpy() - at[f"{outcome}_base"].to_numpy()).tolist()
                mean, lo, hi, share = nested_interval(diff, draws)
                rows.append({"scenario": name, "outcome": outcome, "unit": unit,
                             "month": month, "baseline": at[f"{outcome}_base"].mean(),
                             "scenario_value": at[outcome].mean(), "effect": mean,
                             "ci_low": lo, "ci_high": hi, "seeds": len(diff),
                             "draws": posterior_draws(draws), "parameter_share": share})
    return pd.DataFrame(rows)


def posterior_draws(draws: Sequence[int]) -> int:
    """How many posterior draws the replications took (0: fixed parameters)."""
    return len(set(draws) - {FIXED})


def costs(pairs: dict[str, pd.DataFrame], discount: float) -> pd.DataFrame:
    """Net spending (mean over replications), the loans lent and repaid to the programme
    within it, cost per household, per extra sustained graduation, and the benefit-cost ratios
    (over the horizon, and with the last year's gain held thereafter)."""
    rows = []
    for name, both in pairs.items():
        per_seed, draws = [], []
        for (draw, _), run in both.groupby(REPLICATION):
            draws.append(draw)
            run = run.sort_values("month")
            last = run.iloc[-1]
            spent = last["spending_programmes_cumulative"]
            gains = (run["consumption_total"] - run["consumption_total_base"]).to_numpy()
            ratios = benefit_cost(run["month"].to_numpy(), gains,
                                  run["spending_programmes"].to_numpy(), discount)
            extra = last["sustained_graduations_cumulative"] - \
                last["sustained_graduations_cumulative_base"]
            per_seed.append((spent / run["households_active"].iloc[0], spent, extra,
                             ratios.horizon, ratios.with_tail,
                             last["loans_disbursed_cumulative"],
                             last["loans_returned_cumulative"]))
        cost_hh, spent, extra, ratio, with_tail, lent, returned = (
            list(v) for v in zip(*per_seed, strict=True))
        mean_ratio, lo, hi, _ = nested_interval(ratio, draws)
        mean_tail, tail_lo, tail_hi, _ = nested_interval(with_tail, draws)
        rows.append({"scenario": name, "spending": float(np.mean(spent)),
                     "lent": float(np.mean(lent)), "lent_returned": float(np.mean(returned)),
                     "cost_per_household": float(np.mean(cost_hh)),
                     "extra_sustained_graduations": float(np.mean(extra)),
                     "cost_per_sustained_graduation": float(np.mean(spent) / np.mean(extra))
                     if np.mean(extra) > 0 else np.nan,
                     "benefit_cost_ratio": mean_ratio, "bcr_ci_low": lo, "bcr_ci_high": hi,
                     "benefit_cost_ratio_with_tail": mean_tail, "bcr_tail_ci_low": tail_lo,
                     "bcr_tail_ci_high": tail_hi,
                     "discount_rate": discount, "seeds": len(ratio)})
    return pd.DataFrame(rows)


def compare(sweep_dir: str | Path, baseline: str = BASELINE,
            months: Sequence[int] | None = None,
            discount: float = DISCOUNT_ANNUAL) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Effects and costs of every scenario of a sweep's current runs at ``months`` (by
    default :func:`default_months`); written next to it as CSV and Parquet (``comparison.*``,
    ``costs.*``)."""
    sweep_dir = Path(sweep_dir)
    results, runs = load_to_compare(sweep_dir, discount)
    months = default_months(int(results["month"].max())) if months is None else months
    return write_comparison(sweep_dir, results, store.sources(runs), baseline, months,
                            discount)


def load_to_compare(sweep_dir: Path, discount: float) -> tuple[pd.DataFrame, dict[str, dict]]:
    """The sweep's current runs (:func:`load`), once the folder and the discount rate (in
    [0, 1) a year) are checked: what ``compare`` and ``report`` start from."""
    if not sweep_dir.is_dir():
        raise ConfigError(f"{sweep_dir} is not a folder; give the sweep's output folder.")
    if not 0.0 <= discount < 1.0:
        raise ConfigError(f"--discount {discount} is not a rate between 0 and 1 a year.")
    return load(sweep_dir)


def write_comparison(sweep_dir: Path, results: pd.DataFrame, runs: list[dict],
                     baseline: str, months: Sequence[int], discount: float,
                     read: Snapshots | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Effects and costs of the ``results`` of ``runs`` (``store.sources``), written in
    ``sweep_dir`` with those runs in their metadata; the effects on groups from the snapshots
    ``read`` gives (by default, read for this call)."""
    pairs = paired(results, baseline)
    read = Snapshots(sweep_dir, months=months) if read is None else read
    table = with_groups(effects(pairs, months), group_effects(read, pairs, months))
    money = costs(pairs, discount)
    budget = summary.common_budget(money)
    money = money.merge(summary.chance_best(pairs, max(months), REPLICATION, budget),
                        on="scenario").assign(p_best_budget=budget)
    for frame, stem in ((table, "comparison"), (money, "costs")):
        store.write_parquet(frame, sweep_dir / f"{stem}.parquet", runs)
        store.write_text(frame.to_csv(index=False), sweep_dir / f"{stem}.csv")
    return table, money


def per_graduation(cost: float) -> str:
    """The cost per extra sustained graduation as text: in z, or that there was none (the
    cost is undefined then, and empty in ``costs``)."""
    return f"{plain(cost)} z" if np.isfinite(cost) else "none (no extra sustained graduation)"


def plain(value: float, digits: int = 4, signed: bool = False) -> str:
    """``value`` for the terminal: ``digits`` significant digits in plain notation, without
    trailing zeros (24,013 graduations, never '2.401e+04')."""
    return significant(value, digits, trailing_zeros=False, signed=signed)


def render(table: pd.DataFrame, money: pd.DataFrame) -> str:
    """The comparison as text for the terminal, led by a warning when the replications are
    too few to act on (``summary.too_few``)."""
    lines = list(filter(None, [summary.too_few(int(table["seeds"].max()))]))
    for name, rows in table.groupby("scenario", sort=False):
        lines.append(f"{name} against the baseline (mean of paired differences, "
                     f"{summary.caption(rows)})")
        for r in rows.itertuples():
            share = (f"  parameter share {r.parameter_share:.0%}"
                     if np.isfinite(r.parameter_share) else "")
            lines.append(f"  month {r.month:>4}  {r.outcome:<34} {plain(r.baseline):>10} -> "
                         f"{plain(r.scenario_value):>10}   effect on all "
                         f"{plain(r.effect, signed=True):>10} [{plain(r.ci_low, signed=True)}, "
                         f"{plain(r.ci_high, signed=True)}]{share}")
            if np.isfinite(r.participants_effect):
                participants = bounded(r.participants_effect, r.participants_ci_low,
                                       r.participants_ci_high, signed=True)
                others = bounded(r.non_participants_effect, r.non_participants_ci_low,
                                 r.non_participants_ci_high, signed=True)
                lines.append(f"{'':<48}participants ({r.participants_share:.0%}) "
                             f"{participants}, non-participants {others}")
        cost = money[money["scenario"] == name].iloc[0]
        horizon = bounded(cost.benefit_cost_ratio, cost.bcr_ci_low, cost.bcr_ci_high, 3)
        tail = bounded(cost.benefit_cost_ratio_with_tail, cost.bcr_tail_ci_low,
                       cost.bcr_tail_ci_high, 3)
        lending = (f"; of its loans, {plain(cost.lent)} z lent and {plain(cost.lent_returned)} "
                   f"z repaid, so its costs and ratios count the rest" if cost.lent > 0 else "")
        lines.append(f"  cost per household {plain(cost.cost_per_household)} z{lending}; per extra "
                     f"sustained graduation {per_graduation(cost.cost_per_sustained_graduation)}; "
                     f"benefit-cost ratio {horizon} over the horizon, {tail} with the last "
                     f"year's gain held thereafter, at {cost.discount_rate:.0%}/year")
        lines.append(f"  chance of being the best {cost.p_best:.0%} "
                     f"({summary.chance_note(rows, cost.p_best_budget)})")
        lines.append("")
    return "\n".join(lines)


def bounded(value: float, low: float, high: float, digits: int = 4,
            signed: bool = False) -> str:
    """An estimate and its interval for the terminal (:func:`plain`): '+0.1 [+0.08, +0.12]'."""
    return (f"{plain(value, digits, signed)} [{plain(low, digits, signed)}, "
            f"{plain(high, digits, signed)}]")
