"""``empowernet diagnose ROSTER``: the roster's poverty profile (FGT 0, 1, 2, overall and by
household type) and a printable card per family with its binding constraint in plain words;
``advise`` renders the same cards with its recommendation, as a complete page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from agents import EmpowermentModel
from experiments.analysis import diagnose
from experiments.analysis.advice_page import advice_page
from experiments.analysis.document import html_text
from experiments.analysis.objectives import OBJECTIVES
from experiments.analysis.presentation import View
from experiments.analysis.profile import poverty_profile, profile_table
from experiments.analysis.targets import Untargeted, untargeted_note
from experiments.analysis.translations import text
from experiments.cli import main
from model import diagnosis
from tests.helpers import CLI
from tests.test_persian import LATIN_DIGIT, shown_text

pytestmark = pytest.mark.filterwarnings(  # the roster's name column is meant: a label
    "ignore:.*kept as labels:model.roster_columns.RosterWarning")  # (test_roster_formats)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "cards"
FAMILIES = 12
TOMAN = View("fa", "toman", 1_680_000.0)
HOUSEHOLD_ID = re.compile(r"H\d{4}")
"""The roster's household ids: identifiers, kept in Latin letters and digits."""


def known_snapshot() -> pd.DataFrame:
    """Five households of known consumption per person: 0.5, 0.8, 1.2, 2.0 and one that has
    left (not counted)."""
    return pd.DataFrame({
        "status": ["supported", "enrolled", "supported", "graduated", "left"],
        "consumption": [1.0, 2.4, 1.2, 8.0, 0.1], "size": [2, 3, 1, 4, 1],
        "assets": [1.0, 5.0, 12.0, 30.0, 0.0], "female_head": [1, 0, 1, 0, 1]})


def test_the_profile_is_fgt_over_the_client_households() -> None:
    profile = poverty_profile(known_snapshot(), k_star=20.0).set_index(["dimension", "group"])
    overall = profile.loc[("all", "all client households")]
    # shortfalls 0.5, 0.2, 0, 0: headcount 2/4, gap 0.7/4, severity (0.25 + 0.04)/4
    assert overall["households"] == 4
    assert overall[["headcount", "poverty_gap", "poverty_severity"]].tolist() == \
        pytest.approx([0.5, 0.175, 0.0725])
    female = profile.loc[("head of household", "female-headed")]  # 0.5 and 1.2
    assert female[["households", "share", "headcount", "poverty_gap", "poverty_severity"]] \
        .tolist() == pytest.approx([2, 0.5, 0.5, 0.25, 0.125])
    deep = profile.loc[("depth of poverty", "below half the line")]
    assert deep["households"] == 0 and np.isnan(deep["headcount"])
    shown = profile_table(profile.reset_index()).iloc[0]
    assert shown[["headcount (FGT0)", "poverty gap (FGT1, % of z)", "severity (FGT2)"]] \
        .tolist() == ["50.0 %", "17.5 %", "0.073"]


@pytest.fixture(scope="module")
def roster(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("diagnose") / "village.csv"
    assert main(["make-roster", str(path), "--households", str(FAMILIES), "--seed", "3"]) == 0
    frame = pd.read_csv(path)
    frame.insert(1, "name", [f"family {k}" for k in range(FAMILIES)])  # a label column
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def found(roster) -> diagnose.Diagnosis:
    return diagnose.diagnose_roster(roster)


def test_the_roster_profile_agrees_with_the_models_month_zero(found, roster) -> None:
    results = EmpowermentModel(diagnose.roster_config(roster)).results().iloc[0]
    overall = found.profile.iloc[0]
    for measure in ("headcount", "poverty_gap", "poverty_severity"):
        assert overall[measure] == pytest.approx(results[measure], rel=1e-12)
    gap = np.maximum(0.0, 1.0 - found.families["consumption_pc_z"].to_numpy())
    assert overall["poverty_gap"] == pytest.approx(gap.mean())
    assert overall["households"] == FAMILIES


def test_every_family_has_a_sentence_in_plain_words(found) -> None:
    families = found.families
    assert list(families["household_id"]) == [f"H{k:04d}" for k in range(1, FAMILIES + 1)]
    assert list(families["label_name"]) == [f"family {k}" for k in range(FAMILIES)]
    assert families["poor"].any() and not families["poor"].all()
    assert (families.loc[~families["poor"], "explanation"]
            == "This family is above the poverty line now.").all()
    poor = families[families["poor"]]
    assert poor[diagnosis.SUMMARY].notna().all()
    assert all("within 24 months" in s for s in poor["explanation"])
    for lever in diagnosis.LEVERS:
        alone = poor[poor[diagnosis.SUMMARY] == lever]
        assert (alone["explanation"] == text(f"card sentence {lever}", horizon=24,
                                             k_star="20 z")).all()


def test_only_the_rosters_families_are_diagnosed_even_with_entrants(roster) -> None:
    entering = diagnose.diagnose_roster(roster, ["status.p_entry=0.05", "months=24"])
    assert len(entering.families) == FAMILIES
    assert entering.profile.iloc[0]["households"] == FAMILIES


def test_each_answer_of_the_diagnosis_has_its_words() -> None:
    lifted = {f"lifted_by_{lever}": lever in ("skill", "wage_job") for lever in diagnosis.LEVERS}
    for answer in (*diagnosis.ANSWERS, None):
        sentence = diagnose.explanation({diagnosis.SUMMARY: answer, **lifted}, 24, 20.0)
        assert sentence.endswith(".") and "{" not in sentence
        assert diagnose.constraint_words(answer)
    several = diagnose.explanation({diagnosis.SUMMARY: diagnosis.SEVERAL, **lifted}, 24, 20.0)
    assert several.endswith(": vocational training, a wage job.")


def assert_complete_page(page: str, roster: Path, heading: str) -> None:
    """A whole HTML page headed with the roster's name, one printable card per family."""
    assert page.startswith("<!doctype html><html lang='en'><head><meta charset='utf-8'>")
    assert page.rstrip().endswith("</body></html>")
    assert f"<h1>{heading} {roster.name}</h1>" in page
    assert page.count("<article class='card") == FAMILIES
    assert "@media print" in page and "page-break-inside:avoid" in page
    text = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    assert not re.search(r"\d\.\d{4,}", text)  # numbers rounded
    assert "name: family 0" in text  # the roster's label column on its card


def advice_tables(ids: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An advice table (training for every other family) and an allocation of a budget."""
    half = FAMILIES // 2
    table = pd.DataFrame({"household_id": ids,
                          "allocated_package": ["training", "none"] * half,
                          "consumption_gain_allocated": [0.1234567, 0.0] * half,
                          "consumption_gain_low_allocated": [0.05, 0.0] * half,
                          "consumption_gain_high_allocated": [0.2, 0.0] * half,
                          "cost_allocated": [4.56789, 0.0] * half})
    summary = pd.DataFrame({"measure": ["budget"], "value": [10.0], "ci_low": [float("nan")],
                            "ci_high": [float("nan")], "unit": ["z"]})
    return table, summary


def test_advise_renders_the_same_cards_with_its_recommendation(found, roster) -> None:
    table, summary = advice_tables(found.families["household_id"])
    page = advice_page(found, table, summary, OBJECTIVES["consumption"], "12 households.")
    assert_complete_page(page, roster, "Advice for")
    assert page.count("Recommended package") == FAMILIES
    assert page.count("<dd>+0.123 z/person-month</dd><dt>95 % interval</dt><dd>+0.05 to "
                      "+0.2 z/person-month</dd>") == FAMILIES // 2
    assert page.count("<dd>4.6 z</dd>") == FAMILIES // 2
    assert page.count("<dd>no package</dd>") == FAMILIES // 2
    assert found.families.iloc[0]["explanation"] in page


@pytest.mark.parametrize("which", ["found", "found_in_persian"])
def test_the_advice_page_says_first_which_constraint_no_package_offers(which, request) -> None:
    found = request.getfixturevalue(which)
    table, summary = advice_tables(found.families["household_id"])
    gaps = [Untargeted("wage_job", 5, ("jobs_and_incubation",))]
    page = advice_page(found, table, summary, OBJECTIVES["consumption"], "12.", gaps)
    note = html_text(untargeted_note(gaps[0], [], found.view), found.view.lang)
    heading = html_text(text("card untargeted heading", found.view.lang), found.view.lang)
    allocation = text("card allocation heading", found.view.lang)
    assert page.index(f"<h2>{heading}</h2>") < page.index(note) < page.index(allocation)
    assert heading not in advice_page(found, table, summary, OBJECTIVES["consumption"], "12.")


@pytest.fixture(scope="module")
def found_in_persian(roster) -> diagnose.Diagnosis:
    return diagnose.diagnose_roster(roster, view=TOMAN)


def assert_persian_page(page: str) -> None:
    """A whole page right to left in the report's Persian fonts, every number shown in
    Persian digits (household ids aside), money in toman."""
    assert page.startswith("<!doctype html><html lang='fa' dir='rtl'><head>")
    assert "Noto Naskh Arabic" in page and page.rstrip().endswith("</body></html>")
    seen = shown_text(page)
    assert LATIN_DIGIT.findall(HOUSEHOLD_ID.sub(" ", seen)) == []
    assert "تومان" in seen and "۲۴ ماه" in seen  # the diagnosis horizon, 24 months
    assert page.count("<article class='card") == FAMILIES


def test_the_diagnosis_in_persian_speaks_persian_in_toman(found_in_persian, found) -> None:
    page = diagnose.diagnosis_page(found_in_persian)
    assert_persian_page(page)
    assert "<h2>نیم‌رخ فقر</h2>" in page and "<h2>خانواده‌ها</h2>" in page
    assert "<th>نرخ فقر (FGT ۰)</th>" in page
    # the same diagnosis, its words translated and its money converted
    english, persian = found.families, found_in_persian.families
    assert (english[diagnosis.SUMMARY].fillna("") == persian[diagnosis.SUMMARY].fillna("")).all()
    not_poor = persian.loc[~persian["poor"], "explanation"]
    assert (not_poor == text("card sentence not poor", "fa")).all()
    assets = english["assets_z"].iloc[0]
    assert f"{TOMAN.amount(assets, 1)} تومان".translate(PERSIAN) in page


PERSIAN = str.maketrans("0123456789,", "۰۱۲۳۴۵۶۷۸۹٬")


def test_the_advice_in_persian_names_packages_and_money_in_persian(found_in_persian) -> None:
    table, summary = advice_tables(found_in_persian.families["household_id"])
    page = advice_page(found_in_persian, table, summary, OBJECTIVES["consumption"],
                       "۱۲ خانوار.")
    assert_persian_page(page)
    assert page.count("<dt>بستهٔ پیشنهادی</dt><dd>آموزش مهارت</dd>") == FAMILIES // 2
    assert page.count("<dd>بدون بسته</dd>") >= FAMILIES // 2
    # 4.56789 z at 1,680,000 toman a z: 7,670,000 toman, 3 significant digits
    assert page.count("<dd>۷٬۶۷۰٬۰۰۰ تومان</dd>") == FAMILIES // 2
    assert re.search(r"<td>بودجه</td>\s*<td>۱۶٬۸۰۰٬۰۰۰</td>", page)  # 10 z


def test_diagnose_in_toman_without_a_poverty_line_is_refused(roster, tmp_path,
                                                             capsys) -> None:
    out = tmp_path / "out"
    assert main(["diagnose", str(roster), "--out", str(out), "--lang", "fa",
                 "--currency", "toman"]) == 2
    assert "--poverty-line" in capsys.readouterr().err
    assert main(["advise", str(roster), "--budget-total", "10", "--out", str(out),
                 "--currency", "rial"]) == 2
    assert not out.exists()


@pytest.mark.slow
def test_diagnose_in_persian_in_chromium(roster, tmp_path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.test_dashboard import chromium

    out = tmp_path / "fa"
    done = subprocess.run([CLI, "diagnose", str(roster), "--out", str(out), "--lang", "fa",
                           "--currency", "toman", "--poverty-line", "1680000"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert_persian_page((out / diagnose.PAGE).read_text())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        view = browser.new_page(viewport={"width": 1100, "height": 900})
        view.goto((out / diagnose.PAGE).as_uri())
        assert view.evaluate("document.documentElement.dir") == "rtl"
        assert view.evaluate("getComputedStyle(document.body).direction") == "rtl"
        card = view.locator("article.card").first.bounding_box()
        assert card["x"] + card["width"] > 1000  # the first card starts at the right margin
        seen = view.inner_text("body")
        assert "۲۴" in seen and not LATIN_DIGIT.search(HOUSEHOLD_ID.sub(" ", seen))
        view.screenshot(path=ARTIFACTS / "diagnosis_fa.png", full_page=True)
        browser.close()
    assert (ARTIFACTS / "diagnosis_fa.png").stat().st_size > 10_000


@pytest.mark.slow
def test_diagnose_writes_a_page_of_cards_tables_and_a_workbook(roster, tmp_path) -> None:
    out, book = tmp_path / "out", tmp_path / "diagnosis.xlsx"
    done = subprocess.run([CLI, "diagnose", str(roster), "--out", str(out), "--xlsx",
                           str(book)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "diagnosing 12 families" in done.stderr
    page = (out / diagnose.PAGE).read_text()
    assert_complete_page(page, roster, "Diagnosis of")
    assert "<h2>Poverty profile</h2>" in page and "<th>headcount (FGT0)</th>" in page
    families, table = (pd.read_parquet(out / "diagnosis.parquet"),
                       pd.read_csv(out / "diagnosis.csv"))
    assert list(table.columns) == list(families.columns) and len(table) == FAMILIES
    assert table["explanation"].tolist() == families["explanation"].tolist()
    sheets = pd.read_excel(book, sheet_name=None)
    assert list(sheets) == ["profile", "diagnosis"]
    assert {"headcount (share below the line)", "poverty_gap (mean shortfall, share of z)",
            "households (households)"} <= set(sheets["profile"].columns)
    assert {"consumption_pc_z (z/person-month)", "binding_constraint", "explanation",
            "lifted_by_wage_job (true if this lever alone lifts the family)"} \
        <= set(sheets["diagnosis"].columns)
    assert len(sheets["diagnosis"]) == FAMILIES
    screenshot(out / diagnose.PAGE)

    again = subprocess.run([CLI, "diagnose", str(roster), "--out", str(out)],
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0  # the same diagnosis: written again, identical
    other = subprocess.run([CLI, "diagnose", str(roster), "--out", str(out),
                            "diagnosis.horizon_months=12"], capture_output=True, text=True,
                           timeout=600)
    assert other.returncode == 2
    assert "diagnosis.horizon_months: 24 -> 12" in other.stderr
    assert "Nothing was written" in other.stderr and "--overwrite" in other.stderr
    assert (out / diagnose.PAGE).read_text() == page


def screenshot(page: Path) -> None:
    """The page as Chromium shows it on screen and in print, kept in ``artifacts/cards/``
    (skipped where the dashboard's browser test is)."""
    from playwright.sync_api import sync_playwright

    from tests.test_dashboard import chromium

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        view = browser.new_page(viewport={"width": 1100, "height": 900})
        view.goto(page.as_uri())
        assert view.locator("article.card").count() == FAMILIES
        view.screenshot(path=ARTIFACTS / "diagnosis.png", full_page=True)
        view.emulate_media(media="print")
        view.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        view.screenshot(path=ARTIFACTS / "diagnosis-print.png", full_page=True)
        view.pdf(path=ARTIFACTS / "diagnosis.pdf", format="A4")
        browser.close()


@pytest.mark.slow
def test_a_bad_roster_is_refused_naming_its_line_and_column(tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("household_id,size,assets_z\nA,3,5\nB,three,5\n")
    out = tmp_path / "out"
    done = subprocess.run([CLI, "diagnose", str(bad), "--out", str(out)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 2
    assert str(bad) in done.stderr and "line 3, column 'size'" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not out.exists()
