"""The empowerment-network model: household state, numba kernels and the Mesa model."""

from model._kernel_cache import use_source_keyed_cache

use_source_keyed_cache()

from model.params import Config, ConfigError  # noqa: E402 - the cache must be set first
from model.sim import EmpowermentModel  # noqa: E402

__all__ = ["Config", "ConfigError", "EmpowermentModel"]
