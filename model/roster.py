"""Reading a roster of real households (CSV, Excel or Parquet) into household state.

Files are read by :mod:`model.roster_files`; what their headers mean (Persian headers, a
mapping file, extra columns kept as labels) is :mod:`model.roster_columns`. Numbers may be
written in Persian or Arabic-Indic digits.

The schema is ``COLUMNS`` (documented in ``docs/roster.md``). A roster that breaks a rule is
refused with a :class:`RosterError` naming the file, the row, the column and the rule; nothing
is imputed silently: optional columns that are absent are drawn from the synthetic distributions
and listed in :attr:`Roster.imputed`. A debt (``debt_z``) is repaid like a microcredit loan,
by :func:`model.loans.instalment`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from model import loans, population
from model.cells import CellError, parse
from model.params import Config
from model.roster_columns import check_labels, read_mapping, resolve
from model.roster_files import RosterError, as_text, read_cells, where
from model.state import (
    ADULTS,
    ASPIRATION,
    ASSETS,
    CHILDREN,
    CONFIDENCE,
    CULTURE,
    DEBT,
    ELDERLY,
    FEMALE_HEAD,
    LOAN_INSTALMENT,
    PRODUCTIVITY,
    SAVINGS,
    SIZE,
    SKILL,
    HouseholdState,
)


@dataclass(frozen=True)
class Column:
    """One roster column: its rule and where it goes in the state."""

    name: str
    required: bool
    kind: str          # "id", "int", "float", "flag"
    lo: float | None
    hi: float | None
    unit: str
    meaning: str
    target: tuple[str, int] | None  # ("floats" | "ints", field index)


COLUMNS = (
    Column("household_id", True, "id", None, None, "-", "unique identifier of the household",
           None),
    Column("size", True, "int", 1, 40, "persons", "household members", ("ints", SIZE)),
    Column("adults", False, "int", 0, 40, "persons", "working-age members (15-64)",
           ("ints", ADULTS)),
    Column("children", False, "int", 0, 40, "persons", "members under 15", ("ints", CHILDREN)),
    Column("elderly", False, "int", 0, 40, "persons", "members aged 65 or more",
           ("ints", ELDERLY)),
    Column("assets_z", True, "float", 0, 1e6, "z", "productive assets (livestock, tools, "
           "workshop) valued in poverty lines", ("floats", ASSETS)),
    Column("female_head", False, "flag", 0, 1, "0/1", "1 if a woman heads the household",
           ("ints", FEMALE_HEAD)),
    Column("savings_z", False, "float", 0, 1e6, "z", "liquid savings", ("floats", SAVINGS)),
    Column("debt_z", False, "float", 0, 1e6, "z", "outstanding debt", ("floats", DEBT)),
    Column("skill", False, "float", 0, 1, "0-1", "vocational skill score", ("floats", SKILL)),
    Column("confidence", False, "float", 0, 1, "0-1", "self-efficacy score",
           ("floats", CONFIDENCE)),
    Column("culture", False, "float", 0, 1, "0-1", "self-reliance norm score (low: dependency)",
           ("floats", CULTURE)),
    Column("aspiration_z", False, "float", 0.01, 1e4, "z/person-month",
           "per-capita consumption the household aims for", ("floats", ASPIRATION)),
    Column("productivity", False, "float", 0.01, 100, "-", "household productivity A_i",
           ("floats", PRODUCTIVITY)),
)
BY_NAME = {c.name: c for c in COLUMNS}
COMPOSITION = ("adults", "children", "elderly")
"""Columns given all together or not at all; they add up to ``size``."""


@dataclass(frozen=True)
class Roster:
    """A validated roster: the household state, the ids in row order, what was imputed, and
    the extra columns kept as labels (``label_<header>`` -> text per household)."""

    state: HouseholdState
    household_ids: np.ndarray
    imputed: tuple[str, ...]
    labels: dict[str, np.ndarray] = field(default_factory=dict)


def _parse_column(path: Path, frame: pd.DataFrame, col: Column) -> np.ndarray:
    """One column's values, checked (:func:`model.cells.parse`).

    Raises:
        RosterError: at the first cell that breaks the column's rule.
    """
    missing = ("every household needs it" if col.required else
               "an optional column, once given, must be filled in every row (leave the "
               "column out to impute it)")
    try:
        return parse(frame[col.name], col, missing)
    except CellError as bad:
        raise RosterError(bad.message("roster", path, col.name)) from None


def read(path: str | Path, cfg: Config) -> Roster:
    """Read and validate a roster; impute absent optional columns from ``cfg.population``.

    Raises:
        RosterError: the roster breaks a rule of ``docs/roster.md`` (the message says where).
    """
    path, pop = Path(path), cfg.population
    cells = read_cells(path)
    if len(cells) == 0:
        raise RosterError(f"roster {path}: there is a header but no household rows.")
    mapping = read_mapping(Path(pop.roster_columns), tuple(BY_NAME)) \
        if pop.roster_columns else {}
    headers = resolve(path, list(cells.columns), tuple(BY_NAME), mapping)
    missing = [c.name for c in COLUMNS if c.required and c.name not in headers.columns]
    if missing:
        raise RosterError(f"roster {path}: required column(s) {', '.join(missing)} missing; "
                          f"the file has {', '.join(headers.written)}. Required: "
                          f"{', '.join(c.name for c in COLUMNS if c.required)} (or their "
                          "Persian headers, see docs/roster.md).")
    check_labels(path, headers, tuple(BY_NAME), pop.roster_strict)
    frame = cells.iloc[:, list(headers.columns.values())].set_axis(list(headers.columns),
                                                                   axis=1)
    labels = {name: cells.iloc[:, p].map(as_text).to_numpy(dtype=object)
              for name, p in headers.labels.items()}
    return replace(_households(path, frame, cfg), labels=labels)


def _households(path: Path, frame: pd.DataFrame, cfg: Config) -> Roster:
    """The households of a roster's columns (named as in ``COLUMNS``), checked and imputed."""
    values = {c.name: _parse_column(path, frame, c) for c in COLUMNS if c.name in frame.columns}
    ids = values["household_id"]
    duplicated = pd.Series(ids).duplicated().to_numpy()
    if duplicated.any():
        pos = int(np.argmax(duplicated))
        first = int(np.argmax(ids == ids[pos]))
        raise RosterError(f"roster {path}, {where(path, pos)}, column 'household_id': "
                          f"{ids[pos]!r} repeats the id of {where(path, first)}; ids must "
                          "be unique.")
    state = population.synthetic(cfg, n=len(frame))
    for col in COLUMNS:
        if col.target and col.name in values:
            block, row = col.target
            getattr(state, block)[:, row] = values[col.name]
    state.floats[:, LOAN_INSTALMENT] = loans.instalment(state.floats[:, DEBT], cfg)
    imputed = tuple(c.name for c in COLUMNS if not c.required and c.name not in values)
    if "adults" in imputed:
        state.ints[:, ADULTS], state.ints[:, CHILDREN], state.ints[:, ELDERLY] = \
            population.draw_composition(cfg.seed, population.ids_of(state.n),
                                       state.ints[:, SIZE], cfg.population)
    else:
        _check_composition(path, values)
    population.redraw_traits(state, cfg, [c for c in ("skill", "confidence", "culture")
                                          if c in imputed])
    if "aspiration_z" in imputed:
        state.floats[:, ASPIRATION] = np.nan
    return Roster(state, ids, imputed)


def _check_composition(path: Path, values: dict[str, np.ndarray]) -> None:
    """Adults, children and elderly are given together and add up to the household's size.

    Raises:
        RosterError: one or two of them are missing, or a household's do not add up.
    """
    missing = [name for name in COMPOSITION if name not in values]
    if missing:
        given = [name for name in COMPOSITION if name in values]
        raise RosterError(f"roster {path}: column(s) {', '.join(given)} given without "
                          f"{', '.join(missing)}; give all of adults, children and elderly "
                          "(they add up to size), or none of them to impute them from size.")
    total = values["adults"] + values["children"] + values["elderly"]
    wrong = total != values["size"]
    if wrong.any():
        pos = int(np.argmax(wrong))
        parts = " + ".join(f"{values[name][pos]:g}" for name in COMPOSITION)
        raise RosterError(f"roster {path}, {where(path, pos)}, columns 'adults', 'children', "
                          f"'elderly': {parts} = {total[pos]:g} members, but column 'size' "
                          f"says {values['size'][pos]:g}; adults + children + elderly must "
                          "equal size.")


def example_frame(cfg: Config) -> pd.DataFrame:
    """A synthetic roster of ``cfg.population.households`` households in the roster format.

    ``aspiration_z`` and ``productivity`` are left out, as a relief office would not know
    them; reading the file imputes them.
    """
    state = population.synthetic(cfg)
    frame = pd.DataFrame({"household_id": [f"H{i + 1:04d}" for i in range(state.n)]})
    for col in COLUMNS[1:]:
        if col.name in ("aspiration_z", "productivity"):
            continue
        block, row = col.target
        values = getattr(state, block)[:, row]
        frame[col.name] = values if block == "ints" else np.round(values, 3)
    return frame
