"""How ``EmpowermentModel``'s arguments become its :class:`Config`.

The config starts from a loaded Config, plain values or a library scenario
(``scenarios.library``); the common keyword settings and dotted-key overrides go on top, and the
seed is ``rng`` if given, else the config's own, else a fresh one from the operating system's
entropy (Mesa's meaning of ``rng=None``).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

import numpy as np

from model.params import Config, build, check_machine, kind_of, replace, setting_field
from scenarios import library

COMMON_SETTINGS = {"households": "population.households", "months": "months",
                   "engine": "engine", "threads": "threads", "validate": "validate",
                   "progress": "progress", "roster": "population.roster_path"}
"""The keyword settings of ``EmpowermentModel`` and the config keys they set."""
TAKES = {"int": "a whole number of {unit}", "float": "a number ({unit})",
         "bool": "True or False"}
"""What a keyword setting takes, in words, by the type of its config key (text settings take
text, and anything written as text)."""
FRESH_SEEDS = 2**53
"""Fresh seeds are drawn below this: too many to repeat by chance, and exact in JSON readers."""


def model_config(cfg: Config | Mapping[str, Any] | None, scenario: str | None,
                 rng: int | None, overrides: Mapping[str, Any] | None,
                 settings: Mapping[str, Any]) -> Config:
    """The validated Config of one model (the rules are in ``EmpowermentModel``'s docstring)."""
    if overrides is not None and not isinstance(overrides, Mapping):
        raise TypeError(f"overrides={overrides!r}: give a mapping of dotted keys to values, "
                        "e.g. overrides={'shocks.p_shock': 0.1}; override strings such as "
                        "'shocks.p_shock=0.1' go to load_config([...]), whose Config the model "
                        "takes as its first argument.")
    changes = dict(overrides or {})
    for name, value in settings.items():
        if name not in COMMON_SETTINGS:
            raise TypeError(f"unknown setting {name!r}; use one of "
                            f"{', '.join(COMMON_SETTINGS)}, scenario or overrides={{key: value}}")
        if value is not None:
            check_keyword(name, value)
            changes[COMMON_SETTINGS[name]] = value
    if settings.get("roster"):
        changes["population.source"] = "roster"
    if rng is not None:
        if not isinstance(rng, int | np.integer) or isinstance(rng, bool):
            raise TypeError(f"rng={rng!r}: the model's random streams are keyed by an integer "
                            "seed, so rng must be an int (or None for a fresh seed).")
        if "seed" in changes and changes["seed"] != rng:
            raise TypeError(f"rng={rng!r} and overrides seed={changes['seed']!r} name two "
                            "seeds; give the seed once.")
        changes["seed"] = int(rng)
    elif not seed_given(cfg, changes):
        changes["seed"] = secrets.randbelow(FRESH_SEEDS)
    config = starting_config(cfg, scenario)
    config = replace(config, **changes) if changes else config
    check_machine(config)
    return config


def check_keyword(name: str, value: object) -> None:
    """Refuse text for the keyword setting ``name`` unless its config key is text: a Python
    argument takes the value itself (``months=12``), not as a command line writes it
    (``"12"``); the key's own checks (whole number, range) follow when the config is built."""
    field = setting_field(COMMON_SETTINGS[name])
    takes = TAKES.get(kind_of(field))
    if takes is not None and isinstance(value, str):
        raise TypeError(f"{name} takes {takes.format(unit=field.metadata['unit'])}, got "
                        f"{value!r} (a {type(value).__name__})")


def starting_config(cfg: Config | Mapping[str, Any] | None, scenario: str | None) -> Config:
    """The Config before settings and overrides: ``cfg`` itself, or plain values over the
    defaults or over library scenario ``scenario``."""
    if isinstance(cfg, Config):
        if scenario is not None:
            raise TypeError(f"scenario={scenario!r} builds the config from the scenario library, "
                            "so it cannot go with a loaded Config; load both together with "
                            f'load_config(["scenario={scenario}", ...]) instead.')
        return cfg
    if scenario is not None:
        return library.config(scenario, cfg)
    return build(Config, dict(cfg or {}))


def seed_given(cfg: Config | Mapping[str, Any] | None, changes: Mapping[str, Any]) -> bool:
    """Whether a seed was chosen: a loaded Config always has one; plain values or overrides
    only if they name it."""
    return isinstance(cfg, Config) or "seed" in (cfg or {}) or "seed" in changes
