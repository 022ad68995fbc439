"""Generated parts of the user documentation (``empowernet docs`` rewrites them).

Each is a table rendered from a declaration and written between two marker lines of its page,
so the hand-written text around it stays as it is.
"""

from __future__ import annotations

from model import results
from model.state import FLOAT_FIELDS, INT_FIELDS

RESULTS_BEGIN = "<!-- the results columns: generated from model.results.COLUMNS -->"
RESULTS_END = "<!-- end of the generated results columns -->"
FIELDS_BEGIN = "<!-- the household fields: generated from model.state -->"
FIELDS_END = "<!-- end of the generated household fields -->"


def between_markers(page: str, begin: str, end: str, text: str) -> str:
    """``page`` with ``text`` (ending in a newline) between the lines ``begin`` and ``end``.

    Raises:
        ValueError: if a marker is missing from the page.
    """
    head, found_begin, rest = page.partition(begin)
    _, found_end, tail = rest.partition(end)
    if not (found_begin and found_end):
        raise ValueError(f"the page lacks the marker lines {begin!r} and {end!r}")
    return f"{head}{begin}\n{text}{end}{tail}"


def fields_table() -> str:
    """The household fields (floats, then integers) as a Markdown table."""
    lines = ["| column | unit | allowed | meaning |", "|---|---|---|---|"]
    for field in FLOAT_FIELDS + INT_FIELDS:
        lines.append(f"| `{field.name}` | {field.unit} | {field.bounds()} | {field.meaning} |")
    return "\n".join(lines) + "\n"


def with_outputs(page: str) -> str:
    """``page`` (``docs/outputs.md``) with the results columns and household fields."""
    page = between_markers(page, RESULTS_BEGIN, RESULTS_END, results.describe())
    return between_markers(page, FIELDS_BEGIN, FIELDS_END, fields_table())
