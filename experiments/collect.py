"""``empowernet collect DIR``: one tidy Parquet dataset from a sweep's runs (the command also
rewrites the sweep's ``index.json``; ``compare`` and ``report`` collect without touching it).

One row per finished run and month: every column of the run's results (``scenario``, ``seed``,
``run`` first: the run's id, its folder under the sweep), and every parameter that differs
between the runs, as a column named by its key with dots made underscores
(``population.households`` -> ``population_households``), with one explicit type per column so
that pandas, polars and DuckDB all read the same schema. The file's metadata records the runs it
was built from (``store.SOURCES_KEY``), with the size and modification time of each one's results
file; ``up_to_date`` tells whether they are still the sweep's finished runs and files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import store
from experiments.store import flatten
from experiments.sweep import finished_of, run_folders
from model.params import ConfigError

COLLECTED = "collected.parquet"


def _column(values: list[Any]) -> pd.Series:
    """One parameter column with a single explicit type."""
    if all(isinstance(v, bool) for v in values):
        return pd.Series(values, dtype="bool")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return pd.Series(values, dtype="int64")
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return pd.Series(values, dtype="float64")
    return pd.Series([v if isinstance(v, str) else json.dumps(v) for v in values],
                     dtype="string")


def finished_runs(sweep_dir: Path) -> dict[str, dict[str, Any]]:
    """Every finished run of the sweep, as run id: manifest."""
    return finished_of(sweep_dir, run_folders(sweep_dir))


def up_to_date(path: Path, sweep_dir: Path, finished: dict[str, dict[str, Any]]) -> bool:
    """Whether the collected table ``path`` was built from exactly ``finished``, the finished
    runs of ``sweep_dir`` as they are now (:func:`finished_runs`): none added, removed or
    re-run, and no results file changed since (:func:`collected_sources`)."""
    return store.read_sources(path) == collected_sources(sweep_dir, finished)


def collected_sources(sweep_dir: Path, finished: dict[str, dict[str, Any]]
                      ) -> list[dict[str, Any]]:
    """The sources of a collected table of the ``finished`` runs of ``sweep_dir``
    (``store.sources``), each with its results file's size and modification time: a file
    written over or damaged since makes the table stale without being read, so that it is
    read again (and refused if it cannot be)."""
    return [{**source, **results_stamp(sweep_dir / source["run"] / store.RESULTS)}
            for source in store.sources(finished)]


def results_stamp(path: Path) -> dict[str, int | None]:
    """The size (bytes) and modification time (ns) of a run's results file (None if it
    cannot be seen)."""
    try:
        info = path.stat()
    except OSError:
        return {"results_bytes": None, "results_modified_ns": None}
    return {"results_bytes": info.st_size, "results_modified_ns": info.st_mtime_ns}


def collect(sweep_dir: str | Path, out: str | Path | None = None,
            finished: dict[str, dict[str, Any]] | None = None) -> Path:
    """Gather the finished runs of ``sweep_dir`` (``finished``, if they are read already:
    :func:`finished_runs`) into one Parquet file; returns its path."""
    sweep_dir = Path(sweep_dir)
    if not sweep_dir.is_dir():
        raise ConfigError(f"{sweep_dir} is not a folder; give the sweep's output folder "
                          "(its hydra.sweep.dir).")
    manifests = finished_runs(sweep_dir) if finished is None else finished
    runs = [sweep_dir / run for run in manifests]
    if not runs:
        raise ConfigError(f"{sweep_dir} holds no finished run (no */manifest.json with status "
                          "finished).")
    sources = collected_sources(sweep_dir, manifests)  # before the files are read
    configs = [flatten(store.read_config(f)) for f in runs]
    keys = sorted({k for c in configs for k in c})
    varying = [k for k in keys if len({json.dumps(c.get(k)) for c in configs}) > 1
               and k not in ("seed", "label")]
    frames = []
    for run, config in zip(manifests, configs, strict=True):
        frame = store.read_table(sweep_dir / run, store.RESULTS)
        frame = frame.assign(run=run)[[*store.RUN_COLUMNS, *(c for c in frame.columns
                                                               if c not in store.RUN_COLUMNS)]]
        frames.append((frame, config))
    table = pd.concat([f for f, _ in frames], ignore_index=True)
    table["run"] = table["run"].astype("string")
    table["scenario"] = table["scenario"].astype("string")
    lengths = [len(f) for f, _ in frames]
    for key in varying:
        values = [c.get(key) for _, c in frames]
        column = _column(values)
        table[key.replace(".", "_")] = column.repeat(lengths).reset_index(drop=True)
    path = Path(out) if out else sweep_dir / COLLECTED
    store.write_parquet(table, path, sources)
    return path
