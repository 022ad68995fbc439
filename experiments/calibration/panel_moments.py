"""Moments computed from the committee's panel (``calibrate --panel FILE``).

For each programme the panel's households were offered (a scenario of the library), in each
follow-up month: the changes since month 0 of consumption, income and assets and the shares in
wage jobs and enterprises among the treated and, where the panel has a comparison group, among
the comparison households, and the treated-minus-comparison differences (in % of the
comparison mean). A panel without treated households gives the same levels and changes under
business as usual. Each moment's uncertainty is its bootstrap standard error over households;
a moment the panel cannot measure (no variation, an empty group) is left out.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pandas as pd

from experiments.calibration import panel as panel_io
from experiments.calibration.spec import Moment
from experiments.calibration.statistics import WidePanel, bootstrap_se, compute

CHANGES = ("change_consumption", "change_income", "change_assets")
SHARES = ("mean_wage_job", "mean_enterprise")
GAPS = ("gap_pct_consumption", "gap_pct_income", "gap_pct_assets")


def wanted(has_comparison: bool, treated: bool) -> list[tuple[str, str]]:
    """(statistic, group) pairs measured in each follow-up month."""
    groups = (["treated"] if treated else ["all"]) + (["comparison"] if has_comparison
                                                      and treated else [])
    pairs = [(s, g) for g in groups for s in (*CHANGES, *SHARES)]
    return pairs + ([(s, "all") for s in GAPS] if has_comparison and treated else [])


def arm_moments(frame: pd.DataFrame, scenario: str, source: str) -> list[Moment]:
    """The moments of one programme's households (with the comparison group, if any)."""
    wide = WidePanel.of(frame)
    has_comparison, treated = bool((~wide.treated).any()), bool(wide.treated.any())
    households = len(wide.treated)
    population = (f"{households} households of the panel ({int(wide.treated.sum())} offered "
                  f"{scenario}, {int((~wide.treated).sum())} in the comparison group)")
    moments = []
    for month in (m for m in wide.months if m > 0):
        for statistic, group in wanted(has_comparison, treated):
            value = compute(wide, statistic, month, group)
            se = bootstrap_se(wide, statistic, month, group)
            if math.isfinite(value) and math.isfinite(se) and se > 0:
                moments.append(Moment(f"panel_{scenario}_{statistic}_{group}_m{month}",
                                      statistic, scenario, month, group, value, se, source,
                                      population, "calibrate"))
    return moments


def panel_moments(path: Path) -> tuple[tuple[Moment, ...], str]:
    """Read and check a panel; its moments and the file's hash.

    Raises:
        PanelError: the panel breaks a rule of its format.
    """
    frame = panel_io.read(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    source = f"panel {path.name} (sha256 {digest})"
    offered = sorted(set(frame["programme"]) - {panel_io.NO_PROGRAMME})
    if not offered:
        return tuple(arm_moments(frame, "baseline", source)), digest
    moments = []
    for scenario in offered:
        arm = frame[frame["programme"].isin([scenario, panel_io.NO_PROGRAMME])]
        moments += arm_moments(arm, scenario, source)
    return tuple(moments), digest
