"""Figures: one colour per scenario in every figure that draws scenarios, the asset map's
fixed points, and a short spike that does not set a panel's scale."""

from __future__ import annotations

import re

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest

from experiments.analysis import plots

SCENARIOS = ("baseline", "cash_transfer", "graduation", "training")
MONTHS = np.arange(0, 25)


@pytest.fixture()
def colours() -> dict[str, str]:
    """A palette of colours no plot function would pick by itself."""
    return dict(zip(SCENARIOS, ("#010203", "#a01010", "#10a010", "#1010a0"), strict=True))


def results() -> pd.DataFrame:
    rows = [{"scenario": s, "seed": seed, "month": m, "headcount": 0.5 - 0.01 * k * m / 24,
             "households_active": 100 - m, "consumption_pc_mean": 1.0 + 0.1 * k}
            for k, s in enumerate(SCENARIOS) for seed in range(3) for m in MONTHS]
    return pd.DataFrame(rows)


def effects() -> pd.DataFrame:
    rows = [{"scenario": s, "outcome": o, "month": m, "effect": e, "ci_low": e - 0.01,
             "ci_high": e + 0.01}
            for k, s in enumerate(SCENARIOS[1:], 1) for o in ("headcount", "consumption_pc_mean")
            for m in MONTHS for e in [(-0.01 * k) + (5.0 if m == 1 and k == 1 else 0.0)]]
    return pd.DataFrame(rows)


def households() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame([{"scenario": s, "month": m, "consumption": rng.uniform(0.5, 6),
                          "size": 2, "status": "supported"}
                         for s in SCENARIOS for m in (0, 24) for _ in range(50)])


def drawn_colours(fig) -> set[str]:
    """Every colour of the figure's lines, markers, bands and texts, as hex."""
    found = set()
    for ax in fig.axes:
        for line in ax.get_lines():
            found.add(mcolors.to_hex(line.get_color()))
        for collection in ax.collections:
            found |= {mcolors.to_hex(c) for c in collection.get_facecolors()}
            found |= {mcolors.to_hex(c) for c in collection.get_edgecolors()}
        found |= {mcolors.to_hex(t.get_color()) for t in [ax.title, ax._left_title]}
    return found


def figures_of_scenarios(colours: dict[str, str]) -> dict[str, tuple]:
    """Each plot function that draws scenarios, called with ``colours``, and the scenarios
    it draws."""
    costs = pd.DataFrame({"scenario": SCENARIOS[1:], "cost_per_household": [1.0, 2.0, 3.0]})
    at_end = effects()[lambda e: (e["outcome"] == "headcount") & (e["month"] == 24)]
    return {
        "outcome_over_time": (plots.outcome_over_time(results(), "headcount", colours),
                              SCENARIOS),
        "effect_over_time": (plots.effect_over_time(effects(), "headcount", colours),
                             SCENARIOS[1:]),
        "cost_effectiveness": (plots.cost_effectiveness(effects(), costs, "headcount", 24,
                                                        colours), SCENARIOS[1:]),
        "forest": (plots.forest(at_end, "headcount", 24, colours), SCENARIOS[1:]),
        "consumption_distributions": (plots.consumption_distributions(households(), colours),
                                      SCENARIOS),
    }


def test_every_figure_draws_each_scenario_in_its_palette_colour(colours) -> None:
    for name, (fig, drawn) in figures_of_scenarios(colours).items():
        used = drawn_colours(fig)
        assert {colours[s] for s in drawn} <= used, name
        assert not used & {mcolors.to_hex(c) for c in plots.SCENARIO_COLOURS}, name
        assert not used & ({colours[s] for s in SCENARIOS} - {colours[s] for s in drawn}), \
            name
        plots.plt.close(fig)


def test_the_palette_gives_a_scenario_the_same_colour_whatever_the_order() -> None:
    one = plots.palette(["training", "baseline", "graduation"])
    assert one == plots.palette(["graduation", "training", "baseline"])
    assert one["baseline"] == plots.BASELINE_COLOUR
    assert len(set(one.values())) == 3


def test_a_one_month_spike_does_not_set_the_panel_scale() -> None:
    fig = plots.effect_over_time(effects(), "headcount")
    spiked = fig.axes[0]  # cash_transfer: +5 at month 1, about -0.01 elsewhere
    assert spiked.get_ylim()[1] < 10.0  # percentage points: a share of 0.1
    assert fig.get_supylabel().endswith("(percentage points)")
    assert any("at month 1" in t.get_text() for t in spiked.texts)
    plots.plt.close(fig)


def test_a_spike_is_written_at_the_edge_in_plain_notation() -> None:
    spiked = effects()
    at = (spiked["outcome"] == "consumption_pc_mean") & (spiked["month"] == 1) & \
        (spiked["scenario"] == SCENARIOS[1])
    spiked.loc[at, "effect"] = 1234.4
    fig = plots.effect_over_time(spiked, "consumption_pc_mean")
    written = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("1,234 at month 1" in t for t in written), written  # not 1.23e+03
    plots.plt.close(fig)


def test_the_asset_map_marks_its_unstable_point_at_k_star() -> None:
    """Households move away from 20 z by a tenth of their distance to it in a year."""
    start = np.random.default_rng(0).uniform(0.0, 80.0, 3000)
    households = pd.DataFrame({"seed": np.repeat([0, 1], 3000), "row": np.tile(
        np.arange(3000), 2), "assets": np.tile(start, 2), "status": "supported"})
    later = households.assign(assets=households["assets"] * 1.1 - 2.0)
    fig = plots.asset_map(pd.concat([households.assign(month=0), later.assign(month=12)]),
                          20.0)
    unstable = [line for line in fig.axes[0].get_lines()
                if line.get_marker() == "D" and len(line.get_xdata())]
    assert [line.get_xdata()[0] for line in unstable] == [pytest.approx(20.0, abs=0.1)]
    plots.plt.close(fig)
    # snapshots at months 0 and 24 only: no map of 12 months, and no empty one
    with pytest.raises(ValueError, match=re.escape(
            "no household is a client at both month 0 and month 12 of the snapshots given "
            "(their months: [0, 24])")):
        plots.asset_map(pd.concat([households.assign(month=0), later.assign(month=24)]), 20.0)


def test_a_spike_of_a_level_is_told_from_a_trend() -> None:
    level = np.r_[1.1, 2.1, np.linspace(1.1, 1.4, 50)]
    assert list(np.flatnonzero(plots.spikes(level))) == [1]
    assert not plots.spikes(np.linspace(0.0, 5.0, 50)).any()


def test_households_left_are_counted_from_the_first_snapshot() -> None:
    # row 0 left in the burn-in, row 1 leaves during the run, row 2 stays
    start = pd.DataFrame({"scenario": "baseline", "row": [0, 1, 2],
                          "status": ["left", "supported", "supported"]})
    end = start.assign(status=["left", "left", "graduated"])
    households = pd.concat([start.assign(month=0), end.assign(month=24)])
    assert plots.left_since_start(households).to_dict() == {"baseline": 1}


def test_cost_effectiveness_refuses_a_month_without_effects() -> None:
    costs = pd.DataFrame({"scenario": SCENARIOS[1:], "cost_per_household": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match=r"headcount at month 120 .* at months \[0, 1, 2, "):
        plots.cost_effectiveness(effects(), costs, "headcount", 120)
    with pytest.raises(ValueError, match="their outcomes are"):
        plots.cost_effectiveness(effects(), costs, "assets_mean", 24)


def test_the_forest_plot_draws_only_the_outcome_and_month_it_is_asked_for() -> None:
    # every outcome at every month, as compare.effects gives them: graduation's effect on
    # consumption (-0.01 z) must not be drawn as one on the headcount (-1 pp)
    fig = plots.forest(effects(), "headcount", 24)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == len(SCENARIOS) - 1
    with pytest.raises(ValueError, match=r"no effect on headcount at month 99 in the effects "
                                         r"given; they have it at months \[0, 1, 2, "):
        plots.forest(effects(), "headcount", 99)
