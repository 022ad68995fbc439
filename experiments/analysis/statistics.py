"""The interval every table of effects reports: a mean over seeds with its 95 % interval."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats


def interval(values: Sequence[float]) -> tuple[float, float, float]:
    """Mean and 95 % interval over seeds (Student t; a single seed gives no interval).

    Non-finite values (a measure undefined for a seed) are left out.
    """
    x = np.array([v for v in values if np.isfinite(v)])
    if x.size == 0:
        return float("nan"), float("nan"), float("nan")
    if x.size == 1:
        return float(x[0]), float("nan"), float("nan")
    half = stats.t.ppf(0.975, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size)
    return float(x.mean()), float(x.mean() - half), float(x.mean() + half)
