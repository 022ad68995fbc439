"""Agents that are views onto one row of the model's arrays."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import mesa
import numpy as np

if TYPE_CHECKING:
    from agents.simulation import EmpowermentModel


class RowAgent(mesa.Agent):
    """A Mesa agent that owns nothing but its row index in the model's arrays."""

    model: EmpowermentModel
    kinds: ClassVar[list[type[RowAgent]]] = []
    """Every kind of row agent; ``model.agents`` mixes them."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        RowAgent.kinds.append(cls)

    def __init__(self, model: EmpowermentModel, row: int) -> None:
        super().__init__(model)
        self.row = row

    def described(self) -> tuple[str, ...]:
        """What ``repr`` shows besides the row, as ``name=value`` texts."""
        return ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join((f'row={self.row}', *self.described()))})"

    def __getattr__(self, name: str) -> Any:
        """Only for a missing attribute: if another kind of agent has it, say how to ask the
        agents of that kind (a reporter over ``model.agents`` meets every kind)."""
        owners = [kind.__name__ for kind in RowAgent.kinds if hasattr(kind, name)]
        if not owners or name.startswith("_"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}",
                                 name=name, obj=self)
        raise AttributeError(
            f"{type(self).__name__} agents have no {name!r}; {' and '.join(owners)} agents "
            f"do. model.agents mixes {', '.join(k.__name__ for k in RowAgent.kinds)} agents: "
            f"collect per kind with mesa.DataCollector(agenttype_reporters={{{owners[0]}: "
            f"{{{name!r}: {name!r}}}}}), or use model.agents_by_type[{owners[0]}].",
            name=name, obj=self)


def row_property(array_of: Callable[[Any], np.ndarray], doc: str,
                 check: Callable[[object, np.dtype], float | int] | None = None) -> property:
    """A property reading and writing ``array_of(agent)[agent.row]``; with ``check``, a value
    is written as ``check(value, dtype of the array)`` returns it (which raises ValueError
    for a value the array may not hold), so a refused value changes nothing."""

    def get(self: RowAgent) -> float | int:
        return array_of(self)[self.row].item()

    def set_(self: RowAgent, value: float | int) -> None:
        column = array_of(self)
        column[self.row] = value if check is None else check(value, column.dtype)

    return property(get, set_, doc=doc)
