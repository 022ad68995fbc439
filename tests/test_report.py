"""The report renders every section from stored results; figures come as PNG and SVG."""

from __future__ import annotations

import pytest

from experiments import load_config, run_one
from experiments.analysis.report import SECTIONS, build


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    job = 0
    for scenario in ("baseline", "graduation"):
        for seed in range(2):
            cfg = load_config([f"scenario={scenario}", f"seed={seed}", "months=24",
                               "population.households=400", "outputs.snapshot_months=[0,12]"])
            run_one(cfg, folder / str(job))
            job += 1
    return folder


@pytest.mark.slow
def test_report_renders_every_section_with_embedded_figures(sweep_dir) -> None:
    html_path, md_path = build(sweep_dir, months=[12, 24])
    page = html_path.read_text()
    markdown = md_path.read_text()
    for section in SECTIONS:
        assert f"<h2>{section}</h2>" in page and f"## {section}" in markdown
    figures = sorted((sweep_dir / "report" / "figures").glob("*.png"))
    assert len(figures) == 8
    assert page.count("data:image/png;base64,") == 8 and "src='figures" not in page
    assert all(f.with_suffix(".svg").is_file() for f in figures)
    assert "graduation" in page and "asset_grant: lottery" in page
    assert "code revision" in page and "config hashes" in page
    diagnosis = markdown.split("## Diagnosis")[1].split("## Scenarios")[0]
    assert "lifted_by_wage_job" in diagnosis and "| graduation |" in diagnosis


def test_report_of_an_empty_folder_is_refused(tmp_path) -> None:
    from model import ConfigError

    with pytest.raises(ConfigError, match="no finished run"):
        build(tmp_path)
