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

Worlds are kept within a memory budget (:func:`budget`): :data:`MEMORY_SHARE` of the machine's
memory (none where the system does not tell its memory), and at most :data:`WORKER_BUDGET` in a
worker process of a parallel launcher, which keeps its own. A world that does not fit makes room
by dropping the worlds used least recently (a plan's runs of one world come one after another,
so the newest is the one needed next); one larger than the whole budget is not kept. Kept worlds
stay for the life of the process (a command's).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing
import os
from typing import Any

import numpy as np

from agents import EmpowermentModel
from agents.burn_in import WORLD, BurnedIn, burn_in_settings
from model import Config

MEMORY_SHARE = 1 / 16
"""The share of the machine's memory the kept worlds of one process may take."""
WORKER_BUDGET = 100 * 2**20
"""The most a worker process of a parallel launcher keeps (bytes): joblib replaces a worker
whose memory has grown by 300 MB since its first task as if it leaked, losing the worlds it
kept, and a process grows by up to about 1.5 times the bytes of the worlds it keeps."""


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


def release_freed_memory() -> None:
    """Give the memory this process has freed back to the system where the C library keeps
    it (glibc's ``malloc_trim``; nothing elsewhere): a run frees hundreds of MB that would
    otherwise still count as the process's memory."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).malloc_trim(0)


def budget() -> int:
    """The bytes this process may keep worlds in: :data:`MEMORY_SHARE` of the machine's
    memory, at most :data:`WORKER_BUDGET` in a worker process (one with a parent process)."""
    share = int(MEMORY_SHARE * machine_memory())
    return min(share, WORKER_BUDGET) if multiprocessing.parent_process() is not None else share


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
        self._worlds: dict[str, tuple[BurnedIn, int]] = {}  # least recently used first

    def __len__(self) -> int:
        """The number of worlds kept."""
        return len(self._worlds)

    def model(self, config: Config) -> EmpowermentModel:
        """A model of ``config`` at month 0: from a kept world that its settings burn in to,
        or lived from its drawn households (its world then kept if it fits)."""
        key = world_key(config)
        if key in self._worlds:
            self.reused += 1
            self._worlds[key] = kept = self._worlds.pop(key)  # now the most recently used
            return EmpowermentModel(config, start=kept[0])
        model = EmpowermentModel(config)
        if model.burn_in_months > 0:  # without a burn-in there is little to save
            self._keep(key, model)
        return model

    def forget(self, config: Config) -> None:
        """Drop the world ``config`` burns in to, if it is kept."""
        kept = self._worlds.pop(world_key(config), None)
        if kept is not None:
            self.held -= kept[1]

    def _keep(self, key: str, model: EmpowermentModel) -> None:
        """Keep a copy of the world of ``model`` if it fits in the budget, dropping the
        worlds used least recently to make room."""
        size = world_bytes(model)
        if size > self.budget:
            return
        while self.held + size > self.budget:
            least_recent = next(iter(self._worlds))
            self.held -= self._worlds.pop(least_recent)[1]
        self._worlds[key] = (BurnedIn.of(model), size)
        self.held += size


KEPT = KeptWorlds(budget())
"""The worlds kept by this process."""
