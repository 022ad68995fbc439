"""The frozen baseline: the results of a few small runs, kept as CSV in ``tests/golden/``.

``tests/test_golden.py`` runs every case again and compares the tables exactly, so that any
change of behaviour, intended or not, shows up. Regenerate the files only for an intended
change of behaviour, and commit them with that change, so that the diff of ``tests/golden/``
is reviewed with it (which cases, columns and months moved, and by how much)::

    python -m tests.golden_baseline --write   # regenerate
    python -m tests.golden_baseline           # list what differs from the files

Each case is one run of ``HOUSEHOLDS`` households over 36 months, one seed, the numba engine
on one thread. Per case two tables are stored, written with 17 significant digits (every
float64 reads back exactly): ``<case>.results.csv``, the monthly results, and
``<case>.households.csv``, the household frame after the last month.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import IO

import pandas as pd

from empowernet import EmpowermentModel
from experiments import load_config
from tests.helpers import debt_roster

GOLDEN = Path(__file__).with_name("golden")
HOUSEHOLDS = 200
COMMON = (f"population.households={HOUSEHOLDS}", "months=36", "seed=0", "engine=numba",
          "threads=1")
CASES: dict[str, tuple[str, ...]] = {
    "baseline": ("scenario=baseline",),
    "graduation": ("scenario=graduation",),
    "microcredit": ("scenario=microcredit",),
    "mentoring": ("scenario=mentoring",),
    "empowerment_network": ("scenario=empowerment_network",),
    # the graduation package (its asset grant is dosed in multiples of k*) without the trap
    "no_trap": ("scenario=graduation", "enterprise.trap=false"),
    # a roster in which every third household owes a debt (tests.helpers.debt_roster)
    "roster_debt": ("population=pilot",),
}
"""Each case's overrides on top of ``COMMON``."""
KEYS = {"results": "month", "households": "household_id"}
"""The tables stored per case, each with the column that names a row in messages."""
FLOAT_FORMAT = "%.17g"


def run(case: str, workdir: Path) -> dict[str, pd.DataFrame]:
    """The tables of ``case``, run now (a roster case writes its roster into ``workdir``)."""
    overrides = [*COMMON, *CASES[case]]
    if case == "roster_debt":
        roster = debt_roster(workdir / "debts.csv", HOUSEHOLDS)
        overrides.append(f"population.roster_path={roster}")
    model = EmpowermentModel(load_config(overrides)).run()
    return {"results": model.results(), "households": model.household_frame()}


def as_csv(frame: pd.DataFrame) -> str:
    """A table as stored: CSV with every float at full precision."""
    return frame.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def golden_path(case: str, table: str, folder: Path = GOLDEN) -> Path:
    """Where the golden ``table`` of ``case`` is kept."""
    return folder / f"{case}.{table}.csv"


def read_text(source: Path | IO[str]) -> pd.DataFrame:
    """A stored table with every value as its text, so that comparing is exact."""
    return pd.read_csv(source, dtype=str, keep_default_na=False)


def differences(case: str, table: str, golden: pd.DataFrame, now: pd.DataFrame) -> list[str]:
    """What differs between two tables as text (``read_text``), one line per finding: the
    case, the table, each column that differs with its first differing row and both values."""
    where = f"case '{case}', {table}"
    if list(golden.columns) != list(now.columns):
        missing = [c for c in golden.columns if c not in now.columns]
        added = [c for c in now.columns if c not in golden.columns]
        return [f"{where}: the columns changed (missing {missing}, new {added}, or reordered)"]
    if len(golden) != len(now):
        return [f"{where}: {len(now)} rows instead of {len(golden)}"]
    key = KEYS[table]
    found = []
    for column in golden.columns:
        differ = (golden[column] != now[column]).to_numpy()
        if differ.any():
            row = int(differ.argmax())
            found.append(f"{where}, column '{column}': {int(differ.sum())} of {len(golden)} "
                         f"rows differ, first at {key} {golden[key].iloc[row]}: golden "
                         f"{golden[column].iloc[row]}, now {now[column].iloc[row]}")
    return found


def compare_folders(golden: Path, other: Path) -> list[str]:
    """The differences of every stored table between two folders of golden files."""
    return [line for case in CASES for table in KEYS
            for line in differences(case, table, read_text(golden_path(case, table, golden)),
                                    read_text(golden_path(case, table, other)))]


def write(folder: Path, workdir: Path) -> None:
    """Run every case and store its tables in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        for table, frame in run(case, workdir).items():
            golden_path(case, table, folder).write_text(as_csv(frame), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Regenerate the golden files (``--write``) or list what differs from them."""
    parser = argparse.ArgumentParser(prog="python -m tests.golden_baseline",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true",
                        help="run every case and overwrite tests/golden/")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        if args.write:
            write(GOLDEN, Path(workdir))
            print(f"wrote {2 * len(CASES)} tables to {GOLDEN}; review the diff before "
                  "committing it")
            return 0
        write(Path(workdir) / "now", Path(workdir))
        found = compare_folders(GOLDEN, Path(workdir) / "now")
    print("\n".join(found) if found else "every case equals its golden results")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
