"""The client household as a Mesa agent: a view onto its row of the state arrays.

With ``engine="python"`` each agent runs its own month: :meth:`Household.search` and
:meth:`Household.step` call the phase functions of ``model.rules`` uncompiled, in the order of
``model.month.PHASES``. They are the very functions the numba kernels fuse, so the rules are
read here and exist only there.
"""

from __future__ import annotations

from typing import Any

from agents.views import RowAgent, row_property
from model import rng
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


class Household(RowAgent):
    """One client family. Every state field (``assets``, ``skill``, ``status``...) is a
    property reading and writing row ``row`` of the model's arrays."""

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
        net = self.model.network
        return net.index[net.ptr[self.row]:net.ptr[self.row + 1]].tolist()

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

    def _phase_args(self) -> tuple[Any, ...]:
        m = self.model
        return (m.state.floats, m.state.ints, self.row, m.params, m.month_context,
                m.work[self.row])

    def search(self) -> None:
        """The month before the job market: shocks, job loss and job search."""
        args = self._phase_args()
        for phase in START_PHASES:
            phase(*args)
        if self.status == LEFT:
            return
        for phase in SEARCH_PHASES:
            phase(*args)

    def step(self) -> None:
        """The household's month after the job market (MODEL.md §3)."""
        m = self.model
        gather_neighbours.py_func(self.row, self.row + 1, m.network.ptr, m.network.index,
                                  m.peer_prev, m.work[self.row:self.row + 1])
        args = self._phase_args()
        if self.status == LEFT:
            LEFT_PHASE.rule.py_func(*args)
            return
        for phase in HOUSEHOLD_PHASES:
            phase(*args)


for _i, _field in enumerate(FLOAT_FIELDS):
    setattr(Household, _field.name, row_property(
        lambda a, i=_i: a.model.state.floats[:, i], f"{_field.meaning} ({_field.unit})"))
for _i, _field in enumerate(INT_FIELDS):
    setattr(Household, _field.name, row_property(
        lambda a, i=_i: a.model.state.ints[:, i], f"{_field.meaning} ({_field.unit})"))
