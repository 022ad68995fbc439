"""Options that several commands take: output level, workbook, posterior draws, overwriting,
language and money of the pages written."""

from __future__ import annotations

import argparse

from experiments import console
from experiments.analysis.presentation import CURRENCIES, LANGUAGES, View, view_of
from experiments.arguments import positive_float, posterior_choice, xlsx_file
from experiments.uncertainty import NONE, shipped


def output_options() -> argparse.ArgumentParser:
    """``-q`` and ``-v``, which every command takes (``experiments.console``)."""
    p = argparse.ArgumentParser(add_help=False)
    level = p.add_mutually_exclusive_group()
    level.add_argument("-q", "--quiet", dest="verbosity", action="store_const",
                       const=console.QUIET, default=console.NORMAL,
                       help="print errors only: no results, notes or progress bars")
    level.add_argument("-v", "--verbose", dest="verbosity", action="store_const",
                       const=console.VERBOSE,
                       help="say more: in a sweep, a line for every run as it ends")
    return p


def xlsx_option(p: argparse.ArgumentParser, tables: str) -> None:
    """``--xlsx FILE``: the command's tables as an Excel workbook as well."""
    p.add_argument("--xlsx", metavar="FILE", type=xlsx_file,
                   help=f"also write {tables} as an Excel workbook (.xlsx), one sheet per "
                   "table, each column's unit in its header; an existing file is replaced "
                   "only if empowernet wrote it (default: no workbook)")


def posterior_option(p: argparse.ArgumentParser, each: str) -> None:
    """``--posterior``: a draw of the parameters per seed, the same in every ``each``."""
    p.add_argument("--posterior", metavar="PATH|none", type=posterior_choice,
                   default=shipped() or NONE,
                   help="a calibration's folder or its posterior.csv: each seed runs with its "
                   f"own parameter draw from it (the same in every {each}); none: fixed "
                   "parameters (default: the shipped calibration's posterior if there is one, "
                   "else none)")


def overwrite_option(p: argparse.ArgumentParser, what: str) -> None:
    """``--overwrite``: replace ``what``, a file that exists (refused otherwise)."""
    p.add_argument("--overwrite", action="store_true",
                   help=f"replace {what} if it exists (refused otherwise)")


def language_option(p: argparse.ArgumentParser) -> None:
    """``--lang``: English or Persian (the default from ``configs/presentation.yaml``)."""
    p.add_argument("--lang", choices=LANGUAGES,
                   help="language of the pages written: en (English) or fa "
                   "(Persian: right to left, Persian digits, Jalali dates); messages on the "
                   "terminal stay in English (default: lang in configs/presentation.yaml, en)")


def presentation_options(p: argparse.ArgumentParser) -> None:
    """``--lang``, ``--currency`` and ``--poverty-line``: the language and the money of a
    command's pages (``presentation.view_of``)."""
    language_option(p)
    p.add_argument("--currency", choices=CURRENCIES,
                   help="currency of the amounts of money shown: z (the poverty line), toman "
                   "or rial, converted at --poverty-line (default: currency in "
                   "configs/presentation.yaml, z)")
    p.add_argument("--poverty-line", type=positive_float, metavar="TOMAN",
                   help="the poverty line that converts z into toman or rial, e.g. 1680000 "
                   "(toman per person per month) (default: poverty_line in "
                   "configs/presentation.yaml, none: toman and rial then need this option)")


def view_of_options(args: argparse.Namespace) -> View:
    """The view ``presentation_options`` ask for (refused before anything is written)."""
    return view_of(args.lang, args.currency, args.poverty_line)
