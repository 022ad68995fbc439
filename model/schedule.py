"""The numba engine's month: the phases of ``model.month`` fused into compiled kernels.

The phases run in the order of ``model.month.PHASES``, in two parallel kernels around the job
market (labour demand, then the slots). The Python engine (``engine="python"``,
``agents.python_engine``) runs the same phase functions uncompiled, one ``Household`` agent
after another; both record outcomes with the same numba accumulators.
"""

from __future__ import annotations

import numba
import numpy as np

from model.kernel_params import KernelParams
from model.month import parallel_month, serial_month
from model.rules import Month
from model.state import HouseholdState


def numba_month(state: HouseholdState, params: KernelParams, ctx: Month, open_market: float,
                slots_owed: np.ndarray, sustained_since: int, acc: np.ndarray,
                hist: np.ndarray) -> tuple[int, int]:
    """The month with the fused kernels; returns the new job slots and the number filled.

    The month is one compiled call (``model.month.parallel_month``), so that its parameters
    are typed once (about 30 µs a call). With one numba thread it runs on the calling thread
    (``model.month.serial_month``): starting a parallel region costs about 50-400 µs a kernel
    (with the work-queue threading layer the most), more than a month of a few hundred
    households. Both give the same results.

    Args:
        state: the households, stepped in place.
        params: the phases' parameters this month.
        ctx: this month's context (keys, doses, mentors, job candidates, the social network,
            last month's and next month's peer signals).
        open_market: new job slots a month besides those of the clients' enterprises
            (``model.month.open_market_slots``).
        slots_owed: float64[1], the fraction of a slot carried from month to month.
        sustained_since: the graduation month whose graduates, still graduated, count as
            sustained (-1: none yet).
        acc, hist: the outcome accumulators (``model.record``), refilled for this month.
    """
    threads = numba.get_num_threads()
    entered = state.entered  # the rows from here on have not entered: the month skips them
    if threads == 1:
        return serial_month(state.floats, state.ints, state.gone, entered, params, ctx,
                            open_market, slots_owed, sustained_since, acc, hist)
    return parallel_month(state.floats, state.ints, state.gone, entered, threads, params, ctx,
                          open_market, slots_owed, sustained_since, acc, hist)
