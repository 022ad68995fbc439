"""A programme assignment: which programmes each household of a roster may receive.

``population.assignment_path`` names a CSV file with a header ``household_id,programme`` and
one row per household and programme it is assigned (a household may have several rows, one
per programme of its package; a household with no row is assigned nothing). With an
assignment, each enabled programme enrols only the households assigned to it, on top of its
own rules (eligibility, targeting, coverage, capacities, budget); without one, every
household may be enrolled, as before. This is how one run gives different packages to
different households (``empowernet advise`` simulates its allocations so).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from model.params import ConfigError
from model.programmes import INDEX, PROGRAMME_NAMES
from model.roster_files import as_text, read_cells, where

COLUMNS = ("household_id", "programme")
KIND = "programme assignment"
"""How messages name the file (``population.assignment_path``)."""


def read(path: str | Path, household_ids: Sequence[object], rows: int) -> np.ndarray:
    """The assigned programmes of each of ``rows`` rows as bits (bit p: programme p).

    Args:
        path: the assignment file.
        household_ids: the roster's household ids, in row order (rows after them, such as
            new entrants, are assigned nothing).
        rows: the rows of the household state.

    Raises:
        RosterError: the file is missing, empty or cannot be read (``read_cells``).
        ConfigError: the file lacks a column, or names an unknown household or programme
            (with its line).
    """
    path = Path(path)
    table = read_cells(path, kind=KIND)
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError(f"{KIND} {path}: no column {', '.join(missing)}; the header must be "
                          f"{','.join(COLUMNS)}.")
    row_of = {str(h): r for r, h in enumerate(household_ids)}
    bits = np.zeros(rows, dtype=np.int64)
    for position, (household, programme) in enumerate(
            zip(table["household_id"].map(as_text), table["programme"].map(as_text),
                strict=True)):
        if household not in row_of:
            raise ConfigError(f"{KIND} {path}, {where(path, position)}: household "
                              f"{household!r} is not in the roster.")
        if programme not in PROGRAMME_NAMES:
            raise ConfigError(f"{KIND} {path}, {where(path, position)}: {programme!r} is not a "
                              f"programme; allowed: {', '.join(PROGRAMME_NAMES)}.")
        bits[row_of[household]] |= 1 << INDEX[programme]
    return bits


def write(path: Path, assignment: dict[str, Sequence[str]]) -> None:
    """Write ``assignment`` (household id -> its programmes) as an assignment file."""
    rows = [(household, programme) for household, programmes in assignment.items()
            for programme in programmes]
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=list(COLUMNS)).to_csv(path, index=False)
