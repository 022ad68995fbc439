"""Per-month outcomes (MODEL.md §6): every column declared once, the tidy table built on demand.

Population statistics are over active households (status not ``left``), each household
counting once; consumption and income are per capita, in z (consumption also per adult
equivalent). FGT measures use the poverty line z = 1: headcount (FGT0), gap (FGT1) and
severity (FGT2). Each month stores only its raw figures: the summed accumulators of
``model.record``, three histogram statistics, the labour market and the network's
:class:`NetworkRow` (a few hundred numbers).

Every column of the results table is declared once, in :data:`COLUMNS`: its name, unit and
meaning, how it is read from the raw figures, whether it counts something (int64) and whether
it is a running sum from month 0. ``frame()`` (all months at once), ``latest()`` (the newest
month alone, for the checks run every month) and the results table of ``docs/outputs.md``
derive from that declaration.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple, get_type_hints

import numpy as np
import pandas as pd
from numba import njit

from model import record as r
from model.programme_params import INSTITUTIONS
from model.programmes import N_PROGRAMMES, PROGRAMME_NAMES
from model.state import OCCUPATIONS, P_MICROCREDIT


class NetworkRow(NamedTuple):
    """The network's figures of one month (``ProgrammeDelivery.network_row``)."""

    mentors_active: float
    mentor_caseload_mean: float
    mentors_replaced_cumulative: float
    mentor_reserve_left: float
    budget_committed: float
    budget_exhausted: float
    new: np.ndarray                # float64[N_PROGRAMMES] for each field from here on
    unserved_capacity: np.ndarray
    unserved_budget: np.ndarray
    one_off: np.ndarray            # one-off payments (grants, loans) of the month and the
                                   # job programme's slots (institutions.job_slots), z


MEASURED = ("consumption_pc_median", "gini_consumption", "assets_median",  # histograms
            "jobs_filled", "job_slots", "price_level")                    # labour market


def _figures_dtype() -> np.dtype:
    """One month's figures besides the accumulators, by name (a structured record): the
    :data:`MEASURED` ones, then the :class:`NetworkRow`."""
    hints = get_type_hints(NetworkRow)
    network = [(name, "f8", (N_PROGRAMMES,)) if hints[name] is np.ndarray else (name, "f8")
               for name in NetworkRow._fields]
    return np.dtype([(name, "f8") for name in MEASURED] + network)


FIGURES = _figures_dtype()
SPENDING = slice(r.A_PROGRAMME_SPENDING, r.A_PROGRAMME_SPENDING + N_PROGRAMMES)
ENROLLED = slice(r.A_PROGRAMME_ENROLLED, r.A_PROGRAMME_ENROLLED + N_PROGRAMMES)
OCCUPIED = slice(r.A_OCCUPATIONS, r.A_OCCUPATIONS + r.N_OCCUPATIONS)


class Months:
    """The raw figures of months ``lo..hi-1``, as the column declarations read them."""

    def __init__(self, results: MonthlyResults, lo: int, hi: int) -> None:
        self.month = np.arange(lo, hi)
        self.acc = results.acc[lo:hi]          # float64[months, N_ACC] (model.record A_*)
        self.figures = results.figures[lo:hi]  # FIGURES[months]
        self.paid_by = results.paid_by         # float64[N_PROGRAMMES, institutions], 0/1

    @cached_property
    def per_active(self) -> np.ndarray:
        """1 / active households (NaN in a month without any)."""
        active = self.acc[:, r.A_ACTIVE]
        return 1.0 / np.where(active > 0, active, np.nan)  # 1 / NaN is NaN, without a warning

    @cached_property
    def spending(self) -> np.ndarray:
        """Programme spending of each month net of the loans repaid to the programme,
        float64[months, N_PROGRAMMES] (z): what was paid out (transfers, grants, loans,
        delivery) less the money that came back."""
        net = self.acc[:, SPENDING] + self.figures["one_off"]
        net[:, P_MICROCREDIT] -= self.acc[:, r.A_LOANS_RETURNED]
        return net


Reader = Callable[[Months], np.ndarray]


def summed(accumulator: int | slice) -> Reader:
    """The summed accumulator(s) (``model.record.A_*``): counts or totals."""
    return lambda t: t.acc[:, accumulator]


def mean(accumulator: int | slice) -> Reader:
    """The summed accumulator(s) per active household: a mean or a share."""
    return lambda t: (t.acc[:, accumulator].T * t.per_active).T


def figure(name: str) -> Reader:
    """One of the month's :data:`FIGURES`."""
    return lambda t: t.figures[name]


def pension_paid(t: Months) -> np.ndarray:
    """Pension paid (z); month 0 is the starting state and pays nothing."""
    return np.where(t.month > 0, t.acc[:, r.A_PENSION], 0.0)


def institution_spending(t: Months) -> np.ndarray:
    """Spending by each institution on the programmes it delivers, float64[months,
    institutions]: one matrix-vector product per institution (a single matrix product may
    add the programmes in another order)."""
    return np.stack([t.spending @ t.paid_by[:, j] for j in range(t.paid_by.shape[1])], axis=1)


@dataclass(frozen=True)
class Column:
    """One column of the results table (or, inside :class:`Each`, one per member).

    Attributes:
        name: the column's name; inside ``Each`` it holds the placeholder (``new_<programme>``).
        unit: its unit.
        meaning: what it measures.
        reads: its values over a range of months (float64[months], or float64[months,
            members] inside ``Each``); for a cumulative column, what each month adds.
        count: whole numbers, stored as int64.
        cumulative: the running sum of ``reads`` from month 0.
        headline: collected every month by the model's Mesa DataCollector.
    """

    name: str
    unit: str
    meaning: str
    reads: Reader
    count: bool = False
    cumulative: bool = False
    headline: bool = False


@dataclass(frozen=True)
class Each:
    """Columns repeated for each member of a list, member by member."""

    placeholder: str            # as it appears in the columns' names, e.g. "<programme>"
    members: tuple[str, ...]
    columns: tuple[Column, ...]


def with_cumulative(column: Column, *, sum_in_headline: bool = False) -> tuple[Column, Column]:
    """``column`` and its running sum from month 0 (``<name>_cumulative``)."""
    running = Column(f"{column.name}_cumulative", column.unit,
                     f"`{column.name}` summed from month 0", column.reads, column.count,
                     cumulative=True, headline=sum_in_headline)
    return column, running


COLUMNS: tuple[Column | Each, ...] = (
    Column("month", "month", "0 is the starting state", lambda t: t.month, count=True),
    Column("households_active", "households", "client households this month (neither left "
           "nor pending entry)",
           summed(r.A_ACTIVE), count=True),
    Column("headcount", "share", "FGT0: share with per-capita consumption below z",
           mean(r.A_POOR), headline=True),
    Column("poverty_gap", "share of z", "FGT1: mean of max(0, 1 − c/z)", mean(r.A_GAP),
           headline=True),
    Column("poverty_severity", "-", "FGT2: mean of max(0, 1 − c/z)²", mean(r.A_GAP2)),
    Column("consumption_pc_mean", "z/person-month", "mean per-capita consumption",
           mean(r.A_CONSUMPTION_PC), headline=True),
    Column("consumption_ae_mean", "z/adult-equivalent-month", "mean consumption per adult "
           "equivalent (OECD-modified scale: 1 for the first adult, 0.5 for each other adult "
           "or elderly member, 0.3 for each child)", mean(r.A_CONSUMPTION_AE)),
    Column("consumption_pc_median", "z/person-month", "median per-capita consumption "
           "(from a histogram)", figure("consumption_pc_median")),
    Column("consumption_total", "z/month", "consumption of all active households together",
           summed(r.A_CONSUMPTION_TOTAL)),
    Column("gini_consumption", "0-1", "Gini of per-capita consumption across households "
           "(from a histogram)", figure("gini_consumption")),
    Column("income_pc_mean", "z/person-month",
           "earned income (enterprise, casual work, wages) per capita", mean(r.A_INCOME_PC)),
    Column("assets_mean", "z", "mean productive assets", mean(r.A_ASSETS), headline=True),
    Column("assets_median", "z", "median productive assets (from a histogram)",
           figure("assets_median")),
    Column("share_above_threshold", "share", "assets at or above k*",
           mean(r.A_ABOVE_THRESHOLD), headline=True),
    Each("<occupation>", OCCUPATIONS, (
        Column("share_<occupation>", "share", "primary occupation this month",
               mean(OCCUPIED)),
    )),
    Column("wage_jobs", "households", "holding a wage job", summed(r.A_OCC_WAGE), count=True),
    Column("jobs_filled", "slots", "new wage-job slots filled this month",
           figure("jobs_filled"), count=True),
    Column("job_slots", "slots", "new wage-job slots offered this month", figure("job_slots"),
           count=True),
    Column("graduated", "households", "with status graduated now", summed(r.A_GRADUATED),
           count=True),
    *with_cumulative(Column("graduations", "households", "graduations this month",
                            summed(r.A_GRADUATIONS), count=True), sum_in_headline=True),
    *with_cumulative(Column("sustained_graduations", "households",
                            "graduations of `status.sustained_months` ago still holding now",
                            summed(r.A_SUSTAINED), count=True)),
    *with_cumulative(Column("relapses", "households", "graduates who fell back to support",
                            summed(r.A_RELAPSES), count=True)),
    *with_cumulative(Column("exits", "households",
                            "exogenous exits (marriage, death, moving)", summed(r.A_EXITS),
                            count=True)),
    Column("shocks", "households", "hit by a shock this month", summed(r.A_SHOCKS),
           count=True),
    Column("skill_mean", "0-1", "mean skill", mean(r.A_SKILL)),
    Column("confidence_mean", "0-1", "mean confidence (self-efficacy)", mean(r.A_CONFIDENCE)),
    Column("culture_mean", "0-1", "mean self-reliance norm", mean(r.A_CULTURE)),
    Column("enrolled_pension", "households", "receiving the pension (not graduated)",
           lambda t: t.acc[:, r.A_ACTIVE] - t.acc[:, r.A_GRADUATED], count=True),
    *with_cumulative(Column("spending_pension", "z", "pension paid, in real terms",
                            pension_paid)),
    Column("price_level", "index", "prices relative to month 0 "
           "(`transfers.inflation_annual`)", figure("price_level")),
    Column("mentors_active", "mentors", "active mentors", figure("mentors_active"),
           count=True),
    Column("mentor_caseload_mean", "households", "mean caseload of an active mentor",
           figure("mentor_caseload_mean")),
    Column("mentors_replaced_cumulative", "mentors", "drop-outs replaced since month 0",
           figure("mentors_replaced_cumulative"), count=True),
    Column("mentor_reserve_left", "mentors", "replacements left",
           figure("mentor_reserve_left"), count=True),
    Column("budget_committed", "z", "full cost of the places given so far, less the "
           "microcredit repaid (a revolving fund)",
           figure("budget_committed")),
    Column("budget_exhausted", "0/1", "1 once enrolment was refused for lack of budget",
           figure("budget_exhausted")),
    Column("mentored", "households", "with a mentor", summed(r.A_MENTORED), count=True),
    Column("loans_repaid", "z", "debt repaid this month (microcredit loans and debts a roster "
           "brings)", summed(r.A_REPAID)),
    *with_cumulative(Column("loans_disbursed", "z", "microcredit lent this month (gross, in "
                            "real z of the month)",
                            lambda t: t.figures["one_off"][:, P_MICROCREDIT])),
    *with_cumulative(Column("loans_returned", "z", "microcredit repaid to the programme this "
                            "month (credited to its spending and its budget)",
                            summed(r.A_LOANS_RETURNED))),
    *with_cumulative(Column("loan_subsidy_real", "z", "real value of the microcredit debt lost "
                            "to inflation this month (the debt is nominal): the real subsidy "
                            "of an interest-free loan", summed(r.A_LOAN_SUBSIDY))),
    Column("loan_defaults", "households", "defaulted on a loan this month",
           summed(r.A_DEFAULTS), count=True),
    Column("loans_in_arrears", "households", "with an instalment not paid in full",
           summed(r.A_IN_ARREARS), count=True),
    *with_cumulative(Column("spending_programmes", "z",
                            "all network programmes (pension excluded), loans net of "
                            "their repayment",
                            lambda t: t.spending.sum(axis=1))),
    Each("<programme>", PROGRAMME_NAMES, (
        Column("enrolled_<programme>", "households", "delivered this month", summed(ENROLLED),
               count=True),
        Column("new_<programme>", "households", "enrolled this month", figure("new"),
               count=True),
        *with_cumulative(Column("spending_<programme>", "z",
                                "transfers, grants, loans net of their repayment, "
                                "delivery costs, and (job matching) the slots its firms add",
                                lambda t: t.spending)),
        Column("unserved_capacity_<programme>", "households", "wanted a place this month "
               "but the institutions' capacity was used", figure("unserved_capacity"),
               count=True),
        Column("unserved_budget_<programme>", "households", "wanted a place this month but "
               "the budget was used", figure("unserved_budget"), count=True),
    )),
    Each("<institution>", INSTITUTIONS, (
        Column("spending_<institution>_cumulative", "z", "spending on the programmes the "
               "institution delivers, summed from month 0", institution_spending,
               cumulative=True),
    )),
)


def named_columns() -> Iterator[tuple[str, Column, int | None]]:
    """Every column of the table in order: (name, declaration, member index or None)."""
    for entry in COLUMNS:
        if isinstance(entry, Column):
            yield entry.name, entry, None
            continue
        for k, member in enumerate(entry.members):
            for column in entry.columns:
                yield column.name.replace(entry.placeholder, member), column, k


NAMED = {name: (column, member) for name, column, member in named_columns()}
HEADLINE = tuple(name for name, (column, _) in NAMED.items() if column.headline)


def describe() -> str:
    """The results columns as a Markdown table, with the members of each family below it."""
    lines = ["| column | unit | meaning |", "|---|---|---|"]
    families = []
    for entry in COLUMNS:
        columns = (entry,) if isinstance(entry, Column) else entry.columns
        for column in columns:
            note = " (in `m.datacollector`)" if column.headline else ""
            lines.append(f"| `{column.name}` | {column.unit} | {column.meaning}{note} |")
        if isinstance(entry, Each):
            names = ", ".join(f"`{member}`" for member in entry.members)
            families.append(f"- `{entry.placeholder}`: {names}")
    return "\n".join(lines) + "\n\n" + "\n".join(families) + "\n"


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


@njit(cache=True)
def histogram_figures(acc: np.ndarray, hist: np.ndarray, acc_total: np.ndarray,
                      edges: np.ndarray) -> tuple[float, float, float]:
    """Add up a month's chunks (``model.record.chunk_totals``: the accumulators into
    ``acc_total``); returns the median and Gini of per-capita consumption and the median of
    assets, from the summed histograms (one compiled call)."""
    h = r.chunk_totals(acc, hist, acc_total)
    return (hist_median(h[r.H_CONSUMPTION], edges),
            hist_gini(h[r.H_CONSUMPTION], h[r.H_CONSUMPTION_SUM]),
            hist_median(h[r.H_ASSETS], edges))


class MonthlyResults:
    """One preallocated row of raw figures per month 0..months."""

    def __init__(self, months: int, institution_of: np.ndarray) -> None:
        rows = months + 1
        self.acc = np.zeros((rows, r.N_ACC))
        self.figures = np.zeros(rows, dtype=FIGURES)
        self.paid_by = np.zeros((N_PROGRAMMES, len(INSTITUTIONS)))
        self.paid_by[np.arange(N_PROGRAMMES), institution_of] = 1.0
        self.filled = 0
        self._edges = r.bin_edges()
        self._newest: Months | None = None
        self._running: dict[str, tuple[int, np.ndarray]] = {}

    def add(self, month: int, acc: np.ndarray, hist: np.ndarray, *, jobs_filled: int,
            job_slots: int, price_level: float, network: NetworkRow) -> None:
        """Store ``month``: chunk accumulators summed in chunk order, histogram statistics,
        the labour market and the network's figures."""
        consumption_median, gini, assets_median = histogram_figures(acc, hist, self.acc[month],
                                                                    self._edges)
        measured = {
            "consumption_pc_median": consumption_median, "gini_consumption": gini,
            "assets_median": assets_median,
            "jobs_filled": jobs_filled, "job_slots": job_slots, "price_level": price_level}
        self.figures[month] = (*(measured[name] for name in MEASURED), *network)  # FIGURES
        self.filled = month + 1
        self._newest = None

    def latest(self, name: str) -> float:
        """The newest value of one column, read from the newest month alone (a cumulative
        column adds the months since it was last asked for to its running sum)."""
        column, member = NAMED[name]
        values = self._running_sum(column) if column.cumulative else \
            column.reads(self._newest_month())[-1]
        return float(values if member is None else values[member])

    def _newest_month(self) -> Months:
        if self._newest is None:
            self._newest = Months(self, self.filled - 1, self.filled)
        return self._newest

    def _running_sum(self, column: Column) -> np.ndarray:
        """The sum of ``column.reads`` over months 0..newest, added in month order as in
        ``frame()``'s cumulative sums."""
        through, running = self._running.get(column.name, (-1, None))
        newest = self.filled - 1
        if through < newest:
            months = self._newest_month() if through == newest - 1 else \
                Months(self, through + 1, self.filled)
            for step in column.reads(months):
                running = np.array(step) if running is None else running + step
            self._running[column.name] = (newest, running)
        return running

    def frame(self, names: Collection[str] | None = None) -> pd.DataFrame:
        """The recorded months as a tidy DataFrame (counts as int64): every column, or those
        of ``names`` (in the table's order)."""
        months = Months(self, 0, self.filled)
        values: dict[str, np.ndarray] = {}
        data: dict[str, np.ndarray] = {}
        for name, column, member in named_columns():
            if names is not None and name not in names:
                continue
            if column.name not in values:
                read = column.reads(months)
                values[column.name] = np.cumsum(read, axis=0) if column.cumulative else read
            series = values[column.name] if member is None else values[column.name][:, member]
            data[name] = series.astype(np.int64) if column.count else series
        return pd.DataFrame(data).copy()  # one block per dtype
