"""Comparing scenarios: a known effect is recovered, costs add up, bad input is refused."""

from __future__ import annotations

import json
import re
import subprocess

import numpy as np
import pandas as pd
import pytest

from empowernet import ConfigError, EmpowermentModel
from experiments import load_config, run_one, store
from experiments.analysis.benefit_cost import benefit_cost
from experiments.analysis.compare import (
    caveats,
    compare,
    default_months,
    mixed_code_note,
    paired,
    render,
)
from experiments.analysis.participants import PER_HOUSEHOLD
from experiments.analysis.presentation import ENGLISH
from experiments.analysis.report import code_note, stored_runs
from experiments.sweep import current_runs, write_index
from model.params import to_dict
from tests.helpers import CLI

GIFT = 10.0
# without the trap there is no indivisible asset, so no household buys one with the gift
WORLD = ["population.households=400", "months=3", "status.p_exit=0", "status.p_entry=0",
         "population.burn_in_months=0",
         "consumption.subsistence_per_person_z=0", "consumption.saving_rule=fixed",
         "enterprise.trap=false"]
GIFT_SCENARIO = ["label=gift", "programmes.cash_transfer.enabled=true",
                 "programmes.cash_transfer.targeting=all_eligible",
                 "programmes.cash_transfer.coverage=1.0",
                 f"programmes.cash_transfer.dose={GIFT}",
                 "programmes.cash_transfer.unit_cost_z=0"]


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    job = 0
    for seed in range(3):
        for extra in ([], GIFT_SCENARIO):
            run_one(load_config([*WORLD, f"seed={seed}", *extra]), folder / str(job))
            job += 1
    return folder


@pytest.mark.slow
def test_a_cash_gift_of_known_size_is_recovered_within_its_interval(sweep_dir) -> None:
    table, money = compare(sweep_dir, months=[1])
    row = table[(table["scenario"] == "gift") &
                (table["outcome"] == "consumption_pc_mean")].iloc[0]
    # with no subsistence and a fixed saving rate of 0.10, every household consumes 90 % of
    # the gift in the month it arrives: 0.9 * gift / size per person, averaged over households
    truth = np.mean([0.9 * GIFT * np.mean(1.0 / EmpowermentModel(
        load_config([*WORLD, f"seed={seed}"])).state.field("size")) for seed in range(3)])
    assert row["effect"] == pytest.approx(truth, rel=1e-9)
    assert row["ci_low"] - 1e-9 <= truth <= row["ci_high"] + 1e-9
    assert row["seeds"] == 3
    cost = money.set_index("scenario").loc["gift"]
    assert cost["cost_per_household"] == pytest.approx(GIFT)
    assert (sweep_dir / "comparison.csv").is_file() and (sweep_dir / "costs.parquet").is_file()


@pytest.fixture(scope="module")
def spent_gift_dir(tmp_path_factory):
    """Runs in which nothing is saved: a gift is consumed whole in the month it arrives."""
    folder = tmp_path_factory.mktemp("spent")
    for job, (seed, extra) in enumerate((seed, extra) for seed in range(2)
                                        for extra in ([], GIFT_SCENARIO)):
        run_one(load_config([*WORLD, "consumption.reference_saving_rate=0", f"seed={seed}",
                             *extra]), folder / str(job))
    return folder


@pytest.mark.slow
def test_benefit_cost_of_a_gift_consumed_at_once_is_one_over_the_horizon(spent_gift_dir) -> None:
    # month 1: every household receives the gift G and consumes all of it; nothing else
    # changes. Benefit and cost are the same flow, discounted alike: the ratio is exactly 1.
    # With the last year's mean gain held for ever: the 3 simulated months gain G, 0, 0 (mean
    # G / 3); held from month 4 on at a monthly factor f = 1.05 ** (-1/12) it is worth
    # G / 3 * (f**4 + f**5 + ...) = G / 3 * f**4 / (1 - f), against a cost of G * f.
    _, money = compare(spent_gift_dir, months=[1], discount=0.05)
    cost = money.set_index("scenario").loc["gift"]
    f = 1.05 ** (-1 / 12)
    assert cost["benefit_cost_ratio"] == pytest.approx(1.0, rel=1e-9)
    assert cost["benefit_cost_ratio_with_tail"] == pytest.approx(
        1.0 + f ** 3 / (3 * (1 - f)), rel=1e-9)


def test_the_terminal_says_there_was_no_extra_sustained_graduation_not_nan() -> None:
    table = pd.DataFrame([{"scenario": "gift", "outcome": "headcount", "month": 12,
                           "baseline": 0.4, "scenario_value": 0.38, "effect": -0.02,
                           "ci_low": -0.03, "ci_high": -0.01, "seeds": 3, "draws": 0,
                           "parameter_share": np.nan, "participants_effect": np.nan}])
    money = pd.DataFrame([{"scenario": "gift", "cost_per_household": 5.0,
                           "cost_per_sustained_graduation": np.nan, "benefit_cost_ratio": 0.5,
                           "bcr_ci_low": 0.4, "bcr_ci_high": 0.6,
                           "benefit_cost_ratio_with_tail": 2.0, "bcr_tail_ci_low": 1.5,
                           "bcr_tail_ci_high": 2.5, "discount_rate": 0.05, "p_best": 1.0,
                           "p_best_budget": 5.0, "lent": 0.0, "lent_returned": 0.0}])
    shown = render(table, money)
    assert shown.startswith("Only 3 replications: too few to act on this ranking; run at least "
                            "10 seeds.\ngift against the baseline")
    assert "per extra sustained graduation none (no extra sustained graduation);" in shown
    assert "nan" not in shown and "lent" not in shown
    lender = money.assign(lent=2355.0, lent_returned=2124.0)
    assert ("cost per household 5 z; of its loans, 2,355 z lent and 2,124 z repaid, so its "
            "costs and ratios count the rest;") in render(table, lender)
    money["cost_per_sustained_graduation"] = 448.2
    assert "per extra sustained graduation 448.2 z;" in render(table, money)
    # a count at scale in plain notation: '%.4g' wrote 24,013 graduations as 2.401e+04
    table[["baseline", "scenario_value", "effect"]] = [24013.0, 25140.4, 1127.4]
    shown = render(table, money)
    assert "24,013 ->     25,140   effect on all     +1,127" in shown and "e+" not in shown


def test_benefit_cost_from_monthly_flows_by_hand() -> None:
    # a cost of 10 in month 1; gains of 4, 4 and 6 in months 1-3; 12 %/year (f**12 = 1/1.12)
    f = 1.12 ** (-1 / 12)
    ratios = benefit_cost(np.arange(4), np.array([99.0, 4.0, 4.0, 6.0]),
                          np.array([99.0, 10.0, 0.0, 0.0]), 0.12)  # month 0 is ignored
    benefit = 4 * f + 4 * f ** 2 + 6 * f ** 3
    assert ratios.horizon == pytest.approx(benefit / (10 * f))
    tail = (14 / 3) * f ** 4 / (1 - f)  # the mean of the (only) three months, from month 4
    assert ratios.with_tail == pytest.approx((benefit + tail) / (10 * f))


@pytest.mark.slow
def test_comparison_needs_a_baseline_and_one_run_per_seed(sweep_dir, tmp_path) -> None:
    with pytest.raises(ConfigError, match="no 'nothing' runs"):
        compare(sweep_dir, baseline="nothing")
    twice = tmp_path / "twice"
    for job in range(2):
        run_one(load_config([*WORLD, "seed=0"]), twice / str(job))
    with pytest.raises(ConfigError, match="more than one run"):
        compare(twice)


@pytest.mark.slow
def test_cli_refuses_a_missing_folder_with_status_2(tmp_path) -> None:
    done = subprocess.run([CLI, "compare", str(tmp_path / "absent")], capture_output=True,
                          text=True)
    assert done.returncode == 2 and "is not a folder" in done.stderr


@pytest.mark.slow
def test_intervals_cover_the_truth_in_a_small_simulation_study() -> None:
    """Two runs of the same scenario with different seeds differ by noise around a true
    effect of exactly zero; 95 % intervals over 5 such pairs should cover zero about 95 % of
    the time (40 studies: at least 34 covers, the 1st percentile of Binomial(40, 0.95))."""
    from experiments.analysis.statistics import interval

    config = load_config(["population.households=150", "months=12"])
    headcount = {seed: EmpowermentModel(config, rng=seed).run().results()["headcount"].iloc[-1]
                 for seed in range(400)}
    covers = 0
    for study in range(40):
        diffs = [headcount[10 * study + k] - headcount[10 * study + 5 + k] for k in range(5)]
        _, lo, hi = interval(diffs)
        covers += lo <= 0.0 <= hi
    assert 34 <= covers <= 40


# ---- participants, non-participants and the net effect ----------------------------------
# Fixed slots (no enterprise hiring), far more applicants than slots, and job matching for
# half of the households by lottery (no burn-in, nobody leaves or enters): a referral ranks a
# participant above every other applicant, so participants take the slots non-participants
# would have had. By construction
# participants gain wage jobs, non-participants lose them, and the net effect is about zero.
RATIONED = ["population.households=400", "months=12", "population.burn_in_months=0",
            "status.p_exit=0", "status.p_entry=0", "labour.p_find=0.5",
            "labour.job_slots_per_1000=10", "labour.enterprise_hiring=0",
            "outputs.snapshot_months=[0,6]"]
MATCHING = ["label=matching", "programmes.job_matching.enabled=true",
            "programmes.job_matching.targeting=lottery", "programmes.job_matching.coverage=0.5",
            "programmes.job_matching.unit_cost_z=0"]


@pytest.fixture(scope="module")
def rationed_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rationed")
    for job, (seed, extra) in enumerate((seed, extra) for seed in range(4)
                                        for extra in ([], MATCHING)):
        run_one(load_config([*RATIONED, f"seed={seed}", *extra]), folder / str(job))
    return folder


@pytest.mark.slow
def test_displacement_by_construction_participants_gain_others_lose_net_about_zero(
        rationed_dir) -> None:
    table, _ = compare(rationed_dir, months=[6, 12])
    jobs = table[(table["scenario"] == "matching") & (table["outcome"] == "share_wage_job")]
    jobs = jobs.set_index("month")
    at = jobs.loc[12]
    assert at["participants_ci_low"] > 0.05            # participants gain wage jobs...
    assert at["non_participants_ci_high"] < -0.05      # ...that the others lose
    assert abs(at["effect"]) < 0.1 * at["participants_effect"]  # net: about zero
    assert at["ci_low"] <= 0.0 <= at["ci_high"]
    # in each seed the net effect (from the results table) of every outcome read per
    # household is the two groups' effects weighted by their shares; here the share is a
    # half in every seed, so the means over seeds keep that identity (where the share
    # varies between seeds they differ by a covariance: tests/test_participants.py)
    assert 0.3 < at["participants_share"] < 0.7
    split = table[(table["scenario"] == "matching") & table["participants_effect"].notna()]
    assert set(split["outcome"]) == set(PER_HOUSEHOLD)
    for row in split.itertuples():
        share = row.participants_share
        assert row.effect == pytest.approx(share * row.participants_effect + (1 - share) *
                                           row.non_participants_effect, abs=1e-9), row.outcome
    assert jobs.loc[6, "participants_effect"] > 0  # month 6 was snapshot too
    # counts of graduations have no group effect
    counts = table[table["outcome"] == "graduations_cumulative"]
    assert counts["participants_effect"].isna().all()


@pytest.mark.slow
def test_months_without_snapshots_have_no_group_effects(rationed_dir) -> None:
    table, _ = compare(rationed_dir, months=[3])
    assert table["participants_effect"].isna().all()
    assert table["effect"].notna().any()


@pytest.mark.parametrize(("horizon", "months"), [
    (12, [12]), (24, [24]), (30, [24, 30]), (36, [24, 36]), (60, [24, 36, 60]),
    (120, [24, 36, 120]), (150, [24, 36, 120, 150])])
def test_the_default_months_end_at_the_runs_final_month(horizon, months) -> None:
    # the final month: the one whose household snapshot every run keeps (the report ranks there)
    assert default_months(horizon) == months


def test_two_runs_of_one_scenario_and_seed_are_refused_naming_them() -> None:
    # a folder of single runs made with other settings is not one sweep
    table = pd.DataFrame({"scenario": ["baseline", "baseline", "graduation"],
                          "draw": [-1, -1, -1], "seed": [0, 0, 0], "month": [0, 0, 0],
                          "run": ["baseline/s0-aaaa", "baseline/s0-bbbb", "graduation/s0-cccc"]})
    with pytest.raises(ConfigError, match=re.escape(
            "more than one run of scenario 'baseline' with seed 0 (baseline/s0-aaaa and "
            "baseline/s0-bbbb), so its runs are not one setting")):
        paired(table, "baseline")


def runs_table(scenarios: list[str], seeds: list[int]) -> pd.DataFrame:
    """Month-0 rows of one run per scenario and seed, with fixed parameters."""
    return pd.DataFrame({"scenario": scenarios, "draw": -1, "seed": seeds, "month": 0,
                         "run": [f"{s}/s{k}-aaaa" for s, k in zip(scenarios, seeds,
                                                                   strict=True)]})


def test_a_sweep_of_the_baseline_alone_is_refused_saying_what_to_run() -> None:
    with pytest.raises(ConfigError, match=re.escape(
            "the sweep's finished runs are all of 'baseline', so there is nothing to compare "
            "with it; run other scenarios into the same folder")):
        paired(runs_table(["baseline", "baseline"], [0, 1]), "baseline")


def test_a_scenario_without_a_seed_of_the_baseline_is_refused_naming_both_seeds() -> None:
    with pytest.raises(ConfigError, match=re.escape(
            "scenario 'graduation' has no run with a seed (and posterior draw) that a "
            "'baseline' run has (its seeds: 2, 3; the baseline's: 0)")):
        paired(runs_table(["baseline", "graduation", "graduation"], [0, 2, 3]), "baseline")


def test_a_sweep_whose_latest_runs_did_not_all_finish_is_compared_with_a_note(
        tmp_path, capsys) -> None:
    """compare uses the finished runs of the latest invocation, and says how many of its runs
    are missing (interrupted, failed or still running) rather than comparing fewer in
    silence."""
    for seed in range(2):
        for extra in ([], GIFT_SCENARIO):
            config = load_config([*WORLD, "population.households=50", f"seed={seed}", *extra])
            run_one(config, tmp_path / store.run_id(to_dict(config)))
    done = [p.parent.relative_to(tmp_path).as_posix() for p in tmp_path.glob("*/*/manifest.json")]
    write_index(tmp_path, ["seed=range(3)"], [*done, "baseline/s2-0badf00d", "gift/s2-0badf00d"])
    compare(tmp_path, months=[1])
    assert ("2 of the 6 runs of its latest invocation have not finished" in
            capsys.readouterr().err)


def test_runs_of_two_revisions_of_the_code_are_compared_with_a_warning(tmp_path,
                                                                       capsys) -> None:
    """A sweep resumed after the code changed pairs runs of two codes: compare says so on the
    terminal and the report in its introduction, and neither says it of runs of one code."""
    for extra in ([], GIFT_SCENARIO):
        config = load_config([*WORLD, "population.households=50", "seed=0", *extra])
        run_one(config, tmp_path / store.run_id(to_dict(config)))
    runs = stored_runs(tmp_path, current_runs(tmp_path))
    assert code_note(runs, ENGLISH) == ""
    compare(tmp_path, months=[1])
    assert "revisions of the code" not in capsys.readouterr().err
    (manifest,) = tmp_path.glob("gift/*/manifest.json")
    record = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**record, "code_revision": "1a2b3c4"}), encoding="utf-8")
    compare(tmp_path, months=[1])
    assert (f"The 2 runs of {tmp_path} were made by 2 revisions of the code (runs by "
            f"revision: {store.code_revision()}: 1; 1a2b3c4: 1)" in capsys.readouterr().err)
    persian = mixed_code_note(tmp_path, [record, {"code_revision": "1a2b3c4"}], "fa")
    assert persian.startswith("۲ اجرای این مجموعه با ۲ نسخهٔ متفاوت از کد")
    assert "\u20661a2b3c4\u2069: ۱" in persian  # the revision laid out left to right
    assert [n[:30] for n in caveats(tmp_path, current_runs(tmp_path))] == [
        f"The 2 runs of {tmp_path}"[:30]]  # what the dashboard shows above the sweep
    runs = stored_runs(tmp_path, current_runs(tmp_path))
    assert code_note(runs, ENGLISH).startswith("Caution: these runs were made by 2 revisions")
