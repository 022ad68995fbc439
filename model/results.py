"""Per-month outcomes (MODEL.md §6): raw sums kept each month, the tidy table built on demand.

Population statistics are over active households (status not ``left``), each household
counting once; consumption and income are per capita, in z. FGT measures use the poverty line
z = 1: headcount (FGT0), gap (FGT1) and severity (FGT2). Each month stores only the summed
accumulators, three histogram statistics and the network's figures (a few hundred numbers);
``frame()`` derives every column for all months at once.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numba import njit

from model import record as r
from model.programme_params import INSTITUTIONS, PROGRAMMES

NETWORK_FIELDS = ("mentors_active", "mentor_caseload_mean", "mentors_replaced_cumulative",
                  "mentor_reserve_left", "budget_committed", "budget_exhausted")
PER_PROGRAMME_FIELDS = ("new", "unserved_capacity", "unserved_budget", "one_off")
N_PROGRAMMES = len(PROGRAMMES)
N_NETWORK = len(NETWORK_FIELDS) + len(PER_PROGRAMME_FIELDS) * N_PROGRAMMES
HEADLINE = ("headcount", "poverty_gap", "consumption_pc_mean", "assets_mean",
            "share_above_threshold", "graduations_cumulative")
OCCUPATION_COLUMNS = ("share_none", "share_casual", "share_enterprise_low",
                      "share_enterprise_high", "share_wage_job")
COUNT_COLUMNS = (
    "month", "households_active", "wage_jobs", "jobs_filled", "job_slots", "graduated",
    "graduations", "graduations_cumulative", "sustained_graduations",
    "sustained_graduations_cumulative", "relapses", "relapses_cumulative", "exits",
    "exits_cumulative", "shocks", "enrolled_pension", "mentors_active", "mentored",
    "loan_defaults", "loans_in_arrears", "mentors_replaced_cumulative", "mentor_reserve_left",
    *(f"{what}_{name}" for name in PROGRAMMES
      for what in ("enrolled", "new", "unserved_capacity", "unserved_budget")))


@njit(cache=True)
def hist_median(counts: np.ndarray, edges: np.ndarray) -> float:
    """Median of a binned distribution, interpolating linearly inside its bin."""
    total = counts.sum()
    if total <= 0:
        return math.nan
    half = 0.5 * total
    below = 0.0
    for b in range(counts.shape[0]):
        if below + counts[b] >= half:
            hi = edges[b + 1] if math.isfinite(edges[b + 1]) else edges[b]
            return edges[b] + (hi - edges[b]) * (half - below) / counts[b]
        below += counts[b]
    return math.nan


@njit(cache=True)
def hist_gini(counts: np.ndarray, sums: np.ndarray) -> float:
    """Gini from bin counts and bin sums (Lorenz curve through the bin boundaries)."""
    total, mass = counts.sum(), sums.sum()
    if total <= 0 or mass <= 0:
        return math.nan
    gini = 1.0
    lorenz = 0.0
    for b in range(counts.shape[0]):
        after = lorenz + sums[b] / mass
        gini -= counts[b] / total * (lorenz + after)
        lorenz = after
    return gini


class MonthlyResults:
    """One preallocated row of raw figures per month 0..months."""

    def __init__(self, months: int, institution_of: np.ndarray) -> None:
        rows = months + 1
        self.acc = np.zeros((rows, r.N_ACC))
        self.binned = np.full((rows, 3), np.nan)  # median consumption, Gini, median assets
        self.market = np.zeros((rows, 3))          # jobs filled, job slots, price level
        self.network = np.zeros((rows, N_NETWORK))
        self.institution_of = institution_of
        self.filled = 0
        self.headline: dict[str, float] = {}
        self._edges = r.bin_edges()

    def add(self, month: int, acc: np.ndarray, hist: np.ndarray, *, jobs_filled: int,
            job_slots: int, price_level: float, network: np.ndarray) -> None:
        """Store ``month``: chunk accumulators summed in chunk order, histogram statistics,
        the labour market and the network's figures (``ProgrammeRunner.network_row``)."""
        a = acc.sum(axis=0)
        h = hist.sum(axis=0)
        self.acc[month] = a
        self.binned[month] = (hist_median(h[r.H_CONSUMPTION], self._edges),
                              hist_gini(h[r.H_CONSUMPTION], h[r.H_CONSUMPTION_SUM]),
                              hist_median(h[r.H_ASSETS], self._edges))
        self.market[month] = (jobs_filled, job_slots, price_level)
        self.network[month] = network
        self.filled = month + 1
        per = 1.0 / a[r.A_ACTIVE] if a[r.A_ACTIVE] > 0 else math.nan
        self.headline = {
            "headcount": a[r.A_POOR] * per, "poverty_gap": a[r.A_GAP] * per,
            "consumption_pc_mean": a[r.A_CONSUMPTION_PC] * per,
            "assets_mean": a[r.A_ASSETS] * per,
            "share_above_threshold": a[r.A_ABOVE_THRESHOLD] * per,
            "graduations_cumulative": float(self.acc[:month + 1, r.A_GRADUATIONS].sum()),
        }

    def latest(self, name: str) -> float:
        """The newest value of one column."""
        if name in self.headline:
            return float(self.headline[name])
        return float(self.frame()[name].iloc[-1])

    def frame(self) -> pd.DataFrame:
        """The recorded months as a tidy DataFrame (counts as int64)."""
        n = self.filled
        a = self.acc[:n]
        per = np.divide(1.0, a[:, r.A_ACTIVE], out=np.full(n, np.nan),
                        where=a[:, r.A_ACTIVE] > 0)
        net = self.network[:n]
        c: dict[str, np.ndarray] = {
            "month": np.arange(n), "households_active": a[:, r.A_ACTIVE],
            "headcount": a[:, r.A_POOR] * per, "poverty_gap": a[:, r.A_GAP] * per,
            "poverty_severity": a[:, r.A_GAP2] * per,
            "consumption_pc_mean": a[:, r.A_CONSUMPTION_PC] * per,
            "consumption_pc_median": self.binned[:n, 0],
            "consumption_total": a[:, r.A_CONSUMPTION_TOTAL],
            "gini_consumption": self.binned[:n, 1],
            "income_pc_mean": a[:, r.A_INCOME_PC] * per, "assets_mean": a[:, r.A_ASSETS] * per,
            "assets_median": self.binned[:n, 2],
            "share_above_threshold": a[:, r.A_ABOVE_THRESHOLD] * per,
        }
        for k, name in enumerate(OCCUPATION_COLUMNS):
            c[name] = a[:, r.A_OCC_NONE + k] * per
        c["wage_jobs"] = a[:, r.A_OCC_WAGE]
        c["jobs_filled"], c["job_slots"] = self.market[:n, 0], self.market[:n, 1]
        c["graduated"] = a[:, r.A_GRADUATED]
        for name, col in (("graduations", r.A_GRADUATIONS),
                          ("sustained_graduations", r.A_SUSTAINED),
                          ("relapses", r.A_RELAPSES), ("exits", r.A_EXITS)):
            c[name] = a[:, col]
            c[f"{name}_cumulative"] = np.cumsum(a[:, col])
        c["shocks"] = a[:, r.A_SHOCKS]
        for name, col in (("skill_mean", r.A_SKILL), ("confidence_mean", r.A_CONFIDENCE),
                          ("culture_mean", r.A_CULTURE)):
            c[name] = a[:, col] * per
        c["enrolled_pension"] = a[:, r.A_ACTIVE] - a[:, r.A_GRADUATED]
        c["spending_pension"] = np.where(c["month"] > 0, a[:, r.A_PENSION], 0.0)
        c["spending_pension_cumulative"] = np.cumsum(c["spending_pension"])
        c["price_level"] = self.market[:n, 2]
        for k, name in enumerate(NETWORK_FIELDS):
            c[name] = net[:, k]
        c["mentored"] = a[:, r.A_MENTORED]
        c["loans_repaid"], c["loan_defaults"] = a[:, r.A_REPAID], a[:, r.A_DEFAULTS]
        c["loans_in_arrears"] = a[:, r.A_IN_ARREARS]
        per_programme = net[:, len(NETWORK_FIELDS):].reshape(n, len(PER_PROGRAMME_FIELDS),
                                                             N_PROGRAMMES)
        spending = a[:, r.A_PROGRAMME_SPENDING:r.A_PROGRAMME_SPENDING + N_PROGRAMMES] + \
            per_programme[:, 3]
        c["spending_programmes"] = spending.sum(axis=1)
        c["spending_programmes_cumulative"] = np.cumsum(c["spending_programmes"])
        for p, name in enumerate(PROGRAMMES):
            c[f"enrolled_{name}"] = a[:, r.A_PROGRAMME_ENROLLED + p]
            c[f"new_{name}"] = per_programme[:, 0, p]
            c[f"spending_{name}"] = spending[:, p]
            c[f"spending_{name}_cumulative"] = np.cumsum(spending[:, p])
            c[f"unserved_capacity_{name}"] = per_programme[:, 1, p]
            c[f"unserved_budget_{name}"] = per_programme[:, 2, p]
        paid_by = np.zeros((N_PROGRAMMES, len(INSTITUTIONS)))
        paid_by[np.arange(N_PROGRAMMES), self.institution_of] = 1.0
        for j, name in enumerate(INSTITUTIONS):
            c[f"spending_{name}_cumulative"] = np.cumsum(spending @ paid_by[:, j])
        for name in COUNT_COLUMNS:
            c[name] = np.asarray(c[name]).astype(np.int64)
        return pd.DataFrame(c).copy()  # one block per dtype
