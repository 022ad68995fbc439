"""The Python engine's month (``engine="python"``): each ``Household`` agent steps itself.

The agents run the phase functions of ``model.month.PHASES`` uncompiled, in row order, around
the same job market the numba engine (``model.schedule``) uses; outcomes are recorded by the
same numba accumulators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agents.household import Household
from model import record
from model.month import allocate_jobs, hiring_enterprises, open_job_slots

if TYPE_CHECKING:
    from agents.simulation import EmpowermentModel


def python_month(m: EmpowermentModel) -> tuple[int, int]:
    """The month with each Household agent's ``search()`` and ``step()``; returns the new job
    slots and the number filled."""
    households = list(m.agents_by_type[Household])  # in row order, as created
    m.month_under_way = True  # the households may step now, and only now
    try:
        for household in households:
            household.search()
        enterprises = hiring_enterprises.py_func(m.state.ints)
        slots = open_job_slots.py_func(enterprises, m.open_market_slots,
                                       m.params.labour.enterprise_hiring, m.slots_owed)
        filled = allocate_jobs.py_func(m.state.floats, m.state.ints, m.candidate, slots,
                                       m.mentors.contact, m.params.labour.referral_priority)
        for household in households:
            household.step()
    finally:
        m.month_under_way = False
    record.record_month(m.state.floats, m.state.ints, m.state.gone, m.asset_threshold,
                        m.sustained_since,
                        m.amounts, m.unit_costs, m.acc, m.hist)
    return int(slots), int(filled)
