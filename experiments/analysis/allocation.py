"""Allocating packages to households within a budget, and saying why some budget is left.

The allocation maximises the sum of the households' expected welfare gains (one package or
none per household) with an exact dynamic programme over costs rounded up to ``COST_STEP``,
so it never overspends. Packages that set the same programme differently (the graduation
package's one month of training and the six-month course, two sizes of cash) cannot be
given in one run, which has one setting per programme: the allocation is made within each
largest set of packages that agree (``compatible_sets``) and the best of them is kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from experiments.analysis.labels import scenario_name
from experiments.analysis.presentation import ENGLISH, View
from experiments.analysis.translations import text

COST_STEP = 0.1  # z: the allocation rounds each cost up to this step, so it never overspends
NONE = "none"
EQUAL_CASH = "equal_cash_"
"""The prefix of a package's equal-cost cash: ``equal_cash_graduation``."""


def package_name(package: str, lang: str = "en") -> str:
    """A package in words: a library scenario's name, the cash of equal cost to one ('equal
    cash graduation'), or no package."""
    if package == NONE:
        return text("card no package", lang)
    if package.startswith(EQUAL_CASH):
        return text("card equal cash", lang,
                    package=scenario_name(package.removeprefix(EQUAL_CASH), lang))
    return scenario_name(package, lang)


def compatible_sets(settings: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """The largest sets of packages whose settings agree on every key they share."""
    names = list(settings)

    def agree(a: str, b: str) -> bool:
        shared = settings[a].keys() & settings[b].keys()
        return all(settings[a][k] == settings[b][k] for k in shared)

    sets: list[tuple[str, ...]] = []
    for size in range(len(names), 0, -1):
        for group in combinations(names, size):
            if any(set(group) <= set(bigger) for bigger in sets):
                continue
            if all(agree(a, b) for a, b in combinations(group, 2)):
                sets.append(group)
    return sets


def units(cost: float) -> int:
    """A cost in steps of ``COST_STEP``, rounded up."""
    return int(np.ceil(cost / COST_STEP - 1e-9))


def best_within(gains: pd.DataFrame, costs: pd.DataFrame, budget: float
                ) -> tuple[float, pd.Series]:
    """The best total gain and its allocation for the packages (columns) of ``gains``.

    Args:
        gains, costs: expected gain and cost, one row per household, one column per package.
        budget: the z to share.
    """
    most = sum(units(c) for c in costs.max(axis=1))  # more budget than this buys nothing
    slots = min(int(np.floor(budget / COST_STEP + 1e-9)), most)
    packages = [NONE, *gains.columns]
    best = np.zeros(slots + 1)
    choices = np.zeros((len(gains), slots + 1), dtype=np.int16)
    for i, household in enumerate(gains.index):
        new, pick = best.copy(), np.zeros(slots + 1, dtype=np.int16)  # NONE: gain 0, cost 0
        for k, package in enumerate(gains.columns, start=1):
            need = units(costs.loc[household, package])
            gain = gains.loc[household, package]
            if need > slots or not gain > 0:
                continue
            value = np.full(slots + 1, -np.inf)
            value[need:] = best[: slots + 1 - need] + gain
            better = value > new
            new[better], pick[better] = value[better], k
        best, choices[i] = new, pick
    left = int(np.argmax(best))
    total, chosen = float(best[left]), {}
    for i in range(len(gains) - 1, -1, -1):
        household, package = gains.index[i], packages[choices[i, left]]
        chosen[household] = package
        if package != NONE:
            left -= units(costs.loc[household, package])
    return total, pd.Series(chosen, name="package").reindex(gains.index)


def allocate(gains: pd.DataFrame, costs: pd.DataFrame, budget: float,
             sets: Sequence[tuple[str, ...]]) -> tuple[pd.Series, tuple[str, ...]]:
    """The package of each household (or ``NONE``) maximising the expected total gain within
    ``budget``, using the packages of one of ``sets``; and that set (the best one)."""
    results = [(*best_within(gains[list(group)], costs[list(group)], budget), group)
               for group in sets]
    _, allocation, group = max(results, key=lambda result: result[0])
    return allocation, group


def unspent_reason(allocation: pd.Series, gains: pd.DataFrame, costs: pd.DataFrame,
                   budget: float, view: View = ENGLISH) -> str:
    """Why the allocation leaves part of ``budget`` unspent, in one sentence in the words and
    currency of ``view`` (``gains`` and ``costs``: the packages the allocation could use)."""
    chosen = [(h, p) for h, p in allocation.items() if p != NONE]
    left = budget - sum(costs.loc[h, p] for h, p in chosen)
    room = int(np.floor(budget / COST_STEP + 1e-9)) - sum(units(costs.loc[h, p])
                                                          for h, p in chosen)
    t, money = view.text, view.money
    rounding = t("unspent rounding", step=f"{COST_STEP:g}")
    if room == 0:
        return t("unspent spent", left=view.amount(left), money=money, rounding=rounding)
    without = allocation.index[allocation == NONE]
    if len(without) == 0:
        allocated = np.array([gains.loc[h, p] for h, p in allocation.items()])
        best = "best" if (gains.max(axis=1).to_numpy() <= allocated).all() else "served"
        return t(f"unspent everyone {best}", left=view.amount(left), money=money)
    worth = gains.loc[without].where(gains.loc[without] > 0)
    if worth.isna().all().all():
        return t("unspent no gain", households=len(without))
    household, package = costs.loc[without].where(worth.notna()).stack().idxmin()
    cost = costs.loc[household, package]
    return t("unspent cheapest", package=package_name(package, view.lang), household=household,
             cost=view.amount(cost), left=view.amount(left), money=money,
             rounding="" if cost > left else t("unspent once rounded", rounding=rounding))
