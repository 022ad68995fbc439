"""``empowernet assetmap DIR``: the asset map of a sweep's business-as-usual runs.

Measured on every yearly window of the counted months (months 0-12, 12-24, ...: both ends
must be snapshot months, so run the baseline with ``outputs.snapshot_months`` every 12
months), after the model's burn-in: overall, per household type (read at the start of each
window: ``subgroups.household_types`` without starting assets, which are the map's axis, and
the number of working-age adults), and window by window, to see whether the map changes over
time. Beside the maps: the mean change just below and just above k* (z per 12 months), the
fixed points with their uncertainty (``asset_map``), and the share of households near k* at
each snapshot (does mass pile up at the threshold?). Every figure is PNG and SVG; every
table a CSV (every bin of every curve in ``asset_map_bins.csv``), and all of them one
Markdown page, ``asset_map.md``, and one self-contained HTML page. The diagnosed constraint of
``household_types`` is no type here: it is read only at the final snapshot, where no year
starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments import store
from experiments.analysis import asset_map, plots
from experiments.analysis.document import (
    Figure,
    Paragraph,
    Section,
    Table,
    to_html,
    to_markdown,
)
from experiments.analysis.outcomes import is_client
from experiments.analysis.statistics import interval
from experiments.analysis.subgroups import household_types
from experiments.sweep import current_runs
from model.params import BASELINE, ConfigError

COLUMNS = ["seed", "month", "row", "status", "assets", "consumption", "size", "adults",
           "female_head"]
TYPES = ("household size", "head of household", "working adults", "depth of poverty")
"""The household types the map is split by, in the order shown."""
NEAR = 0.1
"""Households "near k*" hold assets within this share of k* either side."""
LAST_WINDOWS = 2
"""The over-time figure draws the first yearly window and this many last ones."""


@dataclass(frozen=True)
class Baseline:
    """The snapshots of a sweep's business-as-usual runs and their k*."""

    households: pd.DataFrame  # long table of every seed's snapshots (:data:`COLUMNS`)
    k_star: float

    @property
    def windows(self) -> list[int]:
        """First months of the yearly windows whose both ends were snapshot."""
        months = set(self.households["month"])
        return sorted(m for m in months if m + asset_map.MAP_MONTHS in months)


def read_baseline(sweep_dir: Path, baseline: str = BASELINE) -> Baseline:
    """The snapshots of the sweep's current ``baseline`` runs.

    Raises:
        ConfigError: the sweep has no such run, or its runs have no yearly window of
            household snapshots.
    """
    runs = {run: m for run, m in current_runs(sweep_dir).items() if m.get("label") == baseline}
    if not runs:
        raise ConfigError(f"{sweep_dir} holds no finished '{baseline}' run; run business as "
                          "usual there (scenario=baseline) or name its label with --baseline.")
    files = [sweep_dir / run / store.HOUSEHOLDS for run in sorted(runs)]
    if not all(f.is_file() for f in files):
        raise ConfigError(f"the '{baseline}' runs of {sweep_dir} stored no household "
                          "snapshots; run them with outputs.snapshot_months=[0,12,24,...].")
    households = pd.concat([store.read_table(f.parent, f.name, columns=COLUMNS)
                            for f in files], ignore_index=True)
    found = Baseline(households, next(iter(runs.values()))["asset_threshold_z"])
    if not found.windows:
        raise ConfigError(f"the '{baseline}' runs of {sweep_dir} have no two snapshots 12 "
                          "months apart; run them with outputs.snapshot_months=[0,12,24,...].")
    return found


def working_adults(adults: pd.Series) -> pd.Series:
    """Each household's working-age adults in three groups: none, one, two or more."""
    return pd.cut(adults, [-np.inf, 1, 2, np.inf], right=False,
                  labels=["no working adult", "1 working adult", "2 or more working adults"])


def years(base: Baseline) -> pd.DataFrame:
    """Every household-year of every window (``asset_map.year_changes``), with its window
    (``first``) and its type in each of :data:`TYPES`."""
    frames = []
    for first in base.windows:
        year = asset_map.year_changes(base.households, first)
        types = household_types(year, base.k_star) | {"working adults":
                                                      working_adults(year["adults"])}
        frames.append(year.assign(first=first, **{t: pd.Categorical(types[t]) for t in TYPES}))
    return pd.concat(frames)


def groups(all_years: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """(type, group, household-years) for all households, then each group of each of
    :data:`TYPES` in its order."""
    return [("all", "all households", all_years)] + [
        (dimension, str(group), rows) for dimension in TYPES
        for group, rows in all_years.groupby(dimension, observed=True)]


def curve(rows: pd.DataFrame, k_star: float) -> asset_map.Curve:
    """The map of ``rows`` in the linear bins of ``asset_map.linear_edges``."""
    return asset_map.of_years(rows, asset_map.linear_edges(k_star), asset_map.MIN_BIN_HOUSEHOLDS)


def _interval_text(mean: float, low: float, high: float) -> str:
    """'+0.12 [-0.03, +0.27]'."""
    return f"{mean:+.2f} [{low:+.2f}, {high:+.2f}]"


def _points_text(points: list[asset_map.FixedPoint], stable: bool) -> str:
    """Fixed points of one kind as 'level (low to high)', z: low and high are where the 95 %
    band leaves zero."""
    return "; ".join(f"{p.level:.1f} ({_level(p.low)} to {_level(p.high)})" for p in points
                     if p.stable == stable) or "none"


def _level(z: float) -> str:
    """A band's end: '?' where the band does not leave zero within the map."""
    return f"{z:.1f}" if np.isfinite(z) else "?"


def trap(sides: dict[str, tuple[float, float, float]]) -> str:
    """Whether the map shows a trap at k*: households just below lose assets and those just
    above gain, each beyond its 95 % interval."""
    below, above = sides["below"], sides["above"]
    if below[2] < 0 < above[1]:
        return "yes"
    if below[1] > 0 or above[2] < 0:
        return "no"
    return "not resolved"


def summary_row(rows: pd.DataFrame, k_star: float) -> dict[str, object]:
    """One line of a table: how many household-years, the change on each side of k*, the
    fixed points and the verdict."""
    sides = asset_map.side_changes(rows, k_star)
    points = asset_map.fixed_points(curve(rows, k_star))
    return {"household_years": len(rows),
            **{f"{side}_{stat}": value for side, values in sides.items()
               for stat, value in zip(("change", "ci_low", "ci_high"), values, strict=True)},
            "just below k* (z/12 months)": _interval_text(*sides["below"]),
            "just above k* (z/12 months)": _interval_text(*sides["above"]),
            "unstable points (z)": _points_text(points, stable=False),
            "stable points (z)": _points_text(points, stable=True),
            "trap at k*": trap(sides)}


def by_type(all_years: pd.DataFrame, k_star: float) -> pd.DataFrame:
    """:func:`summary_row` for all households and for each group of each type, with its
    share of the household-years."""
    return pd.DataFrame([{"type": dimension, "group": group,
                          "share": len(rows) / len(all_years), **summary_row(rows, k_star)}
                         for dimension, group, rows in groups(all_years)])


def curves(all_years: pd.DataFrame, k_star: float) -> pd.DataFrame:
    """Every bin of the map of all households and of each group of each type: one row per
    bin with its mean starting assets, mean change and interval, households and the share of
    them whose assets grew."""
    table = pd.concat([pd.DataFrame(vars(curve(rows, k_star))).assign(type=dimension,
                                                                      group=group)
                       for dimension, group, rows in groups(all_years)], ignore_index=True)
    return table[["type", "group", *(c for c in table.columns if c not in ("type", "group"))]]


def by_window(all_years: pd.DataFrame, k_star: float) -> pd.DataFrame:
    """:func:`summary_row` for each yearly window."""
    return pd.DataFrame([{"months": f"{first}-{first + asset_map.MAP_MONTHS}",
                          **summary_row(rows, k_star)}
                         for first, rows in all_years.groupby("first")])


def near_threshold(base: Baseline) -> pd.DataFrame:
    """At each snapshot month, the share of the clients holding assets near k* (within
    :data:`NEAR` k*), below k*/2 and at k* or more, each a mean over seeds with its 95 %
    interval, and their mean assets (z), with its interval."""
    clients = base.households[is_client(base.households)]
    k = base.k_star
    shares = {"near k*": lambda a: (np.abs(a - k) < NEAR * k).mean(),
              "below k*/2": lambda a: (a < k / 2).mean(), "k* or more": lambda a: (a >= k).mean(),
              "mean assets (z)": np.mean}
    rows = []
    for month, at in clients.groupby("month"):
        row: dict[str, object] = {"month": month}
        for name, measure in shares.items():
            mean, low, high = interval([measure(s["assets"].to_numpy()) for _, s in
                                        at.groupby("seed")])
            row |= {name: mean, f"{name} ci_low": low, f"{name} ci_high": high}
        rows.append(row)
    return pd.DataFrame(rows)


def _figure(fig: plots.plt.Figure, path: Path, caption: str) -> Figure:
    png, _ = plots.save(fig, path)
    return Figure(caption, png)


def type_figures(all_years: pd.DataFrame, k_star: float, folder: Path) -> list[Figure]:
    """The map of all households, then one figure per household type, a curve per group."""
    seeds = all_years.index.get_level_values("seed").nunique()
    note = (f"every yearly window after burn-in, {seeds} seeds; band: 95 % interval over "
            "seeds")
    by_dimension: dict[str, dict[str, asset_map.Curve]] = {}
    for dimension, group, rows in groups(all_years):
        by_dimension.setdefault(dimension, {})[group] = curve(rows, k_star)
    drawn = []
    for dimension, curves_of_groups in by_dimension.items():
        heading = "of all households" if dimension == "all" else f"by {dimension}"
        drawn.append(_figure(plots.asset_maps(curves_of_groups, k_star,
                                              f"Asset map {heading}: {note}"),
                             folder / f"asset_map_{dimension.replace(' ', '_')}",
                             f"The asset map {heading}."))
    return drawn


def time_figure(all_years: pd.DataFrame, k_star: float, folder: Path) -> Figure:
    """The map of the first yearly window and of the :data:`LAST_WINDOWS` last ones."""
    windows = sorted(all_years["first"].unique())
    shown = dict.fromkeys([windows[0], *windows[-LAST_WINDOWS:]])
    curves = {f"months {f}-{f + asset_map.MAP_MONTHS}":
              curve(all_years[all_years["first"] == f], k_star) for f in shown}
    seeds = all_years.index.get_level_values("seed").nunique()
    return _figure(plots.asset_maps(curves, k_star, f"Asset map over time, {seeds} seeds; "
                                    "band: 95 % interval over seeds"),
                   folder / "asset_map_over_time",
                   "The asset map of the first and the last yearly windows.")


def distribution_figure(base: Baseline, folder: Path) -> Figure:
    """Where the clients hold their assets at the first and the last snapshot, all seeds."""
    clients = base.households[is_client(base.households)]
    months = sorted(set(clients["month"]))
    seeds = clients["seed"].nunique()
    assets = {f"month {m}": clients.loc[clients["month"] == m, "assets"].to_numpy()
              for m in (months[0], months[-1])}
    return _figure(plots.asset_distribution(assets, base.k_star), folder / "asset_distribution",
                   f"Share of the clients by assets at the first and the last snapshot, "
                   f"{seeds} seeds together.")


TEXT_COLUMNS = ["household_years", "just below k* (z/12 months)", "just above k* (z/12 months)",
                "unstable points (z)", "stable points (z)", "trap at k*"]


def _text(table: pd.DataFrame, first: list[str]) -> Table:
    return Table(table[[*first, *TEXT_COLUMNS]].astype(str).rename(
        columns=lambda c: c.replace("_", " ")))


def mass_table(mass: pd.DataFrame) -> Table:
    """:func:`near_threshold` as text: shares in % with their intervals."""
    text = mass[["month"]].assign(**{
        f"{name} (%)": [f"{100 * m:.1f} [{100 * lo:.1f}, {100 * hi:.1f}]" for m, lo, hi in
                        mass[[name, f"{name} ci_low", f"{name} ci_high"]].to_numpy()]
        for name in ("near k*", "below k*/2", "k* or more")})
    return Table(text.assign(**{"mean assets (z)": mass["mean assets (z)"].map(
        "{:.2f}".format)}).astype(str))


def write(sweep_dir: Path, out: Path, baseline: str = BASELINE) -> Path:
    """Measure the asset map of the sweep's ``baseline`` runs and write its figures
    (``out/figures``), tables (CSV) and page (``asset_map.md`` and a self-contained
    ``asset_map.html``) in ``out``; returns the Markdown page."""
    base = read_baseline(sweep_dir, baseline)
    all_years = years(base)
    k = base.k_star
    types, windows, mass = by_type(all_years, k), by_window(all_years, k), near_threshold(base)
    for table, name in ((types, "asset_map_by_type"), (windows, "asset_map_by_window"),
                        (mass, "asset_map_near_threshold"),
                        (curves(all_years, k), "asset_map_bins")):
        store.write_text(table.to_csv(index=False), out / f"{name}.csv")
    how = ("Change of productive assets over 12 months by assets at the start of the year, "
           "mean over seeds [95 % interval]; fixed points in z, in brackets the levels "
           "between which the 95 % band contains zero ('?': not within the map). A trap at "
           f"k*: households just below k* (from {1 - asset_map.SIDE_BAND:g} k*) lose assets "
           "and those just above (to "
           f"{1 + asset_map.SIDE_BAND:g} k*) gain, both beyond their intervals.")
    sections = [
        Section("By household type", [Paragraph(how), _text(types.assign(
            share=types["share"].map("{:.0%}".format)), ["type", "group", "share"]),
            *type_figures(all_years, k, out / "figures")]),
        Section("Over time", [_text(windows, ["months"]),
                              time_figure(all_years, k, out / "figures")]),
        Section("Households near k*", [Paragraph(
            f"Share of the clients within {NEAR:.0%} of k* of it, below k*/2 and at k* or "
            "more at each snapshot, mean over seeds [95 % interval]."), mass_table(mass),
            distribution_figure(base, out / "figures")])]
    title = f"The asset map of business as usual after burn-in (k* = {k:g} z)"
    intro = (f"{sweep_dir.name}: the '{baseline}' runs, "
             f"{all_years.index.get_level_values('seed').nunique()} seeds.")
    store.write_text(to_html(title, intro, sections), out / "asset_map.html")
    page = out / "asset_map.md"
    store.write_text(to_markdown(title, intro, sections), page)
    return page
