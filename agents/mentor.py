"""Mentors and institutions as Mesa agents: views onto their rows of the network's arrays."""

from __future__ import annotations

import numpy as np

from agents.views import RowAgent, row_property
from model.invariants import CASELOADS_MATCH, MENTOR_RULES
from model.mentors import FOCUSES, KINDS, MENTOR_FIELDS
from model.programme_params import INSTITUTIONS
from model.programmes import PROGRAMME_NAMES


class Mentor(RowAgent):
    """A social worker, student, professor or professional: a view onto its mentor row. Its
    fields (``model.mentors.MENTOR_FIELDS``) are properties; a value outside a field's range,
    or one that breaks a rule tying it to other fields (``model.invariants.MENTOR_RULES``),
    is refused with a ValueError, and not written. Its caseload follows its households
    (``model.invariants.CASELOADS_MATCH``): setting a household's ``mentor`` changes it."""

    rules = (*MENTOR_RULES, CASELOADS_MATCH)

    def rule_values(self, changes: dict[str, float | int]) -> dict[str, np.ndarray]:
        """The row's fields as the rules read them, with the number of households it
        coaches."""
        return super().rule_values(changes) | {"households": np.array([len(self.households)])}

    def described(self) -> tuple[str, ...]:
        """Kind and caseload, for ``repr``."""
        return f"kind={self.kind_name!r}", f"caseload={self.caseload}"

    @property
    def kind_name(self) -> str:
        """social_worker, student, professor or professional."""
        return KINDS[self.kind]

    @property
    def focus_name(self) -> str:
        """business, skills or psychosocial."""
        return FOCUSES[self.focus]

    @property
    def institution_name(self) -> str:
        """The institution it belongs to."""
        return INSTITUTIONS[self.institution]

    @property
    def households(self) -> list[int]:
        """Rows of the households it coaches now."""
        return (self.model.state.field("mentor") == self.row).nonzero()[0].tolist()


Mentor.fields = {field.name: (field, lambda m, n=field.name: getattr(m.mentors, n))
                 for field in MENTOR_FIELDS}
for _field in MENTOR_FIELDS:
    setattr(Mentor, _field.name, row_property(_field.name, f"{_field.meaning} ({_field.unit})"))


class Institution(RowAgent):
    """One institution of the network (one per kind): what it supplies and what it spent."""

    def described(self) -> tuple[str, ...]:
        """Its kind, for ``repr``."""
        return (f"kind={self.kind!r}",)

    @property
    def kind(self) -> str:
        """relief_committee, university, research_centre, science_park, knowledge_firm or
        incubator."""
        return INSTITUTIONS[self.row]

    @property
    def programmes(self) -> list[str]:
        """The enabled programmes it delivers and pays for."""
        runner = self.model.programmes
        return [name for p, name in enumerate(PROGRAMME_NAMES)
                if runner.enabled[p] and runner.institution_of[p] == self.row]

    @property
    def mentors(self) -> list[int]:
        """Rows of its active mentors."""
        m = self.model.mentors
        return ((m.institution == self.row) & (m.active == 1)).nonzero()[0].tolist()

    @property
    def spending_cumulative(self) -> float:
        """What its programmes have spent so far (z)."""
        return self.model.results_table.latest(f"spending_{self.kind}_cumulative")
