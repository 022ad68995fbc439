"""Checks of the command line's options, made before anything runs or is written.

Each ``argparse`` type below turns one option's text into its value or refuses it with a
sentence naming what is wrong; argparse then prints that sentence and exits with status 2.
``sweep_contents`` reads what a sweep folder holds, for the checks that
depend on it (months beyond the horizon, a baseline with no runs).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

from experiments import store
from experiments.config import CONFIG_DIR, unknown_name
from experiments.sweep import INDEX, current_runs, holds_sweep, read_index, run_folders
from experiments.uncertainty import NONE, read_posterior
from model.params import ConfigError
from model.roster_files import READERS

MAX_PORT = 65535
"""The highest port number (ports are 16-bit; 0 asks the system for any free one, which the
address printed could not name)."""


def positive_int(text: str) -> int:
    """A whole number of at least 1 (counts: seeds, samples, trials, households...)."""
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive whole number (1 or more)")
    return value


def nonnegative_int(text: str) -> int:
    """A whole number of at least 0 (seeds, months)."""
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; give 0 or more")
    return value


def port_number(text: str) -> int:
    """A port to listen on: a whole number from 1 to :data:`MAX_PORT`."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"{text} is not a port; give a whole number from 1 "
                                         f"to {MAX_PORT}")
    return value


def positive_float(text: str) -> float:
    """A finite number above 0 (budgets)."""
    value = _float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{value:g} is not above 0")
    return value


def yearly_rate(text: str) -> float:
    """A rate from 0 up to (not including) 1 a year (discount rates)."""
    value = _float(text)
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"{value:g} is not a rate from 0 to below 1 a year")
    return value


def given_path(text: str) -> Path:
    """The path ``text`` names; empty text (which a program would read as the current
    folder) is refused."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the path is empty; give a file's or folder's path "
                                         "(. for the current folder)")
    return Path(text)


def existing_file(text: str) -> str:
    """A file that exists (a roster, a design)."""
    if not given_path(text).is_file():
        raise argparse.ArgumentTypeError(f"{text} is not a file" + (
            "" if Path(text).exists() else ": it does not exist"))
    return text


def posterior_choice(text: str) -> str:
    """A calibration's folder or its posterior.csv, read and checked, or 'none' (fixed
    parameters)."""
    if text == NONE:
        return text
    try:
        read_posterior(text)
    except ConfigError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return text


def existing_folder(text: str) -> str:
    """A folder that exists."""
    if not given_path(text).is_dir():
        raise argparse.ArgumentTypeError(f"{text} is not a folder" + (
            "" if Path(text).exists() else ": it does not exist"))
    return text


def enclosing_sweep(folder: Path) -> Path | None:
    """The nearest folder above ``folder`` that holds a sweep (``sweep.holds_sweep``), named
    as ``folder`` is (relative to the working folder if it is relative), or None."""
    for parent in Path(os.path.abspath(folder)).parents:
        if holds_sweep(parent):
            return parent if folder.is_absolute() else Path(os.path.relpath(parent))
    return None


def refuse_inside_sweep(text: str, remedy: str = "give {sweep}") -> None:
    """Refuse the folder ``text`` if it lies inside a sweep's folder (:func:`enclosing_sweep`):
    a sweep is read, and added to, as a whole, by its own folder; ``remedy`` says what to do
    instead, naming the sweep's folder where it says ``{sweep}``."""
    sweep = enclosing_sweep(Path(text))
    if sweep is not None:
        raise argparse.ArgumentTypeError(
            f"{text} lies inside the sweep {sweep} (its {INDEX}), and a sweep is read and "
            f"added to as a whole, by its own folder; {remedy.format(sweep=sweep)}")


def sweep_folder(text: str) -> str:
    """A folder holding a sweep's runs (``*/manifest.json``), not inside another sweep (a
    scenario's folder of a sweep holds runs too, but is not a sweep)."""
    existing_folder(text)
    refuse_inside_sweep(text)
    if not run_folders(Path(text)):
        raise argparse.ArgumentTypeError(
            f"{text} holds no runs (no run folder with a {store.MANIFEST}); give the folder "
            "of a sweep (its hydra.sweep.dir)")
    return text


def library_scenario(text: str) -> str:
    """The name of a scenario of the library (``configs/scenario/NAME.yaml``)."""
    if not (CONFIG_DIR / "scenario" / f"{text}.yaml").is_file():
        raise argparse.ArgumentTypeError(unknown_name("scenario", text, ()))
    return text


def new_file(text: str) -> str:
    """A file to write: its folder must exist, and it must not be a folder itself."""
    path = given_path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; give a file name")
    if not path.resolve().parent.is_dir():
        raise argparse.ArgumentTypeError(f"the folder of {text} does not exist; create it "
                                         "first or give another path")
    return text


def roster_file(text: str) -> str:
    """A roster to write: a ``new_file`` of a type rosters are read from (``.csv``, ``.tsv``,
    ``.xlsx`` or ``.parquet``), so that it is written in the type its name says."""
    new_file(text)
    if Path(text).suffix.lower() not in READERS:
        *others, last = READERS
        raise argparse.ArgumentTypeError(f"{text} does not end in {', '.join(others)} or "
                                         f"{last}; give the roster's file name with one of "
                                         "them (it is written in that format)")
    return text


def refuse_existing(path: str | Path, overwrite: bool) -> None:
    """Refuse to write over the file ``path`` unless ``overwrite`` (``--overwrite``).

    Raises:
        ConfigError: ``path`` exists and not ``overwrite``; nothing is written then.
    """
    if Path(path).exists() and not overwrite:
        raise ConfigError(f"{path} already exists. Nothing was written. Give another file "
                          "name, or pass --overwrite to replace it.")


def refuse_other_page(path: str | Path, heading: str,
                      remedy: str = "Give another file name, or move that file away "
                      "first.") -> None:
    """Refuse to write a generated page over the file ``path`` unless it is such a page
    already: its first line is ``heading`` (a table or document of the user's is never
    replaced).

    Raises:
        ConfigError: ``path`` is a file whose first line is another; nothing is written then.
    """
    path = Path(path)
    if not path.is_file():
        return
    with path.open("rb") as handle:
        first = handle.readline().decode("utf-8", "replace").strip()
    if first != heading:
        raise ConfigError(f"{path} already exists and is not a page this command wrote (its "
                          f"first line is not '{heading}'). Nothing was written. {remedy}")


def xlsx_file(text: str) -> str:
    """An Excel workbook to write: a ``new_file`` named ``*.xlsx``, new or one written by
    empowernet before (a roster or other spreadsheet there is never written over)."""
    from experiments.analysis.workbook import written_here

    if Path(text).suffix.lower() != ".xlsx":
        raise argparse.ArgumentTypeError(f"{text} does not end in .xlsx; give the workbook's "
                                         "file name with that extension")
    new_file(text)
    if Path(text).exists() and not written_here(Path(text)):
        raise argparse.ArgumentTypeError(f"{text} already exists and is not marked as a "
                                         "workbook empowernet wrote (a roster or spreadsheet "
                                         "of yours is not written over; workbooks it wrote "
                                         "before December 2026 carry no mark); give another "
                                         "file name, or move that file away first")
    return text


def output_folder(text: str) -> str:
    """A folder to write into: new (created with its parents) or an existing folder that can
    be written into (a file is made there and removed at once to see), never a file or a path
    through a file."""
    folder = given_path(text)
    for path in (folder, *folder.parents):
        if path.exists() and not path.is_dir():
            raise argparse.ArgumentTypeError(f"{text} cannot be a folder: {path} is a file")
    if folder.is_dir():
        try:
            tempfile.TemporaryFile(dir=folder).close()
        except OSError as err:
            raise argparse.ArgumentTypeError(f"{text} is a folder that cannot be written "
                                             f"into ({err.strerror or err})") from None
    return text


def own_folder(text: str) -> str:
    """An ``output_folder`` that does not hold a sweep (its ``index.json``): a command's own
    files, or a single run, are not mixed with a sweep's runs, where no command looks for
    them (runs are added to a sweep with ``empowernet run -m ... hydra.sweep.dir=``)."""
    output_folder(text)
    if (Path(text) / INDEX).is_file():
        raise argparse.ArgumentTypeError(
            f"{text} holds a sweep (its {INDEX}), and a command's files or a single run are "
            "not written among a sweep's runs; give a folder of its own (runs are added to "
            f"the sweep with empowernet run -m ... hydra.sweep.dir={text})")
    return text


def run_folder(text: str) -> str:
    """An ``own_folder`` for a single run (``hydra.run.dir``), not inside a sweep either (in
    a scenario's folder of a sweep, say), where it would be taken for one of the sweep's
    runs."""
    own_folder(text)
    refuse_inside_sweep(text, "add the run to that sweep with empowernet run -m ... "
                        "hydra.sweep.dir={sweep}, or give the run a folder outside it")
    return text


def sweep_output_folder(text: str) -> str:
    """An ``output_folder`` for a sweep (``hydra.sweep.dir``): a new folder or a sweep's, not
    one inside a sweep nor a run's folder or one inside it, where no command would find the
    sweep's runs (and a sweep would be mixed into another's)."""
    output_folder(text)
    refuse_inside_sweep(text, "give {sweep} to add runs to that sweep, or a folder outside "
                        "it for a sweep of their own")
    folder = Path(os.path.abspath(text))
    run = next((p for p in (folder, *folder.parents) if (p / store.MANIFEST).is_file()), None)
    if run is not None:
        raise argparse.ArgumentTypeError(
            f"{text} {'is' if run == folder else 'lies inside'} the folder of a run (its "
            f"{store.MANIFEST}), and a sweep's runs are not written into another run's "
            "folder; give the sweep a folder of its own (a new one, or an existing sweep's to "
            "add runs to it)")
    return text


def runs_folder(text: str) -> str:
    """An ``output_folder`` for a command's own stored runs (``evaluate``'s: sensitivity,
    validate), which may be its earlier runs (their ``index.json`` records no invocation) but
    not a sweep of ``empowernet run -m`` (its ``index.json`` records its invocations)."""
    output_folder(text)
    try:
        invocations = read_index(Path(text))["invocations"]
    except store.DamagedError as err:  # argparse would hide it as an invalid value
        raise argparse.ArgumentTypeError(str(err)) from None
    if invocations:
        raise argparse.ArgumentTypeError(
            f"{text} holds a sweep of empowernet run -m (its {INDEX} records its "
            "invocations), and a command's runs are not written among a sweep's runs; give "
            "a folder of its own")
    return text


class FormerName(argparse.Action):
    """A former name of an option: still read (hidden from the help), into the new option's
    value, and a note to use the new name is left in ``namespace.notes``."""

    def __init__(self, option_strings: list[str], dest: str, new: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, help=argparse.SUPPRESS, **kwargs)
        self.new = new

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, values)
        namespace.notes = [*getattr(namespace, "notes", []),
                           f"{option_string} is now called {self.new}; the old name will "
                           "go away in a later version."]


def renamed_option(p: argparse.ArgumentParser, new: str, old: str, **kwargs: Any) -> None:
    """A required option ``new`` (``kwargs`` as for ``add_argument``) that ``old`` used to
    name; ``old`` is still read, with a note (``FormerName``)."""
    names = p.add_mutually_exclusive_group(required=True)
    action = names.add_argument(new, **kwargs)
    names.add_argument(old, action=FormerName, dest=action.dest, new=new, type=action.type,
                       metavar=action.metavar)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def current_configs(sweep_dir: Path) -> list[dict[str, Any]]:
    """The config of every finished run of the sweep's latest invocation
    (``sweep.current_runs``: the runs ``compare`` and ``report`` read)."""
    return [store.read_config(sweep_dir / run) for run in current_runs(sweep_dir)]


def sweep_contents(sweep_dir: Path) -> tuple[list[str], int]:
    """The scenarios (labels, sorted) of the sweep's current runs and their horizon (months;
    0 when none is finished), each run's config read once."""
    configs = current_configs(sweep_dir)
    return (sorted({config["label"] for config in configs}),
            max((config["months"] for config in configs), default=0))
