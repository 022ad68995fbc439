"""The stored-results page: a sweep's scenarios against its baseline, read from the store.

The effects on all households are ``compare.effects`` of the sweep's current runs
(``compare.load``), as in ``empowernet compare``; the figures are the report's own
(``plots.outcome_over_time`` and ``plots.effect_over_time``). For one type of household
(female-headed, starting below k*, ...) the effect is the same paired difference taken over
that type alone: with common random numbers, row ``h`` is the same household in a scenario
run and the baseline run of its seed, so its type is read once, from the baseline's month-0
snapshot, and the outcomes from the snapshots (``outputs.snapshot_months``). Every word is
shown in the dashboard's language (``translations``), numbers in its digits.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import altair as alt
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import solara
import solara.lab
from matplotlib.colors import to_hex
from solara.lab import Task

from experiments import store
from experiments.analysis import plots
from experiments.analysis.compare import caveats, effects, load, paired
from experiments.analysis.document import table_html
from experiments.analysis.labels import (
    change,
    interval_text,
    numerals,
    outcome_name,
    scenario_name,
)
from experiments.analysis.outcomes import LOWER_IS_BETTER, OUTCOMES
from experiments.analysis.participants import (
    PER_HOUSEHOLD,
    Snapshots,
    group_difference,
    snapshots,
)
from experiments.analysis.presentation import View
from experiments.analysis.report_tables import policy_tables, who_benefits_table
from experiments.analysis.statistics import interval
from experiments.analysis.subgroups import TYPE_COLUMNS, by_type
from experiments.analysis.translations import text
from experiments.dashboard import SWEEPS_ENV, language
from experiments.dashboard.live import axis, choices, framed, hover, scenario_choices
from model.params import BASELINE, ConfigError

ALL = "all households"
HOUSEHOLD_TYPES: dict[str, Callable[[pd.DataFrame, float], np.ndarray]] = {
    "female-headed": lambda s, k_star: s["female_head"].to_numpy() == 1,
    "male-headed": lambda s, k_star: s["female_head"].to_numpy() == 0,
    "starting assets below k*": lambda s, k_star: s["assets"].to_numpy() < k_star,
    "starting assets at or above k*": lambda s, k_star: s["assets"].to_numpy() >= k_star,
    "poor at the start": lambda s, k_star: (s["consumption"] / s["size"]).to_numpy() < 1.0,
}
"""Each household type the filter offers besides :data:`ALL`: which rows of a month-0 snapshot
belong to it."""

FIGURE_DPI = 150
"""Resolution of the report's figures on the page: sharp when drawn across its width."""

POLICIES_PER_TABLE = 3
"""Policies side by side in one Who benefits table: with the group and its share of the
clients, as many as fit a 1280-px window beside the side bar."""

INTERVAL = ["effect", "ci_low", "ci_high"]
"""The columns of an effect with its 95 % interval."""

PAGE_STOPPED = (f"The page cannot show this sweep: it needs {store.USABLE_PATH}. Copy the sweep "
                "to such a place and start the dashboard on the copy, or choose another sweep.")
"""How the page's message on a path it cannot use ends (``store.cannot_use``): the page goes
on, with the other sweeps."""

SNAPSHOT_COLUMNS = ["month", "row", "status", "consumption", "size", "assets", "occupation",
                    "female_head"]


def sweeps() -> list[str]:
    """The sweep folders handed to the page by ``serve``."""
    return [p for p in os.environ.get(SWEEPS_ENV, "").split(os.pathsep) if p]


def type_effects(sweep_dir: Path, pairs: dict[str, pd.DataFrame], household_type: str,
                 k_star: float) -> pd.DataFrame:
    """Each scenario's effect on the households of one type, per outcome of
    ``PER_HOUSEHOLD`` and snapshot month, with its 95 % interval over seeds (columns as
    ``compare.effects``: scenario, outcome, month, effect, ci_low, ci_high, seeds)."""
    belongs = HOUSEHOLD_TYPES[household_type]
    rows = []
    for name, both in pairs.items():
        runs = both[["seed", "run", "run_base"]].drop_duplicates()
        per_seed = [(snapshots(sweep_dir / r.run, SNAPSHOT_COLUMNS),
                     snapshots(sweep_dir / r.run_base, SNAPSHOT_COLUMNS))
                    for r in runs.itertuples()]
        months = sorted(set.intersection(*(set(a) & set(b) for a, b in per_seed)))
        for month in months:
            for outcome, value in PER_HOUSEHOLD.items():
                diffs = [group_difference(value, arm[month], base[month],
                                          belongs(base[0], k_star)) for arm, base in per_seed]
                diffs = [d for d in diffs if np.isfinite(d)]  # seeds with the type active
                mean, lo, hi = interval(diffs)
                rows.append({"scenario": name, "outcome": outcome, "month": month,
                             "effect": mean, "ci_low": lo, "ci_high": hi,
                             "seeds": len(diffs)})
    return pd.DataFrame(rows, columns=["scenario", "outcome", "month", "effect", "ci_low",
                                       "ci_high", "seeds"])


def baseline_threshold(sweep_dir: Path, table: pd.DataFrame, baseline: str) -> float:
    """The asset threshold k* (z) of the sweep's baseline runs, from a run's manifest."""
    run = table.loc[table["scenario"] == baseline, "run"].iloc[0]
    return float(store.read_manifest(sweep_dir / run)["asset_threshold_z"])


def ranked(at: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """The effects of one month best first, as the report ranks policies: most negative first
    for an outcome where lower is better, most positive first otherwise."""
    return at.sort_values("effect", ascending=outcome in LOWER_IS_BETTER, kind="stable")


def forest(at: pd.DataFrame, outcome: str, month: int, colours: Mapping[str, str],
           lang: str = "en") -> alt.LayerChart:
    """Each scenario's effect at one month with its 95 % interval, one row per scenario in
    the order of ``at``, in the unit of the report's figures (shares in percentage points) and
    each scenario in its colour of ``colours`` (``plots.palette``); hovering a dot shows the
    scenario's row of the effects table (:func:`shown_table`)."""
    view = View(lang)
    words = shown_table(at, outcome, view)
    scale, unit = plots.difference_scale(outcome, lang)
    names = words.iloc[:, 0].tolist()
    painted = alt.Scale(domain=names, range=[to_hex(colours[s]) for s in at["scenario"]])
    at, tips = hover(at.assign(scenario=names, **{c: at[c] * scale for c in INTERVAL}),
                     {title: words[title].map(str) for title in words.columns}, lang)
    scenario = alt.Y("scenario:N", title=None, sort=names)
    label = text("effect at month", lang, month=month, outcome=outcome_name(outcome, lang),
                 unit=unit)
    bars = alt.Chart(at).mark_rule(strokeWidth=2).encode(
        x=alt.X("ci_low:Q", axis=axis(label, lang)), x2="ci_high:Q", y=scenario)
    dots = alt.Chart(at).mark_circle(size=70).encode(
        x="effect:Q", y=scenario, color=alt.Color("scenario:N", legend=None, scale=painted),
        tooltip=tips)
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="black").encode(x="x:Q")
    return framed(bars + dots + zero, text("dashboard forest title", lang), lang,
                  height=40 + 28 * len(at))


def effects_for(sweep_dir: Path, results: pd.DataFrame, pairs: dict[str, pd.DataFrame],
                baseline: str, household_type: str) -> pd.DataFrame:
    """The effects on all households at every month (``compare.effects``), or on one type
    of household at the snapshot months (:func:`type_effects`)."""
    if household_type == ALL:
        return effects(pairs, sorted(results["month"].unique()))
    k_star = baseline_threshold(sweep_dir, results, baseline)
    return type_effects(sweep_dir, pairs, household_type, k_star)


def png(draw: Callable[[], plt.Figure], lang: str) -> bytes:
    """A figure of the report drawn and rendered as PNG in ``lang``."""
    with plots.language(lang):
        fig = plots.localise(draw(), lang)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=FIGURE_DPI, bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()


@solara.component
def Figure(draw: Callable[[], plt.Figure], dependencies: list[Any]) -> None:
    """A matplotlib figure of the report, drawn again only when ``dependencies`` change."""
    lang = language()
    solara.Image(solara.use_memo(lambda: png(draw, lang), dependencies), width="100%")


def shown_table(at: pd.DataFrame, outcome: str, view: View) -> pd.DataFrame:
    """The effects on ``outcome`` of one month as the report's ranking shows them: each
    policy in words, its effect and 95 % interval rounded in the outcome's unit, and the
    replications, headed in the view's language (numbers in English digits, as the report's
    tables before ``document.table_html``)."""
    unit = OUTCOMES[outcome]
    return pd.DataFrame({
        view.text("policy"): [scenario_name(s, view.lang) for s in at["scenario"]],
        view.text("effect on", outcome=outcome_name(outcome, view.lang)): [
            change(v, unit, view) for v in at["effect"]],
        view.text("95 % interval"): [interval_text(lo, hi, unit, view) for lo, hi in
                                     zip(at["ci_low"], at["ci_high"], strict=True)],
        view.text("replications"): at["seeds"].to_numpy(),
    })


def snapshot_months(run_dir: Path) -> set[int]:
    """The months at which a run stored its household snapshots."""
    return set(pd.read_parquet(run_dir / store.HOUSEHOLDS, columns=["month"])["month"])


def attempt(compute: Callable[[], Any]) -> Any:
    """What ``compute`` returns or, where the sweep cannot be read as it needs (a damaged
    file, no finished run, a baseline without runs, a folder it cannot write its collected
    table to), the message ``compare`` gives for it (for a path, ended as the page's)."""
    try:
        return compute()
    except ConfigError as err:
        return str(err)
    except OSError as err:
        if err.filename is None:
            raise
        return store.cannot_use(err, PAGE_STOPPED)


def ready(task: Task, working: str, lang: str) -> Any:
    """The value of a finished ``task`` (run through :func:`attempt`), else None: while it
    runs, a progress bar saying what it does (``working``, a key of the translation table); a
    message it returned, as an error on the page."""
    if not task.finished:
        solara.ProgressLinear(True)
        solara.Text(text(working, lang))
        return None
    if task.error:
        solara.Error(str(task.exception))
        return None
    if isinstance(task.value, str):
        solara.Error(task.value)
        return None
    return task.value


def who_benefits(sweep_dir: Path, results: pd.DataFrame, pairs: dict[str, pd.DataFrame],
                 baseline: str, outcome: str, month: int, view: View) -> pd.DataFrame | None:
    """``subgroups.by_type`` of ``outcome`` at ``month``; None where the sweep has no value
    per household for it (an outcome that is not a mean over households, or a month without
    household snapshots)."""
    stored = snapshot_months(sweep_dir / results["run"].iloc[0])
    if outcome not in PER_HOUSEHOLD or month not in stored:
        return None
    return by_type(Snapshots(sweep_dir, TYPE_COLUMNS, [0, month]), pairs, month, outcome,
                   baseline_threshold(sweep_dir, results, baseline), view)


@solara.component
def WhoBenefits(sweep: str, results: pd.DataFrame, pairs: dict[str, pd.DataFrame],
                baseline: str, outcome: str, month: int, order: list[str]) -> None:
    """The report's Who benefits for ``outcome`` at ``month``: each policy's effect by
    household type, in tables of a few policies each so that none is wider than the page."""
    view = View(language())
    lang = view.lang
    task = solara.lab.use_task(lambda: attempt(lambda: who_benefits(
        Path(sweep), results, pairs, baseline, outcome, month, view)),
        dependencies=[sweep, baseline, outcome, month])
    solara.HTML("h3", text("Who benefits", lang))
    words = {"outcome": outcome_name(outcome, lang), "month": month,
             "baseline": scenario_name(baseline, lang)}
    if task.finished and task.value is None:
        solara.Text(numerals(text("stored who benefits missing", lang, **words), lang))
        return
    subgroups = ready(task, "dashboard working who benefits", lang)
    if subgroups is None:
        return
    solara.Text(numerals(text("stored who benefits note", lang, **words), lang))
    for part in policy_tables(who_benefits_table(subgroups, order, outcome, view),
                              POLICIES_PER_TABLE):
        solara.HTML("div", unsafe_innerHTML=table_html(part, lang),
                    classes=["effects-table", "who-benefits"])


def read(sweep_dir: Path, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """The results of the sweep's current runs (``compare.load``) and, in ``lang``, the
    notes ``compare`` gives on them (``compare.caveats``: runs of its latest invocation not
    finished, runs of more than one revision of the code)."""
    results, runs = load(sweep_dir)
    return results, caveats(sweep_dir, runs, lang)


def single_scenario(sweep: str, scenario: str, lang: str) -> str:
    """Why a sweep of one scenario shows no effect, and what to run into it: a policy
    beside the baseline, or a baseline beside the policy."""
    if scenario == BASELINE:
        return text("dashboard baseline only", lang, sweep=Path(sweep))
    return text("dashboard one scenario", lang, sweep=Path(sweep),
                scenario=scenario_name(scenario, lang))


@solara.component
def SweepView(sweep: str) -> None:
    """One sweep, read in the background (a progress bar meanwhile); a sweep that cannot be
    compared gets ``compare``'s message instead, one of a single scenario says so, and one
    whose latest runs have not all finished says how many are missing above its results."""
    lang = language()
    task = solara.lab.use_task(lambda: attempt(lambda: read(Path(sweep), lang)),
                               dependencies=[sweep])
    shown = ready(task, "dashboard working sweep", lang)
    if shown is None:
        return
    results, notes = shown
    for note in notes:
        solara.Warning(note)
    scenarios = sorted(set(results["scenario"]))
    if len(scenarios) < 2:
        solara.Error(single_scenario(sweep, scenarios[0], lang))
        return
    SweepResults(sweep, results)


@solara.component
def SweepResults(sweep: str, results: pd.DataFrame) -> None:
    """One sweep's results: baseline, household type, outcome and month; the forest plot and
    the effects table, Who benefits and the report's figures, one below the other."""
    view = View(language())
    lang = view.lang
    scenarios = sorted(set(results["scenario"]))
    baseline, set_baseline = solara.use_state(BASELINE if BASELINE in scenarios
                                              else scenarios[0])
    household_type, set_household_type = solara.use_state(ALL)
    outcome, set_outcome = solara.use_state(next(iter(OUTCOMES)))
    month, set_month = solara.use_state(-1)  # -1: the last month compared
    pairs = solara.use_memo(lambda: paired(results, baseline), [sweep, baseline])
    task = solara.lab.use_task(lambda: attempt(lambda: effects_for(
        Path(sweep), results, pairs, baseline, household_type)),
        dependencies=[sweep, baseline, household_type])
    with solara.Row():
        solara.Select(text("baseline", lang), values=scenario_choices(scenarios, lang),
                      value=baseline, on_value=set_baseline)
        solara.Select(text("household type", lang), value=household_type,
                      values=choices({t: text(f"type {t}", lang)
                                      for t in [ALL, *HOUSEHOLD_TYPES]}),
                      on_value=set_household_type)
        table = ready(task, "dashboard working effects", lang)
        if table is None:
            return
        outcomes = [o for o in OUTCOMES if o in set(table["outcome"])] or list(OUTCOMES)
        outcome = outcome if outcome in outcomes else outcomes[0]
        months = sorted(int(m) for m in
                        table.loc[table["outcome"] == outcome, "month"].unique())
        month = month if month in months else (months[-1] if months else 0)
        solara.Select(text("outcome", lang), value=outcome,
                      values=choices({o: outcome_name(o, lang) for o in outcomes}),
                      on_value=set_outcome)
        solara.Select(text("month", lang), value=month,
                      values=choices({m: numerals(str(m), lang) for m in months}),
                      on_value=set_month)
    at = ranked(table[(table["outcome"] == outcome) & (table["month"] == month)], outcome)
    words = {"outcome": outcome_name(outcome, lang), "month": month,
             "type": text(f"type {household_type}", lang),
             "baseline": scenario_name(baseline, lang),
             "unit": plots.difference_scale(outcome, lang)[1]}
    if at.empty:
        solara.Warning(numerals(text("no snapshot there", lang, **words), lang))
        return
    solara.Text(numerals(text("stored effects note", lang, **words), lang))
    colours = plots.palette(results["scenario"], baseline)
    solara.FigureAltair(forest(at, outcome, month, colours, lang))
    solara.HTML("div", unsafe_innerHTML=table_html(shown_table(at, outcome, view), lang),
                classes=["effects-table"])
    WhoBenefits(sweep, results, pairs, baseline, outcome, month, list(at["scenario"]))
    Figure(lambda: plots.outcome_over_time(results, outcome, lang=lang), [sweep, outcome])
    Figure(lambda: plots.effect_over_time(table, outcome, lang=lang),
           [sweep, baseline, household_type, outcome])


TABLE_STYLE = (".effects-table table{border-collapse:collapse}"
               ".effects-table td,.effects-table th{padding:4px 12px;text-align:start;"
               "border-bottom:1px solid #ddd;white-space:nowrap}"
               ".effects-table{margin-bottom:12px}.who-benefits td{white-space:normal}")
"""The effects tables ruled as in the report; a Who benefits cell may wrap."""


@solara.component
def StoredResults(model: Any) -> None:
    """The second page: pick one of the sweeps given to ``empowernet dashboard``."""
    folders, lang = sweeps(), language()
    sweep, set_sweep = solara.use_state(folders[0] if folders else "")
    solara.Style(TABLE_STYLE)
    with solara.Column():
        if not folders:
            solara.Info(text("no sweep", lang))
            return
        solara.Select(text("sweep", lang), values=folders, value=sweep, on_value=set_sweep)
        SweepView(sweep)
