"""Running, storing and driving simulations from the command line (Hydra lives only here)."""

from experiments.config import load_config
from experiments.runner import run_one

__all__ = ["load_config", "run_one"]
