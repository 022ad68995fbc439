"""Mesa agents: views onto one row of the model's arrays, with the readable Python rules."""

from agents.household import Household
from agents.mentor import Institution, Mentor

__all__ = ["Household", "Institution", "Mentor"]
