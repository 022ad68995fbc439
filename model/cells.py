"""Checking one column of cells read from a file (a roster, a panel): every cell is filled in,
and is a number, a whole number, 0 or 1, or one of the column's words, within its range.

Numbers may be written in Persian or Arabic-Indic digits. A check that fails raises
:class:`CellError` at the first cell that breaks it; :meth:`CellError.message` says which
file, row and column.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from model.roster_files import where

WESTERN_NUMBERS = str.maketrans({
    **{chr(0x06F0 + d): str(d) for d in range(10)},   # Persian digits
    **{chr(0x0660 + d): str(d) for d in range(10)},   # Arabic-Indic digits
    "\u066b": ".", "\u066c": "", "\u2212": "-", "\u200e": "", "\u200f": ""})
"""Persian and Arabic-Indic digits, decimal and thousands separators, minus sign and direction
marks, as the ASCII a number is parsed from."""
BLANK_WORDS = ("nan", "na", "none", "null")
"""Cells that mean no value, in any case, unless the column allows the word as a value."""
WHOLE_KINDS = ("int", "flag")
"""Kinds of column whose numbers must be whole."""


class CellRule(Protocol):
    """What a column's cells must be. ``kind`` is "id" (any text), "int", "float", "flag" (0
    or 1) or "choice" (one of the words given); a number lies in [lo, hi] (``unit``)."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def lo(self) -> float | None: ...
    @property
    def hi(self) -> float | None: ...
    @property
    def unit(self) -> str: ...


class CellError(ValueError):
    """A cell that breaks its column's rule: its 0-based row position and the problem."""

    def __init__(self, position: int, problem: str) -> None:
        super().__init__(problem)
        self.position = position
        self.problem = problem

    def message(self, kind: str, path: Path, column: str) -> str:
        """The problem as said to the user: which ``kind`` of file, where in it, which
        column."""
        return f"{kind} {path}, {where(path, self.position)}, column '{column}': {self.problem}"


def parse(cells: pd.Series, rule: CellRule, missing: str,
          choices: Collection[str] = ()) -> np.ndarray:
    """A column's values, checked: text for "id" and "choice" columns, floats otherwise.

    Args:
        cells: the column's cells as read from the file.
        rule: what the cells must be.
        missing: why a blank cell is refused, e.g. "every row needs it".
        choices: the words a "choice" column allows.

    Raises:
        CellError: at the first cell that breaks the rule.
    """
    text = filled(cells, missing, choices)
    if rule.kind == "id":
        return text.to_numpy()
    if rule.kind == "choice":
        return chosen(text, choices)
    return numbers(text, rule)


def filled(cells: pd.Series, missing: str, choices: Collection[str] = ()) -> pd.Series:
    """The cells as stripped text; a blank cell (empty, missing or a word of
    :data:`BLANK_WORDS` that is not one of ``choices``) is refused, saying ``missing``."""
    text = cells.astype(str).str.strip()
    blank_words = set(BLANK_WORDS) - {choice.lower() for choice in choices}
    blank = (text == "") | cells.isna() | text.str.lower().isin(blank_words)
    _refuse_first(blank.to_numpy(), lambda _: f"the value is missing; {missing}.")
    return text


def chosen(text: pd.Series, choices: Collection[str]) -> np.ndarray:
    """The cells, each one of ``choices``."""
    _refuse_first((~text.isin(list(choices))).to_numpy(),
                  lambda p: f"{text.iloc[p]!r} is not allowed; write one of "
                            f"{', '.join(choices)}.")
    return text.to_numpy()


def numbers(text: pd.Series, rule: CellRule) -> np.ndarray:
    """The cells as numbers: whole ones for a whole kind, within [lo, hi] (infinity is out of
    range)."""
    values = pd.to_numeric(text.str.translate(WESTERN_NUMBERS), errors="coerce").to_numpy(
        dtype=float)
    _refuse_first(np.isnan(values),
                  lambda p: f"{text.iloc[p]!r} is not a number ({rule.unit}); write digits, "
                            "with '.' or '٫' as the decimal point.")
    if rule.kind in WHOLE_KINDS:
        _refuse_first(values != np.round(values),
                      lambda p: f"{text.iloc[p]!r} is not a whole number ({rule.unit}).")
    bounds = "must be 0 or 1" if rule.kind == "flag" else \
        f"must be between {rule.lo:g} and {rule.hi:g} ({rule.unit})"
    _refuse_first((values < rule.lo) | (values > rule.hi) | ~np.isfinite(values),
                  lambda p: f"{text.iloc[p]!r} is out of range; {rule.name} {bounds}.")
    return values


def _refuse_first(bad: np.ndarray, problem: Callable[[int], str]) -> None:
    """Raise :class:`CellError` at the first position where ``bad`` holds, saying
    ``problem(position)``."""
    if bad.any():
        position = int(np.argmax(bad))
        raise CellError(position, problem(position))
