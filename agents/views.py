"""Agents that are views onto one row of the model's arrays."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import mesa
import numpy as np

from model.state import Field, RowRule

if TYPE_CHECKING:
    from agents.simulation import EmpowermentModel


Column = Callable[[Any], np.ndarray]
"""The column of a model's arrays that holds one field, one row per agent."""


class RowAgent(mesa.Agent):
    """A Mesa agent that owns nothing but its row index in the model's arrays."""

    model: EmpowermentModel
    kinds: ClassVar[list[type[RowAgent]]] = []
    """Every kind of row agent; ``model.agents`` mixes them."""
    fields: ClassVar[dict[str, tuple[Field, Column]]] = {}
    """The kind's fields by name, each with its declaration and its column of the model's
    arrays (each is also a property: :func:`row_property`)."""
    rules: ClassVar[tuple[RowRule, ...]] = ()
    """The rules tying the kind's fields together, checked when fields are set."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        RowAgent.kinds.append(cls)

    def __init__(self, model: EmpowermentModel, row: int) -> None:
        super().__init__(model)
        self.row = row

    def described(self) -> tuple[str, ...]:
        """What ``repr`` shows besides the row, as ``name=value`` texts."""
        return ()

    def set(self, **values: float | int) -> None:
        """Set several fields at once (``household.set(has_job=1, occupation=4)``), if
        :meth:`checked` allows them; a refused value or rule changes nothing.

        Raises:
            AttributeError: a name that is not one of :attr:`fields`.
            ValueError: naming the fields, their values and the range or rule refused.
        """
        self.write(self.checked(values))

    def write(self, checked: dict[str, float | int]) -> None:
        """Write values :meth:`checked` allowed into the row."""
        for name, value in checked.items():
            self.fields[name][1](self.model)[self.row] = value

    def checked(self, values: dict[str, object]) -> dict[str, float | int]:
        """``values`` as their fields hold them, if each is one its field allows
        (``Field.settable``) and every rule of :attr:`rules` that reads a field set holds on
        the row as it would be; raises as :meth:`set` says otherwise."""
        checked = {}
        for name, value in values.items():
            if name not in self.fields:
                raise AttributeError(f"{type(self).__name__} agents have no field {name!r}; "
                                     f"their fields: {', '.join(self.fields)}.")
            field, column = self.fields[name]
            checked[name] = field.settable(value, column(self.model).dtype)
        after = self.rule_values(checked)
        for rule in self.rules:
            if checked.keys() & set(rule.fields) and not rule.holds(after)[0]:
                raise ValueError(self._refusal(rule, values, after))
        return checked

    def rule_values(self, changes: dict[str, float | int]) -> dict[str, np.ndarray]:
        """The row's fields by name as the rules read them (arrays of one value), with
        ``changes`` made; a kind adds what else its rules read."""
        return {name: np.array([changes[name] if name in changes
                                else column(self.model)[self.row]])
                for name, (_, column) in self.fields.items()}

    def _refusal(self, rule: RowRule, values: dict[str, object],
                 after: dict[str, np.ndarray]) -> str:
        """Why ``values`` are refused: the rule they break, with the values it reads besides,
        and (for a rule tying several fields) how to set them together."""
        given = ", ".join(f"{name} = {value!r}" for name, value in values.items())
        besides = ", ".join(f"{name} = {after[name][0]}" for name in rule.fields
                            if name not in values)
        tied = [name for name in rule.fields if name in self.fields]
        together = (f" Set them together: {type(self).__name__.lower()}.set("
                    f"{', '.join(f'{name}=...' for name in tied)})." if len(tied) > 1 else "")
        return (f"{given} is refused: the rule '{rule.text}' would not hold "
                f"({besides or 'as set'}).{together}{rule.hint} Nothing was changed.")

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


def row_property(name: str, doc: str) -> property:
    """A property reading and writing the field ``name`` of the agent's row (one of its
    kind's :attr:`RowAgent.fields`); a value is written by :meth:`RowAgent.set`, which
    refuses, changing nothing, a value the field or a rule does not allow."""

    def get(self: RowAgent) -> float | int:
        return self.fields[name][1](self.model)[self.row].item()

    def set_(self: RowAgent, value: float | int) -> None:
        self.set(**{name: value})

    return property(get, set_, doc=doc)
