"""Moments computed from the committee's panel (``calibrate --panel FILE``).

For each programme the panel's households were offered (a scenario of the library), in each
follow-up month: the changes since month 0 of consumption, income and assets and the shares in
wage jobs and enterprises among the treated and, where the panel has a comparison group, among
the comparison households, and the treated-minus-comparison differences (in % of the
comparison mean). A panel without treated households gives the same levels and changes under
business as usual. Each moment's uncertainty is its bootstrap standard error over households,
and the moments' errors are correlated as the bootstrap finds (the same households enter the
changes, the shares and the differences); a moment the panel cannot measure (no variation, an
empty group) is left out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.linalg import block_diag

from experiments.calibration import panel as panel_io
from experiments.calibration.spec import Moment
from experiments.calibration.statistics import WidePanel, bootstrap, compute
from model.params import BASELINE

CHANGES = ("change_consumption", "change_income", "change_assets")
SHARES = ("mean_wage_job", "mean_enterprise")
GAPS = ("gap_pct_consumption", "gap_pct_income", "gap_pct_assets")


def wanted(has_comparison: bool, treated: bool) -> list[tuple[str, str]]:
    """(statistic, group) pairs measured in each follow-up month."""
    groups = (["treated"] if treated else ["all"]) + (["comparison"] if has_comparison
                                                      and treated else [])
    pairs = [(s, g) for g in groups for s in (*CHANGES, *SHARES)]
    return pairs + ([(s, "all") for s in GAPS] if has_comparison and treated else [])


@dataclass(frozen=True)
class PanelMoments:
    """A panel's moments, the correlation of their sampling errors (bootstrap, in the order of
    ``moments``) and the file's hash."""

    moments: tuple[Moment, ...]
    correlation: np.ndarray
    digest: str


def arm_moments(frame: pd.DataFrame, scenario: str, source: str,
                ) -> tuple[list[Moment], np.ndarray]:
    """The moments of one programme's households (with the comparison group, if any) and
    their bootstrap correlation."""
    wide = WidePanel.of(frame)
    has_comparison, treated = bool((~wide.treated).any()), bool(wide.treated.any())
    population = (f"{len(wide.treated)} households of the panel ({int(wide.treated.sum())} "
                  f"offered {scenario}, {int((~wide.treated).sum())} in the comparison group)")
    asked = [(statistic, month, group) for month in wide.months if month > 0
             for statistic, group in wanted(has_comparison, treated)]
    values = np.array([compute(wide, *triple) for triple in asked])
    draws = bootstrap(wide, asked)
    se = np.nanstd(draws, axis=0, ddof=1)
    usable = np.isfinite(values) & np.isfinite(se) & (se > 0) & np.isfinite(draws).all(axis=0)
    moments = [Moment(f"panel_{scenario}_{statistic}_{group}_m{month}", statistic, scenario,
                      month, group, float(value), float(sd), source, population, "calibrate")
               for (statistic, month, group), value, sd, keep
               in zip(asked, values, se, usable, strict=True) if keep]
    correlation = np.corrcoef(draws[:, usable], rowvar=False).reshape(len(moments),
                                                                       len(moments))
    return moments, correlation


def panel_moments(path: Path) -> PanelMoments:
    """Read and check a panel; its moments, their correlation and the file's hash. With
    several programmes, each programme's moments (with the comparison group) are bootstrapped
    on their own, and taken as independent of the other programmes'.

    Raises:
        PanelError: the panel breaks a rule of its format.
    """
    frame = panel_io.read(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    source = f"panel {path.name} (sha256 {digest})"
    offered = sorted(set(frame["programme"]) - {panel_io.NO_PROGRAMME})
    arms = [arm_moments(frame, BASELINE, source)] if not offered else [
        arm_moments(frame[frame["programme"].isin([scenario, panel_io.NO_PROGRAMME])],
                    scenario, source) for scenario in offered]
    return PanelMoments(tuple(m for moments, _ in arms for m in moments),
                        block_diag(*(block for _, block in arms)), digest)
