"""The dashboard in a real headless browser: Playwright drives the system's Chromium (Debian's
``chromium`` package; ``.ci/run`` installs it) against ``empowernet dashboard`` started on a
free local port. Screenshots are kept in ``artifacts/dashboard/`` (ignored by git)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from experiments import load_config, run_one
from experiments.dashboard.serve import check_address, offline_assets, stored_sweeps
from experiments.sweep import write_index
from model.params import ConfigError, setting_field

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "dashboard"
POLICIES = ("graduation", "cash_transfer", "asset_grant", "training")
"""More policies than one Who benefits table holds, so that the stored page splits it."""
STARTUP_SECONDS = 240  # the page builds a model on import: numba compiles on a cold cache


def chromium() -> str:
    """The system's Chromium; skipped without it, except in CI, where it must be there."""
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it with apt-get")
        pytest.skip("no chromium: install Debian's chromium package to run the browser test")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the dashboard ended with status {server.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    pytest.fail(f"the dashboard did not listen on port {port} within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dashboard")
    for scenario in ("baseline", *POLICIES):
        for seed in range(2):
            cfg = load_config([f"scenario={scenario}", f"seed={seed}", "months=24",
                               "population.households=300", "outputs.snapshot_months=[0,12]"])
            run_one(cfg, folder / scenario / f"s{seed}")
    return folder


@pytest.fixture(scope="module")
def dashboard(sweep_dir, tmp_path_factory):
    """The address of a dashboard serving ``sweep_dir``; stopped after the tests."""
    log = tmp_path_factory.mktemp("dashboard-log") / "server.log"
    with served(sweep_dir, log) as address:
        assert f"dashboard at {address}" in log.read_text()
        yield address


@contextmanager
def served(sweep_dir: Path, log: Path, *options: str,
           more: Sequence[Path] = ()) -> Iterator[str]:
    """The address of ``empowernet dashboard SWEEP_DIR [MORE...] *options`` on a free port,
    its output in ``log``; stopped on exit."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "experiments.cli", "dashboard",
                                   str(sweep_dir), *map(str, more), "--port", str(port),
                                   *options],
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


def stored_page_cells(page, interval_header: str, policy: str) -> list[str]:
    """The row of ``policy`` in the stored-results page's effects table, after checking that
    the page uses the width it has: the report's figures at least 600 px wide at a 1400 px
    viewport, the table headed in words (``interval_header``, not ``ci_low``)."""
    for figure in page.locator("img.solara-image").all():
        assert figure.bounding_box()["width"] >= 600
    table = page.locator(".effects-table").first
    headers = table.locator("th").all_inner_texts()
    assert interval_header in headers and "ci_low" not in headers, headers
    return table.locator("tbody tr").filter(has_text=policy).first.locator("td") \
        .all_inner_texts()


def assert_tiles_fill_the_page(page) -> None:
    """The live page's charts two to a row, each about half the width the page gives them
    (an odd last one across the row), their rows as wide as that width, each chart about as
    wide as its tile (boxes read at once: a step redraws the charts)."""
    width = page.locator(".page-tiles").bounding_box()["width"]
    side_bar = page.locator(".v-navigation-drawer").first.bounding_box()["width"]
    assert width >= page.viewport_size["width"] - side_bar - 48  # all but margins
    tiles = page.locator(".page-tiles > *").evaluate_all(
        "tiles => tiles.map(t => {const b = t.getBoundingClientRect(); "
        "const c = t.querySelector('canvas'); "
        "return {y: b.y, width: b.width, chart: c ? c.getBoundingClientRect().width : 0};})")
    rows: dict[float, list[dict]] = {}
    for tile in tiles:
        rows.setdefault(round(tile["y"]), []).append(tile)
        assert tile["chart"] >= 0.8 * tile["width"], tile
    for row in rows.values():
        assert len(row) <= 2 and min(t["width"] for t in row) >= 0.45 * width, row
        assert sum(t["width"] for t in row) >= 0.95 * width, row


def assert_who_benefits_fits(page) -> int:
    """No table of the stored page scrolls sideways; returns the Who benefits tables."""
    for table in page.locator(".effects-table").all():
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth"), table.inner_text()
    return page.locator(".who-benefits").count()


def assert_sliders_span_the_side_bar(page) -> None:
    """Every slider of the side bar at least 80 % as wide as its card: under its label, not
    squeezed beside it."""
    sliders = page.locator(".v-navigation-drawer .v-card").evaluate_all(
        "cards => cards.flatMap(c => [...c.querySelectorAll('.v-slider')].map(s => "
        "[s.getBoundingClientRect().width, c.getBoundingClientRect().width]))")
    assert len(sliders) == 6, sliders  # the play interval and five model parameters
    assert all(slider >= 0.8 * card for slider, card in sliders), sliders


def visitor(browser, address: str, loaded: str = "Model Parameters"):
    """The page of a new visitor (a browser context of its own) at ``address``, loaded (it
    shows the text ``loaded``)."""
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
    page.goto(address)
    expect(page.get_by_text(loaded)).to_be_visible(timeout=120_000)
    return page


def month(page, shown: int, months: int = 120):
    """The Information card of ``page`` showing month ``shown`` of a horizon of ``months``."""
    return page.get_by_text(f"Month: {shown} of {months}", exact=True)


def step(page, months: Sequence[int]) -> None:
    """Press Step on ``page`` once for each of ``months``, waiting for each to be shown."""
    from playwright.sync_api import expect

    for shown in months:
        page.get_by_role("button", name="Step").click()
        expect(month(page, shown)).to_be_visible(timeout=60_000)


@pytest.mark.slow
def test_each_visitor_steps_a_live_model_of_their_own(sweep_dir, tmp_path) -> None:
    """Two visitors of one server each start at month 0 with the side bar's values and never
    see the other's steps; both playing at once, and one leaving mid-play, leave no traceback
    in the server's output."""
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = tmp_path / "server.log"
    with served(sweep_dir, log) as address, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        first = visitor(browser, address)
        step(first, [1, 2, 3])
        second = visitor(browser, address)
        expect(month(second, 0)).to_be_visible()
        values = second.locator(".v-navigation-drawer .v-slider__thumb-label")
        expect(values.filter(has_text="2000")).to_be_visible()  # what its model was built with
        step(second, [1])
        second.wait_for_timeout(2000)  # time for a step to reach the other page, if it did
        expect(month(first, 3)).to_be_visible()
        first.screenshot(path=ARTIFACTS / "first_visitor.png")
        second.screenshot(path=ARTIFACTS / "second_visitor.png")
        first.reload()
        expect(month(first, 0)).to_be_visible(timeout=120_000)  # a new visitor again
        for page in (first, second):
            page.get_by_role("button", name="▶").click()
        second.wait_for_timeout(3000)
        first.context.close()  # mid-play
        second.wait_for_timeout(2000)
        browser.close()
    assert "Traceback" not in log.read_text(), log.read_text()


PAGE_WORDS = {
    "en": {"Reset": "Reset", "Step": "Step", "horizon": "months (months)",
           "month": "Month: {month} of {months}", "range": "a whole number from {low} to {high}"},
    "fa": {"Reset": "از نو", "Step": "یک ماه جلو", "horizon": "شمار ماه‌ها",
           "month": "ماه: {month} از {months}", "range": "عددی صحیح از {low} تا {high}"},
}
"""The words of the live page that the horizon's test reads, in each language."""


def typed_horizon_takes_over(page, lang: str, shots: Path) -> None:
    """On a loaded live page in ``lang``: a horizon typed beyond the end of the horizon's
    slider stays the value (in the field and above the handle, the handle at the slider's
    end) and is the horizon of the model Reset builds; a value the model refuses is refused,
    naming the range; moving the slider afterwards sets the value from the slider again,
    in the field too. Screenshots of the side bar are kept in ``shots``."""
    from playwright.sync_api import expect

    from experiments.analysis.labels import numerals
    from experiments.dashboard.live import SLIDERS

    def digits(number: int) -> str:
        return numerals(str(number), lang)

    words = PAGE_WORDS[lang]
    _key, _low, end, step = SLIDERS["months"]
    shortest, longest = (setting_field("months").metadata[limit] for limit in ("lo", "hi"))
    beyond = 1000
    horizon = page.locator(".v-navigation-drawer .v-input__slider").filter(
        has_text=words["horizon"])
    handle, value = horizon.get_by_role("slider"), horizon.locator(".v-slider__thumb-label")
    field = page.locator(".v-navigation-drawer .v-text-field:not(.v-select) input")
    side_bar = page.locator(".v-navigation-drawer").first

    def built_with(months: int) -> None:
        page.get_by_role("button", name=words["Reset"]).click()
        page.get_by_role("button", name=words["Step"]).click()
        expect(page.get_by_text(words["month"].format(month=digits(1), months=digits(months)),
                                exact=True)).to_be_visible(timeout=60_000)

    field.fill(digits(beyond))
    expect(value).to_have_text(digits(beyond))
    page.wait_for_timeout(1000)  # time for the slider to replace the value, if it did
    expect(field).to_have_value(digits(beyond))
    expect(value).to_have_text(digits(beyond))
    assert end < beyond < longest
    expect(handle).to_have_attribute("aria-valuemax", str(end))
    expect(handle).to_have_attribute("aria-valuenow", str(end))  # at its end, not elsewhere
    built_with(beyond)
    side_bar.screenshot(path=shots / f"typed_horizon_{lang}.png")
    field.fill(digits(longest + 1))
    expect(side_bar.locator(".v-messages.error--text")).to_have_text(
        words["range"].format(low=digits(shortest), high=digits(longest)))
    built_with(beyond)  # the last value taken
    side_bar.screenshot(path=shots / f"refused_horizon_{lang}.png")
    handle.press("ArrowDown")  # one step down, whichever way the page is written
    expect(value).to_have_text(digits(end - step))
    expect(field).to_have_value(digits(end - step))
    built_with(end - step)


@pytest.mark.slow
def test_a_horizon_typed_beyond_the_slider_stays_until_the_slider_moves(dashboard) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        typed_horizon_takes_over(visitor(browser, dashboard), "en", ARTIFACTS)
        browser.close()


@pytest.mark.slow
def test_dashboard_live_and_stored_pages_in_a_browser(dashboard) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(dashboard)
        expect(page.get_by_text("Model Parameters")).to_be_visible(timeout=120_000)
        assert_sliders_span_the_side_bar(page)
        values = page.locator(".v-navigation-drawer .v-slider__thumb-label")
        expect(values.filter(has_text="2000")).to_be_visible()  # households, at all times
        page.locator(".v-select").filter(has_text="scenario").click()
        expect(page.get_by_role("option", name="asset grant")).to_be_visible()  # in words
        page.get_by_role("option", name="graduation").click()
        page.get_by_role("button", name="Reset").click()
        page.get_by_role("button", name="Step").click()
        page.get_by_role("button", name="Step").click()
        expect(page.get_by_text("Month: 2")).to_be_visible(timeout=60_000)
        charts = page.locator(".vega-embed")
        expect(charts.first).to_be_visible(timeout=60_000)
        assert charts.count() == 5  # households, network, three outcome curves
        expect(page.locator(".vega-embed canvas")).to_have_count(5, timeout=60_000)
        page.wait_for_timeout(2000)  # the charts drawn, not their frames
        assert_tiles_fill_the_page(page)
        page.screenshot(path=ARTIFACTS / "live.png")

        page.get_by_role("tab", name="Stored results").click()
        expect(page.get_by_text("each scenario against")).to_be_visible(timeout=120_000)
        expect(page.locator(".vega-embed").first).to_be_visible(timeout=60_000)
        expect(page.locator("img").first).to_be_visible(timeout=60_000)  # report figures
        page.wait_for_timeout(2000)  # let the page settle: the screenshot shows what stays
        expect(page.get_by_text("each scenario against")).to_be_visible()
        effects = page.locator(".effects-table").first.locator("tbody tr td:nth-child(2)")
        shown = [float(t.removesuffix(" pp")) for t in effects.all_inner_texts()]
        assert shown == sorted(shown), shown  # best first, as the forest plot
        cells = stored_page_cells(page, "95 % interval", "graduation")
        assert cells[0] == "graduation"
        assert re.fullmatch(r"[-+]\d+\.\d pp", cells[1]), cells
        assert re.fullmatch(r"\[[-+]\d+\.\d, [-+]\d+\.\d\] pp", cells[2]), cells
        page.screenshot(path=ARTIFACTS / "stored.png")
        page.set_viewport_size({"width": 1280, "height": 1100})
        page.wait_for_timeout(1000)
        assert assert_who_benefits_fits(page) == 2  # four policies: three, then one
        who = page.locator(".who-benefits th").all_inner_texts()
        assert {"group", "share of clients", "graduation", "training"} <= set(who), who
        page.locator(".who-benefits").first.scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / "who_benefits.png")
        page.locator(".v-select").filter(has_text="outcome").click()
        page.get_by_role("option", name="graduations", exact=True).click()
        expect(page.get_by_text("are not available")).to_be_visible(timeout=60_000)
        assert page.locator(".who-benefits").count() == 0
        page.locator(".v-select").filter(has_text="outcome").click()
        page.get_by_role("option", name="poverty headcount").click()
        expect(page.locator(".who-benefits").first).to_be_visible(timeout=60_000)
        page.locator(".v-select").filter(has_text="household type").click()
        page.get_by_role("option", name="female-headed").click()  # chosen by its id
        expect(page.get_by_text("female-headed: each scenario against baseline")) \
            .to_be_visible(timeout=120_000)
        browser.close()
    for shot in ("live", "stored", "who_benefits"):
        assert (ARTIFACTS / f"{shot}.png").stat().st_size > 10_000


def test_dashboard_refuses_a_folder_without_runs(tmp_path) -> None:
    from experiments.cli import main

    assert main(["dashboard", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow  # on a sweep
def test_stored_sweeps_are_the_indexed_folders_with_runs(sweep_dir, tmp_path) -> None:
    outputs = tmp_path / "outputs"
    (outputs / "empty").mkdir(parents=True)
    (outputs / "empty" / "index.json").write_text("{}")
    shutil.copytree(sweep_dir, outputs / "grad")
    write_index(outputs / "grad")
    assert stored_sweeps(outputs) == [outputs / "grad"]
    assert stored_sweeps(tmp_path / "missing") == []


def test_a_port_another_program_holds_is_refused_before_the_server_starts() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=re.escape(
                f"--host 127.0.0.1 --port {port}: the dashboard cannot listen there (Address "
                "already in use")):
            check_address("127.0.0.1", port)


def test_an_ipv6_address_of_this_computer_is_taken() -> None:
    try:
        with socket.create_server(("::1", 0), family=socket.AF_INET6) as probe:
            port = probe.getsockname()[1]
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    check_address("::1", port)  # the port was free again once the probe closed


def test_offline_assets_add_the_major_versions(tmp_path) -> None:
    source = tmp_path / "cdn"
    (source / "vega@5.21.0").mkdir(parents=True)
    (source / "@widgetti").mkdir()
    aliases = offline_assets(source, tmp_path / "aliases")
    assert sorted(p.name for p in aliases.iterdir()) == ["@widgetti", "vega@5", "vega@5.21.0"]
    assert (aliases / "vega@5").resolve() == source / "vega@5.21.0"


def test_live_model_takes_the_pages_inputs_and_draws_samples() -> None:
    from mesa.visualization.solara_viz import _check_model_params

    from experiments.dashboard.live import (
        OUTCOME_CURVES,
        SAMPLE_HOUSEHOLDS,
        LiveModel,
        household_sample,
        model_params,
        network_sample,
    )

    params = model_params()
    assert {"text": "asset grant", "value": "asset_grant"} in params["policy"]["values"]
    assert params["p_shock"]["label"] == "shocks.p_shock (probability/month)"
    model = LiveModel(policy="graduation", households=1000, months=3, p_shock=0.02)
    _check_model_params(model, params)  # what SolaraViz checks before it rebuilds the model
    assert model.config.shocks.p_shock == 0.02 and model.config.label == "graduation"
    for _ in range(3):
        model.step()
    curves = model.datacollector.get_model_vars_dataframe()
    assert len(curves) == 4 and set(OUTCOME_CURVES) <= set(curves.columns)
    sample = household_sample(model)
    assert len(sample) == SAMPLE_HOUSEHOLDS
    assert "pending" not in set(sample["status"])  # only households that have entered
    assert (model.household_rows == LiveModel(policy="graduation", households=1000,
                                              months=3, p_shock=0.02).household_rows).all()
    nodes, edges = network_sample(model)
    assert len(nodes) == 60 and len(edges) > 0


def test_the_horizon_can_be_typed_over_the_whole_range_the_model_accepts() -> None:
    from experiments.dashboard.frame import typed_value
    from experiments.dashboard.live import model_params

    months = model_params()["months"]
    shortest, longest = (setting_field("months").metadata[end] for end in ("lo", "hi"))
    assert months["typed"] == (shortest, longest) and months["max"] < longest
    assert months["min"] <= months["value"] <= months["max"]
    assert not model_params()["households"].get("typed")
    low, high = months["typed"]
    assert typed_value("37", low, high) == 37 and typed_value(str(longest), low, high) == longest
    assert typed_value("۳۷", low, high) == 37  # the Persian page's digits
    for refused in (str(longest + 1), str(low - 1), "", "abc", "3.5"):
        assert typed_value(refused, low, high) is None


def test_a_sliders_handle_sits_where_vuetify_would_put_it() -> None:
    """Anywhere else, Vuetify moves the handle and sends that place back as the value,
    replacing a typed one (37 came back as 36)."""
    from experiments.dashboard.frame import position

    assert [position(v, 12, 360, 12) for v in (37, 18, 17, 360, 1000, 1)] == \
        [36, 24, 12, 360, 360, 12]  # the nearest step, half a step up; the nearest end
    assert position(0.05, 0.0, 0.2, 0.01) == pytest.approx(0.05)


@pytest.mark.slow  # on a sweep
def test_effects_by_household_type_are_paired_over_that_type(sweep_dir) -> None:
    from experiments.analysis.compare import load, paired
    from experiments.dashboard.stored import baseline_threshold, type_effects

    results = load(sweep_dir)[0]
    pairs = paired(results, "baseline")
    k_star = baseline_threshold(sweep_dir, results, "baseline")
    female = type_effects(sweep_dir, pairs, "female-headed", k_star)
    male = type_effects(sweep_dir, pairs, "male-headed", k_star)
    assert set(female["month"]) == {0, 12, 24} and (female["seeds"] == 2).all()
    at_start = female[female["month"] == 0]
    assert (at_start["effect"] == 0).all()  # the same households before any programme
    later = female["month"] == 24
    assert not np.allclose(female.loc[later, "effect"], male.loc[later, "effect"])


def test_who_benefits_is_split_into_tables_of_three_policies() -> None:
    import pandas as pd

    from experiments.analysis.report_tables import policy_tables

    frame = pd.DataFrame([["head", "female-headed", "53 %", "a", "b", "c", "d"]],
                         columns=["dimension", "group", "share", "p1", "p2", "p3", "p4"])
    tables = policy_tables(frame, 3)
    assert [list(t.columns) for t in tables] == [
        ["dimension", "group", "share", "p1", "p2", "p3"], ["dimension", "group", "share", "p4"]]


@pytest.fixture(scope="module")
def unreadable_sweeps(sweep_dir, tmp_path_factory) -> list[Path]:
    """A sweep whose run has a damaged results table, one of a single policy, one of the
    baseline alone, and one whose latest invocation has two runs that never finished."""
    folder = tmp_path_factory.mktemp("unreadable")
    damaged, single, alone, unfinished = (folder / name for name in
                                          ("damaged", "single", "alone", "unfinished"))
    shutil.copytree(sweep_dir, damaged,  # without the tables the pages collected from it
                    ignore=shutil.ignore_patterns("collected.parquet", "index.json"))
    (damaged / "graduation" / "s1" / "results.parquet").write_bytes(b"not parquet")
    for seed in range(2):
        shutil.copytree(sweep_dir / "graduation" / f"s{seed}", single / "graduation" / f"s{seed}")
        shutil.copytree(sweep_dir / "baseline" / f"s{seed}", alone / "baseline" / f"s{seed}")
    unfinished.mkdir()
    for scenario in ("baseline", "graduation"):
        shutil.copytree(sweep_dir / scenario, unfinished / scenario)
    runs = [f"{scenario}/s{seed}" for scenario in ("baseline", "graduation") for seed in range(3)]
    write_index(unfinished, ["seed=range(3)"], runs)  # seed 2 never ran
    return [damaged, single, alone, unfinished]


@pytest.mark.slow
def test_a_sweep_that_cannot_be_compared_says_why_on_the_page(unreadable_sweeps,
                                                            tmp_path) -> None:
    from playwright.sync_api import expect, sync_playwright

    damaged, single, alone, unfinished = unreadable_sweeps
    with served(damaged, tmp_path / "server.log", more=[single, alone, unfinished]) as address, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(address)
        page.get_by_role("tab", name="Stored results").click(timeout=120_000)
        error = page.locator(".v-alert").filter(has_text="results.parquet cannot be read")
        expect(error).to_be_visible(timeout=120_000)
        assert "Remove that folder" in error.inner_text()
        page.locator(".v-select").filter(has_text="sweep").click()
        page.get_by_role("option", name=str(single)).click()
        expect(page.get_by_text("holds runs of one scenario only (graduation)")) \
            .to_be_visible(timeout=60_000)
        assert "Run a baseline into the same folder" in page.locator(".v-alert").inner_text()
        page.locator(".v-select").filter(has_text="sweep").click()
        page.get_by_role("option", name=str(alone)).click()
        error = page.locator(".v-alert").filter(has_text="holds runs of the baseline only")
        expect(error).to_be_visible(timeout=60_000)
        assert "Run a policy scenario into the same folder" in error.inner_text()
        page.locator(".v-select").filter(has_text="sweep").click()
        page.get_by_role("option", name=str(unfinished)).click()
        expect(page.get_by_text("2 of the 6 runs of its latest invocation have not finished")) \
            .to_be_visible(timeout=120_000)
        expect(page.get_by_text("each scenario against")).to_be_visible(timeout=120_000)
        assert "Traceback" not in page.locator("body").inner_text()
        expect(page.get_by_text("Model Parameters")).to_be_visible()  # the rest still there
        browser.close()
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log and "samesite" not in log.lower(), log


def test_a_sweep_of_one_scenario_asks_for_the_other_side_of_the_comparison() -> None:
    from experiments.dashboard.stored import single_scenario

    policy, baseline = (single_scenario("outputs/x", scenario, "en")
                        for scenario in ("graduation", "baseline"))
    assert "(graduation)" in policy and "Run a baseline into the same folder" in policy
    assert "baseline only" in baseline and "Run a policy scenario into the same" in baseline
    assert "سناریوی سیاستی" in single_scenario("outputs/x", "baseline", "fa")


def test_the_forest_plot_is_in_the_figures_units_and_colours() -> None:
    import pandas as pd
    from matplotlib.colors import to_hex

    from experiments.analysis import plots
    from experiments.dashboard.stored import forest, ranked

    at = pd.DataFrame({"scenario": ["training", "graduation", "cash_transfer"],
                       "effect": [-0.01, -0.036, 0.002], "ci_low": [-0.016, -0.045, -0.004],
                       "ci_high": [-0.003, -0.026, 0.008], "seeds": [3, 3, 3]})
    best = ranked(at, "headcount")
    assert list(best["scenario"]) == ["graduation", "training", "cash_transfer"]
    assert list(ranked(at, "consumption_pc_mean")["scenario"]) == \
        ["cash_transfer", "training", "graduation"]  # higher is better
    colours = plots.palette(["baseline", *at["scenario"]])
    spec = forest(best, "headcount", 36, colours).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [r["effect"] for r in rows] == pytest.approx([-3.6, -1.0, 0.2])  # pp, not shares
    assert [r["ci_low"] for r in rows] == pytest.approx([-4.5, -1.6, -0.4])
    assert "percentage points" in spec["layer"][0]["encoding"]["x"]["axis"]["title"]
    scale = spec["layer"][1]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["graduation", "training", "cash transfer"]
    assert scale["range"] == [to_hex(colours[s]) for s in best["scenario"]]


def test_the_outcome_curves_count_whole_months() -> None:
    from experiments.dashboard.live import month_axis

    axis = month_axis().to_dict()
    assert axis["tickMinStep"] == 1 and axis["format"] == "d"


def test_a_sweep_is_read_with_each_runs_manifest_read_once(tmp_path, monkeypatch) -> None:
    from experiments import store
    from experiments.analysis.compare import caveats
    from experiments.dashboard.stored import read
    from experiments.sweep import current_runs
    from model.params import to_dict

    runs = []
    for scenario in ("baseline", "graduation"):
        config = load_config([f"scenario={scenario}", "population.households=50", "months=6",
                              "population.burn_in_months=12"])
        runs.append(store.run_id(to_dict(config)))
        run_one(config, tmp_path / runs[-1])
    write_index(tmp_path, ["scenario=baseline,graduation", "seed=0,1"],
                [*runs, "graduation/s1-00000000"])  # one run of the invocation never ran
    reads: list[Path] = []
    read_manifest = store.read_manifest

    def counted(folder: Path) -> dict:
        reads.append(folder)
        return read_manifest(folder)

    monkeypatch.setattr(store, "read_manifest", counted)
    for collected in ("written", "read"):  # the sweep's collected table, then reused
        reads.clear()
        results, notes = read(tmp_path, "en")
        assert sorted(reads) == sorted(tmp_path / run for run in runs), collected
        assert set(results["run"]) == set(runs)
        assert notes == caveats(tmp_path, current_runs(tmp_path), "en")
        assert "1 of the 3 runs of its latest invocation have not finished" in notes[0]
