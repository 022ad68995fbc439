"""A burned-in world, lived once and handed to every scenario that shares it.

The burn-in is business as usual: no programme enrols, mentors or adds job slots in it
(``EmpowermentModel._advance(programmes=False)``), so no household holds a programme, a loan
or a mentor, and the settings of programmes, institutions and the budget act on nobody. The
burn-in does not read the outputs, the diagnosis, the label or the progress bar either. Two
configurations equal in everything else therefore burn in to the same world, bit for bit:
:class:`BurnedIn` keeps a copy of that world at month 0, and
``EmpowermentModel(config, start=burned_in)`` starts from a copy of it instead of living the
burn-in again (a calibration runs several programmes on each seed; a test holds the copies
to the states of separate runs).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from model.params import Config, to_dict

NOT_READ_IN_BURN_IN = ("label", "progress", "diagnosis", "programmes", "institutions", "budget",
                       "outputs")
"""Config sections a burn-in does not read (the reason is in the module's docstring)."""
WORLD = ("month", "keys", "imputed", "household_ids", "household_labels", "state", "entry_plan",
         "network", "peer_prev", "peer_next", "acc", "hist", "candidate", "work", "job_slots",
         "open_market_slots", "slots_owed")
"""The model attributes the population, the network and the burn-in make or change."""


def burn_in_settings(config: Config) -> dict[str, Any]:
    """What of ``config`` the burn-in reads: every section but :data:`NOT_READ_IN_BURN_IN`."""
    return {key: value for key, value in to_dict(config).items()
            if key not in NOT_READ_IN_BURN_IN}


@dataclass(frozen=True)
class BurnedIn:
    """The world of a model at month 0, after its burn-in, and the settings it was made with."""

    settings: dict[str, Any]
    world: dict[str, Any]

    @classmethod
    def of(cls, model: Any) -> BurnedIn:
        """A copy of the world of ``model`` (an ``EmpowermentModel`` not stepped yet).

        Raises:
            ValueError: the model has already stepped past month 0.
        """
        if model.month != 0:
            raise ValueError(f"the model is at month {model.month}; a burned-in world is taken "
                             "at month 0, before the first step.")
        return cls(burn_in_settings(model.config),
                   copy.deepcopy({name: getattr(model, name) for name in WORLD}))

    def give_to(self, model: Any) -> None:
        """Set a copy of the world on ``model``, whose config must burn in to it.

        Raises:
            ValueError: ``model.config`` differs from the burned-in one in a setting the
                burn-in reads (the keys are named).
        """
        settings = burn_in_settings(model.config)
        if settings != self.settings:
            differ = sorted(key for key in settings.keys() | self.settings.keys()
                            if settings.get(key) != self.settings.get(key))
            raise ValueError(f"this configuration burns in to another world than the one given "
                             f"as start: they differ in {', '.join(differ)}; only "
                             f"{', '.join(NOT_READ_IN_BURN_IN)} may differ.")
        for name, value in copy.deepcopy(self.world).items():
            setattr(model, name, value)
