"""Mesa's DataCollector of a model's results columns, read from its results table when asked.

A reporter per column would read each month's values as the month ends: about 30-70 µs a
month, a sixth of a month of a 200-household pilot. :class:`ResultsCollector` notes the
months it collects and reads their values from the results table (``model.results``) the
first time its data are read after them, its columns only: the same values (counts as int,
as in ``model.results()``), and everything Mesa reads (``model_vars``,
``get_model_vars_dataframe``, ``batch_run``) works as with reporters. A read goes over all
the months recorded so far (0.7 ms at month 120 for the headline), so reading after every
month, as a live chart does, costs more than it saves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import mesa


class ResultsCollector(mesa.DataCollector):
    """The ``seed`` and the results columns ``columns`` of an ``EmpowermentModel``, one row per
    call of :meth:`collect`.

    ``model_reporters`` holds, for each column, the reporter whose value the collector
    records: the column's value in the newest month (``MonthlyResults.latest``).
    """

    def __init__(self, columns: Sequence[str]) -> None:
        self._values: dict[str, list[Any]] = {}
        self._model: Any = None
        self._pending: list[int] = []  # the months collected and not read yet
        super().__init__(model_reporters={
            "seed": "seed",
            **{name: (lambda m, name=name: m.results_table.latest(name)) for name in columns}})

    @property
    def model_vars(self) -> dict[str, list[Any]]:
        """Each reporter's values, one per collection (as in ``mesa.DataCollector``)."""
        self._read_pending()
        return self._values

    @model_vars.setter
    def model_vars(self, values: dict[str, list[Any]]) -> None:
        self._values = values

    def collect(self, model: Any) -> None:
        """Note the model's newest month as the next row (read when the data are read)."""
        self._model = model
        self._collection_steps.append(model.time)
        self._pending.append(model.results_table.filled - 1)

    def _read_pending(self) -> None:
        """Append the values of the months collected since the last read (the results
        columns as in ``model.results()``, counts as int)."""
        if not self._pending:
            return
        months, self._pending = self._pending, []
        frame = self._model.results_table.frame(self._values.keys())
        for name, values in self._values.items():
            if name == "seed":
                values.extend([self._model.seed] * len(months))
            else:
                values.extend(frame[name].to_numpy()[months].tolist())
