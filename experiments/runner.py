"""Run one simulation and store it: no Hydra here, only a validated config and a folder."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from agents import EmpowermentModel
from experiments import store
from model import Config
from model.params import to_dict


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def snapshots_frame(m: EmpowermentModel) -> pd.DataFrame:
    """All household snapshots of a run in one long table with a ``month`` column."""
    frames = [frame.assign(month=month) for month, frame in sorted(m.snapshots.items())]
    table = pd.concat(frames, ignore_index=True)
    return table[["month", *[c for c in table.columns if c != "month"]]]


def run_one(config: Config, out_dir: str | Path) -> EmpowermentModel:
    """Run ``config`` to its horizon and write results, snapshots, config and manifest.

    A run that raises (while simulating or writing) is recorded as failed in its manifest,
    and the error is raised again.
    """
    out_dir = Path(out_dir)
    values = to_dict(config)
    started = _now()
    clock = time.perf_counter()
    try:
        m = EmpowermentModel(config).run()
        info = {"started": started, "finished": _now(),
                "wall_seconds": round(time.perf_counter() - clock, 3),
                "households": m.state.n, "months": m.months, "engine": config.engine,
                "asset_threshold_z": m.asset_threshold,
                "imputed_roster_columns": list(m.imputed),
                "summary": {k: (None if v != v else float(v))
                            for k, v in m.summary().items()}}
        results = m.results().assign(seed=config.seed, scenario=config.label)
        store.write_run(out_dir, values, results, snapshots_frame(m), info)
    except Exception as err:
        store.write_failure(out_dir, values, f"{type(err).__name__}: {err}",
                            {"started": started, "finished": _now()})
        raise
    return m
