"""The live model page: a small ``EmpowermentModel`` stepped in the browser.

``LiveModel`` takes the page's inputs as keywords (Reset rebuilds the model from them,
``frame.Controller``); the components draw a fixed sample of households, a small sample of the
network and the headline curves (Mesa's own Altair plot component over the model's
DataCollector), each labelled in the dashboard's language (``translations``; numbers in its
digits, ``numerals``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import altair as alt
import networkx as nx
import numpy as np
import pandas as pd
import solara
from mesa.visualization import make_plot_component
from mesa.visualization.utils import update_counter

from agents.simulation import EmpowermentModel
from experiments.analysis.labels import (
    constraint_name,
    numerals,
    outcome_name,
    scenario_name,
    status_name,
)
from experiments.analysis.plots import STATUS_COLOURS
from experiments.analysis.subgroups import constraint_of
from experiments.analysis.translations import RIGHT_TO_LEFT, text
from experiments.config import CONFIG_DIR
from model.params import BASELINE, describe, setting_field
from model.state import PENDING

SCENARIOS = sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))
"""The scenarios of the library, offered on the page."""

DEFAULT_HOUSEHOLDS = 2000
"""Households of a live model: few enough that a month takes milliseconds."""

SAMPLE_HOUSEHOLDS = 300
"""Households drawn in the household chart."""

SAMPLE_NETWORK = 60
"""Households drawn in the network chart."""

CHART_HEIGHT = 260
"""Height (px) of every chart of the live page; each is as wide as its tile."""

SLIDERS = {  # keyword of LiveModel: (config key, minimum, maximum, step)
    "households": ("population.households", 500, 10000, 500),
    "months": ("months", 12, 360, 12),
    "p_shock": ("shocks.p_shock", 0.0, 0.05, 0.001),
    "aspiration_adapt": ("behaviour.aspiration_adapt", 0.0, 0.2, 0.01),
}
"""The parameters the page offers as sliders, each bound to one config key, over the values
worth dragging to: the horizon over 30 years in steps of a year (docs/dashboard.md says
why)."""
TYPED = {"months"}
"""The sliders with a number field below them that takes any whole number the model accepts
for the key (:func:`accepted`), beyond the slider's ends too."""

OUTCOME_CURVES = {"headcount": "share of households below z",
                  "consumption_pc_mean": "z/person-month", "assets_mean": "z"}
"""The DataCollector columns drawn as curves, each with its unit (a key of the translation
table)."""

PERSIAN_LABELS = "replace(" * 12 + "datum.label" + "".join(
    f", '{d}', '{p}')" for d, p in zip("0123456789.,", "۰۱۲۳۴۵۶۷۸۹٫٬", strict=True))
"""A Vega expression writing an axis label in Persian digits and separators (as
``labels.numerals`` does)."""


RIGHT_TO_LEFT_MARK = "\u200f"


def chart_text(shown: str, lang: str) -> str:
    """A chart's title in ``lang``: its numbers written for it and, in a right-to-left
    language, marked right to left at both ends (charts draw text left to right)."""
    shown = numerals(shown, lang)
    return f"{RIGHT_TO_LEFT_MARK}{shown}{RIGHT_TO_LEFT_MARK}" if lang in RIGHT_TO_LEFT \
        else shown


def axis(title: str, lang: str, **options: Any) -> alt.Axis:
    """A chart axis titled ``title`` (:func:`chart_text`), its labels in the digits of
    ``lang``."""
    if lang != "en":
        options["labelExpr"] = PERSIAN_LABELS
    return alt.Axis(title=chart_text(title, lang), **options)


def chart_menu(lang: str) -> dict[str, Any]:
    """Vega-Embed's options for a chart's menu (⋯): saving it as PNG or SVG, named in
    ``lang``; its source and the online editor left out."""
    return {"actions": {"export": True, "source": False, "compiled": False, "editor": False},
            "i18n": {"PNG_ACTION": text("save as PNG", lang),
                     "SVG_ACTION": text("save as SVG", lang)}}


def framed(chart: alt.TopLevelMixin, title: str, lang: str,
           height: int = CHART_HEIGHT) -> alt.TopLevelMixin:
    """``chart`` as wide as its tile and ``height`` px tall, titled ``title``
    (:func:`chart_text`), with its menu in ``lang``."""
    return chart.properties(width="container", height=height, title=chart_text(title, lang),
                            usermeta={"embedOptions": chart_menu(lang)})


def hover(frame: pd.DataFrame, shown: Mapping[str, Iterable[Any]],
          lang: str) -> tuple[pd.DataFrame, list[alt.Tooltip]]:
    """``frame`` with a column of text per entry of ``shown`` (a title in ``lang``: its
    values, numbers rounded to two decimals), and the tooltip that shows them under their
    titles; numbers written for ``lang``."""
    columns = {f"hover {i}": [numerals(v if isinstance(v, str) else f"{v:.2f}", lang)
                              for v in values] for i, values in enumerate(shown.values())}
    tips = [alt.Tooltip(f"hover {i}:N", title=numerals(title, lang))
            for i, title in enumerate(shown)]
    return frame.assign(**columns), tips


LOG_TICKS = [0, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
"""Ticks of the household chart's symmetric-log axes (z), spaced so their labels never
overlap (those outside the data are not drawn)."""

HOUSEHOLD_STATUS_COLOURS = {status: STATUS_COLOURS[status]
                            for status in ("supported", "enrolled", "graduated", "left")}
"""One colour per household status, those of the report's network figure."""


def choices(names: Mapping[Any, str]) -> list[dict[str, Any]]:
    """A menu's items: each value shown by its name, the value itself what is chosen
    (Vuetify's ``text`` and ``value`` of a Select's items)."""
    return [{"text": name, "value": value} for value, name in names.items()]


def scenario_choices(scenarios: Iterable[str], lang: str = "en") -> list[dict[str, Any]]:
    """A menu of scenarios by their names in words in ``lang`` (``labels.scenario_name``),
    each chosen by its id."""
    return choices({s: scenario_name(s, lang) for s in scenarios})


class LiveModel(EmpowermentModel):
    """``EmpowermentModel`` with the page's inputs as keywords (a scenario of the library by
    name as ``policy``; Mesa's SolaraViz reserves ``scenario`` for its own Scenario object)."""

    def __init__(self, policy: str = BASELINE, households: int = DEFAULT_HOUSEHOLDS,
                 months: int = 120, p_shock: float | None = None,
                 aspiration_adapt: float | None = None, rng: int | None = 0) -> None:
        overrides = {key: value for key, value in (("shocks.p_shock", p_shock),
                     ("behaviour.aspiration_adapt", aspiration_adapt)) if value is not None}
        super().__init__(scenario=policy, households=households, months=months,
                         overrides=overrides, rng=rng)
        self.household_rows = entered_rows(self, SAMPLE_HOUSEHOLDS)
        """The rows the household chart draws at every month (:func:`household_sample`)."""


def entered_rows(model: EmpowermentModel, households: int) -> np.ndarray:
    """Up to ``households`` rows evenly spread over the households that have entered the
    model (those still ``pending`` have no values to draw yet), ascending."""
    entered = np.flatnonzero(model.state.field("status") != PENDING)
    return entered[np.linspace(0, len(entered) - 1, min(households, len(entered))).astype(int)]


def accepted(key: str) -> tuple[int, int]:
    """The lowest and highest value the model accepts for the config key ``key`` (its range
    in ``model/params.py``)."""
    limits = setting_field(key).metadata
    return limits["lo"], limits["hi"]


def model_params(lang: str = "en") -> dict[str, Any]:
    """SolaraViz's ``model_params``: the scenario menu, a seed and one slider per entry of
    :data:`SLIDERS`, each labelled (in ``lang``) with its config key or unit, starting at the
    model's default, and ``typed`` (the range of a number field below it, else None) if it
    is in :data:`TYPED`."""
    rows = {row["key"]: row for row in describe()}
    params: dict[str, Any] = {
        "policy": {"type": "Select", "value": BASELINE,
                   "values": scenario_choices(SCENARIOS, lang),
                   "label": text("scenario", lang)},
        "rng": {"type": "SliderInt", "value": 0, "min": 0, "max": 99, "step": 1,
                "label": text("seed", lang)},
    }
    for name, (key, low, high, step) in SLIDERS.items():
        default = DEFAULT_HOUSEHOLDS if name == "households" else rows[key]["default"]
        kind = "SliderFloat" if isinstance(step, float) else "SliderInt"
        params[name] = {"type": kind, "value": default, "min": low, "max": high, "step": step,
                        "typed": accepted(key) if name in TYPED else None,
                        "label": text(f"slider {name}", lang, setting=key,
                                      unit=rows[key]["unit"])}
    return params


def month_axis(lang: str = "en") -> alt.Axis:
    """The months of an outcome curve: whole months only, as a model steps."""
    return axis(text("month", lang), lang, tickMinStep=1, format="d")


def outcome_curve(outcome: str, lang: str = "en") -> Callable[[EmpowermentModel], Any]:
    """Mesa's Altair plot component for one headline column, months on x, unit on y, as
    wide as its tile."""
    name = outcome_name(outcome, lang)
    unit = text(f"curve unit {OUTCOME_CURVES[outcome]}", lang)

    def titled(chart: alt.Chart) -> alt.Chart:
        chart = chart.encode(x=alt.X("Step:Q", axis=month_axis(lang)),
                             y=alt.Y("Value:Q", axis=axis(f"{name} ({unit})", lang),
                                     scale=alt.Scale(zero=False)),
                             color=alt.Color("Measure:N", legend=None))
        return framed(chart, name, lang)

    plot, _page = make_plot_component(outcome, post_process=titled, backend="altair")
    return plot


def household_sample(model: LiveModel) -> pd.DataFrame:
    """Per-capita consumption, assets, status and binding constraint ('not poor' for the
    others) of the model's fixed rows, those of the households there at its start (the live
    model diagnoses every month)."""
    frame = model.household_frame().iloc[model.household_rows]
    diagnosed = constraint_of(frame)  # None: no household of the sample is poor
    return pd.DataFrame({"consumption per person (z)": frame["consumption"] / frame["size"],
                         "assets (z)": frame["assets"], "status": frame["status"].astype(str),
                         "binding constraint": "not poor" if diagnosed is None else diagnosed})


def status_colours(lang: str) -> alt.Color:
    """The status encoding: one colour per status, named in ``lang``."""
    return alt.Color("status:N", title=chart_text(text("status", lang), lang), scale=alt.Scale(
        domain=[status_name(s, lang) for s in HOUSEHOLD_STATUS_COLOURS],
        range=list(HOUSEHOLD_STATUS_COLOURS.values())))


def households_chart(sample: pd.DataFrame, k_star: float, month: int,
                     lang: str = "en") -> alt.LayerChart:
    """The household sample against the poverty line z and the asset threshold k*."""
    statuses = sample["status"].map(lambda s: status_name(s, lang))
    assets, consumption = text("assets (z)", lang), text("consumption per person (z)", lang)
    shown, tips = hover(sample.assign(status=statuses), {
        assets: sample["assets (z)"], consumption: sample["consumption per person (z)"],
        text("status", lang): statuses,
        text("diagnosed constraint", lang): [constraint_name(c, lang)
                                             for c in sample["binding constraint"]],
    }, lang)
    points = alt.Chart(shown).mark_circle(size=25, opacity=0.7).encode(
        x=alt.X("assets (z):Q", scale=alt.Scale(type="symlog"),
                axis=axis(assets, lang, values=LOG_TICKS, format="~r")),
        y=alt.Y("consumption per person (z):Q", scale=alt.Scale(type="symlog"),
                axis=axis(consumption, lang, values=LOG_TICKS, format="~r")),
        color=status_colours(lang), tooltip=tips)
    lines = pd.DataFrame({"value": [1.0], "label": ["poverty line z"]})
    threshold = pd.DataFrame({"value": [k_star]})
    chart = (points + alt.Chart(lines).mark_rule(strokeDash=[4, 4]).encode(
        y=alt.Y("value:Q", axis=axis(consumption, lang)))
        + alt.Chart(threshold).mark_rule(color="#d62728").encode(
            x=alt.X("value:Q", axis=axis(assets, lang))))
    return framed(chart, text("households chart title", lang, households=len(sample),
                              month=month), lang)


@solara.component
def Households(model: EmpowermentModel, lang: str = "en") -> None:
    """A scatter of the household sample, the poverty line z and the asset threshold k*."""
    update_counter.get()
    solara.FigureAltair(households_chart(household_sample(model), model.asset_threshold,
                                         model.month, lang))


def network_sample(model: EmpowermentModel) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes (x, y, status) and edges (x, y, x2, y2) of the social ties among a sample of
    client households joined by their ties (``EmpowermentModel.sample_rows``), laid out by a
    seeded spring layout."""
    rows = model.sample_rows(SAMPLE_NETWORK)
    graph = model.social_network(rows)
    pos = nx.spring_layout(graph, seed=1)
    status = model.household_frame()["status"].astype(str)
    nodes = pd.DataFrame([{"household": n, "x": x, "y": y, "status": status.iloc[n]}
                          for n, (x, y) in pos.items()])
    edges = pd.DataFrame([{"x": pos[a][0], "y": pos[a][1], "x2": pos[b][0], "y2": pos[b][1]}
                          for a, b in graph.edges()], columns=["x", "y", "x2", "y2"])
    return nodes, edges


@solara.component
def Network(model: EmpowermentModel, lang: str = "en") -> None:
    """The social ties among a sample of households, coloured by status."""
    update_counter.get()
    nodes, edges = network_sample(model)
    nodes["status"] = nodes["status"].map(lambda s: status_name(s, lang))
    bare = alt.Axis(title=None, labels=False, ticks=False, grid=False)
    ties = alt.Chart(edges).mark_rule(color="#bbbbbb").encode(
        x=alt.X("x:Q", axis=bare), y=alt.Y("y:Q", axis=bare), x2="x2:Q", y2="y2:Q")
    nodes, tips = hover(nodes, {text("household", lang): nodes["household"].map(str),
                                text("status", lang): nodes["status"]}, lang)
    people = alt.Chart(nodes).mark_circle(size=60).encode(
        x="x:Q", y="y:Q", color=status_colours(lang), tooltip=tips)
    solara.FigureAltair(framed(ties + people, text("network chart title", lang,
                                                   households=len(nodes)), lang))


def components(lang: str = "en") -> list[Callable[[EmpowermentModel], Any]]:
    """The live page's components, labelled in ``lang``: the household sample and the
    network first, then the outcome curves."""
    return [lambda model: Households(model, lang), lambda model: Network(model, lang),
            *(outcome_curve(outcome, lang) for outcome in OUTCOME_CURVES)]
