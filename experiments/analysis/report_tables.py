"""The report's sections of tables: the summary (first screen), who benefits, the full
comparison and the costs, each rounded and in its units (``empowernet report``), in the
words and currency of a view (``presentation``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.analysis import summary
from experiments.analysis.document import Figure, Items, Paragraph, Section, Subheading, Table
from experiments.analysis.labels import (
    amounts,
    change,
    interval_text,
    level,
    outcome_name,
    rounded,
    scenario_name,
    sentence_start,
    unit_name,
    with_interval,
)
from experiments.analysis.outcomes import OUTCOMES
from experiments.analysis.presentation import ENGLISH, View


def ratios(frame: pd.DataFrame, value: str, low: str, high: str, decimals: int = 2,
           scale: float = 1.0) -> list[str]:
    """Ratios with their intervals, times ``scale``: '3.51 [3.41, 3.62]' ('–' if undefined)."""
    return [f"{v:,.{decimals}f} [{lo:,.{decimals}f}, {hi:,.{decimals}f}]" if np.isfinite(v)
            else "–" for v, lo, hi in zip(scale * frame[value], scale * frame[low],
                                          scale * frame[high], strict=True)]


def per_1000(view: View) -> tuple[str, float]:
    """The spending 'out of poverty per ...' counts for (1,000 z, or as much in the view's
    currency) and its size in z."""
    if view.currency == "z":
        return f"1,000 {view.money}", 1000.0
    return view.text("a billion", money=view.money), 1e9 / view.per_z


def summary_section(table: pd.DataFrame, ranked: pd.DataFrame, month: int,
                    forest: Figure, view: View = ENGLISH) -> Section:
    """The first screen: ranking, sentences, forest plot, equal budget, participants."""
    shown, t, money = OUTCOMES[summary.HEADLINE], view.text, view.money
    names = [scenario_name(s, view.lang) for s in ranked["scenario"]]
    spending, size = per_1000(view)
    ranking = pd.DataFrame({
        t("rank"): range(1, len(ranked) + 1),
        t("policy"): names,
        t("effect on", outcome=outcome_name(summary.HEADLINE, view.lang)): [
            change(v, shown, view) for v in ranked["effect"]],
        t("95 % interval"): [interval_text(lo, hi, shown, view) for lo, hi in
                             zip(ranked["ci_low"], ranked["ci_high"], strict=True)],
        t("households served"): rounded(ranked["served"], 0),
        t("served, still active"): rounded(ranked["served_active"], 0),
        t("cost per client", money=money): amounts(ranked["cost_per_household"], 2, view),
        t("cost per participant", money=money): amounts(ranked["cost_per_participant"], 1,
                                                        view),
        t("benefit-cost"): ratios(ranked, "benefit_cost_ratio", "bcr_ci_low", "bcr_ci_high"),
        t("out of poverty per", spending=spending): ratios(
            ranked, "lifted_per_1000_z", "lifted_ci_low", "lifted_ci_high", 1, size / 1000),
        t("chance of being the best"): [f"{100 * p:.0f} %" for p in ranked["p_best"]],
    })
    budget = float(ranked["p_best_budget"].iloc[0])  # the budget the chances are at
    equal = summary.at_equal_budget(ranked, budget)
    at_budget = pd.DataFrame({
        t("policy"): [scenario_name(s, view.lang) for s in equal["scenario"]],
        t("own cost per client", money=money): amounts(equal["cost_per_household"], 2, view),
        t("effect at its own cost"): [change(v, shown, view) for v in equal["effect"]],
        t("effect at budget", budget=view.amount(budget), money=money): [
            with_interval(v, lo, hi, shown, view) for v, lo, hi in zip(
                equal["effect_at_budget"], equal["ci_low_at_budget"],
                equal["ci_high_at_budget"], strict=True)],
    })
    groups = summary.participant_effects(table, month, list(ranked["scenario"]), view)
    return Section(t("Summary"), [
        Paragraph(t("summary note", outcome=outcome_name(summary.HEADLINE, view.lang),
                    month=month, money=money, spending=spending,
                    caption=summary.caption(table, view),
                    chance=summary.chance_note(table, budget, view))),
        Table(ranking),
        Items([summary.sentence(r, month, view) for _, r in ranked.iterrows()]),
        forest,
        Subheading(t("At an equal budget")),
        Paragraph(t("equal budget note", budget=view.amount(budget), money=money)),
        Table(at_budget),
        Subheading(t("Participants, non-participants and all clients")),
        Paragraph(t("participants note")),
        Table(groups),
    ], "Summary")


def who_benefits_table(subgroups: pd.DataFrame, order: list[str], outcome: str,
                       view: View = ENGLISH) -> pd.DataFrame:
    """Effects on ``outcome`` by household type (``subgroups.by_type``): one row per group
    with its share of the clients, one column per policy of ``order``, each effect rounded
    with its interval."""
    shown, t = OUTCOMES[outcome], view.text
    cells = subgroups.assign(text=[summary.effect_text(r, shown, view=view)
                                   for _, r in subgroups.iterrows()])
    wide = cells.pivot_table(index=["dimension", "group"], columns="scenario", values="text",
                             aggfunc="first", sort=False)[order]
    share = cells.groupby(["dimension", "group"], sort=False)["share"].mean()
    frame = wide.rename_axis(columns=None).reset_index()
    frame.insert(2, "share of clients", [f"{100 * share[d, g]:.0f} %"
                                         for d, g in zip(frame["dimension"], frame["group"],
                                                         strict=True)])
    return frame.rename(columns=lambda c: scenario_name(c, view.lang) if c in order
                        else t(c))


WHO_BENEFITS_LEADING = 3
"""The columns that lead every Who benefits table: the dimension, the group and its share."""

POLICIES_PER_TABLE = 4
"""Policies side by side in one Who benefits table of the report: as many as fit its page
with the group and its share, in Persian too."""


def policy_tables(frame: pd.DataFrame, per_table: int) -> list[pd.DataFrame]:
    """A Who benefits table (:func:`who_benefits_table`) split into tables of at most
    ``per_table`` policy columns, each led by the group and its share."""
    head = list(frame.columns[:WHO_BENEFITS_LEADING])
    policies = list(frame.columns[WHO_BENEFITS_LEADING:])
    return [frame[head + policies[i:i + per_table]]
            for i in range(0, len(policies), per_table)]


def who_benefits_section(subgroups: pd.DataFrame, order: list[str], month: int,
                         table: pd.DataFrame, view: View = ENGLISH) -> Section:
    """Effects on the headline outcome by household type, one column per policy (``table``,
    the comparison, says what the intervals cover)."""
    t = view.text
    return Section(t("Who benefits"), [
        Paragraph(t("who benefits note", outcome=outcome_name(summary.HEADLINE, view.lang),
                    month=month, caption=summary.caption(table, view))),
        *(Table(part) for part in policy_tables(
            who_benefits_table(subgroups, order, summary.HEADLINE, view), POLICIES_PER_TABLE)),
    ], "Who benefits")


def comparison_section(table: pd.DataFrame, order: list[str],
                       view: View = ENGLISH) -> Section:
    """Every effect of the comparison, one table per outcome, rounded and in its unit."""
    t = view.text
    with_shares = bool(np.isfinite(table["parameter_share"]).any())
    blocks: list = [Paragraph(t("comparison note", caption=summary.caption(table, view),
                                share=t("parameter share note") if with_shares else ""))]
    rank = {name: k for k, name in enumerate(order)}
    for outcome, shown in OUTCOMES.items():
        rows = table[table["outcome"] == outcome].sort_values(
            ["scenario", "month"], key=lambda c: c.map(rank) if c.name == "scenario" else c)
        shares = {t("parameter share"): [f"{100 * v:.0f} %" if np.isfinite(v) else "–"
                                         for v in rows["parameter_share"]]} \
            if with_shares else {}
        blocks += [Subheading(f"{sentence_start(outcome_name(outcome, view.lang))} "
                              f"({unit_name(shown, view)})"),
                   Table(pd.DataFrame({
                       t("policy"): [scenario_name(s, view.lang) for s in rows["scenario"]],
                       t("month"): rows["month"].to_numpy(),
                       t("baseline"): [level(v, shown, view) for v in rows["baseline"]],
                       t("with the policy"): [level(v, shown, view)
                                              for v in rows["scenario_value"]],
                       t("effect on all clients"): [summary.effect_text(r, shown, view=view)
                                                    for _, r in rows.iterrows()],
                       t("on participants"): [
                           summary.effect_text(r, shown, "participants_", view)
                           for _, r in rows.iterrows()],
                       t("on non-participants"): [
                           summary.effect_text(r, shown, "non_participants_", view)
                           for _, r in rows.iterrows()],
                       **shares,
                       t("replications"): rows["seeds"].to_numpy()}))]
    return Section(t("Comparison"), blocks, "Comparison")


def costs_section(ranked: pd.DataFrame, table: pd.DataFrame,
                  view: View = ENGLISH) -> Section:
    """The costs of every policy, in z or the view's currency, rounded (``table``, the
    comparison, says what the intervals cover)."""
    t, money = view.text, view.money
    lending = {
        t("lent", money=money): amounts(ranked["lent"], 0, view),
        t("repaid to the programme", money=money): amounts(ranked["lent_returned"], 0, view),
    } if (ranked["lent"] > 0).any() else {}
    frame = pd.DataFrame({
        t("policy"): [scenario_name(s, view.lang) for s in ranked["scenario"]],
        t("spent", money=money): amounts(ranked["spending"], 0, view),
        **lending,
        t("cost per client", money=money): amounts(ranked["cost_per_household"], 2, view),
        t("cost per participant", money=money): amounts(ranked["cost_per_participant"], 1,
                                                        view),
        t("extra sustained graduations"): rounded(ranked["extra_sustained_graduations"], 1),
        t("cost per extra sustained graduation", money=money): amounts(
            ranked["cost_per_sustained_graduation"], 0, view),
        t("benefit-cost over the horizon"): ratios(ranked, "benefit_cost_ratio", "bcr_ci_low",
                                                   "bcr_ci_high"),
        t("with the last year's gain held"): ratios(ranked, "benefit_cost_ratio_with_tail",
                                                    "bcr_tail_ci_low", "bcr_tail_ci_high"),
    })
    rate = ranked["discount_rate"].iloc[0]
    return Section(t("Costs"), [
        Paragraph(t("costs note", rate=f"{100 * rate:g} %", caption=summary.caption(table, view),
                    lending=t("lending note", money=money) if lending else "")),
        Table(frame)], "Costs")
