"""Programme delivery, the month's first phase: enrolment, then mentor matching.

:class:`ProgrammeDelivery` holds a run's programmes, mentors and budget. Each month, before
households act, :meth:`ProgrammeDelivery.before_households` sets the month's doses, enrols
households (``scenarios.enrolment``, in the order of ``scenarios.targeting``) and matches
mentors (``model.mentors``), writing into the household state it is given. The job
programme also pays, every month, for the slots its firms add (``institutions.job_slots``),
contracted for the whole run: their cost is committed from the budget in the first month.
"""

from __future__ import annotations

import numpy as np

from model import mentors as mentoring
from model import rng
from model.month import job_programme_slots
from model.params import Config
from model.programme_params import INSTITUTIONS
from model.programmes import N_PROGRAMMES, PROGRAMME_NAMES, PROGRAMMES
from model.results import NetworkRow
from model.state import P_JOB_MATCHING, PROGRAMME_COST, HouseholdState
from model.threshold import dose_threshold
from scenarios.enrolment import Book, MonthContext, enrol_month, real_dose

# which real dose each programme pays or applies every month it runs
MONTHLY_DOSE = tuple(spec.name for spec in PROGRAMMES if spec.monthly)


class ProgrammeDelivery:
    """Programmes, mentors and the budget of one run."""

    def __init__(self, cfg: Config, households: int,
                 assigned: np.ndarray | None = None) -> None:
        """``assigned``: each row's assigned programmes as bits (``scenarios.assignment``),
        or None when every household may be enrolled."""
        self.cfg = cfg
        self.assigned = assigned
        self.book = Book()
        self.mentors = mentoring.build(cfg, households)
        progs = [getattr(cfg.programmes, name) for name in PROGRAMME_NAMES]
        self.enabled = np.array([p.enabled for p in progs])
        self.unit_costs = np.array([p.unit_cost_z if p.enabled else 0.0 for p in progs])
        self.amounts = np.zeros(N_PROGRAMMES)
        self.institution_of = np.array([INSTITUTIONS.index(p.institution) for p in progs])
        self.replaced = 0
        self.replaced_total = 0
        self.dose_k_star = dose_threshold(cfg)
        self.job_slots_cost = job_programme_slots(cfg, households) * \
            cfg.institutions.job_slot_cost_z  # z/month, booked to the job programme
        self.gates = np.array([cfg.enterprise.confidence_gate, cfg.enterprise.culture_gate,
                               cfg.diagnosis.low_skill])

    def set_month(self, price_level: float) -> None:
        """This month's real doses of the monthly programmes."""
        for p, name in enumerate(PROGRAMME_NAMES):
            if not self.enabled[p] or name not in MONTHLY_DOSE:
                self.amounts[p] = PROGRAMMES[p].at_zero  # no effect
                continue
            dose = real_dose(self.cfg, p, price_level)
            if name == "cash_transfer":
                dose /= self.cfg.programmes.cash_transfer.duration_months
            self.amounts[p] = dose

    def free_mentor_places(self) -> int:
        """Room left with the active mentors."""
        m = self.mentors
        return int(((m.capacity - m.caseload) * (m.active == 1)).sum())

    def before_households(self, state: HouseholdState, month: int, asset_threshold: float,
                          price_level: float) -> None:
        """Enrol, then match mentors (compiled, or uncompiled for engine=python).

        Args:
            state: the households, enrolled and matched in place.
            month: the month about to be simulated (1, 2, ...).
            asset_threshold: k*, the asset threshold of the trap (z).
            price_level: prices relative to month 0, for the real value of the doses.
        """
        self.set_month(price_level)
        self.book.start_month()
        self.replaced = 0
        if not self.enabled.any():
            return
        state.floats[:, PROGRAMME_COST] = 0.0
        if month == 1:  # the firms' slots are contracted for the whole run
            self.book.committed_z += self.job_slots_cost * self.cfg.months
        ctx = MonthContext(month, asset_threshold, self.dose_k_star, price_level,
                           self.free_mentor_places())
        enrol_month(state, self.cfg, self.book, ctx, self.assigned)
        self.book.one_off[P_JOB_MATCHING] += self.job_slots_cost
        if self.mentors.n == 0:
            return
        key = rng.key(self.cfg.seed, "mentor", month)
        dropout = self.cfg.institutions.volunteer_dropout
        match = mentoring.match.py_func if self.cfg.engine == "python" else mentoring.match
        m = self.mentors
        self.replaced = match(state.floats, state.ints, m.kind, m.institution, m.capacity,
                              m.focus, m.active, m.reserve, m.caseload, key, dropout,
                              self.gates)
        self.replaced_total += self.replaced

    def network_row(self) -> NetworkRow:
        """The month's mentor, budget and enrolment figures."""
        m = self.mentors
        active = m.active == 1
        book = self.book
        return NetworkRow(
            mentors_active=active.sum(),
            mentor_caseload_mean=float(m.caseload[active].mean()) if active.any() else 0.0,
            mentors_replaced_cumulative=self.replaced_total,
            mentor_reserve_left=m.reserve.sum(),
            budget_committed=book.committed_z,
            budget_exhausted=float(book.budget_exhausted_month >= 0),
            new=book.new, unserved_capacity=book.short_of_capacity,
            unserved_budget=book.short_of_budget, one_off=book.one_off)
