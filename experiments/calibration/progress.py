"""What ``calibrate`` and ``worlds`` show while ABC-SMC runs: a bar for pyabc's first sample
from the prior and one per generation, and pyabc's log lines.

pyabc drives the generations, so the bars count what runs in this project's code: every
candidate the model simulates (:class:`CountingModel`), with its generation and whether it was
accepted; before generation 0 pyabc simulates a first sample from the prior (to set its first
temperature), which no acceptor judges and which is counted as generation ``FIRST_SAMPLE``. The
counts live in memory shared with the sampler's worker processes (forked from this one), and a
thread of this process draws them: per generation, the particles accepted against the
population size, and the candidates simulated. Bars are drawn only on a terminal and never when
quiet (``console.bars_shown``); pyabc's own log lines go through ``console`` (above any bar,
and none when quiet but its warnings).
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pyabc
from tqdm import tqdm

from experiments import console

PYABC_LOGGER = "ABC"
"""pyabc's logger (its history and populations log under it too)."""


FIRST_SAMPLE = -1
"""The generation of pyabc's first sample from the prior (its "calibration sample" before
generation 0; a resumed run starts from its last generation instead)."""


class Tally:
    """Per generation ``FIRST_SAMPLE``..``generations``-1, the candidates simulated and those
    accepted, shared with the processes forked after it is made."""

    def __init__(self, generations: int) -> None:
        self.generations = generations
        self._counts = multiprocessing.get_context("fork").Array(
            "q", 2 * (generations - FIRST_SAMPLE))

    def count(self, t: int, accepted: bool) -> None:
        """Count a candidate of generation ``t`` (later generations are not counted)."""
        if FIRST_SAMPLE <= t < self.generations:
            with self._counts.get_lock():
                self._counts[2 * (t - FIRST_SAMPLE)] += 1
                self._counts[2 * (t - FIRST_SAMPLE) + 1] += int(accepted)

    def of(self, t: int) -> tuple[int, int]:
        """The candidates simulated and accepted in generation ``t``."""
        with self._counts.get_lock():
            return self._counts[2 * (t - FIRST_SAMPLE)], self._counts[2 * (t - FIRST_SAMPLE) + 1]

    def begun(self, since: int) -> list[int]:
        """The generations from ``since`` on with a candidate simulated, in order."""
        return [t for t in range(max(since, FIRST_SAMPLE), self.generations) if self.of(t)[0]]


class CountingModel(pyabc.FunctionModel):
    """A pyabc model of ``simulate`` that counts each candidate it simulates in a
    :class:`Tally`: a generation's as pyabc judges it (``accept``), and the first sample's,
    which pyabc simulates without judging (``summary_statistics`` on its own), as accepted."""

    def __init__(self, simulate: Callable[[Mapping[str, float]], dict[str, float]],
                 tally: Tally) -> None:
        super().__init__(simulate)  # named as pyabc names a function it is given
        self.tally = tally
        self._judging = False

    def accept(self, t: int, pars: Any, sum_stat_calculator: Any, distance_calculator: Any,
               eps_calculator: Any, acceptor: Any, x_0: dict) -> Any:
        """Simulate and judge a candidate of generation ``t`` as pyabc's model does, and count
        it."""
        self._judging = True
        try:
            result = super().accept(t, pars, sum_stat_calculator, distance_calculator,
                                    eps_calculator, acceptor, x_0)
        finally:
            self._judging = False
        self.tally.count(t, bool(result.accepted))
        return result

    def summary_statistics(self, t: int, pars: Any, sum_stat_calculator: Any) -> Any:
        """Simulate a candidate as pyabc's model does; one not being judged is of the first
        sample: count it."""
        result = super().summary_statistics(t, pars, sum_stat_calculator)
        if not self._judging:
            self.tally.count(FIRST_SAMPLE, True)
        return result


def label(t: int) -> str:
    """The bar's name of generation ``t``."""
    return "prior sample" if t == FIRST_SAMPLE else f"generation {t}"


def draw(tally: Tally, population_size: int, stop: threading.Event) -> None:
    """Until ``stop`` is set, a bar for the latest generation that has begun (the one before
    it left finished above): its particles accepted of ``population_size``, and its
    candidates. Generations with no candidate (those a resumed run had finished) get none."""
    bar: tqdm | None = None
    shown = FIRST_SAMPLE - 1
    while True:
        stopped = stop.wait(0.5)
        for t in tally.begun(since=shown):
            if t != shown:
                if bar is not None:
                    bar.close()
                bar, shown = tqdm(total=population_size, desc=label(t), unit="particle"), t
            candidates, accepted = tally.of(t)
            bar.n = min(accepted, population_size)
            bar.set_postfix_str(f"{candidates} candidates")
        if stopped:
            break
    if bar is not None:
        bar.close()


@contextmanager
def generation_bars(tally: Tally, population_size: int) -> Iterator[None]:
    """Until the end, draw the generations counted in ``tally`` (on a terminal only)."""
    if not console.bars_shown():
        yield
        return
    stop = threading.Event()
    drawer = threading.Thread(target=draw, args=(tally, population_size, stop), daemon=True)
    drawer.start()
    try:
        yield
    finally:
        stop.set()
        drawer.join()


class ConsoleHandler(logging.Handler):
    """A log record as a line of ``console``: a warning or an error always, the rest unless
    quiet."""

    def emit(self, record: logging.LogRecord) -> None:
        """Print the record above any bar."""
        line = self.format(record)
        if record.levelno >= logging.WARNING:
            console.error(line)
        else:
            console.say(line, err=True)


@contextmanager
def pyabc_logs_through_console() -> Iterator[None]:
    """Until the end, pyabc's log lines are printed by ``console`` in pyabc's format."""
    logger = logging.getLogger(PYABC_LOGGER)
    handler = ConsoleHandler()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s: %(message)s"))
    before = logger.handlers
    logger.handlers = [handler]
    try:
        yield
    finally:
        logger.handlers = before
