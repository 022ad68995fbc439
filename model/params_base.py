"""The parameter declaration helper and the configuration error, shared by the parameter
modules."""

from __future__ import annotations

from dataclasses import field
from typing import Any


class ConfigError(ValueError):
    """A configuration value that is not allowed; the message names key, value and rule."""


def param(default: Any, unit: str, lo: float | None = None, hi: float | None = None,
          doc: str = "", choices: tuple[str, ...] | None = None) -> Any:
    """Declare a parameter with its unit, allowed range (inclusive) or choices, and meaning."""
    meta = {"unit": unit, "lo": lo, "hi": hi, "doc": doc, "choices": choices}
    return field(default=default, metadata=meta)
