"""Mesa agents: views onto one row of the model's arrays, with the readable Python rules."""

from agents.household import Household

__all__ = ["Household"]
