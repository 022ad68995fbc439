"""Burned-in worlds kept by a process for its next runs that burn in to the same world.

Runs that differ only in what the burn-in does not read (their programmes, institutions,
budget, outputs, label: ``agents.burn_in``) burn in to the same world, bit for bit: the
scenarios of one seed in a sweep, the trials of a policy search on the same seeds, the
scenarios of a validation study. A run of a plan or a sweep (``experiments.evaluate``) takes
its model from :data:`KEPT`, which starts it from a copy of a world an earlier run of the same
process lived, or lets it live its burn-in and keeps a copy of the world it reaches (a plan keeps
only the worlds that more than one of its runs share; a sweep keeps every world). The results
are the same either way; the burn-in, the largest fixed part of a run of the default settings,
is lived once per world instead of once per run.

Worlds are kept while they take at most :data:`MEMORY_SHARE` of the machine's memory (each
worker process of a parallel launcher keeps its own; none where the system does not tell its
memory); a world that does not fit is not kept, and kept worlds stay for the life of the process
(a command's).
"""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from agents import EmpowermentModel
from agents.burn_in import WORLD, BurnedIn, burn_in_settings
from model import Config

MEMORY_SHARE = 1 / 16
"""The share of the machine's memory the kept worlds of one process may take."""


def machine_memory() -> int:
    """The machine's physical memory in bytes (0 where the system does not tell it)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return 0


def array_bytes(value: Any, seen: set[int] | None = None) -> int:
    """The bytes of the numpy arrays held by ``value`` (through its containers and
    attributes), each counted once."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, dict):
        return sum(array_bytes(item, seen) for item in value.values())
    if isinstance(value, list | tuple):
        return sum(array_bytes(item, seen) for item in value)
    if hasattr(value, "__dict__"):
        return array_bytes(vars(value), seen)
    return 0


def world_bytes(model: EmpowermentModel) -> int:
    """The bytes of the arrays of the world of ``model`` (``agents.burn_in.WORLD``)."""
    return array_bytes({name: getattr(model, name) for name in WORLD})


def world_key(config: Config) -> str:
    """What of ``config`` its burned-in world depends on, as text: configs with the same key
    burn in to the same world."""
    return json.dumps(burn_in_settings(config), sort_keys=True, default=str)


class KeptWorlds:
    """Worlds at month 0 by the settings that burned them in, within a memory budget."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.held = 0  # bytes of the worlds kept
        self.reused = 0  # models started from a kept world
        self._worlds: dict[str, BurnedIn] = {}

    def __len__(self) -> int:
        """The number of worlds kept."""
        return len(self._worlds)

    def model(self, config: Config) -> EmpowermentModel:
        """A model of ``config`` at month 0: from a kept world that its settings burn in to,
        or lived from its drawn households (its world then kept if it fits)."""
        key = world_key(config)
        kept = self._worlds.get(key)
        if kept is not None:
            self.reused += 1
            return EmpowermentModel(config, start=kept)
        model = EmpowermentModel(config)
        if model.burn_in_months > 0:  # without a burn-in there is little to save
            self._keep(key, model)
        return model

    def _keep(self, key: str, model: EmpowermentModel) -> None:
        """Keep a copy of the world of ``model`` if it fits in the budget."""
        size = world_bytes(model)
        if self.held + size <= self.budget:
            self._worlds[key] = BurnedIn.of(model)
            self.held += size


KEPT = KeptWorlds(int(MEMORY_SHARE * machine_memory()))
"""The worlds kept by this process."""
