"""The network's month before households act: enrolment, then mentors (model.schedule §0)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model import mentors as mentoring
from model import rng
from model.params import Config
from model.programme_params import INSTITUTIONS, PROGRAMMES
from model.state import N_PROGRAMMES, PROGRAMME_COST
from scenarios.enrolment import Book, MonthContext, enrol_month, real_dose

if TYPE_CHECKING:
    from model.sim import EmpowermentModel

# which real dose each programme pays or applies every month it runs
MONTHLY_DOSE = ("consumption_support", "cash_transfer", "training", "mentoring",
                "job_matching", "incubation", "savings_group")


class ProgrammeRunner:
    """Programmes, mentors and the budget of one run."""

    def __init__(self, cfg: Config, households: int) -> None:
        self.cfg = cfg
        self.book = Book()
        self.mentors = mentoring.build(cfg, households)
        progs = [getattr(cfg.programmes, name) for name in PROGRAMMES]
        self.enabled = np.array([p.enabled for p in progs])
        self.unit_costs = np.array([p.unit_cost_z if p.enabled else 0.0 for p in progs])
        self.amounts = np.zeros(N_PROGRAMMES)
        self.institution_of = np.array([INSTITUTIONS.index(p.institution) for p in progs])
        self.replaced = 0
        self.replaced_total = 0
        self.gates = np.array([cfg.enterprise.confidence_gate, cfg.enterprise.culture_gate,
                               cfg.diagnosis.low_skill])

    def set_month(self, price_level: float) -> None:
        """This month's real doses of the monthly programmes."""
        for p, name in enumerate(PROGRAMMES):
            if not self.enabled[p] or name not in MONTHLY_DOSE:
                self.amounts[p] = 1.0 if name == "job_matching" else 0.0
                continue
            dose = real_dose(self.cfg, p, price_level)
            if name == "cash_transfer":
                dose /= self.cfg.programmes.cash_transfer.duration_months
            self.amounts[p] = dose

    def free_mentor_places(self) -> int:
        """Room left with the active mentors."""
        m = self.mentors
        return int(((m.capacity - m.caseload) * (m.active == 1)).sum())

    def before_households(self, model: EmpowermentModel, price_level: float) -> None:
        """Enrol, then match mentors (numba, or the Python reference for engine=python)."""
        self.set_month(price_level)
        self.book.start_month()
        self.replaced = 0
        if not self.enabled.any():
            return
        state = model.state
        state.floats[:, PROGRAMME_COST] = 0.0
        ctx = MonthContext(model.month, model.asset_threshold, price_level,
                           self.free_mentor_places())
        enrol_month(state, self.cfg, self.book, ctx)
        if self.mentors.n == 0:
            return
        key = rng.key(self.cfg.seed, "mentor", model.month)
        dropout = self.cfg.institutions.volunteer_dropout
        if self.cfg.engine == "python":
            self.replaced = mentoring.match_reference(state.floats, state.ints, self.mentors,
                                                      key, dropout, self.gates)
        else:
            m = self.mentors
            self.replaced = mentoring.match(state.floats, state.ints, m.kind, m.institution,
                                            m.capacity, m.focus, m.active, m.reserve,
                                            m.caseload, key, dropout, self.gates)
        self.replaced_total += self.replaced

    def month_summary(self) -> dict[str, float]:
        """Mentor, budget and enrolment figures of the month for the results table."""
        m = self.mentors
        active = int((m.active == 1).sum())
        out: dict[str, float] = {
            "mentors_active": active,
            "mentor_caseload_mean": float(m.caseload[m.active == 1].mean()) if active else 0.0,
            "mentors_replaced_cumulative": self.replaced_total,
            "mentor_reserve_left": int(m.reserve.sum()),
            "budget_committed": self.book.committed_z,
            "budget_exhausted": float(self.book.budget_exhausted_month >= 0),
        }
        for p, name in enumerate(PROGRAMMES):
            out[f"new_{name}"] = int(self.book.new[p])
            out[f"unserved_capacity_{name}"] = int(self.book.short_of_capacity[p])
            out[f"unserved_budget_{name}"] = int(self.book.short_of_budget[p])
            out[f"one_off_{name}"] = float(self.book.one_off[p])
        return out
