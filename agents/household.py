"""The client household as a Mesa agent: a view onto its row of the state arrays.

With ``engine="python"`` each agent runs its own month: :meth:`Household.search` and
:meth:`Household.step` call the phase functions of ``model.rules`` uncompiled, in the order of
``model.month.PHASES``. They are the very functions the numba kernels fuse, so the rules are
read here and exist only there.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from agents.views import RowAgent, row_property
from model import rng
from model.invariants import HAS_A_MENTOR, HOUSEHOLD_RULES
from model.month import HOUSEHOLD, LEFT_PHASE, SEARCH, START, gather_neighbours, phases_of
from model.rules import referral
from model.state import (
    FLOAT_FIELDS,
    INT_FIELDS,
    LEFT,
    OCCUPATIONS,
    STATUSES,
    TIMERS,
)

START_PHASES = tuple(phase.rule.py_func for phase in phases_of(START))
SEARCH_PHASES = tuple(phase.rule.py_func for phase in phases_of(SEARCH))
HOUSEHOLD_PHASES = tuple(phase.rule.py_func for phase in phases_of(HOUSEHOLD))
OUTSIDE_THE_MONTH = (
    "households are stepped only by the model's month: call model.step() (or model.run()). "
    "Stepping them by hand (agents.do('step'), shuffle_do('step')) would change their state "
    "without moving the month on, recording results or running the job market and "
    "programmes; read or set agent attributes instead.")


class Household(RowAgent):
    """One client family. Every state field (``assets``, ``skill``, ``status``...) is a
    property reading and writing row ``row`` of the model's arrays; a value outside the
    field's declared range (``model.state``), or one that breaks a rule tying it to other
    fields (``model.invariants.HOUSEHOLD_RULES``, and a mentor row that is -1 or an existing
    mentor's), is refused with a ValueError, and not written. Fields tied by a rule are set
    together with :meth:`set`. Setting ``mentor`` moves the household between the two
    mentors' caseloads (``model.mentors.MentorState.move``)."""

    rules = (*HOUSEHOLD_RULES, HAS_A_MENTOR)

    def set(self, **values: float | int) -> None:
        """Set several fields at once (``RowAgent.set``); a new ``mentor`` takes the household
        from its old mentor's caseload into the new one's, and one that is not active or is
        full is refused (``MentorState.move``), changing nothing."""
        checked = self.checked(values)
        if "mentor" in checked:
            self.model.mentors.move(self.mentor, checked["mentor"])
        self.write(checked)

    def rule_values(self, changes: dict[str, float | int]) -> dict[str, np.ndarray]:
        """The row's fields as the rules read them, with whether it is a client and the
        number of mentor rows."""
        values = super().rule_values(changes)
        return values | {"client": values["status"] < LEFT,
                         "mentors": np.array([self.model.mentors.n])}

    def described(self) -> tuple[str, ...]:
        """Status and assets, for ``repr``."""
        return f"status={self.status_name!r}", f"assets={self.assets:.1f} z"

    @property
    def occupation_name(self) -> str:
        """The primary occupation as text."""
        return OCCUPATIONS[self.occupation]

    @property
    def status_name(self) -> str:
        """The status as text."""
        return STATUSES[self.status]

    @property
    def neighbours(self) -> list[int]:
        """Rows of the household's ties in the social network."""
        return self.model.network.neighbours(self.row).tolist()

    def draw(self, stream: str, k: int = 0) -> float:
        """This month's draw ``k`` of this household from the named stream."""
        return rng.uniform(self.model.keys[rng.STREAM_INDEX[stream]], self.row, k)

    def referral(self) -> float:
        """How strongly the household is referred to employers this month (0 to 1)."""
        m = self.model
        return float(referral.py_func(m.state.ints, self.row, m.mentors.contact))

    def timer(self, programme: int) -> int:
        """Months of ``programme`` still to come for this household."""
        return int(self.model.state.ints[self.row, TIMERS + programme])

    def _check_month_under_way(self) -> None:
        if not self.model.month_under_way:
            raise RuntimeError(OUTSIDE_THE_MONTH)

    def _phase_args(self) -> tuple[Any, ...]:
        m = self.model
        return (m.state.floats, m.state.ints, self.row, m.params, m.month_context,
                m.work[self.row])

    def search(self) -> None:
        """The month before the job market: shocks, job loss and job search."""
        self._check_month_under_way()
        args = self._phase_args()
        for phase in START_PHASES:
            phase(*args)
        if self.status >= LEFT:  # left or pending
            return
        for phase in SEARCH_PHASES:
            phase(*args)

    def step(self) -> None:
        """The household's month after the job market (MODEL.md §3); only the model's month
        (``model.step()`` with ``engine="python"``) may call it."""
        self._check_month_under_way()
        m = self.model
        gather_neighbours.py_func(self.row, self.row + 1, m.state.ints, m.state.gone,
                                  m.network.span, m.network.index, m.peer_prev,
                                  m.work[self.row:self.row + 1])
        args = self._phase_args()
        if self.status >= LEFT:
            LEFT_PHASE.rule.py_func(*args)
            m.state.gone[self.row] = self.status == LEFT  # as the numba month marks it
            return
        for phase in HOUSEHOLD_PHASES:
            phase(*args)


Household.fields = {
    **{field.name: (field, lambda m, i=i: m.state.floats[:, i])
       for i, field in enumerate(FLOAT_FIELDS)},
    **{field.name: (field, lambda m, i=i: m.state.ints[:, i])
       for i, field in enumerate(INT_FIELDS)}}
for _field, _ in Household.fields.values():
    setattr(Household, _field.name, row_property(_field.name,
                                                 f"{_field.meaning} ({_field.unit})"))
