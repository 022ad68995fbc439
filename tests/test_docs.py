"""The generated tables of docs/ are current, and ``empowernet docs`` rewrites them."""

from __future__ import annotations

import re
import shutil

import pytest

from experiments.analysis.validation_report import HEADER
from experiments.cli import main
from experiments.config import PROJECT_ROOT
from experiments.tool_commands import GENERATED_SECTIONS
from model.docs import between_markers

DOCS = PROJECT_ROOT / "docs"


@pytest.mark.parametrize("name", list(GENERATED_SECTIONS))
def test_generated_tables_are_current(name) -> None:
    page = (DOCS / name).read_text(encoding="utf-8")
    assert page == GENERATED_SECTIONS[name](page), "run: empowernet docs"


def test_text_is_replaced_between_the_markers_only() -> None:
    page = "intro\n<!-- a -->\nold\n<!-- b -->\noutro\n"
    assert between_markers(page, "<!-- a -->", "<!-- b -->", "new\n") == \
        "intro\n<!-- a -->\nnew\n<!-- b -->\noutro\n"
    with pytest.raises(ValueError, match="marker"):
        between_markers("no markers here", "<!-- a -->", "<!-- b -->", "new\n")


def test_docs_command_rewrites_a_stale_table(tmp_path) -> None:
    for name in (*GENERATED_SECTIONS, "parameters.md"):
        shutil.copy(DOCS / name, tmp_path / name)
    stale = tmp_path / "outputs.md"
    stale.write_text(stale.read_text(encoding="utf-8").replace("| `headcount` |",
                                                               "| `head_count` |"))
    assert main(["docs", "--dir", str(tmp_path)]) == 0
    for name in (*GENERATED_SECTIONS, "parameters.md"):
        assert (tmp_path / name).read_text(encoding="utf-8") == \
            (DOCS / name).read_text(encoding="utf-8"), name


def test_docs_command_refuses_a_folder_without_the_pages(tmp_path, capsys) -> None:
    assert main(["docs", "--dir", str(tmp_path)]) == 2
    assert str(tmp_path) in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


LINK = re.compile(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)")
"""A Markdown link to a file of the project: its relative path, without an anchor."""


@pytest.mark.parametrize("page", [PROJECT_ROOT / "README.md", *sorted(DOCS.glob("*.md"))],
                         ids=lambda p: p.name)
def test_links_to_project_files_resolve(page) -> None:
    missing = [m.group(1) for m in LINK.finditer(page.read_text(encoding="utf-8"))
               if not (page.parent / m.group(1)).exists()]
    assert not missing, f"{page.name} links to missing files: {missing}"


def test_validation_page_keeps_its_generator_fixed_text() -> None:
    pattern = re.escape(HEADER).replace(re.escape("{size_note}"), "(?s:.*?)") \
        .replace(re.escape("{runs}"), "[^)]*")
    assert re.match(pattern, (DOCS / "validation.md").read_text(encoding="utf-8")), \
        "docs/validation.md was edited by hand: change validation_report.HEADER instead"
