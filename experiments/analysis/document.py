"""A report as sections of blocks (paragraphs, tables, figures, lists), written once and
rendered both as one self-contained HTML page (figures embedded, a table of contents) and as
Markdown (figures linked)."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:auto;padding:0 12px;"
         "line-height:1.4}table{border-collapse:collapse;font-size:12px}"
         "td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right;"
         "white-space:nowrap}th{white-space:normal}"
         "td:nth-child(-n+2),th:nth-child(-n+2){text-align:left}.wide{overflow-x:auto}"
         "img{max-width:100%}figcaption{font-size:13px;color:#333}"
         "@media print{nav{display:none}h2{break-before:page}}")


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
class Items:
    """A bulleted list."""

    lines: list[str]


Block = Paragraph | Subheading | Table | Figure | Items


@dataclass(frozen=True)
class Section:
    """A titled section of the report; ``anchor`` is its id in the HTML page."""

    title: str
    blocks: list[Block]

    @property
    def anchor(self) -> str:
        return self.title.lower().replace(" ", "-")


def _html_block(block: Block) -> str:
    match block:
        case Paragraph(text):
            return f"<p>{html.escape(text)}</p>"
        case Subheading(text):
            return f"<h3>{html.escape(text)}</h3>"
        case Table(frame):
            return f"<div class='wide'>{frame.to_html(index=False, border=0)}</div>"
        case Figure(caption, png):
            data = base64.b64encode(png.read_bytes()).decode()
            return (f"<figure><img alt='{html.escape(caption)}' src='data:image/png;base64,"
                    f"{data}'><figcaption>{html.escape(caption)}</figcaption></figure>")
        case Items(lines):
            return "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + \
                "</ul>"
    raise TypeError(f"not a block: {block!r}")


def _markdown_block(block: Block) -> str:
    match block:
        case Paragraph(text):
            return text
        case Subheading(text):
            return f"### {text}"
        case Table(frame):
            lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
            return "\n".join(lines + ["| " + " | ".join(map(str, row)) + " |"
                                      for row in frame.itertuples(index=False)])
        case Figure(caption, png):
            return f"![{caption}](figures/{png.name})\n\n*{caption}*"
        case Items(lines):
            return "\n".join(f"- {line}" for line in lines)
    raise TypeError(f"not a block: {block!r}")


def to_html(title: str, intro: str, sections: list[Section]) -> str:
    """The whole report as one HTML page, a table of contents after the introduction."""
    contents = "".join(f"<li><a href='#{s.anchor}'>{html.escape(s.title)}</a></li>"
                       for s in sections)
    page = ["<!doctype html><html lang='en'><head><meta charset='utf-8'>",
            "<meta name='viewport' content='width=device-width, initial-scale=1'>",
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
            f"<h1>{html.escape(title)}</h1><p>{html.escape(intro)}</p>",
            f"<nav><b>Contents</b><ol>{contents}</ol></nav>"]
    for section in sections:
        page.append(f"<section id='{section.anchor}'><h2>{html.escape(section.title)}</h2>")
        page += [_html_block(b) for b in section.blocks]
        page.append("</section>")
    page.append("</body></html>")
    return "\n".join(page)


def to_markdown(title: str, intro: str, sections: list[Section]) -> str:
    """The whole report as Markdown, figures linked from ``figures/``."""
    out = [f"# {title}", "", intro, "", "Contents: " + ", ".join(
        f"[{s.title}](#{s.anchor})" for s in sections)]
    for section in sections:
        out += ["", f"## {section.title}"]
        for block in section.blocks:
            out += ["", _markdown_block(block)]
    return "\n".join(out) + "\n"
