"""Per-family advice: exact allocation within budget, compatible packages, the welfare
objectives, the unspent budget's reason, and (slow) the allocation simulated as a whole beats
a random allocation of the same budget."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.analysis import advise as advice
from experiments.analysis.advice_page import advice_intro, allocation_lines, shown_number
from experiments.analysis.allocation import (
    NONE,
    allocate,
    best_within,
    compatible_sets,
    package_name,
    unspent_reason,
)
from experiments.analysis.document import html_text
from experiments.analysis.presentation import View
from experiments.analysis.targets import (
    PROGRAMMES_ON,
    Untargeted,
    scenario_programmes,
    untargeted,
    untargeted_note,
)
from experiments.analysis.translations import text
from experiments.cli import main
from experiments.config import PROJECT_ROOT
from experiments.evaluate import Evaluation, Point
from experiments.uncertainty import posterior_override
from model import diagnosis
from model.params import ConfigError
from model.programmes import PROGRAMME_NAMES
from tests.helpers import CLI


def test_allocation_is_the_exact_optimum_of_a_small_case() -> None:
    rng = np.random.default_rng(3)
    gains = pd.DataFrame(rng.uniform(-0.2, 1, (5, 2)), columns=["a", "b"])
    costs = pd.DataFrame(rng.integers(1, 8, (5, 2)).astype(float), columns=["a", "b"])
    budget = 10.0
    total, allocation = best_within(gains, costs, budget)
    best = max(sum(0.0 if p == NONE else gains.loc[h, p] for h, p in enumerate(pick))
               for pick in itertools.product([NONE, "a", "b"], repeat=5)
               if sum(0.0 if p == NONE else costs.loc[h, p]
                      for h, p in enumerate(pick)) <= budget)
    assert total == pytest.approx(best)
    assert sum(costs.loc[h, p] for h, p in allocation.items() if p != NONE) <= budget
    assert all(gains.loc[h, p] > 0 for h, p in allocation.items() if p != NONE)


def test_packages_that_set_a_programme_differently_are_never_allocated_together() -> None:
    settings = {"long_course": {"programmes.training.duration_months": 6},
                "short_course": {"programmes.training.duration_months": 1},
                "grant": {"programmes.asset_grant.dose": 1.0}}
    sets = compatible_sets(settings)
    assert sorted(map(sorted, sets)) == [["grant", "long_course"], ["grant", "short_course"]]
    gains = pd.DataFrame({"long_course": [1.0, 1.0], "short_course": [0.9, 0.9],
                          "grant": [0.1, 2.0]})
    costs = pd.DataFrame(1.0, index=gains.index, columns=gains.columns)
    allocation, used = allocate(gains, costs, 2.0, sets)
    assert list(allocation) == ["long_course", "grant"] and "short_course" not in used


@pytest.mark.parametrize(("gains", "costs", "budget", "reason"), [
    ([[0.5], [0.2]], [[3.0], [6.0]], 7.0, "(a for household 1) costs 6.00 z, more than the "
                                          "4.00 z left"),
    ([[0.5], [-0.2]], [[3.0], [1.0]], 7.0, "no package has a positive expected gain for any "
                                           "of the 1 households"),
    ([[0.5], [0.2]], [[3.0], [6.0]], 3.0, "the budget is spent"),
])
def test_the_unspent_budget_comes_with_its_reason(gains, costs, budget, reason) -> None:
    allocation = pd.Series(["a", NONE])
    assert reason in unspent_reason(allocation, pd.DataFrame(gains, columns=["a"]),
                                    pd.DataFrame(costs, columns=["a"]), budget)


def test_every_household_served_is_a_reason_too() -> None:
    gains, costs = pd.DataFrame({"a": [1.0], "b": [2.0]}), pd.DataFrame({"a": [1.0], "b": [9.0]})
    said = unspent_reason(pd.Series(["a"]), gains, costs, 6.0)  # b does more, costs too much
    assert said == ("every household has a package; a better package for any of them would "
                    "cost more than the 5.00 z left")
    best = unspent_reason(pd.Series(["b"]), gains, costs, 16.0)  # b is its best package
    assert best == ("every household has a package, the one with the largest expected gain "
                    "for it: no package would do more for any of them, so 7.00 z is left")


def test_the_objectives_measure_what_they_say() -> None:
    pc = np.array([[0.5, 1.2], [0.7, 1.1], [1.1, 0.9]])  # months x households, in z
    objectives = advice.OBJECTIVES
    np.testing.assert_allclose(objectives["consumption"].value(pc, 2), [2.3 / 3, 3.2 / 3])
    np.testing.assert_allclose(objectives["poverty_gap"].value(pc, 2), [-0.8 / 3, -0.1 / 3])
    np.testing.assert_array_equal(objectives["sustained_exits"].value(pc, 1), [1.0, 0.0])
    np.testing.assert_array_equal(objectives["sustained_exits"].value(pc, 2), [0.0, 0.0])
    left = np.array([[0.5, 1.2], [np.nan, 1.1], [np.nan, np.nan]])  # they left the clients
    np.testing.assert_allclose(objectives["consumption"].value(left, 1), [0.5, 2.3 / 2])
    np.testing.assert_array_equal(objectives["sustained_exits"].value(left, 1), [0.0, 0.0])


def test_equal_cost_cash_costs_what_the_package_costs() -> None:
    base = advice.roster_base(PILOT, 12, [])
    cash = advice.equal_cash(22.0, base, 200)
    assert cash["programmes.cash_transfer.dose"] + cash["programmes.cash_transfer.unit_cost_z"] \
        == pytest.approx(22.0)
    assert advice.programmes_of(cash) == ["cash_transfer"]


def two_families(packages: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The advice table and the allocation's sums of two families offered ``packages``, the
    first family given the first of them, the second none."""
    measure = advice.OBJECTIVES[advice.DEFAULT_OBJECTIVE]
    estimate = pd.DataFrame({"gain": [0.1, 0.2], "low": [0.0, 0.1], "high": [0.2, 0.3],
                             "cost": [20.0, 22.0]}, index=["H1", "H2"])
    allocation = pd.Series([packages[0], NONE], index=estimate.index)
    table = advice.households_table(allocation, dict.fromkeys(packages, estimate), measure)
    gain, nan = (1.0, 0.5, 1.5), float("nan")
    delivered = {"spent": (20.0, 19.0, 21.0), "spent_most": (21.0, nan, nan), "gain": gain,
                 "per_1000_z": gain}
    gains = pd.DataFrame(dict.fromkeys(packages, estimate["gain"]))
    return table, advice.allocation_table(delivered, allocation, gains, 50.0, 20.0, measure)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_advice_says_what_equal_cost_cash_is_after_naming_the_first_arm(lang) -> None:
    measure, view = advice.OBJECTIVES[advice.DEFAULT_OBJECTIVE], View(lang)
    table, summary = two_families(["equal_cash_graduation", "graduation"])
    intro = advice_intro(table, summary, measure, "why", 12, "intervals", view)
    arm = package_name("equal_cash_graduation", lang)
    note = text("card equal cash note", lang, example=arm)
    assert intro.endswith(f" {note}") and intro.index(arm) < intro.index(note)
    assert ("equal-cost cash" if lang == "en" else "هم‌هزینه") in note
    without = advice_intro(*two_families(["graduation"]), measure, "why", 12, "intervals", view)
    assert note not in without and without.endswith(".")


def test_every_lever_of_the_diagnosis_says_which_programmes_offer_it() -> None:
    assert tuple(PROGRAMMES_ON) == diagnosis.LEVERS
    assert set().union(*PROGRAMMES_ON.values()) <= set(PROGRAMME_NAMES)
    docs = (PROJECT_ROOT / "docs" / "analysis.md").read_text()
    for lever, programmes in PROGRAMMES_ON.items():  # the table of the docs says the same
        offered = ", ".join(f"`{p}`" for p in programmes) or "none"
        assert f"| {text(f'card lever {lever}')} | {offered} |" in docs, lever


def default_programmes(*more: str) -> set[str]:
    """The programmes of the default packages and of the library's scenarios ``more``."""
    return {p for name in (*advice.DEFAULT_PACKAGES, *more) for p in scenario_programmes(name)}


def test_a_constraint_no_package_compared_offers_is_found_with_the_scenarios_that_do() -> None:
    answers = ["wage_job", "wage_job", "confidence", "several", None, "wage_job",
               "working_adult"]
    families = pd.DataFrame({diagnosis.SUMMARY: pd.Series(answers, dtype="string")})
    # no default package adds jobs: the job programme's scenarios do, the focused one first
    assert untargeted(families, default_programmes()) == [
        Untargeted("wage_job", 3, ("jobs_and_incubation", "empowerment_network")),
        Untargeted("working_adult", 1, ())]
    assert untargeted(families, default_programmes("jobs_and_incubation")) == [
        Untargeted("working_adult", 1, ())]


def test_the_note_on_a_constraint_without_a_package_says_how_to_compare_one() -> None:
    jobs = Untargeted("wage_job", 3, ("jobs_and_incubation", "empowerment_network"))
    said = untargeted_note(jobs, ["graduation", "training"])
    assert said == ("No package compared offers a wage job, the binding constraint of 3 of "
                    "the families here. The library's scenarios that do: jobs_and_incubation, "
                    "empowerment_network; to compare one, add it to --packages, for example "
                    "--packages graduation training jobs_and_incubation.")
    one = untargeted_note(Untargeted("wage_job", 1, ()), ["graduation"])
    assert "the binding constraint of 1 of the families here, and no scenario" in one
    persian = untargeted_note(jobs, ["graduation", "training"], View("fa"))
    assert "یک شغل مزدی فراهم نمی‌کند" in persian and "مانع اصلی 3 خانواده" in persian
    assert "\u2066--packages graduation training jobs_and_incubation\u2069" in persian
    nowhere = untargeted_note(Untargeted("working_adult", 1, ()), ["graduation"])
    assert "one more working member" in nowhere and "no scenario of the library" in nowhere


def test_the_allocation_is_said_in_lines_rounded_with_units_and_no_missing_value() -> None:
    _, summary = two_families(["graduation"])
    lines = allocation_lines(summary, advice.OBJECTIVES[advice.DEFAULT_OBJECTIVE])
    assert lines == [
        "budget: 50.0 z", "planned spending: 20.0 z", "unspent: 30.0 z",
        "households with a package: 1 households",
        "spending as delivered: 20.0 (19.0 to 21.0) z", "most spent in one replication: 21.0 z",
        "planned gain (sum of per-family estimates): 0.100 share of z, summed over households",
        "gain of the allocation as delivered: 1.00 (0.500 to 1.50) share of z, summed over "
        "households",
        "gain as delivered per 1,000 z: 1.00 (0.500 to 1.50) share of z, summed over "
        "households, per 1,000 z spent"]


def test_equal_cost_cash_stands_beside_every_package_but_a_cash_transfer(tmp_path) -> None:
    study = advice.Study.of(PILOT, tmp_path, ["asset_grant", "cash_transfer"],
                            advice.roster_base(PILOT, 12, []), 2, advice.OBJECTIVES["consumption"],
                            1)
    costs = {"asset_grant": pd.DataFrame({"cost": [20.0, 24.0]}),
             "cash_transfer": pd.DataFrame({"cost": [37.0, 37.0]})}
    widened = advice.with_equal_cash(study, costs)
    assert list(widened.settings) == ["asset_grant", "cash_transfer", "equal_cash_asset_grant"]
    assert widened.settings["equal_cash_asset_grant"] == advice.equal_cash(22.0, study.base,
                                                                          len(study.ids))
    assert list(study.settings) == ["asset_grant", "cash_transfer"]  # the study is unchanged
    cheap = {**costs, "asset_grant": pd.DataFrame({"cost": [0.1]})}  # below delivery's cost
    assert list(advice.with_equal_cash(study, cheap).settings) == list(study.settings)


POSTERIOR = PROJECT_ROOT / "tests" / "fixtures" / "posterior"
PILOT = PROJECT_ROOT / "data" / "pilot_roster.csv"


def test_with_a_posterior_a_replication_has_one_draw_in_every_package(tmp_path) -> None:
    base = advice.roster_base(PILOT, 12, [posterior_override(str(POSTERIOR))])
    ids = pd.read_csv(PILOT, dtype=str)["household_id"].tolist()
    settings = {p: advice.package_settings([f"scenario={p}"], base, len(ids))
                for p in ("asset_grant", "mentoring")}
    assert not any(key.startswith("consumption.sigma_max") for s in settings.values()
                   for key in s)  # a package never pins a draw
    configs = [advice.assignment_config(dict.fromkeys(ids, p), settings, base, tmp_path, p)
               for p in settings]
    configs.append(advice.assignment_config({}, settings, base, tmp_path, "baseline"))
    drawn = [{Point.of("run", config, seed).config.consumption.sigma_max
              for config in configs} for seed in range(6)]
    assert all(len(values) == 1 for values in drawn)  # paired across packages
    assert len(set.union(*drawn)) > 1  # and a draw of its own for each replication


SMALL = {"packages": ["asset_grant", "training"], "replications": 4, "months": 18}


@pytest.fixture(scope="module")
def small_roster(tmp_path_factory) -> Path:
    roster = pd.read_csv(PILOT).head(40)
    path = tmp_path_factory.mktemp("advise") / "cohort.csv"
    roster.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def advised(small_roster, tmp_path_factory) -> tuple[advice.Advice, Path]:
    out = tmp_path_factory.mktemp("advice")
    return advice.advise(small_roster, 150.0, out, **SMALL), out


def row(result: advice.Advice, measure: str) -> pd.Series:
    return result.allocation.set_index("measure").loc[measure]


@pytest.mark.slow
def test_advice_stays_within_budget_and_offers_equal_cost_cash(advised) -> None:
    result, out = advised
    table = result.households
    assert len(table) == 40 and (out / "advice.csv").is_file()
    assert (out / "allocation.csv").is_file()
    # written to 12 significant digits: no binary noise such as 30.260000000000005
    numbers = re.findall(r"\d+\.\d+", (out / "allocation.csv").read_text())
    assert numbers and max(len(n.replace(".", "").lstrip("0")) for n in numbers) <= 12
    assert row(result, "planned spending")["value"] <= 150.0
    assert row(result, "spending as delivered")["value"] <= 150.0 + 1e-9
    assert row(result, "most spent in one replication")["value"] <= 150.0 + 1e-9
    for package in SMALL["packages"]:  # equal-cost cash beside every package
        assert f"poverty_gap_reduction_equal_cash_{package}" in table
        assert table[f"cost_equal_cash_{package}"].mean() == pytest.approx(
            table[f"cost_{package}"].mean(), abs=0.1)
    gains = table["poverty_gap_reduction_asset_grant"]  # estimates, not 0 or 1
    assert (table["poverty_gap_reduction_low_asset_grant"] < gains).any()
    assert (gains < table["poverty_gap_reduction_high_asset_grant"]).any()
    page = (out / "advice.html").read_text()
    assert "unspent" in page and result.unspent_reason
    assert page.startswith("<!doctype html>") and "<h1>Advice for cohort.csv</h1>" in page
    assert page.count("<article class='card") == 40  # a card per family
    # neither package adds jobs, and a wage job alone lifts some of these families
    jobs = [note for note in result.untargeted if "offers a wage job" in note]
    assert len(jobs) == 1 and "--packages asset_grant training jobs_and_incubation" in jobs[0]
    shown = html_text(jobs[0], "en")
    assert shown in page and page.index(shown) < page.index("The allocation as a whole")
    assert (out / "diagnosis.csv").is_file() and (out / "profile.csv").is_file()


@pytest.mark.slow
def test_advice_simulated_as_a_whole_beats_a_random_allocation(advised, small_roster) -> None:
    result, out = advised
    table = result.households.set_index("household_id")
    rng = np.random.default_rng(0)
    left, random = 150.0, {}
    for household in rng.permutation(table.index):
        package = rng.choice([*SMALL["packages"], NONE])
        if package != NONE and table.loc[household, f"cost_{package}"] <= left:
            left -= table.loc[household, f"cost_{package}"]
            random[household] = package
    base = advice.roster_base(small_roster, SMALL["months"], [])
    settings = {p: advice.package_settings([f"scenario={p}"], base, len(table))
                for p in SMALL["packages"]}
    configs = {"random": advice.assignment_config(random, settings, base, out / "assignments",
                                                  "random"),
               NONE: advice.assignment_config({}, settings, base, out, "baseline")}
    values = advice.simulate(configs, SMALL["replications"], out / advice.RUNS,
                             advice.OBJECTIVES[advice.DEFAULT_OBJECTIVE])
    chance = advice.whole(values["random"], values[NONE])["gain"][0]
    chosen = row(result, "gain of the allocation as delivered")["value"]
    assert chosen > chance > 0


@pytest.mark.slow
def test_the_command_says_its_advice_in_words_under_bars_named_for_their_runs(
        small_roster, tmp_path, capsys, monkeypatch) -> None:
    bars = []

    def evaluate(*args, progress: str = "", **kwargs) -> Evaluation:
        bars.append(progress)
        return real(*args, progress=progress, **kwargs)

    real = advice.evaluate
    monkeypatch.setattr(advice, "evaluate", evaluate)
    assert main(["advise", str(small_roster), "--budget-total", "100", "--packages",
                 "asset_grant", "--replications", "2", "--months", "6", "--out",
                 str(tmp_path / "advice")]) == 0
    assert bars == ["runs of business as usual and the packages", "runs of equal-cost cash",
                    "runs of the allocation as delivered"]
    said = capsys.readouterr().out
    assert "\n  budget: 100.0 z\n" in said and "households by package: " in said
    assert "NaN" not in said and "nan" not in said and "allocated_package" not in said
    assert "No package compared offers a wage job" in said


@pytest.mark.slow
def test_the_command_says_its_money_in_the_currency_of_its_page(small_roster, tmp_path,
                                                                 capsys) -> None:
    toman = View("fa", "toman", 1_680_000.0)
    assert main(["advise", str(small_roster), "--budget-total", "100", "--packages",
                 "asset_grant", "--replications", "2", "--months", "6", "--out",
                 str(tmp_path / "advice"), "--lang", "fa", "--currency", "toman",
                 "--poverty-line", "1680000"]) == 0
    said = capsys.readouterr().out
    assert f"\n  budget: {toman.amount(100.0)} toman\n" in said
    page = (tmp_path / "advice" / "advice_fa" / "advice.html").read_text()
    assert html_text(toman.amount(100.0), "fa") in page
    unspent = next(line for line in said.splitlines() if line.startswith("unspent budget:"))
    assert "toman" in unspent and not re.search(r"\d z\b", unspent)
    assert "households by package: " in said  # the terminal's words stay English


@pytest.mark.slow
def test_a_bad_roster_gets_the_roster_readers_error(tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("household_id,size,assets_z\nA,three,5\n")
    done = subprocess.run([CLI, "advise", str(bad), "--budget-total", "100", "--out",
                           str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 2
    assert "line 2, column 'size': 'three' is not a number" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_posterior_draws_change_the_intervals_and_say_so(small_roster, tmp_path) -> None:
    tiny = {"packages": ["asset_grant"], "replications": 2, "months": 6}
    fixed = advice.advise(small_roster, 100.0, tmp_path / "fixed", **tiny)
    drawn = advice.advise(small_roster, 100.0, tmp_path / "drawn", **tiny,
                          posterior=str(POSTERIOR))
    assert "fixed parameters (Monte-Carlo uncertainty only)" in fixed.interval_caption
    assert "own posterior draw (parameter and Monte-Carlo" in drawn.interval_caption
    assert drawn.interval_caption in (tmp_path / "drawn" / "advice.html").read_text()
    low = "poverty_gap_reduction_low_asset_grant"
    assert not np.allclose(fixed.households[low], drawn.households[low])


@pytest.mark.slow
def test_advice_in_another_language_or_with_other_settings_never_overwrites_advice(
        advised, small_roster) -> None:
    # last in the module: it replaces the shared advice at the end
    _, out = advised
    english = {p: p.read_bytes() for p in out.glob("*.*")}
    with pytest.raises(ConfigError, match=r"already holds advice made with other settings "
                                          r"\(budget_total: 150.0 -> 100.0\)"):
        advice.advise(small_roster, 100.0, out, **SMALL)
    persian = advice.advise(small_roster, 150.0, out, **SMALL,
                            view=View("fa", "toman", 1_680_000.0))
    assert persian.folder == out / "advice_fa"
    assert (persian.folder / "advice.html").read_text().startswith(
        "<!doctype html><html lang='fa' dir='rtl'>")
    assert {p: p.read_bytes() for p in out.glob("*.*")} == english  # reused runs, own folder
    replaced = advice.advise(small_roster, 100.0, out, **SMALL, overwrite=True)
    assert replaced.folder == out and "budget_total: 100.0" in (out / advice.SETTINGS).read_text()
    assert row(replaced, "budget")["value"] == 100.0


def test_the_advice_writes_a_large_summed_gain_in_full_and_its_interval_alike() -> None:
    # the consumption gained by a large roster, summed over its households, is in the
    # thousands: '%.3g' wrote it '1.23e+03', and 5.504 (5.199 to 5.809) as '5.5 (5.2 to 5.81)'
    measure = advice.OBJECTIVES["consumption"]
    shown = [shown_number(v, measure.total_unit, measure, View()) for v in
             (1234.4, 5.504, 5.199, 5.809, 0.01234, -0.5)]
    assert shown == ["1,234", "5.50", "5.20", "5.81", "0.0123", "-0.500"]


def test_the_unit_per_1000_z_is_the_summed_unit_per_1000_z() -> None:
    for measure in advice.OBJECTIVES.values():
        assert measure.per_1000_unit == f"{measure.total_unit}, per 1,000 z spent"
