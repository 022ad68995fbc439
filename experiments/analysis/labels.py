"""How outcomes and scenarios are named for readers: the one place that turns column names and
scenario ids into words, numbers into rounded text in their units, and (``numerals``)
numbers and dates into the reader's script and calendar.

Every function takes a :class:`~experiments.analysis.presentation.View` (English and z by
default); the words come from the translation table (``translations``). Numbers are formatted
in English digits first and written for the language once, by :func:`numerals`, where the
text is shown (the report's page, a figure, the dashboard).
"""

from __future__ import annotations

import math
import re
from datetime import datetime

import jdatetime
import pandas as pd

from experiments.analysis.presentation import ENGLISH, View
from experiments.analysis.translations import TEXTS, text

SHARES = ("share", "share of z")
"""Units shown as percentages (their differences as percentage points)."""

MONEY = ("z", "z/person-month")
"""Units that are amounts of money, shown in the view's currency."""

PERSIAN_DIGITS = str.maketrans("0123456789,.", "۰۱۲۳۴۵۶۷۸۹٬٫")
"""Digits, thousands separator and decimal point in Persian."""

NUMBER = re.compile(r"(?<![\w.])([-+−]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?( ?%)?(?![\w]|\.\d)")
"""A number as the English formats write it (sign, thousands separators, decimals, a per
cent sign); never part of a word, a version number or a hexadecimal hash."""

PERSIAN_SIGNS = {"-": "\u200e−", "−": "\u200e−", "+": "\u200e+"}
"""Signs as Persian writes them (Unicode's CLDR): a left-to-right mark keeps the sign on the
left of its number in right-to-left text."""


def numerals(shown: str, lang: str) -> str:
    """``shown`` with its numbers written for ``lang``: in Persian, digits ۰-۹, the minus sign
    '−', '٫' for the decimal point, '٬' between thousands, '٪' for per cent and '،' between
    the items of a list; unchanged in English."""
    if lang == "en":
        return shown

    def persian(number: re.Match) -> str:
        sign, whole, decimals, percent = number.groups()
        digits = (whole + (decimals or "")).translate(PERSIAN_DIGITS)
        return PERSIAN_SIGNS.get(sign, "") + digits + ("٪" if percent else "")

    return NUMBER.sub(persian, shown).replace(", ", "، ")


def date_text(moment: str, lang: str) -> str:
    """An ISO date and time as the reader's calendar writes it: Gregorian as it is in English,
    Jalali ('1405/09/11 21:45') in Persian."""
    if lang == "en":
        return moment
    when = jdatetime.datetime.fromgregorian(datetime=datetime.fromisoformat(moment))
    return when.strftime("%Y/%m/%d %H:%M")


def sentence_start(words: str) -> str:
    """``words`` with their first letter a capital and the rest as written (``capitalize``
    would lower the rest of a label such as 'BRAC_plus')."""
    return words[:1].upper() + words[1:]


def outcome_name(outcome: str, lang: str = "en") -> str:
    """``outcome`` in words (the column name itself when it has none)."""
    key = f"outcome {outcome}"
    return text(key, lang) if key in TEXTS else outcome.replace("_", " ")


def _named(kind: str, name: str, lang: str) -> str:
    """An id in words: its translation if the table has one, else with spaces for '_'."""
    key = f"{kind} {name}"
    return text(key, lang) if lang != "en" and key in TEXTS else name.replace("_", " ")


def scenario_name(scenario: str, lang: str = "en") -> str:
    """A scenario id in words: ``asset_grant`` -> ``asset grant`` (a scenario of the library
    by its translated name)."""
    return _named("scenario", scenario, lang)


def constraint_name(constraint: str, lang: str = "en") -> str:
    """A diagnosed constraint in words: ``wage_job`` -> ``wage job``."""
    return _named("constraint", constraint, lang)


def status_name(status: str, lang: str = "en") -> str:
    """A household's status in words (``left``, ``graduated``, ...)."""
    return _named("status", status, lang)


def unit_name(unit: str, view: View = ENGLISH) -> str:
    """A unit in words, amounts of money in the view's currency: 'z/person-month' ->
    'toman/person-month'."""
    key = f"unit {unit}"
    return view.text(key, money=view.money) if key in TEXTS else unit


def rounded(values: pd.Series, decimals: int) -> pd.Series:
    """``values`` as text with ``decimals`` decimals and thousands separators ('–' if
    undefined)."""
    return values.map(lambda v: f"{v:,.{decimals}f}" if math.isfinite(v) else "–")


NOISE = 1e-9
"""The size below which :func:`significant` writes a value as 0."""


def significant(value: float, digits: int = 3, trailing_zeros: bool = True,
                signed: bool = False) -> str:
    """``value`` to ``digits`` significant digits in plain notation with thousands separators
    (never '1.23e+03'; a whole part of more digits is written in full): 5.504 -> '5.50',
    1234.4 -> '1,234', 0.01234 -> '0.0123' ('–' if undefined). Without ``trailing_zeros``,
    0.0500 is written '0.05'; ``signed`` writes a '+' before a positive value. A value
    smaller than :data:`NOISE` in size is written as 0: it is the rounding noise of a
    difference (5.6e-17), which in plain notation would take twenty digits."""
    if not math.isfinite(value):
        return "–"
    if abs(value) < NOISE:
        value = 0.0
    magnitude = math.floor(math.log10(abs(value))) if value != 0.0 else 0
    text = f"{value:{'+' if signed else ''},.{max(digits - 1 - magnitude, 0)}f}"
    if not trailing_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def count(value: float) -> str:
    """A number of households, a mean over replications perhaps, rounded to a whole one with
    thousands separators: 319.6 -> '320'. Every count of the report is written by it, so that
    the introduction and the sentences agree."""
    return f"{value:,.0f}"


def amounts(values: pd.Series, decimals: int, view: View = ENGLISH) -> pd.Series:
    """Amounts of money (``values`` in z) as text in the view's currency ('–' if
    undefined)."""
    return values.map(lambda v: view.amount(v, decimals) if math.isfinite(v) else "–")


def level(value: float, unit: str, view: View = ENGLISH) -> str:
    """A level of an outcome in ``unit``, rounded: 0.4312 share -> '43.1 %'."""
    if not math.isfinite(value):
        return "–"
    if unit in SHARES:
        return f"{100 * value:.1f} %"
    if unit == "households":
        return f"{value:,.0f}"
    if unit in MONEY:
        return f"{view.amount(value)} {view.money}"
    return significant(value, trailing_zeros=False)


def change(value: float, unit: str, view: View = ENGLISH) -> str:
    """A difference in ``unit``, signed and rounded: -0.0472 share -> '-4.7 pp'."""
    if not math.isfinite(value):
        return "–"
    return _number(value, unit, view) + suffix(unit, view)


def _number(value: float, unit: str, view: View) -> str:
    """A signed difference without its unit."""
    if unit in SHARES:
        return _never_zero(100 * value, 1)
    if unit == "households":
        return _never_zero(value, 0)
    if unit in MONEY and view.currency != "z":
        return view.amount(value, signed=True)  # to significant digits
    return _never_zero(value, 2)


SMALLEST_DECIMALS = 3
"""The most decimals a difference is written with."""


def _never_zero(value: float, decimals: int) -> str:
    """A signed difference to ``decimals`` decimals, or to the first decimal that is not
    zero (up to :data:`SMALLEST_DECIMALS`) when those would round it to zero: -0.048 pp is
    '-0.05' and -0.36 households '-0.4', so that an effect the replications tell from zero is
    never written as '-0.0' or '-0'. One that rounds to zero even then is '0.0' (or '0')."""
    for shown in range(decimals, max(decimals, SMALLEST_DECIMALS) + 1):
        if round(abs(value), shown) != 0.0:
            return f"{value:+,.{shown}f}"
    return f"{0.0:.{decimals}f}"


def suffix(unit: str, view: View = ENGLISH) -> str:
    """What follows a difference in ``unit``: ' pp', ' z' (or its currency) or nothing."""
    if unit in SHARES:
        return " " + view.text("percentage points short")
    return f" {view.money}" if unit in MONEY else ""


def interval_text(low: float, high: float, unit: str, view: View = ENGLISH) -> str:
    """A 95 % interval of a difference: '[-5.2, -4.2] pp'."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return "–"
    return f"[{_number(low, unit, view)}, {_number(high, unit, view)}]{suffix(unit, view)}"


def with_interval(value: float, low: float, high: float, unit: str,
                  view: View = ENGLISH) -> str:
    """A difference and its 95 % interval: '-4.7 [-5.2, -4.2] pp'."""
    if not math.isfinite(value):
        return "–"
    if not (math.isfinite(low) and math.isfinite(high)):
        return change(value, unit, view)
    return (f"{_number(value, unit, view)} [{_number(low, unit, view)}, "
            f"{_number(high, unit, view)}]{suffix(unit, view)}")
