"""Figures for analysts: functions that take tables (never models) and return a Figure.

Every figure has labelled axes with units and its legend outside the data; ``save`` writes PNG
and SVG. A scenario has one colour in every figure: each function that draws scenarios takes
``colours`` (``palette``'s mapping, built once for the whole report) and builds it from the
scenarios it is given when called alone.

Each function takes ``lang`` and writes its words from the translation table. A Persian figure
is drawn inside :func:`language` (a font that has Persian, which matplotlib's libraqm text
engine shapes and orders right to left) and passed through :func:`localise` (Persian digits in
every text and tick label); ``save`` does the latter. Amounts stay in z.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.text import Text
from matplotlib.ticker import Formatter, LogFormatterSciNotation

from experiments.analysis.asset_map import (
    MIN_BIN_HOUSEHOLDS,
    Curve,
    fixed_points,
    linear_edges,
    of_years,
    year_changes,
)
from experiments.analysis.labels import (
    SHARES,
    constraint_name,
    numerals,
    outcome_name,
    scenario_name,
    sentence_start,
    significant,
    status_name,
    unit_name,
)
from experiments.analysis.outcomes import LOWER_IS_BETTER, is_client, unit
from experiments.analysis.presentation import View
from experiments.analysis.subgroups import constraint_of
from experiments.analysis.translations import text
from model.params import BASELINE

SCENARIO_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple",
                    "tab:brown", "tab:pink", "tab:olive", "tab:cyan", "gold", "navy", "teal")
"""The colours of the scenarios other than the baseline, given in the order of their names."""
BASELINE_COLOUR = "black"

STATUS_COLOURS = {"supported": "#ff7f0e", "enrolled": "#1f77b4", "graduated": "#2ca02c",
                  "left": "#c7c7c7", "mentor": "#9467bd", "institution": "#000000"}
"""One colour per status of a node of the network (the households' first), in the report's
figures and the dashboard's charts."""


PERSIAN_FONTS = ("Vazirmatn", "Noto Naskh Arabic", "Noto Sans Arabic", "Nazli")
"""Fonts with Persian letters and digits, the first one found drawing a Persian figure
(Debian's fonts-noto-core and fonts-farsiweb packages; ``scripts/bootstrap.sh``)."""

FONT_FILES = ("Vazirmatn", "NotoNaskhArabic", "NotoSansArabic", "nazli")
"""How the files of :data:`PERSIAN_FONTS` are named."""


def persian_fonts() -> list[str]:
    """The fonts of :data:`PERSIAN_FONTS` that are installed, adding to matplotlib's font list
    those installed after it was cached."""
    known = {f.name for f in font_manager.fontManager.ttflist}
    if not known & set(PERSIAN_FONTS):
        for path in font_manager.findSystemFonts():
            if Path(path).stem.startswith(FONT_FILES):
                font_manager.fontManager.addfont(path)
        known = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in PERSIAN_FONTS if name in known]


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Figures drawn (and saved) inside are set for ``lang``: for Persian, a Persian font
    before the default one (for Latin letters) and the text engine told the language; a
    warning if no Persian font is installed."""
    if lang == "en":
        yield
        return
    fonts = persian_fonts()
    if not fonts:
        warnings.warn("no font with Persian letters is installed, so the figures' Persian "
                      "text shows as boxes: install Debian's fonts-noto-core (scripts/"
                      "bootstrap.sh does where it can).", stacklevel=3)
    with plt.rc_context({"font.family": [*fonts, "DejaVu Sans"], "text.language": lang}):
        yield


class PlainLog(Formatter):
    """The ticks a log axis's formatter labels, written as plain numbers ('0.1', '10')
    instead of powers of ten, which have no Persian form ('1e-01' would mix scripts)."""

    def __init__(self, inner: LogFormatterSciNotation) -> None:
        self.inner = inner

    def set_axis(self, axis: object) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs: Sequence[float]) -> None:
        self.inner.set_locs(locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return f"{x:g}" if self.inner(x, pos) else ""


class Localised(Formatter):
    """Tick labels of another formatter with their numbers written for a language."""

    def __init__(self, inner: Formatter, lang: str) -> None:
        self.inner, self.lang = inner, lang

    def set_axis(self, axis: object) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return numerals(self.inner(x, pos), self.lang)

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        return [numerals(label, self.lang) for label in self.inner.format_ticks(values)]

    def get_offset(self) -> str:
        return numerals(self.inner.get_offset(), self.lang)


def localise(fig: plt.Figure, lang: str) -> plt.Figure:
    """``fig`` with the numbers of every text and tick label written for ``lang`` (Persian
    digits and separators: ``labels.numerals``); unchanged in English."""
    if lang == "en":
        return fig
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for formatter, setter in ((axis.get_major_formatter(), axis.set_major_formatter),
                                      (axis.get_minor_formatter(), axis.set_minor_formatter)):
                if isinstance(formatter, LogFormatterSciNotation):  # not mathtext: plain
                    formatter = PlainLog(formatter)
                if not isinstance(formatter, Localised):
                    setter(Localised(formatter, lang))
    for label in fig.findobj(Text):
        label.set_text(numerals(label.get_text(), lang))
    return fig


def save(fig: plt.Figure, path: Path, dpi: int = 110, lang: str = "en") -> list[Path]:
    """Write ``path`` as .png and .svg (PNG at ``dpi``), numbers written for ``lang``; returns
    both paths."""
    localise(fig, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = [path.with_suffix(".png"), path.with_suffix(".svg")]
    for target in out:
        fig.savefig(target, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return out


def palette(scenarios: Iterable[str], baseline: str = BASELINE) -> dict[str, str]:
    """One colour per scenario: the baseline black, the others in the order of their names."""
    others = sorted(set(scenarios) - {baseline})
    cycle = SCENARIO_COLOURS * (len(others) // len(SCENARIO_COLOURS) + 1)
    return {baseline: BASELINE_COLOUR, **dict(zip(others, cycle, strict=False))}


def legend_outside(ax: plt.Axes) -> None:
    """The legend to the right of the axes, never over the data."""
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)


def difference_scale(outcome: str, lang: str) -> tuple[float, str]:
    """Factor and unit to draw differences of ``outcome`` in: shares in percentage points."""
    if unit(outcome) in SHARES:
        return 100.0, text("percentage points", lang)
    return 1.0, unit_name(unit(outcome), View(lang))


def level_scale(outcome: str, lang: str) -> tuple[float, str]:
    """Factor and unit to draw levels of ``outcome`` in: shares in per cent."""
    if unit(outcome) in SHARES:
        return 100.0, "%"
    return 1.0, unit_name(unit(outcome), View(lang))


def outcome_over_time(table: pd.DataFrame, outcome: str,
                      colours: Mapping[str, str] | None = None, lang: str = "en") -> plt.Figure:
    """Median over seeds of ``outcome`` per scenario (collected table), above the households
    still active (the rest have left the programme); the baseline (the scenario drawn in
    ``BASELINE_COLOUR``) on top. No band is drawn: the levels of the seeds, each with its
    own households and parameter draw, spread far wider than the effects, which pair a
    policy with the baseline within a seed, so a band of levels would hide effects the
    effect figures show. A short spike of a median is drawn off scale, its value written at
    the edge. Shares are drawn in per cent, as the report's tables give them."""
    colours = colours or palette(table["scenario"])
    baseline = next((n for n, c in colours.items() if c == BASELINE_COLOUR), None)
    scale, shown = level_scale(outcome, lang)
    table = table.assign(**{outcome: table[outcome] * scale})
    fig, (ax, active) = plt.subplots(2, 1, figsize=(8, 6), sharex=True,
                                     gridspec_kw={"height_ratios": [3, 1.2]})
    kept, beyond = [], []
    for name, runs in table.groupby("scenario"):
        for axis, column in ((ax, outcome), (active, "households_active")):
            by_month = runs.groupby("month")[column]
            median = by_month.median()
            axis.plot(median.index, median.to_numpy(), color=colours[name],
                      label=scenario_name(name, lang), lw=1.2,
                      zorder=3 if name == baseline else 2)
        median = runs.groupby("month")[outcome].median()
        spiked = spikes(median.to_numpy())
        kept.append(median[~spiked].to_numpy())
        beyond.append(median[spiked])
    low, high = np.min(np.concatenate(kept)), np.max(np.concatenate(kept))
    pad = 0.08 * (high - low or 1.0)
    ax.set_ylim(low - pad, high + pad)
    for points in beyond:
        for month, value in points.items():
            _mark_off_scale(ax, month, value, low - pad, high + pad, lang)
    ax.set(ylabel=f"{outcome_name(outcome, lang)} ({shown})", title=text(
        "outcome over time title", lang, outcome=sentence_start(outcome_name(outcome, lang))))
    active.set(xlabel=text("month", lang), ylabel=text("households active", lang))
    legend_outside(ax)
    return fig


def _mark_off_scale(ax: plt.Axes, month: int, value: float, low: float, high: float,
                    lang: str) -> None:
    """Write a value drawn beyond the axes' limits at the edge it leaves by."""
    ax.annotate(text("value at month", lang, value=significant(value, trailing_zeros=False),
                     month=month),
                (month, high if value > high else low),
                fontsize=7, xytext=(10, -10 if value > high else 4), textcoords="offset points")


SPIKE_MONTHS = 2
"""At most this many months at either end of an effect's range can be drawn off scale."""


def spikes(values: np.ndarray, with_zero: bool = False) -> np.ndarray:
    """Which months of ``values`` are a short spike: among the :data:`SPIKE_MONTHS` highest
    (or lowest), those farther beyond the other months' range (stretched to zero if
    ``with_zero``, as for an effect) than that range is wide."""
    order = np.argsort(values)
    rest = values[order[SPIKE_MONTHS:-SPIKE_MONTHS]] if values.size > 4 * SPIKE_MONTHS \
        else values
    low, high = float(rest.min()), float(rest.max())
    if with_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    width = max(high - low, 1e-12)
    return (values > high + width) | (values < low - width)


def effect_over_time(effects: pd.DataFrame, outcome: str,
                     colours: Mapping[str, str] | None = None, lang: str = "en") -> plt.Figure:
    """Paired effect on ``outcome`` by month with its 95 % interval: one panel per scenario,
    each on its own scale; values beyond it (a short spike) are marked at the panel's edge.
    Differences of shares are drawn in percentage points."""
    scale, shown = difference_scale(outcome, lang)
    rows = effects[effects["outcome"] == outcome]
    rows = rows.assign(**{c: rows[c] * scale for c in ("effect", "ci_low", "ci_high")})
    names = sorted(rows["scenario"].unique())
    colours = colours or palette(names)
    columns = 2 if len(names) > 1 else 1
    fig, axes = plt.subplots(-(-len(names) // columns), columns, sharex=True, squeeze=False,
                             figsize=(8.5, 1.9 * -(-len(names) // columns) + 0.8))
    for ax, name in zip(axes.flat, names, strict=False):
        one = rows[rows["scenario"] == name].sort_values("month")
        ax.fill_between(one["month"], one["ci_low"], one["ci_high"], color=colours[name],
                        alpha=0.25, lw=0)
        ax.plot(one["month"], one["effect"], color=colours[name], lw=1.2)
        ax.axhline(0, color="k", lw=0.6)
        beyond = spikes(one["effect"].to_numpy(), with_zero=True)
        kept = one.loc[~beyond, ["ci_low", "ci_high", "effect"]].to_numpy()
        low, high = min(np.nanmin(kept), 0.0), max(np.nanmax(kept), 0.0)
        low, high = low - 0.08 * (high - low or 1.0), high + 0.08 * (high - low or 1.0)
        ax.set_ylim(low, high)
        for r in one[beyond].itertuples():
            _mark_off_scale(ax, r.month, r.effect, low, high, lang)
        ax.set_title(scenario_name(name, lang), fontsize=9, color=colours[name], loc="left")
        ax.tick_params(labelsize=8)
    for k in range(len(names), axes.size):
        axes.flat[k].set_visible(False)
        axes.flat[k - columns].tick_params(labelbottom=True)
    fig.supxlabel(text("month", lang), fontsize=9)
    fig.supylabel(f"{text('effect on', lang, outcome=outcome_name(outcome, lang))} ({shown})",
                  fontsize=9)
    fig.suptitle(text("effect over time title", lang, outcome=outcome_name(outcome, lang)),
                 fontsize=10)
    fig.tight_layout()
    return fig


MAP_X_RANGE = 4.0
"""The asset map is drawn from 0 to this many times k*."""


def _draw_map(ax: plt.Axes, curve: Curve, colour: str, label: str) -> None:
    """One binned map on ``ax``: its mean change, 95 % band and fixed points (stable filled,
    unstable open, each with the levels where the band contains zero)."""
    ax.fill_between(curve.centre, curve.low, curve.high, color=colour, alpha=0.2, lw=0)
    ax.plot(curve.centre, curve.change, "o-", color=colour, ms=2.5, lw=1.1, label=label)
    for point in fixed_points(curve):
        ax.errorbar(point.level, 0.0, xerr=[[point.level - point.low],
                                             [point.high - point.level]],
                    fmt="o" if point.stable else "D", ms=6, capsize=3, color=colour,
                    mfc=colour if point.stable else "white", zorder=4)


def asset_maps(curves: Mapping[str, Curve], k_star: float, title: str,
               ax: plt.Axes | None = None, lang: str = "en") -> plt.Figure:
    """Binned asset maps on linear axes, one per entry of ``curves`` (label: curve), with
    their 95 % bands, fixed points (filled: stable; open: unstable; bars: where the band
    contains zero), zero change and k*; drawn on ``ax`` if given, words in ``lang``."""
    fig, ax = plt.subplots(figsize=(8, 4.8)) if ax is None else (ax.figure, ax)
    cycle = SCENARIO_COLOURS * (len(curves) // len(SCENARIO_COLOURS) + 1)
    for (label, curve), colour in zip(curves.items(), cycle, strict=False):
        _draw_map(ax, curve, colour, label)
    shown = np.concatenate([c.change[c.centre <= MAP_X_RANGE * k_star] for c in curves.values()])
    low, high = (min(float(np.nanmin(shown)), 0.0), max(float(np.nanmax(shown)), 0.0)) \
        if shown.size else (-1.0, 1.0)
    pad = 0.4 * (high - low or 1.0)
    ax.set_ylim(low - pad, high + pad)
    ax.set_xlim(0, MAP_X_RANGE * k_star)
    ax.axhline(0, color="k", lw=0.8)
    ax.axvline(k_star, color="tab:red", lw=1, ls="--", label=f"k* = {k_star:g} z")
    for stable, marker, face in ((True, "o", "grey"), (False, "D", "white")):
        ax.plot([], [], marker, color="grey", mfc=face, ms=6,
                label=text(f"{'stable' if stable else 'unstable'} fixed point", lang))
    ax.set(xlabel=text("assets at the start of the year", lang),
           ylabel=text("mean change over the year", lang))
    ax.set_title(title, fontsize=9)
    legend_outside(ax)
    return fig


def asset_distribution(assets: Mapping[str, np.ndarray], k_star: float) -> plt.Figure:
    """Share of households by productive assets (bins of k*/20 from 0 to 3 k*, the rest
    beyond the axis), one line per entry of ``assets`` (label: assets in z), with k*."""
    edges = np.arange(0.0, 3.0 + 1e-9, 0.05) * k_star
    fig, ax = plt.subplots(figsize=(8, 4.2))
    cycle = SCENARIO_COLOURS * (len(assets) // len(SCENARIO_COLOURS) + 1)
    for (label, values), colour in zip(assets.items(), cycle, strict=False):
        counts = np.histogram(values, bins=edges)[0]
        ax.stairs(counts / values.size, edges, color=colour, lw=1.2, label=label)
    ax.axvline(k_star, color="tab:red", lw=1, ls="--", label=f"k* = {k_star:g} z")
    ax.set(xlim=(0, 3 * k_star), xlabel=f"productive assets (z; bins of {k_star / 20:g} z)",
           ylabel="share of the clients")
    ax.set_title("Where households hold their assets", fontsize=9)
    legend_outside(ax)
    return fig


def asset_map(households: pd.DataFrame, k_star: float, months: int = 12,
              lang: str = "en") -> plt.Figure:
    """The report's asset map: mean change in assets over the first ``months`` against
    assets at month 0 (``asset_map.year_changes``, linear bins), over every seed in
    ``households``, with its 95 % band over seeds, k* and the fixed points; words in ``lang``.

    ``households`` needs columns ``seed``, ``month``, ``row``, ``assets``, ``status``.

    Raises:
        ValueError: no household is a client at both months (an empty map would look like
            one of households whose assets do not move), naming the months there are.
    """
    years = year_changes(households, 0, months)
    if years.empty:
        raise ValueError(f"no household is a client at both month 0 and month {months} of the "
                         f"snapshots given (their months: "
                         f"{sorted(households['month'].unique().tolist())}); keep a snapshot at "
                         f"month {months} (outputs.snapshot_months) or give months=")
    return asset_map_of(years, asset_map_curve(years, k_star), k_star, months, lang)


def asset_map_of(years: pd.DataFrame, curve: Curve, k_star: float, months: int,
                 lang: str = "en") -> plt.Figure:
    """:func:`asset_map` of the year changes ``years`` already binned into ``curve``
    (:func:`asset_map_curve`), for a caller that also reads the curve's fixed points."""
    seeds = years.index.get_level_values("seed").nunique()
    return asset_maps({text("mean change, months", lang, months=months): curve}, k_star,
                      text("asset map title", lang, households=f"{len(years):,}", seeds=seeds,
                           months=months), lang=lang)


def asset_map_curve(years: pd.DataFrame, k_star: float) -> Curve:
    """The report's asset map of ``years`` (``asset_map.year_changes``): linear bins around
    ``k_star``, each of at least ``MIN_BIN_HOUSEHOLDS`` households."""
    return of_years(years, linear_edges(k_star), MIN_BIN_HOUSEHOLDS)


def consumption_distributions(households: pd.DataFrame,
                              colours: Mapping[str, str] | None = None,
                              lang: str = "en") -> plt.Figure:
    """Per-capita consumption at the first and last snapshot, per scenario (households still
    active).

    ``households`` needs ``scenario``, ``month``, ``consumption``, ``size``, ``status``.
    """
    colours = colours or palette(households["scenario"])
    fig, ax = plt.subplots(figsize=(8, 4.5))
    bins = np.geomspace(0.1, 20, 41)
    centres = np.sqrt(bins[1:] * bins[:-1])
    first, last = households["month"].min(), households["month"].max()
    active = households[is_client(households)]
    start = active[(active["month"] == first) &
                   (active["scenario"] == active["scenario"].iloc[0])]
    counts, _ = np.histogram(start["consumption"] / start["size"], bins=bins)
    ax.plot(centres, counts / counts.sum(), ":", color="grey",
            label=text("all, month", lang, month=first))
    for name, rows in active[active["month"] == last].groupby("scenario"):
        counts, _ = np.histogram(rows["consumption"] / rows["size"], bins=bins)
        ax.plot(centres, counts / counts.sum(), color=colours[name],
                label=text("scenario, month", lang, name=scenario_name(name, lang),
                           month=last), lw=1.2)
    ax.axvline(1.0, color="k", lw=0.8, label=text("poverty line z", lang))
    ax.set(xscale="log", xlabel=text("per-capita consumption", lang),
           ylabel=text("share of active households in the bin", lang),
           title=text("Consumption before and after", lang))
    legend_outside(ax)
    return fig


def left_since_start(households: pd.DataFrame) -> pd.Series:
    """Per scenario, the households that left between the first and the last snapshot of
    ``households`` (rows that had left before the first, in the burn-in, are not counted)."""
    first, last = households["month"].min(), households["month"].max()

    def left_at(month: int) -> pd.DataFrame:
        at = households[(households["month"] == month) & (households["status"] == "left")]
        return at[["scenario", "row"]]

    new = left_at(last).merge(left_at(first), how="left", indicator=True)
    return new[new["_merge"] == "left_only"].groupby("scenario").size().reindex(
        households["scenario"].unique(), fill_value=0)


def binding_constraints(households: pd.DataFrame, lang: str = "en",
                        order: Sequence[str] = ()) -> plt.Figure:
    """The households still active at the final snapshot, per scenario: not poor, or poor
    and held back by their binding constraint; beside each bar, how many have left since the
    first snapshot (:func:`left_since_start`). Scenarios top down in ``order`` (those not
    in it after, alphabetically).

    Raises:
        ValueError: the final snapshot was not diagnosed (``diagnosis.horizon_months=0``).
    """
    last = households[households["month"] == households["month"].max()]
    active = last[is_client(last)]
    diagnosis = constraint_of(active)
    if diagnosis is None:
        raise ValueError("the final snapshot was not diagnosed (diagnosis.horizon_months=0): "
                         "there are no binding constraints to draw")
    counts = pd.crosstab(active["scenario"], diagnosis)
    counts = counts.loc[[*(s for s in order if s in counts.index),
                         *(s for s in counts.index if s not in order)]]
    shares = counts.div(counts.sum(axis=1), axis=0)
    order = ["not poor", *sorted(c for c in shares.columns if c != "not poor")]
    shares = shares[order].rename(columns=lambda c: constraint_name(c, lang))
    shares.index = [scenario_name(s, lang) for s in shares.index]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(shares) + 1.8))
    colours = ["#dddddd", *plt.get_cmap("Set2").colors[:len(order) - 1]]  # not scenarios'

    shares.plot(kind="barh", stacked=True, ax=ax, color=colours, width=0.7)
    ax.invert_yaxis()
    left = left_since_start(households)
    for y, name in enumerate(counts.index):
        ax.annotate(text("active and left", lang, active=f"{counts.loc[name].sum():,}",
                         left=f"{left[name]:,}"),
                    (1.0, y), xytext=(4, 0), textcoords="offset points", va="center",
                    fontsize=8)
    ax.set(xlim=(0, 1), xlabel=text("share of the households still active", lang), ylabel="",
           title=text("binding constraints title", lang, month=last["month"].iloc[0]))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, -0.12 - 0.5 / len(shares)),
              ncol=3, frameon=False)
    return fig


def effects_at(effects: pd.DataFrame, outcome: str, month: int) -> pd.DataFrame:
    """The rows of ``effects`` (``compare.effects``) on ``outcome`` at ``month``.

    Raises:
        ValueError: there are none (an empty figure would look like a plot of policies that
            do nothing), naming the months that have it or the outcomes there are.
    """
    at = effects[(effects["outcome"] == outcome) & (effects["month"] == month)]
    if at.empty:
        months = sorted(int(m) for m in effects.loc[effects["outcome"] == outcome, "month"]
                        .unique())
        raise ValueError(f"no effect on {outcome} at month {month} in the effects given; "
                         + (f"they have it at months {months}" if months else
                            f"their outcomes are {sorted(set(effects['outcome']))}"))
    return at


def cost_effectiveness(effects: pd.DataFrame, costs: pd.DataFrame, outcome: str,
                       month: int, colours: Mapping[str, str] | None = None,
                       lang: str = "en") -> plt.Figure:
    """Cost per household against the effect on ``outcome`` at ``month``, with the frontier.

    Raises:
        ValueError: ``effects`` hold no effect on ``outcome`` at ``month`` (:func:`effects_at`).
    """
    both = effects_at(effects, outcome, month).merge(costs, on="scenario") \
        .sort_values("cost_per_household")
    colours = colours or palette(both["scenario"])
    gain = both["effect"] * (-1 if outcome in LOWER_IS_BETTER else 1)
    frontier = both[gain >= gain.cummax()]
    scale, shown = difference_scale(outcome, lang)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot(frontier["cost_per_household"], frontier["effect"] * scale, "--", color="grey",
            lw=1, label=text("cost-effectiveness frontier", lang))
    for r in both.itertuples():
        ax.errorbar(r.cost_per_household, r.effect * scale, yerr=[[(r.effect - r.ci_low) * scale],
                    [(r.ci_high - r.effect) * scale]], fmt="o", color=colours[r.scenario],
                    capsize=3, label=scenario_name(r.scenario, lang))
    ax.axhline(0, color="k", lw=0.6)
    ax.set(xlabel=text("programme cost per client household", lang),
           ylabel=text("effect at month", lang, outcome=outcome_name(outcome, lang),
                       month=month, unit=shown),
           title=text("Cost against effect", lang))
    legend_outside(ax)
    return fig


def forest(rows: pd.DataFrame, outcome: str, month: int,
           colours: Mapping[str, str] | None = None, lang: str = "en") -> plt.Figure:
    """Each policy's effect on ``outcome`` at ``month`` with its 95 % interval, in the order
    of ``rows`` (best first).

    ``rows`` needs ``scenario``, ``effect``, ``ci_low``, ``ci_high``; where it has ``outcome``
    and ``month`` columns (rows of ``compare.effects``), only those of ``outcome`` at
    ``month`` are drawn.
    """
    if {"outcome", "month"} <= set(rows.columns):
        rows = effects_at(rows, outcome, month)
    colours = colours or palette(rows["scenario"])
    scale, shown = difference_scale(outcome, lang)
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(rows) + 1.4))
    for y, r in enumerate(rows.itertuples()):
        ax.errorbar(r.effect * scale, y, xerr=[[(r.effect - r.ci_low) * scale],
                    [(r.ci_high - r.effect) * scale]], fmt="o", color=colours[r.scenario],
                    capsize=3)
    ax.set_yticks(range(len(rows)), [scenario_name(s, lang) for s in rows["scenario"]])
    ax.invert_yaxis()
    ax.axvline(0, color="k", lw=0.8)
    ax.set(xlabel=text("effect at month", lang, outcome=outcome_name(outcome, lang),
                       month=month, unit=shown),
           title=text("forest title", lang))
    return fig


def network_sample(nodes: pd.DataFrame, edges: pd.DataFrame, title: str,
                   lang: str = "en") -> plt.Figure:
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
            ax.scatter(part["x"], part["y"], s=size, c=colour, marker=marker,
                       label=status_name(status, lang),
                       zorder=2)
    ax.set(xticks=[], yticks=[], title=title)
    legend_outside(ax)
    return fig
