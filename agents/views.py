"""Agents that are views onto one row of the model's arrays."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

if TYPE_CHECKING:
    from agents.simulation import EmpowermentModel


class RowAgent(mesa.Agent):
    """A Mesa agent that owns nothing but its row index in the model's arrays."""

    model: EmpowermentModel

    def __init__(self, model: EmpowermentModel, row: int) -> None:
        super().__init__(model)
        self.row = row


def row_property(array_of: Callable[[Any], np.ndarray], doc: str) -> property:
    """A property reading and writing ``array_of(agent)[agent.row]``."""

    def get(self: RowAgent) -> float | int:
        return array_of(self)[self.row].item()

    def set_(self: RowAgent, value: float | int) -> None:
        array_of(self)[self.row] = value

    return property(get, set_, doc=doc)
