"""The numba engine's month: the phases of ``model.month`` fused into compiled kernels.

The phases run in the order of ``model.month.PHASES``, in two parallel kernels around the job
market. The Python engine (``engine="python"``, ``agents.python_engine``) runs the same phase
functions uncompiled, one ``Household`` agent after another; both record outcomes with the
same numba accumulators.
"""

from __future__ import annotations

import numpy as np

from model.kernel_params import KernelParams
from model.month import allocate_jobs, household_kernel, search_kernel
from model.rules import Month
from model.state import HouseholdState


def numba_month(state: HouseholdState, params: KernelParams, ctx: Month, job_slots: int,
                sustained_since: int, acc: np.ndarray, hist: np.ndarray) -> int:
    """The month with the fused kernels; returns the number of jobs filled.

    Args:
        state: the households, stepped in place.
        params: the phases' parameters this month.
        ctx: this month's context (keys, doses, mentors, job candidates, the social network,
            last month's and next month's peer signals).
        job_slots: new job slots this month.
        sustained_since: the graduation month whose graduates, still graduated, count as
            sustained (-1: none yet).
        acc, hist: the outcome accumulators (``model.record``), refilled for this month.
    """
    search_kernel(state.floats, state.ints, *params, *ctx)
    filled = allocate_jobs(state.floats, state.ints, ctx.candidate, job_slots,
                           ctx.mentor_contact)
    acc.fill(0.0)
    hist.fill(0.0)
    household_kernel(state.floats, state.ints, *params, *ctx, sustained_since, acc, hist)
    return filled
