"""empowernet: an agent-based simulation of an empowerment network against the poverty trap.

The public API in one place::

    from empowernet import EmpowermentModel, load_config

    m = EmpowermentModel(load_config(["scenario=graduation"]), rng=7).run()

The packages below it are layers, each importing only those before it: ``model`` (the
mechanics), ``scenarios`` (programme delivery), ``agents`` (the Mesa model and its agents)
and ``experiments`` (configs, runs, storage and analysis).
"""

from agents import EmpowermentModel
from experiments import load_config, run_one
from model import Config, ConfigError

__all__ = ["Config", "ConfigError", "EmpowermentModel", "load_config", "run_one"]
