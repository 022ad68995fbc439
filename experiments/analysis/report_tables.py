"""The report's sections of tables: the summary (first screen), who benefits, the full
comparison and the costs, each rounded and in its units (``empowernet report``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.analysis import summary
from experiments.analysis.document import Figure, Items, Paragraph, Section, Subheading, Table
from experiments.analysis.labels import (
    change,
    interval_text,
    level,
    outcome_name,
    rounded,
    scenario_name,
    with_interval,
)
from experiments.analysis.outcomes import OUTCOMES


def ratios(frame: pd.DataFrame, value: str, low: str, high: str) -> list[str]:
    """Benefit-cost ratios with their intervals: '3.51 [3.41, 3.62]' ('–' if undefined)."""
    return [f"{v:.2f} [{lo:.2f}, {hi:.2f}]" if np.isfinite(v) else "–"
            for v, lo, hi in zip(frame[value], frame[low], frame[high], strict=True)]


def summary_section(table: pd.DataFrame, ranked: pd.DataFrame, month: int,
                    forest: Figure) -> Section:
    """The first screen: ranking, sentences, forest plot, equal budget, participants."""
    shown = OUTCOMES[summary.HEADLINE]
    ranking = pd.DataFrame({
        "rank": range(1, len(ranked) + 1),
        "policy": [scenario_name(s) for s in ranked["scenario"]],
        f"effect on {outcome_name(summary.HEADLINE)}": [change(v, shown)
                                                      for v in ranked["effect"]],
        "95 % interval": [interval_text(lo, hi, shown)
                          for lo, hi in zip(ranked["ci_low"], ranked["ci_high"], strict=True)],
        "households served": rounded(ranked["served"], 0),
        "served, still active": rounded(ranked["served_active"], 0),
        "cost per client (z)": rounded(ranked["cost_per_household"], 2),
        "cost per participant (z)": rounded(ranked["cost_per_participant"], 1),
        "benefit-cost": ratios(ranked, "benefit_cost_ratio", "bcr_ci_low", "bcr_ci_high"),
        "out of poverty per 1,000 z": rounded(ranked["lifted_per_1000_z"], 1),
        "chance of being the best": [f"{100 * p:.0f} %" for p in ranked["p_best"]],
    })
    budget = summary.common_budget(ranked)
    equal = summary.at_equal_budget(ranked, budget)
    at_budget = pd.DataFrame({
        "policy": [scenario_name(s) for s in equal["scenario"]],
        "own cost per client (z)": rounded(equal["cost_per_household"], 2),
        "effect at its own cost": [change(v, shown) for v in equal["effect"]],
        f"effect at {budget:.2f} z per client": [
            with_interval(v, lo, hi, shown) for v, lo, hi in zip(
                equal["effect_at_budget"], equal["ci_low_at_budget"],
                equal["ci_high_at_budget"], strict=True)],
    })
    groups = summary.participant_effects(table, month, list(ranked["scenario"]))
    return Section("Summary", [
        Paragraph(f"Policies ranked by their effect on the {outcome_name(summary.HEADLINE)} "
                  f"at month {month} among the client households still active, each against "
                  "the baseline (business as usual) with the same households and shocks; "
                  f"{summary.caption(table)}. Cost per client spreads a policy's "
                  "programme spending (loans net of repayment) over every client household; "
                  "cost per participant over those it served. Benefit-cost is the discounted "
                  "consumption gained per z spent over the horizon. 'Out of poverty per 1,000 "
                  "z' is the fall in the number of poor households at that month for each "
                  "1,000 z spent. The chance of being the best is the "
                  f"{summary.chance_note(table)}, the ranking of the equal-budget view below "
                  "taken within each replication."),
        Table(ranking),
        Items([summary.sentence(r, month) for _, r in ranked.iterrows()]),
        forest,
        Subheading("At an equal budget"),
        Paragraph(f"Each policy's effect scaled to the same spending, {budget:.2f} z per "
                  "client household (the median policy's), in proportion to its own spending: "
                  "a policy that cost twice that has its effect halved. This assumes an "
                  "effect grows in proportion to spending (coverage), which a threshold or a "
                  "crowded job market can break; it compares value for money, it does not "
                  "forecast a smaller or larger programme, which must be run."),
        Table(at_budget),
        Subheading("Participants, non-participants and all clients"),
        Paragraph("All clients: the net effect over every client household still active, the "
                  "one ranked above. Participants: the households the policy enrolled in any "
                  "programme. Non-participants: the others, whose change is displacement "
                  "(negative, e.g. jobs taken by participants) or spillover (positive)."),
        Table(groups),
    ])


def who_benefits_section(subgroups: pd.DataFrame, order: list[str], month: int,
                         table: pd.DataFrame) -> Section:
    """Effects on the headline outcome by household type, one column per policy (``table``,
    the comparison, says what the intervals cover)."""
    shown = OUTCOMES[summary.HEADLINE]
    cells = subgroups.assign(text=[summary.effect_text(r, shown)
                                   for _, r in subgroups.iterrows()])
    wide = cells.pivot_table(index=["dimension", "group"], columns="scenario", values="text",
                             aggfunc="first", sort=False)[order]
    share = cells.groupby(["dimension", "group"], sort=False)["share"].mean()
    frame = wide.rename_axis(columns=None).reset_index().rename(columns=scenario_name)
    frame.insert(2, "share of clients", [f"{100 * share[d, g]:.0f} %"
                                         for d, g in zip(frame["dimension"], frame["group"],
                                                         strict=True)])
    return Section("Who benefits", [
        Paragraph(f"Effect on the {outcome_name(summary.HEADLINE)} at month {month} by "
                  f"household type at the start ({summary.caption(table)}): each group's "
                  "share of poor households still active, against the same group in the "
                  "baseline. k* is the asset threshold of the poverty trap; the line is z. A "
                  "small group gives a wide interval."),
        Table(frame),
    ])


def comparison_section(table: pd.DataFrame, order: list[str]) -> Section:
    """Every effect of the comparison, one table per outcome, rounded and in its unit."""
    blocks: list = [Paragraph("Every outcome at every month compared, policies in the order "
                              "of the ranking, each effect with its "
                              f"{summary.caption(table)}. Differences of shares are in "
                              "percentage points (pp); participants' and non-participants' "
                              "effects are given at the months with household snapshots. With "
                              "several seeds per posterior draw, the parameter share is the "
                              "part of the effect's variance over replications that is "
                              "parameter uncertainty (law of total variance).")]
    rank = {name: k for k, name in enumerate(order)}
    for outcome, shown in OUTCOMES.items():
        rows = table[table["outcome"] == outcome].sort_values(
            ["scenario", "month"], key=lambda c: c.map(rank) if c.name == "scenario" else c)
        shares = {"parameter share": [f"{100 * v:.0f} %" if np.isfinite(v) else "–"
                                      for v in rows["parameter_share"]]} \
            if np.isfinite(table["parameter_share"]).any() else {}
        blocks += [Subheading(f"{outcome_name(outcome).capitalize()} ({shown})"),
                   Table(pd.DataFrame({
                       "policy": [scenario_name(s) for s in rows["scenario"]],
                       "month": rows["month"].to_numpy(),
                       "baseline": [level(v, shown) for v in rows["baseline"]],
                       "with the policy": [level(v, shown) for v in rows["scenario_value"]],
                       "effect on all clients": [summary.effect_text(r, shown)
                                                 for _, r in rows.iterrows()],
                       "on participants": [summary.effect_text(r, shown, "participants_")
                                           for _, r in rows.iterrows()],
                       "on non-participants": [
                           summary.effect_text(r, shown, "non_participants_")
                           for _, r in rows.iterrows()],
                       **shares,
                       "replications": rows["seeds"].to_numpy()}))]
    return Section("Comparison", blocks)


def costs_section(ranked: pd.DataFrame, table: pd.DataFrame) -> Section:
    """The costs of every policy, in z, rounded (``table``, the comparison, says what the
    intervals cover)."""
    frame = pd.DataFrame({
        "policy": [scenario_name(s) for s in ranked["scenario"]],
        "spent (z)": rounded(ranked["spent"], 0),
        "cost per client (z)": rounded(ranked["cost_per_household"], 2),
        "cost per participant (z)": rounded(ranked["cost_per_participant"], 1),
        "extra sustained graduations": rounded(ranked["extra_sustained_graduations"], 0),
        "cost per extra sustained graduation (z)": rounded(
            ranked["cost_per_sustained_graduation"], 0),
        "benefit-cost over the horizon": ratios(ranked, "benefit_cost_ratio", "bcr_ci_low",
                                                "bcr_ci_high"),
        "with the last year's gain held": ratios(ranked, "benefit_cost_ratio_with_tail",
                                                 "bcr_tail_ci_low", "bcr_tail_ci_high"),
    })
    rate = ranked["discount_rate"].iloc[0]
    return Section("Costs", [
        Paragraph(f"Programme spending (loans net of their repayment) over the horizon, mean "
                  f"over replications; benefit-cost ratios discounted at {rate:.0%} a year, "
                  f"each with its {summary.caption(table)}: over the simulated horizon alone, "
                  "and with the mean monthly gain of the last year held for ever after it."),
        Table(frame)])
