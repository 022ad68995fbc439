"""What a roster's column headers mean: roster columns, Persian headers, a mapping file, labels.

A header is matched by its *key* (:func:`header_key`): case, spaces, underscores, zero-width
non-joiners and the Arabic forms of Persian letters do not matter, so ``Household ID``,
``household_id`` and ``household id`` are one header, as are «اندازه‌ی خانوار» and
«اندازه ی خانوار». A header is, in this order of precedence, a name of the column-mapping
file (``population.roster_columns``), a roster column's own name, or a Persian header of
:data:`PERSIAN_HEADERS`. Any other header is a *label*: carried into the outputs as
``label_<key>`` (documented in ``docs/roster.md``), or refused in strict mode.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from model.roster_files import RosterError, as_text, read_cells, where

LABEL_PREFIX = "label_"

PERSIAN_HEADERS: dict[str, str] = {
    "شناسه خانوار": "household_id",
    "کد خانوار": "household_id",
    "شماره پرونده": "household_id",
    "بعد خانوار": "size",
    "اندازه خانوار": "size",
    "تعداد اعضای خانوار": "size",
    "تعداد اعضا": "size",
    "بزرگسال": "adults",
    "تعداد بزرگسالان": "adults",
    "کودکان": "children",
    "تعداد کودکان": "children",
    "سالمندان": "elderly",
    "تعداد سالمندان": "elderly",
    "دارایی": "assets_z",
    "دارایی تولیدی": "assets_z",
    "دارایی مولد": "assets_z",
    "سرپرست زن": "female_head",
    "زن سرپرست خانوار": "female_head",
    "پس‌انداز": "savings_z",
    "بدهی": "debt_z",
    "مهارت": "skill",
    "اعتماد به نفس": "confidence",
    "خودکارآمدی": "confidence",
    "خوداتکایی": "culture",
    "فرهنگ خوداتکایی": "culture",
    "سطح آرزو": "aspiration_z",
    "مصرف مطلوب": "aspiration_z",
    "بهره‌وری": "productivity",
}
"""Persian header -> roster column (the table of ``docs/roster.md``)."""

_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_SEPARATORS = re.compile(r"[\s_\u200c\u200e\u200f]+")


class RosterWarning(UserWarning):
    """A roster that is read, with a note the user should see (once)."""


_NOTED: set[str] = set()
"""The notes already given in this process: a roster is read several times per run (checked
before the run starts, then loaded), and ``warnings`` forgets what it showed whenever any
library changes the warning filters."""


def header_key(header: str) -> str:
    """The form a header is matched in: lower case, Persian letter forms, one space between
    words (spaces, underscores and zero-width non-joiners all count as one space)."""
    text = unicodedata.normalize("NFKC", header).translate(_PERSIAN_LETTERS).lower()
    return _SEPARATORS.sub(" ", text).strip()


@dataclass(frozen=True)
class Headers:
    """What each header of a roster file is, by position in the file."""

    written: tuple[str, ...]
    columns: dict[str, int]  # roster column -> position
    labels: dict[str, int]   # label_<key> -> position


def read_mapping(path: Path, names: Sequence[str]) -> dict[str, str]:
    """A column-mapping file as header key -> roster column.

    YAML: one ``export name: roster column`` entry per line. CSV: columns ``export`` and
    ``column``, one export name per line.

    Raises:
        RosterError: the file is missing or malformed, or names a column the roster lacks.
    """
    if not path.is_file():
        raise RosterError(f"column mapping {path}: no such file; give the path of a YAML or "
                          "CSV file of export name -> roster column (see docs/roster.md).")
    yaml_file = path.suffix.lower() in (".yaml", ".yml")
    mapping = {}
    for place, export, column in (_yaml_pairs(path) if yaml_file else _table_pairs(path)):
        if column not in names:
            raise RosterError(f"column mapping {path}, {place}: {column!r} (for {export!r}) "
                              f"is not a roster column; map to one of {', '.join(names)}.")
        mapping[header_key(export)] = column
    return mapping


def _yaml_pairs(path: Path) -> list[tuple[str, str, str]]:
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise RosterError(f"column mapping {path}: cannot be read as UTF-8 YAML "
                          f"({type(err).__name__}).") from None
    if not isinstance(entries, dict) or not entries:
        raise RosterError(f"column mapping {path}: must map export names to roster columns, "
                          "one 'export name: column' entry per line.")
    return [(f"entry {str(k)!r}", str(k), as_text(v)) for k, v in entries.items()]


def _table_pairs(path: Path) -> list[tuple[str, str, str]]:
    cells = read_cells(path, kind="column mapping")
    if [header_key(h) for h in cells.columns] != ["export", "column"]:
        raise RosterError(f"column mapping {path}: the header must be 'export,column' (export "
                          f"name, roster column); it is {','.join(cells.columns)}.")
    return [(where(path, i), as_text(export), as_text(column))
            for i, (export, column) in enumerate(cells.itertuples(index=False))]


def resolve(path: Path, written: Sequence[str], names: Sequence[str],
            mapping: dict[str, str]) -> Headers:
    """Name each header of a roster: a roster column (``names``) or a label.

    Raises:
        RosterError: two headers give the same roster column or the same label.
    """
    known = {**{header_key(h): c for h, c in PERSIAN_HEADERS.items()},
             **{header_key(n): n for n in names}, **mapping}
    columns: dict[str, int] = {}
    labels: dict[str, int] = {}
    for position, header in enumerate(written):
        key = header_key(header)
        if key in known:
            name, found = known[key], columns
        else:
            name, found = LABEL_PREFIX + key.replace(" ", "_"), labels
        if name in found:
            raise RosterError(f"roster {path}: columns {written[found[name]]!r} and {header!r} "
                              f"both give {name}; keep one of them.")
        found[name] = position
    return Headers(tuple(written), columns, labels)


def check_labels(path: Path, headers: Headers, names: Sequence[str], strict: bool) -> None:
    """Refuse label columns in strict mode; otherwise warn once that they are kept.

    Raises:
        RosterError: strict mode and the roster has columns that are not roster columns.
    """
    extra = [headers.written[p] for p in headers.labels.values()]
    if not extra:
        return
    by_key = {header_key(n): n for n in names}
    hints = "".join(f" {h!r} looks like {by_key[close[0]]!r}: check its spelling."
                    for h in extra
                    if (close := difflib.get_close_matches(header_key(h), by_key, n=1,
                                                           cutoff=0.8)))
    if strict:
        raise RosterError(f"roster {path}: unknown column(s) {', '.join(extra)}; known "
                          f"columns are {', '.join(names)} (see docs/roster.md). "
                          "population.roster_strict is true, so extra columns are refused: "
                          "delete them, or map a roster column exported under another name "
                          f"in population.roster_columns.{hints}")
    note = (f"roster {path}: column(s) {', '.join(extra)} are not roster columns; they are "
            f"kept as labels ({', '.join(headers.labels)}) in the household outputs. Set "
            f"population.roster_strict=true to refuse them.{hints}")
    if note not in _NOTED:
        _NOTED.add(note)
        warnings.warn(note, RosterWarning, stacklevel=1)
