"""Ship a calibration: its posterior medians become the model's defaults of the estimated keys.

    python -m experiments.calibration.ship [FOLDER]     # default: data/calibration/default

Each estimated key's default in ``model/params.py`` (the typed schema every run starts from)
is set to its posterior median in ``FOLDER/posterior_summary.csv``, rounded by
:func:`shipped_value`, with a comment above it naming the calibration. A test holds the
schema's defaults to the committed posterior, so they cannot drift by hand. Run
``empowernet docs`` and ``python -m tests.golden_baseline --write`` after shipping.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

from experiments import store
from experiments.calibration.outputs import SUMMARY
from experiments.uncertainty import SHIPPED
from model import params

ROOT = Path(__file__).resolve().parents[2]
PARAMS_SOURCE = Path(params.__file__)
COMMENT_START = "    # posterior median of "


def shipped_value(median: float) -> float:
    """A posterior median as a default: three significant digits."""
    return float(f"{median:.3g}")


def shipped_defaults(folder: Path = SHIPPED) -> dict[str, float]:
    """Config key -> the default a calibration ships (its rounded posterior median)."""
    table = pd.read_csv(folder / SUMMARY)
    return {row.parameter: shipped_value(row.median) for row in table.itertuples()}


def with_default(source: str, key: str, value: float, comment: str) -> str:
    """``source`` (model/params.py) with the default of ``key`` set to ``value`` and
    ``comment`` on the line above it (replacing an earlier such comment).

    Raises:
        KeyError: ``key`` is not a field of the schema.
    """
    section, name = key.split(".")
    section_class = type(getattr(params.Config(), section)).__name__
    lines = source.splitlines(keepends=True)
    start = next(k for k, line in enumerate(lines) if line.startswith(f"class {section_class}"))
    field = re.compile(rf"(    {name}: \w+ = param\()[^,]+,")
    for k in range(start + 1, len(lines)):
        if lines[k].startswith("class "):
            break
        if field.match(lines[k]):
            lines[k] = field.sub(rf"\g<1>{value!r},", lines[k], count=1)
            if lines[k - 1].startswith(COMMENT_START):
                k -= 1
                del lines[k]
            lines.insert(k, comment)
            return "".join(lines)
    raise KeyError(key)


def ship(folder: Path = SHIPPED, target: Path = PARAMS_SOURCE) -> dict[str, float]:
    """Write ``folder``'s shipped defaults into ``target``; returns them."""
    defaults = shipped_defaults(folder)
    source = target.read_text(encoding="utf-8")
    where = folder.resolve()
    name = where.relative_to(ROOT).as_posix() if where.is_relative_to(ROOT) else where.name
    comment = f"{COMMENT_START}{name} (docs/calibration.md)\n"
    for key, value in defaults.items():
        source = with_default(source, key, value, comment)
    store.write_text(source, target)
    return defaults


def main() -> None:
    """Ship the calibration in the given folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(SHIPPED))
    args = parser.parse_args()
    for key, value in ship(Path(args.folder)).items():
        print(f"{key} = {value}")
    print(f"defaults written to {PARAMS_SOURCE.name}; now run `empowernet docs` and "
          "`python -m tests.golden_baseline --write`")


if __name__ == "__main__":
    main()
