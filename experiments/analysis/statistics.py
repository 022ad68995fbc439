"""The interval every table of effects reports: a mean over replications with its 95 %
interval, what that interval covers, and the chance of each policy being the best.

A replication is one seed of the simulation's random streams and, with a posterior
(``uncertainty.posterior``), one posterior draw of the parameters: its interval then covers
both parameter and Monte-Carlo uncertainty. When several seeds share each draw (a nested
sweep: ``uncertainty.draw=range(K) seed=range(M)``), the interval is over the draws' means
and the variance is split by the law of total variance (``nested_interval``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd
from scipy import stats

from experiments.analysis.translations import text

FIXED = -1
"""The draw of a run with fixed parameters (``experiments.uncertainty.replication``)."""


def interval(values: Sequence[float]) -> tuple[float, float, float]:
    """Mean and 95 % interval over replications (Student t; a single one gives no interval).

    Non-finite values (a measure undefined for a replication) are left out.
    """
    x = np.array([v for v in values if np.isfinite(v)])
    if x.size == 0:
        return float("nan"), float("nan"), float("nan")
    if x.size == 1:
        return float(x[0]), float("nan"), float("nan")
    half = t_quantile(x.size - 1) * x.std(ddof=1) / np.sqrt(x.size)
    return float(x.mean()), float(x.mean() - half), float(x.mean() + half)


@cache
def t_quantile(dof: int) -> float:
    """The 97.5 % quantile of Student's t with ``dof`` degrees of freedom (worked out once
    per ``dof``: a table of effects asks for it thousands of times)."""
    return float(stats.t.ppf(0.975, dof))


def nested(draws: Sequence[int]) -> bool:
    """Whether some posterior draw is shared by several replications (fixed parameters are
    not draws)."""
    drawn = [d for d in draws if d != FIXED]
    return len(set(drawn)) < len(drawn)


def nested_interval(values: Sequence[float], draws: Sequence[int],
                    ) -> tuple[float, float, float, float]:
    """Mean, 95 % interval and parameter share of values grouped by posterior draw.

    The mean and its interval are over the draws' means (Student t on the draws: seeds are
    nested in draws). By the law of total variance, Var(y) = E[Var(y | draw)] + Var(E[y |
    draw]); the parameter share is the second term's part, its estimate being the variance
    of the draws' means less the Monte-Carlo part of it (the mean within-draw variance over
    the seeds per draw), bounded to [0, 1]. Without nesting the share is NaN.
    """
    y = np.asarray(values, dtype=float)
    finite = np.isfinite(y)
    if not nested([d for d, kept in zip(draws, finite, strict=True) if kept]):
        return (*interval(y), float("nan"))  # interval leaves out the non-finite
    frame = pd.DataFrame({"y": values, "draw": draws})[finite]
    groups = frame.groupby("draw")["y"]
    means, within = groups.mean(), groups.var(ddof=1).mean()
    between = max(means.var(ddof=1) - within / groups.size().mean(), 0.0)
    total = between + within
    share = between / total if total > 0 else float("nan")
    return (*interval(means.tolist()), float(share))


def interval_caption(replications: int, draws: int, nested_draws: bool = False,
                     lang: str = "en") -> str:
    """What a 95 % interval covers, in ``lang``: ``replications`` replications, ``draws`` of
    them with their own posterior draw (0: fixed parameters)."""
    which = "fixed" if draws == 0 else "nested" if nested_draws else "drawn"
    return text(f"caption {which}", lang, replications=replications, draws=draws)


def chance_best(gains: pd.DataFrame) -> pd.Series:
    """For each policy (column), the share of replications (rows) in which its gain is the
    largest, a replication where several tie for the largest counted in equal parts among
    them; replications where no policy has a gain are left out. Sums to 1."""
    valid = gains.dropna(how="all")
    top = valid.eq(valid.max(axis=1), axis=0)
    return top.div(top.sum(axis=1), axis=0).sum() / len(valid)
