"""Reading a roster file (CSV, Excel or Parquet) into a table of cells, headers as written.

Nothing here knows what a column means (that is :mod:`model.roster_columns`); this module only
turns a file into rows of cells and says where a row is in the file (:func:`where`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

DELIMITERS = (",", ";", "\t")
TEXT_SUFFIXES = (".csv", ".tsv")


class RosterError(ValueError):
    """A roster that cannot be used; the message says where and why."""


def where(path: Path, position: int) -> str:
    """A data row as the user sees it: the text line, the spreadsheet row or the Parquet row.

    Args:
        path: the roster file.
        position: the row's 0-based position among the household rows.
    """
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return f"line {position + 2}"
    if suffix == ".xlsx":
        return f"row {position + 2}"
    return f"row {position + 1}"


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a text table: whichever of ``,``, ``;`` and tab its header line holds
    most often (a comma when it holds none)."""
    return max(DELIMITERS, key=header_line.count)


def _read_text(path: Path) -> pd.DataFrame:
    with path.open(encoding="utf-8-sig") as handle:
        delimiter = sniff_delimiter(handle.readline())
    cells = pd.read_csv(path, sep=delimiter, header=None, dtype=str, keep_default_na=False,
                        encoding="utf-8-sig", skipinitialspace=True, skip_blank_lines=False)
    return _header_from_first_row(cells)


def _read_xlsx(path: Path) -> pd.DataFrame:
    cells = pd.read_excel(path, sheet_name=0, header=None, dtype=object, engine="openpyxl")
    return _header_from_first_row(cells)


def _header_from_first_row(cells: pd.DataFrame) -> pd.DataFrame:
    """The first row as the header (kept as written, even when two headers repeat)."""
    body = cells.iloc[1:].reset_index(drop=True)
    body.columns = [as_text(v) for v in cells.iloc[0]] if len(cells) else []
    return body


def _read_parquet(path: Path) -> pd.DataFrame:
    frame = pd.read_parquet(path)
    frame.columns = [str(c) for c in frame.columns]
    return frame


READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    ".csv": _read_text, ".tsv": _read_text, ".xlsx": _read_xlsx, ".parquet": _read_parquet}


def as_text(value: object) -> str:
    """A cell as stripped text; an empty cell is ``""``."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) \
        else str(value).strip()


def read_cells(path: Path, kind: str = "roster") -> pd.DataFrame:
    """The rows of a roster file (or of another table: ``kind`` names it in messages),
    columns named by its header as written.

    Blank rows at the end and columns with a blank header and no value are dropped
    (spreadsheets leave them behind); a blank row among the households is kept, so that it is
    refused at its own line.

    Raises:
        RosterError: the file is missing, empty, of another type, unreadable, or has a value
            in a column without a header.
    """
    if not path.is_file():
        what = "a folder, not a file" if path.is_dir() else "no such file"
        raise RosterError(f"{kind} {path}: {what}; give the path of a CSV, Excel or "
                          f"Parquet {kind} (see docs/roster.md).")
    if path.stat().st_size == 0:
        raise RosterError(f"{kind} {path}: the file is empty; it needs a header line and a "
                          "row per entry (see docs/roster.md).")
    suffix = path.suffix.lower()
    if suffix not in READERS:
        *others, last = READERS
        raise RosterError(f"{kind} {path}: unknown file type '{suffix}'; use "
                          f"{', '.join(others)} or {last}.")
    refuse_misnamed(path, kind)
    try:
        cells = READERS[suffix](path)
    except UnicodeDecodeError as err:
        raise RosterError(f"{kind} {path}: not UTF-8 text (byte {err.start} cannot be read); "
                          "save the file as UTF-8 CSV.") from None
    except Exception as err:
        raise RosterError(f"{kind} {path}: cannot be read as {suffix[1:].upper()} "
                          f"({type(err).__name__}: {err}).") from None
    return _drop_blank_columns(path, _drop_trailing_blank_rows(cells), kind)


SIGNATURES = {b"PK\x03\x04": ".xlsx", b"PAR1": ".parquet"}
"""The first bytes of the binary file types read, and their suffix (an .xlsx file is a zip)."""
BINARY_NAMES = {".xlsx": "an Excel workbook (.xlsx)", ".parquet": "a Parquet file"}


def refuse_misnamed(path: Path, kind: str) -> None:
    """Refuse a file whose content is of another type than its name says: a workbook or a
    Parquet file renamed ``.csv``, or a text table renamed ``.xlsx`` or ``.parquet``.

    Raises:
        RosterError: saying what the file is and which name to give it.
    """
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        content = SIGNATURES.get(handle.read(4))
    if content and content != suffix:
        raise RosterError(f"{kind} {path}: the file is {BINARY_NAMES[content]}, but its name "
                          f"ends in {suffix}; rename it to end in {content}.")
    if suffix in BINARY_NAMES and not content:
        raise RosterError(f"{kind} {path}: the name ends in {suffix}, but the file is not "
                          f"{BINARY_NAMES[suffix]}; if it is a text table (CSV or TSV), rename "
                          "it to end in .csv or .tsv.")


def _drop_trailing_blank_rows(cells: pd.DataFrame) -> pd.DataFrame:
    end = len(cells)
    while end and all(as_text(v) == "" for v in cells.iloc[end - 1]):
        end -= 1
    return cells.iloc[:end]


def _drop_blank_columns(path: Path, cells: pd.DataFrame, kind: str) -> pd.DataFrame:
    keep = []
    for position, header in enumerate(cells.columns):
        if header:
            keep.append(position)
            continue
        filled = cells.iloc[:, position].map(as_text) != ""
        if filled.any():
            row = int(filled.to_numpy().argmax())
            raise RosterError(f"{kind} {path}, {where(path, row)}, column {position + 1}: the "
                              "column has no header but holds a value; give it a header or "
                              "delete it.")
    return cells.iloc[:, keep]
