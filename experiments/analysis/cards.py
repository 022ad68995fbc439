"""Printable family cards, and the complete HTML page that holds them.

A card shows one family of a roster: its id and any label columns the roster carried, its
size, its consumption, shortfall and assets, its binding constraint with a sentence saying
what lifts it, and (for ``advise``) the recommended package with its expected gain and cost.
On paper the cards sit two abreast, a few to an A4 page, never cut by a page break. Every
word comes from ``card_words``; numbers are rounded there.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import pandas as pd

from experiments.analysis.card_words import words
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
    ".card dt{color:#444}.card dd{margin:0;text-align:right;white-space:nowrap}"
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


def _entry(term: str, value: str) -> str:
    return f"<dt>{html.escape(term)}</dt><dd>{html.escape(value)}</dd>"


def _labels(family: pd.Series, labels: list[str]) -> str:
    shown = [f"{c.removeprefix(LABEL_PREFIX).replace('_', ' ')}: {family[c]}"
             for c in labels if isinstance(family[c], str) and family[c]]
    return f"<p class='labels'>{html.escape('; '.join(shown))}</p>" if shown else ""


def _recommendation(advice: Recommendation) -> str:
    if advice.package == "none":
        return f"<dl class='advice'>{_entry(words('recommendation'), words('no package'))}</dl>"
    interval = _entry(words("interval"), words("interval value", low=advice.low,
                                               high=advice.high, unit=advice.unit)) \
        if math.isfinite(advice.low) and math.isfinite(advice.high) else ""
    return ("<dl class='advice'>"
            + _entry(words("recommendation"), advice.package.replace("_", " "))
            + _entry(words("gain", objective=advice.objective),
                     words("gain value", value=advice.gain, unit=advice.unit)) + interval
            + _entry(words("cost"), words("cost value", value=advice.cost)) + "</dl>")


def _shortfall(share: float) -> str:
    """A family's shortfall from the line in words: '19 % of z', or not below it."""
    if share > 0:
        return words("below the line value", value=100 * share)
    return words("not below the line")


def family_card(family: pd.Series, labels: list[str],
                advice: Recommendation | None = None) -> str:
    """One family's card (HTML) from its row of the families' table (``diagnose.families``)."""
    head = words("female-headed" if family["female_head"] else "male-headed")
    size = words("size", size=family["size"], adults=family["adults"],
                 children=family["children"], elderly=family["elderly"])
    facts = (_entry(words("consumption"), words("consumption value",
                                                value=family["consumption_pc_z"]))
             + _entry(words("below the line"), _shortfall(family["shortfall"]))
             + _entry(words("assets"), words("assets value", value=family["assets_z"]))
             + _entry(words("constraint"), family["constraint_words"]))
    poor = " poor" if family["poor"] else ""
    return (f"<article class='card{poor}'>"
            f"<h3>{html.escape(words('household', household_id=family['household_id']))}</h3>"
            + _labels(family, labels)
            + f"<p>{html.escape(size)}; {html.escape(head)}</p><dl>{facts}</dl>"
            + f"<p class='why'>{html.escape(family['explanation'])}</p>"
            + (_recommendation(advice) if advice is not None else "") + "</article>")


def cards_html(families: pd.DataFrame,
               advice: dict[str, Recommendation] | None = None) -> str:
    """Every family's card, in the roster's order; ``advice`` by household id."""
    labels = label_columns(families)
    return "<div class='cards'>" + "".join(
        family_card(family, labels, (advice or {}).get(family["household_id"]))
        for _, family in families.iterrows()) + "</div>"


def table_html(table: pd.DataFrame) -> str:
    """A table whose cells are already text, scrolling sideways on a narrow screen."""
    return f"<div class='wide'>{table.to_html(index=False, border=0)}</div>"


def section(heading: str, *blocks: str) -> str:
    """A section of the page: a heading and its blocks of HTML."""
    return f"<section><h2>{html.escape(heading)}</h2>" + "".join(blocks) + "</section>"


def paragraph(text: str) -> str:
    """A paragraph of plain text."""
    return f"<p>{html.escape(text)}</p>"


def page(title: str, intro: str, sections: list[str]) -> str:
    """A complete HTML page: ``title`` as its heading, ``intro`` below it, then
    ``sections`` (HTML, see :func:`section`)."""
    return "\n".join([
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>", paragraph(intro), *sections, "</body></html>"])
