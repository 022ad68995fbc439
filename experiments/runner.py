"""Run one simulation and store it: no Hydra here, only a validated config and a folder."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from agents import EmpowermentModel
from experiments import console, store
from experiments.kept_worlds import KeptWorlds
from model import Config
from model.mentors import KINDS
from model.params import to_dict
from model.programme_params import INSTITUTIONS
from model.state import STATUSES

NETWORK_SAMPLE_HOUSEHOLDS = 60
"""Households in the network sample stored with each run (for the report's drawing)."""


def labelled(table: pd.DataFrame, config: Config) -> pd.DataFrame:
    """``table`` with the run's ``scenario``, ``seed`` and ``run`` id as its first columns."""
    values = to_dict(config)
    label = {"scenario": config.label, "seed": config.seed, "run": store.run_id(values)}
    rest = [c for c in table.columns if c not in label]
    return table.assign(**label)[[*store.RUN_COLUMNS, *rest]]


def snapshots_frame(m: EmpowermentModel) -> pd.DataFrame:
    """All household snapshots of a run in one long table with a ``month`` column."""
    frames = [frame.assign(month=month) for month, frame in sorted(m.snapshots.items())]
    table = pd.concat(frames, ignore_index=True)
    return table[["month", *[c for c in table.columns if c != "month"]]]


def network_sample(m: EmpowermentModel, households: int = NETWORK_SAMPLE_HOUSEHOLDS,
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Part of the network at the end of a run: ``households`` client households joined by
    their ties (mentored first: ``EmpowermentModel.sample_rows``), their mentors and the
    mentors' institutions.

    Returns the nodes (id, kind, status) and the edges (source, target, tie: social, mentor
    or affiliation).
    """
    mentor = m.state.field("mentor")
    rows = m.sample_rows(households)
    edges = [(f"h{a}", f"h{b}", "social") for a, b in m.social_network(rows).edges()]
    status = m.state.field("status")
    nodes = [(f"h{r}", "household", STATUSES[status[r]]) for r in rows]
    for r in rows[mentor[rows] >= 0]:
        j = int(mentor[r])
        home = INSTITUTIONS[m.mentors.institution[j]]
        edges += [(f"m{j}", f"h{r}", "mentor"), (f"i{home}", f"m{j}", "affiliation")]
        nodes += [(f"m{j}", KINDS[m.mentors.kind[j]], "mentor"),
                  (f"i{home}", home, "institution")]
    return (pd.DataFrame(nodes, columns=["id", "kind", "status"]).drop_duplicates("id"),
            pd.DataFrame(edges, columns=["source", "target", "tie"]))


def run_one(config: Config, out_dir: str | Path,
            worlds: KeptWorlds | None = None) -> EmpowermentModel:
    """Run ``config`` to its horizon and write results, snapshots, a network sample, config
    and manifest; with ``worlds``, start from a burned-in world kept there, or keep the one it
    lives (``experiments.kept_worlds``: the same results, the burn-in lived once).

    The manifest first says the run is running (``store.begin``), and last how it ended. A
    run that raises (while simulating or writing) is recorded as failed, and the error is
    raised again; a run stopped by Ctrl-C stays recorded as running (it is run again on
    resume), even when the interruption surfaces from a kernel as another error.
    """
    out_dir = Path(out_dir)
    values = to_dict(config)
    started = store.now()
    clock = time.perf_counter()
    try:
        store.begin(out_dir, values, started)
        m = (EmpowermentModel(config) if worlds is None else worlds.model(config)).run()
        info = {"started": started, "finished": store.now(),
                "wall_seconds": round(time.perf_counter() - clock, 3),
                "households": m.state.n_start, "months": m.months, "engine": config.engine,
                "asset_threshold_z": m.asset_threshold,
                "imputed_roster_columns": list(m.imputed),
                "summary": {k: (None if v != v else float(v))
                            for k, v in m.summary().items()}}
        nodes, edges = network_sample(m)
        tables = {store.RESULTS: labelled(m.results(), config),
                  store.HOUSEHOLDS: labelled(snapshots_frame(m), config),
                  store.NETWORK_NODES: nodes, store.NETWORK_EDGES: edges}
        store.write_run(out_dir, values, tables, info)
    except Exception as err:
        if console.ctrl_c_behind(err):
            raise KeyboardInterrupt from err
        store.write_failure(out_dir, values, f"{type(err).__name__}: {err}",
                            {"started": started, "finished": store.now()})
        raise
    return m
