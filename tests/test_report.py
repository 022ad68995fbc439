"""The report leads with the answer (ranking, forest plot, labelled group effects on its first
screen), lists each scenario's differences from the baseline, and renders every section from
stored results; figures come as PNG and SVG."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from experiments import load_config, run_one
from experiments.analysis.report import SECTIONS, build, check_snapshots, scenario_definitions


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    job = 0
    for scenario in ("baseline", "graduation", "training"):
        for seed in range(2):
            cfg = load_config([f"scenario={scenario}", f"seed={seed}", "months=24",
                               "population.households=300", "outputs.snapshot_months=[0,12]"])
            run_one(cfg, folder / str(job))
            job += 1
    return folder


@pytest.fixture(scope="module")
def page(sweep_dir) -> str:
    html_path, _ = build(sweep_dir, months=[12, 24])
    return html_path.read_text()


def section(page: str, anchor: str) -> str:
    """The HTML of the section with id ``anchor``."""
    found = re.search(rf"<section id='{anchor}'>(.*?)</section>", page, re.S)
    assert found, f"no section {anchor}"
    return found.group(1)


@pytest.mark.slow
def test_the_first_screen_ranks_the_policies_with_a_forest_plot_and_labelled_groups(
        page) -> None:
    title, lead = re.search(r"<h1>(.*?)</h1><p class='answer'><b>(.*?)</b></p>", page).groups()
    assert title == "2 policies against business as usual"
    assert lead.startswith("Only 2 replications: too few to act on this ranking; run at "
                           "least 10 seeds. Answer: ") and "at month 24" in lead
    first = page.split("<section", 2)[1]
    assert first.startswith(" id='summary'")
    ranking = re.search(r"<table.*?</table>", first, re.S).group(0)
    for header in ("rank", "95 % interval", "households served", "served, still active",
                   "cost per client (z)", "cost per participant (z)", "benefit-cost",
                   "out of poverty per 1,000 z"):
        assert f"<th>{header}</th>" in ranking
    assert ranking.count("<tr") == 3  # the header and the two policies, not the baseline
    forest = re.search(r"<figure><img alt='([^']*)'", first)
    assert forest and "the poverty headcount most at month 24" in forest.group(1)
    assert "data:image/png;base64," in first
    for header in ("all clients", "participants", "non-participants"):
        assert f"<th>{header}</th>" in first
    assert "At an equal budget" in first and "(the median policy" in first
    sentences = re.findall(r"<li>(.*?)</li>", first)
    assert len(sentences) == 2
    assert all("the poverty headcount at month 24" in s and "z per participant" in s
               for s in sentences)


@pytest.mark.slow
def test_report_renders_every_section_with_embedded_figures(sweep_dir, page) -> None:
    markdown = (sweep_dir / "report" / "report.md").read_text()
    for title in SECTIONS:
        anchor = title.lower().replace(" ", "-")
        assert f"<h2>{title}</h2>" in section(page, anchor)
        assert f"## {title}" in markdown and f"href='#{anchor}'" in page
    figures = sorted((sweep_dir / "report" / "figures").glob("*.png"))
    assert len(figures) == 9
    assert page.count("data:image/png;base64,") == 9 and "src='figures" not in page
    assert all(f.with_suffix(".svg").is_file() for f in figures)
    assert "<title>2 policies against business as usual</title>" in page
    who = section(page, "who-benefits")
    assert "female-headed" in who and "<th>dimension</th>" in who
    assert "<th>scenario</th>" not in who and "<th>baseline</th>" not in who
    assert "code revision" in page and "config hashes" in page
    diagnosis = markdown.split("## Diagnosis")[1].split("## Scenarios")[0]
    assert "lifted by wage job" in diagnosis and "| graduation |" in diagnosis


@pytest.mark.slow
def test_the_diagnosis_ends_with_the_starting_poverty_profile(sweep_dir, page) -> None:
    diagnosis = section(page, "diagnosis")
    assert "<h3>Poverty profile at the start</h3>" in diagnosis
    profile = re.findall(r"<table.*?</table>", diagnosis, re.S)[-1]
    start = pd.read_parquet(sweep_dir / "0" / "results.parquet").iloc[0]  # baseline, seed 0
    first = re.search(r"<td>all client households</td>\s*<td>([\d,]+)</td>\s*<td>[^<]*</td>"
                      r"\s*<td>([^<]*)</td>", profile)
    assert first.group(1) == f"{start['households_active']:,.0f}"
    assert first.group(2) == f"{100 * start['headcount']:.1f} %"
    assert "<td>female-headed</td>" in profile


@pytest.mark.slow
def test_the_scenario_section_lists_only_differences_from_the_baseline(page) -> None:
    scenarios = section(page, "scenarios")
    assert "programmes.training: coverage 1 → 0.5, enabled" in scenarios
    assert "professors" not in scenarios and "microcredit" not in scenarios


def test_a_scenario_is_described_by_its_differences_from_the_baseline() -> None:
    base = {"label": "baseline", "programmes": {"training": {"enabled": False, "dose": 1.0,
                                                             "coverage": 1.0}},
            "institutions": {"professors": 0.0}}
    policy = {"label": "training", "programmes": {"training": {"enabled": True, "dose": 1.0,
                                                               "coverage": 0.5}},
              "institutions": {"professors": 0.0}}
    same = {**base, "label": "copy"}
    runs = [(Path(), {"label": c["label"]}, c) for c in (base, policy, same)]
    assert scenario_definitions(runs, "baseline") == {
        "copy": ["the baseline's settings"],
        "training": ["programmes.training: coverage 1 → 0.5, enabled"]}


def test_report_of_an_empty_folder_is_refused(tmp_path) -> None:
    from model import ConfigError

    with pytest.raises(ConfigError, match="no finished run"):
        build(tmp_path)


def test_the_ranked_month_must_be_one_every_run_kept_its_households_of() -> None:
    from model import ConfigError

    def run(kept: list[int], months: int) -> tuple:
        return Path("r"), {}, {"months": months, "outputs": {"snapshot_months": kept}}

    runs = [run([0, 12], 24), run([0, 12, 18], 24)]
    check_snapshots(runs, 12)  # kept by both
    check_snapshots(runs, 24)  # the final month, always kept
    with pytest.raises(ConfigError, match=re.escape("keep them only at months 0, 12, 24;")):
        check_snapshots(runs, 18)  # kept by one run only


@pytest.mark.slow  # on a sweep
def test_a_month_without_household_snapshots_is_refused_before_anything_is_written(
        sweep_dir, page) -> None:
    from model import ConfigError

    written = {p: p.stat().st_mtime_ns for p in sweep_dir.glob("*.csv")}
    with pytest.raises(ConfigError, match=re.escape("keep them only at months 0, 12, 24; give "
                                                    "--months ending at one of those")):
        build(sweep_dir, months=[12, 18])
    assert {p: p.stat().st_mtime_ns for p in sweep_dir.glob("*.csv")} == written


def test_a_table_cell_breaks_only_before_its_interval() -> None:
    from experiments.analysis.document import cell_html

    assert cell_html("-0.3 [-0.5, -0.1] pp", "en") == (
        "<span class='parts'><span class='whole'>-0.3</span> "
        "<span class='whole'>[-0.5, -0.1] pp</span></span>")
    assert cell_html("a <b>", "en") == "a &lt;b&gt;"  # a cell without an interval: as it is


def test_the_asset_map_caption_names_its_points() -> None:
    from experiments.analysis.asset_map import FixedPoint
    from experiments.analysis.report import asset_map_caption

    points = [FixedPoint(0.5, False, 0.0, 1.0), FixedPoint(14.1, True, 10.0, 16.0),
              FixedPoint(20.1, False, 19.0, 21.0)]
    caption = asset_map_caption(points, "en")
    assert caption.endswith("the stable points are at 14.1 z and the unstable ones at "
                            "0.5 z and 20.1 z.")
    assert "unstable ones at none" in asset_map_caption(points[1:2], "en")


@pytest.mark.slow
def test_a_sweep_run_without_diagnosis_gets_a_report_that_says_so(tmp_path) -> None:
    for job, scenario in enumerate(("baseline", "graduation")):
        run_one(load_config([f"scenario={scenario}", "months=12", "population.households=200",
                             "diagnosis.horizon_months=0", "outputs.snapshot_months=[0]"]),
                tmp_path / str(job))
    page = build(tmp_path)[0].read_text()
    assert "The runs were not diagnosed (diagnosis.horizon_months=0)" in section(page,
                                                                                 "diagnosis")
    assert "binding constraints" not in section(page, "figures").lower()


def test_the_consumption_caption_states_the_medians() -> None:
    from experiments.analysis.report import consumption_caption

    rows = [  # consumption per person: at month 0, 1 and 3; at month 12, 2 and 4 with the
        # policy, 1.5 in the baseline; a household that left is in no median
        ("baseline", 0, "supported", 2.0), ("baseline", 0, "supported", 6.0),
        ("policy", 0, "supported", 2.0), ("policy", 0, "supported", 6.0),
        ("baseline", 12, "supported", 3.0), ("baseline", 12, "left", 50.0),
        ("policy", 12, "supported", 4.0), ("policy", 12, "graduated", 8.0)]
    households = pd.DataFrame(rows, columns=["scenario", "month", "status", "consumption"])
    caption = consumption_caption(households.assign(size=2, seed=0), "baseline", "policy",
                                  "en")
    assert caption.endswith("its median among the households still active went from "
                            "2.00 z at month 0 to 1.50 z at month 12 in the baseline, and to "
                            "3.00 z with policy.")


def test_the_outcome_over_time_captions_state_the_medians_over_seeds() -> None:
    from experiments.analysis.report import over_time_finding

    rows = [  # scenario, seed, month, headcount, consumption per person
        ("baseline", 0, 0, 0.40, 1.0), ("baseline", 1, 0, 0.50, 2.0),
        ("baseline", 2, 0, 0.90, 9.0), ("baseline", 0, 24, 0.30, 1.5),
        ("baseline", 1, 24, 0.20, 2.5), ("baseline", 2, 24, 0.10, 3.0),
        ("policy", 0, 24, 0.05, 4.0), ("policy", 1, 24, 0.15, 6.0),
        ("policy", 2, 24, 0.12, 5.0)]
    table = pd.DataFrame(rows, columns=["scenario", "seed", "month", "headcount",
                                        "consumption_pc_mean"])
    assert over_time_finding(table, "headcount", "baseline", "policy", "en") == (
        "Medians over seeds: 50.0 % at month 0 and 20.0 % at month 24 in the baseline; "
        "12.0 % at month 24 with policy.")
    assert over_time_finding(table, "consumption_pc_mean", "baseline", "policy", "en") == (
        "Medians over seeds: 2.00 z at month 0 and 2.50 z at month 24 in the baseline; "
        "5.00 z at month 24 with policy.")
    shorter = table[~((table["scenario"] == "policy") & (table["month"] == 24))]
    assert over_time_finding(pd.concat([shorter, table.assign(month=12)]), "headcount",
                             "baseline", "policy", "en").endswith("at month 12 with policy.")
    assert "۵٫۰۰" not in over_time_finding(table, "consumption_pc_mean", "baseline",
                                           "policy", "fa")  # numerals are the page's work
