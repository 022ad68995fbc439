"""The report's first screen: ranking, value for money, equal budget, household types."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.analysis import summary
from experiments.analysis.cards import measured
from experiments.analysis.compare import costs as costs_of
from experiments.analysis.compare import paired
from experiments.analysis.document import Table
from experiments.analysis.labels import change, count, level, with_interval
from experiments.analysis.participants import Snapshots
from experiments.analysis.report_tables import costs_section
from experiments.analysis.subgroups import TYPE_COLUMNS, by_type, household_types

POLICIES = ("cheap", "dear")


def comparison() -> pd.DataFrame:
    return pd.DataFrame({"scenario": POLICIES, "outcome": "headcount", "month": 24,
                         "effect": [-0.02, -0.10], "ci_low": [-0.03, -0.12],
                         "ci_high": [-0.01, -0.08]})


def costs() -> pd.DataFrame:
    return pd.DataFrame({"scenario": POLICIES, "spending": [1000.0, 10000.0],
                         "cost_per_household": [1.0, 10.0],
                         "benefit_cost_ratio": [2.0, 1.5], "lent": [0.0, 0.0],
                         "lent_returned": [0.0, 0.0]})


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
    assert cheap["cost_per_participant"] == pytest.approx(4.0)       # over 250 served
    # 2 pp of the 500 households still active is 10 households, for 1,000 z
    assert cheap["lifted_per_1000_z"] == pytest.approx(10.0)
    # its interval is the effect's, [-3, -1] pp of 500 households, for the same 1,000 z
    assert cheap[["lifted_ci_low", "lifted_ci_high"]].tolist() == pytest.approx([5.0, 15.0])


def two_seeds_of_unequal_size() -> pd.DataFrame:
    """Results of a policy and the baseline over two replications with different numbers of
    client households at the start: seed 0 has 100 and the policy spends 100 z on them, seed 1
    has 300 and it spends 900 z (1 and 3 z per client household)."""
    rows = []
    for seed, households, spent in ((0, 100, 100.0), (1, 300, 900.0)):
        for scenario, paid in (("baseline", 0.0), ("dear", spent)):
            for month in (0, 1):
                rows.append({"scenario": scenario, "seed": seed, "draw": -1,
                             "run": f"{scenario}/{seed}", "month": month,
                             "households_active": households, "headcount": 0.5,
                             "consumption_total": float(households),
                             "spending_programmes": paid * month,
                             "spending_programmes_cumulative": paid * month,
                             "sustained_graduations_cumulative": 0,
                             "loans_disbursed_cumulative": 0.0,
                             "loans_returned_cumulative": 0.0})
    return pd.DataFrame(rows)


def test_the_spending_shown_is_the_mean_of_each_replications_spending() -> None:
    results = two_seeds_of_unequal_size()
    money = costs_of(paired(results, "baseline"), 0.05)
    effect = pd.DataFrame({"scenario": ["dear"], "outcome": "headcount", "month": 1,
                           "effect": -0.1, "ci_low": -0.2, "ci_high": 0.0})
    served = pd.DataFrame({"scenario": ["dear"], "served": [50.0], "served_active": [50.0]})
    row = summary.ranking(effect, money, served, results, 1).iloc[0]
    assert row["cost_per_household"] == pytest.approx(2.0)  # the mean of 1 and 3 z
    # the mean spending over the two replications is (100 + 900) / 2 = 500 z, not the mean
    # cost per client household times the mean number of them (2 x 200 = 400 z)
    assert row["spending"] == pytest.approx(500.0)
    assert row["cost_per_participant"] == pytest.approx(500.0 / 50.0)
    # 10 % of the 200 households active on average is 20 households, for 500 z
    assert row["lifted_per_1000_z"] == pytest.approx(20.0 / 500.0 * 1000.0)


def test_the_costs_table_shows_the_extra_graduations_its_cost_per_graduation_divides_by() -> None:
    # 3,944 z for 8.8 extra sustained graduations (a mean over replications) is 448 z each;
    # written as 9 graduations, the table would not add up (3,944 / 9 = 438)
    row = {"scenario": "dear", "spending": 3944.0, "cost_per_household": 7.1,
           "cost_per_participant": 36.5, "extra_sustained_graduations": 8.8,
           "cost_per_sustained_graduation": 3944.0 / 8.8, "benefit_cost_ratio": 0.77,
           "bcr_ci_low": 0.71, "bcr_ci_high": 0.83, "benefit_cost_ratio_with_tail": 6.1,
           "bcr_tail_ci_low": 4.9, "bcr_tail_ci_high": 7.3, "discount_rate": 0.05,
           "lent": 0.0, "lent_returned": 0.0}
    shown = costs_table(pd.DataFrame([row])).iloc[0]
    assert shown["extra sustained graduations"] == "8.8"
    assert shown["cost per extra sustained graduation (z)"] == "448"
    assert "lent, gross (z)" not in shown  # no policy lends: no columns of loans


def costs_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """The table of the report's Costs section for ``ranked``, at 5 fixed-parameter seeds."""
    table = pd.DataFrame({"seeds": [5], "draws": [0], "parameter_share": [np.nan]})
    return next(b for b in costs_section(ranked, table).blocks if isinstance(b, Table)).frame


def test_the_costs_of_a_lending_policy_show_what_it_lent_beside_its_net_spending() -> None:
    # microcredit lent 2,355 z and got 2,124 z back: its spending of 586 z is net of that,
    # so its benefit-cost ratio is per z not recovered; the capital it needs is the 2,355 z
    row = {"scenario": "microcredit", "spending": 586.0, "lent": 2355.0,
           "lent_returned": 2124.0, "cost_per_household": 0.11, "cost_per_participant": 2.0,
           "extra_sustained_graduations": 20.1, "cost_per_sustained_graduation": 29.2,
           "benefit_cost_ratio": 5.52, "bcr_ci_low": 2.89, "bcr_ci_high": 8.16,
           "benefit_cost_ratio_with_tail": 15.5, "bcr_tail_ci_low": 8.1,
           "bcr_tail_ci_high": 23.0, "discount_rate": 0.05}
    shown = costs_table(pd.DataFrame([row])).iloc[0]
    assert (shown["spent (z)"], shown["lent, gross (z)"],
            shown["repaid to the programme (z)"]) == ("586", "2,355", "2,124")


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
    assert "lent" not in text  # dear does not lend
    lender = ranked().iloc[0].copy()
    lender[["lent", "lent_returned"]] = [2355.0, 2124.0]
    assert summary.sentence(lender, 24).endswith(
        "It lent 2,355 z, of which 2,124 z was repaid to it: its costs count what was not.")


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


def test_a_small_difference_is_never_written_as_zero() -> None:
    # one decimal would write -0.048 pp as '-0.0' and an interval that excludes zero as
    # '[-0.1, -0.0]'
    assert with_interval(-0.00048, -0.00093, -0.00003, "share") == "-0.05 [-0.1, -0.003] pp"
    assert change(0.0, "share") == "0.0 pp"
    assert change(1e-7, "share") == "0.0 pp"  # below the smallest decimal written


def test_levels_and_gains_are_written_in_plain_notation_without_trailing_zeros() -> None:
    # '%.3g' wrote 21,834 as '2.18e+04'; three significant digits, a longer whole part in full
    assert level(21834.0, "months") == "21,834" and level(0.05, "months") == "0.05"
    assert level(5.504, "months") == "5.5" and level(0.01234, "months") == "0.0123"
    assert measured(1234.4, "share of z") == "+1,234" and measured(-0.0500, "share") == "-0.05"
    # the rounding noise of a difference is 0, not twenty digits of plain notation
    assert level(0.1 + 0.2 - 0.3, "months") == "0" and measured(-5.6e-17, "share") == "+0"


def test_a_count_of_households_below_one_is_not_written_as_a_signed_zero() -> None:
    # 0.2 extra graduations [-0.36, +0.76] rounded to whole households read '+0 [-0, +1]'
    assert with_interval(0.2, -0.36, 0.76, "households") == "+0.2 [-0.4, +1]"
    assert change(3.4, "households") == "+3" and change(-1234.0, "households") == "-1,234"
    assert change(0.0, "households") == "0"


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


def policies(*rows: tuple[str, float, float, float], likeliest: str) -> pd.DataFrame:
    """A ranking, best first: (scenario, effect, ci_low, ci_high) on the headcount, each at
    7.5 z per client household; ``likeliest`` is the best at that budget in every
    replication."""
    frame = pd.DataFrame(rows, columns=["scenario", "effect", "ci_low", "ci_high"])
    return frame.assign(cost_per_household=7.5, p_best_budget=7.5,
                        p_best=(frame["scenario"] == likeliest).astype(float))


def test_the_answer_names_the_policy_that_does_most_of_those_that_clearly_help() -> None:
    ranked = policies(("graduation", -0.041, -0.186, 0.104), ("cash_transfer", -0.012, -0.021,
                                                                -0.004), likeliest="cash_transfer")
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
                      ("graduation", 0.03, 0.01, 0.05),  # graduation clearly raises poverty
                      likeliest="training")
    assert summary.answer(ranked, 36, 3) == (
        "Only 3 replications: too few to act on this ranking; run at least 10 seeds. Answer: "
        "no policy lowers the poverty headcount at month 36 by an amount the replications "
        "can tell from zero; the best estimate is training's, -2.0 pp (95 % interval "
        "[-5.0, +1.0] pp).")


def test_the_answer_says_which_policy_is_most_often_best_at_an_equal_budget_when_another() -> None:
    # the answer weighs each policy at its own cost: cash transfer clearly lowers poverty, the
    # asset grant's interval includes zero, yet at the common budget the asset grant is the
    # best in 70 % of the replications and cash transfer in none
    ranked = policies(("asset_grant", -0.03, -0.07, 0.01), ("cash_transfer", -0.006, -0.01,
                                                             -0.002), likeliest="asset_grant")
    ranked.loc[:, "p_best"] = [0.7, 0.0]
    assert summary.answer(ranked, 120, 10).endswith(
        "includes zero. At an equal budget of 7.50 z per client household, asset grant is the "
        "best in 70 % of the replications, cash transfer in 0 % (the equal-budget view "
        "below).")


def snapshots(folder, status_at_24: list[str]) -> None:
    """A run's household snapshots at months 0 and 24 (five rows) in a real Parquet file."""
    folder.mkdir(parents=True)
    start = pd.DataFrame({"row": range(5), "status": ["supported", "supported", "supported",
                                                      "left", "left"],
                          "size": [2, 2, 6, 2, 2], "consumption": [1.0] * 5,
                          "assets": [5.0] * 5, "occupation": "none", "female_head": 0,
                          "enrolled_ever": 0, "binding_constraint": None})
    later = start.assign(status=status_at_24)
    pd.concat([start.assign(month=0), later.assign(month=24)]).to_parquet(
        folder / "households.parquet")


def test_a_groups_share_is_of_the_clients_its_effect_is_taken_over(tmp_path) -> None:
    # rows 3 and 4 left before month 0 (small households): they are in no effect, so they
    # are in no share; row 1 leaves by month 24, so two clients are compared: one small, one
    # large
    statuses = ["supported", "left", "supported", "left", "left"]
    snapshots(tmp_path / "arm", statuses)
    snapshots(tmp_path / "base", statuses)
    pairs = {"policy": pd.DataFrame({"run": ["arm"], "run_base": ["base"]})}
    table = by_type(Snapshots(tmp_path, TYPE_COLUMNS), pairs, 24, "headcount", k_star=20.0)
    share = table[table["dimension"] == "household size"].set_index("group")["share"]
    assert share["1-2 people"] == pytest.approx(0.5)
    assert share["5 or more people"] == pytest.approx(0.5)
