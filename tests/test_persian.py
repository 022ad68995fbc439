"""Persian: every label in both languages, numbers in Persian digits and dates in the Jalali
calendar, amounts in toman or rial, a right-to-left report with no Latin digit in a number
shown, a Persian figure, and the report in Chromium. Artefacts (a figure and a screenshot) are
kept in ``artifacts/persian/`` (ignored by git)."""

from __future__ import annotations

import os
import re
import string
from pathlib import Path

import pandas as pd
import pytest

from experiments import load_config, run_one
from experiments.analysis import plots
from experiments.analysis.labels import change, date_text, level, numerals
from experiments.analysis.outcomes import OUTCOMES
from experiments.analysis.presentation import View, view_of
from experiments.analysis.report import build
from experiments.analysis.report_tables import per_1000
from experiments.analysis.translations import TEXTS, text
from experiments.cli import main
from experiments.config import CONFIG_DIR
from model import diagnosis
from model.params import ConfigError

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "persian"
TOMAN = View("fa", "toman", 1_680_000.0)
LATIN_DIGIT = re.compile(r"[0-9]")


def placeholders(pattern: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name}


def test_every_label_has_english_and_persian_with_the_same_values() -> None:
    for key, both in TEXTS.items():
        assert set(both) == {"en", "fa"}, key
        assert both["en"] and both["fa"], key
        # the values a caller fills in are the English text's (and the baseline in words)
        assert placeholders(both["fa"]) <= placeholders(both["en"]) | {"baseline_name"}, key
        if re.search(r"[a-z]{4}", re.sub(r"\{\w+\}", "", both["en"])):  # words, no symbol
            assert re.search(r"[\u0600-\u06ff]", both["fa"]), key


def test_the_library_outcomes_statuses_and_constraints_are_in_the_table() -> None:
    scenarios = [p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml")]
    keys = ([f"scenario {s}" for s in scenarios] + [f"outcome {o}" for o in OUTCOMES]
            + [f"unit {u}" for u in OUTCOMES.values()]
            + [f"constraint {c}" for c in (*diagnosis.ANSWERS, "not poor")]
            + [f"status {s}" for s in plots.STATUS_COLOURS])
    assert [k for k in keys if k not in TEXTS] == []


def test_a_path_in_persian_text_is_laid_out_left_to_right_as_a_whole() -> None:
    # without the isolate a browser draws /tmp/sweeps/grad as tmp/sweeps/grad/ in a Persian line
    sweep = Path("/tmp/sweeps/grad")
    assert "\u2066/tmp/sweeps/grad\u2069" in text("dashboard baseline only", "fa", sweep=sweep)
    assert text("dashboard baseline only", "en", sweep=sweep).startswith("/tmp/sweeps/grad ")


def test_numbers_are_written_in_persian_digits_and_separators() -> None:
    assert numerals("-1,234.5 of 12 (43.1 %)", "fa") == "\u200e−۱٬۲۳۴٫۵ of ۱۲ (۴۳٫۱٪)"
    assert numerals("[+0.3, -4.2] pp", "fa") == "[\u200e+۰٫۳، \u200e−۴٫۲] pp"
    assert numerals("numpy 2.1.0 8f3a21c4 best_1", "fa") == "numpy 2.1.0 8f3a21c4 best_1"
    assert numerals("-1,234.5 of 12", "en") == "-1,234.5 of 12"


def test_dates_are_jalali_in_persian_and_gregorian_in_english() -> None:
    moment = "2026-12-02T21:51:12+00:00"
    assert date_text(moment, "fa") == "1405/09/11 21:51"  # 11 Azar 1405
    assert date_text("2021-03-21T08:00:00", "fa") == "1400/01/01 08:00"  # Nowruz 1400
    assert date_text(moment, "en") == moment


def test_amounts_are_converted_at_the_poverty_line_and_rounded() -> None:
    # 12.8 z x 1,680,000 toman = 21,504,000 toman, to 3 significant digits
    assert TOMAN.amount(12.8) == "21,500,000"
    assert View("en", "rial", 1_680_000.0).amount(12.8) == "215,000,000"  # 10 rial a toman
    assert TOMAN.amount(-0.02, signed=True) == "-33,600"
    assert View().amount(12.8) == "12.80"
    # 1.2 z/person-month = 2,016,000 toman a person a month
    assert level(1.2, "z/person-month", View("en", "toman", 1_680_000.0)) == "2,020,000 toman"
    assert level(1.2, "z/person-month") == "1.20 z"
    assert change(-0.0472, "share", TOMAN) == "-4.7 واحد درصد"
    spending, size = per_1000(TOMAN)
    assert spending == "میلیارد تومان" and size == pytest.approx(1e9 / 1_680_000)


def test_toman_without_a_poverty_line_and_unknown_languages_are_refused(tmp_path) -> None:
    with pytest.raises(ConfigError, match="--poverty-line"):
        view_of("fa", "toman", settings=tmp_path / "none.yaml")
    with pytest.raises(ConfigError, match="languages are en, fa"):
        view_of("de", settings=tmp_path / "none.yaml")
    settings = tmp_path / "presentation.yaml"
    settings.write_text("lang: fa\ncurrency: rial\npoverty_line: 1680000\n")
    assert view_of(settings=settings) == View("fa", "rial", 1_680_000.0)
    assert view_of("en", "z", settings=settings) == View("en", "z")
    with pytest.raises(ConfigError, match="--poverty-line 1680000 converts z into toman or "
                       "rial, but the currency is z; add --currency toman"):
        view_of("en", poverty_line=1_680_000, settings=tmp_path / "none.yaml")
    settings.write_text("poverty_line: -3\n")
    with pytest.raises(ConfigError, match="positive number"):
        view_of(currency="toman", settings=settings)


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("persian")
    for scenario in ("baseline", "graduation"):
        for seed in range(2):
            cfg = load_config([f"scenario={scenario}", f"seed={seed}", "months=24",
                               "population.households=300", "outputs.snapshot_months=[0,12]"])
            run_one(cfg, folder / scenario / f"s{seed}")
    return folder


@pytest.mark.slow
def test_bad_lang_currency_and_a_missing_poverty_line_exit_2(sweep_dir, capsys) -> None:
    assert main(["report", str(sweep_dir), "--lang", "de"]) == 2
    assert "invalid choice: 'de'" in capsys.readouterr().err
    assert main(["report", str(sweep_dir), "--currency", "dollar"]) == 2
    assert main(["report", str(sweep_dir), "--currency", "toman"]) == 2
    assert "--poverty-line" in capsys.readouterr().err
    assert main(["dashboard", str(sweep_dir), "--lang", "de"]) == 2
    assert not (sweep_dir / "report").exists()


def persian_fonts_or_skip() -> None:
    """Skipped without a Persian font, except in CI, where ``.ci/run`` installs one."""
    if not plots.persian_fonts():
        if os.environ.get("CI"):
            pytest.fail("no Persian font: .ci/run installs fonts-noto-core with apt-get")
        pytest.skip("no Persian font: install Debian's fonts-noto-core")


@pytest.fixture(scope="module")
def persian_page(sweep_dir) -> Path:
    english, _ = build(sweep_dir, months=[12, 24])
    html_path, _ = build(sweep_dir, months=[12, 24], view=TOMAN)
    assert html_path.parent.name == "report_fa" and english.parent.name == "report"
    assert english.read_text().startswith("<!doctype html><html lang='en'")  # still English
    return html_path


def shown_text(page: str) -> str:
    """What a reader sees of ``page``: no style, images, identifiers (code) or markup."""
    for hidden in (r"<style>.*?</style>", r"<code>.*?</code>", r"<[^>]*>"):
        page = re.sub(hidden, " ", page, flags=re.S)
    return page


@pytest.mark.slow
def test_the_persian_report_is_right_to_left_in_persian_words_and_digits(persian_page) -> None:
    page = persian_page.read_text()
    assert page.startswith("<!doctype html><html lang='fa' dir='rtl'>")
    assert "Noto Naskh Arabic" in page
    seen = shown_text(page)
    assert LATIN_DIGIT.findall(seen) == []
    assert "۲۴" in seen and "تومان" in seen and "۱۴۰۵/" in seen  # a Jalali year
    english = {v["en"] for k, v in TEXTS.items() if not placeholders(v["en"])} - \
        {v["fa"] for v in TEXTS.values()}
    headings = re.findall(r"<(?:th|h2|h3|b)>(.*?)</", page)
    assert headings and not [h for h in headings if h in english]
    assert "<h2>خلاصه</h2>" in page and "<th>هزینه برای هر مددجو (تومان)</th>" in page


@pytest.mark.slow
def test_a_persian_figure_is_drawn_in_a_persian_font_with_persian_digits() -> None:
    persian_fonts_or_skip()
    rows = pd.DataFrame({"scenario": ["graduation", "training"], "effect": [-0.1, -0.02],
                         "ci_low": [-0.15, -0.05], "ci_high": [-0.05, 0.01]})
    with plots.language("fa"):
        fig = plots.forest(rows, "headcount", 24, lang="fa")
        png, _ = plots.save(fig, ARTIFACTS / "forest_fa", lang="fa")
    ax = fig.axes[0]
    assert ax.get_title() == numerals(text("forest title", "fa"), "fa")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["بستهٔ خروج از فقر", "آموزش مهارت"]
    ticks = ax.xaxis.get_major_formatter().format_ticks(ax.get_xticks())
    assert any("۰" in t for t in ticks) and not any(LATIN_DIGIT.search(t) for t in ticks)
    assert ax.title.get_fontfamily()[0] in plots.PERSIAN_FONTS
    assert png.stat().st_size > 10_000


@pytest.mark.slow
def test_the_persian_report_in_chromium(persian_page) -> None:
    from playwright.sync_api import sync_playwright

    from tests.test_dashboard import chromium

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.goto(persian_page.as_uri())
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        left, right = page.evaluate("(() => {const r = document.createRange(); "
                                    "r.selectNodeContents(document.querySelector('h1')); "
                                    "const box = r.getBoundingClientRect(); "
                                    "return [box.left, box.right];})()")
        assert left > 600 and right > 1100  # the title's words start at the right margin
        page.screenshot(path=ARTIFACTS / "report_fa.png")
        browser.close()
    assert (ARTIFACTS / "report_fa.png").stat().st_size > 10_000


MESA_WORDS = ("Controls", "Model Parameters", "Information", "Reset", "Step", "Play Interval",
              "Render Interval", "Use Threads", "Time:", "Page 0", "Page 1", "Solara")
"""The words of SolaraViz's own controls (and Solara's banner), none of which the Persian
dashboard shows."""


@pytest.fixture(scope="module")
def persian_dashboard(sweep_dir, tmp_path_factory):
    """The address of a dashboard in Persian serving ``sweep_dir``; stopped after the tests."""
    from tests.test_dashboard import served

    with served(sweep_dir, tmp_path_factory.mktemp("dashboard-fa") / "server.log",
                "--lang", "fa") as address:
        yield address


@pytest.mark.slow
def test_the_persian_dashboard_in_chromium(persian_dashboard) -> None:
    from playwright.sync_api import expect, sync_playwright

    from tests.test_dashboard import (
        assert_sliders_span_the_side_bar,
        assert_tiles_fill_the_page,
        assert_who_benefits_fits,
        chromium,
        stored_page_cells,
    )

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(persian_dashboard)
        expect(page.get_by_text("پارامترهای مدل")).to_be_visible(timeout=120_000)
        assert page.evaluate("getComputedStyle(document.querySelector('.v-application'))"
                             ".direction") == "rtl"
        expect(page.get_by_text("بذر تصادفی")).to_be_visible()  # the seed slider
        assert_sliders_span_the_side_bar(page)
        values = page.locator(".v-navigation-drawer .v-slider__thumb-label")
        expect(values.filter(has_text="۲۰۰۰")).to_be_visible()  # households, at all times
        shown = values.all_inner_texts()
        assert len(shown) == 6 and not LATIN_DIGIT.search(" ".join(shown)), shown
        for label in ("کنترل‌ها", "اطلاعات", "مکث میان ماه‌ها (میلی‌ثانیه)"):
            expect(page.get_by_text(label)).to_be_visible()
        for tab in ("مدل زنده", "نتایج ذخیره‌شده"):
            expect(page.get_by_role("tab", name=tab)).to_be_visible()
        page.get_by_role("button", name="از نو").click()
        page.get_by_role("button", name="یک ماه جلو").click()
        page.get_by_role("button", name="یک ماه جلو").click()
        expect(page.get_by_text("ماه: ۲")).to_be_visible(timeout=60_000)
        shown = page.locator("body").inner_text()
        assert not [w for w in MESA_WORDS if w.lower() in shown.lower()], shown
        menus = page.locator(".vega-actions").all_text_contents()  # each chart's ⋯ menu
        assert menus and all(m == "ذخیره به صورت SVGذخیره به صورت PNG" for m in menus), menus
        expect(page.locator(".vega-embed canvas")).to_have_count(5, timeout=60_000)
        page.wait_for_timeout(2000)  # the charts drawn, not their frames
        assert_tiles_fill_the_page(page)
        page.screenshot(path=ARTIFACTS / "dashboard_live_fa.png")
        page.get_by_role("tab", name="نتایج ذخیره‌شده").click()
        expect(page.get_by_text("هر سناریو در برابر")).to_be_visible(timeout=120_000)
        expect(page.locator("img").first).to_be_visible(timeout=60_000)
        page.wait_for_timeout(2000)
        expect(page.locator(".v-select").filter(has_text="وضع موجود").first).to_be_visible()
        cells = stored_page_cells(page, "بازهٔ ۹۵٪", "بستهٔ خروج از فقر")
        assert cells[0] == "بستهٔ خروج از فقر"
        assert "واحد درصد" in cells[2] and not LATIN_DIGIT.search(" ".join(cells)), cells
        page.screenshot(path=ARTIFACTS / "dashboard_stored_fa.png")
        page.set_viewport_size({"width": 1280, "height": 1100})
        page.wait_for_timeout(1000)
        assert assert_who_benefits_fits(page) == 1
        who = page.locator(".who-benefits").inner_text()
        assert "چه کسانی سود می‌برند" in page.locator("h3").all_inner_texts()
        assert "زن‌سرپرست" in who and not LATIN_DIGIT.search(who.replace("k*", "")), who
        browser.close()
    assert (ARTIFACTS / "dashboard_stored_fa.png").stat().st_size > 10_000


@pytest.mark.slow
def test_a_horizon_typed_in_persian_digits_beyond_the_slider_stays(persian_dashboard) -> None:
    from playwright.sync_api import sync_playwright

    from tests.test_dashboard import chromium, typed_horizon_takes_over, visitor

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        page = visitor(browser, persian_dashboard, loaded="پارامترهای مدل")
        typed_horizon_takes_over(page, "fa", ARTIFACTS)
        aligned = page.locator(".v-navigation-drawer").locator(
            ".v-input__slider .v-label, .v-messages").evaluate_all(
            "shown => shown.map(s => getComputedStyle(s).textAlign)")
        assert len(aligned) >= 7 and set(aligned) == {"right"}, aligned  # six sliders' labels,
        # the field's range and any other message: at the right, as the field's number
        browser.close()


def test_the_dashboard_speaks_persian() -> None:
    from experiments.dashboard.live import SLIDERS, model_params
    from experiments.dashboard.stored import ALL, HOUSEHOLD_TYPES, forest, shown_table

    params = model_params("fa")
    assert params["policy"]["label"] == "سناریو"
    assert all(re.search(r"[\u0600-\u06ff]", params[name]["label"]) for name in SLIDERS)
    assert all(f"type {t}" in TEXTS for t in (ALL, *HOUSEHOLD_TYPES))
    at = pd.DataFrame({"scenario": ["graduation"], "effect": [-0.1011], "ci_low": [-0.1444],
                       "ci_high": [-0.0578], "seeds": [2]})
    table = shown_table(at, "headcount", View("fa"))
    assert list(table.iloc[0]) == ["بستهٔ خروج از فقر", "-10.1 واحد درصد",
                                   "[-14.4, -5.8] واحد درصد", 2]
    assert list(table.columns) == ["سیاست", "اثر بر نرخ فقر", "بازهٔ 95 %", "تکرارها"]
    assert {"text": "اعطای دارایی", "value": "asset_grant"} in params["policy"]["values"]
    spec = forest(at, "headcount", 24, {"graduation": "tab:green"}, "fa").to_dict()
    tips = spec["layer"][1]["encoding"]["tooltip"]
    assert [t["title"] for t in tips] == ["سیاست", "اثر بر نرخ فقر", "بازهٔ ۹۵٪", "تکرارها"]
    assert spec["usermeta"]["embedOptions"]["i18n"]["PNG_ACTION"] == "ذخیره به صورت PNG"


def test_a_persian_log_axis_writes_its_ticks_as_plain_numbers() -> None:
    fig, ax = plots.plt.subplots()
    ax.plot([0.1, 20.0], [1.0, 2.0])
    ax.set_xscale("log")
    plots.localise(fig, "fa")
    fig.canvas.draw()
    shown = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    plots.plt.close(fig)
    assert shown and not any("e" in label for label in shown), shown
    assert {"۰٫۱", "۱", "۱۰"} <= set(shown), shown
