"""Excel workbooks of the analysis tables (``--xlsx PATH``): one sheet per table, each column's
unit in its header, for the people who take the numbers into their own spreadsheets.

The values are those of the CSV and Parquet tables, unrounded. In the comparison, the unit of
a row's values is that row's ``unit`` (an outcome's unit: share, z/person-month...), and the
headers of those columns say so.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from experiments import store

IN_ROW_UNIT = "in the row's unit"
BENEFIT_PER_COST = "z of benefit per z spent"
COLUMN_UNITS = {
    # comparison
    "month": "months from the start", "baseline": IN_ROW_UNIT,
    "scenario_value": IN_ROW_UNIT, "effect": IN_ROW_UNIT, "ci_low": IN_ROW_UNIT,
    "ci_high": IN_ROW_UNIT, "seeds": "count", "draws": "count",
    "parameter_share": "share of the effect's variance",
    "participants_share": "share of the active client households",
    # costs
    "spending": "z", "lent": "z", "lent_returned": "z",
    "cost_per_household": "z per client household",
    "extra_sustained_graduations": "households",
    "cost_per_sustained_graduation": "z per extra sustained graduation",
    "benefit_cost_ratio": BENEFIT_PER_COST, "bcr_ci_low": BENEFIT_PER_COST,
    "bcr_ci_high": BENEFIT_PER_COST, "benefit_cost_ratio_with_tail": BENEFIT_PER_COST,
    "bcr_tail_ci_low": BENEFIT_PER_COST, "bcr_tail_ci_high": BENEFIT_PER_COST,
    "discount_rate": "per year", "p_best": "probability",
    "p_best_budget": "z per client household",
    # poverty profile (diagnose, advise)
    "households": "households", "share": "share of the client households",
    "headcount": "share below the line", "poverty_gap": "mean shortfall, share of z",
    "poverty_severity": "mean squared shortfall, share of z squared",
    # per-family diagnosis (diagnose, advise)
    "size": "persons", "adults": "persons", "children": "persons", "elderly": "persons",
    "female_head": "1 if a woman heads it", "assets_z": "z",
    "consumption_pc_z": "z/person-month", "shortfall": "share of z",
    "poor": "true if below the line",
}
"""The unit of each numeric column of the comparison, costs, profile and diagnosis tables."""
PREFIX_UNITS = {
    "participants_": IN_ROW_UNIT, "non_participants_": IN_ROW_UNIT,
    "consumption_gain_": "z/person-month", "poverty_gap_reduction_": "share of z",
    "sustained_exit_gain_": "probability", "cost_": "z",
    "lifted_by_": "true if this lever alone lifts the family",
}
"""The unit of the comparison's effects on participants and on the others
(``participants_effect``, ``non_participants_ci_low``...), of the advice's columns, one per
package (``cost_graduation``...) or for the allocated one (``cost_allocated``), and of the
diagnosis's, one per lever (``lifted_by_wage_job``...); the allocation table has a ``unit``
column."""


def unit_of(column: str) -> str:
    """The unit of a table's column ('' for a column of names or labels)."""
    if column in COLUMN_UNITS:
        return COLUMN_UNITS[column]
    return next((unit for prefix, unit in PREFIX_UNITS.items()
                 if column.startswith(prefix)), "")


def header(column: str) -> str:
    """A column's header in the workbook: its name, and its unit in parentheses."""
    unit = unit_of(column)
    return f"{column} ({unit})" if unit else column


CREATOR = "empowernet"
"""The author a workbook written here records, by which it is known to be replaceable."""


def write_workbook(tables: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write ``tables`` (sheet name: table) as one ``.xlsx`` workbook, atomically."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        writer.book.properties.creator = CREATOR
        for name, table in tables.items():
            labelled = table.rename(columns=header)
            labelled.to_excel(writer, sheet_name=name, index=False, freeze_panes=(1, 0))
            sheet = writer.sheets[name]
            for k, column in enumerate(labelled.columns, start=1):
                sheet.column_dimensions[get_column_letter(k)].width = max(10, len(column) + 2)
    store.write_bytes(buffer.getvalue(), Path(path))
    return Path(path)


def written_here(path: Path) -> bool:
    """Whether the file ``path`` is a workbook :func:`write_workbook` wrote (anything else,
    a roster or a spreadsheet of the user's, is not to be written over)."""
    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # not a workbook at all: not one written here
        return False
    try:
        return book.properties.creator == CREATOR
    finally:
        book.close()


def sweep_tables(sweep_dir: str | Path) -> dict[str, pd.DataFrame]:
    """The tables ``compare`` and ``report`` write in a sweep's folder, by sheet name."""
    return {stem: pd.read_parquet(Path(sweep_dir) / f"{stem}.parquet")
            for stem in ("comparison", "costs")}
