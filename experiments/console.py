"""What the command line says, and when.

Three levels: quiet (``-q``: errors only), normal (each command's results and a few lines on
what it did) and verbose (``-v``: a line for every run as well). The level lives in the
environment (``VERBOSITY_ENV``), so that the worker processes of a parallel launcher speak at
the level of the command that started them. Progress bars are drawn only when standard error
is a terminal, so that no log file ever holds one; lines printed while a bar is drawn go above
it. The first time numba compiles, one line says so (it takes about a minute): once for a
command, whether it compiles in its own process, in several threads, or in the worker
processes of a parallel sweep (joblib/loky, multiprocessing), each of which compiles for
itself. The processes of a command share a marker file (``NOTICE_ENV``): the first to compile
creates it and speaks, the others find it and keep quiet.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from numba.core import event
from tqdm import tqdm

QUIET, NORMAL, VERBOSE = 0, 1, 2
INTERRUPTED = 130
"""The exit status of a command ended by Ctrl-C (128 + SIGINT)."""
VERBOSITY_ENV = "EMPOWERNET_VERBOSITY"
"""The level of the running command (``QUIET``, ``NORMAL`` or ``VERBOSE``; ``NORMAL`` if unset)."""
COMPILING = ("compiling numba kernels (once per code version and kind of run; up to a "
             "minute)")
"""What the compile notice says (later runs load the kernels from numba's cache)."""
NOTICE_ENV = "EMPOWERNET_COMPILE_NOTICE"
"""The marker file of the running command's compile notice: created by the first of its
processes to compile (unset: each process speaks for itself)."""


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
    with environment(VERBOSITY_ENV, str(at)), warnings.catch_warnings():
        warnings.showwarning = note
        yield


@contextmanager
def environment(name: str, value: str) -> Iterator[None]:
    """Set the environment variable ``name`` to ``value`` until the end."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


@contextmanager
def one_compile_notice() -> Iterator[None]:
    """Until the end, this process and the workers it starts say the compile notice once
    between them (their shared marker, ``NOTICE_ENV``, in a folder removed at the end); a
    command's processes inside another's keep the outer marker."""
    if NOTICE_ENV in os.environ:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="empowernet-") as folder, \
            environment(NOTICE_ENV, str(Path(folder) / "compiling")):
        yield


def first_to_compile() -> bool:
    """Whether this process is the first of its command to compile (creating the marker);
    True outside a command (no marker)."""
    marker = os.environ.get(NOTICE_ENV)
    if not marker:
        return True
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    except OSError:  # the command has ended, or its folder cannot be written: speak
        return True
    return True


class HeldLines:
    """A text stream that passes what is written on to ``stream`` at once, except a write
    beginning with ``prefix`` (and the line end written right after it), which it holds
    until :meth:`release` (or :meth:`drop`)."""

    def __init__(self, stream: Any, prefix: str) -> None:
        self.stream, self.prefix, self.held = stream, prefix, []

    def write(self, text: str) -> int:
        """Write ``text``, or hold it."""
        if text.startswith(self.prefix) or (text == "\n" and self.held
                                            and not self.held[-1].endswith("\n")):
            self.held.append(text)
            return len(text)
        return self.stream.write(text)

    def release(self) -> None:
        """Write out what is held."""
        if self.held:
            self.stream.write("".join(self.held))
            self.stream.flush()
        self.held = []

    def drop(self) -> None:
        """Forget what is held: it has been said otherwise."""
        self.held = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextmanager
def held_lines(prefix: str) -> Iterator[HeldLines]:
    """Until the end, hold back the writes to standard error that begin with ``prefix``
    (:class:`HeldLines`); at the end, write out those not dropped."""
    held = HeldLines(sys.stderr, prefix)
    sys.stderr = held
    try:
        yield held
    finally:
        sys.stderr = held.stream
        held.release()


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
    """Says ``COMPILING`` when numba starts its first compilation in this process, unless
    another process of the command has said it (:func:`first_to_compile`)."""

    def __init__(self) -> None:
        self.said = False
        self._lock = threading.Lock()  # threads may start compiling at the same time

    def on_start(self, _: event.Event) -> None:
        """The first compilation starts: say so, once."""
        with self._lock:
            if self.said:
                return
            self.said = True
        if first_to_compile():
            say(f"empowernet: {COMPILING}", err=True)

    def on_end(self, _: event.Event) -> None:
        """Nothing to say when it ends: the command's own output follows."""


NOTICE = CompileNotice()
"""The compile notice of this process, once ``announce_compiling`` has registered it."""


@cache
def announce_compiling() -> None:
    """From now on, say once when numba starts compiling in this process (a cold kernel
    cache); kernels loaded from the cache say nothing. Calls after the first do nothing. A
    worker process that runs models calls it too (``evaluate.run_point``)."""
    event.register("numba:compile", NOTICE)


def ctrl_c_behind(err: BaseException) -> bool:
    """Whether ``err`` is Ctrl-C seen through compiled code: a numba kernel that returns
    while a KeyboardInterrupt is pending is reported as a SystemError caused by it."""
    seen: set[int] = set()
    cause: BaseException | None = err
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False
