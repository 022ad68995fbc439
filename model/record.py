"""Monthly outcome accumulators shared by both engines (MODEL.md §6).

Households are split into a fixed number of chunks that depends only on the population size;
each chunk sums its households in row order into its own accumulator row, and the rows are
added in chunk order afterwards. Results are therefore identical for any number of threads.
Medians and the Gini are read from fine histograms (64 bins per doubling, relative bin width
below 1.6 %), since sorting every month would cost more than the month itself.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from model.payments import monthly_payment
from model.programmes import N_PROGRAMMES
from model.state import (
    ACTIVE_PROGRAMMES,
    ADULTS,
    ARREARS_MONTHS,
    ASSETS,
    CHILDREN,
    CONFIDENCE,
    CONSUMPTION,
    CULTURE,
    ELDERLY,
    ENROLLED,
    ENROLLED_EVER,
    EVENT_DEFAULTED,
    EVENT_GRADUATED,
    EVENT_JOB_FOUND,
    EVENT_LEFT,
    EVENT_RELAPSED,
    EVENT_SHOCK,
    EVENTS,
    GRADUATED,
    GRADUATION_MONTH,
    INCOME,
    LEFT,
    LOAN_SUBSIDY,
    MENTOR,
    OCCUPATION,
    OCCUPATIONS,
    P_MICROCREDIT,
    REPAID,
    SIZE,
    SKILL,
    STATUS,
    TRANSFERS,
    WAGE_JOB,
)

N_OCCUPATIONS = len(OCCUPATIONS)
"""Occupation codes: a module-level int, so numba compiles it in as a constant."""
(A_ACTIVE, A_POOR, A_GAP, A_GAP2, A_CONSUMPTION_PC, A_ASSETS, A_ABOVE_THRESHOLD,
 A_OCCUPATIONS) = range(8)
A_OCC_WAGE = A_OCCUPATIONS + WAGE_JOB  # households of occupation o: A_OCCUPATIONS + o
_AFTER_OCCUPATIONS = A_OCCUPATIONS + N_OCCUPATIONS
(A_GRADUATED, A_ENROLLED, A_GRADUATIONS, A_RELAPSES, A_EXITS, A_SHOCKS, A_JOBS_FOUND, A_SKILL,
 A_CONFIDENCE, A_CULTURE, A_INCOME_PC, A_PENSION, A_REPAID, A_DEFAULTS, A_IN_ARREARS,
 A_MENTORED, A_SUSTAINED, A_CONSUMPTION_TOTAL, A_CONSUMPTION_AE, A_LOANS_RETURNED,
 A_LOAN_SUBSIDY, A_PROGRAMME_ENROLLED) = range(_AFTER_OCCUPATIONS, _AFTER_OCCUPATIONS + 22)
A_PROGRAMME_SPENDING = A_PROGRAMME_ENROLLED + N_PROGRAMMES
N_ACC = A_PROGRAMME_SPENDING + N_PROGRAMMES

SUB_BINS = 64          # bins per doubling
LOW_EXPONENT = -9      # smallest binned value 2**-10 z
HIGH_EXPONENT = 15     # largest binned value 2**15 z
N_BINS = (HIGH_EXPONENT - LOW_EXPONENT + 1) * SUB_BINS + 2  # plus under- and overflow
H_CONSUMPTION, H_CONSUMPTION_SUM, H_ASSETS, N_HIST = range(4)
CHUNK_MIN_ROWS = 2048
T_OCCUPATIONS = 0                               # a block's households by occupation
T_IN_PROGRAMME = T_OCCUPATIONS + N_OCCUPATIONS  # ... by programme delivered
T_SPENDING = T_IN_PROGRAMME + N_PROGRAMMES      # its spending by programme
N_TALLIES = T_SPENDING + N_PROGRAMMES
BLOCK = 256  # rows a fused month updates before recording them (they are still in cache)
MAX_CHUNKS = 256


def chunk_count(n: int) -> int:
    """Number of accumulation chunks for ``n`` households (independent of threads); a
    multiple of 4 from 4 chunks on, so that 2 or 4 threads share the work evenly."""
    chunks = max(1, min(MAX_CHUNKS, n // CHUNK_MIN_ROWS))
    return chunks - chunks % 4 if chunks >= 4 else chunks



@njit(cache=True, inline="always")
def adult_equivalents(ints: np.ndarray, h: int) -> float:
    """Household ``h``'s size on the OECD-modified scale: 1 for the first adult, 0.5 for each
    other adult, 0.3 for each child; the elderly count as adults (a household of children
    alone counts its first child as 1)."""
    grown = ints[h, ADULTS] + ints[h, ELDERLY]
    children = ints[h, CHILDREN]
    if grown > 0:
        return 1.0 + 0.5 * (grown - 1) + 0.3 * children
    return 1.0 + 0.3 * (children - 1)


def new_accumulators(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-chunk accumulators float64[chunks, N_ACC] and histograms float64[chunks, N_HIST,
    N_BINS]."""
    chunks = chunk_count(n)
    return np.zeros((chunks, N_ACC)), np.zeros((chunks, N_HIST, N_BINS))


@njit(cache=True, inline="always")
def clear_chunk(acc_c: np.ndarray, hist_c: np.ndarray) -> None:
    """Clear one chunk's accumulators and histograms before they are refilled. The histograms
    count active households only (:func:`record_block`), so a chunk that had none is clear
    already and is not written again (N_HIST × N_BINS values, 51 KB)."""
    if acc_c[A_ACTIVE] != 0.0:
        hist_c[:] = 0.0
    acc_c[:] = 0.0


@njit(cache=True)
def chunk_totals(acc: np.ndarray, hist: np.ndarray, acc_total: np.ndarray) -> np.ndarray:
    """Add up the chunks of :func:`new_accumulators`: their accumulators into ``acc_total``
    (float64[N_ACC]); returns their histograms' sum (float64[N_HIST, N_BINS]). Chunk after
    chunk, as numpy's sum over the first axis adds them."""
    acc_total[:] = acc[0]
    for c in range(1, acc.shape[0]):
        acc_total += acc[c]
    total = hist[0].copy()
    for c in range(1, hist.shape[0]):
        if acc[c, A_ACTIVE] != 0.0:  # else its histograms are empty (clear_chunk)
            total += hist[c]
    return total


@njit(cache=True, inline="always")
def bin_of(value: float, bits: np.ndarray) -> int:
    """Histogram bin of a non-negative value: 64 linear bins per doubling.

    ``bits`` is an int64[1] view of a float64[1] scratch buffer: the bin is read from the
    value's exponent and top six mantissa bits, as ``math.frexp`` would give them, without
    a library call.
    """
    if value <= 0.0:
        return 0
    bits.view(np.float64)[0] = value
    raw = bits[0]
    exponent = ((raw >> 52) & 0x7FF) - 1022  # frexp's exponent: value = m * 2**e, m in [.5, 1)
    if exponent < LOW_EXPONENT:
        return 0
    if exponent > HIGH_EXPONENT:
        return N_BINS - 1
    return 1 + (exponent - LOW_EXPONENT) * SUB_BINS + int((raw >> 46) & (SUB_BINS - 1))


def bin_edges() -> np.ndarray:
    """Lower edges of the bins (float64[N_BINS + 1]; the last is the overflow's upper edge)."""
    edges = np.empty(N_BINS + 1)
    edges[0] = 0.0
    b = 1
    for exponent in range(LOW_EXPONENT, HIGH_EXPONENT + 1):
        for sub in range(SUB_BINS):
            edges[b] = (0.5 + sub / (2 * SUB_BINS)) * 2.0 ** exponent
            b += 1
    edges[N_BINS - 1] = 2.0 ** HIGH_EXPONENT
    edges[N_BINS] = np.inf
    return edges


@njit(cache=True, inline="always")
def record_block(floats: np.ndarray, ints: np.ndarray, gone: np.ndarray, lo: int, hi: int,
                 k_star: float,
                 sustained_since: int, amounts: np.ndarray, unit_costs: np.ndarray,
                 acc: np.ndarray, hist: np.ndarray, bits: np.ndarray,
                 tallies: np.ndarray) -> None:
    """Add households ``lo..hi-1`` after their month to one chunk's accumulators.

    Sums are kept in local variables over the block and added to ``acc`` once at its end.

    Args:
        floats: float64[n, N_FLOAT]; ints: int32[n, N_INT] (model.state layout).
        sustained_since: graduates of this month who are still graduated now count as
            sustained graduations (the month ``status.sustained_months`` ago).
        amounts, unit_costs: float64[N_PROGRAMMES], the month's doses and delivery costs
            (``model.month.Month``); what a programme pays is ``model.payments``'s rule.
        acc: float64[N_ACC] of the chunk; hist: float64[N_HIST, N_BINS] of the chunk;
        bits: int64[1] scratch (see ``bin_of``); tallies: float64[N_TALLIES] scratch, the
            block's counts by occupation and by programme and its spending by programme
            (kept by the caller, so that a block allocates nothing).
    """
    active = poor = gap = gap2 = consumption = assets = above = 0.0
    graduated = enrolled = graduations = relapses = exits = shocks = jobs = 0.0
    skill = confidence = culture = income = pension = repaid = defaults = arrears = 0.0
    mentored = sustained = consumption_total = consumption_ae = returned = subsidy = 0.0
    tallies[:] = 0.0
    for h in range(lo, hi):
        if gone[h]:
            continue  # left before last month (HouseholdState.gone)
        events = ints[h, EVENTS]
        status = ints[h, STATUS]
        if status >= LEFT and not events & EVENT_LEFT:
            continue  # left in an earlier month, or not entered yet
        # money of the month, including households that leave at its end
        size = float(ints[h, SIZE])
        support = 0.0
        delivered = ints[h, ACTIVE_PROGRAMMES]
        if delivered:
            for p in range(N_PROGRAMMES):
                if delivered >> p & 1:
                    tallies[T_IN_PROGRAMME + p] += 1.0
                    cash = monthly_payment(p, amounts[p], size)
                    support += cash
                    tallies[T_SPENDING + p] += unit_costs[p] + cash
        pension += floats[h, TRANSFERS] - support
        repaid += floats[h, REPAID]
        if ints[h, ENROLLED_EVER] >> P_MICROCREDIT & 1:  # its debt is the programme's loan
            returned += floats[h, REPAID]
            subsidy += floats[h, LOAN_SUBSIDY]
        defaults += 1.0 if events & EVENT_DEFAULTED else 0.0
        arrears += 1.0 if ints[h, ARREARS_MONTHS] > 0 else 0.0
        if events & EVENT_LEFT:
            exits += 1.0
            continue
        c_pc = floats[h, CONSUMPTION] / size
        k = floats[h, ASSETS]
        active += 1.0
        shortfall = max(1.0 - c_pc, 0.0)
        poor += 1.0 if c_pc < 1.0 else 0.0
        gap += shortfall
        gap2 += shortfall * shortfall
        consumption += c_pc
        consumption_total += floats[h, CONSUMPTION]
        consumption_ae += floats[h, CONSUMPTION] / adult_equivalents(ints, h)
        assets += k
        above += 1.0 if k >= k_star else 0.0
        tallies[T_OCCUPATIONS + ints[h, OCCUPATION]] += 1.0
        graduated += 1.0 if status == GRADUATED else 0.0
        if status == GRADUATED and ints[h, GRADUATION_MONTH] == sustained_since:
            sustained += 1.0
        enrolled += 1.0 if status == ENROLLED else 0.0
        graduations += 1.0 if events & EVENT_GRADUATED else 0.0
        relapses += 1.0 if events & EVENT_RELAPSED else 0.0
        shocks += 1.0 if events & EVENT_SHOCK else 0.0
        jobs += 1.0 if events & EVENT_JOB_FOUND else 0.0
        skill += floats[h, SKILL]
        confidence += floats[h, CONFIDENCE]
        culture += floats[h, CULTURE]
        income += floats[h, INCOME] / size
        mentored += 1.0 if ints[h, MENTOR] >= 0 else 0.0
        b = bin_of(c_pc, bits)
        hist[H_CONSUMPTION, b] += 1.0
        hist[H_CONSUMPTION_SUM, b] += c_pc
        hist[H_ASSETS, bin_of(k, bits)] += 1.0
    acc[A_ACTIVE] += active
    acc[A_POOR] += poor
    acc[A_GAP] += gap
    acc[A_GAP2] += gap2
    acc[A_CONSUMPTION_PC] += consumption
    acc[A_ASSETS] += assets
    acc[A_ABOVE_THRESHOLD] += above
    for o in range(N_OCCUPATIONS):
        acc[A_OCCUPATIONS + o] += tallies[T_OCCUPATIONS + o]
    acc[A_GRADUATED] += graduated
    acc[A_ENROLLED] += enrolled
    acc[A_GRADUATIONS] += graduations
    acc[A_RELAPSES] += relapses
    acc[A_EXITS] += exits
    acc[A_SHOCKS] += shocks
    acc[A_JOBS_FOUND] += jobs
    acc[A_SKILL] += skill
    acc[A_CONFIDENCE] += confidence
    acc[A_CULTURE] += culture
    acc[A_INCOME_PC] += income
    acc[A_PENSION] += pension
    acc[A_REPAID] += repaid
    acc[A_DEFAULTS] += defaults
    acc[A_IN_ARREARS] += arrears
    acc[A_MENTORED] += mentored
    acc[A_SUSTAINED] += sustained
    acc[A_CONSUMPTION_TOTAL] += consumption_total
    acc[A_CONSUMPTION_AE] += consumption_ae
    acc[A_LOANS_RETURNED] += returned
    acc[A_LOAN_SUBSIDY] += subsidy
    for p in range(N_PROGRAMMES):
        acc[A_PROGRAMME_ENROLLED + p] += tallies[T_IN_PROGRAMME + p]
        acc[A_PROGRAMME_SPENDING + p] += tallies[T_SPENDING + p]


@njit(cache=True, parallel=True)
def record_month(floats: np.ndarray, ints: np.ndarray, gone: np.ndarray, k_star: float,
                 sustained_since: int,
                 amounts: np.ndarray, unit_costs: np.ndarray, acc: np.ndarray,
                 hist: np.ndarray) -> None:
    """Fill the chunk accumulators from the state (the Python engine's record phase).

    Blocks of ``BLOCK`` rows are recorded exactly as in the fused numba month.

    Args:
        floats, ints, gone: household state (model.state layout).
        acc: float64[chunks, N_ACC]; hist: float64[chunks, N_HIST, N_BINS]: each chunk is
            cleared (:func:`clear_chunk`) and refilled.
    """
    n = floats.shape[0]
    chunks = acc.shape[0]
    size = (n + chunks - 1) // chunks
    for c in prange(chunks):
        acc_c = acc[c]
        hist_c = hist[c]
        clear_chunk(acc_c, hist_c)
        bits = np.zeros(1, dtype=np.int64)
        tallies = np.empty(N_TALLIES)
        for lo in range(c * size, min(n, (c + 1) * size), BLOCK):
            hi = min(lo + BLOCK, min(n, (c + 1) * size))
            record_block(floats, ints, gone, lo, hi, k_star, sustained_since, amounts, unit_costs,
                         acc_c, hist_c, bits, tallies)
