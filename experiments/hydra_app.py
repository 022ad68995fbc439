"""The Hydra application behind ``empowernet run``: compose, run one, store, say where."""

from __future__ import annotations

from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from experiments.config import CONFIG_DIR, register
from experiments.runner import run_one
from model.sim import as_config

register()


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> None:
    """Run the composed scenario and write it into Hydra's output folder."""
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    m = run_one(as_config(cfg), out_dir)
    final = m.results().iloc[-1]
    print(f"{m.state.n} households, {m.months} months: headcount {final['headcount']:.3f}, "
          f"graduations {int(final['graduations_cumulative'])}.")
    print(f"outputs written to {out_dir}")
