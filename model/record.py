"""Monthly outcome accumulators shared by both engines (MODEL.md §6).

Households are split into a fixed number of chunks that depends only on the population size;
each chunk sums its households in row order into its own accumulator row, and the rows are
added in chunk order afterwards. Results are therefore identical for any number of threads.
Medians and the Gini are read from fine histograms (64 bins per doubling, relative bin width
below 1.6 %), since sorting every month would cost more than the month itself.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from model.state import (
    ASSETS,
    CONFIDENCE,
    CONSUMPTION,
    CULTURE,
    ENROLLED,
    EVENT_GRADUATED,
    EVENT_JOB_FOUND,
    EVENT_LEFT,
    EVENT_RELAPSED,
    EVENT_SHOCK,
    EVENTS,
    GRADUATED,
    INCOME,
    LEFT,
    OCCUPATION,
    SIZE,
    SKILL,
    STATUS,
    TRANSFERS,
)

(A_ACTIVE, A_POOR, A_GAP, A_GAP2, A_CONSUMPTION_PC, A_ASSETS, A_ABOVE_THRESHOLD,
 A_OCC_NONE, A_OCC_CASUAL, A_OCC_LOW, A_OCC_HIGH, A_OCC_WAGE, A_GRADUATED, A_ENROLLED,
 A_GRADUATIONS, A_RELAPSES, A_EXITS, A_SHOCKS, A_JOBS_FOUND, A_SKILL, A_CONFIDENCE,
 A_CULTURE, A_INCOME_PC, A_TRANSFERS, N_ACC) = range(25)

SUB_BINS = 64          # bins per doubling
LOW_EXPONENT = -9      # smallest binned value 2**-10 z
HIGH_EXPONENT = 15     # largest binned value 2**15 z
N_BINS = (HIGH_EXPONENT - LOW_EXPONENT + 1) * SUB_BINS + 2  # plus under- and overflow
H_CONSUMPTION, H_CONSUMPTION_SUM, H_ASSETS, N_HIST = range(4)
CHUNK_MIN_ROWS = 2048
MAX_CHUNKS = 256


def chunk_count(n: int) -> int:
    """Number of accumulation chunks for ``n`` households (independent of threads)."""
    return max(1, min(MAX_CHUNKS, n // CHUNK_MIN_ROWS))


def new_accumulators(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-chunk accumulators float64[chunks, N_ACC] and histograms float64[chunks, N_HIST,
    N_BINS]."""
    chunks = chunk_count(n)
    return np.zeros((chunks, N_ACC)), np.zeros((chunks, N_HIST, N_BINS))


@njit(cache=True, inline="always")
def bin_of(value: float) -> int:
    """Histogram bin of a non-negative value: 64 linear bins per doubling."""
    if value <= 0.0:
        return 0
    mantissa, exponent = math.frexp(value)
    if exponent < LOW_EXPONENT:
        return 0
    if exponent > HIGH_EXPONENT:
        return N_BINS - 1
    return 1 + (exponent - LOW_EXPONENT) * SUB_BINS + int((mantissa - 0.5) * (2 * SUB_BINS))


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
def accumulate(floats: np.ndarray, ints: np.ndarray, h: int, k_star: float,
               acc: np.ndarray, hist: np.ndarray) -> None:
    """Add household ``h`` after its month to one chunk's accumulators.

    Args:
        floats: float64[N_FLOAT, n]; ints: int32[N_INT, n] (model.state layout).
        acc: float64[N_ACC] of the chunk; hist: float64[N_HIST, N_BINS] of the chunk.
    """
    events = ints[EVENTS, h]
    if events & EVENT_LEFT:
        acc[A_EXITS] += 1.0
    if ints[STATUS, h] == LEFT:
        return
    size = float(ints[SIZE, h])
    c_pc = floats[CONSUMPTION, h] / size
    k = floats[ASSETS, h]
    acc[A_ACTIVE] += 1.0
    if c_pc < 1.0:
        shortfall = 1.0 - c_pc
        acc[A_POOR] += 1.0
        acc[A_GAP] += shortfall
        acc[A_GAP2] += shortfall * shortfall
    acc[A_CONSUMPTION_PC] += c_pc
    acc[A_ASSETS] += k
    if k >= k_star:
        acc[A_ABOVE_THRESHOLD] += 1.0
    acc[A_OCC_NONE + ints[OCCUPATION, h]] += 1.0
    status = ints[STATUS, h]
    if status == GRADUATED:
        acc[A_GRADUATED] += 1.0
    elif status == ENROLLED:
        acc[A_ENROLLED] += 1.0
    if events & EVENT_GRADUATED:
        acc[A_GRADUATIONS] += 1.0
    if events & EVENT_RELAPSED:
        acc[A_RELAPSES] += 1.0
    if events & EVENT_SHOCK:
        acc[A_SHOCKS] += 1.0
    if events & EVENT_JOB_FOUND:
        acc[A_JOBS_FOUND] += 1.0
    acc[A_SKILL] += floats[SKILL, h]
    acc[A_CONFIDENCE] += floats[CONFIDENCE, h]
    acc[A_CULTURE] += floats[CULTURE, h]
    acc[A_INCOME_PC] += floats[INCOME, h] / size
    acc[A_TRANSFERS] += floats[TRANSFERS, h]
    b = bin_of(c_pc)
    hist[H_CONSUMPTION, b] += 1.0
    hist[H_CONSUMPTION_SUM, b] += c_pc
    hist[H_ASSETS, bin_of(k)] += 1.0


@njit(cache=True, parallel=True)
def record_month(floats: np.ndarray, ints: np.ndarray, k_star: float,
                 acc: np.ndarray, hist: np.ndarray) -> None:
    """Fill the chunk accumulators from the state (the Python engine's record phase).

    Args:
        floats, ints: household state (model.state layout).
        acc: float64[chunks, N_ACC], zeroed; hist: float64[chunks, N_HIST, N_BINS], zeroed.
    """
    n = floats.shape[1]
    chunks = acc.shape[0]
    size = (n + chunks - 1) // chunks
    for c in prange(chunks):
        for h in range(c * size, min(n, (c + 1) * size)):
            accumulate(floats, ints, h, k_star, acc[c], hist[c])
