"""The mechanics of the model: parameters, household state, the month's rules and kernels,
network, population and the entry of new clients, results. It imports no other package of
the project and nothing of Mesa or Hydra; the Mesa model that runs it is
``agents.EmpowermentModel``."""

from model._kernel_cache import use_source_keyed_cache

use_source_keyed_cache()

from model.params import Config, ConfigError  # noqa: E402 - the cache must be set first

__all__ = ["Config", "ConfigError"]
