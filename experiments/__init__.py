"""Running and storing simulations, one at a time, as a plan or as a sweep, and the command
line (Hydra lives only here); what is done with the stored runs is ``experiments.analysis``."""

from experiments.config import load_config
from experiments.runner import run_one

__all__ = ["load_config", "run_one"]
