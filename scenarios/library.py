"""The scenario library, ``configs/scenario/*.yaml``, read without Hydra.

Each file holds plain config values (``# @package _global_``) over the schema's defaults. Hydra
composes them for the CLI (``scenario=NAME``); this module gives the same values to the Mesa
layer (``EmpowermentModel(scenario=NAME)``), which must not depend on the experiments layer.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from model.params import Config, ConfigError, build

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "configs" / "scenario"


def names() -> tuple[str, ...]:
    """The library's scenario names, sorted."""
    return tuple(sorted(path.stem for path in SCENARIO_DIR.glob("*.yaml")))


def values(name: str) -> dict[str, Any]:
    """The plain config values of scenario ``name``; ConfigError if it is not in the library."""
    known = names()
    if name not in known:
        nearest = difflib.get_close_matches(name, known, n=1) or [
            known_name for known_name in known if name and name in known_name][:1]
        hint = f"Did you mean {nearest[0]!r}? " if nearest else ""
        raise ConfigError(f"scenario {name!r} is not in the library (configs/scenario/). "
                          f"{hint}The scenarios are: {', '.join(known)}.")
    return yaml.safe_load((SCENARIO_DIR / f"{name}.yaml").read_text()) or {}


def config(name: str, over: Mapping[str, Any] | None = None) -> Config:
    """The validated Config of scenario ``name`` with plain nested values ``over`` on top (as
    Hydra puts a config's own values and overrides over the scenario)."""
    return build(Config, _merged(values(name), over or {}))


def _merged(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``over`` merged in, nested mappings key by key."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out
