"""What a programme pays a household in cash each month it runs (MODEL.md §4).

Consumption support pays its dose per person, the cash transfer its dose per household; every
other programme delivers a service or a one-off transfer and pays nothing monthly. This is the
one statement of the rule: the household month, the records and the budget all call it.
"""

from __future__ import annotations

from numba import njit

from model.state import P_CASH_TRANSFER, P_CONSUMPTION_SUPPORT


@njit(cache=True, inline="always")
def monthly_payment(programme: int, amount: float, size: float) -> float:
    """Cash (z) that ``programme`` with this month's dose ``amount`` pays a household of
    ``size`` persons."""
    if programme == P_CONSUMPTION_SUPPORT:
        return amount * size
    if programme == P_CASH_TRANSFER:
        return amount
    return 0.0
