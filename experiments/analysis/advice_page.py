"""The page of ``advise`` (``advice.html``): the advice in a paragraph, the binding
constraints no package compared offers, the allocation as a whole, the roster's diagnosis with
a recommendation on each family's card, and the whole advice table, in the words and currency
of a ``presentation.View``: tables headed in words, packages by name, numbers rounded."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from experiments import store
from experiments.analysis import cards
from experiments.analysis.allocation import EQUAL_CASH, package_name
from experiments.analysis.cards import Recommendation
from experiments.analysis.diagnose import Diagnosis, sections, write_tables
from experiments.analysis.document import table_html
from experiments.analysis.labels import MONEY, amounts, count, rounded, significant, unit_name
from experiments.analysis.objectives import Objective
from experiments.analysis.presentation import ENGLISH, View
from experiments.analysis.targets import Untargeted, untargeted_note


def advice_intro(table: pd.DataFrame, summary: pd.DataFrame, measure: Objective,
                 reason: str, months: int, caption: str, view: View = ENGLISH) -> str:
    """The advice in a paragraph of plain text in the words and currency of ``view``, ending
    with what an equal-cost cash arm is if the table has one; ``caption`` says what the
    intervals cover (``statistics.interval_caption``)."""
    row = summary.set_index("measure")
    gain = row.loc["gain of the allocation as delivered"]
    total = measure.total_unit
    said = view.text(
        "card advice intro", households=len(table), months=months, caption=caption,
        objective=measure.meaning(view), unit=unit_name(measure.unit, view),
        budget=view.amount(row.loc["budget", "value"], 0), money=view.money,
        spent=view.amount(row.loc["planned spending", "value"], 1),
        unspent=view.amount(row.loc["unspent", "value"], 1), reason=reason,
        gain=shown_number(gain["value"], total, measure, view),
        low=shown_number(gain["ci_low"], total, measure, view),
        high=shown_number(gain["ci_high"], total, measure, view),
        gain_unit=shown_unit(total, measure, view),
        packages=package_counts(table, view))
    return " ".join(filter(None, (said, equal_cash_note(table, view))))


def package_counts(table: pd.DataFrame, view: View = ENGLISH) -> str:
    """How many households of the advice table each package is allocated to, in words:
    'graduation 5, no package 20'."""
    counts = table["allocated_package"].value_counts()
    return ", ".join(f"{package_name(package, view.lang)} {households}"
                     for package, households in sorted(counts.items()))


def compared(table: pd.DataFrame) -> list[str]:
    """The packages of an advice table (``advise.households_table``), equal-cost cash
    included, in its order."""
    return [column.removeprefix("cost_") for column in table.columns
            if column.startswith("cost_") and column != "cost_allocated"]


def equal_cash_note(table: pd.DataFrame, view: View = ENGLISH) -> str:
    """What an equal-cost cash arm is, in a sentence naming the advice table's first as an
    example; empty if the table has none."""
    arms = [package for package in compared(table) if package.startswith(EQUAL_CASH)]
    if not arms:
        return ""
    return view.text("card equal cash note", example=package_name(arms[0], view.lang))


def recommendations(table: pd.DataFrame, measure: Objective,
                    view: View = ENGLISH) -> dict[str, Recommendation]:
    """Each family's recommendation (by household id) from the advice table: the allocated
    package, its expected gain in the objective with its interval, and its cost."""
    g = measure.gain
    return {row["household_id"]: Recommendation(
        row["allocated_package"], row[f"{g}_allocated"], row[f"{g}_low_allocated"],
        row[f"{g}_high_allocated"], row["cost_allocated"], measure.meaning(view), measure.unit)
        for row in table.to_dict("records")}


def is_money(unit: str, measure: Objective) -> bool:
    """Whether a unit of the allocation table is an amount of money (z, or a gain in money
    summed over households)."""
    return unit == "z" or (unit == measure.total_unit and measure.unit in MONEY)


def shown_unit(unit: str, measure: Objective, view: View) -> str:
    """A unit of the allocation table in the words and currency of ``view``; a gain per
    1,000 z stays in z."""
    return {"z": view.money, "households": unit_name("households", view),
            measure.total_unit: view.text("summed over households",
                                          unit=unit_name(measure.unit, view)),
            measure.per_1000_unit: view.text("per 1,000 z spent",
                                             unit=unit_name(measure.unit, View(view.lang)))
            }[unit]


def shown_number(value: float, unit: str, measure: Objective, view: View) -> str:
    """A value of the allocation table in ``unit``, rounded: an amount of z to a tenth,
    households whole, a gain to three significant digits, money in the view's currency (to
    three significant digits in toman or rial); '–' if undefined."""
    if not math.isfinite(value):
        return "–"
    if unit == "households":
        return count(value)
    if is_money(unit, measure) and view.currency != "z":
        return view.amount(value)
    return view.amount(value, 1) if unit == "z" else significant(value)


def shown_values(summary: pd.DataFrame, measure: Objective, view: View) -> pd.DataFrame:
    """The allocation's values and the bounds of their intervals as text
    (:func:`shown_number`)."""
    return pd.DataFrame({column: [shown_number(value, unit, measure, view) for value, unit
                                  in zip(summary[column], summary["unit"], strict=True)]
                         for column in ("value", "ci_low", "ci_high")}, index=summary.index)


def shown_allocation(summary: pd.DataFrame, measure: Objective, view: View) -> pd.DataFrame:
    """The allocation as a whole as the reader sees it: words for headers, measures and
    units, numbers rounded, money in the view's currency."""
    t, values = view.text, shown_values(summary, measure, view)
    return pd.DataFrame({
        t("measure"): [t(f"allocation {m}") for m in summary["measure"]],
        t("value"): values["value"], t("interval low"): values["ci_low"],
        t("interval high"): values["ci_high"],
        t("unit"): [shown_unit(u, measure, view) for u in summary["unit"]]})


def allocation_lines(summary: pd.DataFrame, measure: Objective,
                     view: View = ENGLISH) -> list[str]:
    """The allocation as a whole as lines of text, one a measure: its value, its interval
    where it has one, and its unit."""
    t, values = view.text, shown_values(summary, measure, view).to_dict("records")
    return [t("allocation line with interval" if math.isfinite(row["ci_low"])
              else "allocation line", measure=t(f"allocation {row['measure']}"),
              value=shown["value"], low=shown["ci_low"], high=shown["ci_high"],
              unit=shown_unit(row["unit"], measure, view))
            for row, shown in zip(summary.to_dict("records"), values, strict=True)]


def shown_advice(table: pd.DataFrame, measure: Objective, view: View) -> pd.DataFrame:
    """The whole advice table as the reader sees it: a header in words for each column,
    packages by name, numbers rounded, money in the view's currency."""
    t, g = view.text, measure.gain
    shown = pd.DataFrame({t("household id"): table["household_id"],
                          t("allocated package"): table["allocated_package"].map(
                              lambda p: package_name(p, view.lang))})
    gain_money = measure.unit in MONEY
    for column in table.columns[2:]:
        kind, package = next((kind, column.removeprefix(f"{field}_"))
                             for field, kind in ((f"{g}_low", "low"), (f"{g}_high", "high"),
                                                 (g, "gain"), ("cost", "cost"))
                             if column.startswith(f"{field}_"))
        name = t("allocated") if package == "allocated" else package_name(package, view.lang)
        header = t(f"column {kind}", package=name, unit=unit_name(measure.unit, view),
                   money=view.money)
        money = kind == "cost" or gain_money
        shown[header] = amounts(table[column], 3, view) if money else rounded(table[column], 3)
    return shown


def untargeted_section(gaps: Sequence[Untargeted], table: pd.DataFrame, view: View) -> list[str]:
    """The section on the binding constraints no package of the advice table offers (none if
    ``gaps`` is empty): a paragraph each (``targets.untargeted_note``)."""
    if not gaps:
        return []
    packages = [p for p in compared(table) if not p.startswith(EQUAL_CASH)]
    return [cards.section(view.text("card untargeted heading"),
                          *(cards.paragraph(untargeted_note(gap, packages, view), view.lang)
                            for gap in gaps), lang=view.lang)]


def advice_page(found: Diagnosis, table: pd.DataFrame, summary: pd.DataFrame,
                measure: Objective, intro: str, gaps: Sequence[Untargeted] = ()) -> str:
    """The advice as a complete HTML page, in the language and currency of the diagnosis:
    the binding constraints no package offers (``gaps``), the allocation as a whole, the
    roster's poverty profile, a card per family with its diagnosis and recommendation, and
    the whole advice table, rounded."""
    view, lang = found.view, found.view.lang
    return cards.page(view.text("card advice title", roster=found.roster.name), intro,
                      [*untargeted_section(gaps, table, view),
                       cards.section(view.text("card allocation heading"),
                                     table_html(shown_allocation(summary, measure, view), lang),
                                     lang=lang),
                       *sections(found, recommendations(table, measure, view)),
                       cards.section(view.text("card advice table heading"),
                                     table_html(shown_advice(table, measure, view), lang),
                                     lang=lang)], lang)


def write_advice_page(found: Diagnosis, table: pd.DataFrame, summary: pd.DataFrame,
                      measure: Objective, intro: str, gaps: Sequence[Untargeted],
                      out: Path) -> None:
    """Write ``advice.html`` (:func:`advice_page`) and the diagnosis's tables
    (``diagnose.write_tables``) into ``out``."""
    write_tables(found, out)
    store.write_text(advice_page(found, table, summary, measure, intro, gaps),
                     out / "advice.html")
