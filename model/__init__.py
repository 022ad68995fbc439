"""The empowerment-network model: household state, numba kernels and the Mesa model."""

from model.params import Config, ConfigError
from model.sim import EmpowermentModel

__all__ = ["Config", "ConfigError", "EmpowermentModel"]
