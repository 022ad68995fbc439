"""empowernet: an agent-based simulation of an empowerment network against the poverty trap.

The public API in one place::

    from empowernet import EmpowermentModel, load_config

    m = EmpowermentModel(load_config(["scenario=graduation"]), rng=7).run()

The packages below it are layers, each importing only those before it: ``model`` (the
mechanics), ``scenarios`` (programme delivery), ``agents`` (the Mesa model and its agents)
and ``experiments`` (configs, runs, storage and analysis).
"""

from typing import Any

from agents import EmpowermentModel
from model import Config, ConfigError

__all__ = ["Config", "ConfigError", "EmpowermentModel", "load_config", "run_one"]

_FROM_EXPERIMENTS = ("load_config", "run_one")


def __getattr__(name: str) -> Any:
    """``load_config`` and ``run_one`` from ``experiments``, imported on first use: Hydra and
    OmegaConf take about 0.15 s to import, which a model built from plain values never needs."""
    if name in _FROM_EXPERIMENTS:
        import experiments

        return getattr(experiments, name)
    raise AttributeError(f"module 'empowernet' has no attribute {name!r}")
