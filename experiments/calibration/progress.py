"""What ``calibrate`` shows while ABC-SMC runs: a bar per generation, and pyabc's log lines.

pyabc drives the generations, so the bars count what runs in this project's code: every
candidate the acceptor judges (:class:`CountingAcceptor`), with its generation and whether it
was accepted. The counts live in memory shared with the sampler's worker processes (forked
from this one), and a thread of this process draws them: per generation, the particles
accepted against the population size, and the candidates simulated. Bars are drawn only on a
terminal and never when quiet (``console.bars_shown``); pyabc's own log lines go through
``console`` (above any bar, and none when quiet but its warnings).
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyabc
from tqdm import tqdm

from experiments import console

PYABC_LOGGER = "ABC"
"""pyabc's logger (its history and populations log under it too)."""


class Tally:
    """Per generation 0..``generations``-1, the candidates judged and those accepted, shared
    with the processes forked after it is made."""

    def __init__(self, generations: int) -> None:
        self.generations = generations
        self._counts = multiprocessing.get_context("fork").Array("q", 2 * generations)

    def judged(self, t: int, accepted: bool) -> None:
        """Count a candidate of generation ``t`` (later generations are not counted)."""
        if 0 <= t < self.generations:
            with self._counts.get_lock():
                self._counts[2 * t] += 1
                self._counts[2 * t + 1] += int(accepted)

    def of(self, t: int) -> tuple[int, int]:
        """The candidates judged and accepted in generation ``t``."""
        with self._counts.get_lock():
            return self._counts[2 * t], self._counts[2 * t + 1]

    def latest(self) -> int:
        """The latest generation with a candidate judged (-1 before the first)."""
        return max((t for t in range(self.generations) if self.of(t)[0]), default=-1)


class CountingAcceptor(pyabc.StochasticAcceptor):
    """pyabc's stochastic acceptor, counting each candidate it judges in a :class:`Tally`."""

    def __init__(self, tally: Tally) -> None:
        super().__init__()
        self.tally = tally

    def __call__(self, distance_function: Any, eps: Any, x: dict, x_0: dict, t: int,
                 par: Any) -> Any:
        """Judge the candidate as pyabc's acceptor does, and count it."""
        result = super().__call__(distance_function, eps, x, x_0, t, par)
        self.tally.judged(t, bool(result.accept))
        return result


def draw(tally: Tally, population_size: int, stop: threading.Event) -> None:
    """Until ``stop`` is set, a bar for the latest generation that has begun (the one before
    it left finished above): its particles accepted of ``population_size``, and its
    candidates."""
    bar: tqdm | None = None
    shown = -1
    while True:
        stopped = stop.wait(0.5)
        for t in range(max(shown, 0), tally.latest() + 1):
            if t != shown:
                if bar is not None:
                    bar.close()
                bar, shown = tqdm(total=population_size, desc=f"generation {t}",
                                  unit="particle"), t
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
