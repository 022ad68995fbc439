"""The welfare objectives ``advise`` can maximise: each a measure of a household's welfare
over a run (higher is better), the name of its gain's columns, its unit, and its meaning in
words (the translation table's ``objective <name>``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from experiments.analysis.presentation import ENGLISH, View
from experiments.analysis.translations import text

Z = 1.0  # the poverty line, z per person-month (money is in z)


@dataclass(frozen=True)
class Objective:
    """A welfare measure of a household over a run, higher is better, and its gain's name;
    its meaning in words is the translation table's ``objective <name>``."""

    name: str   # the option --objective that chooses it
    gain: str   # the gain's column name (its columns: <gain>_<package>)
    unit: str
    value: Callable[[np.ndarray, int], np.ndarray]
    """(per-capita consumption, months x households, NaN once a household has left; N) ->
    each household's welfare."""

    def meaning(self, view: View = ENGLISH) -> str:
        """What the objective measures, in the words of ``view``."""
        return view.text(f"objective {self.name}")

    @property
    def total_unit(self) -> str:
        """The unit of its gain summed over households."""
        return text("summed over households", unit=self.unit)

    @property
    def per_1000_unit(self) -> str:
        """The unit of its gain summed over households per 1,000 z spent."""
        return text("per 1,000 z spent", unit=self.unit)


def _over_client_months(values: np.ndarray) -> np.ndarray:
    """The mean over the months a household was a client (0 if none)."""
    counted = ~np.isnan(values)
    return np.where(counted, values, 0.0).sum(axis=0) / np.maximum(counted.sum(axis=0), 1)


def _mean_consumption(pc: np.ndarray, last: int) -> np.ndarray:
    return _over_client_months(pc)


def _minus_gap(pc: np.ndarray, last: int) -> np.ndarray:
    return -_over_client_months(np.maximum(0.0, 1.0 - pc / Z))


def _above_the_line(pc: np.ndarray, last: int) -> np.ndarray:
    return (pc[-last:] >= Z).all(axis=0).astype(float)


OBJECTIVES = {objective.name: objective for objective in (
    Objective("consumption", "consumption_gain", "z/person-month", _mean_consumption),
    Objective("poverty_gap", "poverty_gap_reduction", "share of z", _minus_gap),
    Objective("sustained_exits", "sustained_exit_gain", "probability", _above_the_line),
)}
DEFAULT_OBJECTIVE = "poverty_gap"
