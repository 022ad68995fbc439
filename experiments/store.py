"""A run's files on disk: Parquet tables, the resolved config and a JSON manifest.

A run is addressed by what it is: its id, and its folder under a sweep or the store, is
``<label>/s<seed>-<hash8>`` (``graduation/s3-1a2b3c4d``), the hash being that of its resolved
config (``config_hash``). A folder holding another run is never written over unless asked.
Every file is written to a temporary name in the same folder and renamed into place, so a run
killed at any moment leaves complete files or none. A run's manifest is written first, saying
it is running (:func:`begin`), and again last, saying how it ended: files with a run's names
that no manifest records are someone else's, and are never written over unless asked.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import socket
import subprocess
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from model.params import ConfigError

RESULTS = "results.parquet"
HOUSEHOLDS = "households.parquet"
NETWORK_NODES = "network_nodes.parquet"
NETWORK_EDGES = "network_edges.parquet"
CONFIG = "config.yaml"
MANIFEST = "manifest.json"
RUN_FILES = (RESULTS, HOUSEHOLDS, NETWORK_NODES, NETWORK_EDGES, CONFIG)
"""The files a run writes besides its manifest."""
RUNNING = "running"
"""The status of a run that has begun and not ended: running now, or stopped (killed)."""
SOURCES_KEY = b"empowernet.sources"
"""Parquet metadata key of a derived table: the runs it was built from (``sources``)."""
RUN_COLUMNS = ("scenario", "seed", "run")
"""The columns that say which run a stored row comes from, first in every run table."""
NOT_HASHED = ("seed", "progress", "threads")
"""Config keys that do not change a run's results beyond its seed (seed is in its id)."""
INPUT_FILES = ("roster_path", "assignment_path")
"""The ``population`` keys naming files whose content, not only path, makes the run."""
PACKAGES = ("empowernet", "mesa", "numpy", "pandas", "numba", "pyarrow", "hydra-core")


def _atomic(path: Path, write: Any) -> None:
    """Write ``path`` through ``write(tmp)`` and a rename; an OSError names ``path`` (not the
    temporary file, and also when the writer, as pyarrow's, names no file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as err:
        raise OSError(err.errno, err.strerror or str(err), str(path)) from err
    finally:
        with suppress(OSError):  # none was made (a read-only disk says so otherwise)
            tmp.unlink()


def write_parquet(frame: pd.DataFrame, path: Path,
                  sources: list[dict[str, Any]] | None = None) -> None:
    """Write a DataFrame as Parquet, atomically; ``sources`` (of a derived table) go into
    the file's metadata under ``SOURCES_KEY``.

    Zstandard without dictionary pages: household tables are mostly distinct floats, for which
    dictionaries cost time (3-4 x the write) and no space.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if sources is not None:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               SOURCES_KEY: json.dumps(sources)})
    _atomic(path, lambda tmp: pq.write_table(table, tmp, compression="zstd",
                                             use_dictionary=False))


def read_sources(path: Path) -> list[dict[str, Any]] | None:
    """The ``sources`` recorded in a derived Parquet table (None if absent or unreadable)."""
    try:
        metadata = pq.read_schema(path).metadata or {}
    except (OSError, pa.ArrowException):
        return None
    return json.loads(metadata[SOURCES_KEY]) if SOURCES_KEY in metadata else None


def sources(runs: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """What identifies each of ``runs`` (run id: manifest) as a source of a derived table:
    its id, config hash, seed and when it finished (a re-run finishes at another time)."""
    return [{"run": run, "config_hash": m.get("config_hash"), "seed": m.get("seed"),
             "finished": m.get("finished")} for run, m in sorted(runs.items())]


def write_text(text: str, path: Path) -> None:
    """Write a text file, atomically."""
    _atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_bytes(data: bytes, path: Path) -> None:
    """Write a binary file (a workbook, an image), atomically."""
    _atomic(path, lambda tmp: tmp.write_bytes(data))


def hashed(config: dict[str, Any]) -> dict[str, Any]:
    """The part of a resolved config that names its run: not the ``NOT_HASHED`` keys, nor
    the posterior's path (its content is there as ``posterior_sha256``, and the drawn values
    are in the config), nor the ``uncertainty`` node of a run with fixed parameters (so its
    id is what it was before parameter draws existed); with the content hash of a roster
    run's input files (``input_digests``)."""
    values = {k: v for k, v in config.items() if k not in NOT_HASHED}
    uncertainty = values.pop("uncertainty", {})
    if uncertainty.get("posterior"):
        values["uncertainty"] = {k: v for k, v in uncertainty.items() if k != "posterior"}
    inputs = input_digests(config)
    if inputs:
        values["input_sha256"] = inputs
    return values


def input_digests(config: dict[str, Any]) -> dict[str, str]:
    """The content hash of each file a roster run reads (``INPUT_FILES``), by key: a run of
    an edited roster is another run, never the old one's results reused. Empty for a
    synthetic population, so those runs' ids are what they were before."""
    population = config.get("population", {})
    if population.get("source") != "roster":
        return {}
    return {key: file_digest(population[key]) for key in INPUT_FILES if population.get(key)}


def file_digest(path: str) -> str:
    """The SHA-256 of a file's content ("unreadable" if it cannot be read: such a run is
    refused by the roster's reader before it starts)."""
    try:
        info = os.stat(path)
        return _digest(os.path.abspath(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    except OSError:
        return "unreadable"


@cache
def _digest(path: str, size: int, mtime_ns: int, ctime_ns: int) -> str:
    """A file's SHA-256, read once per version of the file (its size and times)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def config_hash(config: dict[str, Any]) -> str:
    """A stable hash of a resolved config, the seed excluded (runs differ only by seed)."""
    text = json.dumps(hashed(config), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def run_id(config: dict[str, Any]) -> str:
    """A run's id, and its folder's path under a sweep, from what it is: label, seed and
    config hash (``graduation/s3-1a2b3c4d``)."""
    return f"{config.get('label')}/s{config['seed']}-{config_hash(config)[:8]}"


def flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested config as ``{"a.b.c": value}``."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


class RunConflictError(ConfigError):
    """A run would be written into a folder that holds another run."""


class DamagedError(ConfigError):
    """A file the tool wrote (a run's, or a sweep's index) cannot be read: it is refused,
    never repaired or written over."""


DAMAGED_RUN_REMEDY = ("Remove that folder and run its command again: a sweep skips its "
                      "finished runs and makes that one anew; a single run (empowernet run "
                      "hydra.run.dir=...) can instead be replaced with empowernet run "
                      "--overwrite.")
"""How to get past a damaged run."""


def damaged(path: Path, reason: object, remedy: str) -> DamagedError:
    """The error for ``path``, which cannot be read for ``reason`` (an exception or words);
    ``remedy`` says what to do."""
    return DamagedError(f"{path} cannot be read ({reason_words(reason)}). {remedy}")


def reason_words(reason: object) -> str:
    """Why a file cannot be read, on one line whatever the reader said: a YAML error's
    problem with its line and column, an OSError's words, or the message itself."""
    if isinstance(reason, yaml.MarkedYAMLError) and reason.problem_mark is not None:
        mark = reason.problem_mark
        return f"{reason.problem} at line {mark.line + 1}, column {mark.column + 1}"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return " ".join(str(reason).split())


def shown(value: object, width: int = 60) -> str:
    """``value`` as a message quotes it, cut to ``width`` characters (a whole file read as
    one value would otherwise fill the terminal)."""
    text = repr(value)
    return text if len(text) <= width else f"{text[:width - 3]}..."


def damaged_run(folder: Path, name: str, reason: object) -> DamagedError:
    """The error for the file ``name`` of the run in ``folder``, which cannot be read."""
    return damaged(folder / name, reason, f"The run in {folder} is damaged. "
                   f"{DAMAGED_RUN_REMEDY}")


USABLE_PATH = ("a path that exists and can be read, or written to (a folder that exists, on "
               "a disk that is not read-only)")
"""What a file or folder must be for the project to use it."""

COMMAND_STOPPED = f"The command stopped there; give {USABLE_PATH}."
"""How a command's message on a path it cannot use ends (:func:`cannot_use`)."""


def cannot_use(err: OSError, closing: str = COMMAND_STOPPED) -> str:
    """The message for a file or folder that cannot be read or written (``err`` names it),
    ending with ``closing``: what stopped and what to do (by default, a command's)."""
    return f"cannot use {err.filename}: {err.strerror or err}. {closing}"


def read_table(folder: Path, name: str, **options: Any) -> pd.DataFrame:
    """The Parquet table ``name`` of the run in ``folder`` (``options`` as for
    ``pd.read_parquet``).

    Raises:
        DamagedError: the file is missing or is not Parquet.
    """
    try:
        return pd.read_parquet(folder / name, **options)
    except (OSError, pa.ArrowException) as err:
        raise damaged_run(folder, name, err) from None


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader on libyaml's parser where PyYAML was built with it: the same values,
read about seven times faster (a run's config in about 1.5 ms instead of 11), which a report
of hundreds of runs feels. A damaged file is refused as before, in libyaml's words."""


def read_config(folder: Path) -> dict[str, Any]:
    """The resolved config of the run in ``folder`` (its ``config.yaml``).

    Raises:
        DamagedError: the file is missing, is not YAML or not a mapping.
    """
    try:
        values = yaml.load((folder / CONFIG).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as err:
        raise damaged_run(folder, CONFIG, err) from None
    if not isinstance(values, dict):
        raise damaged_run(folder, CONFIG, "not a mapping of settings")
    return values


SETTINGS_REMEDY = "Give another folder with --out, or pass --overwrite to replace it."
"""How to get past a folder holding tables made with other settings (``advise``)."""


def refuse_other_settings(path: Path, settings: dict[str, Any], what: str,
                          remedy: str = SETTINGS_REMEDY, tables: Sequence[str] = ()) -> None:
    """Raise ConfigError if ``path`` (a YAML file beside the ``tables`` of a command's folder)
    records settings other than ``settings``, or is missing while one of the tables is there:
    the folder holds ``what`` made otherwise (or in unknown ways), and nothing may be written;
    a folder with neither holds nothing to keep.

    Raises:
        DamagedError: ``path`` cannot be read as a record of settings.
    """
    if not path.is_file():
        found = [name for name in tables if (path.parent / name).exists()]
        if found:
            raise ConfigError(f"{path.parent} already holds {what} ({found[0]}) but not the "
                              f"record of the settings they were made with ({path.name}), so "
                              f"they could be of other settings. Nothing was written. {remedy}")
        return
    try:
        made = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise damaged(path, err, remedy) from None
    if not isinstance(made, dict):
        raise damaged(path, "not a record of settings", remedy)
    changes = differences(made, settings)
    if changes:
        raise ConfigError(f"{path.parent} already holds {what} made with other settings "
                          f"({'; '.join(changes)}). Nothing was written. {remedy}")


def write_settings(path: Path, settings: dict[str, Any]) -> None:
    """Record ``settings`` in ``path`` (:func:`refuse_other_settings` reads them)."""
    write_text(yaml.safe_dump(settings, sort_keys=False), path)


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The settings in which two configs differ, as ``key: old -> new``."""
    a, b = flatten(old), flatten(new)
    keys = sorted(k for k in a.keys() | b.keys()
                  if k not in NOT_HASHED[1:] and a.get(k, "unset") != b.get(k, "unset"))
    return [f"{k}: {a.get(k, 'unset')} -> {b.get(k, 'unset')}" for k in keys]


RUN_REMEDY = ("Write the new run elsewhere (leave hydra.run.dir / hydra.sweep.dir at their "
              "defaults, or give a new folder), or pass --overwrite to replace the old run.")
"""How to get past a refused run folder, for ``empowernet run``."""


def refuse_other_run(out_dir: Path, config: dict[str, Any], remedy: str = RUN_REMEDY,
                     files: Sequence[str] = RUN_FILES) -> None:
    """Raise RunConflictError if ``out_dir`` holds a run (finished, failed or begun) of
    another config or seed than ``config``, or any of ``files`` (those the run writes) without
    a manifest: no run recorded them, so they are not written over. The message ends with
    ``remedy``, what the command's user can do."""
    record = read_manifest(out_dir)
    if not record:
        refuse_unrecorded(out_dir, files, remedy)
        return
    if record.get("config_hash") == config_hash(config) and record.get("seed") == config["seed"]:
        return
    try:
        old = read_config(out_dir)
    except DamagedError:  # none (a run killed as it began) or damaged: its hash and seed tell
        old = {}
    changes = ((differences(old, config) if old else []) + edited_inputs(record, config)
               or [f"{name} {was} -> {now}" for name, was, now in (
                   ("seed", record.get("seed"), config["seed"]),
                   ("config hash", record.get("config_hash"), config_hash(config)))
                   if was != now])
    shown = "; ".join(changes[:10]) + ("; ..." if len(changes) > 10 else "")
    status = record.get("status")
    raise RunConflictError(
        f"{out_dir} already holds another run ({record.get('label')}, seed "
        f"{record.get('seed')}, "
        f"{'running, or stopped before it ended' if status == RUNNING else status}), and this "
        f"run differs from it in {len(changes)} setting(s): {shown}. Nothing was written. "
        f"{remedy}")


def refuse_unrecorded(out_dir: Path, files: Sequence[str], remedy: str) -> None:
    """Raise RunConflictError if ``out_dir``, which has no manifest, holds any of ``files``:
    a run records itself before it writes anything (:func:`begin`), so no run wrote them."""
    found = [name for name in files if (out_dir / name).exists()]
    if found:
        raise RunConflictError(
            f"{out_dir} holds {', '.join(found)} but no {MANIFEST} recording them, so they "
            f"are not written over (they may be yours or another command's, or the leftovers "
            f"of a run stopped under a version that did not yet record its start). Nothing "
            f"was written. {remedy}")


def edited_inputs(record: dict[str, Any], config: dict[str, Any]) -> list[str]:
    """The input files of ``config`` whose content is not what the run of ``record`` (its
    manifest) read, as ``population.<key> <path>: content changed``; none for a run recorded
    before manifests kept the content hashes."""
    read = record.get("input_sha256") or {}
    return [f"population.{key} {config['population'][key]}: content changed since that run"
            for key, digest in input_digests(config).items()
            if key in read and read[key] != digest]


def code_revisions(manifests: Iterable[dict[str, Any]]) -> Counter[str]:
    """How many of the runs (their ``manifests``) each revision of the code made: with more
    than one, a policy's effect may mix a change of the code with the policy."""
    return Counter(str(m.get("code_revision")) for m in manifests)


NOT_CODE = ("docs", "tests", "*.md")
"""Tracked files whose uncommitted edits do not make a revision of the code (pages, tests)."""


@cache
def code_revision() -> str:
    """The project's :func:`revision_of`, asked of git once per process (a process runs one
    revision of the code)."""
    return revision_of(Path(__file__).resolve().parents[1])


def revision_of(root: Path) -> str:
    """The git revision of the checkout at ``root`` ("unknown" if git cannot say), with
    ``-dirty-`` and 8 hex digits of the hash of the local changes to tracked files when there
    are any (``NOT_CODE`` aside), so that two different sets of uncommitted edits are two
    revisions."""
    try:
        rev = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=5, check=True).stdout
        changes = subprocess.run(["git", "-C", str(root), "diff", "HEAD", "--no-ext-diff",
                                  "--binary", "--", ".", *(f":(exclude){p}" for p in NOT_CODE)],
                                 capture_output=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if not changes:
        return rev.strip()
    return f"{rev.strip()}-dirty-{hashlib.sha256(changes).hexdigest()[:8]}"


def package_versions() -> dict[str, str]:
    """Versions of the packages that shape a run's results."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def manifest(config: dict[str, Any], status: str, **fields: Any) -> dict[str, Any]:
    """The manifest of one run (with the content hashes of a roster run's input files)."""
    inputs = input_digests(config)
    return {"status": status, "label": config.get("label"), "config_hash": config_hash(config),
            "seed": config["seed"], **({"input_sha256": inputs} if inputs else {}),
            "code_revision": code_revision(), "host": socket.gethostname(),
            "packages": package_versions(), **fields}


def cluster_job(env: Mapping[str, str] = os.environ) -> str | None:
    """The SLURM job of a process with the environment ``env`` (this one's by default), as
    ``squeue`` and ``sacct`` name it (``<array>_<task>`` for a task of a job array), or None
    outside a SLURM job."""
    if "SLURM_ARRAY_JOB_ID" in env and "SLURM_ARRAY_TASK_ID" in env:
        return f"{env['SLURM_ARRAY_JOB_ID']}_{env['SLURM_ARRAY_TASK_ID']}"
    return env.get("SLURM_JOB_ID")


def now() -> str:
    """The time now, as manifests record it (UTC, ISO, to the second)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def begin(out_dir: Path, config: dict[str, Any], started: str) -> None:
    """Record in ``out_dir`` that the run of ``config`` began at ``started`` (ISO time) in
    this process (and, on a cluster, its job: :func:`cluster_job`), before it writes anything
    else: until it ends, its manifest says it is :data:`RUNNING`; its config follows, so that
    another run refused there is told how it differs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    job = cluster_job()
    write_text(json.dumps(manifest(config, RUNNING, started=started, pid=os.getpid(),
                                   **({"job": job} if job else {})), indent=2),
               out_dir / MANIFEST)
    write_text(yaml.safe_dump(config, sort_keys=False), out_dir / CONFIG)


def write_run(out_dir: Path, config: dict[str, Any], tables: dict[str, pd.DataFrame],
              info: dict[str, Any]) -> None:
    """Write a finished run's tables (file name: table) and then its manifest, into the
    folder where it began (:func:`begin` wrote its config)."""
    for name, table in tables.items():
        write_parquet(table, out_dir / name)
    write_text(json.dumps(manifest(config, "finished", **info), indent=2), out_dir / MANIFEST)


def write_failure(out_dir: Path, config: dict[str, Any], error: str,
                  info: dict[str, Any]) -> None:
    """Record a run that raised: its config, and a manifest saying failed and why."""
    out_dir.mkdir(parents=True, exist_ok=True)
    write_text(yaml.safe_dump(config, sort_keys=False), out_dir / CONFIG)
    write_text(json.dumps(manifest(config, "failed", error=error, **info), indent=2),
               out_dir / MANIFEST)


def write_stopped(out_dir: Path, record: dict[str, Any], error: str) -> None:
    """Record that the run begun in ``out_dir`` (``record``: its manifest, saying
    :data:`RUNNING`) stopped before it ended and never will (its process is gone, and with it
    its ``pid``): failed, and why."""
    kept = {key: value for key, value in record.items() if key != "pid"}
    write_text(json.dumps({**kept, "status": "failed", "error": error}, indent=2),
               out_dir / MANIFEST)


def read_manifest(out_dir: Path) -> dict[str, Any]:
    """The manifest of the run in ``out_dir`` ({} if there is none: no run).

    Raises:
        DamagedError: the manifest is there but cannot be read (it is written whole or not
            at all, so it was damaged after the run).
    """
    path = out_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise damaged_run(out_dir, MANIFEST, err) from None
    if not isinstance(record, dict):
        raise damaged_run(out_dir, MANIFEST, "not a JSON object")
    return record


def finished(out_dir: Path, config: dict[str, Any]) -> bool:
    """Whether ``out_dir`` holds a finished run of exactly this config and seed (a damaged
    run is not: ``refuse_other_run`` refuses it unless it is being replaced)."""
    try:
        record = read_manifest(out_dir)
    except DamagedError:
        return False
    return (record.get("status") == "finished"
            and record.get("config_hash") == config_hash(config)
            and record.get("seed") == config["seed"]
            and all((out_dir / name).is_file() for name in (RESULTS, HOUSEHOLDS)))


def clear_partial(out_dir: Path) -> None:
    """Remove the temporary files a killed run left behind."""
    if not out_dir.is_dir():
        return
    for tmp in out_dir.glob(".*.tmp-*"):
        tmp.unlink(missing_ok=True)
