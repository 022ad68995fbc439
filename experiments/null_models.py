"""The models a run can be: the default model and the null models of ``configs/null/``.

A null model is a wrong model on purpose: one mechanism of the default taken out
(``configs/null/NAME.yaml``, selected with the Hydra override ``+null=NAME``). This module
only names them; it imports nothing of the simulation, so the calibration file's checks can
use it.
"""

from __future__ import annotations

DEFAULT = "default"
NULLS = ("no_trap", "no_traits", "no_network")
WORLDS = (DEFAULT, *NULLS)
"""The default model first, then every null model."""


def world_overrides(world: str) -> list[str]:
    """The Hydra overrides that select ``world`` (none for the default model)."""
    if world != DEFAULT and world not in NULLS:
        raise ValueError(f"unknown model {world!r}: the models are {', '.join(WORLDS)}")
    return [] if world == DEFAULT else [f"+null={world}"]
