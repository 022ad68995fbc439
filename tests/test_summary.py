"""The report's first screen: ranking, value for money, equal budget, household types."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.analysis import summary
from experiments.analysis.labels import change, count, with_interval
from experiments.analysis.subgroups import household_types

POLICIES = ("cheap", "dear")


def comparison() -> pd.DataFrame:
    return pd.DataFrame({"scenario": POLICIES, "outcome": "headcount", "month": 24,
                         "effect": [-0.02, -0.10], "ci_low": [-0.03, -0.12],
                         "ci_high": [-0.01, -0.08]})


def costs() -> pd.DataFrame:
    return pd.DataFrame({"scenario": POLICIES, "cost_per_household": [1.0, 10.0],
                         "benefit_cost_ratio": [2.0, 1.5]})


def results() -> pd.DataFrame:
    return pd.DataFrame([{"scenario": s, "seed": 0, "month": m,
                          "households_active": 1000 if m == 0 else 500}
                         for s in ("baseline", *POLICIES) for m in (0, 24)])


def ranked() -> pd.DataFrame:
    served = pd.DataFrame({"scenario": POLICIES, "served": [250.0, 1000.0],
                           "served_active": [100.0, 400.0]})
    return summary.ranking(comparison(), costs(), served, results(), 24)


def test_policies_are_ranked_by_their_effect_with_costs_per_client_and_participant() -> None:
    table = ranked()
    assert list(table["scenario"]) == ["dear", "cheap"]  # the larger fall in poverty first
    cheap = table.set_index("scenario").loc["cheap"]
    assert cheap["spent"] == pytest.approx(1000.0)                   # 1 z x 1,000 clients
    assert cheap["cost_per_participant"] == pytest.approx(4.0)       # over 250 served
    # 2 pp of the 500 households still active is 10 households, for 1,000 z
    assert cheap["lifted_per_1000_z"] == pytest.approx(10.0)


def test_the_equal_budget_view_scales_dear_policies_down_and_never_cheap_ones_up() -> None:
    table = ranked()
    budget = summary.common_budget(table)
    assert budget == pytest.approx(5.5)
    equal = summary.at_equal_budget(table, budget).set_index("scenario")
    # cheap (1 z per client) cannot spend 5.5 z: its take-up limits it, so it keeps its effect
    assert equal.loc["cheap", "effect_at_budget"] == pytest.approx(-0.02)
    # dear (10 z per client) is bought 55 % of
    assert equal.loc["dear", "ci_low_at_budget"] == pytest.approx(-0.12 * 0.55)
    assert list(equal.index) == ["dear", "cheap"]


def test_the_sentence_says_what_a_policy_does_in_words() -> None:
    text = summary.sentence(ranked().iloc[0], 24)
    assert text.startswith("Dear lowers the poverty headcount at month 24 by 10.0 pp")
    assert "1,000 of 1,000 client households" in text and "10.0 z per participant" in text
    unsure = ranked().iloc[0].copy()
    unsure[["ci_low", "ci_high"]] = [-0.1, 0.05]
    assert "no effect on the poverty headcount at month 24" in summary.sentence(unsure, 24)


def test_a_mean_number_of_households_is_rounded_the_same_everywhere() -> None:
    # the introduction and the sentences both write counts with labels.count
    assert count(319.6) == "320" and count(319.4) == "319" and count(1234.0) == "1,234"
    row = ranked().iloc[0].copy()
    row["households"] = 319.6
    assert "of 320 client households" in summary.sentence(row, 24)


def test_differences_are_rounded_in_their_units() -> None:
    assert change(-0.04721, "share") == "-4.7 pp"
    assert change(0.123, "z/person-month") == "+0.12 z"
    assert with_interval(-0.0472, -0.052, -0.042, "share") == "-4.7 [-5.2, -4.2] pp"
    assert with_interval(np.nan, 0.0, 0.0, "share") == "–"


def test_household_types_come_from_the_starting_snapshot() -> None:
    start = pd.DataFrame({"female_head": [1, 0, 1], "size": [2, 3, 6],
                          "assets": [5.0, 15.0, 25.0], "consumption": [0.8, 2.4, 12.0],
                          "binding_constraint": ["low_skill", "assets_below_threshold", None]})
    types = household_types(start, k_star=20.0)
    assert list(types["head of household"]) == ["female-headed", "male-headed",
                                                "female-headed"]
    assert list(types["household size"]) == ["1-2 people", "3-4 people", "5 or more people"]
    assert list(types["starting assets"]) == ["below k*/2 (10 z)", "k*/2 to k*",
                                              "k* (20 z) or more"]
    assert list(types["depth of poverty"]) == ["below half the line",
                                               "half the line to the line",
                                               "not poor at the start"]
    assert list(types["diagnosed constraint"]) == ["low skill", "assets below threshold",
                                                   "not poor"]


def test_an_undiagnosed_starting_snapshot_has_no_constraint_groups() -> None:
    start = pd.DataFrame({"female_head": [1], "size": [2], "assets": [5.0],
                          "consumption": [0.8], "binding_constraint": [None]})
    assert "diagnosed constraint" not in household_types(start, k_star=20.0)


def policies(*rows: tuple[str, float, float, float]) -> pd.DataFrame:
    """A ranking, best first: (scenario, effect, ci_low, ci_high) on the headcount, each at
    7.5 z per client household."""
    return pd.DataFrame(rows, columns=["scenario", "effect", "ci_low", "ci_high"]) \
        .assign(cost_per_household=7.5)


def test_the_answer_names_the_policy_that_does_most_of_those_that_clearly_help() -> None:
    ranked = policies(("graduation", -0.041, -0.186, 0.104), ("cash_transfer", -0.012, -0.021,
                                                                -0.004))
    assert summary.answer(ranked, 24, 10) == (
        "Answer: of the policies whose improvement the replications can tell from zero, cash "
        "transfer does the most: -1.2 pp on the poverty headcount at month 24 (95 % interval "
        "[-2.1, -0.4] pp), at 7.50 z per client household. Graduation's estimate is larger, "
        "-4.1 pp, but its 95 % interval [-18.6, +10.4] pp includes zero.")
    clear_leader = summary.answer(ranked.iloc[::-1], 24, 10)
    assert clear_leader.endswith("at 7.50 z per client household.")  # nothing beside it
    no_interval = ranked.assign(ci_low=[np.nan, -0.021], ci_high=[np.nan, -0.004])
    assert summary.answer(no_interval, 24, 10).endswith("per client household.")
    assert summary.answer(ranked, 24, 1).startswith("Only one replication: too few to act on "
                                                    "this ranking; run at least 10 seeds.")


def test_the_answer_says_when_no_policy_clearly_helps_and_when_replications_are_few() -> None:
    ranked = policies(("training", -0.02, -0.05, 0.01), ("cash_transfer", 0.01, -0.01, 0.03),
                      ("graduation", 0.03, 0.01, 0.05))  # graduation clearly raises poverty
    assert summary.answer(ranked, 36, 3) == (
        "Only 3 replications: too few to act on this ranking; run at least 10 seeds. Answer: "
        "no policy lowers the poverty headcount at month 36 by an amount the replications "
        "can tell from zero; the best estimate is training's, -2.0 pp (95 % interval "
        "[-5.0, +1.0] pp).")
