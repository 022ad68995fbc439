"""The Hydra application behind ``empowernet run``: compose, run one, store, say where.

Every run's folder is named from its content (``${run_folder:}`` in configs/config.yaml:
``<label>/s<seed>-<hash8>``). A folder holding another run, or a run whose manifest cannot be
read, is refused (status 2) unless ``empowernet run --overwrite`` set ``OVERWRITE_ENV``. In a
sweep (``-m``) a run that is already finished in its folder is skipped, a run that raises is
recorded as failed and the sweep goes on, each run uses one numba thread unless ``threads``
says otherwise (parallel launchers run one process per core), and the runs of one process
that burn in to the same world (the scenarios of a seed) live that burn-in once
(``experiments.kept_worlds``).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.experimental.callback import Callback
from hydra.types import RunMode
from omegaconf import DictConfig

from experiments import console, store, sweep
from experiments.config import CONFIG_DIR, as_config, register
from experiments.evaluate import beside_others, run_point
from experiments.kept_worlds import KEPT

register()

OVERWRITE_ENV = "EMPOWERNET_OVERWRITE"
"""Set to 1 (by ``empowernet run --overwrite``): replace a folder's run of another config."""


class SweepWatcher(Callback):
    """The sweep's ``index.json`` (this invocation and its runs at the start, every run's
    status at the end), and what the sweep says as it goes (``sweep.watch``: a progress bar
    over its runs on a terminal unless ``progress=false``, a line for each failed run, and
    with ``-v`` for each finished one). It watches the run folders, so it follows the runs
    of any launcher and their lines never cut through the bar."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._runs: list[str] = []

    def __getstate__(self) -> dict[str, Any]:
        """Launchers pickle the callbacks to their workers; the watcher stays behind."""
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Record the invocation and its runs in ``index.json`` and watch their folders."""
        WATCHERS.append(self)
        sweep_dir = Path(config.hydra.sweep.dir)
        task = list(config.hydra.overrides.task)
        runs = sweep.planned_runs([*task, *config.hydra.overrides.hydra])
        self._runs = runs
        sweep_dir.mkdir(parents=True, exist_ok=True)
        sweep.write_index(sweep_dir, task, runs)
        bar = bool(config.get("progress", False)) and console.bars_shown()
        self._thread = threading.Thread(
            target=sweep.watch,
            args=(sweep_dir, [sweep_dir / run for run in runs], self._stop, bar), daemon=True)
        self._thread.start()

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Stop the bar and index every run folder of the sweep."""
        self.stop()
        rows = sweep.write_index(Path(config.hydra.sweep.dir))
        status = {row["run"]: row["status"] for row in rows}
        failed = sum(status.get(run) != "finished" for run in self._runs)
        console.say(f"sweep: {len(self._runs)} runs, {failed} failed; "
                    f"{config.hydra.sweep.dir} holds {len(rows)} runs in all, and index.json "
                    "lists them", err=True)

    def stop(self) -> None:
        """Stop following the runs (and drawing the bar)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


WATCHERS: list[SweepWatcher] = []
"""The watchers of the sweeps begun in this process."""


@contextmanager
def sweeps_followed() -> Iterator[None]:
    """Run the sweeps of the block; however it ends, their watchers stop at its end (a sweep
    stopped by a lost job or Ctrl-C never reaches ``on_multirun_end``), so that what the
    command says next of the sweep is its last word on it."""
    try:
        yield
    finally:
        while WATCHERS:
            WATCHERS.pop().stop()


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> None:
    """Run the composed scenario and write it into Hydra's output folder."""
    hc = HydraConfig.get()
    out_dir = Path(hc.runtime.output_dir)
    config = as_config(cfg)
    in_sweep = hc.mode == RunMode.MULTIRUN
    if in_sweep:
        config = beside_others(config)  # the sweep's bar counts runs instead of months
    try:
        run_point(config, out_dir, reuse=in_sweep,
                  overwrite=os.environ.get(OVERWRITE_ENV) == "1",
                  worlds=KEPT if in_sweep else None)  # a sweep's scenarios share burn-ins
    except (store.RunConflictError, store.DamagedError) as err:
        console.error(f"empowernet: error: {err}")
        sys.exit(2)
    except Exception as err:
        if not in_sweep:
            raise
        if store.read_manifest(out_dir).get("status") != "failed":  # else the watcher says it
            run = Path(os.path.relpath(out_dir, hc.sweep.dir)).as_posix()
            console.error(f"run {run} failed ({type(err).__name__}: {err}); the sweep goes on")
        return
    if not in_sweep:  # a sweep's runs are reported by its SweepWatcher
        console.say(sweep.run_line(out_dir))
        console.say(f"outputs written to {out_dir}")
