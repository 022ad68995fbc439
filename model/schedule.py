"""The two engines of one month: the phases of ``model.month``, compiled or not.

Both run the same phase functions in the order of ``model.month.PHASES``: the numba engine
fused into two parallel kernels around the job market, the Python engine (``engine="python"``)
uncompiled, one ``Household`` agent after another. Outcomes are recorded by the same numba
accumulators in both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from model import record
from model.month import allocate_jobs, household_kernel, search_kernel
from model.rules import Month

if TYPE_CHECKING:
    from model.sim import EmpowermentModel


def month_context(m: EmpowermentModel) -> Month:
    """What the household phases read of this month besides the parameters."""
    return Month(m.month, m.keys, m.amounts, m.unit_costs, m.mentors.effects, m.mentors.contact,
                 m.network.ptr, m.candidate, m.peer_next)


def numba_month(m: EmpowermentModel) -> int:
    """The month with the fused kernels; returns the number of jobs filled."""
    s = m.state
    ctx = m.month_context
    search_kernel(s.floats, s.ints, *m.params, *ctx)
    filled = allocate_jobs(s.floats, s.ints, m.candidate, m.job_slots, m.mentors.contact)
    m.acc.fill(0.0)
    m.hist.fill(0.0)
    household_kernel(s.floats, s.ints, *m.params, *ctx, m.network.index, m.peer_prev,
                     m.sustained_since, m.acc, m.hist)
    return filled


def python_month(m: EmpowermentModel) -> int:
    """The month with each Household agent's ``search()`` and ``step()``; returns jobs filled."""
    from agents import Household

    households = list(m.agents_by_type[Household])  # in row order, as created
    for household in households:
        household.search()
    filled = allocate_jobs.py_func(m.state.floats, m.state.ints, m.candidate, m.job_slots,
                                   m.mentors.contact)
    for household in households:
        household.step()
    m.acc.fill(0.0)
    m.hist.fill(0.0)
    record.record_month(m.state.floats, m.state.ints, m.asset_threshold, m.sustained_since,
                        m.amounts, m.unit_costs, m.acc, m.hist)
    return int(filled)
