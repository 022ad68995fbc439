"""The numba engine's month: the phases of ``model.month`` fused into compiled kernels.

The phases run in the order of ``model.month.PHASES``, in two parallel kernels around the job
market (labour demand, then the slots). The Python engine (``engine="python"``,
``agents.python_engine``) runs the same phase functions uncompiled, one ``Household`` agent
after another; both record outcomes with the same numba accumulators.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
from numba._dispatcher import compute_fingerprint
from numba.core.typing.typeof import Purpose

from model import month
from model.kernel_params import PARAMETER_TUPLES, KernelParams
from model.month import allocate_jobs, open_job_slots
from model.rules import Month
from model.state import HouseholdState


class KnownTypes:
    """A compiled kernel called straight through the overload its arguments' types select.

    numba's dispatcher works out the types of every argument at each call; for the month's
    parameters (about 110 values in named tuples) that takes about 12 µs, most of a call. Here
    parameters that are the very tuples of the call before (rebuilt only when k* or the
    pension change: ``model.kernel_params.build``) are taken as they are, every other argument
    is fingerprinted as the dispatcher does it, and while all match, the overload of the call
    before is called again. Otherwise the overload for the new types is looked up, or (not
    compiled yet) the dispatcher called. Only the parameters are held from one call to the
    next.
    """

    def __init__(self, kernel: Any) -> None:
        self.kernel = kernel
        self.known: tuple[tuple[tuple[Any, bytes], ...], Any] | None = None  # args, entry

    def __call__(self, *args: Any) -> Any:
        known = self.known
        if known is None or not _same_types(args, known[0]):
            known = self.known = self._overload(args)
        if known is None:
            return self.kernel(*args)
        return known[1](*args)

    def _overload(self, args: tuple[Any, ...]) -> tuple[tuple[tuple[Any, bytes], ...], Any] | None:
        """The arguments as seen (parameters, fingerprints) and the entry point of the overload
        for their types; None if there is none yet."""
        try:
            fingerprints = tuple(compute_fingerprint(arg) for arg in args)
        except ValueError:  # a type numba does not fingerprint: the dispatcher finds it
            return None
        overload = self.kernel.overloads.get(tuple(map(_numba_type, args, fingerprints)))
        if overload is None:
            return None
        held = tuple(arg if isinstance(arg, PARAMETER_TUPLES) else None for arg in args)
        return tuple(zip(held, fingerprints, strict=True)), overload.entry_point


def _same_types(args: tuple[Any, ...], seen: tuple[tuple[Any, bytes], ...]) -> bool:
    """Whether each argument is the parameter tuple seen at its place, or has the fingerprint
    seen there."""
    if len(args) != len(seen):
        return False
    for arg, (parameters, fingerprint) in zip(args, seen, strict=True):
        if arg is not parameters and compute_fingerprint(arg) != fingerprint:
            return False
    return True


_TYPES: dict[bytes, Any] = {}  # numba's type of an argument, by its fingerprint


def _numba_type(arg: Any, fingerprint: bytes) -> Any:
    """numba's type of ``arg`` as a kernel argument (worked out once per fingerprint)."""
    if fingerprint not in _TYPES:
        _TYPES[fingerprint] = numba.typeof(arg, Purpose.argument)
    return _TYPES[fingerprint]


# the kernels of model.month, called with their types known
search_serial = KnownTypes(month.search_serial)
search_kernel = KnownTypes(month.search_kernel)
household_serial = KnownTypes(month.household_serial)
household_kernel = KnownTypes(month.household_kernel)


def numba_month(state: HouseholdState, params: KernelParams, ctx: Month, open_market: float,
                slots_owed: np.ndarray, sustained_since: int, acc: np.ndarray,
                hist: np.ndarray) -> tuple[int, int]:
    """The month with the fused kernels; returns the new job slots and the number filled.

    With one numba thread the kernels' serial twins run on the calling thread: starting a
    parallel region costs about 50-400 µs a kernel (with the work-queue threading layer the
    most), more than a month of a few hundred households. Both give the same results.

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
    serial = threads == 1
    entered = state.entered  # the rows from here on have not entered: the month skips them
    floats, ints = state.floats[:entered], state.ints[:entered]
    if serial:
        enterprises = search_serial(floats, ints, state.gone, params, ctx)
    else:
        enterprises = search_kernel(floats, ints, state.gone, *params, *ctx)
    slots = open_job_slots(enterprises, open_market, params.labour.enterprise_hiring,
                           slots_owed)
    filled = allocate_jobs(state.floats, state.ints, ctx.candidate[:entered], slots,
                           ctx.mentor_contact)
    if serial:
        household_serial(state.floats, state.ints, state.gone, entered, params, ctx,
                         sustained_since, acc, hist)
    else:
        household_kernel(state.floats, state.ints, state.gone, entered, threads, *params, *ctx,
                         sustained_since, acc, hist)
    return slots, filled
