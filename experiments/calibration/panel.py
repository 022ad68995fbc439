"""The committee's follow-up panel: one row per household and survey month (docs/calibration.md).

A panel file (CSV, TSV, Excel or Parquet, read like a roster by :mod:`model.roster_files`) is
checked column by column; a file that breaks a rule is refused with a :class:`PanelError`
naming the file, the line (or row) and the column. :func:`simulated_panel` writes a model run in
the same format, so that a moment is computed the same way from data and from a simulation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from model.cells import CellError, parse
from model.params import BASELINE
from model.roster_files import RosterError, read_cells, where
from model.state import LEFT, NOT_CLIENTS, STATUSES
from scenarios import library

NO_PROGRAMME = "none"
"""The ``programme`` of a comparison household."""
EMPLOYMENT = ("none", "casual", "enterprise", "wage_job")
"""A household's main occupation in the survey month."""
PANEL_STATUSES = tuple(s for s in STATUSES if s not in NOT_CLIENTS)
"""Statuses a surveyed household can have; a household that left has no further rows."""
EMPLOYMENT_OF_OCCUPATION = {"none": "none", "casual": "casual", "enterprise_low": "enterprise",
                            "enterprise_high": "enterprise", "wage_job": "wage_job"}
"""The model's occupations as the survey records them (one enterprise, whatever its
technology)."""


class PanelError(RosterError):
    """A panel that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class PanelColumn:
    """One panel column and its rule: a number in [lo, hi], or one of ``choices``."""

    name: str
    kind: str  # "id", "int", "float", "choice"
    lo: float | None
    hi: float | None
    unit: str
    meaning: str


def programme_choices() -> tuple[str, ...]:
    """Allowed ``programme`` values: ``none`` or a scenario of the library."""
    return (NO_PROGRAMME, *(name for name in library.names() if name != BASELINE))


PANEL_COLUMNS = (
    PanelColumn("household_id", "id", None, None, "-", "identifier of the household"),
    PanelColumn("month", "int", 0, 1200, "months",
                "months since the baseline survey (0: before any programme)"),
    PanelColumn("persons", "int", 1, 100, "persons", "household members in the month"),
    PanelColumn("consumption_z", "float", 0, 1e6, "z/month", "household consumption in the "
                "month"),
    PanelColumn("income_z", "float", -1e6, 1e6, "z/month", "earned income in the month "
                "(enterprise, casual work and wages; transfers excluded)"),
    PanelColumn("assets_z", "float", 0, 1e6, "z", "productive assets"),
    PanelColumn("employment", "choice", None, None, "-", "main occupation: "
                + ", ".join(EMPLOYMENT)),
    PanelColumn("status", "choice", None, None, "-", "status with the committee: "
                + ", ".join(PANEL_STATUSES)),
    PanelColumn("programme", "choice", None, None, "-", "the programme the household was "
                "offered (a scenario of the library, the same in all its rows), or none for "
                "the comparison group"),
)


def choices_of(column: PanelColumn) -> tuple[str, ...]:
    """The allowed values of a ``choice`` column."""
    return {"employment": EMPLOYMENT, "status": PANEL_STATUSES}.get(column.name) \
        or programme_choices()


def _parse(path: Path, cells: pd.DataFrame, column: PanelColumn) -> np.ndarray:
    """One column's values, checked (:func:`model.cells.parse`).

    Raises:
        PanelError: at the first cell that breaks the column's rule.
    """
    choices = choices_of(column) if column.kind == "choice" else ()
    try:
        return parse(cells[column.name], column, "every row needs it", choices)
    except CellError as bad:
        raise PanelError(bad.message("panel", path, column.name)) from None


def read(path: str | Path) -> pd.DataFrame:
    """Read and check a panel file; one row per household and month, columns as
    ``PANEL_COLUMNS`` (``month`` an int).

    Raises:
        PanelError: the file breaks a rule of the panel format (the message says where).
    """
    path = Path(path)
    cells = read_cells(path, kind="panel")
    if len(cells) == 0:
        raise PanelError(f"panel {path}: there is a header but no rows.")
    names = [c.name for c in PANEL_COLUMNS]
    missing = [n for n in names if n not in cells.columns]
    if missing:
        raise PanelError(f"panel {path}: column(s) {', '.join(missing)} missing; the file has "
                         f"{', '.join(map(str, cells.columns))}. A panel needs "
                         f"{', '.join(names)} (docs/calibration.md).")
    frame = pd.DataFrame({c.name: _parse(path, cells, c) for c in PANEL_COLUMNS})
    frame["month"] = frame["month"].astype(int)
    _check_rows(path, frame)
    return frame


def _check_rows(path: Path, frame: pd.DataFrame) -> None:
    """Rules across rows: one row per household and month, a baseline row for every household,
    one programme per household."""
    ids, months, programmes = frame["household_id"], frame["month"], frame["programme"]
    _refuse_first(path, ids, frame.duplicated(["household_id", "month"]).to_numpy(),
                  "columns 'household_id', 'month'",
                  lambda pos: f"already has a row for month {months.iloc[pos]}; give one row "
                              "per household and month.")
    _refuse_first(path, ids, ~ids.isin(set(ids[months == 0])).to_numpy(), "column 'month'",
                  lambda _: "has no month-0 (baseline) row; every household needs one, since "
                            "changes are measured from it.")
    first = frame.groupby("household_id")["programme"].transform("first")
    _refuse_first(path, ids, (programmes != first).to_numpy(), "column 'programme'",
                  lambda pos: f"has {programmes.iloc[pos]!r} here and {first.iloc[pos]!r} in an "
                              "earlier row; a household's programme is the one it was offered, "
                              "the same in all its rows.")


def _refuse_first(path: Path, ids: pd.Series, broken: np.ndarray, columns: str,
                  problem: Callable[[int], str]) -> None:
    """Raise PanelError at the first row that ``broken`` flags, naming its place, the
    ``columns`` whose rule it breaks, its household (of ``ids``) and the ``problem`` at that
    row's position."""
    if broken.any():
        pos = int(np.argmax(broken))
        raise PanelError(f"panel {path}, {where(path, pos)}, {columns}: household "
                         f"{ids.iloc[pos]!r} {problem(pos)}")


def offered(snapshots: dict[int, pd.DataFrame]) -> np.ndarray:
    """Rows of the households a run enrolled in any programme by its last month."""
    return np.flatnonzero(snapshots[max(snapshots)]["enrolled_ever"].to_numpy() > 0)


def id_span(snapshots: dict[int, pd.DataFrame]) -> int:
    """How many household ids a run's panel may use (its rows, entrants included), so that
    panels of several runs pooled with ``first_id`` offsets of this size keep distinct ids."""
    return 1 + max(int(frame["row"].max()) for frame in snapshots.values())


def simulated_panel(snapshots: dict[int, pd.DataFrame], rows: np.ndarray, programme: str,
                    first_id: int = 0) -> pd.DataFrame:
    """Households ``rows`` of a run in the panel format, in the months of its snapshots.

    Args:
        snapshots: household frames by month (``EmpowermentModel.snapshots``).
        rows: the households to write (rows of the state); a household is written in the
            months it was a client (neither left nor still to enter).
        programme: their ``programme`` value.
        first_id: added to the row to make the ``household_id`` (distinct ids when panels of
            several runs are pooled).
    """
    parts = []
    for month, frame in sorted(snapshots.items()):
        # column by column: taking whole rows of a frame copies its ~80 columns
        here = rows[frame["status"].cat.codes.to_numpy()[rows] < LEFT]  # not left nor pending
        parts.append({
            "household_id": frame["row"].to_numpy()[here] + first_id,
            "month": np.full(here.size, month), "persons": frame["size"].to_numpy()[here],
            "consumption_z": frame["consumption"].to_numpy()[here],
            "income_z": frame["income"].to_numpy()[here],
            "assets_z": frame["assets"].to_numpy()[here],
            "employment": labels_at(frame["occupation"], here, EMPLOYMENT_OF_OCCUPATION),
            "status": labels_at(frame["status"], here)})
    panel = pd.DataFrame({name: np.concatenate([part[name] for part in parts])
                          for name in parts[0]})
    panel["programme"] = programme
    return panel


def labels_at(column: pd.Series, rows: np.ndarray,
              relabel: Mapping[str, str] | None = None) -> np.ndarray:
    """The labels of the categorical ``column`` at ``rows`` (object; None where a value is
    missing), renamed by ``relabel``: decoded once per category, not once per value."""
    names = column.cat.categories.to_numpy(dtype=object)
    if relabel is not None:
        names = np.array([relabel[name] for name in names], dtype=object)
    return np.append(names, None)[column.cat.codes.to_numpy()[rows]]  # code -1: the None
