"""A report as sections of blocks (paragraphs, tables, figures, lists), written once and
rendered both as one self-contained HTML page (figures embedded, a table of contents) and as
Markdown (figures linked), in English or right to left in Persian (numbers in Persian digits:
``labels.numerals``; identifiers such as hashes and versions as they are)."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from experiments.analysis.labels import numerals
from experiments.analysis.translations import RIGHT_TO_LEFT, text

STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:auto;padding:0 12px;"
         "line-height:1.4}table{border-collapse:collapse;font-size:12px}"
         "td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right;"
         "white-space:nowrap}th{white-space:normal}"
         "td:nth-child(-n+2),th:nth-child(-n+2){text-align:left}.wide{overflow-x:auto;margin-bottom:12px}"
         ".parts{white-space:normal}.whole{white-space:nowrap}"
         "img{max-width:100%}figcaption{font-size:13px;color:#333}"
         "@media print{nav{display:none}h2{break-before:page}}")
RIGHT_TO_LEFT_STYLE = ("body{font-family:Vazirmatn,'Noto Naskh Arabic','Noto Sans Arabic',"
                       "Tahoma,sans-serif}td,th{text-align:left}"
                       "td:nth-child(-n+2),th:nth-child(-n+2){text-align:right}"
                       "ol{list-style-type:persian}code{direction:ltr;unicode-bidi:isolate}")
"""Added for a right-to-left language: a font stack that renders Persian, the first two
(text) columns aligned right and the numbers left, numbered lists in Persian digits,
identifiers kept left to right."""


@dataclass(frozen=True)
class Paragraph:
    """Plain text."""

    text: str


@dataclass(frozen=True)
class Subheading:
    """A heading inside a section."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table whose cells are already text (rounded, with units)."""

    frame: pd.DataFrame


@dataclass(frozen=True)
class Figure:
    """A PNG figure with its caption."""

    caption: str
    png: Path


@dataclass(frozen=True)
class Literal:
    """A label and an identifier shown as it is (a code revision, a hash, a version), never
    translated nor written in another script."""

    label: str
    literal: str


@dataclass(frozen=True)
class Items:
    """A bulleted list."""

    lines: list[str | Literal]


Block = Paragraph | Subheading | Table | Figure | Items


@dataclass(frozen=True)
class Section:
    """A titled section of the report; ``key`` is its English title, whatever the language."""

    title: str
    blocks: list[Block]
    key: str = ""

    @property
    def anchor(self) -> str:
        """The section's id in the HTML page, made from ``key`` (the same in every language)
        or else the title."""
        return (self.key or self.title).lower().replace(" ", "-")


def html_text(text: str, lang: str) -> str:
    """Text for an HTML page: numbers written for ``lang``, escaped."""
    return html.escape(numerals(text, lang))


def cell_html(cell: str, lang: str) -> str:
    """A table cell (``html_text``) that a line may break only before an interval:
    '-0.3 [-0.5, -0.1] pp' keeps the effect and its interval whole, on one line or two;
    other cells are never broken."""
    first, *intervals = cell.split(" [")
    if not intervals:
        return html_text(cell, lang)
    parts = " ".join(f"<span class='whole'>{html_text(part, lang)}</span>"
                     for part in [first, *("[" + rest for rest in intervals)])
    return f"<span class='parts'>{parts}</span>"


def table_html(frame: pd.DataFrame, lang: str) -> str:
    """A table whose cells are already text, numbers written for ``lang``, an effect and its
    interval on two lines where the table would not fit (:func:`cell_html`), scrolling
    sideways on a narrow screen."""
    shown = frame.rename(columns=lambda c: html_text(str(c), lang)).map(
        lambda v: cell_html(str(v), lang))
    return f"<div class='wide'>{shown.to_html(index=False, border=0, escape=False)}</div>"


def head(title: str, style: str, lang: str) -> list[str]:
    """The lines that open an HTML page in ``lang`` up to its ``<body>``: right to left for a
    right-to-left language, in a font that renders it (``RIGHT_TO_LEFT_STYLE`` after
    ``style``)."""
    rtl = lang in RIGHT_TO_LEFT
    direction = " dir='rtl'" if rtl else ""
    style += RIGHT_TO_LEFT_STYLE if rtl else ""
    return [f"<!doctype html><html lang='{lang}'{direction}><head><meta charset='utf-8'>",
            "<meta name='viewport' content='width=device-width, initial-scale=1'>",
            f"<title>{html_text(title, lang)}</title><style>{style}</style></head><body>"]


def _html_line(line: str | Literal, lang: str) -> str:
    if isinstance(line, Literal):
        return f"{html_text(line.label, lang)}: <code>{html.escape(line.literal)}</code>"
    return html_text(line, lang)


def _html_block(block: Block, lang: str) -> str:
    match block:
        case Paragraph(text):
            return f"<p>{html_text(text, lang)}</p>"
        case Subheading(text):
            return f"<h3>{html_text(text, lang)}</h3>"
        case Table(frame):
            return table_html(frame, lang)
        case Figure(caption, png):
            data = base64.b64encode(png.read_bytes()).decode()
            caption = html_text(caption, lang)
            return (f"<figure><img alt='{caption}' src='data:image/png;base64,"
                    f"{data}'><figcaption>{caption}</figcaption></figure>")
        case Items(lines):
            return "<ul>" + "".join(f"<li>{_html_line(line, lang)}</li>" for line in lines) + \
                "</ul>"
    raise TypeError(f"not a block: {block!r}")


def _markdown_line(line: str | Literal, lang: str) -> str:
    if isinstance(line, Literal):
        return f"{numerals(line.label, lang)}: `{line.literal}`"
    return numerals(line, lang)


def _markdown_block(block: Block, lang: str) -> str:
    match block:
        case Paragraph(text):
            return numerals(text, lang)
        case Subheading(text):
            return f"### {numerals(text, lang)}"
        case Table(frame):
            header = [numerals(str(c), lang) for c in frame.columns]
            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(frame.columns)]
            return "\n".join(lines + ["| " + " | ".join(numerals(str(v), lang) for v in row)
                                      + " |" for row in frame.itertuples(index=False)])
        case Figure(caption, png):
            caption = numerals(caption, lang)
            return f"![{caption}](figures/{png.name})\n\n*{caption}*"
        case Items(lines):
            return "\n".join(f"- {_markdown_line(line, lang)}" for line in lines)
    raise TypeError(f"not a block: {block!r}")


def to_html(title: str, intro: str, sections: list[Section], lang: str = "en",
            answer: str = "") -> str:
    """The whole report as one HTML page: the ``answer`` (if any) in bold under the title,
    the introduction, a table of contents, the sections; right to left for a right-to-left
    ``lang``."""
    contents = "".join(f"<li><a href='#{s.anchor}'>{html_text(s.title, lang)}</a></li>"
                       for s in sections)
    lead = f"<p class='answer'><b>{html_text(answer, lang)}</b></p>" if answer else ""
    page = [*head(title, STYLE, lang),
            f"<h1>{html_text(title, lang)}</h1>{lead}<p>{html_text(intro, lang)}</p>",
            f"<nav><b>{html.escape(text('Contents', lang))}</b><ol>{contents}</ol></nav>"]
    for section in sections:
        page.append(f"<section id='{section.anchor}'><h2>{html_text(section.title, lang)}"
                    "</h2>")
        page += [_html_block(b, lang) for b in section.blocks]
        page.append("</section>")
    page.append("</body></html>")
    return "\n".join(page)


def to_markdown(title: str, intro: str, sections: list[Section], lang: str = "en",
               answer: str = "") -> str:
    """The whole report as Markdown, the ``answer`` (if any) in bold under the title, figures
    linked from ``figures/``; inside a right-to-left block for a right-to-left ``lang``."""
    lead = ["", f"**{numerals(answer, lang)}**"] if answer else []
    out = [f"# {numerals(title, lang)}", *lead, "", numerals(intro, lang), "",
           numerals(text("Contents", lang) + ": " + ", ".join(
               f"[{s.title}](#{s.anchor})" for s in sections), lang)]
    for section in sections:
        out += ["", f"## {numerals(section.title, lang)}"]
        for block in section.blocks:
            out += ["", _markdown_block(block, lang)]
    if lang in RIGHT_TO_LEFT:
        out = [f"<div dir='rtl' lang='{lang}'>", "", *out, "", "</div>"]
    return "\n".join(out) + "\n"
