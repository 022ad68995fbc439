"""The report's first screen: each policy ranked by its effect at the horizon, with its reach,
costs and value for money, a sentence for each, the same policies at an equal budget, and the
effects on participants, non-participants and all clients.

The headline outcome is the poverty headcount among the households still active. Every money
figure is programme spending (loans net of their repayment) from ``compare.costs``:
``cost per client`` spreads it over every client household at the start, ``cost per
participant`` over the households the policy served. ``households out of poverty per 1,000 z``
is the fall in the number of poor households at the horizon for each 1,000 z spent.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from experiments.analysis import statistics
from experiments.analysis.labels import (
    change,
    count,
    interval_text,
    outcome_name,
    scenario_name,
    sentence_start,
    unit_name,
    with_interval,
)
from experiments.analysis.outcomes import LOWER_IS_BETTER, unit
from experiments.analysis.presentation import ENGLISH, View

HEADLINE = "headcount"
"""The outcome policies are ranked by."""

PARTICIPANT_OUTCOMES = ("headcount", "consumption_pc_mean")
"""The outcomes whose effects on participants, non-participants and all clients are shown."""


def _at(table: pd.DataFrame, outcome: str, month: int) -> pd.DataFrame:
    return table[(table["outcome"] == outcome) & (table["month"] == month)]


def ranking(table: pd.DataFrame, money: pd.DataFrame, served: pd.DataFrame,
            results: pd.DataFrame, month: int) -> pd.DataFrame:
    """One row per policy, best first: effect on the headline outcome at ``month`` with its
    interval, reach, costs, benefit-cost ratio and households out of poverty per 1,000 z.

    The households out of poverty are the effect's times the mean number of households active
    at ``month``, per the mean spending (a ratio of means); their interval is the effect's,
    scaled the same way, so it covers the uncertainty of the effect and takes the spending
    as known. Where the effect's interval includes zero, so does theirs."""
    rows = _at(table, HEADLINE, month).merge(money, on="scenario").merge(served, on="scenario")
    households = results.groupby(["scenario", "month"])["households_active"].mean()
    start = rows["scenario"].map(lambda s: households[s, 0])
    active = rows["scenario"].map(lambda s: households[s, month])
    per_1000_z = active / rows["spending"] * 1000  # households in a headcount of 1, per 1,000 z
    out = rows.assign(households=start, active=active,
                      cost_per_participant=rows["spending"] / rows["served"].replace(0, np.nan),
                      lifted_per_1000_z=-rows["effect"] * per_1000_z,
                      lifted_ci_low=-rows["ci_high"] * per_1000_z,
                      lifted_ci_high=-rows["ci_low"] * per_1000_z)
    gain = -out["effect"] if HEADLINE in LOWER_IS_BETTER else out["effect"]
    return out.assign(gain=gain).sort_values("gain", ascending=False).drop(columns="gain") \
        .reset_index(drop=True)


def common_budget(ranked: pd.DataFrame) -> float:
    """The spending per client household the chance of being the best and the equal-budget
    view are taken at: the median policy's (``p_best_budget`` of the costs)."""
    return float(ranked["cost_per_household"].median())


def budget_share(cost: pd.Series, budget: float) -> pd.Series:
    """The share of each policy that ``budget`` z per client household buys, at ``cost`` z per
    client household: a proportional share of a policy that costs more (it serves fewer
    families), all of one that costs no more. A cheaper policy is not scaled up: its take-up,
    not the budget, limits what it spends, and the rest of the budget is left unspent."""
    return (budget / cost.where(cost > 0)).clip(upper=1.0).fillna(1.0)


def at_equal_budget(ranked: pd.DataFrame, budget: float) -> pd.DataFrame:
    """Each policy's effect at ``budget`` z per client household (``budget_share`` of its own
    effect), best first."""
    factor = budget_share(ranked["cost_per_household"], budget)
    scaled = ranked.assign(scale=factor, effect_at_budget=ranked["effect"] * factor,
                           ci_low_at_budget=ranked["ci_low"] * factor,
                           ci_high_at_budget=ranked["ci_high"] * factor)
    return scaled.sort_values("effect_at_budget",
                              ascending=HEADLINE in LOWER_IS_BETTER).reset_index(drop=True)


def chance_best(pairs: dict[str, pd.DataFrame], month: int,
                replication: Sequence[str], budget: float) -> pd.DataFrame:
    """For each policy, the chance that it is the best at ``budget`` z per client household:
    the share of replications in which its gain on the headline outcome at ``month``, times the
    share of it the budget buys in that replication (``budget_share``), is the largest.

    Ranking gain per z spent instead would crown a policy that spends little for a tiny, noisy
    effect, as if its effect grew in proportion to a spending its take-up never reaches.

    Args:
        pairs: each policy's runs joined to the baseline's (``compare.paired``).
        month: the month ranked.
        replication: the columns that name a replication (posterior draw and seed).
        budget: z per client household (``common_budget``).

    Returns:
        One row per policy: ``scenario``, ``p_best``.
    """
    sign = -1.0 if HEADLINE in LOWER_IS_BETTER else 1.0
    gains = {}
    for name, both in pairs.items():
        last = both[both["month"] == both["month"].max()].set_index(replication)
        start = both[both["month"] == 0].set_index(replication)["households_active"]
        at = both[both["month"] == month].set_index(replication)
        cost = last["spending_programmes_cumulative"] / start
        gains[name] = sign * (at[HEADLINE] - at[f"{HEADLINE}_base"]) * budget_share(cost, budget)
    chances = statistics.chance_best(pd.DataFrame(gains))
    return chances.rename_axis("scenario").reset_index(name="p_best")


FEW_REPLICATIONS = 10
"""Below this many replications the report's answer warns that its ranking is not yet one
to act on."""


def clearly_better(ranked: pd.DataFrame) -> pd.Series:
    """Whether each policy's 95 % interval on the headline outcome lies wholly on the side of
    improvement (below zero for an outcome to lower)."""
    if HEADLINE in LOWER_IS_BETTER:
        return ranked["ci_high"] < 0.0
    return ranked["ci_low"] > 0.0


def answer(ranked: pd.DataFrame, month: int, replications: int,
           view: View = ENGLISH) -> str:
    """The report's answer, first on its page: of the policies whose improvement the
    replications can tell from zero, the one that does the most (``ranked`` is best first),
    with its effect, interval and cost per client; a policy estimated to do more without
    that certainty is named beside it, and so is the policy most often best at an equal
    budget when it is another (:func:`likeliest_best`); too few replications are said
    first."""
    shown = unit(HEADLINE)
    words = {"outcome": outcome_name(HEADLINE, view.lang), "month": month}

    def about(row: pd.Series) -> dict[str, str]:
        return {"name": scenario_name(row["scenario"], view.lang),
                "effect": change(row["effect"], shown, view),
                "interval": interval_text(row["ci_low"], row["ci_high"], shown, view)}

    clear = ranked[clearly_better(ranked)]
    if clear.empty:
        verb = view.text("answer verb lower" if HEADLINE in LOWER_IS_BETTER
                         else "answer verb raise")
        best = ranked.iloc[0]
        said = view.text("answer none", **about(best), **words, verb=verb)
    else:
        best = clear.iloc[0]
        said = view.text("answer", **about(best), **words, money=view.money,
                         cost=view.amount(best["cost_per_household"]))
        top = ranked.iloc[0]
        bounds = [float(top["ci_low"]), float(top["ci_high"])]
        if top["scenario"] != best["scenario"] and np.isfinite(bounds).all():
            larger = about(top)
            said += " " + view.text("answer larger estimate",
                                    **larger | {"name": sentence_start(larger["name"])})
    said += likeliest_best(ranked, best, view)
    return " ".join(filter(None, (too_few(replications, view), said)))


def too_few(replications: int, view: View = ENGLISH) -> str:
    """That ``replications`` are too few to act on a ranking, when below
    :data:`FEW_REPLICATIONS` ('' otherwise)."""
    if replications >= FEW_REPLICATIONS:
        return ""
    return view.text("answer one" if replications == 1 else "answer few",
                     replications=replications, needed=FEW_REPLICATIONS)


def likeliest_best(ranked: pd.DataFrame, named: pd.Series, view: View = ENGLISH) -> str:
    """A sentence for the answer when another policy than the one it ``named`` is the most
    often best at the common budget (``p_best``): the answer weighs each policy at its own
    cost, the chance at an equal budget, and a reader should not have to find that the two
    disagree in the table ('' when they agree)."""
    likeliest = ranked.loc[ranked["p_best"].idxmax()]
    if likeliest["scenario"] == named["scenario"]:
        return ""
    return " " + view.text(
        "answer likeliest best", budget=view.amount(float(likeliest["p_best_budget"])),
        money=view.money, name=scenario_name(likeliest["scenario"], view.lang),
        chance=f"{100 * likeliest['p_best']:.0f} %",
        named=scenario_name(named["scenario"], view.lang),
        named_chance=f"{100 * named['p_best']:.0f} %")


def sentence(row: pd.Series, month: int, view: View = ENGLISH) -> str:
    """Plain sentences on a policy (a row of ``ranking``): its effect, reach and value, and
    for a policy that lends, what it lent and got back."""
    shown = unit(HEADLINE)
    words = {"name": sentence_start(scenario_name(row["scenario"], view.lang)), "month": month,
             "outcome": outcome_name(HEADLINE, view.lang),
             "interval": interval_text(row["ci_low"], row["ci_high"], shown, view)}
    if row["ci_low"] <= 0.0 <= row["ci_high"]:
        what = view.text("sentence no effect", effect=change(row["effect"], shown, view),
                         **words)
    else:
        verb = "lowers" if row["effect"] < 0 else "raises"
        what = view.text(f"sentence {verb}",
                         effect=change(abs(row["effect"]), shown, view).lstrip("+"), **words)
    reach = view.text("sentence reach", what=what, served=count(row["served"]),
                      households=count(row["households"]),
                      cost=view.amount(row["cost_per_household"]), money=view.money)
    if not (np.isfinite(row["cost_per_participant"]) and np.isfinite(row["benefit_cost_ratio"])):
        said = reach + "."
    else:
        said = view.text("sentence value", reach=reach, money=view.money,
                         cost=view.amount(row["cost_per_participant"], 1),
                         ratio=f"{row['benefit_cost_ratio']:.2f}")
    if row["lent"] > 0:
        said += " " + view.text("sentence lending", money=view.money,
                                lent=view.amount(row["lent"], 0),
                                returned=view.amount(row["lent_returned"], 0))
    return said


def effect_text(row: pd.Series, shown: str, group: str = "", view: View = ENGLISH) -> str:
    """An effect of ``row`` (``<group>effect``, ``_ci_low``, ``_ci_high``) as rounded text."""
    return with_interval(row[group + "effect"], row[group + "ci_low"], row[group + "ci_high"],
                         shown, view)


def participant_effects(table: pd.DataFrame, month: int, order: list[str],
                        view: View = ENGLISH) -> pd.DataFrame:
    """Effects on all clients, participants and non-participants at ``month``, each with its
    interval as text, for :data:`PARTICIPANT_OUTCOMES` (policies in ``order``)."""
    rows = []
    for outcome in PARTICIPANT_OUTCOMES:
        shown = unit(outcome)
        at = _at(table, outcome, month).set_index("scenario")
        for name in order:
            r = at.loc[name]
            share = r["participants_share"]
            rows.append({
                view.text("policy"): scenario_name(name, view.lang),
                view.text("outcome"): f"{outcome_name(outcome, view.lang)} "
                                      f"({unit_name(shown, view)})",
                view.text("all clients"): effect_text(r, shown, view=view),
                view.text("participants"): effect_text(r, shown, "participants_", view),
                view.text("non-participants"): effect_text(r, shown, "non_participants_",
                                                           view),
                view.text("participants' share of active"): f"{100 * share:.0f} %"
                if np.isfinite(share) else "–",
            })
    return pd.DataFrame(rows)


def caption(rows: pd.DataFrame, view: View = ENGLISH) -> str:
    """What the intervals of comparison ``rows`` cover (``statistics.interval_caption``)."""
    return statistics.interval_caption(int(rows["seeds"].max()), int(rows["draws"].max()),
                                       bool(np.isfinite(rows["parameter_share"]).any()),
                                       view.lang)


def chance_note(rows: pd.DataFrame, budget: float, view: View = ENGLISH) -> str:
    """What a chance of being the best is over: the replications of comparison ``rows``, at
    ``budget`` z per client household."""
    which = view.text("chance fixed" if int(rows["draws"].max()) == 0 else "chance drawn")
    return view.text("chance note", replications=int(rows["seeds"].max()), which=which,
                     budget=view.amount(budget), money=view.money)
