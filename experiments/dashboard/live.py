"""The live model page: a small ``EmpowermentModel`` stepped in the browser.

``LiveModel`` takes the page's inputs as keywords (SolaraViz rebuilds the model from them on
Reset); the components draw the headline curves (Mesa's own Altair plot component over the
model's DataCollector), a fixed sample of households and a small sample of the network.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import networkx as nx
import numpy as np
import pandas as pd
import solara
from mesa.visualization import make_plot_component
from mesa.visualization.utils import update_counter

from agents.simulation import EmpowermentModel
from experiments.config import CONFIG_DIR
from model.params import describe

SCENARIOS = sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))
"""The scenarios of the library, offered on the page."""

DEFAULT_HOUSEHOLDS = 2000
"""Households of a live model: few enough that a month takes milliseconds."""

SAMPLE_HOUSEHOLDS = 300
"""Households drawn in the household chart."""

SAMPLE_NETWORK = 60
"""Households drawn in the network chart."""

SLIDERS = {  # keyword of LiveModel: (config key, minimum, maximum, step)
    "households": ("population.households", 500, 10000, 500),
    "months": ("months", 12, 120, 12),
    "p_shock": ("shocks.p_shock", 0.0, 0.05, 0.001),
    "aspiration_adapt": ("behaviour.aspiration_adapt", 0.0, 0.2, 0.01),
}
"""The parameters the page offers as sliders, each bound to one config key."""

OUTCOME_CURVES = {"headcount": "share of households below z",
                  "consumption_pc_mean": "z/person-month", "assets_mean": "z"}
"""The DataCollector columns drawn as curves, each with its unit."""

STATUS_COLOURS = {"supported": "#ff7f0e", "enrolled": "#1f77b4", "graduated": "#2ca02c",
                  "left": "#c7c7c7"}
"""One colour per household status (as in the report's network figure)."""


class LiveModel(EmpowermentModel):
    """``EmpowermentModel`` with the page's inputs as keywords (a scenario of the library by
    name as ``policy``; Mesa's SolaraViz reserves ``scenario`` for its own Scenario object)."""

    def __init__(self, policy: str = "baseline", households: int = DEFAULT_HOUSEHOLDS,
                 months: int = 120, p_shock: float | None = None,
                 aspiration_adapt: float | None = None, rng: int | None = 0) -> None:
        overrides = {key: value for key, value in (("shocks.p_shock", p_shock),
                     ("behaviour.aspiration_adapt", aspiration_adapt)) if value is not None}
        super().__init__(scenario=policy, households=households, months=months,
                         overrides=overrides, rng=rng)


def model_params() -> dict[str, Any]:
    """SolaraViz's ``model_params``: the scenario menu, a seed and one slider per entry of
    :data:`SLIDERS`, each labelled with its unit and starting at the model's default."""
    rows = {row["key"]: row for row in describe()}
    params: dict[str, Any] = {
        "policy": {"type": "Select", "value": "baseline", "values": SCENARIOS,
                   "label": "scenario"},
        "rng": {"type": "SliderInt", "value": 0, "min": 0, "max": 99, "step": 1,
                "label": "seed"},
    }
    for name, (key, low, high, step) in SLIDERS.items():
        default = DEFAULT_HOUSEHOLDS if name == "households" else rows[key]["default"]
        kind = "SliderFloat" if isinstance(step, float) else "SliderInt"
        params[name] = {"type": kind, "value": default, "min": low, "max": high, "step": step,
                        "label": f"{key} ({rows[key]['unit']})"}
    return params


def outcome_curve(outcome: str) -> tuple[Any, int]:
    """Mesa's Altair plot component for one headline column, months on x, unit on y."""
    def titled(chart: alt.Chart) -> alt.Chart:
        return chart.encode(x=alt.X("Step:Q", title="month"),
                            y=alt.Y("Value:Q", title=f"{outcome} ({OUTCOME_CURVES[outcome]})",
                                    scale=alt.Scale(zero=False)),
                            color=alt.Color("Measure:N", legend=None)).properties(
            width=300, height=200, title=outcome)

    return make_plot_component(outcome, post_process=titled, backend="altair")


def household_sample(model: EmpowermentModel) -> pd.DataFrame:
    """Per-capita consumption, assets and status of a fixed, evenly spread set of rows."""
    rows = np.linspace(0, model.state.n - 1, min(SAMPLE_HOUSEHOLDS, model.state.n)).astype(int)
    frame = model.household_frame().iloc[rows]
    return pd.DataFrame({"consumption per person (z)": frame["consumption"] / frame["size"],
                         "assets (z)": frame["assets"], "status": frame["status"].astype(str),
                         "binding constraint": frame["binding_constraint"].astype(str)})


@solara.component
def Households(model: EmpowermentModel) -> None:
    """A scatter of the household sample, the poverty line z and the asset threshold k*."""
    update_counter.get()
    sample = household_sample(model)
    colour = alt.Color("status:N", scale=alt.Scale(domain=list(STATUS_COLOURS),
                                                   range=list(STATUS_COLOURS.values())))
    points = alt.Chart(sample).mark_circle(size=25, opacity=0.7).encode(
        x=alt.X("assets (z):Q", scale=alt.Scale(type="symlog")),
        y=alt.Y("consumption per person (z):Q", scale=alt.Scale(type="symlog")),
        color=colour, tooltip=list(sample.columns))
    lines = pd.DataFrame({"value": [1.0], "label": ["poverty line z"]})
    k_star = pd.DataFrame({"value": [model.asset_threshold]})
    chart = (points + alt.Chart(lines).mark_rule(strokeDash=[4, 4]).encode(
        y=alt.Y("value:Q", title="consumption per person (z)"))
        + alt.Chart(k_star).mark_rule(color="#d62728").encode(
            x=alt.X("value:Q", title="assets (z)")))
    solara.FigureAltair(chart.properties(
        width=300, height=220,
        title=f"{len(sample)} households at month {model.month} (red: k*, dashed: z)"))


def network_sample(model: EmpowermentModel) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes (x, y, status) and edges (x, y, x2, y2) of the social ties among the first
    rows (neighbours on the small world's ring, so their ties show), laid out by a seeded
    spring layout."""
    rows = np.arange(min(SAMPLE_NETWORK, model.state.n))
    graph = model.social_network(rows)
    pos = nx.spring_layout(graph, seed=1)
    status = model.household_frame()["status"].astype(str)
    nodes = pd.DataFrame([{"household": n, "x": x, "y": y, "status": status.iloc[n]}
                          for n, (x, y) in pos.items()])
    edges = pd.DataFrame([{"x": pos[a][0], "y": pos[a][1], "x2": pos[b][0], "y2": pos[b][1]}
                          for a, b in graph.edges()], columns=["x", "y", "x2", "y2"])
    return nodes, edges


@solara.component
def Network(model: EmpowermentModel) -> None:
    """The social ties among a sample of households, coloured by status."""
    update_counter.get()
    nodes, edges = network_sample(model)
    bare = alt.Axis(title=None, labels=False, ticks=False, grid=False)
    ties = alt.Chart(edges).mark_rule(color="#bbbbbb").encode(
        x=alt.X("x:Q", axis=bare), y=alt.Y("y:Q", axis=bare), x2="x2:Q", y2="y2:Q")
    colour = alt.Color("status:N", scale=alt.Scale(domain=list(STATUS_COLOURS),
                                                   range=list(STATUS_COLOURS.values())))
    people = alt.Chart(nodes).mark_circle(size=60).encode(
        x="x:Q", y="y:Q", color=colour, tooltip=["household", "status"])
    solara.FigureAltair((ties + people).properties(
        width=300, height=220, title=f"Social ties among {len(nodes)} households"))


def components() -> list[tuple[Any, int]]:
    """The live page's components (page 0 of SolaraViz)."""
    return [*(outcome_curve(outcome) for outcome in OUTCOME_CURVES), (Households, 0),
            (Network, 0)]
