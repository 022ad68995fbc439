"""The Mesa layer: the ``EmpowermentModel`` and its agents, views onto rows of the arrays.

Builds on ``model`` (the mechanics) and ``scenarios`` (programme delivery); the Python engine
steps the ``Household`` agents one by one.
"""

from agents.household import Household
from agents.mentor import Institution, Mentor
from agents.simulation import EmpowermentModel

__all__ = ["EmpowermentModel", "Household", "Institution", "Mentor"]
