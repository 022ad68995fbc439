"""The order of one month, written once (MODEL.md §3), and its two engines.

0. programmes   enrolment (targeting, capacities, budget; one-off grants and loans) and the
                matching of mentors, first: what a household receives this month must be
                known before it acts (``model.sim``, shared by both engines);
1. shocks       first, so that a hit costs this month's enterprise income and the informal
                insurance sees the assets the household had when it was hit;
2. labour       job loss and search before production, so a new job pays this month; slots are
                a market over all households, hence the only step between the two kernels;
3. enterprise   on the post-shock assets and current skill and confidence;
4. transfers    the pension stops once a household has graduated;
5. consumption  cash on hand is known only now; saving follows the aspiration gap of last month;
6. assets       depreciation and this month's investment;
7. skills       decay of trained skill (training arrives with the programmes);
8. confidence   from own outcome, neighbours' success and role models of last month;
9. aspirations  and culture from last month's neighbours (a synchronous update: every household
                reads the same snapshot, so the visiting order never matters);
10. status      graduation, relapse, then exogenous exit, on the month's final state;
11. record      outcomes of the month, fused into the same pass in the numba engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model import kernels, record

if TYPE_CHECKING:
    from model.sim import EmpowermentModel


def numba_month(m: EmpowermentModel, candidate: np.ndarray) -> int:
    """Phases 1-11 with the numba kernels; returns the number of jobs filled."""
    s = m.state
    kernels.shocks_and_job_search(s.floats, s.ints, m.params, m.amounts, m.network.ptr,
                                  m.keys, m.month, candidate, m.mentors.contact)
    filled = kernels.allocate_jobs(s.floats, s.ints, candidate, m.job_slots, m.mentors.contact)
    m.acc.fill(0.0)
    m.hist.fill(0.0)
    kernels.month_and_record(s.floats, s.ints, m.params, m.amounts, m.unit_costs,
                             m.mentors.effects, m.network.ptr, m.network.index, m.peer_prev,
                             m.peer_next, m.keys, m.month, m.sustained_since, m.acc, m.hist)
    return filled


def python_month(m: EmpowermentModel) -> int:
    """Phases 1-11 with each Household agent's Python methods; returns jobs filled."""
    from agents import Household
    from model.state import EVENT_JOB_FOUND, SKILL

    households = list(m.agents_by_type[Household])  # in row order, as created
    offers = [h for h in households if h.meet_shocks_and_search()]
    # slots go to the more strongly referred first, then the more skilled, then the lower row
    skill = m.state.floats[:, SKILL]
    offers.sort(key=lambda h: (-(skill[h.row] + 2.0 * h.referred()), h.row))
    hired = offers[:m.job_slots]
    for h in hired:
        h.has_job = 1
        h.events |= EVENT_JOB_FOUND
    for h in households:
        h.step()
    m.acc.fill(0.0)
    m.hist.fill(0.0)
    record.record_month(m.state.floats, m.state.ints, m.asset_threshold, m.sustained_since,
                        m.amounts, m.unit_costs, m.acc, m.hist)
    return len(hired)
