"""Per-month outcomes (MODEL.md §6), preallocated and turned into a tidy DataFrame.

Population statistics are over active households (status not ``left``), each household
counting once; consumption and income are per capita, in z. FGT measures use the poverty line
z = 1: headcount (FGT0), gap (FGT1) and severity (FGT2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model import record as r
from model.programme_params import INSTITUTIONS, PROGRAMMES

BASE_COLUMNS = (
    "month", "households_active", "headcount", "poverty_gap", "poverty_severity",
    "consumption_pc_mean", "consumption_pc_median", "gini_consumption", "income_pc_mean",
    "assets_mean", "assets_median", "share_above_threshold",
    "share_none", "share_casual", "share_enterprise_low", "share_enterprise_high",
    "share_wage_job", "wage_jobs", "jobs_filled", "job_slots",
    "graduated", "graduations", "graduations_cumulative", "sustained_graduations",
    "sustained_graduations_cumulative", "relapses", "relapses_cumulative",
    "exits", "exits_cumulative", "shocks", "skill_mean", "confidence_mean", "culture_mean",
    "enrolled_pension", "spending_pension", "spending_pension_cumulative", "price_level",
    "mentors_active", "mentored", "mentor_caseload_mean", "mentors_replaced_cumulative",
    "mentor_reserve_left", "loans_repaid", "loan_defaults", "loans_in_arrears",
    "spending_programmes", "spending_programmes_cumulative", "budget_committed",
    "budget_exhausted",
)
PROGRAMME_COLUMNS = tuple(pattern.format(name) for name in PROGRAMMES for pattern in (
    "enrolled_{}", "new_{}", "spending_{}", "spending_{}_cumulative",
    "unserved_capacity_{}", "unserved_budget_{}"))
INSTITUTION_COLUMNS = tuple(f"spending_{name}_cumulative" for name in INSTITUTIONS)
COLUMNS = BASE_COLUMNS + PROGRAMME_COLUMNS + INSTITUTION_COLUMNS
CUMULATIVE = ("graduations", "sustained_graduations", "relapses", "exits", "spending_pension",
              "spending_programmes", *(f"spending_{name}" for name in PROGRAMMES))
_INDEX = {name: i for i, name in enumerate(COLUMNS)}
_EDGES = r.bin_edges()


def hist_median(counts: np.ndarray) -> float:
    """Median of a binned distribution, interpolating linearly inside its bin."""
    total = counts.sum()
    if total <= 0:
        return float("nan")
    cumulative = np.cumsum(counts)
    b = int(np.searchsorted(cumulative, 0.5 * total))
    below = cumulative[b] - counts[b]
    lo, hi = _EDGES[b], _EDGES[b + 1] if np.isfinite(_EDGES[b + 1]) else _EDGES[b]
    return float(lo + (hi - lo) * (0.5 * total - below) / counts[b])


def hist_gini(counts: np.ndarray, sums: np.ndarray) -> float:
    """Gini from bin counts and bin sums (Lorenz curve through the bin boundaries)."""
    total, mass = counts.sum(), sums.sum()
    if total <= 0 or mass <= 0:
        return float("nan")
    lorenz = np.concatenate([[0.0], np.cumsum(sums) / mass])
    return float(1.0 - np.sum(counts / total * (lorenz[:-1] + lorenz[1:])))


class MonthlyResults:
    """One preallocated row per month 0..months."""

    def __init__(self, months: int) -> None:
        self.table = np.full((months + 1, len(COLUMNS)), np.nan)
        self.filled = 0

    def add(self, month: int, acc: np.ndarray, hist: np.ndarray, *, jobs_filled: int,
            job_slots: int, price_level: float, network: dict[str, float],
            institution_of: np.ndarray) -> None:
        """Reduce the chunk accumulators of ``month`` (in chunk order) into its row.

        ``network`` holds the month's figures of the programme runner (mentors, budget, new
        enrolments and one-off spending per programme); ``institution_of`` maps each
        programme to the index of the institution that pays for it.
        """
        a = acc.sum(axis=0)
        h = hist.sum(axis=0)
        prev = self.table[month - 1] if month > 0 else None
        active = a[r.A_ACTIVE]
        per = 1.0 / active if active > 0 else float("nan")
        row = {
            "month": month, "households_active": active,
            "headcount": a[r.A_POOR] * per, "poverty_gap": a[r.A_GAP] * per,
            "poverty_severity": a[r.A_GAP2] * per,
            "consumption_pc_mean": a[r.A_CONSUMPTION_PC] * per,
            "consumption_pc_median": hist_median(h[r.H_CONSUMPTION]),
            "gini_consumption": hist_gini(h[r.H_CONSUMPTION], h[r.H_CONSUMPTION_SUM]),
            "income_pc_mean": a[r.A_INCOME_PC] * per, "assets_mean": a[r.A_ASSETS] * per,
            "assets_median": hist_median(h[r.H_ASSETS]),
            "share_above_threshold": a[r.A_ABOVE_THRESHOLD] * per,
            "share_none": a[r.A_OCC_NONE] * per, "share_casual": a[r.A_OCC_CASUAL] * per,
            "share_enterprise_low": a[r.A_OCC_LOW] * per,
            "share_enterprise_high": a[r.A_OCC_HIGH] * per,
            "share_wage_job": a[r.A_OCC_WAGE] * per, "wage_jobs": a[r.A_OCC_WAGE],
            "jobs_filled": jobs_filled, "job_slots": job_slots,
            "graduated": a[r.A_GRADUATED], "graduations": a[r.A_GRADUATIONS],
            "sustained_graduations": a[r.A_SUSTAINED],
            "relapses": a[r.A_RELAPSES], "exits": a[r.A_EXITS], "shocks": a[r.A_SHOCKS],
            "skill_mean": a[r.A_SKILL] * per, "confidence_mean": a[r.A_CONFIDENCE] * per,
            "culture_mean": a[r.A_CULTURE] * per,
            "enrolled_pension": active - a[r.A_GRADUATED],
            "spending_pension": a[r.A_PENSION] if month > 0 else 0.0,
            "price_level": price_level, "mentored": a[r.A_MENTORED],
            "loans_repaid": a[r.A_REPAID], "loan_defaults": a[r.A_DEFAULTS],
            "loans_in_arrears": a[r.A_IN_ARREARS],
        }
        for name in ("mentors_active", "mentor_caseload_mean", "mentors_replaced_cumulative",
                     "mentor_reserve_left", "budget_committed", "budget_exhausted"):
            row[name] = network[name]
        by_institution = np.zeros(len(INSTITUTIONS))
        for p, name in enumerate(PROGRAMMES):
            spent = a[r.A_PROGRAMME_SPENDING + p] + network[f"one_off_{name}"]
            row[f"enrolled_{name}"] = a[r.A_PROGRAMME_ENROLLED + p]
            row[f"new_{name}"] = network[f"new_{name}"]
            row[f"spending_{name}"] = spent
            row[f"unserved_capacity_{name}"] = network[f"unserved_capacity_{name}"]
            row[f"unserved_budget_{name}"] = network[f"unserved_budget_{name}"]
            by_institution[institution_of[p]] += spent
        row["spending_programmes"] = sum(row[f"spending_{name}"] for name in PROGRAMMES)
        for j, name in enumerate(INSTITUTIONS):
            before = prev[_INDEX[f"spending_{name}_cumulative"]] if prev is not None else 0.0
            row[f"spending_{name}_cumulative"] = before + by_institution[j]
        for flow in CUMULATIVE:
            before = prev[_INDEX[f"{flow}_cumulative"]] if prev is not None else 0.0
            row[f"{flow}_cumulative"] = before + row[flow]
        for name, value in row.items():
            self.table[month, _INDEX[name]] = value
        self.filled = month + 1

    def latest(self, name: str) -> float:
        """The newest recorded value of one column."""
        return float(self.table[self.filled - 1, _INDEX[name]])

    def frame(self) -> pd.DataFrame:
        """The recorded months as a DataFrame (integer counts as int64)."""
        frame = pd.DataFrame(self.table[:self.filled], columns=list(COLUMNS))
        counts = ["month", "households_active", "wage_jobs", "jobs_filled", "job_slots",
                  "graduated", "graduations", "graduations_cumulative",
                  "sustained_graduations", "sustained_graduations_cumulative", "relapses",
                  "relapses_cumulative", "exits", "exits_cumulative", "shocks",
                  "enrolled_pension", "mentors_active", "mentored", "loan_defaults",
                  "loans_in_arrears", "mentors_replaced_cumulative", "mentor_reserve_left",
                  *(c for c in PROGRAMME_COLUMNS if not c.startswith("spending"))]
        return frame.astype({c: "int64" for c in counts})
