"""Figures for analysts: functions that take tables (never models) and return a Figure.

Every figure has labelled axes with units and a legend; ``save`` writes PNG and SVG.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from experiments.analysis.outcomes import LOWER_IS_BETTER, unit
from model.state import NOT_CLIENTS

STATUS_COLOURS = {"supported": "tab:orange", "enrolled": "tab:blue", "graduated": "tab:green",
                  "left": "lightgrey", "mentor": "tab:purple", "institution": "black"}


def save(fig: plt.Figure, path: Path, dpi: int = 110) -> list[Path]:
    """Write ``path`` as .png and .svg (PNG at ``dpi``); returns both paths."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = [path.with_suffix(".png"), path.with_suffix(".svg")]
    for target in out:
        fig.savefig(target, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return out


def outcome_over_time(table: pd.DataFrame, outcome: str) -> plt.Figure:
    """Median over seeds and 90 % band of ``outcome`` per scenario (collected table)."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, runs in table.groupby("scenario"):
        by_month = runs.groupby("month")[outcome]
        median = by_month.median()
        ax.plot(median.index, median.to_numpy(), label=name)
        ax.fill_between(median.index, by_month.quantile(0.05).to_numpy(),
                        by_month.quantile(0.95).to_numpy(), alpha=0.2)
    ax.set(xlabel="month", ylabel=f"{outcome} ({unit(outcome)})",
           title=f"{outcome}: median over seeds, 90 % band")
    ax.legend(fontsize=8)
    return fig


def effect_over_time(effects: pd.DataFrame, outcome: str) -> plt.Figure:
    """Paired effect on ``outcome`` by month with its 95 % interval, per scenario."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, rows in effects[effects["outcome"] == outcome].groupby("scenario"):
        rows = rows.sort_values("month")
        ax.plot(rows["month"], rows["effect"], label=name)
        ax.fill_between(rows["month"], rows["ci_low"], rows["ci_high"], alpha=0.2)
    ax.axhline(0, color="k", lw=0.8)
    ax.set(xlabel="month", ylabel=f"effect on {outcome} ({unit(outcome)})",
           title=f"Effect on {outcome} against the baseline, 95 % interval")
    ax.legend(fontsize=8)
    return fig


def asset_map(households: pd.DataFrame, k_star: float, months: int = 12) -> plt.Figure:
    """Binned assets ``months`` later against assets at month 0, with the 45° line and k*.

    ``households`` needs columns ``month``, ``row``, ``assets``, ``status`` (snapshots).
    """
    clients = ~households["status"].isin(NOT_CLIENTS)
    start = households[(households["month"] == 0) & clients].set_index("row")["assets"]
    later = households[(households["month"] == months) & clients].set_index("row")["assets"]
    both = pd.DataFrame({"k0": start, "k1": later}).dropna()
    edges = np.geomspace(max(both["k0"].min(), 0.5), both["k0"].max(), 30)
    bins = pd.cut(both["k0"], edges)
    binned = both.groupby(bins, observed=True).agg(k0=("k0", "median"), k1=("k1", "mean"),
                                                   n=("k0", "size"))
    binned = binned[binned["n"] >= 10]
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.plot(binned["k0"], binned["k1"], "o-", label=f"mean assets at month {months}")
    line = np.array([edges[0], edges[-1]])
    ax.plot(line, line, "k--", lw=1, label="45° line")
    ax.axvline(k_star, color="tab:red", lw=1, label=f"k* = {k_star:g} z")
    ax.set(xscale="log", yscale="log", xlabel="assets at month 0 (z)",
           ylabel=f"assets at month {months} (z)", title="Asset map k_t -> k_t+12")
    ax.legend(fontsize=8)
    return fig


def consumption_distributions(households: pd.DataFrame) -> plt.Figure:
    """Per-capita consumption at the first and last snapshot, per scenario.

    ``households`` needs ``scenario``, ``month``, ``consumption``, ``size``, ``status``.
    """
    fig, ax = plt.subplots(figsize=(7, 4.5))
    bins = np.geomspace(0.1, 20, 60)
    first, last = households["month"].min(), households["month"].max()
    for k, (name, rows) in enumerate(households.groupby("scenario")):
        for month, style in ((first, ":"), (last, "-")):
            at = rows[(rows["month"] == month) & ~rows["status"].isin(NOT_CLIENTS)]
            if month == first and k > 0:
                continue  # every scenario starts from the same households
            c = (at["consumption"] / at["size"]).clip(lower=0.1)
            counts, _ = np.histogram(c, bins=bins, density=True)
            label = "all, month 0" if month == first else f"{name}, month {month}"
            ax.plot(np.sqrt(bins[1:] * bins[:-1]), counts, style, label=label)
    ax.axvline(1.0, color="k", lw=0.8, label="poverty line z")
    ax.set(xscale="log", xlabel="per-capita consumption (z/person-month)", ylabel="density",
           title="Consumption before and after")
    ax.legend(fontsize=8)
    return fig


def binding_constraints(households: pd.DataFrame) -> plt.Figure:
    """Still-poor households by binding constraint, per scenario (final snapshot)."""
    last = households[households["month"] == households["month"].max()]
    counts = pd.crosstab(last["scenario"], last["binding_constraint"])
    shares = counts.div(last.groupby("scenario").size(), axis=0).fillna(0.0)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    shares.plot(kind="barh", stacked=True, ax=ax, colormap="tab10")
    ax.set(xlabel="share of all households (the rest are not poor)", ylabel="",
           title="Why the poor stay poor: the binding constraint")
    ax.legend(fontsize=8, loc="lower right")
    return fig


def cost_effectiveness(effects: pd.DataFrame, costs: pd.DataFrame, outcome: str,
                       month: int) -> plt.Figure:
    """Cost per household against the effect on ``outcome`` at ``month``, with the frontier."""
    at = effects[(effects["outcome"] == outcome) & (effects["month"] == month)]
    both = at.merge(costs, on="scenario").sort_values("cost_per_household")
    gain = both["effect"] * (-1 if outcome in LOWER_IS_BETTER else 1)
    frontier = both[gain >= gain.cummax()]
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    ax.errorbar(both["cost_per_household"], both["effect"],
                yerr=[both["effect"] - both["ci_low"], both["ci_high"] - both["effect"]],
                fmt="o", label="scenarios (95 % interval)")
    ax.plot(frontier["cost_per_household"], frontier["effect"], "--", color="tab:green",
            label="cost-effectiveness frontier")
    for r in both.itertuples():
        ax.annotate(r.scenario, (r.cost_per_household, r.effect), fontsize=8,
                    xytext=(4, 4), textcoords="offset points")
    ax.set(xlabel="programme cost per household (z)",
           ylabel=f"effect on {outcome} at month {month}",
           title="Cost against effect")
    ax.legend(fontsize=8)
    return fig


def network_sample(nodes: pd.DataFrame, edges: pd.DataFrame) -> plt.Figure:
    """A drawing of part of the network: ``nodes`` (id, kind, status) and ``edges`` (source,
    target, tie) tables, as a run stores them; laid out by a seeded spring layout, coloured
    by status."""
    layout = nx.Graph()
    layout.add_nodes_from(nodes["id"])
    layout.add_edges_from(zip(edges["source"], edges["target"], strict=True))
    pos = nx.spring_layout(layout, seed=1)
    nodes = nodes.assign(x=[pos[i][0] for i in nodes["id"]], y=[pos[i][1] for i in nodes["id"]])
    fig, ax = plt.subplots(figsize=(7, 6))
    xy = nodes.set_index("id")[["x", "y"]]
    for tie, style in (("social", dict(color="lightgrey", lw=0.5)),
                       ("mentor", dict(color="tab:purple", lw=0.8)),
                       ("affiliation", dict(color="black", lw=0.8, ls=":"))):
        part = edges[edges["tie"] == tie]
        for s, t in zip(part["source"], part["target"], strict=True):
            ax.plot(*zip(xy.loc[s], xy.loc[t], strict=True), **style, zorder=1)
    for status, colour in STATUS_COLOURS.items():
        part = nodes[nodes["status"] == status]
        if len(part):
            size = 60 if status in ("mentor", "institution") else 18
            marker = "s" if status == "institution" else "^" if status == "mentor" else "o"
            ax.scatter(part["x"], part["y"], s=size, c=colour, marker=marker, label=status,
                       zorder=2)
    ax.set(xticks=[], yticks=[], title="A sample of the empowerment network")
    ax.legend(fontsize=8, loc="upper right")
    return fig
