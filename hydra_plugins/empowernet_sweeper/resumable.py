"""A sweeper that launches only the runs a sweep still needs, each checked once.

Hydra's basic sweeper composes every job twice, once to check it before launching and once to
launch it, about 0.1 s each, and launches every job, even those whose runs are already
finished in the sweep's folder (the run then skips itself). This one lists the jobs as the
basic sweeper does, composes each distinct run once (the runs of a scenario at different seeds
share one composition: ``experiments.sweep.unfinished_jobs``), and launches only those not yet
finished, so that resuming a sweep costs only its missing runs, and a cluster's queue gets no
job for a finished run.

Hydra's plugin scan runs this module before it enters ``sys.modules``, so its dataclass keeps
its annotations evaluated (no ``from __future__ import annotations``).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper, BasicSweeperConf
from hydra.core.config_store import ConfigStore
from hydra.core.override_parser.types import Override


@dataclass
class ResumableSweeperConf(BasicSweeperConf):
    """The basic sweeper's settings (``params``, ``max_batch_size``)."""

    _target_: str = "hydra_plugins.empowernet_sweeper.resumable.ResumableSweeper"


class ResumableSweeper(BasicSweeper):
    """Hydra's basic sweeper, launching only the jobs whose runs are not finished."""

    def split_arguments(self, overrides: list[Override],  # type: ignore[override]
                        max_batch_size: int | None) -> list[list[list[str]]]:
        """The basic sweeper's batches of jobs, without the jobs whose runs are finished in
        the sweep's folder; every job's run is composed and validated on the way."""
        from experiments.sweep import unfinished_jobs  # not at Hydra's scan of its plugins

        assert self.config is not None
        jobs = [job for batch in BasicSweeper.split_arguments(overrides, None) for job in batch]
        left = unfinished_jobs(Path(self.config.hydra.sweep.dir), jobs,
                               list(self.config.hydra.overrides.hydra))
        return list(self.split_overrides_to_chunks(left, max_batch_size)) if left else []

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        """Nothing left to check: ``split_arguments`` composed and validated every job's run."""


ConfigStore.instance().store(group="hydra/sweeper", name="resumable",
                             node=ResumableSweeperConf, provider="empowernet")
