"""What the command line says, and when.

Three levels: quiet (``-q``: errors only), normal (each command's results and a few lines on
what it did) and verbose (``-v``: a line for every run as well). The level lives in the
environment (``VERBOSITY_ENV``), so that the worker processes of a parallel launcher speak at
the level of the command that started them. Progress bars are drawn only when standard error
is a terminal, so that no log file ever holds one; lines printed while a bar is drawn go above
it. The first time numba compiles in a process, one line says so (it takes about a minute).
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from numba.core import event
from tqdm import tqdm

QUIET, NORMAL, VERBOSE = 0, 1, 2
VERBOSITY_ENV = "EMPOWERNET_VERBOSITY"
"""The level of the running command (``QUIET``, ``NORMAL`` or ``VERBOSE``; ``NORMAL`` if unset)."""
COMPILING = "compiling numba kernels (once per code version; about a minute)"
"""What the compile notice says (later runs load the kernels from numba's cache)."""


def level() -> int:
    """The verbosity of the running command."""
    try:
        return int(os.environ.get(VERBOSITY_ENV, NORMAL))
    except ValueError:
        return NORMAL


@contextmanager
def speaking(at: int) -> Iterator[None]:
    """Speak at level ``at`` (in this process and the workers it starts) until the end;
    warnings meanwhile are notes of one line (``note``)."""
    before = os.environ.get(VERBOSITY_ENV)
    os.environ[VERBOSITY_ENV] = str(at)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = note
            yield
    finally:
        if before is None:
            os.environ.pop(VERBOSITY_ENV, None)
        else:
            os.environ[VERBOSITY_ENV] = before


def say(message: str, at: int = NORMAL, err: bool = False) -> None:
    """Print ``message`` (to standard error if ``err``) if the level is ``at`` or above, above
    any progress bar being drawn."""
    if level() >= at:
        tqdm.write(message, file=sys.stderr if err else sys.stdout)


def note(message: Warning | str, *_: Any, **__: Any) -> None:
    """A warning as one line on standard error (``empowernet: note: ...``), unless quiet; it
    takes the arguments of ``warnings.showwarning`` and ignores all but the message."""
    say(f"empowernet: note: {message}", err=True)


def error(message: str) -> None:
    """Print an error on standard error, whatever the level."""
    tqdm.write(message, file=sys.stderr)


def bars_shown() -> bool:
    """Whether progress bars are drawn: not quiet, and standard error is a terminal."""
    return level() >= NORMAL and sys.stderr.isatty()


class CompileNotice(event.Listener):
    """Says ``COMPILING`` when numba starts its first compilation in this process."""

    def __init__(self) -> None:
        self.said = False

    def on_start(self, _: event.Event) -> None:
        """The first compilation starts: say so, once."""
        if not self.said:
            self.said = True
            say(f"empowernet: {COMPILING}", err=True)

    def on_end(self, _: event.Event) -> None:
        """Nothing to say when it ends: the command's own output follows."""


NOTICE = CompileNotice()
"""The compile notice of this process, once ``announce_compiling`` has registered it."""


@cache
def announce_compiling() -> None:
    """From now on, say once when numba starts compiling in this process (a cold kernel
    cache); kernels loaded from the cache say nothing. Calls after the first do nothing."""
    event.register("numba:compile", NOTICE)
