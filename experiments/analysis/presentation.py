"""How a report, a figure or the dashboard is presented: its language and the money it shows.

English and z (the monthly per-capita poverty line) are the default. In Persian (``fa``) the
words come from ``translations``, numbers are written in Persian digits and dates in the
Jalali calendar (``labels``). With a currency other than z, every amount of money is shown in
toman or rial, converted at a poverty line the user gives (toman per person per month): one
z is one month of the poverty line for one person, so an amount of ``a`` z is ``a`` times
the line. The defaults are the keys of ``configs/presentation.yaml``; the options ``--lang``,
``--currency`` and ``--poverty-line`` override them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from experiments.analysis.translations import text
from experiments.config import CONFIG_DIR
from model.params import ConfigError

LANGUAGES = ("en", "fa")
"""English and Persian."""

CURRENCIES = ("z", "toman", "rial")
"""The poverty line itself, or money at a given line."""

RIALS_PER_TOMAN = 10

SETTINGS = CONFIG_DIR / "presentation.yaml"
"""The config file whose keys ``lang``, ``currency`` and ``poverty_line`` are the defaults."""

SIGNIFICANT = 3
"""Significant digits of an amount in toman or rial (the poverty line is known no better)."""


@dataclass(frozen=True)
class View:
    """A language, a currency and, for toman and rial, the poverty line (toman per person per
    month) that converts z into it."""

    lang: str = "en"
    currency: str = "z"
    poverty_line: float | None = None

    @property
    def per_z(self) -> float:
        """Units of the currency in one z."""
        if self.currency == "z":
            return 1.0
        return self.poverty_line * (RIALS_PER_TOMAN if self.currency == "rial" else 1)

    def text(self, key: str, **values: object) -> str:
        """The translation table's ``key`` in this view's language (``translations.text``)."""
        return text(key, self.lang, **values)

    @property
    def money(self) -> str:
        """The name of the currency: 'z', 'toman', 'rial' or their Persian names."""
        return self.text(f"currency {self.currency}")

    def amount(self, value: float, decimals: int = 2, signed: bool = False) -> str:
        """An amount of ``value`` z in the currency, rounded, with thousands separators (in
        English digits: ``labels.numerals`` writes them for the language)."""
        sign = "+" if signed else ""
        if self.currency == "z":
            return f"{value:{sign},.{decimals}f}"
        money = value * self.per_z
        if money != 0.0:
            money = round(money, SIGNIFICANT - 1 - math.floor(math.log10(abs(money))))
        return f"{money:{sign},.0f}"

    def in_english(self) -> View:
        """This view in English, its money unchanged: what a command prints on the terminal,
        whose messages are in English whatever the language of its pages."""
        return replace(self, lang="en")

    def round_amount(self, value: float) -> str:
        """An amount of ``value`` z as a round figure with its currency: '10 z' (no more
        digits than it has), '16,800,000 toman'."""
        shown = f"{value:g}" if self.currency == "z" else self.amount(value)
        return f"{shown} {self.money}"


ENGLISH = View()
"""The default view: English, amounts in z."""


def read_settings(path: Path = SETTINGS) -> dict:
    """The presentation keys of ``path`` (an empty mapping if there is no such file)."""
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def view_of(lang: str | None = None, currency: str | None = None,
            poverty_line: float | None = None, settings: Path = SETTINGS) -> View:
    """The view the options ask for, each option not given taken from ``settings``; a bad
    language, currency or poverty line is refused with a :class:`ConfigError` naming it."""
    keys = read_settings(settings)
    lang = lang or keys.get("lang") or "en"
    currency = currency or keys.get("currency") or "z"
    line = poverty_line if poverty_line is not None else keys.get("poverty_line")
    if lang not in LANGUAGES:
        raise ConfigError(f"--lang {lang}: the languages are {', '.join(LANGUAGES)} (English "
                          f"or Persian); lang in {settings} sets the default.")
    if currency not in CURRENCIES:
        raise ConfigError(f"--currency {currency}: the currencies are "
                          f"{', '.join(CURRENCIES)}; currency in {settings} sets the default.")
    if currency == "z" and poverty_line is not None:
        raise ConfigError(f"--poverty-line {poverty_line:.10g} converts z into toman or rial, but "
                          f"the currency is z; add --currency toman or --currency rial, or "
                          "leave out --poverty-line; nothing was written.")
    if currency == "z":
        return View(lang, currency)
    if line is None:
        raise ConfigError(f"--currency {currency} needs the poverty line that converts z into "
                          "it: give --poverty-line in toman per person per month (for example "
                          "--poverty-line 1680000), or set poverty_line in "
                          f"{settings}; nothing was written.")
    if not (isinstance(line, int | float) and math.isfinite(line) and line > 0):
        raise ConfigError(f"poverty_line {line!r} in {settings}: give a positive number of "
                          "toman per person per month.")
    return View(lang, currency, float(line))
