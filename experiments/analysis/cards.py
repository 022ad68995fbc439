"""Printable family cards, and the complete HTML page that holds them.

A card shows one family of a roster: its id and any label columns the roster carried, its
size, its consumption, shortfall and assets, its binding constraint with a sentence saying
what lifts it, and (for ``advise``) the recommended package with its expected gain and cost.
On paper the cards sit two abreast, a few to an A4 page, never cut by a page break. Every
word comes from the translation table (keys ``card ...``), in the language of a
:class:`~experiments.analysis.presentation.View`, money in its currency; a Persian page is
right to left, its numbers in Persian digits, as the report's (``document.head``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from experiments.analysis.allocation import NONE, package_name
from experiments.analysis.document import head, html_text
from experiments.analysis.labels import MONEY, significant, unit_name
from experiments.analysis.presentation import ENGLISH, View
from model.roster_columns import LABEL_PREFIX

STYLE = (
    "body{font-family:'Noto Sans','DejaVu Sans',sans-serif;max-width:1100px;margin:auto;"
    "padding:0 12px;line-height:1.35;color:#111}"
    "table{border-collapse:collapse;font-size:12px}"
    "td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}"
    "th{white-space:normal}td:nth-child(-n+2),th:nth-child(-n+2){text-align:left}"
    ".wide{overflow-x:auto}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:10px}"
    ".card{border:1px solid #888;border-radius:6px;padding:8px 12px;font-size:13px;"
    "page-break-inside:avoid;break-inside:avoid}"
    ".card h3{margin:0 0 4px;font-size:15px}.card .labels{color:#444;margin:0 0 4px}"
    ".card dl{display:grid;grid-template-columns:1fr auto;gap:1px 10px;margin:4px 0}"
    ".card dt{color:#444}.card dd{margin:0;text-align:end;white-space:nowrap}"
    ".card .why{margin:6px 0 0;font-style:italic}"
    ".card .advice{margin-top:6px;border-top:1px dashed #888;padding-top:4px}"
    ".poor h3{color:#8b0000}"
    "@page{size:A4;margin:12mm}"
    "@media print{body{max-width:none;padding:0}.wide{overflow:visible}"
    ".cards{display:block}.card{display:inline-block;vertical-align:top;width:48%;"
    "box-sizing:border-box;margin:0 1% 4mm;page-break-inside:avoid;break-inside:avoid;"
    "font-size:11px}}"
)
"""The page's style: cards in a grid on screen; printed, two abreast, eight or so to an A4
page, none cut by a page break."""


@dataclass(frozen=True)
class Recommendation:
    """What ``advise`` recommends for a family.

    Attributes:
        package: the recommended package ('none' for none).
        gain: expected gain in the advice's welfare objective, in ``unit``.
        low, high: its 95 % interval (NaN if not estimated).
        cost: expected programme cost, z.
        objective: the objective in words; unit: the gain's unit.
    """

    package: str
    gain: float
    low: float
    high: float
    cost: float
    objective: str
    unit: str


def label_columns(families: pd.DataFrame) -> list[str]:
    """The label columns a roster carried into the families' table (``label_<header>``)."""
    return [c for c in families.columns if c.startswith(LABEL_PREFIX)]


def measured(value: float, unit: str, view: View = ENGLISH) -> str:
    """A signed gain in ``unit`` (an objective's), rounded: '+0.123', or an amount of money
    in the view's currency."""
    if unit in MONEY and view.currency != "z":
        return view.amount(value, signed=True)
    return significant(value, trailing_zeros=False, signed=True)


def money_note(view: View = ENGLISH) -> str:
    """A sentence on the money of a page: z, or the currency and the poverty line that
    converts z into it."""
    if view.currency == "z":
        return view.text("card money in z")
    return view.text("card money converted", money=view.money, line=view.amount(1.0))


def _entry(term: str, value: str, lang: str) -> str:
    return f"<dt>{html_text(term, lang)}</dt><dd>{html_text(value, lang)}</dd>"


def _labels(family: pd.Series, labels: list[str], lang: str) -> str:
    shown = [f"{c.removeprefix(LABEL_PREFIX).replace('_', ' ')}: {family[c]}"
             for c in labels if isinstance(family[c], str) and family[c]]
    return f"<p class='labels'>{html_text('; '.join(shown), lang)}</p>" if shown else ""


def _recommendation(advice: Recommendation, view: View) -> str:
    t, lang = view.text, view.lang
    entries = [(t("card recommendation"), package_name(advice.package, lang))]
    if advice.package != NONE:
        unit = unit_name(advice.unit, view)
        entries.append((t("card gain", objective=advice.objective),
                        t("card value", value=measured(advice.gain, advice.unit, view),
                          unit=unit)))
        if math.isfinite(advice.low) and math.isfinite(advice.high):
            entries.append((t("95 % interval"),
                            t("card interval", low=measured(advice.low, advice.unit, view),
                              high=measured(advice.high, advice.unit, view), unit=unit)))
        entries.append((t("card cost"), _money(advice.cost, view)))
    return "<dl class='advice'>" + "".join(_entry(*e, lang) for e in entries) + "</dl>"


def _money(value: float, view: View) -> str:
    """An amount of ``value`` z in the view's currency, to a tenth of a z: '12.3 z'."""
    return view.text("card money", amount=view.amount(value, 1), money=view.money)


def _shortfall(share: float, view: View) -> str:
    """A family's shortfall from the line in words: '19 % of z', or not below it."""
    if share > 0:
        return view.text("card share of z", value=100 * share)
    return view.text("card not below the line")


def family_card(family: pd.Series, labels: list[str], advice: Recommendation | None = None,
                view: View = ENGLISH) -> str:
    """One family's card (HTML) from its row of the families' table (``diagnose.families``),
    in the words and currency of ``view``."""
    t, lang = view.text, view.lang
    who = t("card who", head=t("female-headed" if family["female_head"] else "male-headed"),
            size=t("card size", size=family["size"], adults=family["adults"],
                   children=family["children"], elderly=family["elderly"]))
    facts = (_entry(t("card consumption"),
                    t("card a month", amount=view.amount(family["consumption_pc_z"]),
                      money=view.money), lang)
             + _entry(t("card below the line"), _shortfall(family["shortfall"], view), lang)
             + _entry(t("card assets"), _money(family["assets_z"], view), lang)
             + _entry(t("card constraint"), family["constraint_words"], lang))
    poor = " poor" if family["poor"] else ""
    return (f"<article class='card{poor}'>"
            f"<h3>{html_text(t('card household', household_id=family['household_id']), lang)}</h3>"
            + _labels(family, labels, lang)
            + f"<p>{html_text(who, lang)}</p><dl>{facts}</dl>"
            + f"<p class='why'>{html_text(family['explanation'], lang)}</p>"
            + (_recommendation(advice, view) if advice is not None else "") + "</article>")


def cards_html(families: pd.DataFrame, advice: dict[str, Recommendation] | None = None,
               view: View = ENGLISH) -> str:
    """Every family's card, in the roster's order; ``advice`` by household id."""
    labels = label_columns(families)
    return "<div class='cards'>" + "".join(
        family_card(family, labels, (advice or {}).get(family["household_id"]), view)
        for _, family in families.iterrows()) + "</div>"


def section(heading: str, *blocks: str, lang: str = "en") -> str:
    """A section of the page: a heading and its blocks of HTML."""
    return f"<section><h2>{html_text(heading, lang)}</h2>" + "".join(blocks) + "</section>"


def paragraph(text: str, lang: str = "en") -> str:
    """A paragraph of plain text."""
    return f"<p>{html_text(text, lang)}</p>"


def page(title: str, intro: str, sections: list[str], lang: str = "en") -> str:
    """A complete HTML page in ``lang``: ``title`` as its heading, ``intro`` below it, then
    ``sections`` (HTML, see :func:`section`)."""
    return "\n".join([*head(title, STYLE, lang), f"<h1>{html_text(title, lang)}</h1>",
                      paragraph(intro, lang), *sections, "</body></html>"])
